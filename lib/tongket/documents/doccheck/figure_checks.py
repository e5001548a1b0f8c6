"""Every figure a unit's reports state against the result tables: the headline sentences, a
period's totals, the appendix (both years and the printed change), tables by year and by unit."""

from __future__ import annotations

import re

import pandas as pd

from ...assessment.compare import KHAC_PHAM_VI, chua_du
from ...assessment.members import incomplete
from ...assessment.members import labels as member_labels
from ...common.vietnamese import fold, is_missing, phan_tram, so
from ..cadres import COUNTED, blanks
from ..rows import none_sent
from .finding import Finding, excerpt
from .printed import LABELS, SENTENCES, as_printed, number, same_change, signed
from .reader import Doc
from .results import Expected
from .words import is_text

UNIT_REPORTS = ("bao_cao_tong_ket", "bao_cao_tong_hop", "bao_cao_so_ket", "phu_luc_so_lieu")
# A rate followed by its change: «68,0%, tăng 1,3 điểm phần trăm so với năm 2020».
_CHANGE = re.compile(r"([\d.,]+)%, (tăng|giảm) ([\d.,]+) điểm phần trăm so với năm (\d{4})")
# A count followed by its change: «Kết nạp 918 đoàn viên mới, giảm 33 đoàn viên (3,5%) so với năm 2020».
_COUNT_CHANGE = re.compile(r"Kết nạp ([\d.]+) đoàn viên mới, (tăng|giảm) ([\d.]+) đoàn viên(?: \(([\d.,]+%)\))? "
                           r"so với năm (\d{4})")


def figures(doc: Doc, exp: Expected) -> list[Finding]:
    """Every figure the unit's documents state against the result tables: the headline sentences,
    the appendix's rows (both years, and the printed change), the table of units below it."""
    out: list[Finding] = []

    def differ(text: str, shown: str, want: str | None, what: str) -> None:
        if want is not None and shown != want:
            out.append(Finding(doc.name, "so_lieu", text, f"{what}: văn bản ghi {shown}, bảng kết quả {want}"))

    if exp.now is not None and doc.kind in UNIT_REPORTS:
        for b in doc.blocks:
            if not b.prose:
                continue
            period = _PERIOD.search(b.text)
            if period:  # a period's totals: each count against the sum of the years it names
                out += _period_totals(doc, b.text, period, exp)
                continue
            for pattern, cols in SENTENCES:
                for m in pattern.finditer(b.text):
                    for g, (col, kind) in enumerate(cols, start=1):
                        if m.group(g) is None:
                            continue
                        differ(excerpt(b.text, m.start(), m.end(), 0), m.group(g), as_printed(exp.now, col, kind),
                               col or "")
            for m in _COUNT_CHANGE.finditer(b.text):
                out += _count_change(doc, b.text, m, exp)
            for m in _CHANGE.finditer(b.text):
                now, delta, year = number(m.group(1)), number(m.group(3)), int(m.group(4))
                before = _printed_before(b.text[:m.start()] + m.group(1) + "%", exp) if year == exp.nam - 1 else None
                if now is None or delta is None or before is None:
                    continue
                want = round(now - before, 1)
                sign = "tăng" if want > 0 else "giảm"
                if abs(want) != delta or (want != 0 and m.group(2) != sign):
                    out.append(Finding(doc.name, "so_lieu", excerpt(b.text, m.start(), m.end(), 0),
                                       f"từ {so(before, 1)}% lên {m.group(1)}% là {sign} {so(abs(want), 1)} "
                                       "điểm phần trăm"))
        for rows in doc.tables:
            out += _appendix(doc, rows, exp)
            out += _year_table(doc, rows, exp)
    if doc.kind in UNIT_REPORTS:
        for rows in doc.tables:
            out += _unit_table(doc, rows, exp)
    return out


_PERIOD = re.compile(r"(\d{4})\s*[–-]\s*(\d{4})|[Tt]ừ năm (\d{4}) đến năm (\d{4})")


