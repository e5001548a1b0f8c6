"""Every rule of the seeds as data: scales by period, score sheets, programmes, targets,
comparisons across years, special units and the verification sample — at their boundaries."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from conftest import ALL_CD, ROOT, small_rows, small_tree, write_exchange
from tongket import open_review
from tongket.assessment.assess import assess
from tongket.assessment.compare import transition_matrix
from tongket.errors import ConfigError
from tongket.intake.check import load
from tongket.pipeline import analysis_tables
from tongket.rules.params import load_cycle
from tongket.rules.rubric import evaluate, load_rubric
from tongket.rules.scales import load_scale
from tongket.rules.scoresheet import load_score_sheet, score, write_excel
from tongket.rules.verification import sample

SCALES = ROOT / "params/scales"


def _rate(scale_file: str, rows: list[dict]) -> list:
    scale = load_scale(SCALES / scale_file)
    frame = pd.DataFrame(rows)
    for c in ("hoan_thanh_dung_han", "hoan_thanh_tat_ca"):
        if c in frame:
            frame[c] = frame[c].astype("boolean")
    return scale.from_score(frame["diem"], frame).tolist()


@pytest.mark.parametrize("diem, expected", [(100, "htxs"), (90, "htxs"), (89.9, "htt"), (70, "htt"), (69.9, "ht"),
                                            (50, "ht"), (49.9, "kht"), (0, "kht")])
def test_scale_2019_bands(diem, expected):
    assert _rate("xep_loai_2019.yaml", [{"diem": diem}]) == [expected]


@pytest.mark.parametrize("diem, expected", [(80, "vung_manh"), (79.9, "kha"), (65, "kha"), (64.9, "trung_binh"),
                                            (50, "trung_binh"), (49.9, "yeu")])
def test_scale_2011_bands(diem, expected):
    assert _rate("xep_loai_2011.yaml", [{"diem": diem}]) == [expected]


ON_TIME = {"hoan_thanh_dung_han": True, "hoan_thanh_tat_ca": True, "ty_le_tre_han": 0.0}


@pytest.mark.parametrize("row, expected", [
    ({"diem": 90, **ON_TIME, "ty_le_vuot_yeu_cau": 0.30}, "htxs"),
    ({"diem": 90, **ON_TIME, "ty_le_vuot_yeu_cau": 0.29}, "htt"),  # not 30 % beyond requirements
    ({"diem": 95, **ON_TIME, "ty_le_vuot_yeu_cau": None}, "htt"),  # a blank condition does not hold
    ({"diem": 89.9, **ON_TIME, "ty_le_vuot_yeu_cau": 0.5}, "htt"),
    ({"diem": 95, "hoan_thanh_dung_han": False, "hoan_thanh_tat_ca": True, "ty_le_tre_han": 0.2,
      "ty_le_vuot_yeu_cau": 0.5}, "ht"),  # late tasks: at most ht
    ({"diem": 95, "hoan_thanh_dung_han": False, "hoan_thanh_tat_ca": True, "ty_le_tre_han": 0.21,
      "ty_le_vuot_yeu_cau": 0.5}, "kht"),  # more than 20 % late
    ({"diem": 60, "hoan_thanh_dung_han": False, "hoan_thanh_tat_ca": False, "ty_le_tre_han": 0.0,
      "ty_le_vuot_yeu_cau": 0.0}, "kht"),  # a task not done
    ({"diem": 49.9, **ON_TIME, "ty_le_vuot_yeu_cau": 0.5}, "kht"),
])
def test_rule_2025_score_plus_conditions(row, expected):
    assert _rate("xep_loai_2025.yaml", [row]) == [expected]


def test_hcmc_emulation_ladder_order_and_abbreviations():
    ladder = load_scale(SCALES / "thi_dua_hcm.yaml")
    assert ladder.codes == ["xuat_sac", "vung_manh", "tien_tien", "kha", "trung_binh"]
    assert ladder.guard == "tien_tien"
    codes, unknown = ladder.resolve(pd.Series(["XS", "Vững mạnh", "tiên tiến", "TT", "Trung binh", "Giỏi"]))
    assert codes.tolist()[:5] == ["xuat_sac", "vung_manh", "tien_tien", "tien_tien", "trung_binh"]
    assert unknown.tolist() == [False] * 5 + [True]


@pytest.mark.parametrize("n_htxs, n_htt, warns", [(2, 10, False), (3, 10, True), (0, 0, False), (1, 0, True)])
def test_cap_check_warns_and_never_blocks(n_htxs, n_htt, warns):
    scale = load_scale(SCALES / "xep_loai_2025.yaml")
    w = scale.cap_warnings(pd.Series(["htxs"] * n_htxs + ["htt"] * n_htt), "Huyện Đoàn A")
    assert bool(w) is warns
    if warns:
        assert w[0].startswith(f"Huyện Đoàn A: {n_htxs} đơn vị «Hoàn thành xuất sắc nhiệm vụ» vượt mức trần 20%")


def test_broken_scale_names_the_file(tmp_path):
    p = tmp_path / "s.yaml"
    p.write_text((SCALES / "xep_loai_2019.yaml").read_text(encoding="utf-8").replace("guard: htt", "guard: tot"),
                 encoding="utf-8")
    with pytest.raises(ConfigError, match="Thang xếp loại s.yaml: mức bảo vệ «tot» không có trong thang"):
        load_scale(p)


def test_rubric_applies_to_years_and_special_units(tmp_path):
    text = (ROOT / "params/rubrics/chi_doan_dat_chuan.yaml").read_text(encoding="utf-8")
    p = tmp_path / "r.yaml"
    p.write_text(text.replace("  loai_hinh: [dan_cu]", "  loai_hinh: [dan_cu]\n  dac_thu: false\n"
                                                        "  years: {from: 2019, to: 2022}"), encoding="utf-8")
    rubric = load_rubric(p)
    frame = pd.DataFrame({"loai_hinh": ["dan_cu"] * 4, "dac_thu": [False, False, False, True],
                          "nam": [2018, 2019, 2023, 2020], "so_dv_vi_pham_phap_luat": [0, 0, 0, 0]})
    res = evaluate(rubric, frame)
    assert res["tc1"].isna().tolist() == [True, False, True, True]


def test_rubric_rejects_unknown_unit_kind(tmp_path):
    p = tmp_path / "r.yaml"
    p.write_text((ROOT / "params/rubrics/chi_doan_dat_chuan.yaml").read_text(encoding="utf-8")
                 .replace("loai_hinh: [dan_cu]", "loai_hinh: [dan_cuu]"), encoding="utf-8")
    with pytest.raises(ConfigError, match="Bộ tiêu chí r.yaml, applies_to: loại hình không hợp lệ «dan_cuu»"):
        load_rubric(p)


# ---- score sheets ----------------------------------------------------------------------------

SHEET = load_score_sheet(ROOT / "params/bang_diem/bang_diem_mau.yaml")


@pytest.mark.parametrize("rate, points", [(0.9, 24), (0.8999, 18), (0.75, 18), (0.7499, 10), (0.5, 10), (0.4999, 0)])
def test_score_sheet_steps(rate, points):
    m = pd.DataFrame({"ma_don_vi": ["C"], "nam": [2021], **{k: [0] for k in
                      ("so_hoat_dong_van_hoa_the_thao", "nhom1", "so_cong_trinh_thanh_nien", "so_doi_hinh_tinh_nguyen",
                       "so_mo_hinh_kinh_te", "so_gioi_thieu_viec_lam", "dot_cao_diem", "ba_chu_dong", "ty_le_ket_nap",
                       "so_gioi_thieu_dang", "ty_le_tap_hop", "ty_le_bi_thu_tap_huan", "ty_le_sinh_hoat_du")},
                      "ty_le_dat_chuan": [rate]})
    out = score(SHEET, m).iloc[0]
    assert out["diem_xd1"] == points and out["tong_diem"] == points + 0  # nothing else scores


def test_score_sheet_given_items_verified_wins_and_missing_means_not_rated():
    m = pd.DataFrame({"ma_don_vi": ["A", "B"], "nam": [2021, 2021]})
    for it in SHEET.items:
        if it.measure:
            m[it.measure] = 0
    given = pd.DataFrame([{"ma_don_vi": u, "nam": 2021, "ma_muc": it.id, "tu_cham": it.max_points,
                           "tham_dinh": it.max_points - 1} for u in ("A", "B") for it in SHEET.items
                          if it.measure is None and not (u == "B" and it.id == "qt1")])
    given.loc[given["ma_muc"] == "d1", "tham_dinh"] = None  # self-score only
    out = score(SHEET, m, given)
    a, b = out.iloc[0], out.iloc[1]
    given_max = sum(it.max_points for it in SHEET.items if it.measure is None)
    assert a["tong_diem"] == given_max - 4  # four verified items, one less each; d1 self-score in full
    assert a["diem_bang_diem"] == round((given_max - 4) / 400 * 100, 1) and a["thieu_diem"] == ""
    assert b["thieu_diem"] == "qt1" and pd.isna(b["diem_bang_diem"])


def test_sample_sheet_structure_is_the_domain_example():
    assert [(g.id, g.max_points) for g in SHEET.groups] == [
        ("tuyen_truyen", 76), ("phong_trao", 170), ("to_chuc", 74), ("doi", 30), ("quoc_te", 20), ("kiem_tra", 30)]
    assert SHEET.example and "VÍ DỤ" in SHEET.name


def test_excel_score_sheet_equals_yaml(tmp_path):
    bundled = load_score_sheet(ROOT / "params/bang_diem/bang_diem_mau.xlsx")
    assert bundled.groups == SHEET.groups
    p = write_excel(load_score_sheet(ROOT / "params/bang_diem/bang_diem_dac_thu.yaml"), tmp_path / "dt.xlsx")
    assert load_score_sheet(p).groups == load_score_sheet(ROOT / "params/bang_diem/bang_diem_dac_thu.yaml").groups


def test_analyst_filled_excel_sheet(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Bảng điểm"
    ws.append(["BẢNG ĐIỂM THI ĐUA NĂM 2022"])
    ws.append(["Nhom", "Ten nhom", "Ma muc", "Noi dung", "Diem toi da", "Chi so do", "Muc diem"])
    ws.append(["A", "Tổ chức", "a1", "Chi đoàn đạt chuẩn", 60, "ty_le_dat_chuan", "≥ 90%: 60; >=75%:40"])
    ws.append(["A", "Tổ chức", "a2", "Tự đánh giá", 40, None, None])
    wb.save(tmp_path / "bd.xlsx")
    sheet = load_score_sheet(tmp_path / "bd.xlsx")
    assert sheet.max_points == 100
    assert sheet.items[0].steps == ((">=", 0.9, 60.0), (">=", 0.75, 40.0)) and sheet.items[1].measure is None


@pytest.mark.parametrize("column, typed", [(3, "nan"), (4, "#REF!"), (6, "NULL")])
def test_an_excel_score_sheet_cell_that_holds_no_value_is_refused(tmp_path, column, typed):
    """A label «nan» would be printed on every assessment sheet, a «#REF!» read as points: refused."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Nhom", "Ten nhom", "Ma muc", "Noi dung", "Diem toi da", "Chi so do", "Muc diem"])
    ws.append(["A", "Tổ chức", "a1", "Chi đoàn đạt chuẩn", 60, "ty_le_dat_chuan", "≥ 90%: 60; >=75%:40"])
    row = ["A", "Tổ chức", "a2", "Tự đánh giá", 40, None, None]
    row[column] = typed
    ws.append(row)
    wb.save(tmp_path / "bd.xlsx")
    with pytest.raises(ConfigError) as info:
        load_score_sheet(tmp_path / "bd.xlsx")
    label = {3: "Nội dung", 4: "Điểm tối đa", 6: "Mức điểm"}[column]
    assert str(info.value).startswith(f"Bảng điểm bd.xlsx, dòng 3, cột «{label}»: ô ghi «{typed}», không phải nội dung")


