"""The audit trail of a run: what went in (hashes), what the kit was (versions), what came out
(status, files, timings), and the fingerprints that let a rerun skip what has not changed.

A district's fingerprint covers its own rows of every sheet of the workbook (its subtree), the
rows outside any district (the province), every file the cycle names wherever it lives (rubrics,
scales, score sheets, texts), the templates, the notebook, every file of the kit's package and
whether the engine writes executed notebooks.
The province's covers the whole workbook.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterable, Iterator
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..common import paths
from ..common.files import files_digest, sha256
from ..common.schema import TEN_CAP_HOA
from ..common.units import ancestors
from ..errors import reading_inputs

if TYPE_CHECKING:
    from ..intake.check import Data

# The whole package, every subpackage and data file of it: a changed line anywhere reruns everything.
PACKAGE = Path(__file__).resolve().parents[1]
PACKAGES = ("tongket", "pandas", "numpy", "matplotlib", "openpyxl", "docxtpl", "python-docx", "jinja2",
            "papermill", "nbclient", "ipykernel", "jupyter-client", "babel", "pyyaml", "distributed")


def _below(folder: Path | None, pattern: str = "*") -> list[Path]:
    return [p for p in folder.rglob(pattern) if p.is_file()] if folder and folder.is_dir() else []


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for v in node.values():
            yield from _strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)


def cycle_files(cycle: Any) -> list[Path]:
    """Every file a cycle's documents depend on besides the workbook, wherever it lives: the cycle
    file, every file it names (rubrics, scales, score sheets, YAML or .xlsx) and every file those
    YAML files name in turn, and every file of the folders it names (texts, templates)."""
    from ..common.files import read_yaml

    data = Path(cycle.data).resolve()
    named = [getattr(cycle, a).path for a in ("rubric_chi_doan", "rubric_co_so") if hasattr(getattr(cycle, a), "path")]
    named += [s.path for s in (cycle.score_sheets or {}).values() if hasattr(s, "path")]
    todo, seen, out = [Path(cycle.path), *named], set(), []
    while todo:
        f = Path(todo.pop()).resolve()
        if f in seen or f == data or not f.is_file():
            continue
        seen.add(f)
        out.append(f)
        if f.suffix.lower() not in (".yaml", ".yml"):
            continue
        try:
            raw = read_yaml(f, "tệp tham số")
        except Exception:  # noqa: BLE001 - loading it is the cycle's business; here only its bytes count
            continue
        if f == Path(cycle.path).resolve() and isinstance(raw, dict):
            raw = {k: v for k, v in raw.items() if k != "data"}  # the workbook is hashed per unit (or overridden)
        for s in _strings(raw):
            if len(s) > 400 or "\n" in s or not ("/" in s or "\\" in s or Path(s).suffix):
                continue
            p = paths.resolve(s, f.parent)
            if p.is_file():
                todo.append(p)
            elif p.is_dir() and p != f.parent:
                out += _below(p)
    return out + _below(getattr(cycle, "text_dir", None))


def input_files(cycle: Any, notebooks: Iterable[Path], data: bool = True) -> dict[str, dict[str, str]]:
    """The hashes of everything a run reads, by kind (the workbook's too, unless not `data`)."""
    params = [*cycle_files(cycle), *_below(paths.PARAMS), *_below(cycle.path.parent, "*.yaml")]
    with reading_inputs():  # a workbook open in Excel, a template open in Word: said as such
        return {
            "tham_so": files_digest(params),
            "mau_van_ban": files_digest(_below(Path(cycle.templates), "*.docx")),
            "so_tay": files_digest(notebooks),
            **({"du_lieu": files_digest([cycle.data])} if data else {}),
        }


def kit_version() -> dict[str, str]:
    """The kit's version and a hash of its source (a changed rule in code reruns everything)."""
    code = [p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"]
    return {"version": metadata.version("tongket"), "source": sha256(json.dumps(files_digest(code)).encode())}


def package_versions() -> dict[str, str]:
    out = {}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return out


def git_version() -> str | None:
    """`git describe` of the project folder, or None outside a git checkout."""
    try:
        res = subprocess.run(["git", "-C", str(paths.ROOT), "describe", "--always", "--dirty", "--tags"],
                             capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return res.stdout.strip() or None if res.returncode == 0 else None


def data_digests(d: Data, cap: str = "huyen") -> dict[str | None, str]:
    """One hash per reporting unit (district, or Đoàn cơ sở: `cap`) over its rows of every sheet
    (don_vi, chi_doan, co_so and the optional sheets); key None holds the rows outside any
    reporting unit (the province's)."""
    import numpy as np
    import pandas as pd

    tree = ancestors(d.don_vi.dropna(subset=["ma_don_vi"]))[f"ma_{cap}"]
    parts: dict[str | None, list[str]] = {}
    for name, frame in (("don_vi", d.don_vi), ("chi_doan", d.chi_doan), ("co_so", d.co_so),
                        *sorted(d.optional.items())):
        if frame.empty:
            continue
        owner = [None if pd.isna(o) else str(o) for o in frame["ma_don_vi"].map(tree)]
        # each cell's text hashed column by column (never a text copy of the whole sheet at once),
        # the columns in name order: a row's hashes are one line of this array
        rows = np.empty((len(frame), len(frame.columns)), dtype=np.uint64)
        for j, c in enumerate(sorted(frame.columns)):
            rows[:, j] = pd.util.hash_pandas_object(frame[c].astype(str), index=False).to_numpy()
        by_owner: dict[str | None, list[int]] = {}
        for i, o in enumerate(owner):
            by_owner.setdefault(o, []).append(i)
        for key, idx in by_owner.items():
            parts.setdefault(key, []).append(f"{name}:{sha256(rows[idx].tobytes())}")
    return {k: sha256("|".join(v).encode()) for k, v in parts.items()}


def fingerprint(*parts: Any) -> str:
    return sha256(json.dumps(parts, ensure_ascii=False, default=str).encode())


CAP_VI = TEN_CAP_HOA  # the level's word in a cell (declared once in common.schema)
STATUS_VI = {"ok": "Xong", "skipped": "Không đổi (bỏ qua)", "failed": "Lỗi", "pending": "Đang chạy"}
STATE_VI = {"dang_chay": " Lần chạy này chưa xong (đang chạy, hoặc đã bị dừng đột ngột).",
            "mot_phan": " Lần chạy xong một phần: có đơn vị lỗi hoặc chưa được tổng hợp.",
            "bi_ngat": " Lần chạy bị dừng giữa chừng: các đơn vị chưa xong không có văn bản mới."}


def _when(iso: str) -> str:
    """"2026-11-30T12:10:14" as "12:10 ngày 30 tháng 11 năm 2026"."""
    from datetime import datetime

    from ..common.vietnamese import ngay_van_ban

    t = datetime.fromisoformat(iso)
    return f"{t:%H:%M} {ngay_van_ban(t.date())}"


def _header(ws, names: list[str]) -> None:
    """Append a bold, wrapped header row."""
    from openpyxl.styles import Alignment, Font

    ws.append(names)
    for c in ws[ws.max_row]:
        c.font = Font(bold=True)
        c.alignment = Alignment(wrap_text=True, vertical="center")


def write_summary(manifest: dict[str, Any], path: Path) -> Path:
    """The office's readable copy of the manifest: one row per unit, then what went in; both
    sheets print on landscape A4 at the page's width."""
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill

    from ..common.xlsx import append_row, keep_text, print_landscape, save_workbook

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "tong_hop"
    units = [*manifest["districts"], *([manifest["province"]] if manifest.get("province") else [])]
    header = ["Mã đơn vị", "Tên đơn vị", "Cấp", "Trạng thái", "Thời gian (giây)", "Số tệp", "Lỗi", "Cảnh báo"]
    ws.append([f"NHẬT KÝ LẬP BÁO CÁO NĂM {manifest['nam']}"])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([f"Bắt đầu {_when(manifest['bat_dau'])}, kết thúc {_when(manifest['ket_thuc'])}."])
    ws.append([f"Bộ chạy «{manifest['engine']}»: {manifest['thanh_cong'] - manifest['khong_doi']} đơn vị lập xong, "
               f"{manifest['khong_doi']} không đổi (bỏ qua), {manifest['that_bai']} lỗi."
               + STATE_VI.get(manifest.get("trang_thai", ""), "")])
    _header(ws, header)
    fills = {"ok": "E2EFDA", "skipped": "EDEDED", "failed": "F8CBAD"}
    for u in units:
        t = u["timings"]
        status = "skipped" if u.get("skipped") else u["status"]
        row = append_row(ws, [u["ma_don_vi"], u["ten_don_vi"], CAP_VI.get(u["cap"], u["cap"]),
                              STATUS_VI.get(status, status) + (" một phần" if u.get("missing_units") else ""),
                              t.get("seconds"), len(u["files"]),
                              u["error"] or ("Chưa tổng hợp do số liệu có lỗi: " + ", ".join(u["missing_units"])
                                             if u.get("missing_units") else ""),
                              "\n".join(u["warnings"])])
        row[3].fill = PatternFill("solid", fgColor=fills.get(status, "FFFFFF"))
        for c in row:
            c.alignment = Alignment(wrap_text=True, vertical="top")
            keep_text(c)
            if isinstance(c.value, float):
                c.number_format = "0.0"
    widths = [10, 30, 7, 18, 9, 6, 55, 60]
    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[openpyxl.utils.get_column_letter(j)].width = width
    for r in range(4, ws.max_row + 1):  # spreadsheets do not grow a wrapped row by themselves
        lines = max(sum(-(-len(part) // max(1, int(w * 1.1))) or 1 for part in str(c.value or "").split("\n"))
                    for c, w in ((ws.cell(r, j), w) for j, w in enumerate(widths, start=1)))
        ws.row_dimensions[r].height = 15 * max(1, lines)
    ws.freeze_panes = "C5"
    print_landscape(ws, "4:4")
    stages = wb.create_sheet("thoi_gian")  # where each unit's time went, by part of its notebook
    _header(stages, ["Mã đơn vị", "Tên đơn vị", "Phần của sổ tay", "Thời gian (giây)"])
    for u in units:
        for name, seconds in u["timings"].get("stages", {}).items():
            append_row(stages, [u["ma_don_vi"], u["ten_don_vi"], name, seconds])[3].number_format = "0.00"
    for letter, width in zip("ABCD", (10, 30, 50, 12)):
        stages.column_dimensions[letter].width = width
    stages.freeze_panes = "A2"
    print_landscape(stages, "1:1")
    info = wb.create_sheet("dau_vao")
    _header(info, ["Mục", "Giá trị"])
    info.append(["Phiên bản tongket", manifest["phien_ban"]["version"]])
    info.append(["Mã nguồn (băm)", manifest["phien_ban"]["source"]])
    info.append(["Git", manifest.get("git") or "—"])
    for k, v in manifest["tham_so"].items():
        info.append([f"Tham số: {k}", json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v])
    for kind, files in manifest["dau_vao"].items():
        for name, digest in files.items():
            info.append([f"{kind}: {name}", digest])
    for name, version in manifest["thu_vien"].items():
        info.append([f"Thư viện: {name}", version])
    info.column_dimensions["A"].width = 55
    info.column_dimensions["B"].width = 70
    print_landscape(info, "1:1")
    return save_workbook(wb, path)
