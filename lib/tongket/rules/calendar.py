"""The programme's calendar: the dates of its steps in a year, declared in the cycle file (`lich:`).

Seed [001] III sets the steps: a Đoàn cơ sở registers for "3 chủ động" before 10/10 of the year
before; branches register by 10/02, the province by 15/02; the upper level reviews every six
months [003, 004]; units report at year end. A cycle file names each step's date, optionally with
its own Vietnamese name:

    lich:
      dang_ky_ba_chu_dong: 2020-10-10
      dang_ky_chi_doan: 2021-02-10
      dang_ky_tinh:
        ten: Huyện, thành Đoàn đăng ký danh sách về Tỉnh Đoàn
        han: 2021-02-15

The report deadline is `thu_thap.han_nop` (kept) or `lich.bao_cao`; both may be given only if they
agree. `forms` prints the dates, `collect` judges a return against its own step's date (a return
of year-end figures against `bao_cao`, a registration list against its registration date), and
the year-end report states them in one sentence.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..common.files import shown
from ..common.vietnamese import nfc, ngay_van_ban
from ..errors import ConfigError

# The known steps, in the order they fall in a programme year, each with the name a document reads.
STEPS: dict[str, str] = {
    "dang_ky_ba_chu_dong": "Đoàn cơ sở đăng ký xây dựng Đoàn cơ sở “3 chủ động”",
    "dang_ky_chi_doan": "Đoàn cơ sở gửi danh sách chi đoàn đăng ký xây dựng Chi đoàn đạt chuẩn",
    "dang_ky_tinh": "Đăng ký danh sách về Tỉnh Đoàn",
    "so_ket_6_thang": "Sơ kết 6 tháng",
    "bao_cao": "Gửi số liệu, báo cáo tổng kết năm",
    "tong_ket": "Tổng kết năm",
}
REPORT = "bao_cao"  # the step whose date is thu_thap.han_nop
# The step a returned sheet belongs to (collect judges its lateness against that step's date).
SHEET_STEP: dict[str, str] = {"chi_doan": REPORT, "co_so": REPORT, "mo_hinh": REPORT, "tham_dinh": REPORT,
                              "dang_ky": "dang_ky_chi_doan", "mot_cong_mot": "so_ket_6_thang",
                              "dac_thu_tien_do": "so_ket_6_thang"}


@dataclass(frozen=True)
class Step:
    """One dated step of the programme: its key, its Vietnamese name and its date."""

    key: str
    ten: str
    han: date


@dataclass(frozen=True)
class Calendar:
    """The cycle's dated steps, in date order (`lich:`; empty when the cycle names none)."""

    steps: tuple[Step, ...] = field(default_factory=tuple)

    def han(self, key: str) -> date | None:
        """The date of a step, or None where the cycle gives none."""
        return next((s.han for s in self.steps if s.key == key), None)

    def for_sheets(self, sheets: Iterable[str]) -> date | None:
        """The date a return holding these sheets is due by: the latest of its steps' dates (a
        sheet of no known step is judged against the report deadline)."""
        dates = [self.han(SHEET_STEP.get(s, REPORT)) for s in sheets]
        known = [d for d in dates if d is not None]
        return max(known) if known else None

    def late(self, sent: date | None, sheets: Iterable[str]) -> bool | None:
        """Whether a return sent on `sent` with these sheets is late (None: no date to judge by)."""
        due = self.for_sheets(sheets)
        return None if sent is None or due is None else sent > due

    def shifted(self, years: int) -> Calendar:
        """The same steps `years` later (a run for another year than the file's; 29/02 becomes 28/02)."""
        if not years:
            return self
        move = lambda d: d.replace(year=d.year + years, day=min(d.day, 28) if d.month == 2 else d.day)
        return Calendar(tuple(Step(s.key, s.ten, move(s.han)) for s in self.steps))

    def lines(self) -> list[tuple[str, str]]:
        """Each step as a form prints it: (name, "trước ngày … tháng … năm …")."""
        return [(s.ten, f"trước {ngay_van_ban(s.han)}") for s in self.steps]

    def sentence(self, nam: int) -> str:
        """One sentence of a year-end report stating the plan's dates ("" without a calendar)."""
        if not self.steps:
            return ""
        parts = [f"{_lower_first(s.ten)} trước {ngay_van_ban(s.han)}" for s in self.steps if s.key != "tong_ket"]
        if not parts:
            return ""
        return f"Theo kế hoạch năm {nam}, " + "; ".join(parts) + "."


