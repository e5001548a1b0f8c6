"""Checking an exchange workbook: type every cell, collect every problem in one pass."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..common.files import safe_name
from ..common.schema import (
    ALL_SHEETS,
    CAP,
    LOAI_HINH,
    OPTIONAL_SHEETS,
    PARENT_CAP,
    SHEET_CAP,
    SHEET_KEYS,
    SHEETS,
    TEN_CAP,
    Column,
    label,
)
from ..common.units import ancestors
from ..common.vietnamese import fold, so, squeeze
from ..errors import ERROR, WARNING, DataError, Issue
from ..rules.scales import Scale
from ..rules.settings import MAX_COUNT
from .legacy import FIX as LEGACY_FIX
from .legacy import converted, readings
from .workbook import ROW, RawSheet, RawWorkbook, read_workbook

if TYPE_CHECKING:
    from ..rules.params import Cycle

_TRUE = {fold(v) for v in ("có", "co", "x", "1", "true", "đúng", "đạt", "yes")}
_FALSE = {fold(v) for v in ("không", "khong", "0", "false", "sai", "no")}
# A verification result (contract §6.1): Đạt / Chưa đạt, or any yes/no form.
_PASSED = _TRUE
_FAILED = _FALSE | {fold(v) for v in ("chưa đạt", "không đạt")}


@dataclass
class Data:
    """The exchange workbook, typed: one frame per sheet, each row keeping its Excel row."""

    path: Path
    don_vi: pd.DataFrame
    chi_doan: pd.DataFrame
    co_so: pd.DataFrame
    issues: list[Issue]
    optional: dict[str, pd.DataFrame] = field(default_factory=dict)  # diem_cham, mot_cong_mot where given

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == ERROR]

    def without(self, units: set[str], cap: str = "huyen") -> Data:
        """The same data without some reporting units of level `cap` (districts, or Đoàn cơ sở
        when the cycle reports per Đoàn cơ sở): their whole subtree and rows."""
        if not units:
            return self
        tree = ancestors(self.don_vi.dropna(subset=["ma_don_vi"]))
        drop = set(tree.index[tree[f"ma_{cap}"].isin(units)])
        keep = lambda f: f[~f["ma_don_vi"].isin(drop)].reset_index(drop=True)  # noqa: E731
        return Data(self.path, keep(self.don_vi), keep(self.chi_doan), keep(self.co_so),
                    [i for i in self.issues if i.reporting_unit(cap) not in units],
                    {k: keep(f) for k, f in self.optional.items()})

    @property
    def years(self) -> list[int]:
        ys = pd.concat([self.chi_doan["nam"], self.co_so["nam"]]).dropna().astype(int)
        return sorted(set(ys))


_INT = re.compile(r"^[+-]?\d+$")
# Thousands grouped the Vietnamese way, by dots (1.234, 21.049, 1.234,5), or by a space, NBSP or
# narrow NBSP (1 000): the first group has no leading zero, every other group exactly three digits.
_THOUSANDS = re.compile(r"^[+-]?[1-9]\d{0,2}(\.\d{3})+(,\d+)?$")
_SPACED = re.compile(r"^[+-]?[1-9]\d{0,2}([ \u00a0\u202f]\d{3})+(,\d+)?$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")  # 12,5
# "1,000": one thousand written the English way, or one with three decimals the Vietnamese way.
_COMMA_THOUSANDS = re.compile(r"^[+-]?[1-9]\d{0,2}(,\d{3})+$")
EXACT = 2**53  # integers beyond this are not held exactly by a float (nor by any real count)


def _number_text(v: object) -> object:
    """A number typed as text, read the Vietnamese way ("1.234" and "1 234" are one thousand two
    hundred and thirty-four, "12,5" is twelve and a half); text that could mean two numbers ("1.5",
    "1,000", "0.500", "2 5") is refused (None) rather than guessed. Cells Excel already holds as
    numbers pass through."""
    if not isinstance(v, str):
        return float(v) if isinstance(v, int) and not isinstance(v, bool) and abs(v) > EXACT else v
    t = v.strip()
    if _INT.match(t):
        n = int(t)
        return float(n) if abs(n) > EXACT else n
    if _THOUSANDS.match(t) or _SPACED.match(t):
        return float(re.sub(r"[.\s\u00a0\u202f]", "", t).replace(",", "."))
    if _COMMA_THOUSANDS.match(t):
        return None
    if _DECIMAL_COMMA.match(t):
        return float(t.replace(",", "."))
    return None


def _why_not_number(v: object) -> str:
    """Why a cell was not read as a number, in Vietnamese."""
    t = str(v).strip()
    if _COMMA_THOUSANDS.match(t):
        return (f"Không phải là số rõ nghĩa: «{t}» có thể là {t.replace(',', '.')} (viết kiểu Anh) hoặc "
                f"{t.split(',')[0]} phẩy {t.split(',', 1)[1]}; không đoán")
    if re.fullmatch(r"[+-]?\d+(\.\d+)+", t):
        return (f"Không phải là số rõ nghĩa: «{t}» dùng dấu chấm nhưng không phải nhóm nghìn (1.234) "
                "cũng không phải số thập phân kiểu Việt (1,5); không đoán")
    if re.fullmatch(r"[+-]?\d+([ \u00a0\u202f]+\d+)+", t):
        return f"Không phải là số rõ nghĩa: «{t}» có khoảng trắng không phải nhóm nghìn (1 000); không đoán"
    return ("Không phải là số (số gõ dạng chữ: 1.234 là một nghìn hai trăm ba mươi bốn, 12,5 là mười hai phẩy "
            "năm)")


_PERCENT = re.compile(r"^([+-]?[\d.,]+)%$")


def _rate_text(v: object) -> object:
    """A rate typed as text: "30%" or "30,5 %" is a percentage, anything else as `_number_text`."""
    if isinstance(v, str):
        m = _PERCENT.match(re.sub(r"\s*%$", "%", v.strip()))
        if m:
            n = _number_text(m.group(1))
            return None if n is None else n / 100
    return _number_text(v)


def _bool_text(v: object) -> str | None:
    """The folded text of a yes/no cell; numbers and Excel booleans by value (1.0 is 1)."""
    if _blank(v):
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return "1" if v == 1 else "0" if v == 0 else str(v)
    return fold(str(v))


def _blank(v: object) -> bool:
    return v is None or (isinstance(v, float) and np.isnan(v)) or (isinstance(v, str) and not v.strip())



def _two_way(raw: pd.Series, yes: set[str] | frozenset[str], no: set[str] | frozenset[str]) -> pd.Series:
    """Cells read as True (a form in `yes`), False (in `no`) or missing (anything else, blanks)."""
    folded = raw.map(_bool_text)
    out = pd.Series(pd.NA, index=raw.index, dtype="boolean")
    out[folded.isin(yes)] = True
    out[folded.isin(no)] = False
    return out

class _Sheet:
    """Typing one sheet's columns while recording issues against Excel cells."""

    def __init__(self, raw: RawSheet, file: str, issues: list[Issue], max_count: int = MAX_COUNT):
        self.raw, self.file, self.issues = raw, file, issues
        self.frame = raw.frame
        self.max_count = max_count

    def issue(self, rows: pd.Series, column: Column, values: pd.Series, rule: str, severity: str = ERROR,
              fix: str | None = None) -> None:
        letter = self.raw.columns_at.get(column.key)
        where = f"{column.label} ({letter})" if letter else column.label
        for r, v in zip(self.frame.loc[rows, ROW], values[rows]):
            self.issues.append(Issue(self.file, self.raw.name, int(r), where, v, rule, severity, fix=fix,
                                     letter=letter))

    def column(self, col: Column, scale: Scale | None, emulation: Scale | None = None) -> pd.Series:
        f = self.frame
        if col.key not in f.columns:  # an absent optional column reads as blank cells of its type
            dtype = {"bool": "boolean", "verdict": "boolean", "count": "Int64", "year": "Int64", "score": "Float64",
                     "rate": "Float64"}.get(col.kind, "object")
            out = pd.Series(pd.NA, index=f.index, dtype=dtype)
            return out if col.default is None else out.fillna(col.default)
        raw = f[col.key]
        blank = raw.map(_blank).astype(bool)
        if self.raw.uncomputed:  # a formula without a stored result is reported as such, not as a blank
            formula = f[ROW].map(lambda r: (r, col.key) in self.raw.uncomputed).astype(bool)
            blank_reported = blank & ~formula
        else:
            blank_reported = blank
        if not col.allow_blank and blank_reported.any():
            self.issue(blank_reported, col, raw, f"Thiếu {col.label.lower()} (ô bắt buộc)",
                       fix=f"Điền {col.label.lower()} vào ô này")
        if col.warn_blank and blank_reported.any():
            self.issue(blank_reported, col, raw, "Ô trống: chưa có số liệu (ô trống không được hiểu là 0)", WARNING,
                       fix="Điền số liệu; nếu thật sự bằng không, gõ 0 (hoặc «Không» với cột có/không)")
        kind = col.kind
        if kind in ("code", "text"):
            out = raw.map(lambda v: None if _blank(v) else squeeze(_code(v) if kind == "code" else str(v)))
            return out.astype("object").where(~blank, pd.NA if col.default is None else col.default)
        if kind in ("cap", "loai_hinh"):
            allowed = CAP if kind == "cap" else LOAI_HINH
            table = {fold(a): a for a in allowed}
            if kind == "cap":
                table.update({fold(v): k for k, v in TEN_CAP.items()} | {"coso": "co_so"})
            mapped = raw.map(lambda v: None if _blank(v) else table.get(fold(str(v))))
            bad = ~blank & mapped.isna()
            if bad.any():
                self.issue(bad, col, raw, f"Giá trị không hợp lệ; chỉ nhận: {', '.join(allowed)}",
                           fix=f"Gõ một trong các giá trị: {', '.join(allowed)}")
            return mapped.where(~blank, col.default).astype("object")
        if kind == "verdict":
            out = _two_way(raw, _PASSED, _FAILED)
            bad = ~blank & out.isna()
            if bad.any():
                self.issue(bad, col, raw, "Không phải kết quả thẩm định (nhận «Đạt» hoặc «Chưa đạt»; để trống nếu "
                                          "chưa có kết quả)", fix="Gõ «Đạt» hoặc «Chưa đạt»")
            return out
        if kind == "bool":
            out = _two_way(raw, _TRUE, _FALSE)
            bad = ~blank & out.isna()
            for idx in bad[bad].index:  # Có/Không typed in an old font encoding ("Cã", "Coù")
                for text, enc in readings(str(raw[idx])):
                    if fold(text) in _TRUE or fold(text) in _FALSE:
                        out[idx] = fold(text) in _TRUE
                        one = pd.Series(False, index=f.index)
                        one[idx] = True
                        self.issue(one, col, raw, converted(enc, "Có" if out[idx] else "Không"), WARNING,
                                   fix=LEGACY_FIX)
                        break
            bad = ~blank & out.isna()
            if bad.any():
                self.issue(bad, col, raw, "Không phải giá trị có/không (nhận Có/Không, x/để trống, 1/0, TRUE/FALSE)",
                           fix="Gõ «Có» hoặc «Không»")
            if col.default is not None:
                out = out.fillna(col.default)
            return out
        if kind == "emulation":
            if emulation is None:
                return raw.where(~blank, pd.NA).astype(object)
            kind, scale = "rating", emulation
        if kind in ("count", "year", "score", "rate"):
            is_bool = raw.map(lambda v: isinstance(v, bool)).astype(bool)
            parsed = raw.where(~is_bool | blank).map(_rate_text if kind == "rate" else _number_text,
                                                     na_action="ignore")
            num = pd.to_numeric(parsed, errors="coerce").astype("Float64")
            infinite = (num.abs() == float("inf")).fillna(False).astype(bool)
            bad = (~blank & num.isna()) | is_bool | infinite
            if bad.any():
                why = raw.map(_why_not_number)
                for rule in why[bad].unique():
                    self.issue(bad & (why == rule), col, raw, rule,
                               fix="Gõ lại số: một nghìn gõ 1000 hoặc 1.000, một phẩy năm gõ 1,5"
                               if rule.startswith("Không phải là số rõ nghĩa") else
                               "Chỉ gõ con số, không kèm chữ hay đơn vị (ví dụ 25, không phải «25 đv»)")
            num = num.where(~bad)
            ok = num.notna()
            if kind == "count":
                neg = ok & (num < 0)
                frac = ok & ~neg & (num != num.round())
                huge = ok & ~neg & ~frac & (num > self.max_count)
                if neg.any():
                    self.issue(neg, col, raw, "Số lượng không được âm", fix="Gõ số từ 0 trở lên")
                if frac.any():
                    self.issue(frac, col, raw, "Số lượng phải là số nguyên",
                               fix="Gõ số nguyên (số người, số lần); ô định dạng % sẽ thành số thập phân")
                if huge.any():
                    self.issue(huge, col, raw, f"Số lượng quá lớn, không thể là số thật (giới hạn {so(self.max_count)}, "
                                               "đặt trong tham số gioi_han.so_luong_toi_da)",
                               fix="Kiểm tra lại ô (gõ thừa chữ số, dán nhầm mã số); nếu đúng, nâng giới hạn "
                                   "gioi_han.so_luong_toi_da trong tệp tham số")
                return num.where(~(neg | frac | huge)).round().astype("Int64")
            if kind == "year":
                badyear = ok & ((num != num.round()) | (num < 1900) | (num > 2100))
                if badyear.any():
                    self.issue(badyear, col, raw, "Năm không hợp lệ (cần số nguyên, ví dụ 2021)",
                               fix="Gõ năm bằng bốn chữ số, ví dụ 2021")
                return num.where(~badyear).round().astype("Int64")
            top, rule = (1, "Tỉ lệ phải từ 0 đến 1 (nhập 0,3 hoặc định dạng ô 30%)") if kind == "rate" else \
                (100, "Điểm phải từ 0 đến 100")
            out_range = ok & ((num < 0) | (num > top))
            if out_range.any():
                self.issue(out_range, col, raw, rule, fix="Gõ lại giá trị trong khoảng cho phép")
            return num.where(~out_range)
        if kind == "rating":
            assert scale is not None
            codes, unknown = scale.resolve(raw)
            if unknown.any():
                accepted = "; ".join(f"{lv.code} ({lv.label})" for lv in scale.levels)
                self.issue(unknown, col, raw, f"Xếp loại không có trong thang «{scale.name}»: {accepted}",
                           fix="Gõ mã hoặc tên mức xếp loại như trong thang, ví dụ HTXSNV")
            return codes
        raise AssertionError(kind)


