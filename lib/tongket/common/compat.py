"""Every touch of another library's private interface, in one place: when one of those libraries
changes, this is the file to read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .files import FixedZip


class _PartWriter:
    """python-docx's physical package writer interface, over a FixedZip."""

    def __init__(self, path: Path) -> None:
        self.zip = FixedZip(path)

    def write(self, pack_uri: Any, blob: bytes) -> None:
        self.zip.writestr(pack_uri.membername, blob)

    def write_pieces(self, pack_uri: Any, pieces: list[bytes]) -> None:
        self.zip.write_pieces(pack_uri.membername, pieces)

    def close(self) -> None:
        self.zip.close()


def write_docx_package(document: Any, path: Path) -> None:
    """Write a python-docx Document's package into a fixed-time zip through python-docx's own
    (private) PackageWriter steps: content types, package relationships, parts. The parts as
    PackageWriter._write_parts writes them (each part's blob, then its relationships), except that a
    part holding its bytes in pieces (`blob_pieces`: a body filled slice by slice) is written piece
    by piece, never joined."""
    from docx.opc.pkgwriter import PackageWriter

    package = document.part.package
    for part in package.parts:
        part.before_marshal()
    writer: Any = _PartWriter(path)  # duck-typed: python-docx types these steps with its own PhysPkgWriter
    try:
        PackageWriter._write_content_types_stream(writer, package.parts)
        PackageWriter._write_pkg_rels(writer, package.rels)
        for part in package.parts:
            pieces = getattr(part, "blob_pieces", None)
            if pieces is None:
                writer.write(part.partname, part.blob)
            else:
                writer.write_pieces(part.partname, pieces)
            if len(part.rels):
                writer.write(part.partname.rels_uri, part.rels.xml)
    finally:
        writer.close()


def papermill_engine_registered(name: str, engine: type) -> bool:
    """Whether papermill's engine registry already holds `engine` under `name` (its registry has no
    public lookup)."""
    from papermill.engines import papermill_engines

    return papermill_engines._engines.get(name) is engine


def execute_interactive(client: Any, code: str, **kwargs: Any) -> Any:
    """Run `code` in a jupyter_client kernel client and wait for its reply, through the client's
    (private) coroutine, from synchronous code."""
    from jupyter_core.utils import run_sync

    return run_sync(client._async_execute_interactive)(code, **kwargs)


def kill_pool_workers(pool: Any) -> None:
    """Kill a concurrent.futures ProcessPoolExecutor's worker processes now (its `_processes` is
    the only handle on them)."""
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        proc.kill()


def at_process_exit(func: Any) -> None:
    """Call `func` when this process exits, also in a multiprocessing worker, which skips atexit
    (multiprocessing's undocumented `util.Finalize`)."""
    import atexit
    from multiprocessing import util

    atexit.register(func)
    util.Finalize(None, func, exitpriority=100)
