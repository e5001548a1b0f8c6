"""What-if on the figures of issue 18 (member ratings, cadres): "what if X more members were rated
HTXS", "what if X more secretaries were trained", assessed again in memory beside the threshold
knobs of `whatif` (same counts, same changed units, same targets). Nothing is written: a trial on
the figures is never saved into a cycle file.

A data change is ``so_lieu/<column>`` → X, a whole number of members, committee members or
secretaries added in the cycle's year, within one reporting unit or the whole province:

- ``so_lieu/so_dv_<level>``: X more members rated at that level of the member scale in force,
  moved from the other levels of the same branches (the nearest level first, the lower one first
  at the same distance), so the levels still add up to the members assessed;
- ``so_lieu/so_uy_vien_dat_chuan``: X more committee members meeting the cadre standard (at most
  the committee's size);
- ``so_lieu/bi_thu_duoc_tap_huan``: X more branch secretaries trained (a «Không» becomes «Có»).

Units are taken in the order of their codes. A blank stays blank: a branch whose levels are not
all given, or a cell left empty, is never changed (a blank is not a zero).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd

from ..assessment.assess import assess
from ..assessment.review import Review
from ..common.units import ancestors
from ..common.vietnamese import so
from ..errors import TongketError
from ..rules.members import member_scale_of
from . import whatif

PREFIX = "so_lieu/"
GROUP = "Thử số liệu đoàn viên, cán bộ"


@dataclass(frozen=True)
class DataKnob(whatif.Knob):
    """A figure to add to: X more, from 0 up to what the data allow (`most`)."""

    most: int = 0

    @property
    def maximum(self) -> float:
        """A slider's upper end: every unit that could still change."""
        return float(self.most)


def _rows(frame: pd.DataFrame, don_vi: pd.DataFrame, nam: int, ma_bao_cao: str | None, cap: str) -> pd.Index:
    """Index of `frame`'s rows for year `nam` (within `ma_bao_cao`), in the order of unit codes."""
    rows = frame[frame["nam"] == nam]
    if ma_bao_cao is not None:
        tree = ancestors(don_vi.dropna(subset=["ma_don_vi"]))
        under = set(tree.index[tree[f"ma_{cap}"] == ma_bao_cao]) | {ma_bao_cao}
        rows = rows[rows["ma_don_vi"].isin(under)]
    return rows.sort_values("ma_don_vi", kind="stable").index


def _levels(review: Review, nam: int) -> list[tuple[str, str]]:
    """(column, label) of each level of the member scale in force in `nam`, best first."""
    return [(f"so_dv_{lv.code}", lv.label) for lv in member_scale_of(review.cycle).levels(nam)]


def _complete(cd: pd.DataFrame, cols: list[str]) -> pd.Series:
    """Branches whose every level is given (the only ones a trial may move members in)."""
    present = [c for c in cols if c in cd]
    if len(present) < len(cols):
        return pd.Series(False, index=cd.index)
    return cd[present].notna().all(axis=1)


def knobs(review: Review, nam: int | None = None, ma_bao_cao: str | None = None) -> list[DataKnob]:
    """The figures an analyst may add to in year `nam` (the cycle's), where the workbook has them."""
    nam = nam or review.cycle.nam
    data, cap = review.data, review.results.cap_bao_cao
    cd = data.chi_doan.loc[_rows(data.chi_doan, data.don_vi, nam, ma_bao_cao, cap)]
    cs = data.co_so.loc[_rows(data.co_so, data.don_vi, nam, ma_bao_cao, cap)]
    out = []
    group = f"{GROUP}: {review.results.names().get(ma_bao_cao, ma_bao_cao) if ma_bao_cao else 'toàn tỉnh'}"
    levels = _levels(review, nam)
    ok = cd[_complete(cd, [c for c, _ in levels])]
    for col, name in levels:
        others = int(ok[[c for c, _ in levels if c != col]].sum().sum()) if len(ok) else 0
        if others:
            out.append(DataKnob(PREFIX + col, group, f"Thêm đoàn viên xếp loại “{name}” (chuyển từ mức khác)",
                                0.0, False, others))
    if {"so_uy_vien_bch", "so_uy_vien_dat_chuan"} <= set(cs.columns):
        room = (cs["so_uy_vien_bch"] - cs["so_uy_vien_dat_chuan"]).dropna()
        if int(room.clip(lower=0).sum()):
            out.append(DataKnob(PREFIX + "so_uy_vien_dat_chuan", group,
                                "Thêm ủy viên Ban Chấp hành đạt chuẩn cán bộ", 0.0, False, int(room.clip(lower=0).sum())))
    if "bi_thu_duoc_tap_huan" in cd:
        untrained = int(cd["bi_thu_duoc_tap_huan"].astype("boolean").eq(False).fillna(False).sum())  # a blank: neither
        if untrained:
            out.append(DataKnob(PREFIX + "bi_thu_duoc_tap_huan", group, "Thêm bí thư chi đoàn được tập huấn",
                                0.0, False, untrained))
    return out


