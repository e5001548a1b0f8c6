"""Writing files so that nothing already written is corrupted: temporary file, then rename."""

from __future__ import annotations

import copy
import functools
import hashlib
import os
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from .paths import ROOT

_UMASK = os.umask(0o022)  # read once, at import (os.umask can only be read by setting it)
os.umask(_UMASK)


@contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success rename it over `target`.

    On any error the temporary file is removed and `target` keeps what it had.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        # mkstemp makes the file private (0600); give it the mode a plain write would have (the
        # file's own mode when replacing it), so colleagues on a shared office folder can open it.
        os.chmod(tmp_path, target.stat().st_mode & 0o7777 if target.exists() else 0o666 & ~_UMASK)
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_text(target: str | os.PathLike[str], text: str) -> Path:
    """Write a text file atomically (UTF-8)."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(target)


# Bounds far above any parameter file of a cycle (a few KB, a few hundred values) that keep a
# hostile file from growing the process: an "alias bomb" of 1 KB expands to billions of values.
MAX_YAML_KB = 512
MAX_YAML_NODES = 100_000  # values once every alias (*name) is expanded


def yaml_text(path: str | os.PathLike[str], what: str) -> str:
    """The text of a YAML file the kit may read: refused (ConfigError naming `what` and the file)
    when unreadable, far larger than any real one, or when its aliases expand it beyond bounds."""
    from ..errors import ConfigError

    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_YAML_KB * 1024:
            raise ConfigError(f"{_cap(what)} {path} quá lớn ({size / 1024:,.0f} KB; giới hạn {MAX_YAML_KB} KB): "
                              "không phải tệp tham số thật → Cách sửa: dùng lại tệp gốc của bộ công cụ")
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{_cap(what)} {path} không phải văn bản UTF-8 → Cách sửa: lưu lại tệp với bảng mã "
                          "UTF-8") from exc
    except OSError as exc:
        import errno

        why = {errno.ENOENT: "không có tệp này", errno.EISDIR: "đây là thư mục, không phải tệp",
               errno.EACCES: "không có quyền đọc"}.get(exc.errno or 0, exc.strerror)
        raise ConfigError(f"Không đọc được {what} {path}: {why} → Cách sửa: kiểm tra lại đường dẫn tệp") from exc
    _bounded(text, path, what)
    return text


def _bounded(text: str, path: Path, what: str) -> None:
    """Refuse YAML whose aliases would expand it past MAX_YAML_NODES values, or refer to themselves
    (counted on the parsed node graph, where an alias is shared, never copied)."""
    fix = ("→ Cách sửa: viết thẳng giá trị thay cho tham chiếu «&tên»/«*tên», hoặc dùng lại tệp gốc "
           "của bộ công cụ")
    _count_nodes(text, path, what, fix)


@functools.lru_cache(maxsize=256)  # a text accepted once is not counted again (a refusal is not cached)
def _count_nodes(text: str, path: Path, what: str, fix: str) -> None:
    from ..errors import ConfigError

    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{_cap(what)} {path.name} sai cú pháp YAML: {exc}") from exc
    except RecursionError as exc:
        raise ConfigError(f"{_cap(what)} {path.name} lồng quá sâu, không phải tệp tham số thật {fix}") from exc
    if node is None:
        return
    sizes: dict[int, int] = {}
    open_: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(node, False)]
    while stack:  # post-order over the graph, each shared node counted once and multiplied by its uses
        n, done = stack.pop()
        key = id(n)
        if done:
            kids = (n.value if isinstance(n, yaml.SequenceNode) else
                    [x for kv in n.value for x in kv] if isinstance(n, yaml.MappingNode) else [])
            sizes[key] = min(1 + sum(sizes[id(k)] for k in kids), MAX_YAML_NODES + 1)
            open_.discard(key)
            if sizes[key] > MAX_YAML_NODES:
                limit = f"{MAX_YAML_NODES:,}".replace(",", ".")
                raise ConfigError(f"{_cap(what)} {path.name} dùng tham chiếu (bí danh YAML «*tên») làm tệp phình ra "
                                  f"hơn {limit} giá trị: không phải tệp tham số thật, tệp không được đọc {fix}")
            continue
        if key in sizes:
            continue
        if key in open_:
            raise ConfigError(f"{_cap(what)} {path.name} có tham chiếu vòng (bí danh YAML trỏ vào chính nó) {fix}")
        open_.add(key)
        stack.append((n, True))
        kids = (n.value if isinstance(n, yaml.SequenceNode) else
                [x for kv in n.value for x in kv] if isinstance(n, yaml.MappingNode) else [])
        stack += [(k, False) for k in kids if id(k) not in sizes]


def _cap(what: str) -> str:
    return what[:1].upper() + what[1:]


def read_yaml(path: str | os.PathLike[str], what: str) -> Any:
    """Parse a YAML file; a missing, oversized or alias-bombed file, or bad syntax, is a
    ConfigError naming `what` and the file. Every YAML file the kit reads goes through here (or
    through `yaml_text` for the round-trip editor)."""
    from ..errors import ConfigError

    path = Path(path)
    text = yaml_text(path, what)
    try:
        value = _parsed(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{_cap(what)} {path.name} sai cú pháp YAML: {exc}") from exc
    return copy.deepcopy(value)  # the caller may change what it gets; the parsed text never changes


def shown(value: Any, limit: int = 200) -> str:
    """A value read from a YAML file as a message quotes it: in YAML's own spelling (the way it is
    typed: ``true``, ``[a, b]``, ``{from: 2019}``, ``.nan``), a blank as «(để trống)», never as
    Python prints it («None», «True», «['a']»); cut at `limit` characters."""
    if value is None:
        return "(để trống)"
    if isinstance(value, str):
        text = value
    else:
        try:
            text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10**9,
                                  sort_keys=False)
        except yaml.YAMLError:  # not a YAML value (a caller's object): as Python prints it
            text = str(value)
        text = text.removesuffix("\n").removesuffix("\n...").strip()
    return text if len(text) <= limit else text[:limit] + " …"


def label_words(value: Any, where: str, what: str) -> str:
    """A name or label from a rules file that documents print, as typed (`vietnamese.words_typed`);
    a blank or a value that is no words is a ConfigError «{where}: thiếu {what}» or «{what} phải là
    chữ, gặp «…»», never «None» in a signed document."""
    from ..errors import ConfigError
    from .vietnamese import words_typed

    try:
        text = words_typed(value)
    except ValueError:
        raise ConfigError(f"{where}: {what} phải là chữ, gặp «{shown(value)}»") from None
    if text is None:
        raise ConfigError(f"{where}: thiếu {what}")
    return text


@functools.lru_cache(maxsize=64)
def _parsed(text: str) -> Any:
    """A YAML text parsed once per process (a batch worker reads the same cycle file for every unit),
    by libyaml where installed (the same safe constructors, ~10× faster). Only texts that passed
    `yaml_text`'s checks get here."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_name(code: str) -> str:
    """A file name made from a unit code that cannot leave its folder or trip Windows: only
    letters, digits, ".", "-" and "_" are kept (others become "_"), no leading dot, and device
    names such as CON get a trailing "_". "../x" becomes "___x", never a path."""
    import re
    import unicodedata

    s = unicodedata.normalize("NFC", str(code)).strip()
    s = re.sub(r"[^\w.\-]", "_", s, flags=re.ASCII)
    s = re.sub(r"^\.+", lambda m: "_" * len(m.group()), s) or "_"
    if s.split(".")[0].upper() in _RESERVED:
        s += "_"
    return s[:120]