@pytest.mark.parametrize("change, message", [
    (("measure: ty_le_dat_chuan", "measure: ty_le_dat"), "Bảng điểm b.yaml, mục «xd1»: chỉ số đo không tồn tại «ty_le_dat»"),
    (("{op: \">=\", value: 0.9, points: 24}", "{op: \">=\", value: 0.9, points: 25}"),
     "Bảng điểm b.yaml, mục «xd1»: mức 25 điểm vượt điểm tối đa 24"),
    (("  - id: tt2\n", "  - id: tt1\n"), "Bảng điểm b.yaml, mục «tt1»: mã mục bị trùng"),
])
def test_broken_score_sheet(tmp_path, change, message):
    p = tmp_path / "b.yaml"
    text = (ROOT / "params/bang_diem/bang_diem_mau.yaml").read_text(encoding="utf-8")
    assert change[0] in text
    p.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_score_sheet(p)
    assert str(info.value).startswith(message)


def test_every_yaml_and_excel_sheet_under_params_loads():
    for p in ROOT.joinpath("params").rglob("*"):
        if p.suffix == ".yaml" and "rubrics" in p.parts:
            assert load_rubric(p).criteria
        elif p.suffix == ".yaml" and "scales" in p.parts and "periods:" in p.read_text(encoding="utf-8"):
            from tongket.rules.members import load_member_scale

            assert load_member_scale(p).levels(2021)  # the member scale by period
        elif p.suffix == ".yaml" and "scales" in p.parts:
            assert load_scale(p).levels
        elif p.suffix in (".yaml", ".xlsx") and "bang_diem" in p.parts:
            assert load_score_sheet(p).max_points > 0
        elif p.suffix == ".yaml":
            assert load_cycle(p).score_sheets


