"""Interactive use in JupyterLab and Voilà: the cycle workbook's widgets (`ui`), what-if on rules
and targets (`whatif`) and whether JupyterLab is ready for the widgets (`labcheck`).

Contract: the top of the house; ipywidgets is imported only when the workbook is opened
(`tongket.cycle_workbook`), so importing this package costs nothing.
"""

from . import whatif

__all__ = ["whatif"]
