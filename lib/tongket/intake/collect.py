"""Bringing returned forms in: read every workbook in a folder (forms made by `tongket forms` and
any exchange workbook), check each against the unit tree of the cycle's data, and consolidate the
year's rows into one exchange workbook, with a status table of who returned, who is missing, who
was late, who has problems, and every rejected row listed.

Nothing is guessed: a row with an error is left out and listed; a unit whose rows come from two
files with different figures is a conflict (neither is taken); the same figures sent twice are
taken once, with a warning. Input files are only read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.styles import Alignment, Font, PatternFill

from ..common.schema import ALL_SHEETS, LOAI_HINH, SHEETS
from ..common.vietnamese import ngay_bang
from ..common.xlsx import keep_text, print_landscape, save_workbook
from ..errors import ERROR, WARNING, DataError, Issue
from ..rules.calendar import Calendar
from ..rules.scales import Scale
from .check import ROW, Data
from .forms import form_units
from .registration import registrants, registration_status
from .returned import (
    BATCH,
    DATA_SHEETS,
    OWN_OUTPUT,
    REGISTRATION,
    RESULTS,
    Returned,
    last_year,
    read_batch,
)

SPREADSHEETS = {".xlsx", ".xlsm", ".xls", ".ods", ".xlsb", ".csv"}

# Status of a form unit (forms.form_units), most serious first.
CHUA_NOP, XUNG_DOT, CO_LOI, THIEU, MUON, DA_NOP = (
    "chưa nộp", "xung đột", "có lỗi", "thiếu số liệu", "nộp muộn", "đã nộp")
STATUS_FILL = {CHUA_NOP: "D9D9D9", XUNG_DOT: "FFC7CE", CO_LOI: "FFC7CE", THIEU: "FFEB9C", MUON: "FFEB9C",
               DA_NOP: "C6EFCE"}


@dataclass
class Collected:
    """The outcome: consolidated data, the status of every form unit, every issue and rejected row."""

    nam: int
    data: Data
    status: pd.DataFrame
    issues: list[Issue]
    rejected: pd.DataFrame
    files: list[Returned]

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == ERROR]


def collect(folder: str | Path, master: Data, nam: int, scale: Scale, emulation: Scale | None = None,
            han_nop: date | Calendar | None = None, exclude: list[str | Path] | None = None,
            stage: str = "", muc_tieu: float = 0.9) -> Collected:
    """Read every returned workbook under `folder` and consolidate the rows of `nam`. Each file is
    judged alone: one that cannot be read is an error of that file and the others go on; the
    kit's own collected workbooks (and the files in `exclude`, the ones about to be written) are
    never read as returns. `han_nop` is one deadline, or the programme's calendar: each file is
    then late against its own step's date (year-end figures against the report date, a
    registration list against its registration date: rules.calendar). `stage` "dang_ky": the status
    table is the registration's (who registered, rate against `muc_tieu`: intake.registration)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DataError([Issue(folder.name, "", None, None, str(folder), "Không tìm thấy thư mục phiếu đã nộp")])
    units = form_units(master)
    under = {b: u for u, bs in zip(units["ma_don_vi"], units["chi_doan"]) for b in bs}
    skip = {Path(p).resolve() for p in exclude or []}
    files = sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(("~$", "."))
                   and p.resolve() not in skip)
    returned: list[Returned] = []
    issues: list[Issue] = []
    read: list[Path] = []
    for p in files:
        if p.suffix.lower() not in SPREADSHEETS:
            issues.append(Issue(str(p.relative_to(folder)), "", None, None, None,
                                "Tệp không phải bảng tính, bỏ qua", WARNING))
            continue
        read.append(p)
    before = last_year(master, nam)  # the cycle's branch rows of the year before, once for every form
    for start in range(0, len(read), BATCH):
        returned += read_batch(read[start:start + BATCH], folder, master, nam, scale, emulation, under, han_nop,
                               before)
    # Rows an error touches are rejected; the rest are candidates, keyed by sheet and unit.
    candidates: dict[tuple[str, str], list[tuple[Returned, dict]]] = {}
    rejected: list[dict] = []
    for got in returned:
        bad = {(i.sheet, i.row) for i in got.issues if i.severity == ERROR and i.row is not None}
        frames = {**got.rows, **({RESULTS: got.results} if got.results is not None else {})}
        for key, frame in frames.items():
            sheet_name = key
            for rec in frame.to_dict("records"):
                at = (sheet_name, int(rec[ROW]))
                if at in bad or pd.isna(rec["ma_don_vi"]) or pd.isna(rec["nam"]):
                    rejected.append(_rejected(got, key, rec, [i for i in got.issues if (i.sheet, i.row) == at]))
                    continue
                candidates.setdefault((key, rec["ma_don_vi"]), []).append((got, rec))
        issues += got.issues
    accepted: dict[str, list[dict]] = {k: [] for k in (*DATA_SHEETS, RESULTS, REGISTRATION)}
    conflicts: set[str] = set()
    for (key, code), found in candidates.items():
        first_got, first = found[0]
        same = all(_same(first, rec, key) for _, rec in found[1:])
        if len(found) > 1 and not same:
            where = "; ".join(f"{g.name} dòng {int(r[ROW])}" for g, r in found)
            for g, r in found:
                issue = Issue(g.name, key, int(r[ROW]), "Mã đơn vị", code,
                              f"Xung đột: đơn vị có số liệu năm {nam} khác nhau ở nhiều nơi ({where}); "
                              "chưa lấy bản nào", fix="Hỏi đơn vị bản nào đúng, bỏ bản sai khỏi thư mục rồi chạy lại",
                              ma_huyen=None)
                issues.append(issue)
                rejected.append(_rejected(g, key, r, [issue]))
            if key not in (RESULTS, REGISTRATION):  # a branch whose results differ is listed, its Đoàn cơ sở data is not in conflict
                conflicts.add(code)
            continue
        for g, r in found[1:]:
            issues.append(Issue(g.name, key, int(r[ROW]), "Mã đơn vị", code,
                                f"Số liệu trùng, giống hệt {first_got.name} dòng "
                                f"{int(first[ROW])}; chỉ lấy một lần", WARNING,
                                fix="Không cần sửa; có thể xóa bản gửi thừa"))
        accepted[key].append(first)
    merged = {k: accepted.pop(k) for k in (RESULTS, REGISTRATION)}
    data = _consolidate(master, nam, accepted, merged)
    by_name = {g.name: g for g in returned}
    huyen = _huyen_of(master)
    owners = [_owner(i, by_name.get(i.file), under) for i in issues]
    issues = [i if i.ma_huyen or o is None or pd.isna(huyen.get(o)) else i.but(ma_huyen=str(huyen.get(o)))
              for i, o in zip(issues, owners)]
    status = (_status(units, returned, accepted, conflicts, issues, owners, han_nop) if stage != REGISTRATION else
              registration_status(registrants(master, nam), returned, merged[REGISTRATION], issues, owners, muc_tieu, han_nop))
    rej = pd.DataFrame(rejected, columns=["Tệp", "Trang", "Dòng", "Mã đơn vị", "Lý do", "Số liệu đã gõ"])
    return Collected(nam, data, status, issues, rej, returned)


