"""Words from numbers: the Vietnamese sentences a report states about results, targets and the
year before. Every function takes result rows and returns plain text (escaped at render time)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..assessment.compare import KHAC_PHAM_VI
from ..common.vietnamese import (
    BLANK,
    chu_thuong,
    diem,
    diem_phan_tram,
    hieu_ty_le,
    is_missing,
    phan_tram,
    so,
    so_dem,
    sort_key,
    trich_dan,
)
from ..rules.rubric import Rubric
from ..rules.scales import Scale
from ..rules.settings import Verification
from ..rules.wording import ten_tieu_chi
from . import periods


def _hieu(now: Any, before: Any) -> float:
    """The difference of two rates as printed (hieu_ty_le), of two rates the caller knows are there."""
    d = hieu_ty_le(now, before)
    if d is None:
        raise ValueError(f"no difference of the rates {now!r} and {before!r}")
    return d


def khong_so_sanh(nam_truoc: int) -> str:
    """Where the two years' totals are not over the same Đoàn cơ sở (compare.unlike_scope): no rise
    nor fall is said of them (`pham_vi` names the units once)."""
    return f"không so sánh với năm {nam_truoc} ({KHAC_PHAM_VI})"


def pham_vi(unlike: tuple[list[str], list[str]], nam: int) -> str:
    """The sentence naming the Đoàn cơ sở with figures in only one of the two years: «Số liệu năm
    2020 thiếu Đoàn xã A (năm 2021 có); các số liệu so với năm 2020 không cùng phạm vi nên không so sánh.»"""
    none_before, none_now = unlike
    if not none_before and not none_now:
        return ""
    parts = ([f"số liệu năm {nam - 1} thiếu {ds(none_before)} (năm {nam} có)"] if none_before else []) + \
        ([f"số liệu năm {nam} thiếu {ds(none_now)} (năm {nam - 1} có)"] if none_now else [])
    text = "; ".join(parts)
    return f"{text[:1].upper()}{text[1:]}; các số liệu so với năm {nam - 1} {KHAC_PHAM_VI} nên không so sánh."


def so_voi_rate(now: Any, before: Any, nam_truoc: int, unlike: bool = False) -> str:
    """ "tăng 5,2 điểm phần trăm so với năm 2020" for two rates (`unlike`: not over the same units)."""
    if is_missing(now):  # this year's figure is the one missing: say nothing of last year's
        return f"chưa so sánh được với năm {nam_truoc}"
    if is_missing(before):
        return f"năm {nam_truoc} chưa có số liệu để so sánh"
    if unlike:
        return khong_so_sanh(nam_truoc)
    d = _hieu(now, before)  # the difference of the printed rates
    if abs(d) < 0.0005:
        return f"bằng năm {nam_truoc}"
    return f"{'tăng' if d > 0 else 'giảm'} {diem_phan_tram(d)} so với năm {nam_truoc}"


def so_voi_count(now: Any, before: Any, nam_truoc: int, unit: str = "", unlike: bool = False) -> str:
    """ "tăng 33 đoàn viên (3,5%) so với năm 2020"; small counts as "tăng 4 đơn vị (từ 5 lên 9)"
    (`unlike`: not over the same units)."""
    if is_missing(now):  # this year's figure is the one missing: say nothing of last year's
        return f"chưa so sánh được với năm {nam_truoc}"
    if is_missing(before):
        return f"năm {nam_truoc} chưa có số liệu để so sánh"
    if unlike:
        return khong_so_sanh(nam_truoc)
    a, b = int(before), int(now)
    d = b - a
    if d == 0:
        return f"bằng năm {nam_truoc}"
    unit = f" {unit}" if unit else ""
    extra = f" ({phan_tram(abs(d) / a)})" if a >= 20 else f" (từ {so(a)} lên {so(b)})" if d > 0 else \
        f" (từ {so(a)} xuống {so(b)})"
    return f"{'tăng' if d > 0 else 'giảm'} {so(abs(d))}{unit}{extra} so với năm {nam_truoc}"


def ds(names: list[str], limit: int = 12) -> str:
    """A list of unit names in Vietnamese order, shortened past `limit`."""
    names = sorted(names, key=sort_key)
    if len(names) > limit:
        return ", ".join(names[:limit]) + f" và {len(names) - limit} đơn vị khác"
    return ", ".join(names)


def dat_chuan(now: pd.Series, before: pd.Series | None, muc_tieu: float | None, nam: int,
              unlike: tuple[list[str], list[str]] = ([], [])) -> str:
    """The residential-branch sentence, against the phase target and the year before; `unlike`:
    the Đoàn cơ sở with figures in only one of the two years, named here, the report's first
    comparison (compare.unlike_years)."""
    scope = pham_vi(unlike, nam) if before is not None else ""
    n, k = int(now["so_chi_doan_dan_cu"]), int(now["so_chi_doan_dat_chuan"])
    if n == 0:
        return "Đơn vị không có chi đoàn trên địa bàn dân cư nên không đánh giá tiêu chí chi đoàn đạt chuẩn." + \
            (f" {scope}" if scope else "")
    text = (f"Năm {nam}, có {so(k)}/{so(n)} chi đoàn trên địa bàn dân cư đạt chuẩn, tỉ lệ "
            f"{phan_tram(now['ty_le_dat_chuan'])}, "
            f"{so_voi_rate(now['ty_le_dat_chuan'], None if before is None else before['ty_le_dat_chuan'], nam - 1, bool(scope))}")
    if muc_tieu is not None:
        met = float(now["ty_le_dat_chuan"]) >= muc_tieu - 1e-12
        gap = "" if met else f" (còn thiếu {diem_phan_tram(muc_tieu - float(now['ty_le_dat_chuan']))})"
        text += f"; so với mục tiêu giai đoạn (từ {phan_tram(muc_tieu, 0)} trở lên): {'đạt' if met else 'chưa đạt'}{gap}"
    return text + "." + (f" {scope}" if scope else "")


def co_so_muc_tieu(co_so: pd.DataFrame, muc_tieu: float | None) -> str:
    """Which Đoàn cơ sở reach the phase target and which do not."""
    rows = co_so[co_so["so_chi_doan_dan_cu"] > 0]
    if muc_tieu is None or rows.empty:
        return ""
    ok = rows[rows["dat_muc_tieu"].fillna(False).astype(bool)]
    miss = rows[~rows["dat_muc_tieu"].fillna(False).astype(bool)]
    text = (f"Có {so(len(ok))}/{so(len(rows))} Đoàn cơ sở đạt mục tiêu từ {phan_tram(muc_tieu, 0)} chi đoàn "
            f"trên địa bàn dân cư đạt chuẩn trở lên")
    if len(miss):
        text += f"; chưa đạt: {ds(miss['ten_don_vi'].tolist())}"
    return text + "."


def ba_chu_dong(now: pd.Series, before: pd.Series | None, nam: int, unlike: bool = False) -> str:
    """The "3 chủ động" sentence."""
    n, k = int(now["so_co_so"]), int(now["so_co_so_ba_chu_dong"])
    prev = None if before is None else int(before["so_co_so_ba_chu_dong"])
    return (f"Có {so(k)}/{so(n)} Đoàn cơ sở đạt tiêu chí “3 chủ động”, tỉ lệ {phan_tram(k / n if n else None)}, "
            f"{so_voi_count(k, prev, nam - 1, 'đơn vị', unlike)}.")


def xep_loai(now: pd.Series, co_so: pd.DataFrame, scale: Scale, targets: dict[str, float], nam: int,
             emulation: Scale | None = None) -> list[str]:
    """Rating sentences: how many rated, the distribution, moved up, moved down (on the emulation
    ladder where the cycle names one)."""
    n = int(now["so_co_so"])
    rated = n - int(now["so_chua_xep_loai"])
    counts = [(int(now[f"so_{lv.code}"]), lv.label.lower()) for lv in scale.levels]
    parts = [f"{so_dem(k)} {label}" for k, label in counts if k]
    none = [label for k, label in counts if not k]
    t_rated = targets.get("ty_le_duoc_xep_loai")
    out = [f"Đã đánh giá, xếp loại {so(rated)}/{so(n)} Đoàn cơ sở, tỉ lệ {phan_tram(now['ty_le_duoc_xep_loai'])}"
           + (f" (chỉ tiêu từ {phan_tram(t_rated, 0)} trở lên: {'đạt' if now['ty_le_duoc_xep_loai'] >= t_rated else 'chưa đạt'})"
              if t_rated is not None and not is_missing(now['ty_le_duoc_xep_loai']) else "")
           + (f"; trong đó {', '.join(parts)}" if parts else "")
           + (f"; không có Đoàn cơ sở xếp loại {' hoặc '.join(trich_dan(x) for x in none)}" if none and parts else "")
           + "."]
    up = co_so[co_so["bien_dong"] == "nang_bac"]
    t_up = targets.get("ty_le_nang_bac")
    if (unknown := periods.chua_so_sanh(co_so, scale, nam)) is not None:  # across a change of scale
        return [*out, unknown]
    if is_missing(now["ty_le_nang_bac"]) or co_so["xep_loai_nam_truoc"].isna().all():
        out.append(f"Chưa đánh giá được việc nâng bậc, hạ bậc xếp loại: không có số liệu năm trước "
                   f"(năm {nam - 1}).")
        return out
    out.append(f"Có {so(len(up))} Đoàn cơ sở nâng bậc xếp loại so với năm {nam - 1}, tỉ lệ "
               f"{phan_tram(now['ty_le_nang_bac'])}"
               + (f" (chỉ tiêu từ {phan_tram(t_up, 0)} trở lên: {'đạt' if now['ty_le_nang_bac'] >= t_up else 'chưa đạt'})"
                  if t_up is not None and not is_missing(now['ty_le_nang_bac']) else "") + ".")
    out.append(periods.ha_bac(co_so, scale, nam, emulation))
    return out


def tap_hop(now: pd.Series, before: pd.Series | None, nam: int, unlike: bool = False) -> list[str]:
    """Gathering rate, "1+1", new members and members introduced to the Party."""
    b = before if before is not None else {}
    return [
        f"Tỉ lệ tập hợp thanh niên đạt {phan_tram(now['ty_le_tap_hop'])}, "
        f"{so_voi_rate(now['ty_le_tap_hop'], b.get('ty_le_tap_hop'), nam - 1, unlike)}.",
        f"Có {phan_tram(now['ty_le_dv_1_1'])} đoàn viên giới thiệu ít nhất một thanh niên theo chủ trương “1+1”, "
        f"thu hút {so(now['so_thanh_nien_1_1'])} thanh niên vào tổ chức Đoàn, Hội.",
        f"Kết nạp {so(now['so_ket_nap_moi'])} đoàn viên mới, "
        f"{so_voi_count(now['so_ket_nap_moi'], b.get('so_ket_nap_moi'), nam - 1, 'đoàn viên', unlike)}; giới thiệu "
        f"{so(now['so_gioi_thieu_dang'])} đoàn viên ưu tú cho Đảng xem xét kết nạp.",
    ]


def tieu_chi_yeu(chi_doan: pd.DataFrame, rubric: Rubric) -> list[tuple[str, float]]:
    """Criteria by the share of assessed branches failing them, weakest first."""
    assessed = chi_doan[chi_doan[rubric.result].notna()]
    if assessed.empty:
        return []
    shares = [(f"{ten_tieu_chi(c.id)} ({chu_thuong(c.label)})", float((~assessed[c.id].astype(bool)).mean()))
              for c in rubric.criteria]
    return sorted(shares, key=lambda x: -x[1])


def han_che(chi_doan: pd.DataFrame, co_so: pd.DataFrame, rubric: Rubric, muc_tieu: float | None) -> list[str]:
    """Shortcomings: the most failed criteria first, then units below target or not rated."""
    out = []
    weak = [w for w in tieu_chi_yeu(chi_doan, rubric) if w[1] > 0][:2]
    if weak:
        out.append("Tiêu chí có nhiều chi đoàn chưa đạt nhất: " +
                   "; ".join(f"{name}: {phan_tram(share)} chi đoàn chưa đạt" for name, share in weak) + ".")
    rows = co_so[co_so["so_chi_doan_dan_cu"] > 0]
    miss = rows[~rows["dat_muc_tieu"].fillna(False).astype(bool)]
    if muc_tieu is not None and len(miss):
        out.append(f"Còn {so(len(miss))} Đoàn cơ sở chưa đạt mục tiêu {phan_tram(muc_tieu, 0)} chi đoàn đạt chuẩn.")
    no_rating = co_so[co_so["xep_loai"].isna()]
    if len(no_rating):
        out.append(f"Còn {so(len(no_rating))} Đoàn cơ sở chưa được đánh giá, xếp loại: "
                   f"{ds(no_rating['ten_don_vi'].tolist())}.")
    missing = chi_doan[~chi_doan["co_so_lieu"].astype(bool)]
    if len(missing):
        out.append(f"Còn {so(len(missing))} chi đoàn chưa gửi số liệu: {ds(missing['ten_don_vi'].tolist(), 6)}.")
    return out or ["Không có hạn chế nổi bật theo số liệu."]


def xu_huong(now: Any, before: Any, earlier: Any, nam: int) -> str:
    """A rate's rise this year in words true for the series shown: "tiếp tục tăng" only after a
    rise the year before; after a fall, the fall is named ("tăng … (năm 2020 giảm …)")."""
    d = hieu_ty_le(now, before)
    if d is None or d <= 0:
        return ""
    prior = None if is_missing(earlier) else hieu_ty_le(before, earlier)
    if prior is not None and prior > 0:
        return f"tiếp tục tăng, tăng {diem_phan_tram(d)} so với năm {nam - 1}"
    text = f"tăng {diem_phan_tram(d)} so với năm {nam - 1}"
    if prior is not None and prior < 0:
        text += f" (năm {nam - 1} giảm {diem_phan_tram(prior)} so với năm {nam - 2})"
    elif prior is not None:
        text += f" (năm {nam - 1} bằng năm {nam - 2})"
    return text


def uu_diem(now: pd.Series, before: pd.Series | None, co_so: pd.DataFrame, nam: int,
            earlier: pd.Series | None = None, unlike: bool = False) -> list[str]:
    """Achievements: progress on the rate (trend words from the series: `earlier` is the year
    before `before`), the leading units, units moving up. Where the two years' totals are not over
    the same Đoàn cơ sở (`unlike`), no rise of a total is an achievement."""
    out = []
    if unlike:
        before = None
    if before is not None and not is_missing(now["ty_le_dat_chuan"]) and not is_missing(before["ty_le_dat_chuan"]):
        trend = xu_huong(now["ty_le_dat_chuan"], before["ty_le_dat_chuan"],
                         None if earlier is None else earlier.get("ty_le_dat_chuan"), nam)
        if trend:
            out.append(f"Tỉ lệ chi đoàn trên địa bàn dân cư đạt chuẩn {trend}.")
    full = co_so[(co_so["so_chi_doan_dan_cu"] > 0) & (co_so["ty_le_dat_chuan"] >= 1)]
    if len(full):
        out.append(f"Có {so(len(full))} Đoàn cơ sở có 100% chi đoàn trên địa bàn dân cư đạt chuẩn: "
                   f"{ds(full['ten_don_vi'].tolist())}.")
    up = co_so[co_so["bien_dong"] == "nang_bac"]
    if len(up):
        out.append(f"Có {so(len(up))} Đoàn cơ sở nâng bậc xếp loại: {ds(up['ten_don_vi'].tolist())}.")
    if out:
        return out
    # Nothing above: say what did improve, never "maintained" when the main rate fell.
    if unlike:
        return [f"Chưa so sánh được với năm {nam - 1}: số liệu hai năm {KHAC_PHAM_VI}."]
    b = before if before is not None else {}
    for key, what in (("ty_le_tap_hop", "Tỉ lệ tập hợp thanh niên"), ("ty_le_dv_1_1", "Tỉ lệ đoàn viên thực hiện “1+1”")):
        if not is_missing(now.get(key)) and not is_missing(b.get(key)) and _hieu(now[key], b[key]) > 0:
            out.append(f"{what} {so_voi_rate(now[key], b[key], nam - 1)}.")
    if not is_missing(now.get("so_doan_vien")) and not is_missing(b.get("so_doan_vien")) \
            and now["so_doan_vien"] > b["so_doan_vien"]:
        out.append(f"Số đoàn viên {so_voi_count(now['so_doan_vien'], b['so_doan_vien'], nam - 1, 'đoàn viên')}.")
    return out or ["Chưa có chỉ số nào tăng so với năm trước theo số liệu."]


def dac_thu(co_so: pd.DataFrame, scale: Scale, nam: int) -> str:
    """Special or struggling units [003]: how many, their ratings, recognised progress."""
    special = co_so[co_so["dac_thu"].fillna(False).astype(bool)]
    if special.empty:
        return "Không có Đoàn cơ sở đặc thù, khó khăn."
    up = special[special["bien_dong"] == "nang_bac"]
    rated = special["xep_loai"].dropna()
    parts = ", ".join(f"{so(int((rated == c).sum()))} {scale.label(c).lower()}" for c in scale.codes
                      if (rated == c).any())
    text = (f"Có {so(len(special))} Đoàn cơ sở đặc thù, khó khăn được theo dõi bằng bảng điểm riêng và tổ công tác "
            f"phụ trách; năm {nam} xếp loại: {parts or 'chưa xếp loại'}")
    if len(up):
        text += f"; công nhận tiến bộ (nâng bậc): {ds(up['ten_don_vi'].tolist())}"
    return text + "."


def mot_co_so(row: pd.Series, scale: Scale, nam: int) -> dict[str, Any]:
    """The sentences of a Đoàn cơ sở's own report (cap_bao_cao: co_so), about itself where a
    district's report counts its Đoàn cơ sở ("Có 1/1 Đoàn cơ sở …" would read wrongly)."""
    ten = str(row["ten_don_vi"])
    ba = row["ba_chu_dong"]
    if is_missing(ba):
        ba_chu_dong = f"Năm {nam}, {ten} chưa có số liệu tự đánh giá tiêu chí “3 chủ động”."
    elif ba:
        ba_chu_dong = f"Năm {nam}, {ten} đạt tiêu chí “3 chủ động” (đạt cả 3 nhóm nội dung)."
    else:
        why = str(row.get("ly_do_ba_chu_dong") or "").strip().rstrip(".")
        ba_chu_dong = f"Năm {nam}, {ten} chưa đạt tiêu chí “3 chủ động”" + (f": {why}." if why else ".")
    code, before = row["xep_loai"], row["xep_loai_nam_truoc"]
    if isinstance(code, str):
        score = "" if is_missing(row.get("diem")) else f" ({diem(row['diem'])} điểm)"
        prev = trich_dan(scale.label(before)) if isinstance(before, str) else ""
        move = {"nang_bac": f", nâng bậc so với năm {nam - 1} ({prev})",
                "ha_bac": f", hạ bậc so với năm {nam - 1} ({prev})",
                "giu_nguyen": f", giữ nguyên mức xếp loại năm {nam - 1}",
                "moi": f"; năm {nam - 1} chưa được xếp loại"}.get(str(row["bien_dong"]), "")
        xep_loai = [f"Năm {nam}, {ten} được xếp loại {trich_dan(scale.label(code))}{score}{move}."]
    else:
        xep_loai = [f"Năm {nam}, {ten} chưa được đánh giá, xếp loại."]
    special = bool(not is_missing(row["dac_thu"]) and row["dac_thu"])
    return {
        "co_so_muc_tieu": "",  # the branch sentence already measures the unit against the phase target
        "ba_chu_dong": ba_chu_dong,
        "xep_loai": xep_loai,
        "dac_thu": (f"{ten} là đơn vị đặc thù, khó khăn, được theo dõi bằng bảng điểm riêng và tổ công tác "
                    f"phụ trách." if special else ""),
    }


