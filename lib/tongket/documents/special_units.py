"""Special units in the documents [003], from sheet `dac_thu_tien_do` (contract §6.5): the table of
special units in the year-end reports (context key `don_vi_dac_thu`), the six-month review of the
work teams' support (bao_cao_so_ket_dac_thu) and the decision recognising progress
(quyet_dinh_tien_bo). Without the sheet, none of them exists: a workbook without it writes what it
did before."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..assessment.review import Review, tinh_code
from ..assessment.special_progress import SHEET, Rule, candidates, has_first_half, rule, special_units
from ..common.vietnamese import BLANK, is_missing, la_ma, so, sort_key
from .details import frame, issuer_and_parent, once
from .narrative import ds

MARK = {True: "Có", False: "Không"}  # a quarter as the work team judged it; "–": not judged


def _view(review: Review, ma: str) -> Any:
    return review.results if ma == tinh_code(review) else review.results.of_unit(ma)


def _sheet(review: Review) -> pd.DataFrame | None:
    return review.data.optional.get(SHEET)


def table(review: Review, ma: str, nam: int) -> pd.DataFrame:
    """The special Đoàn cơ sở the unit `ma` follows (the province: all), in Vietnamese order (found
    once per review: the reports, the review and the decision all ask)."""
    return once(review, ("special_units.table", ma, nam), lambda: _table(review, ma, nam))


def _table(review: Review, ma: str, nam: int) -> pd.DataFrame:

    view = _view(review, ma)
    t = special_units(view, _sheet(review), review.cycle.scale, nam, rule(review.cycle))
    return _named(t, view, review, nam)


def _named(t: pd.DataFrame, view: Any, review: Review, nam: int) -> pd.DataFrame:
    """`t`'s Đoàn cơ sở as every list of the unit's documents names them, in Vietnamese order: a
    name several of the unit's Đoàn cơ sở share (Đoàn phường 2 of two districts) carries its district."""
    from ..assessment.targets import qualify

    units = qualify(view.co_so[view.co_so["nam"] == nam].drop_duplicates("ma_don_vi"), review.results)
    t = t.assign(ten_don_vi=t["ma_don_vi"].map(units.set_index("ma_don_vi")["ten_don_vi"]).fillna(t["ten_don_vi"]))
    return t.iloc[sorted(range(len(t)), key=lambda i: sort_key(t["ten_don_vi"].iloc[i]))].reset_index(drop=True)


def applies_review(review: Review, ma: str, nam: int) -> bool:
    """The six-month review is written where the sheet has rows of quarter I or II of the year for
    the special units the unit follows (as the "1+1" review: nothing judged, nothing to review)."""
    return has_first_half(_sheet(review), table(review, ma, nam)["ma_don_vi"], nam)


def applies_decision(review: Review, ma: str, nam: int) -> bool:
    """The decision is written where the sheet is given and at least one unit meets the rule."""
    return _sheet(review) is not None and bool(table(review, ma, nam)["cong_nhan"].any())


def _rating(v: Any) -> str:
    return "–" if is_missing(v) else str(v)


def _mark(v: Any) -> str:
    return MARK.get(v, "–") if isinstance(v, bool) else "–"


def rule_text(how: Rule) -> str:
    """The rule in words: "tiến bộ ít nhất 2 quý trong năm hoặc nâng bậc xếp loại"."""
    text = f"tổ công tác ghi nhận tiến bộ ít nhất {so(how.so_quy_toi_thieu)} quý trong năm"
    return text + (" hoặc nâng bậc xếp loại so với năm trước" if how.hoac_nang_bac else "")


def _why(r: Any, how: Rule) -> str:
    parts = []
    if r.theo_quy:
        parts.append(f"tiến bộ {so(int(r.so_quy_tien_bo))}/4 quý")
    if r.nang_bac:
        parts.append("nâng bậc xếp loại")
    return "; ".join(parts).capitalize()


