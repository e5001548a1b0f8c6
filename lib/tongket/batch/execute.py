"""Running the units of a batch: the executor (a local process pool, a Dask cluster, or one given),
one notebook per unit in a staging folder, the progress bar, the PDFs, and each unit done put in
place whole with its files' hashes and its fingerprint."""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from ..common.compat import kill_pool_workers
from ..common.files import safe_name
from ..documents.doccheck import sidecar_warnings as doc_warnings
from ..documents.pdf import to_pdf
from ..errors import TongketError
from . import staging
from .engines import DISTRICT_NOTEBOOK, PROVINCE_NOTEBOOK, die_with_parent, run_unit, warm_up
from .manifest import RUNNING, Entry
from .options import RunOptions


@dataclass
class Batch:
    """The units a run executes, and where: the staging folder, then the year folder."""

    options: RunOptions
    todo: list[str]  # the reporting units to run, in order
    entries: dict[str, Entry]  # every chosen reporting unit's entry, by code
    province: Entry
    run_province: bool
    wanted: dict[str, str]  # each unit's fingerprint, recorded once its files are in place
    year_dir: Path
    stage: Path
    common: dict[str, Any]  # the notebooks' parameters shared by every unit
    notebooks: Path
    jobs: int
    save: Callable[..., Path]  # writes the manifest with the run's state (`changed`: the entries changed since the last)
    # The details a unit's documents lack, once its files are known (optional documents named only
    # where written): (entry, the file names written) -> the warning lines; None: as opened.
    details: Callable[[Entry, set[str]], list[str]] | None = None
    data: dict[str, str] = field(default_factory=dict)  # each unit's slice of the data (intake.slices), by code
    waiting: list[Entry] = field(default_factory=list)  # done, their PDFs still to make
    done: int = 0

    @property
    def staged(self) -> Path:
        """Where the notebooks write (<out_dir>/<nam>/<unit>)."""
        return self.stage / str(self.common["nam"])

    @property
    def total(self) -> int:
        return len(self.todo) + self.run_province


def run_units(batch: Batch) -> None:
    """Run the units in the staging folder; each unit done is put in place whole (after its PDFs,
    with `pdf`), its files hashed, its fingerprint recorded, and the manifest updated. With more
    than one worker the province, the longest unit and dependent on none, starts first; it is
    always recorded last."""
    o = batch.options
    with executor_for(o.executor, o.scheduler, batch.jobs, o.engine, o.start_method) as pool, tqdm(
            total=batch.total, desc="Lập báo cáo", unit="đơn vị", disable=not o.progress, file=sys.stderr) as bar:
        params = {**batch.common, "out_dir": str(batch.stage)}

        def task(nb: str, code: str, extra: dict[str, Any]) -> Future:
            own = {"data": batch.data[code]} if code in batch.data else {}  # only its own rows
            return pool.submit(run_unit, o.engine, nb, batch.staged / safe_name(code) / "bao_cao.ipynb",
                               {**params, **own, **extra}, o.timeout, batch.notebooks)

        def province() -> Future:
            return task(PROVINCE_NOTEBOOK, batch.province.ma_don_vi, {})

        # Beside other units, the province starts first: its totals leave out only the units whose
        # data have errors, decided before any unit runs. Alone, it runs last, as it is recorded.
        early = province() if batch.run_province and batch.jobs > 1 else None
        futures: dict[Future, str] = {
            task(DISTRICT_NOTEBOOK, h, {"ma_bao_cao": h, "gop_phieu": o.gop_phieu}): h for h in batch.todo}
        for fut in as_completed(futures):
            _finish(batch, batch.entries[futures[fut]], _outcome(fut), bar)
        if batch.run_province:
            _finish(batch, batch.province, _outcome(early or province()), bar)
    if batch.waiting:
        _convert_and_publish(batch)


def _finish(batch: Batch, entry: Entry, res: dict[str, Any], bar: tqdm) -> None:
    """One unit's notebook is done: record it, put it in place (or wait for its PDFs), say so."""
    folder = batch.staged / safe_name(entry.ma_don_vi)
    before = batch.details(entry, set()) if batch.details is not None else []
    record_result(entry, res, folder)
    if entry.status == "ok" and batch.details is not None:  # the optional documents it issued, named too
        after = batch.details(entry, {Path(f).name for f in entry.files})
        entry.warnings = [*after, *(w for w in entry.warnings if w not in before)]
    if entry.status == "ok":
        if batch.options.pdf:
            batch.waiting.append(entry)
        else:
            _publish(entry, folder, batch.year_dir, batch.stage, batch.wanted[entry.ma_don_vi])
    else:
        _keep_failed_notebook(folder, batch.year_dir / safe_name(entry.ma_don_vi))
    batch.save(RUNNING, changed=[entry])  # only this unit's entry has changed since the last save
    bar.update(1)
    batch.done += 1
    if batch.options.on_unit:
        batch.options.on_unit(entry, batch.done, batch.total)


def _convert_and_publish(batch: Batch) -> None:
    """The PDFs of every unit done, then each unit (still ok) put in place."""
    convert_all(batch.waiting, batch.staged, batch.jobs)
    for e in batch.waiting:
        folder = batch.staged / safe_name(e.ma_don_vi)
        if e.status == "ok":
            _publish(e, folder, batch.year_dir, batch.stage, batch.wanted[e.ma_don_vi])
        else:
            e.files = []
            _keep_failed_notebook(folder, batch.year_dir / safe_name(e.ma_don_vi))
    batch.save(RUNNING)


