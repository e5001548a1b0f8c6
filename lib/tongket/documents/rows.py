"""The tables documents list, one row per unit, target or year, in the words the signer reads:
targets, Đoàn cơ sở, branches, the ranking, units year on year, the verification list."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..assessment.assess import Results
from ..assessment.compare import not_like_for_like
from ..assessment.review import Review, tinh_code
from ..common.frames import narrow
from ..common.ranks import best_first, shared_rank
from ..common.schema import TEN_LOAI_HINH_HOA
from ..common.vietnamese import (
    BLANK,
    CHUA_CO_SO_LIEU,
    chu_thuong,
    dat,
    diem,
    diem_phan_tram_dau,
    hieu_ty_le,
    is_missing,
    order_by_name,
    phan_tram,
    so,
    so_dem,
    sort_key,
    trich_dan,
)
from ..rules.scales import Scale
from ..rules.targets_spec import TOI_THIEU
from ..rules.wording import so_tieu_chi
from .details import sample_of

BIEN_DONG = {"nang_bac": "Nâng bậc", "giu_nguyen": "Giữ nguyên", "ha_bac": "Hạ bậc", "moi": "Mới"}
LOAI_HINH = TEN_LOAI_HINH_HOA  # a kind of unit as a table's cell writes it (declared once in common.schema)


def reporting_rows(results: Results) -> pd.DataFrame:
    """The reporting units' rows of `results` (`Results.bao_cao`, which every Results sets)."""
    rows = results.bao_cao
    if rows is None:
        raise ValueError("Results without the reporting units' rows")
    return rows


def loai_hinh(code: Any) -> str:
    """A unit's kind as a table's cell writes it («Trường học»); an unknown kind is «Khác»."""
    return LOAI_HINH.get(str(code), LOAI_HINH["khac"])


def bien_dong(code: Any) -> str:
    """A rating's movement as a table's cell writes it («Nâng bậc»), «–» where there is none."""
    return BIEN_DONG.get(code, "–") if isinstance(code, str) else "–"


def qualified(co_so: pd.DataFrame, review: Review) -> pd.DataFrame:
    """Đoàn cơ sở whose name repeats in the list (Đoàn phường 4 of two districts) get their
    upper unit's name after it, so that a province-wide sentence names each one unambiguously."""
    from ..assessment.targets import qualify

    return qualify(co_so, review.results)


def target_rows(review: Review, ma: str, nam: int) -> tuple[list[dict[str, str]], list[str]]:
    """The report's targets table (from targets.targets, the one source) and, for each target
    missed, the sentence naming the units that miss it."""
    from ..assessment.targets import targets_of

    rows, missed = [], []
    for i, r in enumerate(targets_of(review, nam, ma).itertuples(), start=1):
        rate = bool(r.ty_le)
        goal = "Tất cả" if r.chi_tieu == "muc_tieu_giai_doan" else goal_cell(r.muc_tieu, r.huong, rate)
        if pd.isna(r.thuc_hien):
            # residential-branch rates are blank only where the unit has none: not applicable;
            # movement is blank only where last year's ratings are missing
            shown, verdict = {"ty_le_dat_chuan": ("–", "Không áp dụng"), "muc_tieu_giai_doan": ("–", "Không áp dụng"),
                              "ty_le_nang_bac": ("không có số liệu năm trước", "Chưa đánh giá"),
                              "so_ha_bac": ("không có số liệu năm trước", "Chưa đánh giá")}.get(
                r.chi_tieu, (CHUA_CO_SO_LIEU, "Chưa đánh giá"))
        else:
            shown = phan_tram(r.thuc_hien) if rate else so(r.thuc_hien)
            verdict = dat(r.dat)
        rows.append({"stt": str(i), "chi_tieu": r.ten_chi_tieu, "muc_tieu": goal, "thuc_hien": shown,
                     "danh_gia": verdict})
        if verdict == dat(False) and r.don_vi_chua_dat:
            missed.append(f"{getattr(r, 'danh_sach', '') or r.ten_chi_tieu}: {r.don_vi_chua_dat}.")
    if ma == tinh_code(review):
        missed += _units_missing_targets(review, nam)
    return rows, missed


def _goal(target: float, rate: bool) -> str:
    """A target's figure: a share with the decimals it has («95%», «75,5%»), or a count."""
    return phan_tram(target, 0 if round(target * 100, 9) == round(target * 100) else 1) if rate else so(target)


