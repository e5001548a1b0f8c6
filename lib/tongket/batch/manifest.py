"""What a run records: one `Entry` per reporting unit, manifest.json (the audit trail, a contract
interface: its keys never change) and its readable copy, and what the last run's manifest lets
this run skip or refuses."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import Path
from typing import Any

from ..common.files import safe_name, write_text
from ..errors import TongketError
from . import audit, staging
from .engines import DEFAULT_ENGINE

MANIFEST = "manifest.json"
SUMMARY = "nhat_ky_chay.xlsx"
# manifest.json "trang_thai": written at the start, then at the end; a killed run stays "dang_chay".
RUNNING, DONE, PARTIAL, INTERRUPTED = "dang_chay", "xong", "mot_phan", "bi_ngat"


@dataclass
class Entry:
    """One reporting unit of a run, as recorded in manifest.json."""

    ma_don_vi: str
    ten_don_vi: str
    cap: str
    status: str = "pending"  # ok | failed
    skipped: bool = False  # ok, and not run again: its inputs were unchanged since its last run
    files: list[str] = field(default_factory=list)
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    timings: dict[str, Any] = field(default_factory=dict)
    fingerprint: str | None = None  # recorded only once the unit's files are all in place
    hashes: dict[str, str] = field(default_factory=dict)  # SHA-256 of every file in `files`
    rule_set: dict[str, Any] = field(default_factory=dict)  # the cycle file (rules) the documents follow
    changed_since: list[str] = field(default_factory=list)  # files changed or missing since the last run
    missing_units: list[str] = field(default_factory=list)  # province: units left out of its totals
    # What its documents say depends on: the rules, templates and kit, and its own rows, without the
    # options that only add files; a later run of other units sets its documents aside when it differs.
    nguon: str | None = None

    def record(self) -> dict[str, Any]:
        """The entry as manifest.json records it (its values as they are: only encoded, not copied)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def encode(doc: dict[str, Any], district_lines: list[str] | None = None) -> str:
    """manifest.json's text: indented as ``json.dumps(indent=2)`` would, except that each of the
    reporting units ("districts") takes one line (`unit_line`). The manifest is written again after
    every unit and a province has hundreds of them: one line each lets the C encoder do the bulk
    (5× faster at 1.000 units), and a unit is one line to find. `district_lines`: those lines made
    already, in place of encoding ``doc["districts"]``."""
    def value(k: str, v: Any) -> str:
        if k == "districts":
            lines = district_lines if district_lines is not None else [unit_line(u) for u in v]
            if lines:
                return "[\n" + ",\n".join(lines) + "\n  ]"
        return json.dumps(v, ensure_ascii=False, indent=2).replace("\n", "\n  ")
    return "{\n" + ",\n".join(f"  {json.dumps(k, ensure_ascii=False)}: {value(k, v)}" for k, v in doc.items()) + "\n}"


def _record(unit: Entry | dict[str, Any]) -> dict[str, Any]:
    """A unit as the manifest records it: this run's entry, or a unit carried from the last manifest."""
    return unit.record() if isinstance(unit, Entry) else unit


def unit_line(unit: dict[str, Any]) -> str:
    """A reporting unit's line of manifest.json."""
    return "    " + json.dumps(unit, ensure_ascii=False)


class Lines:
    """A run's units as manifest.json last wrote them, one encoded line each: the manifest is written
    after every unit, and encoding all of them every time made its writes grow with the square of
    the units (8,6 MB a write at 1.000 districts, on the cores the workers need). A write names the
    entries changed since the last (`changed`); the others keep their line. A write that names none
    encodes every unit afresh, as the run's first and last do."""

    def __init__(self) -> None:
        self._lines: dict[int, tuple[Any, str]] = {}  # id(unit) -> (the unit, its line)

    def of(self, units: list[Entry | dict[str, Any]], changed: list[Entry] | None) -> list[str]:
        if changed is None:
            self._lines.clear()
        for e in changed or []:
            self._lines.pop(id(e), None)
        out = []
        for u in units:
            held = self._lines.get(id(u))
            if held is None or held[0] is not u:  # (an id is only the unit's while the unit lives)
                held = self._lines[id(u)] = (u, unit_line(_record(u)))
            out.append(held[1])
        return out


