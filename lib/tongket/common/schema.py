"""The exchange workbook's sheets and columns (contract §3): keys, the labels people read, kinds.

This is the one place where the Vietnamese labels of data columns live.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .vietnamese import chu_hoa

# Every label set once, as a sentence reads it; a cell or a line start reads `hoa(...)` of it. The
# levels (top down) and the unit kinds are these sets' keys.
TEN_CAP = {"tinh": "tỉnh", "huyen": "huyện", "co_so": "Đoàn cơ sở", "chi_doan": "chi đoàn"}
TEN_LOAI_HINH = {
    "dan_cu": "trên địa bàn dân cư", "truong_hoc": "trường học", "co_quan": "cơ quan",
    "doanh_nghiep": "doanh nghiệp", "luc_luong_vu_trang": "lực lượng vũ trang", "khac": "khác",
}
CAP = tuple(TEN_CAP)  # tinh, huyen, co_so, chi_doan
LOAI_HINH = tuple(TEN_LOAI_HINH)  # dan_cu, truong_hoc, co_quan, doanh_nghiep, luc_luong_vu_trang, khac
# Allowed parent level of each level (contract §3). Since the 2025 reform a commune Đoàn (co_so)
# may sit straight under the Tỉnh Đoàn (domain: the reporting level is data, not a constant).
PARENT_CAP = {"tinh": (), "huyen": ("tinh",), "co_so": ("huyen", "tinh"), "chi_doan": ("co_so", "huyen")}
# The levels a cycle can report per (cap_bao_cao): one set of documents per unit of that level.
CAP_BAO_CAO = ("huyen", "co_so")
# The targets a reporting unit and the province are measured against [000, 001] (the targets
# table's `ten_chi_tieu`; the cycle's `targets` and `muc_tieu_dat_chuan` give their values).
TEN_CHI_TIEU = {
    "ty_le_dat_chuan": "Tỉ lệ chi đoàn trên địa bàn dân cư đạt chuẩn",
    "ty_le_duoc_xep_loai": "Tỉ lệ Đoàn cơ sở được đánh giá, xếp loại",
    "ty_le_nang_bac": "Tỉ lệ Đoàn cơ sở nâng ít nhất một bậc",
    "ty_le_dot_cao_diem": "Tỉ lệ Đoàn cơ sở thực hiện đợt cao điểm đúng tiến độ",
}


def hoa(labels: Mapping[str, str]) -> dict[str, str]:
    """A label set with each label's first letter capital, for a cell or a line start ("Huyện")."""
    return {k: chu_hoa(v) for k, v in labels.items()}


