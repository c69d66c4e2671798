"""Stage 4a, evidence: what the published figures themselves imply about joint cloud.

Nothing here uses the simulated survey. Inputs are the published tables (the survey's class
table, status counts, outliers, the orderings its text states and four stray chart labels), the
56-group savings distribution and the case studies, and real data (the group list, planned joins,
population). Every output says whether it is published (公表値), derived (導出値) or real (実データ).

1. **The per-resident chart's cells.** The published class mean m_c (円, rounded to the yen) is the
   simple mean of municipal cost per resident, so with the published counts,
   n_J·r_J + n_S·r_S + n_N·r_N = n_c·m_c, where r_s is the mean of the municipalities of status s.
   With the orderings the text states (joint lowest in every class; single above none in three
   classes), the reading that single is *not* above none in the other three ("only these"), and
   the under-20k single-cloud cell pinned by the three outliers and the 11,266円 mean without them,
   every cell and the joint/none ratio lie in an interval: the identified set, computed by linear
   programming (ratios by the Charnes–Cooper transformation). Every published integer is carried
   as its rounding interval (± 0.5). Strict orderings make some bounds unattainable: an
   ``*_open`` column says so.
   The text's "single above none" in the under-20k class can compare the single-cloud mean with the
   three villages (≈14,312円) or without them (11,266円): both readings are computed.
2. **The four stray chart labels.** Each label is tried against every cell, with the constraints
   above (arithmetic) and with a plausibility floor: no cell of a class below ``floor_ratio`` times
   another cell of the same class, ``floor_ratio`` = 1 − the largest saving any case study reports
   (70% → 0.30). A label that fits exactly one cell under both readings is an *inferred* assignment,
   never a published one, and every analysis that uses it has a switch to leave it out.
3. **Reported savings.** The 56-group distribution is interval-censored: bounds on the mean, the
   share at 30% or more, the median bin; the seven case studies with their bases.
4. **Who joins** is in :mod:`jichitai_cloud.analysis.membership` (real data, no costs).
5. **Projections** are in :mod:`projections` (scenarios, never estimates); what the per-municipality chart
   implies for population-weighted cost per resident is in :mod:`cost_weighted`.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from jichitai_cloud.clean import published

STATUSES = ("joint", "single", "none")
READINGS = {
    "without_3": ("'single above none' in the under-20k class compares no cloud with the single-cloud mean without "
                  "the three least-populous villages (11,266円)",
                  "２万人未満の「未導入より単独クラウドが高い」は、人口数下位3団体を除いた単独クラウドの平均（11,266円）との比較"),
    "with_3": ("'single above none' in the under-20k class compares no cloud with the single-cloud mean including "
               "the three villages (≈14,312円)",
               "２万人未満の「未導入より単独クラウドが高い」は、下位3団体を含む単独クラウドの平均（約14,312円）との比較"),
}
DEFAULT_READING = "without_3"
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
GROUP_TEXT = {
    CLASS_MEAN: ("the class's published mean and counts", "区分の公表平均と団体数"),
    STATED_ORDER: ("an ordering the text states", "資料が述べる大小関係"),
    ONLY_THESE: ("the reading that single is not above none outside the three classes the text names",
                 "資料が挙げる3区分以外では単独クラウドが未導入を上回らないという読み"),
    OUTLIERS: ("the under-20k single-cloud cell fixed by the three outliers and the 11,266円 mean",
               "下位3団体と11,266円で定まる２万人未満の単独クラウドの平均"),
    FLOOR: ("the plausibility floor", "妥当性の下限"),
}


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

    # -- solving --

    def _matrices(self, margin: float):
        names = list(self.bounds)
        col = {n: i for i, n in enumerate(names)}
        a_ub, b_ub, a_eq, b_eq = [], [], [], []
        for r in self.rows:
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

    def _solve(self, objective: dict, sense: int, margin: float) -> float | None:
        # The same programme recurs (a label's arithmetic fit, then its floors; cells, then gaps): solve once.
        key = (tuple(self.bounds.items()), self.rows, tuple(objective.items()), sense, margin)
        if key not in _SOLVED:
            _SOLVED[key] = self._solve_now(objective, sense, margin)
        return _SOLVED[key]

    def _solve_now(self, objective: dict, sense: int, margin: float) -> float | None:
        names, col, a_ub, b_ub, a_eq, b_eq = self._matrices(margin)
        c = np.zeros(len(names))
        for v, k in objective.items():
            c[col[v]] += sense * k
        res = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq,
                      bounds=[self.bounds[n] for n in names], method="highs")
        if res.status == 2:
            return None  # infeasible
        if res.status != 0:
            raise ArithmeticError(f"class {self.class_id}: linear programme failed: {res.message}")
        return sense * float(res.fun)

    def feasible(self) -> bool:
        return self._solve({}, 1, 0.0) is not None

    def extent(self, expr: dict) -> Interval | None:
        """Infimum and supremum of a linear expression over the set (None if the set is empty)."""
        lo, hi = self._solve(expr, 1, 0.0), self._solve(expr, -1, 0.0)
        if lo is None:
            return None
        lo_t, hi_t = self._solve(expr, 1, STRICT_MARGIN), self._solve(expr, -1, STRICT_MARGIN)
        tol = 1e-7 * max(1.0, abs(lo), abs(hi))
        return Interval(lo, hi, lo_t is None or lo_t - lo > tol, hi_t is None or hi - hi_t > tol)

    def ratio_extent(self, num: str, den: str) -> Interval | None:
        """Infimum and supremum of num / den (den > 0) by the Charnes–Cooper transformation:
        y = t·x, t = 1 / den turns the ratio into a linear objective over a cone."""
        lo, hi = self._ratio(num, den, 1, 0.0), self._ratio(num, den, -1, 0.0)
        if lo is None:
            return None
        lo_t, hi_t = self._ratio(num, den, 1, STRICT_MARGIN), self._ratio(num, den, -1, STRICT_MARGIN)
        tol = 1e-9
        return Interval(lo, hi, lo_t is None or lo_t - lo > tol, hi_t is None or hi - hi_t > tol)

    def ratio_low(self, num: str, den: str) -> float:
        """The infimum of num / den alone (one programme; see :meth:`ratio_extent`)."""
        low = self._ratio(num, den, 1, 0.0)
        if low is None:
            raise ArithmeticError(f"class {self.class_id}: the programme is infeasible")
        return low

    def _ratio(self, num: str, den: str, sense: int, margin: float) -> float | None:
        names, col, a_ub, b_ub, a_eq, b_eq = self._matrices(margin)
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
            lo, hi = self.bounds[n]
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
            raise ArithmeticError(f"class {self.class_id}: ratio programme failed: {res.message}")
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
            raise ValueError("published_survey_outliers: expected the outliers of one class and one mean without them")
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
        return sum(self.counts[(c, s)] for s in STATUSES)

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


def cell_problem(p: Published, class_id: int, reading: str = DEFAULT_READING, floor: float | None = None,
                 only_these: bool = True, label: tuple[int, str] | None = None) -> CellProblem:
    """The linear programme of one class's cells r_joint, r_single, r_none (円).

    ``label``: (value 円, status) pins that cell to the label's rounding interval.
    """
    if reading not in READINGS:
        raise ValueError(f"reading must be one of {', '.join(READINGS)}; got {reading!r}")
    c = class_id
    lp = CellProblem(c)
    for s in STATUSES:
        lp = lp.var(f"r_{s}")
    m = p.means[c]
    lp = lp.var("class_mean", m - ROUNDING_YEN, m + ROUNDING_YEN)
    lp = lp.eq({**{f"r_{s}": p.counts[(c, s)] for s in STATUSES}, "class_mean": -p.n(c)}, 0.0, CLASS_MEAN)
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
        if pinned and reading == "without_3" and hi == p.outlier_status:
            higher = "mean_without_outliers"
        lp = lp.le({f"r_{lo}": 1.0, higher: -1.0}, 0.0, STATED_ORDER, strict=True)
    if only_these and ("none", "single") not in p.stated_pairs(c):
        lp = lp.le({"r_single": 1.0, "r_none": -1.0}, 0.0, ONLY_THESE)
    if floor:
        for a, b in itertools.permutations(STATUSES, 2):
            lp = lp.le({f"r_{b}": floor, f"r_{a}": -1.0}, 0.0, FLOOR)
    if label is not None:
        value, status = label
        lp = lp.fix(f"r_{status}", value - ROUNDING_YEN, value + ROUNDING_YEN, LABEL)
    return lp


def inferred_cells(assignments: pd.DataFrame) -> list[tuple[int, int, str]]:
    """(label 円, class, status) for every label that fits exactly one cell, and the same one, under
    every reading with the plausibility floor (inferred, never published)."""
    out = []
    ok = assignments[assignments["plausible"]]
    for value, g in ok.groupby("value_yen", sort=True):
        cells = {r: set(zip(h["class_id"], h["cloud_status"])) for r, h in g.groupby("reading")}
        if set(cells) == set(READINGS) and all(len(v) == 1 for v in cells.values()) \
                and len(set.union(*cells.values())) == 1:
            c, s = next(iter(set.union(*cells.values())))
            out.append((int(value), int(c), str(s)))
    return out


def _settings():
    return itertools.product(READINGS, (False, True), (False, True))


def _problem(p: Published, c: int, reading: str, use_label: bool, with_floor: bool, floor: float,
             inferred: list) -> tuple[CellProblem, tuple | None]:
    label = next(((v, s) for v, k, s in inferred if k == c), None) if use_label else None
    return cell_problem(p, c, reading, floor if with_floor else None, label=label), label


def identified_cells(p: Published, floor: float, inferred: list[tuple[int, int, str]]) -> pd.DataFrame:
    """The identified set of every cell mean (円), per class, under each reading, with and without
    the plausibility floor, with and without the inferred label cells."""
    rows = []
    for reading, use_label, with_floor in _settings():
        for c in p.classes:
            lp, label = _problem(p, c, reading, use_label, with_floor, floor, inferred)
            for s in STATUSES:
                iv = lp.extent({f"r_{s}": 1.0})
                if iv is None:
                    raise ArithmeticError(f"class {c}: the published figures admit no cells under reading {reading} "
                                          f"(floor {with_floor}, label {label})")
                rows.append({"reading": reading, "inferred_label": use_label, "plausibility_floor": with_floor,
                             "class_id": c, "population_class_ja": p.labels_ja[c], "cloud_status": s,
                             "label_used": label is not None, "lower_yen": iv.lower, "upper_yen": iv.upper,
                             "lower_open": iv.lower_open, "upper_open": iv.upper_open})
    return pd.DataFrame(rows)


def identified_gaps(p: Published, floor: float, inferred: list[tuple[int, int, str]]) -> pd.DataFrame:
    """The identified set of the joint/none ratio of mean cost per resident, per class and setting,
    and the gap 100 × (1 − ratio) (%): how far the joint-cloud mean lies below the no-cloud mean."""
    rows = []
    for reading, use_label, with_floor in _settings():
        for c in p.classes:
            lp, label = _problem(p, c, reading, use_label, with_floor, floor, inferred)
            iv = lp.ratio_extent("r_joint", "r_none")
            rows.append({"reading": reading, "inferred_label": use_label, "plausibility_floor": with_floor,
                         "class_id": c, "population_class_ja": p.labels_ja[c], "label_used": label is not None,
                         "ratio_low": iv.lower, "ratio_high": iv.upper, "ratio_low_open": iv.lower_open,
                         "ratio_high_open": iv.upper_open, "gap_low_pct": 100 * (1 - iv.upper),
                         "gap_high_pct": 100 * (1 - iv.lower)})
    return pd.DataFrame(rows)


def label_assignments(p: Published, labels: pd.DataFrame, floor: float) -> pd.DataFrame:
    """Every stray chart label against every cell, under each reading: does it fit arithmetically
    (the published mean, counts, stated orderings, the 'only these' reading and the pinned cell),
    and plausibly (with the floor)? Where it does not, the group of constraints it conflicts with;
    the implied mean of the class's other municipalities; and, where it fits, the other cells."""
    rows = []
    for lab, reading, c, s in itertools.product(labels.itertuples(), READINGS, p.classes, STATUSES):
        value = int(lab.value_yen)
        lp = cell_problem(p, c, reading, None, label=(value, s))
        arithmetic = lp.feasible()
        plausible_lp = cell_problem(p, c, reading, floor, label=(value, s))
        plausible = arithmetic and plausible_lp.feasible()
        conflict = "" if arithmetic else "+".join(_conflicts(lp))
        if arithmetic and not plausible:
            conflict = FLOOR
        others = p.n(c) - p.counts[(c, s)]
        m = p.means[c]
        row = {"value_yen": value, "value_as_written": lab.value_as_written, "line_as_written": lab.line_as_written,
               "reading": reading, "class_id": c, "population_class_ja": p.labels_ja[c], "cloud_status": s,
               "class_mean_yen": m, "arithmetic": arithmetic, "plausible": plausible, "conflict": conflict,
               "others_municipalities": others,
               "others_mean_low_yen": (p.n(c) * (m - ROUNDING_YEN) - p.counts[(c, s)] * (value + ROUNDING_YEN)) / others,
               "others_mean_high_yen": (p.n(c) * (m + ROUNDING_YEN) - p.counts[(c, s)] * (value - ROUNDING_YEN)) / others}
        row["reason"] = _reason(row, p, conflict)
        for q in STATUSES:
            iv = plausible_lp.extent({f"r_{q}": 1.0}) if plausible else None
            row[f"{q}_low_yen"] = iv.lower if iv else np.nan
            row[f"{q}_high_yen"] = iv.upper if iv else np.nan
        rows.append(row)
    return pd.DataFrame(rows)


