"""The batch: one notebook per district in worker processes, then the province.

Engines (``tongket.batch.engines``): ``warm`` papermill with one kept kernel per worker (default), plain
``papermill`` (a fresh kernel per district) and ``direct`` (the notebook's code in process). The
runner takes any ``concurrent.futures``-style executor: a local process pool by default, or a
Dask cluster (``scheduler="tcp://…"``). A district whose inputs have not changed since its last
successful run is skipped (``force`` reruns everything, ``huyen`` reruns the districts named).
A district that fails or runs past its time limit is recorded with its Vietnamese error while the
others finish; every file is written to a temporary name and renamed, so a failed run leaves
earlier outputs intact. ``manifest.json`` and ``nhat_ky_chay.xlsx`` are the audit trail.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from tqdm import tqdm

from ..assessment import scoring
from ..common import paths
from ..common.files import plain_name, safe_name, write_text
from ..common.schema import TEN_CAP
from ..documents.catalogue import missing_details
from ..documents.doccheck import WARNING as DOC_WARNING
from ..documents.doccheck import sidecar_warnings as doc_warnings
from ..documents.pdf import soffice, to_pdf
from ..errors import ERROR, DataError, TongketError
from ..intake.check import load, require_year
from ..rules.params import load_cycle
from ..rules.verification import awaiting_in_folder
from . import audit, staging
from .engines import DEFAULT_ENGINE, DEFAULT_TIMEOUT, ENGINES, die_with_parent, run_unit, warm_up

DISTRICT_NOTEBOOK = "bao_cao_huyen.ipynb"
PROVINCE_NOTEBOOK = "bao_cao_tinh.ipynb"
MANIFEST = "manifest.json"
SUMMARY = "nhat_ky_chay.xlsx"
TRIAL_KEY = "thu_nghiem"  # a cycle file saved from the what-if names its trial rule set here
TRIAL_DIR = "thu_nghiem"  # … and renders under out/<nam>/thu_nghiem/<name>/
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


@dataclass
class RunResult:
    """What a run did: the manifest's entries and where it is."""

    nam: int
    out: Path
    entries: list[Entry]
    manifest: Path
    folder: Path | None = None  # the year folder written: out/<nam>, or out/<nam>/thu_nghiem/<name> for trial rules

    def __post_init__(self) -> None:
        if self.folder is None:
            self.folder = self.out / str(self.nam)

    @property
    def exit_code(self) -> int:
        return 0 if all(e.status == "ok" for e in self.entries) else 1

    @property
    def unchanged(self) -> list[Entry]:
        return [e for e in self.entries if e.skipped]

    @property
    def partial(self) -> bool:
        """Whether some unit failed or the province's totals leave units out."""
        return self.exit_code != 0 or any(e.missing_units for e in self.entries)


