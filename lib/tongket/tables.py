"""Writing result tables to .xlsx: keys as headers, rates with a percent format, text never
taken for a formula, atomic and reproducible."""

from __future__ import annotations

import contextlib
from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .assess import RATE_COLS
from .files import atomic_path
from .report import FixedZip
from .xlsxcells import keep_text

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
            keep_text(ws[letter][1:])  # a name typed as "=…" stays text, never a formula
            ws.column_dimensions[letter].width = 40 if c in ("ten_don_vi", "ly_do") else max(9, min(24, len(str(c)) + 2))
        ws.freeze_panes = "C2" if "ten_don_vi" in cols else "A2"
    return save_workbook(wb, path)


def print_landscape(ws, title_rows: str | None = None) -> None:  # noqa: ANN001
    """Print a sheet on landscape A4 at the page's width (as many pages down as it needs), with
    `title_rows` (e.g. "1:1") repeated on every page."""
    if title_rows:
        ws.print_title_rows = title_rows
    ws.page_setup.orientation, ws.page_setup.paperSize = "landscape", ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def save_workbook(wb: openpyxl.Workbook, path: str | Path) -> Path:
    """Save atomically with fixed properties and zip timestamps: same content, same bytes."""
    fixed = datetime(2022, 1, 1)
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


def write_appendix(ctx: dict, path: str | Path) -> Path:
    """The data appendix as a workbook an office prints or reuses: the official title, every
    indicator N−1, N, ±, % with numbers (not text), the units below, the signature lines."""
    from openpyxl.styles import Border, Side
    from openpyxl.worksheet.page import PageMargins

    vb, nam = ctx["vb"], ctx["nam"]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "phu_luc_so_lieu"
    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    bold, centre = Font(name="Times New Roman", bold=True, size=12), Alignment(horizontal="center", vertical="center",
                                                                               wrap_text=True)
    plain = Font(name="Times New Roman", size=12)
    widths = [6, 46, 12, 14, 14, 14, 14, 14, 14]
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w

    def line(text: str, font: Font = plain, height: float | None = None) -> None:
        ws.append([text])
        r = ws.max_row
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(widths))
        c = ws.cell(r, 1)
        c.font, c.alignment = font, centre
        if height:
            ws.row_dimensions[r].height = height

    def table(header: list[str], rows: list[list], formats: dict[int, str]) -> None:
        ws.append(header)
        r0 = ws.max_row
        for c in ws[r0]:
            if c.value is not None:
                c.font, c.alignment, c.border = bold, centre, box
        ws.row_dimensions[r0].height = 32
        for row in rows:
            ws.append([_cell_value(v) for v in row])
            for j, c in enumerate(ws[ws.max_row][:len(header)], start=1):
                c.font, c.border = plain, box
                c.alignment = Alignment(horizontal="left" if j == 2 else "center", vertical="center", wrap_text=True)
                if j in formats:
                    c.number_format = formats[j]
                keep_text(c)  # a name typed as "=…" stays text

    line(vb["co_quan_ban_hanh"], bold)
    line("PHỤ LỤC SỐ LIỆU", Font(name="Times New Roman", bold=True, size=14), 22)
    line(f"(Kèm theo {vb['kem_theo']})", Font(name="Times New Roman", italic=True, size=12), 32)
    if ctx["ghi_chu"]:
        line(f"({ctx['ghi_chu']})", Font(name="Times New Roman", italic=True, size=11, color="C00000"))
    ws.append([])
    line(f"I. CÁC CHỈ TIÊU CHUNG, NĂM {nam - 1} – NĂM {nam}", bold)
    ws.cell(ws.max_row, 1).alignment = Alignment(horizontal="left")
    rate_rows = ctx["phu_luc"]
    table(["STT", "Chỉ tiêu", "Đơn vị tính", f"Năm {nam - 1}", f"Năm {nam}", "Tăng (+), giảm (−)", "So sánh (%)"],
          [[int(r["stt"]), r["chi_tieu"], r["don_vi_tinh"], *r["_so"]] for r in rate_rows], {})
    first = ws.max_row - len(rate_rows) + 1
    for k, r in enumerate(rate_rows):
        fmt = "0.0%" if r["don_vi_tinh"] == "%" else "#,##0"
        for col in (4, 5):
            ws.cell(first + k, col).number_format = fmt
        ws.cell(first + k, 6).number_format = ('+0.0" điểm %";−0.0" điểm %";0' if r["don_vi_tinh"] == "%"
                                               else "+#,##0;−#,##0;0")
        ws.cell(first + k, 7).number_format = "0.0%"
    ws.append([])
    line(f"II. THEO {ctx['cap_duoi'].upper()}: CHI ĐOÀN TRÊN ĐỊA BÀN DÂN CƯ ĐẠT CHUẨN", bold)
    ws.cell(ws.max_row, 1).alignment = Alignment(horizontal="left")
    table(["STT", ctx["cap_duoi"], f"Chi đoàn dân cư năm {nam}", f"Đạt chuẩn năm {nam - 1}", f"Đạt chuẩn năm {nam}",
           f"Tỉ lệ năm {nam - 1}", f"Tỉ lệ năm {nam}", "Tăng, giảm (điểm %)", "“3 chủ động”"],
          [[int(u["stt"]), u["ten"], u["_so"]["dan_cu"], u["_so"]["dat_truoc"], u["_so"]["dat_nay"],
            u["_so"]["ty_le_truoc"], u["_so"]["ty_le_nay"], u["_so"]["chenh_lech"], u["ba_chu_dong"]]
           for u in ctx["theo_don_vi"]],
          {3: "#,##0", 4: "#,##0", 5: "#,##0", 6: "0.0%", 7: "0.0%", 8: "+0.0;−0.0;0"})
    ws.append([])
    sign_row = ws.max_row + 1
    left = [vb["xac_nhan"], "", "", "", vb["nguoi_xac_nhan"]] if vb["xac_nhan"] else []
    right = [vb["tm"], vb["chuc_vu_ky"], "", "", vb["nguoi_ky"]]
    for k, text in enumerate(right):
        ws.cell(sign_row + k, 6, text).font = bold
        ws.merge_cells(start_row=sign_row + k, start_column=6, end_row=sign_row + k, end_column=9)
        ws.cell(sign_row + k, 6).alignment = Alignment(horizontal="center")
    for k, text in enumerate(left):
        ws.cell(sign_row + k, 1, text).font = bold
        ws.merge_cells(start_row=sign_row + k, start_column=1, end_row=sign_row + k, end_column=3)
        ws.cell(sign_row + k, 1).alignment = Alignment(horizontal="center")
    print_landscape(ws)
    ws.page_margins = PageMargins(left=0.8, right=0.6, top=0.8, bottom=0.8)
    return save_workbook(wb, path)
