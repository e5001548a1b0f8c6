"""The Word report: official form, numbers equal the result tables, escaping, strictness,
reproducible bytes."""

from __future__ import annotations

import hashlib
import os
import re
from datetime import datetime, timedelta

import pytest
from docx import Document
from docx.shared import Pt

from conftest import ROOT, small_rows, small_tree, write_exchange
from helpers import docx_text, shift_clock
from tongket import open_review, write_unit
from tongket.common.vietnamese import phan_tram
from tongket.documents.report import render_docx
from tongket.errors import RenderError


@pytest.fixture(scope="module")
def st02(tmp_path_factory, sample_review):
    out = tmp_path_factory.mktemp("bc")
    written = write_unit(sample_review, "ST02", out)
    return out, written, Document(out / "2021/ST02/bao_cao_tong_ket.docx")


def test_official_frame(st02):
    _, _, doc = st02
    header = doc.tables[0]
    left = [p.text for p in header.cell(0, 0).paragraphs]
    right = [p.text for p in header.cell(0, 1).paragraphs]
    assert left == ["TỈNH ĐOÀN SÔNG TIỀN", "BCH ĐOÀN HUYỆN PHÚ MỸ", "***", "Số: 45-BC/ĐTN"]
    assert right[0] == "ĐOÀN TNCS HỒ CHÍ MINH" and right[-1] == "Phú Mỹ, ngày 20 tháng 12 năm 2021"
    party = header.cell(0, 1).paragraphs[0].runs[0]
    assert party.bold and party.underline and party.font.size == Pt(15)
    assert header.cell(0, 1).paragraphs[-1].runs[0].italic
    texts = [p.text for p in doc.paragraphs]
    assert "BÁO CÁO" in texts
    assert any(t.startswith("Tổng kết công tác xây dựng Đoàn cơ sở “3 chủ động”") and t.endswith("năm 2021, "
               "phương hướng nhiệm vụ năm 2022") for t in texts)
    assert any(t.startswith("Trên đây là báo cáo tổng kết") and t.endswith("./.") for t in texts)
    sign = doc.tables[-2]  # the last table is the appendix
    assert [p.text for p in sign.cell(0, 1).paragraphs] == ["TM. BAN THƯỜNG VỤ", "BÍ THƯ", "", "", "", "",
                                                            "Lê Văn Phúc"]
    recipients = [p.text for p in sign.cell(0, 0).paragraphs]
    assert recipients[0] == "Nơi nhận:" and recipients[-1] == "- Lưu: VP."
    assert "- Ban Thường vụ Tỉnh Đoàn;" in recipients
    assert "PHỤ LỤC SỐ LIỆU" in texts


def test_page_setup_and_fonts(st02):
    _, _, doc = st02
    s = doc.sections[0]
    mm = lambda v: round(v.mm, 1)
    assert (mm(s.page_width), mm(s.page_height)) == (210, 297)
    assert (mm(s.top_margin), mm(s.bottom_margin), mm(s.left_margin), mm(s.right_margin)) == (20, 20, 30, 20)
    assert s.different_first_page_header_footer  # page numbers from page 2
    assert "PAGE" in s.header._element.xml
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(14)
    for p in doc.paragraphs:
        assert p.style.font.name in ("Times New Roman", None)
        for r in p.runs:
            assert r.font.name in ("Times New Roman", None)


def test_nothing_left_unrendered(st02):
    out, _, _ = st02
    text = docx_text(out / "2021/ST02/bao_cao_tong_ket.docx")
    assert "{{" not in text and "{%" not in text and "}}" not in text


def test_numbers_equal_the_result_tables(st02, sample_review):
    out, _, doc = st02
    r = sample_review.results.of_unit("ST02").year(2021)
    h = r.huyen.iloc[0]
    text = docx_text(out / "2021/ST02/bao_cao_tong_ket.docx")
    assert (f"Năm 2021, có {int(h['so_chi_doan_dat_chuan'])}/{int(h['so_chi_doan_dan_cu'])} chi đoàn trên địa "
            f"bàn dân cư đạt chuẩn, tỉ lệ {phan_tram(h['ty_le_dat_chuan'])}") in text
    table = next(t for t in doc.tables if t.cell(0, 1).text == "Đoàn cơ sở")
    rows = {row.cells[1].text: [c.text for c in row.cells] for row in table.rows[1:]}
    assert len(rows) == len(r.co_so)
    for cs in r.co_so.itertuples():
        shown = rows[cs.ten_don_vi]
        if cs.so_chi_doan_dan_cu:
            assert shown[2:5] == [str(cs.so_chi_doan_dan_cu), str(cs.so_chi_doan_dat_chuan),
                                  phan_tram(cs.ty_le_dat_chuan)]
    appendix = doc.tables[-1]
    by_name = {row.cells[1].text: [c.text for c in row.cells] for row in appendix.rows[1:]}
    before = sample_review.results.of_unit("ST02").year(2020).huyen.iloc[0]
    assert by_name["Số đoàn viên"][3:6] == [f"{int(before['so_doan_vien']):,}".replace(",", "."),
                                             f"{int(h['so_doan_vien']):,}".replace(",", "."),
                                             f"{int(h['so_doan_vien'] - before['so_doan_vien']):+,}"
                                             .replace(",", ".").replace("-", "−")]
    assert by_name["Tỉ lệ chi đoàn dân cư đạt chuẩn"][4] == phan_tram(h["ty_le_dat_chuan"])


