"""Declared targets evaluated on a built workbook: met, missed, not collected («chưa có số liệu»),
either direction, the old keys' table unchanged, and the met/missed boundary."""

from __future__ import annotations

import importlib
import re
import shutil
from dataclasses import replace
from functools import cache
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import branch, small_rows, small_tree, write_exchange
from tongket.assessment.assess import Results
from tongket.assessment.review import open_review
from tongket.assessment.targets import targets
from tongket.common import paths
from tongket.documents.rows import target_rows
from tongket.rules.targets_spec import TOI_DA, TOI_THIEU, TargetSpec

OLD = {"ty_le_duoc_xep_loai": 0.95, "ty_le_nang_bac": 0.05, "so_ha_bac": 0, "ty_le_dot_cao_diem": 0.9}


def _cycle_file(folder: Path, targets_: dict) -> Path:
    """The sample cycle in `folder`, with `targets_` in place of its own."""
    shutil.copytree(paths.DEFAULT_CYCLE.parent, folder / "params")
    path = folder / "params" / paths.DEFAULT_CYCLE.name
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["targets"] = targets_
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _workbook(folder: Path) -> Path:
    """The small province; in 2021 Huyện Đoàn Hai gathers 20 of its 50 young people and leaves its
    "1+1" column blank (not collected); Huyện Đoàn Một gathers 40 of 50 in every branch."""
    cd, cs = small_rows()
    cd = [r for r in cd if not (r["ma_don_vi"] == "C3.1" and r["nam"] == 2021)]
    cd.append(branch("C3.1", 2021, so_dv_vi_pham_phap_luat=1, so_thanh_nien_tap_hop=20,
                     so_dv_gioi_thieu_1_1=None, so_thanh_nien_1_1=None))
    return write_exchange(folder / "nho.xlsx", small_tree(), cd, cs)


def _review(tmp_path: Path, targets_: dict):
    return open_review(_cycle_file(tmp_path, targets_), data=_workbook(tmp_path), nam=2021)


def _row(frame: pd.DataFrame, ma: str, key: str) -> dict:
    rows = frame[(frame["ma_don_vi"] == ma) & (frame["chi_tieu"] == key)]
    assert len(rows) == 1, (ma, key)
    return rows.iloc[0].to_dict()


def test_declared_targets_are_met_missed_or_not_collected(tmp_path):
    review = _review(tmp_path, {**OLD,
                                "ty_le_tap_hop": {"muc_tieu": 0.7},
                                "ty_le_dv_1_1": {"muc_tieu": 1.0, "ten": "Tỉ lệ đoàn viên thực hiện “1+1”"},
                                "dv_tot": {"chi_so": ["ty_le_dv_htxs", "ty_le_dv_htt"], "muc_tieu": 0.6,
                                           "ten": "Tỉ lệ đoàn viên hoàn thành tốt nhiệm vụ trở lên"}})
    t = targets(review.results, review.cycle, 2021)
    # the declared order, after the phase target and before the Đoàn cơ sở's own phase target
    assert list(t[t["ma_don_vi"] == "H1"]["chi_tieu"]) == [
        "ty_le_dat_chuan", "ty_le_duoc_xep_loai", "ty_le_nang_bac", "so_ha_bac", "ty_le_dot_cao_diem",
        "ty_le_tap_hop", "ty_le_dv_1_1", "dv_tot", "muc_tieu_giai_doan"]
    assert _row(t, "H1", "ty_le_tap_hop")["thuc_hien"] == pytest.approx(0.8)  # 7 × 40 / 7 × 50
    assert _row(t, "H1", "ty_le_tap_hop")["dat"] is True
    assert _row(t, "H2", "ty_le_tap_hop")["thuc_hien"] == pytest.approx(0.4)
    assert _row(t, "H2", "ty_le_tap_hop")["dat"] is False
    assert _row(t, "T", "ty_le_tap_hop")["thuc_hien"] == pytest.approx(300 / 400)
    assert _row(t, "T", "ty_le_tap_hop")["dat"] is True
    assert _row(t, "H1", "ty_le_dv_1_1")["thuc_hien"] == pytest.approx(0.5)  # 10 of 20 members in each branch
    assert _row(t, "H1", "ty_le_dv_1_1")["dat"] is False
    # Huyện Đoàn Hai left "1+1" blank: not collected, neither met nor missed (the rollup's sum over
    # no figure is blank, and so is its rate: it said 0 % before)
    assert pd.isna(review.results.year(2021).huyen.set_index("ma_don_vi").loc["H2", "ty_le_dv_1_1"])
    assert pd.isna(_row(t, "H2", "ty_le_dv_1_1")["thuc_hien"]) and _row(t, "H2", "ty_le_dv_1_1")["dat"] is None
    # member ratings are not in these results: no data anywhere
    assert all(_row(t, ma, "dv_tot")["dat"] is None for ma in ("H1", "H2", "T"))

    rows, missed = target_rows(review, "H2", 2021)
    by_name = {r["chi_tieu"]: r for r in rows}
    assert by_name["Tỉ lệ tập hợp thanh niên"] == {"stt": "6", "chi_tieu": "Tỉ lệ tập hợp thanh niên",
                                                   "muc_tieu": "≥ 70%", "thuc_hien": "40,0%", "danh_gia": "Chưa đạt"}
    assert by_name["Tỉ lệ đoàn viên thực hiện “1+1”"] == {
        "stt": "7", "chi_tieu": "Tỉ lệ đoàn viên thực hiện “1+1”", "muc_tieu": "100%",
        "thuc_hien": "chưa có số liệu", "danh_gia": "Chưa đánh giá"}
    assert by_name["Tỉ lệ đoàn viên hoàn thành tốt nhiệm vụ trở lên"]["thuc_hien"] == "chưa có số liệu"
    rows, missed = target_rows(review, "T", 2021)
    assert ("Đơn vị chưa đạt chỉ tiêu “Tỉ lệ tập hợp thanh niên” (chỉ tiêu: từ 70% trở lên): "
            "Huyện Đoàn Hai (40,0%).") in missed
    assert ("Đơn vị chưa đạt chỉ tiêu “Tỉ lệ đoàn viên thực hiện ‘1+1’” (chỉ tiêu: 100%): "
            "Huyện Đoàn Một (50,0%).") in missed
    assert not any("Huyện Đoàn Hai" in m and "1+1" in m for m in missed)  # not collected is never "missed"


