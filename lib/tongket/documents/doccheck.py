"""The kit reads its own documents back, as the staffer who signs them would.

Every check takes the text of one written document (a `Doc`: its paragraphs and its tables, read
back from the .docx or .xlsx) and returns a list of `Finding` (document, rule, offending text):

- `placeholders`: a template tag or a machine blank left (``{{``, ``{%``, ``None``, ``nan``, ``<NA>``);
- `code_words`: a code word, sheet or column name, rubric id or operator in a signed text;
- `unique_names`: a name repeated in one list (a table column of units, or a list in a sentence);
- `figures`: a figure that differs from the result tables (or a printed difference that is not
  the difference of the printed figures);
- `recognised`: the decision recognises a branch or Đoàn cơ sở that does not qualify;
- `draft_state`: the decision is final while verification awaits results, or a draft when it does not.

`check_unit` runs them on a unit's folder after it is written; `after_write` applies the cycle's
`kiem_tra_van_ban` setting (fail the unit, warn, or skip); `check_output` checks a whole run's
output folder against the results recomputed from its manifest (``tongket kiem-tra-van-ban``).
"""

from __future__ import annotations

import json
import re
import zipfile
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..common.vietnamese import fold, is_missing, phan_tram, so, upper
from ..errors import RenderError
from ..rules.settings import DEFAULT_MODE

SIDECAR = ".kiem_tra_van_ban.json"  # a unit's findings, for the batch's manifest (which reads and removes it)
WARNING = "Kiểm tra văn bản: "  # how a finding starts among a unit's warnings

RULES = {
    "the_mau": "còn thẻ mẫu hoặc giá trị trống của máy",
    "tu_ma": "còn từ mã, ký hiệu kỹ thuật trong văn bản",
    "trung_ten": "tên trùng trong một danh sách (cần ghi đơn vị cấp trên)",
    "so_lieu": "số liệu khác bảng kết quả",
    "cong_nhan": "quyết định công nhận đơn vị không đủ điều kiện",
    "du_thao": "tình trạng dự thảo/chính thức của quyết định sai với kết quả thẩm định",
}

# Signed workbooks checked like documents (phu_luc.xlsx holds the machine tables of contract §5).
SIGNED_WORKBOOKS = {"phu_luc_so_lieu.xlsx"}
DECISION = "quyet_dinh_cong_nhan"
UNIT_REPORTS = ("bao_cao_tong_ket", "bao_cao_tong_hop", "bao_cao_so_ket", "phu_luc_so_lieu")


@dataclass(frozen=True)
class Finding:
    """One violation: the document, the rule broken, the offending text and what was expected."""

    document: str
    rule: str
    text: str
    detail: str = ""

    def __str__(self) -> str:
        tail = f" ({self.detail})" if self.detail else ""
        return f"{self.document}: {RULES.get(self.rule, self.rule)}: «{self.text}»{tail}"


@dataclass
class Block:
    """A paragraph, or one table cell, of a document."""

    text: str
    prose: bool  # a sentence an office writes (paragraphs, and long table cells)


@dataclass
class Doc:
    """A written document read back: its name, its text blocks in order and its tables."""

    name: str
    blocks: list[Block] = field(default_factory=list)
    tables: list[list[list[str]]] = field(default_factory=list)

    @property
    def kind(self) -> str:
        """The document kind: the file name without folder and extension (phieu_danh_gia/X → phieu_danh_gia)."""
        parts = Path(self.name).parts
        return parts[-2] if len(parts) >= 2 and parts[-2] == "phieu_danh_gia" else Path(self.name).stem


# --- reading ---------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PROSE_WORDS = 6  # a table cell with this many words is read as a sentence, not a value


def _para_text(p: Any) -> str:
    return "".join(t.text or "" for t in p.iter(f"{_W}t"))


