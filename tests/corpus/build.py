"""Build the corpus of messy and hostile workbooks that tests/test_intake.py reads.

    .venv/bin/python tests/corpus/build.py

Each file is one case of issue 5; the test states the exact message or result expected. The
files are committed so the corpus is fixed; this script says how each was made. `cu.xls` is a
real Excel 97–2003 file converted by LibreOffice Calc where it is installed.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

import openpyxl

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))
from conftest import small_rows, small_tree, write_exchange  # noqa: E402


def clean(name: str, **kw) -> Path:
    cd, cs = small_rows()
    return write_exchange(HERE / name, small_tree(), cd, cs, **kw)


def messy_headers() -> None:
    """Title rows with merged cells above the header; headers without diacritics, NFD, old tone
    placement, stray spaces and line breaks; an empty column and empty rows."""
    path = clean("tieu_de_va_tieu_de_cot.xlsx", headers="labels")
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        ws.insert_rows(1, 3)
        ws["A1"] = "TỈNH ĐOÀN THỬ"
        ws.merge_cells("A1:F1")
        ws["A2"] = "BÁO CÁO SỐ LIỆU NĂM 2021"
        ws.merge_cells("A2:F2")
        header = 4
        for cell in ws[header]:
            if cell.value is None:
                continue
            v = str(cell.value)
            k = cell.column % 4
            cell.value = (unicodedata.normalize("NFD", v) if k == 0 else
                          v.replace("hóa", "hoá").upper() if k == 1 else
                          f"  {v.replace(' ', '  ', 1)}\n" if k == 2 else
                          "".join(c for c in unicodedata.normalize("NFD", v) if not unicodedata.combining(c))
                          .replace("đ", "d").replace("Đ", "D"))
        ws.insert_cols(3)
        ws.insert_rows(header + 3)
        ws.insert_rows(ws.max_row + 1)
    wb.save(path)


def typed_as_text() -> None:
    """Numbers typed as text the Vietnamese way, booleans as people type them, a percent cell."""
    cd, cs = small_rows()
    cd[0].update(so_doan_vien="1.234", so_thanh_nien="2.000", so_thanh_nien_tap_hop=" 1.500 ",
                 bien_ban_day_du="x", dai_hoi_chi_doan="có", bi_thu_kinh_te_on_dinh=1, bi_thu_duoc_tap_huan="TRUE",
                 bi_thu_nam_chinh_sach="Đúng", diem="85,5")
    cd[1].update(bien_ban_day_du="không", dai_hoi_chi_doan=0, bi_thu_kinh_te_on_dinh="FALSE")
    cs[0].update(ty_le_tre_han="12,5%")
    write_exchange(HERE / "so_va_co_khong_dang_chu.xlsx", small_tree(), cd, cs)


def ambiguous_text() -> None:
    """Figures that could mean two numbers, or none: refused, never guessed."""
    cd, cs = small_rows()
    cd[0].update(so_doan_vien="1.5", so_lan_sinh_hoat="12 lần", so_ket_nap_moi="5,0,1")
    write_exchange(HERE / "so_mo_ho.xlsx", small_tree(), cd, cs)


def _cache(path: Path, values: dict[str, str], error: bool = False) -> None:
    """Store a computed value for formula cells (what Excel does on save; openpyxl does not);
    `error`: the values are a formula's errors, stored with their type as Excel does."""
    buf = io.BytesIO()
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                text = data.decode()
                for ref, v in values.items():
                    start = text.index(f'<c r="{ref}"')
                    end = text.index("</c>", start)
                    cell = text[start:end]
                    cell = cell.replace("</f>", f"</f><v>{v}</v>")
                    text = text[:start] + (cell.replace(">", ' t="e">', 1) if error else cell) + text[end:]
                data = text.encode()
            zout.writestr(item, data)
    path.write_bytes(buf.getvalue())


