"""Stage 6a, charts of the published tables and the group list: cost by class, status counts, adoption over
time with its targets and projection, and the prefectures' joint-cloud shares. Each returns a Figure whose
title carries the kinds of its figures, from the registry."""

from __future__ import annotations

import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from jichitai_cloud.clean import published
from jichitai_cloud.registry import vocab
from jichitai_cloud.report import kinds
from jichitai_cloud.report.charts_base import (STATUS_COLORS, add_caption, class_labels, figure, ready, say,
                                               status_names, thousands)

CLASS_MEAN = ("published_cost_by_class", "it_cost_per_resident_mean_yen")
CLASS_AGGREGATE = (None, "it_cost_per_resident_aggregate_yen")  # published.derived_by_class
SHARE = ("evidence_membership_shares", "share_pct")  # members ÷ municipalities, as joint_share_by_prefecture


def per_resident_by_class(cost: pd.DataFrame, lang: str = "ja") -> Figure:
    """Published mean cost per resident by class (bars) and the derived class aggregate (points).

    ``cost``: rows of ``published_cost_by_class`` (any subset of classes).
    """
    ready(lang)
    derived = published.derived_by_class(cost)
    labels = cost["population_class_ja"] if lang == "ja" else cost["population_class_en"]
    fig, ax = figure()
    sns.barplot(x=list(labels), y=list(cost["it_cost_per_resident_mean_yen"]), ax=ax,
                color="#4c72b0", label=say("per_resident_bar", lang) + kinds.tag(lang, CLASS_MEAN))
    ax.scatter(list(labels), list(derived["it_cost_per_resident_aggregate_yen"]), color="#c44e52",
               zorder=3, s=40, label=say("per_resident_point", lang) + kinds.tag(lang, CLASS_AGGREGATE))
    for x, v in enumerate(cost["it_cost_per_resident_mean_yen"]):
        ax.annotate(f"{v:,}", (x, v), ha="center", va="bottom", fontsize=8, xytext=(0, 2),
                    textcoords="offset points")
    ax.set(title=say("per_resident_title", lang) + kinds.tag(lang, CLASS_MEAN, CLASS_AGGREGATE),
           xlabel=say("class_x", lang), ylabel=say("per_resident_y", lang))
    thousands(ax)
    ax.legend(loc="upper right", fontsize=8)
    add_caption(fig, say("source_short", lang))
    return fig


def status_counts_by_class(status: pd.DataFrame, lang: str = "ja") -> Figure:
    """Municipalities per class and cloud status (published counts), grouped bars."""
    ready(lang)
    names = status_names(lang)
    df = status.copy()
    cls = class_labels(lang)
    df["class_label"] = df["class_id"].map(cls)
    df["status_label"] = df["cloud_status"].map(names)
    fig, ax = figure()
    sns.barplot(data=df, x="class_label", y="municipalities", hue="status_label",
                hue_order=[names[s] for s in vocab.STATUSES], order=[cls[i] for i in sorted(df["class_id"].unique())],
                palette=[STATUS_COLORS[s] for s in vocab.STATUSES], ax=ax)
    for container in ax.containers:
        ax.bar_label(container, fontsize=7, padding=1)
    ax.set(title=say("status_title", lang) + kinds.tag(lang, ("published_status_counts", "municipalities")),
           xlabel=say("class_x", lang), ylabel=say("status_y", lang))
    ax.legend(title=None, fontsize=8)
    add_caption(fig, say("source_short", lang))
    return fig


