"""Sheet dang_ky (registration [001 III], contract §6.4): read as people type it, refused where it
cannot be right, every issue naming file, sheet, Excel row, column and value."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import small_rows, small_tree, write_exchange
from helpers import add_sheet
from tongket.errors import ERROR, WARNING
from tongket.intake.cells import date_of
from tongket.intake.check import load
from tongket.rules.params import load_cycle


def with_dang_ky(path: Path, rows: list[list], header: list[str] | None = None) -> Path:
    """The small workbook with a sheet dang_ky of `rows` (header: keys unless given)."""
    cd, cs = small_rows()
    write_exchange(path, small_tree(), cd, cs)
    return add_sheet(path, "dang_ky", header or ["ma_don_vi", "nam", "chuong_trinh", "lam_diem", "ngay_dang_ky"], rows)


@pytest.fixture(scope="module")
def scale():
    return load_cycle().scale


def _issues(path, scale, severity=None):
    return [i for i in load(path, scale).issues if i.sheet == "dang_ky" and (severity is None or i.severity == severity)]


def test_clean_registrations_read_with_labels_and_dates(tmp_path, scale):
    path = with_dang_ky(tmp_path / "dk.xlsx", [
        ["C1.1", 2021, "Chi đoàn trên địa bàn dân cư đạt chuẩn", "x", dt.datetime(2021, 2, 8)],
        ["C1.2", 2021, "chi_doan_dat_chuan", None, "10/02/2021"],
        ["C1", 2021, "3 chủ động", "Có", 44470],  # an Excel day number: 01/10/2021
        ["C2", 2021, "Đoàn cơ sở “3 chủ động”", None, None],
    ], header=["Mã đơn vị", "Năm", "Chương trình đăng ký", "Làm điểm", "Ngày đăng ký"])
    data = load(path, scale)
    assert [i for i in data.issues if i.sheet == "dang_ky"] == []
    dk = data.optional["dang_ky"]
    assert list(dk["chuong_trinh"]) == ["chi_doan_dat_chuan", "chi_doan_dat_chuan", "ba_chu_dong", "ba_chu_dong"]
    assert list(dk["lam_diem"]) == [True, False, True, False]
    assert list(dk["ngay_dang_ky"]) == [dt.date(2021, 2, 8), dt.date(2021, 2, 10), dt.date(2021, 10, 1), None]


def test_programme_must_fit_the_units_level(tmp_path, scale):
    path = with_dang_ky(tmp_path / "dk.xlsx", [
        ["C1.1", 2021, "ba_chu_dong", None, None],  # a branch cannot register for "3 chủ động"
        ["C2", 2021, "chi_doan_dat_chuan", None, None],  # a Đoàn cơ sở cannot register as a branch
    ])
    errs = _issues(path, scale, ERROR)
    assert [(i.row, i.column, i.value) for i in errs] == [
        (2, "Chương trình đăng ký (C)", "ba_chu_dong"), (3, "Chương trình đăng ký (C)", "chi_doan_dat_chuan")]
    assert "«Chi đoàn ấp 1» (C1.1) là chi đoàn" in errs[0].rule and "Đoàn cơ sở đăng ký" in errs[0].rule
    assert "«Đoàn phường 2» (C2) là Đoàn cơ sở" in errs[1].rule
    assert all(i.file == "dk.xlsx" for i in errs)
    assert "tệp dk.xlsx, trang dang_ky, dòng 2, cột Chương trình đăng ký (C)" in str(errs[0])


def test_unknown_code_wrong_level_duplicate_bad_programme_and_date(tmp_path, scale):
    path = with_dang_ky(tmp_path / "dk.xlsx", [
        ["XX9", 2021, "chi_doan_dat_chuan", None, None],
        ["H1", 2021, "ba_chu_dong", None, None],
        ["C1.2", 2021, "chi_doan_dat_chuan", None, None],
        ["C1.2", 2021, "chi_doan_dat_chuan", None, None],
        ["C1.3", 2021, "đạt chuẩn loại 1", None, "31/02/2021"],
    ])
    errs = {(i.row, i.column): (i.value, i.rule) for i in _issues(path, scale, ERROR)}
    assert errs[(2, "Mã đơn vị (A)")] == ("XX9", "Mã đơn vị không có trong trang don_vi")
    assert errs[(3, "Mã đơn vị (A)")][1].startswith("Sai cấp: trang dang_ky chỉ nhận chi đoàn hoặc Đoàn cơ sở")
    assert "hai dòng số liệu cho năm 2021 (các dòng 4, 5)" in errs[(4, "Mã đơn vị (A)")][1]
    assert (5, "Mã đơn vị (A)") in errs
    assert errs[(6, "Chương trình đăng ký (C)")][0] == "đạt chuẩn loại 1"
    assert errs[(6, "Ngày đăng ký (E)")] == ("31/02/2021", errs[(6, "Ngày đăng ký (E)")][1])
    assert "Không phải ngày rõ nghĩa" in errs[(6, "Ngày đăng ký (E)")][1]


def test_non_residential_branch_registering_is_a_warning(tmp_path, scale):
    path = with_dang_ky(tmp_path / "dk.xlsx", [["C1.S", 2021, "chi_doan_dat_chuan", None, None]])
    warns = _issues(path, scale, WARNING)
    assert [(i.row, i.column) for i in warns] == [(2, "Chương trình đăng ký (C)")]
    assert "không phải chi đoàn trên địa bàn dân cư" in warns[0].rule


def test_blank_programme_is_an_error(tmp_path, scale):
    path = with_dang_ky(tmp_path / "dk.xlsx", [["C1.1", 2021, None, None, None]])
    errs = _issues(path, scale, ERROR)
    assert [(i.row, i.column) for i in errs] == [(2, "Chương trình đăng ký (C)")]


def test_workbook_without_dang_ky_has_no_such_frame(tmp_path, scale):
    cd, cs = small_rows()
    data = load(write_exchange(tmp_path / "x.xlsx", small_tree(), cd, cs), scale)
    assert "dang_ky" not in data.optional


@pytest.mark.parametrize(("typed", "expected"), [
    (dt.datetime(2021, 2, 10, 0, 0), dt.date(2021, 2, 10)), (dt.date(2020, 10, 9), dt.date(2020, 10, 9)),
    ("10/02/2021", dt.date(2021, 2, 10)), ("1-2-2021", dt.date(2021, 2, 1)), ("2021-02-10", dt.date(2021, 2, 10)),
    (44237, dt.date(2021, 2, 10)), ("10/02/21", None), ("31/02/2021", None), ("mười tháng hai", None),
    (2021, None), (True, None), (44237.5, None),
    # a small number typed in a cell formatted as a date reads as a day of 1900: no date
    (dt.datetime(1900, 1, 5), None), (dt.date(1949, 12, 31), None), (dt.date(1950, 1, 1), dt.date(1950, 1, 1)),
    ("05/01/1900", None), ("2101-01-01", None), (dt.date(2100, 12, 31), dt.date(2100, 12, 31)),
])
def test_date_cells(typed, expected):
    assert date_of(typed) == expected


def test_sample_registrations_are_plausible():
    """About nine residential branches in ten register each year, Đoàn cơ sở register for "3 chủ
    động" the autumn before, three Đoàn cơ sở and five branches are pilots; the same every time."""
    from tongket.intake.sample import SEED, YEARS, generate
    from tongket.intake.sample_upkeep import registrations

    units = generate(SEED)[0]
    rows = registrations(units, YEARS, SEED)
    assert rows == registrations(units, YEARS, SEED)
    by = {u.ma: u for u in units}
    resid = sum(1 for u in units if u.cap == "chi_doan" and u.loai_hinh == "dan_cu")
    for year in YEARS[-2:]:
        branches = [r for r in rows if r["nam"] == year and by[r["ma_don_vi"]].cap == "chi_doan"]
        assert all(by[r["ma_don_vi"]].loai_hinh == "dan_cu" for r in branches)
        assert 0.88 <= len(branches) / resid <= 0.97
        cs = [r for r in rows if r["nam"] == year and by[r["ma_don_vi"]].cap == "co_so"]
        assert all(r["chuong_trinh"] == "Đoàn cơ sở “3 chủ động”" and r["ngay_dang_ky"].year == year - 1 for r in cs)
        assert sum(r["lam_diem"] for r in cs) == 3 and sum(r["lam_diem"] for r in branches) == 5
    assert {r["nam"] for r in rows} == set(YEARS[-2:])


def test_registrations_survive_the_consolidated_workbook(tmp_path, scale):
    """What `tongket collect` writes keeps sheet dang_ky as it was read (programme, pilot, date)."""
    from tongket.intake.collect import write_exchange

    path = with_dang_ky(tmp_path / "dk.xlsx", [["C1.1", 2021, "Chi đoàn đạt chuẩn", "x", "10/02/2021"],
                                               ["C1", 2021, "3 chủ động", None, dt.date(2020, 10, 1)]])
    first = load(path, scale)
    again = load(write_exchange(first, tmp_path / "gop.xlsx"), scale)
    assert [i for i in again.issues if i.sheet == "dang_ky"] == []
    cols = ["ma_don_vi", "nam", "chuong_trinh", "lam_diem", "ngay_dang_ky"]
    assert again.optional["dang_ky"][cols].astype(str).values.tolist() == [
        ["C1.1", "2021", "chi_doan_dat_chuan", "True", "2021-02-10"], ["C1", "2021", "ba_chu_dong", "False", "2020-10-01"]]
