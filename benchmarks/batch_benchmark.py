"""Benchmark: the district batch at provincial and national scale, engine against engine.

A synthetic province (tongket.intake.sample: fictional districts, `--co-so` Đoàn cơ sở each, four years)
at each size, every district's real notebook (bao_cao_huyen.ipynb: the assessment, four charts,
every document) run through the runner `tongket run` uses (batch.executor_for + engines.run_unit):

  papermill, sequential   a plain loop of papermill runs, a fresh kernel each (sizes ≤ --max-sequential)
  papermill, pool         the same in a process pool of --jobs workers (sizes ≤ --max-pool)
  warm                    papermill with the tongket_warm engine: one kept kernel per worker
  direct                  the notebook's code in the worker processes, no kernel

Each configuration runs in its own process, so its peak memory is its own (the largest process
among it, its workers and their kernels). The province's notebook is not part of the timing.
Prints wall time, time per district, the median district's own time, peak memory and ratios.

    .venv/bin/python benchmarks/batch_benchmark.py [--sizes 20 170 1000] [--co-so 3] [--jobs 2]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lib"))

CONFIGS = ["papermill-seq", "papermill-pool", "warm", "direct"]
LABELS = {"papermill-seq": "papermill, tuần tự", "papermill-pool": "papermill, nhóm tiến trình",
          "warm": "warm (giữ kernel)", "direct": "direct (trong tiến trình)"}


def one(config: str, workbook: str, jobs: int, out: str) -> dict:
    """Run every district of `workbook` with one configuration; return the figures."""
    from tongket.assessment.review import open_review
    from tongket.batch.engines import quiet_worker, run_unit
    from tongket.batch.runner import DISTRICT_NOTEBOOK, executor_for
    from tongket.common import paths
    from tongket.rules.params import load_cycle

    cycle = load_cycle(paths.DEFAULT_CYCLE, data=workbook)
    codes = list(open_review(paths.DEFAULT_CYCLE, data=workbook).results.huyen["ma_don_vi"].unique())
    common = {"params": str(cycle.path), "data": workbook, "nam": cycle.nam, "out_dir": out}
    task = lambda h: (DISTRICT_NOTEBOOK, Path(out) / str(cycle.nam) / h / "bao_cao.ipynb",
                      {**common, "ma_bao_cao": h, "gop_phieu": False})
    engine = "papermill" if config.startswith("papermill") else config
    start = time.perf_counter()
    if config == "papermill-seq":
        quiet_worker()
        results = [run_unit(engine, *task(h)) for h in codes]
    else:
        with executor_for(None, None, jobs, engine) as pool:
            results = [f.result() for f in [pool.submit(run_unit, engine, *task(h)) for h in codes]]
    wall = time.perf_counter() - start
    failed = [r["error"] for r in results if r["status"] != "ok"]
    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return {"units": len(codes), "wall": wall, "unit_seconds": [r["seconds"] for r in results],
            "peak_mb": peak / 1024, "failed": failed[:3], "n_failed": len(failed)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[20, 170, 1000], help="districts in the province")
    ap.add_argument("--co-so", type=int, default=3, help="Đoàn cơ sở per district")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--configs", nargs="+", default=CONFIGS, choices=CONFIGS)
    ap.add_argument("--max-sequential", type=int, default=20, help="largest size for the sequential papermill loop")
    ap.add_argument("--max-pool", type=int, default=170, help="largest size for the papermill process pool")
    ap.add_argument("--json", help="also write every figure to this file")
    ap.add_argument("--one", nargs=3, metavar=("CONFIG", "WORKBOOK", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(args.one[0], args.one[1], args.jobs, args.one[2])))
        return

    from tongket.intake import sample

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            workbook = Path(tmp) / f"tinh_{n}.xlsx"
            t = time.perf_counter()
            sample.write(workbook, districts=sample.synthetic_districts(n), co_so=args.co_so)
            print(f"\n== {n} huyện × {args.co_so} Đoàn cơ sở (sổ dữ liệu {workbook.stat().st_size / 1e6:.1f} MB, "
                  f"tạo trong {time.perf_counter() - t:.1f} giây), {args.jobs} tiến trình", flush=True)
            for config in args.configs:
                limit = {"papermill-seq": args.max_sequential, "papermill-pool": args.max_pool}.get(config)
                if limit is not None and n > limit:
                    print(f"   {LABELS[config]:<28} bỏ qua (quá {limit} huyện; đổi bằng --max-"
                          f"{'sequential' if config.endswith('seq') else 'pool'})", flush=True)
                    continue
                out = Path(tmp) / f"out_{n}_{config}"
                proc = subprocess.run([sys.executable, __file__, "--jobs", str(args.jobs), "--one", config,
                                       str(workbook), str(out)], capture_output=True, text=True)
                if proc.returncode != 0:
                    print(f"   {LABELS[config]:<28} LỖI: {proc.stderr.strip().splitlines()[-1:]}", flush=True)
                    continue
                r = json.loads(proc.stdout.strip().splitlines()[-1])
                r |= {"size": n, "config": config, "per_unit": r["wall"] / r["units"],
                      "median_unit": statistics.median(r["unit_seconds"])}
                rows.append(r)
                bad = f", {r['n_failed']} huyện lỗi: {r['failed']}" if r["n_failed"] else ""
                print(f"   {LABELS[config]:<28} {r['wall']:8.1f} s   {r['per_unit']:6.2f} s/huyện   "
                      f"trung vị một huyện {r['median_unit']:5.2f} s   bộ nhớ đỉnh {r['peak_mb']:6.0f} MB{bad}",
                      flush=True)
    print("\nTỉ lệ (thời gian tường; > 1: nhanh hơn):")
    for n in args.sizes:
        by = {r["config"]: r for r in rows if r["size"] == n}
        parts = []
        for a, b in (("papermill-seq", "warm"), ("papermill-pool", "warm"), ("papermill-pool", "direct"),
                     ("warm", "direct")):
            if a in by and b in by:
                parts.append(f"{LABELS[a].split(' (')[0]} / {LABELS[b].split(' (')[0]} = {by[a]['wall'] / by[b]['wall']:.2f}×")
        print(f"   {n:>5} huyện: " + ("; ".join(parts) or "—"))
        if "direct" in by:
            d = by["direct"]
            print(f"          direct: {d['per_unit']:.2f} s/huyện thêm vào thời gian tường với {args.jobs} tiến trình; "
                  f"một huyện tự nó {d['median_unit']:.2f} s (trung vị, trên một nhân)")
    # The marginal cost: what one more district adds to the wall time, between two sizes (the
    # fixed start-up of the pool, its warm-up and the first assessment cancel out).
    for config in ("warm", "direct"):
        sizes = sorted((r["size"], r["wall"]) for r in rows if r["config"] == config)
        for (n0, w0), (n1, w1) in zip(sizes, sizes[1:]):
            print(f"   {LABELS[config]}: chi phí biên {(w1 - w0) / (n1 - n0):.2f} s/huyện từ {n0} đến {n1} huyện "
                  f"({args.jobs} tiến trình)")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
