"""A unit's documents are read back and checked one at a time (issue 21: the province's worker held
every document's text at once, +20 MB at 1.000 districts): the same findings, in the same order, as
reading them all first."""

from __future__ import annotations

import weakref

from docx import Document

from tongket.documents.doccheck import reader, run
from tongket.documents.doccheck.results import expected
from tongket.documents.doccheck.rewards import programme_checks
from tongket.pipeline import write_unit

TAMPERED = ("bao_cao_tong_ket.docx", "phu_luc_so_lieu.docx", "quyet_dinh_cong_nhan.docx")


def test_the_findings_are_those_of_reading_every_document_first(sample_review, tmp_path, monkeypatch):
    write_unit(sample_review, "ST02", tmp_path, 2021)
    folder = tmp_path / "2021" / "ST02"
    for name in TAMPERED:  # a machine blank left in three documents
        doc = Document(folder / name)
        doc.add_paragraph(f"Ghi chú của {name}: {{{{ ghi_chu }}}}")
        doc.save(folder / name)
    docs = reader.read_folder(folder, "ST02/")
    want = run.check_documents(docs, expected(sample_review, "ST02", 2021)) + \
        programme_checks(docs, sample_review, "ST02", 2021)
    assert {f.document for f in want if f.rule == "the_mau"} >= {f"ST02/{n}" for n in TAMPERED}

    alive: list[weakref.ref] = []
    most = []
    read = reader.read_docx

    def spy(*args, **kwargs):
        most.append(sum(r() is not None for r in alive))  # documents still held when the next is read
        doc = read(*args, **kwargs)
        alive.append(weakref.ref(doc))
        return doc

    monkeypatch.setattr(reader, "read_docx", spy)
    got = run.check_unit(sample_review, "ST02", folder, 2021, prefix="ST02/")
    assert got == want
    assert len(most) == len([d for d in docs if d.name.endswith(".docx")]) > 10
    assert max(most) <= 1, most  # the one just checked, until the loop moves on
