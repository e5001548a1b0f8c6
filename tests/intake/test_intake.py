"""Real-world intake (issue 5): the corpus of messy and hostile workbooks in tests/corpus (built by
tests/corpus/build.py), forms out and back in, and property-based messing-up of valid workbooks."""

from __future__ import annotations

import datetime as dt
import shutil
import unicodedata
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import copy_sample, fill_forms, small_rows, small_tree, write_exchange
from tongket.cli import main
from tongket.errors import ERROR, DataError
from tongket.intake.check import load
from tongket.intake.collect import collect, write_status
from tongket.intake.collect import write_exchange as write_consolidated
from tongket.intake.forms import META_SHEET, write_forms
from tongket.intake.workbook import read_workbook
from tongket.rules.params import load_cycle

CORPUS = Path(__file__).parents[1] / "corpus"
CYCLE = load_cycle()
SCALE = CYCLE.scale
FIX_SAVE_AS = ("Mở tệp bằng Excel (hoặc LibreOffice Calc), chọn Tệp → Lưu thành (Save As) → Sổ làm việc Excel "
               "(*.xlsx), rồi dùng tệp .xlsx mới")
LEGACY_FIX = "Chuyển cả tệp sang Unicode (Unikey → Công cụ chuyển mã) để số liệu lần sau không phải đoán bảng mã"


def issues(name: str, skip_blanks: bool = True) -> list[str]:
    d = load(CORPUS / name, SCALE)
    return [str(i) for i in d.issues if not (skip_blanks and "Ô trống" in i.rule)]


def figures(data) -> dict[str, pd.DataFrame]:
    out = {}
    for key in ("don_vi", "chi_doan", "co_so"):
        f = getattr(data, key).drop(columns="_row")
        sort = ["ma_don_vi"] + (["nam"] if key != "don_vi" else [])
        out[key] = f.sort_values(sort).reset_index(drop=True)
    return out


def assert_same_figures(a, b) -> None:
    fa, fb = figures(a), figures(b)
    for key in fa:
        pd.testing.assert_frame_equal(fa[key], fb[key], check_dtype=False, obj=key)


# --- files that are not workbooks: refused before reading, with a message to act on -------------

@pytest.mark.parametrize("name, message", [
    ("cu.xls", "[lỗi] tệp cu.xls: Tệp là sổ Excel 97–2003 (.xls) hoặc sổ có đặt mật khẩu; bộ công cụ chỉ đọc "
               ".xlsx → Cách sửa: Nếu tệp có mật khẩu, bỏ mật khẩu (Tệp → Thông tin → Bảo vệ sổ làm việc); "
               + FIX_SAVE_AS),
    ("trang_web.xls", "[lỗi] tệp trang_web.xls: Tệp không phải sổ Excel .xlsx: nội dung là trang web (HTML), "
                      "thường do phần mềm khác xuất ra → Cách sửa: " + FIX_SAVE_AS),
    ("bang_tinh.ods", "[lỗi] tệp bang_tinh.ods: Tệp là bảng tính OpenDocument (.ods), không phải .xlsx → Cách sửa: "
                      + FIX_SAVE_AS),
    ("khong_phai_excel.xlsx", "[lỗi] tệp khong_phai_excel.xlsx: Tệp không phải sổ Excel .xlsx: nội dung là văn bản "
                              "hoặc định dạng khác → Cách sửa: " + FIX_SAVE_AS),
    ("nen_khong_phai_excel.xlsx", "[lỗi] tệp nen_khong_phai_excel.xlsx: Tệp nén không phải sổ Excel .xlsx (không có "
                                  "xl/workbook.xml) → Cách sửa: " + FIX_SAVE_AS),
    ("hong.xlsx", "[lỗi] tệp hong.xlsx: Tệp .xlsx bị hỏng (không giải nén được) → Cách sửa: Xin đơn vị gửi lại tệp"),
    ("bom_nen.xlsx", "[lỗi] tệp bom_nen.xlsx: Tệp giải nén ra 64 MB (tỉ lệ nén bất thường): không phải sổ số liệu "
                     "thật hoặc đã hỏng; tệp không được đọc → Cách sửa: Xin đơn vị gửi lại tệp số liệu gốc"),
])
def test_what_is_not_a_workbook_is_refused_with_the_way_out(name, message):
    with pytest.raises(DataError) as exc:
        load(CORPUS / name, SCALE)
    assert [str(i) for i in exc.value.issues] == [message]


def test_the_zip_bomb_is_refused_without_unpacking_it():
    import tracemalloc

    tracemalloc.start()
    with pytest.raises(DataError):
        load(CORPUS / "bom_nen.xlsx", SCALE)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 5 * 2**20  # 64 MB inside; well under 5 MB spent finding out


