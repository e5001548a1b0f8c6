"""The sơ kết's table of the cycle's declared targets year by year [002: «so sánh giữa các năm»]:
the targets its other tables do not already judge (rating, moving up, moving down), in the
declared order, each with its target, result and verdict for every year of the review. A cycle
declaring only the four [000] targets reads as before: the sơ kết's Bảng 2 judges three of them
and leaves the fourth (peak campaigns) to the yearly reports."""

from __future__ import annotations

import pandas as pd

from ..assessment.review import Review
from ..assessment.targets import targets_of
from ..common.frames import columns_of
from ..common.vietnamese import CHUA_CO_SO_LIEU, dat, phan_tram, so
from ..rules.targets_spec import declared
from .rows import goal_cell

# The targets table's columns read here, in this order (its rows as tuples, without a class each).
COLUMNS = ["ten_chi_tieu", "nam", "muc_tieu", "huong", "ty_le", "thuc_hien", "dat"]
# The [000] targets the sơ kết has always dealt with its own way (not in this table).
IN_RATING_TABLE = ("ty_le_duoc_xep_loai", "ty_le_nang_bac", "so_ha_bac", "ty_le_dot_cao_diem")


def targets_by_year(review: Review, ma: str, tu_nam: int, nam: int) -> list[dict[str, str]]:
    """One row per declared target and year from `tu_nam` to `nam` (the first year of data has no
    movement); empty where the cycle declares no other target, so the section is left out."""
    cycle = review.cycle
    keys = [s.key for s, _ in declared(cycle.chi_tieu, cycle.targets)
            if s.key not in IN_RATING_TABLE or s.chi_so != (s.key,)]  # on another population: judged here
    if not keys:
        return []
    years = [y for y in review.results.years if tu_nam <= y <= nam]
    frames = [targets_of(review, y, ma) for y in years]
    t = pd.concat([f for f in frames if not f.empty], ignore_index=True) if any(not f.empty for f in frames) \
        else pd.DataFrame(columns=["chi_tieu"])
    rows = []
    for key in keys:
        mine = t[t["chi_tieu"] == key].sort_values("nam")
        for i, (ten, y, muc_tieu, huong, ty_le, thuc_hien, met) in enumerate(columns_of(mine, COLUMNS)):
            missing = pd.isna(thuc_hien)
            rows.append({
                "chi_tieu": ten if i == 0 else "", "nam": str(int(y)),
                "muc_tieu": goal_cell(muc_tieu, huong, bool(ty_le)),
                "ket_qua": CHUA_CO_SO_LIEU if missing else (phan_tram(thuc_hien) if ty_le else so(thuc_hien)),
                "danh_gia": "Chưa đánh giá" if missing else dat(met),
            })
    return rows
