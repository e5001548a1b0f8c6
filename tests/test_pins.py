"""pyproject.toml and environment.yml pin the same versions of the same packages."""

import re
import tomllib

import yaml

from conftest import ROOT


def _pyproject() -> dict[str, str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    reqs = list(data["project"]["dependencies"])
    for extra in data["project"]["optional-dependencies"].values():
        reqs += extra
    pins = {}
    for r in reqs:
        m = re.fullmatch(r"([A-Za-z0-9_.\-]+)(\[[^\]]*\])?==([^\s;]+)", r)
        assert m, f"not an exact pin: {r}"
        pins[m.group(1).lower().replace("_", "-")] = m.group(3)
    return pins


def _conda() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pins = {}
    for dep in env["dependencies"]:
        name, _, version = dep.partition("=")
        if name != "python":
            pins[name.lower().replace("_", "-")] = version
    return pins


def test_every_dependency_is_pinned_exactly_the_same_in_both_files():
    assert _pyproject() == _conda()


def test_constraints_agree_with_the_direct_pins():
    lines = (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
    frozen = {}
    for line in lines:
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==")
            frozen[name.lower().replace("_", "-")] = version.strip()
    for name, version in _pyproject().items():
        assert frozen.get(name) == version, name


def test_papermill_starts_without_jupyter_server_format_checkers():
    """Every papermill run, nbval run and kernel imports papermill/nbformat: in the batch venv that
    must not pull in jupyter-server's jsonschema format checkers (rfc3987-syntax compiles a grammar
    on import, 1.4-2.6 s; see shared pitfalls). One environment holds the batch and JupyterLab:
    jsonschema is pinned below 4.25, so the optional checker is neither installed nor imported."""
    import subprocess
    import sys

    code = ("import sys, papermill, nbformat, nbclient, tongket.batch.warm\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
            "{'rfc3987_syntax', 'lark', 'jupyter_server', 'jupyter_events', 'jupyterlab'})\n"
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip() == ""
    import importlib.util

    assert importlib.util.find_spec("jupyterlab") is not None, "one environment: JupyterLab is installed beside the kit"
    assert importlib.util.find_spec("rfc3987_syntax") is None, "jsonschema ≥ 4.25 came back: see pyproject.toml"


def test_notebooks_are_committed_without_outputs_and_with_the_project_kernel():
    import nbformat

    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        assert nb.metadata["kernelspec"]["name"] == "python3", path.name
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: run outputs committed"
        tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, f"{path.name}: one cell tagged parameters (papermill)"
