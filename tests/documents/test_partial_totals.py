"""A total that leaves out units which left a figure blank is no total of the unit, and is compared
with no other year (attack of 6/12/2026). One Đoàn cơ sở's 2020 cadre figures blank made
«Có 102 cán bộ Đoàn được bồi dưỡng trong năm, giảm 21 cán bộ (17,1%) so với năm 2020» (over the
same units: −28) and the appendix «124 | 132 | +8» (over the same units: +1); one branch's
incomplete 2021 member ratings made «Đoàn viên hoàn thành tốt nhiệm vụ 1.773 | 1.748 | −25», and
the sơ kết's tables printed partial totals without a word. The document check now asks for the
note wherever a total is partial, so a document without it fails its unit."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import openpyxl

from tongket import open_review
from tongket.common import paths
from tongket.documents.doccheck.reader import read_docx
from tongket.documents.doccheck.results import expected
from tongket.documents.doccheck.run import check_documents
from tongket.pipeline import write_unit


def _blank(path: Path, sheet: str, code: str, nam: int, labels: list[str]) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    head = [c.value for c in ws[1]]
    rows = [r for r in ws.iter_rows(min_row=2) if r[0].value == code and r[1].value == nam]
    assert len(rows) == 1
    for label in labels:
        rows[0][head.index(label)].value = None
    wb.save(path)


def _text(path: Path) -> tuple[str, list[list[str]]]:
    d = docx.Document(path)
    return "\n".join(p.text for p in d.paragraphs), [[c.text for c in r.cells] for t in d.tables for r in t.rows]


def _row(rows: list[list[str]], label: str) -> list[str]:
    found = [r for r in rows if len(r) > 1 and r[1] == label]
    assert found, label
    return found[0]


def test_a_cadre_figure_blank_the_year_before_is_not_compared(tmp_path):
    path = tmp_path / "tinh_mau.xlsx"
    shutil.copy(paths.SAMPLE_DATA, path)
    _blank(path, "co_so", "ST01.03", 2020, ["Số ủy viên Ban Chấp hành", "Số cán bộ Đoàn được bồi dưỡng trong năm"])
    review = open_review(data=path, nam=2021)
    write_unit(review, "ST01", tmp_path / "out", 2021)  # the document check (loi) passes: notes where due
    write_unit(review, "ST", tmp_path / "out", 2021)
    said, rows = _text(tmp_path / "out" / "2021" / "ST01" / "bao_cao_tong_ket.docx")
    assert ("Có 102 cán bộ Đoàn được bồi dưỡng trong năm, không so sánh với năm 2020 (năm 2020 có 1/13 Đoàn cơ sở "
            "chưa báo cáo số liệu này).") in said  # was «giảm 21 cán bộ (17,1%)»
    assert ("ủy viên Ban Chấp hành đạt chuẩn cán bộ (85,6%), không so sánh với năm 2020 (năm 2020 có 1/13 Đoàn cơ "
            "sở chưa báo cáo số liệu này).") in said
    assert _row(rows, "Ủy viên Ban Chấp hành Đoàn cơ sở (chưa đủ số liệu năm 2020)")[3:] == ["124", "132", "–", "–"]
    assert _row(rows, "Cán bộ Đoàn được bồi dưỡng trong năm (chưa đủ số liệu năm 2020)")[3:] == ["123", "102", "–", "–"]
    assert _row(rows, "Đoàn cơ sở thay bí thư trong năm")[3:5] == ["1", "1"]  # given by every unit: compared
    _, so_ket = _text(tmp_path / "out" / "2021" / "ST01" / "bao_cao_so_ket.docx")
    assert [r[:4] for r in so_ket if r and r[0] == "2020" and "/" in r[1]] == [
        ["2020", "104/124 (thiếu 1 Đoàn cơ sở)", "83,9%", "123 (thiếu 1 Đoàn cơ sở)"]]
    province, _ = _text(tmp_path / "out" / "2021" / "ST" / "bao_cao_tong_hop.docx")
    assert ("Có 694 cán bộ Đoàn được bồi dưỡng trong năm, không so sánh với năm 2020 (năm 2020 có 1/75 Đoàn cơ sở "
            "chưa báo cáo số liệu này).") in province  # was «tăng 24 cán bộ (3,6%)»

    # the check asks for the note: the appendix without it, or the sơ kết's cell without it, is a finding
    exp = expected(review, "ST01", 2021)
    doc = read_docx(tmp_path / "out" / "2021" / "ST01" / "bao_cao_tong_ket.docx", "ST01/bao_cao_tong_ket.docx")
    for t in doc.tables:
        for r in t:
            if r and len(r) > 1 and r[1].endswith(" (chưa đủ số liệu năm 2020)"):
                r[1] = r[1].removesuffix(" (chưa đủ số liệu năm 2020)")
    found = [f for f in check_documents([doc], exp) if "Cán bộ Đoàn được bồi dưỡng trong năm: ghi chú" in f.detail]
    assert found and "cần «chưa đủ số liệu năm 2020»" in found[0].detail
    doc = read_docx(tmp_path / "out" / "2021" / "ST01" / "bao_cao_so_ket.docx", "ST01/bao_cao_so_ket.docx")
    for t in doc.tables:
        for r in t:
            if r and r[0] == "2020" and len(r) > 3 and r[3] == "123 (thiếu 1 Đoàn cơ sở)":
                r[3] = "123"
    found = [f for f in check_documents([doc], exp) if "cột «Cán bộ Đoàn được bồi dưỡng»" in f.detail]
    assert found and "bảng kết quả 123 (thiếu 1 Đoàn cơ sở)" in found[0].detail


def test_a_cadre_figure_blank_this_year_is_noted_in_every_table(tmp_path):
    path = tmp_path / "tinh_mau.xlsx"
    shutil.copy(paths.SAMPLE_DATA, path)
    _blank(path, "co_so", "ST01.02", 2021, ["Số cán bộ Đoàn được bồi dưỡng trong năm"])
    _blank(path, "co_so", "ST01.04", 2021, ["Thay bí thư Đoàn cơ sở trong năm"])
    review = open_review(data=path, nam=2021)
    write_unit(review, "ST01", tmp_path / "out", 2021)
    said, rows = _text(tmp_path / "out" / "2021" / "ST01" / "bao_cao_tong_ket.docx")
    assert ("Có 1/12 Đoàn cơ sở thay bí thư trong năm, không so sánh với năm 2020 (1/13 Đoàn cơ sở chưa báo cáo số "
            "liệu này, không tính vào).") in said  # was «…; năm 2020: 1 Đoàn cơ sở.» beside a partial count
    assert _row(rows, "Đoàn cơ sở thay bí thư trong năm (chưa đủ số liệu năm 2021)")[5:] == ["–", "–"]
    assert ("cán bộ Đoàn được bồi dưỡng trong năm, không so sánh với năm 2020 (1/13 Đoàn cơ sở chưa báo cáo số liệu "
            "này, không tính vào).") in said
    assert _row(rows, "Cán bộ Đoàn được bồi dưỡng trong năm (chưa đủ số liệu năm 2021)")[5:] == ["–", "–"]
    appendix = _text(tmp_path / "out" / "2021" / "ST01" / "phu_luc_so_lieu.docx")[1]
    assert _row(appendix, "Cán bộ Đoàn được bồi dưỡng trong năm (chưa đủ số liệu năm 2021)")[5:] == ["–", "–"]
    _, so_ket = _text(tmp_path / "out" / "2021" / "ST01" / "bao_cao_so_ket.docx")
    assert [r[3] for r in so_ket if r and r[0] == "2021" and "/" in r[1]][0].endswith(" (thiếu 1 Đoàn cơ sở)")


def test_member_ratings_incomplete_a_year_are_not_compared(tmp_path):
    path = tmp_path / "tinh_mau.xlsx"
    shutil.copy(paths.SAMPLE_DATA, path)
    _blank(path, "chi_doan", "ST01.01.07", 2020, ["Số đoàn viên không hoàn thành nhiệm vụ"])
    review = open_review(data=path, nam=2021)
    write_unit(review, "ST01", tmp_path / "out", 2021)
    said, rows = _text(tmp_path / "out" / "2021" / "ST01" / "bao_cao_tong_ket.docx")
    assert ("Không so sánh với năm 2020: số liệu năm 2020 chưa đủ (năm 2020 chưa tính 1 chi đoàn chưa báo cáo đầy "
            "đủ).") in said
    assert "So với năm 2020, tỉ lệ đoàn viên được đánh giá" not in said
    levels = [r for r in rows if len(r) == 4 and r[0] == "Hoàn thành xuất sắc nhiệm vụ"]
    assert levels and levels[0][3] == "–", levels  # the member table sets no 2020 share beside 2021's either
    assert _row(rows, "Đoàn viên được đánh giá, xếp loại (chưa đủ số liệu năm 2020)")[3:] == ["3.222", "3.437", "–", "–"]
    assert _row(rows, "Đoàn viên hoàn thành tốt nhiệm vụ (chưa đủ số liệu năm 2020)")[5:] == ["–", "–"]
    so_ket, _ = _text(tmp_path / "out" / "2021" / "ST01" / "bao_cao_so_ket.docx")
    assert "Số liệu năm 2020 chưa tính 1 chi đoàn chưa báo cáo đầy đủ kết quả đánh giá, xếp loại đoàn viên." in so_ket


def test_the_sample_compares_as_before():
    """Every unit of the sample gave every figure: nothing is noted, everything compared."""
    review = open_review()
    exp = expected(review, "ST01", 2021)
    assert exp.now is not None and exp.before is not None
    from tongket.documents.cadres import COUNTED, blanks

    for ma in ("ST01", "ST02", "ST03", "ST04", "ST05", "ST06", "ST"):
        e = expected(review, ma, 2021)
        assert not any(blanks(row, k) for row in (e.now, e.before) for k in COUNTED)
