"""Benchmark: `jichitai-cloud build` with nothing to compute, against a build that computes, in the same run.

    .venv/bin/python benchmarks/bench_build.py [--repeat 3]

Works on a copy of data/processed (in a temporary folder, removed at the end; data/processed is only read),
through the command line as a user runs it (each command a process of its own, imports included):

1. baseline: ``build --simulated --force``, a build that computes the survey and the models (the
   survey-free tables from the cache) and writes every table;
2. nothing to do: ``build --simulated`` again, the current build verified and reused;
3. back to the build before: ``build --survey FILE`` (not timed), then ``build --simulated``, the kept
   simulated build verified and made current again.

Targets (issue 19, two cores): (2) and (3) each at most a quarter of (1). Prints the medians, the ratios and
whether the targets are met.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from jichitai_cloud import paths
from jichitai_cloud.io import store


def _run(args: list[str], env: dict) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "jichitai_cloud.cli", *args], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def _real_like(folder: Path) -> Path:
    """The build's survey in a real file's shape (another survey input for the build)."""
    survey = store.read_table("survey")
    path = folder / "real-like.csv"
    survey.assign(cost=(survey["it_cost_yen"].astype(float) / 1000).map("{:.3f}".format))[["code", "cost"]].rename(
        columns={"code": "団体コード", "cost": "情報システム経費（千円）"}).to_csv(path, index=False, encoding="utf-8")
    return path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        copy = Path(tmp) / "processed"
        shutil.copytree(paths.PROCESSED_DIR, copy, symlinks=True, ignore=shutil.ignore_patterns(store.LOCK))
        env = {**os.environ, paths.PROCESSED_ENV: str(copy)}
        real = _real_like(Path(tmp))
        forced, noop, back = [], [], []
        for _ in range(args.repeat):
            forced.append(_run(["build", "--simulated", "--force"], env))
            noop.append(_run(["build", "--simulated"], env))
            _run(["build", "--survey", str(real)], env)
            back.append(_run(["build", "--simulated"], env))
    f, n, b = (statistics.median(x) for x in (forced, noop, back))
    print(f"baseline: build --simulated --force (computes, from the cache): {f:.2f} s (median of {args.repeat})")
    print(f"nothing to do: build --simulated:                              {n:.2f} s  ratio {n / f:.2f}")
    print(f"back to the kept build: build --simulated after another survey: {b:.2f} s  ratio {b / f:.2f}")
    ok = n / f <= 0.25 and b / f <= 0.25
    print(f"targets (each at most 0.25 of the baseline): {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
