"""Stage 6b, a joint-cloud group's report: the group as the list states it, its members and, for a real survey
only, their costs against similar non-members (a simulated cost beside a real name would be quotable)."""

from __future__ import annotations

import pandas as pd

from jichitai_cloud.clean import checks
from jichitai_cloud.registry import resources, schema, vocab
from jichitai_cloud.report import charts_survey, map_charts, text
from jichitai_cloud.report.context import Context, Section
from jichitai_cloud.report.sections_common import membership_rows
from jichitai_cloud import survey
from jichitai_cloud.survey.labels import survey_caption

GROUPS = "cloud_groups"
PREDICTED = ("fiscal_strength_index_fy2016", "ageing_pct", "density_per_km2", "predicted_probability")


def overview(ctx: Context) -> None:
    """The group as the list states it, each row with its kind from the registry; a case study if it is one."""
    gid = ctx.params["group_id"]
    g = ctx.load(GROUPS).set_index("group_id").loc[gid]
    check = ctx.load("reconciliation").set_index("check_id").loc[f"groups.population.{gid}"]
    name = vocab.group_name(gid, ctx.load(GROUPS), ctx.load("cloud_group_members"), ctx.lang)
    rows = [  # (item, value, kind)
        (ctx.t("g_name"), name, ctx.kinds((GROUPS, "name"))),
        (ctx.t("g_prefectures"), vocab.prefecture_name(g["prefectures"], ctx.lang), ctx.kinds((GROUPS, "prefectures"))),
        (ctx.t("g_start"), ctx.t("start_fmt", written=g["start_year_as_written"], fy=g["start_fy"]),
         ctx.kinds((GROUPS, "start_year_as_written"))),
        (ctx.t("g_members"), f"{int(g['stated_members'])}", ctx.kinds((GROUPS, "stated_members"))),
        (ctx.t("g_matched"), f"{int(g['matched_members'])}", ctx.kinds((GROUPS, "matched_members"))),
        (ctx.t("g_stated_pop"), f"{int(g['stated_population_2018_01_01_persons']):,}",
         ctx.kinds((GROUPS, "stated_population_2018_01_01_persons"))),
        (ctx.t("g_members_pop"), f"{int(g['members_population_2018_01_01_persons']):,}",
         ctx.kinds((GROUPS, "members_population_2018_01_01_persons"))),
    ]
    ctx.table(pd.DataFrame([(item, value, ctx.kind_words(kind)) for item, value, kind in rows],
                           columns=["item_label", "value", "source"]),
              ctx.t("group_overview_caption") + ctx.rows_tag([kind for _, _, kind in rows]), "group_overview",
              right=["value"])
    if check["status"] != checks.OK:
        explanation = check["explanation_ja" if ctx.lang == "ja" else "explanation"]
        ctx.markdown(f"**{ctx.t('g_mismatch')}** {explanation or ctx.t('g_unexplained')}")
    cases = ctx.load("case_study_members")
    case = cases.loc[cases["group_id_2018_04"] == gid, "case"].unique()
    if len(case):
        savings = ctx.load("case_study_savings")
        savings = savings[savings["case"] == case[0]]
        ctx.markdown(ctx.t("case_note", case=case[0], tag=ctx.tag(("case_study_members", "name_as_written"))))
        if ctx.lang == "ja":
            cols = ["what_as_written", "reduction_pct"]
        else:  # the wording is the document's Japanese: its cost basis, period and estimate, as read from it
            cols = ["cost_basis", "period_years", "projected", "reduction_pct"]
            savings = savings.assign(cost_basis=savings["cost_basis"].map(lambda b: ctx.pick(text.COST_BASES[b])))
        ctx.table(savings[cols], ctx.t("case_caption") + ctx.tag(("case_study_savings", *cols)), "group_case")


def members(ctx: Context) -> None:
    m = ctx.load("cloud_group_members")
    m = m[m["group_id"] == ctx.params["group_id"]]
    table = membership_rows(ctx, m["code"]).drop(columns=["joint_cloud_group", "join_probability_fy2018_2023"])
    table.insert(1, "prefecture", m["prefecture"].to_numpy())
    table.insert(3, "name_as_written", m["name_as_written"].to_numpy())
    heads = {c: schema.header(c, ctx.lang) for c in PREDICTED}
    ctx.figure(map_charts.map_group(ctx.load("municipalities"), ctx.load(GROUPS), ctx.load("cloud_group_members"),
                                    ctx.params["group_id"], ctx.lang))
    ctx.markdown(ctx.t("group_members_note",
                       predicted_tag=ctx.tag(("evidence_membership_predictions", "predicted_probability"))))
    ctx.table(table, ctx.t("group_members_caption") + ctx.tag((None, *table.columns)), "group_members",
              headers=heads, formats={c: resources.FIELDS[c].fmt for c in heads})


def compare(ctx: Context) -> None:
    codes = ctx.load("cloud_group_members").query("group_id == @ctx.params['group_id']")["code"]
    table = survey.comparable_non_members(ctx.load("survey"), ctx.load("municipalities"), codes)
    label, caption = ctx.survey_label, survey_caption(ctx.load("survey_input"), ctx.lang)
    ctx.markdown(ctx.t("group_compare_note"))
    ctx.table(table[["name", "prefecture", "population_2017_01_01_persons", "cost_per_resident_yen", "comparables",
                     "comparables_median_yen", "ratio_to_comparables"]], ctx.t("group_compare_caption") + ctx.survey_tag,
              "group_compare", caution=ctx.caution)
    ctx.figure(charts_survey.members_vs_comparables(table, label, caption, ctx.lang), ctx.caution)


SECTIONS = (
    Section("h_group_overview", overview),
    Section("h_group_members", members),
    Section("h_group_compare", compare),
)
