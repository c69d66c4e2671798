import pandas as pd
import pytest

from jichitai_cloud.clean import checks
from jichitai_cloud.clean import cloud_groups as cg
from jichitai_cloud.io import store

HEADER = "自治体クラウドグループ一覧 総務省調べ （平成30年４月現在）\n\n都道府県 名称等 導入年度 構成団体 団体数\n"

# A small list with the document's quirks: a prefecture header line; a name, then the year
# on its own; members broken mid-name across lines; an unnamed group; a name broken across
# lines; a full-width count and 、 separators; a group continued in a second prefecture
# after its count; page furniture in between; the 合計 line.
INLINE = HEADER + """
北海道

北海道自治体情報システム協議会 H18
北海道別海町,中富良
野町,倶知安町

3 ４０、036

H24 北海道名寄市,士別市 2 47,257

未定稿
 自治体クラウドグループ一覧 総務省調べ （平成30年４月現在）

秋田県 秋田県町村電算システム共同
事業組合

H25 秋田県美郷町 1 20,000

奈良県
H26

奈良県大和郡山市
2 151,011

和歌山県 和歌山県橋本市

合計 ８ 258,304
"""


def test_parse_handles_the_documents_quirks():
    groups, total = cg.parse_group_list(INLINE)
    assert total == {"members": 8, "population": 258_304, "line": total["line"]}
    assert [g.name for g in groups] == ["北海道自治体情報システム協議会", None, "秋田県町村電算システム共同事業組合", None]
    assert [g.start_fy for g in groups] == [2006, 2012, 2013, 2014]
    assert [(g.stated_members, g.stated_population) for g in groups] == [(3, 40_036), (2, 47_257), (1, 20_000), (2, 151_011)]
    members = [[(m.prefecture, m.name_as_written) for m in cg.split_members(g)] for g in groups]
    assert members[0] == [("北海道", "別海町"), ("北海道", "中富良野町"), ("北海道", "倶知安町")]
    assert members[1] == [("北海道", "名寄市"), ("北海道", "士別市")]
    assert members[3] == [("奈良県", "大和郡山市"), ("和歌山県", "橋本市")]


def test_a_list_without_its_total_is_refused():
    with pytest.raises(cg.GroupListError, match="合計"):
        cg.parse_group_list(HEADER + "H24 北海道名寄市 1 27,909\n")


@pytest.mark.parametrize("written, fy", [("H18", 2006), ("H30", 2018)])
def test_heisei_years(written, fy):
    assert cg.RawGroup(1, None, written).start_fy == fy


FRAME = pd.DataFrame({
    "code": ["053678", "324485", "054348", "214043"],
    "prefecture": ["秋田県", "島根県", "秋田県", "岐阜県"],
    "name": ["美郷町", "美郷町", "羽後町", "飛騨市"],
})


def test_members_match_by_prefecture_and_name():
    members = [cg.Member(1, "秋田県", "美郷町"), cg.Member(2, "島根県", "美郷町"), cg.Member(2, "岐阜県", "飛驒市")]
    out = cg.match_members(members, FRAME, {1: "A", 2: None})
    assert out["code"].tolist() == ["053678", "324485", "214043"]
    assert out["match"].tolist()[:2] == ["exact", "exact"]
    assert out["match"].iloc[2].startswith("variant (驒→騨)")


def test_an_unmatched_member_stops_naming_it_and_its_group():
    with pytest.raises(cg.GroupListError, match=r"unmatched member 宮崎県美郷町 \(group 7: no name\)"):
        cg.match_members([cg.Member(7, "宮崎県", "美郷町")], FRAME, {7: None})


def test_an_ambiguous_member_stops():
    frame = pd.concat([FRAME, pd.DataFrame({"code": ["999999"], "prefecture": ["秋田県"], "name": ["美郷町"]})])
    with pytest.raises(cg.GroupListError, match=r"ambiguous member 秋田県美郷町 \(group 1: A\): matches codes"):
        cg.match_members([cg.Member(1, "秋田県", "美郷町")], frame, {1: "A"})


@pytest.mark.data
def test_the_real_list_matches_every_member_to_one_code():
    groups = store.read_table("cloud_groups")
    members = store.read_table("cloud_group_members")
    assert len(groups) == 70 and len(members) == 407 and members["code"].is_unique
    assert (groups["stated_members"] == groups["matched_members"]).all()
    misato = members[members["name"] == "美郷町"].set_index("prefecture")["code"].to_dict()
    assert misato == {"秋田県": "054348", "島根県": "324485", "宮崎県": "454311"}
    two_prefs = groups[groups["prefectures"].str.contains("・")]
    assert two_prefs["group_id"].tolist() == [47, 52, 63, 67]  # the document's four cross-prefecture groups
    assert len(cg.variant_matches(members)) == 2


@pytest.mark.data
def test_group_5_is_the_rows_typo():
    """合計 = sum of the rows with group 5's members' population in place of its stated one."""
    g = store.read_table("cloud_groups").set_index("group_id")
    rows = g["stated_population_2018_01_01_persons"].sum()
    assert rows - g.loc[5, "stated_population_2018_01_01_persons"] + g.loc[5, "members_population_2018_01_01_persons"] \
        == 11_133_616


@pytest.mark.data
def test_every_mismatch_is_explained_and_every_explanation_is_used():
    rec = store.read_table("reconciliation")
    assert checks.unexplained(rec).empty, checks.unexplained(rec)["check_id"].tolist()
    group_list = checks.mismatches(rec)
    group_list = group_list[group_list["topic"] == "joint-cloud group list"]
    assert set(group_list["check_id"]) == set(cg.EXPLANATIONS)
    assert (checks.mismatches(rec)["explanation_ja"] != "").all()


def test_group_names_name_a_group_by_its_name_or_else_its_members():
    """A named group by its name; an unnamed one by its members in the members table's order (庄内町・三川町);
    group_name, one group's, the same."""
    from jichitai_cloud.registry import vocab

    groups = pd.DataFrame({"group_id": [3, 12], "name": ["北海道自治体情報システム協議会", None]})
    members = pd.DataFrame({"group_id": [12, 3, 12], "name": ["庄内町", "別海町", "三川町"]})
    assert vocab.group_names(groups, members) == {3: "北海道自治体情報システム協議会", 12: "庄内町・三川町"}
    assert vocab.group_names(groups, members, "en", with_id=True) == {3: "3. 北海道自治体情報システム協議会",
                                                                      12: "12. 庄内町, 三川町"}
    assert vocab.group_name(12, groups, members) == "庄内町・三川町"
    assert vocab.group_name(12, groups, members, "en", with_id=True) == "12. 庄内町, 三川町"
    assert vocab.group_name(3, groups, members, "en") == "北海道自治体情報システム協議会"
    with pytest.raises(KeyError):
        vocab.group_name(99, groups, members)
