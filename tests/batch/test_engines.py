"""The batch at scale: the three engines write the same documents, a Dask cluster writes what the
local pool writes, unchanged districts are skipped, a hanging district is stopped alone, and the
audit trail records what went in. Real papermill runs of the real notebooks, real kernels."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

import nbformat
import openpyxl
import pytest

from conftest import ROOT, copy_sample
from tongket.batch import audit
from tongket.batch.engines import stages
from tongket.batch.runner import run
from tongket.common import files
from tongket.intake.check import load
from tongket.rules.params import load_cycle

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("batch")]
SMALL = ["ST05", "ST06"]  # the two smallest districts: 9 and 10 Đoàn cơ sở


def _digests(year_dir, units) -> dict[str, str]:
    """Every document, workbook and chart of `units`, by path (PDFs and the run's logs aside)."""
    out = {}
    for u in units:
        for p in (year_dir / u).rglob("*"):
            if p.suffix in (".docx", ".xlsx", ".png"):
                out[str(p.relative_to(year_dir))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def test_direct_engine_writes_the_same_documents_as_the_warm_kernels(sample_run, tmp_path):
    direct = run(ma_bao_cao=SMALL, out=tmp_path, progress=False, gop_phieu=True, engine="direct", jobs=2)
    assert direct.exit_code == 0
    expected = _digests(sample_run.out / "2021", [*SMALL, "ST"])
    got = _digests(tmp_path / "2021", [*SMALL, "ST"])
    assert len(expected) > 40 and got == expected
    assert not (tmp_path / "2021/ST05/bao_cao.ipynb").exists()  # direct writes no executed notebook
    m = json.loads(direct.manifest.read_text(encoding="utf-8"))
    assert m["engine"] == "direct" and m["tham_so"]["engine"] == "direct"
    st05 = next(d for d in m["districts"] if d["ma_don_vi"] == "ST05")
    assert {"Kiểm tra dữ liệu và đánh giá", "Biểu đồ", "Ghi các văn bản, phụ lục và biểu đồ"} <= set(
        st05["timings"]["stages"])


def test_warm_kernels_give_each_district_a_clean_notebook(sample_run):
    """Two workers ran seven notebooks: every executed notebook counts its cells from 1 and has
    no error, so each district started from a reset namespace."""
    for unit in ["ST01", "ST02", "ST03", "ST04", "ST05", "ST06", "ST"]:
        nb = nbformat.read(sample_run.out / "2021" / unit / "bao_cao.ipynb", as_version=4)
        counts = [c.execution_count for c in nb.cells if c.cell_type == "code"]
        assert counts == list(range(1, len(counts) + 1)), unit
        assert not [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]


def test_dask_local_cluster_writes_what_the_local_pool_writes(sample_run, tmp_path):
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      host="127.0.0.1") as cluster:
        result = run(ma_bao_cao=SMALL, out=tmp_path, progress=False, gop_phieu=True, scheduler=cluster.scheduler_address)
    assert result.exit_code == 0, [e.error for e in result.entries]
    assert _digests(tmp_path / "2021", [*SMALL, "ST"]) == _digests(sample_run.out / "2021", [*SMALL, "ST"])
    m = json.loads(result.manifest.read_text(encoding="utf-8"))
    assert m["tham_so"]["executor"].startswith("dask:tcp://127.0.0.1:")
    nb = nbformat.read(tmp_path / "2021/ST05/bao_cao.ipynb", as_version=4)
    assert 'ma_bao_cao = "ST05"' in "".join(c.source for c in nb.cells)


def _edit_branch(path, code: str, column_label: str, value) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb["chi_doan"]
    header = [c.value for c in ws[1]]
    col = header.index(column_label) + 1
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == code and ws.cell(r, 2).value == 2021)
    ws.cell(row, col).value = value
    wb.save(path)


