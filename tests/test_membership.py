"""Who joins: the membership logit, checked against independent computations."""

import itertools

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from jichitai_cloud.analysis import membership
from jichitai_cloud.registry import vocab


def _brute_force_loglike(y, x, groups, beta):
    """The conditional likelihood by enumerating every set of the observed size in each group."""
    ll = 0.0
    for g in np.unique(groups):
        idx = groups == g
        xg, yg = x[idx], y[idx]
        k = int(yg.sum())
        num = np.exp(xg[yg == 1].sum(axis=0) @ beta)
        den = sum(np.exp(xg[list(s)].sum(axis=0) @ beta) for s in itertools.combinations(range(len(yg)), k))
        ll += np.log(num / den)
    return ll


def test_conditional_logit_likelihood_and_gradient_by_enumeration():
    rng = np.random.default_rng(7)
    x = rng.normal(size=(15, 2))
    groups = np.repeat([0, 1, 2], 5)
    y = np.array([1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 1, 1, 0, 0])
    model = membership.ConditionalLogit(y, x, groups)
    beta = np.array([0.4, -0.9])
    ll, scores = model.loglike_and_scores(beta)
    assert ll == pytest.approx(_brute_force_loglike(y, x, groups, beta), rel=1e-12)
    h = 1e-6
    numeric = [(_brute_force_loglike(y, x, groups, beta + h * e) - _brute_force_loglike(y, x, groups, beta - h * e))
               / (2 * h) for e in np.eye(2)]
    assert scores.sum(axis=0) == pytest.approx(numeric, rel=1e-6)
    # the analytic Hessian against second differences of the enumerated likelihood
    _, _, hess = model.loglike_scores_hessian(beta)
    h = 1e-4
    f = lambda b: _brute_force_loglike(y, x, groups, b)  # noqa: E731
    second = np.array([[(f(beta + h * a + h * b) - f(beta + h * a - h * b) - f(beta - h * a + h * b)
                         + f(beta - h * a - h * b)) / (4 * h * h) for b in np.eye(2)] for a in np.eye(2)])
    np.testing.assert_allclose(hess, second, rtol=1e-5)


