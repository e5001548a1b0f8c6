"""The review cycle, step by step: the functions the notebooks and the batch call."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from . import charts, narrative, paths
from .assess import Results, assess
from .check import Data, load, require_year
from .compare import appendix_rows, year_on_year
from .errors import ERROR, DataError, TongketError
from .params import Cycle, load_cycle
from .report import document_details, render_docx
from .tables import write_tables
from .vietnamese import BLANK, diem_phan_tram_dau, order_by_name, phan_tram, so, sort_key

BIEN_DONG = {"nang_bac": "Nâng bậc", "giu_nguyen": "Giữ nguyên", "ha_bac": "Hạ bậc", "moi": "Mới"}


@dataclass
class Review:
    """One cycle's parameters, data and results, ready for documents."""

    cycle: Cycle
    data: Data
    results: Results
    excluded: dict[str, list[str]] = field(default_factory=dict)  # district -> its errors
    excluded_names: dict[str, str] = field(default_factory=dict)  # district -> its name


def open_review(params: str | Path | None = None, data: str | Path | None = None, nam: int | None = None,
                huyen: str | None = None) -> Review:
    """Load the cycle and the workbook, check them and assess every unit.

    With `huyen`, only that district's errors (and errors outside any district) stop the review;
    without it, districts with errors are left out of the results and listed in `excluded`.
    """
    cycle = load_cycle(params, data=data, nam=nam)
    d = load(cycle.data, cycle.scale)
    require_year(d, cycle.nam)
    errors = [i for i in d.issues if i.severity == ERROR]
    blocking = [i for i in errors if i.ma_huyen is None or (huyen is not None and i.ma_huyen == huyen)]
    if blocking:
        raise DataError(blocking)
    if huyen is not None and huyen not in set(d.don_vi.loc[d.don_vi["cap"] == "huyen", "ma_don_vi"]):
        raise TongketError(f"Không có đơn vị cấp huyện mã «{huyen}» trong dữ liệu")
    excluded: dict[str, list[str]] = {}
    for i in errors:
        if i.ma_huyen is not None and i.ma_huyen != huyen:
            excluded.setdefault(i.ma_huyen, []).append(str(i))
    names = d.don_vi.set_index("ma_don_vi")["ten_don_vi"]
    clean = d.without(set(excluded))
    return Review(cycle, clean, assess(clean, cycle), excluded,
                  {k: f"{names.get(k, k)} ({k})" for k in excluded})


def huyen_codes(review: Review) -> list[str]:
    """The districts of the data, in Vietnamese order of their names."""
    h = review.data.don_vi[review.data.don_vi["cap"] == "huyen"]
    return [r.ma_don_vi for r in sorted(h.itertuples(), key=lambda r: sort_key(r.ten_don_vi))]


def tinh_code(review: Review) -> str:
    """The province's code."""
    return str(review.data.don_vi.loc[review.data.don_vi["cap"] == "tinh", "ma_don_vi"].iloc[0])


def _year_rows(frame: pd.DataFrame, nam: int) -> tuple[pd.Series, pd.Series | None]:
    now = frame[frame["nam"] == nam]
    before = frame[frame["nam"] == nam - 1]
    return now.iloc[0], (before.iloc[0] if len(before) else None)


def summary(review: Review, ma_don_vi: str, nam: int | None = None) -> pd.DataFrame:
    """A unit's indicators, year N−1 against year N, with Vietnamese labels (for notebooks)."""
    nam = nam or review.cycle.nam
    r = review.results
    frame = r.huyen if (r.huyen["ma_don_vi"] == ma_don_vi).any() else r.tinh
    now, before = _year_rows(frame[frame["ma_don_vi"] == ma_don_vi], nam)
    rows = appendix_rows(year_on_year(now, before))
    return pd.DataFrame(rows).drop(columns="stt").rename(columns={
        "chi_tieu": "Chỉ tiêu", "don_vi_tinh": "Đơn vị tính", "nam_truoc": f"Năm {nam - 1}", "nam_nay": f"Năm {nam}",
        "chenh_lech": "Tăng, giảm", "so_sanh": "So sánh"})


