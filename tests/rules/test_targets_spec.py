"""Targets declared as data in the cycle file (rules.targets_spec): the old keys, the long form,
and the Vietnamese message for what the kit cannot read."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from tongket.common import paths
from tongket.errors import ConfigError
from tongket.rules.params import load_cycle
from tongket.rules.targets_spec import INDICATORS, TOI_DA, TOI_THIEU, TargetSpec


def _cycle_file(tmp_path: Path, targets: dict) -> Path:
    """The sample cycle in a folder of its own, with `targets` in place of its own."""
    folder = tmp_path / "params"
    shutil.copytree(paths.DEFAULT_CYCLE.parent, folder)
    path = folder / paths.DEFAULT_CYCLE.name
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["targets"] = targets
    doc["data"] = str(paths.SAMPLE_DATA)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


OLD = {"ty_le_duoc_xep_loai": 0.95, "ty_le_nang_bac": 0.05, "so_ha_bac": 0, "ty_le_dot_cao_diem": 0.9}


def test_old_keys_declare_the_same_targets_with_their_directions(tmp_path):
    cycle = load_cycle(_cycle_file(tmp_path, OLD))
    assert cycle.targets == {"ty_le_duoc_xep_loai": 0.95, "ty_le_nang_bac": 0.05, "so_ha_bac": 0.0,
                             "ty_le_dot_cao_diem": 0.9}
    assert [(s.key, s.chi_so, s.huong, s.ten) for s in cycle.chi_tieu] == [
        ("ty_le_duoc_xep_loai", ("ty_le_duoc_xep_loai",), TOI_THIEU, None),
        ("ty_le_nang_bac", ("ty_le_nang_bac",), TOI_THIEU, None),
        ("so_ha_bac", ("so_ha_bac",), TOI_DA, None),
        ("ty_le_dot_cao_diem", ("ty_le_dot_cao_diem",), TOI_THIEU, None)]
    assert cycle.chi_tieu[2].name("Hoàn thành tốt nhiệm vụ") == \
        "Đoàn cơ sở từ mức “Hoàn thành tốt nhiệm vụ” trở lên bị hạ bậc"


def test_the_long_form_names_indicator_threshold_direction_and_name(tmp_path):
    cycle = load_cycle(_cycle_file(tmp_path, {
        "ty_le_tap_hop": {"muc_tieu": 0.7},
        "dv_kem": {"chi_so": "ty_le_dv_kht", "muc_tieu": 0.05, "ten": "Tỉ lệ đoàn viên không hoàn thành nhiệm vụ"},
        "dv_tot": {"chi_so": ["ty_le_dv_htxs", "ty_le_dv_htt"], "muc_tieu": 0.6, "huong": "toi_thieu",
                   "ten": "Tỉ lệ đoàn viên hoàn thành tốt nhiệm vụ trở lên"},
        "ket_nap": {"chi_so": "so_ket_nap_moi", "muc_tieu": 100},
    }))
    assert cycle.targets == {"ty_le_tap_hop": 0.7, "dv_kem": 0.05, "dv_tot": 0.6, "ket_nap": 100.0}
    assert cycle.chi_tieu == (
        TargetSpec("ty_le_tap_hop", ("ty_le_tap_hop",), TOI_THIEU, None),
        TargetSpec("dv_kem", ("ty_le_dv_kht",), TOI_DA, "Tỉ lệ đoàn viên không hoàn thành nhiệm vụ"),
        TargetSpec("dv_tot", ("ty_le_dv_htxs", "ty_le_dv_htt"), TOI_THIEU,
                   "Tỉ lệ đoàn viên hoàn thành tốt nhiệm vụ trở lên"),
        TargetSpec("ket_nap", ("so_ket_nap_moi",), TOI_THIEU, None))
    assert cycle.chi_tieu[0].name("") == "Tỉ lệ tập hợp thanh niên"
    assert not cycle.chi_tieu[3].is_rate


@pytest.mark.parametrize("targets, message", [
    ({"ty_le_tap_hopp": 0.7},
     "Tệp tham số tong_ket_2021.yaml, khóa targets.ty_le_tap_hopp: không có chỉ số «ty_le_tap_hopp». Các chỉ số "
     "đã biết: ty_le_duoc_xep_loai, ty_le_nang_bac, so_ha_bac, ty_le_dot_cao_diem, ty_le_tap_hop, ty_le_dv_1_1,"),
    ({"dv": {"chi_so": "ty_le_dv_xuat_sac", "muc_tieu": 0.2}},
     "Tệp tham số tong_ket_2021.yaml, khóa targets.dv: không có chỉ số «ty_le_dv_xuat_sac». Các chỉ số đã biết: "),
    ({"ty_le_dat_chuan": 0.9},
     "Tệp tham số tong_ket_2021.yaml, khóa targets.ty_le_dat_chuan: chỉ tiêu «ty_le_dat_chuan» đặt ở khóa "
     "muc_tieu_dat_chuan (theo từng năm)"),
    ({"ty_le_tap_hop": {"ten": "Tập hợp"}},
     "Tệp tham số tong_ket_2021.yaml, khóa targets.ty_le_tap_hop: thiếu mức chỉ tiêu (khóa muc_tieu)"),
    ({"ty_le_tap_hop": {"muc_tieu": 70}},
     "Tệp tham số tong_ket_2021.yaml, khóa targets.ty_le_tap_hop: «70» không phải tỉ lệ (tỉ lệ từ 0 đến 1). "
     "Cách sửa: gõ 0.7 cho 70 %"),
    ({"ty_le_tap_hop": {"muc_tieu": 0.7, "huong": "it_nhat"}},
     "Tệp tham số tong_ket_2021.yaml, khóa targets.ty_le_tap_hop.huong: cần «toi_thieu»"),
    ({"ty_le_tap_hop": {"muc_tieu": 0.7, "nguong": 1}},
     "Tệp tham số tong_ket_2021.yaml, khóa targets.ty_le_tap_hop: không có khóa con «nguong»"),
    ({"x": {"chi_so": ["ty_le_tap_hop", "ty_le_dv_1_1"], "muc_tieu": 0.5, "ten": "X"}},
     "Tệp tham số tong_ket_2021.yaml, khóa targets.x: chỉ cộng được các tỉ lệ của cùng một tổng"),
    ({"x": {"chi_so": ["ty_le_dv_htxs", "ty_le_dv_htt"], "muc_tieu": 0.5}},
     "Tệp tham số tong_ket_2021.yaml, khóa targets.x: chỉ tiêu cộng nhiều chỉ số cần tên (khóa ten)"),
    ({"so_ket_nap_moi": 2.5},
     "Tệp tham số tong_ket_2021.yaml, khóa targets.so_ket_nap_moi: cần một số nguyên từ 0 trở lên, gặp «2.5»"),
])
def test_what_cannot_be_read_is_refused_in_vietnamese_naming_the_key(tmp_path, targets, message):
    with pytest.raises(ConfigError) as exc:
        load_cycle(_cycle_file(tmp_path, targets))
    assert str(exc.value).startswith(message)


def test_the_unknown_indicator_message_lists_every_known_one(tmp_path):
    with pytest.raises(ConfigError) as exc:
        load_cycle(_cycle_file(tmp_path, {"ty_le_uy_vien": 0.8}))
    assert all(k in str(exc.value) for k in INDICATORS)
    assert "ty_le_uy_vien_dat_chuan" in str(exc.value) and "ty_le_dv_htxs" in str(exc.value)


def test_the_sample_cycles_declare_gathering_and_one_plus_one(tmp_path):
    for name in ("tong_ket_2021.yaml", "tong_ket_2021_sau_sap_xep.yaml"):
        cycle = load_cycle(paths.DEFAULT_CYCLE.parent / name)
        keys = [s.key for s in cycle.chi_tieu]
        assert keys[:4] == ["ty_le_duoc_xep_loai", "ty_le_nang_bac", "so_ha_bac", "ty_le_dot_cao_diem"]
        assert cycle.targets["ty_le_tap_hop"] == 0.7 and cycle.targets["ty_le_dv_1_1"] == 1.0


def test_thresholds_set_without_a_declaration_keep_the_tables_old_order():
    from tongket.rules.targets_spec import declared

    out = declared((), {"ty_le_dot_cao_diem": 0.9, "so_ha_bac": 0.0, "ty_le_duoc_xep_loai": 0.95, "khac": 1.0})
    assert [(s.key, s.huong, v) for s, v in out] == [("ty_le_duoc_xep_loai", TOI_THIEU, 0.95),
                                                     ("so_ha_bac", TOI_DA, 0.0), ("ty_le_dot_cao_diem", TOI_THIEU, 0.9)]
