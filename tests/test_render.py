"""The whole batch, from the command line, with one report failing on purpose."""

import json

import nbformat
import pytest

from jichitai_cloud import cli, paths, render

pytestmark = pytest.mark.slow


def test_all_reports_render_and_a_failing_one_leaves_the_others_complete(tmp_path, monkeypatch, capsys):
    real_all_jobs = render.all_jobs

    def with_one_failing(**kw):
        jobs = real_all_jobs(**kw)
        return [render.job(**{**j.params, "fail_for_test": True}) if j.key == "group/7" else j for j in jobs]

    monkeypatch.setattr(paths, "REPORTS_DIR", tmp_path)
    monkeypatch.setattr(render, "all_jobs", with_one_failing)
    code = cli.main(["reports", "--all", "--no-progress"])
    out = capsys.readouterr().out
    assert code == 1
    assert "117 of 118 reports rendered" in out
    assert "FAILED group/7/report: in `report.section(1)`: RuntimeError: fail_for_test=True" in out

    htmls = sorted(tmp_path.glob("**/report.html"))
    assert len(htmls) == 117
    failed = tmp_path / "group" / "7"
    assert not (failed / "report.html").exists()
    nb = nbformat.read(failed / "report.ipynb", as_version=4)
    banner = nb.cells[0]
    assert "papermill-error-cell" in "".join(banner.source)  # papermill's error banner, pointing at the cell
    assert json.loads((failed / "report.json").read_text(encoding="utf-8"))["outcome"] == "failed"

    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert index.count('.html">') == 117 and "失敗 / failed" in index and "シミュレーション" in index
    for path in htmls:
        manifest = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        assert manifest["outcome"] == "ok"
    assert not (tmp_path / render.LOCK_NAME).exists()
