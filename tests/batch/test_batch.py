"""The batch on the sample province: real papermill runs of the real notebooks, real files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import nbformat
import openpyxl
import pandas as pd
import pytest
from docx import Document

from conftest import copy_sample, need_soffice
from tongket.assessment.assess import CHI_DOAN_COLS, CO_SO_COLS, ROLLUP_COLS
from tongket.batch.runner import SLICES, run
from tongket.common.vietnamese import phan_tram
from tongket.documents.doccheck import WARNING as DOC_WARNING
from tongket.errors import TongketError

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("batch")]
HUYEN = ["ST01", "ST02", "ST03", "ST04", "ST05", "ST06"]


def test_every_district_and_the_province_are_written(sample_run):
    assert sample_run.exit_code == 0
    year = sample_run.out / "2021"
    for h in HUYEN:
        for name in ("bao_cao_tong_ket.docx", "phu_luc.xlsx", "bao_cao.ipynb"):
            assert (year / h / name).is_file(), (h, name)
    for name in ("bao_cao_tong_hop.docx", "phu_luc.xlsx", "bao_cao.ipynb"):
        assert (year / "ST" / name).is_file()


DOCS = {"huyen": ["bao_cao_tong_ket", "bao_cao_so_ket", "quyet_dinh_cong_nhan", "phu_luc_so_lieu",
                  "danh_sach_tham_dinh", "phieu_danh_gia_tat_ca"],
        "tinh": ["bao_cao_tong_hop", "bao_cao_so_ket", "phu_luc_so_lieu", "danh_sach_tham_dinh"]}


def test_nothing_unexpected_is_written(sample_run, sample_review):
    year = sample_run.out / "2021"
    allowed = {"manifest.json", "nhat_ky_chay.xlsx"}
    co_so = sample_review.results.co_so
    from tongket.documents.catalogue import DOC_TYPES

    # documents issued only where their input sheet is present (issues 18/19), by the level that issues them
    optional = {lv: [k for k, d in DOC_TYPES.items() if d.applies is not None and lv in d.levels]
                for lv in ("huyen", "tinh")}
    for h in [*HUYEN, "ST"]:
        docs = DOCS["tinh" if h == "ST" else "huyen"] + optional["tinh" if h == "ST" else "huyen"]
        allowed |= {f"{h}/{n}.{ext}" for n in docs for ext in ("docx", "pdf")}
        allowed |= {f"{h}/{n}" for n in ("phu_luc.xlsx", "phu_luc_so_lieu.xlsx", "danh_sach_tham_dinh.xlsx",
                                         "bao_cao.ipynb")}
        allowed |= {f"{h}/bieu_do/{n}.png" for n in ("dat_chuan", "tieu_chi", "xep_loai", "xu_huong", "so_sanh",
                                                      "thanh_vien")}
        allowed |= {f"{h}/phieu_danh_gia/{c}.{ext}" for c in co_so.loc[co_so["ma_huyen"] == h, "ma_don_vi"]
                    for ext in ("docx", "pdf")}
    cache = year / SLICES  # the workbook read once, by unit, for the workers (issue 21): nothing else hidden
    written = {str(p.relative_to(year)) for p in year.rglob("*") if p.is_file() and cache not in p.parents}
    assert written <= allowed, written - allowed
    for h in HUYEN:  # every district has every document, one sheet per Đoàn cơ sở
        assert {f"{h}/{n}.docx" for n in DOCS["huyen"]} <= written
        n_co_so = len(set(co_so.loc[co_so["ma_huyen"] == h, "ma_don_vi"]))
        assert len([w for w in written if w.startswith(f"{h}/phieu_danh_gia/") and w.endswith(".docx")]) == n_co_so
    assert not [p for p in year.rglob(".*") if p != cache and cache not in p.parents]  # no temporary file left behind


def test_manifest(sample_run, sample_review):
    m = json.loads(sample_run.manifest.read_text(encoding="utf-8"))
    assert m["nam"] == 2021 and m["that_bai"] == 0 and m["thanh_cong"] == 7
    assert [d["ma_don_vi"] for d in m["districts"]] == HUYEN
    for d in m["districts"]:
        assert d["status"] == "ok" and d["error"] is None and d["timings"]["seconds"] > 0
        assert f"{d['ma_don_vi']}/bao_cao_tong_ket.docx" in d["files"]
    st06 = next(d for d in m["districts"] if d["ma_don_vi"] == "ST06")
    own = lambda u: [w for w in u["warnings"] if not w.startswith((DOC_WARNING, CHECKED, "  – tệp "))
                     and "hai nguồn điểm chênh nhau" not in w]  # scoring's: tests/test_scoring.py; the data check's below
    assert own(st06) == [
        "Đoàn Khối Các cơ quan tỉnh (ST06): chưa có số văn bản, địa danh, người ký, nơi nhận — để trống «……» trong "
        "báo cáo tổng kết, báo cáo sơ kết, báo cáo tổng hợp mô hình hay, cách làm hiệu quả",
        "Đoàn Khối Các cơ quan tỉnh (ST06): chưa có số văn bản, địa danh, người ký — để trống «……» trong quyết định "
        "công nhận",
        "Đoàn Khối Các cơ quan tỉnh (ST06): chưa có địa danh, người ký — để trống «……» trong phiếu đánh giá Đoàn cơ "
        "sở, phụ lục số liệu, danh sách thẩm định, danh sách đăng ký"]  # a Đoàn Khối: no residential branch, nothing
    # to verify; the optional documents it issues (models, registration list) are named, those it does not are not
    cd = sample_review.results.chi_doan
    waiting = cd[(cd["nam"] == 2021) & (cd["tham_dinh"] == "cho_ket_qua")]
    for d in m["districts"]:  # the sample has no verification results: every drawn branch awaits, by name
        mine = waiting[waiting["ma_huyen"] == d["ma_don_vi"]]
        if d["ma_don_vi"] == "ST06":
            assert mine.empty
            continue
        waits = [w for w in own(d) if "chờ kết quả thẩm định" in w]  # after the unit's missing details, if any
        assert waits[0] == (f"{len(mine)} chi đoàn chờ kết quả thẩm định; quyết định công nhận là DỰ THẢO "
                                    "(chưa có số) đến khi đủ kết quả. Nhập kết quả vào trang tham_dinh của sổ dữ liệu "
                                    "(mẫu: danh_sach_tham_dinh.xlsx) rồi chạy lại:")
        rest = own(d)[own(d).index(waits[0]):]  # the message, then one line per Đoàn cơ sở naming its branches
        assert len(rest) == 1 + mine["ma_co_so"].nunique()
        assert all(any(n in w for w in rest[1:]) for n in mine["ten_don_vi"])
    assert own(m["province"])[-1].startswith(f"{len(waiting)} chi đoàn chờ kết quả thẩm định")
    assert m["province"]["ma_don_vi"] == "ST" and m["province"]["status"] == "ok"


CHECKED = "Kiểm tra sổ dữ liệu có "


def test_the_run_quotes_the_data_checks_warnings(sample_run):
    """`tongket check` doubts 34 figures of the sample (new members above members, a sudden
    doubling, blanks, branches without a 2021 row); `tongket run` wrote the documents on them
    without a word. Each unit's entry now quotes its own, as the check words them."""
    from tongket.errors import WARNING
    from tongket.intake.check import for_cycle
    from tongket.rules.params import load_cycle

    cycle = load_cycle()
    issues = [i for i in for_cycle(cycle).issues if i.severity == WARNING]
    m = json.loads(sample_run.manifest.read_text(encoding="utf-8"))
    quoted = 0
    for d in m["districts"]:
        mine = [str(i).removeprefix("[cảnh báo] ") for i in issues if i.ma_huyen == d["ma_don_vi"]]
        heads = [w for w in d["warnings"] if w.startswith(CHECKED)]
        assert len(heads) == 1 and heads[0].startswith(f"{CHECKED}{len(mine)} cảnh báo về số liệu của đơn vị; văn bản "
                                                       "dùng số liệu như đã nhập"), (d["ma_don_vi"], heads)
        assert heads[0].endswith(f"tinh_mau.xlsx --params {cycle.path}):")
        at = d["warnings"].index(heads[0])
        shown = d["warnings"][at + 1:at + 1 + min(len(mine), 10)]
        assert shown == [f"  – {w}" for w in mine[:10]]
        if len(mine) > 10:
            assert d["warnings"][at + 11] == f"  – và {len(mine) - 10} cảnh báo khác"
        quoted += len(mine)
    assert quoted == len(issues) == 34  # every warning is on its district: none on the province
    assert not [w for w in m["province"]["warnings"] if w.startswith(CHECKED)]
    st03 = next(d for d in m["districts"] if d["ma_don_vi"] == "ST03")["warnings"]
    assert "  – và 3 cảnh báo khác" in st03
    assert ("  – tệp tinh_mau.xlsx, trang chi_doan, dòng 214, cột Số đoàn viên kết nạp mới (L) — giá trị «15»: Số đoàn "
            "viên kết nạp mới lớn hơn số đoàn viên (số đoàn viên: 12) → Cách sửa: Kiểm tra lại với đơn vị; nếu đúng thì "
            "giữ nguyên") in st03


