"""Checking the Word templates analysts edit: every field a template uses against the fields the
kit fills, and the tags Word tends to break (missing spaces, curly quotes, a tag split across
formatting runs, unbalanced braces, block tags left open). Also writes the field list
(templates/README.md), like Word's list of merge fields."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes

from .fields_doc import FIELDS
from .members import fields as member_fields

ERROR, WARNING = "lỗi", "cảnh báo"
# Frame fields every official document shows (29-HD/TWĐTN-VP); numbered ones also show the number.
REQUIRED = ["vb.co_quan_ban_hanh", "vb.dia_danh", "vb.ngay", "vb.tm", "vb.nguoi_ky"]
NUMBERED = ["vb.so", "vb.ky_hieu", "vb.noi_nhan[]"]
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_OPEN_OK = re.compile(r"^\{[{%](?:p|r|tr|tc)?[\s-]")
_CLOSE_OK = re.compile(r"[\s-][}%]\}$")


@dataclass
class Problem:
    """One problem in a template: severity, where (paragraph number or part), the tag, the rule."""

    severity: str
    where: str
    tag: str
    rule: str

    def __str__(self) -> str:
        tag = f" «{self.tag}»" if self.tag else ""
        return f"  {self.severity}: {self.where}{tag}: {self.rule}"


@dataclass
class Report:
    """A template's fields and problems."""

    path: Path
    doc_key: str | None
    fields: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]


# ---------------------------------------------------------------- fields the kit fills
def _flat(v: Any, prefix: str, out: set[str]) -> None:
    if isinstance(v, dict):
        for k, x in v.items():
            if not str(k).startswith("_"):
                _flat(x, f"{prefix}.{k}" if prefix else str(k), out)
    elif isinstance(v, list):
        if v and isinstance(v[0], dict):
            for x in v:
                _flat(x, prefix + "[]", out)
        else:
            out.add(prefix + "[]")
    else:
        out.add(prefix)


_SAMPLE: dict[tuple, dict[str, frozenset[str]]] = {}  # the bundled sample's fields, by its files' identity


def context_paths(review: Any = None) -> dict[str, set[str]]:
    """Every field each document kind is filled with, from real contexts (the bundled sample by
    default, reported per district and per Đoàn cơ sở): the one source of truth for the check and
    the field list.

    Finding them builds every document of every reporting unit at both levels (40 s of CPU for the
    sample, most of `tongket templates check`), so they are found once per review (`once`), and for
    the bundled sample once per process while its cycle and workbook files are the same ones (the
    key `open_review`'s cache of a worker uses): checking several templates, then writing the field
    list, builds them once."""
    from ..assessment.review import inputs_key, once, open_review
    from ..rules.params import load_cycle

    if review is not None:
        found = once(review, ("context_paths",), lambda: _paths_of(review))
    else:
        key = inputs_key(load_cycle(None))
        if key not in _SAMPLE:
            _SAMPLE.clear()
            _SAMPLE[key] = _paths_of(open_review())
        found = _SAMPLE[key]
    return {k: set(v) for k, v in found.items()}


def _paths_of(review: Any) -> dict[str, frozenset[str]]:
    paths: dict[str, set[str]] = {}
    for r in _both_levels(review):
        for key, found in _context_paths(r).items():
            paths.setdefault(key, set()).update(found)
    # a list empty somewhere and full elsewhere: keep only its fields
    return {key: frozenset(p for p in found if not (p.endswith("[]") and any(q.startswith(p + ".") for q in found)))
            for key, found in paths.items()}


def _both_levels(review: Any) -> list[Any]:
    """The review, and the same data and cycle reported at the other level (per district / per
    Đoàn cơ sở): a template serves both, so its fields are those of either."""
    from dataclasses import replace

    from ..assessment.assess import assess
    from ..assessment.review import Review

    other = replace(review.cycle, cap_bao_cao="huyen" if review.cycle.cap_bao_cao == "co_so" else "co_so")
    if not (review.data.don_vi["cap"] == other.cap_bao_cao).any():  # a tree without that level
        return [review]
    return [review, Review(other, review.data, assess(review.data, other))]


