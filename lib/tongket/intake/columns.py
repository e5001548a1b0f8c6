"""Typing a sheet's columns: one parser per kind of column, every rejected cell an `Issue`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ..common.schema import ALL_SHEETS, CAP, LOAI_HINH, TEN_CAP, TEN_CHUONG_TRINH, Column
from ..common.vietnamese import fold, so, squeeze
from ..common.xlsx import FORMULA_ERRORS
from ..errors import ERROR, WARNING, Issue, column_of
from ..rules.periods import split
from ..rules.scales import Scale
from ..rules.settings import MAX_COUNT
from .cells import (
    FAILED,
    FALSE,
    PASSED,
    TRUE,
    blank_and_stand_ins,
    code_text,
    date_of,
    is_blank,
    number_text,
    rate_text,
    two_way,
    why_not_number,
)
from .legacy import FIX as LEGACY_FIX
from .legacy import converted, readings
from .workbook import ROW, RawSheet, RawWorkbook

# The dtype of an absent optional column, read as blank cells of its kind.
_EMPTY_DTYPE = {"bool": "boolean", "verdict": "boolean", "count": "Int64", "year": "Int64", "score": "Float64",
                "rate": "Float64"}


class _Sheet:
    """Typing one sheet's columns while recording issues against Excel cells. The sheet may be
    several workbooks' sheets of one layout stacked (`part`: the workbook of each row, `files` and
    `sinks`, its issues' list, one per workbook): each row's issues then go to its own workbook's list."""

    def __init__(self, raw: RawSheet, files: list[str], sinks: list[list[Issue]], max_count: int = MAX_COUNT,
                 part: np.ndarray | None = None):
        self.raw, self.frame, self.max_count = raw, raw.frame, max_count
        self.files, self.sinks = files, sinks
        # one sheet is a stack of one: every row of part 0
        self.part = part if part is not None else np.zeros(len(raw.frame), dtype=np.intp)

    def issue(self, rows: pd.Series, column: Column, values: pd.Series, rule: str | pd.Series, severity: str = ERROR,
              fix: str | pd.Series | None = None) -> None:
        """An issue for each row in `rows`, in row order; `rule` and `fix` one for all, or one per row."""
        letter = self.raw.columns_at.get(column.key)
        where = column_of(column.label, letter)
        at = np.flatnonzero(rows.to_numpy(dtype=bool, na_value=False))
        rules = rule.to_numpy()[at] if isinstance(rule, pd.Series) else [rule] * len(at)
        fixes = fix.to_numpy()[at] if isinstance(fix, pd.Series) else [fix] * len(at)
        for r, v, why, how, p in zip(self.frame[ROW].to_numpy()[at], values.to_numpy()[at].tolist(), rules, fixes,
                                     self.part[at]):
            self.sinks[p].append(Issue(self.files[p], self.raw.name, int(r), where, v, why, severity, fix=how, letter=letter))

    def column(self, col: Column, scale: Scale | None, emulation: Scale | None = None) -> pd.Series:
        """One column typed by its kind (blank cells said where the column wants them filled)."""
        f = self.frame
        if col.key not in f.columns:  # an absent optional column reads as blank cells of its type
            out = pd.Series(pd.NA, index=f.index, dtype=_EMPTY_DTYPE.get(col.kind, "object"))
            return out if col.default is None else out.fillna(col.default)
        raw = f[col.key]
        (blank, stand_in), failed = blank_and_stand_ins(raw), raw.isin(FORMULA_ERRORS)
        if stand_in.any():  # «nan» from another program's export: a blank, said, then judged as one
            self.issue(stand_in, col, raw, "Ô ghi chữ mà phần mềm khác điền vào chỗ không có gì, không phải số "
                       "liệu hay nội dung: đọc là ô trống", WARNING,
                       fix="Xóa chữ đó nếu ô thật sự trống; nếu có số liệu hoặc nội dung, gõ vào ô")
        if failed.any():
            self.issue(failed, col, raw, "Công thức trong ô bị lỗi (Excel hiện mã lỗi thay cho giá trị): không có "
                       "giá trị nào để đọc", fix="Sửa công thức (hoặc gõ thẳng giá trị) rồi lưu lại")
        cells = _Cells(self, col, raw, blank | failed)
        self._blanks(cells, said=failed)
        return PARSERS[col.kind](cells, scale, emulation)

    def _blanks(self, c: _Cells, said: pd.Series) -> None:
        """A required or watched column's blank cells, each an issue (a blank is never zero); the
        cells `said` already refused are not said twice."""
        col, blank = c.col, c.blank & ~said
        if self.raw.uncomputed:  # a formula without a stored result is reported as such, not as a blank
            formula = self.frame[ROW].map(lambda r: (r, col.key) in self.raw.uncomputed).astype(bool)
            blank = blank & ~formula
        if not col.allow_blank and blank.any():
            c.issue(blank, f"Thiếu {col.label.lower()} (ô bắt buộc)", fix=f"Điền {col.label.lower()} vào ô này")
        if col.warn_blank and blank.any():
            c.issue(blank, "Ô trống: chưa có số liệu (ô trống không được hiểu là 0)", WARNING,
                    fix="Điền số liệu; nếu thật sự bằng không, gõ 0 (hoặc «Không» với cột có/không)")


