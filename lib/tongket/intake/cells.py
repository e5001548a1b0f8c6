"""Reading one cell as typed: numbers the Vietnamese way, rates, yes/no and verdicts, codes, blanks."""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time, timedelta

import numpy as np
import pandas as pd

from ..common.vietnamese import fold
from ..common.xlsx import STAND_INS

TRUE = {fold(v) for v in ("có", "co", "x", "1", "true", "đúng", "đạt", "yes")}
FALSE = {fold(v) for v in ("không", "khong", "0", "false", "sai", "no")}
# A verification result (contract §6.1): Đạt / Chưa đạt, or any yes/no form.
PASSED = TRUE
FAILED = FALSE | {fold(v) for v in ("chưa đạt", "không đạt")}

_INT = re.compile(r"^[+-]?\d+$")
# Thousands grouped the Vietnamese way, by dots (1.234, 21.049, 1.234,5), or by a space, NBSP or
# narrow NBSP (1 000): the first group has no leading zero, every other group exactly three digits.
_THOUSANDS = re.compile(r"^[+-]?[1-9]\d{0,2}(\.\d{3})+(,\d+)?$")
_SPACED = re.compile(r"^[+-]?[1-9]\d{0,2}([ \u00a0\u202f]\d{3})+(,\d+)?$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")  # 12,5
# "1,000": one thousand written the English way, or one with three decimals the Vietnamese way.
_COMMA_THOUSANDS = re.compile(r"^[+-]?[1-9]\d{0,2}(,\d{3})+$")
EXACT = 2**53  # integers beyond this are not held exactly by a float (nor by any real count)


def number_text(v: object) -> object:
    """A number typed as text, read the Vietnamese way ("1.234" and "1 234" are one thousand two
    hundred and thirty-four, "12,5" is twelve and a half); text that could mean two numbers ("1.5",
    "1,000", "0.500", "2 5") is refused (None) rather than guessed. Cells Excel already holds as
    numbers pass through (read to Excel's 15 digits already: `excel_digits`). A date or a time is no
    number (None): passed through, a column whose only figures are dates became a column of dates,
    whose blanks pandas read as -9.223.372.036.854.775.808 («không được âm») and dates as nanoseconds."""
    if isinstance(v, (date, time, timedelta)):
        return None
    if not isinstance(v, str):
        return float(v) if isinstance(v, int) and not isinstance(v, bool) and abs(v) > EXACT else v
    return _number_of(v)


def excel_digits(x: float) -> float:
    """A fraction as Excel shows it and as the analyst reads it: 15 significant digits. A formula's
    result is stored as 26.000000000000004 or 7.000000000000001 and seen as 26 or 7; read as stored,
    it was over a maximum of 26, not a whole number, not a yes (1), not a day. Only the largest
    floats, which 15 digits would round to infinity, are kept as stored."""
    y = float(f"{x:.15g}")
    return x if math.isinf(y) and not math.isinf(x) else y


def _number_of(v: str) -> int | float | None:
    """The number a text cell means, or None (see `number_text`)."""
    t = v.strip()
    if _INT.match(t):
        n = int(t)
        return float(n) if abs(n) > EXACT else n
    if _THOUSANDS.match(t) or _SPACED.match(t):
        return excel_digits(float(re.sub(r"[.\s\u00a0\u202f]", "", t).replace(",", ".")))
    if _COMMA_THOUSANDS.match(t):
        return None
    if _DECIMAL_COMMA.match(t):  # «26,000000000000004» typed: what a number cell holding it would read
        return excel_digits(float(t.replace(",", ".")))
    return None


def why_not_number(v: object) -> str:
    """Why a cell was not read as a number, in Vietnamese."""
    if isinstance(v, (date, time, timedelta)):  # «1/2» or «1-2» typed: Excel made it a date
        return ("Không phải là số: ô là ngày giờ (Excel tự đổi khi gõ kiểu 1/2, 1-2 hoặc 1:2 vào ô định dạng "
                "chung); không đọc thành số")
    t = str(v).strip()
    if re.fullmatch(r"[-–—.…]+", t):  # a dash or dots in a table: «none» to some, «not known» to others
        return (f"Không phải là số: «{t}» có thể là «không có» (0) hoặc «chưa có số liệu»; không đoán (gõ 0 nếu "
                "không có, để trống nếu chưa có số liệu)")
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


