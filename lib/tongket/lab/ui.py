"""The cycle workbook: check the data, explore a reporting unit, try thresholds, preview and render
the documents. Every widget calls the library; nothing here computes a rule.

`CycleWorkbook` composes one class per panel (`DataPanel`, `ExplorePanel`, `WhatIfPanel`,
`RenderPanel`) around what they share: the review, the trial and `view`, where each panel keeps
what it last showed (tables as DataFrames, sentences, files), so tests drive the callbacks in plain
Python and compare with `tongket assess`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pandas as pd

from ..common import paths
from ..common.deprecated import warn
from ..pipeline import Review
from . import whatif
from .data_panel import DataPanel
from .explore_panel import ExplorePanel
from .look import Panel
from .render_panel import RenderPanel
from .whatif_panel import WhatIfPanel


def _deprecated(old: str, new: str) -> None:
    warn(f"CycleWorkbook.{old}", f"CycleWorkbook.{new}", stacklevel=3)


class CycleWorkbook:
    """One review cycle, worked through in four panels that share the data, the reporting unit and the trial."""

    def __init__(self, params: str | Path | None = None, data: str | Path | None = None, nam: int | None = None,
                 out: str | Path | None = None, leader: bool = False) -> None:
        self.leader = leader  # the leaders' dashboard: look and try, never save or render
        self.out = paths.resolve(out) if out else paths.OUTPUTS
        self.review: Review | None = None  # the cycle's own rules
        self.trial: Review | None = None  # the what-if, where one is set
        self.changes: dict[str, float] = {}
        self.view: dict[str, Any] = {}  # what each panel last showed
        self._quiet = False
        cycle_path = paths.resolve(params) if params else paths.DEFAULT_CYCLE
        self.panel_data = DataPanel(self, cycle_path, data, nam)
        self.panel_explore = ExplorePanel(self)
        self.panel_whatif = WhatIfPanel(self)
        self.panel_render = RenderPanel(self)
        self._expose()
        self.panel_data.connect()
        self.panel_explore.connect(self.check_status)
        self.panel_whatif.connect()
        self.panel_render.connect()
        self.check()

    def _expose(self) -> None:
        """The panels' widgets as the workbook's own attributes, as notebooks and tests name them."""
        d, e, w, r = self.panel_data, self.panel_explore, self.panel_whatif, self.panel_render
        self.params, self.data, self.upload, self.nam = d.params, d.data, d.upload, d.nam
        self.check_button, self.check_status, self.issues_box = d.check_button, d.check_status, d.issues_box
        self.sort, self.descending, self.severity = d.sort, d.descending, d.severity
        self.issues_button, self.issues_file = d.issues_button, d.issues_file
        self.bao_cao, self.nam_xem, self.co_so = e.bao_cao, e.nam_xem, e.co_so
        self.explore_out, self.unit_out = e.explore_out, e.unit_out
        self.knob_box, self.reset_button, self.whatif_out = w.knob_box, w.reset_button, w.whatif_out
        self.save_name, self.save_button, self.save_status = w.save_name, w.save_button, w.save_status
        self.preview_out, self.render_bao_cao, self.pdf, self.force = r.preview_out, r.render_bao_cao, r.pdf, r.force
        self.render_button, self.progress = r.render_button, r.progress
        self.render_status, self.render_out = r.render_status, r.render_out

    @property
    def huyen(self) -> widgets.Dropdown:
        """Deprecated name of `bao_cao`, the reporting unit's dropdown."""
        _deprecated("huyen", "bao_cao")
        return self.bao_cao

    @property
    def render_huyen(self) -> widgets.SelectMultiple:
        """Deprecated name of `render_bao_cao`, the reporting units to render."""
        _deprecated("render_huyen", "render_bao_cao")
        return self.render_bao_cao

    @property
    def knob_widgets(self) -> dict[str, widgets.IntSlider]:
        """The what-if's sliders by knob key."""
        return self.panel_whatif.knob_widgets

    @property
    def checked(self) -> tuple[Path, list] | None:
        """The workbook last checked and its problems."""
        return self.panel_data.checked

    @property
    def current(self) -> Review | None:
        """The review the panels show: the trial where one is set, else the cycle's own."""
        return self.trial or self.review

    def _hold(self) -> _Hold:
        return _Hold(self)

    def _clear(self) -> None:
        """Nothing assessed: every panel emptied."""
        with self._hold():
            self.panel_explore.clear()
            self.panel_render.clear()
        self.panel_whatif.clear()

    def _fill(self) -> None:
        """A review opened: every panel offers its units, years and knobs, and shows the first unit."""
        assert self.review is not None
        with self._hold():
            options, keep = self.panel_explore.fill(self.review)
            self.panel_render.offer(options, keep)
        self.panel_whatif.build_knobs()
        self.panel_explore.on_change()

    # ------------------------------------------------------------------------------------------
    # What each panel does, as notebooks and tests call it

    def check(self) -> pd.DataFrame:
        """Check the chosen workbook against the chosen cycle; open the review where it can be."""
        return self.panel_data.check()

    def write_issues(self) -> Path | None:
        """The problems as an Excel list, with a copy of the workbook whose cells to fix are marked."""
        return self.panel_data.write_issues()

    def show_bao_cao(self) -> None:
        """The chosen reporting unit and year, as the explore panel shows it."""
        self.panel_explore.show_bao_cao()

    def show_district(self) -> None:
        """Deprecated name of `show_bao_cao`."""
        _deprecated("show_district()", "show_bao_cao()")
        self.panel_explore.show_bao_cao()

    def show_unit(self) -> None:
        """The chosen Đoàn cơ sở, criterion by criterion."""
        self.panel_explore.show_unit()

    def knob_values(self) -> dict[str, float]:
        """What the sliders say, for the knobs that differ from the cycle's own values."""
        return self.panel_whatif.knob_values()

    def set_knob(self, key: str, value: float) -> None:
        """Move one slider as an analyst would (a rate as a fraction: 0.85)."""
        self.panel_whatif.set_knob(key, value)

    def show_whatif(self) -> None:
        """Assess again under the sliders: how many units pass, which change, the chart."""
        self.panel_whatif.show()

    def reset(self) -> None:
        """Every slider back to the cycle's own value."""
        self.panel_whatif.reset()

    def save(self) -> whatif.Saved | None:
        """Write the trial as a new rubric and a new cycle file, then work on with the new cycle file."""
        return self.panel_whatif.save()

    def show_preview(self) -> None:
        """The reporting unit's report as it will read."""
        self.panel_render.show_preview()

    def render(self, ma_bao_cao: list[str] | None = None, executor: Any = None,
               on_unit: Callable[[Any, int, int], None] | None = None, *, huyen: list[str] | None = None) -> Any:
        """Render the chosen reporting units' documents (and the province's), as `tongket run` does
        (`huyen=` is the deprecated name of `ma_bao_cao=`)."""
        if huyen is not None:
            _deprecated("render(huyen=...)", "render(ma_bao_cao=...)")
            ma_bao_cao = huyen if ma_bao_cao is None else ma_bao_cao
        return self.panel_render.render(ma_bao_cao, executor, on_unit)

    # ------------------------------------------------------------------------------------------
    # The panels, as the notebook shows them

    def data_panel(self) -> Panel:
        """1. Data and parameters."""
        return self.panel_data.box()

    def explore_panel(self) -> Panel:
        """2. A reporting unit and its Đoàn cơ sở."""
        return self.panel_explore.box()

    def whatif_panel(self) -> Panel:
        """3. What-if."""
        return self.panel_whatif.box()

    def render_panel(self) -> Panel:
        """4. Preview and render."""
        return self.panel_render.box()


class _Hold:
    """Change several widgets without each change redrawing the panels."""

    def __init__(self, wb: CycleWorkbook) -> None:
        self.wb = wb

    def __enter__(self) -> None:
        self.before, self.wb._quiet = self.wb._quiet, True

    def __exit__(self, *exc: object) -> None:
        self.wb._quiet = self.before


__all__ = ["CycleWorkbook", "Panel"]
