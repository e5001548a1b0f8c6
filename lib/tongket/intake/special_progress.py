"""Sheet `dac_thu_tien_do` (contract §6.5) [003]: a special unit's progress each quarter, as its
work team sees it. Its rows must belong to units marked special (`dac_thu`) in `don_vi`; the
sheet's level and the one row per unit, year and quarter are checked with every data sheet."""

from __future__ import annotations

import pandas as pd

from ..errors import ERROR, Issue, column_of
from .workbook import ROW


def check_special(frame: pd.DataFrame, don_vi: pd.DataFrame, file: str, sheet: str,
                  letters: dict[str, str]) -> list[Issue]:
    """A row of a Đoàn cơ sở not marked special: an error naming its cell (its progress would be
    reported for a unit no work team follows)."""
    units = don_vi.dropna(subset=["ma_don_vi"]).drop_duplicates("ma_don_vi").set_index("ma_don_vi")
    special = units["dac_thu"].fillna(False).astype(bool) if "dac_thu" in units else pd.Series(False, units.index)
    co_so = frame["ma_don_vi"].map(units["cap"]).eq("co_so")
    ordinary = co_so & ~frame["ma_don_vi"].map(special).fillna(False).astype(bool)
    names = units["ten_don_vi"] if "ten_don_vi" in units else pd.Series(dtype=object)
    letter = letters.get("ma_don_vi")
    return [Issue(file, sheet, int(r[ROW]), column_of("Mã đơn vị", letter), r["ma_don_vi"],
                  f"«{names.get(r['ma_don_vi'], r['ma_don_vi'])}» không phải đơn vị đặc thù (cột «Đơn vị đặc thù» "
                  f"của trang don_vi): không có tổ công tác theo dõi tiến bộ", ERROR,
                  fix="Sửa mã đơn vị cho đúng, hoặc đánh dấu đơn vị là đặc thù (Có) ở trang don_vi", letter=letter)
            for r in frame[ordinary].to_dict("records")]
