"""Data-collection forms: one .xlsx per form unit (each Đoàn cơ sở, and each district that has
chi đoàn cơ sở directly under it) for a year, to be filled and sent back (see `collect`).

A form reads as an exchange workbook (contract §3) without its `don_vi` sheet: sheets `chi_doan`
and `co_so` with title rows above the header, the unit's branches pre-listed with codes and names
locked, last year's figures in grey beside each empty cell, a help note on every header, data
validation (whole numbers ≥ 0, Có/Không lists), an instructions sheet with the deadline, and a
very hidden sheet `_phieu` naming the unit, the year and when the form was made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..common.files import atomic_path, safe_name
from ..common.schema import ALL_SHEETS, BA_CHU_DONG, Column
from ..common.vietnamese import ngay_van_ban, order_by_name
from ..common.xlsx import append_row, keep_text
from ..rules.calendar import Calendar
from ..rules.settings import Verification
from .cadres import HELP as CADRE_HELP
from .check import Data
from .members import form_columns as member_form_columns
from .workbook import META_SHEET, reference_header

GUIDE_SHEET = "huong_dan"
SENT_LABEL = "Ngày gửi phiếu"
FIRST_DATA_ROW = 4  # rows 1–2: title and legend; row 3: headers
GREY = PatternFill("solid", fgColor="E7E6E6")
HEAD = PatternFill("solid", fgColor="DDEBF7")
_THIN = Side(style="thin", color="A6A6A6")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)

# What each figure means, shown on its header (contract §3, seeds [001], [004]).
HELP = {
    "so_doan_vien": "Tổng số đoàn viên của chi đoàn tại thời điểm báo cáo.",
    "so_thanh_nien": "Số thanh niên (16–30 tuổi) trên địa bàn hoặc trong đơn vị.",
    "so_thanh_nien_tap_hop": "Trong số thanh niên, số được tập hợp vào tổ chức Đoàn, Hội hoặc các nhóm do Đoàn, "
                             "Hội hướng dẫn.",
    "so_dv_vi_pham_phap_luat": "Số đoàn viên vi phạm pháp luật trong năm (không có thì gõ 0).",
    "so_mo_hinh_kinh_te": "Số mô hình hỗ trợ đoàn viên phát triển kinh tế.",
    "so_gioi_thieu_viec_lam": "Số đoàn viên, thanh niên được giới thiệu việc làm ổn định.",
    "so_doi_hinh_tinh_nguyen": "Số đội hình thanh niên tình nguyện.",
    "so_tv_doi_hinh_lon_nhat": "Số thành viên của đội hình tình nguyện đông nhất.",
    "so_cong_trinh_thanh_nien": "Số công trình thanh niên đăng ký và hoàn thành trong năm.",
    "so_ket_nap_moi": "Số đoàn viên mới kết nạp trong năm.",
    "so_gioi_thieu_dang": "Số đoàn viên ưu tú giới thiệu cho Đảng xem xét kết nạp.",
    "so_lan_sinh_hoat": "Số lần chi đoàn sinh hoạt trong năm.",
    "bien_ban_day_du": "Biên bản, sổ sách, hồ sơ đoàn viên đầy đủ: Có hoặc Không.",
    "so_dv_dong_doan_phi": "Số đoàn viên đóng đoàn phí đầy đủ (không lớn hơn số đoàn viên).",
    "dai_hoi_chi_doan": "Đại hội chi đoàn đúng Điều lệ: Có hoặc Không.",
    "so_hoat_dong_van_hoa_the_thao": "Số hoạt động văn hóa, văn nghệ, thể dục thể thao.",
    "bi_thu_kinh_te_on_dinh": "Kinh tế gia đình bí thư chi đoàn ổn định: Có hoặc Không.",
    "bi_thu_duoc_tap_huan": "Bí thư được tập huấn nghiệp vụ công tác bí thư: Có hoặc Không.",
    "bi_thu_nam_chinh_sach": "Bí thư nắm các chính sách cơ bản hỗ trợ thanh niên: Có hoặc Không.",
    "so_dv_gioi_thieu_1_1": "Số đoàn viên giới thiệu được ít nhất một thanh niên theo chủ trương “1+1”.",
    "so_thanh_nien_1_1": "Số thanh niên vào tổ chức Đoàn, Hội qua chủ trương “1+1”.",
    "diem": "Điểm tự đánh giá, từ 0 đến 100 (có thể để trống).",
    "xep_loai": "Xếp loại (có thể để trống): HTXSNV, HTTNV, HTNV hoặc KHTNV.",
    "dot_cao_diem": "Thực hiện các đợt hoạt động cao điểm đúng tiến độ của cấp trên: Có hoặc Không.",
    **{k: f"{v}: Có hoặc Không." for k, v in BA_CHU_DONG.items()},
}
# Columns every form carries; others appear where the data already holds them.
CORE = {"chi_doan": [k for k in HELP if k in {c.key for c in ALL_SHEETS["chi_doan"]}],
        "co_so": [*BA_CHU_DONG, "diem", "xep_loai", "dot_cao_diem"]}
KEYS = ("ma_don_vi", "nam")
HELP.update(CADRE_HELP)  # after CORE: the cadre columns (contract §6.2) appear where the data holds them


@dataclass
class Form:
    """One form written: the unit that fills it, its district and the file."""

    ma_don_vi: str
    ten_don_vi: str
    ma_huyen: str
    path: Path
    so_chi_doan: int


def form_units(data: Data) -> pd.DataFrame:
    """Units that send a form (not the reporting units documents are written for): every Đoàn cơ sở, and every district with branches directly under it.
    Columns ma_don_vi, ten_don_vi, cap, ma_huyen (the district the form is filed under; the
    province for a Đoàn cơ sở straight under it, since the 2025 reform) and `chi_doan` (their
    branch codes)."""
    from ..common.units import ancestors

    dv = data.don_vi.dropna(subset=["ma_don_vi"]).drop_duplicates("ma_don_vi")
    tree = ancestors(dv)
    units = dv.set_index("ma_don_vi")
    branches = units[units["cap"] == "chi_doan"]
    by_parent = branches.groupby("ma_cap_tren").groups
    rows = []
    for code, u in units.iterrows():
        kids = list(by_parent.get(code, []))
        if u["cap"] == "co_so" or (u["cap"] == "huyen" and kids):
            rows.append({"ma_don_vi": code, "ten_don_vi": u["ten_don_vi"], "cap": u["cap"],
                         "ma_huyen": tree.loc[code, "ma_huyen"] if pd.notna(tree.loc[code, "ma_huyen"])
                         else tree.loc[code, "ma_tinh"], "chi_doan": kids})
    out = pd.DataFrame(rows, columns=["ma_don_vi", "ten_don_vi", "cap", "ma_huyen", "chi_doan"])
    out = out.iloc[order_by_name(out["ten_don_vi"])]
    return out.sort_values("ma_huyen", kind="stable").reset_index(drop=True)


def form_columns(data: Data, sheet: str) -> list[Column]:
    """The data columns of a form: the core ones plus any the data already fills, in schema order."""
    frame = data.chi_doan if sheet == "chi_doan" else data.co_so
    filled = {c for c in frame.columns if frame[c].notna().any()}
    return [c for c in ALL_SHEETS[sheet] if c.key not in KEYS and (c.key in CORE[sheet] or c.key in filled)]


def write_forms(data: Data, nam: int, out_dir: str | Path, han_nop: date | None = None,
                ten_ky: str = "", only: list[str] | None = None, lich: Calendar | None = None) -> list[Form]:
    """One form per form unit under `out_dir/<ma_huyen>/<ma_don_vi>.xlsx` (atomic writes); `lich`,
    the programme's dates, printed on its instructions sheet."""
    out_dir = Path(out_dir)
    units = form_units(data)
    if only:
        units = units[units["ma_don_vi"].isin(only) | units["ma_huyen"].isin(only)]
    names = data.don_vi.drop_duplicates("ma_don_vi").set_index("ma_don_vi")["ten_don_vi"]
    cols = {s: form_columns(data, s) for s in ("chi_doan", "co_so")}
    cols["chi_doan"] = member_form_columns(cols["chi_doan"], nam)  # member ratings: the year's levels only
    prev = {s: f[f["nam"] == nam - 1].drop_duplicates("ma_don_vi").set_index("ma_don_vi")
            for s, f in (("chi_doan", data.chi_doan), ("co_so", data.co_so))}
    made = datetime.now().replace(microsecond=0)
    forms = []
    for u in units.to_dict("records"):
        branches = pd.DataFrame({"ma_don_vi": u["chi_doan"], "ten_don_vi": [names[c] for c in u["chi_doan"]]})
        branches = branches.iloc[order_by_name(branches["ten_don_vi"])]
        path = out_dir / safe_name(str(u["ma_huyen"])) / f"{safe_name(u['ma_don_vi'])}.xlsx"
        wb = openpyxl.Workbook()
        _guide(wb.active, u, nam, han_nop, ten_ky, len(branches))
        _calendar(wb.active, lich)
        _data_sheet(wb, "chi_doan", f"SỐ LIỆU CHI ĐOÀN NĂM {nam}", u, branches, nam, cols["chi_doan"],
                    prev["chi_doan"])
        if u["cap"] == "co_so":
            _data_sheet(wb, "co_so", f"SỐ LIỆU ĐOÀN CƠ SỞ NĂM {nam}", u,
                        pd.DataFrame({"ma_don_vi": [u["ma_don_vi"]], "ten_don_vi": [u["ten_don_vi"]]}),
                        nam, cols["co_so"], prev["co_so"])
        meta = wb.create_sheet(META_SHEET)
        for k, v in (("ma_don_vi", u["ma_don_vi"]), ("nam", nam), ("tao_luc", made.isoformat()),
                     ("han_nop", han_nop.isoformat() if han_nop else None), ("cong_cu", "tongket")):
            meta.append([k, v])
        meta.sheet_state = "veryHidden"
        wb.properties.title = f"Phiếu số liệu năm {nam} – {u['ten_don_vi']}"
        _official_font(wb)
        _save(wb, path, made)
        forms.append(Form(u["ma_don_vi"], u["ten_don_vi"], str(u["ma_huyen"]), path, len(branches)))
    return forms


