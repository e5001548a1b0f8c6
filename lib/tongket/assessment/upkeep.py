"""Registration and upkeep of the standard [001 III], contract §6.4.

A branch's standard this year against the year before (`bien_dong_chuan`: moi_dat, giu_vung,
mat_chuan, chua_dat), and, where the workbook has sheet `dang_ky`, whether it registered at the
start of the year; counted per Đoàn cơ sở, district, province and reporting unit. Registration
figures exist only for the years the sheet holds rows for: a year without any registration was
not collected (missing), never 0.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .unit_years import Found, counter, locate, unknown

MOI_DAT, GIU_VUNG, MAT_CHUAN, CHUA_DAT = "moi_dat", "giu_vung", "mat_chuan", "chua_dat"
BIEN_DONG_CHUAN = (MOI_DAT, GIU_VUNG, MAT_CHUAN, CHUA_DAT)
# Counts of the roll-ups (contract §6.4); beyond it: registered and achieved, achieved without
# registering, Đoàn cơ sở registered for "3 chủ động" and of them achieved, pilot units.
REGISTRATION_COUNTS = ("so_chi_doan_dang_ky", "so_chi_doan_dang_ky_dat_chuan", "so_chi_doan_dat_chuan_khong_dang_ky",
                       "so_chi_doan_lam_diem", "so_co_so_dang_ky_ba_chu_dong", "so_co_so_dang_ky_dat_ba_chu_dong",
                       "so_co_so_lam_diem")
UPKEEP_COUNTS = ("so_chi_doan_moi_dat", "so_chi_doan_giu_vung", "so_chi_doan_mat_chuan", "so_chi_doan_chua_dat_hai_nam")


def branch_upkeep(chi_doan: pd.DataFrame) -> pd.DataFrame:
    """`dat_chuan_nam_truoc` and `bien_dong_chuan` per branch and year (contract §6.4): empty where
    the rubric does not apply or the branch has no result the year before. A branch up to standard
    the year before that sent nothing this year is not up to standard now (`mat_chuan`): the
    documents say it sent nothing (`co_so_lieu`)."""
    return _branch_upkeep(chi_doan)[0]


def _branch_upkeep(chi_doan: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """branch_upkeep, and each row's `bien_dong_chuan` as its position in BIEN_DONG_CHUAN (-1: blank)."""
    out = chi_doan.drop(columns=[c for c in ("dat_chuan_nam_truoc", "bien_dong_chuan") if c in chi_doan])
    code = chi_doan["ma_don_vi"]
    at = locate(code, chi_doan["nam"] - 1, code, chi_doan["nam"])
    if at is not None:  # each branch's row of the year before, found by position (no merge of the whole table)
        before = chi_doan["dat_chuan"].astype("boolean").array.take(at, allow_fill=True)
        out = out.reset_index(drop=True)
        out["dat_chuan_nam_truoc"] = pd.Series(before, index=out.index, dtype="boolean")
    else:
        prev = chi_doan[["ma_don_vi", "nam", "dat_chuan"]].copy()
        prev["nam"] = prev["nam"] + 1
        prev = prev.rename(columns={"dat_chuan": "dat_chuan_nam_truoc"}).drop_duplicates(["ma_don_vi", "nam"])
        out = out.merge(prev, on=["ma_don_vi", "nam"], how="left")
    out["dat_chuan_nam_truoc"] = out["dat_chuan_nam_truoc"].astype("boolean")
    now, before = out["dat_chuan"].astype("boolean"), out["dat_chuan_nam_truoc"]
    applies = out["_ap_dung"].astype(bool).to_numpy() if "_ap_dung" in out else now.notna().to_numpy(dtype=bool)
    both = applies & before.notna().to_numpy(dtype=bool)
    n, b = now.fillna(False).to_numpy(dtype=bool), before.fillna(False).to_numpy(dtype=bool)
    move = np.select([n & ~b, n & b, ~n & b], [0, 1, 2], default=3)  # positions in BIEN_DONG_CHUAN
    out["bien_dong_chuan"] = pd.Series(np.array(BIEN_DONG_CHUAN, dtype=object)[move], index=out.index,
                                       dtype=object).where(both, pd.NA)
    return out, np.where(both, move, -1)


