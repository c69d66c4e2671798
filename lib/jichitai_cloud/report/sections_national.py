"""Stage 6b, the national report's sections after the evidence: the published tables, the groups, the method
check on the survey (simulated unless a real file was configured) and the reconciliation."""

from __future__ import annotations

import json

import pandas as pd

from jichitai_cloud.clean import checks
from jichitai_cloud.clean import municipalities, published
from jichitai_cloud.registry import vocab
from jichitai_cloud.registry.field import UNITS
from jichitai_cloud.report import charts_method, charts_published, charts_survey, kinds, map_charts, text
from jichitai_cloud.report.context import MODELS, TERMS, Context, Section
from jichitai_cloud.report.sections_common import group_table
from jichitai_cloud.report import sections_evidence
from jichitai_cloud.report.sections_evidence import WITHOUT
from jichitai_cloud import survey
from jichitai_cloud.survey.labels import survey_caption, survey_caution

# Where the tags of these sections' headings come from.
TOTALS = ("published_survey_totals", "value_as_written")
STATUS_COUNTS = ("published_status_counts", "municipalities")
GROUP_LIST = ("cloud_groups", "name", "stated_members")


def totals(ctx: Context) -> None:
    """The survey's national figures: as the document writes them (ja), or as numbers with their unit (en)."""
    tot = ctx.load("published_survey_totals").set_index("item").loc[list(text.TOTAL_ITEMS)]
    if ctx.lang == "ja":
        df = pd.DataFrame({"item_label": [ctx.pick(text.TOTAL_ITEMS[i]) for i in tot.index],
                           "value_as_written": list(tot["value_as_written"])})
    else:
        def with_unit(item: str, unit: str) -> str:  # 'cost per resident (yen)', 'population (2017-01-01, persons)'
            label, unit = ctx.pick(text.TOTAL_ITEMS[item]), UNITS[unit][1] if unit != "municipalities" else ""
            if not unit:
                return label
            return label[:-1] + f", {unit})" if label.endswith(")") else f"{label} ({unit})"
        df = pd.DataFrame({"item_label": [with_unit(i, u) for i, u in zip(tot.index, tot["unit"])],
                           "value": [f"{v:,.0f}" for v in tot["value"]]})
    ctx.markdown(ctx.t("totals_note"))
    ctx.table(df, ctx.t("totals_caption") + ctx.tag(TOTALS), "survey_totals", right=["value"])


def cost_by_class(ctx: Context) -> None:
    cost = ctx.load("published_cost_by_class")
    label = "population_class_ja" if ctx.lang == "ja" else "population_class_en"
    figures = ["it_cost_total_oku_yen", "it_cost_per_resident_mean_yen", "it_cost_per_municipality_oku_yen",
               "municipalities", "population_thousand_persons"]
    computed = ["share_of_municipalities_pct", "share_of_it_cost_pct", "it_cost_per_resident_aggregate_yen"]
    derived = published.derived_by_class(cost)[[label, *computed]]
    ctx.table(cost[[label, *figures]], ctx.t("class_caption") + ctx.tag(("published_cost_by_class", *figures)),
              "cost_by_class", table="published_cost_by_class")
    ctx.table(derived, ctx.t("class_derived_caption") + ctx.tag((None, *computed)), "cost_by_class_derived")
    ctx.markdown(ctx.t("class_note", mean_tag=ctx.tag(("published_cost_by_class", "it_cost_per_resident_mean_yen")),
                       aggregate_tag=ctx.tag((None, "it_cost_per_resident_aggregate_yen"))))
    ctx.figure(charts_published.per_resident_by_class(cost, ctx.lang))


def status_counts(ctx: Context) -> None:
    st = ctx.load("published_status_counts")
    label = "population_class_ja" if ctx.lang == "ja" else "population_class_en"
    wide = st.pivot(index="class_id", columns="cloud_status", values="municipalities")[list(vocab.STATUS)]
    wide["total"] = wide.sum(axis=1)
    wide.insert(0, label, [ctx.class_label(i) for i in wide.index])
    ctx.markdown(ctx.t("status_note"))
    ctx.table(wide.reset_index(drop=True), ctx.t("status_caption") + ctx.tag(STATUS_COUNTS), "status_counts")
    ctx.figure(charts_published.status_counts_by_class(st, ctx.lang))


