"""Reading exchange workbooks: find each sheet and its header row, match headers typed by people,
keep every row's Excel row number. Values stay raw here; `check` types and validates them."""

from __future__ import annotations

import difflib
import itertools
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.formula import ArrayFormula

from ..common.schema import ALL_SHEETS, OPTIONAL_SHEETS, Column
from ..common.vietnamese import fold, nfc, so, squeeze
from ..common.xlsx import is_risky
from ..errors import ERROR, WARNING, DataError, Issue, unreadable
from .cells import excel_digits, is_blank, reads_blank
from .legacy import ETH_FIX, converted, decide_and_doubt, doubted, eth_fixed
from .legacy import FIX as LEGACY_FIX
from .sheet_xml import SheetMarks, scan_sheets

ROW = "_row"  # Excel row number of each data row
HEADER_SCAN_ROWS = 20
# Bounds far above any real province (a few thousand rows, a few MB) that keep memory bounded.
MAX_FILE_MB = 50
MAX_UNZIPPED_MB = 400
MAX_RATIO = 150  # compressed -> uncompressed, per member of more than a megabyte
MAX_ROWS = 200_000
MAX_COLUMNS = 400
META_SHEET = "_phieu"  # the very hidden sheet of a form `tongket forms` made: its unit, year, stage


@dataclass
class RawSheet:
    """One sheet as read: raw values under matched keys, plus where things are."""

    name: str  # the sheet's name as typed in the workbook
    frame: pd.DataFrame  # columns: matched keys (+ unknown headers as typed) and ROW
    header_row: int
    columns_at: dict[str, str] = field(default_factory=dict)  # key -> Excel column letter
    uncomputed: set[tuple[int, str]] = field(default_factory=set)  # (Excel row, key): formula without value


@dataclass
class RawWorkbook:
    """Every known sheet found in a workbook, and the issues met while reading."""

    path: Path
    sheets: dict[str, RawSheet]
    issues: list[Issue]
    seen: Any = None  # what `read_workbook`'s `look` found in the opened workbook

    @property
    def file(self) -> str:
        return self.path.name


def _header_index(columns: tuple[Column, ...]) -> dict[str, str]:
    index: dict[str, str] = {}
    for c in columns:
        index[fold(c.key)] = c.key
        index[fold(c.label)] = c.key
    return index


# Headers of every sheet's columns: a column of another sheet (the unit's name beside its code in
# chi_doan, say) is there for people to read and is not reported as unknown.
_ELSEWHERE = {f for cols in ALL_SHEETS.values() for c in cols for f in (fold(c.key), fold(c.label))}
_REFERENCE = re.compile(r"^nam\d{4}(.+)$")  # «Năm 2020: Số đoàn viên», folded


def reference_header(year: int, label: str) -> str:
    """The header of a column of last year's figures that a form puts beside each figure to fill in,
    for people to compare: read as no figure, and not warned of as a header the kit does not know
    where the sheet has the column itself (it was 49 warnings a returned form, 3.849 in the
    collection's issues of the sample). Without the column beside it, it is warned of as before: a
    year typed into the header of this year's figures must not leave them unread in silence."""
    return f"Năm {year}: {label}"


def nearest(text: str, columns: tuple[Column, ...], exclude: set[str] | None = None) -> Column | None:
    """The known column whose label or key is closest to a header typed (difflib over folded
    texts), None where nothing is close; columns in `exclude` (already found) are skipped."""
    choices: dict[str, Column] = {}
    for c in columns:
        if exclude and c.key in exclude:
            continue
        choices.setdefault(fold(c.label), c)
        choices.setdefault(fold(c.key), c)
    folded = fold(text)
    hit = difflib.get_close_matches(folded, list(choices), n=1, cutoff=0.6)
    if not hit:  # «Số đoàn viên (người)»: a known label followed by a unit or a note
        starts = [k for k in choices if len(k) >= 6 and folded.startswith(k)]
        hit = sorted(starts, key=len, reverse=True)[:1]
    return choices[hit[0]] if hit else None


