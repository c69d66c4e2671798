"""Stage 6b, rendering: executing the report template with papermill and writing HTML, one report or all.

A report is ``notebooks/report.ipynb`` executed with papermill on the ``jichitai-cloud``
kernel and converted to HTML with the code hidden. Parameters are validated before any
kernel starts (:func:`jobs.validate_parameters`). Outputs are written in a staging folder
and published only when the report succeeded: a report that fails keeps the previous good
HTML (its failed notebook goes beside it as ``report.failed.ipynb``), and its manifest and
the index say so. Every run writes a manifest (JSON) beside the report.

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
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import multiprocessing as mp
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from jichitai_cloud import __version__, paths
from jichitai_cloud.io import escape, sources
from jichitai_cloud.report import jobs
from jichitai_cloud.registry import vocab
from jichitai_cloud.io.journal import Journal
from jichitai_cloud.errors import JichitaiError
from jichitai_cloud.io.locks import FileLock, LockError  # noqa: F401  (LockError: re-exported for callers)
from jichitai_cloud.io.processes import die_with_parent as _die_with_parent
from jichitai_cloud.io.processes import usable_cores
from jichitai_cloud.errors import ReportError

KERNEL_NAME = jobs.KERNEL_NAME
TEMPLATE = jobs.TEMPLATE
KERNEL_START_ATTEMPTS = 3
KERNEL_ARGUMENTS = ["--HistoryManager.enabled=False"]
EXECUTION_TIMEOUT = 600  # seconds per cell
LOCK_NAME = ".batch.lock"
WORKERS_LOCK_NAME = ".workers.lock"
OLD_WORKERS_TIMEOUT = 60  # seconds a new batch waits for an old batch's workers to be gone
WORKER_MEMORY_BYTES = 800 * 2 ** 20  # one worker and its kernel: peak RSS measured ~650 MB (national report)
FONT_ASSET = "assets/ipaexg.ttf"  # under reports/; IPAexGothic from matplotlib-fontja
STAGING_PREFIX = ".staging-"


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
            f"(or: python -m ipykernel install --sys-prefix --name {KERNEL_NAME})"
        ) from None


# --- HTML ---------------------------------------------------------------------------------------------

def install_font_asset(reports_dir: Path | None = None) -> Path:
    """Copy IPAexGothic (and its licence) to reports/assets/, the readers' fallback font.

    Browsers use a local Japanese font when they have one; on a machine without any
    (a bare Linux box), the report falls back to this file instead of showing boxes.
    """
    import matplotlib_fontja

    src = Path(matplotlib_fontja.get_font_ttf_path())
    reports_dir = reports_dir or paths.REPORTS_DIR
    target = reports_dir / FONT_ASSET
    target.parent.mkdir(parents=True, exist_ok=True)
    for f in (src, src.with_name("IPA_Font_License_Agreement_v1.0.txt")):
        dest = target.parent / f.name
        if not dest.exists() or dest.stat().st_size != f.stat().st_size:
            paths.write_atomic(dest, f.read_bytes(), journal=Journal(reports_dir))
    return target


_REMOTE_SCRIPTS = re.compile(r'<script src="https://cdnjs\.cloudflare\.com/[^"]+">\s*</script>\n?')
_FONTS = ('"Hiragino Sans", "Hiragino Kaku Gothic ProN", "Yu Gothic", Meiryo, "Noto Sans CJK JP", '
          '"Noto Sans JP", "IPAexGothic", "IPAexGothic-report", sans-serif')


@functools.lru_cache(maxsize=1)
def _exporter():
    """One HTML exporter per process (its templates load once): every input hidden."""
    from nbconvert import HTMLExporter

    quiet = logging.getLogger("jichitai_cloud.nbconvert")
    quiet.setLevel(logging.ERROR)  # its only warning is the missing alt text, supplied in to_html
    return HTMLExporter(template_name="lab", exclude_input=True, exclude_input_prompt=True,
                        exclude_output_prompt=True, log=quiet)


_PNG_IMG = re.compile(r'<img alt="[^"]*" ((?:class="[^"]*" )?src="data:image/png;base64,)')


def to_html(nb, title: str, lang: str = "ja", font_url: str | None = None) -> str:
    """The executed notebook as a standalone HTML page with every code input hidden.

    The page loads nothing from the network (nbconvert's CDN scripts for require.js
    and MathJax are removed: reports have neither widgets nor formulas), declares its
    language, gives every chart its title as alternative text, and prefers local
    Japanese fonts with ``font_url`` as the fallback.
    """
    nb.metadata["title"] = title
    alts = [o.get("metadata", {}).get("image/png", {}).get("alt") or title
            for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    body, _ = _exporter().from_notebook_node(nb)
    # nbconvert writes each PNG output as <img alt="..." class="" src="data:image/png;base64,...">, in order
    images = _PNG_IMG.findall(body)
    if len(images) != len(alts):
        raise ReportError(f"found {len(images)} images in the HTML but {len(alts)} PNG outputs")
    it = iter(alts)
    body = _PNG_IMG.sub(lambda m: f'<img alt="{escape.html(next(it))}" {m.group(1)}', body)
    body = _REMOTE_SCRIPTS.sub("", body)
    body = body.replace('<html lang="en">', f'<html lang="{lang}">', 1)
    face = (f'@font-face {{ font-family: "IPAexGothic-report"; src: url("{font_url}") format("truetype"); }}\n'
            if font_url else "")
    style = (f"<style>\n{face}:root {{ --jp-content-font-family: {_FONTS}; --jp-ui-font-family: {_FONTS}; }}\n"
             f".jp-Notebook *:not(pre):not(code) {{ font-family: {_FONTS}; }}\n"
             f".jp-Notebook {{ max-width: 1100px; }}\n</style>\n")
    if "</head>" not in body:
        raise ReportError("nbconvert's HTML has no </head>; cannot add the font declarations")
    return body.replace("</head>", style + "</head>", 1)


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


def job(**params) -> Job:
    """A Job from untrusted parameters (validated here, before any kernel starts)."""
    return Job(jobs.validate_parameters(**params))


def all_jobs(lang: str = "ja", **common) -> list[Job]:
    """The national report, one per prefecture (47) and one per joint-cloud group (70)."""
    from jichitai_cloud.io import store

    out = [job(scope="national", lang=lang, **common)]
    out += [job(scope="prefecture", prefecture=p, lang=lang, **common) for p in vocab.PREFECTURES]
    out += [job(scope="group", group_id=int(r["group_id"]), lang=lang, **common)
            for r in store.read_records("cloud_groups")]
    return out


# --- provenance of a run --------------------------------------------------------------------------------

def git_commit() -> str:
    """The repository's commit, with '+dirty' when tracked files differ; 'unknown' outside git."""
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=paths.PROJECT_ROOT, capture_output=True, text=True,
                              timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=paths.PROJECT_ROOT,
                               capture_output=True, text=True, timeout=10).stdout.strip()
        return head + ("+dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _rel(path: Path) -> str:
    path = Path(path)
    return str(path.relative_to(paths.PROJECT_ROOT)) if path.is_relative_to(paths.PROJECT_ROOT) else str(path)


def input_hashes(build_id: str | None = None) -> dict[str, str]:
    """sha256 of every input a report reads: the raw files, the template and the build's tables (from its
    manifest, which the run verified)."""
    from jichitai_cloud.io import store

    out = {}
    for f in [e.path for e in sources.manifest()] + [TEMPLATE]:
        out[_rel(f)] = sources.sha256_of(Path(f)) if Path(f).is_file() else "missing"
    doc = store.manifest(build_id=build_id)
    folder = paths.PROCESSED_DIR / store.BUILDS / doc["build_id"]
    for name, entry in sorted(doc["tables"].items()):
        out[_rel(folder / entry["parquet"]["file"])] = entry["parquet"]["sha256"]
    return out


def survey_provenance() -> dict:
    """The survey the pinned build used, as its manifest records it (file, sha256, generator, ...)."""
    from jichitai_cloud.io import store

    return dict(store.manifest(build_id=store.pinned_build())["survey"])


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).astimezone().isoformat(timespec="seconds")