def read_docx(path: str | Path, name: str | None = None) -> Doc:
    """A .docx as blocks (body paragraphs, table cells, headers and footers) and tables."""
    from lxml import etree

    path = Path(path)
    doc = Doc(name or path.name)
    with zipfile.ZipFile(path) as z:
        parts = [n for n in z.namelist() if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", n)]
        for part in sorted(parts, key=lambda n: n != "word/document.xml"):
            root = etree.fromstring(z.read(part))
            body = root.find(f"{_W}body") if part == "word/document.xml" else root
            if body is not None:
                _read_children(body, doc)
            for shape in root.iter("{urn:schemas-microsoft-com:vml}textpath"):  # a watermark («DỰ THẢO»)
                doc.blocks.append(Block(shape.get("string") or "", False))
    return doc


def _read_children(parent: Any, doc: Doc) -> None:
    for el in parent.iterchildren():
        if el.tag == f"{_W}p":
            doc.blocks.append(Block(_para_text(el), True))
        elif el.tag == f"{_W}tbl":
            rows = []
            for tr in el.iterchildren(f"{_W}tr"):
                cells = ["\n".join(_para_text(p) for p in tc.iter(f"{_W}p")) for tc in tr.iterchildren(f"{_W}tc")]
                rows.append([c.strip() for c in cells])
                for c in cells:
                    for line in c.split("\n"):
                        doc.blocks.append(Block(line, len(line.split()) >= PROSE_WORDS))
            doc.tables.append(rows)
        elif el.tag == f"{_W}sdt":  # content controls wrap paragraphs and tables
            content = el.find(f"{_W}sdtContent")
            if content is not None:
                _read_children(content, doc)


def read_xlsx(path: str | Path, name: str | None = None) -> Doc:
    """A signed workbook as blocks (every text cell) and tables (one per sheet)."""
    import openpyxl

    path = Path(path)
    doc = Doc(name or path.name)
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        for ws in wb.worksheets:
            rows = []
            for row in ws.iter_rows():
                cells = [shown(c.value, c.number_format) for c in row]
                while cells and not cells[-1]:
                    cells.pop()
                if cells:
                    rows.append(cells)
                for c in row:
                    if isinstance(c.value, str):
                        doc.blocks.append(Block(c.value, len(c.value.split()) >= PROSE_WORDS))
            doc.tables += _sections(rows)
    finally:
        wb.close()
    return doc


def shown(value: Any, number_format: str = "General") -> str:
    """A cell as a reader sees it in Vietnamese: the number formats the kit writes (#,##0, 0.0%,
    signed sections with a quoted unit) rendered with its decimal comma; other values as text."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    sections = (number_format or "General").split(";")
    section = sections[0] if value > 0 or len(sections) == 1 else (sections[1] if value < 0 else
                                                                   sections[2] if len(sections) > 2 else sections[0])
    m = re.fullmatch(r'([+−-]?)([#,0]*0)(?:\.(0+))?(%?)(?:"([^"]*)")?', section)
    if section == "General" or not m:
        return str(value) if section == "General" else section.strip('"')
    sign, _, decimals, percent, unit = m.groups()
    digits = len(decimals or "")
    magnitude = abs(value) if (sign or len(sections) > 1) else value
    text = phan_tram(magnitude, digits) if percent else so(magnitude, digits)
    return f"{sign}{text}{unit or ''}"


def _sections(rows: list[list[str]]) -> list[list[list[str]]]:
    """A sheet's rows cut into tables, each from its header row (STT, Năm, Hạng)."""
    out: list[list[list[str]]] = []
    for r in rows:
        if r and r[0].strip() in ("STT", "Năm", "Hạng"):
            out.append([])
        if out:
            out[-1].append(r)
    return out


def read_folder(folder: str | Path, prefix: str = "") -> list[Doc]:
    """Every document of a unit's folder: its .docx files (also per Đoàn cơ sở) and signed workbooks."""
    folder = Path(folder)
    docs = []
    for p in sorted(folder.rglob("*")):
        if p.name.startswith((".", "~$")) or not p.is_file():
            continue
        name = prefix + p.relative_to(folder).as_posix()
        if p.suffix == ".docx":
            docs.append(read_docx(p, name))
        elif p.name in SIGNED_WORKBOOKS:
            docs.append(read_xlsx(p, name))
    return docs


# --- the checks ---------------------------------------------------------------------------------------

def _excerpt(text: str, start: int, end: int, width: int = 40) -> str:
    a, b = max(0, start - width), min(len(text), end + width)
    return ("…" if a else "") + text[a:b].strip() + ("…" if b < len(text) else "")


_PLACEHOLDERS = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}|(?<!\w)None(?!\w)|(?<!\w)NaN(?!\w)|(?<!\w)NaT(?!\w)|<NA>"
                           r"|(?<!\w)nan(?!\w)(?!\s+(?:giải|y)\b)")


def placeholders(doc: Doc) -> list[Finding]:
    """A template tag or a machine blank (None, nan, NaN, <NA>) left in the text."""
    out = []
    for b in doc.blocks:
        for m in _PLACEHOLDERS.finditer(b.text):
            out.append(Finding(doc.name, "the_mau", _excerpt(b.text, m.start(), m.end()), f"«{m.group()}»"))
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


def code_words(doc: Doc, codes: set[str] | None = None) -> list[Finding]:
    """Code words in a signed text: rubric ids, sheet and column names, «hạt giống», unit codes
    (ma_don_vi), programming operators, and operators or «=» in sentences."""
    out = []
    for b in doc.blocks:
        seen: set[tuple[int, int]] = set()
        for pattern, where, what in CODE_WORDS:
            if where == "prose" and not b.prose:
                continue
            for m in pattern.finditer(b.text):
                if any(s <= m.start() < e for s, e in seen):
                    continue
                seen.add((m.start(), m.end()))
                out.append(Finding(doc.name, "tu_ma", _excerpt(b.text, m.start(), m.end()),
                                   f"«{m.group().strip()}»: {what}"))
        for m in _UNIT_CODE.finditer(b.text):
            if codes is None or m.group() in codes:
                out.append(Finding(doc.name, "tu_ma", _excerpt(b.text, m.start(), m.end()),
                                   f"«{m.group()}»: mã đơn vị"))
    return out


# Headers of a table column that holds unit names, and of the columns naming a unit's parent.
NAME_HEADERS = {fold(h) for h in ("Chi đoàn", "Đoàn cơ sở", "Đơn vị", "Tên đơn vị", "Tên chi đoàn", "Huyện")}
PARENT_HEADERS = {fold(h) for h in ("Thuộc Đoàn cơ sở", "Thuộc", "Thuộc đơn vị", "Đơn vị cấp trên", "Huyện")}
_UNIT_PREFIX = re.compile(r"^(?:Chi đoàn|Đoàn|Liên chi đoàn|Huyện Đoàn|Thành Đoàn|Thị Đoàn|Quận Đoàn)\s")
_MORE = re.compile(r"\s*(?:và|,)?\s*\d+ (?:đơn vị|chi đoàn|Đoàn cơ sở) khác\.?$")


def _is_text(v: str) -> bool:
    return bool(re.search(r"[^\W\d_]", v)) and not re.fullmatch(r"[\d.,%/+−\-– ]*(?:điểm %)?", v)


def _name_columns(header: list[str], rows: list[list[str]]) -> list[int]:
    """The columns of a table that hold names (a name header, and mostly text below it)."""
    cols = []
    for j, h in enumerate(header):
        if fold(h) in NAME_HEADERS | PARENT_HEADERS:
            vals = [r[j] for r in rows if j < len(r) and r[j] not in ("", "–")]
            if vals and sum(_is_text(v) for v in vals) >= 0.8 * len(vals):
                cols.append(j)
    return cols


