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