FLOOR_TOLERANCE = 0.001  # precision of the largest floor at which a label still fits a cell


def largest_floor(p: Published, class_id: int, reading: str, label: tuple[int, str]) -> float:
    """The largest plausibility floor under which the label still fits the cell (0 if it fits only
    without a floor, NaN if it does not fit arithmetically), to FLOOR_TOLERANCE, by bisection:
    fitting under a floor implies fitting under every lower floor."""
    if not cell_problem(p, class_id, reading, None, label=label).feasible():
        return float("nan")
    lo, hi = 0.0, 1.0
    if cell_problem(p, class_id, reading, hi, label=label).feasible():
        return 1.0
    while hi - lo > FLOOR_TOLERANCE:
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if cell_problem(p, class_id, reading, mid, label=label).feasible() else (lo, mid)
    return round(lo, 3)


def label_robustness(p: Published, labels: pd.DataFrame, floor: float) -> pd.DataFrame:
    """How much the inferred assignment depends on the plausibility floor: per label, reading and cell
    it fits arithmetically, the largest floor under which it still fits; per label and reading, the
    range of floors under which exactly one cell fits (empty where none does), and whether the floor
    used lies in it. Derived."""
    rows = []
    for lab, reading in itertools.product(labels.itertuples(), READINGS):
        value = int(lab.value_yen)
        fits = {(c, s): largest_floor(p, c, reading, (value, s)) for c in p.classes for s in STATUSES}
        fits = {k: v for k, v in fits.items() if v == v}
        ranked = sorted(fits.values(), reverse=True)
        unique_low = ranked[1] if len(ranked) > 1 else 0.0
        unique_high = ranked[0] if ranked else float("nan")
        best = max(fits, key=fits.get) if ranked and unique_high > unique_low else None
        for (c, s), f in sorted(fits.items()):
            rows.append({"value_yen": value, "reading": reading, "class_id": c, "cloud_status": s,
                         "largest_floor": f, "unique": (c, s) == best,
                         "unique_floor_low": unique_low if best else float("nan"),
                         "unique_floor_high": unique_high if best else float("nan"),
                         "floor_used": floor,
                         "unique_at_floor_used": bool(best == (c, s) and unique_low < floor <= unique_high)})
    return pd.DataFrame(rows)