def test_executed_notebooks_are_the_audit_record(sample_run):
    nb = nbformat.read(sample_run.out / "2021/ST02/bao_cao.ipynb", as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected and 'ma_bao_cao = "ST02"' in injected[0].source
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert sum("image/png" in o.get("data", {}) for o in outputs) == 4  # the four charts


def test_docx_numbers_equal_the_appendix_workbook(sample_run):
    year = sample_run.out / "2021"
    for h in HUYEN:
        co_so = pd.read_excel(year / h / "phu_luc.xlsx", sheet_name="co_so")
        assert list(co_so.columns[: len(CO_SO_COLS)]) == CO_SO_COLS
        doc = Document(year / h / "bao_cao_tong_ket.docx")
        table = next(t for t in doc.tables if t.cell(0, 1).text == "Đoàn cơ sở"  # the table of section «Kết quả
                     and t.cell(0, 2).text == "Chi đoàn dân cư")  # theo từng Đoàn cơ sở», not the special units'
        shown = {row.cells[1].text: row.cells[4].text for row in table.rows[1:]}
        for r in co_so.itertuples():
            expected = phan_tram(r.ty_le_dat_chuan) if r.so_chi_doan_dan_cu else "–"
            assert shown[r.ten_don_vi] == expected, (h, r.ten_don_vi)


def test_appendix_workbook_shapes(sample_run):
    wb = openpyxl.load_workbook(sample_run.out / "2021/ST/phu_luc.xlsx")
    assert wb.sheetnames[:4] == ["chi_doan", "co_so", "huyen", "tinh"]
    assert [c.value for c in wb["chi_doan"][1]][: len(CHI_DOAN_COLS)] == CHI_DOAN_COLS
    assert [c.value for c in wb["tinh"][1]][: len(ROLLUP_COLS)] == ROLLUP_COLS
    col = [c.value for c in wb["tinh"][1]].index("ty_le_dat_chuan") + 1
    cell = wb["tinh"].cell(2, col)
    assert 0 < cell.value < 1 and cell.number_format == "0.0%"


def test_province_report_ranks_every_district(sample_run):
    doc = Document(sample_run.out / "2021/ST/bao_cao_tong_hop.docx")
    table = next(t for t in doc.tables if t.cell(0, 0).text == "Hạng")
    names = [row.cells[1].text for row in table.rows[1:]]
    assert len(names) == 6 and names[-1] == "Đoàn Khối Các cơ quan tỉnh"
    rates = [float(row.cells[4].text.rstrip("%").replace(",", ".")) for row in table.rows[1:-1]]
    assert rates == sorted(rates, reverse=True)


def test_run_pdf_converts_every_document(sample_run):
    """`tongket run --pdf`: every Word document has its PDF, listed in the manifest, and the PDF
    says what the document says (pdftotext)."""
    need_soffice()
    year = sample_run.out / "2021"
    docs = sorted(year.rglob("*.docx"))
    assert len(docs) > 60
    for d in docs:
        pdf = d.with_suffix(".pdf")
        assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF"), d
    m = json.loads(sample_run.manifest.read_text(encoding="utf-8"))
    assert "ST02/quyet_dinh_cong_nhan.pdf" in next(d for d in m["districts"] if d["ma_don_vi"] == "ST02")["files"]
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(year / "ST02/quyet_dinh_cong_nhan.pdf"), "-"], capture_output=True,
                              text=True, check=True).stdout
        # the sample has no verification results: the decision is a draft without its number
        assert "QUYẾT ĐỊNH" in text and "DỰ THẢO" in text and "Số: ……-QĐ/ĐTN" in text and "Lê Văn Phúc" in text


