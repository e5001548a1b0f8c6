"""Every sentence of a signed document true for its data, in an office's words (issue 16 C, D, E;
issue 15 A.4): each test asserts the words a staffer reads, on built data and on both samples."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import small_rows, small_tree, write_exchange
from tongket import open_review
from tongket.assessment.compare import appendix_rows, year_on_year
from tongket.assessment.programmes import mot_cong_mot
from tongket.common.vietnamese import BLANK, hieu_ty_le, phan_tram
from tongket.documents import contexts, narrative
from tongket.rules import texts
from tongket.rules.rubric import evaluate, load_rubric
from tongket.rules.wording import chua_dat, ten_tieu_chi

ROOT = Path(__file__).resolve().parents[2]
AFTER = ROOT / "params" / "tong_ket_2021_sau_sap_xep.yaml"

# Code words and jargon that must never reach a signed document [issue 16 D].
CODE_WORDS = [r"\btc\d\b", r"\bnhom\d\b", r"hạt giống", r"mức bảo vệ", r"«tham_dinh»", r" = ", r"yêu cầu ≥",
              r"cho đảng", r"đúng điều lệ", r"\b0 không hoàn thành", r"chưa năm nào;", r"điểm %", r"3CĐ \d"]


@pytest.fixture(scope="module")
def before_reform():
    return open_review()


@pytest.fixture(scope="module")
def after_reform():
    return open_review(AFTER)


def _all_text(ctx: object) -> str:
    """Every string a template can print from a context."""
    if isinstance(ctx, dict):
        return "\n".join(_all_text(v) for k, v in ctx.items() if not str(k).startswith("_"))
    if isinstance(ctx, (list, tuple)):
        return "\n".join(_all_text(v) for v in ctx)
    return str(ctx) if isinstance(ctx, str) else ""


def _contexts(review) -> dict[str, str]:
    from tongket.assessment.review import reporting_codes, tinh_code

    out = {}
    tinh = tinh_code(review)
    out[f"{tinh}/tong_hop"] = _all_text(contexts.bao_cao_tong_hop(review, tinh, 2021)[0])
    out[f"{tinh}/so_ket"] = _all_text(contexts.bao_cao_so_ket(review, tinh, 2021)[0])
    out[f"{tinh}/phu_luc"] = _all_text(contexts.phu_luc_so_lieu(review, tinh, 2021)[0])
    for ma in reporting_codes(review)[:8]:
        out[f"{ma}/tong_ket"] = _all_text(contexts.bao_cao_tong_ket(review, ma, 2021)[0])
        out[f"{ma}/so_ket"] = _all_text(contexts.bao_cao_so_ket(review, ma, 2021)[0])
        out[f"{ma}/phu_luc"] = _all_text(contexts.phu_luc_so_lieu(review, ma, 2021)[0])
        for code, ctx, _ in contexts.phieu_danh_gia_tat_ca(review, ma, 2021)[:3]:
            out[f"{code}/phieu"] = _all_text(ctx)
    return out


# --- D: no code or jargon ---------------------------------------------------------------------

@pytest.mark.parametrize("which", ["before_reform", "after_reform"])
def test_no_code_word_in_any_signed_text(which, request):
    for name, text in _contexts(request.getfixturevalue(which)).items():
        for pattern in CODE_WORDS:
            assert not re.search(pattern, text), (name, pattern, re.search(rf".{{0,60}}{pattern}.{{0,60}}", text))


def test_reasons_are_worded_as_an_office_writes_them(tmp_path):
    rubric = load_rubric(ROOT / "params" / "rubrics" / "chi_doan_dat_chuan.yaml")
    frame = pd.DataFrame([{"ma_don_vi": "X", "nam": 2021, "loai_hinh": "dan_cu", "so_dv_vi_pham_phap_luat": 0,
                           "so_mo_hinh_kinh_te": 0, "so_gioi_thieu_viec_lam": 0, "so_doi_hinh_tinh_nguyen": 1,
                           "so_cong_trinh_thanh_nien": 1, "so_tv_doi_hinh_lon_nhat": 6, "so_ket_nap_moi": 5,
                           "so_gioi_thieu_dang": 1, "so_lan_sinh_hoat": 7, "bien_ban_day_du": False,
                           "so_doan_vien": 20, "so_dv_dong_doan_phi": 18, "dai_hoi_chi_doan": True,
                           "so_hoat_dong_van_hoa_the_thao": 2, "bi_thu_kinh_te_on_dinh": True,
                           "bi_thu_duoc_tap_huan": True, "bi_thu_nam_chinh_sach": True}])
    why = evaluate(rubric, frame)["ly_do"].iloc[0]
    assert "Tiêu chí 2 (Có mô hình phát triển kinh tế hoặc giới thiệu việc làm): chưa có mô hình phát triển " \
           "kinh tế (yêu cầu ít nhất 1)" in why
    assert "số lần sinh hoạt: 7 (yêu cầu ít nhất 8)" in why
    assert "chưa đạt yêu cầu “Biên bản, sổ sách đầy đủ”" in why
    assert "số đoàn viên đóng đủ đoàn phí: 18 (yêu cầu ít nhất bằng số đoàn viên: 20)" in why
    for pattern in CODE_WORDS:
        assert not re.search(pattern, why), pattern
    assert ten_tieu_chi("tc4") == "Tiêu chí 4" and ten_tieu_chi("nhom1") == "Nhóm nội dung 1"
    assert chua_dat("Số đoàn viên vi phạm pháp luật", "count", "=", 0, "02") == \
        "số đoàn viên vi phạm pháp luật: 02 (yêu cầu không có)"


def test_ratings_count_in_the_official_style(before_reform):
    ctx, _ = contexts.bao_cao_tong_ket(before_reform, "ST02", 2021)
    rated = ctx["cau"]["xep_loai"][0]
    assert "trong đó 5 hoàn thành xuất sắc nhiệm vụ, 7 hoàn thành tốt nhiệm vụ, 1 hoàn thành nhiệm vụ; " \
           "không có Đoàn cơ sở xếp loại “không hoàn thành nhiệm vụ”." in rated


# --- C: every sentence true for its data ------------------------------------------------------

def test_lists_under_a_target_name_the_units_that_missed_it(before_reform):
    _, missed = contexts.target_rows(before_reform, "ST02", 2021)
    line = next(m for m in missed if "90% chi đoàn dân cư" in m)
    assert line.startswith("Đoàn cơ sở (xã, phường) chưa đạt 90% chi đoàn dân cư đạt chuẩn: Đoàn xã An Vĩnh Ngãi (88,9%)")
    ctx, _ = contexts.bao_cao_tong_ket(before_reform, "ST02", 2021)
    rows = {r["stt"]: r for r in ctx["bang_co_so"]}
    met = [r["ten"] for r in rows.values() if r["dat_muc_tieu"] == "Đạt"]
    assert met and not any(name in line for name in met)


def test_the_province_names_districts_missing_their_own_targets(before_reform):
    _, missed = contexts.target_rows(before_reform, "ST", 2021)
    rated = next(m for m in missed if "được đánh giá, xếp loại" in m)
    # the sample's target counts «cơ sở Đoàn các cấp»: Hòa Thạnh's chi đoàn cơ sở sent no 2021 row
    assert rated == ("Đơn vị chưa đạt chỉ tiêu “Tỉ lệ cơ sở Đoàn các cấp (Đoàn cơ sở, chi đoàn cơ sở) được đánh "
                     "giá, xếp loại” (chỉ tiêu: từ 95% trở lên): Thành Đoàn Tân An (92,9%); Thị Đoàn Hòa Thạnh (93,8%).")
    peak = next(m for m in missed if "đợt cao điểm" in m and m.startswith("Đơn vị"))
    assert "Huyện Đoàn Đông Hòa (88,9%)" in peak and "Huyện Đoàn Long Điền (80,0%)" in peak


@given(st.floats(0, 1), st.floats(0, 1), st.floats(0, 1))
@settings(max_examples=300, deadline=None)
def test_trend_words_follow_the_whole_series(r0, r1, r2):
    now, before, earlier = pd.Series({"ty_le_dat_chuan": r2}), pd.Series({"ty_le_dat_chuan": r1}), \
        pd.Series({"ty_le_dat_chuan": r0})
    text = " ".join(narrative.uu_diem(now, before, pd.DataFrame(columns=["so_chi_doan_dan_cu", "ty_le_dat_chuan",
                                                                          "bien_dong", "ten_don_vi"]), 2021, earlier))
    shown = [float(phan_tram(r).rstrip("%").replace(",", ".")) for r in (r0, r1, r2)]
    if "tiếp tục tăng" in text:
        assert shown[0] < shown[1] < shown[2]
    if "đạt chuẩn tăng" in text or "đạt chuẩn tiếp tục tăng" in text:
        assert shown[1] < shown[2]
    if shown[0] > shown[1] < shown[2]:
        assert "tiếp tục" not in text and "năm 2020 giảm" in text


def test_a_rise_after_a_fall_is_not_said_to_continue(before_reform):
    ctx, _ = contexts.bao_cao_tong_ket(before_reform, "ST02", 2021)
    first = ctx["uu_diem"][0]
    assert first == ("Tỉ lệ chi đoàn trên địa bàn dân cư đạt chuẩn tăng 1,3 điểm phần trăm so với năm 2020 "
                     "(năm 2020 giảm 1,7 điểm phần trăm so với năm 2019).")


@given(st.floats(0, 1), st.floats(0, 1))
@settings(max_examples=500, deadline=None)
def test_a_printed_difference_is_the_difference_of_the_printed_figures(a, b):
    def pct(x: float) -> float:
        return float(phan_tram(x).rstrip("%").replace(".", "").replace(",", "."))

    sentence = narrative.so_voi_rate(b, a, 2020)
    expected = round(pct(b) - pct(a), 1)
    if abs(expected) < 0.05:
        assert sentence == "bằng năm 2020"
    else:
        m = re.match(r"(tăng|giảm) ([\d,]+) điểm phần trăm", sentence)
        assert m, sentence
        value = float(m.group(2).replace(",", "."))
        assert (value if m.group(1) == "tăng" else -value) == pytest.approx(expected)
    assert hieu_ty_le(b, a) == pytest.approx(expected / 100)


def test_the_appendix_difference_matches_its_figures(before_reform):
    ctx, _ = contexts.phu_luc_so_lieu(before_reform, "ST02", 2021)
    row = next(r for r in ctx["phu_luc"] if r["chi_tieu"] == "Tỉ lệ tập hợp thanh niên")
    assert (row["nam_truoc"], row["nam_nay"], row["chenh_lech"]) == ("72,4%", "75,6%", "+3,2 điểm phần trăm")


def test_a_name_that_repeats_carries_its_upper_unit_everywhere(before_reform):
    ctx, _ = contexts.bao_cao_tong_hop(before_reform, "ST", 2021)
    sentences = [*ctx["chi_tieu_chua_dat"], *ctx["uu_diem"], *ctx["han_che"]]
    assert any("Đoàn phường 1 (Thành Đoàn Tân An)" in s for s in sentences)
    for s in sentences:
        names = re.findall(r"(Đoàn phường \d+(?: \([^)]*Đoàn[^)]*\))?)", s)
        assert len(names) == len(set(names)), s
        assert not re.search(r"Đoàn phường 1 \(\d", s), s


def test_analyst_text_by_level_never_recommends_to_itself(before_reform, after_reform, tmp_path):
    tinh, _ = contexts.bao_cao_tong_hop(before_reform, "ST", 2021)
    assert not any(p.startswith("- Đề nghị Tỉnh Đoàn") for p in tinh["van_ban"]["kien_nghi"])
    huyen, _ = contexts.bao_cao_tong_ket(before_reform, "ST02", 2021)
    assert "- Đề nghị Tỉnh Đoàn tổ chức tập huấn cho bí thư chi đoàn mới." in huyen["van_ban"]["kien_nghi"]
    tinh_after, _ = contexts.bao_cao_tong_hop(after_reform, "ST", 2021)
    assert not any("Đề nghị Tỉnh Đoàn" in p for p in tinh_after["van_ban"]["kien_nghi"])
    # levels layer between the common text and the unit's own
    (tmp_path / "chung.md").write_text("# Kiến nghị\n- Chung.\n\n# Thuận lợi\nChung.\n", encoding="utf-8")
    (tmp_path / "cap_tinh.md").write_text("# Kiến nghị\n- Cấp tỉnh.\n", encoding="utf-8")
    assert texts.for_unit(tmp_path, "ST", "tinh") == {"kien_nghi": ["- Cấp tỉnh."], "thuan_loi": ["Chung."]}
    assert texts.for_unit(tmp_path, "ST02", "huyen")["kien_nghi"] == ["- Chung."]


def test_generic_text_the_data_contradicts_is_not_printed(before_reform):
    khoi, _ = contexts.bao_cao_tong_ket(before_reform, "ST06", 2021)
    analyst = " ".join(p for ps in khoi["van_ban"].values() for p in ps)
    assert "dân cư" not in analyst and "đạt chuẩn" not in analyst
    assert "Một bộ phận đoàn viên, thanh niên đi làm ăn xa, khó tập hợp; một số bí thư chi đoàn mới, chưa được " \
           "tập huấn." in khoi["van_ban"]["kho_khan"]
    assert texts.fits(["- Đề nghị Huyện Đoàn hỗ trợ."], {"cap": "huyen", "ten": "Huyện Đoàn Phú Mỹ",
                                                        "co_dan_cu": True}) == []
    assert texts.fits(["- Đề nghị Tỉnh Đoàn hỗ trợ."], {"cap": "huyen", "ten": "Huyện Đoàn Phú Mỹ",
                                                       "co_dan_cu": True}) == ["- Đề nghị Tỉnh Đoàn hỗ trợ."]


def test_one_plus_one_names_the_difference_of_its_sources(before_reform):
    half = before_reform.data.optional.get("mot_cong_mot")
    table = mot_cong_mot(before_reform.results, half, 2021)
    row = table[(table["ma_don_vi"] == "ST02") & (table["nam"] == 2021) & (table["ky"] == 2)].iloc[0]
    ctx, _ = contexts.bao_cao_tong_ket(before_reform, "ST02", 2021)
    in_report = int(re.search(r"thu hút ([\d.]+) thanh niên", ctx["cau"]["tap_hop"][1]).group(1).replace(".", ""))
    if int(row["so_thanh_nien_1_1"]) != in_report:
        assert row["ghi_chu"].startswith("Số liệu theo kỳ của ") and "số cả năm trong báo cáo" in row["ghi_chu"]


def test_counts_against_different_targets_are_not_compared(before_reform):
    ctx, _ = contexts.phu_luc_so_lieu(before_reform, "ST02", 2021)
    row = next(r for r in ctx["phu_luc"] if r["chi_tieu"].startswith("Đoàn cơ sở đạt mục tiêu"))
    assert "(mục tiêu năm trước 75%, năm nay 90%: không so sánh)" in row["chi_tieu"]
    assert row["chenh_lech"] == "–" and row["so_sanh"] == "–"


def test_dotted_blanks_only_for_document_details(before_reform):
    """«……» is a missing document detail; a missing figure says «chưa có số liệu»; «–» is not applicable."""
    khoi, _ = contexts.phu_luc_so_lieu(before_reform, "ST06", 2021)
    rows = {r["chi_tieu"]: r for r in khoi["phu_luc"]}
    assert rows["Tỉ lệ chi đoàn dân cư đạt chuẩn"]["nam_nay"] == "–"
    assert rows["Chi đoàn trên địa bàn dân cư"]["nam_nay"] == "0" and rows["Chi đoàn trên địa bàn dân cư"]["so_sanh"] == "–"
    figures = [v for r in khoi["phu_luc"] for k, v in r.items() if k not in ("stt", "_so")]
    assert BLANK not in " ".join(figures)
    table, _ = contexts.target_rows(before_reform, "ST06", 2021)
    assert table[0]["thuc_hien"] == "–" and table[0]["danh_gia"] == "Không áp dụng"
    now = pd.Series({"ty_le_tap_hop": None, "so_doan_vien": 10})
    shown = appendix_rows(year_on_year(now, pd.Series({"ty_le_tap_hop": 0.5, "so_doan_vien": 8})))
    assert next(r for r in shown if r["chi_tieu"] == "Tỉ lệ tập hợp thanh niên")["nam_nay"] == "chưa có số liệu"


def test_a_single_year_workbook_does_not_report_zero_moving_up(tmp_path):
    """[issue 15 A.4] Without last year's ratings, moving up is unknown, not 0 %."""
    cd, cs = small_rows()
    cd = [r for r in cd if r["nam"] == 2021]
    cs = [r for r in cs if r["nam"] == 2021]
    review = open_review(data=write_exchange(tmp_path / "mot_nam.xlsx", small_tree(), cd, cs), nam=2021)
    ctx, _ = contexts.bao_cao_tong_ket(review, "H1", 2021)
    said = " ".join(ctx["cau"]["xep_loai"])
    assert "không có số liệu năm trước (năm 2020)" in said and "nâng bậc xếp loại so với năm 2020, tỉ lệ" not in said
    row = next(r for r in ctx["chi_tieu"] if r["chi_tieu"].startswith("Tỉ lệ cơ sở Đoàn các cấp (Đoàn cơ sở, chi "
                                                                     "đoàn cơ sở) nâng"))  # the sample's target
    assert row["thuc_hien"] == "không có số liệu năm trước" and row["danh_gia"] == "Chưa đánh giá"
    assert "0,0%" not in row["thuc_hien"]


