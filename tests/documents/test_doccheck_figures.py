"""The kit checks every figure a document states against the result tables
(tongket.documents.doccheck.figure_checks): each check fails on a small real .docx whose figure
differs and passes the same document with the figures of the results."""

from __future__ import annotations

import pandas as pd
import pytest
from docx import Document
from test_doccheck import docx, rules

from tongket.documents import doccheck
from tongket.documents.doccheck import Expected, read_docx

# --- figures ---------------------------------------------------------------------------------------------

def _expected() -> Expected:
    row = lambda **kw: pd.Series(kw)
    exp = Expected("H1", 2021)
    exp.years = {
        2020: row(so_chi_doan_dat_chuan=50, so_chi_doan_dan_cu=75, ty_le_dat_chuan=50 / 75, ty_le_tap_hop=0.7243,
                  so_doan_vien=3859, so_co_so=13, so_co_so_ba_chu_dong=5, so_ket_nap_moi=951),
        2021: row(so_chi_doan_dat_chuan=51, so_chi_doan_dan_cu=75, ty_le_dat_chuan=51 / 75, ty_le_tap_hop=0.7559,
                  so_doan_vien=4031, so_co_so=13, so_co_so_ba_chu_dong=9, so_ket_nap_moi=918, so_htxs=5, so_htt=7,
                  so_ht=1, so_kht=0, ty_le_nang_bac=5 / 13),
    }
    exp.rows = {"Đoàn xã Bình Tâm": {2021: row(so_chi_doan_dan_cu=9, so_chi_doan_dat_chuan=9, ty_le_dat_chuan=1.0)}}
    return exp


RATINGS = "- Đã đánh giá, xếp loại 13/13 Đoàn cơ sở; trong đó 5 hoàn thành xuất sắc nhiệm vụ, 7 hoàn thành tốt nhiệm vụ, " \
    "1 hoàn thành nhiệm vụ, 0 không hoàn thành nhiệm vụ."
NEW_MEMBERS = "- Kết nạp 918 đoàn viên mới, giảm 33 đoàn viên (3,5%) so với năm 2020."
TARGETS = [["STT", "Chỉ tiêu", "Mục tiêu", "Thực hiện", "Đánh giá"],
           ["1", "Tỉ lệ chi đoàn trên địa bàn dân cư đạt chuẩn", "≥ 90%", "68,0%", "Chưa đạt"],
           ["3", "Tỉ lệ Đoàn cơ sở nâng ít nhất một bậc", "≥ 5%", "38,5%", "Đạt"]]
HEADLINE = "Năm 2021, có 51/75 chi đoàn trên địa bàn dân cư đạt chuẩn, tỉ lệ 68,0%, tăng 1,3 điểm phần trăm so với năm 2020."
APPENDIX = [["STT", "Chỉ tiêu", "Đơn vị tính", "Năm 2020", "Năm 2021", "Tăng (+), giảm (−)"],
            ["3", "Số đoàn viên", "người", "3.859", "4.031", "+172"],
            ["6", "Tỉ lệ tập hợp thanh niên", "%", "72,4%", "75,6%", "+3,2 điểm %"]]
UNITS = [["STT", "Đoàn cơ sở", "Chi đoàn dân cư", "Đạt chuẩn", "Tỉ lệ"], ["1", "Đoàn xã Bình Tâm", "9", "9", "100,0%"]]


def test_figures_equal_to_the_results_pass(tmp_path):
    doc = read_docx(docx(tmp_path / "bao_cao_tong_ket.docx",
                         [HEADLINE, "Tỉ lệ tập hợp thanh niên đạt 75,6%, tăng 3,2 điểm phần trăm so với năm 2020.",
                          "Có 9/13 Đoàn cơ sở đạt tiêu chí “3 chủ động”, tỉ lệ 69,2%.", RATINGS, NEW_MEMBERS],
                         [APPENDIX, UNITS, TARGETS]))
    assert doccheck.figures(doc, _expected()) == []


