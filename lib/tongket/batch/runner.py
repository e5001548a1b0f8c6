"""The batch: one notebook per reporting unit in worker processes, then the province.

Engines (``tongket.batch.engines``): ``warm`` papermill with one kept kernel per worker (default), plain
``papermill`` (a fresh kernel per unit) and ``direct`` (the notebook's code in process). The
runner takes any ``concurrent.futures``-style executor: a local process pool by default, or a
Dask cluster (``scheduler="tcp://…"``). A unit whose inputs have not changed since its last
successful run is skipped (``force`` reruns everything, ``ma_bao_cao`` reruns the units named).
A unit that fails or runs past its time limit is recorded with its Vietnamese error while the
others finish; every file is written to a temporary name and renamed, so a failed run leaves
earlier outputs intact. ``manifest.json`` and ``nhat_ky_chay.xlsx`` are the audit trail.

`run_with` is the recipe: each of its lines is one named step.
"""

from __future__ import annotations

import difflib
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..common.files import file_digest, safe_name
from ..errors import ProblemsFound, TongketError
from ..lazy import lazy_names
from . import aside, audit, staging, unchanged
from .engines import DISTRICT_NOTEBOOK, PROVINCE_NOTEBOOK
from .manifest import (
    DONE,
    INTERRUPTED,
    MANIFEST,
    PARTIAL,
    RUNNING,
    SUMMARY,
    Entry,
    Lines,
    read_previous,
    refuse_mixed_rules,
    skip_unchanged,
    write_manifest,
)
from .options import RunOptions

if TYPE_CHECKING:
    import pandas as pd

    from ..intake.check import Data
    from ..rules.params import Cycle
    from .execute import convert_all, executor_for, record_result

# The assessment, the documents and the executor are imported where a run needs them, not here:
# an unchanged rerun (batch.unchanged) decides from hashes without paying for them.
__getattr__ = lazy_names(__package__, dict.fromkeys(("executor_for", "record_result", "convert_all"), "execute"),
                         globals())  # the executor's names, re-exported here for callers


# Names other modules, tests and benchmarks import from here.
__all__ = ["DISTRICT_NOTEBOOK", "DONE", "INTERRUPTED", "MANIFEST", "PARTIAL", "PROVINCE_NOTEBOOK", "RUNNING",
           "SUMMARY", "Entry", "RunOptions", "RunResult", "executor_for", "record_result", "skip_unchanged", "convert_all",
           "run", "run_with", "trial_name", "write_manifest"]

TRIAL_KEY = "thu_nghiem"  # a cycle file saved from the what-if names its trial rule set here
TRIAL_DIR = staging.TRIAL_DIR  # … and renders under out/<nam>/thu_nghiem/<name>/
SLICES = ".du_lieu_da_doc"  # the workbook read once, by reporting unit, keyed by the inputs' hashes


@dataclass
class RunResult:
    """What a run did: the manifest's entries and where it is."""

    nam: int
    out: Path
    entries: list[Entry]
    manifest: Path
    folder: Path | None = None  # the year folder written: out/<nam>, or out/<nam>/thu_nghiem/<name> for trial rules
    # the units of an earlier run a run of some units only carries into the manifest (records)
    carried: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.folder is None:
            self.folder = self.out / str(self.nam)

    @property
    def exit_code(self) -> int:
        """0 when every unit is done, those carried from an earlier run too (a carried unit whose
        documents no longer match is not: `aside`), else the exit status of a command that found problems (1)."""
        done = all(e.status == "ok" for e in self.entries) and all(c.get("status") == "ok" for c in self.carried)
        return 0 if done else ProblemsFound.exit_code

    @property
    def unchanged(self) -> list[Entry]:
        return [e for e in self.entries if e.skipped]

    @property
    def partial(self) -> bool:
        """Whether some unit failed or the province's totals leave units out."""
        return self.exit_code != 0 or any(e.missing_units for e in self.entries)


