"""Helper processes (io/processes.py): the same result with or without one, and none outlives its parent."""

import os
import signal
import subprocess
import sys
import time

from jichitai_cloud.io import processes


def _square_sum(values):
    return sum(v * v for v in values)


def test_a_helper_computes_what_this_process_would_and_none_runs_on_one_core(monkeypatch):
    with processes.helper() as pool:
        assert pool is not None if processes.usable_cores() >= 2 else pool is None
        assert processes.run(pool, _square_sum, [1, 2, 3])() == 14
    monkeypatch.setattr(processes, "usable_cores", lambda: 1)
    calls = []

    def counted(values):
        calls.append(values)
        return _square_sum(values)

    with processes.helper() as pool:
        assert pool is None
        result = processes.run(pool, counted, [4])
        assert calls == []  # without a helper: computed here, when its result is asked for
        assert result() == 16 and calls == [[4]]


def test_a_helper_that_died_leaves_the_work_to_this_process(monkeypatch):
    monkeypatch.setattr(processes, "usable_cores", lambda: 2)
    with processes.helper() as pool:
        pid = pool.submit(os.getpid).result()
        os.kill(pid, signal.SIGKILL)  # out of memory, say
        deadline = time.monotonic() + 10
        while _alive(pid):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert processes.run(pool, _square_sum, [2, 5])() == 29


# A process with a helper (even on one core) busy for a minute: prints the helper's pid, then waits to be killed.
HELPED = """
import os, time
from jichitai_cloud.io import processes
processes.usable_cores = lambda: 2
with processes.helper() as pool:
    print(pool.submit(os.getpid).result(), flush=True)
    pool.submit(time.sleep, 60)
    time.sleep(60)
"""


def test_a_helper_ends_with_its_parent_killed_9():
    with subprocess.Popen([sys.executable, "-c", HELPED], stdout=subprocess.PIPE, text=True) as parent:
        try:
            pid = int(parent.stdout.readline())
            assert _alive(pid) and pid != parent.pid
            os.kill(parent.pid, signal.SIGKILL)
            parent.wait()
            deadline = time.monotonic() + 10
            while _alive(pid):
                assert time.monotonic() < deadline, "the helper outlived its parent"
                time.sleep(0.05)
        finally:
            parent.kill()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