def _rows(t: pd.DataFrame, nam: int, how: Rule) -> list[dict[str, str]]:
    out = []
    for i, r in enumerate(t.itertuples(), start=1):
        out.append({"stt": str(i), "ten": r.ten_don_vi, "to_cong_tac": BLANK if is_missing(r.to_cong_tac)
                    else str(r.to_cong_tac),
                    "xep_loai_truoc": _rating(getattr(r, f"xep_loai_{nam - 1}", None)),
                    "xep_loai_nay": _rating(getattr(r, f"xep_loai_{nam}", None)),
                    **{f"quy_{q}": _mark(getattr(r, f"q{q}")) for q in (1, 2, 3, 4)},
                    "so_quy": "–" if is_missing(r.so_quy_tien_bo) else f"{so(int(r.so_quy_tien_bo))}/4",
                    "cong_nhan": "Có" if r.cong_nhan else "Không", "can_cu": _why(r, how)})
    return out


def _suggested(review: Review, ma: str, nam: int, how: Rule) -> str:
    view = _view(review, ma)
    c = candidates(view.co_so, review.cycle.scale, nam, how)
    levels = how.de_xuat_nam_sau or (review.cycle.scale.codes[-1],)
    named = " hoặc ".join(review.cycle.scale.label(x).lower() for x in levels)
    if c.empty:
        return f"Năm {nam} không có Đoàn cơ sở xếp loại {named}: chưa đề xuất thêm đơn vị đặc thù năm {nam + 1}."
    c = _named(c, view, review, nam)
    new = c[~c["dang_dac_thu"]]["ten_don_vi"].tolist()
    keep = c[c["dang_dac_thu"]]["ten_don_vi"].tolist()
    parts = []
    if new:
        parts.append(f"đưa vào danh sách đơn vị đặc thù, khó khăn năm {nam + 1}: {ds(new, 50)}")
    if keep:
        parts.append(f"tiếp tục theo dõi, hỗ trợ: {ds(keep, 50)}")
    return f"Căn cứ kết quả xếp loại năm {nam} (Đoàn cơ sở xếp loại {named}), đề xuất " + "; ".join(parts) + "."


def section(review: Review, ma: str, nam: int, ctx: dict) -> dict[str, Any] | None:
    """`don_vi_dac_thu` of a year-end report: the table, the recognition and next year's suggestions;
    None without the sheet (the section vanishes). The existing sentence on special units then
    leaves recognition to this section."""
    if _sheet(review) is None:
        return None
    t, how = table(review, ma, nam), rule(review.cycle)
    if t.empty:
        return None
    yes = t[t["cong_nhan"]]["ten_don_vi"].tolist()
    judged = int(t["so_quy_danh_gia"].fillna(0).gt(0).sum())
    quarters = (f"{so(judged)} đơn vị có đánh giá tiến bộ hằng quý của tổ công tác" if judged else
                f"các tổ công tác chưa có đánh giá tiến bộ hằng quý năm {nam}")
    cau = (f"Năm {nam}, {so(len(t))} Đoàn cơ sở đặc thù, khó khăn được các tổ công tác theo dõi, hỗ trợ; {quarters}. "
           f"Theo quy định công nhận tiến bộ ({rule_text(how)}), "
           + (f"{so(len(yes))} đơn vị được công nhận tiến bộ: {ds(yes, 50)}." if yes else
              "chưa có đơn vị đủ điều kiện công nhận tiến bộ."))
    cau_dac_thu = ctx.get("cau", {}).get("dac_thu")
    if isinstance(cau_dac_thu, str) and "; công nhận tiến bộ (nâng bậc)" in cau_dac_thu:
        ctx["cau"]["dac_thu"] = cau_dac_thu.split("; công nhận tiến bộ (nâng bậc)")[0] + "."
    return {"cau": cau, "bang": _rows(t, nam, how), "de_xuat": _suggested(review, ma, nam, how),
            "ghi_chu": "Cột quý: «Có» tổ công tác ghi nhận tiến bộ, «Không» chưa tiến bộ, «–» chưa có đánh giá."}


