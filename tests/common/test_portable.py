"""The kit runs on an office's Windows PC as on Linux: every POSIX-only call lives in
common/portable.py behind a platform branch, and the portable fallbacks work."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT
from tongket.common import portable
from tongket.errors import UnitTimeout

PACKAGE = ROOT / "lib" / "tongket"
# Names that exist only on POSIX (or only on Linux) and break a Windows run where they are called.
POSIX_ONLY_ATTRS = {"SIGALRM", "SIGKILL", "SIGHUP", "SIGQUIT", "SIGUSR1", "setitimer", "ITIMER_REAL", "alarm",
                    "killpg", "setsid", "getpgid", "setpgrp", "fork", "forkpty", "getuid", "geteuid", "getppid_",
                    "prctl", "renameat2", "flock", "lockf", "pdeathsig"}
POSIX_ONLY_MODULES = {"fcntl", "resource", "termios", "pwd", "grp", "pty", "tty"}
POSIX_ONLY_KEYWORDS = {"start_new_session", "preexec_fn"}


def _offences(path: Path, root: Path = PACKAGE) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        where = f"{path.relative_to(root)}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Attribute) and node.attr in POSIX_ONLY_ATTRS:
            found.append(f"{where} .{node.attr}")
        elif isinstance(node, ast.Import):
            found += [f"{where} import {a.name}" for a in node.names if a.name.split(".")[0] in POSIX_ONLY_MODULES]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in POSIX_ONLY_MODULES:
            found.append(f"{where} from {node.module}")
        elif isinstance(node, ast.keyword) and node.arg in POSIX_ONLY_KEYWORDS:
            found.append(f"{where} {node.arg}=")
        elif isinstance(node, ast.Call) and ast.unparse(node.func) == "os.kill":
            found.append(f"{where} os.kill (sends Ctrl-C on Windows)")
    return found


def test_no_posix_only_call_outside_the_portable_module():
    offences = [o for p in sorted(PACKAGE.rglob("*.py")) if p.name != "portable.py" for o in _offences(p)]
    assert offences == [], "POSIX-only calls belong in common/portable.py, behind a platform branch"


def test_the_static_check_sees_a_posix_only_call(tmp_path):
    probe = tmp_path / "x.py"
    probe.write_text("import os, signal, subprocess\nsignal.setitimer(signal.ITIMER_REAL, 1)\nos.killpg(1, 9)\n"
                     "subprocess.Popen(['x'], start_new_session=True)\nos.kill(1, 0)\nimport fcntl\n")
    found = [f.split(" ", 1)[1] for f in _offences(probe, tmp_path)]
    assert sorted(found) == sorted([".setitimer", ".ITIMER_REAL", ".killpg", "start_new_session=",
                                    "os.kill (sends Ctrl-C on Windows)", "import fcntl"])


@pytest.mark.parametrize("use_signal", [True, False], ids=["signal timer (Linux)", "watchdog thread (Windows)"])
def test_time_limit_stops_a_long_block_with_the_kit_error(use_signal):
    start = time.perf_counter()
    with pytest.raises(UnitTimeout) as caught:
        with portable.time_limit(0.3, lambda: UnitTimeout.after(0.3), use_signal=use_signal):
            while time.perf_counter() - start < 10:
                sum(range(1000))
    assert time.perf_counter() - start < 8  # stopped by the limit, not by the loop's own 10 s
    assert str(caught.value).startswith("Quá thời gian chạy cho phép (0,3 giây cho một ô của sổ tay)")


@pytest.mark.parametrize("use_signal", [True, False], ids=["signal timer (Linux)", "watchdog thread (Windows)"])
def test_time_limit_leaves_a_quick_block_alone_and_raises_nothing_later(use_signal):
    with portable.time_limit(0.5, lambda: UnitTimeout.after(0.5), use_signal=use_signal):
        value = sum(range(100))
    time.sleep(0.8)  # the limit has passed: nothing may fire after the block ended
    assert value == 4950


def test_pid_alive_tells_a_running_process_from_an_ended_one():
    assert portable.pid_alive(os.getpid())
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    assert not portable.pid_alive(child.pid)
    assert not portable.pid_alive(0)


def test_kill_tree_ends_a_program_and_the_children_it_started(tmp_path):
    marker = tmp_path / "grandchild.pid"
    code = ("import subprocess, sys, time; "
            f"p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); "
            f"open({str(marker)!r}, 'w').write(str(p.pid)); time.sleep(60)")
    proc = subprocess.Popen([sys.executable, "-c", code], **portable.group_kwargs())
    while not marker.exists() or not marker.read_text():
        time.sleep(0.05)
    grandchild = int(marker.read_text())
    portable.kill_tree(proc)
    assert proc.returncode is not None
    for _ in range(50):
        if not portable.pid_alive(grandchild):
            break
        time.sleep(0.1)
    assert not portable.pid_alive(grandchild)


def test_libreoffice_named_in_the_setting_comes_first(monkeypatch, tmp_path):
    monkeypatch.setenv("TONGKET_SOFFICE", str(tmp_path / "soffice.exe"))
    assert portable.soffice_candidates()[0] == str(tmp_path / "soffice.exe")