def test_a_file_far_larger_than_any_province_is_refused_by_size(tmp_path, monkeypatch):
    import tongket.intake.workbook as wbmod

    monkeypatch.setattr(wbmod, "MAX_FILE_MB", 0.001)
    with pytest.raises(DataError, match=r"Tệp quá lớn \(0 MB; số liệu của một tỉnh chỉ vài MB, giới hạn 0.001 MB\)"):
        load(CORPUS / "sach.xlsx", SCALE)


def test_a_sheet_with_more_rows_than_any_province_fails_fast(tmp_path, monkeypatch):
    import tongket.intake.workbook as wbmod

    monkeypatch.setattr(wbmod, "MAX_ROWS", 5)
    with pytest.raises(DataError, match="Trang có hơn 5 dòng, quá lớn so với số liệu thật của một tỉnh"):
        load(CORPUS / "sach.xlsx", SCALE)


# --- messy workbooks that must still read, to the same figures ------------------------------------

def test_title_rows_merged_cells_and_headers_as_people_type_them_read_the_same_figures():
    assert issues("tieu_de_va_tieu_de_cot.xlsx") == []
    assert_same_figures(load(CORPUS / "tieu_de_va_tieu_de_cot.xlsx", SCALE), load(CORPUS / "sach.xlsx", SCALE))


def test_numbers_booleans_and_percent_typed_as_text_read_the_vietnamese_way():
    d = load(CORPUS / "so_va_co_khong_dang_chu.xlsx", SCALE)
    assert d.errors == []
    first, second = d.chi_doan.iloc[0], d.chi_doan.iloc[1]
    assert (first["so_doan_vien"], first["so_thanh_nien"], first["so_thanh_nien_tap_hop"]) == (1234, 2000, 1500)
    assert first["diem"] == 85.5
    assert [bool(first[k]) for k in ("bien_ban_day_du", "dai_hoi_chi_doan", "bi_thu_kinh_te_on_dinh",
                                     "bi_thu_duoc_tap_huan", "bi_thu_nam_chinh_sach")] == [True] * 5
    assert [bool(second[k]) for k in ("bien_ban_day_du", "dai_hoi_chi_doan", "bi_thu_kinh_te_on_dinh")] == [False] * 3
    assert d.co_so.iloc[0]["ty_le_tre_han"] == 0.125


def test_figures_that_could_mean_two_numbers_are_refused_not_guessed():
    hint = ("Không phải là số (số gõ dạng chữ: 1.234 là một nghìn hai trăm ba mươi bốn, 12,5 là mười hai phẩy năm) "
            "→ Cách sửa: Chỉ gõ con số, không kèm chữ hay đơn vị (ví dụ 25, không phải «25 đv»)")
    assert issues("so_mo_ho.xlsx") == [
        "[lỗi] tệp so_mo_ho.xlsx, trang chi_doan, dòng 2, cột Số đoàn viên (C) — giá trị «1.5»: Không phải là số rõ "
        "nghĩa: «1.5» dùng dấu chấm nhưng không phải nhóm nghìn (1.234) cũng không phải số thập phân kiểu Việt "
        "(1,5); không đoán → Cách sửa: Gõ lại số: một nghìn gõ 1000 hoặc 1.000, một phẩy năm gõ 1,5",
        f"[lỗi] tệp so_mo_ho.xlsx, trang chi_doan, dòng 2, cột Số đoàn viên kết nạp mới (L) — giá trị «5,0,1»: {hint}",
        f"[lỗi] tệp so_mo_ho.xlsx, trang chi_doan, dòng 2, cột Số lần sinh hoạt (N) — giá trị «12 lần»: {hint}",
    ]


def test_formulas_use_the_stored_result_and_say_so_when_there_is_none():
    d = load(CORPUS / "cong_thuc_co_gia_tri.xlsx", SCALE)
    assert d.errors == []
    assert int(d.chi_doan.iloc[0]["so_doan_vien"]) == 25
    fix = ("Mở tệp bằng Excel hoặc LibreOffice, nhấn Lưu để tính lại công thức rồi gửi lại; hoặc gõ số thay cho "
           "công thức")
    rule = "Ô có công thức nhưng tệp không lưu kết quả tính (tệp do chương trình khác tạo), nên không biết giá trị"
    assert issues("cong_thuc_khong_gia_tri.xlsx", skip_blanks=False) == [
        f"[lỗi] tệp cong_thuc_khong_gia_tri.xlsx, trang chi_doan, dòng 2, cột Số đoàn viên (C) — giá trị «=20+5»: "
        f"{rule} → Cách sửa: {fix}",
        f"[lỗi] tệp cong_thuc_khong_gia_tri.xlsx, trang chi_doan, dòng 3, cột Số thanh niên (D) — giá trị «=C3*3»: "
        f"{rule} → Cách sửa: {fix}",
    ]


