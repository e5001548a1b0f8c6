"""What the reports say about member ratings (contract §6.2): the context key `thanh_vien`.

The tổng kết and tổng hợp get the year's distribution in sentences (number and share of each level,
the share assessed, the comparison with the year before) and a table; the sơ kết the series across
years, each year on its own scale's levels. A unit or year without these figures gets an empty
`thanh_vien`, so the section is not printed at all.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..assessment.compare import KHAC_PHAM_VI
from ..assessment.members import MISSING, incomplete, phrase
from ..common.frames import year_row
from ..common.vietnamese import diem_phan_tram, hieu_ty_le, is_missing, phan_tram, so, so_dem
from ..rules.members import ASSESSED, MemberScale, column, member_scale_of, rate_column

ASSESSED_RATE = "ty_le_dv_duoc_danh_gia"
REPORTS = ("bao_cao_tong_ket", "bao_cao_tong_hop", "bao_cao_so_ket")  # the documents with the section


def _has(row: pd.Series | None) -> bool:
    return row is not None and ASSESSED in row.index and not is_missing(row[ASSESSED])


def _change(now: Any, before: Any) -> str:
    delta = hieu_ty_le(now, before)
    if delta is None:
        return ""
    if delta == 0:
        return "không đổi"
    return ("tăng " if delta > 0 else "giảm ") + diem_phan_tram(abs(delta))


def _levels(row: pd.Series, scale: MemberScale, nam: int) -> list[str]:
    return [lv.code for lv in scale.levels(nam) if column(lv.code) in row.index]


def sentences(now: pd.Series, before: pd.Series | None, scale: MemberScale, nam: int, unlike: bool = False) -> list[str]:
    """The year's member ratings in words: share assessed, every level, the year before (`unlike`:
    the two years not over the same Đoàn cơ sở, so no change is said), what is missing."""
    codes = _levels(now, scale, nam)
    out = [f"Năm {nam}, {so(now[ASSESSED])} đoàn viên được đánh giá, xếp loại, bằng "
           f"{phan_tram(now[ASSESSED_RATE])} số đoàn viên."]
    parts = [f"{so(now[column(c)])} đoàn viên {phrase(c)} ({phan_tram(now[rate_column(c)])})" for c in codes
             if not is_missing(now[column(c)])]
    if parts:
        out.append("Kết quả xếp loại: " + ", ".join(parts) + ".")
    short = [y for y, r in ((nam - 1, before), (nam, now)) if incomplete(r)] if _has(before) else []
    if before is not None and _has(before) and unlike:
        out.append(f"Không so sánh với năm {nam - 1}: số liệu hai năm {KHAC_PHAM_VI}.")
    elif short:  # a year's figures leave out branches that gave them incomplete: not over the same branches
        out.append(f"Không so sánh với năm {nam - 1}: số liệu " + ("hai năm" if len(short) == 2 else f"năm {short[0]}")
                   + " chưa đủ" + (f" (năm {nam - 1} chưa tính {so_dem(incomplete(before))} chi đoàn chưa báo cáo "
                                   "đầy đủ)" if nam - 1 in short else "") + ".")
    elif before is not None and _has(before):
        old = _levels(before, scale, nam - 1)
        said = [f"tỉ lệ đoàn viên được đánh giá, xếp loại {_change(now[ASSESSED_RATE], before[ASSESSED_RATE])}"]
        if old == codes and codes:
            for c in (codes[0], codes[-1]):
                said.append(f"tỉ lệ đoàn viên {phrase(c)} {_change(now[rate_column(c)], before[rate_column(c)])}")
            out.append(f"So với năm {nam - 1}, " + "; ".join(s for s in said if not s.endswith(" ")) + ".")
        else:
            names = ", ".join(lv.label for lv in scale.levels(nam - 1))
            out.append(f"So với năm {nam - 1}, {said[0]}; năm {nam - 1} đoàn viên được xếp loại theo các mức "
                       f"khác ({names}) nên không so sánh từng mức.")
    elif before is not None:
        out.append(f"Năm {nam - 1} chưa có số liệu đánh giá, xếp loại đoàn viên để so sánh.")
    missing = now.get(MISSING)
    if missing is not None and not is_missing(missing) and int(missing) > 0:
        out.append(f"Các số liệu trên chưa tính {so_dem(int(missing))} chi đoàn chưa báo cáo đầy đủ kết quả "
                   "đánh giá, xếp loại đoàn viên.")
    return out


def table(now: pd.Series, before: pd.Series | None, scale: MemberScale, nam: int) -> list[dict[str, str]]:
    """One row per level of the year's scale: members, share, and the share the year before on the same level
    («–» where a year's figures leave out branches: the sentence above says it makes no comparison)."""
    rows = []
    same = before is not None and _has(before) and _levels(before, scale, nam - 1) == _levels(now, scale, nam) \
        and not incomplete(now) and not incomplete(before)
    for lv in scale.levels(nam):
        if column(lv.code) not in now.index:
            continue
        rows.append({"muc": lv.label, "so": so(now[column(lv.code)]), "ty_le": phan_tram(now[rate_column(lv.code)]),
                     "nam_truoc": phan_tram(before[rate_column(lv.code)]) if same and before is not None else "–"})
    return rows


def context(rows: pd.DataFrame, nam: int, cycle: Any, unlike: bool = False) -> dict[str, Any]:
    """`thanh_vien` of a tổng kết or tổng hợp (`rows`: the unit's rollup rows, every year): empty
    where the year has no member-rating figure (`unlike`: as `sentences`)."""
    scale = member_scale_of(cycle)
    now = year_row(rows, nam)
    if not _has(now):
        return {}
    assert now is not None
    before = year_row(rows, nam - 1)
    return {"nam": str(nam), "nam_truoc": str(nam - 1), "cau": sentences(now, before, scale, nam, unlike),
            "bang": table(now, before, scale, nam)}


def series(rows: pd.DataFrame, cycle: Any, tu_nam: int, nam: int) -> dict[str, Any]:
    """`thanh_vien` of a sơ kết: one row per year and level, each year on its own scale; empty
    where no year of the period has member-rating figures."""
    scale = member_scale_of(cycle)
    out: list[dict[str, str]] = []
    years = [y for y in range(tu_nam, nam + 1) if _has(year_row(rows, y))]
    for y in years:
        r = year_row(rows, y)
        assert r is not None
        for k, lv in enumerate(scale.levels(y)):
            if column(lv.code) not in r.index:
                continue
            out.append({"nam": str(y) if k == 0 else "", "duoc_danh_gia": (
                f"{so(r[ASSESSED])} ({phan_tram(r[ASSESSED_RATE])})" if k == 0 else ""),
                "muc": lv.label, "so": so(r[column(lv.code)]), "ty_le": phan_tram(r[rate_column(lv.code)])})
    if not out:
        return {}
    first, last = year_row(rows, years[0]), year_row(rows, years[-1])
    assert first is not None and last is not None
    cau = [f"Trong {so_dem(len(years))} năm có số liệu ({years[0]}–{years[-1]}), tỉ lệ đoàn viên được đánh giá, "
           f"xếp loại từ {phan_tram(first[ASSESSED_RATE])} năm {years[0]} đến {phan_tram(last[ASSESSED_RATE])} "
           f"năm {years[-1]}."] if len(years) > 1 else []
    periods: dict[tuple[str, ...], list[int]] = {}
    for y in years:
        periods.setdefault(tuple(lv.label for lv in scale.levels(y)), []).append(y)
    for y in years:  # a year whose figures leave out branches says so under the table
        if incomplete(year_row(rows, y)):
            cau.append(f"Số liệu năm {y} chưa tính {so_dem(incomplete(year_row(rows, y)))} chi đoàn chưa báo cáo đầy "
                       "đủ kết quả đánh giá, xếp loại đoàn viên.")
    if len(periods) > 1:  # each year on its own scale's levels: say which years use which
        cau.append("Đoàn viên được xếp loại theo các mức của từng năm: " + "; ".join(
            f"năm {ys[0]}" + (f"–{ys[-1]}" if len(ys) > 1 else "") + f": {', '.join(labels)}"
            for labels, ys in periods.items()) + ".")
    return {"bang_nam": out, "cau": cau}




def chart(rows: pd.DataFrame, nam: int, cycle: Any, name: str) -> Any:
    """The bar chart of the year's member ratings (None where the year has no figure)."""
    from .charts import danh_gia_doan_vien

    now = year_row(rows, nam)
    if not _has(now):
        return None
    assert now is not None
    levels = [lv for lv in member_scale_of(cycle).levels(nam) if not is_missing(now.get(column(lv.code)))]
    if not levels:
        return None
    return danh_gia_doan_vien([lv.label for lv in levels], [int(now[column(lv.code)]) for lv in levels],
                              f"{name}: đánh giá, xếp loại đoàn viên năm {nam}")


def fields(doc_key: str, _paths: set[str] | None = None) -> set[str]:
    """The `thanh_vien` field paths of a document kind that has the section, for the template check:
    a workbook without member ratings leaves the key empty, its fields are still known."""
    from .fields_doc import FIELDS

    if doc_key not in REPORTS:
        return set()
    so_ket = doc_key == "bao_cao_so_ket"
    table = "thanh_vien.bang_nam[]" if so_ket else "thanh_vien.bang[]"
    chart = set() if so_ket else {"bieu_do.thanh_vien", "so_bieu_do.thanh_vien"}
    return chart | {p for p in FIELDS if p.startswith("thanh_vien") and (
        not p.startswith(("thanh_vien.bang[]", "thanh_vien.bang_nam[]", "thanh_vien.nam")) or p.startswith(table)
        or (p.startswith("thanh_vien.nam") and not so_ket))}


__all__ = ["chart", "context", "fields", "sentences", "series", "table"]
