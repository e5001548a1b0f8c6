"""Cadres rolled up (contract §6.2): committees meeting the cadre standard, cadres trained,
secretaries changed and new, branch secretaries trained; a blank is never a zero."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import small_rows, small_tree, write_exchange
from tongket.assessment.assess import assess
from tongket.assessment.cadres import ROLLUP_CADRE_COLS, cadre_rollup
from tongket.common.schema import ROLLUP_COLS
from tongket.intake.check import load
from tongket.rules.params import load_cycle

# Đoàn cơ sở figures by year: (members of the committee, of them up to standard, cadres trained, secretary changed)
COMMITTEES = {
    ("C1", 2020): (10, 7, 5, "Không"), ("C1", 2021): (11, 9, 6, "Không"),
    ("C2", 2020): (9, 6, 3, "Có"), ("C2", 2021): (9, 8, 4, "Có"),
    ("C3", 2020): (7, 7, 2, "Không"), ("C3", 2021): (7, None, None, None),  # C3 left its 2021 figures blank
}
NEW_SECRETARY = {("C1.2", 2021), ("C2.1", 2021), ("C1.1", 2020)}


def cadre_workbook(tmp_path, name="can_bo.xlsx"):
    """The small province with cadre figures: C3 (district H2) and its only branch left them blank in 2021."""
    cd, cs = small_rows()
    for r in cd:
        r["bi_thu_moi"] = None if (r["ma_don_vi"], r["nam"]) == ("C3.1", 2021) else \
            ("Có" if (r["ma_don_vi"], r["nam"]) in NEW_SECRETARY else "Không")
        if (r["ma_don_vi"], r["nam"]) == ("C1.3", 2021):
            r["bi_thu_duoc_tap_huan"] = "Không"
    for r in cs:
        bch, dat, trained, changed = COMMITTEES[(r["ma_don_vi"], r["nam"])]
        r |= {"so_uy_vien_bch": bch, "so_uy_vien_dat_chuan": dat, "so_can_bo_duoc_boi_duong": trained,
              "bi_thu_thay_trong_nam": changed}
    return write_exchange(tmp_path / name, small_tree(), cd, cs)


def _assess(path, **cycle_args):
    cycle = load_cycle(data=path, nam=2021, **cycle_args)
    return assess(load(path, cycle.scale), cycle)


def test_district_and_province_cadre_figures(tmp_path):
    r = _assess(cadre_workbook(tmp_path))
    h = r.huyen.set_index(["ma_don_vi", "nam"])
    t = r.tinh.set_index(["ma_don_vi", "nam"])
    h1, h2, t21, t20 = h.loc[("H1", 2021)], h.loc[("H2", 2021)], t.loc[("T", 2021)], t.loc[("T", 2020)]
    assert (h1["so_uy_vien_bch"], h1["so_uy_vien_dat_chuan"], h1["so_co_so_bao_cao_uy_vien"]) == (20, 17, 2)
    assert h1["ty_le_uy_vien_dat_chuan"] == pytest.approx(0.85)
    assert (h1["so_can_bo_duoc_boi_duong"], h1["so_co_so_thay_bi_thu"], h1["so_co_so_bao_cao_thay_bi_thu"]) == (10, 1, 2)
    # 8 branches of H1, 7 with a row of their own: C1.2 and C2.1 have a new secretary; C1.3's is not trained
    assert (h1["so_bi_thu_chi_doan_moi"], h1["so_chi_doan_bao_cao_bi_thu_moi"]) == (2, 7)
    assert (h1["so_bi_thu_duoc_tap_huan"], h1["so_chi_doan_bao_cao_tap_huan"]) == (6, 7)
    assert h1["ty_le_bi_thu_duoc_tap_huan"] == pytest.approx(6 / 7)
    # H2 gave nothing in 2021: every cadre figure is missing, none is 0
    for c in ("so_uy_vien_bch", "so_uy_vien_dat_chuan", "ty_le_uy_vien_dat_chuan", "so_can_bo_duoc_boi_duong",
              "so_co_so_thay_bi_thu", "so_bi_thu_chi_doan_moi"):
        assert pd.isna(h2[c]), c
    assert (h2["so_co_so_bao_cao_uy_vien"], h2["so_chi_doan_bao_cao_bi_thu_moi"]) == (0, 0)
    assert (h2["so_bi_thu_duoc_tap_huan"], h2["ty_le_bi_thu_duoc_tap_huan"]) == (1, 1.0)  # an old column, given
    # the province: C3 left out of the committee rate (not counted as 0 members up to standard)
    assert (t21["so_uy_vien_bch"], t21["so_uy_vien_dat_chuan"], t21["so_co_so_bao_cao_uy_vien"]) == (20, 17, 2)
    assert t21["ty_le_uy_vien_dat_chuan"] == pytest.approx(0.85)
    assert (t20["so_uy_vien_bch"], t20["so_uy_vien_dat_chuan"]) == (26, 20)
    assert t20["ty_le_uy_vien_dat_chuan"] == pytest.approx(20 / 26)
    assert (t20["so_co_so_thay_bi_thu"], t20["so_bi_thu_chi_doan_moi"], t20["so_can_bo_duoc_boi_duong"]) == (1, 1, 10)
    cols = list(r.tinh.columns)  # the cadre columns come as one block, in their order, after the contract's
    start = cols.index(ROLLUP_CADRE_COLS[0])
    assert cols[start:start + len(ROLLUP_CADRE_COLS)] == ROLLUP_CADRE_COLS and start >= len(ROLLUP_COLS)


def test_reporting_units_of_the_co_so_level_get_their_own_figures(tmp_path):
    r = _assess(cadre_workbook(tmp_path), cap_bao_cao="co_so")
    b = r.bao_cao.set_index(["ma_don_vi", "nam"])
    assert (b.loc[("C2", 2021), "so_uy_vien_dat_chuan"], b.loc[("C2", 2021), "so_uy_vien_bch"]) == (8, 9)
    assert b.loc[("C2", 2021), "so_co_so_thay_bi_thu"] == 1
    assert b.loc[("C1", 2021), "so_bi_thu_chi_doan_moi"] == 1
    assert pd.isna(b.loc[("C3", 2021), "ty_le_uy_vien_dat_chuan"])


def test_a_workbook_without_cadre_figures_gets_no_cadre_column(small_workbook):
    r = _assess(small_workbook)
    for f in (r.huyen, r.tinh, r.bao_cao):
        assert not set(ROLLUP_CADRE_COLS) & set(f.columns)


_count = st.one_of(st.none(), st.integers(0, 30))
_flag = st.one_of(st.none(), st.booleans())


@settings(max_examples=60, deadline=None)
@given(units=st.lists(st.tuples(st.sampled_from(["H1", "H2", "H3"]), _count, _count, _count, _flag),
                      min_size=0, max_size=12),
       branches=st.lists(st.tuples(st.sampled_from(["H1", "H2", "H3"]), _flag, _flag), min_size=0, max_size=15))
def test_blanks_never_become_zero_and_rates_stay_within_0_and_1(units, branches):
    """Whatever is blank: sums are over the units that gave the figure (missing where none did),
    the committee's rate is the ratio of its two printed sums and within [0, 1]."""
    units = [(h, bch, None if bch is None or dat is None else min(dat, bch), tr, ch) for h, bch, dat, tr, ch in units]
    co_so = pd.DataFrame(units or None, columns=["ma_huyen", "so_uy_vien_bch", "so_uy_vien_dat_chuan",
                                                "so_can_bo_duoc_boi_duong", "bi_thu_thay_trong_nam"])
    co_so = co_so.astype({"so_uy_vien_bch": "Int64", "so_uy_vien_dat_chuan": "Int64",
                          "so_can_bo_duoc_boi_duong": "Int64", "bi_thu_thay_trong_nam": "boolean"}).assign(nam=2021)
    chi_doan = pd.DataFrame(branches or None, columns=["ma_huyen", "bi_thu_moi", "bi_thu_duoc_tap_huan"]).astype(
        {"bi_thu_moi": "boolean", "bi_thu_duoc_tap_huan": "boolean"}).assign(nam=2021)
    rollup = pd.DataFrame({"ma_don_vi": ["H1", "H2", "H3"], "nam": [2021] * 3})
    out = cadre_rollup(rollup, "huyen", chi_doan, co_so).set_index("ma_don_vi")
    if out.shape[1] == 1:  # nothing given anywhere: no cadre column at all
        assert co_so.drop(columns=["ma_huyen", "nam"]).isna().all().all() and chi_doan["bi_thu_moi"].isna().all()
        return
    for h in ("H1", "H2", "H3"):
        mine, br = co_so[co_so["ma_huyen"] == h], chi_doan[chi_doan["ma_huyen"] == h]
        both = mine.dropna(subset=["so_uy_vien_bch", "so_uy_vien_dat_chuan"])
        row = out.loc[h]
        assert row["so_co_so_bao_cao_uy_vien"] == len(both)
        if both.empty:
            assert pd.isna(row["so_uy_vien_bch"]) and pd.isna(row["ty_le_uy_vien_dat_chuan"])
        else:
            assert row["so_uy_vien_bch"] == both["so_uy_vien_bch"].sum()
            assert row["so_uy_vien_dat_chuan"] == both["so_uy_vien_dat_chuan"].sum()
            if row["so_uy_vien_bch"] > 0:
                assert 0 <= row["ty_le_uy_vien_dat_chuan"] <= 1
                assert row["ty_le_uy_vien_dat_chuan"] == pytest.approx(row["so_uy_vien_dat_chuan"] / row["so_uy_vien_bch"])
            else:
                assert pd.isna(row["ty_le_uy_vien_dat_chuan"])
        trained = mine["so_can_bo_duoc_boi_duong"].dropna()
        assert pd.isna(row["so_can_bo_duoc_boi_duong"]) if trained.empty else \
            row["so_can_bo_duoc_boi_duong"] == trained.sum()
        for col, n_col, frame, src in (("so_co_so_thay_bi_thu", "so_co_so_bao_cao_thay_bi_thu", mine, "bi_thu_thay_trong_nam"),
                                       ("so_bi_thu_chi_doan_moi", "so_chi_doan_bao_cao_bi_thu_moi", br, "bi_thu_moi"),
                                       ("so_bi_thu_duoc_tap_huan", "so_chi_doan_bao_cao_tap_huan", br, "bi_thu_duoc_tap_huan")):
            given_ = frame[src].dropna()
            assert row[n_col] == len(given_)
            assert pd.isna(row[col]) if given_.empty else row[col] == int(given_.astype(bool).sum())
        rate = row["ty_le_bi_thu_duoc_tap_huan"]
        assert pd.isna(rate) if row["so_chi_doan_bao_cao_tap_huan"] == 0 else 0 <= rate <= 1