def test_unchanged_districts_are_skipped_and_a_changed_one_reruns_alone(tmp_path):
    data = copy_sample(tmp_path)
    out = tmp_path / "out"
    first = run(data=data, out=out, progress=False, engine="direct", jobs=2)
    assert first.exit_code == 0 and not first.unchanged
    st06_doc = out / "2021/ST06/bao_cao_tong_ket.docx"
    stamp = st06_doc.stat().st_mtime_ns

    # Nothing changed: the CLI says so for every unit, in seconds, and rewrites nothing.
    cli = [os.path.join(os.path.dirname(sys.executable), "tongket"), "run", "--data", str(data), "--out", str(out),
           "--engine", "direct"]
    again = subprocess.run(cli, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert "[không đổi] Huyện Đoàn Đông Hòa (ST05) — bỏ qua" in again.stdout and "[xong]" not in again.stdout
    assert "Hoàn thành 7/7 đơn vị (7 đơn vị không đổi, bỏ qua; --force để chạy lại)." in again.stdout
    m = json.loads((out / "2021/manifest.json").read_text(encoding="utf-8"))
    assert (m["khong_doi"], m["thanh_cong"], m["that_bai"]) == (7, 7, 0)  # all good, none run again
    assert {d["status"] for d in m["districts"]} == {"ok"} and all(d["skipped"] for d in m["districts"])
    assert st06_doc.stat().st_mtime_ns == stamp

    # One branch of ST05 changes: ST05 and the province rerun, no other district does.
    _edit_branch(data, "ST05.01.01", "Số lần sinh hoạt", 3)
    third = run(data=data, out=out, progress=False, engine="direct", jobs=2)
    assert {e.status for e in third.entries} == {"ok"}
    assert [e.ma_don_vi for e in third.entries if not e.skipped] == ["ST05", "ST"]
    assert st06_doc.stat().st_mtime_ns == stamp

    # --huyen reruns the districts named; --force reruns the province too.
    named = run(data=data, ma_bao_cao=["ST06"], out=out, progress=False, engine="direct")
    assert {e.ma_don_vi: e.skipped for e in named.entries} == {"ST06": False, "ST": True}
    assert st06_doc.stat().st_mtime_ns != stamp
    forced = run(data=data, ma_bao_cao=["ST06"], out=out, progress=False, engine="direct", force=True)
    assert {(e.status, e.skipped) for e in forced.entries} == {("ok", False)}
    m = json.loads(forced.manifest.read_text(encoding="utf-8"))
    assert [d["ma_don_vi"] for d in m["districts"]] == ["ST01", "ST02", "ST03", "ST04", "ST05", "ST06"]
    assert [d["status"] for d in m["districts"]] == ["ok"] * 6  # carried from earlier runs
    assert [d["skipped"] for d in m["districts"]] == [True] * 4 + [False, False]


@pytest.mark.parametrize("engine", ["warm", "direct"])
def test_a_hanging_district_is_stopped_and_the_others_finish(tmp_path, engine):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nb = nbformat.read(ROOT / "notebooks/bao_cao_huyen.ipynb", as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell('if ma_bao_cao == "ST05":\n    import time\n    time.sleep(600)'))
    nbformat.write(nb, notebooks / "bao_cao_huyen.ipynb")
    (notebooks / "bao_cao_tinh.ipynb").write_bytes((ROOT / "notebooks/bao_cao_tinh.ipynb").read_bytes())
    # One worker: after ST05 is stopped, the same worker (a new kernel for "warm") runs ST06.
    # 20 s a cell: far below the hanging cell's 600 s, far above a busy CI machine's slowest real cell
    result = run(ma_bao_cao=SMALL, out=tmp_path / "out", progress=False, engine=engine, jobs=1, timeout=20,
                 notebooks_dir=notebooks)
    status = {e.ma_don_vi: e for e in result.entries}
    assert result.exit_code == 1
    assert status["ST05"].status == "failed"
    assert status["ST05"].error.startswith("Quá thời gian chạy cho phép (20 giây cho một ô của sổ tay)")
    assert status["ST06"].status == "ok" and status["ST"].status == "ok"
    assert (tmp_path / "out/2021/ST06/bao_cao_tong_ket.docx").is_file()
    assert not (tmp_path / "out/2021/ST05/bao_cao_tong_ket.docx").exists()
    m = json.loads(result.manifest.read_text(encoding="utf-8"))
    failed = next(d for d in m["districts"] if d["ma_don_vi"] == "ST05")
    assert failed["status"] == "failed" and failed["fingerprint"] is None
    if engine == "warm":
        assert (tmp_path / "out/2021/ST05/bao_cao_loi.ipynb").is_file()  # the stopped notebook, kept


def test_manifest_is_an_audit_trail(sample_run):
    year = sample_run.out / "2021"
    m = json.loads((year / "manifest.json").read_text(encoding="utf-8"))
    assert m["engine"] == "warm" and m["tham_so"]["executor"] == "local:2"
    assert m["dau_vao"]["tham_so"]["params/tong_ket_2021.yaml"] == files.file_digest(ROOT / "params/tong_ket_2021.yaml")
    assert m["dau_vao"]["mau_van_ban"]["templates/bao_cao_tong_ket.docx"] == files.file_digest(
        ROOT / "templates/bao_cao_tong_ket.docx")
    assert set(m["dau_vao"]["so_tay"]) == {"notebooks/bao_cao_huyen.ipynb", "notebooks/bao_cao_tinh.ipynb"}
    assert set(m["dau_vao"]["du_lieu_theo_huyen"]) == {"ST", "ST01", "ST02", "ST03", "ST04", "ST05", "ST06"}
    import pandas

    assert m["thu_vien"]["pandas"] == pandas.__version__ and m["phien_ban"]["version"] == "0.1.0"
    for d in [*m["districts"], m["province"]]:
        assert len(d["fingerprint"]) == 64
        assert d["timings"]["stages"]["Biểu đồ"] > 0
    wb = openpyxl.load_workbook(year / "nhat_ky_chay.xlsx")
    ws = wb["tong_hop"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=5)]
    assert [r[0] for r in rows] == ["ST01", "ST02", "ST03", "ST04", "ST05", "ST06", "ST"]
    assert {r[3] for r in rows} == {"Xong"} and rows[-1][1] == "Tỉnh Đoàn Sông Tiền"
    header = [c.value for c in ws[4]]
    assert header[:5] == ["Mã đơn vị", "Tên đơn vị", "Cấp", "Trạng thái", "Thời gian (giây)"]
    info = {r[0].value: r[1].value for r in wb["dau_vao"].iter_rows(min_row=2)}
    assert info["Thư viện: papermill"] == m["thu_vien"]["papermill"]


