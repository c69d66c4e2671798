"""Stage 4, models: IT cost per resident against population and cloud status.

The main model is OLS of log cost per resident on centred log population, its square
(the published class means fall up to 10-20万人 and rise after, so the curve must bend)
and cloud status with 未導入 (``none``) as the base. Switches add a status x log population
interaction, prefecture fixed effects, municipality kind, fiscal covariates (財政力指数 and
log 歳出決算総額 per resident, FY2017), or replace OLS by Huber's robust regression. The
class-level model fits the six published class rows only (weighted by municipalities) and
needs no per-municipality data.

Standard errors are heteroskedasticity-robust (HC3) by default, or clustered by prefecture
or by 自治体クラウド group (a municipality outside any group is its own cluster). The
covariance used is carried in every table.

When the survey is simulated, every estimate describes the generator's assumptions (its
status effects are inputs), not municipalities; see ``survey.label``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

import numpy as np
import pandas as pd
import pandera.pandas as pa
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy import stats

from . import survey as survey_mod

COV_TYPES = ("HC3", "cluster_prefecture", "cluster_group")
STATUS_TERM = "C(cloud_status, Treatment('none'))"
KIND_TERM = "C(kind, Treatment('市'))"
EFFECT_POPULATIONS = (1_000, 5_000, 20_000, 50_000, 100_000, 300_000, 1_000_000)


@dataclass(frozen=True)
class ModelSpec:
    """Which model: the switches combine (e.g. interaction and prefecture fixed effects)."""

    interaction: bool = False
    prefecture_fe: bool = False
    kind: bool = False
    fiscal: bool = False
    robust: bool = False
    cov_type: str = "HC3"

    def __post_init__(self) -> None:
        for name in ("interaction", "prefecture_fe", "kind", "fiscal", "robust"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"{name} must be True or False; got {getattr(self, name)!r}")
        if self.cov_type not in COV_TYPES:
            raise ValueError(f"cov_type must be one of {', '.join(COV_TYPES)}; got {self.cov_type!r}")
        if self.robust and self.cov_type != "HC3":
            raise ValueError("robust (Huber) regression uses Huber's sandwich covariance (H1); clustered standard "
                             "errors are available for OLS only: use cov_type='HC3' with robust=True")

    @property
    def name(self) -> str:
        parts = [p for p, on in (("interaction", self.interaction), ("prefecture FE", self.prefecture_fe),
                                 ("kind", self.kind), ("fiscal", self.fiscal)) if on]
        base = "Huber" if self.robust else "OLS"
        return f"{base}: main" + ("".join(f" + {p}" for p in parts))

    @property
    def formula(self) -> str:
        rhs = ["log_pop_c", "I(log_pop_c ** 2)", STATUS_TERM]
        if self.interaction:
            rhs.append(f"{STATUS_TERM}:log_pop_c")
        if self.kind:
            rhs.append(KIND_TERM)
        if self.fiscal:
            rhs += ["fiscal_strength_index_fy2017", "log_expenditure_per_resident"]
        if self.prefecture_fe:
            rhs.append("C(prefecture)")
        return "log_cost_per_resident ~ " + " + ".join(rhs)

    @property
    def cov_label(self) -> str:
        if self.robust:
            return "Huber H1 (robust sandwich)"
        return {"HC3": "HC3 (heteroskedasticity-robust)", "cluster_prefecture": "clustered by prefecture",
                "cluster_group": "clustered by 自治体クラウド group (non-members alone)"}[self.cov_type]


# The specifications the build fits and the report shows: the main model and each switch alone.
STANDARD_SPECS = {
    "main": ModelSpec(),
    "interaction": ModelSpec(interaction=True),
    "prefecture_fe": ModelSpec(prefecture_fe=True),
    "kind": ModelSpec(kind=True),
    "fiscal": ModelSpec(fiscal=True),
    "huber": ModelSpec(robust=True),
    "main_cluster_prefecture": ModelSpec(cov_type="cluster_prefecture"),
    "main_cluster_group": ModelSpec(cov_type="cluster_group"),
}


def model_frame(survey: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """One row per municipality with a cost: the survey joined to the municipality frame.

    ``log_pop_c`` is log population (2017-01-01) centred at its mean over these rows;
    ``log_pop_center`` keeps the centre so predictions can be made at any population.
    """
    df = survey[survey["it_cost_yen"].notna()].merge(
        frame[["code", "prefecture", "name", "kind", "joint_cloud_group_id", "fiscal_strength_index_fy2017",
               "expenditure_total_fy2017_thousand_yen"]], on="code", how="left", validate="one_to_one")
    pop = df["population_2017_01_01_persons"].astype(float)
    df["cost_per_resident_yen"] = df["it_cost_yen"].astype(float) / pop
    if (df["cost_per_resident_yen"] <= 0).any():
        bad = df.loc[df["cost_per_resident_yen"] <= 0, "code"].tolist()[:5]
        raise ValueError(f"log cost needs positive costs; zero cost for {bad}")
    df["log_cost_per_resident"] = np.log(df["cost_per_resident_yen"])
    center = float(np.log(pop).mean())
    df["log_pop_c"] = np.log(pop) - center
    df["log_pop_center"] = center
    df["log_expenditure_per_resident"] = np.log(df["expenditure_total_fy2017_thousand_yen"] * 1000.0 / pop)
    df["cluster_group"] = np.where(df["joint_cloud_group_id"].notna(),
                                   "g" + df["joint_cloud_group_id"].astype("string").fillna(""), "m" + df["code"])
    return df.reset_index(drop=True)


@dataclass
class Fit:
    spec: ModelSpec
    result: object  # a statsmodels results object
    data: pd.DataFrame

    @property
    def n(self) -> int:
        return int(self.result.nobs)


def fit(df: pd.DataFrame, spec: ModelSpec = ModelSpec()) -> Fit:
    """Fit one specification with its covariance."""
    if spec.robust:
        model = smf.rlm(spec.formula, data=df, M=sm.robust.norms.HuberT())
        return Fit(spec, model.fit(cov="H1"), df)
    model = smf.ols(spec.formula, data=df)
    if spec.cov_type == "HC3":
        res = model.fit(cov_type="HC3")
    else:
        groups = df["prefecture" if spec.cov_type == "cluster_prefecture" else "cluster_group"]
        codes = pd.factorize(groups)[0]
        res = model.fit(cov_type="cluster", cov_kwds={"groups": codes})
    return Fit(spec, res, df)


def _readable(term: str) -> str:
    return (term.replace(f"{STATUS_TERM}[T.joint]", "joint cloud").replace(f"{STATUS_TERM}[T.single]", "single cloud")
            .replace(f"{KIND_TERM}[T.", "kind[").replace("C(prefecture)[T.", "prefecture[")
            .replace("I(log_pop_c ** 2)", "log_pop_c²"))


COEF_SCHEMA = pa.DataFrameSchema({
    "model": pa.Column(str), "term": pa.Column(str), "term_raw": pa.Column(str),
    "estimate": pa.Column(float), "std_error": pa.Column(float), "ci_low": pa.Column(float),
    "ci_high": pa.Column(float), "p_value": pa.Column(float, nullable=True), "n": pa.Column("int64"),
    "covariance": pa.Column(str), "survey_input": pa.Column(str),
}, strict=True, ordered=True)


def coef_table(f: Fit, model: str, survey_input: str) -> pd.DataFrame:
    """Tidy coefficients: term, estimate, standard error, 95% interval, p-value, n, covariance."""
    r = f.result
    ci = r.conf_int(0.05)
    out = pd.DataFrame({
        "model": model, "term": [_readable(t) for t in r.params.index], "term_raw": list(r.params.index),
        "estimate": r.params.to_numpy(float), "std_error": r.bse.to_numpy(float),
        "ci_low": ci.iloc[:, 0].to_numpy(float), "ci_high": ci.iloc[:, 1].to_numpy(float),
        "p_value": np.asarray(r.pvalues, float), "n": f.n, "covariance": f.spec.cov_label,
        "survey_input": survey_input,
    })
    return COEF_SCHEMA.validate(out)


def comparison_row(f: Fit, model: str, survey_input: str) -> dict:
    """n, R² (OLS), AIC, BIC, parameters, and the joint-cloud estimate, for the comparison table."""
    r = f.result
    ols = not f.spec.robust
    joint = f"{STATUS_TERM}[T.joint]"
    return {
        "model": model, "specification": f.spec.name, "n": f.n, "parameters": int(len(r.params)),
        "r_squared": float(r.rsquared) if ols else np.nan,
        "adj_r_squared": float(r.rsquared_adj) if ols else np.nan,
        "aic": float(r.aic) if ols else np.nan, "bic": float(r.bic) if ols else np.nan,
        "joint_estimate": float(r.params[joint]), "joint_std_error": float(r.bse[joint]),
        "covariance": f.spec.cov_label, "survey_input": survey_input,
    }


def status_effects(f: Fit, populations=EFFECT_POPULATIONS) -> pd.DataFrame:
    """% difference in cost per resident, joint and single vs none, at equal population, with 95% CI.

    Without the interaction the effect is one number: one row per status, population
    empty. With it, the log effect at population p is b_status + b_interaction * (log p -
    centre), its variance from the coefficient covariance; the % is 100 * (exp(.) - 1), CI
    transformed the same way.
    """
    r = f.result
    names = list(r.params.index)
    cov = np.asarray(r.cov_params())
    center = float(f.data["log_pop_center"].iloc[0])
    z = stats.norm.ppf(0.975)
    rows = []
    for status in ("joint", "single"):
        main = names.index(f"{STATUS_TERM}[T.{status}]")
        inter = f"{STATUS_TERM}[T.{status}]:log_pop_c"
        for p in (populations if inter in names else [None]):
            g = np.zeros(len(names))
            g[main] = 1.0
            if p is not None:
                g[names.index(inter)] = np.log(p) - center
            est = float(g @ np.asarray(r.params))
            se = float(np.sqrt(g @ cov @ g))
            rows.append({"cloud_status": status, "population_persons": p, "log_effect": est, "std_error": se,
                         "effect_pct": 100 * np.expm1(est), "ci_low_pct": 100 * np.expm1(est - z * se),
                         "ci_high_pct": 100 * np.expm1(est + z * se), "covariance": f.spec.cov_label})
    out = pd.DataFrame(rows)
    out["population_persons"] = out["population_persons"].astype("Int64")
    return out


def counterfactual_saving(f: Fit) -> pd.DataFrame:
    """Annual saving (億円) if every none municipality had the joint-cloud effect, national and by prefecture.

    Saving_i = cost_i * (1 - exp(effect_i)) for none municipalities, effect_i the joint
    effect at their population (the interaction, if fitted). 95% interval by the delta
    method from the coefficient covariance (costs are treated as fixed).
    """
    r = f.result
    names = list(r.params.index)
    cov = np.asarray(r.cov_params())
    beta = np.asarray(r.params)
    d = f.data[f.data["cloud_status"] == "none"]
    cost = d["it_cost_yen"].astype(float).to_numpy() / 1e8
    x = d["log_pop_c"].to_numpy()
    main = names.index(f"{STATUS_TERM}[T.joint]")
    inter = f"{STATUS_TERM}[T.joint]:log_pop_c"
    k = names.index(inter) if inter in names else None
    eff = beta[main] + (beta[k] * x if k is not None else np.zeros(len(x)))
    saving = cost * (1 - np.exp(eff))
    z = stats.norm.ppf(0.975)

    def summarise(mask, label):
        g = np.zeros(len(names))
        g[main] = -(cost[mask] * np.exp(eff[mask])).sum()
        if k is not None:
            g[k] = -(cost[mask] * np.exp(eff[mask]) * x[mask]).sum()
        s = float(saving[mask].sum())
        se = float(np.sqrt(g @ cov @ g))
        return {"area": label, "none_municipalities": int(mask.sum()), "none_cost_oku_yen": float(cost[mask].sum()),
                "saving_oku_yen": s, "ci_low_oku_yen": s - z * se, "ci_high_oku_yen": s + z * se,
                "method": "delta method", "covariance": f.spec.cov_label}

    rows = [summarise(np.ones(len(d), bool), "全国")]
    prefs = d["prefecture"].to_numpy()
    for pref in _prefecture_order(prefs):
        rows.append(summarise(prefs == pref, pref))
    return pd.DataFrame(rows)


def _prefecture_order(prefs) -> list[str]:
    from .municipalities import PREFECTURES

    present = set(prefs)
    return [p for p in PREFECTURES if p in present]


def influence(f: Fit, top: int = 10) -> pd.DataFrame:
    """The most influential municipalities by Cook's distance (OLS only), named."""
    if f.spec.robust:
        raise ValueError("Cook's distance is defined for OLS; fit without robust=True")
    cooks = f.result.get_influence().cooks_distance[0]
    d = f.data.assign(cooks_distance=cooks, fitted=f.result.fittedvalues, residual=f.result.resid)
    cols = ["code", "prefecture", "name", "population_2017_01_01_persons", "cloud_status", "cost_per_resident_yen",
            "residual", "cooks_distance"]
    return d.sort_values("cooks_distance", ascending=False)[cols].head(top).reset_index(drop=True)


