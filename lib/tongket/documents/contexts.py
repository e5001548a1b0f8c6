"""What each document says: the fields a template fills, built from a review.

One function per document kind; each returns the template's context (plain strings and lists,
escaped at render time) and the Vietnamese names of document details still missing. The official
details each document starts from are in `details`, the tables it lists in `rows`.
Every list of units is in Vietnamese order.
"""

from __future__ import annotations

import warnings
from dataclasses import replace
from typing import Any

import pandas as pd

from ..assessment.assess import Results
from ..assessment.compare import appendix_rows, comparison, not_like_for_like, unlike_years
from ..assessment.review import Review, reports_on_itself, tinh_code, year_rows
from ..assessment.scoring import item_points, score_lines, sheet_lines, unsent_sentences
from ..common.frames import first_row
from ..common.vietnamese import (
    BLANK,
    CHUA_CO_SO_LIEU,
    dat,
    diem,
    diem_phan_tram_dau,
    hieu_ty_le,
    la_ma,
    order_by_name,
    phan_tram,
    so,
    so_dem,
    sort_key,
    upper,
)
from ..rules.targets_spec import TOI_THIEU
from ..rules.wording import ten_tieu_chi
from . import kinds, members, narrative, population
from .cadres import add_cadres
from .details import frame, issuer_and_parent, sample_of
from .models import section as section_mo_hinh
from .rows import (
    bien_dong,
    chi_doan_rows,
    co_so_rows,
    goal_cell,
    goal_words,
    loai_hinh,
    none_sent,
    own_ratings,
    qualified,
    ranking,
    reporting_rows,
    target_rows,
    unit_rows,
    verification_rows,
)
from .targets_years import targets_by_year
from .upkeep import giu_chuan

__all__ = ["bao_cao_so_ket", "bao_cao_tong_hop", "bao_cao_tong_ket", "chi_doan_rows", "co_so_rows",
           "danh_sach_tham_dinh", "phieu_danh_gia", "phieu_danh_gia_huyen", "phieu_danh_gia_tat_ca", "phu_luc_so_lieu",
           "qualified", "quyet_dinh_cong_nhan", "ranking", "target_rows", "unit_rows", "verification_rows"]

CHUONG_TRINH = "xây dựng Đoàn cơ sở “3 chủ động” và Chi đoàn trên địa bàn dân cư đạt chuẩn"


def _texts(review: Review, ma: str) -> dict[str, list[str]]:
    from ..rules.texts import fits

    unit = review.results.unit(ma)
    text = review.cycle.text_for(ma, str(unit["cap"]))
    keys = ("thuan_loi", "kho_khan", "chi_dao", "nguyen_nhan", "bai_hoc", "phuong_huong", "kien_nghi")
    facts = _facts(review, ma, str(unit["cap"]))
    return {k: fits(text.get(k) or [], facts) or [BLANK] for k in keys}


def _facts(review: Review, ma: str, cap: str) -> dict[str, Any]:
    """What the analyst's shared text may be checked against: the unit's level, its name, whether it
    has residential branches (tongket.rules.texts.fits drops a shared paragraph the data contradicts)."""
    r = review.results
    own = reporting_rows(r)
    rows = r.tinh if cap == "tinh" else own if (own["ma_don_vi"] == ma).any() else reporting_rows(r.of_unit(ma))
    row = first_row(rows, (rows["ma_don_vi"] == ma) & (rows["nam"] == review.cycle.nam))
    dan_cu = None if row is None or pd.isna(row["so_chi_doan_dan_cu"]) else int(row["so_chi_doan_dan_cu"])
    return {"cap": cap, "ten": str(r.unit(ma)["ten_don_vi"]), "co_dan_cu": None if dan_cu is None else dan_cu > 0}


