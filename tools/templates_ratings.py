"""Report sections of issue 18 points 3 and 5 (built into the tổng kết and tổng hợp through
build_templates._more_sections): the branches' ratings, and the results by kind of Đoàn cơ sở.
Each vanishes when its context key is empty (no branch rated; fewer than two kinds)."""

from __future__ import annotations

from template_kit import bullets, loop_table, par, subsection


def ratings_sections(doc, report: str) -> None:
    """«Đánh giá, xếp loại chi đoàn»: sentences and a table by level (context `xep_loai_chi_doan`)."""
    if report not in ("tong_ket", "tong_hop"):
        return
    par(doc, "{%p if xep_loai_chi_doan %}")
    subsection(doc, "Đánh giá, xếp loại chi đoàn")
    bullets(doc, "xep_loai_chi_doan.cau")
    loop_table(doc, ["Mức xếp loại", "Số chi đoàn", "Tỉ lệ"], ["{{ r.muc }}", "{{ r.so }}", "{{ r.ty_le }}"],
               "xep_loai_chi_doan.bang", [8.6, 3.4, 3.4], center_from=1)
    par(doc, "{%p endif %}")


def kinds_sections(doc, report: str) -> None:
    """«Kết quả theo loại hình Đoàn cơ sở» [002 II.2.3.1] (context `loai_hinh`)."""
    if report not in ("tong_ket", "tong_hop"):
        return
    par(doc, "{%p if loai_hinh %}")
    subsection(doc, "Kết quả theo loại hình Đoàn cơ sở")
    par(doc, "{{ loai_hinh.cau }}")
    loop_table(doc, ["STT", "Loại hình", "Đoàn cơ sở", "Đã xếp loại (theo mức)", "Chi đoàn dân cư đạt chuẩn"],
               ["{{ r.stt }}", "{{ r.ten }}", "{{ r.so_co_so }}", "{{ r.xep_loai }}", "{{ r.dat_chuan }}"],
               "loai_hinh.bang", [1.0, 3.6, 2.2, 5.0, 3.6], center_from=2)
    par(doc, "{%p endif %}")
