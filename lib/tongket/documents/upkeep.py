"""What the documents say about registration and upkeep of the standard [001 III], contract §6.4.

One context key, `giu_chuan`: in the year-end reports a numbered section (the registration rate
against its target, registered against achieved, pilot units; the branches that gained, kept and
lost the standard, named per Đoàn cơ sở), in the sơ kết a table across years, and rows of the
appendix. Empty (the section vanishes) where there is neither a registration sheet nor a year
before to compare with. Also the registration list (danh_sach_dang_ky).
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from ..assessment.compare import KHAC_PHAM_VI, appendix_rows, not_like_for_like
from ..assessment.review import Review, reports_on_itself, tinh_code, year_rows
from ..common.frames import narrow, year_row
from ..common.vietnamese import BLANK, is_missing, ngay_van_ban, order_by_name, phan_tram, so, sort_key
from .details import frame
from .rows import qualified, reporting_rows

MUC_TIEU_DANG_KY = 0.9  # at least 90 % of residential branches register [001 III.2 bước 2]


def target(review: Review) -> float:
    """The registration target: the cycle's `targets.ty_le_dang_ky`, else 90 % [001]."""
    goal = review.cycle.targets.get("ty_le_dang_ky")
    return MUC_TIEU_DANG_KY if goal is None else float(goal)


def _view(review: Review, ma: str):
    r = review.results
    return r if ma == tinh_code(review) else r.of_unit(ma)


def _rollup(review: Review, ma: str) -> pd.DataFrame:
    r = review.results
    rows = r.tinh if ma == tinh_code(review) else reporting_rows(r.of_unit(ma))
    return rows[rows["ma_don_vi"] == ma]


def has_registration(review: Review, _ma: str = "", nam: int | None = None) -> bool:
    """Whether the workbook has registrations (for year `nam` where given)."""
    dk = review.data.optional.get("dang_ky")
    if dk is None or dk.empty:
        return False
    return nam is None or bool((dk["nam"] == nam).any())


def _n(v: Any) -> int | None:
    return None if is_missing(v) else int(v)


def _late(review: Review, cd: pd.DataFrame, nam: int) -> tuple[Any, int]:
    """The calendar's date for branches' registration and how many of `cd`'s registered branches
    registered after it (the workbook's check warns of each: intake.registration)."""
    due = review.cycle.lich.han("dang_ky_chi_doan")
    dk = review.data.optional.get("dang_ky")
    if due is None or dk is None or "dang_ky" not in cd:
        return due, 0
    mine = set(cd.loc[cd["dang_ky"].fillna(False).astype(bool), "ma_don_vi"])
    rows = dk[(dk["nam"] == nam).fillna(False).to_numpy(dtype=bool) & dk["ma_don_vi"].isin(mine).to_numpy()
              & (dk["chuong_trinh"] == "chi_doan_dat_chuan").fillna(False).to_numpy(dtype=bool)]
    on = pd.to_datetime(rows["ngay_dang_ky"], errors="coerce")
    return due, sum(1 for d in on if not pd.isna(d) and d.date() > due)


