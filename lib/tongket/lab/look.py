"""How the cycle workbook looks and speaks: the shared style, HTML tables, the panel box that says
what to do where widgets cannot show, the guard that shows a callback's error, and the words for
the cycle's reporting level."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pandas as pd

from ..common import paths
from ..common.schema import TEN_CAP, TEN_CAP_HOA

UPLOADS = "tai_len"  # uploaded workbooks go to outputs/tai_len/
WIDE = widgets.Layout(width="auto")
LABEL = {"description_width": "initial"}
NO_WIDGETS = ("Không hiển thị được bảng điều khiển (ipywidgets). Hãy mở sổ tay bằng lệnh «make lab» "
              "(JupyterLab có sẵn ipywidgets và jupyterlab_widgets cùng phiên bản), rồi chạy lại các ô.")
STYLE = """<style>
.tongket-table { border-collapse: collapse; font-size: 13px; }
.tongket-table th { background: #eef2f7; text-align: left !important; padding: 3px 8px; }
.tongket-table td { text-align: left !important; padding: 2px 8px; border-bottom: 1px solid #e3e3e3;
                    vertical-align: top; line-height: 1.35; }
.tongket-table td:first-child { white-space: nowrap; }
.tongket-ok { color: #1a7f37; } .tongket-bad { color: #b00020; }
</style>"""



class Panel(widgets.VBox):
    """A panel that, where the page cannot draw widgets, says why and what to do, in Vietnamese."""

    def _repr_mimebundle_(self, **kwargs: Any) -> dict | None:
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is not None:
            bundle["text/plain"] = NO_WIDGETS
            bundle["text/html"] = f'<p style="color:#a00"><b>{html.escape(NO_WIDGETS)}</b></p>'
        return bundle


def rel(path: Path) -> str:
    """A path as the analyst reads it: relative to the project where it is inside it."""
    try:
        return Path(path).resolve().relative_to(paths.ROOT).as_posix()
    except ValueError:
        return str(path)


def table(frame: pd.DataFrame, index: bool = False) -> str:
    """A table as HTML in the workbook's style, what needs attention in red."""
    out = frame.to_html(index=index, escape=True, na_rep="", border=0, classes="tongket-table")
    for word in ("Chưa đạt", "Không đạt", "lỗi"):
        out = out.replace(f"<td>{word}</td>", f'<td class="tongket-bad">{word}</td>')
    return out


def bad(text: str) -> str:
    """A message in bold red, escaped."""
    return f'<b class="tongket-bad">{html.escape(text)}</b>'


def ten_bao_cao(cap_bao_cao: str | None) -> str:
    """What a sentence calls the cycle's reporting units: «huyện», or «Đoàn cơ sở» when the cycle
    reports per Đoàn cơ sở; «đơn vị báo cáo» while no cycle could be read."""
    return TEN_CAP[cap_bao_cao] if cap_bao_cao else "đơn vị báo cáo"


def guard(status: widgets.HTML, handler: Callable[[Any], Any]) -> Callable[[Any], None]:
    """The handler, its error said in `status` (in JupyterLab a callback's exception only reaches
    the log console: say it where the analyst looks)."""
    def run(arg: Any) -> None:
        try:
            handler(arg)
        except Exception as exc:  # noqa: BLE001 - any error: shown to the analyst, with what to do
            status.value = (f'<b class="tongket-bad">Có lỗi: {html.escape(str(exc) or type(exc).__name__)}</b> '
                            "Hãy kiểm tra tệp đang chọn rồi thử lại; nếu lỗi lặp lại, gửi nội dung này cho "
                            "người phụ trách bộ công cụ.")
    return run


def dropdown_label(cap_bao_cao: str) -> str:
    """The reporting-unit dropdown's label: the level's name («Huyện:»), but «Đơn vị:» per Đoàn cơ sở,
    since the dropdown below it, of the Đoàn cơ sở of that unit, already says «Đoàn cơ sở:»."""
    return "Đơn vị:" if cap_bao_cao == "co_so" else f"{TEN_CAP_HOA[cap_bao_cao]}:"
