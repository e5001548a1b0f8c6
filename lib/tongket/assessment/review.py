"""A review: one cycle's parameters, its checked data and the assessment of every unit, with the
few lookups every later step needs (the reporting units, the province, the verification sample)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..common.deprecated import old_keywords, renamed
from ..common.frames import year_row
from ..common.schema import TEN_CAP
from ..common.vietnamese import sort_key
from ..errors import ERROR, DataError, TongketError
from ..intake.check import Data, for_cycle, require_year
from ..intake.coverage import missing_rows
from ..rules.params import Cycle, load_cycle
from .assess import Results, assess


@dataclass
class Review:
    """One cycle's parameters, data and results, ready for documents."""

    cycle: Cycle
    data: Data
    results: Results
    excluded: dict[str, list[str]] = field(default_factory=dict)  # reporting unit -> its errors
    excluded_names: dict[str, str] = field(default_factory=dict)  # reporting unit -> its name
    memo: dict = field(default_factory=dict, repr=False, compare=False)  # tables computed once per review


@old_keywords(huyen="ma_bao_cao")
def open_review(params: str | Path | None = None, data: str | Path | None = None, nam: int | None = None,
                ma_bao_cao: str | None = None, cap_bao_cao: str | None = None) -> Review:
    """Load the cycle and the workbook, check them and assess every unit.

    The cycle's reporting level (`cap_bao_cao`: huyen, or co_so since the 2025 reform; the
    argument overrides the file) decides which units get documents. With `ma_bao_cao`, the code of one
    such unit, only that unit's errors (and errors outside every reporting unit) stop the review;
    without it, reporting units with errors are left out of the results and listed in `excluded`.
    """
    cycle = load_cycle(params, data=data, nam=nam, cap_bao_cao=cap_bao_cao)
    cap = cycle.cap_bao_cao
    cache = _CACHE
    key = inputs_key(cycle) if cache is not None and Path(cycle.data).is_file() else None
    cached = cache.get(key) if cache is not None and key is not None else None
    d = cached["data"] if cached else for_cycle(cycle, coverage=False)  # as the run and its workers read it
    if cache is not None and key is not None and not cached:
        cache.clear()  # one cycle at a time: a worker's memory stays bounded
        cached = cache[key] = {"data": d, "results": {}}
    require_year(d, cycle.nam)
    errors = [i for i in d.issues + missing_rows(d, cycle, cycle.nam) if i.severity == ERROR]
    blocking = [i for i in errors if i.reporting_unit(cap) is None
                or (ma_bao_cao is not None and i.reporting_unit(cap) == ma_bao_cao)]
    if blocking:
        raise DataError(blocking)
    if ma_bao_cao is not None and ma_bao_cao not in set(d.don_vi.loc[d.don_vi["cap"] == cap, "ma_don_vi"]):
        raise TongketError(f"Không có đơn vị cấp {TEN_CAP[cap]} mã «{ma_bao_cao}» trong dữ liệu")
    excluded: dict[str, list[str]] = {}
    for i in errors:
        unit = i.reporting_unit(cap)
        if unit is not None and unit != ma_bao_cao:
            excluded.setdefault(unit, []).append(str(i))
    if ma_bao_cao is None and nothing_to_sum(d.don_vi.loc[d.don_vi["cap"] == cap, "ma_don_vi"], excluded):
        raise DataError(errors)  # the province's totals would sum no unit at all
    names = d.don_vi.set_index("ma_don_vi")["ten_don_vi"]
    clean = d.without(set(excluded), cap)
    if cached is None:
        results = assess(clean, cycle)
    else:  # the units left out are the same for every reporting unit without errors of its own
        shared = cached["results"].get(frozenset(excluded))
        if shared is None:
            shared = cached["results"][frozenset(excluded)] = (clean, assess(clean, cycle))
        clean, results = shared
    return Review(cycle, clean, results, excluded,
                  {k: f"{names.get(k, k)} ({k})" for k in excluded})


