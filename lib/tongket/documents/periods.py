"""Sentences on rating moves across years (contract §6.3): the guard target [000] on the ladder the
cycle names (the HCMC emulation ladder where given) and moves that cannot be judged across a change
of scale without a mapping."""

from __future__ import annotations

import pandas as pd

from ..assessment.periods import UNKNOWN
from ..common.vietnamese import so, sort_key, trich_dan
from ..rules.periods import PeriodScale, scale_of
from ..rules.scales import Scale


def chua_so_sanh(co_so: pd.DataFrame, scale: Scale, nam: int) -> str | None:
    """The sentence for moves across a change of scale with no mapping declared (None otherwise)."""
    if not isinstance(scale, PeriodScale) or UNKNOWN not in co_so or not co_so[UNKNOWN].any():
        return None
    old, new = scale_of(scale, nam - 1), scale_of(scale, nam)
    return (f"Chưa so sánh được việc nâng bậc, hạ bậc xếp loại với năm {nam - 1}: năm {nam - 1} xếp loại theo "
            f"{trich_dan(old.name)}, năm {nam} theo {trich_dan(new.name)}, chưa có quy định chuyển đổi giữa hai thang.")


def ha_bac(co_so: pd.DataFrame, scale: Scale, nam: int, emulation: Scale | None = None) -> str:
    """Units at or above the guard level the year before that moved down: on the emulation ladder
    when the cycle names one, else on the quality rating (the guard of last year's scale)."""
    if emulation is not None:
        ladder, flag, prev, now, what = emulation, "_ha_bac_thi_dua", "thi_dua_nam_truoc", "thi_dua", "xếp loại thi đua"
        if prev not in co_so or co_so[prev].isna().all():
            return (f"Chưa đánh giá được việc hạ bậc xếp loại thi đua: không có xếp loại thi đua năm {nam - 1}.")
        guard = ladder.label(ladder.guard).lower()
    else:
        ladder, flag, prev, now, what = scale, "_ha_bac_bao_ve", "xep_loai_nam_truoc", "xep_loai", "xếp loại"
        old = scale_of(scale, nam - 1)
        guard = old.label(old.guard).lower()
    down = co_so[co_so[flag].astype(bool)]
    if len(down):
        names = [f"{t} ({ladder.label(a).lower()} → {ladder.label(b).lower()})"
                 for t, a, b in zip(down["ten_don_vi"], down[prev], down[now])]
        return (f"Có {so(len(down))} Đoàn cơ sở năm {nam - 1} {what} từ {trich_dan(guard)} trở lên bị hạ bậc (chỉ tiêu: "
                f"không có đơn vị hạ bậc): {'; '.join(sorted(names, key=sort_key))}.")
    return f"Không có Đoàn cơ sở nào năm {nam - 1} {what} từ {trich_dan(guard)} trở lên bị hạ bậc."


__all__ = ["chua_so_sanh", "ha_bac"]