def test_conditional_logit_estimates_equal_statsmodels_and_its_sandwich_by_hand():
    """On small groups: the estimates equal statsmodels' ConditionalLogit; the clustered covariance is
    G/(G − 1) · H⁻¹ (Σ_g s_g s_gᵀ) H⁻¹ with each group's score from differences of its own likelihood."""
    from statsmodels.discrete.conditional_models import ConditionalLogit as SmConditionalLogit

    rng = np.random.default_rng(11)
    sizes = [6, 7, 5, 8, 6, 7, 9, 6]
    groups = np.repeat(np.arange(len(sizes)), sizes)
    x = rng.normal(size=(len(groups), 2))
    y = (x @ np.array([0.8, -0.5]) + rng.logistic(size=len(groups)) > 0.3).astype(int)
    for g in range(len(sizes)):  # every group must vary
        idx = np.flatnonzero(groups == g)
        y[idx[0]], y[idx[1]] = 1, 0
    ours = membership.ConditionalLogit(y, x, groups)
    beta, hess, scores, converged = ours.fit()
    theirs = SmConditionalLogit(y, x, groups=groups).fit(disp=0)
    assert converged
    np.testing.assert_allclose(beta, theirs.params, rtol=1e-5, atol=1e-7)
    h = 1e-6
    by_hand = np.array([[(_brute_force_loglike(y[groups == g], x[groups == g], groups[groups == g], beta + h * e)
                          - _brute_force_loglike(y[groups == g], x[groups == g], groups[groups == g], beta - h * e))
                         / (2 * h) for e in np.eye(2)] for g in range(len(sizes))])
    np.testing.assert_allclose(scores, by_hand, rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(-hess, -theirs.model.hessian(theirs.params), rtol=1e-4)
    bread = np.linalg.inv(-theirs.model.hessian(theirs.params))
    expected = len(sizes) / (len(sizes) - 1) * bread @ (by_hand.T @ by_hand) @ bread
    np.testing.assert_allclose(membership.sandwich(hess, scores), expected, rtol=1e-3)


def test_conditional_logit_stays_finite_on_a_large_group():
    """北海道 has 179 municipalities: an unscaled recursion overflows there."""
    rng = np.random.default_rng(3)
    x = rng.normal(size=(180, 1)) * 5
    y = (rng.random(180) < 0.3).astype(int)
    ll, scores = membership.ConditionalLogit(y, x, np.zeros(180, int)).loglike_and_scores(np.array([3.0]))
    assert np.isfinite(ll) and np.isfinite(scores).all()


def _toy_frame(n=400, seed=0):
    rng = np.random.default_rng(seed)
    pop = np.exp(rng.normal(10, 1.2, n)).round() + 100
    kind = rng.choice(["市", "町", "村", "政令指定都市"], n, p=[0.4, 0.4, 0.15, 0.05])
    prefs = rng.choice([f"p{i}" for i in range(12)], n)
    logit = -1 - 0.5 * (np.log(pop) - 10)
    member = rng.random(n) < 1 / (1 + np.exp(-logit))
    start = np.where(member, rng.choice([2010, 2016, 2017], n), np.nan)
    return pd.DataFrame({
        "code": [f"{i:06d}" for i in range(n)], "prefecture": prefs, "name": [f"m{i}" for i in range(n)], "kind": kind,
        "population_2017_01_01_persons": pop.astype("int64"), "population_census_2015_persons": pop.astype("int64"),
        "population_65_plus_census_2015_persons": (pop * rng.uniform(0.2, 0.4, n)).astype("int64"),
        "habitable_area_2018_ha": rng.integers(500, 50000, n), "fiscal_strength_index_fy2016": rng.uniform(0.1, 1.2, n),
        "joint_cloud_group_id": pd.array(np.where(member, 1, pd.NA), dtype="Int64"),
        "joint_cloud_start_fy": pd.array(np.where(member, start, pd.NA), dtype="Int64"),
    })


def test_model_frame_merges_wards_and_designated_cities_into_cities_and_drops_unpopulated_census():
    f = _toy_frame()
    f.loc[0, "population_census_2015_persons"] = 0
    df = membership.model_frame(f)
    assert len(df) == len(f) - 1 and "000000" not in set(df["code"])
    assert set(df.loc[df["kind"] == "政令指定都市", "kind3"]) == {"city"}
    assert df["member_2017_04_01"].sum() < df["member_2018_04_01"].sum()  # groups started FY2017 not yet counted
    assert df["log_pop_c"].mean() == pytest.approx(0, abs=1e-12)


def test_pooled_logit_uses_cluster_errors_with_t_of_g_minus_1():
    df = membership.model_frame(_toy_frame())
    res = membership.fit(df)
    g = df["prefecture"].nunique()
    assert res.use_t and res.df_resid_inference == g - 1
    coefs, _ = membership.coefficients(df)
    row = coefs[(coefs["model"] == "pooled") & (coefs["as_of"] == vocab.LIST_DATE)
                & (coefs["term"] == "log_pop_c")].iloc[0]
    q = stats.t.ppf(0.975, g - 1)
    assert row["ci_high"] - row["estimate"] == pytest.approx(q * row["std_error"])
    # the same point estimates as an unclustered fit: clustering changes only the errors
    x = sm.add_constant(df[list(membership.COLUMNS)].astype(float))
    plain = sm.Logit(df["member_2018_04_01"].astype(float), x).fit(disp=0)
    assert row["estimate"] == pytest.approx(plain.params["log_pop_c"], rel=1e-6)


def test_average_marginal_effect_of_doubling_population_by_hand():
    df = membership.model_frame(_toy_frame())
    res = membership.fit(df)
    x = sm.add_constant(df[list(membership.COLUMNS)].astype(float))
    doubled = x.copy()
    doubled["log_pop_c"] += np.log(2)
    doubled["log_pop_c_sq"] = doubled["log_pop_c"] ** 2
    by_hand = 100 * float(np.mean(res.predict(doubled) - res.predict(x)))
    effects = membership.marginal_effects(df)
    row = effects[(effects["as_of"] == vocab.LIST_DATE) & (effects["change"] == "log_pop_c")].iloc[0]
    assert row["ame_pct_points"] == pytest.approx(by_hand, rel=1e-9)
    # delta method with the analytic gradient: d AME / d b = mean(p1 (1 − p1) x1 − p0 (1 − p0) x0)
    p0, p1 = np.asarray(res.predict(x)), np.asarray(res.predict(doubled))
    grad = ((p1 * (1 - p1))[:, None] * doubled.to_numpy() - (p0 * (1 - p0))[:, None] * x.to_numpy()).mean(axis=0)
    se = float(np.sqrt(grad @ np.asarray(res.cov_params()) @ grad))
    assert row["std_error_pct_points"] == pytest.approx(100 * se, rel=1e-5)
    q = stats.t.ppf(0.975, df["prefecture"].nunique() - 1)
    assert row["ci_high_pct_points"] == pytest.approx(by_hand + q * 100 * se, rel=1e-5)


def test_fixed_effects_drop_prefectures_without_variation():
    f = _toy_frame()
    f.loc[f["prefecture"] == "p0", ["joint_cloud_group_id", "joint_cloud_start_fy"]] = pd.NA
    fe = membership.fit_fixed_effects(membership.model_frame(f))
    assert "p0" in fe["dropped"] and fe["converged"] and np.isfinite(fe["cov"]).all()


def test_shares_count_members_by_class_and_prefecture():
    f = _toy_frame()
    f["population_class_id"] = f["population_2017_01_01_persons"].map(
        lambda p: 1 if p < 20000 else (2 if p < 50000 else 3))
    s = membership.shares(f)
    all_row = s[(s["as_of"] == vocab.LIST_DATE) & (s["by"] == "all")].iloc[0]
    assert all_row["members"] == int(f["joint_cloud_group_id"].notna().sum())
    by_class = s[(s["as_of"] == vocab.LIST_DATE) & (s["by"] == "class")].dropna(subset=["municipalities"])
    assert by_class["members"].sum() == all_row["members"]


@pytest.mark.data
def test_processed_shares_match_a_plain_count_of_the_group_list(processed):
    """Members per class counted straight from the group list's codes and the 住民基本台帳 classes."""
    members = set(processed("cloud_group_members")["code"])
    frame = processed("municipalities")
    by_class = frame.assign(member=frame["code"].isin(members)).groupby("population_class_id")["member"].agg(["sum", "size"])
    s = processed("evidence_membership_shares")
    s = s[(s["as_of"] == vocab.LIST_DATE) & (s["by"] == "class")].set_index("key")
    for c, r in by_class.iterrows():
        assert s.loc[str(c), "members"] == r["sum"] and s.loc[str(c), "municipalities"] == r["size"]
    assert s["members"].sum() == len(members) == 407
    models = processed("evidence_membership_models").set_index(["model", "as_of"])
    assert models.loc[("pooled", vocab.STATUS_DATE), "members"] == 379  # the start-year rule; the survey publishes 357
    assert models.loc[("pooled", vocab.LIST_DATE), "n"] == 1741 - 4  # four evacuated towns have no 2015 census
