"""Who joins next: the metrics by hand, the hazard panel's bookkeeping, and the test on the later joins."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from jichitai_cloud.analysis import hazard, membership, validation as va
from jichitai_cloud.registry import vocab


def test_auc_is_the_mann_whitney_statistic():
    rng = np.random.default_rng(4)
    y = np.r_[np.ones(30, int), np.zeros(70, int)]
    score = np.round(rng.normal(size=100) + 0.6 * y, 1)  # rounding makes ties, which count half
    u = stats.mannwhitneyu(score[y == 1], score[y == 0]).statistic
    assert va.auc(score, y)[0] == pytest.approx(u / (30 * 70))


def test_delong_standard_errors_by_explicit_loops():
    """DeLong (1988): V10_i = mean_j ψ(X_i, Y_j), V01_j = mean_i ψ(X_i, Y_j); var = s²(V10)/m + s²(V01)/n, and
    for a difference the same with each component replaced by its difference."""
    rng = np.random.default_rng(9)
    y = np.r_[np.ones(12, int), np.zeros(20, int)]
    a = rng.normal(size=32) + y
    b = a + rng.normal(scale=0.5, size=32)

    def comps(s):
        pos, neg = s[y == 1], s[y == 0]
        psi = [[1.0 if p > q else 0.5 if p == q else 0.0 for q in neg] for p in pos]
        return np.array([np.mean(r) for r in psi]), np.array([np.mean(c) for c in zip(*psi)])

    a10, a01 = comps(a)
    b10, b01 = comps(b)
    se_a = np.sqrt(np.var(a10, ddof=1) / 12 + np.var(a01, ddof=1) / 20)
    assert va.auc(a, y) == pytest.approx((a10.mean(), se_a))
    se_d = np.sqrt(np.var(a10 - b10, ddof=1) / 12 + np.var(a01 - b01, ddof=1) / 20)
    assert va.auc_difference(a, b, y) == pytest.approx((a10.mean() - b10.mean(), se_d))
    assert va.auc_difference(a, a, y) == (0.0, 0.0)


def test_brier_and_deciles():
    assert va.brier(np.array([0.2, 0.9]), np.array([0, 1])) == pytest.approx((0.04 + 0.01) / 2)
    p = np.linspace(0, 1, 23)[::-1]
    bins = va.decile_bins(p)
    assert np.bincount(bins)[1:].sum() == 23 and set(np.bincount(bins)[1:]) == {2, 3}
    assert all(p[bins == k].max() <= p[bins == k + 1].min() for k in range(1, 10))


def test_the_panel_keeps_each_municipality_at_risk_until_it_joins():
    """Four municipalities in two prefectures: A joins in 2008, B in 2010 (after A, its neighbour), C and D never;
    up to 2010: one row per municipality and year at risk, a member's last row is its join year with the event."""
    df = pd.DataFrame({"code": ["A", "B", "C", "D"], "prefecture": ["p", "p", "q", "q"],
                       **{c: [0.0, 0.1, 0.2, 0.3] for c in membership.COLUMNS}})
    joined = pd.Series({"A": 2008.0, "B": 2010.0, "C": np.nan, "D": 2012.0})
    adjacent = {"A": ["B"], "B": ["A"], "C": ["D"], "D": ["C"]}
    p = hazard.panel(df, joined, adjacent, last_fy=2010)
    assert not p.duplicated(["code", "fiscal_year"]).any()
    counts = p.groupby("code")["fiscal_year"].agg(["min", "max", "size"])
    assert counts.loc["A"].tolist() == [2006, 2008, 3] and counts.loc["B"].tolist() == [2006, 2010, 5]
    assert counts.loc["C"].tolist() == [2006, 2010, 5] and counts.loc["D"].tolist() == [2006, 2010, 5]  # 2012: unseen
    assert p.loc[p["event"] == 1, ["code", "fiscal_year"]].values.tolist() == [["A", 2008], ["B", 2010]]
    b = p[p["code"] == "B"].set_index("fiscal_year")
    assert b["group_in_prefecture"].tolist() == [0, 0, 0, 1, 1]  # A's group operates from 2009
    assert b["neighbour_member"].tolist() == [0, 0, 0, 1, 1]
    assert (p.loc[p["code"] == "C", "group_in_prefecture"] == 0).all()