TEN_CAP_HOA = hoa(TEN_CAP)  # Tỉnh, Huyện, Đoàn cơ sở, Chi đoàn
TEN_LOAI_HINH_HOA = hoa(TEN_LOAI_HINH)  # Trên địa bàn dân cư, Trường học, …


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its key, the label people type, and what it holds."""

    key: str
    label: str
    kind: str  # code | text | cap | loai_hinh | bool | verdict | count | year | score | rate | rating | date | chuong_trinh
    required: bool = False  # the column must exist
    default: object = None  # value for an absent optional column / blank cell where it has one
    warn_blank: bool = False  # a blank cell is reported (blank is not zero)
    allow_blank: bool = True  # False: a blank cell is an error (required values)


DON_VI = (
    Column("ma_don_vi", "Mã đơn vị", "code", required=True, allow_blank=False),
    Column("ten_don_vi", "Tên đơn vị", "text", required=True, allow_blank=False),
    Column("cap", "Cấp", "cap", required=True, allow_blank=False),
    Column("ma_cap_tren", "Mã đơn vị cấp trên", "code", required=True),
    Column("loai_hinh", "Loại hình", "loai_hinh", default="khac"),
    Column("dac_thu", "Đơn vị đặc thù", "bool", default=False),
    Column("to_cong_tac", "Tổ công tác phụ trách", "text"),  # work team of a special unit [003]
    # Optional document details of an issuing unit (parameters override them).
    Column("co_quan_cap_tren", "Cơ quan cấp trên", "text"),
    Column("co_quan_ban_hanh", "Cơ quan ban hành", "text"),
    Column("dia_danh", "Địa danh", "text"),
    Column("nguoi_ky", "Người ký", "text"),
    Column("chuc_vu_ky", "Chức vụ người ký", "text"),
)

_CD_COUNTS = [
    ("so_doan_vien", "Số đoàn viên"),
    ("so_thanh_nien", "Số thanh niên"),
    ("so_thanh_nien_tap_hop", "Số thanh niên được tập hợp"),
    ("so_dv_vi_pham_phap_luat", "Số đoàn viên vi phạm pháp luật"),
    ("so_mo_hinh_kinh_te", "Số mô hình phát triển kinh tế"),
    ("so_gioi_thieu_viec_lam", "Số người được giới thiệu việc làm"),
    ("so_doi_hinh_tinh_nguyen", "Số đội hình tình nguyện"),
    ("so_tv_doi_hinh_lon_nhat", "Số thành viên đội hình lớn nhất"),
    ("so_cong_trinh_thanh_nien", "Số công trình thanh niên"),
    ("so_ket_nap_moi", "Số đoàn viên kết nạp mới"),
    ("so_gioi_thieu_dang", "Số đoàn viên giới thiệu cho Đảng"),
    ("so_lan_sinh_hoat", "Số lần sinh hoạt"),
    ("so_dv_dong_doan_phi", "Số đoàn viên đóng đủ đoàn phí"),
    ("so_hoat_dong_van_hoa_the_thao", "Số hoạt động văn hóa, văn nghệ, thể thao"),
    ("so_dv_gioi_thieu_1_1", "Số đoàn viên giới thiệu 1+1"),
    ("so_thanh_nien_1_1", "Số thanh niên vào Đoàn, Hội qua 1+1"),
]
_CD_BOOLS = [
    ("bien_ban_day_du", "Biên bản, sổ sách đầy đủ"),
    ("dai_hoi_chi_doan", "Đại hội chi đoàn đúng Điều lệ"),
    ("bi_thu_kinh_te_on_dinh", "Bí thư có kinh tế ổn định"),
    ("bi_thu_duoc_tap_huan", "Bí thư được tập huấn"),
    ("bi_thu_nam_chinh_sach", "Bí thư nắm chính sách"),
]

# Member ratings [002 II.2], contract §6.2: members assessed this year and one count per level of
# the member scale in force that year (params/scales/doan_vien.yaml; from 2019 the first four levels,
# before 2019 the last four). Optional: an absent column is "not collected"; the member check
# (tongket.intake.members) says what is blank where the year's figures are partly given.
_CD_MEMBERS = [
    ("so_dv_duoc_danh_gia", "Số đoàn viên được đánh giá"),
    ("so_dv_htxs", "Số đoàn viên hoàn thành xuất sắc nhiệm vụ"),
    ("so_dv_htt", "Số đoàn viên hoàn thành tốt nhiệm vụ"),
    ("so_dv_ht", "Số đoàn viên hoàn thành nhiệm vụ"),
    ("so_dv_kht", "Số đoàn viên không hoàn thành nhiệm vụ"),
    ("so_dv_xs", "Số đoàn viên xếp loại xuất sắc"),
    ("so_dv_kha", "Số đoàn viên xếp loại khá"),
    ("so_dv_tb", "Số đoàn viên xếp loại trung bình"),
    ("so_dv_yeu", "Số đoàn viên xếp loại yếu"),
]
MEMBER_COLUMNS = tuple(k for k, _ in _CD_MEMBERS)

# Conditions of the 2025 rule "100-point score plus conditions" (Quy định 366-QĐ/TW).
_TASKS = (
    Column("hoan_thanh_dung_han", "Mọi nhiệm vụ hoàn thành đúng hạn", "bool"),
    Column("hoan_thanh_tat_ca", "Hoàn thành tất cả nhiệm vụ", "bool"),
    Column("ty_le_vuot_yeu_cau", "Tỉ lệ nhiệm vụ vượt yêu cầu", "rate"),
    Column("ty_le_tre_han", "Tỉ lệ nhiệm vụ trễ hạn", "rate"),
)

CHI_DOAN = (
    Column("ma_don_vi", "Mã đơn vị", "code", required=True, allow_blank=False),
    Column("nam", "Năm", "year", required=True, allow_blank=False),
    *(Column(k, lab, "count", warn_blank=True) for k, lab in _CD_COUNTS),
    *(Column(k, lab, "bool", warn_blank=True) for k, lab in _CD_BOOLS),
    Column("diem", "Điểm", "score"),
    Column("xep_loai", "Xếp loại", "rating"),
    *_TASKS,
    *(Column(k, lab, "count") for k, lab in _CD_MEMBERS),
    Column("bi_thu_moi", "Bí thư chi đoàn mới trong năm", "bool", warn_blank=True),  # cadres, contract §6.2
)

# "3 chủ động" checks in the order of seed [001] section A.2.1–A.2.3.
BA_CHU_DONG = {
    "cd1_1": "Nắm chắc tình hình tư tưởng, nguyện vọng của đoàn viên, thanh niên",
    "cd1_2": "Quản lý đoàn viên: danh sách, đánh giá hằng năm, đúng quy trình",
    "cd1_3": "Lập danh sách đoàn viên, thanh thiếu niên có hoàn cảnh khó khăn",
    "cd1_4": "Phổ biến đường lối, chính sách mới tới đoàn viên, thanh niên",
    "cd1_5": "Chăm lo, bảo vệ quyền lợi hợp pháp của đoàn viên, thanh thiếu nhi",
    "cd2_1": "Xây dựng chương trình hành động, kế hoạch công tác",
    "cd2_2": "Thực hiện chương trình công tác, công trình thanh niên",
    "cd2_3": "Chỉ đạo chi đoàn sinh hoạt định kỳ",
    "cd2_4": "Phát triển tổ chức, thực hiện chủ trương 1+1",
    "cd2_5": "Kiểm tra, tự phê bình và phê bình, nhân rộng điển hình",
    "cd3_1": "Tham mưu cấp ủy về công tác Đoàn và phong trào thanh thiếu nhi",
    "cd3_2": "Tham mưu quy hoạch, đào tạo, bồi dưỡng cán bộ Đoàn",
    "cd3_3": "Phối hợp với các tổ chức, đoàn thể liên quan",
}

CO_SO = (
    Column("ma_don_vi", "Mã đơn vị", "code", required=True, allow_blank=False),
    Column("nam", "Năm", "year", required=True, allow_blank=False),
    *(Column(k, f"3CĐ {k[2]}.{k[4]} {lab}", "bool", warn_blank=True) for k, lab in BA_CHU_DONG.items()),
    Column("diem", "Điểm", "score"),
    Column("xep_loai", "Xếp loại", "rating"),
    Column("dot_cao_diem", "Thực hiện đợt cao điểm", "bool"),
    *_TASKS,
    Column("xep_loai_thi_dua", "Xếp loại thi đua", "emulation"),  # HCMC emulation ladder [000]
    # Cadres (contract §6.2) [002 II.2]: optional, a blank is reported where the column is given.
    Column("so_uy_vien_bch", "Số ủy viên Ban Chấp hành", "count", warn_blank=True),
    Column("so_uy_vien_dat_chuan", "Số ủy viên Ban Chấp hành đạt chuẩn cán bộ", "count", warn_blank=True),
    Column("so_can_bo_duoc_boi_duong", "Số cán bộ Đoàn được bồi dưỡng trong năm", "count", warn_blank=True),
    Column("bi_thu_thay_trong_nam", "Thay bí thư Đoàn cơ sở trong năm", "bool", warn_blank=True),
)

# Optional sheets: read and checked where present.
DIEM_CHAM = (  # given scores of a score sheet's items [bảng điểm]
    Column("ma_don_vi", "Mã đơn vị", "code", required=True, allow_blank=False),
    Column("nam", "Năm", "year", required=True, allow_blank=False),
    Column("ma_muc", "Mã mục", "code", required=True, allow_blank=False),
    Column("tu_cham", "Điểm tự chấm", "score"),
    Column("tham_dinh", "Điểm thẩm định", "score"),
)
MOT_CONG_MOT = (  # "1+1" every 6 months [004]: ky 1 = six months, 2 = the whole year
    Column("ma_don_vi", "Mã đơn vị", "code", required=True, allow_blank=False),
    Column("nam", "Năm", "year", required=True, allow_blank=False),
    Column("ky", "Kỳ (1: 6 tháng, 2: cả năm)", "count", required=True, allow_blank=False),
    Column("so_doan_vien", "Số đoàn viên", "count"),
    Column("so_dv_gioi_thieu_1_1", "Số đoàn viên giới thiệu 1+1", "count"),
    Column("so_thanh_nien_1_1", "Số thanh niên vào Đoàn, Hội qua 1+1", "count"),
)
THAM_DINH = (  # the verification team's result per branch [001 III.2], contract §6.1
    Column("ma_don_vi", "Mã đơn vị", "code", required=True, allow_blank=False),
    Column("nam", "Năm", "year", required=True, allow_blank=False),
    Column("ket_qua", "Kết quả thẩm định", "verdict"),  # blank: no result yet
    Column("ghi_chu", "Ghi chú", "text"),
)
DAC_THU_TIEN_DO = (  # a special unit's progress each quarter, as its work team sees it [003], contract §6.5
    Column("ma_don_vi", "Mã đơn vị", "code", required=True, allow_blank=False),
    Column("nam", "Năm", "year", required=True, allow_blank=False),
    Column("quy", "Quý", "quarter", required=True, allow_blank=False),
    Column("tien_bo", "Tổ công tác ghi nhận tiến bộ", "bool"),  # blank: not judged yet
    Column("ghi_chu", "Ghi chú", "text"),
)

MO_HINH = (  # a model or effective practice of a unit that year [002], contract §6.5
    Column("ma_don_vi", "Mã đơn vị", "code", required=True, allow_blank=False),
    Column("nam", "Năm", "year", required=True, allow_blank=False),
    Column("ten_mo_hinh", "Tên mô hình", "text", required=True, allow_blank=False),
    Column("linh_vuc", "Lĩnh vực", "text"),
    Column("mo_ta", "Mô tả", "text"),
)
DANG_KY = (  # registration at the start of the year [001 III], contract §6.4
    Column("ma_don_vi", "Mã đơn vị", "code", required=True, allow_blank=False),
    Column("nam", "Năm", "year", required=True, allow_blank=False),
    Column("chuong_trinh", "Chương trình đăng ký", "chuong_trinh", required=True, allow_blank=False),
    Column("lam_diem", "Làm điểm", "bool", default=False),
    Column("ngay_dang_ky", "Ngày đăng ký", "date"),
)
# The programmes a unit registers for, and the level of unit that registers for each [001 III].
TEN_CHUONG_TRINH = {"chi_doan_dat_chuan": "Chi đoàn trên địa bàn dân cư đạt chuẩn",
                    "ba_chu_dong": "Đoàn cơ sở “3 chủ động”"}
CAP_CHUONG_TRINH = {"chi_doan_dat_chuan": "chi_doan", "ba_chu_dong": "co_so"}

SHEETS: dict[str, tuple[Column, ...]] = {"don_vi": DON_VI, "chi_doan": CHI_DOAN, "co_so": CO_SO}
OPTIONAL_SHEETS: dict[str, tuple[Column, ...]] = {
    "diem_cham": DIEM_CHAM, "mot_cong_mot": MOT_CONG_MOT, "tham_dinh": THAM_DINH, "mo_hinh": MO_HINH,
    "dac_thu_tien_do": DAC_THU_TIEN_DO, "dang_ky": DANG_KY,
}
ALL_SHEETS = {**SHEETS, **OPTIONAL_SHEETS}
# The level of unit each data sheet holds (several: any of them).
SHEET_CAP: dict[str, str | tuple[str, ...]] = {
    "chi_doan": "chi_doan", "co_so": "co_so", "diem_cham": "co_so", "mot_cong_mot": "chi_doan",
    "tham_dinh": "chi_doan",
    "mo_hinh": CAP,  # a model may be any unit's
    "dac_thu_tien_do": "co_so",
    "dang_ky": ("chi_doan", "co_so"),  # the programme decides which
}
# Rows of these sheets are unique by these keys.
SHEET_KEYS = {
    "chi_doan": ["ma_don_vi", "nam"], "co_so": ["ma_don_vi", "nam"], "diem_cham": ["ma_don_vi", "nam", "ma_muc"],
    "mot_cong_mot": ["ma_don_vi", "nam", "ky"], "tham_dinh": ["ma_don_vi", "nam"],
    "mo_hinh": ["ma_don_vi", "nam", "ten_mo_hinh"], "dac_thu_tien_do": ["ma_don_vi", "nam", "quy"],
    "dang_ky": ["ma_don_vi", "nam"],  # a unit registers once a year (its level names the programme)
}

LABELS: dict[str, str] = {c.key: c.label for cols in SHEETS.values() for c in cols}


def label(key: str, sheet: str | None = None) -> str:
    """The Vietnamese label of a data column (the key itself if unknown); with `sheet`, as that
    sheet's header reads (the optional sheets' columns: «Mã mục», «Kỳ», «Quý»)."""
    if sheet is not None:
        return next((c.label for c in ALL_SHEETS.get(sheet, ()) if c.key == key), LABELS.get(key, key))
    return LABELS.get(key, key)

# The columns of the result tables (contract §5), in their order; rates carry a percent format.
CHI_DOAN_COLS = ["ma_don_vi", "ten_don_vi", "nam", "tc1", "tc2", "tc3", "tc4", "tc5", "tc6", "tc7",
                 "dat_chuan", "ly_do", "xep_loai"]
CO_SO_COLS = ["ma_don_vi", "ten_don_vi", "nam", "so_chi_doan_dan_cu", "so_chi_doan_dat_chuan",
              "ty_le_dat_chuan", "muc_tieu_dat_chuan", "dat_muc_tieu", "ba_chu_dong", "xep_loai",
              "xep_loai_nam_truoc", "bien_dong"]
ROLLUP_COLS = ["ma_don_vi", "ten_don_vi", "nam", "so_co_so", "so_chi_doan", "so_doan_vien", "so_ket_nap_moi",
               "so_gioi_thieu_dang", "ty_le_tap_hop", "so_chi_doan_dan_cu", "so_chi_doan_dat_chuan",
               "ty_le_dat_chuan", "so_co_so_dat_muc_tieu", "ty_le_duoc_xep_loai", "ty_le_nang_bac",
               "so_ha_bac", "so_co_so_ba_chu_dong", "ty_le_dv_1_1", "so_thanh_nien_1_1"]
RATE_COLS = {"ty_le_dat_chuan", "muc_tieu_dat_chuan", "ty_le_tap_hop", "ty_le_duoc_xep_loai",
             "ty_le_nang_bac", "ty_le_dv_1_1", "ty_le_dot_cao_diem"}
RATE_COLS = RATE_COLS | {"ty_le_dang_ky"}  # registered / residential branches [001 III], §6.4
