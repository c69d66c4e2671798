"""Results a build computed, kept on disk for the next build process, keyed by everything they depend on.

The build's survey-free tables (the published figures, the real data and the evidence they imply:
about ten seconds of computing) depend only on the verified raw files, the transcribed tables, this
package's source code and the versions of the libraries that compute them. A later build with
another survey file (or none) reuses them instead of computing them again. The key is a sha256 of all
of these (:func:`code_fingerprint` covers the code and the libraries), so a change to any input,
any module of the package or any library version computes afresh. A build that reuses them writes
byte-identical tables (tests/test_build.py compares a build from a cold cache with one from the
cache).

The files are the project's own: written only by a build holding the data/processed lock, into
``data/processed/cache/`` (git-ignored, like every build output), each in one rename. They are
never a user's files. One file per key (``<name>.<key prefix>.pickle``), the last :data:`KEEP` used kept:
a build switched back to the build kept before it (another version of the code, say) finds its
tables too. Each holds a header line (the key and the payload's sha256) and a pickle; a file whose
key differs is not loaded, and one whose payload does not match its sha256 (torn, damaged) is
ignored and recomputed, never trusted.
"""

from __future__ import annotations

import functools
import glob
import hashlib
import importlib.metadata
import json
import os
import pickle
import re
import sys
from pathlib import Path

from jichitai_cloud.io.journal import Journal, write_atomic

FOLDER = "cache"
_FORMAT = 1
# Values kept per name: as many as the builds data/processed keeps (the current one and the one before it).
KEEP = 2
_OWN = re.compile(r"[0-9a-f]{16}\.pickle")
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


def _path(directory: Path, name: str, key: str) -> Path:
    return Path(directory) / FOLDER / f"{name}.{key[:16]}.pickle"


def has(directory: Path, name: str, key: str) -> bool:
    """Whether a value is saved under ``name`` with ``key`` (its header only: not whether it is intact)."""
    path = _path(directory, name, key)
    try:
        if not path.is_file() or path.is_symlink():
            return False
        with open(path, "rb") as fh:
            return json.loads(fh.readline()).get("key") == key
    except (OSError, ValueError, AttributeError):
        return False


def touch(directory: Path, name: str, key: str) -> None:
    """Mark the value saved under ``name`` with ``key`` as just used (the last :data:`KEEP` used are kept):
    a build switched back to the build kept before it uses its tables again. Call holding the lock."""
    path = _path(directory, name, key)
    try:
        if path.is_file() and not path.is_symlink():  # its own file only, never what a link points to
            os.utime(path)
    except OSError:  # gone meanwhile: nothing to keep
        pass


def load(directory: Path, name: str, key: str):
    """The value saved under ``name`` with ``key`` in ``directory``'s cache, or None (absent, another key,
    damaged, not a regular file). Call holding the data/processed lock."""
    path = _path(directory, name, key)
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
        touch(directory, name, key)
        return pickle.loads(payload)  # the project's own file, checked against its sha256 (module docstring)
    except (OSError, ValueError, AttributeError, pickle.UnpicklingError, EOFError):
        return None


def save(directory: Path, name: str, key: str, value) -> str | None:
    """Save ``value`` under ``name`` with ``key`` (in one rename), and remove the values saved under ``name``
    before the last :data:`KEEP`. Returns None, or one line saying why it could not be saved (a full disk,
    say): a cache that is not written costs only time. Call holding the data/processed lock."""
    folder = Path(directory) / FOLDER
    try:
        folder.mkdir(parents=True, exist_ok=True)
        journal = Journal(folder)
        journal.clean()  # what a killed save left, as its journal lists it
        payload = pickle.dumps(value, protocol=5)
        header = json.dumps({"key": key, "sha256": hashlib.sha256(payload).hexdigest()}).encode() + b"\n"
        write_atomic(_path(directory, name, key), header + payload, journal=journal)
        journal.clean()
        _prune(folder, name, _path(directory, name, key))
    except OSError as exc:
        return f"the build's cache was not saved ({os.strerror(exc.errno) if exc.errno else exc}); " \
               f"the next build computes those tables again"
    return None


def _own(path: Path, name: str) -> bool:
    """Whether ``path`` is a value this cache saved under ``name``: named ``<name>.<16 hex>.pickle``, a regular
    file (not a link), whose header line is this cache's, with a key that begins with those 16 hex digits.
    A name alone is not enough: a file of anyone else's that happens to be named so is never removed."""
    prefix = path.name[len(name) + 1:-len(".pickle")]
    if not _OWN.fullmatch(path.name[len(name) + 1:]) or not path.is_file() or path.is_symlink():
        return False
    try:
        with open(path, "rb") as fh:
            header = json.loads(fh.readline(200))
    except (OSError, ValueError):
        return False
    key = header.get("key") if isinstance(header, dict) else None
    return (isinstance(key, str) and re.fullmatch(r"[0-9a-f]{64}", key) is not None and key.startswith(prefix)
            and set(header) == {"key", "sha256"})


def _prune(folder: Path, name: str, kept: Path) -> None:
    """Remove the values saved under ``name`` (this cache's own files only: :func:`_own`) but the last
    :data:`KEEP` used (saved, loaded or touched), ``kept`` (the one just saved) among them."""
    own = [p for p in folder.glob(f"{glob.escape(name)}.*.pickle") if p != kept and _own(p, name)]
    own.sort(key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in own[KEEP - 1:]:
        old.unlink(missing_ok=True)
