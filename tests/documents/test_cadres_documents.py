"""«Công tác cán bộ» in the documents (contract §6.2): the sentences of the tổng kết and tổng hợp
with their figures and the trend, the sơ kết's table by year, the phụ lục's rows (Word and
workbook); a workbook without cadre figures gets no section and no row."""

from __future__ import annotations

import importlib
import sys

import openpyxl
import pytest

from conftest import ROOT, small_rows, small_tree, write_exchange
from helpers import docx_text
from tongket.assessment.review import open_review
from tongket.documents import contexts
from tongket.documents.cadres import sentences
from tongket.documents.report import render_docx
from tongket.documents.tables import write_appendix

COMMITTEES = {  # (members of the committee, of them up to standard, cadres trained, secretary changed)
    ("C1", 2020): (10, 7, 5, "Không"), ("C1", 2021): (11, 9, 6, "Không"),
    ("C2", 2020): (9, 6, 3, "Có"), ("C2", 2021): (9, 8, 4, "Có"),
    ("C3", 2020): (7, 7, 2, "Không"), ("C3", 2021): (7, None, None, None),
}
NEW_SECRETARY = {("C1.2", 2021), ("C2.1", 2021), ("C1.1", 2020)}
IMAGES = dict.fromkeys(("dat_chuan", "tieu_chi", "xep_loai", "xu_huong", "so_sanh"))


@pytest.fixture(scope="module")
def cadre_review(tmp_path_factory):
    cd, cs = small_rows()
    for r in cd:
        key = (r["ma_don_vi"], r["nam"])
        r["bi_thu_moi"] = None if key == ("C3.1", 2021) else ("Có" if key in NEW_SECRETARY else "Không")
        if key == ("C1.3", 2021):
            r["bi_thu_duoc_tap_huan"] = "Không"
    for r in cs:
        bch, dat, trained, changed = COMMITTEES[(r["ma_don_vi"], r["nam"])]
        r |= {"so_uy_vien_bch": bch, "so_uy_vien_dat_chuan": dat, "so_can_bo_duoc_boi_duong": trained,
              "bi_thu_thay_trong_nam": changed}
    path = write_exchange(tmp_path_factory.mktemp("can_bo") / "can_bo.xlsx", small_tree(), cd, cs)
    return open_review(data=path, nam=2021)


@pytest.fixture(scope="module")
def plain_review(tmp_path_factory):
    cd, cs = small_rows()
    return open_review(data=write_exchange(tmp_path_factory.mktemp("cu") / "cu.xlsx", small_tree(), cd, cs), nam=2021)


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    """The report templates as tools/build_templates.py makes them now (the committed .docx are
    regenerated once after merging)."""
    out = tmp_path_factory.mktemp("mau")
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        build = importlib.import_module("build_templates")
        for key in ("bao_cao_tong_ket", "bao_cao_tong_hop", "bao_cao_so_ket"):
            build.BUILDERS[key](out / f"{key}.docx")
    finally:
        sys.path.remove(str(ROOT / "tools"))
    return out


def test_district_sentences_state_the_figures_and_the_change_since_last_year(cadre_review):
    ctx, _ = contexts.bao_cao_tong_ket(cadre_review, "H1", 2021)
    assert ctx["can_bo"]["cau"] == [
        "Có 17/20 ủy viên Ban Chấp hành đạt chuẩn cán bộ (85,0%), tăng 16,6 điểm phần trăm so với năm 2020.",
        "Có 10 cán bộ Đoàn được bồi dưỡng trong năm, tăng 2 cán bộ (từ 8 lên 10) so với năm 2020.",
        "Có 1/2 Đoàn cơ sở thay bí thư trong năm; năm 2020: 1 Đoàn cơ sở.",
        "Có 2/7 chi đoàn có bí thư mới trong năm; năm 2020: 1 chi đoàn.",
        "Có 6/7 bí thư chi đoàn được tập huấn nghiệp vụ (85,7%), giảm 14,3 điểm phần trăm so với năm 2020.",
    ]


def test_the_province_says_which_units_are_left_out_of_a_rate(cadre_review):
    ctx, _ = contexts.bao_cao_tong_hop(cadre_review, "T", 2021)
    # two Đoàn cơ sở's figures against three's: no change is said (it said «tăng 8,1 điểm phần trăm»,
    # «bằng năm 2020»: tests/documents/test_partial_totals.py)
    assert ctx["can_bo"]["cau"][:3] == [
        "Có 17/20 ủy viên Ban Chấp hành đạt chuẩn cán bộ (85,0%), không so sánh với năm 2020 "
        "(1/3 Đoàn cơ sở chưa báo cáo số liệu này, không tính vào).",
        "Có 10 cán bộ Đoàn được bồi dưỡng trong năm, không so sánh với năm 2020 "
        "(1/3 Đoàn cơ sở chưa báo cáo số liệu này, không tính vào).",
        "Có 1/2 Đoàn cơ sở thay bí thư trong năm, không so sánh với năm 2020 (1/3 Đoàn cơ sở chưa báo cáo số liệu "
        "này, không tính vào).",
    ]


