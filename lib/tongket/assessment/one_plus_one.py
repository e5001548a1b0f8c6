""""1+1" half-year review [004]: per unit, the six-month figures (sheet mot_cong_mot, ky 1) judged
against the rule "every member brings at least one young person", ranked, beside the whole-year
figures of the year-end report (sheet chi_doan, as the report counts them; ky 2 rows are not
used, so the two documents cannot disagree on the year)."""

from __future__ import annotations

import pandas as pd

from ..common.ranks import best_first, shared_rank
from ..common.vietnamese import order_by_name
from .assess import Results

FIGURES = ["so_doan_vien", "so_dv_gioi_thieu_1_1", "so_thanh_nien_1_1"]
COLUMNS = ["ma_don_vi", "ten_don_vi", "so_chi_doan", "so_chi_doan_du_so_lieu", "chi_doan_thieu", *FIGURES,
           "ty_le_dv_1_1", "so_chi_doan_dat", "dat_yeu_cau", "hang", "ty_le_dv_1_1_ca_nam", "so_thanh_nien_1_1_ca_nam",
           "vuot_ca_nam"]
HALF = 1  # ky 1: the first six months


def has_half_year(half_years: pd.DataFrame | None, chi_doan: pd.DataFrame, nam: int) -> bool:
    """Whether the sheet has six-month rows of `nam` for any of these branches."""
    if half_years is None or not len(half_years):
        return False
    rows = half_years[(half_years["nam"] == nam) & (half_years["ky"] == HALF)]
    return bool(rows["ma_don_vi"].isin(chi_doan["ma_don_vi"]).any())


def half_year(results: Results, half_years: pd.DataFrame | None, nam: int, key: str) -> pd.DataFrame:
    """One row per unit (`key`: ma_co_so for a district's Đoàn cơ sở, ma_bao_cao for the province's
    reporting units) with six-month rows of `nam`: branches reporting, those with a blank figure
    (named; left out of the sums, never counted as 0), the sums, the share of members who brought
    someone, the branches where every member did, whether the unit meets the rule, its rank, and the
    year-end report's share and count (`vuot_ca_nam`: a six-month count above the whole year's)."""
    year = results.year(nam)
    cd = year.chi_doan[["ma_don_vi", "ten_don_vi", key]].drop_duplicates("ma_don_vi")
    empty = pd.DataFrame(columns=COLUMNS)
    if half_years is None or not len(half_years):
        return empty
    rows = half_years[(half_years["nam"] == nam) & (half_years["ky"] == HALF)].merge(cd, on="ma_don_vi")
    if not len(rows):
        return empty
    complete = rows[FIGURES].notna().all(axis=1)
    names = results.names()
    whole = (year.co_so if key == "ma_co_so" else year.bao_cao).drop_duplicates("ma_don_vi").set_index("ma_don_vi")
    out = []
    for code, g in rows.groupby(key):
        ok = g[complete.loc[g.index]]
        sums = {c: int(ok[c].sum()) if len(ok) else pd.NA for c in FIGURES}
        members = sums["so_doan_vien"]
        share = (sums["so_dv_gioi_thieu_1_1"] / members) if len(ok) and members else pd.NA
        # every member introduced someone: a branch with members (0 of 0 is no member having done so)
        every = int(((ok["so_dv_gioi_thieu_1_1"] >= ok["so_doan_vien"]) & (ok["so_doan_vien"] > 0)).sum()) if len(ok) else 0
        missing = g.loc[~complete.loc[g.index], "ten_don_vi"]
        w = whole.loc[code] if code in whole.index else None
        year_count = w["so_thanh_nien_1_1"] if w is not None else pd.NA
        out.append({"ma_don_vi": code, "ten_don_vi": names.get(code, code), "so_chi_doan": len(g),
                    "so_chi_doan_du_so_lieu": len(ok),
                    "chi_doan_thieu": ", ".join(missing.iloc[order_by_name(missing)]), **sums,
                    "ty_le_dv_1_1": share, "so_chi_doan_dat": every,
                    "dat_yeu_cau": pd.NA if share is pd.NA else bool(share >= 1) and len(ok) == len(g),
                    "ty_le_dv_1_1_ca_nam": w["ty_le_dv_1_1"] if w is not None else pd.NA,
                    "so_thanh_nien_1_1_ca_nam": year_count,
                    "vuot_ca_nam": bool(not pd.isna(year_count) and sums["so_thanh_nien_1_1"] is not pd.NA
                                        and sums["so_thanh_nien_1_1"] > year_count)})
    t = pd.DataFrame(out)
    t = t.iloc[order_by_name(t["ten_don_vi"])]
    rate = pd.to_numeric(t["ty_le_dv_1_1"], errors="coerce")
    joined = pd.to_numeric(t["so_thanh_nien_1_1"], errors="coerce")
    t = t.assign(_r=best_first(rate), _j=-joined.fillna(-1)).sort_values(["_r", "_j"], kind="stable")
    ranked = rate.loc[t.index].notna()
    t["hang"] = pd.array([pd.NA] * len(t), dtype="Int64")
    # units printing the same rate share a rank (the table ranks by the rate: more joined, or the
    # name, only orders them); a tie is never broken by name
    t.loc[ranked[ranked].index, "hang"] = shared_rank(t[ranked], ["_r"]).to_numpy()
    return t.drop(columns=["_r", "_j"])[COLUMNS].reset_index(drop=True)
