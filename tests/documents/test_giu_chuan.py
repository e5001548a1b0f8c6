"""What the documents say about registration and upkeep [001 III], contract §6.4: the sentences a
staffer reads, on a small province whose every figure is known, and the registration list."""

from __future__ import annotations

import pytest

from conftest import branch, small_rows, small_tree, write_exchange
from helpers import add_sheet, check_golden, document_text
from tongket import open_review
from tongket.documents import contexts
from tongket.documents.catalogue import DOC_TYPES
from tongket.documents.report import render_docx
from tongket.documents.upkeep import danh_sach_dang_ky


def build(tmp_path, registrations: list[list] | None, two_years: bool = True):
    """C1.3 loses the standard in 2021, C2.1 sends nothing in 2021 (it had it), C2.2 gains it, C2.3
    is new; registrations as rows of sheet dang_ky (None: no such sheet)."""
    tree = small_tree() + [{"ma_don_vi": "C2.3", "ten_don_vi": "Chi đoàn khu phố 3", "cap": "chi_doan",
                            "ma_cap_tren": "C2", "loai_hinh": "dan_cu"}]
    cd, cs = small_rows()
    cd = [r for r in cd if not (r["ma_don_vi"] in ("C1.3", "C2.1") and r["nam"] == 2021)]
    cd += [branch("C1.3", 2021, so_lan_sinh_hoat=6), branch("C2.3", 2021)]
    if not two_years:
        cd, cs = [r for r in cd if r["nam"] == 2021], [r for r in cs if r["nam"] == 2021]
    path = write_exchange(tmp_path / "dk.xlsx", tree, cd, cs)
    if registrations is not None:
        add_sheet(path, "dang_ky", ["Mã đơn vị", "Năm", "Chương trình đăng ký", "Làm điểm", "Ngày đăng ký"], registrations)
    return open_review(data=path, nam=2021)


REGISTERED = [["C1.1", 2021, "Chi đoàn trên địa bàn dân cư đạt chuẩn", "x", "05/02/2021"],
              ["C1.2", 2021, "chi_doan_dat_chuan", None, None], ["C1.3", 2021, "chi_doan_dat_chuan", None, None],
              ["C2.1", 2021, "chi_doan_dat_chuan", None, None], ["C1", 2021, "3 chủ động", "x", "01/10/2020"]]


@pytest.fixture
def review(tmp_path):
    return build(tmp_path, REGISTERED)


def test_district_section_names_lost_branches_per_co_so(review):
    g = contexts.bao_cao_tong_ket(review, "H1", 2021)[0]["giu_chuan"]
    # C2.3 is new: up to standard with no result in 2020, counted on its own so that the words add up
    assert g["cau"] == ["So với năm 2020, có 2 chi đoàn giữ vững chuẩn, 1 chi đoàn mới đạt chuẩn, 2 chi đoàn không "
                        "giữ được chuẩn (trong đó 1 chi đoàn chưa gửi số liệu năm 2021); 1 chi đoàn đạt chuẩn chưa có "
                        "kết quả năm 2020 để so sánh."]
    achieved = review.results.year(2021).huyen.set_index("ma_don_vi").loc["H1", "so_chi_doan_dat_chuan"]
    assert 2 + 1 + 1 == achieved  # kept + gained + without a year before: every branch up to standard
    assert g["theo_don_vi"] == [
        "Đoàn phường 2: 1 chi đoàn mới đạt chuẩn, 1 chi đoàn đạt chuẩn chưa có kết quả năm 2020 để so sánh, "
        "1 chi đoàn không giữ được chuẩn: Chi đoàn khu phố 1 (chưa gửi số liệu năm 2021).",
        "Đoàn xã An Bình: 2 chi đoàn giữ vững chuẩn, 1 chi đoàn không giữ được chuẩn: Chi đoàn ấp 3."]