def test_a_hidden_sheet_is_read_and_said():
    assert issues("trang_an.xlsx") == [
        "[cảnh báo] tệp trang_an.xlsx, trang co_so: Trang đang bị ẩn; số liệu trong trang vẫn được đọc → Cách sửa: "
        "Bỏ ẩn trang (chuột phải vào tên trang → Bỏ ẩn) và xem lại số liệu trong đó"]
    assert_same_figures(load(CORPUS / "trang_an.xlsx", SCALE), load(CORPUS / "sach.xlsx", SCALE))


@pytest.mark.parametrize("name, enc, typed", [
    ("ma_tcvn3.xlsx", "TCVN3 (ABC)", ("§oµn x· An B×nh", "Chi ®oµn Êp 1", "Cã", "Kh«ng")),
    ("ma_vni.xlsx", "VNI", ("Ñoaøn xaõ An Bình", "Chi ñoaøn aáp 1", "Coù", "Khoâng")),
])
def test_old_font_encodings_are_converted_and_every_converted_cell_listed(name, enc, typed):
    d = load(CORPUS / name, SCALE)
    assert d.errors == []
    names = d.don_vi.set_index("ma_don_vi")["ten_don_vi"]
    assert (names["C1"], names["C1.1"]) == ("Đoàn xã An Bình", "Chi đoàn ấp 1")
    assert (bool(d.chi_doan.iloc[0]["bien_ban_day_du"]), bool(d.chi_doan.iloc[0]["dai_hoi_chi_doan"])) == (True, False)
    said = sorted(str(i) for i in d.issues if "bảng mã" in i.rule)
    head = f"[cảnh báo] tệp {name}, trang"
    assert said == sorted([
        f"{head} don_vi, dòng 5, cột Tên đơn vị (B) — giá trị «{typed[0]}»: Chữ gõ bằng bảng mã {enc} đã được "
        f"chuyển sang Unicode: «Đoàn xã An Bình» → Cách sửa: {LEGACY_FIX}",
        f"{head} don_vi, dòng 8, cột Tên đơn vị (B) — giá trị «{typed[1]}»: Chữ gõ bằng bảng mã {enc} đã được "
        f"chuyển sang Unicode: «Chi đoàn ấp 1» → Cách sửa: {LEGACY_FIX}",
        f"{head} chi_doan, dòng 2, cột Biên bản, sổ sách đầy đủ (S) — giá trị «{typed[2]}»: Chữ gõ bằng bảng mã "
        f"{enc} đã được chuyển sang Unicode: «Có» → Cách sửa: {LEGACY_FIX}",
        f"{head} chi_doan, dòng 2, cột Đại hội chi đoàn đúng Điều lệ (T) — giá trị «{typed[3]}»: Chữ gõ bằng bảng mã "
        f"{enc} đã được chuyển sang Unicode: «Không» → Cách sửa: {LEGACY_FIX}",
    ])


def test_unicode_text_is_never_taken_for_an_old_encoding():
    from tongket.intake.legacy import to_unicode

    for text in ("Đoàn xã Hòa Thành", "Café", "Khuyến học ½", "BÍ THƯ", "Số đoàn viên", "ấp Tân Lợi"):
        assert to_unicode(text) == (text, None)
        assert to_unicode(unicodedata.normalize("NFD", text)) == (unicodedata.normalize("NFD", text), None)


# --- checks an analyst can act on ------------------------------------------------------------------

def test_tree_problems_loops_unsafe_codes_and_duplicates():
    fix_dup = "Mỗi đơn vị một mã riêng: đổi mã của đơn vị khác hoặc xóa dòng lặp"
    fix_loop = "Sửa mã đơn vị cấp trên để mỗi đơn vị trực thuộc đúng một cấp cao hơn"
    head = "tệp cay_don_vi.xlsx, trang don_vi"
    assert [i for i in issues("cay_don_vi.xlsx") if "Loại hình để trống" not in i] == [
        f"[lỗi] {head}, dòng 15, cột Mã đơn vị (A) — giá trị «C3.1»: Mã đơn vị bị trùng (các dòng 15, 20) → "
        f"Cách sửa: {fix_dup}",
        f"[lỗi] {head}, dòng 16, cột Mã đơn vị cấp trên (D) — giá trị «V2»: Vòng lặp trong cây đơn vị: V1 → V2 → V1 "
        f"→ Cách sửa: {fix_loop}",
        f"[lỗi] {head}, dòng 17, cột Mã đơn vị cấp trên (D) — giá trị «V1»: Vòng lặp trong cây đơn vị: V2 → V1 → V2 "
        f"→ Cách sửa: {fix_loop}",
        f"[lỗi] {head}, dòng 18, cột Mã đơn vị (A) — giá trị «../x»: Mã đơn vị có ký tự không dùng được trong tên "
        "thư mục (/ \\ : * ? \" < > |, ký tự điều khiển) hoặc bắt đầu bằng dấu chấm → Cách sửa: Chỉ dùng chữ, chữ "
        "số, «-» và «_», ví dụ ST02_CS01",
        f"[cảnh báo] {head}, dòng 19, cột Mã đơn vị (A) — giá trị «CON»: Mã đơn vị trùng tên thiết bị của Windows; "
        "thư mục kết quả sẽ mang tên «CON_» → Cách sửa: Nên đổi mã, ví dụ thêm tiền tố của huyện",
        f"[lỗi] {head}, dòng 20, cột Mã đơn vị (A) — giá trị «C3.1»: Mã đơn vị bị trùng (các dòng 15, 20) → "
        f"Cách sửa: {fix_dup}",
    ]