@dataclass
class Plan:
    """What a run will do, decided before anything is written: its units, folders and inputs."""

    cycle: Cycle
    data: Data
    units: pd.DataFrame  # the workbook's units, by code
    reporting: list[str]  # every reporting unit of the workbook, in its order
    chosen: list[str]  # those this run makes
    tinh: str
    out_root: Path
    year_dir: Path
    trial: str | None
    notebooks: Path
    entries: dict[str, Entry] = field(default_factory=dict)  # the chosen units', by code
    province: Entry | None = None
    wanted: dict[str, str] = field(default_factory=dict)  # each unit's fingerprint
    sources: dict[str, str] = field(default_factory=dict)  # every reporting unit's `Entry.nguon` now
    carried: list[dict[str, Any]] = field(default_factory=list)  # earlier runs' units this one does not run
    inputs: dict[str, Any] = field(default_factory=dict)  # the inputs' hashes, for the manifest
    kit: dict[str, str] = field(default_factory=dict)
    worker: Any = None  # the data the workers' slices are cut from (None: the slices are stored)
    store: Path | None = None  # where the data read once is stored by reporting unit (intake.slices)

    @property
    def cap(self) -> str:
        return self.cycle.cap_bao_cao

    @property
    def common(self) -> dict[str, Any]:
        """The notebooks' parameters shared by every unit (also the manifest's tham_so)."""
        return {"params": str(self.cycle.path), "data": str(self.cycle.data), "nam": self.cycle.nam,
                "out_dir": str(self.out_root), "cap_bao_cao": self.cap}

    @property
    def all_entries(self) -> list[Entry]:
        """The chosen units' entries in the workbook's order, then the province's."""
        assert self.province is not None
        return [self.entries[h] for h in self.chosen] + [self.province]


def run(*args: Any, **kwargs: Any) -> RunResult:
    """The whole cycle: every reporting unit through its notebook, then the province. Takes the
    fields of `RunOptions` (positionally in its order, or by keyword); `huyen=` is the deprecated
    name of `ma_bao_cao=`. The reporting units are the districts, or the Đoàn cơ sở when the cycle
    (or `cap_bao_cao`) says `co_so`; same notebook, same outputs layout. With `pdf`, every document
    is also converted to PDF; with `gop_phieu`, each unit's assessment sheets are also merged into
    one document. Units whose inputs are unchanged since their last successful run are skipped
    unless `force` (or named in `ma_bao_cao`). `on_unit(entry, done, total)` is called as each unit
    finishes (the workbook's progress bar). `start_method` ("spawn") starts the local workers afresh:
    a Jupyter kernel, which has threads, must not be forked."""
    return run_with(RunOptions.of(*args, **kwargs))


def run_with(o: RunOptions) -> RunResult:
    """The run, as a recipe of named steps."""
    started = datetime.now()
    same = unchanged.rerun_if_unchanged(o, started)  # nothing changed since the last whole run: decided from hashes
    if same is not None:
        return RunResult(*same)
    plan = select_units(o)  # the cycle, its checked data, the reporting units chosen, the folders
    refuse_inputs_inside(plan)  # a unit's folder is replaced whole: the inputs must not be in one
    open_entries(plan)  # one manifest entry per unit, with the details its documents lack
    attribute_data_errors(plan)  # a unit with errors in its data fails alone; score warnings to their unit
    warn_data_checks(plan)  # the data check's warnings on each unit's rows, as `tongket check` lists them
    warn_unlike_years(plan)  # units whose documents make no difference with the year before, and why
    fingerprint_units(plan, o)  # what each unit's documents depend on
    with staging.lock(plan.year_dir):
        manifest = execute(plan, o, started)  # skip the unchanged, run the rest, record as they finish
    return RunResult(plan.cycle.nam, plan.out_root, plan.all_entries, manifest, plan.year_dir, plan.carried)