def _rejected(got: Returned, key: str, rec: dict, why: list[Issue]) -> dict:
    typed = {k: v for k, v in rec.items() if k not in (ROW, "ma_don_vi", "nam") and not _missing(v)}
    return {"Tệp": got.name, "Trang": key, "Dòng": int(rec[ROW]), "Mã đơn vị": rec.get("ma_don_vi"),
            "Lý do": "; ".join(i.rule for i in why) or "thiếu mã đơn vị hoặc năm",
            "Số liệu đã gõ": "; ".join(f"{k}={v}" for k, v in typed.items())}


def _missing(v: object) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and v != v)


def _same(a: dict, b: dict, key: str) -> bool:
    cols = [c.key for c in ALL_SHEETS[key]]
    return all((_missing(a.get(c)) and _missing(b.get(c))) or a.get(c) == b.get(c) for c in cols)


def _huyen_of(master: Data) -> pd.Series:
    from ..common.units import ancestors

    return ancestors(master.don_vi.dropna(subset=["ma_don_vi"]))["ma_huyen"]


def _consolidate(master: Data, nam: int, accepted: dict[str, list[dict]],
                 merged: dict[str, list[dict]] | None = None) -> Data:
    frames = {}
    for key in DATA_SHEETS:
        old = getattr(master, key)
        keep = old[old["nam"] != nam]
        new = pd.DataFrame(accepted[key], columns=list(old.columns)) if accepted[key] else old.iloc[0:0]
        new = new.sort_values("ma_don_vi", kind="stable")
        frames[key] = pd.concat([keep, new.astype(keep.dtypes.to_dict(), errors="ignore")], ignore_index=True)
    optional = dict(master.optional)
    for key, rows in (merged or {}).items():  # returned rows replace the workbook's for the same units; others kept
        if not rows:
            continue
        new = pd.DataFrame(rows).drop(columns=[ROW], errors="ignore").sort_values("ma_don_vi", kind="stable")
        old = optional.get(key)
        if old is not None:
            old = old[~pd.MultiIndex.from_frame(old[["ma_don_vi", "nam"]].astype(object)).isin(
                pd.MultiIndex.from_frame(new[["ma_don_vi", "nam"]].astype(object)))]
        optional[key] = pd.concat([f for f in (old, new) if f is not None], ignore_index=True)
    return Data(master.path, master.don_vi, frames["chi_doan"], frames["co_so"], [], optional)


