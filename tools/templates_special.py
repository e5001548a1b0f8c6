"""Templates of special units [003] (issue 19.3): the section of the year-end reports (context key
`don_vi_dac_thu`), the six-month review of the support to special units and the decision
recognising their progress. Called from build_templates (its `_more_sections` and BUILDERS)."""

from __future__ import annotations

from pathlib import Path

from docx.enum.text import WD_BREAK
from template_kit import (
    decision_body,
    frame_bottom,
    frame_top,
    loop_table,
    new_document,
    par,
    paragraphs,
    save,
    subsection,
)


def special_section(doc, report: str) -> None:
    """«Đơn vị đặc thù, khó khăn» in part II of the tổng kết / tổng hợp, only with sheet dac_thu_tien_do."""
    if report not in ("tong_ket", "tong_hop"):
        return
    par(doc, "{%p if don_vi_dac_thu %}")
    subsection(doc, "Theo dõi, hỗ trợ Đoàn cơ sở đặc thù, khó khăn")
    par(doc, "{{ don_vi_dac_thu.cau }}")
    loop_table(doc, ["STT", "Đoàn cơ sở", "Tổ công tác", "Xếp loại năm {{ nam_truoc }}", "Xếp loại năm {{ nam }}",
                     "Quý I", "Quý II", "Quý III", "Quý IV", "Công nhận tiến bộ"],
               ["{{ r.stt }}", "{{ r.ten }}", "{{ r.to_cong_tac }}", "{{ r.xep_loai_truoc }}", "{{ r.xep_loai_nay }}",
                "{{ r.quy_1 }}", "{{ r.quy_2 }}", "{{ r.quy_3 }}", "{{ r.quy_4 }}", "{{ r.cong_nhan }}"],
               "don_vi_dac_thu.bang", [0.9, 2.8, 2.2, 1.7, 1.7, 1.3, 1.3, 1.3, 1.3, 1.5], center_from=3, small=True)
    par(doc, "({{ don_vi_dac_thu.ghi_chu }})", style="TK Ghi chu")
    par(doc, "{{ don_vi_dac_thu.de_xuat }}")
    par(doc, "{%p endif %}")


def build_so_ket_dac_thu(path: Path) -> None:
    """Six-month review of the support to special units [003] IV (tháng 6: sơ kết)."""
    doc = new_document()
    frame_top(doc, "BÁO CÁO", "{{ trich_yeu }}")
    paragraphs(doc, "mo_dau")
    par(doc, "I. TÌNH HÌNH CHUNG", style="TK Muc")
    paragraphs(doc, "tinh_hinh_dac_thu")
    par(doc, "{%p for x in cac_to_cong_tac %}")
    par(doc, "- {{ x }}")
    par(doc, "{%p endfor %}")
    par(doc, "II. KẾT QUẢ 6 THÁNG ĐẦU NĂM", style="TK Muc")
    paragraphs(doc, "ket_qua_quy")
    par(doc, "Bảng 1. Tiến bộ của các Đoàn cơ sở đặc thù, khó khăn theo đánh giá của tổ công tác, quý I và quý II "
             "năm {{ nam }}", style="TK Chu thich")
    loop_table(doc, ["STT", "Đoàn cơ sở", "Tổ công tác", "Xếp loại năm {{ nam_truoc }}", "Quý I", "Quý II",
                     "Ghi nhận của tổ công tác"],
               ["{{ r.stt }}", "{{ r.ten }}", "{{ r.to_cong_tac }}", "{{ r.xep_loai_truoc }}", "{{ r.quy_1 }}",
                "{{ r.quy_2 }}", "{{ r.ghi_nhan }}"],
               "bang_dac_thu", [0.9, 3.3, 2.4, 1.8, 1.4, 1.4, 4.8], center_from=3, small=True)
    par(doc, "(Cột quý: «Có» tổ công tác ghi nhận tiến bộ, «Không» chưa tiến bộ, «–» chưa có đánh giá.)",
        style="TK Ghi chu")
    par(doc, "III. NHIỆM VỤ 6 THÁNG CUỐI NĂM", style="TK Muc")
    paragraphs(doc, "nhiem_vu_dac_thu")
    par(doc, "Trên đây là báo cáo sơ kết 6 tháng đầu năm {{ nam }} công tác hỗ trợ các cơ sở Đoàn đặc thù, khó khăn "
             "của Ban Thường vụ {{ don_vi.ten }}./.")
    frame_bottom(doc)
    save(doc, path, "Báo cáo sơ kết 6 tháng đơn vị đặc thù")


def build_quyet_dinh_tien_bo(path: Path) -> None:
    """Decision recognising the progress of special units («công nhận tiến bộ»), with its annex."""
    doc = new_document()
    frame_top(doc, "QUYẾT ĐỊNH", "{{ trich_yeu }}")
    decision_body(doc)
    frame_bottom(doc)
    par(doc, "{%p if don_vi_tien_bo %}")
    p = par(doc, "", style="TK Giua")
    p.add_run().add_break(WD_BREAK.PAGE)
    par(doc, "DANH SÁCH", style="TK Tieu de")
    par(doc, "Đoàn cơ sở đặc thù, khó khăn được công nhận tiến bộ năm {{ nam }}", style="TK Trich yeu")
    par(doc, "(Kèm theo Quyết định số {{ vb.so }}-{{ vb.ky_hieu }} {{ vb.ngay }} của Ban Thường vụ {{ don_vi.ten }})",
        style="TK Kem theo")
    par(doc, "-----", style="TK Giua")
    loop_table(doc, ["STT", "Đoàn cơ sở", "Tổ công tác", "Xếp loại năm {{ nam_truoc }}", "Xếp loại năm {{ nam }}",
                     "Số quý tiến bộ", "Căn cứ công nhận"],
               ["{{ r.stt }}", "{{ r.ten }}", "{{ r.to_cong_tac }}", "{{ r.xep_loai_truoc }}", "{{ r.xep_loai_nay }}",
                "{{ r.so_quy }}", "{{ r.can_cu }}"],
               "don_vi_tien_bo", [0.9, 3.6, 2.6, 1.8, 1.8, 1.6, 3.7], center_from=3, small=True)
    par(doc, "{%p endif %}")
    save(doc, path, "Quyết định công nhận tiến bộ")
