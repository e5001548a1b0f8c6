"""A list of thousands of rows filled slice by slice (documents.long_lists, issue 21: the province's
registration list held a 140 MB tree): the same bytes as the whole render, and the whole render
wherever the rows are not plain rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tongket.common import paths
from tongket.documents import long_lists, report, upkeep

TEMPLATE = paths.ROOT / "templates" / "danh_sach_dang_ky.docx"
NAMES = st.lists(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cn")) | st.sampled_from(
    ["&", "<", ">", '"', "'", "\t", "\n", "Đoàn xã Ân Hảo", "{{ x }}", "\ue000", "\ue0000\ue001"]),
    max_size=6).map("".join)
ROW = st.fixed_dictionaries({"stt": st.integers(1, 99999).map(str), "ten": NAMES, "co_so": NAMES,
                             "ngay": st.sampled_from(["", "15/01/2021", "–"]), "lam_diem": st.sampled_from(["", "Làm điểm"])})


def _render(tpl: Path, ctx: dict, out: Path, rows: int, monkeypatch: pytest.MonkeyPatch) -> tuple[bytes, bool]:
    """The document's bytes filled with slices of `rows` rows, and whether it was filled in slices."""
    used = []
    fill = long_lists._fill

    def spy(*args):
        result = fill(*args)
        used.append(True)
        return result

    monkeypatch.setattr(long_lists, "ROWS", rows)
    monkeypatch.setattr(long_lists, "_fill", spy)
    report.render_docx(tpl, ctx, out)
    return out.read_bytes(), bool(used)


@pytest.fixture(scope="module")
def registration(sample_review):
    from tongket.assessment.review import tinh_code

    ctx, _ = upkeep.danh_sach_dang_ky(sample_review, tinh_code(sample_review), 2021)
    return ctx


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(branches=st.lists(ROW, max_size=40), units=st.lists(ROW.map(lambda r: {**r, "thuoc": r.pop("co_so")}),
                                                             max_size=12), rows=st.integers(1, 9))
def test_the_registration_list_in_slices_is_the_whole_render_byte_for_byte(
        registration, tmp_path_factory, monkeypatch, branches, units, rows):
    """Any branches and Đoàn cơ sở (names with markup, tabs, line breaks, jinja-looking text, the
    markers' own characters), any slice: the bytes of the whole render. Slices are used whenever a
    list is longer than a slice and its names hold no marker."""
    folder = tmp_path_factory.mktemp("slices")
    ctx = {**registration, "chi_doan_dang_ky": branches, "co_so_dang_ky": units}
    whole, sliced_whole = _render(TEMPLATE, ctx, folder / "whole.docx", 10**9, monkeypatch)
    assert not sliced_whole
    sliced, used = _render(TEMPLATE, ctx, folder / "sliced.docx", rows, monkeypatch)
    assert sliced == whole
    marked = any("\ue000" in v for r in branches + units for v in r.values())
    if (len(branches) > rows or len(units) > rows) and not marked:
        assert used


def test_the_sample_provinces_list_in_slices_of_seven(registration, tmp_path, monkeypatch):
    """The sample province's own list, in slices of seven rows: the same bytes, and the rows all there."""
    whole, _ = _render(TEMPLATE, registration, tmp_path / "whole.docx", 10**9, monkeypatch)
    sliced, used = _render(TEMPLATE, registration, tmp_path / "sliced.docx", 7, monkeypatch)
    assert used and sliced == whole
    assert len(registration["chi_doan_dang_ky"]) > 7
    from tongket.documents.doccheck.reader import read_docx

    tables = read_docx(tmp_path / "sliced.docx").tables
    assert [r[1] for r in tables[1][1:]] == [r["ten"] for r in registration["chi_doan_dang_ky"]]
    assert [r[1] for r in tables[2][1:]] == [r["ten"] for r in registration["co_so_dang_ky"]]


