"""Stage 6b, a prefecture's report: its figures, its municipalities, its groups, its place among prefectures
and, as a scenario, what an assumed effect would save."""

from __future__ import annotations

import pandas as pd

from jichitai_cloud.analysis import findings
from jichitai_cloud.clean import municipalities
from jichitai_cloud.registry import resources, schema, vocab
from jichitai_cloud.report import charts_method, charts_published, charts_survey, map_charts, text
from jichitai_cloud.report.context import MODELS, Context, Section
from jichitai_cloud.report.sections_common import MEMBERSHIP_SOURCES, group_table, membership_rows
from jichitai_cloud.report.sections_national import GROUP_LIST
from jichitai_cloud import survey
from jichitai_cloud.survey.labels import survey_caption

SHARES = "evidence_membership_shares"
PREDICTED = ("fiscal_strength_index_fy2016", "ageing_pct", "density_per_km2", "predicted_probability",
             "join_probability_fy2018_2023")


def _frame(ctx: Context) -> pd.DataFrame:
    f = ctx.load("municipalities")
    return f[f["prefecture"] == ctx.params["prefecture"]]


def overview(ctx: Context) -> None:
    """The prefecture's figures, each with its kind from the registry: the same columns its summary quotes."""
    pref = ctx.params["prefecture"]
    s = ctx.load(SHARES)
    s = s[(s["as_of"] == vocab.LIST_DATE) & (s["by"] == "prefecture")].copy()
    s["rank"] = s["share_pct"].rank(ascending=False, method="min").astype(int)
    me = s.set_index("key").loc[pref]
    tied = int((s["rank"] == me["rank"]).sum())
    pop = vocab.POPULATION_BASES[ctx.params["population_basis"]]
    n_planned = int((findings.planned_joiners(ctx.load)["prefecture"] == pref).sum())
    rows = [  # (item, value, kind)
        (ctx.t("ov_municipalities"), f"{int(me['municipalities']):,}", ctx.kinds((SHARES, "municipalities"))),
        (ctx.t("ov_population", basis=ctx.pick(vocab.BASIS_DATES[ctx.params["population_basis"]])),
         f"{int(_frame(ctx)[pop].sum()):,}", ctx.kinds(("municipalities", pop))),
        (ctx.t("ov_joint"), f"{int(me['members']):,}", ctx.kinds((SHARES, "members"))),
        (ctx.t("ov_share"), f"{me['share_pct']:.1f}%", ctx.kinds((SHARES, "share_pct"))),
        (ctx.t("ov_rank"), ctx.t("rank_fmt", rank=int(me["rank"])) + (ctx.t("rank_tied", n=tied) if tied > 1 else ""),
         ctx.kinds((SHARES, "share_pct"))),
        (ctx.t("ov_expected"), _expected_text(ctx, "evidence_membership_prefecture_ranges", "expected_members"),
         ctx.kinds(("evidence_membership_prefecture_ranges", "expected_members", "range_low"))),
        (ctx.t("ov_planned"), f"{n_planned:,}", ctx.kinds(("planned_joins", "name_as_written",
                                                           "already_member_2018_04"))),
        (ctx.t("ov_planned_expected"), _expected_text(ctx, "evidence_prefecture_join_ranges", "expected_joiners"),
         ctx.kinds(("evidence_prefecture_join_ranges", "expected_joiners", "range_low"))),
    ]
    shown = [(item, value, ctx.kind_words(kind)) for item, value, kind in rows]
    if not ctx.simulated:
        stats = survey.by_prefecture(ctx.load("survey"), ctx.load("municipalities")).set_index("prefecture")
        rows.append((None, None, ctx.kinds(("survey", "it_cost_yen"))))
        shown.append((ctx.t("ov_cost"), f"{stats.loc[pref, 'cost_per_resident_mean_yen']:,.0f}", ctx.survey_label))
    ctx.table(pd.DataFrame(shown, columns=["item_label", "value", "source"]),
              ctx.t("pref_overview_caption") + ctx.rows_tag([kind for _, _, kind in rows]), "pref_overview",
              right=["value"])


def _expected_text(ctx: Context, table: str, expected: str) -> str:
    """A model's expected count with its predictive range (the prefecture spread), and where the actual lies:
    members (the membership model) or joiners FY2018–FY2023 (the chosen model)."""
    r = ctx.load(table).set_index("prefecture").loc[ctx.params["prefecture"]]
    return ctx.t("ov_expected_fmt", expected=r[expected], low=int(r["range_low"]), high=int(r["range_high"]),
                 level=float(r["range_level"]), where=ctx.pick(text.POSITIONS[r["position"]]))


