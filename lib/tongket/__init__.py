"""tongket: assess Youth Union grassroots units and write the official review documents."""

from importlib import metadata

from .assessment.assess import Results, assess
from .assessment.compare import transition_matrix
from .batch.runner import run
from .errors import ConfigError, DataError, Issue, RenderError, TongketError
from .intake.check import load
from .pipeline import (
    analysis_tables,
    chi_doan_chua_dat,
    co_so_table,
    district_context,
    explain_unit,
    failing_branches,
    figures,
    huyen_codes,
    open_review,
    province_context,
    reporting_codes,
    reporting_context,
    reporting_parameter,
    summary,
    tinh_code,
    tinh_context,
    units_table,
    write_unit,
)
from .rules.params import load_cycle

__version__ = metadata.version("tongket")  # declared once, in pyproject.toml

__all__ = [
    "ConfigError", "DataError", "Issue", "RenderError", "Results", "TongketError", "assess", "co_so_table",
    "reporting_context", "tinh_context", "chi_doan_chua_dat", "figures", "load", "load_cycle", "open_review",
    "run", "summary", "tinh_code", "write_unit", "cycle_workbook", "analysis_tables", "transition_matrix",
    "explain_unit", "reporting_codes", "reporting_parameter", "units_table",
    # deprecated names, kept for one release (README: Deprecated names)
    "district_context", "province_context", "failing_branches", "huyen_codes",
]


def cycle_workbook(params=None, data=None, nam=None, out=None, leader=False):
    """The cycle workbook's widgets (imported lazily: ipywidgets is only needed interactively)."""
    from .lab.ui import CycleWorkbook

    return CycleWorkbook(params, data, nam, out, leader)