def read_previous(year_dir: Path) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """The units of the last manifest, by code, and the manifest (empty where there is none or it
    is unreadable)."""
    try:
        m = json.loads((year_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}, {}
    if not isinstance(m, dict):
        return {}, {}
    units = [*m.get("districts", []), *([m["province"]] if m.get("province") else [])]
    return {u["ma_don_vi"]: u for u in units if isinstance(u, dict) and "ma_don_vi" in u}, m


def skip_unchanged(entries: list[Entry], wanted: dict[str, str], previous: dict[str, dict[str, Any]],
                    year_dir: Path, forced: set[str], stats: dict[str, list[int]] | None = None) -> None:
    """Mark as done, without running them again, the units (not `forced`) that the last run
    finished with the same fingerprint and whose files on disk are exactly the ones it recorded
    (same SHA-256, none missing, none added; a file with its recorded `stats` is not read again); a
    unit whose files changed since is run again and says which."""
    for e in entries:
        before = previous.get(e.ma_don_vi)
        if not before or before.get("status") != "ok" or not isinstance(before.get("hashes"), dict):
            continue  # never finished, or recorded without hashes: not trusted
        diff = staging.changed(before["hashes"], year_dir / safe_name(e.ma_don_vi), year_dir, stats)
        if diff:
            shown = "; ".join(diff[:5]) + (f" và {len(diff) - 5} thay đổi khác" if len(diff) > 5 else "")
            e.changed_since = diff
            e.warnings.append(f"Tệp kết quả đã thay đổi từ lần chạy trước ({shown}): lập lại")
            continue
        if (e.status == "failed" or e.ma_don_vi in forced or before.get("fingerprint") != wanted[e.ma_don_vi]
                or sorted(before["hashes"]) != sorted(before.get("files", []))):
            continue
        e.status, e.skipped, e.files, e.hashes = "ok", True, list(before["files"]), dict(before["hashes"])
        e.fingerprint = wanted[e.ma_don_vi]
        from ..documents.doccheck import WARNING as DOC_WARNING  # imported here: an unchanged rerun never needs it

        e.warnings = [*e.warnings, *(w for w in before.get("warnings", []) if w.startswith(DOC_WARNING))]
        last = before.get("timings", {})  # the last run that made the files (not a chain of skips)
        e.timings = {"seconds": 0.0, "lan_truoc": last.get("lan_truoc", last) if before.get("skipped") else last}


def refuse_mixed_rules(before: dict[str, Any], carried: list[dict[str, Any]], cycle_path: Path,
                        year_dir: Path) -> None:
    """Documents of different rule sets never share a folder: a run over some units only, into a
    folder whose other units were made with another cycle file, is refused."""
    other = (before.get("tham_so") or {}).get("params")
    if carried and other and str(other) != str(cycle_path):
        raise TongketError(
            f"Thư mục {year_dir} có văn bản của {len(carried)} đơn vị lập theo tệp tham số khác ({Path(other).name}); "
            f"không ghi lẫn văn bản theo {cycle_path.name} vào đó. Hãy chạy mọi đơn vị (bỏ --huyen) để thay toàn "
            "bộ, hoặc ghi ra thư mục khác (--out).")



def write_manifest(year_dir: Path, nam: int, parameters: dict[str, Any], entries: list[Entry],
                   started: datetime, carried: list[dict[str, Any]] | None = None,
                   inputs: dict[str, Any] | None = None, kit: dict[str, str] | None = None,
                   order: list[str] | None = None, trang_thai: str = DONE, summary: bool = True,
                   versions: dict[str, Any] | None = None, extra: dict[str, Any] | None = None,
                   lines: Lines | None = None, changed: list[Entry] | None = None) -> Path:
    """manifest.json (atomically): the run's state (`trang_thai`: dang_chay while it runs, xong,
    mot_phan where a unit failed or the province's totals leave units out, bi_ngat when stopped),
    parameters, input and template hashes, versions, and one entry per district (those of this
    run, and those an earlier run left when `huyen` named some) and the province, each with the
    SHA-256 of its files and its rule set; with `summary`, its readable copy nhat_ky_chay.xlsx.
    With `lines` (the run's), only the `changed` entries are encoded again (`Lines`)."""
    field_ = lambda u, k: getattr(u, k) if isinstance(u, Entry) else u.get(k)
    reporting: list[Entry | dict[str, Any]] = [*(e for e in entries if e.cap != "tinh"), *(carried or [])]
    if order:
        rank = {c: i for i, c in enumerate(order)}
        reporting.sort(key=lambda u: rank.get(field_(u, "ma_don_vi"), len(rank)))
    province = next((e for e in entries if e.cap == "tinh"), None)
    units = [*reporting, *([province] if province is not None else [])]
    district_lines = (lines or Lines()).of(reporting, changed if lines is not None else None)
    records = [_record(u) for u in reporting] if summary else []  # (only the readable copy reads them)
    doc = {
        "nam": nam,
        "trang_thai": trang_thai,
        "bat_dau": started.isoformat(timespec="seconds"),
        "ket_thuc": datetime.now().isoformat(timespec="seconds"),
        "engine": parameters.get("engine", DEFAULT_ENGINE),
        "tham_so": parameters,
        "phien_ban": kit or audit.kit_version(),
        "git": (versions or {}).get("git") if versions else audit.git_version(),
        "thu_vien": (versions or {}).get("thu_vien") if versions else audit.package_versions(),
        "dau_vao": inputs or {},
        "tong_so": len(units),
        "thanh_cong": sum(field_(u, "status") == "ok" for u in units),
        "khong_doi": sum(bool(field_(u, "skipped")) for u in units),  # of thanh_cong: not run again
        "that_bai": sum(field_(u, "status") == "failed" for u in units),
        "districts": records,  # (encoded from `district_lines`)
        "province": None if province is None else province.record(),
        **(extra or {}),  # the run's signature (batch.unchanged), once every unit is done
    }
    path = write_text(year_dir / MANIFEST, encode(doc, district_lines))
    if summary:
        audit.write_summary(doc, year_dir / SUMMARY)
    return path
