"""Stage 6b, the national report's first section: what the published figures and real data imply.

No simulated number appears here (a test reads the tables each part loads). Each part is a sub-section:
the range of every class × status mean, the population-weighted bound, the chart's stray labels, the
reported savings, who joins (with the test on the later planned joins) and the projections.
"""

from __future__ import annotations

import pandas as pd

from jichitai_cloud.analysis import evidence, findings
from jichitai_cloud.clean import published
from jichitai_cloud.registry import vocab
from jichitai_cloud.report import charts_evidence, text
from jichitai_cloud.report.context import Context

WITHOUT, WITH = vocab.READINGS  # the two readings of 'single above none' under 20k


def section(ctx: Context) -> None:
    """The section: its introduction, then each part as a sub-section."""
    ctx.markdown(ctx.t("ev_intro"))
    cells(ctx)
    weighted(ctx)
    labels(ctx)
    savings(ctx)
    members(ctx)
    projections(ctx)


def cells(ctx: Context) -> None:
    """The range of each class × status mean the published figures allow, in both readings."""
    without, pinned = findings.reading_values(ctx.load)
    use_label = ctx.params["use_inferred_label"]
    gaps = ctx.load("evidence_gaps")
    ctx.subheading("ev_cells_h")
    ctx.markdown(ctx.t("ev_cells_note", without=without, pinned=pinned))
    cols = {"population_class": [ctx.class_label(c) for c in sorted(gaps["class_id"].unique())]}
    heads = {"population_class": ctx.t("population_class")}
    gap_cols = ("evidence_gaps", "gap_low_pct", "gap_high_pct")
    for name, reading, label, floor, head in (
            ("without", WITHOUT, False, False, ctx.t("ev_gap_without", without=without)),
            ("with", WITH, False, False, ctx.t("ev_gap_with", pinned=pinned)),
            ("floor", WITHOUT, False, True, ctx.t("ev_gap_floor")),
            ("label", WITHOUT, True, True, ctx.t("ev_gap_label"))):
        if name == "label" and not use_label:
            continue
        d = gaps[(gaps["reading"] == reading) & (gaps["inferred_label"] == label)
                 & (gaps["plausibility_floor"] == floor)].sort_values("class_id")
        cols[name] = [(ctx.range(r["gap_low_pct"], r["gap_high_pct"], unbounded_at=100.0)
                       if (r["label_used"] or name != "label") else "—") for _, r in d.iterrows()]
        heads[name] = head + ctx.tag(gap_cols, inferred=name == "label")
    ctx.table(pd.DataFrame(cols), ctx.t("ev_cells_caption") + ctx.tag(gap_cols), "ev_gaps", headers=heads,
              right=[h for h in heads if h != "population_class"])
    ctx.markdown(ctx.t("ev_interval_note"))
    ctx.figure(charts_evidence.identified_cells(ctx.load("evidence_cells"), ctx.load("published_cost_by_class"),
                                                WITHOUT, use_label, ctx.lang))


def weighted(ctx: Context) -> None:
    """What the per-municipality ordering says about population-weighted cost per resident."""
    w = ctx.load("evidence_weighted_bounds")
    ctx.subheading("ev_weighted_h")
    main = w[(w["pool"] == "list_2018") & (w["comparison"] == "not_joint")].sort_values("class_id")
    hits = [ctx.class_label(int(c)) for c in main.loc[main["informative"], "class_id"]]
    ctx.markdown(ctx.t("ev_weighted_note", informative=ctx.join(hits) or "—"))
    table = main.assign(population_class=[ctx.class_label(int(c)) for c in main["class_id"]],
                        gap_low_pct=main["gap_low_pct"].where(main["informative"]))[
        ["population_class", "municipalities", "survey_joint", "listed_members", "joint_mean_population_persons",
         "other_mean_population_persons", "ratio_high", "ratio_high_combined", "gap_low_pct", "informative"]]
    ctx.table(table, ctx.t("ev_weighted_caption") + ctx.tag(("evidence_weighted_bounds", *table.columns[1:])),
              "ev_weighted", table="evidence_weighted_bounds", headers={"population_class": ctx.t("population_class")})

    def informative(pool: str, comparison: str) -> str:
        rows = w[(w["pool"] == pool) & (w["comparison"] == comparison) & w["informative"]]
        return ctx.join(ctx.class_label(int(c)) for c in rows["class_id"]) or ctx.t("none_word")

    ctx.markdown(ctx.t("ev_weighted_more", any=informative("any_in_class", "not_joint"),
                       start=informative("start_years", "not_joint"), none=informative("list_2018", "none")))


