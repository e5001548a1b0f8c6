"""Models and effective practices [002]: the reports' section and the separate «Báo cáo tổng hợp
các mô hình hay, cách làm hiệu quả», on a small workbook with a `mo_hinh` sheet, rendered through
freshly built templates and read back as the signer would (the run's own doccheck)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import ROOT, small_rows, small_tree, write_exchange
from helpers import add_sheet, check_golden, document_text, docx_text, section_number
from tongket import open_review
from tongket.documents import models
from tongket.pipeline import write_unit

MODELS = [
    ["C1", 2021, "Vườn rau thanh niên", "Kinh tế", "Hỗ trợ đoàn viên trồng rau sạch, bán tại chợ xã."],
    ["C1.1", 2021, "Tủ sách ấp", "văn hóa", None],
    ["C2", 2021, "Sổ tay đoàn viên điện tử", "Chuyển đổi số", "Quản lý đoàn viên, thu đoàn phí qua ứng dụng."],
    ["C2", 2021, "Gian hàng nông sản trực tuyến", "  kinh   tế ", "Bán nông sản của hộ thanh niên trên mạng."],
    ["C3", 2021, "Bữa cơm nghĩa tình", None, "Phát cơm miễn phí cho bệnh nhân nghèo."],
    ["C1", 2020, "Mô hình năm trước", "Kinh tế", None],  # another year: not this year's
]


def _workbook(tmp_path: Path, rows: list[list] | None) -> Path:
    cd, cs = small_rows()
    path = write_exchange(tmp_path / "nho.xlsx", small_tree(), cd, cs)
    if rows is not None:
        add_sheet(path, "mo_hinh", ["Mã đơn vị", "Năm", "Tên mô hình", "Lĩnh vực", "Mô tả"], rows)
    return path


@pytest.fixture(scope="module")
def templates(tmp_path_factory) -> Path:
    """The templates as build_templates makes them now (the committed ones are rebuilt at merge)."""
    sys.path.insert(0, str(ROOT / "tools"))
    import build_templates

    out = tmp_path_factory.mktemp("templates")
    for key, build in build_templates.BUILDERS.items():
        build(out / f"{key}.docx")
    return out


def _review(tmp_path: Path, rows: list[list] | None, templates: Path | None = None):
    review = open_review(data=_workbook(tmp_path, rows), nam=2021)
    if templates is not None:
        review.cycle.templates = templates
    return review


def test_the_section_counts_by_field_and_names_models_with_their_unit(tmp_path):
    review = _review(tmp_path, MODELS)
    h1 = models.section(review, "H1", 2021)
    assert h1["cau"] == [
        "Năm 2021, 3 đơn vị đã xây dựng, duy trì 4 mô hình hay, cách làm hiệu quả, gồm: kinh tế 2 mô hình, "
        "chuyển đổi số 1 mô hình, văn hóa 1 mô hình.",
        "Tiêu biểu là mô hình “Gian hàng nông sản trực tuyến” của Đoàn phường 2 và mô hình “Tủ sách ấp” của "
        "Chi đoàn ấp 1."]
    assert h1["van_ban"][0].startswith("Các cơ sở Đoàn chú trọng xây dựng mô hình")  # chung.md, «# Mô hình hay…»
    province = models.section(review, "T", 2021)
    assert province["cau"][0] == (
        "Năm 2021, 4 đơn vị đã xây dựng, duy trì 5 mô hình hay, cách làm hiệu quả, gồm: kinh tế 2 mô hình, "
        "chuyển đổi số 1 mô hình, văn hóa 1 mô hình, lĩnh vực khác 1 mô hình.")
    assert models.section(review, "H2", 2020)["cau"] == [
        "Năm 2020, chưa có mô hình hay, cách làm hiệu quả nào được báo cáo."]


def test_without_the_sheet_there_is_no_section_and_no_report(tmp_path):
    review = _review(tmp_path, None)
    assert models.section(review, "H1", 2021) == {}
    assert not models.applies(review, "H1", 2021)
    (tmp_path / "b").mkdir()
    with_sheet = _review(tmp_path / "b", MODELS)
    assert models.applies(with_sheet, "H1", 2021) and not models.applies(with_sheet, "H1", 2019)


def test_the_separate_report_lists_every_model_by_field(tmp_path):
    review = _review(tmp_path, MODELS)
    ctx, missing = models.bao_cao_mo_hinh(review, "H2", 2021)
    assert ctx["trich_yeu"] == "Tổng hợp các mô hình hay, cách làm hiệu quả năm 2021"
    assert ctx["tong_quan"] == ["Năm 2021, 1 đơn vị đã xây dựng, duy trì 1 mô hình hay, cách làm hiệu quả, gồm: "
                                "lĩnh vực khác 1 mô hình."]
    assert ctx["linh_vuc"] == [{"ten": "Lĩnh vực khác", "so": "1", "mo_hinh": [
        {"stt": "1", "ten": "Bữa cơm nghĩa tình", "don_vi": "Đoàn xã Đông Hòa",
         "mo_ta": "Phát cơm miễn phí cho bệnh nhân nghèo."}]}]
    assert "số văn bản" in missing


def test_rendered_reports_carry_the_section_and_the_separate_report(tmp_path, templates):
    review = _review(tmp_path, MODELS, templates)
    out = write_unit(review, "H1", tmp_path / "out")  # the run's doccheck reads them back (loi: fails on a finding)
    folder = tmp_path / "out/2021/H1"
    assert folder / "bao_cao_mo_hinh.docx" in [Path(f) for f in out["files"]]
    text = docx_text(folder / "bao_cao_tong_ket.docx")
    assert "Mô hình hay, cách làm hiệu quả\nNăm 2021, 3 đơn vị đã xây dựng, duy trì 4 mô hình hay" in text
    n = section_number(text, "Mô hình hay, cách làm hiệu quả")
    assert n >= 6 and section_number(text, "Kết quả theo từng Đoàn cơ sở") == n + 1  # the next number follows
    assert text.index("Theo kế hoạch năm 2021, Đoàn cơ sở đăng ký") < text.index("Căn cứ kết quả đánh giá")
    got = document_text(folder / "bao_cao_mo_hinh.docx")
    check_golden("bao_cao_mo_hinh", got)
    assert "1. Kinh tế (2 mô hình)" in got and "2 | Vườn rau thanh niên | Đoàn xã An Bình |" in got
    assert "Trên đây là báo cáo tổng hợp các mô hình hay, cách làm hiệu quả năm 2021 của Ban Thường vụ " \
           "Huyện Đoàn Một./." in got


def test_a_workbook_without_the_sheet_writes_what_it_did_before(tmp_path, templates):
    review = _review(tmp_path, None, templates)
    out = write_unit(review, "H1", tmp_path / "out")
    names = {Path(f).name for f in out["files"]}
    assert "bao_cao_mo_hinh.docx" not in names
    assert "Mô hình hay" not in docx_text(tmp_path / "out/2021/H1/bao_cao_tong_ket.docx")


@given(st.lists(st.tuples(st.sampled_from(["C1", "C2", "C3"]), st.text("abc ", min_size=1, max_size=4),
                          st.sampled_from(["Kinh tế", "kinh tế", "Văn hóa", None, " ", "An sinh"])),
                min_size=1, max_size=25))
def test_the_counts_by_field_add_up_to_the_models(rows):
    frame = pd.DataFrame(rows, columns=["ma_don_vi", "ten_mo_hinh", "linh_vuc"])
    frame = frame.assign(nhom=frame["linh_vuc"].map(models._field))
    said = models._by_field(models._groups(frame))
    counts = [int(n) for n in re.findall(r"(\d+) mô hình", said)]
    assert sum(counts) == len(frame)  # every model counted once, a blank field as «lĩnh vực khác», never lost
    assert said.count("kinh tế") <= 1  # one field whatever its case


def test_a_unit_whose_name_another_unit_shares_is_named_with_its_upper_unit(tmp_path):
    """«Đoàn phường 2» of two districts: a model of either is listed with its district, in the
    section and the report; a name no other unit has stays as it is."""
    import openpyxl as xl

    path = _workbook(tmp_path, MODELS)
    wb = xl.load_workbook(path)
    for row in wb["don_vi"].iter_rows(min_row=2):
        if row[0].value == "C3":
            row[1].value = "Đoàn phường 2"  # C2's name (Huyện Đoàn Một), in Huyện Đoàn Hai
    wb.save(path)
    review = open_review(data=path, nam=2021)
    listed = models.models_of(review, "T", 2021)
    assert sorted(set(listed["ten_don_vi"])) == ["Chi đoàn ấp 1", "Đoàn phường 2 (Huyện Đoàn Hai)",
                                                 "Đoàn phường 2 (Huyện Đoàn Một)", "Đoàn xã An Bình"]
    assert "Đoàn phường 2 (Huyện Đoàn Hai)" in " ".join(models.section(review, "T", 2021)["cau"])
    assert set(models.models_of(review, "H1", 2021)["ten_don_vi"]) == {"Chi đoàn ấp 1", "Đoàn phường 2",
                                                                      "Đoàn xã An Bình"}