# Why a label does not fit a cell, in the order tested: the first that applies.
REASONS = {
    "fits": ("fits", "当てはまる"),
    "exceeds_class_total": ("the cell's municipalities at this value alone exceed the class total",
                            "この値ではその区分・状況の団体だけで区分の総額を超える"),
    "fixed_by_outliers": ("this cell is fixed at ≈{pinned:,.0f}円 by the three outliers and the 11,266円 mean",
                          "この区分は下位3団体と11,266円から約{pinned:,.0f}円に定まる"),
    "joint_above_class_mean": ("joint cloud is the lowest cell, so it cannot exceed the class mean ({mean:,}円)",
                               "自治体クラウドは最も低いため区分平均（{mean:,}円）を超えられない"),
    "only_these_reading": ("single cloud would be above no cloud in a class the text does not name",
                           "資料が挙げない区分で単独クラウドが未導入を上回ることになる"),
    "stated_ordering": ("contradicts an ordering the text states", "資料が述べる大小関係に反する"),
    "below_floor": ("the class's other {others} municipalities would average {low:,.0f}–{high:,.0f}円, below the "
                    "plausibility floor", "区分の他の{others}団体の平均が{low:,.0f}～{high:,.0f}円となり、妥当性の下限を下回る"),
}


def _reason(row: dict, p: Published, conflict: str) -> str:
    if row["plausible"]:
        return "fits"
    if row["others_mean_high_yen"] < 0:
        return "exceeds_class_total"
    if row["class_id"] == p.outlier_class and row["cloud_status"] == p.outlier_status and OUTLIERS in conflict:
        return "fixed_by_outliers"
    if row["cloud_status"] == "joint" and row["value_yen"] - ROUNDING_YEN > p.means[row["class_id"]] + ROUNDING_YEN:
        return "joint_above_class_mean"
    if ONLY_THESE in conflict:
        return "only_these_reading"
    if STATED_ORDER in conflict:
        return "stated_ordering"
    if conflict == FLOOR:
        return "below_floor"
    raise AssertionError(f"no reason for {row} ({conflict})")