def formulas() -> None:
    """Formulas: one workbook saved by Excel (values stored), one written by a program (none)."""
    for name, cached in (("cong_thuc_co_gia_tri.xlsx", True), ("cong_thuc_khong_gia_tri.xlsx", False)):
        path = clean(name)
        wb = openpyxl.load_workbook(path)
        ws = wb["chi_doan"]
        ws["C2"] = "=20+5"  # so_doan_vien of C1.1 2020
        ws["D3"] = "=C3*3"
        wb.save(path)
        if cached:
            _cache(path, {"C2": "25", "D3": str(ws["C3"].value * 3)})


def stand_ins() -> None:
    """What is not a value: a formula Excel saved with its error («#DIV/0!», stored as the error it is)
    and the letters another program's export writes for nothing («nan», «NULL»)."""
    path = clean("cong_thuc_loi.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["chi_doan"]["C2"] = "=C3/0"  # so_doan_vien of C1.1 2020
    wb.save(path)
    _cache(path, {"C2": "#DIV/0!"}, error=True)
    path = clean("chu_thay_o_trong.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["chi_doan"]["C3"] = "nan"  # so_doan_vien of C1.2 2020, as pandas writes a blank it turned into text
    wb["chi_doan"]["D4"] = "NULL"  # so_thanh_nien of C1.3 2020, as a database export does
    wb.save(path)


def hidden_sheet() -> None:
    path = clean("trang_an.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["co_so"].sheet_state = "hidden"
    wb.save(path)


TCVN3 = {"Đoàn xã An Bình": "§oµn x· An B×nh", "Chi đoàn ấp 1": "Chi ®oµn Êp 1", "Có": "Cã", "Không": "Kh«ng"}
VNI = {"Đoàn xã An Bình": "Ñoaøn xaõ An Bình", "Chi đoàn ấp 1": "Chi ñoaøn aáp 1", "Có": "Coù", "Không": "Khoâng"}


def legacy() -> None:
    """Names and Có/Không typed with .VnTime (TCVN3) or VNI-Times fonts."""
    for name, table in (("ma_tcvn3.xlsx", TCVN3), ("ma_vni.xlsx", VNI)):
        tree = small_tree()
        for u in tree:
            u["ten_don_vi"] = table.get(u["ten_don_vi"], u["ten_don_vi"])
        cd, cs = small_rows()
        cd[0]["bien_ban_day_du"] = table["Có"]
        cd[0]["dai_hoi_chi_doan"] = table["Không"]
        write_exchange(HERE / name, tree, cd, cs)


def structure() -> None:
    """Tree problems: a loop, a code that would leave its folder, a Windows device name, a code twice."""
    tree = small_tree() + [
        {"ma_don_vi": "V1", "ten_don_vi": "Vòng một", "cap": "co_so", "ma_cap_tren": "V2"},  # row 13
        {"ma_don_vi": "V2", "ten_don_vi": "Vòng hai", "cap": "co_so", "ma_cap_tren": "V1"},  # row 14
        {"ma_don_vi": "../x", "ten_don_vi": "Ra ngoài", "cap": "co_so", "ma_cap_tren": "H1"},  # row 15
        {"ma_don_vi": "CON", "ten_don_vi": "Tên thiết bị", "cap": "co_so", "ma_cap_tren": "H2"},  # row 16
        {"ma_don_vi": "C3.1", "ten_don_vi": "Trùng mã", "cap": "chi_doan", "ma_cap_tren": "C3"},  # row 17
    ]
    cd, cs = small_rows()
    write_exchange(HERE / "cay_don_vi.xlsx", tree, cd, cs)


def consistency() -> None:
    """Figures that cannot hold together, a jump from last year, a blank."""
    cd, cs = small_rows()
    r = next(x for x in cd if x["ma_don_vi"] == "C2.1" and x["nam"] == 2021)
    r.update(so_thanh_nien_tap_hop=r["so_thanh_nien"] + 10, so_dv_dong_doan_phi=r["so_doan_vien"] + 1,
             so_dv_gioi_thieu_1_1=r["so_doan_vien"] + 2, so_ket_nap_moi=r["so_doan_vien"] + 3)
    s = next(x for x in cd if x["ma_don_vi"] == "C3.1" and x["nam"] == 2021)
    s.update(so_doan_vien=s["so_doan_vien"] * 10, so_thanh_nien=s["so_thanh_nien"] * 10,
             so_thanh_nien_tap_hop=s["so_thanh_nien_tap_hop"] * 10, so_dv_dong_doan_phi=s["so_doan_vien"] * 10,
             so_lan_sinh_hoat=None)
    write_exchange(HERE / "nhat_quan.xlsx", small_tree(), cd, cs)


def not_workbooks() -> None:
    (HERE / "khong_phai_excel.xlsx").write_text("Mã đơn vị;Tên đơn vị\nC1;Đoàn xã An Bình\n", encoding="utf-8")
    (HERE / "trang_web.xls").write_text("<html><body><table><tr><td>C1</td></tr></table></body></html>",
                                        encoding="utf-8")
    with zipfile.ZipFile(HERE / "bang_tinh.ods", "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    with zipfile.ZipFile(HERE / "nen_khong_phai_excel.xlsx", "w") as z:
        z.writestr("readme.txt", "không phải sổ Excel")
    (HERE / "hong.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    # A zip bomb: 64 MB of zeros that compress to about 64 KB, inside something shaped like .xlsx.
    with zipfile.ZipFile(HERE / "bom_nen.xlsx", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w") as fh:
            block = b"\x00" * (1 << 20)
            for _ in range(64):
                fh.write(block)
    xls = HERE / "cu.xls"
    soffice = shutil.which("soffice")
    if soffice:
        src = clean("_tam.xlsx")
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([soffice, f"-env:UserInstallation=file://{tmp}/p", "--headless", "--convert-to", "xls",
                            "--outdir", tmp, str(src)], check=True, capture_output=True, timeout=120)
            shutil.copy(Path(tmp) / "_tam.xls", xls)
        src.unlink()
    elif not xls.exists():
        xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)


def formula_names() -> None:
    """Names a spreadsheet would take for formulas, and template syntax, as data."""
    tree = small_tree()
    names = {"C1": "=HYPERLINK(\"http://x\",\"Đoàn xã\")", "C2": "+Đoàn phường 2", "C3": "@Đoàn xã Đông Hòa",
             "C1.1": "-Chi đoàn ấp 1", "C1.2": "{{ 7*7 }} Chi đoàn {% if true %}ấp 2{% endif %}"}
    for u in tree:
        u["ten_don_vi"] = names.get(u["ma_don_vi"], u["ten_don_vi"])
    cd, cs = small_rows()
    write_exchange(HERE / "ten_nguy_hiem.xlsx", tree, cd, cs)


def _rewrite(path: Path, member: str, change) -> None:
    """Rewrite one member of a zip (an .xlsx part) through `change(bytes) -> bytes`."""
    buf = io.BytesIO()
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item, change(data) if item.filename == member else data)
    path.write_bytes(buf.getvalue())


def faults() -> None:
    """Issue 15 point 16: files that used to end in a traceback. An .xlsx renamed .xls; a sheet
    whose XML is cut off; an XML entity bomb ("billion laughs") in a sheet; a problem cell under
    a merged range; a district without any Đoàn cơ sở."""
    shutil.copy(clean("_tam.xlsx"), HERE / "doi_duoi.xls")
    (HERE / "_tam.xlsx").unlink()
    path = clean("xml_hong.xlsx")
    _rewrite(path, "xl/worksheets/sheet2.xml", lambda b: b[: len(b) // 2])
    path = clean("so_hong.xlsx")  # a number cell that is not one («NaN»): openpyxl fails while reading the row
    _rewrite(path, "xl/worksheets/sheet2.xml",
             lambda b: re.sub(rb'(<c r="C2"[^>]*>)<v>[^<]*</v>', rb"\1<v>NaN</v>", b, count=1))
    path = clean("chu_mat.xlsx")  # a shared text that is not there (an index past the list)
    _rewrite(path, "xl/worksheets/sheet2.xml",
             lambda b: re.sub(rb'<c r="C2"[^>]*>.*?</c>', b'<c r="C2" t="s"><v>99</v></c>', b, count=1))
    path = clean("bom_thuc_the.xlsx")
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10 if i else "ha"}">' for i in range(10))
    _rewrite(path, "xl/worksheets/sheet2.xml",
             lambda b: f'<?xml version="1.0"?><!DOCTYPE worksheet [{laughs}]>'.encode()
             + b.replace(b"<is><t>ma_don_vi</t></is>", b"<is><t>&l9;</t></is>", 1))
    cd, cs = small_rows()
    cd[0]["so_lan_sinh_hoat"] = None  # a blank the check reports, under a merged range
    cs = [{**r, "dot_cao_diem": "Có"} for r in cs]  # every column the cycle reads: the blank is the only problem
    path = write_exchange(HERE / "o_gop.xlsx", [{**u, "dac_thu": "Không"} for u in small_tree()], cd, cs)
    wb = openpyxl.load_workbook(path)
    ws = wb["chi_doan"]
    col = next(c.column for c in ws[1] if c.value == "so_lan_sinh_hoat")
    ws.merge_cells(start_row=2, start_column=col - 1, end_row=2, end_column=col)
    wb.save(path)
    tree = small_tree() + [{"ma_don_vi": "H3", "ten_don_vi": "Huyện Đoàn Ba", "cap": "huyen", "ma_cap_tren": "T",
                            "loai_hinh": "khac"}]
    cd, cs = small_rows()
    write_exchange(HERE / "huyen_khong_co_so.xlsx", tree, cd, cs)
def intake_15() -> None:
    """Issue 15 A: units that sent nothing, headers read as nothing, twin sheets, codes sharing a
    folder, numbers that could mean two things, a header-only sheet, Ð for Đ."""
    def tree() -> list[dict]:
        return [{**u, "dac_thu": "Không"} for u in small_tree()]

    def rows() -> tuple[list[dict], list[dict]]:
        cd, cs = small_rows()
        return cd, [{**r, "dot_cao_diem": "Có"} for r in cs]

    cd, cs = rows()
    write_exchange(HERE / "huyen_chua_gui.xlsx", tree(),
                   [r for r in cd if not (r["ma_don_vi"] == "C3.1" and r["nam"] == 2021)],
                   [r for r in cs if not (r["ma_don_vi"] == "C3" and r["nam"] == 2021)])
    write_exchange(HERE / "chi_doan_trong.xlsx", tree(), [], cs)
    path = write_exchange(HERE / "tieu_de_la.xlsx", tree(), cd, cs)
    wb = openpyxl.load_workbook(path)
    for cell in wb["chi_doan"][1]:
        cell.value = {"so_doan_vien": "Số đoàn viên (người)", "so_lan_sinh_hoat": "Số lần SH"}.get(cell.value, cell.value)
    wb.save(path)
    path = write_exchange(HERE / "hai_trang.xlsx", tree(), cd, cs)
    wb = openpyxl.load_workbook(path)
    wb.copy_worksheet(wb["chi_doan"]).title = "chi_doan (2)"
    wb.save(path)
    t = tree()
    codes = {"H1": "ST_05", "H2": "ST 05"}
    for u in t:
        u["ma_don_vi"] = codes.get(u["ma_don_vi"], u["ma_don_vi"])
        u["ma_cap_tren"] = codes.get(u["ma_cap_tren"], u["ma_cap_tren"])
    write_exchange(HERE / "ma_cung_thu_muc.xlsx", t, cd, cs)
    cd, cs = rows()
    cd[0]["so_doan_vien"], cd[1]["so_thanh_nien"], cd[2]["so_lan_sinh_hoat"] = "1,000", "0.500", "2 5"
    cd[3]["so_ket_nap_moi"] = 10**19
    write_exchange(HERE / "so_hai_nghia.xlsx", tree(), cd, cs)
    t = tree()
    t[3]["ten_don_vi"] = "Ðoàn xã Tân Hòa"
    write_exchange(HERE / "chu_eth.xlsx", t, *rows())


if __name__ == "__main__":
    clean("sach.xlsx")
    messy_headers()
    typed_as_text()
    ambiguous_text()
    formulas()
    stand_ins()
    hidden_sheet()
    legacy()
    structure()
    consistency()
    not_workbooks()
    formula_names()
    faults()
    intake_15()
    print("\n".join(sorted(p.name for p in HERE.iterdir() if p.suffix != ".py")))