def _registration(now: pd.Series, year, review: Review, nam: int, province: bool) -> list[str]:
    """Registration sentences: rate against target, registered vs achieved, "3 chủ động", pilots."""
    if "so_chi_doan_dang_ky" not in now or is_missing(now["so_chi_doan_dang_ky"]):
        return []
    out = []
    goal = target(review)
    k, n = int(now["so_chi_doan_dang_ky"]), int(now["so_chi_doan_dan_cu"])
    cd = year.chi_doan
    n_resid = int(cd["_ap_dung"].astype(bool).sum())
    if n_resid:
        rate = float(now["ty_le_dang_ky"])
        met = rate >= goal - 1e-12
        gap = "" if met else f" (còn thiếu {so(max(0, math.ceil(goal * n_resid - 1e-9) - k))} chi đoàn)"
        # the base is every residential branch of the year, one that sent no year-end figures too
        # (it registered, or not, at the start of the year): said, beside the standard's own base
        silent = int((cd["_ap_dung"].astype(bool) & ~cd["co_so_lieu"].astype(bool)).sum())
        base = f" (kể cả {so(silent)} chi đoàn chưa gửi số liệu cuối năm)" if silent else ""
        due, late = _late(review, cd, nam)  # registered after the calendar's date: counted, and said
        after = f". Trong số chi đoàn đăng ký, {so(late)} chi đoàn đăng ký sau hạn {ngay_van_ban(due)}" if late else ""
        out.append(f"Đầu năm {nam}, có {so(k)}/{so(n_resid)} chi đoàn trên địa bàn dân cư{base} đăng ký xây dựng chi đoàn "
                   f"đạt chuẩn, tỉ lệ {phan_tram(rate)}; so với chỉ tiêu đăng ký (từ {phan_tram(goal, 0)} trở lên): "
                   f"{'đạt' if met else 'chưa đạt'}{gap}{after}.")
        both, without = _n(now["so_chi_doan_dang_ky_dat_chuan"]), _n(now["so_chi_doan_dat_chuan_khong_dang_ky"])
        text = (f"Cuối năm, {so(both)}/{so(k)} chi đoàn đã đăng ký đạt chuẩn" if k else
                "Không có chi đoàn nào đăng ký")
        if without:
            text += f"; {so(without)} chi đoàn đạt chuẩn dù không đăng ký đầu năm"
        out.append(text + ".")
        # below target: the Đoàn cơ sở of a district, the reporting units of the province
        below = reporting_rows(year) if province else year.co_so
        below = qualified(below, review)  # a name two units share carries its upper unit's
        low = below[(below["so_chi_doan_dan_cu"] > 0) & below["ty_le_dang_ky"].notna()
                    & (below["ty_le_dang_ky"] < goal - 1e-12)]
        if len(low) and n:
            low = low.iloc[order_by_name(low["ten_don_vi"])]
            out.append(f"{'Đơn vị' if province else 'Đoàn cơ sở'} có tỉ lệ chi đoàn đăng ký dưới {phan_tram(goal, 0)}: "
                       + "; ".join(f"{r.ten_don_vi} ({phan_tram(r.ty_le_dang_ky)})"
                                  for r in low[["ten_don_vi", "ty_le_dang_ky"]].itertuples()) + ".")
    m = _n(now.get("so_co_so_dang_ky_ba_chu_dong"))
    if m and reports_on_itself(review, str(now["ma_don_vi"])):  # a Đoàn cơ sở reporting on its own
        achieved = _n(now["so_co_so_dang_ky_dat_ba_chu_dong"])
        out.append(f"Đơn vị đã đăng ký xây dựng Đoàn cơ sở “3 chủ động”; cuối năm {'đạt' if achieved else 'chưa đạt'}.")
    elif m:
        out.append(f"Có {so(m)} Đoàn cơ sở đăng ký xây dựng Đoàn cơ sở “3 chủ động”, cuối năm "
                   f"{so(_n(now['so_co_so_dang_ky_dat_ba_chu_dong']))} đơn vị đạt.")
    pilots = _pilots(year, review.results.names())
    if pilots:
        out.append("Đơn vị làm điểm: " + "; ".join(pilots) + ".")
    return out


def _pilots(year, names: pd.Series) -> list[str]:
    """Pilot units with their result: Đoàn cơ sở ("3 chủ động"), then branches (the standard),
    each with its parent (names repeat across units)."""
    out = []
    cs = year.co_so[year.co_so["lam_diem"].fillna(False).astype(bool)] if "lam_diem" in year.co_so else year.co_so[:0]
    cs = cs[["ten_don_vi", "ba_chu_dong", "ma_huyen"]]  # (a row of a wide table is costly to iterate)
    for r in cs.iloc[order_by_name(cs["ten_don_vi"])].itertuples():
        result = "chưa có số liệu “3 chủ động”" if is_missing(r.ba_chu_dong) else \
            "đạt “3 chủ động”" if bool(r.ba_chu_dong) else "chưa đạt “3 chủ động”"
        out.append(f"{r.ten_don_vi} ({names.get(r.ma_huyen, '') + ', ' if isinstance(r.ma_huyen, str) else ''}{result})")
    cd = year.chi_doan[year.chi_doan["lam_diem"].fillna(False).astype(bool)] if "lam_diem" in year.chi_doan \
        else year.chi_doan[:0]
    cd = cd[["ten_don_vi", "co_so_lieu", "dat_chuan", "ma_co_so"]]
    for r in cd.iloc[order_by_name(cd["ten_don_vi"])].itertuples():
        result = ("chưa gửi số liệu" if not r.co_so_lieu else
                  "đạt chuẩn" if not is_missing(r.dat_chuan) and bool(r.dat_chuan) else "chưa đạt chuẩn")
        parent = names.get(r.ma_co_so, "") if isinstance(r.ma_co_so, str) else ""
        out.append(f"{r.ten_don_vi} ({parent + ', ' if parent else ''}{result})")
    return out