def _report(review: Review, ma: str, nam: int, rollup: pd.DataFrame, year: Results,
            loai: str) -> tuple[dict, list[str]]:
    """What the reporting unit's and the province's year-end reports share."""
    cycle = review.cycle
    ctx, missing = frame(review, ma, loai, "BC", True, nam)
    mine = rollup[rollup["ma_don_vi"] == ma]
    now, before = year_rows(mine, nam)
    # the year before that, for the trend's words: only over the same units as the year before
    earlier = year_rows(mine, nam - 1)[1] if before is not None and not not_like_for_like(review, ma, nam - 1) else None
    year = replace(year, co_so=qualified(year.co_so, review), chi_doan=qualified(year.chi_doan, review))
    text = _texts(review, ma)
    ten_bao_cao = cycle.ten_ky[:1].lower() + cycle.ten_ky[1:] if cycle.ten_ky else "tổng kết"
    muc_tieu = cycle.muc_tieu(nam)
    mo_dau = cycle.text_for(ma, str(review.results.unit(ma)["cap"])).get("mo_dau") or [
        *filter(None, [cycle.lich.sentence(nam)]), f"Căn cứ kết quả đánh giá, xếp loại tổ chức cơ sở Đoàn năm {nam}, Ban Thường vụ {ctx['don_vi']['ten']} "
        f"báo cáo {ten_bao_cao} năm {nam} như sau:"]
    targets_rows, targets_missed = target_rows(review, ma, nam)
    own = reports_on_itself(review, ma)
    unlike = unlike_years(review, ma, nam)  # Đoàn cơ sở with figures in one of the two years only
    khac = any(unlike) and before is not None
    if own:  # a Đoàn cơ sở reporting on its own speaks of itself, not of "1/1 Đoàn cơ sở"
        about_units = narrative.mot_co_so(first_row(year.co_so, year.co_so["ma_don_vi"] == ma), cycle.scale, nam)
    else:
        about_units = {
            "co_so_muc_tieu": narrative.co_so_muc_tieu(year.co_so, muc_tieu),
            "ba_chu_dong": narrative.ba_chu_dong(now, before, nam, khac),
            "xep_loai": narrative.xep_loai(now, year.co_so, cycle.scale, population.own_targets(cycle), nam,
                                           cycle.emulation)
            + population.sentences(now, cycle, nam),  # the [000] targets on «cơ sở Đoàn các cấp»
            "dac_thu": narrative.dac_thu(year.co_so, cycle.scale, nam),
        }
    units_below = year.co_so.iloc[:0] if own else year.co_so  # the Đoàn cơ sở the report counts
    ctx |= {
        "nam_dau": min(review.results.years),
        "trich_yeu": f"{cycle.ten_ky} năm {nam}, phương hướng nhiệm vụ năm {nam + 1}",
        "ten_bao_cao": ten_bao_cao,
        "mo_dau": mo_dau,
        "van_ban": text,
        "cau": {"dat_chuan": narrative.dat_chuan(now, before, muc_tieu, nam, unlike),
                "tap_hop": narrative.tap_hop(now, before, nam, khac), **about_units},
        "chi_tieu": targets_rows,
        "chi_tieu_chua_dat": targets_missed,
        "uu_diem": narrative.uu_diem(now, before, units_below, nam, earlier, khac),
        "han_che": narrative.han_che(year.chi_doan, units_below, cycle.rubric_chi_doan, muc_tieu),
        "phu_luc": appendix_rows(comparison(review, ma, nam, mine)),
    }
    ctx["thanh_vien"] = members.context(mine, nam, cycle, khac)  # member ratings (contract §6.2), else empty
    ctx["mo_hinh"] = section_mo_hinh(review, ma, nam)  # models and effective practices [002], issue 19
    ctx |= kinds.context(year.chi_doan, units_below, cycle.scale, nam)  # branch ratings, results by kind
    if isinstance(ctx["cau"].get("xep_loai"), list):  # units that sent nothing, by name (scoring.unsent_sentences)
        ctx["cau"]["xep_loai"] = [*ctx["cau"]["xep_loai"], *unsent_sentences(year.co_so, nam)]
    add_cadres(ctx, review, ma, nam)  # «Công tác cán bộ» and its phụ lục rows (contract §6.2)
    from .special_units import section as special_section  # special units' progress [003], issue 19.3

    ctx["don_vi_dac_thu"] = special_section(review, ma, nam, ctx)
    giu_chuan(review, ma, nam, ctx, "bao_cao")  # registration and upkeep [001 III]
    return ctx, missing



