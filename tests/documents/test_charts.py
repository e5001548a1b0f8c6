"""Charts are drawn once: the notebook's picture and the saved PNG are the same bytes, and a
change to the figure draws it again."""

from __future__ import annotations

from tongket.documents import charts


def test_a_chart_is_rendered_once_and_again_after_a_change(tmp_path):
    fig, ax = charts._figure(2.5)
    ax.bar(["Đoàn xã An Bình", "Đoàn phường 2"], [0.8, 0.6])
    first = fig.png()
    shown, meta = fig._repr_png_()
    assert shown is first and meta == {"width": 630}  # shown at 100 px per inch, 945 px drawn
    assert first.startswith(b"\x89PNG") and fig.png() is first
    saved = charts.save_png(fig, tmp_path / "a.png").read_bytes()
    assert saved == first
    ax.set_title("Tỉ lệ chi đoàn đạt chuẩn")
    again = fig.png()
    assert again != first and charts.save_png(fig, tmp_path / "b.png").read_bytes() == again


def test_the_reporting_units_chart_and_its_deprecated_name(sample_review):
    import warnings

    year = sample_review.results.year(2021)
    units = year.bao_cao
    fig = charts.so_sanh_bao_cao(units, 0.7, "Tỉ lệ")
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert sorted(labels) == sorted(units.loc[units["so_chi_doan_dan_cu"] > 0, "ten_don_vi"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        old = charts.so_sanh_huyen(units, 0.7, "Tỉ lệ")
    assert [w.category for w in caught] == [DeprecationWarning]
    assert "so_sanh_bao_cao" in str(caught[0].message)
    assert old.png() == fig.png()


def test_a_rate_beside_the_target_line_is_printed_over_it_on_white(sample_review):
    """The 90 % line ran through «85,7%» and «83,3%» on ST01's chart (read «85,%»): every rate the
    line crosses is drawn above it, on a white ground, and the pixels under its digits are not red."""
    import io

    import numpy as np
    from matplotlib.colors import to_rgb
    from PIL import Image

    co_so = sample_review.results.of_unit("ST01").year(2021).co_so
    fig = charts.dat_chuan_theo_co_so(co_so, 0.9, "Tỉ lệ")
    ax = fig.axes[0]
    png = fig.png()
    line = next(ln for ln in ax.get_lines() if ln.get_linestyle() == "--")
    crossed = []
    for t in ax.texts:
        box = t.get_window_extent()
        at = ax.transData.transform((0.9, 0))[0]
        if t.get_text().endswith("%") and not t.get_text().startswith("Mục tiêu") and box.x0 < at < box.x1:
            crossed.append(t.get_text())
            patch = t.get_bbox_patch()
            assert patch is not None and patch.get_facecolor()[:3] == to_rgb("white")
            assert t.get_zorder() > line.get_zorder()
    assert sorted(crossed) == ["83,3%", "85,7%"]
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    scale = pixels.shape[1] / fig.bbox.width  # the PNG's pixels per display pixel
    x = int(round(ax.transData.transform((0.9, 0))[0] * scale))
    red = np.array([int(c * 255) for c in to_rgb(charts.RED)])
    for t in ax.texts:
        if t.get_text() in crossed:
            b = t.get_window_extent()
            rows = slice(pixels.shape[0] - int(b.y1 * scale) + 2, pixels.shape[0] - int(b.y0 * scale) - 2)
            col = pixels[rows, x - 1:x + 2]
            assert not (np.abs(col - red).sum(axis=-1) < 60).any(), t.get_text()


def test_every_chart_of_a_report_is_the_picture_matplotlibs_own_save_draws(sample_review):
    """`Chart.png` solves the layout in savefig's first pass and draws nothing there, on a renderer
    shared by the charts of its size, which knows each font's line metrics (issue 21): every chart of
    a district's and of the province's report, and a chart too wide for one bar per unit, is byte for
    byte what matplotlib's savefig gives on its own canvas, a new renderer each, when that pass draws
    the whole figure."""
    import io

    import pandas as pd
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from tongket import pipeline
    from tongket.assessment.review import tinh_code

    many = pd.DataFrame({"ten_don_vi": [f"Đoàn xã {i}" for i in range(charts.MAX_BARS + 5)],
                         "so_chi_doan_dan_cu": 3, "ty_le_dat_chuan": [i / 50 for i in range(charts.MAX_BARS + 5)]})

    def drawn() -> list:
        out = [f for code in ("ST01", "ST04", tinh_code(sample_review))
               for f in pipeline.figures(sample_review, code).values() if f is not None]
        return [*out, charts.dat_chuan_theo_co_so(many, 0.7, "Tỉ lệ")]

    ours, theirs = drawn(), drawn()
    assert len(ours) >= 10
    for chart, plain in zip(ours, theirs):
        buf = io.BytesIO()
        FigureCanvasAgg(plain)  # matplotlib's own canvas and renderer
        plain.savefig(buf, dpi=charts.DPI, format="png")  # no first pass of ours: matplotlib's own, whole
        assert type(plain.canvas) is FigureCanvasAgg and type(chart.canvas) is charts._Canvas
        assert chart.png() == buf.getvalue()


def test_charts_drawn_in_threads_at_once_are_the_charts_drawn_one_by_one(sample_review):
    """The renderers the charts share are each thread's own (Dask runs units in threads): the
    charts of three reports drawn in three threads at once are those drawn one after another."""
    from concurrent.futures import ThreadPoolExecutor

    from tongket import pipeline

    codes = ["ST01", "ST02", "ST04"]
    draw = lambda code: [f.png() for f in pipeline.figures(sample_review, code).values() if f is not None]
    one_by_one = [draw(code) for code in codes]
    with ThreadPoolExecutor(3) as pool:
        assert list(pool.map(draw, codes)) == one_by_one
