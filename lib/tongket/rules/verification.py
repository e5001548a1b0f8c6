"""The random verification sample [001] and its results [001 III.2 bước 4], contract §6.1.

Step one: for each Đoàn cơ sở, a reproducible draw of the branches it reports as up to standard,
for the verification team (the draw can be redone by anyone from the same inputs). Step two: the
team's results come back in sheet `tham_dinh`; a branch is recognised (`cong_nhan`) only when it
is up to standard and neither failed verification nor still awaits its result."""

from __future__ import annotations

import math
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .settings import Verification

# Output values of `tham_dinh` (contract §6.1) and how documents print them.
DAT, CHUA_DAT, CHO_KET_QUA = "dat", "chua_dat", "cho_ket_qua"
TEN_KET_QUA = {DAT: "Đạt", CHUA_DAT: "Chưa đạt", CHO_KET_QUA: "Chờ kết quả"}


def sample(chi_doan: pd.DataFrame, nam: int, share: float, minimum: int, seed: int) -> pd.DataFrame:
    """Branches drawn per Đoàn cơ sở: max(minimum, ⌈share × passing⌉), at most all of them.

    Each commune's draw uses numpy's generator seeded with (seed, CRC-32 of its code), over its
    passing branches sorted by code: the same inputs always draw the same branches.
    """
    cols = ["ma_co_so", "ma_don_vi", "ten_don_vi", "nam", "so_chi_doan_bao_cao_dat", "so_chi_doan_tham_dinh"]
    of_year = chi_doan.loc[(chi_doan["nam"] == nam).fillna(False).to_numpy(dtype=bool), cols[:4] + ["dat_chuan"]]
    passing = of_year.loc[of_year["dat_chuan"].fillna(False).astype(bool) & of_year["ma_co_so"].notna(),
                          cols[:4]].sort_values("ma_don_vi")
    # One draw per commune (in the order of their codes), then one sort and one take of every drawn
    # row: each commune's picks lie in its own run of positions, so sorting them all at once sorts
    # each commune's, in the communes' order.
    group, codes = pd.factorize(passing["ma_co_so"], sort=True)
    sizes = np.bincount(group, minlength=len(codes))
    by_group = np.argsort(group, kind="stable")
    starts = np.cumsum(sizes) - sizes
    wanted = [min(k, max(minimum, math.ceil(share * k))) for k in sizes.tolist()]
    picks = [start + np.random.default_rng([seed, zlib.crc32(str(code).encode("utf-8"))]).choice(k, size=n, replace=False)
             for code, start, k, n in zip(codes, starts.tolist(), sizes.tolist(), wanted, strict=True)]
    if picks:
        n = np.asarray(wanted, dtype=np.int64)
        out = passing.iloc[by_group[np.sort(np.concatenate(picks))]].reset_index(drop=True)
        out["so_chi_doan_bao_cao_dat"] = np.repeat(sizes.astype(np.int64), n)
        out["so_chi_doan_tham_dinh"] = np.repeat(n, n)
    else:
        out = pd.DataFrame(columns=cols)
    out["hat_giong"] = seed
    out["cach_chon"] = method(share, minimum, seed)
    return out


def method(share: float, minimum: int, seed: int) -> str:
    """How the draw is made, precisely enough to redo it (for the team's workbook, not for signed text)."""
    return (f"numpy default_rng([{seed}, crc32(mã Đoàn cơ sở)]), chọn không lặp "
            f"max({minimum}; ⌈{share:g} × số chi đoàn đạt⌉) trong các chi đoàn báo cáo đạt, xếp theo mã")


