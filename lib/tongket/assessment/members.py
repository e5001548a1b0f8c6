"""Member ratings rolled up (contract §6.2): sums and shares per Đoàn cơ sở, district, province and
reporting unit, each year on the member scale in force that year.

Blanks (documented choice): a branch's figures count only when they are complete for its year —
members, members assessed and every level of the year's scale given. A branch with a row for the
year but some of these blank is left out of every sum and share (never added as zero) and counted in
`so_chi_doan_thieu_danh_gia_dv`, which the documents say beside the figures; so a partial sum never
passes as a total. `ty_le_dv_duoc_danh_gia` is Σso_dv_duoc_danh_gia / Σso_doan_vien over the same
branches. A year in which no branch of the workbook gives any of these figures is "not collected":
every column is blank for it. A workbook without them gains no column at all.
"""

from __future__ import annotations

import pandas as pd

from ..common.schema import MEMBER_COLUMNS, label
from ..common.vietnamese import is_missing
from ..rules.members import ASSESSED, MemberScale, column, rate_column

MISSING = "so_chi_doan_thieu_danh_gia_dv"  # branches with a row for the year but incomplete member figures
_MEMBERS = "_so_dv_danh_gia"  # members of the branches counted (the share's denominator)


def collected(chi_doan: pd.DataFrame) -> bool:
    """Whether any branch gives any member-rating figure (else nothing is added anywhere)."""
    cols = [c for c in MEMBER_COLUMNS if c in chi_doan]
    return bool(cols) and bool(chi_doan[cols].notna().any().any())


def level_codes(scale: MemberScale, years: list[int]) -> list[str]:
    """The level codes of the periods in force in `years`, in the scale's order."""
    return list(dict.fromkeys(lv.code for y in years for lv in scale.levels(int(y))))


def branch_figures(chi_doan: pd.DataFrame, scale: MemberScale, keys: list[str]) -> pd.DataFrame:
    """Every branch × year with `_complete` (its figures count) and `_thieu` (a row, incomplete),
    the level columns of another period blanked, and the year's collection state `_thu_thap`."""
    cols = [c for c in MEMBER_COLUMNS if c in chi_doan]
    has = [c for c in ("co_so_lieu",) if c in chi_doan]
    f = chi_doan[[*keys, "nam", "so_doan_vien", *has, *cols]].copy()
    f = f[f["nam"].notna()]
    years = f["nam"].astype(int)
    period = years.map(lambda y: scale.period(y))
    complete = f[ASSESSED].notna() & f["so_doan_vien"].notna() & period.notna()
    for code in level_codes(scale, sorted(set(years))):
        own = period.map(lambda p, c=code: p is not None and c in p.codes).astype(bool)
        col = column(code)
        f[col] = f[col].where(own).astype("Int64") if col in f else pd.Series(pd.NA, index=f.index, dtype="Int64")
        complete &= ~own | f[col].notna()
    any_figure = f[cols].notna().any(axis=1)
    f["_thu_thap"] = years.map(any_figure.groupby(years).any()).astype(bool)
    f["_complete"] = complete.astype(bool) & f["_thu_thap"]
    sent = f["co_so_lieu"].astype(bool) if "co_so_lieu" in f else pd.Series(True, index=f.index)
    f["_thieu"] = sent & ~f["_complete"] & f["_thu_thap"]
    return f


def _roll(frame: pd.DataFrame, figures: pd.DataFrame, key: str, codes: list[str]) -> pd.DataFrame:
    """`frame` (one row per unit × year, `ma_don_vi`, `nam`) with the member sums and shares of its branches."""
    ok = figures[figures["_complete"]]
    sums = ok.groupby([key, "nam"])[[ASSESSED, "so_doan_vien", *(column(c) for c in codes)]].sum(min_count=1)
    sums = sums.rename(columns={"so_doan_vien": _MEMBERS})
    missing = figures.groupby([key, "nam"])["_thieu"].sum()
    asked = figures.groupby("nam")["_thu_thap"].any()
    idx = pd.MultiIndex.from_arrays([frame["ma_don_vi"], frame["nam"].astype(int)])
    s = sums.reindex(idx)
    out = frame.copy()
    year_asked = frame["nam"].astype(int).map(asked).fillna(False).astype(bool).to_numpy()
    out[ASSESSED] = pd.array(s[ASSESSED].to_numpy(), dtype="Int64")
    for code in codes:
        out[column(code)] = pd.array(s[column(code)].to_numpy(), dtype="Int64")
    assessed = out[ASSESSED].astype("Float64")
    members = pd.array(s[_MEMBERS].to_numpy(), dtype="Float64")
    out["ty_le_dv_duoc_danh_gia"] = (assessed / members).where(members > 0)
    for code in codes:
        out[rate_column(code)] = (out[column(code)].astype("Float64") / assessed).where(assessed > 0)
    n_missing = pd.array(missing.reindex(idx).fillna(0).to_numpy(), dtype="Int64")
    out[MISSING] = pd.Series(n_missing, index=out.index).where(year_asked)
    return out


