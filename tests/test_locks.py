"""OS-level locks: exclusive and shared, held across processes, released when the holder dies."""

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from jichitai_cloud.io import locks, store
from jichitai_cloud.report import render

HOLD = """
import sys, time
from pathlib import Path
from jichitai_cloud.io import locks
lock = locks.FileLock(Path(sys.argv[1]), "a test holder", shared=sys.argv[2] == "shared")
lock.acquire()
print("held", flush=True)
time.sleep(60)
"""


@pytest.fixture
def holder(tmp_path):
    """Start a process holding a lock on a file (exclusive or shared); yields (process, path)."""
    procs = []

    def start(path, mode="exclusive"):
        p = subprocess.Popen([sys.executable, "-c", HOLD, str(path), mode], stdout=subprocess.PIPE, text=True)
        assert p.stdout.readline().strip() == "held"
        procs.append(p)
        return p

    yield start
    for p in procs:
        p.kill()
        p.wait()
        p.stdout.close()


def test_an_exclusive_lock_refuses_others_and_names_its_holder(tmp_path, holder):
    path = tmp_path / "x.lock"
    p = holder(path)
    with pytest.raises(locks.LockError, match=rf"locked by a test holder \(pid {p.pid}, since .*; wait for it"):
        locks.FileLock(path, "me").acquire()
    with pytest.raises(locks.LockError):
        locks.FileLock(path, "me", shared=True).acquire()


def test_shared_locks_coexist_and_exclude_an_exclusive_one(tmp_path, holder):
    path = tmp_path / "x.lock"
    holder(path, "shared")
    with locks.FileLock(path, "me", shared=True):
        pass
    with pytest.raises(locks.LockError):
        locks.FileLock(path, "me").acquire()


def test_the_lock_is_released_when_its_holder_is_killed(tmp_path, holder):
    path = tmp_path / "x.lock"
    p = holder(path)
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    with locks.FileLock(path, "me"):  # no stale-lock heuristics: the OS released it
        pass
    assert path.exists()  # lock files are never deleted


def test_wait_waits_until_the_holder_is_gone(tmp_path, holder):
    path = tmp_path / "x.lock"
    p = holder(path)
    lines = []
    t0 = time.monotonic()
    timer = threading.Timer(0.6, p.kill)
    timer.start()
    with locks.FileLock(path, "me", wait=True, timeout=30, log=lines.append):
        waited = time.monotonic() - t0
    timer.join()
    assert waited >= 0.5 and lines and "waiting for a test holder" in lines[0]


HOLD_REPORTS = """
import sys, time
from pathlib import Path
from jichitai_cloud.report import render
with render.ReportsLock(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(60)
"""


def test_an_empty_lock_file_is_not_a_free_lock(tmp_path):
    """Finding 3: the holder is the flock, not what the file says (the old lock read an empty file as free)."""
    p = subprocess.Popen([sys.executable, "-c", HOLD_REPORTS, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert p.stdout.readline().strip() == "held"
        (tmp_path / render.LOCK_NAME).write_text("", encoding="utf-8")  # as between creating it and writing the pid
        with pytest.raises(render.LockError, match="another report run is in progress"):
            with render.ReportsLock(tmp_path):
                pass
    finally:
        p.kill()
        p.wait()
        p.stdout.close()


CONTEND = """
import os, sys, time
from pathlib import Path
from jichitai_cloud.report import render
log = os.open(sys.argv[2], os.O_WRONLY | os.O_APPEND | os.O_CREAT)
got = 0
for _ in range(int(sys.argv[3])):
    try:
        with render.ReportsLock(Path(sys.argv[1])):
            os.write(log, f"in {os.getpid()}\\n".encode())
            time.sleep(0.001)
            os.write(log, f"out {os.getpid()}\\n".encode())
    except render.LockError:
        continue
    got += 1
print(got)
"""


def test_two_runs_never_hold_the_batch_lock_at_once(tmp_path):
    """Finding 3: 2 processes contend 300 times each; the log of holders never overlaps."""
    log = tmp_path / "holders.log"
    procs = [subprocess.Popen([sys.executable, "-c", CONTEND, str(tmp_path), str(log), "300"], stdout=subprocess.PIPE,
                              text=True) for _ in range(2)]
    got = [int(p.communicate(timeout=120)[0]) for p in procs]
    lines = log.read_text().splitlines()
    assert sum(got) == len(lines) // 2 and sum(got) > 0
    for enter, leave in zip(lines[::2], lines[1::2]):
        assert enter.startswith("in ") and leave == "out " + enter[3:], (enter, leave)


def test_a_process_may_take_a_lock_it_holds_again(tmp_path):
    lock = store.build_lock(tmp_path)
    with lock, store.build_lock(tmp_path), store.build_lock(tmp_path, shared=True):
        assert locks.holds(tmp_path / store.LOCK)
    assert not locks.holds(tmp_path / store.LOCK)


def test_a_released_shared_lock_leaves_no_note_naming_its_holder(tmp_path, holder):
    """A live process that took a lock shared and released it was still named in the note, so the next shared
    holder (a batch) was never named, and `--wait` messages named the wrong process."""
    path = tmp_path / "x.lock"
    with locks.FileLock(path, "a report run", shared=True):
        assert f'"pid": {os.getpid()}' in path.read_text(encoding="utf-8")
    assert path.read_text(encoding="utf-8") == ""
    p = holder(path, "shared")  # the next holder names itself
    assert f'"pid": {p.pid}' in path.read_text(encoding="utf-8")
    with locks.FileLock(path, "me", shared=True):  # a second shared holder leaves the first one's note
        pass
    assert f'"pid": {p.pid}' in path.read_text(encoding="utf-8")
