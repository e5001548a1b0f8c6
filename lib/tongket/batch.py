"""The batch: one papermill notebook per district in worker processes, then the province.

A district that fails is recorded with its Vietnamese error while the others finish; every file
is written to a temporary name and renamed, so a failed run leaves earlier outputs intact.
"""

from __future__ import annotations

import json
import os
import sys
import time
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from tqdm import tqdm

from . import paths
from .check import load, require_year
from .documents import missing_details
from .errors import ERROR, DataError, TongketError
from .files import safe_name, write_text
from .params import load_cycle
from .pdf import soffice, to_pdf

DISTRICT_NOTEBOOK = "bao_cao_huyen.ipynb"
PROVINCE_NOTEBOOK = "bao_cao_tinh.ipynb"
CELL_TIMEOUT = 600  # seconds a notebook cell may run before the district is stopped


@dataclass
class Entry:
    """One reporting unit of a run, as recorded in manifest.json."""

    ma_don_vi: str
    ten_don_vi: str
    cap: str
    status: str = "pending"  # ok | failed
    files: list[str] = field(default_factory=list)
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def execute(notebook: str, output: Path, parameters: dict[str, Any]) -> dict[str, Any]:
    """Run one notebook with papermill (in a worker process); the executed copy is renamed into
    place only when every cell succeeded. Returns status, error and timing."""
    import papermill as pm

    # The kernel must be this interpreter (the project's venv), whatever PATH the caller had.
    os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
    _quiet_kernels()
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(f".{output.stem}.{os.getpid()}.ipynb")
    start = time.perf_counter()
    try:
        pm.execute_notebook(str(paths.NOTEBOOKS / notebook), str(tmp), parameters=parameters,
                            kernel_name="python3", cwd=str(paths.ROOT), progress_bar=False,
                            execution_timeout=CELL_TIMEOUT, log_output=False)
        os.replace(tmp, output)
        return {"status": "ok", "error": None, "seconds": time.perf_counter() - start}
    except Exception as exc:  # noqa: BLE001 - every failure is recorded, never lost
        failed = output.with_name(f"{output.stem}_loi.ipynb")
        if tmp.exists():
            os.replace(tmp, failed)
        return {"status": "failed", "error": _message(exc), "seconds": time.perf_counter() - start}


_QUIET = False


def _quiet_kernels() -> None:
    """Kernels inherit the worker's stderr and log transport warnings there; what matters
    (tracebacks, values) is in the executed notebook and the manifest, so keep the terminal clean."""
    global _QUIET
    if not _QUIET and os.environ.get("TONGKET_KERNEL_LOG") is None:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
        _QUIET = True


def _message(exc: Exception) -> str:
    ename, evalue = getattr(exc, "ename", None), getattr(exc, "evalue", None)
    if ename:
        if ename in {"DataError", "ConfigError", "RenderError", "TongketError"}:
            return str(evalue)
        if "Timeout" in ename or "timed out" in str(evalue):
            return f"Quá thời gian chạy cho phép ({CELL_TIMEOUT} giây mỗi ô): {evalue}"
        return f"Lỗi khi chạy sổ tay: {ename}: {evalue}"
    if "Timeout" in type(exc).__name__ or "timed out" in str(exc):
        return f"Quá thời gian chạy cho phép ({CELL_TIMEOUT} giây mỗi ô)"
    return f"Lỗi khi chạy sổ tay: {type(exc).__name__}: {exc}"


@dataclass
class RunResult:
    """What a run did: the manifest's entries and where it is."""

    nam: int
    out: Path
    entries: list[Entry]
    manifest: Path

    @property
    def exit_code(self) -> int:
        return 0 if all(e.status == "ok" for e in self.entries) else 1


