"""Rating scales by period (contract §6.3): the cycle's `scale:` as years, the mappings' checks."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tongket.common import paths
from tongket.errors import ConfigError
from tongket.rules.params import load_cycle
from tongket.rules.periods import PeriodScale, scale_of
from tongket.rules.scales import Scale

SCALES = paths.resolve("params/scales")
RUBRICS = paths.resolve("params/rubrics")


def cycle_file(tmp_path: Path, scale: str, nam: int = 2021, extra: str = "") -> Path:
    """A minimal cycle file naming `scale` (YAML text) and the bundled rubrics."""
    path = tmp_path / "ky.yaml"
    path.write_text(f"ten_ky: Sơ kết thử\nnam: {nam}\ndata: {tmp_path / 'so_lieu.xlsx'}\nscale: {scale}\n"
                    f"rubrics:\n  chi_doan: {RUBRICS / 'chi_doan_dat_chuan.yaml'}\n"
                    f"  co_so: {RUBRICS / 'ba_chu_dong.yaml'}\n{extra}", encoding="utf-8")
    return path


def two_scales(tmp_path: Path) -> str:
    return f"{{2018: {SCALES / 'xep_loai_2011.yaml'}, 2019: {SCALES / 'xep_loai_2019.yaml'}}}"


def test_one_file_is_a_plain_scale_as_before(tmp_path):
    cycle = load_cycle(cycle_file(tmp_path, str(SCALES / "xep_loai_2019.yaml")))
    assert type(cycle.scale) is Scale and cycle.scale.id == "xep_loai_2019"
    one_under_years = load_cycle(cycle_file(tmp_path, f"{{2018: {SCALES / 'xep_loai_2019.yaml'}}}"))
    assert type(one_under_years.scale) is Scale


def test_a_scale_per_year(tmp_path):
    scale = load_cycle(cycle_file(tmp_path, two_scales(tmp_path))).scale
    assert isinstance(scale, PeriodScale)
    assert scale.id == "xep_loai_2019" and scale.codes == ["htxs", "htt", "ht", "kht"]  # the cycle year's
    assert [scale_of(scale, y).id for y in (2017, 2018, 2019, 2021)] == ["xep_loai_2011", "xep_loai_2011",
                                                                         "xep_loai_2019", "xep_loai_2019"]
    assert scale.label("vung_manh") == "Vững mạnh" and scale.label("htt") == "Hoàn thành tốt nhiệm vụ"
    old = load_cycle(cycle_file(tmp_path, two_scales(tmp_path)), nam=2018).scale
    assert old.id == "xep_loai_2011" and old.guard == "kha"
    # the bundled mapping, rank for rank
    assert scale.mapping(scale_of(scale, 2018), scale) == {"vung_manh": "htxs", "kha": "htt", "trung_binh": "ht",
                                                           "yeu": "kht"}
    assert scale.unmapped([2018, 2019]) == []


def test_typed_ratings_on_the_scale_of_their_year(tmp_path):
    scale = load_cycle(cycle_file(tmp_path, two_scales(tmp_path))).scale
    codes, unknown = scale.resolve(pd.Series(["Vững mạnh", "Vững mạnh", "HTTNV", "htt", "TB"]),
                                   pd.Series([2018, 2019, 2019, 2018, 2018]))
    assert (codes[0], codes[2], codes[4]) == ("vung_manh", "htt", "trung_binh")
    assert pd.isna(codes[1]) and pd.isna(codes[3])  # «Vững mạnh» in 2019, «htt» in 2018: not on their scale
    assert unknown.tolist() == [False, True, False, True, False]
    scores = scale.from_score(pd.Series([85.0, 85.0, 60.0]), pd.DataFrame({"nam": [2018, 2019, 2018]}))
    assert scores.tolist() == ["vung_manh", "htt", "trung_binh"]


def write_scale_without_mapping(tmp_path: Path) -> Path:
    text = (SCALES / "xep_loai_2019.yaml").read_text(encoding="utf-8")
    out = tmp_path / "xep_loai_2019_rieng.yaml"
    out.write_text(text.split("tu_thang_truoc:")[0], encoding="utf-8")
    return out


def test_a_change_without_mapping_is_listed(tmp_path):
    new = write_scale_without_mapping(tmp_path)
    scale = load_cycle(cycle_file(tmp_path, f"{{2018: {SCALES / 'xep_loai_2011.yaml'}, 2019: {new}}}")).scale
    assert scale.mapping(scale_of(scale, 2018), scale) is None
    assert [(y, a.id, b.id) for y, a, b in scale.unmapped([2018, 2019, 2020])] == [
        (2019, "xep_loai_2011", "xep_loai_2019")]
    assert scale.unmapped([2019, 2020]) == []  # the change is outside the years held


@pytest.mark.parametrize("pairs, words", [
    ("{vung_manh: htxs, kha: htt, trung_binh: ht}", "thiếu mức yeu"),
    ("{vung_manh: xuat_sac, kha: htt, trung_binh: ht, yeu: kht}", "vung_manh → xuat_sac"),
])
def test_a_wrong_mapping_is_refused(tmp_path, pairs, words):
    new = write_scale_without_mapping(tmp_path)
    new.write_text(new.read_text(encoding="utf-8") + f"tu_thang_truoc:\n  xep_loai_2011: {pairs}\n",
                   encoding="utf-8")
    with pytest.raises(ConfigError, match=words):
        load_cycle(cycle_file(tmp_path, f"{{2018: {SCALES / 'xep_loai_2011.yaml'}, 2019: {new}}}"))


def test_a_year_that_is_not_a_year_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="không phải năm"):
        load_cycle(cycle_file(tmp_path, f"{{hai_nghin: {SCALES / 'xep_loai_2011.yaml'}}}"))
