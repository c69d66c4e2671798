"""Runs that redo only what changed (issue 21, item 7), both languages in one batch, and every report's footer
(item 5): the skip rule, the run record, the summary line, the index of both languages, a killed batch rerun.

Unit tests use inline files; the batch tests render a sample of group reports (the quickest) through kernels.
"""

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
import yaml
from nbformat.v4 import new_code_cell, new_notebook, new_output

from jichitai_cloud import __version__, paths
from jichitai_cloud.errors import ParameterError
from jichitai_cloud.report import pages, params, runs
from jichitai_cloud.report.worker import Result

INPUTS = {"build_id": "0123456789abcdef", "template_sha256": "a" * 64, "citation_sha256": "b" * 64,
          "raw_sha256": "c" * 64, "package_version": "0.1.0", "code_fingerprint": "d" * 64}
PARAMS = {"scope": "group", "lang": "ja", "prefecture": "", "group_id": 5, "population_basis": "2017-01-01",
          "model": "main", "survey_input": "simulated", "use_inferred_label": True}


# --- the language list ---------------------------------------------------------------------------------------

def test_a_batch_takes_one_language_a_list_or_both():
    assert params.langs("ja") == ("ja",) and params.langs("en") == ("en",)
    assert params.langs("ja,en") == ("ja", "en") and params.langs("en, ja") == ("en", "ja")
    assert params.langs("both") == ("ja", "en") and params.langs("ja,ja") == ("ja",)
    with pytest.raises(ParameterError, match=r"lang must be one of ja, en, both; got 'fr'"):
        params.langs("fr")
    with pytest.raises(ParameterError, match=r"lang must be one of ja, en; got 'de'"):
        params.langs("ja,de")
    with pytest.raises(ParameterError, match=r"got ''"):
        params.langs("ja,")


# --- the skip rule -------------------------------------------------------------------------------------------

