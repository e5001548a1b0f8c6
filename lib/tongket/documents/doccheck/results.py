"""What a unit's documents must say (`Expected`): its result rows by year, the units it lists,
which branches a decision may recognise and which await verification."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ...common.vietnamese import fold, is_missing
from .printed import LABELS
from .words import looks_like_code


@dataclass
class Expected:
    """What a unit's documents must say: its result rows and the lists a decision may name."""

    ma_don_vi: str
    nam: int
    years: dict[int, pd.Series] = field(default_factory=dict)  # the unit's result row by year (`bao_cao` or `tinh`)
    rows: dict[str, dict[int, pd.Series]] = field(default_factory=dict)  # unit name -> year -> row (listed units)
    recognisable: dict[tuple[str, str], str] | None = None  # (branch, its Đoàn cơ sở) -> "" or why not
    ba_chu_dong: dict[str, bool] | None = None  # Đoàn cơ sở name -> "3 chủ động"
    awaiting: list[str] = field(default_factory=list)  # branches drawn for verification, no result yet
    codes: frozenset[str] = field(default_factory=frozenset)
    ambiguous: set[str] = field(default_factory=set)
    typed: frozenset[str] = field(default_factory=frozenset)  # names as the workbook types them that look like tags or code
    # the cycle's declared targets by their printed (folded) name: the result column, or None (not collected)
    labels: dict[str, tuple[str, str] | None] = field(default_factory=dict)
    tien_bo: dict[str, bool] | None = None  # special Đoàn cơ sở name -> progress recognised [003]

    @property
    def now(self) -> pd.Series | None:
        """The unit's result row of the year the documents are for."""
        return self.years.get(self.nam)

    @property
    def before(self) -> pd.Series | None:
        """The unit's result row of the year before."""
        return self.years.get(self.nam - 1)


def expected(review: Any, ma_don_vi: str, nam: int) -> Expected:
    """The result rows a unit's documents are checked against: a reporting unit (a district, or a
    Đoàn cơ sở when the cycle reports per commune) or the tinh."""
    from ...assessment.review import tinh_code

    r = review.results
    is_tinh = ma_don_vi == tinh_code(review)
    own = r.tinh if is_tinh else r.bao_cao
    own = own[own["ma_don_vi"] == ma_don_vi]
    exp = Expected(ma_don_vi, nam)
    exp.years = {int(row["nam"]): row for _, row in own.iterrows() if int(row["nam"]) <= nam}
    if nam in exp.years and getattr(review, "cycle", None) is not None:
        from ...assessment.targets import printed_labels

        exp.labels = {fold(k): v for k, v in printed_labels(review, ma_don_vi, nam).items()}
    view = r if is_tinh else r.of_unit(ma_don_vi)
    names = r.names()
    exp.codes, exp.typed = _codes(review)
    listed = r.bao_cao if is_tinh else view.co_so
    listed = listed[listed["nam"].isin([nam, nam - 1])]
    listed = listed[[c for c in listed.columns if c in _FIGURE_COLUMNS]]  # rows of a few columns: fast to walk
    for name, group in listed.groupby("ten_don_vi", sort=False):
        if group["ma_don_vi"].nunique() == 1:
            exp.rows[str(name)] = {int(row["nam"]): row for _, row in group.iterrows()}
    cs = view.co_so.loc[view.co_so["nam"] == nam, ["ten_don_vi", "ba_chu_dong"]]
    dup = cs["ten_don_vi"].value_counts()
    exp.ambiguous = {str(n) for n in dup.index[dup > 1]}
    exp.ba_chu_dong = {str(n): bool(v) for n, v in zip(cs["ten_don_vi"], cs["ba_chu_dong"])
                       if not is_missing(v) and str(n) not in exp.ambiguous}
    cd = view.chi_doan[view.chi_doan["nam"] == nam]
    cd = cd[[c for c in ("ten_don_vi", "ma_co_so", "dat_chuan", "tham_dinh", "cong_nhan", "co_so_lieu")
             if c in cd.columns]]
    exp.recognisable = {}
    for row in cd.to_dict("records"):
        key = (str(row["ten_don_vi"]), str(names.get(row.get("ma_co_so"), "")))
        why, prev = _why_not(row), exp.recognisable.get(key)
        exp.recognisable[key] = why if prev is None or why else prev  # two of one name: a reason not to wins
        if why == AWAITING:
            exp.awaiting.append(f"{key[0]} ({key[1]})")
    from .special import progress_expected  # special units' progress decision [003], issue 19.3

    exp.tien_bo = progress_expected(review, ma_don_vi, nam)
    return exp


def _codes(review: Any) -> tuple[frozenset[str], frozenset[str]]:
    """The data's unit codes (those with a digit) and the names typed as codes, of every unit the
    review holds: the same for each of its units' checks, so found once per review (`once`)."""
    from ...assessment.review import once

    def make() -> tuple[frozenset[str], frozenset[str]]:
        units = review.results.don_vi
        return (frozenset(str(c) for c in units["ma_don_vi"] if re.search(r"\d", str(c))),
                frozenset(str(n) for n in units["ten_don_vi"].dropna() if looks_like_code(str(n))))

    return once(review, ("doccheck_codes",), make)


_FIGURE_COLUMNS = {"ma_don_vi", "ten_don_vi", "nam", "_dan_cu_chua_gui",  # (a unit table names these, none sent)
                   *(c for col, _ in LABELS.values() for c in col.split("/"))}


AWAITING = "đang chờ kết quả thẩm định"


def _why_not(row: dict[str, Any]) -> str:
    """Why a branch cannot be recognised ("" where it can): contract §6.1 `cong_nhan` where the
    results have it, else `dat_chuan`."""
    tham_dinh = None if is_missing(row.get("tham_dinh")) else str(row.get("tham_dinh"))
    if tham_dinh == "chua_dat":
        return "thẩm định chưa đạt"
    if tham_dinh == "cho_ket_qua":
        return AWAITING
    flag = row.get("cong_nhan") if "cong_nhan" in row else row.get("dat_chuan")
    if "co_so_lieu" in row and not is_missing(row["co_so_lieu"]) and not bool(row["co_so_lieu"]):
        return "chưa gửi số liệu"
    if is_missing(flag):
        return "không thuộc diện đánh giá chi đoàn trên địa bàn dân cư"
    return "" if bool(flag) else "chưa đạt chuẩn"