def _period_totals(doc: Doc, text: str, period: re.Match, exp: Expected) -> list[Finding]:
    """«Từ năm 2018 đến năm 2021, … giới thiệu 741 đoàn viên ưu tú …»: each count of a period
    sentence against the sum of the unit's rows of those years (skipped where a year is missing)."""
    first, last = (int(g) for g in (period.group(1, 2) if period.group(1) else period.group(3, 4)))
    years = [exp.years.get(y) for y in range(first, last + 1)]
    if any(r is None for r in years):
        return []
    rows = [r for r in years if r is not None]
    out = []
    for pattern, cols in SENTENCES:
        for m in pattern.finditer(text):
            for g, (col, kind) in enumerate(cols, start=1):
                if m.group(g) is None or kind != "so" or not col or col not in rows[0].index:
                    continue
                values = [r.get(col) for r in rows]
                if any(is_missing(v) for v in values):
                    continue
                want = so(sum(float(v) for v in values))
                if m.group(g) != want:
                    out.append(Finding(doc.name, "so_lieu", excerpt(text, m.start(), m.end(), 0),
                                       f"{col} {first}–{last}: văn bản ghi {m.group(g)}, tổng các năm {want}"))
    return out


def _count_change(doc: Doc, text: str, m: re.Match, exp: Expected) -> list[Finding]:
    """«Kết nạp N đoàn viên mới, tăng/giảm D đoàn viên (P%) so với năm N−1» against both years."""
    if int(m.group(5)) != exp.nam - 1 or exp.before is None or exp.now is None:
        return []
    before, now = exp.before.get("so_ket_nap_moi"), exp.now.get("so_ket_nap_moi")
    if is_missing(before) or is_missing(now):
        return []
    delta = float(now) - float(before)
    sign = "tăng" if delta > 0 else "giảm"
    wrong = so(abs(delta)) != m.group(3) or (delta != 0 and m.group(2) != sign)
    if m.group(4) and before:
        wrong = wrong or phan_tram(abs(delta) / float(before)) != m.group(4)
    if not wrong:
        return []
    share = f" ({phan_tram(abs(delta) / float(before))})" if before else ""
    return [Finding(doc.name, "so_lieu", excerpt(text, m.start(), m.end(), 0),
                    f"năm {exp.nam - 1} kết nạp {so(before)}, năm {exp.nam} {so(now)}: {sign} {so(abs(delta))} "
                    f"đoàn viên{share}")]


def _printed_before(text: str, exp: Expected) -> float | None:
    """The year-before rate (as printed, one decimal) of the rate a change follows."""
    if exp.before is None:
        return None
    for pattern, col in ((r"chi đoàn trên địa bàn dân cư đạt chuẩn, tỉ lệ [\d.,]+%$", "ty_le_dat_chuan"),
                         (r"Tỉ lệ tập hợp thanh niên đạt [\d.,]+%$", "ty_le_tap_hop"),
                         (r"Có [\d.,]+%$", "ty_le_dv_1_1")):
        if re.search(pattern, text) and col in exp.before.index and not is_missing(exp.before[col]):
            return number(phan_tram(exp.before[col]))
    return None


MEMBER_COLS = {col for col, _ in member_labels().values()}


def _partial(row: pd.Series | None, col: str) -> int:
    """How many units a year's total of `col` leaves out (Đoàn cơ sở without the cadre figure,
    branches with incomplete member figures)."""
    return blanks(row, col) if col in COUNTED else incomplete(row) if col in MEMBER_COLS else 0


def _noted(label: str) -> tuple[str, str]:
    """An appendix row's label and its note: «Số đoàn viên (không cùng phạm vi)» → the two."""
    m = re.fullmatch(r"(.*?) \(([^()]*)\)", label.strip())
    return (m.group(1), m.group(2)) if m else (label, "")