def test_sentences_without_last_year_or_without_committee_figures():
    import pandas as pd

    now = pd.Series({"so_co_so": 4, "so_uy_vien_bch": pd.NA, "so_uy_vien_dat_chuan": pd.NA,
                     "ty_le_uy_vien_dat_chuan": pd.NA, "so_co_so_bao_cao_uy_vien": 0,
                     "so_can_bo_duoc_boi_duong": pd.NA, "so_co_so_bao_cao_boi_duong": 0,
                     "so_co_so_thay_bi_thu": 0, "so_co_so_bao_cao_thay_bi_thu": 4,
                     "so_bi_thu_chi_doan_moi": 3, "so_chi_doan_bao_cao_bi_thu_moi": 20,
                     "so_bi_thu_duoc_tap_huan": pd.NA, "ty_le_bi_thu_duoc_tap_huan": pd.NA,
                     "so_chi_doan_bao_cao_tap_huan": 0})
    assert sentences(now, None, 2021) == [
        "Chưa có số liệu về ủy viên Ban Chấp hành đạt chuẩn cán bộ năm 2021.",
        "Không có Đoàn cơ sở nào thay bí thư trong năm.",
        "Có 3/20 chi đoàn có bí thư mới trong năm.",
    ]


def test_appendix_rows_follow_the_general_indicators_in_word_and_workbook(cadre_review, plain_review, tmp_path):
    ctx, _ = contexts.phu_luc_so_lieu(cadre_review, "H1", 2021)
    old, _ = contexts.phu_luc_so_lieu(plain_review, "H1", 2021)
    known = {r["chi_tieu"] for r in old["phu_luc"]}
    # the other rows stay, in their order; the cadre rows are one block; numbering runs on without a gap
    assert [r["chi_tieu"] for r in ctx["phu_luc"] if r["chi_tieu"] in known] == [r["chi_tieu"] for r in old["phu_luc"]]
    at = [i for i, r in enumerate(ctx["phu_luc"]) if r["chi_tieu"] not in known]
    assert at == list(range(at[0], at[0] + len(at))) and len(at) == len(ctx["phu_luc"]) - len(old["phu_luc"])
    assert [r["stt"] for r in ctx["phu_luc"]] == [str(i) for i in range(1, len(ctx["phu_luc"]) + 1)]
    mine = {ctx["phu_luc"][i]["chi_tieu"]: ctx["phu_luc"][i] for i in at}
    rate = mine["Tỉ lệ ủy viên Ban Chấp hành đạt chuẩn cán bộ"]
    assert (rate["nam_truoc"], rate["nam_nay"], rate["chenh_lech"]) == ("68,4%", "85,0%", "+16,6 điểm phần trăm")
    count = mine["Ủy viên Ban Chấp hành đạt chuẩn cán bộ"]
    assert (count["nam_truoc"], count["nam_nay"], count["chenh_lech"], count["so_sanh"]) == ("13", "17", "+4", "130,8%")
    assert mine["Chi đoàn có bí thư mới trong năm"]["nam_nay"] == "2"
    book = openpyxl.load_workbook(write_appendix(ctx, tmp_path / "phu_luc_so_lieu.xlsx"))
    rows = [[c for c in r] for r in book["phu_luc_so_lieu"].iter_rows(values_only=True)]
    assert ["Tỉ lệ ủy viên Ban Chấp hành đạt chuẩn cán bộ", "%", "68,4%", "85,0%", "+16,6 điểm phần trăm"] in \
        [r[1:6] for r in rows]
    numbers = {r[1]: r[3:6] for r in book["so_lieu"].iter_rows(values_only=True) if r and isinstance(r[0], int)}
    assert numbers["Ủy viên Ban Chấp hành đạt chuẩn cán bộ"] == (13, 17, 4)
    assert not [r for r in old["phu_luc"] if "Ban Chấp hành" in r["chi_tieu"]]


