"""Registration and upkeep [001 III], contract §6.4, on a small province whose every figure is known."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import branch, small_rows, small_tree, write_exchange
from helpers import add_sheet
from tongket.assessment.assess import assess
from tongket.assessment.upkeep import BIEN_DONG_CHUAN, branch_upkeep
from tongket.intake.check import load
from tongket.rules.params import load_cycle


def build(tmp_path, registrations: list[list] | None):
    """The small province with C1.3 losing the standard in 2021, C2.1 sending nothing in 2021, C2.2
    gaining the standard, a new branch C2.3 with no row in 2020; `registrations` (rows of sheet
    dang_ky) or no such sheet."""
    tree = small_tree() + [{"ma_don_vi": "C2.3", "ten_don_vi": "Chi đoàn khu phố 3", "cap": "chi_doan",
                            "ma_cap_tren": "C2", "loai_hinh": "dan_cu"}]
    cd, cs = small_rows()
    cd = [r for r in cd if not (r["ma_don_vi"] in ("C1.3", "C2.1") and r["nam"] == 2021)]
    cd += [branch("C1.3", 2021, so_lan_sinh_hoat=6), branch("C2.3", 2021)]
    path = write_exchange(tmp_path / "dk.xlsx", tree, cd, cs)
    if registrations is not None:
        add_sheet(path, "dang_ky", ["ma_don_vi", "nam", "chuong_trinh", "lam_diem"], registrations)
    cycle = load_cycle(data=path, nam=2021)
    data = load(path, cycle.scale)
    assert not data.errors, data.errors
    return assess(data, cycle)


REGISTERED = [["C1.1", 2021, "chi_doan_dat_chuan", "x"], ["C1.2", 2021, "chi_doan_dat_chuan", None],
              ["C1.3", 2021, "chi_doan_dat_chuan", None], ["C2.1", 2021, "chi_doan_dat_chuan", None],
              ["C1", 2021, "ba_chu_dong", "x"], ["C3", 2021, "ba_chu_dong", None]]


@pytest.fixture
def results(tmp_path):
    return build(tmp_path, REGISTERED)


def test_branch_upkeep_and_registration(results):
    cd = results.year(2021).chi_doan.set_index("ma_don_vi")
    move = cd["bien_dong_chuan"]
    assert [move[k] for k in ("C1.1", "C1.3", "C1.4", "C2.2", "C3.1")] == [
        "giu_vung", "mat_chuan", "chua_dat", "moi_dat", "chua_dat"]
    # up to standard in 2020, nothing sent in 2021: not up to standard now (the documents say why)
    assert move["C2.1"] == "mat_chuan" and not bool(cd.loc["C2.1", "co_so_lieu"])
    assert pd.isna(move["C1.S"])  # the rubric does not apply to a school branch
    assert pd.isna(move["C2.3"])  # no row the year before: no movement, not "mới đạt"
    assert bool(cd.loc["C1.3", "dat_chuan_nam_truoc"]) is True and pd.isna(cd.loc["C2.3", "dat_chuan_nam_truoc"])
    assert [bool(cd.loc[k, "dang_ky"]) for k in ("C1.1", "C1.3", "C1.4", "C2.2")] == [True, True, False, False]
    assert bool(cd.loc["C1.1", "lam_diem"]) is True
    cols = list(results.chi_doan.columns)
    assert cols.index("dang_ky") < cols.index("dat_chuan_nam_truoc") < cols.index("bien_dong_chuan")
    before = results.year(2020).chi_doan
    assert before["bien_dong_chuan"].isna().all()  # the first year has no year before
    assert before["dang_ky"].isna().all()  # no registration rows for 2020: not collected, not "no"


def test_counts_per_co_so_district_province(results):
    y = results.year(2021)
    cs = y.co_so.set_index("ma_don_vi")
    assert cs.loc["C1", ["so_chi_doan_dang_ky", "so_chi_doan_moi_dat", "so_chi_doan_giu_vung",
                         "so_chi_doan_mat_chuan"]].tolist() == [3, 0, 2, 1]
    assert cs.loc["C1", "ty_le_dang_ky"] == pytest.approx(0.75)
    assert cs.loc["C2", "ty_le_dang_ky"] == pytest.approx(1 / 3)
    assert cs.loc["C3", "ty_le_dang_ky"] == 0
    assert bool(cs.loc["C1", "dang_ky_ba_chu_dong"]) and not bool(cs.loc["C2", "dang_ky_ba_chu_dong"])
    h = y.huyen.set_index("ma_don_vi")
    assert h.loc["H1", ["so_chi_doan_dang_ky", "so_chi_doan_moi_dat", "so_chi_doan_giu_vung",
                        "so_chi_doan_mat_chuan"]].tolist() == [4, 1, 2, 2]
    assert h.loc["H1", "ty_le_dang_ky"] == pytest.approx(4 / 7)
    assert h.loc["H1", ["so_chi_doan_dang_ky_dat_chuan", "so_chi_doan_dat_chuan_khong_dang_ky",
                        "so_co_so_dang_ky_ba_chu_dong", "so_chi_doan_lam_diem", "so_co_so_lam_diem"]].tolist() == [
        2, 2, 1, 1, 1]
    t = y.tinh.iloc[0]
    assert [t["so_chi_doan_dang_ky"], t["so_chi_doan_moi_dat"], t["so_chi_doan_giu_vung"],
            t["so_chi_doan_mat_chuan"]] == [4, 1, 2, 2]
    assert t["ty_le_dang_ky"] == pytest.approx(0.5)
    first = results.year(2020)
    assert first.huyen["so_chi_doan_mat_chuan"].isna().all()  # no year before: unknown, not 0
    assert first.huyen["ty_le_dang_ky"].isna().all()


def test_without_sheet_no_registration_columns_but_upkeep(tmp_path):
    r = build(tmp_path, None)
    assert "dang_ky" not in r.chi_doan and "so_chi_doan_dang_ky" not in r.huyen and "ty_le_dang_ky" not in r.tinh
    assert "dang_ky_ba_chu_dong" not in r.co_so
    h = r.year(2021).huyen.set_index("ma_don_vi")
    assert h.loc["H1", ["so_chi_doan_moi_dat", "so_chi_doan_giu_vung", "so_chi_doan_mat_chuan"]].tolist() == [1, 2, 2]


_YEAR = st.sampled_from([True, False, "absent"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.booleans(), _YEAR, _YEAR), min_size=1, max_size=30))
def test_upkeep_partitions_the_branches_compared(branches):
    """moi_dat + giu_vung + mat_chuan + chua_dat = residential branches with a result the year
    before; a branch the rubric does not apply to, or with no row the year before, has none."""
    rows = []
    for i, (residential, before, now) in enumerate(branches):
        for nam, v in ((2020, before), (2021, now)):
            if v != "absent":
                rows.append({"ma_don_vi": f"B{i}", "nam": nam, "dat_chuan": v if residential else pd.NA})
    grid = pd.DataFrame([{"ma_don_vi": f"B{i}", "nam": y, "_ap_dung": b[0]} for i, b in enumerate(branches)
                         for y in (2020, 2021)])
    frame = grid.merge(pd.DataFrame(rows, columns=["ma_don_vi", "nam", "dat_chuan"]), how="left")
    frame["nam"] = frame["nam"].astype("Int64")
    frame["dat_chuan"] = frame["dat_chuan"].astype("boolean")
    out = branch_upkeep(frame)
    counts = out[out["nam"] == 2021]["bien_dong_chuan"].value_counts()
    compared = [(b, n) for r, b, n in branches if r and b != "absent"]
    assert sum(int(counts.get(k, 0)) for k in BIEN_DONG_CHUAN) == len(compared)
    assert int(counts.get("mat_chuan", 0)) == sum(1 for b, n in compared if b is True and n is not True)
    assert int(counts.get("moi_dat", 0)) == sum(1 for b, n in compared if b is False and n is True)
    assert int(counts.get("giu_vung", 0)) == sum(1 for b, n in compared if b is True and n is True)
    assert out[out["nam"] == 2020]["bien_dong_chuan"].isna().all()