def select_units(o: RunOptions) -> Plan:
    """The cycle and its data, checked (whole-run errors raise), and the reporting units to run."""
    from ..common import paths
    from ..common.schema import TEN_CAP
    from ..documents.pdf import soffice
    from ..errors import ERROR, DataError
    from ..intake import slices
    from ..intake.check import require_year
    from ..rules.params import load_cycle

    cycle = load_cycle(o.params, data=o.data, nam=o.nam, cap_bao_cao=o.cap_bao_cao)
    cap = cycle.cap_bao_cao
    if o.pdf:
        soffice()  # fail before any work when LibreOffice is missing
    out_root, year_dir, trial = unchanged.year_folder(cycle, o.out)
    notebooks = Path(o.notebooks_dir or paths.NOTEBOOKS)
    inputs = audit.input_files(cycle, [notebooks / DISTRICT_NOTEBOOK, notebooks / PROVINCE_NOTEBOOK])
    kit = audit.kit_version()
    store = year_dir / SLICES / slices.cache_key([inputs, kit["source"], cycle.nam, cap])
    # with what the cycle reads (columns, every unit's rows): stored by the last run of the same inputs, or read
    d, worker = slices.read_for_run(cycle, store)
    require_year(d, cycle.nam)  # (a reporting unit that sent nothing fails alone; a missing column stops the run)
    unplaced = [i for i in d.issues if i.severity == ERROR and i.reporting_unit(cap) is None]
    if unplaced:
        raise DataError(unplaced)
    units = d.don_vi.set_index("ma_don_vi")
    reporting = list(units.index[units["cap"] == cap])  # the reporting units, in the workbook's order
    if not reporting:
        raise TongketError(f"Dữ liệu không có đơn vị cấp {TEN_CAP[cap]} nào để lập báo cáo "
                           f"(cap_bao_cao: {cap}); kiểm tra cột Cấp của trang don_vi")
    chosen = list(o.ma_bao_cao or reporting)
    unknown = [h for h in chosen if h not in reporting]
    if unknown:
        raise TongketError(f"Không có đơn vị cấp {TEN_CAP[cap]} mã: {', '.join(unknown)} ({known_codes(unknown, reporting)})")
    return Plan(cycle, d, units, reporting, chosen, str(units.index[units["cap"] == "tinh"][0]), out_root,
                year_dir, trial, notebooks, inputs=inputs, kit=kit, worker=worker, store=store)


def known_codes(unknown: list[str], reporting: list[str], shown: int = 12) -> str:
    """What an unknown code's message lists: every code when they are few; else how many there are,
    the codes that look like each unknown one, and where the full list is (a province has hundreds)."""
    if len(reporting) <= shown:
        return f"các mã có: {', '.join(reporting)}"
    near = list(dict.fromkeys(c for u in unknown for c in difflib.get_close_matches(u, reporting, n=3, cutoff=0.6)))
    return (f"có {len(reporting)} mã" + (f"; gần giống: {', '.join(near[:shown])}" if near else "")
            + "; danh sách đầy đủ ở trang don_vi của sổ dữ liệu")


def refuse_inputs_inside(plan: Plan) -> None:
    """Refuse a data workbook or cycle file inside a folder the run replaces whole."""
    for what, p in (("Sổ dữ liệu", plan.cycle.data), ("Tệp tham số", plan.cycle.path)):
        inside = next((u for u in [*plan.chosen, plan.tinh] if Path(p).resolve().is_relative_to(
            (plan.year_dir / safe_name(u)).resolve())), None)
        if inside:  # a unit's folder is replaced whole by the run
            raise TongketError(f"{what} {p} nằm trong thư mục kết quả của đơn vị {inside}, thư mục mà lần chạy "
                               "thay toàn bộ: hãy chép tệp ra chỗ khác hoặc chọn --out khác. Chưa ghi gì.")


def _details(plan: Plan, e: Entry, written: set[str]) -> list[str]:
    """The details entry `e`'s documents lack, the optional documents counted where `written`."""
    from ..documents.catalogue import missing_details

    units = plan.units
    unit = units.loc[e.ma_don_vi].to_dict() | {"ma_don_vi": e.ma_don_vi}
    parent = units.loc[unit["ma_cap_tren"]].to_dict() if unit.get("ma_cap_tren") in units.index else None
    return missing_details(plan.cycle, unit, parent, written=written)


def open_entries(plan: Plan) -> None:
    """One entry per chosen unit and the province, warned of the document details the data lack."""
    units, cap = plan.units, plan.cap
    rule_set = {"tep": str(plan.cycle.path), "thu_nghiem": plan.trial}
    plan.entries = {h: Entry(h, str(units.loc[h, "ten_don_vi"]), cap, rule_set=rule_set) for h in plan.chosen}
    plan.province = Entry(plan.tinh, str(units.loc[plan.tinh, "ten_don_vi"]), "tinh", rule_set=rule_set)
    for e in plan.all_entries:
        e.warnings = _details(plan, e, set())  # the optional documents are named once written (execute)


