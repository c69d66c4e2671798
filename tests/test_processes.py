"""Helper processes (io/processes.py): the same result with or without one (one that a kill -9 of its parent
ends: tests/test_faults.py)."""

import os
import signal

import pytest

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
        os.kill(pid, signal.SIGKILL)  # out of memory, say: the pool may not know it yet, or refuse new work
        assert processes.run(pool, _square_sum, [2, 5])() == 29


def test_no_process_to_be_had_means_no_helper(monkeypatch):
    """Where a process cannot be started (a limit on processes, say), the work is done here, not refused."""
    import multiprocessing.context

    monkeypatch.setattr(processes, "usable_cores", lambda: 2)

    def refused(self):
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(multiprocessing.context.SpawnProcess, "start", refused)
    with processes.helper() as pool:
        assert pool is None and processes.run(pool, _square_sum, [3])() == 9


# A researcher's script without `if __name__ == "__main__":` that starts a helper (as a build does).
UNGUARDED = """
import os
print("top of the script", flush=True)
from jichitai_cloud.io import processes
processes.usable_cores = lambda: 2  # a helper even on one core


def here():
    return os.getpid()


with processes.helper() as pool:
    print("helper pid differs:", processes.run(pool, os.getpid)() != os.getpid(), flush=True)
    print("a function of the script runs here:", processes.run(pool, here)() == os.getpid(), flush=True)
print("main still names the script:", __file__ == {path!r}, getattr(__spec__, "name", None), flush=True)
"""


@pytest.mark.parametrize("how, spec", [("a file", None), ("a module (-m)", "analysis")])
def test_a_script_without_a_main_guard_runs_once(tmp_path, how, spec):
    """spawn runs the parent's main script again in each child (found by its file, or by its module name under
    -m), unless told not to: the script's top level (its prints, its writes) ran twice, and the child then
    failed with a traceback."""
    import subprocess
    import sys

    script = tmp_path / "analysis.py"
    script.write_text(UNGUARDED.format(path=str(script)), encoding="utf-8")
    args = [str(script)] if spec is None else ["-m", spec]
    p = subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert p.returncode == 0 and p.stderr == "", p.stderr
    assert p.stdout.splitlines() == ["top of the script", "helper pid differs: True",
                                     "a function of the script runs here: True",
                                     f"main still names the script: True {spec}"]
