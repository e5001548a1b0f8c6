"""The random verification sample [001]: for each Đoàn cơ sở, a reproducible draw of the
branches it reports as up to standard, for the verification team. The seed is printed so that
anyone can redraw the same sample."""

from __future__ import annotations

import math
import zlib

import numpy as np
import pandas as pd


def sample(chi_doan: pd.DataFrame, nam: int, share: float, minimum: int, seed: int) -> pd.DataFrame:
    """Branches drawn per Đoàn cơ sở: max(minimum, ⌈share × passing⌉), at most all of them.

    Each commune's draw uses numpy's generator seeded with (seed, CRC-32 of its code), over its
    passing branches sorted by code: the same inputs always draw the same branches.
    """
    passing = chi_doan[(chi_doan["nam"] == nam) & chi_doan["dat_chuan"].fillna(False).astype(bool)
                       & chi_doan["ma_co_so"].notna()].sort_values("ma_don_vi")
    picks = []
    for code, rows in passing.groupby("ma_co_so", sort=True):
        k = len(rows)
        n = min(k, max(minimum, math.ceil(share * k)))
        rng = np.random.default_rng([seed, zlib.crc32(str(code).encode("utf-8"))])
        chosen = rows.iloc[np.sort(rng.choice(k, size=n, replace=False))]
        picks.append(chosen.assign(so_chi_doan_bao_cao_dat=k, so_chi_doan_tham_dinh=n))
    cols = ["ma_co_so", "ma_don_vi", "ten_don_vi", "nam", "so_chi_doan_bao_cao_dat", "so_chi_doan_tham_dinh"]
    out = pd.concat(picks, ignore_index=True)[cols] if picks else pd.DataFrame(columns=cols)
    out["hat_giong"] = seed
    out["cach_chon"] = (f"numpy default_rng([{seed}, crc32(mã Đoàn cơ sở)]), chọn không lặp "
                        f"max({minimum}; ⌈{share:g} × số chi đoàn đạt⌉)")
    return out