def test_data_digests_change_only_for_the_district_that_changed(tmp_path):
    data = copy_sample(tmp_path)
    scale = load_cycle().scale
    before = audit.data_digests(load(data, scale))
    _edit_branch(data, "ST03.02.01", "Số lần sinh hoạt", 1)
    after = audit.data_digests(load(data, scale))
    assert set(before) == {None, "ST01", "ST02", "ST03", "ST04", "ST05", "ST06"}
    assert [k for k in before if before[k] != after[k]] == ["ST03"]


def test_stage_timings_sum_cells_under_each_heading():
    cells = [nbformat.v4.new_markdown_cell("# Tựa"), nbformat.v4.new_code_cell("a = 1"),
             nbformat.v4.new_markdown_cell("## Biểu đồ\nchữ"), nbformat.v4.new_code_cell("b"),
             nbformat.v4.new_code_cell("c")]
    assert stages(cells, [None, 0.5, None, 0.25, 1.0]) == {"khởi động": 0.5, "Biểu đồ": 1.25}


def test_a_worker_that_dies_fails_its_district_not_the_run(tmp_path):
    """A worker killed mid-run (out of memory, say) is recorded as that unit's failure."""
    from concurrent.futures import ThreadPoolExecutor

    def killed():
        raise MemoryError("worker killed")

    class Dying(ThreadPoolExecutor):  # ST05's worker dies; the others run for real
        def submit(self, fn, *args, **kwargs):
            return super().submit(killed) if args[2].parent.name == "ST05" else super().submit(fn, *args, **kwargs)

    with Dying(max_workers=1) as pool:
        result = run(ma_bao_cao=SMALL, out=tmp_path, progress=False, engine="direct", executor=pool)
    status = {e.ma_don_vi: e for e in result.entries}
    assert status["ST05"].status == "failed" and status["ST06"].status == "ok" and status["ST"].status == "ok"
    assert status["ST05"].error == "Tiến trình chạy đơn vị này bị dừng bất thường (MemoryError: worker killed)"
    m = json.loads(result.manifest.read_text(encoding="utf-8"))
    assert m["that_bai"] == 1 and m["tham_so"]["executor"] == "executor"