@dataclass
class _Cells:
    """One column's raw cells, which of them are blank, and where to say what is wrong with them."""

    sheet: _Sheet
    col: Column
    raw: pd.Series
    blank: pd.Series

    def issue(self, rows: pd.Series, rule: str | pd.Series, severity: str = ERROR, fix: str | pd.Series | None = None) -> None:
        self.sheet.issue(rows, self.col, self.raw, rule, severity, fix)

    def default(self) -> object:
        return pd.NA if self.col.default is None else self.col.default


Parser = Callable[[_Cells, Scale | None, Scale | None], pd.Series]  # (cells, scale, emulation ladder) -> typed


def _code(c: _Cells, _scale: Scale | None, _emulation: Scale | None) -> pd.Series:
    out = c.raw.map(lambda v: None if is_blank(v) else squeeze(code_text(v)))
    return out.astype("object").where(~c.blank, c.default())


def _text(c: _Cells, _scale: Scale | None, _emulation: Scale | None) -> pd.Series:
    out = c.raw.map(lambda v: None if is_blank(v) else squeeze(str(v)))
    return out.astype("object").where(~c.blank, c.default())


def _one_of(allowed: tuple[str, ...] | list[str], table: dict[str, str]) -> Parser:
    """A parser of a column that takes one of `allowed` (folded forms in `table`)."""

    def parse(c: _Cells, _scale: Scale | None, _emulation: Scale | None) -> pd.Series:
        mapped = c.raw.map(lambda v: None if is_blank(v) else table.get(fold(str(v))))
        bad = ~c.blank & mapped.isna()
        if bad.any():
            c.issue(bad, f"Giá trị không hợp lệ; chỉ nhận: {', '.join(allowed)}",
                    fix=f"Gõ một trong các giá trị: {', '.join(allowed)}")
        return mapped.where(~c.blank, c.col.default).astype("object")

    return parse


_CAP_TABLE = {fold(a): a for a in CAP} | {fold(v): k for k, v in TEN_CAP.items()} | {"coso": "co_so"}
_LOAI_HINH_TABLE = {fold(a): a for a in LOAI_HINH}


def _verdict(c: _Cells, _scale: Scale | None, _emulation: Scale | None) -> pd.Series:
    out = two_way(c.raw, PASSED, FAILED)
    bad = ~c.blank & out.isna()
    if bad.any():
        c.issue(bad, "Không phải kết quả thẩm định (nhận «Đạt» hoặc «Chưa đạt»; để trống nếu chưa có kết quả)",
                fix="Gõ «Đạt» hoặc «Chưa đạt»")
    return out


def _bool(c: _Cells, _scale: Scale | None, _emulation: Scale | None) -> pd.Series:
    out = two_way(c.raw, TRUE, FALSE)
    bad = ~c.blank & out.isna()
    for idx in bad[bad].index:  # Có/Không typed in an old font encoding ("Cã", "Coù")
        for text, enc in readings(str(c.raw[idx])):
            if fold(text) in TRUE or fold(text) in FALSE:
                out[idx] = fold(text) in TRUE
                one = pd.Series(False, index=c.raw.index)
                one[idx] = True
                c.issue(one, converted(enc, "Có" if out[idx] else "Không"), WARNING, fix=LEGACY_FIX)
                break
    bad = ~c.blank & out.isna()
    if bad.any():
        c.issue(bad, "Không phải giá trị có/không (nhận Có/Không, x/để trống, 1/0, TRUE/FALSE)",
                fix="Gõ «Có» hoặc «Không»")
    if c.col.default is not None:
        out = out.fillna(c.col.default)
    return out


