"""Outputs are never stale, half-written or mixed (issue 15, part B): a killed run, two runs into
one folder, PDFs of an older run, files edited since, inputs outside the cycle folder, partial
and trial runs, and the collection of returned forms. Small workbooks and the direct engine."""

from __future__ import annotations

import datetime
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import nbformat
import openpyxl
import pytest
from docx import Document

from conftest import ROOT, every_district_refused, fill_forms, need_soffice, small_rows, small_tree, write_exchange
from tongket.batch import audit, staging
from tongket.batch.runner import SLICES, run
from tongket.cli import main
from tongket.common import files
from tongket.intake.check import load
from tongket.intake.collect import CHUA_NOP, CO_LOI, DA_NOP, collect
from tongket.intake.forms import write_forms
from tongket.rules.params import load_cycle

PY = sys.executable
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "lib"), os.environ.get("PYTHONPATH", "")])}


def workbook(path: Path, members_c11: int = 20) -> Path:
    """The small province (T; H1 with C1, C2; H2 with C3); branch C1.1 has `members_c11` members."""
    cd, cs = small_rows()
    for r in cd:
        if r["ma_don_vi"] == "C1.1" and r["nam"] == 2021:
            r["so_doan_vien"] = members_c11
    return write_exchange(path, small_tree(), cd, cs)


def text(docx: Path) -> str:
    d = Document(docx)
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in d.paragraphs] + cells)


def members(unit_dir: Path, sheet: str = "huyen") -> int:
    """The unit's member count as its appendix workbook gives it."""
    ws = openpyxl.load_workbook(unit_dir / "phu_luc.xlsx")[sheet]
    header = [c.value for c in ws[1]]
    return ws.cell(2, header.index("so_doan_vien") + 1).value


def slow_notebooks(folder: Path, unit: str = "H2", seconds: int = 300) -> Path:
    """The real notebooks, with `unit` sleeping in its first cell after the parameters."""
    folder.mkdir()
    nb = nbformat.read(ROOT / "notebooks/bao_cao_huyen.ipynb", as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell(f'if ma_bao_cao == "{unit}":\n    import time\n    time.sleep({seconds})'))
    nbformat.write(nb, folder / "bao_cao_huyen.ipynb")
    shutil.copy(ROOT / "notebooks/bao_cao_tinh.ipynb", folder / "bao_cao_tinh.ipynb")
    return folder


def descendants(pid: int) -> set[int]:
    """Every live process below `pid` (Linux /proc)."""
    parent: dict[int, int] = {}
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                stat = (p / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()
            if fields[0] != "Z":
                parent[int(p.name)] = int(fields[1])
    found, todo = set(), [pid]
    while todo:
        p = todo.pop()
        kids = [c for c, pp in parent.items() if pp == p]
        found.update(kids)
        todo += kids
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2:].split()[0] != "Z"


def manifest(year: Path) -> dict:
    return json.loads((year / "manifest.json").read_text(encoding="utf-8"))


# --- 8. a run killed with kill -9 ---------------------------------------------------------------