def _shift(cd: pd.DataFrame, rows: pd.Index, levels: list[str], target: str, x: int) -> pd.DataFrame:
    """Move `x` members to level `target` from the other levels of the branches `rows`: the nearest
    level first in every branch (the lower one first at the same distance), then the next."""
    i = levels.index(target)
    order = sorted((c for c in levels if c != target), key=lambda c: (abs(levels.index(c) - i), levels.index(c) < i))
    out = cd.copy()
    complete = rows[_complete(cd.loc[rows], levels).to_numpy()]
    for c in order:  # a level drained in every branch before the next one
        for r in complete:
            take = min(x, int(out.at[r, c]))
            if take:
                out.at[r, c] -= take
                out.at[r, target] += take
                x -= take
    return out


def change_data(review: Review, changes: dict[str, float], nam: int | None = None,
                ma_bao_cao: str | None = None):
    """The review's data with the data changes made (the data given is left as it is)."""
    nam = nam or review.cycle.nam
    known = {k.key: k for k in knobs(review, nam, ma_bao_cao)}
    data, cap = review.data, review.results.cap_bao_cao
    cd, cs = data.chi_doan, data.co_so
    for key, value in changes.items():
        if key not in known or value is None or value < 0 or value > known[key].most or value != int(value):
            what = known[key].label if key in known else key
            raise TongketError(f"Không thử được «{what}» với {value}: "
                               + (f"chỉ từ 0 đến {so(known[key].most)}" if key in known else "sổ số liệu không có số này"))
        x, col = int(value), key.removeprefix(PREFIX)
        if not x:
            continue
        if col.startswith("so_dv_"):
            rows = _rows(cd, data.don_vi, nam, ma_bao_cao, cap)
            cd = _shift(cd, rows, [c for c, _ in _levels(review, nam)], col, x)
        elif col == "so_uy_vien_dat_chuan":
            cs = cs.copy()
            for r in _rows(cs, data.don_vi, nam, ma_bao_cao, cap):
                room = cs.at[r, "so_uy_vien_bch"] - cs.at[r, "so_uy_vien_dat_chuan"]
                if pd.notna(room) and room > 0 and x:
                    take = min(x, int(room))
                    cs.at[r, "so_uy_vien_dat_chuan"] += take
                    x -= take
        else:  # bi_thu_duoc_tap_huan: the first X «Không» become «Có»
            rows = _rows(cd, data.don_vi, nam, ma_bao_cao, cap)
            trained = cd.loc[rows, "bi_thu_duoc_tap_huan"].astype("boolean")
            no = list(trained.index[trained.eq(False).fillna(False).to_numpy(dtype=bool)])  # a blank is neither
            cd = cd.copy()
            cd.loc[no[:x], "bi_thu_duoc_tap_huan"] = True
    return dataclasses.replace(data, chi_doan=cd, co_so=cs)


def split(changes: dict[str, float]) -> tuple[dict[str, float], dict[str, float]]:
    """The changes of thresholds and targets, and the changes of figures."""
    rules = {k: v for k, v in changes.items() if not k.startswith(PREFIX)}
    return rules, {k: v for k, v in changes.items() if k.startswith(PREFIX)}


def all_knobs(review: Review, ma_bao_cao: str | None = None) -> list[whatif.Knob]:
    """The threshold and target knobs of the cycle, then the figures one may add to."""
    return [*whatif.knobs(review.cycle), *knobs(review, None, ma_bao_cao)]


def trial(review: Review, changes: dict[str, float], ma_bao_cao: str | None = None) -> Review:
    """The review assessed again under both kinds of change (figures within `ma_bao_cao`, or the province)."""
    rules, figures = split(changes)
    if not figures:
        return whatif.trial(review, rules)
    cycle = whatif.apply(review.cycle, rules) if rules else review.cycle
    data = change_data(review, figures, None, ma_bao_cao)
    return Review(cycle, data, assess(data, cycle), review.excluded, review.excluded_names)


def describe(review: Review, changes: dict[str, float], ma_bao_cao: str | None = None) -> list[str]:
    """Both kinds of change in words; the figures' say where they apply and that they are not saved."""
    rules, figures = split(changes)
    known = {k.key: k for k in knobs(review, None, ma_bao_cao)}
    where = review.results.names().get(ma_bao_cao, ma_bao_cao) if ma_bao_cao else "toàn tỉnh"
    return [*whatif.describe(review.cycle, rules),
            *(f"{known[k].label}: {so(v)} ({where}; số liệu thử, không lưu vào tệp)"
              for k, v in figures.items() if v and k in known)]


__all__ = ["DataKnob", "all_knobs", "change_data", "describe", "knobs", "split", "trial"]
