"""Rules × data → result tables (contract §5), vectorised over every unit and every year."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import InitVar, dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..common.deprecated import renamed
from ..common.frames import renumbered, year_rows
from ..common.schema import CHI_DOAN_COLS, CO_SO_COLS, ROLLUP_COLS
from ..common.units import ancestors
from ..intake.check import Data
from ..rules.members import member_scale_of
from ..rules.params import Cycle
from ..rules.periods import PeriodScale
from ..rules.rubric import evaluate, rule_columns
from ..rules.scales import Scale
from . import grids, periods, population
from .branch_figures import SUMS, branch_measures
from .cadres import FROM_BRANCHES, cadre_rollup
from .members import member_ratings, rolled_up
from .scoring import decide
from .unit_years import MUTE, SILENT, Found, Places, blank_unknown, counter, ratio, silences
from .upkeep import add_upkeep

TABLES = ("chi_doan", "co_so", "huyen", "tinh", "bao_cao")  # a view's tables, in `_view`'s order


@dataclass
class Results:
    """The result tables for every year of the data; `year(nam)` keeps one year."""

    chi_doan: pd.DataFrame
    co_so: pd.DataFrame
    huyen: pd.DataFrame
    tinh: pd.DataFrame
    scale: Scale
    don_vi: pd.DataFrame  # the unit tree the results were computed on
    years: list[int]
    # The rollup of the reporting units (one set of documents each), `bao_cao`: the districts'
    # table itself when the cycle reports per district (`rollup` None), one row per Đoàn cơ sở (same
    # columns) when per co_so.
    rollup: InitVar[pd.DataFrame | None] = None
    cap_bao_cao: str = "huyen"
    bao_cao: pd.DataFrame = field(init=False)

    # Views computed once per Results (a batch worker keeps one Results for all its districts);
    # callers get shallow copies, so under copy-on-write none of them can change a shared view.
    _views: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    # Lookups on the unit tree, shared by a Results and all its views (they share the tree).
    _shared: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    KEEP_UNITS = 8  # reporting units' views kept per Results: a worker goes through them one by one

    def __post_init__(self, rollup: pd.DataFrame | None) -> None:
        self.bao_cao = self.huyen if rollup is None else rollup

    @property
    def _own_rollup(self) -> bool:
        """Whether the reporting units have a table of their own (not the districts' table)."""
        return self.bao_cao is not self.huyen

    def _view(self, key: tuple, make: Callable[[], tuple[pd.DataFrame | None, ...]]) -> Results:
        if key not in self._views:
            if key[0] == "unit":  # forget the oldest units' views, so a long batch keeps its memory
                old = [k for k in self._views if k[0] == "unit"]
                for k in old[: max(0, len(old) - self.KEEP_UNITS + 1)]:
                    del self._views[k]
                    self._views.pop(("of", *k), None)
            self._views[key] = make()
        # The view's tables are its own shallow copies, each made when first read: most views are
        # read for one table or two, and a shallow copy of a wide table costs a block per column.
        view = object.__new__(Results)
        view.__dict__.update(scale=self.scale, don_vi=self.don_vi, years=self.years, cap_bao_cao=self.cap_bao_cao,
                             _views=self._views.setdefault(("of", *key), {}),  # its own views (a unit's years)
                             _shared=self._shared, _unread=dict(zip(TABLES, self._views[key])))
        return view

    if not TYPE_CHECKING:  # (to the type checker a Results has its fields and nothing else)
        def __getattr__(self, name: str) -> pd.DataFrame:
            """A view's table, copied (shallow) on its first read; the rollup is the districts' own
            table where the reporting units are the districts (`_own_rollup`)."""
            unread = self.__dict__.get("_unread")
            if unread is None or name not in TABLES:
                raise AttributeError(name)
            if name == "bao_cao" and unread["bao_cao"] is None:
                self.__dict__["bao_cao"] = self.huyen
            else:
                self.__dict__[name] = unread[name].copy(deep=False)
            return self.__dict__[name]

    def year(self, nam: int) -> Results:
        """The same tables, for one year only."""
        pick = lambda f: year_rows(f, nam)  # one run of rows: every table is ordered by year first
        return self._view(("nam", nam), lambda: (pick(self.chi_doan), pick(self.co_so), pick(self.huyen),
                                                 pick(self.tinh), pick(self.bao_cao) if self._own_rollup else None))

    def of_unit(self, ma_don_vi: str) -> Results:
        """The tables restricted to one reporting unit (a district, or a Đoàn cơ sở when the cycle
        reports per Đoàn cơ sở); the province row is kept as context."""
        if "rows_by_unit" not in self._views:  # row positions of every reporting unit, found once
            self._views["rows_by_unit"] = [f.groupby(col, sort=False).indices for f, col in (
                (self.chi_doan, "ma_bao_cao"), (self.co_so, "ma_bao_cao"), (self.huyen, "ma_don_vi"),
                (self.bao_cao, "ma_don_vi"))]
        rows = self._views["rows_by_unit"]
        take = lambda f, i: renumbered(f.take(rows[i].get(ma_don_vi, np.empty(0, dtype=np.intp))))
        return self._view(("unit", ma_don_vi), lambda: (
            take(self.chi_doan, 0), take(self.co_so, 1), take(self.huyen, 2), self.tinh,
            take(self.bao_cao, 3) if self._own_rollup else None))

    of_huyen = renamed(of_unit, "of_huyen")  # the name from before the reporting level was a parameter

    def tree(self) -> pd.DataFrame:
        """The unit tree indexed by code (found once, shared by every view): a lookup per unit
        instead of a scan of the whole province."""
        if "tree" not in self._shared:
            self._shared["tree"] = self.don_vi.drop_duplicates("ma_don_vi").set_index("ma_don_vi", drop=False)
        return self._shared["tree"]

    def names(self) -> pd.Series:
        """Every unit's name by code."""
        return self.tree()["ten_don_vi"]

    def unit(self, ma_don_vi: str) -> dict:
        """A unit's row of the tree, as a dict."""
        tree = self.tree()
        if ma_don_vi not in tree.index:
            raise KeyError(ma_don_vi)
        return tree.loc[ma_don_vi].to_dict()

    def tables(self) -> dict[str, pd.DataFrame]:
        """The sheets of RESULT.xlsx, in order (with the Đoàn cơ sở rollup when the cycle reports
        per Đoàn cơ sở)."""
        out = {"chi_doan": self.chi_doan, "co_so": self.co_so, "huyen": self.huyen, "tinh": self.tinh}
        if self._own_rollup:
            out["tong_hop_co_so"] = self.bao_cao
        return out


def _ratings(frame: pd.DataFrame, scale: Scale) -> pd.Series:
    """The official rating where given, else the one computed from the score."""
    given = frame["xep_loai"].astype(object)
    return given.where(given.notna(), scale.from_score(frame["diem"], frame))


def _movement(frame: pd.DataFrame, scale: Scale, col: str = "xep_loai", prev_col: str = "xep_loai_nam_truoc",
              move_col: str = "bien_dong", guard_col: str = "_ha_bac_bao_ve") -> pd.DataFrame:
    """Last year's rating and the movement (nang_bac, giu_nguyen, ha_bac, moi) per unit; `guard_col`
    marks units at or above the scale's guard level the year before that moved down [000]."""
    if isinstance(scale, PeriodScale):  # a scale per year: moves through the declared mappings
        return periods.movement(frame, scale, col, prev_col, move_col, guard_col)
    prev = frame[["ma_don_vi", "nam", col]].copy()
    prev["nam"] = prev["nam"] + 1
    prev = prev.rename(columns={col: prev_col})
    out = frame.merge(prev, on=["ma_don_vi", "nam"], how="left")
    now, before = scale.ranks(out[col]), scale.ranks(out[prev_col])
    move = np.select([before.isna().to_numpy(dtype=bool), (now > before).fillna(False).to_numpy(dtype=bool),
                      (now < before).fillna(False).to_numpy(dtype=bool)],
                     ["moi", "nang_bac", "ha_bac"], default="giu_nguyen").astype(object)
    out[move_col] = pd.Series(move, index=out.index).where(out[col].notna(), pd.NA)
    guard = scale.rank(scale.guard)
    out[guard_col] = ((before >= guard) & (now < before)).fillna(False).astype(bool)
    return out


movement = _movement  # the one rule of movement, for any rated units (population.py: chi đoàn cơ sở)


# Figures of the branches each score-sheet measure rests on: the measure is missing where any of
# the unit's branches has no row or a blank in one of them (a partial sum is never scored).
_BRANCH_INPUTS = {**{c: (c,) for c in SUMS},
                  "ty_le_tap_hop": ("so_thanh_nien_tap_hop", "so_thanh_nien"),
                  "ty_le_dv_1_1": ("so_dv_gioi_thieu_1_1", "so_doan_vien"),
                  "ty_le_ket_nap": ("so_ket_nap_moi", "so_doan_vien"),
                  "ty_le_bi_thu_tap_huan": ("bi_thu_duoc_tap_huan",),
                  "ty_le_sinh_hoat_du": ("so_lan_sinh_hoat",)}
_RATIO_DEN = {"ty_le_tap_hop": "so_thanh_nien", "ty_le_dv_1_1": "so_doan_vien", "ty_le_ket_nap": "so_doan_vien"}


def _sheet_measures(grid: pd.DataFrame, cycle: Cycle, chi_doan: pd.DataFrame,
                    places: Places) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The figures a score sheet reads, with every blank kept blank (never 0), and where a measure
    does not apply to a unit (no residential branch, no branch at all, a rate over nobody);
    `places`: each branch's unit-year of the grid (a branch without a Đoàn cơ sở: never counted)."""
    measures = grid.copy()
    count = places.counter()
    def some(mask: pd.Series) -> np.ndarray:
        return count(mask).to_numpy(dtype="int64") > 0
    blank = {c: some(chi_doan[c].isna()) for c in sorted({c for v in _BRANCH_INPUTS.values() for c in v})
             if c in chi_doan}
    has_branch = some(pd.Series(True, index=chi_doan.index))
    no_gap = np.zeros(len(grid), dtype=bool)
    not_applicable = pd.DataFrame(index=grid.index)
    for m, inputs in _BRANCH_INPUTS.items():
        if m not in measures:
            continue
        gap = np.logical_or.reduce([no_gap, *(blank[c] for c in inputs if c in blank)])
        measures[m] = measures[m].astype("Float64").where(~gap)
        na = ~has_branch
        if m in _RATIO_DEN:
            na |= (grid[_RATIO_DEN[m]].astype("Float64") == 0).fillna(False).to_numpy(dtype=bool)
        not_applicable[m] = na
    measures["ty_le_dat_chuan"] = measures["ty_le_dat_chuan"].astype("Float64").where(~some(chi_doan["_thieu_chuan"]))
    not_applicable["ty_le_dat_chuan"] = ~some(chi_doan["_ap_dung"])
    # "3 chủ động" as a measure: a group (or the whole) with a blank check is missing, not failed.
    rubric = cycle.rubric_co_so
    for crit in rubric.criteria:
        if crit.id in measures:
            checks = [c for c in rule_columns(crit.rule) if c in grid]
            measures[crit.id] = measures[crit.id].astype("Float64").where(~grid[checks].isna().any(axis=1))
    every = [c for c in rubric.columns() if c in grid]
    if rubric.result in measures:
        measures[rubric.result] = measures[rubric.result].astype("Float64").where(~grid[every].isna().any(axis=1))
    for c in ("nhom1", "nhom2", "nhom3", "dot_cao_diem", "ba_chu_dong"):
        if c in measures:
            measures[c] = measures[c].astype("Float64")
    return measures, not_applicable


def _score(grid: pd.DataFrame, cycle: Cycle, data: Data, chi_doan: pd.DataFrame, places: Places) -> pd.DataFrame:
    """Score every Đoàn cơ sở on the sheet the cycle names for its kind (`diem_bang_diem`, and
    `diem_cap_tren` on verified points only when the cycle's rule asks for it); which score decides
    is scoring.decide's."""
    from ..rules.scoresheet import score, sheet_for, sheet_keys

    measures, not_applicable = _sheet_measures(grid, cycle, chi_doan, places)
    given = data.optional.get("diem_cham")
    sheets = cycle.score_sheets
    kind = sheet_keys(grid["loai_hinh"], grid["dac_thu"], sheets)  # which sheet each unit is scored on
    parts, verified = [], []
    for key, rows in kind.groupby(kind):
        sheet = sheet_for(sheets, key)
        if sheet is not None:
            m, na = measures.loc[rows.index], not_applicable.loc[rows.index]
            parts.append(score(sheet, m, given, na))
            if cycle.nguon_diem == "cap_tren":
                verified.append(score(sheet, m, given, na, verified_only=True)[["diem_bang_diem", "thieu_diem"]])
    if not parts:
        return grid
    scored = pd.concat(parts).reindex(grid.index)
    keep = ["tong_diem", "toi_da", "diem_bang_diem", "bang_diem", "thieu_diem", "khong_ap_dung"]
    # Points per item and group, for the assessment sheet; "_" keeps them out of the workbooks.
    points = scored[[c for c in scored.columns if c.startswith("diem_") and c != "diem_bang_diem"]]
    out = pd.concat([grid, scored[keep], points.add_prefix("_")], axis=1)
    if verified:
        v = pd.concat(verified).reindex(grid.index)
        out["diem_cap_tren"] = v["diem_bang_diem"]
        out["thieu_diem_cap_tren"] = v["thieu_diem"]
    return out


def _no_data(nam: pd.Series) -> pd.Series:
    """The reason of a unit that sent no row for its year: «Chưa gửi số liệu năm 2021» (worded once per year)."""
    return nam.map({y: f"Chưa gửi số liệu năm {y}" for y in nam.dropna().unique()}).astype(object)


def assess_chi_doan(data: Data, cycle: Cycle, tree: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """Every branch × year: tc1–tc7, dat_chuan, ly_do, xep_loai."""
    units = data.don_vi[data.don_vi["cap"] == "chi_doan"][["ma_don_vi", "ten_don_vi", "loai_hinh", "dac_thu"]]
    grid, has_row = grids.attach(grids.grid(units, years, tree), data.chi_doan.drop(columns="_row"))
    rubric = cycle.rubric_chi_doan
    res = evaluate(rubric, grid)
    applies = res[rubric.result].notna()  # the result is blank exactly where the rubric does not apply
    # A branch that sent no row for the year is "chưa gửi số liệu": no result (not a failure), kept
    # out of the rates' denominators and counted on its own (so_chi_doan_chua_gui_so_lieu).
    res["ly_do"] = res["ly_do"].where(has_row | ~applies, _no_data(grid["nam"]))
    for c in [*(cr.id for cr in rubric.criteria), rubric.result]:
        res[c] = res[c].where(has_row, pd.NA)
    out = pd.concat([grid, res], axis=1)
    # Residential branches whose result rests on blanks (no row, or a blank input): a score sheet
    # may not score their Đoàn cơ sở's rate up to standard on them.
    inputs = [c for c in rubric.columns() if c in grid]
    out["_ap_dung"] = applies.to_numpy(dtype=bool)
    out["_thieu_chuan"] = (applies & (~has_row | grid[inputs].isna().any(axis=1))).to_numpy(dtype=bool)
    out["xep_loai"] = _ratings(out, cycle.scale)
    out = grids.with_tree(out, tree)
    out["co_so_lieu"] = has_row.to_numpy()
    out["ty_le_tap_hop"] = ratio(out["so_thanh_nien_tap_hop"], out["so_thanh_nien"])  # [002], per branch
    out["ty_le_dv_1_1"] = ratio(out["so_dv_gioi_thieu_1_1"], out["so_doan_vien"])  # [004], per branch
    extra = [c for c in out.columns if c not in CHI_DOAN_COLS]
    return out[CHI_DOAN_COLS + extra]


def assess_co_so(data: Data, cycle: Cycle, tree: pd.DataFrame, chi_doan: pd.DataFrame,
                 years: list[int], found: Found | None = None) -> pd.DataFrame:
    """Every Đoàn cơ sở × year: branches up to standard against the phase target, "3 chủ động",
    rating and its movement since the year before."""
    units = data.don_vi[data.don_vi["cap"] == "co_so"][["ma_don_vi", "ten_don_vi", "loai_hinh", "dac_thu"]]
    grid, has_row = grids.attach(grids.grid(units, years, tree), data.co_so.drop(columns="_row"))
    res = evaluate(cycle.rubric_co_so, grid)
    for c in [*(cr.id for cr in cycle.rubric_co_so.criteria), cycle.rubric_co_so.result]:
        res[c] = res[c].where(has_row, pd.NA)  # a unit that sent nothing has no "3 chủ động" result
    res["ly_do"] = res["ly_do"].where(has_row, _no_data(grid["nam"]))
    grid = pd.concat([grid, res.rename(columns={"ly_do": "ly_do_ba_chu_dong"})], axis=1)
    # Branches counted per unit-year (each branch's place found once; a blank ma_co_so: never counted):
    # the residential ones with a result, those up to standard, those that sent no row.
    places = (found or Found()).places(chi_doan, "ma_co_so", pd.MultiIndex.from_arrays([grid["ma_don_vi"], grid["nam"]]),
                                       grid.index)
    count = places.counter()  # (the grid's rows and index stay as they are below: the places hold)
    grid["so_chi_doan_dan_cu"] = count(chi_doan["dat_chuan"].notna())
    grid["so_chi_doan_dat_chuan"] = count(chi_doan["dat_chuan"].fillna(False).astype(bool))
    n = grid["so_chi_doan_dan_cu"].astype("Float64")
    grid["ty_le_dat_chuan"] = (grid["so_chi_doan_dat_chuan"].astype("Float64") / n).where(n > 0)
    grid["muc_tieu_dat_chuan"] = grid["nam"].map({y: cycle.muc_tieu(y) for y in years}).astype("Float64")
    grid["dat_muc_tieu"] = (grid["ty_le_dat_chuan"] >= grid["muc_tieu_dat_chuan"]).astype("boolean")
    grid["so_chi_doan_chua_gui_so_lieu"] = count(unsent := ~chi_doan["co_so_lieu"].astype(bool))  # no row that year
    # of them, the residential ones (then the unit has such branches, which sent nothing: not "none")
    grid["_dan_cu_chua_gui"] = count(unsent & chi_doan["_ap_dung"])
    grid = branch_measures(grid, chi_doan, places)
    if cycle.score_sheets:
        grid = _score(grid, cycle, data, chi_doan, places)
    own_sheet = cycle.score_sheets["dac_thu"].id if "dac_thu" in cycle.score_sheets else None
    grid = decide(grid, cycle.scale, cycle.nguon_diem, has_row, own_sheet)  # the one place a score and rating are decided
    grid = _movement(grid, cycle.scale)
    if cycle.emulation is not None:  # the HCMC emulation ladder, tracked beside the quality rating
        grid["thi_dua"] = grid["xep_loai_thi_dua"].astype(object)
        grid = _movement(grid, cycle.emulation, "thi_dua", "thi_dua_nam_truoc", "bien_dong_thi_dua",
                         "_ha_bac_thi_dua")
    grid = grids.with_tree(grid, tree)
    extra = [c for c in grid.columns if c not in CO_SO_COLS]
    return grid[CO_SO_COLS + extra]


def _levels(data: Data, tree: pd.DataFrame) -> dict[str, np.ndarray]:
    """Which units of the tree the workbook lists as Đoàn cơ sở and as branches (found once for every roll-up;
    each listed unit looked up in the tree once)."""
    listed = data.don_vi
    at = tree.index.get_indexer(listed["ma_don_vi"])  # the tree holds each code once (`ancestors`); a blank: -1
    out = {}
    for cap in ("co_so", "chi_doan"):
        out[cap] = np.zeros(len(tree), dtype=bool)
        out[cap][at[(listed["cap"] == cap).fillna(False).to_numpy(dtype=bool) & (at >= 0)]] = True
    return out


def _rollup(level: str, data: Data, tree: pd.DataFrame, chi_doan: pd.DataFrame, co_so: pd.DataFrame,
            years: list[int], scale: Scale, levels: dict[str, np.ndarray], found: Found) -> pd.DataFrame:
    key = f"ma_{level}"
    units = data.don_vi[data.don_vi["cap"] == level][["ma_don_vi", "ten_don_vi"]]
    # In the table's order from the start (year, then name): the branches' places found here serve
    # the counts made on the finished table (upkeep).
    grid = grids.grid(units, years, by_name=True).set_index(["ma_don_vi", "nam"])
    n_co_so = tree[levels["co_so"]].groupby(key).size()
    n_chi_doan = tree[levels["chi_doan"]].groupby(key).size()
    out = grid.copy()
    # The branches' figures summed per unit-year: each branch's unit-year found once (unit_years); a
    # sum over no figure, or with a blank among the rows sent, is blank, never 0 nor a partial total.
    cd = chi_doan  # a branch without such a unit (a blank key) is found in no unit-year: never counted
    total, tally = found.places(cd, key, out.index, out.index).tallies(cd["co_so_lieu"].to_numpy(dtype=bool))
    idx = out.index.get_level_values("ma_don_vi")
    out["so_co_so"] = pd.array(n_co_so.reindex(idx).fillna(0).to_numpy(), dtype="Int64")
    out["so_chi_doan"] = pd.array(n_chi_doan.reindex(idx).fillna(0).to_numpy(), dtype="Int64")
    s = {c: total(cd[c]) for c in ("so_doan_vien", "so_ket_nap_moi", "so_gioi_thieu_dang", "so_thanh_nien",
                                   "so_thanh_nien_tap_hop", "so_dv_gioi_thieu_1_1", "so_thanh_nien_1_1")}
    # A return without a whole part (no branch, or no residential branch, sent a row; the province:
    # one of its reporting units' so): its sums are not the unit's, its counts over residential
    # branches are unknown, never 0 nor a part (MUTE, SILENT: read by the counts after this one).
    mute, silent = silences(cd, key, out.index, tally, "ma_bao_cao" if level == "tinh" else None)
    s = {c: v.where(~(mute | silent)) for c, v in s.items()}
    for c in ("so_doan_vien", "so_ket_nap_moi", "so_gioi_thieu_dang", "so_thanh_nien_1_1"):
        out[c] = s[c]
    out["ty_le_tap_hop"] = ratio(s["so_thanh_nien_tap_hop"], s["so_thanh_nien"])
    out["so_chi_doan_dan_cu"] = tally(cd["dat_chuan"].notna()).where(~silent)
    out["so_chi_doan_dat_chuan"] = tally(cd["dat_chuan"].fillna(False)).where(~silent)
    out["ty_le_dat_chuan"] = ratio(out["so_chi_doan_dat_chuan"], out["so_chi_doan_dan_cu"])
    count = counter(co_so, key, out.index, out.index)  # a mask of Đoàn cơ sở counted per unit-year
    out["so_co_so_dat_muc_tieu"] = count(co_so["dat_muc_tieu"].fillna(False).astype(bool)).where(~silent)
    out["ty_le_duoc_xep_loai"] = ratio(count(co_so["xep_loai"].notna()), out["so_co_so"])
    # Movement needs last year's ratings: with none (a single-year workbook) it is unknown, not 0 %.
    had_rating = count(co_so["xep_loai_nam_truoc"].notna()) > 0
    had_rating &= ~periods.unknown_moves(co_so, key, out.index)  # across a change without a mapping: unknown
    out["ty_le_nang_bac"] = ratio(count(co_so["bien_dong"] == "nang_bac"), out["so_co_so"]).where(had_rating)
    out["so_ha_bac"] = count(co_so["_ha_bac_bao_ve"]).where(had_rating)
    out["so_co_so_ba_chu_dong"] = count(co_so["ba_chu_dong"].fillna(False).astype(bool))
    out["ty_le_dv_1_1"] = ratio(s["so_dv_gioi_thieu_1_1"], s["so_doan_vien"])
    # Beyond the contract: the rating distribution, peak campaigns, special units, criteria failed.
    for code in scale.codes:
        out[f"so_{code}"] = count(co_so["xep_loai"] == code)
    if isinstance(scale, PeriodScale):  # each year's levels on its own scale
        out = periods.level_counts(out, co_so, scale, key)
    out["so_chua_xep_loai"] = count(co_so["xep_loai"].isna())
    out["so_co_so_dot_cao_diem"] = count(co_so["dot_cao_diem"].fillna(False).astype(bool))
    # Over the units that said whether they did: a unit with no data is not counted as "no".
    out["ty_le_dot_cao_diem"] = ratio(out["so_co_so_dot_cao_diem"], count(co_so["dot_cao_diem"].notna()))
    out["so_co_so_chua_gui_so_lieu"] = count(co_so["chua_gui_so_lieu"].astype(bool))
    out["so_chi_doan_chua_gui_so_lieu"] = tally(~cd["co_so_lieu"])
    out["so_co_so_dac_thu"] = count(co_so["dac_thu"].fillna(False).astype(bool))
    out["so_co_so_ha_bac"] = count(co_so["bien_dong"] == "ha_bac")
    if "_ha_bac_thi_dua" in co_so:
        out["so_ha_bac_thi_dua"] = count(co_so["_ha_bac_thi_dua"]).where(count(co_so["thi_dua_nam_truoc"].notna()) > 0)
    out[MUTE], out[SILENT] = mute, silent
    out = out.reset_index()  # (in the table's order already: `grids.grid`)
    extra = [c for c in out.columns if c not in ROLLUP_COLS]
    return out[ROLLUP_COLS + extra]


def assess(data: Data, cycle: Cycle) -> Results:
    """Assess every unit for every year of the data (so that comparisons across years work)."""
    years = data.years
    tree = ancestors(data.don_vi.dropna(subset=["ma_don_vi"]))
    cap = cycle.cap_bao_cao
    tree["ma_bao_cao"] = tree[f"ma_{cap}"]  # the reporting unit every unit belongs to (none: province only)
    chi_doan = assess_chi_doan(data, cycle, tree, years)
    built = {"chi_doan": chi_doan[["ma_don_vi", "nam"]]}  # the grids' rows, in the tables' order (grids.grid)
    chi_doan = _verification(chi_doan, data, cycle)
    found = Found()  # the branches' places among each level's unit-years, found once for every count
    co_so = assess_co_so(data, cycle, tree, chi_doan, years, found)
    built["co_so"] = co_so[["ma_don_vi", "nam"]]
    levels = _levels(data, tree)
    huyen = _rollup("huyen", data, tree, chi_doan, co_so, years, cycle.scale, levels, found)
    tinh = _rollup("tinh", data, tree, chi_doan, co_so, years, cycle.scale, levels, found)
    bao_cao = None if cap == "huyen" else _rollup(cap, data, tree, chi_doan, co_so, years, cycle.scale, levels, found)
    huyen, tinh = cadre_rollup(huyen, "huyen", chi_doan, co_so), cadre_rollup(tinh, "tinh", chi_doan, co_so)
    bao_cao = None if bao_cao is None else cadre_rollup(bao_cao, cap, chi_doan, co_so)  # cadres, contract §6.2
    chi_doan, co_so, huyen, tinh, bao_cao = add_upkeep(data.optional.get("dang_ky"), chi_doan, co_so, huyen, tinh,
                                                       bao_cao, cap, found)  # registration and upkeep [001 III], §6.4
    co_so, huyen, tinh, bao_cao = member_ratings(chi_doan, member_scale_of(cycle), (co_so, "co_so"), (huyen, "huyen"),
                                                 (tinh, "tinh"), (bao_cao, cap))  # member ratings, contract §6.2
    huyen, tinh, bao_cao = (None if f is None else blank_unknown(f, [*rolled_up(f), *FROM_BRANCHES])
                            for f in (huyen, tinh, bao_cao))  # no partial total of member or cadre figures
    chi_doan = population.branch_moves(chi_doan, cycle.scale)  # «cơ sở Đoàn các cấp» [000 II.3.2]
    pop = population.members(chi_doan, co_so)
    huyen, tinh = population.rollup(huyen, "ma_huyen", pop), population.rollup(tinh, "ma_tinh", pop)
    bao_cao = population.rollup(bao_cao, "ma_bao_cao", pop)
    return Results(grids.in_order(chi_doan, built["chi_doan"]), grids.in_order(co_so, built["co_so"]), huyen, tinh,
                   cycle.scale, data.don_vi, years, bao_cao, cap)


def _verification(chi_doan: pd.DataFrame, data: Data, cycle: Cycle) -> pd.DataFrame:
    """The random sample of the cycle's year and the team's results: `tham_dinh`, `cong_nhan`
    after the contract's columns (contract §6.1)."""
    from ..rules.verification import mark

    out = mark(chi_doan, data.optional.get("tham_dinh"), cycle.verification, cycle.nam)
    first = CHI_DOAN_COLS + ["tham_dinh", "cong_nhan"]
    return out[first + [c for c in out.columns if c not in first]]


__all__ = ["Results", "assess"]
