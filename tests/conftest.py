"""Shared fixtures: real exchange workbooks written with openpyxl, and one real batch run."""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from hypothesis import settings as hypothesis_settings

from tongket.common import paths
from tongket.common.schema import SHEETS

ROOT = paths.ROOT
TESTS = Path(__file__).parent
CORPUS = TESTS / "corpus"  # messy and hostile workbooks, made by corpus/build.py
GOLDEN = TESTS / "golden"  # the expected text of every document kind
HAS_SOFFICE = shutil.which("soffice") is not None or shutil.which("libreoffice") is not None

# Property tests: CI replays the same examples on every run (a new counterexample is found on a
# developer's machine, never as a red CI run on an unrelated change); `dev` searches at random.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
hypothesis_settings.register_profile("dev", derandomize=False)  # explicit: hypothesis derandomises its default under CI
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))


def need_soffice() -> None:
    """Skip where LibreOffice is absent, except in CI (which installs it)."""
    if not HAS_SOFFICE:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is missing in CI: .ci/run must install libreoffice-writer")
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer fonts-liberation2")


# --- `-m "not slow"` runs no batch -------------------------------------------------------------------
# A test not marked slow that starts papermill, a kernel, LibreOffice or a batch fails, naming what it
# started: the unit tests stay unit tests, and a new slow test cannot hide among them.

STARTED = pytest.StashKey[list[str]]()


def _slow_child(args: Any) -> str | None:
    """What a child process started with `args` is, when a test not marked slow may not start it."""
    argv = [str(a) for a in args] if isinstance(args, (list, tuple)) else str(args).split()
    names = [Path(a).name for a in argv]
    if {"soffice", "libreoffice", "soffice.bin"} & set(names):
        return "LibreOffice"
    if any("ipykernel" in a for a in argv):
        return "a Jupyter kernel"
    pairs = list(zip(names, names[1:]))
    if ("tongket", "run") in pairs or any("batch.runner import run" in a for a in argv):
        return "a batch (tongket run)"
    return None


def _slow_entry_points() -> list[tuple[Any, str, str]]:
    """Every (owner, attribute, what) through which a test can start papermill, a kernel or a batch
    in-process. A batch runs its units in a process pool whatever the engine; a run refused before
    its units (bad data, bad arguments) starts none and stays a unit test."""
    from concurrent.futures import ProcessPoolExecutor

    import jupyter_client.manager as km
    import papermill.execute

    targets: list[tuple[Any, str, str]] = [
        (km.KernelManager, "start_kernel", "a Jupyter kernel"),
        (km.AsyncKernelManager, "start_kernel", "a Jupyter kernel"),
        (ProcessPoolExecutor, "__init__", "a batch (its pool of worker processes)")]
    original = papermill.execute.execute_notebook
    for name, module in list(sys.modules.items()):  # `from papermill import execute_notebook` binds it anew
        if module is not None and name.startswith(("tongket", "papermill", "test_", "conftest", "helpers")):
            targets += [(module, attr, "papermill") for attr, value in list(vars(module).items())
                        if value is original]
    return targets


