"""Excel holds at most 32.767 characters (UTF-16 units) in a cell and reports a longer one as damaged
content; a province's list of units passes that at some 1.000 districts. Every text the kit writes
to a workbook is cut at the limit with a note of what is left out, never silently, never more."""

from __future__ import annotations

import re

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from tongket.common.xlsx import MAX_CELL_TEXT, fits, put, save_workbook, stream_extent, stream_row

NOTE = re.compile(r" … \[còn ([\d.]+) ký tự không ghi được: một ô Excel chứa tối đa 32\.767 ký tự\]$")


def units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _check(original: str, written: str) -> None:
    if units(original) <= MAX_CELL_TEXT:
        assert written == original
        return
    assert units(written) <= MAX_CELL_TEXT
    m = NOTE.search(written)
    assert m, written[-120:]
    kept = written[: m.start()]
    assert original.startswith(kept) and len(kept) > MAX_CELL_TEXT // 2 - 400
    assert int(m.group(1).replace(".", "")) == units(original) - units(kept)  # what is left out, exactly


PIECES = ["Đoàn phường Hòa Bình", "; ", " ", "Chi đoàn 1 (Huyện Đoàn Cái Bè): 60,0%", "😀", "a" * 500, "ư" * 97]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=40), st.integers(0, 2000))
def test_a_text_fits_a_cell_cut_with_the_count_left_out(parts, extra):
    base = "".join(parts)
    text = (base * (MAX_CELL_TEXT // max(len(base), 1) + 1))[: MAX_CELL_TEXT - 1000 + extra * 2]
    _check(text, fits(text))


def test_texts_at_the_limit_are_kept_and_a_list_is_cut_between_items():
    assert fits("a" * MAX_CELL_TEXT) == "a" * MAX_CELL_TEXT
    assert fits("😀" * (MAX_CELL_TEXT // 2)) == "😀" * (MAX_CELL_TEXT // 2)
    names = "; ".join(f"Đoàn phường {i} (Thành Đoàn Bình Lợi): 60,0%" for i in range(2000))
    cut = fits(names)
    _check(names, cut)
    assert cut.split(" … [")[0].endswith("(Thành Đoàn Bình Lợi): 60,0%")  # whole items only


def test_every_way_of_writing_a_cell_saves_a_workbook_excel_opens_whole(tmp_path):
    names = "; ".join(f"Đoàn xã {i} (Huyện Đoàn Long Hưng)" for i in range(2000))
    formula_like = "=" + "x" * 40_000
    wb = Workbook()
    ws = wb.active
    put(ws.cell(1, 1), names)
    ws.append([formula_like])  # written without `put`: kept by the save
    path = save_workbook(wb, tmp_path / "dai.xlsx")
    back = openpyxl.load_workbook(path)["Sheet"]
    _check(names, back["A1"].value)
    _check(formula_like, back["A2"].value)
    assert back["A2"].data_type == "s"  # still text, not a formula

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("bang")
    stream_row(ws, [names, 3, formula_like], [None, None, None])
    stream_extent(ws, 3, 1)
    path = save_workbook(wb, tmp_path / "dai_ghi_dan.xlsx")
    row = next(openpyxl.load_workbook(path)["bang"].iter_rows(values_only=True))
    _check(names, row[0])
    assert row[1] == 3
    _check(formula_like, row[2])


WRITERS = ["tongket.documents.tables", "tongket.intake.collect", "tongket.intake.forms", "tongket.intake.registration",
           "tongket.intake.issues_book", "tongket.batch.audit", "tongket.rules.scoresheet", "tongket.intake.sample"]


def test_every_module_that_writes_a_workbook_cuts_long_texts_the_kit_s_way():
    """Imported alone in a new process, each writer of workbooks has openpyxl's check of strings
    replaced (it imports common.xlsx), so no line of it can write a text cut silently."""
    import subprocess
    import sys

    code = ("import importlib, sys, openpyxl.cell.cell as c\n"
            "importlib.import_module(sys.argv[1])\n"
            "xlsx = sys.modules.get('tongket.common.xlsx')\n"
            "print(xlsx is not None and c.Cell.check_string is xlsx._check_string)\n")
    for name in WRITERS:
        out = subprocess.run([sys.executable, "-c", code, name], capture_output=True, text=True, check=True)
        assert out.stdout.strip() == "True", name