def _find_header(rows: list[list], index: dict[str, str]) -> int:
    """Index (0-based) of the header row: the first row with at least two known headers."""
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        hits = sum(1 for v in row if v is not None and fold(str(v)) in index)
        if hits >= 2:
            return i
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        if any(v not in (None, "") for v in row):
            return i
    return 0


def _values(ws, file: str) -> Iterator[tuple]:
    """openpyxl's rows of values; a cell it cannot parse (a number «NaN», a shared text that is not
    there: a damaged or hand-made file) refuses the file, naming the sheet and where, never a
    traceback. openpyxl yields the empty rows before a row only once it has read that row, so what
    is known is the last row read: the cell is in the first row after it that the file holds."""
    rows = ws.iter_rows(values_only=True)
    for n in itertools.count(1):
        try:
            r = next(rows)
        except StopIteration:
            return
        except (ValueError, IndexError, KeyError, TypeError) as exc:
            where = f"sau dòng {n - 1}" if n > 1 else "đầu tiên của trang"
            raise _refuse(file, f"Tệp .xlsx bị hỏng: trang «{ws.title}» có ô không đọc được, ở dòng có nội dung "
                                f"{where}", _REOPEN) from exc
        yield r


def _rows(ws, file: str) -> list[list]:
    """Every row's values, refusing sheets far larger than any real one before reading them all."""
    rows: list[list] = []
    for r in _values(ws, file):
        rows.append([excel_digits(v) if type(v) is float else v for v in r[:MAX_COLUMNS]])  # as Excel shows it
        if len(rows) > MAX_ROWS:
            raise DataError([Issue(file, ws.title, None, None, None,
                                   f"Trang có hơn {MAX_ROWS:,} dòng, quá lớn so với số liệu thật của một tỉnh "
                                   "(tệp hỏng hoặc có dòng định dạng kéo xuống cuối trang)",
                                   fix="Xóa các dòng thừa ở cuối trang (chọn từ dòng cuối có số liệu đến hết, "
                                       "Delete), lưu lại rồi gửi lại")])
    return rows


def _clean_text(rows: list[list], ws_title: str, file: str, issues: list[Issue]) -> None:
    """Text cells in place: legacy font encodings to Unicode, decided per column with evidence
    (each converted cell reported with its address); valid Vietnamese Unicode is never converted,
    only «Ð» (U+00D0, a look-alike) becomes «Đ», with a warning; then NFC."""
    by_column: dict[int, list[tuple[int, str]]] = {}
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            if isinstance(v, str):
                by_column.setdefault(j, []).append((i, v))
    for j, cells in by_column.items():
        letter = get_column_letter(j + 1)
        decided, doubted_cells = decide_and_doubt(cells)
        for i, v, out, enc in decided:
            if enc is not None:
                issues.append(Issue(file, ws_title, i + 1, letter, v, converted(enc, out), WARNING, fix=LEGACY_FIX,
                                    letter=letter))
                v = out
            else:
                fixed = eth_fixed(v)
                if fixed != v:
                    issues.append(Issue(file, ws_title, i + 1, letter, v,
                                        f"Chữ «Ð» (ký tự Eth của tiếng Iceland) được hiểu là chữ «Đ»: «{nfc(fixed)}»",
                                        WARNING, fix=ETH_FIX, letter=letter))
                    v = fixed
            rows[i][j] = nfc(v)
        for i, v, reading, enc in doubted_cells:
            issues.append(Issue(file, ws_title, i + 1, letter, v, doubted(enc, reading), WARNING,
                                fix="Xem lại ô; nếu đúng là bảng mã cũ, gõ lại bằng Unicode. " + LEGACY_FIX,
                                letter=letter))


