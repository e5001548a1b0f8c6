"""Branch ratings and results by kind of unit [002 II.2.3.1] for the reports (context keys
`xep_loai_chi_doan` and `loai_hinh`) and the result workbook (sheets of the same names).

Branch ratings: every branch with a row for the year, chi đoàn cơ sở directly under a district
included, on the scale in force that year. By kind: the Đoàn cơ sở of each `loai_hinh`, their
rating distribution and, where the rule applies, their residential branches up to standard."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..common.schema import LOAI_HINH, TEN_LOAI_HINH_HOA
from ..common.vietnamese import phan_tram, so, so_dem
from ..rules.periods import scale_of
from ..rules.scales import Scale

CHUA = "Chưa xếp loại"


def _levels(codes: pd.Series, scale: Scale) -> list[tuple[str, str, int]]:
    """(label, short, count) of every level of `scale` among `codes`, best first."""
    return [(lv.label, lv.short, int((codes == lv.code).sum())) for lv in scale.levels]


def branch_ratings(chi_doan: pd.DataFrame, scale: Scale, nam: int) -> dict[str, Any]:
    """Sentences and rows of the branches' rating distribution for year `nam` (empty when no
    branch is rated: the section is left out)."""
    # every branch the unit tree holds for the year: one that sent no row is one not rated (the
    # reports' other counts of branches, and the «cơ sở Đoàn các cấp» sentence, count it too)
    rows = chi_doan[chi_doan["nam"] == nam]
    rated = rows["xep_loai"].dropna()
    if rated.empty:
        return {}
    s = scale_of(scale, nam)
    levels = _levels(rated, s)
    n, k = len(rows), len(rated)
    parts = [f"{so_dem(c)} {label.lower()} ({phan_tram(c / k)})" for label, _, c in levels if c]
    direct = rows[rows["ma_co_so"].isna()]  # chi đoàn cơ sở, directly under a district
    silent = int((~rows["co_so_lieu"].astype(bool)).sum())
    unsent = f" ({so_dem(silent)} chi đoàn chưa gửi số liệu)" if silent else ""
    cau = [f"Đã đánh giá, xếp loại {so(k)}/{so(n)} chi đoàn{unsent}, tỉ lệ {phan_tram(k / n)}; trong đó "
           f"{', '.join(parts)}."]
    if len(direct):
        d = direct["xep_loai"].dropna()
        dl = [f"{so_dem(c)} {label.lower()}" for label, _, c in _levels(d, s) if c]
        done = f"đã xếp loại {so_dem(len(d))} ({', '.join(dl)})" if len(d) else "chưa được xếp loại"
        cau.append(f"Chi đoàn cơ sở trực thuộc: {so_dem(len(direct))} chi đoàn, {done}.")
    bang = [{"muc": label, "so": so(c), "ty_le": phan_tram(c / k)} for label, _, c in levels]
    bang.append({"muc": CHUA, "so": so(n - k), "ty_le": "–"})
    return {"cau": cau, "bang": bang}


def kind_table(co_so: pd.DataFrame, scale: Scale, nam: int) -> pd.DataFrame:
    """One row per kind of Đoàn cơ sở present in year `nam`: counts per level, not rated, and the
    residential branches up to standard (blank where the kind has none)."""
    rows = co_so.loc[co_so["nam"] == nam, ["loai_hinh", "so_chi_doan_dan_cu", "so_chi_doan_dat_chuan", "xep_loai"]]
    s = scale_of(scale, nam)
    out = []
    for kind in LOAI_HINH:
        cs = rows[rows["loai_hinh"] == kind]
        if cs.empty:
            continue
        dan_cu = int(cs["so_chi_doan_dan_cu"].sum())
        dat = int(cs["so_chi_doan_dat_chuan"].sum())
        out.append({"loai_hinh": kind, "ten_loai_hinh": TEN_LOAI_HINH_HOA[kind], "nam": nam, "so_co_so": len(cs),
                    **{f"so_{code}": c for code, c in ((lv.code, int((cs["xep_loai"] == lv.code).sum()))
                                                      for lv in s.levels)},
                    "so_chua_xep_loai": int(cs["xep_loai"].isna().sum()),
                    "so_chi_doan_dan_cu": dan_cu if dan_cu else None,
                    "so_chi_doan_dat_chuan": dat if dan_cu else None,
                    "ty_le_dat_chuan": dat / dan_cu if dan_cu else None})
    return pd.DataFrame(out)


def by_kind(co_so: pd.DataFrame, scale: Scale, nam: int) -> dict[str, Any]:
    """The table of results by kind of Đoàn cơ sở (empty with fewer than two kinds: it would only
    repeat the totals)."""
    t = kind_table(co_so, scale, nam)
    if len(t) < 2:
        return {}
    s = scale_of(scale, nam)
    bang = []
    for i, r in enumerate(t.to_dict("records"), start=1):
        levels = "; ".join(f"{lv.short}: {so(r[f'so_{lv.code}'])}" for lv in s.levels if r[f"so_{lv.code}"])
        rated = r["so_co_so"] - r["so_chua_xep_loai"]
        bang.append({"stt": str(i), "ten": r["ten_loai_hinh"], "so_co_so": so(r["so_co_so"]),
                     "xep_loai": f"{so(rated)}" + (f" ({levels})" if levels else ""),
                     "dat_chuan": "–" if pd.isna(r["so_chi_doan_dan_cu"]) else
                     f"{so(r['so_chi_doan_dat_chuan'])}/{so(r['so_chi_doan_dan_cu'])} ({phan_tram(r['ty_le_dat_chuan'])})"})
    parts = [f"{b['ten'].lower()} {so_dem(int(r['so_co_so']))}" for b, r in zip(bang, t.to_dict("records"))]
    cau = f"Theo loại hình, có {', '.join(parts)} Đoàn cơ sở; kết quả xếp loại từng loại hình như bảng dưới đây."
    return {"cau": cau, "bang": bang}


def context(chi_doan: pd.DataFrame, co_so: pd.DataFrame, scale: Scale, nam: int) -> dict[str, Any]:
    """The two context keys of a year-end report."""
    return {"xep_loai_chi_doan": branch_ratings(chi_doan, scale, nam), "loai_hinh": by_kind(co_so, scale, nam)}


def tables(chi_doan: pd.DataFrame, co_so: pd.DataFrame, scale: Scale, nam: int) -> dict[str, pd.DataFrame]:
    """Sheets of the result workbook: the branches' ratings by level and the results by kind."""
    rows = chi_doan[(chi_doan["nam"] == nam) & chi_doan["co_so_lieu"].astype(bool)]
    s = scale_of(scale, nam)
    rated = rows["xep_loai"].dropna()
    levels = pd.DataFrame(columns=["nam", "xep_loai", "ten_xep_loai", "so_chi_doan", "ty_le"]) if rated.empty else pd.DataFrame([{"nam": nam, "xep_loai": lv.code, "ten_xep_loai": lv.label,
                            "so_chi_doan": int((rated == lv.code).sum()),
                            "ty_le": (rated == lv.code).sum() / len(rated) if len(rated) else None}
                           for lv in s.levels])
    return {"xep_loai_chi_doan": levels, "loai_hinh": kind_table(co_so, scale, nam)}


__all__ = ["branch_ratings", "by_kind", "context", "kind_table", "tables"]
