"""The tờ trình đề nghị khen thưởng and the half-year “1+1” review: their text (golden, on the
sample), the numbers they state, when they are issued, and their read-back checks."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from docx import Document

from helpers import check_golden, document_text
from tongket.assessment.review import Review
from tongket.documents.catalogue import DOC_TYPES, types_for
from tongket.documents.doccheck import check_documents, expected, read_docx
from tongket.documents.doccheck.rewards import programme_checks
from tongket.documents.report import render_docx

GOLDEN = Path(__file__).parents[1] / "golden"
CASES = {"to_trinh_khen_thuong": ("to_trinh_khen_thuong", "ST02"),
         "bao_cao_mot_cong_mot": ("bao_cao_mot_cong_mot", "ST02"),
         "bao_cao_mot_cong_mot_tinh": ("bao_cao_mot_cong_mot", "ST")}


def _render(review: Review, key: str, ma: str, folder: Path) -> Path:
    doc = DOC_TYPES[key]
    ctx, _ = doc.build(review, ma, review.cycle.nam)
    return render_docx(review.cycle.templates / doc.template, ctx, folder / doc.template, {})


@pytest.fixture(scope="module")
def written(sample_review, tmp_path_factory):
    out = tmp_path_factory.mktemp("khen")
    return {case: _render(sample_review, key, ma, out / case) for case, (key, ma) in CASES.items()}


@pytest.mark.parametrize("case", sorted(CASES))
def test_golden_text(written, case):
    text = document_text(written[case])
    check_golden(case, text)


def test_the_to_trinh_proposes_the_units_of_the_rule(written, sample_review):
    text = document_text(written["to_trinh_khen_thuong"])
    assert "Số: 49-TTr/ĐTN" in text and "Kính gửi: Ban Thường vụ Tỉnh Đoàn Sông Tiền" in text
    assert ("tặng Bằng khen của Ban Chấp hành Tỉnh Đoàn cho 2 tập thể có thành tích xuất sắc trong xây dựng Đoàn cơ "
            "sở “3 chủ động” và Chi đoàn trên địa bàn dân cư đạt chuẩn năm 2021 (có danh sách kèm theo).") in text
    rows = [line.split(" | ") for line in text.splitlines() if re.match(r"^\d+ \| Đoàn", line)]
    # by score, highest first (97,9 before 97,2), as the tờ trình says it chose them
    assert [(r[1], r[3]) for r in rows] == [("Đoàn xã Bình Tâm", "Hoàn thành xuất sắc nhiệm vụ"),
                                            ("Đoàn thị trấn Cái Bè", "Hoàn thành xuất sắc nhiệm vụ")]
    assert "4/4 chi đoàn trên địa bàn dân cư đạt chuẩn (100,0%" in rows[1][2] and "(97,2 điểm)" in rows[1][2]
    cs = sample_review.results.of_unit("ST02").year(2021).co_so.set_index("ten_don_vi")
    for name, *_ in (r[1:] for r in rows):  # what the year-end report says of each unit listed
        unit = cs.loc[name]
        assert unit["xep_loai"] == "htxs" and bool(unit["ba_chu_dong"])
        assert unit["so_chi_doan_dat_chuan"] == unit["so_chi_doan_dan_cu"]
    assert text.index("DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG") > text.index("Kính trình")
    # every Đoàn cơ sở rated: said as such, never «13 Đoàn cơ sở, trong đó 13 Đoàn cơ sở …»
    assert "Năm 2021, Huyện Đoàn Phú Mỹ có 13 Đoàn cơ sở, tất cả đều được đánh giá, xếp loại." in text


def test_the_limit_names_the_units_left_out(sample_review, tmp_path):
    text = document_text(_render(sample_review, "to_trinh_khen_thuong", "ST01", tmp_path))
    assert ("Có 4 Đoàn cơ sở đủ điều kiện; Đoàn phường 10 đủ điều kiện nhưng ngoài số lượng đề nghị lần này."
            in text)
    assert "cho 3 tập thể" in text


def test_the_half_year_review_states_the_figures(written, sample_review):
    text = document_text(written["bao_cao_mot_cong_mot"])
    assert ("Có 11 Đoàn cơ sở với 74 chi đoàn báo cáo kết quả 6 tháng đầu năm 2021: 917/3.028 đoàn viên đã giới thiệu "
            "thanh niên tham gia tổ chức Đoàn, Hội, tỉ lệ 30,3%; 1.057 thanh niên đã vào Đoàn, Hội qua chủ trương "
            "“1+1”.") in text
    assert "1 | Đoàn xã Bình Tâm | 9 | 373 | 132 | 35,4% | 157 | Chưa đạt | 70,8%" in text
    # the whole year as the year-end report says it (58,9 %, 2.688)
    bao_cao = sample_review.results.bao_cao.set_index(["ma_don_vi", "nam"]).loc[("ST02", 2021)]
    assert round(bao_cao["ty_le_dv_1_1"], 3) == 0.589 and bao_cao["so_thanh_nien_1_1"] == 2688
    assert "cả năm Huyện Đoàn Phú Mỹ có tỉ lệ đoàn viên giới thiệu ít nhất một thanh niên là 58,9%, với 2.688" in text
    # the base is the branches whose year-end figures were summed: 97 in the tree, 2 sent no 2021 row
    sent = bao_cao["so_chi_doan"] - bao_cao["so_chi_doan_chua_gui_so_lieu"]
    assert (bao_cao["so_chi_doan"], sent) == (97, 95)
    assert ("(tính trên 95 chi đoàn có số liệu cả năm); 6 tháng đầu năm đạt 1.057 thanh niên (tính trên 74 chi đoàn "
            "có số liệu 6 tháng)") in text
    ranks = [int(line.split(" | ")[0]) for line in text.splitlines() if re.match(r"^\d+ \| Đoàn xã|^\d+ \| Đoàn thị", line)]
    # Thạnh Lợi (89/274) and Đông Thạnh (62/191) both print 32,5%: one rank, the next is 5th (competition ranking)
    assert ranks == [1, 2, 3, 3, *range(5, 12)]
    # set beside the year-end report, it is written after the year's end: it plans the next year
    assert "III. PHƯƠNG HƯỚNG NĂM 2022" in text and "6 tháng cuối năm" not in text
    assert "xây dựng kế hoạch cụ thể để đạt yêu cầu trong năm 2022." in text


def test_both_documents_read_back_clean(written, sample_review):
    for case, (key, ma) in CASES.items():
        doc = read_docx(written[case], f"{key}.docx")
        assert check_documents([doc], expected(sample_review, ma, 2021)) == []
        assert programme_checks([doc], sample_review, ma, 2021) == []


def test_a_changed_figure_or_unit_is_found(written, sample_review, tmp_path):
    path = tmp_path / "to_trinh_khen_thuong.docx"
    d = Document(written["to_trinh_khen_thuong"])
    table = next(t for t in d.tables if t.rows[0].cells[0].text == "STT")
    table.rows[1].cells[1].paragraphs[0].runs[0].text = "Đoàn xã Long Hựu"
    d.save(path)
    found = programme_checks([read_docx(path)], sample_review, "ST02", 2021)
    assert [f.detail.split(":")[0] for f in found] == ["không đủ điều kiện đề nghị khen thưởng",
                                                       "đủ điều kiện đề nghị khen thưởng nhưng thiếu trong danh sách"]
    path = tmp_path / "bao_cao_mot_cong_mot.docx"
    d = Document(written["bao_cao_mot_cong_mot"])
    table = next(t for t in d.tables if t.rows[0].cells[0].text == "Hạng")
    table.rows[1].cells[3].paragraphs[0].runs[0].text = "374"
    d.save(path)
    found = programme_checks([read_docx(path)], sample_review, "ST02", 2021)
    assert [f.detail for f in found] == ["Đoàn viên (6 tháng): bảng kết quả 373"]


def test_issued_only_with_a_rule_and_half_year_rows(sample_review):
    keys = [d.key for d in types_for(sample_review.cycle, "huyen")]
    assert keys.index("to_trinh_khen_thuong") < keys.index("bao_cao_mot_cong_mot")
    assert DOC_TYPES["to_trinh_khen_thuong"].applies(sample_review, "ST02", 2021)
    assert not DOC_TYPES["to_trinh_khen_thuong"].applies(sample_review, "ST03", 2021)  # nobody qualifies there
    no_rule = Review(replace(sample_review.cycle, khen_thuong=None), sample_review.data, sample_review.results)
    assert not DOC_TYPES["to_trinh_khen_thuong"].applies(no_rule, "ST02", 2021)
    no_sheet = Review(sample_review.cycle, replace(sample_review.data, optional={}), sample_review.results)
    assert not DOC_TYPES["bao_cao_mot_cong_mot"].applies(no_sheet, "ST02", 2021)
    assert DOC_TYPES["bao_cao_mot_cong_mot"].applies(sample_review, "ST", 2021)
    assert not DOC_TYPES["bao_cao_mot_cong_mot"].applies(sample_review, "ST02", 2019)  # no six-month rows that year