@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc to find the run's children")
@pytest.mark.slow  # batches, and a third one killed
@pytest.mark.parametrize("engine", ["direct", "warm"])
def test_kill_9_mid_run_no_child_survives_and_the_rerun_shows_the_reverted_figures(tmp_path, engine):
    data, out = tmp_path / "so_lieu.xlsx", tmp_path / "out"
    year = out / "2021"
    workbook(data, members_c11=20)  # data A
    first = run(data=data, out=out, progress=False, engine=engine, jobs=2)
    assert first.exit_code == 0 and members(year / "H1") == 140
    assert "Có 50,0% đoàn viên giới thiệu" in text(year / "H1/bao_cao_tong_ket.docx")

    workbook(data, members_c11=40)  # data B; H1 finishes, H2 hangs, the run is killed
    notebooks = slow_notebooks(tmp_path / "nb")
    code = ("import sys; from tongket.batch.runner import run; run(data=sys.argv[1], out=sys.argv[2], progress=False, "
            "engine=sys.argv[4], jobs=2, notebooks_dir=sys.argv[3])")
    proc = subprocess.Popen([PY, "-c", code, str(data), str(out), str(notebooks), engine], env=ENV)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            m = manifest(year)
            h1 = next(d for d in m["districts"] if d["ma_don_vi"] == "H1")
            if m["trang_thai"] == "dang_chay" and h1["status"] == "ok" and not h1["skipped"]:
                break
            assert proc.poll() is None, "the run ended before it could be killed"
            time.sleep(0.2)
        else:
            pytest.fail("H1 never finished")
        children = descendants(proc.pid)
        assert len(children) >= 2  # the worker processes (and, for "warm", their kernels)
        assert members(year / "H1") == 160  # B's figures are in place, whole
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        deadline = time.monotonic() + 5
        while any(alive(c) for c in children) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [c for c in children if alive(c)], "workers outlived the killed run"
    finally:
        if proc.poll() is None:
            proc.kill()
    m = manifest(year)
    assert m["trang_thai"] == "dang_chay"  # never passes as finished
    assert {d["ma_don_vi"]: d["status"] for d in m["districts"]} == {"H1": "ok", "H2": "pending"}
    assert m["districts"][1]["fingerprint"] is None

    workbook(data, members_c11=20)  # data A again: nothing may be trusted from the killed run
    again = run(data=data, out=out, progress=False, engine=engine, jobs=2)
    assert again.exit_code == 0 and not again.unchanged
    assert members(year / "H1") == 140 and members(year / "T", "tinh") == 160
    assert "Có 50,0% đoàn viên giới thiệu" in text(year / "H1/bao_cao_tong_ket.docx")
    assert manifest(year)["trang_thai"] == "xong"
    assert [p.name for p in year.glob(".*")] == [SLICES]  # no staging folder, no lock left: the read workbook only


# --- 10. two runs into one folder ----------------------------------------------------------------

