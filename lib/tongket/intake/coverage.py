"""What a cycle needs from a workbook: every column its rules read, every unit's rows for the year.

`check` (and a run, through `check.load(cycle=…)`) calls `cycle_issues`. What reads a column is
derived from the loaded rubrics, scale, score sheets and the roll-up's columns, never listed by
hand here: a rubric that starts reading a new column is checked the day it does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ..common.schema import ALL_SHEETS, BA_CHU_DONG, ROLLUP_COLS, TEN_CAP, label
from ..common.units import ancestors
from ..common.vietnamese import so_dem
from ..errors import ERROR, WARNING, Issue
from ..rules.rubric import Condition, Group, applicable
from ..rules.scoresheet import MEASURES
from ..rules.wording import ten_tieu_chi
from .registration import workbook_registrations
from .workbook import RawWorkbook, nearest

if TYPE_CHECKING:
    from ..rules.params import Cycle
    from ..rules.rubric import Rubric
    from .check import Data

# Figures a score sheet item or a roll-up is computed from that are not data columns themselves:
# their definitions (contract §5, assess.co_so_measures). Rates of a rubric's result read the
# rubric's own columns (added where the rubric is known).
DERIVED = {
    "ty_le_tap_hop": ("so_thanh_nien_tap_hop", "so_thanh_nien"),
    "ty_le_dv_1_1": ("so_dv_gioi_thieu_1_1", "so_doan_vien"),
    "ty_le_ket_nap": ("so_ket_nap_moi", "so_doan_vien"),
    "ty_le_bi_thu_tap_huan": ("bi_thu_duoc_tap_huan",),
    "ty_le_sinh_hoat_du": ("so_lan_sinh_hoat",),
    "ba_chu_dong": tuple(BA_CHU_DONG),
    **{f"nhom{g}": tuple(k for k in BA_CHU_DONG if k.startswith(f"cd{g}_")) for g in (1, 2, 3)},
}
_SHEET_OF = {c.key: sheet for sheet in ("co_so", "chi_doan") for c in ALL_SHEETS[sheet]}  # chi_doan wins


def _walk(item: Group | Condition) -> list[str]:
    if isinstance(item, Condition):
        return [item.column] + ([item.other] if item.other else [])
    return [c for i in item.items for c in _walk(i)]


def _rubric_readers(rubric: Rubric, add) -> None:
    where = f"bộ tiêu chí «{rubric.name}» ({rubric.path.name})"
    for crit in rubric.criteria:
        for col in _walk(crit.rule):
            add(rubric.cap, col, f"{ten_tieu_chi(crit.id)} ({crit.label}) của {where}")
    if rubric.loai_hinh is not None:
        add("don_vi", "loai_hinh", f"phạm vi áp dụng của {where}")
    if rubric.dac_thu is not None:
        add("don_vi", "dac_thu", f"phạm vi áp dụng của {where}")


def measure_inputs(measure: str, cycle: Cycle) -> list[tuple[str, str]]:
    """The (sheet, column) pairs a score sheet's measure is computed from."""
    if measure == "ty_le_dat_chuan":
        r = cycle.rubric_chi_doan
        return [(r.cap, c) for c in sorted(r.columns())] + ([("don_vi", "loai_hinh")] if r.loai_hinh else [])
    if measure in DERIVED:
        return [(_SHEET_OF[c], c) for c in DERIVED[measure]]
    if measure in _SHEET_OF:
        return [(_SHEET_OF[measure], measure)]
    raise KeyError(measure)


