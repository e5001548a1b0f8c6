"""What-if: change a rubric threshold or a target, assess again in memory, see what changes, and
save the change as a new rubric and a new cycle file (never over the analyst's own files).

A change is a mapping from a knob's key to its new value:

- ``chi_doan/tc5/0``: the first condition of criterion ``tc5`` of the branch rubric (conditions
  are numbered depth-first, as ``rubric.conditions`` lists them); ``co_so/…`` for the Đoàn cơ sở rubric;
- ``muc_tieu_dat_chuan``: the phase target in force in the cycle's year [001];
- ``targets/<name>``: a target of the reporting units and the province [000].

`apply` gives a new `Cycle`, `trial` a new `Review` (a fresh one: `Review.memo` is never shared),
and `save` writes files that `tongket assess FILE` and `tongket run FILE` read to the
same numbers.
"""

from __future__ import annotations

import dataclasses
import io
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
from ruamel.yaml import YAML

from ..assessment.assess import assess
from ..assessment.review import Review
from ..common import paths
from ..common.files import plain_name, write_text, yaml_text
from ..common.schema import SHEETS, TEN_CAP_HOA, TEN_CHI_TIEU, label
from ..common.vietnamese import dat, nfc, phan_tram, so
from ..errors import TongketError
from ..rules.params import Cycle, load_cycle
from ..rules.rubric import Condition, Group, Rubric, conditions
from ..rules.wording import ten_tieu_chi

_KINDS = {c.key: c.kind for cols in SHEETS.values() for c in cols}
RUBRICS = {"chi_doan": "rubric_chi_doan", "co_so": "rubric_co_so"}
TARGET_LABELS = {k: v for k, v in TEN_CHI_TIEU.items() if k != "ty_le_dat_chuan"} | {
    "so_ha_bac": "Số Đoàn cơ sở bậc cao bị hạ bậc (tối đa)"}  # the cycle's `targets` (names: common.schema)


@dataclass(frozen=True)
class Knob:
    """One number an analyst may try: where it lives, what it is called, its value now."""

    key: str
    group: str  # the rubric's name, or "Mục tiêu"
    label: str  # Vietnamese, with the criterion and the bound: "Tiêu chí 5 · Số lần sinh hoạt tối thiểu"
    value: float
    percent: bool  # a rate (0.9), shown and edited as a percentage

    @property
    def maximum(self) -> float:
        """A slider's upper end: 100 % for a rate, else well above the value."""
        return 1.0 if self.percent else float(max(10, 3 * int(self.value)))


# A threshold's bound in words (a leader reads the sliders: no operators, no criterion ids).
_BOUND = {">=": "tối thiểu", "<=": "tối đa", ">": "phải lớn hơn", "<": "phải nhỏ hơn"}


def _numeric(c: Condition) -> bool:
    """A threshold one may move: a number compared with ≥, >, ≤ or < ("= 0 violations" is a rule, not a threshold)."""
    return (c.other is None and c.op in (">=", ">", "<=", "<") and isinstance(c.value, (int, float))
            and not isinstance(c.value, bool))


def knobs(cycle: Cycle) -> list[Knob]:
    """Every number of the cycle an analyst may try: numeric thresholds of both rubrics, the phase
    target in force and the reporting units' targets."""
    out = []
    for which, attr in RUBRICS.items():
        rubric: Rubric = getattr(cycle, attr)
        for crit in rubric.criteria:
            for i, c in enumerate(conditions(crit.rule)):
                if _numeric(c):
                    rate = _KINDS.get(c.column) == "rate"
                    out.append(Knob(f"{which}/{crit.id}/{i}", rubric.name,
                                    f"{ten_tieu_chi(crit.id)} · {label(c.column)} {_BOUND[c.op]}", float(c.value),
                                    rate))
    in_force = _phase_year(cycle)
    if in_force is not None:
        out.append(Knob("muc_tieu_dat_chuan", "Mục tiêu",
                        f"Mục tiêu tỉ lệ chi đoàn dân cư đạt chuẩn (từ năm {in_force})",
                        cycle.muc_tieu_dat_chuan[in_force], True))
    declared = {s.key: s for s in cycle.chi_tieu}  # the long form's name and kind (rules.targets_spec)
    for k, v in cycle.targets.items():
        own = k not in declared or declared[k].chi_so == (k,)  # a key may name another indicator (its population)
        name = (TARGET_LABELS.get(k) if own else None) or (
            declared[k].name(cycle.scale.label(cycle.scale.guard)) if k in declared else label(k))
        out.append(Knob(f"targets/{k}", "Mục tiêu", name, float(v),
                        declared[k].is_rate if k in declared else k.startswith("ty_le")))
    return out