def _lower_first(text: str) -> str:
    """A step's name inside a sentence: a common noun lower-cased, a proper name ("Đoàn cơ sở") kept."""
    first = text.split(" ", 1)[0]
    return text if first in ("Đoàn", "Tỉnh", "Huyện", "Ban") else text[:1].lower() + text[1:]


def _date(where: str, v: Any) -> date:
    """A date typed in the cycle file: YYYY-MM-DD (YAML's own) or dd/mm/yyyy."""
    if isinstance(v, date):
        return v
    text = str(v).strip()
    try:
        if "/" in text:
            d, m, y = (int(x) for x in text.split("/"))
            return date(y, m, d)
        return date.fromisoformat(text)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{where}: «{v}» không phải ngày. Cách sửa: gõ ngày dạng YYYY-MM-DD, "
                          f"ví dụ 2021-02-10 (hoặc 10/02/2021)") from exc


def load_calendar(file: str, raw: Any, nam: int, han_nop: date | None) -> Calendar:
    """`lich:` of a cycle file, checked: every step a date (or `ten` and `han`), each within the year
    before and the year after `nam`, the known steps in their order, the report date agreeing with
    `thu_thap.han_nop` (which fills it when `lich` names none). Vietnamese messages name the key."""
    if raw in (None, ""):
        raw = {}
    if not isinstance(raw, Mapping):
        raise ConfigError(f"Tệp tham số {file}, khóa lich: cần các cặp «bước: ngày» (ví dụ dang_ky_chi_doan: "
                          f"2021-02-10), gặp «{shown(raw)}»")
    steps: list[Step] = []
    for key, v in raw.items():
        where = f"Tệp tham số {file}, khóa lich.{key}"
        if isinstance(v, Mapping):
            unknown = set(map(str, v)) - {"ten", "han"}
            if unknown:
                raise ConfigError(f"{where}: khóa con «{', '.join(sorted(unknown))}» không dùng được; chỉ có "
                                  "«ten» (tên bước) và «han» (ngày)")
            ten, when = v.get("ten"), v.get("han")
        else:
            ten, when = None, v
        ten = nfc(str(ten)).strip() if ten not in (None, "") else STEPS.get(str(key))
        if not ten:
            raise ConfigError(f"{where}: bước tự đặt cần tên. Cách sửa: viết «ten: …» và «han: YYYY-MM-DD» "
                              f"thụt vào dưới khóa; các bước có sẵn tên: {', '.join(STEPS)}")
        if when in (None, ""):
            raise ConfigError(f"{where}: thiếu ngày. Cách sửa: gõ ngày dạng YYYY-MM-DD, ví dụ 2021-02-10")
        day = _date(where, when)
        if not nam - 1 <= day.year <= nam + 1:
            raise ConfigError(f"{where}: ngày {day.strftime('%d/%m/%Y')} nằm ngoài kỳ {nam} (chỉ nhận từ năm "
                              f"{nam - 1} đến năm {nam + 1}). Cách sửa: kiểm tra lại năm của ngày")
        steps.append(Step(str(key), ten, day))
    report = next((s for s in steps if s.key == REPORT), None)
    if report is not None and han_nop is not None and report.han != han_nop:
        raise ConfigError(f"Tệp tham số {file}: lich.{REPORT} ({report.han.strftime('%d/%m/%Y')}) khác "
                          f"thu_thap.han_nop ({han_nop.strftime('%d/%m/%Y')}). Cách sửa: giữ một trong hai, "
                          "hoặc gõ cùng một ngày")
    if report is None and han_nop is not None:
        steps.append(Step(REPORT, STEPS[REPORT], han_nop))
    _check_order(file, steps)
    return Calendar(tuple(sorted(steps, key=lambda s: (s.han, list(STEPS).index(s.key) if s.key in STEPS else 99))))


def _check_order(file: str, steps: list[Step]) -> None:
    """The known steps fall in their order (registration before the half-year review, before the report)."""
    known = sorted((s for s in steps if s.key in STEPS), key=lambda s: list(STEPS).index(s.key))
    for a, b in zip(known, known[1:]):
        if b.han < a.han:
            raise ConfigError(f"Tệp tham số {file}, khóa lich: «{b.ten}» ({b.han.strftime('%d/%m/%Y')}) sớm hơn "
                              f"«{a.ten}» ({a.han.strftime('%d/%m/%Y')}), nhưng phải sau. Cách sửa: kiểm tra lại "
                              f"ngày của lich.{a.key} và lich.{b.key}")