def _published(folder: Path, stem: str, inputs: dict, outcome: str = "ok", finished: str = "2018-12-20T10:00:00+09:00"):
    """A report as a successful run leaves it: its HTML, notebook and manifest (sha256 computed here)."""
    folder.mkdir(parents=True, exist_ok=True)
    html, nb = folder / f"{stem}.html", folder / f"{stem}.ipynb"
    html.write_text("<html>report</html>", encoding="utf-8")
    nb.write_text("{}", encoding="utf-8")
    sha = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (html, nb)}
    key = hashlib.sha256(json.dumps(inputs, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    doc = {"outcome": outcome, "finished": finished, "inputs": inputs, "input_key": key,
           "published": {"report": html.name, "finished": finished, "sha256": sha}}
    (folder / f"{stem}.json").write_text(json.dumps(doc), encoding="utf-8")
    return folder / f"{stem}.json"


def test_a_report_is_skipped_only_when_its_inputs_are_unchanged_and_its_files_verify(tmp_path):
    inputs = {**INPUTS, "parameters": PARAMS}
    manifest = _published(tmp_path / "group" / "5", "report", inputs)
    folder = manifest.parent
    assert runs.input_key(inputs) == json.loads(manifest.read_text())["input_key"]  # the same canonical JSON
    assert runs.stale(manifest, folder, inputs) == ""
    assert runs.stale(tmp_path / "none.json", tmp_path, inputs) == "new"
    # each input, changed alone, is named
    assert runs.stale(manifest, folder, {**inputs, "build_id": "fedcba9876543210"}) == "changed: build"
    assert runs.stale(manifest, folder, {**inputs, "template_sha256": "e" * 64}) == "changed: template"
    assert runs.stale(manifest, folder, {**inputs, "code_fingerprint": "e" * 64}) == "changed: code"
    assert runs.stale(manifest, folder, {**inputs, "package_version": "0.2.0", "build_id": "x"}) == \
        "changed: build, package version"
    assert runs.stale(manifest, folder, {**inputs, "parameters": {**PARAMS, "model": "interaction"}}) == \
        "changed: parameters"
    assert runs.stale(manifest, folder, {**inputs, "parameters": {**PARAMS, "lang": "en"}}) == "changed: parameters"
    # a published file changed, missing, or replaced by a link
    (folder / "report.html").write_text("<html>edited</html>", encoding="utf-8")
    assert runs.stale(manifest, folder, inputs) == "report.html is missing or differs from its manifest"
    _published(folder, "report", inputs)
    (folder / "report.ipynb").unlink()
    assert runs.stale(manifest, folder, inputs) == "report.ipynb is missing or differs from its manifest"
    _published(folder, "report", inputs)
    (tmp_path / "elsewhere.html").write_bytes((folder / "report.html").read_bytes())
    (folder / "report.html").unlink()
    (folder / "report.html").symlink_to(tmp_path / "elsewhere.html")
    assert runs.stale(manifest, folder, inputs) == "report.html is missing or differs from its manifest"
    # a run that failed, or did not finish, or a manifest of an older format, or none readable
    _published(folder, "report", inputs, outcome="failed")
    assert runs.stale(manifest, folder, inputs) == "its last run failed"
    _published(folder, "report", inputs, outcome="failed", finished="")
    assert runs.stale(manifest, folder, inputs) == "its last run did not finish"
    doc = json.loads(_published(folder, "report", inputs).read_text())
    del doc["published"]["sha256"]
    manifest.write_text(json.dumps(doc), encoding="utf-8")
    assert runs.stale(manifest, folder, inputs) == "its manifest records no sha256 of its files"
    doc = {k: v for k, v in doc.items() if k not in ("inputs", "input_key")}  # before issue 21
    manifest.write_text(json.dumps(doc), encoding="utf-8")
    assert runs.stale(manifest, folder, inputs) == "its manifest records no inputs (an older version made it)"
    manifest.write_text(json.dumps({**doc, "inputs": {}, "input_key": "0" * 64}), encoding="utf-8")
    assert runs.stale(manifest, folder, inputs) == "changed: build, template, CITATION.cff, raw files, " \
                                                    "package version, code, parameters"
    manifest.write_text("{half a manif", encoding="utf-8")
    assert runs.stale(manifest, folder, inputs) == "its manifest is unreadable"


def test_a_manifest_cannot_name_a_file_outside_its_folder(tmp_path):
    inputs = {**INPUTS, "parameters": PARAMS}
    manifest = _published(tmp_path / "group" / "5", "report", inputs)
    doc = json.loads(manifest.read_text())
    outside = tmp_path / "outside.html"
    outside.write_text("x", encoding="utf-8")
    doc["published"]["sha256"] = {"../../outside.html": hashlib.sha256(b"x").hexdigest()}
    manifest.write_text(json.dumps(doc), encoding="utf-8")
    assert runs.stale(manifest, manifest.parent, inputs) == "../../outside.html is missing or differs from its manifest"


# --- the run record and the summary ----------------------------------------------------------------------

def _result(key, outcome, lang="ja", **kw):
    return Result(key, "report" if lang == "ja" else "report.en", {**PARAMS, "lang": lang}, outcome, 1.25, **kw)


def test_the_run_record_and_the_summary_line(tmp_path):
    results = [_result("national", "ok", reason="new", finished="2018-12-20T10:00:05+09:00",
                       published={"finished": "2018-12-20T10:00:05+09:00"}),
               _result("national", "skipped", lang="en", reason="unchanged",
                       published={"finished": "2018-12-19T10:00:00+09:00"}),
               _result("group/7", "failed", error="in `x`: ValueError: no", finished="2018-12-20T10:00:06+09:00")]
    assert runs.summary(results) == "3 reports: 1 rendered, 1 skipped (unchanged), 1 failed"
    assert runs.summary(results[1:2]) == "1 report: 0 rendered, 1 skipped (unchanged), 0 failed"
    record = runs.RunRecord(tmp_path, "0123456789abcdef", {"input": "simulated"}, "abc", "2018-12-20T10:00:00+09:00",
                            False, 2)
    assert record.write() == ""
    started = json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))
    assert started["status"] == "running" and started["finished"] is None and started["reports"] == []
    assert started["pid"] == os.getpid() and started["package_version"] == __version__
    assert record.finish(results, "2018-12-20T10:00:07+09:00", planned=4) == ""
    doc = json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))
    assert doc["status"] == "finished" and doc["finished"] == "2018-12-20T10:00:07+09:00"
    assert doc["build_id"] == "0123456789abcdef" and doc["survey"] == {"input": "simulated"}
    assert doc["counts"] == {"rendered": 1, "skipped": 1, "failed": 1, "not_run": 1}
    assert doc["reports"] == [
        {"report": "national/report.html", "lang": "ja", "outcome": "rendered", "reason": "new", "seconds": 1.25,
         "finished": "2018-12-20T10:00:05+09:00", "published": "2018-12-20T10:00:05+09:00"},
        {"report": "national/report.en.html", "lang": "en", "outcome": "skipped", "reason": "unchanged",
         "seconds": 1.25, "finished": None, "published": "2018-12-19T10:00:00+09:00"},
        {"report": "group/7/report.html", "lang": "ja", "outcome": "failed", "reason": "in `x`: ValueError: no",
         "seconds": 1.25, "finished": "2018-12-20T10:00:06+09:00", "published": None}]
    assert not list(tmp_path.glob("*.part"))  # written in one rename, nothing left
    assert record.finish(results[:1], "2018-12-20T10:00:08+09:00", stopped="interrupted", planned=3) == ""
    doc = json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))
    assert doc["status"] == "stopped" and doc["stopped"] == "interrupted"
    assert doc["counts"] == {"rendered": 1, "skipped": 0, "failed": 0, "not_run": 2}