def _numbers(c: _Cells, as_rate: bool = False) -> pd.Series:
    """The cells read as numbers (Float64); what is not a clear number is an issue and missing."""
    raw, blank = c.raw, c.blank
    is_bool = raw.map(lambda v: isinstance(v, bool)).astype(bool)
    parsed = raw.where(~is_bool | blank).map(rate_text if as_rate else number_text, na_action="ignore")
    num = pd.to_numeric(parsed, errors="coerce").astype("Float64")
    infinite = (num.abs() == float("inf")).fillna(False).astype(bool)
    bad = (~blank & num.isna()) | is_bool | infinite
    if bad.any():  # in row order, each cell with its own reason
        why = raw.where(bad).map(why_not_number, na_action="ignore")
        c.issue(bad, why, fix=why.map(_number_fix, na_action="ignore"))
    return num.where(~bad)


def _number_fix(rule: str) -> str:
    """What to do about a cell `_numbers` did not read, by the reason it gives."""
    return ("Gõ lại số: một nghìn gõ 1000 hoặc 1.000, một phẩy năm gõ 1,5" if rule.startswith("Không phải là số rõ nghĩa")
            else "Định dạng ô là số (Format Cells → Number) rồi gõ lại con số" if "ngày giờ" in rule else
            "Chỉ gõ con số, không kèm chữ hay đơn vị (ví dụ 25, không phải «25 đv»)")


def _count(c: _Cells, _scale: Scale | None, _emulation: Scale | None) -> pd.Series:
    num = _numbers(c)
    ok = num.notna()
    top = c.sheet.max_count
    neg = ok & (num < 0)
    frac = ok & ~neg & (num != num.round())
    huge = ok & ~neg & ~frac & (num > top)
    if neg.any():
        c.issue(neg, "Số lượng không được âm", fix="Gõ số từ 0 trở lên")
    if frac.any():
        c.issue(frac, "Số lượng phải là số nguyên",
                fix="Gõ số nguyên (số người, số lần); ô định dạng % sẽ thành số thập phân")
    if huge.any():
        c.issue(huge, f"Số lượng quá lớn, không thể là số thật (giới hạn {so(top)}, "
                      "đặt trong tham số gioi_han.so_luong_toi_da)",
                fix="Kiểm tra lại ô (gõ thừa chữ số, dán nhầm mã số); nếu đúng, nâng giới hạn "
                    "gioi_han.so_luong_toi_da trong tệp tham số")
    return num.where(~(neg | frac | huge)).round().astype("Int64")


def _year(c: _Cells, _scale: Scale | None, _emulation: Scale | None) -> pd.Series:
    num = _numbers(c)
    badyear = num.notna() & ((num != num.round()) | (num < 1900) | (num > 2100))
    if badyear.any():
        c.issue(badyear, "Năm không hợp lệ (cần số nguyên, ví dụ 2021)", fix="Gõ năm bằng bốn chữ số, ví dụ 2021")
    return num.where(~badyear).round().astype("Int64")


def _within(top: int, rule: str, as_rate: bool = False) -> Parser:
    """A parser of numbers from 0 to `top`; outside it, `rule`."""

    def parse(c: _Cells, _scale: Scale | None, _emulation: Scale | None) -> pd.Series:
        num = _numbers(c, as_rate)
        out_range = num.notna() & ((num < 0) | (num > top))
        if out_range.any():
            c.issue(out_range, rule, fix="Gõ lại giá trị trong khoảng cho phép")
        return num.where(~out_range)

    return parse


def _score(c: _Cells, scale: Scale | None, emulation: Scale | None) -> pd.Series:
    """Points from 0 to 100; a unit's score (`diem`, out of 100) from above 0 to 1 is refused: it is
    what a cell formatted as a percentage holds (75% is 0,75), and no unit scores under one point."""
    num = _within(100, "Điểm phải từ 0 đến 100")(c, scale, emulation)
    if c.col.key != "diem":  # an item's points (diem_cham) may be a fraction of one
        return num
    low = num.notna() & (num > 0) & (num <= 1)
    if low.any():
        c.issue(low, "Điểm trên thang 100 mà chỉ từ 0 đến 1: ô có thể đang định dạng phần trăm (gõ 75 hiện «75%», "
                "Excel lưu 0,75); không đoán", fix="Định dạng ô là số (Format Cells → Number) rồi gõ điểm trên thang "
                "100, ví dụ 75")
    return num.where(~low)


