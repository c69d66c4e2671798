"""Stage 4b, who joins: a logit with a prefecture random intercept, and predictive ranges of counts.

Membership is clustered by prefecture (prefectures promote groups; 長野県 and 北海道 have many), so a
prefecture's count of members varies more than binomial noise around the fixed-effect prediction. The
model

    P(member_i) = expit(x_i·β + u_p(i)),   u_p ~ N(0, τ²) independently per prefecture,

is fitted by maximum likelihood, each prefecture's integral over u_p by adaptive Gauss–Hermite
quadrature (centred at the mode of its integrand, scaled by its curvature, as lme4's ``glmer(nAGQ=…)``
does; the maximisation alternates between centring the nodes and maximising with them held, with the
exact gradient). τ is the between-prefecture standard deviation on the log-odds scale.

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
    over clusters; the function is concave) and the curvature there. Steps are capped at one unit of log odds:
    an uncapped Newton step can overshoot where the logistic curve is flat and then oscillate."""
    u = np.zeros(g)
    for _ in range(500):
        p = special.expit(eta + u[groups])
        grad = np.bincount(groups, y - p, g) - u / tau**2
        info = np.bincount(groups, p * (1 - p), g) + 1 / tau**2
        step = np.clip(grad / info, -1.0, 1.0)
        u += step
        if np.abs(step).max() < 1e-10:
            break
    else:
        raise ArithmeticError("the conditional modes of the random intercepts did not converge")
    p = special.expit(eta + u[groups])
    return u, np.bincount(groups, p * (1 - p), g) + 1 / tau**2


def loglike(beta: np.ndarray, log_tau: float, x: np.ndarray, y: np.ndarray, groups: np.ndarray,
            nodes: int = NODES, offset: np.ndarray | None = None) -> float:
    """The marginal log likelihood, each cluster's integral by adaptive Gauss–Hermite quadrature (``offset``:
    a known part of each row's log odds)."""
    g = int(groups.max()) + 1
    tau = float(np.exp(log_tau))
    eta = x @ beta + (0.0 if offset is None else offset)
    mode, info = _cluster_modes(eta, y, groups, g, tau)
    scale = np.sqrt(2.0 / info)
    z, w = np.polynomial.hermite.hermgauss(nodes)
    terms = np.empty((nodes, g))
    for k in range(nodes):
        u = mode + scale * z[k]
        lin = eta + u[groups]
        ll = np.bincount(groups, y * lin - np.logaddexp(0.0, lin), g)
        terms[k] = np.log(w[k]) + z[k] ** 2 + ll - u**2 / (2 * tau**2)
    total = special.logsumexp(terms, axis=0) + np.log(scale) - 0.5 * np.log(2 * np.pi) - np.log(tau)
    return float(total.sum())


def _fixed_nodes(theta: np.ndarray, x: np.ndarray, y: np.ndarray, groups: np.ndarray, centre: np.ndarray,
                 scale: np.ndarray, z: np.ndarray, w: np.ndarray, offset=0.0) -> tuple[float, np.ndarray]:
    """Minus the quadrature log likelihood with each cluster's nodes held at ``centre`` + ``scale``·z, and its
    exact gradient in (β, log τ)."""
    beta, tau = theta[:-1], float(np.exp(theta[-1]))
    g = len(centre)
    u = centre[:, None] + scale[:, None] * z[None, :]  # (clusters, nodes)
    lin = (x @ beta + offset)[:, None] + u[groups]  # (rows, nodes)
    ll = y[:, None] * lin - np.logaddexp(0.0, lin)
    per = np.stack([np.bincount(groups, ll[:, k], g) for k in range(len(z))], axis=1)
    terms = (np.log(w) + z**2)[None, :] + per - u**2 / (2 * tau**2) + np.log(scale)[:, None] \
        - 0.5 * np.log(2 * np.pi) - np.log(tau)
    total = special.logsumexp(terms, axis=1)
    post = np.exp(terms - total[:, None])  # each cluster's weights over its nodes
    resid = (y[:, None] - special.expit(lin)) * post[groups]
    grad = np.append(x.T @ resid.sum(axis=1), float((post * (u**2 / tau**2 - 1)).sum()))
    return -float(total.sum()), -grad


def _nodes(theta: np.ndarray, x: np.ndarray, y: np.ndarray, groups: np.ndarray, offset=0.0):
    k, g = x.shape[1], int(groups.max()) + 1
    centre, info = _cluster_modes(x @ theta[:k] + offset, y, groups, g, float(np.exp(theta[k])))
    return centre, np.sqrt(2.0 / info)