def test_a_body_filled_in_slices_is_written_slice_by_slice(registration, tmp_path, monkeypatch):
    """The body filled in slices goes into the zip slice by slice, never joined (issue 21: the join
    was a second 12,8 MB copy of the province's registration list at 1.000 districts): with the zip's
    limit for that lowered to the sample's size, its body is deflated from one piece a slice and
    the file is the whole render's, byte for byte."""
    from tongket.common import files

    monkeypatch.setattr(files, "_DEFLATE_UNTIL", 2000)  # the sample's body (~70 kB) counts as large
    whole, _ = _render(TEMPLATE, registration, tmp_path / "whole.docx", 10**9, monkeypatch)
    written: dict[str, int] = {}
    write_pieces = files.FixedZip.write_pieces

    def spy(self, name, pieces):
        written[name] = len(pieces)
        assert not any(isinstance(p, bytes) and len(p) > 40_000 for p in pieces[1:-1]), "a slice holds the list"
        return write_pieces(self, name, pieces)

    monkeypatch.setattr(files.FixedZip, "write_pieces", spy)
    joined = []
    monkeypatch.setattr(report, "_BLOB_CLASSES", {})  # the filled part's class made again, its blob spied on
    give = report._give_pieces

    def give_spy(part, pieces):
        give(part, pieces)
        blob = type(part).blob
        type(part).blob = property(lambda self: joined.append(True) or blob.fget(self))

    monkeypatch.setattr(report, "_give_pieces", give_spy)
    sliced, used = _render(TEMPLATE, registration, tmp_path / "sliced.docx", 7, monkeypatch)
    rows = len(registration["chi_doan_dang_ky"]) + len(registration["co_so_dang_ky"])
    assert used and written.keys() == {"word/document.xml"}
    assert written["word/document.xml"] >= rows // 7 + 3  # a piece a slice, and what is around the lists
    assert not joined  # the pieces were never joined into one blob
    assert sliced == whole


def _table_template(path: Path, row: list[str], before: str = "Danh sách", footer: str = "") -> Path:
    """A template with a paragraph, then a table: a header row and docxtpl's row loop over `ds`."""
    doc = Document()
    doc.add_paragraph(before)
    table = doc.add_table(rows=4, cols=len(row))
    for i, text in enumerate(row):
        table.cell(0, i).text = f"Cột {i + 1}"
        table.cell(2, i).text = text
    table.cell(1, 0).text = "{%tr for r in ds %}"
    table.cell(3, 0).text = "{%tr endfor %}"
    doc.add_paragraph("Hết danh sách")
    if footer:
        doc.sections[0].footer.paragraphs[0].text = footer
    doc.save(path)
    return path


ITEMS = [{"a": f"Chi đoàn {i}", "b": f"Đoàn xã {i % 3} & <{i}>"} for i in range(23)]


@pytest.mark.parametrize("row, before, footer, items, sliced", [
    (["{{ r.a }}", "{{ r.b }}"], "Danh sách", "", ITEMS, True),
    (["{{ r.a|upper }}", "{{ r.b if r.b else '–' }}"], "{% if ds %}Có danh sách{% endif %}", "", ITEMS, True),
    (["{{ loop.index }}", "{{ r.a }}"], "Danh sách", "", ITEMS, False),  # a row numbered by the loop
    (["{{ r.a }}", "{{ nam }}"], "Danh sách", "", ITEMS, False),  # a row printing another field
    (["{{ r.a }}", "{{ r.b }}"], "{{ ds|length }} dòng", "", ITEMS, False),  # the list's length printed
    (["{{ r.a }}", "{{ r.b }}"], "Danh sách", "{{ ds|length }} dòng", ITEMS, False),  # ... in the footer
    (["{{ r.a }}", "{% if r.b %}{{ r.b }}{% endif %}"], "Danh sách", "", ITEMS, False),  # a statement in a row
    (["{{ r.a }}", "{{ r.b }}"], "Danh sách", "", [{**r, "b": ["x"]} for r in ITEMS], False),  # not plain text
])
def test_slices_only_where_every_row_is_a_plain_row(tmp_path, monkeypatch, row, before, footer, items, sliced):
    """Where a row depends on anything but its own item (the loop's counter, another field, the
    list's length, a statement), or an item is not plain text, the document is filled whole: either
    way the bytes are the whole render's."""
    tpl = _table_template(tmp_path / "mau.docx", row, before, footer)
    ctx = {"ds": items, "nam": 2021}
    whole, _ = _render(tpl, ctx, tmp_path / "whole.docx", 10**9, monkeypatch)
    got, used = _render(tpl, ctx, tmp_path / "sliced.docx", 5, monkeypatch)
    assert got == whole
    assert used == sliced
    assert got == whole


def test_a_lists_slices_are_one_use_of_its_template(registration, tmp_path, monkeypatch):
    """A list filled in slices fills its template once a slice, all for one document: the template is
    kept parsed from its next document on, as any other (issue 21: the province's worker kept the
    templates of its three long lists, filled once, for nothing). The same bytes every time."""
    from tongket.common.files import sha256

    report._Template._parsed.clear()
    report._Template._seen.clear()
    key = sha256(TEMPLATE.read_bytes())
    first, used = _render(TEMPLATE, registration, tmp_path / "a.docx", 7, monkeypatch)
    assert used and key not in report._Template._parsed and key in report._Template._seen
    second, _ = _render(TEMPLATE, registration, tmp_path / "b.docx", 7, monkeypatch)
    assert key in report._Template._parsed
    third, _ = _render(TEMPLATE, registration, tmp_path / "c.docx", 7, monkeypatch)  # copies of the kept one
    assert first == second == third
