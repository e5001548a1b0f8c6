"""Member ratings in the documents (contract §6.2): the sentences and tables a staffer reads, the
appendix rows, the chart, the sơ kết series on each year's scale; nothing without the figures."""

from __future__ import annotations

import sys

import pytest

from conftest import ALL_CD, ROOT, branch, small_rows, small_tree, write_exchange
from helpers import docx_text, section_number
from tongket import open_review
from tongket.documents.contexts import bao_cao_so_ket, bao_cao_tong_hop, bao_cao_tong_ket, phu_luc_so_lieu
from tongket.documents.report import render_docx
from tongket.pipeline import figures

sys.path.insert(0, str(ROOT / "tools"))
import build_templates

R2020 = {"so_dv_duoc_danh_gia": 16, "so_dv_htxs": 2, "so_dv_htt": 8, "so_dv_ht": 5, "so_dv_kht": 1}
R2021 = {"so_dv_duoc_danh_gia": 18, "so_dv_htxs": 3, "so_dv_htt": 9, "so_dv_ht": 5, "so_dv_kht": 1}
R2018 = {"so_dv_duoc_danh_gia": 15, "so_dv_xs": 2, "so_dv_kha": 8, "so_dv_tb": 4, "so_dv_yeu": 1}


def _review(tmp_path, years=(2020, 2021), rated=None):
    rated = rated or {2020: R2020, 2021: R2021}
    cd, cs = [], []
    for nam in years:
        cd += [branch(ma, nam, **rated.get(nam, {})) for ma in ("C1.1", "C1.2", "C2.1", "C3.1")]
        cs += [{"ma_don_vi": c, "nam": nam, **ALL_CD, "diem": 80} for c in ("C1", "C2", "C3")]
    return open_review(data=write_exchange(tmp_path / "dv.xlsx", small_tree(), cd, cs), nam=max(years))


def test_the_report_says_the_distribution_the_share_assessed_and_the_year_before(tmp_path):
    review = _review(tmp_path)
    ctx, _ = bao_cao_tong_ket(review, "H1", 2021)
    # H1: branches C1.1, C1.2, C2.1 → 54 of 60 members assessed; 9, 27, 15, 3
    assert ctx["thanh_vien"]["cau"] == [
        "Năm 2021, 54 đoàn viên được đánh giá, xếp loại, bằng 90,0% số đoàn viên.",
        "Kết quả xếp loại: 9 đoàn viên hoàn thành xuất sắc nhiệm vụ (16,7%), 27 đoàn viên hoàn thành tốt nhiệm vụ "
        "(50,0%), 15 đoàn viên hoàn thành nhiệm vụ (27,8%), 3 đoàn viên không hoàn thành nhiệm vụ (5,6%).",
        "So với năm 2020, tỉ lệ đoàn viên được đánh giá, xếp loại tăng 10,0 điểm phần trăm; tỉ lệ đoàn viên hoàn "
        "thành xuất sắc nhiệm vụ tăng 4,2 điểm phần trăm; tỉ lệ đoàn viên không hoàn thành nhiệm vụ giảm 0,7 điểm "
        "phần trăm."]
    assert ctx["thanh_vien"]["bang"][0] == {"muc": "Hoàn thành xuất sắc nhiệm vụ", "so": "9", "ty_le": "16,7%",
                                            "nam_truoc": "12,5%"}
    tinh, _ = bao_cao_tong_hop(review, "T", 2021)
    assert tinh["thanh_vien"]["cau"][0] == "Năm 2021, 72 đoàn viên được đánh giá, xếp loại, bằng 90,0% số đoàn viên."


def test_appendix_rows_follow_the_existing_indicators(tmp_path):
    review = _review(tmp_path)
    ctx, _ = phu_luc_so_lieu(review, "H1", 2021)
    rows = {r["chi_tieu"]: r for r in ctx["phu_luc"]}
    assert (rows["Đoàn viên được đánh giá, xếp loại"]["nam_truoc"], rows["Đoàn viên được đánh giá, xếp loại"]["nam_nay"]) \
        == ("48", "54")
    r = rows["Tỉ lệ đoàn viên hoàn thành xuất sắc nhiệm vụ"]
    assert (r["nam_truoc"], r["nam_nay"], r["chenh_lech"]) == ("12,5%", "16,7%", "+4,2 điểm phần trăm")
    assert [r["chi_tieu"] for r in ctx["phu_luc"]].index("Đoàn viên được đánh giá, xếp loại") == 17


