"""Stage 6a, charts of the per-municipality survey (simulated unless a real file was configured).

Every title and caption carries the survey's label, so a simulated chart always says so, and a simulated
per-municipality value is never drawn beside a real name (it checks methods; it describes no place).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from jichitai_cloud.clean import published
from jichitai_cloud.registry import vocab
from jichitai_cloud.report import kinds
from jichitai_cloud.report.charts_base import (STATUS_COLORS, add_caption, anonymous, figure, plain_log_ticks, ready,
                                               say, simulated, status_names, survey_kind, survey_labels, thousands)
from jichitai_cloud.report.charts_published import CLASS_MEAN

_PLAIN = FuncFormatter(lambda v, _: f"{v:,.0f}")


def cost_per_resident_vs_population(survey: pd.DataFrame, input_label: str | None = None,
                                    caption: str | None = None, lang: str = "ja") -> Figure:
    """Each municipality's cost per resident against its population (log-log), coloured by status.

    ``survey``: rows of the ``survey`` table (any subset). ``input_label`` and ``caption``:
    from ``survey_label(info, lang, short=True)`` and ``survey_caption(info, lang)``; they go
    into the title and caption, so a simulated chart always says so.
    """
    ready(lang)
    input_label, caption = survey_labels(lang, input_label, caption)
    df = survey[survey["it_cost_yen"].notna()].copy()
    df["per_resident"] = df["it_cost_yen"].astype(float) / df["population_2017_01_01_persons"]
    names = status_names(lang)
    fig, ax = figure(8.0, 4.8)
    for code in vocab.STATUSES:
        sel = df[df["cloud_status"] == code]
        ax.scatter(sel["population_2017_01_01_persons"], sel["per_resident"], s=8, alpha=0.55,
                   color=STATUS_COLORS[code], label=f"{names[code]} ({len(sel):,})", linewidths=0)
    ax.set(xscale="log", yscale="log", title=f"{say('survey_title', lang)} {input_label}",
           xlabel=say("population_x", lang), ylabel=say("per_resident_log_y", lang))
    ax.yaxis.set_major_formatter(_PLAIN)
    ax.xaxis.set_major_formatter(_PLAIN)
    ax.legend(fontsize=8, markerscale=2)
    add_caption(fig, caption)
    return fig


def fitted_curves(data: pd.DataFrame, curves: pd.DataFrame, class_curve: pd.DataFrame, cost: pd.DataFrame,
                  input_label: str | None = None, caption: str | None = None,
                  lang: str = "ja", points: bool = True) -> Figure:
    """The fitted curve per status over the municipalities (log-log), beside the class-level curve.

    ``data``: models.model_frame rows; ``curves``: models.predict_curve; ``class_curve``:
    models.class_level_fitted; ``cost``: published_cost_by_class (its means as points).
    """
    ready(lang)
    input_label, caption = survey_labels(lang, input_label, caption)
    names = status_names(lang)
    fig, ax = figure(8.0, 4.8)
    for code in [c for c in STATUS_COLORS if c in set(curves["cloud_status"])]:
        sel = data[data["cloud_status"] == code]
        if points:  # not for simulated municipalities: a simulated point beside real populations invites reading
            ax.scatter(sel["population_2017_01_01_persons"], sel["cost_per_resident_yen"], s=5, alpha=0.25,
                       color=STATUS_COLORS[code], linewidths=0)
        c = curves[curves["cloud_status"] == code]
        ax.plot(c["population_persons"], c["fitted_cost_per_resident_yen"], color=STATUS_COLORS[code], lw=2,
                label=f"{names[code]} {input_label}")
    ax.plot(class_curve["population_persons"], class_curve["fitted_cost_per_resident_yen"], color="black", lw=1.5,
            ls="--", label=say("class_curve", lang))
    mean_pop = cost["population_thousand_persons"] * 1000.0 / cost["municipalities"]
    ax.scatter(mean_pop, cost["it_cost_per_resident_mean_yen"], marker="D", color="black", s=25, zorder=4,
               label=say("class_points", lang))
    ax.set(xscale="log", yscale="log", title=f"{say('fitted_title', lang)} {input_label}",
           xlabel=say("population_x", lang), ylabel=say("per_resident_log_y", lang))
    ax.yaxis.set_major_formatter(_PLAIN)
    ax.xaxis.set_major_formatter(_PLAIN)
    ax.legend(fontsize=7, loc="upper right")
    add_caption(fig, f"{caption}\n{say('geometric_note', lang)}")
    return fig


def residuals(fitted: pd.Series, resid: pd.Series, population: pd.Series, input_label: str | None = None,
              caption: str | None = None, lang: str = "ja") -> Figure:
    """Residuals against fitted values and against population: two panels."""
    ready(lang)
    input_label, caption = survey_labels(lang, input_label, caption)
    fig = Figure(figsize=(9.0, 3.8), layout="constrained")
    a1, a2 = fig.subplots(1, 2)
    a1.scatter(fitted, resid, s=5, alpha=0.4, color="#4c72b0", linewidths=0)
    a1.axhline(0, color="black", lw=0.8)
    a1.set(title=f"{say('resid_fitted_title', lang)} {input_label}", xlabel=say("fitted_x", lang),
           ylabel=say("residual_y", lang))
    a2.scatter(population, resid, s=5, alpha=0.4, color="#4c72b0", linewidths=0)
    a2.axhline(0, color="black", lw=0.8)
    a2.set(xscale="log", title=f"{say('resid_pop_title', lang)} {input_label}", xlabel=say("log_pop_x", lang),
           ylabel=say("residual_y", lang))
    a2.xaxis.set_major_formatter(_PLAIN)
    add_caption(fig, caption)
    return fig


def cooks_distance(top: pd.DataFrame, input_label: str | None = None, caption: str | None = None,
                   lang: str = "ja") -> Figure:
    """Horizontal bars of Cook's distance for the most influential municipalities (models.influence)."""
    ready(lang)
    input_label, caption = survey_labels(lang, input_label, caption)
    fig, ax = figure(7.0, 0.3 * len(top) + 1.4)
    if simulated(top):  # simulated influence beside a real name would be quotable
        labels = [say("with_status", lang, name=anonymous(p, lang), status=status_names(lang).get(s, s))
                  for p, s in zip(top["population_2017_01_01_persons"], top["cloud_status"])]
    else:  # a municipality by its name as written, after its prefecture (romaji in English)
        labels = [say("with_status", lang, name=f"{p}{n}" if lang == "ja" else f"{n} ({vocab.prefecture_name(p, lang)})",
                      status=status_names(lang).get(s, s))
                  for p, n, s in zip(top["prefecture"], top["name"], top["cloud_status"])]
    ax.barh(labels[::-1], top["cooks_distance"].to_numpy()[::-1], color="#4c72b0")
    ax.set(title=f"{say('cooks_title', lang)} {input_label}", xlabel=say("cooks_x", lang))
    add_caption(fig, caption)
    return fig


