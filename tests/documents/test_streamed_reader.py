"""Reading a document back as a stream (doccheck.reader, issue 21: the province's registration list
parsed into one 150 MB tree) reads what the whole tree reads: the same blocks, in the same order,
and the same tables; so does the reader's own whole-tree path for small parts."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml import parse_xml
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from tongket.common import paths
from tongket.documents.doccheck import reader
from tongket.documents.doccheck.reader import PROSE_WORDS, Block, Doc, read_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _whole_tree(path: Path) -> Doc:
    """The reader as it was: each part parsed whole, its body's children read from the tree."""
    doc = Doc(path.name)
    with zipfile.ZipFile(path) as z:
        parts = [n for n in z.namelist() if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", n)]
        for part in sorted(parts, key=lambda n: n != "word/document.xml"):
            root = etree.fromstring(z.read(part))
            body = root.find(f"{W}body") if part == "word/document.xml" else root
            if body is not None:
                _children(body, doc)
            for shape in root.iter("{urn:schemas-microsoft-com:vml}textpath"):
                doc.blocks.append(Block(shape.get("string") or "", False))
    return doc


def _text(p) -> str:
    return "".join(t.text or "" for t in p.iter(f"{W}t"))


def _children(parent, doc: Doc) -> None:
    for el in parent.iterchildren():
        if el.tag == f"{W}p":
            doc.blocks.append(Block(_text(el), True))
        elif el.tag == f"{W}tbl":
            rows = []
            for tr in el.iterchildren(f"{W}tr"):
                cells = ["\n".join(_text(p) for p in tc.iter(f"{W}p")) for tc in tr.iterchildren(f"{W}tc")]
                rows.append([c.strip() for c in cells])
                for c in cells:
                    for line in c.split("\n"):
                        doc.blocks.append(Block(line, len(line.split()) >= PROSE_WORDS))
            doc.tables.append(rows)
        elif el.tag == f"{W}sdt":
            content = el.find(f"{W}sdtContent")
            if content is not None:
                _children(content, doc)


PATHS = pytest.mark.parametrize("streamed", [0, reader.STREAMED], ids=["stream", "tree"])


@PATHS
@pytest.mark.parametrize("template", sorted((paths.ROOT / "templates").glob("*.docx")), ids=lambda p: p.stem)
def test_every_template_reads_as_its_whole_tree(template, streamed, monkeypatch):
    monkeypatch.setattr(reader, "STREAMED", streamed)
    streamed, whole = read_docx(template), _whole_tree(template)
    assert streamed.blocks == whole.blocks and streamed.tables == whole.tables
    assert streamed.blocks  # something was read


def _sdt(inner: str) -> str:
    return f"<w:sdt {NS}><w:sdtPr/><w:sdtContent>{inner}</w:sdtContent></w:sdt>"


def _p(text: str) -> str:
    return f'<w:p {NS}><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def _tbl(rows: list[list[str]]) -> str:
    body = "".join("<w:tr>" + "".join(f"<w:tc>{c}</w:tc>" for c in r) + "</w:tr>" for r in rows)
    return f"<w:tbl {NS}><w:tblPr/><w:tblGrid/>{body}</w:tbl>"


WORDS = st.sampled_from(["Đoàn xã A", "chi đoàn khu phố 1 đạt chuẩn năm 2021 rồi", "", "12,5%", "&amp; <b>"])


@st.composite
def _element(draw, depth: int = 0):
    """A paragraph, a table (its cells paragraphs or a nested table), or a content control holding some."""
    kind = draw(st.sampled_from(["p", "tbl", "sdt"] if depth < 2 else ["p"]))
    if kind == "p":
        return _p(draw(WORDS).replace("<b>", "&lt;b&gt;"))
    if kind == "tbl":
        cell = st.one_of(WORDS.map(lambda w: _p(w.replace("<b>", "&lt;b&gt;"))),
                         st.lists(_element(depth + 1), min_size=1, max_size=2).map("".join))
        rows = draw(st.lists(st.lists(cell, min_size=1, max_size=3), max_size=3))
        return _tbl(rows)
    return _sdt("".join(draw(st.lists(_element(depth + 1), max_size=3))))


def _document(path: Path, elements: list[str], header: str, watermark: bool) -> Path:
    doc = Document()
    body = doc.element.body
    sect = body[-1]
    for xml in elements:
        sect.addprevious(parse_xml(xml))
    paragraph = doc.sections[0].header.paragraphs[0]
    paragraph.text = header
    if watermark:
        paragraph._p.append(parse_xml(
            '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
            'xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape><v:textpath string="DỰ THẢO"/>'
            "</v:shape></w:pict></w:r>"))
    doc.sections[0].footer.paragraphs[0].text = "Trang 1"
    doc.save(path)
    return path


@settings(max_examples=60)
@given(elements=st.lists(_element(), max_size=6), header=WORDS, watermark=st.booleans())
def test_any_document_reads_as_its_whole_tree(tmp_path_factory, elements, header, watermark):
    """Paragraphs, tables with nested tables in their cells, content controls holding either, headers,
    footers and a watermark: the same blocks in the same order, and the same tables, streamed or not."""
    path = _document(tmp_path_factory.mktemp("doc") / "a.docx", elements, header, watermark)
    whole = _whole_tree(path)
    for streamed in (0, reader.STREAMED):
        with pytest.MonkeyPatch.context() as m:
            m.setattr(reader, "STREAMED", streamed)
            read = read_docx(path)
        assert read.blocks == whole.blocks
        assert read.tables == whole.tables


def test_a_part_past_the_limit_is_streamed(tmp_path, monkeypatch):
    """A body bigger than `STREAMED` never stands as one tree: its rows are read as they end."""
    rows = [[_p(f"Chi đoàn {i}"), _p("Đoàn xã A")] for i in range(300)]
    path = _document(tmp_path / "a.docx", [_p("Danh sách"), _tbl(rows)], "", False)
    whole, parsed = _whole_tree(path), []
    monkeypatch.setattr(reader, "STREAMED", 10_000)
    fromstring = etree.fromstring
    monkeypatch.setattr(etree, "fromstring", lambda *a, **k: parsed.append(1) or fromstring(*a, **k))
    read = read_docx(path)
    assert read.tables == whole.tables and len(read.tables[0]) == 300
    assert len(parsed) == 2  # the header and the footer, not the body