def run(params: str | Path | None = None, data: str | Path | None = None, nam: int | None = None,
        huyen: list[str] | None = None, jobs: int | None = None, out: str | Path | None = None,
        progress: bool = True, pdf: bool = False, gop_phieu: bool = False, engine: str = DEFAULT_ENGINE,
        force: bool = False, timeout: float = DEFAULT_TIMEOUT, scheduler: str | None = None,
        executor: Executor | None = None, notebooks_dir: str | Path | None = None,
        on_unit: Callable[[Entry, int, int], None] | None = None, start_method: str | None = None,
        cap_bao_cao: str | None = None) -> RunResult:
    """The whole cycle: every reporting unit through its notebook, then the province. The
    reporting units are the districts, or the Đoàn cơ sở when the cycle (or `cap_bao_cao`) says
    `co_so`; same notebook, same outputs layout, `huyen` then names Đoàn cơ sở. With `pdf`,
    every document is also converted to PDF; with `gop_phieu`, each district's assessment sheets
    are also merged into one document. Districts whose inputs are unchanged since their last
    successful run are skipped unless `force` (or named in `huyen`). `on_unit(entry, done, total)`
    is called as each unit finishes (the workbook's progress bar). `start_method` ("spawn") starts
    the local workers afresh: a Jupyter kernel, which has threads, must not be forked."""
    started = datetime.now()
    if engine not in ENGINES:
        raise TongketError(f"Không có bộ chạy «{engine}» (có: {', '.join(ENGINES)})")
    cycle = load_cycle(params, data=data, nam=nam, cap_bao_cao=cap_bao_cao)
    cap = cycle.cap_bao_cao
    if pdf:
        soffice()  # fail before any work when LibreOffice is missing
    d = load(cycle.data, cycle.scale, cycle=cycle)  # with what the cycle reads: columns, and every unit's rows
    require_year(d, cycle.nam)  # (a reporting unit that sent nothing fails alone; a missing column stops the run)
    unplaced = [i for i in d.issues if i.severity == ERROR and i.reporting_unit(cap) is None]
    if unplaced:
        raise DataError(unplaced)
    units = d.don_vi.set_index("ma_don_vi")
    all_huyen = list(units.index[units["cap"] == cap])  # the reporting units, in the workbook's order
    if not all_huyen:
        raise TongketError(f"Dữ liệu không có đơn vị cấp {TEN_CAP[cap]} nào để lập báo cáo "
                           f"(cap_bao_cao: {cap}); kiểm tra cột Cấp của trang don_vi")
    chosen = huyen or all_huyen
    unknown = [h for h in chosen if h not in all_huyen]
    if unknown:
        raise TongketError(f"Không có đơn vị cấp {TEN_CAP[cap]} mã: {', '.join(unknown)} "
                           f"(các mã có: {', '.join(all_huyen)})")
    tinh = str(units.index[units["cap"] == "tinh"][0])
    out_root = paths.resolve(out) if out else paths.OUTPUTS
    trial = trial_name(cycle.path)
    year_dir = out_root / str(cycle.nam)
    if trial:  # rules saved from a what-if never share a folder with the official ones
        year_dir = year_dir / TRIAL_DIR / (plain_name(trial).lower() or "khong_ten")
    for what, p in (("Sổ dữ liệu", cycle.data), ("Tệp tham số", cycle.path)):
        inside = next((u for u in [*chosen, tinh] if Path(p).resolve().is_relative_to(
            (year_dir / safe_name(u)).resolve())), None)
        if inside:  # a unit's folder is replaced whole by the run
            raise TongketError(f"{what} {p} nằm trong thư mục kết quả của đơn vị {inside}, thư mục mà lần chạy "
                               "thay toàn bộ: hãy chép tệp ra chỗ khác hoặc chọn --out khác. Chưa ghi gì.")
    notebooks = Path(notebooks_dir or paths.NOTEBOOKS)
    common = {"params": str(cycle.path), "data": str(cycle.data), "nam": cycle.nam, "out_dir": str(out_root),
              "cap_bao_cao": cap}
    rule_set = {"tep": str(cycle.path), "thu_nghiem": trial}
    entries = {h: Entry(h, str(units.loc[h, "ten_don_vi"]), cap, rule_set=rule_set) for h in chosen}
    province = Entry(tinh, str(units.loc[tinh, "ten_don_vi"]), "tinh", rule_set=rule_set)
    for e in [*entries.values(), province]:
        unit = units.loc[e.ma_don_vi].to_dict() | {"ma_don_vi": e.ma_don_vi}
        parent = units.loc[unit["ma_cap_tren"]].to_dict() if unit.get("ma_cap_tren") in units.index else None
        e.warnings = missing_details(cycle, unit, parent)
    left_out: dict[str, None] = {}
    by_unit, example = scoring.run_warnings(cycle, d.without({i.reporting_unit(cap) for i in d.issues
                                                             if i.severity == ERROR} - {None}, cap), list(entries))
    for h, ws in by_unit.items():  # units whose two scores differ; the example score sheet in use
        entries[h].warnings += ws
    province.warnings += example
    for i in d.issues:
        if i.severity == ERROR and i.reporting_unit(cap) is not None:
            left_out[i.reporting_unit(cap)] = None
        if i.severity == ERROR and i.reporting_unit(cap) in entries:
            e = entries[i.reporting_unit(cap)]
            e.status = "failed"
            e.error = (e.error + "\n" if e.error else "Dữ liệu có lỗi:\n") + str(i)
    # The province's totals leave out the units with errors in their data: say so everywhere.
    province.missing_units = [f"{units.loc[h, 'ten_don_vi']} ({h})" for h in all_huyen if h in left_out]

    # What each unit's documents depend on; units done before with the same inputs are skipped.
    inputs = audit.input_files(cycle, [notebooks / DISTRICT_NOTEBOOK, notebooks / PROVINCE_NOTEBOOK])
    kit = audit.kit_version()
    rows = audit.data_digests(d, cap)
    shared = [{k: v for k, v in inputs.items() if k != "du_lieu"}, kit, common, cycle.nam,
              {"notebook": engine != "direct", "pdf": pdf, "gop_phieu": gop_phieu}]
    wanted = {h: audit.fingerprint(shared, rows.get(h), rows.get(None)) for h in entries}
    wanted[tinh] = audit.fingerprint(shared, sorted(rows.items(), key=lambda kv: kv[0] or ""))
    all_entries = [entries[h] for h in chosen] + [province]
    run_info = {"engine": engine, "executor": "", "force": force, "timeout": timeout, "huyen": huyen or None,
                "jobs": jobs}
    inputs_seen = inputs | {"du_lieu_theo_huyen": {k or tinh: v for k, v in rows.items()}}

    with staging.lock(year_dir):
        previous, before = _previous(year_dir)
        carried = [previous[h] for h in all_huyen if h not in entries and h in previous]
        _refuse_mixed_rules(before, carried, cycle.path, year_dir)
        _skip_unchanged(all_entries, wanted, previous, year_dir,
                        forced={*chosen, tinh} if force else set(huyen or []))
        todo = [h for h in chosen if entries[h].status == "pending"]
        run_province = province.status == "pending"
        jobs = max(1, min(jobs or os.cpu_count() or 1, max(1, len(todo))))
        run_info |= {"executor": f"dask:{scheduler}" if scheduler else ("executor" if executor else f"local:{jobs}"),
                     "jobs": jobs}

        versions = {"git": audit.git_version(), "thu_vien": audit.package_versions()}

        def save(state: str, summary: bool = False) -> Path:
            return write_manifest(year_dir, cycle.nam, common | run_info, all_entries, started, carried=carried,
                                  inputs=inputs_seen, kit=kit, order=all_huyen, trang_thai=state, summary=summary,
                                  versions=versions)

        stage = None
        try:
            if todo or run_province:
                save(RUNNING, summary=True)  # the units about to run are recorded as not done before anything changes
                stage = staging.staging_folder(year_dir)
                _run_units(todo, run_province, entries, province, wanted, year_dir, stage, common, engine,
                           timeout, notebooks, gop_phieu, pdf, jobs, executor, scheduler, start_method, progress,
                           on_unit, save, tinh)
        except BaseException:
            save(INTERRUPTED, summary=True)
            raise
        finally:
            if stage is not None:
                shutil.rmtree(stage, ignore_errors=True)
        for e in all_entries:  # which branches still await their verification result [001 III.2]
            if e.status == "ok":
                e.warnings += awaiting_in_folder(year_dir / safe_name(e.ma_don_vi),
                                                 detail=e is not province or cap != "huyen")
        for e in all_entries:
            if e.status != "ok":
                e.fingerprint = None  # never skipped next time
        partial = any(e.status != "ok" for e in all_entries) or bool(province.missing_units)
        manifest = save(PARTIAL if partial else DONE, summary=True)
    return RunResult(cycle.nam, out_root, all_entries, manifest, year_dir)