def _rating(c: _Cells, scale: Scale | None, _emulation: Scale | None) -> pd.Series:
    assert scale is not None
    years = c.sheet.frame["nam"] if "nam" in c.sheet.frame else pd.Series(pd.NA, index=c.raw.index)
    codes = pd.Series(pd.NA, index=c.raw.index, dtype="object")
    typed = c.raw.where(~c.blank)  # a «nan» or a formula's error is no rating
    rule = pd.Series(None, index=c.raw.index, dtype="object")
    fix = rule.copy()
    for one, rows in split(scale, years):  # each row on the scale of its year (contract §6.3)
        codes[rows], unknown = Scale.resolve(one, typed[rows])
        if unknown.any():
            at = unknown[unknown].index
            rule[at] = f"Xếp loại không có trong thang «{one.name}»: " + "; ".join(
                f"{lv.code} ({lv.label})" for lv in one.levels)
            fix[at] = f"Gõ mã hoặc tên mức xếp loại như trong thang, ví dụ {one.levels[0].short}"
    if rule.notna().any():  # in row order, each row against its year's scale
        c.issue(rule.notna(), rule, fix=fix)
    return codes


def _emulation(c: _Cells, _scale: Scale | None, emulation: Scale | None) -> pd.Series:
    """An emulation rating, checked against the cycle's emulation ladder where it names one."""
    if emulation is None:
        return c.raw.where(~c.blank, pd.NA).astype(object)
    return _rating(c, emulation, None)


def _quarter(c: _Cells, _scale: Scale | None, _emulation: Scale | None) -> pd.Series:
    """A quarter of the year: a whole number from 1 to 4 (sheet dac_thu_tien_do) [003]."""
    num = _numbers(c)
    bad = num.notna() & ((num != num.round()) | (num < 1) | (num > 4))
    if bad.any():
        c.issue(bad, "Quý phải là số nguyên từ 1 đến 4", fix="Gõ 1, 2, 3 hoặc 4")
    return num.where(~bad).round().astype("Int64")
# A programme as people type it: the key, or its name with or without the unit's words [001 III].
_CHUONG_TRINH_TABLE = {fold(k): k for k in TEN_CHUONG_TRINH} | {fold(v): k for k, v in TEN_CHUONG_TRINH.items()} | {
    fold(v): "chi_doan_dat_chuan" for v in ("Chi đoàn đạt chuẩn", "Chi đoàn dân cư đạt chuẩn", "Đạt chuẩn")} | {
    fold(v): "ba_chu_dong" for v in ("3 chủ động", "Ba chủ động", "Đoàn cơ sở 3 chủ động", "3CĐ")}


def _date(c: _Cells, _scale: Scale | None, _emulation: Scale | None) -> pd.Series:
    """A date: an Excel date cell, an Excel day number, or text dd/mm/yyyy (also d-m-yyyy, yyyy-mm-dd)."""
    out = c.raw.map(lambda v: None if is_blank(v) else date_of(v)).astype(object)
    bad = ~c.blank & out.isna()
    if bad.any():
        c.issue(bad, "Không phải ngày rõ nghĩa (nhận ô ngày của Excel hoặc chữ dạng ngày/tháng/năm, từ năm 1950 "
                     "đến 2100, ví dụ 10/02/2021)",
                fix="Gõ ngày dạng 10/02/2021 hoặc định dạng ô là ngày")
    return out.where(~c.blank, None)


# Every kind of column (common.schema.Column.kind) and how its cells are read.
PARSERS: dict[str, Parser] = {
    "code": _code,
    "text": _text,
    "cap": _one_of(CAP, _CAP_TABLE),
    "loai_hinh": _one_of(LOAI_HINH, _LOAI_HINH_TABLE),
    "verdict": _verdict,
    "bool": _bool,
    "count": _count,
    "year": _year,
    "score": _score,
    "rate": _within(1, "Tỉ lệ phải từ 0 đến 1 (nhập 0,3 hoặc định dạng ô 30%)", as_rate=True),
    "rating": _rating,
    "emulation": _emulation,
    "quarter": _quarter,
    "chuong_trinh": _one_of(tuple(f"«{v}»" for v in TEN_CHUONG_TRINH.values()), _CHUONG_TRINH_TABLE),
    "date": _date,
}


