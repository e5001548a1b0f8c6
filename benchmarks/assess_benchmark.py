"""Benchmark: assess a synthetic province of 100,000 branches × 5 years.

Compares, each in its own process (so peak memory is its own):
  - vectorised: tongket.assessment.assess (every rule of params/, roll-ups per Đoàn cơ sở, district, province,
    score sheets, explanations of every failed criterion, the verification sample);
  - polars: the same two rubrics (criteria, results, explanations) and the roll-ups a report reads,
    written the way a data engineer would in a columnar engine (less work than the above: no score
    sheets, ratings, movements, verification; explanations in plain words). polars is a
    benchmark-only dependency (the `bench` extra); without it the column is skipped with a note
    (`--require-polars`: fail instead);
  - loop: a plain per-row Python loop applying the same rubric conditions to each branch-year
    (criteria, reasons) and summing branches up to standard per unit (less work than the above).
Each method first assesses a small province (2.000 branches) untimed, so that the timed run measures
the assessment and not the modules imported on first use. Prints wall time, peak memory and the
ratios; checks that vectorised and polars give every unit the same criteria, results and rolled-up
figures, and that the loop counts the same branches (exit 1 if not).

    .venv/bin/python benchmarks/assess_benchmark.py [--branches 100000] [--years 5] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import operator
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lib"))
from peak_memory import own_peak_mb

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


# --- The same rubric in a columnar engine (polars, a benchmark-only dependency: the `bench` extra) ---

def _pl_condition(pl, c: Condition, kinds: dict):
    """A condition as polars expressions: met (blank: not met) and why not (null where met)."""
    col = pl.col(c.column)
    rhs = pl.col(c.other) if c.other else pl.lit(c.value)
    if c.op == "in":
        met = col.is_in(list(c.value))
    else:
        met = getattr(col, {">=": "__ge__", ">": "__gt__", "=": "__eq__", "!=": "__ne__", "<=": "__le__",
                            "<": "__lt__"}[c.op])(rhs)
    missing = col.is_null() | (rhs.is_null() if c.other else pl.lit(False))
    met = met.fill_null(False) & ~missing
    shown = pl.lit(f" (yêu cầu {c.op} ") + (rhs.cast(pl.String) if c.other else pl.lit(str(c.value))) + pl.lit(")")
    why = (pl.when(missing).then(pl.lit(f"thiếu số liệu «{c.column}»"))
           .when(~met).then(pl.lit(f"{c.column} = ") + col.cast(pl.String) + shown))
    return met, why


def _pl_rule(pl, item, kinds: dict):
    if isinstance(item, Condition):
        return _pl_condition(pl, item, kinds)
    parts = [_pl_rule(pl, i, kinds) for i in item.items]
    mets = [m for m, _ in parts]
    met = pl.all_horizontal(mets) if item.mode == "all" else pl.any_horizontal(mets)
    joined = pl.concat_str([w for _, w in parts], separator=", " if item.mode == "all" else " và ",
                           ignore_nulls=True)
    return met, pl.when(~met).then(joined)


def _pl_evaluate(pl, frame, rubric, kinds: dict):
    """Every criterion (null where the rubric does not apply), the result and the reasons."""
    applies = pl.lit(True)
    if rubric.loai_hinh is not None:
        applies = applies & pl.col("loai_hinh").is_in(list(rubric.loai_hinh)).fill_null(False)
    if rubric.dac_thu is not None:
        applies = applies & (pl.col("dac_thu").fill_null(False) == rubric.dac_thu)
    first, last = rubric.years
    if first is not None:
        applies = applies & (pl.col("nam") >= first)
    if last is not None:
        applies = applies & (pl.col("nam") <= last)
    crits, reasons = [], []
    for crit in rubric.criteria:
        met, why = _pl_rule(pl, crit.rule, kinds)
        crits.append(pl.when(applies).then(met).alias(crit.id))
        reasons.append(pl.when(applies & ~met).then(pl.lit(f"{crit.id}: ") + why))
    frame = frame.with_columns(*crits, pl.concat_str(reasons, separator="; ", ignore_nulls=True).alias("ly_do"),
                               applies.alias("_ap_dung"))
    return frame.with_columns(pl.when(pl.col("_ap_dung")).then(pl.all_horizontal(
        [pl.col(c.id) for c in rubric.criteria])).alias(rubric.result))


def _pl_ratio(pl, num, den):
    """num / den, blank where den is 0 or blank (a rate over nobody is no rate)."""
    num, den = (pl.col(x) if isinstance(x, str) else x for x in (num, den))
    return pl.when(den > 0).then(num / den)


ROLLUP_SUMS = ["so_doan_vien", "so_ket_nap_moi", "so_gioi_thieu_dang", "so_thanh_nien_1_1"]


def polars_assess(pl, frames: dict, cycle) -> dict:
    """The rubric the way a data engineer would write it in polars: both rubrics, explanations, the
    Đoàn cơ sở, district and province roll-ups (the synthetic tree: tỉnh > huyện > cơ sở > chi đoàn)."""
    units, kinds = frames["don_vi"], {}
    parent = units.select("ma_don_vi", "ma_cap_tren")
    cs_up = parent.rename({"ma_don_vi": "ma_co_so", "ma_cap_tren": "ma_huyen"})
    branches = (units.filter(pl.col("cap") == "chi_doan").select("ma_don_vi", "loai_hinh", "dac_thu",
                                                                  pl.col("ma_cap_tren").alias("ma_co_so"))
                .join(cs_up, on="ma_co_so", how="left").with_columns(pl.lit("T").alias("ma_tinh")))
    cd = _pl_evaluate(pl, frames["chi_doan"].join(branches, on="ma_don_vi", how="left"), cycle.rubric_chi_doan, kinds)
    cs_units = units.filter(pl.col("cap") == "co_so").select("ma_don_vi", "loai_hinh", "dac_thu",
                                                             pl.col("ma_cap_tren").alias("ma_huyen"))
    cs = _pl_evaluate(pl, frames["co_so"].join(cs_units, on="ma_don_vi", how="left"), cycle.rubric_co_so, kinds)
    dan_cu = cd.filter(pl.col("dat_chuan").is_not_null())
    per_cs = (dan_cu.group_by("ma_co_so", "nam").agg(pl.len().alias("so_chi_doan_dan_cu"),
                                                     pl.col("dat_chuan").sum().alias("so_chi_doan_dat_chuan"))
              .rename({"ma_co_so": "ma_don_vi"}))
    cs = cs.join(per_cs, on=["ma_don_vi", "nam"], how="left").with_columns(
        pl.col("so_chi_doan_dan_cu", "so_chi_doan_dat_chuan").fill_null(0)).with_columns(
        _pl_ratio(pl, "so_chi_doan_dat_chuan", "so_chi_doan_dan_cu").alias("ty_le_dat_chuan"))
    out = {"chi_doan": cd.select("ma_don_vi", "nam", *(c.id for c in cycle.rubric_chi_doan.criteria), "dat_chuan",
                                 "ly_do"),
           "co_so": cs.select("ma_don_vi", "nam", "so_chi_doan_dan_cu", "so_chi_doan_dat_chuan", "ty_le_dat_chuan",
                              "ba_chu_dong")}
    for level in ("huyen", "tinh"):
        key = f"ma_{level}"
        sums = cd.group_by(key, "nam").agg(
            *(pl.col(c).sum() for c in ROLLUP_SUMS),
            _pl_ratio(pl, pl.col("so_thanh_nien_tap_hop").sum(), pl.col("so_thanh_nien").sum()).alias("ty_le_tap_hop"),
            pl.col("dat_chuan").is_not_null().sum().alias("so_chi_doan_dan_cu"),
            pl.col("dat_chuan").sum().alias("so_chi_doan_dat_chuan"))
        cs_key = cs if level == "huyen" else cs.with_columns(pl.lit("T").alias("ma_tinh"))
        ba = cs_key.group_by(key, "nam").agg(pl.col("ba_chu_dong").fill_null(False).sum().alias("so_co_so_ba_chu_dong"))
        out[level] = (sums.join(ba, on=[key, "nam"], how="left").rename({key: "ma_don_vi"})
                      .with_columns(_pl_ratio(pl, "so_chi_doan_dat_chuan", "so_chi_doan_dan_cu")
                                    .alias("ty_le_dat_chuan")))
    return out


COMPARED = {"chi_doan": ["tc1", "tc2", "tc3", "tc4", "tc5", "tc6", "tc7", "dat_chuan"],
            "co_so": ["so_chi_doan_dan_cu", "so_chi_doan_dat_chuan", "ty_le_dat_chuan", "ba_chu_dong"],
            "huyen": [*ROLLUP_SUMS, "ty_le_tap_hop", "so_chi_doan_dan_cu", "so_chi_doan_dat_chuan", "ty_le_dat_chuan",
                      "so_co_so_ba_chu_dong"]}
COMPARED["tinh"] = COMPARED["huyen"]


def _comparable(tables: dict) -> dict:
    """The compared columns of each table as plain pandas (floats, object booleans), sorted by unit and year."""
    out = {}
    for name, cols in COMPARED.items():
        f = tables[name][["ma_don_vi", "nam", *cols]].copy()
        f["ma_don_vi"] = f["ma_don_vi"].astype(str)
        f["nam"] = f["nam"].astype("int64")
        for c in cols:
            f[c] = pd.Series([None if v is None or v is pd.NA or v != v else float(v) for v in f[c].to_numpy(dtype=object)],
                             index=f.index, dtype=object)
        out[name] = f.sort_values(["ma_don_vi", "nam"]).reset_index(drop=True)
    return out


def _to_polars(pl, frame: pd.DataFrame) -> Any:
    """A pandas frame as polars without pyarrow: numbers and flags from numpy with their blanks as nulls."""
    cols = []
    for name, col in frame.items():
        if isinstance(col.dtype, pd.api.extensions.ExtensionDtype) and hasattr(col.array, "_mask"):
            s = pl.Series(name, col.array._data)
            cols.append(pl.select(pl.when(pl.Series(col.array._mask)).then(None).otherwise(s).alias(name)).to_series())
        elif col.dtype.kind in "iufb":
            cols.append(pl.Series(name, col.to_numpy()))
        else:
            cols.append(pl.Series(name, [None if v is pd.NA or v is None or v != v else v
                                         for v in col.to_numpy(dtype=object)], dtype=pl.String))
    return pl.DataFrame(cols)


def _polars() -> Any:
    try:
        import polars as pl
    except ImportError:
        return None
    return pl


def _frames(pl: Any, data: Data) -> dict:
    drop = {"_row", "xep_loai", "co_quan_cap_tren", "co_quan_ban_hanh", "dia_danh", "nguoi_ky", "chuc_vu_ky",
            "to_cong_tac"}
    return {k: _to_polars(pl, getattr(data, k).drop(columns=[c for c in drop if c in getattr(data, k)]))
            for k in ("don_vi", "chi_doan", "co_so")}


def _assess_with(method: str, pl: Any, data: Data | None, frames: dict | None, cycle: Any) -> tuple[int, Any]:
    """One assessment by `method`: branches up to standard, and the tables to compare."""
    if method == "vectorised":
        r = assess(data, cycle)
        return int(r.chi_doan["dat_chuan"].fillna(False).sum()), r.tables()
    if method == "polars":
        tables = polars_assess(pl, frames, cycle)
        return int(tables["chi_doan"]["dat_chuan"].fill_null(False).sum()), tables
    return loop_assess(data, cycle)["dat_chuan"], None


def _one(method: str, n_branches: int, n_years: int, fail_heavy: bool, dump: str | None) -> None:
    data = province(n_branches, n_years, fail_heavy=fail_heavy)
    cycle = load_cycle()
    pl = _polars() if method == "polars" else None
    # A warm-up on a small province first, the same for every method: the timed run measures the
    # assessment, not the modules it imports on first use (a batch worker has them loaded already).
    small = province(2000, n_years, fail_heavy=fail_heavy)
    _assess_with(method, pl, small, _frames(pl, small) if pl else None, cycle)
    frames = _frames(pl, data) if pl else None
    if pl:
        del data
        data = None
    start_peak = own_peak_mb()  # (this process's own: peak_memory)
    t, cpu = time.perf_counter(), time.process_time()
    count, tables = _assess_with(method, pl, data, frames, cycle)
    seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
    peak = own_peak_mb()
    if dump and tables is not None:
        pd.to_pickle(_comparable({k: v if isinstance(v, pd.DataFrame) else pd.DataFrame(v.to_dict(as_series=False)) for k, v in tables.items()}),
                     dump)
    print(json.dumps({"method": method, "seconds": seconds, "cpu_seconds": cpu, "peak_mb": peak,
                      "extra_mb": peak - start_peak, "dat_chuan": count, "rows": n_branches * n_years}))


def _compare(a: dict, b: dict) -> list[str]:
    """Where two engines' results differ (empty: every unit's flags and every rolled-up figure agree)."""
    diffs = []
    for name, cols in COMPARED.items():
        x, y = a[name], b[name]
        if len(x) != len(y) or not (x[["ma_don_vi", "nam"]].to_numpy() == y[["ma_don_vi", "nam"]].to_numpy()).all():
            diffs.append(f"{name}: các đơn vị khác nhau ({len(x)} / {len(y)} dòng)")
            continue
        for c in cols:
            u, v = x[c].to_numpy(dtype=object), y[c].to_numpy(dtype=object)
            same = [(p is None and q is None) or (p is not None and q is not None and abs(p - q) <= 1e-12)
                    for p, q in zip(u, v, strict=True)]
            if not all(same):
                diffs.append(f"{name}.{c}: {len(same) - sum(same)} dòng khác nhau")
    return diffs


def _run(method: str, a: argparse.Namespace, dump: str | None) -> dict:
    out = subprocess.run([sys.executable, __file__, "--one", method, "--branches", str(a.branches),
                          "--years", str(a.years), *(["--fail-heavy"] if a.fail_heavy else []),
                          *(["--dump", dump] if dump else [])], capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"Lỗi khi đo «{method}»:\n{out.stderr.strip()}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--branches", type=int, default=100_000)
    ap.add_argument("--years", type=int, default=5)
    ap.add_argument("--one", choices=["vectorised", "polars", "loop"])
    ap.add_argument("--dump", help=argparse.SUPPRESS)
    ap.add_argument("--fail-heavy", action="store_true", help="figures drawn uniformly: ~7 %% pass, every row explained")
    ap.add_argument("--json", metavar="FILE", help="also write the figures to FILE (JSON)")
    ap.add_argument("--require-polars", action="store_true", help="fail if polars is missing (default: skip it)")
    a = ap.parse_args()
    if a.one:
        _one(a.one, a.branches, a.years, a.fail_heavy, a.dump)
        return
    methods = ["vectorised", "polars", "loop"]
    if _polars() is None:
        note = ("Chưa cài polars (phụ thuộc chỉ dùng để đo): bỏ qua cột polars. Cài bằng "
                "`pip install -c constraints.txt -e '.[bench]'`.")
        if a.require_polars:
            sys.exit(note.replace("bỏ qua cột polars", "không đo được"))
        print(note)
        methods.remove("polars")
    res, dumps = {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        for method in methods:
            dump = str(Path(tmp) / f"{method}.pkl") if method != "loop" else None
            res[method] = _run(method, a, dump)
            if dump:
                dumps[method] = pd.read_pickle(dump)
    _report(a, res, dumps)


def _report(a: argparse.Namespace, res: dict, dumps: dict) -> None:
    v, lp = res["vectorised"], res["loop"]
    kind = "nhiều chi đoàn chưa đạt" if a.fail_heavy else "tỉ lệ đạt như thực tế"
    print(f"Tỉnh giả lập ({kind}): {a.branches:,} chi đoàn × {a.years} năm = {v['rows']:,} dòng".replace(",", "."))
    print(f"{'cách làm':<12}{'thời gian (s)':>15}{'CPU (s)':>9}{'bộ nhớ đỉnh (MB)':>19}{'tăng thêm (MB)':>17}"
          f"{'chi đoàn đạt':>15}")
    for name, r in res.items():
        print(f"{name:<12}{r['seconds']:>15.2f}{r['cpu_seconds']:>9.2f}{r['peak_mb']:>19.0f}{r['extra_mb']:>17.0f}"
              f"{r['dat_chuan']:>15,}")
    print("(CPU: thời gian bộ xử lý của tiến trình, mọi luồng cộng lại; máy đông việc thì thời gian thực tăng, CPU ít đổi)")
    print(f"tỉ lệ thời gian loop / vectorised: {lp['seconds'] / v['seconds']:.1f}×")
    print(f"tỉ lệ bộ nhớ tăng thêm vectorised / loop: {v['extra_mb'] / max(lp['extra_mb'], 1):.1f}×")
    ok = v["dat_chuan"] == lp["dat_chuan"]
    if "polars" in res:
        p = res["polars"]
        print(f"tỉ lệ thời gian vectorised / polars: {v['seconds'] / p['seconds']:.1f}×; "
              f"bộ nhớ tăng thêm vectorised / polars: {v['extra_mb'] / max(p['extra_mb'], 1):.1f}×")
        diffs = _compare(dumps["vectorised"], dumps["polars"])
        print("vectorised và polars khớp từng đơn vị (tiêu chí, đạt chuẩn, 3 chủ động, số tổng hợp cơ sở, huyện, tỉnh)"
              if not diffs else "KẾT QUẢ vectorised VÀ polars KHÔNG KHỚP: " + "; ".join(diffs))
        ok &= not diffs
    print("kết quả khớp" if ok else "KẾT QUẢ KHÔNG KHỚP")
    print(f"mục tiêu ≤ 1,5 s cho toàn bộ đánh giá: {'đạt' if v['seconds'] <= 1.5 else 'chưa đạt'}")
    if a.json:
        Path(a.json).write_text(json.dumps({m: {"seconds": round(r["seconds"], 3), "peak_mb": round(r["peak_mb"], 1),
                                                "cpu_seconds": round(r["cpu_seconds"], 3)}
                                            for m, r in res.items()}, indent=2) + "\n", encoding="utf-8")
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
