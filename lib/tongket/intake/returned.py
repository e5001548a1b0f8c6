"""A returned file read and judged on its own (`tongket collect`): opened once for its sheets, the
date it was sent and the unit it belongs to; its data sheets typed together with the other files' of
one layout (columns.type_sheets); then checked against the cycle's unit tree and last year's figures.
A file that cannot be read fails alone; a workbook `collect` wrote itself is never read as a return."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from ..common.vietnamese import fold
from ..common.xlsx import is_risky
from ..errors import ERROR, WARNING, DataError, Issue
from ..rules.calendar import Calendar
from ..rules.scales import Scale
from .cells import date_of, is_blank
from .check import ROW, Data, check_jumps, check_rows, type_sheet
from .columns import type_sheets
from .forms import GUIDE_SHEET, META_SHEET, SENT_LABEL
from .sheet_xml import SheetMarks
from .workbook import RawWorkbook, form_meta

DATA_SHEETS = ("chi_doan", "co_so")
RESULTS = "tham_dinh"  # the verification team's results [001 III.2], merged beside the data sheets
REGISTRATION = "dang_ky"  # registrations at the start of the year [001 III], merged the same way (registration)
VN_OFFSET = timedelta(hours=7)  # file properties are in UTC; deadlines are Vietnamese dates
OWN_OUTPUT = "tongket collect"  # workbook property (category) of what collect writes: never read back as a return


@dataclass(eq=False)
class Returned:
    """One file of the folder as read."""

    path: Path
    name: str = ""  # the path as it sits in the folder, as issues name it
    form_of: str | None = None  # the unit named by a form's hidden sheet
    sent: date | None = None
    sent_from: str = ""  # where the date comes from
    rows: dict[str, pd.DataFrame] = field(default_factory=dict)  # typed rows of the year, with ROW
    results: pd.DataFrame | None = None  # verification results (sheet tham_dinh) of the year, with ROW
    issues: list[Issue] = field(default_factory=list)
    readable: bool = True


class _OwnOutput(Exception):
    """The file is a workbook `tongket collect` wrote itself (marked in its properties)."""


def _sent_date(wb: Any, path: Path, marks: dict[str, SheetMarks]) -> tuple[date | None, str, str | None, Issue | None]:
    """(date the unit sent the form, where that date comes from, unit named by the form, a warning
    when the form's «Ngày gửi phiếu» cell holds something that is not a date), from the opened
    workbook `wb` of `path`; `_OwnOutput` when the kit wrote it (never read as a return). The
    first label whose cell holds a date gives it; without one, the date is the file's last save,
    and a cell that holds something else (or a formula without a stored result) is warned of: a
    deadline is never judged, without a word, on a date the unit did not write."""
    if wb.properties.category == OWN_OUTPUT:
        raise _OwnOutput
    form_of = None
    if META_SHEET in wb.sheetnames:
        meta = form_meta(wb[META_SHEET])
        form_of = None if meta.get("ma_don_vi") is None else str(meta["ma_don_vi"])
    odd: tuple[int, Any, str] | None = None  # (row, value, why) of the first sent-date cell that is no date
    blank: list[int] = []
    if GUIDE_SHEET in wb.sheetnames:
        for at, row in enumerate(wb[GUIDE_SHEET].iter_rows(max_row=40, max_col=2, values_only=True), start=1):
            if not (row and row[0] is not None and fold(str(row[0])) == fold(SENT_LABEL)):
                continue
            value = row[1] if len(row) > 1 else None
            if is_blank(value):
                blank.append(at)
                continue
            d = date_of(value)
            if d:
                return d, f"ô «{SENT_LABEL}»", form_of, None
            odd = odd or (at, value, "không phải ngày rõ nghĩa")
        guide = marks.get(GUIDE_SHEET)
        if odd is None and blank and guide is not None and guide.formulas:
            odd = _formula_without_result(path, blank)
    modified = wb.properties.modified
    if isinstance(modified, datetime):
        sent, source = (modified + VN_OFFSET).date(), "thuộc tính tệp (lần lưu cuối)"
    else:
        sent, source = datetime.fromtimestamp(path.stat().st_mtime).date(), "ngày sửa tệp"
    said = None if odd is None else Issue(
        "", GUIDE_SHEET, odd[0], SENT_LABEL, odd[1],
        f"Ô «{SENT_LABEL}» {odd[2]}; hạn nộp được xét theo {source}: {sent:%d/%m/%Y}", WARNING,
        fix="Gõ ngày gửi dạng 10/02/2021 hoặc định dạng ô là ngày", letter="B")
    return sent, source, form_of, said


def _formula_without_result(path: Path, rows: list[int]) -> tuple[int, Any, str] | None:
    """The first of these rows of the guide sheet whose sent-date cell is a formula the file holds
    no result of (it reads blank): (row, formula, why)."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        for at, row in enumerate(wb[GUIDE_SHEET].iter_rows(max_row=max(rows), min_col=2, max_col=2,
                                                            values_only=True), start=1):
            value = getattr(row[0], "text", row[0]) if row else None  # an array formula: its text
            if at in rows and is_risky(value):
                return at, value, "là công thức chưa có kết quả lưu trong tệp (tệp chưa được Excel tính và lưu lại)"
        return None
    finally:
        wb.close()


