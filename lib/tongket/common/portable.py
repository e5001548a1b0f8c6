"""Every place the kit's behaviour depends on the operating system, in one module: a time limit
on a block of code, starting and killing a process with its children, whether a process is
alive, the worker's link to its parent, and where LibreOffice is. Linux and Windows (an office's
own PC) both work; tests/common/test_portable.py checks that no other module calls a POSIX-only
function (SIGALRM, killpg, fork, fcntl, …) directly.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

WINDOWS = sys.platform == "win32"


class _TimeUp(BaseException):
    """Raised in a thread by the watchdog of `time_limit` (no arguments: CPython raises a class),
    turned into the caller's error where the block ends."""


@contextmanager
def time_limit(seconds: float | None, error: Callable[[], BaseException], use_signal: bool | None = None) -> Iterator[None]:
    """Raise `error()` in this thread if the block runs longer than `seconds` (None or 0: no limit).

    Where there is SIGALRM and this is the main thread, the signal's timer interrupts even a long
    C call; elsewhere (Windows, or `use_signal=False`) a watchdog thread raises the error in this
    thread when it next runs Python code (CPython's PyThreadState_SetAsyncExc)."""
    if not seconds:
        yield
        return
    main = threading.current_thread() is threading.main_thread()
    if use_signal is None:
        use_signal = hasattr(signal, "SIGALRM") and main
    if use_signal:
        def _raise(signum: int, frame: Any) -> None:
            raise error()
        previous = signal.signal(signal.SIGALRM, _raise)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        return
    target = ctypes.c_ulong(threading.get_ident())
    done, guard, fired = threading.Event(), threading.Lock(), []

    def watch() -> None:
        if not done.wait(seconds):
            with guard:  # never after the block has ended
                if not done.is_set():
                    ctypes.pythonapi.PyThreadState_SetAsyncExc(target, ctypes.py_object(_TimeUp))
                    fired.append(True)
    watcher = threading.Thread(target=watch, name="tongket-time-limit", daemon=True)
    watcher.start()
    try:
        yield
    except _TimeUp:
        raise error() from None
    finally:
        with guard:
            done.set()
            if fired:  # raised too late to be seen inside the block: withdrawn, not left to hit later code
                ctypes.pythonapi.PyThreadState_SetAsyncExc(target, None)
        watcher.join()


def group_kwargs() -> dict[str, Any]:
    """Popen arguments that start a program in a process group of its own (so it can be killed
    with every child it starts)."""
    if sys.platform == "win32":
        return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    return {"start_new_session": True}


def kill_tree(proc: subprocess.Popen) -> None:
    """Kill a program started with `group_kwargs` and every process it started."""
    if sys.platform == "win32":
        subprocess.run(["taskkill", "/F", "/T", "/PID", str(proc.pid)], capture_output=True, check=False)
    else:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def pid_alive(pid: int) -> bool:
    """Whether process `pid` of this machine still runs (a lock's holder)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":  # os.kill(pid, 0) would send Ctrl-C on Windows: ask the kernel instead
        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return ctypes.get_last_error() == 5  # access denied: someone else's live process
        try:
            code = ctypes.c_ulong()
            kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    except OSError:
        return False
    return True


def end_with_parent() -> None:
    """On Linux, have the kernel kill this process when its parent dies (PR_SET_PDEATHSIG); other
    systems rely on the caller's watchdog thread."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # pragma: no cover - no prctl: the watchdog does it
            pass


HAS_FLOCK = not WINDOWS  # fcntl's advisory locks (released by the system when their holder dies)


def flock(fd: int) -> bool | None:
    """An exclusive lock on open file `fd`, without waiting: True taken, False held by another
    process, None where the system or the file system (some network shares) has no such locks."""
    if sys.platform == "win32":
        return None
    import errno
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        return False if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK) else None
    return True


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2); False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return fn(at_fdcwd, os.fsencode(str(a)), at_fdcwd, os.fsencode(str(b)), rename_exchange) == 0


def soffice_candidates() -> list[str]:
    """Where LibreOffice may be: the setting TONGKET_SOFFICE (a path), the PATH, then where its
    installer puts it on Windows and macOS."""
    named = os.environ.get("TONGKET_SOFFICE")
    found = [named] if named else []
    found += [p for p in (shutil.which(n) for n in ("soffice", "libreoffice")) if p]
    if WINDOWS:
        for root in (os.environ.get("ProgramFiles"), os.environ.get("ProgramFiles(x86)")):
            if root:
                found.append(str(Path(root) / "LibreOffice" / "program" / "soffice.exe"))
    elif sys.platform == "darwin":
        found.append("/Applications/LibreOffice.app/Contents/MacOS/soffice")
    return found


__all__ = ["HAS_FLOCK", "WINDOWS", "end_with_parent", "exchange", "flock", "group_kwargs", "kill_tree", "pid_alive",
           "soffice_candidates", "time_limit"]
