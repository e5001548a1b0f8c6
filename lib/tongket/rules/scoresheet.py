"""Score sheets (bảng điểm) as data: groups of items with maximum points, each scored stepwise on a
measured figure or given by the unit (self-score) and the upper level (verified score).

A sheet is YAML, or an Excel sheet an analyst fills in (same content). Total points are scaled to
100 and turned into a rating through the cycle's scale. The sample sheet is an example to replace:
every province issues its own every year (domain.md, "Rating scales").
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd

from ..common.files import label_words, read_yaml, shown
from ..common.vietnamese import fold, words_typed
from ..common.xlsx import FORMULA_ERRORS, STAND_INS, keep_text
from ..errors import ConfigError

_NO_VALUE = frozenset((*STAND_INS, *FORMULA_ERRORS))  # a cell that holds no label nor number
OPS = {">=": operator.ge, ">": operator.gt, "=": operator.eq, "<=": operator.le, "<": operator.lt}
# Figures an item can be scored on: one row per Đoàn cơ sở and year (see assess.co_so_measures).
MEASURES = {
    "ty_le_dat_chuan": "Tỉ lệ chi đoàn dân cư đạt chuẩn",
    "ba_chu_dong": "Đạt “3 chủ động” (1 = có)",
    "nhom1": "3 chủ động nhóm 1 (1 = đạt)", "nhom2": "3 chủ động nhóm 2 (1 = đạt)",
    "nhom3": "3 chủ động nhóm 3 (1 = đạt)",
    "dot_cao_diem": "Thực hiện đợt cao điểm (1 = có)",
    "ty_le_tap_hop": "Tỉ lệ tập hợp thanh niên",
    "ty_le_dv_1_1": "Tỉ lệ đoàn viên thực hiện “1+1”",
    "ty_le_ket_nap": "Đoàn viên kết nạp mới / đoàn viên",
    "so_ket_nap_moi": "Số đoàn viên kết nạp mới",
    "so_gioi_thieu_dang": "Số đoàn viên giới thiệu cho Đảng",
    "so_cong_trinh_thanh_nien": "Số công trình thanh niên",
    "so_doi_hinh_tinh_nguyen": "Số đội hình tình nguyện",
    "so_hoat_dong_van_hoa_the_thao": "Số hoạt động văn hóa, thể thao",
    "so_mo_hinh_kinh_te": "Số mô hình kinh tế",
    "so_gioi_thieu_viec_lam": "Số người được giới thiệu việc làm",
    "ty_le_bi_thu_tap_huan": "Tỉ lệ bí thư chi đoàn được tập huấn",
    "ty_le_sinh_hoat_du": "Tỉ lệ chi đoàn sinh hoạt đủ 8 lần/năm",
}


@dataclass(frozen=True)
class Item:
    """One line of the sheet: measured (steps on a figure) or given (self-score, verified score)."""

    id: str
    label: str
    max_points: float
    measure: str | None  # a key of MEASURES; None: points are given
    steps: tuple[tuple[str, float, float], ...] = ()  # (op, threshold, points), first that holds wins


@dataclass(frozen=True)
class Group:
    """A criteria group of the sheet (nhóm tiêu chí) with its items."""

    id: str
    label: str
    items: tuple[Item, ...]

    @property
    def max_points(self) -> float:
        return sum(i.max_points for i in self.items)


@dataclass(frozen=True)
class ScoreSheet:
    """A province's score sheet for one kind of unit."""

    id: str
    name: str
    groups: tuple[Group, ...]
    example: bool = False
    path: Path = Path("?")

    @property
    def max_points(self) -> float:
        return sum(g.max_points for g in self.groups)

    @property
    def items(self) -> list[Item]:
        return [i for g in self.groups for i in g.items]


def _fail(path: Path, where: str, why: str) -> ConfigError:
    return ConfigError(f"Bảng điểm {path.name}, {where}: {why}")


