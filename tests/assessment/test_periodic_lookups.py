"""Lookups that hash one year's codes instead of every row's give what the plain lookups give
(issue 21). A result table lists every unit once per year, in the same order each year, and many
workbooks list their rows so too: `unit_years.period` finds that repetition with one comparison,
and the lookups then hash one year's block and repeat it. Each property draws such tables, then
breaks them the ways real ones are broken (a code changed in one year, a blank code, a year out
of place, a unit listed twice) and compares with the plain pandas operation value for value.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from tongket.assessment import branch_figures as bf
from tongket.assessment import grids
from tongket.assessment import unit_years as uy
from tongket.rules import wording

CODES = ["A", "B", "C", "Đ", "E"]
YEARS = [2019, 2020, 2021]


@st.composite
def repeated(draw, unique: bool = False):
    """(codes, years): a block of codes repeated once per year, perhaps broken in one place."""
    block = draw(st.lists(st.sampled_from([*CODES, None] if not unique else CODES), min_size=1, max_size=5,
                          unique=unique))
    years = draw(st.lists(st.sampled_from(YEARS), min_size=1, max_size=3, unique=True))
    codes = [c for _ in years for c in block]
    nam: list = [y for y in years for _ in block]
    how = draw(st.sampled_from(["intact", "code", "blank", "na", "year", "twice"]))
    at = draw(st.integers(0, len(codes) - 1))
    if how == "code":
        codes[at] = draw(st.sampled_from([*CODES, "X"]))
    elif how == "blank":
        codes[at] = None
    elif how == "na":
        codes[at] = pd.NA
    elif how == "year":
        nam[at] = draw(st.sampled_from([*YEARS, None]))
    elif how == "twice":
        codes, nam = codes + codes[:1], nam + nam[:1]
    return codes, pd.array(nam, dtype="Int64")


@settings(max_examples=300, deadline=None)
@given(repeated(), st.lists(st.sampled_from(CODES), max_size=5, unique=True))
def test_a_lookup_by_period_is_the_plain_lookup(case, index_codes):
    codes, nam = case
    values = pd.Series(codes, dtype=object)
    index = pd.Index(index_codes, dtype=object)
    assert uy.find(index, values, nam).tolist() == index.get_indexer(values.to_numpy(dtype=object)).tolist()
    got_codes, got_uniques, p = uy._factorize(values, nam)
    want_codes, want_uniques = pd.factorize(values)
    assert got_codes.tolist() == want_codes.tolist()
    assert list(got_uniques) == list(want_uniques)
    if p:  # a period found is a real one
        assert all(codes[i] is codes[i % p] or codes[i] == codes[i % p] for i in range(len(codes)))


def _plain_locate(unit, nam, target_unit, target_nam):
    """Each row's position among the target's unit-years, by a dictionary (None: the target repeats
    a unit-year or has a blank)."""
    def blank(v):
        return v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v))
    keys = list(zip(target_unit, target_nam, strict=True))
    if any(blank(u) or blank(y) for u, y in keys) or len(set(keys)) != len(keys):
        return None
    where = {k: i for i, k in enumerate(keys)}
    return [-1 if blank(u) or blank(y) else where.get((u, y), -1) for u, y in zip(unit, nam, strict=True)]


@settings(max_examples=300, deadline=None)
@given(repeated(unique=True), st.lists(st.tuples(st.sampled_from([*CODES, "X", None]), st.sampled_from([*YEARS, 2030])),
                                       max_size=12), st.booleans())
def test_unit_years_found_in_a_grid_by_arithmetic_are_found_by_key(case, asked, own):
    codes, nam = case
    target_unit, target_nam = pd.Series(codes, dtype=object), pd.Series(nam)
    if own:  # a table asking for its own rows of the year before (last year's standard)
        unit, years = target_unit, target_nam - 1
    else:
        unit = pd.Series([u for u, _ in asked], dtype=object)
        years = pd.Series(pd.array([y for _, y in asked], dtype="Int64"))
    got = uy.locate(unit, years, target_unit, target_nam)
    want = _plain_locate(list(unit), [None if y is pd.NA else int(y) for y in years],
                         list(target_unit), [None if y is pd.NA else int(y) for y in target_nam])
    assert (got is None and want is None) or got.tolist() == want


@settings(max_examples=200, deadline=None)
@given(repeated(), st.lists(st.sampled_from(CODES[:4]), min_size=1, max_size=4, unique=True), st.data())
def test_totals_per_unit_year_are_the_group_by_sums_and_counts(case, units, data):
    codes, nam = case
    rows = pd.DataFrame({"ma": pd.Series(codes, dtype=object), "nam": nam,
                         "so": pd.array([data.draw(st.one_of(st.none(), st.integers(0, 500))) for _ in codes],
                                        dtype="Int64")})
    target = pd.MultiIndex.from_arrays([[u for y in YEARS for u in units],
                                        pd.array([y for y in YEARS for _ in units], dtype="Int64")])
    total = uy.Places.of(rows, "ma", target, target).totals()
    assert total is not None
    s, n = total(rows["so"])
    known = rows[rows["ma"].notna() & rows["nam"].notna()]
    groups = known.groupby([known["ma"].astype(str), known["nam"]])["so"]
    want_sum = groups.sum(min_count=1).reindex(target)
    want_n = groups.count().reindex(target).fillna(0)
    assert n.tolist() == want_n.tolist()
    assert [None if k == 0 else int(v) for v, k in zip(s, n, strict=True)] == \
        [None if pd.isna(v) else int(v) for v in want_sum]


SUMS = bf.SUMS


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["A", "B", "C"]), min_size=1, max_size=3, unique=True), st.integers(0, 6), st.data())
def test_a_communes_branch_figures_by_position_are_the_group_bys(co_so, per, data):
    """branch_measures (sums with blanks kept blank, shares) by position and by group-bys agree."""
    n = len(YEARS) * per
    parents = [data.draw(st.sampled_from([*co_so, None, "Z"])) for _ in range(per)]
    cd = pd.DataFrame({"ma_co_so": pd.Series([p for _ in YEARS for p in parents], dtype=object),
                       "nam": pd.array([y for y in YEARS for _ in parents], dtype="Int64")})
    for c in SUMS:
        cd[c] = pd.array([data.draw(st.one_of(st.none(), st.integers(0, 90))) for _ in range(n)], dtype="Int64")
    cd["bi_thu_duoc_tap_huan"] = pd.array([data.draw(st.sampled_from([True, False, None])) for _ in range(n)],
                                          dtype="boolean")
    cd["so_lan_sinh_hoat"] = pd.array([data.draw(st.one_of(st.none(), st.integers(5, 12))) for _ in range(n)],
                                      dtype="Int64")
    # a branch that sent no row has no figure; one that did may have left some blank
    cd["co_so_lieu"] = np.array([data.draw(st.booleans()) for _ in range(n)], dtype=bool)
    cd.loc[~cd["co_so_lieu"], SUMS] = pd.NA
    grid = pd.DataFrame({"ma_don_vi": [u for _ in YEARS for u in co_so],
                         "nam": pd.array([y for y in YEARS for _ in co_so], dtype="Int64")})
    pd.testing.assert_frame_equal(bf.branch_measures(grid, cd), bf.branch_measures_grouped(grid, cd))


@settings(max_examples=200, deadline=None)
@given(repeated(), st.booleans())
def test_the_units_above_joined_by_position_are_the_join(case, duplicate):
    codes, nam = case
    tree = pd.DataFrame({c: [f"{c}-{u}" if u != "C" else pd.NA for u in CODES] for c in
                         ("ma_co_so", "ma_huyen", "ma_tinh", "ma_bao_cao")},
                        index=pd.Index(CODES, name="ma_don_vi"), dtype=object)
    if duplicate:  # a unit twice in the tree: the join, as before
        tree = pd.concat([tree, tree.iloc[:1]])
    frame = pd.DataFrame({"ma_don_vi": pd.Series(codes, dtype=object), "nam": nam})
    cols = ["ma_co_so", "ma_huyen", "ma_tinh", "ma_bao_cao"]
    pd.testing.assert_frame_equal(grids.with_tree(frame, tree), frame.join(tree[cols], on="ma_don_vi"))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["count", "rate", "bool"]), st.lists(st.one_of(st.none(), st.integers(0, 30)), max_size=20))
def test_values_worded_once_each_read_as_worded_row_by_row(kind, raw):
    if kind == "bool":
        values = pd.array([None if v is None else v % 2 == 0 for v in raw], dtype="boolean")
    elif kind == "rate":
        values = pd.array([None if v is None else v / 30 for v in raw], dtype="Float64")
    else:
        values = pd.array(raw, dtype="Int64")
    codes, texts = wording.worded(values, kind)
    want_codes, want_texts = pd.factorize(wording.reason_texts(pd.Series(values), kind).to_numpy(dtype=object))
    assert codes.tolist() == want_codes.tolist()
    assert list(texts) == list(want_texts)