def _run_units(todo: list[str], run_province: bool, entries: dict[str, Entry], province: Entry,
               wanted: dict[str, str], year_dir: Path, stage: Path, common: dict[str, Any], engine: str,
               timeout: float, notebooks: Path, gop_phieu: bool, pdf: bool, jobs: int, executor: Executor | None,
               scheduler: str | None, start_method: str | None, progress: bool,
               on_unit: Callable[[Entry, int, int], None] | None, save: Callable[[str], Path], tinh: str) -> None:
    """Run the units in the staging folder; each unit done is put in place whole (after its PDFs,
    with `pdf`), its files hashed, its fingerprint recorded, and the manifest updated."""
    staged = stage / str(common["nam"])  # the notebooks write <out_dir>/<nam>/<unit>
    params = {**common, "out_dir": str(stage)}
    done, total = 0, len(todo) + run_province
    waiting: list[Entry] = []

    def finish(entry: Entry, res: dict[str, Any]) -> None:
        nonlocal done
        folder = staged / safe_name(entry.ma_don_vi)
        _record(entry, res, folder)
        if entry.status == "ok":
            if pdf:
                waiting.append(entry)
            else:
                _publish(entry, folder, year_dir, stage, wanted[entry.ma_don_vi])
        else:
            _keep_failed_notebook(folder, year_dir / safe_name(entry.ma_don_vi))
        save(RUNNING)
        bar.update(1)
        done += 1
        if on_unit:
            on_unit(entry, done, total)

    with _executor(executor, scheduler, jobs, engine, start_method) as pool, tqdm(
            total=total, desc="Lập báo cáo", unit="đơn vị", disable=not progress, file=sys.stderr) as bar:
        task = lambda nb, folder, extra: pool.submit(  # noqa: E731
            run_unit, engine, nb, staged / folder / "bao_cao.ipynb", {**params, **extra}, timeout, notebooks)
        futures: dict[Future, str] = {
            task(DISTRICT_NOTEBOOK, safe_name(h), {"ma_huyen": h, "gop_phieu": gop_phieu}): h for h in todo}
        for fut in as_completed(futures):
            finish(entries[futures[fut]], _outcome(fut))
        if run_province:
            finish(province, _outcome(task(PROVINCE_NOTEBOOK, safe_name(tinh), {})))
    if waiting:
        convert_all(waiting, staged, jobs)
        for e in waiting:
            folder = staged / safe_name(e.ma_don_vi)
            if e.status == "ok":
                _publish(e, folder, year_dir, stage, wanted[e.ma_don_vi])
            else:
                e.files = []
                _keep_failed_notebook(folder, year_dir / safe_name(e.ma_don_vi))
        save(RUNNING)


