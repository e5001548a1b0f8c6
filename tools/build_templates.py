"""Build the Word templates in templates/ (official form, Hướng dẫn 29-HD/TWĐTN-VP).

The .docx files are committed and analysts edit them in Word or LibreOffice; this script is how
they were first made, and how to remake them from scratch:  make templates
Every field ({{ … }}) is filled by tongket with autoescaping and strict undefined; the list of
fields each template may use is templates/README.md (tongket templates list).
"""

from __future__ import annotations

import sys
from pathlib import Path

import templates_models
from docx.enum.text import WD_BREAK
from template_kit import (
    ROOT,
    appendix,
    bullets,
    counter,
    decision_body,
    figure,
    frame_bottom,
    frame_top,
    indicator_table,
    loop_table,
    new_document,
    par,
    paragraphs,
    save,
    signature,
    subsection,
)
from templates_cadres import cadre_section
from templates_members import build_members
from templates_ratings import kinds_sections, ratings_sections
from templates_rewards import BUILDERS_REWARDS
from templates_special import build_quyet_dinh_tien_bo, build_so_ket_dac_thu, special_section
from templates_targets import targets_section
from templates_upkeep import build_dang_ky, upkeep_section


def _programmes(doc, scope: str) -> None:
    """Sections II.2–II.5, the same in every report: "3 chủ động", ratings, youth, targets."""
    par(doc, "2. Xây dựng Đoàn cơ sở “3 chủ động”", style="TK Muc nho")
    par(doc, "{{ cau.ba_chu_dong }}")
    par(doc, "3. Đánh giá, xếp loại tổ chức cơ sở Đoàn", style="TK Muc nho")
    bullets(doc, "cau.xep_loai")
    par(doc, "{{ cau.dac_thu }}")
    figure(doc, "xep_loai", f"Biểu đồ {{{{ so_bieu_do.xep_loai }}}}. Kết quả xếp loại Đoàn cơ sở{scope} năm {{{{ nam }}}}")
    par(doc, "4. Tập hợp thanh niên, thực hiện chủ trương “1+1”, phát triển đoàn viên", style="TK Muc nho")
    bullets(doc, "cau.tap_hop")
    par(doc, "5. Kết quả thực hiện các chỉ tiêu", style="TK Muc nho")
    loop_table(doc, ["STT", "Chỉ tiêu", "Mục tiêu", "Thực hiện", "Đánh giá"],
               ["{{ r.stt }}", "{{ r.chi_tieu }}", "{{ r.muc_tieu }}", "{{ r.thuc_hien }}", "{{ r.danh_gia }}"],
               "chi_tieu", [1.1, 7.4, 2.5, 2.5, 2.5], center_from=2)
    bullets(doc, "chi_tieu_chua_dat")
    figure(doc, "xu_huong", f"Biểu đồ {{{{ so_bieu_do.xu_huong }}}}. Kết quả{scope} qua các năm {{{{ nam_dau }}}}–{{{{ nam }}}}")


def _more_sections(doc, report: str) -> None:
    """Sections shown only when the workbook has their data (issues 18, 19), in the reports'
    part II after section 5 (tong_ket, tong_hop: numbered with `subsection`) or in the sơ kết
    after its tables (so_ket: captions numbered with `numbered("bang")`). Each topic's builder
    lives in its own module of tools/ and is called here, one line per topic."""
    # --- one line per topic below (keep this order: members, cadres, ratings, kinds, upkeep, models)
    build_members(doc, report)  # member ratings (18.1): tools/templates_members.py
    cadre_section(doc, report)  # cadres (issue 18 point 2): tools/templates_cadres.py
    ratings_sections(doc, report)  # branch ratings (18.3)
    kinds_sections(doc, report)  # results by kind of unit (18.5)
    upkeep_section(doc, report)  # registration and upkeep (19.1)
    special_section(doc, report)  # special units [003], issue 19.3
    templates_models.section(doc, report)  # models and effective practices (19.5)
    targets_section(doc, report)  # the cycle's other declared targets, year by year (sơ kết)


