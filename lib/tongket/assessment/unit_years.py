"""Rows found by unit and year, and counted per unit-year, without group-bys on text keys."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd


def locate(unit: pd.Series, nam: pd.Series, target_unit: pd.Series | pd.Index,
           target_nam: pd.Series | pd.Index) -> np.ndarray | None:
    """For every row (`unit`, `nam`), its position among the target's unit-years, -1 where it has
    none or a blank key; None when a target unit-year repeats or is blank (callers then group as
    before). Codes and years are looked up once, then matched as integers."""
    u_t, units = pd.factorize(target_unit)
    y_t, years = pd.factorize(_years(target_nam))
    width = max(len(years), 1)
    own = u_t.astype(np.int64) * width + y_t
    own_index = pd.Index(own)
    if (u_t < 0).any() or (y_t < 0).any() or not own_index.is_unique:
        return None
    u = u_t if unit is target_unit else pd.Index(units).get_indexer(unit)
    y = pd.Index(years).get_indexer(_years(nam))
    u, y = np.asarray(u, dtype=np.int64), np.asarray(y, dtype=np.int64)
    code = np.where((u >= 0) & (y >= 0), u * width + y, -1)
    return np.where(code >= 0, own_index.get_indexer(code), -1)


def ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    """`num / den` per unit-year, blank (never 0) where the denominator is 0 or blank."""
    num, den = num.astype("Float64"), den.astype("Float64")
    return (num / den).where(den > 0)


def _years(nam: pd.Series | pd.Index) -> np.ndarray:
    """Years as floats, a blank as NaN (never found)."""
    return np.asarray(pd.array(nam, dtype="Float64").to_numpy(dtype="float64", na_value=np.nan))


def _positions(rows: pd.DataFrame, key: str, target: pd.MultiIndex) -> np.ndarray | None:
    if not len(rows):
        return np.empty(0, np.intp) if target.is_unique else None
    return locate(rows[key], rows["nam"], target.get_level_values(0), target.get_level_values(1))


def counter(rows: pd.DataFrame, key: str, target: pd.MultiIndex, index: pd.Index) -> Callable[[pd.Series], pd.Series]:
    """Count a mask of `rows` per unit-year of `target` (0 where none, Int64, on `index`): each row's
    unit-year is found once, every mask then counted with one bincount."""
    where = _positions(rows, key, target)
    if where is None:  # a unit-year repeats: counted per group as it always was
        groups = [rows[key], rows["nam"]]
        return lambda mask: pd.Series(mask.astype("int64").groupby(groups).sum().reindex(target).fillna(0).to_numpy(),
                                      index=index).astype("Int64")
    found = where >= 0
    at = where[found]

    def total(mask: pd.Series) -> pd.Series:
        hits = np.bincount(at, weights=np.asarray(mask, dtype=bool)[found], minlength=len(target))
        return pd.Series(hits.astype("int64"), index=index).astype("Int64")
    return total


def summer(rows: pd.DataFrame, key: str, target: pd.MultiIndex, index: pd.Index) -> Callable[[pd.Series], pd.Series]:
    """Sum a whole-number column of `rows` per unit-year of `target`, blanks skipped (0 where the unit
    has no row or only blanks, Int64, on `index`): the positions are found once for every column."""
    where = _positions(rows, key, target)
    if where is None:
        groups = [rows[key], rows["nam"]]
        return lambda col: pd.Series(col.groupby(groups).sum(min_count=0).reindex(target).fillna(0).to_numpy(),
                                     index=index).astype("Int64")
    found = where >= 0
    at = where[found]

    def total(col: pd.Series) -> pd.Series:
        values = col.to_numpy(dtype="float64", na_value=0.0)[found]
        return pd.Series(np.bincount(at, weights=values, minlength=len(target)).astype("int64"),
                         index=index).astype("Int64")
    return total
