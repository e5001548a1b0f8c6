"""Ratings across a change of scale (contract §6.3): movement through the declared mapping, unknown
without one; the rating distribution counted on the scale of each year."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..rules.params import Cycle
from ..rules.periods import PeriodScale, scale_of, split
from ..rules.scales import Scale

UNKNOWN = "_bien_dong_khong_ro"  # the move from last year crosses a change of scale with no mapping


def movement(frame: pd.DataFrame, scale: PeriodScale, col: str, prev_col: str, move_col: str,
             guard_col: str) -> pd.DataFrame:
    """Last year's rating (on last year's scale) and the move, the old code first mapped to this
    year's scale; a unit is guarded when last year it stood at or above its scale's guard level."""
    prev = frame[["ma_don_vi", "nam", col]].copy()
    prev["nam"] = prev["nam"] + 1
    prev = prev.rename(columns={col: prev_col})
    out = frame.merge(prev, on=["ma_don_vi", "nam"], how="left")
    before = pd.Series(np.nan, index=out.index, dtype="Float64")
    now = pd.Series(np.nan, index=out.index, dtype="Float64")
    guarded = pd.Series(False, index=out.index)
    unknown = pd.Series(False, index=out.index)
    for new, rows in split(scale, out["nam"]):
        now[rows] = new.ranks(out.loc[rows, col])
        for old, prow in split(scale, out.loc[rows, "nam"] - 1):
            idx = prow[prow].index
            codes = out.loc[idx, prev_col]
            mapping = scale.mapping(old, new)
            if mapping is None:
                unknown[idx] = codes.notna()
                continue
            before[idx] = new.ranks(codes.map(mapping))
            guarded[idx] = (old.ranks(codes) >= old.rank(old.guard)).fillna(False)
    had = out[prev_col].notna()
    move = np.select([(~had).to_numpy(dtype=bool), unknown.to_numpy(dtype=bool),
                      (now > before).fillna(False).to_numpy(dtype=bool),
                      (now < before).fillna(False).to_numpy(dtype=bool)],
                     ["moi", "", "nang_bac", "ha_bac"], default="giu_nguyen").astype(object)
    move = pd.Series(move, index=out.index).replace("", pd.NA)
    out[move_col] = move.where(out[col].notna(), pd.NA)
    out[guard_col] = (guarded & (now < before).fillna(False)).astype(bool)
    out[UNKNOWN if col == "xep_loai" else f"{UNKNOWN}_{col}"] = (unknown & out[col].notna()).to_numpy(dtype=bool)
    return out


def level_counts(out: pd.DataFrame, co_so: pd.DataFrame, scale: PeriodScale, key: str) -> pd.DataFrame:
    """`so_<code>` for every period's levels, blank in the years a level is not on the scale in force."""
    years = out.index.get_level_values("nam")
    for code in scale.all_codes:
        n = (co_so[co_so["xep_loai"] == code].groupby([key, "nam"]).size()
             .reindex(out.index).fillna(0).astype("Int64"))
        on_scale = np.array([code in scale.scale_of(y).codes for y in years], dtype=bool)
        out[f"so_{code}"] = n.where(on_scale)
    return out


def unknown_moves(co_so: pd.DataFrame, key: str, index: pd.Index) -> pd.Series:
    """Per unit and year: whether some Đoàn cơ sở's move is unknown (no mapping across a change)."""
    if UNKNOWN not in co_so:
        return pd.Series(False, index=index)
    n = co_so[co_so[UNKNOWN]].groupby([key, "nam"]).size().reindex(index).fillna(0)
    return n > 0




@dataclass(frozen=True)
class Guard:
    """The ladder of the [000] target «no unit at or above the guard level moves down»: the result
    columns it reads and its name as printed."""

    scale: Scale  # the ladder whose labels the lists print
    flag: str  # per Đoàn cơ sở: at or above the guard last year, lower now
    prev: str  # last year's level
    now: str  # this year's level
    rollup: str  # the count per reporting unit
    name: str  # the target's name in the documents
    guard_label: str  # the guard level as printed


def guard(cycle: Cycle, nam: int) -> Guard:
    """The emulation ladder (thi_dua_hcm) when the cycle names one, else the quality rating on the
    scale in force the year before (its own guard level)."""
    em = cycle.emulation
    if em is not None:
        label = em.label(em.guard)
        return Guard(em, "_ha_bac_thi_dua", "thi_dua_nam_truoc", "thi_dua", "so_ha_bac_thi_dua",
                     f"Đoàn cơ sở xếp loại thi đua từ mức “{label}” trở lên bị hạ bậc", label)
    old = scale_of(cycle.scale, nam - 1)
    label = old.label(old.guard)
    return Guard(cycle.scale, "_ha_bac_bao_ve", "xep_loai_nam_truoc", "xep_loai", "so_ha_bac",
                 f"Đoàn cơ sở từ mức “{label}” trở lên bị hạ bậc", label)


__all__ = ["UNKNOWN", "Guard", "guard", "level_counts", "movement", "unknown_moves"]
