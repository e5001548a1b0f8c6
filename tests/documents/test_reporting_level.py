"""The reporting level is a parameter (cap_bao_cao): per district (default) or per Đoàn cơ sở, as a
province reports after the 2025 reform, when communes sit straight under the Tỉnh Đoàn. Same
notebooks, same outputs layout; real papermill runs, real Word files."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import openpyxl
import pytest

from conftest import ROOT
from helpers import check_golden, document_text, section_number
from tongket import open_review
from tongket.batch.runner import run
from tongket.cli import main
from tongket.common.vietnamese import hieu_ty_le, phan_tram, so
from tongket.errors import ConfigError, DataError
from tongket.intake.sample import write
from tongket.rules.params import load_cycle

PARAMS = ROOT / "params" / "tong_ket_2021_sau_sap_xep.yaml"
DATA = ROOT / "data" / "sample" / "tinh_mau_sau_sap_xep.xlsx"
CHOSEN = ["ST02.05", "ST01.01", "ST06.01"]  # a commune, a renamed ward, a unit of the Đoàn Khối


@pytest.fixture(scope="module")
def review():
    return open_review(PARAMS)


@pytest.fixture(scope="module")
def xa_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("sau_sap_xep")
    return run(PARAMS, ma_bao_cao=CHOSEN, jobs=2, out=out, progress=False)


def _row(frame, ma, nam=2021):
    return frame[(frame["ma_don_vi"] == ma) & (frame["nam"] == nam)].iloc[0]


# ---------------------------------------------------------------- parameters and data
def test_the_level_comes_from_the_cycle_and_can_be_overridden():
    assert load_cycle().cap_bao_cao == "huyen"
    assert load_cycle(PARAMS).cap_bao_cao == "co_so"
    assert load_cycle(cap_bao_cao="co_so").cap_bao_cao == "co_so"
    with pytest.raises(ConfigError, match="cap_bao_cao phải là một trong «huyen» \\(huyện\\), «co_so» \\(Đoàn cơ sở\\), "
                                          "gặp «xa»"):
        load_cycle(cap_bao_cao="xa")


def test_a_commune_under_the_province_is_accepted_and_a_wrong_parent_still_refused(tmp_path, capsys):
    main(["check", str(DATA)])  # returns: exit status 0
    # 24 + the 9 branches with no 2021 row, in 2 lines: the province's own communes, and ST06's
    assert "Không có lỗi (31 cảnh báo). Tệp tinh_mau_sau_sap_xep.xlsx dùng được." in capsys.readouterr().out
    wb = openpyxl.load_workbook(DATA)
    ws = wb["don_vi"]
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "ST02.05")
    row[header.index("Mã đơn vị cấp trên")].value = "ST02.06"  # a Đoàn cơ sở under another one
    bad = tmp_path / "sai_cap.xlsx"
    wb.save(bad)
    with pytest.raises(SystemExit) as exit_:
        main(["check", str(bad)])
    assert exit_.value.code == 1
    out = capsys.readouterr().out
    assert (f"[lỗi] tệp sai_cap.xlsx, trang don_vi, dòng {row[0].row}, cột Mã đơn vị cấp trên (D) — giá trị "
            f"«ST02.06»: Sai cấp: Đoàn cơ sở phải trực thuộc huyện hoặc tỉnh, nhưng «ST02.06» là Đoàn cơ sở") in out


# ---------------------------------------------------------------- assessment
def test_each_commune_is_rolled_up_like_a_district(review, tmp_path, capsys):
    r = review.results
    assert r.cap_bao_cao == "co_so" and r.bao_cao is not r.huyen
    assert list(r.year(2021).huyen["ma_don_vi"]) == ["ST06"]  # only the Đoàn Khối is left at district level
    assert len(r.year(2021).bao_cao) == 75
    own = _row(r.bao_cao, "ST02.05")
    branches = r.chi_doan[(r.chi_doan["ma_co_so"] == "ST02.05") & (r.chi_doan["nam"] == 2021)]
    dan_cu = branches[branches["dat_chuan"].notna()]
    assert own["so_co_so"] == 1 and own["so_chi_doan"] == len(branches) == 10
    # 9 residential branches, one of which (Chi đoàn ấp Mỹ Lợi) sent nothing for 2021: out of the rate, counted apart
    assert own["so_chi_doan_dan_cu"] == len(dan_cu) == 8 and own["so_chi_doan_chua_gui_so_lieu"] == 1
    assert own["so_chi_doan_dat_chuan"] == dan_cu["dat_chuan"].astype(bool).sum() == 2
    assert own["so_doan_vien"] == branches["so_doan_vien"].sum()
    cs = _row(r.co_so, "ST02.05")
    assert (cs["so_chi_doan_dat_chuan"], cs["ma_bao_cao"]) == (2, "ST02.05")
    tinh = _row(r.tinh, "ST")  # the province is the sum of its communes and the Đoàn Khối's units
    year = r.year(2021).bao_cao
    assert tinh["so_chi_doan_dat_chuan"] == year["so_chi_doan_dat_chuan"].sum()
    assert tinh["so_co_so"] == 75

    out = tmp_path / "ket_qua.xlsx"
    main(["assess", str(PARAMS), "--out", str(out)])
    assert "75 Đoàn cơ sở, 1 huyện năm 2021, báo cáo theo từng Đoàn cơ sở." in capsys.readouterr().out
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:5] == ["chi_doan", "co_so", "huyen", "tinh", "tong_hop_co_so"]
    rows = {row[0].value: row for row in wb["tong_hop_co_so"].iter_rows(min_row=2)}
    head = [c.value for c in wb["tong_hop_co_so"][1]]
    assert rows["ST02.05"][head.index("so_chi_doan_dat_chuan")].value == 2
    assert rows["ST02.05"][head.index("ty_le_dat_chuan")].value == pytest.approx(2 / 8)


def test_the_pre_reform_tree_can_be_reported_per_co_so_too():
    by_co_so = open_review(cap_bao_cao="co_so")
    by_huyen = open_review()
    assert len(by_co_so.results.year(2021).bao_cao) == 75 and len(by_huyen.results.year(2021).bao_cao) == 6
    # the same branches, the same verdicts: only the grouping changes
    a = by_co_so.results.year(2021).tinh.iloc[0]
    b = by_huyen.results.year(2021).tinh.iloc[0]
    assert (a["so_chi_doan_dat_chuan"], a["so_co_so_ba_chu_dong"]) == (b["so_chi_doan_dat_chuan"],
                                                                       b["so_co_so_ba_chu_dong"])


def test_the_transition_matrix_counts_communes_under_the_province(review):
    """A Đoàn cơ sở straight under the Tỉnh Đoàn has no district: it is counted all the same, in the
    province's matrix and in its own (it was left out of both, a matrix of zeros)."""
    from tongket import transition_matrix

    co_so = review.results.co_so
    assert transition_matrix(co_so, review.cycle.scale, 2021).to_numpy().sum() == 75
    own = transition_matrix(co_so, review.cycle.scale, 2021, "ST02.05")
    row = _row(co_so, "ST02.05")
    label = review.cycle.scale.label
    assert own.to_numpy().sum() == 1 and own.loc[label(row["xep_loai_nam_truoc"]), label(row["xep_loai"])] == 1


