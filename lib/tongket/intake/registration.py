"""The registration stage at the start of the year [001 III], contract §6.4: the registration form
each form unit fills (its Đoàn cơ sở for "3 chủ động", its residential branches for "Chi đoàn đạt
chuẩn"), the lateness of a returned registration against the calendar (`lich:`), and the status
table of a registration collection.

A registration form reads as sheet `dang_ky` of an exchange workbook; `collect` reads it with the
same reader, checks and writer as the year-end forms (a row left blank is no registration).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
from openpyxl.styles import Alignment, Font, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from ..common.files import safe_name
from ..common.schema import DANG_KY, TEN_CHUONG_TRINH
from ..common.units import ancestors
from ..common.vietnamese import ngay_bang, ngay_van_ban, order_by_name, phan_tram
from ..common.xlsx import append_row
from ..errors import ERROR, WARNING, Issue
from ..rules.calendar import Calendar
from .cells import reads_blank
from .check import Data
from .forms import (
    BOX,
    FIRST_DATA_ROW,
    GREY,
    GUIDE_SHEET,
    HEAD,
    META_SHEET,
    SENT_LABEL,
    Form,
    form_units,
    lay_out_sheet,
    official_font,
    save_form,
)
from .workbook import ROW

REGISTRATION = "dang_ky"
STAGE = "dang_ky"  # the `_phieu` mark of a registration form
# The calendar step each programme's registration is due by [001 III].
STEP_OF = {"ba_chu_dong": "dang_ky_ba_chu_dong", "chi_doan_dat_chuan": "dang_ky_chi_doan"}
LATE = "Đăng ký muộn"  # the start of every lateness warning (the status table counts them)
_HEAD = ["Mã đơn vị", "Tên đơn vị", "Năm", *(c.label for c in DANG_KY[2:])]


def registrants(data: Data, nam: int) -> pd.DataFrame:
    """Every form unit with the units it lists on its registration form: the Đoàn cơ sở itself
    ("3 chủ động") then its residential branches; a unit with nothing to register is left out."""
    units = form_units(data)
    dv = data.don_vi.dropna(subset=["ma_don_vi"]).drop_duplicates("ma_don_vi").set_index("ma_don_vi")
    rows = []
    for u in units.to_dict("records"):
        resid = [b for b in u["chi_doan"] if dv.at[b, "loai_hinh"] == "dan_cu"]
        resid = [resid[i] for i in order_by_name(pd.Series([dv.at[b, "ten_don_vi"] for b in resid]))]
        listed = ([(u["ma_don_vi"], "ba_chu_dong")] if u["cap"] == "co_so" else []) + [
            (b, "chi_doan_dat_chuan") for b in resid]
        if listed:
            rows.append({**u, "chi_doan_dan_cu": resid, "listed": listed})
    return pd.DataFrame(rows)


def write_registration_forms(data: Data, nam: int, out_dir: str | Path, ten_ky: str = "",
                             only: list[str] | None = None, lich: Calendar | None = None) -> list[Form]:
    """One registration form per form unit under `out_dir/<ma_huyen>/<ma_don_vi>.xlsx`: the dates
    of the calendar on its instructions, the units to register pre-listed (codes, names locked),
    the programme, pilot unit and date to fill."""
    out_dir = Path(out_dir)
    units = registrants(data, nam)
    if only and len(units):
        units = units[units["ma_don_vi"].isin(only) | units["ma_huyen"].isin(only)]
    names = data.don_vi.drop_duplicates("ma_don_vi").set_index("ma_don_vi")["ten_don_vi"]
    made = datetime.now().replace(microsecond=0)
    forms = []
    for u in units.to_dict("records"):
        path = out_dir / safe_name(str(u["ma_huyen"])) / f"{safe_name(u['ma_don_vi'])}.xlsx"
        wb = openpyxl.Workbook()
        _guide(wb.active, u, nam, ten_ky, lich or Calendar())
        _sheet(wb, u, nam, names)
        meta = wb.create_sheet(META_SHEET)
        for k, v in (("ma_don_vi", u["ma_don_vi"]), ("nam", nam), ("giai_doan", STAGE),
                     ("tao_luc", made.isoformat()), ("cong_cu", "tongket")):
            meta.append([k, v])
        meta.sheet_state = "veryHidden"
        wb.properties.title = f"Phiếu đăng ký năm {nam} – {u['ten_don_vi']}"
        official_font(wb)
        save_form(wb, path, made)
        forms.append(Form(u["ma_don_vi"], u["ten_don_vi"], str(u["ma_huyen"]), path, len(u["chi_doan_dan_cu"])))
    return forms


def deadline_lines(lich: Calendar) -> list[tuple[str, str]]:
    """The registration dates a form prints: (who registers, "trước ngày … tháng … năm …")."""
    keys = ("dang_ky_ba_chu_dong", "dang_ky_chi_doan", "dang_ky_tinh")
    return [(s.ten, f"trước {ngay_van_ban(s.han)}") for s in lich.steps if s.key in keys]


def _guide(ws, u: dict, nam: int, ten_ky: str, lich: Calendar) -> None:
    ws.title = GUIDE_SHEET
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 70
    lines: list[tuple[str | None, str | None]] = [
        (f"PHIẾU ĐĂNG KÝ NĂM {nam}", None),
        (ten_ky or "Xây dựng Chi đoàn trên địa bàn dân cư đạt chuẩn và Đoàn cơ sở “3 chủ động”", None),
        (None, None), ("Đơn vị", u["ten_don_vi"]), ("Mã đơn vị", u["ma_don_vi"]), (SENT_LABEL, None),
        ("Người lập phiếu", None), (None, None), ("Hạn đăng ký", None)]
    lines += deadline_lines(lich) or [(None, "Theo hướng dẫn của cấp trên.")]
    lines += [(None, None), ("Cách điền", None),
              ("1.", f"Trang «{REGISTRATION}»: mỗi dòng là một đơn vị được đăng ký ({len(u['listed'])} đơn vị); "
                     "mã, tên đã điền sẵn và được khóa."),
              ("2.", "Đơn vị đăng ký thì chọn chương trình ở cột «Chương trình đăng ký»; đơn vị không đăng ký thì "
                     "để trống cả dòng."),
              ("3.", "Cột «Làm điểm»: chọn «Có» với đơn vị được chọn làm điểm. Cột «Ngày đăng ký»: ngày đơn vị "
                     "đăng ký, dạng ngày/tháng/năm (để trống thì lấy ngày gửi phiếu)."),
              ("4.", f"Điền «{SENT_LABEL}», lưu tệp dạng .xlsx (giữ nguyên tên tệp) và gửi lại trước hạn.")]
    for a, b in lines:
        append_row(ws, [a, b])[1].alignment = Alignment(wrap_text=True, vertical="top")
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"].font = Font(italic=True)
    for r in (4, 5, 6, 7, 9, ws.max_row - 4):
        ws.cell(r, 1).font = Font(bold=True)
    ws["B6"].number_format = "DD/MM/YYYY"


def _sheet(wb, u: dict, nam: int, names: pd.Series) -> None:
    ws = wb.create_sheet(REGISTRATION)
    ws.append([f"ĐĂNG KÝ NĂM {nam} – {u['ten_don_vi'].upper()}"])
    ws.append(["Ô trắng: chọn chương trình (đơn vị đăng ký), làm điểm, ngày đăng ký. Không đăng ký: để trống."])
    ws.append(_HEAD)
    ws["A1"].font = Font(bold=True, size=13)
    for j in range(1, len(_HEAD) + 1):
        cell = ws.cell(3, j)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border, cell.fill = BOX, HEAD
    for code, programme in u["listed"]:
        row = append_row(ws, [code, names[code], nam])[0].row
        for j in range(1, len(_HEAD) + 1):
            cell = ws.cell(row, j)
            cell.border = BOX
            cell.protection = Protection(locked=j <= 3)
            if j <= 3:
                cell.fill = GREY
        ws.cell(row, 6).number_format = "DD/MM/YYYY"
        choice = DataValidation(type="list", formula1=f'"{TEN_CHUONG_TRINH[programme]}"', allow_blank=True,
                                showErrorMessage=True, errorTitle="Chương trình không đúng",
                                error=f"Chọn «{TEN_CHUONG_TRINH[programme]}» hoặc để trống.")
        ws.add_data_validation(choice)
        choice.add(f"D{row}")
    last = FIRST_DATA_ROW + len(u["listed"]) - 1
    yes_no = DataValidation(type="list", formula1='"Có,Không"', allow_blank=True)
    when = DataValidation(type="date", operator="greaterThan", formula1="DATE(2000,1,1)", allow_blank=True,
                          showErrorMessage=True, errorTitle="Ngày không hợp lệ", error="Gõ ngày dạng ngày/tháng/năm.")
    for dv, col in ((yes_no, "E"), (when, "F")):
        ws.add_data_validation(dv)
        dv.add(f"{col}{FIRST_DATA_ROW}:{col}{last}")
    lay_out_sheet(ws, (16, 34, 7, 40, 11, 14), "D4")


# --- reading a returned registration ----------------------------------------------------------

def unfilled(raw_frame: pd.DataFrame, frame: pd.DataFrame) -> pd.Series:
    """Pre-listed rows whose cells to fill were all left blank (as typed, before any default): no
    registration, not an error."""
    own = [c.key for c in DANG_KY[2:] if c.key in raw_frame.columns]
    typed = raw_frame.set_index(ROW)[own].reindex(frame[ROW].to_numpy())
    blank = reads_blank(typed)
    return pd.Series(blank.all(axis=1).to_numpy(), index=frame.index) & frame["ma_don_vi"].notna()


def late_registrations(frame: pd.DataFrame, file: str, sheet: str, sent: date | None, sent_from: str,
                       han_nop: date | Calendar | None, names: pd.Series, letters: dict[str, str]) -> list[Issue]:
    """A warning for every registration made after its programme's date in the calendar (or after
    the one deadline given): the date registered, else the date the file was sent."""
    out = []
    for r in frame.to_dict("records"):
        programme = r.get("chuong_trinh")
        if not isinstance(programme, str) or not isinstance(r.get("ma_don_vi"), str):
            continue
        if isinstance(han_nop, Calendar):
            step = next((s for s in han_nop.steps if s.key == STEP_OF[programme]), None)
            due, step_name = (step.han, step.ten) if step else (None, "")
        else:
            due, step_name = han_nop, "hạn nộp"
        on = r.get("ngay_dang_ky")
        on = on.date() if isinstance(on, datetime) else on if isinstance(on, date) else None
        said = "ngày đăng ký" if on else sent_from
        on = on or sent
        if due is None or on is None or on <= due:
            continue
        code = r["ma_don_vi"]
        out.append(Issue(
            file, sheet, int(r[ROW]), "Ngày đăng ký", ngay_bang(on),
            f"{LATE}: «{names.get(code, code)}» ({code}) đăng ký «{TEN_CHUONG_TRINH[programme]}» "
            f"{ngay_van_ban(on)} (theo {said}), sau hạn {ngay_van_ban(due)} ({step_name})", WARNING,
            fix="Không cần sửa nếu ngày đúng; đơn vị đăng ký muộn được ghi nhận trong bảng tình trạng",
            letter=letters.get("ngay_dang_ky")))
    return out


def workbook_registrations(data: Data, sheet: Any, lich: Calendar, nam: int) -> list[Issue]:
    """The workbook's `dang_ky` rows against the calendar: a registration of year `nam` after its
    programme's date is a warning (counted, as a form's); one of any year dated after the year it
    registers for, or before the year ahead of it, an error naming the cell (a 2022 date on the
    2021 list was counted as registered «đầu năm 2021»)."""
    frame = data.optional.get("dang_ky")
    if frame is None or not len(frame) or sheet is None:
        return []
    rows = frame[frame["nam"].notna().to_numpy(dtype=bool)]  # every year's list; a year's own deadline: `nam`'s
    names = data.don_vi.drop_duplicates("ma_don_vi").set_index("ma_don_vi")["ten_don_vi"]
    out: list[Issue] = []
    keep = []
    for r in rows.to_dict("records"):
        on, y = r.get("ngay_dang_ky"), int(r["nam"])
        on = on.date() if isinstance(on, datetime) else on if isinstance(on, date) else None
        if on is not None and not date(y - 1, 1, 1) <= on <= date(y, 12, 31):
            code = r["ma_don_vi"]
            out.append(Issue(data.path.name, sheet.name, int(r[ROW]), "Ngày đăng ký", ngay_bang(on),
                             f"«{names.get(code, code)}» ({code}) đăng ký cho năm {y} nhưng ngày đăng ký là {ngay_bang(on)}, "
                             f"ngoài các năm {y - 1}–{y} (đăng ký năm {y} làm từ năm {y - 1} đến hết năm {y})",
                             ERROR,
                             fix="Sửa ngày đăng ký (hoặc cột «Năm» nếu là đăng ký của năm khác)",
                             letter=sheet.columns_at.get("ngay_dang_ky")))
        elif y == nam:  # the calendar's deadlines are the cycle year's
            keep.append(r)
    late = late_registrations(pd.DataFrame(keep, columns=rows.columns), data.path.name, sheet.name, None, "",
                              lich, names, sheet.columns_at)
    # each to its district and Đoàn cơ sở, so that only the reporting unit of the row is refused
    tree = ancestors(data.don_vi.dropna(subset=["ma_don_vi"]))
    code_at = dict(zip(rows[ROW].astype(int), rows["ma_don_vi"]))
    placed = []
    for i in out + late:
        code = code_at.get(i.row)
        if code in tree.index:
            h, c = tree.at[code, "ma_huyen"], tree.at[code, "ma_co_so"]
            i = i.but(ma_huyen=None if pd.isna(h) else str(h), ma_co_so=None if pd.isna(c) else str(c))
        placed.append(i)
    return placed


def registration_status(units: pd.DataFrame, returned: list, accepted: list[dict], issues: list[Issue],
                        owners: list[str | None], muc_tieu: float = 0.9,
                        han_nop: date | Calendar | None = None) -> pd.DataFrame:
    """Who registered, per form unit: status, file, date sent, lateness (blank with no date to judge
    by), "3 chủ động", branches registered out of the residential ones and the rate against its target."""
    judged = han_nop is not None and (not isinstance(han_nop, Calendar) or any(han_nop.han(k) for k in
                                                                                  STEP_OF.values()))
    from .collect import CHUA_NOP, CO_LOI, DA_NOP, MUON  # (collect imports this module)

    regs = {r["ma_don_vi"]: r for r in accepted}
    counts: dict[tuple[str, str], int] = {}
    late: set[str] = set()
    for i, o in zip(issues, owners):
        if o:
            counts[(o, i.severity)] = counts.get((o, i.severity), 0) + 1
            late |= {o} if i.rule.startswith(LATE) else set()
    rows = []
    for u in units.to_dict("records"):
        code = u["ma_don_vi"]
        listed = {c for c, _ in u["listed"]}
        n_err, n_warn = counts.get((code, ERROR), 0), counts.get((code, WARNING), 0)
        # a form sent back with nothing filled is not a return (as at year end); one with errors is
        own = sorted({g for g in returned if REGISTRATION in g.rows and (listed & set(
            g.rows[REGISTRATION]["ma_don_vi"].dropna()) or g.form_of == code and n_err)}, key=lambda g: g.path)
        resid = u["chi_doan_dan_cu"]
        n = sum(b in regs for b in resid)
        sent = max((g.sent for g in own if g.sent), default=None)
        state = CHUA_NOP if not own else CO_LOI if n_err else MUON if code in late else DA_NOP
        rate = n / len(resid) if resid and own else None
        rows.append({
            "Huyện": u["ma_huyen"], "Mã đơn vị": code, "Tên đơn vị": u["ten_don_vi"], "Tình trạng": state,
            "Tệp": ", ".join(g.name for g in own), "Ngày gửi": ngay_bang(sent) if sent else "",
            "Đúng hạn": "" if not own or not judged else ("Không" if code in late else "Có"),
            "Đăng ký “3 chủ động”": "" if u["cap"] != "co_so" or not own else ("Có" if code in regs else "Không"),
            "Chi đoàn đăng ký": f"{n}/{len(resid)}" if own else "",
            "Tỉ lệ đăng ký": phan_tram(rate) if rate is not None else "",
            "Đạt chỉ tiêu": "" if rate is None else ("Có" if rate >= muc_tieu - 1e-9 else "Không"),
            "Làm điểm": ", ".join(dict.fromkeys(  # in the form's order (a set's order changes from run to run)
                c for c, _ in u["listed"] if c in regs and regs[c].get("lam_diem") is True)),
            "Số lỗi": n_err, "Số cảnh báo": n_warn})
    return pd.DataFrame(rows)

