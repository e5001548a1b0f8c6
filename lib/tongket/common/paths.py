"""Every path of the project, anchored at its root: the folder holding params/ and templates/.

Which root, first found: the folder TONGKET_HOME names; an office's workspace (a folder `tongket
init` made, marked by its `.tongket` file) holding the current directory; the checkout the kit
runs from (a developer's clone); an unmarked folder with params/ and templates/ holding the
current directory; else the kit's own defaults, shipped inside the installed package (`_kit`),
with outputs written under the current directory.
"""

from __future__ import annotations

import os
from pathlib import Path

MARKER = ".tongket"  # the file `tongket init` writes at the root of an office's workspace
BUNDLED = Path(__file__).resolve().parents[1] / "_kit"  # the defaults inside an installed wheel


def _holds_kit(folder: Path) -> bool:
    return (folder / "params").is_dir() and (folder / "templates").is_dir()


def kit_root() -> Path:
    """Where the kit's own defaults are: the checkout it runs from, or the copy in the package."""
    for parent in Path(__file__).resolve().parents:
        if _holds_kit(parent):
            return parent
    return BUNDLED


def workspace_of(folder: Path) -> Path | None:
    """The office workspace holding `folder` (itself or a parent with the marker), if any."""
    folder = folder.resolve()
    return next((p for p in [folder, *folder.parents] if (p / MARKER).is_file()), None)


def _find_root() -> Path:
    env = os.environ.get("TONGKET_HOME")
    if env:
        return Path(env).resolve()
    cwd = Path.cwd()
    workspace = workspace_of(cwd)
    if workspace is not None:
        return workspace
    kit = kit_root()
    if kit != BUNDLED:
        return kit
    return next((p for p in [cwd, *cwd.parents] if _holds_kit(p)), kit)


ROOT = _find_root()
PARAMS = ROOT / "params"
TEMPLATES = ROOT / "templates"
NOTEBOOKS = ROOT / "notebooks"
# Never inside the installed package: with no workspace, an installed kit writes where it is run.
OUTPUTS = (Path.cwd() if ROOT == BUNDLED else ROOT) / "outputs"
SAMPLE_DATA = ROOT / "data" / "sample" / "tinh_mau.xlsx"
DEFAULT_CYCLE = PARAMS / "tong_ket_2021.yaml"


def resolve(path: str | os.PathLike[str], base: Path = ROOT) -> Path:
    """A path as given, or relative to `base` (the project root by default)."""
    p = Path(path).expanduser()
    return (p if p.is_absolute() else (base / p)).resolve()
