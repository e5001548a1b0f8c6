"""Text typed in the old Vietnamese font encodings, TCVN3 (ABC, fonts .VnTime…) and VNI
(fonts VNI-Times…), as it arrives in an .xlsx: Excel stores the font's bytes as Latin-1
characters, so "Đoàn" reads "§oµn" (TCVN3) or "Ñoaøn" (VNI). `to_unicode` detects either and
converts it; Unicode text (NFC or NFD) is never touched.

The TCVN3 table is TCVN 5712:1993 VN3 (cross-checked with glibc's TCVN5712-1 converter);
uppercase toned letters of TCVN3 live in separate fonts with the same codes and come back in
lowercase. The VNI table is VNI-Windows: a base letter followed by a mark character.
"""

from __future__ import annotations

import re
import unicodedata

# TCVN3: one byte per letter.
_TCVN3_FROM = "µ¸¶·¹¨»¾¼½Æ©ÇÊÈÉË®ÌÐÎÏÑªÒÕÓÔÖ×ÝØÜÞßãáâä«åèæçé¬êíëìîïóñòô\u00adõøö÷ùúýûüþ¡¢§£¤¥¦"
_TCVN3_TO = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵĂÂĐÊÔƠƯ"
assert len(_TCVN3_FROM) == len(_TCVN3_TO)
_TCVN3 = str.maketrans(_TCVN3_FROM, _TCVN3_TO)

