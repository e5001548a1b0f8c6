"""A Đoàn cơ sở's figures summed over its branches that sent a row (a sum over no figure, or with a
blank among them, is blank: never 0 nor a partial total) and its rates: for the score sheets and
the tables."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .unit_years import Places, ratio

SUMS = ["so_doan_vien", "so_thanh_nien", "so_thanh_nien_tap_hop", "so_ket_nap_moi", "so_gioi_thieu_dang",
        "so_cong_trinh_thanh_nien", "so_doi_hinh_tinh_nguyen", "so_hoat_dong_van_hoa_the_thao",
        "so_mo_hinh_kinh_te", "so_gioi_thieu_viec_lam", "so_dv_gioi_thieu_1_1", "so_thanh_nien_1_1"]


def branch_measures(grid: pd.DataFrame, chi_doan: pd.DataFrame, places: Places | None = None) -> pd.DataFrame:
    """Figures of a Đoàn cơ sở summed over its branches, and its rates (for score sheets, tables);
    `places`: the branches' places among the grid's unit-years (by ma_co_so), when found already."""
    places = places or Places.of(chi_doan, "ma_co_so", pd.MultiIndex.from_arrays([grid["ma_don_vi"], grid["nam"]]),
                                 grid.index)
    total = places.totals()
    if total is None or any(chi_doan[c].dtype != "Int64" for c in SUMS):
        return branch_measures_grouped(grid, chi_doan)
    out = grid.drop(columns=[c for c in SUMS if c in grid.columns])
    sent = total(pd.Series(np.where(chi_doan["co_so_lieu"].to_numpy(dtype=bool), 1.0, np.nan)))[1]
    for c in SUMS:  # a sum over no figure, or with a blank among the rows sent, is blank: never 0 nor partial
        s, n = total(chi_doan[c])
        out[c] = pd.arrays.IntegerArray(s.astype(np.int64), (n == 0) | (n < sent))
    shares = {"ty_le_bi_thu_tap_huan": chi_doan["bi_thu_duoc_tap_huan"].astype("Float64"),
              "ty_le_sinh_hoat_du": (chi_doan["so_lan_sinh_hoat"] >= 8).astype("Float64")}
    for name, col in shares.items():  # the mean of the branches' 0/1 values: exact in any order of summing
        s, n = total(col)
        out[name] = pd.arrays.FloatingArray(np.where(n > 0, s / np.maximum(n, 1), 0.0), n == 0)
    return _branch_rates(out)


def branch_measures_grouped(grid: pd.DataFrame, chi_doan: pd.DataFrame) -> pd.DataFrame:
    """branch_measures by group-bys, where a Đoàn cơ sở's unit-year repeats in the grid."""
    cd = chi_doan[chi_doan["ma_co_so"].notna()].assign(
        _tap_huan=chi_doan["bi_thu_duoc_tap_huan"].astype("Float64"),
        _sinh_hoat=(chi_doan["so_lan_sinh_hoat"] >= 8).astype("Float64"))
    blank = (cd[SUMS].isna() & cd["co_so_lieu"].to_numpy(dtype=bool)[:, None]).groupby([cd["ma_co_so"], cd["nam"]]).any()
    sums = cd.groupby(["ma_co_so", "nam"])[SUMS].sum(min_count=1).mask(blank)
    means = cd.groupby(["ma_co_so", "nam"])[["_tap_huan", "_sinh_hoat"]].mean()
    out = grid.drop(columns=[c for c in SUMS if c in grid.columns]).join(sums, on=["ma_don_vi", "nam"])
    out = out.join(means, on=["ma_don_vi", "nam"]).rename(
        columns={"_tap_huan": "ty_le_bi_thu_tap_huan", "_sinh_hoat": "ty_le_sinh_hoat_du"})
    return _branch_rates(out)


def _branch_rates(out: pd.DataFrame) -> pd.DataFrame:
    out["ty_le_tap_hop"] = ratio(out["so_thanh_nien_tap_hop"], out["so_thanh_nien"])
    out["ty_le_dv_1_1"] = ratio(out["so_dv_gioi_thieu_1_1"], out["so_doan_vien"])
    out["ty_le_ket_nap"] = ratio(out["so_ket_nap_moi"], out["so_doan_vien"])
    return out


__all__ = ["SUMS", "branch_measures", "branch_measures_grouped"]
