"""Projections (scenarios): who joins, their cost, the rates and the bands, against hand computations."""

import csv

import numpy as np
import pandas as pd
import pytest

from jichitai_cloud.analysis import projections as pj
from jichitai_cloud.io import sources
from jichitai_cloud.registry import vocab


def test_cost_per_resident_spans_the_weighted_figure_and_the_simple_mean():
    """10億円 over 100千人 (rounded: 9.5–10.5億円, 99.5–100.5千人) and a simple mean of 12,000円 (± 0.5)."""
    cost = pd.DataFrame({"class_id": [1], "it_cost_total_oku_yen": [10], "population_thousand_persons": [100],
                         "it_cost_per_resident_mean_yen": [12_000]})
    r = pj.cost_per_resident(cost).iloc[0]
    assert r["per_resident_low_yen"] == pytest.approx(9.5e8 / 100.5e3)
    assert r["per_resident_high_yen"] == pytest.approx(12_000.5)
    # a class whose simple mean lies below its weighted figure: the ends swap sources
    cost2 = cost.assign(it_cost_per_resident_mean_yen=[9_000])
    r2 = pj.cost_per_resident(cost2).iloc[0]
    assert r2["per_resident_low_yen"] == pytest.approx(8_999.5)
    assert r2["per_resident_high_yen"] == pytest.approx(10.5e8 / 99.5e3)


def test_capped_allocation_spreads_in_proportion_and_caps_at_one():
    """2 joins over weights 0.9, 0.5, 0.1: 0.9's share (1.2) is capped at 1, the other 1 goes 5:1."""
    out = pj.capped_allocation(np.array([0.9, 0.5, 0.1]), 2.0)
    assert out == pytest.approx([1.0, 5 / 6, 1 / 6])
    assert pj.capped_allocation(np.array([1.0, 1.0, 2.0]), 2.0) == pytest.approx([0.5, 0.5, 1.0])
    with pytest.raises(ValueError, match="cannot spread"):
        pj.capped_allocation(np.array([0.5, 0.5]), 3.0)


def _inline():
    cost = pd.DataFrame({"class_id": [1, 2], "it_cost_total_oku_yen": [10, 30], "population_thousand_persons": [100, 1000],
                         "it_cost_per_resident_mean_yen": [12_000, 3_000]})
    members = pd.DataFrame({"scenario": ["s", "s"], "class_id": [1, 2], "new_members": [2.0, 1.0],
                            "new_members_population_persons": [5_000.0, 200_000.0]})
    rates = pd.DataFrame({"basis": ["gap", "gap", "reported", "reported"], "class_id": [1, 2, 1, 2],
                          "rate_low_pct": [0.0, 0.0, 20.0, 20.0], "rate_high_pct": [20.0, 70.0, 50.0, 50.0],
                          "rate_source": ["published_figures", "plausibility_floor", "reported_groups",
                                          "reported_groups"]})
    counts = pd.DataFrame({"class_id": [1, 2], "cloud_status": ["joint", "joint"], "municipalities": [5, 4]})
    return cost, members, rates, counts


