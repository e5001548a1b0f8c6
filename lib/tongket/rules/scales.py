"""Rating scales (xếp loại) as data: ordered levels, labels, accepted abbreviations, score bands,
guard level. The review cycle names the scale in force (params/scales/*.yaml)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..common.files import label_words, read_yaml, shown
from ..common.vietnamese import fold, nfc, phan_tram, words_typed
from ..errors import ConfigError
from .rubric import Group, holds, parse_rule


@dataclass(frozen=True)
class Level:
    """One grade of a scale: reached with at least `min_score` and, where given, `conditions`."""

    code: str
    label: str
    aliases: tuple[str, ...]
    min_score: float | None
    conditions: Group | None = None

    @property
    def short(self) -> str:
        """The usual abbreviation (the first alias), for tables."""
        return self.aliases[0] if self.aliases else self.code.upper()


@dataclass(frozen=True)
class Scale:
    """An ordered rating scale, best level first."""

    id: str
    name: str
    levels: tuple[Level, ...]
    guard: str  # units rated at or above this level the year before must not move down [000]
    source: str = ""
    period: str = ""  # the years the scale is in force, as text ("2019–2027")
    cap: dict | None = None  # {level, of, max_share}: a configurable check that warns, never blocks

    @property
    def codes(self) -> list[str]:
        return [lv.code for lv in self.levels]

    def rank(self, code: str) -> int:
        """Higher is better: the worst level is 1."""
        return len(self.levels) - self.codes.index(code)

    def level(self, code: str) -> Level:
        """The level of a code."""
        return next(lv for lv in self.levels if lv.code == code)

    def label(self, code: str) -> str:
        """The full Vietnamese label of a level."""
        return next(lv.label for lv in self.levels if lv.code == code)

    def _lookup(self) -> dict[str, str]:
        table: dict[str, str] = {}
        for lv in self.levels:
            for text in (lv.code, lv.label, *lv.aliases):
                table[fold(text)] = lv.code
        return table

    def resolve(self, values: pd.Series) -> tuple[pd.Series, pd.Series]:
        """Typed ratings to codes; returns (codes, mask of values that matched no level)."""
        table = self._lookup()
        present = values.notna() & (values.astype(str).str.strip() != "")
        folded = values[present].astype(str).map(fold)
        codes = pd.Series(pd.NA, index=values.index, dtype="object")
        codes[present] = folded.map(table)
        unknown = present & codes.isna()
        return codes, unknown

    def from_score(self, scores: pd.Series, frame: pd.DataFrame | None = None) -> pd.Series:
        """Ratings from scores (vectorised): the best level whose minimum the score reaches and
        whose conditions hold on the row of `frame` (a blank condition does not hold)."""
        s = pd.to_numeric(scores, errors="coerce")
        blank = s.isna().to_numpy(dtype=bool)
        if blank.all():  # no score at all (branches without a score sheet): nothing to rate
            return pd.Series(pd.NA, index=scores.index, dtype="object")
        conds = []
        for lv in self.levels:
            ok = pd.Series(True, index=scores.index) if lv.min_score is None else (s >= lv.min_score).fillna(False)
            if lv.conditions is not None:
                ok = ok & holds(lv.conditions, frame if frame is not None else pd.DataFrame(index=scores.index))[0]
            conds.append(ok.to_numpy(dtype=bool))
        # Each row's level as a position (the last level by default), then its code by one take.
        at = np.select(conds, np.arange(len(self.levels)), default=len(self.levels) - 1)
        out = np.array([lv.code for lv in self.levels], dtype=object)[at]
        out[blank] = pd.NA
        return pd.Series(out, index=scores.index, dtype="object")

    def cap_warnings(self, codes: pd.Series, where: str) -> list[str]:
        """The cap check ("htxs at most 20 % of htt"): a warning where it is exceeded, never an error."""
        if not self.cap:
            return []
        top, of, share = self.cap["level"], self.cap["of"], float(self.cap["max_share"])
        n_top, n_of = int((codes == top).sum()), int((codes == of).sum())
        if n_top <= share * n_of:
            return []
        return [f"{where}: {n_top} đơn vị «{self.label(top)}» vượt mức trần {phan_tram(share, 0)} của {n_of} đơn vị "
                f"«{self.label(of)}» (tối đa {int(share * n_of)}) — chỉ cảnh báo, không chặn"]

    def ranks(self, codes: pd.Series) -> pd.Series:
        """Numeric rank of each code (NA where not rated)."""
        table = {c: self.rank(c) for c in self.codes}
        return codes.map(table).astype("Float64")


def _label(path: Path, level: dict) -> str:
    """A level's name, printed wherever a unit's rating is: words, never «None»."""
    return label_words(level.get("label"), f"Thang xếp loại {path.name}, mức «{level['code']}»",
                       "tên mức «label» (in trong văn bản)")


def load_scale(path: str | Path) -> Scale:
    """Load and check a scale file."""
    path = Path(path)
    raw = read_yaml(path, "thang xếp loại")
    fail = lambda where, why: ConfigError(f"Thang xếp loại {path.name}{where}: {why}")
    if not isinstance(raw, dict) or not isinstance(raw.get("levels"), list) or not raw["levels"]:
        raise fail("", "cần các trường id, name, guard và levels (danh sách các mức, mức tốt nhất trước)")
    for key in ("id", "name", "guard"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise fail("", f"thiếu trường «{key}» (chữ), gặp «{shown(raw.get(key))}»")
    for i, lv in enumerate(raw["levels"], start=1):  # each level's fields as typed, before any is read
        if not isinstance(lv, dict) or not isinstance(lv.get("code"), str) or not lv["code"].strip():
            raise fail(f", mức #{i}", f"cần dạng {{code: …, label: …}}, gặp «{shown(lv)}»")
        aliases, low = lv.get("aliases", []), lv.get("min_score")
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            raise fail(f", mức «{lv['code']}»", f"aliases phải là danh sách chữ (ví dụ [HTXSNV, Xuất sắc]), gặp «{shown(aliases)}»")
        if low is not None and (isinstance(low, bool) or not isinstance(low, (int, float)) or not math.isfinite(low)):
            raise fail(f", mức «{lv['code']}»", f"min_score phải là số điểm, gặp «{shown(low)}»")
    levels = tuple(
        Level(str(lv["code"]), _label(path, lv), tuple(nfc(str(a)) for a in lv.get("aliases", [])),
              None if lv.get("min_score") is None else float(lv["min_score"]),
              parse_rule(lv["conditions"], path, f"mức «{lv['code']}»") if lv.get("conditions") else None)
        for lv in raw["levels"]
    )
    said = [a for lv in levels for a in {fold(x) for x in (lv.code, lv.label, *lv.aliases)} if a]  # each level once
    twice = sorted({a for a in said if said.count(a) > 1})
    if twice:  # one typed rating would read as two levels
        raise fail("", f"một tên gọi dùng cho hai mức ({', '.join(twice)}): mỗi mã, tên và tên khác chỉ thuộc một mức")
    scale = Scale(str(raw["id"]), words_typed(raw["name"]) or path.stem, levels, str(raw["guard"]),
                  nfc(str(raw.get("source") or "")), nfc(str(raw.get("period") or "")), raw.get("cap"))
    scores = [(lv.code, lv.min_score) for lv in scale.levels if lv.min_score is not None]
    for code, m in scores:
        if m < 0 or m > 100:
            raise ConfigError(f"Thang xếp loại {path.name}, mức «{code}»: min_score «{m:g}» nằm ngoài 0–100. "
                              "Cách sửa: gõ điểm tối thiểu của mức, từ 0 đến 100")
    for (hi, a), (lo, b) in zip(scores, scores[1:]):
        if b >= a:
            raise ConfigError(f"Thang xếp loại {path.name}, mức «{lo}»: min_score {b:g} không nhỏ hơn của mức «{hi}» "
                              f"đứng trên ({a:g}); các mức phải xếp từ cao xuống thấp. Cách sửa: sắp lại các mức "
                              "(mức tốt nhất trước) hoặc sửa điểm tối thiểu để giảm dần")
    if scale.guard not in scale.codes:
        raise ConfigError(f"Thang xếp loại {path.name}: mức bảo vệ «{scale.guard}» không có trong thang")
    if len(set(scale.codes)) != len(scale.codes):
        raise ConfigError(f"Thang xếp loại {path.name}: mã mức bị trùng")
    if scale.cap and not {scale.cap.get("level"), scale.cap.get("of")} <= set(scale.codes):
        raise ConfigError(f"Thang xếp loại {path.name}: mức trần «cap» phải nêu level và of là mã mức trong thang")
    share = scale.cap.get("max_share") if scale.cap else 0
    if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 <= share <= 1:
        raise ConfigError(f"Thang xếp loại {path.name}, khóa cap.max_share: «{share}» không phải tỉ lệ từ 0 đến 1. "
                          "Cách sửa: gõ ví dụ 0.2 cho 20 %")
    return scale
