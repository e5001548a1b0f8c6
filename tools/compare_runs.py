"""Compare two runs' outputs byte for byte: every Word, Excel and PNG file of one `<out>/<year>`
folder against the other's (a speed change must not change a byte of any document).

    .venv/bin/python -m tongket run --out /tmp/before --engine direct   # on the old code
    .venv/bin/python -m tongket run --out /tmp/after --engine direct    # on the new code
    .venv/bin/python tools/compare_runs.py /tmp/before/2021 /tmp/after/2021

The run log (nhat_ky_chay.xlsx: times, source hash, paths) differs between any two runs and is
left out. Exit status 1 when a file differs or exists on one side only.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

KINDS = (".docx", ".xlsx", ".png")
SKIP = {"nhat_ky_chay.xlsx"}


def digests(folder: Path) -> dict[str, str]:
    """Each output file's SHA-256 by its path under `folder`."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.suffix in KINDS and p.name not in SKIP}


def main(before: str, after: str) -> int:
    a, b = digests(Path(before)), digests(Path(after))
    only = sorted(set(a) ^ set(b))
    differ = sorted(k for k in set(a) & set(b) if a[k] != b[k])
    for k in only:
        print(f"only in {'before' if k in a else 'after'}: {k}")
    for k in differ:
        print(f"differs: {k}")
    print(f"{len(set(a) & set(b)) - len(differ)} of {len(set(a) | set(b))} files identical")
    return 1 if only or differ else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
