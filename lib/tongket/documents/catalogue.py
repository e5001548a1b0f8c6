"""The documents a cycle issues: which kinds each level writes, their templates, and writing
them (one file per Đoàn cơ sở for the assessment sheets, merged into one on request)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..assessment.review import Review
from ..common.files import atomic_path, safe_name
from ..common.vietnamese import BLANK
from ..errors import ConfigError
from ..rules.params import Cycle
from . import contexts, models, one_plus_one, rewards, so_ket_years, special_units, upkeep
from .details import document_details, issuer_and_parent
from .report import fix_properties, render_docx, save_document
from .tables import write_appendix


@dataclass(frozen=True)
class DocType:
    """One kind of document: its template (templates/<key>.docx), who issues it, its number."""

    key: str
    ten: str  # the Vietnamese name, for messages and the field list
    levels: tuple[str, ...]
    build: Callable[[Review, str, int], tuple[dict, list[str]]]
    kind: str | None = "BC"  # the code in its number (BC, QĐ); None: attached to the main report
    main: bool = False  # the unit's main report (a single configured `so` is its number)
    own_recipients: bool = False  # a decision names its own recipients ("Như Điều 3")
    per_unit: bool = False  # one document per Đoàn cơ sở of the reporting unit
    # Whether the unit issues it this year: a document whose inputs are optional sheets (issues
    # 18, 19) is written only when the workbook has them, so a workbook without them writes
    # exactly the documents it did before. None: always.
    applies: Callable[[Review, str, int], bool] | None = None
    # A workbook written beside the document from its context (the appendix's figures, a list to
    # fill in): (review, unit code, year, context, folder) -> the file.
    companion: Callable[[Review, str, int, dict, Path], Path] | None = None
    # Why a unit does not issue it, said among the run's warnings (None: nothing to say, as for an
    # optional sheet not collected): (review, year) -> the sentence.
    refusal: Callable[[Review, int], str | None] | None = None

    @property
    def template(self) -> str:
        return f"{self.key}.docx"


def _appendix_book(_review: Review, _ma: str, _nam: int, ctx: dict, folder: Path) -> Path:
    """phu_luc_so_lieu.xlsx: the appendix's figures as a workbook."""
    return write_appendix(ctx, folder / "phu_luc_so_lieu.xlsx")


def _verification_book(review: Review, ma: str, nam: int, ctx: dict, folder: Path) -> Path:
    """danh_sach_tham_dinh.xlsx: the same list, for the verification team to fill in."""
    from ..intake.forms import write_verification_form

    unit = review.results.unit(ma)
    return write_verification_form(ctx["tham_dinh"], nam, str(unit["ten_don_vi"]), review.cycle.verification,
                                   folder / "danh_sach_tham_dinh.xlsx")


def merge_docx(files: list[Path], out: Path) -> Path:
    """One document of several (docxcompose), each starting on a new page; reproducible bytes."""
    from docx import Document
    from docx.enum.text import WD_BREAK
    from docxcompose.composer import Composer

    master = Document(str(files[0]))
    composer = Composer(master)
    for f in files[1:]:
        master.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        composer.append(Document(str(f)))
    fix_properties(master)
    with atomic_path(out) as tmp:
        save_document(composer.doc, tmp)  # what composer.save does, into a fixed-time zip
    return out


