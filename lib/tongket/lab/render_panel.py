"""The workbook's fourth panel: the chosen reporting unit's report as it will read, then its
documents rendered through the batch runner and the papermill notebooks, with a progress bar and
links to the files written."""

from __future__ import annotations

import html
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import pandas as pd
from IPython.display import HTML, display

from ..common.files import safe_name
from ..errors import TongketError
from ..pipeline import reporting_context
from .look import LABEL, STYLE, Panel, bad, guard, rel, table, ten_bao_cao

if TYPE_CHECKING:
    from .ui import CycleWorkbook

SHOWN = (".docx", ".xlsx", ".pdf", ".png")  # the files of a unit the run lists (pictures not linked)
TARGET_COLUMNS = {"stt": "STT", "chi_tieu": "Chỉ tiêu", "muc_tieu": "Mục tiêu", "thuc_hien": "Thực hiện",
                  "danh_gia": "Đánh giá"}
TRIAL_NOTE = ('<p class="tongket-bad"><b>Bản xem trước theo ngưỡng thử nghiệm.</b> Văn bản lập ra sẽ theo tệp '
              "tham số đang chọn: hãy «Lưu thành bộ tiêu chí mới» trước nếu muốn lập văn bản theo ngưỡng thử.</p>")


def _bullets(items: Iterable[Any]) -> str:
    return "<ul>" + "".join(f"<li>{html.escape(str(s))}</li>" for s in items) + "</ul>"


