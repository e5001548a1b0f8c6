"""Filling Word templates: docxtpl with autoescaping and strict undefined variables, in the sandbox,
with images; atomic and reproducible saving. What a document says is built in `contexts` and
`details`: this module only renders and saves."""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2
from docx import Document
from docx.parts.styles import StylesPart
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from lxml import etree

from ..common.compat import write_docx_package
from ..common.files import FIXED_TIME, atomic_path, normalise_zip, sha256
from ..common.vietnamese import la_ma, phan_tram, so
from ..errors import RenderError
from . import long_lists
from .sandbox import SecurityError, TemplateSandbox, declared_dtd

IMAGE_WIDTH = Mm(160)
KEPT = 64  # entries each of this module's per-process memos keeps (a template is a few parts of ~100 KB)


def _remember(memo: dict, key: Any, make: Any) -> Any:
    """`memo[key]`, made by `make()` the first time; a full memo is emptied first (a batch fills the
    same few templates again and again; an edited template is a new key)."""
    if key not in memo:
        if len(memo) >= KEPT:
            memo.clear()
        memo[key] = make()
    return memo[key]


class _CompilingOnce(TemplateSandbox):
    """An environment that compiles each template source once: docxtpl compiles a document's
    XML on every render, and a district renders the same assessment sheet for every Đoàn cơ sở
    (the compiled template is reused, never the output)."""

    def from_string(self, source, globals=None, template_class=None):
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        compile_ = super().from_string
        return _remember(self.__dict__.setdefault("_compiled", {}), source, lambda: compile_(source))


def jinja_env() -> jinja2.Environment:
    """Autoescape everything (a name with & or < prints as typed); fail on any missing field; run
    the template in the sandbox (tongket.documents.sandbox: no Python inside, bounded loops and output).
    One environment per process, which keeps the compiled templates."""
    global _ENV
    if _ENV is None:
        _ENV = _CompilingOnce(autoescape=True, undefined=jinja2.StrictUndefined)
        _ENV.filters.update(so=so, phan_tram=phan_tram, la_ma=la_ma)
    return _ENV


_ENV: jinja2.Environment | None = None


class _Template(DocxTemplate):
    """docxtpl's template, remembering its clean-up of the tags Word splits across runs
    (patch_xml, a dozen regular expressions over the whole part) for each part it has seen: a
    batch fills the same few templates hundreds of times, with the same result every time.

    The template itself is parsed once per document, and kept in the process from its second
    document on (keyed by its bytes, so an edited template is read again): each render gets a
    deep copy of the parsed document, never the parsed one, and the body's XML text of that
    pristine copy is kept too (docxtpl serialises it on every render). A template filled for one
    document, as most of the province's are, is not kept (`render_docx`): it would hold its parsed
    tree for nothing (37 MB in the province's worker at 1.000 districts)."""

    _patched: dict[str, str] = {}
    _parsed: dict[str, tuple[Any, str, dict]] = {}  # template hash -> (pristine Document, body XML, shared parts)
    _seen: set[str] = set()  # hashes of the templates this process has filled a document of

    def patch_xml(self, src_xml: str) -> str:
        patch = super().patch_xml
        return _remember(self._patched, src_xml, lambda: patch(src_xml))

    def init_docx(self, reload: bool = True) -> None:
        me: Any = self  # docxtpl's attributes are untyped
        if not me.docx or (me.is_rendered and reload):
            me.docx, me._body_xml = _pristine(me.template_file, self.__dict__.get("_source"))
            me.is_rendered = False

    def get_xml(self) -> str:
        body = self.__dict__.get("_body_xml")
        return body if body is not None else super().get_xml()

    _broken: dict[str, str] = {}

    def render_xml_part(self, src_xml: str, part: Any, context: dict[str, Any], jinja_env: Any = None) -> str:
        """docxtpl's own (0.20), with its two passes of `re.sub` over the part made by plain replacement,
        which gives the same text (`<w:p` followed by a space or `>`, put on a line of its own for
        the template's line numbers, then back), and the first pass remembered per source."""
        src = self.jinja_source(src_xml)
        try:
            self.current_rendering_part = part
            template = jinja_env.from_string(src) if jinja_env else jinja2.Template(src)
            dst = template.render(context)
        except jinja2.TemplateError as exc:
            if getattr(exc, "lineno", None) is not None:  # docxtpl's context for a message (the kit words its own)
                first = max(exc.lineno - 4, 0)  # type: ignore[attr-defined]  # checked just above
                exc.docx_context = [re.sub(r"<[^>]+>", "", x)  # type: ignore[attr-defined]  # docxtpl's own attribute
                                    for x in src.splitlines()[first:first + 7]]
            raise
        dst = join_paragraphs(dst)
        dst = dst.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        return self.resolve_listing(dst)

    def jinja_source(self, src_xml: str) -> str:
        """The jinja text docxtpl renders for a patched part: each paragraph on a line of its own
        (remembered per source)."""
        return _remember(self._broken, src_xml, lambda: break_paragraphs(src_xml))

    def resolve_listing(self, xml: str) -> str:
        # docxtpl turns tabs, line breaks and page breaks typed in a value into Word's elements with
        # three nested regular-expression passes over the whole part; without any of those
        # characters every pass gives back its input: skip them (same text, same bytes).
        if not any(c in xml for c in "\t\a\n\f"):
            return xml
        return super().resolve_listing(xml)

    def map_tree(self, tree: Any) -> None:
        self.__dict__["_body_xml"] = None  # the body is the rendered one from here on
        super().map_tree(tree)


