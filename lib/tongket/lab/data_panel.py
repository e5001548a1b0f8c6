"""The workbook's first panel: choose the cycle file, the Excel workbook (or upload one) and the
year, check the data, list its problems sorted and filtered, and write them to Excel."""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

import ipywidgets as widgets
import pandas as pd

from ..common import paths
from ..common.files import atomic_path, plain_name, safe_name
from ..common.vietnamese import so, sort_key
from ..errors import ERROR, TongketError
from ..intake.check import for_cycle, issues_frame
from ..pipeline import open_review
from ..rules.params import load_cycle
from .look import LABEL, STYLE, UPLOADS, WIDE, Panel, bad, guard, rel, table, ten_bao_cao

if TYPE_CHECKING:
    from .ui import CycleWorkbook

SORTS = {
    "Vị trí trong tệp (trang, dòng)": ["Trang", "Dòng", "Cột"],
    "Mức độ (lỗi trước)": ["Mức độ", "Trang", "Dòng"],
    "Huyện": ["Huyện", "Trang", "Dòng"],  # the column of `issues_frame` that names the reporting unit
    "Cột": ["Cột", "Trang", "Dòng"],
    "Quy tắc": ["Quy tắc", "Trang", "Dòng"],
}
LIMIT = 500  # problems shown on the page; the Excel list has them all


def cycle_files(current: Path) -> list[tuple[str, str]]:
    """The cycle files offered: those of params/ and of the current file's folder."""
    current = Path(current).resolve()
    found = {p.resolve() for folder in (paths.PARAMS, current.parent) for p in folder.glob("*.yaml")} | {current}
    return [(rel(p), str(p)) for p in sorted(found, key=lambda p: sort_key(p.name))]


def workbooks(out: Path, extra: str | Path | None = None) -> list[tuple[str, str]]:
    """The workbooks offered: those under data/ and the uploaded ones, first the cycle file's own."""
    roots = [paths.ROOT / "data", out / UPLOADS]
    found = {p.resolve() for r in roots if r.is_dir() for p in r.rglob("*") if p.suffix.lower() in
             (".xlsx", ".xlsm", ".xls", ".ods") and not p.name.startswith((".", "~$"))}
    if extra:
        found.add(paths.resolve(extra).resolve())
    return [("(sổ ghi trong tệp tham số)", "")] + [(rel(p), str(p)) for p in sorted(found, key=lambda p: rel(p))]


