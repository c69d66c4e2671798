"""Stage 3, survey: the survey in use, a project setting that stays chosen until the user switches it.

``jichitai-cloud survey use FILE`` checks a real survey file and records it, with its sha256, in
``data/raw/survey-in-use.json`` (git-ignored, like everything in data/raw/ but the manifest and the
transcribed tables). Every later build (``make report``, ``make lab``, ``reports --all``) uses it until
``jichitai-cloud survey use --simulated`` switches back. The file itself is not copied: a file that
has gone, or whose bytes changed since it was chosen (another sha256), stops the build in one line,
before anything is computed, so a researcher never gets reports from another file than the one chosen
(nor, quietly, from the simulated survey).

The order of precedence (:func:`jichitai_cloud.survey.inputs.configured_input`): ``--survey FILE`` or
``--simulated`` on one build (for that build only), then ``$JICHITAI_CLOUD_SURVEY``, then this setting,
then the one file in ``data/raw/survey/``, then the simulated survey.
"""

from __future__ import annotations

import datetime as dt
import json
import shlex
from pathlib import Path

from jichitai_cloud import paths
from jichitai_cloud.errors import SurveyFileError, UserPathError

NAME = "survey-in-use.json"
COMMAND = "jichitai-cloud survey use"
CONFIGURED_BY = "`jichitai-cloud survey use`"
_MAX_BYTES = 64 * 1024
_KEYS = {"input", "file", "sha256", "cost_unit", "sheet", "accepted_outliers", "chosen"}


def path() -> Path:
    """Where the setting is: data/raw/survey-in-use.json (from the package, never the working directory)."""
    return paths.RAW_DIR / NAME


def chosen() -> dict | None:
    """The setting (``input``: 'reported' with ``file``, ``sha256``, ``cost_unit``, ``sheet``,
    ``accepted_outliers``; or 'simulated'), or None when no survey was ever chosen. A damaged setting is
    refused in one line."""
    from jichitai_cloud.io.userfiles import read_regular

    where = path()
    if not where.exists() and not where.is_symlink():
        return None
    again = f"choose again: `{COMMAND} FILE` or `{COMMAND} --simulated`"
    try:
        doc = json.loads(read_regular(where, _MAX_BYTES, "the survey setting").decode("utf-8"))
    except (UserPathError, UnicodeDecodeError, ValueError) as exc:
        raise SurveyFileError(f"{where}: the survey setting cannot be read ({exc}); {again}") from None
    ok = isinstance(doc, dict) and set(doc) <= _KEYS and doc.get("input") in ("reported", "simulated")
    if ok and doc["input"] == "reported":
        ok = all(isinstance(doc.get(k), str) and doc[k] for k in ("file", "sha256")) and \
            isinstance(doc.get("accepted_outliers", []), list)
    if not ok:
        raise SurveyFileError(f"{where}: the survey setting is damaged (expected the keys {sorted(_KEYS)}); {again}")
    return doc


def in_use() -> str:
    """The survey in use, in words, for messages: the chosen file, the simulated survey, or the default."""
    from jichitai_cloud.io.escape import terminal

    try:
        doc = chosen()
    except SurveyFileError:
        return f"unreadable ({path()})"
    if doc is None:
        return "the default (a file in data/raw/survey/, else simulated)"
    if doc["input"] == "simulated":
        return f"simulated (chosen with {CONFIGURED_BY})"
    return f"{terminal(doc['file'])} (chosen with {CONFIGURED_BY}, sha256 {doc['sha256'][:12]}…)"


def verified_file(doc: dict, read) -> Path:
    """The chosen file, if it is still there and its bytes are the ones chosen (``read``: path -> bytes,
    bounded, regular files only); else one line saying what changed and what to do."""
    import hashlib

    file = Path(doc["file"])
    try:
        data = read(file)
    except (UserPathError, SurveyFileError) as exc:
        raise SurveyFileError(f"the survey in use ({CONFIGURED_BY}, {path()}): {exc}; restore it, or choose "
                              f"again: `{COMMAND} FILE` or `{COMMAND} --simulated`") from None
    now = hashlib.sha256(data).hexdigest()
    if now != doc["sha256"]:
        raise SurveyFileError(f"the survey in use changed since it was chosen: {file} has sha256 {now[:12]}…, "
                              f"chosen with {doc['sha256'][:12]}…; if the change is meant, choose it again: "
                              f"`{COMMAND} {shlex.quote(str(file))}` (or `{COMMAND} --simulated`)")
    return file


def choose(file: Path, sha256: str, cost_unit: str | None, sheet: str | None,
           accepted_outliers: tuple[str, ...]) -> dict:
    """Record ``file`` (resolved, already checked by the caller) as the survey in use. Returns the setting."""
    doc = {"input": "reported", "file": str(file), "sha256": sha256, "cost_unit": cost_unit or "",
           "sheet": sheet or "", "accepted_outliers": sorted(accepted_outliers), "chosen": _now()}
    _write(doc)
    return doc


def choose_simulated() -> dict:
    """Record the simulated survey as the survey in use (it also overrides a file in data/raw/survey/)."""
    doc = {"input": "simulated", "chosen": _now()}
    _write(doc)
    return doc


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).astimezone().isoformat(timespec="seconds")


def _write(doc: dict) -> None:
    """Replace the setting in one rename, under its own lock (waiting for another `survey use`), its temporary
    file recorded in a journal first: a `survey use` killed mid-write leaves the old setting, and the next one
    removes the temporary file it left (and nothing else)."""
    from jichitai_cloud.io.journal import Journal, write_atomic
    from jichitai_cloud.io.locks import FileLock

    where = path()
    try:
        where.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(where.with_name(f".{NAME}.lock"), COMMAND, wait=True):
            journal = Journal(where.parent)
            journal.clean()
            write_atomic(where, json.dumps(doc, ensure_ascii=False, indent=2) + "\n", journal=journal)
            journal.clean()
    except OSError as exc:
        raise SurveyFileError(f"{where}: the survey setting cannot be written ({exc.strerror or exc}); "
                              f"nothing was changed") from None
