"""Every xlsx idiom of the kit in one place: the one writer of text cells, landscape printing, the
reproducible save.

openpyxl stores any string that starts with "=" as a live formula, so a unit named «=HYPERLINK(…)»
would become one in every form, table and log the kit writes. The kit never writes a formula of its
own: every string it writes is text. `put` writes one cell; `keep_text` makes sure of it for a row,
a sheet or a whole workbook, and every save of a workbook (`tables.save_workbook`, the forms' save)
goes through it, whichever line wrote the cell. A streamed sheet (write-only mode, for tables too
large to hold) keeps no cell to check at save: its rows go through `stream_row`, which makes every
string a text cell as it is written.

A cell holds at most 32.767 characters in Excel, and openpyxl cuts a longer string there when it
is set, without a word and in the middle of a word (counting code points: a text with emoji can
still pass Excel's count, of UTF-16 units, and the file opens as damaged). A province's list of
units (the Đoàn cơ sở below a target, say) passes that at some 1.000 districts. Every string set
into a cell, by whichever line of the kit, goes through openpyxl's one check of strings
(`Cell.check_string`), so that is where the kit cuts it instead: at the limit in Excel's count,
between two items of a list where it can, with a note of how many characters are left out (`fits`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl.cell.cell import ERROR_CODES, Cell, MergedCell, WriteOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from .files import FIXED_TIME, FixedZip, atomic_path
from .vietnamese import so

# Cells an analyst's workbook may hold that are no value (read as such by every reader of cells):
# what other software writes into a cell it had nothing for (pandas, SQL and JSON exports), a blank
# said in letters; and what Excel stores for a formula that failed (openpyxl's codes and newer Excel's).
STAND_INS = ("nan", "NaN", "None", "NaT", "<NA>", "null", "NULL")
FORMULA_ERRORS = (*ERROR_CODES, "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!",
                  "#UNKNOWN!", "#GETTING_DATA")

# What spreadsheets (and CSV importers) may take for the start of a formula or a command.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_risky(value: Any) -> bool:
    """True for a string a spreadsheet could take for a formula («=…», «+…», «-…», «@…», tab, CR)."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


# Excel's limit on a cell's text, in UTF-16 code units (a character outside the BMP counts two).
MAX_CELL_TEXT = 32_767


def _units(text: str) -> int:
    """A text's length as Excel counts it."""
    return len(text) if text.isascii() else len(text.encode("utf-16-le")) // 2


def fits(text: str) -> str:
    """`text` as a cell can hold it: unchanged up to Excel's 32.767 characters; a longer one cut at
    the last «; » (a list's item) or space before the limit, followed by a note of how many
    characters are left out, never cut silently."""
    if len(text) <= MAX_CELL_TEXT // 2:
        return text
    encoded = text.encode("utf-16-le")  # two bytes a unit
    total = len(encoded) // 2
    if total <= MAX_CELL_TEXT:
        return text
    note = lambda n: f" … [còn {so(n)} ký tự không ghi được: một ô Excel chứa tối đa {so(MAX_CELL_TEXT)} ký tự]"
    room = MAX_CELL_TEXT - len(note(total))  # (the note's characters are one unit each)
    head = encoded[: 2 * room].decode("utf-16-le", errors="ignore")  # a surrogate pair is never split
    cut = next((at for at in (head.rfind("; "), head.rfind(" ")) if at > len(head) - 400), len(head))
    return text[:cut] + note(total - _units(text[:cut]))


_openpyxl_check_string = Cell.check_string


def _check_string(self: Cell, value: Any) -> Any:
    """openpyxl's check of a string set into a cell (coding, illegal characters), on the text as
    `fits` cuts it rather than cut silently at 32.767 code points."""
    if isinstance(value, str) and len(value) > MAX_CELL_TEXT // 2:
        value = fits(value)
    return _openpyxl_check_string(self, value)


Cell.check_string = _check_string  # every cell the kit writes goes through it (a cell read from a file does not)


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


def append_row(ws: Worksheet, values: list[Any]) -> tuple[Any, ...]:
    """Append `values` as the sheet's next row (openpyxl's `append`) and give that row's cells, one
    per value. Finding the row through `ws.max_row` or `ws[row]` looks through every cell of the
    sheet: row after row of a long table (a province's thousand units), the square of its size."""
    ws.append(values)
    r = ws._current_row  # the row `append` has just written (openpyxl's own count of it)
    return tuple(ws.cell(r, j) for j in range(1, len(values) + 1))


