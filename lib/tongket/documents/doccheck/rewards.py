"""The tờ trình đề nghị khen thưởng and the half-year “1+1” review read back: the tờ trình lists
exactly the units the cycle's rule proposes (their ratings as the year-end report has them) and its
counts equal its list; the review's table and totals equal the half-year figures."""

from __future__ import annotations

import re
from typing import Any

from ...common.vietnamese import fold, phan_tram, so, so_dem
from .finding import Finding, excerpt
from .reader import Doc

TO_TRINH = "to_trinh_khen_thuong"
MOT_CONG_MOT = "bao_cao_mot_cong_mot"


def _table(doc: Doc, first: str) -> list[list[str]] | None:
    return next((rows for rows in doc.tables if rows and len(rows[0]) > 1 and fold(rows[0][1]) == fold(first)), None)


def to_trinh(doc: Doc, review: Any, ma: str, nam: int) -> list[Finding]:
    """Every listed unit is proposed by the rule with the rating the results have; every proposed
    unit is listed; the counts the text states equal the list."""
    from ...assessment.targets import qualify
    from ..rewards import proposed

    judged = proposed(review, ma, nam)
    judged = qualify(judged, review.results) if len(judged) else judged
    want = {str(r.ten_don_vi): review.cycle.scale.label(r.xep_loai)
            for r in judged[judged["de_nghi"].astype(bool)].itertuples()}
    why = dict(zip(judged["ten_don_vi"].astype(str), judged["ly_do"].astype(str)))
    rows = _table(doc, "Tên tập thể")
    out: list[Finding] = []
    listed = [] if rows is None else rows[1:]
    for r in listed:
        name, rating = r[1], r[3] if len(r) > 3 else ""
        if name not in want:
            out.append(Finding(doc.name, "so_lieu", " | ".join(r),
                               f"không đủ điều kiện đề nghị khen thưởng: {why.get(name) or 'không có trong kết quả'}"))
        elif rating != want[name]:
            out.append(Finding(doc.name, "so_lieu", " | ".join(r), f"báo cáo tổng kết xếp loại {want[name]}"))
    for name in sorted(set(want) - {r[1] for r in listed}):
        out.append(Finding(doc.name, "so_lieu", name, "đủ điều kiện đề nghị khen thưởng nhưng thiếu trong danh sách"))
    for b in doc.blocks:
        for m in re.finditer(r"(?:cho|\() ?(\d+) tập thể", b.text):
            if m.group(1) != so_dem(len(listed)):
                out.append(Finding(doc.name, "so_lieu", excerpt(b.text, m.start(), m.end()),
                                   f"danh sách kèm theo có {len(listed)} tập thể"))
    return out


def one_plus_one(doc: Doc, review: Any, ma: str, nam: int) -> list[Finding]:
    """Each row of the review's table, and its totals sentence, against the half-year figures."""
    from ..one_plus_one import table

    t = table(review, ma, nam)
    rows = _table(doc, "Đoàn cơ sở") or _table(doc, "Đơn vị")
    out: list[Finding] = []
    if rows is None:
        return out
    by_name = {str(r.ten_don_vi): r for r in t.itertuples()}
    cols = [(3, "so_doan_vien", so), (4, "so_dv_gioi_thieu_1_1", so), (5, "ty_le_dv_1_1", phan_tram),
            (6, "so_thanh_nien_1_1", so), (8, "ty_le_dv_1_1_ca_nam", phan_tram)]
    for r in rows[1:]:
        want = by_name.get(r[1])
        if want is None:
            out.append(Finding(doc.name, "so_lieu", " | ".join(r), "không có số liệu 6 tháng của đơn vị này"))
            continue
        for j, col, show in cols:
            shown = show(getattr(want, col))
            if j < len(r) and r[j] != shown:
                out.append(Finding(doc.name, "so_lieu", " | ".join(r), f"{rows[0][j]}: bảng kết quả {shown}"))
    complete = t[t["ty_le_dv_1_1"].notna()]
    gt, dv = int(complete["so_dv_gioi_thieu_1_1"].sum()), int(complete["so_doan_vien"].sum())
    for b in doc.blocks:
        for m in re.finditer(r"([\d.]+)/([\d.]+) đoàn viên đã giới thiệu", b.text):
            if (m.group(1), m.group(2)) != (so(gt), so(dv)):
                out.append(Finding(doc.name, "so_lieu", excerpt(b.text, m.start(), m.end()),
                                   f"tổng 6 tháng {so(gt)}/{so(dv)}"))
    return out


def programme_checks(docs: list[Doc], review: Any, ma: str, nam: int) -> list[Finding]:
    """The checks of the documents of issue 19 points 2 and 4, on those of a unit's documents."""
    out: list[Finding] = []
    for d in docs:
        if d.kind == TO_TRINH:
            out += to_trinh(d, review, ma, nam)
        elif d.kind == MOT_CONG_MOT:
            out += one_plus_one(d, review, ma, nam)
    return out