def nothing_to_sum(reporting: Iterable[str], left_out: Iterable[str]) -> bool:
    """Whether every reporting unit is left out of the province's totals for errors in its data:
    then there is no province summary to write (its figures would sum no unit), only errors to mend."""
    units = set(reporting)
    return bool(units) and units <= set(left_out)


_CACHE: dict | None = None


def keep_reviews() -> None:
    """Keep the loaded workbook and its assessment in this process between `open_review` calls of
    the same cycle (keyed by the files' paths, sizes and times). Batch workers turn this on: a
    run's inputs are fixed, and every reporting unit then reuses one load and one assessment. Off by
    default, so an analyst who edits a rubric in JupyterLab always sees it applied."""
    global _CACHE
    if _CACHE is None:
        _CACHE = {}


def _stat(path: Path) -> tuple[int, int]:
    st = Path(path).stat()
    return st.st_size, st.st_mtime_ns


def inputs_key(cycle: Cycle) -> tuple:
    """What tells, within one process, that a cycle's review would be read from the same files:
    the cycle file and the workbook, their size and time of change, the year and the level."""
    return (str(cycle.path), str(cycle.data), cycle.nam, cycle.cap_bao_cao, _stat(cycle.path), _stat(cycle.data))


def reporting_codes(review: Review) -> list[str]:
    """The reporting units of the data (the districts, or the Đoàn cơ sở when the cycle reports
    per Đoàn cơ sở), in Vietnamese order of their names."""
    h = review.data.don_vi[review.data.don_vi["cap"] == review.cycle.cap_bao_cao]
    return [r.ma_don_vi for r in sorted(h.itertuples(), key=lambda r: sort_key(r.ten_don_vi))]


huyen_codes = renamed(reporting_codes, "huyen_codes")  # the name from before the reporting level was a parameter


def reports_on_itself(review: Review, ma_don_vi: str) -> bool:
    """Whether `ma_don_vi` is a Đoàn cơ sở reporting on its own (cap_bao_cao: co_so): its
    documents speak of itself and its branches, not of "1/1 Đoàn cơ sở"."""
    return review.cycle.cap_bao_cao == "co_so" and ma_don_vi != tinh_code(review)


def once(review: Review, key: tuple, make: Callable[[], Any]) -> Any:
    """`make()` computed once per review (one unit's run) and remembered in `review.memo`: several
    documents of a unit ask for the same table. A table is handed out as a shallow copy, which
    copy-on-write keeps from changing the remembered one. An object with no memo (a stand-in for a
    review) computes it each time."""
    memo = getattr(review, "memo", None)
    if memo is None:
        return make()
    if key not in memo:
        memo[key] = make()
    value = memo[key]
    return value.copy(deep=False) if isinstance(value, pd.DataFrame) else value


def tinh_code(review: Review) -> str:
    """The province's code (found once per review)."""
    if "tinh_code" not in review.memo:
        review.memo["tinh_code"] = str(review.data.don_vi.loc[review.data.don_vi["cap"] == "tinh", "ma_don_vi"].iloc[0])
    return review.memo["tinh_code"]


def year_rows(frame: pd.DataFrame, nam: int) -> tuple[pd.Series, pd.Series | None]:
    """The row of year `nam` (there must be one) and the row of the year before, if any."""
    now = year_row(frame, nam)
    if now is None:
        raise IndexError(f"no row of {nam}")
    return now, year_row(frame, nam - 1)


@old_keywords(ma_huyen="ma_bao_cao")
def verification_sample(review: Review, nam: int | None = None, ma_bao_cao: str | None = None) -> pd.DataFrame:
    """The random verification sample [001] for the province, or one reporting unit's part of it
    (the draw is per Đoàn cơ sở, so a unit's part is the same either way)."""
    from ..rules.verification import sample

    nam = nam or review.cycle.nam
    v = review.cycle.verification
    cd = review.results.chi_doan if ma_bao_cao is None else review.results.of_unit(ma_bao_cao).chi_doan
    return sample(cd, nam, v.share, v.minimum, v.seed)