def test_special_units_are_scored_on_their_own_sheet(sample_review):
    cs = sample_review.results.year(2021).co_so
    assert set(cs.loc[cs["dac_thu"].astype(bool), "bang_diem"]) == {"bang_diem_dac_thu"}
    assert set(cs.loc[~cs["dac_thu"].astype(bool), "bang_diem"]) == {"bang_diem_mau"}


# ---- programmes, targets, comparisons ----------------------------------------------------------

@pytest.fixture
def small(tmp_path):
    tree = small_tree()
    tree[5]["dac_thu"] = "Có"  # C3 is a special unit
    tree[5]["to_cong_tac"] = "Tổ công tác số 1"
    cd, cs = small_rows()
    half = [{"ma_don_vi": "C1.1", "nam": 2021, "ky": 1, "so_doan_vien": 20, "so_dv_gioi_thieu_1_1": 4,
             "so_thanh_nien_1_1": 5},
            {"ma_don_vi": "C1.1", "nam": 2021, "ky": 2, "so_doan_vien": 20, "so_dv_gioi_thieu_1_1": 10,
             "so_thanh_nien_1_1": 12}]
    path = write_exchange(tmp_path / "x.xlsx", tree, cd, cs)
    wb = openpyxl.load_workbook(path)
    ws = wb.create_sheet("mot_cong_mot")
    ws.append(list(half[0]))
    for r in half:
        ws.append(list(r.values()))
    wb.save(path)
    return open_review(data=path, nam=2021)


