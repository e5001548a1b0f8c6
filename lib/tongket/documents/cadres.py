"""«Công tác cán bộ» in the reports (contract §6.2) [002 II.2]: the sentences of the tổng kết and
tổng hợp, the table across years of the sơ kết, the rows of the phụ lục. Everything sits under one
context key, `can_bo`, empty (and the section absent) where the workbook has no cadre figure."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..assessment.cadres import ROLLUP_CADRE_COLS
from ..assessment.compare import KHAC_PHAM_VI, appendix_rows, chua_du, not_like_for_like
from ..assessment.review import Review, reports_on_itself
from ..common.frames import narrow, year_row
from ..common.vietnamese import CHUA_CO_SO_LIEU, hieu_ty_le, is_missing, phan_tram, so
from .narrative import so_voi_count, so_voi_rate
from .rows import reporting_rows

# Rows of the phụ lục (key, label, unit of measure), after the general indicators.
INDICATORS: list[tuple[str, str, str]] = [
    ("so_uy_vien_bch", "Ủy viên Ban Chấp hành Đoàn cơ sở", "người"),
    ("so_uy_vien_dat_chuan", "Ủy viên Ban Chấp hành đạt chuẩn cán bộ", "người"),
    ("ty_le_uy_vien_dat_chuan", "Tỉ lệ ủy viên Ban Chấp hành đạt chuẩn cán bộ", "%"),
    ("so_can_bo_duoc_boi_duong", "Cán bộ Đoàn được bồi dưỡng trong năm", "người"),
    ("so_co_so_thay_bi_thu", "Đoàn cơ sở thay bí thư trong năm", "đơn vị"),
    ("so_bi_thu_chi_doan_moi", "Chi đoàn có bí thư mới trong năm", "chi đoàn"),
    ("so_bi_thu_duoc_tap_huan", "Bí thư chi đoàn được tập huấn nghiệp vụ", "người"),
    ("ty_le_bi_thu_duoc_tap_huan", "Tỉ lệ bí thư chi đoàn được tập huấn nghiệp vụ", "%"),
]


def _rows_of(review: Review, ma: str) -> pd.DataFrame:
    """The rollup rows of a reporting unit or of the province, every year."""
    r = review.results
    if (r.tinh["ma_don_vi"] == ma).any():
        return r.tinh[r.tinh["ma_don_vi"] == ma]
    return reporting_rows(r.of_unit(ma))


def _has(row: pd.Series | None) -> bool:
    """Whether a rollup row holds any cadre figure (the committee, training, changes of secretary)."""
    keys = ("so_uy_vien_bch", "so_can_bo_duoc_boi_duong", "so_co_so_thay_bi_thu", "so_bi_thu_chi_doan_moi")
    return row is not None and any(k in row.index and not is_missing(row[k]) for k in keys)


def _get(row: pd.Series | None, key: str) -> Any:
    return None if row is None or key not in row.index or is_missing(row[key]) else row[key]


# The Đoàn cơ sở figures, and the column counting the Đoàn cơ sở that gave each (assessment.cadres).
COUNTED = {"so_uy_vien_bch": "so_co_so_bao_cao_uy_vien", "so_uy_vien_dat_chuan": "so_co_so_bao_cao_uy_vien",
           "ty_le_uy_vien_dat_chuan": "so_co_so_bao_cao_uy_vien", "so_can_bo_duoc_boi_duong": "so_co_so_bao_cao_boi_duong",
           "so_co_so_thay_bi_thu": "so_co_so_bao_cao_thay_bi_thu"}


def blanks(row: pd.Series | None, key: str) -> int:
    """How many of the row's Đoàn cơ sở left figure `key` blank (0 for a figure counted otherwise):
    the documents note it beside the total and make no change of it (doccheck checks both)."""
    n, given = _get(row, "so_co_so"), _get(row, COUNTED.get(key, ""))
    return max(0, int(n) - int(given)) if n is not None and given is not None else 0


def _not_alike(now: pd.Series, before: pd.Series | None, key: str, nam: int, own: bool,
               unlike: bool = False) -> tuple[bool, str]:
    """Whether a total of `key` is not over the same Đoàn cơ sở in the two years because some left it
    blank (a blank is not 0: 102 of 12 units against 130 of 13 is no fall of 28), and the clause
    naming the blanks: «(1/13 Đoàn cơ sở chưa báo cáo số liệu này, không tính vào; năm 2020 có 1/13
    Đoàn cơ sở chưa báo cáo số liệu này)»."""
    if own:
        return False, ""
    # (a Đoàn cơ sở without a row that year, `unlike`: the report's scope sentence names it once)
    short_now, short_before = blanks(now, key), 0 if unlike else blanks(before, key)
    parts = ([f"{so(short_now)}/{so(now['so_co_so'])} Đoàn cơ sở chưa báo cáo số liệu này, không tính vào"]
             if short_now else [])
    if short_before and before is not None:
        parts.append(f"năm {nam - 1} có {so(short_before)}/{so(before['so_co_so'])} Đoàn cơ sở chưa báo cáo số "
                     "liệu này")
    return bool(short_now or short_before), f" ({'; '.join(parts)})" if parts else ""


def _so_voi(now: pd.Series, before: pd.Series | None, key: str, nam: int, own: bool, unlike: bool,
            unit: str | None = None) -> str:
    """The change of `key` against the year before, and the blanks' clause: a count (`unit`) or a rate;
    no change is said of totals not over the same Đoàn cơ sở."""
    blank, clause = _not_alike(now, before, key, nam, own, unlike)
    a, b = _get(before, key), _get(now, key)
    if blank and not unlike and a is not None and b is not None:
        return f"không so sánh với năm {nam - 1}{clause}"
    said = so_voi_rate(b, a, nam - 1, unlike) if unit is None else so_voi_count(b, a, nam - 1, unit, unlike)
    return said + clause


def _last_year(now: Any, before: Any, nam: int, noun: str) -> str:
    """The year before's count after this year's: «; năm 2020: 8 Đoàn cơ sở», «, năm 2020 cũng không có»."""
    if before is None:
        return ""
    if not before:
        return f", năm {nam - 1} cũng không có" if not now else f"; năm {nam - 1} không có {noun} nào"
    return f"; năm {nam - 1}: {so(before)} {noun}"


def sentences(now: pd.Series, before: pd.Series | None, nam: int, own: bool = False, unlike: bool = False) -> list[str]:
    """The section's sentences: committees up to the cadre standard and the change in points,
    cadres trained, Đoàn cơ sở that changed secretary, new and trained branch secretaries
    (`unlike`: the two years not over the same Đoàn cơ sở, so no change is said)."""
    out = []
    bch, dat = _get(now, "so_uy_vien_bch"), _get(now, "so_uy_vien_dat_chuan")
    if bch is None or dat is None or not bch:
        out.append(f"Chưa có số liệu về ủy viên Ban Chấp hành đạt chuẩn cán bộ năm {nam}.")
    else:
        out.append(f"Có {so(dat)}/{so(bch)} ủy viên Ban Chấp hành đạt chuẩn cán bộ "
                   f"({phan_tram(now['ty_le_uy_vien_dat_chuan'])}), "
                   f"{_so_voi(now, before, 'ty_le_uy_vien_dat_chuan', nam, own, unlike)}.")
    trained = _get(now, "so_can_bo_duoc_boi_duong")
    if trained is not None:
        out.append(f"Có {so(trained)} cán bộ Đoàn được bồi dưỡng trong năm, "
                   f"{_so_voi(now, before, 'so_can_bo_duoc_boi_duong', nam, own, unlike, 'cán bộ')}.")
    changed = _get(now, "so_co_so_thay_bi_thu")
    if changed is not None and own:
        out.append("Trong năm, Đoàn cơ sở có thay đổi bí thư." if changed else
                   "Trong năm, bí thư Đoàn cơ sở không thay đổi.")
    elif changed is not None:
        prev = _get(before, "so_co_so_thay_bi_thu")
        n = now["so_co_so_bao_cao_thay_bi_thu"]
        blank, clause = _not_alike(now, before, "so_co_so_thay_bi_thu", nam, own, unlike)
        out.append((f"Có {so(changed)}/{so(n)} Đoàn cơ sở thay bí thư trong năm" if changed else
                    "Không có Đoàn cơ sở nào thay bí thư trong năm")
                   + (f", không so sánh với năm {nam - 1}" if blank and prev is not None else
                      _last_year(changed, prev, nam, "Đoàn cơ sở")) + clause + ".")
    new = _get(now, "so_bi_thu_chi_doan_moi")
    if new is not None:
        prev = _get(before, "so_bi_thu_chi_doan_moi")
        out.append(f"Có {so(new)}/{so(now['so_chi_doan_bao_cao_bi_thu_moi'])} chi đoàn có bí thư mới trong năm"
                   + _last_year(new, prev, nam, "chi đoàn") + ".")
    ok, n = _get(now, "so_bi_thu_duoc_tap_huan"), _get(now, "so_chi_doan_bao_cao_tap_huan")
    if ok is not None and n:
        out.append(f"Có {so(ok)}/{so(n)} bí thư chi đoàn được tập huấn nghiệp vụ "
                   f"({phan_tram(now['ty_le_bi_thu_duoc_tap_huan'])}), "
                   f"{so_voi_rate(now['ty_le_bi_thu_duoc_tap_huan'], _get(before, 'ty_le_bi_thu_duoc_tap_huan'), nam - 1, unlike)}.")
    return out


def year_rows(rows: pd.DataFrame, tu_nam: int, nam: int) -> list[dict[str, str]]:
    """The sơ kết's table: one row per year of the period, «……» where a figure is missing, and
    «(thiếu 1 Đoàn cơ sở)» after a total that leaves out Đoàn cơ sở that left the figure blank."""
    def show(row: pd.Series, key: str, f: Any, value: str | None = None) -> str:
        shown = CHUA_CO_SO_LIEU if is_missing(row[value or key]) else f(row[value or key])
        short = blanks(row, key)
        return shown + (f" (thiếu {so(short)} Đoàn cơ sở)" if short and shown != CHUA_CO_SO_LIEU else "")

    out = []
    rows = narrow(rows, _YEAR_ROWS_READ)  # a rollup row is wide: its few columns only
    for r in rows[rows["nam"].between(tu_nam, nam)].sort_values("nam").to_dict("records"):
        row = pd.Series(r)
        out.append({
            "nam": str(int(r["nam"])),
            "uy_vien": show(row, "so_uy_vien_bch", lambda bch, dat=r["so_uy_vien_dat_chuan"]: f"{so(dat)}/{so(bch)}"),
            "ty_le_uy_vien": show(row, "", phan_tram, "ty_le_uy_vien_dat_chuan"),
            "boi_duong": show(row, "so_can_bo_duoc_boi_duong", so),
            "thay_bi_thu": show(row, "so_co_so_thay_bi_thu", so),
            "bi_thu_moi": show(row, "", so, "so_bi_thu_chi_doan_moi"),
            "tap_huan": show(row, "", phan_tram, "ty_le_bi_thu_duoc_tap_huan"),
        })
    return out


# what `year_rows` and `blanks` read: the indicators, the Đoàn cơ sở that gave each, and how many there are
_YEAR_ROWS_READ = ["nam", "so_co_so", *(key for key, _, _ in INDICATORS), *COUNTED.values()]


def appendix(now: pd.Series, before: pd.Series | None, first: int, unlike: bool = False,
             own: bool = False) -> list[dict[str, Any]]:
    """The phụ lục's cadre rows (N−1, N, ±, %), numbered from `first`, as the general indicators are
    (`unlike`: no difference made, as `compare.year_on_year`; nor where a year's total leaves out
    Đoàn cơ sở that left the figure blank: «chưa đủ số liệu năm 2020»)."""
    rows = []
    nam = int(now["nam"])
    for key, name, unit in INDICATORS:
        a, b = _get(before, key), _get(now, key)
        a, b = (None if v is None else float(v) for v in (a, b))
        short = [] if own else [y for y, r, v in ((nam - 1, before, a), (nam, now, b)) if v is not None and blanks(r, key)]
        note = KHAC_PHAM_VI if unlike and a is not None and b is not None else chua_du(short) if short else ""
        diff = None if a is None or b is None or note else hieu_ty_le(b, a) if unit == "%" else b - a
        ratio = None if unit == "%" or diff is None or not a or b is None else b / a
        rows.append({"key": key, "chi_tieu": name, "don_vi_tinh": unit, "nam_truoc": a, "nam_nay": b,
                     "chenh_lech": diff, "so_sanh": ratio, "ghi_chu": note, "khong_ap_dung": False})
    out = appendix_rows(pd.DataFrame(rows))
    for i, r in enumerate(out, start=first):
        r["stt"] = str(i)
    return out


def add_cadres(ctx: dict[str, Any], review: Review, ma: str, nam: int) -> None:
    """Fill `can_bo` (the section's sentences and the sơ kết's rows) and add the cadre rows to
    the phụ lục, where the unit's rows hold cadre figures; `can_bo` is empty otherwise."""
    rows = _rows_of(review, ma)
    now, before = year_row(rows, nam), year_row(rows, nam - 1)
    ctx["can_bo"] = {}
    if not set(ROLLUP_CADRE_COLS) <= set(rows.columns) or not _has(now):
        return
    own = reports_on_itself(review, ma)
    tu_nam = int(ctx.get("tu_nam") or min(review.results.years))
    unlike = not_like_for_like(review, ma, nam)
    ctx["can_bo"] = {"cau": sentences(now, before if _has(before) else None, nam, own, unlike),
                     "nam": year_rows(rows, tu_nam, nam)}
    if "phu_luc" in ctx:
        ctx["phu_luc"] = [*ctx["phu_luc"], *appendix(now, before, len(ctx["phu_luc"]) + 1, unlike, own)]


__all__ = ["COUNTED", "INDICATORS", "add_cadres", "appendix", "blanks", "sentences", "year_rows"]
