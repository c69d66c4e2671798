"""Stage 4d, models: IT cost per resident against population and cloud status, saying only what the data can say.

The main model is OLS of log cost per resident on a natural cubic spline in log population
(``cr(log_pop_c, df=5)``: the published class means fall up to 10-20万人 and rise after) and cloud
status. Switches add a status × log population interaction, prefecture fixed effects, municipality
kind, pre-period fiscal covariates (財政力指数 and 経常収支比率 of FY2016, before the survey year, so
they contain no FY2017 spending), replace the spline by a quadratic, replace OLS by Huber's robust
regression or by PPML (Poisson pseudo-maximum likelihood on cost in yen with log population as
offset: the estimator for a total in yen, whose status effect is on mean cost, not on the geometric
mean OLS on logs estimates).

Status: joint, single and none where the survey reports them (or the simulation draws them); where
a real file has no status column, joint or not (``not_joint``) from the group list: no single
cloud term is fitted and the counterfactual is over all non-joint municipalities. Joint
membership can be taken as of 2017-04-01 (start years, the survey's status date; the default) or
from the 2018-04 list (``membership_as_of``), whose sensitivity is a table of its own.

Standard errors are clustered by prefecture with t(G − 1) critical values by default (the build's own
simulation study, ``model_inference_coverage``, finds HC3 intervals too narrow when costs share prefecture
and group effects), or heteroskedasticity-robust (HC3; HC0 for PPML), or clustered by group (a municipality
outside any group its own cluster); :func:`wild_cluster_bootstrap` gives a wild cluster bootstrap-t interval for
the joint term. The counterfactual saving is reported per population class; classes with fewer
than ``MIN_SUPPORT`` joint members are flagged as extrapolation and kept out of the headline.

The class-level model (:mod:`class_level`) uses published numbers only: a smooth curve of mean
cost per resident in log population, matched by minimum distance to the twelve published class
moments (mean per resident and total) over the 1,741 real populations.

When the survey is simulated, every estimate describes the generator's assumptions (its status
effects are inputs), not municipalities: no p-values are kept and no interval is shown, and the
saving is a line in the assumed effect; see ``survey.labels`` and :mod:`simulation`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from scipy import stats
# the classes used, not statsmodels.api: it imports every model (0.2 s more per process; here and in the
# membership, hazard and validation modules)
from statsmodels.genmod.families import Poisson
from statsmodels.robust.norms import HuberT

from jichitai_cloud.analysis.class_level import CLASS_DF, class_level, class_level_fitted  # noqa: F401
from jichitai_cloud.clean import municipalities
from jichitai_cloud.errors import ParameterError, SurveyFileError
from jichitai_cloud.registry import schema, vocab
from jichitai_cloud.registry.vocab import MIN_SUPPORT

COV_TYPES = ("HC3", "cluster_prefecture", "cluster_group")
ESTIMATORS = ("ols", "ppml")
CURVES = ("spline", "quadratic")
MEMBERSHIP_AS_OF = (vocab.STATUS_DATE, vocab.LIST_DATE)  # start years (the default), or the 2018-04 list
KIND_TERM = "C(kind, Treatment('市'))"
SPLINE_TERM = "cr(log_pop_c, df=5, constraints='center')"
EFFECT_POPULATIONS = (1_000, 5_000, 20_000, 50_000, 100_000, 300_000, 1_000_000)
NATIONAL = vocab.NATIONAL[0]  # the area of national rows (全国)
PPML_SCALE = 1e6  # PPML fits cost in 百万円 (coefficients other than the intercept do not depend on it)


def status_term(base: str) -> str:
    return f"C(cloud_status, Treatment('{base}'))"


@dataclass(frozen=True)
class ModelSpec:
    """Which model: the switches combine (e.g. interaction and prefecture fixed effects).

    Inference defaults to errors clustered by prefecture (CR1) with t(G − 1) critical values: the
    simulation study (``model_inference_coverage``) finds HC3 intervals cover the truth well below their
    nominal 95% when costs share prefecture and group effects, and prefecture-clustered ones close to it.
    ``cov_type="HC3"`` (HC0 for PPML) remains a variant. Huber regression (``robust``) always uses its own
    sandwich covariance (H1; statsmodels' RLM cannot cluster), and every table names it.
    """

    interaction: bool = False
    prefecture_fe: bool = False
    kind: bool = False
    fiscal: bool = False
    robust: bool = False
    cov_type: str = "cluster_prefecture"
    estimator: str = "ols"
    curve: str = "spline"
    membership_as_of: str = vocab.STATUS_DATE

    def __post_init__(self) -> None:
        for name in ("interaction", "prefecture_fe", "kind", "fiscal", "robust"):
            if not isinstance(getattr(self, name), bool):
                raise ParameterError(f"{name} must be True or False; got {getattr(self, name)!r}")
        for name, valid in (("cov_type", COV_TYPES), ("estimator", ESTIMATORS), ("curve", CURVES),
                            ("membership_as_of", MEMBERSHIP_AS_OF)):
            if getattr(self, name) not in valid:
                raise ParameterError(f"{name} must be one of {', '.join(valid)}; got {getattr(self, name)!r}")
        if self.robust and self.estimator != "ols":
            raise ParameterError("robust (Huber) regression is an OLS alternative: use it with estimator='ols'")

    @property
    def name(self) -> str:
        parts = [p for p, on in (("interaction", self.interaction), ("prefecture FE", self.prefecture_fe),
                                 ("kind", self.kind), ("fiscal FY2016", self.fiscal),
                                 ("quadratic", self.curve == "quadratic"),
                                 ("joint from the 2018-04 list", self.membership_as_of == vocab.LIST_DATE)) if on]
        base = "Huber" if self.robust else ("PPML" if self.estimator == "ppml" else "OLS")
        return f"{base}: main" + "".join(f" + {p}" for p in parts)

    def formula(self, base: str = "none") -> str:
        curve = [SPLINE_TERM] if self.curve == "spline" else ["log_pop_c", "I(log_pop_c ** 2)"]
        rhs = curve + [status_term(base)]
        if self.interaction:
            # explicit slope columns: patsy's status:log_pop_c would add the base's slope, which the spline spans
            rhs += ["joint_log_pop_c"] + (["single_log_pop_c"] if base == "none" else [])
        if self.kind:
            rhs.append(KIND_TERM)
        if self.fiscal:
            rhs += ["fiscal_strength_index_fy2016", "current_balance_ratio_fy2016_pct"]
        if self.prefecture_fe:
            rhs.append("C(prefecture)")
        lhs = "cost_scaled" if self.estimator == "ppml" else "log_cost_per_resident"
        return f"{lhs} ~ " + " + ".join(rhs)

    @property
    def cov_label(self) -> str:
        if self.robust:
            return "Huber H1 (robust sandwich)"
        hetero = "HC0 (heteroskedasticity-robust)" if self.estimator == "ppml" else "HC3 (heteroskedasticity-robust)"
        return {"HC3": hetero, "cluster_prefecture": "clustered by prefecture, t(G − 1)",
                "cluster_group": "clustered by joint-cloud group (non-members alone), t(G − 1)"}[self.cov_type]


# The specifications the build fits and the report shows: the main model and each switch alone.
STANDARD_SPECS = {
    "main": ModelSpec(),
    "interaction": ModelSpec(interaction=True),
    "prefecture_fe": ModelSpec(prefecture_fe=True),
    "kind": ModelSpec(kind=True),
    "fiscal": ModelSpec(fiscal=True),
    "quadratic": ModelSpec(curve="quadratic"),
    "huber": ModelSpec(robust=True),
    "main_hc3": ModelSpec(cov_type="HC3"),
    "main_cluster_group": ModelSpec(cov_type="cluster_group"),
    "ppml": ModelSpec(estimator="ppml"),
    "ppml_hc0": ModelSpec(estimator="ppml", cov_type="HC3"),
    "main_list_2018": ModelSpec(membership_as_of=vocab.LIST_DATE),
}


def model_frame(survey: pd.DataFrame, frame: pd.DataFrame, membership_as_of: str = vocab.STATUS_DATE) -> pd.DataFrame:
    """One row per municipality with a cost: the survey joined to the municipality frame.

    ``log_pop_c`` is log population (2017-01-01) centred at its mean over these rows;
    ``log_pop_center`` keeps the centre so predictions can be made at any population.
    ``membership_as_of="2018-04-01"`` counts every member of the 2018-04 list as joint (the
    list overstates membership at the survey date; a sensitivity check). ``status_base``: the
    status the others are compared with (none, or not_joint when single and none are unknown).
    """
    if membership_as_of not in MEMBERSHIP_AS_OF:
        raise ParameterError(f"membership_as_of must be one of {', '.join(MEMBERSHIP_AS_OF)}; got {membership_as_of!r}")
    df = survey[survey["it_cost_yen"].notna()].merge(
        frame[["code", "prefecture", "name", "kind", "population_class_id", "joint_cloud_group_id",
               "joint_cloud_start_fy", "fiscal_strength_index_fy2016", "current_balance_ratio_fy2016_pct"]],
        on="code", how="left", validate="one_to_one")
    pop = df["population_2017_01_01_persons"].astype(float)
    df["cost_per_resident_yen"] = df["it_cost_yen"].astype(float) / pop
    if (df["cost_per_resident_yen"] <= 0).any():
        bad = df.loc[df["cost_per_resident_yen"] <= 0, "code"].tolist()[:5]
        raise SurveyFileError(f"log cost needs positive costs; zero cost for {bad}")
    if membership_as_of == vocab.LIST_DATE:
        df["cloud_status"] = np.where(df["joint_cloud_group_id"].notna(), "joint", df["cloud_status"])
    df["log_cost_per_resident"] = np.log(df["cost_per_resident_yen"])
    df["cost_scaled"] = df["it_cost_yen"].astype(float) / PPML_SCALE
    df["log_population"] = np.log(pop)
    center = float(np.log(pop).mean())
    df["log_pop_c"] = np.log(pop) - center
    df["log_pop_center"] = center
    df["cluster_group"] = np.where(df["joint_cloud_group_id"].notna(),
                                   "g" + df["joint_cloud_group_id"].astype("string").fillna(""), "m" + df["code"])
    df["status_base"] = vocab.NOT_JOINT_CODE if (df["cloud_status"] == vocab.NOT_JOINT_CODE).any() else "none"
    for status in ("joint", "single"):
        df[f"{status}_log_pop_c"] = np.where(df["cloud_status"] == status, df["log_pop_c"], 0.0)
    return df.reset_index(drop=True)


@dataclass
class Fit:
    spec: ModelSpec
    result: object  # a statsmodels results object
    data: pd.DataFrame

    @property
    def n(self) -> int:
        return int(self.result.nobs)

    @property
    def base(self) -> str:
        return str(self.data["status_base"].iloc[0])

    @property
    def statuses(self) -> list[str]:
        """The statuses with a coefficient (joint, and single when single and none are known)."""
        return [s for s in ("joint", "single") if f"{status_term(self.base)}[T.{s}]" in self.result.params.index]

    def term(self, status: str) -> str:
        return f"{status_term(self.base)}[T.{status}]"


def _clusters(df: pd.DataFrame, cov_type: str) -> np.ndarray:
    return pd.factorize(df["prefecture" if cov_type == "cluster_prefecture" else "cluster_group"])[0]


def fit(df: pd.DataFrame, spec: ModelSpec = ModelSpec()) -> Fit:
    """Fit one specification with its covariance (t(G − 1) for clustered ones)."""
    base = str(df["status_base"].iloc[0])
    if spec.robust:
        model = smf.rlm(spec.formula(base), data=df, M=HuberT())
        return Fit(spec, model.fit(cov="H1"), df)
    if spec.estimator == "ppml":
        model = smf.glm(spec.formula(base), data=df, family=Poisson(), offset=df["log_population"])
        cov = {"cov_type": "HC0"}  # statsmodels' GLM applies no small-sample factor: HC1 would be the same
    else:
        model = smf.ols(spec.formula(base), data=df)
        cov = {"cov_type": "HC3"}
    if spec.cov_type != "HC3":
        cov = {"cov_type": "cluster", "cov_kwds": {"groups": _clusters(df, spec.cov_type)}, "use_t": True}
    return Fit(spec, model.fit(**cov), df)


def _readable(term: str) -> str:
    for base in ("none", vocab.NOT_JOINT_CODE):
        for code in ("joint", "single"):
            term = term.replace(f"{status_term(base)}[T.{code}]", vocab.status(code, "en"))
    return (term.replace(f"{KIND_TERM}[T.", "kind[").replace("C(prefecture)[T.", "prefecture[")
            .replace("I(log_pop_c ** 2)", "log_pop_c²").replace(SPLINE_TERM, "spline(log population)")
            .replace("joint_log_pop_c", "joint cloud × log_pop_c").replace("single_log_pop_c", "single cloud × log_pop_c"))


def coef_table(f: Fit, model: str, survey_input: str) -> pd.DataFrame:
    """Tidy coefficients: term, estimate, standard error, 95% interval, p-value, n, covariance.

    For the simulated survey no interval and no p-value are kept: an interval or a test around a number the
    generator fixed is not a finding (the simulation study measures coverage instead).
    """
    r = f.result
    ci = r.conf_int(0.05)
    simulated = survey_input == "simulated"
    out = pd.DataFrame({
        "model": model, "term": [_readable(t) for t in r.params.index], "term_raw": list(r.params.index),
        "estimate": r.params.to_numpy(float), "std_error": r.bse.to_numpy(float),
        "ci_low": np.nan if simulated else ci.iloc[:, 0].to_numpy(float),
        "ci_high": np.nan if simulated else ci.iloc[:, 1].to_numpy(float),
        "p_value": np.full(len(r.params), np.nan) if simulated else np.asarray(r.pvalues, float), "n": f.n,
        "covariance": f.spec.cov_label, "survey_input": survey_input,
    })
    return schema.validate(out, "model_coefficients")


def comparison_row(f: Fit, model: str, survey_input: str) -> dict:
    """n, fit statistics, parameters and the joint-cloud estimate, for the comparison table.

    R² and AIC are comparable only among the OLS models (same outcome); PPML and Huber leave them empty.
    """
    r = f.result
    ols = not f.spec.robust and f.spec.estimator == "ols"
    joint = f.term("joint")
    return {
        "model": model, "specification": f.spec.name, "estimator": "huber" if f.spec.robust else f.spec.estimator,
        "n": f.n, "parameters": int(len(r.params)),
        "r_squared": float(r.rsquared) if ols else np.nan, "adj_r_squared": float(r.rsquared_adj) if ols else np.nan,
        "aic": float(r.aic) if ols else np.nan, "bic": float(r.bic) if ols else np.nan,
        "joint_estimate": float(r.params[joint]), "joint_std_error": float(r.bse[joint]),
        "joint_effect_pct": 100 * float(np.expm1(r.params[joint])),
        "covariance": f.spec.cov_label, "survey_input": survey_input,
    }


def _critical(f: Fit) -> float:
    r = f.result
    df = getattr(r, "df_resid_inference", None)
    return float(stats.t.ppf(0.975, df)) if getattr(r, "use_t", False) and df else float(stats.norm.ppf(0.975))


def status_effects(f: Fit, populations=EFFECT_POPULATIONS) -> pd.DataFrame:
    """% difference in cost per resident of each fitted status against the base, at equal population, with 95% CI.

    Without the interaction the effect is one number: one row per status, population empty. With it,
    the log effect at population p is b_status + b_interaction × (log p − centre), its variance from the
    coefficient covariance; the % is 100 × (exp(.) − 1), the interval transformed the same way (t(G − 1)
    critical values for clustered covariances). OLS: on the geometric mean; PPML: on the mean.
    """
    r = f.result
    names = list(r.params.index)
    cov = np.asarray(r.cov_params())
    center = float(f.data["log_pop_center"].iloc[0])
    q = _critical(f)
    rows = []
    for status in f.statuses:
        main = names.index(f.term(status))
        inter = f"{status}_log_pop_c"
        for p in (populations if inter in names else [None]):
            g = np.zeros(len(names))
            g[main] = 1.0
            if p is not None:
                g[names.index(inter)] = np.log(p) - center
            est = float(g @ np.asarray(r.params))
            se = float(np.sqrt(g @ cov @ g))
            rows.append({"cloud_status": status, "against": f.base, "population_persons": p, "log_effect": est,
                         "std_error": se, "effect_pct": 100 * np.expm1(est), "ci_low_pct": 100 * np.expm1(est - q * se),
                         "ci_high_pct": 100 * np.expm1(est + q * se), "covariance": f.spec.cov_label})
    out = pd.DataFrame(rows)
    out["population_persons"] = out["population_persons"].astype("Int64")
    return out


def support(df: pd.DataFrame) -> pd.DataFrame:
    """Joint members and counterfactual municipalities per population class, and whether the class
    supports a counterfactual (at least MIN_SUPPORT joint members) or would be extrapolation."""
    base = str(df["status_base"].iloc[0])
    g = df.groupby("population_class_id").agg(joint_members=("cloud_status", lambda s: int((s == "joint").sum())),
                                              counterfactual=("cloud_status", lambda s: int((s == base).sum())))
    g = g.reindex(vocab.CLASS_IDS, fill_value=0)
    g["extrapolation"] = g["joint_members"] < MIN_SUPPORT
    return g.rename_axis("class_id").reset_index()


def counterfactual_saving(f: Fit, simulated: bool = False) -> pd.DataFrame:
    """Annual saving (億円) if the counterfactual municipalities (no cloud; or every non-joint one when
    single and none are unknown) had the joint-cloud effect: per population class, national and by
    prefecture.

    Saving_i = cost_i × (1 − exp(effect_i)), effect_i the joint effect at its population (with the
    interaction, if fitted). The class rows say how many joint members the class has; classes with
    fewer than MIN_SUPPORT are flagged ``extrapolation`` and the headline totals (``class_id`` empty,
    ``includes_extrapolation`` false) leave them out; a second national total includes them. 95%
    interval by the delta method (costs fixed; t(G − 1) for clustered covariances). For the simulated
    survey only the support columns are kept: its costs and saving would only restate the generator's
    assumed effect over simulated costs, a number a reader could quote (see assumed_effect_saving).
    """
    r = f.result
    names = list(r.params.index)
    cov = np.asarray(r.cov_params())
    beta = np.asarray(r.params)
    d = f.data[f.data["cloud_status"] == f.base]
    cost = d["it_cost_yen"].astype(float).to_numpy() / 1e8
    x = d["log_pop_c"].to_numpy()
    cls = d["population_class_id"].to_numpy()
    main = names.index(f.term("joint"))
    inter = "joint_log_pop_c"
    k = names.index(inter) if inter in names else None
    eff = beta[main] + (beta[k] * x if k is not None else np.zeros(len(x)))
    saving = cost * (1 - np.exp(eff))
    q = _critical(f)
    sup = support(f.data).set_index("class_id")
    supported = ~sup.loc[cls, "extrapolation"].to_numpy()

    joint_all = f.data[f.data["cloud_status"] == "joint"]
    joint_supported = joint_all[~joint_all["population_class_id"].map(sup["extrapolation"])]
    members = {"all": len(joint_all), "supported": len(joint_supported),
               "class": joint_all["population_class_id"].value_counts().to_dict(),
               "prefecture": joint_supported["prefecture"].value_counts().to_dict()}  # counted once
    weight = cost * np.exp(eff)

    def summarise(mask, area, class_id, includes_extrapolation):
        g = np.zeros(len(names))
        g[main] = -weight[mask].sum()
        if k is not None:
            g[k] = -(weight[mask] * x[mask]).sum()
        s = float(saving[mask].sum())
        se = float(np.sqrt(g @ cov @ g))
        if class_id:
            joint = members["class"].get(class_id, 0)
        elif area != NATIONAL:
            joint = members["prefecture"].get(area, 0)
        else:
            joint = members["all" if includes_extrapolation else "supported"]
        row = {"area": area, "class_id": class_id, "joint_members": joint,
               "extrapolation": bool(sup.loc[class_id, "extrapolation"]) if class_id else False,
               "includes_extrapolation": includes_extrapolation, "counterfactual_status": f.base,
               "counterfactual_municipalities": int(mask.sum()),
               "counterfactual_cost_oku_yen": np.nan if simulated else float(cost[mask].sum()),
               "saving_oku_yen": np.nan if simulated else s, "ci_low_oku_yen": np.nan if simulated else s - q * se,
               "ci_high_oku_yen": np.nan if simulated else s + q * se, "method": "delta method",
               "covariance": f.spec.cov_label}
        return row

    national = NATIONAL
    rows = [summarise(supported, national, None, False), summarise(np.ones(len(d), bool), national, None, True)]
    for c in vocab.CLASS_IDS:
        rows.append(summarise(cls == c, national, c, bool(sup.loc[c, "extrapolation"])))
    prefs = d["prefecture"].to_numpy()
    for pref in [p for p in municipalities.PREFECTURES if p in set(prefs)]:
        rows.append(summarise((prefs == pref) & supported, pref, None, False))
    out = pd.DataFrame(rows)
    out["class_id"] = out["class_id"].astype("Int64")
    return out


def assumed_effect_saving(df: pd.DataFrame, cost_by_class: pd.DataFrame,
                          effects=tuple(np.round(np.arange(-0.40, 0.001, 0.05), 2))) -> pd.DataFrame:
    """A scenario (試算), not an estimate: the annual saving (億円) if the municipalities not in a joint-cloud
    group had an assumed effect on their whole cost, as a band in the effect, nationally and by prefecture.

    Their cost is each one's real population (2017-01-01) × its class's cost per resident from the published
    figures, between the population-weighted and the simple mean (:func:`projections.cost_per_resident`),
    never a survey cost: the band is the same whether the survey is simulated or real. Every non-member is
    included; the classes with fewer than MIN_SUPPORT joint members (where no joint cloud of that size
    shows what the effect could be) are a row of their own (``thin_support``), never left out.
    """
    from jichitai_cloud.analysis import projections

    sup = support(df).set_index("class_id")
    per = projections.cost_per_resident(cost_by_class).set_index("class_id")
    d = df[df["cloud_status"] != "joint"]
    pop = d["population_2017_01_01_persons"].to_numpy(float)
    low = pop * d["population_class_id"].map(per["per_resident_low_yen"]).to_numpy(float) / 1e8
    high = pop * d["population_class_id"].map(per["per_resident_high_yen"]).to_numpy(float) / 1e8
    thin = d["population_class_id"].map(sup["extrapolation"]).to_numpy(bool)
    prefs = d["prefecture"].to_numpy()
    areas = [(NATIONAL, np.ones(len(d), bool))] + [(p, prefs == p) for p in municipalities.PREFECTURES if p in set(prefs)]
    rows = []
    for a, m in areas:
        for t in (False, True):
            k = m & (thin == t)
            for e in effects:
                rows.append({"area": a, "assumed_effect_pct": 100 * e, "thin_support": t,
                             "counterfactual_municipalities": int(k.sum()),
                             "counterfactual_cost_low_oku_yen": float(low[k].sum()),
                             "counterfactual_cost_high_oku_yen": float(high[k].sum()),
                             "saving_low_oku_yen": -e * float(low[k].sum()), "saving_high_oku_yen": -e * float(high[k].sum())})
    return pd.DataFrame(rows)


def validate_draws(draws: object, allow_zero: bool = False) -> int:
    """A number of bootstrap draws: a whole number, 1 to 99,999 (0 allowed where it means 'not run')."""
    low = 0 if allow_zero else 1
    if isinstance(draws, bool) or not isinstance(draws, int) or not low <= draws <= 99_999:
        raise ParameterError(f"draws must be a whole number from {low} to 99,999; got {draws!r}")
    return draws


def wild_cluster_bootstrap(f: Fit, status: str = "joint", draws: int = 999, seed: int = 20180330,
                           clusters: str = "cluster_prefecture") -> dict:
    """Wild cluster bootstrap-t (Rademacher weights, unrestricted residuals) for one status term of an
    OLS fit: the 95% interval and the bootstrap p-value of 'no difference', with clusters by
    prefecture (or group). Cameron, Gelbach & Miller (2008)."""
    if f.spec.robust or f.spec.estimator != "ols":
        raise ParameterError("the wild cluster bootstrap is implemented for OLS fits")
    validate_draws(draws)
    model = f.result.model
    x, y = model.exog, model.endog
    j = list(f.result.params.index).index(f.term(status))
    g = _clusters(f.data, clusters)
    n_g = g.max() + 1
    xtx_inv = np.linalg.inv(x.T @ x)
    beta = xtx_inv @ x.T @ y
    resid = y - x @ beta

    def cluster_se(b, u):
        scores = np.zeros((n_g, x.shape[1]))
        np.add.at(scores, g, x * u[:, None])
        adj = n_g / (n_g - 1) * (len(y) - 1) / (len(y) - x.shape[1])
        cov = adj * xtx_inv @ scores.T @ scores @ xtx_inv
        return float(np.sqrt(cov[j, j]))

    se = cluster_se(beta, resid)
    rng = np.random.default_rng(seed)
    t_stats = np.empty(draws)
    for b in range(draws):
        w = rng.choice([-1.0, 1.0], size=n_g)[g]
        y_star = x @ beta + resid * w
        b_star = xtx_inv @ x.T @ y_star
        t_stats[b] = (b_star[j] - beta[j]) / cluster_se(b_star, y_star - x @ b_star)
    lo_q, hi_q = np.quantile(t_stats, [0.025, 0.975])
    t0 = beta[j] / se
    return {"term": status, "estimate": float(beta[j]), "std_error": se, "ci_low": float(beta[j] - hi_q * se),
            "ci_high": float(beta[j] - lo_q * se), "p_value": float(np.mean(np.abs(t_stats) >= abs(t0))),
            "draws": draws, "clusters": int(n_g), "seed": seed}


def influence(f: Fit, top: int = 10) -> pd.DataFrame:
    """The most influential municipalities by Cook's distance (OLS only), named."""
    if f.spec.robust or f.spec.estimator != "ols":
        raise ParameterError("Cook's distance is defined for OLS; fit without robust=True or PPML")
    cooks = f.result.get_influence().cooks_distance[0]
    d = f.data.assign(cooks_distance=cooks, fitted=f.result.fittedvalues, residual=f.result.resid)
    cols = ["code", "prefecture", "name", "population_2017_01_01_persons", "cloud_status", "cost_per_resident_yen",
            "residual", "cooks_distance"]
    return d.sort_values("cooks_distance", ascending=False)[cols].head(top).reset_index(drop=True)


def predict_curve(f: Fit, populations: np.ndarray) -> pd.DataFrame:
    """Fitted cost per resident (円) by status over a population grid: exp of the fitted log (OLS, a
    geometric mean) or the fitted mean (PPML). Other regressors at their most common level or mean."""
    d = f.data
    center = float(d["log_pop_center"].iloc[0])
    rows = []
    for status in [*f.statuses, f.base]:
        g = pd.DataFrame({"log_pop_c": np.log(populations) - center, "cloud_status": status})
        for s in ("joint", "single"):
            g[f"{s}_log_pop_c"] = g["log_pop_c"] if status == s else 0.0
        g["prefecture"] = d["prefecture"].mode().iloc[0]
        g["kind"] = d["kind"].mode().iloc[0]
        for col in ("fiscal_strength_index_fy2016", "current_balance_ratio_fy2016_pct"):
            g[col] = d[col].mean()
        g["population_persons"] = populations
        if f.spec.estimator == "ppml":
            g["log_population"] = 0.0  # the offset: predicted cost per resident
            fitted = np.asarray(f.result.predict(g, offset=np.zeros(len(g)))) * PPML_SCALE
        else:
            fitted = np.exp(np.asarray(f.result.predict(g)))
        g["fitted_cost_per_resident_yen"] = fitted
        rows.append(g[["cloud_status", "population_persons", "fitted_cost_per_resident_yen"]])
    return pd.concat(rows, ignore_index=True)


# --- everything the build writes -----------------------------------------------------------------------

def standard_tables(survey: pd.DataFrame, frame: pd.DataFrame, survey_info: pd.DataFrame,
                    cost_by_class: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Coefficients, comparison, status effects, counterfactual per class, the assumed-effect line and the
    membership sensitivity for STANDARD_SPECS; the class-level model in tables of its own."""
    kind = survey_info["input"].iloc[0]
    simulated = kind == "simulated"
    frames = {m: model_frame(survey, frame, m) for m in MEMBERSHIP_AS_OF}
    coefs, comparison, effects, savings = [], [], [], []
    fits = {}
    for name, spec in STANDARD_SPECS.items():
        f = fit(frames[spec.membership_as_of], spec)
        fits[name] = f
        coefs.append(coef_table(f, name, kind))
        comparison.append(comparison_row(f, name, kind))
        effects.append(status_effects(f).assign(model=name))
        savings.append(counterfactual_saving(f, simulated).assign(model=name))
    moments, class_fit, _ = class_level(cost_by_class, frame)
    grid = curve_grid()
    curves = pd.concat([predict_curve(fits["main"], grid).assign(model="main"),
                        predict_curve(fits["ppml"], grid).assign(model="ppml"),
                        class_level_fitted(cost_by_class, frame, grid).assign(cloud_status="all", model="class_level")],
                       ignore_index=True)[["model", "cloud_status", "population_persons", "fitted_cost_per_resident_yen"]]
    curves["survey_input"] = np.where(curves["model"] == "class_level", "published", kind)
    saving = pd.concat(savings, ignore_index=True)
    saving["survey_input"] = kind
    effects_df = pd.concat(effects, ignore_index=True)
    effects_df["survey_input"] = kind
    if simulated:  # no interval around a number the generator fixed
        effects_df[["ci_low_pct", "ci_high_pct"]] = np.nan
    sensitivity = pd.DataFrame([{
        "estimator": est, "membership_as_of": m,
        "joint_members": int((frames[m]["cloud_status"] == "joint").sum()),
        "joint_effect_pct": 100 * float(np.expm1(fits[name].result.params[fits[name].term("joint")])),
        "survey_input": kind} for est, pair in (("ols", ("main", "main_list_2018")), ("ppml", ("ppml", None)))
        for m, name in zip(MEMBERSHIP_AS_OF, pair) if name])
    ppml_2018 = fit(frames[vocab.LIST_DATE], ModelSpec(estimator="ppml", membership_as_of=vocab.LIST_DATE))
    sensitivity = pd.concat([sensitivity, pd.DataFrame([{
        "estimator": "ppml", "membership_as_of": vocab.LIST_DATE,
        "joint_members": int((frames[vocab.LIST_DATE]["cloud_status"] == "joint").sum()),
        "joint_effect_pct": 100 * float(np.expm1(ppml_2018.result.params[ppml_2018.term("joint")])),
        "survey_input": kind}])], ignore_index=True)
    line = assumed_effect_saving(frames[vocab.STATUS_DATE], cost_by_class)
    return {
        "model_fitted_curves": curves,
        "model_coefficients": schema.validate(pd.concat(coefs, ignore_index=True), "model_coefficients"),
        "model_comparison": pd.DataFrame(comparison),
        "model_status_effects": effects_df,
        "model_counterfactual": saving,
        "model_assumed_saving": line,
        "model_membership_sensitivity": sensitivity,
        "model_class_level_moments": moments,
        "model_class_level_fit": class_fit,
    }


def readable_coefficients(f: Fit, survey_input: str) -> tuple[pd.DataFrame, int]:
    """Coefficients to show: on a real file with intervals and p-values; on the simulated survey the
    estimates alone (an interval or p-value about a number the generator fixed is not a finding).
    Fixed-effect and spline terms are dropped; returns the table and how many were dropped."""
    table, hidden = visible_terms(coef_table(f, "this model", survey_input))
    cols = (["term", "estimate", "n", "covariance"] if survey_input == "simulated"
            else ["term", "estimate", "std_error", "ci_low", "ci_high", "p_value", "n", "covariance"])
    return table[cols], hidden


def readable_effects(f: Fit, survey_input: str, assumed: dict | None = None) -> pd.DataFrame:
    """Status effects to show: with intervals on a real file; on the simulated survey the point effect
    beside the assumed one (``assumed``: status -> % from the generator's parameters)."""
    e = status_effects(f)
    if survey_input != "simulated":
        return e[["cloud_status", "against", "population_persons", "effect_pct", "ci_low_pct", "ci_high_pct",
                  "covariance"]]
    e = e[["cloud_status", "against", "population_persons", "effect_pct"]].copy()
    if assumed:
        e["assumed_pct"] = e["cloud_status"].map(assumed)
    return e


def comparison_with(f: Fit, stored: pd.DataFrame, name: str = "this model") -> pd.DataFrame:
    """The build's model comparison (``model_comparison``) with one more fitted model appended."""
    kind = str(stored["survey_input"].iloc[0]) if len(stored) else "simulated"
    return pd.concat([stored, pd.DataFrame([comparison_row(f, name, kind)])], ignore_index=True)


def largest_savings(saving: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The national headline (supported classes) of a counterfactual_saving table, its class rows, then
    the n prefectures with the largest saving."""
    national = saving[saving["area"] == NATIONAL]
    prefs = saving[saving["area"] != NATIONAL].nlargest(n, "saving_oku_yen")
    return pd.concat([national, prefs], ignore_index=True)


def curve_grid(n: int = 60) -> np.ndarray:
    """Populations (persons) at which fitted curves are drawn: 150 to 4 million, log-spaced."""
    return np.round(np.geomspace(150, 4_000_000, n)).astype("int64")


def visible_terms(coefs: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Coefficients worth reading (fixed-effect and spline dummies dropped) and how many were dropped."""
    hidden = coefs["term"].str.startswith("prefecture[") | coefs["term"].str.startswith("spline(")
    return coefs[~hidden].reset_index(drop=True), int(hidden.sum())


def spec_from_parameters(**params) -> ModelSpec:
    """A ModelSpec from notebook/papermill parameters (validated; unknown names refused)."""
    known = set(asdict(ModelSpec()))
    unknown = sorted(set(params) - known)
    if unknown:
        raise ParameterError(f"unknown model parameter(s) {unknown}; valid: {', '.join(sorted(known))}")
    return replace(ModelSpec(), **params)


