"""Stage 7b, rendering: executing the report template with papermill and writing HTML, one report or all.

A report is ``notebooks/report.ipynb`` executed with papermill on the ``jichitai-cloud``
kernel and converted to HTML with the code hidden (:mod:`pages`). Parameters are validated before any
kernel starts (:func:`params.validate`). Outputs are written in a staging folder and published only
when the report succeeded (:mod:`worker`): a report that fails keeps the previous good HTML (its failed
notebook goes beside it as ``report.failed.ipynb``), and its manifest and the index (:mod:`index`) say
so. Every run writes a manifest (JSON) beside the report.

A run (one report or a batch) holds the reports lock (``reports/.batch.lock``, exclusive)
and the data/processed lock shared (see :mod:`locks`): no build can switch the data while it
runs. It verifies the current build (every table's sha256) and pins it: its kernels read that
build and nothing else (``$JICHITAI_CLOUD_BUILD``), and every manifest names it.

A batch (:func:`render_batch`) runs one worker process per usable core (fewer when memory is
short). Each worker keeps one kernel alive (retrying a kernel that fails to start) and renders
its share of the reports through papermill on it, clearing the kernel's namespace between
reports: the imports and the kernel start-up are paid once per worker, not once per report.
Workers die with the batch: the kernel sends them SIGKILL when the batch process dies (Linux
``PR_SET_PDEATHSIG``; a watchdog thread elsewhere), and their kernels exit when their worker
has gone (ipykernel's parent poller). A new batch first waits until no worker of an old one
is alive (``reports/.workers.lock``), so it never races an old batch's writes.

A batch redoes only what changed (:mod:`runs`): a report whose last run succeeded with the same inputs
(build, template, code, parameters and language) and whose published files still verify is skipped, unless
``force``; a rerun after a killed batch renders what is missing or stale. Every batch writes its record,
``run.json`` beside the index: at the start, and at the end with every report's outcome and reason.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

from jichitai_cloud import paths
from jichitai_cloud.errors import LockError, ParameterError  # noqa: F401  (LockError: for callers)
from jichitai_cloud.io.journal import Journal, write_atomic
from jichitai_cloud.io.locks import FileLock
from jichitai_cloud.io.processes import die_with_parent as _die_with_parent
from jichitai_cloud.io.processes import usable_cores, without_main_script
from jichitai_cloud.registry import vocab
from jichitai_cloud.report import jobs, params, runs
from jichitai_cloud.report.index import write_index
from jichitai_cloud.report.pages import to_html  # noqa: F401  (the page of a report: for callers)
from jichitai_cloud.report.provenance import now
from jichitai_cloud.report.worker import STAGING_PREFIX  # noqa: F401  (the staging folders' prefix: for callers)
from jichitai_cloud.report.worker import Result, Worker, check_kernel, kernel_manager_class, light_jupyter_imports
from jichitai_cloud.report.worker import published_of

KERNEL_NAME = jobs.KERNEL_NAME
TEMPLATE = jobs.TEMPLATE
LOCK_NAME = ".batch.lock"
WORKERS_LOCK_NAME = ".workers.lock"
OLD_WORKERS_TIMEOUT = 60  # seconds a new batch waits for an old batch's workers to be gone
WORKER_MEMORY_BYTES = 800 * 2 ** 20  # one worker and its kernel: peak RSS measured ~650 MB (national report)


# --- jobs ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Job:
    """One report to render: its validated parameters and where it goes."""

    params: dict

    @property
    def scope(self) -> str:
        return self.params["scope"]

    @property
    def key(self) -> str:
        """The report's path under reports/ without the file name: national, prefecture/長野県, group/12."""
        if self.scope == "prefecture":
            return f"prefecture/{self.params['prefecture']}"
        if self.scope == "group":
            return f"group/{self.params['group_id']}"
        return "national"

    @property
    def stem(self) -> str:
        """'report' for Japanese (the default), 'report.en' for English: both can sit side by side."""
        return "report" if self.params["lang"] == "ja" else f"report.{self.params['lang']}"

    def html_path(self, reports_dir: Path) -> Path:
        return reports_dir / self.key / f"{self.stem}.html"


def job(**parameters) -> Job:
    """A Job from untrusted parameters (validated here, before any kernel starts)."""
    return Job(params.validate(**parameters))


