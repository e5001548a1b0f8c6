"""Branch ratings and results by kind of Đoàn cơ sở (issue 18 points 3 and 5): the sentences and
table rows a staffer reads, on a small province whose every figure is known."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ALL_CD, branch, small_tree, write_exchange
from tongket.assessment.assess import assess
from tongket.documents.kinds import branch_ratings, by_kind, kind_table, tables
from tongket.intake.check import load
from tongket.rules.params import load_cycle


def tree() -> list[dict]:
    """The small province, C2 a school Đoàn cơ sở, and a chi đoàn cơ sở straight under district H2."""
    units = [dict(u, loai_hinh="truong_hoc") if u["ma_don_vi"] == "C2" else u for u in small_tree()]
    return [*units, {"ma_don_vi": "H2.X", "ten_don_vi": "Chi đoàn Công an huyện", "cap": "chi_doan",
                     "ma_cap_tren": "H2", "loai_hinh": "luc_luong_vu_trang"}]


@pytest.fixture
def results(tmp_path):
    scores = {"C1.1": 95, "C1.2": 80, "C1.3": 75, "C1.4": 60, "C1.S": 40, "C2.1": 72, "C2.2": None, "C3.1": 91,
              "H2.X": 85}
    cd = [branch(c, 2021, diem=d, **({"so_lan_sinh_hoat": 7} if c == "C1.4" else {})) for c, d in scores.items()]
    cs = [{"ma_don_vi": "C1", "nam": 2021, **ALL_CD, "diem": 92}, {"ma_don_vi": "C2", "nam": 2021, **ALL_CD, "diem": 75},
          {"ma_don_vi": "C3", "nam": 2021, **ALL_CD}]
    path = write_exchange(tmp_path / "so_lieu.xlsx", tree(), cd, cs)
    cycle = load_cycle(data=path, nam=2021)
    return assess(load(path, cycle.scale), cycle), cycle


def test_branch_ratings_in_words_and_rows(results):
    r, cycle = results
    got = branch_ratings(r.chi_doan, cycle.scale, 2021)
    # 9 branches sent figures, 8 scored: 95, 91 htxs; 80, 75, 72, 85 htt; 60 ht; 40 kht
    assert got["cau"] == [
        "Đã đánh giá, xếp loại 8/9 chi đoàn, tỉ lệ 88,9%; trong đó 2 hoàn thành xuất sắc nhiệm vụ (25,0%), "
        "4 hoàn thành tốt nhiệm vụ (50,0%), 1 hoàn thành nhiệm vụ (12,5%), 1 không hoàn thành nhiệm vụ (12,5%).",
        "Chi đoàn cơ sở trực thuộc: 1 chi đoàn, đã xếp loại 1 (1 hoàn thành tốt nhiệm vụ)."]
    assert got["bang"][-1] == {"muc": "Chưa xếp loại", "so": "1", "ty_le": "–"}
    assert [b["so"] for b in got["bang"]] == ["2", "4", "1", "1", "1"]
    sheet = tables(r.chi_doan, r.co_so, cycle.scale, 2021)["xep_loai_chi_doan"]
    assert sheet["so_chi_doan"].tolist() == [2, 4, 1, 1]
    assert sheet["ty_le"].tolist() == pytest.approx([0.25, 0.5, 0.125, 0.125])


def test_a_chi_doan_co_so_without_figures_counts_as_not_rated(tmp_path):
    """The province's report said «6 chi đoàn cơ sở» in one sentence and «5 chi đoàn» in the next:
    a chi đoàn cơ sở that sent no row is one of the district's, not rated, in both."""
    units = [*tree(), {"ma_don_vi": "H2.Y", "ten_don_vi": "Chi đoàn Quân sự huyện", "cap": "chi_doan",
                       "ma_cap_tren": "H2", "loai_hinh": "luc_luong_vu_trang"}]
    cd = [branch(c, 2021, diem=d) for c, d in {"C1.1": 95, "C2.1": 72, "H2.X": 85}.items()]
    path = write_exchange(tmp_path / "so_lieu.xlsx", units, cd,
                          [{"ma_don_vi": c, "nam": 2021, **ALL_CD} for c in ("C1", "C2", "C3")])
    cycle = load_cycle(data=path, nam=2021)
    r = assess(load(path, cycle.scale), cycle)
    got = branch_ratings(r.chi_doan, cycle.scale, 2021)
    assert got["cau"][1] == "Chi đoàn cơ sở trực thuộc: 2 chi đoàn, đã xếp loại 1 (1 hoàn thành tốt nhiệm vụ)."
    # and the branches' own count says the same: a branch that sent nothing is one not rated
    n = len(r.chi_doan[r.chi_doan["nam"] == 2021])
    assert n > 3  # the tree holds branches that sent nothing
    assert got["cau"][0].startswith(f"Đã đánh giá, xếp loại 3/{n} chi đoàn ({n - 3} chi đoàn chưa gửi số liệu), ")
    assert got["bang"][-1] == {"muc": "Chưa xếp loại", "so": str(n - 3), "ty_le": "–"}