def plain_name(text: str) -> str:
    """A file name from what an analyst typed, without diacritics: "Số liệu huyện.xlsx" ->
    "So_lieu_huyen.xlsx" (then made safe as `safe_name` does); "" where nothing is left."""
    import re

    from .vietnamese import plain

    words = re.findall(r"[A-Za-z0-9.\-]+", plain(text))
    return safe_name("_".join(words)) if words else ""


# --- reproducible zips (Word and Excel files are zips) --------------------------------------------

FIXED_TIME = (2022, 1, 1, 0, 0, 0)  # the one timestamp every file the kit writes carries
FIXED_STAMP = "2022-01-01T00:00:00Z"
_STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


class FixedZip(zipfile.ZipFile):
    """A zip whose every entry carries a fixed time and mode (and whose document properties a
    fixed date), written once: what python-docx and openpyxl write to, so the same document gives
    the same bytes without rewriting the whole zip afterwards."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True)

    @staticmethod
    def _info(name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, FIXED_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        return info

    def writestr(self, zinfo_or_arcname: Any, data: Any, *args: Any, **kwargs: Any) -> None:
        name = zinfo_or_arcname.filename if isinstance(zinfo_or_arcname, zipfile.ZipInfo) else str(zinfo_or_arcname)
        info = self._info(name)
        if name == "docProps/core.xml":
            data = _STAMP.sub(rb"\g<1>" + FIXED_STAMP.encode() + rb"\g<2>", data if isinstance(data, bytes) else data.encode())
        data = data.encode("utf-8") if isinstance(data, str) else bytes(data)
        if not _DEFLATE_FROM <= len(data) <= _DEFLATE_UNTIL or not getattr(self, "_seekable", False):
            super().writestr(info, data)
            return
        self._write_deflated(info, data, *_deflated(data))

    def _write_deflated(self, info: zipfile.ZipInfo, data: bytes, crc: int, deflated: bytes) -> None:
        """Write an entry already deflated, exactly as ZipFile.writestr would (header, then data)."""
        info.file_size, info.compress_size, info.CRC, info.flag_bits = len(data), len(deflated), crc, 0
        zf: Any = self  # ZipFile's private state (CPython 3.11's zipfile.writestr, mirrored step by step)
        fp: Any = self.fp
        with zf._lock:
            if zf._writing:
                raise ValueError("Can't write to the ZIP file while there is another write handle open on it.")
            fp.seek(self.start_dir)
            info.header_offset = fp.tell()
            zf._writecheck(info)
            self._didModify = True
            fp.write(info.FileHeader(False))
            fp.write(deflated)
            self.start_dir = fp.tell()
            self.filelist.append(info)
            self.NameToInfo[info.filename] = info

    def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:
        """A file into the zip (openpyxl's streamed sheets): one larger than `_DEFLATE_UNTIL` is copied
        in blocks, as `writestr` would write its bytes (the entry's size known first, the same deflate
        stream), instead of being read whole (a province's sheet of branches is tens of MB of XML)."""
        path, name = Path(filename), str(arcname or Path(filename).name)
        size = path.stat().st_size
        if size <= _DEFLATE_UNTIL or name == "docProps/core.xml":
            self.writestr(name, path.read_bytes())
            return
        with open(path, "rb") as src:
            self._write_stream(name, size, iter(lambda: src.read(1 << 20), b""))

    def write_pieces(self, name: str, pieces: Sequence[bytes]) -> None:
        """An entry given as its bytes in pieces, in order (a document's body filled slice by slice),
        written as `writestr` would write them joined: a large one is deflated piece by piece, its
        pieces never joined (the province's registration list is 12,8 MB of XML)."""
        size = sum(len(p) for p in pieces)
        if size <= _DEFLATE_UNTIL or name == "docProps/core.xml":
            self.writestr(name, b"".join(pieces))
            return
        self._write_stream(name, size, pieces)

    def _write_stream(self, name: str, size: int, blocks: Iterable[bytes]) -> None:
        """An entry of `size` bytes from its blocks in order: the zip `writestr` writes of their
        bytes joined (the entry's size known first, the same deflate stream)."""
        info = self._info(name)
        info.file_size = size  # as zipfile.writestr sets it before opening the entry (its zip64 choice)
        zf: Any = self  # ZipFile's private lock, taken as writestr takes it
        with zf._lock, self.open(info, mode="w") as dest:
            for block in blocks:
                dest.write(block)


# The parts every document of a template shares (styles, theme, settings, numbering…) are deflated
# once per process: by their bytes, so only an identical part reuses its deflated form.
_DEFLATE_FROM = 2048  # smaller entries are cheaper to deflate than to look up
_DEFLATE_UNTIL = 1 << 20  # larger ones are a unit's own content, not worth keeping


@functools.lru_cache(maxsize=128)
def _deflated(data: bytes) -> tuple[int, bytes]:
    """CRC-32 and raw deflate of `data`, as zipfile makes them (default level, no zlib header)."""
    import zlib

    c = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return zlib.crc32(data), c.compress(data) + c.flush()


def normalise_zip(path: Path) -> None:
    """Rewrite a zip with fixed timestamps (entries and document properties) so that the same
    content gives the same bytes."""
    with zipfile.ZipFile(path) as zin:
        items = [(i.filename, zin.read(i.filename)) for i in zin.infolist()]
    items = [(n, _STAMP.sub(rb"\g<1>" + FIXED_STAMP.encode() + rb"\g<2>", b) if n == "docProps/core.xml" else b)
             for n, b in items]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, blob in items:
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, blob)


# --- hashes (what went in, what came out) ---------------------------------------------------------

def sha256(data: bytes) -> str:
    """The hex SHA-256 of some bytes."""
    return hashlib.sha256(data).hexdigest()


def file_digest(path: str | Path) -> str:
    """The hex SHA-256 of a file, read in blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def files_digest(files: Iterable[Path]) -> dict[str, str]:
    """Each file's hash, by its path relative to the project root where it lies inside it."""
    out = {}
    for f in sorted({Path(p).resolve() for p in files}):
        if f.is_file() and not f.name.startswith("."):
            try:
                key = str(f.relative_to(ROOT))
            except ValueError:
                key = str(f)
            out[key] = file_digest(f)
    return out
