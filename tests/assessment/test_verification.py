"""Recognition follows verification [001 III.2 bước 4], contract §6.1: the random sample, the team's
results in sheet `tham_dinh`, `tham_dinh`/`cong_nhan` per branch, the decision a draft while any
drawn branch awaits its result, failed branches named in the list and absent from the decision.

Every case runs on a real copy of the sample workbook with a real `tham_dinh` sheet, writes the
district's documents and reads the Word text a staffer reads."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import copy_sample, fill_forms
from helpers import docx_text
from tongket import open_review
from tongket.common import paths
from tongket.intake.check import load
from tongket.intake.collect import collect, write_exchange
from tongket.intake.forms import write_forms
from tongket.pipeline import write_unit
from tongket.rules.verification import awaiting_in_folder

HUYEN = "ST02"
NAM = 2021


def table_rows(path: Path, first_header: str) -> list[list[str]]:
    """The body rows of the first table whose second header cell is `first_header`."""
    doc = Document(str(path))
    t = next(t for t in doc.tables if len(t.columns) > 1 and t.cell(0, 1).text == first_header)
    return [[c.text for c in row.cells] for row in t.rows[1:]]


def with_results(tmp_path: Path, rows: list[tuple], header: tuple = ("Mã đơn vị", "Năm", "Kết quả thẩm định",
                                                                        "Ghi chú")) -> Path:
    """A copy of the sample workbook with a sheet `tham_dinh` holding `rows` under `header`."""
    path = copy_sample(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb.create_sheet("tham_dinh")
    ws.append(list(header))
    for r in rows:
        ws.append(list(r))
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def base():
    """The sample as shipped: no `tham_dinh` sheet."""
    return open_review()


@pytest.fixture(scope="module")
def drawn(base) -> pd.DataFrame:
    cd = base.results.chi_doan
    return cd[(cd["nam"] == NAM) & (cd["ma_huyen"] == HUYEN) & (cd["tham_dinh"] == "cho_ket_qua")]


def write(tmp_path: Path, data: Path | None) -> Path:
    review = open_review(data=data) if data else open_review()
    write_unit(review, HUYEN, tmp_path / "out", NAM)
    return tmp_path / "out" / str(NAM) / HUYEN


def branch_key(cd: pd.DataFrame, names: pd.Series) -> set[tuple[str, str]]:
    return {(names[c], t) for c, t in zip(cd["ma_co_so"], cd["ten_don_vi"])}


# ------------------------------------------------------------------------------- the columns
def test_without_the_sheet_every_drawn_branch_awaits_and_none_of_them_is_recognised(base, drawn):
    assert "tham_dinh" not in base.data.optional
    cd = base.results.chi_doan
    year = cd[cd["nam"] == NAM]
    assert len(drawn) == 14  # the sample's draw for Phú Mỹ
    assert set(year["tham_dinh"].dropna()) == {"cho_ket_qua"}
    assert drawn["dat_chuan"].all() and not drawn["cong_nhan"].any()
    # recognised ⊆ passing ∩ not failed ∩ not awaiting; empty where the rubric does not apply
    assert (year["cong_nhan"].fillna(False) <= year["dat_chuan"].fillna(False)).all()
    assert year.loc[year["dat_chuan"].isna(), "cong_nhan"].isna().all()
    undrawn = year[year["dat_chuan"].fillna(False).astype(bool) & year["tham_dinh"].isna()]
    assert undrawn["cong_nhan"].all()
    assert list(cd.columns[:15]) == ["ma_don_vi", "ten_don_vi", "nam", "tc1", "tc2", "tc3", "tc4", "tc5", "tc6",
                                     "tc7", "dat_chuan", "ly_do", "xep_loai", "tham_dinh", "cong_nhan"]


FORMS = [("Đạt", "dat"), ("đạt", "dat"), ("Chưa đạt", "chua_dat"), ("KHÔNG ĐẠT", "chua_dat"), ("Có", "dat"),
         ("x", "dat"), (1, "dat"), (0, "chua_dat"), ("Không", "chua_dat"), ("TRUE", "dat")]


def test_every_result_form_is_read_and_headers_may_be_keys(tmp_path, drawn, base):
    codes = list(drawn["ma_don_vi"].iloc[: len(FORMS)])
    rows = [(c, NAM, typed, None) for c, (typed, _) in zip(codes, FORMS)]
    data = with_results(tmp_path, rows, header=("ma_don_vi", "nam", "ket_qua", "ghi_chu"))
    assert not load(data, base.cycle.scale).errors
    r = open_review(data=data).results.chi_doan
    r = r[r["nam"] == NAM].set_index("ma_don_vi")
    for c, (typed, expected) in zip(codes, FORMS):
        assert r.loc[c, "tham_dinh"] == expected, typed
        assert bool(r.loc[c, "cong_nhan"]) == (expected == "dat"), typed


def test_a_result_that_is_not_a_result_is_an_error_naming_its_cell(tmp_path, drawn, base):
    code = drawn["ma_don_vi"].iloc[0]
    d = load(with_results(tmp_path, [(code, NAM, "Tốt", None), ("KHONG_CO", NAM, "Đạt", None)]), base.cycle.scale)
    lines = [str(i) for i in d.errors]
    assert any("tham_dinh" in x and "dòng 2" in x and "Kết quả thẩm định (C)" in x and "Tốt" in x for x in lines), lines
    assert any("tham_dinh" in x and "dòng 3" in x and "KHONG_CO" in x for x in lines), lines


# ------------------------------------------------------------------------------- the documents
def test_no_results_the_decision_is_a_draft_without_number_and_names_no_verification(tmp_path, base, drawn):
    folder = write(tmp_path, None)
    text = docx_text(folder / "quyet_dinh_cong_nhan.docx")
    head = text[: text.index("QUYẾT ĐỊNH\n")]
    assert "DỰ THẢO" in head
    assert text.count("DỰ THẢO") == 2 and text.index("DỰ THẢO", len(head)) < text.index("DANH SÁCH")  # the annex too
    assert "14 chi đoàn được chọn thẩm định chưa có kết quả" in head
    assert "Số: ……-QĐ/ĐTN" in text and "Số: 47-QĐ/ĐTN" not in text
    assert "Phú Mỹ, ngày … tháng … năm 2021" in text
    assert "Kèm theo Quyết định số ……-QĐ/ĐTN ngày … tháng … năm 2021 của" in text
    assert "thẩm định ngẫu nhiên chi đoàn báo cáo đạt chuẩn" not in text  # no claim it happened
    assert "Căn cứ kết quả đánh giá, xếp loại tổ chức cơ sở Đoàn năm 2021;" in text
    year = base.results.of_unit(HUYEN).year(NAM).chi_doan
    recognised = year[year["cong_nhan"].fillna(False).astype(bool)]
    assert len(recognised) == 51 - 14
    assert f"Điều 1. Công nhận {len(recognised)} chi đoàn trên địa bàn dân cư đạt chuẩn năm 2021" in text
    names = base.results.names()
    listed = {(r[2], r[1]) for r in table_rows(folder / "quyet_dinh_cong_nhan.docx", "Chi đoàn")}
    assert listed == branch_key(recognised, names)
    assert not listed & branch_key(drawn, names)  # no branch awaiting its result is recognised

    lst = docx_text(folder / "danh_sach_tham_dinh.docx")
    rows = table_rows(folder / "danh_sach_tham_dinh.docx", "Chi đoàn")
    assert len(rows) == 14 and {r[4] for r in rows} == {"Chờ kết quả"}
    assert "Đã có kết quả thẩm định của 0/14 chi đoàn; 14 chi đoàn còn chờ kết quả" in lst
    assert "mã lần chọn: 2021" in lst
    for word in ("hạt giống", "numpy", "crc32", "tham_dinh", "trang «"):
        assert word not in lst and word not in text, word

    warning = awaiting_in_folder(folder)
    assert warning[0].startswith("14 chi đoàn chờ kết quả thẩm định; quyết định công nhận là DỰ THẢO")
    assert "  – Đoàn xã An Vĩnh Ngãi: Chi đoàn ấp Đông Phú, Chi đoàn ấp Hòa Bình" in warning
    assert len(warning) == 1 + drawn["ma_co_so"].nunique()


def test_all_results_in_make_the_decision_final(tmp_path, base, drawn):
    rows = [(c, NAM, "Đạt", None) for c in drawn["ma_don_vi"]]
    folder = write(tmp_path, with_results(tmp_path, rows))
    text = docx_text(folder / "quyet_dinh_cong_nhan.docx")
    assert "DỰ THẢO" not in text and "Dự thảo" not in text
    assert "Số: 47-QĐ/ĐTN" in text and "Kèm theo Quyết định số 47-QĐ/ĐTN" in text
    assert ("Căn cứ kết quả đánh giá, xếp loại tổ chức cơ sở Đoàn năm 2021 và kết quả thẩm định ngẫu nhiên "
            "chi đoàn báo cáo đạt chuẩn;") in text
    assert "Điều 1. Công nhận 51 chi đoàn trên địa bàn dân cư đạt chuẩn năm 2021" in text
    assert len(table_rows(folder / "quyet_dinh_cong_nhan.docx", "Chi đoàn")) == 51
    lst = docx_text(folder / "danh_sach_tham_dinh.docx")
    assert "Kết quả thẩm định: 14 chi đoàn đạt, 0 chi đoàn chưa đạt." in lst
    assert {r[4] for r in table_rows(folder / "danh_sach_tham_dinh.docx", "Chi đoàn")} == {"Đạt"}
    assert awaiting_in_folder(folder) == []


def test_a_failed_branch_is_named_in_the_list_and_never_in_the_decision(tmp_path, base, drawn):
    failed = drawn.iloc[[1, 4]]
    rows = [(c, NAM, "Chưa đạt" if c in set(failed["ma_don_vi"]) else "Đạt",
             "Sổ sách sinh hoạt không khớp báo cáo" if c in set(failed["ma_don_vi"]) else None)
            for c in drawn["ma_don_vi"]]
    folder = write(tmp_path, with_results(tmp_path, rows))
    names = base.results.names()
    listed = {(r[2], r[1]) for r in table_rows(folder / "quyet_dinh_cong_nhan.docx", "Chi đoàn")}
    assert len(listed) == 49 and not listed & branch_key(failed, names)
    text = docx_text(folder / "quyet_dinh_cong_nhan.docx")
    assert "Điều 1. Công nhận 49 chi đoàn" in text and "DỰ THẢO" not in text and "Số: 47-QĐ/ĐTN" in text
    for f in failed.itertuples():  # the failed branches: their result and the team's note, by name
        assert [f.ten_don_vi, names[f.ma_co_so], "Chưa đạt", "Sổ sách sinh hoạt không khớp báo cáo"] in [
            r[1:3] + r[4:] for r in table_rows(folder / "danh_sach_tham_dinh.docx", "Chi đoàn")]
    lst = docx_text(folder / "danh_sach_tham_dinh.docx")
    assert ("Kết quả thẩm định: 12 chi đoàn đạt, 2 chi đoàn chưa đạt. Chi đoàn thẩm định chưa đạt không được "
            "công nhận.") in lst


def test_a_result_outside_the_sample_counts_and_a_missing_one_keeps_the_draft(tmp_path, base, drawn):
    cd = base.results.of_unit(HUYEN).year(NAM).chi_doan
    extra = cd[cd["dat_chuan"].fillna(False).astype(bool) & cd["tham_dinh"].isna()].iloc[0]
    rows = [(c, NAM, "Đạt", None) for c in drawn["ma_don_vi"].iloc[:-1]]  # the last drawn branch: no result
    rows += [(drawn["ma_don_vi"].iloc[-1], NAM, None, None), (extra["ma_don_vi"], NAM, "Không", "Kiểm tra thêm")]
    data = with_results(tmp_path, rows)
    r = open_review(data=data).results.chi_doan
    row = r[(r["ma_don_vi"] == extra["ma_don_vi"]) & (r["nam"] == NAM)].iloc[0]
    assert (row["tham_dinh"], bool(row["cong_nhan"]), row["ghi_chu_tham_dinh"]) == ("chua_dat", False, "Kiểm tra thêm")
    last = r[(r["ma_don_vi"] == drawn["ma_don_vi"].iloc[-1]) & (r["nam"] == NAM)].iloc[0]
    assert last["tham_dinh"] == "cho_ket_qua" and not last["cong_nhan"]
    folder = write(tmp_path, data)
    text = docx_text(folder / "quyet_dinh_cong_nhan.docx")
    assert "DỰ THẢO" in text and "1 chi đoàn được chọn thẩm định chưa có kết quả" in text
    assert "Điều 1. Công nhận 49 chi đoàn" in text  # 51 − the one awaiting − the one failed outside the sample
    names = base.results.names()
    listed = {(x[2], x[1]) for x in table_rows(folder / "quyet_dinh_cong_nhan.docx", "Chi đoàn")}
    assert (names[extra["ma_co_so"]], extra["ten_don_vi"]) not in listed
    lst_rows = table_rows(folder / "danh_sach_tham_dinh.docx", "Chi đoàn")
    assert len(lst_rows) == 15
    assert [extra["ten_don_vi"], names[extra["ma_co_so"]], "Thẩm định thêm", "Chưa đạt", "Kiểm tra thêm"] in [
        x[1:] for x in lst_rows]
    assert "Đã có kết quả thẩm định của 14/15 chi đoàn; 1 chi đoàn còn chờ kết quả" in docx_text(
        folder / "danh_sach_tham_dinh.docx")
    book = pd.read_excel(folder / "phu_luc.xlsx", sheet_name="chi_doan")
    got = book.set_index("ma_don_vi").loc[extra["ma_don_vi"]]
    assert got["tham_dinh"] == "chua_dat" and not got["cong_nhan"]


# ------------------------------------------------------------------------------- the team's workbook
def test_the_team_fills_its_workbook_and_collect_brings_the_results_in(tmp_path, base, drawn):
    folder = write(tmp_path, None)
    book = folder / "danh_sach_tham_dinh.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb["tham_dinh"]
    assert [c.value for c in ws[3]] == ["Mã đơn vị", "Năm", "Tên chi đoàn", "Thuộc Đoàn cơ sở",
                                        "Số chọn / số báo cáo đạt", "Kết quả thẩm định", "Ghi chú"]
    codes = [ws.cell(r, 1).value for r in range(4, ws.max_row + 1)]
    assert sorted(codes) == sorted(drawn["ma_don_vi"]) and all(ws.cell(r, 6).value is None for r in range(4, 18))
    (dv,) = [d for d in ws.data_validations.dataValidation if "F4" in str(d.sqref)]
    assert dv.formula1 == '"Đạt,Chưa đạt"' and str(dv.sqref) == "F4:F17"
    assert ws.protection.sheet and ws["A4"].protection.locked and not ws["F4"].protection.locked
    guide = " ".join(str(c.value) for c in wb["huong_dan"]["A"] if c.value)
    assert "mã lần chọn 2021" in guide and "numpy default_rng" in guide  # the method lives here, not in the Word list
    for r in range(4, ws.max_row + 1):
        ws.cell(r, 6).value = "Chưa đạt" if r == 4 else "Đạt"
    ws.cell(4, 7).value = "Không có biên bản sinh hoạt"
    returned = tmp_path / "da_nop"
    master = load(paths.SAMPLE_DATA, base.cycle.scale)
    write_forms(master, NAM, returned, only=[HUYEN])  # the district's data forms come back filled in ...
    fill_forms(returned, master, NAM)
    wb.save(returned / "ket_qua_tham_dinh_ST02.xlsx")  # ... and, beside them, the team's results

    got = collect(returned, master, NAM, base.cycle.scale)
    assert not got.errors
    results = got.data.optional["tham_dinh"]
    assert len(results) == 14 and int(results["ket_qua"].sum()) == 13
    merged = write_exchange(got.data, tmp_path / "gop.xlsx")
    # the consolidated workbook writes the results as people type them
    sheet = openpyxl.load_workbook(merged)["tham_dinh"]
    assert {c.value for c in sheet["C"][1:]} == {"Đạt", "Chưa đạt"}
    out = write(tmp_path / "sau", merged)
    text = docx_text(out / "quyet_dinh_cong_nhan.docx")
    assert "DỰ THẢO" not in text and "Điều 1. Công nhận 50 chi đoàn" in text
    failed = codes[0]
    row = drawn.set_index("ma_don_vi").loc[failed]
    assert [row["ten_don_vi"], "Chưa đạt", "Không có biên bản sinh hoạt"] in [
        [x[1], x[4], x[5]] for x in table_rows(out / "danh_sach_tham_dinh.docx", "Chi đoàn")]


# ------------------------------------------------------------------------------- the province (cap co_so)
def test_the_province_decision_of_a_commune_cycle_follows_the_same_rule(tmp_path):
    from tongket.assessment.review import tinh_code
    from tongket.documents.contexts import quyet_dinh_cong_nhan

    params = paths.PARAMS / "tong_ket_2021_sau_sap_xep.yaml"
    review = open_review(params)
    tinh = tinh_code(review)
    ctx, _ = quyet_dinh_cong_nhan(review, tinh, NAM)
    year = review.results.year(NAM).chi_doan
    wait = year[year["tham_dinh"] == "cho_ket_qua"]
    assert len(wait) > 0 and ctx["du_thao"] and ctx["vb"]["so"] == "……"
    assert len(ctx["chi_doan_dat"]) == int(year["cong_nhan"].fillna(False).sum())
    assert not any("thẩm định" in c for c in ctx["can_cu"])
    data = Path(review.cycle.data)
    target = tmp_path / data.name
    shutil.copy(data, target)
    wb = openpyxl.load_workbook(target)
    ws = wb.create_sheet("Tham dinh")  # the sheet's name matched like a header
    ws.append(["Mã đơn vị", "Năm", "Kết quả thẩm định"])
    for c in wait["ma_don_vi"]:
        ws.append([c, NAM, "Đạt"])
    wb.save(target)
    review = open_review(params, data=target)
    ctx, _ = quyet_dinh_cong_nhan(review, tinh, NAM)
    assert not ctx["du_thao"] and ctx["vb"]["so"] != "……"
    assert any("kết quả thẩm định ngẫu nhiên" in c for c in ctx["can_cu"])
    year = review.results.year(NAM).chi_doan
    assert len(ctx["chi_doan_dat"]) == int(year["dat_chuan"].fillna(False).sum())
    assert re.search(r"Công nhận \d+ chi đoàn", ctx["dieu"][0])


# ------------------------------------------------------------------------------- the notebook workbook
def test_the_workbook_shows_what_awaits_verification(tmp_path, drawn):
    from tongket.lab.ui import CycleWorkbook

    wb = CycleWorkbook(data=paths.SAMPLE_DATA, out=tmp_path / "out")
    wb.bao_cao.value = HUYEN
    wb.show_bao_cao()
    assert "14 chi đoàn chờ kết quả thẩm định" in wb.view["cho_tham_dinh"]
    table = wb.view["tham_dinh"]
    assert len(table) == 14 and set(table["Kết quả thẩm định"]) == {"Chờ kết quả"}
    assert sorted(table["Chi đoàn"]) == sorted(drawn["ten_don_vi"])


# ------------------------------------------------------------------------------- the rule, for any data
@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["A", "B", "C", None]), st.sampled_from([True, False, None]),
                          st.sampled_from([True, False, None, "blank"])), min_size=1, max_size=25),
       st.floats(0.05, 1.0), st.integers(0, 3), st.integers(0, 10_000))
def test_recognised_is_passing_and_not_failed_and_not_awaiting(branches, share, minimum, seed):
    from tongket.rules.verification import mark, sample

    cd = pd.DataFrame({"ma_don_vi": [f"CD{i:03d}" for i in range(len(branches))],
                       "ten_don_vi": [f"Chi đoàn {i}" for i in range(len(branches))],
                       "nam": pd.array([NAM] * len(branches), dtype="Int64"),
                       "ma_co_so": [b[0] for b in branches],
                       "dat_chuan": pd.array([b[1] for b in branches], dtype="boolean")})
    given = [(c, b[2]) for c, b in zip(cd["ma_don_vi"], branches) if b[2] is not None]
    results = pd.DataFrame({"ma_don_vi": [c for c, _ in given], "nam": pd.array([NAM] * len(given), dtype="Int64"),
                            "ket_qua": pd.array([None if v == "blank" else v for _, v in given], dtype="boolean"),
                            "ghi_chu": [None] * len(given)})
    settings_ = {"share": share, "min": minimum, "seed": seed}
    out = mark(cd, results, settings_, NAM).set_index("ma_don_vi")
    drawn = set(sample(cd, NAM, share, minimum, seed)["ma_don_vi"])
    result = dict(zip(results["ma_don_vi"], results["ket_qua"]))
    for code, r in out.iterrows():
        v = result.get(code)
        has = v is not None and v is not pd.NA
        expected = ("dat" if v else "chua_dat") if has else ("cho_ket_qua" if code in drawn else None)
        assert (r["tham_dinh"] if isinstance(r["tham_dinh"], str) else None) == expected
        if pd.isna(r["dat_chuan"]):
            assert pd.isna(r["cong_nhan"])  # empty where the rubric does not apply
        else:
            assert bool(r["cong_nhan"]) == (bool(r["dat_chuan"]) and expected not in ("chua_dat", "cho_ket_qua"))
    assert drawn <= set(out.index[out["dat_chuan"].fillna(False).astype(bool)])  # only passing branches are drawn