def _assessment(doc) -> None:
    """Part III: achievements and shortcomings (generated), causes and lessons (the analyst's)."""
    par(doc, "III. ĐÁNH GIÁ CHUNG", style="TK Muc")
    par(doc, "1. Ưu điểm", style="TK Muc nho")
    bullets(doc, "uu_diem")
    par(doc, "2. Hạn chế", style="TK Muc nho")
    bullets(doc, "han_che")
    par(doc, "3. Nguyên nhân", style="TK Muc nho")
    paragraphs(doc, "van_ban.nguyen_nhan")
    par(doc, "4. Bài học kinh nghiệm", style="TK Muc nho")
    paragraphs(doc, "van_ban.bai_hoc")


def _closing(doc, path: Path, title: str, direction: str = "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {{ nam_sau }}",
             closing: str = "Trên đây là báo cáo {{ ten_bao_cao }} năm {{ nam }} của Ban Thường vụ {{ don_vi.ten }}./.",
             with_appendix: bool = True) -> None:
    """Parts III–V, the closing sentence, the signature block and the data appendix."""
    _assessment(doc)
    par(doc, direction, style="TK Muc")
    paragraphs(doc, "van_ban.phuong_huong")
    par(doc, "V. ĐỀ XUẤT, KIẾN NGHỊ", style="TK Muc")
    paragraphs(doc, "van_ban.kien_nghi")
    par(doc, closing)
    frame_bottom(doc)
    if with_appendix:
        appendix(doc)
    save(doc, path, title)


def _situation(doc) -> None:
    par(doc, "I. ĐẶC ĐIỂM TÌNH HÌNH", style="TK Muc")
    par(doc, "1. Thuận lợi", style="TK Muc nho")
    paragraphs(doc, "van_ban.thuan_loi")
    par(doc, "2. Khó khăn", style="TK Muc nho")
    paragraphs(doc, "van_ban.kho_khan")


def build_tong_ket(path: Path) -> None:
    """District year-end report: báo cáo tổng kết."""
    doc = new_document()
    frame_top(doc, "BÁO CÁO", "{{ trich_yeu }}")
    paragraphs(doc, "mo_dau")
    _situation(doc)
    par(doc, "II. KẾT QUẢ THỰC HIỆN", style="TK Muc")
    par(doc, "1. Xây dựng Chi đoàn trên địa bàn dân cư đạt chuẩn", style="TK Muc nho")
    par(doc, "{{ cau.dat_chuan }}")
    par(doc, "{%p if cau.co_so_muc_tieu %}")
    par(doc, "{{ cau.co_so_muc_tieu }}")
    par(doc, "{%p endif %}")
    figure(doc, "dat_chuan", "Biểu đồ {{ so_bieu_do.dat_chuan }}. Tỉ lệ chi đoàn trên địa bàn dân cư đạt chuẩn theo Đoàn cơ sở, "
           "năm {{ nam }}")
    figure(doc, "tieu_chi", "Biểu đồ {{ so_bieu_do.tieu_chi }}. Tỉ lệ chi đoàn chưa đạt từng tiêu chí, năm {{ nam }}")
    par(doc, "{%p if cau.tham_dinh %}")
    par(doc, "{{ cau.tham_dinh }}")
    par(doc, "{%p endif %}")
    _programmes(doc, "")
    counter(doc, "muc", 5)
    _more_sections(doc, "tong_ket")
    # A Đoàn cơ sở reporting on its own (cap_bao_cao: co_so) lists its branches; a district, its Đoàn cơ sở.
    par(doc, "{%p if bang_chi_doan %}")
    subsection(doc, "Kết quả theo từng chi đoàn")
    loop_table(doc, ["STT", "Chi đoàn", "Loại hình", "Tiêu chí chưa đạt", "Đạt chuẩn", "Xếp loại"],
               ["{{ r.stt }}", "{{ r.ten }}", "{{ r.loai_hinh }}", "{{ r.chua_dat }}", "{{ r.dat_chuan }}",
                "{{ r.xep_loai }}"],
               "bang_chi_doan", [1.0, 4.6, 3.0, 3.4, 2.2, 1.8], center_from=2)
    par(doc, "{%p else %}")
    subsection(doc, "Kết quả theo từng Đoàn cơ sở")
    par(doc, "{%p if cau.dan_dau %}")
    par(doc, "{{ cau.dan_dau }}")
    par(doc, "{%p endif %}")
    loop_table(doc, ["STT", "Đoàn cơ sở", "Chi đoàn dân cư", "Đạt chuẩn", "Tỉ lệ", "Đạt mục tiêu", "3 chủ động",
                     "Xếp loại", "Biến động"],
               ["{{ r.stt }}", "{{ r.ten }}", "{{ r.so_dan_cu }}", "{{ r.so_dat_chuan }}", "{{ r.ty_le }}",
                "{{ r.dat_muc_tieu }}", "{{ r.ba_chu_dong }}", "{{ r.xep_loai }}", "{{ r.bien_dong }}"],
               "bang_co_so", [1.0, 3.8, 1.5, 1.5, 1.6, 1.6, 1.6, 1.8, 1.6], center_from=2)
    par(doc, "{%p endif %}")
    _closing(doc, path, "Báo cáo tổng kết")