def labels(ctx: Context) -> None:
    """Which cell each of the chart's stray labels fits, and the one inferred assignment."""
    a = ctx.load("evidence_label_assignments")
    floor = evidence.floor_ratio(ctx.load("case_study_savings"))
    inferred = a[a["inferred"]].drop_duplicates(["value_yen", "class_id", "cloud_status"])
    rob = ctx.load("evidence_label_robustness")
    rob = rob[(rob["reading"] == WITHOUT) & rob["unique"]].set_index("value_yen")
    said = "".join(ctx.t("ev_labels_inferred", value=r.value_as_written, cell=ctx.cell_name(r.class_id, r.cloud_status),
                         low=rob.loc[r.value_yen, "unique_floor_low"], high=rob.loc[r.value_yen, "unique_floor_high"])
                   for r in inferred.itertuples())
    ctx.subheading("ev_labels_h")
    ctx.markdown(ctx.t("ev_labels_note", labels=ctx.join(ctx.load("published_chart_labels")["value_as_written"],
                                                         "list_sep_semicolon"),
                       floor=floor, cut=1 - floor, inferred=said))
    rows = []
    star = ("" if ctx.lang == "ja" else " ") + "★"  # the inferred assignment
    for _, g in a[a["reading"] == WITHOUT].groupby("value_yen", sort=False):
        fits = g[g["plausible"]]
        arith = g[g["arithmetic"] & ~g["plausible"]]
        rows.append({"value_as_written": g["value_as_written"].iloc[0],
                     "fits": ctx.join((ctx.cell_name(r.class_id, r.cloud_status) + (star if r.inferred else "")
                                       for r in fits.itertuples()), "list_sep_semicolon") or "—",
                     "arith": ctx.join((ctx.cell_name(r.class_id, r.cloud_status) for r in arith.itertuples()),
                                       "list_sep_semicolon") or "—"})
    heads = {"value_as_written": ctx.t("ev_labels_value") + ctx.tag(("published_chart_labels", "value_as_written")),
             "fits": ctx.t("ev_labels_fits") + ctx.tag(("evidence_label_assignments", "plausible")),
             "arith": ctx.t("ev_labels_arith") + ctx.tag(("evidence_label_assignments", "arithmetic"))}
    ctx.table(pd.DataFrame(rows), ctx.t("ev_labels_caption") + ctx.tag(("evidence_label_assignments", "plausible",
                                                                        "arithmetic")), "ev_labels", headers=heads)
    ctx.figure(charts_evidence.label_fits(a, floor, WITHOUT, ctx.lang))


def savings(ctx: Context) -> None:
    """The groups' reported savings (censored bins) and the case studies'."""
    s = ctx.load("evidence_savings")
    ctx.subheading("ev_savings_h")
    groups = ctx.load("savings_56_groups")
    year, month = (int(x) for x in groups["as_of_month"].iloc[0].split("-"))
    ctx.markdown(ctx.t("ev_savings_note", groups=int(groups["groups"].sum()),
                       month=ctx.t("month", year=year, month=month)))
    table = s.assign(measure=s["measure"].map(lambda m: ctx.pick(text.SAVINGS_MEASURES[m])),
                     basis=s["basis"].map(lambda b: ctx.pick(text.SAVINGS_BASES[b])),
                     assumption=s["assumption_ja" if ctx.lang == "ja" else "assumption"])
    ctx.table(table[["measure", "basis", "groups", "lower_pct", "upper_pct", "assumption"]],
              ctx.t("ev_savings_caption") + ctx.tag(("evidence_savings", "lower_pct", "upper_pct")),
              "ev_savings", table="evidence_savings")
    ctx.figure(charts_evidence.case_savings(ctx.load("case_study_savings"), s, ctx.lang))


def members(ctx: Context) -> None:
    """Who joins: the membership logit's effects, the shares by class, the prefectures outside their range."""
    shares = ctx.load("evidence_membership_shares")
    all_rows = shares[shares["by"] == "all"].set_index("as_of")
    pub = ctx.load("published_status_counts")
    pub_joint = int(pub.loc[pub["cloud_status"] == "joint", "municipalities"].sum())
    n2017 = int(all_rows.loc[vocab.STATUS_DATE, "members"])
    ctx.subheading("ev_members_h")
    ctx.markdown(ctx.t("ev_members_note", n2017=n2017, pub=pub_joint, diff=n2017 - pub_joint))
    e = ctx.load("evidence_membership_effects")
    e = e[e["as_of"] == vocab.LIST_DATE]
    table = e.assign(change=e["change_ja" if ctx.lang == "ja" else "change_en"])[
        ["change", "ame_pct_points", "std_error_pct_points", "ci_low_pct_points", "ci_high_pct_points"]]
    ctx.table(table, ctx.t("ev_members_caption") + ctx.tag(("evidence_membership_effects", *table.columns[1:])),
              "ev_members", table="evidence_membership_effects")
    ctx.figure(charts_evidence.membership_by_class(shares, ctx.load("evidence_membership_predictions"),
                                                   ctx.load("municipalities"), ctx.lang))
    r = ctx.load("evidence_membership_prefecture_ranges")
    out = r[r["position"] != "within"].sort_values("prefecture", key=lambda p: p.map(
        {k: i for i, k in enumerate(vocab.PREFECTURES)}))
    level = float(r["range_level"].iloc[0])
    ctx.markdown(ctx.t("ev_ranges_note", tau=float(r["tau"].iloc[0]), n=len(r), outside=len(out), level=level,
                       chance=len(r) * (1 - level)))
    if not out.empty:
        cols = ["prefecture", "modelled_municipalities", "members", "expected_members", "range_low", "range_high",
                "prob_at_least_actual", "prob_at_most_actual", "position"]
        shown = out[cols].assign(position=out["position"].map(lambda p: ctx.pick(text.POSITIONS[p])))
        ctx.table(shown, ctx.t("ev_ranges_caption") + ctx.tag(("evidence_membership_prefecture_ranges", *cols[1:])),
                  "ev_ranges", table="evidence_membership_prefecture_ranges")
    validation(ctx)


