"""The reward rule (params khen_thuong) and the half-year “1+1” table, on workbooks built here."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ALL_CD, branch, write_exchange
from tongket import open_review
from tongket.assessment.one_plus_one import half_year, has_half_year
from tongket.assessment.rewards import proposals
from tongket.errors import ConfigError
from tongket.rules.params import load_cycle
from tongket.rules.rewards import RewardRule, parse_rule

ROOT = Path(__file__).resolve().parents[2]


def _tree() -> list[dict]:
    """District H1 with six Đoàn cơ sở, each failing at most one condition; H2 with one."""
    u = lambda ma, ten, cap, cha, loai="dan_cu": {"ma_don_vi": ma, "ten_don_vi": ten, "cap": cap,
                                                 "ma_cap_tren": cha, "loai_hinh": loai}
    units = [u("T", "Tỉnh Đoàn Thử", "tinh", None), u("H1", "Huyện Đoàn Một", "huyen", "T"),
             u("H2", "Huyện Đoàn Hai", "huyen", "T")]
    for ma, ten, cha in (("A", "Đoàn xã An Bình", "H1"), ("B", "Đoàn xã Bình Minh", "H1"),
                         ("C", "Đoàn xã Cát Lái", "H1"), ("D", "Đoàn xã Định Yên", "H1"),
                         ("E", "Đoàn xã Eo Gió", "H1"), ("G", "Đoàn xã Giồng Trôm", "H2")):
        units.append(u(ma, ten, "co_so", cha))
        units += [u(f"{ma}.{i}", f"Chi đoàn ấp {i}", "chi_doan", ma) for i in (1, 2)]
    units.append(u("S", "Đoàn trường THPT Một", "co_so", "H1", "truong_hoc"))
    units.append(u("S.1", "Chi đoàn lớp 12A", "chi_doan", "S", "truong_hoc"))
    return units


def _rows() -> tuple[list[dict], list[dict]]:
    cd, cs = [], []
    for nam in (2020, 2021):
        for ma in "ABCDEG":
            # D's second branch misses the meetings criterion in 2021: not every branch up to standard
            cd += [branch(f"{ma}.1", nam), branch(f"{ma}.2", nam, so_lan_sinh_hoat=7 if (ma, nam) == ("D", 2021) else 8)]
        cd.append(branch("S.1", nam))
        scores = {"A": 95, "B": 92, "C": 80, "D": 96, "E": 97, "G": 91, "S": 99}
        for ma, d in scores.items():
            row = {"ma_don_vi": ma, "nam": nam, **ALL_CD, "diem": d}
            if ma == "E":
                row["cd3_3"] = "Không"  # not "3 chủ động"
            cs.append(row)
    return cd, cs


def _workbook(tmp_path: Path, tham_dinh: list[dict] | None = None, half: list[dict] | None = None) -> Path:
    cd, cs = _rows()
    path = write_exchange(tmp_path / "khen.xlsx", _tree(), cd, cs)
    wb = openpyxl.load_workbook(path)
    for title, rows in (("tham_dinh", tham_dinh), ("mot_cong_mot", half)):
        if rows:
            ws = wb.create_sheet(title)
            ws.append(list(rows[0]))
            for r in rows:
                ws.append(list(r.values()))
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def review(tmp_path_factory):
    return open_review(data=_workbook(tmp_path_factory.mktemp("khen")), nam=2021)


def _judged(review, rule: RewardRule) -> pd.DataFrame:
    return proposals(review.results, rule, review.cycle.scale, 2021).set_index("ma_don_vi")


def test_the_rule_picks_exactly_the_units_meeting_every_condition(review):
    t = _judged(review, RewardRule(xep_loai=("htxs",)))
    assert sorted(t.index[t["de_nghi"]]) == ["A", "B", "G"]
    a = t.loc["A", "thanh_tich"]
    assert a.startswith("đạt tiêu chí Đoàn cơ sở “3 chủ động”; 2/2 chi đoàn trên địa bàn dân cư đạt chuẩn (100,0%")
    assert a.endswith("xếp loại “Hoàn thành xuất sắc nhiệm vụ” năm 2021 (95 điểm)")
    # each unit out fails exactly one condition, named in words
    assert t.loc["C", "ly_do"] == "xếp loại “Hoàn thành tốt nhiệm vụ” năm 2021"
    assert t.loc["D", "ly_do"] == "1/2 chi đoàn trên địa bàn dân cư đạt chuẩn (50,0%), chưa đạt yêu cầu mọi chi đoàn"
    assert t.loc["E", "ly_do"] == "chưa đạt tiêu chí “3 chủ động”"
    assert t.loc["S", "ly_do"] == "không có chi đoàn trên địa bàn dân cư"


def test_the_rule_agrees_with_the_year_end_results(review):
    cs = review.results.year(2021).co_so.set_index("ma_don_vi")
    t = _judged(review, RewardRule(xep_loai=("htxs",)))
    for ma in t.index[t["de_nghi"]]:
        assert cs.loc[ma, "xep_loai"] == "htxs" and bool(cs.loc[ma, "ba_chu_dong"])
        assert cs.loc[ma, "so_chi_doan_dat_chuan"] == cs.loc[ma, "so_chi_doan_dan_cu"] > 0


def test_a_limit_keeps_the_highest_scores_per_district(review):
    t = _judged(review, RewardRule(xep_loai=("htxs",), so_luong_toi_da=1))
    assert sorted(t.index[t["de_nghi"]]) == ["A", "G"]  # A 95 before B 92 in H1; G alone in H2
    assert t.loc["B", "ly_do"] == ("đủ điều kiện nhưng ngoài số lượng đề nghị tối đa (1 đơn vị, xét theo điểm từ "
                                   "cao xuống thấp)")


def test_looser_rules_let_more_in(review):
    t = _judged(review, RewardRule(xep_loai=("htxs", "htt"), chi_doan_dat_chuan=0.5))
    assert sorted(t.index[t["de_nghi"]]) == ["A", "B", "C", "D", "G"]
    t = _judged(review, RewardRule(xep_loai=("htxs",), diem_toi_thieu=93))
    assert sorted(t.index[t["de_nghi"]]) == ["A"]
    assert t.loc["B", "ly_do"] == "92 điểm, dưới mức 93 điểm"


def test_a_branch_failing_verification_keeps_its_unit_out(tmp_path):
    r = open_review(data=_workbook(tmp_path, tham_dinh=[{"ma_don_vi": "A.1", "nam": 2021, "ket_qua": "Chưa đạt"}]),
                    nam=2021)
    t = _judged(r, RewardRule(xep_loai=("htxs",)))
    assert not t.loc["A", "de_nghi"]
    assert "1 chi đoàn thẩm định chưa đạt" in t.loc["A", "ly_do"]


def test_the_sample_cycle_declares_the_rule():
    rule = load_cycle().khen_thuong
    assert rule == RewardRule(ba_chu_dong=True, chi_doan_dat_chuan=1.0, xep_loai=("htxs",), so_luong_toi_da=3,
                              hinh_thuc="Bằng khen của Ban Chấp hành Tỉnh Đoàn")


@pytest.mark.parametrize(("raw", "message"), [
    ({"dieu_kien": {"xep_loai": ["xuat_sac"]}}, "«xuat_sac» không phải mức của thang"),
    ({"dieu_kien": {"chi_doan_dat_chuan": 90}}, "cần «tat_ca»"),
    ({"dieu_kien": {"ba_chu_dong": "có"}}, "cần true hoặc false"),
    ({"dieu_kien": {"diem": 90}}, "không biết «diem»"),
    ({"so_luong_toi_da": 0}, "cần một số nguyên từ 1 trở lên"),
    ({"hinh_thuc_khen": "Bằng khen"}, "không biết «hinh_thuc_khen»"),
    ("có", "cần các cặp «khóa: giá trị»"),
])
def test_a_wrong_rule_is_refused_in_vietnamese(raw, message):
    with pytest.raises(ConfigError, match=message):
        parse_rule(Path("ky.yaml"), raw, load_cycle().scale)


def test_a_cycle_file_with_a_wrong_rule_names_the_key(tmp_path):
    import yaml

    raw = yaml.safe_load((ROOT / "params" / "tong_ket_2021.yaml").read_text(encoding="utf-8"))
    here = ROOT / "params"
    raw |= {"data": str(here / raw["data"]), "scale": str(here / raw["scale"]), "text_dir": str(here / raw["text_dir"]),
            "rubrics": {k: str(here / v) for k, v in raw["rubrics"].items()},
            "score_sheets": {k: str(here / v) for k, v in raw["score_sheets"].items()}}
    raw["khen_thuong"]["so_luong_toi_da"] = "ba"
    path = tmp_path / "ky.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ConfigError, match="khen_thuong.so_luong_toi_da: cần một số nguyên từ 1 trở lên, gặp «ba»"):
        load_cycle(path)


def test_no_rule_no_proposals(review):
    assert replace(review.cycle, khen_thuong=None).khen_thuong is None
    assert parse_rule(Path("ky.yaml"), None, review.cycle.scale) is None


# ---- “1+1” half-year table ---------------------------------------------------------------------

def _half(ma: str, dv, gt, tn, nam: int = 2021, ky: int = 1) -> dict:
    return {"ma_don_vi": ma, "nam": nam, "ky": ky, "so_doan_vien": dv, "so_dv_gioi_thieu_1_1": gt,
            "so_thanh_nien_1_1": tn}


def test_half_year_table_figures_judgement_and_ranking(tmp_path):
    half = [_half("A.1", 20, 20, 25), _half("A.2", 20, 20, 21),  # every member of A brought someone
            _half("B.1", 20, 8, 9), _half("B.2", 20, 4, 4),
            _half("C.1", 20, 12, 12), _half("C.2", None, 3, 3),  # C.2: a blank, never 0
            _half("A.1", 20, 20, 30, ky=2), _half("G.1", 20, 2, 2, nam=2020)]
    r = open_review(data=_workbook(tmp_path, half=half), nam=2021)
    t = half_year(r.results.of_unit("H1"), r.data.optional["mot_cong_mot"], 2021, "ma_co_so").set_index("ma_don_vi")
    assert list(t.index) == ["A", "C", "B"]  # ranked by share: 100%, 60%, 30%
    assert t.loc["A", ["so_doan_vien", "so_dv_gioi_thieu_1_1", "so_thanh_nien_1_1", "hang"]].tolist() == [40, 40, 46, 1]
    assert bool(t.loc["A", "dat_yeu_cau"]) and t.loc["A", "so_chi_doan_dat"] == 2
    assert t.loc["B", "ty_le_dv_1_1"] == pytest.approx(12 / 40) and not t.loc["B", "dat_yeu_cau"]
    assert (t.loc["C", "so_chi_doan"], t.loc["C", "so_chi_doan_du_so_lieu"], t.loc["C", "so_doan_vien"]) == (2, 1, 20)
    assert t.loc["C", "chi_doan_thieu"] == "Chi đoàn ấp 2"
    # the whole-year figures are the year-end report's (chi_doan sheet): 10 of 20 members per branch
    assert t.loc["A", "ty_le_dv_1_1_ca_nam"] == pytest.approx(0.5)
    assert t.loc["A", "so_thanh_nien_1_1_ca_nam"] == 24 and bool(t.loc["A", "vuot_ca_nam"])  # 46 > 24: named
    assert has_half_year(r.data.optional["mot_cong_mot"], r.results.chi_doan, 2021)
    assert not has_half_year(r.data.optional["mot_cong_mot"], r.results.chi_doan, 2019)


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    return open_review(data=_workbook(tmp_path_factory.mktemp("mot")), nam=2021)


_figure = st.one_of(st.none(), st.integers(0, 60))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["A.1", "A.2", "B.1", "B.2", "D.1"]), _figure, _figure, _figure),
                min_size=1, max_size=5, unique_by=lambda x: x[0]))
def test_half_year_sums_add_up_and_blanks_never_count(plain, rows):
    frame = pd.DataFrame([_half(ma, dv, gt, tn) for ma, dv, gt, tn in rows]).astype(
        {c: "Int64" for c in ("nam", "ky", "so_doan_vien", "so_dv_gioi_thieu_1_1", "so_thanh_nien_1_1")})
    t = half_year(plain.results.of_unit("H1"), frame, 2021, "ma_co_so").set_index("ma_don_vi")
    for unit in {ma.split(".")[0] for ma, *_ in rows}:
        mine = [x for x in rows if x[0].startswith(unit + ".")]
        full = [x for x in mine if None not in x[1:]]
        assert t.loc[unit, "so_chi_doan"] == len(mine) and t.loc[unit, "so_chi_doan_du_so_lieu"] == len(full)
        if not full:
            assert pd.isna(t.loc[unit, "so_doan_vien"]) and pd.isna(t.loc[unit, "ty_le_dv_1_1"])
            continue
        dv, gt = sum(x[1] for x in full), sum(x[2] for x in full)
        assert t.loc[unit, "so_doan_vien"] == dv and t.loc[unit, "so_dv_gioi_thieu_1_1"] == gt
        assert t.loc[unit, "so_thanh_nien_1_1"] == sum(x[3] for x in full)
        if dv:
            assert t.loc[unit, "ty_le_dv_1_1"] == pytest.approx(gt / dv)
        else:
            assert pd.isna(t.loc[unit, "ty_le_dv_1_1"])  # no members: no share, never 0 %
    ranked = t["hang"].dropna()
    assert sorted(ranked) == list(range(1, len(ranked) + 1))
