"""Rubrics as data: criteria made of conditions on columns, combined with all/any.

A rubric is declarative YAML (no expressions are evaluated). Loading checks it and fails with the
file, the criterion and the reason. Evaluation is vectorised and explains every unmet criterion
in Vietnamese with the measured value and the threshold.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..common.files import read_yaml, shown
from ..common.schema import LOAI_HINH, label
from . import rubric_values as checks
from . import wording

OPS: dict[str, Callable[[Any, Any], Any] | None] = {
    ">=": operator.ge, ">": operator.gt, "=": operator.eq, "!=": operator.ne, "<=": operator.le, "<": operator.lt,
    "in": None}  # "in" is a membership test, not an operator
OP_ALIASES = {"≥": ">=", "≤": "<=", "≠": "!=", "==": "="}
SHOW_OP = {">=": "≥", ">": ">", "=": "=", "!=": "≠", "<=": "≤", "<": "<", "in": "thuộc"}
_KINDS, _NUMBER_KINDS, _TEXT_KINDS = checks.KINDS, checks.NUMBER_KINDS, checks.TEXT_KINDS  # (rubric_values)


@dataclass(frozen=True)
class Condition:
    """`column op value`, or `column op other` (another column)."""

    column: str
    op: str
    value: Any = None
    other: str | None = None


@dataclass(frozen=True)
class Group:
    """Conditions or groups combined with `all` or `any`."""

    mode: str  # "all" | "any"
    items: tuple[Group | Condition, ...]


@dataclass(frozen=True)
class Criterion:
    """One criterion: id, Vietnamese label, the seed it comes from, its rule, optional points."""

    id: str
    label: str
    source: str
    rule: Group
    points: float | None = None
    short: str = ""  # a short label for charts and table headers

    @property
    def short_label(self) -> str:
        return self.short or self.label


@dataclass(frozen=True)
class Rubric:
    """A set of criteria that applies to one level and some unit kinds; `result` = all met."""

    id: str
    name: str
    source: str
    cap: str
    loai_hinh: tuple[str, ...] | None
    result: str
    criteria: tuple[Criterion, ...]
    path: Path = field(default=Path("?"), compare=False)
    dac_thu: bool | None = None  # True: special units only; False: ordinary units only; None: both
    years: tuple[int | None, int | None] = (None, None)  # first and last year the rubric is in force

    def columns(self) -> set[str]:
        """Every data column the rubric reads."""
        return set().union(*(rule_columns(c.rule) for c in self.criteria))


def _parse_item(raw: Any, path: Path, where: str) -> Group | Condition:
    if not isinstance(raw, dict):
        raise checks.fail(path, where, f"mỗi điều kiện phải là một bảng khóa–giá trị, gặp «{shown(raw)}»")
    if "all" in raw or "any" in raw:
        mode = "all" if "all" in raw else "any"
        items = raw[mode]
        if "all" in raw and "any" in raw:
            raise checks.fail(path, where, "một nhóm điều kiện có cả «all» và «any»; tách thành hai nhóm lồng nhau")
        if not isinstance(items, list) or not items:
            raise checks.fail(path, where, f"«{mode}» cần một danh sách điều kiện không rỗng")
        return Group(mode, tuple(_parse_item(i, path, where) for i in items))
    col = raw.get("column")
    if not isinstance(col, str) or col not in _KINDS:
        raise checks.fail(path, where, f"cột không tồn tại «{shown(col)}»")
    checks.check_usable(col, path, where)
    op = OP_ALIASES.get(str(raw.get("op")), str(raw.get("op")))
    if op not in OPS:
        raise checks.fail(path, where, f"phép so sánh không hợp lệ «{shown(raw.get('op'))}» (nhận {', '.join(OPS)})")
    other = raw.get("other")
    if other is not None:
        if not isinstance(other, str) or other not in _KINDS:
            raise checks.fail(path, where, f"cột so sánh không tồn tại «{shown(other)}»")
        if "value" in raw:
            raise checks.fail(path, where, f"điều kiện trên cột «{col}» có cả «value» và «other»; giữ một trong hai")
        if op == "in" or _KINDS[col] not in _NUMBER_KINDS or _KINDS[other] not in _NUMBER_KINDS:
            raise checks.fail(path, where, f"so sánh cột «{col}» với cột «{other}» chỉ dùng được giữa hai cột số hoặc có/không, "
                                     "với phép so sánh khác «in»")
        return Condition(col, op, None, other)
    if "value" not in raw:
        raise checks.fail(path, where, f"điều kiện trên cột «{col}» thiếu «value» hoặc «other»")
    value = raw["value"]
    kind = _KINDS[col]
    if kind in _TEXT_KINDS:
        return Condition(col, op, checks.text_value(value, op, col, kind, path, where), None)
    if kind == "rate" and op in ("=", "!=", "in"):  # 1/3 equals no number one can type
        raise checks.fail(path, where, f"cột tỉ lệ «{col}» chỉ so sánh được bằng «>=», «>», «<=» hoặc «<» với một ngưỡng "
                                 f"(một tỉ lệ như 1/3 không bằng đúng số nào gõ được), gặp «{op}»")
    if op == "in":
        if not isinstance(value, list) or not value:
            raise checks.fail(path, where, f"phép «in» cần một danh sách giá trị không rỗng cho cột «{col}»")
        for v in value:
            checks.check_number(v, col, kind, path, where)
    else:
        checks.check_number(value, col, kind, path, where)
    return Condition(col, op, value, None)


def load_rubric(path: str | Path) -> Rubric:
    """Load and check a rubric file."""
    path = Path(path)
    raw = read_yaml(path, "bộ tiêu chí")
    if not isinstance(raw, dict):
        raise checks.fail(path, "toàn tệp", "cần một bảng khóa–giá trị")
    for key in ("id", "name", "applies_to", "result", "criteria"):
        if key not in raw:
            raise checks.fail(path, "toàn tệp", f"thiếu trường «{key}»")
    for key in ("id", "result"):  # names the kit keys the rubric and its verdict by
        if not isinstance(raw[key], str) or not raw[key].strip():
            raise checks.fail(path, "toàn tệp", f"trường «{key}» cần một mã viết liền (ví dụ dat_chuan), gặp «{shown(raw[key])}»")
    applies = raw["applies_to"] or {}
    if not isinstance(applies, dict):
        raise checks.fail(path, "applies_to", f"cần các cặp «khóa: giá trị» (ví dụ {{cap: co_so}}), gặp «{shown(applies)}»")
    cap = applies.get("cap")
    if cap not in ("chi_doan", "co_so"):
        raise checks.fail(path, "applies_to", f"cấp áp dụng không hợp lệ «{shown(cap)}»")
    loai = applies.get("loai_hinh")
    if loai is not None:
        loai = [loai] if isinstance(loai, str) else loai if isinstance(loai, list) else [loai]
        bad = [x for x in loai if not isinstance(x, str) or x not in LOAI_HINH]
        if bad:
            raise checks.fail(path, "applies_to", f"loại hình không hợp lệ «{', '.join(map(shown, bad))}» "
                                            f"(nhận {', '.join(LOAI_HINH)})")
    dac_thu = applies.get("dac_thu")
    if dac_thu is not None and not isinstance(dac_thu, bool):
        raise checks.fail(path, "applies_to", f"dac_thu phải là true/false, gặp «{shown(dac_thu)}»")
    years = applies.get("years") or {}
    start, end = (years.get("from"), years.get("to")) if isinstance(years, dict) else (True, True)
    not_year = lambda v: v is not None and (isinstance(v, bool) or not isinstance(v, int) or not 1900 <= v <= 2200)
    if not_year(start) or not_year(end) or (isinstance(start, int) and isinstance(end, int) and start > end):
        # a year is a whole number, the first not after the last
        raise checks.fail(path, "applies_to", f"years phải có dạng {{from: 2019, to: 2022}}, gặp «{shown(years)}»")
    span = (start, end)
    seen: set[str] = set()
    crits = []
    if not isinstance(raw["criteria"] or [], list):
        raise checks.fail(path, "criteria", "cần một danh sách tiêu chí (mỗi tiêu chí một dòng bắt đầu bằng «- id: …»)")
    for i, c in enumerate(raw["criteria"] or [], start=1):
        if not isinstance(c, dict):
            raise checks.fail(path, f"tiêu chí #{i}", f"mỗi tiêu chí phải là một bảng khóa–giá trị, gặp «{shown(c)}»")
        cid = str(c["id"]) if isinstance(c.get("id"), (str, int)) and not isinstance(c.get("id"), bool) else f"#{i}"
        where = f"tiêu chí «{cid}»"
        if cid in seen:
            raise checks.fail(path, where, "mã tiêu chí bị trùng")
        seen.add(cid)
        if not ("all" in c or "any" in c):
            raise checks.fail(path, where, "cần «all» hoặc «any»")
        rule = _parse_item({k: v for k, v in c.items() if k in ("all", "any")}, path, where)
        assert isinstance(rule, Group)
        crits.append(Criterion(cid, checks.words(c, "label", path, where), checks.words(c, "source", path, where, ""), rule,
                               checks.points(c.get("points"), path, where), checks.words(c, "short", path, where, "")))
    if not crits:
        raise checks.fail(path, "toàn tệp", "không có tiêu chí nào")
    return Rubric(str(raw["id"]), checks.words(raw, "name", path, "toàn tệp"), checks.words(raw, "source", path, "toàn tệp", ""), cap,
                  tuple(loai) if loai else None, str(raw["result"]), tuple(crits), path, dac_thu, span)


@dataclass
class _Eval:
    """A rule's verdict on every row: `met`, and why not as codes into `texts` (code 0: ""). Rows
    with the same reason share one text, so a national workbook words and joins each distinct
    reason once instead of once per row."""

    met: np.ndarray  # bool
    code: np.ndarray  # intp: index into texts
    texts: list[str]  # texts[0] == ""

    @property
    def why(self) -> np.ndarray:
        """The explanation of every row (object array): "" where the rule is met."""
        return np.asarray(self.texts, dtype=object)[self.code]


def _compare(op: str) -> Callable[[Any, Any], Any]:
    """The comparison function of an operator other than "in"."""
    fn = OPS[op]
    if fn is None:  # "in" is tested with isin, never through here
        raise ValueError(f"operator {op!r} is not a comparison")
    return fn


def _floats(s: pd.Series, kind: str = "") -> np.ndarray:
    """A column's values as floats, a blank as NaN (booleans as 1.0 and 0.0); a rate to 12 decimals,
    as it reads: a cell's formula =0,1+0,2 holds 0,30000000000000004, shown and meant as 30 %."""
    values = s.to_numpy(dtype="float64", na_value=np.nan)
    return np.round(values, 12) if kind == "rate" else values