def test_targets_list_the_units_that_miss_them(small):
    t = analysis_tables(small)["chi_tieu"].set_index(["ma_don_vi", "chi_tieu"])
    row = t.loc[("H1", "so_ha_bac")]
    assert (row["muc_tieu"], row["thuc_hien"], bool(row["dat"])) == (0, 1, False)
    assert row["don_vi_chua_dat"] == "Đoàn xã An Bình (Hoàn thành tốt nhiệm vụ → Hoàn thành nhiệm vụ)"
    phase = t.loc[("H1", "muc_tieu_giai_doan")]
    assert phase["thuc_hien"] == 0.5 and not bool(phase["dat"])
    assert phase["don_vi_chua_dat"] == "Đoàn xã An Bình (75,0%)"
    assert t.loc[("H1", "ty_le_duoc_xep_loai"), "dat"] and t.loc[("H1", "ty_le_nang_bac"), "dat"]


def test_transition_matrix(small):
    m = transition_matrix(small.results.co_so, small.cycle.scale, 2021, "H1")
    assert m.loc["Hoàn thành tốt nhiệm vụ", "Hoàn thành nhiệm vụ"] == 1  # C1 moved down
    assert m.loc["Hoàn thành nhiệm vụ", "Hoàn thành xuất sắc nhiệm vụ"] == 1  # C2 moved up
    assert int(m.to_numpy().sum()) == 2


