"""Stage 4a, evidence: new joint-cloud members and what their cost would be under stated rates (試算).

Every number here is a band, never a point, and every saving is a *scenario*: a rate assumed to
apply to the new members' cost. Nothing here says what joining causes.

- **Who joins** (``evidence_new_members``): the planned joiners FY2018–FY2023 (the slide's list matched to
  codes, not yet members in 2018-04), and, for the FY2023 target (約1,100), the rest needed spread over
  the municipalities not yet in in proportion to their probability of joining FY2018–FY2023 under the
  model the out-of-sample test chose (:mod:`validation`; each municipality's expected join capped at 1).
- **Their cost** (base): each joiner's own population (住民基本台帳, 2017-01-01) × its class's cost per
  resident, between the class's population-weighted figure (published total ÷ published population) and
  its simple mean over municipalities (published), every published figure carried as its rounding
  interval. The class's cost per *municipality* is not used: it is dominated by the class's largest
  members (the 30万人以上 joiners' own populations give about 55億円 where the class average per
  municipality would give 95億円).
- **Rates** (``evidence_saving_rates``), per class:
  - ``reported``: the mean saving the 56 groups report for the systems they share (20–49%), applied to the
    whole IT cost: a scenario, "if their whole IT cost fell by the rate groups report";
  - ``class_gap_<reading>[_label]``: the cross-sectional gap between the joint-cloud and no-cloud simple means
    of cost per resident in the joiner's class. Where the published figures bound it (under 20k) the rate is
    that identified set (``published_figures``, or ``inferred_label`` with the chart label); elsewhere only
    the plausibility floor bounds its upper end (``plausibility_floor``), so ``evidence_projection_floor``
    gives the band as a function of the floor instead of one number that one case study sets.
- **Bands** (``evidence_projections``): base × rate per class, and sums: over every class, and over the
  classes of each rate source, so that the part resting on an assumption the figures do not support is
  shown beside the rest, never dropped.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from jichitai_cloud.analysis import identified_set
from jichitai_cloud.registry import vocab

CLASSES = vocab.CLASS_IDS
POPULATION = "population_2017_01_01_persons"
RATE_SOURCES = ("reported_groups", "published_figures", "inferred_label", "plausibility_floor")
FLOORS = tuple(round(0.05 * k, 2) for k in range(1, 20))  # the floors the sensitivity table spans


# --- who joins -------------------------------------------------------------------------------------------

def joiner_weights(frame: pd.DataFrame, planned: pd.DataFrame, adoption_wide: pd.DataFrame,
                   predictions: pd.DataFrame) -> pd.DataFrame:
    """One row per (scenario, municipality) with its expected join (1 for a planned joiner), class and
    population on 2017-01-01. ``attrs``: start (2018-04 members), target, rest (members the target needs
    beyond the planned joiners)."""
    f = frame.set_index("code")
    joiners = planned[(planned["counted_as"] != "undetermined") & ~planned["already_member_2018_04"]]
    actual = adoption_wide[adoption_wide["kind"] == "actual"]
    start = int(actual.loc[actual["as_of_date"] == actual["as_of_date"].max(), "joint_cloud_municipalities"].iloc[0])
    targets = adoption_wide[(adoption_wide["kind"] == "target") & adoption_wide["joint_cloud_municipalities"].notna()]
    target = int(targets["joint_cloud_municipalities"].iloc[-1])
    rest = target - start - len(joiners)
    probability = predictions["join_probability_fy2018_2023"]
    pool = predictions[~predictions["member_2018_04_01"] & ~predictions["code"].isin(joiners["code"])
                       & probability.notna()]
    expected = capped_allocation(pool["join_probability_fy2018_2023"].to_numpy(float), max(rest, 0))
    planned_rows = pd.DataFrame({"code": joiners["code"].to_numpy(), "weight": 1.0, "planned": True})
    other_rows = pd.DataFrame({"code": pool["code"].to_numpy(), "weight": expected, "planned": False})
    out = pd.concat([planned_rows.assign(scenario="planned"),
                     pd.concat([planned_rows, other_rows]).assign(scenario="target_2023")], ignore_index=True)
    out["class_id"] = out["code"].map(f["population_class_id"]).astype(int)
    out["population_persons"] = out["code"].map(f[POPULATION]).astype(float)
    out.attrs.update({"start": start, "target": target, "rest": rest})
    return out


def capped_allocation(weights: np.ndarray, total: float) -> np.ndarray:
    """Spread ``total`` expected joins in proportion to ``weights``, no municipality above 1: those that
    would exceed 1 are set to 1 and the remainder spread again over the others (water-filling)."""
    if total > len(weights) + 1e-9:
        raise ValueError(f"cannot spread {total} joins over {len(weights)} municipalities")
    out = np.zeros(len(weights))
    free = weights > 0
    left = float(total)
    while left > 1e-12 and free.any():
        share = left * weights[free] / weights[free].sum()
        if (share <= 1.0).all():
            out[free] += share
            break
        over = np.flatnonzero(free)[share > 1.0]
        out[over] = 1.0
        free[over] = False
        left = total - out.sum()
    return out


def new_members(weights: pd.DataFrame) -> pd.DataFrame:
    """``evidence_new_members``: per scenario and class, new members (expected counts may be fractional),
    planned joiners, expected others, and their population (persons, 2017-01-01)."""
    w = weights.assign(pop_w=weights["weight"] * weights["population_persons"])
    rows = []
    for scenario in pd.unique(w["scenario"]):
        s = w[w["scenario"] == scenario]
        for c in CLASSES:
            k = s[s["class_id"] == c]
            rows.append({"scenario": scenario, "class_id": c, "new_members": float(k["weight"].sum()),
                         "planned_joiners": float(k.loc[k["planned"], "weight"].sum()),
                         "expected_others": float(k.loc[~k["planned"], "weight"].sum()),
                         "new_members_population_persons": float(k["pop_w"].sum())})
    out = pd.DataFrame(rows)
    out.attrs.update(weights.attrs)
    return out


# --- their cost and the rates ----------------------------------------------------------------------------

def cost_per_resident(cost: pd.DataFrame) -> pd.DataFrame:
    """Per class, the cost per resident (円) a joiner's population is multiplied by: from the lower of the
    population-weighted figure ((total − 0.5億円) ÷ (population + 0.5千人)) and the simple mean (− 0.5円)
    to the higher of ((total + 0.5) ÷ (population − 0.5)) and (mean + 0.5). Derived from published figures."""
    total, pop = cost["it_cost_total_oku_yen"].astype(float), cost["population_thousand_persons"].astype(float)
    mean = cost["it_cost_per_resident_mean_yen"].astype(float)
    weighted_low = (total - 0.5) * 1e8 / ((pop + 0.5) * 1e3)
    weighted_high = (total + 0.5) * 1e8 / ((pop - 0.5) * 1e3)
    return pd.DataFrame({"class_id": cost["class_id"].astype(int),
                         "per_resident_low_yen": np.minimum(weighted_low, mean - identified_set.ROUNDING_YEN),
                         "per_resident_high_yen": np.maximum(weighted_high, mean + identified_set.ROUNDING_YEN)})


def saving_rates(gaps: pd.DataFrame, savings: pd.DataFrame) -> pd.DataFrame:
    """``evidence_saving_rates``: per basis and class, the rate interval (%) and where it comes from.

    A class gap is taken where the published figures bound it (its upper end below 100%); elsewhere only the
    plausibility floor would bound it, and one number a single case study sets is not given: its upper end is
    left empty (``evidence_projection_floor`` gives the amounts as a function of the floor)."""
    rows = []
    classes = sorted(int(c) for c in gaps["class_id"].unique())
    for (reading, label), g in gaps.groupby(["reading", "inferred_label"], sort=False):
        basis = vocab.gap_basis(reading, label)
        for c in classes:
            free = g[(g["class_id"] == c) & ~g["plausibility_floor"]].iloc[0]
            if free["gap_high_pct"] < 100.0 - 1e-9:
                source = "inferred_label" if free["label_used"] else "published_figures"
                high = float(free["gap_high_pct"])
            else:  # only the floor bounds it: no upper end here (evidence_projection_floor gives it by floor)
                source, high = "plausibility_floor", float("nan")
            rows.append({"basis": basis, "class_id": c, "rate_low_pct": float(free["gap_low_pct"]),
                         "rate_high_pct": high, "rate_source": source})
    mean = savings[savings["measure"] == "mean_saving"]
    for c in classes:
        rows.append({"basis": "reported", "class_id": c, "rate_low_pct": float(mean["lower_pct"].min()),
                     "rate_high_pct": float(mean["upper_pct"].max()), "rate_source": "reported_groups"})
    return pd.DataFrame(rows)


# --- the bands -------------------------------------------------------------------------------------------

_SUMMED = ("new_members", "new_members_population_persons", "base_cost_low_oku_yen", "base_cost_high_oku_yen",
           "saving_low_oku_yen", "saving_high_oku_yen")


def projections(members: pd.DataFrame, cost: pd.DataFrame, rates: pd.DataFrame,
                status_counts: pd.DataFrame) -> pd.DataFrame:
    """``evidence_projections``: per scenario, basis and class the base cost (億円 a year) and the saving band
    (base × rate, low with low); per scenario and basis the sum over every class (``rate_source`` 'all')
    and over the classes of each rate source. ``thin_support``: fewer than MIN_SUPPORT joint-cloud members
    in the survey's class (published), which matters for a class-specific gap only; nothing is dropped."""
    per = cost_per_resident(cost).set_index("class_id")
    joint = status_counts[status_counts["cloud_status"] == "joint"].set_index("class_id")["municipalities"]
    d = members.merge(rates, on="class_id").join(per, on="class_id")
    d["base_cost_low_oku_yen"] = d["new_members_population_persons"] * d["per_resident_low_yen"] / 1e8
    d["base_cost_high_oku_yen"] = d["new_members_population_persons"] * d["per_resident_high_yen"] / 1e8
    d["saving_low_oku_yen"] = d["base_cost_low_oku_yen"] * d["rate_low_pct"] / 100
    d["saving_high_oku_yen"] = d["base_cost_high_oku_yen"] * d["rate_high_pct"] / 100
    d["thin_support"] = d["class_id"].map(joint).fillna(0).lt(vocab.MIN_SUPPORT)
    keys = ["scenario", "basis"]
    def total(g):  # an unknown part leaves the sum unknown (pandas' sum would skip it)
        return g[list(_SUMMED)].sum(skipna=False)

    every = d.groupby(keys, sort=False)[list(_SUMMED)].apply(total).reset_index().assign(rate_source="all")
    mixed = d.groupby(keys, sort=False)["rate_source"].transform("nunique") > 1  # one source: its sum is 'all'
    parts = d[mixed].groupby(keys + ["rate_source"], sort=False)[list(_SUMMED)].apply(total).reset_index()
    sums = pd.concat([every, parts], ignore_index=True).assign(class_id=pd.NA, thin_support=pd.NA)
    out = pd.concat([sums, d], ignore_index=True)
    out["class_id"] = out["class_id"].astype("Int64")
    out["thin_support"] = out["thin_support"].astype("boolean")
    order = {s: i for i, s in enumerate(pd.unique(members["scenario"]))}
    source_order = {s: i for i, s in enumerate(("all",) + RATE_SOURCES)}
    out = out.sort_values(["scenario", "basis", "class_id", "rate_source"], na_position="first", kind="stable",
                          key=lambda s: s.map(order) if s.name == "scenario" else
                          (s.map(source_order) if s.name == "rate_source" else s))
    return out[["scenario", "basis", "class_id", "rate_source", "thin_support", "rate_low_pct", "rate_high_pct",
                *_SUMMED]].reset_index(drop=True)


