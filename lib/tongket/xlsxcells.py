"""The one writer of text cells in the workbooks the kit writes.

openpyxl stores any string that starts with "=" as a live formula, so a unit named «=HYPERLINK(…)»
would become one in every form, table and log the kit writes. The kit never writes a formula of its
own: every string it writes is text. `put` writes one cell; `keep_text` makes sure of it for a row,
a sheet or a whole workbook, and every save of a workbook (`tables.save_workbook`, the forms' save)
goes through it, whichever line wrote the cell.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

# What spreadsheets (and CSV importers) may take for the start of a formula or a command.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_risky(value: Any) -> bool:
    """True for a string a spreadsheet could take for a formula («=…», «+…», «-…», «@…», tab, CR)."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def _as_text(cell: Any) -> None:
    if isinstance(cell, Cell) and isinstance(cell.value, str) and (cell.data_type == "f" or is_risky(cell.value)):
        cell.data_type = "s"


def put(cell: Cell | MergedCell, value: Any) -> Cell | MergedCell:
    """Write `value` into `cell`; a string is always text, never a formula. A merged-over cell
    (which cannot hold a value) is left as it is."""
    if isinstance(cell, MergedCell):
        return cell
    cell.value = value
    _as_text(cell)
    return cell


def keep_text(cells: Workbook | Worksheet | Iterable[Any] | Cell) -> None:
    """Keep every string already written as text: one cell, a row (any iterable of cells, nested
    or not), a sheet or a whole workbook."""
    if isinstance(cells, Workbook):
        for ws in cells.worksheets:
            keep_text(ws)
    elif isinstance(cells, Worksheet):
        for cell in cells._cells.values():  # only the cells that exist, without creating any
            _as_text(cell)
    elif isinstance(cells, Cell | MergedCell):
        _as_text(cells)
    else:
        for c in cells:
            keep_text(c) if not isinstance(c, Cell) else _as_text(c)
