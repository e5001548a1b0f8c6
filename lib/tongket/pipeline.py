"""The review cycle, step by step: the functions the notebooks and the batch call."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from .assessment.compare import unlike_years
from .assessment.review import (
    Review,
    huyen_codes,
    open_review,
    reporting_codes,
    reports_on_itself,
    tinh_code,
    verification_sample,
)
from .assessment.unit_years import MUTE, SILENT, unknown
from .common import paths
from .common.deprecated import message, old_keywords, renamed
from .common.files import safe_name
from .common.frames import columns_of, year_row
from .common.vietnamese import dat
from .documents import charts, doccheck
from .documents.catalogue import write_documents
from .documents.contexts import bao_cao_tong_hop, bao_cao_tong_ket, chi_doan_rows, co_so_rows, target_rows
from .documents.details import sample_of
from .documents.members import chart as member_chart
from .documents.narrative import pham_vi
from .documents.tables import write_tables
from .errors import ConfigError, DataError
from .rules import wording

__all__ = ["Review", "open_review", "reporting_parameter", "reporting_codes", "tinh_code", "verification_sample",
           "summary", "figures", "reporting_context", "tinh_context", "write_unit", "co_so_table", "units_table",
           "chi_doan_chua_dat", "analysis_tables", "cap_warnings", "explain_unit", "explain_co_so", "targets_table",
           "branch_table",
           # deprecated names, kept for one release
           "huyen_codes", "district_context", "province_context", "failing_branches"]


def reporting_parameter(ma_bao_cao: str | None, ma_huyen: str | None = None) -> str:
    """The reporting unit a notebook is run for: its parameter `ma_bao_cao`, or the old parameter
    `ma_huyen` (kept for one release, with a warning; a caller passing it overrides the default)."""
    if ma_huyen is not None:
        warnings.warn(message("ma_huyen", "ma_bao_cao"), DeprecationWarning, stacklevel=2)
        ma_bao_cao = ma_huyen
    if ma_bao_cao is None or not str(ma_bao_cao).strip():
        raise ConfigError("Chưa chọn đơn vị báo cáo: hãy ghi mã đơn vị vào tham số ma_bao_cao")
    return ma_bao_cao


def summary(review: Review, ma_don_vi: str, nam: int | None = None) -> pd.DataFrame:
    """A unit's indicators, year N−1 against year N, with Vietnamese labels (for notebooks): the
    rows of its phụ lục số liệu, so the workbook shows what the signed appendix prints (members,
    cadres, registration and upkeep included where the workbook has them)."""
    from .documents.contexts import phu_luc_so_lieu

    nam = nam or review.cycle.nam
    frame = pd.DataFrame(phu_luc_so_lieu(review, ma_don_vi, nam)[0]["phu_luc"])
    return frame.drop(columns=["stt", *(c for c in frame.columns if c.startswith("_"))]).rename(columns={
        "chi_tieu": "Chỉ tiêu", "don_vi_tinh": "Đơn vị tính", "nam_truoc": f"Năm {nam - 1}", "nam_nay": f"Năm {nam}",
        "chenh_lech": "Tăng, giảm", "so_sanh": "So sánh"})


def figures(review: Review, ma_don_vi: str, nam: int | None = None) -> dict[str, Figure | None]:
    """The report's charts for a reporting unit (or for the province, given its code). A Đoàn cơ
    sở reporting on its own has no chart by Đoàn cơ sở and no rating chart (it is one unit)."""
    nam = nam or review.cycle.nam
    cycle, r = review.cycle, review.results
    is_tinh = ma_don_vi == tinh_code(review)
    one_co_so = reports_on_itself(review, ma_don_vi)
    view = r if is_tinh else r.of_unit(ma_don_vi)
    year = view.year(nam)
    rows = (r.tinh if is_tinh else r.bao_cao)
    rows = rows[rows["ma_don_vi"] == ma_don_vi]
    name = str(rows["ten_don_vi"].iloc[0])
    has_dan_cu = bool(year.chi_doan["dat_chuan"].notna().any())
    targets = {y: cycle.muc_tieu(y) for y in r.years}
    out: dict[str, Figure | None] = {}
    if is_tinh:
        out["so_sanh"] = charts.so_sanh_bao_cao(year.bao_cao, cycle.muc_tieu(nam),
                                                f"Tỉ lệ chi đoàn dân cư đạt chuẩn theo đơn vị, năm {nam}")
    else:
        out["dat_chuan"] = charts.dat_chuan_theo_co_so(
            year.co_so, cycle.muc_tieu(nam), f"Tỉ lệ chi đoàn dân cư đạt chuẩn theo Đoàn cơ sở, năm {nam}") \
            if has_dan_cu and not one_co_so else None
    out["tieu_chi"] = charts.tieu_chi_chua_dat(year.chi_doan, cycle.rubric_chi_doan,
                                               f"Tỉ lệ chi đoàn chưa đạt từng tiêu chí, năm {nam}") if has_dan_cu else None
    out["xep_loai"] = None if one_co_so else charts.phan_bo_xep_loai(year.co_so, cycle.scale,
                                                                      f"Xếp loại Đoàn cơ sở năm {nam}")
    out["xu_huong"] = charts.xu_huong(rows, targets, f"{name}: kết quả qua các năm")
    out["thanh_vien"] = member_chart(rows, nam, cycle, name)  # member ratings (contract §6.2), None without them
    return out


def reporting_context(review: Review, ma_bao_cao: str, nam: int | None = None) -> tuple[dict, list[str]]:
    """Everything a reporting unit's report says, and the document details still missing."""
    return bao_cao_tong_ket(review, ma_bao_cao, nam or review.cycle.nam)


