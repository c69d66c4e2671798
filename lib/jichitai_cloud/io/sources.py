"""Stage 1, sources: the raw inputs, their manifest, and the transcribed tables.

Raw files are copied from the datastore into ``data/raw/`` and verified against the
sha256 recorded in ``data/raw/SOURCES.yml``; they are never modified. Tables that had
to be typed from the source document live in ``data/raw/transcribed/`` (committed).
"""

from __future__ import annotations

import copy
import functools
import hashlib
import os
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from jichitai_cloud import paths
from jichitai_cloud.errors import SourceError

SOURCE_DOCUMENT = "source_document/mic_jichitai_cloud_promotion_fy2018.txt"


@dataclass(frozen=True)
class RawFile:
    """One entry of data/raw/SOURCES.yml."""

    file: str
    sha256: str
    publisher: str
    title: str
    official_page: str
    licence: str
    basis_date: str

    @property
    def path(self) -> Path:
        return paths.RAW_DIR / self.file


@functools.lru_cache(maxsize=4)
def _parsed(text: str):
    """SOURCES.yml's text parsed (once per text: a build reads it several times; 30 ms a parse)."""
    return yaml.safe_load(text)


def _yaml(path: Path):
    """The YAML document at ``path``, read now (a changed file is parsed again), a copy its caller may change."""
    return copy.deepcopy(_parsed(path.read_text(encoding="utf-8")))


def manifest(path: Path | None = None) -> list[RawFile]:
    """The raw-data manifest, validated: every field present, sha256 well formed."""
    path = path or paths.MANIFEST_PATH
    try:
        doc = _yaml(path)
    except FileNotFoundError:
        rel = path.relative_to(paths.PROJECT_ROOT) if path.is_relative_to(paths.PROJECT_ROOT) else path
        raise SourceError(f"{path} is missing; it is part of the repository: restore it with "
                          f"`git checkout -- {rel}`") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"{path} cannot be read: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}:" if mark else ""
        raise SourceError(f"{path}:{where} not valid YAML ({getattr(exc, 'problem', None) or exc})") from None
    entries = doc.get("files") if isinstance(doc, dict) else None
    if not entries:
        raise SourceError(f"{path}: expected a top-level 'files:' list")
    out = []
    fields = list(RawFile.__dataclass_fields__)
    for i, entry in enumerate(entries, start=1):
        missing = [f for f in fields if not str(entry.get(f) or "").strip()]
        if missing:
            raise SourceError(f"{path}: entry {i} ({entry.get('file')!r}) lacks {', '.join(missing)}")
        sha = str(entry["sha256"]).lower()
        if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
            raise SourceError(f"{path}: entry {i} ({entry['file']}): sha256 must be 64 hex digits")
        out.append(RawFile(**{f: str(entry[f]).strip() for f in fields} | {"sha256": sha}))
    return out


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def sha256_bytes(data: bytes) -> str:
    """The sha256 of bytes already read (a survey file's, as parsed), as :func:`sha256_of` gives a file's."""
    return hashlib.sha256(data).hexdigest()


def _where_to_obtain(entry: RawFile, store: Path | None = None) -> str:
    store = store or paths.datastore_dir()
    return (
        f"Obtain it from {entry.official_page} ({entry.publisher}「{entry.title}」) and place it at "
        f"{store / entry.file} (the datastore searched; set {paths.DATASTORE_ENV} or --datastore "
        f"to use another copy)."
    )


def materialise(datastore: Path | None = None, log=print) -> list[Path]:
    """Copy every manifest file from the datastore into data/raw/, verifying sha256.

    Files already in data/raw/ with the right checksum are left alone. A file whose
    copy in data/raw/ has been altered stops the run (it is not overwritten: someone
    changed a raw file, and that must be looked at, not hidden). Copies are written
    to a temporary name and moved into place only once verified.
    """
    store = datastore or paths.datastore_dir()
    if not store.is_dir():
        raise SourceError(f"the datastore folder {store} does not exist (set {paths.DATASTORE_ENV} or pass "
                          f"--datastore; the default is ../shared/datastore beside the project)")
    done, todo, problems = [], [], []
    for entry in manifest():  # every file checked first: all problems at once, and nothing copied if any
        target = entry.path
        if target.exists():
            actual = sha256_of(target)
            if actual != entry.sha256:
                problems.append(
                    f"{target}: sha256 is {actual}, expected {entry.sha256}. The raw file in data/raw/ was altered; "
                    f"raw files are never edited. Delete it and run `jichitai-cloud data` again to restore the original.")
            else:
                done.append(target)
            continue
        source = store / entry.file
        if not source.is_file():
            problems.append(f"missing raw file {entry.file} (expected sha256 {entry.sha256}): not in the "
                            f"datastore. " + _where_to_obtain(entry, store))
            continue
        actual = sha256_of(source)
        if actual != entry.sha256:
            problems.append(f"{source}: sha256 is {actual}, expected {entry.sha256}; this is not the original "
                            f"file. " + _where_to_obtain(entry, store))
            continue
        todo.append((entry, source))
    if problems:
        raise SourceError("\n".join(problems + [f"{len(problems)} of {len(manifest())} raw files cannot be used; "
                                                f"nothing was copied"]))
    for entry, source in todo:
        target = entry.path
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
        os.close(fd)
        try:
            shutil.copyfile(source, tmp)
            if sha256_of(Path(tmp)) != entry.sha256:
                raise SourceError(f"{target}: copy from {source} does not match its sha256; try again")
            os.chmod(tmp, 0o444)
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        log(f"copied {entry.file} (sha256 ok)")
        done.append(target)
    return done


