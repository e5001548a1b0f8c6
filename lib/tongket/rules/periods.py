"""Rating scales by period (contract §6.3): a cycle may name a scale per year, so that a sơ kết
2018–2021 reads and writes 2018 on the 2011 scale and 2019–2021 on the 2019 scale. A move across a
change of scale goes through a mapping declared in the newer scale's file
(`tu_thang_truoc: {<older scale id>: {<old code>: <new code>, …}}`); without one the move is
unknown, never «unchanged».

In the cycle file, `scale:` is either one file (as before: nothing changes) or years from which
each file applies: `scale: {2018: scales/xep_loai_2011.yaml, 2019: scales/xep_loai_2019.yaml}`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import pandas as pd

from ..common import paths
from ..common.files import read_yaml
from ..errors import ConfigError
from .scales import Level, Scale, load_scale
from .settings import year_of


@dataclass(frozen=True)
class PeriodScale(Scale):
    """The scale in force in the cycle's year (it behaves as that scale everywhere a single scale is
    expected), knowing the scale of every other year and the mappings between them."""

    periods: tuple[tuple[int, Scale], ...] = field(default=(), compare=False)  # (first year, scale), by year
    mappings: dict = field(default_factory=dict, compare=False)  # (old id, new id) -> {old code: new code}

    def scale_of(self, year: Any) -> Scale:
        """The scale in force in `year` (before the first period: the first scale)."""
        try:
            y = int(year)
        except (TypeError, ValueError):
            return self
        found = self.periods[0][1]
        for start, scale in self.periods:
            if y >= start:
                found = scale
        return found

    def _own(self, code: str) -> Scale:
        """The first scale (the cycle year's first) that has `code`."""
        if code in self.codes:
            return self
        for _, s in self.periods:
            if code in s.codes:
                return s
        raise KeyError(code)

    def label(self, code: str) -> str:
        """The label of a code of any period's scale."""
        return Scale.label(self._own(code), code)

    def level(self, code: str) -> Level:
        """The level of a code of any period's scale."""
        return Scale.level(self._own(code), code)

    @property
    def all_codes(self) -> list[str]:
        """Every period's codes, the cycle year's first, without repeats."""
        out = list(self.codes)
        for _, s in self.periods:
            out += [c for c in s.codes if c not in out]
        return out

    def resolve(self, values: pd.Series, years: pd.Series | None = None) -> tuple[pd.Series, pd.Series]:
        """Typed ratings to codes on the scale of each row's year (`years`; none: the cycle year's)."""
        if years is None:
            return Scale.resolve(self, values)
        codes = pd.Series(pd.NA, index=values.index, dtype="object")
        unknown = pd.Series(False, index=values.index)
        for scale, rows in split(self, years):
            c, u = Scale.resolve(scale, values[rows])
            codes[rows], unknown[rows] = c, u
        return codes, unknown.astype(bool)

    def from_score(self, scores: pd.Series, frame: pd.DataFrame | None = None) -> pd.Series:
        """Ratings from scores on the scale of each row's year (`frame["nam"]`)."""
        if frame is None or "nam" not in frame:
            return Scale.from_score(self, scores, frame)
        out = pd.Series(pd.NA, index=scores.index, dtype="object")
        for scale, rows in split(self, frame["nam"]):
            out[rows] = Scale.from_score(scale, scores[rows], frame[rows])
        return out

    def mapping(self, old: Scale, new: Scale) -> dict[str, str] | None:
        """Old codes to new ones across a change of scale (identity within one scale); None if undeclared."""
        if old.id == new.id:
            return {c: c for c in new.codes}
        return self.mappings.get((old.id, new.id))

    def changes(self) -> list[tuple[int, Scale, Scale]]:
        """Each change of scale: (first year of the new scale, old scale, new scale)."""
        return [(y, a, b) for (_, a), (y, b) in zip(self.periods, self.periods[1:]) if a.id != b.id]

    def unmapped(self, years: list[int]) -> list[tuple[int, Scale, Scale]]:
        """The changes within `years` (both sides present) that no mapping covers."""
        return [(y, a, b) for y, a, b in self.changes()
                if y in years and y - 1 in years and self.mapping(a, b) is None]


def split(scale: Scale, years: pd.Series) -> list[tuple[Scale, pd.Series]]:
    """The rows of each scale in force: [(scale, mask)], one pair for a single scale."""
    if not isinstance(scale, PeriodScale):
        return [(scale, pd.Series(True, index=years.index))]
    y = pd.to_numeric(years, errors="coerce")
    chosen = y.map(lambda v: scale.scale_of(v).id if pd.notna(v) else scale.id)
    by_id = {scale.id: scale, **{s.id: s for _, s in scale.periods}}
    return [(by_id[i], chosen == i) for i in pd.unique(chosen)]


def scale_of(scale: Scale, year: Any) -> Scale:
    """The scale in force in `year` (a single scale: itself)."""
    return scale.scale_of(year) if isinstance(scale, PeriodScale) else scale


def unmapped_message(change: tuple[int, Scale, Scale]) -> str:
    """What the run says once about a change of scale without a mapping (Vietnamese)."""
    y, a, b = change
    return (f"Năm {y - 1} xếp loại theo thang «{a.name}», năm {y} theo thang «{b.name}», nhưng thang «{b.id}» "
            f"chưa khai báo cách chuyển đổi (khóa tu_thang_truoc.{a.id}): chưa so sánh được nâng bậc, hạ bậc "
            f"giữa năm {y - 1} và năm {y} (để trống, không tính là giữ nguyên)")


def unmapped_warnings(scale: Scale, years: list[int]) -> list[str]:
    """The run's warnings, one per change of scale within `years` without a mapping (none for one scale)."""
    return [unmapped_message(c) for c in scale.unmapped(years)] if isinstance(scale, PeriodScale) else []


def _mappings(files: dict[str, Path], scales: dict[str, Scale]) -> dict[tuple[str, str], dict[str, str]]:
    """`tu_thang_truoc` of every scale file, checked against the scales named by the cycle."""
    out: dict[tuple[str, str], dict[str, str]] = {}
    for new_id, path in files.items():
        given = (read_yaml(path, "thang xếp loại") or {}).get("tu_thang_truoc") or {}
        if not isinstance(given, dict):
            raise ConfigError(f"Thang xếp loại {path.name}, khóa tu_thang_truoc: cần «mã thang cũ: {{mã cũ: mã mới}}»")
        new = scales[new_id]
        for old_id, pairs in given.items():
            old = scales.get(str(old_id))
            if old is None:
                continue  # a mapping from a scale this cycle does not use
            pairs = {str(k): str(v) for k, v in (pairs or {}).items()}
            missing = [c for c in old.codes if c not in pairs]
            wrong = [f"{k} → {v}" for k, v in pairs.items() if k not in old.codes or v not in new.codes]
            if missing or wrong:
                raise ConfigError(
                    f"Thang xếp loại {path.name}, khóa tu_thang_truoc.{old_id}: "
                    + (f"thiếu mức {', '.join(missing)}; " if missing else "")
                    + (f"mã không có trong thang: {', '.join(wrong)}; " if wrong else "")
                    + f"cần một dòng cho mỗi mức của thang «{old.name}», ghi mã mức tương ứng của thang «{new.name}»")
            out[(old.id, new.id)] = pairs
    return out


def load_scales(path: Path, given: Any, base: Path, nam: int) -> Scale:
    """The cycle's `scale:` key: one file (a plain Scale, as before) or {first year: file}."""
    if not isinstance(given, dict):
        return load_scale(paths.resolve(given, base))
    files: dict[int, Path] = {}
    for k, v in given.items():
        year = year_of(path.name, "scale", k, "gõ năm bắt đầu áp dụng thang, ví dụ «2019: scales/xep_loai_2019.yaml»")
        files[year] = paths.resolve(v, base)
    if not files:
        raise ConfigError(f"Tệp tham số {path.name}, khóa scale: chưa nêu thang xếp loại nào")
    periods = tuple((y, load_scale(files[y])) for y in sorted(files))
    if len({s.id for _, s in periods}) == 1:
        return periods[0][1]  # one scale named, under years: exactly as before
    by_id = {s.id: s for _, s in periods}
    file_of = {s.id: files[y] for y, s in periods}
    current = periods[0][1]
    for y, s in periods:
        if nam >= y:
            current = s
    own = {f.name: getattr(current, f.name) for f in fields(Scale)}
    return PeriodScale(**own, periods=periods, mappings=_mappings(file_of, by_id))


__all__ = ["PeriodScale", "load_scales", "scale_of", "split", "unmapped_message", "unmapped_warnings"]
