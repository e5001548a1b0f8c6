"""Year against year: every indicator of a roll-up row, N−1, N, difference and rate [002]."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..common.deprecated import old_keywords
from ..common.vietnamese import CHUA_CO_SO_LIEU, diem_phan_tram_dau, hieu_ty_le, is_missing, phan_tram, so
from .members import incomplete
from .members import indicators as member_indicators
from .review import Review, once, reports_on_itself, tinh_code, year_rows

# key, label in the appendix, unit of measure; rates compare in percentage points.
INDICATORS: list[tuple[str, str, str]] = [
    ("so_co_so", "Số Đoàn cơ sở", "đơn vị"),
    ("so_chi_doan", "Số chi đoàn", "chi đoàn"),
    ("so_doan_vien", "Số đoàn viên", "người"),
    ("so_ket_nap_moi", "Đoàn viên kết nạp mới", "người"),
    ("so_gioi_thieu_dang", "Đoàn viên ưu tú giới thiệu cho Đảng", "người"),
    ("ty_le_tap_hop", "Tỉ lệ tập hợp thanh niên", "%"),
    ("so_chi_doan_dan_cu", "Chi đoàn trên địa bàn dân cư", "chi đoàn"),
    ("so_chi_doan_dat_chuan", "Chi đoàn trên địa bàn dân cư đạt chuẩn", "chi đoàn"),
    ("ty_le_dat_chuan", "Tỉ lệ chi đoàn dân cư đạt chuẩn", "%"),
    ("so_co_so_dat_muc_tieu", "Đoàn cơ sở đạt mục tiêu chi đoàn đạt chuẩn", "đơn vị"),
    ("so_co_so_ba_chu_dong", "Đoàn cơ sở đạt “3 chủ động”", "đơn vị"),
    ("ty_le_duoc_xep_loai", "Tỉ lệ Đoàn cơ sở được đánh giá, xếp loại", "%"),
    ("ty_le_nang_bac", "Tỉ lệ Đoàn cơ sở nâng bậc", "%"),
    ("so_ha_bac", "Đoàn cơ sở xếp loại từ “Hoàn thành tốt nhiệm vụ” trở lên bị hạ bậc", "đơn vị"),
    ("ty_le_dv_1_1", "Tỉ lệ đoàn viên thực hiện “1+1”", "%"),
    ("so_thanh_nien_1_1", "Thanh niên vào Đoàn, Hội qua “1+1”", "người"),
    ("ty_le_dot_cao_diem", "Tỉ lệ Đoàn cơ sở thực hiện đợt cao điểm", "%"),
]


# Indicators that count a unit's Đoàn cơ sở: a Đoàn cơ sở reporting on its own has none of them
# ("Số Đoàn cơ sở: 1"); its "3 chủ động" and rating are stated in words instead.
# Indicators about residential branches: not applicable to a unit that has none.
RESIDENTIAL = {"ty_le_dat_chuan", "so_co_so_dat_muc_tieu"}

OVER_CO_SO = {"so_co_so", "so_co_so_dat_muc_tieu", "so_co_so_ba_chu_dong", "ty_le_duoc_xep_loai", "ty_le_nang_bac",
              "so_ha_bac", "ty_le_dot_cao_diem"}


def indicators(own: bool = False) -> list[tuple[str, str, str]]:
    """The indicators of a unit's tables; `own`: a Đoàn cơ sở reporting on its own."""
    return [i for i in INDICATORS if not (own and i[0] in OVER_CO_SO)]


# Counts of the unit tree, not of what was sent: the same whatever the two years' scope.
TREE_COUNTS = {"so_co_so", "so_chi_doan"}
KHAC_PHAM_VI = "không cùng phạm vi"  # a row's note when the two years' totals are not over the same units


def chua_du(years: list[int]) -> str:
    """A row's note when a year's total leaves out units that left the figure blank: no difference
    is made of it («chưa đủ số liệu năm 2020»; documents.cadres, the member ratings)."""
    return f"chưa đủ số liệu năm {', '.join(map(str, years))}"


