"""Stage 4a, evidence: what the per-municipality chart implies for population-weighted cost per resident.

The survey's second chart (状況②, 一団体当たり経費) states that in every population class the joint-cloud
municipalities have the lowest mean cost per municipality. With C_s the total cost of the n_s
municipalities of status s in class c (C_J + C_S + C_N = T_c, n_c municipalities in all):

    C_J / n_J < C_S / n_S  and  C_J / n_J < C_N / n_N   ⇒   C_J / n_J < T_c / n_c.

What a 億円 figure needs is cost per resident *weighted by population*: C_J / P_J for the joint-cloud
municipalities (population P_J) against (T_c − C_J) / (P_c − P_J) for the others. That ratio grows
with C_J, so at the bound it is

    R = [C_J / P_J] / [(T_c − C_J) / (P_c − P_J)]  <  (P_c − P_J) / (n_c − n_J)  ÷  P_J / n_J,

the mean population of the class's other municipalities over the mean population of its joint-cloud
ones. T_c cancels, so its rounding does not matter; the bound is strict (the ordering is). Against no
cloud alone, C_N > n_N · C_J / n_J gives R_none < (P_N / n_N) ÷ (P_J / n_J).

The survey's joint-cloud municipalities are not named. The premise is that its 357 are among the members
the 2018-04 list gives, class by class (379 operating by 2017-04-01 by their groups' start years, 407 in
2018-04); which ones is not known, so every bound here is the largest over every choice of n_J listed
members of the class (the least populous ones), and, against no cloud, of n_N other municipalities (the
most populous ones): it holds whichever the survey counted. Where a class has exactly n_J listed members
(20～30万人未満: 2 of 2) the premise fixes them; the pool ``any_in_class`` drops the premise and shows what
the ordering alone says (nothing, in every class). Populations are the real 住民基本台帳 figures of 2017-01-01, the
survey's own basis. A bound below 1 says the figures put population-weighted joint-cloud cost per
resident below the others'; at or above 1 they say nothing more than the chart's "lowest".

The per-resident chart (simple means, :mod:`evidence`) bounds Σ c_i / p_i, not Σ c_i: the two combine
only through the members' populations, C_J ≤ n_J · r̄_J,max · max p_i. That bound is reported beside the
ordering's (n_J · T_c / n_c) so a reader sees which binds.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jichitai_cloud.clean import municipalities
from jichitai_cloud.errors import ParameterError
from jichitai_cloud.registry import vocab

POOLS = {  # which municipalities the survey's joint-cloud ones are taken from
    "start_years": vocab.STATUS_DATE,  # members whose group started before FY2017 (379)
    "list_2018": vocab.LIST_DATE,  # every member of the 2018-04 list (407): the premise the headline states
    "any_in_class": None,  # any municipality of the class: the sensitivity without the list (no premise)
}
COMPARISONS = ("not_joint", "none")
POPULATION = "population_2017_01_01_persons"


def _extreme_mean(values: np.ndarray, k: int, largest: bool) -> float:
    """Mean of the k largest (or smallest) values."""
    v = np.sort(values)
    return float(v[-k:].mean() if largest else v[:k].mean())


def class_bound(pop: np.ndarray, listed: np.ndarray, n_joint: int, n_none: int, comparison: str) -> dict:
    """The bound of one class: ``pop`` the populations of all its municipalities, ``listed`` whether each
    is a listed member, ``n_joint`` / ``n_none`` the published counts.

    Returns the sup over the unknown choice of the survey's joint members (and, against no cloud, its
    no-cloud ones) of the ratio bound, its inf (the bound were the survey to have counted the most
    populous listed members), and the mean populations behind the sup.
    """
    if comparison not in COMPARISONS:
        raise ParameterError(f"comparison must be one of {', '.join(COMPARISONS)}; got {comparison!r}")
    pool = np.sort(pop[listed])
    rest = np.sort(pop[~listed])
    if len(pool) >= n_joint:
        small, large = pool[:n_joint], pool[len(pool) - n_joint:]
        others_small = np.concatenate([pool[n_joint:], rest])
        others_large = np.concatenate([pool[:len(pool) - n_joint], rest])
    else:  # fewer listed than published: the rest of the survey's joint members are unlisted (any of them)
        short = n_joint - len(pool)
        small = np.concatenate([pool, rest[:short]])
        large = np.concatenate([pool, rest[len(rest) - short:]])
        others_small, others_large = rest[short:], rest[:len(rest) - short]
    if comparison == "not_joint":
        sup = others_small.mean() / small.mean()
        inf = others_large.mean() / large.mean()
        other_mean = float(others_small.mean())
    else:
        sup = _extreme_mean(others_small, n_none, largest=True) / small.mean()
        inf = _extreme_mean(others_large, n_none, largest=False) / large.mean()
        other_mean = _extreme_mean(others_small, n_none, largest=True)
    return {"ratio_high": float(sup), "ratio_high_best_case": float(inf),
            "joint_mean_population_persons": float(small.mean()), "other_mean_population_persons": other_mean,
            "listed_pool_short": len(pool) < n_joint}


def combined_ratio_high(joint_cost_high_yen: float, total_low_yen: float, class_population: float,
                        joint_population_low: float) -> float:
    """The bound on population-weighted joint ÷ not-joint cost per resident from a bound on C_J alone:
    C_J·(P_c − P_J) / (P_J·(T_c − C_J)) grows with C_J and falls with P_J and T_c, so the largest
    C_J, the smallest P_J and the smallest T_c (its rounding's lower end) give a bound for every choice."""
    if joint_cost_high_yen >= total_low_yen:
        return float("inf")
    return (joint_cost_high_yen * (class_population - joint_population_low)
            / (joint_population_low * (total_low_yen - joint_cost_high_yen)))


def bounds(frame: pd.DataFrame, pub: dict, cells: pd.DataFrame) -> pd.DataFrame:
    """``evidence_weighted_bounds``: per class, pool and comparison, the upper bound on the ratio of
    population-weighted cost per resident (joint ÷ the others), the gap it implies (%), whether it is
    informative (< 1), and the combination check with the per-resident cells (億円)."""
    counts = pub["published_status_counts"].set_index(["class_id", "cloud_status"])["municipalities"]
    cost = pub["published_cost_by_class"].set_index("class_id")
    rows = []
    for pool, as_of in POOLS.items():
        listed_all = (np.ones(len(frame), bool) if as_of is None
                      else municipalities.joint_cloud_as_of(frame, as_of).to_numpy())
        for c in vocab.POPULATION_CLASSES:
            k = c.class_id
            in_class = (frame["population_class_id"] == k).to_numpy()
            pop = frame.loc[in_class, POPULATION].to_numpy(float)
            listed = listed_all[in_class]
            n_joint, n_none = int(counts[(k, "joint")]), int(counts[(k, "none")])
            total = float(cost.loc[k, "it_cost_total_oku_yen"])
            ordering_oku = n_joint * (total + 0.5) / len(pop)
            # the largest population any n_J listed members can include (all listed when too few)
            max_listed = float(pop[listed].max()) if listed.sum() >= n_joint else float(pop.max())
            per_resident_oku = n_joint * _joint_cell_high(cells, k) * max_listed / 1e8
            for comparison in COMPARISONS:
                b = class_bound(pop, listed, n_joint, n_none, comparison)
                combined = b["ratio_high"]
                if comparison == "not_joint":  # against no cloud alone the per-resident cell cannot help
                    combined = min(combined, combined_ratio_high(per_resident_oku * 1e8, (total - 0.5) * 1e8,
                                                                 float(pop.sum()),
                                                                 n_joint * b["joint_mean_population_persons"]))
                rows.append({"pool": pool, "class_id": k, "population_class_ja": c.label_ja,
                             "comparison": comparison, "municipalities": len(pop), "survey_joint": n_joint,
                             "listed_members": int(listed.sum()), **b,
                             "joint_cost_high_ordering_oku_yen": ordering_oku,
                             "joint_cost_high_per_resident_oku_yen": per_resident_oku,
                             "ratio_high_combined": combined,
                             "gap_low_pct": 100.0 * (1.0 - combined),
                             "informative": bool(combined < 1.0)})
    return pd.DataFrame(rows)


def _joint_cell_high(cells: pd.DataFrame, class_id: int) -> float:
    """The largest joint-cloud mean per resident (円) any reading allows, without floor or label: the
    per-resident chart's weakest statement, so that the combination holds under every reading."""
    c = cells[(cells["class_id"] == class_id) & (cells["cloud_status"] == "joint") & ~cells["inferred_label"]
              & ~cells["plausibility_floor"]]
    return float(c["upper_yen"].max())