def bao_cao_tong_ket(review: Review, ma_bao_cao: str, nam: int) -> tuple[dict, list[str]]:
    """A reporting unit's year-end report: a district's lists its Đoàn cơ sở; a Đoàn cơ sở
    reporting on its own (cap_bao_cao: co_so) lists its branches instead."""
    year = review.results.of_unit(ma_bao_cao).year(nam)
    ctx, missing = _report(review, ma_bao_cao, nam, reporting_rows(review.results), year, "bao_cao_tong_ket")
    own = reports_on_itself(review, ma_bao_cao)
    ctx["bang_co_so"] = [] if own else co_so_rows(year.co_so, review)
    ctx["bang_chi_doan"] = chi_doan_rows(year.chi_doan, review) if own else []
    ctx["cau"]["dan_dau"] = "" if own else narrative.dan_dau(year.co_so, "Đoàn cơ sở")
    # a unit without residential branches has nothing to verify: no sentence about it
    has_dan_cu = bool((year.chi_doan["dat_chuan"].notna()).any())
    ctx["cau"]["tham_dinh"] = narrative.tham_dinh(sample_of(review, nam, ma_bao_cao),
                                                  review.cycle.verification) if has_dan_cu else ""
    return ctx, missing


def bao_cao_tong_hop(review: Review, ma_tinh: str, nam: int) -> tuple[dict, list[str]]:
    """The province's consolidated report, with the ranking of districts."""
    year = review.results.year(nam)
    ctx, missing = _report(review, ma_tinh, nam, review.results.tinh, year, "bao_cao_tong_hop")
    ctx["xep_hang"] = ranking(review, nam)
    ctx["cau"]["dan_dau"] = narrative.dan_dau(reporting_rows(year), "đơn vị")
    ctx["cau"]["tham_dinh"] = narrative.tham_dinh(sample_of(review, nam, None), review.cycle.verification)
    ctx["chua_tong_hop"] = ", ".join(sorted(review.excluded_names.values(), key=sort_key))
    return ctx, missing


def _rollup_of(review: Review, ma: str) -> pd.DataFrame:
    r = review.results
    if (r.tinh["ma_don_vi"] == ma).any():
        return r.tinh[r.tinh["ma_don_vi"] == ma]
    return reporting_rows(r.of_unit(ma))


