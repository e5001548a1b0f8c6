"""How one reporting unit's notebook is run: three engines, one result shape.

- ``papermill``: papermill as it ships, a fresh kernel for every unit (the slowest; the reference).
- ``warm`` (default): papermill with the ``tongket_warm`` engine, registered through papermill's
  engine plug-in mechanism (entry point ``papermill.engine``). Each worker process keeps one
  kernel alive across notebooks: the kit is imported once, the notebook's namespace is reset
  (``%reset -f``, figures closed, execution counter back to 1) before each unit, and a kernel
  that failed or timed out is shut down and replaced. Every unit still gets a clean executed
  notebook, the audit record.
- ``direct``: the notebook's own code cells, parameterised exactly as papermill would, executed
  in the worker process with ``exec``: the same library calls, no kernel, no executed notebook.

Every engine returns ``{"status", "error", "seconds", "stages"}``; ``stages`` sums the cells'
durations under each ``##`` heading of the notebook. Workers of a batch keep the assessed review
between units (``review.keep_reviews``), which is safe there because a run's inputs are fixed.
"""

from __future__ import annotations

import gc
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

from ..common import paths
from ..common.portable import end_with_parent, time_limit
from ..errors import TongketError, UnitTimeout, bug_message, kit_error

# The engines, each with its help (the CLI's --engine is built from this), and the default.
ENGINE_HELP = {
    "warm": "papermill, giữ một kernel mỗi tiến trình",
    "papermill": "kernel mới cho mỗi huyện",
    "direct": "chạy mã của sổ tay ngay trong tiến trình, không ghi sổ tay đã chạy",
}
ENGINES = tuple(ENGINE_HELP)
DEFAULT_ENGINE = "warm"
DEFAULT_TIMEOUT = 600  # seconds one cell of a unit's notebook may run before the unit is stopped (failed)
KERNEL = "python3"
DISTRICT_NOTEBOOK = "bao_cao_huyen.ipynb"  # a reporting unit's notebook (district, or Đoàn cơ sở)
PROVINCE_NOTEBOOK = "bao_cao_tinh.ipynb"

# What a warm kernel runs before each notebook: a clean namespace, no figures, counter at 1.
# pyplot is never imported here: importing it turns on the inline backend, whose formatter would
# draw every chart again (bbox "tight") instead of showing the chart's own rendering.
RESET = ("get_ipython().run_line_magic('reset', '-f')\n"
         "import sys as _sys\n"
         "_sys.modules['matplotlib.pyplot'].close('all') if 'matplotlib.pyplot' in _sys.modules else None\n"
         "del _sys\n"
         "get_ipython().execution_count = 1\n")
# What a new warm kernel runs once: the kit and its heavy imports, the review cache, the collector.
PRELOAD = ("import tongket, tongket.pipeline, tongket.assessment.review, tongket.batch.engines\n"
           "tongket.assessment.review.keep_reviews()\ntongket.batch.engines.tune_gc()\n")
# A district allocates millions of short-lived objects (pandas, matplotlib, lxml): with Python's
# first generation of 700 allocations the collector ran 1.665 times in 8 districts of 13 Đoàn cơ sở,
# 200–230 ms of CPU a district, most of it walking the imported modules again each time.
GC_FIRST_GENERATION = 10_000


def engines_help() -> str:
    """The engines and what each does, in Vietnamese (the CLI's --engine help)."""
    return "Bộ chạy: " + ", ".join(f"{name} ({what})" for name, what in ENGINE_HELP.items()) + "."


def require_engine(engine: str) -> None:
    """Refuse an engine the kit does not have."""
    if engine not in ENGINES:
        raise TongketError(f"Không có bộ chạy «{engine}» (có: {', '.join(ENGINES)})")


def run_unit(engine: str, notebook: str | Path, output: Path, parameters: dict[str, Any],
             timeout: float = DEFAULT_TIMEOUT, notebooks_dir: str | Path | None = None) -> dict[str, Any]:
    """Run one unit's notebook with `engine` (in a worker). The executed notebook is renamed
    into place only when every cell succeeded; a failed one is kept as `<name>_loi.ipynb`."""
    source = Path(notebooks_dir or paths.NOTEBOOKS) / notebook
    start = time.perf_counter()
    try:
        if engine == "direct":
            stages = _run_direct(source, output, parameters, timeout)
        else:
            stages = _run_papermill(engine, source, output, parameters, timeout)
        return {"status": "ok", "error": None, "seconds": time.perf_counter() - start, "stages": stages}
    except Exception as exc:  # noqa: BLE001 - every failure is recorded, never lost
        return {"status": "failed", "error": _message(exc, timeout), "seconds": time.perf_counter() - start,
                "stages": {}}


def _run_papermill(engine: str, source: Path, output: Path, parameters: dict[str, Any], timeout: float) -> dict:
    import papermill as pm

    if engine == "warm":
        from .warm import register

        register()
    _kernel_is_this_python()
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(f".{output.stem}.{os.getpid()}.{threading.get_ident()}.ipynb")
    failed = output.with_name(f"{output.stem}_loi.ipynb")
    # papermill as it ships rewrites the whole notebook (charts included) at every cell's start and
    # end; the warm engine writes it once, and writes what ran so far itself when a cell fails.
    warm = {"engine_name": "tongket_warm", "request_save_on_cell_execute": False,
            "tongket_partial": str(failed)} if engine == "warm" else {}
    from .warm import START_ATTEMPTS, died_at_start

    for attempt in range(1, START_ATTEMPTS + 1):
        try:
            nb = pm.execute_notebook(str(source), str(tmp), parameters=parameters, kernel_name=KERNEL,
                                     cwd=str(paths.ROOT), progress_bar=False, execution_timeout=timeout,
                                     log_output=False, **warm)
            break
        except BaseException as exc:
            if attempt < START_ATTEMPTS and engine != "warm" and died_at_start(exc):  # the port race: new ports
                continue  # (the warm engine retries inside, where it starts its kernel)
            if tmp.exists():
                os.replace(tmp, failed)
            raise
    os.replace(tmp, output)
    if failed.exists():
        failed.unlink()
    return stages(nb.cells, [c.metadata.get("papermill", {}).get("duration") for c in nb.cells])