def _context_paths(review: Any) -> dict[str, set[str]]:
    from ..assessment.review import reporting_codes, tinh_code
    from .catalogue import DOC_TYPES

    nam = review.cycle.nam
    cap = review.cycle.cap_bao_cao
    co_so = review.results.co_so
    co_so = co_so[co_so["nam"] == nam]
    # the assessment sheets: one unit per score sheet in use, and one without
    sheets = co_so.groupby(co_so["bang_diem"].astype(object).fillna(""), sort=True).head(1) \
        if "bang_diem" in co_so else co_so.head(1)
    out: dict[str, set[str]] = {}
    for key, doc in DOC_TYPES.items():
        level = cap if cap in doc.levels else "tinh" if "tinh" in doc.levels else None
        if level is None:
            continue
        units = (list(sheets["ma_don_vi"]) if doc.per_unit else
                 reporting_codes(review) if level == cap else [tinh_code(review)])
        paths: set[str] = set()
        for ma in units:  # every reporting unit: a list empty in one is full in another
            ctx, _ = doc.build(review, str(ma), nam)
            _flat(ctx, "", paths)
        charts = ["so_sanh", "tieu_chi", "xep_loai", "xu_huong"] if level == "tinh" else \
            ["dat_chuan", "tieu_chi", "xep_loai", "xu_huong"]
        paths |= {f"{field}.{c}" for c in charts for field in ("bieu_do", "so_bieu_do")}
        paths |= member_fields(key)  # member ratings (contract §6.2): known even where the sample has none
        out[key] = paths
    return out


def _known(path: str, known: set[str]) -> bool:
    return path in known or any(k.startswith(path + ".") or k.startswith(path + "[]") for k in known)


# ---------------------------------------------------------------- fields a template uses
def _path(node: nodes.Node, scope: dict[str, str | None]) -> str | None:
    if isinstance(node, nodes.Name):
        return scope.get(node.name, node.name)
    if isinstance(node, nodes.Getattr):
        base = _path(node.node, scope)
        return None if base is None else f"{base}.{node.attr}"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
        base = _path(node.node, scope)
        return None if base is None else f"{base}.{node.arg.value}"
    return None


def _collect(node: nodes.Node, scope: dict[str, str | None], out: set[str]) -> None:
    if isinstance(node, (nodes.Name, nodes.Getattr, nodes.Getitem)):
        p = _path(node, scope)
        if p is not None:
            out.add(p)
            return
        if isinstance(node, nodes.Name):
            return
    if isinstance(node, nodes.For):
        _collect(node.iter, scope, out)
        it = _path(node.iter, scope)
        inner = dict(scope)
        for t in (node.target.items if isinstance(node.target, nodes.Tuple) else [node.target]):
            if isinstance(t, nodes.Name):
                inner[t.name] = None if it is None else it + "[]"
        inner["loop"] = None
        for child in node.body:
            _collect(child, inner, out)
        if node.test is not None:
            _collect(node.test, inner, out)
        for child in node.else_:
            _collect(child, scope, out)
        return
    if isinstance(node, nodes.Assign) and isinstance(node.target, nodes.Name):
        _collect(node.node, scope, out)
        scope[node.target.name] = None
        return
    for child in node.iter_child_nodes():
        _collect(child, scope, out)


def _scope() -> dict[str, str | None]:
    """The names a template may use that are not fields: the loop variable and jinja's globals
    the sandbox keeps (a counter made with `namespace` numbers optional sections)."""
    return {"loop": None, **dict.fromkeys(_CALLABLE)}


def used_fields(source: str, env: jinja2.Environment) -> set[str]:
    """The fields (dotted paths, lists as []) a template source uses."""
    found: set[str] = set()
    _collect(env.parse(source), _scope(), found)
    return {p for p in found if p is not None}


# ---------------------------------------------------------------- what a template may not do
_UNSAFE_FIX = (" → Cách sửa: xóa thẻ này; mẫu văn bản chỉ được dùng trường dữ liệu. Nếu không tự sửa, có thể mẫu "
               "đã bị sửa để chạy lệnh trên máy: đừng dùng, lấy lại mẫu gốc (make templates)")
_CALLABLE = {"range", "namespace", "dict"}


