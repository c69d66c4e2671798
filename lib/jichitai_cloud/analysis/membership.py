"""Stage 4b, who joins: a logit of joint-cloud membership on real covariates (no costs, nothing simulated).

Outcome: being in a joint-cloud group of the 2018-04 list (407 members), or, from the groups' start
years, at 2017-04-01 (the survey's status date; the start-year rule counts 379 where the survey
publishes 357, see the reconciliation). Covariates, all real: log population on 2017-01-01 (centred)
and its square; the FY2016 財政力指数 (settled accounts before the survey year, so it contains no
FY2017 spending); the share aged 65 and over (2015 census); log population per km² of habitable
area (可住地面積, 2018); and the kind (city or ward / town / village; no ward and no designated city
is a member, so they join the cities). The four towns evacuated after the 2011 nuclear accident have
no 2015 census population, hence no ageing share: they are left out and counted.

Standard errors are clustered by prefecture with t(G − 1) critical values (G = 47). A variant with
prefecture fixed effects is a conditional logit (prefectures whose municipalities are all members
or all not carry no information and drop out); its clustered covariance is the sandwich of the
prefectures' scores. Average marginal effects are differences in predicted probability, averaged
over the municipalities, for a stated change of each covariate; their standard errors come from
the delta method (numerical gradient) with the clustered covariance.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.discrete.discrete_model import Logit
from statsmodels.tools.tools import add_constant

from jichitai_cloud.clean import municipalities
from jichitai_cloud.errors import ParameterError
from jichitai_cloud.registry import vocab

AS_OF = {vocab.LIST_DATE: "the 2018-04 group list",
         vocab.STATUS_DATE: "start years before FY2017 (the survey's status date)"}
KIND3 = {"特別区": "city", "政令指定都市": "city", "市": "city", "町": "town", "村": "village"}
COLUMNS = ("log_pop_c", "log_pop_c_sq", "fiscal_strength_index_fy2016", "ageing_pct", "log_density", "town",
           "village")
TERMS = {
    "const": ("intercept", "切片"),
    "log_pop_c": ("log population (centred)", "log人口（中心化）"),
    "log_pop_c_sq": ("log population (centred), squared", "log人口（中心化）の2乗"),
    "fiscal_strength_index_fy2016": ("fiscal strength index FY2016", "財政力指数（平成28年度）"),
    "ageing_pct": ("aged 65+ (% of population, 2015)", "65歳以上人口の割合（%、平成27年）"),
    "log_density": ("log population per km² of habitable area", "log可住地人口密度（人/km²）"),
    "town": ("town (vs city or ward)", "町（市・区との差）"),
    "village": ("village (vs city or ward)", "村（市・区との差）"),
}
# The change each average marginal effect describes: (column, how, amount, English, Japanese).
CHANGES = (
    ("log_pop_c", "add", np.log(2.0), "population doubled", "人口が2倍"),
    ("fiscal_strength_index_fy2016", "add", 0.1, "fiscal strength index +0.1", "財政力指数が0.1高い"),
    ("ageing_pct", "add", 5.0, "aged-65+ share +5 points", "65歳以上の割合が5ポイント高い"),
    ("log_density", "add", np.log(2.0), "density doubled", "人口密度が2倍"),
    ("town", "kind", "town", "a town rather than a city or ward", "市・区ではなく町"),
    ("village", "kind", "village", "a village rather than a city or ward", "市・区ではなく村"),
)


def model_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per municipality with the outcome(s) and covariates; rows without an ageing share
    (2015 census population 0) dropped. ``log_pop_center`` keeps the centre."""
    df = frame.copy()
    df["member_2018_04_01"] = municipalities.joint_cloud_as_of(df, vocab.LIST_DATE).astype(int)
    df["member_2017_04_01"] = municipalities.joint_cloud_as_of(df, vocab.STATUS_DATE).astype(int)
    df = df[df["population_census_2015_persons"] > 0].copy()
    pop = df["population_2017_01_01_persons"].astype(float)
    center = float(np.log(pop).mean())
    df["log_pop_c"] = np.log(pop) - center
    df["log_pop_c_sq"] = df["log_pop_c"] ** 2
    df["log_pop_center"] = center
    df["ageing_pct"] = 100.0 * df["population_65_plus_census_2015_persons"] / df["population_census_2015_persons"]
    df["log_density"] = np.log(pop / (df["habitable_area_2018_ha"] / 100.0))
    df["kind3"] = df["kind"].map(KIND3)
    df["town"] = (df["kind3"] == "town").astype(float)
    df["village"] = (df["kind3"] == "village").astype(float)
    return df.reset_index(drop=True)


