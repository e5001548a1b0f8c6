"""Charts as matplotlib Figures (object API, no global state); saving is the caller's."""

from __future__ import annotations

import io
import threading
import warnings
from pathlib import Path
from typing import Any

import matplotlib.text
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, fontManager, get_font
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ..common.files import atomic_path
from ..common.vietnamese import phan_tram, sort_key
from ..rules.rubric import Rubric
from ..rules.scales import Scale
from ..rules.wording import ten_tieu_chi

FONT = "DejaVu Sans"  # ships with matplotlib and has every Vietnamese glyph
BLUE, RED, GREEN, GREY = "#1f4e79", "#c00000", "#2e7d32", "#9e9e9e"
LEVEL_COLOURS = ["#2e7d32", "#1f77b4", "#f9a825", "#c62828", "#9e9e9e"]
WIDTH_IN = 6.3  # 16 cm: the text width of an A4 page with 30/20 mm margins
DPI = 150

_PCT = FuncFormatter(lambda v, _: phan_tram(v, 0))


class _Renderer(RendererAgg):
    """Agg's renderer, remembering each font's line metrics at its resolution. Laying out a text
    asks the renderer for them (`Text._get_layout`); Agg's has no answer, so matplotlib looks the
    font up and reads its OS/2 or hhea table again for every text, every time it is measured.
    These are the same figures, computed the same way, once per font, size and resolution.

    matplotlib computes them at the resolution of the text's figure, which the renderer is not told:
    they are given only while a `Chart` draws on this renderer (`figure_dpi`, its resolution then);
    asked at any other time (a text measured after the drawing), the renderer gives none and
    matplotlib computes them as it always does."""

    def __init__(self, width: float, height: float, dpi: float) -> None:
        super().__init__(width, height, dpi)
        self.figure_dpi: float | None = None
        self._heights: dict[tuple[FontProperties, float], tuple[float | None, float | None, float | None]] = {}

    def _get_font_height_metrics(self, prop: FontProperties) -> tuple[float | None, float | None, float | None]:
        if self.figure_dpi is None:
            return None, None, None
        found = self._heights.get((prop, self.figure_dpi))
        if found is None:  # (keyed by a copy: font properties are mutable)
            found = self._heights[prop.copy(), self.figure_dpi] = _font_heights(prop, self.figure_dpi)
        return found