def _lost_names(rows: pd.Series, nam: int, names: pd.Series | None = None) -> str:
    """Lost branches by name, in Vietnamese order, with their Đoàn cơ sở where `names` is given;
    one that sent nothing says so."""
    rows = rows.iloc[order_by_name(rows["ten_don_vi"])]
    if names is not None:  # by Đoàn cơ sở, then by name
        keys = [sort_key(names.get(c, "")) for c in rows["ma_co_so"]]
        rows = rows.iloc[sorted(range(len(rows)), key=keys.__getitem__)]
    out = []
    for r in rows[["ten_don_vi", "ma_co_so", "co_so_lieu"]].itertuples():
        notes = ([names.get(r.ma_co_so, "")] if names is not None and isinstance(r.ma_co_so, str) else []) + \
            ([] if r.co_so_lieu else [f"chưa gửi số liệu năm {nam}"])
        out.append(r.ten_don_vi + (f" ({', '.join(notes)})" if notes else ""))
    return ", ".join(out)


def _moves(move: pd.Series) -> list[str]:
    """"3 chi đoàn mới đạt chuẩn, 5 chi đoàn giữ vững chuẩn" (zero counts left out)."""
    words = (("moi_dat", "mới đạt chuẩn"), ("giu_vung", "giữ vững chuẩn"))
    return [f"{so(int((move == k).sum()))} chi đoàn {w}" for k, w in words if (move == k).any()]


def _unmatched(cd: pd.DataFrame) -> pd.Series:
    """The branches up to standard this year with no result the year before (a new branch, or no
    row that year): neither gained nor kept, so the documents count them on their own and the
    gained, kept and these add up to the branches up to standard."""
    applies = cd["_ap_dung"].astype(bool) if "_ap_dung" in cd else cd["dat_chuan"].notna()
    return applies & cd["dat_chuan"].astype("boolean").fillna(False).astype(bool) & cd["bien_dong_chuan"].isna()


def _unmatched_words(n: int, nam: int) -> str:
    return f"{so(n)} chi đoàn đạt chuẩn chưa có kết quả năm {nam - 1} để so sánh"


_COMPARED = ["ma_co_so", "ten_don_vi", "bien_dong_chuan", "co_so_lieu"]  # what the lines per unit read of a branch


def _per_co_so(cd: pd.DataFrame, names: pd.Series, nam: int) -> list[str]:
    """One line per Đoàn cơ sở with branches compared: gained, kept, and the lost ones by name."""
    out = []
    unmatched = _unmatched(cd)
    compared = cd.loc[(cd["bien_dong_chuan"].notna() | unmatched) & cd["ma_co_so"].notna(), _COMPARED]
    groups = sorted(compared.groupby("ma_co_so"), key=lambda g: sort_key(names.get(g[0], g[0])))
    for code, rows in groups:
        move = rows["bien_dong_chuan"]
        lost = rows[move == "mat_chuan"]
        new = int(unmatched.loc[rows.index].sum())
        parts = _moves(move) + ([_unmatched_words(new, nam)] if new else []) + (
            [f"{so(len(lost))} chi đoàn không giữ được chuẩn: {_lost_names(lost, nam)}"] if len(lost) else [])
        if parts:
            out.append(f"{names.get(code, code)}: " + ", ".join(parts) + ".")
    return out


