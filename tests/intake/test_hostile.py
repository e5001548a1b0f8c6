"""Issue 15, point 16: no raw traceback, whatever the analyst's files or disk. Every command runs
over the hostile corpus (tests/corpus, built by tests/corpus/build.py) and ends with exit code
0, 1 or 2 and Vietnamese text naming the file; a full disk keeps earlier outputs and leaves a
manifest saying what failed; a read-only disk is said in Vietnamese."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from conftest import ROOT
from tongket.cli import main

CORPUS = Path(__file__).parents[1] / "corpus"
HOSTILE = ["doi_duoi.xls", "xml_hong.xlsx", "so_hong.xlsx", "chu_mat.xlsx", "bom_thuc_the.xlsx", "o_gop.xlsx",
           "huyen_khong_co_so.xlsx", "cu.xls", "hong.xlsx", "bom_nen.xlsx", "trang_web.xls", "bang_tinh.ods", "thu_muc"]
VIETNAMESE = re.compile(r"[ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ]", re.I)
CLICK_ENGLISH = ("Invalid value", "does not exist", "is a directory", "is a file", "No such", "Missing")


def _path(name: str, tmp_path: Path) -> Path:
    if name == "thu_muc":  # a directory given where a file is expected
        folder = tmp_path / "thu_muc"
        folder.mkdir(exist_ok=True)
        return folder
    return CORPUS / name


def _collect_args(p: Path, tmp: Path) -> list[str]:
    folder = tmp / "nop"  # the hostile file returned among the forms
    folder.mkdir()
    if p.is_dir():
        (folder / p.name).mkdir()
    else:
        shutil.copy(p, folder / p.name)
    return ["collect", str(folder), "--data", str(CORPUS / "sach.xlsx"), "--nam", "2021",
            "--out", str(tmp / "so_lieu.xlsx")]


COMMANDS = {
    "check": lambda p, tmp: ["check", str(p)],
    "check --out": lambda p, tmp: ["check", str(p), "--out", str(tmp / "van_de.xlsx")],
    "assess": lambda p, tmp: ["assess", "--data", str(p), "--nam", "2021", "--out", str(tmp / "ket_qua.xlsx")],
    "run": lambda p, tmp: ["run", "--data", str(p), "--nam", "2021", "--engine", "direct", "--jobs", "1",
                           "--huyen", "H3" if p.name == "huyen_khong_co_so.xlsx" else "H2", "--out", str(tmp / "ra")],
    "forms": lambda p, tmp: ["forms", "--data", str(p), "--nam", "2021", "--out", str(tmp / "phieu")],
    "collect": _collect_args,
}


def run_cli(args: list[str], capsys) -> tuple[int, str]:
    """Run the command as `tongket` would; any exception but SystemExit is a traceback."""
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 2
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.mark.parametrize("name", HOSTILE)
@pytest.mark.parametrize("command", [pytest.param(c, marks=pytest.mark.slow) if c == "run" else c for c in COMMANDS])
def test_every_command_over_the_hostile_corpus_ends_in_vietnamese(tmp_path, capsys, command, name):
    p = _path(name, tmp_path)
    work = tmp_path / "lam"
    work.mkdir()
    code, text = run_cli(COMMANDS[command](p, work), capsys)
    assert code in (0, 1, 2), text
    assert "Traceback" not in text
    assert not any(s in text for s in CLICK_ENGLISH), text
    if code:
        assert p.name in text, text
        assert VIETNAMESE.search(text), text


@pytest.mark.parametrize("name, said", [
    ("doi_duoi.xls", "[lỗi] tệp doi_duoi.xls: Tệp là sổ Excel .xlsx nhưng có đuôi «.xls» → Cách sửa: Đổi tên tệp "
                     "cho đúng đuôi .xlsx (ví dụ: doi_duoi.xlsx) rồi dùng tệp đó"),
    ("xml_hong.xlsx", "[lỗi] tệp xml_hong.xlsx: Tệp .xlsx bị hỏng: phần XML của trang «chi_doan» không đọc được"),
    # a cell openpyxl cannot read (a number «NaN», a shared text past the list): refused, not a traceback
    *((name, f"[lỗi] tệp {name}: Tệp .xlsx bị hỏng: trang «chi_doan» có ô không đọc được, ở dòng có nội dung sau "
             "dòng 1 → Cách sửa: Mở "
             "tệp bằng Excel hoặc LibreOffice Calc: nếu mở được, lưu lại thành .xlsx rồi dùng tệp mới; nếu không, "
             "xin đơn vị gửi lại tệp") for name in ("so_hong.xlsx", "chu_mat.xlsx")),
    ("bom_thuc_the.xlsx", "[lỗi] tệp bom_thuc_the.xlsx: Tệp .xlsx có khai báo DOCTYPE/ENTITY trong phần "
                          "xl/worksheets/sheet2.xml: Excel không bao giờ ghi như vậy; đây là tệp bị sửa (có thể là "
                          "«bom XML») nên không được đọc → Cách sửa: Xin đơn vị gửi lại tệp số liệu gốc"),
])
def test_check_says_what_is_wrong_with_the_file_and_the_fix(tmp_path, capsys, name, said):
    code, text = run_cli(["check", str(CORPUS / name)], capsys)
    assert code == 1
    assert said in text


def test_a_directory_given_as_the_file_is_said_in_vietnamese(tmp_path, capsys):
    code, text = run_cli(["check", str(tmp_path)], capsys)
    assert code == 2
    assert text.strip() == (f"Lỗi tham số dòng lệnh: giá trị không hợp lệ cho 'FILE': «{tmp_path}» là một thư mục, "
                            "cần một tệp → Cách sửa: xem «tongket --help» hoặc «tongket <lệnh> --help»")


def test_a_problem_under_a_merged_range_is_marked_on_the_range(tmp_path, capsys):
    out = tmp_path / "van_de.xlsx"
    code, text = run_cli(["check", str(CORPUS / "o_gop.xlsx"), "--out", str(out)], capsys)
    assert code == 0, text
    ws = openpyxl.load_workbook(out)["chi_doan"]
    merged = [r for r in ws.merged_cells.ranges if r.min_row == 2]
    assert len(merged) == 1
    anchor = ws.cell(2, merged[0].min_col)
    assert anchor.comment is not None and "Ô trống" in anchor.comment.text


@pytest.mark.slow  # a batch
def test_a_district_without_any_doan_co_so_gets_its_documents(tmp_path, capsys):
    code, text = run_cli(["run", "--data", str(CORPUS / "huyen_khong_co_so.xlsx"), "--nam", "2021", "--engine",
                          "direct", "--jobs", "1", "--huyen", "H3", "--out", str(tmp_path)], capsys)
    assert code == 0, text
    assert "[xong] Huyện Đoàn Ba (H3)" in text
    took = next(line for line in text.splitlines() if "(H3) —" in line).rsplit("—", 1)[1].strip()
    assert re.fullmatch(r"\d+,\d giây", took), took  # «2,4 giây»: the decimal comma, never «2.4 giây»
    assert (tmp_path / "2021" / "H3" / "bao_cao_tong_ket.docx").exists()


@pytest.mark.xdist_group("templates")  # the bundled sample's fields, found once per worker
def test_templates_check_over_hostile_files(tmp_path, capsys):
    from docx import Document

    doc = Document()
    doc.add_paragraph("{{ cycler.__init__.__globals__.os.popen('touch " + str(tmp_path / "MARKER") + "').read() }}")
    doc.save(tmp_path / "mau_doc.docx")
    shutil.copy(CORPUS / "sach.xlsx", tmp_path / "doi_duoi.docx")  # a workbook renamed .docx
    with zipfile.ZipFile(ROOT / "templates" / "bao_cao_tong_ket.docx") as zin, \
            zipfile.ZipFile(tmp_path / "xml_hong.docx", "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item, data[: len(data) // 2] if item.filename == "word/document.xml" else data)
    (tmp_path / "thu_muc").mkdir()
    files = [tmp_path / n for n in ("mau_doc.docx", "doi_duoi.docx", "xml_hong.docx", "thu_muc")]
    code, text = run_cli(["templates", "check", *map(str, files)], capsys)
    assert code == 1
    assert "Traceback" not in text and not (tmp_path / "MARKER").exists()
    for name in ("mau_doc.docx", "doi_duoi.docx", "xml_hong.docx"):
        assert f"Mẫu {name}" in text
    assert "lỗi: mã lệnh «__globals__»: thẻ truy cập phần bên trong của Python («__globals__»)" in text
    assert text.count("không mở được như tệp Word .docx") == 2


# ------------------------------------------------------------------ full and read-only disks

def _mount(target: Path, options: str) -> None:
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("a small disk needs root to mount a tmpfs (mount -t tmpfs); not root here")
    target.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)], capture_output=True,
                          text=True)
    if done.returncode:
        pytest.skip(f"this machine does not allow mounting a tmpfs: {done.stderr.strip()}")


@pytest.fixture
def small_disk(tmp_path):
    disk = tmp_path / "dia"
    _mount(disk, "size=16m")  # room for one run's documents (the reports' optional sections included)
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


def _digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _fill(disk: Path, leave: int) -> None:
    """Fill the disk, then free `leave` bytes."""
    filler = disk / "day"
    with filler.open("wb", buffering=0) as fh:  # unbuffered: nothing left to flush on close once full
        try:
            while True:
                fh.write(b"\0" * 65536)
        except OSError:
            pass
    with filler.open("r+b") as fh:
        fh.truncate(max(0, filler.stat().st_size - leave))


@pytest.mark.slow  # a batch
def test_a_full_disk_keeps_earlier_outputs_and_a_manifest_saying_what_failed(small_disk, capsys):
    out = small_disk / "ra"
    args = ["run", "--data", str(CORPUS / "sach.xlsx"), "--nam", "2021", "--engine", "direct", "--jobs", "1",
            "--out", str(out)]
    code, text = run_cli(args, capsys)
    assert code == 0, text
    before = _digests(out)
    first = json.loads((out / "2021" / "manifest.json").read_text(encoding="utf-8"))
    _fill(small_disk, leave=48 * 1024)
    code, text = run_cli([*args, "--force"], capsys)
    assert code in (1, 2), text
    assert "Traceback" not in text
    assert "Ổ đĩa đầy" in text and "Cách sửa: giải phóng chỗ trên ổ đĩa" in text
    after = _digests(out)
    kept = {k: v for k, v in before.items() if not k.endswith(("manifest.json", "nhat_ky_chay.xlsx"))}
    assert {k: after.get(k) for k in kept} == kept  # every earlier document still there, unchanged
    manifest = json.loads((out / "2021" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["bat_dau"] != first["bat_dau"]  # this run's manifest, not the earlier one
    failed = [u for u in [*manifest["districts"], manifest["province"]] if u["status"] == "failed"]
    assert failed and manifest["that_bai"] == len(failed)
    assert all(u["error"].startswith("Ổ đĩa đầy") for u in failed)


@pytest.mark.slow  # a batch
def test_a_manifest_the_full_disk_refuses_mid_run_still_says_the_run_stopped(tmp_path, monkeypatch, capsys):
    """The disk fills as the run records its first unit: the run's staged files are removed first,
    so the manifest can still be written saying the run stopped («bi_ngat»), not left «đang chạy»
    with every unit pending as if the run went on."""
    import errno

    from tongket.batch import manifest, staging

    real = manifest.write_text

    def full_while_staging(path, text, *args, **kwargs):
        if any(Path(path).parent.glob(f"{staging.STAGING_PREFIX}*")):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return real(path, text, *args, **kwargs)

    monkeypatch.setattr(manifest, "write_text", full_while_staging)
    out = tmp_path / "ra"
    code, text = run_cli(["run", "--data", str(CORPUS / "sach.xlsx"), "--nam", "2021", "--engine", "direct",
                          "--jobs", "1", "--out", str(out)], capsys)
    assert code == 2 and "Traceback" not in text
    assert "Ổ đĩa đầy" in text and "Cách sửa: giải phóng chỗ trên ổ đĩa" in text
    written = json.loads((out / "2021" / "manifest.json").read_text(encoding="utf-8"))
    assert written["trang_thai"] == "bi_ngat"
    assert not list((out / "2021").glob(f"{staging.STAGING_PREFIX}*"))


def test_a_read_only_disk_is_said_in_vietnamese(tmp_path, capsys):
    disk = tmp_path / "chi_doc"
    _mount(disk, "ro,size=1m")
    try:
        code, text = run_cli(["run", "--data", str(CORPUS / "sach.xlsx"), "--nam", "2021", "--engine", "direct",
                              "--jobs", "1", "--out", str(disk / "ra")], capsys)
        assert code == 2
        assert "Traceback" not in text
        assert "Ổ đĩa chỉ cho đọc, không ghi được" in text
        assert "Cách sửa: chọn thư mục kết quả trên ổ đĩa ghi được bằng --out rồi chạy lại" in text
        code, text = run_cli(["assess", "--data", str(CORPUS / "sach.xlsx"), "--nam", "2021",
                              "--out", str(disk / "ket_qua.xlsx")], capsys)
        assert code == 2 and "Ổ đĩa chỉ cho đọc" in text
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


@pytest.mark.parametrize("errno_name, said", [
    ("ENOSPC", "Ổ đĩa đầy, không ghi được «/ra/x.docx» → Cách sửa: giải phóng chỗ trên ổ đĩa"),
    ("EROFS", "Ổ đĩa chỉ cho đọc, không ghi được «/ra/x.docx» → Cách sửa: chọn thư mục kết quả trên ổ đĩa ghi được"),
    ("EACCES", "Không có quyền ghi «/ra/x.docx» → Cách sửa: chọn thư mục kết quả mà bạn có quyền ghi"),
])
def test_disk_errors_are_said_once_at_the_top_and_other_errors_stay_bugs(monkeypatch, capsys, errno_name, said):
    import errno

    import tongket.batch.runner

    def fail(*args, **kwargs):
        raise OSError(getattr(errno, errno_name), os.strerror(getattr(errno, errno_name)), "/ra/x.docx")

    monkeypatch.setattr(tongket.batch.runner, "run", fail)
    code, text = run_cli(["run"], capsys)
    assert code == 2 and "Traceback" not in text
    assert text.startswith(said)

    def bug(*args, **kwargs):
        raise FileNotFoundError(errno.ENOENT, "No such file or directory", "/khong/co")

    monkeypatch.setattr(tongket.batch.runner, "run", bug)
    with pytest.raises(FileNotFoundError):  # not a disk problem: a bug keeps its traceback
        main(["run"])


def test_a_workbook_openpyxl_cannot_load_leaves_no_file_open():
    """`check --out` copies the workbook to mark its cells; openpyxl failing half-way through a
    damaged file used to leave the file open, and its warning then failed whatever ran at the next
    garbage collection."""
    import gc
    import warnings

    from tongket.intake.issues_book import _copy_of

    with warnings.catch_warnings():
        warnings.simplefilter("error", ResourceWarning)
        assert _copy_of(CORPUS / "xml_hong.xlsx") is None
        gc.collect()
