"""What a run creates, written down before it is created: a later run removes exactly what a killed one left.

A build and a report run stage their output beside its destination (a staging folder, a temporary
``.part`` file) and rename it into place. A run that is killed (``kill -9``, a power cut of the
process) cannot remove what it staged. Rather than search a folder for names that look like
leftovers (which would also find other programs' files: another clone's staging folder, a
browser's partial download in a shared ``--reports-dir``), every run records each path in a
journal *before* it creates it, creates it exclusively under a name of its own (process id and a
random token, never an existing path), and removes it itself when done. The next run, holding the
same lock (so no other writer is alive), removes the paths the journal lists that still exist, and
nothing else, then removes the journal. At rest there is no journal file.

A journal entry is a path relative to the journal's folder; an entry that leaves that folder
(absolute, ``..``) or whose name is not one this module gives is ignored, so an edited journal
cannot direct a deletion elsewhere. Symbolic links are removed, never followed.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
from pathlib import Path

NAME = ".cleanup.journal"
# The names this module gives: .<stem>-<pid>-<token> (folders) and .<stem>.<pid>.<token>.part (files).
_OURS = re.compile(r"\.[^/]*(?:-[0-9]+-[0-9a-f]{16}|\.[0-9]+\.[0-9a-f]{16}\.part)")


class Journal:
    """The journal of one folder (``folder / NAME``): record, then create; :meth:`clean` under the lock."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.path = self.folder / NAME

    def record(self, path: Path) -> Path:
        """Write ``path`` (inside the folder) into the journal; call before creating it. Returns it."""
        rel = os.path.relpath(os.path.abspath(path), os.path.abspath(self.folder))
        if ".." in Path(rel).parts or os.path.isabs(rel) or not _OURS.fullmatch(os.path.basename(rel)):
            raise ValueError(f"{path}: not a name of this journal's runs inside {self.folder}")
        self.folder.mkdir(parents=True, exist_ok=True)
        line = (json.dumps({"path": Path(rel).as_posix(), "pid": os.getpid()}, ensure_ascii=False) + "\n").encode()
        # One write of one line with O_APPEND: concurrent writers (a batch's workers) never interleave.
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)
        return Path(path)

    def new_name(self, parent: Path, stem: str) -> Path:
        """A recorded path ``parent/<stem><pid>-<token>`` that does not exist (a rename's target)."""
        while True:
            path = Path(parent) / f"{stem}{os.getpid()}-{secrets.token_hex(8)}"
            if not os.path.lexists(path):
                return self.record(path)

    def make_dir(self, parent: Path, stem: str) -> Path:
        """A new folder ``parent/<stem><pid>-<token>``, recorded first, created exclusively."""
        while True:
            path = Path(parent) / f"{stem}{os.getpid()}-{secrets.token_hex(8)}"
            self.record(path)
            try:
                os.mkdir(path, 0o755)
                return path
            except FileExistsError:  # never take over an existing path
                continue

    def clean(self) -> list[Path]:
        """Remove every path the journal lists that still exists, then the journal. Call holding the lock
        that every writer of this journal holds, when no writer is alive. Returns the paths removed."""
        try:
            text = self.path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return []
        removed = []
        for line in text.splitlines():
            try:
                rel = str(json.loads(line)["path"])
            except (ValueError, KeyError, TypeError):
                continue  # a line cut by a kill: its path was not created yet
            parts = Path(rel).parts
            if os.path.isabs(rel) or ".." in parts or not parts or not _OURS.fullmatch(parts[-1]):
                continue
            path = self.folder / rel
            if path.is_symlink() or path.is_file():
                path.unlink(missing_ok=True)
                removed.append(path)
            elif path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
        self.path.unlink(missing_ok=True)
        return removed


def part_name(target: Path) -> Path:
    """A temporary file beside ``target`` under a name of this module (see :func:`write_atomic`)."""
    target = Path(target)
    return target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(8)}.part")


def write_atomic(path: Path, content: str | bytes, encoding: str = "utf-8", journal=None) -> Path:
    """Write a file so that readers see the old content or the new, never part of it: a temporary file
    beside it (a new name of this process, created exclusively), then one rename. On any error the
    temporary file is removed and ``path`` is untouched. ``journal`` (a :class:`Journal`):
    the temporary file is recorded there first, so that a later run removes it if this one is killed."""
    path = Path(path)
    data = content if isinstance(content, bytes) else content.encode(encoding)
    tmp = part_name(path)
    if journal is not None:
        journal.record(tmp)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)
    return path