def test_the_weakest_criterion_is_the_first_shortcoming(st02, sample_review):
    _, _, doc = st02
    cd = sample_review.results.of_unit("ST02").year(2021).chi_doan
    assessed = cd[cd["dat_chuan"].notna()]
    fails = {c: float((~assessed[c].astype(bool)).mean()) for c in ("tc1", "tc2", "tc3", "tc4", "tc5", "tc6", "tc7")}
    worst = max(fails, key=fails.get)
    line = next(p.text for p in doc.paragraphs if p.text.startswith("- Tiêu chí có nhiều chi đoàn chưa đạt nhất"))
    assert line.startswith(f"- Tiêu chí có nhiều chi đoàn chưa đạt nhất: Tiêu chí {worst[2:]} (")
    assert f"{phan_tram(fails[worst])} chi đoàn chưa đạt" in line


def test_rendering_twice_gives_identical_bytes(tmp_path, sample_review, monkeypatch):
    digests = []
    for run in ("a", "b"):
        if run == "b":  # another year, day, hour, minute and second: timestamps must not leak into the files
            shift_clock(monkeypatch, timedelta(days=400, hours=1, minutes=1, seconds=1))
            assert datetime.now() - datetime.fromtimestamp(os.stat(tmp_path / "a").st_mtime) > timedelta(days=400)
        write_unit(sample_review, "ST05", tmp_path / run, gop_phieu=True)
        folder = tmp_path / run / "2021" / "ST05"
        digests.append({str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
                        for p in folder.rglob("*") if p.suffix in (".docx", ".xlsx")})
    assert len(digests[0]) > 15  # every document, every sheet, the merged sheets, both workbooks
    assert digests[0] == digests[1]


def _all_text(folder) -> str:
    import openpyxl

    parts = [docx_text(p) for p in sorted(folder.rglob("*.docx"))]
    for p in sorted(folder.rglob("*.xlsx")):
        wb = openpyxl.load_workbook(p)
        parts += [str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]
    return "\n".join(parts)


@pytest.mark.parametrize("name", ["Đoàn xã A & B", "Đoàn <trường> \"Lê Lợi\" 'mới'", "Đoàn {{ ten }} {% if %}",
                                  "=HYPERLINK(\"x\")"])
def test_names_print_exactly_as_typed(tmp_path, name):
    tree = small_tree()
    tree[3]["ten_don_vi"] = name  # C1, in district H1
    tree[4]["ten_don_vi"] = "Chi đoàn ấp 1 & 2 <mới>"  # C1.1, up to standard: in the decision's annex
    tree[1]["ten_don_vi"] = "Huyện Đoàn Một & Hai"
    cd, cs = small_rows()
    data = write_exchange(tmp_path / "ten.xlsx", tree, cd, cs)
    review = open_review(data=data, nam=2021)
    write_unit(review, "H1", tmp_path / "out", gop_phieu=True)
    folder = tmp_path / "out/2021/H1"
    text = docx_text(folder / "bao_cao_tong_ket.docx")
    assert name in text
    assert "Ban Thường vụ Huyện Đoàn Một & Hai" in text
    assert "HUYỆN ĐOÀN MỘT & HAI" in text  # issuing body from the unit's record when params have none
    for doc in ("quyet_dinh_cong_nhan.docx", "phu_luc_so_lieu.docx", "phieu_danh_gia/C1.docx",
                "phieu_danh_gia_tat_ca.docx"):
        assert name in docx_text(folder / doc), doc
    assert "Chi đoàn ấp 1 & 2 <mới>" in docx_text(folder / "quyet_dinh_cong_nhan.docx")
    everything = _all_text(folder)
    assert "{{ vb" not in everything and "{%p" not in everything and "{%tr" not in everything
    import openpyxl

    ws = openpyxl.load_workbook(folder / "phu_luc_so_lieu.xlsx").active
    cell = next(c for row in ws.iter_rows() for c in row if c.value == name)
    assert cell.data_type == "s"  # text, never a formula