def _split_outside(text: str, sep: str) -> list[str]:
    parts, depth, cur = [], 0, []
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
                    out.append(Finding(doc.name, "trung_ten", _excerpt(b.text, b.text.find(k[0]), b.text.find(k[0])),
                                       f"«{k[0]}» {n} lần trong một danh sách"))
                elif k[0] in ambiguous and not k[1]:
                    out.append(Finding(doc.name, "trung_ten", _excerpt(b.text, b.text.find(k[0]), b.text.find(k[0])),
                                       f"nhiều đơn vị tên «{k[0]}», cần ghi đơn vị cấp trên"))
    return out


# --- figures -------------------------------------------------------------------------------------------

@dataclass
class Expected:
    """What a unit's documents must say: its result rows and the lists a decision may name."""

    ma_don_vi: str
    nam: int
    years: dict[int, pd.Series] = field(default_factory=dict)  # the unit's huyen/tinh (or own rollup) row by year
    rows: dict[str, dict[int, pd.Series]] = field(default_factory=dict)  # unit name -> year -> row (listed units)
    recognisable: dict[tuple[str, str], str] | None = None  # (branch, its Đoàn cơ sở) -> "" or why not
    ba_chu_dong: dict[str, bool] | None = None  # Đoàn cơ sở name -> "3 chủ động"
    awaiting: list[str] = field(default_factory=list)  # branches drawn for verification, no result yet
    codes: set[str] = field(default_factory=set)
    ambiguous: set[str] = field(default_factory=set)
    typed: set[str] = field(default_factory=set)  # names as the workbook types them that look like tags or code

    @property
    def now(self) -> pd.Series | None:
        return self.years.get(self.nam)

    @property
    def before(self) -> pd.Series | None:
        return self.years.get(self.nam - 1)


def _count(x: Any) -> str | None:
    return None if is_missing(x) else so(x)


def _rate(x: Any) -> str | None:
    return None if is_missing(x) else phan_tram(x)


# The figures a sentence states: (pattern, the result column of each group, its kind).
SENTENCES: list[tuple[re.Pattern, list[tuple[str, str]]]] = [
    (re.compile(r"có ([\d.]+)/([\d.]+) chi đoàn trên địa bàn dân cư đạt chuẩn, tỉ lệ ([\d.,]+%)"),
     [("so_chi_doan_dat_chuan", "so"), ("so_chi_doan_dan_cu", "so"), ("ty_le_dat_chuan", "ty_le")]),
    (re.compile(r"Có ([\d.]+)/([\d.]+) Đoàn cơ sở đạt tiêu chí “3 chủ động”(?:, tỉ lệ ([\d.,]+%))?"),
     [("so_co_so_ba_chu_dong", "so"), ("so_co_so", "so"), ("so_co_so_ba_chu_dong/so_co_so", "ty_le_phan_so")]),
    (re.compile(r"trong đó ([\d.]+) hoàn thành xuất sắc nhiệm vụ, ([\d.]+) hoàn thành tốt nhiệm vụ, ([\d.]+) hoàn "
                r"thành nhiệm vụ, ([\d.]+) không hoàn thành nhiệm vụ"),
     [("so_htxs", "so"), ("so_htt", "so"), ("so_ht", "so"), ("so_kht", "so")]),
    (re.compile(r"Có ([\d.]+)/([\d.]+) Đoàn cơ sở đạt mục tiêu"), [("so_co_so_dat_muc_tieu", "so"), (None, "")]),
    (re.compile(r"xếp loại ([\d.]+)/([\d.]+) Đoàn cơ sở, tỉ lệ ([\d.,]+%)"),
     [(None, ""), ("so_co_so", "so"), ("ty_le_duoc_xep_loai", "ty_le")]),
    (re.compile(r"nâng bậc xếp loại so với năm \d{4}, tỉ lệ ([\d.,]+%)"), [("ty_le_nang_bac", "ty_le")]),
    (re.compile(r"Tỉ lệ tập hợp thanh niên đạt ([\d.,]+%)"), [("ty_le_tap_hop", "ty_le")]),
    (re.compile(r"Có ([\d.,]+%) đoàn viên giới thiệu ít nhất một thanh niên"), [("ty_le_dv_1_1", "ty_le")]),
    (re.compile(r"thu hút ([\d.]+) thanh niên"), [("so_thanh_nien_1_1", "so")]),
    (re.compile(r"[Kk]ết nạp ([\d.]+) đoàn viên mới"), [("so_ket_nap_moi", "so")]),
    (re.compile(r"giới thiệu ([\d.]+) đoàn viên ưu tú"), [("so_gioi_thieu_dang", "so")]),
]
# A rate followed by its change: «68,0%, tăng 1,3 điểm phần trăm so với năm 2020».
_CHANGE = re.compile(r"([\d.,]+)%, (tăng|giảm) ([\d.,]+) điểm phần trăm so với năm (\d{4})")
# A count followed by its change: «Kết nạp 918 đoàn viên mới, giảm 33 đoàn viên (3,5%) so với năm 2020».
_COUNT_CHANGE = re.compile(r"Kết nạp ([\d.]+) đoàn viên mới, (tăng|giảm) ([\d.]+) đoàn viên(?: \(([\d.,]+%)\))? "
                           r"so với năm (\d{4})")