def goal_cell(target: float, huong: str, rate: bool) -> str:
    """A target as the table's «Mục tiêu» cell writes it: «≥ 95%», «≤ 3», «Không có» (at most none)."""
    if huong != TOI_THIEU and target == 0:
        return "Không có"
    if huong == TOI_THIEU and rate and target >= 1 - 1e-12:  # every one: a share is never above 100%
        return "100%"
    return f"{'≥' if huong == TOI_THIEU else '≤'} {_goal(target, rate)}"


def goal_words(target: float, huong: str, rate: bool) -> str:
    """A target as a sentence says it: «từ 95% trở lên», «không quá 3», «100%» (not «từ 100% trở lên»)."""
    if huong == TOI_THIEU and rate and target >= 1 - 1e-12:
        return "100%"
    return f"từ {_goal(target, rate)} trở lên" if huong == TOI_THIEU else f"không quá {_goal(target, rate)}"


def _units_missing_targets(review: Review, nam: int) -> list[str]:
    """For the province: the reporting units that miss a target of their own, by target (the
    province may meet a target that some of its districts miss)."""
    from ..assessment.targets import targets_of

    t = targets_of(review, nam)
    order = list(dict.fromkeys(t["chi_tieu"]))
    t = t[(t["ma_don_vi"] != tinh_code(review)) & (t["dat"] == False)]  # noqa: E712 - a nullable verdict
    unique = qualified(reporting_rows(review.results.year(nam)), review).set_index("ma_don_vi")["ten_don_vi"]
    t = t.assign(ten_don_vi=t["ma_don_vi"].map(unique).fillna(t["ten_don_vi"]))  # names shared carry their upper unit
    out = []
    for key in order:
        rows = t[t["chi_tieu"] == key]
        if rows.empty:
            continue
        rate = bool(rows["ty_le"].iloc[0])
        goal = rows["muc_tieu"].iloc[0]
        shown = (lambda v: phan_tram(v)) if rate else (lambda v: so(v))
        names = sorted((f"{n} ({shown(v)})" for n, v in zip(rows["ten_don_vi"], rows["thuc_hien"])), key=sort_key)
        what = ("không có đơn vị hạ bậc" if key == "so_ha_bac" and goal == 0 else
                "tất cả" if key == "muc_tieu_giai_doan" else goal_words(goal, rows["huong"].iloc[0], rate))
        if key == "so_ha_bac":
            names = sorted((f"{n} ({so_dem(v)} đơn vị)" for n, v in zip(rows["ten_don_vi"], rows["thuc_hien"])),
                           key=sort_key)
            out.append(f"Đơn vị có {chu_thuong(rows['ten_chi_tieu'].iloc[0])} "
                       f"(chỉ tiêu: {what}): {'; '.join(names)}.")
            continue
        out.append(f"Đơn vị chưa đạt chỉ tiêu {trich_dan(rows['ten_chi_tieu'].iloc[0])} (chỉ tiêu: {what}): "
                   f"{'; '.join(names)}.")
    return out


def none_sent(n: Any) -> str | None:
    """A Đoàn cơ sở with no residential branch counted whose `n` residential branches all sent no
    row, as its table cell says it (not «–», as for a unit without any); None if none is unsent."""
    return None if is_missing(n) or not n else f"Chưa gửi số liệu ({so(n)})"


def co_so_rows(co_so: pd.DataFrame, review: Review) -> list[dict[str, str]]:
    """One row per Đoàn cơ sở for the report's table (Vietnamese order)."""
    scale = review.cycle.scale
    rows = co_so.iloc[order_by_name(co_so["ten_don_vi"])].reindex(columns=[  # the columns read (a wide frame
        "ten_don_vi", "so_chi_doan_dan_cu", "so_chi_doan_dat_chuan", "ty_le_dat_chuan",  # iterates slowly)
        "dat_muc_tieu", "ba_chu_dong", "xep_loai", "bien_dong", "_dan_cu_chua_gui"]).rename(
        columns={"_dan_cu_chua_gui": "chua_gui"})
    out = []
    for i, r in enumerate(rows.itertuples(), start=1):
        has = r.so_chi_doan_dan_cu > 0
        out.append({
            "stt": str(i), "ten": r.ten_don_vi,
            "so_dan_cu": so(r.so_chi_doan_dan_cu) if has else none_sent(r.chua_gui) or "–",
            "so_dat_chuan": so(r.so_chi_doan_dat_chuan) if has else "–",
            "ty_le": phan_tram(r.ty_le_dat_chuan) if has else "–",
            "dat_muc_tieu": dat(r.dat_muc_tieu) if has else "–",
            "ba_chu_dong": dat(r.ba_chu_dong, "Chưa có số liệu"),
            "xep_loai": scale.level(r.xep_loai).short if isinstance(r.xep_loai, str) else "Chưa",
            "bien_dong": bien_dong(r.bien_dong),
        })
    return out