def _phase_year(cycle: Cycle) -> int | None:
    years = [y for y in cycle.muc_tieu_dat_chuan if y <= cycle.nam]
    return max(years) if years else None


def _check(cycle: Cycle, changes: dict[str, float]) -> dict[str, Knob]:
    known = {k.key: k for k in knobs(cycle)}
    for key, value in changes.items():
        if key not in known:
            raise TongketError(f"Không có ngưỡng «{key}» để thử (có: {', '.join(known)})")
        if value is None or value < 0 or (known[key].percent and value > 1):
            raise TongketError(f"Giá trị thử không hợp lệ cho «{known[key].label}»: {value}")
    return known


def _as_number(value: float, like: Any) -> int | float:
    """Keep a whole-number threshold an int, so the saved rubric reads `value: 6`, not 6.0."""
    return int(round(value)) if isinstance(like, int) and float(value).is_integer() else float(value)


def _replace(group: Group, index: int, value: float, seen: list[int]) -> Group:
    """The group with its condition number `index` (depth-first, counted in `seen`) set to `value`."""
    items: list[Group | Condition] = []
    for item in group.items:
        if isinstance(item, Group):
            items.append(_replace(item, index, value, seen))
        else:
            items.append(dataclasses.replace(item, value=_as_number(value, item.value)) if seen[0] == index else item)
            seen[0] += 1
    return Group(group.mode, tuple(items))


def apply(cycle: Cycle, changes: dict[str, float]) -> Cycle:
    """The cycle with the changes made (the cycle given is left as it is)."""
    _check(cycle, changes)
    out = cycle
    for key, value in changes.items():
        if key == "muc_tieu_dat_chuan":
            year = _phase_year(out)
            assert year is not None  # `_check`: the knob exists only where a phase target is in force
            out = dataclasses.replace(out, muc_tieu_dat_chuan={**out.muc_tieu_dat_chuan, year: float(value)})
        elif key.startswith("targets/"):
            out = dataclasses.replace(out, targets={**out.targets, key.split("/", 1)[1]: float(value)})
        else:
            which, cid, index = key.split("/")
            rubric: Rubric = getattr(out, RUBRICS[which])
            crits = tuple(dataclasses.replace(c, rule=_replace(c.rule, int(index), value, [0])) if c.id == cid else c
                          for c in rubric.criteria)
            tried = dataclasses.replace(rubric, criteria=crits)
            out = (dataclasses.replace(out, rubric_chi_doan=tried) if which == "chi_doan"
                   else dataclasses.replace(out, rubric_co_so=tried))
    return out


def trial(review: Review, changes: dict[str, float]) -> Review:
    """The review assessed again under the changes: same checked data, new results, a memo of its own."""
    if not changes:
        return review
    cycle = apply(review.cycle, changes)
    return Review(cycle, review.data, assess(review.data, cycle), review.excluded, review.excluded_names)


# ---------------------------------------------------------------------------------------------
# What changes