def tinh_context(review: Review, nam: int | None = None) -> tuple[dict, list[str]]:
    """Everything the province summary says (with the ranking of the reporting units)."""
    return bao_cao_tong_hop(review, tinh_code(review), nam or review.cycle.nam)


district_context = renamed(reporting_context, "district_context", ma_huyen="ma_bao_cao")
province_context = renamed(tinh_context, "province_context")


def write_unit(review: Review, ma_don_vi: str, out_dir: str | Path, nam: int | None = None,
               figs: dict[str, Figure | None] | None = None, gop_phieu: bool = False) -> dict[str, Any]:
    """Write a reporting unit's (or the province's) documents, result workbook and charts.

    Returns the files written, the warnings (document details still missing) and what reading the
    documents back found (`kiem_tra_van_ban`: `doccheck.after_write`, which fails the unit instead
    when the cycle says `kiem_tra_van_ban: loi`). Every file is written atomically; `gop_phieu` also merges the
    assessment sheets into one document.
    """
    nam = nam or review.cycle.nam
    is_tinh = ma_don_vi == tinh_code(review)
    _refuse_incomplete(review, ma_don_vi, nam)
    folder = paths.resolve(out_dir) / str(nam) / safe_name(ma_don_vi)  # a code never leaves its folder
    figs = figs if figs is not None else figures(review, ma_don_vi, nam)
    images = {k: (charts.save_png(f, folder / "bieu_do" / f"{k}.png") if f is not None else None)
              for k, f in figs.items()}
    docs, warnings = write_documents(review, ma_don_vi, folder, nam, images, gop_phieu)
    scope = pham_vi(unlike_years(review, ma_don_vi, nam), nam)  # said in the report too
    if scope and year_row(review.results.tinh if is_tinh else review.results.of_unit(ma_don_vi).bao_cao, nam - 1) is not None:
        warnings = [*warnings, f"Văn bản không nêu tăng, giảm so với năm {nam - 1}: {scope}"]
    if is_tinh:
        tables = review.results.year(nam).tables()
    else:
        tables = review.results.of_unit(ma_don_vi).year(nam).tables()
        tables.pop("tinh")
        if review.results.cap_bao_cao != "huyen":  # a Đoàn cơ sở's appendix: its own rollup, no district
            tables.pop("huyen")
    tables.update(analysis_tables(review, nam, None if is_tinh else ma_don_vi))
    xlsx = write_tables(tables, folder / "phu_luc.xlsx")
    found = doccheck.after_write(review, ma_don_vi, folder, nam)  # read back as the signer would
    return {"files": [str(p) for p in (*docs, xlsx, *(p for p in images.values() if p))], "warnings": warnings,
            "kiem_tra_van_ban": found}


