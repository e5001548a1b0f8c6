"""Member ratings rolled up (contract §6.2): sums, shares, each year on its scale, blanks never zero."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import branch, small_tree, write_exchange
from tongket.assessment.assess import assess
from tongket.assessment.members import member_ratings
from tongket.intake.check import load
from tongket.rules.members import load_member_scale
from tongket.rules.params import load_cycle

CYCLE = load_cycle()
MEMBER_SCALE = load_member_scale()
NEW = {"so_dv_duoc_danh_gia": 18, "so_dv_htxs": 3, "so_dv_htt": 9, "so_dv_ht": 5, "so_dv_kht": 1}
OLD = {"so_dv_duoc_danh_gia": 16, "so_dv_xs": 2, "so_dv_kha": 10, "so_dv_tb": 3, "so_dv_yeu": 1}


def _results(tmp_path, cd):
    path = write_exchange(tmp_path / "dv.xlsx", small_tree(), cd, [])
    return assess(load(path, CYCLE.scale), CYCLE)


def _row(frame: pd.DataFrame, ma: str, nam: int) -> pd.Series:
    return frame[(frame["ma_don_vi"] == ma) & (frame["nam"] == nam)].iloc[0]


def test_rollup_sums_and_shares_on_each_years_scale(tmp_path):
    cd = [branch("C1.1", 2018, **OLD), branch("C2.1", 2018, **OLD), branch("C3.1", 2018, **OLD),
          branch("C1.1", 2019, **NEW), branch("C1.2", 2019, so_doan_vien=30, so_dv_duoc_danh_gia=30, so_dv_htxs=6,
                                                  so_dv_htt=14, so_dv_ht=9, so_dv_kht=1),
          branch("C3.1", 2019, **NEW)]
    r = _results(tmp_path, cd)
    h1 = _row(r.huyen, "H1", 2019)
    assert (h1["so_dv_duoc_danh_gia"], h1["so_dv_htxs"], h1["so_dv_htt"], h1["so_dv_ht"], h1["so_dv_kht"]) == \
        (48, 9, 23, 14, 2)
    assert h1["ty_le_dv_duoc_danh_gia"] == pytest.approx(48 / 50)
    assert h1["ty_le_dv_htxs"] == pytest.approx(9 / 48)
    assert pd.isna(h1["so_dv_xs"]) and pd.isna(h1["ty_le_dv_xs"])  # 2019 is not on the old scale
    t18 = _row(r.tinh, "T", 2018)
    assert (t18["so_dv_duoc_danh_gia"], t18["so_dv_xs"], t18["so_dv_kha"], t18["so_dv_tb"], t18["so_dv_yeu"]) == \
        (48, 6, 30, 9, 3)  # (without C3.1's row, H2 would have sent nothing in 2018: the province's sum blank)
    assert t18["ty_le_dv_kha"] == pytest.approx(30 / 48)
    assert pd.isna(t18["so_dv_htxs"])
    c1 = _row(r.co_so, "C1", 2019)
    assert (c1["so_dv_duoc_danh_gia"], c1["ty_le_dv_duoc_danh_gia"]) == (48, pytest.approx(0.96))
    assert _row(r.tinh, "T", 2019)["so_chi_doan_thieu_danh_gia_dv"] == 0


def test_a_branch_with_a_blank_is_left_out_and_counted_not_added_as_zero(tmp_path):
    cd = [branch("C1.1", 2021, **NEW), branch("C1.2", 2021, **{**NEW, "so_dv_kht": None})]
    r = _results(tmp_path, cd)
    c1 = _row(r.co_so, "C1", 2021)
    assert (c1["so_dv_duoc_danh_gia"], c1["so_dv_kht"], c1["so_chi_doan_thieu_danh_gia_dv"]) == (18, 1, 1)
    assert c1["ty_le_dv_duoc_danh_gia"] == pytest.approx(18 / 20)  # the members of the branch counted only
    # a unit with no complete branch has no figure, not 0
    c3 = _row(r.co_so, "C3", 2021)
    assert pd.isna(c3["so_dv_duoc_danh_gia"]) and pd.isna(c3["ty_le_dv_duoc_danh_gia"])


def test_without_member_columns_the_results_are_unchanged(small_workbook):
    r = assess(load(small_workbook, CYCLE.scale), CYCLE)
    for frame in (r.co_so, r.huyen, r.tinh):
        assert not [c for c in frame.columns if c.startswith(("so_dv_duoc", "ty_le_dv_h", "so_chi_doan_thieu_danh"))]


_levels = st.lists(st.one_of(st.none(), st.integers(0, 40)), min_size=4, max_size=4)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from([2018, 2021]), _levels, st.integers(0, 30)), min_size=1, max_size=8))
def test_level_shares_add_up_to_one_and_blanks_never_become_zero(rows):
    """Per unit and year: with every branch complete the level shares add up to 1; a sum is never
    made of blanks (a unit whose branches all have a blank has no figure, not 0)."""
    recs = []
    for k, (nam, levels, spare) in enumerate(rows):
        codes = MEMBER_SCALE.period(nam).columns
        known = [v for v in levels if v is not None]
        total = sum(known)
        rec = {"ma_don_vi": f"B{k}", "ma_co_so": "C", "nam": nam, "co_so_lieu": True,
               "so_doan_vien": total + spare, "so_dv_duoc_danh_gia": total, **dict(zip(codes, levels))}
        recs.append(rec)
    chi_doan = pd.DataFrame(recs)
    for c in ("so_doan_vien", "so_dv_duoc_danh_gia", *MEMBER_SCALE.period(2021).columns,
              *MEMBER_SCALE.period(2018).columns):
        chi_doan[c] = chi_doan[c].astype("Int64") if c in chi_doan else pd.array([pd.NA] * len(chi_doan), "Int64")
    grid = pd.DataFrame({"ma_don_vi": ["C", "C"], "nam": [2018, 2021]})
    (out,) = member_ratings(chi_doan, MEMBER_SCALE, (grid, "co_so"))
    for r in out.itertuples():
        mine = [x for x in rows if x[0] == r.nam]
        complete = [x for x in mine if all(v is not None for v in x[1])]
        if not mine:  # no branch of the year gives a figure: not collected, nothing counted
            assert pd.isna(r.so_chi_doan_thieu_danh_gia_dv) and pd.isna(r.so_dv_duoc_danh_gia)
            continue
        assert r.so_chi_doan_thieu_danh_gia_dv == len(mine) - len(complete)
        codes = [lv.code for lv in MEMBER_SCALE.levels(r.nam)]
        if not complete:
            assert pd.isna(r.so_dv_duoc_danh_gia)
            assert all(pd.isna(getattr(r, f"so_dv_{c}")) for c in codes)
            continue
        assert r.so_dv_duoc_danh_gia == sum(sum(x[1]) for x in complete)
        for i, c in enumerate(codes):
            assert getattr(r, f"so_dv_{c}") == sum(x[1][i] for x in complete)
        if r.so_dv_duoc_danh_gia > 0:
            assert sum(getattr(r, f"ty_le_dv_{c}") for c in codes) == pytest.approx(1.0)
        else:
            assert all(pd.isna(getattr(r, f"ty_le_dv_{c}")) for c in codes)