def build_tong_hop(path: Path) -> None:
    """Province consolidated report: báo cáo tổng hợp with a ranking of districts."""
    doc = new_document()
    frame_top(doc, "BÁO CÁO", "{{ trich_yeu }}")
    paragraphs(doc, "mo_dau")
    _situation(doc)
    par(doc, "II. KẾT QUẢ THỰC HIỆN TOÀN TỈNH", style="TK Muc")
    par(doc, "1. Xây dựng Chi đoàn trên địa bàn dân cư đạt chuẩn", style="TK Muc nho")
    par(doc, "{{ cau.dat_chuan }}")
    figure(doc, "so_sanh", "Biểu đồ {{ so_bieu_do.so_sanh }}. Tỉ lệ chi đoàn trên địa bàn dân cư đạt chuẩn theo đơn vị, "
           "năm {{ nam }}")
    figure(doc, "tieu_chi", "Biểu đồ {{ so_bieu_do.tieu_chi }}. Tỉ lệ chi đoàn chưa đạt từng tiêu chí, năm {{ nam }}")
    par(doc, "{%p if cau.tham_dinh %}")
    par(doc, "{{ cau.tham_dinh }}")
    par(doc, "{%p endif %}")
    _programmes(doc, " toàn tỉnh")
    counter(doc, "muc", 5)
    _more_sections(doc, "tong_hop")
    subsection(doc, "Xếp hạng các đơn vị")
    par(doc, "Xếp theo tỉ lệ chi đoàn trên địa bàn dân cư đạt chuẩn (đơn vị không có chi đoàn dân cư xếp cuối).")
    par(doc, "{%p if cau.dan_dau %}")
    par(doc, "{{ cau.dan_dau }}")
    par(doc, "{%p endif %}")
    loop_table(doc, ["Hạng", "Đơn vị", "Đoàn cơ sở", "Chi đoàn dân cư", "Tỉ lệ đạt chuẩn",
                     "So với năm trước (điểm phần trăm)",
                     "3 chủ động", "Được xếp loại", "Hạ bậc"],
               ["{{ r.hang }}", "{{ r.ten }}", "{{ r.so_co_so }}", "{{ r.so_dan_cu }}", "{{ r.ty_le }}",
                "{{ r.so_voi }}", "{{ r.ba_chu_dong }}", "{{ r.duoc_xep_loai }}", "{{ r.ha_bac }}"],
               "xep_hang", [1.3, 3.7, 1.5, 1.6, 1.7, 2.0, 1.5, 1.6, 1.3], center_from=2)
    par(doc, "{%p if chua_tong_hop %}")
    par(doc, "Chưa tổng hợp do số liệu có lỗi: {{ chua_tong_hop }}.")
    par(doc, "{%p endif %}")
    _closing(doc, path, "Báo cáo tổng hợp")


