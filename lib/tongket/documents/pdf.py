"""Word to PDF with headless LibreOffice: many files per `soffice` call (starting it costs
seconds), one private profile per call so that parallel calls never share a lock, a time limit,
and every PDF renamed into place only when it is complete."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..common.portable import group_kwargs, kill_tree, soffice_candidates
from ..errors import TongketError

TIMEOUT_BASE = 60  # seconds for LibreOffice to start …
TIMEOUT_PER_FILE = 15  # … and for each document


def soffice() -> str:
    """The LibreOffice program, or a clear error saying how to install it."""
    for found in soffice_candidates():
        if Path(found).is_file():
            return found
    raise TongketError("Không tìm thấy LibreOffice (lệnh soffice) để chuyển sang PDF. Cài đặt: trên Windows tải "
                       "LibreOffice từ libreoffice.org (hoặc đặt biến môi trường TONGKET_SOFFICE là đường dẫn tới "
                       "soffice.exe); trên Debian/Ubuntu: sudo apt install libreoffice-writer fonts-liberation2")


def _convert_batch(program: str, files: list[Path], timeout: float) -> dict[Path, str | None]:
    """Convert `files` in one soffice call; returns each file's error (None when converted)."""
    with tempfile.TemporaryDirectory(prefix="tongket-pdf-") as tmp:
        work = Path(tmp)
        (work / "in").mkdir()
        (work / "out").mkdir()
        names = {}
        for i, f in enumerate(files):  # unique names: every reporting unit has a bao_cao_tong_ket.docx
            link = work / "in" / f"{i:05d}.docx"
            shutil.copyfile(f, link)
            names[f] = link.stem
        cmd = [program, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore",
               "--nolockcheck", "--convert-to", "pdf", "--outdir", str(work / "out"),
               *(str(work / "in" / f"{names[f]}.docx") for f in files)]
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **group_kwargs())
        try:
            _, err = proc.communicate(timeout=timeout)
            failure = None if proc.returncode == 0 else f"LibreOffice dừng với mã {proc.returncode}: " \
                                                       f"{err.decode(errors='replace').strip()[:200]}"
        except subprocess.TimeoutExpired:
            kill_tree(proc)
            failure = f"LibreOffice quá thời gian cho phép ({timeout:.0f} giây)"
        out: dict[Path, str | None] = {}
        for f in files:
            made = work / "out" / f"{names[f]}.pdf"
            if made.is_file() and made.stat().st_size > 0:
                target = f.with_suffix(".pdf")
                staged = target.with_name(f".{target.name}.tmp")
                shutil.copyfile(made, staged)
                os.replace(staged, target)
                out[f] = None
            else:
                out[f] = failure or "LibreOffice không tạo được tệp PDF"
    return out


def to_pdf(files: list[Path], jobs: int = 1, timeout: float | None = None) -> dict[Path, str | None]:
    """Convert Word files to PDF beside them, in `jobs` parallel LibreOffice processes.

    Returns, for each file, None when its PDF was written, else the reason in Vietnamese."""
    if not files:
        return {}
    program = soffice()
    jobs = max(1, min(jobs, len(files)))
    chunks = [files[i::jobs] for i in range(jobs)]
    results: dict[Path, str | None] = {}
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for part in pool.map(lambda c: _convert_batch(program, c, timeout or TIMEOUT_BASE + TIMEOUT_PER_FILE * len(c)),
                             chunks):
            results.update(part)
    return results
