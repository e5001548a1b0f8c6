"""The building blocks of the Word templates: the official styles, frame, tables and figures
(Hướng dẫn 29-HD/TWĐTN-VP). Used by build_templates.py."""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))
from tongket.common.files import FIXED_TIME, normalise_zip  # noqa: E402

FONT = "Times New Roman"
TEXT_WIDTH_CM = 16.0  # A4 210 mm − 30 mm − 20 mm


def _fonts(element, size: float | None = None) -> None:
    rpr = element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), FONT)
    if size:
        for tag in ("w:sz", "w:szCs"):
            el = rpr.find(qn(tag))
            if el is None:
                el = OxmlElement(tag)
                rpr.append(el)
            el.set(qn("w:val"), str(int(size * 2)))


def _style(doc, name: str, size: float = 14, bold=False, italic=False, align=WD_ALIGN_PARAGRAPH.JUSTIFY,
           indent_cm: float = 0, before=0, after=6, keep_next=False, colour: RGBColor | None = None):
    st = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    st.base_style = doc.styles["Normal"]
    st.font.name, st.font.size, st.font.bold, st.font.italic = FONT, Pt(size), bold, italic
    st.font.color.rgb = colour or RGBColor(0, 0, 0)
    _fonts(st.element, size)
    pf = st.paragraph_format
    pf.alignment, pf.first_line_indent = align, Cm(indent_cm) if indent_cm else None
    pf.space_before, pf.space_after, pf.keep_with_next = Pt(before), Pt(after), keep_next
    pf.line_spacing = 1.0
    return st