def _formula_cells(path: Path, sheet_name: str, rows: list[list]) -> dict[tuple[int, int], str]:
    """Cells holding a formula whose result the file does not store: (row index, col index) -> formula."""
    wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        out = {}
        for i, r in enumerate(_values(wb[sheet_name], path.name)):
            if i >= len(rows):
                break
            for j, v in enumerate(r[:MAX_COLUMNS]):
                # read with data_only=False, a formula is its text («=…»; an array formula, an object
                # holding it); a text cell reads the same in both passes, so only a formula without a
                # stored result is blank in `rows`
                v = v.text if isinstance(v, ArrayFormula) else v
                if is_risky(v) and j < len(rows[i]) and rows[i][j] is None:
                    out[(i, j)] = v
        return out
    finally:
        wb.close()


def _read_sheet(ws, key: str, file: str, issues: list[Issue], path: Path | None = None,
                marks: SheetMarks | None = None) -> RawSheet:
    columns = ALL_SHEETS[key]
    index = _header_index(columns)
    rows = _rows(ws, file)
    _clean_text(rows, ws.title, file, issues)
    marks = marks or SheetMarks()
    uncomputed = _formula_cells(path, ws.title, rows) if marks.formulas and path is not None else {}
    if ws.sheet_state != "visible":
        issues.append(Issue(file, ws.title, None, None, None, "Trang đang bị ẩn; số liệu trong trang vẫn được đọc",
                            WARNING, fix="Bỏ ẩn trang (chuột phải vào tên trang → Bỏ ẩn) và xem lại số liệu trong đó"))
    h = _find_header(rows, index)
    header = rows[h] if rows else ()
    names: list[str] = []
    columns_at: dict[str, str] = {}
    unknown: list[tuple[int, str]] = []
    for j, v in enumerate(header):
        text = "" if v is None else squeeze(str(v))
        matched = index.get(fold(text)) if text else None
        name = matched or (text or f"_trong_{j}")
        if matched and matched in columns_at:
            issues.append(Issue(file, ws.title, h + 1, get_column_letter(j + 1), text,
                                f"Cột «{matched}» xuất hiện hai lần; chỉ dùng cột {columns_at[matched]}",
                                fix="Xóa hoặc đổi tên cột thừa", letter=get_column_letter(j + 1)))
            name = f"_trung_{j}"
        if matched and matched not in columns_at:
            columns_at[matched] = get_column_letter(j + 1)
        if text and not matched and fold(text) not in _ELSEWHERE:
            unknown.append((j, text))
        names.append(name)
    for j, text in unknown:
        if (m := _REFERENCE.match(fold(text))) and index.get(m.group(1)) in columns_at:
            continue  # last year's figures beside this year's (`reference_header`)
        near = nearest(text, columns, exclude=set(columns_at))
        hint = f"; gần nhất với cột «{near.label}» ({near.key})" if near else ""
        issues.append(Issue(file, ws.title, h + 1, get_column_letter(j + 1), text,
                            f"Tiêu đề cột không khớp cột nào của trang «{key}», nên cột này không được đọc{hint}",
                            WARNING, fix=(f"Nếu đây là cột «{near.label}», sửa tiêu đề thành «{near.label}» "
                                          f"(hoặc «{near.key}»)" if near else
                                          "Sửa tiêu đề theo danh sách cột của trang (README), hoặc bỏ qua nếu "
                                          "cột chỉ để ghi chú"),
                            letter=get_column_letter(j + 1)))
    width = len(names)
    label_at = {letter: next(c.label for c in columns if c.key == k) for k, letter in columns_at.items()}
    for k, said in enumerate(issues):  # converted cells: name the column as the analyst reads it
        if said.sheet == ws.title and said.letter in label_at and said.column == said.letter:
            issues[k] = said.but(column=f"{label_at[said.letter]} ({said.letter})")
    for i in range(h + 1, len(rows)):  # rows longer than the header: cells without a header
        extra = [(j, v) for j, v in enumerate(rows[i][width:], start=width) if v not in (None, "")]
        for j, v in extra[:1]:
            issues.append(Issue(file, ws.title, i + 1, get_column_letter(j + 1), v,
                                "Ô có số liệu nhưng cột không có tiêu đề; ô này không được đọc",
                                WARNING, fix="Thêm tiêu đề cho cột hoặc chuyển số liệu vào đúng cột",
                                letter=get_column_letter(j + 1)))
        rows[i] = rows[i][:width]
    issues += _headless(rows, h, [j for j, name in enumerate(names) if name.startswith("_trong_")], file, ws.title)
    formula_at: set[tuple[int, str]] = set()
    for (i, j), f in sorted(uncomputed.items()):
        if i <= h or j >= width or names[j] not in columns_at:  # a column not read: its formulas are not its figures
            continue
        where = names[j]
        label = next(c.label for c in columns if c.key == where)
        issues.append(Issue(file, ws.title, i + 1, f"{label} ({get_column_letter(j + 1)})", f,
                            "Ô có công thức nhưng tệp không lưu kết quả tính (tệp do chương trình khác tạo), "
                            "nên không biết giá trị",
                            fix="Mở tệp bằng Excel hoặc LibreOffice, nhấn Lưu để tính lại công thức rồi gửi lại; "
                                "hoặc gõ số thay cho công thức", letter=get_column_letter(j + 1)))
        formula_at.add((i + 1, where))
    data = [r + [None] * (width - len(r)) for r in rows[h + 1:]]
    frame = pd.DataFrame(data, columns=names, dtype=object) if names else pd.DataFrame()
    frame[ROW] = range(h + 2, h + 2 + len(frame))
    # Rows with nothing typed in them are not data.
    value_cols = [c for c in frame.columns if c != ROW and not c.startswith("_")]
    if value_cols:
        filled = frame[value_cols].map(lambda v: v is not None and not (isinstance(v, str) and not v.strip()))
        frame = frame[filled.any(axis=1)].reset_index(drop=True)
    issues += _hidden(marks, frame, columns_at, label_at, file, ws.title)
    return RawSheet(ws.title, frame, h + 1, columns_at, formula_at)