def _publish(entry: Entry, folder: Path, year_dir: Path, stage: Path, fingerprint: str) -> None:
    """Put a unit's staged folder in place of its old one, whole; then record its files' hashes
    and its fingerprint."""
    for tmp in [p for p in folder.rglob(".*") if p.is_file()]:  # a temporary file is never a result
        tmp.unlink()
    files = staging.listing(folder, folder.parent)
    entry.hashes = staging.hashes(files, folder.parent)
    entry.files = files
    staging.swap(folder, year_dir / folder.name, stage)
    entry.fingerprint = fingerprint


def _keep_failed_notebook(folder: Path, target: Path) -> None:
    """A failed unit keeps its earlier documents (the manifest says they are not this run's); the
    notebook as far as it ran goes beside them as bao_cao_loi.ipynb."""
    for nb in folder.glob("*_loi.ipynb"):
        target.mkdir(parents=True, exist_ok=True)
        os.replace(nb, target / nb.name)


def trial_name(cycle_path: Path) -> str | None:
    """The name of a trial rule set (key `thu_nghiem` of a cycle file saved from the what-if), or None."""
    from ..common.files import read_yaml

    raw = read_yaml(cycle_path, "tệp tham số")
    name = raw.get(TRIAL_KEY) if isinstance(raw, dict) else None
    return str(name).strip() or None if name not in (None, False) else None


def _refuse_mixed_rules(before: dict[str, Any], carried: list[dict[str, Any]], cycle_path: Path,
                        year_dir: Path) -> None:
    """Documents of different rule sets never share a folder: a run over some units only, into a
    folder whose other units were made with another cycle file, is refused."""
    other = (before.get("tham_so") or {}).get("params")
    if carried and other and str(other) != str(cycle_path):
        raise TongketError(
            f"Thư mục {year_dir} có văn bản của {len(carried)} đơn vị lập theo tệp tham số khác ({Path(other).name}); "
            f"không ghi lẫn văn bản theo {cycle_path.name} vào đó. Hãy chạy mọi đơn vị (bỏ --huyen) để thay toàn "
            "bộ, hoặc ghi ra thư mục khác (--out).")


@contextmanager
def _executor(executor: Executor | None, scheduler: str | None, jobs: int, engine: str,
              start_method: str | None = None) -> Iterator[Executor]:
    """The given executor (left open), a Dask cluster's (`scheduler`), or a local process pool whose
    workers warm up (imports, kernel) while the parent goes on."""
    if executor is not None:
        yield executor
    elif scheduler:
        try:
            from distributed import Client
        except ImportError as exc:  # pragma: no cover - distributed is a dependency
            raise TongketError("Cần cài gói distributed để chạy trên cụm Dask") from exc
        try:
            client = Client(scheduler, timeout=30)
        except OSError as exc:
            raise TongketError(f"Không kết nối được bộ điều phối Dask {scheduler}: {exc}") from exc
        try:
            yield client.get_executor(pure=False)
        finally:
            client.close()
    else:
        context = multiprocessing.get_context(start_method) if start_method else None
        pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_warm_up_quietly,
                                   initargs=(engine, os.getpid()))
        try:
            yield pool
        except BaseException:  # Ctrl-C or a bug: stop the workers now (their kernels follow), not after the queue
            for proc in list((getattr(pool, "_processes", None) or {}).values()):
                proc.kill()
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown(wait=True)


def _warm_up_quietly(engine: str, parent: int | None = None) -> None:
    if parent is not None:
        die_with_parent(parent)  # a worker never outlives the run, even one killed with kill -9
    try:
        warm_up(engine)
    except Exception:  # noqa: BLE001 - a failed warm-up is retried, and reported, by the first unit
        pass


def _previous(year_dir: Path) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
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