def _font_heights(prop: FontProperties, dpi: float) -> tuple[float | None, float | None, float | None]:
    """(ascent, descent, line gap) in pixels, as `Text._get_layout` (matplotlib 3.11) computes them
    when the renderer gives none; (None, None, None) where it would measure «lp» instead."""
    font: Any = get_font(fontManager._find_fonts_by_props(prop))  # (its tables are typed per name)
    for table_name, gap, ascent, descent in (("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
                                             ("hhea", "lineGap", "ascent", "descent")):
        table = font.get_sfnt_table(table_name)
        if table is None:
            continue
        scale = 1 / font.get_sfnt_table("head")["unitsPerEm"] * prop.get_size_in_points() * dpi / 72
        return table[ascent] * scale, -table[descent] * scale, table[gap] * scale
    return None, None, None


_RENDERERS = threading.local()  # per thread: a renderer draws one figure at a time


class _Canvas(FigureCanvasAgg):
    """Agg's canvas, drawing on a renderer shared by the charts of one size and resolution in this
    thread instead of a new one per chart: the renderer keeps matplotlib's cache of text sizes, and
    a report's charts print the same tick labels, years, criteria and ratings again and again.
    The renderer's buffer then holds the last chart drawn: a chart's picture is kept as its PNG
    (`Chart.png`), never read back from the canvas."""

    MAX = 8  # sizes kept (a report draws a handful)

    def get_renderer(self) -> RendererAgg:
        w, h = self.get_width_height(physical=True)
        key = (w, h, self.figure.dpi)
        if self._lastKey != key:
            shared = _RENDERERS.__dict__.setdefault("by_size", {})
            renderer = shared.get(key)
            if renderer is None:
                if len(shared) >= self.MAX:
                    shared.clear()
                renderer = shared[key] = _Renderer(w, h, self.figure.dpi)
            self.renderer = renderer
            self._lastKey = key  # type: ignore[assignment]  # typed None by the stubs; Agg's own keeps this tuple
        return self.renderer


class Chart(Figure):
    """A Figure that shows itself in Jupyter without pyplot (no global state, no backend).

    It is rendered once, at the documents' resolution: the notebook shows those bytes (at 100
    pixels per inch, as before) and `save_png` writes them, so a report's charts are drawn once,
    not twice. Any change to the figure afterwards marks it stale and drops the rendering.
    It draws on `_Canvas`: the charts of a run share their renderers."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _Canvas(self)

    @property
    def stale(self) -> bool:
        return bool(self.__dict__["_stale"])  # Artist.stale's own getter (the stubs omit `_stale`)

    @stale.setter
    def stale(self, val: bool) -> None:
        Artist.stale.fset(self, val)  # type: ignore[attr-defined]  # the stubs do not type a property's setter
        if val and not self.__dict__.get("_rendering"):
            self.__dict__["_png"] = None

    def png(self) -> bytes:
        """The chart as PNG at `DPI`, rendered on first use."""
        if self.__dict__.get("_png") is None:
            buf = io.BytesIO()
            self.__dict__["_rendering"] = True
            self.__dict__["_layout_pass"] = self.get_layout_engine() is not None
            try:
                self.savefig(buf, dpi=DPI, format="png")
            finally:
                self.__dict__["_rendering"] = self.__dict__["_layout_pass"] = False
            self.__dict__["_png"] = buf.getvalue()
        return self.__dict__["_png"]

    def draw(self, renderer: Any) -> None:
        """Figure.draw, but savefig's first pass only solves the layout. With a layout engine savefig
        draws a figure twice: once with the renderer's drawing switched off, for the layout it
        solves first, then for real with the layout engine off. The artists' work in the first pass
        (text laid out, ticks placed; about a third of a chart's time) is done again in the second,
        which is the one the PNG holds; so the first pass stops once the layout is solved, as
        Figure.draw solves it: after `_get_draw_artists` (which applies the axes' aspect)."""
        ours = isinstance(renderer, _Renderer)
        if ours:
            renderer.figure_dpi = self.dpi  # every text it lays out now is this figure's
        try:
            if not self.__dict__.get("_layout_pass"):
                super().draw(renderer)
                return
            self.__dict__["_layout_pass"] = False
            self._get_draw_artists(renderer)  # type: ignore[attr-defined]  # Figure.draw's own first step, untyped
            engine = self.get_layout_engine()
            if self.axes and engine is not None:
                try:
                    engine.execute(self)
                except ValueError:  # as Figure.draw: raised only while a window is resized
                    pass
        finally:
            if ours:
                renderer.figure_dpi = None

    def _repr_png_(self) -> tuple[bytes, dict]:
        return self.png(), {"width": round(self.get_figwidth() * 100)}


# A figure's label on a white ground, so a line behind it (the target, another series) never cuts
# through its digits: «85,7%» with the 90 % line through the «7» read as «85,%».
LABEL_BOX = {"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none"}


def _figure(height: float) -> tuple[Chart, Axes]:
    fig = Chart(figsize=(WIDTH_IN, height), layout="constrained")
    ax = fig.add_subplot()
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return fig, ax


def _style(fig: Figure) -> Figure:
    for text in fig.findobj(matplotlib.text.Text):
        text.set_fontfamily(FONT)
    return fig


MAX_BARS = 40  # one bar per unit fits an A4 page, readable, up to this many units


def dat_chuan_theo_co_so(co_so: pd.DataFrame, muc_tieu: float | None, title: str) -> Figure:
    """Share of residential branches up to standard per Đoàn cơ sở, against the phase target. Past
    `MAX_BARS` units (a province reporting per commune has 100 to 170) one bar each would run off
    the page: the chart shows how many units fall in each band of the rate instead."""
    rows = co_so[co_so["so_chi_doan_dan_cu"] > 0]
    if len(rows) > MAX_BARS:
        return _phan_bo_ty_le(rows["ty_le_dat_chuan"].astype(float).fillna(0), muc_tieu, title)
    rows = rows.iloc[sorted(range(len(rows)), key=lambda i: sort_key(rows["ten_don_vi"].iloc[i]), reverse=True)]
    fig, ax = _figure(max(2.2, 0.32 * len(rows) + 1.1))
    values = rows["ty_le_dat_chuan"].astype(float).fillna(0).to_numpy()
    colours = [GREEN if muc_tieu is not None and v >= muc_tieu - 1e-9 else BLUE for v in values]
    ax.barh(rows["ten_don_vi"].tolist(), values, color=colours)
    for y, v in enumerate(values):
        ax.text(v + 0.01, y, phan_tram(v), va="center", fontsize=7, bbox=LABEL_BOX)  # over the target line
    if muc_tieu is not None:
        ax.axvline(muc_tieu, color=RED, linestyle="--", linewidth=1.2)
        ax.text(muc_tieu, len(rows) - 0.3, f"Mục tiêu {phan_tram(muc_tieu, 0)}", color=RED, fontsize=8,
                ha="center", va="bottom", backgroundcolor="white")
    ax.set_xlim(0, 1.12)
    ax.set_ylim(-0.6, len(rows) + 0.4)
    ax.xaxis.set_major_formatter(_PCT)
    ax.tick_params(labelsize=8)
    ax.set_title(title, fontsize=10)
    return _style(fig)


def _phan_bo_ty_le(rates: pd.Series, muc_tieu: float | None, title: str) -> Figure:
    """How many units have a rate in each band: 0–<10 %, …, 90–<100 %, and 100 %."""
    lows = [i / 10 for i in range(10)]
    labels = [f"{round(lo * 100)}–<{round(lo * 100) + 10}%" for lo in lows] + ["100%"]
    band = [min(int(v * 10 + 1e-9), 9) if v < 1 - 1e-9 else 10 for v in rates]
    counts = [band.count(i) for i in range(11)]
    fig, ax = _figure(3.0)
    met = [muc_tieu is not None and lo >= muc_tieu - 1e-9 for lo in [*lows, 1.0]]
    ax.bar(range(11), counts, color=[GREEN if m else BLUE for m in met])
    for x, n in enumerate(counts):
        if n:
            ax.text(x, n, str(n), ha="center", va="bottom", fontsize=8)
    ax.set_xticks(range(11), labels, rotation=45, ha="right")
    ax.set_ylabel("Số đơn vị", fontsize=8)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.tick_params(labelsize=8)
    goal = f"; xanh lá: từ mục tiêu {phan_tram(muc_tieu, 0)} trở lên" if muc_tieu is not None else ""
    ax.set_title(f"{title}\n{len(rates)} đơn vị có chi đoàn dân cư, chia theo khoảng tỉ lệ{goal}", fontsize=10)
    return _style(fig)


def phan_bo_xep_loai(co_so: pd.DataFrame, scale: Scale, title: str) -> Figure:
    """How many Đoàn cơ sở got each rating (and how many were not rated)."""
    counts = [int((co_so["xep_loai"] == c).sum()) for c in scale.codes]
    labels = [lv.label.replace(" nhiệm vụ", "\nnhiệm vụ") for lv in scale.levels]
    missing = int(co_so["xep_loai"].isna().sum())
    if missing:
        counts.append(missing)
        labels.append("Chưa\nxếp loại")
    fig, ax = _figure(2.6)
    bars = ax.bar(labels, counts, color=LEVEL_COLOURS[: len(counts) - (1 if missing else 0)] + ([GREY] if missing else []))
    ax.bar_label(bars, fontsize=8)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.tick_params(labelsize=8)
    ax.set_ylabel("Số Đoàn cơ sở", fontsize=8)
    ax.set_title(title, fontsize=10)
    return _style(fig)


def xu_huong(rows: pd.DataFrame, targets: dict[int, float | None], title: str) -> Figure:
    """A unit's indicators over the years of the data, with the phase target."""
    rows = rows.sort_values("nam")
    years = rows["nam"].astype(int).tolist()
    fig, ax = _figure(2.9)
    series = [("ty_le_dat_chuan", "Chi đoàn đạt chuẩn", BLUE), ("ty_le_tap_hop", "Tập hợp thanh niên", GREEN),
              ("ty_le_dv_1_1", "Đoàn viên thực hiện “1+1”", "#8e24aa")]
    t = [targets.get(y) for y in years]
    for col, name, colour in series:
        v = rows[col].astype(float)
        if v.notna().any():
            ax.plot(years, v, marker="o", label=name, color=colour)
            if col != "ty_le_dat_chuan":
                continue
            for k, (x, y) in enumerate(zip(years, v)):
                if pd.notna(y):
                    near = [float(o) for o in (*(rows[c].astype(float).iloc[k] for c, _, _ in series if c != col),
                                               t[k]) if o is not None and pd.notna(o)]
                    offset, va = _label_place(float(y), near)
                    ax.annotate(phan_tram(y), (x, y), textcoords="offset points", xytext=offset, ha="center",
                                va=va, fontsize=7, bbox=LABEL_BOX)
    if any(v is not None for v in t) and rows["ty_le_dat_chuan"].notna().any():
        ax.plot(years, [float("nan") if v is None else v for v in t], color=RED, marker="_",
                markersize=16, markeredgewidth=2, linestyle="none", label="Mục tiêu đạt chuẩn")
    ax.set_xticks(years, [str(y) for y in years])
    ax.set_ylim(0, 1.05)
    ax.yaxis.set_major_formatter(_PCT)
    ax.tick_params(labelsize=8)
    # below the plot: inside it, the legend hid a year's point whenever the rate fell low
    if ax.get_legend_handles_labels()[0]:  # a unit without figures draws no series: no empty legend
        ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=4, frameon=False)
    ax.set_title(title, fontsize=10)
    return _style(fig)


def _label_place(y: float, others: list[float], gap: float = 0.09) -> tuple[tuple[int, int], str]:
    """Where a point's label goes so that no other line, point or target marker of the same year
    covers it: above, else below, else beside the point."""
    above = any(y < o <= y + gap for o in others)
    below = any(y - gap <= o < y for o in others)
    if not above:
        return (0, 5), "bottom"
    if not below:
        return (0, -7), "top"
    return (18, 0), "center"


def tieu_chi_chua_dat(chi_doan: pd.DataFrame, rubric: Rubric, title: str) -> Figure:
    """Share of assessed branches failing each criterion: the weakest is the first "hạn chế"."""
    assessed = chi_doan[chi_doan[rubric.result].notna()]
    ids = [c.id for c in rubric.criteria]
    shares = [float((~assessed[c].astype(bool)).mean()) if len(assessed) else 0.0 for c in ids]
    labels = [f"{ten_tieu_chi(c.id)}. {c.short_label}" for c in rubric.criteria]
    fig, ax = _figure(2.9)
    worst = max(shares) if shares else 0
    bars = ax.barh(labels[::-1], shares[::-1], color=[RED if s == worst and s > 0 else BLUE for s in shares[::-1]])
    ax.bar_label(bars, labels=[phan_tram(s) for s in shares[::-1]], fontsize=7, padding=2)
    ax.set_xlim(0, max(0.1, worst * 1.25))
    ax.xaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 5, 10]))
    ax.xaxis.set_major_formatter(_PCT)
    ax.tick_params(labelsize=7)
    ax.set_title(title, fontsize=10)
    return _style(fig)


