"""The random-intercept logit and the predictive distribution of counts, against direct computations."""

import itertools

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import integrate, special, stats

from jichitai_cloud.analysis import mixed_logit as ml
from jichitai_cloud.registry import vocab


def _data(seed=5, clusters=60, size=30, tau=1.0, beta=(-0.5, 0.8)):
    rng = np.random.default_rng(seed)
    g = np.repeat(np.arange(clusters), size)
    x = np.column_stack([np.ones(len(g)), rng.normal(size=len(g))])
    u = rng.normal(0, tau, clusters)
    y = rng.random(len(g)) < special.expit(x @ np.array(beta) + u[g])
    return x, y.astype(float), g


def test_poisson_binomial_equals_enumeration():
    p = np.array([0.1, 0.5, 0.7, 0.2, 0.9])
    direct = np.zeros(6)
    for ys in itertools.product((0, 1), repeat=5):
        direct[sum(ys)] += np.prod([pi if y else 1 - pi for pi, y in zip(p, ys)])
    assert ml.poisson_binomial(p) == pytest.approx(direct)
    assert ml.poisson_binomial(np.full(4, 0.3)) == pytest.approx(stats.binom.pmf(range(5), 4, 0.3))


def test_the_likelihood_by_quadrature_equals_direct_integration():
    """Each cluster's integral over its intercept by adaptive Gauss–Hermite equals scipy's quad."""
    x, y, g = _data(clusters=6, size=25)
    beta, log_tau = np.array([-0.3, 0.6]), np.log(1.2)
    tau = np.exp(log_tau)
    direct = 0.0
    for k in range(6):
        xk, yk = x[g == k], y[g == k]

        def integrand(u, xk=xk, yk=yk):
            eta = xk @ beta + u
            return np.exp(np.sum(yk * eta - np.logaddexp(0, eta))) * stats.norm.pdf(u, 0, tau)
        direct += np.log(integrate.quad(integrand, -12, 12, epsabs=0, epsrel=1e-12, limit=200)[0])
    assert ml.loglike(beta, log_tau, x, y, g) == pytest.approx(direct, rel=1e-8)


def test_with_no_spread_between_clusters_the_likelihood_is_the_pooled_logits():
    x, y, g = _data(clusters=8, size=20)
    pooled = sm.Logit(y, x).fit(disp=0)
    assert ml.loglike(np.asarray(pooled.params), np.log(1e-4), x, y, g) == pytest.approx(pooled.llf, rel=1e-6)


def test_the_fit_recovers_the_spread_it_was_given():
    """60 clusters of 30 drawn with τ = 1: the estimate lies within three standard errors (the inverse
    information), and so do the coefficients."""
    x, y, g = _data()
    f = ml.fit(x, y, g)
    se = np.sqrt(np.diag(f.cov))
    assert f.converged
    assert abs(f.log_tau - np.log(1.0)) < 3 * se[-1]
    assert np.all(np.abs(f.beta - np.array([-0.5, 0.8])) < 3 * se[:-1])


def test_the_predictive_distribution_without_spread_or_uncertainty_is_poisson_binomial():
    x = np.column_stack([np.ones(5), np.linspace(-1, 1, 5)])
    f = ml.Fit(np.array([0.2, 1.0]), np.log(1e-6), np.zeros((3, 3)), 0.0, True)
    got = ml.predictive_counts(x, f, draws=1)
    assert got == pytest.approx(ml.poisson_binomial(special.expit(x @ f.beta)), abs=1e-9)
    wide = ml.predictive_counts(x, ml.Fit(f.beta, np.log(2.0), np.zeros((3, 3)), 0.0, True), draws=1)
    assert wide.sum() == pytest.approx(1.0)
    mean = lambda d: np.arange(len(d)) @ d  # noqa: E731
    var = lambda d: (np.arange(len(d)) - mean(d)) ** 2 @ d  # noqa: E731
    assert var(wide) > var(got)  # a spread between clusters widens the range


def test_central_range():
    dist = np.array([0.01, 0.02, 0.3, 0.4, 0.25, 0.02])
    assert ml.central_range(dist, 0.95) == (1, 4)
    assert ml.central_range(np.array([0.0, 1.0, 0.0]), 0.95) == (1, 1)


@pytest.mark.data
def test_every_prefecture_has_a_predictive_range_that_contains_its_expectation(processed):
    r = processed("evidence_membership_prefecture_ranges")
    shares = processed("evidence_membership_shares")
    assert len(r) == 47 and (r["tau"] > 0).all()
    assert (r["range_low"] <= r["expected_members"]).all() and (r["expected_members"] <= r["range_high"]).all()
    position = np.where(r["members"] > r["range_high"], "above", np.where(r["members"] < r["range_low"], "below",
                                                                          "within"))
    assert (r["position"] == position).all()
    s = shares[(shares["by"] == "prefecture") & (shares["as_of"] == vocab.LIST_DATE)].set_index("key")
    nagano = r.set_index("prefecture").loc["長野県"]
    assert nagano["members"] == s.loc["長野県", "members"] == 25 and nagano["position"] == "within"
    # the four evacuated towns of 福島県 have no 2015 census ageing share: modelled municipalities exclude them
    assert (r["modelled_municipalities"].sum(), r.set_index("prefecture").loc["福島県", "modelled_municipalities"]) \
        == (1737, 55)


def test_the_predictive_distribution_over_periods_with_offset_and_scale():
    """For T periods a municipality succeeds if it does in any: p = 1 − Π(1 − expit(x·β + offset + u)); with
    no spread and one draw that is the Poisson-binomial of those p (scaled and capped at 1 when asked)."""
    x = np.ones((3, 2, 1))
    off = np.array([[-1.0, -0.5], [0.0, 0.2], [-2.0, -2.0]])
    f = ml.Fit(np.array([0.3]), np.log(1e-6), np.zeros((2, 2)), 0.0, True)
    p = 1 - np.prod(1 - special.expit(off + 0.3), axis=1)
    assert ml.predictive_counts(x, f, draws=1, offset=off) == pytest.approx(ml.poisson_binomial(p), abs=1e-9)
    got = ml.predictive_counts(x, f, draws=1, offset=off, scale=1.5)
    assert got == pytest.approx(ml.poisson_binomial(np.minimum(1, 1.5 * p)), abs=1e-9)


def test_a_shift_and_spread_around_a_fitted_offset():
    """Data drawn with log odds offset + 0.4 + u (τ = 0.8): fitting only the shift and the spread around the
    offset recovers both within three standard errors."""
    rng = np.random.default_rng(8)
    g = np.repeat(np.arange(50), 40)
    off = rng.normal(-1, 1, len(g))
    u = rng.normal(0, 0.8, 50)
    y = (rng.random(len(g)) < special.expit(off + 0.4 + u[g])).astype(float)
    f = ml.fit(np.ones((len(g), 1)), y, g, start=np.zeros(1), offset=off)
    se = np.sqrt(np.diag(f.cov))
    assert f.converged and abs(f.beta[0] - 0.4) < 3 * se[0] and abs(f.log_tau - np.log(0.8)) < 3 * se[1]
