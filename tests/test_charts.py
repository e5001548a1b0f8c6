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
