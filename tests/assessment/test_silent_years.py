"""A year in which none of a district's branches sent a row: what is counted over its branches is
unknown, never 0, for the district and for the province (a count of 0 read «0 chi đoàn dân cư»,
«Đoàn cơ sở đạt mục tiêu: 0» and «64 chi đoàn không giữ được chuẩn» in the sơ kết)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import branch, small_rows, small_tree, write_exchange
from tongket.assessment.assess import assess
from tongket.intake.check import load
from tongket.rules.params import load_cycle

RESIDENTIAL = ["C1.1", "C1.2", "C1.3", "C1.4", "C2.1", "C2.2"]
# what a district left out: every branch row, or those of its residential branches only (its
# school branch C1.S and its chi đoàn cơ sở H1.D sent theirs); H3 (a Đoàn Khối) has no residential one
BRANCHES = {"H1": [*RESIDENTIAL, "C1.S", "H1.D"], "H1 dân cư": RESIDENTIAL, "H2": ["C3.1"], "H3": ["C4.1"]}
BRANCH_COUNTS = ["so_chi_doan_dan_cu", "so_chi_doan_dat_chuan", "ty_le_dat_chuan", "so_co_so_dat_muc_tieu",
                 "so_chi_doan_moi_dat", "so_chi_doan_giu_vung", "so_chi_doan_mat_chuan"]
# figures summed from branch rows: members, the «1+1» youth, member ratings, branch secretaries
SUMMED = ["so_doan_vien", "so_ket_nap_moi", "so_thanh_nien_1_1", "so_dv_duoc_danh_gia", "so_dv_htxs",
          "so_bi_thu_chi_doan_moi"]
SILENT = [(d, y) for d in BRANCHES for y in (2019, 2020)]  # the assessed year's silence is an error (held back)
MEMBERS = {"so_dv_duoc_danh_gia": 18, "so_dv_htxs": 3, "so_dv_htt": 9, "so_dv_ht": 5, "so_dv_kht": 1, "bi_thu_moi": "Có"}


def _workbook(path):
    """The small province over 2019–2021, with member ratings and branch secretaries, a chi đoàn cơ
    sở (H1.D, rated on the branch sheet) and a district without residential branches (H3)."""
    cd, cs = small_rows()
    cd += [dict(r, nam=2019) for r in cd if r["nam"] == 2020]
    cs += [dict(r, nam=2019) for r in cs if r["nam"] == 2020]
    cd += [branch("H1.D", y, xep_loai="Hoàn thành tốt nhiệm vụ") for y in (2019, 2020, 2021)]
    cd += [branch("C4.1", y) for y in (2019, 2020, 2021)]
    cs += [dict(r, ma_don_vi="C4") for r in cs if r["ma_don_vi"] == "C2"]
    cd = [{**r, **MEMBERS} for r in cd]
    u = lambda ma, ten, cap, cha, loai="khac": {"ma_don_vi": ma, "ten_don_vi": ten, "cap": cap, "ma_cap_tren": cha,
                                                  "loai_hinh": loai}
    tree = small_tree() + [u("H1.D", "Chi đoàn Bệnh viện", "chi_doan", "H1"), u("H3", "Đoàn Khối Thử", "huyen", "T"),
                           u("C4", "Đoàn cơ sở Sở Thử", "co_so", "H3"), u("C4.1", "Chi đoàn Phòng 1", "chi_doan", "C4")]
    return write_exchange(path, tree, cd, cs)


def _values(row: pd.Series) -> list:
    return [None if pd.isna(v) else v for v in row]


@pytest.fixture(scope="module")
def three_years(tmp_path_factory):
    path = _workbook(tmp_path_factory.mktemp("im_lang") / "x.xlsx")
    cycle = load_cycle(data=path, nam=2021)
    d = load(path, cycle.scale)
    return cycle, d, assess(d, cycle).huyen.set_index(["ma_don_vi", "nam"])


@settings(max_examples=16, deadline=None)
@given(silent=st.sets(st.sampled_from(SILENT)), cap=st.sampled_from(["huyen", "co_so"]))
def test_a_figure_over_a_return_without_a_whole_part_is_blank_and_only_then(three_years, silent, cap):
    """A district's branches (or its residential branches) sent no row in a year before the
    assessed one: its counts over residential branches, upkeep and (none sent) the rating of its
    chi đoàn cơ sở are blank, not 0; its sums too, not the others' total; the province's likewise
    (reporting per district or per Đoàn cơ sở), and only so: a district without residential
    branches never blanks the province's residential counts."""
    cycle, d, full = three_years
    cycle = cycle if cap == "huyen" else load_cycle(data=cycle.data, nam=2021, cap_bao_cao="co_so")
    gone = np.zeros(len(d.chi_doan), dtype=bool)
    for dist, y in silent:
        gone |= (d.chi_doan["ma_don_vi"].isin(BRANCHES[dist]) & (d.chi_doan["nam"] == y)).to_numpy()
    data = type(d)(d.path, d.don_vi, d.chi_doan[~gone], d.co_so, [], d.optional)
    r = assess(data, cycle)
    huyen = r.huyen.set_index(["ma_don_vi", "nam"])
    for (dist, y), row in huyen.iterrows():
        left_out = {s for s, year in silent if year == y and s.split()[0] == dist}
        if left_out and dist != "H3":
            assert row[BRANCH_COUNTS].isna().all(), (dist, y, row[BRANCH_COUNTS].to_dict())
            if "H1" in left_out:  # its chi đoàn cơ sở's rating is unknown, not «not rated»
                assert pd.isna(row["ty_le_co_so_doan_duoc_xep_loai"]) and pd.isna(row["so_co_so_doan_nang_bac"])
            else:
                assert row["so_co_so_doan_duoc_xep_loai"] == full.loc[(dist, y), "so_co_so_doan_duoc_xep_loai"]
        if left_out:  # «tăng 774 đoàn viên (758,8%)»: the branches that did send are not the district
            assert row[SUMMED].isna().all(), (dist, y, row[SUMMED].to_dict())
        else:  # a district that sent its rows keeps every figure it had
            kept = ["so_chi_doan_dan_cu", "so_chi_doan_dat_chuan", "so_co_so_dat_muc_tieu", *SUMMED,
                    "ty_le_co_so_doan_duoc_xep_loai"]
            assert _values(row[kept]) == _values(full.loc[(dist, y), kept]), (dist, y)
            if y > 2019 and not {s for s, year in silent if year == y - 1 and s.split()[0] == dist}:
                assert _values(row[BRANCH_COUNTS[4:]]) == _values(full.loc[(dist, y), BRANCH_COUNTS[4:]])
    for _, row in r.tinh.iterrows():
        y = int(row["nam"])
        that_year = {s for s, year in silent if year == y}
        assert row[SUMMED].isna().all() == bool(that_year), (y, row[SUMMED].to_dict())
        if that_year - {"H3"}:  # a district with residential branches silent: the province's whole is not known
            assert row[BRANCH_COUNTS].isna().all(), y
        else:
            assert row["so_chi_doan_dan_cu"] == huyen.xs(y, level="nam")["so_chi_doan_dan_cu"].sum()
            assert row["so_chi_doan_dan_cu"] == full.xs(y, level="nam")["so_chi_doan_dan_cu"].sum()


