"""Seeded models and effective practices of the sample province (sheet `mo_hinh`, contract §6.5).

About one Đoàn cơ sở in three reports one or two models a year in the last two years, a few
districts one of their own; names and fields are plausible Vietnamese ones [002]. Drawn from a
random stream of their own (seed + 19), so the other sheets' figures do not move.
"""

from __future__ import annotations

from typing import Any

import numpy as np

OFFSET = 19  # this sheet's own random stream: seed + OFFSET
YEARS = (2020, 2021)

# (field, name, what it does): no figure a report states elsewhere (members admitted, youth gathered).
MODELS: list[tuple[str, str, str]] = [
    ("Kinh tế", "Tổ hợp tác thanh niên nuôi tôm sinh thái",
     "Liên kết hộ đoàn viên nuôi tôm theo quy trình sinh thái, chia sẻ kỹ thuật và đầu ra sản phẩm."),
    ("Kinh tế", "Vườn cây ăn trái mẫu của thanh niên",
     "Cải tạo vườn tạp, chuyển sang giống cây ăn trái chất lượng cao; tổ chức tham quan, học tập kinh nghiệm."),
    ("Kinh tế", "Câu lạc bộ thanh niên khởi nghiệp",
     "Sinh hoạt định kỳ, kết nối vốn vay ưu đãi và tư vấn lập dự án sản xuất, kinh doanh cho đoàn viên."),
    ("Kinh tế", "Gian hàng nông sản trực tuyến",
     "Giới thiệu, bán nông sản của hộ thanh niên trên mạng xã hội và sàn thương mại điện tử."),
    ("Văn hóa", "Tủ sách thanh niên ấp",
     "Vận động sách, báo; duy trì tủ sách tại nhà văn hóa ấp, mở cửa vào cuối tuần."),
    ("Văn hóa", "Đội văn nghệ xung kích",
     "Biểu diễn phục vụ các ngày lễ lớn, tuyên truyền pháp luật bằng tiểu phẩm."),
    ("Văn hóa", "Sân chơi thể thao cuối tuần",
     "Tổ chức giải bóng đá, bóng chuyền thanh niên định kỳ, thu hút thanh thiếu nhi tham gia."),
    ("An sinh xã hội", "Ngôi nhà khăn quàng đỏ",
     "Vận động nguồn lực xây, sửa nhà cho thiếu nhi có hoàn cảnh khó khăn."),
    ("An sinh xã hội", "Bữa cơm nghĩa tình",
     "Nấu, phát suất cơm miễn phí cho bệnh nhân nghèo vào thứ Bảy hằng tuần."),
    ("An sinh xã hội", "Tuyến đường thanh niên tự quản",
     "Đoàn viên nhận chăm sóc, thắp sáng, trồng hoa trên tuyến đường của ấp."),
    ("Chuyển đổi số", "Tổ công nghệ số cộng đồng",
     "Hướng dẫn người dân cài đặt, sử dụng dịch vụ công trực tuyến và thanh toán không dùng tiền mặt."),
    ("Chuyển đổi số", "Sổ tay đoàn viên điện tử",
     "Quản lý đoàn viên, thông báo sinh hoạt và thu đoàn phí qua ứng dụng trên điện thoại."),
    ("Chuyển đổi số", "Bản đồ số điểm sinh hoạt thanh niên",
     "Số hóa vị trí các điểm sinh hoạt, nhà văn hóa, sân chơi để thanh niên dễ tìm, dễ đến."),
    ("Xây dựng tổ chức Đoàn", "Chi đoàn khu nhà trọ",
     "Thành lập chi đoàn trong khu nhà trọ công nhân, sinh hoạt ghép với chi đoàn ấp sở tại."),
    ("Xây dựng tổ chức Đoàn", "Ngày thứ Bảy cùng chi đoàn",
     "Cán bộ Đoàn cơ sở dự sinh hoạt chi đoàn luân phiên, kịp thời tháo gỡ khó khăn."),
]


def models(units: list[Any], seed: int) -> list[dict]:
    """The sheet's rows: unit code, year, name, field and description (units: the sample's `Unit`s)."""
    rng = np.random.default_rng(seed + OFFSET)
    rows: list[dict] = []
    for year in YEARS:
        for u in units:
            if u.cap == "co_so":
                n = 0 if rng.random() > 0.35 else 1 + int(rng.random() < 0.3)
            elif u.cap == "huyen":
                n = int(rng.random() < 0.5)
            else:
                continue
            for k in rng.choice(len(MODELS), size=n, replace=False) if n else []:
                linh_vuc, ten, mo_ta = MODELS[int(k)]
                rows.append({"ma_don_vi": u.ma, "nam": year, "ten_mo_hinh": ten, "linh_vuc": linh_vuc,
                             "mo_ta": mo_ta if rng.random() > 0.1 else None})
    return rows
