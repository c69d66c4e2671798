import io

import matplotlib
import pytest
import seaborn as sns
from matplotlib.figure import Figure

from jichitai_cloud.report import charts_base, plots
from jichitai_cloud.clean import published
from jichitai_cloud.survey.labels import survey_caption, survey_label


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def test_font_is_set_after_the_theme():
    sns.set_theme()  # resets the font family
    plots.set_style()
    assert matplotlib.rcParams["font.family"] == [plots.FONT]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_charts_render_without_warnings(lang):
    """pytest turns warnings into errors, so a missing glyph fails here."""
    cost = published.cost_by_class()
    figs = [plots.per_resident_by_class(cost, lang),
            plots.status_counts_by_class(published.status_counts(), lang),
            plots.adoption(published.adoption_wide(published.adoption()), lang)]
    for fig in figs:
        assert isinstance(fig, Figure)
        assert _png(fig).startswith(b"\x89PNG")


def test_titles_say_where_the_numbers_come_from():
    fig = plots.status_counts_by_class(published.status_counts())
    assert "［公表値］" in fig.axes[0].get_title()
    assert any("出典：総務省" in t.get_text() for t in fig.texts)
    fig = plots.per_resident_by_class(published.cost_by_class())
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert any("公表値" in x for x in labels) and any("導出値" in x for x in labels)


def test_charts_accept_a_subset():
    cost = published.cost_by_class()
    fig = plots.per_resident_by_class(cost[cost["class_id"] >= 5])
    assert len(fig.axes[0].patches) == 2
    assert _png(fig)


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="lang must be one of"):
        plots.per_resident_by_class(published.cost_by_class(), lang="fr")


@pytest.mark.data
def test_survey_chart_says_simulated_in_title_and_caption():
    from jichitai_cloud.io import store

    info = store.read_table("survey_input")
    fig = plots.cost_per_resident_vs_population(store.read_table("survey"), survey_label(info, "ja", short=True),
                                                survey_caption(info, "ja"))
    assert "［シミュレーション］" in fig.axes[0].get_title()
    assert any("［シミュレーション］" in t.get_text() for t in fig.texts)
    assert _png(fig)


@pytest.mark.data
def test_exploration_charts_accept_subsets():
    import jichitai_cloud as jc

    costs = jc.municipality_costs(prefecture="鳥取県", simulated=True)
    fig = plots.prefecture_municipalities(costs)
    assert _png(fig) and not fig.axes[0].texts  # simulated costs: no names drawn
    assert _png(plots.class_averages(jc.load("published_cost_by_class"), jc.load("survey", simulated=True)))
    fig = plots.adoption(published.adoption_wide(published.adoption()), "en", jc.load("adoption_tracker"))
    assert "projected" in fig.axes[0].get_title() and _png(fig)


@pytest.mark.data
def test_captions_stay_inside_the_figure_on_a_plain_save():
    """Japanese captions have no spaces to wrap at: they must still fit the figure's width."""
    import jichitai_cloud as jc

    m = jc.load("cloud_group_members").query("group_id == 47")
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = plots.members_vs_comparables(jc.compare_with_similar(m, simulated=True))
    canvas = FigureCanvasAgg(fig)  # what a plain savefig to PNG uses
    canvas.draw()
    renderer = canvas.get_renderer()
    for text in fig.texts:
        box = text.get_window_extent(renderer)
        assert box.x1 <= fig.bbox.x1 + 1 and box.x0 >= fig.bbox.x0 - 1


def test_wrap_counts_full_width_characters():
    lines = charts_base.wrap("あ" * 30 + "abc", width_pt=80, fontsize=8)
    assert lines[0] == "あ" * 10 and "".join(lines) == "あ" * 30 + "abc"


