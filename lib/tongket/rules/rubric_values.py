"""The values a rubric file gives, checked as it is loaded: which columns a condition may test, a
threshold in its column's range, a unit kind's codes, the words documents print (names, labels)
and points. Each refusal names the file, the criterion and what was typed (in YAML's spelling)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from ..common.files import label_words, shown
from ..common.schema import SHEETS, label
from ..errors import ConfigError
from . import wording

KINDS = {c.key: c.kind for cols in SHEETS.values() for c in cols}
# Kinds compared as numbers, with any operator or with another such column; kinds compared as
# text, only with «=», «!=» or «in», and the codes a value may take: the unit kind, the one text
# column every assessed row carries. The level is chosen by `applies_to`; names and codes are no
# rule's business. Both sets are wording's, which words their values.
NUMBER_KINDS = wording.NUMBER_KINDS
TEXT_KINDS: dict[str, tuple[str, ...]] = {k: tuple(words) for k, words in wording.CODE_WORDS.items()}


def fail(path: Path, where: str, why: str) -> ConfigError:
    return ConfigError(f"Bộ tiêu chí {path.name}, {where}: {why}")


def check_usable(col: str, path: Path, where: str) -> None:
    """A column a condition can test: numbers, yes/no, or the unit kind compared for equality. A
    level is chosen by `applies_to`, a rating by its cycle's scale; names and codes are not on the
    rows a rubric judges."""
    if KINDS[col] not in NUMBER_KINDS and KINDS[col] not in TEXT_KINDS:
        raise fail(path, where, f"cột «{col}» ({label(col)}) không dùng được trong điều kiện: điều kiện chỉ dùng cột "
                                 "số, cột có/không hoặc loại hình (loai_hinh); cấp áp dụng chọn ở «applies_to», xếp "
                                 "loại do thang xếp loại của từng kỳ quyết định")


def check_number(value: Any, col: str, kind: str, path: Path, where: str) -> None:
    """A value a numeric column is compared with: true/false for yes/no, else a number in range."""
    if kind == "bool":
        if not isinstance(value, bool):
            raise fail(path, where, f"ngưỡng của cột «{col}» phải là true/false, gặp «{shown(value)}»")
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise fail(path, where, f"ngưỡng của cột «{col}» phải là số, gặp «{shown(value)}»")
    check_threshold(path, where, col, kind, value)


def text_value(value: Any, op: str, col: str, kind: str, path: Path, where: str) -> Any:
    """A text column's value (a list for «in»), checked: only equality tests, and one of its
    column's codes."""
    if op not in ("=", "!=", "in"):
        raise fail(path, where, f"cột «{col}» là chữ: chỉ so sánh được bằng «=», «!=» hoặc «in», gặp «{shown(op)}»")
    values = value if op == "in" else [value]
    if op == "in" and (not isinstance(value, list) or not value):
        raise fail(path, where, f"phép «in» cần một danh sách giá trị không rỗng cho cột «{col}»")
    codes = TEXT_KINDS[kind]
    for v in values:
        if not isinstance(v, str) or v not in codes:
            raise fail(path, where, f"giá trị không hợp lệ «{shown(v)}» của cột «{col}» (nhận {', '.join(codes)})")
    return value


def check_threshold(path: Path, where: str, col: str, kind: str, value: float) -> None:
    """A threshold in the range of its column: counts and scores from 0, scores to 100, rates
    from 0 to 1 (a target typed 90 instead of 0.9 is refused with the fix)."""
    if value < 0:
        raise fail(path, where, f"ngưỡng «{value:g}» của cột «{col}» âm; số liệu của cột không bao giờ âm. "
                                 "Cách sửa: gõ ngưỡng từ 0 trở lên")
    if kind == "rate" and value > 1:
        fix = f"gõ {value / 100:g} cho {value:g} %" if value <= 100 else "gõ một tỉ lệ từ 0 đến 1, ví dụ 0.9"
        raise fail(path, where, f"ngưỡng «{value:g}» của cột tỉ lệ «{col}» lớn hơn 1 (100 %). Cách sửa: {fix}")
    if kind == "score" and value > 100:
        raise fail(path, where, f"ngưỡng «{value:g}» của cột điểm «{col}» lớn hơn 100. Cách sửa: gõ điểm từ 0 đến 100")


_WHAT = {"label": "tên tiêu chí in trong văn bản", "name": "tên bộ tiêu chí", "source": "văn bản gốc",
         "short": "tên ngắn trên biểu đồ"}


def words(raw: dict, key: str, path: Path, where: str, default: str | None = None) -> str:
    """A text the documents print (a name, a label) as typed, never «None» for a blank
    (`common.files.label_words`); with `default`, a blank is that default."""
    value = raw.get(key)
    if default is not None and (value is None or (isinstance(value, str) and not value.strip())):
        return default
    return label_words(value, f"Bộ tiêu chí {path.name}, {where}", f"«{key}» ({_WHAT[key]})")


def points(value: Any, path: Path, where: str) -> float | None:
    """A criterion's points, when given: a number from 0."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise fail(path, where, f"số điểm «points» phải là số từ 0 trở lên, gặp «{shown(value)}»")
    return float(value)
