"""Targets of the reporting units and the province [000, 001, 002, 004]: target, actual, met, and the
units that miss it; the cycle declares which (`rules.targets_spec`)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, partial
from typing import Any

import pandas as pd

from ..common.frames import narrow
from ..common.schema import TEN_CHI_TIEU
from ..common.vietnamese import phan_tram, sort_key
from ..rules.params import Cycle
from ..rules.targets_spec import GUARDED, TOI_THIEU, TargetSpec, declared
from .assess import Results
from .periods import Guard, guard
from .population import DOWN, PREV, is_direct


def qualify(frame: pd.DataFrame, results: Results) -> pd.DataFrame:
    """Units whose name repeats in `frame` (Đoàn phường 1 of two districts) carry their upper
    unit's name after it ("Đoàn phường 1 (Thành Đoàn Tân An)"), in every list built from it."""
    names = frame["ten_don_vi"]
    dup = names.duplicated(keep=False)
    if not dup.any():
        return frame
    tree = results.tree()
    upper_name = frame["ma_don_vi"].map(tree["ma_cap_tren"]).map(tree["ten_don_vi"]).fillna("")
    return frame.assign(ten_don_vi=names.where(~dup | (upper_name == ""), names + " (" + upper_name + ")"))


def _names(frame: pd.DataFrame, extra: pd.Series | None = None) -> str:
    """Unit names in Vietnamese order, each with a detail where given."""
    names = frame["ten_don_vi"].tolist()
    if extra is not None:  # "A (x)"; with a name that already carries its upper unit: "A (B): x"
        sep = any(n.endswith(")") for n in names)
        names = [f"{n}: {x}" if sep else f"{n} ({x})" for n, x in zip(names, extra.tolist())]
    return "; ".join(sorted(names, key=sort_key))


def _peak(cs: pd.DataFrame) -> tuple[str, str]:
    """The Đoàn cơ sở the peak-campaign target names: those that answered no, and those with no
    answer said as such (the rate leaves them out; a blank is never a «no»)."""
    done = cs["dot_cao_diem"]
    no, blank = cs[done.notna() & ~done.fillna(True).astype(bool)], cs[done.isna()]
    names = "; ".join(filter(None, [_names(no), _names(blank, pd.Series("chưa có số liệu", index=blank.index))]))
    what = "Đoàn cơ sở chưa thực hiện đợt cao điểm đúng tiến độ" if len(no) else ""
    if len(blank):
        what = f"{what} hoặc chưa có số liệu" if what else "Đoàn cơ sở chưa có số liệu về đợt cao điểm"
    return names, what


