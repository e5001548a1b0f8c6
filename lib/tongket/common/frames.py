"""Rows of a table without copying it: the results' tables are wide (a hundred columns, most of
them nullable, each its own block), so `frame[mask].iloc[0]` copies every column of every matching
row to read one, where `frame.iloc[i]` reads the one row; and a year of a table ordered by year is
one run of rows, a slice that shares its columns (copy-on-write)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np
import pandas as pd


def first_row(frame: pd.DataFrame, mask: pd.Series) -> pd.Series | None:
    """The first row of `frame` where `mask` holds (a blank in it does not), as
    ``frame[mask].iloc[0]`` gives it; None where none does."""
    at = np.flatnonzero(mask.to_numpy(dtype=bool, na_value=False))
    return frame.iloc[int(at[0])] if len(at) else None


def year_row(frame: pd.DataFrame, nam: int) -> pd.Series | None:
    """The first row of year `nam`, or None."""
    return first_row(frame, frame["nam"] == nam)


def year_rows(frame: pd.DataFrame, nam: int) -> pd.DataFrame:
    """The rows of year `nam`, in their order, as ``frame[frame["nam"] == nam]`` gives them (index
    reset). Every result table is ordered by year first (`assess._order`, `_rollup`), and so is a
    unit's view of one: the year is then a slice, not a copy. A table in another order is picked."""
    years = frame["nam"].to_numpy(dtype="int64", na_value=np.iinfo(np.int64).min)
    if len(years) > 1 and not (years[1:] >= years[:-1]).all():
        picked = frame[frame["nam"] == nam]
    else:
        picked = frame.iloc[np.searchsorted(years, nam, "left"):np.searchsorted(years, nam, "right")]
    return renumbered(picked)


def renumbered(picked: pd.DataFrame) -> pd.DataFrame:
    """`picked.reset_index(drop=True)`, numbered in place: for a frame just picked from another
    (a new object already), where a second shallow copy of a wide table costs a block per column."""
    picked.index = pd.RangeIndex(len(picked))
    return picked


def narrow(frame: pd.DataFrame, cols: Iterable[str]) -> pd.DataFrame:
    """`frame` with only those of `cols` it has, in `cols`' order: the few columns a caller reads
    of a wide table, picked before it is filtered, copied or iterated (each costs a block per
    column). A column it lacks is left out: reading it fails there, as it did on the whole table."""
    return frame[[c for c in dict.fromkeys(cols) if c in frame]]


def columns_of(frame: pd.DataFrame, cols: list) -> Iterator[tuple]:
    """The rows of `frame[cols]`, each a tuple of its values as ``frame[cols].itertuples(index=False)``
    gives them, without copying those columns into a new frame first (a take of a wide table costs
    a block per column). Repeated column names are taken the itertuples way."""
    if not cols or not frame.columns.is_unique:
        return frame[cols].itertuples(index=False, name=None)
    return zip(*(frame[c] for c in cols))
