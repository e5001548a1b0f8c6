"""One answer to «are a unit's two years over the same Đoàn cơ sở?» (`not_like_for_like`), whether
asked in the unit's own run or in the province's tables of every unit (issue 21: the province asked
each district through a view of its rows, 14 s at 1.000 districts). The province's ranking table
asked by another rule, over the province's rows: the same answer while every Đoàn cơ sở sits under
one district in every year, as the unit tree has it today, but not for a Đoàn cơ sở whose rows sit
under two districts. Now every caller asks the one rule, by each unit's own rows."""

from __future__ import annotations

import dataclasses
import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tongket.assessment.assess import Results
from tongket.assessment.compare import not_like_for_like, unlike_years
from tongket.assessment.review import tinh_code

CO_SO = [f"ST0{h}.0{c}" for h in range(1, 7) for c in range(1, 4)]  # three Đoàn cơ sở of each district
DISTRICTS = [f"ST0{h}" for h in range(1, 7)]
YEARS = [2018, 2019, 2020, 2021]
# what happens to a Đoàn cơ sở's rows of a year: its branches' rows removed, its branches sent
# nothing, its own row says it sent nothing, its own row removed, or the year's rows moved to
# another district
EDIT = st.tuples(st.sampled_from(CO_SO), st.sampled_from(YEARS),
                 st.sampled_from(["no_branches", "branches_blank", "own_unsent", "no_own", "moved"]),
                 st.sampled_from(DISTRICTS))


def _edited(review, edits):
    r = review.results
    chi_doan, co_so = r.chi_doan.copy(), r.co_so.copy()
    for code, nam, what, to in edits:
        branches = (chi_doan["ma_co_so"] == code) & (chi_doan["nam"] == nam)
        own = (co_so["ma_don_vi"] == code) & (co_so["nam"] == nam)
        if what == "no_branches":
            chi_doan = chi_doan[~branches]
        elif what == "branches_blank":
            chi_doan.loc[branches, "co_so_lieu"] = False
        elif what == "own_unsent":
            co_so.loc[own, "chua_gui_so_lieu"] = True
        elif what == "no_own":
            co_so = co_so[~own]
        else:
            chi_doan.loc[branches, "ma_bao_cao"] = to
            co_so.loc[own, "ma_bao_cao"] = to
    results = Results(chi_doan=chi_doan.reset_index(drop=True), co_so=co_so.reset_index(drop=True), huyen=r.huyen,
                      tinh=r.tinh, scale=r.scale, don_vi=r.don_vi, years=r.years, cap_bao_cao=r.cap_bao_cao)
    return dataclasses.replace(review, results=results, memo={})


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])  # 0,2 s each
@given(st.lists(EDIT, max_size=8))
def test_every_unit_gets_the_answer_of_its_own_rows(sample_review, edits):
    """Against `unlike_years` asked unit by unit (each district's own rows), for every district,
    the province and every pair of years, on the sample with random gaps and moves."""
    review = _edited(sample_review, edits)
    for ma in [*DISTRICTS, tinh_code(review)]:
        for nam, before in itertools.permutations([*YEARS, 2017], 2):
            assert not_like_for_like(review, ma, nam, before) == any(unlike_years(review, ma, nam, before)), \
                (ma, nam, before, edits)


def test_a_moved_co_so_is_a_gap_in_both_districts(sample_review):
    """ST03.03 reported under ST02 in 2020, under ST03 in 2021: both districts' totals changed units."""
    review = _edited(sample_review, [("ST03.03", 2020, "moved", "ST02")])
    assert [ma for ma in DISTRICTS if not_like_for_like(review, ma, 2021)] == ["ST02", "ST03"]
    name = review.results.names()["ST03.03"]
    assert unlike_years(review, "ST03", 2021) == ([name], [])
    assert unlike_years(review, "ST02", 2021) == ([], [name])
    assert not not_like_for_like(review, tinh_code(review), 2021)  # the province holds it both years
    assert not not_like_for_like(review, "ST03", 2019)  # 2018 and 2019 were alike


def test_a_year_no_branch_of_the_unit_sent_a_row_for_is_no_gap(sample_review):
    """As `unlike_scope`: a year the unit's branches' table does not hold at all makes no gap."""
    co_so = sample_review.results.co_so
    st04 = sorted(set(co_so.loc[co_so["ma_bao_cao"] == "ST04", "ma_don_vi"]))
    review = _edited(sample_review, [(c, 2020, "no_branches", "") for c in st04])
    assert not not_like_for_like(review, "ST04", 2021) and unlike_years(review, "ST04", 2021) == ([], [])
    one_left = _edited(sample_review, [(c, 2020, "no_branches", "") for c in st04[1:]])  # one still sent
    names = one_left.results.names()
    assert not_like_for_like(one_left, "ST04", 2021)
    missing, gone = unlike_years(one_left, "ST04", 2021)
    assert (sorted(missing), gone) == (sorted(str(names[c]) for c in st04[1:]), [])