def test_figures_that_cannot_hold_together_jumps_and_blanks():
    head = "tệp nhat_quan.xlsx, trang chi_doan"
    jump = "→ Cách sửa: Kiểm tra lại với đơn vị; nếu đúng (sáp nhập, chia tách…) thì giữ nguyên"
    assert issues("nhat_quan.xlsx", skip_blanks=False) == [
        f"[cảnh báo] {head}, dòng 15, cột Số đoàn viên kết nạp mới (L) — giá trị «23»: Số đoàn viên kết nạp mới lớn "
        "hơn số đoàn viên (số đoàn viên: 20) → Cách sửa: Kiểm tra lại với đơn vị; nếu đúng thì giữ nguyên",
        f"[lỗi] {head}, dòng 15, cột Số đoàn viên giới thiệu 1+1 (Q) — giá trị «22»: Số đoàn viên giới thiệu «1+1» "
        "lớn hơn số đoàn viên (số đoàn viên: 20) → Cách sửa: Kiểm tra lại hai ô: số này không thể vượt số đoàn viên "
        "(20)",
        f"[lỗi] {head}, dòng 15, cột Số thanh niên được tập hợp (E) — giá trị «60»: Số thanh niên được tập hợp lớn "
        "hơn số thanh niên (số thanh niên: 50) → Cách sửa: Kiểm tra lại hai ô: số này không thể vượt số thanh niên "
        "(50)",
        f"[lỗi] {head}, dòng 15, cột Số đoàn viên đóng đủ đoàn phí (O) — giá trị «21»: Số đoàn viên đóng đoàn phí "
        "lớn hơn số đoàn viên (số đoàn viên: 20) → Cách sửa: Kiểm tra lại hai ô: số này không thể vượt số đoàn viên "
        "(20)",
        f"[cảnh báo] {head}, dòng 17, cột Số lần sinh hoạt (N): Ô trống: chưa có số liệu (ô trống không được hiểu "
        "là 0) → Cách sửa: Điền số liệu; nếu thật sự bằng không, gõ 0 (hoặc «Không» với cột có/không)",
        f"[cảnh báo] {head}, dòng 17, cột Số đoàn viên (C) — giá trị «200»: Thay đổi bất thường so với năm 2020: "
        f"20 → 200 {jump}",
        f"[cảnh báo] {head}, dòng 17, cột Số thanh niên (D) — giá trị «500»: Thay đổi bất thường so với năm 2020: "
        f"50 → 500 {jump}",
        f"[cảnh báo] {head}, dòng 17, cột Số thanh niên được tập hợp (E) — giá trị «400»: Thay đổi bất thường so "
        f"với năm 2020: 40 → 400 {jump}",
    ]


def test_check_writes_an_issues_workbook_over_a_copy_and_never_touches_the_input(tmp_path, capsys):
    src = tmp_path / "nhat_quan.xlsx"
    shutil.copy(CORPUS / "nhat_quan.xlsx", src)
    before = src.read_bytes()
    with pytest.raises(SystemExit) as exc:
        main(["check", str(src), "--out", str(tmp_path / "van_de.xlsx")])
    assert exc.value.code == 1
    assert src.read_bytes() == before
    # + the comparison score sheet's missing column «Thực hiện đợt cao điểm», «Đơn vị đặc thù» (warnings)
    assert "Có 3 lỗi và 7 cảnh báo. Hãy sửa các lỗi rồi kiểm tra lại." in capsys.readouterr().out
    wb = openpyxl.load_workbook(tmp_path / "van_de.xlsx")
    assert wb.sheetnames[0] == "van_de" and "chi_doan" in wb.sheetnames
    listed = wb["van_de"]
    header = [c.value for c in listed[1]]
    assert header == ["Mức độ", "Tệp", "Trang", "Dòng", "Cột", "Giá trị", "Quy tắc", "Cách sửa", "Ô", "Huyện"]
    second = {h: c for h, c in zip(header, listed[3])}
    assert second["Ô"].value == "Q15" and second["Ô"].hyperlink.location == "'chi_doan'!Q15"
    cell = wb["chi_doan"]["Q15"]
    assert cell.fill.fgColor.rgb == "00FFC7CE"  # red: an error
    assert "Số đoàn viên giới thiệu «1+1» lớn hơn số đoàn viên" in cell.comment.text
    assert wb["chi_doan"]["C17"].fill.fgColor.rgb == "00FFEB9C"  # yellow: a warning (the jump)


