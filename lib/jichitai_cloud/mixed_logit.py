"""Stage 4b, who joins: a logit with a prefecture random intercept, and predictive ranges of counts.

Membership is clustered by prefecture (prefectures promote groups; 長野県 and 北海道 have many), so a
prefecture's count of members varies more than binomial noise around the fixed-effect prediction. The
model

    P(member_i) = expit(x_i·β + u_p(i)),   u_p ~ N(0, τ²) independently per prefecture,

is fitted by maximum likelihood, each prefecture's integral over u_p by adaptive Gauss–Hermite
quadrature (centred at the mode of its integrand, scaled by its curvature, as lme4's ``glmer(nAGQ=…)``
does). τ is the between-prefecture standard deviation on the log-odds scale.

A prefecture's predictive distribution of its count of members is the Poisson-binomial distribution of
its municipalities' probabilities, mixed over a new prefecture effect u ~ N(0, τ²) (Gauss–Hermite nodes)
and over the estimation uncertainty of (β, log τ) (draws from their asymptotic normal distribution with
a fixed seed): the range a prefecture with these municipalities would fall in if it were a typical
prefecture. A count outside the central 95% range is above or below what the covariates and the usual
variation between prefectures predict. The count distributions are exact (no simulation of counts).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize, special

NODES = 15  # adaptive Gauss–Hermite nodes per prefecture in the likelihood
PREDICTIVE_NODES = 24  # Gauss–Hermite nodes over a new prefecture effect in the predictive distribution
DRAWS = 200  # draws of (β, log τ) mixed into the predictive distribution
SEED = 20181220  # the source document's last cited decision date: a fixed, documented seed


@dataclass(frozen=True)
class Fit:
    beta: np.ndarray
    log_tau: float
    cov: np.ndarray  # of (β, log τ), the inverse of the observed information
    loglike: float
    converged: bool

    @property
    def tau(self) -> float:
        return float(np.exp(self.log_tau))


def _cluster_modes(eta: np.ndarray, y: np.ndarray, groups: np.ndarray, g: int, tau: float):
    """Per cluster, the mode of u ↦ Σ log Bernoulli(y | eta + u) − u²/(2τ²) (Newton's method, vectorised
    over clusters; the function is concave) and the curvature there."""
    u = np.zeros(g)
    for _ in range(50):
        p = special.expit(eta + u[groups])
        grad = np.bincount(groups, y - p, g) - u / tau**2
        info = np.bincount(groups, p * (1 - p), g) + 1 / tau**2
        step = grad / info
        u += step
        if np.abs(step).max() < 1e-10:
            break
    p = special.expit(eta + u[groups])
    return u, np.bincount(groups, p * (1 - p), g) + 1 / tau**2


def loglike(beta: np.ndarray, log_tau: float, x: np.ndarray, y: np.ndarray, groups: np.ndarray,
            nodes: int = NODES) -> float:
    """The marginal log likelihood, each cluster's integral by adaptive Gauss–Hermite quadrature."""
    g = int(groups.max()) + 1
    tau = float(np.exp(log_tau))
    eta = x @ beta
    mode, info = _cluster_modes(eta, y, groups, g, tau)
    scale = np.sqrt(2.0 / info)
    z, w = np.polynomial.hermite.hermgauss(nodes)
    total = 0.0
    terms = np.empty((nodes, g))
    for k in range(nodes):
        u = mode + scale * z[k]
        lin = eta + u[groups]
        ll = np.bincount(groups, y * lin - np.logaddexp(0.0, lin), g)
        terms[k] = np.log(w[k]) + z[k] ** 2 + ll - u**2 / (2 * tau**2)
    total = special.logsumexp(terms, axis=0) + np.log(scale) - 0.5 * np.log(2 * np.pi) - np.log(tau)
    return float(total.sum())