def _per_district(cd: pd.DataFrame, names: pd.Series, nam: int) -> list[str]:
    """The province: one line per district, its lost branches named per Đoàn cơ sở."""
    out = []
    unmatched = _unmatched(cd)
    compared = cd.loc[(cd["bien_dong_chuan"].notna() | unmatched) & cd["ma_huyen"].notna(), [*_COMPARED, "ma_huyen"]]
    for code, rows in sorted(compared.groupby("ma_huyen"), key=lambda g: sort_key(names.get(g[0], g[0]))):
        move = rows["bien_dong_chuan"]
        lost = rows[move == "mat_chuan"]
        new = int(unmatched.loc[rows.index].sum())
        parts = _moves(move) + ([_unmatched_words(new, nam)] if new else [])
        if len(lost):
            parts.append(f"{so(len(lost))} chi đoàn không giữ được chuẩn, gồm {_lost_names(lost, nam, names)}")
        if parts:
            out.append(f"{names.get(code, code)}: " + ", ".join(parts) + ".")
    return out


def _upkeep(now: pd.Series, year, review: Review, ma: str, nam: int) -> tuple[list[str], list[str]]:
    """The overview sentence and the lines per unit below."""
    if is_missing(now.get("so_chi_doan_mat_chuan")):
        return [], []
    cd = year.chi_doan
    lost = cd[cd["bien_dong_chuan"] == "mat_chuan"]
    unsent = int((~lost["co_so_lieu"].astype(bool)).sum())
    kept, gained, n_lost = (_n(now[k]) for k in ("so_chi_doan_giu_vung", "so_chi_doan_moi_dat", "so_chi_doan_mat_chuan"))
    parts = ([f"{so(kept)} chi đoàn giữ vững chuẩn"] if kept else []) + (
        [f"{so(gained)} chi đoàn mới đạt chuẩn"] if gained else [])
    text = f"So với năm {nam - 1}, " + ("có " + ", ".join(parts) if parts else
                                        "không có chi đoàn nào giữ vững hoặc mới đạt chuẩn")
    text += (f", {so(n_lost)} chi đoàn không giữ được chuẩn" if n_lost else
             "; không có chi đoàn nào không giữ được chuẩn")
    if unsent:
        text += f" (trong đó {so(unsent)} chi đoàn chưa gửi số liệu năm {nam})"
    on_itself = reports_on_itself(review, ma)
    if on_itself and n_lost:  # a Đoàn cơ sở on its own: its lost branches in the sentence
        text += f": {_lost_names(lost, nam)}"
    new = int(_unmatched(cd).sum())
    if new:  # so that gained, kept and these add up to the branches up to standard
        text += f"; {_unmatched_words(new, nam)}"
    if on_itself:
        return [text + "."], []
    names = review.results.names()
    lines = _per_district(cd, names, nam) if ma == tinh_code(review) else _per_co_so(cd, names, nam)
    return [text + "."], lines


# The §6.4 counts over the units that sent figures (the branch-by-branch transitions are each
# branch's own, compared whatever the two years' scope).
_SCOPED = {"so_chi_doan_dang_ky", "ty_le_dang_ky"}


def _appendix(rows: pd.DataFrame, nam: int, start: int, unlike: bool = False) -> list[dict[str, Any]]:
    """Appendix rows for the §6.4 counts (year before, this year), numbered after the others."""
    now, before = year_rows(rows, nam)
    spec = [("so_chi_doan_dang_ky", "Chi đoàn trên địa bàn dân cư đăng ký xây dựng đạt chuẩn", "chi đoàn"),
            ("ty_le_dang_ky", "Tỉ lệ chi đoàn dân cư đăng ký xây dựng đạt chuẩn", "%"),
            ("so_chi_doan_moi_dat", "Chi đoàn mới đạt chuẩn so với năm trước", "chi đoàn"),
            ("so_chi_doan_giu_vung", "Chi đoàn giữ vững chuẩn so với năm trước", "chi đoàn"),
            ("so_chi_doan_mat_chuan", "Chi đoàn không giữ được chuẩn so với năm trước", "chi đoàn")]
    table = []
    for key, name, unit in spec:
        if key not in now or is_missing(now[key]):
            continue
        a = None if before is None or is_missing(before.get(key)) else float(before[key])
        b = float(now[key])
        note = KHAC_PHAM_VI if unlike and a is not None and key in _SCOPED else ""  # as compare.year_on_year
        diff = None if a is None or note else (round(b * 1000) - round(a * 1000)) / 1000 if unit == "%" else b - a
        table.append({"key": key, "chi_tieu": name, "don_vi_tinh": unit, "nam_truoc": a, "nam_nay": b,
                      "chenh_lech": diff, "so_sanh": None if unit == "%" or not a or note else b / a, "ghi_chu": note,
                      "khong_ap_dung": False})
    out = appendix_rows(pd.DataFrame(table)) if table else []
    for i, r in enumerate(out, start=start):
        r["stt"] = str(i)
    return out


