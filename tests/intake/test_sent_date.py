"""The date a unit sent its form decides whether it was late: read from the form's «Ngày gửi phiếu»
cell in every way a date is typed, and, where the cell holds something that is not a date, judged
on the file's last save with a warning naming file, sheet, row, column and value — never silently."""

from __future__ import annotations

import datetime as dt
import re
import zipfile

import openpyxl
import pytest

from conftest import fill_forms
from tongket.errors import WARNING
from tongket.intake.check import load
from tongket.intake.collect import collect
from tongket.intake.forms import GUIDE_SHEET, SENT_LABEL, write_forms
from tongket.rules.params import load_cycle

CYCLE = load_cycle()


@pytest.fixture(scope="module")
def st02(tmp_path_factory):
    data = load(CYCLE.data, CYCLE.scale, CYCLE.emulation)
    folder = tmp_path_factory.mktemp("phieu")
    write_forms(data, 2021, folder, CYCLE.han_nop, CYCLE.ten_ky, only=["ST02"])
    fill_forms(folder, data, 2021, dt.date(2021, 12, 5))
    return folder, data


def _typed(path, value, saved: dt.datetime):
    """The form with `value` typed in its sent-date cell, saved with the file property `saved` (UTC)."""
    wb = openpyxl.load_workbook(path)
    ws = wb[GUIDE_SHEET]
    row = next(c.row for c in ws["A"] if c.value == SENT_LABEL)
    ws.cell(row, 2).value = value
    wb.save(path)  # openpyxl stamps the save's own time: the property is set in the file afterwards
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    core = parts["docProps/core.xml"].decode()
    core = re.sub(r"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rf"\g<1>{saved:%Y-%m-%dT%H:%M:%SZ}\g<2>", core)
    parts["docProps/core.xml"] = core.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in parts.items():
            z.writestr(n, b)
    assert openpyxl.load_workbook(path).properties.modified == saved
    return row


CASES = [  # typed in the cell, the date read, where it comes from
    ("05/12/2021", dt.date(2021, 12, 5), "ô «Ngày gửi phiếu»"),
    (" 5-12-2021 ", dt.date(2021, 12, 5), "ô «Ngày gửi phiếu»"),
    ("2021-12-20", dt.date(2021, 12, 20), "ô «Ngày gửi phiếu»"),
    (44535, dt.date(2021, 12, 5), "ô «Ngày gửi phiếu»"),  # an Excel day number in a cell not formatted as a date
    ("32/12/2021", dt.date(2021, 12, 21), "thuộc tính tệp (lần lưu cuối)"),
    ("hôm qua", dt.date(2021, 12, 21), "thuộc tính tệp (lần lưu cuối)"),
    (5, dt.date(2021, 12, 21), "thuộc tính tệp (lần lưu cuối)"),  # the cell is a date: reads as 05/01/1900
    (1.5, dt.date(2021, 12, 21), "thuộc tính tệp (lần lưu cuối)"),
]
AS_READ = {5: dt.datetime(1900, 1, 5), 1.5: dt.datetime(1900, 1, 1, 12)}  # what the date-formatted cell holds


@pytest.mark.parametrize("typed, want, source", CASES)
def test_the_sent_date_is_read_or_the_fallback_is_said(tmp_path, st02, typed, want, source):
    import shutil

    folder, data = st02
    copy = tmp_path / "nop"
    shutil.copytree(folder, copy)
    form = copy / "ST02" / "ST02.01.xlsx"
    row = _typed(form, typed, dt.datetime(2021, 12, 20, 20, 0))  # 21/12 in Việt Nam (UTC+7)
    res = collect(copy, data, 2021, CYCLE.scale, CYCLE.emulation, CYCLE.han_nop)
    status = res.status.set_index("Mã đơn vị").loc["ST02.01"]
    assert (status["Ngày gửi"], status["Nguồn ngày gửi"]) == (f"{want:%d/%m/%Y}", source)
    assert status["Đúng hạn"] == ("Có" if want <= dt.date(2021, 12, 10) else "Không")
    said = [i for i in res.issues if i.sheet == GUIDE_SHEET]
    if source.startswith("ô"):
        assert said == []
    else:
        assert len(said) == 1
        i = said[0]
        assert (i.file, i.row, i.column, i.letter, i.value, i.severity) == (
            "ST02/ST02.01.xlsx", row, SENT_LABEL, "B", AS_READ.get(typed, typed), WARNING)
        assert i.rule == (f"Ô «{SENT_LABEL}» không phải ngày rõ nghĩa; hạn nộp được xét theo thuộc tính tệp "
                          "(lần lưu cuối): 21/12/2021")


def _collect_with(tmp_path, st02, edit):
    """Collect a copy of the forms in which ST02.01's guide sheet went through `edit(ws, row)` (row:
    its sent-date label's row), saved on 20/12/2021 20:00 UTC: ST02.01's status and the guide's issues."""
    import shutil

    folder, data = st02
    copy = tmp_path / "nop"
    shutil.copytree(folder, copy)
    form = copy / "ST02" / "ST02.01.xlsx"
    wb = openpyxl.load_workbook(form)
    ws = wb[GUIDE_SHEET]
    edit(ws, next(c.row for c in ws["A"] if c.value == SENT_LABEL))
    wb.save(form)
    _typed(form, wb[GUIDE_SHEET].cell(next(c.row for c in ws["A"] if c.value == SENT_LABEL), 2).value,
           dt.datetime(2021, 12, 20, 20, 0))
    res = collect(copy, data, 2021, CYCLE.scale, CYCLE.emulation, CYCLE.han_nop)
    status = res.status.set_index("Mã đơn vị").loc["ST02.01"]
    return (status["Ngày gửi"], status["Nguồn ngày gửi"]), [i for i in res.issues if i.sheet == GUIDE_SHEET]


def _second_label(first, second):
    def edit(ws, row):
        ws.cell(row, 2).value = first
        ws.cell(ws.max_row + 2, 1).value = SENT_LABEL
        ws.cell(ws.max_row, 2).value = second
    return edit


@pytest.mark.parametrize("first", [None, "hôm qua"])
def test_a_date_under_a_second_label_is_read(tmp_path, st02, first):
    status, said = _collect_with(tmp_path, st02, _second_label(first, "05/12/2021"))
    assert status == ("05/12/2021", "ô «Ngày gửi phiếu»") and said == []


def test_a_formula_without_a_stored_result_is_said_not_taken_as_blank(tmp_path, st02):
    def edit(ws, row):
        ws.cell(row, 2).value = "=DATE(2021,12,5)"  # openpyxl stores no result: the file reads blank
    status, said = _collect_with(tmp_path, st02, edit)
    assert status == ("21/12/2021", "thuộc tính tệp (lần lưu cuối)")
    assert [(i.row, i.value, i.severity) for i in said] == [(7, "=DATE(2021,12,5)", WARNING)]
    assert said[0].rule.startswith(f"Ô «{SENT_LABEL}» là công thức chưa có kết quả lưu trong tệp")


def test_a_blank_sent_date_falls_back_to_the_file_as_the_status_says(tmp_path, st02):
    status, said = _collect_with(tmp_path, st02, lambda ws, row: setattr(ws.cell(row, 2), "value", None))
    assert status == ("21/12/2021", "thuộc tính tệp (lần lưu cuối)") and said == []
