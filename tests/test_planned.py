"""Planned joins: the per-municipality list against the slide's own table, and the tracker."""

import pandas as pd
import pytest

from jichitai_cloud.clean import checks
from jichitai_cloud.clean import planned, published
from jichitai_cloud.io import store


@pytest.mark.parametrize("text, fy", [("30年度", 2018), ("３５年度", 2023), ("未定", None)])
def test_wareki_fiscal_years(text, fy):
    assert planned.wareki_fy(text) == fy


def test_wareki_refuses_other_text():
    with pytest.raises(ValueError, match="not a 和暦 fiscal year"):
        planned.wareki_fy("2018")


def test_counting_rule_on_inline_rows():
    """A new group counts in its first year with the members going live then; later members are joins."""
    df = pd.DataFrame({
        "entry": [1, 1, 1, 2], "new_group": [True, True, True, False],
        "target_fy": pd.array([2018, 2018, 2019, 2018], dtype="Int64"),
        "counted_as": ["new_group", "new_group", "existing_group", "existing_group"],
    })
    got = planned.by_year(df).set_index("target_fy")
    assert got.loc[2018, ["new_groups", "new_group_municipalities", "existing_group_municipalities"]].tolist() == [1, 2, 1]
    assert got.loc[2019, ["new_groups", "existing_group_municipalities"]].tolist() == [0, 1]


@pytest.fixture(scope="module")
def joins():
    return store.read_table("planned_joins")


@pytest.mark.data
def test_every_planned_join_matches_one_code(joins):
    assert len(joins) == 241 and joins["code"].is_unique
    assert (joins["counted_as"] == "undetermined").sum() == 1  # 小浜市 (未定)
    assert joins.loc[joins["name"] == "丹波山村", "named_in_year_line_as"].item() == "丹羽山村"  # the document's typo


@pytest.mark.data
def test_the_slides_table_recounted_independently(joins):
    """Recount with plain pandas here (not planned.by_year) and compare with the slide's numbers."""
    dated = joins[joins["target_fy"].notna()]
    launch = dated[dated["new_group"]].groupby("entry")["target_fy"].transform("min")
    first = dated["new_group"] & (dated["target_fy"] == launch.reindex(dated.index))
    new_per_year = dated[first].groupby("target_fy").size().to_dict()
    groups_per_year = dated[first].groupby("target_fy")["entry"].nunique().to_dict()
    joins_per_year = dated[~first].groupby("target_fy").size().to_dict()
    assert groups_per_year == {2018: 13, 2019: 7, 2020: 4, 2021: 7, 2022: 3, 2023: 2}
    # the slide: 68, 26, 23, 25, 8, 17: one more in FY2021 (entry 44 reads 「33年度（下記以外）」 with no exception)
    assert new_per_year == {2018: 68, 2019: 26, 2020: 23, 2021: 26, 2022: 8, 2023: 17}
    assert joins_per_year == {2018: 18, 2019: 20, 2020: 10, 2021: 13, 2022: 8, 2023: 3}


@pytest.mark.data
def test_reconciliation_of_planned_joins_is_explained():
    rec = store.read_table("reconciliation")
    rec = rec[rec["topic"] == "planned joins"]
    bad = set(rec.loc[rec["status"] == checks.MISMATCH, "check_id"])
    assert bad == set(planned.EXPLANATIONS)
    assert (rec.loc[rec["status"] == checks.MISMATCH, "explanation"] != "").all()


@pytest.mark.data
def test_tracker_adds_the_planned_joins_to_the_2018_state(joins):
    tracker = store.read_table("adoption_tracker").set_index("fiscal_year")
    new = joins[joins["target_fy"].notna() & ~joins["already_member_2018_04"]]
    assert tracker.loc[2018, "joint_cloud_projected"] == 407 + int((new["target_fy"] == 2018).sum())
    assert tracker.loc[2023, "joint_cloud_projected"] == 407 + len(new)
    assert tracker.loc[2023, "cloud_projected_low"] == 1067
    assert tracker.loc[2023, "cloud_projected_high"] == 1067 + len(new)
    assert tracker.loc[2023, ["joint_cloud_target", "cloud_target"]].tolist() == [1100, 1600]
    assert published.adoption_wide(published.adoption()).query("kind == 'target'")["as_of_date"].max() == \
        tracker.loc[2023, "as_of_date"]
