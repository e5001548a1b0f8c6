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
# school branch C1.S and its chi đoàn cơ sở H1.D sent theirs)
BRANCHES = {"H1": [*RESIDENTIAL, "C1.S", "H1.D"], "H1 dân cư": RESIDENTIAL, "H2": ["C3.1"]}
BRANCH_COUNTS = ["so_chi_doan_dan_cu", "so_chi_doan_dat_chuan", "ty_le_dat_chuan", "so_co_so_dat_muc_tieu",
                 "so_chi_doan_moi_dat", "so_chi_doan_giu_vung", "so_chi_doan_mat_chuan"]
SILENT = [(d, y) for d in BRANCHES for y in (2019, 2020)]  # the assessed year's silence is an error (held back)


def _workbook(path):
    """The small province over 2019–2021, with a chi đoàn cơ sở (H1.D, rated on the branch sheet)."""
    cd, cs = small_rows()
    cd += [dict(r, nam=2019) for r in cd if r["nam"] == 2020]
    cs += [dict(r, nam=2019) for r in cs if r["nam"] == 2020]
    cd += [branch("H1.D", y, xep_loai="Hoàn thành tốt nhiệm vụ") for y in (2019, 2020, 2021)]
    tree = small_tree() + [{"ma_don_vi": "H1.D", "ten_don_vi": "Chi đoàn Bệnh viện", "cap": "chi_doan",
                            "ma_cap_tren": "H1", "loai_hinh": "khac"}]
    return write_exchange(path, tree, cd, cs)


@pytest.fixture(scope="module")
def three_years(tmp_path_factory):
    path = _workbook(tmp_path_factory.mktemp("im_lang") / "x.xlsx")
    cycle = load_cycle(data=path, nam=2021)
    d = load(path, cycle.scale)
    return cycle, d, assess(d, cycle).huyen.set_index(["ma_don_vi", "nam"])


@settings(max_examples=12, deadline=None)
@given(silent=st.sets(st.sampled_from(SILENT)))
def test_a_count_over_a_district_year_none_of_whose_branches_sent_a_row_is_blank_and_only_then(three_years, silent):
    cycle, d, full = three_years
    gone = np.zeros(len(d.chi_doan), dtype=bool)
    for dist, y in silent:
        gone |= (d.chi_doan["ma_don_vi"].isin(BRANCHES[dist]) & (d.chi_doan["nam"] == y)).to_numpy()
    data = type(d)(d.path, d.don_vi, d.chi_doan[~gone], d.co_so, [], d.optional)
    r = assess(data, cycle)
    huyen = r.huyen.set_index(["ma_don_vi", "nam"])
    for (dist, y), row in huyen.iterrows():
        left_out = {s for s, year in silent if year == y and s.split()[0] == dist}
        if left_out:
            assert row[BRANCH_COUNTS].isna().all(), (dist, y, row[BRANCH_COUNTS].to_dict())
            if "H1" in left_out:  # its chi đoàn cơ sở's rating is unknown, not «not rated»
                assert pd.isna(row["ty_le_co_so_doan_duoc_xep_loai"]) and pd.isna(row["so_co_so_doan_nang_bac"])
            else:
                assert row["so_co_so_doan_duoc_xep_loai"] == full.loc[(dist, y), "so_co_so_doan_duoc_xep_loai"]
        else:  # a district that sent its rows keeps every count it had
            for c in ("so_chi_doan_dan_cu", "so_chi_doan_dat_chuan", "so_co_so_dat_muc_tieu"):
                assert row[c] == full.loc[(dist, y), c], (dist, y, c)
            assert row["ty_le_co_so_doan_duoc_xep_loai"] == full.loc[(dist, y), "ty_le_co_so_doan_duoc_xep_loai"]
            if y > 2019 and not {s for s, year in silent if year == y - 1 and s.split()[0] == dist}:
                assert (row[BRANCH_COUNTS[4:]] == full.loc[(dist, y), BRANCH_COUNTS[4:]]).all()
    for _, row in r.tinh.iterrows():
        y = int(row["nam"])
        if any(s[1] == y for s in silent):  # one district silent: the province's whole is not known
            assert row[BRANCH_COUNTS].isna().all(), y
            # its sums too, when a district sent no branch row at all (residential ones unsent: left
            # out of the sums and counted on their own, as any branch that sent nothing)
            assert pd.isna(row["so_doan_vien"]) == any(s[1] == y and s[0] in ("H1", "H2") for s in silent), y
        else:
            assert row["so_chi_doan_dan_cu"] == huyen.xs(y, level="nam")["so_chi_doan_dan_cu"].sum()


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
    # the province's table of districts: H1's 2020 is missing («……»), not «–» (not applicable)
    table = document_text(tmp_path / "out" / "2021" / "T" / "phu_luc_so_lieu.docx").splitlines()
    assert "2 | Huyện Đoàn Một | 6 | …… | 5 | …… | 83,3% | …… | 2/2" in table
    assert "1 | Huyện Đoàn Hai | 1 | 0 | 0 | 0,0% | 0,0% | 0 | 0/1" in table  # as ever