def reason_text(row, lang: str = "en", pinned: float = float("nan")) -> str:
    """A label assignment's reason in words (``row``: a row of label_assignments)."""
    en, ja = REASONS[row["reason"]]
    mean = int(row.get("class_mean_yen", 0) or 0)
    return (ja if lang == "ja" else en).format(pinned=pinned, mean=mean, others=int(row["others_municipalities"]),
                                               low=row["others_mean_low_yen"], high=row["others_mean_high_yen"])


def _conflicts(lp: CellProblem) -> list[str]:
    """The smallest sets of constraint groups (besides the label) whose removal makes an infeasible
    programme feasible: the groups the label conflicts with. Several singletons mean any one of
    them, dropped alone, would let the label fit."""
    groups = [g for g in lp.groups if g != LABEL]
    for size in (1, 2):
        hits = ["&".join(combo) for combo in itertools.combinations(groups, size) if lp.without(*combo).feasible()]
        if hits:
            return hits
    return ["&".join(groups)]


def label_triples(p: Published, labels: pd.DataFrame) -> pd.DataFrame:
    """Labels printed on one line, tried as the three bars of one class (every order): the class
    mean they imply against the published mean. Both are rounded to 1円: the implied mean (a weighted
    mean of labels each within ± 0.5) and the published mean each lie within ± 0.5 of their true
    values, so an order fits when they differ by at most 1円."""
    rows = []
    for line, g in labels.groupby("line_as_written", sort=False):
        values = [int(v) for v in g["value_yen"]]
        if len(values) != len(STATUSES):
            continue
        for c in p.classes:
            implied = [sum(p.counts[(c, s)] * v for s, v in zip(STATUSES, perm)) / p.n(c)
                       for perm in itertools.permutations(values)]
            fits = [abs(x - p.means[c]) <= 2 * ROUNDING_YEN for x in implied]
            rows.append({"line_as_written": line, "class_id": c, "population_class_ja": p.labels_ja[c],
                         "published_mean_yen": p.means[c], "implied_mean_low_yen": min(implied),
                         "implied_mean_high_yen": max(implied), "orders_tried": len(implied),
                         "orders_fitting": int(sum(fits))})
    return pd.DataFrame(rows)


