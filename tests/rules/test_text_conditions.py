"""Conditions on text columns: only the unit kind (loai_hinh), the one text column every assessed
row carries, tested for equality with a kind it can hold; anything else refused at loading with
the file and criterion. Accepted conditions are judged and worded as a staffer reads them, never
raising and never printing a code."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tongket.common.schema import LOAI_HINH, TEN_LOAI_HINH
from tongket.errors import ConfigError
from tongket.rules.rubric import evaluate, explain, holds, load_rubric, parse_rule

_HEAD = """id: r
name: Bộ thử
applies_to: {cap: chi_doan}
result: dat
criteria:
  - id: tc1
    label: Loại hình
    all:
"""


def _load(tmp_path: Path, condition: str):
    path = tmp_path / "r.yaml"
    path.write_text(_HEAD + f"      - {condition}\n", encoding="utf-8")
    return load_rubric(path)


REFUSED = [  # a condition, and the start of the message after «Bộ tiêu chí r.yaml, tiêu chí «tc1»: »
    ('{column: loai_hinh, op: ">=", value: dan_cu}', "cột «loai_hinh» là chữ: chỉ so sánh được bằng «=», «!=» hoặc «in», gặp «>=»"),
    ('{column: loai_hinh, op: "=", value: dân cư}', "giá trị không hợp lệ «dân cư» của cột «loai_hinh» (nhận dan_cu, truong_hoc"),
    ('{column: loai_hinh, op: in, value: [dan_cu, 5]}', "giá trị không hợp lệ «5» của cột «loai_hinh»"),
    ('{column: loai_hinh, op: "=", value: " dan_cu"}', "giá trị không hợp lệ « dan_cu» của cột «loai_hinh»"),
    # columns no assessed row carries, or that another part of the rules decides
    ('{column: cap, op: in, value: [chi_doan]}', "cột «cap» (Cấp) không dùng được trong điều kiện: điều kiện chỉ dùng"),
    ('{column: ten_don_vi, op: "=", value: Chi đoàn 1}', "cột «ten_don_vi» (Tên đơn vị) không dùng được trong điều kiện"),
    ('{column: ma_cap_tren, op: "=", value: ST01}', "cột «ma_cap_tren» (Mã đơn vị cấp trên) không dùng được"),
    ('{column: loai_hinh, op: in, value: []}', "phép «in» cần một danh sách giá trị không rỗng cho cột «loai_hinh»"),
    ('{column: loai_hinh, op: in, value: dan_cu}', "phép «in» cần một danh sách giá trị không rỗng cho cột «loai_hinh»"),
    ('{column: xep_loai, op: "=", value: vung_manh}', "cột «xep_loai» (Xếp loại) không dùng được trong điều kiện"),
    ('{column: so_doan_vien, op: in, value: [1, hai]}', "ngưỡng của cột «so_doan_vien» phải là số, gặp «hai»"),
    ('{column: so_doan_vien, op: in, value: [1, -2]}', "ngưỡng «-2» của cột «so_doan_vien» âm"),
    ('{column: so_doan_vien, op: ">=", other: ten_don_vi}', "so sánh cột «so_doan_vien» với cột «ten_don_vi» chỉ dùng"),
    ('{column: loai_hinh, op: "=", other: cap}', "so sánh cột «loai_hinh» với cột «cap» chỉ dùng"),
    ('{column: so_doan_vien, op: in, other: so_thanh_nien}', "so sánh cột «so_doan_vien» với cột «so_thanh_nien» chỉ dùng"),
    ('{column: so_doan_vien, op: ">=", other: xep_loai}', "so sánh cột «so_doan_vien» với cột «xep_loai» chỉ dùng"),
    # shapes YAML allows and a rule does not
    ('{column: [loai_hinh], op: "=", value: dan_cu}', "cột không tồn tại «[loai_hinh]»"),
    ('{column: so_doan_vien, op: ">=", other: [so_thanh_nien]}', "cột so sánh không tồn tại «[so_thanh_nien]»"),
    ('{column: so_doan_vien, op: ">=", other: so_thanh_nien, value: 3}',
     "điều kiện trên cột «so_doan_vien» có cả «value» và «other»"),
    ('{column: so_doan_vien, op: ">=", value: .nan}', "ngưỡng của cột «so_doan_vien» phải là số, gặp «.nan»"),
    ('{column: so_doan_vien, op: in, value: [3, .inf]}', "ngưỡng của cột «so_doan_vien» phải là số, gặp «.inf»"),
    ('{all: [{column: so_doan_vien, op: ">=", value: 1}], any: [{column: so_doan_vien, op: ">=", value: 2}]}',
     "một nhóm điều kiện có cả «all» và «any»"),
]


@pytest.mark.parametrize("condition, message", REFUSED)
def test_a_condition_a_column_cannot_hold_is_refused_at_loading(tmp_path, condition, message):
    with pytest.raises(ConfigError) as info:
        _load(tmp_path, condition)
    assert str(info.value).startswith("Bộ tiêu chí r.yaml, tiêu chí «tc1»: " + message)


def test_equality_on_the_unit_kind_is_judged_and_worded_by_its_name(tmp_path):
    rubric = _load(tmp_path, '{column: loai_hinh, op: "=", value: dan_cu}')
    frame = pd.DataFrame({"cap": ["chi_doan"] * 3, "loai_hinh": ["dan_cu", "truong_hoc", None]})
    res = evaluate(rubric, frame)
    assert res["dat"].tolist() == [True, False, False]
    assert res["ly_do"].tolist() == [
        "", "Tiêu chí 1 (Loại hình): loại hình: trường học (yêu cầu là “trên địa bàn dân cư”)",
        "Tiêu chí 1 (Loại hình): chưa có số liệu “Loại hình”"]
    shown = explain(rubric, frame.assign(ma_don_vi=["A", "B", "C"], nam=2021))
    assert shown["gia_tri"].tolist() == ["trên địa bàn dân cư", "trường học", "trống (chưa có số liệu)"]
    assert set(shown["yeu_cau"]) == {"là “trên địa bàn dân cư”"}


def test_membership_and_difference_on_text(tmp_path):
    rubric = _load(tmp_path, "{column: loai_hinh, op: in, value: [co_quan, doanh_nghiep]}")
    frame = pd.DataFrame({"cap": ["chi_doan"] * 2, "loai_hinh": ["co_quan", "khac"]})
    res = evaluate(rubric, frame)
    assert res["dat"].tolist() == [True, False]
    assert res["ly_do"][1] == ("Tiêu chí 1 (Loại hình): loại hình: khác "
                               "(yêu cầu là một trong: “cơ quan”; “doanh nghiệp”)")
    rubric = _load(tmp_path, '{column: loai_hinh, op: "!=", value: truong_hoc}')
    res = evaluate(rubric, pd.DataFrame({"cap": ["chi_doan"] * 3, "loai_hinh": ["truong_hoc", "co_quan", None]}))
    assert res["dat"].tolist() == [False, True, False]  # a blank kind meets no condition, «!=» neither
    assert res["ly_do"][0] == "Tiêu chí 1 (Loại hình): loại hình: trường học (yêu cầu khác “trường học”)"


def test_a_year_is_worded_without_a_thousands_dot(tmp_path):
    rubric = _load(tmp_path, "{column: nam, op: in, value: [2020, 2021]}")
    res = evaluate(rubric, pd.DataFrame({"cap": ["chi_doan"], "nam": pd.array([2019], "Int64")}))
    assert res["ly_do"][0] == "Tiêu chí 1 (Loại hình): năm: 2019 (yêu cầu là một trong: 2020; 2021)"


def test_a_criteria_list_of_the_wrong_shape_is_refused(tmp_path):
    for body, message in (("criteria: {tc1: x}\n", "Bộ tiêu chí r.yaml, criteria: cần một danh sách tiêu chí"),
                          ("criteria: [x]\n", "Bộ tiêu chí r.yaml, tiêu chí #1: mỗi tiêu chí phải là một bảng")):
        path = tmp_path / "r.yaml"
        path.write_text(_HEAD.split("criteria:")[0] + body, encoding="utf-8")
        with pytest.raises(ConfigError) as info:
            load_rubric(path)
        assert str(info.value).startswith(message)


def test_membership_on_numbers_words_each_value_as_a_count(tmp_path):
    rubric = _load(tmp_path, "{column: so_lan_sinh_hoat, op: in, value: [10, 12]}")
    res = evaluate(rubric, pd.DataFrame({"cap": ["chi_doan"] * 2, "so_lan_sinh_hoat": pd.array([12, 11], "Int64")}))
    assert res["dat"].tolist() == [True, False]
    assert res["ly_do"][1] == "Tiêu chí 1 (Loại hình): số lần sinh hoạt: 11 (yêu cầu là một trong: 10; 12)"


# Random rules on the text column a rule may test, against a plain row-by-row judgement.
_VALUES = {"loai_hinh": list(LOAI_HINH)}
_WORDS = {"loai_hinh": TEN_LOAI_HINH}
_NAMES = {"loai_hinh": "loại hình"}


@st.composite
def cases(draw):
    col = draw(st.sampled_from(sorted(_VALUES)))
    op = draw(st.sampled_from(["=", "!=", "in"]))
    pick = st.sampled_from(_VALUES[col])
    value = draw(st.lists(pick, min_size=1, max_size=3, unique=True)) if op == "in" else draw(pick)
    rows = draw(st.lists(st.one_of(st.none(), pick), min_size=1, max_size=12))
    return col, op, value, rows


@settings(max_examples=200, deadline=None)
@given(cases())
def test_text_conditions_agree_with_a_plain_judgement_and_print_no_code(case):
    col, op, value, rows = case
    rule = parse_rule({"all": [{"column": col, "op": op, "value": value}]}, Path("r.yaml"), "thử")
    met, why = holds(rule, pd.DataFrame({col: pd.Series(rows, dtype=object)}))
    for i, v in enumerate(rows):
        want = v is not None and (v in value if op == "in" else (v == value) == (op == "="))
        assert bool(met[i]) is want
        if want:
            assert why[i] == ""
        elif v is None:
            assert why[i].startswith("chưa có số liệu “")
        else:
            shown = _WORDS[col].get(v, v)
            assert why[i].startswith(f"{_NAMES[col]}: {shown} (yêu cầu ")
            for code in (value if op == "in" else [value]):
                assert f"“{_WORDS[col].get(code, code)}”" in why[i]
            assert not re.search(r"[a-z]_[a-z]", why[i])  # a unit kind is worded by its name, never its code
