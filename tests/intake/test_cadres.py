"""Cadre figures of the exchange workbook (contract §6.2): read by key or label, checked against
each other, optional (a workbook without them reads as before, with no new issue)."""

from __future__ import annotations

import pandas as pd

from conftest import small_rows, small_tree, write_exchange
from tongket.intake.check import load
from tongket.rules.params import load_cycle

SCALE = load_cycle().scale
CADRES = {"so_uy_vien_bch": 11, "so_uy_vien_dat_chuan": 9, "so_can_bo_duoc_boi_duong": 6,
          "bi_thu_thay_trong_nam": "Không"}


def _with_cadres(cs: list[dict], **changes) -> list[dict]:
    return [{**r, **CADRES, **changes.get(r["ma_don_vi"], {})} for r in cs]


def test_a_workbook_without_the_cadre_columns_reads_as_before(tmp_path):
    cd, cs = small_rows()
    d = load(write_exchange(tmp_path / "cu.xlsx", small_tree(), cd, cs), SCALE)
    assert d.issues == []
    assert d.co_so["so_uy_vien_bch"].isna().all() and d.chi_doan["bi_thu_moi"].isna().all()


def test_cadre_columns_read_by_label_and_committee_members_up_to_standard_never_exceed_members(tmp_path):
    cd, cs = small_rows()
    cd = [{**r, "bi_thu_moi": "x" if r["ma_don_vi"] == "C1.2" else None} for r in cd]
    cs = _with_cadres(cs, C2={"so_uy_vien_dat_chuan": 13})  # 13 of 11: rows 4 (2020) and 5 (2021)
    path = write_exchange(tmp_path / "can_bo.xlsx", small_tree(), cd, cs, headers="labels")
    d = load(path, SCALE)
    errors = [str(i) for i in d.errors]
    col = next(c for c, h in enumerate(pd.read_excel(path, sheet_name="co_so").columns)
               if h == "Số ủy viên Ban Chấp hành đạt chuẩn cán bộ")
    letter = chr(ord("A") + col)
    assert errors == [
        f"[lỗi] tệp can_bo.xlsx, trang co_so, dòng {row}, cột Số ủy viên Ban Chấp hành đạt chuẩn cán bộ ({letter}) "
        "— giá trị «13»: Số ủy viên Ban Chấp hành đạt chuẩn cán bộ lớn hơn số ủy viên Ban Chấp hành (11) "
        "→ Cách sửa: Kiểm tra lại hai ô: số này không thể vượt số ủy viên Ban Chấp hành (11)"
        for row in (4, 5)]
    cs_ = d.co_so.set_index(["ma_don_vi", "nam"])
    assert int(cs_.loc[("C1", 2021), "so_uy_vien_bch"]) == 11
    assert bool(cs_.loc[("C1", 2021), "bi_thu_thay_trong_nam"]) is False
    moi = d.chi_doan.set_index(["ma_don_vi", "nam"])["bi_thu_moi"]
    assert bool(moi[("C1.2", 2021)]) is True
    assert moi[("C1.1", 2021)] is pd.NA  # a blank cell stays blank (not «Không»)
    # the blank cells of a given column are reported as warnings (blank is not zero)
    blanks = [i for i in d.issues if i.sheet == "chi_doan" and i.column.startswith("Bí thư chi đoàn mới")]
    assert len(blanks) == len(cd) - 2 and all(i.severity == "cảnh báo" for i in blanks)


def test_a_blank_side_is_not_compared(tmp_path):
    cd, cs = small_rows()
    cs = _with_cadres(cs, C1={"so_uy_vien_bch": None, "so_uy_vien_dat_chuan": 40})
    d = load(write_exchange(tmp_path / "trong.xlsx", small_tree(), cd, cs), SCALE)
    assert d.errors == []
    c1 = d.co_so[d.co_so["ma_don_vi"] == "C1"]
    assert c1["so_uy_vien_bch"].isna().all() and c1["so_uy_vien_dat_chuan"].tolist() == [40, 40]
