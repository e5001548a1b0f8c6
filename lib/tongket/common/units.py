"""The unit tree: which province, district and Đoàn cơ sở every unit belongs to."""

from __future__ import annotations

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
    key = (str(cols.dtypes.tolist()), len(cols),
           pd.util.hash_pandas_object(cols, index=False).to_numpy().tobytes())
    if key not in _TREES:
        if len(_TREES) >= 4:
            _TREES.clear()
        _TREES[key] = _walk(don_vi)
    return _TREES[key].copy()


_TREES: dict[tuple, pd.DataFrame] = {}


def _walk(don_vi: pd.DataFrame) -> pd.DataFrame:
    units = don_vi.drop_duplicates("ma_don_vi").set_index("ma_don_vi")
    parent = units["ma_cap_tren"]
    cap = units["cap"]
    out = pd.DataFrame(index=units.index)
    for level in CAP:
        out[f"ma_{level}"] = pd.Series(pd.NA, index=units.index, dtype="object")
    current = pd.Series(units.index, index=units.index, dtype="object")
    for _ in range(MAX_DEPTH):
        known = current.notna() & current.isin(cap.index)
        if not known.any():
            break
        levels = cap.reindex(current[known]).to_numpy()
        for level in CAP:
            col = f"ma_{level}"
            hit = known.copy()
            hit[known] = levels == level
            fill = hit & out[col].isna()
            out.loc[fill, col] = current[fill]
        current = current.map(parent).where(known)
    return out.drop(columns=["ma_chi_doan"])