def build_so_ket(path: Path) -> None:
    """Programme review over several years: target against actual, year by year [002]."""
    doc = new_document()
    frame_top(doc, "BÁO CÁO", "{{ trich_yeu }}")
    paragraphs(doc, "mo_dau")
    _situation(doc)
    par(doc, "II. KẾT QUẢ THỰC HIỆN", style="TK Muc")
    par(doc, "1. Công tác chỉ đạo, triển khai", style="TK Muc nho")
    paragraphs(doc, "van_ban.chi_dao")
    par(doc, "2. Kết quả thực hiện các mục tiêu", style="TK Muc nho")
    bullets(doc, "cau.giai_doan")
    par(doc, "Bảng 1. Tỉ lệ chi đoàn trên địa bàn dân cư đạt chuẩn so với mục tiêu giai đoạn, theo năm",
        style="TK Chu thich")
    loop_table(doc, ["Năm", "Mục tiêu", "Đạt chuẩn / chi đoàn dân cư", "Tỉ lệ", "So với năm trước (điểm phần trăm)",
                     "Đánh giá"],
               ["{{ r.nam }}", "{{ r.muc_tieu }}", "{{ r.thuc_hien }}", "{{ r.ty_le }}", "{{ r.so_voi }}",
                "{{ r.danh_gia }}"],
               "muc_tieu_nam", [1.6, 2.2, 3.6, 2.4, 3.4, 2.8], center_from=1)
    # A Đoàn cơ sở reporting on its own (cap_bao_cao: co_so) has its own rating, not shares of Đoàn cơ sở.
    par(doc, "{%p if xep_loai_nam %}")
    par(doc, "Bảng 2. Kết quả đánh giá, xếp loại của {{ don_vi.ten }} qua các năm", style="TK Chu thich")
    loop_table(doc, ["Năm", "Xếp loại", "Điểm", "Biến động", "3 chủ động"],
               ["{{ r.nam }}", "{{ r.xep_loai }}", "{{ r.diem }}", "{{ r.bien_dong }}", "{{ r.ba_chu_dong }}"],
               "xep_loai_nam", [1.6, 5.2, 2.2, 3.2, 3.8], center_from=1)
    par(doc, "Bảng 3. Các chỉ số qua các năm", style="TK Chu thich")
    loop_table(doc, ["Năm", "Chi đoàn", "Đoàn viên", "Kết nạp mới", "Giới thiệu Đảng", "Tỉ lệ tập hợp", "“1+1”"],
               ["{{ r.nam }}", "{{ r.so_chi_doan }}", "{{ r.so_doan_vien }}", "{{ r.ket_nap }}", "{{ r.dang }}",
                "{{ r.tap_hop }}", "{{ r.mot_cong_mot }}"],
               "chi_so_nam", [1.6, 2.0, 2.4, 2.4, 2.6, 2.6, 2.4], center_from=1)
    par(doc, "{%p else %}")
    par(doc, "Bảng 2. Đánh giá, xếp loại Đoàn cơ sở so với chỉ tiêu (được xếp loại "
             "{{ chi_tieu_xep_loai.duoc_xep_loai }}, nâng bậc {{ chi_tieu_xep_loai.nang_bac }}, không hạ bậc)",
        style="TK Chu thich")
    loop_table(doc, ["Năm", "Được xếp loại", "Đánh giá", "Nâng bậc", "Đánh giá", "Hạ bậc"],
               ["{{ r.nam }}", "{{ r.duoc_xep_loai }}", "{{ r.dat_xep_loai }}", "{{ r.nang_bac }}",
                "{{ r.dat_nang_bac }}", "{{ r.ha_bac }}"],
               "muc_tieu_nam", [1.6, 3.0, 2.6, 3.0, 2.6, 3.2], center_from=1)
    par(doc, "Bảng 3. Các chỉ số qua các năm", style="TK Chu thich")
    loop_table(doc, ["Năm", "Đoàn cơ sở", "Chi đoàn", "Đoàn viên", "Kết nạp mới", "Giới thiệu Đảng",
                     "Tỉ lệ tập hợp", "3 chủ động", "“1+1”"],
               ["{{ r.nam }}", "{{ r.so_co_so }}", "{{ r.so_chi_doan }}", "{{ r.so_doan_vien }}", "{{ r.ket_nap }}",
                "{{ r.dang }}", "{{ r.tap_hop }}", "{{ r.ba_chu_dong }}", "{{ r.mot_cong_mot }}"],
               "chi_so_nam", [1.3, 1.6, 1.6, 1.9, 1.8, 1.9, 2.0, 1.9, 2.0], center_from=1, small=True)
    par(doc, "{%p endif %}")
    # Tables of issues 18/19 (present only with their data) continue the numbering: Bảng 4, 5, …
    counter(doc, "bang", 3)
    _more_sections(doc, "so_ket")
    figure(doc, "xu_huong", "Biểu đồ 1. Kết quả qua các năm {{ tu_nam }}–{{ nam }}")
    par(doc, "{{ cau.dat_chuan }}")
    _closing(doc, path, "Báo cáo sơ kết", direction="IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI",
             closing="Trên đây là báo cáo sơ kết {{ ky_so_ket }} của Ban Thường vụ {{ don_vi.ten }}./.")


