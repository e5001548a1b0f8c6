"""tongket assess: the result tables of contract §5, and exit codes."""

from __future__ import annotations

import openpyxl
import pytest

from conftest import small_rows, small_tree, write_exchange
from tongket.assessment.assess import CHI_DOAN_COLS, CO_SO_COLS, ROLLUP_COLS
from tongket.cli import main


def test_assess_writes_the_result_tables(small_workbook, tmp_path, capsys):
    out = tmp_path / "ket_qua.xlsx"
    main(["assess", "--data", str(small_workbook), "--nam", "2021", "--out", str(out)])
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["chi_doan", "co_so", "huyen", "tinh", "chi_tieu", "so_sanh", "nhieu_nam",
                             "chuyen_bac", "dac_thu", "tham_dinh", "mot_cong_mot", "canh_bao"]
    assert [c.value for c in wb["chi_doan"][1]][: len(CHI_DOAN_COLS)] == CHI_DOAN_COLS
    assert [c.value for c in wb["co_so"][1]][: len(CO_SO_COLS)] == CO_SO_COLS
    assert [c.value for c in wb["huyen"][1]][: len(ROLLUP_COLS)] == ROLLUP_COLS
    tinh = {h.value: c for h, c in zip(wb["tinh"][1], wb["tinh"][2])}
    assert tinh["so_chi_doan_dat_chuan"].value == 5 and tinh["so_chi_doan_dan_cu"].value == 7
    assert tinh["ty_le_dat_chuan"].value == pytest.approx(5 / 7) and tinh["ty_le_dat_chuan"].number_format == "0.0%"
    co_so = {r[0].value: [c.value for c in r] for r in wb["co_so"].iter_rows(min_row=2)}
    header = [c.value for c in wb["co_so"][1]]
    assert co_so["C1"][header.index("bien_dong")] == "ha_bac"
    assert co_so["C1"][header.index("dat_muc_tieu")] is False
    assert "Toàn tỉnh: 5/7 chi đoàn dân cư đạt chuẩn." in capsys.readouterr().out


def test_assess_bad_year_exits_2(small_workbook, tmp_path, capsys):
    with pytest.raises(SystemExit) as info:
        main(["assess", "--data", str(small_workbook), "--nam", "2019", "--out", str(tmp_path / "x.xlsx")])
    assert info.value.code == 2
    assert "Năm 2019 không có trong dữ liệu" in capsys.readouterr().err


def test_assess_bad_data_exits_2_and_lists_problems(tmp_path, capsys):
    cd, cs = small_rows()
    cd[3]["so_lan_sinh_hoat"] = -1
    path = write_exchange(tmp_path / "x.xlsx", small_tree(), cd, cs)
    with pytest.raises(SystemExit) as info:
        main(["assess", "--data", str(path), "--nam", "2021", "--out", str(tmp_path / "r.xlsx")])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "Dữ liệu có 1 lỗi" in err and "dòng 5, cột Số lần sinh hoạt (N) — giá trị «-1»" in err
    assert not (tmp_path / "r.xlsx").exists()


def test_unknown_option_exits_2_in_vietnamese(capsys):
    with pytest.raises(SystemExit) as info:
        main(["run", "--khong-co"])
    assert info.value.code == 2
    assert "Lỗi tham số dòng lệnh" in capsys.readouterr().err


def test_bad_params_file_exits_2(tmp_path, capsys):
    p = tmp_path / "p.yaml"
    p.write_text("nam: [", encoding="utf-8")
    with pytest.raises(SystemExit) as info:
        main(["assess", str(p), "--out", str(tmp_path / "x.xlsx")])
    assert info.value.code == 2 and "sai cú pháp YAML" in capsys.readouterr().err


def test_huyen_accepts_several_codes_after_one_flag():
    from tongket.cli import _spread_huyen

    assert _spread_huyen(["run", "--huyen", "A", "B", "p.yaml", "--jobs", "2"]) == \
        ["run", "--huyen", "A", "--huyen", "B", "p.yaml", "--jobs", "2"]


def test_check_validates_the_parameters_too(small_workbook, tmp_path, capsys):
    from conftest import ROOT

    text = (ROOT / "params/tong_ket_2021.yaml").read_text(encoding="utf-8")
    bad_rubric = tmp_path / "r.yaml"
    bad_rubric.write_text((ROOT / "params/rubrics/chi_doan_dat_chuan.yaml").read_text(encoding="utf-8")
                          .replace("so_ket_nap_moi, op", "so_ket_nap, op"), encoding="utf-8")
    params = tmp_path / "p.yaml"
    params.write_text(text.replace("chi_doan: rubrics/chi_doan_dat_chuan.yaml", f"chi_doan: {bad_rubric}")
                      .replace("../data/sample", str(ROOT / "data/sample"))
                      .replace("bang_diem/", str(ROOT / "params/bang_diem") + "/")
                      .replace("scales/", str(ROOT / "params/scales") + "/")
                      .replace("co_so: rubrics/", "co_so: " + str(ROOT / "params/rubrics") + "/"),
                      encoding="utf-8")
    with pytest.raises(SystemExit) as info:
        main(["check", str(small_workbook), "--params", str(params)])
    assert info.value.code == 1
    out = capsys.readouterr().out
    assert "[lỗi] tệp p.yaml, trang tham số: Bộ tiêu chí r.yaml, tiêu chí «tc4»: cột không tồn tại «so_ket_nap»" in out
