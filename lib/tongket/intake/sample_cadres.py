"""Cadre figures of the sample province (contract §6.2), from their own random stream so that the
other figures of the sample do not move: committees of 7–15 members, 70–100 % of them up to the
cadre standard and slowly improving, a few secretaries changing each year (no blank: the sample's
blanks and their warnings stay those of the main figures)."""

from __future__ import annotations

import numpy as np

OFFSET = 1802  # this topic's own stream: seed + OFFSET (issue 18, point 2)


def add_cadres(cd_rows: list[dict], cs_rows: list[dict], seed: int) -> None:
    """Add the cadre columns to the sample's rows (in place), year after year for each unit."""
    rng = np.random.default_rng(seed + OFFSET)
    committee: dict[str, int] = {}
    share: dict[str, float] = {}
    for r in sorted(cs_rows, key=lambda x: (x["nam"], x["ma_don_vi"])):
        ma = r["ma_don_vi"]
        size = committee.setdefault(ma, int(rng.integers(7, 16)))
        base = share.setdefault(ma, float(rng.uniform(0.7, 0.95)))
        share[ma] = min(1.0, base + float(rng.normal(0.02, 0.03)))  # most committees improve a little
        changed = bool(rng.random() < 0.12)
        if changed and rng.random() < 0.5:  # a new secretary sometimes comes with a resized committee
            committee[ma] = size = int(np.clip(size + rng.integers(-2, 3), 7, 15))
        r["so_uy_vien_bch"] = size
        r["so_uy_vien_dat_chuan"] = int(np.clip(round(size * share[ma]), 0, size))
        r["so_can_bo_duoc_boi_duong"] = int(rng.integers(max(2, size // 3), size + 6))
        r["bi_thu_thay_trong_nam"] = changed
    for r in cd_rows:
        r["bi_thu_moi"] = bool(rng.random() < 0.15)