def _refuse_incomplete(review: Review, ma: str, nam: int) -> None:
    """A unit whose return for `nam` has errors (left out of the review) or lacks a whole part (no
    branch, or no residential branch, sent a row: MUTE, SILENT) gets no documents: said in words,
    as a run says it, never a half report nor a traceback."""
    tree = review.results.tree()
    name = review.excluded_names.get(ma) or (f"{tree.at[ma, 'ten_don_vi']} ({ma})" if ma in tree.index else ma)
    if ma in review.excluded:
        raise DataError.from_text("\n".join([f"{name}: số liệu có lỗi, văn bản của đơn vị không được lập:",
                                             *review.excluded[ma]]))
    rows = review.results.tinh if ma == tinh_code(review) else review.results.bao_cao
    if rows is None:
        return
    row = rows[(rows["ma_don_vi"] == ma) & (rows["nam"] == nam)]
    if len(row) and (unknown(row, MUTE) | unknown(row, SILENT)).any():
        whose = "của đơn vị" if ma != tinh_code(review) else "của một đơn vị trực thuộc"
        raise DataError.from_text(
            f"{name}: năm {nam} không có dòng chi đoàn nào (hay chi đoàn trên địa bàn dân cư nào) {whose} ở trang "
            f"chi_doan, nên văn bản năm {nam} không được lập. Cách sửa: chạy «tongket check TỆP --nam {nam}» để "
            f"xem đơn vị nào thiếu, nhập đủ rồi chạy lại (hoặc mở lại với năm {nam}, khi đó đơn vị thiếu được để "
            "riêng và tỉnh được tổng hợp không có đơn vị đó)")


def targets_table(review: Review, ma_don_vi: str, nam: int | None = None) -> pd.DataFrame:
    """A reporting unit's (or the province's) targets: the target, what it did and the verdict, as the
    report's table shows them (for notebooks)."""
    rows, _ = target_rows(review, ma_don_vi, nam or review.cycle.nam)
    return pd.DataFrame(rows, columns=["stt", "chi_tieu", "muc_tieu", "thuc_hien", "danh_gia"]).rename(columns={
        "stt": "STT", "chi_tieu": "Chỉ tiêu", "muc_tieu": "Mục tiêu", "thuc_hien": "Thực hiện",
        "danh_gia": "Đánh giá"}).set_index("STT")


@old_keywords(ma_huyen="ma_bao_cao")
def co_so_table(review: Review, ma_bao_cao: str, nam: int | None = None) -> pd.DataFrame:
    """A reporting unit's Đoàn cơ sở as the report's table, with Vietnamese headers (for notebooks)."""
    nam = nam or review.cycle.nam
    rows = co_so_rows(review.results.of_unit(ma_bao_cao).year(nam).co_so, review)
    header = ["stt", "ten", "so_dan_cu", "so_dat_chuan", "ty_le", "dat_muc_tieu", "ba_chu_dong", "xep_loai",
              "bien_dong"]  # a unit without any Đoàn cơ sở: the header alone, not a KeyError
    return pd.DataFrame(rows, columns=None if rows else header).rename(columns={
        "stt": "STT", "ten": "Đoàn cơ sở", "so_dan_cu": "Chi đoàn dân cư", "so_dat_chuan": "Đạt chuẩn",
        "ty_le": "Tỉ lệ", "dat_muc_tieu": "Đạt mục tiêu", "ba_chu_dong": "3 chủ động", "xep_loai": "Xếp loại",
        "bien_dong": "Biến động"}).set_index("STT")


def units_table(review: Review, ma_don_vi: str, nam: int | None = None) -> pd.DataFrame:
    """The report's table of the units right below a reporting unit: a district's Đoàn cơ sở, or
    a Đoàn cơ sở's branches when it reports on its own (for notebooks)."""
    nam = nam or review.cycle.nam
    if review.results.unit(ma_don_vi)["cap"] != "co_so":
        return co_so_table(review, ma_don_vi, nam)
    rows = chi_doan_rows(review.results.of_unit(ma_don_vi).year(nam).chi_doan, review)
    return pd.DataFrame(rows, columns=["stt", "ten", "loai_hinh", "chua_dat", "dat_chuan", "xep_loai"]).rename(
        columns={"stt": "STT", "ten": "Chi đoàn", "loai_hinh": "Loại hình", "chua_dat": "Tiêu chí chưa đạt",
                 "dat_chuan": "Đạt chuẩn", "xep_loai": "Xếp loại"}).set_index("STT")


def chi_doan_chua_dat(review: Review, ma_bao_cao: str, nam: int | None = None) -> pd.DataFrame:
    """A reporting unit's residential branches not up to standard, with the reason in Vietnamese
    (for notebooks)."""
    nam = nam or review.cycle.nam
    cd = review.results.of_unit(ma_bao_cao).year(nam).chi_doan
    names = review.results.names()
    bad = cd[cd["dat_chuan"].notna() & ~cd["dat_chuan"].fillna(False).astype(bool)]
    return pd.DataFrame({"Đoàn cơ sở": bad["ma_co_so"].map(names).to_numpy(),
                         "Chi đoàn": bad["ten_don_vi"].to_numpy(), "Lý do chưa đạt": bad["ly_do"].to_numpy()})