# --- E: form ------------------------------------------------------------------------------------

def test_the_province_header_has_its_own_body_only(before_reform, after_reform):
    for review in (before_reform, after_reform):
        ctx, missing = contexts.bao_cao_tong_hop(review, "ST", 2021)
        assert ctx["vb"]["co_quan_cap_tren"] == "" and ctx["vb"]["co_quan_ban_hanh"] == "BCH TỈNH ĐOÀN SÔNG TIỀN"
        assert "cơ quan cấp trên" not in missing
    huyen, _ = contexts.bao_cao_tong_ket(before_reform, "ST02", 2021)
    assert huyen["vb"]["co_quan_cap_tren"] == "TỈNH ĐOÀN SÔNG TIỀN"


def test_the_decision_cites_its_plan_and_takes_effect(before_reform):
    ctx, _ = contexts.quyet_dinh_cong_nhan(before_reform, "ST02", 2021)
    assert ("Căn cứ Kế hoạch số 65-KH/TĐTN-TCKT ngày 09/07/2018 của Ban Thường vụ Tỉnh Đoàn Sông Tiền về xây dựng "
            "Đoàn cơ sở “3 chủ động” và Chi đoàn trên địa bàn dân cư đạt chuẩn giai đoạn 2018–2022;") in ctx["can_cu"]
    assert ctx["dieu"][-1].startswith("Quyết định có hiệu lực kể từ ngày ký.")


