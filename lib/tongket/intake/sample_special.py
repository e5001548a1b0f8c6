"""Sample rows of sheet `dac_thu_tien_do` (contract §6.5) [003]: every special Đoàn cơ sở of the
sample, each quarter of the last two years, as its work team might judge it, from its own random
stream (seed + 19) so the other sheets' figures do not move."""

from __future__ import annotations

from typing import Any

import numpy as np

NOTES_UP = ["Đã kiện toàn Ban Chấp hành, sinh hoạt đều đặn", "Tổ chức được hoạt động tình nguyện hè",
            "Cấp ủy quan tâm, bố trí kinh phí hoạt động", "Bí thư mới được bồi dưỡng nghiệp vụ"]
NOTES_DOWN = ["Sinh hoạt chưa đều, nhiều đoàn viên đi làm ăn xa", "Chưa kiện toàn được Bí thư",
              "Hoạt động còn ít, chưa thu hút đoàn viên"]


def rows(units: list[Any], cs_rows: list[dict], years: tuple[int, ...], seed: int) -> list[dict]:
    """Quarterly rows for the special units (`dac_thu`) of `units` in the last two of `years`;
    a unit whose score rose that year shows progress more often; a few quarters are not judged."""
    rng = np.random.default_rng(seed + 19)
    score = {(r["ma_don_vi"], r["nam"]): r.get("diem") for r in cs_rows}
    out = []
    for u in (x for x in units if x.dac_thu):
        for nam in years[-2:]:
            now, before = score.get((u.ma, nam)), score.get((u.ma, nam - 1))
            rising = now is not None and before is not None and now > before
            p = 0.7 if rising else 0.4
            for quy in (1, 2, 3, 4):
                if rng.random() < 0.05:
                    out.append({"ma_don_vi": u.ma, "nam": nam, "quy": quy, "tien_bo": None, "ghi_chu": None})
                    continue
                up = bool(rng.random() < p)
                notes = NOTES_UP if up else NOTES_DOWN
                out.append({"ma_don_vi": u.ma, "nam": nam, "quy": quy, "tien_bo": up,
                            "ghi_chu": notes[int(rng.integers(0, len(notes)))]})
    return out