def prefecture_cost(stats: pd.DataFrame, highlight: str | None, input_label: str | None = None,
                    caption: str | None = None, lang: str = "ja") -> Figure:
    """Prefectures: joint-cloud share (real) against mean cost per resident (survey: labelled)."""
    ready(lang)
    input_label, caption = survey_labels(lang, input_label, caption)
    fig, ax = figure(7.5, 4.6)
    other = stats[stats["prefecture"] != highlight]
    ax.scatter(other["joint_cloud_share_pct"], other["cost_per_resident_mean_yen"], color="#4c72b0", s=22)
    sel = stats[stats["prefecture"] == highlight]
    if len(sel):
        ax.scatter(sel["joint_cloud_share_pct"], sel["cost_per_resident_mean_yen"], color="#c44e52", s=60, zorder=3)
        for r in sel.itertuples():
            ax.annotate(vocab.prefecture_name(r.prefecture, lang), (r.joint_cloud_share_pct, r.cost_per_resident_mean_yen), xytext=(5, 4),
                        textcoords="offset points", fontsize=9, color="#c44e52")
    ax.set(title=f"{say('pref_cost_title', lang)} {input_label}", xlabel=say("share_x", lang),
           ylabel=say("pref_cost_y", lang))
    thousands(ax)
    add_caption(fig, caption)
    return fig


