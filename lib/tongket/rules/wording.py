"""How a signed document words a rule: criterion names and unmet conditions as an office writes
them («Tiêu chí 4 (…)», «chưa có mô hình … (yêu cầu ít nhất 01)»), never ids or operators.

The one generator of reason text: rubric reasons (`ly_do`), the assessment sheet's requirements
and the workbook's explorer all read it from here.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from ..common.schema import TEN_LOAI_HINH
from ..common.vietnamese import chu_thuong, phan_tram, so, so_dem

# Criterion id prefixes and the word a document uses for them.
_KIND_WORDS = (("tc", "Tiêu chí"), ("nhom", "Nhóm nội dung"), ("muc", "Mục"))
_CODE_LABEL = re.compile(r"^3CĐ\s+(\d+(?:\.\d+)*)\s+(.*)$")


def ten_tieu_chi(cid: str) -> str:
    """A criterion as a document names it: "tc4" -> "Tiêu chí 4", "nhom1" -> "Nhóm nội dung 1"."""
    m = re.fullmatch(r"([a-z_]*?)_?(\d+)", str(cid))
    if not m:
        return "Tiêu chí"
    word = next((w for p, w in _KIND_WORDS if m.group(1) == p), "Tiêu chí")
    return f"{word} {int(m.group(2))}"


def so_tieu_chi(cid: str) -> str:
    """A criterion's number alone ("tc4" -> "4"), for a list under a "Tiêu chí chưa đạt" header."""
    m = re.search(r"(\d+)$", str(cid))
    return str(int(m.group(1))) if m else ten_tieu_chi(cid)


def nhan(label: str) -> str:
    """A data column's label inside a sentence: codes like "3CĐ 1.3" become "nội dung 1.3"."""
    m = _CODE_LABEL.match(label)
    if m:
        return f"nội dung {m.group(1)} “{m.group(2)}”"
    return chu_thuong(label)


def ten_chi_so(label: str) -> str:
    """A data column's label as a table row names it: "3CĐ 1.3 Lập danh sách …" -> "1.3. Lập danh sách …"."""
    m = _CODE_LABEL.match(label)
    return f"{m.group(1)}. {m.group(2)}" if m else label


# The kinds of column a rule compares as numbers (a blank is NaN; yes/no is 1 or 0), and the text
# columns a rule may test for equality, with the words of their codes.
NUMBER_KINDS = ("bool", "count", "score", "year", "rate")
CODE_WORDS = {"loai_hinh": TEN_LOAI_HINH}


def gia_tri(v: Any, kind: str) -> str:
    """A text column's value as a document writes it: a unit kind by its name ("dan_cu" ->
    "trên địa bàn dân cư"), anything else as it is."""
    return CODE_WORDS.get(kind, {}).get(v, str(v))


def _value(v: Any, kind: str) -> str:
    if isinstance(v, bool):
        return "có" if v else "không"
    if isinstance(v, (list, tuple)):
        return "; ".join(_value(x, kind) for x in v)
    if kind in CODE_WORDS:
        return f"“{gia_tri(v, kind)}”"
    if kind == "rate":
        return phan_tram(v, 0 if float(v * 100).is_integer() else 1)
    if kind in ("count", "score"):
        return so_dem(v)
    if kind == "year" and isinstance(v, (int, float)) and float(v).is_integer():
        return str(int(v))  # a year has no thousands dot
    return so(v) if isinstance(v, (int, float)) else str(v)


_IN_SHOWN = 10  # values of an «in» list a reason lists
_OPS = {">=": "ít nhất", ">": "trên", "<=": "không quá", "<": "dưới", "=": "bằng", "!=": "khác", "in": "thuộc"}


