"""Benchmark: assess a synthetic province of 100,000 branches × 5 years.

Compares, each in its own process (so peak memory is its own):
  - vectorised: tongket.assessment.assess (every rule of params/, roll-ups per Đoàn cơ sở, district, province,
    score sheets, explanations of every failed criterion);
  - loop: a plain per-row Python loop applying the same rubric conditions to each branch-year
    (criteria, reasons) and summing branches up to standard per unit (less work than the above).
Prints wall time, peak memory and the ratios, and checks both count the same branches.

    .venv/bin/python benchmarks/assess_benchmark.py [--branches 100000] [--years 5]
"""

from __future__ import annotations

import argparse
import json
import operator
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lib"))

from tongket.assessment.assess import assess
from tongket.intake.check import Data
from tongket.rules.params import load_cycle
from tongket.rules.rubric import Condition, Group

BOOLS = ["bien_ban_day_du", "dai_hoi_chi_doan", "bi_thu_kinh_te_on_dinh", "bi_thu_duoc_tap_huan",
         "bi_thu_nam_chinh_sach"]


def province(n_branches: int, n_years: int, seed: int = 1, fail_heavy: bool = False) -> Data:
    """A synthetic province: 100 districts, 20 Đoàn cơ sở each, branches spread evenly. Each
    criterion holds for about 94 % of branch-years (about 60 % meet all seven, as in real returns);
    `fail_heavy` draws figures uniformly instead (about 7 % meet all seven: every row explained)."""
    rng = np.random.default_rng(seed)
    n_huyen, per_huyen = 100, 20
    n_co_so = n_huyen * per_huyen
    huyen = [f"H{i:03d}" for i in range(n_huyen)]
    co_so = [f"{h}.{j:02d}" for h in huyen for j in range(per_huyen)]
    branch_parent = np.array(co_so)[np.arange(n_branches) % n_co_so]
    branches = [f"{p}.{k:04d}" for k, p in enumerate(branch_parent)]
    don_vi = pd.concat([
        pd.DataFrame({"ma_don_vi": ["T"], "ten_don_vi": ["Tỉnh Đoàn Thử"], "cap": ["tinh"], "ma_cap_tren": [pd.NA]}),
        pd.DataFrame({"ma_don_vi": huyen, "ten_don_vi": [f"Huyện Đoàn {i}" for i in range(n_huyen)], "cap": "huyen",
                      "ma_cap_tren": "T"}),
        pd.DataFrame({"ma_don_vi": co_so, "ten_don_vi": [f"Đoàn xã {c}" for c in co_so], "cap": "co_so",
                      "ma_cap_tren": [c.split(".")[0] for c in co_so]}),
        pd.DataFrame({"ma_don_vi": branches, "ten_don_vi": [f"Chi đoàn ấp {k % 40 + 1}" for k in range(n_branches)],
                      "cap": "chi_doan", "ma_cap_tren": branch_parent}),
    ], ignore_index=True)
    don_vi["loai_hinh"] = np.where(don_vi["cap"] == "chi_doan", np.where(rng.random(len(don_vi)) < 0.8, "dan_cu",
                                                                          "truong_hoc"), "dan_cu")
    don_vi["dac_thu"] = pd.array(rng.random(len(don_vi)) < 0.02, dtype="boolean")
    for c in ("co_quan_cap_tren", "co_quan_ban_hanh", "dia_danh", "nguoi_ky", "chuc_vu_ky", "to_cong_tac"):
        don_vi[c] = pd.NA
    don_vi["_row"] = np.arange(len(don_vi)) + 2
    years = list(range(2022 - n_years, 2022))
    n = n_branches * n_years
    members = rng.integers(10, 60, n)
    def some(p_zero: float, low: int, high: int):  # zero with probability p_zero, else low..high-1
        return np.where(rng.random(n) < p_zero, 0, rng.integers(low, high, n))

    realistic = not fail_heavy
    counts = {
        "so_doan_vien": members, "so_thanh_nien": members * 3, "so_thanh_nien_tap_hop": members * 2,
        "so_dv_vi_pham_phap_luat": (rng.random(n) < 0.05).astype(int),
        "so_mo_hinh_kinh_te": some(0.3, 1, 4) if realistic else rng.integers(0, 3, n),
        "so_gioi_thieu_viec_lam": some(0.8, 5, 15) if realistic else rng.integers(0, 10, n),
        "so_doi_hinh_tinh_nguyen": some(0.02, 1, 4) if realistic else rng.integers(0, 4, n),
        "so_tv_doi_hinh_lon_nhat": some(0.02, 5, 30) if realistic else rng.integers(3, 30, n),
        "so_cong_trinh_thanh_nien": some(0.02, 1, 4) if realistic else rng.integers(0, 4, n),
        "so_ket_nap_moi": some(0.05, 5, 15) if realistic else rng.integers(2, 15, n),
        "so_gioi_thieu_dang": some(0.03, 1, 4) if realistic else rng.integers(0, 3, n),
        "so_lan_sinh_hoat": np.where(rng.random(n) < 0.03, 7, rng.integers(8, 13, n)) if realistic
        else rng.integers(6, 13, n),
        "so_hoat_dong_van_hoa_the_thao": some(0.05, 2, 6) if realistic else rng.integers(0, 6, n),
        "so_dv_gioi_thieu_1_1": members // 2, "so_thanh_nien_1_1": members // 2,
    }
    chi_doan = pd.DataFrame({"ma_don_vi": np.tile(branches, n_years), "nam": np.repeat(years, n_branches)})
    for k, v in counts.items():
        chi_doan[k] = pd.array(v, dtype="Int64")
    chi_doan["so_dv_dong_doan_phi"] = pd.array(members - (rng.random(n) < (0.02 if realistic else 0.05)), dtype="Int64")
    for b in BOOLS:
        chi_doan[b] = pd.array(rng.random(n) < (0.985 if realistic else 0.95), dtype="boolean")
    blank = rng.random(n) < 0.01
    chi_doan.loc[blank, "so_gioi_thieu_viec_lam"] = pd.NA
    chi_doan["diem"] = pd.array(rng.uniform(40, 100, n).round(1), dtype="Float64")
    chi_doan["xep_loai"] = pd.Series(pd.NA, index=chi_doan.index, dtype=object)
    chi_doan["_row"] = np.arange(n) + 2
    cs = pd.DataFrame({"ma_don_vi": np.tile(co_so, n_years), "nam": np.repeat(years, n_co_so)})
    for g, k in ((1, 5), (2, 5), (3, 3)):
        for i in range(1, k + 1):
            cs[f"cd{g}_{i}"] = pd.array(rng.random(len(cs)) < 0.9, dtype="boolean")
    cs["diem"] = pd.array(rng.uniform(40, 100, len(cs)).round(1), dtype="Float64")
    cs["xep_loai"] = pd.Series(pd.NA, index=cs.index, dtype=object)
    cs["dot_cao_diem"] = pd.array(rng.random(len(cs)) < 0.9, dtype="boolean")
    cs["_row"] = np.arange(len(cs)) + 2
    return Data(Path("synthetic.xlsx"), don_vi, chi_doan, cs, [])