def bao_cao_so_ket(review: Review, ma: str, nam: int) -> tuple[dict, list[str]]:
    """The programme review over several years: target against actual, year by year [002]."""
    cycle = review.cycle
    ctx, missing = frame(review, ma, "bao_cao_so_ket", "BC", False, nam)
    tu_nam = int(cycle.so_ket.tu_nam or min(review.results.years))
    ten = str(cycle.so_ket.ten or CHUONG_TRINH)
    rows = _rollup_of(review, ma)
    rows = rows[(rows["nam"] >= tu_nam) & (rows["nam"] <= nam)].sort_values("nam")
    targets = {int(y): cycle.muc_tieu(int(y)) for y in rows["nam"]}
    t_rated, t_up = cycle.targets.get("ty_le_duoc_xep_loai"), cycle.targets.get("ty_le_nang_bac")
    verdict = lambda v, goal: CHUA_CO_SO_LIEU if pd.isna(v) else ("–" if goal is None else
                                                          dat(float(v) >= goal - 1e-12))
    own = reports_on_itself(review, ma)
    own_rows = review.results.of_unit(ma).co_so.sort_values("nam") if own else None  # its own rows, every year
    muc_tieu, chi_so, prev = [], [], None
    for r in rows.itertuples():
        y = int(r.nam)
        first = y == min(review.results.years)
        unknown = pd.isna(r.so_chi_doan_dan_cu)  # a year none of the unit's branches sent a row
        has = not unknown and r.so_chi_doan_dan_cu > 0
        goal = targets[y]
        muc_tieu.append({
            "nam": str(y), "muc_tieu": "–" if goal is None else goal_cell(goal, TOI_THIEU, True),
            "thuc_hien": f"{so(r.so_chi_doan_dat_chuan)}/{so(r.so_chi_doan_dan_cu)}" if has else BLANK if unknown else "–",
            "ty_le": phan_tram(r.ty_le_dat_chuan) if has else BLANK if unknown else "–",
            "so_voi": BLANK if has and prev is BLANK else "–" if prev is None or not has or pd.isna(prev)
            or not_like_for_like(review, ma, y) else  # not over the same Đoàn cơ sở: no difference
            diem_phan_tram_dau(hieu_ty_le(r.ty_le_dat_chuan, prev)).removesuffix(" điểm phần trăm"),
            "danh_gia": verdict(r.ty_le_dat_chuan, goal) if has or unknown and goal is not None else "–",
            "duoc_xep_loai": phan_tram(r.ty_le_duoc_xep_loai), "dat_xep_loai": verdict(r.ty_le_duoc_xep_loai, t_rated),
            # the first year of data has no year before: movement is not measured
            "nang_bac": "–" if first or pd.isna(r.ty_le_nang_bac) else phan_tram(r.ty_le_nang_bac),
            "dat_nang_bac": "–" if first or pd.isna(r.ty_le_nang_bac) else verdict(r.ty_le_nang_bac, t_up),
            "ha_bac": "–" if first or pd.isna(r.so_ha_bac) else so(r.so_ha_bac),
        })
        prev = r.ty_le_dat_chuan if has else BLANK if unknown else None
        chi_so.append({
            "nam": str(y), "so_co_so": so(r.so_co_so), "so_chi_doan": so(r.so_chi_doan),
            "so_doan_vien": so(r.so_doan_vien), "ket_nap": so(r.so_ket_nap_moi), "dang": so(r.so_gioi_thieu_dang),
            "tap_hop": phan_tram(r.ty_le_tap_hop),
            "ba_chu_dong": dat(bool(r.so_co_so_ba_chu_dong)) if own else
            f"{so(r.so_co_so_ba_chu_dong)}/{so(r.so_co_so)}",
            "mot_cong_mot": phan_tram(r.ty_le_dv_1_1),
        })
    year = (review.results if ma == tinh_code(review) else review.results.of_unit(ma)).year(nam)
    year = replace(year, co_so=qualified(year.co_so, review), chi_doan=qualified(year.chi_doan, review))
    units_below = year.co_so.iloc[:0] if own else year.co_so  # the Đoàn cơ sở the report counts
    now, before = year_rows(rows, nam)
    unlike = unlike_years(review, ma, nam)
    text = _texts(review, ma)
    # One period: the programme's own (giai đoạn 2018–2022, where the cycle names its end), and the
    # years this review covers (2018–2021) said as years.
    span = (f"{so_dem(nam - tu_nam + 1)} năm ({tu_nam}–{nam}) {_programme(review)}"
            if cycle.so_ket.den_nam else f"{ten} giai đoạn {tu_nam}–{nam}")
    ctx |= {
        "tu_nam": tu_nam, "ten_chuong_trinh": ten,
        "trich_yeu": f"Sơ kết {span}", "ky_so_ket": span,
        "mo_dau": cycle.text_for(ma, str(review.results.unit(ma)["cap"])).get("mo_dau") or [
            f"Ban Thường vụ {ctx['don_vi']['ten']} báo cáo sơ kết {span} như sau:"],
        "phu_luc": appendix_rows(comparison(review, ma, nam, rows)),
        "van_ban": text,
        "muc_tieu_nam": muc_tieu, "chi_so_nam": chi_so,
        "xep_loai_nam": own_ratings(own_rows, cycle.scale, tu_nam, nam) if own_rows is not None else [],
        "chi_tieu_xep_loai": {"duoc_xep_loai": "không đặt chỉ tiêu" if t_rated is None else goal_words(t_rated, TOI_THIEU, True),
                              "nang_bac": "không đặt chỉ tiêu" if t_up is None else goal_words(t_up, TOI_THIEU, True)},
        "cau": {"giai_doan": narrative.giai_doan(rows, targets, dict(zip(own_rows["nam"].astype(int), own_rows[
            "ba_chu_dong"].map(lambda v: None if pd.isna(v) else bool(v)))) if own_rows is not None else None,
                                             len(rows) > 1 and not_like_for_like(review, ma, int(rows["nam"].iloc[-1]),
                                                                                   int(rows["nam"].iloc[0]))),
                "dat_chuan": narrative.dat_chuan(now, before, cycle.muc_tieu(nam), nam, unlike)},
        "uu_diem": narrative.uu_diem(now, before, units_below, nam, None if not_like_for_like(review, ma, nam - 1)
                                     else year_rows(rows, nam - 1)[1], any(unlike) and before is not None),
        "han_che": narrative.han_che(year.chi_doan, units_below, cycle.rubric_chi_doan, cycle.muc_tieu(nam)),
        "chi_tieu_qua_nam": targets_by_year(review, ma, tu_nam, nam),  # the other declared targets, by year
        "thanh_vien": members.series(rows, cycle, tu_nam, nam),  # member ratings across years (contract §6.2)
    }
    add_cadres(ctx, review, ma, nam)
    giu_chuan(review, ma, nam, ctx, "so_ket")
    return ctx, missing