def figures(review: Review, ma_don_vi: str, nam: int | None = None) -> dict[str, Figure | None]:
    """The report's charts for a district (or for the province, given its code)."""
    nam = nam or review.cycle.nam
    cycle, r = review.cycle, review.results
    is_tinh = ma_don_vi == tinh_code(review)
    view = r if is_tinh else r.of_huyen(ma_don_vi)
    year = view.year(nam)
    rows = (r.tinh if is_tinh else r.huyen)
    rows = rows[rows["ma_don_vi"] == ma_don_vi]
    name = str(rows["ten_don_vi"].iloc[0])
    has_dan_cu = bool(year.chi_doan["dat_chuan"].notna().any())
    targets = {y: cycle.muc_tieu(y) for y in r.years}
    out: dict[str, Figure | None] = {}
    if is_tinh:
        out["so_sanh"] = charts.so_sanh_huyen(year.huyen, cycle.muc_tieu(nam),
                                              f"Tỉ lệ chi đoàn dân cư đạt chuẩn theo đơn vị, năm {nam}")
    else:
        out["dat_chuan"] = charts.dat_chuan_theo_co_so(
            year.co_so, cycle.muc_tieu(nam), f"Tỉ lệ chi đoàn dân cư đạt chuẩn theo Đoàn cơ sở, năm {nam}") \
            if has_dan_cu else None
    out["tieu_chi"] = charts.tieu_chi_chua_dat(year.chi_doan, cycle.rubric_chi_doan,
                                               f"Tỉ lệ chi đoàn chưa đạt từng tiêu chí, năm {nam}") if has_dan_cu else None
    out["xep_loai"] = charts.phan_bo_xep_loai(year.co_so, cycle.scale, f"Xếp loại Đoàn cơ sở năm {nam}")
    out["xu_huong"] = charts.xu_huong(rows, targets, f"{name}: kết quả qua các năm")
    return out


def _targets(review: Review, ma: str, nam: int) -> tuple[list[dict[str, str]], list[str]]:
    """The report's targets table (from targets.targets, the one source) and, for each target
    missed, the sentence naming the units that miss it."""
    from .targets import targets

    rows, missed = [], []
    for i, r in enumerate(targets(review.results, review.cycle, nam, only=[ma]).itertuples(), start=1):
        rate = r.chi_tieu.startswith("ty_le") or r.chi_tieu == "muc_tieu_giai_doan"
        if r.chi_tieu == "so_ha_bac":
            goal = "Không có" if r.muc_tieu == 0 else f"≤ {so(r.muc_tieu)}"
        elif r.chi_tieu == "muc_tieu_giai_doan":
            goal = "Tất cả"
        else:
            goal = f"≥ {phan_tram(r.muc_tieu, 0)}"
        shown = BLANK if pd.isna(r.thuc_hien) else (phan_tram(r.thuc_hien) if rate else so(r.thuc_hien))
        verdict = "Không áp dụng" if r.dat is None or pd.isna(r.dat) else ("Đạt" if r.dat else "Chưa đạt")
        rows.append({"stt": str(i), "chi_tieu": r.ten_chi_tieu, "muc_tieu": goal, "thuc_hien": shown,
                     "danh_gia": verdict})
        if verdict == "Chưa đạt" and r.don_vi_chua_dat:
            missed.append(f"{r.ten_chi_tieu}: {r.don_vi_chua_dat}.")
    return rows, missed


def _co_so_rows(co_so: pd.DataFrame, review: Review) -> list[dict[str, str]]:
    scale = review.cycle.scale
    rows = co_so.iloc[order_by_name(co_so["ten_don_vi"])]
    out = []
    for i, r in enumerate(rows.itertuples(), start=1):
        has = r.so_chi_doan_dan_cu > 0
        out.append({
            "stt": str(i), "ten": r.ten_don_vi,
            "so_dan_cu": so(r.so_chi_doan_dan_cu) if has else "–",
            "so_dat_chuan": so(r.so_chi_doan_dat_chuan) if has else "–",
            "ty_le": phan_tram(r.ty_le_dat_chuan) if has else "–",
            "dat_muc_tieu": ("Đạt" if r.dat_muc_tieu else "Chưa đạt") if has and not pd.isna(r.dat_muc_tieu) else "–",
            "ba_chu_dong": "Đạt" if (not pd.isna(r.ba_chu_dong) and r.ba_chu_dong) else "Chưa đạt",
            "xep_loai": scale.level(r.xep_loai).short if isinstance(r.xep_loai, str) else "Chưa",
            "bien_dong": BIEN_DONG.get(r.bien_dong, "–") if isinstance(r.bien_dong, str) else "–",
        })
    return out


