"""The programme's calendar (`lich:` of a cycle file): dates checked, in order, printed on the
forms, stated in the reports, and each return judged late against its own step's date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import fill_forms, small_rows, small_tree, write_exchange
from tongket.common import paths
from tongket.errors import ConfigError
from tongket.intake.check import load
from tongket.intake.collect import DA_NOP, MUON, Returned, _late, collect
from tongket.intake.forms import GUIDE_SHEET, write_forms
from tongket.rules.calendar import STEPS, Calendar, Step, load_calendar
from tongket.rules.params import load_cycle
from tongket.rules.scales import load_scale

D = dt.date
SCALE = load_scale(paths.PARAMS / "scales" / "xep_loai_2019.yaml")
PLAN = {"dang_ky_ba_chu_dong": D(2020, 10, 10), "dang_ky_chi_doan": D(2021, 2, 10),
        "dang_ky_tinh": {"ten": "Huyện Đoàn đăng ký danh sách về Tỉnh Đoàn", "han": "15/02/2021"},
        "so_ket_6_thang": "2021-07-15"}


def test_the_steps_are_read_with_their_names_and_the_report_date_from_han_nop():
    lich = load_calendar("ky.yaml", PLAN, 2021, D(2021, 12, 10))
    assert [(s.key, s.han) for s in lich.steps] == [
        ("dang_ky_ba_chu_dong", D(2020, 10, 10)), ("dang_ky_chi_doan", D(2021, 2, 10)),
        ("dang_ky_tinh", D(2021, 2, 15)), ("so_ket_6_thang", D(2021, 7, 15)), ("bao_cao", D(2021, 12, 10))]
    assert lich.steps[2].ten == "Huyện Đoàn đăng ký danh sách về Tỉnh Đoàn"
    assert lich.steps[0].ten == STEPS["dang_ky_ba_chu_dong"]


def test_the_report_states_the_plan_in_one_sentence():
    lich = load_calendar("ky.yaml", PLAN, 2021, D(2021, 12, 10))
    assert lich.sentence(2021) == (
        "Theo kế hoạch năm 2021, Đoàn cơ sở đăng ký xây dựng Đoàn cơ sở “3 chủ động” trước ngày 10 tháng 10 năm "
        "2020; Đoàn cơ sở gửi danh sách chi đoàn đăng ký xây dựng Chi đoàn đạt chuẩn trước ngày 10 tháng 02 năm "
        "2021; Huyện Đoàn đăng ký danh sách về Tỉnh Đoàn trước ngày 15 tháng 02 năm 2021; sơ kết 6 tháng trước "
        "ngày 15 tháng 7 năm 2021; gửi số liệu, báo cáo tổng kết năm trước ngày 10 tháng 12 năm 2021.")
    assert Calendar().sentence(2021) == ""  # no calendar: no sentence


@pytest.mark.parametrize(("raw", "han_nop", "words"), [
    ({"dang_ky_chi_doan": "2021-02-30"}, None,
     "Tệp tham số ky.yaml, khóa lich.dang_ky_chi_doan: «2021-02-30» không phải ngày. Cách sửa: gõ ngày dạng "
     "YYYY-MM-DD, ví dụ 2021-02-10 (hoặc 10/02/2021)"),
    ({"dang_ky_chi_doan": D(2019, 2, 10)}, None,
     "khóa lich.dang_ky_chi_doan: ngày 10/02/2019 nằm ngoài kỳ 2021 (chỉ nhận từ năm 2020 đến năm 2022)"),
    ({"dang_ky_chi_doan": D(2021, 8, 10), "so_ket_6_thang": D(2021, 7, 15)}, None,
     "khóa lich: «Sơ kết 6 tháng» (15/07/2021) sớm hơn «Đoàn cơ sở gửi danh sách chi đoàn đăng ký xây dựng Chi "
     "đoàn đạt chuẩn» (10/08/2021), nhưng phải sau. Cách sửa: kiểm tra lại ngày của lich.dang_ky_chi_doan và "
     "lich.so_ket_6_thang"),
    ({"so_ket_6_thang": D(2021, 12, 20)}, D(2021, 12, 10),
     "«Gửi số liệu, báo cáo tổng kết năm» (10/12/2021) sớm hơn «Sơ kết 6 tháng» (20/12/2021)"),
    ({"hop_mat": D(2021, 3, 26)}, None, "khóa lich.hop_mat: bước tự đặt cần tên"),
    ({"bao_cao": D(2021, 12, 15)}, D(2021, 12, 10),
     "lich.bao_cao (15/12/2021) khác thu_thap.han_nop (10/12/2021)"),
    ({"dang_ky_tinh": {"ngay": D(2021, 2, 15)}}, None, "khóa con «ngay» không dùng được; chỉ có «ten» (tên bước) và «han»"),
    ({"dang_ky_tinh": {"ten": "Đăng ký về tỉnh"}}, None, "khóa lich.dang_ky_tinh: thiếu ngày"),
    (["2021-02-10"], None, "khóa lich: cần các cặp «bước: ngày»"),
])
def test_a_wrong_calendar_is_refused_with_the_key_and_the_fix(raw, han_nop, words):
    with pytest.raises(ConfigError) as err:
        load_calendar("ky.yaml", raw, 2021, han_nop)
    assert words in str(err.value)


def test_a_custom_step_with_its_name_is_kept_in_date_order():
    lich = load_calendar("ky.yaml", {"hop_mat": {"ten": "Họp mặt điển hình", "han": D(2021, 3, 26)},
                                     "dang_ky_chi_doan": D(2021, 2, 10)}, 2021, None)
    assert [s.ten for s in lich.steps] == [STEPS["dang_ky_chi_doan"], "Họp mặt điển hình"]


@given(st.lists(st.dates(D(2020, 1, 1), D(2022, 12, 31)), min_size=len(STEPS), max_size=len(STEPS)))
def test_dates_in_the_steps_order_are_accepted_and_any_inversion_refused(days):
    raw = dict(zip(STEPS, days))
    in_order = all(a <= b for a, b in zip(days, days[1:]))
    if in_order:
        lich = load_calendar("ky.yaml", raw, 2021, None)
        assert [s.han for s in lich.steps] == days  # sorted by date = the steps' own order
        assert lich.han("bao_cao") == raw["bao_cao"]
    else:
        with pytest.raises(ConfigError, match="sớm hơn"):
            load_calendar("ky.yaml", raw, 2021, None)


def test_the_sample_cycle_keeps_han_nop_and_moves_with_another_year():
    cycle = load_cycle()
    assert cycle.han_nop == D(2021, 12, 10) and cycle.lich.han("bao_cao") == D(2021, 12, 10)
    assert cycle.lich.han("dang_ky_ba_chu_dong") == D(2020, 10, 10)
    earlier = load_cycle(nam=2020)
    assert earlier.lich.han("dang_ky_chi_doan") == D(2020, 2, 10)


def test_each_return_is_judged_against_its_own_steps_date():
    lich = Calendar((Step("dang_ky_chi_doan", "Đăng ký", D(2021, 2, 10)), Step("bao_cao", "Báo cáo", D(2021, 12, 10))))
    assert lich.late(D(2021, 2, 11), ["dang_ky"]) is True  # a registration list after 10/02
    assert lich.late(D(2021, 2, 11), ["chi_doan", "co_so"]) is False  # year-end figures: due 10/12
    assert lich.late(D(2021, 12, 11), ["chi_doan"]) is True
    assert lich.late(None, ["chi_doan"]) is None  # no date sent: not judged
    assert Calendar().late(D(2021, 12, 11), ["chi_doan"]) is None  # no calendar: not judged
    got = Returned(Path("x.xlsx"), sent=D(2021, 2, 12), rows={"dang_ky": None})
    assert _late(got, lich) is True and _late(got, D(2021, 12, 10)) is False  # one date: as before


def _small(tmp_path: Path):
    cd, cs = small_rows()
    return load(write_exchange(tmp_path / "nho.xlsx", small_tree(), cd, cs), SCALE)


def test_forms_print_the_calendar_and_collect_judges_lateness_by_it(tmp_path):
    data = _small(tmp_path)
    lich = load_calendar("ky.yaml", PLAN, 2021, D(2021, 12, 10))
    folder = tmp_path / "phieu"
    forms = write_forms(data, 2021, folder, D(2021, 12, 10), "Tổng kết", lich=lich)
    guide = openpyxl.load_workbook(forms[0].path)[GUIDE_SHEET]
    rows = [(r[0].value, r[1].value) for r in guide.iter_rows(max_col=2)]
    assert ("Lịch thực hiện", "Hạn của từng bước theo kế hoạch (trước ngày ghi bên trái)") in rows
    assert ("10/02/2021", STEPS["dang_ky_chi_doan"]) in rows
    assert ("10/12/2021", "Gửi số liệu, báo cáo tổng kết năm") in rows
    fill_forms(folder, data, 2021, D(2021, 12, 12))  # two days after the report date
    late = collect(folder, data, 2021, SCALE, han_nop=lich).status
    assert set(late["Tình trạng"]) == {MUON} and set(late["Đúng hạn"]) == {"Không"}
    later = Calendar(tuple(s if s.key != "bao_cao" else Step("bao_cao", s.ten, D(2021, 12, 15)) for s in lich.steps))
    on_time = collect(folder, data, 2021, SCALE, han_nop=later).status
    assert set(on_time["Tình trạng"]) == {DA_NOP} and set(on_time["Đúng hạn"]) == {"Có"}