def attribute_data_errors(plan: Plan) -> None:
    """Each data error fails the reporting unit its row belongs to (the others run); the province's
    totals leave those units out and say so; the score warnings go to their units."""
    from ..assessment import scoring
    from ..assessment.review import nothing_to_sum
    from ..common.schema import TEN_CAP
    from ..errors import ERROR
    from ..rules.periods import unmapped_warnings

    cap, entries, province = plan.cap, plan.entries, plan.province
    assert province is not None
    failing = [(u, i) for i in plan.data.issues if i.severity == ERROR and (u := i.reporting_unit(cap)) is not None]
    left_out = dict.fromkeys(u for u, _ in failing)
    by_unit, example = scoring.run_warnings(plan.cycle, plan.data.without(set(left_out), cap), list(entries))
    for h, ws in by_unit.items():  # units whose two scores differ; the example score sheet in use
        entries[h].warnings += ws
    province.warnings += example
    province.warnings += unmapped_warnings(plan.cycle.scale, plan.data.years)  # once per run (contract §6.3)
    for u, i in failing:
        if u in entries:
            e = entries[u]
            e.status = "failed"
            e.error = (e.error + "\n" if e.error else "Dữ liệu có lỗi:\n") + str(i)
    # The province's totals leave out the units with errors in their data: say so everywhere.
    province.missing_units = [f"{plan.units.loc[h, 'ten_don_vi']} ({h})" for h in plan.reporting if h in left_out]
    if nothing_to_sum(plan.reporting, left_out):  # its notebook would refuse too (open_review): not started
        province.status = "failed"
        province.error = (f"Chưa lập văn bản tổng hợp của tỉnh: {TEN_CAP[cap]} nào cũng có lỗi trong dữ liệu (lỗi "
                          f"ghi ở từng {TEN_CAP[cap]}), không còn số liệu nào để tổng hợp. Sửa các lỗi đó rồi chạy lại.")


SHOWN_CHECKS = 10  # the data check's warnings a unit's entry quotes; the rest are counted


def warn_data_checks(plan: Plan) -> None:
    """The data check's warnings (suspicious figures, rows missing for the year, late registrations)
    on each unit's entry, quoted as `tongket check` prints them: the documents use the figures as
    typed, so whoever signs them must see what the check doubted. Warnings on no unit go to the province."""
    from ..common.vietnamese import so
    from ..errors import WARNING

    assert plan.province is not None
    mine: dict[str, list[str]] = {}
    for i in plan.data.issues:
        u = i.reporting_unit(plan.cap) if i.severity == WARNING else ""
        if u is None or u in plan.entries:  # a unit not in this run: its own run says it
            mine.setdefault(u or plan.province.ma_don_vi, []).append(str(i).removeprefix(f"[{WARNING}] "))
    command = "tongket check " + " --params ".join(f'"{p}"' if " " in str(p) else str(p)
                                                   for p in (plan.cycle.data, plan.cycle.path))
    for e in plan.all_entries:
        ws = mine.get(e.ma_don_vi, [])
        if ws:
            more = len(ws) - SHOWN_CHECKS
            e.warnings += [f"Kiểm tra sổ dữ liệu có {so(len(ws))} cảnh báo về số liệu của đơn vị; văn bản dùng số liệu "
                           f"như đã nhập, hãy đối chiếu lại với đơn vị (danh sách đầy đủ: {command}):",
                           *(f"  – {w}" for w in ws[:SHOWN_CHECKS]),
                           *([f"  – và {so(more)} cảnh báo khác"] if more > 0 else [])]