def _appendix(doc: Doc, rows: list[list[str]], exp: Expected) -> list[Finding]:
    """The appendix table (Chỉ tiêu | … | Năm N−1 | Năm N | Tăng, giảm): each labelled row."""
    if not rows:
        return []
    header = rows[0]
    years = {j: int(m.group(1)) for j, h in enumerate(header) if (m := re.fullmatch(r"Năm (\d{4})", h.strip()))}
    years |= {j: exp.nam for j, h in enumerate(header) if fold(h) == fold("Thực hiện")}  # the targets table
    label_col = next((j for j, h in enumerate(header) if fold(h) == fold("Chỉ tiêu")), None)
    change_col = next((j for j, h in enumerate(header) if fold(h).startswith(fold("Tăng"))), None)
    if label_col is None or not years:
        return []
    by_year = {exp.nam: exp.now, exp.nam - 1: exp.before}
    targets_table = any(fold(h) == fold("Thực hiện") for h in header)
    labels = {**LABELS, **exp.labels} if targets_table else LABELS  # the targets table: as the cycle declares
    out = []
    for r in rows[1:]:
        label, note = _noted(r[label_col]) if label_col < len(r) else ("", "")
        pair = labels.get(fold(r[label_col])) or labels.get(fold(label)) if label_col < len(r) else None
        if pair is None:
            continue
        col, kind = pair
        if (col in COUNTED or col in MEMBER_COLS) and note != KHAC_PHAM_VI:  # a partial total: noted, not compared
            short = [y for j, y in sorted(years.items(), key=lambda kv: kv[1])
                     if j < len(r) and r[j] not in ("", "–", "……") and _partial(by_year.get(y), col)]
            want_note = chua_du(short) if short else ""
            if note != want_note:
                out.append(Finding(doc.name, "so_lieu", " | ".join(r), f"{label}: ghi chú «{note}», cần «{want_note}»"
                                   if want_note else f"{label}: ghi chú «{note}» mà số liệu hai năm đủ"))
        for j, y in years.items():
            if j < len(r) and r[j] not in ("", "–", "……"):
                want = as_printed(by_year.get(y), col, kind)
                if want is not None and r[j] != want:
                    out.append(Finding(doc.name, "so_lieu", " | ".join(r),
                                       f"{r[label_col]} năm {y}: văn bản ghi {r[j]}, bảng kết quả {want}"))
        if change_col is not None and len(years) == 2 and change_col < len(r):
            (j0, _), (j1, _) = sorted(years.items(), key=lambda kv: kv[1])
            a, b = number(r[j0]), number(r[j1])
            if a is None or b is None or r[change_col] in ("", "–"):
                continue
            want = signed(b - a, 1, " điểm %") if kind == "ty_le" else signed(b - a, 0, "")
            if not same_change(r[change_col], want):
                out.append(Finding(doc.name, "so_lieu", " | ".join(r),
                                   f"{r[label_col]}: mức tăng, giảm ghi {r[change_col]}, hiệu hai số đã ghi là {want}"))
    return out


