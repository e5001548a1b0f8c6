"""The «Công tác cán bộ» parts of the report templates (contract §6.2, issue 18 point 2): a numbered
subsection of part II in the tổng kết and tổng hợp, a table by year in the sơ kết. Each is wrapped
in `{%p if can_bo %}` so it vanishes where the workbook has no cadre figure."""

from __future__ import annotations

from template_kit import bullets, loop_table, numbered, par, subsection


def cadre_section(doc, report: str) -> None:
    """The cadre part of `report` (tong_ket, tong_hop or so_ket), called from _more_sections."""
    par(doc, "{%p if can_bo %}")
    if report == "so_ket":
        par(doc, f"Bảng {numbered('bang')}. Công tác cán bộ qua các năm", style="TK Chu thich")
        loop_table(doc, ["Năm", "Ủy viên Ban Chấp hành đạt chuẩn cán bộ / tổng số", "Tỉ lệ ủy viên đạt chuẩn cán bộ",
                         "Cán bộ Đoàn được bồi dưỡng", "Đoàn cơ sở thay bí thư", "Chi đoàn có bí thư mới",
                         "Tỉ lệ bí thư chi đoàn được tập huấn"],
                   ["{{ r.nam }}", "{{ r.uy_vien }}", "{{ r.ty_le_uy_vien }}", "{{ r.boi_duong }}",
                    "{{ r.thay_bi_thu }}", "{{ r.bi_thu_moi }}", "{{ r.tap_huan }}"],
                   "can_bo.nam", [1.4, 2.8, 2.2, 2.3, 2.3, 2.3, 2.7], center_from=1, small=True)
    else:
        subsection(doc, "Công tác cán bộ")
        bullets(doc, "can_bo.cau")
    par(doc, "{%p endif %}")
