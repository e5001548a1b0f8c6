"""A review cycle's parameters, from YAML (batch) or built in Python (widgets): one object.

Every path in a cycle file is relative to the file's own folder, or absolute.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from . import paths
from .errors import ConfigError
from .files import read_yaml
from .rubric import Rubric, load_rubric
from .scales import Scale, load_scale
from .scoresheet import load_score_sheet
from .vietnamese import nfc

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
    documents: dict[str, Any] = field(default_factory=dict)
    text: dict[str, Any] = field(default_factory=dict)
    ghi_chu: str = ""
    emulation: Scale | None = None  # the HCMC emulation ladder, where the province uses one [000]
    verification: dict[str, Any] = field(default_factory=dict)  # random sample: share, min, seed [001]
    score_sheets: dict[str, Any] = field(default_factory=dict)  # "thuong"/"dac_thu"/a loai_hinh -> sheet [003]
    text_dir: Path | None = None  # the analyst's text files: chung.md and <ma_don_vi>.md (tongket.texts)
    so_ket: dict[str, Any] = field(default_factory=dict)  # the programme review: tu_nam, ten
    templates: Path = paths.TEMPLATES  # the office's own edited templates may live elsewhere
    han_nop: date | None = None  # deadline for the data-collection forms (thu_thap.han_nop)
    cap_bao_cao: str = "huyen"  # the level with one set of documents per unit: huyen, or co_so (2025 reform)

    def muc_tieu(self, nam: int) -> float | None:
        """The phase target for the share of branches up to standard in force in `nam` [001]."""
        years = [y for y in self.muc_tieu_dat_chuan if y <= nam]
        return self.muc_tieu_dat_chuan[max(years)] if years else None

    def document(self, ma_don_vi: str, cap: str, loai: str | None = None, main: bool = True) -> dict[str, Any]:
        """Document details for a unit: per-level defaults overlaid with the unit's own, then the
        details given for the document kind `loai` (see document_specific).

        `so` may be one number (the unit's main report, `main`) or a number per document kind."""
        defaults = (self.documents.get("defaults") or {}).get(cap, {}) or {}
        own = (self.documents.get("units") or {}).get(ma_don_vi, {}) or {}
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
        defaults = (self.documents.get("defaults") or {}).get(cap, {}) or {}
        own = (self.documents.get("units") or {}).get(ma_don_vi, {}) or {}
        out: dict[str, Any] = {}
        for layer in (defaults, own):
            out.update((layer.get("van_ban") or {}).get(loai) or {})
        return out

    def text_for(self, ma_don_vi: str, cap: str | None = None) -> dict[str, list[str]]:
        """The analyst's own sections (thuận lợi, khó khăn, phương hướng, kiến nghị …) for a unit,
        as paragraphs: from the cycle's text files (common, the level `cap`'s, the unit's), else from its
        `text:` entry."""
        from .texts import for_unit

        def paragraphs(v: Any) -> list[str]:
            items = v if isinstance(v, list) else [v]
            return [nfc(str(x)) for x in items if x not in (None, "")]

        base = {k: paragraphs(v) for k, v in self.text.items() if k != "units"}
        own = {k: paragraphs(v) for k, v in ((self.text.get("units") or {}).get(ma_don_vi, {}) or {}).items()}
        return {**base, **own, **for_unit(self.text_dir, ma_don_vi, cap)}


def _verification(raw: dict[str, Any]) -> dict[str, Any]:
    share, minimum, seed = raw.get("share", 0.2), raw.get("min", 1), raw.get("seed", 0)
    if not (isinstance(share, (int, float)) and 0 < share <= 1):
        raise ConfigError(f"verification.share phải là tỉ lệ trong (0; 1], gặp «{share}»")
    if not (isinstance(minimum, int) and minimum >= 0) or not isinstance(seed, int):
        raise ConfigError("verification.min và verification.seed phải là số nguyên không âm")
    return {"share": float(share), "min": minimum, "seed": seed}


def _cap_bao_cao(v: Any) -> str:
    from .schema import CAP_BAO_CAO, TEN_CAP

    if v not in CAP_BAO_CAO:
        allowed = ", ".join(f"«{c}» ({TEN_CAP[c]})" for c in CAP_BAO_CAO)
        raise ConfigError(f"cap_bao_cao phải là một trong {allowed}, gặp «{v}»")
    return str(v)


def _date(v: Any) -> date | None:
    if v in (None, ""):
        return None
    if isinstance(v, date):
        return v
    try:
        return date.fromisoformat(str(v))
    except ValueError as exc:
        raise ConfigError(f"Ngày không hợp lệ «{v}» (cần dạng YYYY-MM-DD)") from exc


def _folder(v: Any, base: Path, what: str) -> Path | None:
    if v in (None, ""):
        return None
    folder = paths.resolve(v, base)
    if not folder.is_dir():
        raise ConfigError(f"Không có thư mục {what} «{v}» (tính từ thư mục của tệp tham số)")
    return folder


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
        cycle = Cycle(
            path=path,
            ten_ky=nfc(str(raw.get("ten_ky", ""))),
            nam=int(nam if nam is not None else raw["nam"]),
            data=paths.resolve(data) if data else paths.resolve(raw["data"], base),
            scale=load_scale(paths.resolve(raw["scale"], base)),
            rubric_chi_doan=load_rubric(paths.resolve(rubrics["chi_doan"], base)),
            rubric_co_so=load_rubric(paths.resolve(rubrics["co_so"], base)),
            muc_tieu_dat_chuan={int(k): float(v) for k, v in (raw.get("muc_tieu_dat_chuan") or {}).items()},
            targets={str(k): float(v) for k, v in (raw.get("targets") or {}).items()},
            ngay_van_ban=_date(raw.get("ngay_van_ban")),
            documents=raw.get("documents") or {},
            text=raw.get("text") or {},
            ghi_chu=nfc(str(raw.get("ghi_chu") or "")),
            emulation=load_scale(paths.resolve(raw["emulation_scale"], base)) if raw.get("emulation_scale") else None,
            verification=_verification(raw.get("verification") or {}),
            score_sheets={str(k): load_score_sheet(paths.resolve(v, base))
                          for k, v in (raw.get("score_sheets") or {}).items()},
            text_dir=_folder(raw.get("text_dir"), base, "văn bản (text_dir)"),
            so_ket=raw.get("so_ket") or {},
            templates=_folder(raw.get("templates"), base, "mẫu văn bản (templates)") or paths.TEMPLATES,
            han_nop=_date((raw.get("thu_thap") or {}).get("han_nop")),
            cap_bao_cao=_cap_bao_cao(cap_bao_cao or raw.get("cap_bao_cao") or "huyen"),
        )
    except KeyError as exc:
        raise ConfigError(f"Tệp tham số {path.name} thiếu trường {exc}") from exc
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"Tệp tham số {path.name} có giá trị sai kiểu: {exc}") from exc
    return cycle