# --- the footer ------------------------------------------------------------------------------------------

SIMULATED = {"input": "simulated", "file": "", "sha256": "", "generator_version": "4",
             "generator_params": json.dumps({"seed": 20180330, "joint_effect": -0.2})}
HOSTILE = {"input": "reported", "file": "<img src=x onerror=alert(1)>.csv", "sheet": "</p><script>alert(2)</script>",
           "sha256": "ab" * 32}


def test_the_footer_says_what_made_the_report_and_how_to_cite_it():
    cff = yaml.safe_load((paths.PROJECT_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    source = cff["references"][0]
    assert source["title"] == "自治体クラウドの導入促進の取組"  # the first reference is the source document
    commit = "0" * 40 + "+dirty"
    for lang in ("ja", "en"):
        html = pages.footer(lang, "0.1.0", commit, "0123456789abcdef", SIMULATED, "2018-12-20T10:00:00+09:00",
                            "report.json")
        assert html.startswith(f'<footer id="about" class="jc-footer" lang="{lang}">')
        for value in ("0.1.0", commit, "0123456789abcdef", "2018-12-20T10:00:00+09:00", "20180330", "report.json",
                      "CITATION.cff", "自治体クラウドの導入促進の取組", source["authors"][0]["name"],
                      f'href="{source["url"]}"', cff["authors"][0]["name"]):
            assert value in html, (lang, value)
        assert "jichitai-cloud: Japanese municipalities&#x27; IT-system costs" in html  # the title, escaped
    ja = pages.footer("ja", "0.1.0", commit, "0123456789abcdef", SIMULATED, "2018-12-20T10:00:00+09:00", "report.json")
    en = pages.footer("en", "0.1.0", commit, "0123456789abcdef", SIMULATED, "2018-12-20T10:00:00+09:00",
                      "report.en.json")
    assert "シミュレーション" in ja and "このレポートについて" in ja and "引用" in ja
    assert "simulated" in en and "About this report" in en and "Cite as" in en and "Source:" in en
    assert "シミュレーション" not in en and "引用" not in en


def test_the_footer_escapes_the_survey_file_name_and_sheet():
    for lang in ("ja", "en"):
        html = pages.footer(lang, "0.1.0", "abc", "0123456789abcdef", HOSTILE, "2018-12-20T10:00:00+09:00",
                            "report.json")
        assert "<img" not in html and "<script>" not in html
        assert "&lt;img src=x onerror=alert(1)&gt;.csv" in html and "&lt;/p&gt;&lt;script&gt;alert(2)" in html
        assert "ab" * 32 in html  # the whole sha256


def test_the_footer_ends_the_page():
    nb = new_notebook(cells=[new_code_cell("x = 1", outputs=[
        new_output("display_data", data={"text/markdown": "# 見出し", "text/plain": "<Markdown>"})])])
    footer = pages.footer("ja", "0.1.0", "abc", "0123456789abcdef", SIMULATED, "2018-12-20T10:00:00+09:00",
                          "report.json")
    html = pages.to_html(nb, "題", lang="ja", footer=footer)
    assert html.index("見出し") < html.index(footer) and html.rstrip().endswith(footer + "</body>\n</html>")
    assert ".jc-footer" in html[:html.index("</head>")]


# --- the index of both languages ---------------------------------------------------------------------------

@pytest.mark.data
def test_the_index_has_one_row_per_report_linking_each_language_published(tmp_path):
    from jichitai_cloud.report.index import write_index

    for name in ("report.html", "report.en.html"):
        (tmp_path / "national").mkdir(exist_ok=True)
        (tmp_path / "national" / name).write_text("x", encoding="utf-8")
    (tmp_path / "group" / "7").mkdir(parents=True)
    (tmp_path / "group" / "7" / "report.html").write_text("x", encoding="utf-8")  # English never published
    results = [_result("national", "ok"), _result("national", "skipped", lang="en"),
               Result("group/7", "report", {**PARAMS, "group_id": 7}, "skipped", 0.0),
               Result("group/7", "report.en", {**PARAMS, "group_id": 7, "lang": "en"}, "failed", 1.0,
                      error="<b>boom</b>")]
    page = write_index(results, tmp_path, SIMULATED, "0123456789abcdef").read_text(encoding="utf-8")
    rows = page.split("<tbody>")[1].split("</tbody>")[0].strip().splitlines()
    assert len(rows) == 2  # one per report, its languages together
    assert 'href="national/report.html">日本語</a> <a href="national/report.en.html">English</a>' in rows[0]
    assert "✓" in rows[0] and "failed" not in rows[0]
    assert 'href="group/7/report.html">日本語</a>' in rows[1] and "report.en.html" not in rows[1]
    assert "English: <span class=\"failed\">失敗 / failed: &lt;b&gt;boom&lt;/b&gt;</span>" in rows[1]
    assert "公開中のレポートなし / none published" in rows[1]
    assert "This run: 1 rendered, 2 unchanged since their last run (not rendered again), 1 failed" in page
    assert '<a href="run.json">run.json</a>' in page


@pytest.mark.data
def test_a_batch_stopped_by_an_error_says_so_in_its_record(tmp_path, monkeypatch):
    from jichitai_cloud.errors import ReportError
    from jichitai_cloud.report import render

    def no_kernel():
        raise ReportError("the Jupyter kernel 'jichitai-cloud' is not registered")

    monkeypatch.setattr(render, "check_kernel", no_kernel)
    with pytest.raises(ReportError):
        render.render_batch(_jobs((5, "ja", {})), reports_dir=tmp_path, workers=1, progress=False,
                            log=lambda *_: None, wait=True)
    doc = json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))
    assert doc["status"] == "stopped" and doc["finished"] is not None
    assert doc["stopped"] == "ReportError: the Jupyter kernel 'jichitai-cloud' is not registered"
    assert doc["counts"] == {"rendered": 0, "skipped": 0, "failed": 0, "not_run": 1}
    assert not (tmp_path / "group" / "5" / "report.html").exists()