def test_the_province_starts_first_and_is_recorded_last(tmp_path):
    """With two workers, the province's notebook, the longest and dependent on no district's, is
    submitted before the districts (its worker's share of the run overlaps theirs instead of running
    alone at the end); the manifest and the progress still show it last. (One worker runs it last.)"""
    from concurrent.futures import ThreadPoolExecutor

    submitted, seen = [], []

    class Recording(ThreadPoolExecutor):
        def submit(self, fn, *args, **kwargs):
            submitted.append(args[2].parent.name)  # the unit's folder
            return super().submit(fn, *args, **kwargs)

    with Recording(max_workers=2) as pool:
        result = run(ma_bao_cao=SMALL, out=tmp_path, progress=False, engine="direct", executor=pool, jobs=2,
                     on_unit=lambda e, done, total: seen.append((e.ma_don_vi, done, total)))
    assert submitted == ["ST", "ST05", "ST06"]
    assert [e.status for e in result.entries] == ["ok", "ok", "ok"]
    assert sorted(seen[:2]) == [("ST05", 1, 3), ("ST06", 2, 3)] or sorted(seen[:2]) == [("ST05", 2, 3), ("ST06", 1, 3)]
    assert seen[2] == ("ST", 3, 3)
    m = json.loads(result.manifest.read_text(encoding="utf-8"))
    assert [d["ma_don_vi"] for d in m["districts"]] == SMALL and m["province"]["status"] == "ok"


def test_a_kernel_that_dies_at_start_is_replaced_on_new_ports(monkeypatch):
    """The port race of jupyter_client (#154, #276): a kernel started beside another can find a
    port taken and die at once; the warm engine starts a fresh one instead of failing the unit."""
    import papermill.engines  # noqa: F401 - first, as the runner does: papermill loads the engine's entry point
    from jupyter_client.asynchronous.client import AsyncKernelClient

    from tongket.batch.engines import KERNEL
    from tongket.batch.warm import WarmEngine

    real = AsyncKernelClient.wait_for_ready
    ports, calls = [], []

    async def dies_once(self, timeout=None):
        calls.append(1)
        ports.append(self.shell_port)
        if len(calls) == 1:
            raise RuntimeError("Kernel died before replying to kernel_info")
        return await real(self, timeout=timeout)

    monkeypatch.setattr(AsyncKernelClient, "wait_for_ready", dies_once)
    WarmEngine.discard()
    try:
        km = WarmEngine.kernel(KERNEL)
        from jupyter_core.utils import run_sync

        assert run_sync(km.is_alive)() and len(calls) == 2
        assert ports[0] != ports[1]  # a new kernel, on new ports
    finally:
        WarmEngine.discard()


def _worker_view(name: str) -> tuple[str | None, int, int]:
    """What a pool worker sees: an environment variable, the run's slice size, its parent."""
    from tongket.intake import slices

    return os.environ.get(name), slices.CHUNK_MAX, os.getppid()


def test_a_worker_starts_clean_from_the_fork_server_and_sees_the_runs_environment(monkeypatch):
    """The local workers start from a fork server, not as copies of the run's process: a worker holds
    what it loads itself (its own units' rows), not the whole workbook the run has read and checked,
    which the default fork copied into every worker (399 MB at 1.000 districts before a worker did
    anything). What the run changed in its own memory is not there; its environment, as it is when
    the pool starts, is (the server's dates from its first pool). The workers end with the run
    (`test_outputs`: kill -9)."""
    from tongket.batch.execute import executor_for, start_method_of
    from tongket.intake import slices

    if sys.platform.startswith("linux"):
        assert start_method_of() == "forkserver"
    with executor_for(None, None, 1, "papermill") as pool:  # the server started (if not already) now
        pool.submit(_worker_view, "TONGKET_PROBE").result()
    monkeypatch.setattr(slices, "CHUNK_MAX", 7)  # the run's own memory
    monkeypatch.setenv("TONGKET_PROBE", "bây giờ")  # after the server started
    with executor_for(None, None, 1, "papermill") as pool:
        seen, chunk, parent = pool.submit(_worker_view, "TONGKET_PROBE").result()
    assert seen == "bây giờ"
    if start_method_of() == "forkserver":
        assert chunk == 50 and parent != os.getpid()