def _open(path: Path, folder: Path) -> tuple[Returned, RawWorkbook | None, list[Issue]]:
    """A returned file read (not yet typed or judged): the file, its raw sheets and the issues met
    reading it; no raw sheets when it is not a form at all (judged already)."""
    from .workbook import read_workbook

    name = str(path.relative_to(folder))
    got = Returned(path, name)
    try:  # one opening of the file for its sheets, its sent date and its owner
        raw = read_workbook(path, required=(), look=lambda wb, marks: _sent_date(wb, path, marks))
        got.sent, got.sent_from, got.form_of, odd_date = raw.seen
    except DataError as exc:
        got.issues = [i.but(file=name) for i in exc.issues]
        got.readable = False
        return got, None, []
    issues = [i.but(file=name) for i in [*raw.issues, *([odd_date] if odd_date else [])]]
    if not any(k in raw.sheets for k in (*DATA_SHEETS, RESULTS, REGISTRATION)):
        issues.append(Issue(name, "", None, None, None, "Tệp không có trang «chi_doan», «co_so» hay «dang_ky»: không "
                            "phải phiếu số liệu hay phiếu đăng ký",
                            fix="Gửi đúng phiếu do cấp trên phát (tongket forms)"))
        got.issues, got.readable = issues, False
        return got, None, []
    return got, raw, issues


def _judge(got: Returned, raw: RawWorkbook, issues: list[Issue], typed: dict[str, tuple[pd.DataFrame, list[Issue]]],
           master: Data, nam: int, under: dict[str, str], han_nop: date | Calendar | None, last_year: pd.DataFrame) -> Returned:
    """A returned file's typed sheets (`typed`, by `type_sheets`) checked against the cycle's data
    (`last_year`: the cycle's branch rows of the year before, by `last_year`)."""
    from . import registration

    name = got.name
    don_vi = master.don_vi
    for key in (*DATA_SHEETS, REGISTRATION):
        sheet = raw.sheets.get(key)
        if sheet is None:
            continue
        frame, found = typed[key]
        issues = issues + found
        # A pre-listed unit with nothing filled in has not reported: no row, listed as missing.
        data_cols = [c for c in frame.columns if c not in (ROW, "ma_don_vi", "nam")]
        unfilled = frame[data_cols].isna().all(axis=1) & frame["ma_don_vi"].notna()
        unfilled &= ~frame[ROW].isin([i.row for i in issues if i.severity == ERROR and i.sheet == sheet.name])
        if key == REGISTRATION:  # a blank registration row is no registration (its default Không aside)
            unfilled = registration.unfilled(sheet.frame, frame)
        if unfilled.any():
            gone = set(frame.loc[unfilled, ROW])
            issues = [i for i in issues if not (i.sheet == sheet.name and i.row in gone)]
            frame = frame[~unfilled].reset_index(drop=True)
        other = frame["nam"].notna() & (frame["nam"] != nam)
        if other.any():
            years = ", ".join(str(int(y)) for y in sorted(frame.loc[other, "nam"].unique()))
            issues.append(Issue(name, sheet.name, None, "Năm", None,
                                f"Bỏ qua {int(other.sum())} dòng của năm khác ({years}); chỉ lấy số liệu năm {nam}",
                                WARNING, fix="Không cần sửa nếu đó là số liệu cũ"))
            frame = frame[~other].reset_index(drop=True)
        check_rows(frame, key, don_vi, name, sheet.name, issues, sheet.columns_at)
        if key == "chi_doan" and not frame.empty:  # against last year's figures of the cycle's data
            before = last_year[last_year["ma_don_vi"].isin(frame["ma_don_vi"])]  # only the form's units can jump
            jumps: list[Issue] = []
            check_jumps(pd.concat([frame, before], ignore_index=True), name, sheet.name, jumps, sheet.columns_at)
            issues += [i for i in jumps if i.row and i.row > 0]
        if got.form_of is not None:
            foreign = frame["ma_don_vi"].notna() & frame["ma_don_vi"].map(
                lambda c: c != got.form_of and under.get(c) != got.form_of)
            for r in frame[foreign].to_dict("records"):  # (itertuples would rename the column _row)
                issues.append(Issue(name, sheet.name, int(r[ROW]), "Mã đơn vị", r["ma_don_vi"],
                                    f"Đơn vị không thuộc «{got.form_of}», đơn vị của phiếu này",
                                    fix="Xóa dòng này; số liệu của đơn vị khác gửi bằng phiếu của đơn vị đó",
                                    letter=sheet.columns_at.get("ma_don_vi")))
        got.rows[key] = frame
    if REGISTRATION in got.rows:
        names = don_vi.drop_duplicates("ma_don_vi").set_index("ma_don_vi")["ten_don_vi"]
        issues += registration.late_registrations(got.rows[REGISTRATION], name, raw.sheets[REGISTRATION].name,
                                                  got.sent, got.sent_from, han_nop, names,
                                                  raw.sheets[REGISTRATION].columns_at)
    if RESULTS in raw.sheets:
        got.results = _results(raw, name, master, nam, issues)
    got.issues = [i.but(file=name) for i in issues]  # issues name the file as it sits in the folder
    return got