# --- reported savings ----------------------------------------------------------------------------------

def _bin(category: str) -> tuple[float, float] | None:
    """'３割以上～４割未満' -> (30, 40); '４割以上' -> (40, 100); '２割未満' -> (0, 20); '確認中' -> None."""
    s = unicodedata.normalize("NFKC", category)
    lo = re.search(r"([0-9]+)割以上", s)
    hi = re.search(r"([0-9]+)割未満", s)
    if not lo and not hi:
        return None
    return (10.0 * int(lo.group(1)) if lo else 0.0, 10.0 * int(hi.group(1)) if hi else 100.0)


def reported_savings(shares: pd.DataFrame, case_savings: pd.DataFrame) -> pd.DataFrame:
    """Bounds on what the 56-group savings distribution says (%), interval-censored.

    The mean saving of the groups that reported lies between the mean of the bins' lower
    bounds and of their upper bounds (the open top bin capped at 100%, or, as a sensitivity,
    at the largest saving any case study reports). 確認中 (not yet confirmed) groups are left
    out, or counted as 0%.
    """
    bins = [(r.category_as_written, int(r.groups), _bin(r.category_as_written)) for r in shares.itertuples()]
    known = [(g, b) for _, g, b in bins if b is not None]
    pending = sum(g for _, g, b in bins if b is None)
    reporting = sum(g for g, _ in known)
    cap = float(case_savings["reduction_pct"].max())
    rows = []

    def mean_row(measure, basis, n_groups, lo_sum, hi_sum, note_en, note_ja):
        rows.append({"measure": measure, "basis": basis, "groups": n_groups, "lower_pct": lo_sum / n_groups,
                     "upper_pct": hi_sum / n_groups, "assumption": note_en, "assumption_ja": note_ja})

    lo_sum = sum(g * b[0] for g, b in known)
    hi_sum = sum(g * b[1] for g, b in known)
    hi_cap = sum(g * min(b[1], cap) for g, b in known)
    mean_row("mean_saving", "reporting", reporting, lo_sum, hi_sum,
             "each group at its bin's lower or upper bound ('under 20%' from 0%: no group's costs rose); the open top "
             "bin up to 100%", "各グループを区分の下限または上限に置く（「２割未満」は0%から。費用が増えたグループはないとみなす）。"
             "上限のない最上位区分は100%まで")
    mean_row("mean_saving", "all_pending_as_zero", reporting + pending, lo_sum, hi_sum,
             "as above, with the groups not yet confirmed (確認中) counted as 0%", "同上。確認中のグループを0%として数える")
    mean_row("mean_saving_top_capped", "reporting", reporting, lo_sum, hi_cap,
             f"as the first row, with the top bin capped at {cap:g}%, the largest saving any case study reports",
             f"最初の行と同じ。ただし最上位区分を導入事例の最大の削減率{cap:g}%までとする")
    at_least_30 = sum(g for g, b in known if b[0] >= 30)
    for basis, n_groups in (("reporting", reporting), ("all_pending_as_zero", reporting + pending)):
        share = 100.0 * at_least_30 / n_groups
        rows.append({"measure": "share_at_least_30", "basis": basis, "groups": n_groups, "lower_pct": share,
                     "upper_pct": share, "assumption": "groups in the bins of 30% and more",
                     "assumption_ja": "３割以上の区分のグループ"})
        ordered = sorted(known, key=lambda x: x[1][0])
        if basis == "all_pending_as_zero":
            ordered = [(pending, (0.0, 0.0))] + ordered
        median = _median_bin(ordered, n_groups)
        rows.append({"measure": "median_bin", "basis": basis, "groups": n_groups, "lower_pct": median[0],
                     "upper_pct": median[1], "assumption": "the bin holding the middle group(s)",
                     "assumption_ja": "中央のグループが属する区分"})
    return pd.DataFrame(rows)