def _so_ket_rows(rows: pd.DataFrame, tu_nam: int, nam: int) -> list[dict[str, str]]:
    """The sơ kết table: per year, registration and upkeep counts."""
    out = []
    # a year whose residential branches sent nothing (its count of them is blank, as every table reads
    # it), and the year after it: the upkeep is missing («……»), not «–» (not applicable, as in the
    # first year of the data)
    silent = set(rows.loc[rows["so_chi_doan_dan_cu"].isna(), "nam"].astype(int))
    for r in rows[(rows["nam"] >= tu_nam) & (rows["nam"] <= nam)].sort_values("nam").itertuples():
        d, y = r._asdict(), int(r.nam)
        gap = BLANK if y in silent or y - 1 in silent else "–"
        if is_missing(d.get("so_chi_doan_mat_chuan")) and is_missing(d.get("so_chi_doan_dang_ky")) and gap == "–":
            continue
        reg = d.get("so_chi_doan_dang_ky")
        out.append({"nam": str(y),
                    "dang_ky": "–" if is_missing(reg) else f"{so(reg)} ({phan_tram(d.get('ty_le_dang_ky'))})",
                    **{k: gap if is_missing(d.get(f"so_chi_doan_{k}")) else so(d[f"so_chi_doan_{k}"])
                       for k in ("moi_dat", "giu_vung", "mat_chuan")}})
    return out


def _so_ket_note(cd: pd.DataFrame, table: list[dict[str, str]]) -> str:
    """The sơ kết table's note: in a year whose counts are given, the branches up to standard with no
    result the year before (new, or silent that year) are neither gained nor kept, so the two columns
    add up to fewer than the branches up to standard; said, year by year, where there are any."""
    counted = {int(r["nam"]) for r in table if r["mat_chuan"] not in ("–", BLANK)}
    per_year = cd.loc[_unmatched(cd), "nam"].value_counts()
    said = [f"năm {y} có {so(per_year[y])} chi đoàn" for y in sorted(counted) if per_year.get(y, 0)]
    return ("cột «Mới đạt chuẩn» và «Giữ vững chuẩn» không tính chi đoàn đạt chuẩn chưa có kết quả năm trước "
            f"để so sánh: {', '.join(said)} như vậy.") if said else ""


def giu_chuan(review: Review, ma: str, nam: int, ctx: dict, kind: str) -> None:
    """Fill `ctx["giu_chuan"]` for a document of `kind` (bao_cao, so_ket, phu_luc) and add the
    §6.4 rows to its appendix; falsy (the section vanishes) where there is nothing to say."""
    rows = _rollup(review, ma)
    ctx["giu_chuan"] = {}
    if rows.empty or not (rows["nam"] == nam).any():
        return
    if "phu_luc" in ctx:
        ctx["phu_luc"] = [*ctx["phu_luc"], *_appendix(rows, nam, len(ctx["phu_luc"]) + 1,
                                                      not_like_for_like(review, ma, nam))]
    if kind == "phu_luc":
        return
    if kind == "so_ket":
        tu_nam = int(ctx.get("tu_nam") or min(review.results.years))
        table = _so_ket_rows(rows, tu_nam, nam)
        if table:
            ctx["giu_chuan"] = {"nam": table, "co_dang_ky": any(r["dang_ky"] != "–" for r in table),
                                "ghi_chu": _so_ket_note(_view(review, ma).chi_doan, table)}
        return
    now = year_row(rows, nam)  # there is one (above)
    assert now is not None
    year = _view(review, ma).year(nam)
    dang_ky = _registration(now, year, review, nam, ma == tinh_code(review))
    cau, theo_don_vi = _upkeep(now, year, review, ma, nam)
    if dang_ky or cau:
        ctx["giu_chuan"] = {"dang_ky": dang_ky, "cau": cau, "theo_don_vi": theo_don_vi}


