"""The optional sheet `mo_hinh` (contract §6.5): models and effective practices, checked cell by cell."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import small_rows, small_tree, write_exchange
from helpers import add_sheet
from tongket.common import paths
from tongket.intake.check import load
from tongket.rules.scales import load_scale


def with_models(path: Path, rows: list[list], header: list[str] | None = None) -> Path:
    """Add a sheet `mo_hinh` to a real exchange workbook."""
    return add_sheet(path, "mo_hinh", header or ["ma_don_vi", "nam", "ten_mo_hinh", "linh_vuc", "mo_ta"], rows)


@pytest.fixture
def scale():
    return load_scale(paths.PARAMS / "scales" / "xep_loai_2019.yaml")


def _book(tmp_path: Path) -> Path:
    cd, cs = small_rows()
    return write_exchange(tmp_path / "nho.xlsx", small_tree(), cd, cs)


def test_models_are_read_with_vietnamese_headers(tmp_path, scale):
    path = with_models(_book(tmp_path), [
        ["C1", 2021, "Vườn rau thanh niên", "Kinh tế", "Hỗ trợ 12 đoàn viên trồng rau sạch"],
        ["C1.1", 2021, "Tủ sách ấp", "Văn hóa", None],
        ["H1", 2021, "Ngày thứ Bảy tình nguyện", "An sinh", "Mỗi tháng một lần"],
    ], header=["Mã đơn vị", "Năm", "Tên mô hình", "Lĩnh vực", "Mô tả"])
    d = load(path, scale)
    models = d.optional["mo_hinh"]
    assert list(models["ten_mo_hinh"]) == ["Vườn rau thanh niên", "Tủ sách ấp", "Ngày thứ Bảy tình nguyện"]
    # a branch, a Đoàn cơ sở and a district: all fine; the model without a description is a warning
    # naming its cell, as the report would print «……» in its place
    said = [i for i in d.issues if i.sheet == "mo_hinh"]
    assert [(i.severity, i.row, i.column) for i in said] == [("cảnh báo", 3, "Mô tả (E)")]
    assert said[0].rule.startswith("Mô hình «Tủ sách ấp» chưa có mô tả") and "«……»" in said[0].rule


def test_unknown_unit_and_blank_name_are_named_by_row_and_column(tmp_path, scale):
    path = with_models(_book(tmp_path), [
        ["C1", 2021, "Vườn rau thanh niên", "Kinh tế", None],
        ["X9", 2021, "Mô hình lạ", "Kinh tế", None],
        ["C2", 2021, None, "An sinh", "Không có tên"],
    ])
    d = load(path, scale)
    got = {(i.row, i.column, i.value, i.rule) for i in d.errors if i.sheet == "mo_hinh"}
    assert (3, "Mã đơn vị (A)", "X9", "Mã đơn vị không có trong trang don_vi") in got
    assert (4, "Tên mô hình (C)", None, "Thiếu tên mô hình (ô bắt buộc)") in got
    assert len(got) == 2
    assert all(i.file == "nho.xlsx" for i in d.issues if i.sheet == "mo_hinh")


def test_the_same_model_twice_is_an_error(tmp_path, scale):
    path = with_models(_book(tmp_path), [
        ["C1", 2021, "Vườn rau thanh niên", "Kinh tế", None],
        ["C1", 2021, "Vườn rau thanh niên", "Kinh tế", "bản thứ hai"],
        ["C1", 2020, "Vườn rau thanh niên", "Kinh tế", None],  # another year: a model kept up
    ])
    d = load(path, scale)
    dup = [i for i in d.errors if i.sheet == "mo_hinh"]
    assert [i.row for i in dup] == [2, 3]
    assert "các dòng 2, 3" in dup[0].rule


def test_a_workbook_without_the_sheet_reads_as_before(tmp_path, scale):
    d = load(_book(tmp_path), scale)
    assert "mo_hinh" not in d.optional