def _headless(rows: list[list], h: int, blank: list[int], file: str, sheet: str) -> list[Issue]:
    """A column whose header cell is empty but whose cells below hold something (a header erased, a
    figure typed beyond the last column): one warning per column, at its first such cell, saying how
    many there are. openpyxl pads every row to the sheet's width, the header too, so such cells sit
    under an empty header rather than past its end, and the column is not read."""
    out = []
    for j in blank:
        held = [(i, v) for i in range(h + 1, len(rows)) if j < len(rows[i])
                and not (is_blank(v := rows[i][j]) or (isinstance(v, str) and not squeeze(v)))]  # «\u200b» too
        if held:
            (i, v), letter = held[0], get_column_letter(j + 1)
            out.append(Issue(file, sheet, i + 1, letter, v,
                             f"Cột {letter} có số liệu ({so(len(held))} ô) nhưng ô tiêu đề (dòng {h + 1}) để trống, "
                             "nên cả cột không được đọc", WARNING,
                             fix="Gõ lại tiêu đề của cột (theo danh sách cột của trang trong README), hoặc xóa "
                                 "các ô đó nếu không phải số liệu", letter=letter))
    return out


def _hidden(marks: SheetMarks, frame: pd.DataFrame, columns_at: dict[str, str], label_at: dict[str, str],
            file: str, sheet: str) -> list[Issue]:
    """Hidden rows of data and hidden columns read that hold figures: they count like any other,
    which an analyst who hid a row (or filtered a district) to leave it out would not know from the
    sheet. One warning for the rows, one for the columns."""
    out = []
    hid = sorted(set(frame[ROW]) & marks.hidden_rows)
    if hid:
        listed = ", ".join(map(str, hid[:10])) + (f" và {so(len(hid) - 10)} dòng khác" if len(hid) > 10 else "")
        out.append(Issue(file, sheet, hid[0], None, None,
                         (f"Có {so(len(hid))} dòng số liệu đang bị ẩn (dòng {listed}): các dòng này vẫn được đọc "
                          "và tính như mọi dòng khác") if len(hid) > 1 else
                         f"Dòng số liệu {hid[0]} đang bị ẩn: dòng này vẫn được đọc và tính như mọi dòng khác",
                         WARNING, fix="Bỏ ẩn (bỏ lọc, hoặc chọn cả trang → chuột phải vào số dòng → Bỏ ẩn) và xem "
                                      "lại: dòng không được tính thì xóa hẳn, dòng là số liệu thì để nguyên"))
    cols = [letter for key, letter in columns_at.items() if column_index_from_string(letter) in marks.hidden_cols
            and not reads_blank(frame[key]).all()]
    if cols:
        named = ", ".join(f"{label_at[c]} ({c})" for c in cols[:10]) + (
            f" và {so(len(cols) - 10)} cột khác" if len(cols) > 10 else "")
        out.append(Issue(file, sheet, None, None, None,
                         (f"Có {so(len(cols))} cột đang bị ẩn: {named}; số liệu trong các cột này vẫn được đọc và "
                          "tính") if len(cols) > 1 else
                         f"Cột {named} đang bị ẩn: số liệu trong cột vẫn được đọc và tính", WARNING,
                         fix="Bỏ ẩn (chọn cả trang → chuột phải vào tên cột → Bỏ ẩn) và xem lại số liệu trong đó",
                         letter=cols[0]))
    return out


