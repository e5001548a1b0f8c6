"""The population «cơ sở Đoàn các cấp» of the [000 II.3.2] targets: every Đoàn cơ sở and every chi
đoàn cơ sở (a branch directly under a district), rated, moved up, moved down. The contract's §5
indicators (`ty_le_duoc_xep_loai`, `ty_le_nang_bac`, `so_ha_bac`) stay over Đoàn cơ sở only; these
columns sit beside them and a cycle's target names them where it means cơ sở Đoàn các cấp."""

from __future__ import annotations

import pandas as pd

from ..rules.scales import Scale
from .periods import UNKNOWN
from .unit_years import MUTE, ratio, unknown

# Per branch (chi đoàn cơ sở only; "_" keeps them out of the workbooks): last year's rating, the
# move, whether it fell from the guard level or above, whether the move is unknown (change of scale).
PREV, MOVE, DOWN, UNKNOWN_MOVE = "_cs_nam_truoc", "_cs_bien_dong", "_cs_ha_bac", "_cs_khong_ro"
# The rollup columns, per reporting unit and the province.
COLUMNS = ("so_chi_doan_co_so", "so_co_so_doan", "so_co_so_doan_duoc_xep_loai", "ty_le_co_so_doan_duoc_xep_loai",
           "so_co_so_doan_nang_bac", "ty_le_co_so_doan_nang_bac", "so_co_so_doan_ha_bac")


def is_direct(chi_doan: pd.DataFrame) -> pd.Series:
    """Branches directly under a district (chi đoàn cơ sở): no Đoàn cơ sở above them."""
    none_above = chi_doan["ma_co_so"].isna()
    return none_above & chi_doan["ma_huyen"].notna() if none_above.any() else none_above


def branch_moves(chi_doan: pd.DataFrame, scale: Scale) -> pd.DataFrame:
    """`chi_doan` with last year's rating and the move of every chi đoàn cơ sở (as a Đoàn cơ sở's,
    on the scale of each year, through the declared mapping across a change of scale)."""
    from .assess import movement  # the one rule of movement, shared with the Đoàn cơ sở

    direct = chi_doan.loc[is_direct(chi_doan), ["ma_don_vi", "nam", "xep_loai"]]
    moved = movement(direct.reset_index(), scale).set_index("index")
    if UNKNOWN not in moved:
        moved[UNKNOWN] = False
    # Spread over every branch in one reindex (a branch that is not a chi đoàn cơ sở: blank, not moved).
    moved = moved[["xep_loai_nam_truoc", "bien_dong", "_ha_bac_bao_ve", UNKNOWN]].reindex(chi_doan.index)
    out = chi_doan.copy(deep=False)  # copy-on-write: the new columns only
    out[PREV] = moved["xep_loai_nam_truoc"].astype(object)
    out[MOVE] = moved["bien_dong"].astype(object)
    out[DOWN] = moved["_ha_bac_bao_ve"].astype("boolean").fillna(False).astype(bool)
    out[UNKNOWN_MOVE] = moved[UNKNOWN].astype("boolean").fillna(False).astype(bool)
    return out


def members(chi_doan: pd.DataFrame, co_so: pd.DataFrame) -> pd.DataFrame:
    """One row per unit of the population and year: Đoàn cơ sở then chi đoàn cơ sở, with the
    levels it belongs to, its rating, last year's, the move and the guard flag."""
    keys = [c for c in ("ma_huyen", "ma_tinh", "ma_bao_cao") if c in co_so]
    cs = pd.DataFrame({
        "ma_don_vi": co_so["ma_don_vi"], "nam": co_so["nam"], **{k: co_so[k] for k in keys},
        "xep_loai": co_so["xep_loai"].astype(object), "nam_truoc": co_so["xep_loai_nam_truoc"].astype(object),
        "bien_dong": co_so["bien_dong"].astype(object), "ha_bac": co_so["_ha_bac_bao_ve"].astype(bool),
        "khong_ro": co_so[UNKNOWN].astype(bool) if UNKNOWN in co_so else False, "chi_doan_co_so": False})
    d = chi_doan[is_direct(chi_doan)]
    cd = pd.DataFrame({
        "ma_don_vi": d["ma_don_vi"], "nam": d["nam"], **{k: d[k] for k in keys if k in d},
        "xep_loai": d["xep_loai"].astype(object), "nam_truoc": d[PREV], "bien_dong": d[MOVE],
        "ha_bac": d[DOWN], "khong_ro": d[UNKNOWN_MOVE], "chi_doan_co_so": True})
    return pd.concat([cs, cd], ignore_index=True)


def rollup(frame: pd.DataFrame | None, key: str, population: pd.DataFrame) -> pd.DataFrame | None:
    """`frame` (one row per unit and year) with the COLUMNS over the population under each unit;
    the moves are blank (not 0) where no unit of it was rated the year before, or a move crosses
    a change of scale with no mapping."""
    if frame is None:
        return None
    idx = pd.MultiIndex.from_arrays([frame["ma_don_vi"], frame["nam"]])
    pop = population[population[key].notna()] if key in population else population.iloc[:0]
    flag = lambda s: s.astype("boolean").fillna(False).astype("int64")
    flags = pd.DataFrame({  # every count in one pass over the population
        "every": 1, "direct": flag(pop["chi_doan_co_so"]), "rated": flag(pop["xep_loai"].notna()),
        "prev": flag(pop["nam_truoc"].notna()), "unknown": flag(pop["khong_ro"]),
        "up": flag(pop["bien_dong"].astype(object).eq("nang_bac")), "down": flag(pop["ha_bac"]),
        key: pop[key], "nam": pop["nam"]}, index=pop.index)
    sums = flags.groupby([key, "nam"]).sum().reindex(idx).fillna(0).astype("int64")
    n = {c: pd.Series(sums[c].to_numpy(), index=frame.index, dtype="Int64") for c in sums.columns}
    out = frame.copy(deep=False)  # copy-on-write: the new columns only
    out["so_chi_doan_co_so"] = n["direct"]
    out["so_co_so_doan"] = n["every"]
    # A year in which none of the branches under the unit sent a row (`upkeep.unknown`): the ratings
    # of its chi đoàn cơ sở are unknown, not «not rated», and so are their moves. (The year after,
    # a unit without last year's rating is counted as not moved, as a new unit is.)
    rated = ~(unknown(frame, MUTE) & (n["direct"] > 0).to_numpy(dtype=bool))
    out["so_co_so_doan_duoc_xep_loai"] = n["rated"].where(rated)
    out["ty_le_co_so_doan_duoc_xep_loai"] = ratio(n["rated"], n["every"]).where(rated)
    had = (n["prev"] > 0) & (n["unknown"] == 0) & rated
    out["so_co_so_doan_nang_bac"] = n["up"].where(had)
    out["ty_le_co_so_doan_nang_bac"] = ratio(n["up"], n["every"]).where(had)
    out["so_co_so_doan_ha_bac"] = n["down"].where(had)
    return out


__all__ = ["COLUMNS", "branch_moves", "is_direct", "members", "rollup"]