def chi_doan_rows(chi_doan: pd.DataFrame, review: Review) -> list[dict[str, str]]:
    """One row per branch for the report of a Đoàn cơ sở reporting on its own (Vietnamese order):
    its kind, the criteria it misses, đạt chuẩn (residential branches only) and its rating."""
    scale = review.cycle.scale
    criteria = [c.id for c in review.cycle.rubric_chi_doan.criteria]
    rows = chi_doan.iloc[order_by_name(chi_doan["ten_don_vi"])]
    out = []
    for i, r in enumerate(rows.to_dict("records"), start=1):
        applies = not pd.isna(r["dat_chuan"])
        missed = [c for c in criteria if applies and (pd.isna(r[c]) or not r[c])]  # a blank figure is not met
        out.append({
            "stt": str(i), "ten": r["ten_don_vi"],
            "loai_hinh": loai_hinh(r["loai_hinh"]),
            "chua_dat": "Chưa có số liệu" if not r["co_so_lieu"] else
            ", ".join(so_tieu_chi(c) for c in missed) if missed else "–",
            "dat_chuan": dat(r["dat_chuan"]) if applies else
                         "Chưa gửi số liệu" if not r["co_so_lieu"] and r.get("_ap_dung") else "Không áp dụng",
            "xep_loai": scale.level(r["xep_loai"]).short if isinstance(r["xep_loai"], str) else "Chưa",
        })
    return out


def ranking(review: Review, nam: int) -> list[dict[str, str]]:
    """Reporting units (districts, or Đoàn cơ sở) ranked by the share of residential branches up
    to standard (units tied share a rank, in Vietnamese order; units without residential branches last)."""
    year = review.results.year(nam)
    prev = reporting_rows(review.results.year(nam - 1)).set_index("ma_don_vi")
    h = qualified(reporting_rows(year), review)  # a name two reporting units share carries its upper unit
    h = h.iloc[order_by_name(h["ten_don_vi"])]
    h = h.assign(_r=best_first(h["ty_le_dat_chuan"]))
    h = h.iloc[h["_r"].argsort(kind="stable")]
    shared = shared_rank(h, ["_r"])  # a tie shares its rank
    rows = []
    for i, r in zip(shared, h.itertuples()):
        before = prev["ty_le_dat_chuan"].get(r.ma_don_vi) if r.ma_don_vi in prev.index else None
        # the year before without figures (none of its residential branches sent a row): «……», not «–»
        unknown = r.ma_don_vi in prev.index and pd.isna(prev["so_chi_doan_dan_cu"].get(r.ma_don_vi))
        has = not pd.isna(r.so_chi_doan_dan_cu) and r.so_chi_doan_dan_cu > 0
        delta = hieu_ty_le(r.ty_le_dat_chuan, before) if has and before is not None and not pd.isna(before) else None
        if delta is not None and not_like_for_like(review, str(r.ma_don_vi), nam):
            delta = None  # not over the same Đoàn cơ sở: its report makes no difference either
        rows.append({
            "hang": str(i) if has else "–", "ten": r.ten_don_vi, "so_co_so": so(r.so_co_so),
            "so_dan_cu": so(r.so_chi_doan_dan_cu), "ty_le": phan_tram(r.ty_le_dat_chuan) if has else "–",
            "so_voi": (BLANK if has and unknown else "–") if delta is None else
            diem_phan_tram_dau(delta).removesuffix(" điểm phần trăm"),
            "ba_chu_dong": f"{so(r.so_co_so_ba_chu_dong)}/{so(r.so_co_so)}",
            "duoc_xep_loai": phan_tram(r.ty_le_duoc_xep_loai), "ha_bac": "–" if pd.isna(r.so_ha_bac) else so(r.so_ha_bac),
        })
    return rows


