"""The fast paths of the assessment at scale give exactly what the group-bys and merges they replace
gave (issue 21): counts and sums per unit-year, last year's standard per branch, the verification
draw. Each is checked against the plain pandas way on random tables, blanks and strays included."""

from __future__ import annotations

import math
import zlib

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from tongket.assessment.unit_years import Places, counter, silent_parts
from tongket.assessment.upkeep import branch_upkeep
from tongket.rules.verification import sample

CODES = ["A", "B", "C", "Đ", "X"]  # X: a unit the target does not have
YEARS = [2019, 2020, 2021, None]


@st.composite
def tables(draw):
    """Rows of branches (unit, year, a count with blanks, a flag) and a target grid of unit-years."""
    n = draw(st.integers(0, 40))
    rows = pd.DataFrame({
        "ma": pd.array(draw(st.lists(st.sampled_from(CODES), min_size=n, max_size=n)), dtype="str"),
        "nam": pd.array(draw(st.lists(st.sampled_from(YEARS), min_size=n, max_size=n)), dtype="Int64"),
        "so": pd.array(draw(st.lists(st.one_of(st.none(), st.integers(0, 500)), min_size=n, max_size=n)),
                       dtype="Int64"),
        "co": draw(st.lists(st.booleans(), min_size=n, max_size=n)),
    })
    units = draw(st.lists(st.sampled_from(CODES[:4]), min_size=1, max_size=4, unique=True))
    years = draw(st.lists(st.sampled_from(YEARS[:3]), min_size=1, max_size=3, unique=True))
    if draw(st.booleans()):  # a repeated unit-year: the counters fall back to the group-by
        units = units + units[:1]
    target = pd.MultiIndex.from_arrays([[u for u in units for _ in years],
                                        pd.array([y for _ in units for y in years], dtype="Int64")])
    return rows, target


@settings(max_examples=150, deadline=None)
@given(tables())
def test_counts_per_unit_year_are_the_group_bys(case):
    """Any mask (true on few rows, most, none, all), as a column or as an array read row by row,
    with or without a repeated unit-year (then the group-by itself)."""
    rows, target = case
    index = pd.RangeIndex(len(target))
    groups = [rows["ma"], rows["nam"]]
    count = counter(rows, "ma", target, index)
    n = len(rows)
    for mask in (rows["co"], ~rows["co"], pd.Series(np.arange(n) == 0), pd.Series(np.arange(n) != 0),
                 pd.Series(np.zeros(n, dtype=bool)), pd.Series(np.ones(n, dtype=bool))):
        want = pd.Series(mask.astype("int64").groupby(groups).sum().reindex(target).fillna(0).to_numpy(),
                         index=index).astype("Int64")
        pd.testing.assert_series_equal(count(mask), want)
        pd.testing.assert_series_equal(count(mask.to_numpy()), want)


@settings(max_examples=150, deadline=None)
@given(tables())
def test_a_roll_ups_sum_is_whole_or_blank_never_a_partial_total(case):
    """A district's sum over its branches that sent a row (`co`): blank where none did or one of
    them left the figure blank (its documents said «Kết nạp 0 đoàn viên mới», and a total short
    of the blank branches), else the plain sum; a row not sent never blanks it."""
    rows, target = case
    index = pd.RangeIndex(len(target))
    sent = rows[rows["co"].astype(bool)]
    groups = [sent["ma"], sent["nam"]]
    whole = sent["so"].groupby(groups).sum(min_count=1).where(~sent["so"].isna().groupby(groups).any())
    want = pd.Series(whole.reindex(target).to_numpy(), index=index).astype("Int64")
    shown = rows.assign(so=rows["so"].where(rows["co"]))  # a branch that sent no row has no figure
    total, _ = Places.of(shown, "ma", target, index).tallies(rows["co"].to_numpy(dtype=bool))
    pd.testing.assert_series_equal(total(shown["so"]), want)


