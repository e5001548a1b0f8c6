"""Special units' progress by quarter (sheet `dac_thu_tien_do`, contract §6.5) [003]: each unit's
quarters as its work team judged them, «công nhận tiến bộ» by the rule the cycle declares, and the
Đoàn cơ sở suggested for next year's list from this year's ratings.

The rule lives in the cycle file, section `dac_thu` (every key optional):

    dac_thu:
      cong_nhan_tien_bo:
        so_quy_toi_thieu: 2     # progress recognised in at least this many quarters of the year
        hoac_nang_bac: true     # or: the unit's rating moved up this year
      de_xuat_nam_sau: [kht]    # levels whose Đoàn cơ sở are suggested as special units next year

A quarter left blank (or a unit without rows) is "not judged", never "no progress": it counts
neither way, and the documents say so."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from ..common.files import read_yaml, shown
from ..errors import ConfigError
from ..rules.scales import Scale
from .assess import Results

SHEET = "dac_thu_tien_do"
QUARTERS = (1, 2, 3, 4)


@dataclass(frozen=True)
class Rule:
    """When a special unit's progress is recognised, and which units are suggested for next year."""

    so_quy_toi_thieu: int = 2
    hoac_nang_bac: bool = True
    de_xuat_nam_sau: tuple[str, ...] | None = None  # None: the scale's lowest level


@lru_cache(maxsize=16)
def _read(path: Path, _stamp: tuple[int, int]) -> dict[str, Any]:
    raw = read_yaml(path, "tệp tham số") or {}
    return raw.get("dac_thu") or {} if isinstance(raw, dict) else {}


def rule(cycle: Any) -> Rule:
    """The cycle's rule (section `dac_thu` of its file), checked; defaults where it says nothing."""
    path = Path(cycle.path)
    given = _read(path, (path.stat().st_mtime_ns, path.stat().st_size)) if path.is_file() else {}
    where = f"Tệp tham số {path.name}, khóa dac_thu"
    if not isinstance(given, dict):
        raise ConfigError(f"{where}: cần các cặp «khóa: giá trị», gặp «{shown(given)}»")
    cn = given.get("cong_nhan_tien_bo") or {}
    if not isinstance(cn, dict):
        raise ConfigError(f"{where}.cong_nhan_tien_bo: cần các cặp «khóa: giá trị», gặp «{shown(cn)}»")
    n = cn.get("so_quy_toi_thieu", 2)
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 4:
        raise ConfigError(f"{where}.cong_nhan_tien_bo.so_quy_toi_thieu: cần số nguyên từ 1 đến 4, gặp «{shown(n)}»")
    up = cn.get("hoac_nang_bac", True)
    if not isinstance(up, bool):
        raise ConfigError(f"{where}.cong_nhan_tien_bo.hoac_nang_bac: cần true hoặc false, gặp «{shown(up)}»")
    levels = given.get("de_xuat_nam_sau")
    if levels is not None:
        levels = [levels] if isinstance(levels, str) else levels
        known = set(cycle.scale.codes)
        bad = [str(x) for x in levels if str(x) not in known]
        if bad:
            raise ConfigError(f"{where}.de_xuat_nam_sau: mức «{', '.join(bad)}» không có trong thang "
                              f"«{cycle.scale.name}» ({', '.join(cycle.scale.codes)})")
        levels = tuple(str(x) for x in levels)
    return Rule(n, up, levels)


def quarters(sheet: pd.DataFrame | None, codes: list[str], nam: int) -> pd.DataFrame:
    """One row per unit of `codes`: q1…q4 (True, False, or NA when not judged), the quarters judged
    (`so_quy_danh_gia`), those with progress (`so_quy_tien_bo`, NA when none was judged) and the
    notes of each quarter (`ghi_chu_1`…)."""
    cols = [f"q{q}" for q in QUARTERS] + [f"ghi_chu_{q}" for q in QUARTERS]
    # None, not NaN, in every cell no row fills: a missing note must read as missing, never as "nan"
    out = pd.DataFrame({c: [None] * len(codes) for c in cols}, index=pd.Index(codes, name="ma_don_vi"), dtype=object)
    if sheet is not None and len(sheet):
        rows = sheet[(sheet["nam"] == nam) & sheet["ma_don_vi"].isin(codes) & sheet["quy"].notna()]
        rows = rows.drop_duplicates(["ma_don_vi", "quy"], keep=False)  # a duplicate is an error: not used
        for r in rows.itertuples():
            out.at[r.ma_don_vi, f"q{int(r.quy)}"] = None if pd.isna(r.tien_bo) else bool(r.tien_bo)
            note = getattr(r, "ghi_chu", None)
            out.at[r.ma_don_vi, f"ghi_chu_{int(r.quy)}"] = None if note is None or pd.isna(note) else str(note)
    judged = out[[f"q{q}" for q in QUARTERS]].map(lambda v: isinstance(v, bool))
    yes = out[[f"q{q}" for q in QUARTERS]].map(lambda v: v is True)
    out["so_quy_danh_gia"] = judged.sum(axis=1).astype("Int64")
    out["so_quy_tien_bo"] = yes.sum(axis=1).astype("Int64").where(out["so_quy_danh_gia"] > 0)
    return out


def has_first_half(sheet: pd.DataFrame | None, codes: pd.Series, nam: int) -> bool:
    """Whether the sheet has rows of quarter I or II of `nam` for any of these Đoàn cơ sở."""
    if sheet is None or not len(sheet):
        return False
    rows = sheet[(sheet["nam"] == nam) & sheet["quy"].isin([1, 2])]
    return bool(rows["ma_don_vi"].isin(codes).any())


def special_units(results: Results, sheet: pd.DataFrame | None, scale: Scale, nam: int, how: Rule) -> pd.DataFrame:
    """The special Đoàn cơ sở of `results` (a reporting unit's view, or the province): work team,
    rating last year and this year, each quarter, and whether progress is recognised by the rule
    (`cong_nhan`), with why (`ly_do`: quarters, rating moved up, both)."""
    from .special import tracker

    t = tracker(results, scale, nam)
    q = quarters(sheet, list(t["ma_don_vi"]), nam)
    t = t.join(q, on="ma_don_vi")
    by_quarters = t["so_quy_tien_bo"].fillna(0).astype(int) >= how.so_quy_toi_thieu
    moved_up = (t["bien_dong"] == "nang_bac").fillna(False).astype(bool) & how.hoac_nang_bac
    t["theo_quy"], t["nang_bac"] = by_quarters.astype(bool), moved_up.astype(bool)
    t["cong_nhan"] = t["theo_quy"] | t["nang_bac"]
    return t


def candidates(co_so: pd.DataFrame, scale: Scale, nam: int, how: Rule) -> pd.DataFrame:
    """Đoàn cơ sở rated this year at the rule's levels (default: the scale's lowest), suggested as
    special units next year; `dang_dac_thu` marks those already special (to keep on the list)."""
    levels = how.de_xuat_nam_sau or (scale.codes[-1],)
    cs = co_so[(co_so["nam"] == nam) & co_so["xep_loai"].isin(levels)].drop_duplicates("ma_don_vi")
    out = cs[["ma_don_vi", "ten_don_vi", "xep_loai"]].copy()
    out["dang_dac_thu"] = cs["dac_thu"].fillna(False).astype(bool) if "dac_thu" in cs else False
    return out.reset_index(drop=True)
