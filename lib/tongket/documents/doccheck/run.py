"""Running the checks: every check on a unit's documents, after `write_unit` as the cycle's
`kiem_tra_van_ban` says (fail the unit, warn, or skip), and the findings as lines an analyst reads."""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ...errors import RenderError
from ...rules.settings import DEFAULT_MODE
from .decision import draft_state, recognised
from .figure_checks import figures
from .finding import RULES, Finding
from .reader import Doc, each_document
from .results import Expected, expected
from .rewards import programme_checks
from .special import progress_recognised
from .words import code_words, placeholders, quotes, unique_names, without_names

SIDECAR = ".kiem_tra_van_ban.json"  # a unit's findings, for the batch's manifest (which reads and removes it)
WARNING = "Kiểm tra văn bản: "  # how a finding starts among a unit's warnings


def check_documents(docs: list[Doc], exp: Expected | None = None) -> list[Finding]:
    """Every check on every document; without `exp`, only those that need no results."""
    out: list[Finding] = []
    for d in docs:
        plain = without_names(d, exp.typed) if exp is not None and exp.typed else d
        out += placeholders(plain)
        out += code_words(plain, exp.codes if exp else None)
        out += quotes(d)
        out += unique_names(d, exp.ambiguous if exp else None)
        if exp is not None:
            out += figures(d, exp)
            out += recognised(d, exp)
            out += draft_state(d, exp)
            out += progress_recognised(d, exp.tien_bo)
    return out


def check_unit(review: Any, ma_don_vi: str, folder: str | Path, nam: int, prefix: str = "") -> list[Finding]:
    """Every check on a unit's written folder, against its results: every check is on one document,
    so the documents are read and checked one at a time (the findings in the same order as if all
    were read first: every document's own checks, then the programmes' checks)."""
    exp = expected(review, ma_don_vi, nam)
    found: list[Finding] = []
    programmes: list[Finding] = []
    for doc in each_document(folder, prefix):
        found += check_documents([doc], exp)
        programmes += programme_checks([doc], review, ma_don_vi, nam)
    return found + programmes


def mode(cycle: Any) -> str:
    """The cycle's `kiem_tra_van_ban` setting (see MODES)."""
    return getattr(cycle, "kiem_tra_van_ban", None) or DEFAULT_MODE


def after_write(review: Any, ma_don_vi: str, folder: Path, nam: int) -> list[str]:
    """Check what `write_unit` just wrote, as the cycle says: «loi» raises a RenderError naming
    each violation (the batch records the unit as failed), «canh_bao» returns them as warnings,
    «tat» checks nothing. The findings are also left in the folder for the batch's manifest."""
    sidecar = folder / SIDECAR
    how = mode(review.cycle)
    if how == "tat":
        sidecar.unlink(missing_ok=True)
        return []
    found = check_unit(review, ma_don_vi, folder, nam, prefix=f"{folder.name}/")
    from ...common.files import write_text

    write_text(sidecar, json.dumps({"che_do": how, "vi_pham": [asdict(f) for f in found]}, ensure_ascii=False))
    if found and how == "loi":
        raise RenderError(message(found))
    return [WARNING + line for line in summary(found)]


def summary(found: list[Finding], documents: int = 3) -> list[str]:
    """One line per kind of violation (rule and what was found), naming the documents it is in
    and one example: a unit's many assessment sheets repeat the same violation."""
    groups: dict[tuple[str, str], list[Finding]] = {}
    for f in found:
        kind = re.sub(r"^«[^»]*»:?\s*", "", f.detail) if f.rule in ("the_mau", "tu_ma") else f"{f.text} {f.detail}"
        groups.setdefault((f.rule, kind or f.detail), []).append(f)
    lines = []
    for (rule, _), fs in groups.items():
        docs = list(dict.fromkeys(f.document for f in fs))
        where = ", ".join(docs[:documents]) + (f" và {len(docs) - documents} văn bản khác" if len(docs) > documents else "")
        times = f" ({len(fs)} chỗ)" if len(fs) > 1 else ""
        first = fs[0]
        lines.append(f"{where}: {RULES.get(rule, rule)}: «{first.text}»"
                     + (f" ({first.detail})" if first.detail else "") + times)
    return lines


def message(found: list[Finding]) -> str:
    """The Vietnamese message of a unit failed by its documents."""
    return (f"Văn bản chưa ký được: {len(found)} vi phạm khi đọc lại văn bản đã ghi "
            f"(chỉ cảnh báo: kiem_tra_van_ban: canh_bao trong tệp tham số)\n" + "\n".join(summary(found)))


def sidecar_warnings(folder: Path) -> list[str]:
    """The findings a unit's write left in its folder, as warnings for the batch's manifest; the
    file is removed (none where it left none, or where they are the unit's error already)."""
    try:
        data = json.loads((folder / SIDECAR).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    finally:
        (folder / SIDECAR).unlink(missing_ok=True)
    if data.get("che_do") == "loi":
        return []
    return [WARNING + line for line in summary([Finding(**f) for f in data.get("vi_pham", [])])]
