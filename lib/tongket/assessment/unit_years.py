"""Rows found by unit and year, and counted per unit-year, without group-bys on text keys."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd


def locate(unit: pd.Series, nam: pd.Series, target_unit: pd.Series | pd.Index,
           target_nam: pd.Series | pd.Index) -> np.ndarray | None:
    """For every row (`unit`, `nam`), its position among the target's unit-years, -1 where it has
    none or a blank key; None when a target unit-year repeats or is blank (callers then group as
    before). Codes and years are looked up once, then matched as integers; in a year-major grid
    (every year's block lists the same units in the same order) a position is computed, not looked up."""
    target_years = _years(target_nam)
    u_t, units, p = _factorize(target_unit, target_years)
    y_t, years = pd.factorize(target_years)
    p = p if len(units) and (u_t >= 0).all() else 0
    block = _blocks(y_t, p, len(years)) if p and p == len(units) else None
    if block is not None:  # unit code u of year code y sits at block[y] * p + u
        u = u_t if unit is target_unit else find(units, unit, nam)
        y = pd.Index(years).get_indexer(_years(nam))
        found = (u >= 0) & (y >= 0)
        return np.where(found, block[np.maximum(y, 0)] * p + u, -1)
    width = max(len(years), 1)
    own = u_t.astype(np.int64) * width + y_t
    own_index = pd.Index(own)
    if (u_t < 0).any() or (y_t < 0).any() or not own_index.is_unique:
        return None
    u = u_t if unit is target_unit else find(pd.Index(units), unit, nam)
    y = pd.Index(years).get_indexer(_years(nam))
    u, y = np.asarray(u, dtype=np.int64), np.asarray(y, dtype=np.int64)
    code = np.where((u >= 0) & (y >= 0), u * width + y, -1)
    return np.where(code >= 0, own_index.get_indexer(code), -1)


def period(values: pd.Series | pd.Index | np.ndarray, nam: pd.Series | pd.Index | np.ndarray) -> int:
    """p when `values` repeat every p rows, p being the length of the first run of one year: the rows
    of a year-major grid, or a workbook that lists the same units in the same order every year;
    0 otherwise. One comparison of the column with itself shifted by p, so that a lookup hashes
    one year's codes instead of every row's (a blank that is not None never repeats: 0)."""
    n = len(values)
    years = _years(nam)
    if n < 4 or len(years) != n:
        return 0
    changes = np.flatnonzero(years[1:] != years[:-1])
    p = int(changes[0]) + 1 if len(changes) else n
    if p == n or n % p:
        return 0
    codes = np.asarray(values, dtype=object)
    try:
        if not np.array_equal(codes[:p], codes[-p:]):  # the cheap refusal first: a column that does not repeat
            return 0
        same = codes[p:] == codes[:-p]
    except TypeError:  # pd.NA compares to NA
        return 0
    return p if same.dtype == bool and bool(same.all()) else 0


def find(index: pd.Index, values: pd.Series | pd.Index | np.ndarray, nam: pd.Series | pd.Index | np.ndarray) -> np.ndarray:
    """`index.get_indexer(values)`, hashing only the first period of `values` when they repeat (`period`)."""
    codes = np.asarray(values, dtype=object)
    p = period(codes, nam)
    if not p:
        return index.get_indexer(codes)
    return np.tile(index.get_indexer(codes[:p]), len(codes) // p)


def _factorize(values: pd.Series | pd.Index, nam: pd.Series | pd.Index | np.ndarray) -> tuple[np.ndarray, pd.Index, int]:
    """`pd.factorize(values)` (codes by first appearance) and the period (`period`, 0: none): when the
    values repeat only the first period is factorized (every distinct value appears in it, in order)."""
    p = period(values, nam)
    if not p:
        codes, uniques = pd.factorize(values)
        return codes, pd.Index(uniques), 0
    codes, uniques = pd.factorize(values[:p] if isinstance(values, pd.Index) else values.iloc[:p])
    return np.tile(codes, len(values) // p), pd.Index(uniques), p


def _blocks(y_t: np.ndarray, p: int, n_years: int) -> np.ndarray | None:
    """For each year code, the index of its block of `p` rows, when every block holds one year and
    no year has two blocks; else None."""
    rows = y_t.reshape(-1, p)
    first = rows[:, 0]
    if (y_t < 0).any() or not (rows == first[:, None]).all() or len(np.unique(first)) != len(first):
        return None
    block = np.full(n_years, -1, dtype=np.int64)
    block[first] = np.arange(len(first))
    return block


def ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    """`num / den` per unit-year, blank (never 0) where the denominator is 0 or blank."""
    num, den = num.astype("Float64"), den.astype("Float64")
    return (num / den).where(den > 0)


def _years(nam: pd.Series | pd.Index | np.ndarray) -> np.ndarray:
    """Years as floats, a blank as NaN (never found)."""
    if isinstance(nam, np.ndarray) and nam.dtype == np.float64:  # converted already
        return nam
    return np.asarray(pd.array(nam, dtype="Float64").to_numpy(dtype="float64", na_value=np.nan))


def _positions(rows: pd.DataFrame, key: str, target: pd.MultiIndex) -> np.ndarray | None:
    if not len(rows):
        return np.empty(0, np.intp) if target.is_unique else None
    return locate(rows[key], rows["nam"], target.get_level_values(0), target.get_level_values(1))


@dataclass(frozen=True)
class Places:
    """Where each of `rows` sits among the unit-years of `target` (by its `key` and year), found
    once and shared by every count and sum over the same rows and target (`where` None: a target
    unit-year repeats, and they count by group-bys)."""

    rows: pd.DataFrame
    key: str
    target: pd.MultiIndex
    index: pd.Index  # the counts' index (the target table's)
    where: np.ndarray | None

    @classmethod
    def of(cls, rows: pd.DataFrame, key: str, target: pd.MultiIndex, index: pd.Index) -> Places:
        return cls(rows, key, target, index, _positions(rows, key, target))

    def counter(self) -> Callable[[pd.Series], pd.Series]:
        """`counter` over these places."""
        return _counter(self.rows, self.key, self.target, self.index, self.where)

    def totals(self) -> Callable[[pd.Series], tuple[np.ndarray, np.ndarray]] | None:
        """Per unit-year of the target: the sum of a column's values over the rows (blanks skipped)
        and how many of them are not blank; None when a target unit-year repeats."""
        return None if self.where is None else _totals(self.where, len(self.target))

    def tallies(self, counted: np.ndarray) -> tuple[Callable[[pd.Series], pd.Series], Callable[[pd.Series], pd.Series]]:
        """A sum and a count (`counter`) of the same rows and target; the sum is blank where it would
        not be the whole unit's: over no figure at all (no row), or over rows one of which is blank (a
        partial sum is never printed as a total); rows not `counted` (branches that sent no row:
        listed on their own) are left out of the sum."""
        return (_summer(self.rows, self.key, self.target, self.index, self.where, counted),
                _counter(self.rows, self.key, self.target, self.index, self.where))


class Found:
    """The places found during one assessment, by key column: a later count over the same rows
    (the same codes and years, in the same order) and the same target unit-years reuses them;
    anything else is found again."""

    def __init__(self) -> None:
        self._by_key: dict[str, Places] = {}

    def places(self, rows: pd.DataFrame, key: str, target: pd.MultiIndex, index: pd.Index) -> Places:
        seen = self._by_key.get(key)
        if seen is not None and len(seen.rows) == len(rows) and seen.target.equals(target) and all(
                seen.rows[c].array.equals(rows[c].array) for c in (key, "nam")):
            return Places(rows, key, target, index, seen.where)
        self._by_key[key] = Places.of(rows, key, target, index)
        return self._by_key[key]


def counter(rows: pd.DataFrame, key: str, target: pd.MultiIndex, index: pd.Index) -> Callable[[pd.Series], pd.Series]:
    """Count a mask of `rows` per unit-year of `target` (0 where none, Int64, on `index`): each row's
    unit-year is found once, every mask then counted with one bincount."""
    return Places.of(rows, key, target, index).counter()


def silent_parts(rows: pd.DataFrame, part: str, counted: pd.Series, key: str, target: pd.MultiIndex) -> np.ndarray:
    """Per unit-year of `target` (by `key`), whether one of its `part`s (a district of a province)
    has rows that year and none `counted` (none of its branches sent a row): a sum over the
    others is not the unit's whole. Only the parts with a row not counted are looked at."""
    out = np.zeros(len(target), dtype=bool)
    if counted.all():
        return out
    some = rows[part].isin(rows.loc[~counted, part].unique())
    sent = counted[some].groupby([rows.loc[some, part], rows.loc[some, "nam"]]).any()
    silent = sent.index[~sent.to_numpy(dtype=bool)]
    if not len(silent):
        return out
    whole_of = rows.loc[some].drop_duplicates(part).set_index(part)[key]
    gone = {(whole_of.get(p), y) for p, y in silent}
    return np.fromiter(((u, y) in gone for u, y in target), dtype=bool, count=len(target))


# Per unit-year of a roll-up (private columns: never written): none of its branches sent a row
# (MUTE), or none of its residential branches did, while it has some (SILENT); for the province, so
# for one of its reporting units.
MUTE, SILENT = "_chi_doan_khong_ro", "_dan_cu_khong_ro"


def silences(rows: pd.DataFrame, key: str, target: pd.MultiIndex, tally: Callable[[pd.Series], pd.Series],
             parts: str | None) -> tuple[np.ndarray, np.ndarray]:
    """MUTE and SILENT per unit-year of `target` (`tally`: the counter of `rows`, branches with
    `co_so_lieu` and `_ap_dung`, by `key`); `parts`: the column of the units a whole is summed from
    (the province: its reporting units), each of which silent makes the whole so."""
    sent = rows["co_so_lieu"].astype(bool)
    resid = rows["_ap_dung"].to_numpy(dtype=bool)
    none_of = lambda mask: ((tally(sent & mask) == 0) & (tally(~sent & mask) > 0)).to_numpy(dtype=bool)
    mute, silent = none_of(np.ones(len(rows), dtype=bool)), none_of(resid)
    if parts is not None:
        mute = mute | silent_parts(rows, parts, sent, key, target)
        silent = silent | silent_parts(rows.loc[resid, [parts, "nam", key]], parts, sent[resid], key, target)
    return mute, silent


def unknown(rollup: pd.DataFrame, flag: str = SILENT) -> np.ndarray:
    """Per unit-year of a roll-up, its flag (MUTE, SILENT; False where the table has none)."""
    return rollup[flag].to_numpy(dtype=bool) if flag in rollup else np.zeros(len(rollup), dtype=bool)


def blank_unknown(rollup: pd.DataFrame | None, columns: list[str]) -> pd.DataFrame | None:
    """`rollup` with `columns` (figures summed or counted from branch rows) blank where its return
    lacks a whole part (MUTE or SILENT): the sum of the rest is not the unit's."""
    if rollup is None:
        return None
    gone = unknown(rollup, MUTE) | unknown(rollup, SILENT)
    if not gone.any():
        return rollup
    out = rollup.copy(deep=False)
    for c in columns:
        if c in out:
            out[c] = out[c].where(~gone)
    return out


def _totals(where: np.ndarray, n: int) -> Callable[[pd.Series], tuple[np.ndarray, np.ndarray]]:
    found = where >= 0
    every = bool(found.all())  # then no row is left out: no copy of each column
    at = where if every else where[found]
    rows_at = np.bincount(at, minlength=n).astype(np.float64)  # rows per unit-year: the count of a column without blanks
    rows_at.flags.writeable = False  # handed to every caller: shared, never written

    def total(col: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        values = col.to_numpy(dtype="float64", na_value=np.nan)
        values = values if every else values[found]
        given = ~np.isnan(values)
        if given.all():
            return np.bincount(at, weights=values, minlength=n), rows_at
        return (np.bincount(at, weights=np.where(given, values, 0.0), minlength=n),
                np.bincount(at, weights=given, minlength=n))
    return total


def _counter(rows: pd.DataFrame, key: str, target: pd.MultiIndex, index: pd.Index,
             where: np.ndarray | None) -> Callable[[pd.Series], pd.Series]:
    if where is None:  # a unit-year repeats: counted per group as it always was (a mask row by row, as below)
        groups = [rows[key], rows["nam"]]
        return lambda mask: pd.Series(
            pd.Series(np.asarray(mask, dtype=bool), index=rows.index).astype("int64").groupby(groups).sum()
            .reindex(target).fillna(0).to_numpy(), index=index).astype("Int64")
    found = where >= 0
    every = bool(found.all())  # then no row is left out: no copy of each mask
    at = where if every else where[found]
    n = len(target)
    rows_of = np.bincount(at, minlength=n)  # rows per unit-year
    few = len(at) // 20

    def total(mask: pd.Series) -> pd.Series:
        flags = np.asarray(mask, dtype=bool)
        flags = flags if every else flags[found]
        on = np.count_nonzero(flags)
        # A mask true on few rows (a blank, a row not sent) is counted over those rows, one true on
        # nearly all by its complement; the rest by one weighted pass over every row.
        if on <= few:
            hits = np.bincount(at[flags], minlength=n)
        elif on >= len(at) - few:
            hits = rows_of - np.bincount(at[~flags], minlength=n)
        else:
            hits = np.bincount(at, weights=flags, minlength=n).astype(np.int64)
        return pd.Series(pd.arrays.IntegerArray(hits.astype(np.int64, copy=False), np.zeros(n, dtype=bool)),
                         index=index)
    return total


def _summer(rows: pd.DataFrame, key: str, target: pd.MultiIndex, index: pd.Index,
            where: np.ndarray | None, counted: np.ndarray) -> Callable[[pd.Series], pd.Series]:
    """Sums per unit-year over the rows `counted` (a mask), blank where no counted row was summed
    or one of them is blank (blanks are never skipped as if 0)."""
    if where is None:
        groups = [rows[key], rows["nam"]]
        return lambda col: pd.Series(col.where(counted).groupby(groups).sum(min_count=1).where(
            ~(col.isna() & counted).groupby(groups).any()).reindex(target).to_numpy(), index=index).astype("Int64")
    sums = _totals(where, len(target))
    on = (where >= 0) & counted
    rows_of = np.bincount(where[on], minlength=len(target))  # rows counted in each unit-year

    def total(col: pd.Series) -> pd.Series:
        s, n = sums(col)  # a row not counted has no figure (a branch that sent no row): never in `n`
        return pd.Series(pd.arrays.IntegerArray(s.astype(np.int64), (n == 0) | (n < rows_of)), index=index)
    return total
