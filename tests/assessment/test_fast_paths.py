"""The assessment's fast paths give what the plain pandas way gives, on any input (issue 21).

Each fast path replaces a plain operation on a national workbook: the join of a unit-year grid
with the data rows (a merge of string keys), the reasons joined in code space (a string per row),
the result tables built in their final order (a take of a wide table). Each property compares the
fast path with the plain operation, value for value and dtype for dtype, on inputs drawn to hit
the cases a fast path must hand back: a unit twice in the tree, a unit-year sent twice, a unit
or a year the grid does not know, blanks.
"""

from __future__ import annotations

import importlib

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from tongket.rules import rubric

A = importlib.import_module("tongket.assessment.assess")
grids = importlib.import_module("tongket.assessment.grids")

CODES = ["C1", "C2", "C3", "C4", "Ç5"]
YEARS = [2019, 2020, 2021]


@st.composite
def grids_and_rows(draw):
    units = draw(st.lists(st.sampled_from([*CODES, None]), min_size=0, max_size=5))  # None: a unit with no code
    years = sorted(draw(st.sets(st.sampled_from(YEARS), min_size=1, max_size=3)))
    tree = pd.DataFrame({"ma_huyen": [draw(st.sampled_from(["H1", "H2", None])) for _ in CODES]},
                        index=pd.Index(CODES, name="ma_don_vi"))
    names = [f"Chi đoàn {draw(st.sampled_from('BAĐ'))}" for _ in units]
    unit_frame = pd.DataFrame({"ma_don_vi": pd.array(units, dtype="str"), "ten_don_vi": pd.array(names, dtype="str")})
    keys = draw(st.lists(st.tuples(st.sampled_from(CODES + ["X9"]), st.sampled_from(YEARS + [2030])), max_size=8))
    rows = pd.DataFrame({
        "ma_don_vi": pd.array([k for k, _ in keys], dtype="str"),
        "nam": pd.array([y for _, y in keys], dtype="Int64"),
        "so_doan_vien": pd.array([draw(st.one_of(st.none(), st.integers(0, 99))) for _ in keys], dtype="Int64"),
        "co_hoat_dong": pd.array([draw(st.one_of(st.none(), st.booleans())) for _ in keys], dtype="boolean"),
        "ghi_chu": pd.array([draw(st.one_of(st.none(), st.text("ab ", max_size=3))) for _ in keys], dtype=object),
    })
    ordered = draw(st.booleans())
    return grids.grid(unit_frame, years, tree if ordered else None), rows


@settings(max_examples=200, deadline=None)
@given(grids_and_rows())
def test_the_grid_joins_its_rows_as_a_merge_does(case):
    grid, rows = case
    fast, has_row = grids.attach(grid, rows)
    plain = grid.merge(rows, on=["ma_don_vi", "nam"], how="left", indicator=True)
    plain_has = plain.pop("_merge") == "both"
    pd.testing.assert_frame_equal(fast, plain)
    assert has_row.tolist() == plain_has.tolist()


def _plain_join(parts, sep, n):
    """The reasons joined row by row, as the kit joined them before code space."""
    out, filled = [""] * n, [False] * n
    for mask, code, texts in parts:
        for i in range(n):
            if mask[i]:
                out[i] = (out[i] + sep if filled[i] else "") + texts[code[i]]
                filled[i] = True
    return out


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 12).flatmap(lambda n: st.tuples(st.just(n), st.lists(st.tuples(
    st.lists(st.booleans(), min_size=n, max_size=n),
    st.lists(st.integers(0, 3), min_size=n, max_size=n),
    st.lists(st.sampled_from(["", "a", "Tiêu chí 4 (b): c", "a và b"]), min_size=4, max_size=4)), max_size=4))))
