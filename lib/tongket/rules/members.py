"""The member rating scale by period (đánh giá, xếp loại đoàn viên) as data: params/scales/doan_vien.yaml.

Each period lists its levels, best first; a level's code names its count column `so_dv_<code>` of
the chi_doan sheet (contract §6.2). The cycle may name its own file (`member_scale`), else the
bundled one is used.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..common import paths
from ..common.files import label_words, read_yaml
from ..common.schema import MEMBER_COLUMNS
from ..common.vietnamese import nfc
from ..errors import ConfigError

DEFAULT_MEMBER_SCALE = paths.PARAMS / "scales" / "doan_vien.yaml"
ASSESSED = "so_dv_duoc_danh_gia"  # members assessed this year


def column(code: str) -> str:
    """The count column of a member level ("htxs" -> "so_dv_htxs")."""
    return f"so_dv_{code}"


def rate_column(code: str) -> str:
    """The rollup's share column of a member level ("htxs" -> "ty_le_dv_htxs")."""
    return f"ty_le_dv_{code}"


@dataclass(frozen=True)
class MemberLevel:
    """One level of a member scale: its code, the label a document prints, an abbreviation."""

    code: str
    label: str
    short: str


@dataclass(frozen=True)
class MemberPeriod:
    """The years a member scale is in force (bounds included; None: open) and its levels."""

    tu_nam: int | None
    den_nam: int | None
    levels: tuple[MemberLevel, ...]
    source: str = ""

    def covers(self, nam: int) -> bool:
        """Whether the period is in force in `nam`."""
        return (self.tu_nam is None or nam >= self.tu_nam) and (self.den_nam is None or nam <= self.den_nam)

    @property
    def codes(self) -> list[str]:
        return [lv.code for lv in self.levels]

    @property
    def columns(self) -> list[str]:
        """The chi_doan count columns of its levels."""
        return [column(c) for c in self.codes]


@dataclass(frozen=True)
class MemberScale:
    """The member scale of every period, in the file's order."""

    id: str
    name: str
    periods: tuple[MemberPeriod, ...]

    def period(self, nam: int) -> MemberPeriod | None:
        """The period in force in `nam` (None: no scale covers it)."""
        return next((p for p in self.periods if p.covers(int(nam))), None)

    def levels(self, nam: int) -> tuple[MemberLevel, ...]:
        """The levels in force in `nam` (none where no period covers it)."""
        p = self.period(nam)
        return p.levels if p is not None else ()

    @property
    def all_codes(self) -> list[str]:
        """Every level code of every period, without repeats, in order."""
        return list(dict.fromkeys(c for p in self.periods for c in p.codes))

    def label(self, code: str) -> str:
        """The label of a level code, from whichever period has it."""
        return next(lv.label for p in self.periods for lv in p.levels if lv.code == code)


def _year(path: Path, v: object, key: str) -> int | None:
    if v is None or v == "":
        return None
    if isinstance(v, bool) or not isinstance(v, int):
        raise ConfigError(f"Thang xếp loại đoàn viên {path.name}: {key} «{v}» không phải năm (ví dụ 2019)")
    return v


def _label(path: Path, level: dict) -> str:
    """A member level's name, printed in the documents: words, never «None»."""
    return label_words(level.get("label"), f"Thang xếp loại đoàn viên {path.name}, mức «{level['code']}»",
                       "tên mức «label»")


@lru_cache(maxsize=8)
def _load(path: Path, stamp: float) -> MemberScale:
    raw = read_yaml(path, "thang xếp loại đoàn viên") or {}
    try:
        periods = tuple(
            MemberPeriod(_year(path, p.get("tu_nam"), "tu_nam"), _year(path, p.get("den_nam"), "den_nam"),
                         tuple(MemberLevel(str(lv["code"]), _label(path, lv), nfc(str(lv.get("short") or
                                                                                           lv["code"]).upper()))
                               for lv in p["levels"]),
                         nfc(str(p.get("source") or "")))
            for p in raw["periods"])
        scale = MemberScale(str(raw.get("id") or path.stem), nfc(str(raw.get("name") or "")), periods)
    except (KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(f"Thang xếp loại đoàn viên {path.name} thiếu hoặc sai trường: {exc}") from exc
    for p in scale.periods:
        unknown = [c for c in p.columns if c not in MEMBER_COLUMNS]
        if unknown:
            raise ConfigError(f"Thang xếp loại đoàn viên {path.name}: mức {', '.join(unknown)} không có cột tương ứng "
                              f"trong trang chi_doan (nhận: {', '.join(MEMBER_COLUMNS[1:])})")
        if not p.levels or len(set(p.codes)) != len(p.codes):
            raise ConfigError(f"Thang xếp loại đoàn viên {path.name}: mỗi giai đoạn cần các mức, không trùng mã")
    for a, b in ((a, b) for i, a in enumerate(scale.periods) for b in scale.periods[i + 1:]):
        lo = max(a.tu_nam or -10**6, b.tu_nam or -10**6)
        hi = min(a.den_nam or 10**6, b.den_nam or 10**6)
        if lo <= hi:
            raise ConfigError(f"Thang xếp loại đoàn viên {path.name}: hai giai đoạn cùng áp dụng cho năm {lo}")
    return scale


def load_member_scale(path: str | Path | None = None) -> MemberScale:
    """Load and check a member scale file (default: the bundled params/scales/doan_vien.yaml)."""
    p = Path(path) if path else DEFAULT_MEMBER_SCALE
    if not p.is_file():
        raise ConfigError(f"Không có tệp thang xếp loại đoàn viên {p}")
    return _load(p.resolve(), p.stat().st_mtime)


def member_scale_of(cycle: object) -> MemberScale:
    """The member scale a cycle names (`member_scale`), else the bundled one."""
    return getattr(cycle, "member_scale", None) or load_member_scale()


__all__ = ["ASSESSED", "DEFAULT_MEMBER_SCALE", "MemberLevel", "MemberPeriod", "MemberScale", "column", "member_scale_of",
           "load_member_scale", "rate_column"]