def _teams(t: pd.DataFrame) -> list[str]:
    teams: dict[str, list[str]] = {}
    for r in t.itertuples():
        teams.setdefault(BLANK if is_missing(r.to_cong_tac) else str(r.to_cong_tac), []).append(r.ten_don_vi)
    return [f"{team}: phụ trách {ds(names, 50)}." for team, names in sorted(teams.items(), key=lambda x: sort_key(x[0]))]


def _quarter_sentence(t: pd.DataFrame, q: int) -> str:
    col = t[f"q{q}"]
    yes = int(col.map(lambda v: v is True).sum())
    no = int(col.map(lambda v: v is False).sum())
    none = len(t) - yes - no
    text = f"Quý {la_ma(q)}: tổ công tác ghi nhận tiến bộ ở {so(yes)}/{so(len(t))} đơn vị"
    if no:
        text += f", {so(no)} đơn vị chưa tiến bộ"
    if none:
        text += f", {so(none)} đơn vị chưa có đánh giá"
    return text + "."


def _notes(r: Any) -> str:
    given = {q: getattr(r, f"ghi_chu_{q}") for q in (1, 2)}
    notes = [f"Quý {la_ma(q)}: {v}" for q, v in given.items() if not is_missing(v) and str(v).strip()]
    return "; ".join(notes) or "–"


def bao_cao_so_ket_dac_thu(review: Review, ma: str, nam: int) -> tuple[dict, list[str]]:
    """The six-month review of the support to special units [003] IV: the work teams, the
    progress they recognised in quarters I and II, their notes, and the tasks of the half-year."""
    ctx, missing = frame(review, ma, "bao_cao_so_ket_dac_thu", "BC", False, nam)
    t = table(review, ma, nam)
    both = t[t["q1"].map(lambda v: v is True) & t["q2"].map(lambda v: v is True)]["ten_don_vi"].tolist()
    neither = t[t["q1"].map(lambda v: v is False) & t["q2"].map(lambda v: v is False)]["ten_don_vi"].tolist()
    teams = t["to_cong_tac"].dropna().nunique()
    ten = ctx["don_vi"]["ten"]
    ket_qua = [_quarter_sentence(t, 1), _quarter_sentence(t, 2)]
    if both:
        ket_qua.append(f"Tiến bộ trong cả hai quý: {ds(both, 50)}.")
    if neither:
        ket_qua.append(f"Chưa tiến bộ trong cả hai quý, cần tập trung hỗ trợ: {ds(neither, 50)}.")
    ctx |= {
        "trich_yeu": f"Sơ kết 6 tháng đầu năm {nam} công tác hỗ trợ, củng cố, kiện toàn tổ chức cơ sở Đoàn "
                     f"đặc thù, khó khăn",
        "mo_dau": [f"Thực hiện kế hoạch hỗ trợ công tác Đoàn và phong trào thanh niên các cơ sở Đoàn đặc thù, "
                   f"khó khăn năm {nam}, Ban Thường vụ {ten} báo cáo sơ kết 6 tháng đầu năm như sau:"],
        "tinh_hinh_dac_thu": [f"Năm {nam}, {ten} có {so(len(t))} Đoàn cơ sở đặc thù, khó khăn, do {so(teams)} tổ công tác "
                      f"theo dõi, hỗ trợ; các tổ công tác họp hằng quý đánh giá tiến độ và báo cáo Thường trực."],
        "cac_to_cong_tac": _teams(t),
        "ket_qua_quy": ket_qua,
        "bang_dac_thu": [{**r, "ghi_nhan": _notes(x)} for r, x in zip(_rows(t, nam, rule(review.cycle)), t.itertuples())],
        "nhiem_vu_dac_thu": [
            "Các tổ công tác tiếp tục họp hằng quý, đánh giá tiến độ, kịp thời tháo gỡ khó khăn tại từng đơn vị.",
            "Phối hợp với cấp ủy các đơn vị kiện toàn tổ chức, bồi dưỡng cán bộ Đoàn và đẩy mạnh hoạt động phong trào.",
            f"Tổng hợp kết quả theo dõi hằng quý làm căn cứ công nhận tiến bộ cuối năm {nam} "
            f"({rule_text(rule(review.cycle))})."],
    }
    return ctx, missing


