"""What a sheet's XML says that openpyxl's read-only mode does not hand back: whether the sheet
holds formulas, and which rows and columns are hidden (hidden by hand, by a filter or by a
collapsed outline). One pass over each sheet's bytes, in pieces, before the workbook is parsed."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field

_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
# An element's name with any prefix XML allows («x:», «ns-0:», «s.m:»).
_PREFIX = rb"(?:([^\s<>/:!?=\"']+):)?"
# A cell's formula: <f> (<x:f> where the main namespace has a prefix), but not the <xm:f> of the
# extensions' namespace, the source of a drop-down list or a conditional format: no cell's figure
# (counted, it made a large sheet read a second time). That namespace's prefix is read from the
# sheet's own declarations, which come before the elements that use it.
_FORMULA = re.compile(rb"<" + _PREFIX + rb"f[\s>/]")
_EXTENSIONS = re.compile(rb"xmlns:([^\s=]+)\s*=\s*[\"']http://schemas\.microsoft\.com/office/excel/2006/main[\"']")
_HIDDEN = re.compile(rb"<" + _PREFIX + rb"(row|col)\s[^>]*?\bhidden\s*=\s*[\"'](?:1|true)[\"'][^>]*>")
_ATTR = re.compile(rb"\b(r|min|max)\s*=\s*[\"'](\d+)[\"']")
_CHUNK = 1 << 20


@dataclass
class SheetMarks:
    """A sheet's formulas and hidden rows and columns (1-based, as Excel numbers them)."""

    formulas: bool = False
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)
    extensions: set[bytes] = field(default_factory=set, repr=False)  # prefixes of the extensions' namespace


def _members(z: zipfile.ZipFile) -> dict[str, str]:
    """Each sheet's name -> its XML part, from the workbook's relations."""
    try:
        book = ET.fromstring(z.read("xl/workbook.xml"))
        rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ET.ParseError):
        return {}
    target = {r.get("Id"): r.get("Target", "") for r in rels}
    out = {}
    for sh in book.iterfind("m:sheets/m:sheet", _NS):
        t = target.get(sh.get(f"{{{_NS['r']}}}id"), "")
        name = sh.get("name")
        if name is not None:
            out[name] = t.lstrip("/") if t.startswith("/") else f"xl/{t}"
    return out


def _mark(tags: bytes, marks: SheetMarks) -> None:
    if b"office/excel/2006/main" in tags:
        marks.extensions.update(_EXTENSIONS.findall(tags))
    if not marks.formulas and (b"<f" in tags or b":f" in tags):  # `in` first: fast
        marks.formulas = any(m.group(1) not in marks.extensions for m in _FORMULA.finditer(tags))
    if b"hidden" not in tags:
        return
    for m in _HIDDEN.finditer(tags):
        at = {k.decode(): int(v) for k, v in _ATTR.findall(m.group(0))}
        if m.group(2) == b"row" and "r" in at:
            marks.hidden_rows.add(at["r"])
        elif m.group(2) == b"col" and "min" in at:
            marks.hidden_cols.update(range(at["min"], min(at.get("max", at["min"]), 16384) + 1))


def scan_sheets(z: zipfile.ZipFile) -> dict[str, SheetMarks]:
    """Every sheet's marks, read in pieces of a megabyte; a tag cut between two pieces is carried
    over whole to the next, so none is missed."""
    out = {}
    for name, member in _members(z).items():
        marks, carry = SheetMarks(), b""
        try:
            with z.open(member) as fh:
                while chunk := fh.read(_CHUNK):
                    text = carry + chunk
                    cut = text.rfind(b"<")  # the last tag may be cut: carried over whole (0: it is all)
                    text, carry = (text, b"") if cut < 0 else (text[:cut], text[cut:])
                    _mark(text, marks)
                _mark(carry, marks)
        except KeyError:
            continue
        out[name] = marks
    return out
