"""The issues workbook: every problem `check` found, listed with a link to its cell, over a copy of
the analyst's own workbook in which each problem cell is coloured (red: error, yellow: warning)
and carries the rule and the fix as a comment. The input file itself is never written."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.hyperlink import Hyperlink

from ..common.xlsx import append_row, keep_text, save_workbook
from ..errors import ERROR, Issue

RED = PatternFill("solid", fgColor="FFC7CE")
YELLOW = PatternFill("solid", fgColor="FFEB9C")
LIST_SHEET = "van_de"
_WIDTHS = {"Mức độ": 10, "Tệp": 18, "Trang": 12, "Dòng": 7, "Cột": 28, "Giá trị": 18, "Quy tắc": 60,
           "Cách sửa": 50, "Ô": 8, "Huyện": 9}


def _copy_of(source: Path | None) -> openpyxl.Workbook | None:
    if source is None:
        return None
    try:
        from .workbook import screen

        screen(source)
        with open(source, "rb") as fh:  # closed even when openpyxl fails half-way (it would leave its own open)
            return openpyxl.load_workbook(fh, data_only=True)  # read whole: the file is not needed after
    except Exception:  # noqa: BLE001 - a workbook that cannot be read is reported by check itself
        return None


def write_issues_workbook(issues: list[Issue], out: str | Path, source: str | Path | None = None) -> Path:
    """Write ISSUES.xlsx: the list first, then (where `source` reads) its sheets with the cells marked."""
    from .check import issues_frame

    src = Path(source) if source else None
    wb = _copy_of(src) or openpyxl.Workbook()
    if wb.sheetnames == ["Sheet"] and wb["Sheet"].max_row == 1 and wb["Sheet"]["A1"].value is None:
        wb.remove(wb["Sheet"])
    ws = wb.create_sheet(LIST_SHEET, 0)
    wb.active = 0
    frame = issues_frame(issues)
    ws.append(list(frame.columns))
    for c in ws[1]:
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="DDEBF7")
    own = {i.sheet for i in issues} & set(wb.sheetnames) - {LIST_SHEET}
    for issue, row in zip(issues, frame.itertuples(index=False)):
        cells = append_row(ws, [None if (isinstance(v, float) and pd.isna(v)) else v for v in row])
        r = cells[0].row
        for c in cells:
            keep_text(c)  # a value typed as "=…" stays text
            c.alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(r, 1).fill = RED if issue.severity == ERROR else YELLOW
        target = issue.cell or (f"A{issue.row}" if issue.row else None)
        if issue.sheet in own and target:
            link = ws.cell(r, list(frame.columns).index("Ô") + 1)
            link.value = target
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{issue.sheet}'!{target}")
            link.font = Font(color="0563C1", underline="single")
    for j, name in enumerate(frame.columns, start=1):
        ws.column_dimensions[openpyxl.utils.get_column_letter(j)].width = _WIDTHS.get(name, 12)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    _mark(wb, issues, own)
    return save_workbook(wb, out)


def _mark(wb: openpyxl.Workbook, issues: list[Issue], sheets: set[str]) -> None:
    notes: dict[tuple[str, str], list[Issue]] = defaultdict(list)
    for i in issues:
        if i.sheet in sheets and i.row is not None:
            notes[(i.sheet, i.cell or f"A{i.row}")].append(i)
    for (sheet, ref), found in notes.items():
        ws = wb[sheet]
        ws.sheet_state = "visible"
        cell = ws[ref]
        for merged in ws.merged_cells.ranges if isinstance(cell, MergedCell) else ():
            if cell.coordinate in merged:  # a cell under a merged range: mark the range's own cell
                cell = ws.cell(merged.min_row, merged.min_col)
        cell.fill = RED if any(i.severity == ERROR for i in found) else YELLOW
        text = "\n".join(f"[{i.severity}] {i.rule}" + (f"\nCách sửa: {i.fix}" if i.fix else "") for i in found)
        cell.comment = Comment(text[:30000], "tongket", width=360, height=160)