@pytest.mark.slow  # a batch
def test_a_second_run_into_the_same_folder_is_refused_and_a_dead_runs_lock_is_taken_over(tmp_path):
    data, out = workbook(tmp_path / "so_lieu.xlsx"), tmp_path / "out"
    year = out / "2021"
    holder = subprocess.Popen(
        [PY, "-c", "import sys, time; from pathlib import Path; from tongket.batch import staging\n"
                   "with staging.lock(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(120)",
         str(year)], env=ENV, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        cli = [PY, "-m", "tongket", "run", "--data", str(data), "--out", str(out), "--engine", "direct"]
        second = subprocess.run(cli, capture_output=True, text=True, timeout=120, env=ENV)
        assert second.returncode == 2
        assert f"Thư mục kết quả {year} đang được một lần chạy khác ghi (tiến trình {holder.pid}, bắt đầu lúc " \
            in second.stderr
        assert "Hãy chờ lần chạy đó xong rồi chạy lại, hoặc ghi ra thư mục khác (--out)." in second.stderr
        assert sorted(p.name for p in year.iterdir()) == [staging.LOCK_NAME]  # nothing written
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(10)
        holder.stdout.close()  # a pipe left open is an error when warnings are
    lock = year / staging.LOCK_NAME
    assert json.loads(lock.read_text())["pid"] == holder.pid  # left by a dead run
    result = run(data=data, out=out, progress=False, engine="direct", jobs=1)
    assert result.exit_code == 0 and not lock.exists()


@pytest.mark.slow  # a batch
def test_lock_waits_for_a_short_run_then_takes_the_folder(tmp_path):
    import threading

    year = tmp_path / "2021"
    order = []

    def first() -> None:
        with staging.lock(year):
            order.append("first")
            time.sleep(0.6)
            order.append("first done")

    t = threading.Thread(target=first)
    t.start()
    while not order:
        time.sleep(0.01)
    with staging.lock(year, wait=10):
        order.append("second")
    t.join()
    assert order == ["first", "first done", "second"]
    with staging.lock(year):  # in one process too, a second holder is refused
        with pytest.raises(staging.Busy, match=f"tiến trình {os.getpid()}"):
            with staging.lock(year, wait=0.3):
                pass


def test_check_and_assess_refuse_to_write_over_their_input(tmp_path, capsys):
    data = workbook(tmp_path / "so_lieu.xlsx")
    before = data.read_bytes()
    with pytest.raises(SystemExit) as exc:
        main(["check", str(data), "--out", str(data)])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert ("Tệp kết quả (--out) trùng với sổ dữ liệu đang kiểm tra so_lieu.xlsx: ghi ra sẽ xóa mất tệp đó. "
            "Hãy chọn tên khác, ví dụ so_lieu_ket_qua.xlsx. Chưa ghi gì.") in err
    with pytest.raises(SystemExit) as exc:
        main(["assess", "--data", str(data), "--nam", "2021", "--out", str(tmp_path / "." / "so_lieu.xlsx")])
    assert exc.value.code == 2
    assert "Tệp kết quả (--out) trùng với sổ dữ liệu so_lieu.xlsx" in capsys.readouterr().err
    assert data.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["so_lieu.xlsx"]


# --- 7. no PDF outlives the run that made it ---------------------------------------------------------

@pytest.mark.slow  # LibreOffice
def test_a_run_without_pdf_leaves_no_pdf_of_an_earlier_run(tmp_path):
    need_soffice()
    data, out = workbook(tmp_path / "so_lieu.xlsx"), tmp_path / "out"
    year = out / "2021"
    with_pdf = run(data=data, out=out, progress=False, engine="direct", jobs=2, ma_bao_cao=["H2"], pdf=True)
    assert with_pdf.exit_code == 0
    assert (year / "H2/bao_cao_tong_ket.pdf").is_file() and (year / "T/bao_cao_tong_hop.pdf").is_file()
    workbook(data, members_c11=40)
    plain = run(data=data, out=out, progress=False, engine="direct", jobs=2, ma_bao_cao=["H2"])
    assert plain.exit_code == 0 and not plain.unchanged
    assert list(year.rglob("*.pdf")) == []
    for e in plain.entries:  # the folder holds exactly what the manifest lists, nothing more
        assert staging.listing(year / e.ma_don_vi, year) == e.files
        assert not [f for f in e.files if f.endswith(".pdf")]


# --- 8. files changed since are reported, and their unit rerun -----------------------------------------

@pytest.mark.slow  # a batch
def test_a_unit_whose_files_changed_since_is_rerun_and_says_which(tmp_path):
    data, out = workbook(tmp_path / "so_lieu.xlsx"), tmp_path / "out"
    year = out / "2021"
    first = run(data=data, out=out, progress=False, engine="direct", jobs=2)
    m = manifest(year)
    h1 = m["districts"][0]
    assert set(h1["hashes"]) == set(h1["files"]) and "H1/bao_cao_tong_ket.docx" in h1["files"]
    assert all(files.file_digest(year / f) == d for f, d in h1["hashes"].items())
    original = (year / "H1/bao_cao_tong_ket.docx").read_bytes()
    with open(year / "H1/bao_cao_tong_ket.docx", "ab") as f:  # edited by hand
        f.write(b"\0")
    (year / "T/phu_luc.xlsx").unlink()
    (year / "H2/bao_cao_tong_ket.pdf").write_bytes(b"%PDF old")  # a stray file
    again = run(data=data, out=out, progress=False, engine="direct", jobs=2)
    by = {e.ma_don_vi: e for e in again.entries}
    assert first.exit_code == again.exit_code == 0
    assert not any(e.skipped for e in again.entries)
    assert by["H1"].changed_since == ["tệp H1/bao_cao_tong_ket.docx đã bị sửa"]
    assert by["T"].changed_since == ["mất tệp T/phu_luc.xlsx"]
    assert by["H2"].changed_since == ["có thêm tệp H2/bao_cao_tong_ket.pdf"]
    assert ("Tệp kết quả đã thay đổi từ lần chạy trước (tệp H1/bao_cao_tong_ket.docx đã bị sửa): lập lại"
            in by["H1"].warnings)
    assert (year / "H1/bao_cao_tong_ket.docx").read_bytes() != original + b"\0"
    assert (year / "T/phu_luc.xlsx").is_file() and not (year / "H2/bao_cao_tong_ket.pdf").exists()
    third = run(data=data, out=out, progress=False, engine="direct", jobs=2)
    assert all(e.skipped for e in third.entries)


# --- 9. fingerprints cover every file a document depends on -----------------------------------------------

def test_fingerprint_covers_a_rubric_outside_the_cycle_folder_and_an_xlsx_score_sheet(tmp_path):
    from tongket.rules.scoresheet import load_score_sheet, write_excel

    elsewhere = tmp_path / "o_noi_khac"
    elsewhere.mkdir()
    rubric = shutil.copy(ROOT / "params/rubrics/chi_doan_dat_chuan.yaml", elsewhere / "tieu_chi.yaml")
    sheet = write_excel(load_score_sheet(ROOT / "params/bang_diem/bang_diem_mau.yaml"), elsewhere / "bang_diem.xlsx")
    cycle_dir = tmp_path / "ky"
    cycle_dir.mkdir()
    text_ = (ROOT / "params/tong_ket_2021.yaml").read_text(encoding="utf-8")
    for old, new in (("../data/sample/tinh_mau.xlsx", str(ROOT / "data/sample/tinh_mau.xlsx")),
                     ("scales/", str(ROOT / "params/scales") + "/"),
                     ("rubrics/chi_doan_dat_chuan.yaml", str(rubric)),
                     ("rubrics/ba_chu_dong.yaml", str(ROOT / "params/rubrics/ba_chu_dong.yaml")),
                     ("bang_diem/bang_diem_mau.yaml", str(sheet)),
                     ("bang_diem/bang_diem_dac_thu.yaml", str(ROOT / "params/bang_diem/bang_diem_dac_thu.yaml")),
                     ("text_dir: van_ban/tong_ket_2021", f"text_dir: {ROOT / 'params/van_ban/tong_ket_2021'}")):
        text_ = text_.replace(old, new)
    cycle_file = cycle_dir / "ky.yaml"
    cycle_file.write_text(text_, encoding="utf-8")

    def digests() -> dict[str, str]:
        return audit.input_files(load_cycle(cycle_file), [])["tham_so"]

    before = digests()
    rubric, sheet = rubric.resolve(), sheet.resolve()
    assert before[str(rubric)] == files.file_digest(rubric) and before[str(sheet)] == files.file_digest(sheet)
    rubric.write_text(rubric.read_text(encoding="utf-8").replace("value: 8", "value: 6"), encoding="utf-8")
    after_rubric = digests()
    assert [k for k in before if before[k] != after_rubric.get(k)] == [str(rubric)]
    wb = openpyxl.load_workbook(sheet)
    wb.active["B2"] = "Bảng điểm đã sửa"
    wb.save(sheet)
    after_sheet = digests()
    assert [k for k in after_rubric if after_rubric[k] != after_sheet.get(k)] == [str(sheet)]


def test_the_kit_fingerprint_covers_every_file_of_the_package(tmp_path, monkeypatch):
    assert (audit.PACKAGE / "__main__.py").is_file() and (audit.PACKAGE / "documents").is_dir()  # the root, not a step
    package = tmp_path / "tongket"
    shutil.copytree(ROOT / "lib/tongket", package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(audit, "PACKAGE", package)
    before = audit.kit_version()["source"]
    (package / "py.typed").write_text("changed")  # not a module, still part of the package
    assert audit.kit_version()["source"] != before
    before = audit.kit_version()["source"]
    deep = package / "documents" / "narrative.py"  # a module two folders down counts as much
    deep.write_text(deep.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert audit.kit_version()["source"] != before


# --- 11. a partial run says so; a trial rule set has its own folder ----------------------------------------

@pytest.mark.slow  # a batch
def test_a_province_without_a_failed_district_is_marked_partial_everywhere(tmp_path):
    cd, cs = small_rows()
    for r in cd:
        if r["ma_don_vi"] == "C3.1" and r["nam"] == 2021:
            r["so_ket_nap_moi"] = -4  # H2's data is refused
    data, out = write_exchange(tmp_path / "so_lieu.xlsx", small_tree(), cd, cs), tmp_path / "out"
    cli = [PY, "-m", "tongket", "run", "--data", str(data), "--out", str(out), "--engine", "direct", "--jobs", "1"]
    res = subprocess.run(cli, capture_output=True, text=True, timeout=300, env=ENV)
    assert res.returncode == 1, res.stderr
    assert "[xong một phần] Tỉnh Đoàn Thử (T)" in res.stdout
    assert "    số liệu toàn tỉnh chưa gồm: Huyện Đoàn Hai (H2) (số liệu có lỗi)" in res.stdout
    assert "Hoàn thành (một phần) 2/3 đơn vị." in res.stdout
    m = manifest(out / "2021")
    assert m["trang_thai"] == "mot_phan" and m["province"]["missing_units"] == ["Huyện Đoàn Hai (H2)"]
    assert "Chưa tổng hợp do số liệu có lỗi: Huyện Đoàn Hai (H2)." in text(out / "2021/T/bao_cao_tong_hop.docx")
    ws = openpyxl.load_workbook(out / "2021/nhat_ky_chay.xlsx")["tong_hop"]
    province = [[c.value for c in r] for r in ws.iter_rows(min_row=5)][-1]
    assert province[3] == "Xong một phần" and province[6] == "Chưa tổng hợp do số liệu có lỗi: Huyện Đoàn Hai (H2)"


def test_a_province_whose_every_district_is_refused_writes_no_summary_and_says_why(tmp_path, capsys):
    """Every district's data refused: the province's totals would sum no district. Its documents
    are not written (the run starts no worker at all: this test is no batch); its entry says why,
    in words, and the review refuses the same way when a notebook asks for it."""
    from tongket.assessment.review import open_review
    from tongket.errors import DataError

    data, out = every_district_refused(tmp_path / "so_lieu.xlsx"), tmp_path / "out"
    result = run(data=data, out=out, progress=False, engine="direct", jobs=2)
    assert result.exit_code == 1
    status = {e.ma_don_vi: e for e in result.entries}
    assert [status[u].status for u in ("H1", "H2", "T")] == ["failed", "failed", "failed"]
    assert status["T"].error == ("Chưa lập văn bản tổng hợp của tỉnh: huyện nào cũng có lỗi trong dữ liệu (lỗi ghi ở "
                                 "từng huyện), không còn số liệu nào để tổng hợp. Sửa các lỗi đó rồi chạy lại.")
    assert status["H1"].error.startswith("Dữ liệu có lỗi:\n[lỗi] tệp so_lieu.xlsx, trang chi_doan, dòng ")
    assert "giá trị «-4»: Số lượng không được âm" in status["H2"].error
    assert not (out / "2021" / "T").exists()
    # The small province lacks its documents' details, but no document is written: none is said to lack them.
    assert not [w for e in result.entries for w in e.warnings if "để trống" in w]
    m = manifest(out / "2021")
    assert m["province"]["status"] == "failed" and m["thanh_cong"] == 0
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:  # as the analyst reads it
        main(["run", "--data", str(data), "--out", str(out), "--engine", "direct"])
    assert exc.value.code == 1
    said = capsys.readouterr().out
    assert "[LỖI] Tỉnh Đoàn Thử (T)" in said and "Chưa hoàn thành đơn vị nào: 0/3 đơn vị." in said
    # no warning of blanks in documents not written; the data check's doubts are still quoted, to mend the data
    assert [w for w in said.splitlines() if "cảnh báo" in w and not w.startswith(
        ("    cảnh báo: Kiểm tra sổ dữ liệu có ", "    cảnh báo:   – tệp so_lieu.xlsx"))] == []
    with pytest.raises(DataError) as refused:
        open_review(data=data, nam=2021)
    assert str(refused.value).startswith("Dữ liệu có 2 lỗi, cần sửa trước khi đánh giá:")


@pytest.mark.slow  # a batch
def test_a_trial_rule_set_renders_in_its_own_folder(tmp_path):
    from tongket.lab import whatif

    params = tmp_path / "params"
    shutil.copytree(ROOT / "params", params)
    data, out = workbook(tmp_path / "so_lieu.xlsx"), tmp_path / "out"
    official = params / "tong_ket_2021.yaml"
    cycle = load_cycle(official, data=data)
    key = next(k.key for k in whatif.knobs(cycle) if k.key.startswith("chi_doan/tc5"))
    saved = whatif.save(cycle, {key: 6}, "Sinh hoạt 6 lần")
    assert "thu_nghiem: Sinh hoạt 6 lần" in saved.cycle.read_text(encoding="utf-8")

    first = run(official, data=data, out=out, progress=False, engine="direct", jobs=2)
    trial = run(saved.cycle, data=data, out=out, progress=False, engine="direct", jobs=2)
    assert first.exit_code == trial.exit_code == 0
    folder = out / "2021/thu_nghiem/sinh_hoat_6_lan"
    assert trial.folder == folder and (folder / "H1/bao_cao_tong_ket.docx").is_file()
    assert manifest(folder)["districts"][0]["rule_set"] == {"tep": str(saved.cycle), "thu_nghiem": "Sinh hoạt 6 lần"}
    m = manifest(out / "2021")
    assert {d["rule_set"]["tep"] for d in m["districts"]} == {str(official)}  # the official folder untouched
    assert all(e.skipped for e in run(official, data=data, out=out, progress=False, engine="direct").entries)
    # A hand-made cycle file over some units only may not mix its documents with the official ones.
    other = params / "tong_ket_khac.yaml"
    other.write_text(official.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(Exception, match="có văn bản của 1 đơn vị lập theo tệp tham số khác \\(tong_ket_2021.yaml\\)"):
        run(other, data=data, out=out, ma_bao_cao=["H2"], progress=False, engine="direct")


# --- 12. collect: each returned file judged alone ------------------------------------------------------

@pytest.fixture
def returned(tmp_path):
    data = load(workbook(tmp_path / "so_lieu.xlsx"), load_cycle().scale)
    folder = tmp_path / "nop"
    write_forms(data, 2021, folder)
    fill_forms(folder, data, 2021, sent=datetime.date(2021, 12, 5))
    return folder, data


def test_collect_blames_the_unit_whose_form_has_the_error(returned):
    folder, data = returned
    c1 = folder / "H1" / "C1.xlsx"  # C1's form gets an error; C3's (read last) is clean
    wb = openpyxl.load_workbook(c1)
    ws = wb["chi_doan"]
    header = [c.value for c in ws[3]]
    ws.cell(4, header.index("Số đoàn viên") + 1).value = -5
    wb.save(c1)
    cycle = load_cycle()
    res = collect(folder, data, 2021, cycle.scale)
    st = res.status.set_index("Mã đơn vị")
    assert st.loc["C1", "Tình trạng"] == CO_LOI and st.loc["C1", "Số lỗi"] >= 1
    assert (st.loc["C2", "Tình trạng"], st.loc["C3", "Tình trạng"]) == (DA_NOP, DA_NOP)
    assert (st.loc["C2", "Số lỗi"], st.loc["C3", "Số lỗi"]) == (0, 0)


def test_collect_never_reads_its_own_output_and_a_half_written_form_fails_alone(returned, tmp_path):
    folder, data = returned
    out = folder / "so_lieu_2021.xlsx"  # the consolidated workbook written into the forms' folder
    broken = folder / "H2" / "C3.xlsx"  # saved half-way: a sheet's XML cut short
    with zipfile.ZipFile(broken) as z:
        parts = [(i, z.read(i)) for i in z.infolist()]
    with zipfile.ZipFile(broken, "w") as z:
        for info, body in parts:
            z.writestr(info, body[: len(body) // 2] if info.filename.startswith("xl/worksheets/") else body)
    params = str(ROOT / "params/tong_ket_2021.yaml")
    runs = []
    for _ in range(2):
        res = subprocess.run([PY, "-m", "tongket", "collect", str(folder), params, "--data", str(data.path),
                              "--out", str(out)], capture_output=True, text=True, timeout=300, env=ENV)
        runs.append(res)
    for res in runs:
        assert res.returncode == 1, res.stderr
        assert "Traceback" not in res.stderr
        assert "[lỗi] tệp H2/C3.xlsx: " in res.stdout  # that file's error, and the others collected
        assert "Xung đột" not in res.stdout and "so_lieu_2021" not in res.stdout.split("Sổ số liệu tổng hợp")[0]
    assert runs[0].stdout == runs[1].stdout  # the second run did not read the first one's output
    status = openpyxl.load_workbook(folder / "tinh_trang_thu_thap_2021.xlsx")["tinh_trang"]
    rows = {r[1]: r[3] for r in status.iter_rows(min_row=2, values_only=True)}
    assert rows == {"C1": DA_NOP, "C2": DA_NOP, "C3": CHUA_NOP}
    again = collect(folder, data, 2021, load_cycle().scale)  # the library, told nothing: skips them all the same
    assert "so_lieu_2021.xlsx" not in {g.name for g in again.files}
    assert "tinh_trang_thu_thap_2021.xlsx" not in {g.name for g in again.files}
    got = load(out, load_cycle().scale)
    assert set(got.chi_doan.query("nam == 2021")["ma_don_vi"]) == {"C1.1", "C1.2", "C1.3", "C1.4", "C1.S", "C2.1",
                                                                    "C2.2"}