def streamed(ws: WriteOnlyWorksheet, value: Any, **style: Any) -> WriteOnlyCell:
    """A cell of a streamed sheet (openpyxl's write-only mode, which holds no cell once its row is
    written, so nothing can be checked at save): `value`, a string always text, with `style`
    (font, fill, alignment, number_format). A streamed sheet's rows hold only these and non-strings."""
    cell = WriteOnlyCell(ws, value=value)
    for name, v in style.items():
        setattr(cell, name, v)
    _as_text(cell)
    return cell


def stream_row(ws: WriteOnlyWorksheet, values: Iterable[Any], styles: list[dict[str, Any] | None]) -> None:
    """Append one row to a streamed sheet: every string through `streamed`, each cell with its
    column's style (None: none; a blank without a style is left out, as a full sheet leaves it)."""
    ws.append([streamed(ws, v, **(st or {})) if st or isinstance(v, str) else v
               for v, st in zip(values, styles)])


def stream_extent(ws: WriteOnlyWorksheet, columns: int, rows: int) -> None:
    """Declare a streamed sheet's extent (`<dimension>`, which a full sheet computes from its cells
    and a streamed one leaves out), so that both modes save the same bytes: A1 to the last column
    and row written, A1:A1 for a sheet without cells."""
    ws.calculate_dimension = lambda: f"A1:{get_column_letter(columns)}{rows}" if columns and rows else "A1:A1"


def discard_streamed(wb: Workbook) -> None:
    """Give up a streamed workbook before its save (a cell refused, say a control character): close
    each sheet's open XML streams and remove its temporary file, now. Left alone, the streams would
    fail at some later garbage collection, far from their cause, and the files would stay."""
    for ws in wb.worksheets:
        writer = getattr(ws, "_writer", None)
        if not isinstance(ws, WriteOnlyWorksheet) or writer is None:
            continue
        for stream in (ws._rows, writer.xf):
            if stream is not None:
                with contextlib.suppress(Exception):
                    stream.close()
        with contextlib.suppress(OSError, ValueError):
            writer.cleanup()


def keep_text(cells: Workbook | Worksheet | Iterable[Any] | Cell) -> None:
    """Keep every string already written as text: one cell, a row (any iterable of cells, nested
    or not), a sheet or a whole workbook. A streamed sheet's cells are kept as text as they are
    made (`streamed`): saved already, they are not there to check."""
    if isinstance(cells, Workbook):
        for ws in cells.worksheets:
            if not isinstance(ws, WriteOnlyWorksheet):
                keep_text(ws)
    elif isinstance(cells, Worksheet):
        for cell in cells._cells.values():  # only the cells that exist, without creating any
            _as_text(cell)
    elif isinstance(cells, Cell | MergedCell):
        _as_text(cells)
    else:
        for c in cells:
            keep_text(c) if not isinstance(c, Cell) else _as_text(c)


def print_landscape(ws, title_rows: str | None = None) -> None:
    """Print a sheet on landscape A4 at the page's width (as many pages down as it needs), with
    `title_rows` (e.g. "1:1") repeated on every page."""
    if title_rows:
        ws.print_title_rows = title_rows
    ws.page_setup.orientation, ws.page_setup.paperSize = "landscape", ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def save_workbook(wb: Workbook, path: str | Path) -> Path:
    """Save atomically with fixed properties and zip timestamps: same content, same bytes."""
    fixed = datetime(*FIXED_TIME)
    wb.properties.created = wb.properties.modified = fixed
    wb.properties.creator = wb.properties.lastModifiedBy = "tongket"
    from openpyxl.writer.excel import ExcelWriter

    keep_text(wb)  # whichever line wrote a cell, a string is saved as text, never as a formula
    with atomic_path(path) as tmp:
        archive = FixedZip(tmp)
        try:
            ExcelWriter(wb, archive).save()  # openpyxl's own save, without its "modified = now"
        except BaseException:
            with contextlib.suppress(OSError, ValueError):  # a full disk: the first error is the one to tell
                archive.close()
            raise
    return Path(path)
