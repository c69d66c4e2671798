"""The regression models: independent cross-checks, the variants, the outputs, what they refuse to say."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from jichitai_cloud.errors import ParameterError
from jichitai_cloud.registry import vocab
from jichitai_cloud.report import jobs
from jichitai_cloud.analysis import models
from jichitai_cloud.io import store
from jichitai_cloud.registry.vocab import NOT_JOINT_CODE


@pytest.fixture(scope="module")
def data():
    return models.model_frame(store.read_table("survey"), store.read_table("municipalities"))


JOINT = f"{models.status_term('none')}[T.joint]"
SINGLE = f"{models.status_term('none')}[T.single]"


@pytest.mark.data
def test_quadratic_model_matches_plain_numpy_least_squares(data):
    """Recompute the quadratic variant's coefficients without statsmodels or patsy, to 1e-8."""
    x = np.log(data["population_2017_01_01_persons"].to_numpy(float))
    x = x - x.mean()
    status = data["cloud_status"].to_numpy()
    design = np.column_stack([np.ones(len(x)), (status == "joint"), (status == "single"), x, x ** 2]).astype(float)
    y = np.log(data["it_cost_yen"].to_numpy(float) / data["population_2017_01_01_persons"].to_numpy(float))
    beta, *_ = np.linalg.lstsq(design, y, rcond=None)
    fit = models.fit(data, models.ModelSpec(curve="quadratic"))
    order = ["Intercept", JOINT, SINGLE, "log_pop_c", "I(log_pop_c ** 2)"]
    np.testing.assert_allclose(fit.result.params[order].to_numpy(), beta, rtol=0, atol=1e-8)


@pytest.mark.data
def test_the_spline_is_a_natural_cubic_spline_with_five_degrees_of_freedom(data):
    """The main model's curve spans the same functions as a natural cubic spline basis built with scipy
    from the same knots (patsy's cr places them at quantiles): equal fitted values."""
    from scipy.interpolate import CubicSpline

    fit = models.fit(data, models.ModelSpec())
    curve_terms = [t for t in fit.result.params.index if t.startswith("cr(")]
    assert len(curve_terms) == 5
    x = data["log_pop_c"].to_numpy()
    knots = np.quantile(np.unique(x), np.linspace(0, 1, 6))  # patsy takes quantiles of the distinct values
    basis = np.column_stack([CubicSpline(knots, np.eye(6)[j], bc_type="natural")(x) for j in range(6)])
    status = data["cloud_status"].to_numpy()
    design = np.column_stack([basis, status == "joint", status == "single"]).astype(float)
    beta, *_ = np.linalg.lstsq(design, data["log_cost_per_resident"].to_numpy(), rcond=None)
    np.testing.assert_allclose(design @ beta, fit.result.fittedvalues.to_numpy(), atol=1e-8)


@pytest.mark.data
def test_hc3_standard_errors_match_the_textbook_formula(data):
    fit = models.fit(data, models.ModelSpec(cov_type="HC3"))
    X = np.asarray(fit.result.model.exog)
    e = np.asarray(fit.result.resid)
    bread = np.linalg.inv(X.T @ X)
    h = np.einsum("ij,jk,ik->i", X, bread, X)
    meat = X.T @ (X * (e ** 2 / (1 - h) ** 2)[:, None])
    np.testing.assert_allclose(np.sqrt(np.diag(bread @ meat @ bread)), fit.result.bse.to_numpy(), rtol=1e-10)


@pytest.mark.data
@pytest.mark.parametrize("name", list(models.STANDARD_SPECS))
def test_every_standard_variant_fits_and_names_its_covariance(data, name):
    spec = models.STANDARD_SPECS[name]
    frame = data if spec.membership_as_of == vocab.STATUS_DATE else models.model_frame(
        store.read_table("survey"), store.read_table("municipalities"), spec.membership_as_of)
    fit = models.fit(frame, spec)
    table = models.coef_table(fit, name, "simulated")
    assert table["covariance"].eq(spec.cov_label).all() and table["n"].eq(1741).all()
    assert "joint cloud" in set(table["term"])
    assert table["p_value"].isna().all()  # no p-value for the simulated survey


