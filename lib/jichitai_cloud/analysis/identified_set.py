"""The identified set of the per-resident chart's cells: what the published figures allow, as linear programmes.

The published class mean m_c (円, rounded to the yen) is the simple mean of municipal cost per resident, so
with the published counts n_J·r_J + n_S·r_S + n_N·r_N = n_c·m_c, where r_s is the mean of the municipalities
of status s. With the orderings the text states, the 'only these' reading, the under-20k single-cloud cell
pinned by the three outliers and, optionally, a plausibility floor or a chart label, each cell and the
joint/none ratio lie in an interval, computed here by linear programming (ratios by the Charnes–Cooper
transformation). Every published integer is carried as its rounding interval (± 0.5). :mod:`evidence`
turns these programmes into the evidence_* tables; :mod:`projections` reads them for the floor's reach.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from jichitai_cloud.errors import CleaningError, ParameterError
from jichitai_cloud.registry import vocab

ROUNDING_YEN = 0.5  # every published yen figure is an integer: the true value lies within ± 0.5
# yen: a bound that moves when the strict orderings are tightened by this much is reported open (it is
# reached only in the limit); 0.5円 is below the published figures' rounding, so no bound that matters
# to a reader is misclassified by it.
STRICT_MARGIN = 0.5

# Constraint groups: the unit in which a label assignment's failure is explained.
CLASS_MEAN = "class_mean"
STATED_ORDER = "stated_ordering"
ONLY_THESE = "reading_only_these"
OUTLIERS = "published_outliers"
FLOOR = "plausibility_floor"
LABEL = "label"


# --- a small linear programme -------------------------------------------------------------------------

@dataclass(frozen=True)
class _Row:
    coefs: tuple  # ((variable, coefficient), ...)
    rhs: float
    kind: str  # "le" or "eq"
    group: str
    strict: bool = False


@dataclass(frozen=True)
class Interval:
    """Infimum and supremum of a quantity over the identified set; ``*_open``: not attained
    because a strict ordering binds there. ``lower > upper`` never occurs: an empty set is None."""

    lower: float
    upper: float
    lower_open: bool = False
    upper_open: bool = False

    def text(self, digits: int = 0, scale: float = 1.0) -> str:
        lo, hi = self.lower * scale, self.upper * scale
        return (f"{'(' if self.lower_open else '['}{lo:,.{digits}f}, {hi:,.{digits}f}"
                f"{')' if self.upper_open else ']'}")


_SOLVED: dict = {}  # (programme, objective, sense, margin) -> optimum or None (infeasible), per process


@dataclass(frozen=True)
class CellProblem:
    """The identified set of one class's cell means (円) as a linear programme.

    Variables have box bounds; rows are ``Σ a·x ≤ rhs`` or ``= rhs``, each tagged with the
    group of assumptions it comes from so that a group can be dropped to see what conflicts.
    Solved by :func:`_solve` and :func:`_ratio` (each optimum once per process).
    """

    class_id: int
    bounds: dict = field(default_factory=dict)  # variable -> (lower, upper or None)
    rows: tuple = ()

    def var(self, name: str, lower: float = 0.0, upper: float | None = None) -> CellProblem:
        return replace(self, bounds={**self.bounds, name: (lower, upper)})

    def le(self, coefs: dict, rhs: float, group: str, strict: bool = False) -> CellProblem:
        return replace(self, rows=self.rows + (_Row(tuple(coefs.items()), float(rhs), "le", group, strict),))

    def eq(self, coefs: dict, rhs: float, group: str) -> CellProblem:
        return replace(self, rows=self.rows + (_Row(tuple(coefs.items()), float(rhs), "eq", group),))

    def fix(self, name: str, lower: float, upper: float, group: str) -> CellProblem:
        """Confine a variable to [lower, upper] as rows of ``group`` (so that the group can be dropped)."""
        return self.le({name: 1.0}, upper, group).le({name: -1.0}, -lower, group)

    def without(self, *groups: str) -> CellProblem:
        return replace(self, rows=tuple(r for r in self.rows if r.group not in groups))

    @property
    def groups(self) -> list[str]:
        return list(dict.fromkeys(r.group for r in self.rows))

    def feasible(self) -> bool:
        return _solve(self, {}, 1, 0.0) is not None

    def extent(self, expr: dict) -> Interval | None:
        """Infimum and supremum of a linear expression over the set (None if the set is empty)."""
        lo, hi = _solve(self, expr, 1, 0.0), _solve(self, expr, -1, 0.0)
        if lo is None:
            return None
        lo_t, hi_t = _solve(self, expr, 1, STRICT_MARGIN), _solve(self, expr, -1, STRICT_MARGIN)
        tol = 1e-7 * max(1.0, abs(lo), abs(hi))
        return Interval(lo, hi, lo_t is None or lo_t - lo > tol, hi_t is None or hi - hi_t > tol)

    def ratio_extent(self, num: str, den: str) -> Interval | None:
        """Infimum and supremum of num / den (den > 0) by the Charnes–Cooper transformation:
        y = t·x, t = 1 / den turns the ratio into a linear objective over a cone."""
        lo, hi = _ratio(self, num, den, 1, 0.0), _ratio(self, num, den, -1, 0.0)
        if lo is None:
            return None
        lo_t, hi_t = _ratio(self, num, den, 1, STRICT_MARGIN), _ratio(self, num, den, -1, STRICT_MARGIN)
        tol = 1e-9
        return Interval(lo, hi, lo_t is None or lo_t - lo > tol, hi_t is None or hi - hi_t > tol)

    def ratio_low(self, num: str, den: str) -> float:
        """The infimum of num / den alone (one programme; see :meth:`ratio_extent`)."""
        low = _ratio(self, num, den, 1, 0.0)
        if low is None:
            raise ArithmeticError(f"class '{vocab.class_label(self.class_id, 'en')}': the programme is infeasible")
        return low


def _matrices(lp: CellProblem, margin: float):
    names = list(lp.bounds)
    col = {n: i for i, n in enumerate(names)}
    a_ub, b_ub, a_eq, b_eq = [], [], [], []
    for r in lp.rows:
        a = np.zeros(len(names))
        for v, c in r.coefs:
            a[col[v]] += c
        if r.kind == "eq":
            a_eq.append(a)
            b_eq.append(r.rhs)
        else:
            a_ub.append(a)
            b_ub.append(r.rhs - (margin if r.strict else 0.0))
    return names, col, (np.array(a_ub) if a_ub else None), (np.array(b_ub) if b_ub else None), \
        (np.array(a_eq) if a_eq else None), (np.array(b_eq) if b_eq else None)


def _solve(lp: CellProblem, objective: dict, sense: int, margin: float) -> float | None:
    """The optimum of ``sense`` × objective (None: infeasible). The same programme recurs (a label's
    arithmetic fit, then its floors; cells, then gaps): each is solved once."""
    key = (tuple(lp.bounds.items()), lp.rows, tuple(objective.items()), sense, margin)
    if key not in _SOLVED:
        _SOLVED[key] = _solve_now(lp, objective, sense, margin)
    return _SOLVED[key]


def _solve_now(lp: CellProblem, objective: dict, sense: int, margin: float) -> float | None:
    names, col, a_ub, b_ub, a_eq, b_eq = _matrices(lp, margin)
    c = np.zeros(len(names))
    for v, k in objective.items():
        c[col[v]] += sense * k
    res = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq,
                  bounds=[lp.bounds[n] for n in names], method="highs")
    if res.status == 2:
        return None  # infeasible
    if res.status != 0:
        raise ArithmeticError(f"class '{vocab.class_label(lp.class_id, 'en')}': linear programme failed: {res.message}")
    return sense * float(res.fun)


def _ratio(lp: CellProblem, num: str, den: str, sense: int, margin: float) -> float | None:
    """The optimum of ``sense`` × num / den over the set, as a linear programme in (y, t) = (t·x, 1 / den)."""
    names, col, a_ub, b_ub, a_eq, b_eq = _matrices(lp, margin)
    k = len(names)  # the extra variable t sits at index k
    rows_ub, rhs_ub, rows_eq, rhs_eq = [], [], [], []
    if a_ub is not None:
        for a, b in zip(a_ub, b_ub):
            rows_ub.append(np.append(a, -b))
            rhs_ub.append(0.0)
    if a_eq is not None:
        for a, b in zip(a_eq, b_eq):
            rows_eq.append(np.append(a, -b))
            rhs_eq.append(0.0)
    for n in names:
        lo, hi = lp.bounds[n]
        a = np.zeros(k + 1)
        a[col[n]], a[k] = -1.0, lo  # y >= lo·t
        rows_ub.append(a)
        rhs_ub.append(0.0)
        if hi is not None:
            a = np.zeros(k + 1)
            a[col[n]], a[k] = 1.0, -hi  # y <= hi·t
            rows_ub.append(a)
            rhs_ub.append(0.0)
    a = np.zeros(k + 1)
    a[col[den]] = 1.0
    rows_eq.append(a)
    rhs_eq.append(1.0)
    c = np.zeros(k + 1)
    c[col[num]] = sense
    res = linprog(c, A_ub=np.array(rows_ub), b_ub=rhs_ub, A_eq=np.array(rows_eq), b_eq=rhs_eq,
                  bounds=[(None, None)] * k + [(0, None)], method="highs")
    if res.status == 2:
        return None
    if res.status != 0:
        raise ArithmeticError(f"class '{vocab.class_label(lp.class_id, 'en')}': ratio programme failed: {res.message}")
    return sense * float(res.fun)


# --- the published inputs -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Published:
    """What the identified set needs from the published tables, in plain numbers."""

    counts: dict  # (class_id, status) -> municipalities
    means: dict  # class_id -> published mean cost per resident (円, rounded)
    labels_ja: dict  # class_id -> class label as written
    orderings: tuple  # ((class_id, lower_status, higher_status), ...) per resident, as stated
    outlier_class: int
    outlier_status: str
    outliers: tuple  # the published per-resident values of the least-populous municipalities (円)
    mean_without_outliers: int  # 円

    @classmethod
    def from_tables(cls, pub: dict) -> Published:
        status = pub["published_status_counts"]
        cost = pub["published_cost_by_class"]
        order = pub["published_survey_orderings"]
        out = pub["published_survey_outliers"]
        least = out[out["item"].str.startswith("least_populous_per_resident_")]
        mean = out[out["item"] == "per_resident_mean_excluding_least_populous_3"]
        if len(mean) != 1 or least.empty or least["class_id"].nunique() != 1:
            raise CleaningError("published_survey_outliers: expected the outliers of one class and one mean without them")
        per_resident = order[order["measure"] == "per_resident"]
        return cls(
            counts={(int(r.class_id), r.cloud_status): int(r.municipalities) for r in status.itertuples()},
            means=dict(zip(cost["class_id"].astype(int), cost["it_cost_per_resident_mean_yen"].astype(int))),
            labels_ja=dict(zip(cost["class_id"].astype(int), cost["population_class_ja"])),
            orderings=tuple((int(r.class_id), r.lower_status, r.higher_status) for r in per_resident.itertuples()),
            outlier_class=int(least["class_id"].iloc[0]), outlier_status=str(least["cloud_status"].iloc[0]),
            outliers=tuple(int(v) for v in least["value_yen"]),
            mean_without_outliers=int(mean["value_yen"].iloc[0]),
        )

    @property
    def classes(self) -> list[int]:
        return sorted(self.means)

    def n(self, c: int) -> int:
        return sum(self.counts[(c, s)] for s in vocab.STATUSES)

    def stated_pairs(self, c: int) -> set:
        return {(lo, hi) for k, lo, hi in self.orderings if k == c}

    def pinned_mean(self) -> float:
        """The outlier class's cell mean implied by the published figures (e.g. ≈14,312円)."""
        c, s = self.outlier_class, self.outlier_status
        k = len(self.outliers)
        return ((self.counts[(c, s)] - k) * self.mean_without_outliers + sum(self.outliers)) / self.counts[(c, s)]


