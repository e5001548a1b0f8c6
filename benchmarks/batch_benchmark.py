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

Then, per size, the direct engine's stages (`--stages N` districts in one process, after one
warm-up district): read, assess, charts (built; drawn and encoded), Word (contexts; render and
save), Excel, the read-back check, the notebook's own tables and the notebook overhead, each in
seconds per district on one core, and the floor: what no implementation can skip (the charts'
rasterising and PNG encoding without a layout to solve, the deflating of every Word and Excel
file's bytes, the read and the assessment shared by a worker's districts), so the gap is visible.

    .venv/bin/python benchmarks/batch_benchmark.py [--sizes 20 170 1000] [--co-so 3] [--jobs 2]
        [--stages 4] [--json figures.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lib"))
from peak_memory import Descendants, own_peak_mb

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
    with Descendants() as processes:  # (the peaks are each process's own: peak_memory)
        if config == "papermill-seq":
            quiet_worker()
            results = [run_unit(engine, *task(h)) for h in codes]
        else:
            with executor_for(None, None, jobs, engine) as pool:
                results = [f.result() for f in [pool.submit(run_unit, engine, *task(h)) for h in codes]]
    wall = time.perf_counter() - start
    failed = [r["error"] for r in results if r["status"] != "ok"]
    return {"units": len(codes), "wall": wall, "unit_seconds": [r["seconds"] for r in results],
            "peak_mb": max(own_peak_mb(), *processes.largest()), "failed": failed[:3], "n_failed": len(failed)}


# --- the direct engine's stages, and the floor ------------------------------------------------------

STAGES = ["đọc sổ dữ liệu", "đánh giá", "biểu đồ: dựng", "biểu đồ: vẽ, mã hoá PNG", "Word: nội dung",
          "Word: điền mẫu, ghi", "Excel", "đọc lại văn bản", "bảng của sổ tay", "chi phí sổ tay"]
FLOORS = ["biểu đồ: vẽ, mã hoá PNG", "Word: điền mẫu, ghi", "Excel", "đọc sổ dữ liệu", "đánh giá"]


class _Clock:
    """Exclusive CPU seconds per stage (a stage's time excludes the stages called inside it): CPU time,
    not wall time, so that other processes on a shared machine do not inflate a stage."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.stack: list[list] = []

    def wrap(self, stage: str, fn):
        import functools

        @functools.wraps(fn)
        def timed(*a, **k):
            self.stack.append([0.0])
            t = time.process_time()
            try:
                return fn(*a, **k)
            finally:
                spent = time.process_time() - t
                inner = self.stack.pop()[0]
                self.seconds[stage] = self.seconds.get(stage, 0.0) + spent - inner
                if self.stack:
                    self.stack[-1][0] += spent
        timed.__wrapped_stage__ = stage
        return timed


def _instrument(clock: _Clock, floor: dict[str, float]) -> None:
    """Time the kit's stages wherever their functions are bound, and measure each chart's and
    file's floor as it is written."""
    import tongket
    from tongket import pipeline
    from tongket.assessment import review
    from tongket.common import xlsx
    from tongket.documents import catalogue, charts, doccheck, tables

    def everywhere(module, name, stage):
        original = getattr(module, name)
        timed = clock.wrap(stage, original)
        for m in list(sys.modules.values()):
            if getattr(m, "__name__", "").startswith("tongket") and getattr(m, name, None) is original:
                setattr(m, name, timed)

    everywhere(review, "for_cycle", "đọc sổ dữ liệu")
    everywhere(review, "assess", "đánh giá")
    everywhere(pipeline, "figures", "biểu đồ: dựng")
    everywhere(catalogue, "render_docx", "Word: điền mẫu, ghi")
    everywhere(catalogue, "write_documents", "Word: nội dung")
    everywhere(tables, "write_tables", "Excel")
    everywhere(tables, "write_appendix", "Excel")
    everywhere(xlsx, "save_workbook", "Excel")
    everywhere(doccheck, "after_write", "đọc lại văn bản")
    for name in ("summary", "analysis_tables", "units_table", "chi_doan_chua_dat", "transition_matrix"):
        if hasattr(tongket, name):
            everywhere(tongket, name, "bảng của sổ tay")
    charts.Chart.png = clock.wrap("biểu đồ: vẽ, mã hoá PNG", charts.Chart.png)
    timed_save = clock.wrap("biểu đồ: vẽ, mã hoá PNG", charts.save_png)

    def measured_save(fig, path):
        out = timed_save(fig, path)
        t = time.process_time()
        floor["biểu đồ: vẽ, mã hoá PNG"] = floor.get("biểu đồ: vẽ, mã hoá PNG", 0.0) + _chart_floor(fig)
        floor["_spent"] = floor.get("_spent", 0.0) + time.process_time() - t  # not the kit's time
        return out

    charts.save_png = measured_save


def _chart_floor(fig) -> float:
    """Seconds to rasterise a chart already laid out (no layout to solve) and encode its pixels as
    the kit does (the figure is not used again), on the renderer the kit's charts of its size share
    (`charts._Canvas`): text the charts print again and again is measured once, by the kit as here."""
    import io

    import numpy as np
    from PIL import Image

    from tongket.documents.charts import DPI, _Canvas

    fig.set_layout_engine("none")
    fig.set_dpi(DPI)
    canvas = _Canvas(fig)
    t = time.process_time()
    canvas.draw()
    Image.fromarray(np.asarray(canvas.buffer_rgba())).save(io.BytesIO(), format="png")
    return time.process_time() - t


def _zip_floor(paths: list[Path]) -> float:
    """Seconds to deflate the entries of these Word/Excel files again: what writing them costs at least."""
    import zipfile
    import zlib

    blobs = []
    for p in paths:
        with zipfile.ZipFile(p) as z:
            blobs += [z.read(n) for n in z.namelist()]
    t = time.process_time()
    for b in blobs:
        c = zlib.compressobj(-1, zlib.DEFLATED, -15)
        c.compress(b)
        c.flush()
        zlib.crc32(b)
    return time.process_time() - t


def stages(workbook: str, out: str, n: int) -> dict:
    """The direct engine's stages on `n` districts in this process, after one warm-up district
    (which pays the read and the assessment a worker pays once): seconds per district."""
    from tongket import pipeline  # noqa: F401  (a direct worker's imports, then its collector: engines.warm_up)
    from tongket.assessment.review import open_review
    from tongket.batch.engines import run_unit, tune_gc
    from tongket.batch.runner import DISTRICT_NOTEBOOK
    from tongket.common import paths

    tune_gc()
    clock, floor = _Clock(), {}
    _instrument(clock, floor)
    codes = list(open_review(paths.DEFAULT_CYCLE, data=workbook).results.bao_cao["ma_don_vi"].unique())[: n + 1]
    common = {"params": str(paths.DEFAULT_CYCLE), "data": workbook, "nam": 2021, "out_dir": out}

    def run(h: str) -> None:
        r = run_unit("direct", DISTRICT_NOTEBOOK, Path(out) / "2021" / h / "bao_cao.ipynb",
                     {**common, "ma_bao_cao": h, "gop_phieu": False})
        if r["status"] != "ok":
            print(f"{h}: {r['error']}", file=sys.stderr)

    clock.seconds.clear()
    t = time.process_time()
    run(codes[0])
    once = {k: clock.seconds.get(k, 0.0) for k in ("đọc sổ dữ liệu", "đánh giá")}
    first = time.process_time() - t
    clock.seconds.clear()
    floor.clear()
    units, cpu = 0, time.process_time()
    t = time.perf_counter()
    for h in codes[1:]:
        run(h)
        units += 1
    wall = time.perf_counter() - t
    cpu = time.process_time() - cpu
    files = [p for h in codes[1:] for p in (Path(out) / "2021" / h).rglob("*") if p.suffix in (".docx", ".xlsx")]
    floor["Word: điền mẫu, ghi"] = _zip_floor([p for p in files if p.suffix == ".docx"])
    floor["Excel"] = _zip_floor([p for p in files if p.suffix == ".xlsx"])
    spent = floor.pop("_spent", 0.0)
    cpu -= spent
    per = {k: v / units for k, v in clock.seconds.items()}
    per["chi phí sổ tay"] = max(0.0, cpu / units - sum(per.values()))
    return {"districts": units, "wall_per_unit": wall / units, "cpu_per_unit": cpu / units,
            "first_unit": first, "once": once, "stages": per, "floor": {k: v / units for k, v in floor.items()}}


def print_stages(r: dict, jobs: int, total: int) -> dict:
    """Print the stages and the floor (seconds per district); return them with the floor's totals.
    The read and the assessment are paid once per worker: shared by its `total / jobs` districts."""
    share = max(1.0, total / jobs)
    print(f"   Các bước của direct trong một tiến trình ({r['districts']} huyện sau một huyện khởi động), giây mỗi "
          f"huyện, thời gian CPU (cộng {r['cpu_per_unit']:.2f} s; thời gian tường {r['wall_per_unit']:.2f} s mỗi huyện):")
    print(f"      {'bước':<26} {'đo':>7} {'sàn':>7}")
    rows = {}
    for k in STAGES:
        if k in r["once"]:
            v = f = r["once"][k] / share
        else:
            v, f = r["stages"].get(k, 0.0), r["floor"].get(k, 0.0)
        rows[k] = {"measured": round(v, 4), "floor": round(f, 4)}
        print(f"      {k:<26} {v:7.3f} {f:7.3f}")
    measured = sum(x["measured"] for x in rows.values())
    floor = sum(x["floor"] for x in rows.values())
    once = sum(r["once"].values())
    unit_floor = floor - once / share
    floor_wall = unit_floor / jobs + once / total
    print(f"      {'cộng':<26} {measured:7.3f} {floor:7.3f}")
    print(f"      sàn: {floor_wall:.3f} s thời gian tường mỗi huyện với {jobs} tiến trình (đọc và đánh giá "
          f"{once:.2f} s, một lần mỗi tiến trình); đo: {measured / floor:.1f}× sàn")
    return {"stages": rows, "measured_per_unit": measured, "floor_per_unit": floor, "floor_wall_per_unit": floor_wall,
            "cpu_per_unit": r["cpu_per_unit"], "wall_per_unit": r["wall_per_unit"], "districts": r["districts"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[20, 170, 1000], help="districts in the province")
    ap.add_argument("--co-so", type=int, default=3, help="Đoàn cơ sở per district")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--configs", nargs="+", default=CONFIGS, choices=CONFIGS)
    ap.add_argument("--max-sequential", type=int, default=20, help="largest size for the sequential papermill loop")
    ap.add_argument("--max-pool", type=int, default=170, help="largest size for the papermill process pool")
    ap.add_argument("--stages", type=int, default=4, help="districts timed stage by stage (direct, one process); 0: none")
    ap.add_argument("--json", help="also write every figure to this file: {\"sizes\": {\"20\": {\"direct\": "
                                   "{\"wall\", \"per_unit\", \"peak_mb\"}, …, \"stages\": …}}}")
    ap.add_argument("--one", nargs=3, metavar=("CONFIG", "WORKBOOK", "OUT"), help=argparse.SUPPRESS)
    ap.add_argument("--stages-one", nargs=3, metavar=("WORKBOOK", "OUT", "N"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(args.one[0], args.one[1], args.jobs, args.one[2])))
        return
    if args.stages_one:
        print(json.dumps(stages(args.stages_one[0], args.stages_one[1], int(args.stages_one[2]))))
        return

    from tongket.intake import sample

    rows: list[dict] = []
    floors: dict[int, dict] = {}
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
                bad = f", {r['n_failed']} huyện lỗi: {r['failed'][0].splitlines()[0]} …" if r["n_failed"] else ""
                print(f"   {LABELS[config]:<28} {r['wall']:8.1f} s   {r['per_unit']:6.2f} s/huyện   "
                      f"trung vị một huyện {r['median_unit']:5.2f} s   bộ nhớ đỉnh {r['peak_mb']:6.0f} MB{bad}",
                      flush=True)
            if args.stages:
                proc = subprocess.run([sys.executable, __file__, "--stages-one", str(workbook),
                                       str(Path(tmp) / f"stages_{n}"), str(min(args.stages, n - 1))],
                                      capture_output=True, text=True)
                if proc.returncode != 0:
                    print(f"   các bước: LỖI: {proc.stderr.strip().splitlines()[-1:]}", flush=True)
                else:
                    floors[n] = print_stages(json.loads(proc.stdout.strip().splitlines()[-1]), args.jobs, n)
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
        sizes: dict[str, dict] = {}
        for r in rows:
            sizes.setdefault(str(r["size"]), {})[r["config"]] = {
                "wall": round(r["wall"], 3), "per_unit": round(r["per_unit"], 4), "peak_mb": round(r["peak_mb"]),
                "median_unit": round(r["median_unit"], 4), "units": r["units"], "failed": r["n_failed"]}
        for n, f in floors.items():
            sizes.setdefault(str(n), {})["stages"] = f
        Path(args.json).write_text(json.dumps({"co_so": args.co_so, "jobs": args.jobs, "sizes": sizes}, indent=2,
                                              ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