def test_the_reports_print_the_section_and_without_cadre_figures_nothing_changes(cadre_review, plain_review,
                                                                                templates, tmp_path):
    ctx, _ = contexts.bao_cao_tong_ket(cadre_review, "H1", 2021)
    text = docx_text(render_docx(templates / "bao_cao_tong_ket.docx", ctx, tmp_path / "a.docx", IMAGES))
    assert "- Có 17/20 ủy viên Ban Chấp hành đạt chuẩn cán bộ (85,0%), tăng 16,6 điểm phần trăm so với năm 2020." in text
    old, _ = contexts.bao_cao_tong_ket(plain_review, "H1", 2021)
    assert old["can_bo"] == {}
    before = docx_text(render_docx(templates / "bao_cao_tong_ket.docx", old, tmp_path / "b.docx", IMAGES))
    assert "Công tác cán bộ" not in before and "ủy viên Ban Chấp hành" not in before
    # the section takes the next number after section 5 (and whatever other sections the data has);
    # every section after it moves down by one
    assert _number(text, "Công tác cán bộ") >= 6
    assert _number(text, "Kết quả theo từng Đoàn cơ sở") == _number(before, "Kết quả theo từng Đoàn cơ sở") + 1
    ctx, _ = contexts.bao_cao_tong_hop(cadre_review, "T", 2021)
    text = docx_text(render_docx(templates / "bao_cao_tong_hop.docx", ctx, tmp_path / "c.docx", IMAGES))
    assert _number(text, "Xếp hạng các đơn vị") > _number(text, "Công tác cán bộ") >= 6


def _number(text: str, title: str) -> int:
    """The number a report prints before a subsection's title ("7. Công tác cán bộ" -> 7)."""
    import re

    found = re.search(rf"^(\d+)\. {re.escape(title)}$", text, flags=re.M)
    assert found, title
    return int(found.group(1))


def test_the_so_ket_has_a_table_by_year_numbered_after_the_others(cadre_review, plain_review, templates, tmp_path):
    ctx, _ = contexts.bao_cao_so_ket(cadre_review, "H1", 2021)
    assert ctx["can_bo"]["nam"] == [
        {"nam": "2020", "uy_vien": "13/19", "ty_le_uy_vien": "68,4%", "boi_duong": "8", "thay_bi_thu": "1",
         "bi_thu_moi": "1", "tap_huan": "100,0%"},
        {"nam": "2021", "uy_vien": "17/20", "ty_le_uy_vien": "85,0%", "boi_duong": "10", "thay_bi_thu": "1",
         "bi_thu_moi": "2", "tap_huan": "85,7%"}]
    import re

    text = docx_text(render_docx(templates / "bao_cao_so_ket.docx", ctx, tmp_path / "s.docx", IMAGES))
    tables = re.findall(r"^Bảng (\d+)\. (.*)$", text, flags=re.M)
    assert [int(n) for n, _ in tables] == list(range(1, len(tables) + 1))  # numbered on, without a gap
    assert int(next(n for n, t in tables if t == "Công tác cán bộ qua các năm")) >= 4
    old, _ = contexts.bao_cao_so_ket(plain_review, "H1", 2021)
    before = docx_text(render_docx(templates / "bao_cao_so_ket.docx", old, tmp_path / "t.docx", IMAGES))
    assert "Công tác cán bộ" not in before
    assert len(re.findall(r"^Bảng \d+\. ", before, flags=re.M)) == len(tables) - 1


def test_reading_back_catches_a_wrong_cadre_figure_in_a_sentence_or_the_appendix(cadre_review, templates, tmp_path):
    from tongket.documents.doccheck import read_docx
    from tongket.documents.doccheck.results import expected
    from tongket.documents.doccheck.run import check_documents

    ctx, _ = contexts.bao_cao_tong_ket(cadre_review, "H1", 2021)
    exp = expected(cadre_review, "H1", 2021)
    good = read_docx(render_docx(templates / "bao_cao_tong_ket.docx", ctx, tmp_path / "bao_cao_tong_ket.docx", IMAGES))
    assert [f for f in check_documents([good], exp) if "cán bộ" in f.text or "bí thư" in f.text] == []
    ctx["can_bo"]["cau"][0] = ctx["can_bo"]["cau"][0].replace("17/20", "18/20")
    row = next(r for r in ctx["phu_luc"] if r["chi_tieu"] == "Chi đoàn có bí thư mới trong năm")
    row["nam_nay"] = "3"
    folder = tmp_path / "sai"
    bad = read_docx(render_docx(templates / "bao_cao_tong_ket.docx", ctx, folder / "bao_cao_tong_ket.docx", IMAGES))
    found = [f.detail for f in check_documents([bad], exp)]
    assert "so_uy_vien_dat_chuan: văn bản ghi 18, bảng kết quả 17" in found
    assert "Chi đoàn có bí thư mới trong năm năm 2021: văn bản ghi 3, bảng kết quả 2" in found
