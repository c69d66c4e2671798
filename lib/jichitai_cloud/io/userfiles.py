"""Paths a user names (a survey file, a reports folder): resolved and read without surprises.

Only a regular file is read as input: a named pipe would block the read forever, a device such as
``/dev/zero`` never ends, a socket or a folder is no file. Each is refused with one line naming
it, checked on the open descriptor (no window between the check and the read), and the read is
bounded by the bytes actually read, not by the size the file system reports (0 for most special
files). A symbolic link loop is one line too, wherever a path is resolved.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from jichitai_cloud.io.escape import terminal
from jichitai_cloud.errors import UserPathError


_KINDS = ((stat.S_ISDIR, "is a folder"), (stat.S_ISFIFO, "is a named pipe (FIFO), not a regular file"),
          (stat.S_ISCHR, "is a character device, not a regular file"),
          (stat.S_ISBLK, "is a block device, not a regular file"), (stat.S_ISSOCK, "is a socket, not a regular file"))


def _not_regular(mode: int) -> str:
    for test, words in _KINDS:
        if test(mode):
            return words
    return "" if stat.S_ISREG(mode) else "is not a regular file"


def _loop(shown: str, what: str) -> UserPathError:
    return UserPathError(f"{shown}: {what}: a symbolic link loop (a link that leads back to itself); give the "
                         f"real path")


def resolve(path: str | os.PathLike, what: str = "path") -> Path:
    """``path`` made absolute with its links resolved; a symbolic link loop is one line (``what`` names
    the option, e.g. "--reports-dir")."""
    p = Path(path).expanduser()
    try:
        return p.resolve()
    except RuntimeError:  # Python 3.11: "Symlink loop from ..."
        raise _loop(terminal(p), what) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _loop(terminal(p), what) from None
        raise


def check_regular(path: str | os.PathLike, what: str = "file", hint: str = "") -> os.stat_result:
    """The file's status if ``path`` is a regular file (through links); else one line saying what it is."""
    shown = terminal(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise UserPathError(f"{shown}: no such file") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _loop(shown, what) from None
        raise UserPathError(f"{shown}: cannot be read ({exc.strerror or exc})") from None
    words = _not_regular(st.st_mode)
    if words:
        raise UserPathError(f"{shown}: {words}{hint}")
    return st


def read_regular(path: str | os.PathLike, limit: int, what: str = "file", hint: str = "",
                 too_large: str = "") -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them: more is refused (``too_large``:
    the message after the file's name). Never blocks on a pipe, never reads a device."""
    shown = terminal(path)
    check_regular(path, what, hint)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)  # a pipe put in its place: no wait
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _loop(shown, what) from None
        raise UserPathError(f"{shown}: cannot be read ({exc.strerror or exc})") from None
    try:
        words = _not_regular(os.fstat(fd).st_mode)  # what was opened, whatever the name points to now
        if words:
            raise UserPathError(f"{shown}: {words}{hint}")
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise UserPathError(f"{shown}: {too_large or f'more than {limit:,} bytes; refused'}")
    finally:
        os.close(fd)
