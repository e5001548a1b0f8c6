"""One cycle over many reporting units: the run as a recipe of named steps (`runner`), the three
engines a unit's notebook runs on (`engines`, `warm`), the year folder that is never stale or shared
(`staging`), what went in and came out (`audit`, the manifest) and checking a finished output folder
again (`recheck`).

Contract: calls the notebooks' step functions (`tongket.pipeline`) and `documents`; nothing below
imports it.
"""

from .recheck import check_output
from .runner import RunResult, run

__all__ = ["RunResult", "check_output", "run"]