def warn_unlike_years(plan: Plan) -> None:
    """A warning on each unit (and the province) whose two years' totals are not over the same Đoàn
    cơ sở (`compare.unlike_scope`, read from the workbook's rows as the workers' assessment reads
    them): its documents name them and say no rise nor fall of a total."""
    from ..assessment.compare import presence, unlike_scope
    from ..common.units import ancestors
    from ..documents.narrative import pham_vi

    d, nam, cap = plan.data, plan.cycle.nam, plan.cap
    tree = ancestors(d.don_vi.dropna(subset=["ma_don_vi"]))
    branches = d.chi_doan[["ma_don_vi", "nam"]].join(tree[["ma_co_so"]], on="ma_don_vi")
    gaps = unlike_scope(presence(branches.assign(co_so_lieu=True), d.co_so[["ma_don_vi", "nam"]].assign(
        chua_gui_so_lieu=False)), nam)
    if not any(gaps):
        return
    owner, names = tree[f"ma_{cap}"], plan.units["ten_don_vi"]
    assert plan.province is not None
    for e in [*plan.entries.values(), plan.province]:
        if cap == "co_so" and e is not plan.province:  # a Đoàn cơ sở on its own: its own year before, said
            continue
        mine = [[str(names.get(c, c)) for c in g if e is plan.province or owner.get(c) == e.ma_don_vi] for g in gaps]
        scope = pham_vi((mine[0], mine[1]), nam)
        if scope:
            e.warnings.append(f"Văn bản không nêu tăng, giảm so với năm {nam - 1}: {scope}")


def fingerprint_units(plan: Plan, o: RunOptions) -> None:
    """What each unit's documents depend on (inputs, templates, the kit, its own rows, the options
    that change its files): units done before with the same fingerprint are skipped."""
    inputs = plan.inputs  # hashed once (select_units), also the key of the stored data
    rows = audit.data_digests(plan.data, plan.cap)
    shared = [{k: v for k, v in inputs.items() if k != "du_lieu"}, plan.kit, plan.common, plan.cycle.nam,
              unchanged.files_options(o)]
    plan.wanted = {h: audit.fingerprint(shared, rows.get(h), rows.get(None)) for h in plan.entries}
    plan.wanted[plan.tinh] = audit.fingerprint(shared, sorted(rows.items(), key=lambda kv: kv[0] or ""))
    # What the documents say depends on, by content: not the files' paths (a workbook saved under a new
    # name is the same data), nor the options that only add files (PDFs, merged sheets).
    said = [{k: sorted(v.values()) for k, v in inputs.items() if k != "du_lieu"}, plan.kit, plan.cycle.nam, plan.cap]
    plan.sources = {h: audit.fingerprint(said, rows.get(h), rows.get(None)) for h in plan.reporting}
    plan.inputs = inputs | {"du_lieu_theo_huyen": {k or plan.tinh: v for k, v in rows.items()}}


def execute(plan: Plan, o: RunOptions, started: datetime) -> Path:
    """Under the year folder's lock: skip the unchanged units, run the others in a staging folder
    (the manifest says dang_chay, then bi_ngat if stopped), then record the outcome."""
    previous, before = read_previous(plan.year_dir)
    carried = plan.carried = [previous[h] for h in plan.reporting if h not in plan.entries and h in previous]
    refuse_mixed_rules(before, carried, plan.cycle.path, plan.year_dir)
    skip_unchanged(plan.all_entries, plan.wanted, previous, plan.year_dir,
                   forced={*plan.chosen, plan.tinh} if o.force else set(o.ma_bao_cao or []),
                   stats=(before.get(unchanged.SIGNATURE) or {}).get("tep"))  # files not rewritten are not reread
    todo = [h for h in plan.chosen if plan.entries[h].status == "pending"]
    assert plan.province is not None
    units = len(todo) + (plan.province.status == "pending")  # those that run, at most `jobs` at once
    jobs = max(1, min(o.jobs or os.cpu_count() or 1, units))
    executor = f"dask:{o.scheduler}" if o.scheduler else ("executor" if o.executor else f"local:{jobs}")
    run_info = {"engine": o.engine, "executor": executor, "force": o.force, "timeout": o.timeout,
                "huyen": list(o.ma_bao_cao or []) or None, "jobs": jobs}  # manifest keys: a contract, never renamed
    versions = {"git": audit.git_version(), "thu_vien": audit.package_versions()}

    lines = Lines()  # the units' lines as last written: a save after one unit encodes that unit alone

    def save(state: str, summary: bool = False, extra: dict[str, Any] | None = None,
             changed: list[Entry] | None = None) -> Path:
        return write_manifest(plan.year_dir, plan.cycle.nam, plan.common | run_info, plan.all_entries, started,
                              carried=carried, inputs=plan.inputs, kit=plan.kit, order=plan.reporting,
                              trang_thai=state, summary=summary, versions=versions, extra=extra,
                              lines=lines, changed=changed)

    _run_in_stage(plan, o, todo, jobs, save)
    aside.set_aside_stale(plan, previous, carried, started)
    return finish(plan, o, save, carried)


