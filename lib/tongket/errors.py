"""The kit's errors. Each knows its exit code and prints itself in Vietnamese; one registry knows
them by name.

An `Issue` is one rejected (or suspicious) value as a record: file, sheet, Excel row, column,
value and rule. Checks collect every Issue first and raise once with the whole list.
"""

from __future__ import annotations

import datetime as _dt
import numbers
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import PurePath
from typing import IO, Any

import click

ERROR = "lỗi"
WARNING = "cảnh báo"


def as_shown(v: Any) -> Any:
    """A cell's value as Excel shows it in Vietnamese: a number to 15 significant digits with a decimal
    comma («26,0001»; «30», not «30,0»: a count read into a column of floats; «26» for a formula's
    26.000000000000004; «1E+16»), TRUE and FALSE, a date as «04/03/2021»; anything else as it is."""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, numbers.Real) and not isinstance(v, numbers.Integral):  # float, numpy's floats
        return f"{float(v) + 0.0:.15g}".replace("e+", "E+").replace("e-", "E-").replace(".", ",")
    if isinstance(v, _dt.datetime):
        return v.strftime("%d/%m/%Y" if v.time() == _dt.time() else "%d/%m/%Y %H:%M:%S")
    if isinstance(v, _dt.date):
        return v.strftime("%d/%m/%Y")
    return v


def column_of(label: str, letter: str | None) -> str:
    """A column as an issue names it: its header and, where known, its Excel letter («Số đoàn viên (F)»)."""
    return f"{label} ({letter})" if letter else label


@dataclass(frozen=True)
class Issue:
    """One rejected or suspicious value, located exactly in the workbook."""

    file: str
    sheet: str
    row: int | None  # Excel row number (1-based, as Excel shows it); None for a whole sheet
    column: str | None
    value: Any
    rule: str
    severity: str = ERROR
    ma_huyen: str | None = None  # the district the row belongs to, where the tree tells
    fix: str | None = None  # what the analyst can do about it, in Vietnamese
    letter: str | None = None  # the Excel column letter of the cell, where there is one
    ma_co_so: str | None = None  # the Đoàn cơ sở the row belongs to, where the tree tells

    def reporting_unit(self, cap: str = "huyen") -> str | None:
        """The unit of the reporting level `cap` (huyen or co_so) the row belongs to: that unit's
        documents are the ones this issue holds back."""
        return self.ma_co_so if cap == "co_so" else self.ma_huyen

    def __str__(self) -> str:
        where = [f"tệp {self.file}"] + ([f"trang {self.sheet}"] if self.sheet else [])
        if self.row is not None:
            where.append(f"dòng {self.row}")
        if self.column:
            where.append(f"cột {self.column}")
        value = "" if self.value is None else f" — giá trị «{as_shown(self.value)}»"
        fix = f" → Cách sửa: {self.fix}" if self.fix else ""
        return f"[{self.severity}] {', '.join(where)}{value}: {self.rule}{fix}"

    @property
    def cell(self) -> str | None:
        """The cell reference ("F12") where the issue has a row and a column letter."""
        return f"{self.letter}{self.row}" if self.letter and self.row is not None else None

    def but(self, **changes: Any) -> Issue:
        """A copy with some fields changed."""
        from dataclasses import replace

        return replace(self, **changes)

    def as_row(self) -> dict[str, Any]:
        """The issue as a table row with Vietnamese headers."""
        d = asdict(self)
        return {
            "Mức độ": d["severity"],
            "Tệp": d["file"],
            "Trang": d["sheet"],
            "Dòng": d["row"],
            "Cột": d["column"],
            "Giá trị": "" if d["value"] is None else str(d["value"]),
            "Quy tắc": d["rule"],
            "Cách sửa": d["fix"] or "",
            "Ô": self.cell or "",
            "Huyện": d["ma_huyen"],
        }


class TongketError(click.ClickException):
    """Base error of the kit: a problem with the analyst's input, not a bug. It is click's kind of
    error: each class knows its exit status (`exit_code`) and shows its Vietnamese text itself
    (`show`), so the command line decides the exit status in one place, as click does. Every class
    is registered by name (`KIT_ERRORS`): an error a kernel sends back only as its name is known
    again by type."""

    exit_code = 2
    to_stdout = False  # the message is the command's closing summary (standard output), not an error

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        KIT_ERRORS[cls.__name__] = cls

    def __init__(self, message: str):
        super().__init__(message)  # click keeps it as `message`

    def __str__(self) -> str:
        return self.message

    def show(self, file: IO[Any] | None = None) -> None:
        """Print the message where the analyst reads it: standard error, or standard output for a summary."""
        click.echo(self.message, file=file, err=file is None and not self.to_stdout)

    @classmethod
    def from_text(cls, message: str) -> TongketError:
        """The error as a kernel sent it back: its class, and its text only."""
        error = cls.__new__(cls)
        TongketError.__init__(error, message)
        return error


# The kit's error classes by name: every subclass of TongketError adds itself when it is defined.
KIT_ERRORS: dict[str, type[TongketError]] = {"TongketError": TongketError}


class ConfigError(TongketError):
    """Bad parameters, rubric or scale file."""


class RenderError(TongketError):
    """A template could not be filled."""


class DataError(TongketError):
    """The workbook has problems; carries every Issue found."""

    issues: list[Issue]

    def __init__(self, issues: list[Issue]):
        self.issues = list(issues)
        errors = [i for i in self.issues if i.severity == ERROR]
        head = f"Dữ liệu có {len(errors)} lỗi, cần sửa trước khi đánh giá:"
        super().__init__("\n".join([head, *(str(i) for i in errors)]))

    @classmethod
    def from_text(cls, message: str) -> TongketError:
        """The error as a kernel sent it back: its text (the issues it listed), without the records."""
        error = cls.__new__(cls)
        TongketError.__init__(error, message)
        error.issues = []
        return error