def build_quyet_dinh(path: Path) -> None:
    """Decision recognising branches up to standard and Đoàn cơ sở "3 chủ động", with its annex."""
    doc = new_document()
    frame_top(doc, "QUYẾT ĐỊNH", "{{ trich_yeu }}")
    _draft_mark(doc, next(p for p in doc.paragraphs if p.text == "QUYẾT ĐỊNH"))
    decision_body(doc)
    frame_bottom(doc)
    p = par(doc, "", style="TK Giua")
    p.add_run().add_break(WD_BREAK.PAGE)
    _draft_mark(doc, par(doc, "DANH SÁCH", style="TK Tieu de"), why=False)  # the annex may be read on its own
    par(doc, "Chi đoàn trên địa bàn dân cư đạt chuẩn và Đoàn cơ sở “3 chủ động” năm {{ nam }}", style="TK Trich yeu")
    par(doc, "(Kèm theo Quyết định số {{ vb.so }}-{{ vb.ky_hieu }} {{ vb.ngay }} của Ban Thường vụ {{ don_vi.ten }})",
        style="TK Kem theo")
    par(doc, "-----", style="TK Giua")
    par(doc, "{%p if chi_doan_dat %}")
    par(doc, "{{ muc.chi_doan }}. CHI ĐOÀN TRÊN ĐỊA BÀN DÂN CƯ ĐẠT CHUẨN ({{ chi_doan_dat|length }} chi đoàn)",
        style="TK Muc")
    loop_table(doc, ["STT", "Chi đoàn", "Thuộc Đoàn cơ sở"], ["{{ r.stt }}", "{{ r.ten }}", "{{ r.co_so }}"],
               "chi_doan_dat", [1.2, 7.4, 7.4], center_from=3)
    par(doc, "{%p endif %}")
    par(doc, "{%p if co_so_dat %}")
    par(doc, "{{ muc.co_so }}. ĐOÀN CƠ SỞ “3 CHỦ ĐỘNG” ({{ co_so_dat|length }} đơn vị)", style="TK Muc")
    loop_table(doc, ["STT", "Đoàn cơ sở", "Loại hình"], ["{{ r.stt }}", "{{ r.ten }}", "{{ r.loai_hinh }}"],
               "co_so_dat", [1.2, 9.0, 5.8], center_from=3)
    par(doc, "{%p endif %}")
    save(doc, path, "Quyết định công nhận")