def counts(review: Review, nam: int | None = None, ma_bao_cao: str | None = None) -> dict[str, tuple[str, int, int]]:
    """How many units pass, as (what, passed, of) by key: branches up to standard, Đoàn cơ sở reaching the
    phase target, "3 chủ động", and reporting units meeting each target; one reporting unit's with `ma_bao_cao`."""
    nam = nam or review.cycle.nam
    year = review.results.year(nam)
    cd, cs = year.chi_doan, year.co_so
    if ma_bao_cao is not None:
        cd, cs = cd[cd["ma_bao_cao"] == ma_bao_cao], cs[cs["ma_bao_cao"] == ma_bao_cao]
    dan_cu = cd[cd["dat_chuan"].notna()]
    communes = cs[cs["so_chi_doan_dan_cu"] > 0]
    out = {
        "dat_chuan": ("Chi đoàn dân cư đạt chuẩn", int(dan_cu["dat_chuan"].astype(bool).sum()), len(dan_cu)),
        "dat_muc_tieu": ("Đoàn cơ sở đạt mục tiêu tỉ lệ chi đoàn đạt chuẩn",
                         int(communes["dat_muc_tieu"].fillna(False).astype(bool).sum()), len(communes)),
        "ba_chu_dong": ("Đoàn cơ sở “3 chủ động”", int(cs["ba_chu_dong"].fillna(False).astype(bool).sum()), len(cs)),
    }
    t = _reporting_targets(review, nam)
    if ma_bao_cao is not None:
        t = t[t["ma_don_vi"] == ma_bao_cao]
    for key, rows in t.groupby("chi_tieu", sort=False):
        out[f"bao_cao/{key}"] = (f"{_level(review)} đạt chỉ tiêu: {_target_name(key, rows)}",
                                 int(rows["dat"].eq(True).sum()), len(rows))
    return out


def _level(review: Review) -> str:
    """What the reporting units are called: Huyện, or Đoàn cơ sở when the cycle reports per Đoàn cơ sở."""
    return TEN_CAP_HOA[review.results.cap_bao_cao]


def _target_name(key: str, rows: pd.DataFrame) -> str:
    """A target's name that stays true under a trial (the phase target's own name carries its number)."""
    if key == "muc_tieu_giai_doan":
        return "mọi Đoàn cơ sở (xã, phường) đạt mục tiêu tỉ lệ chi đoàn dân cư đạt chuẩn"
    return str(rows["ten_chi_tieu"].iloc[0])


def _reporting_targets(review: Review, nam: int) -> pd.DataFrame:
    """Every reporting unit's targets for `nam`, computed once per review (a trial is a new review)."""
    from ..assessment.review import once
    from ..assessment.targets import targets_of

    def make() -> pd.DataFrame:
        t = targets_of(review, nam)
        units = review.results.year(nam).bao_cao
        assert units is not None  # `Results` sets it to the districts' table where not given
        return t[t["ma_don_vi"].isin(units["ma_don_vi"])]

    return once(review, ("whatif_targets", nam), make)


def compare_counts(before: Review, after: Review, nam: int | None = None,
                   ma_bao_cao: str | None = None) -> pd.DataFrame:
    """Units passing under the cycle's own rules against the trial, with the difference."""
    a, b = counts(before, nam, ma_bao_cao), counts(after, nam, ma_bao_cao)
    rows = []
    for key, (name, p0, n0) in a.items():
        _, p1, n1 = b[key]
        rows.append({"Chỉ số": name, "Theo tham số": f"{so(p0)}/{so(n0)}", "Thử nghiệm": f"{so(p1)}/{so(n1)}",
                     "Chênh lệch": f"{p1 - p0:+d}" if p1 != p0 else "0", "key": key, "_truoc": p0, "_sau": p1})
    return pd.DataFrame(rows)


