"""The checked workbook stored by reporting unit: read once by the run, loaded by each worker for its
own unit only.

A run reads and types the workbook once; `write_slices` stores, in a folder keyed by the inputs'
hashes, one file per reporting unit holding that unit's rows of every sheet (its subtree) and the
rows outside every reporting unit (the province's), plus one file with everything (for the
province's notebook). A worker given such a file as its ``data`` (`load` recognises the suffix)
holds that unit's rows only, exactly what ``Data.without(every other unit)`` of the whole workbook
would hold: same rows, same order, same issues, same file name in every message.

The files are pandas pickles (column blocks; no new dependency). They are written by the run
itself into its own output folder, under a name that covers the workbook's and the rules' hashes
and the kit's source, so a changed input is never read from a stale file: it has another folder.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..common.files import sha256
from ..common.units import ancestors
from .check import Data

if TYPE_CHECKING:
    from ..rules.params import Cycle

SUFFIX = ".don_vi.pkl"  # a unit's slice; `load` reads it instead of a workbook
ALL = "_toan_bo"  # the slice with every unit (the province's notebook)
RUN = "lan_chay"  # the run's own checked data (with the cycle's checks): a rerun reads no workbook
INDEX = "muc_luc.json"  # written last: a folder without it is incomplete and never used
FORMAT = 2  # 2: typed by check.for_cycle (the ladder, count limit and member scale of the cycle)
CHUNK_MAX = 50


def is_slice(path: str | Path) -> bool:
    """Whether `path` names a unit's slice rather than a workbook."""
    return str(path).endswith(SUFFIX)


def read_slice(path: str | Path) -> Data:
    """The data stored in a slice file."""
    with open(path, "rb") as f:
        data = pickle.load(f)  # written by the run itself, in its own output folder
    if not isinstance(data, Data):
        raise ValueError(f"{path}: không phải dữ liệu đã tách theo đơn vị")
    return data


def owners(d: Data, cap: str) -> dict[str, list[str | None]]:
    """For each sheet, the reporting unit (level `cap`) each row belongs to (None: outside all)."""
    tree = ancestors(d.don_vi.dropna(subset=["ma_don_vi"]))[f"ma_{cap}"]
    out = {}
    for name, frame in (("don_vi", d.don_vi), ("chi_doan", d.chi_doan), ("co_so", d.co_so), *d.optional.items()):
        out[name] = [None if pd.isna(o) else str(o) for o in frame["ma_don_vi"].map(tree)] if len(frame) else []
    return out


def split(d: Data, cap: str, groups: list[list[str]]) -> Iterator[Data]:
    """Each group of reporting units with its own rows and the rows outside every reporting unit
    (as ``d.without(every other unit)``), the rows found in one pass; each group made when it is
    asked for, so that the run holds one group's copy at a time."""
    own = owners(d, cap)
    rows: dict[str, dict[str | None, list[int]]] = {}
    for name, who in own.items():
        by: dict[str | None, list[int]] = {}
        for i, o in enumerate(who):
            by.setdefault(o, []).append(i)
        rows[name] = by
    for group in groups:
        keys = [*group, None]

        def take(name: str, frame: pd.DataFrame, keys: list = keys) -> pd.DataFrame:
            idx = sorted(i for k in keys for i in rows[name].get(k, []))
            return frame.iloc[idx].reset_index(drop=True)

        keep = [i for i in d.issues if i.reporting_unit(cap) in keys]
        yield Data(d.path, take("don_vi", d.don_vi), take("chi_doan", d.chi_doan), take("co_so", d.co_so), keep,
                   {k: take(k, f) for k, f in d.optional.items()}, tuple(d.years))