def targets(results: Results, cycle: Cycle, nam: int, only: list[str] | None = None) -> pd.DataFrame:
    """One row per reporting unit (district, or Đoàn cơ sở when the cycle reports per Đoàn cơ sở;
    and the province) and target, for year `nam`; `only` some units. The phase target first, the
    cycle's declared targets in their order, the Đoàn cơ sở's own phase target last."""
    one = only[0] if only is not None and len(only) == 1 and not (results.tinh["ma_don_vi"] == only[0]).any() \
        else None
    year = (results if one is None else results.of_unit(one)).year(nam)  # one unit: its rows, not the province's
    rows = []
    g = guard(cycle, nam)  # the ladder of «no unit at or above the guard level moves down» [000]
    declared_ = declared(cycle.chi_tieu, cycle.targets)
    # the units' rows with the columns read below only (a row of a wide table is costly to iterate;
    # a column neither table has reads as None either way)
    read = dict.fromkeys(["ma_don_vi", "ten_don_vi", "ty_le_dat_chuan", g.rollup,
                          *(c for spec, _ in declared_ for c in spec.chi_so)])
    units = pd.concat([narrow(f, read).assign(cap=cap) for f, cap in (
        (year.bao_cao, results.cap_bao_cao), (year.tinh, "tinh"))], ignore_index=True)
    co_so = qualify(year.co_so[["ma_don_vi", "ma_bao_cao", "ma_tinh", "ten_don_vi", "so_chi_doan_dan_cu", "dat_muc_tieu",
                                "ty_le_dat_chuan", "_ha_bac_bao_ve", "xep_loai", "xep_loai_nam_truoc", "dot_cao_diem"]
                               + [c for c in (g.flag, g.prev, g.now) if "thi_dua" in c]], results)  # the rows' few columns
    direct = qualify(year.chi_doan.loc[is_direct(year.chi_doan), [c for c in (  # chi đoàn cơ sở, of the population
        "ma_don_vi", "ma_bao_cao", "ma_tinh", "ten_don_vi", "xep_loai", DOWN, PREV) if c in year.chi_doan]], results)  # «cơ sở Đoàn các cấp»
    if only is not None:
        units = units[units["ma_don_vi"].isin(only)]
    muc_tieu = cycle.muc_tieu(nam)
    goal = phan_tram(muc_tieu or 0, 0)
    rows_of = {key: (_rows_of(co_so, key), _rows_of(direct, key)) for key in ("ma_tinh", "ma_bao_cao")}
    filled = _filled(year)
    for u in units.itertuples():
        key = "ma_tinh" if u.cap == "tinh" else "ma_bao_cao"
        cs = rows_of[key][0](u.ma_don_vi)
        communes = cs[cs["so_chi_doan_dan_cu"] > 0]
        below = communes[~communes["dat_muc_tieu"].fillna(False).astype(bool)]
        down = cs[cs[g.flag].astype(bool)]
        # the units a target's list names, and what those units are (targets over Đoàn cơ sở)
        lists = {
            "ty_le_duoc_xep_loai": (_names(cs[cs["xep_loai"].isna()]), "Đoàn cơ sở chưa được đánh giá, xếp loại"),
            "so_ha_bac": (_names(down, down[g.prev].map(g.scale.label) + " → " + down[g.now].map(g.scale.label)),
                          g.name),
            "ty_le_dot_cao_diem": _peak(cs),
            **population_lists(cs, rows_of[key][1](u.ma_don_vi), g),  # «cơ sở Đoàn các cấp» [000]
        }
        lists.setdefault("so_co_so_doan_ha_bac", lists["so_ha_bac"])  # on the emulation ladder: the Đoàn cơ sở's
        # key, name, target, actual, direction, the units the list names, what those units are, rate
        checks: list[tuple[Any, ...]] = [("ty_le_dat_chuan", TEN_CHI_TIEU["ty_le_dat_chuan"], muc_tieu, u.ty_le_dat_chuan, TOI_THIEU, "",
                   "", True)]
        for spec, target in declared_:
            if u.cap == "co_so" and spec.over_co_so:  # a Đoàn cơ sở reporting on its own: not over Đoàn cơ sở
                continue
            missing, listed = lists.get(spec.chi_so[0], ("", "")) if len(spec.chi_so) == 1 else ("", "")
            if spec.chi_so == ("so_ha_bac",) or (spec.chi_so == GUARDED[1:] and "thi_dua" in g.rollup):
                # on the ladder the cycle names: the emulation one (only Đoàn cơ sở carry it), or last year's scale
                name, actual = spec.ten or g.name, getattr(u, g.rollup, None)
            else:
                name, actual = spec.name(g.guard_label), measured(spec, u, partial(filled, key))
            checks.append((spec.key, name, target, actual, spec.huong, missing, listed, spec.is_rate))
        if u.cap != "co_so":
            checks.append(("muc_tieu_giai_doan", f"Đoàn cơ sở (xã, phường) có từ {goal} chi đoàn dân cư đạt chuẩn",
                           None if muc_tieu is None else 1.0,
                           (len(communes) - len(below)) / len(communes) if len(communes) else None, TOI_THIEU,
                           _names(below, below["ty_le_dat_chuan"].map(phan_tram)),
                           f"Đoàn cơ sở (xã, phường) chưa đạt {goal} chi đoàn dân cư đạt chuẩn", True))
        for key_, name, target, actual, huong, missing, listed, rate in checks:
            if target is None:
                continue
            met = None if actual is None or pd.isna(actual) else (
                actual >= target - 1e-12 if huong == TOI_THIEU else actual <= target + 1e-12)
            rows.append({"ma_don_vi": u.ma_don_vi, "ten_don_vi": u.ten_don_vi, "nam": nam, "chi_tieu": key_,
                         "ten_chi_tieu": name, "muc_tieu": target, "thuc_hien": actual, "dat": met,
                         "don_vi_chua_dat": missing, "danh_sach": listed, "huong": huong, "ty_le": rate})
    return pd.DataFrame(rows)


