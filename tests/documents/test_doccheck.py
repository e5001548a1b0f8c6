"""The kit reads its documents back (tongket.documents.doccheck): every check fails on a small real .docx
that carries its violation and passes the same document written as an office would; the hook
in the per-unit write follows `kiem_tra_van_ban`; the command checks a real run of the sample."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from docx import Document
from hypothesis import given
from hypothesis import strategies as st

from tongket.batch import recheck
from tongket.documents import doccheck
from tongket.documents.doccheck import Expected, read_docx, read_folder, read_xlsx
from tongket.errors import ConfigError, RenderError


def docx(path: Path, paragraphs: list[str] = (), tables: list[list[list[str]]] = ()) -> Path:
    """A real Word file: the paragraphs, then the tables (first row the header)."""
    d = Document()
    for p in paragraphs:
        d.add_paragraph(p)
    for rows in tables:
        t = d.add_table(rows=len(rows), cols=len(rows[0]))
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                t.cell(i, j).text = v
    path.parent.mkdir(parents=True, exist_ok=True)
    d.save(path)
    return path


def rules(found: list[doccheck.Finding]) -> list[str]:
    return [f.rule for f in found]


# --- placeholders ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Năm 2021, có {{ so_dat_chuan }} chi đoàn đạt chuẩn.",
    "{% for c in chi_doan %}",
    "Kết nạp {{c.so}}}} đoàn viên mới.",
    "Người ký: None",
    "Tỉ lệ tập hợp thanh niên đạt nan%.",
    "Tỉ lệ tập hợp thanh niên đạt NaN%.",
    "Số đoàn viên: <NA>",
])
def test_a_template_tag_or_machine_blank_is_found(tmp_path, text):
    found = doccheck.placeholders(read_docx(docx(tmp_path / "bao_cao_tong_ket.docx", [text])))
    assert rules(found) and set(rules(found)) == {"the_mau"}
    assert found[0].document == "bao_cao_tong_ket.docx"
    assert found[0].text in text or found[0].text.strip("…") in text


def test_a_table_cell_left_blank_by_the_machine_is_found(tmp_path):
    doc = read_docx(docx(tmp_path / "phu_luc_so_lieu.docx", tables=[[["Chỉ tiêu", "Năm 2021"], ["Số đoàn viên", "nan"]]]))
    assert [(f.rule, f.text) for f in doccheck.placeholders(doc)] == [("the_mau", "nan")]


def test_clean_text_has_no_placeholder(tmp_path):
    doc = read_docx(docx(tmp_path / "bao_cao_tong_ket.docx", [
        "Năm 2021, có 51/75 chi đoàn trên địa bàn dân cư đạt chuẩn, tỉ lệ 68,0%.",
        "Việc tập hợp thanh niên đi làm ăn xa vẫn là vấn đề nan giải.",
        "Số: ……-BC/ĐTN",
    ], tables=[[["STT", "Chỉ tiêu"], ["1", "Số đoàn viên"]]]))
    assert doccheck.placeholders(doc) == []


# --- quotes ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, detail", [
    ("Đơn vị chưa đạt chỉ tiêu “Tỉ lệ đoàn viên thực hiện “1+1”” (chỉ tiêu: 100%).", "«“» trong «“…”»"),
    ("Mô hình Ngày thứ bảy tình nguyện” của Đoàn phường 1.", "«”» không có «“»"),
    ("Năm 2021, Đoàn xã An Hòa được xếp loại “Hoàn thành tốt nhiệm vụ.", "«“» không đóng"),
])
def test_quotes_that_nest_or_do_not_close_are_found(tmp_path, text, detail):
    found = doccheck.quotes(read_docx(docx(tmp_path / "bao_cao_tong_hop.docx", [text])))
    assert [(f.rule, f.detail) for f in found] == [("ngoac_kep", detail)]


@given(st.text(alphabet="ab “”‘’1+", max_size=12), st.text(alphabet="ab “”‘’1+", max_size=12))
def test_a_quoted_name_pairs_its_quotes_whatever_quotes_the_name_holds(name, other):
    """Every name the documents quote goes through trich_dan: nested “ ” become ‘ ’, so the check passes."""
    from tongket.common.vietnamese import trich_dan
    from tongket.documents.doccheck.reader import Block, Doc

    text = f"Đơn vị chưa đạt chỉ tiêu {trich_dan(name)} và {trich_dan(other)}."
    assert doccheck.quotes(Doc("bao_cao_tong_hop.docx", [Block(text, True)])) == []
    assert text.count("“") == text.count("”") == 2


def test_the_targets_sentence_nests_its_quotes(tmp_path):
    doc = read_docx(docx(tmp_path / "bao_cao_tong_hop.docx", [
        "Đơn vị chưa đạt chỉ tiêu “Tỉ lệ đoàn viên thực hiện ‘1+1’” (chỉ tiêu: 100%): Huyện Đoàn Đông Hòa (55,7%).",
    ]))
    assert doccheck.quotes(doc) == []


# --- code words ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, word", [
    ("- Tiêu chí có nhiều chi đoàn chưa đạt nhất: tc4 (kết nạp đoàn viên mới): 16,0% chi đoàn chưa đạt.", "tc4"),
    ("Nội dung “3 chủ động” chưa đạt: nhom1 (Chủ động quản lý đoàn viên, nắm bắt tình hình thanh niên).", "nhom1"),
    ("Chọn ngẫu nhiên 14 chi đoàn để thẩm định (tỉ lệ 20%, tối thiểu 1 chi đoàn, hạt giống 2021).", "hạt giống"),
    ("Chọn lại được với cùng seed.", "seed"),
    ("Danh sách tại trang «tham_dinh» của phụ lục số liệu.", "tham_dinh"),
    ("tc5 (Sinh hoạt định kỳ): Biên bản, sổ sách đầy đủ = Không (yêu cầu = Có)", "="),
    ("tc2 (Có mô hình phát triển kinh tế): Số mô hình phát triển kinh tế = 0 (yêu cầu ≥ 1)", "≥ 1)"),
    ("Kết nạp đoàn viên mới và giới thiệu đoàn viên ưu tú cho đảng xem xét kết nạp.", "cho đảng"),
    ("Sinh hoạt định kỳ, đại hội chi đoàn đúng điều lệ.", "điều lệ"),
    ("Đoàn cơ sở hạ bậc (từ mức bảo vệ trở lên).", "mức bảo vệ"),
    ("Chi đoàn có so_lan_sinh_hoat >= 8 trong năm.", ">="),
])
def test_a_code_word_is_found(tmp_path, text, word):
    found = doccheck.code_words(read_docx(docx(tmp_path / "bao_cao_tong_ket.docx", [text])))
    assert found and set(rules(found)) == {"tu_ma"}
    assert any(f"«{word}" in f.detail for f in found), [f.detail for f in found]


def test_a_unit_code_is_found_in_a_signed_text(tmp_path):
    doc = read_docx(docx(tmp_path / "phieu_danh_gia" / "ST02.05.docx",
                         ["Đơn vị: Đoàn xã Nhơn Thạnh Trung (mã ST02.05), thuộc Huyện Đoàn Phú Mỹ."]),
                    "ST02/phieu_danh_gia/ST02.05.docx")
    assert doc.kind == "phieu_danh_gia"
    found = doccheck.code_words(doc, {"ST02", "ST02.05"})
    assert [f.detail for f in found] == ["«ST02.05»: mã đơn vị"]
    assert doccheck.code_words(doc, {"ST01"}) == []  # only the data's own codes, once the data is known


def test_a_code_word_in_a_long_table_cell_is_found(tmp_path):
    reason = "Tiêu chí 5 (Sinh hoạt định kỳ): Biên bản, sổ sách đầy đủ = Không (yêu cầu = Có)"
    doc = read_docx(docx(tmp_path / "phieu.docx", tables=[[["STT", "Chi đoàn", "Lý do"], ["1", "Chi đoàn ấp A", reason]]]))
    assert {f.detail.split(":")[0] for f in doccheck.code_words(doc)} == {"«=»"}


def test_the_same_content_written_as_an_office_would_has_no_code_word(tmp_path):
    doc = read_docx(docx(tmp_path / "bao_cao_tong_ket.docx", [
        "- Tiêu chí có nhiều chi đoàn chưa đạt nhất: Tiêu chí 4 (kết nạp đoàn viên mới và giới thiệu đoàn viên ưu tú "
        "cho Đảng): 16,0% chi đoàn chưa đạt.",
        "Chi đoàn ấp Bình Hòa chưa có mô hình phát triển kinh tế (yêu cầu ít nhất 1); đại hội đúng Điều lệ Đoàn.",
        "Chọn ngẫu nhiên 14 chi đoàn để thẩm định (tỉ lệ 20%, tối thiểu 1 chi đoàn mỗi Đoàn cơ sở).",
        "Đồng chí Nguyễn Văn A, đảng viên, bí thư chi đoàn; cấp ủy Đảng quan tâm lãnh đạo.",
        "Thực hiện chủ trương “1+1”; Số: 45-BC/ĐTN; 3CĐ 1.1 Nắm chắc tình hình tư tưởng.",
        "Đoàn trường THPT Nguyễn Đình Chiểu, Công ty TNHH Sản xuất & Thương mại Tân Phú.",
        "Liên hệ: ban_to_chuc@tinhdoan.vn.",
    ], tables=[[["STT", "Chỉ tiêu", "Mục tiêu", "Thực hiện", "Đánh giá"],
                ["1", "Tỉ lệ chi đoàn trên địa bàn dân cư đạt chuẩn", "≥ 90%", "68,0%", "Chưa đạt"],
                ["2", "Tỉ lệ đạt", "=", "Đạt", "Đạt"]]]))
    assert doccheck.code_words(doc, {"ST02", "ST02.05"}) == []


# --- names unique within a list ------------------------------------------------------------------------

def test_a_unit_twice_in_a_table_is_found(tmp_path):
    rows = [["STT", "Đoàn cơ sở", "Tỉ lệ"], ["1", "Đoàn phường 1", "33,3%"], ["2", "Đoàn phường 1", "71,4%"],
            ["3", "Đoàn phường 2", "62,5%"]]
    found = doccheck.unique_names(read_docx(docx(tmp_path / "d.docx", tables=[rows])))
    assert [(f.rule, f.text) for f in found] == [("trung_ten", "Đoàn phường 1")]


def test_one_name_under_two_parents_is_no_duplicate(tmp_path):
    rows = [["STT", "Chi đoàn", "Thuộc Đoàn cơ sở"], ["1", "Chi đoàn ấp An Thới", "Đoàn xã An Vĩnh Ngãi"],
            ["2", "Chi đoàn ấp An Thới", "Đoàn xã Bình Tâm"], ["3", "Chi đoàn ấp Tân Lợi", "Đoàn xã Bình Tâm"]]
    assert doccheck.unique_names(read_docx(docx(tmp_path / "d.docx", tables=[rows]))) == []


def test_a_unit_twice_in_a_sentence_list_is_found(tmp_path):
    text = ("- Đoàn cơ sở (xã, phường) chưa có từ 90% chi đoàn dân cư đạt chuẩn: Đoàn phường 1 (33,3%); "
            "Đoàn phường 1 (71,4%); Đoàn phường 2 (62,5%).")
    found = doccheck.unique_names(read_docx(docx(tmp_path / "d.docx", [text])))
    assert rules(found) == ["trung_ten"] and "«Đoàn phường 1» 2 lần" in found[0].detail


def test_names_with_their_parent_in_a_sentence_list_pass(tmp_path):
    text = ("- Có 3 Đoàn cơ sở nâng bậc xếp loại: Đoàn phường 4 (Thành Đoàn Tân An), Đoàn phường 4 (Thị Đoàn "
            "Hòa Thạnh), Đoàn phường 7 và 8 đơn vị khác.")
    doc = read_docx(docx(tmp_path / "d.docx", [text]))
    assert doccheck.unique_names(doc) == []
    # a name several units share needs its parent even once
    assert rules(doccheck.unique_names(doc, {"Đoàn phường 7"})) == ["trung_ten"]
    assert doccheck.unique_names(doc, {"Đoàn phường 4"}) == []


# --- the decision ------------------------------------------------------------------------------------------

DECISION = [["STT", "Chi đoàn", "Thuộc Đoàn cơ sở"], ["1", "Chi đoàn ấp A", "Đoàn xã X"]]


def _decision(tmp_path: Path, rows=DECISION, paragraphs=("QUYẾT ĐỊNH", "Số: 47-QĐ/ĐTN",
                                                          "Điều 1. Công nhận 1 chi đoàn trên địa bàn dân cư đạt chuẩn.")):
    return read_docx(docx(tmp_path / "quyet_dinh_cong_nhan.docx", list(paragraphs), [rows]))


def _recognisable(**more) -> Expected:
    exp = Expected("H1", 2021)
    exp.recognisable = {("Chi đoàn ấp A", "Đoàn xã X"): "", ("Chi đoàn ấp B", "Đoàn xã X"): "thẩm định chưa đạt",
                        ("Chi đoàn ấp C", "Đoàn xã X"): "đang chờ kết quả thẩm định",
                        ("Chi đoàn ấp D", "Đoàn xã X"): "chưa đạt chuẩn"}
    return dataclasses.replace(exp, **more)


def test_a_decision_naming_only_qualifying_branches_passes(tmp_path):
    assert doccheck.recognised(_decision(tmp_path), _recognisable()) == []


@pytest.mark.parametrize("name, why", [("Chi đoàn ấp B", "thẩm định chưa đạt"), ("Chi đoàn ấp C", "đang chờ kết quả thẩm định"),
                                       ("Chi đoàn ấp D", "chưa đạt chuẩn"),
                                       ("Chi đoàn ấp E", "không có trong kết quả đánh giá của đơn vị")])
def test_a_decision_naming_a_branch_that_does_not_qualify_is_found(tmp_path, name, why):
    rows = [*DECISION, ["2", name, "Đoàn xã X"]]
    found = doccheck.recognised(_decision(tmp_path, rows, ("Điều 1. Công nhận 2 chi đoàn trên địa bàn dân cư đạt chuẩn.",)),
                                _recognisable())
    assert [(f.rule, f.text, f.detail) for f in found] == [("cong_nhan", f"2 | {name} | Đoàn xã X", why)]


def test_a_decision_count_unlike_its_list_is_found(tmp_path):
    found = doccheck.recognised(_decision(tmp_path, paragraphs=("Điều 1. Công nhận 51 chi đoàn trên địa bàn dân cư.",)),
                                _recognisable())
    assert [(f.rule, f.detail) for f in found] == [("so_lieu", "danh sách kèm theo có 1 chi đoàn")]


def test_a_final_decision_while_verification_awaits_is_found(tmp_path):
    exp = _recognisable(awaiting=["Chi đoàn ấp C (Đoàn xã X)"])
    found = doccheck.draft_state(_decision(tmp_path, paragraphs=(
        "QUYẾT ĐỊNH", "Số: 47-QĐ/ĐTN", "Căn cứ kết quả thẩm định ngẫu nhiên chi đoàn báo cáo đạt chuẩn;")), exp)
    assert rules(found) == ["du_thao"] * 3
    assert "Chi đoàn ấp C (Đoàn xã X)" in found[0].detail


def test_a_draft_while_verification_awaits_passes(tmp_path):
    exp = _recognisable(awaiting=["Chi đoàn ấp C (Đoàn xã X)"])
    doc = _decision(tmp_path, paragraphs=("DỰ THẢO", "QUYẾT ĐỊNH", "Số: ……-QĐ/ĐTN", "Căn cứ Điều lệ Đoàn TNCS Hồ Chí Minh;"))
    assert doccheck.draft_state(doc, exp) == []
    assert rules(doccheck.draft_state(doc, _recognisable())) == ["du_thao"]  # verification done: no longer a draft
    assert doccheck.draft_state(_decision(tmp_path), _recognisable()) == []


def test_a_draft_marked_by_a_watermark_is_a_draft(tmp_path):
    from docx.oxml import parse_xml

    path = docx(tmp_path / "quyet_dinh_cong_nhan.docx", ["QUYẾT ĐỊNH", "Số: ……-QĐ/ĐTN",
                                                          "Căn cứ Điều lệ Đoàn; sẽ ban hành sau khi có kết quả thẩm định."])
    d = Document(path)
    header = d.sections[0].header.paragraphs[0]
    header._p.append(parse_xml(
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape><v:textpath string="DỰ THẢO"/></v:shape></w:pict></w:r>'))
    d.save(path)
    exp = _recognisable(awaiting=["Chi đoàn ấp C (Đoàn xã X)"])
    assert doccheck.draft_state(read_docx(path), exp) == []


def test_expected_follows_verification_columns_when_the_results_have_them(sample_review):
    """contract §6.1: `cong_nhan` decides where present, and `tham_dinh` names what awaits."""
    r = sample_review.results
    plain = doccheck.expected(sample_review, "ST02", 2021)  # the sample has no results: every drawn branch awaits
    cd = r.chi_doan.copy()
    drawn = cd[(cd["ma_bao_cao"] == "ST02") & (cd["nam"] == 2021) & (cd["tham_dinh"] == "cho_ket_qua")]
    assert len(plain.awaiting) == len(drawn) == 14 and plain.now["so_chi_doan_dat_chuan"] == 51
    assert sum(v == "" for v in plain.recognisable.values()) == 51 - 14
    mine = cd.index[(cd["ma_bao_cao"] == "ST02") & (cd["nam"] == 2021) & (cd["dat_chuan"] == True)]  # noqa: E712
    cd["tham_dinh"] = pd.Series(pd.NA, index=cd.index, dtype=object)
    cd.loc[mine[:2], "tham_dinh"] = ["chua_dat", "cho_ket_qua"]
    cd["cong_nhan"] = cd["dat_chuan"].astype(object)
    cd.loc[mine[:2], "cong_nhan"] = False
    review = dataclasses.replace(sample_review, results=dataclasses.replace(r, chi_doan=cd), memo={})
    exp = doccheck.expected(review, "ST02", 2021)
    waiting = cd.loc[mine[1]]
    assert exp.awaiting == [f"{waiting['ten_don_vi']} ({r.names()[waiting['ma_co_so']]})"]
    assert sorted(v for v in exp.recognisable.values() if v in ("thẩm định chưa đạt", "đang chờ kết quả thẩm định")) \
        == ["thẩm định chưa đạt", "đang chờ kết quả thẩm định"]


# --- the text of a document -------------------------------------------------------------------------------

def test_the_text_of_a_docx_is_what_the_signer_reads_in_order(tmp_path):
    """`docx_text`: paragraphs and table cells where they stand (a cell's paragraphs one line each, a
    merged cell once), then the page header; the same text the checks read (`Doc.text`)."""
    d = Document()
    d.sections[0].header.paragraphs[0].text = "TỈNH ĐOÀN SÔNG TIỀN"
    d.add_paragraph("Năm 2021, có 51/75 chi đoàn trên địa bàn dân cư đạt chuẩn.")
    t = d.add_table(rows=2, cols=3)
    t.cell(0, 0).merge(t.cell(0, 1)).text = "Chi đoàn"
    t.cell(0, 2).text = "Đạt chuẩn"
    t.cell(1, 0).text = "Chi đoàn ấp 1"
    t.cell(1, 1).text = "Đoàn xã"
    t.cell(1, 1).add_paragraph("Bình Tâm")
    t.cell(1, 2).text = "Đạt"
    d.add_paragraph("Nơi nhận:")
    path = tmp_path / "bao_cao_tong_ket.docx"
    d.save(path)
    assert doccheck.docx_text(path).split("\n") == [
        "Năm 2021, có 51/75 chi đoàn trên địa bàn dân cư đạt chuẩn.",
        "Chi đoàn", "Đạt chuẩn", "Chi đoàn ấp 1", "Đoàn xã", "Bình Tâm", "Đạt",
        "Nơi nhận:", "TỈNH ĐOÀN SÔNG TIỀN"]
    assert doccheck.docx_text(path) == read_docx(path).text


# --- workbooks, folders, the hook ------------------------------------------------------------------------

def test_a_signed_workbook_is_read_and_checked(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["STT", "Chỉ tiêu", "Năm 2021"])
    ws.append([1, "Đoàn cơ sở hạ bậc (từ mức bảo vệ trở lên)", "None"])
    ws.append([2, "Tỉ lệ", "="])
    wb.save(tmp_path / "phu_luc_so_lieu.xlsx")
    doc = read_xlsx(tmp_path / "phu_luc_so_lieu.xlsx")
    assert rules(doccheck.check_documents([doc])) == ["the_mau", "tu_ma"]
    shutil.copy(tmp_path / "phu_luc_so_lieu.xlsx", tmp_path / "phu_luc.xlsx")  # machine tables: not a signed text
    assert [d.name for d in read_folder(tmp_path)] == ["phu_luc_so_lieu.xlsx"]


def _with_mode(review, how):
    return dataclasses.replace(review, cycle=dataclasses.replace(review.cycle, kiem_tra_van_ban=how))


def test_after_write_fails_warns_or_skips_as_the_cycle_says(tmp_path, sample_review):
    folder = tmp_path / "2021" / "ST02"
    docx(folder / "bao_cao_tong_ket.docx", ["Tiêu chí có nhiều chi đoàn chưa đạt nhất: tc4 (kết nạp đoàn viên mới)."])
    with pytest.raises(RenderError) as err:
        doccheck.after_write(_with_mode(sample_review, "loi"), "ST02", folder, 2021)
    assert "Văn bản chưa ký được" in str(err.value) and "ST02/bao_cao_tong_ket.docx" in str(err.value)
    assert "tc4" in str(err.value)
    warned = doccheck.after_write(_with_mode(sample_review, "canh_bao"), "ST02", folder, 2021)
    assert len(warned) == 1 and warned[0].startswith("Kiểm tra văn bản: ST02/bao_cao_tong_ket.docx") and "tc4" in warned[0]
    assert doccheck.sidecar_warnings(folder) == warned
    assert not (folder / doccheck.SIDECAR).exists()  # the batch reads it once: nothing left behind
    assert doccheck.after_write(_with_mode(sample_review, "tat"), "ST02", folder, 2021) == []
    assert not (folder / doccheck.SIDECAR).exists()


def test_the_batch_records_a_units_findings_in_its_warnings(tmp_path):
    from tongket.batch.runner import Entry, record_result

    folder = tmp_path / "ST02"
    folder.mkdir()
    f = doccheck.Finding("ST02/bao_cao_tong_ket.docx", "tu_ma", "… tc4 (kết nạp …", "«tc4»: mã tiêu chí")
    (folder / doccheck.SIDECAR).write_text(json.dumps({"che_do": "canh_bao", "vi_pham": [dataclasses.asdict(f)]}))
    (folder / "bao_cao_tong_ket.docx").write_bytes(b"x")
    e = Entry("ST02", "Huyện Đoàn Phú Mỹ", "huyen")
    record_result(e, {"status": "ok", "error": None, "seconds": 1.0}, folder)
    assert e.files == ["ST02/bao_cao_tong_ket.docx"] and not (folder / doccheck.SIDECAR).exists()  # no output
    assert e.warnings == ["Kiểm tra văn bản: ST02/bao_cao_tong_ket.docx: còn từ mã, ký hiệu kỹ thuật trong văn bản: "
                          "«… tc4 (kết nạp …» («tc4»: mã tiêu chí)"]


def test_a_unit_skipped_as_unchanged_keeps_its_findings(tmp_path):
    from tongket.batch import staging
    from tongket.batch.runner import Entry, skip_unchanged

    (tmp_path / "ST02").mkdir()
    (tmp_path / "ST02" / "bao_cao_tong_ket.docx").write_bytes(b"x")
    warning = doccheck.WARNING + "ST02/bao_cao_tong_ket.docx: còn từ mã …"
    files = ["ST02/bao_cao_tong_ket.docx"]
    before = {"ST02": {"status": "ok", "fingerprint": "f", "files": files, "hashes": staging.hashes(files, tmp_path),
                       "warnings": ["chưa có người ký", warning]}}
    e = Entry("ST02", "Huyện Đoàn Phú Mỹ", "huyen", warnings=["chưa có người ký"])
    skip_unchanged([e], {"ST02": "f"}, before, tmp_path, forced=set())
    assert e.skipped and e.warnings == ["chưa có người ký", warning]


def cycle_file(tmp_path: Path, **changes) -> Path:
    """The bundled sample cycle, its paths made absolute, with `changes`, in tmp_path."""
    import yaml

    from tongket.common import paths

    raw = yaml.safe_load(paths.DEFAULT_CYCLE.read_text(encoding="utf-8"))
    base = paths.DEFAULT_CYCLE.parent
    absolute = lambda v: str((base / v).resolve())
    for key in ("data", "scale", "text_dir", "emulation_scale"):
        if raw.get(key):
            raw[key] = absolute(raw[key])
    for group in ("rubrics", "score_sheets"):
        raw[group] = {k: absolute(v) for k, v in (raw.get(group) or {}).items()}
    raw.update(changes)
    out = tmp_path / "chu_ky.yaml"
    out.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return out


def test_the_setting_is_checked_when_the_cycle_is_loaded(tmp_path):
    from tongket.rules.params import load_cycle

    assert load_cycle().kiem_tra_van_ban == "loi"
    assert load_cycle(cycle_file(tmp_path, kiem_tra_van_ban="loi")).kiem_tra_van_ban == "loi"
    assert load_cycle(cycle_file(tmp_path, kiem_tra_van_ban="tat")).kiem_tra_van_ban == "tat"
    with pytest.raises(ConfigError, match="kiem_tra_van_ban phải là một trong"):
        load_cycle(cycle_file(tmp_path, kiem_tra_van_ban="co"))


def test_a_number_in_a_signed_workbook_is_read_as_shown():
    assert [doccheck.shown(*a) for a in [(3859, "#,##0"), (0.7244754, "0.0%"), (3.1418964, '+0.0" điểm %";−0.0" điểm %";0'),
                                         (-33, "+#,##0;−#,##0;0"), (0, "+#,##0;−#,##0;0"), (11.111, "+0.0;−0.0;0"),
                                         ("Đạt", "General"), (None, "General"), (2021, "General")]] == \
        ["3.859", "72,4%", "+3,1 điểm %", "−33", "0", "+11,1", "Đạt", "", "2021"]


# --- a real run of the bundled sample -----------------------------------------------------------------

def finding_key(f: doccheck.Finding) -> tuple[str, str, str]:
    """A finding as (document kind, rule, what), unit codes, rubric ids and thresholds generalised."""
    import re

    kind = doccheck.Doc(f.document).kind
    if f.rule in ("tu_ma", "the_mau"):
        what = re.match(r"«([^»]*)»", f.detail).group(1)
        what = "<mã đơn vị>" if "mã đơn vị" in f.detail else \
            re.sub(r"\d+", "N", what) if what.startswith(("≥", "tc", "nhom")) else what
    elif f.rule == "trung_ten":
        what = re.search(r"«([^»]*)»", f.detail).group(1)
    else:
        what = f.text
    return kind, f.rule, what


@pytest.fixture(scope="module")
def direct_run(tmp_path_factory):
    """A real run of the bundled sample with the direct engine (the default setting: a violation fails the unit)."""
    from tongket.batch.runner import run

    out = tmp_path_factory.mktemp("doccheck")
    return run(out=out, progress=False, engine="direct", jobs=1)


@pytest.mark.slow
def test_a_real_run_of_the_sample_passes_every_check_and_the_command_says_so(direct_run, capsys):
    """Every document of the bundled sample is signable as it comes out (issue 16 F): the run's
    own check finds nothing, and the command run on the folder afterwards agrees."""
    from tongket.cli import main

    assert direct_run.exit_code == 0 and all(e.status == "ok" for e in direct_run.entries)
    from tongket.batch.runner import SLICES

    year = direct_run.out / "2021"  # the findings went to the manifest, no file stays (the read workbook aside)
    assert not [p for p in year.rglob(".*") if p != year / SLICES and year / SLICES not in p.parents]
    assert not any(w.startswith(doccheck.WARNING) for e in direct_run.entries for w in e.warnings)

    year = direct_run.out / "2021"
    found, notes = recheck.check_output(year)
    assert notes == [] and sorted(found) == [f"2021/{c}" for c in ("ST", "ST01", "ST02", "ST03", "ST04", "ST05", "ST06")]
    assert {u: [finding_key(f) for f in fs] for u, fs in found.items() if fs} == {}

    try:
        main(["kiem-tra-van-ban", str(direct_run.out)])
        code = 0
    except SystemExit as exc:
        code = exc.code
    assert code == 0
    assert "Không có vi phạm trong văn bản của 7 đơn vị." in capsys.readouterr().out


@pytest.mark.slow
def test_the_command_finds_a_figure_and_a_recognition_changed_in_a_real_document(direct_run, tmp_path, capsys):
    from tongket.cli import main

    copy = tmp_path / "2021"
    shutil.copytree(direct_run.out / "2021", copy)
    before = {finding_key(f) for fs in recheck.check_output(copy)[0].values() for f in fs}
    report = Document(copy / "ST02" / "bao_cao_tong_ket.docx")
    para = next(p for p in report.paragraphs if "chi đoàn trên địa bàn dân cư đạt chuẩn, tỉ lệ" in p.text)
    text = para.text
    numbers = text.split(" chi đoàn trên địa bàn dân cư đạt chuẩn")[0].split()[-1]  # «51/75»
    a, b = numbers.split("/")
    para.text = text.replace(numbers, f"{int(a) + 1}/{b}", 1)
    report.save(copy / "ST02" / "bao_cao_tong_ket.docx")
    decision = Document(copy / "ST02" / "quyet_dinh_cong_nhan.docx")
    table = next(t for t in decision.tables if t.rows[0].cells[1].text == "Chi đoàn")
    row = table.add_row().cells
    row[0].text, row[1].text, row[2].text = "52", "Chi đoàn ấp Mỹ Lợi", "Đoàn xã Nhơn Thạnh Trung"  # sent no data
    decision.save(copy / "ST02" / "quyet_dinh_cong_nhan.docx")

    found = recheck.check_output(copy)[0]["2021/ST02"]
    new = [f for f in found if finding_key(f) not in before]
    assert sorted((f.rule, f.document) for f in new) == [
        ("cong_nhan", "2021/ST02/quyet_dinh_cong_nhan.docx"), ("so_lieu", "2021/ST02/bao_cao_tong_ket.docx"),
        ("so_lieu", "2021/ST02/quyet_dinh_cong_nhan.docx")]
    assert f"văn bản ghi {int(a) + 1}, bảng kết quả {a}" in next(f for f in new if f.rule == "so_lieu"
                                                                 and "bao_cao" in f.document).detail
    assert next(f for f in new if f.rule == "cong_nhan").detail == "chưa gửi số liệu"
    with pytest.raises(SystemExit) as ex:
        main(["kiem-tra-van-ban", str(copy), "--chi-tiet"])
    assert ex.value.code == 1
    assert "2021/ST02/quyet_dinh_cong_nhan.docx: quyết định công nhận đơn vị không đủ điều kiện: «52 | Chi đoàn ấp Mỹ Lợi" \
        in capsys.readouterr().out


@pytest.mark.slow
def test_a_unit_whose_documents_break_a_rule_fails_when_the_cycle_says_loi(tmp_path):
    from tongket.batch.runner import run

    # An analyst's note that leaks a rubric id into every document the unit signs.
    res = run(cycle_file(tmp_path, kiem_tra_van_ban="loi", ghi_chu="Số liệu mẫu, tc4 chưa rà soát"),
              out=tmp_path / "out", ma_bao_cao=["ST06"], progress=False, engine="direct", jobs=1)
    st06 = next(e for e in res.entries if e.ma_don_vi == "ST06")
    assert res.exit_code == 1 and st06.status == "failed"
    assert st06.error.startswith("Văn bản chưa ký được:")
    assert "ST06/bao_cao_tong_ket.docx" in st06.error and "«tc4»" in st06.error
    manifest = json.loads(res.manifest.read_text(encoding="utf-8"))
    assert manifest["districts"][0]["error"] == st06.error
