"""«Tờ trình đề nghị khen thưởng» with its attached «Danh sách đề nghị khen thưởng» [001 III]: the
Đoàn cơ sở the cycle's `khen_thuong` rule proposes, each with its achievements in words, sent by
a district (or the province) to the body above it (Hướng dẫn 29-HD/TWĐTN-VP)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..assessment.review import Review, tinh_code
from ..assessment.rewards import proposals
from ..assessment.targets import qualify
from ..common.vietnamese import BLANK, ngay_bang, so, so_dem, trich_dan
from .details import document_details, frame, issuer_and_parent

KEY = "to_trinh_khen_thuong"
# The fields of the template, for templates/README.md (documents.fields_doc).
FIELDS_REWARDS = {
    "kinh_gui": "Kính gửi: cơ quan nhận tờ trình (tham số khen_thuong.kinh_gui, mặc định Ban Thường vụ cấp trên)",
    "noi_dung[]": "Các đoạn của tờ trình: kết quả, điều kiện xét, đơn vị đủ điều kiện, đề nghị",
    "ket_luan": "Câu kết: «Kính trình … xem xét, quyết định./.»",
    "khen_thuong.hinh_thuc": "Hình thức khen thưởng đề nghị (tham số khen_thuong.hinh_thuc)",
    "khen_thuong.so_don_vi": "Số tập thể được đề nghị (số đếm viết thường: «3», «12»)",
    "khen_thuong.danh_sach[].stt": "Danh sách đề nghị khen thưởng: số thứ tự",
    "khen_thuong.danh_sach[].ten": "Danh sách đề nghị khen thưởng: tên tập thể",
    "khen_thuong.danh_sach[].thanh_tich": "Danh sách đề nghị khen thưởng: thành tích (“3 chủ động”, chi đoàn đạt "
                                          "chuẩn, xếp loại, điểm)",
    "khen_thuong.danh_sach[].xep_loai": "Danh sách đề nghị khen thưởng: xếp loại năm",
    "khen_thuong.danh_sach[].hinh_thuc": "Danh sách đề nghị khen thưởng: hình thức khen thưởng",
}


def _scope(review: Review, ma: str) -> Any:
    return review.results if ma == tinh_code(review) else review.results.of_unit(ma)


def proposed(review: Review, ma: str, nam: int) -> pd.DataFrame:
    """The unit's Đoàn cơ sở judged by the cycle's rule (all, proposed first; empty without a rule)."""
    rule = review.cycle.khen_thuong
    if rule is None:
        return pd.DataFrame(columns=["ma_don_vi", "ten_don_vi", "de_nghi", "thanh_tich", "ly_do"])
    memo = ("khen_thuong", ma, nam)
    if memo not in review.memo:
        review.memo[memo] = proposals(_scope(review, ma), rule, review.cycle.scale, nam)
    return review.memo[memo]


def applies(review: Review, ma: str, nam: int) -> bool:
    """The unit sends a tờ trình when the cycle has a reward rule and at least one unit qualifies."""
    return review.cycle.khen_thuong is not None and bool(proposed(review, ma, nam)["de_nghi"].any())


def _conditions(review: Review) -> str:
    rule, scale = review.cycle.khen_thuong, review.cycle.scale
    if rule is None:  # no rule, no tờ trình (applies): nothing to state
        return ""
    parts = []
    if rule.ba_chu_dong:
        parts.append("đạt tiêu chí Đoàn cơ sở “3 chủ động”")
    if rule.chi_doan_dat_chuan == 1:
        parts.append("100% chi đoàn trên địa bàn dân cư đạt chuẩn")
    elif rule.chi_doan_dat_chuan is not None:
        parts.append(f"từ {so(rule.chi_doan_dat_chuan * 100)}% chi đoàn trên địa bàn dân cư đạt chuẩn trở lên")
    levels = " hoặc ".join(trich_dan(scale.label(c)) for c in rule.xep_loai)
    parts.append(f"xếp loại {levels}")
    if rule.diem_toi_thieu is not None:
        parts.append(f"đạt từ {so(rule.diem_toi_thieu, 1).removesuffix(',0')} điểm trở lên")
    return ", ".join(parts[:-1]) + " và " + parts[-1] if len(parts) > 1 else parts[0]


def to_trinh_khen_thuong(review: Review, ma: str, nam: int) -> tuple[dict, list[str]]:
    """The tờ trình and its list: who is proposed, why, and in what form."""
    cycle = review.cycle
    rule = cycle.khen_thuong
    ctx, missing = frame(review, ma, KEY, "TTr", False, nam, own_recipients=True)
    unit, parent = issuer_and_parent(review, ma)
    ten = ctx["don_vi"]["ten"]
    kinh_gui = (rule.kinh_gui if rule and rule.kinh_gui else
                f"Ban Thường vụ {parent['ten_don_vi']}" if parent is not None else BLANK)
    if kinh_gui == BLANK:
        missing.append("cơ quan nhận tờ trình (khen_thuong.kinh_gui)")
    judged = proposed(review, ma, nam)
    judged = qualify(judged, review.results) if len(judged) else judged
    chosen = judged[judged["de_nghi"].astype(bool)]
    over = judged[judged["ly_do"].str.contains("ngoài số lượng", na=False)]
    hinh_thuc = rule.hinh_thuc if rule else BLANK
    noi_dung = rule.noi_dung if rule else ""
    main_loai = "bao_cao_tong_hop" if unit["cap"] == "tinh" else "bao_cao_tong_ket"
    report, _ = document_details(cycle, unit, parent, main_loai, "BC", True)
    plan = cycle.so_ket.ke_hoach
    can_cu = ["Căn cứ Điều lệ Đoàn TNCS Hồ Chí Minh;"]
    if plan.so:
        can_cu.append(f"Căn cứ Kế hoạch số {plan.so}" + (f" ngày {ngay_bang(plan.ngay)}" if plan.ngay else "")
                      + (f" của {plan.co_quan}" if plan.co_quan else "") + ";")
    can_cu.append(f"Căn cứ Báo cáo số {report['so']}-{report['ky_hieu']} {report['ngay']} của Ban Thường vụ {ten} "
                  f"và kết quả đánh giá, xếp loại tổ chức cơ sở Đoàn năm {nam},")
    n_all = int(judged["xep_loai"].notna().sum()) if len(judged) else 0
    rated = ("tất cả đều được đánh giá, xếp loại" if n_all == len(judged) and n_all else
             f"trong đó {so(n_all)} Đoàn cơ sở được đánh giá, xếp loại")  # never «13 …, trong đó 13 …»
    text = [f"Năm {nam}, {ten} có {so(len(judged))} Đoàn cơ sở, {rated}. Điều kiện đề nghị khen thưởng: "
            f"{_conditions(review)}"
            + (f"; mỗi đơn vị đề nghị không quá {so(rule.so_luong_toi_da)} Đoàn cơ sở, xét theo điểm từ cao xuống "
               "thấp" if rule and rule.so_luong_toi_da else "") + "."]
    text[0] += (f" Có {so(len(chosen) + len(over))} Đoàn cơ sở đủ điều kiện"
                + (f"; {'; '.join(over['ten_don_vi'])} đủ điều kiện nhưng ngoài số lượng đề nghị lần này." if len(over)
                   else "."))
    waiting = chosen[chosen["thanh_tich"].str.contains("đang chờ kết quả", na=False)]
    text.append(f"Ban Thường vụ {ten} kính đề nghị {kinh_gui} xem xét, tặng {hinh_thuc} cho {so_dem(len(chosen))} "
                f"tập thể {noi_dung} năm {nam} (có danh sách kèm theo).")
    if len(waiting):
        text.append(f"{so(len(waiting))}/{so(len(chosen))} tập thể được đề nghị có chi đoàn được chọn thẩm định "
                    f"ngẫu nhiên đang chờ kết quả; Ban Thường vụ {ten} sẽ báo cáo bổ sung khi có kết quả thẩm định.")
    ctx |= {
        "trich_yeu": f"Về việc đề nghị khen thưởng tập thể {noi_dung} năm {nam}",
        "kinh_gui": kinh_gui,
        "can_cu": can_cu,
        "noi_dung": text,
        "ket_luan": f"Kính trình {kinh_gui} xem xét, quyết định./.",
        "khen_thuong": {
            "hinh_thuc": hinh_thuc,
            "so_don_vi": so_dem(len(chosen)),
            "danh_sach": [{"stt": str(i), "ten": r.ten_don_vi, "thanh_tich": r.thanh_tich[:1].upper() + r.thanh_tich[1:],
                           "xep_loai": cycle.scale.label(r.xep_loai), "hinh_thuc": hinh_thuc}
                          for i, r in enumerate(chosen.itertuples(), start=1)],
        },
    }
    if not ctx["vb"]["noi_nhan"]:
        ctx["vb"]["noi_nhan"] = ["Như trên"]
    return ctx, missing
