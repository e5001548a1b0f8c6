"""The decision recognising special units' progress [003] (quyet_dinh_tien_bo): it names only
special Đoàn cơ sở the cycle's rule recognises, and the count of its Điều 1 equals its list."""

from __future__ import annotations

import re
from typing import Any

from ...common.vietnamese import fold
from .finding import Finding, excerpt
from .printed import number
from .reader import Doc

DECISION = "quyet_dinh_tien_bo"


def progress_expected(review: Any, ma_don_vi: str, nam: int) -> dict[str, bool] | None:
    """Special Đoàn cơ sở name -> progress recognised by the rule; None without sheet dac_thu_tien_do."""
    from ..special_units import table

    if review.data.optional.get("dac_thu_tien_do") is None:
        return None
    t = table(review, ma_don_vi, nam)
    return {str(n): bool(v) for n, v in zip(t["ten_don_vi"], t["cong_nhan"])}


def progress_recognised(doc: Doc, expected: dict[str, bool] | None) -> list[Finding]:
    """Every unit the decision lists is special and recognised by the rule; Điều 1 counts the list."""
    if doc.kind != DECISION or expected is None:
        return []
    out, listed = [], None
    for rows in doc.tables:
        head = [fold(h) for h in rows[0]] if rows else []
        if fold("Đoàn cơ sở") not in head or fold("Số quý tiến bộ") not in head:
            continue
        i = head.index(fold("Đoàn cơ sở"))
        listed = (listed or 0) + len(rows) - 1
        for r in rows[1:]:
            ok = expected.get(r[i])
            if not ok:
                out.append(Finding(doc.name, "cong_nhan", " | ".join(r),
                                   "chưa đủ điều kiện công nhận tiến bộ" if ok is False else
                                   "không phải Đoàn cơ sở đặc thù của đơn vị"))
    for b in doc.blocks:
        for m in re.finditer(r"đối với ([\d.]+) Đoàn cơ sở đặc thù", b.text):
            if number(m.group(1)) != (listed or 0):
                out.append(Finding(doc.name, "so_lieu", excerpt(b.text, m.start(), m.end()),
                                   f"danh sách kèm theo có {listed or 0} Đoàn cơ sở"))
    return out
