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