def break_paragraphs(xml: str) -> str:
    """docxtpl's ``re.sub(r"<w:p([ >])", r"\\n<w:p\\1", xml)``, by replacement."""
    return xml.replace("<w:p ", "\n<w:p ").replace("<w:p>", "\n<w:p>")


def join_paragraphs(xml: str) -> str:
    """docxtpl's ``re.sub(r"\\n<w:p([ >])", r"<w:p\\1", xml)``, by replacement."""
    return xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")


def _source(template: str | Path) -> tuple[bytes, str]:
    """A template's bytes and their hash: what its memos here are keyed by."""
    blob = Path(template).read_bytes()
    return blob, sha256(blob)


def _pristine(template: Any, source: tuple[bytes, str] | None = None) -> tuple[Any, str]:
    """A fresh copy of `template`'s parsed Word document, and its body's XML text, parsing the
    file only when its bytes are not kept (`render_docx` decides how long they are).

    The copy shares the template's styles part (`_SharedStyles`): nothing a render does changes the
    styles (docxtpl fills the body, headers, footers, footnotes and properties; the kit sets the
    properties), and Word's full list of styles is most of a template's XML, about three quarters of
    a deep copy."""
    blob, key = source or _source(template)
    document, body, shared = _remember(_Template._parsed, key, lambda: _parse(blob))
    return copy.deepcopy(document, dict(shared)), body  # (deepcopy adds every copy to the dict it is given)


def _parse(blob: bytes) -> tuple[Any, str, dict]:
    """A template's Word document, its body's XML text, and its styles part made shareable."""
    document = Document(io.BytesIO(blob))
    body = etree.tostring(document._element.body, encoding="unicode", pretty_print=False)
    shared = {}
    for part in document.part.package.parts:
        if type(part) is StylesPart:
            part.__class__ = _SharedStyles
            shared[id(part)] = part
    return document, body, shared


def _pristine_body(template: Path, source: tuple[bytes, str]) -> str:
    """The template's body XML as `_pristine` gives it, without a copy of the document."""
    return _remember(_Template._parsed, source[1], lambda: _parse(source[0]))[1]


_DTD: dict[str, str | None] = {}  # template hash -> what `declared_dtd` found


def _declared_dtd(template: Path, source: tuple[bytes, str] | None = None) -> str | None:
    """`declared_dtd`, looked for once per template's bytes in this process (a batch fills the same
    few templates hundreds of times; an edited template is another key)."""
    blob, key = source or _source(template)
    return _remember(_DTD, key, lambda: declared_dtd(io.BytesIO(blob)))


class _SharedStyles(StylesPart):
    """A template's styles part, shared by every render's copy and changed by none (`_pristine`):
    serialised once (360 kB of XML in the bundled templates, 3 ms each time), not once per document."""

    @property
    def blob(self) -> bytes:
        if "_blob_once" not in self.__dict__:
            self.__dict__["_blob_once"] = super().blob
        return self.__dict__["_blob_once"]


def _save(tpl: DocxTemplate, path: Path) -> None:
    """Save a rendered template reproducibly (save_document). docxtpl's picture and media
    replacement (not used by the kit) keep its own save, then the zip is rewritten."""
    if tpl.pics_to_replace or tpl.crc_to_new_media or tpl.crc_to_new_embedded or tpl.zipname_to_replace:
        tpl.save(path)
        normalise_zip(path)
        return
    save_document(tpl.docx, path)


def fix_properties(document: Any) -> None:
    """Give a python-docx Document the kit's fixed core properties (time, author, revision): same
    content, same bytes."""
    core = document.core_properties
    core.created = core.modified = datetime(*FIXED_TIME)
    core.last_modified_by, core.revision = "tongket", 1


def save_document(document: Any, path: Path) -> None:
    """Save a python-docx Document reproducibly: its parts straight into a fixed-time zip, instead of
    saving and then rewriting the whole zip."""
    write_docx_package(document, path)


