"""The population «cơ sở Đoàn các cấp» of the [000 II.3.2] targets: Đoàn cơ sở and chi đoàn cơ sở
(branches directly under a district) rated, moved up, moved down, on built workbooks; the §5
indicators keep counting Đoàn cơ sở only; a blank rating never counts as a level."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ALL_CD, branch, small_rows, small_tree, write_exchange
from tongket.assessment.review import open_review
from tongket.assessment.targets import targets
from tongket.common import paths
from tongket.documents.population import own_targets, sentences

WIDE = {"ty_le_duoc_xep_loai": {"chi_so": "ty_le_co_so_doan_duoc_xep_loai", "muc_tieu": 0.95},
        "ty_le_nang_bac": {"chi_so": "ty_le_co_so_doan_nang_bac", "muc_tieu": 0.05},
        "so_ha_bac": {"chi_so": "so_co_so_doan_ha_bac", "muc_tieu": 0}}


def _cycle_file(folder: Path, targets_: dict, **extra) -> Path:
    """The sample cycle in `folder`, with `targets_` in place of its own (and `extra` keys)."""
    shutil.copytree(paths.DEFAULT_CYCLE.parent, folder / "params", dirs_exist_ok=True)
    path = folder / "params" / paths.DEFAULT_CYCLE.name
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["targets"] = targets_
    doc.update(extra)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _workbook(folder: Path) -> Path:
    """The small province with three chi đoàn cơ sở: D1 under Huyện Đoàn Một (htxs → htt, a fall from
    above the guard level), D2 under Huyện Đoàn Hai (ht in 2020, its 2021 row left without score or
    rating), D3 under Huyện Đoàn Hai (no row in 2020, ht in 2021)."""
    tree = small_tree() + [
        {"ma_don_vi": "D1", "ten_don_vi": "Chi đoàn Bệnh viện", "cap": "chi_doan", "ma_cap_tren": "H1"},
        {"ma_don_vi": "D2", "ten_don_vi": "Chi đoàn Công an", "cap": "chi_doan", "ma_cap_tren": "H2"},
        {"ma_don_vi": "D3", "ten_don_vi": "Chi đoàn Trung tâm Y tế", "cap": "chi_doan", "ma_cap_tren": "H2"}]
    cd, cs = small_rows()
    cd += [branch("D1", 2020, diem=95), branch("D1", 2021, diem=80), branch("D2", 2020, xep_loai="HTNV"),
           branch("D2", 2021), branch("D3", 2021, diem=55)]
    return write_exchange(folder / "co_so_doan.xlsx", tree, cd, cs)


@pytest.fixture
def review(tmp_path):
    return open_review(_cycle_file(tmp_path, WIDE), data=_workbook(tmp_path), nam=2021)


def _row(frame: pd.DataFrame, ma: str) -> pd.Series:
    return frame.set_index("ma_don_vi").loc[ma]


def test_the_population_counts_chi_doan_co_so_beside_doan_co_so(review):
    y = review.results.year(2021)
    h1, h2, t = _row(y.huyen, "H1"), _row(y.huyen, "H2"), _row(y.tinh, "T")
    # Huyện Đoàn Một: C1 (htt → ht), C2 (ht → htxs) and D1 (htxs → htt), all rated
    assert (h1["so_co_so"], h1["so_chi_doan_co_so"], h1["so_co_so_doan"]) == (2, 1, 3)
    assert h1["so_co_so_doan_duoc_xep_loai"] == 3 and h1["ty_le_co_so_doan_duoc_xep_loai"] == 1.0
    assert h1["so_co_so_doan_nang_bac"] == 1 and h1["ty_le_co_so_doan_nang_bac"] == pytest.approx(1 / 3)
    assert h1["so_co_so_doan_ha_bac"] == 2  # C1 and D1 fell from the guard level or above
    # the contract's §5 indicators keep counting Đoàn cơ sở only
    assert h1["ty_le_nang_bac"] == pytest.approx(1 / 2) and h1["so_ha_bac"] == 1
    # Huyện Đoàn Hai: C3 and D3 rated, D2's blank row is not a rating (never «không hoàn thành»)
    assert (h2["so_co_so_doan"], h2["so_co_so_doan_duoc_xep_loai"]) == (3, 2)
    assert h2["ty_le_co_so_doan_duoc_xep_loai"] == pytest.approx(2 / 3)
    assert h2["ty_le_duoc_xep_loai"] == 1.0  # C3 alone
    cd = review.results.chi_doan.set_index(["ma_don_vi", "nam"])
    assert pd.isna(cd.loc[("D2", 2021), "xep_loai"])
    # D2 was rated last year: moving up is measured (none moved), though no Đoàn cơ sở of it was
    assert h2["ty_le_co_so_doan_nang_bac"] == 0.0 and pd.isna(h2["ty_le_nang_bac"])
    assert h2["so_co_so_doan_ha_bac"] == 0
    # the province adds both up
    assert (t["so_co_so_doan"], t["so_co_so_doan_duoc_xep_loai"], t["so_co_so_doan_ha_bac"]) == (6, 5, 2)
    assert t["ty_le_co_so_doan_duoc_xep_loai"] == pytest.approx(5 / 6)
    assert t["ty_le_co_so_doan_nang_bac"] == pytest.approx(1 / 6)


def test_targets_on_the_population_name_the_units_that_miss_them(review):
    t = targets(review.results, review.cycle, 2021).set_index(["ma_don_vi", "chi_tieu"])
    rated = t.loc[("H2", "ty_le_duoc_xep_loai")]
    assert rated["ten_chi_tieu"] == ("Tỉ lệ cơ sở Đoàn các cấp (Đoàn cơ sở, chi đoàn cơ sở) được đánh giá, "
                                     "xếp loại")
    assert rated["thuc_hien"] == pytest.approx(2 / 3) and not rated["dat"]
    assert rated["don_vi_chua_dat"] == "Chi đoàn Công an"
    assert rated["danh_sach"] == "Cơ sở Đoàn chưa được đánh giá, xếp loại"
    down = t.loc[("H1", "so_ha_bac")]
    assert down["thuc_hien"] == 2 and not down["dat"]
    assert down["don_vi_chua_dat"] == ("Chi đoàn Bệnh viện (Hoàn thành xuất sắc nhiệm vụ → Hoàn thành tốt nhiệm vụ); "
                                       "Đoàn xã An Bình (Hoàn thành tốt nhiệm vụ → Hoàn thành nhiệm vụ)")
    assert t.loc[("H1", "ty_le_nang_bac"), "thuc_hien"] == pytest.approx(1 / 3)
    assert t.loc[("T", "ty_le_duoc_xep_loai"), "thuc_hien"] == pytest.approx(5 / 6)


def test_the_short_form_keeps_counting_doan_co_so_only(tmp_path):
    review = open_review(_cycle_file(tmp_path, {"ty_le_duoc_xep_loai": 0.95, "so_ha_bac": 0}),
                         data=_workbook(tmp_path), nam=2021)
    t = targets(review.results, review.cycle, 2021).set_index(["ma_don_vi", "chi_tieu"])
    assert t.loc[("H2", "ty_le_duoc_xep_loai"), "ten_chi_tieu"] == "Tỉ lệ Đoàn cơ sở được đánh giá, xếp loại"
    assert t.loc[("H2", "ty_le_duoc_xep_loai"), "thuc_hien"] == 1.0
    assert t.loc[("H1", "so_ha_bac"), "thuc_hien"] == 1
    assert own_targets(review.cycle) == review.cycle.targets  # the Đoàn cơ sở sentences keep their verdict
    assert sentences(_row(review.results.year(2021).huyen, "H1"), review.cycle, 2021) == []


def test_the_report_states_the_population_once_with_its_verdict(review):
    assert "ty_le_duoc_xep_loai" not in own_targets(review.cycle)  # no verdict on Đoàn cơ sở alone
    h2 = _row(review.results.year(2021).huyen, "H2")
    assert sentences(h2, review.cycle, 2021) == [
        "Tính chung cơ sở Đoàn các cấp (1 Đoàn cơ sở và 2 chi đoàn cơ sở trực thuộc): đã đánh giá, xếp loại "
        "2/3 đơn vị, tỉ lệ 66,7% (chỉ tiêu từ 95% trở lên: chưa đạt); 0 đơn vị nâng bậc so với năm 2020, "
        "tỉ lệ 0,0% (chỉ tiêu từ 5% trở lên: chưa đạt); không có đơn vị năm 2020 xếp loại từ “hoàn thành tốt "
        "nhiệm vụ” trở lên bị hạ bậc (chỉ tiêu không có đơn vị hạ bậc: đạt)."]


# --- property: the counts add up, blanks never count ---------------------------------------------------

RATING = st.sampled_from([None, "blank", 95, 75, 55, 30, "HTTNV"])  # None: no row; "blank": a row, no rating


@st.composite
def provinces(draw):
    """Districts with some Đoàn cơ sở and some chi đoàn cơ sở, each with a 2021 rating or a blank."""
    units = [{"ma_don_vi": "H9", "ten_don_vi": "Huyện Đoàn 9", "cap": "huyen", "ma_cap_tren": "T"},
             {"ma_don_vi": "H9C0", "ten_don_vi": "Đoàn xã H9C0", "cap": "co_so", "ma_cap_tren": "H9"},
             {"ma_don_vi": "H9D0", "ten_don_vi": "Chi đoàn H9D0", "cap": "chi_doan", "ma_cap_tren": "H9"}]
    ratings = {"H9C0": 75, "H9D0": "blank"}  # both sheets have a row (a workbook without any is refused)
    for h in range(1, draw(st.integers(1, 3)) + 1):
        units.append({"ma_don_vi": f"H{h}", "ten_don_vi": f"Huyện Đoàn {h}", "cap": "huyen", "ma_cap_tren": "T"})
        for i in range(draw(st.integers(0, 3))):
            ma = f"H{h}C{i}"
            units.append({"ma_don_vi": ma, "ten_don_vi": f"Đoàn xã {ma}", "cap": "co_so", "ma_cap_tren": f"H{h}"})
            ratings[ma] = draw(RATING)
        for i in range(draw(st.integers(0, 3))):
            ma = f"H{h}D{i}"
            units.append({"ma_don_vi": ma, "ten_don_vi": f"Chi đoàn {ma}", "cap": "chi_doan", "ma_cap_tren": f"H{h}"})
            ratings[ma] = draw(RATING)
    return [{"ma_don_vi": "T", "ten_don_vi": "Tỉnh Đoàn Thử", "cap": "tinh", "ma_cap_tren": None}, *units], ratings


def _rating(value) -> dict:
    return {} if value == "blank" else {"xep_loai": value} if isinstance(value, str) else {"diem": value}


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(provinces())
def test_population_counts_add_up_and_blanks_never_count(tmp_path_factory, province):
    tree, ratings = province
    folder = tmp_path_factory.mktemp("pop")
    cd = [branch(ma, 2021, **_rating(v)) for ma, v in ratings.items() if "D" in ma and v is not None]
    cs = [{"ma_don_vi": ma, "nam": 2021, **ALL_CD, **_rating(v)} for ma, v in ratings.items()
          if "C" in ma and v is not None]
    review = open_review(_cycle_file(folder, WIDE), data=write_exchange(folder / "p.xlsx", tree, cd, cs), nam=2021)
    y = review.results.year(2021)
    h, t = y.huyen.set_index("ma_don_vi"), y.tinh.set_index("ma_don_vi").loc["T"]
    for ma, row in h.iterrows():
        mine = {k: v for k, v in ratings.items() if k.startswith(f"{ma}C") or k.startswith(f"{ma}D")}
        rated = sum(v not in (None, "blank") for v in mine.values())
        assert row["so_co_so_doan"] == row["so_co_so"] + row["so_chi_doan_co_so"] == len(mine)
        assert row["so_co_so_doan_duoc_xep_loai"] == rated  # a blank or a missing row is never a rating
        if mine:
            assert row["ty_le_co_so_doan_duoc_xep_loai"] == pytest.approx(rated / len(mine))
        else:
            assert pd.isna(row["ty_le_co_so_doan_duoc_xep_loai"])  # nobody to count: blank, not 0 %
        assert pd.isna(row["ty_le_co_so_doan_nang_bac"])  # one year only: no move is known
    for col in ("so_co_so_doan", "so_chi_doan_co_so", "so_co_so_doan_duoc_xep_loai"):
        assert t[col] == h[col].sum()


def test_without_chi_doan_co_so_or_last_year_the_sentence_says_so(tmp_path):
    cd, cs = small_rows()
    cd, cs = [r for r in cd if r["nam"] == 2021], [r for r in cs if r["nam"] == 2021]
    review = open_review(_cycle_file(tmp_path, WIDE), data=write_exchange(tmp_path / "mot_nam.xlsx", small_tree(), cd, cs),
                         nam=2021)
    h1 = _row(review.results.year(2021).huyen, "H1")
    assert sentences(h1, review.cycle, 2021) == [
        "Tính chung cơ sở Đoàn các cấp (2 Đoàn cơ sở, không có chi đoàn cơ sở trực thuộc): đã đánh giá, xếp loại "
        "2/2 đơn vị, tỉ lệ 100,0% (chỉ tiêu từ 95% trở lên: đạt); chưa đánh giá được việc nâng bậc, hạ bậc "
        "(không có số liệu năm 2020)."]


def test_on_the_emulation_ladder_the_guard_target_counts_doan_co_so(tmp_path):
    """Only Đoàn cơ sở carry an emulation rating in the workbook: with the ladder named, the guard
    target is the ladder's over Đoàn cơ sở (README), whatever population its indicator names."""
    cd, cs = small_rows()
    for r in cs:
        r["xep_loai_thi_dua"] = {("C1", 2020): "Vững mạnh", ("C1", 2021): "Khá"}.get((r["ma_don_vi"], r["nam"]), "Tiên tiến")
    tree = small_tree() + [{"ma_don_vi": "D1", "ten_don_vi": "Chi đoàn Bệnh viện", "cap": "chi_doan", "ma_cap_tren": "H1"}]
    cd += [branch("D1", 2020, diem=95), branch("D1", 2021, diem=80)]
    review = open_review(_cycle_file(tmp_path, WIDE, emulation_scale="scales/thi_dua_hcm.yaml"),
                         data=write_exchange(tmp_path / "thi_dua.xlsx", tree, cd, cs), nam=2021)
    row = targets(review.results, review.cycle, 2021).set_index(["ma_don_vi", "chi_tieu"]).loc[("H1", "so_ha_bac")]
    assert row["ten_chi_tieu"] == "Đoàn cơ sở xếp loại thi đua từ mức “Tiên tiến” trở lên bị hạ bậc"
    assert row["thuc_hien"] == 1 and row["don_vi_chua_dat"] == "Đoàn xã An Bình (Vững mạnh → Khá)"
    h1 = _row(review.results.year(2021).huyen, "H1")
    assert h1["so_co_so_doan_ha_bac"] == 2  # the quality rating's count is still there, not used
    said = sentences(h1, review.cycle, 2021)[0]
    assert "bị hạ bậc" not in said and said.endswith("(chỉ tiêu từ 5% trở lên: đạt).")