@pytest.mark.parametrize("ma", ["ST02", "ST"])
def test_the_review_has_one_period_and_its_own_appendix(before_reform, ma):
    ctx, _ = contexts.bao_cao_so_ket(before_reform, ma, 2021)
    text = _all_text(ctx)
    assert set(re.findall(r"giai đoạn (\d{4}–\d{4})", text)) == {"2018–2022"}
    assert ctx["trich_yeu"] == ("Sơ kết 4 năm (2018–2021) xây dựng Đoàn cơ sở “3 chủ động” và Chi đoàn trên địa "
                                "bàn dân cư đạt chuẩn giai đoạn 2018–2022")
    assert ctx["phu_luc"] and ctx["phu_luc"][0]["chi_tieu"] == "Số Đoàn cơ sở"


def test_a_chart_label_is_not_covered_by_another_line_or_target():
    """ST02 2020: 66,7% under the gathering rate (70,5%) and the target (75%): the label goes below."""
    from tongket.documents.charts import _label_place

    assert _label_place(0.667, [0.705, 0.75]) == ((0, -7), "top")
    assert _label_place(0.533, [0.683, None is None and 0.49]) == ((0, 5), "bottom")
    assert _label_place(0.68, [0.72, 0.64]) == ((18, 0), "center")


def test_a_unit_without_residential_branches_says_nothing_of_their_verification(before_reform):
    khoi, _ = contexts.bao_cao_tong_ket(before_reform, "ST06", 2021)
    assert khoi["cau"]["tham_dinh"] == ""
    huyen, _ = contexts.bao_cao_tong_ket(before_reform, "ST02", 2021)
    assert huyen["cau"]["tham_dinh"].endswith("; có danh sách kèm theo.")


