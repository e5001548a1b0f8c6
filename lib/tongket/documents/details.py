"""The official details of a document (issuing and upper body, number, place and date, signer,
recipients) and the frame every document's context starts from."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from ..assessment.review import Review, once, verification_sample
from ..common.vietnamese import BLANK, nfc, ngay_van_ban, sort_key, upper
from ..rules.params import DOC_FIELDS, Cycle


def sample_of(review: Review, nam: int, ma: str | None) -> pd.DataFrame:
    """The verification sample of the province (`ma` None) or of one reporting unit, drawn once per review."""
    return once(review, ("verification_sample", nam, ma), lambda: verification_sample(review, nam, ma))


# Documents of the half-year review, dated by the calendar's half-year step (`lich: so_ket_6_thang`),
# never by the year-end date: the special units' «sơ kết 6 tháng đầu năm» [003] reads the first two
# quarters and plans «6 tháng cuối năm», which a document signed in December contradicts. The "1+1"
# half-year review [004] is not one of them: it sets the half year beside the year-end report's
# figures (section II), which exist only at the year's end, so it keeps the year-end date.
HALF_YEAR = {"bao_cao_so_ket_dac_thu": "so_ket_6_thang"}


def document_date(cycle: Cycle, loai: str | None) -> date | None:
    """The date a document is signed on: its own step's date in the calendar for a half-year
    document, else the cycle's `ngay_van_ban` (None: printed as dotted blanks, and warned)."""
    step = HALF_YEAR.get(loai or "")
    return cycle.lich.han(step) if step else cycle.ngay_van_ban


def document_details(cycle: Cycle, unit: dict[str, Any], parent: dict[str, Any] | None, loai: str | None = None,
                     kind: str | None = "BC", main: bool = True, own_recipients: bool = False) -> tuple[dict, list[str]]:
    """The issuing unit's details for one document (header lines, number, place, signer, recipients).

    Parameters win over the workbook's own columns; the issuing body falls back to the unit's name
    and the upper body to its parent's name. `kind` is the document's code in its number (BC, QĐ):
    it replaces the code of the configured `ky_hieu` ("BC/ĐTN" -> "QĐ/ĐTN") unless the document
    kind has its own. With `own_recipients`, only recipients given for this document kind count.
    Returns the details and the Vietnamese names of those still missing (dotted blanks).
    """
    given = cycle.document(str(unit["ma_don_vi"]), str(unit["cap"]), loai, main)
    specific = cycle.document_specific(str(unit["ma_don_vi"]), str(unit["cap"]), loai) if loai else {}
    vb: dict[str, Any] = {}
    for key in DOC_FIELDS:
        v = given.get(key)
        if key == "noi_nhan" and own_recipients:
            v = specific.get(key)
        if key == "noi_nhan" and isinstance(v, list):  # a blank line of the list is no recipient (never «None»)
            v = [x for x in v if x is not None and str(x).strip()]
        if v in (None, "", []) and key in unit and isinstance(unit.get(key), str):
            v = unit[key]
        vb[key] = v
    if not vb["co_quan_ban_hanh"]:
        vb["co_quan_ban_hanh"] = upper(unit["ten_don_vi"])
    if not vb["co_quan_cap_tren"] and parent is not None:
        vb["co_quan_cap_tren"] = upper(parent["ten_don_vi"])
    if kind and vb["ky_hieu"] and "ky_hieu" not in specific:
        code, sep, issuer = str(vb["ky_hieu"]).partition("/")
        vb["ky_hieu"] = f"{kind}/{issuer}" if sep else vb["ky_hieu"]
    # An attached document (no kind) has no number and no recipients of its own.
    # The upper body's line is printed only where one is named (a province's header has its own body only).
    needed = [k for k in DOC_FIELDS if (kind or k not in ("so", "ky_hieu", "noi_nhan")) and k != "co_quan_cap_tren"]
    if own_recipients and not vb["noi_nhan"]:
        needed.remove("noi_nhan")  # the document supplies its own default recipients
    missing = [DOC_FIELDS[k] for k in needed if vb[k] in (None, "", [])]
    for k, v in vb.items():
        if v in (None, "", []) and k == "co_quan_cap_tren":
            vb[k] = ""
        elif v in (None, "", []):
            vb[k] = [] if k == "noi_nhan" and own_recipients else ([BLANK] if k == "noi_nhan" else BLANK)
        elif k == "noi_nhan" and isinstance(v, str):
            vb[k] = [v]
        elif k == "noi_nhan":
            vb[k] = [nfc(str(x)) for x in v]
        else:
            vb[k] = nfc(str(v))
    day = document_date(cycle, loai)
    vb["ngay"] = ngay_van_ban(day)
    if day is None:
        missing.append("ngày sơ kết 6 tháng (lich: so_ket_6_thang)" if (loai or "") in HALF_YEAR else "ngày văn bản")
    vb["ten_ban_hanh"] = unit["ten_don_vi"]
    vb["xac_nhan"] = nfc(str(given.get("xac_nhan") or ""))
    vb["nguoi_xac_nhan"] = nfc(str(given.get("nguoi_xac_nhan") or ""))
    return vb, missing


def issuer_and_parent(review: Review, ma: str) -> tuple[dict, dict | None]:
    """The unit issuing a document and the unit right above it (None for the root)."""
    unit = review.results.unit(ma)
    parent = review.results.unit(unit["ma_cap_tren"]) if isinstance(unit.get("ma_cap_tren"), str) else None
    return unit, parent


def frame(review: Review, ma: str, loai: str, kind: str | None, main: bool, nam: int,
          own_recipients: bool = False) -> tuple[dict[str, Any], list[str]]:
    """The official frame every document shares: details, year, the unit, the note on sample data.

    A document attached to the unit's main report (kind None) carries that report's number in
    `vb.kem_theo`."""
    unit, parent = issuer_and_parent(review, ma)
    vb, missing = document_details(review.cycle, unit, parent, loai, kind, main, own_recipients)
    if kind is None:
        main_loai = "bao_cao_tong_hop" if unit["cap"] == "tinh" else "bao_cao_tong_ket"
        report, _ = document_details(review.cycle, unit, parent, main_loai, "BC", True)
        vb["kem_theo"] = (f"Báo cáo số {report['so']}-{report['ky_hieu']} {report['ngay']} của Ban Thường vụ "
                          f"{unit['ten_don_vi']}")
    ctx = {"vb": vb, "ghi_chu": _note(review, unit), "nam": nam, "nam_truoc": nam - 1, "nam_sau": nam + 1,
           "don_vi": {"ma": ma, "ten": unit["ten_don_vi"], "ten_hoa": upper(unit["ten_don_vi"]), "cap": unit["cap"]}}
    return ctx, missing


def _note(review: Review, unit: dict) -> str:
    """The note under a document's title: the cycle's own (sample data), and, on the province's
    documents, the reporting units left out of its figures for errors in their data, so that no
    province total reads as the whole province's."""
    notes = [review.cycle.ghi_chu] if review.cycle.ghi_chu else []
    if unit["cap"] == "tinh" and review.excluded_names:
        names = ", ".join(sorted(review.excluded_names.values(), key=sort_key))
        notes.append(f"số liệu toàn tỉnh chưa gồm {names}: số liệu của đơn vị có lỗi, chưa được tổng hợp")
    text = "; ".join(notes)
    return text[:1].upper() + text[1:]
