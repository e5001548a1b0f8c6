"""`append_row` gives the cells of the row just appended, the cells `ws[ws.max_row]` gives, without
looking through the whole sheet for it (which, row after row, grew with the square of a province's
units: the run's log of 1.000 districts took 38 s to write). Same cells, same saved bytes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from tongket.common.xlsx import append_row, save_workbook

cell = st.one_of(st.none(), st.integers(-9, 10**6), st.floats(0, 1), st.text("abcđơ =", max_size=6))


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 6).flatmap(lambda width: st.lists(st.lists(cell, min_size=width, max_size=width),
                                                        max_size=8)),
       st.booleans())
def test_the_row_appended_is_the_row_the_sheet_scan_finds(tmp_path_factory, rows, titled):
    tmp = tmp_path_factory.mktemp("a")
    books = []
    for way in ("scan", "append_row"):
        wb = Workbook()
        ws = wb.active
        if titled:  # a title across the width, as the kit's sheets start
            ws.append(["TIÊU ĐỀ"])
            ws["A1"].font = Font(bold=True)
        for values in rows:
            if way == "scan":
                ws.append(values)
                got = ws[ws.max_row]
            else:
                got = append_row(ws, values)
                assert got == ws[ws.max_row][:len(values)]
            for c in got:
                c.alignment = Alignment(wrap_text=True)
            got[0].font = Font(italic=True)
        books.append(save_workbook(wb, tmp / f"{way}.xlsx").read_bytes())
    assert books[0] == books[1]