def _code(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _type_sheet(raw: RawWorkbook, key: str, scale: Scale, issues: list[Issue],
                emulation: Scale | None = None, max_count: int = MAX_COUNT) -> pd.DataFrame:
    columns = ALL_SHEETS[key]
    sheet = raw.sheets.get(key)
    if sheet is None:
        frame = pd.DataFrame({c.key: pd.Series(dtype="object") for c in columns})
        frame[ROW] = pd.Series(dtype="int64")
        return frame
    s = _Sheet(sheet, raw.file, issues, max_count)
    for c in columns:
        if c.required and c.key not in sheet.frame.columns:
            issues.append(Issue(raw.file, sheet.name, sheet.header_row, c.label, None,
                                f"Thiếu cột bắt buộc «{c.key}» ({c.label})"))
    out = pd.DataFrame({c.key: s.column(c, scale, emulation) for c in columns}, index=sheet.frame.index)
    out[ROW] = sheet.frame[ROW].astype("int64")
    return out


def _issues(frame: pd.DataFrame, mask: pd.Series, file: str, sheet: str, column: str, value_col: str | None,
            rule, fix=None, severity: str = ERROR, letters: dict[str, str] | None = None) -> list[Issue]:
    """Issues for the rows under `mask` only (the checks themselves are vectorised). `rule` and
    `fix` may be functions of the row; `letters` (key -> Excel column) locates the cell."""
    rows = frame[mask.fillna(False).astype(bool)]
    key = value_col or next((c.key for cols in ALL_SHEETS.values() for c in cols if c.label == column), None)
    letter = (letters or {}).get(key) if key else None
    out = []
    for r in rows.to_dict("records"):
        v = r[value_col] if value_col else None
        out.append(Issue(file, sheet, int(r[ROW]), f"{column} ({letter})" if letter else column,
                         None if pd.isna(v) else v, rule(r) if callable(rule) else rule, severity,
                         fix=fix(r) if callable(fix) else fix, letter=letter))
    return out


_UNSAFE_CODE = re.compile(r"[/\\\x00-\x1f\x7f:*?\"<>|]|^\.|^$")
_DEVICE = re.compile(r"^(CON|PRN|AUX|NUL|COM\d|LPT\d)(\..*)?$", re.IGNORECASE)


def _check_codes(don_vi: pd.DataFrame, file: str, sheet: str, issues: list[Issue], letters: dict[str, str]) -> None:
    """Codes name folders and files: none may leave its folder or trip an operating system."""
    code = don_vi["ma_don_vi"]
    unsafe = code.notna() & code.map(lambda c: bool(_UNSAFE_CODE.search(str(c))), na_action="ignore").fillna(False)
    issues += _issues(don_vi, unsafe, file, sheet, "Mã đơn vị", "ma_don_vi",
                      "Mã đơn vị có ký tự không dùng được trong tên thư mục (/ \\ : * ? \" < > |, ký tự điều khiển) "
                      "hoặc bắt đầu bằng dấu chấm", fix="Chỉ dùng chữ, chữ số, «-» và «_», ví dụ ST02_CS01",
                      letters=letters)
    folder = code.map(lambda c: safe_name(str(c)).casefold(), na_action="ignore")
    codes_of = don_vi[code.notna()].groupby(folder[code.notna()])["ma_don_vi"].agg(lambda c: sorted(set(c)))
    clash = code.notna() & folder.map(lambda f: len(codes_of.get(f, [])) > 1, na_action="ignore").fillna(False)
    issues += _issues(don_vi, clash, file, sheet, "Mã đơn vị", "ma_don_vi",
                      lambda r: "Các mã " + ", ".join(f"«{c}»" for c in codes_of[safe_name(str(r['ma_don_vi'])).casefold()])
                                + f" khác nhau nhưng cùng ghi vào một thư mục kết quả «{safe_name(str(r['ma_don_vi']))}» "
                                  "(khác nhau chỉ ở dấu cách, ký tự đặc biệt hoặc chữ hoa, chữ thường): văn bản của "
                                  "đơn vị này sẽ đè lên đơn vị kia",
                      fix="Đặt mã khác hẳn nhau, chỉ dùng chữ, chữ số, «-» và «_», ví dụ ST05 và ST06",
                      letters=letters)
    device = code.notna() & code.map(lambda c: bool(_DEVICE.match(str(c))), na_action="ignore").fillna(False)
    issues += _issues(don_vi, device, file, sheet, "Mã đơn vị", "ma_don_vi",
                      lambda r: f"Mã đơn vị trùng tên thiết bị của Windows; thư mục kết quả sẽ mang tên "
                                f"«{r['ma_don_vi']}_»", fix="Nên đổi mã, ví dụ thêm tiền tố của huyện",
                      severity=WARNING, letters=letters)


def _cycles(don_vi: pd.DataFrame) -> dict[str, list[str]]:
    """Units on a loop of ma_cap_tren, each with the loop as it runs from it."""
    parent = don_vi.dropna(subset=["ma_don_vi"]).drop_duplicates("ma_don_vi").set_index("ma_don_vi")["ma_cap_tren"]
    parent = parent[parent.notna()].to_dict()
    on_loop: dict[str, list[str]] = {}
    done: set[str] = set()
    for start in parent:
        path, seen = [], {}
        u = start
        while u in parent and u not in done and u not in seen:
            seen[u] = len(path)
            path.append(u)
            u = parent[u]
        if u in seen:
            loop = path[seen[u]:]
            for k, m in enumerate(loop):
                on_loop[m] = loop[k:] + loop[:k] + [m]
        done.update(path)
    return on_loop


def _check_tree(don_vi: pd.DataFrame, file: str, sheet: str, issues: list[Issue], letters: dict[str, str]) -> None:
    _check_codes(don_vi, file, sheet, issues, letters)
    dup = don_vi["ma_don_vi"].notna() & don_vi.duplicated("ma_don_vi", keep=False)
    first = don_vi[dup].groupby("ma_don_vi")[ROW].apply(list).to_dict()
    issues += _issues(don_vi, dup, file, sheet, "Mã đơn vị", "ma_don_vi",
                      lambda r: f"Mã đơn vị bị trùng (các dòng {', '.join(map(str, first[r['ma_don_vi']]))})",
                      fix="Mỗi đơn vị một mã riêng: đổi mã của đơn vị khác hoặc xóa dòng lặp", letters=letters)
    loops = _cycles(don_vi)
    on_loop = don_vi["ma_don_vi"].isin(list(loops))
    issues += _issues(don_vi, on_loop, file, sheet, "Mã đơn vị cấp trên", "ma_cap_tren",
                      lambda r: f"Vòng lặp trong cây đơn vị: {' → '.join(loops[r['ma_don_vi']])}",
                      fix="Sửa mã đơn vị cấp trên để mỗi đơn vị trực thuộc đúng một cấp cao hơn", letters=letters)
    cap_of = don_vi.drop_duplicates("ma_don_vi").set_index("ma_don_vi")["cap"]
    has_cap = don_vi["cap"].notna()
    no_parent = has_cap & don_vi["ma_cap_tren"].isna() & (don_vi["cap"] != "tinh")
    issues += _issues(don_vi, no_parent, file, sheet, "Mã đơn vị cấp trên", None,
                      "Thiếu mã đơn vị cấp trên (chỉ đơn vị cấp tỉnh được để trống)",
                      fix="Điền mã của đơn vị cấp trên trực tiếp", letters=letters)
    parent_known = don_vi["ma_cap_tren"].isin(cap_of.index)
    unknown = has_cap & don_vi["ma_cap_tren"].notna() & ~parent_known
    issues += _issues(don_vi, unknown, file, sheet, "Mã đơn vị cấp trên", "ma_cap_tren",
                      "Mã đơn vị cấp trên không có trong trang don_vi",
                      fix="Sửa mã cho đúng, hoặc thêm một dòng cho đơn vị cấp trên này", letters=letters)
    pcap = don_vi["ma_cap_tren"].map(cap_of)
    allowed = don_vi["cap"].map(lambda c: PARENT_CAP.get(c, ()))
    wrong = has_cap & parent_known & pd.Series([p not in a for p, a in zip(pcap, allowed)], index=don_vi.index)

    def wrong_level(r: dict) -> str:
        ok = " hoặc ".join(TEN_CAP[c] for c in PARENT_CAP[r["cap"]]) or "không có cấp trên"
        p = cap_of[r["ma_cap_tren"]]
        return (f"Sai cấp: {TEN_CAP[r['cap']]} phải trực thuộc {ok}, nhưng «{r['ma_cap_tren']}» là "
                f"{TEN_CAP.get(p, p)}")

    issues += _issues(don_vi, wrong & ~on_loop, file, sheet, "Mã đơn vị cấp trên", "ma_cap_tren", wrong_level,
                      fix="Sửa cấp của đơn vị hoặc mã đơn vị cấp trên", letters=letters)
    roots = int((don_vi["cap"] == "tinh").sum())
    if roots != 1:
        issues.append(Issue(file, sheet, None, "Cấp", None, f"Cần đúng một đơn vị cấp tỉnh, đang có {roots}",
                            fix="Mỗi sổ dữ liệu là một tỉnh: giữ đúng một dòng có cấp «tinh»"))


# Values a blank cell of don_vi takes, and what the default changes (contract §3).
DEFAULTED = {
    "loai_hinh": "đơn vị được tính là loại hình «khác»: không thuộc chi đoàn trên địa bàn dân cư, "
                 "không vào tỉ lệ chi đoàn dân cư đạt chuẩn",
    "dac_thu": "đơn vị được tính là không đặc thù: chấm theo bảng điểm thường",
}


def _check_defaults(raw: RawSheet, don_vi: pd.DataFrame, file: str, issues: list[Issue]) -> None:
    """A blank cell that takes a default is said, unit by unit (counting never changes silently):
    only for the units that are counted, Đoàn cơ sở and chi đoàn."""
    counted = don_vi["cap"].isin(["co_so", "chi_doan"]).fillna(False).astype(bool)
    for key, effect in DEFAULTED.items():
        if key not in raw.frame.columns:
            continue
        blank = raw.frame[key].map(_blank).astype(bool) & counted
        letter = raw.columns_at.get(key)
        col = label(key)
        issues += _issues(don_vi.assign(_ten=don_vi["ten_don_vi"]), blank, file, raw.name, col, None,
                          lambda r, e=effect, c=col: f"{c} để trống ({r['_ten']}, {r['ma_don_vi']}): {e}",
                          fix=f"Điền {col.lower()} cho đơn vị" + (
                              " (dan_cu, truong_hoc, co_quan, doanh_nghiep, luc_luong_vu_trang, khac)"
                              if key == "loai_hinh" else " (Có hoặc Không)"),
                          severity=WARNING, letters={key: letter} if letter else None)


def _check_rows(frame: pd.DataFrame, key: str, don_vi: pd.DataFrame, file: str, sheet: str,
                issues: list[Issue], letters: dict[str, str]) -> None:
    cap_of = don_vi.drop_duplicates("ma_don_vi").set_index("ma_don_vi")["cap"]
    want = SHEET_CAP[key]
    code = frame["ma_don_vi"]
    known = code.isin(cap_of.index)
    issues += _issues(frame, code.notna() & ~known, file, sheet, "Mã đơn vị", "ma_don_vi",
                      "Mã đơn vị không có trong trang don_vi",
                      fix="Sửa mã cho đúng, hoặc thêm đơn vị vào trang don_vi", letters=letters)
    level = code.map(cap_of)
    issues += _issues(frame, known & (level != want), file, sheet, "Mã đơn vị", "ma_don_vi",
                      lambda r: f"Sai cấp: trang {key} chỉ nhận {TEN_CAP[want]}, «{r['ma_don_vi']}» là "
                                f"{TEN_CAP.get(cap_of[r['ma_don_vi']], cap_of[r['ma_don_vi']])}",
                      fix="Chuyển dòng sang đúng trang, hoặc sửa mã đơn vị", letters=letters)
    keys = SHEET_KEYS[key]
    dup = frame[keys].notna().all(axis=1) & frame.duplicated(keys, keep=False)
    rows_of = frame[dup].groupby(keys)[ROW].apply(list).to_dict() if dup.any() else {}
    issues += _issues(frame, dup, file, sheet, "Mã đơn vị", "ma_don_vi",
                      lambda r: f"Đơn vị có hai dòng số liệu cho năm {r['nam']}" + (
                          f", {keys[2]} {r[keys[2]]}" if len(keys) > 2 else "") +
                      f" (các dòng {', '.join(map(str, rows_of[tuple(r[k] for k in keys)] if len(keys) > 1 else []))})",
                      fix="Giữ một dòng đúng, xóa dòng còn lại", letters=letters)
    if key == "chi_doan":
        _check_consistency(frame, file, sheet, issues, letters)
        _check_jumps(frame, file, sheet, issues, letters)


# Figures that cannot exceed another figure of the same row (contract §3 definitions). New members
# above the year-end count is only a warning: members who came of age or moved away the same year
# leave the count, so a small branch can admit more than it ends the year with.
NOT_MORE_THAN = (
    ("so_ket_nap_moi", "so_doan_vien", "Số đoàn viên kết nạp mới lớn hơn số đoàn viên", WARNING),
    ("so_dv_gioi_thieu_1_1", "so_doan_vien", "Số đoàn viên giới thiệu «1+1» lớn hơn số đoàn viên", ERROR),
    ("so_thanh_nien_tap_hop", "so_thanh_nien", "Số thanh niên được tập hợp lớn hơn số thanh niên", ERROR),
    ("so_dv_dong_doan_phi", "so_doan_vien", "Số đoàn viên đóng đoàn phí lớn hơn số đoàn viên", ERROR),
    ("so_dv_vi_pham_phap_luat", "so_doan_vien", "Số đoàn viên vi phạm pháp luật lớn hơn số đoàn viên", ERROR),
    ("so_gioi_thieu_dang", "so_doan_vien", "Số đoàn viên giới thiệu cho Đảng lớn hơn số đoàn viên", ERROR),
)


def _check_consistency(frame: pd.DataFrame, file: str, sheet: str, issues: list[Issue],
                       letters: dict[str, str]) -> None:
    for part, whole, rule, severity in NOT_MORE_THAN:
        over = frame[part].notna() & frame[whole].notna() & (frame[part] > frame[whole])
        issues += _issues(frame, over, file, sheet, label(part), part,
                          lambda r, w=whole, rule=rule: f"{rule} ({label(w).lower()}: {int(r[w])})",
                          fix=lambda r, w=whole, sev=severity: (
                              f"Kiểm tra lại hai ô: số này không thể vượt {label(w).lower()} ({int(r[w])})"
                              if sev == ERROR else "Kiểm tra lại với đơn vị; nếu đúng thì giữ nguyên"),
                          severity=severity, letters=letters)


# A figure that changes this much from the year before is worth a second look (not an error).
JUMP_COLUMNS = ("so_doan_vien", "so_thanh_nien", "so_thanh_nien_tap_hop")
JUMP_RATIO = 2.0  # doubled, or halved
JUMP_MIN = 20  # and by at least this many people


def _check_jumps(frame: pd.DataFrame, file: str, sheet: str, issues: list[Issue], letters: dict[str, str]) -> None:
    f = frame.dropna(subset=["ma_don_vi", "nam"])
    if f.empty or f["nam"].nunique() < 2:
        return
    prev = f[["ma_don_vi", "nam", *JUMP_COLUMNS]].copy()
    prev["nam"] = prev["nam"] + 1
    both = f.merge(prev, on=["ma_don_vi", "nam"], how="inner", suffixes=("", "_truoc"))
    both = both.drop_duplicates([ROW])
    for col in JUMP_COLUMNS:
        now, before = both[col].astype("Float64"), both[f"{col}_truoc"].astype("Float64")
        ok = now.notna() & before.notna()
        big = ok & ((now - before).abs() >= JUMP_MIN) & (
            (now >= JUMP_RATIO * before) | (before >= JUMP_RATIO * now))
        issues += _issues(both, big, file, sheet, label(col), col,
                          lambda r, c=col: f"Thay đổi bất thường so với năm {int(r['nam']) - 1}: "
                                           f"{int(r[c + '_truoc'])} → {int(r[c])}",
                          fix="Kiểm tra lại với đơn vị; nếu đúng (sáp nhập, chia tách…) thì giữ nguyên",
                          severity=WARNING, letters=letters)


def validate(raw: RawWorkbook, scale: Scale, emulation: Scale | None = None, max_count: int = MAX_COUNT) -> Data:
    """Type every sheet and check the tree and the rows; returns the data with every issue."""
    issues = list(raw.issues)
    frames = {key: _type_sheet(raw, key, scale, issues, emulation, max_count) for key in ALL_SHEETS
              if key in SHEETS or key in raw.sheets}
    names = {key: (raw.sheets[key].name if key in raw.sheets else key) for key in frames}
    don_vi = frames["don_vi"]
    if "don_vi" in raw.sheets:
        _check_tree(don_vi, raw.file, names["don_vi"], issues, raw.sheets["don_vi"].columns_at)
        _check_defaults(raw.sheets["don_vi"], don_vi, raw.file, issues)
    if "chi_doan" in raw.sheets and frames["chi_doan"].empty:
        issues.append(Issue(raw.file, names["chi_doan"], raw.sheets["chi_doan"].header_row, None, None,
                            "Trang chi_doan chỉ có dòng tiêu đề, không có dòng số liệu nào: không có gì để tổng hợp "
                            "(không phải 0 đoàn viên)",
                            fix="Dán số liệu của các chi đoàn vào dưới dòng tiêu đề, hoặc kiểm tra đã chọn đúng tệp"))
    for key in SHEET_CAP:
        if key in raw.sheets:
            _check_rows(frames[key], key, don_vi, raw.file, names[key], issues, raw.sheets[key].columns_at)
    issues = _attribute(issues, frames, names, don_vi)
    order = {name: k for k, name in enumerate(names[key] for key in frames)}
    issues.sort(key=lambda i: (order.get(i.sheet, -1), i.row or 0))  # the order an analyst works in
    return Data(raw.path, don_vi, frames["chi_doan"], frames["co_so"], issues,
                {k: f for k, f in frames.items() if k in OPTIONAL_SHEETS})


def _attribute(issues: list[Issue], frames: dict[str, pd.DataFrame], names: dict[str, str],
               don_vi: pd.DataFrame) -> list[Issue]:
    """Tag each issue with the district and the Đoàn cơ sở its row belongs to, so a bad reporting
    unit fails alone."""
    if not issues:
        return issues
    try:
        tree = ancestors(don_vi.dropna(subset=["ma_don_vi"]))
    except (KeyError, ValueError):
        return issues
    wanted = {(i.sheet, i.row) for i in issues if i.row is not None}
    row_unit: dict[tuple[str, int], str] = {}
    for key, frame in frames.items():
        rows = frame[frame[ROW].isin([r for s, r in wanted if s == names[key]])]
        for code, row in zip(rows["ma_don_vi"], rows[ROW]):
            if isinstance(code, str):
                row_unit[(names[key], int(row))] = code
    out = []
    for i in issues:
        code = row_unit.get((i.sheet, i.row)) if i.row is not None else None
        if code is None and (i.ma_huyen is not None or i.ma_co_so is not None):
            out.append(i)  # attributed where it was made (a unit that sent nothing)
            continue
        h, c = (tree.at[code, "ma_huyen"], tree.at[code, "ma_co_so"]) if code in tree.index else (None, None)
        out.append(i.but(ma_huyen=None if h is None or pd.isna(h) else str(h),
                         ma_co_so=None if c is None or pd.isna(c) else str(c)))
    return out


def load(path: str | Path, scale: Scale, emulation: Scale | None = None, *, cycle: Cycle | None = None,
         nam: int | None = None) -> Data:
    """Read and check a workbook; the data, with every issue found (does not raise on errors).

    `scale` checks `xep_loai`; `emulation` (the HCMC emulation ladder), where the cycle names one,
    checks `xep_loai_thi_dua`. With `cycle`, what the cycle needs is checked too: every column its
    rubrics, scale, score sheets and roll-up read, and every unit's rows for the year (`nam`, else
    the cycle's), grouped by reporting unit (a reporting unit that sent nothing is an error of its
    own)."""
    from .coverage import cycle_issues

    raw = read_workbook(path)
    data = validate(raw, scale, emulation, cycle.so_luong_toi_da if cycle is not None else MAX_COUNT)
    if cycle is not None:
        data.issues += cycle_issues(raw, data, cycle, cycle.nam if nam is None else nam)
    return data


def require_year(data: Data, nam: int) -> None:
    """Fail with a clear message when the year asked for has no data."""
    if nam not in data.years:
        have = ", ".join(str(y) for y in data.years) or "không có năm nào"
        raise DataError([Issue(data.path.name, "chi_doan", None, "Năm", nam,
                               f"Năm {nam} không có trong dữ liệu (dữ liệu có: {have})")])


def issues_frame(issues: list[Issue]) -> pd.DataFrame:
    """Issues as a table with Vietnamese headers (for the console and ISSUES.xlsx)."""
    return pd.DataFrame([i.as_row() for i in issues],
                        columns=["Mức độ", "Tệp", "Trang", "Dòng", "Cột", "Giá trị", "Quy tắc", "Cách sửa", "Ô",
                                 "Huyện"])
