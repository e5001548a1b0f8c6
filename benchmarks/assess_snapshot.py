"""Every assess() table of the bundled samples (both cycles, per district and per Đoàn cơ sở) and
of two synthetic provinces, saved before a change and compared after it with
pandas.testing.assert_frame_equal (exact): a speed-up must not change one value (issue 21).

    PYTHONPATH=lib python benchmarks/assess_snapshot.py save /tmp/before   # on the old code
    PYTHONPATH=lib python benchmarks/assess_snapshot.py check /tmp/before  # on the new code
"""
import pickle
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from assess_benchmark import province

from tongket.assessment.assess import assess
from tongket.intake.check import load
from tongket.rules.params import load_cycle


def tables(r):
    t = dict(r.tables())
    t["bao_cao"] = r.bao_cao
    return t

def cases():
    for p in ("params/tong_ket_2021.yaml", "params/tong_ket_2021_sau_sap_xep.yaml"):
        c = load_cycle(p)
        yield Path(p).stem, load(c.data, c.scale, cycle=c), c
        for cap in ("co_so",):
            c2 = load_cycle(p, cap_bao_cao=cap)
            yield Path(p).stem + "_" + cap, load(c2.data, c2.scale, cycle=c2), c2
    c = load_cycle()
    yield "synth", province(3000, 5), c
    yield "synth_fail", province(3000, 5, seed=2, fail_heavy=True), c

mode, folder = sys.argv[1], Path(sys.argv[2])
for name, d, c in cases():
    t = tables(assess(d, c))
    f = folder / f"{name}.pkl"
    if mode == "save":
        folder.mkdir(parents=True, exist_ok=True)
        f.write_bytes(pickle.dumps(t))
        print("saved", name)
    else:
        base = pickle.loads(f.read_bytes())
        assert base.keys() == t.keys()
        for k in base:
            pd.testing.assert_frame_equal(t[k], base[k], check_exact=True)
        print("same", name, {k: v.shape for k, v in t.items()})
