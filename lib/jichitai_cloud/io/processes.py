"""Worker processes: how many may run, that they never outlive the process that started them nor run its main
script again, a helper for work done meanwhile, and the numeric libraries on one thread each (the same numbers
on every machine)."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time


# The numeric libraries' own threads (OpenBLAS, MKL, Accelerate, OpenMP), one per process: a multi-threaded
# BLAS splits sums by its thread count, so the survey's calibration, the models and every table after them
# would differ in their last bits from one machine to another (byte-identical builds, committed notebook
# outputs). Set before numpy is first imported (jichitai_cloud/__init__.py; the kernel's spec, make setup);
# it costs no time: the work is in small matrices, and a build's or a batch's processes use the cores.
ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
              "VECLIB_MAXIMUM_THREADS": "1"}


def one_thread_each() -> None:
    """Put :data:`ONE_THREAD` in this process's environment (and so its children's), replacing other values."""
    os.environ.update(ONE_THREAD)


def usable_cores() -> int:
    """Cores this process may run on (its CPU affinity), not the machine's count."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def die_with_parent(parent_pid: int) -> None:
    """Make this process die when its parent dies, however it dies (kill -9 included): on Linux the
    kernel's parent-death signal, elsewhere a watchdog thread."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    else:  # no parent-death signal: watch the parent instead

        def watch():
            while os.getppid() == parent_pid:
                time.sleep(0.5)
            os._exit(1)

        threading.Thread(target=watch, daemon=True, name="parent-watchdog").start()
    if os.getppid() != parent_pid:  # the parent died before the signal was armed
        os._exit(1)


_MAIN_LOCK = threading.RLock()  # (re-entrant: the context may be used inside itself)


@contextlib.contextmanager
def without_main_script():
    """While processes are started in it: a spawned child does not run this process's main script again.

    multiprocessing's spawn imports the parent's ``__main__`` in every child (by its file, or by its module
    name), so that functions defined there can be unpickled. Every function this package sends to a child is
    in the package, and a researcher's script that builds or renders without ``if __name__ == "__main__":``
    would otherwise run again, top to bottom, in every helper and worker (printing twice, writing twice, then
    failing). So while a child starts, ``__main__`` names no file and no module; it is restored after.

    It acts on the whole process: another thread that starts a spawned child of its own (with functions of
    ``__main__``) or reads ``__main__.__file__`` meanwhile sees neither. The package starts its children from
    one thread, for the milliseconds a start takes."""
    main = sys.modules.get("__main__")
    if main is None:
        yield
        return
    with _MAIN_LOCK:
        saved = {name: main.__dict__[name] for name in ("__file__", "__spec__") if name in main.__dict__}
        try:
            main.__dict__.pop("__file__", None)
            main.__dict__["__spec__"] = None  # read as main.__spec__: present, naming nothing
            yield
        finally:
            main.__dict__.pop("__spec__", None)
            main.__dict__.update(saved)


@contextlib.contextmanager
def helper(*modules: str):
    """A pool of one worker process for work done meanwhile, which ends with this process (kill -9 included);
    None where this process may use one core only. The worker starts at once (its only start: a worker that
    dies is not replaced, the pool breaks) and imports ``modules``."""
    if usable_cores() < 2:
        yield None
        return
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(1, mp_context=mp.get_context("spawn"), initializer=_start_helper,
                               initargs=(os.getpid(), modules))
    try:
        try:
            with without_main_script():
                pool.submit(int)  # the worker starts now: it imports while this process computes
        except OSError:  # no process to be had (a limit on processes, say): everything is done here
            pool.shutdown(wait=False, cancel_futures=True)
            pool = None
        yield pool
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _start_helper(parent_pid: int, modules: tuple[str, ...]) -> None:
    import importlib

    die_with_parent(parent_pid)
    for name in modules:
        importlib.import_module(name)


def run(pool, fn, *args):
    """``fn(*args)`` begun now in ``pool`` (see :func:`helper`); returns a callable that returns its result. Without
    a pool, or when its worker died (out of memory, say), ``fn`` runs here when its result is asked for: the same
    result either way, ``fn`` being a pure function of ``args``. A function of a script (``__main__``) runs here
    too: the worker does not run the script (:func:`without_main_script`), so it could not find it."""
    if pool is None or getattr(fn, "__module__", None) == "__main__":
        return lambda: fn(*args)
    from concurrent.futures.process import BrokenProcessPool

    try:
        future = pool.submit(fn, *args)
    except BrokenProcessPool:
        return lambda: fn(*args)

    def result():
        try:
            return future.result()
        except BrokenProcessPool:
            return fn(*args)

    return result
