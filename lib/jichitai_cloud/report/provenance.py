"""Stage 7b, the provenance of a report run: the commit, the inputs' sha256, the survey, the time."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

from jichitai_cloud import paths
from jichitai_cloud.io import sources
from jichitai_cloud.report.jobs import TEMPLATE


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


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).astimezone().isoformat(timespec="seconds")
