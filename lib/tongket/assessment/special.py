"""Special or struggling units [003]: their work team, their own score sheet, ratings over the
years, and "công nhận tiến bộ" (recognised progress: moved up this year)."""

from __future__ import annotations

import pandas as pd

from ..common.frames import narrow
from ..rules.scales import Scale
from .assess import Results


def tracker(results: Results, scale: Scale, nam: int) -> pd.DataFrame:
    """One row per special unit: work team, rating each year, movement, progress recognised."""
    tree = results.tree()  # the Đoàn cơ sở of these results (of one reporting unit, for its view)
    units = tree.loc[results.co_so["ma_don_vi"].unique()].reset_index(drop=True)
    units = units[units["dac_thu"].fillna(False).astype(bool)]
    cs = narrow(results.co_so, ["ma_don_vi", "nam", "xep_loai", "bien_dong", "diem_bang_diem", "bang_diem"])
    cs = cs[cs["ma_don_vi"].isin(units["ma_don_vi"]) & (cs["nam"] <= nam)]  # the columns read below, then the rows
    ratings = cs.pivot_table(index="ma_don_vi", columns="nam", values="xep_loai", aggfunc="first")
    ratings = ratings.map(lambda c: scale.level(c).short if isinstance(c, str) else None)
    ratings = ratings.reindex(columns=[y for y in results.years if y <= nam])  # every year, even with no unit
    ratings.columns = [f"xep_loai_{y}" for y in ratings.columns]
    now = cs[cs["nam"] == nam].set_index("ma_don_vi")
    out = units[["ma_don_vi", "ten_don_vi", "ma_cap_tren"]].rename(columns={"ma_cap_tren": "ma_huyen"}).copy()
    out["to_cong_tac"] = units["to_cong_tac"] if "to_cong_tac" in units else pd.NA
    out = out.join(ratings, on="ma_don_vi")
    for col in ("bien_dong", "diem_bang_diem", "bang_diem"):
        out[col] = out["ma_don_vi"].map(now[col]) if col in now else pd.NA
    out["cong_nhan_tien_bo"] = (out["bien_dong"] == "nang_bac").astype(bool)
    out.insert(2, "nam", nam)
    return out.sort_values(["ma_huyen", "ma_don_vi"]).reset_index(drop=True)
