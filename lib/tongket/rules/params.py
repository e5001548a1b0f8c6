"""A review cycle's parameters, from YAML (batch) or built in Python (widgets): one object.

Every path in a cycle file is relative to the file's own folder, or absolute.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..common import paths
from ..common.files import read_yaml, shown
from ..common.schema import CAP_BAO_CAO
from ..common.vietnamese import nfc, words_typed
from ..errors import ConfigError
from .calendar import Calendar, load_calendar
from .members import MemberScale, load_member_scale
from .periods import load_scales
from .rewards import RewardRule, parse_rule
from .rubric import Rubric, load_rubric
from .scales import Scale, load_scale
from .scoresheet import ScoreSheet, load_score_sheet
from .settings import (
    DEFAULT_CHENH_LECH,
    DEFAULT_MODE,
    DEFAULT_NGUON_DIEM,
    MAX_COUNT,
    Documents,
    Plan,
    Programme,
    Texts,
    Verification,
    check_source,
    year_of,
)
from .targets_spec import TargetSpec, parse_targets

# Document details of an issuing unit (contract §4). Every one may be missing: the document then
# shows a dotted blank and the run warns.
DOC_FIELDS = {  # "xac_nhan"/"nguoi_xac_nhan" (a second, confirming signature) are optional
    "co_quan_cap_tren": "cơ quan cấp trên",
    "co_quan_ban_hanh": "cơ quan ban hành",
    "so": "số văn bản",
    "ky_hieu": "ký hiệu văn bản",
    "dia_danh": "địa danh",
    "tm": "thẩm quyền ký (TM.)",
    "chuc_vu_ky": "chức vụ người ký",
    "nguoi_ky": "người ký",
    "noi_nhan": "nơi nhận",
}


@dataclass
class Cycle:
    """Everything a run needs besides the data: year, scale, rubrics, targets, document details."""

    path: Path
    ten_ky: str
    nam: int
    data: Path
    scale: Scale
    rubric_chi_doan: Rubric
    rubric_co_so: Rubric
    muc_tieu_dat_chuan: dict[int, float]
    targets: dict[str, float]
    ngay_van_ban: date | None
    documents: Documents = field(default_factory=Documents)
    text: Texts = field(default_factory=Texts)
    ghi_chu: str = ""
    emulation: Scale | None = None  # the HCMC emulation ladder, where the province uses one [000]
    verification: Verification = field(default_factory=Verification)  # random sample: share, min, seed [001]
    score_sheets: dict[str, ScoreSheet] = field(default_factory=dict)  # "thuong"/"dac_thu"/a loai_hinh -> sheet [003]
    text_dir: Path | None = None  # the analyst's text files: chung.md and <ma_don_vi>.md (tongket.rules.texts)
    so_ket: Programme = field(default_factory=Programme)  # the programme review: tu_nam, den_nam, ten, ke_hoach
    templates: Path = paths.TEMPLATES  # the office's own edited templates may live elsewhere
    han_nop: date | None = None  # deadline for the data-collection forms (thu_thap.han_nop)
    cap_bao_cao: str = CAP_BAO_CAO[0]  # the level with one set of documents per unit: huyen, or co_so (2025 reform)
    so_luong_toi_da: int = MAX_COUNT  # a count above this is refused as implausible (gioi_han.so_luong_toi_da)
    # Which score decides a Đoàn cơ sở's rating, and the gap between its two scores that warns
    # (tongket.rules.settings.NGUON_DIEM and HELP declare both, with their Vietnamese help).
    nguon_diem: str = DEFAULT_NGUON_DIEM
    chenh_lech_diem: float = DEFAULT_CHENH_LECH
    kiem_tra_van_ban: str = DEFAULT_MODE  # reading the documents back: loi | canh_bao | tat (tongket.rules.settings.MODES)
    khen_thuong: RewardRule | None = None  # who a reporting unit proposes for commendation (tongket.rules.rewards)
    lich: Calendar = field(default_factory=Calendar)  # the programme's dated steps (lich:, tongket.rules.calendar)
    chi_tieu: tuple[TargetSpec, ...] = ()  # the declared targets in their order; `targets` holds their thresholds
    member_scale: MemberScale | None = None  # the member rating scale by period (None: the bundled doan_vien.yaml)

    def muc_tieu(self, nam: int) -> float | None:
        """The phase target for the share of branches up to standard in force in `nam` [001]."""
        years = [y for y in self.muc_tieu_dat_chuan if y <= nam]
        return self.muc_tieu_dat_chuan[max(years)] if years else None

    def document(self, ma_don_vi: str, cap: str, loai: str | None = None, main: bool = True) -> dict[str, Any]:
        """Document details for a unit: per-level defaults overlaid with the unit's own, then the
        details given for the document kind `loai` (see document_specific).

        `so` may be one number (the unit's main report, `main`) or a number per document kind."""
        defaults = self.documents.defaults.get(cap) or {}
        own = self.documents.units.get(ma_don_vi) or {}
        specific = self.document_specific(ma_don_vi, cap, loai) if loai is not None else {}
        out = {k: v for k, v in {**defaults, **own}.items() if k != "van_ban"} | specific
        so = out.get("so")
        if isinstance(so, dict):
            out["so"] = so.get(loai) if loai is not None else None
        elif not main and "so" not in specific:
            out["so"] = None  # one number belongs to the main report only
        return out

    def document_specific(self, ma_don_vi: str, cap: str, loai: str) -> dict[str, Any]:
        """Only the details given for the document kind `loai` (level defaults, then the unit)."""
        defaults = self.documents.defaults.get(cap) or {}
        own = self.documents.units.get(ma_don_vi) or {}
        out: dict[str, Any] = {}
        for layer in (defaults, own):
            out.update((layer.get("van_ban") or {}).get(loai) or {})
        return out

    def text_for(self, ma_don_vi: str, cap: str | None = None) -> dict[str, list[str]]:
        """The analyst's own sections (thuận lợi, khó khăn, phương hướng, kiến nghị …) for a unit,
        as paragraphs: from the cycle's text files (common, the level `cap`'s, the unit's), else from its
        `text:` entry."""
        from .texts import for_unit

        base = {k: list(v) for k, v in self.text.sections.items()}
        own = {k: list(v) for k, v in (self.text.units.get(ma_don_vi) or {}).items()}
        return {**base, **own, **for_unit(self.text_dir, ma_don_vi, cap)}


def _rate(path: Path, key: str, v: Any, low_open: bool = False) -> float:
    """A share typed in the cycle file: a number from 0 to 1 (90 % is 0.9, never 90)."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ConfigError(f"Tệp tham số {path.name}, khóa {key}: cần một tỉ lệ dạng số thập phân (ví dụ 0.9 "
                          f"cho 90 %), gặp «{shown(v)}». Cách sửa: gõ số như 0.9, không kèm dấu % hay chữ")
    if 1 < v <= 100:
        raise ConfigError(f"Tệp tham số {path.name}, khóa {key}: «{v}» không phải tỉ lệ (tỉ lệ từ 0 đến 1). "
                          f"Cách sửa: gõ {v / 100:g} cho {v:g} %")
    if v < 0 or v > 1 or (low_open and v == 0):
        raise ConfigError(f"Tệp tham số {path.name}, khóa {key}: tỉ lệ «{v}» nằm ngoài khoảng "
                          f"{'(0; 1]' if low_open else '[0; 1]'}. Cách sửa: gõ một tỉ lệ như 0.9 (90 %)")
    return float(v)


def _phase_targets(path: Path, raw: Any) -> dict[int, float]:
    """muc_tieu_dat_chuan: year -> share of branches up to standard, each in (0; 1]."""
    if not isinstance(raw, dict):
        raise ConfigError(f"Tệp tham số {path.name}, khóa muc_tieu_dat_chuan: cần các cặp «năm: tỉ lệ» "
                          f"(ví dụ 2021: 0.9), gặp «{shown(raw)}»")
    out: dict[int, float] = {}
    for k, v in raw.items():
        year = year_of(path.name, "muc_tieu_dat_chuan", k, "gõ năm bắt đầu áp dụng, ví dụ 2021: 0.9")
        out[year] = _rate(path, f"muc_tieu_dat_chuan.{k}", v, low_open=True)
    return out


def _limits(path: Path, raw: Any) -> int:
    """gioi_han.so_luong_toi_da: the largest count accepted (default MAX_COUNT)."""
    if raw is None:
        return MAX_COUNT
    v = raw.get("so_luong_toi_da", MAX_COUNT) if isinstance(raw, dict) else raw
    if isinstance(v, bool) or not isinstance(v, int) or v < 1:
        raise ConfigError(f"Tệp tham số {path.name}, khóa gioi_han.so_luong_toi_da: cần một số nguyên dương, "
                          f"gặp «{shown(v)}». Cách sửa: gõ ví dụ 10000000, hoặc xóa khóa để dùng mặc định")
    return v


def _check_score_sheet(path: Path, kind: str, sheet: Any) -> Any:
    """Step thresholds of a score sheet: rates (ty_le_*) from 0 to 1, other figures from 0."""
    for item in sheet.items:
        for _op, value, points in item.steps:
            where = f"Bảng điểm {sheet.path.name} (score_sheets.{kind} của {path.name}), mục «{item.id}»"
            if value < 0 or points < 0:
                raise ConfigError(f"{where}: ngưỡng và điểm không được âm (gặp ngưỡng {value:g}, điểm {points:g}). "
                                  "Cách sửa: gõ ngưỡng và điểm từ 0 trở lên")
            if item.measure and item.measure.startswith("ty_le") and value > 1:
                raise ConfigError(f"{where}: ngưỡng «{value:g}» của chỉ số tỉ lệ {item.measure} lớn hơn 1 (100 %). "
                                  f"Cách sửa: gõ {value / 100:g} cho {value:g} % (hoặc {value:g}% trong bảng Excel)")
    return sheet


def _cap_bao_cao(v: Any) -> str:
    from ..common.schema import CAP_BAO_CAO, TEN_CAP

    if v not in CAP_BAO_CAO:
        allowed = ", ".join(f"«{c}» ({TEN_CAP[c]})" for c in CAP_BAO_CAO)
        raise ConfigError(f"cap_bao_cao phải là một trong {allowed}, gặp «{shown(v)}»")
    return str(v)


def _kiem_tra_van_ban(v: Any) -> str:
    from .settings import DEFAULT_MODE, MODES

    if v in (None, ""):
        return DEFAULT_MODE
    if v not in MODES:
        allowed = "; ".join(f"«{k}»: {h}" for k, h in MODES.items())
        raise ConfigError(f"kiem_tra_van_ban phải là một trong: {allowed}; gặp «{shown(v)}»")
    return str(v)


def parse_date(v: Any) -> date | None:
    if v in (None, ""):
        return None
    if isinstance(v, date):
        return v
    try:
        return date.fromisoformat(str(v))
    except ValueError as exc:
        raise ConfigError(f"Ngày không hợp lệ «{shown(v)}» (cần dạng YYYY-MM-DD)") from exc


def _folder(v: Any, base: Path, what: str) -> Path | None:
    if v in (None, ""):
        return None
    folder = paths.resolve(v, base)
    if not folder.is_dir():
        raise ConfigError(f"Không có thư mục {what} «{v}» (tính từ thư mục của tệp tham số)")
    return folder


# ------------------------------------------------------------ the sections (declared in rules.settings)
def _section(path: Path, key: str, raw: Any) -> dict[str, Any]:
    """A section of key: value pairs (absent or empty: none)."""
    if not raw:
        return {}
    if not isinstance(raw, dict):
        raise ConfigError(f"Tệp tham số {path.name}, khóa {key}: cần các cặp «khóa: giá trị», gặp «{shown(raw)}». "
                          "Cách sửa: viết mỗi khóa con trên một dòng, thụt vào dưới khóa này")
    return raw


def _whole(path: Path, key: str, v: Any, least: int = 0) -> int:
    """A whole number typed in the cycle file, at least `least`."""
    if isinstance(v, bool) or not isinstance(v, int) or v < least:
        raise ConfigError(f"Tệp tham số {path.name}, khóa {key}: cần một số nguyên từ {least} trở lên, gặp «{shown(v)}». "
                          "Cách sửa: gõ số như 1 hoặc 2021")
    return v


def _verification(path: Path, raw: Any) -> Verification:
    """verification: share in (0; 1], min and seed whole numbers from 0 (defaults in rules.settings)."""
    given = _section(path, "verification", raw)
    default = Verification()
    return Verification(
        share=_rate(path, "verification.share", given.get("share", default.share), low_open=True),
        minimum=_whole(path, "verification.min", given.get("min", default.minimum)),
        seed=_whole(path, "verification.seed", given.get("seed", default.seed)))


def _year(path: Path, key: str, v: Any) -> int | None:
    """A year typed in the cycle file (absent: None)."""
    return None if v in (None, "") else year_of(path.name, key, v)


def _word(v: Any) -> str | None:
    """A text typed in the cycle file, NFC (absent or empty: None)."""
    return None if v in (None, "") else nfc(str(v))


def _programme(path: Path, raw: Any) -> Programme:
    """so_ket: the programme's years, name and plan."""
    given = _section(path, "so_ket", raw)
    plan = _section(path, "so_ket.ke_hoach", given.get("ke_hoach"))
    try:
        ngay = parse_date(plan.get("ngay"))
    except ConfigError as exc:
        raise ConfigError(f"Tệp tham số {path.name}, khóa so_ket.ke_hoach.ngay: {exc}") from exc
    return Programme(tu_nam=_year(path, "so_ket.tu_nam", given.get("tu_nam")),
                     den_nam=_year(path, "so_ket.den_nam", given.get("den_nam")),
                     ten=_word(given.get("ten")),
                     ke_hoach=Plan(so=_word(plan.get("so")), ngay=ngay, co_quan=_word(plan.get("co_quan"))))


def _documents(path: Path, raw: Any) -> Documents:
    """documents: the kinds each level issues (lists of names), document details per level and per unit."""
    given = _section(path, "documents", raw)
    types: dict[str, tuple[str, ...]] = {}
    for cap, names in _section(path, "documents.types", given.get("types")).items():
        if names and not isinstance(names, list):
            raise ConfigError(f"Tệp tham số {path.name}, khóa documents.types.{cap}: cần danh sách loại văn bản "
                              f"(ví dụ [bao_cao_tong_ket, phu_luc_so_lieu]), gặp «{shown(names)}»")
        types[str(cap)] = tuple(str(n) for n in names or ())
    layers = {part: {str(k): _section(path, f"documents.{part}.{k}", v)
                     for k, v in _section(path, f"documents.{part}", given.get(part)).items()}
              for part in ("defaults", "units")}
    return Documents(types=types, defaults=layers["defaults"], units=layers["units"])


def _texts(path: Path, raw: Any) -> Texts:
    """text: shared sections, and per unit code its own, each one paragraph or a list of paragraphs."""
    given = _section(path, "text", raw)

    def paragraphs(v: Any) -> tuple[str, ...]:
        items = v if isinstance(v, list) else [v]
        return tuple(nfc(str(x)) for x in items if x not in (None, ""))

    units = {str(code): {str(k): paragraphs(v) for k, v in _section(path, f"text.units.{code}", own).items()}
             for code, own in _section(path, "text.units", given.get("units")).items()}
    return Texts(sections={str(k): paragraphs(v) for k, v in given.items() if k != "units"}, units=units)


def load_cycle(path: str | Path | None = None, *, data: str | Path | None = None,
               nam: int | None = None, cap_bao_cao: str | None = None) -> Cycle:
    """Load a cycle file (default: the bundled sample cycle); `data`, `nam` and `cap_bao_cao`
    (the reporting level) override it.

    Relative `path` and `data` are taken from the project root (the command line makes what the
    analyst typed absolute first)."""
    path = paths.resolve(path) if path else paths.DEFAULT_CYCLE
    raw = read_yaml(path, "tệp tham số") or {}
    base = path.parent
    try:
        rubrics = raw["rubrics"]
        targets, chi_tieu = parse_targets(path, raw.get("targets") or {}, _rate)
        cycle = Cycle(
            path=path,
            ten_ky=words_typed(raw.get("ten_ky")) or "",
            nam=int(nam if nam is not None else raw["nam"]),
            data=paths.resolve(data) if data else paths.resolve(raw["data"], base),
            scale=load_scales(path, raw["scale"], base, int(nam if nam is not None else raw["nam"])),
            rubric_chi_doan=load_rubric(paths.resolve(rubrics["chi_doan"], base)),
            rubric_co_so=load_rubric(paths.resolve(rubrics["co_so"], base)),
            muc_tieu_dat_chuan=_phase_targets(path, raw.get("muc_tieu_dat_chuan") or {}),
            targets=targets,
            ngay_van_ban=parse_date(raw.get("ngay_van_ban")),
            documents=_documents(path, raw.get("documents")),
            text=_texts(path, raw.get("text")),
            ghi_chu=nfc(str(raw.get("ghi_chu") or "")),
            emulation=load_scale(paths.resolve(raw["emulation_scale"], base)) if raw.get("emulation_scale") else None,
            verification=_verification(path, raw.get("verification")),
            score_sheets={str(k): _check_score_sheet(path, str(k), load_score_sheet(paths.resolve(v, base)))
                          for k, v in (raw.get("score_sheets") or {}).items()},
            text_dir=_folder(raw.get("text_dir"), base, "văn bản (text_dir)"),
            so_ket=_programme(path, raw.get("so_ket")),
            templates=_folder(raw.get("templates"), base, "mẫu văn bản (templates)") or paths.TEMPLATES,
            han_nop=parse_date((raw.get("thu_thap") or {}).get("han_nop")),
            cap_bao_cao=_cap_bao_cao(cap_bao_cao or raw.get("cap_bao_cao") or CAP_BAO_CAO[0]),
            so_luong_toi_da=_limits(path, raw.get("gioi_han")),
            kiem_tra_van_ban=_kiem_tra_van_ban(raw.get("kiem_tra_van_ban")),
            chi_tieu=chi_tieu,
            member_scale=load_member_scale(paths.resolve(raw["member_scale"], base)) if raw.get("member_scale") else None,
        )
        cycle.lich = load_calendar(path.name, raw.get("lich"), int(raw["nam"]), cycle.han_nop).shifted(
            cycle.nam - int(raw["nam"]))  # declared for the file's year; another year's run moves with it
        cycle.nguon_diem, cycle.chenh_lech_diem = check_source(raw.get("nguon_diem"), raw.get("chenh_lech_diem"),
                                                               bool(cycle.score_sheets))
        cycle.khen_thuong = parse_rule(path, raw.get("khen_thuong"), cycle.scale)
    except KeyError as exc:
        raise ConfigError(f"Tệp tham số {path.name} thiếu trường {exc}") from exc
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"Tệp tham số {path.name} có giá trị sai kiểu: {exc}") from exc
    return cycle
