"""The cycle's reward rule (params `khen_thuong`): which Đoàn cơ sở a reporting unit proposes for
commendation [001 III], declared as data and checked with Vietnamese messages naming the key."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..common.files import shown
from ..common.vietnamese import nfc
from ..errors import ConfigError
from .scales import Scale

# The keys of the section and of its conditions, with what each means (the messages list them).
KEYS = {
    "dieu_kien": "các điều kiện một Đoàn cơ sở phải đạt",
    "so_luong_toi_da": "số Đoàn cơ sở đề nghị tối đa của mỗi đơn vị (xếp theo điểm, cao trước)",
    "hinh_thuc": "hình thức khen thưởng đề nghị (ví dụ: Bằng khen của Ban Chấp hành Tỉnh Đoàn)",
    "noi_dung": "nội dung thành tích được khen thưởng",
    "kinh_gui": "cơ quan nhận tờ trình (mặc định: Ban Thường vụ đơn vị cấp trên)",
}
CONDITIONS = {
    "ba_chu_dong": "true: đạt tiêu chí “3 chủ động”",
    "chi_doan_dat_chuan": "tat_ca: mọi chi đoàn trên địa bàn dân cư đạt chuẩn; hoặc một tỉ lệ tối thiểu như 0.9",
    "xep_loai": "các mức xếp loại được đề nghị (mã mức của thang xếp loại), mặc định mức cao nhất",
    "diem_toi_thieu": "điểm đánh giá tối thiểu (thang 100)",
}
DEFAULT_HINH_THUC = "Bằng khen"
DEFAULT_NOI_DUNG = "có thành tích xuất sắc trong xây dựng Đoàn cơ sở “3 chủ động” và Chi đoàn trên địa bàn dân cư đạt chuẩn"


@dataclass(frozen=True)
class RewardRule:
    """Who is proposed: "3 chủ động", the share of residential branches up to standard, the ratings
    and the least score; at most `so_luong_toi_da` per reporting unit (None: no limit)."""

    ba_chu_dong: bool = True
    chi_doan_dat_chuan: float | None = 1.0  # least share of residential branches up to standard; None: not required
    xep_loai: tuple[str, ...] = ()
    diem_toi_thieu: float | None = None
    so_luong_toi_da: int | None = None
    hinh_thuc: str = DEFAULT_HINH_THUC
    noi_dung: str = DEFAULT_NOI_DUNG
    kinh_gui: str | None = None


def _fail(path: Path, key: str, what: str) -> ConfigError:
    return ConfigError(f"Tệp tham số {path.name}, khóa khen_thuong.{key}: {what}")


def _known(path: Path, where: str, given: dict, allowed: dict[str, str]) -> None:
    unknown = [str(k) for k in given if k not in allowed]
    if unknown:
        listed = "; ".join(f"{k}: {v}" for k, v in allowed.items())
        raise ConfigError(f"Tệp tham số {path.name}, khóa {where}: không biết «{', '.join(unknown)}». "
                          f"Các khóa dùng được: {listed}")


def _share(path: Path, v: Any) -> float | None:
    if v is None or v is False:
        return None
    if v is True or v == "tat_ca":
        return 1.0
    if isinstance(v, (int, float)) and 0 < v <= 1:
        return float(v)
    raise _fail(path, "dieu_kien.chi_doan_dat_chuan",
                f"cần «tat_ca» (mọi chi đoàn trên địa bàn dân cư đạt chuẩn) hoặc một tỉ lệ trong (0; 1] như 0.9, "
                f"gặp «{shown(v)}»")


def _levels(path: Path, v: Any, scale: Scale) -> tuple[str, ...]:
    if v is None:
        return (scale.codes[0],)
    given = [v] if isinstance(v, str) else v
    if not isinstance(given, list) or not given:
        raise _fail(path, "dieu_kien.xep_loai", f"cần một hay nhiều mã mức xếp loại (ví dụ [{scale.codes[0]}]), "
                                                f"gặp «{shown(v)}»")
    out = []
    for code in given:
        if str(code) not in scale.codes:
            levels = ", ".join(f"{c} ({scale.label(c)})" for c in scale.codes)
            raise _fail(path, "dieu_kien.xep_loai", f"«{code}» không phải mức của thang «{scale.name}»; các mức: {levels}")
        out.append(str(code))
    return tuple(out)


def parse_rule(path: Path, raw: Any, scale: Scale) -> RewardRule | None:
    """The `khen_thuong` section of a cycle file, checked (None where the cycle has none)."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ConfigError(f"Tệp tham số {path.name}, khóa khen_thuong: cần các cặp «khóa: giá trị» "
                          f"(dieu_kien, so_luong_toi_da, hinh_thuc …), gặp «{shown(raw)}»")
    _known(path, "khen_thuong", raw, KEYS)
    cond = raw.get("dieu_kien") or {}
    if not isinstance(cond, dict):
        raise _fail(path, "dieu_kien", f"cần các cặp «điều kiện: giá trị», gặp «{shown(cond)}»")
    _known(path, "khen_thuong.dieu_kien", cond, CONDITIONS)
    ba = cond.get("ba_chu_dong", True)
    if not isinstance(ba, bool):
        raise _fail(path, "dieu_kien.ba_chu_dong", f"cần true hoặc false, gặp «{shown(ba)}»")
    least = cond.get("diem_toi_thieu")
    if least is not None and (isinstance(least, bool) or not isinstance(least, (int, float)) or not 0 <= least <= 100):
        raise _fail(path, "dieu_kien.diem_toi_thieu", f"cần một số điểm từ 0 đến 100, gặp «{shown(least)}»")
    most = raw.get("so_luong_toi_da")
    if most is not None and (isinstance(most, bool) or not isinstance(most, int) or most < 1):
        raise _fail(path, "so_luong_toi_da", f"cần một số nguyên từ 1 trở lên, gặp «{shown(most)}»")
    texts = {k: nfc(str(raw[k])).strip() for k in ("hinh_thuc", "noi_dung", "kinh_gui") if raw.get(k)}
    return RewardRule(ba_chu_dong=ba, chi_doan_dat_chuan=_share(path, cond.get("chi_doan_dat_chuan", "tat_ca")),
                      xep_loai=_levels(path, cond.get("xep_loai"), scale),
                      diem_toi_thieu=None if least is None else float(least), so_luong_toi_da=most,
                      hinh_thuc=texts.get("hinh_thuc", DEFAULT_HINH_THUC),
                      noi_dung=texts.get("noi_dung", DEFAULT_NOI_DUNG), kinh_gui=texts.get("kinh_gui"))
