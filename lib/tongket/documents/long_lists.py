"""Filling a document whose tables list thousands of rows, slice by slice (`render_docx`).

docxtpl fills a document's body whole: the jinja text, then one lxml tree of it, kept as the
document until it is saved. The province's registration list at 1.000 districts has 13.689 rows,
a 12,8 MB part whose tree alone holds about 140 MB. Here the body is filled once with every long list
cut down to two marker rows (the skeleton), then once per slice of each list between the same two
marker rows. The bytes between the marker rows of a slice are that slice's rows exactly as the whole
document serialises them, and the document's part is the skeleton with each pair of marker rows
replaced by its list's rows.

That is byte for byte the whole render when each row is a plain row, which is checked first:
- the template loops over the list once, at its top level, and each row prints fields of its own item
  only (no `loop`, no other variable, no statement, no call): every row has the same cells, so the
  table's grid (docxtpl's `fix_tables`) and the rows around it come out the same whatever the slice;
- elsewhere the list is only tested for being empty (every render here has rows), and no other part
  (headers, footers, properties) names it;
- its items are mappings of plain text or numbers (autoescaped: no markup changes a row's shape).
Then every slice is checked against the skeleton: the marker rows found once each, as whole rows;
the bytes before and after them identical to the skeleton's. Anything else: `None`, and the caller
fills the document whole, as before.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Mapping
from typing import Any

from jinja2 import nodes

from ..errors import RenderError

ROWS = 500  # rows of a list filled at a time; longer lists are filled in slices
_STATEMENTS = (nodes.Assign, nodes.AssignBlock, nodes.For, nodes.If, nodes.Macro, nodes.CallBlock, nodes.FilterBlock,
               nodes.With, nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends, nodes.Block, nodes.ExprStmt,
               nodes.Scope, nodes.OverlayScope, nodes.EvalContextModifier)
_OPEN = (b"<w:tr>", b"<w:tr ")
_CLOSE = b"</w:tr>"


class _Unsliced(Exception):
    """The document cannot be filled in slices byte for byte: fill it whole."""


def long_lists(context: Mapping[str, Any]) -> list[str]:
    """The context's lists long enough to be filled in slices."""
    return [k for k, v in context.items() if isinstance(v, list) and len(v) > ROWS]


def fill_in_slices(fill: Callable[[dict], Any], body: str, parse: Callable[[str], nodes.Template],
                   template: bytes, context: Mapping[str, Any], keys: list[str]) -> tuple[Any, list[bytes]] | None:
    """The document filled slice by slice: the filled skeleton (docxtpl's template) and the bytes of
    its body part in pieces, in order (written so, never joined), or None where the rows are not
    plain rows (module docstring). `fill(ctx)` fills a fresh template with `ctx`; `body` is the
    body's jinja source and `parse` jinja's parser; `template` is the template file's bytes."""
    keys = [k for k in keys if _plain_items(context[k]) and _only_in_body(template, k)]
    if keys:
        tree = parse(body)
        keys = [k for k in keys if _plain_loop(tree, k)]
    if not keys:
        return None
    try:
        return _fill(fill, context, keys)
    except (_Unsliced, RenderError):  # a marker row a filter refuses: the whole render says what is wrong, if anything
        return None


def _fill(fill: Callable[[dict], Any], context: Mapping[str, Any], keys: list[str]) -> tuple[Any, list[bytes]]:
    markers = {k: (f"\ue000{i}\ue001".encode(), f"\ue000{i}\ue002".encode()) for i, k in enumerate(keys)}
    ends = {k: [_item(context[k], m[0]), _item(context[k], m[1])] for k, m in markers.items()}
    skeleton = fill({**context, **ends})
    whole = skeleton.docx.part.blob
    places = {k: _marker_rows(whole, *markers[k]) for k in keys}
    if any(p[1] != p[2] for p in places.values()):  # a list's two marker rows side by side, nothing between
        raise _Unsliced
    rows: dict[str, list[bytes]] = {}
    for k in keys:
        s0, _, _, e1 = places[k]
        before, after = whole[:s0], whole[e1:]
        items, rows[k] = context[k], []
        for first in range(0, len(items), ROWS):
            part = items[first:first + ROWS]
            filled = fill({**context, **ends, k: [ends[k][0], *part, ends[k][1]]}).docx
            blob = filled.part.blob
            filled.element.body.clear()  # this slice's tree freed now, not when cycles are next collected
            p0, p1, p2, p3 = _marker_rows(blob, *markers[k])
            if blob[:p0] != before or blob[p3:] != after or _count_rows(blob, p1, p2) != len(part):
                raise _Unsliced
            if any(blob.count(m) != whole.count(m) for pair in markers.values() for m in pair):
                raise _Unsliced  # a marker typed in the data
            rows[k].append(blob[p1:p2])
    out, at = [], 0
    for k in sorted(keys, key=lambda k: places[k][0]):
        s0, _, _, e1 = places[k]
        if s0 < at:
            raise _Unsliced
        out += [whole[at:s0], *rows[k]]
        at = e1
    out.append(whole[at:])
    return skeleton, out