def yeu_cau(op: str, value: Any, kind: str, other: str | None = None) -> str:
    """A requirement in words: "ít nhất 01", "không quá 20%", "có", "không có", "ít nhất bằng số đoàn viên"."""
    if other is not None:
        return f"{_OPS[op]} bằng {nhan(other)}" if op in (">=", "<=") else f"{_OPS[op]} {nhan(other)}"
    if kind == "bool" and op == "=":
        return "có" if value else "không"
    if kind in ("count", "score") and op == "=" and value == 0:
        return "không có"
    if op == "in":  # a long list: its first values and how many more (a reason stays a sentence)
        more = len(value) - _IN_SHOWN if len(value) > _IN_SHOWN + 2 else 0
        listed = _value(value[:len(value) - more], kind)
        return f"là một trong: {listed}" + (f" và {so(more)} giá trị khác" if more else "")
    if kind in CODE_WORDS:  # text: only «=» and «!=»
        return f"{'là' if op == '=' else 'khác'} {_value(value, kind)}"
    return f"{_OPS[op]} {_value(value, kind)}"


def chua_dat(label: str, kind: str, op: str, value: Any, shown: str, other: str | None = None,
             other_shown: str = "") -> str:
    """One unmet condition as a sentence part, from the column's label, its kind, the rule and the
    measured value as printed: "chưa có mô hình phát triển kinh tế (yêu cầu ít nhất 01)",
    "chưa đạt yêu cầu “Biên bản, sổ sách đầy đủ”", "số lần sinh hoạt: 07 (yêu cầu ít nhất 08)"."""
    name = nhan(label)
    if kind == "bool" and op == "=" and other is None:
        coded = _CODE_LABEL.match(label) is not None
        if not value:
            return f"có {name} (yêu cầu không có)"
        return f"chưa đạt {name}" if coded else f"chưa đạt yêu cầu “{label}”"
    if other is not None:
        return f"{name}: {shown} (yêu cầu {yeu_cau(op, value, kind, other)}: {other_shown})"
    if kind in ("count", "score") and op in (">=", ">") and shown in ("0", "00") and label.startswith("Số "):
        noun = label[3:]
        return f"chưa có {chu_thuong(noun)} (yêu cầu {yeu_cau(op, value, kind)})"
    return f"{name}: {shown} (yêu cầu {yeu_cau(op, value, kind)})"


def thieu(label: str, other: str | None = None) -> str:
    """A condition whose input is blank: never a zero, never a failure of its own."""
    return f"chưa có số liệu “{label}”" + (f" hoặc “{other}”" if other else "")


def texts(s: pd.Series, kind: str) -> pd.Series:
    """Measured values as Vietnamese text; each distinct value is formatted once."""
    if kind == "bool":
        return s.map({True: "Có", False: "Không"}).astype(object).fillna("")
    if kind in CODE_WORDS:
        return s.map(lambda v: gia_tri(v, kind), na_action="ignore").astype(object).fillna("")
    values = s.astype("Float64")
    fmt = (lambda v: phan_tram(v)) if kind == "rate" else (lambda v: str(int(v))) if kind == "year" else \
        (lambda v: so(v, 0 if float(v).is_integer() else 1))
    shown = {v: fmt(v) for v in values.dropna().unique()}
    return values.map(shown, na_action="ignore").astype(object).fillna("")


def worded(values: Any, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """`pd.factorize` of the values (an array) as a reason prints them (`reason_texts`), each
    distinct value worded once: texts in the order they first appear, and each row's text as a code."""
    raw, distinct = pd.factorize(values)
    if (raw < 0).any():  # a blank: worded with the rest
        return pd.factorize(reason_texts(pd.Series(values), kind).to_numpy(dtype=object))
    text_code, words = pd.factorize(reason_texts(pd.Series(distinct), kind).to_numpy(dtype=object))
    return text_code[raw], words


def reason_texts(s: pd.Series, kind: str) -> pd.Series:
    """Measured values as a reason prints them: counts as every document writes them (so_dem)."""
    if kind in ("count", "score"):
        values = s.astype("Float64")
        shown = {v: so_dem(v) if float(v) else "0" for v in values.dropna().unique()}
        return values.map(shown, na_action="ignore").astype(object).fillna("")
    return texts(s, kind)
