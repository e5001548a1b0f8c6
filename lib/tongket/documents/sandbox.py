"""The sandbox Word templates are filled in. Templates travel between offices and anyone can edit
one, so a template is treated as untrusted: it may read the fields the kit gives it and format
them, nothing else.

- Jinja's immutable sandbox: no attribute or key that starts with "_" or is Python's inside
  (`__class__`, `mro`, `__globals__`, `gi_frame`…), no changing the data.
- Default deny on calls: only `range` (bounded), `namespace`, `dict`, the template's own macros,
  `loop.cycle`/`loop.changed` and a few read-only methods of text, lists and dicts.
  `cycler`, `joiner` and `lipsum` are gone.
- Only the filters a document needs (the kit's `so`, `phan_tram`, `la_ma`, and formatting ones);
  no `attr`, `format`, `safe`, `center`, `indent`, `wordwrap`…
- Bounds: every `for` loop of one rendering shares a budget of steps; text and lists built in a
  template (`~`, `+`, `*`, `join`) are bounded in length; so is the whole output.

Breaking any of these raises `jinja2.sandbox.SecurityError` (a TemplateError).
"""

from __future__ import annotations

import contextvars
import inspect
import math
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import jinja2
from jinja2 import nodes
from jinja2.runtime import LoopContext, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

MAX_LOOP_STEPS = 2_000_000  # iterations of all `for` loops in one rendering of one part
MAX_RANGE = 100_000  # the longest range() a template may ask for
MAX_VALUE_CHARS = 2_000_000  # text or list a template builds itself
MAX_OUTPUT_CHARS = 64_000_000  # one rendered part (a province's report is a few MB)

# Names Python uses for its inside, beyond those starting with "_" (refused by the sandbox too).
UNSAFE_NAMES = frozenset({
    "mro", "func_globals", "func_code", "func_closure", "f_globals", "f_locals", "f_builtins", "f_back", "f_code",
    "gi_frame", "gi_code", "gi_yieldfrom", "cr_frame", "cr_code", "cr_await", "ag_frame", "ag_code", "ag_await",
    "tb_frame", "tb_next", "im_class", "im_func", "im_self", "co_code", "format", "format_map",
})
REMOVED_GLOBALS = ("cycler", "joiner", "lipsum")
ALLOWED_FILTERS = frozenset({
    "so", "phan_tram", "la_ma",
    "upper", "lower", "title", "capitalize", "trim", "striptags", "wordcount", "length", "count",
    "default", "d", "e", "escape", "first", "last", "join", "int", "float", "round", "abs", "string",
    "sort", "reverse", "unique", "min", "max", "list", "select", "reject", "selectattr", "rejectattr", "map",
    "groupby", "dictsort", "items",
})
SAFE_METHODS = {
    str: {"upper", "lower", "title", "capitalize", "strip", "lstrip", "rstrip", "startswith", "endswith", "split",
          "rsplit", "count", "find", "isdigit", "isnumeric", "isalpha", "isspace", "islower", "isupper"},
    dict: {"get", "items", "keys", "values"},
    list: {"index", "count"},
    tuple: {"index", "count"},
}
_LOOP_FILTER = "_gioi_han_vong_lap"
_TEXT_FILTER = "_gioi_han_do_dai"


class _Budget:
    def __init__(self) -> None:
        self.steps = MAX_LOOP_STEPS


_BUDGET: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("tongket_template_budget", default=None)