def members_vs_comparables(table: pd.DataFrame, input_label: str | None = None, caption: str | None = None,
                           lang: str = "ja") -> Figure:
    """Each member's cost per resident (dot) and its similar-sized non-members' median (bar end)."""
    ready(lang)
    input_label, caption = survey_labels(lang, input_label, caption)
    d = table.sort_values("population_2017_01_01_persons")
    fig, ax = figure(7.5, max(3.2, 0.32 * len(d) + 1.8))
    ax.margins(x=0.15, y=0.25 if len(d) < 4 else 0.05)
    y = np.arange(len(d))
    ax.scatter(d["comparables_median_yen"], y, marker="|", s=220, color="#8c8c8c", label=say("compare_peers", lang))
    ax.scatter(d["cost_per_resident_yen"], y, color=STATUS_COLORS["joint"], s=30, zorder=3,
               label=say("compare_member", lang))
    if simulated(table) or "name" not in d.columns:  # simulated costs are never drawn beside a real name
        ticks = [anonymous(p, lang) for p in d["population_2017_01_01_persons"]]
    else:
        ticks = [say("named_population", lang, name=n, population=p)
                 for n, p in zip(d["name"], d["population_2017_01_01_persons"])]
    ax.set_yticks(y, ticks, fontsize=8)
    ax.set(xscale="log", title=f"{say('compare_title', lang)} {input_label}", xlabel=say("compare_x", lang))
    plain_log_ticks(ax.xaxis)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    add_caption(fig, caption)
    return fig


def class_averages(cost: pd.DataFrame, survey: pd.DataFrame, input_label: str | None = None,
                   caption: str | None = None, lang: str = "ja") -> Figure:
    """Published mean cost per resident by class beside the same mean computed from the survey rows given."""
    ready(lang)
    input_label, caption = survey_labels(lang, input_label, caption)
    df = survey[survey["it_cost_yen"].notna()]
    cls = df["population_2017_01_01_persons"].map(published.population_class_id)
    computed = (df["it_cost_yen"].astype(float) / df["population_2017_01_01_persons"]).groupby(cls).mean()
    labels = list(cost["population_class_ja"] if lang == "ja" else cost["population_class_en"])
    x = np.arange(len(cost))
    fig, ax = figure()
    ax.bar(x - 0.2, cost["it_cost_per_resident_mean_yen"], width=0.4, color="#4c72b0",
           label=kinds.label(lang, CLASS_MEAN))
    ax.bar(x + 0.2, [computed.get(c, np.nan) for c in cost["class_id"]], width=0.4, color="#dd8452",
           label=f"{say('class_avg_computed', lang)} {input_label}")
    ax.set_xticks(x, labels)
    tag = kinds.tag(lang, CLASS_MEAN, ("survey", "it_cost_yen"), survey_input=survey_kind(survey))
    ax.set(title=say("class_avg_title", lang) + tag, xlabel=say("class_x", lang), ylabel=say("per_resident_y", lang))
    thousands(ax)
    ax.legend(fontsize=8)
    add_caption(fig, caption)
    return fig


def prefecture_municipalities(costs: pd.DataFrame, input_label: str | None = None, caption: str | None = None,
                              lang: str = "ja") -> Figure:
    """A set of municipalities (e.g. one prefecture, from jc.municipality_costs): cost per resident
    against population, coloured by the survey's status, joint-cloud members of the 2018-04 list
    ringed, each named for a real survey (never for the simulated one)."""
    ready(lang)
    input_label, caption = survey_labels(lang, input_label, caption)
    names = status_names(lang)
    fig, ax = figure(8.0, 5.2)
    for code in vocab.STATUSES:
        sel = costs[costs["cloud_status"] == code]
        ax.scatter(sel["population_2017_01_01_persons"], sel["cost_per_resident_yen"], s=22,
                   color=STATUS_COLORS[code], label=names[code], zorder=3)
    member = costs[costs["joint_cloud_group_id"].notna()]
    ax.scatter(member["population_2017_01_01_persons"], member["cost_per_resident_yen"], s=70, facecolors="none",
               edgecolors="black", linewidths=0.8, label=say("pref_mun_member", lang), zorder=4)
    if not simulated(costs) and "name" in costs.columns:  # simulated costs are never drawn beside a real name
        for r in costs.itertuples():
            ax.annotate(r.name, (r.population_2017_01_01_persons, r.cost_per_resident_yen), fontsize=6,
                        xytext=(3, 2), textcoords="offset points", color="#333333")
    ax.set(xscale="log", yscale="log", title=f"{say('pref_mun_title', lang)} {input_label}",
           xlabel=say("population_x", lang), ylabel=say("per_resident_log_y", lang))
    plain_log_ticks(ax.xaxis)
    plain_log_ticks(ax.yaxis)
    ax.legend(fontsize=7)
    add_caption(fig, caption)
    return fig