def unsafe_tags(tree: nodes.Template, env: jinja2.Environment) -> list[Problem]:
    """Every construct the sandbox refuses (tongket.documents.sandbox), as an error to fix before a run:
    Python's inside (`__class__`, `mro`…), calls other than the few permitted, filters not
    allowed, other files, string repetition or formatting, powers, ranges beyond the bound."""
    from .sandbox import MAX_RANGE, REMOVED_GLOBALS, SAFE_METHODS, UNSAFE_NAMES

    methods = set().union(*SAFE_METHODS.values()) | {"cycle", "changed"}
    macros = {m.name for m in tree.find_all(nodes.Macro)} | {"caller", "loop"}
    bad = lambda name: isinstance(name, str) and (name.startswith("_") or name in UNSAFE_NAMES)
    found: list[tuple[str, str]] = []
    for n in tree.find_all(nodes.Node):
        if isinstance(n, nodes.Getattr) and bad(n.attr):
            found.append((n.attr, f"thẻ truy cập phần bên trong của Python («{n.attr}»)"))
        elif isinstance(n, nodes.Getitem) and isinstance(n.arg, nodes.Const) and bad(n.arg.value):
            found.append((n.arg.value, f"thẻ truy cập phần bên trong của Python («{n.arg.value}»)"))
        elif isinstance(n, nodes.Name) and (n.name in REMOVED_GLOBALS or n.name == "self"):
            found.append((n.name, f"«{n.name}» không dùng được trong mẫu (có thể bị lợi dụng để chạy lệnh)"))
        elif isinstance(n, nodes.Filter) and any(
                isinstance(a, nodes.Const) and bad(a.value) for a in [*n.args, *(k.value for k in n.kwargs)]):
            found.append((n.name, f"bộ lọc «{n.name}» dùng phần bên trong của Python"))
        elif isinstance(n, nodes.Filter) and n.name not in env.filters:
            found.append((n.name, f"bộ lọc «{n.name}» không được phép trong mẫu (dùng được: so, phan_tram, la_ma, "
                                  "upper, lower, title, length, default, join, first, last, round…)"))
        elif isinstance(n, nodes.Call):
            f = n.node
            name = f.attr if isinstance(f, nodes.Getattr) else f.name if isinstance(f, nodes.Name) else None
            ok = (name in methods) if isinstance(f, nodes.Getattr) else (name in _CALLABLE or name in macros)
            if not ok:
                found.append((str(name or "…"), f"mẫu không được gọi «{name or '…'}(…)»"))
            elif name == "range" and any(isinstance(a, nodes.Const) and isinstance(a.value, int)
                                         and abs(a.value) > MAX_RANGE for a in n.args):
                found.append(("range", f"range(…) quá dài (tối đa {MAX_RANGE:,} phần tử)".replace(",", ".")))
        elif isinstance(n, nodes.Include | nodes.Import | nodes.FromImport | nodes.Extends):
            found.append((type(n).__name__.lower(), "mẫu không được nạp tệp khác (include, import, extends)"))
        elif isinstance(n, nodes.Pow):
            found.append(("**", "phép lũy thừa «**» không dùng được trong mẫu"))
        elif isinstance(n, nodes.Mod) and isinstance(n.left, nodes.Const) and isinstance(n.left.value, str):
            found.append(("%", "định dạng chuỗi bằng «%» không dùng được trong mẫu"))
        elif isinstance(n, nodes.Mul) and any(isinstance(x, nodes.Const | nodes.List | nodes.Tuple)
                                              and not isinstance(getattr(x, "value", None), int | float)
                                              for x in (n.left, n.right)):
            found.append(("*", "lặp chuỗi hoặc danh sách bằng «*» không dùng được trong mẫu"))
    out, seen = [], set()
    for tag, rule in found:
        if (tag, rule) not in seen:
            seen.add((tag, rule))
            out.append(Problem(ERROR, "mã lệnh", tag, rule + _UNSAFE_FIX))
    return out


# ---------------------------------------------------------------- tags Word breaks
def _paragraphs(tpl: Any) -> list[tuple[str, list[str]]]:
    """(where, run texts) of every paragraph: body, tables, headers and footers."""
    from docx.oxml.ns import qn

    out = []
    doc = tpl.docx
    parts = [("", doc.element.body)]
    for s in doc.sections:
        for name, hf in (("đầu trang", s.header), ("chân trang", s.footer), ("đầu trang đầu", s.first_page_header)):
            if hf is not None and not hf.is_linked_to_previous:
                parts.append((name + " ", hf._element))
    for prefix, root in parts:
        for i, p in enumerate(root.iter(qn("w:p")), start=1):
            runs = ["".join(t.text or "" for t in r.iter(qn("w:t"))) for r in p.iter(qn("w:r"))]
            if any("{" in r or "}" in r for r in runs):
                out.append((f"{prefix}đoạn {i}".strip(), runs))
    return out