def presence(chi_doan: pd.DataFrame, co_so: pd.DataFrame | None = None, by: str | None = None) -> list[pd.DataFrame]:
    """For each kind of figure, which Đoàn cơ sở had it in which year (index ma_co_so, a column per
    year): some branch sent a row (`chi_doan`: ma_co_so, nam, co_so_lieu); its own row is there
    (`co_so`: ma_don_vi, nam, chua_gui_so_lieu; its cadre figures). `by` (ma_bao_cao): for every
    reporting unit at once, each by its own rows (index: the unit, then ma_co_so)."""
    unit = (lambda f: {by: f[by].to_numpy()}) if by else (lambda f: {})
    sent = [pd.DataFrame({**unit(chi_doan), "ma_co_so": chi_doan["ma_co_so"].to_numpy(), "nam": chi_doan["nam"].to_numpy(),
                          "_gui": chi_doan["co_so_lieu"].fillna(False).astype(bool).to_numpy()})]
    if co_so is not None:
        sent.append(pd.DataFrame({**unit(co_so), "ma_co_so": co_so["ma_don_vi"].to_numpy(), "nam": co_so["nam"].to_numpy(),
                                  "_gui": ~co_so["chua_gui_so_lieu"].fillna(True).astype(bool).to_numpy()}))
    keys = [*([by] if by else []), "ma_co_so", "nam"]
    return [f.groupby(keys, sort=False)["_gui"].any().unstack(fill_value=False) for f in sent]


def unlike_scope(tables: list[pd.DataFrame], nam: int, before: int | None = None) -> tuple[list[str], list[str]]:
    """The Đoàn cơ sở (codes, in the tables' order) whose figures are in only one of the years
    `before` (default `nam − 1`) and `nam`, by `presence`'s tables: those missing the year before,
    those missing this year. When either list is not empty, the two years' totals are not over the
    same units, and a rise or a fall between them says nothing of the units (a whole Đoàn cơ sở's
    members counted in one year only). A year the branches' table does not hold at all is no gap
    of any unit."""
    b = nam - 1 if before is None else before
    if not {b, nam} <= set(tables[0].columns):
        return [], []
    gaps = []
    for by_year in tables:  # each kind of figure on its own: a gap in either is a gap
        then = by_year[b] if b in by_year else pd.Series(False, index=by_year.index)
        now = by_year[nam] if nam in by_year else pd.Series(False, index=by_year.index)
        gaps.append((by_year.index[now & ~then], by_year.index[then & ~now]))
    none_before = list(dict.fromkeys(str(c) for g in gaps for c in g[0]))
    none_now = list(dict.fromkeys(str(c) for g in gaps for c in g[1]))
    return none_before, none_now


