"""Reading exchange workbooks: find each sheet and its header row, match headers typed by people,
keep every row's Excel row number. Values stay raw here; `check` types and validates them."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pandas as pd

from .errors import ERROR, DataError, Issue
from .schema import ALL_SHEETS, OPTIONAL_SHEETS, Column
from .vietnamese import fold, nfc

ROW = "_row"  # Excel row number of each data row
HEADER_SCAN_ROWS = 20


@dataclass
class RawSheet:
    """One sheet as read: raw values under matched keys, plus where things are."""

    name: str  # the sheet's name as typed in the workbook
    frame: pd.DataFrame  # columns: matched keys (+ unknown headers as typed) and ROW
    header_row: int
    columns_at: dict[str, str] = field(default_factory=dict)  # key -> Excel column letter


@dataclass
class RawWorkbook:
    """Every known sheet found in a workbook, and the issues met while reading."""

    path: Path
    sheets: dict[str, RawSheet]
    issues: list[Issue]

    @property
    def file(self) -> str:
        return self.path.name


def _header_index(columns: tuple[Column, ...]) -> dict[str, str]:
    index: dict[str, str] = {}
    for c in columns:
        index[fold(c.key)] = c.key
        index[fold(c.label)] = c.key
    return index


def _find_header(rows: list[tuple], index: dict[str, str]) -> int:
    """Index (0-based) of the header row: the first row with at least two known headers."""
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        hits = sum(1 for v in row if v is not None and fold(str(v)) in index)
        if hits >= 2:
            return i
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        if any(v not in (None, "") for v in row):
            return i
    return 0


def _read_sheet(ws, key: str, file: str, issues: list[Issue]) -> RawSheet:
    columns = ALL_SHEETS[key]
    index = _header_index(columns)
    rows = list(ws.iter_rows(values_only=True))
    h = _find_header(rows, index)
    header = rows[h] if rows else ()
    names: list[str] = []
    columns_at: dict[str, str] = {}
    for j, v in enumerate(header):
        text = "" if v is None else nfc(str(v)).strip()
        matched = index.get(fold(text)) if text else None
        name = matched or (text or f"_trong_{j}")
        if matched and matched in columns_at:
            issues.append(Issue(file, ws.title, h + 1, openpyxl.utils.get_column_letter(j + 1),
                                text, f"Cột «{matched}» xuất hiện hai lần; chỉ dùng cột đầu tiên"))
            name = f"_trung_{j}"
        if matched and matched not in columns_at:
            columns_at[matched] = openpyxl.utils.get_column_letter(j + 1)
        names.append(name)
    body = rows[h + 1:]
    data = [r for r in body]
    frame = pd.DataFrame(data, columns=names, dtype=object) if names else pd.DataFrame()
    frame[ROW] = range(h + 2, h + 2 + len(frame))
    # Rows with nothing typed in them are not data.
    value_cols = [c for c in frame.columns if c != ROW and not c.startswith("_")]
    if value_cols:
        filled = frame[value_cols].map(lambda v: v is not None and not (isinstance(v, str) and not v.strip()))
        frame = frame[filled.any(axis=1)].reset_index(drop=True)
    return RawSheet(ws.title, frame, h + 1, columns_at)


def read_workbook(path: str | Path) -> RawWorkbook:
    """Read the exchange workbook's sheets (`don_vi`, `chi_doan`, `co_so`), matched by name."""
    path = Path(path)
    file = path.name
    if not path.exists():
        raise DataError([Issue(file, "", None, None, str(path), "Không tìm thấy tệp dữ liệu")])
    if path.suffix.lower() == ".xls":
        raise DataError([Issue(file, "", None, None, None,
                               "Tệp .xls (Excel 97–2003) không được hỗ trợ: mở bằng Excel và "
                               "chọn Lưu thành (Save As) → Sổ làm việc Excel (.xlsx)")])
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise DataError([Issue(file, "", None, None, None,
                               f"Không đọc được tệp như một sổ Excel .xlsx ({type(exc).__name__})")]) from exc
    issues: list[Issue] = []
    by_fold = {fold(name): name for name in wb.sheetnames}
    sheets: dict[str, RawSheet] = {}
    try:
        for key in ALL_SHEETS:
            name = by_fold.get(fold(key)) or by_fold.get(fold(key.replace("_", " ")))
            if name is None and key in OPTIONAL_SHEETS:
                continue
            if name is None:
                issues.append(Issue(file, key, None, None, None,
                                    f"Thiếu trang «{key}» (các trang có: {', '.join(wb.sheetnames)})",
                                    ERROR))
                continue
            sheets[key] = _read_sheet(wb[name], key, file, issues)
    finally:
        wb.close()
    return RawWorkbook(path, sheets, issues)
