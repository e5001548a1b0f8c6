"""Whether the programme review (báo cáo sơ kết) can be written: it compares years, so it needs the
figures of at least two years of its period. With one year only, an office does not issue a
"review" of that single year (the year-end report already says it): the sơ kết is not written and
the run warns, naming the years the workbook lacks and how to add them.
"""

from __future__ import annotations

from ..assessment.review import Review


def period(review: Review, nam: int) -> tuple[int, int]:
    """The years the sơ kết covers: from `so_ket.tu_nam` (else the first year of data) to `nam`."""
    tu_nam = review.cycle.so_ket.tu_nam
    return (int(tu_nam) if tu_nam else min(review.results.years)), nam


def covered(review: Review, nam: int) -> list[int]:
    """The years of the period the workbook has figures for."""
    tu, den = period(review, nam)
    return [y for y in review.results.years if tu <= y <= den]


def applies(review: Review, _ma: str, nam: int) -> bool:
    """The sơ kết is written when its period has figures for two years or more."""
    return len(covered(review, nam)) >= 2


def refusal(review: Review, nam: int) -> str | None:
    """The warning when the sơ kết is not written (None when it is): the years the workbook lacks."""
    if applies(review, "", nam):
        return None
    tu, den = period(review, nam)
    have = covered(review, nam)
    lacking = [y for y in range(tu, den + 1) if y not in have] or [nam - 1]
    said = ", ".join(str(y) for y in lacking)
    only = f"chỉ có số liệu năm {have[0]}" if have else f"không có số liệu năm nào từ {tu} đến {den}"
    return (f"Chưa lập báo cáo sơ kết: sơ kết so sánh qua các năm nhưng sổ dữ liệu {only}, thiếu số liệu "
            f"{'năm' if len(lacking) == 1 else 'các năm'} {said}. Cách sửa: thêm số liệu "
            f"{'năm' if len(lacking) == 1 else 'các năm'} đó vào trang chi_doan, co_so của sổ (hoặc sửa so_ket.tu_nam "
            "trong tệp tham số) rồi chạy lại; các văn bản khác vẫn được lập")
