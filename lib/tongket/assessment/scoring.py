"""One score per Đoàn cơ sở, with its source: the one place that decides a unit's score and rating.

A cycle names which source decides (params `nguon_diem`, declared once in NGUON_DIEM with its help
text); the other score, where there is one, is kept beside it and labelled for what it is, and the
run warns where the two differ by more than the cycle's tolerance (`chenh_lech_diem`). Special
units [003] are always scored on their own sheet. An official rating typed in the workbook
(`xep_loai`, contract §3) still wins as the rating; the deciding score is then kept and shown
beside it (`nguon_xep_loai` says which made the rating).

A unit that sent no row for the year (`chua_gui_so_lieu`) gets no score, no rating and no movement;
a source that cannot give a score (a blank `diem`, a score sheet with a missing item) leaves the
unit not rated, with the reason in `ly_do_chua_xep_loai`: never 0 points, never a downgrade.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..common.frames import columns_of, year_rows
from ..common.vietnamese import diem
from ..rules.scales import Scale
from ..rules.settings import DEFAULT_CHENH_LECH, HELP, NGUON_DIEM, check_source

# How a document names each source (after «Điểm đánh giá»).
NHAN_NGUON: dict[str, str] = {
    "so_lieu": "theo số liệu đơn vị báo cáo",
    "bang_diem": "theo bảng điểm",
    "cap_tren": "theo điểm thẩm định của cấp trên",
}
# The score each source gives, per unit (columns of the result `co_so` table).
COT_DIEM = {"so_lieu": "diem_so_lieu", "bang_diem": "diem_bang_diem", "cap_tren": "diem_cap_tren"}
DOI_CHIEU = {"so_lieu": "bang_diem", "bang_diem": "so_lieu", "cap_tren": "so_lieu"}  # the second score shown


def decide(grid: pd.DataFrame, scale: Scale, nguon: str, has_row: pd.Series,
           special_sheet: str | None = None) -> pd.DataFrame:
    """Every Đoàn cơ sở's deciding score, its source, the second score, the rating and why a unit is
    not rated (vectorised; `grid` holds the workbook's `diem`/`xep_loai` and the sheet's scores;
    `special_sheet`: the id of the cycle's own sheet for special units, if it names one)."""
    out = grid.copy()
    n = len(out)
    out["chua_gui_so_lieu"] = ~has_row.to_numpy(dtype=bool)
    out["diem_so_lieu"] = out["diem"].astype("Float64")
    for col in ("diem_bang_diem", "diem_cap_tren"):
        out[col] = out[col].astype("Float64") if col in out else pd.Series(pd.NA, index=out.index, dtype="Float64")
    sheet_id = out["bang_diem"].astype(object) if "bang_diem" in out else pd.Series(pd.NA, index=out.index)
    special = out["dac_thu"].fillna(False).astype(bool).to_numpy() & (
        (sheet_id == special_sheet).fillna(False).to_numpy(dtype=bool) if special_sheet else np.zeros(n, dtype=bool))
    # Special units are rated on their own sheet [003]: the sheet decides for them, whatever the rule.
    own = "bang_diem" if nguon == "so_lieu" else nguon
    source = np.where(special, own, nguon).astype(object)
    second = np.array([DOI_CHIEU[s] for s in source], dtype=object)
    pick = lambda codes: pd.Series(
        np.select([codes == k for k in COT_DIEM], [out[c].to_numpy(dtype="float64", na_value=np.nan)
                                                   for c in COT_DIEM.values()], np.nan), index=out.index)
    score = pick(source).where(has_row.to_numpy(dtype=bool))
    other = pick(second).where(has_row.to_numpy(dtype=bool))
    out["nguon_diem"] = pd.Series(source, index=out.index, dtype=object).where(has_row.to_numpy(dtype=bool))
    out["diem"] = score.astype("Float64")
    out["nguon_diem_doi_chieu"] = pd.Series(second, index=out.index, dtype=object).where(other.notna())
    out["diem_doi_chieu"] = other.astype("Float64")
    out["chenh_lech_diem"] = (score - other).round(1).astype("Float64")
    typed = out["xep_loai"].astype(object).where(has_row.to_numpy(dtype=bool))
    computed = scale.from_score(out["diem"], out)
    out["xep_loai"] = typed.where(typed.notna(), computed)
    out["nguon_xep_loai"] = pd.Series(np.where(typed.notna(), "xep_loai", "diem"), index=out.index,
                                      dtype=object).where(out["xep_loai"].notna())
    out["ly_do_chua_xep_loai"] = _why_not_rated(out, source, n)
    return out


def _why_not_rated(out: pd.DataFrame, source: np.ndarray, n: int) -> pd.Series:
    """Why a unit has no rating, in Vietnamese (empty where it is rated)."""
    why = np.full(n, "", dtype=object)
    nam = out["nam"].astype(str).to_numpy(dtype=object)
    none = out["xep_loai"].isna().to_numpy(dtype=bool)
    sent = ~out["chua_gui_so_lieu"].to_numpy(dtype=bool)
    why[none & ~sent] = "chưa gửi số liệu năm " + nam[none & ~sent]
    gaps = np.full(n, "", dtype=object)
    for col, src in (("thieu_diem", "bang_diem"), ("thieu_diem_cap_tren", "cap_tren")):
        if col in out:
            gaps = np.where(source == src, out[col].astype(object).fillna("").to_numpy(dtype=object), gaps)
    sheet = none & sent & np.isin(source, ["bang_diem", "cap_tren"])
    why[sheet & (gaps != "")] = "bảng điểm còn thiếu điểm các mục " + gaps[sheet & (gaps != "")]
    why[sheet & (gaps == "")] = "không có bảng điểm cho đơn vị"
    if "diem_bang_diem" in out:
        shown = np.array([diem(v) for v in out["diem_bang_diem"].to_numpy(dtype="float64", na_value=np.nan)],
                         dtype=object)
        have = ~np.isnan(out["diem_bang_diem"].to_numpy(dtype="float64", na_value=np.nan))
    else:
        shown, have = np.full(n, "", dtype=object), np.zeros(n, dtype=bool)
    figure = none & sent & (source == "so_lieu")
    why[figure] = "sổ số liệu không có điểm (cột «Điểm») của đơn vị"
    why[figure & have] += "; điểm theo bảng điểm " + shown[figure & have] + " chỉ để đối chiếu"
    return pd.Series(why, index=out.index, dtype=object)


def describe(row: pd.Series, scale: Scale) -> dict[str, str]:
    """The score lines a document prints for one unit: the deciding score with its source, the
    second score labelled for what it is, and why the unit is not rated."""
    source = row.get("nguon_diem")
    score = row.get("diem")
    has = isinstance(source, str) and not pd.isna(score)
    text = f"{diem(score)} điểm ({NHAN_NGUON[source]})" if has else "chưa có"
    second = row.get("nguon_diem_doi_chieu")
    other = row.get("diem_doi_chieu")
    doi_chieu = ""
    if isinstance(second, str) and not pd.isna(other):
        doi_chieu = f"Điểm {NHAN_NGUON[second]}: {diem(other)} điểm (chỉ để đối chiếu, không dùng để xếp loại)"
        if has and abs(float(score) - float(other)) >= 0.05:
            doi_chieu += f", chênh lệch {diem(abs(float(score) - float(other)))} điểm"
        doi_chieu += "."
    typed = row.get("nguon_xep_loai") == "xep_loai"
    code = row.get("xep_loai")
    if typed and isinstance(code, str):
        doi_chieu = (doi_chieu + " " if doi_chieu else "") + \
            "Xếp loại chính thức ghi trong sổ số liệu (không tính từ điểm)."
    why = str(row.get("ly_do_chua_xep_loai") or "")
    return {"diem": text, "doi_chieu": doi_chieu, "chua_xep_loai": why[:1].upper() + why[1:] + "." if why else ""}


def score_lines(row: pd.Series, scale: Scale, sheet: Any = None) -> dict[str, str]:
    """The assessment sheet's rating lines (xep_loai.diem, .doi_chieu, .chua_xep_loai): the deciding
    score with its source, the second one labelled, why a unit is not rated (item labels, no ids)."""
    lines = describe(row, scale)
    why = str(row.get("ly_do_chua_xep_loai") or "")
    if sheet is not None and "thiếu điểm các mục" in why:
        why = "bảng điểm còn thiếu điểm: " + _labels(sheet, str(row.get("thieu_diem") or ""))
    return {"diem": lines["diem"], "doi_chieu": lines["doi_chieu"], "chua_xep_loai": why}


def _labels(sheet: Any, ids: str) -> str:
    by_id = {i.id: i.label for i in sheet.items}
    return "; ".join(f"«{by_id.get(i, i)}»" for i in ids.split())


def sheet_lines(sheet: Any, row: pd.Series) -> dict[str, Any]:
    """The score-sheet section of the assessment sheet: its result in one phrase (never a total out
    of 100 from an incomplete sheet), and the items with no points or that do not apply, by label."""
    gaps, skipped = str(row.get("thieu_diem") or ""), str(row.get("khong_ap_dung") or "")
    top = row.get("toi_da")
    top = sheet.max_points if top is None or pd.isna(top) else float(top)
    got = row.get("tong_diem")
    got = 0.0 if got is None or pd.isna(got) else float(got)
    if gaps:
        ket_qua = f"chưa đủ điểm để quy về thang 100 (các mục đã có số liệu đạt {diem(got)} điểm)"
    else:
        ket_qua = (f"{diem(got)}/{diem(top)} điểm" + (" (tính trên các mục áp dụng)" if skipped else "")
                   + f", quy về thang 100: {diem(row.get('diem_bang_diem'))} điểm")
    thieu = _labels(sheet, gaps) if gaps else ""
    unsent = row.get("so_chi_doan_chua_gui_so_lieu")
    if thieu and unsent is not None and not pd.isna(unsent) and int(unsent) > 0:
        from ..common.vietnamese import so

        thieu += f" (đơn vị có {so(int(unsent))} chi đoàn chưa gửi số liệu năm {int(row['nam'])})"
    return {"ket_qua": ket_qua, "thieu": thieu,
            "khong_ap_dung": _labels(sheet, skipped) if skipped else ""}


def item_points(row: pd.Series, item_id: str) -> str:
    """An item's (or a group's) points as the sheet prints them: «chưa có số liệu» where missing,
    «không áp dụng» where the item does not apply, «–» for a group with no points yet."""
    if item_id in str(row.get("thieu_diem") or "").split():
        return "chưa có số liệu"
    if item_id in str(row.get("khong_ap_dung") or "").split():
        return "không áp dụng"
    v = row.get(f"_diem_{item_id}")
    return "–" if v is None or pd.isna(v) else diem(v)


def unsent_sentences(co_so: pd.DataFrame, nam: int) -> list[str]:
    """The sentence naming the Đoàn cơ sở that sent no figures for `nam` (empty if none; branches
    that sent nothing are named by narrative.han_che)."""
    from ..common.vietnamese import so

    if "chua_gui_so_lieu" not in co_so:
        return []
    cs = co_so[(co_so["nam"] == nam) & co_so["chua_gui_so_lieu"].astype(bool)]
    if len(cs) == 1:
        return [f"{cs['ten_don_vi'].iloc[0]} chưa gửi số liệu năm {nam}, chưa được đánh giá, xếp loại."]
    if len(cs):
        return [f"Có {so(len(cs))} Đoàn cơ sở chưa gửi số liệu năm {nam}, chưa được đánh giá, xếp loại: "
                f"{'; '.join(cs['ten_don_vi'])}."]
    return []


def differing(co_so: pd.DataFrame, tolerance: float) -> pd.DataFrame:
    """Units whose two scores differ by more than `tolerance` points."""
    gap = co_so["chenh_lech_diem"].astype("Float64").abs() if "chenh_lech_diem" in co_so else None
    if gap is None:
        return co_so.iloc[:0]
    return co_so[(gap > tolerance + 1e-9).fillna(False).astype(bool)]


def _tolerance(cycle: Any) -> float:
    return float(getattr(cycle, "chenh_lech_diem", DEFAULT_CHENH_LECH))


def score_warnings(cycle: Any, co_so: pd.DataFrame, nam: int) -> list[str]:
    """The run's warnings about scores for these units in `nam`: example score sheets in use, and
    units whose two scores differ beyond the cycle's tolerance (one line per reporting unit)."""
    rows = year_rows(co_so, nam)
    far = _far_apart(cycle, rows).get(None)
    return [*_example_sheets(cycle, rows), *([_far_warning(cycle, far)] if far else [])]


def _example_sheets(cycle: Any, rows: pd.DataFrame) -> list[str]:
    """One warning per example score sheet (bundled with the kit) that these rows are scored on."""
    used = set(rows["bang_diem"].dropna()) if "bang_diem" in rows else set()
    return [f"Bảng điểm «{sheet.name}» ({sheet.path.name}) là bảng VÍ DỤ kèm bộ công cụ: chưa có bảng điểm của "
            "tỉnh; hãy thay bằng bảng điểm của tỉnh (mục score_sheets của tệp tham số)"
            for sheet in cycle.score_sheets.values() if sheet.example and sheet.id in used]


_FAR_COLUMNS = ["ten_don_vi", "ma_don_vi", "diem", "nguon_diem", "diem_doi_chieu", "nguon_diem_doi_chieu"]


def _far_apart(cycle: Any, rows: pd.DataFrame, by: str | None = None) -> dict[Any, list[str]]:
    """The units among `rows` whose two scores differ beyond the tolerance, each as its words
    («name (code): score source, score source»), in the rows' order, by the value of column `by`
    (all under None without it): one pass over the far rows, however many groups."""
    far = differing(rows, _tolerance(cycle))
    if far.empty:
        return {}
    keys = far[by] if by else [None] * len(far)
    grouped: dict[Any, list[str]] = {}
    for key, (ten, ma, score, source, other, other_source) in zip(keys, columns_of(far, _FAR_COLUMNS)):
        grouped.setdefault(key, []).append(f"{ten} ({ma}): {diem(score)} {NHAN_NGUON[source]}, "
                                           f"{diem(other)} {NHAN_NGUON[other_source]}")
    return grouped


def _far_warning(cycle: Any, units: list[str]) -> str:
    return (f"{len(units)} Đoàn cơ sở có hai nguồn điểm chênh nhau quá {diem(_tolerance(cycle))} điểm "
            f"(xếp loại {NHAN_NGUON[cycle.nguon_diem]}): " + "; ".join(units))


def run_warnings(cycle: Any, data: Any, units: list[str]) -> tuple[dict[str, list[str]], list[str]]:
    """The run's score warnings: per reporting unit, its units whose two scores differ beyond the
    tolerance; and, once for the run, the example score sheets in use (province's own missing)."""
    from .assess import assess

    co_so = assess(data, cycle).co_so
    rows = year_rows(co_so, cycle.nam)
    # each unit's own warning names its rows of the year whose scores differ: one pass over the
    # province's far rows, not one filter of the province per unit (a thousand districts)
    far = _far_apart(cycle, rows, by="ma_bao_cao")
    return {u: [_far_warning(cycle, far[u])] for u in units if u in far}, _example_sheets(cycle, rows)


__all__ = ["NGUON_DIEM", "NHAN_NGUON", "HELP", "check_source", "decide", "describe", "differing", "run_warnings", "score_warnings"]