def _run_direct(source: Path, output: Path, parameters: dict[str, Any], timeout: float) -> dict:
    """The notebook's code cells, parameterised as papermill does, run here with `exec`."""
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    from ..assessment.review import keep_reviews

    keep_reviews()
    nb = parameterize_notebook(load_notebook_node(str(source)), parameters, kernel_name=KERNEL)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and any(line.lstrip().startswith(("%", "!")) for line in cell.source.splitlines()):
            raise RuntimeError(f"Ô {i + 1} của {source.name} dùng lệnh IPython (% hoặc !): "
                               "bộ chạy trực tiếp không chạy được, hãy dùng --engine warm")
    namespace: dict[str, Any] = {"__name__": "__main__"}
    durations: list[float | None] = []
    cwd = os.getcwd()
    try:
        os.chdir(paths.ROOT)  # as papermill's kernel: paths are resolved from the project root
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                durations.append(None)
                continue
            t = time.perf_counter()
            with time_limit(timeout, lambda: UnitTimeout.after(timeout)):  # per cell, as papermill's execution_timeout
                exec(compile(cell.source, f"<{source.name}, ô {i + 1}>", "exec"), namespace)
            durations.append(time.perf_counter() - t)
    finally:
        os.chdir(cwd)
    for stale in (output, output.with_name(f"{output.stem}_loi.ipynb")):
        if stale.exists():  # an executed notebook from an earlier run no longer matches the documents
            stale.unlink()
    return stages(nb.cells, durations)


def stages(cells: list, durations: list[float | None]) -> dict[str, float]:
    """Seconds per stage: the code cells' durations summed under each ``##`` heading (the cells
    before the first heading are ``khởi động``)."""
    out: dict[str, float] = {}
    stage = "khởi động"
    for cell, seconds in zip(cells, durations):
        if cell.cell_type == "markdown":
            head = next((ln for ln in cell.source.splitlines() if ln.startswith("## ")), None)
            if head:
                stage = head[3:].strip()
        elif seconds is not None:
            out[stage] = round(out.get(stage, 0.0) + float(seconds), 3)
    return out


def _message(exc: BaseException, timeout: float) -> str:
    """A failed unit's Vietnamese error, by the failure's type: one of the kit's errors (also one a
    kernel sent back by name), a cell past its time limit, or else a bug with its class and text."""
    error = kit_error(exc)
    if error is None and isinstance(exc, TimeoutError):  # nbclient's CellTimeoutError, a kernel's socket
        error = UnitTimeout.after(timeout)
    return str(error) if error is not None else bug_message(exc)


# --- the worker process -------------------------------------------------------------------------

_QUIET = False


def quiet_worker() -> None:
    """Kernels inherit the worker's stderr and log transport warnings there; what matters
    (tracebacks, values) is in the executed notebook and the manifest, so keep the terminal clean."""
    global _QUIET
    if not _QUIET and os.environ.get("TONGKET_KERNEL_LOG") is None:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
        _QUIET = True


def _kernel_is_this_python() -> None:
    """The kernel must be this interpreter (the project's venv), whatever PATH the caller had."""
    bindir = os.path.dirname(sys.executable)
    if not os.environ.get("PATH", "").startswith(bindir + os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")


def die_with_parent(parent: int) -> None:
    """Make this worker process end when `parent` (the run) ends, even by ``kill -9``: the kernel's
    PR_SET_PDEATHSIG on Linux, and everywhere a watchdog thread that sees the parent change. A
    kernel started here then ends too: ipykernel polls its own parent (JPY_PARENT_PID)."""
    end_with_parent()
    if os.getppid() != parent or parent == 1:  # the parent died before the line above
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="tongket-parent-watch", daemon=True).start()


def tune_gc() -> None:
    """The garbage collector of a process that runs units one after another, once its imports are
    done: what is loaded by then (modules, classes, the kit's rules) lives as long as the process,
    so it is left out of every later collection (`gc.freeze`), and the first generation is
    collected every GC_FIRST_GENERATION allocations instead of 700. Measured on 8 districts of 13
    Đoàn cơ sở in one process: the collector's 200–230 ms a district fell to 47–50, the process's
    peak rose from 279 to 302 MB (garbage kept a little longer). What is frozen lives as long as the
    process anyway; what becomes garbage later is collected, only less often. No file changes."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_FIRST_GENERATION, *gc.get_threshold()[1:])


def warm_up(engine: str) -> None:
    """Process-pool initializer: quiet stderr, and pay the imports (and for ``warm`` the kernel
    start) while the parent is still checking the data."""
    quiet_worker()
    if engine == "direct":
        from .. import pipeline  # noqa: F401
        from ..assessment.review import keep_reviews

        keep_reviews()
        tune_gc()
    elif engine == "warm":
        from .warm import WarmEngine

        _kernel_is_this_python()
        WarmEngine.kernel(KERNEL)
