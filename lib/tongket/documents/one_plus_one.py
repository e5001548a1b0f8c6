"""«Báo cáo sơ kết 6 tháng thực hiện chủ trương “1+1”» [004]: the first half-year's figures per
unit (sheet mot_cong_mot, ky 1), judged against the rule "every member brings at least one young
person", ranked, with the best named for praise, beside the year-end report's whole-year figures."""

from __future__ import annotations

import pandas as pd

from ..assessment.one_plus_one import half_year, has_half_year
from ..assessment.review import Review, once, tinh_code
from ..assessment.targets import qualify
from ..common.ranks import best_and_lowest, best_first, shared_rank
from ..common.vietnamese import BLANK, is_missing, phan_tram, so, upper
from .details import frame

KEY = "bao_cao_mot_cong_mot"
CHU_TRUONG = "chủ trương “1+1” mỗi đoàn viên giới thiệu được ít nhất một thanh niên tham gia tổ chức Đoàn, Hội"
FIELDS_ONE_PLUS_ONE = {
    "mot_cong_mot.cap_duoi": "Tên cấp dưới trong bảng “1+1”: Đoàn cơ sở (huyện) hoặc Đơn vị (tỉnh)",
    "mot_cong_mot.ket_qua[]": "Các câu về kết quả 6 tháng đầu năm thực hiện “1+1”: số đoàn viên, tỉ lệ, thanh niên",
    "mot_cong_mot.danh_gia[]": "Các câu đánh giá theo yêu cầu mỗi đoàn viên giới thiệu ít nhất một thanh niên, "
                               "đơn vị dẫn đầu và thấp nhất",
    "mot_cong_mot.ca_nam[]": "Câu đối chiếu với số liệu cả năm của báo cáo tổng kết",
    "mot_cong_mot.phuong_huong[]": "Phương hướng của kỳ tới (tệp văn bản: mục mot_cong_mot, hoặc câu mặc định)",
    "mot_cong_mot.ky_phuong_huong": "Kỳ của phương hướng, chữ in hoa: 6 THÁNG CUỐI NĂM 2021; NĂM 2022 khi báo cáo "
                                    "đối chiếu kết quả cả năm (lập sau khi kết thúc năm)",
    "mot_cong_mot.bang[].hang": "Bảng “1+1”: thứ hạng theo tỉ lệ đoàn viên đã giới thiệu thanh niên",
    "mot_cong_mot.bang[].ten": "Bảng “1+1”: tên đơn vị",
    "mot_cong_mot.bang[].chi_doan": "Bảng “1+1”: số chi đoàn có số liệu 6 tháng",
    "mot_cong_mot.bang[].doan_vien": "Bảng “1+1”: số đoàn viên",
    "mot_cong_mot.bang[].gioi_thieu": "Bảng “1+1”: số đoàn viên đã giới thiệu thanh niên",
    "mot_cong_mot.bang[].ty_le": "Bảng “1+1”: tỉ lệ đoàn viên đã giới thiệu thanh niên",
    "mot_cong_mot.bang[].thanh_nien": "Bảng “1+1”: số thanh niên vào Đoàn, Hội qua “1+1”",
    "mot_cong_mot.bang[].danh_gia": "Bảng “1+1”: Đạt / Chưa đạt yêu cầu mỗi đoàn viên giới thiệu một thanh niên",
    "mot_cong_mot.bang[].ca_nam": "Bảng “1+1”: tỉ lệ cả năm theo báo cáo tổng kết",
}


def _key(review: Review, ma: str) -> str:
    return "ma_bao_cao" if ma == tinh_code(review) else "ma_co_so"


def table(review: Review, ma: str, nam: int) -> pd.DataFrame:
    """The unit's half-year table (assessment.one_plus_one.half_year), computed once per review."""
    def make() -> pd.DataFrame:
        scope = review.results if ma == tinh_code(review) else review.results.of_unit(ma)
        t = half_year(scope, review.data.optional.get("mot_cong_mot"), nam, _key(review, ma))
        return qualify(t, review.results) if len(t) else t  # a repeated name carries its upper unit

    return once(review, ("mot_cong_mot_6_thang", ma, nam), make)


def applies(review: Review, ma: str, nam: int) -> bool:
    """The unit issues the review when the workbook has six-month "1+1" rows of its branches."""
    scope = review.results if ma == tinh_code(review) else review.results.of_unit(ma)
    return has_half_year(review.data.optional.get("mot_cong_mot"), scope.year(nam).chi_doan, nam)