def _draft_mark(doc, before, why: bool = True) -> None:
    """«DỰ THẢO» in a box above `before` (with why, when `why`), while verification results are missing."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    mark = par(doc, "DỰ THẢO", style="TK Giua", bold=True, size=16)
    mark.paragraph_format.left_indent = mark.paragraph_format.right_indent = Cm(6.0)
    mark.paragraph_format.space_before = Cm(0.3)
    borders = OxmlElement("w:pBdr")
    for edge in ("top", "left", "bottom", "right"):
        el = OxmlElement(f"w:{edge}")
        for k, v in (("val", "single"), ("sz", "12"), ("space", "2"), ("color", "000000")):
            el.set(qn(f"w:{k}"), v)
        borders.append(el)
    mark._p.get_or_add_pPr().append(borders)
    parts = [par(doc, "{%p if du_thao %}", style="TK Giua"), mark]
    if why:
        parts.append(par(doc, "({{ du_thao_ghi_chu }})", style="TK Ghi chu"))
    for p in (*parts, par(doc, "{%p endif %}", style="TK Giua")):
        before._p.addprevious(p._p)


def build_phieu(path: Path) -> None:
    """One Đoàn cơ sở's assessment sheet, issued by its district."""
    doc = new_document()
    frame_top(doc, "PHIẾU ĐÁNH GIÁ, XẾP LOẠI ĐOÀN CƠ SỞ", "Năm {{ nam }}", number=False)
    par(doc, "Đơn vị: {{ co_so.ten }}, thuộc {{ co_so.huyen }}.", bold=False)
    par(doc, "Loại hình: {{ co_so.loai_hinh }}. Đơn vị đặc thù, khó khăn: {{ co_so.dac_thu }}.")
    par(doc, "{{ muc.chi_doan }}. CHI ĐOÀN TRÊN ĐỊA BÀN DÂN CƯ ĐẠT CHUẨN", style="TK Muc")
    par(doc, "{{ tom_tat_chi_doan }}")
    par(doc, "{%p if chi_doan %}")
    loop_table(doc, ["STT", "Chi đoàn", "Kết quả", "Tiêu chí chưa đạt và lý do"],
               ["{{ r.stt }}", "{{ r.ten }}", "{{ r.ket_qua }}", "{{ r.ly_do }}"],
               "chi_doan", [1.0, 4.2, 2.4, 8.4], center_from=2, small=True)
    par(doc, "Các tiêu chí:", style="TK Bang")
    par(doc, "{%p for t in tieu_chi %}", style="TK Bang")
    par(doc, "{{ t.ma }}: {{ t.ten }}.", style="TK Bang")
    par(doc, "{%p endfor %}", style="TK Bang")
    par(doc, "{%p endif %}")
    par(doc, "{{ muc.ba_chu_dong }}. ĐOÀN CƠ SỞ “3 CHỦ ĐỘNG”: {{ ba_chu_dong.ket_qua|upper }}", style="TK Muc")
    par(doc, "{%p for g in ba_chu_dong.nhom %}")
    par(doc, "{{ loop.index }}. {{ g.ten }}: {{ g.ket_qua }}", style="TK Muc nho")
    loop_table(doc, ["STT", "Nội dung", "Thực hiện", "Đánh giá"],
               ["{{ loop.index }}", "{{ m.ten }}", "{{ m.gia_tri }}", "{{ m.dat }}"],
               "g.muc", [1.0, 10.2, 2.4, 2.4], center_from=2, small=True, var="m")
    par(doc, "{%p endfor %}")
    par(doc, "{%p if bang_diem %}")
    par(doc, "{{ muc.bang_diem }}. CHẤM ĐIỂM THEO BẢNG ĐIỂM", style="TK Muc")
    par(doc, "{{ bang_diem.ten }}: {{ bang_diem.ket_qua }}.")
    loop_table(doc, ["Nội dung", "Điểm tối đa", "Điểm đạt"],
               ["{% if m.nhom %}{{ m.ten|upper }}{% else %}- {{ m.ten }}{% endif %}", "{{ m.toi_da }}", "{{ m.diem }}"],
               "bang_diem.muc", [11.0, 2.5, 2.5], center_from=1, small=True, var="m", first_left=True)
    par(doc, "{%p if bang_diem.thieu %}")
    par(doc, "Mục chưa có điểm (không tính là 0 điểm): {{ bang_diem.thieu }}.")
    par(doc, "{%p endif %}")
    par(doc, "{%p if bang_diem.khong_ap_dung %}")
    par(doc, "Mục không áp dụng với đơn vị (không tính vào điểm tối đa): {{ bang_diem.khong_ap_dung }}.")
    par(doc, "{%p endif %}")
    par(doc, "{%p endif %}")
    par(doc, "{{ muc.xep_loai }}. XẾP LOẠI", style="TK Muc")
    par(doc, "Điểm đánh giá: {{ xep_loai.diem }}. Xếp loại năm {{ nam }}: {{ xep_loai.nam_nay }}; năm {{ nam_truoc }}: "
             "{{ xep_loai.nam_truoc }}; biến động: {{ xep_loai.bien_dong }}.")
    par(doc, "{%p if xep_loai.doi_chieu %}")
    par(doc, "{{ xep_loai.doi_chieu }}")
    par(doc, "{%p endif %}")
    par(doc, "{%p if xep_loai.chua_xep_loai %}")
    par(doc, "Lý do chưa xếp loại: {{ xep_loai.chua_xep_loai }}.")
    par(doc, "{%p endif %}")
    par(doc, "{%p if ba_chu_dong.ly_do %}")
    par(doc, "Nội dung “3 chủ động” chưa đạt: {{ ba_chu_dong.ly_do }}.")
    par(doc, "{%p endif %}")
    frame_bottom(doc, left=signature("ĐẠI DIỆN BCH {{ co_so.ten_hoa }}", None, ""))
    save(doc, path, "Phiếu đánh giá Đoàn cơ sở")


