"""A batch worker's garbage collector (issue 21): a `direct` worker and a `warm` kernel leave what
they imported out of later collections and collect their first generation every
GC_FIRST_GENERATION allocations, not Python's 700 (200–230 ms of a district's CPU was the collector)."""

from __future__ import annotations

import gc
import subprocess
import sys

import pytest

from tongket.batch.engines import GC_FIRST_GENERATION, PRELOAD
from tongket.batch.execute import executor_for


@pytest.mark.slow
def test_a_direct_worker_tunes_its_collector_once_its_imports_are_done():
    assert gc.get_threshold()[0] == 700  # this test process: Python's own, untouched
    with executor_for(None, None, 1, "direct") as pool:
        threshold = pool.submit(gc.get_threshold).result(timeout=120)
        frozen = pool.submit(gc.get_freeze_count).result(timeout=120)
    assert threshold[0] == GC_FIRST_GENERATION == 10_000
    assert threshold[1:] == gc.get_threshold()[1:]  # the older generations as Python sets them
    assert frozen > 100_000  # the kit's, pandas', matplotlib's… modules and classes


def test_a_warm_kernel_runs_the_same_tuning_when_it_starts():
    """What a new warm kernel runs (PRELOAD), run in a plain interpreter."""
    probe = "import gc\nprint(gc.get_threshold()[0], gc.get_freeze_count())\n"
    out = subprocess.run([sys.executable, "-c", PRELOAD + probe], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    threshold, frozen = map(int, out.stdout.split())
    assert threshold == GC_FIRST_GENERATION and frozen > 100_000