def _publish(entry: Entry, folder: Path, year_dir: Path, stage: Path, fingerprint: str) -> None:
    """Put a unit's staged folder in place of its old one, whole; then record its files' hashes
    and its fingerprint."""
    for tmp in [p for p in folder.rglob(".*") if p.is_file()]:  # a temporary file is never a result
        tmp.unlink()
    files = staging.listing(folder, folder.parent)
    entry.hashes = staging.hashes(files, folder.parent)
    entry.files = files
    staging.swap(folder, year_dir / folder.name, stage)
    entry.fingerprint = fingerprint


def _keep_failed_notebook(folder: Path, target: Path) -> None:
    """A failed unit keeps its earlier documents (the manifest says they are not this run's); the
    notebook as far as it ran goes beside them as bao_cao_loi.ipynb."""
    for nb in folder.glob("*_loi.ipynb"):
        target.mkdir(parents=True, exist_ok=True)
        os.replace(nb, target / nb.name)


@contextmanager
def executor_for(executor: Executor | None, scheduler: str | None, jobs: int, engine: str,
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
        method = start_method_of(start_method)
        context = multiprocessing.get_context(method) if method else None
        # A worker started by the fork server is its child, not the run's; the server ends with the run.
        parent = None if method == "forkserver" else os.getpid()
        pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_warm_up_quietly,
                                   initargs=(engine, parent, dict(os.environ)))
        try:
            yield pool
        except BaseException:  # Ctrl-C or a bug: stop the workers now (their kernels follow), not after the queue
            kill_pool_workers(pool)
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown(wait=True)


def start_method_of(asked: str | None = None) -> str | None:
    """How the local workers start: as `asked`, else from a fork server where there is one (Linux,
    macOS), so that a worker holds only what it loads, its own units' rows, and not a copy of the
    run's process, which has read the whole workbook (the default fork copied it into every worker:
    399 MB at 1.000 districts before a worker did anything); elsewhere (Windows) the platform's own,
    spawn (None)."""
    if asked:
        return asked
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else None


PRELOAD = {"direct": ["tongket.batch.engines", "tongket.pipeline"]}  # what a worker imports, by engine


def start_workers_server(o: RunOptions) -> None:
    """Start the fork server the local workers will start from, once units are sure to run: it
    imports what a worker needs while the run writes the units' slices, and every worker then starts
    with those imports done (once per process: a later run, a notebook's, reuses the server)."""
    if o.executor is not None or o.scheduler or start_method_of(o.start_method) != "forkserver":
        return
    from multiprocessing import forkserver

    forkserver.set_forkserver_preload(PRELOAD.get(o.engine, ["tongket.batch.engines"]))
    forkserver.ensure_running()


def _warm_up_quietly(engine: str, parent: int | None = None, environ: dict[str, str] | None = None) -> None:
    if environ is not None:  # the run's environment now, not the fork server's when it started
        os.environ.clear()
        os.environ.update(environ)
    # A worker never outlives the run, even one killed with kill -9: its parent is the run, or the
    # fork server, which ends when the run does.
    if parent is None:
        _leave_the_server_to_the_run()
    die_with_parent(parent if parent is not None else os.getppid())
    try:
        warm_up(engine)
    except Exception:  # noqa: BLE001 - a failed warm-up is retried, and reported, by the first unit
        pass


def _leave_the_server_to_the_run() -> None:
    """A worker started by the fork server is handed the write end of the server's «alive» pipe, so
    that it could start processes of its own from the server, which ends only when every holder has
    closed it: a run killed with kill -9 would leave the server, and so its workers, running. Our
    workers start none, so each closes it, and the server ends with the run (then the workers, by
    `die_with_parent`)."""
    from multiprocessing import forkserver

    server = getattr(forkserver, "_forkserver", None)
    fd = getattr(server, "_forkserver_alive_fd", None)
    if fd is not None:
        try:
            os.close(fd)
        except OSError:
            pass
        server._forkserver_alive_fd = None  # type: ignore[union-attr]


def _outcome(fut: Future) -> dict[str, Any]:
    """A unit's result; a worker that died (killed, out of memory, a lost Dask worker) fails that
    unit, not the run."""
    try:
        return fut.result()
    except Exception as exc:  # noqa: BLE001 - recorded in the manifest, the others go on
        return {"status": "failed", "seconds": 0.0, "stages": {},
                "error": f"Tiến trình chạy đơn vị này bị dừng bất thường ({type(exc).__name__}: {exc})"}


def record_result(entry: Entry, res: dict[str, Any], folder: Path) -> None:
    entry.status, entry.error = res["status"], res["error"]
    entry.timings = {"seconds": round(res["seconds"], 2), "stages": res.get("stages", {})}
    if entry.status == "ok":
        entry.warnings = [*entry.warnings, *doc_warnings(folder)]
        entry.files = sorted(p.relative_to(folder.parent).as_posix() for p in folder.rglob("*")
                             if p.is_file() and not p.name.startswith(".") and not p.name.endswith("_loi.ipynb"))


def convert_all(entries: list[Entry], year_dir: Path, jobs: int) -> None:
    """Every document of every unit done (files relative to `year_dir`, the staging folder of a
    run), to PDF; a document that fails marks its unit failed."""
    start = time.perf_counter()
    owner: dict[Path, Entry] = {}
    for e in entries:
        if e.status == "ok":
            for name in e.files:
                if name.endswith(".docx"):
                    owner[year_dir / name] = e
    results = to_pdf(list(owner), jobs)
    for doc, err in results.items():
        e = owner[doc]
        if err is None:
            e.files.append(doc.with_suffix(".pdf").relative_to(year_dir).as_posix())
        else:
            e.status = "failed"
            e.error = (e.error + "\n" if e.error else "") + f"Không chuyển được sang PDF: {doc.name}: {err}"
    seconds = time.perf_counter() - start
    for e in {id(e): e for e in owner.values()}.values():
        e.timings["pdf_seconds_total"] = round(seconds, 2)
        e.files.sort()
