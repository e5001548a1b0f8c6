"""An unknown code given to `tongket run --ma-bao-cao` is named with what helps retype it: every known
code when they are few; in a province of hundreds, how many there are and the ones that look alike."""

from tongket.batch.runner import known_codes


def test_few_codes_are_all_listed():
    assert known_codes(["ST9"], ["ST01", "ST02", "ST03"]) == "các mã có: ST01, ST02, ST03"


def test_many_codes_give_their_count_and_the_ones_alike_not_a_wall_of_codes():
    codes = [f"ST{i:03d}" for i in range(1, 301)]
    said = known_codes(["ST3000"], codes)
    assert said.startswith("có 300 mã; gần giống: ST300")
    assert said.endswith("danh sách đầy đủ ở trang don_vi của sổ dữ liệu")
    assert "ST001" not in said and len(said) < 120


def test_many_codes_and_nothing_alike_say_where_the_list_is():
    codes = [f"ST{i:03d}" for i in range(1, 301)]
    assert known_codes(["ZZZZZZZZ"], codes) == "có 300 mã; danh sách đầy đủ ở trang don_vi của sổ dữ liệu"