@settings(max_examples=100, deadline=None)
@given(tables(), st.booleans())
def test_a_province_year_with_a_district_none_of_whose_branches_sent_a_row_is_marked(case, every):
    rows, _ = case
    rows = rows[rows["nam"].notna()].assign(tinh=lambda f: np.where(f["ma"].isin(["A", "B"]), "T1", "T2"))
    counted = pd.Series(True, index=rows.index) if every else rows["co"]
    target = pd.MultiIndex.from_product([["T1", "T2", "T3"], pd.array([2019, 2020, 2021], dtype="Int64")])
    got = silent_parts(rows, "ma", counted, "tinh", target)
    silent = {(t, y) for (m, y), c in counted.groupby([rows["ma"], rows["nam"]]).any().items() if not c
              for t in rows.loc[rows["ma"] == m, "tinh"].unique()}
    assert [bool(g) for g in got] == [(t, y) in silent for t, y in target]


def _upkeep_by_merge(chi_doan: pd.DataFrame) -> pd.Series:
    prev = chi_doan[["ma_don_vi", "nam", "dat_chuan"]].copy()
    prev["nam"] = prev["nam"] + 1
    prev = prev.rename(columns={"dat_chuan": "dat_chuan_nam_truoc"}).drop_duplicates(["ma_don_vi", "nam"])
    out = chi_doan.merge(prev, on=["ma_don_vi", "nam"], how="left")
    return out["dat_chuan_nam_truoc"].astype("boolean")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(CODES), st.sampled_from([2018, 2019, 2020, 2021]),
                          st.sampled_from([True, False, None])), max_size=30),
       st.booleans())
def test_last_years_standard_by_position_is_the_merge(rows, unique):
    if unique:
        rows = list({(c, y): (c, y, v) for c, y, v in rows}.values())
    cd = pd.DataFrame({"ma_don_vi": pd.array([r[0] for r in rows], dtype="str"),
                       "nam": pd.array([r[1] for r in rows], dtype="Int64"),
                       "dat_chuan": pd.array([r[2] for r in rows], dtype="boolean")})
    got = branch_upkeep(cd)
    pd.testing.assert_series_equal(got["dat_chuan_nam_truoc"], _upkeep_by_merge(cd), check_names=False)
    assert list(got.index) == list(range(len(cd)))


def _sample_per_commune(chi_doan: pd.DataFrame, nam: int, share: float, minimum: int, seed: int) -> pd.DataFrame:
    """The draw as first written: one frame per commune, concatenated."""
    passing = chi_doan[(chi_doan["nam"] == nam) & chi_doan["dat_chuan"].fillna(False).astype(bool)
                       & chi_doan["ma_co_so"].notna()].sort_values("ma_don_vi")
    picks = []
    for code, rows in passing.groupby("ma_co_so", sort=True):
        k = len(rows)
        n = min(k, max(minimum, math.ceil(share * k)))
        rng = np.random.default_rng([seed, zlib.crc32(str(code).encode("utf-8"))])
        chosen = rows.iloc[np.sort(rng.choice(k, size=n, replace=False))]
        picks.append(chosen.assign(so_chi_doan_bao_cao_dat=k, so_chi_doan_tham_dinh=n))
    cols = ["ma_co_so", "ma_don_vi", "ten_don_vi", "nam", "so_chi_doan_bao_cao_dat", "so_chi_doan_tham_dinh"]
    return pd.concat(picks, ignore_index=True)[cols] if picks else pd.DataFrame(columns=cols)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 60), st.integers(0, 2**31 - 1), st.sampled_from([0.1, 0.25, 0.5, 1.0]), st.integers(0, 4))
def test_verification_draw_is_the_same_as_one_frame_per_commune(n, seed, share, minimum):
    rng = np.random.default_rng(seed)
    cd = pd.DataFrame({
        "ma_co_so": pd.array([None if rng.random() < 0.05 else f"CS{rng.integers(0, 6)}" for _ in range(n)],
                             dtype="str"),
        "ma_don_vi": pd.array([f"CD{i:03d}" for i in rng.permutation(n)], dtype="str"),
        "ten_don_vi": pd.array([f"Chi đoàn {i}" for i in range(n)], dtype="str"),
        "nam": pd.array(rng.choice([2020, 2021], n), dtype="Int64"),
        "dat_chuan": pd.array([None if r < 0.1 else bool(r < 0.7) for r in rng.random(n)], dtype="boolean"),
    })
    got = sample(cd, 2021, share, minimum, seed)
    want = _sample_per_commune(cd, 2021, share, minimum, seed)
    pd.testing.assert_frame_equal(got.drop(columns=["hat_giong", "cach_chon"]), want, check_dtype=bool(len(want)))
