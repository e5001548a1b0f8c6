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
