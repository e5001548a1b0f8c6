"""The cycle workbook driven through its widgets' callbacks, in Python (no browser): what it shows
equals `tongket assess` for the same inputs, before a what-if, under it (against the rubric it
saves) and after resetting it; nothing is written unless asked."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml

from conftest import ROOT

pytestmark = pytest.mark.xdist_group("workbook")

SAMPLE = ROOT / "data" / "sample" / "tinh_mau.xlsx"


def _digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _assess(params: Path, out: Path) -> dict[str, pd.DataFrame]:
    """`tongket assess` as an analyst types it; its RESULT.xlsx as tables."""
    done = subprocess.run([sys.executable, "-m", "tongket", "assess", str(params), "--data", str(SAMPLE),
                           "--out", str(out)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return pd.read_excel(out, sheet_name=None)


@pytest.fixture(scope="module")
def cycle_dir(tmp_path_factory) -> Path:
    """A copy of params/ (the what-if saves beside the cycle file; the repository stays untouched)."""
    folder = tmp_path_factory.mktemp("wb") / "params"
    shutil.copytree(ROOT / "params", folder)
    return folder


@pytest.fixture(scope="module")
def wb(cycle_dir, tmp_path_factory):
    from tongket.lab.ui import CycleWorkbook

    return CycleWorkbook(cycle_dir / "tong_ket_2021.yaml", data=SAMPLE, out=tmp_path_factory.mktemp("out"))


@pytest.fixture(scope="module")
def result(cycle_dir, tmp_path_factory) -> dict[str, pd.DataFrame]:
    return _assess(cycle_dir / "tong_ket_2021.yaml", tmp_path_factory.mktemp("assess") / "RESULT.xlsx")


def _shown_counts(frame: pd.DataFrame, column: str) -> dict[str, str]:
    return dict(zip(frame["key"], frame[column]))


def _expected_counts(t: pd.Series, co_so: pd.DataFrame) -> dict[str, str]:
    communes = co_so[co_so["so_chi_doan_dan_cu"] > 0]
    return {
        "dat_chuan": f"{int(t['so_chi_doan_dat_chuan'])}/{int(t['so_chi_doan_dan_cu'])}",
        "dat_muc_tieu": f"{int(t['so_co_so_dat_muc_tieu'])}/{len(communes)}",
        "ba_chu_dong": f"{int(t['so_co_so_ba_chu_dong'])}/{len(co_so)}",
    }


def test_check_reports_the_sample_as_usable_and_sorts_its_problems(wb):
    assert "Không có lỗi" in wb.check_status.value and "tinh_mau.xlsx dùng được" in wb.check_status.value
    shown = wb.view["van_de"]
    assert len(shown) > 0 and set(shown["Mức độ"]) == {"cảnh báo"}
    wb.sort.value = "Vị trí trong tệp (trang, dòng)"
    rows = wb.view["van_de_hien"]
    chi_doan = rows[rows["Trang"] == "chi_doan"]["Dòng"].tolist()
    assert chi_doan == sorted(chi_doan)  # Excel rows in order within a sheet
    wb.descending.value = True
    assert wb.view["van_de_hien"]["Trang"].iloc[0] >= wb.view["van_de_hien"]["Trang"].iloc[-1]
    wb.descending.value = False
    wb.severity.value = "Lỗi"
    assert len(wb.view["van_de_hien"]) == 0 and "Không có vấn đề nào" in wb.issues_box.value
    wb.severity.value = "Tất cả"


def test_the_district_shown_equals_tongket_assess(wb, result):
    wb.bao_cao.value = "ST03"
    cs = result["co_so"]
    cs = cs[(cs["nam"] == 2021) & cs["ma_don_vi"].str.startswith("ST03.")]
    table = wb.view["co_so"]
    assert len(table) == len(cs)
    names = cs.set_index("ten_don_vi")
    for _, row in table.iterrows():
        r = names.loc[row["Đoàn cơ sở"]]
        none = r["so_chi_doan_dan_cu"] == 0  # a school or agency union: no residential branch, shown "–"
        assert row["Đạt chuẩn"] == ("–" if none else str(int(r["so_chi_doan_dat_chuan"])))
        assert row["Chi đoàn dân cư"] == ("–" if none else str(int(r["so_chi_doan_dan_cu"])))
        assert row["3 chủ động"] == ("Đạt" if r["ba_chu_dong"] else "Chưa đạt")
    huyen = result["huyen"]
    h = huyen[(huyen["ma_don_vi"] == "ST03") & (huyen["nam"] == 2021)].iloc[0]
    targets = wb.view["chi_tieu"].set_index("Chỉ tiêu")
    shown = targets.loc["Tỉ lệ chi đoàn trên địa bàn dân cư đạt chuẩn", "Thực hiện"]
    assert shown == f"{h['ty_le_dat_chuan'] * 100:.1f}%".replace(".", ",")
    assert targets.loc["Tỉ lệ chi đoàn trên địa bàn dân cư đạt chuẩn", "Mục tiêu"] == "≥ 90%"
    cd = result["chi_doan"]
    failing = cd[(cd["nam"] == 2021) & cd["ma_don_vi"].str.startswith("ST03.") & (cd["dat_chuan"] == False)]  # noqa: E712
    assert sorted(wb.view["chua_dat"]["Lý do chưa đạt"]) == sorted(failing["ly_do"])
    assert {"dat_chuan", "tieu_chi", "xep_loai", "xu_huong"} <= set(wb.view["bieu_do"])
    assert wb.view["so_sanh"].columns.tolist()[:4] == ["Chỉ tiêu", "Đơn vị tính", "Năm 2020", "Năm 2021"]


def test_a_unit_shows_each_criterion_met_or_not_with_its_value(wb, result):
    wb.bao_cao.value = "ST03"
    wb.co_so.value = "ST03.05"
    branches = wb.view["tieu_chi_chi_doan"]
    cd = result["chi_doan"]
    mine = cd[(cd["nam"] == 2021) & cd["ma_don_vi"].str.startswith("ST03.05.") & cd["dat_chuan"].notna()]
    assert set(branches["Chi đoàn"]) == set(mine["ten_don_vi"])
    for r in mine.itertuples():
        rows = branches[branches["Chi đoàn"] == r.ten_don_vi]
        assert (rows["Tiêu chí đạt"] == "Đạt").groupby(rows["Tiêu chí"]).all().all() == bool(r.dat_chuan)
    table = wb.view["chi_doan_co_so"].set_index("Chi đoàn")
    for r in mine.itertuples():
        assert table.loc[r.ten_don_vi, "Đạt chuẩn"] == ("Đạt" if r.dat_chuan else "Chưa đạt")
        assert table.loc[r.ten_don_vi, "Lý do chưa đạt"] == ("" if pd.isna(r.ly_do) else r.ly_do)
        assert [table.loc[r.ten_don_vi, f"Tiêu chí {i}"] == "Đạt" for i in range(1, 8)] == \
            [bool(getattr(r, f"tc{i}")) for i in range(1, 8)]
    own = wb.view["tieu_chi_co_so"]
    assert len(own) == 13 and set(own["Điều kiện"]) <= {"Đạt", "Không đạt"}


def test_what_if_never_writes_and_matches_assess_with_the_saved_rubric(wb, result, cycle_dir, tmp_path):
    before = _digest(cycle_dir)
    province = result["tinh"][result["tinh"]["nam"] == 2021].iloc[0]
    co_so = result["co_so"][result["co_so"]["nam"] == 2021]
    expected = _expected_counts(province, co_so)
    assert {k: v for k, v in _shown_counts(wb.view["so_luong"], "Theo tham số").items() if k in expected} == expected

    wb.bao_cao.value = "ST03"
    wb.set_knob("chi_doan/tc5/0", 6)  # 8 meetings -> 6
    wb.set_knob("muc_tieu_dat_chuan", 0.85)  # 90 % -> 85 %
    assert wb.trial is not None
    assert wb.view["thay_doi"] == ["Tiêu chí 5 · Số lần sinh hoạt tối thiểu: 8 → 6",
                                   "Mục tiêu tỉ lệ chi đoàn dân cư đạt chuẩn (từ năm 2021): 90% → 85%"]
    assert _digest(cycle_dir) == before  # trying writes nothing
    shown_trial = _shown_counts(wb.view["so_luong"], "Thử nghiệm")
    moved = wb.view["don_vi_doi"]
    assert wb.view["chi_tieu"].set_index("Chỉ tiêu").loc["Tỉ lệ chi đoàn trên địa bàn dân cư đạt chuẩn",
                                                          "Mục tiêu"] == "≥ 85%"

    wb.save_name.value = "Sinh hoạt 6 lần"
    saved = wb.save()
    assert saved is not None and saved.cycle.name == "tong_ket_2021_sinh_hoat_6_lan.yaml"
    assert [p.name for p in saved.rubrics] == ["chi_doan_dat_chuan_sinh_hoat_6_lan.yaml"]
    after = _digest(cycle_dir)
    assert {k: v for k, v in after.items() if k in before} == before  # the analyst's files are untouched
    assert set(after) - set(before) == {"tong_ket_2021_sinh_hoat_6_lan.yaml",
                                        "rubrics/chi_doan_dat_chuan_sinh_hoat_6_lan.yaml"}
    assert "value: 6}" in saved.rubrics[0].read_text(encoding="utf-8")
    assert "Đã lưu" in wb.save_status.value and "tong_ket_2021_sinh_hoat_6_lan.yaml" in wb.save_status.value

    edited = _assess(saved.cycle, tmp_path / "RESULT_thu.xlsx")
    t = edited["tinh"][edited["tinh"]["nam"] == 2021].iloc[0]
    cs = edited["co_so"][edited["co_so"]["nam"] == 2021]
    assert {k: v for k, v in shown_trial.items() if k in expected} == _expected_counts(t, cs)
    assert t["so_chi_doan_dat_chuan"] > province["so_chi_doan_dat_chuan"]
    old = result["chi_doan"].set_index(["ma_don_vi", "nam"])["dat_chuan"]
    new = edited["chi_doan"].set_index(["ma_don_vi", "nam"])["dat_chuan"]
    flipped = {m for (m, y), v in (old != new).items() if v and y == 2021 and pd.notna(old[(m, y)])}
    assert set(moved.loc[moved["Cấp"] == "Chi đoàn", "ma_don_vi"]) == flipped and flipped
    old_cs = co_so.set_index("ma_don_vi")["dat_muc_tieu"]
    new_cs = cs.set_index("ma_don_vi")["dat_muc_tieu"]
    assert set(moved.loc[moved["Nội dung"].str.startswith("Đạt mục tiêu"), "ma_don_vi"]) == set(
        old_cs.index[old_cs.eq(1) != new_cs.eq(1)])

    # The workbook now works on the saved file: the same numbers, as its own rules.
    assert Path(wb.params.value).name == "tong_ket_2021_sinh_hoat_6_lan.yaml" and wb.trial is None
    assert {k: v for k, v in _shown_counts(wb.view["so_luong"], "Theo tham số").items() if k in expected} == \
        _expected_counts(t, cs)
    again = wb.save()  # nothing changed since: nothing to save, and it says so
    assert again is None and "Chưa thay đổi ngưỡng nào" in wb.save_status.value


def test_reset_brings_back_the_cycle_numbers(wb, result, cycle_dir):
    wb.params.value = str((cycle_dir / "tong_ket_2021.yaml").resolve())  # checked and assessed at once
    wb.bao_cao.value = "ST02"
    first = wb.view["co_so"].copy()
    wb.set_knob("chi_doan/tc4/0", 2)
    wb.set_knob("targets/ty_le_nang_bac", 0.5)
    assert wb.trial is not None
    assert not wb.view["co_so"].equals(first)
    assert "Đang xem theo ngưỡng thử nghiệm" in wb.view["bao_hieu"]
    wb.reset()
    assert wb.trial is None and wb.changes == {}
    assert wb.view["co_so"].equals(first) and wb.view["bao_hieu"] == ""
    province = result["tinh"][result["tinh"]["nam"] == 2021].iloc[0]
    co_so = result["co_so"][result["co_so"]["nam"] == 2021]
    expected = _expected_counts(province, co_so)
    assert {k: v for k, v in _shown_counts(wb.view["so_luong"], "Thử nghiệm").items() if k in expected} == expected
    assert len(wb.view["don_vi_doi"]) == 0


def test_a_workbook_with_errors_is_shown_fixed_and_rechecked(tmp_path, cycle_dir):
    from tongket.lab.ui import CycleWorkbook

    bad = tmp_path / "tinh_loi.xlsx"
    shutil.copy(SAMPLE, bad)
    book = openpyxl.load_workbook(bad)
    ws = book["chi_doan"]
    header = [c.value for c in ws[1]]
    col = header.index("Số lần sinh hoạt") + 1  # the sample has Vietnamese headers
    original = ws.cell(row=10, column=col).value
    ws.cell(row=10, column=col).value = -3
    book.save(bad)
    w = CycleWorkbook(cycle_dir / "tong_ket_2021.yaml", data=bad, out=tmp_path / "out")
    assert "Có 1 lỗi" in w.check_status.value and "tạm để ra ngoài" in w.check_status.value
    w.sort.value = "Mức độ (lỗi trước)"
    top = w.view["van_de_hien"].iloc[0]
    assert top["Mức độ"] == "lỗi" and top["Trang"] == "chi_doan" and top["Dòng"] == 10 and top["Giá trị"] == "-3"
    assert top["Ô"] == f"{openpyxl.utils.get_column_letter(col)}10"
    left_out = top["Huyện"]
    assert left_out not in [v for _, v in w.bao_cao.options]
    assert (tmp_path / "out" / "kiem_tra").exists() is False
    written = w.write_issues()
    assert written.exists() and "van_de" in openpyxl.load_workbook(written).sheetnames

    book = openpyxl.load_workbook(bad)
    book["chi_doan"].cell(row=10, column=col).value = original
    book.save(bad)
    w.check_button.click()  # one click
    assert "Không có lỗi" in w.check_status.value
    assert left_out in [v for _, v in w.bao_cao.options]


def test_a_workbook_whose_every_district_is_refused_is_not_assessed(tmp_path, cycle_dir):
    """Nothing is left to assess when every district's data are refused: the panel says so and lists
    the errors (it used to assess an empty province, «tạm để ra ngoài» every district)."""
    from conftest import every_district_refused
    from tongket.lab.ui import CycleWorkbook

    bad = every_district_refused(tmp_path / "so_lieu.xlsx")
    w = CycleWorkbook(cycle_dir / "tong_ket_2021.yaml", data=bad, out=tmp_path / "out")
    assert ("Chưa đánh giá được: Dữ liệu có 2 lỗi, cần sửa trước khi đánh giá. Hãy sửa các lỗi trong sổ Excel"
            in w.check_status.value)
    assert "tạm để ra ngoài" not in w.check_status.value and w.review is None
    shown = w.view["van_de_hien"]
    assert list(shown["Mức độ"]).count("lỗi") == 2 and set(shown.loc[shown["Mức độ"] == "lỗi", "Giá trị"]) == {"-4"}


@pytest.mark.parametrize(("cycle", "data", "word"), [
    ("tong_ket_2021.yaml", SAMPLE, "huyện"),
    ("tong_ket_2021_sau_sap_xep.yaml", ROOT / "data" / "sample" / "tinh_mau_sau_sap_xep.xlsx", "Đoàn cơ sở"),
])
def test_messages_name_the_reporting_unit_by_the_cycles_level(cycle, data, word, tmp_path, cycle_dir, monkeypatch):
    from tongket.errors import TongketError
    from tongket.lab.ui import CycleWorkbook

    bad = tmp_path / "loi.xlsx"
    shutil.copy(data, bad)
    book = openpyxl.load_workbook(bad)
    ws = book["chi_doan"]
    ws.cell(row=10, column=[c.value for c in ws[1]].index("Số lần sinh hoạt") + 1).value = -3
    book.save(bad)
    w = CycleWorkbook(cycle_dir / cycle, data=bad, out=tmp_path / "out")
    said = [w.check_status.value]
    assert f"Các {word} có lỗi tạm để ra ngoài: " in said[0]
    w.render([])
    said.append(w.render_status.value)
    assert said[-1] == f'<b class="tongket-bad">Hãy chọn ít nhất một {word}.</b>'

    def run(*_a, **_k):  # what the analyst reads while the batch runs, then a refusal
        said.append(w.render_status.value)
        raise TongketError("Không lập được văn bản")

    monkeypatch.setattr("tongket.batch.runner.run", run)
    assert w.render([w.bao_cao.value]) is None
    assert said[-1] == f"Đang lập văn bản cho 1 {word} và toàn tỉnh…"
    assert "Không lập được văn bản" in w.render_status.value
    if word != "huyện":
        assert not any("huyện" in s.lower() for s in said), said


def test_a_missing_cycle_file_is_said_in_vietnamese(tmp_path):
    from tongket.lab.ui import CycleWorkbook

    w = CycleWorkbook(tmp_path / "khong_co.yaml", data=SAMPLE, out=tmp_path)
    assert "Không đọc được tệp tham số" in w.check_status.value
    assert w.review is None and w.bao_cao.options == ()


def test_panels_say_what_to_do_where_widgets_cannot_show(wb):
    bundle = wb.explore_panel()._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "make lab" in bundle["text/plain"] and "make lab" in bundle["text/html"]


def test_the_old_names_of_the_reporting_unit_still_work_with_a_warning(wb):
    with pytest.warns(DeprecationWarning, match="bao_cao"):
        assert wb.huyen is wb.bao_cao
    with pytest.warns(DeprecationWarning, match="render_bao_cao"):
        assert wb.render_huyen is wb.render_bao_cao
    with pytest.warns(DeprecationWarning, match="ma_bao_cao"):
        assert wb.render(huyen=[]) is None
    assert "Hãy chọn ít nhất một huyện." in wb.render_status.value


def test_the_leaders_view_cannot_save_or_render(cycle_dir, tmp_path):
    from tongket.lab.ui import CycleWorkbook

    w = CycleWorkbook(cycle_dir / "tong_ket_2021.yaml", data=SAMPLE, out=tmp_path, leader=True)
    assert w.save_button not in _descendants(w.whatif_panel())
    w.set_knob("chi_doan/tc5/0", 6)
    assert w.save() is None and w.render(["ST01"]) is None
    assert not any(tmp_path.iterdir())


def _descendants(widget) -> list:
    out = [widget]
    for child in getattr(widget, "children", ()):
        out += _descendants(child)
    return out


@pytest.mark.slow
def test_render_runs_the_batch_with_progress_and_a_saved_trial_gives_the_same_numbers(tmp_path):
    from tongket.lab.ui import CycleWorkbook

    params = tmp_path / "params"
    shutil.copytree(ROOT / "params", params)
    w = CycleWorkbook(params / "tong_ket_2021.yaml", data=SAMPLE, out=tmp_path / "outputs")
    w.bao_cao.value = "ST05"
    assert w.render_bao_cao.value == ("ST05",)  # rendering follows the district looked at
    w.set_knob("chi_doan/tc5/0", 6)
    w.set_knob("chi_doan/tc4/0", 3)
    shown = _shown_counts(w.view["so_luong_bao_cao"], "Thử nghiệm")
    moved = set(w.view["don_vi_doi"]["ma_don_vi"])
    w.save_name.value = "thu nghiem"
    assert w.save() is not None
    seen = []
    result = w.render(on_unit=lambda e, done, total: seen.append((e.ma_don_vi, done, total)))
    assert [e.status for e in result.entries] == ["ok", "ok"]
    assert seen == [("ST05", 1, 2), ("ST", 2, 2)]
    assert w.progress.value == w.progress.max == 2 and w.progress.bar_style == "success"
    trial = tmp_path / "outputs" / "2021" / "thu_nghiem" / "thu_nghiem"  # never beside the official documents
    assert result.folder == trial and not (tmp_path / "outputs" / "2021" / "ST05").exists()
    files = {p.relative_to(trial / "ST05").as_posix() for p in w.view["van_ban"]["ST05"]}
    assert {"bao_cao_tong_ket.docx", "quyet_dinh_cong_nhan.docx", "phu_luc_so_lieu.xlsx",
            "phieu_danh_gia/ST05.01.docx"} <= files
    assert (trial / "ST05" / "bao_cao.ipynb").exists()  # the executed notebook: papermill ran
    assert "Hoàn thành 2/2 đơn vị" in w.render_status.value
    assert 'href="' in w.view["lien_ket"] and "bao_cao_tong_ket.docx</a>" in w.view["lien_ket"]
    assert 'download="bao_cao_tong_ket.docx"' in w.view["lien_ket"]  # saved for Word, not opened as text

    # The batch, run on the saved rubric, wrote the numbers the what-if showed.
    manifest = (trial / "manifest.json").read_text(encoding="utf-8")
    assert "tong_ket_2021_thu_nghiem.yaml" in manifest
    tables = pd.read_excel(trial / "ST05" / "phu_luc.xlsx", sheet_name=None)
    h = tables["huyen"][(tables["huyen"]["ma_don_vi"] == "ST05") & (tables["huyen"]["nam"] == 2021)].iloc[0]
    assert shown["dat_chuan"] == f"{int(h['so_chi_doan_dat_chuan'])}/{int(h['so_chi_doan_dan_cu'])}"
    assert shown["ba_chu_dong"].split("/")[0] == str(int(h["so_co_so_ba_chu_dong"]))
    cd = tables["chi_doan"][tables["chi_doan"]["nam"] == 2021]
    assert moved & set(cd["ma_don_vi"])  # branches of ST05 flipped by the trial are in its written results
    passed = set(cd.loc[cd["dat_chuan"] == True, "ma_don_vi"])  # noqa: E712
    assert {m for m in moved if m.startswith("ST05.") and m.count(".") == 2} <= passed


def test_an_uploaded_workbook_is_kept_under_outputs_and_checked(cycle_dir, tmp_path):
    from tongket.lab.ui import CycleWorkbook

    w = CycleWorkbook(cycle_dir / "tong_ket_2021.yaml", data=SAMPLE, out=tmp_path / "outputs")
    content = SAMPLE.read_bytes()
    w.upload.value = ({"name": "Số liệu huyện.xlsx", "type": "", "size": len(content), "content": memoryview(content),
                       "last_modified": datetime(2026, 11, 30, tzinfo=UTC)},)
    kept = tmp_path / "outputs" / "tai_len" / "So_lieu_huyen.xlsx"
    assert kept.read_bytes() == content and w.data.value == str(kept.resolve())
    assert "Đã tải lên" in w.check_status.value  # and checked at once
    assert "Không có lỗi" in w.check_status.value and "So_lieu_huyen.xlsx dùng được" in w.check_status.value
    w.nam.value = 2020  # another year: assessed at once
    assert "đã đánh giá năm 2020" in w.check_status.value and w.nam_xem.value == 2020


def test_a_failing_button_says_so_in_the_panel(cycle_dir, tmp_path, monkeypatch):
    from tongket.lab.ui import CycleWorkbook

    w = CycleWorkbook(cycle_dir / "tong_ket_2021.yaml", data=SAMPLE, out=tmp_path)

    def refuse(*_a, **_k):
        raise PermissionError("Không ghi được thư mục kiem_tra (không có quyền)")

    monkeypatch.setattr("tongket.intake.issues_book.write_issues_workbook", refuse)
    w.issues_button.click()
    assert "Có lỗi: Không ghi được thư mục kiem_tra" in w.issues_file.value


def test_what_if_knobs_apply_and_save_refuse_to_overwrite(sample_review, tmp_path):
    import dataclasses

    from tongket.errors import TongketError
    from tongket.lab import whatif

    keys = [k.key for k in whatif.knobs(sample_review.cycle)]
    assert "chi_doan/tc5/0" in keys and "muc_tieu_dat_chuan" in keys and "targets/so_ha_bac" in keys
    assert not any(k.startswith("chi_doan/tc1/") for k in keys)  # "= 0 violations" is a rule, not a threshold
    # A leader reads the sliders' labels: no criterion id, no operator.
    from tongket.documents.doccheck import CODE_WORDS

    labels = [k.label for k in whatif.knobs(sample_review.cycle)]
    assert "Tiêu chí 5 · Số lần sinh hoạt tối thiểu" in labels
    assert not [lb for lb in labels for p, _, _ in CODE_WORDS if p.search(lb)]
    assert not [lb for lb in labels if set(lb) & set("≥≤<>=")]
    before = sample_review.cycle.rubric_chi_doan
    tried = whatif.apply(sample_review.cycle, {"chi_doan/tc5/0": 6, "muc_tieu_dat_chuan": 0.85})
    assert sample_review.cycle.rubric_chi_doan == before and sample_review.cycle.muc_tieu(2021) == 0.9
    assert tried.muc_tieu(2021) == 0.85 and tried.muc_tieu(2020) == 0.75
    rule = next(c for c in tried.rubric_chi_doan.criteria if c.id == "tc5").rule
    assert rule.items[0].value == 6 and isinstance(rule.items[0].value, int)
    with pytest.raises(TongketError, match="Không có ngưỡng"):
        whatif.apply(sample_review.cycle, {"chi_doan/tc9/0": 1})
    with pytest.raises(TongketError, match="Giá trị thử không hợp lệ"):
        whatif.apply(sample_review.cycle, {"muc_tieu_dat_chuan": 1.5})
    params = tmp_path / "params"
    shutil.copytree(ROOT / "params", params)
    cycle = dataclasses.replace(whatif.load_cycle(params / "tong_ket_2021.yaml"), data=SAMPLE)
    saved = whatif.save(cycle, {"targets/ty_le_nang_bac": 0.1}, "Nâng bậc 10%")
    assert saved.cycle.name == "tong_ket_2021_nang_bac_10.yaml" and saved.rubrics == []
    saved_targets = yaml.safe_load(saved.cycle.read_text(encoding="utf-8"))["targets"]
    assert saved_targets["ty_le_nang_bac"] == {"chi_so": "ty_le_co_so_doan_nang_bac", "muc_tieu": 0.1}  # long form
    with pytest.raises(TongketError, match="Đã có tệp tong_ket_2021_nang_bac_10.yaml"):
        whatif.save(cycle, {"targets/ty_le_nang_bac": 0.2}, "Nâng bậc 10%")