DOC_TYPES: dict[str, DocType] = {d.key: d for d in (
    DocType("bao_cao_tong_ket", "báo cáo tổng kết", ("huyen", "co_so"), contexts.bao_cao_tong_ket, main=True),
    DocType("bao_cao_tong_hop", "báo cáo tổng hợp", ("tinh",), contexts.bao_cao_tong_hop, main=True),
    DocType("bao_cao_so_ket", "báo cáo sơ kết", ("huyen", "co_so", "tinh"), contexts.bao_cao_so_ket,
            applies=so_ket_years.applies, refusal=so_ket_years.refusal),  # two years of figures or more
    DocType("quyet_dinh_cong_nhan", "quyết định công nhận", ("huyen", "tinh"), contexts.quyet_dinh_cong_nhan,
            kind="QĐ", own_recipients=True),
    DocType("phieu_danh_gia", "phiếu đánh giá Đoàn cơ sở", ("huyen", "co_so"), contexts.phieu_danh_gia, kind=None,
            per_unit=True),
    DocType("phu_luc_so_lieu", "phụ lục số liệu", ("huyen", "co_so", "tinh"), contexts.phu_luc_so_lieu, kind=None,
            companion=_appendix_book),
    DocType("danh_sach_tham_dinh", "danh sách thẩm định", ("huyen", "co_so", "tinh"), contexts.danh_sach_tham_dinh,
            kind=None, companion=_verification_book),
    # --- documents of issues 18/19: one entry per document below
    DocType("to_trinh_khen_thuong", "tờ trình đề nghị khen thưởng", ("huyen",), rewards.to_trinh_khen_thuong,
            kind="TTr", own_recipients=True, applies=rewards.applies),
    DocType("bao_cao_mot_cong_mot", "báo cáo sơ kết 6 tháng “1+1”", ("huyen", "tinh"),
            one_plus_one.bao_cao_mot_cong_mot, applies=one_plus_one.applies),
    DocType("bao_cao_mo_hinh", "báo cáo tổng hợp mô hình hay, cách làm hiệu quả", ("huyen", "co_so", "tinh"),
            models.bao_cao_mo_hinh, applies=models.applies),
    DocType("bao_cao_so_ket_dac_thu", "báo cáo sơ kết 6 tháng đơn vị đặc thù", ("huyen", "tinh"),
            special_units.bao_cao_so_ket_dac_thu, applies=special_units.applies_review),
    DocType("quyet_dinh_tien_bo", "quyết định công nhận tiến bộ", ("huyen", "tinh"), special_units.quyet_dinh_tien_bo,
            kind="QĐ", own_recipients=True, applies=special_units.applies_decision),
    DocType("danh_sach_dang_ky", "danh sách đăng ký", ("huyen", "co_so", "tinh"), upkeep.danh_sach_dang_ky,
            kind=None, applies=upkeep.applies),
)}
# What each level issues unless the cycle says otherwise (documents.types). A district
# recognises its own units [001] III; the province reports and reviews. A Đoàn cơ sở that reports
# on its own (cap_bao_cao: co_so, since the 2025 reform) writes its report, its assessment sheet,
# its appendix and its verification list, but cannot recognise itself: the province then issues
# the recognition decision.
# The documents of issues 18/19 (from to_trinh_khen_thuong on) are written only where their input
# sheet is present (DocType.applies).
DEFAULT_TYPES = {
    "huyen": ["bao_cao_tong_ket", "bao_cao_so_ket", "quyet_dinh_cong_nhan", "phieu_danh_gia", "phu_luc_so_lieu",
              "danh_sach_tham_dinh", "to_trinh_khen_thuong", "bao_cao_mot_cong_mot", "bao_cao_mo_hinh",
              "bao_cao_so_ket_dac_thu", "quyet_dinh_tien_bo", "danh_sach_dang_ky"],
    "co_so": ["bao_cao_tong_ket", "bao_cao_so_ket", "phieu_danh_gia", "phu_luc_so_lieu", "danh_sach_tham_dinh",
              "bao_cao_mo_hinh", "danh_sach_dang_ky"],
    "tinh": ["bao_cao_tong_hop", "bao_cao_so_ket", "phu_luc_so_lieu", "danh_sach_tham_dinh", "bao_cao_mot_cong_mot",
             "bao_cao_mo_hinh", "bao_cao_so_ket_dac_thu", "danh_sach_dang_ky"],
}
RECOGNISED_BY_PROVINCE = ["bao_cao_tong_hop", "bao_cao_so_ket", "quyet_dinh_cong_nhan", "phu_luc_so_lieu",
                          "danh_sach_tham_dinh", "bao_cao_mot_cong_mot", "bao_cao_mo_hinh", "bao_cao_so_ket_dac_thu",
                          "quyet_dinh_tien_bo", "danh_sach_dang_ky"]
