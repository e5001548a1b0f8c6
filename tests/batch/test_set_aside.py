"""No document outlives the data it came from (attack of 6/12/2026): a district that fails on a data
error kept its earlier documents in its folder, beside a province report that now leaves it out;
the folder of a district gone from the workbook stayed, and the manifest said «xong»."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import small_rows, small_tree, small_with_members, write_exchange
from tongket.batch.runner import run
from tongket.batch.staging import ASIDE, NOT_WRITTEN

pytestmark = [pytest.mark.slow]


def _workbook(path, error_in_h1: bool = False, without_h2: bool = False):
    cd, cs = small_rows()
    tree = small_tree()
    if error_in_h1:
        for r in cd:
            if r["ma_don_vi"] == "C1.1" and r["nam"] == 2021:
                r["so_ket_nap_moi"] = -4
    if without_h2:  # the district and everything under it gone from the workbook
        tree = [u for u in tree if u["ma_don_vi"] != "H2" and not u["ma_don_vi"].startswith("C3")]
        cd = [r for r in cd if not r["ma_don_vi"].startswith("C3")]
        cs = [r for r in cs if not r["ma_don_vi"].startswith("C3")]
    return write_exchange(path, tree, cd, cs)


def test_a_failed_or_gone_unit_keeps_no_document_in_the_year_folder(tmp_path):
    data, out = tmp_path / "so_lieu.xlsx", tmp_path / "out"
    _workbook(data)
    assert run(data=data, out=out, progress=False, engine="direct").exit_code == 0
    year = out / "2021"
    assert (year / "H1" / "bao_cao_tong_ket.docx").is_file() and (year / "H2" / "bao_cao_tong_ket.docx").is_file()

    _workbook(data, error_in_h1=True, without_h2=True)
    result = run(data=data, out=out, progress=False, engine="direct")
    m = json.loads(result.manifest.read_text(encoding="utf-8"))
    assert m["trang_thai"] == "mot_phan"
    h1 = next(d for d in m["districts"] if d["ma_don_vi"] == "H1")
    assert h1["status"] == "failed" and h1["files"] == []
    # H1 was the one district left, so the province has nothing to sum and fails too: the year folder
    # holds no document; H1's and T's folders only say why, H2's is gone
    assert m["province"]["status"] == "failed"
    assert sorted(p.name for p in (year / "H1").iterdir()) == [NOT_WRITTEN]
    assert sorted(p.name for p in (year / "T").iterdir()) == [NOT_WRITTEN]
    assert not (year / "H2").exists()
    assert not list(year.rglob("*.docx")) and not list(year.rglob("*.xlsx"))[1:]  # (nhat_ky_chay.xlsx)
    aside = out / ASIDE / "2021"
    (h1_old,) = aside.glob("H1_*")
    (h2_old,) = aside.glob("H2_*")
    (t_old,) = aside.glob("T_*")
    assert (t_old / "bao_cao_tong_hop.docx").is_file()
    assert (h1_old / "bao_cao_tong_ket.docx").is_file() and (h2_old / "quyet_dinh_cong_nhan.docx").is_file()
    note = (year / "H1" / NOT_WRITTEN).read_text(encoding="utf-8")
    assert "chưa lập được văn bản của Huyện Đoàn Một (H1):\nDữ liệu có lỗi:\n[lỗi] tệp so_lieu.xlsx, trang chi_doan" in note
    assert f"đã chuyển sang {h1_old}; không dùng các văn bản đó." in note
    assert f"Văn bản của lần chạy trước đã chuyển sang {h1_old}: không dùng (chưa lập lại được)" in h1["warnings"]
    assert any(w.startswith(f"Thư mục H2 của lần chạy trước (đơn vị không có trong lần chạy này: đã bỏ khỏi sổ dữ "
                            f"liệu hoặc không phải huyện báo cáo) đã chuyển sang {h2_old}")
               for w in m["province"]["warnings"]), m["province"]["warnings"]

    _workbook(data, without_h2=True)  # H1 mended: its folder is its documents again, the note gone
    assert run(data=data, out=out, progress=False, engine="direct").exit_code == 0
    assert (year / "H1" / "bao_cao_tong_ket.docx").is_file() and not (year / "H1" / NOT_WRITTEN).exists()
    assert (year / "T" / "bao_cao_tong_hop.docx").is_file() and not (year / "T" / NOT_WRITTEN).exists()
    assert sorted(p.name for p in aside.iterdir()) == sorted([h1_old.name, h2_old.name, t_old.name])  # no more


def test_a_partial_run_sets_aside_a_carried_unit_no_longer_decided_by_the_data(tmp_path):
    """Attack of 6/12/2026: H2's rows given an error, then only H1 run: H2's old documents stayed,
    recorded «ok», beside a province report that left H2 out. Its rows changed (no error) is the
    same: its documents are of other figures. Options that only add files change nothing."""
    data, out = tmp_path / "so_lieu.xlsx", tmp_path / "out"
    _workbook(data)
    assert run(data=data, out=out, progress=False, engine="direct").exit_code == 0
    year, aside = out / "2021", out / ASIDE / "2021"
    # another option (merged assessment sheets) for H1 only, and the same workbook saved under another
    # name: H2's documents still say what its rows say (attack: every unit not run was moved)
    assert run(data=data, out=out, progress=False, engine="direct", ma_bao_cao=["H1"], gop_phieu=True).exit_code == 0
    renamed = tmp_path / "so_lieu_ban_2.xlsx"
    shutil.copy(data, renamed)
    assert run(data=renamed, out=out, progress=False, engine="direct", ma_bao_cao=["H1"]).exit_code == 0
    assert (year / "H2" / "bao_cao_tong_ket.docx").is_file() and not aside.exists()

    small_with_members(data, "C3.1", 25)  # H2's branch has 25 members now: its report of 20 is of other figures
    result = run(data=data, out=out, progress=False, engine="direct", ma_bao_cao=["H1"])
    m = json.loads(result.manifest.read_text(encoding="utf-8"))
    h2 = next(d for d in m["districts"] if d["ma_don_vi"] == "H2")
    (h2_old,) = aside.glob("H2_*")
    assert h2["status"] == "failed" and h2["files"] == [] and h2["nguon"] is None
    assert h2["error"] == (f"Văn bản của lần chạy trước không còn khớp (số liệu hoặc tham số đã đổi từ khi lập); văn "
                           f"bản đã chuyển sang {h2_old}. Chạy lại đơn vị này (--ma-bao-cao H2) hoặc cả tỉnh.")
    assert f"Huyện Đoàn Hai (H2), không chạy lần này: {h2['error']}" in m["province"]["warnings"]
    assert m["trang_thai"] == "mot_phan" and result.exit_code == 1  # the year folder is not complete
    assert h2["warnings"] == [] and h2["timings"] == {}  # of documents no longer there
    assert sorted(p.name for p in (year / "H2").iterdir()) == [NOT_WRITTEN]
    assert (year / "H2" / NOT_WRITTEN).read_text(encoding="utf-8") == f"Huyện Đoàn Hai (H2) không chạy lần này. {h2['error']}\n"
    assert (h2_old / "bao_cao_tong_ket.docx").is_file()

    assert run(data=data, out=out, progress=False, engine="direct", ma_bao_cao=["H2"]).exit_code == 0
    assert (year / "H2" / "bao_cao_tong_ket.docx").is_file()
    small_with_members(data, "C3.1", -4)  # now an error in H2's rows, and H1 run alone again
    result = run(data=data, out=out, progress=False, engine="direct", ma_bao_cao=["H1"])
    m = json.loads(result.manifest.read_text(encoding="utf-8"))
    h2 = next(d for d in m["districts"] if d["ma_don_vi"] == "H2")
    assert h2["status"] == "failed" and "(số liệu của đơn vị nay có lỗi)" in h2["error"]
    assert m["province"]["missing_units"] == ["Huyện Đoàn Hai (H2)"]
    assert len(list(aside.glob("H2_*"))) == 2 and result.exit_code == 1
    assert sorted(p.name for p in (year / "H2").iterdir()) == [NOT_WRITTEN]
