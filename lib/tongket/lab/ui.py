"""The cycle workbook's widgets: check the data, explore a district, try thresholds, preview and
render the documents. Every widget calls the library; nothing here computes a rule.

`CycleWorkbook` keeps what each panel last showed in `view` (tables as DataFrames, sentences,
files), so tests drive the callbacks in plain Python and compare with `tongket assess`.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pandas as pd
from IPython.display import HTML, display

from ..common import paths
from ..common.files import atomic_path, plain_name, safe_name
from ..common.vietnamese import so, sort_key
from ..errors import ERROR, TongketError
from ..intake.check import issues_frame, load
from ..pipeline import (
    Review,
    branch_table,
    co_so_table,
    district_context,
    explain_co_so,
    explain_unit,
    failing_branches,
    figures,
    huyen_codes,
    open_review,
    summary,
    targets_table,
)
from ..rules.params import load_cycle
from . import whatif

UPLOADS = "tai_len"  # uploaded workbooks go to outputs/tai_len/
WIDE = widgets.Layout(width="auto")
LABEL = {"description_width": "initial"}
NO_WIDGETS = ("Không hiển thị được bảng điều khiển (ipywidgets). Hãy mở sổ tay bằng lệnh «make lab» "
              "(JupyterLab có sẵn ipywidgets và jupyterlab_widgets cùng phiên bản), rồi chạy lại các ô.")
SORTS = {
    "Vị trí trong tệp (trang, dòng)": ["Trang", "Dòng", "Cột"],
    "Mức độ (lỗi trước)": ["Mức độ", "Trang", "Dòng"],
    "Huyện": ["Huyện", "Trang", "Dòng"],
    "Cột": ["Cột", "Trang", "Dòng"],
    "Quy tắc": ["Quy tắc", "Trang", "Dòng"],
}


class Panel(widgets.VBox):
    """A panel that, where the page cannot draw widgets, says why and what to do, in Vietnamese."""

    def _repr_mimebundle_(self, **kwargs: Any) -> dict | None:
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is not None:
            bundle["text/plain"] = NO_WIDGETS
            bundle["text/html"] = f'<p style="color:#a00"><b>{html.escape(NO_WIDGETS)}</b></p>'
        return bundle


def _rel(path: Path) -> str:
    try:
        return Path(path).resolve().relative_to(paths.ROOT).as_posix()
    except ValueError:
        return str(path)


def _table(frame: pd.DataFrame, index: bool = False) -> str:
    out = frame.to_html(index=index, escape=True, na_rep="", border=0, classes="tongket-table")
    for word in ("Chưa đạt", "Không đạt", "lỗi"):  # what needs attention, in red
        out = out.replace(f"<td>{word}</td>", f'<td class="tongket-bad">{word}</td>')
    return out


STYLE = """<style>
.tongket-table { border-collapse: collapse; font-size: 13px; }
.tongket-table th { background: #eef2f7; text-align: left !important; padding: 3px 8px; }
.tongket-table td { text-align: left !important; padding: 2px 8px; border-bottom: 1px solid #e3e3e3;
                    vertical-align: top; line-height: 1.35; }
.tongket-table td:first-child { white-space: nowrap; }
.tongket-ok { color: #1a7f37; } .tongket-bad { color: #b00020; }
</style>"""


class CycleWorkbook:
    """One review cycle, worked through in four panels that share the data, the district and the trial."""

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

        # 1. Data and parameters
        self.params = widgets.Dropdown(options=self._cycle_files(cycle_path), value=str(cycle_path.resolve()),
                                       description="Tham số kỳ đánh giá:", style=LABEL, layout=widgets.Layout(width="60%"))
        self.data = widgets.Dropdown(options=self._workbooks(data), description="Sổ Excel dữ liệu:", style=LABEL,
                                     layout=widgets.Layout(width="60%"))
        self.data.value = str(paths.resolve(data).resolve()) if data else ""
        self.upload = widgets.FileUpload(accept=".xlsx,.xlsm,.xls,.ods", multiple=False,
                                         description="Tải sổ Excel lên", layout=WIDE)
        self.nam = widgets.Dropdown(description="Năm đánh giá:", style=LABEL,
                                    options=[nam] if nam else [], value=nam)
        self.check_button = widgets.Button(description="Kiểm tra dữ liệu", button_style="primary", icon="check")
        self.check_status = widgets.HTML()
        self.sort = widgets.Dropdown(options=list(SORTS), description="Sắp xếp theo:", style=LABEL)
        self.descending = widgets.ToggleButton(value=False, description="Giảm dần", icon="sort")
        self.severity = widgets.ToggleButtons(options=["Tất cả", "Lỗi", "Cảnh báo"], description="Hiện:",
                                              style={**LABEL, "button_width": "90px"})
        self.issues_box = widgets.HTML()
        self.issues_button = widgets.Button(description="Ghi danh sách vấn đề ra Excel", icon="file-excel-o",
                                            layout=WIDE)
        self.issues_file = widgets.HTML()

        # 2. Explore
        self.huyen = widgets.Dropdown(description="Huyện:", style=LABEL)
        self.nam_xem = widgets.Dropdown(description="Năm:", style=LABEL)
        self.co_so = widgets.Dropdown(description="Đoàn cơ sở:", style=LABEL)
        self.explore_out = widgets.Output()
        self.unit_out = widgets.Output()

        # 3. What-if
        self.knob_widgets: dict[str, widgets.IntSlider] = {}
        self.knob_box = widgets.VBox()
        self.reset_button = widgets.Button(description="Đặt lại ngưỡng gốc", icon="undo", layout=WIDE)
        self.save_name = widgets.Text(description="Tên bộ tiêu chí mới:", style=LABEL, placeholder="ví dụ: sinh hoạt 6 lần")
        self.save_button = widgets.Button(description="Lưu thành bộ tiêu chí mới", icon="save", button_style="warning",
                                          layout=WIDE)
        self.save_status = widgets.HTML()
        self.whatif_out = widgets.Output()

        # 4. Preview and render
        self.preview_out = widgets.Output()
        self.render_huyen = widgets.SelectMultiple(description="Lập văn bản cho:", style=LABEL, rows=8,
                                                   layout=widgets.Layout(width="60%"))
        self.pdf = widgets.Checkbox(description="Chuyển thêm sang PDF (cần LibreOffice)", style=LABEL)
        self.force = widgets.Checkbox(description="Lập lại cả đơn vị có dữ liệu không đổi", style=LABEL)
        self.render_button = widgets.Button(description="Lập văn bản", icon="file-word-o", button_style="success")
        self.progress = widgets.IntProgress(min=0, max=1, value=0, description="Tiến độ:", style=LABEL,
                                            bar_style="info")
        self.render_status = widgets.HTML()
        self.render_out = widgets.Output()

        # In JupyterLab a callback's exception only reaches the log console: say it where the analyst looks.
        guard = self._guard
        self.upload.observe(guard(self.check_status, self._on_upload), names="value")
        self.check_button.on_click(guard(self.check_status, lambda _: self.check()))
        for w in (self.params, self.data, self.nam):  # another file or year: check and assess it at once
            w.observe(guard(self.check_status, lambda _: None if self._quiet else self.check()), names="value")
        for w in (self.sort, self.descending, self.severity):
            w.observe(guard(self.check_status, lambda _: self._show_issues()), names="value")
        self.issues_button.on_click(guard(self.issues_file, lambda _: self.write_issues()))
        self.huyen.observe(guard(self.check_status, self._on_huyen), names="value")
        self.nam_xem.observe(guard(self.check_status, lambda _: self._on_huyen()), names="value")
        self.co_so.observe(guard(self.check_status, lambda _: self.show_unit()), names="value")
        self.reset_button.on_click(guard(self.save_status, lambda _: self.reset()))
        self.save_button.on_click(guard(self.save_status, lambda _: self.save()))
        self.render_button.on_click(guard(self.render_status, lambda _: self.render()))
        self.check()

    @staticmethod
    def _guard(status: widgets.HTML, handler: Callable[[Any], Any]) -> Callable[[Any], None]:
        def run(arg: Any) -> None:
            try:
                handler(arg)
            except Exception as exc:  # noqa: BLE001 - shown to the analyst, with what to do
                status.value = (f'<b class="tongket-bad">Có lỗi: {html.escape(str(exc) or type(exc).__name__)}</b> '
                                "Hãy kiểm tra tệp đang chọn rồi thử lại; nếu lỗi lặp lại, gửi nội dung này cho "
                                "người phụ trách bộ công cụ.")
        return run

    # ------------------------------------------------------------------------------------------
    # Files offered

    @staticmethod
    def _cycle_files(current: Path) -> list[tuple[str, str]]:
        current = Path(current).resolve()
        found = {p.resolve() for folder in (paths.PARAMS, current.parent) for p in folder.glob("*.yaml")} | {current}
        return [(_rel(p), str(p)) for p in sorted(found, key=lambda p: sort_key(p.name))]

    def _workbooks(self, extra: str | Path | None = None) -> list[tuple[str, str]]:
        roots = [paths.ROOT / "data", self.out / UPLOADS]
        found = {p.resolve() for r in roots if r.is_dir() for p in r.rglob("*") if p.suffix.lower() in
                 (".xlsx", ".xlsm", ".xls", ".ods") and not p.name.startswith((".", "~$"))}
        if extra:
            found.add(paths.resolve(extra).resolve())
        return [("(sổ ghi trong tệp tham số)", "")] + [(_rel(p), str(p)) for p in sorted(found, key=lambda p: _rel(p))]

    def _on_upload(self, change: dict) -> None:
        files = change["new"]
        if not files:
            return
        f = files[0]
        target = self.out / UPLOADS / (plain_name(Path(f["name"]).name) or "so_lieu.xlsx")
        with atomic_path(target) as tmp:
            tmp.write_bytes(bytes(f["content"]))
        with self._hold():
            self.data.options = self._workbooks(target)
            self.data.value = str(target.resolve())
        self.check()
        self.check_status.value = f"Đã tải lên <code>{html.escape(_rel(target))}</code>. " + self.check_status.value

    # ------------------------------------------------------------------------------------------
    # 1. Check

    def check(self) -> pd.DataFrame:
        """Check the chosen workbook against the chosen cycle; open the review where it can be."""
        self.review = self.trial = None
        self.checked: tuple[Path, list] | None = None  # the workbook last checked and its problems
        self.changes = {}
        self.view["van_de"] = issues_frame([])
        try:
            cycle = load_cycle(self.params.value, data=self.data.value or None, nam=None)
            d = load(cycle.data, cycle.scale, cycle.emulation)
        except TongketError as exc:
            self.check_status.value = f'<b class="tongket-bad">{html.escape(str(exc))}</b>'
            self._show_issues()
            self._clear()
            return self.view["van_de"]
        self.checked = (Path(cycle.data), d.issues)
        self.view["van_de"] = frame = issues_frame(d.issues)
        errors = int((frame["Mức độ"] == ERROR).sum())
        warnings = len(frame) - errors
        name = Path(cycle.data).name
        years = list(d.years)
        if years:
            keep = self.nam.value if self.nam.value in years else (cycle.nam if cycle.nam in years else years[-1])
            with self._hold():
                self.nam.options, self.nam.value = years, keep
        try:
            self.review = open_review(cycle.path, data=cycle.data, nam=self.nam.value) if years else None
        except TongketError as exc:
            self.check_status.value = (f'<b class="tongket-bad">Có {errors} lỗi và {warnings} cảnh báo trong {html.escape(name)}.'
                                       f"</b> Chưa đánh giá được: {html.escape(str(exc).splitlines()[0])}. "
                                       "Hãy sửa các lỗi trong sổ Excel rồi bấm «Kiểm tra dữ liệu» lại.")
            self._show_issues()
            self._clear()
            return frame
        left_out = ", ".join(self.review.excluded_names.values())
        if errors:
            self.check_status.value = (f'<b class="tongket-bad">Có {errors} lỗi và {warnings} cảnh báo trong '
                                       f"{html.escape(name)}.</b> Các huyện có lỗi tạm để ra ngoài: {html.escape(left_out)}. "
                                       "Sửa sổ Excel rồi bấm «Kiểm tra dữ liệu» lại.")
        else:
            self.check_status.value = (f'<b class="tongket-ok">Không có lỗi ({warnings} cảnh báo).</b> '
                                       f"Tệp {html.escape(name)} dùng được: đã đánh giá năm {self.nam.value}.")
        self._show_issues()
        self._fill()
        return frame

    def _show_issues(self) -> None:
        frame = self.view.get("van_de", issues_frame([]))
        if self.severity.value == "Lỗi":
            frame = frame[frame["Mức độ"] == ERROR]
        elif self.severity.value == "Cảnh báo":
            frame = frame[frame["Mức độ"] != ERROR]
        by = SORTS[self.sort.value]
        keyed = frame.assign(**{c: frame[c].map(lambda v: sort_key("" if v is None or pd.isna(v) else str(v)))
                                for c in by if c not in ("Dòng", "Mức độ")})
        keyed["Mức độ"] = (frame["Mức độ"] != ERROR).astype(int)  # errors first
        order = keyed.sort_values(by, ascending=not self.descending.value, kind="stable",
                                  na_position="first").index
        shown = frame.loc[order]
        self.view["van_de_hien"] = shown
        limit = 500
        more = f"<p>… và {so(len(shown) - limit)} dòng nữa (ghi ra Excel để xem hết).</p>" if len(shown) > limit else ""
        self.issues_box.value = STYLE + (
            f'<div style="max-height: 340px; overflow-y: auto">{_table(shown.head(limit).drop(columns=["Tệp"]))}</div>'
            + more if len(shown) else "<p>Không có vấn đề nào để hiện.</p>")

    def write_issues(self) -> Path | None:
        """The problems as an Excel list, with a copy of the workbook whose cells to fix are marked."""
        from ..intake.issues_book import write_issues_workbook

        if self.checked is None:
            self.issues_file.value = '<b class="tongket-bad">Chưa kiểm tra được sổ nào.</b>'
            return None
        source, issues = self.checked
        target = self.out / "kiem_tra" / f"van_de_{safe_name(Path(source).stem)}.xlsx"
        write_issues_workbook(issues, target, source)
        self.issues_file.value = f"Đã ghi: <code>{html.escape(_rel(target))}</code> (trang van_de; các ô cần sửa được tô màu)."
        return target

    # ------------------------------------------------------------------------------------------
    # 2. Explore

    @property
    def current(self) -> Review | None:
        """The review the panels show: the trial where one is set, else the cycle's own."""
        return self.trial or self.review

    def _hold(self) -> _Hold:
        return _Hold(self)

    def _clear(self) -> None:
        with self._hold():
            self.huyen.options = []
            self.co_so.options = []
            self.render_huyen.options = []
        for out in (self.explore_out, self.unit_out, self.whatif_out, self.preview_out):
            out.clear_output()
        self.knob_box.children = ()

    def _fill(self) -> None:
        review = self.review
        assert review is not None
        names = review.results.don_vi.set_index("ma_don_vi")["ten_don_vi"]
        codes = huyen_codes(review)
        options = [(f"{names[h]} ({h})", h) for h in codes]
        self.huyen.description = "Đơn vị:" if review.cycle.cap_bao_cao == "co_so" else "Huyện:"
        years = review.results.years
        with self._hold():
            # first shown: a district with residential branches, where every chart has something to draw
            lived = set(review.results.chi_doan.loc[review.results.chi_doan["dat_chuan"].notna(), "ma_bao_cao"])
            keep = self.huyen.value if self.huyen.value in codes else next(
                (h for h in codes if h in lived), codes[0] if codes else None)
            self.huyen.options, self.huyen.value = options, keep
            self.nam_xem.options, self.nam_xem.value = years, self.nam.value
            self.render_huyen.options = options
            self.render_huyen.value = (keep,) if keep else ()
        self._build_knobs()
        self._on_huyen()

    def _on_huyen(self, *_: Any) -> None:
        if self._quiet or self.current is None or not self.huyen.value:
            return
        cs = self.current.results.of_unit(self.huyen.value).year(self.nam_xem.value).co_so
        with self._hold():
            if len(self.render_huyen.value) <= 1:  # render follows the district looked at, until several are picked
                self.render_huyen.value = (self.huyen.value,)
            keep = self.co_so.value if self.co_so.value in set(cs["ma_don_vi"]) else ""
            self.co_so.options = [("(chọn Đoàn cơ sở để xem từng tiêu chí)", "")] + [
                (r.ten_don_vi, r.ma_don_vi) for r in cs.sort_values("ten_don_vi", key=lambda s: s.map(sort_key)).itertuples()]
            self.co_so.value = keep
        self.show_district()
        self.show_unit()
        self.show_whatif()  # shows the preview too

    def show_district(self) -> None:
        """The chosen district and year: indicators against targets and the year before, charts,
        its Đoàn cơ sở and the branches not up to standard with the reason."""
        review, h, nam = self.current, self.huyen.value, self.nam_xem.value
        if review is None or not h:
            return
        names = review.results.don_vi.set_index("ma_don_vi")["ten_don_vi"]
        v = self.view
        v["huyen"], v["nam"] = h, nam
        v["chi_tieu"] = targets_table(review, h, nam)
        v["so_sanh"] = summary(review, h, nam) if nam - 1 in review.results.years else None
        v["co_so"] = co_so_table(review, h, nam)
        v["chua_dat"] = failing_branches(review, h, nam)
        v["tham_dinh"], v["cho_tham_dinh"] = _verification(review, h, nam)
        v["bieu_do"] = {k: f for k, f in figures(review, h, nam).items() if f is not None}
        where = "phần «Thử ngưỡng» bên dưới" if self.leader else "mục 3, chưa lưu"
        v["bao_hieu"] = (f'<p class="tongket-bad"><b>Đang xem theo ngưỡng thử nghiệm</b> ({where}).</p>'
                         if self.trial is not None else "")
        self.explore_out.clear_output(wait=True)
        with self.explore_out:
            display(HTML(STYLE + v["bao_hieu"]))
            display(HTML(f"<h3>{html.escape(names[h])} — năm {nam}</h3><h4>Chỉ tiêu so với mục tiêu</h4>"
                         + _table(v["chi_tieu"], index=False)))
            if v["so_sanh"] is not None:
                display(HTML(f"<h4>So với năm {nam - 1}</h4>" + _table(v["so_sanh"])))
            for fig in v["bieu_do"].values():
                display(fig)
            display(HTML("<h4>Đoàn cơ sở</h4>" + _table(v["co_so"], index=True)))
            display(HTML("<h4>Chi đoàn trên địa bàn dân cư chưa đạt chuẩn và lý do</h4>"
                         + (_table(v["chua_dat"]) if len(v["chua_dat"]) else "<p>Không có.</p>")))
            display(HTML("<h4>Thẩm định ngẫu nhiên</h4>" + v["cho_tham_dinh"]
                         + (_table(v["tham_dinh"]) if len(v["tham_dinh"]) else "")))

    def show_unit(self) -> None:
        """The chosen Đoàn cơ sở: its “3 chủ động” checks and every criterion of every branch, met or not."""
        self.unit_out.clear_output(wait=True)
        review, ma, nam = self.current, self.co_so.value, self.nam_xem.value
        if review is None or not ma:
            self.view["tieu_chi_co_so"] = self.view["tieu_chi_chi_doan"] = self.view["chi_doan_co_so"] = None
            return
        v = self.view
        v["tieu_chi_co_so"] = explain_co_so(review, ma, nam)
        v["chi_doan_co_so"] = branch_table(review, ma, nam)
        v["tieu_chi_chi_doan"] = explain_unit(review, ma, nam)
        from ..rules.wording import ten_tieu_chi

        legend = "; ".join(f"{ten_tieu_chi(c.id)}: {c.short_label}" for c in review.cycle.rubric_chi_doan.criteria)
        own = v["tieu_chi_co_so"].drop(columns=["ma_don_vi", "nam", "Nguồn", "Chi đoàn"], errors="ignore")
        detail = v["tieu_chi_chi_doan"].drop(columns=["ma_don_vi", "nam", "Nguồn", "Nội dung"], errors="ignore")
        scroll = '<div style="max-height: 420px; overflow-y: auto">{}</div>'.format
        with self.unit_out:
            display(HTML(STYLE + "<h4>Đoàn cơ sở “3 chủ động”: từng nội dung</h4>" + _table(own)))
            if len(detail):
                display(HTML("<h4>Chi đoàn trên địa bàn dân cư: từng tiêu chí</h4>" + scroll(_table(v["chi_doan_co_so"]))
                             + f"<p><small>{html.escape(legend)}</small></p>"
                             + "<h4>Từng điều kiện của từng chi đoàn (đạt và không đạt, với số đo)</h4>"
                             + scroll(_table(detail))))
            else:
                display(HTML("<p>Đoàn cơ sở này không có chi đoàn trên địa bàn dân cư.</p>"))

    # ------------------------------------------------------------------------------------------
    # 3. What-if

    def _build_knobs(self) -> None:
        assert self.review is not None
        self.knob_widgets = {}
        groups: dict[str, list[widgets.Widget]] = {}
        for k in whatif.knobs(self.review.cycle):
            if k.percent:
                w = widgets.IntSlider(value=round(k.value * 100), min=0, max=100, step=1, readout_format="d")
                unit = "%"
            else:
                w = widgets.IntSlider(value=int(k.value), min=0, max=int(k.maximum), step=1)
                unit = ""
            w.continuous_update = False
            w.description = ""
            w.layout = widgets.Layout(width="340px")
            w.observe(lambda _c: self.show_whatif(), names="value")
            w.add_class(f"tongket-knob-{safe_name(k.key.replace('/', '-'))}")
            self.knob_widgets[k.key] = w
            row = widgets.HBox([widgets.Label(k.label, layout=widgets.Layout(width="440px")), w, widgets.Label(unit)])
            groups.setdefault(k.group, []).append(row)
        self.knob_box.children = tuple(
            widgets.VBox([widgets.HTML(f"<b>{html.escape(g)}</b>"), *rows]) for g, rows in groups.items())

    def knob_values(self) -> dict[str, float]:
        """What the sliders say, for the knobs that differ from the cycle's own values."""
        assert self.review is not None
        out = {}
        for k in whatif.knobs(self.review.cycle):
            raw = self.knob_widgets[k.key].value
            value = raw / 100 if k.percent else float(raw)
            if abs(value - k.value) > 1e-9:
                out[k.key] = value
        return out

    def set_knob(self, key: str, value: float) -> None:
        """Move one slider as an analyst would (a rate as a fraction: 0.85)."""
        knob = {k.key: k for k in whatif.knobs(self.review.cycle)}[key]
        self.knob_widgets[key].value = round(value * 100) if knob.percent else int(value)

    def show_whatif(self) -> None:
        """Assess again under the sliders: how many units pass, which change, the chart."""
        if self._quiet or self.review is None:
            return
        changes = self.knob_values()
        if changes != self.changes:
            self.changes = changes
            self.trial = whatif.trial(self.review, changes) if changes else None
            self.show_district()
            self.show_unit()
        review, h, nam = self.current, self.huyen.value, self.nam_xem.value
        v = self.view
        v["thay_doi"] = whatif.describe(self.review.cycle, changes)
        v["so_luong"] = whatif.compare_counts(self.review, review, nam)
        v["so_luong_huyen"] = whatif.compare_counts(self.review, review, nam, h) if h else None
        v["don_vi_doi"] = whatif.changed_units(self.review, review, nam)
        chart = v.get("bieu_do", {}).get("dat_chuan") if h else None  # show_district drew it for this review
        self.whatif_out.clear_output(wait=True)
        names = self.review.results.don_vi.set_index("ma_don_vi")["ten_don_vi"]
        with self.whatif_out:
            display(HTML(STYLE))
            if changes:
                display(HTML("<p><b>Đang thử:</b></p><ul>" + "".join(f"<li>{html.escape(s)}</li>" for s in v["thay_doi"])
                             + "</ul><p>Chưa có tệp nào bị thay đổi.</p>"))
            else:
                display(HTML("<p>Đang dùng đúng ngưỡng của tệp tham số. Kéo thanh trượt (hoặc gõ số) để thử.</p>"))
            display(HTML("<h4>Toàn tỉnh</h4>" + _table(v["so_luong"].drop(columns=["key", "_truoc", "_sau"]))))
            if v["so_luong_huyen"] is not None:
                display(HTML(f"<h4>{html.escape(names[h])}</h4>"
                             + _table(v["so_luong_huyen"].drop(columns=["key", "_truoc", "_sau"]))))
            moved = v["don_vi_doi"].drop(columns=["ma_don_vi"])
            display(HTML(f"<h4>Đơn vị thay đổi kết quả ({so(len(moved))})</h4>"
                         + (_table(moved) if len(moved) else "<p>Không có đơn vị nào thay đổi.</p>")))
            if chart is not None:
                display(chart)
        self.show_preview()

    def reset(self) -> None:
        """Every slider back to the cycle's own value."""
        if self.review is None:
            return
        with self._hold():
            for k in whatif.knobs(self.review.cycle):
                self.knob_widgets[k.key].value = round(k.value * 100) if k.percent else int(k.value)
        self.show_whatif()

    def save(self) -> whatif.Saved | None:
        """Write the trial as a new rubric and a new cycle file (never over existing files), then
        work on with the new cycle file."""
        if self.review is None or self.leader:
            return None
        try:
            saved = whatif.save(self.review.cycle, self.changes, self.save_name.value)
        except TongketError as exc:
            self.save_status.value = f'<b class="tongket-bad">{html.escape(str(exc))}</b>'
            return None
        files = [saved.cycle, *saved.rubrics]
        self.save_status.value = (
            STYLE + '<p class="tongket-ok"><b>Đã lưu</b> (tệp gốc giữ nguyên):</p><ul>'
            + "".join(f"<li><code>{html.escape(_rel(p))}</code></li>" for p in files)
            + f"</ul><p>Sổ tay chuyển sang dùng tệp tham số mới. Chạy cả tỉnh theo ngưỡng này: "
              f"<code>tongket run {html.escape(_rel(saved.cycle))}</code> — văn bản theo bộ tiêu chí thử nghiệm "
              f"ghi riêng vào <code>outputs/&lt;năm&gt;/thu_nghiem/</code>, không lẫn với văn bản chính thức.</p>")
        with self._hold():
            self.params.options = self._cycle_files(saved.cycle)
            self.params.value = str(saved.cycle.resolve())
        self.check()
        self.view["da_luu"] = saved
        return saved

    # ------------------------------------------------------------------------------------------
    # 4. Preview and render

    def show_preview(self) -> None:
        """The district's report as it will read: its key sentences, targets and strengths and weaknesses."""
        review, h, nam = self.current, self.huyen.value, self.nam_xem.value
        if self._quiet or review is None or not h:
            return
        ctx, warnings = district_context(review, h, nam)
        v = self.view
        v["cau"] = [x for s in ctx["cau"].values() for x in (s if isinstance(s, list) else [s]) if x]
        v["uu_diem"], v["han_che"] = ctx["uu_diem"], ctx["han_che"]
        self.preview_out.clear_output(wait=True)
        bullets = lambda items: "<ul>" + "".join(f"<li>{html.escape(str(s))}</li>" for s in items) + "</ul>"  # noqa: E731
        with self.preview_out:
            note = ""
            if self.trial is not None:
                note = ('<p class="tongket-bad"><b>Bản xem trước theo ngưỡng thử nghiệm.</b> Văn bản lập ra sẽ theo tệp '
                        "tham số đang chọn: hãy «Lưu thành bộ tiêu chí mới» trước nếu muốn lập văn bản theo ngưỡng thử.</p>")
            display(HTML(STYLE + note + f"<h4>{html.escape(ctx['trich_yeu'])}</h4><p><b>Những câu chính</b></p>"
                         + bullets(v["cau"]) + "<p><b>Chỉ tiêu</b></p>"
                         + _table(pd.DataFrame(ctx["chi_tieu"]).rename(columns={
                             "stt": "STT", "chi_tieu": "Chỉ tiêu", "muc_tieu": "Mục tiêu", "thuc_hien": "Thực hiện",
                             "danh_gia": "Đánh giá"}))
                         + "<p><b>Ưu điểm</b></p>" + bullets(v["uu_diem"]) + "<p><b>Hạn chế</b></p>" + bullets(v["han_che"])
                         + (("<p><b>Cần bổ sung trước khi ban hành</b></p>" + bullets(warnings)) if warnings else "")))

    def render(self, huyen: list[str] | None = None, executor: Any = None,
               on_unit: Callable[[Any, int, int], None] | None = None) -> Any:
        """Render the chosen districts' documents (and the province's) through the batch runner and
        the papermill notebooks, as `tongket run` does, with the progress bar; then link the files."""
        from ..batch import runner

        if self.leader:
            return None
        chosen = list(huyen if huyen is not None else self.render_huyen.value)
        if not chosen:
            self.render_status.value = '<b class="tongket-bad">Hãy chọn ít nhất một huyện.</b>'
            return None
        self.progress.value, self.progress.max, self.progress.bar_style = 0, len(chosen) + 1, "info"
        self.render_status.value = f"Đang lập văn bản cho {len(chosen)} huyện và toàn tỉnh…"

        def step(entry: Any, done: int, total: int) -> None:
            self.progress.max, self.progress.value = max(total, 1), done
            mark = "xong" if entry.status == "ok" else "LỖI"
            self.render_status.value = f"{html.escape(entry.ten_don_vi)}: {mark} ({done}/{total})"
            if on_unit:
                on_unit(entry, done, total)

        try:  # a kernel has threads: its workers start afresh ("spawn") rather than fork it
            result = runner.run(self.params.value, data=self.data.value or None, nam=self.nam.value, ma_bao_cao=chosen,
                               out=self.out, progress=False, pdf=self.pdf.value, force=self.force.value,
                               executor=executor, on_unit=step, start_method="spawn")
        except TongketError as exc:
            self.progress.bar_style = "danger"
            self.render_status.value = f'<b class="tongket-bad">{html.escape(str(exc))}</b>'
            return None
        self.progress.value = self.progress.max
        ok = [e for e in result.entries if e.status == "ok"]
        failed = [e for e in result.entries if e.status != "ok"]
        self.progress.bar_style = "success" if not failed else "danger"
        same = len(result.unchanged)
        self.render_status.value = (f"<b>Hoàn thành {len(ok)}/{len(result.entries)} đơn vị</b>"
                                    + (f" ({same} đơn vị không đổi, giữ văn bản đã lập)" if same else "")
                                    + f". Nhật ký chạy: <code>{html.escape(_rel(result.manifest))}</code>")
        year_dir = result.folder  # out/<năm>, or its thu_nghiem/<tên>/ for a trial rule set

        def written(e: Any) -> list[Path]:  # the files of this run (the manifest's), never an older run's
            folder = year_dir / safe_name(e.ma_don_vi)
            found = [year_dir / f for f in e.files if Path(f).suffix in (".docx", ".xlsx", ".pdf", ".png")]
            return sorted(found, key=lambda p: (len(p.relative_to(folder).parts), p.relative_to(folder).as_posix()))

        files = {e.ma_don_vi: written(e) for e in ok}
        self.view["van_ban"] = files
        self.view["ket_qua_chay"] = result
        here = Path.cwd()  # a kernel runs in its notebook's folder: links relative to it open from the page
        self.render_out.clear_output(wait=True)
        with self.render_out:
            parts = [STYLE]
            for e in result.entries:
                if e.status != "ok":
                    parts.append(f'<p class="tongket-bad"><b>{html.escape(e.ten_don_vi)}: lỗi</b></p><pre>'
                                 f"{html.escape(str(e.error))}</pre>")
                    continue
                unit_dir = year_dir / safe_name(e.ma_don_vi)
                links = "".join(
                    f'<li><a href="{html.escape(os.path.relpath(p, here))}" target="_blank">'
                    f"{html.escape(p.relative_to(unit_dir).as_posix())}</a></li>"
                    for p in files[e.ma_don_vi] if p.suffix != ".png")
                where = html.escape(_rel(unit_dir))
                parts.append(f"<p><b>{html.escape(e.ten_don_vi)}</b> — thư mục <code>{where}</code></p><ul>{links}</ul>")
            self.view["lien_ket"] = "".join(parts)
            display(HTML(self.view["lien_ket"]))
        return result

    # ------------------------------------------------------------------------------------------
    # The panels, as the notebook shows them

    def data_panel(self) -> Panel:
        return Panel([widgets.HTML(STYLE), self.params, self.data, self.upload, widgets.HBox([self.nam, self.check_button]),
                      self.check_status, widgets.HBox([self.severity, self.sort, self.descending]), self.issues_box,
                      *([] if self.leader else [widgets.HBox([self.issues_button, self.issues_file])])])

    def explore_panel(self) -> Panel:
        return Panel([widgets.HBox([self.huyen, self.nam_xem]), self.explore_out, self.co_so, self.unit_out])

    def whatif_panel(self) -> Panel:
        save = [] if self.leader else [widgets.HBox([self.save_name, self.save_button]), self.save_status]
        return Panel([self.knob_box, self.reset_button, *save, self.whatif_out])

    def render_panel(self) -> Panel:
        return Panel([self.preview_out, self.render_huyen, self.pdf, self.force, self.render_button, self.progress,
                      self.render_status, self.render_out])


def _verification(review: Review, ma: str, nam: int) -> tuple[pd.DataFrame, str]:
    """The unit's verification list (drawn and verified branches, result, note) and a line saying
    what still awaits a result [001 III.2]."""
    from ..documents.contexts import verification_rows
    from ..rules.verification import CHO_KET_QUA

    rows, _ = verification_rows(review, ma, nam)
    table = pd.DataFrame([{"Chi đoàn": r["ten"], "Đoàn cơ sở": r["co_so"], "Chọn": r["chon"],
                           "Kết quả thẩm định": r["ket_qua"], "Ghi chú": r["ghi_chu"]} for r in rows],
                         columns=["Chi đoàn", "Đoàn cơ sở", "Chọn", "Kết quả thẩm định", "Ghi chú"])
    wait = sum(r["trang_thai"] == CHO_KET_QUA for r in rows)
    line = (f'<p class="tongket-bad"><b>{wait} chi đoàn chờ kết quả thẩm định</b>: chưa được công nhận; quyết '
            f"định công nhận là dự thảo đến khi nhập đủ kết quả (trang tham_dinh của sổ dữ liệu).</p>" if wait else
            "<p>Đã có đủ kết quả thẩm định.</p>" if rows else "<p>Không có chi đoàn cần thẩm định.</p>")
    return table, line


class _Hold:
    """Change several widgets without each change redrawing the panels."""

    def __init__(self, wb: CycleWorkbook) -> None:
        self.wb = wb

    def __enter__(self) -> None:
        self.before, self.wb._quiet = self.wb._quiet, True

    def __exit__(self, *exc: object) -> None:
        self.wb._quiet = self.before


__all__ = ["CycleWorkbook", "Panel"]
