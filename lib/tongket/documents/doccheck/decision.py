"""The decision of recognition: it names only units that qualify, its counts equal its lists, and
it is a draft exactly while a drawn branch awaits its verification result."""

from __future__ import annotations

import re

from ...common.vietnamese import fold
from .finding import Finding, excerpt
from .printed import number
from .reader import Doc
from .results import Expected
from .words import PARENT_HEADERS

DECISION = "quyet_dinh_cong_nhan"


def recognised(doc: Doc, exp: Expected) -> list[Finding]:
    """The decision names only branches that qualify (up to standard, not failed or awaiting
    verification) and only Đoàn cơ sở that are “3 chủ động”; its counts equal its lists."""
    if doc.kind != DECISION or exp.recognisable is None:
        return []
    out = []
    listed_cd = listed_cs = None
    for rows in doc.tables:
        if not rows:
            continue
        head = [fold(h) for h in rows[0]]
        if fold("Chi đoàn") in head:
            i = head.index(fold("Chi đoàn"))
            p = next((j for j, h in enumerate(head) if h in PARENT_HEADERS), None)
            listed_cd = (listed_cd or 0) + len(rows) - 1
            for r in rows[1:]:
                key = (r[i], r[p] if p is not None and p < len(r) else "")
                why = exp.recognisable.get(key)
                if why is None and p is None:
                    why = next((w for (n, _), w in exp.recognisable.items() if n == r[i]), None)
                if why != "":
                    out.append(Finding(doc.name, "cong_nhan", " | ".join(r),
                                       why or "không có trong kết quả đánh giá của đơn vị"))
        elif fold("Đoàn cơ sở") in head and exp.ba_chu_dong is not None:
            i = head.index(fold("Đoàn cơ sở"))
            listed_cs = (listed_cs or 0) + len(rows) - 1
            for r in rows[1:]:
                ok = exp.ba_chu_dong.get(r[i])
                if not ok:
                    out.append(Finding(doc.name, "cong_nhan", " | ".join(r),
                                       "chưa đạt “3 chủ động”" if ok is False else "không có trong kết quả đánh giá"))
    for b in doc.blocks:
        for m in re.finditer(r"Công nhận ([\d.]+) chi đoàn", b.text):
            if listed_cd is not None and number(m.group(1)) != listed_cd:
                out.append(Finding(doc.name, "so_lieu", excerpt(b.text, m.start(), m.end()),
                                   f"danh sách kèm theo có {listed_cd} chi đoàn"))
        for m in re.finditer(r"([\d.]+) Đoàn cơ sở đạt tiêu chí “3 chủ động”", b.text):
            if listed_cs is not None and number(m.group(1)) != listed_cs and b.prose:
                out.append(Finding(doc.name, "so_lieu", excerpt(b.text, m.start(), m.end()),
                                   f"danh sách kèm theo có {listed_cs} Đoàn cơ sở"))
    return out


_NUMBER = re.compile(r"Số:\s*([^\s/]*)")


def draft_state(doc: Doc, exp: Expected) -> list[Finding]:
    """While a drawn branch awaits its verification result the decision is a draft («DỰ THẢO», no
    number, no claim that verification was done); once none awaits, it is final (no «DỰ THẢO»)."""
    if doc.kind != DECISION:
        return []
    text = doc.text
    draft = "DỰ THẢO" in text
    m = _NUMBER.search(text)
    number_line = m.group(0) if m and re.search(r"\d", m.group(1)) else None  # «Số: 12/QĐ-…»: numbered
    out = []
    if exp.awaiting:
        waiting = ", ".join(exp.awaiting[:5]) + (f" và {len(exp.awaiting) - 5} chi đoàn khác"
                                                  if len(exp.awaiting) > 5 else "")
        if not draft:
            out.append(Finding(doc.name, "du_thao", "QUYẾT ĐỊNH",
                               f"thiếu «DỰ THẢO»: còn {len(exp.awaiting)} chi đoàn chờ kết quả thẩm định ({waiting})"))
        if number_line is not None:
            out.append(Finding(doc.name, "du_thao", number_line, "dự thảo chưa được ghi số"))
        for b in doc.blocks:
            if re.search(r"Căn cứ(?!.*(?:chờ|chưa có|sau khi có) kết quả thẩm định).*kết quả thẩm định", b.text):
                out.append(Finding(doc.name, "du_thao", b.text, "chưa thẩm định xong, không viện dẫn kết quả thẩm định"))
    elif draft:
        out.append(Finding(doc.name, "du_thao", "DỰ THẢO", "mọi chi đoàn được chọn đã có kết quả thẩm định"))
    return out