def _status(units: pd.DataFrame, returned: list[Returned], accepted: dict[str, list[dict]], conflicts: set[str],
            issues: list[Issue], owners: list[str | None], han_nop: date | Calendar | None) -> pd.DataFrame:
    under = {b: u for u, bs in zip(units["ma_don_vi"], units["chi_doan"]) for b in bs}
    got_rows = {r["ma_don_vi"] for rows in accepted.values() for r in rows}
    files_of: dict[str, set[Returned]] = {}
    for g in returned:  # the year-end status: a registration list alone is not a return of the figures
        if set(g.rows) <= {REGISTRATION} and g.results is None:
            continue
        codes = {c for k, f in g.rows.items() if k != REGISTRATION for c in f["ma_don_vi"].dropna()}
        file_owners = {under.get(c, c) for c in codes} | ({g.form_of} if g.form_of else set())
        for o in file_owners:  # (not `owners`: that is the issues' owners, counted below)
            files_of.setdefault(o, set()).add(g)
    counts: dict[tuple[str, str], int] = {}
    for i, owner in zip(issues, owners):
        if owner:
            counts[(owner, i.severity)] = counts.get((owner, i.severity), 0) + 1
    rows = []
    for u in units.to_dict("records"):
        code = u["ma_don_vi"]
        own = sorted(files_of.get(code, set()), key=lambda g: g.path)
        have = [b for b in u["chi_doan"] if b in got_rows]
        missing = [b for b in u["chi_doan"] if b not in got_rows]
        if u["cap"] == "co_so" and code not in got_rows:
            missing.append(code)
        sent = max((g.sent for g in own if g.sent), default=None)
        judged = [_late(g, han_nop) for g in own if g.sent]
        late = any(judged)
        n_err, n_warn = counts.get((code, ERROR), 0), counts.get((code, WARNING), 0)
        in_conflict = code in conflicts or any(b in conflicts for b in u["chi_doan"])
        nothing = not have and code not in got_rows and not n_err
        state = (CHUA_NOP if not own or nothing else XUNG_DOT if in_conflict else CO_LOI if n_err else
                 THIEU if missing else MUON if late else DA_NOP)
        rows.append({
            "Huyện": u["ma_huyen"], "Mã đơn vị": code, "Tên đơn vị": u["ten_don_vi"], "Tình trạng": state,
            "Tệp": ", ".join(g.name for g in own),
            "Ngày gửi": ngay_bang(sent) if sent else "", "Nguồn ngày gửi": "; ".join(
                sorted({g.sent_from for g in own if g.sent_from})),
            "Đúng hạn": "" if all(j is None for j in judged) else ("Không" if late else "Có"),
            "Chi đoàn có số liệu": f"{len(have)}/{len(u['chi_doan'])}",
            "Còn thiếu": ", ".join(missing) if own else "", "Số lỗi": n_err, "Số cảnh báo": n_warn})
    return pd.DataFrame(rows)


def _late(got: Returned, han_nop: date | Calendar | None) -> bool | None:
    """Whether a file came in after its deadline: one date, or its own step's in the calendar."""
    if isinstance(han_nop, Calendar):
        return han_nop.late(got.sent, [*got.rows, *([RESULTS] if got.results is not None else [])])
    return None if han_nop is None or got.sent is None else got.sent > han_nop