def _official_font(wb: openpyxl.Workbook) -> None:
    """Times New Roman on every cell written (its Vietnamese glyphs are everywhere; a fallback for
    Calibri drops some of them)."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                f = cell.font
                cell.font = Font(name="Times New Roman", size=f.size if f.size and f.size != 11 else 12, bold=f.b,
                                 italic=f.i, color=f.color)


def _save(wb: openpyxl.Workbook, path: Path, made: datetime) -> None:
    """Atomic save; the file's own dates are real (collect reads when a unit last saved it)."""
    wb.properties.creator = wb.properties.lastModifiedBy = "tongket"
    wb.properties.created = made
    keep_text(wb)  # whichever line wrote a cell (the guide too), a string is text, never a formula
    with atomic_path(path) as tmp:
        wb.save(tmp)


def _guide(ws, u: dict, nam: int, han_nop: date | None, ten_ky: str, n_branches: int) -> None:
    ws.title = GUIDE_SHEET
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 66
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    lines = [
        (f"PHIẾU THU THẬP SỐ LIỆU NĂM {nam}", None),
        (ten_ky or "Đánh giá chất lượng tổ chức cơ sở Đoàn", None),
        (None, None),
        ("Đơn vị", u["ten_don_vi"]),
        ("Mã đơn vị", u["ma_don_vi"]),
        ("Hạn gửi", ngay_van_ban(han_nop).capitalize() if han_nop else "theo hướng dẫn của cấp trên"),
        (SENT_LABEL, None),
        ("Người lập phiếu", None),
        ("Số điện thoại", None),
        (None, None),
        ("Cách điền", None),
        ("1.", f"Trang «chi_doan»: mỗi dòng là một chi đoàn ({n_branches} chi đoàn). Mã, tên chi đoàn đã điền "
               "sẵn và được khóa; không thêm, bớt hay đổi thứ tự dòng."),
        ("2.", "Cột nền xám là số liệu năm trước để đối chiếu; điền số liệu năm nay vào ô trắng bên phải nó."),
        ("3.", "Số lượng gõ số nguyên từ 0 trở lên (không có thì gõ 0, không để trống: ô trống là chưa có số "
               "liệu). Cột có/không chọn «Có» hoặc «Không» trong danh sách."),
        ("4.", "Rê chuột vào tiêu đề cột để xem giải thích. Không gõ công thức, không gộp ô."),
        ("5.", "Trang «co_so» (nếu có): kết quả “3 chủ động” của Đoàn cơ sở."),
        ("6.", f"Điền «{SENT_LABEL}», lưu tệp dạng .xlsx (giữ nguyên tên tệp) và gửi lại trước hạn."),
    ]
    for a, b in lines:
        ws.append([a, b])
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"].font = Font(italic=True)
    ws.merge_cells("A1:B1")
    ws.merge_cells("A2:B2")
    ws["A2"].alignment = Alignment(wrap_text=True)
    ws.row_dimensions[2].height = 32
    for r in range(4, 10):
        ws.cell(r, 1).font = Font(bold=True)
        ws.cell(r, 2).alignment = Alignment(wrap_text=True)
    ws["A11"].font = Font(bold=True)
    sent = ws["B7"]
    sent.number_format = "DD/MM/YYYY"
    sent.fill = PatternFill("solid", fgColor="FFF2CC")
    dv = DataValidation(type="date", operator="greaterThan", formula1="DATE(2000,1,1)", allow_blank=True,
                        showErrorMessage=True, errorTitle="Ngày không hợp lệ",
                        error="Gõ ngày dạng ngày/tháng/năm, ví dụ 05/12/2021.",
                        promptTitle="Ngày gửi", prompt="Ngày đơn vị gửi phiếu, dạng ngày/tháng/năm.",
                        showInputMessage=True)
    ws.add_data_validation(dv)
    dv.add("B7")
    for r in range(12, 18):
        ws.cell(r, 1).alignment = Alignment(vertical="top", horizontal="right")
        ws.cell(r, 2).alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[r].height = 16 * (1 + len(str(ws.cell(r, 2).value)) // 70)


def _calendar(ws, lich: Calendar | None) -> None:
    """The programme's dates under the instructions (rules.calendar), one line per step."""
    if lich is None or not lich.steps:
        return
    ws.append([None, None])
    ws.append(["Lịch thực hiện", "Hạn của từng bước theo kế hoạch (trước ngày ghi bên trái)"])
    ws.cell(ws.max_row, 1).font = Font(bold=True)
    for step in lich.steps:
        day, what = append_row(ws, [step.han.strftime("%d/%m/%Y"), step.ten])
        day.alignment = Alignment(vertical="top", horizontal="right")
        what.alignment = Alignment(wrap_text=True, vertical="top")


# What the registration form (intake.registration) shares with this one.
BOX, official_font, save_form = _BOX, _official_font, _save


def lay_out_sheet(ws: Any, widths: tuple[int, ...], freeze: str) -> None:
    """A form's data sheet as printed and guarded: column widths from A, frozen panes, protected
    against slips (no password), title row repeated, landscape A4."""
    for i, width in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    ws.freeze_panes = freeze
    ws.protection.sheet = True  # no password: it guards against slips
    ws.protection.formatColumns = ws.protection.formatRows = False
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4

# Data validation of each kind of column: Excel's rule and the message when it is broken.
_RULES = {
    "count": (dict(type="whole", operator="greaterThanOrEqual", formula1="0"),
              "Số không hợp lệ", "Gõ số nguyên từ 0 trở lên."),
    "bool": (dict(type="list", formula1='"Có,Không"'), "Chọn Có hoặc Không", "Chọn «Có» hoặc «Không» trong danh sách."),
    "verdict": (dict(type="list", formula1='"Đạt,Chưa đạt"'), "Chọn Đạt hoặc Chưa đạt",
                "Chọn «Đạt» hoặc «Chưa đạt»; để trống nếu chưa thẩm định."),
    "score": (dict(type="decimal", operator="between", formula1="0", formula2="100"),
              "Điểm không hợp lệ", "Điểm từ 0 đến 100."),
    "rating": (dict(type="list", formula1='"HTXSNV,HTTNV,HTNV,KHTNV"'),
               "Xếp loại không hợp lệ", "Chọn một mức trong danh sách."),
    "rate": (dict(type="decimal", operator="between", formula1="0", formula2="1"),
             "Tỉ lệ không hợp lệ", "Tỉ lệ từ 0% đến 100%."),
}
_TEXT_RULE = (dict(type="textLength", operator="lessThanOrEqual", formula1="255"), "Quá dài", "Tối đa 255 ký tự.")


def _validation(col: Column) -> DataValidation:
    rule, title, message = _RULES.get(col.kind, _TEXT_RULE)
    return DataValidation(**rule, allow_blank=True, showErrorMessage=True, errorTitle=title, error=message,
                          showInputMessage=True, promptTitle=col.label[:32], prompt=HELP.get(col.key, col.label)[:255])


def _shown(v: object, col: Column) -> object:
    """Last year's value as the form shows it."""
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return None
    if col.kind == "bool":
        return "Có" if bool(v) else "Không"
    if hasattr(v, "item"):
        v = v.item()
    return v


def _data_sheet(wb, sheet: str, title: str, u: dict, rows: pd.DataFrame, nam: int, cols: list[Column],
                prev: pd.DataFrame) -> None:
    ws = wb.create_sheet(sheet)
    header = ["Mã đơn vị", "Tên đơn vị", "Năm"]
    for c in cols:
        header += [reference_header(nam - 1, c.label), c.label]
    last = get_column_letter(len(header))
    ws.append([f"{title} – {u['ten_don_vi'].upper()}"])
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([f"Cột nền xám: số liệu năm {nam - 1} để đối chiếu (đã khóa). Ô trắng: điền số liệu năm {nam}. "
               "Rê chuột vào tiêu đề cột để xem giải thích."])
    ws.merge_cells(f"A2:{last}2")
    ws["A2"].font = Font(italic=True, color="595959")
    ws.append(header)
    ws.row_dimensions[3].height = 75
    for j, text in enumerate(header, start=1):
        cell = ws.cell(3, j)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border = _BOX
        cell.fill = GREY if text.startswith(reference_header(nam - 1, "")) else HEAD
    for k, c in enumerate(cols):
        cell = ws.cell(3, 5 + 2 * k)
        cell.comment = Comment(HELP.get(c.key, c.label), "tongket", width=300, height=90)
    n = len(rows)
    for i, r in enumerate(rows.itertuples(index=False)):
        before = prev.loc[r.ma_don_vi] if r.ma_don_vi in prev.index else None
        values: list = [r.ma_don_vi, r.ten_don_vi, nam]
        for c in cols:
            values += [None if before is None else _shown(before.get(c.key), c), None]
        ws.append(values)
        row = FIRST_DATA_ROW + i
        for j in range(1, len(header) + 1):
            cell = ws.cell(row, j)
            cell.border = _BOX
            own = j >= 5 and (j - 5) % 2 == 0  # the cells the unit fills
            cell.protection = Protection(locked=not own)
            if not own:
                cell.fill = GREY
            keep_text(cell)  # a name typed as "=…" stays text
    if n:
        for k, c in enumerate(cols):
            letter = get_column_letter(5 + 2 * k)
            dv = _validation(c)
            ws.add_data_validation(dv)
            dv.add(f"{letter}{FIRST_DATA_ROW}:{letter}{FIRST_DATA_ROW + n - 1}")
            if c.kind == "rate":
                for row in range(FIRST_DATA_ROW, FIRST_DATA_ROW + n):
                    ws[f"{letter}{row}"].number_format = "0%"
                    ws[f"{get_column_letter(4 + 2 * k)}{row}"].number_format = "0%"
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 34
    ws.column_dimensions["C"].width = 7
    for j in range(4, len(header) + 1):
        ws.column_dimensions[get_column_letter(j)].width = 11 if (j - 4) % 2 == 0 else 14
    ws.freeze_panes = "D4"
    ws.protection.sheet = True  # no password: an office can lift it; it guards against slips
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.print_title_rows = "3:3"  # printed across pages with the header and the branch names repeated
    ws.print_title_cols = "A:C"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4


# --- the verification team's workbook [001 III.2 bước 4], contract §6.1 ------------------------

VERIFY_SHEET = "tham_dinh"
_VERIFY_HEAD = ["Mã đơn vị", "Năm", "Tên chi đoàn", "Thuộc Đoàn cơ sở", "Số chọn / số báo cáo đạt",
                "Kết quả thẩm định", "Ghi chú"]


def write_verification_form(rows: list[dict[str, str]], nam: int, ten_don_vi: str, settings: Verification,
                            path: str | Path) -> Path:
    """The workbook the verification team fills in: sheet `tham_dinh` with the drawn branches
    pre-listed (codes and names locked), the result to choose (Đạt / Chưa đạt) and a note; results
    already in are shown. It reads as sheet `tham_dinh` of an exchange workbook (copy it there, or
    put the returned file in the `collect` folder)."""
    from ..common.xlsx import save_workbook
    from ..rules.verification import CHO_KET_QUA, TEN_KET_QUA, method

    wb = openpyxl.Workbook()
    guide = wb.active
    guide.title = GUIDE_SHEET
    guide.column_dimensions["A"].width = 100
    for line in (f"DANH SÁCH CHI ĐOÀN THẨM ĐỊNH NGẪU NHIÊN NĂM {nam} – {ten_don_vi.upper()}", "",
                 "1. Trang «tham_dinh»: mỗi dòng là một chi đoàn được chọn thẩm định; mã, tên đã điền sẵn và được khóa.",
                 "2. Cột «Kết quả thẩm định»: chọn «Đạt» hoặc «Chưa đạt»; để trống nếu chưa thẩm định. "
                 "Cột «Ghi chú»: điều cần lưu ý; với chi đoàn chưa đạt, ghi rõ lý do.",
                 "3. Lưu tệp dạng .xlsx và gửi lại; kết quả được nhập vào trang «tham_dinh» của sổ dữ liệu "
                 "(hoặc đặt tệp vào thư mục phiếu đã nộp để «tongket collect» gộp), rồi chạy lại.",
                 "4. Chi đoàn chưa có kết quả chưa được công nhận; quyết định công nhận là dự thảo đến khi đủ kết quả.",
                 "",
                 f"Cách chọn ngẫu nhiên (để kiểm chứng lại): {method(settings.share, settings.minimum, settings.seed)}; "
                 f"mã lần chọn {settings.seed}."):
        append_row(guide, [line])[0].alignment = Alignment(wrap_text=True, vertical="top")
    guide["A1"].font = Font(bold=True, size=14)
    ws = wb.create_sheet(VERIFY_SHEET)
    ws.append([f"KẾT QUẢ THẨM ĐỊNH CHI ĐOÀN NĂM {nam} – {ten_don_vi.upper()}"])
    ws.append(["Ô trắng: chọn «Đạt» hoặc «Chưa đạt» và ghi chú; cột nền xám đã khóa."])
    ws.append(_VERIFY_HEAD)
    for j in range(1, len(_VERIFY_HEAD) + 1):
        cell = ws.cell(3, j)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border, cell.fill = _BOX, HEAD
    for r in rows:
        known = r["trang_thai"] != CHO_KET_QUA
        row = append_row(ws, [r["ma"], nam, r["ten"], r["co_so"], r["chon"],
                              TEN_KET_QUA[r["trang_thai"]] if known else None, r["ghi_chu"] or None])[0].row
        for j in range(1, len(_VERIFY_HEAD) + 1):
            cell = ws.cell(row, j)
            cell.border = _BOX
            own = j >= 6
            cell.protection = Protection(locked=not own)
            if not own:
                cell.fill = GREY
            keep_text(cell)  # a branch named «=…» stays text
    if rows:
        dv = DataValidation(type="list", formula1='"Đạt,Chưa đạt"', allow_blank=True, showErrorMessage=True,
                            errorTitle="Chọn Đạt hoặc Chưa đạt", error="Chọn «Đạt» hoặc «Chưa đạt» trong danh sách.",
                            showInputMessage=True, promptTitle="Kết quả thẩm định",
                            prompt="Đạt hoặc Chưa đạt; để trống nếu chưa thẩm định.")
        ws.add_data_validation(dv)
        dv.add(f"F{FIRST_DATA_ROW}:F{FIRST_DATA_ROW + len(rows) - 1}")
    lay_out_sheet(ws, (16, 7, 30, 34, 12, 14, 36), "F4")
    wb.active = 1
    wb.properties.title = f"Kết quả thẩm định năm {nam} – {ten_don_vi}"
    _official_font(wb)
    return save_workbook(wb, path)