def adoption(ctx: Context) -> None:
    """Adoption over time and the targets (published); a single-cloud count the document does not state is
    computed (cloud − joint) and marked *, its kind the row's own (published.adoption_wide's provenance)."""
    wide = published.adoption_wide(ctx.load("published_adoption"))
    stated = ctx.kinds(("published_adoption", "value"))
    provenance = wide["single_cloud_municipalities_provenance"]
    starred = kinds.union(*(p for p in provenance.dropna() if p != stated))
    df = pd.DataFrame({
        "as_of": wide["as_of_date"].dt.strftime("%Y-%m-%d"),
        "kind_label": [ctx.pick(text.ADOPTION_KINDS[k]) for k in wide["kind"]],
        "cloud_municipalities": wide["cloud_municipalities"],
        "joint_cloud_municipalities": wide["joint_cloud_municipalities"],
        "single_cloud_municipalities": ["—" if pd.isna(v) else f"{int(v):,}" + (" *" if p in starred.split("+") else "")
                                        for v, p in zip(wide["single_cloud_municipalities"], provenance)],
        "joint_cloud_groups": wide["joint_cloud_groups"],
    })
    ctx.markdown(ctx.t("adoption_note", starred_tag=ctx.kind_tag(starred)))
    ctx.table(df, ctx.t("adoption_caption") + ctx.t("starred_tag", kind=ctx.kind_words(stated),
                                                    starred=ctx.kind_words(starred)),
              "adoption", right=["single_cloud_municipalities"])
    tracker = ctx.load("adoption_tracker")
    start = wide[(wide["kind"] == "actual") & (wide["as_of_date"] == pd.Timestamp(vocab.LIST_DATE))].iloc[0]
    ctx.markdown(ctx.t("tracker_note", cloud=int(start["cloud_municipalities"]),
                       joint=int(start["joint_cloud_municipalities"]),
                       tag=ctx.tag(("adoption_tracker", "joint_cloud_projected", "cloud_projected_low",
                                    "cloud_projected_high"))))
    cols = ["planned_joins_in_year", "joint_cloud_projected", "cloud_projected_low", "cloud_projected_high",
            "joint_cloud_target", "cloud_target"]
    ctx.table(tracker.assign(fiscal_year=tracker["fiscal_year"].astype(str))[["fiscal_year", *cols]],
              ctx.t("tracker_caption") + ctx.tag(("adoption_tracker", *cols)), "tracker")
    ctx.figure(charts_published.adoption(wide, ctx.lang, tracker))


def national_groups(ctx: Context) -> None:
    frame = ctx.load("municipalities")
    ctx.markdown(ctx.t("groups_map_note"))
    ctx.figure(map_charts.map_groups(frame, ctx.load("planned_joins"), ctx.lang))
    ctx.figure(map_charts.map_prefecture_share(municipalities.joint_share_by_prefecture(frame), ctx.lang))
    ctx.markdown(ctx.t("groups_note", members_tag=ctx.tag(("cloud_groups", "members_population_2018_01_01_persons"))))
    group_table(ctx, ctx.load("cloud_groups"), "groups_national")


def method(ctx: Context) -> None:
    """The stored standard models (fitted once by the build). On the simulated survey a check of the method:
    point estimates beside the assumed effects, the saving as a line in the assumed effect, no interval and
    no p-value. On a real file: coefficients with intervals, per-class savings with their support, PPML."""
    ctx.markdown(survey_caution(ctx.load("survey_input"), ctx.lang) + "\n\n" + ctx.t("reg_note"))
    if ctx.simulated:
        method_simulated(ctx)
    else:
        method_reported(ctx)
    class_level(ctx)


def _pinned_gap(ctx: Context) -> float:
    """The under-20k joint-cloud mean the simulation is pinned to, against that class's no-cloud mean (%)."""
    gaps = ctx.load("evidence_gaps")
    row = gaps[(gaps["class_id"] == 1) & gaps["inferred_label"] & gaps["plausibility_floor"]
               & (gaps["reading"] == WITHOUT) & gaps["label_used"]].iloc[0]
    return 100 * ((row["ratio_low"] + row["ratio_high"]) / 2 - 1)


