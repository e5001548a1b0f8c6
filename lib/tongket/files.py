"""Writing files so that nothing already written is corrupted: temporary file, then rename."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

_UMASK = os.umask(0o022)  # read once, at import (os.umask can only be read by setting it)
os.umask(_UMASK)


@contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success rename it over `target`.

    On any error the temporary file is removed and `target` keeps what it had.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        # mkstemp makes the file private (0600); give it the mode a plain write would have (the
        # file's own mode when replacing it), so colleagues on a shared office folder can open it.
        os.chmod(tmp_path, target.stat().st_mode & 0o7777 if target.exists() else 0o666 & ~_UMASK)
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_text(target: str | os.PathLike[str], text: str) -> Path:
    """Write a text file atomically (UTF-8)."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(target)


def read_yaml(path: str | os.PathLike[str], what: str) -> Any:
    """Parse a YAML file; a missing file or bad syntax is a ConfigError naming `what` and the file."""
    from .errors import ConfigError

    path = Path(path)
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"Không đọc được {what} {path}: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{what[:1].upper()}{what[1:]} {path.name} sai cú pháp YAML: {exc}") from exc


_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_name(code: str) -> str:
    """A file name made from a unit code that cannot leave its folder or trip Windows: only
    letters, digits, ".", "-" and "_" are kept (others become "_"), no leading dot, and device
    names such as CON get a trailing "_". "../x" becomes "___x", never a path."""
    import re
    import unicodedata

    s = unicodedata.normalize("NFC", str(code)).strip()
    s = re.sub(r"[^\w.\-]", "_", s, flags=re.ASCII)
    s = re.sub(r"^\.+", lambda m: "_" * len(m.group()), s) or "_"
    if s.split(".")[0].upper() in _RESERVED:
        s += "_"
    return s[:120]


def plain_name(text: str) -> str:
    """A file name from what an analyst typed, without diacritics: "Số liệu huyện.xlsx" ->
    "So_lieu_huyen.xlsx" (then made safe as `safe_name` does); "" where nothing is left."""
    import re

    from .vietnamese import plain

    words = re.findall(r"[A-Za-z0-9.\-]+", plain(text))
    return safe_name("_".join(words)) if words else ""