def _can_cu_ke_hoach(review: Review) -> list[str]:
    """The programme's plan as a decision cites it, with its number and date (params: so_ket.ke_hoach)."""
    from ..common.vietnamese import ngay_bang

    plan = review.cycle.so_ket.ke_hoach
    if not plan.so:
        return []
    when, issuer = plan.ngay, plan.co_quan
    return [f"Căn cứ Kế hoạch số {plan.so}" + (f" ngày {ngay_bang(when)}" if when else "")
            + (f" của {issuer}" if issuer else "") + f" về {_programme(review)};"]


def _programme(review: Review) -> str:
    """The programme and its period, as the plan names it: "xây dựng … giai đoạn 2018–2022"."""
    ten = str(review.cycle.so_ket.ten or CHUONG_TRINH)
    den = review.cycle.so_ket.den_nam
    tu = int(review.cycle.so_ket.tu_nam or min(review.results.years))
    return f"{ten} giai đoạn {tu}–{den}" if den else ten


def quyet_dinh_cong_nhan(review: Review, ma: str, nam: int) -> tuple[dict, list[str]]:
    """The decision recognising branches up to standard and Đoàn cơ sở "3 chủ động" [001] III,
    with the list of units as its annex.

    A branch is recognised only as contract §6.1 says (`cong_nhan`: up to standard, not failed, not
    awaiting its verification result) [001 III.2 bước 4]. While any branch drawn for verification
    has no result, the decision is a draft: marked «DỰ THẢO», without number or date, and it does
    not cite a verification that has not happened."""
    from ..common.vietnamese import ngay_van_ban
    from ..rules.verification import awaiting, verified

    cycle = review.cycle
    ctx, missing = frame(review, ma, "quyet_dinh_cong_nhan", "QĐ", False, nam, own_recipients=True)
    unit, parent = issuer_and_parent(review, ma)
    spec = cycle.document_specific(ma, str(unit["cap"]), "quyet_dinh_cong_nhan")
    view = review.results if ma == tinh_code(review) else review.results.of_unit(ma)
    year = view.year(nam)
    names = review.results.names()
    wait = awaiting(year.chi_doan, nam)
    draft = not wait.empty
    checked = not draft and not verified(year.chi_doan, nam).empty
    cd = year.chi_doan.loc[year.chi_doan["cong_nhan"].fillna(False).astype(bool), ["ten_don_vi", "ma_co_so"]]
    cd = cd.assign(ten_co_so=cd["ma_co_so"].map(names).fillna(""))
    keys = [(sort_key(c), sort_key(t)) for c, t in zip(cd["ten_co_so"], cd["ten_don_vi"])]
    cd = cd.iloc[sorted(range(len(cd)), key=keys.__getitem__)]
    cs = year.co_so.loc[year.co_so["ba_chu_dong"].fillna(False).astype(bool), ["ten_don_vi", "loai_hinh"]]
    cs = cs.iloc[order_by_name(cs["ten_don_vi"])]
    issuer = ctx["vb"]["co_quan_ban_hanh"]
    body = issuer.removeprefix("BCH ").removeprefix("BAN CHẤP HÀNH ") if issuer != BLANK else ctx["don_vi"]["ten_hoa"]
    parts = []
    if len(cd):
        parts.append(f"{so(len(cd))} chi đoàn trên địa bàn dân cư đạt chuẩn năm {nam}")
    if len(cs):
        parts.append(f"{so(len(cs))} Đoàn cơ sở đạt tiêu chí “3 chủ động” năm {nam}")
    dieu1 = (f"Công nhận {' và '.join(parts)} (có danh sách kèm theo)." if parts else
             f"Năm {nam} không có chi đoàn, Đoàn cơ sở đủ điều kiện công nhận.")
    de_nghi = str(spec.get("de_nghi") or "bộ phận Xây dựng Đoàn")
    ket_qua = f"Căn cứ kết quả đánh giá, xếp loại tổ chức cơ sở Đoàn năm {nam}"
    ket_qua += " và kết quả thẩm định ngẫu nhiên chi đoàn báo cáo đạt chuẩn;" if checked else ";"
    ctx |= {
        # The subject names what the decision recognises (a Đoàn Khối has no residential branch).
        "trich_yeu": "Về việc công nhận " + (
            f"Đoàn cơ sở “3 chủ động” năm {nam}" if len(cs) and not len(cd) else
            f"chi đoàn trên địa bàn dân cư đạt chuẩn năm {nam}" if len(cd) and not len(cs) else
            f"chi đoàn trên địa bàn dân cư đạt chuẩn và Đoàn cơ sở “3 chủ động” năm {nam}"),
        "tham_quyen": str(spec.get("tham_quyen") or f"BAN THƯỜNG VỤ {body}"),
        "can_cu": ["Căn cứ Điều lệ Đoàn TNCS Hồ Chí Minh;",
                   *_can_cu_ke_hoach(review),
                   *cycle.text_for(ma, str(review.results.unit(ma)["cap"])).get("can_cu", []),
                   ket_qua,
                   f"Xét đề nghị của {de_nghi},"],
        "dieu": [dieu1,
                 ("Các Đoàn cơ sở" if len(cs) and not len(cd) else "Các chi đoàn" if len(cd) and not len(cs)
                  else "Các chi đoàn, Đoàn cơ sở")
                 + " được công nhận có trách nhiệm duy trì, giữ vững và nâng cao chất lượng các tiêu chí đã đạt.",
                 "Quyết định có hiệu lực kể từ ngày ký. " +
                 str(spec.get("thi_hanh") or f"Văn phòng, {de_nghi}, Ban Chấp hành các Đoàn cơ sở trực thuộc và các "
                                             f"chi đoàn, Đoàn cơ sở có tên tại Điều 1 căn cứ Quyết định thi hành.")],
        "chi_doan_dat": [{"stt": str(i), "ten": r.ten_don_vi, "co_so": r.ten_co_so or BLANK}
                         for i, r in enumerate(cd.itertuples(), start=1)],
        "co_so_dat": [{"stt": str(i), "ten": r.ten_don_vi,
                       "loai_hinh": loai_hinh(r.loai_hinh)}
                      for i, r in enumerate(cs.itertuples(), start=1)],
        "du_thao": draft,
        "du_thao_ghi_chu": (f"Dự thảo, chờ kết quả thẩm định ngẫu nhiên: {so(len(wait))} chi đoàn được chọn thẩm "
                            f"định chưa có kết quả và chưa có tên trong danh sách kèm theo. Quyết định chỉ ban hành "
                            f"khi có đủ kết quả thẩm định." if draft else ""),
    }
    if draft:  # a draft has no number and no day of issue yet (the year stays, so the line fits)
        day = ngay_van_ban(None) if cycle.ngay_van_ban is None else f"ngày … tháng … năm {cycle.ngay_van_ban.year}"
        ctx["vb"] = ctx["vb"] | {"so": BLANK, "ngay": day}
    ctx["muc"] = {"chi_doan": la_ma(1) if len(cd) else "", "co_so": la_ma(1 + bool(len(cd))) if len(cs) else ""}
    if not ctx["vb"]["noi_nhan"]:
        upper_body = f"Ban Thường vụ {parent['ten_don_vi']} (để báo cáo)" if parent is not None else BLANK
        ctx["vb"]["noi_nhan"] = ["Như Điều 3", upper_body]
    return ctx, missing


