"""Reading a written document back as its signer reads it: a .docx or a signed .xlsx as a `Doc`
(its text blocks in reading order and its tables), a unit's folder, the plain text of a .docx."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...common.vietnamese import phan_tram, so

# Signed workbooks checked like documents (phu_luc.xlsx holds the machine tables of contract §5).
SIGNED_WORKBOOKS = {"phu_luc_so_lieu.xlsx"}


@dataclass(slots=True)
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

    @property
    def text(self) -> str:
        """The document's text as its signer reads it: one line per block, in reading order."""
        return "\n".join(b.text for b in self.blocks)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PROSE_WORDS = 6  # a table cell with this many words is read as a sentence, not a value


def _para_text(p: Any) -> str:
    return "".join(t.text or "" for t in p.iter(f"{_W}t"))


def read_docx(path: str | Path, name: str | None = None) -> Doc:
    """A .docx as blocks (body paragraphs, table cells, headers and footers) and tables.

    A part bigger than `STREAMED` is read as a stream: a paragraph, or a table's row, is read when its
    end is parsed, then dropped, so a list of thousands of rows never stands as one tree. A smaller
    part is parsed whole, which is faster; both are read by `_read_elements`."""
    from lxml import etree

    path = Path(path)
    doc = Doc(name or path.name)
    with zipfile.ZipFile(path) as z:
        parts = [n for n in z.namelist() if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", n)]
        for part in sorted(parts, key=lambda n: n != "word/document.xml"):
            with z.open(part) as stream:
                if z.getinfo(part).file_size > STREAMED:
                    ends = (el for _, el in etree.iterparse(stream, events=("end",), tag=_READ))
                    _read_elements(ends, part == "word/document.xml", doc, stream=True)
                else:
                    root = etree.fromstring(stream.read())
                    _read_elements(root.iter(*_READ), part == "word/document.xml", doc, stream=False)
    return doc


def docx_text(path: str | Path) -> str:
    """The text of a .docx in reading order: body paragraphs, and each line of each table cell row
    by row where the table stands; then headers, footers and a watermark («DỰ THẢO»)."""
    return read_docx(path).text


# Bytes of a part from which it is read as a stream: the province's documents at 1.000 districts
# (1,6 MB parts and up; a district's are under 0,4 MB). A 1,6 MB part parsed whole is a 16 MB tree,
# freed but kept by the process's allocator: the province's worker peaked 11 MB higher with 2 MB here.
STREAMED = 1_000_000
_TEXTPATH = "{urn:schemas-microsoft-com:vml}textpath"
_READ = (f"{_W}p", f"{_W}tbl", f"{_W}tr", f"{_W}sdt", _TEXTPATH)  # the elements looked at


def _read_elements(elements: Any, body_part: bool, doc: Doc, stream: bool) -> None:
    """One part's blocks and tables, in reading order: the paragraphs and tables that are children of
    the body (of a header's or footer's root), or of a content control among them; then the part's
    watermark text («DỰ THẢO»). `elements` are the part's `_READ` elements, each whole: in document
    order from a parsed tree, or as their ends are parsed from a `stream` (then each is dropped once read).
    Either way the rows of a table come after it is first met and before the next table is."""
    readers: set[Any] = set()  # the elements whose children are read: body, and content controls within
    tables: dict[Any, list[list[str]]] = {}  # the rows of each table being read
    marks = []

    def reads(el: Any) -> bool:
        if el is None:
            return False
        if el in readers:
            return True
        up = el.getparent()
        if el.tag == f"{_W}sdtContent":
            found = up is not None and up.find(f"{_W}sdtContent") is el and reads(up.getparent())
        else:
            found = (el.tag == f"{_W}body" and up is not None and up.getparent() is None) if body_part else up is None
        if found:
            readers.add(el)
        return found

    def table(el: Any) -> list[list[str]]:
        if el not in tables:
            tables[el] = []
            doc.tables.append(tables[el])
        return tables[el]

    for el in elements:
        parent = el.getparent()
        if el.tag == _TEXTPATH:
            marks.append(Block(el.get("string") or "", False))
        elif el.tag == f"{_W}tr":
            if parent is not None and reads(parent.getparent()):
                cells = ["\n".join(_para_text(p) for p in tc.iter(f"{_W}p")) for tc in el.iterchildren(f"{_W}tc")]
                table(parent).append([c.strip() for c in cells])
                for c in cells:
                    for line in c.split("\n"):
                        doc.blocks.append(Block(line, len(line.split()) >= PROSE_WORDS))
                if stream:
                    _drop(el)
        elif reads(parent):
            if el.tag == f"{_W}p":
                doc.blocks.append(Block(_para_text(el), True))
            elif el.tag == f"{_W}tbl":
                table(el)
            if stream:
                _drop(el)
    doc.blocks += marks


def _drop(el: Any) -> None:
    """Free an element read to its end, and its siblings before it (lxml's way to stream a tree)."""
    el.clear(keep_tail=True)
    while el.getprevious() is not None:
        del el.getparent()[0]


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
    return list(each_document(folder, prefix))


def each_document(folder: str | Path, prefix: str = "") -> Iterator[Doc]:
    """`read_folder`'s documents one at a time, in its order: each read when the last is done with
    (the province's registration list alone is 13.689 table rows at 1.000 districts)."""
    folder = Path(folder)
    for p in sorted(folder.rglob("*")):
        if p.name.startswith((".", "~$")) or not p.is_file():
            continue
        name = prefix + p.relative_to(folder).as_posix()
        if p.suffix == ".docx":
            yield read_docx(p, name)
        elif p.name in SIGNED_WORKBOOKS:
            yield read_xlsx(p, name)