def chunk_size(n: int) -> int:
    """Reporting units per slice, from their number only (the same inputs give the same slices): a
    quarter of them, at most CHUNK_MAX. A worker loads and assesses each slice once for all its units."""
    return max(1, min(CHUNK_MAX, -(-n // 4)))


def cache_key(parts: object) -> str:
    """The folder name of one set of inputs (the workbook's hash, the rules', the kit's, …)."""
    return sha256(json.dumps([FORMAT, parts], sort_keys=True, default=str).encode())[:32]


def _index(folder: Path) -> dict | None:
    try:
        index = json.loads((folder / INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return index if isinstance(index, dict) and index.get("format") == FORMAT else None


def read_run_data(folder: Path) -> Data | None:
    """The run's own checked data stored in a complete folder (its index read once, every slice
    file there), or None (absent, incomplete, unreadable)."""
    index = _index(folder)
    if index is None or not all((folder / f).is_file() for f in index.get("files", {}).values()):
        return None
    try:
        return read_slice(folder / index[RUN])
    except (OSError, ValueError, KeyError, EOFError, pickle.UnpicklingError, AttributeError, TypeError):
        return None


def slice_files(folder: Path) -> dict[str, Path] | None:
    """Each reporting unit's slice file (and `ALL`'s) in a complete folder, or None."""
    index = _index(folder)
    if index is None:
        return None
    files = {u: folder / f for u, f in index.get("files", {}).items()}
    return files if all(f.is_file() for f in files.values()) else None


def _dump(obj: object, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    with open(tmp, "wb") as f:
        pickle.dump(obj, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


def write_slices(folder: Path, run: Data, worker: Data | None, cap: str, units: list[str],
                 cycle: Cycle) -> dict[str, Path]:
    """Store in `folder` (named by `cache_key`) the run's data, the worker's data by slices of
    `chunk_size` reporting units in their order, and the whole worker's data (`ALL`); remove the
    folders of other inputs beside it (never read again). Returns each unit's slice file. `worker`
    None: `read_for_run` found the slices stored; they are used unless a run of other inputs has
    removed them since (the run reads its data before taking the year folder's lock), and then the
    workbook is read again."""
    if worker is None:
        found = slice_files(folder)
        if found is not None and all(u in found for u in [*units, ALL]):
            return found
        _, worker = _read(cycle)
    if folder.parent.is_dir():
        for old in folder.parent.iterdir():
            shutil.rmtree(old, ignore_errors=True) if old.is_dir() else old.unlink(missing_ok=True)
    folder.mkdir(parents=True, exist_ok=True)
    size = chunk_size(len(units))
    groups = [units[i:i + size] for i in range(0, len(units), size)]
    parts = split(worker, cap, groups)
    files: dict[str, str] = {}
    for n, (group, part) in enumerate(zip(groups, parts)):
        name = f"{n:05d}{SUFFIX}"
        _dump(part, folder / name)
        files |= dict.fromkeys(group, name)
    _dump(worker, folder / f"{ALL}{SUFFIX}")
    _dump(run, folder / f"{RUN}.pkl")
    files[ALL] = f"{ALL}{SUFFIX}"
    tmp = folder / f".{INDEX}.{os.getpid()}"
    tmp.write_text(json.dumps({"format": FORMAT, "cap": cap, RUN: f"{RUN}.pkl", "files": files},
                              ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, folder / INDEX)  # last: a folder without its index is never used
    return {u: folder / f for u, f in files.items()}


def read_for_run(cycle: Cycle, folder: Path | None) -> tuple[Data, Data | None]:
    """The run's checked data, as ``check.for_cycle(cycle)`` gives it, and the data the workers'
    slices are cut from, as ``check.for_cycle(cycle, coverage=False)`` gives it: the workbook read
    and typed once for both (they share their frames). From `folder` where a run with the same
    inputs stored its data and every slice (then None for the workers': their slices are there)."""
    stored = read_run_data(folder) if folder is not None else None
    return (stored, None) if stored is not None else _read(cycle)


def _read(cycle: Cycle) -> tuple[Data, Data]:
    """The workbook read and typed once: the run's data (with the cycle's coverage) and the workers'."""
    from .check import for_cycle, with_coverage
    from .workbook import read_workbook

    raw = read_workbook(cycle.data)
    worker = for_cycle(cycle, raw, coverage=False)
    return with_coverage(worker, raw, cycle), worker
