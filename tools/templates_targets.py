"""Template part of the cycle's declared targets (issue 18 point 6): in the sơ kết, a table of the
targets beyond the four [000] ones, year by year, present only when the cycle declares some."""

from __future__ import annotations

from template_kit import loop_table, numbered, par


def targets_section(doc, report: str) -> None:
    """The sơ kết's table «Kết quả thực hiện các chỉ tiêu khác qua các năm» (context key
    `chi_tieu_qua_nam`, documents/targets_years.py); nothing in the year-end reports, whose
    targets table already lists every declared target."""
    if report != "so_ket":
        return
    par(doc, "{%p if chi_tieu_qua_nam %}")
    par(doc, f"Bảng {numbered('bang')}. Kết quả thực hiện các chỉ tiêu khác qua các năm", style="TK Chu thich")
    loop_table(doc, ["Chỉ tiêu", "Năm", "Mục tiêu", "Kết quả", "Đánh giá"],
               ["{{ r.chi_tieu }}", "{{ r.nam }}", "{{ r.muc_tieu }}", "{{ r.ket_qua }}", "{{ r.danh_gia }}"],
               "chi_tieu_qua_nam", [6.6, 1.6, 2.4, 2.8, 2.6], center_from=1, first_left=True)
    par(doc, "{%p endif %}")
