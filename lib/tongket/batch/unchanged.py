"""An unchanged rerun, decided from hashes alone: no workbook read, no assessment, no rendering.

A run that ends with every unit done records in manifest.json (key ``dau_hieu_lan_chay``) one key
over everything its documents depend on (the workbook's, rules', templates' and notebooks' hashes,
the kit's source, the parameters and the options that change files) and the size, times and inode
of every file it left. The next run over every unit, with nothing forced, compares: the same key,
and every unit folder holding exactly the recorded files with the recorded stats (a write changes
a file's ctime, which no program can set back) → every unit is «không đổi» and the run only
rewrites its manifest. Anything else (an input changed, a file touched, added or removed, the last
run partial) goes the full way, which decides unit by unit. The cost grows with the number of
units and files, not with their data: the workbook is hashed only when its stat changed.

Deliberately light: it imports neither the assessment nor the documents.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..common.files import file_digest, safe_name
from ..errors import reading_inputs
from . import audit, staging
from .manifest import DONE, Entry, read_previous, write_manifest

if TYPE_CHECKING:
    from ..rules.params import Cycle
    from .options import RunOptions

SIGNATURE = "dau_hieu_lan_chay"  # manifest.json key: the run's key and its files' stats


stat_of = staging.stat_of  # size, mtime, ctime, inode


def data_digest(path: Path, recorded: dict[str, Any] | None) -> str:
    """The workbook's SHA-256: the recorded one while its stat is the recorded one, else read."""
    if recorded and recorded.get("stat") == stat_of(path) and recorded.get("sha256"):
        return str(recorded["sha256"])
    with reading_inputs():
        return file_digest(path)


def run_key(inputs: dict[str, Any], data_sha: str, kit: dict[str, str], common: dict[str, Any],
            files_options: dict[str, Any], huyen: list[str] | None) -> str:
    """One key over everything a whole run's documents depend on."""
    other = {k: v for k, v in inputs.items() if k not in ("du_lieu", "du_lieu_theo_huyen")}
    return audit.fingerprint(other, data_sha, kit.get("version"), kit.get("source"), common, files_options, huyen)


def files_options(o: RunOptions) -> dict[str, Any]:
    """The options that change a unit's files (as the units' fingerprints count them)."""
    return {"notebook": o.engine != "direct", "pdf": o.pdf, "gop_phieu": o.gop_phieu}


def signature(key: str, data: Path, data_sha: str, entries: list[Entry], year_dir: Path) -> dict[str, Any]:
    """What manifest.json records for the next run to compare: the key, the workbook's stat and
    hash, and every file's stat."""
    files = {f: stat_of(year_dir / f) for e in entries if e.status == "ok" for f in e.files
             if (year_dir / f).is_file()}
    return {"khoa": key, "du_lieu": {"stat": stat_of(data), "sha256": data_sha}, "tep": files}


def _same_files(units: list[dict[str, Any]], recorded: dict[str, list[int]], year_dir: Path) -> bool:
    """Whether every unit's folder holds exactly its recorded files, with their recorded stats."""
    for u in units:
        folder = year_dir / safe_name(u["ma_don_vi"])
        listed = staging.listing(folder, year_dir) if folder.is_dir() else []
        if sorted(listed) != sorted(u.get("files", [])) or sorted(u.get("hashes", {})) != sorted(listed):
            return False
        for f in listed:
            if recorded.get(f) != stat_of(year_dir / f):
                return False
    return True


def _entry(u: dict[str, Any]) -> Entry:
    """A unit of the last run, done again without running: not run, nothing changed."""
    known = {f.name for f in fields(Entry)}
    e = Entry(**{k: v for k, v in u.items() if k in known})
    before = u.get("timings") or {}
    e.skipped = True
    e.timings = {"seconds": 0.0, "lan_truoc": before.get("lan_truoc", before) if u.get("skipped") else before}
    return e


def year_folder(cycle: Cycle, out: str | Path | None) -> tuple[Path, Path, str | None]:
    """The output root, the year folder of the cycle (a trial rule set's own folder) and the trial's name."""
    from ..common import paths
    from ..common.files import plain_name
    from .runner import TRIAL_DIR, trial_name

    out_root = paths.resolve(out) if out else paths.OUTPUTS
    trial = trial_name(cycle.path)
    year_dir = out_root / str(cycle.nam)
    if trial:  # rules saved from a what-if never share a folder with the official ones
        year_dir = year_dir / TRIAL_DIR / (plain_name(trial).lower() or "khong_ten")
    return out_root, year_dir, trial


def rerun_if_unchanged(o: RunOptions, started: datetime) -> tuple[Any, ...] | None:
    """When nothing changed since the last complete run over every unit: its entries marked
    «không đổi», the manifest rewritten, and (nam, out_root, entries, manifest, year_dir); else None."""
    if o.force or o.ma_bao_cao:
        return None
    from ..common import paths
    from ..rules.params import load_cycle
    from .runner import DISTRICT_NOTEBOOK, PROVINCE_NOTEBOOK

    cycle = load_cycle(o.params, data=o.data, nam=o.nam, cap_bao_cao=o.cap_bao_cao)
    out_root, year_dir, _ = year_folder(cycle, o.out)
    previous, before = read_previous(year_dir)
    sig = before.get(SIGNATURE)
    if before.get("trang_thai") != DONE or not isinstance(sig, dict) or not Path(cycle.data).is_file():
        return None
    units = [*before.get("districts", []), *([before["province"]] if before.get("province") else [])]
    if not units or any(u.get("status") != "ok" or u.get("missing_units") or not isinstance(u.get("hashes"), dict)
                        for u in units):
        return None
    notebooks = Path(o.notebooks_dir or paths.NOTEBOOKS)
    inputs = audit.input_files(cycle, [notebooks / DISTRICT_NOTEBOOK, notebooks / PROVINCE_NOTEBOOK], data=False)
    data_sha = data_digest(Path(cycle.data), sig.get("du_lieu"))
    common = {"params": str(cycle.path), "data": str(cycle.data), "nam": cycle.nam, "out_dir": str(out_root),
              "cap_bao_cao": cycle.cap_bao_cao}
    kit = audit.kit_version()
    key = run_key(inputs, data_sha, kit, common, files_options(o), None)
    with staging.lock(year_dir):
        previous, before = read_previous(year_dir)  # again, under the lock: the folder is ours now
        units = [*before.get("districts", []), *([before["province"]] if before.get("province") else [])]
        sig = before.get(SIGNATURE) or {}
        if (before.get("trang_thai") != DONE or sig.get("khoa") != key
                or not _same_files(units, sig.get("tep") or {}, year_dir)):
            return None
        entries = [_entry(u) for u in units]
        run_info = {"engine": o.engine, "executor": f"dask:{o.scheduler}" if o.scheduler else (
            "executor" if o.executor else "local:1"), "force": False, "timeout": o.timeout, "huyen": None, "jobs": 1}
        manifest = write_manifest(year_dir, cycle.nam, common | run_info, entries, started,
                                  inputs=before.get("dau_vao") or {}, kit=kit, trang_thai=DONE, summary=True,
                                  versions={"git": before.get("git"), "thu_vien": before.get("thu_vien")},
                                  extra={SIGNATURE: sig | {"du_lieu": {"stat": stat_of(Path(cycle.data)),
                                                                       "sha256": data_sha}}})
    return cycle.nam, out_root, entries, manifest, year_dir