def _registered(units: pd.DataFrame, dang_ky: pd.DataFrame | None, programme: str) -> pd.DataFrame:
    """`dang_ky` and `lam_diem` of every unit-year of `units` for one programme; missing in a year
    the sheet has no row for (not collected)."""
    out = units[["ma_don_vi", "nam"]].copy()
    if dang_ky is None:
        out["dang_ky"] = pd.arrays.BooleanArray(np.zeros(len(out), dtype=bool), np.ones(len(out), dtype=bool))
        out["lam_diem"] = pd.arrays.BooleanArray(np.zeros(len(out), dtype=bool), np.ones(len(out), dtype=bool))
        return out
    rows = dang_ky.dropna(subset=["ma_don_vi", "nam"])
    collected = set(rows["nam"].astype(int))
    mine = rows[rows["chuong_trinh"] == programme].drop_duplicates(["ma_don_vi", "nam"])
    mine = mine.assign(_dk=True, _ld=mine["lam_diem"].fillna(False).astype(bool))[["ma_don_vi", "nam", "_dk", "_ld"]]
    mine["nam"] = mine["nam"].astype("Int64")
    out = out.merge(mine, on=["ma_don_vi", "nam"], how="left")
    was = out["nam"].map(lambda y: not pd.isna(y) and int(y) in collected).astype(bool)
    out["dang_ky"] = out["_dk"].fillna(False).astype("boolean").where(was, pd.NA)
    out["lam_diem"] = out["_ld"].fillna(False).astype("boolean").where(was, pd.NA)
    return out.drop(columns=["_dk", "_ld"])


def _place(frame: pd.DataFrame, after: str, cols: list[str]) -> pd.DataFrame:
    """`cols` moved right after column `after` (the contract's columns stay first)."""
    rest = [c for c in frame.columns if c not in cols]
    at = rest.index(after) + 1 if after in rest else len(rest)
    return frame[rest[:at] + cols + rest[at:]]


def _moves(chi_doan: pd.DataFrame) -> np.ndarray:
    """Each branch's `bien_dong_chuan` as its position in BIEN_DONG_CHUAN (-1: blank), found once."""
    return pd.Index(BIEN_DONG_CHUAN).get_indexer(chi_doan["bien_dong_chuan"].to_numpy(dtype=object))


def _counts(chi_doan: pd.DataFrame, co_so: pd.DataFrame, rollup: pd.DataFrame, key: str,
            with_registration: bool, moves: np.ndarray | None = None, found: Found | None = None) -> pd.DataFrame:
    """The §6.4 counts of each unit-year of `rollup`, over the branches (and Đoàn cơ sở) whose
    `key` (ma_co_so, ma_huyen, ma_tinh, ma_bao_cao) is that unit (`moves`: `_moves(chi_doan)`;
    `found`: the places the assessment found already)."""
    idx = pd.MultiIndex.from_arrays([rollup["ma_don_vi"], rollup["nam"]])
    # A branch without such a unit (a blank key) is found in no unit-year: never counted.
    cd = chi_doan if key in chi_doan else chi_doan.iloc[:0]
    total = (found or Found()).places(cd, key, idx, rollup.index).counter()
    out = rollup.drop(columns=[c for c in (*REGISTRATION_COUNTS, *UPKEEP_COUNTS, "ty_le_dang_ky") if c in rollup])
    move = (_moves(chi_doan) if moves is None else moves)[: len(cd)]
    # Upkeep needs the year before: a unit with no branch compared across two years has no figure,
    # nor a district (province) whose residential branches' standard is unknown this year (none of
    # them, or none of one of its districts', sent a row: every one up to standard the year before
    # would count as lost). Within a district that sent its return, a branch that sent nothing is
    # counted as lost and named (branch_upkeep), in its Đoàn cơ sở as in its district; the year
    # after, the branches without last year's result are left out and said so.
    quiet = unknown(rollup)
    compared = (total(move >= 0) > 0) & ~quiet
    for i, col in enumerate(UPKEEP_COUNTS):
        out[col] = total(move == i).where(compared, pd.NA)
    if not with_registration:
        return out
    resid = cd["_ap_dung"].astype(bool)
    reg = cd["dang_ky"]
    collected = total(reg.notna()) > 0
    achieved = cd["dat_chuan"].fillna(False).astype(bool)
    registered = reg.fillna(False).astype(bool) & resid
    out["so_chi_doan_dang_ky"] = total(registered).where(collected, pd.NA)
    n_resid = total(resid)
    out["ty_le_dang_ky"] = (out["so_chi_doan_dang_ky"].astype("Float64") / n_resid.astype("Float64")).where(
        n_resid > 0)
    achieved_known = collected & ~quiet  # who is up to standard is unknown in a silent year
    out["so_chi_doan_dang_ky_dat_chuan"] = total(registered & achieved).where(achieved_known, pd.NA)
    out["so_chi_doan_dat_chuan_khong_dang_ky"] = total(~registered & achieved & resid).where(achieved_known, pd.NA)
    out["so_chi_doan_lam_diem"] = total(cd["lam_diem"].fillna(False).astype(bool)).where(collected, pd.NA)
    cs = co_so[co_so[key].notna()] if key in co_so else co_so.iloc[:0]
    ctotal = counter(cs, key, idx, rollup.index)
    ccollected = ctotal(cs["dang_ky_ba_chu_dong"].notna()) > 0
    creg = cs["dang_ky_ba_chu_dong"].fillna(False).astype(bool)
    out["so_co_so_dang_ky_ba_chu_dong"] = ctotal(creg).where(ccollected, pd.NA)
    out["so_co_so_dang_ky_dat_ba_chu_dong"] = ctotal(creg & cs["ba_chu_dong"].fillna(False).astype(bool)).where(
        ccollected, pd.NA)
    out["so_co_so_lam_diem"] = ctotal(cs["lam_diem"].fillna(False).astype(bool)).where(ccollected, pd.NA)
    return out