def year_on_year(now: pd.Series, before: pd.Series | None, own: bool = False, guard: str | None = None,
                 muc_tieu: tuple[float | None, float | None] | None = None, unlike: bool = False) -> pd.DataFrame:
    """The comparison as numbers: chi_tieu, nam_truoc, nam_nay, chenh_lech, so_sanh, ghi_chu (`own`:
    for a Đoàn cơ sở reporting on its own; `guard`: the scale's guard level as printed; `muc_tieu`:
    the phase target of each year, so that counts measured against different targets say so;
    `unlike`: the two years' totals are not over the same Đoàn cơ sở (`unlike_scope`), so that
    no difference is made of them). A rate's difference is that of the rates as printed."""
    rows = []
    target_before, target_now = muc_tieu or (None, None)
    members = member_indicators(now, before)
    member_keys = {k for k, _, _ in members}
    for key, name, unit in indicators(own) + members:  # member ratings: contract §6.2
        note = ""
        if key == "so_ha_bac" and guard:
            name = f"Đoàn cơ sở xếp loại từ “{guard}” trở lên bị hạ bậc"
        if key == "so_co_so_dat_muc_tieu" and target_before is not None and target_now is not None and \
                abs(float(target_before) - float(target_now)) > 1e-9:
            note = (f"mục tiêu năm trước {phan_tram(target_before, 0)}, năm nay {phan_tram(target_now, 0)}: "
                    f"không so sánh")
        value_before = None if before is None else before.get(key)
        value_now = now.get(key)
        a = None if value_before is None or is_missing(value_before) else float(value_before)
        b = None if value_now is None or is_missing(value_now) else float(value_now)
        if unlike and not note and a is not None and b is not None and key not in TREE_COUNTS:
            note = KHAC_PHAM_VI  # two figures there, not over the same units (a missing one is said missing)
        short = [int(r["nam"]) for r, v in ((before, a), (now, b)) if key in member_keys and v is not None
                 and r is not None and incomplete(r)]
        if short and not note:  # branches with incomplete member figures are out of that year's total
            note = chua_du(short)
        # Residential-branch figures do not apply to a unit without residential branches (Đoàn Khối).
        na = key in RESIDENTIAL and not is_missing(now.get("so_chi_doan_dan_cu")) and \
            float(now["so_chi_doan_dan_cu"]) == 0 and (before is None or is_missing(before.get("so_chi_doan_dan_cu"))
                                                       or float(before["so_chi_doan_dan_cu"]) == 0)
        if na:
            note = ""
        diff = None if a is None or b is None else (hieu_ty_le(b, a) if unit == "%" else b - a)
        ratio = None if unit == "%" or diff is None or not a or b is None else b / a
        if note or na:  # as the document shows it: «–», no difference (the workbook's so_sanh too)
            diff = ratio = None
        if na:
            a = b = None
        rows.append({"key": key, "chi_tieu": name, "don_vi_tinh": unit, "nam_truoc": a, "nam_nay": b,
                     "chenh_lech": diff, "so_sanh": ratio, "ghi_chu": note, "khong_ap_dung": na})
    return pd.DataFrame(rows)


def unlike_years(review: Review, ma: str, nam: int, before: int | None = None) -> tuple[list[str], list[str]]:
    """`unlike_scope` for a reporting unit (or the province), by the Đoàn cơ sở's names: those with
    figures in `nam` and none in `before` (default the year before), and the reverse. A Đoàn cơ sở
    reporting on its own has none (its own row of the year before is there or not, and its
    documents say so). A unit's own rows are read (its view); the province's, for the province.
    Which Đoàn cơ sở had figures in which year is found once."""
    if reports_on_itself(review, ma):
        return [], []
    r = review.results
    if ma == tinh_code(review):
        tables = once(review, ("presence",), lambda: presence(r.chi_doan, r.co_so))
    else:
        def own() -> list[pd.DataFrame]:
            view = r.of_unit(ma)  # made once: a view is a few shallow copies of wide frames
            return presence(view.chi_doan, view.co_so)

        tables = once(review, ("presence", ma), own)
    none_before, none_now = unlike_scope(tables, nam, before)
    if not none_before and not none_now:
        return [], []
    names = r.names()
    return [str(names.get(c, c)) for c in none_before], [str(names.get(c, c)) for c in none_now]


def not_like_for_like(review: Review, ma: str, nam: int, before: int | None = None) -> bool:
    """Whether `ma`'s totals of `before` (default the year before) and `nam` are not over the same
    Đoàn cơ sở: `unlike_years` names one. The one answer every document and table gives for a unit,
    whether it is asked in the unit's own run or in the province's tables of every unit."""
    if reports_on_itself(review, ma):
        return False
    if ma == tinh_code(review):
        return any(unlike_years(review, ma, nam, before))
    return ma in unlike_units(review, nam, before)