def test_missing_document_details_print_dotted_blanks(tmp_path):
    cd, cs = small_rows()
    review = open_review(data=write_exchange(tmp_path / "x.xlsx", small_tree(), cd, cs), nam=2021)
    out = write_unit(review, "H2", tmp_path / "out")
    assert out["warnings"] == [
        "Huyện Đoàn Hai (H2): chưa có số văn bản, địa danh, người ký, nơi nhận — để trống «……» trong báo cáo tổng "
        "kết, báo cáo sơ kết",
        "Huyện Đoàn Hai (H2): chưa có số văn bản, địa danh, người ký — để trống «……» trong quyết định công nhận",
        "Huyện Đoàn Hai (H2): chưa có địa danh, người ký — để trống «……» trong phiếu đánh giá Đoàn cơ sở, phụ lục "
        "số liệu, danh sách thẩm định"]
    doc = Document(tmp_path / "out/2021/H2/bao_cao_tong_ket.docx")
    left = [p.text for p in doc.tables[0].cell(0, 0).paragraphs]
    assert left == ["TỈNH ĐOÀN THỬ", "HUYỆN ĐOÀN HAI", "***", "Số: ……-BC/ĐTN"]
    assert doc.tables[0].cell(0, 1).paragraphs[-1].text == "……, ngày 20 tháng 12 năm 2021"


def test_half_year_documents_are_dated_by_the_calendars_half_year_review(sample_review):
    """The special units' «sơ kết 6 tháng đầu năm» is signed on the calendar's half-year date, never
    on the year-end date; without that date it prints dotted blanks and says which date is missing.
    The "1+1" review sets the half year beside the year-end report, so it is signed with it."""
    import dataclasses

    from tongket.documents.details import document_details, issuer_and_parent
    from tongket.rules.calendar import Calendar

    unit, parent = issuer_and_parent(sample_review, "ST01")
    cycle = sample_review.cycle
    day = lambda c, loai: document_details(c, unit, parent, loai, "BC", False)
    assert day(cycle, "bao_cao_so_ket_dac_thu")[0]["ngay"] == "ngày 15 tháng 7 năm 2021"
    assert day(cycle, "bao_cao_mot_cong_mot")[0]["ngay"] == "ngày 20 tháng 12 năm 2021"
    assert day(cycle, "bao_cao_tong_ket")[0]["ngay"] == "ngày 20 tháng 12 năm 2021"
    no_calendar = dataclasses.replace(cycle, lich=Calendar())
    vb, missing = day(no_calendar, "bao_cao_so_ket_dac_thu")
    assert vb["ngay"] == "ngày …… tháng …… năm ……"
    assert "ngày sơ kết 6 tháng (lich: so_ket_6_thang)" in missing
    assert day(no_calendar, "bao_cao_tong_ket")[0]["ngay"] == "ngày 20 tháng 12 năm 2021"


def test_a_missing_field_fails_loudly(tmp_path):
    with pytest.raises(RenderError, match="dùng trường chưa có dữ liệu: 'vb' is undefined"):
        render_docx(ROOT / "templates/bao_cao_tong_ket.docx", {"nam": 2021}, tmp_path / "x.docx")
    assert not (tmp_path / "x.docx").exists()


def test_templates_declare_only_known_fields(sample_review):
    from docxtpl import DocxTemplate

    from tongket.pipeline import reporting_context, tinh_context

    for name, ctx in (("bao_cao_tong_ket.docx", reporting_context(sample_review, "ST01")[0]),
                      ("bao_cao_tong_hop.docx", tinh_context(sample_review)[0])):
        tpl = DocxTemplate(ROOT / "templates" / name)
        undeclared = tpl.get_undeclared_template_variables(context={**ctx, "bieu_do": {}, "so_bieu_do": {}})
        assert undeclared == set(), name
        tpl.init_docx()
        text = re.sub(r"<[^>]+>", "", tpl.get_xml())
        assert not re.search(r"\{\{[^ ]|[^ ]\}\}", text), "tags need spaces inside braces"