# --- locks and resources ------------------------------------------------------------------------------

def ReportsLock(reports_dir: Path | None = None, wait: bool = False) -> FileLock:  # noqa: N802 (was a class)
    """The reports lock: one report run (a batch or a single report) at a time."""
    return FileLock((reports_dir or paths.REPORTS_DIR) / LOCK_NAME, "a report run", wait=wait,
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
        raise ReportError(f"--workers must be at least 1; got {requested}")
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


# --- a worker: one kernel, many reports -----------------------------------------------------------------

@dataclass
class Result:
    key: str
    stem: str
    params: dict
    outcome: str  # ok / failed
    seconds: float
    error: str = ""
    started: str = ""
    finished: str = ""
    kernel_starts: int = 0
    build_id: str = ""
    published: dict | None = None  # the HTML in place: this run's (ok) or the last good run's (failed), if any

    def line(self) -> str:
        what = f"{self.key}/{self.stem}.html"
        kept = (f" (the report of {self.published['finished']} stays published)"
                if self.outcome != "ok" and self.published else "")
        return f"{self.outcome:6} {what} ({self.seconds:.1f} s)" + (f": {self.error}" if self.error else "") + kept


def kernel_env(build_id: str) -> dict:
    """The environment of a run's kernels: this data/processed and the run's build, pinned."""
    from jichitai_cloud.io import store

    return {**os.environ, paths.PROCESSED_ENV: str(paths.PROCESSED_DIR), store.BUILD_ENV: build_id}


class Worker:
    """A kernel kept alive across reports, reading the build ``build_id``. Use as a context manager."""

    def __init__(self, reports_dir: Path, log=None, build_id: str = ""):
        self.reports_dir = reports_dir
        self.build_id = build_id
        self.km = None
        self.kernel_starts = 0
        self.used = False  # whether the kernel has run a report (and needs a reset before the next)
        self.log = log or (lambda *_: None)

    def __enter__(self) -> Worker:
        check_kernel()
        self._start_kernel()
        return self

    def __exit__(self, *exc) -> None:
        self._stop_kernel()

    def _start_kernel(self) -> None:
        import asyncio

        last = None
        for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
            self.kernel_starts += 1
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

    def _stop_kernel(self) -> None:
        import asyncio

        if self.km is not None:
            try:
                self.km.close_clients()
                asyncio.run(self.km.shutdown_kernel(now=True))
            except Exception:  # noqa: BLE001 - best effort on the way out
                pass
            self.km = None

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

    def render(self, job: Job, hashes: dict, survey_info: dict, commit: str) -> Result:
        """Execute one report; publish its HTML and notebook only if it succeeded (see the module).

        The manifest is written first, saying that this run started and has not finished: a run
        that is killed, or stopped by a full disk, never leaves a manifest that describes an
        earlier run as the last one (a disk too full even for that stops the report here, with
        nothing changed). A successful run writes its manifest before it puts the HTML and the
        notebook in place, so the manifest never names a report that is not there.
        """
        started, t0 = _now(), time.perf_counter()
        target = self.reports_dir / job.key
        target.mkdir(parents=True, exist_ok=True)
        journal = Journal(self.reports_dir)
        manifest_path = target / f"{job.stem}.json"
        html_path = target / f"{job.stem}.html"
        previous = _published(manifest_path, html_path)

        def result(error: str, published: dict | None, finished: str = "") -> Result:
            return Result(job.key, job.stem, job.params, "failed" if error else "ok", time.perf_counter() - t0,
                          error, started, finished, self.kernel_starts, self.build_id, published)

        def manifest(r: Result) -> str:
            """Write the manifest; '' or why it could not be written."""
            try:
                _write_manifest(manifest_path, r, hashes, survey_info, commit, journal)
                return ""
            except OSError as exc:
                return f"writing {manifest_path.name}: {_os_error(exc)}"

        unwritten = manifest(result("did not finish (stopped before its end)", previous))
        if unwritten:
            kept = "the published report and its manifest are unchanged" if previous else "nothing was published"
            raise ReportError(f"{job.key}/{job.stem}: {unwritten}; nothing was rendered, {kept}")
        staging = journal.make_dir(target, f"{STAGING_PREFIX}{job.stem}-")
        nb_path = staging / f"{job.stem}.ipynb"
        try:
            error = self._execute(job, nb_path) or self._convert(job, nb_path, staging, target)
            if not error:
                finished = _now()
                error = manifest(result("", {"report": html_path.name, "finished": finished,
                                             "build_id": self.build_id}, finished))
                if not error:  # the manifest says so: publish (renames in one folder: no space needed)
                    os.replace(staging / "page.html", html_path)
                    os.replace(nb_path, target / f"{job.stem}.ipynb")
                    (target / f"{job.stem}.failed.ipynb").unlink(missing_ok=True)
                    return result("", {"report": html_path.name, "finished": finished, "build_id": self.build_id},
                                  finished)
            if _readable(nb_path):  # the failed notebook beside the report; one cut short by a full disk is not kept
                os.replace(nb_path, target / f"{job.stem}.failed.ipynb")
            else:  # nor an earlier run's: it would pass for this one's
                (target / f"{job.stem}.failed.ipynb").unlink(missing_ok=True)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        failed = result(error, previous, _now())
        unwritten = manifest(failed)
        if unwritten:  # the manifest written at the start stays: failed, the previous report in place
            failed.error = f"{error}; {unwritten}"
        return failed

    def _execute(self, job: Job, nb_path: Path) -> str:
        """Run the template through papermill on this worker's kernel; '' or the error."""
        import papermill

        if self.km is None or not _kernel_alive(self.km):
            self._stop_kernel()
            self._start_kernel()
        elif self.used:
            self._reset_namespace()
        self.used = True
        try:
            papermill.execute_notebook(
                str(TEMPLATE), str(nb_path), parameters=job.params, kernel_name=KERNEL_NAME, km=self.km,
                progress_bar=False, log_output=False, request_save_on_cell_execute=False,
                execution_timeout=EXECUTION_TIMEOUT)
        except papermill.PapermillExecutionError as exc:
            # exec_count is the long-lived kernel's running count: name the cell by its code instead
            code = (exc.source or "").strip().splitlines()
            return f"in `{code[0] if code else '?'}`: {exc.ename}: {exc.evalue}".splitlines()[0][:300]
        except OSError as exc:  # writing the notebook: a full disk (the kernel is fine)
            return f"writing the notebook: {_os_error(exc)}"[:300]
        except Exception as exc:  # a dead kernel, a timeout: the report fails, the batch goes on
            self._stop_kernel()
            return f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
        finally:
            if self.km is not None:
                self.km.close_clients()
        return "" if nb_path.exists() else "papermill wrote no notebook"

    def _convert(self, job: Job, nb_path: Path, staging: Path, target: Path) -> str:
        """The executed notebook renumbered, and its HTML, in the staging folder; '' or the error."""
        import nbformat

        try:
            nb = nbformat.read(nb_path, as_version=4)
            _renumber(nb)
            nbformat.write(nb, nb_path)
            font = install_font_asset(self.reports_dir)
            page = to_html(nb, jobs.title(job.params), job.params["lang"], Path(os.path.relpath(font, target)).as_posix())
            (staging / "page.html").write_text(page, encoding="utf-8")
        except OSError as exc:
            return f"writing the HTML: {_os_error(exc)}"[:300]
        except Exception as exc:  # noqa: BLE001 - a notebook cut short, no HTML: the report failed, nothing replaced
            return f"writing the HTML: {type(exc).__name__}: {exc}".splitlines()[0][:300]
        return ""


def _readable(nb_path: Path) -> bool:
    """Whether a notebook file is there and whole (a write stopped by a full disk leaves it cut short)."""
    import nbformat

    try:
        nbformat.read(nb_path, as_version=4)
        return True
    except Exception:  # noqa: BLE001 - missing, cut short, not JSON: not a notebook to keep
        return False


def _os_error(exc: OSError) -> str:
    """An OSError in words, with a hint for a full disk."""
    import errno

    text = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        text += " (the disk is full)"
    return text


def _published(manifest_path: Path, html_path: Path) -> dict | None:
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


def _kernel_alive(km) -> bool:
    import asyncio

    try:
        return bool(asyncio.run(km.is_alive()))
    except Exception:  # noqa: BLE001
        return False


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


def _write_manifest(path: Path, result: Result, hashes: dict, survey_info: dict, commit: str,
                    journal: Journal | None = None) -> None:
    doc = {
        "report": f"{result.key}/{result.stem}.html", "parameters": result.params, "outcome": result.outcome,
        "error": result.error, "started": result.started, "finished": result.finished,
        "seconds": round(result.seconds, 3), "kernel_starts": result.kernel_starts,
        "published": result.published,
        "package_version": __version__, "git_commit": commit, "build_id": result.build_id, "survey": survey_info,
        "inputs_sha256": hashes,
    }
    paths.write_atomic(path, json.dumps(doc, ensure_ascii=False, indent=1, default=str) + "\n", journal=journal)


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
            result = w.render(j, input_hashes(build_id), survey_provenance(), git_commit())
    finally:
        _clean_leftovers(reports_dir, wait=5, quiet=True)
        for lock in reversed(taken):
            lock.release()
    log(result.line())
    return result


# --- all reports --------------------------------------------------------------------------------------

def _worker_main(jobs_q, results_q, reports_dir: str, hashes: dict, survey_info: dict, commit: str,
                 parent_pid: int, build_id: str, processed_dir: str) -> None:
    """A worker process: one kernel, reports from the queue until the sentinel. Dies with its parent."""
    from jichitai_cloud.io import store

    _die_with_parent(parent_pid)
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
                    results_q.put(w.render(Job(j), hashes, survey_info, commit))
                except Exception as exc:  # noqa: BLE001 - report it, keep the batch going
                    results_q.put(Result(Job(j).key, Job(j).stem, j, "failed", 0.0,
                                         f"{type(exc).__name__}: {exc}".splitlines()[0][:300], build_id=build_id))
    except Exception as exc:  # noqa: BLE001 - no kernel at all: tell the parent
        results_q.put(("worker-failed", f"{type(exc).__name__}: {exc}", traceback.format_exc()))


def render_batch(jobs, reports_dir: Path | None = None, workers: int | None = None,
                 progress: bool | None = None, log=print, build_id: str | None = None,
                 wait: bool = False) -> list[Result]:
    """Render every job across worker processes; write reports/index.html. Returns the results.

    ``jobs``: a list of Jobs, or a function returning it (called once the locks are held, so that
    with ``wait`` the jobs are read from the build that is current after the wait). A report that
    fails is recorded (its previous HTML stays) and the others go on. ``progress``: a progress bar
    (default: when stderr is a terminal), else one log line per report. ``build_id``: the build
    the caller expects (refused if another is current). Nothing is rendered, and nothing published
    is touched, when a lock is busy or the build is damaged.
    """
    reports_dir = reports_dir or paths.REPORTS_DIR
    workers = worker_count(workers, log)
    progress = sys.stderr.isatty() if progress is None else progress
    taken, build_id = _start_run(reports_dir, build_id, wait, log)
    try:
        jobs = jobs() if callable(jobs) else jobs
        workers = max(1, min(workers, len(jobs)))
        check_kernel()
        # No worker of an earlier batch may still be alive (they die with their batch; this makes sure),
        # and what a killed run staged goes.
        _clean_leftovers(reports_dir)
        hashes, survey_info, commit = input_hashes(build_id), survey_provenance(), git_commit()
        results = _run_workers(jobs, reports_dir, workers, progress, log, build_id, hashes, survey_info, commit)
        write_index(results, reports_dir, survey_info, build_id)
    finally:
        _clean_leftovers(reports_dir, wait=10, quiet=True)  # the workers have gone (or were killed)
        for lock in reversed(taken):
            lock.release()
    return results


def _run_workers(jobs, reports_dir, workers, progress, log, build_id, hashes, survey_info, commit) -> list[Result]:
    ctx = mp.get_context("spawn")
    jobs_q, results_q = ctx.Queue(), ctx.Queue()
    for j in jobs:
        jobs_q.put(j.params)
    for _ in range(workers):
        jobs_q.put(None)
    procs = [ctx.Process(target=_worker_main, args=(jobs_q, results_q, str(reports_dir), hashes, survey_info,
                                                    commit, os.getpid(), build_id, str(paths.PROCESSED_DIR)),
                         daemon=False)
             for _ in range(workers)]
    for p in procs:
        p.start()
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(jobs), unit="report", file=sys.stderr)
    results: list[Result] = []
    finished = False
    try:
        while len(results) < len(jobs):
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
            if bar is not None:
                bar.update(1)
                if item.outcome != "ok":
                    bar.write(item.line())
            else:
                log(f"[{len(results)}/{len(jobs)}] {item.line()}")
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
                                  published=_published(reports_dir / j.key / f"{j.stem}.json",
                                                       j.html_path(reports_dir))))
    order = {(j.key, j.stem): i for i, j in enumerate(jobs)}
    results.sort(key=lambda r: order[(r.key, r.stem)])
    return results


