"""The unit tree: which province, district and Đoàn cơ sở every unit belongs to."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .schema import CAP

MAX_DEPTH = 12  # deeper than any real tree; stops a cycle in ma_cap_tren


def ancestors(don_vi: pd.DataFrame) -> pd.DataFrame:
    """For every unit, its own ancestor (or itself) at each level: ma_tinh, ma_huyen, ma_co_so.

    Vectorised: walks all units one level up at a time. A tree seen before in this process (same
    codes, parents and levels) is not walked again: a batch worker asks for the province's tree
    several times per unit; each caller gets its own copy.
    """
    cols = don_vi[["ma_don_vi", "ma_cap_tren", "cap"]]
    # The columns themselves are the key (a tuple hashes each code's cached hash; equal trees read
    # again compare equal; a blank that is not the one NA only misses, and the tree is walked again).
    key = (str(cols.dtypes.tolist()), *(tuple(cols[c].tolist()) for c in cols.columns))
    if key not in _TREES:
        if len(_TREES) >= 4:
            _TREES.clear()
        _TREES[key] = _walk(don_vi)
    return _TREES[key].copy()


_TREES: dict[tuple, pd.DataFrame] = {}


def _walk(don_vi: pd.DataFrame) -> pd.DataFrame:
    units = don_vi.drop_duplicates("ma_don_vi").set_index("ma_don_vi")
    codes = units.index
    # Every unit's parent as a position in `codes` (-1: none, or a code the tree does not hold):
    # the walk moves integer positions, not codes.
    parent = codes.get_indexer(units["ma_cap_tren"].astype(object).where(units["ma_cap_tren"].notna(), None))
    # Every unit's level as its position in CAP (-1: not a level the kit knows): compared as integers.
    cap = pd.Index(list(CAP)).get_indexer(units["cap"].to_numpy(dtype=object))
    found = {level: np.full(len(codes), -1, dtype=np.intp) for level in CAP}
    current = np.arange(len(codes), dtype=np.intp)
    for _ in range(MAX_DEPTH):
        known = current >= 0
        if not known.any():
            break
        levels = np.where(known, cap[np.where(known, current, 0)], -1)
        for i, level in enumerate(CAP):
            fill = (levels == i) & (found[level] < 0)
            found[level][fill] = current[fill]
        current = np.where(known, parent[np.where(known, current, 0)], -1)
    labels = codes.to_numpy(dtype=object)
    out = pd.DataFrame(index=units.index)
    for level in CAP:
        at = found[level]
        out[f"ma_{level}"] = pd.Series(np.where(at >= 0, labels[np.maximum(at, 0)], pd.NA), index=units.index,
                                       dtype="object")
    return out.drop(columns=["ma_chi_doan"])
