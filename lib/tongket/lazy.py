"""Public names imported from their modules on first use (PEP 562), so that importing a package
costs nothing until a name is used: the CLI decides an unchanged rerun without loading pandas."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any


def lazy_names(package: str, table: dict[str, str], namespace: dict[str, Any]) -> Callable[[str], Any]:
    """A module ``__getattr__``: a name in `table` (name -> submodule of `package`) is imported from
    that submodule on first use and kept in `namespace` (the calling module's globals)."""

    def __getattr__(name: str) -> Any:
        if name in table:
            value = getattr(import_module(f".{table[name]}", package), name)
            namespace[name] = value
            return value
        raise AttributeError(f"module {namespace.get('__name__', package)!r} has no attribute {name!r}")

    return __getattr__