def type_sheet(raw: RawWorkbook, key: str, scale: Scale | None, issues: list[Issue],
               emulation: Scale | None = None, max_count: int = MAX_COUNT) -> pd.DataFrame:
    """The sheet `key` of a workbook typed column by column (every rejected cell appended to
    `issues`); an absent sheet is an empty frame of its columns."""
    columns = ALL_SHEETS[key]
    sheet = raw.sheets.get(key)
    if sheet is None:
        frame = pd.DataFrame({c.key: pd.Series(dtype="object") for c in columns})
        frame[ROW] = pd.Series(dtype="int64")
        return frame
    _missing_columns(raw, sheet, key, issues)
    return _typed(_Sheet(sheet, [raw.file], [issues], max_count), key, scale, emulation)


def _missing_columns(raw: RawWorkbook, sheet: RawSheet, key: str, issues: list[Issue]) -> None:
    for c in ALL_SHEETS[key]:
        if c.required and c.key not in sheet.frame.columns:
            issues.append(Issue(raw.file, sheet.name, sheet.header_row, c.label, None,
                                f"Thiếu cột bắt buộc «{c.key}» ({c.label})"))


def _typed(s: _Sheet, key: str, scale: Scale | None, emulation: Scale | None) -> pd.DataFrame:
    frame = s.frame
    out = pd.DataFrame({c.key: s.column(c, scale, emulation) for c in ALL_SHEETS[key]}, index=frame.index)
    out[ROW] = frame[ROW].astype("int64")
    return out


def type_sheets(raws: list[RawWorkbook], key: str, scale: Scale | None, emulation: Scale | None = None,
                max_count: int = MAX_COUNT) -> list[tuple[pd.DataFrame, list[Issue]] | Exception]:
    """`type_sheet` of many workbooks' sheet `key` (the returned forms of a folder): for each, its
    typed frame and its issues, exactly as typing it alone gives them, or the exception typing it
    alone raised. The sheets of one layout (same name, columns, letters) are typed as one frame:
    a form's sheet has a few rows, and typing a column costs about the same for 7 rows as for 7.000."""
    out: list = [None] * len(raws)
    layouts: dict[tuple, list[int]] = {}
    for i, raw in enumerate(raws):
        sheet = raw.sheets.get(key)
        if sheet is None or sheet.uncomputed or sheet.frame.empty:  # (formulas without values: by Excel row)
            layouts[("alone", i)] = [i]
        else:
            f = sheet.frame
            layouts.setdefault((sheet.name, tuple(f.columns), tuple(map(str, f.dtypes)), tuple(sheet.columns_at.items()),
                                sheet.header_row), []).append(i)
    for members in layouts.values():
        if len(members) > 1:
            try:
                for i, one in zip(members, _type_together([raws[i] for i in members], key, scale, emulation, max_count)):
                    out[i] = one
                continue
            except Exception:  # noqa: BLE001 - then each alone: a broken form fails alone, as before
                pass
        for i in members:
            try:
                issues: list[Issue] = []
                out[i] = (type_sheet(raws[i], key, scale, issues, emulation, max_count), issues)
            except Exception as exc:  # noqa: BLE001 - the caller reports it against that file
                out[i] = exc
    return out


def _type_together(raws: list[RawWorkbook], key: str, scale: Scale | None, emulation: Scale | None,
                   max_count: int) -> list[tuple[pd.DataFrame, list[Issue]]]:
    sheets = [raw.sheets[key] for raw in raws]
    issues: list[list[Issue]] = [[] for _ in raws]
    for raw, sheet, found in zip(raws, sheets, issues):
        _missing_columns(raw, sheet, key, found)
    sizes = [len(sheet.frame) for sheet in sheets]
    stacked = replace(sheets[0], frame=pd.concat([sheet.frame for sheet in sheets], ignore_index=True))
    part = np.repeat(np.arange(len(raws)), sizes)
    typed = _typed(_Sheet(stacked, [raw.file for raw in raws], issues, max_count, part), key, scale, emulation)
    out = []
    for sheet, end, size, found in zip(sheets, np.cumsum(sizes), sizes, issues):
        piece = typed.iloc[end - size:end].copy()
        piece.index = sheet.frame.index
        out.append((piece, found))
    return out
