"""Checks of sheet `dang_ky` (registration at the start of the year [001 III], contract §6.4)
beyond the generic ones: each programme is registered by its own level of unit (a branch for
"Chi đoàn đạt chuẩn", a Đoàn cơ sở for "3 chủ động"), and a branch not in a residential area
registers for nothing the rubric counts."""

from __future__ import annotations

import pandas as pd

from ..common.schema import CAP_CHUONG_TRINH, TEN_CAP, TEN_CHUONG_TRINH, label
from ..errors import ERROR, WARNING, Issue, column_of
from .workbook import ROW


def _where(key: str, letters: dict[str, str]) -> tuple[str, str | None]:
    letter = letters.get(key)
    return column_of(label_of(key), letter), letter


def label_of(key: str) -> str:
    """The Vietnamese label of a column of sheet dang_ky."""
    from ..common.schema import DANG_KY

    return next((c.label for c in DANG_KY if c.key == key), label(key))


def check_registrations(frame: pd.DataFrame, don_vi: pd.DataFrame, file: str, sheet: str, issues: list[Issue],
                        letters: dict[str, str]) -> None:
    """The programme fits the unit's level; a non-residential branch's registration is only a warning."""
    units = don_vi.dropna(subset=["ma_don_vi"]).drop_duplicates("ma_don_vi").set_index("ma_don_vi")
    where, letter = _where("chuong_trinh", letters)
    for r in frame.to_dict("records"):
        code, programme = r["ma_don_vi"], r["chuong_trinh"]
        if not isinstance(code, str) or code not in units.index or not isinstance(programme, str):
            continue  # unknown codes and unreadable programmes are said by the generic checks
        cap = units.at[code, "cap"]
        want = CAP_CHUONG_TRINH[programme]
        name = units.at[code, "ten_don_vi"]
        if cap in CAP_CHUONG_TRINH.values() and cap != want:
            other = next(k for k, v in CAP_CHUONG_TRINH.items() if v == cap)
            issues.append(Issue(
                file, sheet, int(r[ROW]), where, programme,
                f"Sai chương trình: «{TEN_CHUONG_TRINH[programme]}» do {TEN_CAP[want]} đăng ký, "
                f"«{name}» ({code}) là {TEN_CAP[cap]}", ERROR,
                fix=f"Với {TEN_CAP[cap]}, ghi chương trình «{other}» ({TEN_CHUONG_TRINH[other]}), hoặc sửa mã đơn vị",
                letter=letter))
        elif cap == "chi_doan" and units.at[code, "loai_hinh"] != "dan_cu":
            issues.append(Issue(
                file, sheet, int(r[ROW]), where, programme,
                f"«{name}» ({code}) không phải chi đoàn trên địa bàn dân cư: đăng ký không được tính vào tỉ lệ "
                "đăng ký chi đoàn đạt chuẩn", WARNING,
                fix="Kiểm tra loại hình của chi đoàn ở trang don_vi, hoặc bỏ dòng đăng ký này", letter=letter))