# Rows of the appendix and columns of unit tables, by their (folded) label: the result column.
LABELS: dict[str, tuple[str, str]] = {fold(k): v for k, v in {
    "Số Đoàn cơ sở": ("so_co_so", "so"),
    "Số chi đoàn": ("so_chi_doan", "so"),
    "Số đoàn viên": ("so_doan_vien", "so"),
    "Đoàn viên kết nạp mới": ("so_ket_nap_moi", "so"),
    "Đoàn viên ưu tú giới thiệu cho Đảng": ("so_gioi_thieu_dang", "so"),
    "Tỉ lệ tập hợp thanh niên": ("ty_le_tap_hop", "ty_le"),
    "Chi đoàn trên địa bàn dân cư": ("so_chi_doan_dan_cu", "so"),
    "Chi đoàn dân cư": ("so_chi_doan_dan_cu", "so"),
    "Chi đoàn trên địa bàn dân cư đạt chuẩn": ("so_chi_doan_dat_chuan", "so"),
    "Đạt chuẩn": ("so_chi_doan_dat_chuan", "so"),
    "Tỉ lệ chi đoàn dân cư đạt chuẩn": ("ty_le_dat_chuan", "ty_le"),
    "Tỉ lệ chi đoàn trên địa bàn dân cư đạt chuẩn": ("ty_le_dat_chuan", "ty_le"),
    "Tỉ lệ": ("ty_le_dat_chuan", "ty_le"),
    "Tỉ lệ đạt chuẩn": ("ty_le_dat_chuan", "ty_le"),
    "Đoàn cơ sở đạt “3 chủ động”": ("so_co_so_ba_chu_dong", "so"),
    "Tỉ lệ Đoàn cơ sở được đánh giá, xếp loại": ("ty_le_duoc_xep_loai", "ty_le"),
    "Được xếp loại": ("ty_le_duoc_xep_loai", "ty_le"),
    "Tỉ lệ Đoàn cơ sở nâng bậc": ("ty_le_nang_bac", "ty_le"),
    "Hạ bậc": ("so_ha_bac", "so"),
    "Tỉ lệ đoàn viên thực hiện “1+1”": ("ty_le_dv_1_1", "ty_le"),
    "Thanh niên vào Đoàn, Hội qua “1+1”": ("so_thanh_nien_1_1", "so"),
    "Tỉ lệ Đoàn cơ sở thực hiện đợt cao điểm": ("ty_le_dot_cao_diem", "ty_le"),
    # the rows of the targets table (Chỉ tiêu | Mục tiêu | Thực hiện | Đánh giá)
    "Tỉ lệ Đoàn cơ sở nâng ít nhất một bậc": ("ty_le_nang_bac", "ty_le"),
    "Tỉ lệ Đoàn cơ sở thực hiện đợt cao điểm đúng tiến độ": ("ty_le_dot_cao_diem", "ty_le"),
    "Đoàn cơ sở từ mức “Hoàn thành tốt nhiệm vụ” trở lên bị hạ bậc": ("so_ha_bac", "so"),
    # the columns of the tables by year (sơ kết) and by unit
    "Đoàn cơ sở": ("so_co_so", "so"),
    "Chi đoàn": ("so_chi_doan", "so"),
    "Đoàn viên": ("so_doan_vien", "so"),
    "Kết nạp mới": ("so_ket_nap_moi", "so"),
    "Giới thiệu Đảng": ("so_gioi_thieu_dang", "so"),
    "Tỉ lệ tập hợp": ("ty_le_tap_hop", "ty_le"),
    "“1+1”": ("ty_le_dv_1_1", "ty_le"),
    "Nâng bậc": ("ty_le_nang_bac", "ty_le"),
    "Đạt chuẩn / chi đoàn dân cư": ("so_chi_doan_dat_chuan/so_chi_doan_dan_cu", "phan_so"),
    "3 chủ động": ("so_co_so_ba_chu_dong/so_co_so", "phan_so"),
}.items()}


def _fmt(row: pd.Series | None, col: str | None, kind: str) -> str | None:
    """A result as the documents print it: a count, a rate, or a count over a count."""
    if row is None or col is None:
        return None
    if kind in ("phan_so", "ty_le_phan_so"):
        a, b = col.split("/")
        if a not in row.index or b not in row.index or is_missing(row[a]) or is_missing(row[b]):
            return None
        if kind == "ty_le_phan_so":
            return phan_tram(row[a] / row[b]) if row[b] else None
        return f"{so(row[a])}/{so(row[b])}"
    if col not in row.index:
        return None
    return _count(row[col]) if kind == "so" else _rate(row[col])


def _num(text: str) -> float | None:
    t = text.strip().replace("−", "-").removesuffix("%").replace(".", "").replace(",", ".")
    try:
        return float(t)
    except ValueError:
        return None


def _signed_value(text: str) -> float | None:
    """The signed number a printed change starts with («+3,2 điểm phần trăm», «−1», «0»), or None."""
    m = re.match(r"\s*([+−\-]?)\s*([\d.]*\d(?:,\d+)?)", text)
    if not m:
        return None
    value = float(m.group(2).replace(".", "").replace(",", "."))
    return -value if m.group(1) in ("−", "-") else value


def _same_change(printed: str, want: str) -> bool:
    """Whether a printed change says the same number as `want`, whatever unit follows it (the unit
    may sit in the column header: «Tăng, giảm (điểm phần trăm)»)."""
    a, b = _signed_value(printed), _signed_value(want)
    return a is not None and b is not None and abs(a - b) < 1e-9


def _signed(delta: float, digits: int, unit: str) -> str:
    shown = so(abs(delta), digits)
    if float(so(abs(delta), digits).replace(".", "").replace(",", ".")) == 0:
        return "0"
    return ("+" if delta > 0 else "−") + shown + unit


