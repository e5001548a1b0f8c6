"""Member ratings in the chi_doan sheet (contract §6.2): each year on its own scale, levels adding up."""

from __future__ import annotations

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import branch, small_rows, small_tree, write_exchange
from tongket.errors import ERROR, WARNING
from tongket.intake.check import load
from tongket.intake.members import row_issues
from tongket.rules.members import load_member_scale
from tongket.rules.params import load_cycle

SCALE = load_cycle().scale
NEW = {"so_dv_duoc_danh_gia": 18, "so_dv_htxs": 3, "so_dv_htt": 9, "so_dv_ht": 5, "so_dv_kht": 1}
OLD = {"so_dv_duoc_danh_gia": 18, "so_dv_xs": 2, "so_dv_kha": 10, "so_dv_tb": 5, "so_dv_yeu": 1}


def _letter(path, key: str) -> str:
    ws = openpyxl.load_workbook(path)["chi_doan"]
    return next(c.column_letter for c in ws[1] if c.value == key)


def _member_issues(path):
    return [i for i in load(path, SCALE).issues if "đoàn viên" in (i.column or "").lower()
            and ("đánh giá" in (i.column or "") or "xếp loại" in (i.column or "") or "nhiệm vụ" in (i.column or ""))]


def test_the_scale_by_period_is_data():
    scale = load_member_scale()
    assert [lv.label for lv in scale.levels(2019)] == ["Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ",
                                                       "Hoàn thành nhiệm vụ", "Không hoàn thành nhiệm vụ"]
    assert [lv.label for lv in scale.levels(2018)] == ["Xuất sắc", "Khá", "Trung bình", "Yếu"]
    assert scale.period(2030).columns == ["so_dv_htxs", "so_dv_htt", "so_dv_ht", "so_dv_kht"]


def test_consistent_ratings_on_both_scales_are_clean(tmp_path):
    cd = [branch("C1.1", 2018, **OLD), branch("C1.1", 2019, **NEW), branch("C1.2", 2019, **NEW)]
    path = write_exchange(tmp_path / "ok.xlsx", small_tree(), cd, [])
    assert _member_issues(path) == []


def test_levels_not_adding_up_is_an_error_at_the_assessed_cell(tmp_path):
    cd = [branch("C1.1", 2021, **{**NEW, "so_dv_ht": 6})]
    path = write_exchange(tmp_path / "sum.xlsx", small_tree(), cd, [])
    found = _member_issues(path)
    assert len(found) == 1
    i = found[0]
    col = _letter(path, "so_dv_duoc_danh_gia")
    assert (i.severity, i.sheet, i.row, i.value, i.cell) == (ERROR, "chi_doan", 2, 18, f"{col}2")
    assert i.column == f"Số đoàn viên được đánh giá ({col})"
    assert i.rule == ("Tổng số đoàn viên các mức xếp loại (3 + 9 + 6 + 1 = 19) khác số đoàn viên được đánh giá (18)")


def test_more_assessed_than_members_is_an_error(tmp_path):
    rates = {"so_dv_duoc_danh_gia": 25, "so_dv_htxs": 5, "so_dv_htt": 10, "so_dv_ht": 10, "so_dv_kht": 0}
    path = write_exchange(tmp_path / "over.xlsx", small_tree(), [branch("C1.1", 2021, **rates)], [])
    found = _member_issues(path)
    assert [(i.severity, i.row, i.value, i.rule) for i in found] == [
        (ERROR, 2, 25, "Số đoàn viên được đánh giá lớn hơn số đoàn viên (20)")]


def test_a_level_of_the_other_period_is_an_error(tmp_path):
    cd = [branch("C1.1", 2017, **OLD, so_dv_htxs=2), branch("C1.2", 2020, **NEW, so_dv_kha=1)]
    path = write_exchange(tmp_path / "period.xlsx", small_tree(), cd, [])
    found = _member_issues(path)
    assert [(i.severity, i.row, i.column.split(" (")[0], i.value) for i in found] == [
        (ERROR, 2, "Số đoàn viên hoàn thành xuất sắc nhiệm vụ", 2),
        (ERROR, 3, "Số đoàn viên xếp loại khá", 1)]
    assert found[0].rule == ("Năm 2017 không dùng mức này để xếp loại đoàn viên (thang năm 2017: Xuất sắc, Khá, "
                             "Trung bình, Yếu)")


def test_blank_levels_are_warnings_and_never_summed_as_zero(tmp_path):
    row = {**NEW, "so_dv_ht": None, "so_dv_kht": None}
    path = write_exchange(tmp_path / "blank.xlsx", small_tree(), [branch("C1.1", 2021, **row)], [])
    found = _member_issues(path)
    # 3 + 9 (given) is below 18: no sum error invented from the blanks, each blank said
    assert [(i.severity, i.column.split(" (")[0]) for i in found] == [
        (WARNING, "Số đoàn viên hoàn thành nhiệm vụ"), (WARNING, "Số đoàn viên không hoàn thành nhiệm vụ")]
    assert "ô trống không được hiểu là 0" in found[0].rule
    d = load(path, SCALE)
    assert d.chi_doan["so_dv_ht"].isna().all()