OPS = {">=": operator.ge, ">": operator.gt, "=": operator.eq, "!=": operator.ne, "<=": operator.le, "<": operator.lt}


def _row_holds(item, row: dict) -> tuple[bool, list[str]]:
    if isinstance(item, Group):
        results = [_row_holds(i, row) for i in item.items]
        ok = all(r[0] for r in results) if item.mode == "all" else any(r[0] for r in results)
        return ok, [] if ok else [w for r in results for w in r[1]]
    c: Condition = item
    v = row.get(c.column)
    rhs = row.get(c.other) if c.other else c.value
    if v is None or v is pd.NA or rhs is None or rhs is pd.NA:
        return False, [f"thiếu số liệu «{c.column}»"]
    ok = (v in c.value) if c.op == "in" else bool(OPS[c.op](v, rhs))
    return ok, [] if ok else [f"{c.column} = {v} (yêu cầu {c.op} {rhs})"]


def loop_assess(data: Data, cycle) -> dict:
    """The plain way: one Python pass per branch-year, then sums per unit in dicts."""
    rubric = cycle.rubric_chi_doan
    units = data.don_vi.set_index("ma_don_vi")
    parent, kind = units["ma_cap_tren"].to_dict(), units["loai_hinh"].to_dict()
    per_co_so: dict = {}
    per_huyen: dict = {}
    total = 0
    for row in data.chi_doan.to_dict("records"):
        if kind[row["ma_don_vi"]] not in rubric.loai_hinh:
            continue
        reasons, ok_all = [], True
        for crit in rubric.criteria:
            ok, why = _row_holds(crit.rule, row)
            if not ok:
                ok_all = False
                reasons.append(f"{crit.id}: " + ", ".join(why))
        row["ly_do"] = "; ".join(reasons)
        cs = parent[row["ma_don_vi"]]
        key = (cs, row["nam"])
        n, k = per_co_so.get(key, (0, 0))
        per_co_so[key] = (n + 1, k + ok_all)
        hk = (parent[cs], row["nam"])
        n, k = per_huyen.get(hk, (0, 0))
        per_huyen[hk] = (n + 1, k + ok_all)
        total += ok_all
    return {"dat_chuan": total, "co_so": len(per_co_so), "huyen": len(per_huyen)}