def rate_text(v: object) -> object:
    """A rate typed as text: "30%" or "30,5 %" is a percentage, anything else as `number_text`."""
    if isinstance(v, str):
        m = _PERCENT.match(re.sub(r"\s*%$", "%", v.strip()))
        if m:
            n = _number_of(m.group(1))
            return None if n is None else n / 100
    return number_text(v)


def bool_text(v: object) -> str | None:
    """The folded text of a yes/no cell; numbers and Excel booleans by value (1.0 is 1)."""
    if is_blank(v):
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return "1" if v == 1 else "0" if v == 0 else str(v)
    return fold(str(v))


def is_blank(v: object) -> bool:
    """True for an empty cell: nothing, NaN (or pandas' NA, NaT) or only spaces."""
    if isinstance(v, str):
        return not v.strip()
    return v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA or v is pd.NaT


def reads_blank(cells: pd.Series | pd.DataFrame) -> pd.Series | pd.DataFrame:
    """Which raw cells read as blank: those `is_blank` finds, and the letters another program wrote
    for nothing (`STAND_INS`: «nan», «NULL»…; the reader of typed columns also says so, cell by cell)."""
    return blank_and_stand_ins(cells)[0]


def blank_and_stand_ins(cells: pd.Series | pd.DataFrame) -> tuple[pd.Series | pd.DataFrame, pd.Series | pd.DataFrame]:
    """`reads_blank(cells)`, and which of those cells are stand-ins (each looked up once)."""
    stand_in = cells.isin(STAND_INS)
    return cells.map(is_blank).astype(bool) | stand_in, stand_in


def two_way(raw: pd.Series, yes: set[str] | frozenset[str], no: set[str] | frozenset[str]) -> pd.Series:
    """Cells read as True (a form in `yes`), False (in `no`) or missing (anything else, blanks)."""
    folded = raw.map(bool_text)
    out = pd.Series(pd.NA, index=raw.index, dtype="boolean")
    out[folded.isin(yes)] = True
    out[folded.isin(no)] = False
    return out


def code_text(v: object) -> str:
    """A unit code as text: 12.0 typed as a number is «12»."""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


_DATE_TEXT = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$")
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?\s*$")
_EXCEL_EPOCH = date(1899, 12, 30)
_FIRST_DATE, _LAST_DATE = date(1950, 1, 1), date(2100, 12, 31)  # any date the kit reads lies between


def date_of(v: object) -> date | None:
    """A cell as a date: an Excel date, an Excel day number, dd/mm/yyyy or yyyy-mm-dd text, from
    1950 to 2100. Anything else is no date: a small number in a cell formatted as a date (5 typed
    for the 5th reads as 05/01/1900) is refused, not read as a day of 1900."""
    if isinstance(v, datetime):
        v = v.date()
    if isinstance(v, date):
        return v if _FIRST_DATE <= v <= _LAST_DATE else None
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        if not 18264 <= v <= 73415 or v != int(v):  # 1950-01-01 … 2100-12-31 (NaN and infinity: outside)
            return None
        return _EXCEL_EPOCH + timedelta(days=int(v))
    text = str(v)
    m, iso = _DATE_TEXT.match(text), _ISO_DATE.match(text)
    day, month, year = (m.group(1), m.group(2), m.group(3)) if m else (iso.group(3), iso.group(2), iso.group(1)) \
        if iso else (None, None, None)
    if day is None or month is None or year is None:
        return None
    try:
        d = date(int(year), int(month), int(day))
    except ValueError:
        return None
    return d if _FIRST_DATE <= d <= _LAST_DATE else None