def _run_in_stage(plan: Plan, o: RunOptions, todo: list[str], jobs: int, save: Callable[..., Path]) -> None:
    """Run the units to do in a staging folder, removed afterwards whatever happens."""
    from .execute import Batch, run_units, start_workers_server

    assert plan.province is not None
    run_province = plan.province.status == "pending"
    stage = None
    try:
        if todo or run_province:
            save(RUNNING, summary=True)  # the units about to run are recorded as not done before anything changes
            stage = staging.staging_folder(plan.year_dir)
            start_workers_server(o)  # its imports overlap the slices written below
            run_units(Batch(o, todo, plan.entries, plan.province, run_province, plan.wanted, plan.year_dir, stage,
                            plan.common, plan.notebooks, jobs, save, details=lambda e, w: _details(plan, e, w),
                            data=unit_slices(plan)))
    except BaseException:
        if stage is not None:  # first: on a full disk, its files are the room the manifest needs
            shutil.rmtree(stage, ignore_errors=True)
            stage = None
        try:
            save(INTERRUPTED, summary=True)
        except OSError:  # still no room: the manifest stays «dang_chay» (unfinished); the first error is said
            pass
        raise
    finally:
        if stage is not None:
            shutil.rmtree(stage, ignore_errors=True)


def unit_slices(plan: Plan) -> dict[str, str]:
    """Each unit's data file for its worker: the workbook read once, stored by slices of units
    (each worker then holds only its own units' rows; the province's notebook gets them all)."""
    from ..intake import slices

    assert plan.store is not None
    worker, plan.worker = plan.worker, None  # held by the slices alone, cut one at a time
    files = slices.write_slices(plan.store, plan.data, worker, plan.cap, plan.reporting, plan.cycle)
    return {u: str(f) for u, f in files.items() if u in plan.chosen} | {plan.tinh: str(files[slices.ALL])}


def finish(plan: Plan, o: RunOptions, save: Callable[..., Path], carried: list[dict[str, Any]] | None = None) -> Path:
    """The units done warn of branches still awaiting verification; a unit not done is never
    skipped next time, nor warns of blanks in documents it did not write; the manifest's final
    state (with the run's signature when every unit is done)."""
    from ..rules.verification import awaiting_in_folder

    for e in plan.all_entries:  # which branches still await their verification result [001 III.2]
        if e.status == "ok":
            e.warnings += awaiting_in_folder(plan.year_dir / safe_name(e.ma_don_vi),
                                             detail=e is not plan.province or plan.cap != "huyen")
    for e in plan.all_entries:
        if e.status != "ok":
            e.fingerprint = None  # never skipped next time
            unwritten = set(_details(plan, e, set()))  # no document of it written: no blank in one to warn of
            e.warnings = [w for w in e.warnings if w not in unwritten]
    assert plan.province is not None
    for e in plan.entries.values():  # what its documents now on disk were made from (a later partial run checks)
        if e.status == "ok":
            e.nguon = plan.sources.get(e.ma_don_vi)
    partial = any(e.status != "ok" for e in plan.all_entries) or bool(plan.province.missing_units) or \
        any(c.get("status") != "ok" for c in carried or [])
    if partial:
        return save(PARTIAL, summary=True)
    data_sha = next(iter(plan.inputs.get("du_lieu", {}).values()), None) or file_digest(plan.cycle.data)
    key = unchanged.run_key(plan.inputs, data_sha, plan.kit, plan.common, unchanged.files_options(o),
                            list(o.ma_bao_cao or []) or None)
    sig = unchanged.signature(key, Path(plan.cycle.data), data_sha, plan.all_entries, plan.year_dir)
    return save(DONE, summary=True, extra={unchanged.SIGNATURE: sig})


def trial_name(cycle_path: Path) -> str | None:
    """The name of a trial rule set (key `thu_nghiem` of a cycle file saved from the what-if), or None."""
    from ..common.files import read_yaml

    raw = read_yaml(cycle_path, "tệp tham số")
    name = raw.get(TRIAL_KEY) if isinstance(raw, dict) else None
    return str(name).strip() or None if name not in (None, False) else None
