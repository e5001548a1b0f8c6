"""Special units in the documents [003] (issue 19.3): the table of the year-end report, the
six-month review and the progress decision, on a workbook built here with sheet dac_thu_tien_do;
their figures, their sentences, their golden text; and nothing new without the sheet."""

from __future__ import annotations

import dataclasses
import importlib
import sys
from pathlib import Path

import pytest

from conftest import ROOT, small_rows, small_tree, write_exchange
from helpers import add_sheet, check_golden, document_text, section_number
from tongket import open_review, write_unit
from tongket.documents.contexts import bao_cao_tong_hop, bao_cao_tong_ket
from tongket.documents.special_units import applies_decision, applies_review

TEAM_1 = "Tổ công tác số 1 – đ/c Lê Minh Tâm"
TEAM_2 = "Tổ công tác số 2 – đ/c Trần Thị Mỹ Duyên"
ROWS = [["C1", 2021, 1, "Có", "Đã kiện toàn Ban Chấp hành"], ["C1", 2021, 2, "Có", "Sinh hoạt đều đặn"],
        ["C1", 2021, 3, "Không", None], ["C1", 2021, 4, None, None],
        ["C2", 2021, 1, "Không", "Chưa kiện toàn được Bí thư"], ["C2", 2021, 2, "Có", None]]


def book(path: Path, rows: list[list] | None = ROWS) -> Path:
    """The small province: C1 (HTNV both years) and C2 (HTNV, then HTXSNV) special, under H1."""
    tree = small_tree()
    teams = {"C1": TEAM_1, "C2": TEAM_2}
    for u in tree:
        u["dac_thu"], u["to_cong_tac"] = u["ma_don_vi"] in teams, teams.get(u["ma_don_vi"])
    cd, cs = small_rows()
    typed = {("C1", 2020): "HTNV", ("C1", 2021): "HTNV", ("C2", 2020): "HTNV", ("C2", 2021): "HTXSNV"}
    for r in cs:
        r["xep_loai"] = typed.get((r["ma_don_vi"], r["nam"]), r.get("xep_loai"))
    write_exchange(path, tree, cd, cs)
    if rows is not None:
        add_sheet(path, "dac_thu_tien_do", ["ma_don_vi", "nam", "quy", "tien_bo", "ghi_chu"], rows)
    return path


@pytest.fixture(scope="module")
def templates(tmp_path_factory) -> Path:
    """Every template as tools/build_templates.py makes it (the report's section included)."""
    out = tmp_path_factory.mktemp("mau")
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        importlib.import_module("build_templates")
        for key, build in importlib.import_module("build_templates").BUILDERS.items():
            build(out / f"{key}.docx")
    finally:
        sys.path.remove(str(ROOT / "tools"))
    return out


def _review(path: Path, templates: Path | None = None):
    review = open_review(data=path, nam=2021)
    if templates is not None:
        review = dataclasses.replace(review, cycle=dataclasses.replace(review.cycle, templates=templates))
    return review