def _year_table(doc: Doc, rows: list[list[str]], exp: Expected) -> list[Finding]:
    """A table by year (Năm | … ): each known figure of each year against the unit's row of that
    year, and «So với năm trước» against the printed rates of two rows."""
    if len(rows) < 2 or fold(rows[0][0]) != fold("Năm"):
        return []
    header = rows[0]
    cols = {j: LABELS[fold(h)] for j, h in enumerate(header) if j and fold(h) in LABELS}
    change = next((j for j, h in enumerate(header) if fold(h) == fold("So với năm trước")), None)
    rate = next((j for j, (c, k) in cols.items() if c == "ty_le_dat_chuan"), None)
    out, previous = [], None
    for r in rows[1:]:
        year = int(r[0]) if re.fullmatch(r"\d{4}", r[0].strip()) else None
        row = exp.years.get(year) if year else None
        for j, (col, kind) in cols.items():
            if row is None or j >= len(r) or r[j] in ("", "–", "……"):
                continue
            want = as_printed(row, col, kind)
            if want is not None and r[j] in ("Đạt", "Chưa đạt") and re.fullmatch(r"[01]/1", want):
                want = "Đạt" if want == "1/1" else "Chưa đạt"  # a unit's own row: its verdict, not a count
            short = blanks(row, col.split("/")[0]) if kind in ("so", "phan_so") else 0
            if want is not None and short:  # a total leaving out Đoàn cơ sở says how many
                want += f" (thiếu {so(short)} Đoàn cơ sở)"
            if want is not None and r[j] != want:
                out.append(Finding(doc.name, "so_lieu", " | ".join(r),
                                   f"năm {year}, cột «{header[j]}»: văn bản ghi {r[j]}, bảng kết quả {want}"))
        if change is not None and rate is not None and max(change, rate) < len(r):
            now = number(r[rate])
            if previous is not None and now is not None and r[change] not in ("", "–"):
                want = signed(now - previous, 1, " điểm %")
                if not same_change(r[change], want):
                    out.append(Finding(doc.name, "so_lieu", " | ".join(r),
                                       f"«{header[change]}» ghi {r[change]}, hiệu hai tỉ lệ đã ghi là {want}"))
            previous = now
    return out


def _unit_table(doc: Doc, rows: list[list[str]], exp: Expected) -> list[Finding]:
    """A table of units (Đoàn cơ sở, or the reporting units in the tinh's ranking): each known figure."""
    if len(rows) < 2 or not exp.rows:
        return []
    header = rows[0]
    name_col = next((j for j, h in enumerate(header) if fold(h) in {fold("Đoàn cơ sở"), fold("Đơn vị")}
                     and any(is_text(r[j]) for r in rows[1:] if j < len(r))), None)
    if name_col is None:
        return []
    cols: dict[int, tuple[str, str, int]] = {}
    for j, h in enumerate(header):
        if j == name_col:
            continue
        m = re.fullmatch(r"(.*?)\s*(?:năm\s*)?(\d{4})?", h.strip(), re.DOTALL)  # a header of two lines too
        assert m is not None  # every part of the pattern is optional
        label, year = m.group(1), int(m.group(2)) if m.group(2) else exp.nam
        if fold(label) in LABELS:
            cols[j] = (*LABELS[fold(label)], year)
    out = []
    for r in rows[1:]:
        if name_col >= len(r) or r[name_col] not in exp.rows:
            continue
        by_year = exp.rows[r[name_col]]
        for j, (col, kind, year) in cols.items():
            if j >= len(r) or r[j] in ("", "–", "……") or year not in by_year:
                continue
            want = as_printed(by_year[year], col, kind)
            if col == "so_chi_doan_dan_cu" and want == "0" and r[j].startswith("Chưa gửi"):  # none of 9 sent
                want = none_sent(by_year[year].get("_dan_cu_chua_gui")) or want
            if want is not None and r[j] != want:
                out.append(Finding(doc.name, "so_lieu", " | ".join(r),
                                   f"{r[name_col]}, cột «{header[j]}»: văn bản ghi {r[j]}, bảng kết quả {want}"))
        rates = {y: number(r[j]) for j, (col, kind, y) in cols.items() if col == "ty_le_dat_chuan" and j < len(r)}
        for j, h in enumerate(header):
            if j >= len(r) or r[j] in ("", "–") or not fold(h).startswith((fold("So với năm trước"), fold("Tăng, giảm"))):
                continue
            now, before = rates.get(exp.nam), rates.get(exp.nam - 1)
            if before is None and exp.nam - 1 in by_year:
                before = number(as_printed(by_year[exp.nam - 1], "ty_le_dat_chuan", "ty_le") or "")
            if now is None or before is None:
                continue
            want = signed(now - before, 1, "" if "(" in h else " điểm %")
            if not same_change(r[j], want):
                out.append(Finding(doc.name, "so_lieu", " | ".join(r),
                                   f"{r[name_col]}, cột «{h}» ghi {r[j]}, hiệu hai tỉ lệ đã ghi là {want}"))
    return out
