"""TRANSITIONAL alias of :mod:`jichitai_cloud.clean.checks`, where the reconciliation record now lives (the clean
layer makes checks and must not import analysis/). survey/, report/, build and cli (other workstreams of issue 19)
still import it from here; once they import ``jichitai_cloud.clean.checks``, delete this module."""

from jichitai_cloud.clean.checks import (MISMATCH, OK, Check, exact, fmt, frame, mismatch_table,  # noqa: F401
                                         mismatches, round_half_up, rounded, summary, unexplained, within)
