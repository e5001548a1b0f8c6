"""The words of a signed text: a template tag or machine blank left, a code word, a unit named
twice in one list (or, where several units share its name, without its parent)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Set as AbstractSet

from ...common.vietnamese import fold, upper
from .finding import Finding, excerpt
from .reader import Block, Doc

PLACEHOLDERS = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}|(?<!\w)None(?!\w)|(?<!\w)NaN(?!\w)|(?<!\w)NaT(?!\w)|<NA>"
                           r"|(?<!\w)nan(?!\w)(?!\s+(?:giải|y)\b)")


def placeholders(doc: Doc) -> list[Finding]:
    """A template tag or a machine blank (None, nan, NaN, <NA>) left in the text."""
    out = []
    for b in doc.blocks:
        for m in PLACEHOLDERS.finditer(b.text):
            out.append(Finding(doc.name, "the_mau", excerpt(b.text, m.start(), m.end()), f"«{m.group()}»"))
    return out


def quotes(doc: Doc) -> list[Finding]:
    """Double quotes that do not pair in a paragraph or cell: “ opened inside “…” (a quote inside a
    quote is written ‘…’), a ” with no “ before it, or a “ never closed."""
    out = []
    for b in doc.blocks:
        opened = None
        for i, ch in enumerate(b.text):
            if ch == "“":
                if opened is not None:
                    out.append(Finding(doc.name, "ngoac_kep", excerpt(b.text, opened, i + 1), "«“» trong «“…”»"))
                    break
                opened = i
            elif ch == "”":
                if opened is None:
                    out.append(Finding(doc.name, "ngoac_kep", excerpt(b.text, i, i + 1), "«”» không có «“»"))
                    break
                opened = None
        else:
            if opened is not None:
                out.append(Finding(doc.name, "ngoac_kep", excerpt(b.text, opened, opened + 1), "«“» không đóng"))
    return out


# Code words: (pattern, where it applies: "all" blocks or "prose" only, what it is). One list.
CODE_WORDS: list[tuple[re.Pattern, str, str]] = [
    (re.compile(r"(?<![\w.])tc\s?\d+(?!\w)", re.IGNORECASE), "all", "mã tiêu chí, viết «Tiêu chí N (…)»"),
    (re.compile(r"(?<!\w)nhom\d+(?!\w)", re.IGNORECASE), "all", "mã nhóm tiêu chí"),
    (re.compile(r"(?<!\w)cd\d_\d(?!\w)", re.IGNORECASE), "all", "mã tiêu chí “3 chủ động”"),
    (re.compile(r"hạt giống|(?<!\w)seed(?!\w)", re.IGNORECASE), "all", "tham số kỹ thuật của phép chọn ngẫu nhiên"),
    (re.compile(r"(?<![\w/.@])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/@])"), "all", "tên trang, cột hoặc khóa của máy"),
    (re.compile(r">=|<=|==|!=|=>|=<"), "all", "toán tử lập trình"),
    (re.compile(r"(?<=\S)\s?=\s?(?=\S)|(?<=\s)=(?=\s)"), "prose", "dấu «=» trong lời văn"),
    (re.compile(r"[≥≤]\s*\d[\d.,]*\s*%?\s*\)"), "prose", "ký hiệu so sánh trong lời văn, viết «ít nhất …», «từ … trở lên»"),
    (re.compile(r"(?<!\w)(?:cho|của|vào|theo|với|cấp ủy|cấp uỷ) đảng(?!\s*(?:viên|bộ|ủy|uỷ|phí|vụ|tịch|đoàn))"),
     "all", "viết hoa «Đảng»"),
    (re.compile(r"(?<!\w)điều lệ(?!\w)"), "all", "viết hoa «Điều lệ Đoàn»"),
    (re.compile(r"mức bảo vệ"), "all", "thuật ngữ của máy, viết mức xếp loại cụ thể"),
]
_UNIT_CODE = re.compile(r"(?<![\w./-])[A-Z]{1,5}\d{2,}(?:\.\d+)*(?![\w/-])")
# Every pattern above in one, over a document's blocks joined by NUL (which XML text never holds): a
# block's match is one here too (NUL is no word character, no space and no listed sign, so each look
# before or after a block's edge sees what it sees at a string's edge, or at worst matches more). A
# signed document mostly has none, and is then passed in one search instead of a dozen per block.
_ANY_CODE = re.compile("|".join(f"(?{'i' if p.flags & re.IGNORECASE else ''}:{p.pattern})"
                                for p in [*(c[0] for c in CODE_WORDS), _UNIT_CODE]))


def code_words(doc: Doc, codes: AbstractSet[str] | None = None) -> list[Finding]:
    """Code words in a signed text: rubric ids, sheet and column names, «hạt giống», unit codes
    (ma_don_vi), programming operators, and operators or «=» in sentences."""
    out: list[Finding] = []
    if not _ANY_CODE.search("\0".join(b.text for b in doc.blocks)):
        return out
    for b in doc.blocks:
        seen: set[tuple[int, int]] = set()
        for pattern, where, what in CODE_WORDS:
            if where == "prose" and not b.prose:
                continue
            for m in pattern.finditer(b.text):
                if any(s <= m.start() < e for s, e in seen):
                    continue
                seen.add((m.start(), m.end()))
                out.append(Finding(doc.name, "tu_ma", excerpt(b.text, m.start(), m.end()),
                                   f"«{m.group().strip()}»: {what}"))
        for m in _UNIT_CODE.finditer(b.text):
            if codes is None or m.group() in codes:
                out.append(Finding(doc.name, "tu_ma", excerpt(b.text, m.start(), m.end()),
                                   f"«{m.group()}»: mã đơn vị"))
    return out


# Headers of a table column that holds unit names, and of the columns naming a unit's parent.
NAME_HEADERS = {fold(h) for h in ("Chi đoàn", "Đoàn cơ sở", "Đơn vị", "Tên đơn vị", "Tên chi đoàn", "Huyện")}
PARENT_HEADERS = {fold(h) for h in ("Thuộc Đoàn cơ sở", "Thuộc", "Thuộc đơn vị", "Đơn vị cấp trên", "Huyện")}
_UNIT_PREFIX = re.compile(r"^(?:Chi đoàn|Đoàn|Liên chi đoàn|Huyện Đoàn|Thành Đoàn|Thị Đoàn|Quận Đoàn)\s")
_MORE = re.compile(r"\s*(?:và|,)?\s*\d+ (?:đơn vị|chi đoàn|Đoàn cơ sở) khác\.?$")


def is_text(v: str) -> bool:
    """Whether a cell holds words (a name), not a number, a rate or a fraction."""
    return bool(re.search(r"[^\W\d_]", v)) and not re.fullmatch(r"[\d.,%/+−\-– ]*(?:điểm %)?", v)


def _name_columns(header: list[str], rows: list[list[str]]) -> list[int]:
    """The columns of a table that hold names (a name header, and mostly text below it)."""
    cols = []
    for j, h in enumerate(header):
        if fold(h) in NAME_HEADERS | PARENT_HEADERS:
            vals = [r[j] for r in rows if j < len(r) and r[j] not in ("", "–")]
            if vals and sum(is_text(v) for v in vals) >= 0.8 * len(vals):
                cols.append(j)
    return cols


def _split_outside(text: str, sep: str) -> list[str]:
    parts: list[str] = []
    cur: list[str] = []
    depth = 0
    i = 0
    while i < len(text):
        ch = text[i]
        depth += ch in "(«“"
        depth -= ch in ")»”"
        if depth <= 0 and text.startswith(sep, i):
            parts.append("".join(cur))
            cur, i = [], i + len(sep)
            continue
        cur.append(ch)
        i += 1
    parts.append("".join(cur))
    return parts


def _list_key(item: str) -> tuple[str, str] | None:
    """A listed unit as (name, qualifier naming its parent); None where the item is no unit."""
    item = _MORE.sub("", item.strip().rstrip(".").strip())
    if not _UNIT_PREFIX.match(item):
        return None
    m = re.match(r"^(.*?)\s*\((.*)\)$", item)
    if not m:
        return item, ""
    name, inner = m.group(1).strip(), m.group(2)
    return name, (inner if "Đoàn" in inner else "")


def unique_names(doc: Doc, ambiguous: set[str] | None = None) -> list[Finding]:
    """No unit twice in one list: the rows of a table (name with its parent column), the items of
    a list in a sentence (name with a parent in brackets). With `ambiguous` (names several units
    share), such a name also needs its parent wherever it is listed."""
    out = []
    ambiguous = ambiguous or set()
    for rows in doc.tables:
        if len(rows) < 3:
            continue
        header, body = rows[0], rows[1:]
        cols = _name_columns(header, body)
        if not cols:
            continue
        parents = [j for j in cols if fold(header[j]) in PARENT_HEADERS and j != cols[0]]
        keys = [tuple(r[j] if j < len(r) else "" for j in cols) for r in body]
        counts = Counter(k for k in keys if any(k))
        for k, n in counts.items():
            if n > 1:
                out.append(Finding(doc.name, "trung_ten", " | ".join(x for x in k if x),
                                   f"{n} dòng trong bảng «{' | '.join(header[:4])}»"))
        if not parents:
            for k in counts:
                if k[0] in ambiguous:
                    out.append(Finding(doc.name, "trung_ten", k[0],
                                       f"nhiều đơn vị cùng tên, bảng «{' | '.join(header[:4])}» không ghi đơn vị cấp trên"))
    for b in doc.blocks:
        if not b.prose or ":" not in b.text:
            continue
        for segment in b.text.split(": ")[1:]:
            sep = "; " if len(_split_outside(segment, "; ")) > 1 else ", "
            keys = [k for k in (_list_key(x) for x in _split_outside(segment, sep)) if k]
            if len(keys) < 2 and not any(k[0] in ambiguous and not k[1] for k in keys):
                continue
            for k, n in Counter(keys).items():
                if n > 1:
                    out.append(Finding(doc.name, "trung_ten", excerpt(b.text, b.text.find(k[0]), b.text.find(k[0])),
                                       f"«{k[0]}» {n} lần trong một danh sách"))
                elif k[0] in ambiguous and not k[1]:
                    out.append(Finding(doc.name, "trung_ten", excerpt(b.text, b.text.find(k[0]), b.text.find(k[0])),
                                       f"nhiều đơn vị tên «{k[0]}», cần ghi đơn vị cấp trên"))
    return out


def looks_like_code(name: str) -> bool:
    """Whether a unit's name, as typed, would itself trip the tag or code-word checks."""
    spaced = f"a: {name} a"  # as it stands in a sentence
    return bool(PLACEHOLDERS.search(spaced)) or any(p.search(spaced) for p, _, _ in CODE_WORDS)


def without_names(doc: Doc, names: AbstractSet[str]) -> Doc:
    """The document with the units' own names (printed exactly as typed, «{{» or «=» included)
    blanked out, so that only the kit's own words are judged for tags and code words."""
    ordered = sorted({v for n in names for v in (n, upper(n))}, key=len, reverse=True)  # headers print it in capitals

    def blank(text: str) -> str:
        for n in ordered:
            text = text.replace(n, "Tên đơn vị")
        return text

    return Doc(doc.name, [Block(blank(b.text), b.prose) for b in doc.blocks], doc.tables)