def figures(doc: Doc, exp: Expected) -> list[Finding]:
    """Every figure the unit's documents state against the result tables: the headline sentences,
    the appendix's rows (both years, and the printed change), the table of units below it."""
    out: list[Finding] = []

    def differ(text: str, shown: str, want: str | None, what: str) -> None:
        if want is not None and shown != want:
            out.append(Finding(doc.name, "so_lieu", text, f"{what}: văn bản ghi {shown}, bảng kết quả {want}"))

    if exp.now is not None and doc.kind in UNIT_REPORTS:
        for b in doc.blocks:
            if not b.prose:
                continue
            period = _PERIOD.search(b.text)
            if period:  # a period's totals: each count against the sum of the years it names
                out += _period_totals(doc, b.text, period, exp)
                continue
            for pattern, cols in SENTENCES:
                for m in pattern.finditer(b.text):
                    for g, (col, kind) in enumerate(cols, start=1):
                        if m.group(g) is None:
                            continue
                        differ(_excerpt(b.text, m.start(), m.end(), 0), m.group(g), _fmt(exp.now, col, kind),
                               col or "")
            for m in _COUNT_CHANGE.finditer(b.text):
                out += _count_change(doc, b.text, m, exp)
            for m in _CHANGE.finditer(b.text):
                now, delta, year = _num(m.group(1)), _num(m.group(3)), int(m.group(4))
                before = _printed_before(b.text[:m.start()] + m.group(1) + "%", exp) if year == exp.nam - 1 else None
                if now is None or delta is None or before is None:
                    continue
                want = round(now - before, 1)
                sign = "tăng" if want > 0 else "giảm"
                if abs(want) != delta or (want != 0 and m.group(2) != sign):
                    out.append(Finding(doc.name, "so_lieu", _excerpt(b.text, m.start(), m.end(), 0),
                                       f"từ {so(before, 1)}% lên {m.group(1)}% là {sign} {so(abs(want), 1)} "
                                       "điểm phần trăm"))
        for rows in doc.tables:
            out += _appendix(doc, rows, exp)
            out += _year_table(doc, rows, exp)
    if doc.kind in UNIT_REPORTS:
        for rows in doc.tables:
            out += _unit_table(doc, rows, exp)
    return out


_PERIOD = re.compile(r"(\d{4})\s*[–-]\s*(\d{4})|[Tt]ừ năm (\d{4}) đến năm (\d{4})")


def _period_totals(doc: Doc, text: str, period: re.Match, exp: Expected) -> list[Finding]:
    """«Từ năm 2018 đến năm 2021, … giới thiệu 741 đoàn viên ưu tú …»: each count of a period
    sentence against the sum of the unit's rows of those years (skipped where a year is missing)."""
    first, last = (int(g) for g in (period.group(1, 2) if period.group(1) else period.group(3, 4)))
    rows = [exp.years.get(y) for y in range(first, last + 1)]
    if any(r is None for r in rows):
        return []
    out = []
    for pattern, cols in SENTENCES:
        for m in pattern.finditer(text):
            for g, (col, kind) in enumerate(cols, start=1):
                if m.group(g) is None or kind != "so" or not col or col not in rows[0].index:
                    continue
                values = [r.get(col) for r in rows]
                if any(is_missing(v) for v in values):
                    continue
                want = so(sum(float(v) for v in values))
                if m.group(g) != want:
                    out.append(Finding(doc.name, "so_lieu", _excerpt(text, m.start(), m.end(), 0),
                                       f"{col} {first}–{last}: văn bản ghi {m.group(g)}, tổng các năm {want}"))
    return out


def _count_change(doc: Doc, text: str, m: re.Match, exp: Expected) -> list[Finding]:
    """«Kết nạp N đoàn viên mới, tăng/giảm D đoàn viên (P%) so với năm N−1» against both years."""
    if int(m.group(5)) != exp.nam - 1 or exp.before is None or exp.now is None:
        return []
    before, now = exp.before.get("so_ket_nap_moi"), exp.now.get("so_ket_nap_moi")
    if is_missing(before) or is_missing(now):
        return []
    delta = float(now) - float(before)
    sign = "tăng" if delta > 0 else "giảm"
    wrong = so(abs(delta)) != m.group(3) or (delta != 0 and m.group(2) != sign)
    if m.group(4) and before:
        wrong = wrong or phan_tram(abs(delta) / float(before)) != m.group(4)
    if not wrong:
        return []
    share = f" ({phan_tram(abs(delta) / float(before))})" if before else ""
    return [Finding(doc.name, "so_lieu", _excerpt(text, m.start(), m.end(), 0),
                    f"năm {exp.nam - 1} kết nạp {so(before)}, năm {exp.nam} {so(now)}: {sign} {so(abs(delta))} "
                    f"đoàn viên{share}")]


def _printed_before(text: str, exp: Expected) -> float | None:
    """The year-before rate (as printed, one decimal) of the rate a change follows."""
    if exp.before is None:
        return None
    for pattern, col in ((r"chi đoàn trên địa bàn dân cư đạt chuẩn, tỉ lệ [\d.,]+%$", "ty_le_dat_chuan"),
                         (r"Tỉ lệ tập hợp thanh niên đạt [\d.,]+%$", "ty_le_tap_hop"),
                         (r"Có [\d.,]+%$", "ty_le_dv_1_1")):
        if re.search(pattern, text) and col in exp.before.index and not is_missing(exp.before[col]):
            return _num(phan_tram(exp.before[col]))
    return None


def _appendix(doc: Doc, rows: list[list[str]], exp: Expected) -> list[Finding]:
    """The appendix table (Chỉ tiêu | … | Năm N−1 | Năm N | Tăng, giảm): each labelled row."""
    if not rows:
        return []
    header = rows[0]
    years = {j: int(m.group(1)) for j, h in enumerate(header) if (m := re.fullmatch(r"Năm (\d{4})", h.strip()))}
    years |= {j: exp.nam for j, h in enumerate(header) if fold(h) == fold("Thực hiện")}  # the targets table
    label_col = next((j for j, h in enumerate(header) if fold(h) == fold("Chỉ tiêu")), None)
    change_col = next((j for j, h in enumerate(header) if fold(h).startswith(fold("Tăng"))), None)
    if label_col is None or not years:
        return []
    by_year = {exp.nam: exp.now, exp.nam - 1: exp.before}
    out = []
    for r in rows[1:]:
        if label_col >= len(r) or fold(r[label_col]) not in LABELS:
            continue
        col, kind = LABELS[fold(r[label_col])]
        for j, y in years.items():
            if j < len(r) and r[j] not in ("", "–", "……"):
                want = _fmt(by_year.get(y), col, kind)
                if want is not None and r[j] != want:
                    out.append(Finding(doc.name, "so_lieu", " | ".join(r),
                                       f"{r[label_col]} năm {y}: văn bản ghi {r[j]}, bảng kết quả {want}"))
        if change_col is not None and len(years) == 2 and change_col < len(r):
            (j0, _), (j1, _) = sorted(years.items(), key=lambda kv: kv[1])
            a, b = _num(r[j0]), _num(r[j1])
            if a is None or b is None or r[change_col] in ("", "–"):
                continue
            want = _signed(b - a, 1, " điểm %") if kind == "ty_le" else _signed(b - a, 0, "")
            if not _same_change(r[change_col], want):
                out.append(Finding(doc.name, "so_lieu", " | ".join(r),
                                   f"{r[label_col]}: mức tăng, giảm ghi {r[change_col]}, hiệu hai số đã ghi là {want}"))
    return out


