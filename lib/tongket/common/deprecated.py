"""Old public names kept for one release: each warns (DeprecationWarning) and calls the new one."""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar, cast

P = ParamSpec("P")
R = TypeVar("R")


def message(old: str, new: str) -> str:
    """The warning an old name gives (Vietnamese: analysts call these names from notebooks)."""
    return f"«{old}» nay là «{new}»; tên cũ chỉ được giữ thêm một bản phát hành"


def warn(old: str, new: str, stacklevel: int = 2) -> None:
    """Warn that `old` is now `new` (DeprecationWarning); `stacklevel` as `warnings.warn` would take
    it where `warn` is called (2: the line that called the caller)."""
    warnings.warn(message(old, new), DeprecationWarning, stacklevel=stacklevel + 1)


def _translated(kwargs: dict[str, Any], keywords: dict[str, str], where: str) -> list[str]:
    """Move each old keyword of `kwargs` to its new name; the old ones that were used."""
    used = [old for old in keywords if old in kwargs]
    for old in used:
        if keywords[old] in kwargs:
            raise TypeError(f"{where}() got both {old}= and its new name {keywords[old]}=")
        kwargs[keywords[old]] = kwargs.pop(old)
    return used


def renamed(new: Callable[P, R], old: str, **keywords: str) -> Callable[P, R]:
    """`new` under its old name `old` (and its old keywords, `old_keyword="new_keyword"`): warns
    once per call, then calls `new`."""
    qualname = new.__qualname__.rsplit(".", 1)
    old_qualname = ".".join([*qualname[:-1], old])

    @functools.wraps(new)
    def alias(*args: Any, **kwargs: Any) -> Any:
        warnings.warn(message(old_qualname, new.__qualname__), DeprecationWarning, stacklevel=2)
        _translated(kwargs, keywords, old)
        return new(*args, **kwargs)

    alias.__name__, alias.__qualname__ = old, old_qualname
    alias.__doc__ = f"Deprecated alias of `{new.__qualname__}`, kept for one release."
    return cast(Callable[P, R], alias)


def old_keywords(**keywords: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Accept each old keyword argument (`old="new"`) for one release: warns, then passes it on
    under its new name."""
    def decorate(f: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(f)
        def accepting(*args: Any, **kwargs: Any) -> Any:
            for old in _translated(kwargs, keywords, f.__qualname__):
                warnings.warn(message(f"{f.__qualname__}({old}=…)", f"{f.__qualname__}({keywords[old]}=…)"),
                              DeprecationWarning, stacklevel=2)
            return f(*args, **kwargs)

        return cast(Callable[P, R], accepting)

    return decorate
