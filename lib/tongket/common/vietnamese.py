"""Vietnamese done right: NFC, folding for matching, numbers, percentages, dates, sort order."""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
import pandas as pd
from babel import Locale
from babel.numbers import parse_pattern

BLANK = "……"  # a document detail not yet given (number, place, signer)
CHUA_CO_SO_LIEU = "chưa có số liệu"  # a figure the data does not give
KHONG_AP_DUNG = "–"  # a figure that does not apply

# Combining marks that carry the tone (thanh điệu); the others (breve, circumflex, horn) make
# a letter of their own (ă, â, ê, ô, ơ, ư).
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng
_ALPHABET = "a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z".split()
_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}
_LETTER_MODS = {"\u0306", "\u0302", "\u031b"}


def nfc(text: Any) -> Any:
    """Unicode NFC of a string; anything else unchanged."""
    return unicodedata.normalize("NFC", text) if isinstance(text, str) else text


def words_typed(value: Any) -> str | None:
    """A name or label typed in a rules file or sheet, as a document prints it: NFC text without
    the spaces around it, a number as typed; None for a blank (never the word «None»). A value that
    is no words (true/false, a list, a mapping) raises ValueError."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError(value)
    text = nfc(str(value)).strip()
    return text or None


_SPACES = re.compile(r"[\s\u200b\ufeff]+")


def squeeze(text: str) -> str:
    """NFC text with runs of spaces, line breaks and zero-width characters made one space, trimmed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def fold(text: str) -> str:
    """Key for matching what people typed: no diacritics, no case, no spaces or punctuation.

    "Mã đơn vị", "ma don vi", "MÃ  ĐƠN VỊ", "ma_don_vi" and NFD or old tone placement ("hoà")
    all fold to "madonvi".
    """
    return re.sub(r"[\W_]+", "", plain(text).casefold())


def plain(text: Any) -> str:
    """Text without diacritics: "Số liệu Đoàn" -> "So lieu Doan"."""
    s = unicodedata.normalize("NFD", str(text)).replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in s if not unicodedata.combining(c))


def dat(v: Any, missing: str = "–") -> str:
    """A verdict as analysts read it: "Đạt", "Chưa đạt", or `missing` where there is none."""
    return missing if is_missing(v) else ("Đạt" if bool(v) else "Chưa đạt")


def _round_half_up(x: float, digits: int) -> Decimal:
    q = Decimal(1).scaleb(-digits)
    return Decimal(repr(float(x))).quantize(q, rounding=ROUND_HALF_UP)


def is_missing(x: Any) -> bool:
    """True for None, NaN, pandas NA."""
    if x is None:
        return True
    try:
        return bool(x != x) or (isinstance(x, float) and math.isnan(x))
    except (TypeError, ValueError):
        return str(x) in {"<NA>", "NaT"}


@functools.cache
def _pattern(digits: int) -> Any:
    """Babel's number pattern, parsed once (format_decimal parses it on every call)."""
    return parse_pattern("#,##0" + ("." + "0" * digits if digits else ""))


@functools.cache
def _vi() -> Locale:
    return Locale.parse("vi")


def so(x: Any, digits: int = 0) -> str:
    """A number in Vietnamese form: thousands dot, decimal comma, half-up ("1.234", "12,5")."""
    if is_missing(x):
        return BLANK
    return _formatted(str(_round_half_up(float(x), digits)), digits)


@functools.lru_cache(maxsize=1 << 14)
def _formatted(d: str, digits: int) -> str:
    """Babel's rendering of a rounded number, keyed by its exact text (Decimal("-0") equals
    Decimal("0")), worked out once: the same few thousand figures recur in every document."""
    return _pattern(digits).apply(Decimal(d), _vi())


def diem(x: Any) -> str:
    """Points with at most one decimal and no trailing zero: 340 -> "340", 85.25 -> "85,3"."""
    return so(x, 1).removesuffix(",0")


def phan_tram(rate: Any, digits: int = 1) -> str:
    """A fraction as a Vietnamese percentage, half-up: 0.8885 -> "88,9%"."""
    if is_missing(rate):
        return BLANK
    return so(Decimal(repr(float(rate))) * 100, digits) + "%"


def diem_phan_tram(delta: Any, digits: int = 1) -> str:
    """A difference of two rates in percentage points, signless: 0.052 -> "5,2 điểm phần trăm"."""
    return f"{so(abs(float(delta)) * 100, digits)} điểm phần trăm"


def diem_phan_tram_dau(delta: Any, digits: int = 1) -> str:
    """A signed change of a rate for tables: "+5,2 điểm phần trăm", "−3,5 điểm phần trăm", "0" when
    it rounds to 0 (give it `hieu_ty_le` of the two rates, so that it equals the printed figures')."""
    if is_missing(delta):
        return CHUA_CO_SO_LIEU
    shown = so(abs(float(delta)) * 100, digits)
    if float(_round_half_up(abs(float(delta)) * 100, digits)) == 0:
        return "0"
    return ("+" if float(delta) > 0 else "−") + shown + " điểm phần trăm"


def ngay_van_ban(d: date | None) -> str:
    """The official date form: "ngày 09 tháng 02 năm 2018", "ngày 31 tháng 7 năm 2018"."""
    if d is None:
        return f"ngày {BLANK} tháng {BLANK} năm {BLANK}"
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


