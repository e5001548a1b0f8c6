"""The workbook's second panel: a reporting unit and a year, its indicators against targets and the
year before, its charts, its Đoàn cơ sở, its branches not up to standard and its verification; then
one Đoàn cơ sở, criterion by criterion."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import pandas as pd
from IPython.display import HTML, display

from ..common.vietnamese import sort_key
from ..pipeline import (
    Review,
    branch_table,
    chi_doan_chua_dat,
    co_so_table,
    explain_co_so,
    explain_unit,
    figures,
    reporting_codes,
    summary,
    targets_table,
)
from .look import LABEL, STYLE, Panel, dropdown_label, guard, table

if TYPE_CHECKING:
    from .ui import CycleWorkbook

NO_CO_SO = "(chọn Đoàn cơ sở để xem từng tiêu chí)"


class ExplorePanel:
    """2. Explore: the reporting unit and year chosen, then one of its Đoàn cơ sở."""

    def __init__(self, wb: CycleWorkbook) -> None:
        self.wb = wb
        self.bao_cao = widgets.Dropdown(description="Huyện:", style=LABEL)  # the reporting unit
        self.nam_xem = widgets.Dropdown(description="Năm:", style=LABEL)
        self.co_so = widgets.Dropdown(description="Đoàn cơ sở:", style=LABEL)
        self.explore_out = widgets.Output()
        self.unit_out = widgets.Output()

    def connect(self, status: widgets.HTML) -> None:
        """Answer the widgets, errors said in `status`."""
        self.bao_cao.observe(guard(status, self.on_change), names="value")
        self.nam_xem.observe(guard(status, lambda _: self.on_change()), names="value")
        self.co_so.observe(guard(status, lambda _: self.show_unit()), names="value")

    def box(self) -> Panel:
        """The panel as the notebook shows it."""
        return Panel([widgets.HBox([self.bao_cao, self.nam_xem]), self.explore_out, self.co_so, self.unit_out])

    def clear(self) -> None:
        """Nothing to explore (the caller holds the redraws)."""
        self.bao_cao.options = []
        self.co_so.options = []
        for out in (self.explore_out, self.unit_out):
            out.clear_output()

    def fill(self, review: Review) -> tuple[list[tuple[str, str]], str | None]:
        """Offer the review's reporting units and years (the caller holds the redraws); the options
        and the unit shown first."""
        names = review.results.don_vi.set_index("ma_don_vi")["ten_don_vi"]
        codes = reporting_codes(review)
        options = [(f"{names[m]} ({m})", m) for m in codes]
        self.bao_cao.description = dropdown_label(review.cycle.cap_bao_cao)
        # first shown: a unit with residential branches, where every chart has something to draw
        lived = set(review.results.chi_doan.loc[review.results.chi_doan["dat_chuan"].notna(), "ma_bao_cao"])
        keep = self.bao_cao.value if self.bao_cao.value in codes else next(
            (m for m in codes if m in lived), codes[0] if codes else None)
        self.bao_cao.options, self.bao_cao.value = options, keep
        self.nam_xem.options, self.nam_xem.value = review.results.years, self.wb.panel_data.nam.value
        return options, keep

    def on_change(self, *_: Any) -> None:
        """Another unit or year: its Đoàn cơ sở offered, and every panel shows it."""
        wb = self.wb
        if wb._quiet or wb.current is None or not self.bao_cao.value:
            return
        cs = wb.current.results.of_unit(self.bao_cao.value).year(self.nam_xem.value).co_so
        with wb._hold():
            wb.panel_render.follow(self.bao_cao.value)
            keep = self.co_so.value if self.co_so.value in set(cs["ma_don_vi"]) else ""
            self.co_so.options = [(NO_CO_SO, "")] + [
                (r.ten_don_vi, r.ma_don_vi) for r in cs.sort_values("ten_don_vi", key=lambda s: s.map(sort_key)).itertuples()]
            self.co_so.value = keep
        self.show_bao_cao()
        self.show_unit()
        wb.show_whatif()  # shows the preview too

    def show_bao_cao(self) -> None:
        """The chosen reporting unit and year: indicators against targets and the year before,
        charts, its Đoàn cơ sở and the branches not up to standard with the reason."""
        wb = self.wb
        review, ma, nam = wb.current, self.bao_cao.value, self.nam_xem.value
        if review is None or not ma:
            return
        names = review.results.don_vi.set_index("ma_don_vi")["ten_don_vi"]
        v = wb.view
        v["bao_cao"], v["nam"] = ma, nam
        v["chi_tieu"] = targets_table(review, ma, nam)
        v["so_sanh"] = summary(review, ma, nam) if nam - 1 in review.results.years else None
        v["co_so"] = co_so_table(review, ma, nam)
        v["chua_dat"] = chi_doan_chua_dat(review, ma, nam)
        v["tham_dinh"], v["cho_tham_dinh"] = verification(review, ma, nam)
        v["bieu_do"] = {k: f for k, f in figures(review, ma, nam).items() if f is not None}
        where = "phần «Thử ngưỡng» bên dưới" if wb.leader else "mục 3, chưa lưu"
        v["bao_hieu"] = (f'<p class="tongket-bad"><b>Đang xem theo ngưỡng thử nghiệm</b> ({where}).</p>'
                         if wb.trial is not None else "")
        self.explore_out.clear_output(wait=True)
        with self.explore_out:
            display(HTML(STYLE + v["bao_hieu"]))
            display(HTML(f"<h3>{html.escape(names[ma])} — năm {nam}</h3><h4>Chỉ tiêu so với mục tiêu</h4>"
                         + table(v["chi_tieu"], index=False)))
            if v["so_sanh"] is not None:
                display(HTML(f"<h4>So với năm {nam - 1}</h4>" + table(v["so_sanh"])))
            for fig in v["bieu_do"].values():
                display(fig)
            display(HTML("<h4>Đoàn cơ sở</h4>" + table(v["co_so"], index=True)))
            display(HTML("<h4>Chi đoàn trên địa bàn dân cư chưa đạt chuẩn và lý do</h4>"
                         + (table(v["chua_dat"]) if len(v["chua_dat"]) else "<p>Không có.</p>")))
            display(HTML("<h4>Thẩm định ngẫu nhiên</h4>" + v["cho_tham_dinh"]
                         + (table(v["tham_dinh"]) if len(v["tham_dinh"]) else "")))

    def show_unit(self) -> None:
        """The chosen Đoàn cơ sở: its “3 chủ động” checks and every criterion of every branch, met or not."""
        from ..rules.wording import ten_tieu_chi

        wb = self.wb
        self.unit_out.clear_output(wait=True)
        review, ma, nam = wb.current, self.co_so.value, self.nam_xem.value
        v = wb.view
        if review is None or not ma:
            v["tieu_chi_co_so"] = v["tieu_chi_chi_doan"] = v["chi_doan_co_so"] = None
            return
        v["tieu_chi_co_so"] = explain_co_so(review, ma, nam)
        v["chi_doan_co_so"] = branch_table(review, ma, nam)
        v["tieu_chi_chi_doan"] = explain_unit(review, ma, nam)
        legend = "; ".join(f"{ten_tieu_chi(c.id)}: {c.short_label}" for c in review.cycle.rubric_chi_doan.criteria)
        own = v["tieu_chi_co_so"].drop(columns=["ma_don_vi", "nam", "Nguồn", "Chi đoàn"], errors="ignore")
        detail = v["tieu_chi_chi_doan"].drop(columns=["ma_don_vi", "nam", "Nguồn", "Nội dung"], errors="ignore")
        scroll = '<div style="max-height: 420px; overflow-y: auto">{}</div>'.format
        with self.unit_out:
            display(HTML(STYLE + "<h4>Đoàn cơ sở “3 chủ động”: từng nội dung</h4>" + table(own)))
            if len(detail):
                display(HTML("<h4>Chi đoàn trên địa bàn dân cư: từng tiêu chí</h4>" + scroll(table(v["chi_doan_co_so"]))
                             + f"<p><small>{html.escape(legend)}</small></p>"
                             + "<h4>Từng điều kiện của từng chi đoàn (đạt và không đạt, với số đo)</h4>"
                             + scroll(table(detail))))
            else:
                display(HTML("<p>Đoàn cơ sở này không có chi đoàn trên địa bàn dân cư.</p>"))


def verification(review: Review, ma: str, nam: int) -> tuple[pd.DataFrame, str]:
    """The unit's verification list (drawn and verified branches, result, note) and a line saying
    what still awaits a result [001 III.2]."""
    from ..documents.contexts import verification_rows
    from ..rules.verification import CHO_KET_QUA

    rows, _ = verification_rows(review, ma, nam)
    frame = pd.DataFrame([{"Chi đoàn": r["ten"], "Đoàn cơ sở": r["co_so"], "Chọn": r["chon"],
                           "Kết quả thẩm định": r["ket_qua"], "Ghi chú": r["ghi_chu"]} for r in rows],
                         columns=["Chi đoàn", "Đoàn cơ sở", "Chọn", "Kết quả thẩm định", "Ghi chú"])
    wait = sum(r["trang_thai"] == CHO_KET_QUA for r in rows)
    line = (f'<p class="tongket-bad"><b>{wait} chi đoàn chờ kết quả thẩm định</b>: chưa được công nhận; quyết '
            f"định công nhận là dự thảo đến khi nhập đủ kết quả (trang tham_dinh của sổ dữ liệu).</p>" if wait else
            "<p>Đã có đủ kết quả thẩm định.</p>" if rows else "<p>Không có chi đoàn cần thẩm định.</p>")
    return frame, line


__all__ = ["ExplorePanel", "verification"]