def test_the_report_table_states_each_unit(tmp_path):
    review = _review(book(tmp_path / "x.xlsx"))
    ctx, _ = bao_cao_tong_ket(review, "H1", 2021)
    section = ctx["don_vi_dac_thu"]
    assert [(r["ten"], r["to_cong_tac"], r["xep_loai_truoc"], r["xep_loai_nay"], r["quy_1"], r["quy_2"], r["quy_3"],
             r["quy_4"], r["so_quy"], r["cong_nhan"]) for r in section["bang"]] == [
        ("Đoàn phường 2", TEAM_2, "HTNV", "HTXSNV", "Không", "Có", "–", "–", "1/4", "Có"),
        ("Đoàn xã An Bình", TEAM_1, "HTNV", "HTNV", "Có", "Có", "Không", "–", "2/4", "Có")]
    assert section["cau"] == (
        "Năm 2021, 2 Đoàn cơ sở đặc thù, khó khăn được các tổ công tác theo dõi, hỗ trợ; 2 đơn vị có đánh giá tiến "
        "bộ hằng quý của tổ công tác. Theo quy định công nhận tiến bộ (tổ công tác ghi nhận tiến bộ ít nhất 2 quý "
        "trong năm hoặc nâng bậc xếp loại so với năm trước), 2 đơn vị được công nhận tiến bộ: Đoàn phường 2, Đoàn "
        "xã An Bình.")
    assert section["de_xuat"] == ("Năm 2021 không có Đoàn cơ sở xếp loại không hoàn thành nhiệm vụ: chưa đề xuất "
                                  "thêm đơn vị đặc thù năm 2022.")
    assert "công nhận tiến bộ (nâng bậc)" not in ctx["cau"]["dac_thu"]  # recognition is the section's
    province, _ = bao_cao_tong_hop(review, "T", 2021)
    assert [r["ten"] for r in province["don_vi_dac_thu"]["bang"]] == ["Đoàn phường 2", "Đoàn xã An Bình"]
    h2, _ = bao_cao_tong_ket(review, "H2", 2021)
    assert h2["don_vi_dac_thu"] is None  # no special unit in H2: no section
    assert applies_review(review, "H1", 2021) and applies_decision(review, "H1", 2021)
    assert not applies_review(review, "H2", 2021) and not applies_decision(review, "H2", 2021)


def test_without_the_sheet_no_section_and_no_new_document(tmp_path, templates):
    review = _review(book(tmp_path / "x.xlsx", rows=None), templates)
    ctx, _ = bao_cao_tong_ket(review, "H1", 2021)
    assert ctx["don_vi_dac_thu"] is None
    assert ctx["cau"]["dac_thu"].endswith("; công nhận tiến bộ (nâng bậc): Đoàn phường 2.")  # as before
    out = write_unit(review, "H1", tmp_path / "out")
    names = sorted(Path(f).name for f in out["files"] if f.endswith(".docx"))
    assert "bao_cao_so_ket_dac_thu.docx" not in names and "quyet_dinh_tien_bo.docx" not in names
    text = document_text(tmp_path / "out/2021/H1/bao_cao_tong_ket.docx")
    assert "Theo dõi, hỗ trợ Đoàn cơ sở đặc thù" not in text


@pytest.fixture(scope="module")
def written(tmp_path_factory, templates) -> Path:
    folder = tmp_path_factory.mktemp("dac_thu")
    review = _review(book(folder / "x.xlsx"), templates)
    write_unit(review, "H1", folder / "out")  # read back by doccheck (kiem_tra_van_ban: loi) as it writes
    return folder / "out/2021/H1"


def test_the_report_prints_the_section_with_its_number(written):
    text = document_text(written / "bao_cao_tong_ket.docx")
    n = section_number(text, "Theo dõi, hỗ trợ Đoàn cơ sở đặc thù, khó khăn")
    assert n >= 6 and section_number(text, "Kết quả theo từng Đoàn cơ sở") > n
    assert ("1 | Đoàn phường 2 | Tổ công tác số 2 – đ/c Trần Thị Mỹ Duyên | HTNV | HTXSNV | Không | Có | – | – | Có"
            in text)
    assert "Xếp loại năm 2020 | Xếp loại năm 2021 | Quý I | Quý II | Quý III | Quý IV | Công nhận tiến bộ" in text


@pytest.mark.parametrize("doc", ["bao_cao_so_ket_dac_thu", "quyet_dinh_tien_bo"])
def test_golden_text(written, doc):
    text = document_text(written / f"{doc}.docx")
    check_golden(f"dac_thu_{doc}", text)