def test_check_of_something_that_is_not_a_workbook_exits_1_with_the_reason(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["check", str(CORPUS / "cu.xls")])
    assert exc.value.code == 1
    assert "Tệp là sổ Excel 97–2003 (.xls)" in capsys.readouterr().out


# --- names that would be formulas or template code stay text ---------------------------------------

def test_names_that_look_like_formulas_are_written_as_text_in_every_workbook(tmp_path):
    d = load(CORPUS / "ten_nguy_hiem.xlsx", SCALE)
    assert d.errors == []
    names = d.don_vi.set_index("ma_don_vi")["ten_don_vi"]
    assert names["C1"] == '=HYPERLINK("http://x","Đoàn xã")'
    out = write_consolidated(d, tmp_path / "gop.xlsx")
    ws = openpyxl.load_workbook(out)["don_vi"]
    cells = {r[0].value: r[1] for r in ws.iter_rows(min_row=2)}
    for code in ("C1", "C2", "C3", "C1.1"):
        assert cells[code].data_type == "s" and cells[code].value == names[code]
    assert load(out, SCALE).don_vi.set_index("ma_don_vi")["ten_don_vi"].equals(names)


# --- forms out, forms back in ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample_data():
    return load(CYCLE.data, SCALE, CYCLE.emulation)


@pytest.fixture(scope="module")
def filled(tmp_path_factory, sample_data):
    folder = tmp_path_factory.mktemp("phieu")
    forms = write_forms(sample_data, 2021, folder, CYCLE.han_nop, CYCLE.ten_ky)
    fill_forms(folder, sample_data, 2021, dt.date(2021, 12, 5))
    return folder, forms


@pytest.mark.xdist_group("intake_forms")
def test_forms_list_the_branches_locked_with_last_year_beside_and_validation(tmp_path, sample_data):
    forms = write_forms(sample_data, 2021, tmp_path, CYCLE.han_nop, CYCLE.ten_ky, only=["ST02"])
    assert len(forms) == 14 and all(f.ma_huyen == "ST02" for f in forms)
    f = next(f for f in forms if f.ma_don_vi == "ST02.01")
    assert f.path == tmp_path / "ST02" / "ST02.01.xlsx"
    wb = openpyxl.load_workbook(f.path)
    assert wb.sheetnames == ["huong_dan", "chi_doan", "co_so", META_SHEET]
    assert wb[META_SHEET].sheet_state == "veryHidden"
    guide = {r[0]: r[1] for r in wb["huong_dan"].iter_rows(values_only=True) if r[0]}
    assert guide["Đơn vị"] == "Đoàn thị trấn Cái Bè"
    assert guide["Hạn gửi"] == "Ngày 10 tháng 12 năm 2021"
    ws = wb["chi_doan"]
    assert ws.protection.sheet
    header = [c.value for c in ws[3]]
    assert header[:5] == ["Mã đơn vị", "Tên đơn vị", "Năm", "Năm 2020: Số đoàn viên", "Số đoàn viên"]
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    assert [r[0] for r in rows] == ["ST02.01.01", "ST02.01.02", "ST02.01.03", "ST02.01.04"]
    last_year = sample_data.chi_doan.query("ma_don_vi == 'ST02.01.01' and nam == 2020").iloc[0]
    assert rows[0][3] == last_year["so_doan_vien"] and rows[0][4] is None
    assert ws["A4"].protection.locked and ws["D4"].protection.locked and not ws["E4"].protection.locked
    rules = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert rules["E4:E7"].type == "whole" and rules["E4:E7"].formula1 == "0"
    bools = [dv for dv in rules.values() if dv.type == "list" and dv.formula1 == '"Có,Không"']
    assert len(bools) == 6  # the five yes/no columns of the rubric, and bi_thu_moi (cadres, contract §6.2)
    assert ws["E3"].comment.text == "Tổng số đoàn viên của chi đoàn tại thời điểm báo cáo."


