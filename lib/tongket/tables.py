"""Writing result tables to .xlsx: keys as headers, rates with a percent format, text never
taken for a formula, atomic and reproducible."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .assess import RATE_COLS
from .files import atomic_path
from .report import _normalise_zip

PERCENT = "0.0%"


def _cell_value(v: object) -> object:
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return None
    if hasattr(v, "item"):  # numpy scalars
        return v.item()
    return v


def write_tables(tables: dict[str, pd.DataFrame], path: str | Path) -> Path:
    """One sheet per table; columns starting with "_" are internal and left out."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, frame in tables.items():
        ws = wb.create_sheet(name[:31])
        cols = [c for c in frame.columns if not str(c).startswith("_")]
        ws.append(cols)
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in frame[cols].itertuples(index=False):
            ws.append([_cell_value(v) for v in row])
        for j, c in enumerate(cols, start=1):
            letter = get_column_letter(j)
            if c in RATE_COLS or str(c).startswith("ty_le"):
                for cell in ws[letter][1:]:
                    cell.number_format = PERCENT
            for cell in ws[letter][1:]:
                if isinstance(cell.value, str) and cell.data_type == "f":
                    cell.data_type = "s"  # a name typed as "=…" stays text, never a formula
            ws.column_dimensions[letter].width = 40 if c in ("ten_don_vi", "ly_do") else max(9, min(24, len(str(c)) + 2))
        ws.freeze_panes = "C2" if "ten_don_vi" in cols else "A2"
    fixed = datetime(2022, 1, 1)
    wb.properties.created = wb.properties.modified = fixed
    wb.properties.creator = wb.properties.lastModifiedBy = "tongket"
    with atomic_path(path) as tmp:
        wb.save(tmp)
        _normalise_zip(tmp)
    return Path(path)
