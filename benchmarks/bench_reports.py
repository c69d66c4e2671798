"""Benchmark: report rendering against baselines measured in the same run.

    .venv/bin/python benchmarks/bench_reports.py [--repeat 5] [--workers N] [--serial-sample N] [--skip-batch]
                                                 [--only-batch]

Machines are noisy, so only ratios to baselines measured in the same run are compared, the two sides
of each ratio measured alternately (A, B, A, B, ...) and summarised by their medians:

1. command line: ``papermill`` on a notebook that only imports pandas, seaborn, statsmodels and
   matplotlib (on the jichitai-cloud kernel), against ``jichitai-cloud report --scope national``
   (fresh processes both; issue 12: at most 1.5×);
2. in this process: papermill's Python API on the same imports-only notebook, against
   ``render.render_one`` for the national report (issue 13: at most 2×);
3. the batch of all 118 reports (national, 47 prefectures, 70 groups, with their maps) on two
   workers by default: at most 120 s (issue 13);
4. the no-op batch: ``jichitai-cloud reports --all`` again on the batch's folder with nothing changed (every
   report skipped), in a fresh process, against ``jichitai-cloud verify`` (which also reads and verifies the
   build) and against a bare interpreter start, alternately: at most 5 s on two cores (issue 21), all 118
   skipped, and a run record written;
5. optionally (``--serial-sample N``), the serial command-line loop (papermill then nbconvert per
   report) on N reports of each scope, extrapolated to 118, against the batch.

Prints every measurement, the ratios and whether each target is met; exits 1 when one is not.
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
from nbformat.v4 import new_code_cell, new_notebook

from jichitai_cloud.report import jobs, render
from jichitai_cloud import paths

BIN = Path(sys.executable).parent
IMPORTS = "import pandas\nimport seaborn\nimport statsmodels.api\nimport matplotlib.pyplot"


def imports_only_notebook(tmp: Path) -> Path:
    nb = new_notebook(cells=[new_code_cell(IMPORTS)],
                      metadata={"kernelspec": {"name": jobs.KERNEL_NAME, "language": "python",
                                               "display_name": jobs.KERNEL_NAME}})
    src = tmp / "imports_only.ipynb"
    nbformat.write(nb, src)
    return src


def timed(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, cwd=paths.PROJECT_ROOT)
    return time.perf_counter() - t


def command_line(tmp: Path, src: Path, repeat: int) -> tuple[list[float], list[float]]:
    """papermill imports-only and the CLI national report, alternately, each in a fresh process."""
    base, ours = [], []
    for k in range(repeat):
        base.append(timed([str(BIN / "papermill"), str(src), str(tmp / f"cli-{k}.ipynb"), "-k", jobs.KERNEL_NAME,
                           "--no-progress-bar"]))
        ours.append(timed([str(BIN / "jichitai-cloud"), "report", "--scope", "national",
                           "--reports-dir", str(tmp / "cli-reports")]))
    return base, ours


def in_process(tmp: Path, src: Path, repeat: int) -> tuple[list[float], list[float]]:
    """papermill's API on the imports-only notebook and render_one for the national report, alternately."""
    import papermill

    base, ours = [], []
    for k in range(repeat):
        t = time.perf_counter()
        papermill.execute_notebook(str(src), str(tmp / f"api-{k}.ipynb"), kernel_name=jobs.KERNEL_NAME,
                                   progress_bar=False, kernel_manager_class=render.kernel_manager_class())
        base.append(time.perf_counter() - t)
        t = time.perf_counter()
        result = render.render_one(render.job(scope="national"), reports_dir=tmp / "one", log=lambda *_: None)
        if result.outcome != "ok":
            raise SystemExit(f"the national report failed: {result.error}")
        ours.append(time.perf_counter() - t)
    return base, ours


def batch(tmp: Path, workers: int) -> tuple[float, int]:
    all_jobs = render.all_jobs()
    t = time.perf_counter()
    results = render.render_batch(all_jobs, reports_dir=tmp / "batch", workers=workers, progress=False,
                                  log=lambda *_: None)
    return time.perf_counter() - t, sum(r.outcome != "ok" for r in results)


def noop_batch(folder: Path, repeat: int) -> tuple[list[float], list[float], list[float], str]:
    """A second ``reports --all`` on ``folder`` with nothing changed, against ``verify`` and a bare interpreter
    start, alternately, each in a fresh process. Returns the three series and the no-op's summary line."""
    import json

    bare, verify, ours, line = [], [], [], ""
    for _ in range(repeat):
        bare.append(timed([sys.executable, "-c", "pass"]))
        verify.append(timed([str(BIN / "jichitai-cloud"), "verify"]))
        t = time.perf_counter()
        p = subprocess.run([str(BIN / "jichitai-cloud"), "reports", "--all", "--no-progress", "--reports-dir",
                            str(folder)], capture_output=True, text=True, cwd=paths.PROJECT_ROOT)
        ours.append(time.perf_counter() - t)
        record = json.loads((folder / "run.json").read_text(encoding="utf-8"))
        line = p.stdout.strip().splitlines()[-1] if p.stdout.strip() else p.stderr.strip()
        if p.returncode != 0 or record["status"] != "finished" or record["counts"]["skipped"] != len(record["reports"]):
            raise SystemExit(f"the no-op batch rendered or failed something: {line}")
    return bare, verify, ours, line


