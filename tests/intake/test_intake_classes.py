"""Issue 15 A: nothing read differently than typed. One test (property-based where the class is
open) per class: units that sent nothing, headers, numbers, defaults, legacy encodings, parameters."""

from __future__ import annotations

import copy
import shutil
import unicodedata
from datetime import date, datetime
from datetime import time as dt_time
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import copy_sample, small_rows, small_tree, write_exchange
from tongket.cli import main
from tongket.common import paths
from tongket.common.schema import ALL_SHEETS
from tongket.common.xlsx import FORMULA_ERRORS, STAND_INS
from tongket.errors import ERROR, WARNING, ConfigError
from tongket.intake.cells import excel_digits, number_text
from tongket.intake.check import load, validate
from tongket.intake.coverage import DERIVED, cycle_issues, measure_inputs, missing_rows, readers
from tongket.intake.legacy import _TCVN3_FROM, _TCVN3_TO, _implausible, decide_and_doubt, to_unicode
from tongket.intake.workbook import read_workbook
from tongket.rules.params import load_cycle
from tongket.rules.scoresheet import MEASURES

CYCLE = load_cycle()
SCALE = CYCLE.scale
FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _complete(rows_cs: list[dict]) -> list[dict]:
    return [{**r, "dot_cao_diem": "Có"} for r in rows_cs]


def _tree() -> list[dict]:
    return [{**u, "dac_thu": "Không"} for u in small_tree()]


def _book(tmp: Path, name: str = "sach.xlsx", cd=None, cs=None, tree=None) -> Path:
    """The small workbook with every column the bundled cycle reads: no issue but blanks."""
    c, s = small_rows()
    return write_exchange(tmp / name, tree or _tree(), c if cd is None else cd, _complete(s) if cs is None else cs)


def _check(path: Path, *args: str) -> tuple[int, str]:
    try:
        main(["check", str(path), *args])
    except SystemExit as exc:
        return int(exc.code or 0), ""
    return 0, ""


def test_the_complete_small_workbook_is_clean_for_the_cycle(tmp_path):
    raw = read_workbook(_book(tmp_path))
    data = validate(raw, SCALE)
    assert [str(i) for i in data.issues + cycle_issues(raw, data, CYCLE, 2021)] == []


# --- 1. a reporting unit that sent nothing --------------------------------------------------------

def _blank_rows(path: Path, sheet: str, codes: set[str], nam: int) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    for row in ws.iter_rows(min_row=2):
        if row[0].value in codes and row[1].value == nam:
            for c in row:
                c.value = None
    wb.save(path)


@pytest.fixture(scope="module")
def without_st02(tmp_path_factory) -> Path:
    """The sample with every 2021 row of Huyện Đoàn Phú Mỹ (ST02) deleted from chi_doan and co_so."""
    path = copy_sample(tmp_path_factory.mktemp("st02"))
    d = load(paths.SAMPLE_DATA, SCALE)
    from tongket.common.units import ancestors

    tree = ancestors(d.don_vi)
    st02 = set(tree.index[tree["ma_huyen"] == "ST02"])
    _blank_rows(path, "chi_doan", st02, 2021)
    _blank_rows(path, "co_so", st02, 2021)
    return path


def test_a_district_that_sent_nothing_is_an_error_of_that_district_alone(without_st02, capsys):
    d = load(without_st02, SCALE, cycle=CYCLE)
    errors = d.errors
    assert [(i.ma_huyen, i.severity) for i in errors] == [("ST02", ERROR)]
    assert errors[0].rule == ("Huyện Đoàn Phú Mỹ (ST02) chưa gửi số liệu năm 2021: không có dòng nào của 97 chi "
                              "đoàn và 13 Đoàn cơ sở của đơn vị ở trang chi_doan và co_so; văn bản của đơn vị này "
                              "không được lập")
    clean = d.without({"ST02"})  # the batch's way: the district is left out, every other one kept
    assert clean.errors == [] and "ST02" not in set(clean.don_vi["ma_don_vi"])
    assert set(clean.don_vi.loc[clean.don_vi["cap"] == "huyen", "ma_don_vi"]) == {"ST01", "ST03", "ST04", "ST05",
                                                                                  "ST06"}
    assert _check(without_st02) == (1, "")
    out = capsys.readouterr().out
    assert "[lỗi] tệp tinh_mau.xlsx, trang chi_doan: Huyện Đoàn Phú Mỹ (ST02) chưa gửi số liệu năm 2021" in out
    assert "Có 1 lỗi và" in out


def test_a_district_that_sent_its_co_so_rows_and_no_branch_row_is_held_back_not_reported_as_having_no_branch(
        tmp_path, capsys):
    """Every 2021 chi_doan row of ST01 gone, its co_so rows kept: its report used to say «Đơn vị
    không có chi đoàn trên địa bàn dân cư nên không đánh giá tiêu chí chi đoàn đạt chuẩn» and «0/80
    chi đoàn đã đăng ký đạt chuẩn» (93 branches in its tree), with warnings only."""
    from tongket import open_review
    from tongket.common.units import ancestors

    path = copy_sample(tmp_path)
    d = load(paths.SAMPLE_DATA, SCALE)
    tree = ancestors(d.don_vi)
    _blank_rows(path, "chi_doan", set(tree.index[tree["ma_huyen"] == "ST01"]), 2021)
    errors = load(path, SCALE, cycle=CYCLE).errors
    assert [(i.ma_huyen, i.sheet, i.severity) for i in errors] == [("ST01", "chi_doan", ERROR)]
    assert errors[0].rule == ("Thành Đoàn Tân An (ST01) chưa gửi đủ số liệu năm 2021: trang chi_doan không có dòng "
                              "nào của 93 chi đoàn của đơn vị, dù trang co_so có; văn bản của đơn vị này không được "
                              "lập")
    assert _check(path) == (1, "")
    assert "Có 1 lỗi và" in capsys.readouterr().out
    review = open_review(data=path)
    assert list(review.excluded) == ["ST01"]
    assert "ST01" not in set(review.results.year(2021).huyen["ma_don_vi"])


def test_a_district_whose_residential_branches_sent_nothing_is_held_back_and_an_earlier_gap_is_warned(tmp_path):
    """Only ST01's non-residential branches (military, schools, its hospital) sent 2021 rows: its report
    said «Đơn vị không có chi đoàn trên địa bàn dân cư…» beside «80/83 chi đoàn trên địa bàn dân cư
    … đăng ký». ST03 sent no branch row for 2020: its 2021 report said «tăng 876 đoàn viên (từ 0
    lên 876) so với năm 2020», with no word from check."""
    from tongket.common.units import ancestors

    path = copy_sample(tmp_path)
    d = load(paths.SAMPLE_DATA, SCALE)
    tree = ancestors(d.don_vi)
    units = d.don_vi.set_index("ma_don_vi")
    st01 = tree.index[(tree["ma_huyen"] == "ST01") & (units.reindex(tree.index)["loai_hinh"] == "dan_cu")]
    _blank_rows(path, "chi_doan", set(st01) & set(units.index[units["cap"] == "chi_doan"]), 2021)
    _blank_rows(path, "chi_doan", set(tree.index[tree["ma_huyen"] == "ST03"]), 2020)
    issues = load(path, SCALE, cycle=CYCLE).issues
    errors = [i for i in issues if i.severity == ERROR]
    assert [(i.ma_huyen, i.sheet) for i in errors] == [("ST01", "chi_doan")]
    assert errors[0].rule.startswith("Thành Đoàn Tân An (ST01) chưa gửi đủ số liệu năm 2021: trang chi_doan không "
                                     "có dòng nào của 83 chi đoàn trên địa bàn dân cư của đơn vị (chỉ có dòng của 10 "
                                     "chi đoàn khác), nên không đánh giá được tiêu chí chi đoàn đạt chuẩn")
    earlier = [i for i in issues if "các so sánh với năm" in i.rule]
    assert [(i.ma_huyen, i.severity, i.rule) for i in earlier] == [
        ("ST03", WARNING, "Huyện Đoàn Long Điền (ST03): năm 2020, trang chi_doan không có dòng nào của 99 chi đoàn "
                          "của đơn vị, dù trang co_so có; các so sánh với năm 2020 trong văn bản của đơn vị ghi «chưa "
                          "có số liệu»")]


def test_a_co_so_whose_branches_sent_nothing_is_not_said_to_have_none(tmp_path):
    """ST02.03's nine residential branches sent no 2021 row (its own row did): its assessment sheet
    said «Đơn vị không có chi đoàn trên địa bàn dân cư nên không đánh giá…» above a table of the
    nine, each «Chưa gửi số liệu». The district is complete enough to be reported (a warning)."""
    from tongket import open_review
    from tongket.assessment.rewards import proposals
    from tongket.documents.contexts import phieu_danh_gia

    path = copy_sample(tmp_path)
    d = load(paths.SAMPLE_DATA, SCALE)
    _blank_rows(path, "chi_doan", set(d.don_vi.loc[d.don_vi["ma_cap_tren"] == "ST02.03", "ma_don_vi"]), 2021)
    review = open_review(data=path)
    assert not review.excluded
    ctx, _ = phieu_danh_gia(review, "ST02.03", 2021)
    assert ctx["tom_tat_chi_doan"] == ("Có 9 chi đoàn trên địa bàn dân cư của đơn vị chưa gửi số liệu năm 2021 nên "
                                       "chưa đánh giá được tiêu chí chi đoàn đạt chuẩn.")
    assert [b["ket_qua"] for b in ctx["chi_doan"]].count("Chưa gửi số liệu") == 9
    from tongket.documents.rows import co_so_rows  # the district report's table: not «–» as for a unit with none

    row = next(r for r in co_so_rows(review.results.of_unit("ST02").year(2021).co_so, review)
               if r["ten"] == "Đoàn xã Bình Tâm")
    assert (row["so_dan_cu"], row["ty_le"]) == ("Chưa gửi số liệu (9)", "–")
    from tongket import explain_unit  # the notebooks' every condition: not «Không đạt» on blanks

    said = explain_unit(review, "ST02.03", 2021)
    assert len(said) and set(said["Điều kiện"]) == set(said["Tiêu chí đạt"]) == {"Chưa gửi số liệu"}
    rule = review.cycle.khen_thuong
    assert rule is not None and rule.chi_doan_dat_chuan is not None
    said = proposals(review.results, rule, review.cycle.scale, 2021)
    text = " ".join(str(v) for v in said[said["ma_don_vi"] == "ST02.03"].to_numpy().ravel())
    assert "chi đoàn trên địa bàn dân cư chưa gửi số liệu" in text
    assert "không có chi đoàn trên địa bàn dân cư" not in text