@pytest.mark.data
@pytest.mark.parametrize("label", [True, False])
def test_the_ranges_chart_shows_the_under_20k_cells_and_keeps_its_legend_off_the_bars(processed, label):
    """What the figures alone allow is drawn: under 20k the single-cloud cell, pinned by them, is a marker at its
    value, joint and no cloud are bars; with the inferred label its cells are hollow markers over them (9,820 on
    the joint bar); a cell with no lower bound is dotted from 0; the legend sits right of the axes."""
    import numpy as np

    cells, cost = processed("evidence_cells"), processed("published_cost_by_class")
    fig = plots.identified_cells(cells, cost, "without_3", label, "ja")
    ax = fig.axes[0]
    sel = cells[(cells["reading"] == "without_3") & ~cells["inferred_label"] & ~cells["plausibility_floor"]
                & (cells["class_id"] == 1)].set_index("cloud_status")
    gids = {a.get_gid() for a in ax.lines} | {c.get_gid() for c in ax.collections}
    assert "point-1-single" in gids and {"range-1-joint", "range-1-none"} <= gids
    point = next(a for a in ax.lines if a.get_gid() == "point-1-single").get_ydata()[0]
    assert sel.loc["single", "lower_yen"] <= point <= sel.loc["single", "upper_yen"]
    bar = next(c for c in ax.collections if c.get_gid() == "range-1-joint").get_segments()[0]
    assert (bar[0][1], bar[1][1]) == pytest.approx((sel.loc["joint", "lower_yen"], sel.loc["joint", "upper_yen"]))
    inferred = {a.get_gid(): a for a in ax.lines if (a.get_gid() or "").startswith("inferred-1-")}
    if label:
        assert set(inferred) == {"inferred-1-joint", "inferred-1-none"}
        assert abs(inferred["inferred-1-joint"].get_ydata()[0] - 9820) <= 0.5
        assert any(t.get_text() == "9,820" for t in ax.texts) and ax.get_title().endswith("［導出値・推定］")
    else:
        assert not inferred and ax.get_title().endswith("［導出値］")
    dotted = [c for c in ax.collections if (c.get_gid() or "").startswith("unbounded-")]
    assert dotted and all(seg[0][1] == 0 for c in dotted for seg in c.get_segments())
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(fig).get_renderer()
    assert ax.get_legend().get_window_extent(renderer).x0 >= ax.get_window_extent(renderer).x1
    assert np.isclose(ax.get_ylim()[0], 0)


@pytest.mark.data
def test_projection_charts_draw_every_band_with_its_kind(processed):
    fig = plots.projection_bands(processed("evidence_projections"), "ja")
    gids = {p.get_gid() for ax in fig.axes for p in ax.patches}
    assert {"band-planned-base", "band-planned-reported", "band-target_2023-gap_figures"} <= gids
    assert not any(g.endswith("gap_floor") for g in gids)  # no floor-set amount drawn as a band
    assert fig._suptitle.get_text().endswith("［試算］")
    fig = plots.projection_floor(processed("evidence_projection_floor"), 0.3, lang="en")
    assert fig.axes[0].get_title().endswith("[scenario]")
    assert {line.get_gid() for line in fig.axes[0].lines} >= {"floor-plausibility_floor", "floor-published_figures"}


@pytest.mark.parametrize("gaps", [[0.4, 24, -230, 570, -480, -62], [-3, 0.5, 12, 1, -900, 2000]])
def test_the_class_level_chart_shows_every_bar_whole(gaps):
    """Issue 21: the tallest bar ran into the top of the frame. Every bar ends inside the axes, with room."""
    import pandas as pd

    from jichitai_cloud.report import charts_method, text

    moments = pd.DataFrame([{"moment": m, "class_id": c, "gap_half_widths": g * (1 if k == 0 else 0.5)}
                            for k, m in enumerate(text.CHART_MOMENTS) for c, g in zip(range(1, 7), gaps)])
    fig = charts_method.class_level_fit(moments, "en")
    ax = fig.axes[0]
    low, high = ax.get_ylim()
    heights = [bar.get_height() for bars in ax.containers for bar in bars]
    assert len(heights) == 12
    assert all(low < 2 * h < high for h in heights)  # twice the bar still fits: on a log scale, room above it
    matplotlib.pyplot.close(fig)