def test_reasons_joined_in_code_space_read_as_joined_row_by_row(case):
    n, raw = case
    parts = [(np.array(m, dtype=bool), np.array(c, dtype=np.intp), t) for m, c, t in raw]
    code, texts = rubric._join(parts, "; ", n)
    assert [texts[i] for i in code] == _plain_join(parts, "; ", n)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["Chi đoàn Ấp 2", "Chi đoàn ấp 10", "Chi đoàn Đông", "Chi đoàn An"]),
                          st.sampled_from(["H1", "H2", None]), st.sampled_from(YEARS)), max_size=12))
def test_ordering_a_table_already_in_order_keeps_it_and_any_other_is_sorted(rows):
    frame = pd.DataFrame({"ten_don_vi": [r[0] for r in rows], "ma_huyen": [r[1] for r in rows],
                          "nam": pd.array([r[2] for r in rows], dtype="Int64"), "i": range(len(rows))})
    once = grids.in_order(frame)
    assert sorted(once["i"]) == list(range(len(rows)))
    pd.testing.assert_frame_equal(grids.in_order(once), once)  # in order already: the same rows, the same order
    years = once["nam"].tolist()
    assert years == sorted(years)


def test_a_plain_grid_is_joined_by_position_without_a_merge(monkeypatch):
    units = pd.DataFrame({"ma_don_vi": pd.array(["C2", "C1", "C3"], dtype="str"),
                          "ten_don_vi": pd.array(["Chi đoàn B", "Chi đoàn A", "Chi đoàn C"], dtype="str")})
    tree = pd.DataFrame({"ma_huyen": ["H1", "H1", "H2"]}, index=pd.Index(["C1", "C2", "C3"], name="ma_don_vi"))
    grid = grids.grid(units, [2020, 2021], tree)
    rows = pd.DataFrame({"ma_don_vi": pd.array(["C3", "C1", "X9"], dtype="str"),
                         "nam": pd.array([2021, 2020, 2021], dtype="Int64"),
                         "so_doan_vien": pd.array([12, None, 5], dtype="Int64")})
    plain = grid.merge(rows, on=["ma_don_vi", "nam"], how="left")

    def refuse(*a, **k):
        raise AssertionError("merged")

    monkeypatch.setattr(pd.DataFrame, "merge", refuse)
    fast, has_row = grids.attach(grid, rows)
    pd.testing.assert_frame_equal(fast, plain)
    assert grid["ma_don_vi"].tolist() == ["C1", "C2", "C3"] * 2  # built in the tables' order: district, name
    assert has_row.tolist() == [True, False, False, False, False, True]
    assert fast["so_doan_vien"].tolist() == [pd.NA, pd.NA, pd.NA, pd.NA, pd.NA, 12]


def test_the_unit_tree_is_walked_through_cycles_unknown_parents_and_duplicates():
    """ancestors() walks integer positions: a cycle stops at the depth limit, an unknown or blank
    parent ends the walk, a code twice keeps its first row, a level the kit does not know is skipped."""
    from tongket.common.units import ancestors

    tree = pd.DataFrame({"ma_don_vi": ["T", "H1", "C1", "B1", "B2", "X", "Y", "Z", "B1", "Q"],
                         "ma_cap_tren": ["", "T", "H1", "C1", "NOPE", "Y", "X", None, "H1", "C1"],
                         "cap": ["tinh", "huyen", "co_so", "chi_doan", "chi_doan", "huyen", "co_so", "chi_doan",
                                 "chi_doan", "la"]})
    tree["ma_cap_tren"] = tree["ma_cap_tren"].replace("", pd.NA)
    got = ancestors(tree).astype(object).where(lambda f: f.notna(), None)
    assert got.to_dict("index") == {
        "T": {"ma_tinh": "T", "ma_huyen": None, "ma_co_so": None},
        "H1": {"ma_tinh": "T", "ma_huyen": "H1", "ma_co_so": None},
        "C1": {"ma_tinh": "T", "ma_huyen": "H1", "ma_co_so": "C1"},
        "B1": {"ma_tinh": "T", "ma_huyen": "H1", "ma_co_so": "C1"},
        "B2": {"ma_tinh": None, "ma_huyen": None, "ma_co_so": None},
        "X": {"ma_tinh": None, "ma_huyen": "X", "ma_co_so": "Y"},
        "Y": {"ma_tinh": None, "ma_huyen": "X", "ma_co_so": "Y"},
        "Z": {"ma_tinh": None, "ma_huyen": None, "ma_co_so": None},
        "Q": {"ma_tinh": "T", "ma_huyen": "H1", "ma_co_so": "C1"},
    }