def member_ratings(chi_doan: pd.DataFrame, scale: MemberScale,
                   *tables: tuple[pd.DataFrame | None, str]) -> list[pd.DataFrame | None]:
    """Each (table, level) of `tables` (co_so, huyen, tinh, the reporting units' rollup) with the
    member sums and shares of its branches; unchanged when no branch gives any member figure."""
    if not collected(chi_doan):
        return [t for t, _ in tables]
    keys = [f"ma_{level}" for _, level in tables if f"ma_{level}" in chi_doan]
    figures = branch_figures(chi_doan, scale, list(dict.fromkeys(keys)))
    codes = level_codes(scale, sorted(set(figures["nam"].astype(int))))
    return [None if t is None else _roll(t, figures, f"ma_{level}", codes) for t, level in tables]


def incomplete(row: pd.Series | None) -> int:
    """How many branches of a rollup row gave incomplete member figures (left out of its sums and
    shares): its totals are then no total of the unit, and are compared with no other year's."""
    v = None if row is None else row.get(MISSING)
    return 0 if v is None or is_missing(v) else int(v)


def rolled_up(rollup: pd.DataFrame) -> list[str]:
    """The member columns of a roll-up: sums of its branches' member figures and their shares."""
    return [c for c in rollup.columns if c.startswith(("so_dv_", "ty_le_dv_"))]


def phrase(code: str) -> str:
    """How a sentence names the members of a level ("hoàn thành xuất sắc nhiệm vụ", "xếp loại khá")."""
    return label(column(code)).removeprefix("Số đoàn viên ")


def labels() -> dict[str, tuple[str, str]]:
    """Every member-rating indicator's printed label -> (result column, "so" or "ty_le"), for reading
    the documents back (doccheck)."""
    out = {"Đoàn viên được đánh giá, xếp loại": (ASSESSED, "so"),
           "Tỉ lệ đoàn viên được đánh giá, xếp loại": ("ty_le_dv_duoc_danh_gia", "ty_le")}
    for col in MEMBER_COLUMNS[1:]:
        code = col.removeprefix("so_dv_")
        out |= {f"Đoàn viên {phrase(code)}": (col, "so"), f"Tỉ lệ đoàn viên {phrase(code)}": (rate_column(code), "ty_le")}
    return out


def indicators(now: pd.Series, _before: pd.Series | None = None) -> list[tuple[str, str, str]]:
    """The appendix's member-rating indicators (key, label, unit of measure), only where the year
    gives them (compare.year_on_year adds them after its own)."""
    if ASSESSED not in now.index or is_missing(now[ASSESSED]):
        return []
    out = [(ASSESSED, "Đoàn viên được đánh giá, xếp loại", "người"),
           ("ty_le_dv_duoc_danh_gia", "Tỉ lệ đoàn viên được đánh giá, xếp loại", "%")]
    for col in MEMBER_COLUMNS[1:]:
        if col in now.index and not is_missing(now[col]):
            code = col.removeprefix("so_dv_")
            out += [(col, f"Đoàn viên {phrase(code)}", "người"),
                    (rate_column(code), f"Tỉ lệ đoàn viên {phrase(code)}", "%")]
    return out


__all__ = ["MISSING", "branch_figures", "collected", "incomplete", "indicators", "labels", "level_codes", "member_ratings", "phrase",
           "rolled_up"]