def fit(x: np.ndarray, y: np.ndarray, groups: np.ndarray, start: np.ndarray | None = None,
        offset: np.ndarray | None = None) -> Fit:
    """Maximum likelihood of (β, log τ) under adaptive Gauss–Hermite quadrature, by Newton's method: at each
    step the nodes are centred at every cluster's conditional mode and scaled by its curvature, the gradient
    and Hessian (central differences of the exact gradient) are those of the quadrature likelihood with the
    nodes held there, and the step is halved until the quadrature likelihood itself (nodes re-centred) rises.
    The covariance is the inverse of the observed information at the estimate. ``offset``: a known part of
    each row's log odds (e.g. another model's fitted linear predictor, to estimate only a shift and the spread
    between clusters around it)."""
    y = np.asarray(y, float)
    off = np.zeros(len(y)) if offset is None else np.asarray(offset, float)
    groups = np.asarray(groups, int)
    k = x.shape[1]
    theta = np.append(np.zeros(k) if start is None else np.asarray(start, float), np.log(0.5))
    z, w = np.polynomial.hermite.hermgauss(NODES)

    def grad_hess(t):
        centre, scale = _nodes(t, x, y, groups, off)

        def grad(u):
            return -_fixed_nodes(u, x, y, groups, centre, scale, z, w, off)[1]  # of the log likelihood

        h = 1e-5
        hess = np.array([(grad(t + h * e) - grad(t - h * e)) / (2 * h) for e in np.eye(k + 1)])
        return grad(t), (hess + hess.T) / 2

    ll = loglike(theta[:k], theta[k], x, y, groups, offset=off)
    converged = False
    for _ in range(100):
        g, hess = grad_hess(theta)
        eig = np.linalg.eigvalsh(hess)
        # Newton on a concave stretch; elsewhere a step along the gradient, scaled by the curvature's size
        step = -np.linalg.solve(hess, g) if eig.max() < 0 else g / max(1.0, float(np.abs(eig).max()))
        if np.abs(g).max() < 1e-6 or (eig.max() < 0 and float(g @ step) < 1e-10):  # the Newton decrement
            converged = True
            break
        t = 1.0
        while t > 1e-10:
            candidate = theta + t * step
            candidate[k] = np.clip(candidate[k], np.log(1e-3), np.log(20.0))
            try:
                new = loglike(candidate[:k], candidate[k], x, y, groups, offset=off)
            except ArithmeticError:  # a step so far out that the conditional modes do not settle: shorten it
                new = -np.inf
            if np.isfinite(new) and new >= ll - 1e-12:
                break
            t /= 2
        if t <= 1e-10:
            break
        theta, ll = candidate, new
    g, hess = grad_hess(theta)
    converged = converged and bool(np.all(np.linalg.eigvalsh(hess) < 0))
    return Fit(theta[:k], float(theta[k]), np.linalg.inv(-hess), ll, converged)


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
                      nodes: int = PREDICTIVE_NODES, scale: float | None = None,
                      offset: np.ndarray | None = None) -> np.ndarray:
    """The predictive distribution (probabilities of 0..n) of the count of successes among one prefecture's
    n municipalities under a new prefecture effect u ~ N(0, τ²), mixed over ``draws`` draws of (β, log τ)
    (the first draw is the estimate itself).

    ``x``: (n, k) for one logit per municipality (membership), or (n, T, k) for T periods each, where a
    municipality succeeds if it does in any period (joining within a window under a hazard model):
    p = 1 − Π_t (1 − expit(x_t·β + u)). ``scale``: each p multiplied by it (at most 1), to put a score on
    another scale. ``offset``: (n,) or (n, T), a known part of the log odds."""
    rng = np.random.default_rng(seed)
    theta = np.append(fit_.beta, fit_.log_tau)
    thetas = np.vstack([theta, rng.multivariate_normal(theta, fit_.cov, size=draws - 1)]) if draws > 1 else \
        theta[None, :]
    x3 = x[:, None, :] if x.ndim == 2 else x  # (n, T, k)
    z, w = np.polynomial.hermite.hermgauss(nodes)
    eta = np.einsum("ntk,dk->dnt", x3, thetas[:, :-1])  # (draws, n, T)
    if offset is not None:
        eta = eta + (offset[:, None] if offset.ndim == 1 else offset)[None, :, :]
    shift = np.sqrt(2.0) * np.exp(thetas[:, -1])[:, None] * z[None, :]  # (draws, nodes)
    lin = eta[:, None, :, :] + shift[:, :, None, None]  # (draws, nodes, n, T)
    p = 1.0 - np.prod(1.0 - special.expit(lin), axis=-1)  # (draws, nodes, n)
    if scale is not None:
        p = np.minimum(1.0, scale * p)
    dist = poisson_binomial(p)  # (draws, nodes, n + 1)
    mixed = (dist * (w / np.sqrt(np.pi))[None, :, None]).sum(axis=1).mean(axis=0)
    return mixed / mixed.sum()


def central_range(dist: np.ndarray, level: float = 0.95) -> tuple[int, int]:
    """The smallest k with P(count ≤ k) ≥ (1 − level)/2 and the smallest with ≥ (1 + level)/2."""
    cdf = np.cumsum(dist)
    lo = int(np.searchsorted(cdf, (1 - level) / 2 - 1e-12))
    hi = int(np.searchsorted(cdf, (1 + level) / 2 - 1e-12))
    return lo, hi
