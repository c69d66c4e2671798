"""Reconciliation rows: a stated figure, the figure computed independently, and whether they agree.

Every stage that can compare what a source states with what the data give adds rows
here; the build writes them all to ``data/processed/reconciliation``. A mismatch is a
row with status ``mismatch``: it is reported, never silently fixed. The record lives in
the clean layer, the lowest that makes checks, so that every later stage can add its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from jichitai_cloud.registry import formats, resources, schema, vocab

OK, MISMATCH = vocab.RECONCILIATION_STATUSES


def round_half_up(value: float, decimals: int = 0) -> float:
    """Round as the ministry's tables do (0.05 -> 0.1), not banker's rounding."""
    q = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(float(value))).quantize(q, rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Check:
    check_id: str
    topic: str
    description: str
    description_ja: str
    stated: float
    computed: float
    unit: str
    rule: str
    ok: bool
    stated_source: str
    computed_from: str

    def row(self) -> dict:
        return {
            "check_id": self.check_id,
            "topic": self.topic,
            "description": self.description,
            "description_ja": self.description_ja,
            "stated": float(self.stated),
            "computed": float(self.computed),
            "difference": float(self.computed) - float(self.stated),
            "unit": self.unit,
            "rule": self.rule,
            "status": OK if self.ok else MISMATCH,
            "stated_source": self.stated_source,
            "computed_from": self.computed_from,
        }


# `description` is a (English, Japanese) pair in every constructor below.

def exact(check_id, topic, description, stated, computed, unit, stated_source, computed_from) -> Check:
    """Counts and sums of integers: must be equal."""
    en, ja = description
    return Check(check_id, topic, en, ja, stated, computed, unit, "equal",
                 float(stated) == float(computed), stated_source, computed_from)


def rounded(check_id, topic, description, stated, computed, unit, decimals, stated_source,
            computed_from) -> Check:
    """A stated figure that is the computed one rounded (half up) to `decimals` places."""
    en, ja = description
    rule = f"computed rounded half-up to {decimals} decimal(s) equals stated"
    return Check(check_id, topic, en, ja, stated, computed, unit, rule,
                 round_half_up(computed, decimals) == float(stated), stated_source, computed_from)


def within(check_id, topic, description, stated, computed, unit, tolerance, why, stated_source,
           computed_from) -> Check:
    """Agreement up to a tolerance that follows from the sources' own rounding (stated in `why`)."""
    en, ja = description
    rule = f"|computed - stated| <= {tolerance:g} ({why})"
    return Check(check_id, topic, en, ja, stated, computed, unit, rule,
                 abs(float(computed) - float(stated)) <= tolerance, stated_source, computed_from)


def frame(checks: list[Check], explanations: dict[str, tuple[str, str]] | None = None) -> pd.DataFrame:
    """The reconciliation table, one row per check, in the order given.

    ``explanations`` maps check_id to a one-sentence account (English, Japanese) of a
    known mismatch; it is kept only for rows that are mismatches (an ok row needs none).
    Validated against the registry's ``reconciliation`` (check ids unique; a computed figure may be
    missing, and is then a mismatch); a duplicate check id is a bug and keeps pandera's error.
    """
    explanations = explanations or {}
    rows = [c.row() for c in checks]
    for r in rows:
        en, ja = explanations.get(r["check_id"], ("", "")) if r["status"] == MISMATCH else ("", "")
        r["explanation"], r["explanation_ja"] = en, ja
    columns = list(resources.RESOURCES["reconciliation"].fields)
    return schema.conform("reconciliation", pd.DataFrame(rows, columns=columns))


def unexplained(rec: pd.DataFrame) -> pd.DataFrame:
    """Mismatches without an explanation: new discrepancies someone must look at."""
    return rec[(rec["status"] == MISMATCH) & (rec["explanation"] == "")]


def fmt(value: float) -> str:
    """A number for logs and tables: integers with separators, others to four decimals."""
    return formats.number(value)


def summary(rec: pd.DataFrame) -> pd.DataFrame:
    """Checks per topic: how many, how many ok, how many mismatches, how many unexplained."""
    g = rec.assign(ok=rec["status"] == OK, mismatch=rec["status"] == MISMATCH,
                   unexplained=(rec["status"] == MISMATCH) & (rec["explanation"] == ""))
    out = g.groupby("topic", sort=False).agg(checks=("check_id", "size"), ok=("ok", "sum"),
                                              mismatch=("mismatch", "sum"), unexplained=("unexplained", "sum"))
    return out.reset_index().astype({"checks": "int64", "ok": "int64", "mismatch": "int64", "unexplained": "int64"})


def mismatches(rec: pd.DataFrame) -> pd.DataFrame:
    """The mismatch rows with their explanation."""
    return rec[rec["status"] == MISMATCH].reset_index(drop=True)


def mismatch_table(rec: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Mismatches for reading: description, stated, computed, difference, explanation.

    An explanation repeated on consecutive rows is written once ('As above.' / '同上').
    """
    ja = lang == "ja"
    cols = ["description_ja" if ja else "description", "stated", "computed", "difference",
            "explanation_ja" if ja else "explanation"]
    out = mismatches(rec)[cols].copy()
    text = out[cols[-1]]
    repeated = (text == text.shift()) & (text != "")
    out.loc[repeated, cols[-1]] = "同上" if ja else "As above."
    return out