def _common(review: Review, ma: str, nam: int, frame: pd.DataFrame, year: Results) -> tuple[dict, list[str]]:
    cycle = review.cycle
    unit = review.results.unit(ma)
    parent = review.results.unit(unit["ma_cap_tren"]) if isinstance(unit.get("ma_cap_tren"), str) else None
    vb, warnings = document_details(cycle, unit, parent)
    now, before = _year_rows(frame[frame["ma_don_vi"] == ma], nam)
    text = cycle.text_for(ma)
    ten_bao_cao = cycle.ten_ky[:1].lower() + cycle.ten_ky[1:] if cycle.ten_ky else "tổng kết"
    muc_tieu = cycle.muc_tieu(nam)
    as_list = lambda v: [str(x) for x in v] if isinstance(v, list) else ([str(v)] if v else [BLANK])  # noqa: E731
    ctx: dict[str, Any] = {
        "vb": vb, "ghi_chu": cycle.ghi_chu, "nam": nam, "nam_truoc": nam - 1, "nam_sau": nam + 1,
        "nam_dau": min(review.results.years),
        "don_vi": {"ma": ma, "ten": unit["ten_don_vi"]},
        "trich_yeu": f"{cycle.ten_ky} năm {nam}, phương hướng nhiệm vụ năm {nam + 1}",
        "ten_bao_cao": ten_bao_cao,
        "mo_dau": str(text.get("mo_dau") or
                      f"Căn cứ kết quả đánh giá, xếp loại tổ chức cơ sở Đoàn năm {nam}, Ban Thường vụ "
                      f"{unit['ten_don_vi']} báo cáo {ten_bao_cao} năm {nam} như sau:"),
        "van_ban": {"thuan_loi": str(text.get("thuan_loi") or BLANK), "kho_khan": str(text.get("kho_khan") or BLANK),
                    "phuong_huong": as_list(text.get("phuong_huong")), "kien_nghi": as_list(text.get("kien_nghi"))},
        "cau": {
            "dat_chuan": narrative.dat_chuan(now, before, muc_tieu, nam),
            "co_so_muc_tieu": narrative.co_so_muc_tieu(year.co_so, muc_tieu),
            "ba_chu_dong": narrative.ba_chu_dong(now, before, nam),
            "xep_loai": narrative.xep_loai(now, year.co_so, cycle.scale, cycle.targets, nam),
            "tap_hop": narrative.tap_hop(now, before, nam),
        },
        "chi_tieu": (targets_rows := _targets(review, ma, nam))[0],
        "chi_tieu_chua_dat": targets_rows[1],
        "uu_diem": narrative.uu_diem(now, before, year.co_so, nam),
        "han_che": narrative.han_che(year.chi_doan, year.co_so, cycle.rubric_chi_doan, muc_tieu),
        "phu_luc": appendix_rows(year_on_year(now, before)),
    }
    return ctx, warnings


def district_context(review: Review, ma_huyen: str, nam: int | None = None) -> tuple[dict, list[str]]:
    """Everything the district report says, and the warnings (missing document details)."""
    nam = nam or review.cycle.nam
    year = review.results.of_huyen(ma_huyen).year(nam)
    ctx, warnings = _common(review, ma_huyen, nam, review.results.huyen, year)
    ctx["bang_co_so"] = _co_so_rows(year.co_so, review)
    ctx["cau"]["dac_thu"] = narrative.dac_thu(year.co_so, review.cycle.scale, nam)
    ctx["cau"]["tham_dinh"] = narrative.tham_dinh(verification_sample(review, nam, ma_huyen),
                                                  review.cycle.verification)
    return ctx, warnings


def province_context(review: Review, nam: int | None = None) -> tuple[dict, list[str]]:
    """Everything the province summary says, with the ranking of districts."""
    nam = nam or review.cycle.nam
    ma = tinh_code(review)
    year = review.results.year(nam)
    ctx, warnings = _common(review, ma, nam, review.results.tinh, year)
    prev = review.results.year(nam - 1).huyen.set_index("ma_don_vi")
    h = year.huyen.iloc[order_by_name(year.huyen["ten_don_vi"])]  # ties in Vietnamese order
    h = h.iloc[(-h["ty_le_dat_chuan"].astype("Float64").fillna(-1)).argsort(kind="stable")]
    rows = []
    for i, r in enumerate(h.itertuples(), start=1):
        before = prev["ty_le_dat_chuan"].get(r.ma_don_vi) if r.ma_don_vi in prev.index else None
        has = r.so_chi_doan_dan_cu > 0
        delta = (r.ty_le_dat_chuan - before) if has and before is not None and not pd.isna(before) else None
        rows.append({
            "hang": str(i) if has else "–", "ten": r.ten_don_vi, "so_co_so": so(r.so_co_so),
            "so_dan_cu": so(r.so_chi_doan_dan_cu), "ty_le": phan_tram(r.ty_le_dat_chuan) if has else "–",
            "so_voi": "–" if delta is None else diem_phan_tram_dau(delta),
            "ba_chu_dong": f"{so(r.so_co_so_ba_chu_dong)}/{so(r.so_co_so)}",
            "duoc_xep_loai": phan_tram(r.ty_le_duoc_xep_loai), "ha_bac": so(r.so_ha_bac),
        })
    ctx["xep_hang"] = rows
    ctx["cau"]["dac_thu"] = narrative.dac_thu(year.co_so, review.cycle.scale, nam)
    ctx["cau"]["tham_dinh"] = narrative.tham_dinh(verification_sample(review, nam), review.cycle.verification)
    ctx["chua_tong_hop"] = ", ".join(sorted(review.excluded_names.values(), key=sort_key))
    return ctx, warnings


