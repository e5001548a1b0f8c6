"""The wheel carries the whole kit: besides the package, the default rules (params/), the Word
templates, the notebooks, the sample workbooks and JupyterLab's settings go inside it as
`tongket/_kit/`, where an installed kit finds them (common.paths) and `tongket init` copies them
from. Everything else is declared in pyproject.toml."""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
KIT = {"params": "*", "templates": "*", "notebooks": "*.ipynb", "data/sample": "*.xlsx"}


class BuildWithKit(build_py):
    """build_py, then the kit's default files copied into the built package."""

    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "tongket" / "_kit"
        for part, pattern in KIT.items():
            for f in sorted((ROOT / part).rglob(pattern)):
                if f.is_file() and "__pycache__" not in f.parts and not f.name.startswith((".", "~$")):
                    dst = target / part / f.relative_to(ROOT / part)
                    dst.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(f, dst)
        shutil.copyfile(ROOT / "tools" / "lab_overrides.json", target / "lab_overrides.json")


setup(cmdclass={"build_py": BuildWithKit})
