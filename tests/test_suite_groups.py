"""The suite's test groups hold: `make test` runs on two workers with `--dist loadgroup`, and the tests
of one `xdist_group` share a worker. The batch tests rely on it (one sample batch per worker, and
JupyterLab's kernels never started beside a batch's: jupyter_client cannot retry its port race).
pytest 9.2 silently dropped the groups under pytest-xdist 3.8 (pytest-xdist#1386): every test ran
where it fell, and this test would have said so."""

from __future__ import annotations

import pytest


@pytest.mark.xdist_group("batch")
def test_a_grouped_test_runs_in_its_group(request):
    if getattr(request.config, "workerinput", None) is None or request.config.getvalue("dist") != "no":
        pytest.skip("only under pytest-xdist's workers (make test)")
    assert request.config.getvalue("loadgroup") is True, "make test runs with --dist loadgroup"
    assert request.node.nodeid.endswith("@batch"), f"the group was dropped: {request.node.nodeid}"