def test_errors_in_one_commune_leave_out_only_that_commune(tmp_path):
    wb = openpyxl.load_workbook(DATA)
    ws = wb["chi_doan"]
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "ST02.05.01" and r[1].value == 2021)
    row[header.index("Số đoàn viên")].value = -3
    bad = tmp_path / "mot_xa_loi.xlsx"
    wb.save(bad)
    r = open_review(PARAMS, data=bad)
    assert list(r.excluded) == ["ST02.05"]
    assert "ST02.05" not in set(r.results.bao_cao["ma_don_vi"]) and len(r.results.year(2021).bao_cao) == 74
    with pytest.raises(DataError, match="dòng .*Số đoàn viên"):
        open_review(PARAMS, data=bad, ma_bao_cao="ST02.05")
    assert open_review(PARAMS, data=bad, ma_bao_cao="ST02.06").excluded == {"ST02.05": r.excluded["ST02.05"]}


# ---------------------------------------------------------------- the batch and its documents
@pytest.mark.slow
@pytest.mark.xdist_group("batch")
def test_one_set_of_documents_per_commune_in_the_same_layout(xa_run):
    assert xa_run.exit_code == 0
    year = xa_run.out / "2021"
    for ma in CHOSEN:
        for name in ("bao_cao_tong_ket.docx", "bao_cao_so_ket.docx", "phu_luc.xlsx", "phu_luc_so_lieu.docx",
                     "danh_sach_tham_dinh.docx", "bao_cao.ipynb", f"phieu_danh_gia/{ma}.docx"):
            assert (year / ma / name).is_file(), (ma, name)
        assert not (year / ma / "quyet_dinh_cong_nhan.docx").exists()  # a commune cannot recognise itself
    # ... the province does, and reports on every commune
    for name in ("bao_cao_tong_hop.docx", "quyet_dinh_cong_nhan.docx", "phu_luc.xlsx", "bao_cao.ipynb"):
        assert (year / "ST" / name).is_file(), name
    manifest = json.loads((year / "manifest.json").read_text(encoding="utf-8"))
    assert [(u["ma_don_vi"], u["cap"], u["status"]) for u in manifest["districts"]] == \
        [("ST01.01", "co_so", "ok"), ("ST02.05", "co_so", "ok"), ("ST06.01", "co_so", "ok")]
    assert manifest["tham_so"]["cap_bao_cao"] == "co_so"
    office = openpyxl.load_workbook(year / "nhat_ky_chay.xlsx").worksheets[0]
    levels = {r[0]: r[2] for r in office.iter_rows(values_only=True) if r[0] in (*CHOSEN, "ST")}
    assert levels == {"ST01.01": "Đoàn cơ sở", "ST02.05": "Đoàn cơ sở", "ST06.01": "Đoàn cơ sở", "ST": "Tỉnh"}
    nb = json.loads((year / "ST02.05" / "bao_cao.ipynb").read_text(encoding="utf-8"))
    injected = "".join(next(c["source"] for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", [])))
    assert 'ma_bao_cao = "ST02.05"' in injected and 'cap_bao_cao = "co_so"' in injected


@pytest.mark.slow
@pytest.mark.xdist_group("batch")
def test_a_communes_report_speaks_of_itself_and_lists_its_branches(xa_run, review):
    text = document_text(xa_run.out / "2021" / "ST02.05" / "bao_cao_tong_ket.docx")
    own = _row(review.results.bao_cao, "ST02.05")
    before = _row(review.results.bao_cao, "ST02.05", 2020)
    # header: the province above, the commune issuing, its number
    assert "TỈNH ĐOÀN SÔNG TIỀN" in text and "BCH ĐOÀN XÃ NHƠN THẠNH TRUNG" in text and "Số: 15-BC/ĐTN" in text
    assert (f"Năm 2021, có 2/8 chi đoàn trên địa bàn dân cư đạt chuẩn, tỉ lệ {phan_tram(2 / 8)}, giảm "
            f"{phan_tram(hieu_ty_le(before['ty_le_dat_chuan'], 2 / 8)).removesuffix('%')} điểm phần trăm so với năm 2020; "
            f"so với mục tiêu giai đoạn (từ 90% trở lên): chưa đạt") in text
    cs = _row(review.results.co_so, "ST02.05")
    label = review.cycle.scale.label(cs["xep_loai"])
    assert f"Năm 2021, Đoàn xã Nhơn Thạnh Trung được xếp loại “{label}”" in text
    assert "Năm 2021, Đoàn xã Nhơn Thạnh Trung chưa đạt tiêu chí “3 chủ động”" in text
    # never "1/1 Đoàn cơ sở", never the district's table or the targets over Đoàn cơ sở
    assert "1/1 Đoàn cơ sở" not in text and "Đã đánh giá, xếp loại 1/1" not in text
    n = section_number(text, "Kết quả theo từng chi đoàn")  # after the optional sections the data brings
    assert n >= 6 and "Kết quả theo từng Đoàn cơ sở" not in text
    assert "Tỉ lệ Đoàn cơ sở được đánh giá" not in text
    section = text[text.index(f"{n}. Kết quả theo từng chi đoàn"):text.index("III. ĐÁNH GIÁ CHUNG")].splitlines()
    assert section[1] == "STT | Chi đoàn | Loại hình | Tiêu chí chưa đạt | Đạt chuẩn | Xếp loại"
    table = [line for line in section[2:] if line.strip()]
    branches = review.results.chi_doan
    branches = branches[(branches["ma_co_so"] == "ST02.05") & (branches["nam"] == 2021)]
    assert len(table) == len(branches) == 10
    failing = branches[branches["dat_chuan"].notna() & ~branches["dat_chuan"].fillna(False).astype(bool)]
    first = failing.sort_values("ten_don_vi").iloc[0]
    missed = ", ".join(c[2:] for c in ("tc1", "tc2", "tc3", "tc4", "tc5", "tc6", "tc7") if not first[c])
    assert any(line.split(" | ")[1:5] == [first["ten_don_vi"], "Trên địa bàn dân cư", missed, "Chưa đạt"]
               for line in table)
    # the charts present are numbered without a gap: no chart by Đoàn cơ sở, no rating chart
    assert "Biểu đồ 1. Tỉ lệ chi đoàn chưa đạt từng tiêu chí, năm 2021" in text
    assert "Biểu đồ 2. Kết quả qua các năm 2018–2021" in text
    assert "Biểu đồ 3. Kết quả đánh giá, xếp loại đoàn viên năm 2021" in text and "Biểu đồ 4" not in text  # its members
    # the data appendix: no "Số Đoàn cơ sở: 1"
    assert "Số Đoàn cơ sở" not in text and f"Số đoàn viên | người | {so(before['so_doan_vien'])} | " \
        f"{so(own['so_doan_vien'])}" in text


@pytest.mark.slow
@pytest.mark.xdist_group("batch")
def test_the_sheet_appendix_and_the_province_decision(xa_run, review):
    year = xa_run.out / "2021"
    phieu = document_text(year / "ST06.01" / "phieu_danh_gia" / "ST06.01.docx")
    assert "Đơn vị: Đoàn cơ sở Sở Y tế, thuộc Đoàn Khối Các cơ quan tỉnh." in phieu
    phieu = document_text(year / "ST02.05" / "phieu_danh_gia" / "ST02.05.docx")
    assert "thuộc Tỉnh Đoàn Sông Tiền." in phieu
    wb = openpyxl.load_workbook(year / "ST02.05" / "phu_luc.xlsx")
    assert wb.sheetnames[:3] == ["chi_doan", "co_so", "tong_hop_co_so"] and "huyen" not in wb.sheetnames
    assert wb["co_so"].max_row == 2 and wb["chi_doan"].max_row == 11
    decision = document_text(year / "ST" / "quyet_dinh_cong_nhan.docx")
    passed = review.results.year(2021).chi_doan["cong_nhan"].fillna(False).astype(bool).sum()  # contract §6.1
    assert f"Công nhận {so(passed)} chi đoàn trên địa bàn dân cư đạt chuẩn năm 2021" in decision
    assert "BAN THƯỜNG VỤ TỈNH ĐOÀN SÔNG TIỀN" in decision
    ranking = document_text(year / "ST" / "bao_cao_tong_hop.docx")
    assert "Đoàn xã Nhơn Thạnh Trung | 1 | 8 | 25,0%" in ranking  # one branch sent nothing: out of the rate


@pytest.mark.slow
@pytest.mark.xdist_group("batch")
def test_rerun_skips_unchanged_communes_and_reruns_a_changed_one(tmp_path):
    data = write(tmp_path / "du_lieu.xlsx", districts=[("ST001", "Huyện Đoàn An Thới", "rural", 0.0)], co_so=3,
                 sau_sap_xep=True)  # a small province after the reform: 3 communes under the Tỉnh Đoàn
    out = tmp_path / "out"
    first = run(PARAMS, data=data, jobs=2, out=out, progress=False, engine="direct")
    assert [(e.ma_don_vi, e.cap, e.status) for e in first.entries] == \
        [("ST001.01", "co_so", "ok"), ("ST001.02", "co_so", "ok"), ("ST001.03", "co_so", "ok"), ("ST", "tinh", "ok")]
    again = run(PARAMS, data=data, jobs=2, out=out, progress=False, engine="direct")
    assert [e.ma_don_vi for e in again.unchanged] == ["ST001.01", "ST001.02", "ST001.03", "ST"]
    wb = openpyxl.load_workbook(data)
    ws = wb["chi_doan"]
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value.startswith("ST001.02.") and r[1].value == 2021)
    row[header.index("Số lần sinh hoạt")].value = 12
    wb.save(data)
    third = run(PARAMS, data=data, jobs=2, out=out, progress=False, engine="direct")
    assert [e.ma_don_vi for e in third.entries if not e.skipped] == ["ST001.02", "ST"]


@pytest.mark.slow  # a batch, through the command line
def test_the_command_line_takes_the_level(tmp_path):
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    res = subprocess.run([sys.executable, "-m", "tongket", "run", "--cap-bao-cao", "co_so", "--huyen", "ST03.05",
                          "--engine", "direct", "--out", str(tmp_path), "--jobs", "1"],
                         capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)
    assert res.returncode == 0, res.stderr
    assert "[xong] Đoàn xã Bình Phục Nhứt (ST03.05)" in res.stdout or "(ST03.05)" in res.stdout
    text = document_text(tmp_path / "2021" / "ST03.05" / "bao_cao_tong_ket.docx")
    assert "HUYỆN ĐOÀN LONG ĐIỀN" in text  # before the reform, the commune's upper body is its district
    res = subprocess.run([sys.executable, "-m", "tongket", "run", "--cap-bao-cao", "co_so", "--huyen", "ST03",
                          "--out", str(tmp_path)], capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)
    assert res.returncode == 2
    assert "Không có đơn vị cấp Đoàn cơ sở mã: ST03" in res.stderr + res.stdout


def test_files_written_atomically_are_readable_by_colleagues(tmp_path):
    from tongket.common.files import _UMASK, write_text

    path = write_text(tmp_path / "a.txt", "xin chào")  # not mkstemp's private 0600
    assert oct(path.stat().st_mode & 0o777) == oct(0o666 & ~_UMASK)
    os.chmod(path, 0o640)
    write_text(path, "lần hai")  # replacing a file keeps its mode
    assert oct(path.stat().st_mode & 0o777) == oct(0o640)


def test_a_province_of_communes_gets_a_chart_that_fits_the_page(review):
    from tongket import figures

    fig = figures(review, "ST", 2021)["so_sanh"]
    ax = fig.axes[0]
    year = review.results.year(2021).bao_cao
    lived = year[year["so_chi_doan_dan_cu"] > 0]
    heights = [p.get_height() for p in ax.patches]
    assert len(heights) == 11 and sum(heights) == len(lived) == 58  # bands of the rate, not 58 bars
    full = int((lived["ty_le_dat_chuan"] >= 1).sum())
    assert heights[-1] == full and ax.patches[-1].get_facecolor()[:3] != ax.patches[0].get_facecolor()[:3]
    assert [t.get_text() for t in ax.get_xticklabels()][-2:] == ["90–<100%", "100%"]
    assert ax.get_title().endswith("58 đơn vị có chi đoàn dân cư, chia theo khoảng tỉ lệ; xanh lá: từ mục tiêu 90% "
                                   "trở lên")
    assert fig.get_figheight() <= 3.5  # inches: a third of a page, not 75 bars running off it


XA_CASES = {
    "xa_bao_cao_tong_ket": "ST02.05/bao_cao_tong_ket.docx",
    "xa_bao_cao_so_ket": "ST02.05/bao_cao_so_ket.docx",
    "xa_phu_luc_so_lieu": "ST02.05/phu_luc_so_lieu.docx",
    "xa_quyet_dinh_cong_nhan_tinh": "ST/quyet_dinh_cong_nhan.docx",
}


@pytest.mark.slow
@pytest.mark.xdist_group("batch")
@pytest.mark.parametrize("case", sorted(XA_CASES))
def test_golden_text_per_commune(xa_run, case):
    """Every word of a commune's documents, reviewed once (TONGKET_GOLDEN=update to accept a change)."""
    text = document_text(xa_run.out / "2021" / XA_CASES[case])
    check_golden(case, text)


def test_the_cycle_workbook_explores_communes(tmp_path):
    import tongket as tk

    wb = tk.cycle_workbook(str(PARAMS), out=str(tmp_path))
    assert wb.bao_cao.description == "Đơn vị:" and len(wb.bao_cao.options) == 75
    wb.bao_cao.value = "ST02.05"
    assert wb.view["bao_cao"] == "ST02.05"
    targets = wb.view["chi_tieu"]
    # a Đoàn cơ sở reporting on its own: the targets over its own branches and members, none over Đoàn cơ sở
    assert list(targets["Chỉ tiêu"]) == ["Tỉ lệ chi đoàn trên địa bàn dân cư đạt chuẩn", "Tỉ lệ tập hợp thanh niên",
                                         "Tỉ lệ đoàn viên giới thiệu được ít nhất một thanh niên (chủ trương “1+1”)"]
    assert list(targets["Thực hiện"]) == ["25,0%", "72,8%", "56,3%"]  # 2/8: one sent nothing
    assert list(targets["Đánh giá"]) == ["Chưa đạt", "Đạt", "Chưa đạt"]
    counts = wb.view["so_luong_bao_cao"].set_index("key")
    assert counts.loc["dat_chuan", "Theo tham số"] == "2/8"
    assert counts.loc["bao_cao/ty_le_dat_chuan", "Chỉ số"].startswith("Đoàn cơ sở đạt chỉ tiêu: ")


def test_forms_of_communes_under_the_province_are_filed_under_it(tmp_path, capsys):
    main(["forms", str(PARAMS), "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert "  ST: 65 phiếu\n  ST06: 11 phiếu\n" in out and "nan" not in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ST", "ST06"]
    assert (tmp_path / "ST" / "ST02.05.xlsx").is_file() and (tmp_path / "ST06" / "ST06.01.xlsx").is_file()