def _owner(i: Issue, g: Returned | None, under: dict[str, str]) -> str | None:
    """The form unit an issue belongs to: the row's unit (a branch's Đoàn cơ sở), else the form's."""
    if g is None:
        return None
    frame = g.rows.get(i.sheet)
    if frame is not None and i.row is not None:
        hit = frame.loc[frame[ROW] == i.row, "ma_don_vi"]
        if len(hit) and isinstance(hit.iloc[0], str):
            return under.get(hit.iloc[0]) or g.form_of or hit.iloc[0]  # a stranger on a form: the form's
    return g.form_of


# --- writing -------------------------------------------------------------------------------

def write_exchange(data: Data, path: str | Path) -> Path:
    """The consolidated exchange workbook (contract §3): Vietnamese labels as headers, Có/Không for
    booleans, text never taken for a formula; atomic and reproducible."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    frames = {"don_vi": data.don_vi, "chi_doan": data.chi_doan, "co_so": data.co_so, **data.optional}
    for key, frame in frames.items():
        columns = [c for c in ALL_SHEETS[key] if c.key in frame.columns and
                   (c.required or key in SHEETS and c.key in ("loai_hinh", "dac_thu") or frame[c.key].notna().any())]
        ws = wb.create_sheet(key)
        ws.append([c.label for c in columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for rec in frame.to_dict("records"):
            ws.append([_out(rec.get(c.key), c.kind) for c in columns])
        keep_text(ws.iter_rows(min_row=2))  # a name typed as "=…" stays text
        for j, c in enumerate(columns, start=1):
            ws.column_dimensions[openpyxl.utils.get_column_letter(j)].width = 34 if c.key == "ten_don_vi" else 14
            if c.kind == "rate":
                for cell in ws[openpyxl.utils.get_column_letter(j)][1:]:
                    cell.number_format = "0.0%"
        ws.freeze_panes = "B2"
    wb.properties.category = OWN_OUTPUT
    return save_workbook(wb, path)


def _out(v: object, kind: str) -> object:
    if _missing(v):
        return None
    if kind == "bool":
        return "Có" if bool(v) else "Không"
    if kind == "verdict":
        return "Đạt" if bool(v) else "Chưa đạt"
    if kind == "loai_hinh" and v not in LOAI_HINH:
        return None
    if hasattr(v, "item"):
        v = v.item()
    if kind in ("count", "year") and isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def write_status(col: Collected, path: str | Path) -> Path:
    """The status workbook: who returned (coloured by status), every issue, every rejected row."""
    from .check import issues_frame

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "tinh_trang"
    _table(ws, col.status, {"Tên đơn vị": 34, "Tệp": 30, "Còn thiếu": 30, "Nguồn ngày gửi": 26, "Tình trạng": 14})
    state_col = list(col.status.columns).index("Tình trạng") + 1
    for r in range(2, ws.max_row + 1):
        cell = ws.cell(r, state_col)
        cell.fill = PatternFill("solid", fgColor=STATUS_FILL.get(cell.value, "FFFFFF"))
    _table(wb.create_sheet("van_de"), issues_frame(col.issues), {"Quy tắc": 60, "Cách sửa": 50, "Tệp": 24,
                                                                 "Cột": 28})
    _table(wb.create_sheet("dong_bi_loai"), col.rejected, {"Lý do": 60, "Số liệu đã gõ": 80, "Tệp": 24})
    wb.properties.category = OWN_OUTPUT
    return save_workbook(wb, path)


def _table(ws, frame: pd.DataFrame, widths: dict[str, int]) -> None:
    ws.append(list(frame.columns))
    for c in ws[1]:
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="DDEBF7")
        c.alignment = Alignment(wrap_text=True, vertical="top")
    for rec in frame.itertuples(index=False):
        ws.append([None if _missing(v) else (v.item() if hasattr(v, "item") else v) for v in rec])
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            keep_text(cell)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for j, name in enumerate(frame.columns, start=1):
        ws.column_dimensions[openpyxl.utils.get_column_letter(j)].width = widths.get(name, 12)
    ws.freeze_panes = "A2"
    if len(frame):
        ws.auto_filter.ref = ws.dimensions
    print_landscape(ws, "1:1")