def changed_units(before: Review, after: Review, nam: int | None = None,
                  ma_bao_cao: str | None = None) -> pd.DataFrame:
    """Every unit whose verdict differs between the cycle's rules and the trial: branches (đạt
    chuẩn), Đoàn cơ sở (đạt mục tiêu, 3 chủ động) and reporting units (each target)."""

    nam = nam or before.cycle.nam
    names = before.results.don_vi.set_index("ma_don_vi")["ten_don_vi"]
    rows: list[dict[str, Any]] = []

    def diff(level: str, frame0: pd.DataFrame, frame1: pd.DataFrame, col: str, what: str, parent: str | None) -> None:
        if ma_bao_cao is not None and "ma_bao_cao" in frame0:
            frame0, frame1 = frame0[frame0["ma_bao_cao"] == ma_bao_cao], frame1[frame1["ma_bao_cao"] == ma_bao_cao]
        joined = frame0.set_index("ma_don_vi")[[col]].join(frame1.set_index("ma_don_vi")[[col]].add_suffix("_sau"))
        moved = joined[joined[col].astype("boolean").ne(joined[f"{col}_sau"].astype("boolean")).fillna(False)]
        src = frame0.set_index("ma_don_vi")
        for code, r in moved.iterrows():
            rows.append({"Cấp": level, "Đơn vị": names.get(code, code),
                         "Thuộc": names.get(src.at[code, parent], "") if parent else "",
                         "Nội dung": what, "Theo tham số": dat(r[col]), "Thử nghiệm": dat(r[f"{col}_sau"]),
                         "ma_don_vi": code})

    y0, y1 = before.results.year(nam), after.results.year(nam)
    diff("Chi đoàn", y0.chi_doan, y1.chi_doan, "dat_chuan", "Đạt chuẩn", "ma_co_so")
    diff("Đoàn cơ sở", y0.co_so, y1.co_so, "dat_muc_tieu", "Đạt mục tiêu tỉ lệ chi đoàn đạt chuẩn", "ma_huyen")
    diff("Đoàn cơ sở", y0.co_so, y1.co_so, "ba_chu_dong", "“3 chủ động”", "ma_huyen")
    t0, t1 = _reporting_targets(before, nam), _reporting_targets(after, nam)
    if ma_bao_cao is not None:
        t0, t1 = t0[t0["ma_don_vi"] == ma_bao_cao], t1[t1["ma_don_vi"] == ma_bao_cao]
    for key, rows0 in t0.groupby("chi_tieu", sort=False):
        rows1 = t1[t1["chi_tieu"] == key]
        diff(_level(before), rows0, rows1, "dat", f"Chỉ tiêu: {_target_name(key, rows0)}", None)
    return pd.DataFrame(rows, columns=["Cấp", "Đơn vị", "Thuộc", "Nội dung", "Theo tham số", "Thử nghiệm", "ma_don_vi"])


def describe(cycle: Cycle, changes: dict[str, float]) -> list[str]:
    """The changes in words: "Tiêu chí 5 · Số lần sinh hoạt tối thiểu: 8 → 6"."""
    known = _check(cycle, changes)

    def show(k: Knob, v: float) -> str:
        return phan_tram(v, 0 if round(v * 100, 6).is_integer() else 1) if k.percent else \
            so(v, 0 if float(v).is_integer() else 2)

    return [f"{known[k].label}: {show(known[k], known[k].value)} → {show(known[k], v)}"
            for k, v in changes.items() if v != known[k].value]


# ---------------------------------------------------------------------------------------------
# Saving


@dataclass
class Saved:
    """The files a saved trial wrote: the new cycle file and any new rubric files."""

    cycle: Path
    rubrics: list[Path]


def _yaml() -> YAML:
    y = YAML()  # round trip: the analyst's comments and layout stay
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def _dump(y: YAML, doc: Any, header: list[str]) -> str:
    buf = io.StringIO()
    y.dump(doc, buf)
    return "".join(f"# {line}\n" for line in header) + buf.getvalue()


def _raw_conditions(item: Any) -> list[dict]:
    """The raw YAML conditions of a criterion, depth-first, in `rubric.conditions` order."""
    if "all" in item or "any" in item:
        return [c for i in item["all" if "all" in item else "any"] for c in _raw_conditions(i)]
    return [item]


def _relative(path: Path, base: Path) -> str:
    """`path` as the cycle file writes paths: relative to its folder inside the project, else absolute."""
    path = Path(path).resolve()
    if path.is_relative_to(paths.ROOT) and base.resolve().is_relative_to(paths.ROOT):
        return Path(os.path.relpath(path, base.resolve())).as_posix()
    return str(path)


def _tag(name: str | None) -> str:
    """A file-name tag from what the analyst typed, without diacritics: "Sinh hoạt 6 lần" -> "sinh_hoat_6_lan"."""
    return plain_name(str(name or "")).lower().replace(".", "_") or datetime.now().strftime("thu_%Y%m%d_%H%M")


