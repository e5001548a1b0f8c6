"""A file written into a FixedZip (openpyxl's streamed sheets) is copied in blocks when large (issue
21: the province's sheet of branches read whole made the worker's peak at 1.000 districts): the zip is
the standard library's, byte for byte, as when the file's bytes were written whole."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tongket.common import files

TEXT = "<row r='1'><c t='inlineStr'><is><t>Chi đoàn khu phố 1, Đoàn phường 2</t></is></c></row>"


def _stdlib(path: Path, entries: list[tuple[str, bytes]]) -> bytes:
    """The zip the standard library writes with the kit's fixed time and mode, each entry whole."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as z:
        for name, blob in entries:
            info = zipfile.ZipInfo(name, files.FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, blob)
    return path.read_bytes()


def _content(seed: int, size: int, text: bool) -> bytes:
    rng = random.Random(seed)
    if text:
        blob = "".join(TEXT.replace("1", str(rng.randrange(10 ** rng.randrange(1, 6)))) for _ in range(size // 60 + 1))
        return blob.encode()[:size]
    return rng.randbytes(size)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10 ** 6), st.integers(0, 9000), st.booleans()), min_size=1, max_size=4))
def test_files_written_are_the_stdlibs_zip_byte_for_byte(tmp_path_factory, entries):
    """Files of any size around the limit (lowered here to 3.000 bytes), text or random bytes, written
    with `write`: the bytes of the standard library's zip of the same entries, each written whole."""
    folder = tmp_path_factory.mktemp("zip")
    blobs = []
    for i, (seed, size, text) in enumerate(entries):
        blob = _content(seed, size, text)
        (folder / f"sheet{i}.xml").write_bytes(blob)
        blobs.append((f"xl/worksheets/sheet{i}.xml", blob))
    with pytest.MonkeyPatch.context() as m:
        m.setattr(files, "_DEFLATE_UNTIL", 3000)
        with files.FixedZip(folder / "kit.zip") as z:
            for i, (name, _) in enumerate(blobs):
                z.write(folder / f"sheet{i}.xml", name)
    assert (folder / "kit.zip").read_bytes() == _stdlib(folder / "stdlib.zip", blobs)


def test_a_large_file_is_never_read_whole(tmp_path, monkeypatch):
    """A sheet past the real limit (1 MB), here 6 MB of rows, is copied in blocks: its bytes are never
    held at once, and the zip is still the standard library's."""
    blob = _content(7, 6_000_000, True)
    sheet = tmp_path / "sheet1.xml"
    sheet.write_bytes(blob)
    expected = _stdlib(tmp_path / "stdlib.zip", [("xl/worksheets/sheet1.xml", blob)])
    read_bytes = Path.read_bytes

    def refuse(self: Path) -> bytes:
        assert self != sheet, "the large sheet was read whole"
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with files.FixedZip(tmp_path / "kit.zip") as z:
        z.write(sheet, "xl/worksheets/sheet1.xml")
    assert read_bytes(tmp_path / "kit.zip") == expected


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10 ** 6), st.lists(st.integers(0, 2500), max_size=6), st.booleans()),
                min_size=1, max_size=4))
def test_entries_written_in_pieces_are_the_stdlibs_zip_byte_for_byte(tmp_path_factory, entries):
    """Entries given in pieces of any size (none, empty pieces, around the limit lowered to 3.000
    bytes), text or random bytes, written with `write_pieces`: the standard library's zip of the same
    entries, each written whole (a document's body filled slice by slice, issue 21)."""
    folder = tmp_path_factory.mktemp("pieces")
    whole, parts = [], []
    for i, (seed, sizes, text) in enumerate(entries):
        blob = _content(seed, sum(sizes), text)
        cuts = [sum(sizes[:k]) for k in range(len(sizes) + 1)]
        parts.append([blob[a:b] for a, b in zip(cuts, cuts[1:])])
        whole.append((f"word/document{i}.xml", blob))
    with pytest.MonkeyPatch.context() as m:
        m.setattr(files, "_DEFLATE_UNTIL", 3000)
        with files.FixedZip(folder / "kit.zip") as z:
            for (name, _), pieces in zip(whole, parts):
                z.write_pieces(name, pieces)
    assert (folder / "kit.zip").read_bytes() == _stdlib(folder / "stdlib.zip", whole)


def test_large_pieces_are_never_joined(tmp_path):
    """6 MB given as 60 pieces (past the real limit): the zip is the standard library's, and writing
    it never holds a block the size of the whole (its peak of traced memory stays under a tenth)."""
    import tracemalloc

    blob = _content(11, 6_000_000, True)
    pieces = [blob[i:i + 100_000] for i in range(0, len(blob), 100_000)]
    expected = _stdlib(tmp_path / "stdlib.zip", [("word/document.xml", blob)])
    tracemalloc.start()
    try:
        with files.FixedZip(tmp_path / "kit.zip") as z:
            tracemalloc.reset_peak()
            z.write_pieces("word/document.xml", pieces)
            _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < len(blob) / 10
    assert (tmp_path / "kit.zip").read_bytes() == expected
