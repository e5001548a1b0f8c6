"""The analyst's own words: plain-text files in params/ per cycle and per unit.

A folder (the cycle's `text_dir`) holds `chung.md`, shared by every unit, `cap_<level>.md`
(`cap_tinh.md`, `cap_huyen.md`, `cap_co_so.md`), shared by the units of one level, and
`<ma_don_vi>.md`, for one unit; each replaces whole sections of the one before, so a level never
gets another level's words (the province's report never recommends to the province). Each file is sections under "# " headings, typed in
Notepad or any editor:

    # Thuận lợi
    Được sự quan tâm lãnh đạo của cấp ủy …

    # Phương hướng, nhiệm vụ
    - Tiếp tục củng cố các chi đoàn chưa đạt chuẩn.
    - Tăng cường tập huấn cho bí thư chi đoàn.

Blank lines separate paragraphs; a line starting with "-" or "+" starts a new paragraph (kept
as typed, dash included); other lines join the paragraph above. Headings are matched ignoring
case and diacritics, so "# phuong huong, nhiem vu" works too.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..common.files import safe_name
from ..common.vietnamese import fold, nfc
from ..errors import ConfigError

# Section key -> its heading as printed in this module's docs and in error messages.
SECTIONS = {
    "mo_dau": "Mở đầu",
    "thuan_loi": "Thuận lợi",
    "kho_khan": "Khó khăn",
    "chi_dao": "Công tác chỉ đạo, triển khai",
    "nguyen_nhan": "Nguyên nhân",
    "bai_hoc": "Bài học kinh nghiệm",
    "phuong_huong": "Phương hướng, nhiệm vụ",
    "kien_nghi": "Đề xuất, kiến nghị",
    "can_cu": "Căn cứ",
    "mo_hinh": "Mô hình hay, cách làm hiệu quả",  # the models' section and report (documents.models)
}
_BY_FOLD = {fold(v): k for k, v in SECTIONS.items()} | {fold(k): k for k in SECTIONS}
# Shorter headings people type.
_BY_FOLD |= {fold("Phương hướng"): "phuong_huong", fold("Kiến nghị"): "kien_nghi",
             fold("Đề xuất"): "kien_nghi", fold("Bài học"): "bai_hoc", fold("Chỉ đạo"): "chi_dao"}
COMMON = "chung.md"


def parse(text: str, name: str = "văn bản") -> dict[str, list[str]]:
    """Sections of one text file: key -> paragraphs (NFC, as typed)."""
    out: dict[str, list[str]] = {}
    key: str | None = None
    para: list[str] = []

    def flush() -> None:
        if para and key is not None:
            out[key].append(" ".join(para))
        para.clear()

    for n, raw in enumerate(nfc(text).splitlines(), start=1):
        line = raw.strip()
        if line.startswith("#"):
            flush()
            heading = line.lstrip("#").strip()
            key = _BY_FOLD.get(fold(heading))
            if key is None:
                raise ConfigError(f"Tệp {name}, dòng {n}: mục «{heading}» không có; các mục dùng được: "
                                  f"{', '.join(SECTIONS.values())}")
            if key in out:
                raise ConfigError(f"Tệp {name}, dòng {n}: mục «{heading}» xuất hiện hai lần")
            out[key] = []
        elif not line:
            flush()
        elif key is None:
            raise ConfigError(f"Tệp {name}, dòng {n}: nội dung nằm trước tiêu đề mục đầu tiên (dòng bắt đầu "
                              f"bằng «# », ví dụ «# Thuận lợi»)")
        else:
            if line[:1] in "-+•" and para:
                flush()
            para.append(line)
    flush()
    return {k: v for k, v in out.items() if v}


def read(path: Path) -> dict[str, list[str]]:
    """One text file's sections; a clear error for a file that is not UTF-8 text."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"Tệp {path.name} không phải văn bản UTF-8 (hãy lưu lại với mã hóa UTF-8)") from exc
    return parse(text, path.name)


def for_unit(folder: Path | None, ma_don_vi: str, cap: str | None = None) -> dict[str, list[str]]:
    """The common sections overlaid with the level's (`cap`), then the unit's own (a section
    replaces the one before it whole)."""
    if folder is None:
        return {}
    out: dict[str, list[str]] = {}
    for name in (COMMON, *([f"cap_{cap}.md"] if cap else []), f"{safe_name(ma_don_vi)}.md"):
        if (folder / name).is_file():
            out |= read(folder / name)
    return out


# Clauses about residential branches, which a unit without any does not have.
_RESIDENTIAL = re.compile(r"dân cư|đạt chuẩn|chi đoàn ấp|chi đoàn khu phố", re.IGNORECASE)
_BODY = re.compile(r"^(Tỉnh Đoàn|Thành Đoàn|Huyện Đoàn|Thị Đoàn|Quận Đoàn|Đoàn Khối|Đoàn)\b")


def fits(paragraphs: list[str], facts: dict[str, Any]) -> list[str]:
    """The analyst's paragraphs without what the unit's data contradicts: a recommendation
    addressed to the issuing body itself («Đề nghị Tỉnh Đoàn …» in the Tỉnh Đoàn's own report),
    and, for a unit without residential branches, the clauses about them (a paragraph keeps its
    other clauses; one with none left is dropped). `facts`: cap, ten, co_dan_cu."""
    ten = str(facts.get("ten") or "")
    m = _BODY.match(ten)
    body = ten if facts.get("cap") == "co_so" or not m or m.group(1) == "Đoàn" else m.group(1)
    self_address = re.compile(rf"^[-+•]?\s*Đề nghị\s+(Ban Thường vụ\s+|Ban Chấp hành\s+)?{re.escape(body)}\b") \
        if body else None
    out = []
    for p in paragraphs:
        if self_address is not None and self_address.search(p):
            continue
        if facts.get("co_dan_cu") is False and _RESIDENTIAL.search(p):
            kept = [c for c in re.split(r"(?<=;)\s+", p) if not _RESIDENTIAL.search(c)]
            if not kept:
                continue
            p = " ".join(kept).rstrip(";").rstrip() + ("." if not kept[-1].rstrip().endswith((".", ";")) else "")
            p = p[:-1] + "." if p.endswith(";") else p
        out.append(p)
    return out
