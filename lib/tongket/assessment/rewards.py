"""Who is proposed for commendation [001 III]: the cycle's `khen_thuong` rule applied to the year's
Đoàn cơ sở, with the reason per unit in words. The figures are the year-end report's own (its
rating, its branches up to standard, "3 chủ động"), so a unit on the list agrees with that report."""

from __future__ import annotations

import pandas as pd

from ..common.vietnamese import diem, is_missing, order_by_name, phan_tram, so
from ..rules.rewards import RewardRule
from ..rules.scales import Scale
from .assess import Results

COLUMNS = ["ma_don_vi", "ten_don_vi", "ma_bao_cao", "nam", "xep_loai", "diem", "so_chi_doan_dan_cu",
           "so_chi_doan_dat_chuan", "ty_le_dat_chuan", "ba_chu_dong", "de_nghi", "thanh_tich", "ly_do"]


def _branches(row: pd.Series, note: str | None = None) -> str:
    return (f"{so(row['so_chi_doan_dat_chuan'])}/{so(row['so_chi_doan_dan_cu'])} chi đoàn trên địa bàn dân cư "
            f"đạt chuẩn ({phan_tram(row['ty_le_dat_chuan'])}" + (f"; {note})" if note else ")"))


def _verification(chi_doan: pd.DataFrame) -> tuple[dict[str, str], dict[str, str]]:
    """Per Đoàn cơ sở, its branches that failed their verification (the unit is out) and those
    drawn that await their result (named beside its achievements) [001 III.2]."""
    if "tham_dinh" not in chi_doan.columns:
        return {}, {}
    failed, waiting = {}, {}
    verdict = chi_doan["tham_dinh"]
    counts = pd.DataFrame({"ma_co_so": chi_doan["ma_co_so"], "failed": (verdict == "chua_dat").fillna(False),
                           "waiting": (verdict == "cho_ket_qua").fillna(False)}).groupby("ma_co_so").sum()
    for code, n_failed, n_waiting in zip(counts.index, counts["failed"].astype(int), counts["waiting"].astype(int)):
        if n_failed:
            failed[str(code)] = f"{so(n_failed)} chi đoàn thẩm định chưa đạt"
        if n_waiting:
            waiting[str(code)] = f"{so(n_waiting)} chi đoàn được chọn thẩm định ngẫu nhiên đang chờ kết quả"
    return failed, waiting


def _judge(row: pd.Series, rule: RewardRule, scale: Scale, nam: int,
           checked: tuple[dict[str, str], dict[str, str]]) -> tuple[list[str], list[str]]:
    """What the unit achieved (words) and which conditions it misses (words)."""
    good, miss = [], []
    if rule.ba_chu_dong:
        ba = row["ba_chu_dong"]
        if is_missing(ba):
            miss.append("chưa có số liệu “3 chủ động”")
        elif bool(ba):
            good.append("đạt tiêu chí Đoàn cơ sở “3 chủ động”")
        else:
            miss.append("chưa đạt tiêu chí “3 chủ động”")
    if rule.chi_doan_dat_chuan is not None:
        n = row["so_chi_doan_dan_cu"]
        if is_missing(n) or n == 0:  # none counted: none in the tree, or none of them sent a row
            unsent = row.get("_dan_cu_chua_gui")
            miss.append("chi đoàn trên địa bàn dân cư chưa gửi số liệu" if not is_missing(unsent) and unsent else
                        "không có chi đoàn trên địa bàn dân cư")
        elif is_missing(row["ty_le_dat_chuan"]):
            miss.append("chưa có số liệu chi đoàn trên địa bàn dân cư")
        elif row["ty_le_dat_chuan"] + 1e-12 >= rule.chi_doan_dat_chuan:
            waiting = checked[1].get(str(row["ma_don_vi"]))
            good.append(_branches(row, waiting))
        else:
            want = "mọi chi đoàn" if rule.chi_doan_dat_chuan == 1 else f"từ {phan_tram(rule.chi_doan_dat_chuan, 0)}"
            miss.append(f"{_branches(row)}, chưa đạt yêu cầu {want}")
        if str(row["ma_don_vi"]) in checked[0]:
            miss.append(checked[0][str(row["ma_don_vi"])])
    xl = row["xep_loai"]
    rated = f"xếp loại “{scale.label(xl)}” năm {nam}" if isinstance(xl, str) else ""
    if not isinstance(xl, str):
        miss.append(f"chưa được xếp loại năm {nam}")
    elif xl in rule.xep_loai:
        good.append(rated + (f" ({diem(row['diem'])} điểm)" if not is_missing(row["diem"]) else ""))
    else:
        miss.append(rated)
    if rule.diem_toi_thieu is not None:
        if is_missing(row["diem"]):
            miss.append("chưa có điểm đánh giá")
        elif float(row["diem"]) < rule.diem_toi_thieu:
            miss.append(f"{diem(row['diem'])} điểm, dưới mức {diem(rule.diem_toi_thieu)} điểm")
    return good, miss


def proposals(results: Results, rule: RewardRule, scale: Scale, nam: int) -> pd.DataFrame:
    """Every Đoàn cơ sở of `results` in `nam` judged by the rule: `de_nghi` (proposed), its
    achievements in words (`thanh_tich`) and, where it is not proposed, why (`ly_do`). Within each
    reporting unit, at most `so_luong_toi_da` are proposed, by score (highest first, then name),
    and then listed in that order (else by name); the proposed first."""
    year = results.year(nam)
    cs = year.co_so
    checked = _verification(year.chi_doan)
    rows = []
    for _, row in cs.iterrows():
        good, miss = _judge(row, rule, scale, nam, checked)
        rows.append({**{c: row.get(c) for c in COLUMNS[:10]}, "de_nghi": not miss,
                     "thanh_tich": "; ".join(good), "ly_do": "; ".join(miss)})
    out = pd.DataFrame(rows, columns=COLUMNS)
    if rule.so_luong_toi_da is not None and len(out):
        score = pd.to_numeric(out["diem"], errors="coerce").fillna(-1)
        out = out.assign(_s=-score).iloc[order_by_name(out["ten_don_vi"])]
        out = out.sort_values("_s", kind="stable")
        # per reporting unit; where each Đoàn cơ sở reports on its own (2025 reform), per province
        group = "ma_tinh" if (cs["ma_bao_cao"] == cs["ma_don_vi"]).all() else "ma_bao_cao"
        out[group] = out["ma_don_vi"].map(cs.drop_duplicates("ma_don_vi").set_index("ma_don_vi")[group])
        place = out[out["de_nghi"]].groupby(group).cumcount() + 1
        over = place[place > rule.so_luong_toi_da].index
        out.loc[over, "de_nghi"] = False
        out.loc[over, "ly_do"] = (f"đủ điều kiện nhưng ngoài số lượng đề nghị tối đa ({so(rule.so_luong_toi_da)} "
                                  f"đơn vị, xét theo điểm từ cao xuống thấp)")
        out = out.drop(columns=[group] if group not in COLUMNS else [])
    out = out.iloc[order_by_name(out["ten_don_vi"])]
    if "_s" in out:  # ranked by score: listed in that order too, as the tờ trình says it chose them
        out = out.sort_values("_s", kind="stable").drop(columns=["_s"])
    return out.sort_values("de_nghi", ascending=False, kind="stable").reset_index(drop=True)