# --- batches through kernels (a sample of group reports: the quickest) ----------------------------------------

def _jobs(*specs):
    from jichitai_cloud.report import render

    return [render.job(scope="group", group_id=g, lang=lang, **kw) for g, lang, kw in specs]


def _batch(reports_dir, jobs, **kw):
    from jichitai_cloud.report import render

    lines = []
    # one worker: its kernel is started once and renders every report of the batch in turn (two workers: the
    # killed-batch tests of tests/test_faults.py)
    results = render.render_batch(jobs, reports_dir=reports_dir, workers=1, progress=False, log=lines.append,
                                  wait=True, **kw)
    record = json.loads((reports_dir / "run.json").read_text(encoding="utf-8"))
    return {(r.key, r.stem): (r.outcome, r.reason) for r in results}, record, lines


def _files(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("report*")) if p.is_file()}


@pytest.mark.slow
@pytest.mark.data
def test_a_batch_renders_exactly_what_changed(tmp_path, monkeypatch):
    """A second batch with nothing changed renders nothing and touches no report; a changed parameter, a new
    language or an edited file re-renders exactly the reports concerned; force renders all."""
    out = tmp_path / "reports"
    # (the national report's footer: tests/test_faults.py's hostile-names test, which renders it anyway)
    first, record, _ = _batch(out, _jobs((5, "ja", {}), (6, "ja", {}), (7, "ja", {})))
    assert first == {(k, "report"): ("ok", "new") for k in ("group/5", "group/6", "group/7")}
    assert record["status"] == "finished" and record["counts"] == {"rendered": 3, "skipped": 0, "failed": 0}
    for key in ("group/5", "group/6", "group/7"):  # every report's footer: the version and the build
        footer = (out / key / "report.html").read_text(encoding="utf-8").split('class="jc-footer"')[1]
        assert f"jichitai-cloud {__version__}（コミット {record['git_commit']}）" in footer
        assert f"データのビルド {record['build_id']}" in footer
    before = _files(out)

    again, record, lines = _batch(out, _jobs((5, "ja", {}), (6, "ja", {}), (7, "ja", {})))
    assert again == {(f"group/{g}", "report"): ("skipped", "unchanged") for g in (5, 6, 7)}
    assert record["counts"] == {"rendered": 0, "skipped": 3, "failed": 0} and record["workers"] == 0
    assert [e["outcome"] for e in record["reports"]] == ["skipped"] * 3
    assert _files(out) == before  # nothing rewritten: same bytes, same times
    assert not [line for line in lines if "ok " in line]

    html5 = out / "group" / "5" / "report.html"
    html5.write_bytes(html5.read_bytes().replace(b"</footer>", b"edited</footer>"))
    changed, record, _ = _batch(out, _jobs((5, "ja", {}), (6, "ja", {}), (6, "en", {}),
                                           (7, "ja", {"model": "interaction"})))
    assert changed == {("group/5", "report"): ("ok", "report.html is missing or differs from its manifest"),
                       ("group/6", "report"): ("skipped", "unchanged"),
                       ("group/6", "report.en"): ("ok", "new"),
                       ("group/7", "report"): ("ok", "changed: parameters")}
    assert b"edited" not in html5.read_bytes()
    assert _files(out)["group/6/report.html"] == before["group/6/report.html"]
    en = (out / "group" / "6" / "report.en.html").read_text(encoding="utf-8")
    assert "About this report" in en and "このレポートについて" not in en

    # --force: every report goes to the workers again, nothing changed (how a worker renders: the batches above)
    from jichitai_cloud.report import render

    sent = []

    def workers(todo, reports_dir, n, progress, log, build_id, run, results):
        sent.extend((j.key, j.stem) for j in todo)
        results.extend(Result(j.key, j.stem, j.params, "ok", 0.0, build_id=build_id) for j in todo)

    monkeypatch.setattr(render, "_run_workers", workers)
    jobs = _jobs((5, "ja", {}), (6, "ja", {}), (6, "en", {}), (7, "ja", {"model": "interaction"}))
    forced, record, _ = _batch(out, jobs, force=True)
    assert sent == [(j.key, j.stem) for j in jobs] and record["force"] is True
    assert set(forced.values()) == {("ok", "forced (--force)")} and record["counts"]["rendered"] == 4