def mark(chi_doan: pd.DataFrame, results: pd.DataFrame | None, settings: Verification | Mapping[str, Any],
         nam: int) -> pd.DataFrame:
    """`chi_doan` with `tham_dinh` (dat, chua_dat, cho_ket_qua or empty), `cong_nhan` and the team's
    note `ghi_chu_tham_dinh` (contract §6.1).

    The sample is drawn for the cycle's year `nam`; a result entered for any branch and year counts,
    drawn or not. A blank result is no result. `settings` is the cycle's `verification` section."""
    how = Verification.of(settings)  # the cycle's section, or share/min/seed as a mapping (defaults declared there)
    drawn = sample(chi_doan, nam, how.share, how.minimum, how.seed)
    # Every drawn branch is of year `nam`: a code test on that year's rows finds the same ones.
    in_sample = np.array((chi_doan["nam"] == nam).fillna(False), dtype=bool)  # a copy: written below
    in_sample[in_sample] = chi_doan["ma_don_vi"][in_sample].isin(drawn["ma_don_vi"]).to_numpy(dtype=bool)
    verdict = pd.Series(pd.NA, index=chi_doan.index, dtype="boolean")
    note = pd.Series(pd.NA, index=chi_doan.index, dtype=object)
    if results is not None and not results.empty:
        given = results.dropna(subset=["ma_don_vi", "nam", "ket_qua"]).drop_duplicates(["ma_don_vi", "nam"])
        given = given.set_index([given["ma_don_vi"].astype(object), given["nam"].astype("Int64")])
        keys = pd.MultiIndex.from_arrays([chi_doan["ma_don_vi"].astype(object), chi_doan["nam"].astype("Int64")])
        verdict = pd.Series(given["ket_qua"].reindex(keys).to_numpy(), index=chi_doan.index, dtype="boolean")
        if "ghi_chu" in given:
            note = pd.Series(given["ghi_chu"].reindex(keys).to_numpy(), index=chi_doan.index, dtype=object)
    # 0: no verification (blank), then DAT, CHUA_DAT, CHO_KET_QUA: chosen as codes, worded by one take.
    state = np.select([verdict.eq(True).fillna(False).to_numpy(dtype=bool),
                       verdict.eq(False).fillna(False).to_numpy(dtype=bool), in_sample], [1, 2, 3], default=0)
    out = chi_doan.copy(deep=False)  # copy-on-write: the caller's frame is never changed
    shown = np.array([pd.NA, DAT, CHUA_DAT, CHO_KET_QUA], dtype=object)[state]
    out["tham_dinh"] = pd.Series(shown, index=out.index, dtype=object)
    passing = out["dat_chuan"].astype("boolean")
    blocked = pd.Series(state >= 2, index=out.index)  # failed, or awaiting its result
    out["cong_nhan"] = (passing & ~blocked).where(passing.notna(), pd.NA).astype("boolean")
    out["ghi_chu_tham_dinh"] = note.where(note.notna(), pd.NA)
    return out


def awaiting(chi_doan: pd.DataFrame, nam: int) -> pd.DataFrame:
    """The branches of year `nam` drawn for verification whose result is not in yet."""
    return chi_doan[(chi_doan["nam"] == nam) & (chi_doan["tham_dinh"] == CHO_KET_QUA)]


def complete(chi_doan: pd.DataFrame, nam: int) -> bool:
    """Whether every branch drawn in year `nam` has its verification result (a decision may then be final)."""
    return awaiting(chi_doan, nam).empty


def verified(chi_doan: pd.DataFrame, nam: int) -> pd.DataFrame:
    """The branches of year `nam` with a verification result (drawn or not)."""
    return chi_doan[(chi_doan["nam"] == nam) & chi_doan["tham_dinh"].isin([DAT, CHUA_DAT])]


def awaiting_in_folder(folder: Path, detail: bool = True) -> list[str]:
    """The run's warning for a unit's written documents: the branches its verification workbook
    (danh_sach_tham_dinh.xlsx) lists without a result, by Đoàn cơ sở (`detail`: named, else only
    counted); read back from the file."""
    import openpyxl

    from ..common.vietnamese import sort_key

    book = folder / "danh_sach_tham_dinh.xlsx"
    if not book.is_file():
        return []
    wb = openpyxl.load_workbook(book, read_only=True)
    try:
        rows = list(wb["tham_dinh"].iter_rows(min_row=4, values_only=True))
    finally:
        wb.close()
    groups: dict[str, list[str]] = {}
    for r in rows:
        if r and r[0] and not r[5]:
            groups.setdefault(str(r[3]), []).append(str(r[2]))
    if not groups:
        return []
    n = sum(len(v) for v in groups.values())
    decision = (folder / "quyet_dinh_cong_nhan.docx").is_file()
    head = (f"{n} chi đoàn chờ kết quả thẩm định"
            + ("; quyết định công nhận là DỰ THẢO (chưa có số) đến khi đủ kết quả" if decision else "")
            + ". Nhập kết quả vào trang tham_dinh của sổ dữ liệu (mẫu: danh_sach_tham_dinh.xlsx) rồi chạy lại:")
    if not detail:
        return [head.removesuffix(":") + f" (danh sách theo Đoàn cơ sở ở cảnh báo của từng đơn vị; {len(groups)} Đoàn cơ sở)."]
    return [head, *(f"  – {k}: {', '.join(v)}" for k, v in sorted(groups.items(), key=lambda kv: sort_key(kv[0])))]