def test_district_registration_sentences(review):
    g = contexts.bao_cao_tong_ket(review, "H1", 2021)[0]["giu_chuan"]
    assert g["dang_ky"] == [
        # the base counts C2.1, which sent no year-end figures: said, as the standard's sentence leaves it out
        "Đầu năm 2021, có 4/7 chi đoàn trên địa bàn dân cư (kể cả 1 chi đoàn chưa gửi số liệu cuối năm) đăng ký xây "
        "dựng chi đoàn đạt chuẩn, tỉ lệ 57,1%; so với "
        "chỉ tiêu đăng ký (từ 90% trở lên): chưa đạt (còn thiếu 3 chi đoàn).",
        "Cuối năm, 2/4 chi đoàn đã đăng ký đạt chuẩn; 2 chi đoàn đạt chuẩn dù không đăng ký đầu năm.",
        "Đoàn cơ sở có tỉ lệ chi đoàn đăng ký dưới 90%: Đoàn phường 2 (33,3%); Đoàn xã An Bình (75,0%).",
        "Có 1 Đoàn cơ sở đăng ký xây dựng Đoàn cơ sở “3 chủ động”, cuối năm 1 đơn vị đạt.",
        "Đơn vị làm điểm: Đoàn xã An Bình (Huyện Đoàn Một, đạt “3 chủ động”); Chi đoàn ấp 1 (Đoàn xã An Bình, "
        "đạt chuẩn)."]


def test_a_district_without_movement_says_so(review):
    g = contexts.bao_cao_tong_ket(review, "H2", 2021)[0]["giu_chuan"]
    assert g["cau"] == ["So với năm 2020, không có chi đoàn nào giữ vững hoặc mới đạt chuẩn; không có chi đoàn nào "
                        "không giữ được chuẩn."]
    assert g["theo_don_vi"] == []  # its one branch failed both years: nothing to name


def test_province_lines_name_lost_branches_with_their_co_so(review):
    g = contexts.bao_cao_tong_hop(review, "T", 2021)[0]["giu_chuan"]
    assert g["theo_don_vi"] == [
        "Huyện Đoàn Một: 1 chi đoàn mới đạt chuẩn, 2 chi đoàn giữ vững chuẩn, 1 chi đoàn đạt chuẩn chưa có kết quả "
        "năm 2020 để so sánh, 2 chi đoàn không giữ được chuẩn, gồm "
        "Chi đoàn khu phố 1 (Đoàn phường 2, chưa gửi số liệu năm 2021), Chi đoàn ấp 3 (Đoàn xã An Bình)."]
    assert g["dang_ky"][0].startswith("Đầu năm 2021, có 4/8 chi đoàn trên địa bàn dân cư (kể cả 1 chi đoàn chưa "
                                     "gửi số liệu cuối năm) đăng ký")
    assert "Đơn vị có tỉ lệ chi đoàn đăng ký dưới 90%: Huyện Đoàn Hai (0,0%); Huyện Đoàn Một (57,1%)." in g["dang_ky"]


def test_appendix_and_so_ket_count_the_upkeep(review):
    rows = {r["chi_tieu"]: r for r in contexts.phu_luc_so_lieu(review, "H1", 2021)[0]["phu_luc"]}
    assert rows["Chi đoàn không giữ được chuẩn so với năm trước"]["nam_nay"] == "2"
    assert rows["Chi đoàn trên địa bàn dân cư đăng ký xây dựng đạt chuẩn"]["nam_nay"] == "4"
    assert rows["Chi đoàn trên địa bàn dân cư đăng ký xây dựng đạt chuẩn"]["nam_truoc"] == "chưa có số liệu"
    assert rows["Tỉ lệ chi đoàn dân cư đăng ký xây dựng đạt chuẩn"]["nam_nay"] == "57,1%"
    stt = [int(r["stt"]) for r in contexts.phu_luc_so_lieu(review, "H1", 2021)[0]["phu_luc"]]
    assert stt == list(range(1, len(stt) + 1))
    g = contexts.bao_cao_so_ket(review, "H1", 2021)[0]["giu_chuan"]
    assert g["nam"] == [{"nam": "2021", "dang_ky": "4 (57,1%)", "moi_dat": "1", "giu_vung": "2", "mat_chuan": "2"}]