@pytest.mark.parametrize("change", [
    ("51/75 chi đoàn", "52/75 chi đoàn"), ("tỉ lệ 68,0%", "tỉ lệ 68,1%"), ("tăng 1,3 điểm", "tăng 1,4 điểm"),
    ("Kết nạp 918", "Kết nạp 981"), ("Có 9/13", "Có 8/13"), ("tỉ lệ 69,2%", "tỉ lệ 69,3%"),
    ("giảm 33 đoàn viên", "giảm 34 đoàn viên"), ("(3,5%)", "(3,4%)"), ("giảm 33", "tăng 33"),
    ("7 hoàn thành tốt", "8 hoàn thành tốt"), ("0 không hoàn thành", "1 không hoàn thành"),
])
def test_a_sentence_figure_unlike_the_results_is_found(tmp_path, change):
    text = [HEADLINE, "Có 9/13 Đoàn cơ sở đạt tiêu chí “3 chủ động”, tỉ lệ 69,2%.", RATINGS, NEW_MEMBERS]
    text = [t.replace(*change) for t in text]
    found = doccheck.figures(read_docx(docx(tmp_path / "bao_cao_tong_ket.docx", text)), _expected())
    assert rules(found) and set(rules(found)) == {"so_lieu"}
    shown = next(t for t in change[1].split() if any(c.isdigit() for c in t))
    assert shown in found[0].text
    assert "điểm phần trăm" in found[-1].detail or len(found) == 1  # a changed rate also changes its change


def test_a_figure_of_a_period_is_not_read_as_the_year(tmp_path):
    doc = read_docx(docx(tmp_path / "bao_cao_so_ket.docx",
                         ["- Trong giai đoạn 2018–2021, kết nạp 3.449 đoàn viên mới, giới thiệu 707 đoàn viên ưu tú."]))
    assert doccheck.figures(doc, _expected()) == []


@pytest.mark.parametrize("cell, value", [((1, 4), "4.013"), ((2, 3), "72,3%"), ((2, 5), "+3,1 điểm %"), ((1, 5), "+171")])
def test_an_appendix_figure_or_printed_change_unlike_the_results_is_found(tmp_path, cell, value):
    rows = [list(r) for r in APPENDIX]
    rows[cell[0]][cell[1]] = value
    found = doccheck.figures(read_docx(docx(tmp_path / "phu_luc_so_lieu.docx", tables=[rows])), _expected())
    assert rules(found) and set(rules(found)) == {"so_lieu"}
    assert value in found[0].detail


def test_a_targets_table_figure_unlike_the_results_is_found(tmp_path):
    rows = [list(r) for r in TARGETS]
    rows[2][3] = "38,4%"
    found = doccheck.figures(read_docx(docx(tmp_path / "bao_cao_tong_ket.docx", tables=[rows])), _expected())
    assert [f.detail for f in found] == ["Tỉ lệ Đoàn cơ sở nâng ít nhất một bậc năm 2021: văn bản ghi 38,4%, "
                                         "bảng kết quả 38,5%"]


def test_a_unit_table_figure_unlike_the_results_is_found(tmp_path):
    rows = [list(r) for r in UNITS]
    rows[1][3] = "8"
    found = doccheck.figures(read_docx(docx(tmp_path / "bao_cao_tong_ket.docx", tables=[rows])), _expected())
    assert [f.detail for f in found] == ["Đoàn xã Bình Tâm, cột «Đạt chuẩn»: văn bản ghi 8, bảng kết quả 9"]


def test_a_unit_table_header_of_two_lines_is_read_as_its_label(tmp_path):
    """A header cell an analyst breaks over two paragraphs («Đạt» / «chuẩn») still names its column."""
    rows = [list(r) for r in UNITS]
    rows[1][3] = "8"
    path = docx(tmp_path / "bao_cao_tong_ket.docx", tables=[rows])
    d = Document(path)
    head = d.tables[0].cell(0, 3)
    head.text = "Đạt"
    head.add_paragraph("chuẩn")
    d.save(path)
    found = doccheck.figures(read_docx(path), _expected())
    assert [f.detail for f in found] == ["Đoàn xã Bình Tâm, cột «Đạt\nchuẩn»: văn bản ghi 8, bảng kết quả 9"]


def test_a_year_table_and_its_changes_are_checked(tmp_path):
    rows = [["Năm", "Mục tiêu", "Đạt chuẩn / chi đoàn dân cư", "Tỉ lệ", "So với năm trước"],
            ["2020", "–", "50/75", "66,7%", "–"], ["2021", "–", "51/75", "68,0%", "+1,3 điểm %"]]
    assert doccheck.figures(read_docx(docx(tmp_path / "bao_cao_so_ket.docx", tables=[rows])), _expected()) == []
    rows[2][4], rows[1][2] = "+1,4 điểm %", "49/75"
    found = doccheck.figures(read_docx(docx(tmp_path / "bao_cao_so_ket.docx", tables=[rows])), _expected())
    assert len(found) == 2 and set(rules(found)) == {"so_lieu"}