def test_the_window_probability_is_one_minus_the_survival():
    df = pd.DataFrame({"code": ["A", "B"], "prefecture": ["p", "p"], **{c: [0.0, 1.0] for c in membership.COLUMNS}})
    joined = pd.Series({"A": 2007.0, "B": np.nan})

    class Res:
        params = pd.Series(np.r_[-2.0, np.full(len(membership.COLUMNS), 0.1), 0.5, 0.2, 1.0],
                           index=["const", *hazard.COLUMNS])

    got = hazard.window_probability(Res, df, joined, {"A": ["B"], "B": ["A"]}, 2010, range(2011, 2014))
    assert list(got.index) == ["B"]
    x = -2.0 + 0.1 * len(membership.COLUMNS) + 0.5 + 0.2  # group in the prefecture, neighbour a member
    h = [1 / (1 + np.exp(-(x + (t - hazard.TREND_CENTRE) / 10))) for t in (2011, 2012, 2013)]
    assert got["B"] == pytest.approx(1 - np.prod([1 - v for v in h]))


@pytest.mark.data
def test_the_real_panel_counts_group_starts(processed):
    frame = processed("municipalities")
    df = membership.model_frame(frame)
    p = hazard.panel(df, hazard.join_year(frame), hazard.neighbours(processed("boundaries")), 2018)
    starts = frame[frame["code"].isin(df["code"])]["joint_cloud_start_fy"].value_counts()
    assert p.groupby("fiscal_year")["event"].sum().to_dict() == {int(k): int(v) for k, v in starts.items()}
    modelled = frame["code"].isin(df["code"])
    members = frame["joint_cloud_group_id"].notna() & modelled
    others = frame["joint_cloud_group_id"].isna() & modelled
    assert len(p) == (2018 - 2006 + 1) * others.sum() + (frame.loc[members, "joint_cloud_start_fy"] - 2005).sum()


@pytest.mark.data
def test_the_validation_by_hand(processed):
    """The 2018-04 fit is scored on the 1,330 modelled non-members, of which 239 planned to join; the scale of
    the scores is the published growth 2014-04 → 2018-04 (211 → 407) per year times 6; the chosen model has the
    lowest Brier score; the calibration by class counts the planned joiners directly."""
    v = processed("evidence_membership_validation")
    head = v[v["fit_as_of"] == vocab.LIST_DATE].set_index("model")
    assert (head["municipalities"] == 1330).all() and (head["joiners"] == 239).all()
    years = (pd.Timestamp(vocab.LIST_DATE) - pd.Timestamp("2014-04-01")).days / 365.25
    assert head.loc["size_logit", "expected_joiners"] == pytest.approx((407 - 211) / years * 6, rel=1e-9)
    cand = head.loc[list(va.CANDIDATES)]
    assert head.index[head["chosen"]].tolist() == [cand["brier"].idxmin()]
    assert head.index[head["best_auc"]].tolist() == [head["auc"].idxmax()]
    frame = processed("municipalities").set_index("code")
    planned = processed("planned_joins")
    joiners = planned[(planned["counted_as"] != "undetermined") & ~planned["already_member_2018_04"]]
    modelled = set(membership.model_frame(processed("municipalities"))["code"])
    by_class = joiners[joiners["code"].isin(modelled)]["code"].map(frame["population_class_id"]).value_counts()
    cal = processed("evidence_membership_calibration")
    cal = cal[(cal["fit_as_of"] == vocab.LIST_DATE) & (cal["model"] == "hazard") & (cal["by"] == "class")]
    assert dict(zip(cal["key"].astype(int), cal["observed_joiners"])) == by_class.to_dict()
    deciles = processed("evidence_membership_calibration")
    d = deciles[(deciles["fit_as_of"] == vocab.LIST_DATE) & (deciles["by"] == "decile")]
    assert (d.groupby("model")["observed_joiners"].sum() == 239).all()
    # the chosen model's probabilities are what the target allocation and the reports use
    pred = processed("evidence_membership_predictions")
    assert pred["join_probability_fy2018_2023"].notna().sum() == 1330
    assert pred.loc[pred["member_2018_04_01"], "join_probability_fy2018_2023"].isna().all()
    r = processed("evidence_prefecture_join_ranges")
    assert r["converged"].all() and len(r) == 47 and r["planned_joiners"].sum() == 239
    assert (r["model"] == head.index[head["chosen"]][0]).all()


