"""One row of a table by a condition, without building the filtered table: the results' tables
are wide (a hundred columns, most of them nullable, each its own block), so `frame[mask].iloc[0]`
copies every column of every matching row to read one; `frame.iloc[i]` reads the one row."""

from __future__ import annotations

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