def test_pdf_without_libreoffice_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(TongketError, match="Không tìm thấy LibreOffice"):
        run(out=tmp_path / "out", progress=False, pdf=True)
    assert not (tmp_path / "out").exists()


def _break(path, ma_prefix: str) -> None:
    """Make one district's data invalid: a negative count in its first branch row."""
    wb = openpyxl.load_workbook(path)
    ws = wb["chi_doan"]
    header = [c.value for c in ws[1]]
    col = header.index("Số đoàn viên kết nạp mới") + 1
    row = next(r for r in range(2, ws.max_row + 1) if str(ws.cell(r, 1).value).startswith(ma_prefix))
    ws.cell(row, col).value = -4
    wb.save(path)


def test_a_broken_district_fails_alone_and_its_earlier_outputs_leave_the_year_folder_intact(tmp_path):
    data = copy_sample(tmp_path)
    out = tmp_path / "out"
    first = run(data=data, ma_bao_cao=["ST02", "ST03"], out=out, progress=False, jobs=2)
    assert first.exit_code == 0
    before = (out / "2021/ST03/bao_cao_tong_ket.docx").read_bytes()
    _break(data, "ST03.")
    second = run(data=data, ma_bao_cao=["ST02", "ST03"], out=out, progress=False, jobs=2)
    assert second.exit_code == 1
    status = {e.ma_don_vi: e for e in second.entries}
    assert status["ST02"].status == "ok" and status["ST"].status == "ok"
    assert status["ST03"].status == "failed"
    assert "Số lượng không được âm" in status["ST03"].error and "giá trị «-4»" in status["ST03"].error
    # its earlier documents are no longer what its data say: moved out whole, byte for byte, and its folder says why
    (moved,) = (out / "van_ban_khong_dung" / "2021").glob("ST03_*")
    assert (moved / "bao_cao_tong_ket.docx").read_bytes() == before
    assert [p.name for p in (out / "2021/ST03").iterdir()] == ["chua_lap_van_ban.txt"]
    assert f"đã chuyển sang {moved}; không dùng các văn bản đó." in (out / "2021/ST03/chua_lap_van_ban.txt").read_text(
        encoding="utf-8")
    m = json.loads((out / "2021/manifest.json").read_text(encoding="utf-8"))
    failed = next(d for d in m["districts"] if d["ma_don_vi"] == "ST03")
    assert failed["status"] == "failed" and "dòng" in failed["error"]
    province = Document(out / "2021/ST/bao_cao_tong_hop.docx")
    assert any("Chưa tổng hợp do số liệu có lỗi: Huyện Đoàn Long Điền (ST03)." == p.text
               for p in province.paragraphs)