def test_old_keys_give_the_same_table(tmp_path):
    review = _review(tmp_path, OLD)
    rows, missed = target_rows(review, "H1", 2021)
    assert [(r["chi_tieu"], r["muc_tieu"], r["thuc_hien"], r["danh_gia"]) for r in rows] == [
        ("Tỉ lệ chi đoàn trên địa bàn dân cư đạt chuẩn", "≥ 90%", "83,3%", "Chưa đạt"),
        ("Tỉ lệ Đoàn cơ sở được đánh giá, xếp loại", "≥ 95%", "100,0%", "Đạt"),
        ("Tỉ lệ Đoàn cơ sở nâng ít nhất một bậc", "≥ 5%", "50,0%", "Đạt"),
        ("Đoàn cơ sở từ mức “Hoàn thành tốt nhiệm vụ” trở lên bị hạ bậc", "Không có", "1", "Chưa đạt"),
        ("Tỉ lệ Đoàn cơ sở thực hiện đợt cao điểm đúng tiến độ", "≥ 90%", "chưa có số liệu", "Chưa đánh giá"),
        ("Đoàn cơ sở (xã, phường) có từ 90% chi đoàn dân cư đạt chuẩn", "Tất cả", "50,0%", "Chưa đạt")]
    assert missed == ["Đoàn cơ sở từ mức “Hoàn thành tốt nhiệm vụ” trở lên bị hạ bậc: Đoàn xã An Bình "
                      "(Hoàn thành tốt nhiệm vụ → Hoàn thành nhiệm vụ).",
                      "Đoàn cơ sở (xã, phường) chưa đạt 90% chi đoàn dân cư đạt chuẩn: Đoàn xã An Bình (75,0%)."]
    _, missed = target_rows(review, "T", 2021)
    assert missed[-2:] == [
        "Đơn vị có Đoàn cơ sở từ mức “Hoàn thành tốt nhiệm vụ” trở lên bị hạ bậc (chỉ tiêu: không có đơn vị "
        "hạ bậc): Huyện Đoàn Một (1 đơn vị).",
        "Đơn vị chưa đạt chỉ tiêu “Đoàn cơ sở (xã, phường) có từ 90% chi đoàn dân cư đạt chuẩn” (chỉ tiêu: "
        "tất cả): Huyện Đoàn Hai (0,0%); Huyện Đoàn Một (50,0%)."]