BATCH = 256  # returned files read, then typed together (columns.type_sheets), at a time


def last_year(master: Data, nam: int) -> pd.DataFrame:
    """The cycle's branch rows of the year before (row -1: not a row of a returned form), taken once
    per run: each form's figures are compared with its own units' rows among them."""
    before = master.chi_doan[master.chi_doan["nam"] == nam - 1].copy()
    before[ROW] = -1
    return before


def read_batch(paths: list[Path], folder: Path, master: Data, nam: int, scale: Scale, emulation: Scale | None,
               under: dict[str, str], han_nop: date | Calendar | None, before: pd.DataFrame) -> list[Returned]:
    """Some returned files, each judged alone (a half-written or broken file fails alone, the others
    go on), their data sheets typed together (`before`: `last_year`'s rows)."""
    opened: list[Returned | tuple[Returned, RawWorkbook, list[Issue]]] = []
    for p in paths:
        try:
            got, raw, issues = _open(p, folder)
            opened.append(got if raw is None else (got, raw, issues))
        except _OwnOutput:  # what an earlier `tongket collect` wrote into this folder
            continue
        except Exception as exc:  # noqa: BLE001
            opened.append(unreadable(p, folder, exc))
    forms = [o for o in opened if isinstance(o, tuple)]
    typed = {key: iter(type_sheets([raw for _, raw, _ in forms], key, scale, emulation))
             for key in (*DATA_SHEETS, REGISTRATION)}
    out = []
    for o in opened:
        if not isinstance(o, tuple):
            out.append(o)
            continue
        got, raw, issues = o
        mine = {key: next(each) for key, each in typed.items()}
        try:
            for one in mine.values():
                if isinstance(one, Exception):
                    raise one
            out.append(_judge(got, raw, issues, mine, master, nam, under, han_nop,  # type: ignore[arg-type]  # no exception left
                              before))
        except Exception as exc:  # noqa: BLE001
            out.append(unreadable(got.path, folder, exc))
    return out


def unreadable(path: Path, folder: Path, exc: Exception) -> Returned:
    name = str(path.relative_to(folder))
    return Returned(path, name, readable=False, issues=[Issue(
        name, "", None, None, None, f"Không đọc được tệp ({type(exc).__name__}: {str(exc)[:120]}): tệp có thể "
        "chưa lưu xong, bị hỏng hoặc không phải sổ Excel; các tệp khác vẫn được nhận",
        fix="Mở tệp bằng Excel, lưu lại (.xlsx) rồi chạy lại; hoặc xin đơn vị gửi lại")])


def _results(raw, name: str, master: Data, nam: int, issues: list[Issue]) -> pd.DataFrame:
    """The verification team's results of `nam` in a returned workbook (contract §6.1): a row
    without a result is not a result yet and is left out."""
    sheet = raw.sheets[RESULTS]
    frame = type_sheet(raw, RESULTS, None, issues)
    frame = frame[frame["ket_qua"].notna() | frame[ROW].isin(
        [i.row for i in issues if i.severity == ERROR and i.sheet == sheet.name])].reset_index(drop=True)
    other = frame["nam"].notna() & (frame["nam"] != nam)
    if other.any():
        issues.append(Issue(name, sheet.name, None, "Năm", None,
                            f"Bỏ qua {int(other.sum())} kết quả thẩm định của năm khác; chỉ lấy năm {nam}", WARNING))
        frame = frame[~other].reset_index(drop=True)
    check_rows(frame, RESULTS, master.don_vi, name, sheet.name, issues, sheet.columns_at)
    return frame
