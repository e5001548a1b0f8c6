"""Chi đoàn đạt chuẩn tc1–tc7 at their boundaries [001], explanations, and broken rubrics."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from conftest import PASSING, ROOT
from tongket.errors import ConfigError
from tongket.rules.rubric import evaluate, load_rubric

RUBRIC = load_rubric(ROOT / "params/rubrics/chi_doan_dat_chuan.yaml")
BA_CHU_DONG = load_rubric(ROOT / "params/rubrics/ba_chu_dong.yaml")
_BOOL = {"Có": True, "Không": False}


def _frame(rows: list[dict]) -> pd.DataFrame:
    out = []
    for changes in rows:
        r = {k: _BOOL.get(v, v) for k, v in PASSING.items()}
        r.update(changes)
        r["loai_hinh"] = r.get("loai_hinh", "dan_cu")
        out.append(r)
    f = pd.DataFrame(out)
    for c in f.columns:
        if c.startswith(("bien_ban", "dai_hoi", "bi_thu")):
            f[c] = f[c].astype("boolean")
        elif c != "loai_hinh":
            f[c] = f[c].astype("Int64")
    return f


CASES = [  # criterion, changes, met
    ("tc1", {"so_dv_vi_pham_phap_luat": 0}, True),
    ("tc1", {"so_dv_vi_pham_phap_luat": 1}, False),
    ("tc2", {"so_mo_hinh_kinh_te": 1, "so_gioi_thieu_viec_lam": 0}, True),
    ("tc2", {"so_mo_hinh_kinh_te": 0, "so_gioi_thieu_viec_lam": 5}, True),
    ("tc2", {"so_mo_hinh_kinh_te": 0, "so_gioi_thieu_viec_lam": 4}, False),
    ("tc2", {"so_mo_hinh_kinh_te": 0, "so_gioi_thieu_viec_lam": None}, False),
    ("tc2", {"so_mo_hinh_kinh_te": 1, "so_gioi_thieu_viec_lam": None}, True),
    ("tc3", {"so_doi_hinh_tinh_nguyen": 0}, False),
    ("tc3", {"so_tv_doi_hinh_lon_nhat": 4}, False),
    ("tc3", {"so_tv_doi_hinh_lon_nhat": 5}, True),
    ("tc3", {"so_cong_trinh_thanh_nien": 0}, False),
    ("tc4", {"so_ket_nap_moi": 4}, False),
    ("tc4", {"so_ket_nap_moi": 5}, True),
    ("tc4", {"so_gioi_thieu_dang": 0}, False),
    ("tc4", {"so_gioi_thieu_dang": 1}, True),
    ("tc5", {"so_lan_sinh_hoat": 7}, False),
    ("tc5", {"so_lan_sinh_hoat": 8}, True),
    ("tc5", {"bien_ban_day_du": False}, False),
    ("tc5", {"so_dv_dong_doan_phi": 19}, False),
    ("tc5", {"so_dv_dong_doan_phi": 20}, True),
    ("tc5", {"so_dv_dong_doan_phi": None}, False),
    ("tc5", {"dai_hoi_chi_doan": False}, False),
    ("tc6", {"so_hoat_dong_van_hoa_the_thao": 1}, False),
    ("tc6", {"so_hoat_dong_van_hoa_the_thao": 2}, True),
    ("tc7", {"bi_thu_kinh_te_on_dinh": False}, False),
    ("tc7", {"bi_thu_duoc_tap_huan": False}, False),
    ("tc7", {"bi_thu_nam_chinh_sach": False}, False),
    ("tc7", {"bi_thu_nam_chinh_sach": None}, False),
]


@pytest.mark.parametrize("criterion, changes, met", CASES)
def test_boundaries(criterion, changes, met):
    res = evaluate(RUBRIC, _frame([changes])).iloc[0]
    assert bool(res[criterion]) is met
    assert bool(res["dat_chuan"]) is met  # every other criterion holds
    others = [c for c in ("tc1", "tc2", "tc3", "tc4", "tc5", "tc6", "tc7") if c != criterion]
    assert all(bool(res[c]) for c in others)


def test_reason_states_measured_value_and_threshold():
    res = evaluate(RUBRIC, _frame([{"so_lan_sinh_hoat": 7, "so_ket_nap_moi": 4}])).iloc[0]
    assert res["ly_do"] == (
        "Tiêu chí 4 (Kết nạp đoàn viên mới và giới thiệu đoàn viên ưu tú cho Đảng): số đoàn viên kết nạp mới: 4 "
        "(yêu cầu ít nhất 5); Tiêu chí 5 (Sinh hoạt định kỳ, sổ sách đầy đủ, thu đủ đoàn phí, đại hội đúng Điều lệ): "
        "số lần sinh hoạt: 7 (yêu cầu ít nhất 8)")


def test_reason_for_blank_figure_and_column_threshold():
    res = evaluate(RUBRIC, _frame([{"so_mo_hinh_kinh_te": 0, "so_gioi_thieu_viec_lam": None,
                                    "so_dv_dong_doan_phi": 18}])).iloc[0]
    assert res["ly_do"] == (
        "Tiêu chí 2 (Có mô hình phát triển kinh tế hoặc giới thiệu việc làm): chưa có mô hình phát triển kinh tế "
        "(yêu cầu ít nhất 1) và chưa có số liệu “Số người được giới thiệu việc làm”; "
        "Tiêu chí 5 (Sinh hoạt định kỳ, sổ sách đầy đủ, thu đủ đoàn phí, đại hội đúng Điều lệ): số đoàn viên đóng "
        "đủ đoàn phí: 18 (yêu cầu ít nhất bằng số đoàn viên: 20)")


def test_rule_applies_only_to_residential_branches():
    res = evaluate(RUBRIC, _frame([{"loai_hinh": "truong_hoc", "so_ket_nap_moi": 0}])).iloc[0]
    assert pd.isna(res["dat_chuan"]) and pd.isna(res["tc4"]) and res["ly_do"] == ""


def test_ba_chu_dong_needs_all_13_checks():
    rows = pd.DataFrame([{f"cd{g}_{i}": True for g, n in ((1, 5), (2, 5), (3, 3)) for i in range(1, n + 1)}] * 2)
    rows = rows.astype("boolean")
    rows.loc[1, "cd3_3"] = False
    res = evaluate(BA_CHU_DONG, rows)
    assert res["ba_chu_dong"].tolist() == [True, False]
    assert res["nhom3"].tolist() == [True, False] and res["nhom1"].tolist() == [True, True]


def test_threshold_comes_from_the_file(tmp_path):
    text = (ROOT / "params/rubrics/chi_doan_dat_chuan.yaml").read_text(encoding="utf-8")
    edited = tmp_path / "r.yaml"
    edited.write_text(text.replace("{column: so_lan_sinh_hoat, op: \">=\", value: 8}",
                                   "{column: so_lan_sinh_hoat, op: \">=\", value: 6}"), encoding="utf-8")
    res = evaluate(load_rubric(edited), _frame([{"so_lan_sinh_hoat": 6}])).iloc[0]
    assert bool(res["tc5"]) is True


BROKEN = [
    ("{column: so_lan_sinh_hoat, op: \">=\", value: 8}", "{column: so_lan_sinh_hoatt, op: \">=\", value: 8}",
     "Bộ tiêu chí r.yaml, tiêu chí «tc5»: cột không tồn tại «so_lan_sinh_hoatt»"),
    ("{column: so_lan_sinh_hoat, op: \">=\", value: 8}", "{column: so_lan_sinh_hoat, op: \"=>\", value: 8}",
     "Bộ tiêu chí r.yaml, tiêu chí «tc5»: phép so sánh không hợp lệ «=>»"),
    ("{column: so_lan_sinh_hoat, op: \">=\", value: 8}", "{column: so_lan_sinh_hoat, op: \">=\", value: tám}",
     "Bộ tiêu chí r.yaml, tiêu chí «tc5»: ngưỡng của cột «so_lan_sinh_hoat» phải là số, gặp «tám»"),
    ("  - id: tc6\n", "  - id: tc5\n", "Bộ tiêu chí r.yaml, tiêu chí «tc5»: mã tiêu chí bị trùng"),
    ("{column: bien_ban_day_du, op: \"=\", value: true}", "{column: bien_ban_day_du, op: \"=\", value: 1}",
     "Bộ tiêu chí r.yaml, tiêu chí «tc5»: ngưỡng của cột «bien_ban_day_du» phải là true/false, gặp «1»"),
]


@pytest.mark.parametrize("old, new, message", BROKEN)
def test_broken_rubric_names_file_and_criterion(tmp_path: Path, old, new, message):
    text = (ROOT / "params/rubrics/chi_doan_dat_chuan.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "r.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_rubric(path)
    assert str(info.value).startswith(message)


def test_every_yaml_under_params_loads():
    from tongket.rules.params import load_cycle
    from tongket.rules.scales import load_scale

    for p in (ROOT / "params/rubrics").glob("*.yaml"):
        assert load_rubric(p).criteria
    from tongket.rules.members import load_member_scale

    for p in (ROOT / "params/scales").glob("*.yaml"):
        if "periods:" in p.read_text(encoding="utf-8"):  # the member scale by period (doan_vien.yaml)
            assert load_member_scale(p).levels(2018) and load_member_scale(p).levels(2021)
        else:
            assert load_scale(p).levels
    for p in (ROOT / "params").glob("*.yaml"):
        assert load_cycle(p).nam
