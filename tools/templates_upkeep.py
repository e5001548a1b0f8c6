"""Templates of registration and upkeep [001 III], contract §6.4: the section of the year-end
reports and the sơ kết table (`giu_chuan`), and the registration list (danh_sach_dang_ky)."""

from __future__ import annotations

from pathlib import Path

from template_kit import bullets, frame_bottom, frame_top, loop_table, new_document, numbered, par, save, subsection


def upkeep_section(doc, report: str) -> None:
    """«Đăng ký và giữ vững chuẩn»: sentences and one line per unit below (tong_ket, tong_hop), or
    a table across years (so_ket); gone without registrations or a year before."""
    par(doc, "{%p if giu_chuan %}")
    if report == "so_ket":
        par(doc, f"Bảng {numbered('bang')}. Chi đoàn trên địa bàn dân cư đăng ký, mới đạt chuẩn, giữ vững chuẩn và "
                 "không giữ được chuẩn so với năm trước, theo năm", style="TK Chu thich")
        loop_table(doc, ["Năm", "Đăng ký đầu năm (tỉ lệ)", "Mới đạt chuẩn", "Giữ vững chuẩn", "Không giữ được chuẩn"],
                   ["{{ r.nam }}", "{{ r.dang_ky }}", "{{ r.moi_dat }}", "{{ r.giu_vung }}", "{{ r.mat_chuan }}"],
                   "giu_chuan.nam", [1.6, 4.0, 3.0, 3.0, 3.4], center_from=1)
        par(doc, "{%p if giu_chuan.ghi_chu %}")
        par(doc, "Ghi chú: {{ giu_chuan.ghi_chu }}", style="TK Bang")
        par(doc, "", style="TK Bang")  # the next table's caption a line below, as after the table itself
        par(doc, "{%p endif %}")
    else:
        subsection(doc, "Đăng ký xây dựng và giữ vững chi đoàn đạt chuẩn")
        par(doc, "{%p for x in giu_chuan.dang_ky %}")
        par(doc, "{{ x }}")
        par(doc, "{%p endfor %}")
        par(doc, "{%p for x in giu_chuan.cau %}")
        par(doc, "{{ x }}")
        par(doc, "{%p endfor %}")
        bullets(doc, "giu_chuan.theo_don_vi")
    par(doc, "{%p endif %}")


def build_dang_ky(path: Path) -> None:
    """The registration list [001 III]: branches registered for the standard by Đoàn cơ sở, Đoàn
    cơ sở registered for "3 chủ động", pilot units marked."""
    doc = new_document()
    frame_top(doc, "DANH SÁCH ĐĂNG KÝ", "Xây dựng Chi đoàn trên địa bàn dân cư đạt chuẩn và Đoàn cơ sở “3 chủ động” "
              "năm {{ nam }}", number=False, attached=True)
    par(doc, "{{ cau.dang_ky }}")
    par(doc, "{%p if chi_doan_dang_ky %}")
    par(doc, "I. CHI ĐOÀN TRÊN ĐỊA BÀN DÂN CƯ ĐĂNG KÝ ĐẠT CHUẨN", style="TK Muc")
    loop_table(doc, ["STT", "Chi đoàn", "Thuộc Đoàn cơ sở", "Ngày đăng ký", "Ghi chú"],
               ["{{ r.stt }}", "{{ r.ten }}", "{{ r.co_so }}", "{{ r.ngay }}", "{{ r.lam_diem }}"],
               "chi_doan_dang_ky", [1.0, 5.0, 4.6, 2.4, 2.6], center_from=3, small=True)
    par(doc, "{%p endif %}")
    par(doc, "{%p if co_so_dang_ky %}")
    par(doc, "{% if chi_doan_dang_ky %}II{% else %}I{% endif %}. ĐOÀN CƠ SỞ ĐĂNG KÝ “3 CHỦ ĐỘNG”", style="TK Muc")
    loop_table(doc, ["STT", "Đoàn cơ sở", "Thuộc", "Ngày đăng ký", "Ghi chú"],
               ["{{ r.stt }}", "{{ r.ten }}", "{{ r.thuoc }}", "{{ r.ngay }}", "{{ r.lam_diem }}"],
               "co_so_dang_ky", [1.0, 5.0, 4.6, 2.4, 2.6], center_from=3, small=True)
    par(doc, "{%p endif %}")
    frame_bottom(doc, left=[])
    save(doc, path, "Danh sách đăng ký")