def test_the_so_ket_says_a_silent_year_has_no_figure_where_it_printed_zero(tmp_path):
    """H1's branches sent no 2020 row (its Đoàn cơ sở did): its sơ kết's table against the phase
    target printed «2020 | ≥ 75% | –» (not applicable), its comparison «0 | 6 | +6» residential
    branches, and the province's 2020 figures were H2's alone."""
    from helpers import document_text
    from tongket import open_review, write_unit

    cd, cs = small_rows()
    cd += [dict(r, nam=2019) for r in cd if r["nam"] == 2020]
    cs += [dict(r, nam=2019) for r in cs if r["nam"] == 2020]
    cd = [r for r in cd if not (r["ma_don_vi"] in BRANCHES["H1"] and r["nam"] == 2020)]
    review = open_review(data=write_exchange(tmp_path / "x.xlsx", small_tree(), cd, cs), nam=2021)
    for ma in ("H1", "T"):
        out = write_unit(review, ma, tmp_path / "out")
        assert out["kiem_tra_van_ban"] == []  # the documents read back against the results
        text = document_text(tmp_path / "out" / "2021" / ma / "bao_cao_so_ket.docx")
        lines = text.splitlines()
        assert "2020 | ≥ 75% | …… | …… | – | chưa có số liệu" in lines  # the year against the phase target
        assert [line for line in lines if line.startswith("2021 | ≥ 90% | ")][0].endswith(" | …… | Chưa đạt")
        appendix = {line.split(" | ")[1]: line.split(" | ")[3] for line in lines if line.split(" | ")[0].isdigit()}
        assert appendix["Chi đoàn trên địa bàn dân cư"] == "chưa có số liệu"
        assert appendix["Chi đoàn trên địa bàn dân cư đạt chuẩn"] == "chưa có số liệu"
        assert [v for k, v in appendix.items() if k.startswith("Đoàn cơ sở đạt mục tiêu")] == ["chưa có số liệu"]
        # upkeep against the year before: missing («……») the silent year (was «0 | 0 | 7»: all lost)
        head = "Năm | Đăng ký đầu năm (tỉ lệ) | Mới đạt chuẩn | Giữ vững chuẩn | Không giữ được chuẩn"
        assert lines[lines.index(head) + 1] == "2020 | – | …… | …… | ……"
        after = lines[lines.index(head) + 2]
        note = [line for line in lines if line.startswith("Ghi chú: cột «Mới đạt chuẩn»")]
        if ma == "H1":  # the year after a silent year has nothing to compare with either
            assert (after, note) == ("2021 | – | …… | …… | ……", [])
        else:  # the province's compares H2's branches only: H1's 5 up to standard are neither gained nor kept
            assert after == "2021 | – | 0 | 0 | 0"
            assert note[0].endswith("để so sánh: năm 2021 có 5 chi đoàn như vậy.")
    # the province's table of districts: H1's 2020 is missing («……»), not «–» (not applicable)
    table = document_text(tmp_path / "out" / "2021" / "T" / "phu_luc_so_lieu.docx").splitlines()
    assert "2 | Huyện Đoàn Một | 6 | …… | 5 | …… | 83,3% | …… | 2/2" in table
    assert "1 | Huyện Đoàn Hai | 1 | 0 | 0 | 0,0% | 0,0% | 0 | 0/1" in table  # as ever
    # the province's ranking of districts: H1's change on 2020 is missing, not «–» (not applicable)
    ranking = document_text(tmp_path / "out" / "2021" / "T" / "bao_cao_tong_hop.docx").splitlines()
    assert "1 | Huyện Đoàn Một | 2 | 6 | 83,3% | …… | 2/2 | 100,0% | 1" in ranking
    # the years against the phase target name the year without figures, never leave it out in silence
    text = document_text(tmp_path / "out" / "2021" / "T" / "bao_cao_so_ket.docx")
    assert "(năm 2020 chưa có số liệu)." in text.split("mục tiêu giai đoạn: ", 1)[1].split("\n", 1)[0]


