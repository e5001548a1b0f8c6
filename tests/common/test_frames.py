"""`first_row` reads the row `frame[mask].iloc[0]` reads, blanks in the mask included; `year_rows`
picks what `frame[frame["nam"] == nam].reset_index(drop=True)` picks; `columns_of` gives the rows
`frame[cols].itertuples(index=False)` gives: on tables as wide and mixed as the results' (nullable
integers, floats, text, flags, dates)."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from tongket.common.frames import columns_of, first_row, narrow, year_row, year_rows

YEARS = st.one_of(st.none(), st.integers(2018, 2021))


ROWS = st.lists(st.tuples(YEARS, st.one_of(st.none(), st.integers(-5, 500)), st.booleans(),
                          st.one_of(st.none(), st.text(max_size=4))), max_size=8)


def _table(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame({"nam": pd.array([r[0] for r in rows], dtype="Int64"),
                         "so": pd.array([r[1] for r in rows], dtype="Int64"),
                         "dat": pd.array([r[2] for r in rows], dtype="boolean"),
                         "ten": pd.array([r[3] for r in rows], dtype=object),
                         "ty_le": [None if r[1] is None else r[1] / 7 for r in rows],
                         "co": [r[2] for r in rows],
                         "ngay": pd.to_datetime([None if r[1] is None else f"2021-01-{r[1] % 28 + 1:02d}"
                                                 for r in rows])},
                        index=pd.RangeIndex(len(rows)) * 3 + 5)


@settings(max_examples=150, deadline=None)
@given(ROWS, st.integers(2018, 2021))
def test_first_row_is_the_filtered_tables_first_row(rows, nam):
    frame = _table(rows)
    picked = frame[frame["nam"] == nam]
    got = year_row(frame, nam)
    if picked.empty:
        assert got is None
    else:
        pd.testing.assert_series_equal(got, picked.iloc[0])
    mask = (frame["so"] > 100) & frame["dat"]  # blanks in the mask: not chosen
    got, picked = first_row(frame, mask), frame[mask.fillna(False)]
    assert (got is None) == picked.empty
    if got is not None:
        pd.testing.assert_series_equal(got, picked.iloc[0])


@settings(max_examples=150, deadline=None)
@given(ROWS, st.integers(2018, 2021), st.booleans())
def test_a_year_is_the_rows_the_filter_picks_numbered_afresh(rows, nam, ordered):
    frame = _table(rows)
    if ordered:  # a table ordered by year (the results' order), whose year is a run of rows
        frame = frame.sort_values("nam", kind="stable", na_position="first")
    before = frame.index.copy()
    got = year_rows(frame, nam)
    pd.testing.assert_frame_equal(got, frame[frame["nam"] == nam].reset_index(drop=True))
    assert type(got.index) is pd.RangeIndex and got.index.start == 0
    assert frame.index.equals(before)  # the table itself keeps its numbering


@settings(max_examples=150, deadline=None)
@given(ROWS, st.lists(st.sampled_from(["nam", "so", "dat", "ten", "ty_le", "co", "ngay"]), max_size=9),
       st.booleans())
def test_columns_of_gives_the_rows_itertuples_gives(rows, cols, repeated):
    frame = _table(rows)
    if repeated:  # a table with a name twice goes the itertuples way
        frame.columns = ["nam", "so", "dat", "ten", "ty_le", "so", "ngay"]
        cols = [c for c in cols if c != "co"]
    want = list(frame[cols].itertuples(index=False, name=None))
    got = list(columns_of(frame, cols))
    assert [tuple(map(type, r)) for r in got] == [tuple(map(type, r)) for r in want]
    assert repr(got) == repr(want)  # NaN, NA and NaT compare by their printing


@settings(max_examples=60, deadline=None)
@given(ROWS, st.lists(st.sampled_from(["nam", "so", "dat", "ten", "ty_le", "co", "ngay", "khong_co"]), max_size=9))
def test_narrow_keeps_the_named_columns_the_table_has_in_the_order_named(rows, cols):
    frame = _table(rows)
    got = narrow(frame, cols)
    want = [c for c in dict.fromkeys(cols) if c != "khong_co"]
    assert list(got.columns) == want
    pd.testing.assert_frame_equal(got, frame[want])