def method_simulated(ctx: Context) -> None:
    params = json.loads(ctx.load("survey_input")["generator_params"].iloc[0])
    effect = params["joint_effect"]
    ctx.markdown(ctx.t("sim_generator", sigma=params["sigma"], slope=params["sigma_slope"],
                       tau_p=params["tau_prefecture"], tau_g=params["tau_group"], effect=effect))
    pinned = survey.small_joint_pin(bool(params.get("pin_inferred_label")), ctx.load("evidence_label_assignments"))
    if pinned is not None:
        gap = _pinned_gap(ctx)
        ctx.markdown(ctx.t("sim_pinned_note", label=int(pinned), gap=gap, effect=effect,
                           gap_tag=ctx.tag(("evidence_gaps", "ratio_low", "ratio_high"))))
    comparison = ctx.load("model_comparison")
    table = pd.DataFrame({
        "specification": comparison["model"].map(lambda m: ctx.pick(MODELS.get(m, (m, m)))),
        "assumed_pct": 100 * effect,
        "joint_effect_pct": comparison["joint_effect_pct"],
    })
    heads = {"assumed_pct": ctx.t("sim_assumed_pinned" if pinned is not None else "sim_assumed"),
             "joint_effect_pct": ctx.t("sim_estimated")}
    ctx.table(table, ctx.t("sim_recovery_caption") + ctx.survey_tag, "sim_recovery", caution=ctx.caution,
              headers=heads, formats={"assumed_pct": "{:+.0f}", "joint_effect_pct": "{:+.1f}"})
    if pinned is not None:
        ctx.markdown(ctx.t("sim_recovery_note", gap=gap, effect=effect))
    coverage(ctx)
    saving = ctx.load("model_counterfactual")
    sup = saving[(saving["model"] == "main") & (saving["area"] == vocab.NATIONAL[0]) & saving["class_id"].notna()]
    excluded = [ctx.class_label(c.class_id) for c in vocab.POPULATION_CLASSES
                if bool(sup.loc[sup["class_id"] == c.class_id, "extrapolation"].iloc[0])]
    ctx.markdown(ctx.t("sim_line_note", excluded=ctx.join(excluded) or "—", n=vocab.MIN_SUPPORT))
    ctx.figure(charts_method.assumed_saving(ctx.load("model_assumed_saving"), vocab.NATIONAL[0], ctx.lang))
    ctx.markdown(ctx.t("sim_study_note"))


def coverage(ctx: Context) -> None:
    """The build's small simulation study of the intervals: why a real file's default is prefecture-clustered."""
    cov = ctx.load("model_inference_coverage")
    by = cov.set_index("estimator")
    ctx.markdown(ctx.t("cov_note", draws=int(by["draws"].max()), hc3=float(by.loc["ols_hc3", "coverage"]),
                       cluster=float(by.loc["ols_cluster_prefecture", "coverage"]),
                       two_se=2 * float(by["coverage_mc_se"].max())))
    cov = cov.sort_values("estimator", key=lambda e: e.map({k: i for i, k in enumerate(vocab.INFERENCE)}))
    shown = cov.assign(estimator=cov["estimator"].map(lambda e: ctx.pick(vocab.INFERENCE[e])))[
        ["estimator", "covariance", "draws", "coverage", "coverage_mc_se", "bias"]]
    ctx.table(shown, ctx.t("cov_caption") + ctx.tag(("model_inference_coverage", "coverage")),
              "method_coverage", table="model_inference_coverage")


