""""1+1" [004] by branch, unit and half-year, and the youth gathering rate [002] by unit."""

from __future__ import annotations

import pandas as pd

from ..common.frames import narrow
from .assess import Results

FIGURES = ("so_doan_vien", "so_dv_gioi_thieu_1_1", "so_thanh_nien_1_1")  # summed per unit and half-year


def mot_cong_mot(results: Results, half_years: pd.DataFrame | None, nam: int) -> pd.DataFrame:
    """Members who introduced someone and young people who joined, per Đoàn cơ sở and district, for
    each half-year reported (ky 1: six months, ky 2: the whole year) or the year where none are."""
    tree = results.chi_doan[["ma_don_vi", "ma_co_so", "ma_huyen"]].drop_duplicates("ma_don_vi")
    # the branches' rows of the two years, with the columns read below only (a wide table's filter
    # costs a block per column)
    every = narrow(results.chi_doan, ["ma_co_so", "ma_huyen", "nam", *FIGURES])
    every = every[every["nam"].between(nam - 1, nam)]
    if half_years is not None and len(half_years):
        rows = half_years[half_years["nam"].between(nam - 1, nam)].merge(tree, on="ma_don_vi", how="left")
    else:
        rows = every.assign(ky=2)
    names = results.names()
    parts = []
    for level, key in (("co_so", "ma_co_so"), ("huyen", "ma_huyen")):
        grouped = rows.groupby([key, "nam", "ky"])
        g = grouped[list(FIGURES)] \
            .sum(min_count=1).reset_index().rename(columns={key: "ma_don_vi"})
        g["so_chi_doan"] = grouped.size().to_numpy()
        g["so_chi_doan_ca_nam"] = pd.MultiIndex.from_frame(g[["ma_don_vi", "nam"]]).map(
            every.groupby([key, "nam"]).size()).fillna(0).astype(int)
        g.insert(0, "cap", level)
        parts.append(g)
    out = pd.concat(parts, ignore_index=True)
    out.insert(2, "ten_don_vi", out["ma_don_vi"].map(names))
    # One source per figure, or the difference named: half-year figures may cover fewer branches
    # than the year-end sheet the report counts.
    fewer = out["so_chi_doan"] < out["so_chi_doan_ca_nam"]
    out["ghi_chu"] = ""
    out.loc[fewer, "ghi_chu"] = [
        f"Số liệu theo kỳ của {a}/{b} chi đoàn; số cả năm trong báo cáo tính trên cả {b} chi đoàn"
        for a, b in zip(out.loc[fewer, "so_chi_doan"], out.loc[fewer, "so_chi_doan_ca_nam"])]
    num, den = out["so_dv_gioi_thieu_1_1"].astype("Float64"), out["so_doan_vien"].astype("Float64")
    out["ty_le_dv_1_1"] = (num / den).where(den > 0)
    return out.sort_values(["cap", "ma_don_vi", "nam", "ky"]).reset_index(drop=True)
