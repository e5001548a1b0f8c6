"""The package's shape holds: README's layout names every module, no file passes 500 lines, no
function 80, and each step's __init__ states its contract (issue 17)."""

import ast
import re

import pytest

from conftest import ROOT

PACKAGE = ROOT / "lib" / "tongket"
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)
STEPS = sorted(p.parent for p in PACKAGE.glob("*/__init__.py"))


def _layout() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split("## Layout", 1)[1].split("\n## ", 1)[0]


def test_the_readme_layout_is_the_folder_tree():
    layout = _layout()
    for step in STEPS:
        assert f"{step.name}/" in layout, f"README's layout does not show {step.name}/"
    named = set(re.findall(r"\b([a-z_]+)\.py\b", layout))
    modules = {p.stem for p in MODULES if p.stem != "__init__"}
    assert modules - named == set(), "modules missing from README's layout"
    assert named - modules - {"build", "build_templates", "template_kit", "assess_benchmark",
                              "batch_benchmark", "scale_benchmark", "collect_benchmark", "conftest", "helpers", "__init__"} == set(), "README names modules that do not exist"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_file_and_function_is_small_enough_to_read(path):
    source = path.read_text(encoding="utf-8")
    assert len(source.splitlines()) <= 500
    long = [f"{n.name}: {n.end_lineno - n.lineno + 1} lines" for n in ast.walk(ast.parse(source))
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.end_lineno - n.lineno + 1 > 80]
    assert long == []


@pytest.mark.parametrize("step", STEPS, ids=lambda p: p.name)
def test_every_step_states_its_contract(step):
    tree = ast.parse((step / "__init__.py").read_text(encoding="utf-8"))
    doc = ast.get_docstring(tree) or ""
    assert "Contract" in doc, f"{step.name}/__init__.py does not state its contract"
    names = [n for n in tree.body if isinstance(n, ast.Assign) and any(getattr(t, "id", "") == "__all__" for t in n.targets)]
    assert names, f"{step.name}/__init__.py has no __all__"


def test_no_module_imports_another_modules_private_name():
    """Boundaries: a step uses what another module offers, never its `_private` names."""
    crossings = []
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("tongket")):
                crossings += [f"{path.relative_to(PACKAGE)}:{node.lineno} {node.module}.{a.name}"
                              for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
    assert crossings == []
