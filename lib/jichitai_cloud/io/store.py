"""The processed tables on disk: complete builds, switched atomically, verified on every read.

Layout of ``data/processed/``::

    builds/<id>/             one complete build: <name>.parquet, <name>.csv, MANIFEST.json
    current -> builds/<id>   the build readers use (a symlink, switched with one rename)
    <name>.parquet, .csv     links through current/, for people who open the files (Excel)
    .lock                    the build lock (see locks)

A build is written into ``builds/.staging-*``, each file flushed to disk, then renamed to
``builds/<id>`` and made current by replacing the ``current`` symlink: a reader sees the old
build or the new one, never a mix, whatever happens to the writer. ``<id>`` is the first 16
hex digits of the sha256 of the manifest, which records each file's sha256, the inputs and the
survey used: the same inputs give the same id and byte-identical files. No timestamps. A
command that writes only some tables makes a new build too, with the current build's other
tables copied over unchanged (each checked against its sha256).

Readers resolve the current build once per process and stay on it (a long-lived kernel that
started on one build refuses to read another: restart it); a batch pins its build for every
kernel through ``$JICHITAI_CLOUD_BUILD``. Every Parquet file read is checked against the
manifest's sha256: a truncated or altered file is refused with a message to rebuild.
The previous complete build is kept (a reader in the middle of it may finish); older builds
and leftover staging folders are removed by the next build.
"""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import shutil
from pathlib import Path

from jichitai_cloud import __version__, paths
from jichitai_cloud.registry.catalog import BUILD_TABLES, TABLES  # noqa: F401  (the registry of processed tables)
from jichitai_cloud.io.journal import Journal
from jichitai_cloud.io.locks import FileLock
from jichitai_cloud.errors import StoreError

BUILDS = "builds"
CURRENT = "current"
MANIFEST = "MANIFEST.json"
LOCK = ".lock"
BUILD_ENV = "JICHITAI_CLOUD_BUILD"  # the build a batch's kernels must read (set by render)
MANIFEST_FORMAT = 1
REBUILD = "run `jichitai-cloud build` (or `make build`)"


def _dir(directory: Path | None) -> Path:
    return Path(os.path.abspath(directory or paths.PROCESSED_DIR))


def build_lock(directory: Path | None = None, shared: bool = False, wait: bool = False, what: str | None = None,
               log=None) -> FileLock:
    """The lock of data/processed: a build holds it exclusive, report runs hold it shared."""
    what = what or ("a report run" if shared else "jichitai-cloud build")
    hint = ("a build is writing data/processed: wait for it to finish, or pass --wait" if shared else
            "data/processed is in use (a build, or a report run reading it): wait for it to finish, or pass --wait")
    return FileLock(_dir(directory) / LOCK, what, shared=shared, wait=wait, busy_hint=hint, log=log)


# --- writing ------------------------------------------------------------------------------------------

def _write_parquet(df, path: Path) -> None:
    # No index, fixed compression: the same frame always gives the same bytes.
    df.to_parquet(path, engine="pyarrow", index=False, compression="zstd")


def _write_csv(df, path: Path) -> None:
    # The CSV is the Excel view of the Parquet table (the data): a text cell that Excel would run as a
    # formula (=, +, -, @ ...) is written with a leading quote (escape.cell); numbers and the Parquet stay as they are.
    from jichitai_cloud.io.escape import cells

    cells(df).to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n", date_format="%Y-%m-%d")


def _write_markdown(df, path: Path) -> None:
    from jichitai_cloud.registry import schema

    path.write_text(schema.codebook_markdown(df) + "\n", encoding="utf-8")


def _write_geoparquet(df, path: Path) -> None:
    # GeoParquet: geometry columns as WKB with their CRS in the file's metadata (deterministic bytes).
    df.to_parquet(path, index=False, compression="zstd")


def is_geo(name: str) -> bool:
    """Whether a table holds geometry (declared in the registry): stored as GeoParquet only, no CSV."""
    from jichitai_cloud.registry.resources import RESOURCES

    r = RESOURCES.get(name)
    return bool(r) and any(r.field(c).dtype == "geometry" for c in r.fields)


