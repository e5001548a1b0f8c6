"""What an analyst types in a rules file, quoted back and printed as typed: a refusal quotes the
value in YAML's spelling («true», «[a]», «(để trống)»), never as Python prints it («True», «['a']»,
«None»); a name or label a document prints is words or refused, never «None» nor a code; a
criterion's points are a number; a rate is compared with a threshold, not for equality; a long
«in» list stays a sentence in a reason."""

from __future__ import annotations

import dataclasses
import math
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tongket.common.files import shown
from tongket.common.paths import ROOT
from tongket.errors import ConfigError
from tongket.rules.members import load_member_scale
from tongket.rules.rubric import evaluate, load_rubric
from tongket.rules.scales import load_scale
from tongket.rules.scoresheet import load_score_sheet

PYTHON_SPELLINGS = re.compile(r"«[^»]*(None|True|False|\['|\{'|(?<![.\w])nan\b|(?<![.\w])inf\b)[^»]*»")

_RUBRIC = """id: r
name: Bộ thử
applies_to: {cap: chi_doan}
result: dat
criteria:
  - id: tc1
    label: Sinh hoạt
    all:
      - {column: so_lan_sinh_hoat, op: ">=", value: 8}
"""


def _rubric(tmp_path: Path, old: str, new: str):
    assert old in _RUBRIC
    path = tmp_path / "r.yaml"
    path.write_text(_RUBRIC.replace(old, new, 1), encoding="utf-8")
    return load_rubric(path)


REFUSED = [  # (text replaced, replacement), the message after «Bộ tiêu chí r.yaml, »
    ("value: 8", "value: yes", "tiêu chí «tc1»: ngưỡng của cột «so_lan_sinh_hoat» phải là số, gặp «true»"),
    ("value: 8", "value: [8]", "tiêu chí «tc1»: ngưỡng của cột «so_lan_sinh_hoat» phải là số, gặp «[8]»"),
    ("value: 8", "value: {a: 1}", "tiêu chí «tc1»: ngưỡng của cột «so_lan_sinh_hoat» phải là số, gặp «{a: 1}»"),
    ("value: 8", "value: .inf", "tiêu chí «tc1»: ngưỡng của cột «so_lan_sinh_hoat» phải là số, gặp «.inf»"),
    ('op: ">="', "op: ", "tiêu chí «tc1»: phép so sánh không hợp lệ «(để trống)»"),
    ("column: so_lan_sinh_hoat", "column: ", "tiêu chí «tc1»: cột không tồn tại «(để trống)»"),
    ("column: so_lan_sinh_hoat", "column: [so_lan_sinh_hoat]", "tiêu chí «tc1»: cột không tồn tại «[so_lan_sinh_hoat]»"),
    ("{cap: chi_doan}", "{cap: chi_doan, dac_thu: có}", "applies_to: dac_thu phải là true/false, gặp «có»"),
    ("{cap: chi_doan}", "{cap: chi_doan, years: [2019, 2020]}",
     "applies_to: years phải có dạng {from: 2019, to: 2022}, gặp «[2019, 2020]»"),
    ("{cap: chi_doan}", "{cap: }", "applies_to: cấp áp dụng không hợp lệ «(để trống)»"),
    ("    all:", "    - x\n    all:", None),  # not YAML a rubric reads: refused as a file, not here
    # a label and a name are printed in every reason and on every sheet: words, or refused
    ("    label: Sinh hoạt\n", "", "tiêu chí «tc1»: thiếu «label» (tên tiêu chí in trong văn bản)"),
    ("label: Sinh hoạt", "label:", "tiêu chí «tc1»: thiếu «label» (tên tiêu chí in trong văn bản)"),
    ("label: Sinh hoạt", "label: '  '", "tiêu chí «tc1»: thiếu «label» (tên tiêu chí in trong văn bản)"),
    ("label: Sinh hoạt", "label: [Sinh hoạt]", "tiêu chí «tc1»: «label» (tên tiêu chí in trong văn bản) phải là chữ, gặp «[Sinh hoạt]»"),
    ("label: Sinh hoạt", "label: yes", "tiêu chí «tc1»: «label» (tên tiêu chí in trong văn bản) phải là chữ, gặp «true»"),
    ("name: Bộ thử", "name:", "toàn tệp: thiếu «name» (tên bộ tiêu chí)"),
    # points are a number from 0
    ("    all:", "    points: abc\n    all:", "tiêu chí «tc1»: số điểm «points» phải là số từ 0 trở lên, gặp «abc»"),
    ("    all:", "    points: -1\n    all:", "tiêu chí «tc1»: số điểm «points» phải là số từ 0 trở lên, gặp «-1»"),
    ("    all:", "    points: .nan\n    all:", "tiêu chí «tc1»: số điểm «points» phải là số từ 0 trở lên, gặp «.nan»"),
    ("    all:", "    points: true\n    all:", "tiêu chí «tc1»: số điểm «points» phải là số từ 0 trở lên, gặp «true»"),
]