def test_the_review_and_the_decision_say_what_the_quarters_say(written):
    review = document_text(written / "bao_cao_so_ket_dac_thu.docx")
    assert "Sơ kết 6 tháng đầu năm 2021 công tác hỗ trợ, củng cố, kiện toàn tổ chức cơ sở Đoàn đặc thù, khó khăn" in review
    assert "Quý I: tổ công tác ghi nhận tiến bộ ở 1/2 đơn vị, 1 đơn vị chưa tiến bộ." in review
    assert "Quý II: tổ công tác ghi nhận tiến bộ ở 2/2 đơn vị." in review
    assert "Tiến bộ trong cả hai quý: Đoàn xã An Bình." in review
    assert f"{TEAM_1}: phụ trách Đoàn xã An Bình." in review
    assert "Quý I: Đã kiện toàn Ban Chấp hành; Quý II: Sinh hoạt đều đặn" in review
    decision = document_text(written / "quyet_dinh_tien_bo.docx")
    assert "Về việc công nhận tiến bộ đối với Đoàn cơ sở đặc thù, khó khăn năm 2021" in decision
    assert ("Điều 1. Công nhận tiến bộ năm 2021 đối với 2 Đoàn cơ sở đặc thù, khó khăn được tổ công tác ghi nhận "
            "tiến bộ ít nhất 2 quý trong năm hoặc nâng bậc xếp loại so với năm trước (có danh sách kèm theo).") in decision
    assert "2 | Đoàn xã An Bình | Tổ công tác số 1 – đ/c Lê Minh Tâm | HTNV | HTNV | 2/4 | Tiến bộ 2/4 quý" in decision
    assert "1 | Đoàn phường 2 | Tổ công tác số 2 – đ/c Trần Thị Mỹ Duyên | HTNV | HTXSNV | 1/4 | Nâng bậc xếp loại" \
        in decision


def test_the_read_back_refuses_a_decision_naming_a_unit_the_rule_does_not_recognise(written, tmp_path):
    from docx import Document

    from tongket.documents.doccheck.reader import read_docx
    from tongket.documents.doccheck.special import progress_recognised

    expected = {"Đoàn phường 2": True, "Đoàn xã An Bình": True}
    assert progress_recognised(read_docx(written / "quyet_dinh_tien_bo.docx"), expected) == []
    doc = Document(written / "quyet_dinh_tien_bo.docx")
    cell = doc.tables[-1].rows[2].cells[1]
    cell.paragraphs[0].runs[0].text = "Đoàn xã Đông Hòa"  # an ordinary unit slipped into the list
    doc.save(tmp_path / "quyet_dinh_tien_bo.docx")
    found = progress_recognised(read_docx(tmp_path / "quyet_dinh_tien_bo.docx"),
                                {**expected, "Đoàn xã An Bình": False})
    assert [(f.rule, f.detail) for f in found] == [("cong_nhan", "không phải Đoàn cơ sở đặc thù của đơn vị")]
    assert found[0].text.startswith("2 | Đoàn xã Đông Hòa |")
    found = progress_recognised(read_docx(written / "quyet_dinh_tien_bo.docx"), {**expected, "Đoàn xã An Bình": False})
    assert [(f.rule, f.detail) for f in found] == [("cong_nhan", "chưa đủ điều kiện công nhận tiến bộ")]