failing_branches = renamed(chi_doan_chua_dat, "failing_branches", ma_huyen="ma_bao_cao")


@old_keywords(ma_huyen="ma_bao_cao")
def analysis_tables(review: Review, nam: int | None = None, ma_bao_cao: str | None = None) -> dict[str, pd.DataFrame]:
    """Every table beyond contract §5, for the province or one reporting unit: targets, year on year,
    several years, rating transitions, special units, the verification sample, "1+1" by
    half-year, and the cap warnings of the scale. Computed once per review (the notebook shows
    them, then `write_unit` writes them); callers get shallow copies."""
    nam = nam or review.cycle.nam
    key = ("analysis_tables", nam, ma_bao_cao)
    if key not in review.memo:
        review.memo[key] = _analysis_tables(review, nam, ma_bao_cao)
    return {k: v.copy(deep=False) for k, v in review.memo[key].items()}


def _analysis_tables(review: Review, nam: int, ma_bao_cao: str | None) -> dict[str, pd.DataFrame]:
    from .assessment.compare import comparison, multi_year, transitions
    from .assessment.programmes import mot_cong_mot
    from .assessment.special import tracker
    from .assessment.targets import targets_of
    from .documents import kinds

    cycle, r = review.cycle, review.results
    # One reporting unit: its own rows (a view found once per unit), never a scan of the province.
    view = r if ma_bao_cao is None else r.of_unit(ma_bao_cao)
    rollups = pd.concat([r.bao_cao, r.tinh], ignore_index=True) if ma_bao_cao is None else view.bao_cao
    half_years = review.data.optional.get("mot_cong_mot")
    if ma_bao_cao is not None and half_years is not None:
        half_years = half_years[half_years["ma_don_vi"].isin(view.chi_doan["ma_don_vi"])]
    so_sanh, nhieu_nam = [], []
    for code, rows in rollups.groupby("ma_don_vi", sort=False):
        if (rows["nam"] == nam).any():  # as the documents show it (a note, «–», where they make no difference)
            so_sanh.append(comparison(review, str(code), nam, rows).drop(columns="key").assign(ma_don_vi=code, nam=nam))
        nhieu_nam.append(multi_year(rows[rows["nam"] <= nam], own=reports_on_itself(review, code)))
    co_so_bao_cao = view.co_so.drop_duplicates("ma_don_vi").set_index("ma_don_vi")["ma_bao_cao"]
    key = f"ma_{r.cap_bao_cao}"  # the column naming the reporting unit in the transitions table
    tables = {
        "chi_tieu": targets_of(review, nam, ma_bao_cao).drop(
            columns=["huong", "ty_le"], errors="ignore"),  # how the document words a target, not a figure
        "so_sanh": pd.concat(so_sanh, ignore_index=True)[["ma_don_vi", "nam", "chi_tieu", "don_vi_tinh", "nam_truoc",
                                                           "nam_nay", "chenh_lech", "so_sanh", "ghi_chu"]],
        "nhieu_nam": pd.concat(nhieu_nam, ignore_index=True),
        "chuyen_bac": transitions(view.co_so, cycle.scale, nam, key),
        "dac_thu": tracker(view, cycle.scale, nam),
        "tham_dinh": sample_of(review, nam, ma_bao_cao),  # drawn once per review, shared with the documents
        "mot_cong_mot": mot_cong_mot(view, half_years, nam),
        "canh_bao": cap_warnings(review, nam, ma_bao_cao),
        **kinds.tables(view.chi_doan, view.co_so, cycle.scale, nam),  # branch ratings; results by kind
    }
    if ma_bao_cao is not None:
        tables["chuyen_bac"] = tables["chuyen_bac"][tables["chuyen_bac"][key] == ma_bao_cao]
        d = tables["dac_thu"]  # special Đoàn cơ sở: of the district, or the reporting Đoàn cơ sở itself
        tables["dac_thu"] = d[(d["ma_huyen"] if r.cap_bao_cao == "huyen" else d["ma_don_vi"]) == ma_bao_cao]
        m = tables["mot_cong_mot"]
        tables["mot_cong_mot"] = m[(m["ma_don_vi"] == ma_bao_cao) | m["ma_don_vi"].map(co_so_bao_cao).eq(ma_bao_cao)]
        tables["canh_bao"] = tables["canh_bao"][tables["canh_bao"]["ma_don_vi"] == ma_bao_cao]
    return {k: v.reset_index(drop=True) for k, v in tables.items()}


