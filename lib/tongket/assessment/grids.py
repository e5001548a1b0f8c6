"""Unit-year grids: every unit × every year in the order of the result tables, the data rows
attached by position, the units above each row, and that order itself."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..common.vietnamese import order_by_name
from .unit_years import find


def grid(units: pd.DataFrame, years: list[int], tree: pd.DataFrame | None = None,
         by_name: bool = False) -> pd.DataFrame:
    """Every unit × every year (a unit with no row that year still appears, with blanks). With the
    unit `tree`, in the order of the result tables (`in_order`: year, district, name), so that the
    final ordering finds its rows in place and a wide table is not taken row by row again;
    `by_name`: in the order of the roll-ups (year, then name); else unit by unit."""
    if tree is None and not by_name:
        g = units.merge(pd.DataFrame({"nam": years}), how="cross")
    else:
        order = order_by_name(units["ten_don_vi"]) if tree is None else order_positions(
            units["ten_don_vi"], tree["ma_huyen"].reindex(units["ma_don_vi"]), np.zeros(len(units), dtype=np.int64))
        units = units.iloc[order]
        g = pd.DataFrame({"nam": sorted(years)}).merge(units, how="cross")[[*units.columns, "nam"]]
    g["nam"] = g["nam"].astype("Int64")
    return g


def attach(grid: pd.DataFrame, rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """The grid's unit-years with the data rows of the same unit-year (a left join on ma_don_vi and
    nam), and whether each unit-year has a row. Each row's place is found by position (the unit's
    and the year's), which on a national workbook costs a fraction of a merge of string keys; the
    merge itself where a position is ambiguous (a unit twice in the tree, a unit-year sent twice) or
    a column is on both sides."""
    units = pd.Index(grid["ma_don_vi"].to_numpy(dtype=object)[: len(grid) // max(1, grid["nam"].nunique())])
    years = pd.Index(grid["nam"].to_numpy(dtype="int64", na_value=-1)[:: max(1, len(units))])
    shared = set(rows.columns) & set(grid.columns) - {"ma_don_vi", "nam"}
    plain = (len(units) * len(years) == len(grid) and units.is_unique and years.is_unique and not shared
             and not grid["ma_don_vi"].isna().any()
             and (grid["nam"].to_numpy(dtype="int64", na_value=-1) == np.repeat(years, len(units))).all()
             and (grid["ma_don_vi"].to_numpy(dtype=object) == np.tile(units, len(years))).all()
             and rows["nam"].notna().all())
    if plain:
        u = find(units, rows["ma_don_vi"], rows["nam"])
        y = years.get_indexer(rows["nam"].to_numpy(dtype="int64"))
        found = (u >= 0) & (y >= 0)
        pos = y[found] * len(units) + u[found]
        plain = not len(pos) or int(np.bincount(pos, minlength=len(grid)).max()) <= 1  # no unit-year twice
    if not plain:
        out = grid.merge(rows, on=["ma_don_vi", "nam"], how="left", indicator=True)
        return out, out.pop("_merge") == "both"
    at = np.full(len(grid), -1, dtype=np.intp)
    at[pos] = np.flatnonzero(found)
    fill = bool((at < 0).any())  # a unit-year without a row: blanks (every unit-year has one: a plain take)
    taken = {c: rows[c].array.take(at, allow_fill=True) if fill else rows[c].array.take(at)
             for c in rows.columns if c not in ("ma_don_vi", "nam")}
    # A text column keeps its dtype, as a merge keeps it (not inferred again from 500.000 values).
    taken = {c: pd.Series(a.to_numpy(), index=grid.index, dtype=object, copy=False) if a.dtype == object else a
             for c, a in taken.items()}
    out = pd.concat([grid, pd.DataFrame(taken, index=grid.index, copy=False)], axis=1)
    return out, pd.Series(at >= 0, index=out.index)


def with_tree(frame: pd.DataFrame, tree: pd.DataFrame) -> pd.DataFrame:
    """`frame` with the units above each row's unit (ma_co_so, ma_huyen, ma_tinh, ma_bao_cao): a left
    join on ma_don_vi, each code looked up once per year (unit_years.find) where the tree has each
    unit once."""
    cols = ["ma_co_so", "ma_huyen", "ma_tinh", "ma_bao_cao"]
    if not tree.index.is_unique or any(tree[c].dtype != object for c in cols):
        return frame.join(tree[cols], on="ma_don_vi")
    at = find(tree.index, frame["ma_don_vi"], frame["nam"])
    found = at >= 0  # a code the tree does not hold: NaN, as the join gives
    every = bool(found.all())
    pick = lambda c: tree[c].to_numpy(dtype=object)[at] if every else np.where(
        found, tree[c].to_numpy(dtype=object)[np.maximum(at, 0)], np.nan)
    return frame.assign(**{c: pd.Series(pick(c), index=frame.index, dtype=object) for c in cols})


def order_positions(names: pd.Series, huyen: pd.Series, nam: np.ndarray) -> np.ndarray:
    """Positions that order rows by year, then district code, then Vietnamese order of names (ties
    keep their order)."""
    name_rank = np.empty(len(names), dtype=np.int64)
    name_rank[order_by_name(names)] = np.arange(len(names))
    district = pd.factorize(huyen.astype(object).fillna(""), sort=True)[0]
    return np.lexsort((name_rank, district, nam))


def in_order(frame: pd.DataFrame, built: pd.DataFrame | None = None) -> pd.DataFrame:
    """Rows by year, then district, then Vietnamese order of names: one sort of positions, and one
    take unless the rows are in that order already. `built`: the codes and years of a grid `grid`
    built in that order; a frame with the same codes and years in the same rows is in it."""
    if built is not None and len(built) == len(frame) and all(
            frame[c].reset_index(drop=True).equals(built[c].reset_index(drop=True)) for c in ("ma_don_vi", "nam")):
        return frame.reset_index(drop=True)
    order = order_positions(frame["ten_don_vi"], frame["ma_huyen"], frame["nam"].to_numpy(dtype="int64", na_value=0))
    if (order == np.arange(len(order))).all():
        return frame.reset_index(drop=True)
    return frame.iloc[order].reset_index(drop=True)


__all__ = ["attach", "grid", "in_order", "order_positions", "with_tree"]