def test_special_units_tracker(small):
    t = analysis_tables(small)["dac_thu"]
    assert t[["ma_don_vi", "to_cong_tac"]].values.tolist() == [["C3", "Tổ công tác số 1"]]
    assert t.iloc[0]["bien_dong"] == "moi" and not t.iloc[0]["cong_nhan_tien_bo"]
    assert t.iloc[0]["bang_diem"] == "bang_diem_dac_thu"


def test_half_year_one_plus_one(small):
    m = analysis_tables(small)["mot_cong_mot"]
    c1 = m[(m["ma_don_vi"] == "C1") & (m["nam"] == 2021)].set_index("ky")
    assert c1.loc[1, "so_dv_gioi_thieu_1_1"] == 4 and c1.loc[2, "so_thanh_nien_1_1"] == 12
    assert c1.loc[2, "ty_le_dv_1_1"] == pytest.approx(0.5)


def test_multi_year_table(small):
    n = analysis_tables(small)["nhieu_nam"]
    row = n[(n["ma_don_vi"] == "H1") & (n["chi_tieu"] == "Chi đoàn trên địa bàn dân cư đạt chuẩn")].iloc[0]
    assert (row["2020"], row["2021"], row["thay_doi"]) == (4, 5, 1)  # C2.2 reached 5 new members in 2021


# ---- the random verification sample ------------------------------------------------------------