def _with_member_ratings(results: Results, shares: dict[str, tuple[float, float, float]]) -> Results:
    """The results as they read once member ratings are collected (contract §6.2): each unit's
    shares rated HTXS, HTT and KHT, and the branches' counts the shares rest on."""
    def add(frame: pd.DataFrame) -> pd.DataFrame:
        got = frame["ma_don_vi"].map(shares)
        return frame.assign(**{f"ty_le_dv_{c}": got.map(lambda v, i=i: None if not isinstance(v, tuple) else v[i])
                               for i, c in enumerate(("htxs", "htt", "kht"))})
    cd = results.chi_doan.assign(so_dv_htxs=4, so_dv_htt=10, so_dv_kht=1, so_dv_duoc_danh_gia=20)
    return Results(cd, results.co_so, add(results.huyen), add(results.tinh), results.scale, results.don_vi,
                   results.years)


def test_member_rating_shares_as_targets_in_either_direction(tmp_path):
    review = _review(tmp_path, {
        "dv_tot": {"chi_so": ["ty_le_dv_htxs", "ty_le_dv_htt"], "muc_tieu": 0.6,
                   "ten": "Tỉ lệ đoàn viên hoàn thành tốt nhiệm vụ trở lên"},
        "ty_le_dv_kht": {"muc_tieu": 0.05}})
    results = _with_member_ratings(review.results, {"H1": (0.2, 0.45, 0.05), "H2": (0.1, 0.3, 0.1),
                                                    "T": (0.15, 0.4, 0.07)})
    t = targets(results, review.cycle, 2021)
    assert _row(t, "H1", "dv_tot")["thuc_hien"] == pytest.approx(0.65) and _row(t, "H1", "dv_tot")["dat"] is True
    assert _row(t, "H2", "dv_tot")["thuc_hien"] == pytest.approx(0.4) and _row(t, "H2", "dv_tot")["dat"] is False
    kht = {ma: _row(t, ma, "ty_le_dv_kht") for ma in ("H1", "H2", "T")}
    assert kht["H1"]["dat"] is True  # at most 5 %: exactly 5 % meets it
    assert kht["H2"]["dat"] is False and kht["T"]["dat"] is False
    assert kht["H1"]["ten_chi_tieu"] == "Tỉ lệ đoàn viên xếp loại “Không hoàn thành nhiệm vụ”"
    review = replace(review, results=results)
    rows, _ = target_rows(review, "H2", 2021)
    assert [(r["chi_tieu"], r["muc_tieu"], r["thuc_hien"], r["danh_gia"]) for r in rows[1:3]] == [
        ("Tỉ lệ đoàn viên hoàn thành tốt nhiệm vụ trở lên", "≥ 60%", "40,0%", "Chưa đạt"),
        ("Tỉ lệ đoàn viên xếp loại “Không hoàn thành nhiệm vụ”", "≤ 5%", "10,0%", "Chưa đạt")]
    _, missed = target_rows(review, "T", 2021)
    assert ("Đơn vị chưa đạt chỉ tiêu “Tỉ lệ đoàn viên xếp loại ‘Không hoàn thành nhiệm vụ’” (chỉ tiêu: không "
            "quá 5%): Huyện Đoàn Hai (10,0%).") in missed


