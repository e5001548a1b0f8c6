"""Templates of issue 19 points 2 and 4: the tờ trình proposing commendation with its attached list
[001 III], and the half-year review of the “1+1” policy [004] (Hướng dẫn 29-HD/TWĐTN-VP)."""

from __future__ import annotations

from pathlib import Path

from docx.enum.text import WD_BREAK
from template_kit import bullets, frame_bottom, frame_top, loop_table, new_document, par, paragraphs, save


def build_to_trinh_khen_thuong(path: Path) -> None:
    """Tờ trình đề nghị khen thưởng, then (new page) the Danh sách đề nghị khen thưởng it attaches."""
    doc = new_document()
    frame_top(doc, "TỜ TRÌNH", "{{ trich_yeu }}")
    par(doc, "Kính gửi: {{ kinh_gui }}", style="TK Giua")
    par(doc, "", style="TK Giua")
    par(doc, "{%p for x in can_cu %}", style="TK Dieu")
    par(doc, "{{ x }}", style="TK Dieu", italic=True)
    par(doc, "{%p endfor %}", style="TK Dieu")
    paragraphs(doc, "noi_dung")
    par(doc, "{{ ket_luan }}")
    frame_bottom(doc)
    p = par(doc, "", style="TK Giua")
    p.add_run().add_break(WD_BREAK.PAGE)
    par(doc, "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG", style="TK Tieu de")
    par(doc, "Hình thức: {{ khen_thuong.hinh_thuc }} ({{ khen_thuong.so_don_vi }} tập thể), năm {{ nam }}",
        style="TK Trich yeu")
    par(doc, "(Kèm theo Tờ trình số {{ vb.so }}-{{ vb.ky_hieu }} {{ vb.ngay }} của Ban Thường vụ {{ don_vi.ten }})",
        style="TK Kem theo")
    par(doc, "-----", style="TK Giua")
    loop_table(doc, ["STT", "Tên tập thể", "Tóm tắt thành tích", "Xếp loại năm {{ nam }}", "Hình thức khen thưởng"],
               ["{{ r.stt }}", "{{ r.ten }}", "{{ r.thanh_tich }}", "{{ r.xep_loai }}", "{{ r.hinh_thuc }}"],
               "khen_thuong.danh_sach", [1.0, 3.6, 6.6, 2.4, 2.4], center_from=3, small=True)
    frame_bottom(doc, left=[])
    save(doc, path, "Tờ trình đề nghị khen thưởng")


def build_bao_cao_mot_cong_mot(path: Path) -> None:
    """Báo cáo sơ kết 6 tháng thực hiện chủ trương “1+1”: results, judgement, ranking, direction."""
    doc = new_document()
    frame_top(doc, "BÁO CÁO", "{{ trich_yeu }}")
    paragraphs(doc, "mo_dau")
    par(doc, "I. KẾT QUẢ THỰC HIỆN 6 THÁNG ĐẦU NĂM {{ nam }}", style="TK Muc")
    bullets(doc, "mot_cong_mot.ket_qua")
    bullets(doc, "mot_cong_mot.danh_gia")
    par(doc, "Bảng 1. Kết quả thực hiện chủ trương “1+1” 6 tháng đầu năm {{ nam }}, xếp hạng theo tỉ lệ đoàn viên "
             "đã giới thiệu thanh niên", style="TK Chu thich")
    loop_table(doc, ["Hạng", "{{ mot_cong_mot.cap_duoi }}", "Chi đoàn báo cáo", "Đoàn viên (6 tháng)",
                     "Đoàn viên đã giới thiệu thanh niên", "Tỉ lệ (6 tháng)", "Thanh niên vào Đoàn, Hội (6 tháng)",
                     "Mỗi đoàn viên giới thiệu một thanh niên", "Tỉ lệ cả năm {{ nam }}"],
               ["{{ r.hang }}", "{{ r.ten }}", "{{ r.chi_doan }}", "{{ r.doan_vien }}", "{{ r.gioi_thieu }}",
                "{{ r.ty_le }}", "{{ r.thanh_nien }}", "{{ r.danh_gia }}", "{{ r.ca_nam }}"],
               "mot_cong_mot.bang", [1.1, 3.5, 1.4, 1.5, 1.8, 1.5, 1.8, 1.8, 1.6], center_from=2, small=True)
    par(doc, "Ghi chú: tỉ lệ cả năm theo báo cáo tổng kết năm {{ nam }}; «–» là chưa đủ số liệu để xếp hạng.",
        style="TK Bang")
    par(doc, "{%p if mot_cong_mot.ca_nam %}")
    par(doc, "II. ĐỐI CHIẾU VỚI KẾT QUẢ CẢ NĂM", style="TK Muc")
    bullets(doc, "mot_cong_mot.ca_nam")
    par(doc, "{%p endif %}")
    par(doc, "{{ 'III' if mot_cong_mot.ca_nam else 'II' }}. PHƯƠNG HƯỚNG {{ mot_cong_mot.ky_phuong_huong }}",
        style="TK Muc")
    bullets(doc, "mot_cong_mot.phuong_huong")
    par(doc, "Trên đây là báo cáo sơ kết 6 tháng đầu năm {{ nam }} thực hiện chủ trương “1+1” của Ban Thường vụ "
             "{{ don_vi.ten }}./.")
    frame_bottom(doc)
    save(doc, path, "Báo cáo sơ kết 6 tháng “1+1”")


BUILDERS_REWARDS = {"to_trinh_khen_thuong": build_to_trinh_khen_thuong,
                    "bao_cao_mot_cong_mot": build_bao_cao_mot_cong_mot}
