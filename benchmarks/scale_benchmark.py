"""Benchmark: the batch at national scale, memory per process, the unchanged rerun, and a Dask cluster.

Issue 21's scale goals, each measured through `tongket run` itself (batch.runner.run) on synthetic
provinces (tongket.intake.sample: fictional districts of `--co-so` Đoàn cơ sở, four years):

  batch        `--districts` districts (1.000) with `--jobs` local workers (2): wall time, time per
               district, the peak memory of the run's own process (it reads the workbook once) and
               of its largest worker (each loads only its own slice of units, intake.slices), and the
               CPU time of the run's own process (it shares the machine with the workers)
  rerun        `tongket run` again with nothing changed, as a user types it (a new process): at the
               bundled sample's size, at 10× its units (synthetic), and after the big batch
  dask         `--communes` Đoàn cơ sở reporting on their own (cap_bao_cao co_so, the 2025 reform's
               province) on a Dask LocalCluster of `--jobs` worker processes: wall time, per commune,
               the workers' peak memory

Each part runs in its own process, and every peak is a process's own VmHWM (`peak_memory`: not
ru_maxrss, which a process started by fork and exec inherits from its parent); the workers' are
read while they run.

    .venv/bin/python benchmarks/scale_benchmark.py [--districts 1000] [--communes 3300] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from peak_memory import Descendants, own_peak_mb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "lib"), os.environ.get("PYTHONPATH", "")])}
REFORM_PARAMS = ROOT / "params" / "tong_ket_2021_sau_sap_xep.yaml"


def batch(workbook: str, out: str, jobs: int, engine: str, params: str | None) -> dict:
    """One whole run (every reporting unit and the province) with a local pool; its figures."""
    from tongket.batch.runner import run

    start, cpu = time.perf_counter(), time.process_time()
    with Descendants() as workers:
        result = run(params=params, data=workbook, out=out, jobs=jobs, engine=engine, progress=False)
    wall = time.perf_counter() - start
    units = [e for e in result.entries if e.cap != "tinh"]
    peaks = workers.largest()
    return {"units": len(units), "wall": round(wall, 2), "per_unit": round(wall / max(1, len(units)), 3),
            "failed": sum(e.status != "ok" for e in result.entries),
            # the run's own process: reading, checking, slicing, and recording each unit beside the workers
            "cpu_run": round(time.process_time() - cpu, 1),
            "peak_mb_run": own_peak_mb(), "peak_mb_worker": peaks[0], "peak_mb_workers": peaks}


def dask(workbook: str, out: str, jobs: int, engine: str, params: str | None) -> dict:
    """One whole run on a Dask LocalCluster of `jobs` worker processes; its figures."""
    from distributed import Client, LocalCluster

    from tongket.batch.runner import run

    with LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None,
                      host="127.0.0.1") as cluster, Client(cluster) as client:
        start = time.perf_counter()
        result = run(params=params, data=workbook, out=out, engine=engine, progress=False,
                     scheduler=cluster.scheduler_address)
        wall = time.perf_counter() - start
        peaks = client.run(own_peak_mb)
    units = [e for e in result.entries if e.cap != "tinh"]
    return {"units": len(units), "wall": round(wall, 2), "per_unit": round(wall / max(1, len(units)), 3),
            "failed": sum(e.status != "ok" for e in result.entries),
            "peak_mb_run": own_peak_mb(), "peak_mb_worker": max(peaks.values())}


def rerun(workbook: str, out: str, params: str | None, engine: str, times: int = 3) -> dict:
    """`tongket run` again with nothing changed, in a new process each time: the best and every wall time."""
    cmd = [sys.executable, "-m", "tongket", "run", "--data", workbook, "--out", out, "--engine", engine]
    if params:
        cmd.insert(4, params)
    walls = []
    for _ in range(times):
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, env=ENV)
        walls.append(round(time.perf_counter() - start, 2))
        if proc.returncode != 0 or "không đổi, bỏ qua" not in proc.stdout:
            raise RuntimeError(f"the rerun was not unchanged: {proc.stdout[-500:]} {proc.stderr[-500:]}")
    return {"best": min(walls), "walls": walls}


def _child(part: str, *args: str) -> dict:
    """Run one part in its own process (its own peak memory); its figures."""
    proc = subprocess.run([sys.executable, __file__, "--part", part, *args], capture_output=True, text=True, env=ENV)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-2000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _province(folder: Path, districts: int, co_so: int, reform: bool = False) -> Path:
    from tongket.intake import sample

    path = folder / f"tinh_{districts}x{co_so}{'_co_so' if reform else ''}.xlsx"
    start = time.perf_counter()
    sample.write(path, districts=sample.synthetic_districts(districts), co_so=co_so, sau_sap_xep=reform)
    print(f"   (sổ dữ liệu {path.name}: {path.stat().st_size / 1e6:.1f} MB, tạo trong "
          f"{time.perf_counter() - start:.1f} giây)", flush=True)
    return path


def _show(what: str, r: dict, unit: str) -> None:
    bad = f", {r['failed']} đơn vị lỗi" if r.get("failed") else ""
    print(f"   {what}: {r['units']} {unit}, {r['wall']:.1f} s, {r['per_unit']:.3f} s/{unit}; bộ nhớ đỉnh: tiến trình "
          f"chạy {r['peak_mb_run']:.0f} MB, tiến trình con lớn nhất {r['peak_mb_worker']:.0f} MB{bad}"
          + (f" (các tiến trình con lớn nhất: {', '.join(f'{p:.0f}' for p in r['peak_mb_workers'][:4])} MB)"
             if r.get("peak_mb_workers") else "")
          + (f"; CPU của tiến trình chạy {r['cpu_run']:.1f} s" if "cpu_run" in r else ""), flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--districts", type=int, default=1000, help="districts of the big batch (0: skip it)")
    ap.add_argument("--co-so", type=int, default=3, help="Đoàn cơ sở per synthetic district")
    ap.add_argument("--communes", type=int, default=3300, help="Đoàn cơ sở reporting on Dask (0: skip it)")
    ap.add_argument("--no-rerun", action="store_true", help="skip the unchanged reruns")
    ap.add_argument("--no-10x", action="store_true", help="skip the rerun at 10× the sample's units (the big "
                    "batch's rerun measures it when --districts is near 60)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--engine", default="direct", help="the engine of the batches (default direct)")
    ap.add_argument("--json", help="also write every figure to this file")
    ap.add_argument("--part", help=argparse.SUPPRESS)
    ap.add_argument("rest", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.part:
        workbook, out, params = args.rest[0], args.rest[1], (args.rest[2] or None) if len(args.rest) > 2 else None
        fn = {"batch": batch, "dask": dask}[args.part]
        print(json.dumps(fn(workbook, out, args.jobs, args.engine, params)))
        return

    from tongket.common import paths

    figures: dict = {"machine": {"cpus": os.cpu_count(), "load_before": os.getloadavg()[0]},
                     "jobs": args.jobs, "engine": args.engine}
    tmp = Path(tempfile.mkdtemp(prefix="tongket_scale_"))
    try:
        if not args.no_rerun:
            print("== Lần chạy lại không đổi (một tiến trình mới mỗi lần, như người dùng gõ lệnh)", flush=True)
            sample_data = tmp / "tinh_mau.xlsx"
            shutil.copy(paths.SAMPLE_DATA, sample_data)
            first = _child("batch", str(sample_data), str(tmp / "out_mau"))
            again = rerun(str(sample_data), str(tmp / "out_mau"), None, args.engine)
            figures["rerun"] = {"sample": {"units": first["units"], "first_run": first["wall"], **again}}
            print(f"   mẫu ({first['units']} huyện, 13 Đoàn cơ sở mỗi huyện): lần đầu {first['wall']:.1f} s; "
                  f"chạy lại {again['best']:.2f} s (các lần {again['walls']})", flush=True)
        if not args.no_rerun and not args.no_10x:
            n10 = 10 * first["units"]
            wb10 = _province(tmp, n10, args.co_so)
            first10 = _child("batch", str(wb10), str(tmp / "out_10x"))
            again10 = rerun(str(wb10), str(tmp / "out_10x"), None, args.engine)
            figures["rerun"]["10x_units"] = {"units": first10["units"], "first_run": first10["wall"], **again10}
            print(f"   10× đơn vị ({first10['units']} huyện): lần đầu {first10['wall']:.1f} s; chạy lại "
                  f"{again10['best']:.2f} s (các lần {again10['walls']})", flush=True)

        if args.districts:
            print(f"\n== {args.districts} huyện × {args.co_so} Đoàn cơ sở, {args.jobs} tiến trình, bộ chạy "
                  f"{args.engine}", flush=True)
            wb = _province(tmp, args.districts, args.co_so)
            r = _child("batch", str(wb), str(tmp / "out_big"))
            _show("lần đầu", r, "huyện")
            again_big = rerun(str(wb), str(tmp / "out_big"), None, args.engine)
            r["rerun"] = again_big["best"]
            print(f"   chạy lại không đổi: {again_big['best']:.2f} s", flush=True)
            figures["batch"] = {str(args.districts): r}
            shutil.rmtree(tmp / "out_big", ignore_errors=True)

        if args.communes:
            per = max(1, args.communes // max(1, args.co_so * 10))
            print(f"\n== Đoàn cơ sở báo cáo trực tiếp (cap_bao_cao co_so), cụm Dask LocalCluster {args.jobs} "
                  f"tiến trình, bộ chạy {args.engine}", flush=True)
            wb = _province(tmp, per, args.co_so * 10, reform=True)
            r = _child("dask", str(wb), str(tmp / "out_dask"), str(REFORM_PARAMS))
            _show("cụm Dask", r, "Đoàn cơ sở")
            figures["dask"] = {str(r["units"]): r}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    figures["machine"]["load_after"] = os.getloadavg()[0]
    print(f"\nTải máy (load average 1 phút): trước {figures['machine']['load_before']:.1f}, "
          f"sau {figures['machine']['load_after']:.1f} trên {os.cpu_count()} nhân.")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
