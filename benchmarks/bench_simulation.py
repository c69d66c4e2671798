"""Benchmark: the simulation study against the build's own simulated survey, measured in the same run.

    .venv/bin/python benchmarks/bench_simulation.py [--draws 200] [--effects 0,-0.1,-0.2,-0.3] [--workers 2]

Measures, on this machine and in this run (machines are noisy, so the ratio is what compares):

1. baseline: ``survey.simulate`` once, the single exactly-calibrated survey the build draws (pinned as it is);
2. the build's default path: ``build.build_tables`` (everything the build computes, no writing);
3. the study: ``simulation.run`` over draws × effects with the given workers.

Targets (issue 11, two cores): the study of 200 draws × 4 effects within 3 minutes; the build's
default path unchanged by the study (it never runs it). Prints the measurements, the ratios and
whether the target is met. Writes nothing.
"""

from __future__ import annotations

import argparse
import time

from jichitai_cloud import build
from jichitai_cloud.io import processes, store
from jichitai_cloud.clean import published
from jichitai_cloud.analysis import simulation
from jichitai_cloud import survey


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=200)
    ap.add_argument("--effects", default="0,-0.1,-0.2,-0.3")
    ap.add_argument("--workers", type=int, default=min(2, processes.usable_cores()))
    args = ap.parse_args()
    study = simulation.Study(draws=args.draws, effects=simulation.parse_effects(args.effects))
    frame, pub = store.read_table("municipalities"), published.tables()

    params = survey.GeneratorParams()
    pin = survey.small_joint_pin(params.pin_inferred_label, store.read_table("evidence_label_assignments"))
    one, _ = timed(lambda: survey.simulate(frame, pub, params, pin=pin))
    build_s, _ = timed(build.build_tables)
    study_s, draws = timed(lambda: simulation.run(study, frame, pub, workers=args.workers))
    n = study.draws * len(study.effects)
    print(f"baseline: one exactly-calibrated simulated survey (the build's): {one:.2f} s")
    print(f"the build's default path (build_tables, no writing):            {build_s:.2f} s")
    print(f"the study: {study.draws} draws × {len(study.effects)} effects, {args.workers} workers: {study_s:.1f} s "
          f"({1000 * study_s / n:.0f} ms a draw, {len(draws):,} estimates)")
    print(f"ratio study / one survey: {study_s / one:.1f}×; per draw / one survey: {study_s / n / one:.3f}×")
    ok = study_s <= 180
    print(f"target 200 × 4 within 180 s: {'met' if ok else 'NOT met'}"
          + ("" if (study.draws, len(study.effects)) == (200, 4) else " (not the target's size: scale accordingly)"))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