def test_the_result_tables_come_out_in_order_whatever_order_the_workbook_has():
    """The grids are built in the tables' order and the final ordering trusts them: the tables
    equal their own full ordering, on a province whose units and rows are shuffled."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    import assess_benchmark as ab

    from tongket.rules.params import load_cycle

    data = ab.province(300, 3)
    rng = np.random.default_rng(7)
    data.don_vi = data.don_vi.iloc[rng.permutation(len(data.don_vi))].reset_index(drop=True)
    data.chi_doan = data.chi_doan.iloc[rng.permutation(len(data.chi_doan))].reset_index(drop=True)
    r = A.assess(data, load_cycle())
    for frame in (r.chi_doan, r.co_so):
        pd.testing.assert_frame_equal(grids.in_order(frame), frame)
        assert frame["nam"].is_monotonic_increasing


def _multi_year_cell_by_cell(rows: pd.DataFrame, years: list[int] | None = None, own: bool = False) -> pd.DataFrame:
    """`compare.multi_year` as it read each cell with `.at` (before the province's tables of 1.000
    districts asked it 1.000 times: 5 s)."""
    from tongket.assessment.compare import indicators
    from tongket.common.vietnamese import is_missing

    rows = rows.sort_values("nam")
    years = years or [int(y) for y in rows["nam"]]
    by_year = rows.set_index("nam")
    out = []
    for key, name, unit in indicators(own):
        if key not in by_year:
            continue
        values = {str(y): (None if y not in by_year.index or is_missing(by_year.at[y, key]) else float(by_year.at[y, key]))
                  for y in years}
        first, last = values[str(years[0])], values[str(years[-1])]
        out.append({"ma_don_vi": rows["ma_don_vi"].iloc[0], "chi_tieu": name, "don_vi_tinh": unit, **values,
                    "thay_doi": None if first is None or last is None else last - first})
    return pd.DataFrame(out)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from([2017, *YEARS]), min_size=1, max_size=4, unique=True),
       st.lists(st.sampled_from([None, 0, 3, 7.5, np.nan]), min_size=16, max_size=16),
       st.sampled_from(["Int64", "float64", "object"]), st.booleans(), st.booleans(), st.booleans())
def test_a_units_years_read_as_lists_give_the_cell_by_cell_table(years, cells, dtype, asked, own, fewer):
    """Rows of one unit in any order, counts and rates blank, zero or not, in masked, float or
    object columns, some indicators absent, the years asked or its own."""
    from tongket.assessment.compare import indicators, multi_year

    keys = [k for k, _, _ in indicators()][: 8 if fewer else None]
    frame = pd.DataFrame({"ma_don_vi": "H1", "nam": years})
    for i, key in enumerate(keys):
        column = [cells[(i + j) % len(cells)] for j in range(len(years))]
        frame[key] = pd.array([None if v is None or v != v else v for v in column], dtype="Float64").astype(dtype) \
            if dtype == "Int64" and all(v is None or v != v or float(v).is_integer() for v in column) else \
            pd.Series(column, dtype="float64" if dtype != "object" else "object")
    wanted = sorted({*years, 2021}) if asked else None
    pd.testing.assert_frame_equal(multi_year(frame, wanted, own), _multi_year_cell_by_cell(frame, wanted, own))
