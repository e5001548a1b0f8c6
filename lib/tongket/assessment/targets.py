"""Targets of the reporting units and the province [000, 001]: target, actual, met, and the units that miss it."""

from __future__ import annotations

import pandas as pd

from ..common.schema import TEN_CHI_TIEU
from ..common.vietnamese import phan_tram, sort_key
from ..rules.params import Cycle
from .assess import Results
from .periods import guard


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


def targets(results: Results, cycle: Cycle, nam: int, only: list[str] | None = None) -> pd.DataFrame:
    """One row per reporting unit (district, or Đoàn cơ sở when the cycle reports per Đoàn cơ sở;
    and the province) and target, for year `nam`; `only` some units."""
    one = only[0] if only is not None and len(only) == 1 and not (results.tinh["ma_don_vi"] == only[0]).any() \
        else None
    year = (results if one is None else results.of_unit(one)).year(nam)  # one unit: its rows, not the province's
    rows = []
    units = pd.concat([year.bao_cao.assign(cap=results.cap_bao_cao), year.tinh.assign(cap="tinh")],
                      ignore_index=True)
    g = guard(cycle, nam)  # the ladder of «no unit at or above the guard level moves down» [000]
    co_so = qualify(year.co_so, results)[["ma_don_vi", "ma_bao_cao", "ma_tinh", "ten_don_vi", "so_chi_doan_dan_cu", "dat_muc_tieu", "ty_le_dat_chuan",
                        "_ha_bac_bao_ve", "xep_loai", "xep_loai_nam_truoc", "dot_cao_diem"]
                       + [c for c in (g.flag, g.prev, g.now) if "thi_dua" in c]]  # the rows' few columns
    if only is not None:
        units = units[units["ma_don_vi"].isin(only)]
    for u in units.itertuples():
        key = "ma_tinh" if u.cap == "tinh" else "ma_bao_cao"
        cs = co_so[co_so[key] == u.ma_don_vi]
        muc_tieu = cycle.muc_tieu(nam)
        communes = cs[cs["so_chi_doan_dan_cu"] > 0]
        below = communes[~communes["dat_muc_tieu"].fillna(False).astype(bool)]
        down = cs[cs[g.flag].astype(bool)]
        goal = phan_tram(muc_tieu or 0, 0)
        # key, name, target, actual, operator, the units the list names, what those units are
        checks = [
            ("ty_le_dat_chuan", TEN_CHI_TIEU["ty_le_dat_chuan"], muc_tieu, u.ty_le_dat_chuan, ">=", "",
             ""),
            ("ty_le_duoc_xep_loai", TEN_CHI_TIEU["ty_le_duoc_xep_loai"], cycle.targets.get("ty_le_duoc_xep_loai"),
             u.ty_le_duoc_xep_loai, ">=", _names(cs[cs["xep_loai"].isna()]), "Đoàn cơ sở chưa được đánh giá, xếp loại"),
            ("ty_le_nang_bac", TEN_CHI_TIEU["ty_le_nang_bac"], cycle.targets.get("ty_le_nang_bac"),
             u.ty_le_nang_bac, ">=", "", ""),
            ("so_ha_bac", g.name, cycle.targets.get("so_ha_bac"), getattr(u, g.rollup), "<=",
             _names(down, down[g.prev].map(g.scale.label) + " → " + down[g.now].map(g.scale.label)), g.name),
            ("ty_le_dot_cao_diem", TEN_CHI_TIEU["ty_le_dot_cao_diem"],
             cycle.targets.get("ty_le_dot_cao_diem"), u.ty_le_dot_cao_diem, ">=",
             _names(cs[~cs["dot_cao_diem"].fillna(False).astype(bool)]),
             "Đoàn cơ sở chưa thực hiện đợt cao điểm đúng tiến độ"),
            ("muc_tieu_giai_doan", f"Đoàn cơ sở (xã, phường) có từ {goal} chi đoàn dân cư đạt chuẩn",
             None if muc_tieu is None else 1.0,
             (len(communes) - len(below)) / len(communes) if len(communes) else None, ">=",
             _names(below, below["ty_le_dat_chuan"].map(phan_tram)),
             f"Đoàn cơ sở (xã, phường) chưa đạt {goal} chi đoàn dân cư đạt chuẩn"),
        ]
        if u.cap == "co_so":  # a Đoàn cơ sở reporting on its own: the targets over Đoàn cơ sở do not apply
            checks = checks[:1]
        for key_, name, target, actual, op, missing, listed in checks:
            if target is None:
                continue
            met = None if actual is None or pd.isna(actual) else (
                actual >= target - 1e-12 if op == ">=" else actual <= target)
            rows.append({"ma_don_vi": u.ma_don_vi, "ten_don_vi": u.ten_don_vi, "nam": nam, "chi_tieu": key_,
                         "ten_chi_tieu": name, "muc_tieu": target, "thuc_hien": actual, "dat": met,
                         "don_vi_chua_dat": missing, "danh_sach": listed})
    return pd.DataFrame(rows)
