"""A cycle's targets as data [000, 002, 004]: each names its indicator (a result column of the
reporting units' and the province's rows), a threshold, a direction and the name a document prints.

The cycle file's `targets:` maps a key to either a threshold (the key is then the indicator, as
before) or a mapping `{chi_so, muc_tieu, huong, ten}`; the targets table keeps the declared order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..common.files import shown
from ..common.schema import TEN_CHI_TIEU
from ..common.vietnamese import chu_hoa, nfc
from ..errors import ConfigError

TOI_THIEU, TOI_DA = "toi_thieu", "toi_da"  # the result must be at least / at most the threshold
HUONG = {TOI_THIEU: "đạt khi kết quả từ mức chỉ tiêu trở lên", TOI_DA: "đạt khi kết quả không quá mức chỉ tiêu"}
GUARD = "{guard}"  # in an indicator's name: the scale's guard level («Hoàn thành tốt nhiệm vụ»)
CO_SO_DOAN = "cơ sở Đoàn các cấp (Đoàn cơ sở, chi đoàn cơ sở)"  # the population of [000 II.3.2]
MEMBERS = "so_dv_duoc_danh_gia"  # the whole the member-rating shares are taken of (contract §6.2)


@dataclass(frozen=True)
class Indicator:
    """A result column a target may name: its Vietnamese name, default direction, the input columns
    it rests on (all blank for a unit: not collected) and the whole it is a share of."""

    ten: str
    huong: str = TOI_THIEU
    inputs: tuple[str, ...] = ()
    over_co_so: bool = False  # measured over Đoàn cơ sở: not a target of a Đoàn cơ sở reporting on itself
    whole: str | None = None  # shares of one whole may be added up (member rating levels)


def _level(label: str, code: str, huong: str = TOI_THIEU) -> Indicator:
    return Indicator(f"Tỉ lệ đoàn viên xếp loại “{label}”", huong, (f"so_dv_{code}",), whole=MEMBERS)


# The indicators a target may name (contract §5, §6): a new result column joins here with its name.
INDICATORS: dict[str, Indicator] = {
    "ty_le_duoc_xep_loai": Indicator(TEN_CHI_TIEU["ty_le_duoc_xep_loai"], over_co_so=True),
    "ty_le_nang_bac": Indicator(TEN_CHI_TIEU["ty_le_nang_bac"], over_co_so=True),
    "so_ha_bac": Indicator(f"Đoàn cơ sở từ mức “{GUARD}” trở lên bị hạ bậc", TOI_DA, over_co_so=True),
    "ty_le_dot_cao_diem": Indicator(TEN_CHI_TIEU["ty_le_dot_cao_diem"], inputs=("dot_cao_diem",), over_co_so=True),
    "ty_le_tap_hop": Indicator("Tỉ lệ tập hợp thanh niên", inputs=("so_thanh_nien_tap_hop", "so_thanh_nien")),
    "ty_le_dv_1_1": Indicator("Tỉ lệ đoàn viên thực hiện “1+1”", inputs=("so_dv_gioi_thieu_1_1",)),
    "so_thanh_nien_1_1": Indicator("Thanh niên vào Đoàn, Hội qua “1+1”", inputs=("so_thanh_nien_1_1",)),
    "so_ket_nap_moi": Indicator("Đoàn viên kết nạp mới", inputs=("so_ket_nap_moi",)),
    "so_gioi_thieu_dang": Indicator("Đoàn viên ưu tú giới thiệu cho Đảng", inputs=("so_gioi_thieu_dang",)),
    "so_co_so_ba_chu_dong": Indicator("Đoàn cơ sở đạt “3 chủ động”", over_co_so=True),
    "so_co_so_dat_muc_tieu": Indicator("Đoàn cơ sở đạt mục tiêu chi đoàn dân cư đạt chuẩn", over_co_so=True),
    "so_ha_bac_thi_dua": Indicator("Đoàn cơ sở từ mức tiên tiến trở lên bị hạ bậc thi đua", TOI_DA,
                                   over_co_so=True),
    # member ratings and cadres (contract §6.2)
    "ty_le_dv_duoc_danh_gia": Indicator("Tỉ lệ đoàn viên được đánh giá, xếp loại", inputs=(MEMBERS,)),
    "ty_le_dv_htxs": _level("Hoàn thành xuất sắc nhiệm vụ", "htxs"),
    "ty_le_dv_htt": _level("Hoàn thành tốt nhiệm vụ", "htt"),
    "ty_le_dv_ht": _level("Hoàn thành nhiệm vụ", "ht"),
    "ty_le_dv_kht": _level("Không hoàn thành nhiệm vụ", "kht", TOI_DA),
    "ty_le_dv_xs": _level("Xuất sắc", "xs"),
    "ty_le_dv_kha": _level("Khá", "kha"),
    "ty_le_dv_tb": _level("Trung bình", "tb"),
    "ty_le_dv_yeu": _level("Yếu", "yeu", TOI_DA),
    "ty_le_uy_vien_dat_chuan": Indicator("Tỉ lệ ủy viên Ban Chấp hành đạt chuẩn cán bộ",
                                         inputs=("so_uy_vien_dat_chuan", "so_uy_vien_bch")),
    "so_bi_thu_chi_doan_moi": Indicator("Bí thư chi đoàn mới trong năm", TOI_DA, ("bi_thu_moi",)),
    "so_co_so_thay_bi_thu": Indicator("Đoàn cơ sở thay bí thư trong năm", TOI_DA, ("bi_thu_thay_trong_nam",),
                                      over_co_so=True),
    # «cơ sở Đoàn các cấp» [000 II.3.2]: Đoàn cơ sở and chi đoàn cơ sở (directly under a district)
    "ty_le_co_so_doan_duoc_xep_loai": Indicator(f"Tỉ lệ {CO_SO_DOAN} được đánh giá, xếp loại", over_co_so=True),
    "ty_le_co_so_doan_nang_bac": Indicator(f"Tỉ lệ {CO_SO_DOAN} nâng ít nhất một bậc", over_co_so=True),
    "so_co_so_doan_ha_bac": Indicator(f"{chu_hoa(CO_SO_DOAN)} từ mức “{GUARD}” trở lên bị hạ bậc", TOI_DA,
                                      over_co_so=True),
    # registration and upkeep (contract §6.4)
    "ty_le_dang_ky": Indicator("Tỉ lệ chi đoàn trên địa bàn dân cư đăng ký xây dựng đạt chuẩn"),
    "so_chi_doan_mat_chuan": Indicator("Chi đoàn trên địa bàn dân cư mất chuẩn", TOI_DA),
}
# The guard target [000] on either population: on the emulation ladder where the cycle names one.
GUARDED = ("so_ha_bac", "so_co_so_doan_ha_bac")
# Indicators whose target has its own key in the cycle file.
RESERVED = {"ty_le_dat_chuan": "muc_tieu_dat_chuan"}


@dataclass(frozen=True)
class TargetSpec:
    """One declared target: its key, the indicator (one column, or shares of one whole added up),
    its direction and its name (None: the indicator's)."""

    key: str
    chi_so: tuple[str, ...]
    huong: str = TOI_THIEU
    ten: str | None = None

    @property
    def is_rate(self) -> bool:
        """Whether the indicator is a share (printed as a percentage) rather than a count."""
        return self.chi_so[0].startswith("ty_le")

    @property
    def inputs(self) -> tuple[str, ...]:
        """The input columns the indicator rests on."""
        return tuple(c for k in self.chi_so for c in INDICATORS[k].inputs)

    @property
    def over_co_so(self) -> bool:
        """Whether the target is measured over Đoàn cơ sở (not set for one reporting on itself)."""
        return any(INDICATORS[k].over_co_so for k in self.chi_so)

    def name(self, guard: str) -> str:
        """The name the targets table prints, with the scale's guard level where it says one."""
        return self.ten or INDICATORS[self.chi_so[0]].ten.replace(GUARD, guard)

    def met(self, actual: float, target: float) -> bool:
        """Whether `actual` meets `target` in this target's direction (a rate within 1e-12 of it meets it)."""
        return actual >= target - 1e-12 if self.huong == TOI_THIEU else actual <= target + 1e-12


def default_spec(key: str) -> TargetSpec:
    """The target an old-form key declares (`ty_le_nang_bac: 0.05`): the indicator of that name."""
    return TargetSpec(key, (key,), INDICATORS[key].huong)


def _where(path: Path, key: str) -> str:
    return f"Tệp tham số {path.name}, khóa targets.{key}"


def _indicator(path: Path, key: str, name: Any) -> str:
    """An indicator the kit knows, or a ConfigError naming the key and the known ones."""
    name = str(name)
    if name in RESERVED:
        raise ConfigError(f"{_where(path, key)}: chỉ tiêu «{name}» đặt ở khóa {RESERVED[name]} (theo từng năm), "
                          "không đặt trong targets. Cách sửa: xóa dòng này, ghi mục tiêu ở khóa "
                          f"{RESERVED[name]}")
    if name not in INDICATORS:
        raise ConfigError(f"{_where(path, key)}: không có chỉ số «{name}». Các chỉ số đã biết: "
                          f"{', '.join(INDICATORS)}. Cách sửa: gõ đúng tên một chỉ số trên")
    return name


def _count(path: Path, key: str, v: Any) -> float:
    """A count threshold: a whole number from 0."""
    if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0 or v != int(v):
        raise ConfigError(f"{_where(path, key)}: cần một số nguyên từ 0 trở lên, gặp «{shown(v)}». "
                          "Cách sửa: gõ số như 0 hoặc 3")
    return float(v)


def _spec(path: Path, key: str, given: dict[str, Any]) -> TargetSpec:
    """The long form: {chi_so, muc_tieu, huong, ten}."""
    unknown = sorted(set(given) - {"chi_so", "muc_tieu", "huong", "ten"})
    if unknown:
        raise ConfigError(f"{_where(path, key)}: không có khóa con «{unknown[0]}». Các khóa con: chi_so (chỉ số), "
                          "muc_tieu (mức chỉ tiêu), huong (toi_thieu hoặc toi_da), ten (tên chỉ tiêu)")
    raw = given.get("chi_so", key)
    names = tuple(_indicator(path, key, n) for n in (raw if isinstance(raw, list) else [raw]))
    wholes = {INDICATORS[n].whole for n in names}
    if not names or (len(names) > 1 and (len(wholes) > 1 or None in wholes)):
        raise ConfigError(f"{_where(path, key)}: chỉ cộng được các tỉ lệ của cùng một tổng (ví dụ các mức xếp "
                          f"loại đoàn viên), gặp «{', '.join(names)}». Cách sửa: đặt mỗi chỉ số một chỉ tiêu")
    huong = given.get("huong") or INDICATORS[names[0]].huong
    if huong not in HUONG:
        raise ConfigError(f"{_where(path, key)}.huong: cần «toi_thieu» ({HUONG[TOI_THIEU]}) hoặc «toi_da» "
                          f"({HUONG[TOI_DA]}), gặp «{shown(huong)}»")
    ten = given.get("ten")
    if len(names) > 1 and not ten:
        raise ConfigError(f"{_where(path, key)}: chỉ tiêu cộng nhiều chỉ số cần tên (khóa ten). Cách sửa: "
                          "thêm dòng ten: <tên chỉ tiêu in trong văn bản>")
    return TargetSpec(str(key), names, str(huong), nfc(str(ten)) if ten else None)


def parse_targets(path: Path, raw: Any, rate: Callable[[Path, str, Any], float]
                  ) -> tuple[dict[str, float], tuple[TargetSpec, ...]]:
    """targets: each key's threshold (`rate` checks a share typed in the cycle file), and the
    declared targets in their order."""
    if not isinstance(raw, dict):
        raise ConfigError(f"Tệp tham số {path.name}, khóa targets: cần các cặp «chỉ tiêu: giá trị», gặp «{shown(raw)}»")
    values: dict[str, float] = {}
    specs = []
    for k, v in raw.items():
        key = str(k)
        if isinstance(v, dict):
            spec = _spec(path, key, v)
            if "muc_tieu" not in v:
                raise ConfigError(f"{_where(path, key)}: thiếu mức chỉ tiêu (khóa muc_tieu). Cách sửa: thêm dòng "
                                  "muc_tieu: 0.9 (tỉ lệ) hoặc muc_tieu: 0 (số lượng)")
            v = v["muc_tieu"]
        else:
            spec = default_spec(_indicator(path, key, key))
        values[key] = rate(path, f"targets.{key}", v) if spec.is_rate else _count(path, key, v)
        specs.append(spec)
    return values, tuple(specs)


def declared(specs: tuple[TargetSpec, ...], values: dict[str, float]) -> list[tuple[TargetSpec, float]]:
    """Each target with its threshold, in the declared order; a threshold set without a declaration
    (a cycle built in Python, a what-if trial) follows with its indicator's defaults, in the order
    of INDICATORS (the order the targets table always had)."""
    keys = {s.key for s in specs}
    order = list(INDICATORS)
    extra = [default_spec(k) for k in sorted((k for k in values if k not in keys and k in INDICATORS),
                                             key=order.index)]
    return [(s, values[s.key]) for s in (*specs, *extra) if s.key in values]
