"""One word per thing (issue 17): the reporting unit is `ma_bao_cao`. Every old public name and
keyword still works for one release: it warns (DeprecationWarning, pointing at the caller's line)
and gives exactly what the new name gives."""

from __future__ import annotations

import ast
import json
import warnings

import pandas as pd
import pytest

import tongket as tk
from conftest import ROOT
from tongket.assessment.compare import transition_matrix
from tongket.errors import ConfigError, TongketError
from tongket.pipeline import cap_warnings, verification_sample

UNIT = "ST02"  # a district of the sample province (its reporting unit: the cycle reports per district)
NOTEBOOK = ROOT / "notebooks" / "bao_cao_huyen.ipynb"


def _same(a, b) -> None:
    """Equal results, whatever their kind (frames, dicts of frames, contexts, lists)."""
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b)
    elif isinstance(a, dict):
        assert a.keys() == b.keys()
        for k in a:
            _same(a[k], b[k])
    elif isinstance(a, tuple | list) and any(isinstance(x, pd.DataFrame | dict) for x in a):
        assert len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            _same(x, y)
    else:
        assert a == b


def _old_warns(call, name: str):
    """Call an old name: exactly one DeprecationWarning, naming the new name, pointing at this file."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = call()
    deprecations = [w for w in caught if issubclass(w.category, DeprecationWarning)]
    assert len(deprecations) == 1, [str(w.message) for w in caught]
    assert name in str(deprecations[0].message) and "một bản phát hành" in str(deprecations[0].message)
    assert deprecations[0].filename == __file__  # stacklevel: the warning names the caller's line
    return out


def _new_is_quiet(call):
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        return call()


# (old call, new call, the new name the warning names)
CASES = {
    "district_context": (lambda r: tk.district_context(r, UNIT, 2021), lambda r: tk.reporting_context(r, UNIT, 2021),
                         "reporting_context"),
    "district_context(ma_huyen=)": (lambda r: tk.district_context(r, ma_huyen=UNIT),
                                    lambda r: tk.reporting_context(r, ma_bao_cao=UNIT), "reporting_context"),
    "province_context": (lambda r: tk.province_context(r, 2021), lambda r: tk.tinh_context(r, 2021), "tinh_context"),
    "failing_branches": (lambda r: tk.failing_branches(r, UNIT), lambda r: tk.chi_doan_chua_dat(r, UNIT),
                         "chi_doan_chua_dat"),
    "failing_branches(ma_huyen=)": (lambda r: tk.failing_branches(r, ma_huyen=UNIT, nam=2021),
                                    lambda r: tk.chi_doan_chua_dat(r, ma_bao_cao=UNIT, nam=2021), "chi_doan_chua_dat"),
    "huyen_codes": (lambda r: tk.huyen_codes(r), lambda r: tk.reporting_codes(r), "reporting_codes"),
    "Results.of_huyen": (lambda r: r.results.of_huyen(UNIT).year(2021).tables(),
                         lambda r: r.results.of_unit(UNIT).year(2021).tables(), "Results.of_unit"),
    "co_so_table(ma_huyen=)": (lambda r: tk.co_so_table(r, ma_huyen=UNIT), lambda r: tk.co_so_table(r, UNIT),
                               "co_so_table(ma_bao_cao=…)"),
    "analysis_tables(ma_huyen=)": (lambda r: tk.analysis_tables(r, 2021, ma_huyen=UNIT),
                                   lambda r: tk.analysis_tables(r, 2021, ma_bao_cao=UNIT),
                                   "analysis_tables(ma_bao_cao=…)"),
    "cap_warnings(ma_huyen=)": (lambda r: cap_warnings(r, ma_huyen=UNIT), lambda r: cap_warnings(r, ma_bao_cao=UNIT),
                                "cap_warnings(ma_bao_cao=…)"),
    "verification_sample(ma_huyen=)": (lambda r: verification_sample(r, 2021, ma_huyen=UNIT),
                                       lambda r: verification_sample(r, 2021, UNIT), "verification_sample(ma_bao_cao=…)"),
    "transition_matrix(ma_huyen=)": (
        lambda r: transition_matrix(r.results.co_so, r.cycle.scale, 2021, ma_huyen=UNIT),
        lambda r: transition_matrix(r.results.co_so, r.cycle.scale, 2021, ma_bao_cao=UNIT),
        "transition_matrix(ma_bao_cao=…)"),
}


@pytest.mark.parametrize("old", CASES)
def test_an_old_name_warns_and_gives_what_the_new_name_gives(sample_review, old):
    call_old, call_new, new = CASES[old]
    got = _old_warns(lambda: call_old(sample_review), new)
    _same(got, _new_is_quiet(lambda: call_new(sample_review)))


def test_the_compared_results_are_not_empty(sample_review):
    """The cases above compare something: the district has failing branches, Đoàn cơ sở, a sample."""
    assert len(tk.chi_doan_chua_dat(sample_review, UNIT)) > 0
    assert len(tk.co_so_table(sample_review, UNIT)) > 0
    assert len(verification_sample(sample_review, 2021, UNIT)) > 0
    assert tk.reporting_codes(sample_review)[:1] and UNIT in tk.reporting_codes(sample_review)
    assert tk.reporting_context(sample_review, UNIT)[0]["don_vi"]["ten"] == "Huyện Đoàn Phú Mỹ"
    assert len(tk.tinh_context(sample_review)[0]["xep_hang"]) == len(tk.reporting_codes(sample_review)) == 6


def test_open_review_takes_ma_bao_cao_and_still_the_old_huyen():
    with pytest.raises(TongketError, match="mã «KHONG_CO»"):
        _new_is_quiet(lambda: tk.open_review(ma_bao_cao="KHONG_CO"))
    with pytest.raises(TongketError, match="mã «KHONG_CO»"):
        _old_warns(lambda: tk.open_review(huyen="KHONG_CO"), "open_review(ma_bao_cao=…)")


def test_an_old_and_a_new_keyword_together_are_refused(sample_review):
    with pytest.raises(TypeError, match="ma_huyen= and its new name ma_bao_cao="):
        tk.analysis_tables(sample_review, 2021, ma_bao_cao=UNIT, ma_huyen=UNIT)
    with pytest.raises(TypeError, match="ma_huyen= and its new name ma_bao_cao="), pytest.warns(DeprecationWarning):
        tk.failing_branches(sample_review, ma_bao_cao=UNIT, ma_huyen=UNIT)


def test_old_names_stay_public_for_one_release():
    for name in ("district_context", "province_context", "failing_branches", "huyen_codes"):
        assert name in tk.__all__ and "Deprecated" in getattr(tk, name).__doc__
    for name in ("reporting_context", "tinh_context", "chi_doan_chua_dat", "reporting_codes", "reporting_parameter"):
        assert name in tk.__all__ and "Deprecated" not in getattr(tk, name).__doc__
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Deprecated names"):]
    for old, new in (("district_context", "reporting_context"), ("province_context", "tinh_context"),
                     ("failing_branches", "chi_doan_chua_dat"), ("huyen_codes", "reporting_codes"),
                     ("Results.of_huyen", "Results.of_unit")):
        assert f"| `{old}` | `{new}` |" in table


# ---------------------------------------------------------------- the notebook's parameter
def test_the_reporting_parameter_prefers_a_given_old_name_and_refuses_none():
    assert _new_is_quiet(lambda: tk.reporting_parameter("ST05")) == "ST05"
    assert _new_is_quiet(lambda: tk.reporting_parameter("ST05", None)) == "ST05"
    # papermill injects only what a caller passes: a given ma_huyen is the caller's, ma_bao_cao the default
    assert _old_warns(lambda: tk.reporting_parameter("ST02", "ST05"), "ma_bao_cao") == "ST05"
    for blank in (None, "", "  "):
        with pytest.raises(ConfigError, match="Chưa chọn đơn vị báo cáo"):
            tk.reporting_parameter(blank)


def _cells() -> list[dict]:
    return json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]


def test_the_notebook_takes_ma_bao_cao_as_a_literal_parameter():
    cells = _cells()
    index = next(i for i, c in enumerate(cells) if "parameters" in c["metadata"].get("tags", []))
    tree = ast.parse("".join(cells[index]["source"]))
    literals = {s.targets[0].id: ast.literal_eval(s.value) for s in tree.body}  # literals only, or this fails
    assert literals["ma_bao_cao"] == "ST02" and literals["ma_huyen"] is None
    resolve = "".join(cells[index + 1]["source"])
    assert "ma_bao_cao = tk.reporting_parameter(ma_bao_cao, ma_huyen)" in resolve
    rest = "".join("".join(c["source"]) for c in cells[index + 2:] if c["cell_type"] == "code")
    assert "ma_huyen" not in rest and "huyen=" not in rest
    for c in cells:
        if c["cell_type"] == "code":
            assert c["outputs"] == [] and c["execution_count"] is None
            assert not any(isinstance(n, ast.FunctionDef | ast.ClassDef) for n in ast.walk(ast.parse("".join(c["source"]))))


@pytest.mark.parametrize(("given", "unit", "warns"), [
    ({"ma_bao_cao": "ST05"}, "ST05", False),
    ({"ma_huyen": "ST05"}, "ST05", True),  # what the batch passed before the rename
    ({}, "ST02", False),
])
def test_the_notebook_resolves_its_unit_as_papermill_parameterises_it(given, unit, warns):
    """The notebook's first cells, parameterised by papermill exactly as a batch run does."""
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    nb = parameterize_notebook(load_notebook_node(str(NOTEBOOK)), given, kernel_name="python3")
    namespace: dict = {"__name__": "__main__"}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for cell in nb.cells:
            if cell.cell_type == "code":
                exec(compile(cell.source, str(NOTEBOOK), "exec"), namespace)
                if "reporting_parameter" in cell.source:
                    break
    assert namespace["ma_bao_cao"] == unit
    assert [str(w.message) for w in caught if issubclass(w.category, DeprecationWarning)] == \
        (["«ma_huyen» nay là «ma_bao_cao»; tên cũ chỉ được giữ thêm một bản phát hành"] if warns else [])