class InputError(TongketError):
    """An input of a run (the workbook, a template, the parameters) could not be read."""


def unreadable(path: str | PurePath, named: bool = False) -> tuple[str, str]:
    """The rule and the fix for an input that cannot be read (PermissionError): on Windows, most
    often a workbook open in Excel or a template open in Word, which hold the files they have open.
    `named`: the rule names the file (where no Issue names it)."""
    app = "Word" if PurePath(path).suffix.lower() in (".docx", ".dotx") else "Excel"
    where = f" «{path}»" if named else ""
    return (f"Không đọc được tệp{where}: tệp đang mở trong {app} ({app} giữ tệp khi đang mở), hoặc tài khoản này không có "
            "quyền đọc tệp", f"Đóng tệp trong {app} rồi chạy lại; nếu tệp không mở ở đâu, chép tệp sang thư mục của "
                             "mình rồi dùng bản chép")


@contextmanager
def reading_inputs() -> Iterator[None]:
    """Inputs read inside: a PermissionError is the analyst's InputError naming the file it could not
    read, never an output's failure (`OutputError.from_os`, which the command line gives any other)."""
    try:
        yield
    except PermissionError as exc:
        rule, fix = unreadable(exc.filename or "", named=True)
        raise InputError(f"{rule} → Cách sửa: {fix}") from exc


class CommandLineError(TongketError):
    """A command line click refused (unknown option, bad value), in Vietnamese with the fix."""


class UnitTimeout(TongketError):
    """A unit ran past its time limit: that unit fails, the others go on."""

    exit_code = 1

    @classmethod
    def after(cls, seconds: float) -> UnitTimeout:
        """The error of a unit stopped after `seconds` for one cell of its notebook."""
        limit = f"{seconds:g}".replace(".", ",")  # decimal comma: «0,5 giây»
        return cls(f"Quá thời gian chạy cho phép ({limit} giây cho một ô của sổ tay): đơn vị bị dừng, các "
                   "đơn vị khác vẫn chạy tiếp")


class ProblemsFound(TongketError):
    """The command ran to its end and found problems (check) or failed for some units (run): its
    message is the command's closing summary."""

    exit_code = 1
    to_stdout = True


class Stopped(TongketError):
    """The analyst stopped the command (Ctrl-C)."""

    exit_code = 130

    def __init__(self, message: str = "Đã dừng.") -> None:
        super().__init__(message)


class OutputError(TongketError):
    """An output could not be written: the disk is full, read-only, or the folder not writable."""

    @classmethod
    def from_os(cls, exc: OSError) -> OutputError | None:
        """The Vietnamese message for an OSError met while writing, or None where it is not one
        of the output-disk failures (then it is a bug and keeps its traceback)."""
        import errno

        where = f" «{exc.filename}»" if exc.filename else ""
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            what = f"Ổ đĩa đầy, không ghi được{where}"
            fix = "giải phóng chỗ trên ổ đĩa (hoặc chọn thư mục kết quả khác bằng --out) rồi chạy lại"
        elif exc.errno == errno.EROFS:
            what = f"Ổ đĩa chỉ cho đọc, không ghi được{where}"
            fix = "chọn thư mục kết quả trên ổ đĩa ghi được bằng --out rồi chạy lại"
        elif exc.errno in (errno.EACCES, errno.EPERM):
            what = f"Không có quyền ghi{where}"
            fix = ("chọn thư mục kết quả mà bạn có quyền ghi bằng --out, hoặc đóng tệp đang mở trong Excel/Word "
                   "rồi chạy lại")
        else:
            return None
        return cls(f"{what} → Cách sửa: {fix}")


def from_kernel(ename: str, evalue: str) -> TongketError | None:
    """The kit's error a kernel sent back only as its class name and text: one of the kit's own
    classes (`KIT_ERRORS`), or an OSError of the output disk; None for any other (a bug)."""
    if ename in KIT_ERRORS:
        return KIT_ERRORS[ename].from_text(evalue)
    import builtins
    import re

    kind = getattr(builtins, ename, None)
    if isinstance(kind, type) and issubclass(kind, OSError):  # its text is "[Errno N] reason: 'file'"
        m = re.match(r"\[Errno (\d+)\] ([^:]*)(?:: '(.*)')?", evalue)
        return OutputError.from_os(OSError(int(m.group(1)), m.group(2), m.group(3))) if m else None
    return None


def kit_error(exc: BaseException) -> TongketError | None:
    """The kit's error `exc` is, by its type: itself, an output-disk OSError, or one a kernel sent
    back by name (papermill's execution error); None where `exc` is a bug."""
    if isinstance(exc, TongketError):
        return exc
    ename = getattr(exc, "ename", None)
    if isinstance(ename, str) and ename:
        return from_kernel(ename, str(getattr(exc, "evalue", "") or ""))
    if isinstance(exc, OSError):
        return OutputError.from_os(exc)
    return None


def bug_message(exc: BaseException) -> str:
    """What the analyst reads for an error that is not one of the kit's (a bug, or the notebook's own)."""
    ename = getattr(exc, "ename", None)
    if isinstance(ename, str) and ename:
        return f"Lỗi khi chạy sổ tay: {ename}: {getattr(exc, 'evalue', None)}"
    return f"Lỗi khi chạy sổ tay: {type(exc).__name__}: {exc}"