@pytest.mark.parametrize("old, new, message", [r for r in REFUSED if r[2]])
def test_a_refusal_quotes_what_was_typed_in_yamls_spelling(tmp_path, old, new, message):
    with pytest.raises(ConfigError) as info:
        _rubric(tmp_path, old, new)
    assert str(info.value).startswith(f"Bộ tiêu chí r.yaml, {message}"), str(info.value)
    assert not PYTHON_SPELLINGS.search(str(info.value))


@pytest.mark.parametrize("op, value", [("=", "0.3"), ("!=", "0.3"), ("in", "[0.3, 0.5]")])
def test_a_rate_is_compared_with_a_threshold_never_for_equality(tmp_path, op, value):
    """0,1 + 0,2 is not 0,3 in a computer, and 1/3 equals no number one can type: a rate tested
    for equality would fail units that meet it, without a word."""
    with pytest.raises(ConfigError) as info:
        _rubric(tmp_path, '{column: so_lan_sinh_hoat, op: ">=", value: 8}',
                f'{{column: ty_le_tre_han, op: "{op}", value: {value}}}')
    assert str(info.value) == (
        "Bộ tiêu chí r.yaml, tiêu chí «tc1»: cột tỉ lệ «ty_le_tre_han» chỉ so sánh được bằng «>=», «>», «<=» hoặc «<» "
        f"với một ngưỡng (một tỉ lệ như 1/3 không bằng đúng số nào gõ được), gặp «{op}»")
    ok = _rubric(tmp_path, '{column: so_lan_sinh_hoat, op: ">=", value: 8}', '{column: ty_le_tre_han, op: "<=", value: 0.3}')
    frame = pd.DataFrame({"ma_don_vi": ["a", "b"], "nam": [2021, 2021], "ty_le_tre_han": [0.1 + 0.2, 0.31]})
    assert evaluate(ok, frame)["dat"].tolist() == [True, False]


def test_what_is_typed_well_is_kept(tmp_path):
    r = _rubric(tmp_path, "    all:", "    points: 2\n    short: '  Sinh hoạt  '\n    all:")
    assert (r.criteria[0].points, r.criteria[0].label, r.criteria[0].short, r.name) == (2.0, "Sinh hoạt", "Sinh hoạt",
                                                                                         "Bộ thử")
    assert _rubric(tmp_path, "label: Sinh hoạt", "label: 12").criteria[0].label == "12"


def test_a_long_in_list_is_worded_as_a_sentence(tmp_path):
    """A list of 200 years in a condition: the reason names the first ten and how many more,
    instead of 200 values in every failing unit's reason."""
    years = list(range(2000, 2200))
    r = _rubric(tmp_path, '{column: so_lan_sinh_hoat, op: ">=", value: 8}', f"{{column: nam, op: in, value: {years}}}")
    frame = pd.DataFrame({"ma_don_vi": ["a", "b"], "nam": [1999, 2005]})
    out = evaluate(r, frame)
    assert out["dat"].tolist() == [False, True]
    assert out["ly_do"][0] == ("Tiêu chí 1 (Sinh hoạt): năm: 1999 (yêu cầu là một trong: 2000; 2001; 2002; 2003; 2004; "
                               "2005; 2006; 2007; 2008; 2009 và 190 giá trị khác)")
    short = _rubric(tmp_path, '{column: so_lan_sinh_hoat, op: ">=", value: 8}', "{column: nam, op: in, value: [2000, 2001]}")
    assert evaluate(short, frame)["ly_do"][0].endswith("(yêu cầu là một trong: 2000; 2001)")


_YAML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False, width=32)
    | st.text(st.sampled_from("abc xyz:-,[]{}#'\"đĐơ1"), max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text("abcđ", min_size=1, max_size=4), inner, max_size=3),
    max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(_YAML_VALUES)
def test_shown_spells_a_value_as_yaml_reads_it_back(value):
    """Whatever a YAML file gives, its quote reads back as the same value (a blank is worded), so
    the analyst recognises what was typed; never a Python spelling."""
    text = shown(value, limit=10**6)
    if value is None:
        assert text == "(để trống)"
        return
    if isinstance(value, str):
        assert text == value
        return
    back = yaml.safe_load(text)
    assert back == value or (isinstance(value, float) and math.isclose(back, value, rel_tol=1e-6))
    assert not re.search(r"None|True|False", text)  # (the strings drawn hold none of those words)


def test_shown_cuts_a_long_value():
    assert shown(list(range(1000))) .endswith(" …") and len(shown(list(range(1000)))) == 202