def _code(raw: dict, i: int, path: Path, what: str) -> str:
    """An item's or group's code as typed (the score columns and the units' scores per item are
    keyed by it): refused where none is typed, never «None» nor «?»."""
    v = raw.get("id")
    if isinstance(v, (str, int)) and not isinstance(v, bool) and str(v).strip():
        return str(v).strip()
    raise _fail(path, f"{what} #{i}", f"thiếu mã «id» (mã viết liền, ví dụ a1), gặp «{shown(v)}»")


def _points(v: Any, path: Path, where: str, what: str) -> float:
    """A number of points from 0 (a maximum, a step's points): never inf, nan nor a word."""
    try:
        x = float(v)
    except (TypeError, ValueError):
        x = math.nan
    if isinstance(v, bool) or not math.isfinite(x) or x < 0:
        raise _fail(path, where, f"{what} phải là số từ 0 trở lên, gặp «{shown(v)}»")
    return x


def _item(raw: Any, path: Path, seen: set[str], i: int = 1) -> Item:
    if not isinstance(raw, dict):
        raise _fail(path, f"mục #{i}", f"mỗi mục phải là một bảng khóa–giá trị (id, label, max …), gặp «{shown(raw)}»")
    iid = _code(raw, i, path, "mục")
    where = f"mục «{iid}»"
    if iid in seen:
        raise _fail(path, where, "mã mục bị trùng")
    seen.add(iid)
    top = _points(raw.get("max"), path, where, "điểm tối đa «max»")
    measure = raw.get("measure")
    if raw.get("given"):
        if measure:
            raise _fail(path, where, "một mục chấm theo số đo (measure) hoặc do đơn vị chấm (given), không cả hai")
        return Item(iid, _label(raw, path, where), top, None)
    if measure not in MEASURES:
        raise _fail(path, where, f"chỉ số đo không tồn tại «{shown(measure)}» (nhận: {', '.join(MEASURES)})")
    steps = []
    for st in raw.get("steps") or []:
        if not isinstance(st, dict):
            raise _fail(path, where, f"mỗi mức cần dạng {{op: \">=\", value: 0.9, points: 20}}, gặp «{shown(st)}»")
        op = str(st.get("op", ">="))
        if op not in OPS:
            raise _fail(path, where, f"phép so sánh không hợp lệ «{shown(op)}»")
        try:
            value, points = float(st["value"]), float(st["points"])
        except (KeyError, TypeError, ValueError):
            raise _fail(path, where, f"mỗi mức cần «value» và «points» là số, gặp «{shown(st)}»") from None
        if not math.isfinite(value) or isinstance(st["value"], bool):
            raise _fail(path, where, f"ngưỡng «value» của mức phải là số, gặp «{shown(st['value'])}»")
        points = _points(st["points"], path, where, "số điểm «points» của mức")
        if points > top:
            raise _fail(path, where, f"mức {points:g} điểm vượt điểm tối đa {top:g}")
        steps.append((op, value, points))
    if not steps:
        raise _fail(path, where, "mục chấm theo số đo cần ít nhất một mức (steps)")
    return Item(iid, _label(raw, path, where), top, str(measure), tuple(steps))


def _label(raw: dict, path: Path, where: str) -> str:
    """An item's or group's label, printed on every assessment sheet: words, never «None» nor its code."""
    return label_words(raw.get("label"), f"Bảng điểm {path.name}, {where}", "nội dung «label» (in trên phiếu đánh giá)")


def _from_dict(raw: Any, path: Path) -> ScoreSheet:
    if not isinstance(raw, dict) or "groups" not in raw:
        raise _fail(path, "toàn tệp", "cần các trường id, name, groups")
    seen: set[str] = set()
    groups = []
    for n, g in enumerate(raw["groups"] or [], start=1):
        if not isinstance(g, dict) or not isinstance(g.get("items") or [], list):
            raise _fail(path, f"nhóm #{n}", f"mỗi nhóm cần dạng {{id: …, label: …, items: [mục, …]}}, gặp «{shown(g)}»")
        gid = _code(g, n, path, "nhóm")
        items = tuple(_item(it, path, seen, k) for k, it in enumerate(g.get("items") or [], start=1))
        if not items:
            raise _fail(path, f"nhóm «{gid}»", "nhóm không có mục nào")
        groups.append(Group(gid, _label(g, path, f"nhóm «{gid}»"), items))
    sheet = ScoreSheet(str(raw.get("id", path.stem)), words_typed(raw.get("name")) or path.stem, tuple(groups),
                       bool(raw.get("example", False)), path)
    if sheet.max_points <= 0:
        raise _fail(path, "toàn tệp", "tổng điểm tối đa phải lớn hơn 0")
    return sheet


