"""The package as a researcher uses it from JupyterLab."""

import pytest

import jichitai_cloud as jc


def test_load_and_tables():
    assert len(jc.load("municipalities")) == 1741
    listing = jc.tables()
    assert {"municipalities", "survey", "adoption_tracker", "reconciliation"} <= set(listing["table"])


def test_the_nagano_question_in_three_calls():
    costs = jc.municipality_costs(prefecture="長野県")
    comparison = jc.compare_with_similar(costs[costs["joint_cloud_group_id"].notna()])
    fig = jc.plots.members_vs_comparables(comparison)
    assert len(costs) == 77 and costs["prefecture"].eq("長野県").all()
    assert len(comparison) == costs["joint_cloud_group_id"].notna().sum() == 25
    assert comparison.attrs["survey_input"] == "simulated"
    assert "［シミュレーション］" in fig.axes[0].get_title()


def test_bad_prefecture_lists_the_valid_ones():
    with pytest.raises(ValueError, match="prefecture must be one of 北海道"):
        jc.municipality_costs(prefecture="長野")


def test_submodules_load_lazily():
    assert jc.models.STANDARD_SPECS
    with pytest.raises(AttributeError):
        jc.nothing_here


def test_comparisons_carry_their_provenance():
    costs = jc.municipality_costs(prefecture="長野県")
    comparison = jc.compare_with_similar(costs[costs["joint_cloud_group_id"].notna()])
    assert set(comparison["it_cost_provenance"]) == {"simulated"}
    assert set(comparison["comparables_cost_provenance"]) <= {"simulated", "derived+simulated"}
