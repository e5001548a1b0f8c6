"""An output year folder that is never stale, half-written or shared by two runs.

- ``lock``: one run at a time writes a year folder. A second run waits a little, then is refused
  in Vietnamese with the other run's process id and start time. The lock is an OS lock on a file
  (``fcntl.flock`` where there is one: released by the system when its holders die, even by
  ``kill -9``, so a dead run's lock file is simply taken over); elsewhere an exclusive file whose
  owner's pid is checked (a dead owner's lock is taken over).
- ``swap``: a unit's folder is written in full in a staging folder, then put in place with one
  rename (Linux ``renameat2(RENAME_EXCHANGE)``; elsewhere two renames, during which the folder is
  briefly absent, never mixed). What the new run did not write does not survive.
- ``set_aside``: documents the run did not decide (a unit that failed this time, a folder of a unit
  no longer in the run) leave the year folder for ``van_ban_khong_dung``, beside it.
- ``hashes`` and ``changed``: the SHA-256 of every file of a unit, and what differs on disk since.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from ..common.files import file_digest
from ..common.portable import HAS_FLOCK, exchange, flock, pid_alive
from ..errors import TongketError

LOCK_NAME = ".tongket.lock"
STAGING_PREFIX = ".dang_ghi-"
LOCK_WAIT = 5.0  # seconds a second run waits for the first before it is refused


class Busy(TongketError):
    """Another run is writing the same output folder."""


def _alive(pid: int) -> bool:
    """Whether the lock's holder still runs."""
    return pid_alive(pid)


def _owner(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}


def _busy_message(folder: Path, owner: dict) -> str:
    who = f"tiến trình {owner.get('pid', '?')}"
    if owner.get("may") and owner.get("may") != socket.gethostname():
        who += f" trên máy {owner['may']}"
    when = owner.get("bat_dau")
    since = ""
    if when:
        try:
            t = datetime.fromisoformat(when)
            since = f", bắt đầu lúc {t:%H:%M:%S} ngày {t:%d/%m/%Y}"
        except ValueError:
            since = f", bắt đầu lúc {when}"
    return (f"Thư mục kết quả {folder} đang được một lần chạy khác ghi ({who}{since}). Hãy chờ lần chạy đó "
            f"xong rồi chạy lại, hoặc ghi ra thư mục khác (--out).")


@contextmanager
def lock(folder: Path, wait: float | None = None) -> Iterator[None]:
    """Hold the lock of output folder `folder` (created if needed) for the block; wait up to
    `wait` seconds (default LOCK_WAIT) for another run, then refuse (`Busy`)."""
    wait = LOCK_WAIT if wait is None else wait
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_NAME
    me = {"pid": os.getpid(), "bat_dau": datetime.now().isoformat(timespec="seconds"), "may": socket.gethostname()}
    deadline = time.monotonic() + wait
    while True:
        if HAS_FLOCK:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            taken = flock(fd)
            if taken is None:
                break  # a file system without locks (some network shares): go on unlocked
            if not taken:
                os.close(fd)
                got = False
            else:  # the file may have been removed by its last holder after we opened it
                got = path.exists() and os.path.samestat(os.fstat(fd), os.stat(path))
                if not got:
                    os.close(fd)
        else:  # pragma: no cover - Windows
            try:
                fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
                got = True
            except FileExistsError:
                owner = _owner(path)
                if owner.get("may") in (None, socket.gethostname()) and not _alive(int(owner.get("pid", 0) or 0)):
                    path.unlink(missing_ok=True)  # a dead run's lock: taken over
                    continue
                got = False
        if got:
            break
        if time.monotonic() >= deadline:
            raise Busy(_busy_message(folder, _owner(path)))
        time.sleep(0.2)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, json.dumps(me).encode())
        yield
    finally:
        path.unlink(missing_ok=True)  # removed while still held: a waiting run re-opens the new file
        os.close(fd)


def staging_folder(year_dir: Path) -> Path:
    """A fresh, private staging folder inside `year_dir` (same file system: renames are atomic)."""
    for old in year_dir.glob(f"{STAGING_PREFIX}*"):  # left by a run that was killed (we hold the lock)
        shutil.rmtree(old, ignore_errors=True)
    path = year_dir / f"{STAGING_PREFIX}{os.getpid()}"
    path.mkdir(parents=True)
    return path


def swap(new: Path, target: Path, trash: Path) -> None:
    """Put folder `new` at `target`; whatever `target` held goes (via `trash`, removed)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        os.replace(new, target)
        return
    if exchange(new, target):  # now `new` holds the old folder
        shutil.rmtree(new, ignore_errors=True)
        return
    old = trash / f"{target.name}.cu"
    shutil.rmtree(old, ignore_errors=True)
    os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)


ASIDE = "van_ban_khong_dung"  # <out>/van_ban_khong_dung/<year>/…: documents no longer what the data and rules decide
TRIAL_DIR = "thu_nghiem"  # a trial rule set's folder in a year folder (runner), never a unit's
NOT_WRITTEN = "chua_lap_van_ban.txt"  # in a failed unit's folder: why it holds no document


def set_aside(folder: Path, aside: Path, stamp: str, keep: tuple[str, ...] = ()) -> Path | None:
    """Move what `folder` holds (but the files matching a `keep` pattern) to <aside>/<folder>_<stamp>;
    where it went, or None when there was nothing to move."""
    kept = {p for pattern in keep for p in folder.glob(pattern)}
    rest = sorted(p for p in folder.iterdir() if p not in kept) if folder.is_dir() else []
    if not rest:
        return None
    target = aside / f"{folder.name}_{stamp}"
    n = 1
    while target.exists():  # two runs in the same second
        n += 1
        target = aside / f"{folder.name}_{stamp}_{n}"
    target.mkdir(parents=True)
    for p in rest:
        shutil.move(p, target / p.name)
    if not kept:
        folder.rmdir()
    return target


def say_not_written(folder: Path, text: str) -> None:
    """A unit's folder that holds no document of this run says why, in NOT_WRITTEN."""
    folder.mkdir(exist_ok=True)
    (folder / NOT_WRITTEN).write_text(text + "\n", encoding="utf-8")


def stat_of(path: Path) -> list[int]:
    """What changes whenever a file is written, replaced or touched: size, mtime, ctime, inode."""
    st = os.stat(path)
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def listing(folder: Path, base: Path) -> list[str]:
    """Every file under `folder`, relative to `base`, sorted (hidden and temporary files included:
    they are part of what a reader sees)."""
    return sorted(p.relative_to(base).as_posix() for p in folder.rglob("*") if p.is_file())


def hashes(files: list[str], base: Path) -> dict[str, str]:
    """The SHA-256 of each file (paths relative to `base`)."""
    return {f: file_digest(base / f) for f in files}


def changed(recorded: dict[str, str], folder: Path, base: Path, stats: dict[str, list[int]] | None = None
            ) -> list[str]:
    """What differs under `folder` from the hashes a manifest recorded, in Vietnamese: files
    changed, missing or added since. A file whose stat is the one recorded in `stats` (size, mtime,
    ctime, inode: any write changes its ctime) is not read again."""
    out = []
    on_disk = set(listing(folder, base)) if folder.is_dir() else set()
    stats = stats or {}
    for f, digest in sorted(recorded.items()):
        if f not in on_disk:
            out.append(f"mất tệp {f}")
        elif stats.get(f) is not None and stats[f] == stat_of(base / f):
            continue
        elif file_digest(base / f) != digest:
            out.append(f"tệp {f} đã bị sửa")
    out += [f"có thêm tệp {f}" for f in sorted(on_disk - set(recorded))]
    return out