def _median_bin(ordered: list, n: int) -> tuple[float, float]:
    """The bin (lower, upper) holding the middle group (or both middle groups: their hull)."""
    middle = {(n + 1) // 2, (n + 2) // 2}
    cum, hit = 0, []
    for g, b in ordered:
        if any(cum < k <= cum + g for k in middle):
            hit.append(b)
        cum += g
    return min(b[0] for b in hit), max(b[1] for b in hit)


def tables(t: dict, frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Every evidence_* table from the published tables (``t``) and the real municipality frame."""
    from jichitai_cloud.analysis import cost_weighted, membership, projections, validation
    from jichitai_cloud.registry import schema

    p = Published.from_tables(t)
    floor = floor_ratio(t["case_study_savings"])
    labels = t["published_chart_labels"]
    assignments = label_assignments(p, labels, floor)
    inferred = inferred_cells(assignments)
    assignments["inferred"] = [(v, c, s) in inferred for v, c, s in
                               zip(assignments["value_yen"], assignments["class_id"], assignments["cloud_status"])]
    cells = identified_cells(p, floor, inferred)
    gaps = identified_gaps(p, floor, inferred)
    savings = reported_savings(t["savings_56_groups"], t["case_study_savings"])
    df = membership.model_frame(frame)
    coefs, models = membership.coefficients(df)
    predictions = membership.predictions(frame, df)
    adoption = published.adoption_wide(t["published_adoption"])
    tested = validation.tables(frame, df, t["planned_joins"], t["boundaries"], adoption)
    predictions["join_probability_fy2018_2023"] = predictions["code"].map(tested.pop("join_probability"))
    weights = projections.joiner_weights(frame, t["planned_joins"], published.adoption_wide(t["published_adoption"]),
                                         predictions)
    members = projections.new_members(weights)
    rates = projections.saving_rates(gaps, savings)
    proj = projections.projections(members, t["published_cost_by_class"], rates, t["published_status_counts"])
    out = {
        "evidence_cells": cells,
        "evidence_gaps": gaps,
        "evidence_label_assignments": assignments,
        "evidence_label_triples": label_triples(p, labels),
        "evidence_label_robustness": label_robustness(p, labels, floor),
        "evidence_savings": savings,
        "evidence_membership_coefficients": coefs,
        "evidence_membership_models": models,
        "evidence_membership_effects": membership.marginal_effects(df),
        "evidence_membership_shares": membership.shares(frame),
        "evidence_membership_predictions": predictions,
        "evidence_membership_prefecture_ranges": membership.prefecture_ranges(df),
        **tested,
        "evidence_new_members": members,
        "evidence_saving_rates": rates,
        "evidence_projections": proj,
        "evidence_projection_floor": projections.floor_sensitivity(p, proj),
        "evidence_weighted_bounds": cost_weighted.bounds(frame, t, cells),
    }
    return {name: schema.conform(name, df) for name, df in out.items()}