class RenderPanel:
    """4. Preview and render: what the report will say, then the documents of the units chosen."""

    def __init__(self, wb: CycleWorkbook) -> None:
        self.wb = wb
        self.preview_out = widgets.Output()
        self.render_bao_cao = widgets.SelectMultiple(description="Lập văn bản cho:", style=LABEL, rows=8,
                                                     layout=widgets.Layout(width="60%"))
        self.pdf = widgets.Checkbox(description="Chuyển thêm sang PDF (cần LibreOffice)", style=LABEL)
        self.force = widgets.Checkbox(description="Lập lại cả đơn vị có dữ liệu không đổi", style=LABEL)
        self.render_button = widgets.Button(description="Lập văn bản", icon="file-word-o", button_style="success")
        self.progress = widgets.IntProgress(min=0, max=1, value=0, description="Tiến độ:", style=LABEL,
                                            bar_style="info")
        self.render_status = widgets.HTML()
        self.render_out = widgets.Output()

    def connect(self) -> None:
        """Answer the button."""
        self.render_button.on_click(guard(self.render_status, lambda _: self.render()))

    def box(self) -> Panel:
        """The panel as the notebook shows it."""
        return Panel([self.preview_out, self.render_bao_cao, self.pdf, self.force, self.render_button, self.progress,
                      self.render_status, self.render_out])

    def clear(self) -> None:
        """Nothing to preview or render (the caller holds the redraws)."""
        self.render_bao_cao.options = []
        self.preview_out.clear_output()

    def offer(self, options: list[tuple[str, str]], keep: str | None) -> None:
        """The reporting units one may render, the one shown chosen (the caller holds the redraws)."""
        self.render_bao_cao.options = options
        self.render_bao_cao.value = (keep,) if keep else ()

    def follow(self, ma_bao_cao: str) -> None:
        """Rendering follows the unit looked at, until several are picked."""
        if len(self.render_bao_cao.value) <= 1:
            self.render_bao_cao.value = (ma_bao_cao,)

    def show_preview(self) -> None:
        """The reporting unit's report as it will read: its key sentences, targets and strengths and weaknesses."""
        wb = self.wb
        review, ma, nam = wb.current, wb.panel_explore.bao_cao.value, wb.panel_explore.nam_xem.value
        if wb._quiet or review is None or not ma:
            return
        ctx, warnings = reporting_context(review, ma, nam)
        v = wb.view
        v["cau"] = [x for s in ctx["cau"].values() for x in (s if isinstance(s, list) else [s]) if x]
        v["uu_diem"], v["han_che"] = ctx["uu_diem"], ctx["han_che"]
        self.preview_out.clear_output(wait=True)
        with self.preview_out:
            note = TRIAL_NOTE if wb.trial is not None else ""
            display(HTML(STYLE + note + f"<h4>{html.escape(ctx['trich_yeu'])}</h4><p><b>Những câu chính</b></p>"
                         + _bullets(v["cau"]) + "<p><b>Chỉ tiêu</b></p>"
                         + table(pd.DataFrame(ctx["chi_tieu"]).rename(columns=TARGET_COLUMNS))
                         + "<p><b>Ưu điểm</b></p>" + _bullets(v["uu_diem"]) + "<p><b>Hạn chế</b></p>"
                         + _bullets(v["han_che"])
                         + (("<p><b>Cần bổ sung trước khi ban hành</b></p>" + _bullets(warnings)) if warnings else "")))

    def render(self, ma_bao_cao: list[str] | None = None, executor: Any = None,
               on_unit: Callable[[Any, int, int], None] | None = None) -> Any:
        """Render the chosen reporting units' documents (and the province's) through the batch runner
        and the papermill notebooks, as `tongket run` does, with the progress bar; then link the files."""
        from ..batch import runner

        wb, data = self.wb, self.wb.panel_data
        if wb.leader:
            return None
        chosen = list(ma_bao_cao if ma_bao_cao is not None else self.render_bao_cao.value)
        ten = ten_bao_cao(data.cap_bao_cao)
        if not chosen:
            self.render_status.value = bad(f"Hãy chọn ít nhất một {ten}.")
            return None
        self.progress.value, self.progress.max, self.progress.bar_style = 0, len(chosen) + 1, "info"
        self.render_status.value = f"Đang lập văn bản cho {len(chosen)} {html.escape(ten)} và toàn tỉnh…"

        def step(entry: Any, done: int, total: int) -> None:
            self.progress.max, self.progress.value = max(total, 1), done
            mark = "xong" if entry.status == "ok" else "LỖI"
            self.render_status.value = f"{html.escape(entry.ten_don_vi)}: {mark} ({done}/{total})"
            if on_unit:
                on_unit(entry, done, total)

        try:  # a kernel has threads: its workers start afresh ("spawn") rather than fork it
            result = runner.run(data.params.value, data=data.data.value or None, nam=data.nam.value, ma_bao_cao=chosen,
                                out=wb.out, progress=False, pdf=self.pdf.value, force=self.force.value,
                                executor=executor, on_unit=step, start_method="spawn")
        except TongketError as exc:
            self.progress.bar_style = "danger"
            self.render_status.value = bad(str(exc))
            return None
        self._done(result)
        return result

    def _done(self, result: Any) -> None:
        """The run's outcome: the bar, a line, and a link to every file written, unit by unit."""
        self.progress.value = self.progress.max
        ok = [e for e in result.entries if e.status == "ok"]
        self.progress.bar_style = "success" if len(ok) == len(result.entries) else "danger"
        same = len(result.unchanged)
        self.render_status.value = (f"<b>Hoàn thành {len(ok)}/{len(result.entries)} đơn vị</b>"
                                    + (f" ({same} đơn vị không đổi, giữ văn bản đã lập)" if same else "")
                                    + f". Nhật ký chạy: <code>{html.escape(rel(result.manifest))}</code>")
        year_dir: Path = result.folder  # out/<năm>, or its thu_nghiem/<tên>/ for a trial rule set
        files = {e.ma_don_vi: _written(year_dir, e) for e in ok}
        v = self.wb.view
        v["van_ban"], v["ket_qua_chay"] = files, result
        here = Path.cwd()  # a kernel runs in its notebook's folder: links relative to it open from the page
        parts = [STYLE]
        for e in result.entries:
            if e.status != "ok":
                parts.append(f'<p class="tongket-bad"><b>{html.escape(e.ten_don_vi)}: lỗi</b></p><pre>'
                             f"{html.escape(str(e.error))}</pre>")
                continue
            unit_dir = year_dir / safe_name(e.ma_don_vi)
            # `download`: JupyterLab hands the click to the browser, which saves the file for Word or
            # Excel (without it Lab opens a .docx in its text editor: «is not UTF-8 encoded»).
            links = "".join(
                f'<li><a href="{html.escape(os.path.relpath(p, here))}" '
                f'download="{html.escape("_".join(p.relative_to(unit_dir).parts))}">'
                f"{html.escape(p.relative_to(unit_dir).as_posix())}</a></li>"
                for p in files[e.ma_don_vi] if p.suffix != ".png")
            parts.append(f"<p><b>{html.escape(e.ten_don_vi)}</b> — thư mục <code>{html.escape(rel(unit_dir))}</code>"
                         f"</p><ul>{links}</ul>")
        self.render_out.clear_output(wait=True)
        with self.render_out:
            v["lien_ket"] = "".join(parts)
            display(HTML(v["lien_ket"]))


def _written(year_dir: Path, e: Any) -> list[Path]:
    """The files of this run for one unit (the manifest's), never an older run's."""
    folder = year_dir / safe_name(e.ma_don_vi)
    found = [year_dir / f for f in e.files if Path(f).suffix in SHOWN]
    return sorted(found, key=lambda p: (len(p.relative_to(folder).parts), p.relative_to(folder).as_posix()))


__all__ = ["RenderPanel"]