def _skip_unchanged(entries: list[Entry], wanted: dict[str, str], previous: dict[str, dict[str, Any]],
                    year_dir: Path, forced: set[str]) -> None:
    """Mark as done, without running them again, the units (not `forced`) that the last run
    finished with the same fingerprint and whose files on disk are exactly the ones it recorded
    (same SHA-256, none missing, none added); a unit whose files changed since is run again and
    says which."""
    for e in entries:
        before = previous.get(e.ma_don_vi)
        if not before or before.get("status") != "ok" or not isinstance(before.get("hashes"), dict):
            continue  # never finished, or recorded without hashes: not trusted
        diff = staging.changed(before["hashes"], year_dir / safe_name(e.ma_don_vi), year_dir)
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
        e.warnings = [*e.warnings, *(w for w in before.get("warnings", []) if w.startswith(DOC_WARNING))]
        e.timings = {"seconds": 0.0, "lan_truoc": before.get("timings", {})}


def _outcome(fut: Future) -> dict[str, Any]:
    """A unit's result; a worker that died (killed, out of memory, a lost Dask worker) fails that
    unit, not the run."""
    try:
        return fut.result()
    except Exception as exc:  # noqa: BLE001 - recorded in the manifest, the others go on
        return {"status": "failed", "seconds": 0.0, "stages": {},
                "error": f"Tiến trình chạy đơn vị này bị dừng bất thường ({type(exc).__name__}: {exc})"}


def _record(entry: Entry, res: dict[str, Any], folder: Path) -> None:
    entry.status, entry.error = res["status"], res["error"]
    entry.timings = {"seconds": round(res["seconds"], 2), "stages": res.get("stages", {})}
    if entry.status == "ok":
        entry.warnings = [*entry.warnings, *doc_warnings(folder)]
        entry.files = sorted(p.relative_to(folder.parent).as_posix() for p in folder.rglob("*")
                             if p.is_file() and not p.name.startswith(".") and not p.name.endswith("_loi.ipynb"))


def convert_all(entries: list[Entry], year_dir: Path, jobs: int) -> None:
    """Every document of every unit done (files relative to `year_dir`, the staging folder of a
    run), to PDF; a document that fails marks its unit failed."""
    start = time.perf_counter()
    owner = {}
    for e in entries:
        if e.status == "ok":
            for f in e.files:
                if f.endswith(".docx"):
                    owner[year_dir / f] = e
    results = to_pdf(list(owner), jobs)
    for f, err in results.items():
        e = owner[f]
        if err is None:
            e.files.append(f.with_suffix(".pdf").relative_to(year_dir).as_posix())
        else:
            e.status = "failed"
            e.error = (e.error + "\n" if e.error else "") + f"Không chuyển được sang PDF: {f.name}: {err}"
    seconds = time.perf_counter() - start
    for e in {id(e): e for e in owner.values()}.values():
        e.timings["pdf_seconds_total"] = round(seconds, 2)
        e.files.sort()


def write_manifest(year_dir: Path, nam: int, parameters: dict[str, Any], entries: list[Entry],
                   started: datetime, carried: list[dict[str, Any]] | None = None,
                   inputs: dict[str, Any] | None = None, kit: dict[str, str] | None = None,
                   order: list[str] | None = None, trang_thai: str = DONE, summary: bool = True,
                   versions: dict[str, Any] | None = None) -> Path:
    """manifest.json (atomically): the run's state (`trang_thai`: dang_chay while it runs, xong,
    mot_phan where a unit failed or the province's totals leave units out, bi_ngat when stopped),
    parameters, input and template hashes, versions, and one entry per district (those of this
    run, and those an earlier run left when `huyen` named some) and the province, each with the
    SHA-256 of its files and its rule set; with `summary`, its readable copy nhat_ky_chay.xlsx."""
    districts = [asdict(e) for e in entries if e.cap != "tinh"] + list(carried or [])  # the reporting units
    if order:
        rank = {c: i for i, c in enumerate(order)}
        districts.sort(key=lambda u: rank.get(u["ma_don_vi"], len(rank)))
    units = [*districts, *(asdict(e) for e in entries if e.cap == "tinh")]
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
        "thanh_cong": sum(u["status"] == "ok" for u in units),
        "khong_doi": sum(bool(u.get("skipped")) for u in units),  # of thanh_cong: not run again
        "that_bai": sum(u["status"] == "failed" for u in units),
        "districts": districts,
        "province": next((asdict(e) for e in entries if e.cap == "tinh"), None),
    }
    path = write_text(year_dir / MANIFEST, json.dumps(doc, ensure_ascii=False, indent=2))
    if summary:
        audit.write_summary(doc, year_dir / SUMMARY)
    return path
