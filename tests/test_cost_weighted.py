"""What the per-municipality ordering implies for population-weighted cost per resident, checked by brute force
on inline data and by hand on the real classes."""

import itertools

import numpy as np
import pytest

from jichitai_cloud.analysis import cost_weighted as cw


def _brute(pop, listed, n_joint, n_none, comparison):
    """The largest bound over every choice of the survey's joint members among the listed ones (and, against no
    cloud, of its no-cloud ones among the others), by enumeration."""
    idx = np.arange(len(pop))
    best = -np.inf
    for s in itertools.combinations(idx[listed], n_joint):
        others = np.setdiff1d(idx, s)
        if comparison == "not_joint":
            best = max(best, pop[others].mean() / pop[list(s)].mean())
        else:
            for n in itertools.combinations(others, n_none):
                best = max(best, pop[list(n)].mean() / pop[list(s)].mean())
    return best


@pytest.mark.parametrize("comparison", ["not_joint", "none"])
def test_the_bound_is_the_largest_over_every_choice_of_members(comparison):
    rng = np.random.default_rng(3)
    pop = rng.integers(1_000, 20_000, size=9).astype(float)
    listed = np.array([True, True, True, True, False, False, True, False, False])
    got = cw.class_bound(pop, listed, 3, 3, comparison)
    assert got["ratio_high"] == pytest.approx(_brute(pop, listed, 3, 3, comparison))
    assert got["ratio_high_best_case"] <= got["ratio_high"]


def test_no_costs_that_satisfy_the_ordering_break_the_bound():
    """Draw costs at random, keep those where joint has the lowest mean per municipality, and compare the real
    population-weighted ratio (joint ÷ the others) with the bound: it is always below."""
    rng = np.random.default_rng(11)
    pop = rng.lognormal(9, 0.6, size=40)
    joint = np.zeros(40, bool)
    joint[:6] = True
    status = np.where(joint, "joint", np.where(np.arange(40) % 2 == 0, "single", "none"))
    bound = cw.class_bound(pop, joint, 6, int((status == "none").sum()), "not_joint")["ratio_high"]
    kept = 0
    for _ in range(3000):
        cost = pop * rng.lognormal(8, 0.8, size=40)
        means = {s: cost[status == s].mean() for s in ("joint", "single", "none")}
        if means["joint"] >= min(means["single"], means["none"]):
            continue
        kept += 1
        ratio = (cost[joint].sum() / pop[joint].sum()) / (cost[~joint].sum() / pop[~joint].sum())
        assert ratio < bound
    assert kept > 50


def test_the_combined_bound_from_a_bound_on_joint_cost():
    """C_J ≤ 20, T ≥ 100, P_c = 1,000, P_J ≥ 100: 20 × 900 / (100 × 80) = 2.25."""
    assert cw.combined_ratio_high(20.0, 100.0, 1_000.0, 100.0) == pytest.approx(2.25)
    assert cw.combined_ratio_high(120.0, 100.0, 1_000.0, 100.0) == np.inf


@pytest.mark.data
def test_classes_5_and_3_by_hand(processed):
    """20～30万人未満: the survey's 2 joint municipalities are the 2 listed members of the class, so the bound is
    the other 44's mean population over theirs. 5～10万人未満: 34 of the 41 listed in 2018-04, least populous
    first (34 of 39 by start years)."""
    f = processed("municipalities")
    w = processed("evidence_weighted_bounds").set_index(["pool", "class_id", "comparison"])
    c5 = f[f["population_class_id"] == 5]
    members = c5[c5["joint_cloud_group_id"].notna()]["population_2017_01_01_persons"]
    assert len(members) == 2
    others = c5[c5["joint_cloud_group_id"].isna()]["population_2017_01_01_persons"]
    by_hand = others.mean() / members.mean()
    assert w.loc[("list_2018", 5, "not_joint"), "ratio_high"] == pytest.approx(by_hand)
    assert round(by_hand, 3) == 0.937 and w.loc[("list_2018", 5, "not_joint"), "informative"]
    c3 = f[f["population_class_id"] == 3]
    for pool, listed in (("list_2018", c3["joint_cloud_group_id"].notna()),
                         ("start_years", c3["joint_cloud_start_fy"] < 2017)):
        pops = c3.loc[listed, "population_2017_01_01_persons"].sort_values()
        small = pops.iloc[:34]
        rest = c3["population_2017_01_01_persons"].sum() - small.sum()
        assert w.loc[(pool, 3, "not_joint"), "ratio_high"] == pytest.approx((rest / (263 - 34)) / small.mean())
    assert round(w.loc[("start_years", 3, "not_joint"), "ratio_high"], 3) == 1.010
    assert not w.loc[("list_2018", 3, "not_joint"), "informative"]


@pytest.mark.data
def test_in_the_largest_class_the_per_resident_chart_tightens_the_bound(processed):
    """30万人以上: the ordering alone gives 1.76; the per-resident chart caps the 2 joint members' cost at
    2 × their cell's largest mean × the larger one's population, which brings the bound to about 1.01."""
    w = processed("evidence_weighted_bounds").set_index(["pool", "class_id", "comparison"])
    r = w.loc[("list_2018", 6, "not_joint")]
    assert round(r["ratio_high"], 2) == 1.76
    f = processed("municipalities")
    c6 = f[f["population_class_id"] == 6]
    pj = c6.loc[c6["joint_cloud_group_id"].notna(), "population_2017_01_01_persons"]
    cells = processed("evidence_cells")
    top = cells[(cells["class_id"] == 6) & (cells["cloud_status"] == "joint") & ~cells["plausibility_floor"]
                & ~cells["inferred_label"]]["upper_yen"].max()
    cap = 2 * top * pj.max()
    assert r["joint_cost_high_per_resident_oku_yen"] == pytest.approx(cap / 1e8)
    total_low = (2003 - 0.5) * 1e8
    by_hand = cap * (c6["population_2017_01_01_persons"].sum() - pj.sum()) / (pj.sum() * (total_low - cap))
    assert r["ratio_high_combined"] == pytest.approx(by_hand) and round(by_hand, 2) == 1.01