@pytest.fixture(autouse=True)
def _no_batch_unless_slow(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail a test not marked slow that starts papermill, a kernel, LibreOffice or a batch."""
    if request.node.get_closest_marker("slow"):
        yield
        return
    started = request.node.stash.setdefault(STARTED, [])

    def refuse(what: str) -> None:
        started.append(what)
        pytest.fail(f"this test starts {what}: mark it @pytest.mark.slow (`-m 'not slow'` runs no batch)",
                    pytrace=False)

    def refusing(what: str) -> Callable:
        def call(*args: Any, **kwargs: Any) -> Any:
            refuse(what)
        return call

    for owner, attr, what in _slow_entry_points():
        monkeypatch.setattr(owner, attr, refusing(what))
    popen_init = subprocess.Popen.__init__

    def guarded_init(self: subprocess.Popen, args: Any, *rest: Any, **kwargs: Any) -> None:
        what = _slow_child(args)
        if what:
            refuse(what)
        popen_init(self, args, *rest, **kwargs)

    monkeypatch.setattr(subprocess.Popen, "__init__", guarded_init)
    yield
    if started:  # raised where it started; fail here too in case the code under test swallowed it
        pytest.fail(f"this test started {', '.join(started)} but is not marked slow", pytrace=False)

# A branch that meets every criterion with the smallest passing figures.
PASSING = {
    "so_doan_vien": 20, "so_thanh_nien": 50, "so_thanh_nien_tap_hop": 40, "so_dv_vi_pham_phap_luat": 0,
    "so_mo_hinh_kinh_te": 1, "so_gioi_thieu_viec_lam": 0, "so_doi_hinh_tinh_nguyen": 1,
    "so_tv_doi_hinh_lon_nhat": 5, "so_cong_trinh_thanh_nien": 1, "so_ket_nap_moi": 5, "so_gioi_thieu_dang": 1,
    "so_lan_sinh_hoat": 8, "bien_ban_day_du": "Có", "so_dv_dong_doan_phi": 20, "dai_hoi_chi_doan": "Có",
    "so_hoat_dong_van_hoa_the_thao": 2, "bi_thu_kinh_te_on_dinh": "Có", "bi_thu_duoc_tap_huan": "Có",
    "bi_thu_nam_chinh_sach": "Có", "so_dv_gioi_thieu_1_1": 10, "so_thanh_nien_1_1": 12,
}
ALL_CD = {f"cd{g}_{i}": "Có" for g, n in ((1, 5), (2, 5), (3, 3)) for i in range(1, n + 1)}


def branch(ma: str, nam: int, **changes) -> dict:
    """A branch row for `nam`, passing every criterion unless `changes` say otherwise."""
    row = {"ma_don_vi": ma, "nam": nam, **copy.deepcopy(PASSING)}
    row.update(changes)
    return row


def write_exchange(path: Path, don_vi: list[dict], chi_doan: list[dict], co_so: list[dict],
                   headers: str = "keys", title_rows: int = 0) -> Path:
    """Write a real exchange workbook; headers as keys or as the Vietnamese labels."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet, rows in (("don_vi", don_vi), ("chi_doan", chi_doan), ("co_so", co_so)):
        ws = wb.create_sheet(sheet)
        for _ in range(title_rows):
            ws.append(["BẢNG SỐ LIỆU"])
        cols = [c for c in SHEETS[sheet] if any(c.key in r for r in rows)] or list(SHEETS[sheet][:2])
        ws.append([c.key if headers == "keys" else c.label for c in cols])
        for r in rows:
            ws.append([r.get(c.key) for c in cols])
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # typed as text in Excel ('=…), not a formula
    wb.save(path)
    return path


def small_tree() -> list[dict]:
    """Province T; districts H1 (C1, C2) and H2 (C3); branches of mixed kinds."""
    u = lambda ma, ten, cap, cha, loai="khac": {"ma_don_vi": ma, "ten_don_vi": ten, "cap": cap,
                                                  "ma_cap_tren": cha, "loai_hinh": loai}
    return [
        u("T", "Tỉnh Đoàn Thử", "tinh", None),
        u("H1", "Huyện Đoàn Một", "huyen", "T"), u("H2", "Huyện Đoàn Hai", "huyen", "T"),
        u("C1", "Đoàn xã An Bình", "co_so", "H1", "dan_cu"), u("C2", "Đoàn phường 2", "co_so", "H1", "dan_cu"),
        u("C3", "Đoàn xã Đông Hòa", "co_so", "H2", "dan_cu"),
        *(u(f"C1.{i}", f"Chi đoàn ấp {i}", "chi_doan", "C1", "dan_cu") for i in range(1, 5)),
        u("C1.S", "Chi đoàn trường THCS", "chi_doan", "C1", "truong_hoc"),
        u("C2.1", "Chi đoàn khu phố 1", "chi_doan", "C2", "dan_cu"),
        u("C2.2", "Chi đoàn khu phố 2", "chi_doan", "C2", "dan_cu"),
        u("C3.1", "Chi đoàn ấp Tân Lợi", "chi_doan", "C3", "dan_cu"),
    ]


def small_rows() -> tuple[list[dict], list[dict]]:
    """2020 and 2021 figures with known results (see test_assess)."""
    cd = []
    for nam in (2020, 2021):
        cd += [branch("C1.1", nam), branch("C1.2", nam), branch("C1.3", nam),
               branch("C1.4", nam, so_lan_sinh_hoat=7),
               branch("C1.S", nam, so_ket_nap_moi=0),
               branch("C2.1", nam), branch("C2.2", nam, so_ket_nap_moi=4 if nam == 2020 else 5),
               branch("C3.1", nam, so_dv_vi_pham_phap_luat=1)]
    cs = [
        {"ma_don_vi": "C1", "nam": 2020, **ALL_CD, "diem": 75},
        {"ma_don_vi": "C1", "nam": 2021, **ALL_CD, "diem": 65},
        {"ma_don_vi": "C2", "nam": 2020, **ALL_CD, "xep_loai": "HTNV"},
        {"ma_don_vi": "C2", "nam": 2021, **ALL_CD, "diem": 92},
        {"ma_don_vi": "C3", "nam": 2020, **ALL_CD, "cd3_3": "Không"},
        {"ma_don_vi": "C3", "nam": 2021, **ALL_CD, "cd3_3": "Không", "xep_loai": "Hoàn thành tốt nhiệm vụ"},
    ]
    return cd, cs


def small_with_members(path: Path, code: str = "C1.1", members: int = 20) -> Path:
    """The small province with branch `code`'s 2021 members set to `members` (below 0: an error)."""
    cd, cs = small_rows()
    for r in cd:
        if r["ma_don_vi"] == code and r["nam"] == 2021:
            r["so_doan_vien"] = members
    return write_exchange(path, small_tree(), cd, cs)


@pytest.fixture
def small_workbook(tmp_path: Path) -> Path:
    cd, cs = small_rows()
    return write_exchange(tmp_path / "nho.xlsx", small_tree(), cd, cs)


def every_district_refused(path: Path) -> Path:
    """The small province with a refused figure (a negative count) in each of its two districts,
    H1 (branch C1.1) and H2 (branch C3.1), in 2021: no district is left to sum up."""
    cd, cs = small_rows()
    for r in cd:
        if r["ma_don_vi"] in ("C1.1", "C3.1") and r["nam"] == 2021:
            r["so_ket_nap_moi"] = -4
    return write_exchange(path, small_tree(), cd, cs)


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory: pytest.TempPathFactory):
    """One real batch of the sample province (papermill, every district, the province), with the
    assessment sheets merged and, where LibreOffice is installed, every document as PDF."""
    from tongket.batch.runner import run

    out = tmp_path_factory.mktemp("outputs")
    result = run(out=out, progress=False, gop_phieu=True, pdf=HAS_SOFFICE)
    return result


