import pandas as pd
import pytest

from jichitai_cloud.clean import case_studies
from jichitai_cloud.clean import checks
from jichitai_cloud.io import store


@pytest.mark.data
def test_case_members_are_matched_and_belong_to_their_groups():
    m = store.read_table("case_study_members")
    assert len(m) == 38 and m["code"].is_unique
    assert m.groupby("case")["group_id_2018_04"].nunique().eq(1).all()
    assert m.loc[m["name"] == "粟島浦村", "population_thousand_persons"].item() == 0.4


@pytest.mark.data
def test_shares_add_up_as_the_slide_says():
    assert store.read_table("savings_56_groups")["groups"].sum() == 56
    assert store.read_table("group_size_shares")["groups"].sum() == 56
    assert store.read_table("vendor_shares")["groups"].sum() == 60  # a mismatch the reconciliation explains
    v = store.read_table("vendor_shares")
    assert (round(100 * v["groups"] / 60) == v["share_pct"]).all()  # the vendor shares are of 60


@pytest.mark.data
def test_the_cloud_rows_of_the_standard_costs_fall_by_one_rate():
    top = store.read_table("top_runner")
    it = top[top["reform_as_written"] == "情報システムのクラウド化"]
    assert it["item_as_written"].tolist() == ["戸籍住民基本台帳費", "徴税費", "包括算定経費"]
    assert it["reduction_to_final_pct"].round(1).tolist() == [24.6, 24.6, 24.6]


@pytest.mark.data
def test_mismatches_are_the_explained_ones():
    rec = store.read_table("reconciliation")
    rec = rec[rec["topic"] == "case studies and shares"]
    assert set(rec.loc[rec["status"] == checks.MISMATCH, "check_id"]) == set(case_studies.EXPLANATIONS)


def test_savings_bases_are_read_from_the_wording():
    """A figure's own words decide; its sentence only when the sentence states that one figure."""
    s = pd.DataFrame({
        "what_as_written": ["５年間のランニングコストで▲２５％", "トータルで▲４６％", "3市で23.7%の運用コスト削減見込み",
                            "18団体・5年間で44.6%削減", "橋本市で３１％"],
        "statement_as_written": ["イニシャルコストで▲５６％、５年間のランニングコストで▲２５％、トータルで▲４６％",
                                 "イニシャルコストで▲５６％、５年間のランニングコストで▲２５％、トータルで▲４６％",
                                 "3市で23.7%の運用コスト削減見込み", "18団体・5年間で44.6%削減",
                                 "両市全体で約３０%（橋本市で３１％、大和郡山市で２６％）のコスト削減見込み"],
    })
    b = case_studies.savings_bases(s)
    assert b["cost_basis"].tolist() == ["running", "total", "running", "unspecified", "unspecified"]
    assert b["period_years"].tolist()[0] == 5 and pd.isna(b["period_years"].iloc[1]) and b["period_years"].iloc[3] == 5
    assert b["projected"].tolist() == [False, False, True, False, True]


@pytest.mark.data
def test_every_case_study_saving_has_its_sentence_and_basis():
    s = store.read_table("case_study_savings")
    assert (s["statement_as_written"].str.len() > 0).all()
    assert set(s["cost_basis"]) <= {"initial", "running", "total", "unspecified"}
    assert s.groupby("case").size().to_dict() == {"a": 1, "b": 1, "c": 3, "d": 6, "e": 1, "f": 1, "g": 1}