def readers(cycle: Cycle) -> dict[tuple[str, str], list[str]]:
    """(sheet, column) -> what reads it, in Vietnamese: the cycle's rubrics, the scale's
    conditions, its score sheets and the district and province roll-up."""

    out: dict[tuple[str, str], list[str]] = {}

    def add(sheet: str, col: str, what: str) -> None:
        out.setdefault((sheet, col), [])
        if what not in out[(sheet, col)]:
            out[(sheet, col)].append(what)

    _rubric_readers(cycle.rubric_chi_doan, add)
    _rubric_readers(cycle.rubric_co_so, add)
    for kind, sheet in cycle.score_sheets.items():
        for item in sheet.items:
            if item.measure is not None:
                for s, c in measure_inputs(item.measure, cycle):
                    add(s, c, f"mục {item.id} ({item.label}) của bảng điểm «{sheet.name}» ({sheet.path.name})")
        if kind == "dac_thu":
            add("don_vi", "dac_thu", f"chọn bảng điểm «{sheet.name}» cho đơn vị đặc thù")
        elif kind != "thuong":
            add("don_vi", "loai_hinh", f"chọn bảng điểm «{sheet.name}» theo loại hình")
    for col in ROLLUP_COLS:
        if col in ("ma_don_vi", "nam"):
            continue
        inputs = DERIVED.get(col, (col,) if _SHEET_OF.get(col) == "chi_doan" else ())
        for c in inputs:
            add("chi_doan", c, f"số liệu tổng hợp của huyện, tỉnh («{MEASURES.get(col) or label(col)}»)")
    return out


def scale_columns(cycle: Cycle) -> dict[str, list[str]]:
    """Columns the scale's level conditions read -> the levels that read them."""
    out: dict[str, list[str]] = {}
    for lv in cycle.scale.levels:
        if lv.conditions is not None:
            for c in _walk(lv.conditions):
                out.setdefault(c, []).append(f"điều kiện mức «{lv.label}» của thang «{cycle.scale.name}»")
    return out


def _score_reader(what: str) -> bool:
    """Whether a reader named by `readers` is a score sheet (an item of it, or its choice)."""
    return "của bảng điểm «" in what or what.startswith("chọn bảng điểm")


def missing_columns(raw: RawWorkbook, data: Data, cycle: Cycle, nam: int) -> list[Issue]:
    """A column the cycle reads and the sheet lacks: an error naming what it feeds (the optional
    «Đơn vị đặc thù» only a warning: blank means not special)."""
    found = readers(cycle)
    co_so = data.co_so[data.co_so["nam"] == nam]
    from_score = co_so["diem"].notna() & co_so["xep_loai"].isna()
    if from_score.any():  # ratings computed from a score read the scale's conditions
        for c, what in scale_columns(cycle).items():
            found.setdefault(("co_so", c), []).extend(what)
    issues = []
    for (sheet, col), what in sorted(found.items()):
        got = raw.sheets.get(sheet)
        if got is None or col in got.frame.columns:
            continue
        columns = ALL_SHEETS[sheet]
        typed = [n for n in got.frame.columns if not n.startswith("_") and n not in {c.key for c in columns}
                 and (m := nearest(n, columns)) is not None and m.key == col]
        hint = f"; cột «{typed[0]}» của trang có thể là cột này" if typed else ""
        lab = label(col) if col in _SHEET_OF or col in ("loai_hinh", "dac_thu") else col
        # A score sheet that only stands beside the deciding score (nguon_diem: so_lieu) loses the
        # items on this column, which it then shows as missing (never 0 points): a warning.
        advisory = cycle.nguon_diem == "so_lieu" and all(_score_reader(w) for w in what)
        severity = WARNING if col == "dac_thu" or advisory else ERROR
        note = (" — mọi đơn vị được tính là không đặc thù" if col == "dac_thu" else
                " — bảng điểm chỉ dùng để đối chiếu: các mục này sẽ ghi là thiếu số liệu, không tính 0 điểm"
                if advisory else "")
        issues.append(Issue(raw.file, got.name, got.header_row, f"{lab} ({col})", None,
                            f"Thiếu cột «{lab}»{hint}; cột này dùng cho: {'; '.join(what)}" + note,
                            severity, fix=f"Thêm cột có tiêu đề «{lab}» (hoặc «{col}») vào trang {got.name} và điền "
                                          "số liệu" + (f" (hoặc sửa tiêu đề «{typed[0]}»)" if typed else "")))
    return issues


