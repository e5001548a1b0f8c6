"""Checking the member ratings of the chi_doan sheet (contract §6.2) against the scale of each year.

Errors: a level column of another period filled for a year (so_dv_htxs in 2017), the levels
adding up to other than the members assessed, more assessed (or rated) than members. A blank
stays blank: where some of a year's figures are given and others blank, nothing is added up and
each blank cell is a warning (a blank is never read as zero). A workbook without these columns,
or a row leaving them all blank, is "not collected": no issue.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..common.schema import CHI_DOAN, MEMBER_COLUMNS, Column, label
from ..common.vietnamese import so
from ..errors import ERROR, WARNING, Issue, column_of
from ..rules.members import ASSESSED, MemberScale, load_member_scale
from .workbook import ROW


def _where(key: str, letters: dict[str, str]) -> tuple[str, str | None]:
    letter = letters.get(key)
    return column_of(label(key), letter), letter


def _issue(file: str, sheet: str, r: Mapping[str, Any], key: str, letters: dict[str, str], rule: str, fix: str,
           severity: str = ERROR) -> Issue:
    where, letter = _where(key, letters)
    v = r[key]
    return Issue(file, sheet, int(r[ROW]), where, None if pd.isna(v) else int(v), rule, severity, fix=fix,
                 letter=letter)


def check_members(frame: pd.DataFrame, file: str, sheet: str, issues: list[Issue], letters: dict[str, str],
                  scale: MemberScale | None = None) -> None:
    """Every row's member ratings against the scale of its year (`scale`: the bundled one if None)."""
    cols = [c for c in MEMBER_COLUMNS if c in frame.columns]
    if not cols or not frame[cols].notna().any().any():
        return
    scale = scale or load_member_scale()
    rows = frame[frame[cols].notna().any(axis=1) & frame["nam"].notna()]
    keep = [c for c in dict.fromkeys([ROW, "nam", "so_doan_vien", *cols]) if c in rows.columns]
    for r in rows[keep].to_dict("records"):  # plain dicts of what is read: a Series a row cost a third of typing
        issues += row_issues(r, int(r["nam"]), file, sheet, letters, scale)


def row_issues(r: Mapping[str, Any], nam: int, file: str, sheet: str, letters: dict[str, str],
               scale: MemberScale) -> list[Issue]:
    """The issues of one row's member ratings (`r`: the row as a dict, or a Series)."""
    out: list[Issue] = []
    period = scale.period(nam)
    own = period.columns if period is not None else []
    names = ", ".join(lv.label for lv in period.levels) if period is not None else ""
    for key in MEMBER_COLUMNS[1:]:
        if key in r and key not in own and pd.notna(r[key]):
            rule = (f"Năm {nam} không dùng mức này để xếp loại đoàn viên (thang năm {nam}: {names})" if period else
                    f"Không có thang xếp loại đoàn viên nào áp dụng cho năm {nam}")
            out.append(_issue(file, sheet, r, key, letters, rule,
                              "Chuyển số liệu sang cột của mức tương ứng trong thang của năm, hoặc để trống"))
    members: Any = r.get("so_doan_vien")
    assessed: Any = r.get(ASSESSED)
    if pd.notna(assessed) and pd.notna(members) and assessed > members:
        out.append(_issue(file, sheet, r, ASSESSED, letters,
                          f"Số đoàn viên được đánh giá lớn hơn số đoàn viên ({so(int(members))})",
                          f"Kiểm tra lại hai ô: số này không thể vượt số đoàn viên ({so(int(members))})"))
    if period is None:
        return out
    given = [c for c in own if c in r and pd.notna(r[c])]
    blank = [c for c in [ASSESSED, *own] if c not in r or pd.isna(r[c])]
    total = sum(int(r[c]) for c in given)
    if not given and pd.isna(assessed):
        return out
    if not blank:
        if total != int(assessed):
            parts = " + ".join(so(int(r[c])) for c in own)
            out.append(_issue(file, sheet, r, ASSESSED, letters,
                              f"Tổng số đoàn viên các mức xếp loại ({parts} = {so(total)}) khác số đoàn viên được "
                              f"đánh giá ({so(int(assessed))})",
                              "Kiểm tra lại các ô: các mức xếp loại cộng lại phải bằng số đoàn viên được đánh giá"))
        return out
    top = assessed if pd.notna(assessed) else members
    if pd.notna(top) and total > top:
        whole = ASSESSED if pd.notna(assessed) else "so_doan_vien"
        out.append(_issue(file, sheet, r, given[0], letters,
                          f"Các mức xếp loại đã điền cộng lại ({so(total)}) đã lớn hơn "
                          f"{label(whole).lower()} ({so(int(top))})",
                          "Kiểm tra lại các ô xếp loại đoàn viên"))
    for key in blank:
        if letters and key not in letters:
            continue  # the column is not in the sheet at all: not collected, said by no cell
        out.append(_issue(file, sheet, r, key, letters,
                          f"Ô trống: chưa đủ số liệu đánh giá, xếp loại đoàn viên năm {nam} nên không cộng được "
                          "(ô trống không được hiểu là 0)",
                          "Điền số liệu; nếu thật sự không có đoàn viên ở mức này, gõ 0", WARNING))
    return out


def form_columns(columns: list[Column], nam: int, scale: MemberScale | None = None) -> list[Column]:
    """A form's chi_doan columns for `nam`: where the data carries member ratings at all, the members
    assessed and the levels of that year's scale only (never another period's, which would be refused)."""
    if not any(c.key in MEMBER_COLUMNS for c in columns):
        return columns
    period = (scale or load_member_scale()).period(int(nam))
    own = {ASSESSED, *(period.columns if period is not None else [])}
    return [c for c in columns if c.key not in MEMBER_COLUMNS] + [c for c in CHI_DOAN if c.key in own]


__all__ = ["check_members", "form_columns", "row_issues"]
