"""Checks of the cadre figures of a Đoàn cơ sở (contract §6.2) [002 II.2]: the executive
committee's members meeting the cadre standard are at most its members."""

from __future__ import annotations

import pandas as pd

from ..common.schema import label
from ..errors import ERROR, Issue, column_of
from .workbook import ROW

# What each cadre figure means, shown on its header in the collection forms (added to forms.HELP
# after its core columns are fixed: these columns appear in a form where the data already holds them).
HELP = {
    "so_uy_vien_bch": "Số ủy viên Ban Chấp hành Đoàn cơ sở tại thời điểm báo cáo.",
    "so_uy_vien_dat_chuan": "Trong số ủy viên Ban Chấp hành, số ủy viên đạt chuẩn cán bộ (không lớn hơn số ủy viên).",
    "so_can_bo_duoc_boi_duong": "Số cán bộ Đoàn của đơn vị được tập huấn, bồi dưỡng trong năm.",
    "bi_thu_thay_trong_nam": "Trong năm có thay bí thư Đoàn cơ sở: Có hoặc Không.",
    "bi_thu_moi": "Bí thư chi đoàn mới đảm nhiệm trong năm: Có hoặc Không.",
}

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
                file, sheet, int(r[ROW]), column_of(label(part), letter), int(r[part]),
                f"{label(part)} lớn hơn {of} ({int(r[whole])})", ERROR,
                fix=f"Kiểm tra lại hai ô: số này không thể vượt {of} ({int(r[whole])})",
                letter=letter))
