"""One cycle over many reporting units: the run as a recipe of named steps (`runner`) over its
options (`options`), the units executed (`execute`) on one of three engines (`engines`, `warm`),
the year folder that is never stale or shared (`staging`), what went in and came out (`audit`,
`manifest`) and checking a finished output folder again (`recheck`).

Contract: calls the notebooks' step functions (`tongket.pipeline`) and `documents`; nothing below
imports it.
"""

from ..lazy import lazy_names

__all__ = ["RunOptions", "RunResult", "check_output", "run", "run_with"]
# Imported on first use: the CLI reaches `batch.options` without paying for pandas (an unchanged rerun).
_LAZY = {"RunOptions": "options", "check_output": "recheck", "RunResult": "runner", "run": "runner",
         "run_with": "runner"}

__getattr__ = lazy_names(__name__, _LAZY, globals())