def municipalities_section(ctx: Context) -> None:
    table = membership_rows(ctx, _frame(ctx)["code"])
    heads = {c: schema.header(c, ctx.lang) for c in PREDICTED}
    heads["joint_cloud_group"] = ctx.t("joint_cloud_group_h") + ctx.tag(*MEMBERSHIP_SOURCES)
    ctx.figure(map_charts.map_prefecture(ctx.load("municipalities"), ctx.load("cloud_groups"),
                                         ctx.load("cloud_group_members"), ctx.load("planned_joins"),
                                         ctx.params["prefecture"], ctx.lang))
    ctx.markdown(ctx.t("pref_mun_note", basis=ctx.pick(vocab.BASIS_DATES[ctx.params["population_basis"]]),
                       predicted_tag=ctx.tag(("evidence_membership_predictions", "predicted_probability")),
                       join_tag=ctx.tag(("evidence_membership_predictions", "join_probability_fy2018_2023"))))
    shown = [c for c in table.columns if c != "joint_cloud_group"]
    ctx.table(table, ctx.t("pref_mun_caption") + ctx.tag((None, *shown), *MEMBERSHIP_SOURCES), "pref_municipalities",
              headers=heads, formats={c: resources.FIELDS[c].fmt for c in PREDICTED if c in resources.FIELDS})


def groups(ctx: Context) -> None:
    pref = ctx.params["prefecture"]
    in_pref = set(ctx.load("cloud_group_members").query("prefecture == @pref")["group_id"])
    g = ctx.load("cloud_groups")
    g = g[g["group_id"].isin(in_pref)]
    ctx.markdown(ctx.t("groups_note", members_tag=ctx.tag(("cloud_groups", "members_population_2018_01_01_persons"))))
    if g.empty:
        ctx.markdown(ctx.t("no_groups"))
        return
    group_table(ctx, g, "groups_prefecture")


def position(ctx: Context) -> None:
    pref = ctx.params["prefecture"]
    shares = municipalities.joint_share_by_prefecture(ctx.load("municipalities"))
    ctx.figure(charts_published.prefecture_share(shares, pref, ctx.lang))
    if not ctx.simulated:
        stats = shares.merge(survey.by_prefecture(ctx.load("survey"), ctx.load("municipalities")), on="prefecture")
        ctx.figure(charts_survey.prefecture_cost(stats, pref, ctx.survey_label,
                                                 survey_caption(ctx.load("survey_input"), ctx.lang), ctx.lang),
                   ctx.caution)


def saving(ctx: Context) -> None:
    """Simulated survey: the saving as a line in the assumed effect. Real file: the model's saving over the
    prefecture's counterfactual municipalities in the supported classes, with its interval."""
    pref, model = ctx.params["prefecture"], ctx.params["model"]
    if ctx.simulated:
        line = ctx.load("model_assumed_saving")
        ctx.markdown(ctx.t("pref_saving_line_note", n=vocab.MIN_SUPPORT))
        if (line["area"] == pref).any():
            ctx.figure(charts_method.assumed_saving(line, pref, ctx.lang))
        else:
            ctx.markdown(ctx.t("pref_saving_none"))
        return
    s = ctx.load("model_counterfactual")
    s = s[(s["model"].isin([model, "ppml"])) & s["area"].isin([vocab.NATIONAL[0], pref])
          & s["class_id"].isna() & ~s["includes_extrapolation"]]
    s = s.assign(specification=s["model"].map(lambda m: ctx.pick(MODELS.get(m, (m, m)))))
    ctx.markdown(ctx.t("pref_saving_note", model=ctx.pick(MODELS.get(model, (model, model))), n=vocab.MIN_SUPPORT))
    ctx.table(s[["specification", "area", "counterfactual_municipalities", "counterfactual_cost_oku_yen",
                 "saving_oku_yen", "ci_low_oku_yen", "ci_high_oku_yen", "covariance"]],
              ctx.t("pref_saving_caption") + ctx.survey_tag, "pref_saving", caution=ctx.caution)


SECTIONS = (
    Section("h_pref_overview", overview),
    Section("h_pref_municipalities", municipalities_section),
    Section("h_groups", groups, (GROUP_LIST,)),
    Section("h_pref_position", position),
    Section("h_pref_saving", saving),
)
