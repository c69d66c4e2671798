"""The simulation study: its estimators against statsmodels, its determinism, its coverage."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from jichitai_cloud.analysis import simulation
from jichitai_cloud.clean import published
from jichitai_cloud.errors import ParameterError
from jichitai_cloud.io import store
from jichitai_cloud.survey import generator, summaries


@pytest.fixture(scope="module")
def design():
    return simulation.Design.of(store.read_table("municipalities"), published.tables())


@pytest.fixture(scope="module")
def one_draw(design):
    params = generator.GeneratorParams(pin_inferred_label=False)
    baseline, single = simulation.expected_baseline(design, params)
    return simulation.draw(design, baseline, single, params, np.random.default_rng([1, 2, 3]))


def test_the_study_validates_its_settings():
    with pytest.raises(ParameterError, match="draws must be a whole number"):
        simulation.Study(draws=0)
    with pytest.raises(ParameterError, match="effects must lie between"):
        simulation.Study(effects=(-1.5,))
    with pytest.raises(ParameterError, match="numbers separated by commas"):
        simulation.parse_effects("0,-0.1,x")
    with pytest.raises(ParameterError, match="reading must be one of without_3, with_3; got 'both'"):
        simulation.Study(reading="both")
    assert simulation.parse_effects("0,-0.1") == (0.0, -0.1)
    assert isinstance(ParameterError("x"), ValueError)  # callers' `except ValueError` keeps working


def test_the_study_never_pins_its_surveys():
    """The study varies one joint effect common to every class; the build's pin (the under-20k joint cell set to
    the inferred label) would override it there, so a pinning generator is refused, not silently ignored."""
    assert simulation.Study().generator.pin_inferred_label is False
    assert generator.small_joint_pin(simulation.Study().generator.pin_inferred_label, pd.DataFrame()) is None
    with pytest.raises(ParameterError, match="must not pin the under-20k joint-cloud cell"):
        simulation.Study(generator=generator.GeneratorParams())


@pytest.mark.data
def test_ols_and_its_errors_match_statsmodels(design, one_draw):
    r, status = one_draw
    x = np.column_stack([design.x_curve, status == "joint", status == "single"]).astype(float)
    got = simulation.fit_all(design, r, status)
    j = design.x_curve.shape[1]
    hc3 = sm.OLS(np.log(r), x).fit(cov_type="HC3")
    assert got["ols_hc3"][0] == pytest.approx(hc3.params[j]) and got["ols_hc3"][1] == pytest.approx(hc3.bse[j])
    cl = sm.OLS(np.log(r), x).fit(cov_type="cluster", cov_kwds={"groups": design.pref}, use_t=True)
    assert got["ols_cluster_prefecture"][1] == pytest.approx(cl.bse[j], rel=1e-9)
    assert got["ols_cluster_prefecture"][2] == pytest.approx(stats.t.ppf(0.975, 46))


@pytest.mark.data
def test_ppml_and_its_errors_match_statsmodels(design, one_draw):
    r, status = one_draw
    x = np.column_stack([design.x_curve, status == "joint", status == "single"]).astype(float)
    got = simulation.fit_all(design, r, status)
    j = design.x_curve.shape[1]
    cost = r * design.pop / 1e6
    glm = sm.GLM(cost, x, family=sm.families.Poisson(), offset=np.log(design.pop / 1e6))
    hc1 = glm.fit(cov_type="HC0")
    assert got["ppml_hc0"][0] == pytest.approx(hc1.params[j], abs=1e-8)
    assert got["ppml_hc0"][1] == pytest.approx(hc1.bse[j], rel=1e-6)
    cl = glm.fit(cov_type="cluster", cov_kwds={"groups": design.pref}, use_t=True)
    assert got["ppml_cluster_prefecture"][1] == pytest.approx(cl.bse[j], rel=1e-6)


@pytest.mark.data
def test_the_orderings_check_agrees_with_the_builds(design, one_draw):
    """The study's fast check against survey.ordering_checks on the same draw, as a survey table."""
    r, status = one_draw
    table = pd.DataFrame({"code": design.frame["code"],
                          "population_2017_01_01_persons": design.frame["population_2017_01_01_persons"],
                          "it_cost_yen": pd.array(np.rint(r * design.pop).astype("int64"), dtype="Int64"),
                          "cloud_status": status})
    orderings = design.pub["published_survey_orderings"]
    assert simulation.orderings_ok(design, r, status) == all(c.ok for c in summaries.ordering_checks(table, orderings))
    # the same under the other reading (single with the three villages)
    with_3 = simulation.Design.of(design.frame, design.pub, reading="with_3")
    assert simulation.orderings_ok(with_3, r, status) == all(
        c.ok for c in summaries.ordering_checks(table, orderings, reading="with_3"))