def transcribed_manifest(path: Path | None = None) -> dict[str, dict]:
    """The ``transcribed:`` entries of data/raw/SOURCES.yml: file name -> sha256, source document, processed
    table, rows and the slide headings the file was typed from."""
    path = path or paths.MANIFEST_PATH
    doc = _yaml(path)
    entries = doc.get("transcribed") if isinstance(doc, dict) else None
    if not entries:
        raise SourceError(f"{path}: expected a top-level 'transcribed:' list (one entry per file of data/raw/transcribed/)")
    return {Path(str(e["file"])).name: e for e in entries}


def _transcribed_problems() -> list[str]:
    known = transcribed_manifest()
    problems = []
    for name in TRANSCRIBED.values():
        path = paths.TRANSCRIBED_DIR / name
        entry = known.get(name)
        if entry is None:
            problems.append(f"data/raw/transcribed/{name}: no entry under 'transcribed:' in data/raw/SOURCES.yml")
        elif not path.is_file():
            problems.append(f"data/raw/transcribed/{name} is missing; it is part of the repository: restore it with "
                            f"`git checkout -- data/raw/transcribed/{name}`")
        elif sha256_of(path) != str(entry["sha256"]).lower():
            problems.append(f"data/raw/transcribed/{name}: sha256 is {sha256_of(path)}, expected {entry['sha256']}. "
                            f"A deliberate correction of the transcription updates its sha256 in data/raw/SOURCES.yml "
                            f"in the same commit; otherwise restore it with `git checkout -- data/raw/transcribed/{name}`")
    return problems


def verify(log=None) -> list[RawFile]:
    """Check every manifest file in data/raw/ against its sha256 (read-only), and every transcribed table
    against its entry; report all problems."""
    entries = manifest()
    problems = _transcribed_problems()
    for entry in entries:
        if not entry.path.is_file():
            problems.append(
                f"missing raw file data/raw/{entry.file} (expected sha256 {entry.sha256}). "
                f"Run `jichitai-cloud data` to copy it from the datastore. " + _where_to_obtain(entry))
            continue
        actual = sha256_of(entry.path)
        if actual != entry.sha256:
            problems.append(
                f"data/raw/{entry.file}: sha256 is {actual}, expected {entry.sha256}. The file was "
                f"altered; delete it and run `jichitai-cloud data`. " + _where_to_obtain(entry))
        elif log:
            log(f"ok {entry.file}")
    if problems:
        raise SourceError("\n".join(problems))
    return entries


def raw_path(file: str) -> Path:
    """Path of a verified raw file, by its manifest name (e.g. SOURCE_DOCUMENT)."""
    for entry in manifest():
        if entry.file == file:
            if not entry.path.is_file():
                raise SourceError(f"missing raw file data/raw/{file}; run `jichitai-cloud data`")
            return entry.path
    raise SourceError(f"{file} is not in {paths.MANIFEST_PATH}")


def source_document_text() -> str:
    """The source document as extracted from the PDF (UTF-8), unmodified."""
    return raw_path(SOURCE_DOCUMENT).read_text(encoding="utf-8")


# --- transcribed tables -----------------------------------------------------------------

TRANSCRIBED = {
    "survey_totals": "survey_totals.csv",
    "survey_cost_by_class": "survey_cost_by_class.csv",
    "survey_status_counts": "survey_status_counts.csv",
    "survey_outliers": "survey_outliers.csv",
    "survey_orderings": "survey_orderings.csv",
    "survey_chart_labels": "survey_chart_labels.csv",
    "cloud_adoption": "cloud_adoption.csv",
    "planned_joins": "planned_joins.csv",
    "planned_joins_by_year": "planned_joins_by_year.csv",
    "case_studies": "case_studies.csv",
    "case_study_members": "case_study_members.csv",
    "case_study_savings": "case_study_savings.csv",
    "savings_56_groups": "savings_56_groups.csv",
    "vendor_shares": "vendor_shares.csv",
    "group_size_shares": "group_size_shares.csv",
    "top_runner": "top_runner.csv",
}


def transcribed_path(name: str) -> Path:
    if name not in TRANSCRIBED:
        raise KeyError(f"unknown transcribed table {name!r}; known: {', '.join(TRANSCRIBED)}")
    return paths.TRANSCRIBED_DIR / TRANSCRIBED[name]


def read_transcribed(name: str):
    """A table typed from the source document, as strings (typing happens in cleaning).

    Every row carries ``section``: the heading of the slide it was typed from.
    """
    import pandas as pd

    path = transcribed_path(name)
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise SourceError(f"{path}: not a well-formed UTF-8 CSV: {exc}") from exc
    df.attrs["source_file"] = str(path.relative_to(paths.PROJECT_ROOT) if path.is_relative_to(paths.PROJECT_ROOT)
                                  else path)
    if "section" not in df.columns:
        raise SourceError(f"{path}: every transcribed table needs a 'section' column")
    empty = df.index[df["section"].str.strip() == ""]
    if len(empty):
        raise SourceError(f"{path}: row {empty[0] + 2}, column section: empty (expected the slide heading)")
    return df
