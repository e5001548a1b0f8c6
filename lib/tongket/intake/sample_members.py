"""Member ratings of the sample province (contract §6.2): per branch and year, on that year's scale.

Seeded from its own random stream (`seed + OFFSET`), so the other figures of the sample do not move.
Members assessed are at most the members; the levels add up to them; years before 2019 use the
old levels (Xuất sắc, Khá, Trung bình, Yếu).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..rules.members import ASSESSED, load_member_scale

OFFSET = 181  # this topic's own stream (issue 18, point 1)


def add_members(units: list[Any], cd_rows: list[dict], seed: int) -> None:
    """Add `so_dv_duoc_danh_gia` and the year's level counts to every branch row (in place)."""
    rng = np.random.default_rng(seed + OFFSET)
    scale = load_member_scale()
    quality = {u.ma: float(getattr(u, "q", 0.5)) for u in units}
    for r in cd_rows:
        members = r.get("so_doan_vien")
        period = scale.period(int(r["nam"]))
        if members is None or period is None:
            continue
        q = quality.get(r["ma_don_vi"], 0.5)
        assessed = int(members) - int(rng.binomial(int(members), float(np.clip(0.08 - 0.06 * q, 0.005, 0.1))))
        top = float(np.clip(0.08 + 0.12 * q + rng.normal(0, 0.02), 0.02, 0.3))
        good = float(np.clip(0.40 + 0.2 * q + rng.normal(0, 0.04), 0.2, 0.65))
        bad = float(np.clip(0.05 - 0.04 * q + rng.normal(0, 0.01), 0.0, 0.08))
        shares = np.array([top, good, max(0.0, 1 - top - good - bad), bad])
        counts = rng.multinomial(assessed, shares / shares.sum())
        r[ASSESSED] = assessed
        for col, n in zip(period.columns, counts):
            r[col] = int(n)


__all__ = ["OFFSET", "add_members"]