def predict_curve(f: Fit, populations: np.ndarray) -> pd.DataFrame:
    """Fitted cost per resident (円, exp of the fitted log) by status over a population grid.

    Other regressors (prefecture, kind, fiscal) are held at their most common level or mean.
    """
    d = f.data
    center = float(d["log_pop_center"].iloc[0])
    rows = []
    for status in ("joint", "single", "none"):
        g = pd.DataFrame({"log_pop_c": np.log(populations) - center, "cloud_status": status})
        g["prefecture"] = d["prefecture"].mode().iloc[0]
        g["kind"] = d["kind"].mode().iloc[0]
        g["fiscal_strength_index_fy2017"] = d["fiscal_strength_index_fy2017"].mean()
        g["log_expenditure_per_resident"] = d["log_expenditure_per_resident"].mean()
        g["population_persons"] = populations
        g["fitted_cost_per_resident_yen"] = np.exp(np.asarray(f.result.predict(g)))
        rows.append(g[["cloud_status", "population_persons", "fitted_cost_per_resident_yen"]])
    return pd.concat(rows, ignore_index=True)


# --- the class-level model: published numbers only ---------------------------------------------------

def class_level(cost_by_class: pd.DataFrame) -> tuple[object, pd.DataFrame]:
    """WLS of log published mean cost per resident on log mean population (and its square),
    weighted by the number of municipalities, over the six published class rows.

    Six rows, three parameters: a description of the published curve, not a test; the rows
    carry no status breakdown of cost, so no status effect is identifiable from them.
    Conventional (non-robust) standard errors: HC3 is unreliable with six rows.
    """
    d = cost_by_class.copy()
    d["log_mean_cost_per_resident"] = np.log(d["it_cost_per_resident_mean_yen"])
    d["log_mean_pop"] = np.log(d["population_thousand_persons"] * 1000.0 / d["municipalities"])
    center = float(np.average(d["log_mean_pop"], weights=d["municipalities"]))
    d["log_pop_c"] = d["log_mean_pop"] - center
    res = smf.wls("log_mean_cost_per_resident ~ log_pop_c + I(log_pop_c ** 2)", data=d,
                  weights=d["municipalities"]).fit()
    ci = res.conf_int(0.05)
    table = pd.DataFrame({
        "model": "class_level", "term": [_readable(t) for t in res.params.index], "term_raw": list(res.params.index),
        "estimate": res.params.to_numpy(float), "std_error": res.bse.to_numpy(float),
        "ci_low": ci.iloc[:, 0].to_numpy(float), "ci_high": ci.iloc[:, 1].to_numpy(float),
        "p_value": np.asarray(res.pvalues, float), "n": int(res.nobs),
        "covariance": "nonrobust (WLS, weights = municipalities; 6 published rows)", "survey_input": "published",
    })
    return res, COEF_SCHEMA.validate(table)