def _year_table(doc: Doc, rows: list[list[str]], exp: Expected) -> list[Finding]:
    """A table by year (Năm | … ): each known figure of each year against the unit's row of that
    year, and «So với năm trước» against the printed rates of two rows."""
    if len(rows) < 2 or fold(rows[0][0]) != fold("Năm"):
        return []
    header = rows[0]
    cols = {j: LABELS[fold(h)] for j, h in enumerate(header) if j and fold(h) in LABELS}
    change = next((j for j, h in enumerate(header) if fold(h) == fold("So với năm trước")), None)
    rate = next((j for j, (c, k) in cols.items() if c == "ty_le_dat_chuan"), None)
    out, previous = [], None
    for r in rows[1:]:
        year = int(r[0]) if re.fullmatch(r"\d{4}", r[0].strip()) else None
        row = exp.years.get(year) if year else None
        for j, (col, kind) in cols.items():
            if row is None or j >= len(r) or r[j] in ("", "–", "……"):
                continue
            want = _fmt(row, col, kind)
            if want is not None and r[j] in ("Đạt", "Chưa đạt") and re.fullmatch(r"[01]/1", want):
                want = "Đạt" if want == "1/1" else "Chưa đạt"  # a unit's own row: its verdict, not a count
            if want is not None and r[j] != want:
                out.append(Finding(doc.name, "so_lieu", " | ".join(r),
                                   f"năm {year}, cột «{header[j]}»: văn bản ghi {r[j]}, bảng kết quả {want}"))
        if change is not None and rate is not None and max(change, rate) < len(r):
            now = _num(r[rate])
            if previous is not None and now is not None and r[change] not in ("", "–"):
                want = _signed(now - previous, 1, " điểm %")
                if not _same_change(r[change], want):
                    out.append(Finding(doc.name, "so_lieu", " | ".join(r),
                                       f"«{header[change]}» ghi {r[change]}, hiệu hai tỉ lệ đã ghi là {want}"))
            previous = now
    return out


def _unit_table(doc: Doc, rows: list[list[str]], exp: Expected) -> list[Finding]:
    """A table of units (Đoàn cơ sở, or districts in the province's ranking): each known figure."""
    if len(rows) < 2 or not exp.rows:
        return []
    header = rows[0]
    name_col = next((j for j, h in enumerate(header) if fold(h) in {fold("Đoàn cơ sở"), fold("Đơn vị")}
                     and any(_is_text(r[j]) for r in rows[1:] if j < len(r))), None)
    if name_col is None:
        return []
    cols: dict[int, tuple[str, str, int]] = {}
    for j, h in enumerate(header):
        if j == name_col:
            continue
        m = re.fullmatch(r"(.*?)\s*(?:năm\s*)?(\d{4})?", h.strip())
        label, year = m.group(1), int(m.group(2)) if m.group(2) else exp.nam
        if fold(label) in LABELS:
            cols[j] = (*LABELS[fold(label)], year)
    out = []
    for r in rows[1:]:
        if name_col >= len(r) or r[name_col] not in exp.rows:
            continue
        by_year = exp.rows[r[name_col]]
        for j, (col, kind, year) in cols.items():
            if j >= len(r) or r[j] in ("", "–", "……") or year not in by_year:
                continue
            want = _fmt(by_year[year], col, kind)
            if want is not None and r[j] != want:
                out.append(Finding(doc.name, "so_lieu", " | ".join(r),
                                   f"{r[name_col]}, cột «{header[j]}»: văn bản ghi {r[j]}, bảng kết quả {want}"))
        rates = {y: _num(r[j]) for j, (col, kind, y) in cols.items() if col == "ty_le_dat_chuan" and j < len(r)}
        for j, h in enumerate(header):
            if j >= len(r) or r[j] in ("", "–") or not fold(h).startswith((fold("So với năm trước"), fold("Tăng, giảm"))):
                continue
            now, before = rates.get(exp.nam), rates.get(exp.nam - 1)
            if before is None and exp.nam - 1 in by_year:
                before = _num(_fmt(by_year[exp.nam - 1], "ty_le_dat_chuan", "ty_le") or "")
            if now is None or before is None:
                continue
            want = _signed(now - before, 1, "" if "(" in h else " điểm %")
            if not _same_change(r[j], want):
                out.append(Finding(doc.name, "so_lieu", " | ".join(r),
                                   f"{r[name_col]}, cột «{h}» ghi {r[j]}, hiệu hai tỉ lệ đã ghi là {want}"))
    return out


# --- the decision ---------------------------------------------------------------------------------------