def unit_rows(review: Review, ma: str, nam: int) -> list[dict[str, Any]]:
    """Units one level below `ma`, N−1 against N on residential branches up to standard."""
    r = review.results
    below_reports = ma == tinh_code(review)  # the rows below are reporting units (with their own scope)
    if below_reports:
        below = reporting_rows(r)
        ba = lambda x: f"{so(x.so_co_so_ba_chu_dong)}/{so(x.so_co_so)}"
    else:
        below = r.of_unit(ma).co_so
        ba = lambda x: dat(x.ba_chu_dong, dat(False))
    cols = ["ma_don_vi", "ten_don_vi", "nam", "so_chi_doan_dan_cu", "so_chi_doan_dat_chuan", "ty_le_dat_chuan",
            *(["ba_chu_dong"] if "ba_chu_dong" in below else ["so_co_so_ba_chu_dong", "so_co_so"])]
    below = below[cols]  # the columns read (a wide frame iterates slowly)
    now = qualified(below[below["nam"] == nam], review)  # a name two units share carries its upper unit
    now = now.iloc[order_by_name(now["ten_don_vi"])]
    prev = below[below["nam"] == nam - 1].set_index("ma_don_vi")
    out = []
    for i, x in enumerate(now.itertuples(), start=1):
        known = x.ma_don_vi in prev.index  # the unit has a row the year before
        p: pd.Series = prev.loc[x.ma_don_vi] if known else pd.Series(dtype=object)
        # a year before none of whose branches sent a row: its figures are missing («……»), not «–»
        unknown = known and pd.isna(p["so_chi_doan_dan_cu"])
        now_unknown = pd.isna(x.so_chi_doan_dan_cu)  # (a year asked for whose branches sent nothing)
        has = not now_unknown and x.so_chi_doan_dan_cu > 0
        had = known and not unknown and p["so_chi_doan_dan_cu"] > 0
        delta = hieu_ty_le(x.ty_le_dat_chuan, p["ty_le_dat_chuan"]) if has and had else None
        if delta is not None and below_reports and not_like_for_like(review, str(x.ma_don_vi), nam):
            delta = None  # a reporting unit not over the same Đoàn cơ sở both years: as its own report
        gap = None if had else BLANK if unknown and has else "–"  # what a cell of the year before shows
        out.append({
            "stt": str(i), "ma": x.ma_don_vi, "ten": x.ten_don_vi,
            "dan_cu": so(x.so_chi_doan_dan_cu) if has or now_unknown else "–",
            "dat_truoc": gap or so(p["so_chi_doan_dat_chuan"]),
            "dat_nay": so(x.so_chi_doan_dat_chuan) if has else "–",
            "ty_le_truoc": gap or phan_tram(p["ty_le_dat_chuan"]),
            "ty_le_nay": phan_tram(x.ty_le_dat_chuan) if has else "–",
            "chenh_lech": (gap or "–") if delta is None or pd.isna(delta) else diem_phan_tram_dau(delta).removesuffix(" điểm phần trăm"),
            "ba_chu_dong": ba(x),
            # numbers for the .xlsx appendix
            "_so": {"dan_cu": None if now_unknown else int(x.so_chi_doan_dan_cu), "dat_truoc": None if not had else int(p["so_chi_doan_dat_chuan"]),
                    "dat_nay": int(x.so_chi_doan_dat_chuan) if has else None,
                    "ty_le_truoc": float(p["ty_le_dat_chuan"]) if had else None,
                    "ty_le_nay": float(x.ty_le_dat_chuan) if has else None,
                    "chenh_lech": None if delta is None or pd.isna(delta) else float(delta) * 100},
        })
    return out


_VERIFIED = ["ma_don_vi", "ten_don_vi", "ma_co_so", "ma_huyen", "tham_dinh", "ghi_chu_tham_dinh"]