def tham_dinh(sample: pd.DataFrame, settings: Verification) -> str:
    """The random verification sample [001], with the seed so anyone can redraw it."""
    if sample.empty:
        return "Không có chi đoàn đạt chuẩn cần thẩm định."
    return (f"Chọn ngẫu nhiên {so_dem(len(sample))} chi đoàn trong số các chi đoàn được báo cáo đạt chuẩn của "
            f"{so_dem(sample['ma_co_so'].nunique())} Đoàn cơ sở để thẩm định (tỉ lệ {phan_tram(settings.share, 0)}, "
            f"tối thiểu {so_dem(settings.minimum)} chi đoàn mỗi Đoàn cơ sở){DANH_SACH_KEM_THEO}.")


DANH_SACH_KEM_THEO = "; có danh sách kèm theo"


def dan_dau(units: pd.DataFrame, what: str, limit: int = 3) -> str:
    """The best and the weakest units on the share of residential branches up to standard:
    "Dẫn đầu: A (100,0%), B (95,0%); thấp nhất: C (50,0%)." Every unit tied at an edge is named
    (five at 100% are five leaders, not the first three by name), in Vietnamese order."""
    from ..common.ranks import best_and_lowest, best_first, shared_rank

    rows = units.loc[(units["so_chi_doan_dan_cu"] > 0) & units["ty_le_dat_chuan"].notna(), ["ten_don_vi", "ty_le_dat_chuan"]]
    if len(rows) < 2:
        return ""
    rate = rows["ty_le_dat_chuan"].astype(float)
    rows = rows.assign(_k=rows["ten_don_vi"].map(sort_key), _r=best_first(rate)).sort_values(["_r", "_k"])
    best, bottom = best_and_lowest(shared_rank(rows, ["_r"]), limit, 1)
    if not best.any():
        return f"Các {what} có cùng tỉ lệ chi đoàn trên địa bàn dân cư đạt chuẩn ({phan_tram(rate.min())})."
    show = lambda f: ", ".join(f"{r.ten_don_vi} ({phan_tram(r.ty_le_dat_chuan)})" for r in f.itertuples())
    return f"Dẫn đầu về tỉ lệ chi đoàn đạt chuẩn: {show(rows[best])}; thấp nhất: {show(rows[bottom])}."