def test_the_silent_year_itself_is_refused_in_words_and_its_tables_still_show(tmp_path):
    """Asked for 2020 (a notebook's year picker), H1 whose branches sent nothing that year: its
    report crashed on «int(NA)» and the province's table of districts on «NA > 0»."""
    import pytest

    from tongket.errors import DataError
    from tongket.pipeline import summary, write_unit

    cd, cs = small_rows()
    cd += [dict(r, nam=2019) for r in cd if r["nam"] == 2020]
    cs += [dict(r, nam=2019) for r in cs if r["nam"] == 2020]
    cd = [r for r in cd if not (r["ma_don_vi"] in BRANCHES["H1"] and r["nam"] == 2020)]
    from tongket import open_review

    review = open_review(data=write_exchange(tmp_path / "x.xlsx", small_tree(), cd, cs), nam=2021)
    for ma, whose in (("H1", "của đơn vị"), ("T", "của một đơn vị trực thuộc")):
        with pytest.raises(DataError) as refused:
            write_unit(review, ma, tmp_path / "out", 2020)
        assert f"năm 2020 không có dòng chi đoàn nào (hay chi đoàn trên địa bàn dân cư nào) {whose} ở trang chi_doan, " \
               "nên văn bản năm 2020 không được lập" in str(refused.value)
        assert not (tmp_path / "out" / "2020" / ma).exists()
    assert len(summary(review, "T", 2020))  # its table of districts read H1's unknown year: «NA > 0»
    assert write_unit(review, "H2", tmp_path / "out", 2020)["files"]  # a district that sent its rows: written
