"""Reading and checking exchange workbooks: every problem found in one pass, located exactly."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import openpyxl
import pytest

from conftest import ALL_CD, branch, small_rows, small_tree, write_exchange
from tongket.cli import main
from tongket.errors import DataError
from tongket.intake.check import load, require_year
from tongket.rules.params import load_cycle

SCALE = load_cycle().scale


def _errors(path):
    return [str(i) for i in load(path, SCALE).errors]


def test_clean_workbook_has_no_errors_and_keeps_excel_rows(small_workbook):
    d = load(small_workbook, SCALE)
    assert d.errors == []
    assert d.years == [2020, 2021]
    assert d.chi_doan["_row"].tolist() == list(range(2, 2 + len(d.chi_doan)))


def test_headers_typed_as_vietnamese_labels_with_title_rows(tmp_path):
    cd, cs = small_rows()
    path = write_exchange(tmp_path / "nhan.xlsx", small_tree(), cd, cs, headers="labels", title_rows=2)
    d = load(path, SCALE)
    assert d.errors == []
    assert d.chi_doan["_row"].iloc[0] == 4  # two title rows, the header, then the first data row
    assert int(d.chi_doan["so_lan_sinh_hoat"].sum()) == 8 * 16 - 2


def test_headers_without_diacritics_nfd_and_old_tone_placement(tmp_path):
    cd, cs = small_rows()
    path = write_exchange(tmp_path / "x.xlsx", small_tree(), cd, cs, headers="labels")
    wb = openpyxl.load_workbook(path)
    ws = wb["chi_doan"]
    ws.cell(1, 1).value = "MA DON VI"
    ws.cell(1, 2).value = unicodedata.normalize("NFD", "Năm")
    for cell in ws[1][2:]:
        if cell.value == "Số thanh niên được tập hợp":
            cell.value = "so thanh nien  duoc TAP HOP"
    wb["don_vi"].cell(1, 5).value = "Loại hình"
    wb.save(path)
    d = load(path, SCALE)
    assert d.errors == []
    assert int(d.chi_doan["so_thanh_nien_tap_hop"].sum()) == 40 * 16


def test_text_is_normalised_to_nfc(tmp_path):
    tree = small_tree()
    tree[3]["ten_don_vi"] = unicodedata.normalize("NFD", "Đoàn xã An Bình")
    cd, cs = small_rows()
    d = load(write_exchange(tmp_path / "x.xlsx", tree, cd, cs), SCALE)
    assert d.don_vi.loc[d.don_vi["ma_don_vi"] == "C1", "ten_don_vi"].iloc[0] == "Đoàn xã An Bình"


def test_every_problem_is_reported_at_once_with_file_sheet_row_column_value_rule(tmp_path):
    tree = small_tree() + [
        {"ma_don_vi": "C1", "ten_don_vi": "Trùng mã", "cap": "co_so", "ma_cap_tren": "H1"},  # row 16
        {"ma_don_vi": "X9", "ten_don_vi": "Mồ côi", "cap": "co_so", "ma_cap_tren": "KHONGCO"},  # row 17
        {"ma_don_vi": "X8", "ten_don_vi": "Sai cấp", "cap": "chi_doan", "ma_cap_tren": "T"},  # row 18
    ]
    cd, cs = small_rows()
    cd[0]["so_ket_nap_moi"] = -3  # row 2
    cd[1]["so_lan_sinh_hoat"] = 7.5  # row 3
    cd[2]["so_doan_vien"] = "mười"  # row 4
    cd.append(branch("C1.1", 2021))  # duplicate branch-year, row 18
    cs[0]["xep_loai"] = "Tốt lắm"  # row 2
    errors = _errors(write_exchange(tmp_path / "loi.xlsx", tree, cd, cs))
    assert errors == [
        '[lỗi] tệp loi.xlsx, trang don_vi, dòng 5, cột Mã đơn vị (A) — giá trị «C1»: Mã đơn vị bị trùng (các '
        'dòng 5, 16) → Cách sửa: Mỗi đơn vị một mã riêng: đổi mã của đơn vị khác hoặc xóa dòng lặp',
        '[lỗi] tệp loi.xlsx, trang don_vi, dòng 16, cột Mã đơn vị (A) — giá trị «C1»: Mã đơn vị bị trùng '
        '(các dòng 5, 16) → Cách sửa: Mỗi đơn vị một mã riêng: đổi mã của đơn vị khác hoặc xóa dòng lặp',
        '[lỗi] tệp loi.xlsx, trang don_vi, dòng 17, cột Mã đơn vị cấp trên (D) — giá trị «KHONGCO»: Mã đơn '
        'vị cấp trên không có trong trang don_vi → Cách sửa: Sửa mã cho đúng, hoặc thêm một dòng cho đơn vị '
        'cấp trên này',
        '[lỗi] tệp loi.xlsx, trang don_vi, dòng 18, cột Mã đơn vị cấp trên (D) — giá trị «T»: Sai cấp: chi '
        'đoàn phải trực thuộc Đoàn cơ sở hoặc huyện, nhưng «T» là tỉnh → Cách sửa: Sửa cấp của đơn vị hoặc '
        'mã đơn vị cấp trên',
        '[lỗi] tệp loi.xlsx, trang chi_doan, dòng 2, cột Số đoàn viên kết nạp mới (L) — giá trị «-3»: Số '
        'lượng không được âm → Cách sửa: Gõ số từ 0 trở lên',
        '[lỗi] tệp loi.xlsx, trang chi_doan, dòng 3, cột Số lần sinh hoạt (N) — giá trị «7,5»: Số lượng phải '
        'là số nguyên → Cách sửa: Gõ số nguyên (số người, số lần); ô định dạng % sẽ thành số thập phân',
        '[lỗi] tệp loi.xlsx, trang chi_doan, dòng 4, cột Số đoàn viên (C) — giá trị «mười»: Không phải là số '
        '(số gõ dạng chữ: 1.234 là một nghìn hai trăm ba mươi bốn, 12,5 là mười hai phẩy năm) → Cách sửa: '
        'Chỉ gõ con số, không kèm chữ hay đơn vị (ví dụ 25, không phải «25 đv»)',
        '[lỗi] tệp loi.xlsx, trang chi_doan, dòng 10, cột Mã đơn vị (A) — giá trị «C1.1»: Đơn vị có hai dòng '
        'số liệu cho năm 2021 (các dòng 10, 18) → Cách sửa: Giữ một dòng đúng, xóa dòng còn lại',
        '[lỗi] tệp loi.xlsx, trang chi_doan, dòng 18, cột Mã đơn vị (A) — giá trị «C1.1»: Đơn vị có hai dòng '
        'số liệu cho năm 2021 (các dòng 10, 18) → Cách sửa: Giữ một dòng đúng, xóa dòng còn lại',
        '[lỗi] tệp loi.xlsx, trang co_so, dòng 2, cột Xếp loại (Q) — giá trị «Tốt lắm»: Xếp loại không có '
        'trong thang «Xếp loại chất lượng tổ chức cơ sở Đoàn (từ năm 2019)»: htxs (Hoàn thành xuất sắc nhiệm '
        'vụ); htt (Hoàn thành tốt nhiệm vụ); ht (Hoàn thành nhiệm vụ); kht (Không hoàn thành nhiệm vụ) → '
        'Cách sửa: Gõ mã hoặc tên mức xếp loại như trong thang, ví dụ HTXSNV',
    ]


def test_missing_sheet_and_missing_column(tmp_path):
    cd, cs = small_rows()
    path = write_exchange(tmp_path / "thieu.xlsx", small_tree(), cd, cs)
    wb = openpyxl.load_workbook(path)
    del wb["co_so"]
    wb["chi_doan"].delete_cols(2)  # the year
    wb.save(path)
    errors = _errors(path)
    assert "[lỗi] tệp thieu.xlsx, trang co_so: Thiếu trang «co_so» (các trang có: don_vi, chi_doan)" in errors
    assert "[lỗi] tệp thieu.xlsx, trang chi_doan, dòng 1, cột Năm: Thiếu cột bắt buộc «nam» (Năm)" in errors


def test_blank_is_a_warning_not_a_zero(tmp_path):
    cd, cs = small_rows()
    cd[0]["so_gioi_thieu_viec_lam"] = None
    d = load(write_exchange(tmp_path / "trong.xlsx", small_tree(), cd, cs), SCALE)
    assert d.errors == []
    warnings = [str(i) for i in d.issues if i.column and "giới thiệu việc làm" in i.column]
    assert warnings == ["[cảnh báo] tệp trong.xlsx, trang chi_doan, dòng 2, cột Số người được giới thiệu việc làm (H):"
                        " Ô trống: chưa có số liệu (ô trống không được hiểu là 0) → Cách sửa: Điền số liệu; nếu thật"
                        " sự bằng không, gõ 0 (hoặc «Không» với cột có/không)"]


@pytest.mark.parametrize("typed, expected", [("Có", True), ("x", True), ("X", True), (1, True), ("TRUE", True),
                                             (True, True), ("Không", False), ("không", False), (0, False),
                                             ("FALSE", False), (False, False)])
def test_booleans_as_people_type_them(tmp_path, typed, expected):
    cd, cs = small_rows()
    cd[0]["bien_ban_day_du"] = typed
    d = load(write_exchange(tmp_path / "b.xlsx", small_tree(), cd, cs), SCALE)
    assert d.errors == []
    assert bool(d.chi_doan["bien_ban_day_du"].iloc[0]) is expected


def test_a_year_not_in_the_data_is_refused(small_workbook):
    d = load(small_workbook, SCALE)
    with pytest.raises(DataError, match="Năm 2019 không có trong dữ liệu \\(dữ liệu có: 2020, 2021\\)"):
        require_year(d, 2019)


def test_issue_is_attributed_to_its_district(tmp_path):
    cd, cs = small_rows()
    cd[7]["so_ket_nap_moi"] = -1  # C3.1 in H2
    d = load(write_exchange(tmp_path / "h2.xlsx", small_tree(), cd, cs), SCALE)
    assert [i.ma_huyen for i in d.errors] == ["H2"]


def test_xls_is_refused_with_how_to_fix(tmp_path):
    p = tmp_path / "cu.xls"
    p.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(DataError, match="Save As"):
        load(p, SCALE)


HELD = "đang mở trong {app} ({app} giữ tệp khi đang mở), hoặc tài khoản này không có quyền đọc tệp → Cách sửa: Đóng tệp trong {app} rồi chạy lại"


def _held(monkeypatch, name: str) -> None:
    """On Windows, Excel and Word hold the files they have open: reading one raises PermissionError."""
    import builtins
    import io

    real = io.open

    def held(file, *args, **kwargs):
        if not isinstance(file, int) and Path(file).name == name:
            raise PermissionError(13, "Permission denied", str(file))
        return real(file, *args, **kwargs)

    monkeypatch.setattr(io, "open", held)
    monkeypatch.setattr(builtins, "open", held)


@pytest.mark.parametrize("command", ["check", "run"])
def test_a_workbook_open_in_excel_is_refused_as_an_input_not_an_output(tmp_path, capsys, monkeypatch, command):
    """A workbook open in Excel is said to be unreadable and to be closed, naming the file: never
    that an output could not be written, never a traceback, and a run writes nothing."""
    path = write_exchange(tmp_path / "dang_mo.xlsx", small_tree(), *small_rows())
    _held(monkeypatch, path.name)
    out = tmp_path / "ket_qua"
    with pytest.raises(SystemExit) as exit_info:
        main(["check", str(path)] if command == "check" else ["run", "--data", str(path), "--out", str(out)])
    printed = capsys.readouterr()
    text = printed.out + printed.err
    if command == "check":  # one of the problems the check lists
        assert exit_info.value.code == 1
        assert "[lỗi] tệp dang_mo.xlsx: Không đọc được tệp: tệp " + HELD.format(app="Excel") in text
    else:
        assert exit_info.value.code == 2 and not out.exists()
        assert f"Không đọc được tệp «{path}»: tệp " + HELD.format(app="Excel") in text
    assert "quyền ghi" not in text and "Traceback" not in text


def test_a_template_open_in_word_is_refused_as_an_input(tmp_path, capsys, monkeypatch):
    _held(monkeypatch, "bao_cao_so_ket.docx")
    out = tmp_path / "ket_qua"
    with pytest.raises(SystemExit) as exit_info:
        main(["run", "--out", str(out)])
    text = "".join(capsys.readouterr())
    assert exit_info.value.code == 2 and not out.exists()
    assert "bao_cao_so_ket.docx»: tệp " + HELD.format(app="Word") in text
    assert "quyền ghi" not in text and "Traceback" not in text


def test_not_a_workbook(tmp_path):
    p = tmp_path / "gia.xlsx"
    p.write_text("không phải Excel", encoding="utf-8")
    with pytest.raises(DataError, match="Tệp không phải sổ Excel .xlsx: nội dung là văn bản hoặc định dạng khác"):
        load(p, SCALE)


def test_cli_check_prints_problems_in_vietnamese_and_exits_1(tmp_path, capsys):
    cd, cs = small_rows()
    cd[0]["so_ket_nap_moi"] = -3
    path = write_exchange(tmp_path / "loi.xlsx", small_tree(), cd, cs)
    out_xlsx = tmp_path / "van_de.xlsx"
    with pytest.raises(SystemExit) as exit_info:
        main(["check", str(path), "--out", str(out_xlsx)])
    assert exit_info.value.code == 1
    printed = capsys.readouterr().out
    assert "dòng 2, cột Số đoàn viên kết nạp mới (L) — giá trị «-3»: Số lượng không được âm" in printed
    # the small workbook lacks a column only the comparison score sheet reads: a warning naming what it feeds
    assert ("trang co_so, dòng 1, cột Thực hiện đợt cao điểm (dot_cao_diem): Thiếu cột «Thực hiện đợt cao điểm»; "
            "cột này dùng cho: mục pt5 (Thực hiện các đợt cao điểm đúng tiến độ của cấp trên) của bảng điểm") in printed
    assert "các mục này sẽ ghi là thiếu số liệu, không tính 0 điểm" in printed
    assert "Có 1 lỗi và 2 cảnh báo" in printed
    ws = openpyxl.load_workbook(out_xlsx)["van_de"]
    assert [c.value for c in ws[1]][:7] == ["Mức độ", "Tệp", "Trang", "Dòng", "Cột", "Giá trị", "Quy tắc"]
    assert ws.cell(2, 4).value == 2 and ws.cell(2, 6).value == "-3"


def test_cli_check_clean_sample_exits_0(capsys):
    from tongket.common import paths

    main(["check", str(paths.SAMPLE_DATA)])  # returns normally: exit status 0
    out = capsys.readouterr().out
    assert "Không có lỗi (34 cảnh báo). Tệp tinh_mau.xlsx dùng được." in out
    assert out.count("chưa có mô tả: báo cáo tổng hợp mô hình hay") == 5  # five sample models say nothing of their work
    # the 10 branches with no 2021 row, listed by district (5 warnings)
    assert out.count("chưa có dòng số liệu năm 2021") == 5
    for code in ("ST01.04.04", "ST02.05.04", "ST02.10.05", "ST04.01.06", "ST04.12.01", "ST04.CD", "ST05.01.02",
                 "ST05.06.07", "ST06.02.03", "ST06.07.01"):
        assert f"({code})" in out
    assert ("[cảnh báo] tệp tinh_mau.xlsx, trang chi_doan: Huyện Đoàn Phú Mỹ (ST02): 2 chi đoàn chưa có dòng số "
            "liệu năm 2021: Chi đoàn ấp Mỹ Lợi (ST02.05.04), Chi đoàn Quân sự (ST02.10.05)") in out
    # 5 blanks, 7 branches admitting more than they end the year with, 12 implausible jumps
    assert out.count("Ô trống: chưa có số liệu") == 5
    assert out.count("Số đoàn viên kết nạp mới lớn hơn số đoàn viên") == 7
    assert out.count("Thay đổi bất thường so với năm") == 12


def test_cli_check_unused_co_so_checks(tmp_path):
    # "3 chủ động" checks given as x/blank: blank means not held, with a warning
    cd, cs = small_rows()
    cs[0] = {"ma_don_vi": "C1", "nam": 2020, **{k: "x" for k in ALL_CD}, "diem": 75}
    d = load(write_exchange(tmp_path / "x.xlsx", small_tree(), cd, cs), SCALE)
    assert d.errors == []


@pytest.mark.parametrize("typed, expected", [("1.000", 1000), ("12", 12), (" 2.021 ", 2021), ("1.234.567", 1234567),
                                             (1000, 1000), (7.0, 7)])
def test_counts_typed_as_text_are_read_the_vietnamese_way(tmp_path, typed, expected):
    cd, cs = small_rows()
    cd[0]["so_thanh_nien"] = typed
    cd[0]["so_thanh_nien_tap_hop"] = 5
    d = load(write_exchange(tmp_path / "so.xlsx", small_tree(), cd, cs), SCALE)
    assert d.errors == []
    assert int(d.chi_doan["so_thanh_nien"].iloc[0]) == expected


@pytest.mark.parametrize("typed", ["1.5", "1,234.5", "12a", "1.00"])
def test_ambiguous_number_text_is_refused_not_guessed(tmp_path, typed):
    cd, cs = small_rows()
    cd[0]["so_thanh_nien"] = typed
    d = load(write_exchange(tmp_path / "so.xlsx", small_tree(), cd, cs), SCALE)
    assert [(i.row, i.value) for i in d.errors] == [(2, typed)]
    assert d.errors[0].rule.startswith("Không phải là số")


def test_score_typed_with_decimal_comma(tmp_path):
    cd, cs = small_rows()
    cs[0]["diem"] = "87,5"
    d = load(write_exchange(tmp_path / "d.xlsx", small_tree(), cd, cs), SCALE)
    assert d.errors == [] and float(d.co_so["diem"].iloc[0]) == 87.5