# --- everything the build writes -----------------------------------------------------------------------

def standard_tables(survey: pd.DataFrame, frame: pd.DataFrame, survey_info: pd.DataFrame,
                    cost_by_class: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Coefficients, comparison, status effects and counterfactual for STANDARD_SPECS, and the class-level model."""
    kind = survey_info["input"].iloc[0]
    df = model_frame(survey, frame)
    coefs, comparison, effects = [], [], []
    fits = {}
    for name, spec in STANDARD_SPECS.items():
        f = fit(df, spec)
        fits[name] = f
        coefs.append(coef_table(f, name, kind))
        comparison.append(comparison_row(f, name, kind))
        effects.append(status_effects(f).assign(model=name))
    class_res, class_table = class_level(cost_by_class)
    coefs.append(class_table)
    comparison.append({"model": "class_level", "specification": "WLS on the 6 published class rows: population curve",
                       "n": int(class_res.nobs), "parameters": int(len(class_res.params)),
                       "r_squared": float(class_res.rsquared), "adj_r_squared": float(class_res.rsquared_adj),
                       "aic": float(class_res.aic), "bic": float(class_res.bic), "joint_estimate": np.nan,
                       "joint_std_error": np.nan, "covariance": class_table["covariance"].iloc[0],
                       "survey_input": "published"})
    saving = pd.concat([counterfactual_saving(f).assign(model=name) for name, f in fits.items()], ignore_index=True)
    saving["survey_input"] = kind
    effects_df = pd.concat(effects, ignore_index=True)
    effects_df["survey_input"] = kind
    grid = curve_grid()
    curves = pd.concat([predict_curve(fits["main"], grid).assign(model="main"),
                        class_level_fitted(cost_by_class, grid).assign(cloud_status="all", model="class_level")],
                       ignore_index=True)[["model", "cloud_status", "population_persons", "fitted_cost_per_resident_yen"]]
    curves["survey_input"] = np.where(curves["model"] == "class_level", "published", kind)
    return {
        "model_fitted_curves": curves,
        "model_coefficients": COEF_SCHEMA.validate(pd.concat(coefs, ignore_index=True)),
        "model_comparison": pd.DataFrame(comparison),
        "model_status_effects": effects_df,
        "model_counterfactual": saving,
    }


def comparison_with(f: Fit, stored: pd.DataFrame, name: str = "this model") -> pd.DataFrame:
    """The build's model comparison (``model_comparison``) with one more fitted model appended."""
    kind = str(stored["survey_input"].iloc[0]) if len(stored) else "simulated"
    return pd.concat([stored, pd.DataFrame([comparison_row(f, name, kind)])], ignore_index=True)


def largest_savings(saving: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The national row of a counterfactual_saving table, then the n prefectures with the largest saving."""
    national = saving[saving["area"] == "全国"]
    return pd.concat([national, saving[saving["area"] != "全国"].nlargest(n, "saving_oku_yen")], ignore_index=True)


def curve_grid(n: int = 60) -> np.ndarray:
    """Populations (persons) at which fitted curves are drawn: 150 to 4 million, log-spaced."""
    return np.round(np.geomspace(150, 4_000_000, n)).astype("int64")


def visible_terms(coefs: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Coefficients worth reading (fixed-effect dummies dropped) and how many were dropped."""
    fe = coefs["term"].str.startswith("prefecture[")
    return coefs[~fe].reset_index(drop=True), int(fe.sum())


def spec_from_parameters(**params) -> ModelSpec:
    """A ModelSpec from notebook/papermill parameters (validated; unknown names refused)."""
    known = set(asdict(ModelSpec()))
    unknown = sorted(set(params) - known)
    if unknown:
        raise ValueError(f"unknown model parameter(s) {unknown}; valid: {', '.join(sorted(known))}")
    return replace(ModelSpec(), **params)


def describe_input(survey_info: pd.DataFrame, lang: str = "en", short: bool = False) -> str:
    """The honesty line that goes above every model table or chart (``short`` after the first)."""
    row = survey_info.iloc[0]
    if row["input"] == "simulated" and short:
        return ("⚠ シミュレーション：生成モデルの仮定を表し、市区町村についての所見ではない。" if lang == "ja" else
                "⚠ Simulated survey: these numbers describe the generator's assumptions, not municipalities.")
    if short:
        return survey_mod.label(survey_info, lang)
    if row["input"] == "simulated":
        if lang == "ja":
            return ("**注意：市区町村別の経費はシミュレーション。** 以下の推定値は生成モデルの仮定（自治体クラウド −20% など）"
                    "を再現するだけで、市区町村についての所見ではない。公表値のみを用いる区分別モデルを併せて示す。")
        return ("**Caution: the per-municipality costs are SIMULATED.** The estimates below recover the generator's "
                "assumptions (such as joint cloud −20%); they describe the simulation, not municipalities. The "
                "class-level model, which uses published numbers only, is shown beside them.")
    return survey_mod.label(survey_info, lang)


def class_level_fitted(cost_by_class: pd.DataFrame, populations: np.ndarray) -> pd.DataFrame:
    """The class-level model's fitted curve (円) over the grid points within the range of the six
    class mean populations it was fitted to (a quadratic on six points must not be extrapolated)."""
    res, _ = class_level(cost_by_class)
    d = cost_by_class
    log_mean_pop = np.log(d["population_thousand_persons"] * 1000.0 / d["municipalities"])
    populations = np.asarray(populations)
    populations = populations[(np.log(populations) >= log_mean_pop.min()) & (np.log(populations) <= log_mean_pop.max())]
    center = float(np.average(log_mean_pop, weights=d["municipalities"]))
    g = pd.DataFrame({"log_pop_c": np.log(populations) - center})
    return pd.DataFrame({"population_persons": populations,
                         "fitted_cost_per_resident_yen": np.exp(np.asarray(res.predict(g)))})