class DataPanel:
    """1. Data and parameters: what is checked and assessed, and what is wrong in it."""

    def __init__(self, wb: CycleWorkbook, cycle_path: Path, data: str | Path | None, nam: int | None) -> None:
        self.wb = wb
        self.checked: tuple[Path, list] | None = None  # the workbook last checked and its problems
        self.cap_bao_cao: str | None = None  # the reporting level of the cycle last read
        self.params = widgets.Dropdown(options=cycle_files(cycle_path), value=str(cycle_path.resolve()),
                                       description="Tham số kỳ đánh giá:", style=LABEL, layout=widgets.Layout(width="60%"))
        self.data = widgets.Dropdown(options=workbooks(wb.out, data), description="Sổ Excel dữ liệu:", style=LABEL,
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

    def connect(self) -> None:
        """Answer the widgets: another file or year is checked and assessed at once."""
        wb, status = self.wb, self.check_status
        self.upload.observe(guard(status, self._on_upload), names="value")
        self.check_button.on_click(guard(status, lambda _: wb.check()))
        for w in (self.params, self.data, self.nam):
            w.observe(guard(status, lambda _: None if wb._quiet else wb.check()), names="value")
        for w in (self.sort, self.descending, self.severity):
            w.observe(guard(status, lambda _: self.show_issues()), names="value")
        self.issues_button.on_click(guard(self.issues_file, lambda _: self.write_issues()))

    def box(self) -> Panel:
        """The panel as the notebook shows it."""
        return Panel([widgets.HTML(STYLE), self.params, self.data, self.upload, widgets.HBox([self.nam, self.check_button]),
                      self.check_status, widgets.HBox([self.severity, self.sort, self.descending]), self.issues_box,
                      *([] if self.wb.leader else [widgets.HBox([self.issues_button, self.issues_file])])])

    def offer_cycle(self, path: Path) -> None:
        """Choose another cycle file (a saved trial) without checking yet."""
        with self.wb._hold():
            self.params.options = cycle_files(path)
            self.params.value = str(path.resolve())

    def _on_upload(self, change: dict) -> None:
        files = change["new"]
        if not files:
            return
        f = files[0]
        target = self.wb.out / UPLOADS / (plain_name(Path(f["name"]).name) or "so_lieu.xlsx")
        with atomic_path(target) as tmp:
            tmp.write_bytes(bytes(f["content"]))
        with self.wb._hold():
            self.data.options = workbooks(self.wb.out, target)
            self.data.value = str(target.resolve())
        self.wb.check()
        self.check_status.value = f"Đã tải lên <code>{html.escape(rel(target))}</code>. " + self.check_status.value

    def check(self) -> pd.DataFrame:
        """Check the chosen workbook against the chosen cycle; open the review where it can be."""
        wb = self.wb
        wb.review = wb.trial = None
        self.checked = None
        wb.changes = {}
        wb.view["van_de"] = issues_frame([])
        self.cap_bao_cao = None
        try:
            cycle = load_cycle(self.params.value, data=self.data.value or None, nam=None)
            self.cap_bao_cao = cycle.cap_bao_cao
            d = for_cycle(cycle, coverage=False)
        except TongketError as exc:
            self.check_status.value = bad(str(exc))
            return self._refused()
        self.checked = (Path(cycle.data), d.issues)
        wb.view["van_de"] = frame = issues_frame(d.issues)
        errors = int((frame["Mức độ"] == ERROR).sum())
        warnings, name = len(frame) - errors, html.escape(Path(cycle.data).name)
        years = list(d.years)
        if years:
            keep = self.nam.value if self.nam.value in years else (cycle.nam if cycle.nam in years else years[-1])
            with wb._hold():
                self.nam.options, self.nam.value = years, keep
        try:
            wb.review = open_review(cycle.path, data=cycle.data, nam=self.nam.value) if years else None
        except TongketError as exc:
            self.check_status.value = (f'<b class="tongket-bad">Có {errors} lỗi và {warnings} cảnh báo trong {name}.'
                                       f"</b> Chưa đánh giá được: {html.escape(str(exc).splitlines()[0].rstrip(':'))}. "
                                       "Hãy sửa các lỗi trong sổ Excel rồi bấm «Kiểm tra dữ liệu» lại.")
            self._refused()
            return frame
        self.check_status.value = self._verdict(errors, warnings, name)
        self.show_issues()
        wb._fill()
        return frame

    def _refused(self) -> pd.DataFrame:
        """Nothing to assess: the problems shown, the other panels emptied."""
        self.show_issues()
        self.wb._clear()
        return self.wb.view["van_de"]

    def _verdict(self, errors: int, warnings: int, name: str) -> str:
        """What the check found, for a workbook that could be assessed (`name` escaped)."""
        review = self.wb.review
        left_out = ", ".join(review.excluded_names.values()) if review is not None else ""
        if errors:
            return (f'<b class="tongket-bad">Có {errors} lỗi và {warnings} cảnh báo trong {name}.</b> Các '
                    f"{ten_bao_cao(self.cap_bao_cao)} có lỗi tạm để ra ngoài: {html.escape(left_out)}. "
                    "Sửa sổ Excel rồi bấm «Kiểm tra dữ liệu» lại.")
        return (f'<b class="tongket-ok">Không có lỗi ({warnings} cảnh báo).</b> '
                f"Tệp {name} dùng được: đã đánh giá năm {self.nam.value}.")

    def show_issues(self) -> None:
        """The problems, filtered by severity and sorted as chosen (errors first by severity)."""
        frame = self.wb.view.get("van_de", issues_frame([]))
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
        self.wb.view["van_de_hien"] = shown
        more = f"<p>… và {so(len(shown) - LIMIT)} dòng nữa (ghi ra Excel để xem hết).</p>" if len(shown) > LIMIT else ""
        self.issues_box.value = STYLE + (
            f'<div style="max-height: 340px; overflow-y: auto">{table(shown.head(LIMIT).drop(columns=["Tệp"]))}</div>'
            + more if len(shown) else "<p>Không có vấn đề nào để hiện.</p>")

    def write_issues(self) -> Path | None:
        """The problems as an Excel list, with a copy of the workbook whose cells to fix are marked."""
        from ..intake.issues_book import write_issues_workbook

        if self.checked is None:
            self.issues_file.value = bad("Chưa kiểm tra được sổ nào.")
            return None
        source, issues = self.checked
        target = self.wb.out / "kiem_tra" / f"van_de_{safe_name(Path(source).stem)}.xlsx"
        write_issues_workbook(issues, target, source)
        self.issues_file.value = f"Đã ghi: <code>{html.escape(rel(target))}</code> (trang van_de; các ô cần sửa được tô màu)."
        return target


__all__ = ["SORTS", "DataPanel", "cycle_files", "workbooks"]