def ngay_bang(d: date | None) -> str:
    """A date in a table: dd/mm/yyyy."""
    return BLANK if d is None else d.strftime("%d/%m/%Y")


def la_ma(n: int) -> str:
    """Roman numerals for the parts of a document (I, II, III, IV …)."""
    vals = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
            (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = []
    for v, s in vals:
        while n >= v:
            out.append(s)
            n -= v
    return "".join(out)


def _letters(token: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    primary: list[int] = []
    tones: list[int] = []
    for ch in unicodedata.normalize("NFC", token.casefold()):
        decomposed = unicodedata.normalize("NFD", ch)
        base, marks = decomposed[0], decomposed[1:]
        tone = 0
        letter = base
        for m in marks:
            if m in _TONES:
                tone = _TONES[m]
            elif m in _LETTER_MODS:
                letter += m
        letter = unicodedata.normalize("NFC", letter)
        primary.append(_RANK.get(letter, 1000 + ord(letter[0])))
        tones.append(tone)
    return tuple(primary), tuple(tones)


def sort_key(text: Any) -> tuple:
    """Vietnamese collation with natural numbers: "Phường 2" < "Phường 10", "Đông" < "Yên".

    Letters first compare by the alphabet (a ă â … đ … ư …), then by tone (none < huyền < hỏi <
    ngã < sắc < nặng), then as typed.
    """
    return _sort_key(nfc("" if is_missing(text) else str(text)).strip())


@functools.lru_cache(maxsize=1 << 16)
def _sort_key(s: str) -> tuple:
    """`sort_key` of a trimmed NFC string, worked out once per name in a process (names recur in
    every table and document of a run)."""
    primary: list[tuple] = []
    tones: list[tuple] = []
    for token in re.findall(r"\d+|\D+", s):
        if token.isdigit():
            primary.append((0, int(token), ()))
        else:
            p, t = _letters(token)
            primary.append((1, 0, p))
            tones.append(t)
    return (tuple(primary), tuple(tones), s)


def order_by_name(names: pd.Series) -> np.ndarray:
    """Positions that sort `names` in Vietnamese order; one sort key per distinct name."""
    codes, uniques = pd.factorize(names.astype(object).where(names.notna(), ""), sort=False)
    rank_of_unique = np.empty(len(uniques), dtype=np.int64)
    keys = [sort_key(u) for u in uniques.tolist()]
    rank_of_unique[sorted(range(len(keys)), key=keys.__getitem__)] = np.arange(len(keys))
    return np.argsort(rank_of_unique[codes], kind="stable")


def upper(text: Any) -> str:
    """Capitals for header lines, keeping diacritics (NFC)."""
    return nfc(str(text)).upper()


def ty_le_hien_thi(rate: Any, digits: int = 1) -> float | None:
    """A rate as printed, in percent, half-up: 0.72355 -> 72.4 (the figure a reader sees)."""
    if is_missing(rate):
        return None
    return float(_round_half_up(float(Decimal(repr(float(rate))) * 100), digits))


def hieu_ty_le(now: Any, before: Any, digits: int = 1) -> float | None:
    """The difference of two rates as printed (a fraction): 72,4% → 75,6% gives 0.032 even when the
    unrounded rates differ by 0.0314, so a printed difference always equals the printed figures'."""
    a, b = ty_le_hien_thi(before, digits), ty_le_hien_thi(now, digits)
    if a is None or b is None:
        return None
    return float(_round_half_up(b - a, digits)) / 100


# Words that keep their capital inside a sentence (Hướng dẫn 29-HD/TWĐTN-VP: Đảng, Đoàn, Điều lệ Đoàn …).
_PROPER = ("Đảng", "Đoàn", "Điều lệ", "Hội", "Nhà nước", "Bác Hồ", "Hồ Chí Minh", "Chính phủ", "Quốc hội", "Mặt trận")


def chu_thuong(text: Any) -> str:
    """A label inside a sentence: its first letter small, proper nouns and acronyms kept
    ("Kết nạp … cho Đảng" -> "kết nạp … cho Đảng"; "Đoàn cơ sở …" and "THPT …" unchanged)."""
    s = nfc(str(text))
    first = s.split(" ", 1)[0]
    if not s or any(s.startswith(p) for p in _PROPER) or (len(first) > 1 and first.isupper()):
        return s
    return s[:1].lower() + s[1:]


def chu_hoa(text: Any) -> str:
    """A label starting a line or a cell: its first letter capital, the rest as written
    ("trên địa bàn dân cư" -> "Trên địa bàn dân cư"; the inverse of `chu_thuong` for a plain label)."""
    s = nfc(str(text))
    return s[:1].upper() + s[1:]


def trich_dan(text: Any) -> str:
    """A name quoted inside a sentence: “…”, with quotes inside it turned to ‘…’ so that the
    quotes nest (“Tỉ lệ đoàn viên thực hiện ‘1+1’”, never “… “1+1””)."""
    s = nfc(str(text)).replace("“", "‘").replace("”", "’")
    return f"“{s}”"


def so_dem(n: Any) -> str:
    """A count in prose, the one convention of every document: as `so`, never zero-padded ("1",
    "12", "1.234"; a fraction keeps one decimal). Hướng dẫn 29-HD/TWĐTN-VP pads only the day,
    the months 1–2 (`ngay_van_ban`) and the document's number; counts are plain numbers."""
    if is_missing(n):
        return BLANK
    v = float(n)
    return so(v, 0 if v.is_integer() else 1)