# VNI: tone marks (sắc, huyền, hỏi, ngã, nặng) after a base vowel, lower and upper case.
_TONES = ("\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
_VNI_TONE = ("ù", "ø", "û", "õ", "ï")
_VNI_TONE_HAT = ("á", "à", "å", "ã", "ä")  # after the circumflex mark "â"
_VNI_TONE_BREVE = ("é", "è", "ú", "ü", "ë")  # after the breve mark "ê"


def _vni_table() -> dict[str, str]:
    t: dict[str, str] = {}

    def add(seq: str, base: str, tone: int | None) -> None:
        text = unicodedata.normalize("NFC", base + ("" if tone is None else _TONES[tone]))
        t[seq] = text
        t[seq.upper()] = text.upper()

    for v in "aeouy":
        for k, mark in enumerate(_VNI_TONE):
            add(v + mark, v, k)
    for v, u in (("a", "â"), ("e", "ê"), ("o", "ô")):
        add(v + "â", u, None)
        for k, mark in enumerate(_VNI_TONE_HAT):
            add(v + mark, u, k)
    add("aê", "ă", None)
    for k, mark in enumerate(_VNI_TONE_BREVE):
        add("a" + mark, "ă", k)
    for one, u in (("ô", "ơ"), ("ö", "ư")):  # horn letters are one character
        add(one, u, None)
        for k, mark in enumerate(_VNI_TONE):
            add(one + mark, u, k)
    for k, one in enumerate(("í", "ì", "æ", "ó", "ò")):  # i carries its tone in one character
        add(one, "i", k)
    add("î", "y", 4)
    add("ñ", "đ", None)
    return t


_VNI = _vni_table()
_VNI_RE = re.compile("|".join(sorted(map(re.escape, _VNI), key=len, reverse=True)))

# Characters of Vietnamese in Unicode (besides ASCII): what correct text is made of.
_VIET = set("àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ")
_VIET |= {c.upper() for c in _VIET}
_TONED = {c for c in _VIET if any(m in unicodedata.normalize("NFD", c) for m in _TONES)}


def _foreign(text: str) -> int:
    """How many characters are neither ASCII, Vietnamese nor common punctuation and symbols."""
    return sum(1 for c in text if ord(c) >= 0xA0 and c not in _VIET and unicodedata.category(c)[0] == "L"
               or 0xA0 <= ord(c) <= 0xFF and c not in _VIET)


_NUCLEI = ("a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi oo ua uâ uê ui uô "
           "uơ ưa ưi ươ ưu uy ya yê uya uyê uyu iêu yêu oai oao oay oeo uây uôi ươi ươu").split()
_NUCLEUS = "|".join(sorted(_NUCLEI, key=len, reverse=True))
_SYLLABLE = re.compile(rf"(ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdđghklmnprstvx])?({_NUCLEUS})(ch|ng|nh|[cmnpt])?")


def _untoned(word: str) -> str:
    d = unicodedata.normalize("NFD", word.casefold())
    return unicodedata.normalize("NFC", "".join(c for c in d if c not in _TONES))


def _implausible(text: str) -> int:
    """Foreign characters, plus words that are not Vietnamese syllables (more than one tone mark,
    or letters no syllable is made of); plain ASCII words count for nothing."""
    bad = _foreign(text)
    for word in re.findall(r"[^\W\d_]+", text):
        if word.isascii():
            continue
        if sum(1 for c in word if c in _TONED) > 1 or not _SYLLABLE.fullmatch(_untoned(word)):
            bad += 1
    return bad


def needs_look(text: str) -> bool:
    """Cheap test: could this be legacy-encoded text (a Latin-1 character Vietnamese does not use)?"""
    return any(0xA0 <= ord(c) <= 0xFF and c not in _VIET for c in text)


def to_unicode(text: str) -> tuple[str, str | None]:
    """(text in Unicode, name of the encoding it was in) — (text, None) when it is not legacy."""
    if not isinstance(text, str):
        return text, None
    before, after, out, name = _best(text)  # letters beyond Latin-1 (ư, ơ, đ, ạ, …): Unicode already
    return (out, name) if name is not None and after < before else (text, None)


def _in_shared_letters(text: str) -> bool:
    """Letters beyond ASCII, every one of them a Latin-1 letter Vietnamese Unicode uses too, as in
    «Êp Thíi» (TCVN3 for «ấp Thới») or «Phó Êp» (valid Unicode, and TCVN3 for «Phú ấp»): `needs_look`
    does not see such text, yet it may be either."""
    return (not needs_look(text) and any(0xA0 <= ord(c) <= 0xFF for c in text)
            and not any(ord(c) > 0xFF for c in unicodedata.normalize("NFC", text)))


def _only_reading(text: str) -> tuple[int, int, str, str | None]:
    """`_best` of text in shared letters: as typed where it reads as Vietnamese; else the one legacy
    reading that does (two that do, «Khoâng» as VNI «Không» or TCVN3 «Khoõng», is no evidence)."""
    before = _implausible(text)
    if before == 0:
        return 0, 0, text, None
    plain = [(out, name) for out, name in readings(text) if out != text and _implausible(out) == 0]
    if len(plain) != 1:
        return before, before, text, None
    return before, 0, plain[0][0], plain[0][1]


def _best(text: str) -> tuple[int, int, str, str | None]:
    """(implausibility as typed, of the best legacy reading, that reading, its encoding)."""
    if text.isascii():  # no legacy letter (TCVN3's and VNI's are all beyond ASCII): as typed
        return 0, 0, text, None
    if _in_shared_letters(text):
        return _only_reading(text)
    if not needs_look(text) or any(ord(c) > 0xFF for c in unicodedata.normalize("NFC", text)):
        return 0, 0, text, None
    before = _implausible(text)
    if before == 0:
        return 0, 0, text, None
    candidates = [(_implausible(out), k, out, name) for k, (out, name) in enumerate(
        ((text.translate(_TCVN3), "TCVN3 (ABC)"), (_VNI_RE.sub(lambda m: _VNI[m.group()], text), "VNI")))]
    score, _, out, name = min(candidates)
    if out == text:
        return before, before, text, None
    return before, score, out, name


def _column(cells: list[tuple[int, str]]) -> tuple[list[tuple], str | None]:
    """Each cell looked at, and the encoding the column's clear evidence points to (if any). A text
    is looked at once however many cells hold it («Có», «Không», a type of unit)."""
    seen: dict[str, tuple[int, int, str, str | None]] = {}
    looked = [(i, v, *(seen[v] if v in seen else seen.setdefault(v, _best(eth_fixed(v))))) for i, v in cells]
    clear: dict[str, int] = {}
    for _i, _v, before, after, _out, enc in looked:
        if enc is not None and before > 0 and after == 0:
            clear[enc] = clear.get(enc, 0) + 1
    return looked, (max(clear, key=lambda e: clear[e]) if clear else None)


def decide_and_doubt(cells: list[tuple[int, str]]) -> tuple[list[tuple[int, str, str, str | None]],
                                                            list[tuple[int, str, str, str]]]:
    """One column's text cells (row, text), looked at once, -> (decisions, doubts).

    Decisions: (row, text, text to keep, encoding converted from or None). Text that reads as valid
    Vietnamese Unicode is never converted. A cell is converted when its legacy reading is plain
    Vietnamese (clear evidence), or, where the column holds such clear cells in one encoding, when
    reading it in that encoding makes it more plausible.

    Doubts: cells kept as typed because they are valid Vietnamese Unicode, in a column whose other
    cells are clearly in a legacy encoding, and whose reading in that encoding is Vietnamese too
    («Phó Êp» is also TCVN3 for «Phú ấp»): (row, text, the other reading, encoding)."""
    looked, column_enc = _column(cells)
    return _decided(looked, column_enc), _doubted(looked, column_enc)


def _decided(looked: list[tuple], column_enc: str | None) -> list[tuple[int, str, str, str | None]]:
    out = []
    for i, v, before, after, text, enc in looked:
        convert = enc is not None and before > 0 and (after == 0 or (enc == column_enc and after < before))
        out.append((i, v, text, enc) if convert else (i, v, v, None))
    return out


def _doubted(looked: list[tuple], column_enc: str | None) -> list[tuple[int, str, str, str]]:
    if column_enc is None:
        return []
    out = []
    for i, v, before, _after, _text, _enc in looked:
        # text in shared letters is doubted from two words on: one word («Có») too often reads as
        # some other syllable by chance to be worth a warning
        shared = _in_shared_letters(v) and len(v.split()) > 1
        if before != 0 or not (needs_look(v) or shared) or any(ord(c) > 0xFF for c in unicodedata.normalize("NFC", v)):
            continue
        for reading, enc in readings(v):
            if enc == column_enc and reading != v and _implausible(reading) == 0:
                out.append((i, v, unicodedata.normalize("NFC", reading), enc))
    return out


def doubted(enc: str, text: str) -> str:
    """The rule of a warning for a cell kept as typed that could be legacy text."""
    return (f"Ô có thể gõ bằng bảng mã {enc} như các ô khác cùng cột (đọc là «{text}»), nhưng cũng là chữ Unicode "
            "hợp lệ nên được giữ nguyên")


ETH_FIX = "Gõ lại chữ «Đ» bằng bộ gõ tiếng Việt (Unikey, bảng mã Unicode)"


def eth_fixed(text: str) -> str:
    """«Ð»/«ð» (U+00D0/U+00F0, Icelandic eth, which some fonts and keyboards give for Đ/đ) as
    «Đ»/«đ» where the text then reads as valid Vietnamese Unicode; otherwise the text as typed."""
    if "\u00d0" not in text and "\u00f0" not in text:
        return text
    fixed = text.replace("\u00d0", "\u0110").replace("\u00f0", "\u0111")
    return fixed if _implausible(fixed) == 0 else text


def readings(text: str) -> list[tuple[str, str]]:
    """The text read as each legacy encoding, whatever it looks like: for short words such as
    "Cã" (TCVN3) or "Coù" (VNI) that are made of letters Unicode Vietnamese also uses."""
    return [(text.translate(_TCVN3), "TCVN3 (ABC)"), (_VNI_RE.sub(lambda m: _VNI[m.group()], text), "VNI")]


FIX = "Chuyển cả tệp sang Unicode (Unikey → Công cụ chuyển mã) để số liệu lần sau không phải đoán bảng mã"


def converted(enc: str, text: str) -> str:
    """The rule of a warning for a cell converted from a legacy encoding."""
    return f"Chữ gõ bằng bảng mã {enc} đã được chuyển sang Unicode: «{text}»"