@pytest.mark.data
def test_clustered_errors_use_the_right_clusters_and_t_of_g_minus_1(data):
    by_pref = models.fit(data, models.ModelSpec(cov_type="cluster_prefecture"))
    by_group = models.fit(data, models.ModelSpec(cov_type="cluster_group")).result
    assert by_pref.result.cov_kwds["groups"].max() + 1 == 47
    # one cluster per group of the list, every municipality outside a group its own
    n_groups = data["joint_cloud_group_id"].nunique() + int(data["joint_cloud_group_id"].isna().sum())
    assert by_group.cov_kwds["groups"].max() + 1 == n_groups
    lo, hi = by_pref.result.conf_int().loc[JOINT]
    se, b = by_pref.result.bse[JOINT], by_pref.result.params[JOINT]
    assert hi - b == pytest.approx(stats.t.ppf(0.975, 46) * se)
    eff = models.status_effects(by_pref).set_index("cloud_status").loc["joint"]
    assert eff["ci_high_pct"] == pytest.approx(100 * np.expm1(b + stats.t.ppf(0.975, 46) * se))


def test_the_default_inference_is_clustered_by_prefecture_and_hc3_a_variant():
    """The simulation study's coverage (model_inference_coverage) is why: see its test."""
    assert models.ModelSpec().cov_type == "cluster_prefecture"
    assert models.ModelSpec().cov_label == "clustered by prefecture, t(G − 1)"
    assert models.STANDARD_SPECS["main"] == models.ModelSpec()
    assert models.STANDARD_SPECS["main_hc3"].cov_type == "HC3"
    assert models.STANDARD_SPECS["ppml"].cov_type == "cluster_prefecture"
    assert models.STANDARD_SPECS["ppml_hc0"].cov_label.startswith("HC0")


@pytest.mark.data
def test_the_coverage_study_behind_the_default(processed):
    """On simulated surveys with prefecture and group effects, OLS's HC3 intervals cover the target clearly less
    often than 95% and prefecture-clustered ones close to it: the gap exceeds twice the Monte Carlo errors
    combined."""
    cov = processed("model_inference_coverage").set_index("estimator")
    assert set(cov.index) == {"ols_hc3", "ols_cluster_prefecture", "ols_cluster_group", "ppml_hc0",
                              "ppml_cluster_prefecture"}
    assert (cov["draws"] == 100).all() and (cov["effect_pct"] == -20).all()
    gap = cov.loc["ols_cluster_prefecture", "coverage"] - cov.loc["ols_hc3", "coverage"]
    assert gap > 2 * np.hypot(cov.loc["ols_cluster_prefecture", "coverage_mc_se"], cov.loc["ols_hc3", "coverage_mc_se"])
    # PPML points the same way; 100 draws cannot separate its two by this margin, so only the direction is asserted
    assert cov.loc["ppml_cluster_prefecture", "coverage"] >= cov.loc["ppml_hc0", "coverage"]
    for cl in ("ols_cluster_prefecture", "ppml_cluster_prefecture"):
        assert abs(cov.loc[cl, "coverage"] - 0.95) < 3 * np.sqrt(0.95 * 0.05 / 100)


def test_spec_validation():
    with pytest.raises(ParameterError, match="cov_type must be one of"):
        models.ModelSpec(cov_type="HC1")
    with pytest.raises(ParameterError, match="estimator must be one of"):
        models.ModelSpec(estimator="tobit")
    with pytest.raises(ParameterError, match="membership_as_of must be one of"):
        models.ModelSpec(membership_as_of="2016-04-01")
    with pytest.raises(ParameterError, match="robust"):
        models.ModelSpec(robust=True, estimator="ppml")
    assert models.ModelSpec(robust=True).cov_label == "Huber H1 (robust sandwich)"  # whatever cov_type says
    with pytest.raises(ParameterError, match="unknown model parameter"):
        models.spec_from_parameters(interactions=True)
    with pytest.raises(ParameterError, match="must be True or False"):
        models.spec_from_parameters(interaction="yes")
    with pytest.raises(ParameterError, match="draws must be a whole number from 1 to 99,999; got 0"):
        models.validate_draws(0)
    assert issubclass(ParameterError, ValueError)  # callers' `except ValueError` keeps working


def test_every_standard_model_has_its_label_in_the_vocabulary_and_no_other_is_labelled():
    assert set(models.STANDARD_SPECS) == set(vocab.MODELS)
    assert models.STANDARD_SPECS["main_list_2018"].membership_as_of == vocab.LIST_DATE
    assert models.MEMBERSHIP_AS_OF == (vocab.STATUS_DATE, vocab.LIST_DATE)