def unlike_units(review: Review, nam: int, before: int | None = None) -> frozenset[str]:
    """The reporting units (not the province) for which `unlike_years` names a Đoàn cơ sở, found
    for all of them from one pass over the province's rows: each unit by its own rows only, as in its
    own report (a Đoàn cơ sở whose rows sat under two districts would be a gap in both). Asking
    `unlike_years` unit by unit made a view of every district: 14 s of the province's tables at
    1.000 districts. Which Đoàn cơ sở sent figures in which year is found once per review, for
    every pair of years a run asks about (a district's sơ kết asks for each of its years)."""
    b = nam - 1 if before is None else before

    def make() -> frozenset[str]:
        sent, held = once(review, ("sent_by_year",), lambda: _sent_by_year(review.results))
        found: set = set()
        for table in sent:
            then, now = (table[y].to_numpy(dtype=bool) if y in table.columns else np.zeros(len(table), dtype=bool)
                         for y in (b, nam))
            found |= set(table.index[then != now].get_level_values(0))
        both = held.get(b, set()) & held.get(nam, set())  # a year the unit's branches' rows do not hold at all is no gap
        return frozenset(str(u) for u in found & both)

    return once(review, ("unlike_units", nam, b), make)


def _sent_by_year(r: Any) -> tuple[list[pd.DataFrame], dict[Any, set]]:
    """`presence` of every reporting unit at once, and the reporting units the branches' rows hold
    (of a known Đoàn cơ sở), year by year (a year a unit's branches' rows do not hold is no gap)."""
    held = r.chi_doan[["ma_bao_cao", "ma_co_so", "nam"]].dropna()
    return presence(r.chi_doan, r.co_so, by="ma_bao_cao"), {y: set(g) for y, g in held.groupby("nam")["ma_bao_cao"]}


def comparison(review: Review, ma: str, nam: int, rows: pd.DataFrame | None = None) -> pd.DataFrame:
    """A reporting unit's (or the province's) year-on-year table as every document and the appendix
    workbook show it: with the guard level's name, each year's phase target and the two years'
    scope (`rows`: the unit's rollup rows, when the caller has them)."""
    from ..rules.periods import scale_of

    r = review.results
    if rows is None:
        rows = r.tinh[r.tinh["ma_don_vi"] == ma] if ma == tinh_code(review) else r.of_unit(ma).bao_cao
    now, before = year_rows(rows, nam)
    scale = scale_of(review.cycle.scale, nam - 1)  # last year's scale: its guard level (contract §6.3)
    return year_on_year(now, before, reports_on_itself(review, ma), guard=scale.label(scale.guard),
                        muc_tieu=(review.cycle.muc_tieu(nam - 1), review.cycle.muc_tieu(nam)),
                        unlike=not_like_for_like(review, ma, nam))


def _signed(v: float | None, rate: bool) -> str:
    if v is None:
        return CHUA_CO_SO_LIEU
    if rate:
        return diem_phan_tram_dau(v)
    if abs(v) < 1e-12:
        return "0"
    return ("+" if v > 0 else "−") + so(abs(v))


def appendix_rows(table: pd.DataFrame) -> list[dict[str, Any]]:
    """The comparison as the strings of the Word appendix (one decimal, Vietnamese form)."""
    out = []
    for i, r in enumerate(table.itertuples(), start=1):
        rate = r.don_vi_tinh == "%"
        fmt = (lambda v: CHUA_CO_SO_LIEU if v is None or v != v else phan_tram(v)) if rate else \
            (lambda v: CHUA_CO_SO_LIEU if v is None or v != v else so(v))
        ratio = r.so_sanh
        note = getattr(r, "ghi_chu", "") or ""
        na = bool(getattr(r, "khong_ap_dung", False))
        shown = (lambda v: "–") if na else fmt
        # a ratio to a year with none (0 → 0) is not applicable; a missing figure is said to be missing
        no_ratio = (r.nam_truoc == 0 and r.nam_nay is not None and r.nam_nay == r.nam_nay) if not rate else True
        chenh_lech = _num(r.chenh_lech)
        out.append({"stt": str(i), "chi_tieu": r.chi_tieu + (f" ({note})" if note else ""), "don_vi_tinh": r.don_vi_tinh,
                    "nam_truoc": shown(r.nam_truoc), "nam_nay": shown(r.nam_nay),
                    "chenh_lech": "–" if note or na else
                    _signed(None if r.chenh_lech != r.chenh_lech else r.chenh_lech, rate),
                    "so_sanh": "–" if rate or note or na or no_ratio else
                    (CHUA_CO_SO_LIEU if ratio is None or ratio != ratio else phan_tram(ratio)),
                    # the same as numbers, for the appendix workbook (rate differences in points)
                    "_so": [_num(r.nam_truoc), _num(r.nam_nay),
                            None if chenh_lech is None else chenh_lech * (100 if rate else 1),
                            None if rate else _num(ratio)]})
    return out