def test_a_sheet_without_the_year_is_one_error_not_one_per_district(tmp_path):
    """The co_so sheet with no 2021 row at all (the chi_doan sheet has 520): was «Không có lỗi … dùng
    được» (every report then had no “3 chủ động” and no rating), then one half-return error per district."""
    path = copy_sample(tmp_path)
    d = load(paths.SAMPLE_DATA, SCALE)
    _blank_rows(path, "co_so", set(d.don_vi["ma_don_vi"]), 2021)
    errors = load(path, SCALE, cycle=CYCLE).errors
    assert [(i.sheet, i.ma_huyen, i.rule) for i in errors] == [
        ("co_so", None, "Trang co_so không có dòng nào của năm 2021 (trang chi_doan có 520 dòng của năm này): không "
                        "đơn vị nào lập được văn bản")]


@pytest.mark.slow
def test_a_district_with_a_co_so_whose_branches_sent_nothing_is_written_and_reads_back_clean(tmp_path):
    """The same ST02.03, through `run`: the district's table says «Chưa gửi số liệu (9)» and its own
    read-back check (which compared the cell with the count 0 and failed the district) passes."""
    from helpers import document_text

    path = copy_sample(tmp_path)
    d = load(paths.SAMPLE_DATA, SCALE)
    _blank_rows(path, "chi_doan", set(d.don_vi.loc[d.don_vi["ma_cap_tren"] == "ST02.03", "ma_don_vi"]), 2021)
    out = tmp_path / "ra"
    try:
        main(["run", "--data", str(path), "--nam", "2021", "--engine", "direct", "--jobs", "1", "--ma-bao-cao", "ST02",
              "--out", str(out)])
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    assert code == 0
    assert "5 | Đoàn xã Bình Tâm | Chưa gửi số liệu (9) | – | – | – |" in document_text(
        out / "2021" / "ST02" / "bao_cao_tong_ket.docx")


def test_check_lists_the_sample_branches_without_a_row_for_the_year_asked(capsys):
    assert _check(paths.SAMPLE_DATA, "--nam", "2020") == (0, "")
    out = capsys.readouterr().out
    listed = [line for line in out.splitlines() if "chưa có dòng số liệu năm 2020" in line]
    assert sum(line.count("(ST0") for line in listed) == 530 - 524 + len(listed)  # each line names its district
    assert _check(paths.SAMPLE_DATA, "--nam", "2030") == (1, "")
    assert "Năm 2030 không có trong dữ liệu (dữ liệu có: 2018, 2019, 2020, 2021)" in capsys.readouterr().out


def test_a_chi_doan_sheet_with_only_its_header_is_an_error(tmp_path):
    path = _book(tmp_path, cd=[])
    d = load(path, SCALE)
    assert [(i.sheet, i.row, i.rule[:40]) for i in d.errors] == [
        ("chi_doan", 1, "Trang chi_doan chỉ có dòng tiêu đề, khôn")]


def test_per_co_so_reporting_a_co_so_that_sent_nothing_fails_alone(tmp_path):
    cd, cs = small_rows()
    cd = [r for r in cd if not (r["ma_don_vi"] == "C3.1" and r["nam"] == 2021)]
    cs = [r for r in _complete(cs) if not (r["ma_don_vi"] == "C3" and r["nam"] == 2021)]
    raw = read_workbook(_book(tmp_path, cd=cd, cs=cs))
    data = validate(raw, SCALE)
    by_co_so = cycle_issues(raw, data, load_cycle(cap_bao_cao="co_so"), 2021)
    assert [(i.severity, i.ma_co_so, i.ma_huyen) for i in by_co_so] == [(ERROR, "C3", "H2")]
    by_huyen = cycle_issues(raw, data, CYCLE, 2021)
    assert [(i.severity, i.ma_huyen, i.reporting_unit("huyen")) for i in by_huyen] == [(ERROR, "H2", "H2")]
    assert by_huyen[0].rule.startswith("Huyện Đoàn Hai (H2) chưa gửi số liệu năm 2021: không có dòng nào của 1 chi "
                                       "đoàn và 1 Đoàn cơ sở")


@pytest.fixture(scope="module")
def small_data(tmp_path_factory):
    raw = read_workbook(_book(tmp_path_factory.mktemp("cov")))
    return validate(raw, SCALE)


UNITS = ["C1", "C2", "C3", "C1.1", "C1.2", "C1.3", "C1.4", "C1.S", "C2.1", "C2.2", "C3.1"]


@FAST
@given(gone=st.sets(st.sampled_from(UNITS)), cap=st.sampled_from(["huyen", "co_so"]))
def test_every_unit_without_a_row_is_listed_and_only_a_silent_or_half_silent_reporting_unit_fails(small_data, gone,
                                                                                                   cap):
    d = small_data
    keep = lambda f: f[~(f["ma_don_vi"].isin(gone) & (f["nam"] == 2021))]
    data = type(d)(d.path, d.don_vi, keep(d.chi_doan), keep(d.co_so), [], d.optional)
    found = missing_rows(data, load_cycle(cap_bao_cao=cap), 2021)
    listed = " ".join(i.rule for i in found)
    members = {"huyen": {"H1": {"C1", "C2", "C1.1", "C1.2", "C1.3", "C1.4", "C1.S", "C2.1", "C2.2"},
                         "H2": {"C3", "C3.1"}},
               "co_so": {"C1": {"C1", "C1.1", "C1.2", "C1.3", "C1.4", "C1.S"}, "C2": {"C2", "C2.1", "C2.2"},
                         "C3": {"C3", "C3.1"}}}[cap]
    co_so, dan_cu = {"C1", "C2", "C3"}, {"C1.1", "C1.2", "C1.3", "C1.4", "C2.1", "C2.2", "C3.1"}  # C1.S: a school
    # silent: none of its units sent a row; half silent: none of its Đoàn cơ sở, none of its chi
    # đoàn, or none of its residential chi đoàn (the only ones chi đoàn đạt chuẩn is judged on)
    silent = {r for r, m in members.items()
              if m <= gone or (m & co_so) <= gone or (m - co_so) <= gone or (m & dan_cu) <= gone}
    assert {i.reporting_unit(cap) for i in found if i.severity == ERROR} == silent
    for i in found:  # «the others are still written» only when there are others (every unit held back: not)
        assert i.severity != ERROR or ("các đơn vị khác vẫn được lập văn bản" in i.fix) == bool(set(members) - silent)
    for r, m in members.items():
        if r not in silent:
            for u in m & gone:
                assert f"({u})" in listed
    assert all(i.reporting_unit(cap) is not None for i in found)
    if not gone:
        assert found == []


# --- 2. headers -----------------------------------------------------------------------------------

def _rename_header(path: Path, sheet: str, old: str, new: str | None) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    for cell in ws[1]:
        if cell.value == old:
            if new is None:
                ws.delete_cols(cell.column)
            else:
                cell.value = new
            break
    else:
        raise AssertionError(old)
    wb.save(path)


def test_a_header_not_recognised_is_reported_with_the_nearest_label_and_what_it_feeds(tmp_path):
    path = _book(tmp_path)
    _rename_header(path, "chi_doan", "so_lan_sinh_hoat", "Số lần SH")
    d = load(path, SCALE, cycle=CYCLE)
    shown = [str(i) for i in d.issues if "Ô trống" not in i.rule]
    assert shown[0] == (
        "[cảnh báo] tệp sach.xlsx, trang chi_doan, dòng 1, cột N — giá trị «Số lần SH»: Tiêu đề cột không khớp cột "
        "nào của trang «chi_doan», nên cột này không được đọc; gần nhất với cột «Số lần sinh hoạt» "
        "(so_lan_sinh_hoat) → Cách sửa: Nếu đây là cột «Số lần sinh hoạt», sửa tiêu đề thành «Số lần sinh hoạt» "
        "(hoặc «so_lan_sinh_hoat»)")
    missing = [i for i in d.errors]
    assert len(missing) == 1 and missing[0].column == "Số lần sinh hoạt (so_lan_sinh_hoat)"
    assert missing[0].rule.startswith("Thiếu cột «Số lần sinh hoạt»; cột «Số lần SH» của trang có thể là cột này; "
                                      "cột này dùng cho: Tiêu chí 5 (Sinh hoạt định kỳ")
    assert "của bảng điểm «Bảng điểm mẫu Đoàn cơ sở" in missing[0].rule