def new_document() -> Document:
    """An empty A4 document with the official margins and the kit's paragraph styles."""
    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Mm(20), Mm(20), Mm(30), Mm(20)
    sec.header_distance, sec.footer_distance = Mm(10), Mm(10)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(14)
    normal.font.color.rgb = RGBColor(0, 0, 0)
    _fonts(normal.element, 14)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    # Every built-in style that can show up (tables, headers) in the official font, black.
    for name in ("Table Grid", "Header", "Footer"):
        st = doc.styles[name]
        st.font.name = FONT
        _fonts(st.element)
    _style(doc, "TK Than", indent_cm=1.0, after=6)
    _style(doc, "TK Gach", indent_cm=1.0, after=4)
    _style(doc, "TK Tieu de", size=16, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=12, after=0)
    _style(doc, "TK Trich yeu", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _style(doc, "TK Ghi chu", size=12, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=6,
           colour=RGBColor(0xC0, 0, 0))
    _style(doc, "TK Muc", bold=True, align=WD_ALIGN_PARAGRAPH.LEFT, indent_cm=1.0, before=6, after=6, keep_next=True)
    _style(doc, "TK Muc nho", bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, indent_cm=1.0, after=6,
           keep_next=True)
    _style(doc, "TK Bang", size=11, align=WD_ALIGN_PARAGRAPH.LEFT, after=0)
    _style(doc, "TK Bang giua", size=11, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _style(doc, "TK Bang dau", size=11, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _style(doc, "TK Hinh", align=WD_ALIGN_PARAGRAPH.CENTER, before=6, after=0, keep_next=True)
    _style(doc, "TK Chu thich", size=12, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=8)
    _style(doc, "TK Giua", align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _style(doc, "TK Kem theo", size=13, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _style(doc, "TK Dieu", align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent_cm=1.0, after=6)
    _style(doc, "TK Bang nho", size=10, align=WD_ALIGN_PARAGRAPH.LEFT, after=0)
    _style(doc, "TK Bang nho giua", size=10, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _style(doc, "TK Bang nho dau", size=10, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _style(doc, "TK Noi nhan", size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, after=0)
    _style(doc, "TK Noi nhan dong", size=11, align=WD_ALIGN_PARAGRAPH.LEFT, after=0)
    _page_numbers(doc)
    # Start from an empty body (python-docx's template has one empty paragraph).
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    return doc


def _page_numbers(doc) -> None:
    """Page numbers centred at the top, not on page 1."""
    sec = doc.sections[0]
    sec.different_first_page_header_footer = True
    p = sec.header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)
    run.font.name, run.font.size = FONT, Pt(13)


def par(container, text: str = "", style: str = "TK Than", bold=False, italic=False, underline=False,
        size: float | None = None):
    """A paragraph with one run."""
    p = container.add_paragraph(style=style)
    if text:
        r = p.add_run(text)
        r.bold, r.italic, r.underline = bold or None, italic or None, underline or None
        if size:
            r.font.size = Pt(size)
    return p


def decision_body(doc) -> None:
    """A decision's body (Hướng dẫn 29-HD/TWĐTN-VP): the authority, the grounds, «QUYẾT ĐỊNH:» and
    its articles «Điều 1.», «Điều 2.», …, the last ending «/.»."""
    par(doc, "{{ tham_quyen }}", style="TK Tieu de", size=14)
    par(doc, "", style="TK Giua")
    par(doc, "{%p for x in can_cu %}", style="TK Dieu")
    par(doc, "{{ x }}", style="TK Dieu", italic=True)
    par(doc, "{%p endfor %}", style="TK Dieu")
    par(doc, "QUYẾT ĐỊNH:", style="TK Tieu de", size=14)
    par(doc, "", style="TK Giua")
    par(doc, "{%p for x in dieu %}", style="TK Dieu")
    p = par(doc, "", style="TK Dieu")
    r = p.add_run("Điều {{ loop.index }}.")
    r.bold = True
    p.add_run(" {{ x }}{% if loop.last %}/.{% endif %}")
    par(doc, "{%p endfor %}", style="TK Dieu")


def counter(doc, name: str, start: int) -> None:
    """Start a counter the template numbers optional parts with (a `{%p set %}` paragraph, gone
    when rendered): subsections or tables present only when their data is."""
    par(doc, f"{{%p set {name} = namespace(so={start}) %}}")


def numbered(name: str) -> str:
    """The next number of a counter, as text at the start of a heading or caption ("7")."""
    return f"{{% set {name}.so = {name}.so + 1 %}}{{{{ {name}.so }}}}"


def subsection(doc, title: str) -> None:
    """A numbered subsection heading of part II ("7. Công tác cán bộ"), from the counter `muc`."""
    par(doc, f"{numbered('muc')}. {title}", style="TK Muc nho")


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def _widths(table, widths_cm: list[float]) -> None:
    """Fixed column widths that Word and LibreOffice both honour (grid, cells, table width)."""
    table.autofit = False
    for col, w in zip(table.columns, widths_cm):
        col.width = Cm(w)
    for row in table.rows:
        for cell, w in zip(row.cells, widths_cm):
            cell.width = Cm(w)
    tbl_pr = table._tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(int(sum(widths_cm) / 2.54 * 1440)))
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)


def _cell(cell, lines: list[tuple[str, dict]]) -> None:
    if not lines:
        return  # a cell keeps its one empty paragraph
    cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
    for text, fmt in lines:
        style = fmt.pop("style", "TK Giua")
        par(cell, text, style=style, **fmt)


def frame_top(doc, kind: str, subject: str | None, number: bool = True, attached: bool = False) -> None:
    """The official header: issuing bodies, number, party line, place and date, kind, subject.

    An attached document (appendix, list, assessment sheet) has no number of its own; it names
    the report it goes with under its title."""
    t = doc.add_table(rows=1, cols=2)
    _no_borders(t)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(t, [8.0, 8.0])
    left, right = t.rows[0].cells
    lines = [("{%p if vb.co_quan_cap_tren %}", {}),
             ("{{ vb.co_quan_cap_tren }}", {"size": 13}),
             ("{%p endif %}", {}),
             ("{{ vb.co_quan_ban_hanh }}", {"bold": True, "size": 14}),
             ("***", {})]
    if number:
        lines.append(("Số: {{ vb.so }}-{{ vb.ky_hieu }}", {}))
    _cell(left, lines)
    _cell(right, [("ĐOÀN TNCS HỒ CHÍ MINH", {"bold": True, "underline": True, "size": 15}),
                  ("", {}),
                  ("", {}),
                  ("{{ vb.dia_danh }}, {{ vb.ngay }}", {"italic": True})])
    par(doc, kind, style="TK Tieu de")
    if subject:
        par(doc, subject, style="TK Trich yeu")
    if attached:
        par(doc, "(Kèm theo {{ vb.kem_theo }})", style="TK Kem theo")
    par(doc, "-----", style="TK Giua")
    par(doc, "{%p if ghi_chu %}", style="TK Ghi chu")
    par(doc, "({{ ghi_chu }})", style="TK Ghi chu")
    par(doc, "{%p endif %}", style="TK Ghi chu")


def _cant_split(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


def _cell_margins(table, cm: float) -> None:
    mar = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), str(int(cm / 2.54 * 1440)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    table._tbl.tblPr.append(mar)


def frame_bottom(doc, left: list[tuple[str, dict]] | None = None) -> None:
    """Nơi nhận on the left (or `left`: a second signature), the signature block on the right,
    never split across pages."""
    doc.paragraphs[-1].paragraph_format.keep_with_next = True
    t = doc.add_table(rows=1, cols=2)
    _no_borders(t)
    _widths(t, [7.5, 8.5])
    _cant_split(t.rows[0])
    cell_left, cell_right = t.rows[0].cells
    _cell(cell_left, left if left is not None else [
        ("Nơi nhận:", {"style": "TK Noi nhan"}),
        ("{%p for n in vb.noi_nhan %}", {"style": "TK Noi nhan dong"}),
        ("- {{ n }};", {"style": "TK Noi nhan dong"}),
        ("{%p endfor %}", {"style": "TK Noi nhan dong"}),
        ("- Lưu: VP.", {"style": "TK Noi nhan dong"})])
    _cell(cell_right, signature("{{ vb.tm }}", "{{ vb.chuc_vu_ky }}", "{{ vb.nguoi_ky }}"))


def signature(tm: str, title: str | None, name: str) -> list[tuple[str, dict]]:
    """A signature block: authority, title, room to sign, the name in bold."""
    lines = [(tm, {"bold": True})]
    if title:
        lines.append((title, {"bold": True}))
    return lines + [("", {}), ("", {}), ("", {}), ("", {}), (name, {"bold": True})]


def paragraphs(doc, var: str, style: str = "TK Than") -> None:
    """One paragraph per item of a list (the analyst's text, generated sentences)."""
    par(doc, f"{{%p for x in {var} %}}", style=style)
    par(doc, "{{ x }}", style=style)
    par(doc, "{%p endfor %}", style=style)


def loop_table(doc, headers: list[str], cells: list[str], loop: str, widths: list[float],
               center_from: int = 1, small: bool = False, var: str = "r", first_left: bool = False) -> None:
    """A bordered table: a header row, then one row per item of `loop` ({%tr for … %}); `small`
    tables (many columns) are set in 10 pt."""
    st_head, st_mid, st_left = (("TK Bang nho dau", "TK Bang nho giua", "TK Bang nho") if small
                                else ("TK Bang dau", "TK Bang giua", "TK Bang"))
    t = doc.add_table(rows=4, cols=len(headers))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(t, widths)
    _cell_margins(t, 0.1)
    for c, h in zip(t.rows[0].cells, headers):
        c.paragraphs[0].style = doc.styles[st_head]
        c.paragraphs[0].add_run(h)
    _repeat_header(t.rows[0])
    t.rows[1].cells[0].paragraphs[0].add_run(f"{{%tr for {var} in {loop} %}}")
    for j, (c, v) in enumerate(zip(t.rows[2].cells, cells)):
        c.paragraphs[0].style = doc.styles[st_mid if (j == 0 and not first_left) or (j > 0 and j >= center_from)
                                           else st_left]
        c.paragraphs[0].add_run(v)
    _cant_split(t.rows[2])  # a row never breaks across pages
    t.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")
    for row in (t.rows[1], t.rows[3]):
        row.cells[0].paragraphs[0].style = doc.styles["TK Bang"]
    par(doc, "", style="TK Bang")


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def figure(doc, name: str, caption: str) -> None:
    """A chart (InlineImage) with its caption, only where the chart exists."""
    par(doc, f"{{%p if bieu_do.{name} %}}", style="TK Hinh")
    par(doc, f"{{{{ bieu_do.{name} }}}}", style="TK Hinh")
    par(doc, caption, style="TK Chu thich")
    par(doc, "{%p endif %}", style="TK Chu thich")


def bullets(doc, var: str) -> None:
    """One "- …" paragraph per item of a list."""
    par(doc, f"{{%p for x in {var} %}}", style="TK Gach")
    par(doc, "- {{ x }}", style="TK Gach")
    par(doc, "{%p endfor %}", style="TK Gach")


def indicator_table(doc) -> None:
    """Every indicator: year N−1, year N, ±, % (the appendix in the report and on its own)."""
    loop_table(doc, ["STT", "Chỉ tiêu", "Đơn vị tính", "Năm {{ nam_truoc }}", "Năm {{ nam }}", "Tăng (+), giảm (−)",
                     "So sánh (%)"],
               ["{{ r.stt }}", "{{ r.chi_tieu }}", "{{ r.don_vi_tinh }}", "{{ r.nam_truoc }}", "{{ r.nam_nay }}",
                "{{ r.chenh_lech }}", "{{ r.so_sanh }}"],
               "phu_luc", [1.0, 5.6, 1.7, 1.7, 1.7, 2.5, 1.8], center_from=2)


def appendix(doc) -> None:
    """Phụ lục số liệu: every indicator, year N−1, year N, ±, %."""
    p = par(doc, "", style="TK Giua")
    p.add_run().add_break(WD_BREAK.PAGE)
    par(doc, "PHỤ LỤC SỐ LIỆU", style="TK Tieu de")
    par(doc, "(Kèm theo Báo cáo số {{ vb.so }}-{{ vb.ky_hieu }} {{ vb.ngay }} của {{ vb.ten_ban_hanh }})",
        style="TK Ghi chu", italic=True).runs[0].font.color.rgb = RGBColor(0, 0, 0)
    indicator_table(doc)
    par(doc, "Ghi chú: tăng, giảm của chỉ tiêu tỉ lệ tính theo điểm phần trăm; «–»: không áp dụng hoặc không so sánh (chỉ tiêu có ghi chú trong ngoặc).", style="TK Bang")




def save(doc, path: Path, title: str) -> None:
    """Save a template with fixed properties and zip timestamps (same builder, same bytes). A
    table's caption stays on the page of its table."""
    for p in doc.paragraphs:
        if p.style.name == "TK Chu thich" and p.text.startswith("Bảng"):
            p.paragraph_format.keep_with_next = True
    cp = doc.core_properties
    cp.title, cp.author = title, "tongket"
    cp.comments = "Mẫu văn bản – sửa được trong Word; giữ nguyên các trường trong ngoặc nhọn kép"
    from datetime import datetime

    cp.created = cp.modified = datetime(*FIXED_TIME)
    cp.last_modified_by, cp.revision = "tongket", 1
    doc.save(path)
    normalise_zip(path)
    print(f"Đã ghi mẫu: {path}")
