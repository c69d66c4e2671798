"""Evidence from the published figures, checked against hand computations.

The expected values here are derived by hand from the numbers the document prints (read from
the transcribed CSVs with the csv module, not through the library), following the arithmetic
in each docstring; the library's linear programmes must agree with them.
"""

import csv
import itertools

import numpy as np
import pandas as pd
import pytest

from jichitai_cloud.analysis import evidence as ev
from jichitai_cloud.analysis import identified_set
from jichitai_cloud.clean import published
from jichitai_cloud.io import sources
from jichitai_cloud.registry import vocab


def _rows(name):
    with open(sources.transcribed_path(name), encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def doc():
    """The published numbers the hand computations use, by class label as written."""
    cost = {r["class_ja"]: r for r in _rows("survey_cost_by_class")}
    status = {(r["class_ja"], r["status_ja"]): int(r["municipalities"]) for r in _rows("survey_status_counts")}
    out = {r["item"]: int(r["value_yen"]) for r in _rows("survey_outliers")}
    return {"cost": cost, "status": status, "outliers": [out[f"least_populous_per_resident_{k}"] for k in (1, 2, 3)],
            "mean_without": out["per_resident_mean_excluding_least_populous_3"],
            "labels": [int(r["value_yen"]) for r in _rows("survey_chart_labels")]}


@pytest.fixture(scope="module")
def p():
    return ev.Published.from_tables(published.tables())


SMALL = "２万人未満"
STATUS_JA = {"joint": "自治体クラウド", "single": "単独クラウド", "none": "クラウド未導入"}


def _small(doc):
    n = {s: doc["status"][(SMALL, STATUS_JA[s])] for s in STATUS_JA}
    return n, int(doc["cost"][SMALL]["it_cost_per_resident_mean_yen"]), sum(n.values())


def test_the_under_20k_single_cell_is_pinned_by_the_outliers(doc, p):
    """281 × 11,266 plus the three outliers, over 284 (≈14,312円), each figure ± 0.5."""
    n, _, _ = _small(doc)
    k = len(doc["outliers"])
    exact = ((n["single"] - k) * doc["mean_without"] + sum(doc["outliers"])) / n["single"]
    assert round(exact) == 14312
    lp = ev.cell_problem(p, 1, vocab.WITHOUT_3)
    iv = lp.extent({"r_single": 1.0})
    assert iv.lower == pytest.approx(exact - ((n["single"] - k) * 0.5 + k * 0.5) / n["single"], abs=1e-6)
    assert iv.upper == pytest.approx(exact + 0.5, abs=1e-6)


def test_a_class_without_the_floor_is_bounded_only_by_its_mean_and_orderings_by_hand(doc, p):
    """２～５万人未満, no floor: single is at most none (the text names it not), joint can fall to 0, so single
    peaks at n × (mean + 0.5) / (n_single + n_none) with single = none, and none at n × (mean + 0.5) / n_none."""
    label = "２～５万人未満"
    n = {s: doc["status"][(label, STATUS_JA[s])] for s in STATUS_JA}
    total, mean = sum(n.values()), int(doc["cost"][label]["it_cost_per_resident_mean_yen"])
    assert (total, mean) == (400, 4071)
    lp = ev.cell_problem(p, 2, vocab.WITHOUT_3)
    single, none = lp.extent({"r_single": 1.0}), lp.extent({"r_none": 1.0})
    assert single.upper == pytest.approx(total * (mean + 0.5) / (n["single"] + n["none"]), abs=1e-6)
    assert round(single.upper, 1) == 5322.2
    assert none.upper == pytest.approx(total * (mean + 0.5) / n["none"], abs=1e-6)
    assert single.lower == pytest.approx(0, abs=1e-9)


def test_under_20k_ratio_bounds_by_hand(doc, p):
    """joint/none in the under-20k class: (0.79, 1) when 'single above none' means the 11,266円 mean,
    (0.33, 1) when it means ≈14,312円.

    The ratio is smallest with no cloud at its largest allowed value and joint cloud absorbing the rest of
    the class total at its smallest: class mean at m − 0.5, the single cell at its largest.
    r_joint = (n·(m − 0.5) − n_S·r_S,max − n_N·r_N,max) / n_J.
    """
    n, m, total = _small(doc)
    k = len(doc["outliers"])
    single_max = ((n["single"] - k) * (doc["mean_without"] + 0.5) + sum(doc["outliers"]) + k * 0.5) / n["single"]
    for reading, none_max in ((vocab.WITHOUT_3, doc["mean_without"] + 0.5), (vocab.WITH_3, single_max)):
        joint = (total * (m - 0.5) - n["single"] * single_max - n["none"] * none_max) / n["joint"]
        by_hand = joint / none_max
        gap = ev.cell_problem(p, 1, reading).ratio_extent("r_joint", "r_none")
        assert gap.lower == pytest.approx(by_hand, rel=1e-9), reading
        assert gap.upper == pytest.approx(1.0) and gap.upper_open and gap.lower_open
    assert round((total * (m - 0.5) - n["single"] * single_max - n["none"] * (doc["mean_without"] + 0.5))
                 / n["joint"] / (doc["mean_without"] + 0.5), 2) == 0.79
    assert round(ev.cell_problem(p, 1, vocab.WITH_3).ratio_extent("r_joint", "r_none").lower, 2) == 0.33


def test_other_classes_are_bounded_only_by_the_floor(p):
    """Outside the smallest class the published figures bound no gap: the ratio runs from 0 (or the
    floor) to 1."""
    for c in range(2, 7):
        free = ev.cell_problem(p, c).ratio_extent("r_joint", "r_none")
        floored = ev.cell_problem(p, c, floor=0.3).ratio_extent("r_joint", "r_none")
        assert free.lower == pytest.approx(0.0, abs=1e-9) and free.upper == pytest.approx(1.0)
        assert floored.lower == pytest.approx(0.3)


def test_9820_fits_only_the_under_20k_joint_bar(doc, p):
    """9,820 as the under-20k joint bar gives no cloud ≈10,604円, joint ≈7.4% below it."""
    labels = published.chart_labels()
    a = ev.label_assignments(p, labels, 0.3)
    fits = a[(a["value_yen"] == 9820) & a["plausible"]]
    assert set(zip(fits["class_id"], fits["cloud_status"])) == {(1, "joint")}
    assert set(fits["reading"]) == set(vocab.READINGS)
    assert ev.inferred_cells(a) == [(9820, 1, "joint")]
    n, m, total = _small(doc)
    single = ((n["single"] - 3) * doc["mean_without"] + sum(doc["outliers"])) / n["single"]
    none = (total * m - n["joint"] * 9820 - n["single"] * single) / n["none"]
    assert round(none) == 10604
    assert round(100 * (1 - 9820 / none), 1) == 7.4
    gaps = ev.identified_gaps(p, 0.3, [(9820, 1, "joint")])
    row = gaps[(gaps["class_id"] == 1) & gaps["inferred_label"] & gaps["plausibility_floor"]].iloc[0]
    assert row["gap_low_pct"] <= 100 * (1 - 9820 / none) <= row["gap_high_pct"]
    assert row["gap_high_pct"] - row["gap_low_pct"] < 0.1


def test_an_absurd_assignment_is_arithmetic_but_not_plausible(doc, p):
    """9,820 as the 2～5万 no-cloud bar leaves the other 236 municipalities about 76円 each."""
    c = "２～５万人未満"
    n_none = doc["status"][(c, "クラウド未導入")]
    total = int(doc["cost"][c]["municipalities"])
    others = (total * int(doc["cost"][c]["it_cost_per_resident_mean_yen"]) - n_none * 9820) / (total - n_none)
    assert round(others) == 76
    a = ev.label_assignments(p, published.chart_labels(), 0.3)
    row = a[(a["value_yen"] == 9820) & (a["class_id"] == 2) & (a["cloud_status"] == "none")].iloc[0]
    assert row["arithmetic"] and not row["plausible"] and row["reason"] == "below_floor"
    assert row["others_mean_low_yen"] <= others <= row["others_mean_high_yen"]
    assert row["others_municipalities"] == total - n_none


def test_the_three_labels_on_one_line_fit_no_class_as_a_triple(doc, p):
    """Every order of (3,217; 3,266; 3,561) over a class's three cells implies a class mean; none is
    within ± 0.5 of the published mean."""
    triple = doc["labels"][1:]
    for c, row in doc["cost"].items():
        counts = [doc["status"][(c, STATUS_JA[s])] for s in ("joint", "single", "none")]
        implied = [sum(k * v for k, v in zip(counts, perm)) / sum(counts) for perm in itertools.permutations(triple)]
        assert all(abs(x - int(row["it_cost_per_resident_mean_yen"])) > 0.5 for x in implied), c
    t = ev.label_triples(p, published.chart_labels())
    assert len(t) == 6 and (t["orders_tried"] == 6).all() and (t["orders_fitting"] == 0).all()


def test_reported_savings_bounds_by_hand():
    """Bins 40–100, 30–40, 20–30, 0–20 with 11, 18, 7, 9 groups; 11 pending (確認中)."""
    shares = pd.DataFrame(_rows("savings_56_groups"))
    case = pd.DataFrame({"reduction_pct": [float(r["reduction_pct"]) for r in _rows("case_study_savings")]})
    out = ev.reported_savings(shares.assign(groups=shares["groups"].astype(int)), case).set_index(["measure", "basis"])
    lower, upper = 11 * 40 + 18 * 30 + 7 * 20 + 9 * 0, 11 * 100 + 18 * 40 + 7 * 30 + 9 * 20
    assert out.loc[("mean_saving", "reporting"), ["lower_pct", "upper_pct"]].tolist() == pytest.approx(
        [lower / 45, upper / 45])
    assert out.loc[("mean_saving", "all_pending_as_zero"), ["lower_pct", "upper_pct"]].tolist() == pytest.approx(
        [lower / 56, upper / 56])
    assert out.loc[("mean_saving_top_capped", "reporting"), "upper_pct"] == pytest.approx((11 * 70 + 720 + 210 + 180) / 45)
    assert out.loc[("share_at_least_30", "reporting"), "lower_pct"] == pytest.approx(100 * 29 / 45)
    assert out.loc[("share_at_least_30", "all_pending_as_zero"), "lower_pct"] == pytest.approx(100 * 29 / 56)
    assert out.loc[("median_bin", "reporting"), ["lower_pct", "upper_pct"]].tolist() == [30, 40]
    assert out.loc[("median_bin", "all_pending_as_zero"), ["lower_pct", "upper_pct"]].tolist() == [30, 40]


def test_bins_read_from_their_wording():
    assert ev._bin("４割以上") == (40, 100)
    assert ev._bin("３割以上～４割未満") == (30, 40)
    assert ev._bin("２割未満") == (0, 20)
    assert ev._bin("確認中") is None


def test_median_bin_of_an_even_count_spans_both_middle_groups():
    assert ev._median_bin([(1, (0, 10)), (1, (10, 20))], 2) == (0, 20)
    assert ev._median_bin([(1, (0, 10)), (2, (10, 20))], 3) == (10, 20)


def test_the_floor_is_one_minus_the_largest_case_study_saving():
    assert ev.floor_ratio(pd.DataFrame({"reduction_pct": [23.7, 70.0, 45.0]})) == pytest.approx(0.30)


def test_interval_text_marks_open_ends():
    assert identified_set.Interval(0.7902, 1.0, True, True).text(3) == "(0.790, 1.000)"
    assert identified_set.Interval(9819.5, 9820.5).text(0) == "[9,820, 9,820]"  # the formatter rounds half to even


def test_a_toy_programme():
    """x + y = 10, x <= y (strict), x, y >= 0: x in [0, 5), x / y in [0, 1)."""
    lp = identified_set.CellProblem(0).var("x").var("y").eq({"x": 1, "y": 1}, 10, "sum").le({"x": 1, "y": -1}, 0, "order", True)
    iv = lp.extent({"x": 1})
    assert (iv.lower, iv.upper, iv.lower_open, iv.upper_open) == pytest.approx((0, 5, False, True))
    r = lp.ratio_extent("x", "y")
    assert r.lower == pytest.approx(0) and r.upper == pytest.approx(1) and r.upper_open and not r.lower_open
    assert not lp.fix("x", 6, 7, "label").feasible()
    assert lp.fix("x", 6, 7, "label").without("order").feasible()


def test_readings_are_validated(p):
    with pytest.raises(ValueError, match="reading must be one of"):
        ev.cell_problem(p, 1, "both")


@pytest.mark.slow
def test_processed_evidence_tables(processed):
    """The build's evidence tables hold the identified sets under both readings, the label assignments,
    the savings bounds, the membership model and the projections."""
    gaps = processed("evidence_gaps")
    small = gaps[(gaps["class_id"] == 1) & ~gaps["inferred_label"] & gaps["plausibility_floor"]].set_index("reading")
    assert round(small.loc[vocab.WITHOUT_3, "ratio_low"], 2) == 0.79 and round(small.loc[vocab.WITH_3, "ratio_low"], 2) == 0.33
    a = processed("evidence_label_assignments")
    assert a.loc[a["inferred"], ["value_yen", "class_id", "cloud_status"]].drop_duplicates().values.tolist() == [
        [9820, 1, "joint"]]
    members = processed("evidence_new_members")
    target = members[members["scenario"] == "target_2023"]["new_members"].sum()
    assert target == pytest.approx(1100 - 407)
    assert np.isfinite(processed("evidence_membership_coefficients")["std_error"]).all()


@pytest.mark.slow
def test_the_inferred_label_is_unique_over_a_range_of_floors_with_its_top_by_hand(processed, doc):
    """9,820円 fits only the under-20k joint bar for floors in (0.22, 0.69]. The top, by hand: the joint
    bar may be at most 9,820.5 and the single-cloud bar, fixed by the three villages and the 11,266円 mean
    without them, at least ((n − 3) × 11,265.5 + their sum − 1.5) / n; above their ratio the floor fails."""
    rob = processed("evidence_label_robustness")
    row = rob[(rob["value_yen"] == 9820) & (rob["reading"] == vocab.WITHOUT_3) & rob["unique"]].iloc[0]
    assert (row["class_id"], row["cloud_status"]) == (1, "joint") and bool(row["unique_at_floor_used"])
    n = doc["status"][(SMALL, "単独クラウド")]
    single_low = ((n - 3) * (doc["mean_without"] - 0.5) + sum(doc["outliers"]) - 1.5) / n
    assert row["unique_floor_high"] == pytest.approx(9820.5 / single_low, abs=0.001)
    assert 0.2 < row["unique_floor_low"] < 0.3 and row["floor_used"] == 0.3
    # without a floor 9,820 fits other bars too: the assignment rests on the floor
    assert len(rob[(rob["value_yen"] == 9820) & (rob["reading"] == vocab.WITHOUT_3)]) > 1
    assert (rob.loc[rob["value_yen"] == 9820, "largest_floor"] < 0.3).sum() == 4  # 2 other bars × 2 readings


@pytest.mark.slow
def test_the_target_scenario_spreads_the_rest_by_predicted_probability_by_hand(processed):
    """To reach 約1,100 from 407 the 239 planned joiners are not enough: the other 454 are spread over the
    municipalities neither in a group nor planned to join in proportion to their probability of joining (the
    chosen model), none above 1, and summed by class."""
    frame = processed("municipalities").set_index("code")
    planned = processed("planned_joins")
    joiners = set(planned.loc[(planned["counted_as"] != "undetermined") & ~planned["already_member_2018_04"], "code"])
    pred = processed("evidence_membership_predictions")
    prob = "join_probability_fy2018_2023"  # the chosen model's probability of joining FY2018–FY2023
    pool = pred[~pred["member_2018_04_01"] & ~pred["code"].isin(joiners) & pred[prob].notna()]
    # Each municipality's expected join is min(1, λ·p) with λ such that they sum to the 454 (found here by
    # bisection; the library spreads and caps in rounds): a municipality cannot join more than once.
    lo, hi = 0.0, 1e6
    for _ in range(200):
        lam = (lo + hi) / 2
        lo, hi = (lam, hi) if np.minimum(1, lam * pool[prob]).sum() < 454 else (lo, lam)
    expected = np.minimum(1, lam * pool[prob])
    assert expected.max() == 1  # the cap binds: without it some would join more than once
    weight = expected.groupby(pool["code"].map(frame["population_class_id"])).sum()
    rest = 1100 - 407 - len(joiners)
    assert rest == 454
    members = processed("evidence_new_members")
    target = members[members["scenario"] == "target_2023"].set_index("class_id")
    for c in vocab.CLASS_IDS:
        assert target.loc[c, "expected_others"] == pytest.approx(weight.get(c, 0.0), rel=1e-6, abs=1e-6)
    assert target["expected_others"].sum() == pytest.approx(rest)
