"""Returned forms typed together (`columns.type_sheets`, what `tongket collect` does) read exactly as
each form typed alone: the same typed frame, the same issues in the same order, naming the same
file, sheet, row and column; and a column's issues come in row order, whatever the reasons."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import fill_forms
from tongket.intake.check import load
from tongket.intake.columns import type_sheet, type_sheets
from tongket.intake.forms import FIRST_DATA_ROW, write_forms
from tongket.intake.workbook import read_workbook
from tongket.rules.params import load_cycle

CYCLE = load_cycle()
CORPUS = Path(__file__).parents[1] / "corpus"
KEYS = ("chi_doan", "co_so", "dang_ky")
# What people type into a form's white cells: clear figures, and every kind of value the reader refuses
# or warns about (ambiguous thousands, a dash, text, a date, a formula's error, a stand-in for
# nothing, an old font encoding, a rating by label or by a code no scale has, a negative or huge count).
HOSTILE = [None, 0, 7, 2.5, -3, 10**9, "1,000", "1.000", "1.5.2", "12 000", "abc", "25 đv", "–", "…", "nan", "#DIV/0!",
           "Có", "Không", "Cã", "x", "HTXSNV", "Hoàn thành tốt nhiệm vụ", "loai_z", "30%", "  ", True,
           dt.datetime(2021, 3, 4), dt.time(8, 30)]  # «1/2», «1:2» typed where Excel makes a date or a time


@pytest.fixture(scope="module")
def forms(tmp_path_factory) -> list[Path]:
    data = load(CYCLE.data, CYCLE.scale, CYCLE.emulation)
    folder = tmp_path_factory.mktemp("phieu")
    write_forms(data, 2021, folder, CYCLE.han_nop, CYCLE.ten_ky, only=["ST02", "ST06"])
    fill_forms(folder, data, 2021)
    return sorted(folder.rglob("*.xlsx"))


def _alone(raws, key):
    out = []
    for raw in raws:
        issues: list = []
        try:
            out.append((type_sheet(raw, key, CYCLE.scale, issues, CYCLE.emulation), issues))
        except Exception as exc:  # noqa: BLE001 - compared with what typing together says of it
            out.append(exc)
    return out


def _assert_same(raws, key):
    together = type_sheets(raws, key, CYCLE.scale, CYCLE.emulation)
    alone = _alone(raws, key)
    assert len(together) == len(alone) == len(raws)
    said = 0
    for raw, a, b in zip(raws, alone, together):
        if isinstance(a, Exception):
            assert type(a) is type(b), raw.path
            continue
        pd.testing.assert_frame_equal(b[0], a[0], check_exact=True, obj=f"{raw.path.name} {key}")
        assert b[1] == a[1], raw.path.name
        said += len(a[1])
    return said


def _spoil(path: Path, out: Path, seed: int) -> Path:
    """A copy of a filled form with some white cells overtyped with hostile values."""
    rng = random.Random(seed)
    wb = openpyxl.load_workbook(path)
    for key in ("chi_doan", "co_so"):
        if key not in wb.sheetnames:
            continue
        ws = wb[key]
        for _ in range(rng.randint(0, 12)):
            r = rng.randint(FIRST_DATA_ROW, max(FIRST_DATA_ROW, ws.max_row))
            c = rng.randint(4, ws.max_column)
            if not ws.cell(r, c).protection.locked:
                ws.cell(r, c).value = rng.choice(HOSTILE)
    wb.save(out)
    return out


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10**6))
def test_forms_typed_together_read_as_each_alone(tmp_path_factory, forms, seed):
    folder = tmp_path_factory.mktemp("hong")
    picked = random.Random(seed).sample(forms, 10)
    raws = [read_workbook(_spoil(p, folder / f"{i}_{p.name}", seed + i), required=()) for i, p in enumerate(picked)]
    said = sum(_assert_same(raws, key) for key in KEYS)
    assert said > 0  # the blank and hostile cells are said, form by form


def test_the_corpus_typed_together_reads_as_each_alone():
    raws = []
    for p in sorted(CORPUS.iterdir()):
        try:
            raws.append(read_workbook(p, required=()))
        except Exception:  # noqa: BLE001 - a file the reader refuses never reaches typing
            continue
    assert len(raws) >= 20
    said = sum(_assert_same(raws + raws[:5], key) for key in (*KEYS, "don_vi"))  # the same layout twice, too
    assert said > 10  # (20 today: the corpus is about the reader; typing is the forms test's)


def test_a_columns_issues_come_in_row_order_form_by_form(tmp_path, forms):
    """Two reasons in one column, met in opposite order in two forms: each form's issues in its rows' order."""
    values = {0: ["abc", "1,000", "abc"], 1: ["1,000", "abc", "1,000"]}
    raws = []
    for i, typed in values.items():
        wb = openpyxl.load_workbook(forms[i])
        ws = wb["chi_doan"]
        col = next(c.column for c in ws[FIRST_DATA_ROW - 1] if c.value == "Số đoàn viên")
        for r, v in enumerate(typed, start=FIRST_DATA_ROW):
            ws.cell(r, col).value = v
        wb.save(tmp_path / f"{i}.xlsx")
        raws.append(read_workbook(tmp_path / f"{i}.xlsx", required=()))
    together = type_sheets(raws, "chi_doan", CYCLE.scale, CYCLE.emulation)
    for (frame, issues), typed in zip(together, values.values()):
        mine = [i for i in issues if i.column == "Số đoàn viên (E)"]
        assert [(i.row, i.value) for i in mine] == [(FIRST_DATA_ROW + k, v) for k, v in enumerate(typed)]
        assert [i.rule.startswith("Không phải là số rõ nghĩa") for i in mine] == [v == "1,000" for v in typed]
        assert frame["so_doan_vien"].iloc[:3].isna().all()  # refused, never read as a figure


def test_a_column_whose_only_figure_is_a_date_is_read_the_same_alone_or_stacked(tmp_path, forms):
    """A count column whose only figure is a date (typed «4/3»: Excel made it a date) became a column of
    dates: its blanks read as -9.223.372.036.854.775.808 («Số lượng không được âm», errors that held the
    rows back) and the date as nanoseconds («quá lớn»), in a form typed alone; stacked with forms of
    figures, the same form read right. Now both say what is there: a date, and blanks."""
    wb = openpyxl.load_workbook(forms[0])
    ws = wb["chi_doan"]
    col = next(c.column for c in ws[FIRST_DATA_ROW - 1] if c.value == "Số đoàn viên vi phạm pháp luật")
    for r in range(FIRST_DATA_ROW, ws.max_row + 1):
        ws.cell(r, col).value = None
    ws.cell(FIRST_DATA_ROW, col).value = dt.datetime(2021, 3, 4)
    wb.save(tmp_path / "ngay.xlsx")
    raws = [read_workbook(tmp_path / "ngay.xlsx", required=()), *(read_workbook(p, required=()) for p in forms[1:4])]
    for together in (type_sheets(raws[:1], "chi_doan", CYCLE.scale, CYCLE.emulation),
                     type_sheets(raws, "chi_doan", CYCLE.scale, CYCLE.emulation)):
        frame, issues = together[0]
        mine = [i for i in issues if i.column and i.column.startswith("Số đoàn viên vi phạm pháp luật")]
        blank = "Ô trống: chưa có số liệu (ô trống không được hiểu là 0)"
        dated = [(i.row, i.severity) for i in mine if i.rule != blank]
        assert dated == [(FIRST_DATA_ROW, "lỗi")] and "ô là ngày giờ" in next(i.rule for i in mine if i.rule != blank)
        assert sorted(i.row for i in mine if i.rule == blank) == list(range(FIRST_DATA_ROW + 1, FIRST_DATA_ROW + len(frame)))
        assert frame["so_dv_vi_pham_phap_luat"].isna().all()  # neither the date nor a blank read as a figure
    assert _assert_same(raws, "chi_doan") > 0