def read_workbook(path: str | Path, required: tuple[str, ...] | None = None,
                  look: Callable[[Any, dict[str, SheetMarks]], Any] | None = None) -> RawWorkbook:
    """Read the exchange workbook's sheets (`don_vi`, `chi_doan`, `co_so`), matched by name.
    `required`: the sheets whose absence is an error (default: those three). `look(workbook)`, when
    given, is called on the opened openpyxl workbook and each sheet's marks (`screen`) before its
    sheets are read, and what it returns kept as `seen` (what else a caller reads from the file,
    without opening it again)."""
    path = Path(path)
    file = path.name
    if not path.exists():
        raise DataError([Issue(file, "", None, None, str(path), "Không tìm thấy tệp dữ liệu")])
    if path.is_dir():
        raise _refuse(file, f"«{path}» là một thư mục, không phải sổ Excel",
                      "Ghi đường dẫn tới tệp .xlsx (ví dụ: du_lieu/tinh_mau.xlsx), không phải thư mục chứa nó")
    marks = screen(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, SyntaxError) as exc:
        raise _refuse(file, f"Không đọc được tệp như một sổ Excel .xlsx ({type(exc).__name__})", _SAVE_AS) from exc
    try:
        seen = None if look is None else look(wb, marks)
    except BaseException:
        wb.close()
        raise
    if required is None and META_SHEET in wb.sheetnames and not candidates("don_vi", wb.sheetnames):
        # a unit's form (it never has the tree) is not the cycle's workbook
        try:
            raise _a_form(wb, file)
        finally:
            wb.close()
    issues: list[Issue] = []
    by_fold = {fold(name): name for name in wb.sheetnames}
    sheets: dict[str, RawSheet] = {}
    try:
        for key in ALL_SHEETS:
            name = by_fold.get(fold(key)) or by_fold.get(fold(key.replace("_", " ")))
            twins = candidates(key, wb.sheetnames)
            if len(twins) > 1:
                issues.append(Issue(file, key, None, None, None,
                                    f"Có {len(twins)} trang có thể là trang «{key}»: "
                                    f"{', '.join(f'«{t}»' for t in twins)}; không tự chọn một trang",
                                    ERROR, fix="Giữ đúng một trang số liệu: xóa hoặc đổi tên hẳn các trang bản sao "
                                               "(ví dụ «cu_chi_doan»), rồi kiểm tra lại"))
            if name is None and (key in OPTIONAL_SHEETS or (required is not None and key not in required)):
                continue
            if name is None:
                issues.append(Issue(file, key, None, None, None,
                                    f"Thiếu trang «{key}» (các trang có: {', '.join(wb.sheetnames)})",
                                    ERROR))
                continue
            sheets[key] = _read_sheet(wb[name], key, file, issues, path, marks.get(name))
    except SyntaxError as exc:  # xml.etree's ParseError and lxml's XMLSyntaxError: a damaged sheet
        raise _refuse(file, f"Tệp .xlsx bị hỏng: phần XML của trang «{name}» không đọc được "
                            f"({getattr(exc, 'msg', None) or exc})", _REOPEN) from exc
    finally:
        wb.close()
    return RawWorkbook(path, sheets, issues, seen)