def run(params: str | Path | None = None, data: str | Path | None = None, nam: int | None = None,
        huyen: list[str] | None = None, jobs: int | None = None, out: str | Path | None = None,
        progress: bool = True, pdf: bool = False, gop_phieu: bool = False) -> RunResult:
    """The whole cycle: every district through the papermill notebook, then the province; with
    `pdf`, every document is also converted to PDF; with `gop_phieu`, each district's assessment
    sheets are also merged into one document."""
    started = datetime.now()
    cycle = load_cycle(params, data=data, nam=nam)
    if pdf:
        soffice()  # fail before any work when LibreOffice is missing
    d = load(cycle.data, cycle.scale)
    require_year(d, cycle.nam)
    unplaced = [i for i in d.issues if i.severity == ERROR and i.ma_huyen is None]
    if unplaced:
        raise DataError(unplaced)
    units = d.don_vi.set_index("ma_don_vi")
    all_huyen = list(units.index[units["cap"] == "huyen"])
    chosen = huyen or all_huyen
    unknown = [h for h in chosen if h not in all_huyen]
    if unknown:
        raise TongketError(f"Không có đơn vị cấp huyện mã: {', '.join(unknown)} "
                           f"(các mã có: {', '.join(all_huyen)})")
    tinh = str(units.index[units["cap"] == "tinh"][0])
    out_root = paths.resolve(out) if out else paths.OUTPUTS
    year_dir = out_root / str(cycle.nam)
    common = {"params": str(cycle.path), "data": str(cycle.data), "nam": cycle.nam, "out_dir": str(out_root)}
    entries = {h: Entry(h, str(units.loc[h, "ten_don_vi"]), "huyen") for h in chosen}
    province = Entry(tinh, str(units.loc[tinh, "ten_don_vi"]), "tinh")
    for e in [*entries.values(), province]:
        unit = units.loc[e.ma_don_vi].to_dict() | {"ma_don_vi": e.ma_don_vi}
        parent = units.loc[unit["ma_cap_tren"]].to_dict() if unit.get("ma_cap_tren") in units.index else None
        e.warnings = missing_details(cycle, unit, parent)
    for i in d.issues:
        if i.severity == ERROR and i.ma_huyen in entries:
            e = entries[i.ma_huyen]
            e.status = "failed"
            e.error = (e.error + "\n" if e.error else "Dữ liệu có lỗi:\n") + str(i)
    todo = [h for h in chosen if entries[h].status != "failed"]
    jobs = max(1, min(jobs or os.cpu_count() or 1, max(1, len(todo))))
    bar = tqdm(total=len(todo) + 1, desc="Lập báo cáo", unit="đơn vị", disable=not progress, file=sys.stderr)
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures: dict[Future, str] = {
            pool.submit(execute, DISTRICT_NOTEBOOK, year_dir / safe_name(h) / "bao_cao.ipynb",
                        {**common, "ma_huyen": h, "gop_phieu": gop_phieu}): h
            for h in todo}
        for fut in as_completed(futures):
            _record(entries[futures[fut]], fut.result(), year_dir / safe_name(futures[fut]))
            bar.update(1)
        res = pool.submit(execute, PROVINCE_NOTEBOOK, year_dir / safe_name(tinh) / "bao_cao.ipynb", common).result()
        _record(province, res, year_dir / safe_name(tinh))
        bar.update(1)
    bar.close()
    all_entries = [entries[h] for h in chosen] + [province]
    if pdf:
        convert_all(all_entries, year_dir, jobs)
    manifest = write_manifest(year_dir, cycle.nam, common, all_entries, started)
    return RunResult(cycle.nam, out_root, all_entries, manifest)


def _record(entry: Entry, res: dict[str, Any], folder: Path) -> None:
    entry.status, entry.error = res["status"], res["error"]
    entry.timings["seconds"] = round(res["seconds"], 2)
    if entry.status == "ok":
        entry.files = sorted(str(p.relative_to(folder.parent)) for p in folder.rglob("*")
                             if p.is_file() and not p.name.startswith(".") and not p.name.endswith("_loi.ipynb"))


def convert_all(entries: list[Entry], year_dir: Path, jobs: int) -> None:
    """Every document of every unit done, to PDF; a document that fails marks its unit failed
    (its Word files stay)."""
    start = time.perf_counter()
    owner = {}
    for e in entries:
        if e.status == "ok":
            for f in e.files:
                if f.endswith(".docx"):
                    owner[year_dir / f] = e
    results = to_pdf(list(owner), jobs)
    for f, err in results.items():
        e = owner[f]
        if err is None:
            e.files.append(str(f.with_suffix(".pdf").relative_to(year_dir)))
        else:
            e.status = "failed"
            e.error = (e.error + "\n" if e.error else "") + f"Không chuyển được sang PDF: {f.name}: {err}"
    seconds = time.perf_counter() - start
    for e in {id(e): e for e in owner.values()}.values():
        e.timings["pdf_seconds_total"] = round(seconds, 2)
        e.files.sort()


def write_manifest(year_dir: Path, nam: int, parameters: dict[str, Any], entries: list[Entry],
                   started: datetime) -> Path:
    """manifest.json: one entry per district (and the province), atomically."""
    doc = {
        "nam": nam,
        "bat_dau": started.isoformat(timespec="seconds"),
        "ket_thuc": datetime.now().isoformat(timespec="seconds"),
        "tham_so": parameters,
        "tong_so": len(entries),
        "thanh_cong": sum(e.status == "ok" for e in entries),
        "that_bai": sum(e.status == "failed" for e in entries),
        "districts": [asdict(e) for e in entries if e.cap == "huyen"],
        "province": next((asdict(e) for e in entries if e.cap == "tinh"), None),
    }
    return write_text(year_dir / "manifest.json", json.dumps(doc, ensure_ascii=False, indent=2))