def add_upkeep(dang_ky: pd.DataFrame | None, chi_doan: pd.DataFrame, co_so: pd.DataFrame, huyen: pd.DataFrame,
               tinh: pd.DataFrame, bao_cao: pd.DataFrame | None, cap: str,
               found: Found | None = None) -> tuple[pd.DataFrame, ...]:
    """The result tables with the §6.4 columns: per branch, then counted per Đoàn cơ sở, district,
    province and reporting unit (registration columns only when the workbook has sheet dang_ky;
    `found`: the branches' places the assessment found already)."""
    has = dang_ky is not None
    chi_doan, moves = _branch_upkeep(chi_doan)
    if has:  # without a registration sheet the columns are not there at all (not collected)
        reg = _registered(chi_doan, dang_ky, "chi_doan_dat_chuan")
        chi_doan["dang_ky"] = reg["dang_ky"].to_numpy()
        chi_doan["lam_diem"] = reg["lam_diem"].to_numpy()
        cs_reg = _registered(co_so, dang_ky, "ba_chu_dong")
        co_so = co_so.assign(dang_ky_ba_chu_dong=cs_reg["dang_ky"].to_numpy(), lam_diem=cs_reg["lam_diem"].to_numpy())
    first = (["dang_ky"] if has else []) + ["dat_chuan_nam_truoc", "bien_dong_chuan"]
    chi_doan = _place(chi_doan, "cong_nhan" if "cong_nhan" in chi_doan else "xep_loai", first)
    cd_for_counts = chi_doan
    reg_cols = ["so_chi_doan_dang_ky", "ty_le_dang_ky"] if has else []
    up_cols = list(UPKEEP_COUNTS[:3])

    def counted(frame: pd.DataFrame, key: str) -> pd.DataFrame:
        out = _counts(cd_for_counts, co_so, frame, key, has, moves, found)
        return _place(out, "bien_dong" if "bien_dong" in out else "so_thanh_nien_1_1", reg_cols + up_cols)

    co_so_out = counted(co_so, "ma_co_so") if "ma_co_so" in chi_doan else co_so
    huyen = counted(huyen, "ma_huyen")
    tinh = counted(tinh, "ma_tinh")
    if bao_cao is not None:
        bao_cao = counted(bao_cao, f"ma_{cap}")
    return chi_doan, co_so_out, huyen, tinh, bao_cao
