"""papermill's start-up, with and without the IRI format checker jsonschema loads when the optional
`rfc3987-syntax` is installed (jupyter-events pulls it in through `jsonschema[format-nongpl]` from
jsonschema 4.25 on; it compiles an Earley grammar at import). One run measures both in the same
environment: `import papermill` in fresh interpreters, as every papermill command, nbval run and
new kernel pays it.

    python benchmarks/papermill_startup.py [--repeat 7] [--json FILE]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
import time

BLOCK = "import sys; sys.modules['rfc3987_syntax'] = None; "  # as if the package were not installed


def _seconds(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()
    installed = importlib.util.find_spec("rfc3987_syntax") is not None
    cases = {"python alone": "pass", "import papermill, rfc3987-syntax hidden": BLOCK + "import papermill",
             "import papermill, as installed": "import papermill"}
    figures: dict[str, float] = {}
    for name, code in cases.items():
        _seconds(code)  # warm the disk cache
        figures[name] = statistics.median(_seconds(code) for _ in range(args.repeat))
    print(f"rfc3987-syntax installed here: {'yes' if installed else 'no'}; median of {args.repeat} fresh interpreters")
    for name, s in figures.items():
        print(f"  {name:45s} {s:6.3f} s")
    hidden, as_is = figures["import papermill, rfc3987-syntax hidden"], figures["import papermill, as installed"]
    print(f"  as installed / hidden: {as_is / hidden:.2f}×  (+{as_is - hidden:.3f} s per start)")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"rfc3987_syntax_installed": installed, "seconds": figures, "ratio": as_is / hidden}, f, indent=2)


if __name__ == "__main__":
    main()