def test_cli_run_exit_codes(tmp_path):
    tongket = [os.path.join(os.path.dirname(os.sys.executable), "tongket")]
    bad = subprocess.run([*tongket, "run", "--nam", "2030", "--out", str(tmp_path)], capture_output=True,
                         text=True, timeout=120)
    assert bad.returncode == 2
    assert "Năm 2030 không có trong dữ liệu (dữ liệu có: 2018, 2019, 2020, 2021)" in bad.stderr
    unknown = subprocess.run([*tongket, "run", "--huyen", "XX9", "--out", str(tmp_path)], capture_output=True,
                             text=True, timeout=120)
    assert unknown.returncode == 2 and "Không có đơn vị cấp huyện mã: XX9" in unknown.stderr
    ok = subprocess.run([*tongket, "run", "--huyen", "ST05", "ST06", "--jobs", "2", "--out", str(tmp_path)],
                        capture_output=True, text=True, timeout=600)
    assert ok.returncode == 0, ok.stderr
    assert "Hoàn thành 3/3 đơn vị." in ok.stdout
    assert (tmp_path / "2021/ST06/bao_cao_tong_ket.docx").is_file()


def test_a_partial_run_quotes_its_own_units_data_warnings(tmp_path):
    """A run of ST01 alone: a new doubt in ST01's rows is on ST01's entry; ST03's thirteen are for
    ST03's own run, not on the province's entry of this one."""
    from tongket.batch import runner
    from tongket.batch.options import RunOptions

    path = copy_sample(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["chi_doan"]
    head = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "ST01.01.01" and r[1].value == 2021)
    row[head.index("Số đoàn viên kết nạp mới")].value = 900  # more new members than members
    wb.save(path)
    plan = runner.select_units(RunOptions(data=path, out=tmp_path / "out", progress=False, engine="direct",
                                          ma_bao_cao=["ST01"]))
    runner.open_entries(plan)
    runner.warn_data_checks(plan)
    st01 = plan.entries["ST01"].warnings
    assert st01[0].startswith(f"{CHECKED}6 cảnh báo về số liệu của đơn vị")
    assert any(w.startswith("  – ") and "— giá trị «900»: Số đoàn viên kết nạp mới lớn hơn số đoàn viên" in w
               for w in st01[1:])
    assert not [w for w in plan.province.warnings if w.startswith(CHECKED)]
