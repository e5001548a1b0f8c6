"""The member-ratings section of the reports (issue 18.1, contract §6.2): «Đánh giá, xếp loại đoàn
viên» in the tổng kết and tổng hợp, the series across years in the sơ kết. Printed only where the
context key `thanh_vien` has figures (tongket.documents.members)."""

from __future__ import annotations

from template_kit import figure, loop_table, numbered, par, subsection


def build_members(doc, report: str) -> None:
    """The section for `report` (tong_ket, tong_hop: a numbered subsection; so_ket: a numbered table)."""
    par(doc, "{%p if thanh_vien %}")
    if report == "so_ket":
        par(doc, f"Bảng {numbered('bang')}. Kết quả đánh giá, xếp loại đoàn viên qua các năm", style="TK Chu thich")
        loop_table(doc, ["Năm", "Được đánh giá, xếp loại (tỉ lệ trên số đoàn viên)", "Mức xếp loại", "Số người",
                         "Tỉ lệ trong số được đánh giá"],
                   ["{{ r.nam }}", "{{ r.duoc_danh_gia }}", "{{ r.muc }}", "{{ r.so }}", "{{ r.ty_le }}"],
                   "thanh_vien.bang_nam", [1.6, 4.0, 5.6, 2.4, 2.4], center_from=1)
        par(doc, "{%p for c in thanh_vien.cau %}")
        par(doc, "{{ c }}")
        par(doc, "{%p endfor %}")
    else:
        subsection(doc, "Đánh giá, xếp loại đoàn viên")
        par(doc, "{%p for c in thanh_vien.cau %}")
        par(doc, "{{ c }}")
        par(doc, "{%p endfor %}")
        loop_table(doc, ["Mức xếp loại", "Số người", "Tỉ lệ năm {{ thanh_vien.nam }}",
                         "Tỉ lệ năm {{ thanh_vien.nam_truoc }}"],
                   ["{{ r.muc }}", "{{ r.so }}", "{{ r.ty_le }}", "{{ r.nam_truoc }}"],
                   "thanh_vien.bang", [6.4, 3.0, 3.3, 3.3], center_from=1, first_left=True)
        figure(doc, "thanh_vien", "Biểu đồ {{ so_bieu_do.thanh_vien }}. Kết quả đánh giá, xếp loại đoàn viên "
                                  "năm {{ nam }}")
    par(doc, "{%p endif %}")