def so_sanh_bao_cao(bao_cao: pd.DataFrame, muc_tieu: float | None, title: str) -> Figure:
    """Share of residential branches up to standard per reporting unit (province report)."""
    return dat_chuan_theo_co_so(bao_cao, muc_tieu, title)  # same chart, one bar per reporting unit


def so_sanh_huyen(huyen: pd.DataFrame, muc_tieu: float | None, title: str) -> Figure:
    """Deprecated name of `so_sanh_bao_cao` (the reporting unit may be a Đoàn cơ sở)."""
    warnings.warn("so_sanh_huyen is deprecated: use so_sanh_bao_cao", DeprecationWarning, stacklevel=2)
    return so_sanh_bao_cao(huyen, muc_tieu, title)


def save_png(fig: Figure, path: str | Path) -> Path:
    """Save a chart as PNG, atomically."""
    with atomic_path(path) as tmp:
        if isinstance(fig, Chart):
            tmp.write_bytes(fig.png())
        else:
            fig.savefig(tmp, dpi=DPI, format="png")
    return Path(path)


def danh_gia_doan_vien(labels: list[str], counts: list[int], title: str) -> Figure:
    """How many members got each level of the year's member scale (one bar per level, best first)."""
    fig, ax = _figure(2.6)
    names = [lab.replace(" nhiệm vụ", "\nnhiệm vụ") for lab in labels]
    bars = ax.bar(names, counts, color=LEVEL_COLOURS[: len(counts)])
    ax.bar_label(bars, labels=[f"{c:,}".replace(",", ".") for c in counts], fontsize=8)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{int(v):,}".replace(",", ".")))
    ax.tick_params(labelsize=8)
    ax.set_ylabel("Số đoàn viên", fontsize=8)
    ax.set_title(title, fontsize=10)
    return _style(fig)