def _edges(rated: pd.DataFrame, best: int, lowest: int | None = None) -> tuple[pd.DataFrame, tuple[pd.Series, pd.Series]]:
    """The rated units in the table's order, and which of them a sentence names as the `best` best
    and the `lowest` lowest on the rate it prints: a unit tied with the last one named is named too
    (`common.ranks`), one tied with the other end is not."""
    ranked = rated.sort_values("hang", kind="stable")
    rank = shared_rank(ranked.assign(_r=best_first(ranked["ty_le_dv_1_1"])), ["_r"])
    return ranked, best_and_lowest(rank, best, best if lowest is None else lowest)


def _names(frame_: pd.DataFrame, with_rate: bool = True) -> str:
    if not with_rate:
        return "; ".join(str(t) for t in frame_["ten_don_vi"])
    return "; ".join(f"{t} ({phan_tram(v)})" for t, v in zip(frame_["ten_don_vi"], frame_["ty_le_dv_1_1"]))


def _sentences(t: pd.DataFrame, ten: str, cap_duoi: str, nam: int, whole: pd.Series | None) -> dict[str, list[str]]:
    complete = t[t["ty_le_dv_1_1"].notna()]
    dv, gt, tn = (int(pd.to_numeric(complete[c]).sum()) for c in ("so_doan_vien", "so_dv_gioi_thieu_1_1",
                                                                   "so_thanh_nien_1_1"))
    ket_qua = [f"Có {so(len(t))} {cap_duoi} với {so(int(t['so_chi_doan'].sum()))} chi đoàn báo cáo kết quả 6 tháng "
               f"đầu năm {nam}: {so(gt)}/{so(dv)} đoàn viên đã giới thiệu thanh niên tham gia tổ chức Đoàn, Hội, "
               f"tỉ lệ {phan_tram(gt / dv) if dv else BLANK}; {so(tn)} thanh niên đã vào Đoàn, Hội qua "
               f"chủ trương “1+1”."]
    thieu = t[t["chi_doan_thieu"] != ""]
    if len(thieu):
        ket_qua.append("Chi đoàn chưa đủ số liệu 6 tháng, chưa tính vào tổng: "
                       + "; ".join(f"{r.chi_doan_thieu} ({r.ten_don_vi})" for r in thieu.itertuples()) + ".")
    met = complete[complete["dat_yeu_cau"].fillna(False).astype(bool)]
    every = int(t["so_chi_doan_dat"].sum())
    danh_gia = [(f"Theo yêu cầu mỗi đoàn viên giới thiệu được ít nhất một thanh niên, {so(len(met))}/{so(len(t))} "
                 f"{cap_duoi} đạt yêu cầu: {_names(met, False)}." if len(met) else
                 f"Theo yêu cầu mỗi đoàn viên giới thiệu được ít nhất một thanh niên, chưa có {cap_duoi} nào đạt "
                 f"yêu cầu")
                + (f"; {so(every)} chi đoàn có toàn bộ đoàn viên đã giới thiệu được thanh niên." if every else
                   ("." if not len(met) else ""))]
    if len(complete) > 1:
        ranked, (best, low) = _edges(complete, min(3, len(complete) - 1), 1)
        danh_gia.append(f"Dẫn đầu: {_names(ranked[best])}. Thấp nhất: {_names(ranked[low])}." if best.any() else
                        f"Các {cap_duoi} có cùng tỉ lệ đoàn viên đã giới thiệu thanh niên "
                        f"({phan_tram(ranked['ty_le_dv_1_1'].iloc[0])}).")
    ca_nam = []
    if whole is not None and not is_missing(whole.get("ty_le_dv_1_1")):
        # the year's figures are summed over the branches that sent them: that is the base said
        sent = int(whole["so_chi_doan"]) - int(whole.get("so_chi_doan_chua_gui_so_lieu") or 0)
        joined = (f"với {so(whole['so_thanh_nien_1_1'])} thanh niên vào Đoàn, Hội"
                  if not is_missing(whole.get("so_thanh_nien_1_1")) else "số thanh niên vào Đoàn, Hội chưa đủ số liệu")
        ca_nam.append(f"Theo báo cáo tổng kết năm {nam}, cả năm {ten} có tỉ lệ đoàn viên giới thiệu ít nhất một "
                      f"thanh niên là {phan_tram(whole['ty_le_dv_1_1'])}, {joined} (tính trên {so(sent)} chi đoàn "
                      f"có số liệu cả năm); 6 tháng đầu năm đạt {so(tn)} thanh niên (tính trên "
                      f"{so(int(t['so_chi_doan_du_so_lieu'].sum()))} chi đoàn có số liệu 6 tháng).")
    above = t[t["vuot_ca_nam"].astype(bool)]
    if len(above):
        ca_nam.append(f"Số thanh niên 6 tháng đầu năm cao hơn số cả năm của báo cáo tổng kết, đề nghị rà soát lại số "
                      f"liệu: {_names(above, False)}.")
    return {"ket_qua": ket_qua, "danh_gia": danh_gia, "ca_nam": ca_nam}