# Excel layout: one row per item. Headers are matched like data headers (no diacritics needed).
EXCEL_COLUMNS = {"nhom": "Nhóm", "ten_nhom": "Tên nhóm", "ma_muc": "Mã mục", "noi_dung": "Nội dung",
                 "diem_toi_da": "Điểm tối đa", "chi_so": "Chỉ số đo", "muc_diem": "Mức điểm"}
_STEP = re.compile(r"^\s*(>=|>|=|<=|<|≥|≤)\s*([0-9.,]+)\s*(%?)\s*:\s*([0-9.,]+)\s*$")


def _cell_words(path: Path, n: int, key: str, value: Any, blank: bool = False,
                what: str = "nội dung mục (in trên phiếu đánh giá)") -> str | None:
    """A label cell of the Excel sheet as words; a blank refused (unless `blank`), naming row and column."""
    where = f"dòng {n}, cột «{EXCEL_COLUMNS[key]}»"
    try:
        text = words_typed(value)
    except ValueError:
        raise _fail(path, where, f"ô ghi «{value}», không phải chữ") from None
    if text is None and not blank:
        raise _fail(path, where, f"ô trống: cần {what}")
    return text


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _from_excel(path: Path) -> ScoreSheet:
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        ws = next((wb[n] for n in wb.sheetnames if fold(n) == "bangdiem"), wb[wb.sheetnames[0]])
        rows = list(ws.iter_rows(values_only=True))
        meta = {fold(str(r[0])): r[1] for r in rows if r and r[0] and len(r) > 1 and fold(str(r[0])) in
                ("id", "ten", "vidu")}
    finally:
        wb.close()
    want = {fold(k): k for k in EXCEL_COLUMNS} | {fold(v): k for k, v in EXCEL_COLUMNS.items()}
    h = next((i for i, r in enumerate(rows) if sum(fold(str(v)) in want for v in r if v is not None) >= 4), None)
    if h is None:
        raise _fail(path, "trang bang_diem", f"không thấy dòng tiêu đề ({', '.join(EXCEL_COLUMNS.values())})")
    cols = {want[fold(str(v))]: j for j, v in enumerate(rows[h]) if v is not None and fold(str(v)) in want}
    groups: dict[str, dict] = {}
    for n, r in enumerate(rows[h + 1:], start=h + 2):
        cells = {k: (r[j] if j < len(r) else None) for k, j in cols.items()}
        for k, v in cells.items():  # never a «nan» or a formula's «#REF!» read as a label or a number
            if isinstance(v, str) and v.strip() in _NO_VALUE:
                raise _fail(path, f"dòng {n}, cột «{EXCEL_COLUMNS[k]}»", f"ô ghi «{v.strip()}», không phải nội "
                            "dung (chữ phần mềm khác điền vào ô trống, hoặc công thức bị lỗi): sửa hoặc xóa ô đó")
        get = cells.get
        if not get("ma_muc"):
            continue
        item: dict[str, Any] = {"id": str(get("ma_muc")), "label": _cell_words(path, n, "noi_dung", get("noi_dung")),
                                "max": get("diem_toi_da")}
        nhom = _cell_words(path, n, "nhom", get("nhom"), what="mã nhóm")
        g = groups.setdefault(str(nhom), {"id": str(nhom), "label": None, "items": [], "row": n})
        named = _cell_words(path, n, "ten_nhom", get("ten_nhom"), blank=True)
        if named and g["label"] and named != g["label"]:
            raise _fail(path, f"dòng {n}, cột «{EXCEL_COLUMNS['ten_nhom']}»", f"nhóm «{g['id']}» đã có tên «{g['label']}» "
                        f"(dòng {g['row']}), dòng này ghi «{named}»: mỗi nhóm một tên")
        if named and not g["label"]:
            g["label"], g["row"] = named, n
        if get("chi_so"):
            item["measure"] = str(get("chi_so")).strip()
            steps = []
            for part in str(get("muc_diem") or "").split(";"):
                if not part.strip():
                    continue
                m = _STEP.match(part)
                if not m:
                    raise _fail(path, f"dòng {n}, mục «{item['id']}»",
                                f"mức điểm «{part.strip()}» sai dạng (ví dụ: >=90%:20; >=75%:15)")
                op = {"≥": ">=", "≤": "<="}.get(m.group(1), m.group(1))
                value = _number(m.group(2)) / (100 if m.group(3) else 1)
                steps.append({"op": op, "value": value, "points": _number(m.group(4))})
            item["steps"] = steps
        else:
            item["given"] = True
        g["items"].append(item)
    for g in groups.values():
        if not g["label"]:
            raise _fail(path, f"dòng {g['row']}, cột «{EXCEL_COLUMNS['ten_nhom']}»", f"nhóm «{g['id']}» không có tên "
                        "ở dòng nào (tên nhóm in trên phiếu đánh giá): ghi tên nhóm")
    return _from_dict({"id": meta.get("id") or path.stem, "name": meta.get("ten") or path.stem,
                       "example": bool(meta.get("vidu")), "groups": list(groups.values())}, path)