def verification_rows(review: Review, ma: str, nam: int) -> tuple[list[dict[str, str]], dict[str, str]]:
    """The rows of the verification list (the document and the team's workbook) and its two
    sentences: how the branches were drawn, and where the results stand."""
    from ..rules.verification import CHO_KET_QUA, CHUA_DAT, DAT, TEN_KET_QUA

    is_tinh = ma == tinh_code(review)
    sample = sample_of(review, nam, None if is_tinh else ma)
    view = review.results if is_tinh else review.results.of_unit(ma)
    cd = narrow(view.year(nam).chi_doan, _VERIFIED).set_index("ma_don_vi", drop=False)  # (a wide row is costly to read)
    names = review.results.names()
    drawn = dict(zip(sample["ma_don_vi"], sample.itertuples()))
    outside = cd[cd["tham_dinh"].isin([DAT, CHUA_DAT]) & ~cd["ma_don_vi"].isin(list(drawn))]
    rows = []
    for code in [*drawn, *outside["ma_don_vi"]]:
        r = cd.loc[code]
        co_so_code = r["ma_co_so"] if isinstance(r["ma_co_so"], str) else None
        co_so = str(names.get(co_so_code, "")) if co_so_code else "Chi đoàn trực thuộc"
        huyen = str(names.get(r["ma_huyen"], "")) if isinstance(r["ma_huyen"], str) else ""
        s = drawn.get(code)
        state = r["tham_dinh"] if isinstance(r["tham_dinh"], str) else CHO_KET_QUA
        note = r["ghi_chu_tham_dinh"] if isinstance(r["ghi_chu_tham_dinh"], str) else ""
        rows.append({"ma": code, "ten": r["ten_don_vi"],
                     "co_so": f"{co_so} ({huyen})" if is_tinh and huyen else co_so,
                     "chon": f"{so(s.so_chi_doan_tham_dinh)}/{so(s.so_chi_doan_bao_cao_dat)}" if s else "Thẩm định thêm",
                     "ket_qua": TEN_KET_QUA[state], "ghi_chu": note, "trang_thai": state,
                     "_key": (sort_key(huyen) if is_tinh else (), sort_key(co_so), sort_key(r["ten_don_vi"]))})
    rows.sort(key=lambda x: x.pop("_key"))
    for i, x in enumerate(rows, start=1):
        x["stt"] = str(i)
    settings = review.cycle.verification
    if sample.empty:
        chon = "Không có chi đoàn báo cáo đạt chuẩn cần chọn thẩm định ngẫu nhiên."
    else:
        reported = int(sample.drop_duplicates("ma_co_so")["so_chi_doan_bao_cao_dat"].sum())
        least = settings.minimum
        chon = (f"Chọn ngẫu nhiên {so(len(sample))} chi đoàn trong số {so(reported)} chi đoàn được báo cáo đạt chuẩn "
                f"của {so(sample['ma_co_so'].nunique())} Đoàn cơ sở để thẩm định (mỗi Đoàn cơ sở chọn "
                f"{phan_tram(settings.share, 0)} số chi đoàn báo cáo đạt chuẩn, ít nhất {so_dem(least)} "
                f"chi đoàn); việc chọn ngẫu nhiên có thể kiểm chứng lại (mã lần chọn: {settings.seed}).")
    n = {k: sum(x["trang_thai"] == k for x in rows) for k in (DAT, CHUA_DAT, CHO_KET_QUA)}
    if not rows:
        ket_qua = ""
    elif n[CHO_KET_QUA]:
        ket_qua = (f"Đã có kết quả thẩm định của {so(n[DAT] + n[CHUA_DAT])}/{so(len(rows))} chi đoàn; "
                   f"{so(n[CHO_KET_QUA])} chi đoàn còn chờ kết quả, chỉ được xem xét công nhận khi có kết quả «Đạt». "
                   f"Tổ thẩm định ghi «Đạt» hoặc «Chưa đạt» và ghi chú (nếu có) cho từng chi đoàn chưa có kết quả.")
    else:
        ket_qua = f"Kết quả thẩm định: {so(n[DAT])} chi đoàn đạt, {so(n[CHUA_DAT])} chi đoàn chưa đạt."
    if rows and n[CHUA_DAT]:
        ket_qua += " Chi đoàn thẩm định chưa đạt không được công nhận."
    return rows, {"tham_dinh": chon, "ket_qua_tham_dinh": ket_qua}
def own_ratings(rows: pd.DataFrame, scale: Scale, tu_nam: int, nam: int) -> list[dict[str, str]]:
    """A Đoàn cơ sở's own rating, score, movement and "3 chủ động", year by year (its sơ kết)."""
    rows = rows[rows["nam"].between(tu_nam, nam)]
    return [{"nam": str(int(r.nam)),
             "xep_loai": scale.label(r.xep_loai) if isinstance(r.xep_loai, str) else "Chưa xếp loại",
             "diem": diem(r.diem) if not pd.isna(r.diem) else "–",
             "bien_dong": bien_dong(r.bien_dong),
             "ba_chu_dong": dat(r.ba_chu_dong)}
            for r in rows.itertuples()]


