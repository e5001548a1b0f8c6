"""Compile the kit's gettext catalogues (lib/tongket/locale/*/LC_MESSAGES/*.po) into .mo files.

Pure Python (no msgfmt needed, so it runs on an office's Windows PC too); the .mo files are
committed and shipped as package data. tests/test_cli.py checks they match their .po.
"""

from __future__ import annotations

import ast
import struct
import sys
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[1] / "lib" / "tongket" / "locale"


def read_po(path: Path) -> dict[str, str]:
    """The msgid → msgstr pairs of a .po file (single forms; the header is the empty msgid)."""
    pairs: dict[str, str] = {}
    key: str | None = None
    field = ""
    parts: dict[str, list[str]] = {"msgid": [], "msgstr": []}

    def flush() -> None:
        if parts["msgid"] or parts["msgstr"]:
            pairs["".join(parts["msgid"])] = "".join(parts["msgstr"])
        parts["msgid"], parts["msgstr"] = [], []

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("msgid "):
            flush()
            field, line = "msgid", line[6:]
        elif line.startswith("msgstr "):
            field, line = "msgstr", line[7:]
        key = field
        parts[key].append(ast.literal_eval(line))
    flush()
    return pairs


def mo_bytes(pairs: dict[str, str]) -> bytes:
    """The GNU .mo encoding of a catalogue (sorted ids, no hash table)."""
    ids = sorted(pairs)
    keys = [k.encode() for k in ids]
    values = [pairs[k].encode() for k in ids]
    start = 7 * 4 + 16 * len(ids)
    key_table, offset, blob = [], start, b""
    for k in keys:
        key_table += [len(k), offset + len(blob)]
        blob += k + b"\0"
    value_table = []
    for v in values:
        value_table += [len(v), offset + len(blob)]
        blob += v + b"\0"
    header = struct.pack("Iiiiiii", 0x950412DE, 0, len(ids), 7 * 4, 7 * 4 + 8 * len(ids), 0, 0)
    return header + struct.pack(f"{len(key_table)}i", *key_table) + struct.pack(f"{len(value_table)}i", *value_table) + blob


def main() -> None:
    for po in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        mo.write_bytes(mo_bytes(read_po(po)))
        print(f"Đã ghi: {mo}")


if __name__ == "__main__":
    sys.exit(main())