def test_a_branch_with_a_blank_is_said_not_counted(tmp_path):
    rated = {2021: R2021}
    cd = [branch("C1.1", 2021, **R2021), branch("C1.2", 2021, **{**R2021, "so_dv_kht": None})]
    review = open_review(data=write_exchange(tmp_path / "b.xlsx", small_tree(), cd,
                                             [{"ma_don_vi": "C1", "nam": 2021, **ALL_CD, "diem": 80}]), nam=2021)
    ctx, _ = bao_cao_tong_ket(review, "H1", 2021)
    assert rated and ctx["thanh_vien"]["cau"][0] == "Năm 2021, 18 đoàn viên được đánh giá, xếp loại, bằng 90,0% số đoàn viên."
    assert ctx["thanh_vien"]["cau"][-1] == ("Các số liệu trên chưa tính 1 chi đoàn chưa báo cáo đầy đủ kết quả "
                                            "đánh giá, xếp loại đoàn viên.")


def test_the_so_ket_series_holds_each_year_on_its_own_scale(tmp_path):
    review = _review(tmp_path, (2018, 2019, 2020, 2021), {2018: R2018, 2019: R2020, 2020: R2020, 2021: R2021})
    ctx, _ = bao_cao_so_ket(review, "H1", 2021)
    rows = ctx["thanh_vien"]["bang_nam"]
    assert [(r["nam"], r["muc"], r["so"], r["ty_le"]) for r in rows[:5]] == [
        ("2018", "Xuất sắc", "6", "13,3%"), ("", "Khá", "24", "53,3%"), ("", "Trung bình", "12", "26,7%"),
        ("", "Yếu", "3", "6,7%"), ("2019", "Hoàn thành xuất sắc nhiệm vụ", "6", "12,5%")]
    assert rows[0]["duoc_danh_gia"] == "45 (75,0%)"
    assert ctx["thanh_vien"]["cau"][-1] == (
        "Đoàn viên được xếp loại theo các mức của từng năm: năm 2018: Xuất sắc, Khá, Trung bình, Yếu; năm 2019–2021: "
        "Hoàn thành xuất sắc nhiệm vụ, Hoàn thành tốt nhiệm vụ, Hoàn thành nhiệm vụ, Không hoàn thành nhiệm vụ.")
    tk, _ = bao_cao_tong_ket(review, "H1", 2019)
    assert tk["thanh_vien"]["cau"][-1] == (
        "So với năm 2018, tỉ lệ đoàn viên được đánh giá, xếp loại tăng 5,0 điểm phần trăm; năm 2018 đoàn viên được "
        "xếp loại theo các mức khác (Xuất sắc, Khá, Trung bình, Yếu) nên không so sánh từng mức.")


def test_without_member_columns_there_is_no_section_row_or_chart(small_workbook):
    review = open_review(data=small_workbook, nam=2021)
    ctx, _ = bao_cao_tong_ket(review, "H1", 2021)
    assert ctx["thanh_vien"] == {}
    assert bao_cao_so_ket(review, "H1", 2021)[0]["thanh_vien"] == {}
    assert not [r for r in phu_luc_so_lieu(review, "H1", 2021)[0]["phu_luc"] if "đoàn viên được đánh giá" in r["chi_tieu"]]
    assert figures(review, "H1", 2021)["thanh_vien"] is None


@pytest.mark.parametrize("with_members", [True, False])
def test_the_rendered_report_has_the_section_only_with_the_figures(tmp_path, with_members, small_workbook):
    template = tmp_path / "bao_cao_tong_ket.docx"
    build_templates.build_tong_ket(template)
    review = _review(tmp_path) if with_members else open_review(data=small_workbook, nam=2021)
    ctx, _ = bao_cao_tong_ket(review, "H1", 2021)
    images = dict.fromkeys(("dat_chuan", "tieu_chi", "xep_loai", "xu_huong", "thanh_vien"))
    text = docx_text(render_docx(template, ctx, tmp_path / "out.docx", images))
    if with_members:
        assert section_number(text, "Đánh giá, xếp loại đoàn viên") == 6  # the first of the optional sections
        assert "Năm 2021, 54 đoàn viên được đánh giá, xếp loại, bằng 90,0% số đoàn viên." in text
        assert "Hoàn thành xuất sắc nhiệm vụ" in text
    else:
        assert "xếp loại đoàn viên" not in text
        assert section_number(text, "Kết quả theo từng Đoàn cơ sở") >= 6


def test_the_chart_draws_one_bar_per_level(tmp_path):
    review = _review(tmp_path)
    fig = figures(review, "H1", 2021)["thanh_vien"]
    ax = fig.axes[0]
    assert [round(p.get_height()) for p in ax.patches] == [9, 27, 15, 3]
    assert ax.get_title() == "Huyện Đoàn Một: đánh giá, xếp loại đoàn viên năm 2021"
    assert small_rows  # the small workbook's rows are the base of these figures