def danh_sach_dang_ky(review: Review, ma: str, nam: int) -> tuple[dict, list[str]]:
    """The registration list [001 III]: per Đoàn cơ sở, its branches registered for the standard,
    then the Đoàn cơ sở registered for "3 chủ động"; pilot units marked."""
    ctx, missing = frame(review, ma, "danh_sach_dang_ky", None, False, nam)
    year = _view(review, ma).year(nam)
    names = review.results.names()
    dk = review.data.optional.get("dang_ky")
    dates = {} if dk is None else {(str(r.ma_don_vi), int(r.nam)): r.ngay_dang_ky
                                   for r in dk.dropna(subset=["ma_don_vi", "nam"]).itertuples()}
    when = lambda code: _date(dates.get((code, nam)))
    cd = _registered(year.chi_doan, "dang_ky", ["ma_don_vi", "ten_don_vi", "ma_co_so", "ma_huyen", "lam_diem"])
    province = ma == tinh_code(review)
    upper = lambda codes: codes.map(names).fillna("")
    # names repeat across districts: the province's list says where each unit sits
    cd = cd.assign(ten_co_so=upper(cd["ma_co_so"]) + ((", " + upper(cd["ma_huyen"])) if province else ""))
    cd["ten_co_so"] = cd["ten_co_so"].str.strip(", ")
    keys = [(sort_key(c), sort_key(t)) for c, t in zip(cd["ten_co_so"], cd["ten_don_vi"])]
    cd = cd.iloc[sorted(range(len(cd)), key=keys.__getitem__)]
    cs = _registered(year.co_so, "dang_ky_ba_chu_dong", ["ma_don_vi", "ten_don_vi", "ma_huyen", "lam_diem"])
    cs = cs.iloc[order_by_name(cs["ten_don_vi"])]
    now = _rollup(review, ma)
    now = now[now["nam"] == nam]
    row = now.iloc[0] if len(now) else None
    n_resid = int(year.chi_doan["_ap_dung"].astype(bool).sum())
    ctx |= {
        "chi_doan_dang_ky": [{"stt": str(i), "ten": r.ten_don_vi, "co_so": r.ten_co_so or "–",
                              "lam_diem": "Làm điểm" if bool(r.lam_diem) else "", "ngay": when(r.ma_don_vi)}
                             for i, r in enumerate(cd.itertuples(), start=1)],
        "co_so_dang_ky": [{"stt": str(i), "ten": r.ten_don_vi, "thuoc": names.get(r.ma_huyen, "") or "–",
                           "lam_diem": "Làm điểm" if bool(r.lam_diem) else "",
                           "ngay": when(r.ma_don_vi)} for i, r in enumerate(cs.itertuples(), start=1)],
        "cau": {"dang_ky": (f"Có {so(len(cd))}/{so(n_resid)} chi đoàn trên địa bàn dân cư đăng ký xây dựng chi đoàn "
                            f"đạt chuẩn năm {nam}, tỉ lệ {phan_tram(row['ty_le_dang_ky'])} (chỉ tiêu từ "
                            f"{phan_tram(target(review), 0)} trở lên)" if n_resid and row is not None and
                            not is_missing(row.get("ty_le_dang_ky")) else
                            f"Năm {nam} không có chi đoàn trên địa bàn dân cư đăng ký")
                + (f"; {so(len(cs))} Đoàn cơ sở đăng ký xây dựng Đoàn cơ sở “3 chủ động”." if len(cs) else ".")},
    }
    return ctx, missing


def _registered(rows: pd.DataFrame, flag: str, cols: list[str]) -> pd.DataFrame:
    """The rows whose `flag` is set (none without the column), with the columns the list prints
    (`narrow`)."""
    picked = narrow(rows, cols)
    return picked[rows[flag].fillna(False).astype(bool)] if flag in rows else picked[:0]


def _date(d: Any) -> str:
    from ..common.vietnamese import ngay_bang

    return "" if d is None or is_missing(d) else ngay_bang(d)


def applies(review: Review, _ma: str, nam: int) -> bool:
    """The registration list is issued only when the workbook has registrations for the year."""
    return has_registration(review, _ma, nam)