def write_unit(review: Review, ma_don_vi: str, out_dir: str | Path, nam: int | None = None,
               figs: dict[str, Figure | None] | None = None) -> dict[str, Any]:
    """Write a district's (or the province's) report, appendix workbook and charts.

    Returns the files written and the warnings. Every file is written atomically.
    """
    nam = nam or review.cycle.nam
    is_tinh = ma_don_vi == tinh_code(review)
    folder = paths.resolve(out_dir) / str(nam) / ma_don_vi
    figs = figs if figs is not None else figures(review, ma_don_vi, nam)
    images = {k: (charts.save_png(f, folder / "bieu_do" / f"{k}.png") if f is not None else None)
              for k, f in figs.items()}
    if is_tinh:
        ctx, warnings = province_context(review, nam)
        template, name, tables = "bao_cao_tong_hop.docx", "bao_cao_tong_hop.docx", review.results.year(nam).tables()
    else:
        ctx, warnings = district_context(review, ma_don_vi, nam)
        template, name = "bao_cao_tong_ket.docx", "bao_cao_tong_ket.docx"
        tables = review.results.of_huyen(ma_don_vi).year(nam).tables()
        tables.pop("tinh")
    docx = render_docx(paths.TEMPLATES / template, ctx, folder / name, images)
    tables.update(analysis_tables(review, nam, None if is_tinh else ma_don_vi))
    xlsx = write_tables(tables, folder / "phu_luc.xlsx")
    return {"files": [str(docx), str(xlsx), *(str(p) for p in images.values() if p)], "warnings": warnings}


def co_so_table(review: Review, ma_huyen: str, nam: int | None = None) -> pd.DataFrame:
    """The district's Đoàn cơ sở as the report's table, with Vietnamese headers (for notebooks)."""
    nam = nam or review.cycle.nam
    rows = _co_so_rows(review.results.of_huyen(ma_huyen).year(nam).co_so, review)
    return pd.DataFrame(rows).rename(columns={
        "stt": "STT", "ten": "Đoàn cơ sở", "so_dan_cu": "Chi đoàn dân cư", "so_dat_chuan": "Đạt chuẩn",
        "ty_le": "Tỉ lệ", "dat_muc_tieu": "Đạt mục tiêu", "ba_chu_dong": "3 chủ động", "xep_loai": "Xếp loại",
        "bien_dong": "Biến động"}).set_index("STT")


def failing_branches(review: Review, ma_huyen: str, nam: int | None = None) -> pd.DataFrame:
    """Residential branches not up to standard, with the reason in Vietnamese (for notebooks)."""
    nam = nam or review.cycle.nam
    cd = review.results.of_huyen(ma_huyen).year(nam).chi_doan
    names = review.results.don_vi.set_index("ma_don_vi")["ten_don_vi"]
    bad = cd[cd["dat_chuan"].notna() & ~cd["dat_chuan"].fillna(False).astype(bool)]
    return pd.DataFrame({"Đoàn cơ sở": bad["ma_co_so"].map(names).to_numpy(),
                         "Chi đoàn": bad["ten_don_vi"].to_numpy(), "Lý do chưa đạt": bad["ly_do"].to_numpy()})