def targets_of(review: Any, nam: int, ma: str | None = None) -> pd.DataFrame:
    """``targets(review.results, review.cycle, nam, only=[ma])`` (`ma` None: every unit), computed
    once per review (`review.once`): a unit's report, its sơ kết's years, its notebook's tables and
    the read-back check all ask for the same table."""
    from .review import once

    return once(review, ("targets", nam, ma),
                lambda: targets(review.results, review.cycle, nam, only=None if ma is None else [ma]))


def population_lists(cs: pd.DataFrame, direct: pd.DataFrame, g: Guard) -> dict[str, tuple[str, str]]:
    """The units the lists of the «cơ sở Đoàn các cấp» targets name: Đoàn cơ sở and chi đoàn cơ sở
    not rated; those at or above the guard level last year rated lower now (on the quality scale)."""
    not_rated = pd.concat([cs.loc[cs["xep_loai"].isna(), ["ten_don_vi"]], direct.loc[direct["xep_loai"].isna(), ["ten_don_vi"]]])
    out = {"ty_le_co_so_doan_duoc_xep_loai": (_names(not_rated), "Cơ sở Đoàn chưa được đánh giá, xếp loại")}
    if "thi_dua" not in g.rollup:  # on the emulation ladder the list is the Đoàn cơ sở's (so_ha_bac's)
        label = g.scale.label
        down = pd.concat([cs.loc[cs["_ha_bac_bao_ve"].astype(bool), ["ten_don_vi", "xep_loai_nam_truoc", "xep_loai"]],
                          direct.loc[direct[DOWN].astype(bool), ["ten_don_vi", PREV, "xep_loai"]]
                          .rename(columns={PREV: "xep_loai_nam_truoc"})])
        out["so_co_so_doan_ha_bac"] = (_names(down, down["xep_loai_nam_truoc"].map(label) + " → "
                                              + down["xep_loai"].map(label)), f"Cơ sở Đoàn từ mức “{g.guard_label}” trở lên bị hạ bậc")
    return out


def _rows_of(frame: pd.DataFrame, key: str) -> Callable[[str], pd.DataFrame]:
    """Each unit's rows of `frame` by its code in column `key`, in their order (as
    ``frame[frame[key] == code]``), found in one pass when first asked: a lookup per unit, not a
    scan of the province per unit."""
    @cache
    def index() -> dict:
        return frame.groupby(key, sort=False).indices if len(frame) else {}

    def rows(code: str) -> pd.DataFrame:
        at = index().get(code)
        return frame.iloc[:0] if at is None else frame.take(at)
    return rows


def _filled(year: Results) -> Callable[[str, str], set]:
    """`filled(key, column)`: the codes, in column `key` (`ma_tinh`, `ma_bao_cao`), of the units whose
    rows (branches or Đoàn cơ sở) hold a value in `column` somewhere; each found once, when first asked."""
    @cache
    def filled(key: str, column: str) -> set:
        return set().union(*(f.loc[f[column].notna(), key].tolist() for f in (year.chi_doan, year.co_so)
                             if key in f and column in f))
    return filled


def measured(spec: TargetSpec, unit: Any, filled: Callable[[str], set]) -> float | None:
    """A declared target's indicator for a unit's row: the column, or shares of one whole added
    up; None where the results do not have it or the unit's rows leave every input it rests on
    blank (not collected; `filled(column)` gives the units that filled an input)."""
    values: list[Any] = [getattr(unit, c, None) for c in spec.chi_so]
    if any(v is None or pd.isna(v) for v in values):
        return None
    if spec.inputs and not any(unit.ma_don_vi in filled(c) for c in spec.inputs):
        return None
    return float(sum((float(v) for v in values), 0.0))


def printed_labels(review: Any, ma_don_vi: str, nam: int) -> dict[str, tuple[str, str] | None]:
    """For the read-back check: each declared target's name as the targets table prints it, with
    the result column(s) its «Thực hiện» cell states («a+b» for shares added up) and their kind;
    None where the unit's figure is not collected (the cell says so, whatever the column holds)."""
    cycle = review.cycle
    specs = {s.key: s for s, _ in declared(cycle.chi_tieu, cycle.targets)}
    t = targets_of(review, nam, ma_don_vi)
    out: dict[str, tuple[str, str] | None] = {}
    for r in t[t["chi_tieu"].isin(list(specs))].itertuples():
        spec = specs[r.chi_tieu]
        out[r.ten_chi_tieu] = None if pd.isna(r.thuc_hien) else (
            "+".join(spec.chi_so), "ty_le" if spec.is_rate else "so")
    return out
