"""Results a build computed, kept on disk for the next build process, keyed by everything they depend on.

The build's survey-free tables (the published figures, the real data and the evidence they imply:
about ten seconds of computing) depend only on the verified raw files, the transcribed tables, this
package's source code and the versions of the libraries that compute them. A later build with
another survey file (or none) reuses them instead of computing them again. The key is a sha256 of all
of these (:func:`code_fingerprint` covers the code and the libraries), so a change to any input,
any module of the package or any library version computes afresh. A build that reuses them writes
byte-identical tables (tests/test_build.py compares a build from a cold cache with one from the
cache).

The file is the project's own: written only by a build holding the data/processed lock, into
``data/processed/cache/`` (git-ignored, like every build output), replaced in one rename. It is
never a user's file. It holds a header line (the key and the payload's sha256) and a pickle; a file
whose key differs is not loaded, and one whose payload does not match its sha256 (torn, damaged) is
ignored and recomputed, never trusted.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import os
import pickle
import sys
from pathlib import Path

from jichitai_cloud.io.journal import Journal, write_atomic

FOLDER = "cache"
_FORMAT = 1
# The libraries whose results the cached tables are: a new version of any of them computes afresh.
_LIBRARIES = ("numpy", "pandas", "scipy", "statsmodels", "pyarrow", "geopandas", "shapely", "pyproj", "pyogrio",
              "pandera", "pyyaml", "openpyxl")


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """sha256 of every module of this package (path and bytes), the Python version and the libraries' versions."""
    package = Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    versions = {name: _version(name) for name in _LIBRARIES}
    h.update(json.dumps({"python": list(sys.version_info[:3]), **versions}, sort_keys=True).encode())
    return h.hexdigest()


def _version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "absent"


def key_of(*parts) -> str:
    """The cache key of JSON-able ``parts`` and the code fingerprint."""
    doc = json.dumps({"format": _FORMAT, "parts": parts, "code": code_fingerprint()}, sort_keys=True, default=str)
    return hashlib.sha256(doc.encode()).hexdigest()


def _path(directory: Path, name: str) -> Path:
    return Path(directory) / FOLDER / f"{name}.pickle"


def stored_key(directory: Path, name: str) -> str | None:
    """The key of what is saved under ``name`` (its header only), or None."""
    path = _path(directory, name)
    try:
        if not path.is_file() or path.is_symlink():
            return None
        with open(path, "rb") as fh:
            return json.loads(fh.readline()).get("key")
    except (OSError, ValueError, AttributeError):
        return None


def load(directory: Path, name: str, key: str):
    """The value saved under ``name`` with ``key`` in ``directory``'s cache, or None (absent, another key,
    damaged, not a regular file). Call holding the data/processed lock."""
    path = _path(directory, name)
    try:
        if not path.is_file() or path.is_symlink():
            return None
        with open(path, "rb") as fh:
            header = json.loads(fh.readline())
            if header.get("key") != key:
                return None
            payload = fh.read()
        if hashlib.sha256(payload).hexdigest() != header.get("sha256"):
            return None
        return pickle.loads(payload)  # the project's own file, checked against its sha256 (module docstring)
    except (OSError, ValueError, AttributeError, pickle.UnpicklingError, EOFError):
        return None


def save(directory: Path, name: str, key: str, value) -> str | None:
    """Save ``value`` under ``name`` with ``key`` (replacing what was there, in one rename). Returns None, or
    one line saying why it could not be saved (a full disk, say): a cache that is not written costs only
    time. Call holding the data/processed lock."""
    folder = Path(directory) / FOLDER
    try:
        folder.mkdir(parents=True, exist_ok=True)
        journal = Journal(folder)
        journal.clean()  # what a killed save left, as its journal lists it
        payload = pickle.dumps(value, protocol=5)
        header = json.dumps({"key": key, "sha256": hashlib.sha256(payload).hexdigest()}).encode() + b"\n"
        write_atomic(_path(directory, name), header + payload, journal=journal)
        journal.clean()
    except OSError as exc:
        return f"the build's cache was not saved ({os.strerror(exc.errno) if exc.errno else exc}); " \
               f"the next build computes those tables again"
    return None
