"""Benchmark: `tongket collect` on a province's returned forms, the forms typed together against
each form typed alone (the plain way, and the kit's until December 2026).

Writes the forms of a province (`--districts` 0: the bundled sample, 81 forms; else a synthetic
province of that many districts of `--co-so` Đoàn cơ sở, one form per Đoàn cơ sở and one per
district), fills each with the sample's figures as a unit would (only the white cells), then runs
`collect` on the folder twice in this process, in turn:

  together   the kit: every form read, then each data sheet typed once for all forms of one
             layout (intake.columns.type_sheets), then each form checked against the tree
  alone      the same collect with each form's sheets typed one by one (intake.columns.type_sheet)

and prints, for each: wall time, time per form, and the share spent typing; the ratio; and whether
the two give the same consolidated rows, the same status table and the same issues in the same
order (exit 1 if not).

    .venv/bin/python benchmarks/collect_benchmark.py [--districts 0] [--co-so 13] [--json FILE]
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))
sys.path.insert(0, str(ROOT / "tests"))  # the form filler the tests use (conftest.fill_forms)
from conftest import fill_forms  # noqa: E402
from tongket.intake import check, columns, sample  # noqa: E402
from tongket.intake.forms import write_forms  # noqa: E402
from tongket.rules.params import load_cycle  # noqa: E402

collect = importlib.import_module("tongket.intake.collect")  # (the package exports the function of that name)
returned = importlib.import_module("tongket.intake.returned")  # where each returned file is read and typed


def _alone(raws, key, scale, emulation=None, max_count=columns.MAX_COUNT):
    """The plain way: each form's sheet typed on its own."""
    out = []
    for raw in raws:
        issues: list = []
        try:
            out.append((columns.type_sheet(raw, key, scale, issues, emulation, max_count), issues))
        except Exception as exc:  # noqa: BLE001 - as type_sheets reports it
            out.append(exc)
    return out


def _timed(way: str, folder: Path, data, cycle) -> tuple[float, float, object]:
    original = returned.type_sheets
    typing = [0.0]

    def counted(*a, **k):
        t = time.perf_counter()
        try:
            return (_alone if way == "alone" else original)(*a, **k)
        finally:
            typing[0] += time.perf_counter() - t

    returned.type_sheets = counted
    try:
        t = time.perf_counter()
        res = collect.collect(folder, data, cycle.nam, cycle.scale, cycle.emulation, cycle.han_nop)
        return time.perf_counter() - t, typing[0], res
    finally:
        returned.type_sheets = original


def _same(a, b) -> list[str]:
    diffs = []
    for key in ("chi_doan", "co_so"):
        try:
            pd.testing.assert_frame_equal(getattr(a.data, key), getattr(b.data, key))
        except AssertionError:
            diffs.append(f"dòng gộp trang {key}")
    if not a.status.equals(b.status):
        diffs.append("bảng tình trạng nộp")
    if [str(i) for i in a.issues] != [str(i) for i in b.issues]:
        diffs.append("danh sách vấn đề")
    if not a.rejected.equals(b.rejected):
        diffs.append("dòng bị loại")
    return diffs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--districts", type=int, default=0, help="0: the bundled sample; else a synthetic province")
    ap.add_argument("--co-so", type=int, default=13, help="Đoàn cơ sở per synthetic district")
    ap.add_argument("--json", metavar="FILE", help="also write the figures to FILE (JSON)")
    a = ap.parse_args()
    cycle = load_cycle()
    with tempfile.TemporaryDirectory() as tmp:
        book = cycle.data
        if a.districts:
            book = Path(tmp) / "tinh.xlsx"
            sample.write(book, districts=sample.synthetic_districts(a.districts), co_so=a.co_so)
        data = check.load(book, cycle.scale, cycle.emulation)
        folder = Path(tmp) / "phieu"
        t = time.perf_counter()
        forms = write_forms(data, cycle.nam, folder, cycle.han_nop, cycle.ten_ky)
        fill_forms(folder, data, cycle.nam)
        made = time.perf_counter() - t
        print(f"{len(forms)} phiếu (lập và điền trong {made:.1f} giây)")
        runs = {}
        for way in ("alone", "together", "alone", "together"):  # in turn, the second pair counted
            runs[way] = _timed(way, folder, data, cycle)
    n = len(forms)
    print(f"{'cách làm':<12}{'thời gian (s)':>15}{'mỗi phiếu (s)':>15}{'trong đó gõ kiểu (s)':>22}")
    for way, label in (("alone", "từng phiếu"), ("together", "gộp phiếu")):
        wall, typing, _ = runs[way]
        print(f"{label:<12}{wall:>15.2f}{wall / n:>15.3f}{typing:>22.2f}")
    (wa, ta, ra), (wt, tt, rt) = runs["alone"], runs["together"]
    print(f"tỉ lệ thời gian từng phiếu / gộp phiếu: {wa / wt:.2f}× (riêng phần gõ kiểu: {ta / max(tt, 1e-9):.1f}×)")
    diffs = _same(ra, rt)
    print("kết quả khớp (dòng gộp, tình trạng nộp, vấn đề và thứ tự, dòng bị loại)" if not diffs else
          "KẾT QUẢ KHÔNG KHỚP: " + "; ".join(diffs))
    if a.json:
        Path(a.json).write_text(json.dumps({"forms": n, **{way: {"seconds": round(w, 3), "per_form": round(w / n, 4),
                                                                  "typing_seconds": round(ty, 3)}
                                                            for way, (w, ty, _) in runs.items()}}, indent=2) + "\n",
                                encoding="utf-8")
    if diffs:
        sys.exit(1)


if __name__ == "__main__":
    main()
