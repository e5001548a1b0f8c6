"""A blank is no answer, and nothing is every one of nothing. Found by an attack on the sample:
a Đoàn cơ sở without its 2021 row was named among those that «chưa thực hiện đợt cao điểm» while
the rate left it out; three branches reporting 0 members for the half year were «3 chi đoàn có
toàn bộ đoàn viên đã giới thiệu được thanh niên»; registrations dated 03/01/2022 and 30/11/2021
were counted as registered «đầu năm 2021» without a word."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest

from tongket import open_review
from tongket.assessment.one_plus_one import half_year
from tongket.assessment.targets import targets_of
from tongket.common import paths
from tongket.common.vietnamese import sort_key
from tongket.errors import ERROR, WARNING
from tongket.intake.check import for_cycle
from tongket.rules.params import load_cycle


def _sample(tmp_path: Path) -> Path:
    path = tmp_path / "tinh_mau.xlsx"
    shutil.copy(paths.SAMPLE_DATA, path)
    return path


def _edit(path: Path, sheet: str, change) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    gone = []
    for row in ws.iter_rows(min_row=2):
        if change(row) == "delete":
            gone.append(row[0].row)
    for r in reversed(gone):
        ws.delete_rows(r)
    wb.save(path)


def test_a_unit_without_an_answer_is_named_as_such_never_as_not_done(tmp_path, sample_review):
    path = _sample(tmp_path)
    _edit(path, "co_so", lambda row: "delete" if row[0].value == "ST05.03" and row[1].value == 2021 else None)
    review = open_review(data=path, nam=2021)
    peak = targets_of(review, 2021, "ST05").set_index("chi_tieu").loc["ty_le_dot_cao_diem"]
    cs = review.results.of_unit("ST05").year(2021).co_so
    no = sorted(cs.loc[cs["dot_cao_diem"].eq(False).fillna(False), "ten_don_vi"], key=sort_key)
    blank = cs.loc[cs["dot_cao_diem"].isna(), "ten_don_vi"].tolist()
    assert blank == ["Đoàn xã Phú Khánh"] and no
    assert peak["don_vi_chua_dat"] == "; ".join([*no, "Đoàn xã Phú Khánh (chưa có số liệu)"])
    assert peak["danh_sach"] == "Đoàn cơ sở chưa thực hiện đợt cao điểm đúng tiến độ hoặc chưa có số liệu"
    assert peak["thuc_hien"] == pytest.approx((len(cs) - len(no) - 1) / (len(cs) - 1))  # the rate leaves it out
    # every district of the sample answered: the list is the units that said no, as before
    for ma in ("ST01", "ST02", "ST03"):
        whole = sample_review.results.of_unit(ma).year(2021).co_so
        said_no = sorted(whole.loc[whole["dot_cao_diem"].eq(False).fillna(False), "ten_don_vi"], key=sort_key)
        row = targets_of(sample_review, 2021, ma).set_index("chi_tieu").loc["ty_le_dot_cao_diem"]
        assert row["don_vi_chua_dat"] == "; ".join(said_no)


def test_a_branch_with_no_member_has_not_every_member_introducing(tmp_path):
    path = _sample(tmp_path)
    zeroed = {"ST01.04.01", "ST01.04.02", "ST01.04.03"}

    def zero(row):
        if row[0].value in zeroed and row[1].value == 2021 and row[2].value == 1:
            for c in row[3:6]:
                c.value = 0

    _edit(path, "mot_cong_mot", zero)
    review = open_review(data=path, nam=2021)
    table = half_year(review.results, review.data.optional["mot_cong_mot"], 2021, "ma_co_so").set_index("ma_don_vi")
    rows = review.data.optional["mot_cong_mot"]
    rows = rows[(rows["nam"] == 2021) & (rows["ky"] == 1) & rows["ma_don_vi"].str.startswith("ST01.04.")]
    every = ((rows["so_dv_gioi_thieu_1_1"] >= rows["so_doan_vien"]) & (rows["so_doan_vien"] > 0)).sum()
    assert table.loc["ST01.04", "so_chi_doan_dat"] == every == 0  # was 3: 0 of 0 members
    assert table.loc["ST01.04", "so_doan_vien"] == rows["so_doan_vien"].sum()


def test_a_registration_date_outside_its_years_is_refused_and_a_late_one_said(tmp_path):
    path = _sample(tmp_path)
    dates = {"ST01.01.01": dt.datetime(2021, 11, 30), "ST01.01.02": dt.datetime(2022, 1, 3),
             "ST01.01.03": dt.datetime(2019, 12, 31), "ST01.01.04": dt.datetime(2020, 1, 1)}
    earlier = {"ST01.01.07": dt.datetime(2025, 5, 5), "ST01.01.06": dt.datetime(2020, 11, 30)}  # the 2020 list
    rows = {}

    def date(row):
        if row[0].value in dates and row[1].value == 2021:
            row[4].value = dates[row[0].value]
            rows[row[0].value] = row[0].row
        if row[0].value in earlier and row[1].value == 2020:
            row[4].value = earlier[row[0].value]
            rows[row[0].value] = row[0].row

    _edit(path, "dang_ky", date)
    assert set(rows) == set(dates) | set(earlier)
    issues = [i for i in for_cycle(load_cycle(data=path, nam=2021)).issues if i.sheet == "dang_ky"]
    said = {(i.row, i.severity): i for i in issues}
    # a 2020 registration dated 2025 is refused too; one late in 2020 is no business of the 2021 calendar
    assert set(said) == {(rows["ST01.01.01"], WARNING), (rows["ST01.01.02"], ERROR), (rows["ST01.01.03"], ERROR),
                         (rows["ST01.01.07"], ERROR)}
    late = said[(rows["ST01.01.01"], WARNING)]
    assert (late.column, late.value) == ("Ngày đăng ký", "30/11/2021")
    assert "sau hạn ngày 10 tháng 02 năm 2021" in late.rule
    wrong = said[(rows["ST01.01.02"], ERROR)]
    assert (wrong.column, wrong.value) == ("Ngày đăng ký", "03/01/2022")
    assert wrong.rule == ("«Chi đoàn khu phố 2» (ST01.01.02) đăng ký cho năm 2021 nhưng ngày đăng ký là 03/01/2022, "
                             "ngoài các năm 2020–2021 (đăng ký năm 2021 làm từ năm 2020 đến hết năm 2021)")
    assert wrong.reporting_unit("huyen") == "ST01"  # the district's documents are refused, the others run


def test_a_report_says_how_many_registered_late(tmp_path, sample_review):
    """A registration after the calendar's date is counted (a warning names it at the check), and
    the report says how many: «Đầu năm 2021, có 80/83 … đăng ký» read as all on time."""
    from tongket.documents.contexts import bao_cao_tong_ket

    path = _sample(tmp_path)
    late = {"ST01.01.01": dt.datetime(2021, 11, 30), "ST01.01.02": dt.datetime(2021, 3, 1),
            "ST01.01.03": dt.datetime(2021, 2, 10)}  # the last on the day itself: on time

    def date(row):
        if row[0].value in late and row[1].value == 2021:
            row[4].value = late[row[0].value]

    _edit(path, "dang_ky", date)
    said = str(bao_cao_tong_ket(open_review(data=path, nam=2021), "ST01", 2021)[0])
    assert ". Trong số chi đoàn đăng ký, 2 chi đoàn đăng ký sau hạn ngày 10 tháng 02 năm 2021." in said
    assert "đăng ký sau hạn" not in str(bao_cao_tong_ket(sample_review, "ST01", 2021)[0])  # none late in the sample
