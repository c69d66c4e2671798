"""Stage 7b, a report worker: one Jupyter kernel kept alive across reports, each rendered through papermill
and published only when it succeeded.

A :class:`Kernel` runs on Unix sockets (IPC) where the OS has them, reads the run's build and nothing else
(``$JICHITAI_CLOUD_BUILD``), and is retried when it fails to start; between reports its namespace is
cleared, so the imports and the start-up are paid once per worker. A :class:`Worker` renders one report at
a time: the manifest first (saying the run has not finished), the notebook and its HTML in a staging
folder, then the manifest of the success and the files put in place by renames. A report that fails keeps
the previous good HTML; its failed notebook goes beside it as ``report.failed.ipynb``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from jichitai_cloud import __version__, paths
from jichitai_cloud.errors import ReportError
from jichitai_cloud.io.journal import Journal, write_atomic
from jichitai_cloud.report import jobs, pages, runs
from jichitai_cloud.report.provenance import now

KERNEL_NAME = jobs.KERNEL_NAME
TEMPLATE = jobs.TEMPLATE
KERNEL_START_ATTEMPTS = 3
KERNEL_ARGUMENTS = ["--HistoryManager.enabled=False"]
EXECUTION_TIMEOUT = 600  # seconds per cell
STAGING_PREFIX = ".staging-"


def light_jupyter_imports() -> None:
    """Leave jsonschema's optional IRI format checker out of this process, before nbformat is imported.

    nbformat imports jsonschema, which imports that checker (rfc3987_syntax) when it is installed
    (JupyterLab's jupyter-events brings it); it compiles a lark grammar at import, 1.0 to 1.8 s per
    process on the two-core machine (``python -X importtime``: rfc3987_syntax.syntax_helpers), for a
    format no notebook schema uses (jsonschema issue #1428). Called by the command line, by every report
    worker and by the tests' processes (tests/conftest.py, tests/light_imports.py), which only read and
    write notebooks; a kernel is another process and unaffected, and so is JupyterLab."""
    sys.modules.setdefault("rfc3987_syntax", None)


# --- kernels ------------------------------------------------------------------------------------------

def kernel_manager_class():
    """Kernels for papermill/nbclient runs: on Unix sockets (IPC) where the OS has them.

    A local report kernel needs no TCP port: IPC leaves nothing for parallel runs to race
    for, nothing readable on the network, and no 'running over TCP without encryption'
    warning in scheduled logs. Socket files live in a private temporary folder.
    """
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import CaselessStrEnum, default

    class TrackingKernelManager(AsyncKernelManager):
        """Remembers the clients it issues, so that a long-lived kernel's clients can be closed.

        papermill/nbclient leave the clients of a kernel manager they do not own open.
        """

        def client(self, **kwargs):
            kc = super().client(**kwargs)
            self.__dict__.setdefault("_issued", []).append(kc)
            return kc

        def close_clients(self) -> None:
            for kc in self.__dict__.pop("_issued", []):
                if kc.channels_running:
                    kc.stop_channels()
                if getattr(kc, "_created_context", False) and not kc.context.closed:
                    kc.context.destroy(linger=0)

    if os.name != "posix":
        return TrackingKernelManager

    class IPCKernelManager(TrackingKernelManager):
        transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc", config=True)

        @default("ip")
        def _ip_default(self):
            if self.transport == "ipc":
                return os.path.join(tempfile.mkdtemp(prefix="jichitai-kernel-"), "kernel")
            return super()._ip_default()

        def cleanup_ipc_files(self) -> None:
            super().cleanup_ipc_files()
            if self.transport == "ipc":
                shutil.rmtree(os.path.dirname(self.ip), ignore_errors=True)

    return IPCKernelManager


def check_kernel() -> None:
    """Fail early, with the fix, when the project's Jupyter kernel is not registered."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    except NoSuchKernel:
        raise ReportError(
            f"the Jupyter kernel {KERNEL_NAME!r} is not registered in this environment; run `make setup` "
            f"(or: python tools/install_kernel.py)"
        ) from None


def kernel_env(build_id: str) -> dict:
    """The environment of a run's kernels: this data/processed and the run's build, pinned."""
    from jichitai_cloud.io import store

    return {**os.environ, paths.PROCESSED_ENV: str(paths.PROCESSED_DIR), store.BUILD_ENV: build_id}


class Kernel:
    """The project's kernel, reading the build ``build_id``: started (retried), kept, reset, stopped."""

    def __init__(self, build_id: str = "", log=None):
        self.build_id = build_id
        self.km = None
        self.starts = 0
        self.used = False  # whether the kernel has run a report (and needs a reset before the next)
        self.log = log or (lambda *_: None)

    def start(self) -> None:
        import asyncio

        last = None
        for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
            self.starts += 1
            km = kernel_manager_class()(kernel_name=KERNEL_NAME)
            try:
                # No input history: a report kernel has no use for it, and it would write into the user's
                # ~/.ipython (outside the run's files), and fail noisily there on a full disk.
                asyncio.run(km.start_kernel(cwd=str(paths.PROJECT_ROOT), env=kernel_env(self.build_id),
                                            extra_arguments=KERNEL_ARGUMENTS))
                self.km = km
                self.used = False
                return
            except Exception as exc:  # a kernel that fails to start is retried, then reported
                last = exc
                self.log(f"kernel failed to start (attempt {attempt} of {KERNEL_START_ATTEMPTS}): {exc}")
                time.sleep(0.5 * attempt)
        raise ReportError(f"the kernel failed to start {KERNEL_START_ATTEMPTS} times: {last}")

    def stop(self) -> None:
        import asyncio

        if self.km is not None:
            try:
                self.km.close_clients()
                asyncio.run(self.km.shutdown_kernel(now=True))
            except Exception:  # noqa: BLE001 - best effort on the way out
                pass
            self.km = None

    def ready(self) -> None:
        """A live kernel with a clean namespace: restarted if it died, reset if it ran a report."""
        if self.km is None or not _kernel_alive(self.km):
            self.stop()
            self.start()
        elif self.used:
            self._reset_namespace()
        self.used = True

    def _reset_namespace(self) -> None:
        """Clear the previous report's variables and figures (modules stay imported: that is the saving)."""
        import asyncio

        async def run():
            kc = self.km.client()
            kc.start_channels()
            try:
                await kc.wait_for_ready(timeout=60)
                await kc.execute_interactive("%reset -f\nimport matplotlib.pyplot as _plt\n_plt.close('all')\n"
                                             "del _plt", silent=True, timeout=60)
            finally:
                self.km.close_clients()

        asyncio.run(run())


def _kernel_alive(km) -> bool:
    import asyncio

    try:
        return bool(asyncio.run(km.is_alive()))
    except Exception:  # noqa: BLE001
        return False


# --- one report on the worker's kernel ------------------------------------------------------------------

@dataclass
class Result:
    key: str
    stem: str
    params: dict
    outcome: str  # ok (rendered) / skipped (unchanged: not rendered again) / failed
    seconds: float
    error: str = ""
    started: str = ""
    finished: str = ""
    kernel_starts: int = 0
    build_id: str = ""
    published: dict | None = None  # the HTML in place: this run's (ok) or the last good run's (failed), if any
    reason: str = ""  # why it was rendered (new, changed: ..., forced) or skipped (unchanged)

    def line(self) -> str:
        what = f"{self.key}/{self.stem}.html"
        if self.outcome == "skipped":
            return f"{self.outcome:6} {what} ({self.reason})"
        kept = (f" (the report of {self.published['finished']} stays published)"
                if self.outcome != "ok" and self.published else "")
        return f"{self.outcome:6} {what} ({self.seconds:.1f} s)" + (f": {self.error}" if self.error else "") + kept


class Worker:
    """A kernel kept alive across reports, reading the build ``build_id``. Use as a context manager."""

    def __init__(self, reports_dir: Path, log=None, build_id: str = ""):
        self.reports_dir = reports_dir
        self.build_id = build_id
        self.kernel = Kernel(build_id, log)

    def __enter__(self) -> Worker:
        check_kernel()
        self.kernel.start()
        return self

    def __exit__(self, *exc) -> None:
        self.kernel.stop()

    def render(self, job, run: runs.RunInfo) -> Result:
        """Execute one report (a :class:`render.Job`) of the run ``run``; publish its HTML and notebook only
        if it succeeded.

        The manifest is written first, saying that this run started and has not finished: a run
        that is killed, or stopped by a full disk, never leaves a manifest that describes an
        earlier run as the last one (a disk too full even for that stops the report here, with
        nothing changed). A successful run writes its manifest before it puts the HTML and the
        notebook in place, so the manifest never names a report that is not there; it records the
        report's inputs and the sha256 of both files, which a later batch verifies before it skips the report
        (:func:`runs.stale`).
        """
        target = self.reports_dir / job.key
        target.mkdir(parents=True, exist_ok=True)
        journal = Journal(self.reports_dir)
        record = _Record(job, self, target / f"{job.stem}.json", run, journal)
        html_path = target / f"{job.stem}.html"
        previous = published_of(record.path, html_path)
        unwritten = record.write(record.result("did not finish (stopped before its end)", previous))
        if unwritten:
            kept = "the published report and its manifest are unchanged" if previous else "nothing was published"
            raise ReportError(f"{job.key}/{job.stem}: {unwritten}; nothing was rendered, {kept}")
        staging = journal.make_dir(target, f"{STAGING_PREFIX}{job.stem}-")
        nb_path = staging / f"{job.stem}.ipynb"
        try:
            error = (execute(self.kernel, job, nb_path)
                     or convert(job, nb_path, staging, target, self.reports_dir, run))
            if not error:
                finished = now()
                published = {"report": html_path.name, "finished": finished, "build_id": self.build_id,
                             "sha256": runs.published_sha256({html_path.name: staging / "page.html",
                                                              f"{job.stem}.ipynb": nb_path})}
                error = record.write(record.result("", published, finished))
                if not error:  # the manifest says so: publish (renames in one folder: no space needed)
                    os.replace(staging / "page.html", html_path)
                    os.replace(nb_path, target / f"{job.stem}.ipynb")
                    (target / f"{job.stem}.failed.ipynb").unlink(missing_ok=True)
                    return record.result("", published, finished)
            if _readable(nb_path):  # the failed notebook beside the report; one cut short by a full disk is not kept
                os.replace(nb_path, target / f"{job.stem}.failed.ipynb")
            else:  # nor an earlier run's: it would pass for this one's
                (target / f"{job.stem}.failed.ipynb").unlink(missing_ok=True)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        failed = record.result(error, previous, now())
        unwritten = record.write(failed)
        if unwritten:  # the manifest written at the start stays: failed, the previous report in place
            failed.error = f"{error}; {unwritten}"
        return failed


def execute(kernel: Kernel, job, nb_path: Path) -> str:
    """Run the template with the job's parameters through papermill on ``kernel``; '' or the error."""
    import papermill

    kernel.ready()
    try:
        papermill.execute_notebook(
            str(TEMPLATE), str(nb_path), parameters=job.params, kernel_name=KERNEL_NAME, km=kernel.km,
            progress_bar=False, log_output=False, request_save_on_cell_execute=False,
            execution_timeout=EXECUTION_TIMEOUT)
    except papermill.PapermillExecutionError as exc:
        # exec_count is the long-lived kernel's running count: name the cell by its code instead
        code = (exc.source or "").strip().splitlines()
        return f"in `{code[0] if code else '?'}`: {exc.ename}: {exc.evalue}".splitlines()[0][:300]
    except OSError as exc:  # writing the notebook: a full disk (the kernel is fine)
        return f"writing the notebook: {os_error(exc)}"[:300]
    except Exception as exc:  # a dead kernel, a timeout: the report fails, the batch goes on
        kernel.stop()
        return f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
    finally:
        if kernel.km is not None:
            kernel.km.close_clients()
    return "" if nb_path.exists() else "papermill wrote no notebook"


def convert(job, nb_path: Path, staging: Path, target: Path, reports_dir: Path, run: runs.RunInfo) -> str:
    """The executed notebook renumbered, and its HTML with the footer of the run ``run`` (version, commit,
    build, survey, render date, how to cite), in the staging folder; '' or the error."""
    import nbformat

    try:
        nb = nbformat.read(nb_path, as_version=4)
        _renumber(nb)
        nbformat.write(nb, nb_path)
        font = pages.install_font_asset(reports_dir)
        lang = job.params["lang"]
        footer = pages.footer(lang, __version__, run.commit, run.build_id, run.survey, now(),
                              f"{job.stem}.json")
        page = pages.to_html(nb, jobs.title(job.params), lang, Path(os.path.relpath(font, target)).as_posix(),
                             footer=footer)
        (staging / "page.html").write_text(page, encoding="utf-8")
    except OSError as exc:
        return f"writing the HTML: {os_error(exc)}"[:300]
    except Exception as exc:  # noqa: BLE001 - a notebook cut short, no HTML: the report failed, nothing replaced
        return f"writing the HTML: {type(exc).__name__}: {exc}".splitlines()[0][:300]
    return ""


class _Record:
    """One report run's record: its :class:`Result` (timed from the start), and its manifest written beside
    the report (first when the run starts, again when it ends)."""

    def __init__(self, job, worker: Worker, path: Path, run: runs.RunInfo, journal: Journal):
        self.job, self.worker, self.path, self.journal, self.run = job, worker, path, journal, run
        self.inputs = runs.report_inputs(run.inputs, job.params)
        self.started, self.t0 = now(), time.perf_counter()

    def result(self, error: str, published: dict | None, finished: str = "") -> Result:
        return Result(self.job.key, self.job.stem, self.job.params, "failed" if error else "ok",
                      time.perf_counter() - self.t0, error, self.started, finished, self.worker.kernel.starts,
                      self.worker.build_id, published)

    def write(self, result: Result) -> str:
        """Write the manifest; '' or why it could not be written."""
        doc = {
            "report": f"{result.key}/{result.stem}.html", "parameters": result.params, "outcome": result.outcome,
            "error": result.error, "started": result.started, "finished": result.finished,
            "seconds": round(result.seconds, 3), "kernel_starts": result.kernel_starts,
            "published": result.published,
            "package_version": __version__, "git_commit": self.run.commit, "build_id": result.build_id,
            "survey": self.run.survey, "inputs_sha256": self.run.hashes,
            "inputs": self.inputs, "input_key": runs.input_key(self.inputs),
        }
        try:
            write_atomic(self.path, json.dumps(doc, ensure_ascii=False, indent=1, default=str) + "\n",
                               journal=self.journal)
            return ""
        except OSError as exc:
            return f"writing {self.path.name}: {os_error(exc)}"


def _readable(nb_path: Path) -> bool:
    """Whether a notebook file is there and whole (a write stopped by a full disk leaves it cut short)."""
    import nbformat

    try:
        nbformat.read(nb_path, as_version=4)
        return True
    except Exception:  # noqa: BLE001 - missing, cut short, not JSON: not a notebook to keep
        return False


def os_error(exc: OSError) -> str:
    """An OSError in words, with a hint for a full disk."""
    import errno

    words = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        words += " (the disk is full)"
    return words


def published_of(manifest_path: Path, html_path: Path) -> dict | None:
    """What the HTML in place is (from the previous run's manifest), or None when there is none."""
    if not html_path.is_file():
        return None
    try:
        doc = json.loads(manifest_path.read_text(encoding="utf-8"))
        return doc.get("published") or ({"report": html_path.name, "finished": doc["finished"],
                                         "build_id": doc.get("build_id", "")} if doc.get("outcome") == "ok" else None)
    except (OSError, ValueError, KeyError, AttributeError):
        mtime = dt.datetime.fromtimestamp(html_path.stat().st_mtime, dt.timezone.utc).astimezone()
        return {"report": html_path.name, "finished": mtime.isoformat(timespec="seconds"), "build_id": ""}



def _renumber(nb) -> None:
    """Execution counts from 1 in each report (the kernel's own count runs on across reports)."""
    n = 0
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.get("execution_count") is not None:
            n += 1
            cell.execution_count = n
            for out in cell.get("outputs", []):
                if "execution_count" in out:
                    out["execution_count"] = n
