"""The kit's errors: each class knows its exit status, the command line decides it in one place,
and an error a kernel sends back only by name is known again by type (one registry)."""

from __future__ import annotations

import errno
import os

import pytest
from nbclient.exceptions import CellTimeoutError
from papermill.exceptions import PapermillExecutionError

import tongket.batch.runner
from tongket.batch import staging
from tongket.batch.engines import _message
from tongket.cli import main
from tongket.errors import (
    KIT_ERRORS,
    CommandLineError,
    ConfigError,
    DataError,
    InputError,
    Issue,
    OutputError,
    ProblemsFound,
    RenderError,
    Stopped,
    TongketError,
    UnitTimeout,
    from_kernel,
    kit_error,
)

# Every error class of the kit and the exit status `tongket` ends with when it stops a command.
EXIT_CODES = [
    (TongketError, 2), (ConfigError, 2), (RenderError, 2), (DataError, 2), (InputError, 2), (OutputError, 2),
    (CommandLineError, 2), (staging.Busy, 2), (ProblemsFound, 1), (UnitTimeout, 1), (Stopped, 130),
]
ISSUE = Issue("so_lieu.xlsx", "chi_doan", 5, "Số lần sinh hoạt", -1, "Số lượng không được âm")


def _raise(cls: type[TongketError]) -> TongketError:
    return cls([ISSUE]) if cls is DataError else cls() if cls is Stopped else cls("Thông điệp «thử»")


def test_every_error_class_of_the_kit_has_its_exit_code_in_the_table():
    assert {cls for cls, _ in EXIT_CODES} == set(KIT_ERRORS.values())


@pytest.mark.parametrize("cls, code", EXIT_CODES)
def test_each_error_class_ends_the_command_with_its_exit_code(cls, code, monkeypatch, capsys):
    error = _raise(cls)

    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(tongket.batch.runner, "run", fail)
    with pytest.raises(SystemExit) as info:
        main(["run"])
    assert info.value.code == code == cls.exit_code
    out = capsys.readouterr()
    shown, other = (out.out, out.err) if cls is ProblemsFound else (out.err, out.out)
    assert shown == str(error) + "\n" and other == "" and "Traceback" not in shown
    if cls is DataError:
        assert shown.startswith("Dữ liệu có 1 lỗi, cần sửa trước khi đánh giá:\n[lỗi] tệp so_lieu.xlsx, trang "
                                "chi_doan, dòng 5, cột Số lần sinh hoạt — giá trị «-1»: Số lượng không được âm")


@pytest.mark.parametrize("name", sorted(KIT_ERRORS))
def test_a_kit_error_sent_back_by_a_kernel_is_known_by_its_name(name):
    error = from_kernel(name, "Không có đơn vị cấp huyện mã: XX9")
    assert type(error) is KIT_ERRORS[name]
    assert str(error) == "Không có đơn vị cấp huyện mã: XX9"
    assert error.exit_code == KIT_ERRORS[name].exit_code


@pytest.mark.parametrize("ename, evalue, said", [
    ("PermissionError", "[Errno 13] Permission denied: '/ra/x.docx'",
     "Không có quyền ghi «/ra/x.docx» → Cách sửa: chọn thư mục kết quả mà bạn có quyền ghi"),
    ("OSError", "[Errno 28] No space left on device: '/ra/x.docx'",
     "Ổ đĩa đầy, không ghi được «/ra/x.docx» → Cách sửa: giải phóng chỗ trên ổ đĩa"),
    ("OSError", "[Errno 30] Read-only file system", "Ổ đĩa chỉ cho đọc, không ghi được → Cách sửa: chọn thư mục"),
])
def test_an_output_disk_error_from_a_kernel_is_an_output_error(ename, evalue, said):
    error = from_kernel(ename, evalue)
    assert isinstance(error, OutputError) and str(error).startswith(said)


@pytest.mark.parametrize("ename, evalue", [
    ("ValueError", "could not convert string to float: 'x'"),
    ("KeyError", "'ma_huyen'"),
    ("FileNotFoundError", "[Errno 2] No such file or directory: '/khong/co'"),  # not the output disk: a bug
    ("OSError", "no errno here"),
    ("Tongketerror", "a name that differs in case is not the kit's"),
])
def test_any_other_kernel_error_is_a_bug_with_its_name_and_text(ename, evalue):
    assert from_kernel(ename, evalue) is None
    exc = PapermillExecutionError(3, 3, "x = 1", ename, evalue, [])
    assert kit_error(exc) is None
    assert _message(exc, 600) == f"Lỗi khi chạy sổ tay: {ename}: {evalue}"


def _cell_timeout() -> CellTimeoutError:
    return CellTimeoutError("Cell execution timed out")


@pytest.mark.parametrize("make, said", [
    (lambda: PapermillExecutionError(1, 1, "", "DataError", "Dữ liệu có 2 lỗi, cần sửa trước khi đánh giá:", []),
     "Dữ liệu có 2 lỗi, cần sửa trước khi đánh giá:"),
    (lambda: PapermillExecutionError(1, 1, "", "ConfigError", "Thang xếp loại s.yaml: sai", []),
     "Thang xếp loại s.yaml: sai"),
    (lambda: ConfigError("Tệp tham số p.yaml: sai cú pháp YAML"), "Tệp tham số p.yaml: sai cú pháp YAML"),
    (lambda: UnitTimeout.after(6), "Quá thời gian chạy cho phép (6 giây cho một ô của sổ tay): đơn vị bị dừng, "
                                   "các đơn vị khác vẫn chạy tiếp"),
    (_cell_timeout, "Quá thời gian chạy cho phép (7,5 giây cho một ô của sổ tay)"),
    (lambda: TimeoutError("timed out"), "Quá thời gian chạy cho phép (7,5 giây cho một ô của sổ tay)"),
    (lambda: OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "/ra/x.docx"), "Ổ đĩa đầy, không ghi được «/ra/x.docx»"),
    (lambda: OSError(errno.ENOENT, os.strerror(errno.ENOENT), "/khong/co"),
     "Lỗi khi chạy sổ tay: FileNotFoundError: [Errno 2] No such file or directory: '/khong/co'"),
    (lambda: RuntimeError("Kernel died before replying to kernel_info"),
     "Lỗi khi chạy sổ tay: RuntimeError: Kernel died before replying to kernel_info"),
])
def test_a_failed_unit_is_told_by_the_type_of_its_failure(make, said):
    assert _message(make(), 7.5).startswith(said)


def test_a_click_error_is_a_command_line_error_in_vietnamese(capsys):
    with pytest.raises(SystemExit) as info:
        main(["run", "--jobs", "0"])
    assert info.value.code == CommandLineError.exit_code == 2
    assert capsys.readouterr().err.startswith("Lỗi tham số dòng lệnh: giá trị không hợp lệ cho '--jobs': 0 nằm "
                                              "ngoài khoảng 1<=x<=256 → Cách sửa: xem «tongket --help»")
