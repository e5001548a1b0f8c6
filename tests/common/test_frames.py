"""`first_row` reads the row `frame[mask].iloc[0]` reads, blanks in the mask included, on tables
as wide and mixed as the results' (nullable integers, floats, text, flags)."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from tongket.common.frames import first_row, year_row

YEARS = st.one_of(st.none(), st.integers(2018, 2021))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(YEARS, st.one_of(st.none(), st.integers(-5, 500)), st.booleans(),
                          st.one_of(st.none(), st.text(max_size=4))), max_size=8),
       st.integers(2018, 2021))
def test_first_row_is_the_filtered_tables_first_row(rows, nam):
    frame = pd.DataFrame({"nam": pd.array([r[0] for r in rows], dtype="Int64"),
                          "so": pd.array([r[1] for r in rows], dtype="Int64"),
                          "dat": pd.array([r[2] for r in rows], dtype="boolean"),
                          "ten": pd.array([r[3] for r in rows], dtype=object),
                          "ty_le": [None if r[1] is None else r[1] / 7 for r in rows]},
                         index=pd.RangeIndex(len(rows)) * 3 + 5)
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
