"""Benchmark: report rendering against two baselines measured in the same run.

    .venv/bin/python benchmarks/bench_reports.py [--repeat 3] [--serial-sample 0] [--workers N]

Measures, on this machine and in this run (machines are noisy, so only ratios are
compared):

1. imports-only: papermill executing a notebook that only imports pandas, seaborn,
   statsmodels and matplotlib, on the jichitai-cloud kernel (a fresh kernel each time);
2. one national report: ``render.render_one`` (fresh kernel, execution, HTML, manifest);
3. the full batch: ``render.render_batch`` over all 118 reports;
4. the serial command-line loop: for each report, ``papermill`` then
   ``jupyter nbconvert --to html --no-input`` as separate commands. By default all 118
   (about a quarter of an hour on two cores); ``--serial-sample N`` times N reports of
   each scope (and the national one) and extrapolates to 118, saying so.

Targets (issue 6, two cores): national <= 2x imports-only; batch <= 180 s and >= 3x faster
than the serial loop. Prints the measurements, the ratios and whether each target is met.
Writes nothing under reports/ (everything goes to a temporary folder).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import papermill
from nbformat.v4 import new_code_cell, new_notebook

from jichitai_cloud import paths, render

BIN = Path(sys.executable).parent


def imports_only(tmp: Path) -> float:
    nb = new_notebook(cells=[new_code_cell("import pandas\nimport seaborn\nimport statsmodels.api\n"
                                           "import matplotlib.pyplot")],
                      metadata={"kernelspec": {"name": render.KERNEL_NAME, "language": "python",
                                               "display_name": render.KERNEL_NAME}})
    src = tmp / "imports_only.ipynb"
    nbformat.write(nb, src)
    t = time.perf_counter()
    papermill.execute_notebook(str(src), str(tmp / "imports_only.out.ipynb"), kernel_name=render.KERNEL_NAME,
                               progress_bar=False, kernel_manager_class=render.kernel_manager_class())
    return time.perf_counter() - t


def one_national(tmp: Path) -> float:
    t = time.perf_counter()
    result = render.render_one(render.job(scope="national"), reports_dir=tmp / "one", log=lambda *_: None)
    if result.outcome != "ok":
        raise SystemExit(f"the national report failed: {result.error}")
    return time.perf_counter() - t


def batch(tmp: Path, workers: int | None) -> tuple[float, int]:
    jobs = render.all_jobs()
    t = time.perf_counter()
    results = render.render_batch(jobs, reports_dir=tmp / "batch", workers=workers, progress=False,
                                  log=lambda *_: None)
    failed = sum(r.outcome != "ok" for r in results)
    return time.perf_counter() - t, failed


def serial_cli(tmp: Path, sample: int) -> tuple[float, str]:
    """The serial command-line loop: seconds for all 118 (measured, or extrapolated from a sample)."""
    jobs = render.all_jobs()
    if sample:
        by_scope = {"national": [j for j in jobs if j.scope == "national"],
                    "prefecture": [j for j in jobs if j.scope == "prefecture"][:sample],
                    "group": [j for j in jobs if j.scope == "group"][:sample]}
    else:
        by_scope = {s: [j for j in jobs if j.scope == s] for s in ("national", "prefecture", "group")}
    seconds = {}
    out = tmp / "serial"
    out.mkdir()
    for scope, chosen in by_scope.items():
        times = []
        for k, j in enumerate(chosen):
            nb_out = out / f"{scope}-{k}.ipynb"
            cmd = [str(BIN / "papermill"), str(render.TEMPLATE), str(nb_out), "-k", render.KERNEL_NAME,
                   "--no-progress-bar", "--cwd", str(paths.PROJECT_ROOT)]
            for name, value in j.params.items():
                cmd += ["-p", name, str(value)] if not isinstance(value, str) or value else []
            t = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True)
            subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(nb_out)],
                           check=True, capture_output=True)
            times.append(time.perf_counter() - t)
        seconds[scope] = times
    counts = {s: sum(j.scope == s for j in jobs) for s in seconds}
    total = sum(statistics.mean(seconds[s]) * counts[s] for s in seconds)
    measured = sum(len(v) for v in seconds.values())
    how = (f"measured on all {measured}" if not sample else
           f"extrapolated to 118 from {measured} measured (mean per scope × reports of that scope)")
    return total, how


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=3, help="repetitions of the single runs (median)")
    ap.add_argument("--serial-sample", type=int, default=0,
                    help="time this many prefecture and group reports serially and extrapolate (0: all 118)")
    ap.add_argument("--workers", type=int, default=None)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="jc-bench-") as d:
        tmp = Path(d)
        print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}", flush=True)
        imp = statistics.median(imports_only(tmp) for _ in range(args.repeat))
        print(f"imports-only papermill run:      {imp:7.2f} s (median of {args.repeat})", flush=True)
        nat = statistics.median(one_national(tmp) for _ in range(args.repeat))
        print(f"one national report:             {nat:7.2f} s (median of {args.repeat})", flush=True)
        bt, failed = batch(tmp, args.workers)
        print(f"all 118 reports (batch):         {bt:7.2f} s ({failed} failed)", flush=True)
        ser, how = serial_cli(tmp, args.serial_sample)
        print(f"serial papermill + nbconvert:    {ser:7.2f} s ({how})", flush=True)
    checks = [
        ("national / imports-only", nat / imp, "<= 2", nat / imp <= 2),
        ("batch seconds", bt, "<= 180", bt <= 180),
        ("serial loop / batch", ser / bt, ">= 3", ser / bt >= 3),
    ]
    print()
    for name, value, target, ok in checks:
        print(f"{name:26} {value:8.2f}   target {target:7}  {'met' if ok else 'NOT MET'}")
    return 0 if all(ok for *_, ok in checks) and failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