def test_given_levels_already_above_the_assessed_is_an_error_even_with_blanks(tmp_path):
    row = {"so_dv_duoc_danh_gia": 10, "so_dv_htxs": 6, "so_dv_htt": 7}
    path = write_exchange(tmp_path / "part.xlsx", small_tree(), [branch("C1.1", 2021, **row)], [])
    errors = [i for i in _member_issues(path) if i.severity == ERROR]
    assert [i.rule for i in errors] == [
        "Các mức xếp loại đã điền cộng lại (13) đã lớn hơn số đoàn viên được đánh giá (10)"]


def test_a_workbook_without_member_columns_reads_as_before(small_workbook, tmp_path):
    cd, cs = small_rows()
    before = [str(i) for i in load(small_workbook, SCALE).issues]
    assert not any("xếp loại đoàn viên" in s for s in before)
    # only the assessed count collected (no level columns): no warning about absent columns
    cd2 = [dict(r, so_dv_duoc_danh_gia=15) for r in cd]
    path = write_exchange(tmp_path / "only.xlsx", small_tree(), cd2, cs)
    assert [str(i) for i in load(path, SCALE).issues] == [s.replace("nho.xlsx", "only.xlsx") for s in before]


def test_forms_carry_the_years_own_levels_and_collect_checks_them(tmp_path):
    import datetime as dt

    from conftest import fill_forms
    from tongket.intake.collect import collect
    from tongket.intake.forms import FIRST_DATA_ROW, write_forms

    cd = [branch("C1.1", 2018, **OLD), branch("C1.1", 2020, **NEW), branch("C1.2", 2020, **NEW)]
    data = load(write_exchange(tmp_path / "master.xlsx", small_tree(), cd, []), SCALE)
    forms = write_forms(data, 2020, tmp_path / "phieu", only=["C1"])
    ws = openpyxl.load_workbook(forms[0].path)["chi_doan"]
    header = [c.value for c in ws[FIRST_DATA_ROW - 1]]
    assert "Số đoàn viên hoàn thành xuất sắc nhiệm vụ" in header and "Số đoàn viên được đánh giá" in header
    assert not [h for h in header if h and "xếp loại khá" in h]  # the old scale's levels are not asked for 2020
    fill_forms(tmp_path / "phieu", data, 2020, dt.date(2020, 12, 5))
    res = collect(tmp_path / "phieu", data, 2020, SCALE)
    assert [str(i) for i in res.errors] == []
    wb = openpyxl.load_workbook(forms[0].path)
    ws = wb["chi_doan"]
    col = [c.value for c in ws[FIRST_DATA_ROW - 1]].index("Số đoàn viên hoàn thành tốt nhiệm vụ") + 1
    row = next(r for r in range(FIRST_DATA_ROW, ws.max_row + 1) if ws.cell(r, 1).value == "C1.2")
    ws.cell(row, col).value = 10
    wb.save(forms[0].path)
    errors = collect(tmp_path / "phieu", data, 2020, SCALE).errors
    assert [(e.row, e.rule) for e in errors] == [
        (row, "Tổng số đoàn viên các mức xếp loại (3 + 10 + 5 + 1 = 19) khác số đoàn viên được đánh giá (18)")]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from([2017, 2021]), st.lists(st.one_of(st.none(), st.integers(0, 50)), min_size=4, max_size=4),
       st.one_of(st.none(), st.integers(0, 120)), st.integers(0, 120))
def test_a_sum_error_only_when_every_level_is_given_and_blanks_are_never_zero(nam, levels, assessed, members):
    """The levels-add-up error appears exactly when the year's levels and the assessed are all given
    and differ; with a blank, only figures already too large are refused and each blank is a warning."""
    import pandas as pd

    scale = load_member_scale()
    cols = scale.period(nam).columns
    r = pd.Series({"_row": 5, "nam": nam, "so_doan_vien": members, "so_dv_duoc_danh_gia": assessed,
                   **dict(zip(cols, levels))}, dtype=object).map(lambda v: pd.NA if v is None else v)
    found = row_issues(r, nam, "f.xlsx", "chi_doan", {}, scale)
    errors = [i.rule for i in found if i.severity == ERROR]
    complete = assessed is not None and all(v is not None for v in levels)
    total = sum(v for v in levels if v is not None)
    sum_error = [e for e in errors if e.startswith("Tổng số đoàn viên các mức")]
    assert bool(sum_error) == (complete and total != assessed)
    over = [e for e in errors if e.startswith("Số đoàn viên được đánh giá lớn hơn")]
    assert bool(over) == (assessed is not None and assessed > members)
    partial_over = [e for e in errors if e.startswith("Các mức xếp loại đã điền")]
    top = assessed if assessed is not None else members
    assert bool(partial_over) == (not complete and total > top and any(v is not None for v in levels))
    blanks = [i for i in found if i.severity == WARNING]
    given_any = assessed is not None or any(v is not None for v in levels)
    assert len(blanks) == (0 if complete or not given_any else levels.count(None) + (assessed is None))