def _outcome(as_of: str) -> str:
    if as_of not in AS_OF:
        raise ParameterError(f"as_of must be one of {', '.join(AS_OF)}; got {as_of!r}")
    return f"member_{as_of.replace('-', '_')}"


def fit(df: pd.DataFrame, as_of: str = vocab.LIST_DATE):
    """Pooled logit, prefecture-clustered covariance, t(G − 1) inference (statsmodels: CRV1)."""
    x = add_constant(df[list(COLUMNS)].astype(float))
    groups = pd.factorize(df["prefecture"])[0]
    return Logit(df[_outcome(as_of)].astype(float), x).fit(
        disp=0, cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)


class ConditionalLogit:
    """The conditional (fixed-effects) logit: within each group, the probability of the observed set
    of members among all sets of the same size. Its denominator is the elementary symmetric
    polynomial of exp(x·β), computed by a scaled recursion with its gradient, so large groups
    (北海道: 179 municipalities) neither overflow nor take combinatorial time; its Hessian comes from the same
    recursion, so Newton's method needs a few passes. (statsmodels'
    ConditionalLogit recurses without scaling and overflows on groups of that size.)
    """

    def __init__(self, y: np.ndarray, x: np.ndarray, groups: np.ndarray):
        self.groups = []
        for g in pd.unique(groups):
            idx = groups == g
            xg = x[idx] - x[idx].mean(axis=0)  # a shift common to the group cancels in every set
            self.groups.append((xg, y[idx].astype(bool)))
        self.k = x.shape[1]

    def _group(self, beta: np.ndarray, xg: np.ndarray, yg: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
        """One group's log likelihood, score and Hessian. The denominator e_m (the sum over sets of m
        members of exp(Σ x·β)) by the recursion e_j ← e_j + w_i·e_(j−1), kept in logs; alongside it the
        mean g_j and second moment h_j of the set's Σ x under the weights exp(Σ x·β), each updated as the
        weighted mixture of the sets without member i (weight e_j) and with it (w_i·e_(j−1)). Then
        ∇ log e_m = g_m and ∇² log e_m = h_m − g_m g_mᵀ (the covariance of Σ x)."""
        eta = xg @ beta
        m = int(yg.sum())
        log_e = np.full(m + 1, -np.inf)
        log_e[0] = 0.0
        g = np.zeros((m + 1, self.k))
        h = np.zeros((m + 1, self.k, self.k))
        for i, (eta_i, xi) in enumerate(zip(eta, xg)):
            top = min(i + 1, m)
            if top == 0:
                continue
            j = np.arange(top, 0, -1)  # high to low: each update reads the previous step's j − 1
            new = np.logaddexp(log_e[j], eta_i + log_e[j - 1])
            a = np.exp(log_e[j] - new)
            prev_g = g[j - 1]
            xg_outer = xi[None, :, None] * prev_g[:, None, :]
            with_i = h[j - 1] + xg_outer + xg_outer.transpose(0, 2, 1) + np.outer(xi, xi)[None]
            h[j] = a[:, None, None] * h[j] + (1 - a)[:, None, None] * with_i
            g[j] = a[:, None] * g[j] + (1 - a)[:, None] * (xi[None, :] + prev_g)
            log_e[j] = new
        ll = float(eta[yg].sum() - log_e[m])
        return ll, xg[yg].sum(axis=0) - g[m], -(h[m] - np.outer(g[m], g[m]))

    def loglike_and_scores(self, beta: np.ndarray) -> tuple[float, np.ndarray]:
        ll, scores, _ = self.loglike_scores_hessian(beta)
        return ll, scores

    def loglike_scores_hessian(self, beta: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
        """The log likelihood, one score row per group and the Hessian (analytic)."""
        out = [self._group(beta, xg, yg) for xg, yg in self.groups]
        return sum(o[0] for o in out), np.array([o[1] for o in out]), sum(o[2] for o in out)

    def fit(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
        """Estimates by Newton's method with step halving (the log likelihood is concave), the Hessian,
        per-group scores, converged."""
        beta = np.zeros(self.k)
        ll, scores, hess = self.loglike_scores_hessian(beta)
        for _ in range(100):
            grad = scores.sum(axis=0)
            if np.abs(grad).max() < 1e-10:
                break
            step = np.linalg.solve(hess, grad)
            t = 1.0
            while True:
                candidate = self.loglike_scores_hessian(beta - t * step)
                if candidate[0] >= ll - 1e-12 or t < 1e-8:
                    break
                t /= 2
            beta = beta - t * step
            ll, scores, hess = candidate
        converged = bool(np.abs(scores.sum(axis=0)).max() < 1e-6 and np.all(np.linalg.eigvalsh(hess) < 0))
        return beta, hess, scores, converged


def sandwich(hess: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Cluster-robust covariance from the Hessian of the log likelihood and one score row per cluster:
    G/(G − 1) · (−H)⁻¹ (Σ_g s_g s_gᵀ) (−H)⁻¹."""
    bread = np.linalg.inv(-hess)
    g = len(scores)
    return g / (g - 1) * bread @ (scores.T @ scores) @ bread


def fit_fixed_effects(df: pd.DataFrame, as_of: str = vocab.LIST_DATE) -> dict:
    """Conditional logit with prefecture fixed effects, clustered (sandwich) covariance, t(G − 1).

    Prefectures whose municipalities are all members, or all not, carry no information and are
    left out (listed in ``dropped``). Returns params, cov, n, prefectures, dropped, converged.
    """
    y = _outcome(as_of)
    varies = df.groupby("prefecture")[y].transform(lambda s: s.nunique() > 1)
    used = df[varies].reset_index(drop=True)
    dropped = sorted(set(df["prefecture"]) - set(used["prefecture"]))
    model = ConditionalLogit(used[y].to_numpy(), used[list(COLUMNS)].to_numpy(float),
                             pd.factorize(used["prefecture"])[0])
    params, hess, scores, converged = model.fit()
    g = len(scores)
    cov = sandwich(hess, scores)
    return {"params": pd.Series(params, index=list(COLUMNS)), "cov": cov, "n": len(used),
            "prefectures": g, "dropped": dropped, "converged": converged}


def _t_table(params: pd.Series, cov: np.ndarray, df_t: int) -> pd.DataFrame:
    se = np.sqrt(np.diag(cov))
    q = stats.t.ppf(0.975, df_t)
    return pd.DataFrame({"term": list(params.index), "estimate": params.to_numpy(), "std_error": se,
                         "ci_low": params.to_numpy() - q * se, "ci_high": params.to_numpy() + q * se,
                         "odds_ratio": np.exp(params.to_numpy())})


def coefficients(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Coefficients (log odds) of the pooled and fixed-effects logits for both outcomes, and one
    row per model with its size and fit. Real data."""
    coefs, models = [], []
    for as_of in AS_OF:
        res = fit(df, as_of)
        g = int(df["prefecture"].nunique())
        t = _t_table(res.params, np.asarray(res.cov_params()), g - 1)
        coefs.append(t.assign(model="pooled", as_of=as_of))
        y = df[_outcome(as_of)]
        models.append({"model": "pooled", "as_of": as_of, "n": int(res.nobs), "members": int(y.sum()),
                       "prefectures": g, "prefectures_dropped": 0, "pseudo_r_squared": float(res.prsquared),
                       "log_likelihood": float(res.llf), "converged": bool(res.mle_retvals["converged"]),
                       "covariance": "clustered by prefecture (CRV1), t(G − 1)"})
        fe = fit_fixed_effects(df, as_of)
        t = _t_table(fe["params"], fe["cov"], fe["prefectures"] - 1)
        coefs.append(t.assign(model="prefecture_fe", as_of=as_of))
        used = df[~df["prefecture"].isin(fe["dropped"])]
        models.append({"model": "prefecture_fe", "as_of": as_of, "n": fe["n"],
                       "members": int(used[_outcome(as_of)].sum()), "prefectures": fe["prefectures"],
                       "prefectures_dropped": len(fe["dropped"]), "pseudo_r_squared": np.nan,
                       "log_likelihood": np.nan, "converged": fe["converged"],
                       "covariance": "clustered by prefecture (sandwich of prefecture scores), t(G − 1)"})
    out = pd.concat(coefs, ignore_index=True)
    return out[["model", "as_of", "term", "estimate", "std_error", "ci_low", "ci_high", "odds_ratio"]], \
        pd.DataFrame(models)


def _changed(x: pd.DataFrame, column: str, how: str, amount) -> pd.DataFrame:
    x = x.copy()
    if how == "add":
        x[column] = x[column] + amount
        if column == "log_pop_c":
            x["log_pop_c_sq"] = x["log_pop_c"] ** 2
    else:
        x["town"] = float(amount == "town")
        x["village"] = float(amount == "village")
    return x


def marginal_effects(df: pd.DataFrame) -> pd.DataFrame:
    """Average marginal effects of the pooled logit (percentage points of membership probability)
    for each stated change, with delta-method standard errors and t(G − 1) intervals."""
    rows = []
    for as_of in AS_OF:
        res = fit(df, as_of)
        x = add_constant(df[list(COLUMNS)].astype(float))
        cov = np.asarray(res.cov_params())
        beta = np.asarray(res.params)
        q = stats.t.ppf(0.975, int(df["prefecture"].nunique()) - 1)
        for column, how, amount, en, ja in CHANGES:
            base = x if how == "add" else _changed(x, column, "kind", "city")
            after = _changed(x, column, how, amount)

            def ame(b, base=base, after=after):
                return float(np.mean(_expit(after.to_numpy() @ b) - _expit(base.to_numpy() @ b)))

            est = ame(beta)
            grad = np.array([(ame(beta + h) - ame(beta - h)) / (2 * 1e-6) for h in np.eye(len(beta)) * 1e-6])
            se = float(np.sqrt(grad @ cov @ grad))
            rows.append({"as_of": as_of, "change": column, "change_en": en, "change_ja": ja,
                         "ame_pct_points": 100 * est, "std_error_pct_points": 100 * se,
                         "ci_low_pct_points": 100 * (est - q * se), "ci_high_pct_points": 100 * (est + q * se)})
    return pd.DataFrame(rows)


def _expit(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def predictions(frame: pd.DataFrame, df: pd.DataFrame) -> pd.DataFrame:
    """Each municipality's predicted probability of membership (pooled logit, 2018-04 list) beside its
    actual membership; NaN for the municipalities the model leaves out. Real data, derived."""
    res = fit(df, vocab.LIST_DATE)
    x = add_constant(df[list(COLUMNS)].astype(float))
    p = pd.Series(np.asarray(res.predict(x)), index=df["code"])
    out = frame[["code", "prefecture", "name", "kind", "population_2017_01_01_persons",
                 "fiscal_strength_index_fy2016", "joint_cloud_group_id"]].copy()
    ageing = df.set_index("code")["ageing_pct"]
    density = np.exp(df.set_index("code")["log_density"])
    out["ageing_pct"] = out["code"].map(ageing)
    out["density_per_km2"] = out["code"].map(density)
    out["member_2018_04_01"] = out["joint_cloud_group_id"].notna()
    out["predicted_probability"] = out["code"].map(p)
    return out.drop(columns="joint_cloud_group_id")


def shares(frame: pd.DataFrame) -> pd.DataFrame:
    """Membership by population class and by prefecture, on both dates: municipalities, members,
    share (%). Real data (the start-year rule for 2017-04-01 is derived)."""
    rows = []
    labels = {c.class_id: c.label_ja for c in vocab.POPULATION_CLASSES}
    for as_of in AS_OF:
        member = municipalities.joint_cloud_as_of(frame, as_of)
        d = frame.assign(member=member)
        for by, key, order in (("class", "population_class_id", list(labels)),
                               ("prefecture", "prefecture", list(municipalities.PREFECTURES))):
            g = d.groupby(key).agg(municipalities=("code", "size"), members=("member", "sum"))
            g = g.reindex([k for k in order if k in g.index])
            for k, r in g.iterrows():
                rows.append({"as_of": as_of, "by": by, "key": str(k),
                             "label": labels[k] if by == "class" else k,
                             "municipalities": int(r["municipalities"]), "members": int(r["members"]),
                             "share_pct": 100.0 * r["members"] / r["municipalities"]})
        rows.append({"as_of": as_of, "by": "all", "key": "all", "label": "全国",
                     "municipalities": len(frame), "members": int(member.sum()),
                     "share_pct": 100.0 * member.sum() / len(frame)})
    return pd.DataFrame(rows)


def random_intercept(df: pd.DataFrame, as_of: str = vocab.LIST_DATE):
    """The membership logit with a prefecture random intercept (:mod:`mixed_logit`), started from the
    pooled estimates. Returns the fit and the design matrix (constant first, then COLUMNS)."""
    from jichitai_cloud.analysis import mixed_logit

    x = add_constant(df[list(COLUMNS)].astype(float)).to_numpy()
    groups = pd.factorize(df["prefecture"])[0]
    start = np.asarray(fit(df, as_of).params)
    return mixed_logit.fit(x, df[_outcome(as_of)].to_numpy(float), groups, start=start), x


def prefecture_ranges(df: pd.DataFrame, as_of: str = vocab.LIST_DATE, level: float = 0.95) -> pd.DataFrame:
    """``evidence_membership_prefecture_ranges``: per prefecture, its members among the modelled
    municipalities, the count the random-intercept model expects for a typical prefecture with these
    municipalities, and the central ``level`` predictive range (between-prefecture variation τ, binomial
    noise and estimation uncertainty); where the actual count lies: above, below or within."""
    from jichitai_cloud.analysis import mixed_logit

    res, x = random_intercept(df, as_of)
    y = df[_outcome(as_of)].to_numpy(int)
    rows = []
    for pref in municipalities.PREFECTURES:
        idx = np.flatnonzero((df["prefecture"] == pref).to_numpy())
        dist = mixed_logit.predictive_counts(x[idx], res)
        lo, hi = mixed_logit.central_range(dist, level)
        actual = int(y[idx].sum())
        rows.append({"prefecture": pref, "as_of": as_of, "modelled_municipalities": len(idx), "members": actual,
                     "expected_members": float(np.arange(len(dist)) @ dist), "range_low": lo, "range_high": hi,
                     "range_level": level, "prob_at_least_actual": float(dist[actual:].sum()),
                     "prob_at_most_actual": float(dist[:actual + 1].sum()),
                     "position": "above" if actual > hi else ("below" if actual < lo else "within"),
                     "tau": res.tau, "converged": res.converged,
                     "model": "random-intercept logit (prefecture), adaptive Gauss–Hermite ML"})
    return pd.DataFrame(rows)
