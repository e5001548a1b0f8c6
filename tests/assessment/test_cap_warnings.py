"""The scale's cap check as the run reports it (`pipeline.cap_warnings`): one warning per reporting
unit over the cap, and the province's, each naming the unit and its counts (issue 21 read the units
as column tuples instead of rows of the wide table: the same warnings)."""

from __future__ import annotations

import dataclasses

from tongket.assessment.review import tinh_code
from tongket.pipeline import cap_warnings

CAP = {"level": "htxs", "of": "htt", "max_share": 0.2}
HTXS, HTT = "«Hoàn thành xuất sắc nhiệm vụ»", "«Hoàn thành tốt nhiệm vụ»"


def _capped(review):
    scale = dataclasses.replace(review.cycle.scale, cap=CAP)
    return dataclasses.replace(review, cycle=dataclasses.replace(review.cycle, scale=scale), memo={})


def test_every_unit_over_the_cap_and_the_province_are_warned(sample_review):
    """The sample's 2021 Đoàn cơ sở ratings against a cap of 20 %: every district but Long Điền (no
    «xuất sắc») is over it, and the province (22 against 36)."""
    review = _capped(sample_review)
    got = cap_warnings(review, 2021)
    assert got["ma_don_vi"].tolist() == ["ST06", "ST05", "ST02", "ST01", "ST04", tinh_code(review)]
    assert set(got["nam"]) == {2021}
    tan_an = got.loc[got["ma_don_vi"] == "ST01", "canh_bao"].item()
    assert tan_an == (f"Thành Đoàn Tân An: 6 đơn vị {HTXS} vượt mức trần 20% của 5 đơn vị {HTT} (tối đa 1) — "
                      "chỉ cảnh báo, không chặn")
    assert got["canh_bao"].iloc[-1].endswith(f": 22 đơn vị {HTXS} vượt mức trần 20% của 36 đơn vị {HTT} (tối đa 7) — "
                                             "chỉ cảnh báo, không chặn")


def test_one_units_check_is_its_own(sample_review):
    """Asked for one reporting unit: its warning only, none for a unit under the cap, none without a cap."""
    review = _capped(sample_review)
    assert cap_warnings(review, 2021, "ST02")["canh_bao"].tolist() == [
        f"Huyện Đoàn Phú Mỹ: 5 đơn vị {HTXS} vượt mức trần 20% của 7 đơn vị {HTT} (tối đa 1) — chỉ cảnh báo, không chặn"]
    assert cap_warnings(review, 2021, "ST03").empty
    assert cap_warnings(sample_review, 2021).empty
