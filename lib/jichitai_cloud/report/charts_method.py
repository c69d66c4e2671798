"""Stage 6a, charts of the method check: the simulation study (always labelled simulated), the saving as a
function of an assumed effect (a scenario, no interval) and the class-level model's fit to the published
figures."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from jichitai_cloud.registry import vocab
from jichitai_cloud.report import kinds, text
from jichitai_cloud.report.charts_base import STATUS_COLORS, add_caption, class_labels, figure, ready, say, thousands
from jichitai_cloud.report.charts_published import CLASS_AGGREGATE, CLASS_MEAN


def simulation_coverage(summary: pd.DataFrame, lang: str = "ja") -> Figure:
    """Coverage of each estimator's 95% interval by assumed effect (all draws), with Monte Carlo bands."""
    ready(lang)
    d = summary[summary["subset"] == "all"]
    fig, ax = figure(8.0, 4.2)
    for k, (est, g) in enumerate(d.groupby("estimator", sort=False)):
        g = g.sort_values("effect_pct")
        ax.plot(g["effect_pct"] + 0.4 * (k - 2), g["coverage"], marker="o", label=est)
    n = int(d["draws"].max())
    se = float(np.sqrt(0.95 * 0.05 / n))
    ax.axhline(0.95, color="black", ls="--", lw=1)
    ax.axhspan(0.95 - 2 * se, 0.95 + 2 * se, color="#cccccc", alpha=0.4)
    ax.set(title=say("sim_cov_title", lang) + kinds.tag(lang, ("simulation_summary", "coverage")),
           ylabel=say("sim_cov_y", lang), xlabel=say("sim_cov_x", lang))
    ax.legend(fontsize=7, loc="lower left")
    add_caption(fig, say("sim_cov_caption", lang, draws=n))
    return fig


def simulation_likelihood(summary: pd.DataFrame, lang: str = "ja") -> Figure:
    """Share of draws satisfying the published orderings (and near the inferred label) by assumed effect."""
    ready(lang)
    d = summary[summary["estimator"] == summary["estimator"].iloc[0]]
    fig, ax = figure(8.0, 4.0)
    for subset, key, color in (("orderings", "sim_like_orderings", STATUS_COLORS["joint"]),
                               ("inferred_label", "sim_like_label", "#c44e52")):
        g = d[d["subset"] == subset].sort_values("effect_pct")
        ax.plot(g["effect_pct"], g["share_of_draws"], marker="o", color=color, label=say(key, lang))
    ax.set(title=say("sim_like_title", lang) + kinds.tag(lang, ("simulation_summary", "share_of_draws")),
           ylabel=say("sim_like_y", lang), xlabel=say("sim_cov_x", lang), ylim=(0, 1))
    ax.legend(fontsize=8)
    add_caption(fig, say("sim_like_caption", lang))
    return fig


def assumed_saving(line: pd.DataFrame, area: str = vocab.NATIONAL[0], lang: str = "ja") -> Figure:
    """The saving as a function of an assumed effect on the non-members' whole cost: a band (their cost's
    range), the classes with enough joint-cloud members and, added on top, those with fewer (lighter). A
    scenario, not an estimate: no interval."""
    ready(lang)
    d = line[line["area"] == area]
    fig, ax = figure(7.6, 4.0)
    sup = d[~d["thin_support"]].sort_values("assumed_effect_pct")
    both = d.groupby("assumed_effect_pct")[["saving_low_oku_yen", "saving_high_oku_yen"]].sum().sort_index()
    x = sup["assumed_effect_pct"].to_numpy()
    ax.fill_between(x, sup["saving_low_oku_yen"], sup["saving_high_oku_yen"], color=STATUS_COLORS["joint"], alpha=0.6,
                    label=say("line_supported", lang, n=vocab.MIN_SUPPORT), gid="assumed-supported")
    ax.fill_between(both.index, both["saving_low_oku_yen"], both["saving_high_oku_yen"], color=STATUS_COLORS["joint"],
                    alpha=0.2, label=say("line_all", lang, n=vocab.MIN_SUPPORT), gid="assumed-all")
    title = say("line_title", lang) + kinds.tag(lang, ("model_assumed_saving", "saving_low_oku_yen"))
    where = vocab.prefecture_name(area, lang)  # 全国: Japan
    ax.set(title=say("title_where", lang, title=title, where=where), xlabel=say("line_x", lang),
           ylabel=say("line_y", lang))
    thousands(ax)
    ax.legend(fontsize=7, loc="upper right")
    add_caption(fig, say("line_caption", lang, population_tag=kinds.tag(lang, ("municipalities",
                                                                              "population_2017_01_01_persons")),
                         published=kinds.label(lang, CLASS_MEAN), cost_kind=kinds.label(lang, CLASS_AGGREGATE)))
    return fig


def class_level_fit(moments: pd.DataFrame, lang: str = "ja") -> Figure:
    """The class-level model's gaps from the published moments, in half rounding widths (±1 = within rounding)."""
    ready(lang)
    fig, ax = figure(8.0, 3.8)
    x = np.arange(6)
    for k, (moment, name) in enumerate(text.CHART_MOMENTS.items()):
        g = moments[moments["moment"] == moment].sort_values("class_id")
        ax.bar(x + 0.2 * (2 * k - 1), g["gap_half_widths"], width=0.4, label=vocab.pick(name, lang))
    ax.axhspan(-1, 1, color="#55a868", alpha=0.2)
    ax.axhline(0, color="black", lw=0.8)
    labels = class_labels(lang)
    ax.set_xticks(x, [labels[c] for c in vocab.CLASS_IDS], fontsize=8)
    ax.set_yscale("symlog", linthresh=1)
    # Room above the tallest bar (and below the deepest) on the log scale, so no bar runs into the frame.
    reach = max(2.0, float(np.nanmax(np.abs(moments["gap_half_widths"]))))
    ax.set_ylim(-reach * 5, reach * 5)
    ax.set(title=say("class_fit_title", lang) + kinds.tag(lang, ("model_class_level_moments", "published", "fitted",
                                                                "gap_half_widths")),
           ylabel=say("class_fit_y", lang))
    ax.legend(fontsize=8, loc="lower center", ncol=2)  # below the 100k-200k bar, clear of every bar
    return fig
