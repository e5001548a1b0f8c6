"""The [000 II.3.2] targets on «cơ sở Đoàn các cấp» in the reports' sentences: where the cycle
measures a rating target on Đoàn cơ sở and chi đoàn cơ sở together, the sentences on Đoàn cơ sở
alone state their figures without a verdict, and one sentence states the population's figures
against the target (the targets table's own verdict, never a second one on another population)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..assessment.periods import guard
from ..common.vietnamese import phan_tram, so, so_dem, trich_dan
from ..rules.params import Cycle
from ..rules.targets_spec import TOI_THIEU, declared
from .rows import goal_words

# The contract's indicator over Đoàn cơ sở, and the same over «cơ sở Đoàn các cấp».
WIDER = {"ty_le_duoc_xep_loai": "ty_le_co_so_doan_duoc_xep_loai", "ty_le_nang_bac": "ty_le_co_so_doan_nang_bac",
         "so_ha_bac": "so_co_so_doan_ha_bac"}


def wider_targets(cycle: Cycle) -> dict[str, float]:
    """The cycle's targets measured on «cơ sở Đoàn các cấp», by their indicator (its threshold)."""
    return {s.chi_so[0]: t for s, t in declared(cycle.chi_tieu, cycle.targets)
            if len(s.chi_so) == 1 and s.chi_so[0] in WIDER.values()}


def own_targets(cycle: Cycle) -> dict[str, float]:
    """The cycle's thresholds by key, without the [000] rating targets the cycle measures on another
    population (the sentences on Đoàn cơ sở alone then give no verdict of their own)."""
    moved = {k for k, wide in WIDER.items() if wide in wider_targets(cycle)}
    specs = {s.key: s for s, _ in declared(cycle.chi_tieu, cycle.targets)}
    return {k: v for k, v in cycle.targets.items() if not (k in moved and k in specs and specs[k].chi_so != (k,))}


def _verdict(actual: Any, target: float | None, at_most: bool = False) -> str:
    if target is None or actual is None or pd.isna(actual):
        return ""
    ok = actual <= target + 1e-12 if at_most else actual >= target - 1e-12
    goal = ("không có đơn vị hạ bậc" if target == 0 else f"không quá {so(target)}") if at_most \
        else goal_words(target, TOI_THIEU, True)
    return f" (chỉ tiêu {goal}: {'đạt' if ok else 'chưa đạt'})"


def sentences(now: pd.Series, cycle: Cycle, nam: int) -> list[str]:
    """The sentence on «cơ sở Đoàn các cấp» against the cycle's targets (none when the cycle sets
    no target on that population, or the unit has none of it)."""
    wide = wider_targets(cycle)
    n = now.get("so_co_so_doan")
    if not wide or n is None or pd.isna(n) or not int(n):
        return []
    n, direct = int(n), int(now["so_chi_doan_co_so"])
    rated = now["so_co_so_doan_duoc_xep_loai"]
    if pd.isna(rated):  # its chi đoàn cơ sở sent no row that year (assessment.population.rollup)
        parts = [f"chưa đánh giá được (chi đoàn cơ sở chưa gửi số liệu năm {nam})"]
    else:
        parts = [f"đã đánh giá, xếp loại {so(rated)}/{so(n)} đơn vị, tỉ lệ {phan_tram(now['ty_le_co_so_doan_duoc_xep_loai'])}"
                 + _verdict(now["ty_le_co_so_doan_duoc_xep_loai"], wide.get(WIDER["ty_le_duoc_xep_loai"]))]
    if pd.isna(rated):
        pass
    elif pd.isna(now["ty_le_co_so_doan_nang_bac"]):
        parts.append(f"chưa đánh giá được việc nâng bậc, hạ bậc (không có số liệu năm {nam - 1})")
    else:
        parts.append(f"{so(now['so_co_so_doan_nang_bac'])} đơn vị nâng bậc so với năm {nam - 1}, tỉ lệ "
                     f"{phan_tram(now['ty_le_co_so_doan_nang_bac'])}"
                     + _verdict(now["ty_le_co_so_doan_nang_bac"], wide.get(WIDER["ty_le_nang_bac"])))
        g = guard(cycle, nam)
        if "thi_dua" not in g.rollup:  # on the emulation ladder only Đoàn cơ sở are rated: its own sentence
            down = int(now["so_co_so_doan_ha_bac"])
            parts.append(("không có đơn vị" if not down else f"{so(down)} đơn vị") + f" năm {nam - 1} xếp loại từ "
                         f"{trich_dan(g.guard_label.lower())} trở lên bị hạ bậc"
                         + _verdict(down, wide.get(WIDER["so_ha_bac"]), at_most=True))
    who = (f"{so_dem(n - direct)} Đoàn cơ sở và {so_dem(direct)} chi đoàn cơ sở trực thuộc" if direct else
           f"{so_dem(n)} Đoàn cơ sở, không có chi đoàn cơ sở trực thuộc")
    return [f"Tính chung cơ sở Đoàn các cấp ({who}): {'; '.join(parts)}."]


__all__ = ["WIDER", "own_targets", "sentences", "wider_targets"]