def _score_sheet(tmp_path: Path, rows: list[list]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Nhom", "Ten nhom", "Ma muc", "Noi dung", "Diem toi da", "Chi so do", "Muc diem"])
    for r in rows:
        ws.append(r)
    wb.save(tmp_path / "bd.xlsx")
    return tmp_path / "bd.xlsx"


def test_a_score_sheets_blank_label_is_refused_naming_the_cell(tmp_path):
    """Before, a blank «Nội dung» or «Tên nhóm» printed «None» on every assessment sheet."""
    good = ["A", "Tổ chức", "a1", "Chi đoàn đạt chuẩn", 60, "ty_le_dat_chuan", "≥ 90%: 60"]
    cases = [
        ([good[:3] + [None] + good[4:]], "dòng 2, cột «Nội dung»: ô trống: cần nội dung mục (in trên phiếu đánh giá)"),
        ([good[:1] + ["  "] + good[2:]], "dòng 2, cột «Tên nhóm»: nhóm «A» không có tên ở dòng nào"),
        ([good, ["A", "Tổ chức khác", "a2", "Tự đánh giá", 40, None, None]],
         "dòng 3, cột «Tên nhóm»: nhóm «A» đã có tên «Tổ chức» (dòng 2), dòng này ghi «Tổ chức khác»: mỗi nhóm một tên"),
    ]
    for rows, message in cases:
        with pytest.raises(ConfigError) as info:
            load_score_sheet(_score_sheet(tmp_path, rows))
        assert str(info.value).startswith(f"Bảng điểm bd.xlsx, {message}"), str(info.value)
    later = [good[:1] + [None] + good[2:], ["A", "Tổ chức", "a2", "Tự đánh giá", 40, None, None]]
    sheet = load_score_sheet(_score_sheet(tmp_path, later))  # the group's name on a later row is its name
    assert [(g.label, [i.label for i in g.items]) for g in sheet.groups] == [
        ("Tổ chức", ["Chi đoàn đạt chuẩn", "Tự đánh giá"])]


def test_a_yaml_score_sheets_and_scales_blank_labels_are_refused(tmp_path):
    text = (ROOT / "params/bang_diem/bang_diem_mau.yaml").read_text(encoding="utf-8")
    first = re.search(r"\n( +)label: [^\n]+", text.split("items:", 1)[1])
    assert first
    p = tmp_path / "b.yaml"
    p.write_text(text.replace(first.group(0), f"\n{first.group(1)}label:", 1), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"thiếu nội dung «label» \(in trên phiếu đánh giá\)"):
        load_score_sheet(p)
    for name, loader, message in (("xep_loai_2019.yaml", load_scale, "thiếu tên mức «label» (in trong văn bản)"),
                                  ("doan_vien.yaml", load_member_scale, "thiếu tên mức «label»")):
        text = (ROOT / "params/scales" / name).read_text(encoding="utf-8")
        label = re.search(r"label: [^\n]+", text)
        assert label
        p = tmp_path / name
        p.write_text(text.replace(label.group(0), "label:", 1), encoding="utf-8")
        with pytest.raises(ConfigError) as info:
            loader(p)
        assert message in str(info.value) and "None" not in str(info.value)


def test_a_blank_line_of_the_recipients_is_no_recipient(sample_review):
    """`noi_nhan: [Như trên, , Lưu VP]` printed «None» between the two in the signed document."""
    from tongket.documents.details import document_details, issuer_and_parent

    unit, parent = issuer_and_parent(sample_review, "ST01")
    cycle = sample_review.cycle
    docs = cycle.documents

    def with_recipients(listed: list) -> tuple[dict, list[str]]:
        units = {**docs.units, "ST01": {**docs.units.get("ST01", {}), "noi_nhan": listed}}
        return document_details(dataclasses.replace(cycle, documents=dataclasses.replace(docs, units=units)),
                                unit, parent, "bao_cao_tong_ket", "BC")

    vb, missing = with_recipients(["Như trên", None, "  ", "Lưu VP"])
    assert vb["noi_nhan"] == ["Như trên", "Lưu VP"]
    vb, missing = with_recipients([None, ""])
    assert "None" not in str(vb["noi_nhan"]) and any("nhận" in m for m in missing), (vb["noi_nhan"], missing)


@pytest.mark.parametrize("old, new, message", [
    ("{cap: chi_doan}", "co_so", "applies_to: cần các cặp «khóa: giá trị» (ví dụ {cap: co_so}), gặp «co_so»"),
    ("{cap: chi_doan}", "{cap: chi_doan, loai_hinh: 5}", "applies_to: loại hình không hợp lệ «5»"),
    ("{cap: chi_doan}", "{cap: chi_doan, years: {from: yes}}", "applies_to: years phải có dạng {from: 2019, to: 2022}, gặp «{from: true}»"),
    ("{cap: chi_doan}", "{cap: chi_doan, years: {from: 2022, to: 2019}}", "applies_to: years phải có dạng"),
    ("{cap: chi_doan}", "{cap: chi_doan, years: {from: 2019.9}}", "applies_to: years phải có dạng"),
    ("result: dat", "result: ", "toàn tệp: trường «result» cần một mã viết liền (ví dụ dat_chuan), gặp «(để trống)»"),
    ("  - id: tc1", "  - id: ~", None),
])
def test_shapes_a_rubric_file_allows_and_the_kit_does_not(tmp_path, old, new, message):
    """Each raised a Python traceback (a word where a mapping is due, a number where a list is) or
    was read as something else (`years: {from: yes}` as year 1, `result: ` as a column «None»)."""
    if message is None:  # an unnamed criterion is named by its place, never «None»
        r = _rubric(tmp_path, old, new)
        assert r.criteria[0].id == "#1"
        return
    with pytest.raises(ConfigError) as info:
        _rubric(tmp_path, old, new)
    assert str(info.value).startswith(f"Bộ tiêu chí r.yaml, {message}"), str(info.value)


SHEET, SCALE = "params/bang_diem/bang_diem_mau.yaml", "params/scales/xep_loai_2019.yaml"


@pytest.mark.parametrize("source, old, new, message", [
    (SHEET, "    items:\n", "    items:\n      - od0\n", "mục #1: mỗi mục phải là một bảng khóa–giá trị"),
    (SHEET, "groups:\n", "groups:\n  - abc\n", "nhóm #1: mỗi nhóm cần dạng {id: …, label: …, items: [mục, …]}, gặp «abc»"),
    (SHEET, "max: 24", "max: .inf", "điểm tối đa «max» phải là số từ 0 trở lên, gặp «.inf»"),
    (SHEET, "max: 24", "max: .nan", "điểm tối đa «max» phải là số từ 0 trở lên, gặp «.nan»"),
    (SHEET, "points: 24}", "points: -5}", "số điểm «points» của mức phải là số từ 0 trở lên, gặp «-5»"),
    (SHEET, "value: 0.9, points: 24}", "value: .nan, points: 24}", "ngưỡng «value» của mức phải là số, gặp «.nan»"),
    # a scale's: before, «thiếu hoặc sai trường: ['a']», «…: True», «could not convert string to float»
    (SCALE, "label: Hoàn thành xuất sắc nhiệm vụ", "label: [a]", "tên mức «label» (in trong văn bản) phải là chữ, gặp «[a]»"),
    (SCALE, "label: Hoàn thành xuất sắc nhiệm vụ", "label: yes", "tên mức «label» (in trong văn bản) phải là chữ, gặp «true»"),
    (SCALE, "min_score: 90", "min_score: bảy mươi", "min_score phải là số điểm, gặp «bảy mươi»"),
    (SCALE, "min_score: 90", "min_score: .nan", "min_score phải là số điểm, gặp «.nan»"),
])
def test_shapes_a_rules_file_allows_and_the_kit_does_not(tmp_path, source, old, new, message):
    said = _refused(tmp_path, source, old, new, load_score_sheet if source == SHEET else load_scale)
    first = "Bảng điểm bang_diem_mau.yaml, " if source == SHEET else "Thang xếp loại xep_loai_2019.yaml"
    assert message in said and said.startswith(first) and "could not" not in said, said


def test_a_scale_word_where_a_list_is_due_and_a_name_on_two_levels_are_refused(tmp_path):
    """`aliases: HTT` read as the three aliases H, T, T; a name on two levels read a typed rating as either."""
    first = "aliases: [HTTNV, HTT, Hoàn thành tốt]"
    assert re.search(r"aliases phải là danh sách chữ .*, gặp «HTT»",
                     _refused(tmp_path, "params/scales/xep_loai_2019.yaml", first, "aliases: HTT", load_scale))
    assert "một tên gọi dùng cho hai mức" in _refused(tmp_path, "params/scales/xep_loai_2019.yaml", first,
                                                      "aliases: [Hoàn thành xuất sắc nhiệm vụ]", load_scale)


def _refused(tmp_path: Path, source: str, old: str, new: str, loader) -> str:
    """The message of `loader` refusing the bundled file `source` with `old` typed as `new`: in
    words, never a Python spelling."""
    text = (ROOT / source).read_text(encoding="utf-8")
    assert old in text, old
    p = tmp_path / Path(source).name
    p.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        loader(p)
    said = str(info.value)
    assert not PYTHON_SPELLINGS.search(said), said
    return said