def _one(method: str, n_branches: int, n_years: int, fail_heavy: bool) -> None:
    data = province(n_branches, n_years, fail_heavy=fail_heavy)
    cycle = load_cycle()
    start_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t = time.perf_counter()
    if method == "vectorised":
        r = assess(data, cycle)
        count = int(r.chi_doan["dat_chuan"].fillna(False).sum())
    else:
        count = loop_assess(data, cycle)["dat_chuan"]
    seconds = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"method": method, "seconds": seconds, "peak_mb": peak / 1024,
                      "extra_mb": (peak - start_rss) / 1024, "dat_chuan": count, "rows": len(data.chi_doan)}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--branches", type=int, default=100_000)
    ap.add_argument("--years", type=int, default=5)
    ap.add_argument("--one", choices=["vectorised", "loop"])
    ap.add_argument("--fail-heavy", action="store_true", help="figures drawn uniformly: ~7 % pass, every row explained")
    a = ap.parse_args()
    if a.one:
        _one(a.one, a.branches, a.years, a.fail_heavy)
        return
    res = {}
    for method in ("vectorised", "loop"):
        out = subprocess.run([sys.executable, __file__, "--one", method, "--branches", str(a.branches),
                              "--years", str(a.years), *(["--fail-heavy"] if a.fail_heavy else [])],
                             capture_output=True, text=True, check=True)
        res[method] = json.loads(out.stdout.strip().splitlines()[-1])
    v, lp = res["vectorised"], res["loop"]
    kind = "nhiều chi đoàn chưa đạt" if a.fail_heavy else "tỉ lệ đạt như thực tế"
    print(f"Tỉnh giả lập ({kind}): {a.branches:,} chi đoàn × {a.years} năm = {v['rows']:,} dòng".replace(",", "."))
    print(f"{'cách làm':<12}{'thời gian (s)':>15}{'bộ nhớ đỉnh (MB)':>19}{'tăng thêm (MB)':>17}{'chi đoàn đạt':>15}")
    for name, r in (("vectorised", v), ("loop", lp)):
        print(f"{name:<12}{r['seconds']:>15.2f}{r['peak_mb']:>19.0f}{r['extra_mb']:>17.0f}{r['dat_chuan']:>15,}")
    print(f"tỉ lệ thời gian loop / vectorised: {lp['seconds'] / v['seconds']:.1f}×")
    print(f"tỉ lệ bộ nhớ tăng thêm vectorised / loop: {v['extra_mb'] / max(lp['extra_mb'], 1):.1f}×")
    print("kết quả khớp" if v["dat_chuan"] == lp["dat_chuan"] else "KẾT QUẢ KHÔNG KHỚP")
    print(f"mục tiêu < 10 s cho toàn bộ đánh giá: {'đạt' if v['seconds'] < 10 else 'chưa đạt'}")


if __name__ == "__main__":
    main()