def method_reported(ctx: Context) -> None:
    # models imports statsmodels (0.4 s): imported here, so prefecture and group kernels start without it
    from jichitai_cloud.analysis import models

    model, tag, caution = ctx.params["model"], ctx.survey_tag, ctx.caution
    name = ctx.pick(MODELS.get(model, (model, model)))
    coefs = ctx.load("model_coefficients")
    table, hidden = models.visible_terms(coefs[coefs["model"] == model])
    table = table[["term", "estimate", "std_error", "ci_low", "ci_high", "p_value", "n", "covariance"]].copy()
    table["term"] = table["term"].map(lambda x: ctx.pick(TERMS.get(x, (x, x))))
    cap = ctx.t("reg_coef_caption", model=name) + tag + (ctx.t("fe_hidden", n=hidden) if hidden else "")
    ctx.table(table, cap, "reg_main", caution=caution)
    comparison = ctx.load("model_comparison")
    comparison = comparison.assign(model=comparison["model"].map(lambda m: ctx.pick(MODELS.get(m, (m, m)))),
                                   estimator=comparison["estimator"].map(
                                       lambda m: ctx.pick(vocab.ESTIMATORS.get(m, (m, m)))))
    ctx.table(comparison[["model", "estimator", "n", "parameters", "r_squared", "aic", "joint_effect_pct",
                          "joint_std_error", "covariance"]], ctx.t("reg_compare_caption") + tag, "reg_compare",
              caution=caution)
    saving = ctx.load("model_counterfactual")
    saving = saving[(saving["area"] == vocab.NATIONAL[0]) & saving["model"].isin([model, "ppml"])]
    saving = saving.assign(specification=saving["model"].map(lambda m: ctx.pick(MODELS.get(m, (m, m)))),
                           population_class=[ctx.class_label(int(c)) if pd.notna(c) else "—"
                                             for c in saving["class_id"]])
    ctx.markdown(ctx.t("reg_saving_note", n=vocab.MIN_SUPPORT))
    ctx.table(saving[["specification", "population_class", "joint_members", "extrapolation", "includes_extrapolation",
                      "counterfactual_municipalities", "counterfactual_cost_oku_yen", "saving_oku_yen",
                      "ci_low_oku_yen", "ci_high_oku_yen"]], ctx.t("reg_saving_caption") + tag, "reg_saving",
              caution=caution, headers={"population_class": ctx.t("population_class")})
    sens = ctx.load("model_membership_sensitivity")
    sens = sens.assign(estimator=sens["estimator"].map(lambda m: ctx.pick(vocab.ESTIMATORS.get(m, (m, m)))))
    ctx.table(sens[["estimator", "membership_as_of", "joint_members", "joint_effect_pct"]],
              ctx.t("reg_sensitivity_caption") + tag, "reg_sensitivity", caution=caution)
    coverage(ctx)
    data = models.model_frame(ctx.load("survey"), ctx.load("municipalities"))
    curves = ctx.load("model_fitted_curves")
    ctx.figure(charts_survey.fitted_curves(data, curves[curves["model"] == "main"],
                                           curves[curves["model"] == "class_level"],
                                           ctx.load("published_cost_by_class"), ctx.survey_label,
                                           survey_caption(ctx.load("survey_input"), ctx.lang), ctx.lang),
               caution)


def class_level(ctx: Context) -> None:
    fit = ctx.load("model_class_level_fit").iloc[0]
    ctx.markdown(ctx.t("class_level_note", j=fit["j_statistic"], df=int(fit["degrees_of_freedom"]),
                       within=int(fit["within_rounding"]), moments=int(fit["moments"]),
                       largest=fit["largest_gap_half_widths"]))
    mom = ctx.load("model_class_level_moments")
    table = mom.assign(moment=mom["moment"].map(lambda m: ctx.pick(text.MOMENTS[m])),
                       population_class=mom["class_id"].map(lambda c: ctx.class_label(int(c))))[
        ["population_class", "moment", "published", "fitted", "gap_half_widths"]]
    moments = "model_class_level_moments"
    heads = {"published": ctx.kind_words(ctx.kinds((moments, "published"))),
             "fitted": ctx.t("cl_fitted") + ctx.tag((moments, "fitted")),
             "gap_half_widths": ctx.t("cl_gap") + ctx.tag((moments, "gap_half_widths")),
             "moment": ctx.t("cl_moment"), "population_class": ctx.t("population_class")}
    ctx.table(table, ctx.t("reg_class_caption") + ctx.tag((moments, "published", "fitted", "gap_half_widths")),
              "reg_class", headers=heads,
              formats={"published": "{:,.0f}", "fitted": "{:,.1f}", "gap_half_widths": "{:+,.1f}"})
    ctx.figure(charts_method.class_level_fit(mom, ctx.lang))


def reconciliation(ctx: Context) -> None:
    rec = ctx.load("reconciliation")
    summary = checks.summary(rec)
    summary["topic"] = summary["topic"].map(lambda x: ctx.pick(vocab.TOPICS.get(x, (x, x))))
    ctx.markdown(ctx.t("rec_note") + " " + survey.reconciliation_note(ctx.load("survey_input"), ctx.lang))
    ctx.table(summary, ctx.t("rec_caption") + ctx.tag(("reconciliation", "difference")), "reconciliation_summary")
    bad = checks.mismatch_table(rec, ctx.lang)
    if len(bad):
        ctx.table(bad, ctx.t("rec_bad_caption") + ctx.tag(("reconciliation", "stated", "computed", "explanation")),
                  "reconciliation_mismatches")


SECTIONS = (
    Section("h_evidence", sections_evidence.section),
    Section("h_totals", totals, (TOTALS,)),
    Section("h_cost_by_class", cost_by_class),
    Section("h_status_counts", status_counts, (STATUS_COUNTS,)),
    Section("h_adoption", adoption),
    Section("h_groups", national_groups, (GROUP_LIST,)),
    Section("h_method", method),
    Section("h_reconciliation", reconciliation),
)
