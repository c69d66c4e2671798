"""Stage 7b, runs that redo only what changed: a report's inputs, whether what it published still verifies,
and the record of a batch (``reports/run.json``).

A report's inputs are the build it reads (its id, which names the sha256 of every table), the template
(sha256), the raw files its manifest cites (sha256), CITATION.cff (its footer cites it), this package's code
(its version and :func:`cache.code_fingerprint`: every module's source, the Python version, the computing
libraries' versions; with the versions of the libraries that render a report) and the report's parameters,
its language among them. The worker records them in the report's manifest (``report.json``), with the sha256
of the HTML and the notebook it published. A batch skips a report whose last run succeeded, whose recorded
inputs equal the current ones, and whose published files still have the recorded sha256; everything else
is rendered, with the reason (:func:`stale`). ``--force`` renders all.

A batch's record (:class:`RunRecord`) is written when the batch starts (``status`` "running", ``finished``
null: a batch that is killed leaves it so) and again when it ends ("finished", or "stopped" with why), each
time in one rename: start, end, build and survey, and per report rendered / skipped / failed with the reason.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
from dataclasses import dataclass
from pathlib import Path

from jichitai_cloud import __version__, paths
from jichitai_cloud.io import cache, sources
from jichitai_cloud.io.journal import Journal, write_atomic
from jichitai_cloud.report import pages
from jichitai_cloud.report.jobs import TEMPLATE
from jichitai_cloud.report.provenance import git_commit, input_hashes, survey_provenance

RUN_RECORD = "run.json"
RUN_FORMAT = 1
# The libraries that turn a notebook into a report (the computing ones are in the code fingerprint).
RENDER_LIBRARIES = ("papermill", "nbclient", "nbconvert", "nbformat", "ipykernel", "matplotlib", "seaborn",
                    "matplotlib-fontja", "mistune")
# Each input, as a reason names it when it changed.
CHANGED = {"build_id": "build", "template_sha256": "template", "citation_sha256": "CITATION.cff",
           "raw_sha256": "raw files", "package_version": "package version", "code_fingerprint": "code",
           "parameters": "parameters"}
UNCHANGED = "unchanged"
FORCED = "forced (--force)"
OUTCOMES = {"ok": "rendered", "skipped": "skipped", "failed": "failed"}  # a Result's outcome: the record's word


def sha256_file(path: Path) -> str | None:
    """sha256 of a regular file (not a link), or None when there is none."""
    path = Path(path)
    if path.is_symlink() or not path.is_file():
        return None
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def common_inputs(build_id: str, hashes: dict) -> dict:
    """The inputs every report of a run shares (``hashes``: :func:`provenance.input_hashes` of the run)."""
    template = os.path.relpath(TEMPLATE, paths.PROJECT_ROOT)
    raw = {name: sha for name, sha in sorted(hashes.items()) if name.startswith("data/raw/")}
    code = {"package": cache.code_fingerprint(), **{name: _version(name) for name in RENDER_LIBRARIES}}
    return {"build_id": build_id, "template_sha256": hashes.get(template) or sources.sha256_of(TEMPLATE),
            "citation_sha256": sha256_file(pages.CITATION) or "missing",
            "raw_sha256": hashlib.sha256(json.dumps(raw, sort_keys=True).encode()).hexdigest(),
            "package_version": __version__,
            "code_fingerprint": hashlib.sha256(json.dumps(code, sort_keys=True).encode()).hexdigest()}


def _version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "absent"


@dataclass(frozen=True)
class RunInfo:
    """What every report of a run records and shows: the build, the inputs' sha256 (:func:`provenance.input_hashes`),
    the survey the build used, the commit, and the inputs the reports share (:func:`common_inputs`)."""

    build_id: str
    hashes: dict
    survey: dict
    commit: str
    inputs: dict


def run_info(build_id: str) -> RunInfo:
    """The run's information, read once (call holding the run's locks, the build verified and pinned)."""
    hashes = input_hashes(build_id)
    return RunInfo(build_id, hashes, survey_provenance(), git_commit(), common_inputs(build_id, hashes))


def report_inputs(common: dict, params: dict) -> dict:
    """One report's inputs: the run's and its parameters (the language among them)."""
    return {**common, "parameters": dict(params)}


def input_key(inputs: dict) -> str:
    """sha256 of a report's inputs (canonical JSON)."""
    return hashlib.sha256(json.dumps(inputs, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def published_sha256(files: dict[str, Path]) -> dict[str, str]:
    """The sha256 of each published file, by its name, as a manifest records them."""
    return {name: sha256_file(path) or "missing" for name, path in files.items()}


def stale(manifest_path: Path, folder: Path, inputs: dict) -> str:
    """Why a report must be rendered again, or '' when its last run is current and its files verify.

    The manifest must record a successful run with these inputs (:func:`input_key`), and every file it
    published (HTML and notebook) must be a regular file with the recorded sha256.
    """
    try:
        doc = json.loads(Path(manifest_path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return "new"
    except (OSError, ValueError):
        return "its manifest is unreadable"
    if not isinstance(doc, dict):
        return "its manifest is unreadable"
    if doc.get("outcome") != "ok":
        return "its last run failed" if doc.get("finished") else "its last run did not finish"
    if not isinstance(doc.get("inputs"), dict):
        return "its manifest records no inputs (an older version made it)"
    if doc.get("input_key") != input_key(inputs):
        recorded = doc["inputs"]
        changed = [word for name, word in CHANGED.items() if recorded.get(name) != inputs.get(name)]
        return "changed: " + ", ".join(changed or ["inputs"])
    published = doc.get("published") or {}
    recorded = published.get("sha256") if isinstance(published, dict) else None
    if not isinstance(recorded, dict) or not recorded:
        return "its manifest records no sha256 of its files"
    for name, sha in sorted(recorded.items()):
        if Path(name).name != name or sha256_file(folder / name) != sha:
            return f"{name} is missing or differs from its manifest"
    return ""


class RunRecord:
    """The record of one batch, ``run.json`` beside the index: written at the start and at the end."""

    def __init__(self, reports_dir: Path, build_id: str, survey: dict, commit: str, started: str, force: bool,
                 workers: int):
        self.path = Path(reports_dir) / RUN_RECORD
        self.journal = Journal(Path(reports_dir))
        self.doc = {"format": RUN_FORMAT, "command": "reports --all", "status": "running", "started": started,
                    "finished": None, "pid": os.getpid(), "package_version": __version__, "git_commit": commit,
                    "build_id": build_id, "survey": survey, "force": force, "workers": workers,
                    "counts": None, "reports": []}

    def write(self) -> str:
        """Write the record in one rename; '' or why it could not be written (a full disk, say)."""
        try:
            write_atomic(self.path, json.dumps(self.doc, ensure_ascii=False, indent=1, default=str) + "\n",
                         journal=self.journal)
            return ""
        except OSError as exc:
            return f"the run record {self.path.name} was not written ({exc.strerror or exc})"

    def finish(self, results: list, finished: str, stopped: str = "", planned: int | None = None) -> str:
        """The end of the batch: every report's outcome and reason, the counts; status "finished", or
        "stopped" with why (``stopped``: interrupted, or the error that stopped it), the reports not listed
        not run."""
        entries = [entry(r) for r in results]
        counts = {word: sum(e["outcome"] == word for e in entries) for word in OUTCOMES.values()}
        if planned is not None and planned > len(entries):
            counts["not_run"] = planned - len(entries)
        self.doc.update(status="stopped" if stopped else "finished", finished=finished, counts=counts,
                        reports=entries)
        if stopped:
            self.doc["stopped"] = stopped.splitlines()[0][:300]
        return self.write()


def entry(result) -> dict:
    """A report's line of the run record: its outcome and reason, when this run finished it (rendered or
    failed), and when the HTML in place was rendered (``published``: None when there is none)."""
    outcome = OUTCOMES.get(result.outcome, result.outcome)
    reason = result.error if outcome == "failed" else result.reason
    return {"report": f"{result.key}/{result.stem}.html", "lang": result.params.get("lang"), "outcome": outcome,
            "reason": reason, "seconds": round(result.seconds, 3), "finished": result.finished or None,
            "published": (result.published or {}).get("finished")}


def summary(results: list) -> str:
    """One line: how many reports, and how many rendered, skipped (unchanged) and failed."""
    counts = {word: sum(OUTCOMES.get(r.outcome) == word for r in results) for word in OUTCOMES.values()}
    return (f"{len(results)} report{'s' if len(results) != 1 else ''}: {counts['rendered']} rendered, "
            f"{counts['skipped']} skipped (unchanged), {counts['failed']} failed")
