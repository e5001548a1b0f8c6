"""The analyst's own words: plain-text files in params/ per cycle and per unit.

A folder (the cycle's `text_dir`) holds `chung.md`, shared by every unit, and `<ma_don_vi>.md`,
which replaces whole sections for one unit. Each file is sections under "# " headings, typed in
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

from pathlib import Path

from .errors import ConfigError
from .files import safe_name
from .vietnamese import fold, nfc

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


def for_unit(folder: Path | None, ma_don_vi: str) -> dict[str, list[str]]:
    """The common sections overlaid with the unit's own (a unit's section replaces the common one)."""
    if folder is None:
        return {}
    common = read(folder / COMMON) if (folder / COMMON).is_file() else {}
    own_path = folder / f"{safe_name(ma_don_vi)}.md"
    own = read(own_path) if own_path.is_file() else {}
    return {**common, **own}
