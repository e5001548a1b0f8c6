"""Every path of the project, anchored at its root (the folder holding params/ and templates/)."""

from __future__ import annotations

import os
from pathlib import Path


def _find_root() -> Path:
    env = os.environ.get("TONGKET_HOME")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "params").is_dir() and (parent / "templates").is_dir():
            return parent
    for parent in [Path.cwd(), *Path.cwd().parents]:
        if (parent / "params").is_dir() and (parent / "templates").is_dir():
            return parent
    return Path.cwd()


ROOT = _find_root()
PARAMS = ROOT / "params"
TEMPLATES = ROOT / "templates"
NOTEBOOKS = ROOT / "notebooks"
OUTPUTS = ROOT / "outputs"
SAMPLE_DATA = ROOT / "data" / "sample" / "tinh_mau.xlsx"
DEFAULT_CYCLE = PARAMS / "tong_ket_2021.yaml"


def resolve(path: str | os.PathLike[str], base: Path = ROOT) -> Path:
    """A path as given, or relative to `base` (the project root by default)."""
    p = Path(path).expanduser()
    return (p if p.is_absolute() else (base / p)).resolve()
