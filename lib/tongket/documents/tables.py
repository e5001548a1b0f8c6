"""Writing result tables to .xlsx: keys as headers, rates with a percent format, text never
taken for a formula, atomic and reproducible."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from ..common.frames import columns_of
from ..common.schema import RATE_COLS
from ..common.xlsx import (
    append_row,
    discard_streamed,
    keep_text,
    print_landscape,
    save_workbook,
    stream_extent,
    stream_row,
)

PERCENT = "0.0%"


def _cell_value(v: object) -> object:
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return None
    if hasattr(v, "item"):  # numpy scalars
        return v.item()
    return v


def write_tables(tables: dict[str, pd.DataFrame], path: str | Path) -> Path:
    """One sheet per table; columns starting with "_" are internal and left out. The sheets are
    streamed (openpyxl's write-only mode: a province's tables hold millions of cells, which a
    full workbook would keep in memory until it is saved); the bytes are a full workbook's."""
    wb = openpyxl.Workbook(write_only=True)
    try:
        _stream_tables(wb, tables)
        return save_workbook(wb, path)
    except BaseException:  # a refused cell, a full disk: nothing of it is left open or behind
        discard_streamed(wb)
        raise


def _stream_tables(wb: openpyxl.Workbook, tables: dict[str, pd.DataFrame]) -> None:
    head = {"font": Font(bold=True), "fill": PatternFill("solid", fgColor="DDEBF7"),
            "alignment": Alignment(wrap_text=True, vertical="top")}
    for name, frame in tables.items():
        ws = wb.create_sheet(name[:31])
        cols = [c for c in frame.columns if not str(c).startswith("_")]
        for j, c in enumerate(cols, start=1):  # before the first row: a streamed sheet writes its head then
            ws.column_dimensions[get_column_letter(j)].width = (40 if c in ("ten_don_vi", "ly_do")
                                                                 else max(9, min(24, len(str(c)) + 2)))
        ws.freeze_panes = "C2" if "ten_don_vi" in cols else "A2"
        stream_extent(ws, len(cols), len(frame) + 1 if cols else 0)
        if not cols:  # a table without columns: one blank header cell, no rows
            stream_row(ws, [None], [head])
            continue
        stream_row(ws, cols, [head] * len(cols))
        styles = [{"number_format": PERCENT} if c in RATE_COLS or str(c).startswith("ty_le") else None for c in cols]
        for row in columns_of(frame, cols):
            stream_row(ws, [_cell_value(v) for v in row], styles)


TIMES = "Times New Roman"
BOLD, PLAIN = Font(name=TIMES, bold=True, size=12), Font(name=TIMES, size=12)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
_THIN = Side(style="thin", color="000000")
BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
WIDTHS = [6, 46, 12, 14, 14, 20, 14, 14, 14]  # the appendix's columns, in characters
PAGE_ROWS = 30  # about as many rows as a landscape page holds at the page's width


def write_appendix(ctx: dict, path: str | Path) -> Path:
    """The data appendix as a workbook an office prints or reuses: the official title, every
    indicator N−1, N, ±, %, the units below, the signature lines. The printed sheet shows the
    figures as the Word appendix writes them («3.859», «72,4%»), as text, so that Excel in any
    locale shows the Vietnamese form; sheet `so_lieu` holds the same figures as numbers to reuse.
    The signature block is kept on one page with the table it closes."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "phu_luc_so_lieu"
    for j, w in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    _title(ws, ctx)
    _part_1(ws, ctx)
    part_2 = _part_2(ws, ctx)
    for row in ws.iter_rows(min_row=1, max_row=ws.max_row):  # figures as text, set like numbers
        for c in row[2:8]:
            if isinstance(c.value, str) and c.row > 6 and c.border.left.style:
                c.alignment = Alignment(horizontal="right", vertical="center", wrap_text=True)
        _fit_height(ws, row, WIDTHS)
    sign_row = ws.max_row + 2  # one blank row between the table and the signatures
    _signatures(ws, ctx["vb"], sign_row)
    _page_setup(ws, part_2, sign_row)
    _numbers_sheet(wb, ctx)
    return save_workbook(wb, path)  # every string saved as text (common.xlsx), never a formula


def _line(ws: Worksheet, text: str, font: Font = PLAIN, height: float | None = None) -> None:
    """One line of text across the appendix's width."""
    ws.append([text])
    r = ws.max_row
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(WIDTHS))
    c = ws.cell(r, 1)
    c.font, c.alignment = font, CENTRE
    if height:
        ws.row_dimensions[r].height = height