def test_no_branch_rated_leaves_the_section_out(results):
    r, cycle = results
    assert branch_ratings(r.chi_doan.assign(xep_loai=pd.NA), cycle.scale, 2021) == {}
    assert tables(r.chi_doan.assign(xep_loai=pd.NA), r.co_so, cycle.scale, 2021)["xep_loai_chi_doan"].empty


def test_results_by_kind(results):
    r, cycle = results
    got = by_kind(r.co_so, cycle.scale, 2021)
    assert got["cau"] == ("Theo loại hình, có trên địa bàn dân cư 2, trường học 1 Đoàn cơ sở; kết quả xếp loại "
                          "từng loại hình như bảng dưới đây.")
    assert got["bang"] == [
        {"stt": "1", "ten": "Trên địa bàn dân cư", "so_co_so": "2", "xep_loai": "1 (HTXSNV: 1)",
         "dat_chuan": "4/5 (80,0%)"},
        {"stt": "2", "ten": "Trường học", "so_co_so": "1", "xep_loai": "1 (HTTNV: 1)", "dat_chuan": "2/2 (100,0%)"}]
    school = by_kind(r.co_so.assign(so_chi_doan_dan_cu=0, so_chi_doan_dat_chuan=0), cycle.scale, 2021)
    assert [b["dat_chuan"] for b in school["bang"]] == ["–", "–"]  # no residential branch: not applicable
    t = kind_table(r.co_so, cycle.scale, 2021).set_index("loai_hinh")
    assert t.loc["dan_cu", "so_chua_xep_loai"] == 1  # C3: no score, no rating


def test_one_kind_only_leaves_the_table_out(results):
    r, cycle = results
    assert by_kind(r.co_so[r.co_so["loai_hinh"] == "dan_cu"], cycle.scale, 2021) == {}


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["dan_cu", "truong_hoc", "co_quan"]),
                          st.sampled_from(["htxs", "htt", "ht", "kht", None])), min_size=1, max_size=12))
def test_kind_counts_add_up(rows):
    """Levels + not rated = Đoàn cơ sở of each kind; a unit without a rating is never counted at a level."""
    cycle = load_cycle(nam=2021)
    co_so = pd.DataFrame({"nam": 2021, "loai_hinh": [k for k, _ in rows], "xep_loai": [x for _, x in rows],
                          "so_chi_doan_dan_cu": 0, "so_chi_doan_dat_chuan": 0})
    t = kind_table(co_so, cycle.scale, 2021)
    levels = t[[f"so_{c}" for c in cycle.scale.codes]].sum(axis=1) + t["so_chua_xep_loai"]
    assert (levels == t["so_co_so"]).all() and t["so_co_so"].sum() == len(rows)
    assert t["ty_le_dat_chuan"].isna().all()  # no residential branch: not applicable, not 0 %
