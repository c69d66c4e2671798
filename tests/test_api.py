"""The package as a researcher uses it from JupyterLab."""

import importlib

import pytest

import jichitai_cloud as jc
from jichitai_cloud.errors import ParameterError


@pytest.mark.data
def test_load_and_tables():
    assert len(jc.load("municipalities")) == 1741
    listing = jc.tables()
    assert {"municipalities", "survey", "adoption_tracker", "reconciliation"} <= set(listing["table"])


@pytest.mark.data
def test_the_readme_example_uses_real_figures():
    """The README's first example: 長野県's municipalities with their membership and predicted probability (real
    covariates), their prefecture's predictive range, and a map; nothing simulated."""
    nagano = jc.load("evidence_membership_predictions").query("prefecture == '長野県'")
    assert len(nagano) == 77 and int(nagano["member_2018_04_01"].sum()) == 25
    r = jc.load("evidence_membership_prefecture_ranges").query("prefecture == '長野県'").iloc[0]
    assert r["range_low"] <= r["members"] <= r["range_high"]
    fig = jc.plots.map_municipalities(nagano, column="predicted_probability")
    assert "シミュレーション" not in fig.axes[0].get_title()


@pytest.mark.data
def test_simulated_costs_are_returned_only_when_asked_and_never_beside_a_name():
    """With the simulated survey the defaults refuse; asked explicitly, the rows come without names, and the
    chart labels each member by its population, not its name."""
    from jichitai_cloud.errors import JichitaiError

    for call in (lambda: jc.load("survey"), lambda: jc.municipality_costs(prefecture="長野県"),
                 lambda: jc.compare_with_similar(["202011"])):
        with pytest.raises(JichitaiError, match=r"simulated: they check methods .* simulated=True"):
            call()
    costs = jc.municipality_costs(prefecture="長野県", simulated=True)
    assert len(costs) == 77 and "name" not in costs.columns and costs.attrs["survey_input"] == "simulated"
    comparison = jc.compare_with_similar(costs[costs["joint_cloud_group_id"].notna()], simulated=True)
    assert len(comparison) == 25 and "name" not in comparison.columns
    fig = jc.plots.members_vs_comparables(comparison)
    names = set(jc.load("municipalities").query("prefecture == '長野県'")["name"])
    shown = " ".join(t.get_text() for t in fig.axes[0].get_yticklabels())
    assert not any(n in shown for n in names) and "人口" in shown
    assert "［シミュレーション］" in fig.axes[0].get_title()
    assert "name" not in jc.load("survey", simulated=True).columns


def test_bad_parameters_are_refused_in_one_line_before_anything_is_read():
    """A parameter error (a ValueError, as before) names the valid values; nothing is read to say so."""
    with pytest.raises(ParameterError, match="prefecture must be one of 北海道, 青森県, .*; got '長野'"):
        jc.municipality_costs(prefecture="長野")
    with pytest.raises(ParameterError, match=r"unknown table 'municipality'; jc.tables\(\) lists them: "
                                             r"published_survey_totals, .*, municipalities, "):
        jc.load("municipality")


def test_every_public_module_by_its_short_name():
    """jc.<module> for every public module (jc.simulation and jc.maps raised AttributeError), loaded on first use;
    jc.survey is the survey package, whose public names and modules are reached from it."""
    for short, dotted in jc.MODULES.items():
        assert getattr(jc, short) is importlib.import_module(f"jichitai_cloud.{dotted}"), short
    assert jc.simulation.Study().draws == 200 and callable(jc.simulation.run)
    assert callable(jc.maps.boundaries) and callable(jc.maps.reconcile)
    assert jc.survey.reader.load_real is jc.survey.load_real
    assert jc.survey.comparison_summary is jc.survey.summaries.comparison_summary
    assert jc.survey.GeneratorParams is jc.survey.generator.GeneratorParams
    assert jc.survey.SurveyFileError is jc.errors.SurveyFileError
    with pytest.raises(AttributeError):
        jc.nothing_here
    with pytest.raises(AttributeError):
        jc.survey.nothing_here


def test_the_kernel_stays_light():
    """Importing the package (as every notebook does first) loads none of the modules behind jc.<module>."""
    import subprocess
    import sys

    code = ("import sys, jichitai_cloud as jc; heavy = [m for m in ('pandas', 'pandera', 'scipy', 'statsmodels', "
            "'jichitai_cloud.survey', 'jichitai_cloud.analysis') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.data
def test_comparisons_carry_their_provenance():
    costs = jc.municipality_costs(prefecture="長野県", simulated=True)
    comparison = jc.compare_with_similar(costs[costs["joint_cloud_group_id"].notna()], simulated=True)
    assert set(comparison["it_cost_provenance"]) == {"simulated"}
    assert set(comparison["comparables_cost_provenance"]) <= {"simulated", "derived+simulated"}
