"""tongket: assess Youth Union grassroots units and write the official review documents."""

from importlib import metadata

from .lazy import lazy_names

# The public names, imported on first use (PEP 562): `import tongket` stays light, so a command
# that decides from hashes alone (an unchanged rerun) does not pay for pandas and matplotlib.
_LAZY = {
    "Results": "assessment.assess", "assess": "assessment.assess", "transition_matrix": "assessment.compare",
    "run": "batch.runner", "ConfigError": "errors", "DataError": "errors", "Issue": "errors",
    "RenderError": "errors", "TongketError": "errors", "load": "intake.check", "load_cycle": "rules.params",
    **dict.fromkeys(["analysis_tables", "chi_doan_chua_dat", "co_so_table", "district_context", "explain_unit",
                     "failing_branches", "figures", "huyen_codes", "open_review", "province_context",
                     "reporting_codes", "reporting_context", "reporting_parameter", "summary", "tinh_code",
                     "tinh_context", "units_table", "write_unit"], "pipeline"),
}

__getattr__ = lazy_names(__name__, _LAZY, globals())


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
