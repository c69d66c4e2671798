"""The summaries (要旨): kinds derived from the quoted columns, short sentences, every joiner in every band."""

import re

import pytest

from jichitai_cloud.analysis import findings
from jichitai_cloud.registry import resources, vocab
from jichitai_cloud.analysis.findings import Finding, Value

TAG = re.compile(r"［[^］]*］|\[[a-z, ]+\]")


def _kinds_by_hand(value: Value) -> set:
    """The provenance of each quoted column, read from the registry's resource directly."""
    r = resources.RESOURCES[value.table]
    out = {r.columns[c].provenance for c in value.columns}
    return out | ({"inferred"} if value.inferred else set())


def test_one_tag_when_every_number_is_of_one_kind_else_one_per_number():
    pub = Value("11,724円", "11,724 yen", "published_cost_by_class", ("it_cost_per_resident_mean_yen",))
    gap = Value("21%", "21%", "evidence_gaps", ("gap_high_pct",))
    scen = Value("77～217億円", "7.7–21.7 billion yen", "evidence_projections", ("saving_low_oku_yen",))
    one = Finding("k", "{0}と{1}。", "{0} and {1}.", (pub, pub))
    assert one.text("ja") == "11,724円と11,724円。［公表値］"
    assert one.text("en") == "11,724 yen and 11,724 yen. [published]"
    mixed = Finding("k", "{0}、{1}、{2}。", "{0}, {1}, {2}.", (pub, gap, scen))
    assert mixed.text("ja") == "11,724円［公表値］、21%［導出値］、77～217億円［試算］。"
    assert mixed.kind == "published+derived+scenario"
    assert mixed.body("ja") == "11,724円、21%、77～217億円。"
    with pytest.raises(ValueError, match="not a figure"):
        Value("x", "x", "evidence_gaps", ("reading",)).kinds()
    with pytest.raises(KeyError, match="not a registered column"):
        Value("x", "x", "evidence_gaps", ("nope",)).kinds()


def test_ranges_read_as_ranges():
    assert findings.span(0, 20.98, unit="%") == ("0～21%", "0–21%")
    assert findings.span(7.37, 7.42, "{:.0f}") == ("7", "7")


@pytest.fixture(scope="module")
def all_summaries():
    """The summary of every report (national with and without the inferred label, 47 prefectures, 70 groups),
    each table read once, as a report's context reads it."""
    from functools import lru_cache

    from jichitai_cloud.io import store

    load = lru_cache(maxsize=None)(store.read_table)
    groups = load("cloud_groups")["group_id"]
    out = [("national", findings.national(load)), ("national-no-label", findings.national(load, False))]
    out += [(p, findings.prefecture(load, p)) for p in vocab.PREFECTURES]
    out += [(f"group {g}", findings.group(load, int(g))) for g in groups]
    return out


@pytest.mark.data
def test_every_tag_is_the_union_of_the_quoted_columns_kinds_and_sentences_are_short(all_summaries):
    for scope, summary in all_summaries:
        for f in summary:
            for v in f.values:
                assert set(v.kinds()) == _kinds_by_hand(v), (scope, f.key, v.ja)
            for lang in ("ja", "en"):
                text = f.text(lang)
                tags = TAG.findall(text)
                if f.values:
                    expected = ({vocab.kind_tag(f.kind, lang)} if f.uniform else
                                {vocab.kind_tag(v.kind(), lang) for v in f.values})
                    assert set(tags) == expected, (scope, f.key, text)
                    assert len(tags) == (1 if f.uniform else len(f.values)), (scope, f.key, text)
                else:
                    assert not tags
            for sentence in f.sentences("ja"):
                assert len(sentence) <= findings.MAX_SENTENCE, (scope, f.key, len(sentence), sentence)


@pytest.mark.data
def test_the_national_summary_opens_with_its_conclusion_and_counts_every_planned_joiner(processed):
    summary = findings.national(processed)
    assert summary[0].key == "conclusion" and summary[0].text("ja").startswith("公表値が示すのは")
    proj = next(f for f in summary if f.key == "projections")
    text = proj.text("ja")
    assert "加入予定239団体" in text and "２万人未満の125団体" in text and "他の114団体" in text
    # every number of it rests on an assumed rate or costing: one tag; the part only the plausibility floor
    # bounds gets no number (it would be the one number a single case study sets)
    assert text.count("［試算］") == 1 and text.endswith("［試算］") and "仮定しだい" in text and "218" not in text
    assert "U字" not in " ".join(f.text("ja") for f in summary)
    assert not re.search(r"\d\.0団体|\d+\.0 municipalities", " ".join(f.text(l) for f in summary for l in ("ja", "en")))
    label = next(f for f in summary if f.key == "label_gap")
    assert label.text("ja").count("［導出値・推定］") == 2 and "9,820円［公表値］" in label.text("ja")
    assert "label_gap" not in [f.key for f in findings.national(processed, use_inferred_label=False)]


@pytest.mark.data
def test_every_prefecture_summary_places_its_count_against_a_predictive_range(processed, all_summaries):
    r = processed("evidence_membership_prefecture_ranges").set_index("prefecture")
    summaries = dict(all_summaries)
    for pref in vocab.PREFECTURES:
        f = next(x for x in summaries[pref] if x.key == "prefecture_expected")
        ja = f.text("ja")
        assert f"95%予測範囲{r.loc[pref, 'range_low']}～{r.loc[pref, 'range_high']}団体" in ja
        word = {"above": "上回る", "below": "下回る", "within": "範囲内にある"}[r.loc[pref, "position"]]
        assert word in ja and "［導出値］" in ja


# What each finding's numbers are, written down from what they mean (not read from the registry): the registry's
# provenance must agree with it.
EXPECTED_KINDS = {
    "conclusion": "derived", "class_means": "published", "small_class_gap": "derived",
    "label_gap": "published+derived+inferred", "weighted": "derived", "reported_savings": "derived",
    "who_joins": "derived", "validation": "derived", "targets": "published+derived", "projections": "scenario",
    "prefecture_share": "derived+real", "prefecture_expected": "derived", "prefecture_planned": "published+derived",
    "national_context": "derived", "group": "published+real", "group_typical": "derived", "group_case": "published",
    "group_planned": "published+derived",
}


@pytest.mark.data
def test_every_finding_is_of_the_kind_its_numbers_are(all_summaries):
    seen = set()
    for scope, summary in all_summaries:
        for f in summary:
            if not f.values:
                continue
            expected = set(EXPECTED_KINDS[f.key].split("+"))
            assert set(f.kind.split("+")) == expected, (scope, f.key, f.kind)
            seen.add(f.key)
    assert seen == set(EXPECTED_KINDS)