def render_docx(template: str | Path, context: dict[str, Any], out: str | Path,
                images: Mapping[str, str | Path | None] | None = None) -> Path:
    """Fill `template` with `context` (+ `bieu_do`: images by name) and save `out` atomically. A
    context with a list of thousands of rows is filled slice by slice where that gives the same bytes
    (`long_lists`)."""
    template = Path(template)
    if not template.is_file():
        raise RenderError(f"Không có mẫu văn bản {template} (tạo lại bằng: make templates)")
    try:
        source = _source(template)  # read and hashed once for the check and the parsed copies
        dtd = _declared_dtd(template, source)
        if dtd:  # refused before any XML parser sees it
            raise RenderError(f"Mẫu {template.name} có khai báo DOCTYPE/ENTITY trong phần {dtd} (Word không bao giờ "
                              "ghi như vậy; có thể là «bom XML») → Cách sửa: không dùng mẫu này, lấy lại mẫu gốc "
                              "(make templates)")
    except RenderError:
        raise
    except Exception as exc:  # docx/zip errors of a damaged template
        raise RenderError(f"Không mở được mẫu văn bản {template.name}: {exc}") from exc

    def fill(ctx: dict[str, Any]) -> _Template:
        tpl = _Template(template)
        tpl.__dict__["_source"] = source
        _fill(tpl, ctx, images, template.name)
        return tpl

    first = source[1] not in _Template._parsed and source[1] not in _Template._seen  # its first document here
    try:
        sliced = None
        keys = long_lists.long_lists(context)
        if keys:
            sliced = long_lists.fill_in_slices(fill, _body_source(template, source), jinja_env().parse,
                                               source[0], context, keys)
        if sliced is None:
            tpl = fill(context)
        else:
            tpl, pieces = sliced
            _give_pieces(tpl.docx.part, pieces)
    finally:
        if first:  # kept from the template's second document on (a list's slices are one document)
            _Template._parsed.pop(source[1], None)
            if len(_Template._seen) >= KEPT:
                _Template._seen.clear()
            _Template._seen.add(source[1])
    fix_properties(tpl.docx)
    out = Path(out)
    with atomic_path(out) as tmp:
        _save(tpl, tmp)
    tpl.docx.element.body.clear()  # the filled tree freed now: a document's parts hold cycles, collected late
    tpl.docx.part.__dict__.pop("_filled_pieces", None)  # and a body filled in slices (12,8 MB at 1.000 districts)
    return out


def _fill(tpl: _Template, context: dict[str, Any], images: Mapping[str, str | Path | None] | None, name: str) -> None:
    """Render `context` (+ the images) into `tpl`, every failure said as a RenderError naming the template."""
    ctx = dict(context)
    ctx["bieu_do"] = {k: (InlineImage(tpl, str(v), width=IMAGE_WIDTH) if v else None)
                      for k, v in (images or {}).items()}
    # The charts present, numbered in the order drawn: a report without one has no gap ("Biểu đồ 1, 3").
    ctx["so_bieu_do"] = {k: str(i) for i, k in enumerate((k for k, v in (images or {}).items() if v), start=1)}
    try:
        tpl.render(ctx, jinja_env=jinja_env(), autoescape=True)
    except jinja2.UndefinedError as exc:
        raise RenderError(f"Mẫu {name} dùng trường chưa có dữ liệu: {exc.message}") from exc
    except jinja2.TemplateSyntaxError as exc:
        from .template_check import syntax_message

        raise RenderError(f"Mẫu {name} sai cú pháp trường (dòng {exc.lineno}): "
                          f"{syntax_message(exc.message or str(exc))} → Cách sửa: kiểm tra mẫu bằng "
                          "«tongket templates check»") from exc
    except SecurityError as exc:
        raise RenderError(f"Mẫu {name} có thẻ bị chặn vì an toàn ({exc}): mẫu văn bản chỉ được dùng các "
                          "trường dữ liệu, có thể mẫu đã bị sửa để chạy lệnh trên máy → Cách sửa: không dùng mẫu "
                          "này; kiểm tra bằng «tongket templates check», lấy lại mẫu gốc (make templates)") from exc
    except (jinja2.TemplateError, RecursionError) as exc:
        raise RenderError(f"Mẫu {name} không điền được: {exc} → Cách sửa: kiểm tra mẫu bằng "
                          "«tongket templates check»") from exc


def _body_source(template: Path, source: tuple[bytes, str]) -> str:
    """The jinja source docxtpl renders for the template's body (its XML with Word's split tags
    mended), as `render_xml_part` compiles it."""
    tpl = _Template(template)
    return tpl.jinja_source(tpl.patch_xml(_pristine_body(template, source)))


_BLOB_CLASSES: dict[type, type] = {}


def _give_pieces(part: Any, pieces: list[bytes]) -> None:
    """Make `part` save as `pieces` (the body filled slice by slice, in order) instead of serialising
    its tree: the kit's package writer writes them piece by piece (`blob_pieces`), never joined; any
    other reader of `blob` gets them joined."""
    cls = type(part)
    if cls not in _BLOB_CLASSES:
        _BLOB_CLASSES[cls] = type(f"Filled{cls.__name__}", (cls,), {
            "blob": property(lambda self: b"".join(self.__dict__["_filled_pieces"])),
            "blob_pieces": property(lambda self: self.__dict__["_filled_pieces"])})
    part.__class__ = _BLOB_CLASSES[cls]
    part.__dict__["_filled_pieces"] = pieces
