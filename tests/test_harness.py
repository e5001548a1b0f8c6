"""The test harness itself: every fixture path exists, `-m "not slow"` cannot start a batch, the
shared docx reader reads what a staffer reads, and the hypothesis profile follows CI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from hypothesis import settings as hypothesis_settings

import conftest
from helpers import docx_text, shift_clock


def test_every_path_constant_of_conftest_exists():
    constants = {name: value for name, value in vars(conftest).items() if isinstance(value, Path)}
    assert {"ROOT", "TESTS", "CORPUS", "GOLDEN"} <= set(constants)
    assert [name for name, path in constants.items() if not path.exists()] == []


@pytest.mark.parametrize("argv, what", [
    (["soffice", "--headless", "--version"], "LibreOffice"),
    (["/usr/lib/libreoffice/program/soffice.bin", "--version"], "LibreOffice"),
    ([sys.executable, "-m", "ipykernel_launcher", "-f", "k.json"], "a Jupyter kernel"),
    ([sys.executable, "-m", "tongket", "run", "--huyen", "ST05"], "a batch (tongket run)"),
    (["tongket", "run"], "a batch (tongket run)"),
    ([sys.executable, "-c", "from tongket.batch.runner import run; run()"], "a batch (tongket run)"),
])
def test_an_unmarked_test_cannot_start_a_slow_child(request, argv, what):
    with pytest.raises(pytest.fail.Exception, match="mark it @pytest.mark.slow"):
        subprocess.Popen(argv)
    assert request.node.stash[conftest.STARTED] == [what]
    request.node.stash[conftest.STARTED].clear()  # refused as it should be: this test passes


def test_an_unmarked_test_may_start_other_children():
    done = subprocess.run([sys.executable, "-c", "print('chạy được')"], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout == "chạy được\n"
    assert conftest._slow_child(["git", "describe"]) is None
    assert conftest._slow_child([sys.executable, "-m", "tongket", "check", "so_lieu.xlsx"]) is None


def test_an_unmarked_test_cannot_run_papermill_a_kernel_or_a_batch(request):
    from concurrent.futures import ProcessPoolExecutor

    import papermill
    from jupyter_client.manager import AsyncKernelManager, KernelManager

    calls = [lambda: papermill.execute_notebook("in.ipynb", "out.ipynb"),
             lambda: KernelManager().start_kernel(), lambda: AsyncKernelManager().start_kernel(),
             lambda: ProcessPoolExecutor(max_workers=2)]
    for call in calls:
        with pytest.raises(pytest.fail.Exception, match="mark it @pytest.mark.slow"):
            call()
    assert request.node.stash[conftest.STARTED] == ["papermill", "a Jupyter kernel", "a Jupyter kernel",
                                                     "a batch (its pool of worker processes)"]
    request.node.stash[conftest.STARTED].clear()


def test_a_run_refused_before_its_units_stays_a_unit_test(tmp_path):
    from tongket.batch.runner import run
    from tongket.errors import TongketError

    with pytest.raises(TongketError):
        run(engine="khong_co", out=tmp_path, progress=False)


def test_docx_text_reads_paragraphs_and_cells_in_reading_order(tmp_path):
    doc = Document()
    doc.add_paragraph("QUYẾT ĐỊNH")
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Mã", "Chi đoàn"
    table.cell(1, 0).text, table.cell(1, 1).text = "ST05.01", "Chi đoàn ấp 1 & 2 <mới>"
    table.cell(1, 1).add_paragraph("dòng hai")
    doc.add_paragraph("Điều 1. Công nhận 49 chi đoàn")
    doc.sections[0].footer.paragraphs[0].text = "Trang cuối"
    doc.save(tmp_path / "qd.docx")
    assert docx_text(tmp_path / "qd.docx").split("\n") == [
        "QUYẾT ĐỊNH", "Mã", "Chi đoàn", "ST05.01", "Chi đoàn ấp 1 & 2 <mới>", "dòng hai",
        "Điều 1. Công nhận 49 chi đoàn", "Trang cuối"]


def test_the_hypothesis_profile_follows_ci():
    expected = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
    assert hypothesis_settings.get_current_profile_name() == expected
    assert hypothesis_settings.default.derandomize == (expected == "ci")
    ci = hypothesis_settings.get_profile("ci")
    assert ci.derandomize and ci.deadline is None and ci.print_blob
    assert not hypothesis_settings.get_profile("dev").derandomize


def test_shift_clock_moves_the_clocks_the_writers_read(tmp_path, monkeypatch):
    import datetime as dt
    import io
    import time
    import zipfile

    import openpyxl

    year = dt.date.today().year
    shift_clock(monkeypatch, dt.timedelta(days=800))
    assert dt.date.today().year >= year + 2 and time.localtime().tm_year >= year + 2
    assert isinstance(dt.datetime(2021, 1, 1), dt.datetime) and isinstance(dt.datetime.now(), dt.date)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:  # what a zip entry written from memory is stamped with
        z.writestr("a.txt", "a")
    assert zipfile.ZipFile(buffer).getinfo("a.txt").date_time[0] >= year + 2
    openpyxl.Workbook().save(tmp_path / "a.xlsx")  # a workbook's "modified" property
    assert openpyxl.load_workbook(tmp_path / "a.xlsx").properties.modified.year >= year + 2


def test_make_clean_keeps_what_the_analyst_made(tmp_path):
    import shutil

    shutil.copy(conftest.ROOT / "Makefile", tmp_path / "Makefile")
    made = ["outputs/.gitkeep", "outputs/so_tay/so_tay_danh_gia.ipynb", "outputs/tai_len/so_lieu_huyen.xlsx",
            "outputs/2021/ST01/bao_cao_tong_ket.docx", "outputs/2021/manifest.json", "outputs/trinh_duyet/log.txt"]
    for f in made:
        (tmp_path / f).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / f).write_text("x")
    subprocess.run(["make", "-s", "clean"], cwd=tmp_path, check=True, capture_output=True)
    left = sorted(str(p.relative_to(tmp_path)) for p in (tmp_path / "outputs").rglob("*") if p.is_file())
    assert left == ["outputs/.gitkeep", "outputs/so_tay/so_tay_danh_gia.ipynb", "outputs/tai_len/so_lieu_huyen.xlsx"]
