"""Checks of the cadre figures of a Đoàn cơ sở (contract §6.2) [002 II.2]: the executive
committee's members meeting the cadre standard are at most its members."""

from __future__ import annotations

import pandas as pd

from ..common.schema import label
from ..errors import ERROR, Issue
from .workbook import ROW

# (part, whole): the part cannot exceed the whole of the same row.
NOT_MORE_THAN_CO_SO = (("so_uy_vien_dat_chuan", "so_uy_vien_bch"),)


def check_cadres(frame: pd.DataFrame, file: str, sheet: str, issues: list[Issue],
                 letters: dict[str, str]) -> None:
    """An error for each row of sheet `co_so` whose committee members up to the cadre standard
    outnumber its committee members; a blank on either side is not compared (it stays blank)."""
    for part, whole in NOT_MORE_THAN_CO_SO:
        if part not in frame or whole not in frame:
            continue
        a, b = frame[part].astype("Float64"), frame[whole].astype("Float64")
        over = (a.notna() & b.notna() & (a > b)).fillna(False).astype(bool)
        letter = letters.get(part)
        of = label(whole)[:1].lower() + label(whole)[1:]  # «số ủy viên Ban Chấp hành»: proper nouns keep capitals
        for r in frame[over].to_dict("records"):
            issues.append(Issue(
                file, sheet, int(r[ROW]), f"{label(part)} ({letter})" if letter else label(part), int(r[part]),
                f"{label(part)} lớn hơn {of} ({int(r[whole])})", ERROR,
                fix=f"Kiểm tra lại hai ô: số này không thể vượt {of} ({int(r[whole])})",
                letter=letter))
