"""The points typed on `diem_cham` for the cycle's year against the score sheet each unit is scored
on: an item code the sheet does not have, an item the sheet measures from the figures (a point typed
for it is never used), and a point above the item's maximum are said at the cell, never dropped or
capped in silence. Earlier years' rows are not checked: they were scored on the sheets of their own
year, which a unit's kind, a special unit or a renamed item may since have changed."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ..common.schema import label
from ..errors import ERROR, WARNING, Issue, as_shown, column_of
from ..rules.scoresheet import Item, ScoreSheet, sheet_for, sheet_keys
from .workbook import ROW


def check_given_scores(frame: pd.DataFrame, don_vi: pd.DataFrame, file: str, sheet: str,
                       letters: Mapping[str, str], sheets: Mapping[str, ScoreSheet], nam: int) -> list[Issue]:
    """The issues of `diem_cham`'s rows (typed) of year `nam` against the cycle's score `sheets`."""
    frame = frame[frame["nam"] == nam] if len(frame) else frame
    if not sheets or frame.empty:
        return []
    units = don_vi.dropna(subset=["ma_don_vi"]).drop_duplicates("ma_don_vi").set_index("ma_don_vi")
    keys = sheet_keys(units["loai_hinh"], units["dac_thu"], sheets)  # as the assessment picks them
    sheet_of = {code: sheet_for(sheets, key) for code, key in keys.items()}
    items_of = {id(on): {it.id: it for g in on.groups for it in g.items} for on in sheets.values()}
    out: list[Issue] = []

    def say(r: dict, key: str, value: object, rule: str, severity: str, fix: str) -> None:
        letter, name = letters.get(key), label(key, "diem_cham")  # the column as its header reads
        out.append(Issue(file, sheet, int(r[ROW]), column_of(name, letter), value, rule, severity,
                         fix=fix, letter=letter))

    for r in frame.to_dict("records"):
        code, item_id = r.get("ma_don_vi"), r.get("ma_muc")
        if code not in sheet_of or item_id is None or pd.isna(item_id):
            continue  # an unknown unit or a blank item code has its own error
        on = sheet_of[code]
        if on is None:
            continue
        items: dict[str, Item] = items_of[id(on)]
        it = items.get(str(item_id))
        if it is None:
            say(r, "ma_muc", item_id, f"Bảng điểm «{on.name}» (dùng cho đơn vị {code}) không có mục mã "
                f"«{item_id}»: điểm của dòng này không được tính vào mục nào", ERROR,
                f"Sửa mã mục theo bảng điểm (các mã: {', '.join(items)}), hoặc xóa dòng")
            continue
        if it.measure is not None:
            say(r, "ma_muc", item_id, f"Mục «{it.id}» ({it.label}) của bảng điểm «{on.name}» được tính từ "
                "số liệu của đơn vị, không từ điểm chấm: điểm ghi ở dòng này không được dùng", WARNING,
                "Xóa dòng; điểm của mục này do phần mềm tính từ số liệu")
            continue
        for key in ("tu_cham", "tham_dinh"):
            v = r.get(key)
            if v is not None and not pd.isna(v) and float(v) > it.max_points:
                say(r, key, v, f"Điểm {as_shown(float(v))} vượt điểm tối đa của mục «{it.id}» ({it.label}): "
                    f"{as_shown(float(it.max_points))} điểm; không tự hạ xuống", ERROR,
                    "Sửa lại điểm cho đúng (không quá điểm tối đa của mục trong bảng điểm)")
    return out
