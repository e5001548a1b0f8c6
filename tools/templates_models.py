"""Templates of models and effective practices [002]: the reports' section and the separate
«Báo cáo tổng hợp các mô hình hay, cách làm hiệu quả» (official form, Hướng dẫn 29-HD/TWĐTN-VP).
Used by build_templates.py; the context comes from tongket.documents.models."""

from __future__ import annotations

from pathlib import Path

from template_kit import frame_bottom, frame_top, loop_table, new_document, par, paragraphs, save, subsection


def section(doc, report: str) -> None:
    """«Mô hình hay, cách làm hiệu quả» in part II of the tổng kết and tổng hợp (only with the sheet)."""
    if report not in ("tong_ket", "tong_hop"):
        return
    par(doc, "{%p if mo_hinh %}")
    subsection(doc, "Mô hình hay, cách làm hiệu quả")
    paragraphs(doc, "mo_hinh.cau")
    paragraphs(doc, "mo_hinh.van_ban")
    par(doc, "{%p endif %}")


def build_mo_hinh(path: Path) -> None:
    """The separate report: opening, overview by field, the models of each field, proposals, closing."""
    doc = new_document()
    frame_top(doc, "BÁO CÁO", "{{ trich_yeu }}")
    paragraphs(doc, "mo_dau")
    par(doc, "I. KHÁI QUÁT CHUNG", style="TK Muc")
    paragraphs(doc, "tong_quan")
    paragraphs(doc, "nhan_xet")
    par(doc, "II. CÁC MÔ HÌNH HAY, CÁCH LÀM HIỆU QUẢ", style="TK Muc")
    par(doc, "{%p for g in linh_vuc %}")
    par(doc, "{{ loop.index }}. {{ g.ten }} ({{ g.so }} mô hình)", style="TK Muc nho")
    loop_table(doc, ["STT", "Tên mô hình, cách làm", "Đơn vị thực hiện", "Nội dung, hiệu quả"],
               ["{{ m.stt }}", "{{ m.ten }}", "{{ m.don_vi }}", "{{ m.mo_ta }}"],
               "g.mo_hinh", [1.0, 4.6, 3.8, 6.6], center_from=4, small=True, var="m")
    par(doc, "{%p endfor %}")
    par(doc, "III. ĐỀ XUẤT, KIẾN NGHỊ", style="TK Muc")
    paragraphs(doc, "de_xuat")
    par(doc, "Trên đây là {{ ten_bao_cao }} năm {{ nam }} của Ban Thường vụ {{ don_vi.ten }}./.")
    frame_bottom(doc)
    save(doc, path, "Báo cáo tổng hợp các mô hình hay, cách làm hiệu quả")
