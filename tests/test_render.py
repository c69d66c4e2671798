"""The batch, from the command line, with one report failing on purpose; every report's code on its data."""

import contextlib
import io
import json

import matplotlib
import nbformat
import pytest

from jichitai_cloud import cli, paths, render, store

pytestmark = pytest.mark.slow


def _subset(jobs, failing=None):
    """National and two groups (the failing one, and an unnamed one); prefectures render in test_reports."""
    keep = ("national", "group/5", "group/7")
    return [render.job(**{**j.params, "fail_for_test": True}) if j.key == failing else j
            for j in jobs if j.key in keep]


def test_a_failing_report_leaves_the_others_complete_and_keeps_its_last_good_html(tmp_path, monkeypatch, capsys):
    real_all_jobs = render.all_jobs
    monkeypatch.setattr(paths, "REPORTS_DIR", tmp_path)
    monkeypatch.setattr(render, "all_jobs", lambda **kw: _subset(real_all_jobs(**kw), failing="group/7"))
    # what an earlier, successful run published for group 7
    failed = tmp_path / "group" / "7"
    failed.mkdir(parents=True)
    good_html = "<html>the report of last week</html>".encode()
    (failed / "report.html").write_bytes(good_html)
    good = {"outcome": "ok", "finished": "2018-03-26T03:31:00+09:00", "build_id": "0123456789abcdef"}
    (failed / "report.json").write_text(json.dumps(good), encoding="utf-8")

    code = cli.main(["reports", "--all", "--no-progress"])
    out = capsys.readouterr().out
    assert code == 1
    assert "2 of 3 reports rendered" in out
    assert "FAILED group/7/report: in `report.overview()`: RuntimeError: fail_for_test=True" in out

    htmls = sorted(tmp_path.glob("**/report.html"))
    assert len(htmls) == 3
    assert (failed / "report.html").read_bytes() == good_html  # what was published stays published
    nb = nbformat.read(failed / "report.failed.ipynb", as_version=4)
    assert "papermill-error-cell" in "".join(nb.cells[0].source)  # papermill's error banner, pointing at the cell
    manifest = json.loads((failed / "report.json").read_text(encoding="utf-8"))
    assert manifest["outcome"] == "failed"
    assert manifest["published"] == {"report": "report.html", "finished": good["finished"],
                                     "build_id": good["build_id"]}

    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert index.count('.html">') == 3 and "失敗 / failed" in index and "シミュレーション" in index
    assert f"前回の成功 / last good: {good['finished']}" in index
    build_id = store.current_build()
    assert f"data build {build_id}" in index
    for path in htmls:
        manifest = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        assert manifest["build_id"] == build_id
        if path.parent != failed:
            assert manifest["outcome"] == "ok"
    assert not list(tmp_path.glob("**/.staging-*"))


def test_every_report_of_the_batch_runs_on_its_data():
    """The template's code for all 118 reports, in this process: every scope's sections compute.

    (The batch test above renders a sample through kernels and HTML; the per-report work that
    depends on the data is the template's code, run here for every report.)
    """
    import matplotlib.pyplot as plt

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
