"""The sơ kết's upkeep table adds up: in every year with counts, the branches that gained and kept
the standard, with those its note names (up to standard, no result the year before to compare
with), are the branches up to standard that year, as the roll-up (and the sơ kết's first table)
says. Without the note, 63 gained or kept in a year of 64 up to standard read as a slip."""

from __future__ import annotations

import re

import pytest

from tongket import open_review
from tongket.assessment.review import reporting_codes, tinh_code
from tongket.common.paths import PARAMS
from tongket.documents.upkeep import _rollup, giu_chuan


@pytest.mark.parametrize("params", ["tong_ket_2021.yaml", "tong_ket_2021_sau_sap_xep.yaml"])
def test_gained_kept_and_the_note_add_up_to_the_branches_up_to_standard(params):
    review = open_review(PARAMS / params)
    noted = 0
    for ma in [*reporting_codes(review), tinh_code(review)]:
        ctx: dict = {}
        giu_chuan(review, ma, 2021, ctx, "so_ket")
        rows = _rollup(review, ma).set_index("nam")
        note = ctx["giu_chuan"]["ghi_chu"]
        unmatched = {int(y): int(n) for y, n in re.findall(r"năm (\d{4}) có (\d+) chi đoàn", note)}
        noted += bool(unmatched)
        for r in ctx["giu_chuan"]["nam"]:
            y = int(r["nam"])
            if r["mat_chuan"] in ("–", "……"):  # no year before, or one without figures: nothing to add up
                assert y not in unmatched
                continue
            up = int(rows.loc[y, "so_chi_doan_dat_chuan"])
            assert int(r["moi_dat"]) + int(r["giu_vung"]) + unmatched.get(y, 0) == up, (ma, y, note)
        assert note == "" or note.startswith("cột «Mới đạt chuẩn» và «Giữ vững chuẩn» không tính chi đoàn đạt chuẩn")
    assert noted >= 3  # the samples have new branches up to standard: the note is met, not only its absence