MERGED = "phieu_danh_gia_tat_ca.docx"


def types_for(cycle: Cycle, cap: str) -> list[DocType]:
    """The document kinds a unit of level `cap` issues this cycle."""
    default = RECOGNISED_BY_PROVINCE if cap == "tinh" and cycle.cap_bao_cao == "co_so" else DEFAULT_TYPES.get(cap, [])
    chosen = cycle.documents.types.get(cap) or default
    out = []
    for key in chosen:
        doc = DOC_TYPES.get(key)
        if doc is None or cap not in doc.levels:
            allowed = ", ".join(k for k, d in DOC_TYPES.items() if cap in d.levels)
            raise ConfigError(f"Tệp tham số: loại văn bản «{key}» không dùng được cho cấp «{cap}» "
                              f"(documents.types); các loại: {allowed}")
        out.append(doc)
    return out


def missing_details(cycle: Cycle, unit: dict[str, Any], parent: dict[str, Any] | None,
                    review: Review | None = None, nam: int | None = None,
                    written: set[str] | None = None) -> list[str]:
    """The warnings a unit's documents will carry: details still missing (dotted blanks), grouped
    by the documents they concern. A document issued only with its optional input (`applies`) is
    counted only where it is issued: its file among `written` (file names, after a run), else
    where `review` shows it applies; never named for a unit that does not issue it."""
    by_missing: dict[tuple[str, ...], list[str]] = {}
    for doc in types_for(cycle, str(unit["cap"])):
        if doc.applies is not None and (doc.template not in written if written is not None else (
                review is None or not doc.applies(review, str(unit["ma_don_vi"]), nam or cycle.nam))):
            continue
        _, missing = document_details(cycle, unit, parent, doc.key, doc.kind, doc.main, doc.own_recipients)
        if missing:
            by_missing.setdefault(tuple(missing), []).append(doc.ten)
    return [f"{unit['ten_don_vi']} ({unit['ma_don_vi']}): chưa có {', '.join(m)} — để trống «{BLANK}» trong "
            f"{', '.join(docs)}" for m, docs in by_missing.items()]


def issued(review: Review, ma: str, nam: int) -> tuple[list[DocType], list[str]]:
    """The kinds of document the unit `ma` issues for `nam`, and why it issues none of the others
    where that is worth saying (the run's warnings)."""
    unit, _ = issuer_and_parent(review, ma)
    kinds: list[DocType] = []
    said: list[str] = []
    for doc in types_for(review.cycle, str(unit["cap"])):
        if doc.applies is None or doc.applies(review, ma, nam):
            kinds.append(doc)
        elif doc.refusal is not None and (why := doc.refusal(review, nam)):
            said.append(f"{unit['ten_don_vi']} ({ma}): {why}")
    return kinds, said


def write_documents(review: Review, ma: str, folder: Path, nam: int, images: Mapping[str, Path | None],
                    gop_phieu: bool = False) -> tuple[list[Path], list[str]]:
    """Write every document the unit issues into `folder`; returns the files and the warnings."""
    cycle = review.cycle
    unit, parent = issuer_and_parent(review, ma)
    templates = cycle.templates
    files: list[Path] = []
    kinds, said = issued(review, ma, nam)
    for doc in kinds:
        template = templates / doc.template
        if doc.per_unit:
            sheets = [render_docx(template, ctx, folder / doc.key / f"{safe_name(code)}.docx", images)
                      for code, ctx, _ in contexts.phieu_danh_gia_tat_ca(review, ma, nam)]
            files += sheets
            if gop_phieu and sheets:
                files.append(merge_docx(sheets, folder / MERGED))
            continue
        ctx, _ = doc.build(review, ma, nam)
        files.append(render_docx(template, ctx, folder / doc.template, images))
        if doc.companion is not None:
            files.append(doc.companion(review, ma, nam, ctx, folder))
    return files, missing_details(cycle, unit, parent, written={doc.template for doc in kinds}) + said

