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
                             "chuyen_bac", "dac_thu", "tham_dinh", "mot_cong_mot", "canh_bao",
                             "xep_loai_chi_doan", "loai_hinh"]
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
    from tongket.cli import _spread_codes

    assert _spread_codes(["run", "--huyen", "A", "B", "p.yaml", "--jobs", "2"]) == \
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


def _run_call(argv: list[str], monkeypatch, tmp_path) -> tuple[tuple, dict]:
    """What `tongket run …` passes to the batch runner (which is replaced by a stand-in)."""
    import tongket.batch.runner
    from tongket.batch.runner import RunResult

    calls = []

    def fake(*args, **kwargs):
        calls.append((args, kwargs))
        return RunResult(2021, tmp_path, [], tmp_path / "manifest.json")

    monkeypatch.setattr(tongket.batch.runner, "run", fake)
    main(argv)
    (call,) = calls
    return call


@pytest.mark.parametrize("argv", [
    ["run", "--huyen", "ST02", "ST03"],
    ["run", "--ma-bao-cao", "ST02", "ST03"],
    ["run", "--ma-bao-cao", "ST02,ST03"],
    ["run", "--ma-bao-cao", "ST02", "--huyen", "ST03"],
    ["run", "--huyen", "ST02", "--huyen", " ST03 "],
])
def test_ma_bao_cao_and_its_alias_huyen_name_the_same_reporting_units(argv, monkeypatch, tmp_path, capsys):
    args, kwargs = _run_call(argv, monkeypatch, tmp_path)
    assert args[3] == ["ST02", "ST03"]  # ma_bao_cao, the run's fourth option
    assert kwargs == {"pdf": False, "gop_phieu": False, "engine": "warm", "force": False, "timeout": 600,
                      "scheduler": None, "cap_bao_cao": None}
    assert "Hoàn thành 0/0 đơn vị." in capsys.readouterr().out


def test_run_help_lists_ma_bao_cao_and_its_alias_huyen():
    import click

    from tongket.cli import cli

    command = cli.commands["run"]
    text = command.get_help(click.Context(command, terminal_width=400, max_content_width=400))
    assert "--ma-bao-cao, --huyen CHUỖI" in text
    assert "Chỉ chạy các đơn vị báo cáo (huyện, hoặc Đoàn cơ sở với --cap-bao-cao co_so) có mã này" in text
    assert ("Bộ chạy: warm (papermill, giữ một kernel mỗi tiến trình), papermill (kernel mới cho mỗi huyện), "
            "direct (chạy mã của sổ tay ngay trong tiến trình, không ghi sổ tay đã chạy).  [default: warm]") in text


def test_run_options_take_their_help_and_defaults_from_the_run_options():
    import click

    from tongket.batch.engines import DEFAULT_ENGINE, ENGINE_HELP, ENGINES
    from tongket.batch.options import RunOptions
    from tongket.cli import cli

    command = cli.commands["run"]
    given = command.make_context("run", []).params  # what the command passes when no option is given
    options = [p for p in command.params if isinstance(p, click.Option)]
    assert [p.name for p in options] == ["data", "nam", "cap_bao_cao", "ma_bao_cao", "jobs", "out", "pdf",
                                         "gop_phieu", "engine", "force", "timeout", "scheduler"]
    for p in options:
        assert p.help == RunOptions.help(p.name)
        assert given[p.name] == (() if p.multiple else RunOptions.default(p.name))
    engine = next(p for p in options if p.name == "engine")
    assert tuple(engine.type.choices) == ENGINES == tuple(ENGINE_HELP) and engine.default == DEFAULT_ENGINE


def test_run_huyen_keyword_still_works_with_a_deprecation_warning():
    from tongket.batch.options import RunOptions
    from tongket.batch.runner import run
    from tongket.errors import TongketError

    with pytest.warns(DeprecationWarning, match=r"«run\(huyen=\.\.\.\)» nay là «run\(ma_bao_cao=\.\.\.\)»") as seen:
        old = RunOptions.of("p.yaml", huyen=["ST02"], jobs=2)
    assert old == RunOptions("p.yaml", ma_bao_cao=["ST02"], jobs=2) == RunOptions.of("p.yaml", None, None, ["ST02"], 2)
    with pytest.warns(DeprecationWarning) as seen, pytest.raises(TongketError, match="Không có bộ chạy «nope»"):
        run(huyen=["ST02"], engine="nope")  # warned, then refused before any work
    assert [w.filename for w in seen] == [__file__]  # the warning points at the caller's line
    with pytest.raises(TypeError, match="both huyen and ma_bao_cao"), pytest.warns(DeprecationWarning):
        RunOptions.of(huyen=["ST02"], ma_bao_cao=["ST03"])
    with pytest.raises(TypeError, match="multiple values for data"):
        RunOptions.of("p.yaml", "d.xlsx", data="e.xlsx")
    with pytest.raises(TypeError, match="ma_huyen"):
        RunOptions.of(ma_huyen=["ST02"])


def test_run_with_ma_bao_cao_gives_no_warning(recwarn):
    from tongket.batch.options import RunOptions

    assert RunOptions.of(ma_bao_cao=["ST02"]).ma_bao_cao == ["ST02"]
    assert not [w for w in recwarn if issubclass(w.category, DeprecationWarning)]


@pytest.mark.parametrize("argv", [["--help"], ["run", "--help"], ["templates", "--help"], ["forms", "--help"]])
def test_help_speaks_vietnamese_down_to_clicks_own_words(argv, monkeypatch, capsys):
    monkeypatch.setenv("LANGUAGE", "en")  # the PC's language does not matter
    main(argv)
    out = capsys.readouterr().out
    assert out.startswith("Cách dùng: tongket")
    assert "[TÙY_CHỌN]" in out and "Tùy chọn:" in out and "-h, --help" in out
    assert "Hiện hướng dẫn này rồi thoát." in out
    for english in ("Usage:", "Options:", "Commands:", "Show this message", "[OPTIONS]", "default:", "INTEGER",
                    "TEXT", "FILE", "DIRECTORY"):
        assert english not in out, english


def test_the_compiled_catalogue_is_the_one_in_its_po_file():
    import gettext
    import importlib.util
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    spec = importlib.util.spec_from_file_location("build_locale", root / "tools" / "build_locale.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    po = root / "lib" / "tongket" / "locale" / "vi" / "LC_MESSAGES" / "messages.po"
    pairs = build.read_po(po)
    assert po.with_suffix(".mo").read_bytes() == build.mo_bytes(pairs), "chạy lại: python tools/build_locale.py"
    with po.with_suffix(".mo").open("rb") as f:
        catalogue = gettext.GNUTranslations(f)
    assert catalogue.gettext("Usage:") == "Cách dùng:"
    assert all(catalogue.gettext(k) == v for k, v in pairs.items() if k)
