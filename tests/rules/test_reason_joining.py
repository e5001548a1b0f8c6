"""The reasons a branch fails, as a staffer reads them in ly_do: each row's words joined in order,
and the same whether a condition is worded only where its criterion fails or on every row."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import PASSING, ROOT
from tongket.rules import rubric as R
from tongket.rules.rubric import Condition, Group, evaluate, holds, load_rubric

RUBRIC = load_rubric(ROOT / "params/rubrics/chi_doan_dat_chuan.yaml")
SEPS = [", ", " và ", "; "]


@st.composite
def parts(draw, max_words: int = 4):
    n = draw(st.integers(0, 25))
    out = []
    for _ in range(draw(st.integers(0, 6))):
        words = draw(st.lists(st.sampled_from(["", "a", "b c", "d (e)", "f; g"]), min_size=1, max_size=max_words))
        mask = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
        code = np.array(draw(st.lists(st.integers(0, len(words) - 1), min_size=n, max_size=n)), dtype=np.intp)
        out.append((mask, code, words))
    return n, out


def _plain(parts_: list, sep: str, n: int) -> list[str]:
    """Row by row: the words of the parts whose mask holds, in order, joined with `sep`."""
    return [sep.join(words[code[i]] for mask, code, words in parts_ if mask[i]) for i in range(n)]


@settings(max_examples=300, deadline=None)
@given(parts(), st.sampled_from(SEPS))
def test_joined_reasons_are_each_rows_words_in_order(case, sep):
    n, ps = case
    want = _plain(ps, sep, n)
    code, texts = R._join(ps, sep, n)
    assert texts[0] == ""
    assert [texts[c] for c in code] == want


COUNTS = [c for c, v in PASSING.items() if isinstance(v, int)]
FLAGS = [c for c, v in PASSING.items() if v == "Có"]


@st.composite
def branches(draw):
    n = draw(st.integers(1, 30))
    frame = pd.DataFrame({
        **{c: pd.array([draw(st.one_of(st.none(), st.integers(0, 12))) for _ in range(n)], dtype="Int64")
           for c in COUNTS},
        **{c: pd.array([draw(st.one_of(st.none(), st.booleans())) for _ in range(n)], dtype="boolean")
           for c in FLAGS},
        "loai_hinh": [draw(st.sampled_from(["dan_cu", "truong_hoc"])) for _ in range(n)],
    })
    return frame


@settings(max_examples=100, deadline=None)
@given(branches())
def test_reasons_worded_only_where_needed_read_as_reasons_worded_everywhere(frame):
    """evaluate words a condition only where its criterion fails on a branch the rubric applies to;
    the reasons must read as when every condition is worded on every row (holds)."""
    res = evaluate(RUBRIC, frame)
    applies = frame["loai_hinh"].eq("dan_cu").to_numpy()
    words = {id(c): R._eval_condition(c, frame) for c in R.conditions(Group("all", tuple(
        cr.rule for cr in RUBRIC.criteria)))}  # each condition worded on every row
    for i in range(len(frame)):
        want = []
        for crit in RUBRIC.criteria:
            met, why = _why(crit.rule, words, i)
            if not met:
                want.append(f"{R.wording.ten_tieu_chi(crit.id)} ({crit.label}): {why}")
        assert res["ly_do"].iloc[i] == ("; ".join(want) if applies[i] else "")
        # and as holds() words a criterion on every row
        for crit in RUBRIC.criteria:
            met, why = holds(crit.rule, frame.iloc[[i]])
            assert (bool(met.iloc[0]), why.iloc[0]) == _why(crit.rule, words, i)


def _why(item, words: dict, i: int) -> tuple[bool, str]:
    """Row `i`: whether a rule holds and why not, put together by hand from its conditions' words:
    the failed parts of «all» joined with ", ", of a failed «any» with " và "."""
    if isinstance(item, Condition):
        e = words[id(item)]
        return bool(e.met[i]), e.texts[e.code[i]]
    parts = [_why(c, words, i) for c in item.items]
    met = all(m for m, _ in parts) if item.mode == "all" else any(m for m, _ in parts)
    return met, "" if met else (", " if item.mode == "all" else " và ").join(w for m, w in parts if not m)
