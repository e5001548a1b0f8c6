"""Checking an exchange workbook: type every cell, collect every problem in one pass.

The steps live beside it: reading one cell (`cells`), typing a sheet's columns by kind (`columns`),
checks across cells and rows (`sheet_checks`). `type_sheet`, `check_rows` and `check_jumps` are
also what `collect` uses on each returned form.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..common.schema import ALL_SHEETS, OPTIONAL_SHEETS, SHEET_CAP, SHEETS
from ..common.units import ancestors
from ..errors import ERROR, DataError, Issue
from ..rules.members import MemberScale
from ..rules.scales import Scale
from ..rules.scoresheet import ScoreSheet
from ..rules.settings import MAX_COUNT
from .columns import type_sheet
from .sheet_checks import check_defaults, check_jumps, check_rows, check_tree
from .workbook import ROW, RawWorkbook, read_workbook

if TYPE_CHECKING:
    from ..rules.params import Cycle

__all__ = ["ROW", "Data", "check_jumps", "check_rows", "issues_frame", "load", "require_year", "type_sheet",
           "validate"]


@dataclass
class Data:
    """The exchange workbook, typed: one frame per sheet, each row keeping its Excel row."""

    path: Path
    don_vi: pd.DataFrame
    chi_doan: pd.DataFrame
    co_so: pd.DataFrame
    issues: list[Issue]
    optional: dict[str, pd.DataFrame] = field(default_factory=dict)  # diem_cham, mot_cong_mot where given
    # the years of the whole workbook, kept when this is a part of it (a district without any Đoàn
    # cơ sở has no rows of its own, yet its year is the workbook's)
    workbook_years: tuple[int, ...] = ()

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == ERROR]

    def without(self, units: set[str], cap: str = "huyen") -> Data:
        """The same data without some reporting units of level `cap` (districts, or Đoàn cơ sở
        when the cycle reports per Đoàn cơ sở): their whole subtree and rows."""
        if not units:
            return self
        tree = ancestors(self.don_vi.dropna(subset=["ma_don_vi"]))
        drop = set(tree.index[tree[f"ma_{cap}"].isin(units)])
        keep = lambda f: f[~f["ma_don_vi"].isin(drop)].reset_index(drop=True)
        return Data(self.path, keep(self.don_vi), keep(self.chi_doan), keep(self.co_so),
                    [i for i in self.issues if i.reporting_unit(cap) not in units],
                    {k: keep(f) for k, f in self.optional.items()}, tuple(self.years))

    @property
    def years(self) -> list[int]:
        ys = pd.concat([self.chi_doan["nam"], self.co_so["nam"]]).dropna().astype(int).unique()  # each year once
        return sorted({int(y) for y in ys} | set(self.workbook_years))


def validate(raw: RawWorkbook, scale: Scale, emulation: Scale | None = None, max_count: int = MAX_COUNT,
             members: MemberScale | None = None, score_sheets: Mapping[str, ScoreSheet] | None = None,
             nam: int | None = None) -> Data:
    """Type every sheet and check the tree and the rows (`members`: the member rating scale, else
    the bundled one; `score_sheets`: the cycle's, which the points typed on `diem_cham` for year
    `nam` are checked against); returns the data with every issue."""
    issues = list(raw.issues)
    frames = {key: type_sheet(raw, key, scale, issues, emulation, max_count) for key in ALL_SHEETS
              if key in SHEETS or key in raw.sheets}
    names = {key: (raw.sheets[key].name if key in raw.sheets else key) for key in frames}
    don_vi = frames["don_vi"]
    if "don_vi" in raw.sheets:
        check_tree(don_vi, raw.file, names["don_vi"], issues, raw.sheets["don_vi"].columns_at)
        check_defaults(raw.sheets["don_vi"], don_vi, raw.file, issues)
    if "chi_doan" in raw.sheets and frames["chi_doan"].empty:
        issues.append(Issue(raw.file, names["chi_doan"], raw.sheets["chi_doan"].header_row, None, None,
                            "Trang chi_doan chỉ có dòng tiêu đề, không có dòng số liệu nào: không có gì để tổng hợp "
                            "(không phải 0 đoàn viên)",
                            fix="Dán số liệu của các chi đoàn vào dưới dòng tiêu đề, hoặc kiểm tra đã chọn đúng tệp"))
    for key in SHEET_CAP:
        if key in raw.sheets:
            check_rows(frames[key], key, don_vi, raw.file, names[key], issues, raw.sheets[key].columns_at, members,
                       score_sheets, nam)
    issues = _attribute(issues, frames, names, don_vi)
    order = {name: k for k, name in enumerate(names[key] for key in frames)}
    issues.sort(key=lambda i: (order.get(i.sheet, -1), i.row or 0))  # the order an analyst works in
    return Data(raw.path, don_vi, frames["chi_doan"], frames["co_so"], issues,
                {k: f for k, f in frames.items() if k in OPTIONAL_SHEETS})


def _attribute(issues: list[Issue], frames: dict[str, pd.DataFrame], names: dict[str, str],
               don_vi: pd.DataFrame) -> list[Issue]:
    """Tag each issue with the district and the Đoàn cơ sở its row belongs to, so a bad reporting
    unit fails alone."""
    if not issues:
        return issues
    try:
        tree = ancestors(don_vi.dropna(subset=["ma_don_vi"]))
    except (KeyError, ValueError):
        return issues
    wanted = {(i.sheet, i.row) for i in issues if i.row is not None}
    row_unit: dict[tuple[str, int], str] = {}
    for key, frame in frames.items():
        rows = frame[frame[ROW].isin([r for s, r in wanted if s == names[key]])]
        for code, row in zip(rows["ma_don_vi"], rows[ROW]):
            if isinstance(code, str):
                row_unit[(names[key], int(row))] = code
    out = []
    for i in issues:
        code = row_unit.get((i.sheet, i.row)) if i.row is not None else None
        if code is None and (i.ma_huyen is not None or i.ma_co_so is not None):
            out.append(i)  # attributed where it was made (a unit that sent nothing)
            continue
        h, c = (tree.at[code, "ma_huyen"], tree.at[code, "ma_co_so"]) if code in tree.index else (None, None)
        out.append(i.but(ma_huyen=None if h is None or pd.isna(h) else str(h),
                         ma_co_so=None if c is None or pd.isna(c) else str(c)))
    return out


def load(path: str | Path, scale: Scale, emulation: Scale | None = None, *, cycle: Cycle | None = None,
         nam: int | None = None) -> Data:
    """Read and check a workbook; the data, with every issue found (does not raise on errors).

    `scale` checks `xep_loai`; `emulation` (the HCMC emulation ladder), where the cycle names one,
    checks `xep_loai_thi_dua`. With `cycle`, the workbook is read as `for_cycle` reads it (the
    cycle's ladder, count limit and member scale), and what the cycle needs is checked too: every
    column its rubrics, scale, score sheets and roll-up read, and every unit's rows for the year
    (`nam`, else the cycle's), grouped by reporting unit (a reporting unit that sent nothing is an
    error of its own)."""
    from .slices import is_slice, read_slice

    if is_slice(path):  # a unit's rows, stored by the run that read the workbook (batch workers)
        return read_slice(path)
    if cycle is not None:
        return for_cycle(replace(cycle, data=Path(path), scale=scale, emulation=emulation or cycle.emulation), nam=nam)
    return validate(read_workbook(path), scale, emulation)


def for_cycle(cycle: Cycle, raw: RawWorkbook | None = None, *, coverage: bool = True, nam: int | None = None) -> Data:
    """The cycle's workbook, typed and checked as the cycle reads it: its rating scale, its
    emulation ladder where it names one (the ladder's labels coded), its largest count accepted and
    its member rating scale. With `coverage`, also every column its rubrics, scales, score sheets
    and roll-up read and every unit's rows for year `nam` (else the cycle's).

    The one place a cycle's workbook is checked: the run's own read, every worker's slice, a
    review (`coverage=False`: it finds the missing rows of its year itself), the workbook's check
    panel and `collect` read the same figures, so no unit is refused by one and passed by another.
    From `raw` where the workbook was read already; a batch worker's stored slice is read as stored."""
    from .slices import is_slice, read_slice

    if raw is None:
        if is_slice(cycle.data):  # a unit's rows, stored (typed by this function) by the run
            return read_slice(cycle.data)
        raw = read_workbook(cycle.data)
    data = validate(raw, cycle.scale, cycle.emulation, cycle.so_luong_toi_da, cycle.member_scale, cycle.score_sheets,
                    cycle.nam)  # the year the cycle scores (a worker's slice is typed here: the same issues)
    return with_coverage(data, raw, cycle, nam) if coverage else data


def with_coverage(data: Data, raw: RawWorkbook, cycle: Cycle, nam: int | None = None) -> Data:
    """`data` as ``for_cycle(cycle, raw, coverage=False)`` gave it, with what the cycle needs that
    the workbook lacks for year `nam` (else the cycle's): ``for_cycle(cycle, raw)``, not typed
    again. A new Data sharing `data`'s frames (nothing changes a checked frame in place)."""
    from .coverage import cycle_issues

    return replace(data, issues=[*data.issues, *cycle_issues(raw, data, cycle, cycle.nam if nam is None else nam)])


def require_year(data: Data, nam: int) -> None:
    """Fail with a clear message when the year asked for has no data."""
    if nam not in data.years:
        have = ", ".join(str(y) for y in data.years) or "không có năm nào"
        raise DataError([Issue(data.path.name, "chi_doan", None, "Năm", nam,
                               f"Năm {nam} không có trong dữ liệu (dữ liệu có: {have})")])


def issues_frame(issues: list[Issue]) -> pd.DataFrame:
    """Issues as a table with Vietnamese headers (for the console and ISSUES.xlsx)."""
    return pd.DataFrame([i.as_row() for i in issues],
                        columns=["Mức độ", "Tệp", "Trang", "Dòng", "Cột", "Giá trị", "Quy tắc", "Cách sửa", "Ô",
                                 "Huyện"])