def phieu_danh_gia(review: Review, ma_co_so: str, nam: int) -> tuple[dict, list[str]]:
    """One Đoàn cơ sở's assessment sheet (see phieu_danh_gia_tat_ca)."""
    co_so = review.results.co_so
    ma_bao_cao = str(co_so.loc[co_so["ma_don_vi"] == ma_co_so, "ma_bao_cao"].iloc[0])
    return next((ctx, missing) for code, ctx, missing in phieu_danh_gia_tat_ca(review, ma_bao_cao, nam, [ma_co_so]))


def phieu_danh_gia_tat_ca(review: Review, ma_bao_cao: str, nam: int,
                         only: list[str] | None = None) -> list[tuple[str, dict, list[str]]]:
    """The assessment sheet of every Đoàn cơ sở of a reporting unit (a district; or the Đoàn cơ sở
    itself when it reports on its own), in Vietnamese order: its branches against the criteria,
    "3 chủ động", the score sheet, the rating and the reasons; issued by the reporting unit. The
    unit's rows are taken and explained once for all its sheets."""
    from ..rules.rubric import explain

    r = review.results
    year = r.of_unit(ma_bao_cao).year(nam)
    co_so = year.co_so
    if only is not None:
        co_so = co_so[co_so["ma_don_vi"].isin(only)]
    co_so = co_so.iloc[order_by_name(co_so["ten_don_vi"])]
    chi_doan = year.chi_doan
    tree, names = r.tree(), r.names()
    upper_of = lambda code: names.get(tree.at[code, "ma_cap_tren"])
    checks = explain(review.cycle.rubric_co_so, co_so, ("ma_don_vi", "nam"))
    chi_doan = chi_doan[["ma_co_so", *_PHIEU_BRANCH]]  # the columns a sheet reads: a wide table splits slowly
    by_branch = dict(tuple(chi_doan.groupby("ma_co_so"))) if len(chi_doan) else {}
    by_check = dict(tuple(checks.groupby("ma_don_vi"))) if len(checks) else {}
    base, missing = frame(review, ma_bao_cao, "phieu_danh_gia", None, False, nam)
    return [(str(row["ma_don_vi"]),
             _phieu(review, row, by_branch.get(row["ma_don_vi"], chi_doan.iloc[:0]),
                    by_check.get(row["ma_don_vi"], checks.iloc[:0] if len(checks) else checks), dict(base), nam,
                    str(upper_of(row["ma_don_vi"]) or BLANK)),
             missing)
            for _, row in co_so.iterrows()]


