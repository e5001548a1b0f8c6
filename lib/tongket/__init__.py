"""tongket: assess Youth Union grassroots units and write the official review documents."""

from importlib import metadata

from .assessment.assess import Results, assess
from .assessment.compare import transition_matrix
from .batch.runner import run
from .errors import ConfigError, DataError, Issue, RenderError, TongketError
from .intake.check import load
from .pipeline import (
    analysis_tables,
    co_so_table,
    district_context,
    explain_unit,
    failing_branches,
    figures,
    huyen_codes,
    open_review,
    province_context,
    reporting_codes,
    summary,
    tinh_code,
    units_table,
    write_unit,
)
from .rules.params import load_cycle

__version__ = metadata.version("tongket")  # declared once, in pyproject.toml

__all__ = [
    "ConfigError", "DataError", "Issue", "RenderError", "Results", "TongketError", "assess", "co_so_table",
    "district_context", "failing_branches", "figures", "huyen_codes", "load", "load_cycle", "open_review",
    "province_context", "run", "summary", "tinh_code", "write_unit", "cycle_workbook", "analysis_tables",
    "transition_matrix", "explain_unit", "reporting_codes", "units_table",
]


def cycle_workbook(params=None, data=None, nam=None, out=None, leader=False):  # noqa: ANN001, ANN201
    """The cycle workbook's widgets (imported lazily: ipywidgets is only needed interactively)."""
    from .lab.ui import CycleWorkbook

    return CycleWorkbook(params, data, nam, out, leader)
