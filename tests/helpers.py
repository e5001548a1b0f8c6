"""Helpers the tests share: the text of a written document as a staffer reads it; a clock moved on."""

from __future__ import annotations

import datetime as dt
import re
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from docx.oxml.ns import qn

from tongket.documents.doccheck import read_docx


def docx_text(path: str | Path) -> str:
    """The text of a .docx in reading order, one line per paragraph or table-cell line (body, then
    headers, footers and watermark), as the kit's own checker reads it (`doccheck.read_docx`)."""
    return "\n".join(block.text for block in read_docx(path).blocks)


class _ShiftedMeta(type):
    """Real datetimes and dates stay instances of the shifted classes (isinstance checks keep working)."""

    real: type

    def __instancecheck__(cls, obj: object) -> bool:
        return isinstance(obj, cls.real)

    def __subclasscheck__(cls, sub: type) -> bool:
        return issubclass(sub, cls.real)


def shift_clock(monkeypatch: pytest.MonkeyPatch, delta: dt.timedelta) -> None:
    """Move every clock Python code reads by `delta` until the test ends: `time.time`, `time.time_ns`,
    `time.localtime`/`gmtime` without argument, and `datetime.now`/`utcnow`/`today`, `date.today` wherever
    a module bound the `datetime` or `date` class. File times set by the OS are not moved."""
    seconds = delta.total_seconds()
    real_time, real_ns, real_local, real_gm = time.time, time.time_ns, time.localtime, time.gmtime
    real_dt, real_date = dt.datetime, dt.date
    monkeypatch.setattr(time, "time", lambda: real_time() + seconds)
    monkeypatch.setattr(time, "time_ns", lambda: real_ns() + round(seconds * 1e9))
    monkeypatch.setattr(time, "localtime", lambda secs=None: real_local(real_time() + seconds if secs is None else secs))
    monkeypatch.setattr(time, "gmtime", lambda secs=None: real_gm(real_time() + seconds if secs is None else secs))

    class ShiftedDatetime(dt.datetime, metaclass=_ShiftedMeta):
        real = real_dt

        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> dt.datetime:  # type: ignore[override]
            return real_dt.fromtimestamp(real_time() + seconds, tz)  # a real datetime: it pickles, compares

        @classmethod
        def utcnow(cls) -> dt.datetime:  # type: ignore[override]
            return real_dt.fromtimestamp(real_time() + seconds, dt.UTC).replace(tzinfo=None)

        @classmethod
        def today(cls) -> dt.datetime:  # type: ignore[override]
            return real_dt.fromtimestamp(real_time() + seconds)

    class ShiftedDate(dt.date, metaclass=_ShiftedMeta):
        real = real_date

        @classmethod
        def today(cls) -> dt.date:  # type: ignore[override]
            return real_date.fromtimestamp(real_time() + seconds)

    for module in list(sys.modules.values()):
        for attr, value in list(getattr(module, "__dict__", {}).items()):
            if value is real_dt:
                monkeypatch.setattr(module, attr, ShiftedDatetime)
            elif value is real_date:
                monkeypatch.setattr(module, attr, ShiftedDate)


def document_text(path: Path) -> str:
    """The golden text of a .docx (tests/golden): paragraphs, and table rows as cells joined by " | ",
    with the date of signing masked."""
    doc = Document(path)
    lines = []
    body = doc.element.body
    for el in body.iterchildren():
        if el.tag == qn("w:p"):
            lines.append("".join(t.text or "" for t in el.iter(qn("w:t"))))
        elif el.tag == qn("w:tbl"):
            for tr in el.iter(qn("w:tr")):
                cells = ["\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.iter(qn("w:p")))
                         for tc in tr.iter(qn("w:tc"))]
                lines.append(" | ".join(c.replace("\n", " / ") for c in cells))
    text = "\n".join(line.rstrip() for line in lines)
    return re.sub(r"ngày \d{1,2} tháng \d{1,2} năm \d{4}", "ngày <NGÀY>", re.sub(r"\n{3,}", "\n\n", text)).strip() + "\n"


def workbook_text(path: Path) -> str:
    """The golden text of an .xlsx: every non-empty row's values with their number formats."""
    wb = openpyxl.load_workbook(path)
    out = []
    for ws in wb:
        for row in ws.iter_rows():
            cells = [f"{c.value}" + (f" [{c.number_format}]" if c.number_format != "General" else "")
                     for c in row if c.value is not None]
            if cells:
                out.append(" | ".join(cells))
    return re.sub(r"ngày \d{1,2} tháng \d{1,2} năm \d{4}", "ngày <NGÀY>", "\n".join(out)) + "\n"


def section_number(text: str, title: str) -> int:
    """The number a report prints before a subsection's title ("7. Công tác cán bộ" -> 7); the
    optional sections of issues 18/19 number on from 6 in whatever order the data brings them."""
    import re

    found = re.search(rf"^(\d+)\. {re.escape(title)}$", text, flags=re.M)
    assert found, f"no numbered subsection «{title}»"
    return int(found.group(1))


def add_sheet(path: Path, title: str, header: list[str], rows: list[list]) -> Path:
    """Add sheet `title` (a header row, then `rows`) to the workbook at `path`, as an analyst pastes
    an optional sheet into an exchange workbook."""
    wb = openpyxl.load_workbook(path)
    ws = wb.create_sheet(title)
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def check_golden(name: str, text: str) -> None:
    """`text` equals the reviewed golden text tests/golden/<name>.txt. TONGKET_GOLDEN=update writes
    it (then read the diff as the signer would); a missing golden is written and the test fails."""
    import os

    golden = Path(__file__).resolve().parent / "golden" / f"{name}.txt"
    if os.environ.get("TONGKET_GOLDEN") == "update" or not golden.exists():
        golden.write_text(text, encoding="utf-8")
        if os.environ.get("TONGKET_GOLDEN") != "update":
            pytest.fail(f"golden text was missing; written {golden.name}: review it and commit it")
    assert text == golden.read_text(encoding="utf-8")