def giai_doan(rows: pd.DataFrame, targets: dict[int, float | None],
              own: dict[int, bool | None] | None = None, unlike: bool = False) -> list[str]:
    """Sentences of a sơ kết over the period [002]: the rate from the first year to the last,
    the years that met the phase target, members, the Party, "3 chủ động", gathering rate. `own`:
    a Đoàn cơ sở reporting on its own, with its "3 chủ động" verdict by year; `unlike`: the first
    and last years not over the same Đoàn cơ sở, so no change between them is said."""
    rows = rows.sort_values("nam")
    first, last = rows.iloc[0], rows.iloc[-1]
    y0, y1 = int(first["nam"]), int(last["nam"])
    out = []
    if unlike and not is_missing(last["ty_le_dat_chuan"]) and not is_missing(first["ty_le_dat_chuan"]):
        out.append(f"Tỉ lệ chi đoàn trên địa bàn dân cư đạt chuẩn năm {y0} là {phan_tram(first['ty_le_dat_chuan'])}, "
                   f"năm {y1} là {phan_tram(last['ty_le_dat_chuan'])} (số liệu hai năm {KHAC_PHAM_VI} nên không so sánh).")
    elif not is_missing(last["ty_le_dat_chuan"]) and not is_missing(first["ty_le_dat_chuan"]):
        d = _hieu(last["ty_le_dat_chuan"], first["ty_le_dat_chuan"])
        change = ("không đổi" if abs(d) < 0.0005 else
                  f"{'tăng' if d > 0 else 'giảm'} {diem_phan_tram(d)}")
        out.append(f"Tỉ lệ chi đoàn trên địa bàn dân cư đạt chuẩn từ {phan_tram(first['ty_le_dat_chuan'])} "
                   f"(năm {y0}) lên {phan_tram(last['ty_le_dat_chuan'])} (năm {y1}), {change} sau "
                   f"{y1 - y0} năm." if d > 0 else
                   f"Tỉ lệ chi đoàn trên địa bàn dân cư đạt chuẩn năm {y0} là {phan_tram(first['ty_le_dat_chuan'])}, "
                   f"năm {y1} là {phan_tram(last['ty_le_dat_chuan'])}, {change}.")
    met: list[str] = []
    missed: list[str] = []
    unknown: list[str] = []  # years whose residential branches sent nothing: said, never left out silently
    for r in rows[["nam", "so_chi_doan_dan_cu", "ty_le_dat_chuan"]].itertuples():  # (a wide row is costly)
        goal = targets.get(int(r.nam))
        if goal is not None and is_missing(r.so_chi_doan_dan_cu):
            unknown.append(str(int(r.nam)))
        if goal is None or is_missing(r.ty_le_dat_chuan) or int(r.so_chi_doan_dan_cu) == 0:
            continue
        (met if float(r.ty_le_dat_chuan) >= goal - 1e-12 else missed).append(
            f"năm {int(r.nam)} đạt {phan_tram(r.ty_le_dat_chuan)} (mục tiêu {phan_tram(goal, 0)})")
    gaps = f" (năm {', '.join(unknown)} chưa có số liệu)" if unknown else ""
    if met and not missed:
        out.append(f"Các năm {'có số liệu ' if unknown else ''}đều đạt mục tiêu giai đoạn: " + "; ".join(met) + gaps + ".")
    elif missed and not met:
        out.append(f"{'Trong các năm có số liệu, chưa' if unknown else 'Chưa'} năm nào đạt mục tiêu giai đoạn: "
                   + "; ".join(missed) + gaps + ".")
    elif met:
        out.append("Đạt mục tiêu giai đoạn: " + "; ".join(met) + "; chưa đạt: " + "; ".join(missed) + gaps + ".")
    def period(c: str, what: str) -> str:  # the period's total; a year without the figure: no total, the year named
        gaps = rows.loc[rows[c].isna(), "nam"]
        return f"{so(rows[c].sum())} {what}" if not len(gaps) else \
            f"{BLANK} {what} (năm {', '.join(str(int(y)) for y in gaps)} chưa có số liệu)"
    out.append(f"Từ năm {y0} đến năm {y1}, kết nạp {period('so_ket_nap_moi', 'đoàn viên mới')}, giới thiệu "
               f"{period('so_gioi_thieu_dang', 'đoàn viên ưu tú cho Đảng xem xét kết nạp')}.")
    tap_hop = (f"tỉ lệ tập hợp thanh niên {phan_tram(first['ty_le_tap_hop'])} năm {y0}, "
               f"{phan_tram(last['ty_le_tap_hop'])} năm {y1}.")
    if own is not None:
        words: dict[bool | None, str] = {True: "đạt", False: "chưa đạt"}
        verdict = lambda y: words.get(own.get(y), "chưa có số liệu")
        out.append(f"Tiêu chí “3 chủ động”: {verdict(y0)} năm {y0}, {verdict(y1)} năm {y1}; {tap_hop}")
        return out
    out.append(f"Số Đoàn cơ sở đạt “3 chủ động”: {so(first['so_co_so_ba_chu_dong'])}/{so(first['so_co_so'])} năm {y0}, "
               f"{so(last['so_co_so_ba_chu_dong'])}/{so(last['so_co_so'])} năm {y1}; {tap_hop}")
    return out