_COPY = re.compile(r"^(?:copyof|bansao|saochep)?(.*?)(?:\d+|copy|bansao|saochep)?$")


def candidates(key: str, sheetnames: list[str]) -> list[str]:
    """Sheets that could be the sheet `key`: its name, or a copy of it («chi_doan (2)», «Copy of
    chi_doan», «chi_doan 2021»), matched like headers."""
    want = fold(key)
    out = []
    for name in sheetnames:
        f = fold(name)
        m = _COPY.match(f)
        if f == want or (m and m.group(1) == want) or re.fullmatch(rf"{want}\d*", f):
            out.append(name)
    return out


_SAVE_AS = "Mở tệp bằng Excel (hoặc LibreOffice Calc), chọn Tệp → Lưu thành (Save As) → Sổ làm việc Excel (*.xlsx), rồi dùng tệp .xlsx mới"


_REOPEN = ("Mở tệp bằng Excel hoặc LibreOffice Calc: nếu mở được, lưu lại thành .xlsx rồi dùng tệp mới; "
           "nếu không, xin đơn vị gửi lại tệp")


def _refuse(file: str, rule: str, fix: str | None = None) -> DataError:
    return DataError([Issue(file, "", None, None, None, rule, fix=fix)])


def form_meta(ws) -> dict[str, object]:
    """The key → value rows of a form's `_phieu` sheet (a row of one cell: a key without a value)."""
    return {str(r[0]): (r[1] if len(r) > 1 else None)
            for r in ws.iter_rows(values_only=True) if r and r[0] is not None}


def _a_form(wb, file: str) -> DataError:
    """A form made by `tongket forms` given where the cycle's workbook belongs (`check`, `run`): one
    refusal naming whose form it is, not a «Thiếu trang don_vi» and a warning for every column of
    last year's figures beside the blanks."""
    meta = form_meta(wb[META_SHEET])
    kind, made, command = (("phiếu đăng ký", "tongket forms --dang-ky", "tongket collect --dang-ky THƯ_MỤC")
                           if meta.get("giai_doan") else
                           ("phiếu thu thập số liệu", "tongket forms", "tongket collect THƯ_MỤC"))
    nam, ma = meta.get("nam"), meta.get("ma_don_vi")  # as `tongket forms` wrote them; anything else unsaid
    of = f" năm {nam}" if isinstance(nam, int) and not isinstance(nam, bool) else ""
    of += f" của đơn vị {ma}" if isinstance(ma, str) and ma.strip() else ""
    return _refuse(file, f"Tệp là {kind}{of} (lập bằng lệnh «{made}»), không phải sổ dữ liệu của "
                         "kỳ đánh giá", f"Để các phiếu đơn vị gửi về chung một thư mục rồi chạy «{command}»: lệnh "
                                       "đó kiểm tra từng phiếu, đối chiếu với sổ dữ liệu và gộp số liệu vào sổ")