def fit(x: np.ndarray, y: np.ndarray, groups: np.ndarray, start: np.ndarray | None = None) -> Fit:
    """Maximum likelihood of (β, log τ); the covariance is the inverse of the observed information
    (numerical Hessian of the marginal log likelihood)."""
    y = np.asarray(y, float)
    groups = np.asarray(groups, int)
    k = x.shape[1]
    theta0 = np.append(np.zeros(k) if start is None else np.asarray(start, float), np.log(0.5))

    def neg(theta):
        return -loglike(theta[:k], theta[k], x, y, groups)

    res = optimize.minimize(neg, theta0, method="BFGS", options={"gtol": 1e-6, "maxiter": 500})
    theta = res.x
    hess = _hessian(neg, theta)
    cov = np.linalg.inv(hess)
    converged = bool(res.success or np.abs(res.jac).max() < 1e-3) and bool(np.all(np.linalg.eigvalsh(hess) > 0))
    return Fit(theta[:k], float(theta[k]), cov, -float(res.fun), converged)


def _hessian(f, theta: np.ndarray, h: float = 1e-4) -> np.ndarray:
    """Central second differences."""
    n = len(theta)
    out = np.empty((n, n))
    e = np.eye(n) * h
    for i in range(n):
        for j in range(i, n):
            out[i, j] = out[j, i] = (f(theta + e[i] + e[j]) - f(theta + e[i] - e[j]) - f(theta - e[i] + e[j])
                                     + f(theta - e[i] - e[j])) / (4 * h * h)
    return out


def poisson_binomial(p: np.ndarray) -> np.ndarray:
    """The distribution of the number of successes of independent Bernoulli trials: ``p`` of shape
    (..., n) -> probabilities of 0..n, shape (..., n + 1), by the usual recursion."""
    p = np.asarray(p, float)
    out = np.zeros(p.shape[:-1] + (p.shape[-1] + 1,))
    out[..., 0] = 1.0
    for i in range(p.shape[-1]):
        pi = p[..., i:i + 1]
        out[..., 1:i + 2] = out[..., 1:i + 2] * (1 - pi) + out[..., 0:i + 1] * pi
        out[..., 0:1] = out[..., 0:1] * (1 - pi)
    return out


def predictive_counts(x: np.ndarray, fit_: Fit, draws: int = DRAWS, seed: int = SEED,
                      nodes: int = PREDICTIVE_NODES) -> np.ndarray:
    """The predictive distribution (probabilities of 0..n) of the count of members among the rows of
    ``x`` (one prefecture's municipalities) under a new prefecture effect u ~ N(0, τ²), mixed over
    ``draws`` draws of (β, log τ) (the first draw is the estimate itself)."""
    rng = np.random.default_rng(seed)
    theta = np.append(fit_.beta, fit_.log_tau)
    thetas = np.vstack([theta, rng.multivariate_normal(theta, fit_.cov, size=draws - 1)]) if draws > 1 else \
        theta[None, :]
    z, w = np.polynomial.hermite.hermgauss(nodes)
    eta = thetas[:, :-1] @ x.T  # (draws, n)
    tau = np.exp(thetas[:, -1])
    lin = eta[:, None, :] + (np.sqrt(2.0) * tau[:, None] * z[None, :])[:, :, None]  # (draws, nodes, n)
    dist = poisson_binomial(special.expit(lin))  # (draws, nodes, n + 1)
    mixed = (dist * (w / np.sqrt(np.pi))[None, :, None]).sum(axis=1).mean(axis=0)
    return mixed / mixed.sum()


def central_range(dist: np.ndarray, level: float = 0.95) -> tuple[int, int]:
    """The smallest k with P(count ≤ k) ≥ (1 − level)/2 and the smallest with ≥ (1 + level)/2."""
    cdf = np.cumsum(dist)
    lo = int(np.searchsorted(cdf, (1 - level) / 2 - 1e-12))
    hi = int(np.searchsorted(cdf, (1 + level) / 2 - 1e-12))
    return lo, hi
