"""One convention for counts in every document: plain numbers («1 chi đoàn», «4 năm»), never
zero-padded («01»). Hướng dẫn 29-HD/TWĐTN-VP pads only the day, the months 1–2 and the document's
number; `so_dem` is the one helper for a count in prose."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tongket.common.vietnamese import BLANK, ngay_van_ban, so, so_dem

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
# A zero-padded number that is neither a date (ngày 09 tháng 02, 09/02/2021) nor part of a code.
PADDED = re.compile(r"(?<![\d/:.,\-\w])0[1-9](?![\d/:\-.])")
DATE_PARTS = re.compile(r"(ngày|tháng) 0[1-9]")


def test_small_counts_are_plain_numbers():
    assert [so_dem(n) for n in (0, 1, 5, 9, 10, 12, 1234)] == ["0", "1", "5", "9", "10", "12", "1.234"]
    assert so_dem(2.5) == "2,5" and so_dem(None) == BLANK


@given(st.integers(0, 10**7))
def test_a_count_reads_as_the_number(n):
    assert so_dem(n) == so(n)
    assert n == 0 or not so_dem(n).startswith("0")


def test_dates_keep_their_leading_zero():
    import datetime as dt

    assert ngay_van_ban(dt.date(2021, 2, 9)) == "ngày 09 tháng 02 năm 2021"


def test_no_document_pads_a_count():
    padded = []
    for path in sorted(GOLDEN.glob("*.txt")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if PADDED.search(DATE_PARTS.sub("", line)):
                padded.append(f"{path.name}:{n}: {line[:120]}")
    assert padded == []
