"""Results as the documents print them: the labels of appendix rows and table columns, the
sentences that state figures, and a result, a printed number or a change as text."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from ...assessment.members import labels as member_labels
from ...common.vietnamese import fold, is_missing, phan_tram, so


def _count(x: Any) -> str | None:
    return None if is_missing(x) else so(x)


def _rate(x: Any) -> str | None:
    return None if is_missing(x) else phan_tram(x)


# The figures a sentence states: (pattern, the result column of each group, its kind).
SENTENCES: list[tuple[re.Pattern, list[tuple[str | None, str]]]] = [
    (re.compile(r"có ([\d.]+)/([\d.]+) chi đoàn trên địa bàn dân cư đạt chuẩn, tỉ lệ ([\d.,]+%)"),
     [("so_chi_doan_dat_chuan", "so"), ("so_chi_doan_dan_cu", "so"), ("ty_le_dat_chuan", "ty_le")]),
    (re.compile(r"Có ([\d.]+)/([\d.]+) Đoàn cơ sở đạt tiêu chí “3 chủ động”(?:, tỉ lệ ([\d.,]+%))?"),
     [("so_co_so_ba_chu_dong", "so"), ("so_co_so", "so"), ("so_co_so_ba_chu_dong/so_co_so", "ty_le_phan_so")]),
    (re.compile(r"trong đó ([\d.]+) hoàn thành xuất sắc nhiệm vụ, ([\d.]+) hoàn thành tốt nhiệm vụ, ([\d.]+) hoàn "
                r"thành nhiệm vụ, ([\d.]+) không hoàn thành nhiệm vụ"),
     [("so_htxs", "so"), ("so_htt", "so"), ("so_ht", "so"), ("so_kht", "so")]),
    (re.compile(r"Có ([\d.]+)/([\d.]+) Đoàn cơ sở đạt mục tiêu"), [("so_co_so_dat_muc_tieu", "so"), (None, "")]),
    (re.compile(r"xếp loại ([\d.]+)/([\d.]+) Đoàn cơ sở, tỉ lệ ([\d.,]+%)"),
     [(None, ""), ("so_co_so", "so"), ("ty_le_duoc_xep_loai", "ty_le")]),
    (re.compile(r"nâng bậc xếp loại so với năm \d{4}, tỉ lệ ([\d.,]+%)"), [("ty_le_nang_bac", "ty_le")]),
    (re.compile(r"Tỉ lệ tập hợp thanh niên đạt ([\d.,]+%)"), [("ty_le_tap_hop", "ty_le")]),
    (re.compile(r"Có ([\d.,]+%) đoàn viên giới thiệu ít nhất một thanh niên"), [("ty_le_dv_1_1", "ty_le")]),
    (re.compile(r"thu hút ([\d.]+) thanh niên"), [("so_thanh_nien_1_1", "so")]),
    (re.compile(r"[Kk]ết nạp ([\d.]+) đoàn viên mới"), [("so_ket_nap_moi", "so")]),
    (re.compile(r"giới thiệu ([\d.]+) đoàn viên ưu tú"), [("so_gioi_thieu_dang", "so")]),
    # cadres (documents.cadres)
    (re.compile(r"Có ([\d.]+)/([\d.]+) ủy viên Ban Chấp hành đạt chuẩn cán bộ \(([\d.,]+%)\)"),
     [("so_uy_vien_dat_chuan", "so"), ("so_uy_vien_bch", "so"), ("ty_le_uy_vien_dat_chuan", "ty_le")]),
    (re.compile(r"Có ([\d.]+) cán bộ Đoàn được bồi dưỡng"), [("so_can_bo_duoc_boi_duong", "so")]),
    (re.compile(r"Có ([\d.]+)/[\d.]+ Đoàn cơ sở thay bí thư"), [("so_co_so_thay_bi_thu", "so")]),
    (re.compile(r"Có ([\d.]+)/([\d.]+) chi đoàn có bí thư mới"),
     [("so_bi_thu_chi_doan_moi", "so"), ("so_chi_doan_bao_cao_bi_thu_moi", "so")]),
    (re.compile(r"Có ([\d.]+)/([\d.]+) bí thư chi đoàn được tập huấn nghiệp vụ \(([\d.,]+%)\)"),
     [("so_bi_thu_duoc_tap_huan", "so"), ("so_chi_doan_bao_cao_tap_huan", "so"), ("ty_le_bi_thu_duoc_tap_huan", "ty_le")]),
]

# Rows of the appendix and columns of unit tables, by their (folded) label: the result column.
LABELS: dict[str, tuple[str, str]] = {fold(k): v for k, v in {
    "Số Đoàn cơ sở": ("so_co_so", "so"),
    "Số chi đoàn": ("so_chi_doan", "so"),
    "Số đoàn viên": ("so_doan_vien", "so"),
    "Đoàn viên kết nạp mới": ("so_ket_nap_moi", "so"),
    "Đoàn viên ưu tú giới thiệu cho Đảng": ("so_gioi_thieu_dang", "so"),
    "Tỉ lệ tập hợp thanh niên": ("ty_le_tap_hop", "ty_le"),
    "Chi đoàn trên địa bàn dân cư": ("so_chi_doan_dan_cu", "so"),
    "Chi đoàn dân cư": ("so_chi_doan_dan_cu", "so"),
    "Chi đoàn trên địa bàn dân cư đạt chuẩn": ("so_chi_doan_dat_chuan", "so"),
    "Đạt chuẩn": ("so_chi_doan_dat_chuan", "so"),
    "Tỉ lệ chi đoàn dân cư đạt chuẩn": ("ty_le_dat_chuan", "ty_le"),
    "Tỉ lệ chi đoàn trên địa bàn dân cư đạt chuẩn": ("ty_le_dat_chuan", "ty_le"),
    "Tỉ lệ": ("ty_le_dat_chuan", "ty_le"),
    "Tỉ lệ đạt chuẩn": ("ty_le_dat_chuan", "ty_le"),
    "Đoàn cơ sở đạt “3 chủ động”": ("so_co_so_ba_chu_dong", "so"),
    "Tỉ lệ Đoàn cơ sở được đánh giá, xếp loại": ("ty_le_duoc_xep_loai", "ty_le"),
    "Được xếp loại": ("ty_le_duoc_xep_loai", "ty_le"),
    "Tỉ lệ Đoàn cơ sở nâng bậc": ("ty_le_nang_bac", "ty_le"),
    "Hạ bậc": ("so_ha_bac", "so"),
    "Tỉ lệ đoàn viên thực hiện “1+1”": ("ty_le_dv_1_1", "ty_le"),
    "Thanh niên vào Đoàn, Hội qua “1+1”": ("so_thanh_nien_1_1", "so"),
    "Tỉ lệ Đoàn cơ sở thực hiện đợt cao điểm": ("ty_le_dot_cao_diem", "ty_le"),
    # the rows of the targets table (Chỉ tiêu | Mục tiêu | Thực hiện | Đánh giá)
    "Tỉ lệ Đoàn cơ sở nâng ít nhất một bậc": ("ty_le_nang_bac", "ty_le"),
    "Tỉ lệ Đoàn cơ sở thực hiện đợt cao điểm đúng tiến độ": ("ty_le_dot_cao_diem", "ty_le"),
    "Đoàn cơ sở từ mức “Hoàn thành tốt nhiệm vụ” trở lên bị hạ bậc": ("so_ha_bac", "so"),
    "Đoàn cơ sở xếp loại thi đua từ mức “Tiên tiến” trở lên bị hạ bậc": ("so_ha_bac_thi_dua", "so"),
    # the columns of the tables by year (sơ kết) and by unit
    "Đoàn cơ sở": ("so_co_so", "so"),
    "Chi đoàn": ("so_chi_doan", "so"),
    "Đoàn viên": ("so_doan_vien", "so"),
    "Kết nạp mới": ("so_ket_nap_moi", "so"),
    "Giới thiệu Đảng": ("so_gioi_thieu_dang", "so"),
    "Tỉ lệ tập hợp": ("ty_le_tap_hop", "ty_le"),
    "“1+1”": ("ty_le_dv_1_1", "ty_le"),
    "Nâng bậc": ("ty_le_nang_bac", "ty_le"),
    "Đạt chuẩn / chi đoàn dân cư": ("so_chi_doan_dat_chuan/so_chi_doan_dan_cu", "phan_so"),
    "3 chủ động": ("so_co_so_ba_chu_dong/so_co_so", "phan_so"),
    # cadres (documents.cadres): the phụ lục's rows and the sơ kết's table by year
    "Ủy viên Ban Chấp hành Đoàn cơ sở": ("so_uy_vien_bch", "so"),
    "Ủy viên Ban Chấp hành đạt chuẩn cán bộ": ("so_uy_vien_dat_chuan", "so"),
    "Tỉ lệ ủy viên Ban Chấp hành đạt chuẩn cán bộ": ("ty_le_uy_vien_dat_chuan", "ty_le"),
    "Cán bộ Đoàn được bồi dưỡng trong năm": ("so_can_bo_duoc_boi_duong", "so"),
    "Đoàn cơ sở thay bí thư trong năm": ("so_co_so_thay_bi_thu", "so"),
    "Chi đoàn có bí thư mới trong năm": ("so_bi_thu_chi_doan_moi", "so"),
    "Bí thư chi đoàn được tập huấn nghiệp vụ": ("so_bi_thu_duoc_tap_huan", "so"),
    "Tỉ lệ bí thư chi đoàn được tập huấn nghiệp vụ": ("ty_le_bi_thu_duoc_tap_huan", "ty_le"),
    "Ủy viên Ban Chấp hành đạt chuẩn cán bộ / tổng số": ("so_uy_vien_dat_chuan/so_uy_vien_bch", "phan_so"),
    "Tỉ lệ ủy viên đạt chuẩn cán bộ": ("ty_le_uy_vien_dat_chuan", "ty_le"),
    "Cán bộ Đoàn được bồi dưỡng": ("so_can_bo_duoc_boi_duong", "so"),
    "Đoàn cơ sở thay bí thư": ("so_co_so_thay_bi_thu", "so"),
    "Chi đoàn có bí thư mới": ("so_bi_thu_chi_doan_moi", "so"),
    "Tỉ lệ bí thư chi đoàn được tập huấn": ("ty_le_bi_thu_duoc_tap_huan", "ty_le"),
}.items()}
LABELS |= {fold(k): v for k, v in member_labels().items()}  # the member-rating rows (contract §6.2)


def as_printed(row: pd.Series | None, col: str | None, kind: str) -> str | None:
    """A result as the documents print it: a count, a rate, or a count over a count."""
    if row is None or col is None:
        return None
    if kind in ("phan_so", "ty_le_phan_so"):
        a, b = col.split("/")
        if a not in row.index or b not in row.index or is_missing(row[a]) or is_missing(row[b]):
            return None
        if kind == "ty_le_phan_so":
            return phan_tram(row[a] / row[b]) if row[b] else None
        return f"{so(row[a])}/{so(row[b])}"
    if "+" in col:  # shares of one whole added up (a declared target, rules.targets_spec)
        parts = col.split("+")
        if any(c not in row.index or is_missing(row[c]) for c in parts):
            return None
        total = sum(float(row[c]) for c in parts)
        return _count(total) if kind == "so" else _rate(total)
    if col not in row.index:
        return None
    return _count(row[col]) if kind == "so" else _rate(row[col])


def number(text: str) -> float | None:
    """A printed number or rate («4.031», «75,6%», «−1,3») as a float; None where it is none."""
    t = text.strip().replace("−", "-").removesuffix("%").replace(".", "").replace(",", ".")
    try:
        return float(t)
    except ValueError:
        return None


def _signed_value(text: str) -> float | None:
    """The signed number a printed change starts with («+3,2 điểm phần trăm», «−1», «0»), or None."""
    m = re.match(r"\s*([+−\-]?)\s*([\d.]*\d(?:,\d+)?)", text)
    if not m:
        return None
    value = float(m.group(2).replace(".", "").replace(",", "."))
    return -value if m.group(1) in ("−", "-") else value


def same_change(printed: str, want: str) -> bool:
    """Whether a printed change says the same number as `want`, whatever unit follows it (the unit
    may sit in the column header: «Tăng, giảm (điểm phần trăm)»)."""
    a, b = _signed_value(printed), _signed_value(want)
    return a is not None and b is not None and abs(a - b) < 1e-9


def signed(delta: float, digits: int, unit: str) -> str:
    """A change as the documents print it: «+3,2 điểm %», «−33», «0» where it rounds to nothing."""
    shown = so(abs(delta), digits)
    if float(so(abs(delta), digits).replace(".", "").replace(",", ".")) == 0:
        return "0"
    return ("+" if delta > 0 else "−") + shown + unit