def phieu_danh_gia_huyen(review: Review, ma_bao_cao: str, nam: int,
                         only: list[str] | None = None) -> list[tuple[str, dict, list[str]]]:
    """Deprecated name of `phieu_danh_gia_tat_ca` (the reporting unit may be a Đoàn cơ sở)."""
    warnings.warn("phieu_danh_gia_huyen is deprecated: use phieu_danh_gia_tat_ca", DeprecationWarning, stacklevel=2)
    return phieu_danh_gia_tat_ca(review, ma_bao_cao, nam, only)


_PHIEU_BRANCH = ["ten_don_vi", "dat_chuan", "ly_do", "co_so_lieu", "_ap_dung"]  # what a sheet says of each branch
_PHIEU_CHECK = ["tieu_chi", "ten_tieu_chi", "dat_tieu_chi", "chi_so", "gia_tri", "dat_dieu_kien"]  # of each condition


def _phieu(review: Review, row: pd.Series, cd: pd.DataFrame, checks: pd.DataFrame, ctx: dict, nam: int,
           thuoc: str) -> dict:
    cycle = review.cycle
    ma_co_so = str(row["ma_don_vi"])
    scale = cycle.scale
    cd = cd.iloc[order_by_name(cd["ten_don_vi"])]
    branches = []
    # the columns' own values, as itertuples gives them, without a tuple type made per call
    for i, (ten, dat_chuan, ly_do, co_so_lieu, ap_dung) in enumerate(zip(*(cd[c] for c in _PHIEU_BRANCH)), start=1):
        applies = not pd.isna(dat_chuan)
        unsent = not co_so_lieu and bool(ap_dung)  # a residential branch that sent nothing: not "không áp dụng"
        branches.append({"stt": str(i), "ten": ten,
                         "ket_qua": ("Đạt chuẩn" if dat_chuan else "Chưa đạt") if applies else
                         "Chưa gửi số liệu" if unsent else "Không áp dụng",
                         "ly_do": ly_do if (applies or unsent) and isinstance(ly_do, str) and ly_do else "–"})
    has = row["so_chi_doan_dan_cu"] > 0
    goal = cycle.muc_tieu(nam)
    tom_tat = (f"Có {so(row['so_chi_doan_dat_chuan'])}/{so(row['so_chi_doan_dan_cu'])} chi đoàn trên địa bàn dân cư "
               f"đạt chuẩn, tỉ lệ {phan_tram(row['ty_le_dat_chuan'])}"
               + (f"; mục tiêu giai đoạn từ {phan_tram(goal, 0)} trở lên: {dat(bool(row['dat_muc_tieu'])).lower()}"
                  if goal is not None else "") + "." if has else
               f"Có {so(row['_dan_cu_chua_gui'])} chi đoàn trên địa bàn dân cư của đơn vị chưa gửi số liệu năm {nam} nên "
               "chưa đánh giá được tiêu chí chi đoàn đạt chuẩn." if none_sent(row.get("_dan_cu_chua_gui")) else
               "Đơn vị không có chi đoàn trên địa bàn dân cư nên không đánh giá tiêu chí chi đoàn đạt chuẩn.")
    groups: list[dict] = []  # one per criterion, in the order first met, each condition in its order
    by_criterion: dict[Any, dict] = {}
    for key, ten, ket_qua, chi_so, gia_tri, dat_dk in zip(*(checks[c] for c in _PHIEU_CHECK)) if len(checks) else ():
        if pd.isna(key):  # as groupby, which leaves out a blank key
            continue
        if key not in by_criterion:
            groups.append(by_criterion.setdefault(key, {"ten": ten, "ket_qua": ket_qua, "muc": []}))
        by_criterion[key]["muc"].append({"ten": chi_so, "gia_tri": gia_tri, "dat": dat_dk})
    ba = row["ba_chu_dong"]
    sheet_id = row.get("bang_diem") if "bang_diem" in row else None
    bang = None
    if isinstance(sheet_id, str):
        sheet = next(s for s in cycle.score_sheets.values() if s.id == sheet_id)
        items = []
        for g in sheet.groups:
            items.append({"ten": g.label, "toi_da": diem(g.max_points), "diem": item_points(row, g.id),
                          "nhom": True})
            items += [{"ten": it.label, "toi_da": diem(it.max_points), "diem": item_points(row, it.id),
                       "nhom": False} for it in g.items]
        bang = {"ten": sheet.name, "muc": items, "tong": diem(row.get("tong_diem")), "toi_da": diem(sheet.max_points),
                "tren_100": diem(row.get("diem_bang_diem")),
                "thieu": str(row.get("thieu_diem") or "")} | sheet_lines(sheet, row)  # score lines: scoring.py
    xl = row["xep_loai"]
    sections = ["chi_doan", "ba_chu_dong"] + (["bang_diem"] if bang else []) + ["xep_loai"]
    ctx |= {
        "co_so": {"ma": ma_co_so, "ten": row["ten_don_vi"], "ten_hoa": upper(row["ten_don_vi"]),
                  "loai_hinh": loai_hinh(row["loai_hinh"]),
                  "dac_thu": "Có" if bool(pd.notna(row["dac_thu"]) and row["dac_thu"]) else "Không",
                  "huyen": thuoc},
        "muc": {k: la_ma(i) for i, k in enumerate(sections, start=1)},
        "tieu_chi": [{"ma": ten_tieu_chi(c.id), "ten": c.label} for c in cycle.rubric_chi_doan.criteria],
        "chi_doan": branches, "tom_tat_chi_doan": tom_tat,
        "ba_chu_dong": {"nhom": groups,
                        "ket_qua": dat(ba, "Chưa có số liệu"),
                        "ly_do": str(row.get("ly_do_ba_chu_dong") or "")},
        "bang_diem": bang,
        "xep_loai": {"nam_nay": scale.label(xl) if isinstance(xl, str) else "Chưa xếp loại",
                     "nam_truoc": scale.label(row["xep_loai_nam_truoc"]) if isinstance(row["xep_loai_nam_truoc"], str)
                     else "Chưa xếp loại",
                     "bien_dong": bien_dong(row["bien_dong"]),
                     "diem": diem(row["diem"])} | score_lines(row, scale, sheet if bang else None),  # the deciding score and its source
    }
    return ctx


