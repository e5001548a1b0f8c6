"""The workbook's third panel: a slider per threshold and target, the units that pass under the
trial against the cycle's own rules, the units that change, and saving the trial as new files."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING

import ipywidgets as widgets
from IPython.display import HTML, display

from ..common.files import safe_name
from ..common.vietnamese import so
from ..errors import TongketError
from ..pipeline import Review
from . import whatif, whatif_data
from .look import LABEL, STYLE, WIDE, Panel, bad, guard, rel, table

if TYPE_CHECKING:
    from .ui import CycleWorkbook

HIDDEN = ["key", "_truoc", "_sau"]  # columns of `whatif.compare_counts` the page does not show


class WhatIfPanel:
    """3. What-if: try thresholds and targets without writing anything, save them when wanted."""

    def __init__(self, wb: CycleWorkbook) -> None:
        self.wb = wb
        self.knob_widgets: dict[str, widgets.IntSlider] = {}
        self.scope: str | None = None  # where the figures' knobs add (the unit shown when built; None: the province)
        self.knob_box = widgets.VBox()
        self._rule_boxes: tuple[widgets.VBox, ...] = ()  # the thresholds' and targets' sliders, built once per review
        self.reset_button = widgets.Button(description="Đặt lại ngưỡng gốc", icon="undo", layout=WIDE)
        self.save_name = widgets.Text(description="Tên bộ tiêu chí mới:", style=LABEL, placeholder="ví dụ: sinh hoạt 6 lần")
        self.save_button = widgets.Button(description="Lưu thành bộ tiêu chí mới", icon="save", button_style="warning",
                                          layout=WIDE)
        self.save_status = widgets.HTML()
        self.whatif_out = widgets.Output()

    def connect(self) -> None:
        """Answer the buttons (the sliders answer from when they are built)."""
        self.reset_button.on_click(guard(self.save_status, lambda _: self.reset()))
        self.save_button.on_click(guard(self.save_status, lambda _: self.save()))

    def box(self) -> Panel:
        """The panel as the notebook shows it (the leaders' view cannot save)."""
        save = [] if self.wb.leader else [widgets.HBox([self.save_name, self.save_button]), self.save_status]
        return Panel([self.knob_box, self.reset_button, *save, self.whatif_out])

    def clear(self) -> None:
        """No review: no sliders and nothing shown."""
        self.whatif_out.clear_output()
        self.knob_box.children = self._rule_boxes = ()

    def _own(self) -> Review:
        review = self.wb.review
        if review is None:
            raise TongketError("Chưa có kết quả đánh giá để thử ngưỡng: hãy kiểm tra dữ liệu trước")
        return review

    def _scope(self) -> str | None:
        """Where the figures' knobs add: the reporting unit the explorer shows, else the province."""
        self.scope = self.wb.panel_explore.bao_cao.value or None
        return self.scope

    def build_knobs(self) -> None:
        """A slider per knob of the cycle, grouped by rubric and targets, then the figures' sliders."""
        review = self._own()
        self.knob_widgets = {}
        self._rule_boxes = self._boxes(whatif.knobs(review.cycle))
        self._build_figures()

    def _build_figures(self) -> None:
        """The figures' sliders for the unit the explorer shows (from 0), after the thresholds' own."""
        for key in [k for k in self.knob_widgets if k.startswith(whatif_data.PREFIX)]:
            del self.knob_widgets[key]
        figures = self._boxes(whatif_data.knobs(self._own(), None, self._scope()))
        self.knob_box.children = (*self._rule_boxes, *figures)

    def _boxes(self, knobs: Sequence[whatif.Knob]) -> tuple[widgets.VBox, ...]:
        groups: dict[str, list[widgets.Widget]] = {}
        for k in knobs:
            if k.percent:
                w = widgets.IntSlider(value=round(k.value * 100), min=0, max=100, step=1, readout_format="d")
                unit = "%"
            else:
                w = widgets.IntSlider(value=int(k.value), min=0, max=int(k.maximum), step=1)
                unit = ""
            w.continuous_update = False
            w.description = ""
            w.layout = widgets.Layout(width="340px")
            w.observe(lambda _c: self.show(), names="value")
            w.add_class(f"tongket-knob-{safe_name(k.key.replace('/', '-'))}")
            self.knob_widgets[k.key] = w
            row = widgets.HBox([widgets.Label(k.label, layout=widgets.Layout(width="440px")), w, widgets.Label(unit)])
            groups.setdefault(k.group, []).append(row)
        return tuple(widgets.VBox([widgets.HTML(f"<b>{html.escape(g)}</b>"), *rows]) for g, rows in groups.items())

    def _rescope(self) -> None:
        """Another unit shown: only the figures' sliders are built again, for it (from 0); the
        thresholds' sliders stay the same widgets, so one being moved is never swapped under the hand."""
        with self.wb._hold():
            self._build_figures()

    def knob_values(self) -> dict[str, float]:
        """What the sliders say, for the knobs that differ from the cycle's own values."""
        out = {}
        for k in whatif_data.all_knobs(self._own(), self.scope):
            if k.key not in self.knob_widgets:
                continue
            raw = self.knob_widgets[k.key].value
            value = raw / 100 if k.percent else float(raw)
            if abs(value - k.value) > 1e-9:
                out[k.key] = value
        return out

    def set_knob(self, key: str, value: float) -> None:
        """Move one slider as an analyst would (a rate as a fraction: 0.85)."""
        knob = {k.key: k for k in whatif_data.all_knobs(self._own(), self.scope)}[key]
        self.knob_widgets[key].value = round(value * 100) if knob.percent else int(value)

    def show(self) -> None:
        """Assess again under the sliders: how many units pass, which change, the chart."""
        wb = self.wb
        if wb._quiet or wb.review is None:
            return
        if self.scope != (wb.panel_explore.bao_cao.value or None):
            self._rescope()
        own = wb.review
        changes = self.knob_values()
        if changes != wb.changes:
            wb.changes = changes
            wb.trial = whatif_data.trial(own, changes, self.scope) if changes else None
            wb.panel_explore.show_bao_cao()
            wb.panel_explore.show_unit()
        review, ma, nam = wb.trial or own, wb.panel_explore.bao_cao.value, wb.panel_explore.nam_xem.value
        v = wb.view
        v["thay_doi"] = whatif_data.describe(own, changes, self.scope)
        v["so_luong"] = whatif.compare_counts(own, review, nam)
        v["so_luong_bao_cao"] = whatif.compare_counts(own, review, nam, ma) if ma else None
        v["don_vi_doi"] = whatif.changed_units(own, review, nam)
        chart = v.get("bieu_do", {}).get("dat_chuan") if ma else None  # show_bao_cao drew it for this review
        self.whatif_out.clear_output(wait=True)
        names = own.results.don_vi.set_index("ma_don_vi")["ten_don_vi"]
        with self.whatif_out:
            display(HTML(STYLE))
            if changes:
                display(HTML("<p><b>Đang thử:</b></p><ul>" + "".join(f"<li>{html.escape(s)}</li>" for s in v["thay_doi"])
                             + "</ul><p>Chưa có tệp nào bị thay đổi.</p>"))
            else:
                display(HTML("<p>Đang dùng đúng ngưỡng của tệp tham số. Kéo thanh trượt (hoặc gõ số) để thử.</p>"))
            display(HTML("<h4>Toàn tỉnh</h4>" + table(v["so_luong"].drop(columns=HIDDEN))))
            if v["so_luong_bao_cao"] is not None:
                display(HTML(f"<h4>{html.escape(names[ma])}</h4>" + table(v["so_luong_bao_cao"].drop(columns=HIDDEN))))
            moved = v["don_vi_doi"].drop(columns=["ma_don_vi"])
            display(HTML(f"<h4>Đơn vị thay đổi kết quả ({so(len(moved))})</h4>"
                         + (table(moved) if len(moved) else "<p>Không có đơn vị nào thay đổi.</p>")))
            if chart is not None:
                display(chart)
        wb.panel_render.show_preview()

    def reset(self) -> None:
        """Every slider back to the cycle's own value."""
        review = self.wb.review
        if review is None:
            return
        with self.wb._hold():
            for k in whatif_data.all_knobs(review, self.scope):
                self.knob_widgets[k.key].value = round(k.value * 100) if k.percent else int(k.value)
        self.show()

    def save(self) -> whatif.Saved | None:
        """Write the trial as a new rubric and a new cycle file (never over existing files), then
        work on with the new cycle file."""
        wb = self.wb
        if wb.review is None or wb.leader:
            return None
        try:
            saved = whatif.save(wb.review.cycle, whatif_data.split(wb.changes)[0], self.save_name.value)
        except TongketError as exc:
            self.save_status.value = bad(str(exc))
            return None
        files = [saved.cycle, *saved.rubrics]
        self.save_status.value = (
            STYLE + '<p class="tongket-ok"><b>Đã lưu</b> (tệp gốc giữ nguyên):</p><ul>'
            + "".join(f"<li><code>{html.escape(rel(p))}</code></li>" for p in files)
            + f"</ul><p>Sổ tay chuyển sang dùng tệp tham số mới. Chạy cả tỉnh theo ngưỡng này: "
              f"<code>tongket run {html.escape(rel(saved.cycle))}</code> — văn bản theo bộ tiêu chí thử nghiệm "
              f"ghi riêng vào <code>outputs/&lt;năm&gt;/thu_nghiem/</code>, không lẫn với văn bản chính thức.</p>")
        wb.panel_data.offer_cycle(saved.cycle)
        wb.check()
        wb.view["da_luu"] = saved
        return saved


__all__ = ["WhatIfPanel"]