def bao_cao_mot_cong_mot(review: Review, ma: str, nam: int) -> tuple[dict, list[str]]:
    """The half-year "1+1" review of a district (its Đoàn cơ sở) or the province (its reporting units)."""
    ctx, missing = frame(review, ma, KEY, "BC", False, nam)
    ten = ctx["don_vi"]["ten"]
    is_tinh = ma == tinh_code(review)
    cap_duoi = "đơn vị" if is_tinh else "Đoàn cơ sở"
    t = table(review, ma, nam)
    rollup = review.results.tinh if is_tinh else review.results.bao_cao
    whole = rollup[(rollup["ma_don_vi"] == ma) & (rollup["nam"] == nam)]
    said = _sentences(t, ten, cap_duoi, nam, whole.iloc[0] if len(whole) else None) if len(t) else \
        {"ket_qua": [f"Chưa có số liệu 6 tháng đầu năm {nam}."], "danh_gia": [], "ca_nam": []}
    rated = t[t["ty_le_dv_1_1"].notna()] if len(t) else t
    ranked, (top, bottom) = _edges(rated, min(3, len(rated) // 2))
    best, low = ranked[top], ranked[bottom]  # the best and the lowest never overlap
    # The next period: a review that sets the half year beside the year-end report is written after
    # the year's end, so it plans the next year, never «6 tháng cuối năm» already past.
    ky_toi = f"năm {nam + 1}" if said["ca_nam"] else f"6 tháng cuối năm {nam}"
    own = review.cycle.text_for(ma, str(review.results.unit(ma)["cap"])).get("mot_cong_mot")
    phuong_huong = own or [
        f"Tiếp tục quán triệt {CHU_TRUONG} đến từng chi đoàn, đoàn viên; phân công mỗi đoàn viên vận động, "
        "giới thiệu ít nhất một thanh niên tham gia hoạt động của Đoàn, Hội.",
        *([f"Các {cap_duoi} có tỉ lệ thấp ({_names(low, False)}) xây dựng kế hoạch cụ thể để đạt yêu cầu trong "
           f"{ky_toi}."] if len(low) else []),
        *([f"Kịp thời động viên, biểu dương, nhân rộng cách làm của các {cap_duoi} thực hiện tốt chủ trương: "
           f"{_names(best, False)}."] if len(best) else []),
    ]
    ctx |= {
        "trich_yeu": f"Sơ kết 6 tháng đầu năm {nam} thực hiện chủ trương “1+1”",
        "mo_dau": [f"Thực hiện {CHU_TRUONG}, Ban Thường vụ {ten} báo cáo sơ kết 6 tháng đầu năm {nam} như sau:"],
        "mot_cong_mot": {
            "cap_duoi": "Đơn vị" if is_tinh else "Đoàn cơ sở",
            **said,
            "phuong_huong": phuong_huong,
            "ky_phuong_huong": upper(ky_toi),
            "bang": [{"hang": so(r.hang) if not is_missing(r.hang) else "–", "ten": r.ten_don_vi,
                      "chi_doan": so(r.so_chi_doan), "doan_vien": so(r.so_doan_vien),
                      "gioi_thieu": so(r.so_dv_gioi_thieu_1_1), "ty_le": phan_tram(r.ty_le_dv_1_1),
                      "thanh_nien": so(r.so_thanh_nien_1_1),
                      "danh_gia": "–" if is_missing(r.dat_yeu_cau) else "Đạt" if r.dat_yeu_cau else "Chưa đạt",
                      "ca_nam": phan_tram(r.ty_le_dv_1_1_ca_nam)}
                     for r in t.sort_values("hang", na_position="last").itertuples()] if len(t) else [],
        },
    }
    return ctx, missing