def missing_rows(data: Data, cycle: Cycle, nam: int, earlier: bool = False) -> list[Issue]:
    """Every Đoàn cơ sở and chi đoàn of the tree with no row for `nam`, grouped by reporting unit
    (huyen, or co_so when the cycle reports per Đoàn cơ sở). A reporting unit none of whose units
    has a row sent nothing; one none of whose Đoàn cơ sở, chi đoàn, or chi đoàn the branch rubric
    applies to has a row sent half: either is an error of that unit alone (its documents are held
    back, the others' are not). `earlier`: `nam` is a year before the one assessed, which documents
    only compare with: such a unit is a warning (its comparisons say «chưa có số liệu»), and the
    units without a row are not listed one by one."""
    file, cap = data.path.name, cycle.cap_bao_cao
    don_vi = data.don_vi.dropna(subset=["ma_don_vi"]).drop_duplicates("ma_don_vi")
    try:
        tree = ancestors(don_vi)
    except (KeyError, ValueError):
        return []
    units = don_vi.set_index("ma_don_vi")
    names = units["ten_don_vi"]
    has = {key: set(getattr(data, key).loc[getattr(data, key)["nam"] == nam, "ma_don_vi"].dropna())
           for key in ("chi_doan", "co_so")}
    expected = units[units["cap"].isin(["chi_doan", "co_so"])]
    branches = expected[expected["cap"] == "chi_doan"]
    scope = applicable(cycle.rubric_chi_doan, branches.assign(nam=nam))  # the branches up-to-standard is judged on
    cap_of = expected["cap"]
    sent = (cap_of.eq("co_so") & expected.index.isin(has["co_so"])) | \
        (cap_of.eq("chi_doan") & expected.index.isin(has["chi_doan"]))
    dan_cu = expected.index.isin(scope.index[scope])
    # Per reporting unit, counted at once: its Đoàn cơ sở, chi đoàn and residential chi đoàn, and
    # how many of each sent a row (a province's units are looked at one by one only where rows lack).
    parts = pd.DataFrame({"cs": cap_of.eq("co_so"), "cd": cap_of.eq("chi_doan"), "dc": dan_cu}, index=expected.index)
    keys = tree.loc[expected.index, f"ma_{cap}"].fillna("").to_numpy()
    counts = pd.concat([parts, parts.mul(sent, axis=0).add_prefix("s_")], axis=1).astype(int) \
        .groupby(keys, sort=False).sum()
    members_of = expected.groupby(keys, sort=False).indices
    issues: list[Issue] = []
    units = list(counts.iterrows())
    gaps = {r: _unit_gap(c, cap) if r else None for r, c in units}
    # «the others are still written» only where some reporting unit sent its whole return
    others = ", các đơn vị khác vẫn được lập văn bản" if any(g is None for r, g in gaps.items() if r) else ""
    for r, c in units:
        ru = r or None
        if earlier and ru is None:
            continue
        huyen = tree.at[ru, "ma_huyen"] if ru in tree.index else None
        attr = {"ma_huyen": None if huyen is None or pd.isna(huyen) else str(huyen),
                "ma_co_so": ru if cap == "co_so" else None}
        if cap == "huyen":
            attr["ma_huyen"] = ru
        who = f"{names.get(ru, ru)} ({ru})" if ru else f"Các đơn vị không thuộc {TEN_CAP[cap]} nào"
        gap = gaps[r]
        if gap is not None:
            sheet, whole, what, where = gap
            if earlier:
                issues.append(Issue(file, sheet, None, None, None,
                                    f"{who}: năm {nam}, {what}; các so sánh với năm {nam} trong văn bản của đơn vị "
                                    "ghi «chưa có số liệu»", WARNING,
                                    fix=f"Nếu đơn vị có số liệu năm {nam}, nhập vào {where} rồi chạy lại", **attr))
            else:
                issues.append(Issue(file, sheet, None, None, None,
                                    f"{who} chưa gửi {'' if whole else 'đủ '}số liệu năm {nam}: {what}; văn bản của "
                                    "đơn vị này không được lập", ERROR,
                                    fix=f"Nhập số liệu năm {nam} vào {where} (tongket forms / collect); dòng đã nhập "
                                        f"mà thiếu năm hay sai mã đơn vị thì sửa theo các lỗi khác của trang; rồi "
                                        f"kiểm tra lại{others}", **attr))
        if earlier or (gap is not None and gap[1]) or (c["s_cs"] == c["cs"] and c["s_cd"] == c["cd"]):
            continue
        members = expected.iloc[members_of[r]]
        for sheet in ("co_so", "chi_doan"):
            missing = [m for m, k in members["cap"].items() if k == sheet and m not in has[sheet]]
            if missing and (gap is None or gap[0] != sheet):
                listed = ", ".join(f"{names.get(m, m)} ({m})" for m in missing)
                issues.append(Issue(file, sheet, None, None, None,
                                    f"{who}: {len(missing)} {TEN_CAP[sheet]} chưa có dòng số liệu năm {nam}: "
                                    f"{listed}", WARNING,
                                    fix=f"Thêm dòng năm {nam} cho các đơn vị này ở trang {sheet}; đơn vị không "
                                        "còn hoạt động thì xóa khỏi trang don_vi", **attr))
    return issues