def test_a_name_shared_by_two_units_of_the_province_carries_its_district(tmp_path):
    import openpyxl as xl

    path = book(tmp_path / "x.xlsx")
    wb = xl.load_workbook(path)
    ws = wb["don_vi"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "C3":
            row[1].value = "Đoàn phường 2"  # the name of C2 (special, Huyện Đoàn Một), in Huyện Đoàn Hai
    wb.save(path)
    review = _review(path)
    province, _ = bao_cao_tong_hop(review, "T", 2021)
    assert [r["ten"] for r in province["don_vi_dac_thu"]["bang"]] == ["Đoàn phường 2 (Huyện Đoàn Một)",
                                                                     "Đoàn xã An Bình"]


def test_next_years_suggestions_name_a_shared_name_with_its_district(tmp_path):
    """Two Đoàn cơ sở of one name in two districts, both rated the lowest level: the province's
    suggestion for next year's special units names each with its district (the read-back check
    refused the province's report when 40 synthetic districts shared school names)."""
    import openpyxl as xl

    path = book(tmp_path / "x.xlsx")
    wb = xl.load_workbook(path)
    for row in wb["don_vi"].iter_rows(min_row=2):
        if row[0].value == "C3":
            row[1].value = "Đoàn xã An Bình"  # the name of C1 (Huyện Đoàn Một), in Huyện Đoàn Hai
    header = [c.value for c in wb["co_so"][1]]
    for row in wb["co_so"].iter_rows(min_row=2):
        if row[header.index("ma_don_vi")].value in ("C1", "C3") and row[header.index("nam")].value == 2021:
            row[header.index("xep_loai")].value = "KHTNV"
    wb.save(path)
    review = _review(path)
    province, _ = bao_cao_tong_hop(review, "T", 2021)
    said = province["don_vi_dac_thu"]["de_xuat"]
    assert "Đoàn xã An Bình (Huyện Đoàn Hai)" in said and "Đoàn xã An Bình (Huyện Đoàn Một)" in said, said
    assert "Đoàn xã An Bình," not in said and "Đoàn xã An Bình." not in said


def test_a_unit_without_first_half_rows_reads_as_not_judged_and_a_year_without_any_writes_no_review(tmp_path):
    """C2 has rows of quarters III and IV only: the review says it was not judged in I and II (never
    «nan», which the sample's 2019 printed); a year with no first-half rows at all writes no review."""
    from tongket.documents.special_units import bao_cao_so_ket_dac_thu

    rows = ROWS[:4] + [["C2", 2021, 3, "Có", "Đã có Bí thư mới"], ["C2", 2021, 4, "Có", None]]
    review = _review(book(tmp_path / "x.xlsx", rows=rows))
    ctx, _ = bao_cao_so_ket_dac_thu(review, "H1", 2021)
    assert ctx["ket_qua_quy"][:2] == [
        "Quý I: tổ công tác ghi nhận tiến bộ ở 1/2 đơn vị, 1 đơn vị chưa có đánh giá.",
        "Quý II: tổ công tác ghi nhận tiến bộ ở 1/2 đơn vị, 1 đơn vị chưa có đánh giá."]
    assert [(r["ten"], r["quy_1"], r["quy_2"], r["ghi_nhan"]) for r in ctx["bang_dac_thu"]] == [
        ("Đoàn phường 2", "–", "–", "–"),
        ("Đoàn xã An Bình", "Có", "Có", "Quý I: Đã kiện toàn Ban Chấp hành; Quý II: Sinh hoạt đều đặn")]
    assert applies_review(review, "H1", 2021)

    later = [["C1", 2021, 3, "Không", None], ["C2", 2021, 4, "Có", None], ["C1", 2020, 1, "Có", None]]
    review = _review(book(tmp_path / "y.xlsx", rows=later))
    assert not applies_review(review, "H1", 2021)
    assert not applies_review(review, "T", 2021)

    none = [["C1", 2020, 1, "Có", "Đã kiện toàn Ban Chấp hành"]]  # the sheet, but no row of 2021
    review = _review(book(tmp_path / "z.xlsx", rows=none))
    assert not applies_review(review, "H1", 2021)
    section = bao_cao_tong_ket(review, "H1", 2021)[0]["don_vi_dac_thu"]
    assert section["cau"] == (
        "Năm 2021, 2 Đoàn cơ sở đặc thù, khó khăn được các tổ công tác theo dõi, hỗ trợ; các tổ công tác chưa có "
        "đánh giá tiến bộ hằng quý năm 2021. Theo quy định công nhận tiến bộ (tổ công tác ghi nhận tiến bộ ít nhất "
        "2 quý trong năm hoặc nâng bậc xếp loại so với năm trước), 1 đơn vị được công nhận tiến bộ: Đoàn phường 2.")
    assert [(r["ten"], r["quy_1"], r["so_quy"], r["cong_nhan"]) for r in section["bang"]] == [
        ("Đoàn phường 2", "–", "–", "Có"), ("Đoàn xã An Bình", "–", "–", "Không")]