def _n(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _sized(value: Any, what: str) -> Any:
    """`value`, refused where it is text or a list longer than a template may build."""
    if isinstance(value, str | list | tuple | bytes) and len(value) > MAX_VALUE_CHARS:
        raise SecurityError(f"{what} quá dài ({_n(len(value))} > {_n(MAX_VALUE_CHARS)})")
    return value


def _bounded_loop(iterable: Iterable[Any]) -> Iterator[Any]:
    budget = _BUDGET.get() or _Budget()
    for item in iterable:
        budget.steps -= 1
        if budget.steps < 0:
            raise SecurityError(f"vòng lặp chạy quá {_n(MAX_LOOP_STEPS)} bước")
        yield item


def _range(*args: int) -> range:
    r = range(*args)
    if len(r) > MAX_RANGE:
        raise SecurityError(f"range() quá dài ({_n(len(r))} > {_n(MAX_RANGE)})")
    return r


_JOIN = jinja2.filters.do_join


def _bounded_power(left: Any, right: Any) -> bool:
    if isinstance(left, int | float) and isinstance(right, int | float):
        if abs(left) <= 1 or right <= 0:
            return True
        return right * math.log2(abs(left)) <= 1024
    return True


class _Template(jinja2.Template):
    """A template whose rendering has its own loop budget and a bounded output."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        token = _BUDGET.set(_Budget())
        try:
            out, size = [], 0
            for chunk in self.generate(*args, **kwargs):
                size += len(chunk)
                if size > MAX_OUTPUT_CHARS:
                    raise SecurityError(f"văn bản điền ra quá dài (hơn {_n(MAX_OUTPUT_CHARS)} ký tự)")
                out.append(chunk)
            return "".join(out)
        finally:
            _BUDGET.reset(token)


class TemplateSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, tightened for untrusted Word templates (see the module)."""

    template_class = _Template
    intercepted_binops = frozenset({"+", "*", "**", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        for name in REMOVED_GLOBALS:
            self.globals.pop(name, None)
        self.globals["range"] = _range
        self.filters = {k: v for k, v in self.filters.items() if k in ALLOWED_FILTERS}
        self.filters["join"] = _join_filter(self)
        self.filters[_LOOP_FILTER] = _bounded_loop
        self.filters[_TEXT_FILTER] = lambda v: _sized(v, "văn bản ghép nối")

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """No name of Python's inside; otherwise as the immutable sandbox decides."""
        return attr not in UNSAFE_NAMES and super().is_safe_attribute(obj, attr, value)

    def is_safe_callable(self, obj: Any) -> bool:
        """Default deny: only the few callables a document template needs."""
        if obj is _range or obj is self.globals.get("namespace") or obj is dict:
            return True
        if isinstance(obj, Macro | LoopContext):
            return True
        owner = getattr(obj, "__self__", None)
        name = getattr(obj, "__name__", "")
        if owner is None or not (inspect.ismethod(obj) or inspect.isbuiltin(obj)):
            return False
        if isinstance(owner, LoopContext):
            return name in ("cycle", "changed")
        return any(isinstance(owner, kind) and name in allowed for kind, allowed in SAFE_METHODS.items())
        return False

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """Call a permitted callable; refuse the rest."""
        if not __self.is_safe_callable(__obj):
            raise SecurityError(f"mẫu không được gọi {getattr(__obj, '__name__', type(__obj).__name__)!r}")
        return __context.call(__obj, *args, **kwargs)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        """Arithmetic on numbers as usual; text and lists only up to a bounded length."""
        if operator == "%" and isinstance(left, str | bytes):
            raise SecurityError("mẫu không được định dạng chuỗi bằng %")
        if operator == "**" and not _bounded_power(left, right):
            raise SecurityError("lũy thừa quá lớn")
        if operator == "*":
            seq, n = (left, right) if isinstance(left, str | list | tuple) else (right, left)
            if isinstance(seq, str | list | tuple) and isinstance(n, int) and len(seq) * n > MAX_VALUE_CHARS:
                raise SecurityError("lặp chuỗi hoặc danh sách quá dài")
        return _sized(super().call_binop(context, operator, left, right), "kết quả phép tính")

    def _generate(self, source: nodes.Template, name: str | None, filename: str | None,
                  defer_init: bool = False) -> str:
        """Compile with every `for` loop drawn from the budget and every `~` bounded in length."""
        every = [source, *source.find_all(nodes.Node)]  # listed first: the tree changes below
        for loop in every:
            if isinstance(loop, nodes.For):
                loop.iter = nodes.Filter(loop.iter, _LOOP_FILTER, [], [], None, None, lineno=loop.lineno)
        for parent in every:
            for field in parent.fields:
                value = getattr(parent, field, None)
                if isinstance(value, nodes.Concat):
                    setattr(parent, field, _bounded_text(value))
                elif isinstance(value, list):
                    setattr(parent, field, [_bounded_text(v) if isinstance(v, nodes.Concat) else v for v in value])
        return super()._generate(source, name, filename, defer_init)


def _bounded_text(node: nodes.Concat) -> nodes.Filter:
    return nodes.Filter(node, _TEXT_FILTER, [], [], None, None, lineno=node.lineno)


def _join_filter(env: jinja2.Environment) -> Any:
    @jinja2.pass_eval_context
    def join(eval_ctx: Any, value: Iterable[Any], d: str = "", attribute: str | int | None = None) -> str:
        items = list(value)
        if sum(len(str(x)) for x in items) + len(d) * len(items) > MAX_VALUE_CHARS:
            raise SecurityError("join: văn bản nối lại quá dài")
        return _JOIN(eval_ctx, items, d, attribute)

    return join


def declared_dtd(path: str | Path | IO[bytes]) -> str | None:
    """The part of a Word (or any Office) file that declares a DTD or entities, if one does: Word
    never writes one, and entities are how an XML bomb or an external-entity read is built. The
    declaration can only come before the root element, so the first bytes of each part tell."""
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            if info.filename.endswith((".xml", ".rels")):
                with z.open(info) as fh:
                    head = fh.read(8192).upper()
                if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                    return info.filename
    return None


__all__ = ["ALLOWED_FILTERS", "REMOVED_GLOBALS", "UNSAFE_NAMES", "SecurityError", "TemplateSandbox"]
