"""The result tables (phu_luc.xlsx) are streamed (openpyxl's write-only mode, issue 21: a province's
tables hold millions of cells), and a streamed workbook must save the bytes a full one saves: the
same cells, styles, widths, frozen panes and extent, every formula-like string still text. Each
property draws tables as the kit writes them (rates, names, internal columns, blanks, hostile text)
and compares with the full-workbook writer the kit used before, byte for byte."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from tongket.common.schema import RATE_COLS
from tongket.common.xlsx import keep_text, save_workbook
from tongket.documents.tables import PERCENT, _cell_value, write_tables

COLUMNS = ["ma_don_vi", "ten_don_vi", "ty_le_dat_chuan", "ty_le_moi", "so_chi_doan", "_noi_bo", "ly_do", "dat_chuan"]
VALUES = st.one_of(st.none(), st.integers(-5, 10**6), st.floats(allow_infinity=False), st.booleans(),
                   st.sampled_from(["Đoàn xã An Bình", "=HYPERLINK(\"http://x\",\"A\")", "+1", "-2", "@x", "", "0,5"]))


def full_workbook(tables: dict[str, pd.DataFrame], path) -> None:
    """The writer before streaming: every cell held in a full workbook until the save."""
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
            ws.column_dimensions[letter].width = 40 if c in ("ten_don_vi", "ly_do") else max(9, min(24, len(str(c)) + 2))
        ws.freeze_panes = "C2" if "ten_don_vi" in cols else "A2"
    keep_text(wb)
    save_workbook(wb, path)


@st.composite
def tables(draw):
    out = {}
    for i in range(draw(st.integers(1, 3))):
        cols = draw(st.lists(st.sampled_from(COLUMNS), unique=True, max_size=6))
        rows = draw(st.lists(st.tuples(*[VALUES for _ in cols]), max_size=5))
        out[f"bang_{i}"] = pd.DataFrame(rows, columns=cols) if cols else pd.DataFrame(index=range(len(rows)))
    return out


@settings(max_examples=60, deadline=None)
@given(tables())
def test_a_streamed_workbook_is_byte_for_byte_the_full_one(tmp_path_factory, drawn):
    folder = tmp_path_factory.mktemp("bang")
    full_workbook(drawn, folder / "day_du.xlsx")
    write_tables(drawn, folder / "phu_luc.xlsx")
    assert (folder / "phu_luc.xlsx").read_bytes() == (folder / "day_du.xlsx").read_bytes()


def test_streamed_tables_keep_formula_like_text_as_text_and_rates_as_percent(tmp_path):
    frame = pd.DataFrame({"ten_don_vi": ['=HYPERLINK("http://x","A")', "Đoàn xã An Bình"],
                          "ty_le_dat_chuan": [0.725, None], "_noi_bo": [1, 2]})
    path = write_tables({"co_so": frame}, tmp_path / "phu_luc.xlsx")
    ws = openpyxl.load_workbook(path)["co_so"]
    assert [c.value for c in ws[1]] == ["ten_don_vi", "ty_le_dat_chuan"]
    assert ws["A2"].data_type == "s" and ws["A2"].value == '=HYPERLINK("http://x","A")'
    assert ws["B2"].value == 0.725 and ws["B2"].number_format == PERCENT and ws["B3"].number_format == PERCENT
    assert ws.freeze_panes == "C2" and ws.dimensions == "A1:B3"
    sheet = zipfile.ZipFile(io.BytesIO(path.read_bytes())).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and '<dimension ref="A1:B3"/>' in sheet


def test_a_refused_cell_leaves_no_open_stream_and_no_temporary_file(tmp_path):
    """A streamed sheet given up half-way (openpyxl refuses a control character) is closed at once:
    its XML streams would otherwise fail at a later garbage collection, in whatever runs then."""
    import gc

    from openpyxl.utils.exceptions import IllegalCharacterError
    from openpyxl.worksheet._writer import ALL_TEMP_FILES

    before = set(ALL_TEMP_FILES)
    bad = {"co_so": pd.DataFrame({"ten_don_vi": ["Đoàn xã An Bình", "Đoàn xã \x01"]}), "huyen": pd.DataFrame({"a": [1]})}
    with pytest.raises(IllegalCharacterError):
        write_tables(bad, tmp_path / "phu_luc.xlsx")
    gc.collect()  # pytest fails this test if a stream's finaliser raises here
    assert set(ALL_TEMP_FILES) == before and not (tmp_path / "phu_luc.xlsx").exists()
