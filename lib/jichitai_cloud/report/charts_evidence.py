"""Stage 6a, charts of the evidence from the published figures and real data (no simulated number): the range
of each class × status mean, where the chart's stray labels fit, the reported savings, who joins, the
projections and the membership models' calibration."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from jichitai_cloud.registry import vocab
from jichitai_cloud.report import kinds, text
from jichitai_cloud.report.charts_base import (STATUS_COLORS, add_caption, class_labels, figure, ready, say,
                                               thousands)
from jichitai_cloud.report.charts_published import CLASS_MEAN

PREDICTED = ("evidence_membership_predictions", "predicted_probability")


def gap_basis(reading: str, label: bool = False) -> str:
    """A projection's basis for the class gap in ``reading`` (evidence_projections.basis)."""
    return f"class_gap_{reading}" + ("_label" if label else "")


def identified_cells(cells: pd.DataFrame, cost: pd.DataFrame, reading: str = vocab.DEFAULT_READING,
                     inferred_label: bool = False, lang: str = "ja") -> Figure:
    """The identified set of each class × status mean beside the published class mean.

    What the published figures alone allow is drawn: a cell they pin down (within the rounding, or under 1%
    of its value) is a marker with its value; a range is a bar; a range whose lower end is 0 (the figures
    give no lower bound) is dotted below its upper end, so that 0 cannot be read as an estimate. With
    ``inferred_label`` the cells the inferred chart label implies are laid over as hollow markers. The
    legend sits outside the axes. ``cells``: evidence_cells (no floor).
    """
    from matplotlib.lines import Line2D

    ready(lang)
    base = cells[(cells["reading"] == reading) & ~cells["plausibility_floor"]]
    sel = base[~base["inferred_label"]]
    overlay = base[base["inferred_label"] & base["label_used"]] if inferred_label else base.iloc[:0]
    pinned = {(r.class_id, r.cloud_status) for r in sel.itertuples()
              if r.upper_yen - r.lower_yen <= max(2.0, 0.01 * r.upper_yen)}
    overlay = overlay[np.array([(c, s) not in pinned for c, s in zip(overlay["class_id"], overlay["cloud_status"])],
                               dtype=bool)]
    fig, ax = figure(9.0, 4.8)
    offsets = {"joint": -0.24, "single": 0.0, "none": 0.24}
    for s, dx in offsets.items():
        _cell_ranges(ax, sel[sel["cloud_status"] == s], s, dx)
        for r in overlay[overlay["cloud_status"] == s].itertuples():
            mid, x = (r.lower_yen + r.upper_yen) / 2, r.class_id - 1 + dx
            ax.plot([x], [mid], marker="o", ms=9, mfc="none", mec="black", mew=1.2, ls="", zorder=4,
                    gid=f"inferred-{r.class_id}-{s}")
            ax.annotate(f"{mid:,.0f}", (x, mid), xytext=(9, -3), textcoords="offset points", fontsize=7)
    ax.scatter(cost["class_id"] - 1, cost["it_cost_per_resident_mean_yen"], marker="_", s=500, color="black", zorder=3)
    labels = class_labels(lang)
    ax.set_xticks(range(6), [labels[c] for c in vocab.CLASS_IDS], fontsize=8)
    kind = kinds.tag(lang, ("evidence_cells", "lower_yen", "upper_yen"), inferred=bool(len(overlay)))
    ax.set(title=say("cells_title", lang) + kind, ylabel=say("cells_y", lang))
    ax.set_ylim(bottom=0)
    thousands(ax)
    handles = [Line2D([], [], color=STATUS_COLORS[s], lw=6, label=vocab.status(s, lang)) for s in offsets]
    handles += [Line2D([], [], color="#555555", marker="o", ls="", label=say("cells_point", lang)),
                Line2D([], [], color="#555555", lw=1.4, ls=":", marker="v", ms=5, label=say("cells_unbounded", lang)),
                Line2D([], [], color="black", marker="_", ms=14, mew=2, ls="",
                       label=say("class_mean", lang) + kinds.tag(lang, CLASS_MEAN))]
    if len(overlay):
        handles.append(Line2D([], [], marker="o", ms=9, mfc="none", mec="black", ls="",
                              label=say("cells_inferred", lang)))
    ax.legend(handles=handles, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    add_caption(fig, say("cells_caption", lang, reading=vocab.pick(vocab.READING[reading], lang),
                         label=say("label_on", lang) if inferred_label else ""))
    return fig


def _cell_ranges(ax, rows: pd.DataFrame, status: str, dx: float) -> None:
    """One status's cells: pinned (a marker with its value), a range (a bar), or no lower bound (dotted)."""
    for r in rows.itertuples():
        x, color = r.class_id - 1 + dx, STATUS_COLORS[status]
        # pinned: within the published figures' rounding, or too narrow to see as a bar (under 1%)
        if r.upper_yen - r.lower_yen <= max(2.0, 0.01 * r.upper_yen):
            mid = (r.lower_yen + r.upper_yen) / 2
            ax.plot([x], [mid], marker="o", ms=7, color=color, ls="", gid=f"point-{r.class_id}-{status}")
            ax.annotate(f"{mid:,.0f}", (x, mid), xytext=(0, 6), textcoords="offset points", ha="center",
                        fontsize=7, color=color)
        elif r.lower_yen <= 1e-9:  # no lower bound from the figures
            ax.vlines(x, 0, r.upper_yen, color=color, lw=1.4, linestyles=":", gid=f"unbounded-{r.class_id}-{status}")
            ax.plot([x], [r.upper_yen], marker="v", ms=5, color=color, ls="")
        else:
            ax.vlines(x, r.lower_yen, r.upper_yen, color=color, lw=6, gid=f"range-{r.class_id}-{status}")


def label_fits(assignments: pd.DataFrame, floor: float, reading: str = vocab.DEFAULT_READING,
               lang: str = "ja") -> Figure:
    """Which cell each stray chart label fits: plausibly, arithmetically only, or not (a grid)."""
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    ready(lang)
    d = assignments[assignments["reading"] == reading]
    values = list(dict.fromkeys(d["value_yen"]))
    cols = [(c, s) for c in vocab.CLASS_IDS for s in vocab.STATUSES]
    grid = np.zeros((len(values), len(cols)))
    star = []
    for r in d.itertuples():
        i, j = values.index(r.value_yen), cols.index((r.class_id, r.cloud_status))
        grid[i, j] = 2 if r.plausible else (1 if r.arithmetic else 0)
        if r.inferred:
            star.append((j, i))
    fig, ax = figure(8.5, 3.4)
    ax.imshow(grid, cmap=ListedColormap(["#f2f2f2", "#a6c8e8", "#1f5f9e"]), vmin=0, vmax=2, aspect="auto")
    for j, i in star:
        ax.text(j, i, "★", ha="center", va="center", color="white", fontsize=11)
    ax.set_xticks(range(len(cols)), [vocab.pick(vocab.STATUS_SHORT[s], lang) for _, s in cols], fontsize=8)
    ax.set_yticks(range(len(values)), [say("yen_value", lang, value=v) for v in values], fontsize=8)
    for k in range(1, 6):
        ax.axvline(3 * k - 0.5, color="white", lw=3)
    for k, name in enumerate(class_labels(lang).values()):
        ax.text(3 * k + 1, -0.6, name, ha="center", va="bottom", fontsize=7)
    ax.grid(False)
    ax.legend(handles=[Patch(color="#1f5f9e", label=say("labels_plausible", lang)),
                       Patch(color="#a6c8e8", label=say("labels_arithmetic", lang)),
                       Patch(color="#f2f2f2", label=say("labels_none", lang))],
              fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.set_title(say("labels_title", lang) + kinds.tag(lang, ("evidence_label_assignments", "plausible", "arithmetic")),
                 pad=16)
    add_caption(fig, say("labels_caption", lang, reading=vocab.pick(vocab.READING[reading], lang), floor=floor,
                         cut=1 - floor))
    return fig


def case_savings(case_savings: pd.DataFrame, savings: pd.DataFrame, lang: str = "ja") -> Figure:
    """The seven case studies' stated savings by basis (marker), projected ones hollow, beside the range
    of the 56 groups' mean saving and the document's 3割 claim."""
    from matplotlib.lines import Line2D

    ready(lang)
    d = case_savings.copy()
    cases = sorted(d["case"].unique())
    markers = {"initial": "D", "running": "o", "total": "s", "unspecified": "^"}
    fig, ax = figure(8.0, 4.2)
    band = savings[(savings["measure"] == "mean_saving")]
    band_kind = ("evidence_savings", "lower_pct", "upper_pct")
    ax.axvspan(band["lower_pct"].min(), band["upper_pct"].max(), color="#55a868", alpha=0.15,
               label=say("cases_band", lang) + kinds.tag(lang, band_kind))
    ax.axvline(30, color="#c44e52", ls="--", lw=1, label=say("cases_claim", lang))
    handles = []
    for basis, m in markers.items():
        sel = d[d["cost_basis"] == basis]
        y = [cases.index(c) for c in sel["case"]]
        face = [("none" if p else "#4c72b0") for p in sel["projected"]]
        ax.scatter(sel["reduction_pct"], y, marker=m, s=45, facecolors=face, edgecolors="#4c72b0", zorder=3)
        handles.append(Line2D([], [], ls="", marker=m, color="#4c72b0", label=vocab.pick(text.COST_BASES[basis], lang)))
    titles = d.drop_duplicates("case").set_index("case")["section"]
    ax.set_yticks(range(len(cases)), [f"{c}. {titles[c]}"[:22] for c in cases], fontsize=7)
    ax.invert_yaxis()
    ax.set(title=say("cases_title", lang) + kinds.tag(lang, ("case_study_savings", "reduction_pct"), band_kind),
           xlabel=say("cases_x", lang), xlim=(0, 100))
    lines, _ = ax.get_legend_handles_labels()
    ax.legend(handles=lines + handles, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    add_caption(fig, say("cases_caption", lang) + " " + say("cases_projected", lang))
    return fig


def membership_by_class(shares: pd.DataFrame, predictions: pd.DataFrame, frame: pd.DataFrame,
                        lang: str = "ja") -> Figure:
    """Share of municipalities in a joint cloud by population class, on both dates, with the
    membership model's mean predicted probability (real data; the shares and the prediction derived)."""
    ready(lang)
    s = shares[shares["by"] == "class"]
    x = np.arange(6)
    fig, ax = figure(8.0, 4.2)
    for as_of, dx, color, key in ((vocab.LIST_DATE, -0.2, STATUS_COLORS["joint"], "members_list"),
                                  (vocab.STATUS_DATE, 0.2, "#9ecae1", "members_2017")):
        d = s[s["as_of"] == as_of].set_index("key").reindex([str(c) for c in vocab.CLASS_IDS])
        ax.bar(x + dx, d["share_pct"], width=0.4, color=color, label=say(key, lang))
    cls = frame.set_index("code")["population_class_id"]
    mean_p = 100 * predictions.groupby(predictions["code"].map(cls))["predicted_probability"].mean()
    ax.scatter(x, [mean_p.get(c, np.nan) for c in vocab.CLASS_IDS], color="black", marker="D", s=25, zorder=3,
               label=say("members_predicted", lang) + kinds.tag(lang, PREDICTED))
    ax.set_xticks(x, list(class_labels(lang).values()), fontsize=8)
    ax.set(title=say("members_title", lang) + kinds.tag(lang, ("evidence_membership_shares", "share_pct"), PREDICTED),
           ylabel=say("members_y", lang))
    ax.legend(fontsize=8)
    add_caption(fig, say("members_caption", lang))
    return fig


def projection_bands(projections: pd.DataFrame, lang: str = "ja", use_label: bool = True) -> Figure:
    """Annual cost and what a rate would come to (億円) for the new members, per scenario (panel): their cost,
    the reported rate applied to it, and the class gap where the published figures bound it. Where only the
    plausibility floor would bound it no bar is drawn: :func:`projection_floor` gives it by floor."""
    ready(lang)
    d = projections[projections["class_id"].isna()]
    rows = [("base", "reported", "all"), ("reported", "reported", "all"),
            ("gap_figures", gap_basis(vocab.DEFAULT_READING), "published_figures")]
    if use_label:
        rows.append(("gap_label", gap_basis(vocab.DEFAULT_READING, label=True), "inferred_label"))
    scenarios = list(dict.fromkeys(d["scenario"]))
    fig = Figure(figsize=(8.6, 1.2 + 0.42 * len(rows) * len(scenarios) + 0.9), layout="constrained")
    axes = np.atleast_1d(fig.subplots(len(scenarios), 1, sharex=True))
    names = [_row_name(key, lang) for key, _, _ in rows]
    for ax, scenario in zip(axes, scenarios):
        for k, (key, basis, source) in enumerate(rows):
            r = d[(d["scenario"] == scenario) & (d["basis"] == basis) & (d["rate_source"] == source)].iloc[0]
            what = "base_cost" if key == "base" else "saving"
            lo, hi = r[f"{what}_low_oku_yen"], r[f"{what}_high_oku_yen"]
            color = "#bbbbbb" if key == "base" else (STATUS_COLORS["joint"] if key != "reported" else "#55a868")
            ax.barh(k, hi - lo, left=lo, height=0.55, color=color, edgecolor=color, gid=f"band-{scenario}-{key}")
            ax.annotate(say("proj_band", lang, low=lo, high=hi, n=int(round(r["new_members"]))), (hi, k),
                        xytext=(4, 0), textcoords="offset points", va="center", fontsize=7)
        ax.set_yticks(range(len(rows)), names, fontsize=7)
        ax.invert_yaxis()
        ax.set_title(vocab.pick(vocab.SCENARIO[scenario], lang), fontsize=9, loc="left")
        ax.margins(x=0.18)
    fig.suptitle(say("proj_title", lang) + kinds.tag(lang, ("evidence_projections", "base_cost_low_oku_yen",
                                                            "saving_low_oku_yen")))
    axes[-1].set_xlabel(say("proj_x", lang))
    thousands(axes[-1], "x")
    add_caption(fig, say("proj_caption", lang) + " " + say("proj_floor_legend", lang))
    return fig


def _row_name(key: str, lang: str) -> str:
    """A projection row's name with its kind: the members' cost, or a rate applied (the inferred label's too)."""
    column = "base_cost_low_oku_yen" if key == "base" else "saving_low_oku_yen"
    return vocab.pick(text.PROJECTION_ROWS[key], lang) + kinds.tag(lang, ("evidence_projections", column),
                                                                   inferred=key == "gap_label")


def projection_floor(floor_table: pd.DataFrame, floor_used: float, scenario: str = "planned",
                     basis: str = gap_basis(vocab.DEFAULT_READING), lang: str = "ja") -> Figure:
    """The upper end of the class-gap saving band (億円 a year) as a function of the plausibility floor: the
    classes only the floor bounds, and those the published figures bound. The lower end is 0 for every floor
    (the figures give none), drawn dashed; the floor the evidence uses is marked, not chosen."""
    ready(lang)
    d = floor_table[(floor_table["scenario"] == scenario) & (floor_table["basis"] == basis)]
    fig, ax = figure(8.0, 4.2)
    for source, color in (("plausibility_floor", STATUS_COLORS["joint"]), ("published_figures", "#55a868")):
        g = d[(d["rate_source"] == source) & d["admitted"]].sort_values("floor_ratio")
        ax.plot(g["floor_ratio"], g["saving_high_oku_yen"], color=color, marker="o", ms=3,
                label=vocab.pick(text.FLOOR_PARTS[source], lang), gid=f"floor-{source}")
        ax.fill_between(g["floor_ratio"], 0, g["saving_high_oku_yen"], color=color, alpha=0.12)
    ax.axhline(0, color="black", lw=1.2, ls="--", label=say("proj_floor_zero", lang))
    ax.axvline(floor_used, color="#c44e52", lw=1, ls=":", label=say("proj_floor_used", lang, f=floor_used))
    ax.set(title=say("proj_floor_title", lang) + kinds.tag(lang, ("evidence_projection_floor", "saving_high_oku_yen")),
           xlabel=say("proj_floor_x", lang), ylabel=say("proj_x", lang), xlim=(0, 1))
    ax.set_ylim(bottom=-0.04 * max(1.0, float(d["saving_high_oku_yen"].max())))
    thousands(ax)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    add_caption(fig, say("proj_floor_caption", lang))
    return fig


def calibration(cal: pd.DataFrame, validation: pd.DataFrame, fit_as_of: str = vocab.LIST_DATE,
                lang: str = "ja") -> Figure:
    """Observed against predicted joiners by decile of each model's probability (the later planned joins), the
    chosen model drawn heavier, the diagonal for perfect calibration."""
    ready(lang)
    d = cal[(cal["fit_as_of"] == fit_as_of) & (cal["by"] == "decile")]
    v = validation[validation["fit_as_of"] == fit_as_of].set_index("model")
    fig, ax = figure(8.0, 4.6)
    top = float(max(d["predicted_joiners"].max(), d["observed_joiners"].max())) * 1.08
    ax.plot([0, top], [0, top], color="#999999", lw=1, ls="--", label=say("cal_diagonal", lang))
    for model, g in d.groupby("model", sort=False):
        chosen = bool(v.loc[model, "chosen"])
        label = say("cal_model", lang, name=vocab.pick(vocab.VALIDATED_MODELS[model], lang), auc=v.loc[model, "auc"])
        ax.plot(g["predicted_joiners"], g["observed_joiners"], marker="o", ms=4 if chosen else 3,
                lw=2.2 if chosen else 1.0, alpha=1.0 if chosen else 0.6, label=label, gid=f"calibration-{model}")
    ax.set(title=say("cal_title", lang) + kinds.tag(lang, ("evidence_membership_calibration", "predicted_joiners",
                                                          "observed_joiners")),
           xlabel=say("cal_x", lang), ylabel=say("cal_y", lang), xlim=(0, top), ylim=(0, top))
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    add_caption(fig, say("cal_caption", lang))
    return fig
