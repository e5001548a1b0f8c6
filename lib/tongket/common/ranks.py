"""Ranks that never break a tie by name: units equal on what a document prints share a rank
("1, 2, 2, 4"), and a sentence naming the best or the lowest names every unit tied at its edge.
Rates are ranked as printed (`best_first`): a reader sees 32,1% twice and two ranks would be a
choice the document does not explain."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .vietnamese import ty_le_hien_thi

DECIMALS = 12  # rates computed two ways (3/4 and 6/8, or a formula's 0,30000000000000004) are equal


def best_first(rate: pd.Series) -> pd.Series:
    """A rate as a key that sorts the best first: the rate as the documents print it (a percentage
    to one decimal, half-up), so two units printed at 32,1% are equal whatever their fifth decimal;
    a blank last."""
    shown = pd.to_numeric(rate.map(ty_le_hien_thi), errors="coerce")
    return -shown.fillna(-1.0)


def shared_rank(ordered: pd.DataFrame, keys: list[str]) -> pd.Series:
    """The rank of each row of `ordered`, sorted best first on `keys`: rows equal on every key share
    the best rank among them (competition ranking). Float keys are compared to 12 decimals."""
    if ordered.empty:
        return pd.Series([], index=ordered.index, dtype="int64")
    k = ordered[keys].apply(lambda c: c.astype(float).round(DECIMALS) if pd.api.types.is_float_dtype(c) else c)
    new = k.ne(k.shift()).any(axis=1).to_numpy(dtype=bool, copy=True)
    new[0] = True
    pos = np.arange(1, len(ordered) + 1)
    return pd.Series(np.maximum.accumulate(np.where(new, pos, 0)), index=ordered.index)


def best_and_lowest(rank: pd.Series, best: int, lowest: int) -> tuple[pd.Series, pd.Series]:
    """Which rows of a `shared_rank` (in its order) a sentence names as the best `best` and the lowest
    `lowest`: every row tied at the edge of either, none tied with the other side's (a unit tied with
    a leader is not among the lowest), none when all are tied."""
    r = rank.to_numpy()
    if not len(r):
        return rank.astype(bool), rank.astype(bool)
    top = (r <= r[min(best, len(r)) - 1]) if best > 0 else np.zeros(len(r), bool)
    low = (r >= r[len(r) - min(lowest, len(r))]) if lowest > 0 else np.zeros(len(r), bool)
    top &= r < r.max()
    low &= r > r.min()
    return pd.Series(top & ~low, index=rank.index), pd.Series(low & ~top, index=rank.index)