def build_phu_luc(path: Path) -> None:
    """The data appendix as its own document, with the second (confirming) signature if asked."""
    doc = new_document()
    frame_top(doc, "PHỤ LỤC SỐ LIỆU", "Kết quả năm {{ nam }} so với năm {{ nam_truoc }}", number=False, attached=True)
    par(doc, "I. CÁC CHỈ TIÊU CHUNG", style="TK Muc")
    indicator_table(doc)
    par(doc, "II. THEO {{ cap_duoi|upper }}: CHI ĐOÀN TRÊN ĐỊA BÀN DÂN CƯ ĐẠT CHUẨN", style="TK Muc")
    loop_table(doc, ["STT", "{{ cap_duoi }}", "Chi đoàn dân cư", "Đạt chuẩn {{ nam_truoc }}", "Đạt chuẩn {{ nam }}",
                     "Tỉ lệ {{ nam_truoc }}", "Tỉ lệ {{ nam }}", "Tăng, giảm (điểm %)", "3 chủ động"],
               ["{{ r.stt }}", "{{ r.ten }}", "{{ r.dan_cu }}", "{{ r.dat_truoc }}", "{{ r.dat_nay }}",
                "{{ r.ty_le_truoc }}", "{{ r.ty_le_nay }}", "{{ r.chenh_lech }}", "{{ r.ba_chu_dong }}"],
               "theo_don_vi", [0.9, 3.9, 1.4, 1.5, 1.5, 1.6, 1.6, 1.9, 1.7], center_from=2, small=True)
    par(doc, "Ghi chú: tỉ lệ so sánh theo điểm phần trăm; «–» là không áp dụng hoặc không so sánh (chỉ tiêu có ghi chú trong ngoặc); «……» là chưa có số liệu.",
        style="TK Bang")
    par(doc, "")
    frame_bottom(doc, left=[("{%p if vb.xac_nhan %}", {}), *signature("{{ vb.xac_nhan }}", None,
                                                                          "{{ vb.nguoi_xac_nhan }}"),
                            ("{%p endif %}", {})])
    save(doc, path, "Phụ lục số liệu")


def build_tham_dinh(path: Path) -> None:
    """The random verification list [001], with columns for the verification team."""
    doc = new_document()
    frame_top(doc, "DANH SÁCH CHI ĐOÀN THẨM ĐỊNH NGẪU NHIÊN",
              "Chi đoàn trên địa bàn dân cư được báo cáo đạt chuẩn năm {{ nam }}", number=False, attached=True)
    par(doc, "{{ cau.tham_dinh }}")
    loop_table(doc, ["STT", "Chi đoàn", "Thuộc Đoàn cơ sở", "Số chọn / số báo cáo đạt", "Kết quả thẩm định",
                     "Ghi chú"],
               ["{{ r.stt }}", "{{ r.ten }}", "{{ r.co_so }}", "{{ r.chon }}", "{{ r.ket_qua }}", "{{ r.ghi_chu }}"],
               "tham_dinh", [0.9, 4.0, 3.8, 1.8, 2.3, 3.2], center_from=3, small=True)
    note = doc.tables[-1].rows[2].cells[5].paragraphs[0]
    note.style = doc.styles["TK Bang nho"]  # the team's note reads left-aligned
    par(doc, "{%p if cau.ket_qua_tham_dinh %}")
    par(doc, "{{ cau.ket_qua_tham_dinh }}")
    par(doc, "{%p endif %}")
    frame_bottom(doc, left=[])
    save(doc, path, "Danh sách thẩm định")


BUILDERS = {
    "bao_cao_tong_ket": build_tong_ket,
    "bao_cao_tong_hop": build_tong_hop,
    "bao_cao_so_ket": build_so_ket,
    "quyet_dinh_cong_nhan": build_quyet_dinh,
    "phieu_danh_gia": build_phieu,
    "phu_luc_so_lieu": build_phu_luc,
    "danh_sach_tham_dinh": build_tham_dinh,
    **BUILDERS_REWARDS,
    "bao_cao_mo_hinh": templates_models.build_mo_hinh,
    "bao_cao_so_ket_dac_thu": build_so_ket_dac_thu,
    "quyet_dinh_tien_bo": build_quyet_dinh_tien_bo,
    "danh_sach_dang_ky": build_dang_ky,
}


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "templates"
    out.mkdir(parents=True, exist_ok=True)
    for key, build in BUILDERS.items():
        build(out / f"{key}.docx")


if __name__ == "__main__":
    main()
