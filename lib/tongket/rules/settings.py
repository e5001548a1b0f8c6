"""The settings of a review cycle that several steps read, each declared once with its default and the
help text an analyst reads: which score decides a rating, how documents are read back, the largest
count accepted."""

from __future__ import annotations

from typing import Any

from ..errors import ConfigError

MAX_COUNT = 10_000_000  # default bound of a count (params: gioi_han.so_luong_toi_da)

# The sources a cycle may name (params `nguon_diem`), each with the help text an analyst reads.
NGUON_DIEM: dict[str, str] = {
    "so_lieu": "điểm ở cột «Điểm» (diem) của trang co_so trong sổ số liệu quyết định xếp loại; "
               "điểm theo bảng điểm (nếu có) chỉ để đối chiếu",
    "bang_diem": "điểm theo bảng điểm của kỳ quyết định xếp loại (mục đo tính từ số liệu; mục do đơn vị chấm "
                 "lấy điểm thẩm định, chưa có thì điểm tự chấm); cột «Điểm» chỉ để đối chiếu",
    "cap_tren": "điểm cấp trên thẩm định quyết định: bảng điểm của kỳ, các mục do đơn vị chấm chỉ tính điểm "
                "thẩm định (điểm tự chấm không được tính); cột «Điểm» chỉ để đối chiếu",
}
DEFAULT_NGUON_DIEM = "so_lieu"  # the workbook's `diem` (contract §3) decides unless the cycle says otherwise
DEFAULT_CHENH_LECH = 5.0  # points (out of 100) two scores of one unit may differ by before the run warns
HELP = {
    "nguon_diem": "Nguồn điểm quyết định xếp loại Đoàn cơ sở: " + "; ".join(f"«{k}»: {v}" for k, v in NGUON_DIEM.items())
                  + ". Đơn vị đặc thù luôn chấm theo bảng điểm riêng. Xếp loại nhập sẵn ở cột «Xếp loại» vẫn là "
                    "xếp loại chính thức.",
    "chenh_lech_diem": "Mức chênh lệch (điểm, thang 100) giữa hai nguồn điểm của một đơn vị mà quá mức đó thì "
                       "lần chạy cảnh báo (mặc định 5).",
}
# The setting `kiem_tra_van_ban` of a cycle file, each value with its meaning (declared once).
MODES = {
    "loi": "văn bản vi phạm thì đơn vị báo cáo bị coi là lỗi (không hoàn thành), nêu rõ văn bản và đoạn vi phạm",
    "canh_bao": "văn bản vi phạm vẫn được ghi, vi phạm được nêu thành cảnh báo trong nhật ký chạy và màn hình",
    "tat": "không kiểm tra văn bản sau khi ghi",
}
DEFAULT_MODE = "loi"


def check_source(nguon: Any, tolerance: Any, has_sheets: bool) -> tuple[str, float]:
    """The cycle's source rule and tolerance, checked (Vietnamese message naming the key and the fix)."""
    nguon = DEFAULT_NGUON_DIEM if nguon in (None, "") else str(nguon)
    if nguon not in NGUON_DIEM:
        raise ConfigError(f"nguon_diem phải là một trong {', '.join(f'«{k}»' for k in NGUON_DIEM)}, gặp «{nguon}»")
    if nguon != "so_lieu" and not has_sheets:
        raise ConfigError(f"nguon_diem: «{nguon}» cần bảng điểm: khai báo score_sheets trong tệp tham số, "
                          "hoặc dùng nguon_diem: so_lieu")
    tol = DEFAULT_CHENH_LECH if tolerance in (None, "") else tolerance
    if isinstance(tol, bool) or not isinstance(tol, (int, float)) or not 0 <= float(tol) <= 100:
        raise ConfigError(f"chenh_lech_diem phải là số điểm từ 0 đến 100 (ví dụ 5), gặp «{tolerance}»")
    return nguon, float(tol)