@cache
def _boundary_case() -> tuple:
    """A review of the small province (built once for the property below)."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="chi_tieu_"))
    review = _review(folder, {"ty_le_dv_kht": {"muc_tieu": 0.05}})
    return review, review.results


@settings(max_examples=60, deadline=None)
@given(actual=st.integers(0, 1000), target=st.integers(0, 1000), at_most=st.booleans())
def test_the_verdict_is_met_exactly_on_the_right_side_of_the_threshold(actual, target, at_most):
    """Shares in tenths of a percent: a share meets an «at least» target iff it is not below it, an
    «at most» target iff it is not above it; equal meets both; the verdict never depends on rounding."""
    review, results = _boundary_case()
    a, goal = actual / 1000, target / 1000
    results = _with_member_ratings(results, {"H1": (0.0, 0.0, a), "H2": (0.0, 0.0, a), "T": (0.0, 0.0, a)})
    huong = TOI_DA if at_most else TOI_THIEU
    cycle = replace(review.cycle, targets={"ty_le_dv_kht": goal},
                    chi_tieu=(TargetSpec("ty_le_dv_kht", ("ty_le_dv_kht",), huong),))
    t = targets(results, cycle, 2021)
    want = actual <= target if at_most else actual >= target
    assert {ma: _row(t, ma, "ty_le_dv_kht")["dat"] for ma in ("H1", "H2", "T")} == dict.fromkeys(("H1", "H2", "T"),
                                                                                                 want)


def test_a_what_if_trial_of_a_declared_target_keeps_its_name_and_indicator(tmp_path):
    from tongket.lab import whatif

    path = _cycle_file(tmp_path, {**OLD, "ty_le_dv_1_1": {"muc_tieu": 1.0, "ten": "Tỉ lệ đoàn viên thực hiện “1+1”"}})
    cycle = replace(whatif.load_cycle(path), data=paths.SAMPLE_DATA)
    knob = next(k for k in whatif.knobs(cycle) if k.key == "targets/ty_le_dv_1_1")
    assert (knob.label, knob.value, knob.percent) == ("Tỉ lệ đoàn viên thực hiện “1+1”", 1.0, True)
    saved = whatif.save(cycle, {"targets/ty_le_dv_1_1": 0.8}, "Một cộng một 80%")
    again = whatif.load_cycle(saved.cycle)
    assert again.targets["ty_le_dv_1_1"] == 0.8
    assert again.chi_tieu[-1] == TargetSpec("ty_le_dv_1_1", ("ty_le_dv_1_1",), TOI_THIEU,
                                            "Tỉ lệ đoàn viên thực hiện “1+1”")


def test_the_read_back_check_knows_a_declared_targets_name_and_its_figure(tmp_path):
    from docx import Document

    from tongket.documents import doccheck
    from tongket.documents.doccheck import read_docx
    from tongket.documents.doccheck.results import expected

    review = _review(tmp_path, {**OLD, "ty_le_dv_1_1": 1.0})
    results = _with_member_ratings(review.results, {"H1": (0.2, 0.45, 0.05), "H2": (0.1, 0.3, 0.1),
                                                    "T": (0.15, 0.4, 0.07)})
    cycle = replace(review.cycle, targets={**review.cycle.targets, "dv_tot": 0.6}, chi_tieu=(
        *review.cycle.chi_tieu, TargetSpec("dv_tot", ("ty_le_dv_htxs", "ty_le_dv_htt"), TOI_THIEU, "Đoàn viên tốt")))
    review = replace(review, results=results, cycle=cycle)

    def check(ma: str, rows: list[list[str]]) -> list[str]:
        doc = Document()
        table = doc.add_table(rows=len(rows), cols=len(rows[0]))
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                table.cell(i, j).text = v
        doc.save(tmp_path / "bao_cao_tong_ket.docx")
        found = doccheck.figures(read_docx(tmp_path / "bao_cao_tong_ket.docx"), expected(review, ma, 2021))
        return [f.detail for f in found]

    head = ["STT", "Chỉ tiêu", "Mục tiêu", "Thực hiện", "Đánh giá"]
    right = [head, ["1", "Tỉ lệ đoàn viên thực hiện “1+1”", "100%", "50,0%", "Chưa đạt"],
             ["2", "Đoàn viên tốt", "≥ 60%", "65,0%", "Đạt"]]
    assert check("H1", right) == []
    wrong = [head, ["1", "Tỉ lệ đoàn viên thực hiện “1+1”", "100%", "55,0%", "Chưa đạt"],
             ["2", "Đoàn viên tốt", "≥ 60%", "45,0%", "Đạt"]]
    assert check("H1", wrong) == ["Tỉ lệ đoàn viên thực hiện “1+1” năm 2021: văn bản ghi 55,0%, bảng kết quả 50,0%",
                                  "Đoàn viên tốt năm 2021: văn bản ghi 45,0%, bảng kết quả 65,0%"]
    # Huyện Đoàn Hai's "1+1" is not collected: «chưa có số liệu» is what its document must say (its
    # rollup holds 0 %, which the appendix's row of the same name is checked against)
    assert check("H2", [head, ["1", "Tỉ lệ đoàn viên thực hiện “1+1”", "100%", "chưa có số liệu",
                               "Chưa đánh giá"]]) == []


def test_the_review_over_years_lists_the_other_declared_targets_year_by_year(tmp_path):
    from tongket.documents.targets_years import targets_by_year

    review = _review(tmp_path, {**OLD, "ty_le_tap_hop": {"muc_tieu": 0.7}, "ty_le_dv_1_1": 1.0})
    assert targets_by_year(review, "H2", 2020, 2021) == [
        {"chi_tieu": "Tỉ lệ tập hợp thanh niên", "nam": "2020", "muc_tieu": "≥ 70%", "ket_qua": "80,0%",
         "danh_gia": "Đạt"},
        {"chi_tieu": "", "nam": "2021", "muc_tieu": "≥ 70%", "ket_qua": "40,0%", "danh_gia": "Chưa đạt"},
        {"chi_tieu": "Tỉ lệ đoàn viên thực hiện “1+1”", "nam": "2020", "muc_tieu": "100%", "ket_qua": "50,0%",
         "danh_gia": "Chưa đạt"},
        {"chi_tieu": "", "nam": "2021", "muc_tieu": "100%", "ket_qua": "chưa có số liệu",
         "danh_gia": "Chưa đánh giá"}]
    # only the four [000] targets: the review over years reads as before, without this table
    assert targets_by_year(_review(tmp_path / "cu", OLD), "H2", 2020, 2021) == []


@pytest.mark.parametrize("cycle", ["tong_ket_2021.yaml", "tong_ket_2021_sau_sap_xep.yaml"])
def test_every_units_targets_are_the_same_from_the_province_as_from_the_unit_alone(cycle):
    """The province's table finds each unit's Đoàn cơ sở and branches by one lookup built once (issue 21:
    a scan per unit made 1.000 districts quadratic); a unit's own table searches only its own rows.
    Both must give every unit the same targets, figures, verdicts and lists of names."""
    from tongket.assessment.review import reporting_codes

    review = open_review(paths.PARAMS / cycle)
    r, nam = review.results, review.cycle.nam
    whole = targets(r, review.cycle, nam)
    codes = reporting_codes(review)
    assert len(codes) >= 6 and set(codes) < set(whole["ma_don_vi"])
    own = pd.concat([targets(r, review.cycle, nam, only=[c]) for c in codes], ignore_index=True)
    province = whole[whole["ma_don_vi"].isin(codes)].reset_index(drop=True)
    named = lambda lists: [sorted(re.split(r" \(|: ", n)[0] for n in text.split("; ")) for text in lists]
    # the province's lists carry the upper unit after a name shared anywhere in it, a unit's own only
    # after a name shared within the unit: the units named are the same
    assert named(own["don_vi_chua_dat"]) == named(province["don_vi_chua_dat"])
    pd.testing.assert_frame_equal(own.drop(columns="don_vi_chua_dat"), province.drop(columns="don_vi_chua_dat"),
                                  check_exact=True)
    if review.cycle.cap_bao_cao == "huyen":  # a district's lists name its Đoàn cơ sở (a Đoàn cơ sở's are empty)
        assert province["don_vi_chua_dat"].str.len().gt(0).sum() >= 10


DECLARED = {"ty_le_tap_hop": {"muc_tieu": 0.7}, "ty_le_dv_1_1": {"muc_tieu": 1.0},
            "dv_tot": {"chi_so": ["ty_le_dv_htxs", "ty_le_dv_htt"], "muc_tieu": 0.6, "ten": "Tỉ lệ đoàn viên hoàn thành tốt nhiệm vụ trở lên"}}


@pytest.mark.parametrize("cycle", ["tong_ket_2021.yaml", "tong_ket_2021_sau_sap_xep.yaml", "nho"])
def test_the_province_table_is_what_a_scan_of_every_unit_gives(cycle, monkeypatch, tmp_path):
    """The one-pass lookups (`_rows_of`, `_filled`) against the plain way: a boolean scan of the
    whole year's rows for every unit, and a count of filled inputs per unit (the small province
    declares targets on inputs one district left blank: «chưa có số liệu»)."""
    tg = importlib.import_module("tongket.assessment.targets")

    review = _review(tmp_path, DECLARED) if cycle == "nho" else open_review(paths.PARAMS / cycle)
    r, nam = review.results, review.cycle.nam
    fast = {y: targets(r, review.cycle, y) for y in r.years}

    def scan(frame, key):
        return lambda code: frame[frame[key] == code]

    def counted(year):
        return lambda key, c: {u for f in (year.chi_doan, year.co_so) if key in f and c in f
                               for u, n in f.groupby(key)[c].count().items() if n > 0}

    monkeypatch.setattr(tg, "_rows_of", scan)
    monkeypatch.setattr(tg, "_filled", counted)
    for y in r.years:
        pd.testing.assert_frame_equal(fast[y], targets(r, review.cycle, y), check_exact=True)
    if cycle == "nho":  # Huyện Đoàn Hai left "1+1" blank: not collected
        assert pd.isna(_row(fast[nam], "H2", "ty_le_dv_1_1")["thuc_hien"])
        assert _row(fast[nam], "H1", "ty_le_dv_1_1")["thuc_hien"] == pytest.approx(0.5)
    else:
        assert len(fast[nam]) > 40