def test_every_member_is_in_every_band_and_the_floor_part_is_shown_apart():
    """Class 1: 5,000 people × (9.5e8/100.5e3 … 12,000.5円); class 2: 200,000 × (29.5e8/1000.5e3 … 30.5e8/999.5e3円).
    The gap basis mixes a part the figures bound with one only the floor bounds: both sums and the total;
    the reported basis has one source, so only its total. Class 2's 4 joint members: thin support, kept."""
    cost, members, rates, counts = _inline()
    out = pj.projections(members, cost, rates, counts)
    base1 = (5_000 * 9.5e8 / 100.5e3 / 1e8, 5_000 * 12_000.5 / 1e8)
    base2 = (200_000 * 29.5e8 / 1000.5e3 / 1e8, 200_000 * 30.5e8 / 999.5e3 / 1e8)
    sums = out[out["class_id"].isna()].set_index(["basis", "rate_source"])
    assert set(sums.index) == {("gap", "all"), ("gap", "published_figures"), ("gap", "plausibility_floor"),
                               ("reported", "all")}
    assert sums.loc[("gap", "all"), "new_members"] == 3
    assert sums.loc[("gap", "all"), "saving_high_oku_yen"] == pytest.approx(base1[1] * 0.2 + base2[1] * 0.7)  # inline
    # rates here are given, 70% included: projections() sums what it is given, an unknown part left unknown
    assert sums.loc[("gap", "plausibility_floor"), "saving_high_oku_yen"] == pytest.approx(base2[1] * 0.7)
    assert sums.loc[("reported", "all"), "saving_low_oku_yen"] == pytest.approx((base1[0] + base2[0]) * 0.2)
    assert sums.loc[("reported", "all"), "base_cost_high_oku_yen"] == pytest.approx(base1[1] + base2[1])
    rows = out[out["class_id"].notna()].set_index(["basis", "class_id"])
    assert not rows.loc[("gap", 1), "thin_support"] and rows.loc[("gap", 2), "thin_support"]
    unknown = pj.projections(members, cost, rates.assign(rate_high_pct=[20.0, np.nan, 50.0, 50.0]), counts)
    sums = unknown[unknown["class_id"].isna()].set_index(["basis", "rate_source"])
    assert np.isnan(sums.loc[("gap", "all"), "saving_high_oku_yen"])  # an unknown part leaves the sum unknown
    assert sums.loc[("gap", "published_figures"), "saving_high_oku_yen"] == pytest.approx(base1[1] * 0.2)


def test_saving_rates_take_the_figures_where_they_bound_and_the_floor_elsewhere():
    gaps = pd.DataFrame({
        "reading": ["r"] * 4, "inferred_label": [False] * 4, "plausibility_floor": [False, True, False, True],
        "class_id": [1, 1, 2, 2], "label_used": [False] * 4,
        "gap_low_pct": [0.0, 0.0, 0.0, 0.0], "gap_high_pct": [21.0, 21.0, 100.0, 70.0]})
    savings = pd.DataFrame({"measure": ["mean_saving", "mean_saving"], "lower_pct": [24.9, 20.0],
                            "upper_pct": [49.1, 39.5]})
    rates = pj.saving_rates(gaps, savings).set_index(["basis", "class_id"])
    assert tuple(rates.loc[("class_gap_r", 1), ["rate_high_pct", "rate_source"]]) == (21.0, "published_figures")
    assert rates.loc[("class_gap_r", 2), "rate_source"] == "plausibility_floor"
    assert np.isnan(rates.loc[("class_gap_r", 2), "rate_high_pct"])  # the floor's 70% is not given as a rate
    assert tuple(rates.loc[("reported", 2), ["rate_low_pct", "rate_high_pct"]]) == (20.0, 49.1)
    assert len(rates) == 4