def test_tied_scores_share_a_decile():
    p = np.array([0.1] * 7 + [0.2] * 3 + [0.3] * 10)
    bins = va.decile_bins(p)
    assert len(set(bins[:7])) == 1 and len(set(bins[7:10])) == 1 and len(set(bins[10:])) == 1


def test_the_clustered_auc_variance_by_hand():
    """Obuchowski (1997): with every unit its own cluster the variance is DeLong's with the factor G/(G − 1)
    and each group's components centred by their own count; computed here by explicit loops over clusters."""
    rng = np.random.default_rng(2)
    y = rng.integers(0, 2, 60)
    s = rng.normal(size=60) + y
    c = rng.integers(0, 8, 60)
    v10, v01 = va._placements(s, y)
    a = v10.mean()
    g = np.unique(c)
    x = np.array([v10[c[y == 1] == k].sum() - a * (c[y == 1] == k).sum() for k in g])
    z = np.array([v01[c[y == 0] == k].sum() - a * (c[y == 0] == k).sum() for k in g])
    m, n = (y == 1).sum(), (y == 0).sum()
    var = len(g) / (len(g) - 1) * (x @ x / m**2 + z @ z / n**2 + 2 * x @ z / (m * n))
    assert va.auc(s, y, c) == pytest.approx((a, np.sqrt(var)))
    single = va.auc(s, y, np.arange(60))[1] ** 2
    delong = va.auc(s, y)[1] ** 2
    assert single == pytest.approx(delong, rel=0.05)  # the same up to the small-sample factors


@pytest.mark.data
def test_every_calibration_bin_by_direct_count(processed):
    """Recompute the 2018-04 fit's probabilities and count observed and predicted joiners per decile, class and
    prefecture directly."""
    from jichitai_cloud.clean import published

    frame = processed("municipalities")
    df = membership.model_frame(frame)
    risk, _ = va.scores(df, frame, processed("planned_joins"), hazard.neighbours(processed("boundaries")),
                        published.adoption_wide(processed("published_adoption")), vocab.LIST_DATE)
    cal = processed("evidence_membership_calibration")
    cal = cal[cal["fit_as_of"] == vocab.LIST_DATE]
    for m in va.MODELS:
        ranks = stats.rankdata(risk[m], method="average")
        decile = np.clip(np.ceil(ranks * 10 / len(ranks)), 1, 10).astype(int)
        for by, keys in (("decile", decile.astype(str)), ("class", risk["population_class_id"].astype(str)),
                         ("prefecture", risk["prefecture"])):
            direct = risk.groupby(np.asarray(keys)).agg(o=("joined", "sum"), p=(m, "sum"))
            got = cal[(cal["model"] == m) & (cal["by"] == by)].set_index("key")
            assert set(got.index) == set(direct.index), (m, by)
            assert (got["observed_joiners"] == direct.loc[got.index, "o"]).all(), (m, by)
            assert np.allclose(got["predicted_joiners"], direct.loc[got.index, "p"]), (m, by)