def test_members_typed_with_a_unit_in_the_header_are_not_read_as_zero(tmp_path):
    path = _book(tmp_path)
    _rename_header(path, "chi_doan", "so_doan_vien", "Số đoàn viên (người)")
    d = load(path, SCALE, cycle=CYCLE)
    assert any(i.severity == WARNING and i.value == "Số đoàn viên (người)" and "gần nhất với cột «Số đoàn viên»"
               in i.rule for i in d.issues)
    assert [i.column for i in d.errors] == ["Số đoàn viên (so_doan_vien)"]
    assert "số liệu tổng hợp của huyện, tỉnh («Số đoàn viên»)" in d.errors[0].rule


def test_a_column_deleted_outright_is_an_error_naming_what_it_feeds(tmp_path, capsys):
    path = _book(tmp_path)
    _rename_header(path, "chi_doan", "so_lan_sinh_hoat", None)
    assert _check(path) == (1, "")
    out = capsys.readouterr().out
    assert ("[lỗi] tệp sach.xlsx, trang chi_doan, dòng 1, cột Số lần sinh hoạt (so_lan_sinh_hoat): Thiếu cột «Số "
            "lần sinh hoạt»; cột này dùng cho: Tiêu chí 5") in out


@pytest.mark.parametrize("sheet, key", [("chi_doan", "so_lan_sinh_hoat"), ("chi_doan", "so_dv_gioi_thieu_1_1"),
                                        ("co_so", "diem")])
