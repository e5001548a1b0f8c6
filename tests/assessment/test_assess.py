"""Assessment and roll-ups on a small hand-made province whose every figure is known."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import small_rows, small_tree, write_exchange
from tongket.assessment.assess import CHI_DOAN_COLS, CO_SO_COLS, ROLLUP_COLS, assess
from tongket.intake.check import load
from tongket.rules.params import load_cycle


@pytest.fixture
def results(small_workbook):
    cycle = load_cycle(data=small_workbook, nam=2021)
    return assess(load(small_workbook, cycle.scale), cycle)


def test_contract_columns_come_first_in_order(results):
    assert list(results.chi_doan.columns[: len(CHI_DOAN_COLS)]) == CHI_DOAN_COLS
    assert list(results.co_so.columns[: len(CO_SO_COLS)]) == CO_SO_COLS
    assert list(results.huyen.columns[: len(ROLLUP_COLS)]) == ROLLUP_COLS
    assert list(results.tinh.columns[: len(ROLLUP_COLS)]) == ROLLUP_COLS


def test_branches(results):
    cd = results.year(2021).chi_doan.set_index("ma_don_vi")
    assert bool(cd.loc["C1.1", "dat_chuan"]) is True
    assert bool(cd.loc["C1.4", "tc5"]) is False and bool(cd.loc["C1.4", "dat_chuan"]) is False
    assert pd.isna(cd.loc["C1.S", "dat_chuan"])  # a school branch is not assessed on the rule
    assert bool(cd.loc["C3.1", "tc1"]) is False
    assert cd.loc["C3.1", "ly_do"] == ("Tiêu chí 1 (Không có đoàn viên vi phạm pháp luật): "
                                       "số đoàn viên vi phạm pháp luật: 1 (yêu cầu không có)")


def test_co_so(results):
    cs = results.year(2021).co_so.set_index("ma_don_vi")
    assert cs.loc["C1", ["so_chi_doan_dan_cu", "so_chi_doan_dat_chuan"]].tolist() == [4, 3]
    assert cs.loc["C1", "ty_le_dat_chuan"] == pytest.approx(0.75)
    assert cs.loc["C1", "muc_tieu_dat_chuan"] == pytest.approx(0.90)
    assert bool(cs.loc["C1", "dat_muc_tieu"]) is False
    assert bool(cs.loc["C2", "dat_muc_tieu"]) is True  # 2/2
    assert cs.loc["C3", "ty_le_dat_chuan"] == 0
    # ratings: C1 75 → 65 (htt → ht), C2 HTNV → 92 (ht → htxs), C3 none → "Hoàn thành tốt nhiệm vụ"
    assert cs["xep_loai"].to_dict() == {"C1": "ht", "C2": "htxs", "C3": "htt"}
    assert (cs.loc["C1", "xep_loai_nam_truoc"], cs.loc["C2", "xep_loai_nam_truoc"]) == ("htt", "ht")
    assert pd.isna(cs.loc["C3", "xep_loai_nam_truoc"])
    assert cs["bien_dong"].to_dict() == {"C1": "ha_bac", "C2": "nang_bac", "C3": "moi"}
    assert cs["ba_chu_dong"].astype(bool).to_dict() == {"C1": True, "C2": True, "C3": False}


def test_phase_target_in_force_by_year(results):
    cs = results.year(2020).co_so
    assert cs["muc_tieu_dat_chuan"].tolist() == [0.75, 0.75, 0.75]
    assert bool(cs.set_index("ma_don_vi").loc["C1", "dat_muc_tieu"]) is True  # 3/4 = 75 % ≥ 75 %


def test_district_rollup(results):
    h = results.year(2021).huyen.set_index("ma_don_vi")
    h1 = h.loc["H1"]
    assert (h1["so_co_so"], h1["so_chi_doan"], h1["so_chi_doan_dan_cu"], h1["so_chi_doan_dat_chuan"]) == (2, 7, 6, 5)
    assert h1["ty_le_dat_chuan"] == pytest.approx(5 / 6)
    assert h1["so_doan_vien"] == 7 * 20 and h1["so_ket_nap_moi"] == 4 * 5 + 0 + 5 + 5  # C1.1–4, C1.S, C2.1, C2.2
    assert h1["ty_le_tap_hop"] == pytest.approx(40 / 50)
    assert h1["ty_le_dv_1_1"] == pytest.approx(10 / 20) and h1["so_thanh_nien_1_1"] == 7 * 12
    assert h1["so_co_so_dat_muc_tieu"] == 1
    assert h1["ty_le_duoc_xep_loai"] == 1 and h1["ty_le_nang_bac"] == pytest.approx(0.5)
    assert h1["so_ha_bac"] == 1  # C1 was htt (the guard level) and fell to ht
    assert h1["so_co_so_ba_chu_dong"] == 2


def test_province_rollup(results):
    t = results.year(2021).tinh.iloc[0]
    assert (t["so_co_so"], t["so_chi_doan"], t["so_chi_doan_dan_cu"], t["so_chi_doan_dat_chuan"]) == (3, 8, 7, 5)
    assert t["ty_le_dat_chuan"] == pytest.approx(5 / 7)
    assert t["ty_le_nang_bac"] == pytest.approx(1 / 3) and t["so_ha_bac"] == 1


def test_moving_down_from_below_the_guard_level_is_not_counted(tmp_path):
    cd, cs = small_rows()
    cs[0]["diem"], cs[1]["diem"] = 60, 40  # ht → kht: down, but from below the guard level (htt)
    path = write_exchange(tmp_path / "x.xlsx", small_tree(), cd, cs)
    cycle = load_cycle(data=path, nam=2021)
    r = assess(load(path, cycle.scale), cycle).year(2021)
    assert r.co_so.set_index("ma_don_vi").loc["C1", "bien_dong"] == "ha_bac"
    assert r.huyen.set_index("ma_don_vi").loc["H1", "so_ha_bac"] == 0


def test_branch_without_a_row_is_listed_as_missing(tmp_path):
    cd, cs = small_rows()
    cd = [r for r in cd if not (r["ma_don_vi"] == "C2.1" and r["nam"] == 2021)]
    path = write_exchange(tmp_path / "x.xlsx", small_tree(), cd, cs)
    cycle = load_cycle(data=path, nam=2021)
    r = assess(load(path, cycle.scale), cycle).year(2021)
    row = r.chi_doan.set_index("ma_don_vi").loc["C2.1"]
    # No row is "chưa gửi số liệu": no result, not a failure; out of the rate, counted on its own.
    assert pd.isna(row["dat_chuan"]) and row["ly_do"] == "Chưa gửi số liệu năm 2021"
    cs = r.co_so.set_index("ma_don_vi").loc["C2"]
    assert (cs["so_chi_doan_dan_cu"], cs["so_chi_doan_dat_chuan"], cs["so_chi_doan_chua_gui_so_lieu"]) == (1, 1, 1)
    assert cs["ty_le_dat_chuan"] == 1
    h1 = r.huyen.set_index("ma_don_vi").loc["H1"]
    assert (h1["so_chi_doan_dan_cu"], h1["so_chi_doan_dat_chuan"], h1["so_chi_doan_chua_gui_so_lieu"]) == (5, 4, 1)


def test_a_districts_sum_over_no_figure_is_blank_and_its_sentences_say_so_not_zero(tmp_path):
    """H2's only branch sent no 2020 row and left «Số đoàn viên kết nạp mới» blank in 2021: the
    district's sums were 0 both years, and its report said «Kết nạp 0 đoàn viên mới» and, with a
    figure in 2021, «tăng 5 đoàn viên (từ 0 lên 5) so với năm 2020»."""
    from tongket.documents.narrative import giai_doan, tap_hop

    cd, cs = small_rows()
    cd = [r for r in cd if not (r["ma_don_vi"] == "C3.1" and r["nam"] == 2020)]
    for r in cd:
        if r["ma_don_vi"] == "C3.1" or (r["ma_don_vi"] == "C2.1" and r["nam"] == 2021):
            r["so_ket_nap_moi"] = None  # C2.1: one of C2's two branches, C2.2 gave its figure
    path = write_exchange(tmp_path / "x.xlsx", small_tree(), cd, cs)
    cycle = load_cycle(data=path, nam=2021)
    res = assess(load(path, cycle.scale), cycle)
    h2 = res.huyen.set_index(["ma_don_vi", "nam"])
    assert h2.loc[("H2", 2020), ["so_doan_vien", "so_ket_nap_moi", "so_gioi_thieu_dang"]].isna().all()
    assert pd.isna(h2.loc[("H2", 2021), "so_ket_nap_moi"]) and h2.loc[("H2", 2021), "so_doan_vien"] > 0
    assert pd.isna(h2.loc[("H2", 2020), "ty_le_tap_hop"])
    # one blank among the rows sent: no partial total (C2.2's 5 alone), for the Đoàn cơ sở and its district
    cs = res.co_so.set_index(["ma_don_vi", "nam"])
    assert pd.isna(cs.loc[("C2", 2021), "so_ket_nap_moi"]) and pd.isna(h2.loc[("H1", 2021), "so_ket_nap_moi"])
    assert cs.loc[("C2", 2020), "so_ket_nap_moi"] == 5 + 4 and h2.loc[("H1", 2020), "so_ket_nap_moi"] > 9  # as ever
    assert pd.isna(res.tinh.set_index("nam").loc[2021, "so_ket_nap_moi"])
    now, before = h2.loc[("H2", 2021)], h2.loc[("H2", 2020)]
    said = tap_hop(now, before, 2021)
    assert said[2].startswith("Kết nạp …… đoàn viên mới, chưa so sánh được với năm 2020; giới thiệu ")
    assert said[0].endswith(", năm 2020 chưa có số liệu để so sánh.")
    rows = res.huyen[res.huyen["ma_don_vi"] == "H2"]
    assert "Từ năm 2020 đến năm 2021, kết nạp …… đoàn viên mới (năm 2020, 2021 chưa có số liệu), giới thiệu …… " \
           "đoàn viên ưu tú cho Đảng xem xét kết nạp (năm 2020 chưa có số liệu)." in giai_doan(rows, {})


def test_sample_assessment_is_vectorised_and_consistent(sample_review):
    r = sample_review.results.year(2021)
    t = r.tinh.iloc[0]
    assert t["so_chi_doan_dat_chuan"] == int(r.chi_doan["dat_chuan"].fillna(False).sum())
    assert t["so_chi_doan_dat_chuan"] == r.huyen["so_chi_doan_dat_chuan"].sum()
    assert t["so_co_so"] == len(r.co_so)


def test_units_are_listed_in_vietnamese_order_with_natural_numbers(sample_review):
    names = sample_review.results.of_unit("ST01").year(2021).co_so["ten_don_vi"].tolist()
    assert names.index("Đoàn phường 2") < names.index("Đoàn phường 10") < names.index("Đoàn phường 11")
    assert names[-1].startswith("Đoàn xã")  # "x" sorts after "t" (Đoàn trường …)


def test_a_year_is_the_same_rows_as_picked_by_year_and_shares_the_tables_columns(sample_review):
    """`Results.year` takes a year as one run of rows (every table is ordered by year): the rows
    picked one by one, in the same order, without copying the province's columns; a table in
    another order still gets exactly its year's rows."""
    import numpy as np

    from tongket.assessment.assess import Results

    whole = sample_review.results
    units = [whole, whole.of_unit("ST01")]
    for r in units:
        for nam in [*r.years, 1999]:
            year = r.year(nam)
            for name, table in r.tables().items():
                picked = table[table["nam"] == nam].reset_index(drop=True)
                pd.testing.assert_frame_equal(getattr(year, name) if name != "tong_hop_co_so" else year.bao_cao,
                                              picked)
    year = whole.year(2021).chi_doan
    plain = [c for c, t in whole.chi_doan.dtypes.items() if isinstance(t, np.dtype)]  # numpy's own arrays
    assert plain and all(np.shares_memory(year[c].to_numpy(), whole.chi_doan[c].to_numpy()) for c in plain)
    shuffled = Results(whole.chi_doan.sample(frac=1, random_state=7), whole.co_so, whole.huyen, whole.tinh,
                       whole.scale, whole.don_vi, whole.years)
    mixed = shuffled.chi_doan
    pd.testing.assert_frame_equal(shuffled.year(2020).chi_doan, mixed[mixed["nam"] == 2020].reset_index(drop=True))
    assert len(shuffled.year(2020).chi_doan) == (whole.chi_doan["nam"] == 2020).sum() > 0