def _appendix_ctx(name: str) -> dict:
    """The context write_appendix reads, with one indicator and one unit named `name`."""
    vb = {"co_quan_ban_hanh": "HUYỆN ĐOÀN HAI", "kem_theo": "Báo cáo số 1-BC/ĐTN", "xac_nhan": "", "nguoi_xac_nhan": "",
          "tm": "TM. BAN THƯỜNG VỤ", "chuc_vu_ky": "BÍ THƯ", "nguoi_ky": "Nguyễn Văn A"}
    indicator = {"stt": "1", "chi_tieu": name, "don_vi_tinh": "%", "nam_truoc": "70,0%", "nam_nay": "72,4%",
                 "chenh_lech": "+2,4", "so_sanh": "103,4%", "_so": [0.7, 0.724, 2.4, 1.034]}
    unit = {"stt": "1", "ten": name, "dan_cu": "10", "dat_truoc": "7", "dat_nay": "8", "ty_le_truoc": "70,0%",
            "ty_le_nay": "80,0%", "chenh_lech": "+10,0", "ba_chu_dong": "Đạt",
            "_so": {"dan_cu": 10, "dat_truoc": 7, "dat_nay": 8, "ty_le_truoc": 0.7, "ty_le_nay": 0.8,
                    "chenh_lech": 10.0}}
    return {"vb": vb, "nam": 2021, "ghi_chu": "", "phu_luc": [indicator], "theo_don_vi": [unit],
            "cap_duoi": "Đoàn cơ sở"}


@pytest.mark.parametrize("name", ["=HYPERLINK(\"http://x\",\"y\")", "+1", "-Đoàn xã", "@SUM(A1)"])
def test_appendix_keeps_every_name_as_text_on_both_sheets(tmp_path, name):
    import openpyxl

    from tongket.documents.tables import write_appendix

    wb = openpyxl.load_workbook(write_appendix(_appendix_ctx(name), tmp_path / "pl.xlsx"))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value == name]
    assert [c.parent.title for c in cells] == ["phu_luc_so_lieu", "phu_luc_so_lieu", "so_lieu", "so_lieu"]
    assert all(c.data_type == "s" for c in cells)


def test_appendix_layout_signature_and_page_breaks(tmp_path):
    import openpyxl

    from tongket.documents.tables import write_appendix

    ws = openpyxl.load_workbook(write_appendix(_appendix_ctx("Đoàn xã An Bình"), tmp_path / "pl.xlsx"))["phu_luc_so_lieu"]
    column_a = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    assert column_a[:3] == ["HUYỆN ĐOÀN HAI", "PHỤ LỤC SỐ LIỆU", "(Kèm theo Báo cáo số 1-BC/ĐTN)"]
    assert "II. THEO ĐOÀN CƠ SỞ: CHI ĐOÀN TRÊN ĐỊA BÀN DÂN CƯ ĐẠT CHUẨN" in column_a
    last_of_part_1 = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == "Đoàn xã An Bình")
    assert [b.id for b in ws.row_breaks.brk] == [last_of_part_1]  # a short part II: one break, before it
    signer = [ws.cell(r, 6).value for r in range(ws.max_row - 4, ws.max_row + 1)]
    assert signer == ["TM. BAN THƯỜNG VỤ", "BÍ THƯ", None, None, "Nguyễn Văn A"]
    assert ws.cell(ws.max_row - 4, 1).value is None  # no second signature asked for
    assert ws.print_area == f"'phu_luc_so_lieu'!$A$1:$I${ws.max_row}"


def test_a_target_of_every_one_reads_100_percent_never_at_least_100():
    """A share is never above 100 %: the "1+1" target (every member brings a young person [004])
    reads «100%» in the table and in words, not «≥ 100%» or «từ 100% trở lên»; the others keep theirs."""
    from hypothesis import given
    from hypothesis import strategies as st

    from tongket.documents.rows import goal_cell, goal_words
    from tongket.rules.targets_spec import TOI_DA, TOI_THIEU

    assert goal_cell(1.0, TOI_THIEU, True) == "100%" and goal_words(1.0, TOI_THIEU, True) == "100%"
    assert goal_cell(0.95, TOI_THIEU, True) == "≥ 95%" and goal_words(0.955, TOI_THIEU, True) == "từ 95,5% trở lên"
    assert goal_cell(0.05, TOI_DA, True) == "≤ 5%" and goal_words(3, TOI_DA, False) == "không quá 3"

    @given(st.integers(min_value=1, max_value=99))
    def below_every_one(percent):
        assert goal_cell(percent / 100, TOI_THIEU, True) == f"≥ {percent}%"
        assert "100%" not in goal_words(percent / 100, TOI_THIEU, True)

    below_every_one()