def validation(ctx: Context) -> None:
    """The membership models tested on the later planned joins: discrimination, calibration, the chosen model."""
    v = ctx.load("evidence_membership_validation")
    head = v[(v["fit_as_of"] == vocab.LIST_DATE)].set_index("model")
    chosen = str(head.index[head["chosen"]][0])
    ctx.markdown(ctx.t("ev_validation_note", joiners=int(head["joiners"].iloc[0]),
                       municipalities=int(head["municipalities"].iloc[0]),
                       chosen=ctx.pick(vocab.VALIDATED_MODELS[chosen]), best=float(head["auc"].max()),
                       skill=float(head.loc[chosen, "brier_skill"])))
    cols = ["fit_as_of", "model", "municipalities", "joiners", "expected_joiners", "auc", "auc_ci_low", "auc_ci_high",
            "auc_diff_from_best", "diff_ci_low", "diff_ci_high", "brier", "chosen"]
    shown = v[cols].assign(model=v["model"].map(lambda m: ctx.pick(vocab.VALIDATED_MODELS[m])))
    ctx.table(shown, ctx.t("ev_validation_caption") + ctx.tag(("evidence_membership_validation", "auc", "joiners")),
              "ev_validation", table="evidence_membership_validation")
    ctx.figure(charts_evidence.calibration(ctx.load("evidence_membership_calibration"), v, vocab.LIST_DATE, ctx.lang))


def projections(ctx: Context) -> None:
    """Scenarios, not estimates: the new members' annual cost and what a rate would come to."""
    target = ctx.load("evidence_new_members").query("scenario == 'target_2023'")
    ctx.subheading("ev_proj_h")
    wide = published.adoption_wide(ctx.load("published_adoption"))
    actual = wide[wide["kind"] == "actual"].sort_values("as_of_date")
    rates = ctx.load("evidence_saving_rates")
    rep_rate = rates[rates["basis"] == "reported"].iloc[0]
    bounded = sorted(set(rates.loc[rates["rate_source"] == "published_figures", "class_id"]))
    ctx.markdown(ctx.t("ev_proj_note", rest=round(float(target["expected_others"].sum())),
                       start=int(actual["joint_cloud_municipalities"].iloc[-1]),
                       reported=ctx.range(rep_rate["rate_low_pct"], rep_rate["rate_high_pct"], 0) + "%",
                       bounded=ctx.join(ctx.class_label(int(c)) for c in bounded)))
    bases = ["reported", charts_evidence.gap_basis(WITHOUT), charts_evidence.gap_basis(WITH)]
    if ctx.params["use_inferred_label"]:
        bases.append(charts_evidence.gap_basis(WITHOUT, label=True))
    p = ctx.load("evidence_projections")
    p = p[p["class_id"].isna() & p["basis"].isin(bases)]
    cols = ["scenario", "basis", "rate_source", "new_members", "base_cost_low_oku_yen", "base_cost_high_oku_yen",
            "saving_low_oku_yen", "saving_high_oku_yen"]
    table = p.assign(scenario=p["scenario"].map(lambda x: ctx.pick(vocab.SCENARIO[x])),
                     basis=p["basis"].map(lambda b: ctx.pick(vocab.BASIS[b])),
                     rate_source=p["rate_source"].map(lambda r: ctx.pick(vocab.RATE_SOURCE[r])))[cols]
    ctx.table(table, ctx.t("ev_proj_caption") + ctx.tag(("evidence_projections", *cols[3:])),
              "ev_projections", table="evidence_projections")
    ctx.figure(charts_evidence.projection_bands(ctx.load("evidence_projections"), ctx.lang,
                                                ctx.params["use_inferred_label"]))
    floor = evidence.floor_ratio(ctx.load("case_study_savings"))
    ctx.markdown(ctx.t("ev_proj_floor_note", floor=floor, cut=1 - floor))
    ctx.figure(charts_evidence.projection_floor(ctx.load("evidence_projection_floor"), floor, lang=ctx.lang))
