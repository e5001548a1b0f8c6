"""manifest.json's text (issue 21): written again after every unit, so each unit is one line (the
fast encoder) and nothing is copied first; it must read back as exactly the document recorded."""

from __future__ import annotations

import json
from dataclasses import asdict

from hypothesis import given, settings
from hypothesis import strategies as st

from tongket.batch.manifest import Entry, encode

text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)
scalar = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=False), text)
value = st.recursive(scalar, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                     st.dictionaries(text, inner, max_size=4)), max_leaves=12)
unit = st.dictionaries(text, value, max_size=6)


@settings(max_examples=200, deadline=None)
@given(top=st.dictionaries(text.filter(lambda k: k != "districts"), value, max_size=6),
       districts=st.lists(unit, max_size=5))
def test_the_text_reads_back_as_the_document_with_one_line_per_unit(top, districts):
    doc = {**top, "districts": districts}
    written = encode(doc)
    assert json.loads(written) == doc
    lines = written.split("\n")  # (a line as a file holds it: \x85 or U+2028 in a name are not ends of line)
    for u in districts:  # each unit on a line of its own, whatever its text holds (a newline is escaped)
        assert any(line.strip().rstrip(",") == json.dumps(u, ensure_ascii=False) for line in lines)


def test_an_entry_is_recorded_as_its_fields_not_a_copy():
    e = Entry("H1", "Huyện Đoàn Một", "huyen", status="ok", files=["H1/a.docx"], warnings=["cảnh báo"],
              timings={"seconds": 1.5, "stages": {"Biểu đồ": 0.2}}, hashes={"H1/a.docx": "ab"})
    assert e.record() == asdict(e)
    assert e.record()["files"] is e.files  # encoded as it is: nothing copied on every write
    written = encode({"nam": 2021, "districts": [e.record()], "province": None})
    assert '\n    {"ma_don_vi": "H1", "ten_don_vi": "Huyện Đoàn Một", "cap": "huyen", "status": "ok",' in written
    assert json.loads(written)["districts"][0]["timings"]["stages"] == {"Biểu đồ": 0.2}


# A run writes the manifest after every unit naming the entry that changed (`Lines`): the text must be
# the one a write encoding every unit afresh gives, whatever changed, in whatever order.
CHANGE = st.tuples(st.integers(0, 5), st.sampled_from(["ok", "failed", "warn", "files", "fingerprint"]), text)


def _write(tmp, entries, carried, **kw):
    from datetime import datetime

    from tongket.batch.manifest import write_manifest

    path = write_manifest(tmp, 2021, {"engine": "direct"}, entries, datetime(2021, 12, 1, 8), carried=carried,
                          kit={"version": "x"}, order=["H3", "H1", "H2", "H5", "H4", "H6"], trang_thai="dang_chay",
                          summary=False, versions={"git": None, "thu_vien": {}}, **kw)
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc.pop("ket_thuc")  # the time of the write
    return doc, path.read_text(encoding="utf-8").split('"ket_thuc"')[0]


@settings(max_examples=60, deadline=None)
@given(st.lists(CHANGE, max_size=12))
def test_a_write_naming_the_changed_entry_is_the_write_encoding_every_unit(tmp_path_factory, changes):
    from tongket.batch.manifest import Lines

    tmp = tmp_path_factory.mktemp("m")
    entries = [Entry(f"H{i}", f"Huyện Đoàn {i}", "huyen") for i in range(1, 6)] + [Entry("T", "Tỉnh Đoàn", "tinh")]
    carried = [{"ma_don_vi": "H6", "ten_don_vi": "Huyện Đoàn 6", "status": "ok", "skipped": True}]
    lines = Lines()
    kept = _write(tmp, entries, carried, lines=lines)  # the run's first write: every unit
    for i, what, words in changes:
        e = entries[i]
        if what in ("ok", "failed"):
            e.status = what
        elif what == "warn":
            e.warnings.append(words)  # changed in place: the same list
        elif what == "files":
            e.files = [*e.files, f"{e.ma_don_vi}/{words}.docx"]
        else:
            e.fingerprint = words
        kept = _write(tmp, entries, carried, lines=lines, changed=[e])
        assert kept == _write(tmp, entries, carried)  # (no `lines`: every unit encoded afresh)
    assert [d["ma_don_vi"] for d in kept[0]["districts"]] == ["H3", "H1", "H2", "H5", "H4", "H6"]
    assert kept[0]["thanh_cong"] == sum(e.status == "ok" for e in entries) + 1


def test_a_unit_changed_but_not_named_is_written_afresh_by_the_next_write_naming_none(tmp_path):
    from tongket.batch.manifest import Lines

    entries = [Entry("H1", "Huyện Đoàn 1", "huyen"), Entry("H2", "Huyện Đoàn 2", "huyen")]
    lines = Lines()
    _write(tmp_path, entries, [], lines=lines)
    entries[0].status = "ok"
    doc, _ = _write(tmp_path, entries, [], lines=lines, changed=[entries[1]])
    assert doc["districts"][0]["status"] == "pending" and doc["thanh_cong"] == 1  # its line as last written
    doc, _ = _write(tmp_path, entries, [], lines=lines)  # as the run's last write does
    assert doc["districts"][0]["status"] == "ok"