def adoption(adoption_wide: pd.DataFrame, lang: str = "ja", tracker: pd.DataFrame | None = None) -> Figure:
    """Cloud and joint-cloud municipalities on each 1 April 2014-2018 (published), with the targets and, with
    ``tracker`` (adoption_tracker), the projection from the planned joins.

    The 2018-03 actuals stated on the target slide are left to the table: a day apart
    from 2018-04-01, they would only crowd the line.
    """
    ready(lang)
    when = adoption_wide["as_of_date"]
    actual = adoption_wide[(adoption_wide["kind"] == "actual") & (when.dt.month == 4) & (when.dt.day == 1)]
    actual = actual.sort_values("as_of_date")
    fig, ax = figure(8.0, 4.4)
    for col, label, color in (("cloud_municipalities", say("cloud", lang), "#55a868"),
                              ("joint_cloud_municipalities", say("joint", lang), STATUS_COLORS["joint"])):
        sel = actual[actual[col].notna()]
        ax.plot(sel["as_of_date"], sel[col].astype(float), marker="o", color=color, label=label)
        for d, v in zip(sel["as_of_date"], sel[col]):
            ax.annotate(f"{int(v):,}", (d, float(v)), fontsize=7, xytext=(0, 5), textcoords="offset points",
                        ha="center")
        _targets(ax, adoption_wide[adoption_wide["kind"] == "target"], col, color, lang)
    stated = kinds.tag(lang, ("published_adoption", "value"))
    if tracker is None:
        title = say("adoption_title", lang) + stated
    else:
        _projection(ax, actual, tracker, lang)
        title = say("tracker_title", lang, actual_tag=stated, projected_tag=kinds.tag(
            lang, ("adoption_tracker", "joint_cloud_projected", "cloud_projected_low", "cloud_projected_high")))
    ax.set(title=title, ylabel=say("adoption_y", lang), xlabel=None)
    ax.set_ylim(0, 1800)
    thousands(ax)
    ax.legend(loc="upper left", fontsize=8)
    add_caption(fig, say("source_short", lang))
    return fig


def _targets(ax, targets: pd.DataFrame, col: str, color: str, lang: str) -> None:
    """The targets of ``col``: the old (before 2019, x) and the current (stars), each labelled."""
    tg = targets[targets[col].notna()]
    for d, v in zip(tg["as_of_date"], tg[col]):
        is_old = d < pd.Timestamp("2019-01-01")
        ax.scatter([d], [float(v)], marker="x" if is_old else "*", s=90, color=color, zorder=3)
        ax.annotate(f"{say('old_target' if is_old else 'target', lang)} {int(v):,}", (d, float(v)),
                    fontsize=7, xytext=(6, -10) if is_old else (-6, 6), textcoords="offset points",
                    ha="left" if is_old else "right")


def _projection(ax, actual: pd.DataFrame, tracker: pd.DataFrame, lang: str) -> None:
    """From 2018-04-01: the joint-cloud projection (dashed) and the cloud total's range (band)."""
    start_date = pd.Timestamp(vocab.LIST_DATE)
    start = actual[actual["as_of_date"] == start_date].iloc[0]
    dates = [start_date, *tracker["as_of_date"]]
    joint = [float(start["joint_cloud_municipalities"]), *tracker["joint_cloud_projected"].astype(float)]
    ax.plot(dates, joint, ls="--", color=STATUS_COLORS["joint"], label=say("projected_joint", lang))
    low = [float(start["cloud_municipalities"]), *tracker["cloud_projected_low"].astype(float)]
    high = [float(start["cloud_municipalities"]), *tracker["cloud_projected_high"].astype(float)]
    ax.fill_between(dates, low, high, color="#55a868", alpha=0.18, label=say("projected_cloud", lang))
    end = tracker.iloc[-1]
    ax.annotate(f"{int(end['joint_cloud_projected']):,}", (end["as_of_date"], float(end["joint_cloud_projected"])),
                fontsize=7, xytext=(4, -3), textcoords="offset points")


def prefecture_share(shares: pd.DataFrame, highlight: str | None = None, lang: str = "ja") -> Figure:
    """Share of municipalities in a joint cloud by prefecture (municipalities.joint_share_by_prefecture)."""
    ready(lang)
    d = shares.sort_values("joint_cloud_share_pct")
    fig, ax = figure(7.5, 9.0)
    colors = ["#c44e52" if p == highlight else "#4c72b0" for p in d["prefecture"]]
    ax.barh([vocab.prefecture_name(p, lang) for p in d["prefecture"]], d["joint_cloud_share_pct"], color=colors)
    ax.set(title=say("share_title", lang) + kinds.tag(lang, SHARE), xlabel=say("share_x", lang), ylabel=None)
    ax.tick_params(axis="y", labelsize=7)
    ax.margins(y=0.005)
    add_caption(fig, say("share_caption", lang, tag=kinds.bare(lang, SHARE)))
    return fig