def quyet_dinh_tien_bo(review: Review, ma: str, nam: int) -> tuple[dict, list[str]]:
    """The decision recognising the progress of special units [003] («công nhận tiến bộ») by the
    cycle's rule, with the list of units as its annex."""
    cycle = review.cycle
    ctx, missing = frame(review, ma, "quyet_dinh_tien_bo", "QĐ", False, nam, own_recipients=True)
    unit, parent = issuer_and_parent(review, ma)
    spec = cycle.document_specific(ma, str(unit["cap"]), "quyet_dinh_tien_bo")
    t, how = table(review, ma, nam), rule(cycle)
    yes = t[t["cong_nhan"]]
    issuer = ctx["vb"]["co_quan_ban_hanh"]
    body = issuer.removeprefix("BCH ").removeprefix("BAN CHẤP HÀNH ") if issuer != BLANK else ctx["don_vi"]["ten_hoa"]
    de_nghi = str(spec.get("de_nghi") or "bộ phận Xây dựng Đoàn")
    ctx |= {
        "trich_yeu": f"Về việc công nhận tiến bộ đối với Đoàn cơ sở đặc thù, khó khăn năm {nam}",
        "tham_quyen": str(spec.get("tham_quyen") or f"BAN THƯỜNG VỤ {body}"),
        "can_cu": ["Căn cứ Điều lệ Đoàn TNCS Hồ Chí Minh;",
                   f"Căn cứ kế hoạch hỗ trợ công tác Đoàn và phong trào thanh niên các cơ sở Đoàn đặc thù, khó khăn "
                   f"năm {nam};",
                   f"Căn cứ kết quả theo dõi, đánh giá hằng quý của các tổ công tác và kết quả xếp loại tổ chức cơ sở "
                   f"Đoàn năm {nam};",
                   f"Xét đề nghị của {de_nghi},"],
        "dieu": [(f"Công nhận tiến bộ năm {nam} đối với {so(len(yes))} Đoàn cơ sở đặc thù, khó khăn được "
                  f"{rule_text(how)} (có danh sách kèm theo)." if len(yes) else
                  f"Năm {nam} không có Đoàn cơ sở đặc thù, khó khăn đủ điều kiện công nhận tiến bộ."),
                 "Các tổ công tác tiếp tục theo dõi, hỗ trợ; các đơn vị được công nhận có trách nhiệm duy trì, phát huy "
                 "kết quả đã đạt.",
                 "Quyết định có hiệu lực kể từ ngày ký. " +
                 str(spec.get("thi_hanh") or f"Văn phòng, {de_nghi}, các tổ công tác và các Đoàn cơ sở có tên tại "
                                             f"Điều 1 căn cứ Quyết định thi hành.")],
        "don_vi_tien_bo": [{"stt": r["stt"], "ten": r["ten"], "to_cong_tac": r["to_cong_tac"], "so_quy": r["so_quy"],
                     "xep_loai_truoc": r["xep_loai_truoc"], "xep_loai_nay": r["xep_loai_nay"], "can_cu": r["can_cu"]}
                    for r in _rows(yes, nam, how)],
    }
    if not ctx["vb"]["noi_nhan"]:
        upper_body = f"Ban Thường vụ {parent['ten_don_vi']} (để báo cáo)" if parent is not None else BLANK
        ctx["vb"]["noi_nhan"] = ["Như Điều 3", upper_body]
    return ctx, missing
