"""Advisory file locks (``flock``): exclusive or shared, released by the OS when the holder dies.

One discipline for the whole project:

- ``data/processed/.lock``: a build holds it exclusive; a report run or batch (and each of its
  workers) holds it shared for its whole run. A build and a batch therefore exclude each other.
- ``reports/.batch.lock``: one report run (a batch or a single report) at a time, exclusive.
- ``reports/.workers.lock``: every batch worker holds it shared; a new batch takes it exclusive
  once before it starts, so it never runs while a previous batch's worker is still alive.

Lock files are never deleted: deleting one would let two processes lock two different files.
The holder writes who it is (pid, command, start time) into the file so that a refused process
can say who holds it; that text is informational only, the lock itself is the ``flock``.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import time
from pathlib import Path

from jichitai_cloud.errors import LockError

POLL_SECONDS = 0.2


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).astimezone().isoformat(timespec="seconds")


class FileLock:
    """``flock`` on ``path``: ``shared`` or exclusive; fail at once, or ``wait`` (``timeout`` seconds, None: no limit).

    Re-entrant within a process: taking a lock this process already holds (exclusive, or shared
    for a shared request) only counts. Use as a context manager.
    """

    _held: dict[tuple[int, str], list] = {}  # (pid, path) -> [fd, shared, count]

    def __init__(self, path: Path, what: str, shared: bool = False, wait: bool = False,
                 timeout: float | None = None, busy_hint: str = "wait for it to finish, or pass --wait",
                 log=None):
        self.path = Path(path)
        self.what = what
        self.shared = shared
        self.wait = wait
        self.timeout = timeout
        self.busy_hint = busy_hint
        self.log = log or (lambda *_: None)

    @property
    def _key(self) -> tuple[int, str]:
        return os.getpid(), os.path.abspath(self.path)

    def holder(self) -> str:
        """Who holds the lock, as its holder wrote it (best effort)."""
        try:
            info = json.loads(self.path.read_text(encoding="utf-8") or "{}")
        except (OSError, ValueError):
            info = {}
        if not info.get("pid") or not _alive(info["pid"]):
            return "another process"
        return f"{info.get('what', 'a process')} (pid {info['pid']}, since {info.get('started', '?')})"

    def acquire(self) -> FileLock:
        held = FileLock._held.get(self._key)
        if held is not None:
            if held[1] and not self.shared:
                raise RuntimeError(f"{self.path}: this process holds the lock shared and asks for it exclusive")
            held[2] += 1
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        _take(fd, self)
        # The note names a holder: an exclusive one always; a shared one unless another live one is named
        # (a batch's workers leave the batch's own note in place). An exclusive holder clears it on release.
        if not self.shared or self.holder() == "another process":
            _write_note(fd, self.what)
        FileLock._held[self._key] = [fd, self.shared, 1]
        return self

    def release(self) -> None:
        held = FileLock._held.get(self._key)
        if held is None:
            return
        held[2] -= 1
        if held[2] == 0:
            del FileLock._held[self._key]
            if not held[1] or _names_me(held[0]):  # a note naming a holder that has gone would mislead
                try:
                    os.ftruncate(held[0], 0)
                except OSError:
                    pass
            os.close(held[0])  # closing the descriptor releases the flock

    def __enter__(self) -> FileLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def _take(fd: int, lock: FileLock) -> None:
    """``flock`` the open lock file as ``lock`` asks: at once, or polling until its timeout; a lock that stays
    busy closes the descriptor and raises LockError naming the holder."""
    op = (fcntl.LOCK_SH if lock.shared else fcntl.LOCK_EX) | fcntl.LOCK_NB
    deadline = None if lock.timeout is None else time.monotonic() + lock.timeout
    said = False
    while True:
        try:
            fcntl.flock(fd, op)
            return
        except BlockingIOError:
            if not lock.wait or (deadline is not None and time.monotonic() >= deadline):
                holder = lock.holder()
                os.close(fd)
                raise LockError(f"{lock.path} is locked by {holder}; {lock.busy_hint}") from None
            if not said:
                lock.log(f"waiting for {lock.holder()} to release {lock.path} ...")
                said = True
            time.sleep(POLL_SECONDS)
        except BaseException:
            os.close(fd)
            raise


def _write_note(fd: int, what: str) -> None:
    """Write who holds the lock (pid, what, start, host) into the lock file: informational only."""
    note = json.dumps({"pid": os.getpid(), "what": what, "started": _now(), "host": os.uname().nodename},
                      ensure_ascii=False)
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, note.encode("utf-8"), 0)
    except OSError:  # a full disk: the note is informational, the flock is the lock
        pass


def _names_me(fd: int) -> bool:
    """Whether the holder's note in the lock file names this process."""
    try:
        return json.loads(os.pread(fd, 4096, 0).decode("utf-8") or "{}").get("pid") == os.getpid()
    except (OSError, ValueError, AttributeError):
        return False


def _alive(pid) -> bool:
    try:
        os.kill(int(pid), 0)
    except PermissionError:
        return True
    except (OSError, TypeError, ValueError):
        return False
    return True


def holds(path: Path) -> bool:
    """Whether this process holds a lock on ``path``."""
    return (os.getpid(), os.path.abspath(path)) in FileLock._held
