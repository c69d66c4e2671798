"""Every report's code on its data. (The batch from the command line, with a failing report and a build
attempted during it, is in test_faults.py: test_a_batch_keeps_its_build_and_what_was_published.)"""

import contextlib
import io

import matplotlib
import nbformat
import pytest

from jichitai_cloud.report import render

pytestmark = pytest.mark.slow


def test_every_report_of_the_batch_runs_on_its_data(monkeypatch):
    """The template's code for all 118 reports, in this process: every scope's sections compute.

    (The batch test renders a sample through kernels and HTML; the per-report work that depends on
    the data is the template's code, run here for every report. Each table is read once and every report
    gets its own copy, as if it had read it.)
    """
    import functools

    import matplotlib.pyplot as plt

    from jichitai_cloud.io import store

    read = functools.lru_cache(maxsize=None)(store.read_table)
    monkeypatch.setattr(store, "read_table", lambda name, directory=None: read(name, directory).copy())

    matplotlib.use("Agg")
    template = nbformat.read(render.TEMPLATE, as_version=4)
    cells = [c.source for c in template.cells if c.cell_type == "code"]
    assert "parameters" in template.cells[0].metadata.get("tags", [])
    jobs = render.all_jobs()
    assert len(jobs) == 118
    for j in jobs:
        namespace = dict(j.params)
        with contextlib.redirect_stdout(io.StringIO()):
            for source in cells[1:]:
                exec(compile(source, f"{j.key}/report.ipynb", "exec"), namespace)  # noqa: S102
        plt.close("all")