def recognised(doc: Doc, exp: Expected) -> list[Finding]:
    """The decision names only branches that qualify (up to standard, not failed or awaiting
    verification) and only Đoàn cơ sở that are “3 chủ động”; its counts equal its lists."""
    if doc.kind != DECISION or exp.recognisable is None:
        return []
    out = []
    listed_cd = listed_cs = None
    for rows in doc.tables:
        if not rows:
            continue
        head = [fold(h) for h in rows[0]]
        if fold("Chi đoàn") in head:
            i = head.index(fold("Chi đoàn"))
            p = next((j for j, h in enumerate(head) if h in PARENT_HEADERS), None)
            listed_cd = (listed_cd or 0) + len(rows) - 1
            for r in rows[1:]:
                key = (r[i], r[p] if p is not None and p < len(r) else "")
                why = exp.recognisable.get(key)
                if why is None and p is None:
                    why = next((w for (n, _), w in exp.recognisable.items() if n == r[i]), None)
                if why != "":
                    out.append(Finding(doc.name, "cong_nhan", " | ".join(r),
                                       why or "không có trong kết quả đánh giá của đơn vị"))
        elif fold("Đoàn cơ sở") in head and exp.ba_chu_dong is not None:
            i = head.index(fold("Đoàn cơ sở"))
            listed_cs = (listed_cs or 0) + len(rows) - 1
            for r in rows[1:]:
                ok = exp.ba_chu_dong.get(r[i])
                if not ok:
                    out.append(Finding(doc.name, "cong_nhan", " | ".join(r),
                                       "chưa đạt “3 chủ động”" if ok is False else "không có trong kết quả đánh giá"))
    for b in doc.blocks:
        for m in re.finditer(r"Công nhận ([\d.]+) chi đoàn", b.text):
            if listed_cd is not None and _num(m.group(1)) != listed_cd:
                out.append(Finding(doc.name, "so_lieu", _excerpt(b.text, m.start(), m.end()),
                                   f"danh sách kèm theo có {listed_cd} chi đoàn"))
        for m in re.finditer(r"([\d.]+) Đoàn cơ sở đạt tiêu chí “3 chủ động”", b.text):
            if listed_cs is not None and _num(m.group(1)) != listed_cs and b.prose:
                out.append(Finding(doc.name, "so_lieu", _excerpt(b.text, m.start(), m.end()),
                                   f"danh sách kèm theo có {listed_cs} Đoàn cơ sở"))
    return out


_NUMBER = re.compile(r"Số:\s*([^\s/]*)")


def draft_state(doc: Doc, exp: Expected) -> list[Finding]:
    """While a drawn branch awaits its verification result the decision is a draft («DỰ THẢO», no
    number, no claim that verification was done); once none awaits, it is final (no «DỰ THẢO»)."""
    if doc.kind != DECISION:
        return []
    text = "\n".join(b.text for b in doc.blocks)
    draft = "DỰ THẢO" in text
    m = _NUMBER.search(text)
    numbered = bool(m and re.search(r"\d", m.group(1)))
    out = []
    if exp.awaiting:
        waiting = ", ".join(exp.awaiting[:5]) + (f" và {len(exp.awaiting) - 5} chi đoàn khác"
                                                  if len(exp.awaiting) > 5 else "")
        if not draft:
            out.append(Finding(doc.name, "du_thao", "QUYẾT ĐỊNH",
                               f"thiếu «DỰ THẢO»: còn {len(exp.awaiting)} chi đoàn chờ kết quả thẩm định ({waiting})"))
        if numbered:
            out.append(Finding(doc.name, "du_thao", m.group(0), "dự thảo chưa được ghi số"))
        for b in doc.blocks:
            if re.search(r"Căn cứ(?!.*(?:chờ|chưa có|sau khi có) kết quả thẩm định).*kết quả thẩm định", b.text):
                out.append(Finding(doc.name, "du_thao", b.text, "chưa thẩm định xong, không viện dẫn kết quả thẩm định"))
    elif draft:
        out.append(Finding(doc.name, "du_thao", "DỰ THẢO", "mọi chi đoàn được chọn đã có kết quả thẩm định"))
    return out


def _looks_like_code(name: str) -> bool:
    """Whether a unit's name, as typed, would itself trip the tag or code-word checks."""
    spaced = f"a: {name} a"  # as it stands in a sentence
    return bool(_PLACEHOLDERS.search(spaced)) or any(p.search(spaced) for p, _, _ in CODE_WORDS)


def _without_names(doc: Doc, names: set[str]) -> Doc:
    """The document with the units' own names (printed exactly as typed, «{{» or «=» included)
    blanked out, so that only the kit's own words are judged for tags and code words."""
    ordered = sorted({v for n in names for v in (n, upper(n))}, key=len, reverse=True)  # headers print it in capitals

    def blank(text: str) -> str:
        for n in ordered:
            text = text.replace(n, "Tên đơn vị")
        return text

    return Doc(doc.name, [Block(blank(b.text), b.prose) for b in doc.blocks], doc.tables)


def check_documents(docs: list[Doc], exp: Expected | None = None) -> list[Finding]:
    """Every check on every document; without `exp`, only those that need no results."""
    out: list[Finding] = []
    for d in docs:
        plain = _without_names(d, exp.typed) if exp is not None and exp.typed else d
        out += placeholders(plain)
        out += code_words(plain, exp.codes if exp else None)
        out += unique_names(d, exp.ambiguous if exp else None)
        if exp is not None:
            out += figures(d, exp)
            out += recognised(d, exp)
            out += draft_state(d, exp)
    return out


# --- what a unit's documents must say ---------------------------------------------------------------

