"""Sheet dac_thu_tien_do (contract §6.5) [003]: read and checked (a row of a unit not marked
special, a quarter outside 1–4, a duplicate quarter, each naming its cell), the quarters as the
work team judged them (a blank is "not judged", never "no progress"), and the recognition rule's
picks on a built workbook."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import small_rows, small_tree, write_exchange
from helpers import add_sheet
from tongket import open_review
from tongket.assessment.special_progress import Rule, candidates, quarters, rule, special_units
from tongket.errors import ERROR, ConfigError

TEAM = "Tổ công tác số 1"


def special_tree() -> list[dict]:
    """The small province with C1 (score down) and C2 (rating up) marked special."""
    tree = small_tree()
    for u in tree:
        u["dac_thu"] = u["ma_don_vi"] in ("C1", "C2")
        u["to_cong_tac"] = TEAM if u["ma_don_vi"] in ("C1", "C2") else None
    return tree


def progress_book(path: Path, rows: list[list], tree: list[dict] | None = None) -> Path:
    """The small workbook with a sheet dac_thu_tien_do of `rows` (ma, nam, quy, tien_bo, ghi_chu)."""
    cd, cs = small_rows()
    typed = {("C1", 2020): "HTNV", ("C1", 2021): "HTNV", ("C2", 2020): "HTNV", ("C2", 2021): "HTXSNV"}
    for r in cs:  # special units are rated on their own sheet unless the rating is typed
        r["xep_loai"] = typed.get((r["ma_don_vi"], r["nam"]), r.get("xep_loai"))
    write_exchange(path, tree or special_tree(), cd, cs)
    add_sheet(path, "dac_thu_tien_do", ["ma_don_vi", "nam", "quy", "tien_bo", "ghi_chu"], rows)
    return path


GOOD = [["C1", 2021, 1, "Có", "Đã kiện toàn Ban Chấp hành"], ["C1", 2021, 2, "Có", None],
        ["C1", 2021, 3, "Không", None], ["C1", 2021, 4, None, None],
        ["C2", 2021, 1, "Không", None], ["C2", 2021, 2, "Có", None]]


def _issues(path: Path, sheet: str = "dac_thu_tien_do") -> list:
    """Every issue of the sheet as the check reports it (before a unit in error is set aside)."""
    from tongket.intake.check import load
    from tongket.rules.params import load_cycle

    data = load(path, load_cycle().scale)
    return [i for i in data.issues if i.sheet == sheet]


def test_a_clean_sheet_reads_without_issue(tmp_path):
    review = open_review(data=progress_book(tmp_path / "x.xlsx", GOOD), nam=2021)
    assert _issues(review.data.path) == []
    q = quarters(review.data.optional["dac_thu_tien_do"], ["C1", "C2", "C3"], 2021)
    assert q.loc["C1", ["q1", "q2", "q3", "q4"]].tolist() == [True, True, False, None]
    assert q.loc["C1", "so_quy_tien_bo"] == 2 and q.loc["C1", "so_quy_danh_gia"] == 3
    assert q.loc["C1", "ghi_chu_1"] == "Đã kiện toàn Ban Chấp hành"
    assert pd.isna(q.loc["C3", "so_quy_tien_bo"])  # no row: not judged, not 0


def test_a_unit_not_special_is_an_error_naming_its_cell(tmp_path):
    rows = [*GOOD, ["C3", 2021, 1, "Có", None]]
    (issue,) = _issues(progress_book(tmp_path / "x.xlsx", rows))
    assert issue.severity == ERROR
    assert (issue.file, issue.sheet, issue.row, issue.column, issue.value) == (
        "x.xlsx", "dac_thu_tien_do", 8, "Mã đơn vị (A)", "C3")
    assert "«Đoàn xã Đông Hòa» không phải đơn vị đặc thù" in issue.rule


def test_a_quarter_outside_one_to_four_is_an_error(tmp_path):
    rows = [*GOOD, ["C2", 2021, 5, "Có", None], ["C2", 2021, 2.5, "Có", None]]
    found = {(i.row, i.column, i.value, i.rule) for i in _issues(progress_book(tmp_path / "x.xlsx", rows))}
    assert found == {(8, "Quý (C)", 5, "Quý phải là số nguyên từ 1 đến 4"),
                     (9, "Quý (C)", 2.5, "Quý phải là số nguyên từ 1 đến 4")}


def test_a_duplicate_quarter_is_an_error_and_neither_row_counts(tmp_path):
    rows = [*GOOD, ["C2", 2021, 2, "Không", None]]
    review = open_review(data=progress_book(tmp_path / "x.xlsx", rows), nam=2021)
    dup = _issues(review.data.path)
    assert [(i.row, i.value) for i in dup] == [(7, "C2"), (8, "C2")]
    assert all("hai dòng số liệu cho năm 2021" in i.rule and "(các dòng 7, 8)" in i.rule for i in dup)
    q = quarters(review.data.optional["dac_thu_tien_do"], ["C2"], 2021)
    assert q.loc["C2", "q2"] is None or pd.isna(q.loc["C2", "q2"])


def test_without_the_sheet_nothing_changes(tmp_path, small_workbook):
    review = open_review(data=small_workbook, nam=2021)
    assert "dac_thu_tien_do" not in review.data.optional
    assert not any("đặc thù" in i.rule for i in review.data.issues)


def _cycle_with(review, tmp_path: Path, text: str):
    path = tmp_path / "chu_ky.yaml"
    path.write_text(text, encoding="utf-8")
    return dataclasses.replace(review.cycle, path=path)


def test_the_rule_picks_units_by_quarters_or_by_moving_up(tmp_path):
    review = open_review(data=progress_book(tmp_path / "x.xlsx", GOOD), nam=2021)
    sheet = review.data.optional["dac_thu_tien_do"]
    t = special_units(review.results, sheet, review.cycle.scale, 2021, rule(review.cycle)).set_index("ma_don_vi")
    assert list(t.index) == ["C1", "C2"]
    # C1: progress in quarters I and II (two of the three judged); rated HTNV both years
    assert (t.at["C1", "so_quy_tien_bo"], t.at["C1", "theo_quy"], t.at["C1", "nang_bac"]) == (2, True, False)
    # C2: progress in one quarter, but rated HTNV in 2020 and HTXSNV in 2021: moved up
    assert (t.at["C2", "so_quy_tien_bo"], t.at["C2", "theo_quy"], t.at["C2", "nang_bac"]) == (1, False, True)
    assert t["cong_nhan"].tolist() == [True, True]
    strict = Rule(so_quy_toi_thieu=3, hoac_nang_bac=False)
    assert special_units(review.results, sheet, review.cycle.scale, 2021, strict)["cong_nhan"].tolist() == [False, False]
    by_quarters_only = Rule(so_quy_toi_thieu=2, hoac_nang_bac=False)
    picks = special_units(review.results, sheet, review.cycle.scale, 2021, by_quarters_only)
    assert picks.loc[picks["cong_nhan"], "ma_don_vi"].tolist() == ["C1"]


def test_the_rule_is_read_from_the_cycle_file_and_checked(tmp_path):
    review = open_review(data=progress_book(tmp_path / "x.xlsx", GOOD), nam=2021)
    cycle = _cycle_with(review, tmp_path, "dac_thu:\n  cong_nhan_tien_bo:\n    so_quy_toi_thieu: 3\n"
                                          "    hoac_nang_bac: false\n  de_xuat_nam_sau: [ht, kht]\n")
    assert rule(cycle) == Rule(3, False, ("ht", "kht"))
    assert rule(_cycle_with(review, tmp_path / "..", "nam: 2021\n")) == Rule(2, True, None)
    with pytest.raises(ConfigError, match="so_quy_toi_thieu: cần số nguyên từ 1 đến 4, gặp «5»"):
        rule(_cycle_with(review, tmp_path, "dac_thu:\n  cong_nhan_tien_bo:\n    so_quy_toi_thieu: 5\n"))
    with pytest.raises(ConfigError, match="mức «xuat_sac» không có trong thang"):
        rule(_cycle_with(review, tmp_path, "dac_thu:\n  de_xuat_nam_sau: [xuat_sac]\n"))


def test_candidates_for_next_year_are_the_units_rated_at_the_rule_levels(tmp_path):
    review = open_review(data=progress_book(tmp_path / "x.xlsx", GOOD), nam=2021)
    co_so = review.results.co_so
    ratings = co_so[co_so["nam"] == 2021].set_index("ma_don_vi")["xep_loai"].to_dict()
    assert ratings == {"C1": "ht", "C2": "htxs", "C3": "htt"}
    c = candidates(co_so, review.cycle.scale, 2021, Rule(de_xuat_nam_sau=("ht", "htt")))
    assert dict(zip(c["ma_don_vi"], c["dang_dac_thu"])) == {"C1": True, "C3": False}
    assert candidates(co_so, review.cycle.scale, 2021, Rule()).empty  # nobody rated kht


@given(st.lists(st.sampled_from([True, False, None]), min_size=4, max_size=4))
def test_quarters_count_only_what_was_judged(marks):
    sheet = pd.DataFrame({"ma_don_vi": "C1", "nam": 2021, "quy": [1, 2, 3, 4],
                          "tien_bo": pd.Series(marks, dtype=object), "ghi_chu": None})
    q = quarters(sheet, ["C1"], 2021).loc["C1"]
    judged = [m for m in marks if m is not None]
    assert q["so_quy_danh_gia"] == len(judged)
    if judged:
        assert q["so_quy_tien_bo"] == sum(judged)
    else:
        assert pd.isna(q["so_quy_tien_bo"])  # nothing judged is never "0 quarters of progress"
