"""Documents the run did not decide leave the year folder (issue 8: nothing stale): a unit that
failed this time, a unit a partial run carries whose rows now hold an error or changed since its
documents were made, and the folder of a unit no longer in the run. They go to
<out>/van_ban_khong_dung/<year>/<code>_<time>/ (`staging.set_aside`); the manifest says what went where."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..common.files import safe_name
from ..common.schema import TEN_CAP
from ..common.vietnamese import ngay_bang
from ..errors import ERROR
from . import staging

if TYPE_CHECKING:
    from .runner import Plan


def aside_dir(plan: Plan) -> Path:
    """<out>/van_ban_khong_dung/<year>[/thu_nghiem/<trial>]: outside the year folder, by year."""
    year_dir = plan.year_dir
    try:
        return plan.out_root / staging.ASIDE / year_dir.relative_to(plan.out_root)
    except ValueError:
        return year_dir.parent / staging.ASIDE / year_dir.name


def set_aside_stale(plan: Plan, previous: dict[str, dict[str, Any]], carried: list[dict[str, Any]],
                    started: datetime) -> None:
    """No document outlives the data and rules it came from: a unit that failed keeps no document
    of an earlier run (its data changed, or its run did), and a folder of a unit no longer in the
    run (gone from the workbook, another reporting level) leaves the year folder. Both go to
    van_ban_khong_dung beside it, and the manifest says where."""
    stamp, year_dir, aside = started.strftime("%Y%m%d-%H%M%S"), plan.year_dir, aside_dir(plan)
    inputs = [Path(plan.cycle.data).resolve(), Path(plan.cycle.path).resolve()]
    holds_inputs = lambda f: any(p.is_relative_to(f.resolve()) for p in inputs)
    assert plan.province is not None
    for e in plan.all_entries:
        folder = year_dir / safe_name(e.ma_don_vi)
        if e.status == "ok" or not folder.is_dir():
            continue
        went = staging.set_aside(folder, aside, stamp, keep=("*_loi.ipynb", staging.NOT_WRITTEN))
        said = (f"Lần chạy lúc {started:%H:%M} ngày {ngay_bang(started.date())} chưa lập được văn bản của "
                f"{e.ten_don_vi} ({e.ma_don_vi}):\n{e.error or ''}\n(nhật ký chạy: {year_dir / 'manifest.json'}).")
        if went is not None:
            said += (f"\nVăn bản của lần chạy trước không còn khớp với số liệu, tham số của lần này nên đã chuyển "
                     f"sang {went}; không dùng các văn bản đó.")
            e.warnings.append(f"Văn bản của lần chạy trước đã chuyển sang {went}: không dùng (chưa lập lại được)")
        staging.say_not_written(folder, said)
    _set_aside_carried(plan, carried, aside, stamp)
    current = {safe_name(h) for h in [*plan.entries, plan.tinh]} | {safe_name(c["ma_don_vi"]) for c in carried}
    known = {safe_name(h) for h in previous}
    for folder in sorted(p for p in year_dir.iterdir() if p.is_dir() and p.name not in current
                         and not p.name.startswith(".") and p.name != staging.TRIAL_DIR):
        if not (folder.name in known or any(folder.glob("bao_cao*.ipynb"))):
            continue  # not a unit's folder the kit wrote
        if holds_inputs(folder):
            plan.province.warnings.append(f"Thư mục {folder} không thuộc lần chạy này nhưng chứa sổ dữ liệu hoặc "
                                          "tệp tham số nên để nguyên; đừng dùng văn bản trong đó")
            continue
        went = staging.set_aside(folder, aside, stamp)
        if went is not None:
            plan.province.warnings.append(
                f"Thư mục {folder.name} của lần chạy trước (đơn vị không có trong lần chạy này: đã bỏ khỏi sổ dữ "
                f"liệu hoặc không phải {TEN_CAP[plan.cap]} báo cáo) đã chuyển sang {went}: không dùng")


def _set_aside_carried(plan: Plan, carried: list[dict[str, Any]], aside: Path, stamp: str) -> None:
    """A run of some units only: a unit it carries from an earlier run whose rows now hold an error,
    or whose documents were made from other rows or rules (`Entry.nguon`), keeps no document in the
    year folder and is recorded as not done, so that the province's totals and its documents never
    disagree unseen; its next run makes them again."""
    assert plan.province is not None
    failing = {i.reporting_unit(plan.cap) for i in plan.data.issues if i.severity == ERROR}
    for c in carried:
        h = c["ma_don_vi"]
        changed = c.get("nguon") is not None and c["nguon"] != plan.sources.get(h)
        if c.get("status") != "ok" or not (h in failing or changed):
            continue
        why = "số liệu của đơn vị nay có lỗi" if h in failing else "số liệu hoặc tham số đã đổi từ khi lập"
        went = staging.set_aside(plan.year_dir / safe_name(h), aside, stamp)
        where = f"; văn bản đã chuyển sang {went}" if went is not None else ""
        c.update(status="failed", skipped=False, files=[], hashes={}, fingerprint=None, nguon=None, timings={},
                 warnings=[], changed_since=[],  # of documents no longer there
                 error=f"Văn bản của lần chạy trước không còn khớp ({why}){where}. Chạy lại đơn vị này "
                       f"(--ma-bao-cao {h}) hoặc cả tỉnh.")
        plan.province.warnings.append(f"{c.get('ten_don_vi', h)} ({h}), không chạy lần này: {c['error']}")
        # as a unit that failed: its folder says why it is empty
        staging.say_not_written(plan.year_dir / safe_name(h), f"{c.get('ten_don_vi', h)} ({h}) không chạy lần này. {c['error']}")
