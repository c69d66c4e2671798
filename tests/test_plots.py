import io

import matplotlib
import pytest
import seaborn as sns
from matplotlib.figure import Figure

from jichitai_cloud import plots, published, vocab


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


def test_survey_chart_says_simulated_in_title_and_caption():
    from jichitai_cloud import store, survey

    info = store.read_table("survey_input")
    fig = plots.cost_per_resident_vs_population(store.read_table("survey"), vocab.survey_label(info, "ja", short=True),
                                                vocab.survey_caption(info, "ja"))
    assert "［シミュレーション］" in fig.axes[0].get_title()
    assert any("［シミュレーション］" in t.get_text() for t in fig.texts)
    assert _png(fig)


def test_exploration_charts_accept_subsets():
    import jichitai_cloud as jc

    costs = jc.municipality_costs(prefecture="鳥取県")
    assert _png(plots.prefecture_municipalities(costs))
    assert _png(plots.class_averages(jc.load("published_cost_by_class"), jc.load("survey")))
    fig = plots.adoption(published.adoption_wide(published.adoption()), "en", jc.load("adoption_tracker"))
    assert "projected" in fig.axes[0].get_title() and _png(fig)


def test_captions_stay_inside_the_figure_on_a_plain_save():
    """Japanese captions have no spaces to wrap at: they must still fit the figure's width."""
    import jichitai_cloud as jc

    m = jc.load("cloud_group_members").query("group_id == 47")
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = plots.members_vs_comparables(jc.compare_with_similar(m))
    canvas = FigureCanvasAgg(fig)  # what a plain savefig to PNG uses
    canvas.draw()
    renderer = canvas.get_renderer()
    for text in fig.texts:
        box = text.get_window_extent(renderer)
        assert box.x1 <= fig.bbox.x1 + 1 and box.x0 >= fig.bbox.x0 - 1


def test_wrap_counts_full_width_characters():
    lines = plots._wrap("あ" * 30 + "abc", width_pt=80, fontsize=8)
    assert lines[0] == "あ" * 10 and "".join(lines) == "あ" * 30 + "abc"
