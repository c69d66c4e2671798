"""Fault injection: kills, races, damaged tables and a full disk. Nothing torn is accepted, nothing published lost.

Each test works on a copy of data/processed (``$JICHITAI_CLOUD_PROCESSED`` for the processes
it starts) and its own reports folder, so a failing test cannot harm the real ones.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from jichitai_cloud import build, cli, paths
from jichitai_cloud.io import locks, store
from jichitai_cloud.report import render

pytestmark = [pytest.mark.slow, pytest.mark.data]

# The command line with another reports folder (argv[1]); data/processed comes from the environment.
CLI = """
import sys
from pathlib import Path
from jichitai_cloud import cli, paths
paths.REPORTS_DIR = Path(sys.argv[1])
sys.exit(cli.main(sys.argv[2:]))
"""

# A batch of the last argv[2] reports (groups: the quickest) on argv[3] workers into the reports folder argv[1].
BATCH = """
import sys
from pathlib import Path
from jichitai_cloud.report import render
jobs = render.all_jobs()[-int(sys.argv[2]):]
results = render.render_batch(jobs, reports_dir=Path(sys.argv[1]), workers=int(sys.argv[3]), progress=False)
sys.exit(1 if any(r.outcome == "failed" for r in results) else 0)
"""


@pytest.fixture
def processed(processed_copy):
    """A copy of data/processed, used by this process and every process the test starts (tests/conftest.py)."""
    return processed_copy


@pytest.fixture
def survey_file(tmp_path, processed):
    """A real-looking survey file (the simulated costs in a real file's shape): another build's input."""
    survey = store.read_table("survey").merge(store.read_table("municipalities")[["code", "name"]], on="code")
    path = tmp_path / "real.csv"
    pd.DataFrame({"団体コード": survey["code"], "団体名": survey["name"],
                  "情報システム経費（千円）": (survey["it_cost_yen"].astype(float) / 1000).map("{:.3f}".format),
                  }).to_csv(path, index=False, encoding="utf-8")
    return path


def _cli(args, reports_dir, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", CLI, str(reports_dir), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kw)


def _tree(folder: Path) -> dict:
    """Every file (bytes) and link (target) under folder, but lock files (their note names the last holder)."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_symlink():
            out[str(p.relative_to(folder))] = "-> " + str(p.readlink())
        elif p.is_file() and not p.name.endswith(".lock"):
            out[str(p.relative_to(folder))] = p.read_bytes()
    return out


def _one_complete_build(folder: Path) -> tuple[str, str]:
    """Assert that readers see one complete build; return its id and the survey input it says it used."""
    store._PINS.pop(folder, None)
    build_id = store.current_build(folder)
    assert build_id and store.verify_build(folder, build_id) == []
    doc = store.manifest(folder, build_id)
    info = store.read_table("survey_input", folder).iloc[0]
    assert info["input"] == doc["survey"]["input"] and info["sha256"] == doc["survey"]["sha256"]
    survey = store.read_table("survey", folder)
    if info["input"] == "reported":
        assert set(survey["it_cost_provenance"]) == {"reported"}
    else:
        assert "reported" not in set(survey["it_cost_provenance"])
    store._PINS.pop(folder, None)
    return build_id, info["input"]


def _no_traceback(err: str) -> None:
    assert "Traceback" not in err and err.strip(), err
    assert all(line.startswith("jichitai-cloud ") for line in err.strip().splitlines()), err


# --- kill -9 during a build ------------------------------------------------------------------------------

KILL_BUILD = """
import os, signal, sys
from pathlib import Path
from jichitai_cloud.io import store

point = sys.argv[1]
# another build: the survey says it is a real file, and its costs differ (the other tables carried forward)
tables = {name: store.read_table(name) for name in ("survey", "survey_input")}
tables["survey_input"] = tables["survey_input"].assign(input="reported", file="other.csv", sha256="f" * 64)
tables["survey"] = tables["survey"].assign(it_cost_yen=tables["survey"]["it_cost_yen"] * 2,
                                           it_cost_provenance="reported")
meta = {"survey": {"input": "reported", "sha256": "f" * 64}}


def die():
    os.kill(os.getpid(), signal.SIGKILL)


real_replace, real_csv, calls = os.replace, store._write_csv, []
if point == "writing":  # while writing the second table (the first one written)
    def csv(df, path):
        calls.append(path)
        if len(calls) == 2:
            die()
        real_csv(df, path)
    store._write_csv = csv
if point in ("first swap", "switch"):  # the first rename of the build, or the switch of `current`
    def replace(a, b):
        if point == "first swap" or Path(b).name == store.CURRENT:
            die()
        real_replace(a, b)
    os.replace = replace
if point == "after the switch":
    store._link_tables = lambda *a: die()
store.write_tables(tables, meta=meta)
"""


@pytest.mark.parametrize("point, expected", [("writing", "simulated"), ("first swap", "simulated"),
                                             ("switch", "simulated"), ("after the switch", "reported")])
def test_kill_9_during_a_build_leaves_one_complete_build(processed, point, expected):
    """Finding 1: a build killed while it writes or swaps leaves the previous build whole, or the new one."""
    before = store.current_build(processed)
    p = subprocess.run([sys.executable, "-c", KILL_BUILD, point], capture_output=True, text=True, timeout=120)
    assert p.returncode == -signal.SIGKILL, p.stderr
    build_id, survey_input = _one_complete_build(processed)
    assert survey_input == expected and (build_id == before) == (expected == "simulated")
    assert cli.main(["verify"]) == 0
    # the next build removes what the killed one left behind
    store.write_tables({"survey_input": store.read_table("survey_input")}, meta=store.manifest(build_id=build_id) | {})
    leftovers = [p.name for p in (processed / store.BUILDS).iterdir() if p.name.startswith(".")]
    assert not leftovers


# --- two builds at once ----------------------------------------------------------------------------------

def _wait_for_holder(lock_file: Path, pid: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if json.loads(lock_file.read_text(encoding="utf-8") or "{}").get("pid") == pid:
                return
        except (OSError, ValueError):
            pass
        time.sleep(0.05)
    raise AssertionError(f"pid {pid} never took {lock_file}")


# A build whose writing waits until the file argv[1] exists (a slow disk, under the test's control).
HELD_BUILD = CLI.replace("from jichitai_cloud import cli, paths", """from jichitai_cloud import cli, paths, store
import os, time
go, write = sys.argv.pop(1), store.write_tables
def held(*a, **k):
    while not os.path.exists(go):
        time.sleep(0.05)
    return write(*a, **k)
store.write_tables = held""")


def test_concurrent_builds_exclude_each_other(processed, survey_file, tmp_path):
    go = tmp_path / "go"
    first = subprocess.Popen([sys.executable, "-c", HELD_BUILD, str(go), str(tmp_path / "reports"), "build",
                              "--survey", str(survey_file)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _wait_for_holder(processed / store.LOCK, first.pid)
    second = _cli(["build"], tmp_path / "reports")
    _, err = second.communicate(timeout=120)
    go.touch()
    out1, err1 = first.communicate(timeout=180)
    assert second.returncode == 2 and first.returncode == 0, err1
    _no_traceback(err)
    assert f"is locked by jichitai-cloud build (pid {first.pid}" in err and "pass --wait" in err
    build_id, survey_input = _one_complete_build(processed)
    assert survey_input == "reported"  # the first build's, whole; the second changed nothing
    assert not [p for p in (processed / store.BUILDS).iterdir() if p.name.startswith(".")]


# --- a build during a batch, and a failing report ------------------------------------------------------

# `reports --all` cut to a sample (a prefecture, an unnamed group, and group 7, made to fail).
SAMPLE_CLI = CLI.replace("from jichitai_cloud import cli, paths", """from jichitai_cloud import cli, paths, render
real = render.all_jobs
# group 7 made to fail inside its kernel: a model no report knows (the kernel validates its parameters again)
render.all_jobs = lambda **kw: [render.Job({**j.params, "model": "no_such_model"}) if j.key == "group/7" else j
                                for j in real(**kw) if j.key in ("prefecture/鳥取県", "group/5", "group/7")]""")


def test_a_batch_keeps_its_build_and_what_was_published(processed, survey_file, tmp_path):
    """Findings 2 and 5 in one batch: a rebuild with another survey file mid-batch is refused (or waits) and
    cannot change what the batch reads; a report that fails keeps its last good HTML; the others complete."""
    reports_dir = tmp_path / "reports"
    before = store.current_build(processed)
    failed = reports_dir / "group" / "7"  # what an earlier, successful run published for group 7
    failed.mkdir(parents=True)
    good_html = "<html>the report of last week</html>".encode()
    (failed / "report.html").write_bytes(good_html)
    good = {"outcome": "ok", "finished": "2018-03-26T03:31:00+09:00", "build_id": "0123456789abcdef"}
    (failed / "report.json").write_text(json.dumps(good), encoding="utf-8")

    # one worker, one kernel for the three (two workers: the killed-batch test below)
    batch = subprocess.Popen([sys.executable, "-c", SAMPLE_CLI, str(reports_dir), "reports", "--all", "--no-progress",
                              "--workers", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _wait_for_holder(processed / store.LOCK, batch.pid)
    refused = _cli(["build", "--survey", str(survey_file)], reports_dir)
    _, err = refused.communicate(timeout=120)
    assert refused.returncode == 2
    _no_traceback(err)
    assert "is locked by a report run" in err and "pass --wait" in err
    waiting = _cli(["build", "--wait", "--survey", str(survey_file)], reports_dir)
    out, batch_err = batch.communicate(timeout=300)
    assert batch.returncode == 1, batch_err
    assert "3 reports: 2 rendered, 0 skipped (unchanged), 1 failed" in out
    assert "FAILED group/7/report: in `import jichitai_cloud.report.reports as jcr`: ParameterError: model must be " \
           "one of main" in out
    wait_out, wait_err = waiting.communicate(timeout=180)
    assert waiting.returncode == 0, wait_err
    assert "waiting for a report run" in wait_out

    # every manifest and the index name the build the batch started on, and its survey
    manifests = {p.parent.relative_to(reports_dir).as_posix(): json.loads(p.read_text(encoding="utf-8"))
                 for p in reports_dir.glob("**/report.json")}
    assert sorted(manifests) == ["group/5", "group/7", "prefecture/鳥取県"]
    assert {m["build_id"] for m in manifests.values()} == {before}
    assert {m["survey"]["input"] for m in manifests.values()} == {"simulated"}
    assert [m["outcome"] for m in manifests.values()].count("ok") == 2
    index = (reports_dir / "index.html").read_text(encoding="utf-8")
    assert f"data build {before}" in index and "2 failed" not in index and "1 failed" in index
    # the failing report: nothing published was lost, and the manifest and index say what is in place
    assert (failed / "report.html").read_bytes() == good_html
    nb = json.loads((failed / "report.failed.ipynb").read_text(encoding="utf-8"))
    assert "papermill-error-cell" in "".join(nb["cells"][0]["source"])  # papermill's banner, pointing at the cell
    assert manifests["group/7"]["outcome"] == "failed"
    assert manifests["group/7"]["published"] == {"report": "report.html", "finished": good["finished"],
                                                 "build_id": good["build_id"]}
    assert "失敗 / failed" in index and f"前回の成功 / last good: {good['finished']}" in index
    assert index.count('.html">') == 3 and "シミュレーション" in index
    assert not list(reports_dir.glob("**/.staging-*"))
    # and the build that waited came after the batch
    build_id, survey_input = _one_complete_build(processed)
    assert build_id != before and survey_input == "reported"


# --- a killed batch --------------------------------------------------------------------------------------

def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in out:
                out.add(child)
                todo.append(child)
    return out


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text(errors="replace")
    except OSError:
        return ""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


# A process with a helper (even on one core) busy for a minute: prints the helper's pid, then waits to be killed.
HELPED = """
import os, time
from jichitai_cloud.io import processes
processes.usable_cores = lambda: 2
with processes.helper() as pool:
    print(pool.submit(os.getpid).result(), flush=True)
    pool.submit(time.sleep, 60)
    time.sleep(60)
"""


def test_a_builds_helper_process_ends_with_the_build_killed_9():
    """The build's helper (io/processes.py: helper), busy, is gone once the build is killed with kill -9."""
    with subprocess.Popen([sys.executable, "-c", HELPED], stdout=subprocess.PIPE, text=True) as parent:
        try:
            pid = int(parent.stdout.readline())
            assert _alive(pid) and pid != parent.pid
            os.kill(parent.pid, signal.SIGKILL)
            parent.wait()
            deadline = time.monotonic() + 10
            while _alive(pid):
                assert time.monotonic() < deadline, "the helper outlived its parent"
                time.sleep(0.05)
        finally:
            parent.kill()
            if "pid" in locals() and _alive(pid):  # failed: leave no helper behind either
                os.kill(pid, signal.SIGKILL)


def test_a_killed_batch_leaves_no_worker_or_kernel_and_writes_nothing_after(processed, tmp_path):
    """Finding 4: kill -9 of the batch: its workers and kernels go with it, and write nothing more."""
    reports_dir = tmp_path / "reports"
    # 40 reports: far more than the workers can render before the kill, so survivors would keep writing
    batch = subprocess.Popen([sys.executable, "-c", BATCH, str(reports_dir), "40", "2"], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    workers = min(2, render.worker_count(log=lambda *_: None))
    deadline = time.monotonic() + 120
    while True:  # until every worker runs a kernel
        family = _descendants(batch.pid)
        kernels = [p for p in family if "ipykernel" in _cmdline(p)]
        if len(kernels) == workers:
            break
        assert time.monotonic() < deadline and batch.poll() is None, "the batch started no kernels"
        time.sleep(0.1)
    time.sleep(1)  # reports under way
    family = _descendants(batch.pid)
    os.kill(batch.pid, signal.SIGKILL)
    batch.wait()
    deadline = time.monotonic() + 10  # the kernels' parent poller checks once a second
    while [p for p in family if _alive(p)]:
        assert time.monotonic() < deadline, f"left behind: {[p for p in family if _alive(p)]}"
        time.sleep(0.1)
    written = _tree(reports_dir)
    time.sleep(1.5)
    assert _tree(reports_dir) == written  # nothing written after the batch died
    # the locks went with it: a new batch can start at once, and no old worker is left to race it
    for name in (render.LOCK_NAME, render.WORKERS_LOCK_NAME):
        with locks.FileLock(reports_dir / name, "the next batch"):
            pass
    with store.build_lock(processed):
        pass
    # the next batch removes what the killed one staged (its journal lists it), and nothing of anyone else's
    from jichitai_cloud.io import journal

    foreign = _plant_foreign([reports_dir, reports_dir / "group" / "70"])
    p = subprocess.run([sys.executable, "-c", BATCH, str(reports_dir), "1", "1"], capture_output=True, text=True,
                       timeout=300)
    assert p.returncode == 0, p.stderr
    assert not [q for q in reports_dir.rglob(".*") if journal._OURS.fullmatch(q.name) and q not in foreign]
    assert not (reports_dir / journal.NAME).exists()
    assert {path: path.read_text(encoding="utf-8") for path in foreign} == foreign


# --- a damaged table -------------------------------------------------------------------------------------

def test_a_truncated_table_is_refused_by_every_reader_and_nothing_published_is_touched(processed, tmp_path,
                                                                                     monkeypatch, capsys):
    """Findings 5 and 7: a damaged build: one line to rebuild, no traceback, no report touched."""
    reports_dir = tmp_path / "reports"
    monkeypatch.setattr(paths, "REPORTS_DIR", reports_dir)
    published = reports_dir / "national" / "report.html"
    published.parent.mkdir(parents=True)
    published.write_text("<html>last week's report</html>", encoding="utf-8")
    build_id = store.current_build(processed)
    for name in ("survey", "municipalities"):
        path = processed / store.BUILDS / build_id / f"{name}.parquet"
        path.write_bytes(path.read_bytes()[:1000])
    before = _tree(reports_dir)
    for args in (["report", "--scope", "national"], ["reports", "--all", "--no-progress"], ["verify"]):
        assert cli.main(args) == 2, args
        err = capsys.readouterr().err
        _no_traceback(err)
        assert "is damaged" in err and "run `jichitai-cloud build`" in err and len(err.strip().splitlines()) == 1
    assert _tree(reports_dir) == before
    import jichitai_cloud as jc

    with pytest.raises(store.StoreError, match=r"survey\.parquet is damaged .*run `jichitai-cloud build`"):
        jc.load("survey", simulated=True)
    # check-survey does not need the build: it checks against the raw files, and says so
    survey = pd.DataFrame({"団体コード": ["011002"], "情報システム経費（千円）": ["1"]})
    survey.to_csv(tmp_path / "one.csv", index=False)
    assert cli.main(["check-survey", str(tmp_path / "one.csv")]) == 2
    err = capsys.readouterr().err
    _no_traceback(err)
    assert "municipalities missing" in err


# --- a full disk -----------------------------------------------------------------------------------------

FSIZE = """
import os, resource, sys
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))  # a write beyond it fails with EFBIG
os.execv(sys.executable, [sys.executable, "-c", sys.argv[2], *sys.argv[3:]])
"""


def test_a_full_disk_changes_nothing(processed, survey_file, tmp_path):
    """A write that fails (here: files over 100 kB refused) leaves the previous build current and whole."""
    before = _tree(processed)
    p = subprocess.run([sys.executable, "-c", FSIZE, "100000", CLI, str(tmp_path / "reports"), "build", "--survey",
                        str(survey_file)], capture_output=True, text=True, timeout=180)
    assert p.returncode == 2
    _no_traceback(p.stderr)
    assert "File too large" in p.stderr and "nothing was switched" in p.stderr and str(processed) in p.stderr
    assert _tree(processed) == before
    _one_complete_build(processed)


# --- issue 18: nothing outside a run's own files touched ------------------------------------------------------

def _plant_foreign(folders) -> dict:
    """Another program's files with the names a pattern-based cleanup would take: path -> content."""
    out = {}
    for k, folder in enumerate(folders):
        folder.mkdir(parents=True, exist_ok=True)
        for name in (".staging-report-123", f".staging-other-clone-{k}"):
            (folder / name).mkdir()
            out[folder / name / "keep.txt"] = f"{name} of another program"
        for name in (".download.part", ".report.html.4242.part", f".index.html.{k}.0123456789abcdef.part"):
            out[folder / name] = f"{name}: a partial download"
    for path, text in out.items():
        path.write_text(text, encoding="utf-8")
    return out


GROUP_5_BATCH = CLI.replace("from jichitai_cloud import cli, paths", """from jichitai_cloud import cli, paths, render
real = render.all_jobs
render.all_jobs = lambda **kw: [j for j in real(**kw) if j.key == "group/5"]""")


def test_report_runs_remove_what_a_killed_run_recorded_and_nothing_else(processed, tmp_path):
    """Issue 18, case 1: `_clean_staging` deleted every .staging-* and .*.part under --reports-dir (another
    clone's staging, a browser's partial downloads). Now a run removes what its journal lists, and nothing else:
    foreign files in the reports folder, in its sub-folders and beside it stay, with `report` and with a batch
    whose --reports-dir is the folder that holds them all (as `--reports-dir ..` would)."""
    from jichitai_cloud.io import journal

    shared = tmp_path / "shared"
    reports_dir = shared / "reports"
    foreign = _plant_foreign([shared, reports_dir, reports_dir / "national", reports_dir / "group" / "5"])
    # what killed runs left: recorded in their journal before they were created
    log = journal.Journal(reports_dir)
    killed = log.make_dir(reports_dir / "national", render.STAGING_PREFIX + "report-")
    (killed / "report.ipynb").write_text("half a notebook", encoding="utf-8")
    part = log.record(journal.part_name(reports_dir / "national" / "report.json"))
    part.write_text("half a manifest", encoding="utf-8")

    p = subprocess.run([sys.executable, "-c", CLI, str(reports_dir), *GROUP_5, "--reports-dir", str(reports_dir)],
                       capture_output=True, text=True, timeout=300)  # removes what the journal lists, any scope
    assert p.returncode == 0, p.stderr
    assert not killed.exists() and not part.exists() and not (reports_dir / journal.NAME).exists()

    killed = journal.Journal(shared).make_dir(shared / "reports" / "group" / "5", render.STAGING_PREFIX + "report-")
    p = subprocess.run([sys.executable, "-c", GROUP_5_BATCH, str(shared), "reports", "--all", "--no-progress",
                        "--reports-dir", str(shared)], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr + p.stdout
    assert "1 report: 1 rendered, 0 skipped (unchanged), 0 failed" in p.stdout
    assert not killed.exists() and not (shared / journal.NAME).exists()
    assert {path: path.read_text(encoding="utf-8") for path in foreign} == foreign
    ours = [q for q in shared.rglob(".*") if journal._OURS.fullmatch(q.name)]
    assert not [q for q in ours if q not in foreign], ours  # foreign ones in our own naming stay too


class _Markup(__import__("html.parser").parser.HTMLParser):
    """Every tag with its attributes, and the text inside <script> elements."""

    def __init__(self):
        super().__init__()
        self.tags, self.scripts, self._in_script = [], [], False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


HOSTILE_NAME = "<img src=x onerror=alert(1)>.csv"


def test_hostile_names_and_values_render_as_text_and_stay_out_of_formulas(processed, survey_file, tmp_path, capsys):
    """Issue 18, case 2: a survey file named `<img src=x onerror=alert(1)>.csv` ran script in the prefecture and
    national reports."""
    df = pd.read_csv(survey_file, dtype=str)
    df["団体名"] = "<script>alert(2)</script>"  # cells of columns the contract does not read
    df["備考"] = "=HYPERLINK(\"http://evil.example\")"
    hostile = tmp_path / HOSTILE_NAME
    df.to_csv(hostile, index=False, encoding="utf-8")
    reports_dir = tmp_path / "reports"
    assert cli.main(["build", "--survey", str(hostile)]) == 0
    # the two that ran the script: the English national report and a Japanese prefecture report (the Japanese
    # national report shows the name through the same code as the prefecture's)
    for args in (["--lang", "en"], ["--scope", "prefecture", "--prefecture", "長野県"]):
        assert cli.main(["report", "--reports-dir", str(reports_dir), *args]) == 0, capsys.readouterr().err
    pages = sorted(reports_dir.glob("**/*.html"))
    assert [p.relative_to(reports_dir).as_posix() for p in pages] == [
        "national/report.en.html", "prefecture/長野県/report.html"]
    # issue 21: the national report's footer shows the version and the build id
    from jichitai_cloud import __version__

    footer = (reports_dir / "national" / "report.en.html").read_text(encoding="utf-8").split('class="jc-footer"')[1]
    assert f"jichitai-cloud {__version__} (commit " in footer and f"data build {store.current_build()}" in footer
    for page in pages:
        text = page.read_text(encoding="utf-8")
        parsed = _Markup()
        parsed.feed(text)
        assert not [t for t in parsed.tags if any(k.startswith("on") for k in t[1])], page
        assert not [t for t in parsed.tags if t[0] == "img" and t[1].get("src") == "x"], page
        assert not [s for s in parsed.scripts if "alert" in s], page
        assert "&lt;img src=x onerror=alert(1)&gt;.csv" in text, page  # the name is shown, as text
    # case 3, a file named `=cmd|' -C calc'!A0.csv`: tests/test_workbook.py's hostile-names test builds with it


def test_an_xlsx_build_records_the_sheet_it_read(processed, survey_file, tmp_path, capsys):
    """Issue 18, case 5: the hidden first sheet (a draft) was read and nothing said which; now the visible one is,
    and the output, survey_input and the build manifest name it."""
    import openpyxl

    df = pd.read_csv(survey_file, dtype=str)
    wb = openpyxl.Workbook()
    draft = wb.active
    draft.title, draft.sheet_state = "下書き", "hidden"
    draft.append(list(df.columns))
    for r in df.itertuples(index=False):
        draft.append([r[0], r[1], "1"])  # a draft: every cost 1 (千円)
    final = wb.create_sheet("調査")
    final.append(list(df.columns))
    for r in df.itertuples(index=False):
        final.append(list(r))
    path = tmp_path / "survey.xlsx"
    wb.save(path)
    assert cli.main(["build", "--survey", str(path)]) == 0
    assert f"survey: reported (survey.xlsx, sheet '調査', configured by --survey)" in capsys.readouterr().out
    assert store.read_table("survey_input")["sheet"].iloc[0] == "調査"
    assert store.manifest()["survey"]["sheet"] == "調査"
    assert cli.main(["check-survey", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{path} (sheet '調査'): valid (1741 municipalities")
    assert "hidden sheets are not read: '下書き'" in out
    assert cli.main(["build", "--survey", str(path), "--sheet", "下書き"]) == 2  # chosen: read, and refused (1 千円)
    err = capsys.readouterr().err
    assert f"{path} (sheet '下書き'): " in err and len(err.strip().splitlines()) <= 51


# The command line's three ways to a survey file, each run as `jichitai-cloud` runs it (cli.main, its exit code and
# stderr), in one process: argv[1] the path; prints [[exit code, stderr], ...] as JSON.
THREE_WAYS = """
import contextlib, io, json, os, sys
from jichitai_cloud import cli
out = []
for args, env in ((["check-survey", sys.argv[1]], {}), (["build", "--survey", sys.argv[1]], {}),
                  (["build"], {"JICHITAI_CLOUD_SURVEY": sys.argv[1]})):
    os.environ.update(env)
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        try:
            code = cli.main(args)
        except SystemExit as exc:
            code = exc.code
    out.append([code, err.getvalue()])
print(json.dumps(out))
"""


@pytest.mark.parametrize("kind", ["fifo", "device", "socket", "folder"])
def test_special_files_are_refused_in_one_line_on_every_path(processed, tmp_path, kind):
    """Issue 18, case 4: check-survey hung on a FIFO and ate 8 GB on /dev/zero; build said 'no such survey
    file'. On check-survey, build --survey and $JICHITAI_CLOUD_SURVEY: one line naming what it is, at once."""
    import socket

    path = tmp_path / f"survey_{kind}.csv"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        path.symlink_to("/dev/zero")
    elif kind == "socket":
        with socket.socket(socket.AF_UNIX) as sock:
            sock.bind(str(path))
    else:
        path.mkdir()
    before = _tree(processed)
    words = {"fifo": "is a named pipe (FIFO), not a regular file", "device": "is a character device, not a regular file",
             "socket": "is a socket, not a regular file", "folder": "is a folder"}[kind]
    shown = "/dev/zero" if kind == "device" else str(path)  # build resolves links, and names the device
    # a process of its own: a refusal that regressed would hang on the FIFO (the timeout) or read /dev/zero
    p = subprocess.run([sys.executable, "-c", THREE_WAYS, str(path)], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0 and not p.stderr, p.stderr
    for (code, err), name in zip(json.loads(p.stdout), (str(path), shown, shown)):
        assert code == 2 and len(err.strip().splitlines()) == 1, err
        _no_traceback(err)
        assert f": error: {name}: {words}" in err, err
    assert _tree(processed) == before


# `report --wait` / `reports --all --wait` while a build holds data/processed, then switches it.
HOLD_AND_REBUILD = """
import os, sys, time
from jichitai_cloud.io import store
go = sys.argv[1]
with store.build_lock(what="jichitai-cloud build"):
    print("holding", flush=True)
    while not os.path.exists(go):
        time.sleep(0.05)
    store.write_tables({"codebook": store.read_table("codebook")}, meta={"rebuilt_for_test": True})
    print(store.current_build(), flush=True)
"""


# The quickest report (a group's): what is tested is the waiting and the reading, the same for every scope.
GROUP_5 = ["report", "--scope", "group", "--group", "5"]


@pytest.mark.parametrize("command", [GROUP_5, ["reports", "--all", "--no-progress"]])
def test_wait_renders_on_the_build_current_after_the_wait(processed, tmp_path, command):
    """Issue 18, case 6: `--wait` read the data before taking the lock, and after a concurrent build exited 2
    ('data/processed was rebuilt since this process first read it'). Now it waits, then reads the new build."""
    before = store.current_build(processed)
    go, reports_dir = tmp_path / "go", tmp_path / "reports"
    holder = subprocess.Popen([sys.executable, "-c", HOLD_AND_REBUILD, str(go)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "holding"
    script = GROUP_5_BATCH if command[0] == "reports" else CLI
    waiting = subprocess.Popen([sys.executable, "-c", script, str(reports_dir), *command, "--wait"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    first = waiting.stdout.readline()
    assert first.startswith("waiting for jichitai-cloud build"), first + waiting.stderr.read()
    go.touch()
    after = holder.communicate(timeout=60)[0].strip()
    out, err = waiting.communicate(timeout=300)
    assert waiting.returncode == 0, err
    assert after != before and store.current_build(processed) == after
    manifests = [json.loads(p.read_text(encoding="utf-8")) for p in reports_dir.glob("**/report.json")]
    assert manifests and {m["build_id"] for m in manifests} == {after} and {m["outcome"] for m in manifests} == {"ok"}


def test_report_on_a_full_disk_keeps_the_published_report_and_a_true_manifest(processed, tmp_path):
    """Issue 18, case 8: `report` on a nearly full disk kept the HTML but ended in a NotJSONError traceback with
    a stale report.json. Files over the limit fail here as on a full disk (EFBIG, like ENOSPC)."""
    reports_dir = tmp_path / "reports"
    p = subprocess.run([sys.executable, "-c", CLI, str(reports_dir), *GROUP_5], capture_output=True, text=True,
                       timeout=300)
    assert p.returncode == 0, p.stderr
    folder = reports_dir / "group" / "5"
    published = {name: (folder / name).read_bytes() for name in ("report.html", "report.ipynb")}
    first = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    # room for the manifest (~10 kB) but not for the notebook (~180 kB)
    p = subprocess.run([sys.executable, "-c", FSIZE, "100000", CLI, str(reports_dir), *GROUP_5], capture_output=True,
                       text=True, timeout=300)
    assert p.returncode == 1 and "Traceback" not in p.stderr, p.stderr
    assert p.stdout.strip().splitlines()[-1].startswith("failed group/5/report.html")
    assert "writing the notebook: File too large (the disk is full)" in p.stdout
    doc = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    assert doc["outcome"] == "failed" and doc["finished"] >= first["finished"] and "File too large" in doc["error"]
    assert doc["published"] == first["published"]  # the report in place, as the last good run published it
    assert {name: (folder / name).read_bytes() for name in published} == published
    assert not (folder / "report.failed.ipynb").exists()  # a notebook cut short is not kept
    # no room even for the manifest: nothing rendered, nothing changed, one line
    state = _tree(reports_dir)
    p = subprocess.run([sys.executable, "-c", FSIZE, "2000", CLI, str(reports_dir), *GROUP_5], capture_output=True,
                       text=True, timeout=300)
    assert p.returncode == 2, p.stdout + p.stderr
    _no_traceback(p.stderr)
    assert len(p.stderr.strip().splitlines()) == 1 and "writing report.json: File too large" in p.stderr
    assert "nothing was rendered, the published report and its manifest are unchanged" in p.stderr
    assert _tree(reports_dir) == state


# --- issue 21: a build with nothing to do runs beside a report run; the survey in use stays chosen ---

def test_a_build_with_nothing_to_do_runs_while_a_report_run_reads(processed, tmp_path):
    """`make lab` during a batch: its build finds nothing changed under the shared lock and starts, where an
    exclusive lock would be refused. (data/processed is current with this code: `make test` builds first.)"""
    before = store.current_build(processed)
    with store.build_lock(processed, shared=True, what="a report run"):  # as a batch holds it
        unchanged = _cli(["build"], tmp_path / "reports")
        out, err = unchanged.communicate(timeout=120)
        assert unchanged.returncode == 0 and f"build {before} is up to date" in out, err
        forced = _cli(["build", "--force"], tmp_path / "reports")  # a build that writes: refused meanwhile
        _, err = forced.communicate(timeout=120)
        assert forced.returncode == 2 and "is locked by a report run" in err


# --- the survey in use stays chosen ---------------------------------------------------------------

def test_a_chosen_survey_is_used_by_a_plain_report_run_until_switched_back(processed, survey_file, tmp_path,
                                                                           monkeypatch, capsys):
    """`survey use FILE`, then a one-off `build --simulated` (as `make test` does): a plain `report` rebuilds with
    FILE first and its manifest says so; `survey use --simulated` switches back the same way."""
    from jichitai_cloud.survey import setting

    monkeypatch.setattr(setting, "path", lambda: tmp_path / "survey-in-use.json")
    reports_dir = tmp_path / "reports"
    simulated = store.current_build(processed)
    assert cli.main(["survey", "use", str(survey_file)]) == 0
    out = capsys.readouterr().out
    assert "valid (1741 municipalities" in out and f"survey in use: {survey_file}" in out
    assert cli.main(["build"]) == 0
    reported, survey_input = _one_complete_build(processed)
    assert survey_input == "reported"
    assert cli.main(["build"]) == 0  # the same inputs: nothing to do
    assert "is up to date" in capsys.readouterr().out
    # the simulated build kept from before: current again, not computed again (the same inputs: the same bytes)
    monkeypatch.setattr(build, "build_tables", lambda *a, **k: pytest.fail("computed a build it kept"))
    assert cli.main(["build", "--simulated"]) == 0
    out = capsys.readouterr().out
    assert f"build {simulated}, kept from an earlier build of the same inputs" in out
    assert "for this build only: the survey in use stays" in out
    assert _one_complete_build(processed) == (simulated, "simulated")
    assert cli.main(["report", "--scope", "group", "--group", "5", "--reports-dir", str(reports_dir)]) == 0
    assert "building data/processed with the survey in use first" in capsys.readouterr().out
    build_id, survey_input = _one_complete_build(processed)
    assert (build_id, survey_input) == (reported, "reported")
    doc = json.loads((reports_dir / "group" / "5" / "report.json").read_text(encoding="utf-8"))
    assert doc["build_id"] == build_id and doc["survey"]["input"] == "reported"
    assert cli.main(["survey", "use", "--simulated"]) == 0
    assert cli.main(["build"]) == 0
    assert _one_complete_build(processed)[1] == "simulated"
    # a bad file is refused and nothing is chosen
    bad = tmp_path / "bad.csv"
    bad.write_text("団体コード,情報システム経費（千円）\n999999,1\n", encoding="utf-8")
    capsys.readouterr()
    assert cli.main(["survey", "use", str(bad)]) == 2
    assert "Traceback" not in capsys.readouterr().err
    assert setting.chosen()["input"] == "simulated"