def tag_problems(tpl: Any) -> list[Problem]:
    """Tags broken by typing or by Word: spaces, curly quotes, split runs, unbalanced braces."""
    problems = []
    for where, runs in _paragraphs(tpl):
        text = "".join(runs)
        for a, b in (("{{", "}}"), ("{%", "%}")):
            if text.count(a) != text.count(b):
                problems.append(Problem(ERROR, where, text.strip()[:80],
                                        f"số «{a}» và «{b}» không khớp (mỗi thẻ phải mở và đóng trong cùng một đoạn)"))
        bounds, pos = [], 0
        for r in runs:
            pos += len(r)
            bounds.append(pos)
        for m in _TAG.finditer(text):
            tag = m.group()
            if not _OPEN_OK.match(tag) or not _CLOSE_OK.search(tag):
                problems.append(Problem(WARNING, where, tag, "thiếu dấu cách bên trong ngoặc (viết «{{ ten }}», "
                                                             "«{% if … %}»)"))
            if re.search(r"[“”‘’]", tag):
                problems.append(Problem(ERROR, where, tag, "dấu nháy cong trong thẻ (Word tự đổi): hãy gõ dấu nháy "
                                                           "thẳng \" hoặc ' (tắt AutoCorrect «Smart quotes»)"))
            if any(m.start() < b < m.end() for b in bounds[:-1]):
                problems.append(Problem(WARNING, where, tag, "thẻ bị Word tách thành nhiều đoạn định dạng; vẫn điền "
                                                             "được nhưng định dạng lấy theo ký tự đầu — nên xóa và gõ "
                                                             "lại thẻ liền một lần, cùng một định dạng"))
    return problems


_MESSAGES = [
    (re.compile(r"Unexpected end of template.*looking for the following tags: (.*?)\."),
     lambda m: f"thiếu thẻ đóng khối ({m.group(1)}): mỗi {{%p if %}}/{{%p for %}} cần {{%p endif %}}/{{%p endfor %}}"),
    (re.compile(r"Encountered unknown tag '(\w+)'"), lambda m: f"thẻ lạ «{m.group(1)}» (thẻ đóng thừa hoặc gõ sai)"),
    (re.compile(r"unexpected char '(.)'"), lambda m: f"ký tự lạ «{m.group(1)}» trong thẻ"),
    (re.compile(r"No filter named '(.*?)'"), lambda m: f"bộ lọc «{m.group(1)}» không được phép trong mẫu"),
    (re.compile(r"No test named '(.*?)'"), lambda m: f"phép thử «{m.group(1)}» không có trong mẫu"),
    (re.compile(r"expected token '(.*?)', got '(.*?)'"),
     lambda m: f"cú pháp thẻ sai: cần «{m.group(1)}», gặp «{m.group(2)}»"),
]


def syntax_message(message: str) -> str:
    for pattern, say in _MESSAGES:
        m = pattern.search(message)
        if m:
            return say(m)
    return f"cú pháp thẻ sai: {message}"


