"""Cadres of every level (contract §6.2) [002 II.2]: executive committees meeting the cadre
standard, cadres trained, secretaries changed (Đoàn cơ sở) and new (chi đoàn), branch
secretaries trained, summed up to a district, the province and the reporting units.

Blank is not zero. Each figure is taken over the units that gave it, and the number of units it
is taken over is kept beside it (`so_co_so_bao_cao_*`, `so_chi_doan_bao_cao_*`), so a document
can say how many units have not reported; a figure no unit gave is missing, never 0. The
committee's sums `so_uy_vien_bch` and `so_uy_vien_dat_chuan` are both taken over the Đoàn cơ sở
that gave BOTH figures, so that `ty_le_uy_vien_dat_chuan` is exactly the ratio of the two sums a
document prints (a unit with one figure blank is left out of both, and counted as not reported).
A workbook without any cadre figure gets none of these columns: its results are as before.
"""

from __future__ import annotations

import pandas as pd

# Inputs (contract §6.2): the Đoàn cơ sở's and the branch's own columns.
CO_SO_INPUTS = ("so_uy_vien_bch", "so_uy_vien_dat_chuan", "so_can_bo_duoc_boi_duong", "bi_thu_thay_trong_nam")
CHI_DOAN_INPUTS = ("bi_thu_moi",)

# Of them, the figures counted from branch rows (the others come from the Đoàn cơ sở's rows).
FROM_BRANCHES = ["so_bi_thu_chi_doan_moi", "so_bi_thu_duoc_tap_huan", "ty_le_bi_thu_duoc_tap_huan"]
# Output columns of the huyen, tinh and reporting-unit rollups, in their order.
ROLLUP_CADRE_COLS = [
    "so_uy_vien_bch", "so_uy_vien_dat_chuan", "ty_le_uy_vien_dat_chuan", "so_co_so_bao_cao_uy_vien",
    "so_can_bo_duoc_boi_duong", "so_co_so_bao_cao_boi_duong",
    "so_co_so_thay_bi_thu", "so_co_so_bao_cao_thay_bi_thu",
    "so_bi_thu_chi_doan_moi", "so_chi_doan_bao_cao_bi_thu_moi",
    "so_bi_thu_duoc_tap_huan", "ty_le_bi_thu_duoc_tap_huan", "so_chi_doan_bao_cao_tap_huan",
]


def collected(chi_doan: pd.DataFrame, co_so: pd.DataFrame) -> bool:
    """Whether the workbook holds any cadre figure at all (columns absent or all blank: not collected)."""
    return any(c in co_so and co_so[c].notna().any() for c in CO_SO_INPUTS) or \
        any(c in chi_doan and chi_doan[c].notna().any() for c in CHI_DOAN_INPUTS)


def _counted(frame: pd.DataFrame, key: str, idx: pd.MultiIndex, value: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Per unit of `idx`: how many rows answered (Int64, 0 where none) and how many said yes
    (Int64, missing where none answered)."""
    answered = value.notna()
    yes = value.fillna(False).astype(bool) & answered
    g = pd.DataFrame({key: frame[key], "nam": frame["nam"], "_n": answered.astype("int64"),
                      "_yes": yes.astype("int64")}).dropna(subset=[key]).groupby([key, "nam"])[["_n", "_yes"]].sum()
    g = g.reindex(idx)
    n = pd.array(g["_n"].fillna(0).to_numpy(dtype="int64"), dtype="Int64")
    count = pd.array(g["_yes"].to_numpy(), dtype="Float64").astype("Int64")
    count[n == 0] = pd.NA
    return pd.Series(n), pd.Series(count)


def _summed(frame: pd.DataFrame, key: str, idx: pd.MultiIndex, values: pd.DataFrame,
            rows: pd.Series) -> tuple[pd.DataFrame, pd.Series]:
    """Sums of `values` over the rows under `rows` per unit (missing where no row), and how many rows."""
    f = values[rows].assign(**{key: frame.loc[rows, key], "nam": frame.loc[rows, "nam"], "_n": 1})
    g = f.dropna(subset=[key]).groupby([key, "nam"]).sum(min_count=1).reindex(idx)
    n = pd.Series(pd.array(g["_n"].fillna(0).to_numpy(dtype="int64"), dtype="Int64"))
    sums = pd.DataFrame({c: pd.array(g[c].to_numpy(), dtype="Float64").astype("Int64") for c in values.columns})
    return sums, n


def cadre_rollup(rollup: pd.DataFrame, level: str, chi_doan: pd.DataFrame, co_so: pd.DataFrame) -> pd.DataFrame:
    """The rollup of `level` (huyen, tinh, or the reporting level) with the cadre columns after
    its own; unchanged when the workbook has no cadre figure."""
    if not collected(chi_doan, co_so):
        return rollup
    key = f"ma_{level}"
    idx = pd.MultiIndex.from_arrays([rollup["ma_don_vi"], rollup["nam"]])
    cs = co_so.assign(**{c: co_so[c] if c in co_so else pd.NA for c in CO_SO_INPUTS})
    cd = chi_doan.assign(**{c: chi_doan[c] if c in chi_doan else pd.NA for c in CHI_DOAN_INPUTS})
    out = rollup.reset_index(drop=True).copy()
    both = cs["so_uy_vien_bch"].notna() & cs["so_uy_vien_dat_chuan"].notna()
    sums, n = _summed(cs, key, idx, cs[["so_uy_vien_bch", "so_uy_vien_dat_chuan"]].astype("Float64"), both)
    out["so_uy_vien_bch"], out["so_uy_vien_dat_chuan"] = sums["so_uy_vien_bch"], sums["so_uy_vien_dat_chuan"]
    den = sums["so_uy_vien_bch"].astype("Float64")
    out["ty_le_uy_vien_dat_chuan"] = (sums["so_uy_vien_dat_chuan"].astype("Float64") / den).where(den > 0)
    out["so_co_so_bao_cao_uy_vien"] = n
    trained = cs["so_can_bo_duoc_boi_duong"].notna()
    sums, n = _summed(cs, key, idx, cs[["so_can_bo_duoc_boi_duong"]].astype("Float64"), trained)
    out["so_can_bo_duoc_boi_duong"], out["so_co_so_bao_cao_boi_duong"] = sums["so_can_bo_duoc_boi_duong"], n
    n, yes = _counted(cs, key, idx, cs["bi_thu_thay_trong_nam"].astype("boolean"))
    out["so_co_so_thay_bi_thu"], out["so_co_so_bao_cao_thay_bi_thu"] = yes, n
    n, yes = _counted(cd, key, idx, cd["bi_thu_moi"].astype("boolean"))
    out["so_bi_thu_chi_doan_moi"], out["so_chi_doan_bao_cao_bi_thu_moi"] = yes, n
    n, yes = _counted(cd, key, idx, cd["bi_thu_duoc_tap_huan"].astype("boolean"))
    out["so_bi_thu_duoc_tap_huan"], out["so_chi_doan_bao_cao_tap_huan"] = yes, n
    out["ty_le_bi_thu_duoc_tap_huan"] = (yes.astype("Float64") / n.astype("Float64")).where(n > 0)
    return out[[*rollup.columns, *(c for c in ROLLUP_CADRE_COLS if c not in rollup.columns)]]


__all__ = ["CHI_DOAN_INPUTS", "CO_SO_INPUTS", "FROM_BRANCHES", "ROLLUP_CADRE_COLS", "cadre_rollup", "collected"]