@pytest.mark.xdist_group("intake_forms")
def test_forms_filled_then_collected_round_trip_the_sample_exactly(tmp_path, filled, sample_data):
    folder, forms = filled
    assert len(forms) == 81
    res = collect(folder, sample_data, 2021, SCALE, CYCLE.emulation, CYCLE.han_nop)
    assert res.errors == []
    assert [i for i in res.issues if "không khớp" in i.rule] == []  # last year's columns of our own forms
    out = write_consolidated(res.data, tmp_path / "so_lieu_2021.xlsx")
    assert_same_figures(load(out, SCALE, CYCLE.emulation), sample_data)
    counts = res.status["Tình trạng"].value_counts().to_dict()
    # ten branches of the sample sent nothing for 2021: nine Đoàn cơ sở miss some, one unit sent nothing at all
    assert counts == {"đã nộp": 71, "thiếu số liệu": 9, "chưa nộp": 1}
    row = res.status.set_index("Mã đơn vị").loc["ST02.01"]
    assert (row["Ngày gửi"], row["Nguồn ngày gửi"], row["Đúng hạn"]) == ("05/12/2021", "ô «Ngày gửi phiếu»", "Có")


@pytest.mark.xdist_group("intake_forms")
def test_collect_reports_missing_late_conflicting_and_duplicate_returns(tmp_path, filled, sample_data):
    src, _ = filled
    folder = tmp_path / "nop"
    shutil.copytree(src, folder)
    (folder / "ST01" / "ST01.01.xlsx").unlink()  # never sent
    late = folder / "ST01" / "ST01.02.xlsx"
    wb = openpyxl.load_workbook(late)
    wb["huong_dan"]["B7"] = dt.datetime(2021, 12, 20)
    wb.save(late)
    shutil.copy(folder / "ST01" / "ST01.03.xlsx", folder / "ST01.03 (gửi lại).xlsx")  # sent twice, same figures
    other = folder / "ST01.04 bản sửa.xlsx"
    shutil.copy(folder / "ST01" / "ST01.04.xlsx", other)  # sent twice, different figures
    wb = openpyxl.load_workbook(other)
    wb["chi_doan"]["E4"] = 999
    wb.save(other)
    res = collect(folder, sample_data, 2021, SCALE, CYCLE.emulation, CYCLE.han_nop)
    st = res.status.set_index("Mã đơn vị")["Tình trạng"]
    assert (st["ST01.01"], st["ST01.02"], st["ST01.03"], st["ST01.04"]) == (
        "chưa nộp", "nộp muộn", "đã nộp", "xung đột")
    conflict = [str(i) for i in res.errors if "Xung đột" in i.rule]
    code = openpyxl.load_workbook(other)["chi_doan"]["A4"].value
    assert len(conflict) == 2 and conflict[1] == (
        f"[lỗi] tệp ST01.04 bản sửa.xlsx, trang chi_doan, dòng 4, cột Mã đơn vị — giá trị «{code}»: Xung đột: đơn vị "
        f"có số liệu năm 2021 khác nhau ở nhiều nơi (ST01/ST01.04.xlsx dòng 4; ST01.04 bản sửa.xlsx dòng 4); chưa "
        "lấy bản nào → Cách sửa: Hỏi đơn vị bản nào đúng, bỏ bản sai khỏi thư mục rồi chạy lại")
    assert code not in set(res.data.chi_doan.query("nam == 2021")["ma_don_vi"])  # neither copy let in
    assert set(res.rejected["Mã đơn vị"]) == {code}
    twice = [i for i in res.issues if "Số liệu trùng" in i.rule and "ST01.03" in i.file]
    assert len(twice) == 11  # its 10 branches and the Đoàn cơ sở itself, taken once
    assert "ST01.03.01" in set(res.data.chi_doan.query("nam == 2021")["ma_don_vi"])
    status = write_status(res, tmp_path / "tinh_trang.xlsx")
    assert openpyxl.load_workbook(status).sheetnames == ["tinh_trang", "van_de", "dong_bi_loai"]


@pytest.mark.xdist_group("intake_forms")
def test_cli_forms_then_collect(tmp_path, capsys):
    main(["forms", "--out", str(tmp_path / "phieu"), "--huyen", "ST06"])
    out = capsys.readouterr().out
    assert "Đã lập 11 phiếu năm 2021; hạn gửi 10/12/2021." in out
    with pytest.raises(SystemExit) as exc:
        bad = tmp_path / "phieu" / "ST06" / "cu.xls"
        shutil.copy(CORPUS / "cu.xls", bad)
        main(["collect", str(tmp_path / "phieu"), "--out", str(tmp_path / "gop.xlsx")])
    assert exc.value.code == 1
    out = capsys.readouterr().out
    assert "[lỗi] tệp ST06/cu.xls: Tệp là sổ Excel 97–2003 (.xls)" in out
    assert "12 tệp, 81 đơn vị phải nộp: 70 chưa nộp, 11 chưa nộp." not in out
    assert "Sổ số liệu tổng hợp:" in out and (tmp_path / "tinh_trang_thu_thap_2021.xlsx").exists()