def analysis_tables(review: Review, nam: int | None = None, ma_huyen: str | None = None) -> dict[str, pd.DataFrame]:
    """Every table beyond contract §5, for the province or one district: targets, year on year,
    several years, rating transitions, special units, the verification sample, "1+1" by
    half-year, and the cap warnings of the scale."""
    from .compare import multi_year, transitions
    from .programmes import mot_cong_mot
    from .special import tracker
    from .targets import targets

    nam = nam or review.cycle.nam
    cycle, r = review.cycle, review.results
    rollups = pd.concat([r.huyen, r.tinh], ignore_index=True)
    if ma_huyen is not None:
        rollups = rollups[rollups["ma_don_vi"] == ma_huyen]
    so_sanh, nhieu_nam = [], []
    for code, rows in rollups.groupby("ma_don_vi", sort=False):
        if (rows["nam"] == nam).any():
            now, before = _year_rows(rows, nam)
            so_sanh.append(year_on_year(now, before).drop(columns="key").assign(ma_don_vi=code, nam=nam))
        nhieu_nam.append(multi_year(rows[rows["nam"] <= nam]))
    co_so_huyen = r.co_so.drop_duplicates("ma_don_vi").set_index("ma_don_vi")["ma_huyen"]
    tables = {
        "chi_tieu": targets(r, cycle, nam, only=None if ma_huyen is None else [ma_huyen]),
        "so_sanh": pd.concat(so_sanh, ignore_index=True)[["ma_don_vi", "nam", "chi_tieu", "don_vi_tinh", "nam_truoc",
                                                           "nam_nay", "chenh_lech", "so_sanh"]],
        "nhieu_nam": pd.concat(nhieu_nam, ignore_index=True),
        "chuyen_bac": transitions(r.co_so, cycle.scale, nam),
        "dac_thu": tracker(r, cycle.scale, nam),
        "tham_dinh": verification_sample(review, nam, ma_huyen),
        "mot_cong_mot": mot_cong_mot(r, review.data.optional.get("mot_cong_mot"), nam),
        "canh_bao": cap_warnings(review, nam),
    }
    if ma_huyen is not None:
        for name in ("chuyen_bac", "dac_thu"):
            tables[name] = tables[name][tables[name]["ma_huyen"] == ma_huyen]
        m = tables["mot_cong_mot"]
        tables["mot_cong_mot"] = m[(m["ma_don_vi"] == ma_huyen) | m["ma_don_vi"].map(co_so_huyen).eq(ma_huyen)]
        tables["canh_bao"] = tables["canh_bao"][tables["canh_bao"]["ma_don_vi"] == ma_huyen]
    return {k: v.reset_index(drop=True) for k, v in tables.items()}


def verification_sample(review: Review, nam: int | None = None, ma_huyen: str | None = None) -> pd.DataFrame:
    """The random verification sample [001] for the province, or one district's part of it (the
    draw is per Đoàn cơ sở, so a district's part is the same either way)."""
    from .verification import sample

    nam = nam or review.cycle.nam
    v = review.cycle.verification
    cd = review.results.chi_doan
    if ma_huyen is not None:
        cd = cd[cd["ma_huyen"] == ma_huyen]
    return sample(cd, nam, v.get("share", 0.2), v.get("min", 1), v.get("seed", 0))


def cap_warnings(review: Review, nam: int | None = None) -> pd.DataFrame:
    """The scale's cap check per district and for the province (warnings, never errors)."""
    nam = nam or review.cycle.nam
    cs = review.results.year(nam).co_so
    rows = []
    for key, frame in (("ma_huyen", review.results.year(nam).huyen), ("ma_tinh", review.results.year(nam).tinh)):
        for u in frame.itertuples():
            for w in review.cycle.scale.cap_warnings(cs.loc[cs[key] == u.ma_don_vi, "xep_loai"], u.ten_don_vi):
                rows.append({"ma_don_vi": u.ma_don_vi, "nam": nam, "canh_bao": w})
    return pd.DataFrame(rows, columns=["ma_don_vi", "nam", "canh_bao"])


def explain_unit(review: Review, ma_don_vi: str, nam: int | None = None) -> pd.DataFrame:
    """Why a branch (or every branch of a Đoàn cơ sở) meets or misses each criterion: the measured
    value, the requirement and the verdict of every condition (for notebooks)."""
    from .rubric import explain

    nam = nam or review.cycle.nam
    cd = review.results.chi_doan
    rows = cd[(cd["nam"] == nam) & ((cd["ma_don_vi"] == ma_don_vi) | (cd["ma_co_so"] == ma_don_vi))]
    out = explain(review.cycle.rubric_chi_doan, rows, ("ma_don_vi", "ten_don_vi", "nam"))
    return out.rename(columns={"ten_don_vi": "Chi đoàn", "tieu_chi": "Tiêu chí", "ten_tieu_chi": "Nội dung",
                               "nguon": "Nguồn", "chi_so": "Chỉ số", "gia_tri": "Giá trị", "yeu_cau": "Yêu cầu",
                               "dat_dieu_kien": "Điều kiện", "dat_tieu_chi": "Tiêu chí đạt"})
