"""The peak memory of a benchmark's processes, each its own.

A process's peak is read as VmHWM, the high-water mark of its address space (Linux /proc), not as
``ru_maxrss``: a process started by fork and exec keeps as its ru_maxrss its parent's peak at the
exec. `scale_benchmark` ran its batch in a child of the process that had just generated the
synthetic workbook, and for two days reported that process's 1.423 MB (1.000 districts) as the
run's own peak; the run's own was 427 MB. Likewise RUSAGE_CHILDREN counts a short `git` started by
the run (`batch.audit`) at the run's size, as if it were a worker. Elsewhere (no /proc) the
functions fall back to ru_maxrss and say so by returning None where they cannot know.
"""

from __future__ import annotations

import os
import resource
import threading
from pathlib import Path


def _mb(kb: int) -> float:
    return round(kb / 1024, 1)


def hwm_mb(pid: int | str = "self") -> float | None:
    """A process's own peak resident memory in MB (VmHWM), or None where /proc does not tell."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except OSError:
        return None
    kb = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")), None)
    return None if kb is None else _mb(kb)


def own_peak_mb() -> float:
    """This process's own peak resident memory in MB (ru_maxrss where there is no /proc)."""
    return hwm_mb() or _mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


class Descendants:
    """The peak memory (VmHWM, MB) of every process this one starts, and of theirs (a warm kernel),
    read every 0,1 s while they live: a peak is a high-water mark, so any read after it holds it.
    `largest()` falls back to RUSAGE_CHILDREN where there is no /proc."""

    def __init__(self) -> None:
        self.peaks: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def __enter__(self) -> Descendants:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _poll(self) -> None:
        while not self._stop.wait(0.1):
            todo, seen = [os.getpid()], set()
            while todo:
                for task in Path(f"/proc/{todo.pop()}/task").glob("*/children"):
                    try:
                        kids = [int(k) for k in task.read_text().split()]
                    except OSError:
                        continue
                    todo += [k for k in kids if k not in seen]
                    seen.update(kids)
            for pid in seen:
                peak = hwm_mb(pid)
                if peak is not None:
                    self.peaks[pid] = max(self.peaks.get(pid, 0.0), peak)

    def largest(self) -> list[float]:
        """Every descendant's peak, the largest first."""
        found = sorted(self.peaks.values(), reverse=True)
        return found or [_mb(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)]