def test_verification_sample_is_reproducible_and_sized(sample_review):
    cd = sample_review.results.chi_doan
    a = sample(cd, 2021, 0.2, 1, 2021)
    b = sample(cd, 2021, 0.2, 1, 2021)
    pd.testing.assert_frame_equal(a, b)
    assert (a["hat_giong"] == 2021).all()
    passing = cd[(cd["nam"] == 2021) & cd["dat_chuan"].fillna(False).astype(bool)]
    assert set(a["ma_don_vi"]) <= set(passing["ma_don_vi"])
    for code, rows in a.groupby("ma_co_so"):
        k = int((passing["ma_co_so"] == code).sum())
        assert len(rows) == min(k, max(1, -(-k // 5)))  # max(1, ⌈20 % of k⌉)
    other = sample(cd, 2021, 0.2, 1, 7)
    assert set(other["ma_don_vi"]) != set(a["ma_don_vi"])


@pytest.mark.parametrize("k, share, minimum, expected", [(10, 0.2, 1, 2), (11, 0.2, 1, 3), (3, 0.2, 1, 1),
                                                         (3, 0.2, 5, 3), (0, 0.2, 1, 0)])
def test_verification_sample_size(k, share, minimum, expected):
    cd = pd.DataFrame({"ma_don_vi": [f"B{i}" for i in range(k)], "ten_don_vi": "x", "nam": 2021,
                       "ma_co_so": "C", "dat_chuan": pd.array([True] * k, dtype="boolean")})
    assert len(sample(cd, 2021, share, minimum, 1)) == expected


# ---- the emulation ladder tracked beside the quality rating [000] ------------------------------

def test_emulation_ladder_moving_down_from_tien_tien(tmp_path):
    cd, cs = small_rows()
    cs[0]["xep_loai_thi_dua"], cs[1]["xep_loai_thi_dua"] = "Tiên tiến", "Khá"  # C1: at guard, moves down
    cs[2]["xep_loai_thi_dua"], cs[3]["xep_loai_thi_dua"] = "Khá", "Trung bình"  # C2: below guard
    path = write_exchange(tmp_path / "x.xlsx", small_tree(), cd, cs)
    cycle = load_cycle(data=path, nam=2021)
    cycle.emulation = load_scale(SCALES / "thi_dua_hcm.yaml")
    d = load(path, cycle.scale, cycle.emulation)
    assert d.errors == []
    r = assess(d, cycle).year(2021)
    c = r.co_so.set_index("ma_don_vi")
    assert c.loc["C1", "bien_dong_thi_dua"] == "ha_bac" and c.loc["C2", "bien_dong_thi_dua"] == "ha_bac"
    assert r.huyen.set_index("ma_don_vi").loc["H1", "so_ha_bac_thi_dua"] == 1


def test_unknown_emulation_rating_is_an_error(tmp_path):
    cd, cs = small_rows()
    cs[0]["xep_loai_thi_dua"] = "Giỏi"
    path = write_exchange(tmp_path / "x.xlsx", small_tree(), cd, cs)
    d = load(path, load_scale(SCALES / "xep_loai_2019.yaml"), load_scale(SCALES / "thi_dua_hcm.yaml"))
    assert len(d.errors) == 1
    assert d.errors[0].column == "Xếp loại thi đua (R)" and d.errors[0].value == "Giỏi"
    assert d.errors[0].rule.startswith("Xếp loại không có trong thang «Xếp loại thi đua (Thành Đoàn TP. Hồ Chí Minh)»")


def test_all_cd_fixture_is_complete():
    assert len(ALL_CD) == 13


def test_every_condition_is_explained_met_or_not(sample_review):
    from tongket import explain_unit

    e = explain_unit(sample_review, "ST03.05.02", 2021)
    assert len(e) == 16  # 16 conditions in tc1–tc7
    row = e[e["Chỉ số"] == "Số lần sinh hoạt"].iloc[0]
    cd = sample_review.results.chi_doan
    measured = int(cd[(cd["ma_don_vi"] == "ST03.05.02") & (cd["nam"] == 2021)]["so_lan_sinh_hoat"].iloc[0])
    assert row["Giá trị"] == str(measured) and row["Yêu cầu"] == "ít nhất 8"
    assert row["Điều kiện"] == ("Đạt" if measured >= 8 else "Không đạt")
    fee = e[e["Chỉ số"] == "Số đoàn viên đóng đủ đoàn phí"].iloc[0]
    assert fee["Yêu cầu"].startswith("ít nhất bằng số đoàn viên (")


def test_the_cycle_maps_unit_kinds_to_sheets(sample_review):
    import dataclasses

    sheets = {**sample_review.cycle.score_sheets,
              "co_quan": load_score_sheet(ROOT / "params/bang_diem/bang_diem_dac_thu.yaml")}
    cycle = dataclasses.replace(sample_review.cycle, score_sheets=sheets)
    cs = assess(sample_review.data, cycle).year(2021).co_so
    ordinary = ~cs["dac_thu"].astype(bool)
    assert set(cs.loc[ordinary & (cs["loai_hinh"] == "co_quan"), "bang_diem"]) == {"bang_diem_dac_thu"}
    assert set(cs.loc[ordinary & (cs["loai_hinh"] == "dan_cu"), "bang_diem"]) == {"bang_diem_mau"}


# ---- the cycle file's sections: typed, every key with its default and help (issue 17) -----------

def _cycle_with(tmp_path, **sections):
    """The bundled sample cycle with `sections` replaced, its paths absolute, in tmp_path."""
    import yaml

    from tongket.common import paths

    raw = yaml.safe_load(paths.DEFAULT_CYCLE.read_text(encoding="utf-8"))
    base = paths.DEFAULT_CYCLE.parent
    for key in ("data", "scale", "text_dir"):
        raw[key] = str((base / raw[key]).resolve())
    for group in ("rubrics", "score_sheets"):
        raw[group] = {k: str((base / v).resolve()) for k, v in raw[group].items()}
    raw.update(sections)
    out = tmp_path / "ky.yaml"
    out.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return out


def test_every_key_of_a_section_has_its_default_and_help():
    from tongket.rules.settings import Documents, Plan, Programme, Texts, Verification

    assert Verification.help().keys() == {"share", "min", "seed"}
    assert (Verification().share, Verification().minimum, Verification().seed) == (0.2, 1, 0)
    assert Programme.help().keys() == {"tu_nam", "den_nam", "ten", "ke_hoach"}
    for section in (Documents, Plan, Programme, Texts, Verification):
        assert all(len(text) > 20 for text in section.help().values()), section


def test_the_sample_cycle_reads_its_sections_typed_and_as_before():
    import dataclasses
    from datetime import date

    cycle = load_cycle()
    assert (cycle.so_ket.tu_nam, cycle.so_ket.den_nam, cycle.so_ket.ke_hoach.ngay) == (2018, 2022, date(2018, 7, 9))
    assert (cycle.verification.share, cycle.verification.minimum, cycle.verification.seed) == (0.2, 1, 2021)
    assert cycle.documents.types["tinh"][:4] == ("bao_cao_tong_hop", "bao_cao_so_ket", "phu_luc_so_lieu",
                                                 "danh_sach_tham_dinh")  # then the documents of issues 18/19
    with pytest.raises(dataclasses.FrozenInstanceError):
        cycle.verification.seed = 1  # type: ignore[misc]


@pytest.mark.parametrize("section, value, message", [
    ("verification", {"share": 20}, "khóa verification.share: «20» không phải tỉ lệ (tỉ lệ từ 0 đến 1). Cách sửa: gõ 0.2"),
    ("verification", {"share": 0}, "khóa verification.share: tỉ lệ «0» nằm ngoài khoảng (0; 1]"),
    ("verification", {"min": -1}, "khóa verification.min: cần một số nguyên từ 0 trở lên, gặp «-1»"),
    ("verification", {"seed": 1.5}, "khóa verification.seed: cần một số nguyên từ 0 trở lên, gặp «1.5»"),
    ("verification", "0.2", "khóa verification: cần các cặp «khóa: giá trị», gặp «0.2»"),
    ("so_ket", {"tu_nam": "hai nghìn"}, "khóa so_ket.tu_nam: «hai nghìn» không phải năm"),
    ("so_ket", {"ke_hoach": {"ngay": "09/07/2018"}}, "khóa so_ket.ke_hoach.ngay: Ngày không hợp lệ «09/07/2018»"),
    ("documents", {"types": {"huyen": "bao_cao_tong_ket"}}, "khóa documents.types.huyen: cần danh sách loại văn bản"),
    ("documents", {"units": {"ST02": "Phú Mỹ"}}, "khóa documents.units.ST02: cần các cặp «khóa: giá trị»"),
    ("text", {"units": ["ST02"]}, "khóa text.units: cần các cặp «khóa: giá trị»"),
])
def test_a_wrong_section_value_is_refused_naming_the_file_and_key(tmp_path, section, value, message):
    with pytest.raises(ConfigError) as exc:
        load_cycle(_cycle_with(tmp_path, **{section: value}))
    assert str(exc.value).startswith(f"Tệp tham số ky.yaml, {message}")


def test_texts_in_the_cycle_file_are_paragraphs_per_unit(tmp_path):
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Thuận lợi chung.")
    cycle = load_cycle(_cycle_with(tmp_path, text_dir=None, text={
        "thuan_loi": nfd, "units": {"ST02": {"kho_khan": ["Một.", "", None, "Hai."]}}}))
    assert cycle.text_for("ST02") == {"thuan_loi": ["Thuận lợi chung."], "kho_khan": ["Một.", "Hai."]}
    assert cycle.text_for("ST03") == {"thuan_loi": ["Thuận lợi chung."]}
    cycle.text_for("ST02")["kho_khan"].append("x")  # a caller's list is its own
    assert cycle.text_for("ST02")["kho_khan"] == ["Một.", "Hai."]


def test_the_verification_draw_is_the_same_from_the_section_or_a_mapping():
    from tongket.rules.settings import Verification
    from tongket.rules.verification import mark

    cd = pd.DataFrame({"ma_don_vi": [f"B{i}" for i in range(10)], "ten_don_vi": "x", "nam": pd.array([2021] * 10),
                       "ma_co_so": "C", "dat_chuan": pd.array([True] * 10, dtype="boolean")})
    a = mark(cd, None, Verification(share=0.3, minimum=1, seed=5), 2021)
    b = mark(cd, None, {"share": 0.3, "min": 1, "seed": 5}, 2021)
    assert a["tham_dinh"].tolist() == b["tham_dinh"].tolist() and (a["tham_dinh"] == "cho_ket_qua").sum() == 3
    assert mark(cd, None, {}, 2021)["tham_dinh"].eq("cho_ket_qua").sum() == 2  # the declared defaults: 20 %, seed 0
