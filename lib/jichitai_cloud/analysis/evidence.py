"""Stage 4a, evidence: what the published figures themselves imply about joint cloud.

Nothing here uses the simulated survey. Inputs are the published tables (the survey's class
table, status counts, outliers, the orderings its text states and four stray chart labels), the
56-group savings distribution and the case studies, and real data (the group list, planned joins,
population). Every output says whether it is published (公表値), derived (導出値) or real (実データ).

1. **The per-resident chart's cells** (the linear programmes: :mod:`identified_set`). The published class
   mean m_c (円, rounded to the yen) is the simple mean of municipal cost per resident, so with the published counts,
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

import math

import itertools
import re
import unicodedata

import numpy as np
import pandas as pd

# Re-exported as well: report/ and notebooks/04_evidence read Published, cell_problem and floor_ratio from here.
from jichitai_cloud.analysis.identified_set import (CLASS_MEAN, FLOOR, LABEL, ONLY_THESE, OUTLIERS,  # noqa: F401
                                                    ROUNDING_YEN, STATED_ORDER, CellProblem, Published,
                                                    cell_problem, floor_ratio)
from jichitai_cloud.clean import published
from jichitai_cloud.registry import vocab


def inferred_cells(assignments: pd.DataFrame) -> list[tuple[int, int, str]]:
    """(label 円, class, status) for every label that fits exactly one cell, and the same one, under
    every reading with the plausibility floor (inferred, never published)."""
    out = []
    ok = assignments[assignments["plausible"]]
    for value, g in ok.groupby("value_yen", sort=True):
        cells = {r: set(zip(h["class_id"], h["cloud_status"])) for r, h in g.groupby("reading")}
        if set(cells) == set(vocab.READINGS) and all(len(v) == 1 for v in cells.values()) \
                and len(set.union(*cells.values())) == 1:
            c, s = next(iter(set.union(*cells.values())))
            out.append((int(value), int(c), str(s)))
    return out


def _settings():
    return itertools.product(vocab.READINGS, (False, True), (False, True))


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
            for s in vocab.STATUSES:
                iv = lp.extent({f"r_{s}": 1.0})
                if iv is None:
                    raise ArithmeticError(f"class '{vocab.class_label(c, 'en')}': the published figures admit no "
                                          f"cells under reading {reading} (floor {with_floor}, label {label})")
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
    for lab, reading, c, s in itertools.product(labels.itertuples(), vocab.READINGS, p.classes, vocab.STATUSES):
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
        for q in vocab.STATUSES:
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
    for lab, reading in itertools.product(labels.itertuples(), vocab.READINGS):
        value = int(lab.value_yen)
        fits = {(c, s): largest_floor(p, c, reading, (value, s)) for c in p.classes for s in vocab.STATUSES}
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
    "fixed_by_outliers": ("this cell is fixed at ≈{pinned:,.0f} yen by the three outliers and the 11,266 yen mean",
                          "この区分は下位3団体と11,266円から約{pinned:,.0f}円に定まる"),
    "joint_above_class_mean": ("joint cloud is the lowest cell, so it cannot exceed the class mean ({mean:,} yen)",
                               "自治体クラウドは最も低いため区分平均（{mean:,}円）を超えられない"),
    "only_these_reading": ("single cloud would be above no cloud in a class the text does not name",
                           "資料が挙げない区分で単独クラウドが未導入を上回ることになる"),
    "stated_ordering": ("contradicts an ordering the text states", "資料が述べる大小関係に反する"),
    "below_floor": ("the class's other {others} municipalities would average {low:,.0f}–{high:,.0f} yen, below "
                    "the plausibility floor", "区分の他の{others}団体の平均が{low:,.0f}～{high:,.0f}円となり、妥当性の下限を下回る"),
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
        if len(values) != len(vocab.STATUSES):
            continue
        for c in p.classes:
            # math.fsum: exactly rounded, the same bits on every Python (3.12 changed sum()'s rounding)
            implied = [math.fsum(p.counts[(c, s)] * v for s, v in zip(vocab.STATUSES, perm)) / p.n(c)
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

    lo_sum = math.fsum(g * b[0] for g, b in known)
    hi_sum = math.fsum(g * b[1] for g, b in known)
    hi_cap = math.fsum(g * min(b[1], cap) for g, b in known)
    mean_row("mean_saving", "reporting", reporting, lo_sum, hi_sum,
             "each group at its bin's lower or upper bound ('under 20%' from 0%: no group's costs rose); the open top "
             "bin up to 100%", "各グループを区分の下限または上限に置く（「２割未満」は0%から。費用が増えたグループはないとみなす）。"
             "上限のない最上位区分は100%まで")
    mean_row("mean_saving", "all_pending_as_zero", reporting + pending, lo_sum, hi_sum,
             "as above, with the groups not yet confirmed counted as 0%", "同上。確認中のグループを0%として数える")
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


def tables(t: dict, frame: pd.DataFrame, tested=None) -> dict[str, pd.DataFrame]:
    """Every evidence_* table from the published tables (``t``) and the real municipality frame.
    ``tested``: a callable returning :func:`validation.tables` of these inputs, computed elsewhere (the
    build's helper process computes it meanwhile); None: computed here."""
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
    tested = tested() if tested else validation.tables(frame, df, t["planned_joins"], t["boundaries"], adoption)
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