def expected(review: Any, ma_don_vi: str, nam: int) -> Expected:
    """The result rows a unit's documents are checked against (a district, a Đoàn cơ sở that
    reports on its own, or the province)."""
    from ..assessment.review import tinh_code

    r = review.results
    is_tinh = ma_don_vi == tinh_code(review)
    own = r.tinh if is_tinh else r.bao_cao
    own = own[own["ma_don_vi"] == ma_don_vi]
    exp = Expected(ma_don_vi, nam)
    exp.years = {int(row["nam"]): row for _, row in own.iterrows() if int(row["nam"]) <= nam}
    view = r if is_tinh else r.of_unit(ma_don_vi)
    names = r.names()
    exp.codes = {str(c) for c in r.don_vi["ma_don_vi"] if re.search(r"\d", str(c))}
    exp.typed = {str(n) for n in r.don_vi["ten_don_vi"].dropna() if _looks_like_code(str(n))}
    listed = r.bao_cao if is_tinh else view.co_so
    listed = listed[listed["nam"].isin([nam, nam - 1])]
    listed = listed[[c for c in listed.columns if c in _FIGURE_COLUMNS]]  # rows of a few columns: fast to walk
    for name, group in listed.groupby("ten_don_vi", sort=False):
        if group["ma_don_vi"].nunique() == 1:
            exp.rows[str(name)] = {int(row["nam"]): row for _, row in group.iterrows()}
    cs = view.co_so.loc[view.co_so["nam"] == nam, ["ten_don_vi", "ba_chu_dong"]]
    dup = cs["ten_don_vi"].value_counts()
    exp.ambiguous = {str(n) for n in dup.index[dup > 1]}
    exp.ba_chu_dong = {str(n): bool(v) for n, v in zip(cs["ten_don_vi"], cs["ba_chu_dong"])
                       if not is_missing(v) and str(n) not in exp.ambiguous}
    cd = view.chi_doan[view.chi_doan["nam"] == nam]
    cd = cd[[c for c in ("ten_don_vi", "ma_co_so", "dat_chuan", "tham_dinh", "cong_nhan", "co_so_lieu")
             if c in cd.columns]]
    exp.recognisable = {}
    for row in cd.to_dict("records"):
        key = (str(row["ten_don_vi"]), str(names.get(row.get("ma_co_so"), "")))
        why, prev = _why_not(row), exp.recognisable.get(key)
        exp.recognisable[key] = why if prev is None or why else prev  # two of one name: a reason not to wins
        if why == AWAITING:
            exp.awaiting.append(f"{key[0]} ({key[1]})")
    return exp


_FIGURE_COLUMNS = {"ma_don_vi", "ten_don_vi", "nam", *(c for col, _ in LABELS.values() for c in col.split("/"))}


AWAITING = "đang chờ kết quả thẩm định"


def _why_not(row: dict[str, Any]) -> str:
    """Why a branch cannot be recognised ("" where it can): contract §6.1 `cong_nhan` where the
    results have it, else `dat_chuan`."""
    tham_dinh = None if is_missing(row.get("tham_dinh")) else str(row.get("tham_dinh"))
    if tham_dinh == "chua_dat":
        return "thẩm định chưa đạt"
    if tham_dinh == "cho_ket_qua":
        return AWAITING
    flag = row.get("cong_nhan") if "cong_nhan" in row else row.get("dat_chuan")
    if "co_so_lieu" in row and not is_missing(row["co_so_lieu"]) and not bool(row["co_so_lieu"]):
        return "chưa gửi số liệu"
    if is_missing(flag):
        return "không thuộc diện đánh giá chi đoàn trên địa bàn dân cư"
    return "" if bool(flag) else "chưa đạt chuẩn"


def check_unit(review: Any, ma_don_vi: str, folder: str | Path, nam: int, prefix: str = "") -> list[Finding]:
    """Every check on a unit's written folder, against its results."""
    return check_documents(read_folder(folder, prefix), expected(review, ma_don_vi, nam))


def mode(cycle: Any) -> str:
    """The cycle's `kiem_tra_van_ban` setting (see MODES)."""
    return getattr(cycle, "kiem_tra_van_ban", None) or DEFAULT_MODE


def after_write(review: Any, ma_don_vi: str, folder: Path, nam: int) -> list[str]:
    """Check what `write_unit` just wrote, as the cycle says: «loi» raises a RenderError naming
    each violation (the batch records the unit as failed), «canh_bao» returns them as warnings,
    «tat» checks nothing. The findings are also left in the folder for the batch's manifest."""
    sidecar = folder / SIDECAR
    how = mode(review.cycle)
    if how == "tat":
        sidecar.unlink(missing_ok=True)
        return []
    found = check_unit(review, ma_don_vi, folder, nam, prefix=f"{folder.name}/")
    from ..common.files import write_text

    write_text(sidecar, json.dumps({"che_do": how, "vi_pham": [asdict(f) for f in found]}, ensure_ascii=False))
    if found and how == "loi":
        raise RenderError(message(found))
    return [WARNING + line for line in summary(found)]


def summary(found: list[Finding], documents: int = 3) -> list[str]:
    """One line per kind of violation (rule and what was found), naming the documents it is in
    and one example: a unit's many assessment sheets repeat the same violation."""
    groups: dict[tuple[str, str], list[Finding]] = {}
    for f in found:
        kind = re.sub(r"^«[^»]*»:?\s*", "", f.detail) if f.rule in ("the_mau", "tu_ma") else f"{f.text} {f.detail}"
        groups.setdefault((f.rule, kind or f.detail), []).append(f)
    lines = []
    for (rule, _), fs in groups.items():
        docs = list(dict.fromkeys(f.document for f in fs))
        where = ", ".join(docs[:documents]) + (f" và {len(docs) - documents} văn bản khác" if len(docs) > documents else "")
        times = f" ({len(fs)} chỗ)" if len(fs) > 1 else ""
        first = fs[0]
        lines.append(f"{where}: {RULES.get(rule, rule)}: «{first.text}»"
                     + (f" ({first.detail})" if first.detail else "") + times)
    return lines


def message(found: list[Finding]) -> str:
    """The Vietnamese message of a unit failed by its documents."""
    return (f"Văn bản chưa ký được: {len(found)} vi phạm khi đọc lại văn bản đã ghi "
            f"(chỉ cảnh báo: kiem_tra_van_ban: canh_bao trong tệp tham số)\n" + "\n".join(summary(found)))


def sidecar_warnings(folder: Path) -> list[str]:
    """The findings a unit's write left in its folder, as warnings for the batch's manifest; the
    file is removed (none where it left none, or where they are the unit's error already)."""
    try:
        data = json.loads((folder / SIDECAR).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    finally:
        (folder / SIDECAR).unlink(missing_ok=True)
    if data.get("che_do") == "loi":
        return []
    return [WARNING + line for line in summary([Finding(**f) for f in data.get("vi_pham", [])])]