# The last argv[2] group reports on one worker into the reports folder argv[1] (a script: the batch is killed).
BATCH = """
import sys
from pathlib import Path
from jichitai_cloud.report import render
jobs = render.all_jobs()[-int(sys.argv[2]):]
results = render.render_batch(jobs, reports_dir=Path(sys.argv[1]), workers=1, progress=False, wait=True)
print(sorted((r.key, r.outcome, r.reason) for r in results))
sys.exit(1 if any(r.outcome == "failed" for r in results) else 0)
"""


def _completed(reports_dir: Path) -> set[str]:
    """The reports a batch finished: a manifest of success whose HTML has the sha256 it records."""
    done = set()
    for manifest in reports_dir.glob("group/*/report.json"):
        doc = json.loads(manifest.read_text(encoding="utf-8"))
        html = manifest.with_name("report.html")
        if doc.get("outcome") == "ok" and html.is_file() and \
                hashlib.sha256(html.read_bytes()).hexdigest() == doc["published"]["sha256"]["report.html"]:
            done.add(manifest.parent.relative_to(reports_dir).as_posix())
    return done


@pytest.mark.slow
@pytest.mark.data
def test_a_rerun_after_a_killed_batch_renders_only_what_is_missing(tmp_path):
    reports_dir = tmp_path / "reports"
    batch = subprocess.Popen([sys.executable, "-c", BATCH, str(reports_dir), "4"], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 180
    while not _completed(reports_dir):  # until the first report is published
        assert time.monotonic() < deadline and batch.poll() is None, "the batch published nothing"
        time.sleep(0.05)
    os.kill(batch.pid, signal.SIGKILL)
    batch.wait()
    done = _completed(reports_dir)
    assert 1 <= len(done) < 4
    killed = json.loads((reports_dir / "run.json").read_text(encoding="utf-8"))
    assert killed["status"] == "running" and killed["finished"] is None  # a scheduler sees it never finished
    # no pause for the killed batch's workers to go: the next batch waits for them (its workers lock)

    p = subprocess.run([sys.executable, "-c", BATCH, str(reports_dir), "4"], capture_output=True, text=True,
                       timeout=300)
    assert p.returncode == 0, p.stderr
    record = json.loads((reports_dir / "run.json").read_text(encoding="utf-8"))
    assert record["status"] == "finished"
    outcomes = {e["report"].removesuffix("/report.html"): (e["outcome"], e["reason"]) for e in record["reports"]}
    assert {k for k, (o, _) in outcomes.items() if o == "skipped"} == done
    assert {k for k, (o, _) in outcomes.items() if o == "rendered"} == {f"group/{g}" for g in range(67, 71)} - done
    assert all(reason in ("new", "its last run did not finish") for o, reason in outcomes.values() if o == "rendered")
    assert _completed(reports_dir) == {f"group/{g}" for g in range(67, 71)}