def test_a_column_under_an_empty_header_cell_is_named_not_dropped_in_silence(tmp_path, sheet, key):
    """openpyxl pads the header row to the sheet's width: a header cell erased (or a figure typed past
    the last column) left a column of figures unread without a word."""
    path = copy_sample(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    col = next(c.column_letter for c in ws[1] if c.value in (key, next(k.label for k in ALL_SHEETS[sheet] if k.key == key)))
    held = sum(ws[f"{col}{r}"].value not in (None, "") for r in range(2, ws.max_row + 1))
    ws[f"{col}1"] = None
    stray = openpyxl.utils.get_column_letter(ws.max_column + 2)
    ws[f"{stray}7"] = 5  # a figure beyond every header
    wb.save(path)
    said = {i.letter: i for i in read_workbook(path).issues if "ô tiêu đề (dòng 1) để trống" in i.rule}
    first = next(r for r in range(2, ws.max_row + 1) if ws[f"{col}{r}"].value not in (None, ""))
    assert said[col].severity == WARNING and said[col].sheet == sheet and said[col].row == first
    assert said[col].rule.startswith(f"Cột {col} có số liệu ({held:,} ô)".replace(",", "."))
    assert said[stray].row == 7 and said[stray].value == 5 and said[stray].rule.startswith(f"Cột {stray} có số liệu (1 ô)")
    assert len(said) == 2


def test_a_period_of_one_plus_one_other_than_1_or_2_is_refused(tmp_path):
    path = copy_sample(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["mot_cong_mot"]
    col = next(c.column_letter for c in ws[1] if c.value in ("ky", "Kỳ (1: 6 tháng, 2: cả năm)"))
    ws[f"{col}5"], ws[f"{col}6"] = 3, 0
    wb.save(path)
    d = load(path, SCALE, cycle=CYCLE)
    assert [(i.sheet, i.row, i.column, i.value, i.rule) for i in d.errors] == [
        ("mot_cong_mot", r, f"Kỳ (1: 6 tháng, 2: cả năm) ({col})", v, "Kỳ chỉ là 1 (6 tháng) hoặc 2 (cả năm)")
        for r, v in ((5, 3), (6, 0))]


def test_a_unit_of_no_known_level_is_one_error_its_rows_not_blamed_for_it(tmp_path):
    path = copy_sample(tmp_path)
    wb = openpyxl.load_workbook(path)
    wb["don_vi"]["C5"] = "Chi đoàn cơ sở"  # not a level: the unit's own error
    wb.save(path)
    d = load(path, SCALE, cycle=CYCLE)
    assert [(i.sheet, i.row) for i in d.errors] == [("don_vi", 5)]
    assert not any("là nan" in i.rule or "Sai cấp" in i.rule for i in d.issues)


def test_points_typed_on_the_score_sheet_are_checked_against_the_units_sheet_never_capped(tmp_path):
    """A point above its item's maximum was lowered to it in silence; an item code the sheet does not
    have, or an item it measures from the figures, had its row ignored in silence."""
    items = {it.id: it for sheet in CYCLE.score_sheets.values() for g in sheet.groups for it in g.items}
    path = copy_sample(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["diem_cham"]
    given = [r for r in range(2, ws.max_row + 1) if items[ws[f"C{r}"].value].measure is None]
    this_year = [r for r in given if ws[f"B{r}"].value == CYCLE.nam]
    over, unknown = this_year[0], this_year[1]
    top = items[ws[f"C{over}"].value].max_points
    ws[f"D{over}"], ws[f"E{over}"] = top + 1, top + 0.0001
    ws[f"C{unknown}"] = "xx9"
    earlier = next(r for r in given if ws[f"B{r}"].value < CYCLE.nam)
    ws[f"C{earlier}"] = "ma_cu"  # an earlier year's item, scored on that year's sheet: not this cycle's to judge
    measured = next(i for i in items.values() if i.measure is not None)
    ws.append([ws[f"A{over}"].value, ws[f"B{over}"].value, measured.id, 5, None])
    wb.save(path)
    d = load(path, SCALE, cycle=CYCLE)
    said = [(i.severity, i.row, i.column, i.value) for i in d.issues if i.sheet == "diem_cham"]
    assert said == [(ERROR, over, "Điểm tự chấm (D)", top + 1), (ERROR, over, "Điểm thẩm định (E)", top + 0.0001),
                    (ERROR, unknown, "Mã mục (C)", "xx9"), (WARNING, ws.max_row, "Mã mục (C)", measured.id)]
    rules = [i.rule for i in d.issues if i.sheet == "diem_cham"]
    assert rules[0].startswith(f"Điểm {top + 1:.0f} vượt điểm tối đa của mục «{ws[f'C{over}'].value}»")
    assert rules[0].endswith(f"{top:.0f} điểm; không tự hạ xuống")
    assert rules[1].startswith(f"Điểm {top:.0f},0001 vượt điểm tối đa")  # every decimal typed, never «26,»
    assert "không có mục mã «xx9»: điểm của dòng này không được tính vào mục nào" in rules[2]
    assert "được tính từ số liệu của đơn vị, không từ điểm chấm" in rules[3]


def test_hidden_rows_and_columns_are_read_and_said_not_read_in_silence(tmp_path):
    """Rows hidden by hand or by a filter, and a hidden column, were read and counted with no word: an
    analyst who hid a district's rows to leave them out could not tell from the sheet they still count."""
    path = copy_sample(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["chi_doan"]
    for r in (5, 6, 7):
        ws.row_dimensions[r].hidden = True
    ws.column_dimensions["E"].hidden = True
    assert ws["Y1"].value == "Xếp loại" and all(ws.cell(r, 25).value is None for r in range(2, ws.max_row + 1))
    ws.column_dimensions["Y"].hidden = True  # hidden and empty: nothing read from it, nothing to say
    ws_co_so = wb["co_so"]
    for letter in ("C", "D"):
        ws_co_so.column_dimensions[letter].hidden = True
    ws_co_so.auto_filter.ref = ws_co_so.dimensions
    for r in range(3, 15):  # what a filter leaves hidden
        ws_co_so.row_dimensions[r].hidden = True
    ws_co_so.row_dimensions[ws_co_so.max_row + 5].hidden = True  # a hidden empty row is no data
    wb.save(path)
    before = load(paths.SAMPLE_DATA, SCALE, cycle=CYCLE)
    d = load(path, SCALE, cycle=CYCLE)
    said = [(i.severity, i.sheet, i.row, i.column, i.rule) for i in d.issues if "bị ẩn" in i.rule]
    c, d_ = (ws_co_so[f"{x}1"].value for x in ("C", "D"))
    assert said == [
        (WARNING, "chi_doan", None, None, "Cột Số thanh niên được tập hợp (E) đang bị ẩn: số liệu trong cột vẫn được "
                                          "đọc và tính"),
        (WARNING, "chi_doan", 5, None, "Có 3 dòng số liệu đang bị ẩn (dòng 5, 6, 7): các dòng này vẫn được đọc và "
                                       "tính như mọi dòng khác"),
        (WARNING, "co_so", None, None, f"Có 2 cột đang bị ẩn: {c} (C), {d_} (D); số liệu trong các cột này vẫn được "
                                       "đọc và tính"),
        (WARNING, "co_so", 3, None, "Có 12 dòng số liệu đang bị ẩn (dòng 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 và 2 dòng "
                                    "khác): các dòng này vẫn được đọc và tính như mọi dòng khác")]
    assert len(d.issues) == len(before.issues) + 4
    pd.testing.assert_frame_equal(d.chi_doan, before.chi_doan)  # hidden figures still count
    pd.testing.assert_frame_equal(d.co_so, before.co_so)


@given(st.integers(1, 64), st.sampled_from([b"1", b"true"]), st.booleans())
def test_a_sheets_marks_are_the_same_read_in_pieces_of_any_size(size, flag, prefixed):
    """Formulas and hidden rows and columns are found in a sheet's XML read a megabyte at a time; a tag
    cut between two pieces must be found all the same."""
    import io
    import zipfile

    from tongket.intake import sheet_xml

    x = "x:" if prefixed else ""
    sheet = (f'<{x}worksheet><{x}cols><{x}col min="2" max="3" hidden="{flag.decode()}"/></{x}cols><{x}sheetData>'
             f'<{x}row r="1"><{x}c r="A1"><{x}v>1</{x}v></{x}c></{x}row>'
             f'<{x}row r="7" spans="1:3" hidden="{flag.decode()}"><{x}c r="B7"><{x}f>A1+1</{x}f></{x}c></{x}row>'
             f'</{x}sheetData></{x}worksheet>').encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/workbook.xml", '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                   '<sheet name="chi_doan" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<Relationships><Relationship Id="rId1" '
                   'Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    old, sheet_xml._CHUNK = sheet_xml._CHUNK, size
    try:
        marks = sheet_xml.scan_sheets(zipfile.ZipFile(buf))["chi_doan"]
    finally:
        sheet_xml._CHUNK = old
    assert (marks.formulas, marks.hidden_rows, marks.hidden_cols) == (True, {7}, {2, 3})


def test_a_fraction_is_read_to_the_15_digits_excel_shows_not_its_binary_leftover(tmp_path):
    """A formula's result is stored as 26.000000000000004 (=8,4+8,3+9,3) or 7.000000000000001
    (=0,07*100); Excel shows 26 and 7. Read as stored, the first was «over the item's maximum of 26»
    and the second «not a whole number», on cells the analyst sees as right; a yes stored as
    0.9999999999999999 was «not a yes/no» and a day number with a leftover «not a date»."""
    items = {it.id: it for sheet in CYCLE.score_sheets.values() for g in sheet.groups for it in g.items}
    path = copy_sample(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["diem_cham"]
    r = next(r for r in range(2, ws.max_row + 1) if ws[f"B{r}"].value == CYCLE.nam
             and items[ws[f"C{r}"].value].measure is None)
    top = items[ws[f"C{r}"].value].max_points
    ws[f"D{r}"] = top + 4e-15  # 26.000000000000004 for an item of 26
    assert ws[f"D{r}"].value != top
    cd = wb["chi_doan"]
    col = next(c.column_letter for c in cd[1] if c.value == "Số lần sinh hoạt")
    cd[f"{col}2"] = 7.000000000000001
    yes = next(c.column_letter for c in cd[1] if c.value == "Biên bản, sổ sách đầy đủ")
    cd[f"{yes}3"], cd[f"{yes}4"] = 0.9999999999999999, 1.0000000000000002  # a yes (1), as a formula gives it
    ws[f"E{r}"] = f"{int(top)},000000000000004"  # typed as text: read as the number cell would be
    reg = wb["dang_ky"]
    reg["E2"] = 43831.00000000001  # a day number in a cell of general format: 01/01/2020 (row 2 is 2020's list)
    wb.save(path)
    d = load(path, SCALE, cycle=CYCLE)
    assert [str(i) for i in d.errors] == []
    assert excel_digits(1.7976931348623157e308) == 1.7976931348623157e308  # 15 digits would be infinity: kept
    assert d.chi_doan.loc[d.chi_doan["_row"] == 2, "so_lan_sinh_hoat"].tolist() == [7]
    assert d.chi_doan.loc[d.chi_doan["_row"].isin([3, 4]), "bien_ban_day_du"].tolist() == [True, True]
    cham = d.optional["diem_cham"]
    assert cham.loc[cham["_row"] == r, ["tu_cham", "tham_dinh"]].values.tolist() == [[top, top]]
    dang_ky = d.optional["dang_ky"]
    assert dang_ky.loc[dang_ky["_row"] == 2, "ngay_dang_ky"].tolist() == [date(2020, 1, 1)]


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
EXT = "http://schemas.microsoft.com/office/excel/2006/main"


@pytest.mark.parametrize("sheet, formulas", [
    # a drop-down list's source in the extensions (Excel's own layout): no cell's formula
    (f'<worksheet xmlns="{MAIN}" xmlns:xm="{EXT}"><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>'
     '<extLst><ext><x14:dataValidations><x14:dataValidation><x14:formula1><xm:f>don_vi!$A$2:$A$99</xm:f>'
     '</x14:formula1></x14:dataValidation></x14:dataValidations></ext></extLst></worksheet>', False),
    # the same, declared where Excel declares it, on the extension itself
    (f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData><extLst><ext>'
     f'<x14:dataValidations xmlns:xm="{EXT}"><x14:dataValidation><x14:formula1><xm:f>A1:A9</xm:f>'
     '</x14:formula1></x14:dataValidation></x14:dataValidations></ext></extLst></worksheet>', False),
    # «xm» bound to the main namespace: its <xm:f> is a cell's formula
    (f'<xm:worksheet xmlns:xm="{MAIN}"><xm:sheetData><xm:row r="1"><xm:c r="A1"><xm:f>1+1</xm:f></xm:c></xm:row>'
     '</xm:sheetData></xm:worksheet>', True),
    # any prefix XML allows
    (f'<ns-0:worksheet xmlns:ns-0="{MAIN}"><ns-0:sheetData><ns-0:row r="1"><ns-0:c r="A1"><ns-0:f>1+1</ns-0:f>'
     '</ns-0:c></ns-0:row></ns-0:sheetData></ns-0:worksheet>', True),
    # a cell's text that reads like a formula tag is escaped: no formula
    (f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lt;f&gt;1&lt;/f&gt;</t></is>'
     '</c></row></sheetData></worksheet>', False),
])
def test_a_formula_is_a_cells_formula_not_a_drop_down_lists_source(sheet, formulas):
    """`<xm:f>` holds the source of a drop-down list kept in a sheet's extensions: counted as a formula,
    it made every large sheet with such a list read twice (9,7 s against 5,8 s at 21.000 rows). A
    formula under any prefix of the main namespace is still one (a cell without its result is an error)."""
    import io
    import zipfile

    from tongket.intake import sheet_xml

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/workbook.xml", f'<workbook xmlns="{MAIN}" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                   '<sheet name="chi_doan" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<Relationships><Relationship Id="rId1" '
                   'Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    assert sheet_xml.scan_sheets(zipfile.ZipFile(buf))["chi_doan"].formulas is formulas


def test_a_duplicate_row_names_its_third_key_as_the_sheets_header_reads_and_its_value_as_typed(tmp_path):
    """The «two rows» error of a sheet keyed by a third column said the key's code name and the
    float it was read as: «ma_muc tt2», «ky 2.0». Now the header and the value as the cell shows."""
    path = copy_sample(tmp_path)
    wb = openpyxl.load_workbook(path)
    for name in ("diem_cham", "mot_cong_mot"):
        ws = wb[name]
        ws.append([c.value for c in ws[2]])
    wb.save(path)
    d = load(path, SCALE, cycle=CYCLE)
    twice = {i.sheet: i.rule for i in d.errors if i.rule.startswith("Đơn vị có hai dòng")}
    cham, mot = wb["diem_cham"], wb["mot_cong_mot"]
    assert twice == {
        "diem_cham": f"Đơn vị có hai dòng số liệu cho năm {cham['B2'].value}, Mã mục «{cham['C2'].value}» "
                     f"(các dòng 2, {cham.max_row})",
        "mot_cong_mot": f"Đơn vị có hai dòng số liệu cho năm {mot['B2'].value}, Kỳ (1: 6 tháng, 2: cả năm) "
                        f"«{mot['C2'].value}» (các dòng 2, {mot.max_row})"}


@given(st.one_of(st.integers(-10**14, 10**14).map(float), st.floats(allow_nan=False, allow_infinity=False)))
@example(30.0)
@example(26.0001)
@example(26.000000000000004)
@example(-0.0)
def test_a_number_in_an_issue_is_shown_as_excel_shows_it_and_reads_back_the_same(x):
    """«30», never «30,0» (a count read into a column of floats); a decimal comma; the 15 significant
    digits Excel shows («26» for a formula's 26.000000000000004, «26,0001» for 26,0001)."""
    from tongket.errors import Issue, as_shown

    shown = as_shown(x)
    assert "." not in shown and float(shown.replace(",", ".")) == float(f"{x:.15g}")  # Excel's 15 digits
    if x.is_integer() and abs(x) < 1e15:
        assert shown == str(int(x))
    assert f"giá trị «{shown}»" in str(Issue("a.xlsx", "co_so", 3, "Điểm", x, "…"))


@pytest.mark.parametrize("sheet", ["co_so", "chi_doan"])
def test_a_score_out_of_100_typed_in_a_percent_cell_is_refused_not_read_as_under_one_point(tmp_path, sheet):
    """«75%» in a score cell is stored as 0,75: read as 0,75 of 100 it rated the unit last, unsaid."""
    path = copy_sample(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    col = next(c.column_letter for c in ws[1] if c.value in ("diem", "Điểm"))
    rows = [r for r in range(2, ws.max_row + 1) if isinstance(ws[f"{col}{r}"].value, (int, float))][:3]
    for r, v in zip(rows, (0.75, 1, 0)):
        ws[f"{col}{r}"], ws[f"{col}{r}"].number_format = v, "0%"
    ws_items = wb["diem_cham"]
    ws_items["D2"] = 0.5  # an item's points may be a fraction of one
    wb.save(path)
    d = load(path, SCALE, cycle=CYCLE)
    said = [(i.sheet, i.row, i.value) for i in d.errors]
    assert said == [(sheet, rows[0], 0.75), (sheet, rows[1], 1)]
    assert all(i.rule.startswith("Điểm trên thang 100 mà chỉ từ 0 đến 1: ô có thể đang định dạng phần trăm")
               for i in d.errors)


def test_an_array_formula_without_its_result_is_said_as_a_formula_not_a_blank(tmp_path):
    from openpyxl.worksheet.formula import ArrayFormula

    path = copy_sample(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["chi_doan"]
    ws["C5"] = ArrayFormula("C5", "=30+8")  # saved by a program: no result stored
    beyond = openpyxl.utils.get_column_letter(ws.max_column + 1)
    ws[f"{beyond}6"] = ArrayFormula(f"{beyond}6", "=SUM(C6:D6)")  # in a column not read: not a figure of it
    ws[f"{beyond}7"] = "\u200b"  # an invisible character is not a figure either
    wb.save(path)
    issues = load(path, SCALE, cycle=CYCLE).issues
    said = [i for i in issues if i.sheet == "chi_doan" and i.row == 5]
    assert [(i.severity, i.value) for i in said] == [(ERROR, "=30+8")]
    assert said[0].rule.startswith("Ô có công thức nhưng tệp không lưu kết quả tính")
    # a column no header names holds no result there, only a formula, and an invisible character:
    # nothing to read, nothing to say (a figure under no header is said: the test above)
    assert [i for i in issues if i.sheet == "chi_doan" and i.row in (6, 7)] == []
    assert all("_trong" not in str(i) for i in issues)


def test_what_reads_a_column_comes_from_the_loaded_rules(tmp_path):
    for m in MEASURES:  # every figure a score sheet may be scored on is traced to data columns
        assert measure_inputs(m, CYCLE)
    assert set(DERIVED) <= set(MEASURES)
    rules = tmp_path / "params"
    shutil.copytree(paths.ROOT / "params", rules)
    rubric = rules / "rubrics" / "chi_doan_dat_chuan.yaml"
    doc = yaml.safe_load(rubric.read_text(encoding="utf-8"))
    doc["criteria"][0]["all"].append({"column": "so_thanh_nien_1_1", "op": ">=", "value": 1})
    rubric.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    cycle = load_cycle(rules / "tong_ket_2021.yaml")
    assert any(w.startswith("Tiêu chí 1 (") for w in readers(cycle)[("chi_doan", "so_thanh_nien_1_1")])
    assert not any(w.startswith("tiêu chí") for w in readers(CYCLE)[("chi_doan", "so_thanh_nien_1_1")])


def test_two_columns_for_one_key_and_two_candidate_sheets_are_errors(tmp_path):
    path = _book(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["chi_doan"]
    ws.cell(1, ws.max_column + 1).value = "Số đoàn viên"
    wb.copy_worksheet(wb["co_so"]).title = "co_so (2)"
    wb.save(path)
    d = load(path, SCALE)
    shown = [str(i) for i in d.errors]
    assert shown == [
        "[lỗi] tệp sach.xlsx, trang chi_doan, dòng 1, cột " + openpyxl.utils.get_column_letter(ws.max_column)
        + " — giá trị «Số đoàn viên»: Cột «so_doan_vien» xuất hiện hai lần; chỉ dùng cột C → Cách sửa: Xóa hoặc "
          "đổi tên cột thừa",
        "[lỗi] tệp sach.xlsx, trang co_so: Có 2 trang có thể là trang «co_so»: «co_so», «co_so (2)»; không tự chọn "
        "một trang → Cách sửa: Giữ đúng một trang số liệu: xóa hoặc đổi tên hẳn các trang bản sao (ví dụ "
        "«cu_chi_doan»), rồi kiểm tra lại"]


@pytest.mark.parametrize("codes", [("ST_05", "ST 05"), ("st05", "ST05"), ("H_1", "H:1")])
def test_codes_that_would_write_one_output_folder_are_refused(tmp_path, codes):
    tree = _tree()
    tree[1]["ma_don_vi"], tree[2]["ma_don_vi"] = codes
    for u in tree:
        u["ma_cap_tren"] = {"H1": codes[0], "H2": codes[1]}.get(u["ma_cap_tren"], u["ma_cap_tren"])
    d = load(_book(tmp_path, tree=tree), SCALE)
    clash = [i for i in d.errors if "cùng ghi vào một thư mục kết quả" in i.rule]
    assert [(i.row, i.value) for i in clash] == [(3, codes[0]), (4, codes[1])]
    assert clash[0].rule.startswith(f"Các mã «{sorted(codes)[0]}», «{sorted(codes)[1]}» khác nhau")


CHANGES = {
    "suffix": lambda label: f"{label} (người)",
    "abbrev": lambda label: " ".join(w[:2] for w in label.split()),
    "typo": lambda label: label[:-1],
    "other": lambda label: "Cột phụ thêm",  # a header of no sheet («Ghi chú» is tham_dinh's)
    "case": lambda label: label.upper(),
}
READ = sorted(k for (s, k) in readers(CYCLE) if s == "chi_doan" and k not in ("ma_don_vi", "nam"))


@pytest.fixture(scope="module")
def clean_data(tmp_path_factory):
    return load(_book(tmp_path_factory.mktemp("clean")), SCALE, cycle=CYCLE)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=st.sampled_from(READ), change=st.sampled_from(sorted(CHANGES)))
def test_a_mistyped_header_reads_the_same_figures_or_is_named(tmp_path_factory, clean_data, key, change):
    from tongket.common.schema import label

    messy = _book(tmp_path_factory.mktemp("h"), "ban.xlsx")
    typed = CHANGES[change](label(key))
    _rename_header(messy, "chi_doan", key, typed)
    a, b = clean_data, load(messy, SCALE, cycle=CYCLE)
    if key in b.chi_doan.columns and b.chi_doan[key].notna().any():
        pd.testing.assert_series_equal(a.chi_doan[key], b.chi_doan[key])
        return
    named = [i for i in b.issues if i.sheet == "chi_doan" and i.row == 1 and i.value == typed]
    assert named and named[0].letter is not None
    assert any(i.severity == ERROR and i.column.endswith(f"({key})") for i in b.errors)


# --- 3. numbers -----------------------------------------------------------------------------------

@pytest.mark.parametrize("typed, expected", [
    ("21.049", 21049), ("1 000", 1000), ("21\u00a0049", 21049), ("1\u202f234\u202f567", 1234567),
    (10_000_000, 10_000_000)])
def test_thousands_read_where_unambiguous(tmp_path, typed, expected):
    cd, cs = small_rows()
    cd[0]["so_thanh_nien"] = typed
    cd[0]["so_thanh_nien_tap_hop"] = 5
    d = load(_book(tmp_path, cd=cd), SCALE)
    assert d.errors == []
    assert int(d.chi_doan["so_thanh_nien"].iloc[0]) == expected


@pytest.mark.parametrize("typed, rule", [
    ("1,000", "Không phải là số rõ nghĩa: «1,000» có thể là 1.000 (viết kiểu Anh) hoặc 1 phẩy 000; không đoán"),
    ("0.500", "Không phải là số rõ nghĩa: «0.500» dùng dấu chấm"),
    ("2 5", "Không phải là số rõ nghĩa: «2 5» có khoảng trắng không phải nhóm nghìn (1 000); không đoán"),
    ("1.5", "Không phải là số rõ nghĩa: «1.5» dùng dấu chấm"),
    ("1,5", "Số lượng phải là số nguyên"),
    (10_000_001, "Số lượng quá lớn, không thể là số thật (giới hạn 10.000.000"),
    ("99999999999999999999", "Số lượng quá lớn"),
    (10**19, "Số lượng quá lớn"),
    (9.3e18, "Số lượng quá lớn"),
    (datetime(2021, 2, 1), "Không phải là số: ô là ngày giờ (Excel tự đổi khi gõ kiểu 1/2"),
    (dt_time(1, 2), "Không phải là số: ô là ngày giờ"),
    ("-", "Không phải là số: «-» có thể là «không có» (0) hoặc «chưa có số liệu»; không đoán"),
    ("…", "Không phải là số: «…» có thể là «không có» (0)"),
])
def test_ambiguous_or_implausible_counts_are_refused_with_the_cell(tmp_path, typed, rule):
    cd, cs = small_rows()
    cd[0]["so_thanh_nien"] = typed
    cd[0]["so_thanh_nien_tap_hop"] = 5
    d = load(_book(tmp_path, cd=cd), SCALE)
    assert [(i.sheet, i.row, i.column, i.cell) for i in d.errors] == [("chi_doan", 2, "Số thanh niên (D)", "D2")]
    assert d.errors[0].rule.startswith(rule)
    assert pd.isna(d.chi_doan["so_thanh_nien"].iloc[0])  # refused: missing, never a wrapped or guessed figure
    assert (d.chi_doan["so_thanh_nien"].dropna() >= 0).all()


def test_the_bound_on_counts_is_set_in_params(tmp_path):
    cd, cs = small_rows()
    cd[0]["so_thanh_nien"] = 12_000_000
    path = _book(tmp_path, cd=cd)
    assert len(validate(read_workbook(path), SCALE).errors) == 1
    assert validate(read_workbook(path), SCALE, max_count=20_000_000).errors == []
    folder = tmp_path / "params"
    shutil.copytree(paths.ROOT / "params", folder)
    _edit(folder / "tong_ket_2021.yaml", lambda d: d.update(gioi_han={"so_luong_toi_da": 20_000_000}))
    cycle = load_cycle(folder / "tong_ket_2021.yaml")
    assert cycle.so_luong_toi_da == 20_000_000
    assert load(path, SCALE, cycle=cycle).errors == []


def _dots(n: int) -> str:
    return f"{n:,}".replace(",", ".")


WAYS = {"number": lambda n: n, "text": str, "dots": _dots, "space": lambda n: f"{n:,}".replace(",", " "),
        "nbsp": lambda n: f"{n:,}".replace(",", "\u00a0")}
AMBIGUOUS = {"comma": lambda n: f"{n:,}", "dot_decimal": lambda n: f"{n}.5", "split": lambda n: f"{n} {n % 10}",
             "leading_zero": lambda n: f"0.{n % 1000:03d}"}


@FAST
@given(n=st.integers(0, 10_000_000), way=st.sampled_from(sorted(WAYS) + sorted(AMBIGUOUS)))
def test_a_count_typed_any_way_reads_as_typed_or_is_refused(n, way):
    if way in WAYS:
        typed = WAYS[way](n)
        assert number_text(typed) == n
        return
    typed = AMBIGUOUS[way](n)
    got = number_text(typed)
    # never a different whole number: refused, or (for "1,000") never read as one thousand
    assert got is None or (got != n and float(got) != int(float(got))) or typed == str(got)


@pytest.fixture(scope="module")
def clean_raw(tmp_path_factory):
    raw = read_workbook(_book(tmp_path_factory.mktemp("raw")))
    return raw, validate(copy.deepcopy(raw), SCALE).chi_doan


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n=st.integers(1000, 9_999_999), way=st.sampled_from(sorted(AMBIGUOUS) + ["huge"]),
       row=st.integers(0, 15), key=st.sampled_from(["so_doan_vien", "so_ket_nap_moi", "so_lan_sinh_hoat"]))
def test_a_mistyped_count_is_refused_and_named_by_its_cell(clean_raw, n, way, row, key):
    raw, clean = copy.deepcopy(clean_raw[0]), clean_raw[1]
    frame = raw.sheets["chi_doan"].frame
    typed = 10**19 + n if way == "huge" else AMBIGUOUS[way](n)
    frame.at[row, key] = typed
    d = validate(raw, SCALE)
    letter = raw.sheets["chi_doan"].columns_at[key]
    refused = [(i.cell, i.value) for i in d.errors if i.cell == f"{letter}{row + 2}"]
    assert refused == [(f"{letter}{row + 2}", typed)]
    assert pd.isna(d.chi_doan.at[row, key])  # missing, never a guessed or wrapped figure
    pd.testing.assert_frame_equal(d.chi_doan.drop(index=row), clean.drop(index=row))


# What another program writes for «nothing» (pandas' «nan», SQL's «NULL») is a blank, said; a
# formula's error («#DIV/0!») is refused. Neither is ever printed, counted or rated as typed.
TYPED_CELLS = sorted((sheet, key) for sheet, columns in ALL_SHEETS.items() for key in (c.key for c in columns))


def _typed(d, sheet: str) -> pd.DataFrame:
    return getattr(d, sheet) if sheet in ("don_vi", "chi_doan", "co_so") else d.optional[sheet]


def _read_with(raw, sheet: str, key: str, row: int, typed: object):
    raw = copy.deepcopy(raw)
    raw.sheets[sheet].frame.at[row, key] = typed
    d = validate(raw, SCALE)
    return d, raw.sheets[sheet].columns_at[key]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(where=st.data(), stand_in=st.sampled_from(STAND_INS), failed=st.sampled_from(FORMULA_ERRORS))
def test_a_machine_blank_reads_as_a_blank_said_and_a_formula_error_is_refused(clean_raw, where, stand_in, failed):
    raw = clean_raw[0]
    sheet, key = where.draw(st.sampled_from([(s, k) for s, k in TYPED_CELLS if s in raw.sheets
                                             and k in raw.sheets[s].frame.columns]))
    row = where.draw(st.integers(0, len(raw.sheets[sheet].frame) - 1))
    blank, letter = _read_with(raw, sheet, key, row, None)
    said, _ = _read_with(raw, sheet, key, row, stand_in)
    cell = f"{letter}{row + 2}"
    # exactly as a blank cell reads (the same figures, the same issues), plus one warning naming it
    pd.testing.assert_frame_equal(_typed(said, sheet), _typed(blank, sheet))
    extra = [(i.severity, i.sheet, i.row, i.column, i.rule) for i in said.issues]  # the blank's, said of «nan»
    for i in blank.issues:
        extra.remove((i.severity, i.sheet, i.row, i.column, i.rule))
    assert len(extra) == 1 and extra[0][:3] == (WARNING, sheet, row + 2) and extra[0][4].endswith("đọc là ô trống")
    assert [i.value for i in said.issues if i.rule == extra[0][4]] == [stand_in]
    refused, _ = _read_with(raw, sheet, key, row, failed)
    pd.testing.assert_frame_equal(_typed(refused, sheet), _typed(blank, sheet))
    typing = [i for i in refused.issues if i.cell == cell and i.value == failed]
    assert [(i.severity, i.rule.split(" (")[0]) for i in typing] == [(ERROR, "Công thức trong ô bị lỗi")]


@pytest.mark.parametrize("column", [c for c in ALL_SHEETS["don_vi"] if c.key in _tree()[0]], ids=lambda c: c.key)
def test_a_blank_cell_anywhere_in_the_unit_tree_is_said_never_a_crash(clean_raw, column):
    """A unit whose code was left blank used to stop `check` with a KeyError (its children's parent
    then matched the blank); every cell of the tree, at every level, is read or named instead."""
    raw = clean_raw[0]
    for row in (0, 1, 3, 6):  # the province, a district, a Đoàn cơ sở, a branch
        d, letter = _read_with(raw, "don_vi", column.key, row, None)
        said = [i for i in d.issues if i.sheet == "don_vi" and i.row == row + 2]
        if not column.allow_blank:
            assert [i.rule for i in said if i.cell == f"{letter}{row + 2}" and i.severity == ERROR] == [
                f"Thiếu {column.label.lower()} (ô bắt buộc)"]


# --- 4. defaults ----------------------------------------------------------------------------------

def test_a_defaulted_loai_hinh_or_dac_thu_is_said_unit_by_unit(tmp_path):
    tree = _tree()
    tree[6]["loai_hinh"] = None  # C1.1, a residential branch
    tree[4]["dac_thu"] = None  # C2
    d = load(_book(tmp_path, tree=tree), SCALE)
    said = [str(i) for i in d.issues if "để trống" in i.rule]
    assert said == [
        "[cảnh báo] tệp sach.xlsx, trang don_vi, dòng 6, cột Đơn vị đặc thù (F): Đơn vị đặc thù để trống (Đoàn "
        "phường 2, C2): đơn vị được tính là không đặc thù: chấm theo bảng điểm thường → Cách sửa: Điền đơn vị đặc "
        "thù cho đơn vị (Có hoặc Không)",
        "[cảnh báo] tệp sach.xlsx, trang don_vi, dòng 8, cột Loại hình (E): Loại hình để trống (Chi đoàn ấp 1, "
        "C1.1): đơn vị được tính là loại hình «khác»: không thuộc chi đoàn trên địa bàn dân cư, không vào tỉ lệ chi "
        "đoàn dân cư đạt chuẩn → Cách sửa: Điền loại hình cho đơn vị (dan_cu, truong_hoc, co_quan, doanh_nghiep, "
        "luc_luong_vu_trang, khac)"]
    assert [i.ma_huyen for i in d.issues if "để trống" in i.rule] == ["H1", "H1"]
    assert d.don_vi.set_index("ma_don_vi").at["C1.1", "loai_hinh"] == "khac"  # the default, said


# --- 5. legacy encodings --------------------------------------------------------------------------

def test_eth_is_never_converted_from_tcvn3_and_is_read_as_d_with_a_warning(tmp_path):
    tree = _tree()
    tree[3]["ten_don_vi"] = "Ðoàn xã Tân Hòa"  # U+00D0
    d = load(_book(tmp_path, tree=tree), SCALE)
    assert d.don_vi.set_index("ma_don_vi").at["C1", "ten_don_vi"] == "Đoàn xã Tân Hòa"
    said = [str(i) for i in d.issues if i.sheet == "don_vi"]
    assert said == ["[cảnh báo] tệp sach.xlsx, trang don_vi, dòng 5, cột Tên đơn vị (B) — giá trị «Ðoàn xã Tân "
                    "Hòa»: Chữ «Ð» (ký tự Eth của tiếng Iceland) được hiểu là chữ «Đ»: «Đoàn xã Tân Hòa» → Cách "
                    "sửa: Gõ lại chữ «Đ» bằng bộ gõ tiếng Việt (Unikey, bảng mã Unicode)"]


_TO_TCVN3 = str.maketrans(_TCVN3_TO, _TCVN3_FROM)
SYLLABLES = ["Đoàn", "xã", "Tân", "Hòa", "Bình", "Phú", "Mỹ", "Lợi", "Thạnh", "ấp", "khu", "phố", "Chi", "đoàn",
             "Trường", "Nguyễn", "Thị", "Hồng", "Quân", "sự", "Vĩnh", "Thới", "Điền", "Long", "Hải", "Đông", "Tây",
             "Nam", "Bắc", "Cái", "Bè", "Nhơn", "Trung", "Hưng", "Phước", "Tịnh", "Hiệp"]


@FAST
@given(words=st.lists(st.lists(st.sampled_from(SYLLABLES), min_size=2, max_size=5), min_size=1, max_size=6),
       legacy=st.booleans())
@example(words=[["ấp", "Thới"]], legacy=True)  # «Êp Thíi»: every letter is one Vietnamese Unicode also uses
@example(words=[["Phú", "ấp"], ["Đoàn", "xã"]], legacy=True)  # «Phó Êp» is valid Unicode too: kept, doubted
@example(words=[["khu", "Chi"], ["Đoàn", "xã"]], legacy=True)  # plain ASCII reads the same in every encoding
@example(words=[["Phú", "Hòa"], ["Bè", "Tân"]], legacy=False)  # Unicode in Latin-1 letters only: looked at, kept
def test_unicode_names_are_never_converted_and_tcvn3_names_come_back_exactly(words, legacy):
    names = [" ".join(w) for w in words]
    typed = [n.translate(_TO_TCVN3) if legacy else n for n in names]
    got = decide_and_doubt(list(enumerate(typed)))[0]
    if not legacy:
        assert [(t, e) for _, _, t, e in got] == [(n, None) for n in names]
    else:  # converted back exactly, or kept as typed where the typed text is itself valid Vietnamese, and
        # then doubted aloud (the column holds legacy text); an ASCII name is the same text in both
        for (_, v, text, enc), name in zip(got, names):
            assert (text, enc) == (name, "TCVN3 (ABC)") or (text, enc) == (v, None) and _implausible(v) == 0
            if text != name and any(e for *_, e in got):
                assert decide_and_doubt(list(enumerate(typed)))[1]


@FAST
@given(words=st.lists(st.lists(st.sampled_from(SYLLABLES + ["ST01", "Có", "Không", "x"]), min_size=1, max_size=3),
                      min_size=1, max_size=12),
       legacy=st.lists(st.booleans(), min_size=12, max_size=12), encoding=st.sampled_from(["TCVN3", "VNI"]))
def test_a_column_looked_at_once_a_text_reads_as_each_of_its_cells_looked_at_alone(words, legacy, encoding):
    """A column's text is looked at once per distinct text, for both the conversion and the doubts, and
    plain ASCII not at all: none of that may change what any cell reads as (the memo, the shortcut)."""
    from tongket.intake import legacy as lg

    names = [" ".join(w) for w in words]
    vni = {u: k for k, u in lg._VNI.items()}
    to_vni = lambda t: "".join(vni.get(c, c) for c in unicodedata.normalize("NFC", t))
    typed = [(n.translate(_TO_TCVN3) if encoding == "TCVN3" else to_vni(n)) if old else n
             for n, old in zip(names + names, legacy)]  # each text twice: the memo is used
    cells = list(enumerate(typed))
    alone = [(i, v, *lg._best(lg.eth_fixed(v))) for i, v in cells]  # each cell on its own
    clear: dict[str, int] = {}
    for *_, before, after, _out, enc in alone:
        if enc is not None and before > 0 and after == 0:
            clear[enc] = clear.get(enc, 0) + 1
    enc_of_column = max(clear, key=lambda e: clear[e]) if clear else None
    assert lg.decide_and_doubt(cells) == (lg._decided(alone, enc_of_column), lg._doubted(alone, enc_of_column))
    for t in typed:
        if t.isascii():  # the shortcut: no legacy reading of ASCII text differs from it
            assert all(out == t for out, _ in lg.readings(t)) and lg._best(t) == (0, 0, t, None)


def test_a_tcvn3_name_in_letters_unicode_also_uses_is_converted_and_a_valid_reading_is_doubted(tmp_path):
    tree = _tree()
    tree[3]["ten_don_vi"] = "Đoàn xã An Bình".translate(_TO_TCVN3)  # clear evidence: the column is TCVN3
    tree[6]["ten_don_vi"] = "ấp Thới".translate(_TO_TCVN3)  # «Êp Thíi»: letters Vietnamese Unicode also uses
    tree[7]["ten_don_vi"] = "Phó Êp"  # valid Unicode, and TCVN3 for «Phú ấp»: kept as typed, said
    d = load(_book(tmp_path, tree=tree), SCALE)
    names = d.don_vi.set_index("ma_don_vi")["ten_don_vi"]
    assert [names["C1"], names["C1.1"], names["C1.2"]] == ["Đoàn xã An Bình", "ấp Thới", "Phó Êp"]
    assert [(i.cell, i.value, i.rule, i.severity) for i in d.issues] == [
        ("B5", "§oµn x· An B×nh", "Chữ gõ bằng bảng mã TCVN3 (ABC) đã được chuyển sang Unicode: «Đoàn xã An Bình»",
         WARNING),
        ("B8", "Êp Thíi", "Chữ gõ bằng bảng mã TCVN3 (ABC) đã được chuyển sang Unicode: «ấp Thới»", WARNING),
        ("B9", "Phó Êp", "Ô có thể gõ bằng bảng mã TCVN3 (ABC) như các ô khác cùng cột (đọc là «Phú ấp»), nhưng "
                         "cũng là chữ Unicode hợp lệ nên được giữ nguyên", WARNING)]


def test_text_in_letters_unicode_also_uses_is_converted_only_where_one_reading_is_vietnamese():
    assert to_unicode("Êp Thíi") == ("ấp Thới", "TCVN3 (ABC)")  # as Unicode «Thíi» is no syllable
    assert to_unicode("Phó Êp") == ("Phó Êp", None)  # valid Unicode: never converted
    assert to_unicode("Khoâng") == ("Khoâng", None)  # VNI «Không» or TCVN3 «Khoõng»: no evidence, kept
    assert decide_and_doubt([(0, "Khoâng")])[0] == [(0, "Khoâng", "Khoâng", None)]


def test_every_converted_cell_is_listed_with_its_address(tmp_path):
    tree = _tree()
    tree[3]["ten_don_vi"] = "Đoàn xã An Bình".translate(_TO_TCVN3)
    tree[4]["ten_don_vi"] = "Đoàn phường 2".translate(_TO_TCVN3)
    d = load(_book(tmp_path, tree=tree), SCALE)
    assert [(i.cell, i.column, i.severity) for i in d.issues] == [("B5", "Tên đơn vị (B)", WARNING),
                                                                  ("B6", "Tên đơn vị (B)", WARNING)]
    assert list(d.don_vi["ten_don_vi"][3:5]) == ["Đoàn xã An Bình", "Đoàn phường 2"]


# --- 6. parameters --------------------------------------------------------------------------------

@pytest.fixture
def rules(tmp_path) -> Path:
    folder = tmp_path / "params"
    shutil.copytree(paths.ROOT / "params", folder)
    return folder


def _edit(path: Path, change) -> None:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _item(doc: dict, iid: str) -> dict:
    return next(i for g in doc["groups"] for i in g["items"] if i["id"] == iid)


@pytest.mark.parametrize("file, change, message", [
    ("tong_ket_2021.yaml", lambda d: d["targets"].update(ty_le_nang_bac=5),
     "Tệp tham số tong_ket_2021.yaml, khóa targets.ty_le_nang_bac: «5» không phải tỉ lệ (tỉ lệ từ 0 đến 1). Cách "
     "sửa: gõ 0.05 cho 5 %"),
    ("tong_ket_2021.yaml", lambda d: d["muc_tieu_dat_chuan"].update({2021: 90}),
     "Tệp tham số tong_ket_2021.yaml, khóa muc_tieu_dat_chuan.2021: «90» không phải tỉ lệ (tỉ lệ từ 0 đến 1). "
     "Cách sửa: gõ 0.9 cho 90 %"),
    ("tong_ket_2021.yaml", lambda d: d["targets"].update(so_ha_bac=-1),
     "Tệp tham số tong_ket_2021.yaml, khóa targets.so_ha_bac: cần một số nguyên từ 0 trở lên, gặp «-1»"),
    ("scales/xep_loai_2019.yaml", lambda d: d["levels"][2].update(min_score=75),
     "Thang xếp loại xep_loai_2019.yaml, mức «ht»: min_score 75 không nhỏ hơn của mức «htt» đứng trên (70); các "
     "mức phải xếp từ cao xuống thấp"),
    ("scales/xep_loai_2019.yaml", lambda d: d["levels"][0].update(min_score=-5),
     "Thang xếp loại xep_loai_2019.yaml, mức «htxs»: min_score «-5» nằm ngoài 0–100"),
    ("rubrics/chi_doan_dat_chuan.yaml", lambda d: d["criteria"][4]["all"][0].update(value=-8),
     "Bộ tiêu chí chi_doan_dat_chuan.yaml, tiêu chí «tc5»: ngưỡng «-8» của cột «so_lan_sinh_hoat» âm"),
    ("bang_diem/bang_diem_mau.yaml", lambda d: _item(d, "xd1")["steps"][0].update(value=90),
     "Bảng điểm bang_diem_mau.yaml (score_sheets.thuong của tong_ket_2021.yaml), mục «xd1»: ngưỡng «90» của chỉ số "
     "tỉ lệ ty_le_dat_chuan lớn hơn 1 (100 %). Cách sửa: gõ 0.9 cho 90 %"),
])
def test_parameters_out_of_range_are_refused_with_file_key_and_fix(rules, file, change, message):
    _edit(rules / file, change)
    with pytest.raises(ConfigError) as exc:
        load_cycle(rules / "tong_ket_2021.yaml")
    assert str(exc.value).startswith(message)


def test_a_rate_threshold_typed_as_a_percentage_is_refused(tmp_path):
    from tongket.rules.rubric import load_rubric

    path = tmp_path / "r.yaml"
    path.write_text(yaml.safe_dump({
        "id": "r", "name": "R", "applies_to": {"cap": "co_so"}, "result": "dat",
        "criteria": [{"id": "a", "all": [{"column": "ty_le_tre_han", "op": "<=", "value": 20}]}]}), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"ngưỡng «20» của cột tỉ lệ «ty_le_tre_han» lớn hơn 1 \(100 %\). Cách sửa: "
                                          r"gõ 0.2 cho 20 %"):
        load_rubric(path)


def test_check_reports_bad_parameters_and_exits_1(rules, capsys):
    _edit(rules / "tong_ket_2021.yaml", lambda d: d["targets"].update(ty_le_duoc_xep_loai=95))
    assert _check(paths.SAMPLE_DATA, "--params", str(rules / "tong_ket_2021.yaml")) == (1, "")
    assert "khóa targets.ty_le_duoc_xep_loai: «95» không phải tỉ lệ" in capsys.readouterr().out


def test_the_bundled_samples_pass_check_with_their_cycles(capsys):
    assert _check(paths.SAMPLE_DATA, "--params", str(paths.DEFAULT_CYCLE)) == (0, "")
    out = capsys.readouterr().out
    assert "Không có lỗi (37 cảnh báo)" in out and out.count("chưa có dòng số liệu năm 2021") == 5  # 3: scores (test_scoring)
    assert out.count("chưa có mô tả") == 5  # the sample models without a description
    after = paths.ROOT / "params" / "tong_ket_2021_sau_sap_xep.yaml"
    assert _check(paths.SAMPLE_DATA.with_name("tinh_mau_sau_sap_xep.xlsx"), "--params", str(after)) == (0, "")
    out = capsys.readouterr().out
    # the 9 branches with no 2021 row, one line per Đoàn cơ sở (the cycle reports per Đoàn cơ sở)
    assert "Không có lỗi (41 cảnh báo)" in out and out.count("chưa có dòng số liệu năm 2021") == 9
    assert out.count("chưa có mô tả") == 5


def test_a_run_leaves_out_the_district_that_sent_nothing_and_keeps_the_others(without_st02):
    from tongket import open_review
    from tongket.errors import DataError

    review = open_review(data=without_st02)
    assert list(review.excluded) == ["ST02"]
    assert review.excluded["ST02"][0].startswith("[lỗi] tệp tinh_mau.xlsx, trang chi_doan: Huyện Đoàn Phú Mỹ (ST02) "
                                                 "chưa gửi số liệu năm 2021")
    assert "ST02" not in set(review.results.year(2021).huyen["ma_don_vi"])
    with pytest.raises(DataError, match=r"Huyện Đoàn Phú Mỹ \(ST02\) chưa gửi số liệu năm 2021"):
        open_review(data=without_st02, ma_bao_cao="ST02")


def test_every_province_document_says_under_its_title_which_district_its_figures_leave_out(without_st02):
    """The province's figures without ST02 were said only at the end of one section of one report
    («Chưa tổng hợp do số liệu có lỗi»); its sơ kết, appendix, “1+1” report and lists gave the
    province's totals with no word. The note under every title says it; a district's does not."""
    from tongket import open_review
    from tongket.documents import contexts
    from tongket.documents.models import bao_cao_mo_hinh
    from tongket.documents.one_plus_one import bao_cao_mot_cong_mot

    review = open_review(data=without_st02)
    note = ("Số liệu mẫu (tỉnh giả định) – không dùng cho báo cáo chính thức; số liệu toàn tỉnh chưa gồm Huyện Đoàn "
            "Phú Mỹ (ST02): số liệu của đơn vị có lỗi, chưa được tổng hợp")
    for make in (contexts.bao_cao_tong_hop, contexts.bao_cao_so_ket, contexts.phu_luc_so_lieu,
                 contexts.danh_sach_tham_dinh, bao_cao_mo_hinh, bao_cao_mot_cong_mot):
        assert make(review, "ST", 2021)[0]["ghi_chu"] == note, make.__name__
    assert contexts.bao_cao_tong_ket(review, "ST01", 2021)[0]["ghi_chu"] == note.split(";")[0]


# --- the corpus of issue 15 A (tests/corpus/build.py: intake_15): check says each, in one line ----

CORPUS = Path(__file__).parents[1] / "corpus"


@pytest.mark.parametrize("name, code, said", [
    ("huyen_chua_gui.xlsx", 1, "[lỗi] tệp huyen_chua_gui.xlsx, trang chi_doan: Huyện Đoàn Hai (H2) chưa gửi số liệu "
                               "năm 2021"),
    ("chi_doan_trong.xlsx", 1, "[lỗi] tệp chi_doan_trong.xlsx, trang chi_doan, dòng 1: Trang chi_doan chỉ có dòng "
                               "tiêu đề, không có dòng số liệu nào"),
    ("tieu_de_la.xlsx", 1, "[cảnh báo] tệp tieu_de_la.xlsx, trang chi_doan, dòng 1, cột C — giá trị «Số đoàn viên "
                           "(người)»: Tiêu đề cột không khớp cột nào của trang «chi_doan», nên cột này không được "
                           "đọc; gần nhất với cột «Số đoàn viên» (so_doan_vien)"),
    ("tieu_de_la.xlsx", 1, "[lỗi] tệp tieu_de_la.xlsx, trang chi_doan, dòng 1, cột Số lần sinh hoạt "
                           "(so_lan_sinh_hoat): Thiếu cột «Số lần sinh hoạt»; cột «Số lần SH» của trang có thể là "
                           "cột này; cột này dùng cho: Tiêu chí 5"),
    ("hai_trang.xlsx", 1, "[lỗi] tệp hai_trang.xlsx, trang chi_doan: Có 2 trang có thể là trang «chi_doan»: "
                          "«chi_doan», «chi_doan (2)»; không tự chọn một trang"),
    ("ma_cung_thu_muc.xlsx", 1, "[lỗi] tệp ma_cung_thu_muc.xlsx, trang don_vi, dòng 3, cột Mã đơn vị (A) — giá trị "
                                "«ST_05»: Các mã «ST 05», «ST_05» khác nhau nhưng cùng ghi vào một thư mục kết quả "
                                "«ST_05»"),
    ("so_hai_nghia.xlsx", 1, "[lỗi] tệp so_hai_nghia.xlsx, trang chi_doan, dòng 2, cột Số đoàn viên (C) — giá trị "
                             "«1,000»: Không phải là số rõ nghĩa: «1,000» có thể là 1.000 (viết kiểu Anh) hoặc 1 "
                             "phẩy 000; không đoán"),
    ("so_hai_nghia.xlsx", 1, "[lỗi] tệp so_hai_nghia.xlsx, trang chi_doan, dòng 3, cột Số thanh niên (D) — giá trị "
                             "«0.500»: Không phải là số rõ nghĩa"),
    ("so_hai_nghia.xlsx", 1, "[lỗi] tệp so_hai_nghia.xlsx, trang chi_doan, dòng 4, cột Số lần sinh hoạt (N) — giá "
                             "trị «2 5»: Không phải là số rõ nghĩa"),
    ("so_hai_nghia.xlsx", 1, "[lỗi] tệp so_hai_nghia.xlsx, trang chi_doan, dòng 5, cột Số đoàn viên kết nạp mới (L) "
                             "— giá trị «1E+19»: Số lượng quá lớn"),
    ("chu_eth.xlsx", 0, "[cảnh báo] tệp chu_eth.xlsx, trang don_vi, dòng 5, cột Tên đơn vị (B) — giá trị «Ðoàn xã "
                        "Tân Hòa»: Chữ «Ð» (ký tự Eth của tiếng Iceland) được hiểu là chữ «Đ»: «Đoàn xã Tân Hòa»"),
    ("cong_thuc_loi.xlsx", 1, "[lỗi] tệp cong_thuc_loi.xlsx, trang chi_doan, dòng 2, cột Số đoàn viên (C) — giá trị "
                              "«#DIV/0!»: Công thức trong ô bị lỗi (Excel hiện mã lỗi thay cho giá trị): không có giá "
                              "trị nào để đọc"),
    ("chu_thay_o_trong.xlsx", 0, "[cảnh báo] tệp chu_thay_o_trong.xlsx, trang chi_doan, dòng 3, cột Số đoàn viên (C) "
                                 "— giá trị «nan»: Ô ghi chữ mà phần mềm khác điền vào chỗ không có gì, không phải số "
                                 "liệu hay nội dung: đọc là ô trống"),
    ("chu_thay_o_trong.xlsx", 0, "[cảnh báo] tệp chu_thay_o_trong.xlsx, trang chi_doan, dòng 4, cột Số thanh niên (D) "
                                 "— giá trị «NULL»: Ô ghi chữ"),
])
def test_check_says_each_case_of_the_corpus(name, code, said, capsys):
    assert _check(CORPUS / name, "--nam", "2021") == (code, "")
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith(said) for line in lines), "\n".join(lines)


@pytest.mark.parametrize("command", ["run", "assess"])
def test_a_column_a_criterion_reads_deleted_outright_stops_run_and_assess(tmp_path, capsys, command):
    """Issue 15 A.2: a workbook without «Số lần sinh hoạt» is refused by the commands that print
    figures (every branch would otherwise fail criterion 5 without a word), naming what it feeds."""
    cd, cs = small_rows()
    cd = [{k: v for k, v in r.items() if k != "so_lan_sinh_hoat"} for r in cd]
    data = write_exchange(tmp_path / "thieu_cot.xlsx", _tree(), cd, _complete(cs))
    out = tmp_path / ("ket_qua" if command == "run" else "ket_qua.xlsx")
    args = [command, "--data", str(data), "--nam", "2021", "--out", str(out)]
    with pytest.raises(SystemExit) as ex:
        main(args + (["--engine", "direct"] if command == "run" else []))
    text = capsys.readouterr()
    said = text.out + text.err
    assert ex.value.code == 2, said
    assert "Thiếu cột «Số lần sinh hoạt»" in said and "Tiêu chí 5 (" in said
    assert not list(out.rglob("*.docx")) if out.is_dir() else not out.exists()


def test_a_score_sheet_column_only_for_comparison_is_a_warning(tmp_path):
    """With the workbook's score deciding (nguon_diem: so_lieu), a column only the score sheet reads
    is a warning (its items show as missing, never 0 points); the cycle's criteria columns stay errors."""
    cd, cs = small_rows()
    data = write_exchange(tmp_path / "khong_dot_cao_diem.xlsx", _tree(), cd, cs)  # no «Thực hiện đợt cao điểm»
    d = load(data, SCALE, cycle=CYCLE, nam=2021)
    about = [i for i in d.issues if i.column and "dot_cao_diem" in i.column]
    assert [i.severity for i in about] == [WARNING]
    assert "các mục này sẽ ghi là thiếu số liệu, không tính 0 điểm" in about[0].rule