def _transcribed(name):
    with open(sources.transcribed_path(name), encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.data
def test_the_planned_joiners_bands_by_hand(processed):
    """All 239 planned joiners (the slide's list matched to codes, less 南丹市, already a member), each at its own
    population (2017-01-01) × its class's cost per resident from the transcribed class table; the reported rate
    from the 56 groups' bins (lowest: every bin at its floor, the pending as 0, over 56; highest: every bin at
    its ceiling, the top at 100%, over the 45 that reported)."""
    frame = processed("municipalities").set_index("code")
    planned = processed("planned_joins")
    joiners = planned[(planned["counted_as"] != "undetermined") & ~planned["already_member_2018_04"]]
    assert len(joiners) == 239
    cls = joiners["code"].map(frame["population_class_id"])
    pop = joiners["code"].map(frame["population_2017_01_01_persons"]).astype(float)
    by_label = {r["class_ja"]: r for r in _transcribed("survey_cost_by_class")}
    low, high = {}, {}
    for k, label in enumerate(by_label, start=1):
        r = by_label[label]
        total, people, mean = float(r["it_cost_total_oku_yen"]), float(r["population_thousand_persons"]), \
            float(r["it_cost_per_resident_mean_yen"])
        low[k] = min((total - 0.5) * 1e8 / ((people + 0.5) * 1e3), mean - 0.5)
        high[k] = max((total + 0.5) * 1e8 / ((people - 0.5) * 1e3), mean + 0.5)
    base_low = float((pop * cls.map(low)).sum()) / 1e8
    base_high = float((pop * cls.map(high)).sum()) / 1e8
    bins = {r["category_as_written"]: int(r["groups"]) for r in _transcribed("savings_56_groups")}
    assert sum(bins.values()) == 56
    low_rate = (11 * 40 + 18 * 30 + 7 * 20 + 9 * 0 + 11 * 0) / 56 / 100
    high_rate = (11 * 100 + 18 * 40 + 7 * 30 + 9 * 20) / 45 / 100
    proj = processed("evidence_projections")
    rep = proj[(proj["scenario"] == "planned") & (proj["basis"] == "reported") & proj["class_id"].isna()
               & (proj["rate_source"] == "all")].iloc[0]
    assert rep["new_members"] == 239
    assert rep["base_cost_low_oku_yen"] == pytest.approx(base_low, rel=1e-9)
    assert rep["base_cost_high_oku_yen"] == pytest.approx(base_high, rel=1e-9)
    assert rep["saving_low_oku_yen"] == pytest.approx(base_low * low_rate, rel=1e-9)
    assert rep["saving_high_oku_yen"] == pytest.approx(base_high * high_rate, rel=1e-9)
    assert (round(rep["base_cost_low_oku_yen"]), round(rep["base_cost_high_oku_yen"])) == (386, 441)
    # the class-gap basis: the under-20k part (the figures' 0–21%) and the rest (the floor's 0–70%) add up
    gap = proj[(proj["scenario"] == "planned") & (proj["basis"] == "class_gap_without_3") & proj["class_id"].isna()
               ].set_index("rate_source")
    assert gap.loc["published_figures", "new_members"] == (cls == 1).sum() == 125
    assert gap.loc["plausibility_floor", "new_members"] == 114
    small = float((pop[cls == 1] * high[1]).sum()) / 1e8
    gaps = processed("evidence_gaps")
    top = gaps[(gaps["reading"] == vocab.WITHOUT_3) & ~gaps["inferred_label"] & ~gaps["plausibility_floor"]
               & (gaps["class_id"] == 1)]["gap_high_pct"].iloc[0]
    assert round(top, 1) == 21.0  # the figures' bound under 20k (test_evidence checks it by hand)
    assert gap.loc["published_figures", "saving_high_oku_yen"] == pytest.approx(small * top / 100, rel=1e-9)
    rest = float((pop[cls != 1] * cls[cls != 1].map(high)).sum()) / 1e8
    assert gap.loc["plausibility_floor", "base_cost_high_oku_yen"] == pytest.approx(rest, rel=1e-9)
    # no upper end where only the plausibility floor would set it, nor in a sum that includes it
    assert np.isnan(gap.loc["plausibility_floor", "saving_high_oku_yen"]) and np.isnan(gap.loc["all", "saving_high_oku_yen"])
    assert gap.loc["plausibility_floor", "saving_low_oku_yen"] == 0


@pytest.mark.data
def test_the_floor_chart_table_moves_with_the_floor_as_the_programmes_say(processed):
    """Classes 2–6 are bounded by the floor alone: at floor f their largest gap is 1 − f, so the floor part's top
    is the base × (1 − f); the under-20k part stays at the figures' 21% until the floor is tighter, and floors
    the figures do not admit there (above 0.7) carry no value."""
    proj = processed("evidence_projections")
    base = proj[(proj["scenario"] == "planned") & (proj["basis"] == "class_gap_without_3") & proj["class_id"].isna()
                & (proj["rate_source"] == "plausibility_floor")]["base_cost_high_oku_yen"].iloc[0]
    t = processed("evidence_projection_floor")
    t = t[(t["scenario"] == "planned") & (t["basis"] == "class_gap_without_3")]
    part = t[t["rate_source"] == "plausibility_floor"].set_index("floor_ratio")
    for f in (0.1, 0.3, 0.5):
        assert part.loc[f, "saving_high_oku_yen"] == pytest.approx(base * (1 - f), rel=1e-6)
    assert not part.loc[0.9, "admitted"] and np.isnan(part.loc[0.9, "saving_high_oku_yen"])  # rejected under 20k
    fig = t[t["rate_source"] == "published_figures"].set_index("floor_ratio")
    assert fig.loc[0.1, "saving_high_oku_yen"] == pytest.approx(fig.loc[0.5, "saving_high_oku_yen"])
    assert not fig.loc[0.9, "admitted"] and np.isnan(fig.loc[0.9, "saving_high_oku_yen"])