# ---------------------------------------------------------------- the check
def check_template(path: Path, known: dict[str, set[str]], env: jinja2.Environment) -> Report:
    """Fields and problems of one template (its kind from its file name)."""
    from docxtpl import DocxTemplate

    from .catalogue import DOC_TYPES
    from .sandbox import declared_dtd

    doc = DOC_TYPES.get(path.stem)
    report = Report(path, doc.key if doc else None)
    try:
        dtd = declared_dtd(path)
        if dtd:  # refused before any XML parser sees it
            report.problems.append(Problem(ERROR, "tệp", dtd, "có khai báo DOCTYPE/ENTITY (Word không bao giờ ghi như "
                                                              "vậy; có thể là «bom XML»)" + _UNSAFE_FIX))
            return report
        tpl = DocxTemplate(str(path))
        tpl.init_docx()
    except Exception as exc:  # noqa: BLE001 - any unreadable file is one clear problem
        report.problems.append(Problem(ERROR, "tệp", "", f"không mở được như tệp Word .docx: {exc}"))
        return report
    report.problems += tag_problems(tpl)
    sources = [tpl.patch_xml(tpl.get_xml())]
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        for _rel, part in tpl.get_headers_footers(uri):
            sources.append(tpl.patch_xml(tpl.get_part_xml(part)))
    used: set[str] = set()
    for src in sources:
        try:
            tree = env.parse(src)
        except jinja2.TemplateSyntaxError as exc:
            report.problems.append(Problem(ERROR, "cả văn bản", "", syntax_message(exc.message or str(exc))))
            continue
        _collect(tree, _scope(), used)
        report.problems += [p for p in unsafe_tags(tree, env) if p not in report.problems]
    # a list used in a loop shows as its items' fields only
    report.fields = sorted(p for p in used if not any(q != p and (q.startswith(p + ".") or q.startswith(p + "[]"))
                                                      for q in used))
    if doc is None:
        report.problems.append(Problem(WARNING, "tệp", "", "tên tệp không phải loại văn bản nào của bộ công cụ "
                                                          f"({', '.join(d.template for d in DOC_TYPES.values())}); "
                                                          "chỉ kiểm tra cú pháp"))
        return report
    fields = known[doc.key]
    for f in report.fields:
        if not _known(f, fields):
            near = difflib.get_close_matches(f, sorted(fields), n=1, cutoff=0.6)
            hint = f" (có phải «{near[0]}»?)" if near else ""
            report.problems.append(Problem(ERROR, "trường", f, f"không có trong dữ liệu của {doc.ten}{hint}"))
    needed = REQUIRED + (NUMBERED if doc.kind else [])
    absent = [f for f in needed if f not in used]
    if absent:
        report.problems.append(Problem(WARNING, "thể thức", "", "mẫu không dùng trường bắt buộc: " + ", ".join(absent)))
    return report


def check(targets: list[Path], review: Any = None) -> list[Report]:
    """Check templates (files, or every .docx of the given folders)."""
    from .report import jinja_env

    files: list[Path] = []
    for t in targets:
        files += sorted(t.glob("*.docx")) if t.is_dir() else [t]
    known = context_paths(review)
    env = jinja_env()
    return [check_template(f, known, env) for f in files if not f.name.startswith(("~$", "."))]


def field_list(review: Any = None) -> str:
    """templates/README.md: how to edit the templates, and every field of every template."""
    from .catalogue import DOC_TYPES

    known = context_paths(review)
    lines = [
        "# Mẫu văn bản và danh sách trường",
        "",
        "<!-- Tệp này được sinh tự động: tongket templates list --out templates/README.md -->",
        "",
        "Các mẫu `.docx` trong thư mục này mở và sửa được bằng Word hoặc LibreOffice. Giữ nguyên các",
        "trường trong ngoặc nhọn; sau khi sửa, chạy `tongket templates check` để kiểm tra.",
        "",
        "- Trường: `{{ vb.so }}`, luôn có dấu cách bên trong ngoặc. Gõ cả thẻ liền một lần, cùng một",
        "  định dạng (đừng tô đậm nửa thẻ); dùng dấu nháy thẳng `\"`, không dùng nháy cong “ ”.",
        "- Đoạn lặp hoặc có điều kiện: `{%p for x in van_ban.thuan_loi %}` … `{{ x }}` … `{%p endfor %}`,",
        "  `{%p if ghi_chu %}` … `{%p endif %}`, mỗi thẻ `{%p … %}` nằm riêng một đoạn.",
        "- Dòng bảng lặp: `{%tr for r in bang_co_so %}` ở dòng trên, `{%tr endfor %}` ở dòng dưới.",
        "- Bộ lọc: `so` (1.234), `phan_tram` (88,9%), `la_ma` (IV), `upper`, `lower`, `length`.",
        "- Số liệu đã định dạng sẵn kiểu Việt Nam; ký tự `&`, `<`, `>` trong tên đơn vị in đúng như gõ.",
        "- `[]` là danh sách: trường `chi_tieu[].muc_tieu` dùng là `{{ r.muc_tieu }}` trong vòng lặp",
        "  `{%tr for r in chi_tieu %}`.",
        "",
    ]
    for key, doc in DOC_TYPES.items():
        lines += [f"## {doc.template}: {doc.ten}", "", f"Cấp ban hành: {', '.join(doc.levels)}"
                  + (" (một văn bản cho mỗi Đoàn cơ sở)" if doc.per_unit else "") + ".", "",
                  "| Trường | Ý nghĩa |", "| --- | --- |"]
        lines += [f"| `{p}` | {FIELDS.get(p, '')} |" for p in sorted(known[key])]
        lines.append("")
    return "\n".join(lines)