def save(cycle: Cycle, changes: dict[str, float], name: str) -> Saved:
    """Write the trial as new files beside the originals: `<rubric>_<name>.yaml` for each rubric
    changed and `<cycle>_<name>.yaml` pointing at them. Nothing existing is overwritten; the new
    cycle file is read back to make sure it loads and carries the trial's numbers."""
    known = _check(cycle, changes)
    changes = {k: v for k, v in changes.items() if v != known[k].value}
    if not changes:
        raise TongketError("Chưa thay đổi ngưỡng nào: không có gì để lưu")
    tag = _tag(name)
    stamp = datetime.now().strftime("%H:%M ngày %d tháng %m năm %Y")
    said = dict(zip(changes, describe(cycle, changes)))
    y = _yaml()

    def header(src: Path, keys: Iterable[str]) -> list[str]:
        return [f"Tạo từ sổ tay đánh giá lúc {stamp}, từ tệp {src.name}; đã thay đổi:", *(f"  - {said[k]}" for k in keys)]

    writes: dict[Path, str] = {}
    new_rubric: dict[str, Path] = {}
    for which, attr in RUBRICS.items():
        mine = {k: v for k, v in changes.items() if k.startswith(f"{which}/")}
        if not mine:
            continue
        src: Path = getattr(cycle, attr).path
        doc = y.load(yaml_text(src, "bộ tiêu chí"))
        for key, value in mine.items():
            _, cid, index = key.split("/")
            crit = next(c for c in doc["criteria"] if str(c.get("id")) == cid)
            cond = _raw_conditions(crit)[int(index)]
            cond["value"] = _as_number(value, cond["value"])
        target = src.with_name(f"{src.stem}_{tag}.yaml")
        writes[target] = _dump(y, doc, header(src, mine))
        new_rubric[which] = target
    src = cycle.path
    doc = y.load(yaml_text(src, "tệp tham số"))
    base = src.parent
    for which, path in new_rubric.items():
        doc["rubrics"][which] = _relative(path, base)
    for key, value in changes.items():
        if key == "muc_tieu_dat_chuan":
            year = _phase_year(cycle)
            table = doc["muc_tieu_dat_chuan"]
            hit = next((k for k in table if int(k) == year), year)
            table[hit] = float(value)
        elif key.startswith("targets/"):
            name_ = key.split("/", 1)[1]
            entry = doc["targets"][name_]
            if isinstance(entry, dict):  # the long form (rules.targets_spec): its figure only
                entry["muc_tieu"] = _as_number(value, entry["muc_tieu"])
            else:
                doc["targets"][name_] = _as_number(value, entry)
    if paths.resolve(doc["data"], base).resolve() != Path(cycle.data).resolve():
        doc["data"] = _relative(cycle.data, base)  # the workbook the trial was made on
    # A trial rule set renders apart from the official documents: out/<nam>/thu_nghiem/<name>/ (batch).
    if "thu_nghiem" in doc:  # a trial made from a trial: the new name
        del doc["thu_nghiem"]
    doc.insert(0, "thu_nghiem", nfc(str(name or "").strip()) or tag)
    cycle_file = src.with_name(f"{src.stem}_{tag}.yaml")
    writes[cycle_file] = _dump(y, doc, header(src, changes))
    taken = [p for p in writes if p.exists()]
    if taken:
        raise TongketError(f"Đã có tệp {', '.join(p.name for p in taken)}: hãy đặt tên khác cho bộ tiêu chí mới")
    for path, text in writes.items():
        write_text(path, text)
    reread = load_cycle(cycle_file, nam=cycle.nam)
    expected = apply(cycle, changes)
    for attr in ("rubric_chi_doan", "rubric_co_so", "muc_tieu_dat_chuan", "targets"):
        assert getattr(reread, attr) == getattr(expected, attr), attr  # Rubric equality ignores the path
    return Saved(cycle_file, list(new_rubric.values()))


__all__ = ["Knob", "Saved", "apply", "changed_units", "compare_counts", "counts", "describe", "knobs", "save",
           "trial"]