def serial_cli(tmp: Path, sample: int) -> tuple[float, str]:
    """The serial command-line loop on ``sample`` reports of each scope (and the national), extrapolated."""
    all_jobs = render.all_jobs()
    by_scope = {"national": [j for j in all_jobs if j.scope == "national"],
                "prefecture": [j for j in all_jobs if j.scope == "prefecture"][:sample],
                "group": [j for j in all_jobs if j.scope == "group"][:sample]}
    out = tmp / "serial"
    out.mkdir()
    seconds = {}
    for scope, chosen in by_scope.items():
        times = []
        for k, j in enumerate(chosen):
            nb_out = out / f"{scope}-{k}.ipynb"
            cmd = [str(BIN / "papermill"), str(jobs.TEMPLATE), str(nb_out), "-k", jobs.KERNEL_NAME,
                   "--no-progress-bar", "--cwd", str(paths.PROJECT_ROOT)]
            for name, value in j.params.items():
                cmd += ["-p", name, str(value)] if not isinstance(value, str) or value else []
            t = timed(cmd)
            t += timed([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(nb_out)])
            times.append(t)
        seconds[scope] = times
    counts = {s: sum(j.scope == s for j in all_jobs) for s in seconds}
    total = sum(statistics.mean(seconds[s]) * counts[s] for s in seconds)
    measured = sum(len(v) for v in seconds.values())
    return total, f"extrapolated to 118 from {measured} measured (mean per scope × reports of that scope)"


def ratio(base: list[float], ours: list[float], base_name: str, our_name: str, name: str, target: float) -> tuple:
    """Print both sides' runs and medians; the check row: median ratio against its target."""
    b, o = statistics.median(base), statistics.median(ours)
    show(base_name, base)
    show(our_name, ours)
    return name, o / b, f"<= {target:g}", o / b <= target


def show(label: str, runs: list[float]) -> None:
    """One side of a comparison: its median and its runs."""
    print(f"{label + ':':33}{statistics.median(runs):7.2f} s  (runs: {', '.join(f'{x:.2f}' for x in runs)})",
          flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=5, help="alternating repetitions of each pair (medians compared)")
    ap.add_argument("--workers", type=int, default=2, help="batch workers (default 2: the targets are for two cores)")
    ap.add_argument("--serial-sample", type=int, default=0, help="also time the serial loop on this many reports "
                                                                  "per scope (0: skip)")
    ap.add_argument("--skip-batch", action="store_true", help="leave out the 118-report batch (and the no-op batch)")
    ap.add_argument("--only-batch", action="store_true", help="only the batch and the no-op batch (leave out the "
                                                              "single-report comparisons)")
    args = ap.parse_args()
    checks = []
    with tempfile.TemporaryDirectory(prefix="jc-bench-") as d:
        tmp = Path(d)
        src = imports_only_notebook(tmp)
        print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}", flush=True)
        if not args.only_batch:
            checks.append(ratio(*command_line(tmp, src, args.repeat), "papermill command, imports only",
                                "jichitai-cloud report, national", "CLI national / papermill command", 1.5))
            checks.append(ratio(*in_process(tmp, src, args.repeat), "papermill API, imports only",
                                "render_one, national", "national / imports-only", 2.0))
        failed = 0
        if not args.skip_batch:
            bt, failed = batch(tmp, args.workers)
            print(f"all 118 reports, {args.workers} workers:    {bt:7.2f} s ({failed} failed)", flush=True)
            checks.append(("batch seconds", bt, "<= 120", bt <= 120 and failed == 0))
            bare, verify, noop, line = noop_batch(tmp / "batch", args.repeat)
            print(f"no-op batch says: {line}", flush=True)
            for label, runs in (("python -c pass", bare), ("jichitai-cloud verify", verify),
                                ("reports --all, nothing changed", noop)):
                show(label, runs)
            n, v, b = statistics.median(noop), statistics.median(verify), statistics.median(bare)
            checks += [("no-op batch / verify", n / v, "(info)", True),
                       ("no-op batch / python start", n / b, "(info)", True),
                       ("no-op batch seconds", n, "<= 5", n <= 5)]
            if args.serial_sample:
                ser, how = serial_cli(tmp, args.serial_sample)
                print(f"serial papermill + nbconvert:    {ser:7.2f} s ({how})", flush=True)
                checks.append(("serial loop / batch", ser / bt, ">= 3", ser / bt >= 3))
    print()
    for name, value, target, ok in checks:
        print(f"{name:34} {value:8.2f}   target {target:7}  {'met' if ok else 'NOT MET'}")
    return 0 if all(ok for *_, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
