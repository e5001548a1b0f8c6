"""Every document of every year a sample holds, not only the cycle's own: the contexts of every
kind each unit issues for 2018–2021, on both bundled workbooks, carry no machine blank (None,
nan, <NA>, a template tag), the read-back check's own rule. A run for an earlier year (`--nam
2019`) printed «Quý I: nan» in the special units' review until this test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tongket import open_review
from tongket.assessment.review import reporting_codes, tinh_code
from tongket.documents import contexts
from tongket.documents.catalogue import issued
from tongket.documents.doccheck.words import PLACEHOLDERS

ROOT = Path(__file__).resolve().parents[2]
CYCLES = {"truoc_sap_xep": None, "sau_sap_xep": ROOT / "params" / "tong_ket_2021_sau_sap_xep.yaml"}
UNITS = 8  # reporting units of each sample: all 6 before the reform, the first 8 of its 180 after


def _text(ctx: object) -> list[str]:
    """Every string a template can print from a context."""
    if isinstance(ctx, dict):
        return [s for k, v in ctx.items() if not str(k).startswith("_") for s in _text(v)]
    if isinstance(ctx, (list, tuple)):
        return [s for v in ctx for s in _text(v)]
    return [ctx] if isinstance(ctx, str) else []


@pytest.mark.parametrize("cycle", sorted(CYCLES))
def test_no_machine_blank_in_any_document_of_any_year(cycle):
    review = open_review(CYCLES[cycle])
    years = sorted(int(y) for y in review.results.chi_doan["nam"].unique())
    assert years[0] <= 2019 and years[-1] == 2021  # earlier years are the point
    found, built = [], 0
    for nam in years:
        for ma in [*reporting_codes(review)[:UNITS], tinh_code(review)]:
            kinds, _ = issued(review, ma, nam)
            for doc in kinds:
                ctxs = ([c for _, c, _ in contexts.phieu_danh_gia_tat_ca(review, ma, nam)] if doc.per_unit
                        else [doc.build(review, ma, nam)[0]])
                built += len(ctxs)
                found += [(nam, ma, doc.key, s) for c in ctxs for s in _text(c) if PLACEHOLDERS.search(s)]
    assert built > 100 and found == []