def test_last_years_column_beside_this_years_is_silent_a_year_in_this_years_header_is_not(tmp_path):
    """A form puts «Năm 2020: Số đoàn viên» beside «Số đoàn viên» to compare: no figure, nothing to say
    (3.849 warnings in the sample's collection). «Năm 2021: Số thanh niên» with no «Số thanh niên»
    beside it is this year's figures under a header the kit does not know: said, never unread in silence."""
    path = copy_sample(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["chi_doan"]
    assert (ws["C1"].value, ws["D1"].value) == ("Số đoàn viên", "Số thanh niên")
    ws.insert_cols(3)
    ws["C1"] = "Năm 2020: Số đoàn viên"
    ws["E1"] = "Năm 2021: Số thanh niên"
    wb.save(path)
    raw = read_workbook(path)
    said = [(i.letter, i.value, i.rule.split(",")[0]) for i in raw.issues if i.sheet == "chi_doan" and i.row == 1]
    assert said == [("E", "Năm 2021: Số thanh niên", "Tiêu đề cột không khớp cột nào của trang «chi_doan»")]
    assert "so_thanh_nien" not in raw.sheets["chi_doan"].columns_at  # so its «Thiếu cột» error follows


def test_a_form_given_where_the_cycles_workbook_belongs_is_named_as_a_form_once(tmp_path, capsys):
    """`check` (or `run`) on a unit's form: one refusal that says whose form it is and how forms are
    taken in, not «Thiếu trang don_vi», an error for every branch and a warning for every column of
    last year's figures beside the blanks (49 warnings and 10 errors on ST06's forms before)."""
    main(["forms", "--out", str(tmp_path / "phieu"), "--huyen", "ST06"])
    main(["forms", "--dang-ky", "--out", str(tmp_path / "dk"), "--huyen", "ST06"])
    capsys.readouterr()
    said = {}
    for kind, form in (("so_lieu", tmp_path / "phieu" / "ST06" / "ST06.01.xlsx"),
                       ("dang_ky", tmp_path / "dk" / "ST06" / "ST06.01.xlsx")):
        with pytest.raises(SystemExit) as exc:
            main(["check", str(form)])
        assert exc.value.code == 1
        said[kind] = capsys.readouterr().out.splitlines()
    assert said["so_lieu"] == [
        "[lỗi] tệp ST06.01.xlsx: Tệp là phiếu thu thập số liệu năm 2021 của đơn vị ST06.01 (lập bằng lệnh "
        "«tongket forms»), không phải sổ dữ liệu của kỳ đánh giá → Cách sửa: Để các phiếu đơn vị gửi về chung "
        "một thư mục rồi chạy «tongket collect THƯ_MỤC»: lệnh đó kiểm tra từng phiếu, đối chiếu với sổ dữ "
        "liệu và gộp số liệu vào sổ",
        "Có 1 lỗi và 0 cảnh báo. Hãy sửa các lỗi rồi kiểm tra lại."]
    assert "Tệp là phiếu đăng ký năm 2021 của đơn vị ST06.01 (lập bằng lệnh «tongket forms --dang-ky»)" in said["dang_ky"][0]
    assert "«tongket collect --dang-ky THƯ_MỤC»" in said["dang_ky"][0]
    with pytest.raises(SystemExit) as exc:
        main(["assess", "--data", str(tmp_path / "phieu" / "ST06" / "ST06.01.xlsx"), "--out", str(tmp_path / "x.xlsx")])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "Tệp là phiếu thu thập số liệu năm 2021 của đơn vị ST06.01" in err and "Thiếu trang" not in err
    assert not (tmp_path / "x.xlsx").exists()
    # a form's `_phieu` of one column (keys only) is refused the same, without a traceback
    form = openpyxl.load_workbook(tmp_path / "phieu" / "ST06" / "ST06.01.xlsx")
    meta = form["_phieu"]
    meta.delete_cols(2)
    form.save(tmp_path / "mot_cot.xlsx")
    with pytest.raises(SystemExit) as exc:
        main(["check", str(tmp_path / "mot_cot.xlsx")])
    assert capsys.readouterr().out.splitlines()[0] == (
        "[lỗi] tệp mot_cot.xlsx: Tệp là phiếu thu thập số liệu (lập bằng lệnh «tongket forms»), không phải sổ dữ "
        "liệu của kỳ đánh giá → Cách sửa: Để các phiếu đơn vị gửi về chung một thư mục rồi chạy «tongket collect "
        "THƯ_MỤC»: lệnh đó kiểm tra từng phiếu, đối chiếu với sổ dữ liệu và gộp số liệu vào sổ")
    # the province's workbook that carries a `_phieu` (begun by «Save As» from a form) has the tree: it is read
    book = openpyxl.load_workbook(copy_sample(tmp_path))
    extra = book.create_sheet("_phieu")
    extra.append(["ma_don_vi", "ST01.01"])
    extra.sheet_state = "veryHidden"
    book.save(tmp_path / "tinh_co_phieu.xlsx")
    main(["check", str(tmp_path / "tinh_co_phieu.xlsx")])
    assert capsys.readouterr().out.splitlines()[-1].startswith("Không có lỗi")


# --- property-based: random valid workbooks, messed up, read back the same or refused --------------

COUNTS = ["so_doan_vien", "so_thanh_nien", "so_lan_sinh_hoat", "so_ket_nap_moi", "so_hoat_dong_van_hoa_the_thao"]
BOOLS = ["bien_ban_day_du", "dai_hoi_chi_doan", "bi_thu_duoc_tap_huan"]


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@st.composite
def messy_cases(draw):
    cd, cs = small_rows()
    for r in cd:
        r["so_doan_vien"] = draw(st.integers(5, 5000))
        r["so_thanh_nien"] = r["so_doan_vien"] * 3
        r["so_thanh_nien_tap_hop"] = draw(st.integers(0, r["so_thanh_nien"]))
        r["so_lan_sinh_hoat"] = draw(st.integers(0, 24))
        r["so_ket_nap_moi"] = draw(st.integers(0, r["so_doan_vien"]))
        r["so_dv_dong_doan_phi"] = draw(st.integers(0, r["so_doan_vien"]))
        r["so_dv_gioi_thieu_1_1"] = draw(st.integers(0, r["so_doan_vien"]))
        for b in BOOLS:
            r[b] = draw(st.booleans())
    mess = draw(st.fixed_dictionaries({
        "title_rows": st.integers(0, 4), "headers": st.sampled_from(["keys", "labels", "plain", "nfd", "upper"]),
        "as_text": st.booleans(), "bool_style": st.sampled_from(["Có/Không", "x/", "1/0", "TRUE/FALSE", "bool"]),
        "blank_rows": st.integers(0, 3), "blank_col": st.booleans(), "hidden": st.booleans(),
        "ambiguous": st.booleans()}))
    return cd, cs, mess


def _messed(tmp: Path, cd, cs, mess) -> tuple[Path, Path]:
    clean = write_exchange(tmp / "sach.xlsx", small_tree(), cd, cs)
    messy = tmp / "ban.xlsx"
    t, f = {"Có/Không": ("Có", "Không"), "x/": ("x", None), "1/0": (1, 0), "TRUE/FALSE": ("TRUE", "FALSE"),
            "bool": (True, False)}[mess["bool_style"]]
    rows = []
    for r in cd:
        r = dict(r)
        for b in BOOLS:
            r[b] = t if r[b] else f
        if mess["as_text"]:
            for c in COUNTS:
                r[c] = _thousands(r[c])
        rows.append(r)
    if mess["ambiguous"]:
        rows[0]["so_doan_vien"] = "1.5"
    write_exchange(messy, small_tree(), rows, cs, headers="labels" if mess["headers"] != "keys" else "keys",
                   title_rows=mess["title_rows"])
    wb = openpyxl.load_workbook(messy)
    for ws in wb.worksheets:
        header = mess["title_rows"] + 1
        for cell in ws[header]:
            v = str(cell.value)
            cell.value = {"plain": "".join(ch for ch in unicodedata.normalize("NFD", v)
                                           if not unicodedata.combining(ch)).replace("đ", "d").replace("Đ", "D"),
                          "nfd": unicodedata.normalize("NFD", v), "upper": f" {v.upper()} \n"}.get(mess["headers"], v)
        for _ in range(mess["blank_rows"]):
            ws.insert_rows(header + 2)
        if mess["blank_col"]:
            ws.insert_cols(2)
    if mess["hidden"]:
        wb["chi_doan"].sheet_state = "hidden"
    wb.save(messy)
    return clean, messy


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=messy_cases())
def test_messed_up_workbooks_read_the_same_figures_or_report_the_problem(tmp_path_factory, case):
    cd, cs, mess = case
    tmp = tmp_path_factory.mktemp("h")
    clean, messy = _messed(tmp, cd, cs, mess)
    a, b = load(clean, SCALE), load(messy, SCALE)
    assert a.errors == []
    if mess["ambiguous"]:  # never a different figure: the ambiguous cell is reported, its value left out
        assert [(i.rule.startswith("Không phải là số"), i.value) for i in b.errors] == [(True, "1.5")]
        assert pd.isna(b.chi_doan.iloc[0]["so_doan_vien"])
        return
    assert [i for i in b.issues if i.severity == ERROR] == []
    if mess["bool_style"] == "x/":  # a blank is not a zero: read as missing (and warned), never as a figure
        blanks = [i for i in b.issues if i.rule.startswith("Ô trống")]
        assert len(blanks) == sum(not r[k] for r in cd for k in BOOLS)
        for k in BOOLS:
            b.chi_doan[k] = b.chi_doan[k].fillna(False)
    assert_same_figures(a, b)