def _writers(name: str) -> tuple:
    """The files of a table: Parquet (read by the library) and CSV (UTF-8 with BOM, for Excel); the
    codebook also as Markdown; a table with geometry as GeoParquet alone."""
    if is_geo(name):
        return ((".parquet", _write_geoparquet),)
    files = ((".parquet", _write_parquet), (".csv", _write_csv))
    return files + (((".md", _write_markdown),) if name == "codebook" else ())


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_sha256(path: Path) -> str:
    from jichitai_cloud.io.sources import sha256_of  # one implementation of a file's sha256

    return sha256_of(path)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _body(manifest: dict) -> bytes:
    body = {k: v for k, v in manifest.items() if k != "build_id"}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _manifest_bytes(manifest: dict) -> bytes:
    return (json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


def write_tables(tables: dict, directory: Path | None = None, meta: dict | None = None,
                 wait: bool = False, based_on: str | None = None) -> list[Path]:
    """Write the tables (Parquet + CSV) as a new build and make it current; on any error, change nothing.

    The new build also keeps every other registered table of the current build, unchanged (a
    command that writes only some tables adds them to the build), and the current manifest's
    other entries unless ``meta`` (inputs, survey) replaces them. ``based_on``: the build the
    tables were computed from; refused if another build became current meanwhile. Takes the
    build lock (exclusive) unless this process holds it already. Returns the files written.
    """
    d = _dir(directory)
    unknown = sorted(set(tables) - set(TABLES))
    if unknown:
        raise StoreError(f"unknown table name(s) {unknown}; declare them in the registry (registry/resources.py)")
    tables = {name: validated(name, df) for name, df in tables.items()}
    with build_lock(d, wait=wait):
        builds = d / BUILDS
        try:
            builds.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _write_error(exc, d) from None
        previous = current_build(d)
        if based_on is not None and previous != based_on:
            raise StoreError(f"data/processed was rebuilt while this ran (it read build {based_on}, the current "
                             f"build is {previous}); nothing was written: run it again")
        journal = Journal(d)
        journal.clean()  # what a killed build staged (as its journal lists it): a failed write changes nothing else
        staging = journal.make_dir(builds, ".staging-")
        try:
            entries = {}
            for name in sorted(tables):
                entry = {}
                for suffix, writer in _writers(name):
                    path = staging / f"{name}{suffix}"
                    try:
                        writer(tables[name], path)
                        _fsync(path)
                    except OSError as exc:  # pyarrow's errors do not name the file
                        raise _write_error(exc, d, previous, path) from None
                    entry[suffix.lstrip(".")] = {"file": path.name, "sha256": _file_sha256(path),
                                                 "bytes": path.stat().st_size}
                entries[name] = entry
            kept, old_meta = _carry_forward(d, previous, staging, set(tables))
            entries.update(kept)
            manifest = {"format": MANIFEST_FORMAT, "package_version": __version__,
                        **{**old_meta, **(meta or {})}, "tables": dict(sorted(entries.items()))}
            build_id = _sha256(_body(manifest))[:16]
            manifest = {"build_id": build_id, **manifest}
            (staging / MANIFEST).write_bytes(_manifest_bytes(manifest))
            _fsync(staging / MANIFEST)
            _fsync(staging)
            final = builds / build_id
            if final.exists():
                if build_id == previous and not verify_build(d, build_id):
                    shutil.rmtree(staging)  # the same build, intact: nothing to switch
                else:
                    # an incomplete leftover, or the current build damaged: replace it
                    os.replace(final, journal.new_name(builds, ".trash-"))
                    os.replace(staging, final)
            else:
                os.replace(staging, final)
            _fsync(builds)
            _switch(d, build_id)
            _link_tables(d, set(entries))
        except OSError as exc:
            raise _write_error(exc, d, previous) from None
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
            journal.clean()  # this build's own staging (gone, or renamed into place) and trash
        _collect_garbage(d, keep={build_id, previous})
        _PINS[d] = build_id  # this process wrote it: its own reads follow
        return [final / f"{name}{suffix}" for name in sorted(tables) for suffix, _ in _writers(name)]


def validated(name: str, df):
    """The table checked against its declaration in the registry (columns in order, dtypes, nulls, key,
    value checks); a table that does not match is refused in one line, before anything is written."""
    from jichitai_cloud.registry import schema

    if is_geo(name) and not hasattr(df, "crs"):
        raise StoreError(f"table {name} holds geometry and must be a GeoDataFrame with its CRS set; nothing was written")
    return schema.validate(df, name, StoreError, "table {table} does not match its declaration in the registry: "
                                                 "{problem}; nothing was written")


def _carry_forward(d: Path, previous: str | None, staging: Path, written: set[str]) -> tuple[dict, dict]:
    """Copy the current build's other registered tables into ``staging``, each checked against its sha256.

    Returns their manifest entries and the current manifest's other entries (inputs, survey, ...). A
    damaged table is not carried (its readers are then told to rebuild it); the manifest says so.
    """
    if previous is None:
        return {}, {}
    try:
        doc = manifest(d, previous)
    except StoreError:
        return {}, {}  # no readable current build: nothing to keep
    kept, damaged = {}, []
    for name, entry in doc["tables"].items():
        if name in written or name not in TABLES:
            continue
        ok = True
        for kind in entry:
            src, dst = d / BUILDS / previous / entry[kind]["file"], staging / entry[kind]["file"]
            try:
                shutil.copyfile(src, dst)
                ok = ok and _file_sha256(dst) == entry[kind]["sha256"]
            except FileNotFoundError:
                ok = False
        if ok:
            kept[name] = entry
        else:
            damaged.append(name)
            for kind in entry:
                (staging / entry[kind]["file"]).unlink(missing_ok=True)
    other = {k: v for k, v in doc.items() if k not in ("build_id", "format", "package_version", "tables",
                                                       "not_carried")}
    if damaged:
        other["not_carried"] = {name: f"damaged in build {previous}" for name in sorted(damaged)}
    return kept, other


def _write_error(exc: OSError, d: Path, previous: str | None = None, path: Path | None = None) -> StoreError:
    where = f" {exc.filename or path}" if (exc.filename or path) else ""
    what = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        what += " (the disk is full, or a file-size limit was reached)"
    state = f"data/processed still holds build {previous}" if previous else "no build was made current"
    return StoreError(f"could not write{where}: {what}; nothing was switched, {state} ({d})")


def _switch(d: Path, build_id: str) -> None:
    """Make builds/<build_id> current with one rename of a symlink (atomic for every reader)."""
    tmp = _new_link(d, f"{BUILDS}/{build_id}", f".{CURRENT}")
    os.replace(tmp, d / CURRENT)
    _fsync(d)


def _new_link(d: Path, target: str, stem: str) -> Path:
    """A new symbolic link to ``target`` under a name of this process, recorded in the journal first, to be
    renamed into place at once (a kill in between leaves it to the next build's cleanup)."""
    while True:
        tmp = Journal(d).new_name(d, f"{stem}-")
        try:
            os.symlink(target, tmp)
            return tmp
        except FileExistsError:
            continue


def _link_tables(d: Path, names: set[str]) -> None:
    """<name>.parquet / .csv beside the builds: links through current/ (files of an older layout replaced)."""
    for name in TABLES:
        for suffix, _ in _writers(name):
            path = d / f"{name}{suffix}"
            target = f"{CURRENT}/{name}{suffix}"
            if name in names:
                if path.is_symlink() and os.readlink(path) == target:
                    continue
                os.replace(_new_link(d, target, f".{name}{suffix}"), path)
            elif path.is_symlink() or path.is_file():
                path.unlink()


def kept_builds(directory: Path | None = None) -> list[str]:
    """The complete builds in builds/ (the current one and the one before it, which a build keeps), by id."""
    builds = _dir(directory) / BUILDS
    if not builds.is_dir():
        return []
    return sorted(e.name for e in builds.iterdir() if not e.is_symlink() and e.is_dir() and _is_build(e))


def switch_to(directory: Path | None, build_id: str) -> None:
    """Make the kept, complete build ``build_id`` current again, as a build that wrote it would (one rename of
    ``current``, the table links, the builds other than it and the one before removed). Call holding the
    build lock exclusively, after :func:`verify_build` found it whole; on any error, change nothing."""
    d = _dir(directory)
    previous = current_build(d)
    if build_id == previous:  # current already: nothing to switch, and the build kept before it stays
        return
    tables = set(manifest(d, build_id)["tables"])
    journal = Journal(d)
    try:
        _switch(d, build_id)
        try:
            _link_tables(d, tables)
        except OSError:
            if previous is not None:
                _switch(d, previous)  # back: the links go through current/, so they are the previous build's
            raise
    except OSError as exc:
        raise _write_error(exc, d, previous) from None
    finally:
        journal.clean()  # the new links' temporary names, renamed into place (or left by a failure)
    _collect_garbage(d, keep={build_id, previous})
    _PINS[d] = build_id


def _collect_garbage(d: Path, keep: set) -> None:
    """Remove the complete builds other than ``keep`` (call holding the build lock). A build is a folder
    ``builds/<id>`` whose manifest carries that id: anything else in builds/ is not ours and stays."""
    builds = d / BUILDS
    if not builds.is_dir():
        return
    for entry in builds.iterdir():
        if entry.name in keep or entry.is_symlink() or not entry.is_dir() or not _is_build(entry):
            continue
        shutil.rmtree(entry, ignore_errors=True)


def _is_build(folder: Path) -> bool:
    """Whether ``folder`` is a complete build this module wrote: its name is the id its manifest records."""
    if not (len(folder.name) == 16 and all(c in "0123456789abcdef" for c in folder.name)):
        return False
    try:
        doc = json.loads((folder / MANIFEST).read_bytes())
    except (OSError, ValueError):
        return False
    return isinstance(doc, dict) and doc.get("build_id") == folder.name


# --- reading ------------------------------------------------------------------------------------------

_PINS: dict[Path, str] = {}  # per process: data/processed -> the build its first read saw
_MANIFESTS: dict[tuple[Path, str], dict] = {}


def current_build(directory: Path | None = None) -> str | None:
    """The id of the current build, or None when there is none."""
    try:
        target = os.readlink(_dir(directory) / CURRENT)
    except OSError:  # no link (never built, or an older layout)
        return None
    return Path(target).name


def pinned_build(directory: Path | None = None) -> str:
    """The build this process reads: the one pinned by $JICHITAI_CLOUD_BUILD, else the first it saw.

    Refuses (StoreError) when there is no build, or when the current build is no longer that one.
    """
    d = _dir(directory)
    current = current_build(d)
    env_pin = os.environ.get(BUILD_ENV) if d == _dir(None) else None
    if current is None:
        raise StoreError(f"{d} holds no complete build; {REBUILD}")
    if env_pin:
        if current != env_pin:
            raise StoreError(f"data/processed was rebuilt during this run (the run started on build {env_pin}, "
                             f"the current build is {current}); builds are never mixed: run it again")
        return env_pin
    pin = _PINS.setdefault(d, current)
    if current != pin:
        raise StoreError(f"data/processed was rebuilt since this process first read it (build {pin}, now "
                         f"{current}); restart the kernel (or the program) to read the new build")
    return pin


def manifest(directory: Path | None = None, build_id: str | None = None) -> dict:
    """The manifest of a build (default: the pinned one), checked against its id."""
    d = _dir(directory)
    build_id = build_id or pinned_build(d)
    key = (d, build_id)
    if key not in _MANIFESTS:
        path = d / BUILDS / build_id / MANIFEST
        try:
            doc = json.loads(path.read_bytes())
        except FileNotFoundError:
            raise StoreError(f"{path} is missing: the build is incomplete; {REBUILD}") from None
        except (OSError, ValueError) as exc:
            raise StoreError(f"{path} cannot be read ({exc}); {REBUILD}") from None
        if not isinstance(doc, dict) or doc.get("build_id") != build_id or _sha256(_body(doc))[:16] != build_id:
            raise StoreError(f"{path} is damaged (it does not match the build id {build_id}); {REBUILD}")
        _MANIFESTS[key] = doc
    return _MANIFESTS[key]


def _verified_bytes(name: str, kind: str, directory: Path | None) -> bytes:
    """A table's file (``kind``: parquet or csv) from the pinned build, checked against the manifest."""
    if name not in TABLES:
        raise KeyError(f"unknown table {name!r}; known tables: {', '.join(TABLES)}")
    d = _dir(directory)
    build_id = pinned_build(d)
    entry = manifest(d, build_id)["tables"].get(name)
    if entry is None or kind not in entry:
        raise StoreError(f"table {name!r} is not in build {build_id} (made by an older version?); {REBUILD}")
    path = d / BUILDS / build_id / entry[kind]["file"]
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise StoreError(f"{path} cannot be read ({exc.strerror or exc}); {REBUILD}") from None
    if _sha256(data) != entry[kind]["sha256"]:
        raise StoreError(f"{path} is damaged ({len(data):,} bytes, sha256 differs from the build manifest: "
                         f"truncated or altered); {REBUILD}")
    return data


def read_records(name: str, directory: Path | None = None) -> list[dict]:
    """A small processed table's rows as dicts of strings, from its CSV, verified: for the command line,
    which must not import pandas (the kernel will)."""
    import csv

    from jichitai_cloud.io.escape import uncell

    data = _verified_bytes(name, "csv", directory)
    return [{k: uncell(v) for k, v in row.items()} for row in csv.DictReader(io.StringIO(data.decode("utf-8-sig")))]


def survey_input_of_build(directory: Path | None = None) -> str:
    """Which survey the pinned build used (simulated or reported), from its manifest."""
    d = _dir(directory)
    doc = manifest(d, pinned_build(d))
    try:
        return str(doc["survey"]["input"])
    except (KeyError, TypeError):
        raise StoreError(f"build {doc.get('build_id')} does not record its survey; {REBUILD}") from None


def read_table(name: str, directory: Path | None = None):
    """A processed table by name (see TABLES), from the Parquet file of the pinned build, verified:
    a DataFrame (a GeoDataFrame for a table with geometry)."""
    data = _verified_bytes(name, "parquet", directory)
    if is_geo(name):
        import geopandas as gpd

        return gpd.read_parquet(io.BytesIO(data))
    import pandas as pd

    return pd.read_parquet(io.BytesIO(data), engine="pyarrow")


def verify_build(directory: Path | None = None, build_id: str | None = None) -> list[str]:
    """Problems of a build (default: the pinned one): every file against the manifest. Empty: intact."""
    d = _dir(directory)
    if build_id is not None:
        _MANIFESTS.pop((d, build_id), None)  # read it again: it may have been damaged since
    try:
        doc = manifest(d, build_id)
    except StoreError as exc:
        return [str(exc)]
    problems = []
    for name, entry in sorted(doc["tables"].items()):
        for kind in entry:
            path = d / BUILDS / doc["build_id"] / entry[kind]["file"]
            try:
                ok = _file_sha256(path) == entry[kind]["sha256"]
            except OSError as exc:
                problems.append(f"{path}: {exc.strerror or exc}")
                continue
            if not ok:
                problems.append(f"{path} is damaged (sha256 differs from the build manifest: truncated or altered)")
    return problems


def check_build(directory: Path | None = None) -> str:
    """The pinned build's id if every file is intact; else StoreError naming the first damaged file."""
    build_id = pinned_build(directory)
    problems = verify_build(directory, build_id)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise StoreError(f"{problems[0]}{more}; {REBUILD}")
    return build_id