# --- the index ------------------------------------------------------------------------------------------

def index_rows(results: list[Result]) -> list[dict]:
    """One row per report of the batch: scope, name, members, population, joint-cloud share (real data),
    and its outcome. Members and share: the 2018-04 group list; population: 2017-01-01."""
    from jichitai_cloud.clean import municipalities
    from jichitai_cloud.io import store

    frame = store.read_table("municipalities")
    groups, members = store.read_table("cloud_groups"), store.read_table("cloud_group_members")
    shares = municipalities.joint_share_by_prefecture(frame).set_index("prefecture")
    pop = frame.set_index("code")["population_2017_01_01_persons"]
    joint = frame["joint_cloud_group_id"].notna()
    rows = []
    for r in results:
        scope = r.params["scope"]
        if scope == "prefecture":
            pref = r.params["prefecture"]
            s = shares.loc[pref]
            row = {"name": pref, "members": int(s["joint_cloud"]),
                   "population": int(frame.loc[frame["prefecture"] == pref, "population_2017_01_01_persons"].sum()),
                   "share": float(s["joint_cloud_share_pct"]), "area": pref}
        elif scope == "group":
            gid = int(r.params["group_id"])
            codes = members.loc[members["group_id"] == gid, "code"]
            row = {"name": f"{gid}. {vocab.group_name(gid, groups, members, 'ja')}", "members": len(codes),
                   "population": int(pop.reindex(codes).sum()), "share": None,
                   "area": str(groups.set_index("group_id").loc[gid, "prefectures"])}
        else:
            row = {"name": vocab.NATIONAL[0], "members": int(joint.sum()), "population": int(pop.sum()),
                   "share": 100 * float(joint.mean()), "area": vocab.NATIONAL[0]}
        rows.append({"scope": scope, "key": r.key, **row, "result": r})
    return rows