def _table(ws: Worksheet, header: list[str], rows: list[list]) -> None:
    """A bordered table: a bold header, then the rows (names left, figures centred)."""
    ws.append(header)
    r0 = ws.max_row
    for c in ws[r0]:
        if c.value is not None:
            c.font, c.alignment, c.border = BOLD, CENTRE, BOX
    ws.row_dimensions[r0].height = 32
    for row in rows:
        for j, c in enumerate(append_row(ws, [_cell_value(v) for v in row])[:len(header)], start=1):
            c.font, c.border = PLAIN, BOX
            c.alignment = Alignment(horizontal="left" if j == 2 else "center", vertical="center", wrap_text=True)


def _title(ws: Worksheet, ctx: dict) -> None:
    """The issuing body, the title, the report it is attached to and the note on sample data."""
    vb = ctx["vb"]
    _line(ws, vb["co_quan_ban_hanh"], BOLD)
    _line(ws, "PHỤ LỤC SỐ LIỆU", Font(name=TIMES, bold=True, size=14), 22)
    _line(ws, f"(Kèm theo {vb['kem_theo']})", Font(name=TIMES, italic=True, size=12), 32)
    if ctx["ghi_chu"]:
        _line(ws, f"({ctx['ghi_chu']})", Font(name=TIMES, italic=True, size=11, color="C00000"))
    ws.append([])


def _part_1(ws: Worksheet, ctx: dict) -> None:
    """Part I: every indicator, N−1 against N."""
    nam = ctx["nam"]
    _line(ws, f"I. CÁC CHỈ TIÊU CHUNG, NĂM {nam - 1} – NĂM {nam}", BOLD)
    ws.cell(ws.max_row, 1).alignment = Alignment(horizontal="left")
    head = ["STT", "Chỉ tiêu", "Đơn vị tính", f"Năm {nam - 1}", f"Năm {nam}", "Tăng (+), giảm (−)", "So sánh (%)"]
    _table(ws, head, [[int(r["stt"]), r["chi_tieu"], r["don_vi_tinh"], r["nam_truoc"], r["nam_nay"], r["chenh_lech"],
                       r["so_sanh"]] for r in ctx["phu_luc"]])
    ws.append([])


def _part_2(ws: Worksheet, ctx: dict) -> int:
    """Part II: the units below, residential branches up to standard N−1 against N; returns its first row."""
    nam = ctx["nam"]
    part_2 = ws.max_row + 1
    _line(ws, f"II. THEO {ctx['cap_duoi'].upper()}: CHI ĐOÀN TRÊN ĐỊA BÀN DÂN CƯ ĐẠT CHUẨN", BOLD)
    ws.cell(ws.max_row, 1).alignment = Alignment(horizontal="left")
    head = ["STT", ctx["cap_duoi"], f"Chi đoàn dân cư năm {nam}", f"Đạt chuẩn năm {nam - 1}", f"Đạt chuẩn năm {nam}",
            f"Tỉ lệ năm {nam - 1}", f"Tỉ lệ năm {nam}", "Tăng, giảm (điểm phần trăm)", "“3 chủ động”"]
    _table(ws, head, [[int(u["stt"]), u["ten"], u["dan_cu"], u["dat_truoc"], u["dat_nay"], u["ty_le_truoc"],
                       u["ty_le_nay"], u["chenh_lech"], u["ba_chu_dong"]] for u in ctx["theo_don_vi"]])
    return part_2