def phu_luc_so_lieu(review: Review, ma: str, nam: int) -> tuple[dict, list[str]]:
    """The data appendix: every indicator N−1, N, ±, %, then every unit below (Đoàn cơ sở of a
    district, districts of the province), with the second signature where asked for."""
    ctx, missing = frame(review, ma, "phu_luc_so_lieu", None, False, nam)
    ctx["phu_luc"] = appendix_rows(comparison(review, ma, nam, _rollup_of(review, ma)))
    ctx["theo_don_vi"] = unit_rows(review, ma, nam)
    ctx["cap_duoi"] = "Đơn vị" if ma == tinh_code(review) else "Đoàn cơ sở"  # (a Đoàn cơ sở: its own row)
    add_cadres(ctx, review, ma, nam)
    giu_chuan(review, ma, nam, ctx, "phu_luc")
    return ctx, missing


def danh_sach_tham_dinh(review: Review, ma: str, nam: int) -> tuple[dict, list[str]]:
    """The random verification list [001]: the branches drawn, by Đoàn cơ sở, with the team's
    result and note where they are in (and any branch verified outside the sample)."""
    ctx, missing = frame(review, ma, "danh_sach_tham_dinh", None, False, nam)
    ctx["tham_dinh"], ctx["cau"] = verification_rows(review, ma, nam)
    return ctx, missing


