"""The batch: one notebook per district in worker processes, then the province.

Engines (``tongket.engines``): ``warm`` papermill with one kept kernel per worker (default), plain
``papermill`` (a fresh kernel per district) and ``direct`` (the notebook's code in process). The
runner takes any ``concurrent.futures``-style executor: a local process pool by default, or a
Dask cluster (``scheduler="tcp://…"``). A district whose inputs have not changed since its last
successful run is skipped (``force`` reruns everything, ``huyen`` reruns the districts named).
A district that fails or runs past its time limit is recorded with its Vietnamese error while the
others finish; every file is written to a temporary name and renamed, so a failed run leaves
earlier outputs intact. ``manifest.json`` and ``nhat_ky_chay.xlsx`` are the audit trail.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from tqdm import tqdm

from . import audit, paths
from .check import load, require_year
from .doccheck import WARNING as DOC_WARNING
from .doccheck import sidecar_warnings as doc_warnings
from .documents import missing_details
from .engines import DEFAULT_ENGINE, DEFAULT_TIMEOUT, ENGINES, run_unit, warm_up
from .errors import ERROR, DataError, TongketError
from .files import safe_name, write_text
from .params import load_cycle
from .pdf import soffice, to_pdf
from .schema import TEN_CAP

DISTRICT_NOTEBOOK = "bao_cao_huyen.ipynb"
PROVINCE_NOTEBOOK = "bao_cao_tinh.ipynb"
MANIFEST = "manifest.json"
SUMMARY = "nhat_ky_chay.xlsx"


@dataclass
class Entry:
    """One reporting unit of a run, as recorded in manifest.json."""

    ma_don_vi: str
    ten_don_vi: str
    cap: str
    status: str = "pending"  # ok | failed
    skipped: bool = False  # ok, and not run again: its inputs were unchanged since its last run
    files: list[str] = field(default_factory=list)
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    timings: dict[str, Any] = field(default_factory=dict)
    fingerprint: str | None = None


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

    @property
    def unchanged(self) -> list[Entry]:
        return [e for e in self.entries if e.skipped]


def run(params: str | Path | None = None, data: str | Path | None = None, nam: int | None = None,
        huyen: list[str] | None = None, jobs: int | None = None, out: str | Path | None = None,
        progress: bool = True, pdf: bool = False, gop_phieu: bool = False, engine: str = DEFAULT_ENGINE,
        force: bool = False, timeout: float = DEFAULT_TIMEOUT, scheduler: str | None = None,
        executor: Executor | None = None, notebooks_dir: str | Path | None = None,
        on_unit: Callable[[Entry, int, int], None] | None = None, start_method: str | None = None,
        cap_bao_cao: str | None = None) -> RunResult:
    """The whole cycle: every reporting unit through its notebook, then the province. The
    reporting units are the districts, or the Đoàn cơ sở when the cycle (or `cap_bao_cao`) says
    `co_so`; same notebook, same outputs layout, `huyen` then names Đoàn cơ sở. With `pdf`,
    every document is also converted to PDF; with `gop_phieu`, each district's assessment sheets
    are also merged into one document. Districts whose inputs are unchanged since their last
    successful run are skipped unless `force` (or named in `huyen`). `on_unit(entry, done, total)`
    is called as each unit finishes (the workbook's progress bar). `start_method` ("spawn") starts
    the local workers afresh: a Jupyter kernel, which has threads, must not be forked."""
    started = datetime.now()
    if engine not in ENGINES:
        raise TongketError(f"Không có bộ chạy «{engine}» (có: {', '.join(ENGINES)})")
    cycle = load_cycle(params, data=data, nam=nam, cap_bao_cao=cap_bao_cao)
    cap = cycle.cap_bao_cao
    if pdf:
        soffice()  # fail before any work when LibreOffice is missing
    d = load(cycle.data, cycle.scale)
    require_year(d, cycle.nam)
    unplaced = [i for i in d.issues if i.severity == ERROR and i.reporting_unit(cap) is None]
    if unplaced:
        raise DataError(unplaced)
    units = d.don_vi.set_index("ma_don_vi")
    all_huyen = list(units.index[units["cap"] == cap])  # the reporting units, in the workbook's order
    if not all_huyen:
        raise TongketError(f"Dữ liệu không có đơn vị cấp {TEN_CAP[cap]} nào để lập báo cáo "
                           f"(cap_bao_cao: {cap}); kiểm tra cột Cấp của trang don_vi")
    chosen = huyen or all_huyen
    unknown = [h for h in chosen if h not in all_huyen]
    if unknown:
        raise TongketError(f"Không có đơn vị cấp {TEN_CAP[cap]} mã: {', '.join(unknown)} "
                           f"(các mã có: {', '.join(all_huyen)})")
    tinh = str(units.index[units["cap"] == "tinh"][0])
    out_root = paths.resolve(out) if out else paths.OUTPUTS
    year_dir = out_root / str(cycle.nam)
    notebooks = Path(notebooks_dir or paths.NOTEBOOKS)
    common = {"params": str(cycle.path), "data": str(cycle.data), "nam": cycle.nam, "out_dir": str(out_root),
              "cap_bao_cao": cap}
    entries = {h: Entry(h, str(units.loc[h, "ten_don_vi"]), cap) for h in chosen}
    province = Entry(tinh, str(units.loc[tinh, "ten_don_vi"]), "tinh")
    for e in [*entries.values(), province]:
        unit = units.loc[e.ma_don_vi].to_dict() | {"ma_don_vi": e.ma_don_vi}
        parent = units.loc[unit["ma_cap_tren"]].to_dict() if unit.get("ma_cap_tren") in units.index else None
        e.warnings = missing_details(cycle, unit, parent)
    for i in d.issues:
        if i.severity == ERROR and i.reporting_unit(cap) in entries:
            e = entries[i.reporting_unit(cap)]
            e.status = "failed"
            e.error = (e.error + "\n" if e.error else "Dữ liệu có lỗi:\n") + str(i)

    # What each unit's documents depend on; units done before with the same inputs are skipped.
    inputs = audit.input_files(cycle, [notebooks / DISTRICT_NOTEBOOK, notebooks / PROVINCE_NOTEBOOK])
    kit = audit.kit_version()
    rows = audit.data_digests(d, cap)
    shared = [{k: v for k, v in inputs.items() if k != "du_lieu"}, kit, common, cycle.nam,
              {"notebook": engine != "direct", "pdf": pdf, "gop_phieu": gop_phieu}]
    for h, e in entries.items():
        e.fingerprint = audit.fingerprint(shared, rows.get(h), rows.get(None))
    province.fingerprint = audit.fingerprint(shared, sorted(rows.items(), key=lambda kv: kv[0] or ""))
    previous = _previous(year_dir)
    _skip_unchanged([*entries.values(), province], previous, year_dir,
                    forced={*chosen, tinh} if force else set(huyen or []))

    todo = [h for h in chosen if entries[h].status == "pending"]
    run_province = province.status == "pending"
    jobs = max(1, min(jobs or os.cpu_count() or 1, max(1, len(todo))))
    where = f"dask:{scheduler}" if scheduler else ("executor" if executor else f"local:{jobs}")
    done, total = 0, len(todo) + run_province
    if todo or run_province:
        with _executor(executor, scheduler, jobs, engine, start_method) as pool, tqdm(
                total=len(todo) + run_province, desc="Lập báo cáo", unit="đơn vị", disable=not progress,
                file=sys.stderr) as bar:
            task = lambda nb, folder, extra: pool.submit(  # noqa: E731
                run_unit, engine, nb, year_dir / folder / "bao_cao.ipynb", {**common, **extra}, timeout, notebooks)
            futures: dict[Future, str] = {
                task(DISTRICT_NOTEBOOK, safe_name(h), {"ma_huyen": h, "gop_phieu": gop_phieu}): h for h in todo}
            for fut in as_completed(futures):
                _record(entries[futures[fut]], _outcome(fut), year_dir / safe_name(futures[fut]))
                bar.update(1)
                done += 1
                if on_unit:
                    on_unit(entries[futures[fut]], done, total)
            if run_province:
                _record(province, _outcome(task(PROVINCE_NOTEBOOK, safe_name(tinh), {})), year_dir / safe_name(tinh))
                bar.update(1)
                done += 1
                if on_unit:
                    on_unit(province, done, total)
    all_entries = [entries[h] for h in chosen] + [province]
    if pdf:
        convert_all([e for e in all_entries if e.status == "ok" and not e.skipped], year_dir, jobs)
    for e in all_entries:
        if e.status == "failed":
            e.fingerprint = None  # never skipped next time
    carried = [previous[h] for h in all_huyen if h not in entries and h in previous]
    run_info = {"engine": engine, "executor": where, "force": force, "timeout": timeout,
                "huyen": huyen or None, "jobs": jobs}
    manifest = write_manifest(year_dir, cycle.nam, common | run_info, all_entries, started, carried=carried,
                              inputs=inputs | {"du_lieu_theo_huyen": {k or tinh: v for k, v in rows.items()}},
                              kit=kit, order=all_huyen)
    return RunResult(cycle.nam, out_root, all_entries, manifest)


@contextmanager
def _executor(executor: Executor | None, scheduler: str | None, jobs: int, engine: str,
              start_method: str | None = None) -> Iterator[Executor]:
    """The given executor (left open), a Dask cluster's (`scheduler`), or a local process pool whose
    workers warm up (imports, kernel) while the parent goes on."""
    if executor is not None:
        yield executor
    elif scheduler:
        try:
            from distributed import Client
        except ImportError as exc:  # pragma: no cover - distributed is a dependency
            raise TongketError("Cần cài gói distributed để chạy trên cụm Dask") from exc
        try:
            client = Client(scheduler, timeout=30)
        except OSError as exc:
            raise TongketError(f"Không kết nối được bộ điều phối Dask {scheduler}: {exc}") from exc
        try:
            yield client.get_executor(pure=False)
        finally:
            client.close()
    else:
        context = multiprocessing.get_context(start_method) if start_method else None
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_warm_up_quietly,
                                 initargs=(engine,)) as pool:
            yield pool


def _warm_up_quietly(engine: str) -> None:
    try:
        warm_up(engine)
    except Exception:  # noqa: BLE001 - a failed warm-up is retried, and reported, by the first unit
        pass


def _previous(year_dir: Path) -> dict[str, dict[str, Any]]:
    """The units of the last manifest, by code (empty where there is none or it is unreadable)."""
    try:
        m = json.loads((year_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    units = [*m.get("districts", []), *([m["province"]] if m.get("province") else [])]
    return {u["ma_don_vi"]: u for u in units if isinstance(u, dict) and "ma_don_vi" in u}


def _skip_unchanged(entries: list[Entry], previous: dict[str, dict[str, Any]], year_dir: Path,
                    forced: set[str]) -> None:
    """Mark as done, without running them again, the units (not `forced`) that the last run did
    with the same fingerprint and whose files are all still there."""
    for e in entries:
        before = previous.get(e.ma_don_vi)
        if (e.status == "failed" or e.ma_don_vi in forced or not before or before.get("status") != "ok"
                or not e.fingerprint or before.get("fingerprint") != e.fingerprint
                or not all((year_dir / f).is_file() for f in before.get("files", []))):
            continue
        e.status, e.skipped, e.files = "ok", True, list(before["files"])
        e.warnings = [*e.warnings, *(w for w in before.get("warnings", []) if w.startswith(DOC_WARNING))]
        e.timings = {"seconds": 0.0, "lan_truoc": before.get("timings", {})}


def _outcome(fut: Future) -> dict[str, Any]:
    """A unit's result; a worker that died (killed, out of memory, a lost Dask worker) fails that
    unit, not the run."""
    try:
        return fut.result()
    except Exception as exc:  # noqa: BLE001 - recorded in the manifest, the others go on
        return {"status": "failed", "seconds": 0.0, "stages": {},
                "error": f"Tiến trình chạy đơn vị này bị dừng bất thường ({type(exc).__name__}: {exc})"}


def _record(entry: Entry, res: dict[str, Any], folder: Path) -> None:
    entry.status, entry.error = res["status"], res["error"]
    entry.timings = {"seconds": round(res["seconds"], 2), "stages": res.get("stages", {})}
    if entry.status == "ok":
        entry.warnings = [*entry.warnings, *doc_warnings(folder)]
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
                   started: datetime, carried: list[dict[str, Any]] | None = None,
                   inputs: dict[str, Any] | None = None, kit: dict[str, str] | None = None,
                   order: list[str] | None = None) -> Path:
    """manifest.json (atomically): parameters, input and template hashes, versions, and one entry
    per district (those of this run, and those an earlier run left when `huyen` named some) and
    the province; and its readable copy nhat_ky_chay.xlsx."""
    districts = [asdict(e) for e in entries if e.cap != "tinh"] + list(carried or [])  # the reporting units
    if order:
        rank = {c: i for i, c in enumerate(order)}
        districts.sort(key=lambda u: rank.get(u["ma_don_vi"], len(rank)))
    units = [*districts, *(asdict(e) for e in entries if e.cap == "tinh")]
    doc = {
        "nam": nam,
        "bat_dau": started.isoformat(timespec="seconds"),
        "ket_thuc": datetime.now().isoformat(timespec="seconds"),
        "engine": parameters.get("engine", DEFAULT_ENGINE),
        "tham_so": parameters,
        "phien_ban": kit or audit.kit_version(),
        "git": audit.git_version(),
        "thu_vien": audit.package_versions(),
        "dau_vao": inputs or {},
        "tong_so": len(units),
        "thanh_cong": sum(u["status"] == "ok" for u in units),
        "khong_doi": sum(bool(u.get("skipped")) for u in units),  # of thanh_cong: not run again
        "that_bai": sum(u["status"] == "failed" for u in units),
        "districts": districts,
        "province": next((asdict(e) for e in entries if e.cap == "tinh"), None),
    }
    path = write_text(year_dir / MANIFEST, json.dumps(doc, ensure_ascii=False, indent=2))
    audit.write_summary(doc, year_dir / SUMMARY)
    return path