def _signatures(ws: Worksheet, vb: dict, sign_row: int) -> None:
    """The signer on the right and, where asked for, the second signature on the left."""
    left = [vb["xac_nhan"], "", "", "", vb["nguoi_xac_nhan"]] if vb["xac_nhan"] else []
    right = [vb["tm"], vb["chuc_vu_ky"], "", "", vb["nguoi_ky"]]
    for first, last, lines in ((6, 9, right), (1, 3, left)):
        for k, text in enumerate(lines):
            ws.cell(sign_row + k, first, text).font = BOLD
            ws.merge_cells(start_row=sign_row + k, start_column=first, end_row=sign_row + k, end_column=last)
            ws.cell(sign_row + k, first).alignment = Alignment(horizontal="center")


def _page_setup(ws: Worksheet, part_2: int, sign_row: int) -> None:
    """Landscape A4; part II starts a page, and the signature stays with the last rows of its
    table: a long part II breaks before its last rows."""
    print_landscape(ws)
    ws.page_margins = PageMargins(left=0.8, right=0.6, top=0.8, bottom=0.8)
    ws.row_breaks.append(Break(id=part_2 - 1))
    last_table_row = sign_row - 2
    rows_2 = last_table_row - part_2 + 1
    if rows_2 + 6 > PAGE_ROWS:
        ws.row_breaks.append(Break(id=last_table_row - 4))
    ws.print_area = f"A1:{get_column_letter(len(WIDTHS))}{sign_row + 4}"


def _fit_height(ws: Worksheet, row: tuple, widths: Sequence[float]) -> None:
    """A bordered row tall enough for its wrapped text (LibreOffice and Excel keep the height a
    file gives): about 1.1 characters per unit of column width at 12 pt, 15.75 points a line."""
    import math

    cells = [c for c in row if c.value is not None and c.border.left.style and c.column <= len(widths)]
    if not cells:
        return
    lines = max(math.ceil(len(str(c.value)) / max(1.0, widths[c.column - 1] * 1.1)) for c in cells)
    current = ws.row_dimensions[row[0].row].height or 0
    ws.row_dimensions[row[0].row].height = max(current, 15.75 * lines + 2)


def _numbers_sheet(wb: openpyxl.Workbook, ctx: dict) -> None:
    """The appendix's figures as numbers (rates as fractions, differences of rates in points), to reuse."""
    nam = ctx["nam"]
    ws = wb.create_sheet("so_lieu")
    ws.append(["Số liệu của phụ lục dạng số, để tính toán (tỉ lệ dạng phân số; tăng, giảm của tỉ lệ theo điểm "
               "phần trăm). Văn bản ký là trang thứ nhất."])
    ws.append(["STT", "Chỉ tiêu", "Đơn vị tính", f"Năm {nam - 1}", f"Năm {nam}", "Tăng, giảm", "So sánh"])
    for r in ctx["phu_luc"]:
        cells = append_row(ws, [_cell_value(v) for v in (int(r["stt"]), r["chi_tieu"], r["don_vi_tinh"], *r["_so"])])
        rate = r["don_vi_tinh"] == "%"
        for col, fmt in ((4, "0.0%" if rate else "#,##0"), (5, "0.0%" if rate else "#,##0"),
                         (6, "+0.0;−0.0;0" if rate else "+#,##0;−#,##0;0"), (7, "0.0%")):
            ws.cell(cells[0].row, col).number_format = fmt
    ws.append([])
    ws.append(["STT", ctx["cap_duoi"], f"Chi đoàn dân cư năm {nam}", f"Đạt chuẩn năm {nam - 1}", f"Đạt chuẩn năm {nam}",
               f"Tỉ lệ năm {nam - 1}", f"Tỉ lệ năm {nam}", "Tăng, giảm (điểm phần trăm)"])
    for u in ctx["theo_don_vi"]:
        n = u["_so"]
        cells = append_row(ws, [_cell_value(v) for v in (int(u["stt"]), u["ten"], n["dan_cu"], n["dat_truoc"],
                                                          n["dat_nay"], n["ty_le_truoc"], n["ty_le_nay"], n["chenh_lech"])])
        for col, fmt in ((3, "#,##0"), (4, "#,##0"), (5, "#,##0"), (6, "0.0%"), (7, "0.0%"), (8, "+0.0;−0.0;0")):
            cells[col - 1].number_format = fmt
    keep_text(ws.iter_rows())  # every cell of the range (the blank row's too, so the bytes stay the same)
    ws.column_dimensions["B"].width = 46
    print_landscape(ws)