def load_score_sheet(path: str | Path) -> ScoreSheet:
    """Load and check a score sheet from YAML or from an analyst's Excel sheet."""
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            return _from_excel(path)
        except (OSError, KeyError, ValueError) as exc:
            if isinstance(exc, ConfigError):
                raise
            raise ConfigError(f"Không đọc được bảng điểm {path.name}: {exc}") from exc
    return _from_dict(read_yaml(path, "bảng điểm"), path)


def write_excel(sheet: ScoreSheet, path: str | Path) -> Path:
    """The sheet as the Excel form an analyst edits (round-trips through load_score_sheet)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "bang_diem"
    ws.append(["id", sheet.id])
    ws.append(["Tên", sheet.name])
    ws.append(["Ví dụ", "có" if sheet.example else None])
    ws.append([])
    ws.append(list(EXCEL_COLUMNS.values()))
    for g in sheet.groups:
        for i in g.items:
            steps = "; ".join(f"{op}{_fmt(v, i.measure)}:{p:g}" for op, v, p in i.steps)
            ws.append([g.id, g.label, i.id, i.label, i.max_points, i.measure, steps or None])
    ws.append([])
    ws.append(["Chỉ số đo có thể dùng:"])
    for k, v in MEASURES.items():
        ws.append([k, v])
    for col, width in zip("ABCDEFG", (10, 34, 10, 60, 12, 26, 36)):
        ws.column_dimensions[col].width = width
    keep_text(wb)  # a label typed as "=…" stays text
    wb.save(path)
    return Path(path)


def _fmt(v: float, measure: str | None) -> str:
    if measure and measure.startswith("ty_le"):
        return f"{v * 100:g}%".replace(".", ",")
    return f"{v:g}".replace(".", ",")


def sheet_keys(loai_hinh: pd.Series, dac_thu: pd.Series, sheets: Mapping[str, ScoreSheet]) -> pd.Series:
    """Which of the cycle's score `sheets` each Đoàn cơ sở is scored on, by key (the sheet is
    `sheet_for` the key): «dac_thu» for a special unit where the cycle names one [003], else the
    unit's kind (loai_hinh) where the cycle names a sheet for it, else «thuong»."""
    kind = loai_hinh.astype(object).where(loai_hinh.isin(list(sheets)), "thuong")
    return kind.where(~(dac_thu.fillna(False).astype(bool) & ("dac_thu" in sheets)), "dac_thu")


