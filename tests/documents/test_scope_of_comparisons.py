"""Year against year only over the same units. When a Đoàn cơ sở has figures in one of the two
years only, a district's (or the province's) totals of the two years are not over the same units:
a whole Đoàn cơ sở's members counted in one year only made «tăng 61 đoàn viên» and a false
«Ưu điểm» (a rise of 1,7 points where the same units fell 1,4). The documents then name the units
once, say no rise nor fall of a total, and the appendix workbook agrees with the signed appendix."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tongket import open_review
from tongket.assessment.compare import presence, unlike_scope, unlike_years
from tongket.common import paths
from tongket.pipeline import analysis_tables, write_unit


def _delete_rows(path: Path, sheet: str, prefix: str, nam: int) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    gone = [r[0].row for r in ws.iter_rows(min_row=2) if str(r[0].value or "").startswith(prefix) and r[1].value == nam]
    assert gone
    for row in reversed(gone):
        ws.delete_rows(row)
    wb.save(path)


def _text(path: Path) -> tuple[list[str], list[list[str]]]:
    d = docx.Document(path)
    return [p.text for p in d.paragraphs], [[c.text for c in r.cells] for t in d.tables for r in t.rows]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("ABCDE"), st.integers(0, 3), st.sampled_from([2020, 2021]),
                          st.sampled_from([True, False, None])), max_size=30))
def test_unlike_scope_is_the_units_sending_in_one_year_only(rows):
    """Against a plain reading: a Đoàn cơ sở sent in a year when any of its branches sent a row
    (a year no row holds is no gap)."""
    frame = pd.DataFrame([{"ma_co_so": c, "ma_don_vi": f"{c}{b}", "nam": y, "co_so_lieu": s} for c, b, y, s in rows],
                         columns=["ma_co_so", "ma_don_vi", "nam", "co_so_lieu"])
    frame["co_so_lieu"] = frame["co_so_lieu"].astype("boolean")
    sent = {(c, y) for c, _, y, s in rows if s}
    both_years = {2020, 2021} <= {y for _, _, y, _ in rows}
    order = list(dict.fromkeys(c for c, *_ in rows))
    want = ([c for c in order if (c, 2021) in sent and (c, 2020) not in sent],
            [c for c in order if (c, 2020) in sent and (c, 2021) not in sent]) if both_years else ([], [])
    got = unlike_scope(presence(frame), 2021)
    assert (sorted(got[0]), sorted(got[1])) == (sorted(want[0]), sorted(want[1]))


def test_the_sample_compares_like_for_like(sample_review):
    """Every Đoàn cơ sở of the sample sent figures in every year: nothing changes there."""
    for ma in ("ST", "ST01", "ST03", "ST06"):
        assert unlike_years(sample_review, ma, 2021) == ([], [])


def test_the_appendix_workbook_shows_what_the_signed_appendix_shows(sample_review):
    """The targets changed between the years (75 % then 90 %): the signed appendix says «không so
    sánh», and phu_luc.xlsx's so_sanh made a difference anyway (−1; 0,833). A unit without
    residential branches printed «–» where the workbook showed 0."""
    table = analysis_tables(sample_review, 2021, "ST01")["so_sanh"]
    row = table[table["chi_tieu"] == "Đoàn cơ sở đạt mục tiêu chi đoàn đạt chuẩn"].iloc[0]
    assert pd.isna(row["chenh_lech"]) and pd.isna(row["so_sanh"])
    assert row["ghi_chu"] == "mục tiêu năm trước 75%, năm nay 90%: không so sánh"
    st06 = analysis_tables(sample_review, 2021, "ST06")["so_sanh"].set_index("chi_tieu")
    assert st06.loc["Tỉ lệ chi đoàn dân cư đạt chuẩn", ["nam_truoc", "nam_nay", "chenh_lech"]].isna().all()
    other = table[table["chi_tieu"] == "Số đoàn viên"].iloc[0]  # a row compared as before
    assert other["chenh_lech"] == other["nam_nay"] - other["nam_truoc"] and pd.isna(other["ghi_chu"]) | (other["ghi_chu"] == "")


@pytest.fixture(scope="module")
def no_2020_of_one(tmp_path_factory):
    """The sample with Đoàn xã Bình Phục Nhứt (ST03.03) sending nothing in 2020, written for ST03."""
    tmp = tmp_path_factory.mktemp("scope")
    path = tmp / "tinh_mau.xlsx"
    shutil.copy(paths.SAMPLE_DATA, path)
    _delete_rows(path, "chi_doan", "ST03.03.", 2020)
    _delete_rows(path, "co_so", "ST03.03", 2020)
    review = open_review(data=path, nam=2021)
    return review, write_unit(review, "ST03", tmp / "out", 2021), tmp / "out" / "2021" / "ST03"


def test_a_unit_with_figures_in_one_year_only_is_named_and_no_total_rises(no_2020_of_one):
    review, written, folder = no_2020_of_one
    assert unlike_years(review, "ST03", 2021) == (["Đoàn xã Bình Phục Nhứt"], [])
    scope = ("Số liệu năm 2020 thiếu Đoàn xã Bình Phục Nhứt (năm 2021 có); các số liệu so với năm 2020 không cùng "
             "phạm vi nên không so sánh.")
    paragraphs, rows = _text(folder / "bao_cao_tong_ket.docx")
    said = "\n".join(paragraphs)
    assert said.count(scope) == 1
    assert ("Năm 2021, có 34/77 chi đoàn trên địa bàn dân cư đạt chuẩn, tỉ lệ 44,2%, không so sánh với năm 2020 "
            "(không cùng phạm vi);") in said  # was «tăng 1,7 điểm phần trăm so với năm 2020»
    assert "- Kết nạp 859 đoàn viên mới, không so sánh với năm 2020 (không cùng phạm vi)" in said  # was «tăng 61»
    strengths = paragraphs[paragraphs.index("1. Ưu điểm") + 1:paragraphs.index("2. Hạn chế")]
    assert strengths and not any("tăng" in p or "so với năm" in p for p in strengths), strengths
    # no total of the two years is said to rise or fall (each unit's own move up a rating is its own)
    rises = [p for p in paragraphs if "với năm 2020" in p.lower() and ("tăng" in p or "giảm" in p)]
    assert rises == [], rises
    compared = [p for p in paragraphs if "so sánh với năm 2020 (không cùng phạm vi)" in p]
    assert len(compared) == 7, compared  # the rate, 3 chủ động, gathering, new members, three of cadres
    member = [r for r in rows if r[1] == "Số đoàn viên (không cùng phạm vi)"]
    assert member and member[0][3:] == ["3.429", "3.797", "–", "–"]
    appendix = _text(folder / "phu_luc_so_lieu.docx")[1]
    assert [r for r in appendix if r[1] == "Số đoàn viên (không cùng phạm vi)"][0][3:] == ["3.429", "3.797", "–", "–"]
    sheet = pd.read_excel(folder / "phu_luc.xlsx", sheet_name="so_sanh")
    members = sheet[(sheet["ma_don_vi"] == "ST03") & (sheet["chi_tieu"] == "Số đoàn viên")].iloc[0]
    assert (members["nam_truoc"], members["nam_nay"], members["ghi_chu"]) == (3429, 3797, "không cùng phạm vi")
    assert np.isnan(members["chenh_lech"]) and np.isnan(members["so_sanh"])
    assert f"Văn bản không nêu tăng, giảm so với năm 2020: {scope}" in written["warnings"]


def test_a_unit_that_sent_nothing_this_year_is_named_too(tmp_path):
    """Đoàn xã Bình Tâm's branches sent nothing in 2021: «Chi đoàn trên địa bàn dân cư 74 → 65 (−9)»
    read as nine branches gone."""
    path = tmp_path / "tinh_mau.xlsx"
    shutil.copy(paths.SAMPLE_DATA, path)
    _delete_rows(path, "chi_doan", "ST02.03.", 2021)
    review = open_review(data=path, nam=2021)
    name = review.results.names()["ST02.03"]
    assert unlike_years(review, "ST02", 2021) == ([], [name])
    assert unlike_years(review, "ST", 2021) == ([], [name])  # the province's totals too
    assert unlike_years(review, "ST01", 2021) == ([], [])  # another district compares as before
    written = write_unit(review, "ST02", tmp_path / "out", 2021)
    paragraphs, rows = _text(tmp_path / "out" / "2021" / "ST02" / "bao_cao_tong_ket.docx")
    assert (f"Số liệu năm 2021 thiếu {name} (năm 2020 có); các số liệu so với năm 2020 không cùng phạm vi nên "
            "không so sánh.") in "\n".join(paragraphs)
    residential = [r for r in rows if r[1].startswith("Chi đoàn trên địa bàn dân cư (")]
    assert residential and residential[0][5:] == ["–", "–"], residential
    assert any(w.startswith("Văn bản không nêu tăng, giảm so với năm 2020") for w in written["warnings"])


def test_the_run_warns_and_a_gap_in_a_units_own_row_counts(tmp_path):
    """Only ST03.03's own 2020 row (its cadre figures) missing, its branches all there: the cadre
    totals are not over the same units («tăng 36 cán bộ»). The warning reaches the run's entries,
    read from the workbook as the workers read it (the engines return no write_unit warnings)."""
    from tongket.batch import runner
    from tongket.batch.options import RunOptions

    path = tmp_path / "tinh_mau.xlsx"
    shutil.copy(paths.SAMPLE_DATA, path)
    _delete_rows(path, "co_so", "ST03.03", 2020)
    plan = runner.select_units(RunOptions(data=path, out=tmp_path / "out", progress=False, engine="direct"))
    runner.open_entries(plan)
    runner.warn_unlike_years(plan)
    said = ("Văn bản không nêu tăng, giảm so với năm 2020: Số liệu năm 2020 thiếu Đoàn xã Bình Phục Nhứt (năm 2021 có); "
            "các số liệu so với năm 2020 không cùng phạm vi nên không so sánh.")
    assert said in plan.entries["ST03"].warnings and said in plan.province.warnings
    assert not [w for w in plan.entries["ST01"].warnings if "phạm vi" in w]
    review = open_review(data=path, nam=2021)
    assert unlike_years(review, "ST03", 2021) == (["Đoàn xã Bình Phục Nhứt"], [])


def test_every_table_by_unit_and_by_year_follows(no_2020_of_one):
    """The province's ranking and its appendix by district made the difference the district's own
    report refuses; the sơ kết's table by year did too, and its period sentence."""
    from tongket.documents.contexts import bao_cao_so_ket
    from tongket.documents.rows import ranking, unit_rows

    review, _, _ = no_2020_of_one
    ranked = {r["ten"]: r["so_voi"] for r in ranking(review, 2021)}
    by_unit = {r["ma"]: r for r in unit_rows(review, "ST", 2021)}
    assert ranked["Huyện Đoàn Long Điền"] == "–" and by_unit["ST03"]["chenh_lech"] == "–"
    assert by_unit["ST03"]["_so"]["chenh_lech"] is None
    assert ranked["Thành Đoàn Tân An"] != "–" and by_unit["ST01"]["_so"]["chenh_lech"] is not None  # like for like
    ctx, _ = bao_cao_so_ket(review, "ST03", 2021)
    years = {r["nam"]: r["so_voi"] for r in ctx["muc_tieu_nam"]}
    # ST03.03 is missing from 2020 alone: 2019 → 2020 and 2020 → 2021 are not like for like; 2018 → 2019 is
    assert years["2021"] == years["2020"] == "–" and years["2019"] not in ("–", "")
    # the period's ends, 2018 and 2021, hold the same units: the change over the period is said
    assert ctx["cau"]["giai_doan"][0].startswith("Tỉ lệ chi đoàn trên địa bàn dân cư đạt chuẩn từ 38,7% (năm 2018) lên")


def test_the_period_is_not_compared_across_a_gap_at_its_start(tmp_path):
    from tongket.documents.contexts import bao_cao_so_ket

    path = tmp_path / "tinh_mau.xlsx"
    shutil.copy(paths.SAMPLE_DATA, path)
    _delete_rows(path, "chi_doan", "ST03.03.", 2018)
    _delete_rows(path, "co_so", "ST03.03", 2018)
    ctx, _ = bao_cao_so_ket(open_review(data=path, nam=2021), "ST03", 2021)
    said = ctx["cau"]["giai_doan"][0]
    assert said.startswith("Tỉ lệ chi đoàn trên địa bàn dân cư đạt chuẩn năm 2018 là ") and \
        said.endswith("(số liệu hai năm không cùng phạm vi nên không so sánh).") and "tăng" not in said, said
    years = {r["nam"]: r["so_voi"] for r in ctx["muc_tieu_nam"]}
    assert years["2019"] == "–" and years["2020"] not in ("–", "")
