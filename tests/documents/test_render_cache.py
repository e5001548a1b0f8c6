"""What a batch worker remembers between units (parsed templates, YAML, the unit tree, a unit's
tables) changes no byte of any document and never leaks one unit's or one file's state into the next."""

from __future__ import annotations

import re
import zipfile

import pandas as pd
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st

from tongket.common import files, paths, units
from tongket.documents import report
from tongket.documents.details import once


def _template(path, lines: list[str]) -> None:
    doc = Document()
    for line in lines:
        doc.add_paragraph(line)
    doc.save(path)


def _body(path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml").decode("utf-8")


def test_a_cached_template_gives_the_bytes_of_a_fresh_parse(tmp_path):
    tpl = tmp_path / "mau.docx"
    _template(tpl, ["Kính gửi: {{ ten }}", "Ghi chú: {{ ghi_chu }}"])
    ctx = {"ten": "Đoàn xã A & B <mới>", "ghi_chu": "không có"}
    report._Template._parsed.clear()
    report._Template._seen.clear()
    fresh = report.render_docx(tpl, ctx, tmp_path / "a.docx").read_bytes()  # parses the template
    assert not report._Template._parsed  # filled once: not kept (issue 21: the province's worker)
    again = report.render_docx(tpl, ctx, tmp_path / "b.docx").read_bytes()  # parsed again, kept, copied
    assert list(report._Template._parsed) == [files.sha256(tpl.read_bytes())]
    third = report.render_docx(tpl, ctx, tmp_path / "b.docx").read_bytes()  # a copy of the kept one
    assert again == fresh and third == fresh
    other = report.render_docx(tpl, {**ctx, "ten": "Đoàn phường 2"}, tmp_path / "c.docx")
    assert "Đoàn phường 2" in _body(other) and "Đoàn xã A &amp; B &lt;mới&gt;" not in _body(other)
    assert "Đoàn xã A &amp; B &lt;mới&gt;" in _body(tmp_path / "b.docx")  # the earlier render kept its text


def test_renders_share_the_templates_styles_and_never_change_them(tmp_path, sample_review):
    """Each render's copy shares its template's styles part (issue 21: most of a copy's cost): a
    district's and the province's every document, written in one process, leave every cached
    template's styles as parsed, the copies hold that very part, and each document's styles are the
    template's own bytes. A template is kept from its second fill in a process on: a district's
    are filled again for the next district, the province's own only once."""
    from docx.parts.styles import StylesPart
    from lxml import etree

    from tongket.assessment.review import tinh_code
    from tongket.common import paths
    from tongket.pipeline import write_unit

    def styles(document):
        return next(p for p in document.part.package.parts if isinstance(p, StylesPart))

    report._Template._parsed.clear()
    report._Template._seen.clear()
    names = {files.sha256(tpl.read_bytes()): tpl.name for tpl in paths.TEMPLATES.glob("*.docx")}

    def kept() -> set[str]:
        return {names[key] for key in report._Template._parsed}

    write_unit(sample_review, "ST01", tmp_path / "ST01")
    assert kept() == {"phieu_danh_gia.docx"}  # a district fills only its assessment sheet more than once
    write_unit(sample_review, "ST02", tmp_path / "ST02")
    assert "bao_cao_tong_ket.docx" in kept() and "to_trinh_khen_thuong.docx" in kept()  # the next district
    write_unit(sample_review, tinh_code(sample_review), tmp_path / "tinh")
    assert "bao_cao_tong_hop.docx" not in kept()  # the province's own, filled once
    assert "bao_cao_tong_hop.docx" in {names[key] for key in report._Template._seen}
    cached = {key: etree.tostring(styles(doc)._element) for key, (doc, *_) in report._Template._parsed.items()}
    assert len(cached) >= 10
    for tpl in sorted(paths.TEMPLATES.glob("*.docx")):
        key = files.sha256(tpl.read_bytes())
        if key not in cached:
            continue
        fresh = Document(str(tpl))
        assert cached[key] == etree.tostring(styles(fresh)._element), tpl.name  # unchanged by every render
        copy, _ = report._pristine(tpl)
        assert styles(copy) is styles(report._Template._parsed[key][0])
        assert copy.part is not report._Template._parsed[key][0].part  # the rest is the copy's own
    for written in (tmp_path / "ST01").glob("*.docx"):
        with zipfile.ZipFile(written) as z:
            assert etree.tostring(etree.fromstring(z.read("word/styles.xml"))) in set(cached.values()), written.name


def test_a_line_break_typed_in_a_value_still_becomes_a_break(tmp_path):
    tpl = tmp_path / "mau.docx"
    _template(tpl, ["Ghi chú: {{ ghi_chu }}"])
    plain = _body(report.render_docx(tpl, {"ghi_chu": "một dòng"}, tmp_path / "a.docx"))
    broken = _body(report.render_docx(tpl, {"ghi_chu": "dòng một\ndòng hai"}, tmp_path / "b.docx"))
    assert "<w:br/>" not in plain and "một dòng" in plain
    assert "dòng một</w:t><w:br/><w:t xml:space=\"preserve\">dòng hai" in broken


def test_an_edited_template_is_read_again(tmp_path):
    tpl = tmp_path / "mau.docx"
    _template(tpl, ["Mẫu cũ {{ ten }}"])
    assert "Mẫu cũ Đoàn A" in _body(report.render_docx(tpl, {"ten": "Đoàn A"}, tmp_path / "a.docx"))
    _template(tpl, ["Mẫu mới {{ ten }}"])  # same path, other bytes
    text = _body(report.render_docx(tpl, {"ten": "Đoàn A"}, tmp_path / "b.docx"))
    assert "Mẫu mới Đoàn A" in text and "Mẫu cũ" not in text


def test_a_yaml_file_read_twice_gives_independent_copies_and_an_edit_is_seen(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("nam: 2021\nmuc_tieu: [0.5, 0.6]\n", encoding="utf-8")
    first = files.read_yaml(path, "tệp tham số")
    first["muc_tieu"].append(0.9)
    first["nam"] = 1999
    assert files.read_yaml(path, "tệp tham số") == {"nam": 2021, "muc_tieu": [0.5, 0.6]}
    path.write_text("nam: 2022\n", encoding="utf-8")
    assert files.read_yaml(path, "tệp tham số") == {"nam": 2022}


def test_the_unit_tree_is_walked_once_and_each_caller_gets_its_own_copy():
    tree = pd.DataFrame({"ma_don_vi": ["T", "H1", "C1", "C1.1", "H2"], "ma_cap_tren": [None, "T", "H1", "C1", "T"],
                         "cap": ["tinh", "huyen", "co_so", "chi_doan", "huyen"]})
    first = units.ancestors(tree)
    pd.testing.assert_frame_equal(first, units._walk(tree))
    assert first.loc["C1.1", "ma_huyen"] == "H1" and first.loc["C1.1", "ma_co_so"] == "C1"
    first.loc["C1.1", "ma_huyen"] = "H2"
    assert units.ancestors(tree.copy()).loc["C1.1", "ma_huyen"] == "H1"
    moved = tree.assign(ma_cap_tren=[None, "T", "H2", "C1", "T"])
    assert units.ancestors(moved).loc["C1.1", "ma_huyen"] == "H2"  # another tree, walked again


def test_a_units_table_is_made_once_and_handed_out_as_copies():
    class Review:
        memo: dict = {}

    review, calls = Review(), []
    make = lambda: calls.append(1) or pd.DataFrame({"ten": ["Đoàn A"]})
    a = once(review, ("bang", "H1", 2021), make)
    a.loc[0, "ten"] = "đổi"
    b = once(review, ("bang", "H1", 2021), make)
    assert calls == [1] and b.loc[0, "ten"] == "Đoàn A"


def test_a_part_deflated_once_is_written_as_zipfile_writes_it(tmp_path):
    """FixedZip reuses the deflated bytes of a part it has seen: the zip is the one the standard
    library writes, byte for byte, on a miss and on a hit."""
    parts = [("word/styles.xml", ("<w:styles>" + "<w:style w:styleId='Đề mục'/>" * 400 + "</w:styles>").encode()),
             ("word/document.xml", b"<w:document>" + bytes(range(256)) * 40 + b"</w:document>"),
             ("docProps/app.xml", b"<Properties/>")]
    expected = tmp_path / "stdlib.zip"
    with zipfile.ZipFile(expected, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in parts:
            info = zipfile.ZipInfo(name, files.FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, blob)
    files._deflated.cache_clear()
    for run in ("miss", "hit"):
        with files.FixedZip(tmp_path / f"{run}.zip") as z:
            for name, blob in parts:
                z.writestr(name, blob)
        assert (tmp_path / f"{run}.zip").read_bytes() == expected.read_bytes(), run
    assert files._deflated.cache_info().currsize == 2  # the two large parts; the small one is deflated each time
    with zipfile.ZipFile(tmp_path / "hit.zip") as z:
        assert z.testzip() is None and z.read("word/styles.xml") == parts[0][1]


_PIECES = ["<w:p", "<w:p ", "<w:p>", "<w:pPr>", "\n", " ", ">", "<", "w", ":p", "x", "\n\n<w:p", "{_{", "}}"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_paragraph_breaks_by_replacement_are_docxtpls_regular_expressions(xml):
    """A render puts each paragraph on its own line and back by plain replacement (issue 21): the
    text is always what docxtpl's two regular expressions give, and the second undoes the first."""
    broken = report.break_paragraphs(xml)
    assert broken == re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)
    assert report.join_paragraphs(xml) == re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
    assert report.join_paragraphs(broken) == re.sub(r"\n<w:p([ >])", r"<w:p\1", broken)


def test_a_templates_declarations_are_looked_for_once_per_its_bytes(tmp_path, monkeypatch):
    """The DOCTYPE check runs once per template's bytes in a process; an edited template (a
    declaration added) is looked at again, and refused."""
    import shutil

    import pytest

    from tongket.documents import sandbox
    from tongket.errors import RenderError

    seen = []
    monkeypatch.setattr(report, "_DTD", {})  # as a new process
    monkeypatch.setattr(report, "declared_dtd", lambda f: seen.append(1) or sandbox.declared_dtd(f))
    template = tmp_path / "mau.docx"
    shutil.copy(paths.TEMPLATES / "quyet_dinh_cong_nhan.docx", template)
    assert report._declared_dtd(template) is None and report._declared_dtd(template) is None
    assert len(seen) == 1
    with zipfile.ZipFile(template, "a") as z:
        z.writestr("word/bom.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>')
    with pytest.raises(RenderError, match="DOCTYPE"):
        report.render_docx(template, {}, tmp_path / "ra.docx")
    assert len(seen) == 2
