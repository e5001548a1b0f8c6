"""The programme review (sơ kết) compares years: a workbook with one year of its period gets no
sơ kết (a one-year "review" would restate the year-end report) and a warning naming the years it
lacks; the other documents are written all the same."""

from __future__ import annotations

from conftest import small_rows, small_tree, write_exchange
from tongket import open_review, write_unit

LACKING = ("Chưa lập báo cáo sơ kết: sơ kết so sánh qua các năm nhưng sổ dữ liệu chỉ có số liệu năm 2021, thiếu "
           "số liệu các năm 2018, 2019, 2020. Cách sửa: thêm số liệu các năm đó vào trang chi_doan, co_so của sổ "
           "(hoặc sửa so_ket.tu_nam trong tệp tham số) rồi chạy lại; các văn bản khác vẫn được lập")


def _review(tmp_path, years: set[int]):
    cd, cs = small_rows()
    cd, cs = [r for r in cd if r["nam"] in years], [r for r in cs if r["nam"] in years]
    return open_review(data=write_exchange(tmp_path / "so.xlsx", small_tree(), cd, cs), nam=2021)


def test_one_year_writes_no_so_ket_and_names_the_missing_years(tmp_path):
    review = _review(tmp_path, {2021})
    for ma, name in (("H1", "Huyện Đoàn Một"), ("T", "Tỉnh Đoàn Thử")):
        out = write_unit(review, ma, tmp_path / "out")
        names = {p.rsplit("/", 1)[-1] for p in map(str, out["files"])}
        assert "bao_cao_so_ket.docx" not in names
        assert ("bao_cao_tong_ket.docx" if ma == "H1" else "bao_cao_tong_hop.docx") in names
        assert f"{name} ({ma}): {LACKING}" in out["warnings"]
        assert not [w for w in out["warnings"] if "để trống" in w and "báo cáo sơ kết" in w]  # not issued: no blanks


def test_two_years_write_the_so_ket_without_the_warning(tmp_path):
    out = write_unit(_review(tmp_path, {2020, 2021}), "H1", tmp_path / "out")
    assert any(str(p).endswith("/H1/bao_cao_so_ket.docx") for p in out["files"])
    assert not [w for w in out["warnings"] if "Chưa lập báo cáo sơ kết" in w]
