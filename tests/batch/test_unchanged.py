"""Scale (issue 21): the workbook read once and stored by reporting unit, never from stale inputs;
each worker holds only its own units' rows; an unchanged rerun decided from hashes alone."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from conftest import small_rows, small_tree, small_with_members, write_exchange
from tongket.batch import runner, unchanged
from tongket.batch.options import RunOptions
from tongket.common import paths
from tongket.intake import slices
from tongket.intake.check import load
from tongket.rules.params import load_cycle


def workbook(path, members_c11: int = 20):
    """The small province (T; H1 with C1, C2; H2 with C3); branch C1.1 has `members_c11` members."""
    return small_with_members(path, "C1.1", members_c11)


def _frames(d):
    return {"don_vi": d.don_vi, "chi_doan": d.chi_doan, "co_so": d.co_so, **d.optional}


@pytest.mark.parametrize("cap", ["huyen", "co_so"])
def test_each_slice_holds_exactly_its_units_rows_as_without_every_other_unit(cap):
    cycle = load_cycle(None)
    d = load(cycle.data, cycle.scale)
    units = list(d.don_vi.loc[d.don_vi["cap"] == cap, "ma_don_vi"])
    groups = [units[i:i + 3] for i in range(0, len(units), 3)]
    for group, part in zip(groups, slices.split(d, cap, groups)):
        expected = d.without(set(units) - set(group), cap)
        for name, frame in _frames(expected).items():
            pd.testing.assert_frame_equal(_frames(part)[name], frame, obj=f"{group} {name}")
        assert [str(i) for i in part.issues] == [str(i) for i in expected.issues]
        assert part.path == d.path  # every message still names the workbook
    own = next(slices.split(d, cap, [units[:1]]))
    assert len(own.chi_doan) < len(d.chi_doan) / 3  # a worker holds its own rows, not the province's


def test_chunks_depend_only_on_the_number_of_units():
    assert [slices.chunk_size(n) for n in (1, 6, 20, 1000, 3300)] == [1, 2, 5, 50, 50]


def _plan(data, out, params=None):
    return runner.select_units(RunOptions(params=params, data=data, out=out, progress=False, engine="direct"))


def test_a_stale_store_is_never_read_changed_workbook_or_rules(tmp_path):
    data, out = workbook(tmp_path / "so_lieu.xlsx"), tmp_path / "out"
    first = _plan(data, out)
    files = runner.unit_slices(first)
    assert set(files) == {"H1", "H2", "T"} and all(slices.is_slice(f) for f in files.values())
    assert slices.read_run_data(first.store) is not None
    again = _plan(data, out)  # the same inputs: the store is read, not the workbook
    assert again.store == first.store and again.worker is None  # (its slices are stored)
    pd.testing.assert_frame_equal(again.data.chi_doan, first.data.chi_doan)

    workbook(data, members_c11=33)  # a figure changes: another key, read from the workbook
    changed = _plan(data, out)
    assert changed.store != first.store and changed.worker is not None
    c11 = changed.data.chi_doan
    assert int(c11.loc[(c11["ma_don_vi"] == "C1.1") & (c11["nam"] == 2021), "so_doan_vien"].iloc[0]) == 33
    runner.unit_slices(changed)
    assert not first.store.exists()  # the stale slices are removed once the new ones are written
    h1 = slices.read_slice(runner.unit_slices(changed)["H1"])
    assert int(h1.chi_doan.loc[(h1.chi_doan["ma_don_vi"] == "C1.1") & (h1.chi_doan["nam"] == 2021),
                               "so_doan_vien"].iloc[0]) == 33

    params = tmp_path / "params"  # a rule changes (a copy of the cycle's folder, one threshold edited)
    shutil.copytree(paths.PARAMS, params)
    cycle_file = params / paths.DEFAULT_CYCLE.name
    rubric = params / "rubrics" / "chi_doan_dat_chuan.yaml"
    rubric.write_text(rubric.read_text(encoding="utf-8") + "\n# sửa\n", encoding="utf-8")
    ruled = _plan(data, out, params=cycle_file)
    assert ruled.store != changed.store


def test_an_incomplete_store_is_not_used(tmp_path):
    data, out = workbook(tmp_path / "so_lieu.xlsx"), tmp_path / "out"
    plan = _plan(data, out)
    runner.unit_slices(plan)
    (plan.store / slices.INDEX).unlink()  # a run killed while writing it
    assert slices.read_run_data(plan.store) is None and slices.slice_files(plan.store) is None
    assert _plan(data, out).worker is not None  # read from the workbook again


def test_slices_removed_after_the_run_found_them_are_cut_again_from_the_workbook(tmp_path):
    """A run reads its data before taking the year folder's lock: a run of other inputs may remove
    the stored slices in between. The workbook is then read again, never a missing file handed on."""
    data, out = workbook(tmp_path / "so_lieu.xlsx"), tmp_path / "out"
    first = _plan(data, out)
    stored = runner.unit_slices(first)
    before = slices.read_slice(stored["H1"])
    again = _plan(data, out)
    assert again.worker is None  # found complete
    shutil.rmtree(again.store)
    files = runner.unit_slices(again)
    assert set(files) == set(stored) and all(slices.is_slice(f) and Path(f).is_file() for f in files.values())
    h1 = slices.read_slice(files["H1"])
    pd.testing.assert_frame_equal(h1.chi_doan, before.chi_doan)
    assert len(h1.chi_doan) and set(h1.chi_doan["ma_don_vi"]) == set(before.chi_doan["ma_don_vi"])


def test_the_workers_data_is_a_fresh_reads_after_all_the_run_does_before_cutting_it(tmp_path):
    """The run types the workbook once: its own data (with the cycle's coverage) and the data its
    workers' slices are cut from share their frames. Nothing the run does before cutting the slices
    (entries, a district failed for its data, the score warnings' assessment, the digests) may
    change them: the slices and the run's data must be what a fresh read gives."""
    from tongket.intake.check import for_cycle

    # an error: H2 fails alone, the run's checks go on without it
    data = small_with_members(tmp_path / "so_lieu.xlsx", "C3.1", -4)
    o = RunOptions(data=data, out=tmp_path / "out", progress=False, engine="direct")
    plan = runner.select_units(o)
    runner.open_entries(plan)
    runner.attribute_data_errors(plan)
    runner.fingerprint_units(plan, o)
    assert plan.entries["H2"].status == "failed" and plan.entries["H1"].status == "pending"
    files = runner.unit_slices(plan)
    fresh, checked = for_cycle(plan.cycle, coverage=False), for_cycle(plan.cycle)
    everything = slices.read_slice(files[plan.tinh])
    for got, want in ((everything, fresh), (plan.data, checked)):
        for name, frame in _frames(want).items():
            pd.testing.assert_frame_equal(_frames(got)[name], frame, obj=name)
        assert [str(i) for i in got.issues] == [str(i) for i in want.issues]
    assert len(plan.data.issues) > len(everything.issues)  # the cycle's coverage: the run's data only


def test_a_run_whose_data_and_slices_are_stored_reads_no_workbook(tmp_path, monkeypatch):
    """A run that is not an unchanged rerun (forced, some units named, a unit that failed) but has
    the same inputs reads neither its data nor its workers' slices from the workbook again."""
    data, out = workbook(tmp_path / "so_lieu.xlsx"), tmp_path / "out"
    first = _plan(data, out)
    stored = runner.unit_slices(first)
    import tongket.intake.check as check
    import tongket.intake.workbook as wb

    def no_read(*a, **k):
        raise AssertionError("the workbook was read again")

    for module, name in ((wb, "read_workbook"), (check, "read_workbook"), (check, "validate")):
        monkeypatch.setattr(module, name, no_read)
    again = _plan(data, out)
    assert runner.unit_slices(again) == stored


@pytest.mark.slow
@pytest.mark.xdist_group("batch")
def test_an_unchanged_rerun_reads_no_workbook_and_a_change_still_reruns_what_it_affects(tmp_path, monkeypatch):
    data, out = workbook(tmp_path / "so_lieu.xlsx"), tmp_path / "out"
    year = out / "2021"
    first = runner.run(data=data, out=out, progress=False, engine="direct", jobs=2)
    assert first.exit_code == 0
    m = json.loads(first.manifest.read_text(encoding="utf-8"))
    assert m[unchanged.SIGNATURE]["khoa"] and "H1/bao_cao_tong_ket.docx" in m[unchanged.SIGNATURE]["tep"]
    stamp = (year / "H1/bao_cao_tong_ket.docx").stat().st_mtime_ns

    import tongket.intake.workbook as wb

    def no_read(*a, **k):
        raise AssertionError("an unchanged rerun read the workbook")

    monkeypatch.setattr(wb, "read_workbook", no_read)
    same = runner.run(data=data, out=out, progress=False, engine="direct", jobs=2)
    assert same.exit_code == 0 and all(e.skipped for e in same.entries) and len(same.entries) == 3
    m2 = json.loads(same.manifest.read_text(encoding="utf-8"))
    assert (m2["khong_doi"], m2["thanh_cong"], m2["trang_thai"]) == (3, 3, "xong")
    assert m2[unchanged.SIGNATURE]["khoa"] == m[unchanged.SIGNATURE]["khoa"]
    assert [d["warnings"] for d in m2["districts"]] == [d["warnings"] for d in m["districts"]]
    assert "lan_truoc" in m2["districts"][0]["timings"]
    assert (year / "H1/bao_cao_tong_ket.docx").stat().st_mtime_ns == stamp
    monkeypatch.undo()

    with open(year / "H2/bao_cao_tong_ket.docx", "ab") as f:  # a file edited by hand: the full way, H2 again
        f.write(b"\0")
    touched = runner.run(data=data, out=out, progress=False, engine="direct", jobs=2)
    assert [e.ma_don_vi for e in touched.entries if not e.skipped] == ["H2"]

    workbook(data, members_c11=33)  # a figure of H1 changes: H1 and the province again, H2 not
    changed = runner.run(data=data, out=out, progress=False, engine="direct", jobs=2)
    assert [e.ma_don_vi for e in changed.entries if not e.skipped] == ["H1", "T"]
    import openpyxl

    ws = openpyxl.load_workbook(year / "H1/phu_luc.xlsx")["huyen"]
    header = [c.value for c in ws[1]]
    assert ws.cell(2, header.index("so_doan_vien") + 1).value is not None
    forced = runner.run(data=data, out=out, progress=False, engine="direct", jobs=2, force=True)
    assert not any(e.skipped for e in forced.entries)


def test_a_workers_slice_is_what_the_review_of_the_workbook_reads_ladder_included(tmp_path):
    """A worker reviews its slice, an analyst's notebook the workbook: with the emulation ladder
    named, both must hold its labels coded (the slices once typed them without it, so the ladder's
    guard target counted no Đoàn cơ sở in a batch run and did in the notebook)."""
    import yaml

    from tongket.intake.check import for_cycle

    cd, cs = small_rows()
    for r in cs:
        r["xep_loai_thi_dua"] = {("C1", 2020): "Vững mạnh", ("C1", 2021): "Khá"}.get((r["ma_don_vi"], r["nam"]),
                                                                                    "Tiên tiến")
    data = write_exchange(tmp_path / "thi_dua.xlsx", small_tree(), cd, cs)
    shutil.copytree(paths.DEFAULT_CYCLE.parent, tmp_path / "params")
    params = tmp_path / "params" / paths.DEFAULT_CYCLE.name
    doc = yaml.safe_load(params.read_text(encoding="utf-8")) | {"emulation_scale": "scales/thi_dua_hcm.yaml"}
    params.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    plan = _plan(data, tmp_path / "out", params)
    whole = for_cycle(plan.cycle, coverage=False)
    assert whole.co_so["xep_loai_thi_dua"].notna().all()
    files = runner.unit_slices(plan)
    everything = slices.read_slice(files[plan.tinh])
    pd.testing.assert_frame_equal(everything.co_so, whole.co_so)
    h1 = slices.read_slice(files["H1"])
    assert list(h1.co_so.loc[h1.co_so["ma_don_vi"] == "C1", "xep_loai_thi_dua"]) == \
        list(whole.co_so.loc[whole.co_so["ma_don_vi"] == "C1", "xep_loai_thi_dua"])


def test_the_cycles_count_limit_is_read_alike_by_the_check_a_review_and_a_workers_slice(tmp_path):
    """A cycle may lower (or raise) the largest count accepted (gioi_han.so_luong_toi_da). The run's
    check, a notebook's review and each worker's slice read the workbook through one function, so a
    count above the limit is refused by all three (reviews and slices once used the bundled limit:
    the check refused a district that its own documents then reported with the figure)."""
    import yaml

    from tongket.assessment.review import open_review
    from tongket.intake.check import for_cycle

    data = small_with_members(tmp_path / "gioi_han.xlsx", "C1.2", 450)
    shutil.copytree(paths.DEFAULT_CYCLE.parent, tmp_path / "params")
    params = tmp_path / "params" / paths.DEFAULT_CYCLE.name
    doc = yaml.safe_load(params.read_text(encoding="utf-8")) | {"gioi_han": {"so_luong_toi_da": 400}}
    params.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    plan = _plan(data, tmp_path / "out", params)
    errors = [i for i in for_cycle(plan.cycle).errors if i.value == 450]
    assert len(errors) == 1 and errors[0].ma_huyen == "H1" and "400" in errors[0].rule
    review = open_review(params, data)
    assert set(review.excluded) == {"H1"}  # the district is left out, as the check said
    h1 = slices.read_slice(runner.unit_slices(plan)["H1"])
    row = h1.chi_doan[(h1.chi_doan["ma_don_vi"] == "C1.2") & (h1.chi_doan["nam"] == 2021)]
    assert row["so_doan_vien"].isna().all() and any(i.value == 450 for i in h1.errors)