def screen(path: Path) -> dict[str, SheetMarks]:
    """Refuse, before parsing, what is not an .xlsx workbook or is far larger than any real one
    (size on disk, size unzipped, compression ratio: a zip bomb fails here, reading nothing).
    Returns what each sheet's XML marks: its formulas, its hidden rows and columns."""
    file = path.name
    size = path.stat().st_size
    if size > MAX_FILE_MB * 2**20:
        raise _refuse(file, f"Tệp quá lớn ({size / 2**20:,.0f} MB; số liệu của một tỉnh chỉ vài MB, giới hạn "
                            f"{MAX_FILE_MB} MB)", "Kiểm tra lại tệp: xóa ảnh, trang và dòng định dạng thừa rồi lưu lại")
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except PermissionError as exc:  # a workbook open in Excel on Windows: Excel holds it, nobody may read it
        raise _refuse(file, *unreadable(path)) from exc
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise _refuse(file, "Tệp là sổ Excel 97–2003 (.xls) hoặc sổ có đặt mật khẩu; bộ công cụ chỉ đọc .xlsx",
                      "Nếu tệp có mật khẩu, bỏ mật khẩu (Tệp → Thông tin → Bảo vệ sổ làm việc); " + _SAVE_AS)
    if not head.startswith(b"PK"):
        what = ("trang web (HTML), thường do phần mềm khác xuất ra" if head.lstrip()[:1] in (b"<", b"\xef")
                else "văn bản hoặc định dạng khác")
        raise _refuse(file, f"Tệp không phải sổ Excel .xlsx: nội dung là {what}", _SAVE_AS)
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            names = {i.filename for i in infos}
            if "mimetype" in names and b"opendocument" in z.read("mimetype"):
                raise _refuse(file, "Tệp là bảng tính OpenDocument (.ods), không phải .xlsx", _SAVE_AS)
            if "xl/workbook.xml" not in names:
                raise _refuse(file, "Tệp nén không phải sổ Excel .xlsx (không có xl/workbook.xml)", _SAVE_AS)
            if path.suffix.lower() not in XLSX_SUFFIXES:
                raise _refuse(file, f"Tệp là sổ Excel .xlsx nhưng có đuôi «{path.suffix}»",
                              f"Đổi tên tệp cho đúng đuôi .xlsx (ví dụ: {path.stem}.xlsx) rồi dùng tệp đó")
            total = sum(i.file_size for i in infos)
            bomb = [i for i in infos if i.file_size > 2**20 and i.file_size > MAX_RATIO * max(i.compress_size, 1)]
            if total > MAX_UNZIPPED_MB * 2**20 or bomb:
                raise _refuse(file, f"Tệp giải nén ra {total / 2**20:,.0f} MB (tỉ lệ nén bất thường): không phải sổ "
                                    "số liệu thật hoặc đã hỏng; tệp không được đọc",
                              "Xin đơn vị gửi lại tệp số liệu gốc")
            _refuse_dtd(z, infos, file)
            return scan_sheets(z)
    except zipfile.BadZipFile as exc:
        raise _refuse(file, "Tệp .xlsx bị hỏng (không giải nén được)", "Xin đơn vị gửi lại tệp") from exc


XLSX_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")  # what openpyxl opens


def _refuse_dtd(z: zipfile.ZipFile, infos: list[zipfile.ZipInfo], file: str) -> None:
    """Refuse XML parts that declare a DTD or entities: Excel never writes one, and entities are how
    an XML bomb ("billion laughs") or an external-entity read is built. The declaration can only
    come before the root element, so the first bytes of each part tell."""
    for info in infos:
        if not info.filename.endswith((".xml", ".rels", ".vml")):
            continue
        with z.open(info) as fh:
            head = fh.read(8192)
        if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
            raise _refuse(file, f"Tệp .xlsx có khai báo DOCTYPE/ENTITY trong phần {info.filename}: Excel không bao "
                                "giờ ghi như vậy; đây là tệp bị sửa (có thể là «bom XML») nên không được đọc",
                          "Xin đơn vị gửi lại tệp số liệu gốc, lưu bằng Excel hoặc LibreOffice Calc")