_SCOPE_JA = {"national": "全国", "prefecture": "都道府県", "group": "グループ"}
_SORT_SCRIPT = """<script>
// Click a header to sort by it (again to reverse); numbers sort as numbers.
document.querySelectorAll("th[data-col]").forEach(function (th) {
  th.addEventListener("click", function () {
    var table = th.closest("table"), body = table.tBodies[0], col = +th.dataset.col;
    var dir = th.dataset.dir === "asc" ? -1 : 1; th.dataset.dir = dir === 1 ? "asc" : "desc";
    Array.from(body.rows).sort(function (a, b) {
      var x = a.cells[col].dataset.v, y = b.cells[col].dataset.v;
      var nx = parseFloat(x), ny = parseFloat(y);
      return dir * (isNaN(nx) || isNaN(ny) ? x.localeCompare(y, "ja") : nx - ny);
    }).forEach(function (row) { body.appendChild(row); });
  });
});
</script>"""


def write_index(results: list[Result], reports_dir: Path, survey_info: dict, build_id: str = "") -> Path:
    """reports/index.html: one sortable table of every report of the batch (scope, name, area, members,
    population, joint-cloud share, links to the Japanese and English reports where they exist, outcome);
    the survey label on top. A failed report links to its previous good HTML, with that run's time."""
    cells = []
    for row in index_rows(results):
        r = row["result"]
        links = []
        for stem, lang in (("report", "日本語"), ("report.en", "English")):
            if (reports_dir / r.key / f"{stem}.html").exists():
                links.append(f'<a href="{escape.html(r.key)}/{stem}.html">{lang}</a>')
        if r.outcome == "ok":
            status = "✓"
        else:
            kept = (f" 前回の成功 / last good: {escape.html(str(r.published.get('finished', '')))}" if r.published
                    else " 公開中のレポートなし / none published")
            status = (f'<span class="failed">失敗 / failed: {escape.html(r.error)}</span>{kept} '
                      f'<a href="{escape.html(r.key)}/{escape.html(r.stem)}.failed.ipynb">(notebook)</a>')
        share = "" if row["share"] is None else f"{row['share']:.1f}"
        values = [(_SCOPE_JA[row["scope"]], _SCOPE_JA[row["scope"]]), (escape.html(row["name"]), row["name"]),
                  (escape.html(row["area"]), row["area"]), (f"{row['members']:,}", row["members"]),
                  (f"{row['population']:,}", row["population"]), (share or "—", share), (" ".join(links), ""),
                  (status, r.outcome)]
        cells.append("<tr>" + "".join(f'<td data-v="{escape.html(str(v))}">{shown}</td>'
                                      for shown, v in values) + "</tr>")
    heads = ["区分 / scope", "名称 / name", "都道府県 / prefectures", "参加団体数 / members［実データ］",
             "人口（平成29年1月1日）/ population［実データ］", "参加割合（%）/ share in a joint cloud［導出値］",
             "レポート / reports", "結果 / result"]
    header = "".join(f'<th data-col="{k}">{h}</th>' for k, h in enumerate(heads))
    failed = sum(r.outcome != "ok" for r in results)
    info_label = vocab.survey_label(survey_info, "ja", markup="text")
    page = f"""<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>自治体クラウド レポート一覧</title>
<style>body {{ font-family: {_FONTS}; max-width: 1200px; margin: 2em auto; }}
@font-face {{ font-family: "IPAexGothic-report"; src: url("{FONT_ASSET}") format("truetype"); }}
table {{ border-collapse: collapse; }} td, th {{ padding: 2px 10px; border-bottom: 1px solid #ddd; }}
th {{ cursor: pointer; background: #f3f3f3; position: sticky; top: 0; }} td:nth-child(n+4):nth-child(-n+6) {{ text-align: right; }}
.failed {{ color: #b00; }} .note {{ background: #fff5e6; padding: 0.6em; }}</style></head>
<body><h1>市区町村の情報システム経費と自治体クラウド：レポート一覧</h1>
<p class="note">{escape.html(info_label)}</p>
<p>{len(results)} reports, {failed} failed. Built at {escape.html(_now())} from commit
{escape.html(git_commit())} on data build {escape.html(build_id)}; each report's manifest (JSON) sits beside it.
参加団体数・参加割合は総務省のグループ一覧（平成30年4月）、人口は住民基本台帳（平成29年1月1日）。見出しをクリックすると並べ替える。
Members and share: the MIC group list (2018-04); population: 2017-01-01. Click a header to sort.</p>
<table><thead><tr>{header}</tr></thead><tbody>
{chr(10).join(cells)}
</tbody></table>
{_SORT_SCRIPT}</body></html>
"""
    path = paths.write_atomic(reports_dir / "index.html", page, journal=Journal(reports_dir))
    install_font_asset(reports_dir)
    return path


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
    paths.write_atomic(path, nbformat.writes(nb) + "\n")