@old_keywords(ma_huyen="ma_bao_cao")
def cap_warnings(review: Review, nam: int | None = None, ma_bao_cao: str | None = None) -> pd.DataFrame:
    """The scale's cap check per reporting unit and for the province (warnings, never errors);
    with `ma_bao_cao`, that unit's only."""
    nam = nam or review.cycle.nam
    year = (review.results if ma_bao_cao is None else review.results.of_unit(ma_bao_cao)).year(nam)
    cs, bao_cao, tinh = year.co_so, year.bao_cao, year.tinh
    if ma_bao_cao is not None:
        bao_cao, tinh = bao_cao[bao_cao["ma_don_vi"] == ma_bao_cao], tinh.iloc[:0]
    rows = []
    for key, frame in (("ma_bao_cao", bao_cao), ("ma_tinh", tinh)):
        ratings = dict(tuple(cs.groupby(key, sort=False)["xep_loai"]))  # one pass, not one filter per unit
        for ma, ten in columns_of(frame, ["ma_don_vi", "ten_don_vi"]):  # (a wide table's row tuples cost a class each)
            codes = ratings.get(ma, cs["xep_loai"].iloc[:0])
            for w in review.cycle.scale.cap_warnings(codes, ten):
                rows.append({"ma_don_vi": ma, "nam": nam, "canh_bao": w})
    return pd.DataFrame(rows, columns=["ma_don_vi", "nam", "canh_bao"])


def explain_unit(review: Review, ma_don_vi: str, nam: int | None = None) -> pd.DataFrame:
    """Why a branch (or every branch of a Đoàn cơ sở) meets or misses each criterion: the measured
    value, the requirement and the verdict of every condition (for notebooks)."""
    from .rules.rubric import explain

    nam = nam or review.cycle.nam
    cd = review.results.chi_doan
    rows = cd[(cd["nam"] == nam) & ((cd["ma_don_vi"] == ma_don_vi) | (cd["ma_co_so"] == ma_don_vi))]
    out = explain(review.cycle.rubric_chi_doan, rows, ("ma_don_vi", "ten_don_vi", "nam"))
    if len(out):  # a branch that sent no row was not measured: not «Không đạt» on blanks
        unsent = out["ma_don_vi"].isin(rows.loc[~rows["co_so_lieu"].astype(bool), "ma_don_vi"])
        out.loc[unsent, ["gia_tri", "dat_dieu_kien", "dat_tieu_chi"]] = ["–", "Chưa gửi số liệu", "Chưa gửi số liệu"]
    return _explained(out)


def branch_table(review: Review, ma_co_so: str, nam: int | None = None) -> pd.DataFrame:
    """A Đoàn cơ sở's residential branches, one row each: every criterion met or not, the verdict
    and the reason with the measured values (for notebooks; `explain_unit` has every condition)."""
    nam = nam or review.cycle.nam
    cd = review.results.chi_doan
    rows = cd[(cd["nam"] == nam) & (cd["ma_co_so"] == ma_co_so) & cd["dat_chuan"].notna()]
    out = pd.DataFrame({"Chi đoàn": rows["ten_don_vi"].to_numpy()})
    for c in review.cycle.rubric_chi_doan.criteria:
        out[wording.ten_tieu_chi(c.id)] = rows[c.id].map(dat).to_numpy()
    out["Đạt chuẩn"] = rows["dat_chuan"].map(dat).to_numpy()
    out["Lý do chưa đạt"] = rows["ly_do"].fillna("").to_numpy()
    return out


def explain_co_so(review: Review, ma_co_so: str, nam: int | None = None) -> pd.DataFrame:
    """Why a Đoàn cơ sở is or is not “3 chủ động”: every check of the rubric with its value (for notebooks)."""
    from .rules.rubric import explain

    nam = nam or review.cycle.nam
    cs = review.results.co_so
    rows = cs[(cs["nam"] == nam) & (cs["ma_don_vi"] == ma_co_so)]
    return _explained(explain(review.cycle.rubric_co_so, rows, ("ma_don_vi", "ten_don_vi", "nam")))


def _explained(out: pd.DataFrame) -> pd.DataFrame:
    if "tieu_chi" in out:
        out = out.assign(tieu_chi=out["tieu_chi"].map(wording.ten_tieu_chi))
    return out.rename(columns={"ten_don_vi": "Chi đoàn", "tieu_chi": "Tiêu chí", "ten_tieu_chi": "Nội dung",
                               "nguon": "Nguồn", "chi_so": "Chỉ số", "gia_tri": "Giá trị", "yeu_cau": "Yêu cầu",
                               "dat_dieu_kien": "Điều kiện", "dat_tieu_chi": "Tiêu chí đạt"})
