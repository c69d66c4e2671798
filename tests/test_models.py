"""The regression models: an independent least-squares cross-check, the variants, the outputs."""

import numpy as np
import pandas as pd
import pytest

from jichitai_cloud import models, store


@pytest.fixture(scope="module")
def data():
    return models.model_frame(store.read_table("survey"), store.read_table("municipalities"))


def test_main_model_matches_plain_numpy_least_squares(data):
    """Recompute the main model's coefficients without statsmodels or patsy, to 1e-8."""
    x = np.log(data["population_2017_01_01_persons"].to_numpy(float))
    x = x - x.mean()
    status = data["cloud_status"].to_numpy()
    design = np.column_stack([np.ones(len(x)), (status == "joint"), (status == "single"), x, x ** 2]).astype(float)
    y = np.log(data["it_cost_yen"].to_numpy(float) / data["population_2017_01_01_persons"].to_numpy(float))
    beta, *_ = np.linalg.lstsq(design, y, rcond=None)
    fit = models.fit(data, models.ModelSpec())
    order = ["Intercept", f"{models.STATUS_TERM}[T.joint]", f"{models.STATUS_TERM}[T.single]", "log_pop_c",
             "I(log_pop_c ** 2)"]
    np.testing.assert_allclose(fit.result.params[order].to_numpy(), beta, rtol=0, atol=1e-8)


def test_hc3_standard_errors_match_the_textbook_formula(data):
    fit = models.fit(data, models.ModelSpec())
    X = np.asarray(fit.result.model.exog)
    e = np.asarray(fit.result.resid)
    bread = np.linalg.inv(X.T @ X)
    h = np.einsum("ij,jk,ik->i", X, bread, X)
    meat = X.T @ (X * (e ** 2 / (1 - h) ** 2)[:, None])
    np.testing.assert_allclose(np.sqrt(np.diag(bread @ meat @ bread)), fit.result.bse.to_numpy(), rtol=1e-10)


@pytest.mark.parametrize("name", list(models.STANDARD_SPECS))
def test_every_standard_variant_fits_and_names_its_covariance(data, name):
    spec = models.STANDARD_SPECS[name]
    fit = models.fit(data, spec)
    table = models.coef_table(fit, name, "simulated")
    assert table["covariance"].eq(spec.cov_label).all() and table["n"].eq(1741).all()
    assert "joint cloud" in set(table["term"])


def test_clustered_errors_use_the_right_clusters(data):
    by_pref = models.fit(data, models.ModelSpec(cov_type="cluster_prefecture")).result
    by_group = models.fit(data, models.ModelSpec(cov_type="cluster_group")).result
    assert by_pref.cov_kwds["groups"].max() + 1 == 47
    n_groups = data["joint_cloud_group_id"].nunique() + data["joint_cloud_group_id"].isna().sum()
    assert by_group.cov_kwds["groups"].max() + 1 == n_groups


def test_spec_validation():
    with pytest.raises(ValueError, match="cov_type must be one of"):
        models.ModelSpec(cov_type="HC1")
    with pytest.raises(ValueError, match="clustered standard errors are available for OLS only"):
        models.ModelSpec(robust=True, cov_type="cluster_prefecture")
    with pytest.raises(ValueError, match="unknown model parameter"):
        models.spec_from_parameters(interactions=True)
    with pytest.raises(ValueError, match="must be True or False"):
        models.spec_from_parameters(interaction="yes")


def test_status_effect_is_exp_of_the_coefficient(data):
    fit = models.fit(data, models.ModelSpec())
    eff = models.status_effects(fit).set_index("cloud_status")
    b = fit.result.params[f"{models.STATUS_TERM}[T.joint]"]
    assert eff.loc["joint", "effect_pct"] == pytest.approx(100 * (np.exp(b) - 1))
    lo, hi = fit.result.conf_int().loc[f"{models.STATUS_TERM}[T.joint]"]
    assert eff.loc["joint", "ci_low_pct"] == pytest.approx(100 * (np.exp(lo) - 1))
    assert pd.isna(eff.loc["joint", "population_persons"])  # no interaction: one effect for all populations