def floor_sensitivity(p: identified_set.Published, projections_table: pd.DataFrame,
                      floors: tuple = FLOORS) -> pd.DataFrame:
    """``evidence_projection_floor``: for each class-gap basis without the inferred label, scenario and
    plausibility floor, the upper end of the saving band (億円) of the classes only the floor bounds,
    with each class's largest gap under that floor from its linear programme, and the same for the part
    the published figures bound (which moves only once the floor is tighter than the figures). A floor the
    published figures do not admit in any one class (its programme infeasible) is not admitted at all: marked
    ``admitted`` false, with no value."""
    rows = []
    for basis, reading in ((vocab.gap_basis(r), r) for r in vocab.READINGS):
        by_class = projections_table[(projections_table["basis"] == basis) & projections_table["class_id"].notna()]
        for floor in floors:
            gap_high = {c: _gap_high(p, c, reading, floor) for c in CLASSES}
            admitted = all(np.isfinite(v) for v in gap_high.values())  # a floor any class rejects is rejected
            for scenario, g in by_class.groupby("scenario", sort=False):
                for part in ("plausibility_floor", "published_figures"):
                    k = g[g["rate_source"] == part]
                    # math.fsum: exactly rounded, so the same bits on every Python (3.12 changed sum()'s rounding)
                    high = math.fsum(r.base_cost_high_oku_yen * gap_high[int(r.class_id)] / 100
                                     for r in k.itertuples()) if admitted else float("nan")
                    rows.append({"basis": basis, "scenario": scenario, "rate_source": part, "floor_ratio": floor,
                                 "classes": len(k), "admitted": admitted, "saving_high_oku_yen": high})
    return pd.DataFrame(rows)


def _gap_high(p: identified_set.Published, class_id: int, reading: str, floor: float) -> float:
    """The largest gap (%) between the joint-cloud and no-cloud means of a class under a floor."""
    lp = identified_set.cell_problem(p, class_id, reading, floor)
    return 100.0 * (1.0 - lp.ratio_low("r_joint", "r_none")) if lp.feasible() else float("nan")