def sheet_for(sheets: Mapping[str, ScoreSheet], key: str) -> ScoreSheet | None:
    """The sheet a key of `sheet_keys` names (the ordinary sheet where the cycle names none for it)."""
    return sheets.get(key) or sheets.get("thuong")


def score(sheet: ScoreSheet, measures: pd.DataFrame, given: pd.DataFrame | None = None,
          not_applicable: pd.DataFrame | None = None, verified_only: bool = False) -> pd.DataFrame:
    """Points per item, per group, the total and the score out of 100, per unit and year (vectorised).

    A blank is never 0 points. A measured item whose figure is blank is *missing*, and so is a given
    item with no score (`given` has ma_don_vi, nam, ma_muc, tu_cham, tham_dinh: the verified score
    wins over the self-score; with `verified_only` only the verified score counts): missing items
    are listed in `thieu_diem` and a sheet with any missing item gives no score out of 100 (the
    unit is not rated on it). An item whose measure `not_applicable` marks True (a unit with no
    residential branch has no rate of them up to standard) is left out of the maximum:
    `khong_ap_dung` lists it, and the score out of 100 is over the applicable maximum `toi_da`.
    """
    out = pd.DataFrame(index=measures.index)
    missing = pd.Series("", index=measures.index, dtype=object)
    skipped = pd.Series("", index=measures.index, dtype=object)
    top = pd.Series(0.0, index=measures.index)
    lookup = None
    if given is not None and len(given):
        verified = given["tham_dinh"].astype("Float64")
        g = given.assign(diem=verified if verified_only else verified.fillna(given["tu_cham"].astype("Float64")))
        lookup = g.set_index(["ma_don_vi", "nam", "ma_muc"])["diem"]
    keys = pd.MultiIndex.from_arrays([measures["ma_don_vi"], measures["nam"]])
    for grp in sheet.groups:
        for it in grp.items:
            na = np.zeros(len(measures), dtype=bool)
            if it.measure is not None:
                v = measures[it.measure].astype("Float64") if it.measure in measures else \
                    pd.Series(pd.NA, index=measures.index, dtype="Float64")
                if not_applicable is not None and it.measure in not_applicable:
                    na = not_applicable[it.measure].fillna(False).to_numpy(dtype=bool)
                conds = [OPS[op](v, thr).fillna(False).to_numpy(dtype=bool) for op, thr, _ in it.steps]
                pts = np.select(conds, [p for *_, p in it.steps], default=0.0)
                blank = v.isna().to_numpy(dtype=bool) & ~na
            else:
                if lookup is not None:
                    idx = pd.MultiIndex.from_arrays([keys.get_level_values(0), keys.get_level_values(1),
                                                     [it.id] * len(keys)])
                    got = lookup.reindex(idx).to_numpy(dtype="float64", na_value=np.nan)
                else:
                    got = np.full(len(measures), np.nan)
                pts = np.clip(got, 0, it.max_points)
                blank = np.isnan(got)
            pts = np.where(blank | na, np.nan, pts)
            missing = missing + np.where(blank, it.id + " ", "")
            skipped = skipped + np.where(na, it.id + " ", "")
            top = top + np.where(na, 0.0, it.max_points)
            out[f"diem_{it.id}"] = pts
        out[f"diem_{grp.id}"] = out[[f"diem_{i.id}" for i in grp.items]].sum(axis=1, min_count=1)
    # The points the unit has so far (shown beside the missing items); never a score by itself.
    out["tong_diem"] = out[[f"diem_{g.id}" for g in sheet.groups]].sum(axis=1, min_count=1)
    out["toi_da"] = top
    out["thieu_diem"] = missing.str.strip()
    out["khong_ap_dung"] = skipped.str.strip()
    complete = (out["thieu_diem"] == "") & (top > 0)
    out["diem_bang_diem"] = (out["tong_diem"].fillna(0) / top.where(top > 0) * 100).round(1).where(complete)
    out["bang_diem"] = sheet.id
    return out
