"""tongket: assess Youth Union grassroots units and write the official review documents."""

from .assess import Results, assess
from .batch import run
from .check import load
from .compare import transition_matrix
from .errors import ConfigError, DataError, Issue, RenderError, TongketError
from .params import load_cycle
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

__version__ = "0.1.0"

__all__ = [
    "ConfigError", "DataError", "Issue", "RenderError", "Results", "TongketError", "assess", "co_so_table",
    "district_context", "failing_branches", "figures", "huyen_codes", "load", "load_cycle", "open_review",
    "province_context", "run", "summary", "tinh_code", "write_unit", "cycle_workbook", "analysis_tables",
    "transition_matrix", "explain_unit", "reporting_codes", "units_table",
]


def cycle_workbook(params=None, data=None, nam=None, out=None, leader=False):  # noqa: ANN001, ANN201
    """The cycle workbook's widgets (imported lazily: ipywidgets is only needed interactively)."""
    from .ui import CycleWorkbook

    return CycleWorkbook(params, data, nam, out, leader)