@pytest.mark.data
def test_status_effect_is_exp_of_the_coefficient(data):
    fit = models.fit(data, models.ModelSpec())
    eff = models.status_effects(fit).set_index("cloud_status")
    b = fit.result.params[JOINT]
    assert eff.loc["joint", "effect_pct"] == pytest.approx(100 * (np.exp(b) - 1))
    lo, hi = fit.result.conf_int().loc[JOINT]
    assert eff.loc["joint", "ci_low_pct"] == pytest.approx(100 * (np.exp(lo) - 1))
    assert pd.isna(eff.loc["joint", "population_persons"])  # no interaction: one effect for all populations


@pytest.mark.data
def test_interaction_effects_vary_with_population_and_the_design_has_full_rank(data):
    fit = models.fit(data, models.ModelSpec(interaction=True))
    x = np.asarray(fit.result.model.exog)
    assert np.linalg.matrix_rank(x) == x.shape[1]
    eff = models.status_effects(fit)
    joint = eff[eff["cloud_status"] == "joint"]
    assert joint["population_persons"].notna().all() and joint["log_effect"].nunique() == len(joint)


def test_ppml_recovers_a_multiplicative_effect_on_the_mean_exactly():
    """Costs exactly P × exp(curve) × 0.8 × spread for members, each member twice at the same population with
    spread 0.5 and 1.5 (mean one): PPML's joint coefficient is log 0.8, OLS's log 0.8 + mean(log spread)."""
    rng = np.random.default_rng(0)
    half = 300
    pop_members = np.exp(rng.uniform(7, 13, half // 2)).round()
    pop_others = np.exp(rng.uniform(7, 13, half)).round()
    pop = np.concatenate([pop_members, pop_members, pop_others])
    joint = np.arange(len(pop)) < half
    spread = np.concatenate([np.full(half // 2, 0.5), np.full(half // 2, 1.5), np.ones(half)])
    x = np.log(pop) - np.log(pop).mean()
    per_resident = np.exp(8.2 - 0.4 * x + 0.05 * x ** 2) * np.where(joint, 0.8, 1.0) * spread
    n = len(pop)
    df = pd.DataFrame({"code": [f"{i:06d}" for i in range(n)], "prefecture": "p", "kind": "市",
                       "population_2017_01_01_persons": pop, "it_cost_yen": per_resident * pop,
                       "cloud_status": np.where(joint, "joint", "none"), "status_base": "none",
                       "log_pop_c": x, "log_population": np.log(pop), "cost_scaled": per_resident * pop / 1e6,
                       "log_cost_per_resident": np.log(per_resident), "cluster_group": "g"})
    ppml = models.fit(df, models.ModelSpec(estimator="ppml", curve="quadratic", cov_type="HC3"))
    ols = models.fit(df, models.ModelSpec(curve="quadratic", cov_type="HC3"))
    assert ppml.result.params[JOINT] == pytest.approx(np.log(0.8), abs=1e-8)
    assert ols.result.params[JOINT] == pytest.approx(np.log(0.8) + 0.5 * np.log(0.75), abs=1e-8)


@pytest.mark.data
def test_ppml_matches_a_plain_irls(data):
    fit = models.fit(data, models.ModelSpec(estimator="ppml", curve="quadratic", cov_type="HC3"))
    x = np.asarray(fit.result.model.exog)
    y = data["it_cost_yen"].to_numpy(float) / models.PPML_SCALE
    offset = data["log_population"].to_numpy()
    b = np.zeros(x.shape[1])
    b[0] = np.log(y.sum() / np.exp(offset).sum())
    for _ in range(100):
        mu = np.exp(x @ b + offset)
        b = b + np.linalg.solve((x.T * mu) @ x, x.T @ (y - mu))
    np.testing.assert_allclose(fit.result.params.to_numpy(), b, atol=1e-7)


@pytest.mark.data
def test_counterfactual_per_class_with_support_and_the_headline_without_extrapolation(data):
    fit = models.fit(data, models.ModelSpec())
    saving = models.counterfactual_saving(fit)
    national = saving[saving["area"] == "全国"]
    classes = national[national["class_id"].notna()].set_index("class_id")
    joint_by_class = data[data["cloud_status"] == "joint"].groupby("population_class_id").size()
    for c, r in classes.iterrows():
        assert r["joint_members"] == joint_by_class.get(c, 0)
        assert r["extrapolation"] == (joint_by_class.get(c, 0) < models.MIN_SUPPORT)
    assert set(classes.index[classes["extrapolation"]]) == {5, 6}  # two joint members each
    b = fit.result.params[JOINT]
    none = data[data["cloud_status"] == "none"]
    supported = none[none["population_class_id"].isin(classes.index[~classes["extrapolation"]])]
    headline = national[national["class_id"].isna() & ~national["includes_extrapolation"]].iloc[0]
    assert headline["saving_oku_yen"] == pytest.approx(supported["it_cost_yen"].astype(float).sum() / 1e8 * (1 - np.exp(b)))
    everything = national[national["class_id"].isna() & national["includes_extrapolation"]].iloc[0]
    assert everything["saving_oku_yen"] == pytest.approx(classes["saving_oku_yen"].sum())
    assert headline["saving_oku_yen"] == pytest.approx(classes.loc[~classes["extrapolation"], "saving_oku_yen"].sum())


@pytest.mark.data
def test_counterfactual_delta_method_by_hand_for_a_real_file(data):
    for spec, q in ((models.ModelSpec(cov_type="HC3"), stats.norm.ppf(0.975)),
                    (models.ModelSpec(), stats.t.ppf(0.975, 46))):  # the default: clustered by prefecture, t(G − 1)
        fit = models.fit(data, spec)
        saving = models.counterfactual_saving(fit, simulated=False)
        headline = saving[(saving["area"] == "全国") & saving["class_id"].isna()
                          & ~saving["includes_extrapolation"]].iloc[0]
        b, se = fit.result.params[JOINT], fit.result.bse[JOINT]
        # delta method for one coefficient: |dS/db| × se = cost × exp(b) × se
        cost = headline["counterfactual_cost_oku_yen"]
        assert headline["ci_high_oku_yen"] - headline["saving_oku_yen"] == pytest.approx(
            q * cost * np.exp(b) * se, rel=1e-6)
    simulated = models.counterfactual_saving(fit, simulated=True)
    # no saving, cost or interval from simulated costs: they would only restate the assumed effect
    assert simulated[["counterfactual_cost_oku_yen", "saving_oku_yen", "ci_low_oku_yen"]].isna().all().all()
    pd.testing.assert_frame_equal(simulated[["area", "class_id", "joint_members", "counterfactual_municipalities"]],
                                  saving[["area", "class_id", "joint_members", "counterfactual_municipalities"]])


@pytest.mark.data
def test_a_file_without_status_fits_joint_against_all_others(data):
    s = store.read_table("survey").copy()
    joint = store.read_table("municipalities").set_index("code").loc[s["code"], "joint_cloud_start_fy"].lt(2017).fillna(False)
    s["cloud_status"] = np.where(joint.to_numpy(bool), "joint", NOT_JOINT_CODE)
    df = models.model_frame(s, store.read_table("municipalities"))
    fit = models.fit(df, models.ModelSpec())
    terms = models.coef_table(fit, "main", "reported")["term"].tolist()
    assert "joint cloud" in terms and "single cloud" not in terms
    saving = models.counterfactual_saving(fit)
    assert set(saving["counterfactual_status"]) == {NOT_JOINT_CODE}
    everything = saving[(saving["area"] == "全国") & saving["includes_extrapolation"]].iloc[0]
    assert everything["counterfactual_municipalities"] == int((~joint.to_numpy(bool)).sum()) == 1741 - 379


@pytest.mark.data
def test_membership_from_the_2018_list_counts_every_member_as_joint():
    s, f = store.read_table("survey"), store.read_table("municipalities")
    df = models.model_frame(s, f, vocab.LIST_DATE)
    assert (df["cloud_status"] == "joint").sum() == f["joint_cloud_group_id"].notna().sum() == 407
    sens = store.read_table("model_membership_sensitivity")
    assert set(sens["joint_members"]) == {379, 407}


@pytest.mark.data
def test_assumed_effect_band_is_real_population_times_published_cost_per_resident(data):
    """The band uses no simulated value: every municipality not in a joint cloud (group list, 2017-04-01), each at
    its population × its class's cost per resident (the lower and higher of the published weighted figure and
    simple mean, as rounding intervals); the classes with fewer than MIN_SUPPORT joint members apart."""
    cost = store.read_table("published_cost_by_class")
    line = models.assumed_effect_saving(data, cost)
    nat = line[line["area"] == "全国"]
    assert np.allclose(nat["saving_low_oku_yen"], -nat["assumed_effect_pct"] / 100 * nat["counterfactual_cost_low_oku_yen"])
    joint = data[data["cloud_status"] == "joint"].groupby("population_class_id").size()
    thin = {c for c in vocab.CLASS_IDS if joint.get(c, 0) < models.MIN_SUPPORT}
    assert thin == {5, 6}  # 200k-300k and 300k+ have fewer than 5 members in the list
    c = cost.set_index("class_id")
    low = {k: min((c.loc[k, "it_cost_total_oku_yen"] - 0.5) * 1e8 / ((c.loc[k, "population_thousand_persons"] + 0.5)
                                                                       * 1e3), c.loc[k, "it_cost_per_resident_mean_yen"] - 0.5)
           for k in vocab.CLASS_IDS}
    nonjoint = data[data["cloud_status"] != "joint"]
    for t in (False, True):
        rows = nonjoint[nonjoint["population_class_id"].isin(thin) == t]
        by_hand = float((rows["population_2017_01_01_persons"] * rows["population_class_id"].map(low)).sum()) / 1e8
        got = nat[nat["thin_support"] == t].iloc[0]
        assert got["counterfactual_cost_low_oku_yen"] == pytest.approx(by_hand, rel=1e-12)
        assert got["counterfactual_municipalities"] == len(rows)
    assert nat.groupby("assumed_effect_pct")["counterfactual_municipalities"].sum().eq(1741 - 379).all()
    # the same band whatever the survey's costs are: scramble them
    scrambled = data.assign(it_cost_yen=data["it_cost_yen"].sample(frac=1, random_state=0).to_numpy())
    pd.testing.assert_frame_equal(models.assumed_effect_saving(scrambled, cost), line)
    # prefectures add up to the nation
    pref = line[(line["area"] != "全国") & (line["assumed_effect_pct"] == -20)]
    assert pref["counterfactual_cost_high_oku_yen"].sum() == pytest.approx(
        nat.loc[nat["assumed_effect_pct"] == -20, "counterfactual_cost_high_oku_yen"].sum())


@pytest.mark.data
def test_wild_cluster_bootstrap_is_reproducible_and_brackets_the_estimate(data):
    fit = models.fit(data, models.ModelSpec())
    a = models.wild_cluster_bootstrap(fit, draws=199, seed=1)
    b = models.wild_cluster_bootstrap(fit, draws=199, seed=1)
    assert a == b and a["clusters"] == 47 and a["ci_low"] < a["estimate"] < a["ci_high"]
    assert a["estimate"] == pytest.approx(fit.result.params[JOINT])
    # its standard error is statsmodels' CRV1 clustered by prefecture
    clustered = models.fit(data, models.ModelSpec(cov_type="cluster_prefecture"))
    assert a["std_error"] == pytest.approx(clustered.result.bse[JOINT], rel=1e-9)
    with pytest.raises(ValueError, match="draws must be a whole number"):
        models.wild_cluster_bootstrap(fit, draws=0)


@pytest.mark.data
def test_class_level_model_uses_published_moments_over_real_populations():
    cost, frame = store.read_table("published_cost_by_class"), store.read_table("municipalities")
    moments, fit, theta = models.class_level(cost, frame)
    assert len(moments) == 12 and fit["moments"].iloc[0] == 12 and fit["degrees_of_freedom"].iloc[0] == 12 - len(theta)
    # recompute one moment by hand from the curve: the under-20k mean of m(x) over the real municipalities
    small = moments[(moments["class_id"] == 1) & (moments["moment"] == "mean_per_resident_yen")].iloc[0]
    assert small["published"] == 11724
    assert small["gap_half_widths"] == pytest.approx((small["fitted"] - 11724) / 0.5)
    j = float(((moments["gap_half_widths"] * 0.5 * np.sqrt(12)) ** 2).sum())
    assert fit["j_statistic"].iloc[0] == pytest.approx(j, rel=1e-9)


def test_class_level_model_recovers_a_curve_from_its_exact_moments():
    """Synthetic check: moments computed exactly (no rounding) from a log-linear curve, which a natural cubic
    spline spans, over made-up populations: the fit reproduces all twelve and the curve itself."""
    from jichitai_cloud.clean import published

    rng = np.random.default_rng(3)
    pop = np.round(np.exp(rng.uniform(np.log(800), np.log(3_000_000), 600)))
    frame = pd.DataFrame({"code": [f"{i:06d}" for i in range(600)], "population_2017_01_01_persons": pop})
    frame["population_class_id"] = [next(c.class_id for c in vocab.POPULATION_CLASSES
                                         if p >= c.lower_persons and (c.upper_persons is None or p < c.upper_persons)) for p in pop]
    truth = lambda p: 40_000 * (p / 10_000) ** -0.35  # noqa: E731
    rows = []
    for c, g in frame.groupby("population_class_id"):
        p = g["population_2017_01_01_persons"].to_numpy()
        rows.append({"class_id": c, "population_class_ja": str(c), "it_cost_per_resident_mean_yen": truth(p).mean(),
                     "it_cost_total_oku_yen": (truth(p) * p).sum() / 1e8, "municipalities": len(p),
                     "population_thousand_persons": p.sum() / 1000})
    moments, fit, _ = models.class_level(pd.DataFrame(rows), frame)
    assert fit["within_rounding"].iloc[0] == 12 and fit["j_statistic"].iloc[0] < 1e-6
    assert "p_value" not in fit.columns  # a distance, not a test
    curve = models.class_level_fitted(pd.DataFrame(rows), frame, np.array([2_000.0, 50_000.0, 1_000_000.0]))
    np.testing.assert_allclose(curve["fitted_cost_per_resident_yen"], truth(curve["population_persons"]), rtol=1e-4)


@pytest.mark.data
def test_stored_tables_say_which_survey_they_used():
    for name in ("model_coefficients", "model_status_effects", "model_counterfactual", "model_comparison",
                 "model_membership_sensitivity"):
        t = store.read_table(name)
        assert set(t["survey_input"]) <= {"simulated", "published"}, name
    # built from published and real figures only, the same for any survey: no survey column
    assert "survey_input" not in store.read_table("model_assumed_saving").columns
    coefs = store.read_table("model_coefficients").query("survey_input == 'simulated'")
    assert coefs[["p_value", "ci_low", "ci_high"]].isna().all().all()  # no test or interval about a fixed number
    effects = store.read_table("model_status_effects").query("survey_input == 'simulated'")
    assert effects[["ci_low_pct", "ci_high_pct"]].isna().all().all()


# Every parameter of 03_regression, in three runs (each variant's fit is checked in-process by
# test_every_standard_variant_fits_and_names_its_covariance).
VARIANTS = [
    {"interaction": True, "kind": True, "fiscal": True, "cov_type": "cluster_prefecture", "curve": "quadratic"},
    {"prefecture_fe": True, "robust": True},
    {"estimator": "ppml", "cov_type": "cluster_prefecture", "membership_as_of": vocab.LIST_DATE},
]


@pytest.mark.slow
def test_every_variant_runs_by_parameter_via_papermill(tmp_path):
    """Every parameter reaches the model through papermill: the three runs on one kernel, kept between them as
    a report worker keeps it (its namespace reset, its imports kept)."""
    import nbformat
    import papermill

    from jichitai_cloud import paths
    from jichitai_cloud.report import worker

    kernel = worker.Kernel(store.current_build())
    try:
        for k, params in enumerate(VARIANTS):
            kernel.ready()
            out = tmp_path / f"regression-{k}.ipynb"
            try:
                papermill.execute_notebook(str(paths.NOTEBOOKS_DIR / "03_regression.ipynb"), str(out),
                                           parameters=params, kernel_name=jobs.KERNEL_NAME, km=kernel.km,
                                           progress_bar=False)
            finally:
                kernel.km.close_clients()
            nb = nbformat.read(out, as_version=4)
            outputs = [o for c in nb.cells for o in c.get("outputs", [])]
            text = "\n".join(o.get("data", {}).get("text/markdown", "") + o.get("data", {}).get("text/html", "")
                             for o in outputs)
            spec = models.spec_from_parameters(**params)
            assert spec.name in text and spec.cov_label in text, params
            assert "SIMULATED" in text and "p_value" not in text and ">p<" not in text, params  # no p-values
            assert not any(o.output_type == "error" or o.get("name") == "stderr" for o in outputs), params
    finally:
        kernel.stop()


@pytest.mark.data
def test_comparison_with_and_largest_savings(data):
    fit = models.fit(data, models.ModelSpec(kind=True))
    table = models.comparison_with(fit, store.read_table("model_comparison"))
    assert table["model"].iloc[-1] == "this model" and len(table) == len(store.read_table("model_comparison")) + 1
    assert {"ols", "ppml", "huber"} <= set(table["estimator"])
    top = models.largest_savings(models.counterfactual_saving(fit), 5)
    assert (top["area"].iloc[:8] == "全国").all() and len(top) == 8 + 5
    assert top["saving_oku_yen"].iloc[8:].is_monotonic_decreasing
