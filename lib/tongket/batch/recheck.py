"""Checking a whole run's output folder again: every unit's documents read back against the results
recomputed from the parameters and data its manifest records (`tongket kiem-tra-van-ban`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..assessment.review import open_review
from ..common.files import files_digest
from ..documents.doccheck import Finding, check_unit
from ..errors import TongketError


def check_output(folder: str | Path, params: str | Path | None = None, data: str | Path | None = None
                 ) -> tuple[dict[str, list[Finding]], list[str]]:
    """Check every unit of a run's output folder (the year folder with manifest.json, or the folder
    above it), against the results recomputed from the parameters and data its manifest records
    (or `params`, `data`). Returns the findings by unit folder and notes for the reader."""
    folder = Path(folder)
    manifests = [folder / "manifest.json"] if (folder / "manifest.json").is_file() else \
        sorted(folder.glob("*/manifest.json"))
    if not manifests:
        raise TongketError(f"Thư mục {folder} không có manifest.json của một lần chạy (cũng không có trong "
                           "các thư mục năm bên trong)")
    found: dict[str, list[Finding]] = {}
    notes: list[str] = []
    for mf in manifests:
        try:
            m = json.loads(mf.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise TongketError(f"Không đọc được {mf}: {exc}") from exc
        ts: dict[str, Any] = m.get("tham_so") or {}
        p, d = params or ts.get("params"), data or ts.get("data")
        if not d or not Path(d).is_file():
            raise TongketError(f"{mf}: không tìm thấy sổ dữ liệu «{d}» đã dùng; hãy chỉ ra bằng --data")
        recorded = (m.get("dau_vao") or {}).get("du_lieu") or {}
        if recorded and data is None and set(files_digest([Path(d)]).values()) != set(recorded.values()):
            notes.append(f"Sổ dữ liệu {d} đã thay đổi sau lần chạy ghi trong {mf.name}: số liệu đối chiếu là số "
                         "liệu hiện tại")
        nam: Any = m.get("nam") or ts.get("nam")
        review = open_review(p, d, int(nam), cap_bao_cao=ts.get("cap_bao_cao"))
        units = [*(m.get("districts") or []), *([m["province"]] if m.get("province") else [])]
        for u in units:
            unit_dir = mf.parent / u["ma_don_vi"]
            if not unit_dir.is_dir():
                continue
            if u.get("status") != "ok":
                notes.append(f"{u['ten_don_vi']} ({u['ma_don_vi']}): lần chạy không thành công, vẫn kiểm tra "
                             "các văn bản có trong thư mục")
            key = f"{mf.parent.name}/{u['ma_don_vi']}"
            found[key] = check_unit(review, u["ma_don_vi"], unit_dir, review.cycle.nam, prefix=f"{key}/")
    return found, notes
