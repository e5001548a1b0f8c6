"""A sơ kết 2018–2021 holding 2018 on the 2011 scale and 2019–2021 on the 2019 scale (contract §6.3):
typed ratings pass the check on their year's scale, moves across the change go through the mapping,
and without one they are unknown, never «unchanged»."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ALL_CD, branch, small_tree, write_exchange
from tongket.assessment.assess import assess
from tongket.common import paths
from tongket.errors import ERROR
from tongket.intake.check import load
from tongket.rules.params import load_cycle

SCALES = paths.resolve("params/scales")
RUBRICS = paths.resolve("params/rubrics")


def cycle_file(tmp_path: Path, scale: str, extra: str = "") -> Path:
    """A minimal cycle file naming `scale` (YAML text) and the bundled rubrics."""
    path = tmp_path / "ky.yaml"
    path.write_text(f"ten_ky: Sơ kết thử\nnam: 2021\ndata: {tmp_path / 'so_lieu.xlsx'}\nscale: {scale}\n"
                    f"rubrics:\n  chi_doan: {RUBRICS / 'chi_doan_dat_chuan.yaml'}\n"
                    f"  co_so: {RUBRICS / 'ba_chu_dong.yaml'}\ntargets:\n  so_ha_bac: 0\n  ty_le_nang_bac: 0.05\n"
                    f"{extra}", encoding="utf-8")
    return path


def scale_without_mapping(tmp_path: Path) -> Path:
    """The 2019 scale without its mapping from the 2011 scale."""
    out = tmp_path / "xep_loai_2019_rieng.yaml"
    out.write_text((SCALES / "xep_loai_2019.yaml").read_text(encoding="utf-8").split("tu_thang_truoc:")[0],
                   encoding="utf-8")
    return out


# C1: Vững mạnh (2018) → 75 points, htt (2019): down through the mapping (vung_manh counts as htxs),
#     from at or above the old guard (Khá): one unit moved down against the target.
# C2: «TB» (2018) → HTXSNV (2019): up.  C3: 70 points, Khá (2018) → HTTNV (2019): unchanged (kha → htt).
CO_SO_2018_2019 = [
    {"ma_don_vi": "C1", "nam": 2018, **ALL_CD, "xep_loai": "Vững mạnh"},
    {"ma_don_vi": "C1", "nam": 2019, **ALL_CD, "diem": 75},
    {"ma_don_vi": "C2", "nam": 2018, **ALL_CD, "xep_loai": "TB"},
    {"ma_don_vi": "C2", "nam": 2019, **ALL_CD, "xep_loai": "HTXSNV"},
    {"ma_don_vi": "C3", "nam": 2018, **ALL_CD, "diem": 70},
    {"ma_don_vi": "C3", "nam": 2019, **ALL_CD, "xep_loai": "HTTNV"},
]
LATER = [{"ma_don_vi": c, "nam": y, **ALL_CD, "xep_loai": "HTTNV"} for y in (2020, 2021) for c in ("C1", "C2", "C3")]


def workbook(path: Path, co_so: list[dict] | None = None) -> Path:
    branches = [b for y in range(2018, 2022) for b in (branch("C1.1", y, xep_loai="Khá" if y == 2018 else "HTTNV"),
                                                       branch("C2.1", y), branch("C3.1", y))]
    return write_exchange(path, small_tree(), branches, co_so or CO_SO_2018_2019 + LATER)


def two_scales(new: Path | None = None) -> str:
    return f"{{2018: {SCALES / 'xep_loai_2011.yaml'}, 2019: {new or SCALES / 'xep_loai_2019.yaml'}}}"


def rating_errors(data) -> list[str]:
    return [f"{i.row}: {i.value}: {i.rule}" for i in data.issues if i.severity == ERROR and "Xếp loại" in i.rule]


def test_one_scale_refuses_vung_manh_in_2018(tmp_path):
    path = workbook(tmp_path / "so_lieu.xlsx")
    cycle = load_cycle(cycle_file(tmp_path, str(SCALES / "xep_loai_2019.yaml")))
    errors = rating_errors(load(path, cycle.scale))
    assert len(errors) == 3  # C1 «Vững mạnh», C2 «TB» and branch C1.1 «Khá» in 2018
    assert errors[0].startswith("2: Khá: Xếp loại không có trong thang «Xếp loại chất lượng tổ chức cơ sở Đoàn")


def test_two_scales_pass_the_check_and_refuse_a_rating_of_the_wrong_year(tmp_path):
    path = workbook(tmp_path / "so_lieu.xlsx")
    cycle = load_cycle(cycle_file(tmp_path, two_scales()))
    assert rating_errors(load(path, cycle.scale)) == []
    wrong = [dict(r, xep_loai="Vững mạnh") if (r["ma_don_vi"], r["nam"]) == ("C2", 2019) else r
             for r in CO_SO_2018_2019 + LATER]
    errors = rating_errors(load(workbook(tmp_path / "sai.xlsx", wrong), cycle.scale))
    assert errors == ["5: Vững mạnh: Xếp loại không có trong thang «Xếp loại chất lượng tổ chức cơ sở Đoàn "
                      "(từ năm 2019)»: htxs (Hoàn thành xuất sắc nhiệm vụ); htt (Hoàn thành tốt nhiệm vụ); "
                      "ht (Hoàn thành nhiệm vụ); kht (Không hoàn thành nhiệm vụ)"]


@pytest.fixture
def across(tmp_path):
    path = workbook(tmp_path / "so_lieu.xlsx")
    cycle = load_cycle(cycle_file(tmp_path, two_scales()), nam=2019)
    return assess(load(path, cycle.scale), cycle)


def test_ratings_are_written_on_the_scale_of_their_year(across):
    cs = across.co_so.set_index(["ma_don_vi", "nam"])["xep_loai"]
    assert [cs[("C1", y)] for y in (2018, 2019)] == ["vung_manh", "htt"]
    assert [cs[("C3", y)] for y in (2018, 2019)] == ["kha", "htt"]  # 70 points: Khá on 2011, HTT on 2019
    cd = across.chi_doan.set_index(["ma_don_vi", "nam"])["xep_loai"]
    assert [cd[("C1.1", y)] for y in (2018, 2019)] == ["kha", "htt"]


def test_moves_across_the_change_go_through_the_mapping(across):
    cs = across.year(2019).co_so.set_index("ma_don_vi")
    assert cs["xep_loai_nam_truoc"].to_dict() == {"C1": "vung_manh", "C2": "trung_binh", "C3": "kha"}
    assert cs["bien_dong"].to_dict() == {"C1": "ha_bac", "C2": "nang_bac", "C3": "giu_nguyen"}
    t = across.year(2019).tinh.iloc[0]
    assert t["ty_le_nang_bac"] == pytest.approx(1 / 3) and t["so_ha_bac"] == 1
    h1 = across.year(2019).huyen.set_index("ma_don_vi").loc["H1"]
    assert (h1["so_ha_bac"], h1["so_htxs"], h1["so_htt"]) == (1, 1, 1)
    # each year's distribution on its own scale: no «Vững mạnh» column in 2019, no «HTXS» in 2018
    old = across.year(2018).tinh.iloc[0]
    assert (old["so_vung_manh"], old["so_kha"], old["so_trung_binh"]) == (1, 1, 1)
    assert pd.isna(old["so_htxs"]) and pd.isna(t["so_vung_manh"])


def test_without_a_mapping_the_move_is_unknown_not_unchanged(tmp_path):
    path = workbook(tmp_path / "so_lieu.xlsx")
    cycle = load_cycle(cycle_file(tmp_path, two_scales(scale_without_mapping(tmp_path))), nam=2019)
    r = assess(load(path, cycle.scale), cycle)
    cs = r.year(2019).co_so.set_index("ma_don_vi")
    assert cs["bien_dong"].isna().all() and not cs["_ha_bac_bao_ve"].any()
    t = r.year(2019).tinh.iloc[0]
    assert pd.isna(t["ty_le_nang_bac"]) and pd.isna(t["so_ha_bac"])
    later = r.year(2020).tinh.iloc[0]  # within one scale the moves are known again: C2 htxs → htt
    assert later["ty_le_nang_bac"] == 0 and later["so_ha_bac"] == 1
    from tongket.rules.periods import unmapped_warnings
    assert unmapped_warnings(cycle.scale, r.years) == [
        "Năm 2018 xếp loại theo thang «Xếp loại tổ chức cơ sở Đoàn (2011–2018)», năm 2019 theo thang «Xếp loại "
        "chất lượng tổ chức cơ sở Đoàn (từ năm 2019)», nhưng thang «xep_loai_2019» chưa khai báo cách chuyển đổi "
        "(khóa tu_thang_truoc.xep_loai_2011): chưa so sánh được nâng bậc, hạ bậc giữa năm 2018 và năm 2019 "
        "(để trống, không tính là giữ nguyên)"]


def test_one_scale_gives_the_same_results_as_before(tmp_path):
    rows = [r for r in CO_SO_2018_2019 + LATER if r["nam"] >= 2019]
    path = workbook(tmp_path / "so_lieu.xlsx", rows)
    plain = load_cycle(cycle_file(tmp_path, str(SCALES / "xep_loai_2019.yaml")))
    under_years = load_cycle(cycle_file(tmp_path, f"{{2019: {SCALES / 'xep_loai_2019.yaml'}}}"))
    a = assess(load(path, plain.scale), plain).tables()
    b = assess(load(path, under_years.scale), under_years).tables()
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name])
    assert "_bien_dong_khong_ro" not in a["co_so"]


_SCALE: dict = {}


def _scale(factory: pytest.TempPathFactory):
    if "s" not in _SCALE:
        _SCALE["s"] = load_cycle(cycle_file(factory.mktemp("k"), two_scales()), nam=2019).scale
    return _SCALE["s"]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(["vung_manh", "kha", "trung_binh", "yeu", None]), min_size=3, max_size=3),
       st.lists(st.sampled_from(["htxs", "htt", "ht", "kht", None]), min_size=3, max_size=3))
def test_moves_across_the_change_add_up(tmp_path_factory, old, new):
    """Up + same + down + new = rated units; a blank rating is never a move; the guard counts only falls."""
    from tongket.assessment.periods import movement

    scale = _scale(tmp_path_factory)
    frame = pd.DataFrame({"ma_don_vi": ["A", "B", "C"] * 2, "nam": pd.array([2018] * 3 + [2019] * 3, dtype="Int64"),
                          "xep_loai": pd.Series(old + new, dtype=object)})
    out = movement(frame, scale, "xep_loai", "xep_loai_nam_truoc", "bien_dong", "_ha_bac_bao_ve")
    now = out[out["nam"] == 2019]
    rated = now["xep_loai"].notna()
    assert now["bien_dong"].notna().sum() == rated.sum()
    assert (now.loc[rated & now["xep_loai_nam_truoc"].isna(), "bien_dong"] == "moi").all()
    assert (now.loc[now["_ha_bac_bao_ve"], "bien_dong"] == "ha_bac").all()


EMULATION = f"emulation_scale: {SCALES / 'thi_dua_hcm.yaml'}\n"


def emulation_workbook(path: Path) -> Path:
    """C1 «Vững mạnh» → «Khá» on the emulation ladder (down from above «Tiên tiến»), its quality
    rating unchanged; C2 «Tiên tiến» → «Tiên tiến»; C3 without an emulation rating."""
    ladder = {("C1", 2020): "Vững mạnh", ("C1", 2021): "Khá", ("C2", 2020): "TT", ("C2", 2021): "Tiên tiến"}
    co_so = [{"ma_don_vi": c, "nam": y, **ALL_CD, "xep_loai": "HTTNV", "xep_loai_thi_dua": ladder.get((c, y))}
             for y in (2020, 2021) for c in ("C1", "C2", "C3")]
    branches = [branch(c, y) for y in (2020, 2021) for c in ("C1.1", "C2.1", "C3.1")]
    return write_exchange(path, small_tree(), branches, co_so)


def test_the_guard_target_uses_the_emulation_ladder_when_named(tmp_path):
    from tongket.assessment.targets import targets
    from tongket.documents.narrative import xep_loai

    path = emulation_workbook(tmp_path / "so_lieu.xlsx")
    cycle = load_cycle(cycle_file(tmp_path, str(SCALES / "xep_loai_2019.yaml"), EMULATION))
    r = assess(load(path, cycle.scale, cycle.emulation), cycle)
    t = targets(r, cycle, 2021)
    row = t[(t["ma_don_vi"] == "H1") & (t["chi_tieu"] == "so_ha_bac")].iloc[0]
    assert row["ten_chi_tieu"] == "Đoàn cơ sở xếp loại thi đua từ mức “Tiên tiến” trở lên bị hạ bậc"
    assert (row["thuc_hien"], row["dat"], row["don_vi_chua_dat"]) == (1, False, "Đoàn xã An Bình (Vững mạnh → Khá)")
    province = t[(t["ma_don_vi"] == "T") & (t["chi_tieu"] == "so_ha_bac")].iloc[0]
    assert province["thuc_hien"] == 1
    year = r.year(2021)
    h1 = year.huyen.set_index("ma_don_vi").loc["H1"]
    assert h1["so_ha_bac"] == 0 and h1["so_ha_bac_thi_dua"] == 1  # the quality rating did not move
    words = xep_loai(h1, year.co_so[year.co_so["ma_huyen"] == "H1"], cycle.scale, cycle.targets, 2021,
                     cycle.emulation)
    assert words[-1] == ("Có 1 Đoàn cơ sở năm 2020 xếp loại thi đua từ “tiên tiến” trở lên bị hạ bậc (chỉ tiêu: "
                         "không có đơn vị hạ bậc): Đoàn xã An Bình (vững mạnh → khá).")
    # without the ladder named: the quality rating's guard, as before
    plain = load_cycle(cycle_file(tmp_path, str(SCALES / "xep_loai_2019.yaml")))
    t = targets(assess(load(path, plain.scale), plain), plain, 2021)
    row = t[(t["ma_don_vi"] == "H1") & (t["chi_tieu"] == "so_ha_bac")].iloc[0]
    assert row["ten_chi_tieu"] == "Đoàn cơ sở từ mức “Hoàn thành tốt nhiệm vụ” trở lên bị hạ bậc"
    assert row["thuc_hien"] == 0 and bool(row["dat"]) is True


def test_an_emulation_downgrade_with_no_ladder_last_year_is_unknown(tmp_path):
    path = emulation_workbook(tmp_path / "so_lieu.xlsx")
    cycle = load_cycle(cycle_file(tmp_path, str(SCALES / "xep_loai_2019.yaml"), EMULATION), nam=2020)
    year = assess(load(path, cycle.scale, cycle.emulation), cycle).year(2020)
    assert pd.isna(year.tinh.iloc[0]["so_ha_bac_thi_dua"])  # no 2019 ladder: unknown, not 0


def test_the_report_says_a_move_across_a_change_cannot_be_judged(tmp_path):
    from tongket.documents.narrative import xep_loai

    path = workbook(tmp_path / "so_lieu.xlsx")
    cycle = load_cycle(cycle_file(tmp_path, two_scales(scale_without_mapping(tmp_path))), nam=2019)
    year = assess(load(path, cycle.scale), cycle).year(2019)
    words = xep_loai(year.tinh.iloc[0], year.co_so, cycle.scale, cycle.targets, 2019)
    assert words[0] == ("Đã đánh giá, xếp loại 3/3 Đoàn cơ sở, tỉ lệ 100,0%; trong đó 1 hoàn thành xuất sắc nhiệm "
                        "vụ, 2 hoàn thành tốt nhiệm vụ; không có Đoàn cơ sở xếp loại “hoàn thành nhiệm vụ” hoặc "
                        "“không hoàn thành nhiệm vụ”.")
    assert words[1] == ("Chưa so sánh được việc nâng bậc, hạ bậc xếp loại với năm 2018: năm 2018 xếp loại theo "
                        "“Xếp loại tổ chức cơ sở Đoàn (2011–2018)”, năm 2019 theo “Xếp loại chất lượng tổ chức cơ sở "
                        "Đoàn (từ năm 2019)”, chưa có quy định chuyển đổi giữa hai thang.")
    mapped = load_cycle(cycle_file(tmp_path, two_scales()), nam=2019)
    year = assess(load(path, mapped.scale), mapped).year(2019)
    words = xep_loai(year.tinh.iloc[0], year.co_so, mapped.scale, mapped.targets, 2019)
    assert words[1] == "Có 1 Đoàn cơ sở nâng bậc xếp loại so với năm 2018, tỉ lệ 33,3% (chỉ tiêu từ 5% trở lên: đạt)."
    assert words[2] == ("Có 1 Đoàn cơ sở năm 2018 xếp loại từ “khá” trở lên bị hạ bậc (chỉ tiêu: không có đơn vị "
                        "hạ bậc): Đoàn xã An Bình (vững mạnh → hoàn thành tốt nhiệm vụ).")


def test_the_transitions_name_last_years_levels_on_their_own_scale(across):
    from tongket.assessment.compare import transitions

    t = transitions(across.co_so, across.scale, 2019, "ma_tinh")
    assert sorted(zip(t["tu"], t["den"], t["so_don_vi"])) == [
        ("Khá", "Hoàn thành tốt nhiệm vụ", 1), ("Trung bình", "Hoàn thành xuất sắc nhiệm vụ", 1),
        ("Vững mạnh", "Hoàn thành tốt nhiệm vụ", 1)]


def test_the_report_of_2019_speaks_of_2018_on_its_own_scale(tmp_path):
    from tongket.assessment.review import open_review
    from tongket.documents.contexts import bao_cao_tong_ket

    workbook(tmp_path / "so_lieu.xlsx")
    ctx, _ = bao_cao_tong_ket(open_review(cycle_file(tmp_path, two_scales()), nam=2019), "H1", 2019)
    assert ctx["cau"]["xep_loai"][2] == ("Có 1 Đoàn cơ sở năm 2018 xếp loại từ “khá” trở lên bị hạ bậc (chỉ tiêu: "
                                         "không có đơn vị hạ bậc): Đoàn xã An Bình (vững mạnh → hoàn thành tốt nhiệm "
                                         "vụ).")
    rows = {r["chi_tieu"]: r for r in ctx["phu_luc"]}
    assert "Đoàn cơ sở xếp loại từ “Khá” trở lên bị hạ bậc" in rows
    targets = {r["chi_tieu"]: r for r in ctx["chi_tieu"]}
    assert targets["Đoàn cơ sở từ mức “Khá” trở lên bị hạ bậc"]["thuc_hien"] == "1"
    # H1 holds 7 branches; 2 sent 2019 figures, 1 of them rated: the 5 that sent nothing are not rated
    assert ctx["xep_loai_chi_doan"]["cau"] == [
        "Đã đánh giá, xếp loại 1/7 chi đoàn (5 chi đoàn chưa gửi số liệu), tỉ lệ 14,3%; trong đó 1 hoàn thành tốt nhiệm vụ (100,0%)."]