def test_interaction_effects_vary_with_population(data):
    eff = models.status_effects(models.fit(data, models.ModelSpec(interaction=True)))
    joint = eff[eff["cloud_status"] == "joint"]
    assert joint["population_persons"].notna().all() and joint["log_effect"].nunique() == len(joint)


def test_counterfactual_main_model_by_hand(data):
    fit = models.fit(data, models.ModelSpec())
    saving = models.counterfactual_saving(fit)
    none = data[data["cloud_status"] == "none"]
    b = fit.result.params[f"{models.STATUS_TERM}[T.joint]"]
    se = fit.result.bse[f"{models.STATUS_TERM}[T.joint]"]
    cost = none["it_cost_yen"].astype(float).sum() / 1e8
    national = saving.iloc[0]
    assert national["area"] == "全国"
    assert national["saving_oku_yen"] == pytest.approx(cost * (1 - np.exp(b)))
    # delta method for one coefficient: |dS/db| * se = cost * exp(b) * se
    assert national["ci_high_oku_yen"] - national["saving_oku_yen"] == pytest.approx(1.959964 * cost * np.exp(b) * se,
                                                                                       rel=1e-5)
    assert saving.iloc[1:]["saving_oku_yen"].sum() == pytest.approx(national["saving_oku_yen"])


def test_influence_names_municipalities(data):
    top = models.influence(models.fit(data, models.ModelSpec()), top=5)
    assert len(top) == 5 and top["cooks_distance"].is_monotonic_decreasing
    assert {"prefecture", "name"} <= set(top.columns)


def test_class_level_model_uses_the_six_published_rows():
    res, table = models.class_level(store.read_table("published_cost_by_class"))
    assert int(res.nobs) == 6 and table["survey_input"].eq("published").all()


def test_stored_tables_say_which_survey_they_used():
    for name in ("model_coefficients", "model_status_effects", "model_counterfactual", "model_comparison"):
        t = store.read_table(name)
        assert set(t["survey_input"]) <= {"simulated", "published"}, name


@pytest.mark.slow
@pytest.mark.parametrize("params", [
    {"interaction": True}, {"prefecture_fe": True}, {"kind": True}, {"fiscal": True}, {"robust": True},
    {"cov_type": "cluster_prefecture"}, {"cov_type": "cluster_group", "interaction": True, "kind": True},
], ids=lambda p: "+".join(f"{k}={v}" for k, v in p.items()))
def test_every_variant_runs_by_parameter_via_papermill(tmp_path, params):
    import nbformat
    import papermill

    from jichitai_cloud import paths, render, reports

    out = tmp_path / "regression.ipynb"
    papermill.execute_notebook(str(paths.NOTEBOOKS_DIR / "03_regression.ipynb"), str(out), parameters=params,
                               kernel_name=reports.KERNEL_NAME, progress_bar=False,
                               kernel_manager_class=render.kernel_manager_class())
    nb = nbformat.read(out, as_version=4)
    text = "\n".join(o.get("data", {}).get("text/markdown", "") + o.get("data", {}).get("text/html", "")
                     for c in nb.cells for o in c.get("outputs", []))
    spec = models.spec_from_parameters(**params)
    assert spec.name in text and spec.cov_label in text
    assert "SIMULATED" in text
    assert not any(o.output_type == "error" or o.get("name") == "stderr" for c in nb.cells for o in c.get("outputs", []))


def test_comparison_with_and_largest_savings(data):
    fit = models.fit(data, models.ModelSpec(kind=True))
    table = models.comparison_with(fit, store.read_table("model_comparison"))
    assert table["model"].iloc[-1] == "this model" and len(table) == len(store.read_table("model_comparison")) + 1
    top = models.largest_savings(models.counterfactual_saving(fit), 5)
    assert top["area"].iloc[0] == "全国" and len(top) == 6
    assert top["saving_oku_yen"].iloc[1:].is_monotonic_decreasing
