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


def test_forms_carry_the_cadre_columns_where_the_data_holds_them_and_collect_brings_them_back(tmp_path):
    import openpyxl

    from conftest import fill_forms
    from tongket.intake.collect import collect
    from tongket.intake.forms import FIRST_DATA_ROW, write_forms

    cd, cs = small_rows()
    cd = [{**r, "bi_thu_moi": "Có" if r["ma_don_vi"] == "C2.1" else "Không"} for r in cd]
    with_cadres = load(write_exchange(tmp_path / "can_bo.xlsx", small_tree(), cd, _with_cadres(cs)), SCALE)
    plain = load(write_exchange(tmp_path / "cu.xlsx", small_tree(), *small_rows()), SCALE)
    for data, folder in ((with_cadres, tmp_path / "phieu"), (plain, tmp_path / "phieu_cu")):
        write_forms(data, 2021, folder)
    header = lambda path, sheet: [c.value for c in openpyxl.load_workbook(path)[sheet][FIRST_DATA_ROW - 1]]
    form = next((tmp_path / "phieu").rglob("*.xlsx"))
    old = next((tmp_path / "phieu_cu").rglob("*.xlsx"))
    assert "Số ủy viên Ban Chấp hành đạt chuẩn cán bộ" in header(form, "co_so")
    assert "Bí thư chi đoàn mới trong năm" in header(form, "chi_doan")
    assert not [h for h in header(old, "co_so") + header(old, "chi_doan") if h and "Ban Chấp hành" in h]
    assert "Bí thư chi đoàn mới trong năm" not in header(old, "chi_doan")
    fill_forms(tmp_path / "phieu", with_cadres, 2021)
    res = collect(tmp_path / "phieu", with_cadres, 2021, SCALE)
    assert res.errors == []
    got = res.data.co_so[res.data.co_so["nam"] == 2021].set_index("ma_don_vi")
    assert got["so_uy_vien_dat_chuan"].to_dict() == {"C1": 9, "C2": 9, "C3": 9}
    branches = res.data.chi_doan[res.data.chi_doan["nam"] == 2021].set_index("ma_don_vi")["bi_thu_moi"]
    assert branches.astype(bool).to_dict() == {c: c == "C2.1" for c in branches.index}
