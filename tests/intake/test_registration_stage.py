"""The registration stage [001 III], contract §6.4: `forms --dang-ky` writes the registration form
with the calendar's dates, `collect --dang-ky` gathers returned forms into sheet dang_ky, judging
lateness against the calendar, refusing unknown units and saying unknown columns."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from conftest import fill_forms, small_rows, small_tree, write_exchange
from tongket.common import paths
from tongket.errors import WARNING
from tongket.intake.check import load
from tongket.intake.collect import CHUA_NOP, CO_LOI, DA_NOP, MUON, collect
from tongket.intake.collect import write_exchange as write_book
from tongket.intake.forms import FIRST_DATA_ROW, GUIDE_SHEET, write_forms
from tongket.intake.registration import write_registration_forms
from tongket.rules.calendar import load_calendar
from tongket.rules.params import load_cycle
from tongket.rules.scales import load_scale

D = dt.date
SCALE = load_scale(paths.PARAMS / "scales" / "xep_loai_2019.yaml")
PLAN = {"dang_ky_ba_chu_dong": D(2020, 10, 10), "dang_ky_chi_doan": D(2021, 2, 10),
        "dang_ky_tinh": {"ten": "Huyện Đoàn đăng ký danh sách về Tỉnh Đoàn", "han": "15/02/2021"},
        "so_ket_6_thang": "2021-07-15"}
LICH = load_calendar("ky.yaml", PLAN, 2021, D(2021, 12, 10))
BA = "Đoàn cơ sở “3 chủ động”"
CD = "Chi đoàn trên địa bàn dân cư đạt chuẩn"


@pytest.fixture
def data(tmp_path: Path):
    cd, cs = small_rows()
    cd = [r for r in cd if r["nam"] == 2020]  # the start of 2021: only last year's figures
    cs = [r for r in cs if r["nam"] == 2020]
    return load(write_exchange(tmp_path / "nho.xlsx", small_tree(), cd, cs), SCALE)


def _fill(path: Path, sent: dt.date, rows: dict[str, tuple], extra_col: str | None = None) -> None:
    """Fill a registration form as a unit would: programme, pilot, date on the listed rows."""
    wb = openpyxl.load_workbook(path)
    wb[GUIDE_SHEET]["B6"] = dt.datetime.combine(sent, dt.time())
    ws = wb["dang_ky"]
    for r in range(FIRST_DATA_ROW, ws.max_row + 1):
        code = ws.cell(r, 1).value
        if code in rows:
            for j, v in enumerate(rows[code], start=4):
                ws.cell(r, j).value = v
    if extra_col:
        ws.cell(FIRST_DATA_ROW - 1, 7).value = extra_col
    wb.save(path)


def _forms(data, folder: Path) -> dict[str, Path]:
    return {f.ma_don_vi: f.path for f in write_registration_forms(data, 2021, folder, lich=LICH)}


def test_the_registration_form_prints_the_dates_and_lists_the_unit_then_its_residential_branches(data, tmp_path):
    forms = _forms(data, tmp_path / "dk")
    assert set(forms) == {"C1", "C2", "C3"}
    assert forms["C1"] == tmp_path / "dk" / "H1" / "C1.xlsx"
    wb = openpyxl.load_workbook(forms["C1"])
    guide = [(r[0].value, r[1].value) for r in wb[GUIDE_SHEET].iter_rows(max_col=2)]
    assert guide[0] == ("PHIẾU ĐĂNG KÝ NĂM 2021", None)
    assert ("Đoàn cơ sở đăng ký xây dựng Đoàn cơ sở “3 chủ động”", "trước ngày 10 tháng 10 năm 2020") in guide
    assert ("Đoàn cơ sở gửi danh sách chi đoàn đăng ký xây dựng Chi đoàn đạt chuẩn",
            "trước ngày 10 tháng 02 năm 2021") in guide
    assert ("Huyện Đoàn đăng ký danh sách về Tỉnh Đoàn", "trước ngày 15 tháng 02 năm 2021") in guide
    assert not any("Sơ kết" in str(b) for _, b in guide)  # only the registration dates
    ws = wb["dang_ky"]
    assert [c.value for c in ws[FIRST_DATA_ROW - 1]] == ["Mã đơn vị", "Tên đơn vị", "Năm", "Chương trình đăng ký",
                                                         "Làm điểm", "Ngày đăng ký"]
    listed = [(r[0].value, r[1].value, r[2].value) for r in ws.iter_rows(min_row=FIRST_DATA_ROW, max_col=3)]
    assert listed == [("C1", "Đoàn xã An Bình", 2021), ("C1.1", "Chi đoàn ấp 1", 2021),
                      ("C1.2", "Chi đoàn ấp 2", 2021), ("C1.3", "Chi đoàn ấp 3", 2021),
                      ("C1.4", "Chi đoàn ấp 4", 2021)]  # the school's branch registers for nothing
    choices = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"}
    assert choices["D4"] == f'"{BA}"' and choices["D5"] == f'"{CD}"'
    assert ws.protection.sheet and ws["A4"].protection.locked and not ws["D4"].protection.locked


def test_collect_gathers_registrations_into_dang_ky_and_warns_of_each_late_one(data, tmp_path):
    folder = tmp_path / "dk"
    forms = _forms(data, folder)
    _fill(forms["C1"], D(2021, 2, 9), {"C1": (BA, None, dt.datetime(2020, 10, 5)), "C1.1": (CD,),
                                        "C1.2": (CD, "Có"), "C1.3": (CD, None, dt.datetime(2021, 2, 15))})
    _fill(forms["C2"], D(2021, 2, 12), {"C2.1": (CD,), "C2.2": (CD,)})  # C2 registers no "3 chủ động"
    res = collect(folder, data, 2021, SCALE, han_nop=LICH, stage="dang_ky")
    late = [i for i in res.issues if i.rule.startswith("Đăng ký muộn")]
    assert [(i.file, i.row, i.column, i.value, i.rule) for i in late] == [
        ("H1/C1.xlsx", 7, "Ngày đăng ký", "15/02/2021",
         "Đăng ký muộn: «Chi đoàn ấp 3» (C1.3) đăng ký «Chi đoàn trên địa bàn dân cư đạt chuẩn» ngày 15 tháng 02 "
         "năm 2021 (theo ngày đăng ký), sau hạn ngày 10 tháng 02 năm 2021 (Đoàn cơ sở gửi danh sách chi đoàn "
         "đăng ký xây dựng Chi đoàn đạt chuẩn)"),
        *[("H1/C2.xlsx", row, "Ngày đăng ký", "12/02/2021",
           f"Đăng ký muộn: «{name}» ({code}) đăng ký «Chi đoàn trên địa bàn dân cư đạt chuẩn» ngày 12 tháng 02 "
           "năm 2021 (theo ô «Ngày gửi phiếu»), sau hạn ngày 10 tháng 02 năm 2021 (Đoàn cơ sở gửi danh sách chi "
           "đoàn đăng ký xây dựng Chi đoàn đạt chuẩn)")
          for row, code, name in ((5, "C2.1", "Chi đoàn khu phố 1"), (6, "C2.2", "Chi đoàn khu phố 2"))]]
    assert all(i.severity == WARNING for i in late) and not res.errors
    reg = res.data.optional["dang_ky"].set_index("ma_don_vi")
    assert sorted(reg.index) == ["C1", "C1.1", "C1.2", "C1.3", "C2.1", "C2.2"]  # C1.4 left blank: not registered
    assert reg.loc["C1", "chuong_trinh"] == "ba_chu_dong" and reg.loc["C1.1", "chuong_trinh"] == "chi_doan_dat_chuan"
    assert bool(reg.loc["C1.2", "lam_diem"]) and not bool(reg.loc["C1.1", "lam_diem"])
    status = res.status.set_index("Mã đơn vị")
    assert status.loc["C1"][["Tình trạng", "Đúng hạn", "Đăng ký “3 chủ động”", "Chi đoàn đăng ký",
                             "Tỉ lệ đăng ký", "Đạt chỉ tiêu", "Làm điểm"]].tolist() == [
        MUON, "Không", "Có", "3/4", "75,0%", "Không", "C1.2"]
    assert status.loc["C2"][["Tình trạng", "Đăng ký “3 chủ động”", "Chi đoàn đăng ký", "Tỉ lệ đăng ký",
                             "Đạt chỉ tiêu"]].tolist() == [MUON, "Không", "2/2", "100,0%", "Có"]
    assert status.loc["C3", "Tình trạng"] == CHUA_NOP and status.loc["C3", "Chi đoàn đăng ký"] == ""
    # the cells written in the exchange workbook, read back as a user would
    book = write_book(res.data, tmp_path / "so_lieu_dang_ky_2021.xlsx")
    ws = openpyxl.load_workbook(book)["dang_ky"]
    cells = [[c.value for c in r] for r in ws.iter_rows()]
    assert cells[0] == ["Mã đơn vị", "Năm", "Chương trình đăng ký", "Làm điểm", "Ngày đăng ký"]
    assert cells[1] == ["C1", 2021, "ba_chu_dong", "Không", dt.datetime(2020, 10, 5)]
    assert ["C1.2", 2021, "chi_doan_dat_chuan", "Có", None] in cells
    again = load(book, SCALE)
    assert not again.errors and len(again.optional["dang_ky"]) == 6  # the collected book reads back clean


def test_on_time_registrations_are_not_late(data, tmp_path):
    folder = tmp_path / "dk"
    forms = _forms(data, folder)
    _fill(forms["C3"], D(2021, 2, 10), {"C3": (BA, "Có", dt.datetime(2020, 10, 10)), "C3.1": (CD,)})
    res = collect(folder, data, 2021, SCALE, han_nop=LICH, stage="dang_ky")
    assert not [i for i in res.issues if i.rule.startswith("Đăng ký muộn")]
    row = res.status.set_index("Mã đơn vị").loc["C3"]
    assert row[["Tình trạng", "Đúng hạn", "Chi đoàn đăng ký", "Làm điểm"]].tolist() == [DA_NOP, "Có", "1/1", "C3"]


def test_unknown_units_are_refused_and_unknown_columns_said(data, tmp_path):
    folder = tmp_path / "dk"
    forms = _forms(data, folder)
    _fill(forms["C3"], D(2021, 2, 1), {"C3.1": (CD,)}, extra_col="Ghi chú thêm")
    wb = openpyxl.load_workbook(forms["C3"])
    wb["dang_ky"].append(["C9.9", "Chi đoàn lạ", 2021, CD])
    wb.save(forms["C3"])
    res = collect(folder, data, 2021, SCALE, han_nop=LICH, stage="dang_ky")
    errors = [(i.file, i.sheet, i.row, i.value, i.rule) for i in res.errors]
    assert ("H2/C3.xlsx", "dang_ky", 6, "C9.9", "Mã đơn vị không có trong trang don_vi") in errors
    said = [i for i in res.issues if i.column == "G"]
    assert said and said[0].rule.startswith("Tiêu đề cột không khớp cột nào của trang «dang_ky»")
    assert list(res.data.optional["dang_ky"]["ma_don_vi"]) == ["C3.1"]  # the unknown unit is not written
    assert res.status.set_index("Mã đơn vị").loc["C3", "Tình trạng"] == CO_LOI
    assert list(res.rejected["Mã đơn vị"]) == ["C9.9"]


def test_a_registration_list_in_the_year_end_folder_is_not_a_return_of_the_figures(tmp_path):
    cd, cs = small_rows()
    data = load(write_exchange(tmp_path / "nho.xlsx", small_tree(), cd, cs), SCALE)
    folder = tmp_path / "phieu"
    write_forms(data, 2021, folder, D(2021, 12, 10), "Tổng kết", only=["H1"])
    fill_forms(folder, data, 2021, D(2021, 12, 1))
    forms = {f.ma_don_vi: f.path for f in write_registration_forms(data, 2021, tmp_path / "dk", lich=LICH)}
    target = folder / "dang_ky_C3.xlsx"
    forms["C3"].rename(target)
    _fill(target, D(2021, 2, 1), {"C3.1": (CD,)})
    res = collect(folder, data, 2021, SCALE, han_nop=LICH)
    status = res.status.set_index("Mã đơn vị")
    assert status.loc["C3", "Tình trạng"] == CHUA_NOP and status.loc["C3", "Tệp"] == ""
    assert status.loc["C1", "Tình trạng"] == DA_NOP
    assert list(res.data.optional["dang_ky"]["ma_don_vi"]) == ["C3.1"]  # gathered all the same


def test_cli_registration_forms_then_collect(tmp_path, capsys):
    from tongket.cli import main

    main(["forms", "--dang-ky", "--out", str(tmp_path / "dk"), "--huyen", "ST06"])
    out = capsys.readouterr().out
    made = sorted((tmp_path / "dk").rglob("*.xlsx"))
    assert f"Đã lập {len(made)} phiếu đăng ký năm 2021. Thư mục: {tmp_path / 'dk'}" in out
    assert "tongket collect THƯ_MỤC --dang-ky" in out
    first = openpyxl.load_workbook(made[0])["dang_ky"]
    code = first.cell(FIRST_DATA_ROW, 1).value
    _fill(made[0], D(2021, 2, 1), {code: (first.cell(FIRST_DATA_ROW, 4).value or BA,)})
    main(["collect", str(tmp_path / "dk"), "--dang-ky", "--out", str(tmp_path / "dk_2021.xlsx")])
    out = capsys.readouterr().out
    status = openpyxl.load_workbook(tmp_path / "tinh_trang_dang_ky_2021.xlsx")["tinh_trang"]
    rows = {r[1]: r for r in status.iter_rows(min_row=2, values_only=True)}
    # a Đoàn cơ sở registering "3 chủ động" in February is late (due 10/10 of the year before)
    assert rows[code][3:7:3] == (MUON, "Không") and "Sổ số liệu tổng hợp:" in out
    book = openpyxl.load_workbook(tmp_path / "dk_2021.xlsx")["dang_ky"]
    assert any(r[0] == code and r[1] == 2021 for r in book.iter_rows(values_only=True))


def test_without_a_calendar_lateness_is_not_judged(data, tmp_path):
    folder = tmp_path / "dk"
    forms = _forms(data, folder)
    _fill(forms["C3"], D(2021, 3, 1), {"C3.1": (CD,)})
    res = collect(folder, data, 2021, SCALE, stage="dang_ky")
    assert res.status.set_index("Mã đơn vị").loc["C3", ["Tình trạng", "Đúng hạn"]].tolist() == [DA_NOP, ""]
    assert not [i for i in res.issues if i.rule.startswith("Đăng ký muộn")]


def test_an_unknown_programme_is_refused_in_the_analysts_words(tmp_path):
    """A programme the kit does not know is an error naming the cell and the programmes' own names,
    never their codes (the message once listed «chi_doan_dat_chuan, ba_chu_dong»)."""
    cycle = load_cycle(None)  # the sample cycle and its workbook
    wb = openpyxl.load_workbook(cycle.data)
    wb["dang_ky"].cell(row=8, column=3).value = "Chi đoàn vững mạnh"
    wb.save(tmp_path / "so_lieu.xlsx")
    d = load(tmp_path / "so_lieu.xlsx", cycle.scale)
    [issue] = [i for i in d.issues if i.sheet == "dang_ky" and i.row == 8]
    assert issue.column == "Chương trình đăng ký (C)" and issue.value == "Chi đoàn vững mạnh"
    assert "«Chi đoàn trên địa bàn dân cư đạt chuẩn», «Đoàn cơ sở “3 chủ động”»" in issue.rule
    assert "chi_doan_dat_chuan" not in str(issue) and "ba_chu_dong" not in str(issue)


def test_the_pilot_units_are_listed_in_the_forms_order_in_every_run(data, tmp_path):
    """«Làm điểm» joined a set of codes: its order changed with the interpreter's string hashing,
    so the same folder gave two different status tables («C1.3, C1» one run, «C1, C1.3» the next)."""
    folder = tmp_path / "dk"
    forms = _forms(data, folder)
    _fill(forms["C1"], D(2021, 2, 9), {"C1": (BA, "Có", dt.datetime(2020, 10, 5)), "C1.1": (CD, "Có"),
                                        "C1.2": (CD, "Có"), "C1.3": (CD, "Có"), "C1.4": (CD, "Có")})
    res = collect(folder, data, 2021, SCALE, han_nop=LICH, stage="dang_ky")
    assert res.status.set_index("Mã đơn vị").loc["C1", "Làm điểm"] == "C1, C1.1, C1.2, C1.3, C1.4"
