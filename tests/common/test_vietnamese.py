"""Vietnamese form: numbers, percentages, dates, sort order, folding."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tongket.common.vietnamese import (
    diem_phan_tram_dau,
    fold,
    la_ma,
    ngay_van_ban,
    phan_tram,
    so,
    sort_key,
)


@pytest.mark.parametrize("value, digits, expected", [
    (1234, 0, "1.234"), (1234567, 0, "1.234.567"), (12.5, 1, "12,5"), (12.45, 1, "12,5"), (12.44, 1, "12,4"),
    (0, 0, "0"), (2021, 0, "2.021"),
])
def test_numbers(value, digits, expected):
    assert so(value, digits) == expected


@pytest.mark.parametrize("rate, expected", [
    (0.889, "88,9%"), (0.8885, "88,9%"), (0.88849, "88,8%"), (1, "100,0%"), (0, "0,0%"), (0.0005, "0,1%"),
])
def test_percentages_round_half_up(rate, expected):
    assert phan_tram(rate) == expected


@pytest.mark.parametrize("delta, expected", [
    (0.052, "+5,2 điểm phần trăm"), (-0.035, "−3,5 điểm phần trăm"), (0.0004, "0"), (0.0, "0"),
])
def test_signed_percentage_points(delta, expected):
    assert diem_phan_tram_dau(delta) == expected


@pytest.mark.parametrize("d, expected", [
    (date(2018, 2, 9), "ngày 09 tháng 02 năm 2018"), (date(2018, 7, 31), "ngày 31 tháng 7 năm 2018"),
    (date(2021, 1, 5), "ngày 05 tháng 01 năm 2021"), (date(2021, 12, 20), "ngày 20 tháng 12 năm 2021"),
    (date(2021, 3, 1), "ngày 01 tháng 3 năm 2021"),
])
def test_official_date(d, expected):
    assert ngay_van_ban(d) == expected


def test_vietnamese_sort_order_with_natural_numbers():
    names = ["Yên Thành", "Đông Hòa", "Phường 10", "Phường 2", "An Bình", "Ấp Tân", "Ăn Khê", "Dương",
             "Ơn Nghĩa", "Ô Môn", "Ong", "Ưu Long", "Uyên"]
    assert sorted(names, key=sort_key) == ["An Bình", "Ăn Khê", "Ấp Tân", "Dương", "Đông Hòa", "Ong", "Ô Môn",
                                           "Ơn Nghĩa", "Phường 2", "Phường 10", "Uyên", "Ưu Long", "Yên Thành"]


def test_tones_order_after_letters():
    assert sorted(["cạ", "cá", "cã", "cả", "cà", "ca"], key=sort_key) == ["ca", "cà", "cả", "cã", "cá", "cạ"]


@pytest.mark.parametrize("typed", ["Mã đơn vị", "ma don vi", "MÃ  ĐƠN VỊ", "ma_don_vi", "Ma\u0303 đơn vi\u0323",
                                   " Mã\nđơn vị "])
def test_fold_matches_what_people_type(typed):
    assert fold(typed) == "madonvi"


def test_fold_ignores_tone_placement():
    assert fold("Hoà") == fold("Hòa") == "hoa"


def test_roman_numerals():
    assert [la_ma(i) for i in (1, 2, 3, 4, 5, 9, 14)] == ["I", "II", "III", "IV", "V", "IX", "XIV"]


def test_dates_in_tables():
    from tongket.common.vietnamese import ngay_bang

    assert ngay_bang(date(2018, 2, 9)) == "09/02/2018" and ngay_bang(None) == "……"


# ---- every label once (issue 17): a cell's capitalised label is derived, never retyped -----------

def test_capitalised_labels_are_the_labels_a_cell_shows():
    from tongket.common.schema import TEN_CAP, TEN_CAP_HOA, TEN_LOAI_HINH, TEN_LOAI_HINH_HOA

    assert TEN_CAP_HOA == {"tinh": "Tỉnh", "huyen": "Huyện", "co_so": "Đoàn cơ sở", "chi_doan": "Chi đoàn"}
    assert TEN_LOAI_HINH_HOA["dan_cu"] == "Trên địa bàn dân cư"
    assert TEN_LOAI_HINH_HOA["luc_luong_vu_trang"] == "Lực lượng vũ trang"
    assert list(TEN_LOAI_HINH_HOA) == list(TEN_LOAI_HINH) and list(TEN_CAP_HOA) == list(TEN_CAP)


_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"


@given(st.builds(lambda first, rest: first + rest, st.sampled_from(_LETTERS), st.text(_LETTERS + " ", max_size=30)))
def test_a_capitalised_label_reads_back_as_the_label(text):
    from tongket.common.vietnamese import _PROPER, chu_hoa, chu_thuong

    shown = chu_hoa(text)
    assert shown[:1].isupper() and shown[1:] == text[1:]  # the first letter only, diacritics kept (NFC)
    proper = any(shown.startswith(p) for p in _PROPER)  # "Đoàn …", "Hội …" keep their capital in a sentence
    assert chu_thuong(shown) == (shown if proper else text)


def test_no_module_retypes_a_label_set_of_the_schema():
    """A level's or a unit kind's label typed again beside its key ({"tinh": "Tỉnh"} in the audit
    workbook, {"dan_cu": "Trên địa bàn dân cư"} in the documents) drifts from common.schema's."""
    import re
    from pathlib import Path

    import tongket
    from tongket.common.schema import TEN_CAP, TEN_LOAI_HINH

    keys = "|".join([*TEN_CAP, *TEN_LOAI_HINH])
    entry = re.compile(rf'"({keys})"\s*:\s*"[^"]*[ \u0080-\uffff][^"]*"')  # key: words (not key: identifier)
    package = Path(tongket.__file__).parent
    found = [f"{p.relative_to(package)}:{n}: {line.strip()}"
             for p in sorted(package.rglob("*.py")) if p.name != "schema.py"
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1) if entry.search(line)]
    assert found == []