def _item(items: list, marker: bytes) -> dict[str, str]:
    """A marker row: every field of the list's items printing `marker`."""
    text = marker.decode()
    return {name: text for item in items for name in item}


def _marker_rows(blob: bytes, start: bytes, end: bytes) -> tuple[int, int, int, int]:
    """Where the start marker's row begins and ends, then the end marker's row: each a whole row of
    its own, found once."""
    return (*_row_of(blob, start), *_row_of(blob, end))


def _row_of(blob: bytes, marker: bytes) -> tuple[int, int]:
    first, last = blob.find(marker), blob.rfind(marker)
    if first < 0:
        raise _Unsliced
    begin = max(blob.rfind(tag, 0, first) for tag in _OPEN)
    end = blob.find(_CLOSE, last)
    if begin < 0 or end < 0:
        raise _Unsliced
    end += len(_CLOSE)
    if _count_rows(blob, begin, end) != 1 or blob.count(_CLOSE, begin, end) != 1 or b"<w:tbl" in blob[begin:end]:
        raise _Unsliced
    return begin, end


def _count_rows(blob: bytes, begin: int, end: int) -> int:
    """How many rows begin in `blob[begin:end]`; refused (_Unsliced) where one holds a picture."""
    if b"docPr" in blob[begin:end]:  # a picture's id is numbered across the document (fix_docpr_ids)
        raise _Unsliced
    return sum(blob.count(tag, begin, end) for tag in _OPEN)


def _plain_items(items: list) -> bool:
    return all(isinstance(item, Mapping) and all(v is None or type(v) in (str, int, float) for v in item.values())
               for item in items)


def _only_in_body(template: bytes, key: str) -> bool:
    """Whether no part of the template but its body names `key` in a field or tag (headers, footers,
    footnotes and properties are filled from the skeleton's context). A part's text is read without
    its XML, so a tag Word split across runs is read whole."""
    word = re.compile(rf"(?<![\w.]){re.escape(key)}(?!\w)")
    with zipfile.ZipFile(io.BytesIO(template)) as z:
        for name in z.namelist():
            if name == "word/document.xml" or not name.endswith((".xml", ".rels")):
                continue
            text = re.sub(r"<[^>]*>", "", z.read(name).decode("utf-8", "replace"))
            if any(word.search(tag) for tag in re.findall(r"\{[{%].*?[%}]\}", text, flags=re.S)):
                return False
    return True


def _plain_loop(tree: nodes.Template, key: str) -> bool:
    """Whether `key` is looped over once, at the template's top level (inside `if` blocks at most), by
    a loop whose rows print their own item's fields only; and is otherwise only tested for being empty."""
    loops = [f for f in tree.find_all(nodes.For) if isinstance(f.iter, nodes.Name) and f.iter.name == key]
    if len(loops) != 1:
        return False
    loop = loops[0]
    if loop.recursive or loop.test is not None or not _top_level(tree, loop):
        return False
    own = {n.name for n in loop.target.find_all(nodes.Name)} if not isinstance(loop.target, nodes.Name) \
        else {loop.target.name}
    for node in loop.body:
        if not isinstance(node, nodes.Output) or any(isinstance(n, (*_STATEMENTS, nodes.Call)) for n in node.find_all(
                (*_STATEMENTS, nodes.Call))):
            return False
        if any(n.name not in own for n in node.find_all(nodes.Name)):
            return False
    tests = {id(t) for t in _emptiness_tests(tree, key)}
    return all(n is loop.iter or id(n) in tests for n in tree.find_all(nodes.Name) if n.name == key)


def _top_level(tree: nodes.Template, loop: nodes.For) -> bool:
    """Whether `loop` sits in the template's body or in `if` blocks only."""
    def within(body: list) -> bool:
        for node in body:
            if node is loop:
                return True
            if isinstance(node, nodes.If) and (within(node.body) or any(within(e.body) for e in node.elif_)
                                               or within(node.else_)):
                return True
        return False
    return within(tree.body)


def _emptiness_tests(tree: nodes.Template, key: str) -> list[nodes.Name]:
    """The `if key`, `if not key` and `… if key else …` tests of `key`."""
    out = []
    for node in tree.find_all((nodes.If, nodes.CondExpr)):
        test = node.test if isinstance(node, (nodes.If, nodes.CondExpr)) else None  # (find_all is typed Node)
        while isinstance(test, nodes.Not):
            test = test.node
        if isinstance(test, nodes.Name) and test.name == key:
            out.append(test)
    return out