def _unit_gap(c: pd.Series, cap: str) -> tuple[str, bool, str, str] | None:
    """Whether a reporting unit's return lacks a whole part (sheet, whether the unit sent nothing,
    what is missing, where to enter it), None if not, from its counts (`c`: cs, cd, dc its Đoàn cơ
    sở, chi đoàn, residential chi đoàn; s_… those that sent a row): none of its units has a row;
    none of its Đoàn cơ sở, or none of its chi đoàn (its documents would count none of them: 0/0,
    "has no branch", while the tree lists them); or only branches outside the rubric's scope (chi
    đoàn đạt chuẩn cannot be judged)."""
    if not c["s_cs"] and not c["s_cd"]:
        return ("chi_doan", True, f"không có dòng nào của {c['cd']} chi đoàn và {c['cs']} Đoàn cơ sở của đơn vị ở "
                "trang chi_doan và co_so", "trang chi_doan và co_so")
    for sheet, other, n, got in (("co_so", "chi_doan", c["cs"], c["s_cs"]), ("chi_doan", "co_so", c["cd"], c["s_cd"])):
        if n and not got:
            whose = "của đơn vị" if sheet == cap else f"của {n} {TEN_CAP[sheet]} của đơn vị"
            return sheet, False, f"trang {sheet} không có dòng nào {whose}, dù trang {other} có", f"trang {sheet}"
    if c["dc"] and not c["s_dc"]:
        return ("chi_doan", False, f"trang chi_doan không có dòng nào của {c['dc']} chi đoàn trên địa bàn dân cư "
                f"của đơn vị (chỉ có dòng của {c['s_cd']} chi đoàn khác), nên không đánh giá được tiêu chí chi đoàn "
                "đạt chuẩn", "trang chi_doan")
    return None


def cycle_issues(raw: RawWorkbook, data: Data, cycle: Cycle, nam: int) -> list[Issue]:
    """Everything the cycle needs that the workbook lacks, for the year `nam`."""
    if nam not in data.years:
        have = ", ".join(str(y) for y in data.years) or "không có năm nào"
        return missing_columns(raw, data, cycle, nam) + [
            Issue(data.path.name, "chi_doan", None, "Năm", nam, f"Năm {nam} không có trong dữ liệu (dữ liệu có: {have})",
                  fix="Chọn đúng năm (--nam) hoặc đúng tệp dữ liệu")]
    earlier = [i for y in data.years if y < nam for i in missing_rows(data, cycle, y, earlier=True)]
    rows = {sheet: int((getattr(data, sheet)["nam"] == nam).sum()) for sheet in ("co_so", "chi_doan")}
    for sheet, other in (("co_so", "chi_doan"), ("chi_doan", "co_so")):
        if not rows[sheet] and rows[other]:  # the year missing from a whole sheet: said once, not per unit
            return missing_columns(raw, data, cycle, nam) + [Issue(
                data.path.name, sheet, None, "Năm", nam,
                f"Trang {sheet} không có dòng nào của năm {nam} (trang {other} có {so_dem(rows[other])} dòng của năm "
                f"này): không đơn vị nào lập được văn bản", ERROR,
                fix=f"Thêm các dòng năm {nam} vào trang {sheet}, hoặc sửa cột «Năm» của trang nếu đã nhập mà ghi "
                    "sai năm")] + earlier
    return missing_columns(raw, data, cycle, nam) + missing_rows(data, cycle, nam) + earlier + \
        workbook_registrations(data, raw.sheets.get("dang_ky"), cycle.lich, nam)