def floor_ratio(case_savings: pd.DataFrame) -> float:
    """The plausibility floor: 1 − the largest saving any case study reports (0.30 from case d's 70%).

    No status cell of a class is taken to lie below this fraction of another cell of the same
    class: a wider gap than the largest saving the document reports for any one system.
    """
    return round(1.0 - float(case_savings["reduction_pct"].max()) / 100.0, 6)


def cell_problem(p: Published, class_id: int, reading: str = vocab.DEFAULT_READING, floor: float | None = None,
                 only_these: bool = True, label: tuple[int, str] | None = None) -> CellProblem:
    """The linear programme of one class's cells r_joint, r_single, r_none (円).

    ``label``: (value 円, status) pins that cell to the label's rounding interval.
    """
    if reading not in vocab.READINGS:
        raise ParameterError(f"reading must be one of {', '.join(vocab.READINGS)}; got {reading!r}")
    c = class_id
    lp = CellProblem(c)
    for s in vocab.STATUSES:
        lp = lp.var(f"r_{s}")
    m = p.means[c]
    lp = lp.var("class_mean", m - ROUNDING_YEN, m + ROUNDING_YEN)
    lp = lp.eq({**{f"r_{s}": p.counts[(c, s)] for s in vocab.STATUSES}, "class_mean": -p.n(c)}, 0.0, CLASS_MEAN)
    pinned = c == p.outlier_class
    if pinned:
        k = len(p.outliers)
        s = p.outlier_status
        lp = lp.var("mean_without_outliers", p.mean_without_outliers - ROUNDING_YEN,
                    p.mean_without_outliers + ROUNDING_YEN)
        lp = lp.var("outliers_sum", sum(p.outliers) - k * ROUNDING_YEN, sum(p.outliers) + k * ROUNDING_YEN)
        lp = lp.eq({f"r_{s}": p.counts[(c, s)], "mean_without_outliers": -(p.counts[(c, s)] - k),
                    "outliers_sum": -1.0}, 0.0, OUTLIERS)
    for lo, hi in sorted(p.stated_pairs(c)):
        higher = f"r_{hi}"
        if pinned and reading == vocab.WITHOUT_3 and hi == p.outlier_status:
            higher = "mean_without_outliers"
        lp = lp.le({f"r_{lo}": 1.0, higher: -1.0}, 0.0, STATED_ORDER, strict=True)
    if only_these and ("none", "single") not in p.stated_pairs(c):
        lp = lp.le({"r_single": 1.0, "r_none": -1.0}, 0.0, ONLY_THESE)
    if floor:
        for a, b in itertools.permutations(vocab.STATUSES, 2):
            lp = lp.le({f"r_{b}": floor, f"r_{a}": -1.0}, 0.0, FLOOR)
    if label is not None:
        value, status = label
        lp = lp.fix(f"r_{status}", value - ROUNDING_YEN, value + ROUNDING_YEN, LABEL)
    return lp