@pytest.fixture(scope="session")
def sample_review():
    from tongket import open_review

    return open_review()


def copy_sample(tmp_path: Path) -> Path:
    target = tmp_path / "tinh_mau.xlsx"
    shutil.copy(paths.SAMPLE_DATA, target)
    return target


def fill_forms(folder, data, nam, sent=None):
    """Fill every form under `folder` with the figures `data` holds for `nam`, as a unit would:
    only the white cells, booleans as Có/Không, then save (the form's own file)."""
    import datetime as _dt

    from tongket.common.schema import ALL_SHEETS
    from tongket.common.vietnamese import fold
    from tongket.intake.forms import FIRST_DATA_ROW, GUIDE_SHEET, SENT_LABEL

    paths = sorted(Path(folder).rglob("*.xlsx"))
    for path in paths:
        wb = openpyxl.load_workbook(path)
        for key in ("chi_doan", "co_so"):
            if key not in wb.sheetnames:
                continue
            ws = wb[key]
            by_label = {fold(c.label): c for c in ALL_SHEETS[key]}
            frame = getattr(data, key)
            rows = frame[frame["nam"] == nam].set_index("ma_don_vi")
            header = [c.value for c in ws[FIRST_DATA_ROW - 1]]
            for r in range(FIRST_DATA_ROW, ws.max_row + 1):
                code = ws.cell(r, 1).value
                if code not in rows.index:
                    continue
                rec = rows.loc[code]
                for j, h in enumerate(header, start=1):
                    col = by_label.get(fold(h)) if h else None
                    if col is None or col.key in ("ma_don_vi", "nam"):
                        continue
                    v = rec[col.key]
                    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
                        continue
                    if col.kind == "bool":
                        v = "Có" if bool(v) else "Không"
                    elif hasattr(v, "item"):
                        v = v.item()
                    ws.cell(r, j).value = v
        if sent is not None:
            g = wb[GUIDE_SHEET]
            for row in g.iter_rows(max_col=2):
                if row[0].value == SENT_LABEL:
                    row[1].value = _dt.datetime.combine(sent, _dt.time())
        wb.save(path)
    return paths