def test_unit_kinds_in_a_table_are_the_forms_words_capitalised():
    from tongket.common.schema import TEN_LOAI_HINH
    from tongket.documents.rows import loai_hinh

    assert [loai_hinh(k) for k in TEN_LOAI_HINH] == ["Trên địa bàn dân cư", "Trường học", "Cơ quan", "Doanh nghiệp",
                                                     "Lực lượng vũ trang", "Khác"]
    assert loai_hinh("tu_nhan") == loai_hinh(None) == "Khác"


def test_a_blank_verdict_in_the_units_table_is_never_read_as_chua_dat(before_reform):
    co_so = pd.DataFrame({
        "ten_don_vi": ["Đoàn xã An", "Đoàn xã Bình", "Đoàn xã Cường", "Đoàn trường Dũng"],
        "so_chi_doan_dan_cu": [4, 4, 4, 0], "so_chi_doan_dat_chuan": [4, 2, 1, 0],
        "ty_le_dat_chuan": [1.0, 0.5, 0.25, float("nan")],
        "dat_muc_tieu": pd.array([True, False, pd.NA, pd.NA], dtype="boolean"),
        "ba_chu_dong": pd.array([True, False, pd.NA, True], dtype="boolean"),
        "xep_loai": [None] * 4, "bien_dong": ["nang_bac", "ha_bac", None, "moi"]})
    rows = contexts.co_so_rows(co_so, before_reform)
    assert [(r["ten"], r["dat_muc_tieu"], r["ba_chu_dong"], r["bien_dong"]) for r in rows] == [
        ("Đoàn trường Dũng", "–", "Đạt", "Mới"),
        ("Đoàn xã An", "Đạt", "Đạt", "Nâng bậc"),
        ("Đoàn xã Bình", "Chưa đạt", "Chưa đạt", "Hạ bậc"),
        ("Đoàn xã Cường", "–", "Chưa có số liệu", "–")]


def test_the_assessment_sheets_old_name_warns_and_gives_the_same_sheets(before_reform):
    one = ["ST02.05"]
    new = contexts.phieu_danh_gia_tat_ca(before_reform, "ST02", 2021, one)
    with pytest.warns(DeprecationWarning, match="phieu_danh_gia_tat_ca"):
        old = contexts.phieu_danh_gia_huyen(before_reform, "ST02", 2021, one)
    assert old == new and [code for code, _, _ in new] == one
    assert new[0][1]["co_so"]["loai_hinh"] in {"Trên địa bàn dân cư", "Trường học", "Cơ quan", "Doanh nghiệp",
                                               "Lực lượng vũ trang", "Khác"}