def _num(v: Any) -> float | None:
    return None if v is None or v != v else float(v)


def multi_year(rows: pd.DataFrame, years: list[int] | None = None, own: bool = False) -> pd.DataFrame:
    """A sơ kết table for one unit: every indicator by year, and the change over the period [002]."""
    rows = rows.sort_values("nam")
    years = years or [int(y) for y in rows["nam"]]
    at = {int(y): i for i, y in enumerate(rows["nam"])}  # a year's row (one a year); read as lists, not cell by cell
    out = []
    for key, name, unit in indicators(own):
        if key not in rows:
            continue
        column = rows[key].tolist()
        values = {str(y): (None if y not in at or is_missing(column[at[y]]) else float(column[at[y]])) for y in years}
        first, last = values[str(years[0])], values[str(years[-1])]
        out.append({"ma_don_vi": rows["ma_don_vi"].iloc[0], "chi_tieu": name, "don_vi_tinh": unit, **values,
                    "thay_doi": None if first is None or last is None else last - first})
    return pd.DataFrame(out)


def transitions(co_so: pd.DataFrame, scale, nam: int, key: str = "ma_huyen") -> pd.DataFrame:
    """From → to rating counts per district (`key`: per the units of another level, ma_co_so)
    for year `nam` (a transition matrix in long form)."""
    rows = co_so[co_so["nam"] == nam]
    label = {c: scale.label(c) for c in getattr(scale, "all_codes", scale.codes)}  # last year may be on another scale
    tu = rows["xep_loai_nam_truoc"].map(label).fillna("Chưa xếp loại")
    den = rows["xep_loai"].map(label).fillna("Chưa xếp loại")
    out = (pd.DataFrame({key: rows[key], "tu": tu, "den": den})
           .groupby([key, "tu", "den"]).size().rename("so_don_vi").reset_index())
    order = {v: k for k, v in enumerate([*label.values(), "Chưa xếp loại"])}
    out = out.sort_values([key, "tu", "den"], key=lambda s: s.map(order) if s.name != key else s)
    out.insert(1, "nam", nam)
    return out.reset_index(drop=True)


@old_keywords(ma_huyen="ma_bao_cao")
def transition_matrix(co_so: pd.DataFrame, scale, nam: int, ma_bao_cao: str | None = None) -> pd.DataFrame:
    """The matrix itself (rows: last year, columns: this year), for one reporting unit or all."""
    if ma_bao_cao is not None:
        co_so = co_so[co_so["ma_bao_cao"] == ma_bao_cao]
    t = transitions(co_so, scale, nam, "ma_tinh")  # every Đoàn cơ sở has a province, not always a district
    levels = [*(scale.label(c) for c in getattr(scale, "all_codes", scale.codes)), "Chưa xếp loại"]
    m = t.pivot_table(index="tu", columns="den", values="so_don_vi", aggfunc="sum", fill_value=0)
    return m.reindex(index=levels, columns=levels, fill_value=0).rename_axis(index=f"Năm {nam - 1}",
                                                                            columns=f"Năm {nam}")