@pytest.mark.data
def test_the_study_takes_joint_membership_from_the_generators_rule(design, one_draw):
    """The study's joint members (its design) are exactly those every draw's status calls joint: the one rule,
    municipalities.joint_cloud_as_of on the survey's status date (groups started before FY2017)."""
    _, status = one_draw
    assert np.array_equal(design.joint, status == "joint")
    started = design.frame["joint_cloud_start_fy"]
    assert np.array_equal(design.joint, (started < 2017).fillna(False).to_numpy(bool))
    assert int(design.joint.sum()) == 379  # the start-year rule (the survey publishes 357)


@pytest.mark.data
def test_the_expected_calibration_meets_the_published_class_means_in_expectation(design):
    """Averaged over many draws, each class's mean cost per resident and its total (億円) are the published
    ones (within 1%)."""
    params = generator.GeneratorParams(pin_inferred_label=False)
    baseline, single = simulation.expected_baseline(design, params)
    rs = [r for r, _ in (simulation.draw(design, baseline, single, params, np.random.default_rng([9, k]))
                         for k in range(60))]
    means = np.mean([[r[design.cls == c].mean() for c in range(1, 7)] for r in rs], axis=0)
    totals = np.mean([[(r * design.pop)[design.cls == c].sum() / 1e8 for c in range(1, 7)] for r in rs], axis=0)
    cost = store.read_table("published_cost_by_class").sort_values("class_id")
    np.testing.assert_allclose(means, cost["it_cost_per_resident_mean_yen"].to_numpy(float), rtol=0.01)
    np.testing.assert_allclose(totals, cost["it_cost_total_oku_yen"].to_numpy(float), rtol=0.01)


@pytest.mark.data
def test_draws_do_not_depend_on_the_number_of_workers():
    study = simulation.Study(draws=3, effects=(0.0, -0.2))
    frame, pub = store.read_table("municipalities"), published.tables()
    one = simulation.run(study, frame, pub, workers=1)
    two = simulation.run(study, frame, pub, workers=2)
    pd.testing.assert_frame_equal(one, two)
    assert len(one) == 3 * 2 * len(simulation.ESTIMATORS)


@pytest.mark.data
def test_the_stored_truth_is_each_estimators_target_as_the_codebook_says():
    """simulation_draws.truth holds log(1 + e) for PPML and log(1 + e) − τ_group²/2 for OLS (by hand from the
    generator's τ_group), and the registry describes exactly that."""
    from jichitai_cloud.registry import resources

    study = simulation.Study(draws=1, effects=(0.0, -0.2))
    rows = simulation.run(study, store.read_table("municipalities"), published.tables())
    tau = study.generator.tau_group
    for r in rows.itertuples():
        expected = np.log1p(r.effect) - (0 if r.estimator.startswith("ppml") else tau ** 2 / 2)
        assert r.truth == pytest.approx(expected, abs=1e-12)
    assert rows.loc[rows["estimator"] == "ols_hc3", "truth"].iloc[0] != rows.loc[
        rows["estimator"] == "ppml_hc0", "truth"].iloc[0]
    text = resources.RESOURCES["simulation_draws"].field("truth").en
    assert "log(1 + effect) for PPML" in text and "log(1 + effect) − τ_group²/2 for OLS" in text


@pytest.mark.slow
@pytest.mark.data
def test_prefecture_clustered_ppml_covers_the_effect_95_percent_of_the_time():
    """300 draws at an assumed −20%: PPML with prefecture-clustered errors (the estimator for mean cost,
    with the generator's prefecture and group effects) covers log(0.8) in 95% of draws, within three
    binomial standard errors; HC3 errors, which ignore the clusters, cover less."""
    n = 300
    study = simulation.Study(draws=n, effects=(-0.2,), seed=7)
    # in this process: the draws do not depend on the number of workers (tested above), and two worker
    # processes would each import the stack again
    draws = simulation.run(study, store.read_table("municipalities"), published.tables(), workers=1)
    summary = simulation.summarise(draws).set_index(["estimator", "subset"])
    tol = 3 * np.sqrt(0.95 * 0.05 / n)
    ppml = summary.loc[("ppml_cluster_prefecture", "all")]
    assert abs(ppml["coverage"] - 0.95) <= tol, ppml["coverage"]
    assert summary.loc[("ols_hc3", "all"), "coverage"] < ppml["coverage"]
    # bias and RMSE as stated: against each estimator's own target, recomputed here from the draws
    g = draws[draws["estimator"] == "ols_cluster_prefecture"]
    target = np.log(0.8) - 0.10 ** 2 / 2  # geometric mean: the group effects' −τ²/2
    assert np.allclose(g["truth"], target)
    assert summary.loc[("ols_cluster_prefecture", "all"), "bias"] == pytest.approx((g["estimate"] - target).mean())
    p = draws[draws["estimator"] == "ppml_cluster_prefecture"]
    assert ppml["rmse"] == pytest.approx(np.sqrt(((p["estimate"] - np.log(0.8)) ** 2).mean()))
