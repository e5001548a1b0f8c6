"""The exploration widget: pick a district and a year, see its tables, charts and why any
branch failed. Every widget calls the library; nothing here computes a rule."""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd
from IPython.display import display

from .pipeline import Review, co_so_table, explain_unit, failing_branches, figures, huyen_codes, summary


def explorer(review: Review) -> widgets.Widget:
    """A district picker, a year picker and the district's view (tables, charts, reasons)."""
    units = review.results.don_vi.set_index("ma_don_vi")["ten_don_vi"]
    huyen = widgets.Dropdown(options=[(units[h], h) for h in huyen_codes(review)], description="Huyện:",
                             style={"description_width": "initial"})
    nam = widgets.Dropdown(options=[y for y in review.results.years if y - 1 in review.results.years] or
                           review.results.years, value=review.cycle.nam, description="Năm:")
    co_so = widgets.Dropdown(description="Đoàn cơ sở:", style={"description_width": "initial"})
    out = widgets.Output()
    detail = widgets.Output()

    def units_of(*_: object) -> None:
        cs = review.results.of_huyen(huyen.value).year(nam.value).co_so
        co_so.options = [(r.ten_don_vi, r.ma_don_vi) for r in cs.itertuples()]

    def explain(*_: object) -> None:
        detail.clear_output(wait=True)
        if co_so.value:
            with detail, pd.option_context("display.max_rows", 2000, "display.max_colwidth", None):
                display(widgets.HTML("<h4>Từng điều kiện của từng chi đoàn (đạt và không đạt)</h4>"))
                display(explain_unit(review, co_so.value, nam.value))

    def show(*_: object) -> None:
        out.clear_output(wait=True)
        with out:
            display(widgets.HTML(f"<h3>{units[huyen.value]} — năm {nam.value}</h3>"))
            display(summary(review, huyen.value, nam.value))
            for fig in figures(review, huyen.value, nam.value).values():
                if fig is not None:
                    display(fig)
            display(widgets.HTML("<h4>Đoàn cơ sở</h4>"))
            display(co_so_table(review, huyen.value, nam.value))
            display(widgets.HTML("<h4>Chi đoàn chưa đạt chuẩn và lý do</h4>"))
            with pd.option_context("display.max_colwidth", None, "display.max_rows", 500):
                display(failing_branches(review, huyen.value, nam.value))

    huyen.observe(show, names="value")
    nam.observe(show, names="value")
    huyen.observe(units_of, names="value")
    co_so.observe(explain, names="value")
    show()
    units_of()
    return widgets.VBox([widgets.HBox([huyen, nam]), out, co_so, detail])