def all_jobs(lang: str = "ja", **common) -> list[Job]:
    """The national report, one per prefecture (47) and one per joint-cloud group (70), in each language of
    ``lang`` ('ja', 'en', 'ja,en' or 'both': :func:`params.langs`), the languages of a report side by side."""
    from jichitai_cloud.io import store

    scopes = [{"scope": "national"}] + [{"scope": "prefecture", "prefecture": p} for p in vocab.PREFECTURES]
    scopes += [{"scope": "group", "group_id": int(r["group_id"])} for r in store.read_records("cloud_groups")]
    return [job(**where, lang=code, **common) for where in scopes for code in params.langs(lang)]


# --- locks and resources ------------------------------------------------------------------------------

class ReportsLock(FileLock):
    """The reports lock (``reports/.batch.lock``): one report run (a batch or a single report) at a time."""

    def __init__(self, reports_dir: Path | None = None, wait: bool = False):
        super().__init__((reports_dir or paths.REPORTS_DIR) / LOCK_NAME, "a report run", wait=wait,
                         busy_hint="another report run is in progress: wait for it to finish, or pass --wait")


def available_memory() -> int | None:
    """MemAvailable (bytes) from /proc/meminfo; None where there is none."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def worker_count(requested: int | None = None, log=print) -> int:
    """Workers for a batch: ``requested`` (at least 1), capped at the usable cores and at the memory
    available for WORKER_MEMORY_BYTES each, with a message when capped. Default: the cap."""
    if requested is not None and requested < 1:
        raise ParameterError(f"--workers must be at least 1; got {requested}")
    cores = usable_cores()
    memory = available_memory()
    by_memory = max(1, memory // WORKER_MEMORY_BYTES) if memory is not None else cores
    cap = max(1, min(cores, by_memory))
    if requested is not None and requested > cap:
        why = (f"{cores} usable core{'s' if cores > 1 else ''}" if cap == cores else
               f"{memory / 2 ** 30:.1f} GB of memory available, about {WORKER_MEMORY_BYTES / 2 ** 20:,.0f} MB per "
               f"worker")
        log(f"--workers {requested}: capped at {cap} ({why})")
    return min(requested, cap) if requested is not None else cap


def _clean_leftovers(reports_dir: Path, wait: float = OLD_WORKERS_TIMEOUT, quiet: bool = False) -> None:
    """Remove what earlier runs staged and left (a killed run's staging folders and .part files), as
    their journal lists them: never a file found by its name (other programs' files stay). Called
    holding the reports lock, once no batch worker is alive (``reports/.workers.lock``, exclusive):
    nothing can be writing them. ``quiet``: on the way out, a busy workers lock skips the cleaning
    (the next run does it) instead of raising."""
    try:
        with FileLock(reports_dir / WORKERS_LOCK_NAME, "a report run", wait=True, timeout=wait,
                      busy_hint="workers of an earlier batch are still running"):
            Journal(reports_dir).clean()
    except LockError:
        if not quiet:
            raise


# --- one report ---------------------------------------------------------------------------------------

def _start_run(reports_dir: Path, build_id: str | None, wait: bool, log) -> tuple[list, str]:
    """Take the locks of a run (reports exclusive, data/processed shared) and verify and pin the build.

    Returns the locks taken (release them in reverse order) and the build id. Raises a
    JichitaiError, holding nothing, when a lock is busy or the build is missing or damaged.
    """
    from jichitai_cloud.io import store

    taken = []
    try:
        for lock in (ReportsLock(reports_dir, wait=wait),
                     store.build_lock(shared=True, wait=wait, what="a report run", log=log)):
            taken.append(lock.acquire())
        current = store.check_build()
        if build_id is not None and current != build_id:
            raise store.StoreError(f"data/processed changed before the reports started (build {build_id} was "
                                   f"wanted, {current} is current); run the command again")
        return taken, current
    except BaseException:
        for lock in reversed(taken):
            lock.release()
        raise


def render_one(j: Job | dict, reports_dir: Path | None = None, log=print, build_id: str | None = None,
               wait: bool = False) -> Result:
    """Render one report in this process (a kernel of its own), holding the run's locks.

    ``j``: a Job, or the report's parameters, validated once the locks are held (they are checked
    against the build: with ``wait``, against the build that is current after the wait)."""
    reports_dir = reports_dir or paths.REPORTS_DIR
    taken, build_id = _start_run(reports_dir, build_id, wait, log)
    try:
        j = j if isinstance(j, Job) else job(**j)
        _clean_leftovers(reports_dir)
        with Worker(reports_dir, log, build_id) as w:
            result = w.render(j, runs.run_info(build_id))
    finally:
        _clean_leftovers(reports_dir, wait=5, quiet=True)
        for lock in reversed(taken):
            lock.release()
    log(result.line())
    return result


# --- all reports --------------------------------------------------------------------------------------

def _worker_main(jobs_q, results_q, reports_dir: str, run: runs.RunInfo, parent_pid: int, build_id: str,
                 processed_dir: str) -> None:
    """A worker process: one kernel, reports from the queue until the sentinel. Dies with its parent."""
    from jichitai_cloud.io import store

    _die_with_parent(parent_pid)
    light_jupyter_imports()
    # Read what the batch reads: its data/processed, its build (the worker's own reads and its kernel's).
    paths.PROCESSED_DIR = Path(processed_dir)
    os.environ[paths.PROCESSED_ENV] = processed_dir
    os.environ[store.BUILD_ENV] = build_id
    try:
        workers_lock = FileLock(Path(reports_dir) / WORKERS_LOCK_NAME, "a report batch worker", shared=True)
        with workers_lock, store.build_lock(shared=True, what="a report batch worker"), \
                Worker(Path(reports_dir), build_id=build_id) as w:
            while True:
                j = jobs_q.get()
                if j is None:
                    return
                try:
                    results_q.put(w.render(Job(j), run))
                except Exception as exc:  # noqa: BLE001 - report it, keep the batch going
                    results_q.put(Result(Job(j).key, Job(j).stem, j, "failed", 0.0,
                                         f"{type(exc).__name__}: {exc}".splitlines()[0][:300], build_id=build_id))
    except Exception as exc:  # noqa: BLE001 - no kernel at all: tell the parent
        results_q.put(("worker-failed", f"{type(exc).__name__}: {exc}", traceback.format_exc()))


def render_batch(jobs, reports_dir: Path | None = None, workers: int | None = None,
                 progress: bool | None = None, log=print, build_id: str | None = None,
                 wait: bool = False, force: bool = False) -> list[Result]:
    """Render every job that changed across worker processes; write reports/index.html and the run record
    (reports/run.json). Returns the results, in the jobs' order: ok (rendered), skipped or failed.

    ``jobs``: a list of Jobs, or a function returning it (called once the locks are held, so that
    with ``wait`` the jobs are read from the build that is current after the wait). A job whose last
    run is current and whose published files verify is skipped (:func:`runs.stale`), unless ``force``.
    A report that fails is recorded (its previous HTML stays) and the others go on. ``progress``: a
    progress bar (default: when stderr is a terminal), else one log line per report rendered.
    ``build_id``: the build the caller expects (refused if another is current). Nothing is rendered,
    and nothing published is touched, when a lock is busy or the build is damaged.
    """
    reports_dir = reports_dir or paths.REPORTS_DIR
    workers = worker_count(workers, log)
    progress = sys.stderr.isatty() if progress is None else progress
    taken, build_id = _start_run(reports_dir, build_id, wait, log)
    record, results, stopped = None, [], "interrupted"
    try:
        jobs = jobs() if callable(jobs) else jobs
        # No worker of an earlier batch may still be alive (they die with their batch; this makes sure; none
        # can then change what is published while it is checked), and what a killed run staged goes.
        _clean_leftovers(reports_dir)
        run = runs.run_info(build_id)
        reasons = {(j.key, j.stem): runs.FORCED if force else
                   runs.stale(reports_dir / j.key / f"{j.stem}.json", reports_dir / j.key,
                              runs.report_inputs(run.inputs, j.params)) for j in jobs}
        todo = [j for j in jobs if reasons[(j.key, j.stem)]]
        workers = max(1, min(workers, len(todo)))
        record = runs.RunRecord(reports_dir, build_id, run.survey, run.commit, now(), force, workers if todo else 0)
        unwritten = record.write()
        if unwritten:
            log(unwritten)
        results += [_skipped(j, reports_dir, build_id) for j in jobs if not reasons[(j.key, j.stem)]]
        if results and todo:
            log(f"{len(jobs)} reports: {len(results)} unchanged since their last run (skipped), {len(todo)} to render")
        if todo:
            check_kernel()
            _run_workers(todo, reports_dir, workers, progress, log, build_id, run, results)
        for r in results:
            r.reason = r.reason or reasons[(r.key, r.stem)]
        order = {(j.key, j.stem): i for i, j in enumerate(jobs)}
        results.sort(key=lambda r: order[(r.key, r.stem)])
        write_index(results, reports_dir, run.survey, build_id)
        stopped = ""
    except BaseException as exc:
        stopped = "interrupted" if isinstance(exc, KeyboardInterrupt) else f"{type(exc).__name__}: {exc}"
        raise
    finally:
        if record is not None:
            unwritten = record.finish(results, now(), stopped=stopped, planned=len(jobs))
            if unwritten:
                log(unwritten)
        _clean_leftovers(reports_dir, wait=10, quiet=True)  # the workers have gone (or were killed)
        for lock in reversed(taken):
            lock.release()
    return results


def _skipped(j: Job, reports_dir: Path, build_id: str) -> Result:
    """A report not rendered again: its last run is current and its files verify."""
    return Result(j.key, j.stem, j.params, "skipped", 0.0, build_id=build_id, reason=runs.UNCHANGED,
                  published=published_of(reports_dir / j.key / f"{j.stem}.json", j.html_path(reports_dir)))


def _run_workers(jobs, reports_dir, workers, progress, log, build_id, run, results: list[Result]) -> None:
    """Render ``jobs`` on ``workers`` processes, adding each result to ``results`` as it comes (so that an
    interrupted batch's record still lists what was done)."""
    ctx = mp.get_context("spawn")
    jobs_q, results_q = ctx.Queue(), ctx.Queue()
    for j in jobs:
        jobs_q.put(j.params)
    for _ in range(workers):
        jobs_q.put(None)
    procs = [ctx.Process(target=_worker_main, args=(jobs_q, results_q, str(reports_dir), run, os.getpid(), build_id,
                                                    str(paths.PROCESSED_DIR)),
                         daemon=False)
             for _ in range(workers)]
    with without_main_script():
        for p in procs:
            p.start()
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(jobs), unit="report", file=sys.stderr)
    count = 0
    finished = False
    try:
        while count < len(jobs):
            try:
                item = results_q.get(timeout=5)
            except queue.Empty:
                if not any(p.is_alive() for p in procs):
                    break
                continue
            if isinstance(item, tuple) and item and item[0] == "worker-failed":
                log(f"a worker could not start its kernel: {item[1]}")
                continue
            results.append(item)
            count += 1
            if bar is not None:
                bar.update(1)
                if item.outcome != "ok":
                    bar.write(item.line())
            else:
                log(f"[{count}/{len(jobs)}] {item.line()}")
        finished = True
    finally:
        if bar is not None:
            bar.close()
        for p in procs:
            if finished:
                p.join(timeout=60)
            if p.is_alive():  # interrupted (or stuck): workers never outlive the batch
                p.kill()
                p.join(timeout=10)
    done = {(r.key, r.stem) for r in results}
    for j in jobs:  # whatever no worker could take (every kernel failed to start)
        if (j.key, j.stem) not in done:
            results.append(Result(j.key, j.stem, j.params, "failed", 0.0, "not run: no worker could start a kernel",
                                  build_id=build_id,
                                  published=published_of(reports_dir / j.key / f"{j.stem}.json",
                                                         j.html_path(reports_dir))))


# --- committed notebooks ------------------------------------------------------------------------------

def execute_in_place(path: Path, timeout: int = 600) -> None:
    """Re-execute a committed notebook top to bottom and save its outputs (for nbval).

    Uses the notebook's own kernel (``jichitai-cloud``) in the notebook's folder, as
    nbval does, and records no timing metadata so that re-runs give small diffs.
    """
    import nbformat
    from nbclient import NotebookClient

    check_kernel()
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name=KERNEL_NAME, record_timing=False,
                            kernel_manager_class=kernel_manager_class(),
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    nb.metadata.pop("widgets", None)
    write_atomic(path, nbformat.writes(nb) + "\n")