def test_registration_list(review):
    ctx, _ = danh_sach_dang_ky(review, "H1", 2021)
    assert [(r["ten"], r["co_so"], r["ngay"], r["lam_diem"]) for r in ctx["chi_doan_dang_ky"]] == [
        ("Chi đoàn khu phố 1", "Đoàn phường 2", "", ""), ("Chi đoàn ấp 1", "Đoàn xã An Bình", "05/02/2021", "Làm điểm"),
        ("Chi đoàn ấp 2", "Đoàn xã An Bình", "", ""), ("Chi đoàn ấp 3", "Đoàn xã An Bình", "", "")]
    assert [(r["ten"], r["ngay"], r["lam_diem"]) for r in ctx["co_so_dang_ky"]] == [
        ("Đoàn xã An Bình", "01/10/2020", "Làm điểm")]
    assert ctx["cau"]["dang_ky"] == ("Có 4/7 chi đoàn trên địa bàn dân cư đăng ký xây dựng chi đoàn đạt chuẩn năm "
                                     "2021, tỉ lệ 57,1% (chỉ tiêu từ 90% trở lên); 1 Đoàn cơ sở đăng ký xây dựng "
                                     "Đoàn cơ sở “3 chủ động”.")
    assert DOC_TYPES["danh_sach_dang_ky"].applies(review, "H1", 2021)


def test_without_sheet_upkeep_only_and_no_list(tmp_path):
    review = build(tmp_path, None)
    g = contexts.bao_cao_tong_ket(review, "H1", 2021)[0]["giu_chuan"]
    assert g["dang_ky"] == [] and g["cau"][0].startswith("So với năm 2020, có 2 chi đoàn giữ vững chuẩn")
    assert not DOC_TYPES["danh_sach_dang_ky"].applies(review, "H1", 2021)
    labels = [r["chi_tieu"] for r in contexts.phu_luc_so_lieu(review, "H1", 2021)[0]["phu_luc"]]
    assert "Chi đoàn trên địa bàn dân cư đăng ký xây dựng đạt chuẩn" not in labels


def test_one_year_without_sheet_says_nothing(tmp_path):
    review = build(tmp_path, None, two_years=False)
    assert contexts.bao_cao_tong_ket(review, "H1", 2021)[0]["giu_chuan"] == {}
    labels = [r["chi_tieu"] for r in contexts.phu_luc_so_lieu(review, "H1", 2021)[0]["phu_luc"]]
    assert not any("giữ" in x or "đăng ký" in x for x in labels)


def test_registration_list_golden(tmp_path):
    """The sample district's registration list, as a staffer reads it (tests/golden)."""
    from tongket.common import paths
    from tongket.intake.sample import write

    data = write(tmp_path / "tinh_mau.xlsx")
    review = open_review(data=data)
    ctx, _ = danh_sach_dang_ky(review, "ST02", 2021)
    out = render_docx(paths.TEMPLATES / "danh_sach_dang_ky.docx", ctx, tmp_path / "danh_sach_dang_ky.docx")
    text = document_text(out)
    check_golden("danh_sach_dang_ky", text)
    assert "Chi đoàn trên địa bàn dân cư đạt chuẩn" in text and "Làm điểm" in text


def test_the_list_is_written_only_with_registrations(tmp_path):
    from tongket.pipeline import write_unit

    review = build(tmp_path, REGISTERED)
    out = write_unit(review, "H1", tmp_path / "out")
    names = [p.rsplit("/", 1)[-1] for p in out["files"]]
    assert "danh_sach_dang_ky.docx" in names and out["kiem_tra_van_ban"] == []
    assert any("danh sách đăng ký" in w for w in out["warnings"])
    text = document_text(tmp_path / "out/2021/H1/danh_sach_dang_ky.docx")
    assert "1 | Chi đoàn khu phố 1 | Đoàn phường 2 |  |" in text
    assert "6. Đăng ký xây dựng và giữ vững chi đoàn đạt chuẩn" in document_text(
        tmp_path / "out/2021/H1/bao_cao_tong_ket.docx")