def _verdict(c: Condition, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Whether a condition is met on each row, and where an input is blank (never met)."""
    kind = _KINDS[c.column]
    col = frame[c.column]
    missing = col.isna()
    # Compared as numpy floats (a blank is NaN, and NaN compares false, as a blank never meets a
    # condition); the masked arrays' own operators give the same verdicts at several times the cost.
    if c.other is not None:
        rhs = frame[c.other]
        missing = missing | rhs.isna()
        with np.errstate(invalid="ignore"):
            met = _compare(c.op)(_floats(col, kind), _floats(rhs, _KINDS[c.other]))
    elif c.op == "in" or kind in _TEXT_KINDS:  # text is only tested for equality
        met = col.isin(c.value if c.op == "in" else [c.value]).fillna(False).to_numpy(dtype=bool)
        if c.op == "!=":
            met = ~met
    else:
        value = float(c.value) if kind != "bool" or isinstance(c.value, bool) else c.value
        with np.errstate(invalid="ignore"):
            met = _compare(c.op)(_floats(col, kind), value)
    miss = missing.to_numpy(dtype=bool)
    return np.asarray(met, dtype=bool) & ~miss, miss


def _eval_condition(c: Condition, frame: pd.DataFrame, need: np.ndarray | None = None,
                    verdict: tuple[np.ndarray, np.ndarray] | None = None) -> _Eval:
    """A condition's verdict and reasons; reasons are worded only on the rows of `need` (None:
    every row; elsewhere code 0), `verdict`: `_verdict`'s, when the caller has it already."""
    kind = _KINDS[c.column]
    col = frame[c.column]
    name = label(c.column)
    met_, miss = _verdict(c, frame) if verdict is None else verdict
    code = np.zeros(len(frame), dtype=np.intp)
    texts = [""]
    fail = ~met_ & ~miss
    if need is not None:
        fail &= need
        miss = miss & need
    failing = np.flatnonzero(fail)
    if len(failing):  # explain only the rows that fail: each distinct (value, other value) worded once
        shown, values = wording.worded(col.array.take(failing), kind)
        if c.other is not None:
            other, others = wording.worded(frame[c.other].array.take(failing), _KINDS[c.other])
        else:
            other, others = np.zeros(len(shown), dtype=np.intp), np.array([""], dtype=object)
        at, pairs = pd.factorize(shown * len(others) + other)  # numbered as first met, as `_join` numbers
        texts += [wording.chua_dat(name, kind, c.op, c.value, values[p // len(others)],
                                   None if c.other is None else label(c.other), others[p % len(others)])
                  for p in pairs]
        code[failing] = 1 + at
    if miss.any():
        texts.append(wording.thieu(name, None if c.other is None else label(c.other)))
        code[miss] = len(texts) - 1
    return _Eval(met_, code, texts)


def _join(parts: list[tuple[np.ndarray, np.ndarray, list[str]]], sep: str, n: int) -> tuple[np.ndarray, list[str]]:
    """Join texts with `sep`, each part (mask, codes, texts) adding its text to the rows of its
    mask. In code space: a row's joined text depends only on the codes it has met so far, so each
    distinct combination is joined once (most rows meet every criterion; the rest share reasons)."""
    code = np.zeros(n, dtype=np.intp)  # 0: no part has written (a written row's code is at least 1)
    texts = [""]
    for mask, part, words in parts:
        rows = np.flatnonzero(mask)
        if not len(rows):
            continue
        # A masked row's state: its text so far (`sep` first when a part has written), the new part.
        key = code[rows] * len(words) + part[rows]
        at, combos = pd.factorize(key)  # numbered as first met: a row's text does not depend on the numbering
        base = len(texts)
        for k in combos.tolist():
            before, w = divmod(k, len(words))
            texts.append((texts[before] + sep if before else "") + words[w])
        code[rows] = base + at
    return code, texts


def _met(item: Group | Condition, frame: pd.DataFrame) -> np.ndarray:
    """Whether a rule or condition holds on each row (no reasons)."""
    if isinstance(item, Condition):
        return _verdict(item, frame)[0]
    mets = [_met(i, frame) for i in item.items]
    return np.logical_and.reduce(mets) if item.mode == "all" else np.logical_or.reduce(mets)


def _eval_group(g: Group, frame: pd.DataFrame, need: np.ndarray | None = None) -> _Eval:
    """A rule's verdict and reasons, worded only on the rows of `need` (None: every row) where the
    rule fails: an alternative of «any» that fails on most rows is worded only where every
    alternative fails."""
    verdicts = [None if isinstance(i, Group) else _verdict(i, frame) for i in g.items]
    mets = [_met(i, frame) if v is None else v[0] for i, v in zip(g.items, verdicts, strict=True)]
    met = np.logical_and.reduce(mets) if g.mode == "all" else np.logical_or.reduce(mets)
    failed = ~met if need is None else ~met & need
    evals = [_eval_group(i, frame, failed & ~m) if isinstance(i, Group) else _eval_condition(i, frame, failed & ~m, v)
             for i, v, m in zip(g.items, verdicts, mets, strict=True)]
    code, texts = _join([(failed & ~e.met, e.code, e.texts) for e in evals], ", " if g.mode == "all" else " và ",
                        len(frame))
    return _Eval(met, code, texts)


def applicable(rubric: Rubric, frame: pd.DataFrame) -> pd.Series:
    """Rows the rubric applies to: its unit kinds, special or not, and its years."""
    ok = pd.Series(True, index=frame.index)
    if rubric.loai_hinh is not None:
        ok &= frame["loai_hinh"].isin(rubric.loai_hinh).fillna(False).astype(bool)
    if rubric.dac_thu is not None and "dac_thu" in frame:
        ok &= (frame["dac_thu"].fillna(False).astype(bool) == rubric.dac_thu)
    first, last = rubric.years
    if first is not None:
        ok &= (frame["nam"] >= first).fillna(False).astype(bool)
    if last is not None:
        ok &= (frame["nam"] <= last).fillna(False).astype(bool)
    return ok


def parse_rule(raw: Any, path: Path, where: str) -> Group:
    """A rule (all/any of conditions) from YAML, for rubrics, scales and score sheets."""
    item = _parse_item(raw, path, where)
    return item if isinstance(item, Group) else Group("all", (item,))


def holds(rule: Group, frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Whether a rule holds on each row (blank inputs: no) and why not, in Vietnamese."""
    e = _eval_group(rule, _with_columns(rule_columns(rule), frame))
    return pd.Series(e.met, index=frame.index), pd.Series(e.why, index=frame.index, dtype=object)


def _with_columns(columns: set[str], frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with every column a rule reads: one the workbook does not have reads as blank cells
    (its conditions are never met, and their reasons say the figure is missing)."""
    absent = [c for c in columns if c not in frame.columns]
    if not absent:
        return frame
    return frame.assign(**{c: pd.Series(pd.NA, index=frame.index, dtype="Float64") for c in sorted(absent)})


def rule_columns(rule: Group) -> set[str]:
    out: set[str] = set()
    for it in rule.items:
        if isinstance(it, Group):
            out |= rule_columns(it)
        else:
            out |= {it.column} | ({it.other} if it.other else set())
    return out


def evaluate(rubric: Rubric, frame: pd.DataFrame) -> pd.DataFrame:
    """Every criterion (nullable bool, empty where the rubric does not apply), the result column
    (all criteria met) and `ly_do`: the unmet criteria with measured values and thresholds."""
    frame = _with_columns(rubric.columns(), frame)
    apply = applicable(rubric, frame)
    out = pd.DataFrame(index=frame.index)
    reasons = []
    applies = apply.to_numpy(dtype=bool)
    mets = []
    for c in rubric.criteria:
        e = _eval_group(c.rule, frame, applies)  # reasons only where the rubric applies
        mets.append(e.met & applies)
        out[c.id] = pd.arrays.BooleanArray(mets[-1], ~applies)  # blank where the rubric does not apply
        prefix = f"{wording.ten_tieu_chi(c.id)} ({c.label}): "
        reasons.append((applies & ~e.met, e.code + 1, ["", *(prefix + t for t in e.texts)]))
    all_met = np.logical_and.reduce(mets)
    out[rubric.result] = pd.arrays.BooleanArray(all_met, ~applies)
    code, texts = _join(reasons, "; ", len(frame))
    out["ly_do"] = pd.Series(np.asarray(texts, dtype=object)[code], index=frame.index, dtype=object)
    return out


def _flat(item: Group | Condition) -> list[Condition]:
    return [c for i in item.items for c in _flat(i)] if isinstance(item, Group) else [item]


def conditions(item: Group | Condition) -> list[Condition]:
    """Every condition of a rule, depth-first (the order the what-if numbers its thresholds in)."""
    return _flat(item)


def explain(rubric: Rubric, frame: pd.DataFrame, keys: tuple[str, ...] = ("ma_don_vi", "nam")) -> pd.DataFrame:
    """Every condition of every criterion for every row, met or not: the measured value, the
    threshold and the verdict in Vietnamese (a long table, for one unit or all the units of a reporting unit)."""
    apply = applicable(rubric, frame)
    rows = _with_columns(rubric.columns(), frame[apply])
    parts = []
    for crit in rubric.criteria:
        met_crit = _eval_group(crit.rule, rows).met
        for cond in _flat(crit.rule):
            col = rows[cond.column]
            e = _eval_condition(cond, rows)
            kind = _KINDS[cond.column]
            shown = wording.texts(col, kind).replace("", "trống (chưa có số liệu)")
            if cond.other is not None:
                thr = wording.yeu_cau(cond.op, None, kind, label(cond.other)) + " (" + \
                    wording.texts(rows[cond.other], _KINDS[cond.other]) + ")"
            else:
                thr = pd.Series(wording.yeu_cau(cond.op, cond.value, kind), index=rows.index)
            parts.append(pd.DataFrame({
                **{k: rows[k].to_numpy() for k in keys if k in rows},
                "tieu_chi": crit.id, "ten_tieu_chi": crit.label, "nguon": crit.source,
                "chi_so": wording.ten_chi_so(label(cond.column)), "gia_tri": shown.to_numpy(), "yeu_cau": thr.to_numpy(),
                "dat_dieu_kien": np.where(e.met, "Đạt", "Không đạt"),
                "dat_tieu_chi": np.where(met_crit, "Đạt", "Không đạt"),
            }))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
