"""Stage 5, plots: one shared style with Japanese glyphs, and chart functions that return a Figure.

Figures are built with ``matplotlib.figure.Figure`` (not pyplot), so nothing is drawn
twice in a notebook and no global state leaks between charts: end a cell with the
returned figure to show it. Every chart says in its title or caption where its
numbers come from (published / derived / simulated).
"""

from __future__ import annotations

import matplotlib
import matplotlib_fontja
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from jichitai_cloud.clean import published
from jichitai_cloud.registry import vocab

STATUS_COLORS = {"joint": "#1f77b4", "single": "#ff7f0e", "none": "#8c8c8c", "not_joint": "#8c8c8c"}
FONT = "IPAexGothic"  # bundled with matplotlib-fontja

# Chart text: (Japanese, English) pairs, one per key, so the languages cannot drift.
_PAIRS: dict[str, tuple[str, str]] = {
    "source_short": ("出典：総務省「自治体クラウドの導入促進の取組」（平成30年度）", "Source: MIC, 「自治体クラウドの導入促進の取組」 (FY2018)"),
    "published": ("公表値", "published"),
    "derived": ("導出値", "derived"),
    "per_resident_title": ("人口規模区分別 住民一人当たり情報システム経費（平成29年度当初予算）［公表値・導出値］",
                           "IT-system cost per resident by population class (FY2017 initial budgets) [published, derived]"),
    "per_resident_y": ("円／人", "yen per resident"),
    "per_resident_bar": ("区分内の団体平均［公表値］", "mean over municipalities [published]"),
    "per_resident_point": ("区分総経費÷区分人口［導出値］", "class total ÷ class population [derived]"),
    "class_x": ("人口規模区分", "population class"),
    "status_title": ("人口規模区分別・クラウド導入状況別の団体数［公表値］", "Municipalities by population class and cloud status [published]"),
    "status_y": ("団体数", "municipalities"),
    "adoption_title": ("クラウド導入市区町村数の推移と目標［公表値］", "Municipalities using cloud systems, and targets [published]"),
    "adoption_y": ("団体数", "municipalities"),
    "cloud": ("クラウド導入（自治体クラウド＋単独クラウド）", "cloud (joint + single)"),
    "joint": ("うち自治体クラウド", "of which joint cloud"),
    "target": ("目標（約）", "target (approx.)"),
    "old_target": ("旧目標（約）", "old target (approx.)"),
    "projected_joint": ("自治体クラウドの見込み（加入予定から導出）", "joint cloud, projected from planned joins"),
    "projected_cloud": ("クラウド導入の見込みの範囲（導出値）", "cloud, projected range (derived)"),
    "tracker_title": ("クラウド導入市区町村数：実績［公表値］、加入予定からの見込み［導出値］と目標",
                      "Cloud municipalities: actual [published], projected from planned joins [derived], targets"),
    "class_avg_title": ("人口規模区分別 住民一人当たり経費の団体平均：公表値と市区町村別データからの計算値",
                        "Mean cost per resident by population class: published and computed from the survey"),
    "class_avg_published": ("公表値", "published"),
    "class_avg_computed": ("市区町村別データから計算", "computed from the per-municipality data"),
    "pref_mun_title": ("市区町村別 住民一人当たり経費と人口", "Municipalities: cost per resident and population"),
    "survey_title": ("住民一人当たり経費と人口（市区町村別、平成29年度当初予算）",
                     "Cost per resident against population (municipalities, FY2017 budgets)"),
    "population_x": ("人口（平成29年1月1日、対数目盛）", "population on 2017-01-01 (log scale)"),
    "per_resident_log_y": ("住民一人当たり経費（円、対数目盛）", "cost per resident (yen, log scale)"),
    "fitted_title": ("推定曲線：住民一人当たり経費と人口", "Fitted curves: cost per resident against population"),
    "geometric_note": ("曲線は推定された対数値の指数（幾何平均）で、算術平均である区分平均より低くなる。",
                       "Curves are exp(fitted log): geometric means, below arithmetic class means."),
    "class_curve": ("区分別モデル（公表値のみ）", "class-level model (published only)"),
    "class_points": ("公表された区分平均", "published class means"),
    "resid_fitted_title": ("残差と推定値", "Residuals against fitted values"),
    "resid_pop_title": ("残差と人口", "Residuals against population"),
    "fitted_x": ("推定値（対数）", "fitted (log)"),
    "residual_y": ("残差（対数）", "residual (log)"),
    "log_pop_x": ("人口（対数目盛）", "population (log scale)"),
    "cooks_title": ("影響の大きい市区町村（Cookの距離）", "Most influential municipalities (Cook's distance)"),
    "share_title": ("自治体クラウドに参加する市区町村の割合（都道府県別、平成30年4月）［導出値］",
                    "Share of municipalities in a joint cloud, by prefecture (2018-04) [derived]"),
    "share_x": ("自治体クラウド参加団体の割合（%）", "share in a joint cloud (%)"),
    "share_caption": ("［導出値］総務省「自治体クラウドの導入促進の取組」のグループ一覧（平成30年4月）の構成団体数÷市区町村数",
                      "[derived] members in the group list of MIC 「自治体クラウドの導入促進の取組」 (2018-04) ÷ municipalities"),
    "pref_cost_title": ("都道府県別：自治体クラウド参加割合と住民一人当たり経費", "Prefectures: joint-cloud share and cost per resident"),
    "pref_cost_y": ("住民一人当たり経費の団体平均（円）", "mean cost per resident over municipalities (yen)"),
    "compare_title": ("構成団体と同規模の非参加団体の住民一人当たり経費", "Members against non-members of similar size: cost per resident"),
    "compare_member": ("構成団体", "member"),
    "compare_peers": ("人口が2倍以内の非参加団体の中央値", "median of non-members within a factor 2 of population"),
    "compare_x": ("住民一人当たり経費（円、対数目盛）", "cost per resident (yen, log scale)"),
}

_styled = False


def set_style() -> None:
    """Seaborn theme, then the Japanese font (set_theme resets fonts, so the order matters).

    Every notebook calls this once; chart functions call it if nobody has.
    """
    global _styled
    _inline_in_kernel()
    sns.set_theme(style="whitegrid", context="notebook", font_scale=0.9)
    matplotlib_fontja.japanize()
    matplotlib.rcParams.update({
        "font.family": FONT,
        "axes.unicode_minus": False,  # IPAexGothic's minus sign renders; keep ASCII for copy-paste
        "figure.dpi": 100,
        "savefig.dpi": 100,
    })
    _styled = True


def _inline_in_kernel() -> None:
    """In a Jupyter kernel, make Figure objects display as PNG (the inline backend).

    ipykernel only registers the PNG formatter once pyplot creates a figure; our charts
    are built without pyplot, so activate it here, before the theme and font are set.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency
        return
    ip = get_ipython()
    if ip is not None and type(ip).__name__ == "ZMQInteractiveShell":
        ip.run_line_magic("matplotlib", "inline")
        # Every chart lays itself out (constrained layout, captions inside the figure): the inline
        # backend's default bbox_inches="tight" would draw each figure a second time to crop it.
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("png", bbox_inches=None)


def _text(lang: str) -> dict:
    """Every chart text in one language (validates ``lang``; applies the style once)."""
    if lang not in vocab.LANGS:
        raise ValueError(f"lang must be one of {sorted(vocab.LANGS)}, got {lang!r}")
    if not _styled:
        set_style()
    return {k: vocab.pick(pair, lang) for k, pair in _PAIRS.items()}


def _survey_labels(lang: str, input_label: str | None, caption: str | None) -> tuple[str, str]:
    """The simulated/reported label and caption of the current build's survey, unless given."""
    if input_label is None or caption is None:
        from jichitai_cloud.io import store

        info = store.read_table("survey_input")
        input_label = vocab.survey_label(info, lang, short=True) if input_label is None else input_label
        caption = vocab.survey_caption(info, lang) if caption is None else caption
    return input_label, caption


def _simulated(table: pd.DataFrame) -> bool:
    """Whether a frame of survey rows is simulated: its ``survey_input`` attribute, else the current build's.
    Simulated per-municipality values are drawn without names (they check methods, never describe a place)."""
    kind = table.attrs.get("survey_input")
    if kind is None:
        from jichitai_cloud.io import store

        kind = store.read_table("survey_input")["input"].iloc[0]
    return kind == "simulated"


def _anonymous(population, lang: str) -> str:
    return f"人口{int(population):,}" if lang == "ja" else f"population {int(population):,}"


def _figure(width: float = 8.0, height: float = 4.2) -> tuple[Figure, object]:
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.subplots()


def _wrap(text: str, width_pt: float, fontsize: float = 8.0) -> list[str]:
    """Break text into lines that fit ``width_pt``, at word boundaries: between any two full-width
    characters (Japanese has no spaces) and at spaces, never inside a Latin word or number.
    Full-width characters count a full em, others about half (matplotlib's own wrapping breaks
    only at spaces)."""
    import re
    import unicodedata

    def width(s: str) -> float:
        return sum(fontsize * (1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.56) for ch in s)

    lines = []
    for paragraph in text.split("\n"):
        # tokens: one full-width character, or a run of other non-space characters, or spaces
        tokens = re.findall(r"[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]|[^\s\u3000-\u30ff\u3400-\u9fff"
                            r"\uf900-\ufaff\uff00-\uffef]+|\s+", paragraph)
        line = ""
        for tok in tokens:
            if line and width(line + tok) > width_pt and not tok.isspace():
                lines.append(line.rstrip())
                line = ""
            if not line and tok.isspace():
                continue
            line += tok
        lines.append(line.rstrip())
    return lines


def _caption(fig: Figure, text: str) -> None:
    """A caption under the chart, wrapped to the figure's width, with room kept for it."""
    width_pt, height_pt = fig.get_figwidth() * 72, fig.get_figheight() * 72
    lines = _wrap(text, width_pt * 0.96)
    bottom = min(0.4, (len(lines) * 10.5 + 6) / height_pt)
    fig.get_layout_engine().set(rect=(0, bottom, 1, 1 - bottom))
    fig.text(0.01, 0.01, "\n".join(lines), ha="left", va="bottom", fontsize=8, color="#444444")


def _thousands(ax, axis: str = "y") -> None:
    fmt = FuncFormatter(lambda v, _: f"{v:,.0f}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def _plain_log_ticks(axis) -> None:
    """Log-scale ticks written as plain numbers (no 6×10³): at 1, 2 and 5 times powers of ten,
    or, over a narrow range (less than a factor 5, where that gives too few), at a few round values.

    Call after the data are plotted: the choice depends on the axis's range.
    """
    from matplotlib.ticker import LogLocator, MaxNLocator, NullFormatter, NullLocator

    axis.axes.autoscale_view()
    low, high = sorted(axis.get_view_interval())
    if low > 0 and high / low < 5:
        axis.set_major_locator(MaxNLocator(nbins=4))
        axis.set_minor_locator(NullLocator())
    else:
        axis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    axis.set_minor_formatter(NullFormatter())


def _status_names(lang: str) -> dict[str, str]:
    """joint / single / none (and not_joint) -> their names in the report language (as the survey writes them)."""

    return {code: vocab.pick(pair, lang) for code, pair in {**vocab.STATUS, "not_joint": vocab.NOT_JOINT}.items()}


def per_resident_by_class(cost: pd.DataFrame, lang: str = "ja") -> Figure:
    """Published mean cost per resident by class (bars) and the derived class aggregate (points).

    ``cost``: rows of ``published_cost_by_class`` (any subset of classes).
    """
    t = _text(lang)
    derived = published.derived_by_class(cost)
    labels = cost["population_class_ja"] if lang == "ja" else cost["population_class_en"]
    fig, ax = _figure()
    sns.barplot(x=list(labels), y=list(cost["it_cost_per_resident_mean_yen"]), ax=ax,
                color="#4c72b0", label=t["per_resident_bar"])
    ax.scatter(list(labels), list(derived["it_cost_per_resident_aggregate_yen"]), color="#c44e52",
               zorder=3, s=40, label=t["per_resident_point"])
    for x, v in enumerate(cost["it_cost_per_resident_mean_yen"]):
        ax.annotate(f"{v:,}", (x, v), ha="center", va="bottom", fontsize=8, xytext=(0, 2),
                    textcoords="offset points")
    ax.set(title=t["per_resident_title"], xlabel=t["class_x"], ylabel=t["per_resident_y"])
    _thousands(ax)
    ax.legend(loc="upper right", fontsize=8)
    _caption(fig, t["source_short"])
    return fig


def status_counts_by_class(status: pd.DataFrame, lang: str = "ja") -> Figure:
    """Municipalities per class and cloud status (published counts), grouped bars."""
    t = _text(lang)
    order = [s[0] for s in published.STATUSES]
    names = _status_names(lang)
    df = status.copy()
    cls = {c.class_id: (c.label_ja if lang == "ja" else c.label_en) for c in published.POPULATION_CLASSES}
    df["class_label"] = df["class_id"].map(cls)
    df["status_label"] = df["cloud_status"].map(names)
    fig, ax = _figure()
    sns.barplot(data=df, x="class_label", y="municipalities", hue="status_label",
                hue_order=[names[s] for s in order], order=[cls[i] for i in sorted(df["class_id"].unique())],
                palette=[STATUS_COLORS[s] for s in order], ax=ax)
    for container in ax.containers:
        ax.bar_label(container, fontsize=7, padding=1)
    ax.set(title=t["status_title"], xlabel=t["class_x"], ylabel=t["status_y"])
    ax.legend(title=None, fontsize=8)
    _caption(fig, t["source_short"])
    return fig


def adoption(adoption_wide: pd.DataFrame, lang: str = "ja", tracker: pd.DataFrame | None = None) -> Figure:
    """Cloud and joint-cloud municipalities on each 1 April 2014-2018 (published), with the targets.

    The 2018-03 actuals stated on the target slide are left to the table: a day apart
    from 2018-04-01, they would only crowd the line.
    """
    t = _text(lang)
    when = adoption_wide["as_of_date"]
    actual = adoption_wide[(adoption_wide["kind"] == "actual") & (when.dt.month == 4) & (when.dt.day == 1)]
    actual = actual.sort_values("as_of_date")
    targets = adoption_wide[adoption_wide["kind"] == "target"]
    fig, ax = _figure(8.0, 4.4)
    for col, label, color in (("cloud_municipalities", t["cloud"], "#55a868"),
                              ("joint_cloud_municipalities", t["joint"], STATUS_COLORS["joint"])):
        sel = actual[actual[col].notna()]
        ax.plot(sel["as_of_date"], sel[col].astype(float), marker="o", color=color, label=label)
        for d, v in zip(sel["as_of_date"], sel[col]):
            ax.annotate(f"{int(v):,}", (d, float(v)), fontsize=7, xytext=(0, 5), textcoords="offset points",
                        ha="center")
        tg = targets[targets[col].notna()]
        for d, v in zip(tg["as_of_date"], tg[col]):
            is_old = d < pd.Timestamp("2019-01-01")
            ax.scatter([d], [float(v)], marker="x" if is_old else "*", s=90, color=color, zorder=3)
            ax.annotate(f"{t['old_target'] if is_old else t['target']} {int(v):,}", (d, float(v)),
                        fontsize=7, xytext=(6, -10) if is_old else (-6, 6), textcoords="offset points",
                        ha="left" if is_old else "right")
    if tracker is not None:
        start = actual[actual["as_of_date"] == pd.Timestamp("2018-04-01")].iloc[0]
        dates = [pd.Timestamp("2018-04-01"), *tracker["as_of_date"]]
        joint = [float(start["joint_cloud_municipalities"]), *tracker["joint_cloud_projected"].astype(float)]
        ax.plot(dates, joint, ls="--", color=STATUS_COLORS["joint"], label=t["projected_joint"])
        low = [float(start["cloud_municipalities"]), *tracker["cloud_projected_low"].astype(float)]
        high = [float(start["cloud_municipalities"]), *tracker["cloud_projected_high"].astype(float)]
        ax.fill_between(dates, low, high, color="#55a868", alpha=0.18, label=t["projected_cloud"])
        end = tracker.iloc[-1]
        ax.annotate(f"{int(end['joint_cloud_projected']):,}", (end["as_of_date"], float(end["joint_cloud_projected"])),
                    fontsize=7, xytext=(4, -3), textcoords="offset points")
    ax.set(title=t["adoption_title"] if tracker is None else t["tracker_title"], ylabel=t["adoption_y"], xlabel=None)
    ax.set_ylim(0, 1800)
    _thousands(ax)
    ax.legend(loc="upper left", fontsize=8)
    _caption(fig, t["source_short"])
    return fig


def cost_per_resident_vs_population(survey: pd.DataFrame, input_label: str | None = None,
                                    caption: str | None = None, lang: str = "ja") -> Figure:
    """Each municipality's cost per resident against its population (log-log), coloured by status.

    ``survey``: rows of the ``survey`` table (any subset). ``input_label`` and ``caption``:
    from ``vocab.survey_label(info, lang, short=True)`` and ``vocab.survey_caption(info, lang)``; they go
    into the title and caption, so a simulated chart always says so.
    """
    t = _text(lang)
    input_label, caption = _survey_labels(lang, input_label, caption)
    df = survey[survey["it_cost_yen"].notna()].copy()
    df["per_resident"] = df["it_cost_yen"].astype(float) / df["population_2017_01_01_persons"]
    names = _status_names(lang)
    fig, ax = _figure(8.0, 4.8)
    for code, _, _ in published.STATUSES:
        sel = df[df["cloud_status"] == code]
        ax.scatter(sel["population_2017_01_01_persons"], sel["per_resident"], s=8, alpha=0.55,
                   color=STATUS_COLORS[code], label=f"{names[code]} ({len(sel):,})", linewidths=0)
    ax.set(xscale="log", yscale="log", title=f"{t['survey_title']} {input_label}", xlabel=t["population_x"],
           ylabel=t["per_resident_log_y"])
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.legend(fontsize=8, markerscale=2)
    _caption(fig, caption)
    return fig


def fitted_curves(data: pd.DataFrame, curves: pd.DataFrame, class_curve: pd.DataFrame, cost: pd.DataFrame,
                  input_label: str | None = None, caption: str | None = None,
                  lang: str = "ja", points: bool = True) -> Figure:
    """The fitted curve per status over the municipalities (log-log), beside the class-level curve.

    ``data``: models.model_frame rows; ``curves``: models.predict_curve; ``class_curve``:
    models.class_level_fitted; ``cost``: published_cost_by_class (its means as points).
    """
    t = _text(lang)
    input_label, caption = _survey_labels(lang, input_label, caption)
    names = _status_names(lang)
    fig, ax = _figure(8.0, 4.8)
    for code in [c for c in STATUS_COLORS if c in set(curves["cloud_status"])]:
        sel = data[data["cloud_status"] == code]
        if points:  # not for simulated municipalities: a simulated point beside real populations invites reading
            ax.scatter(sel["population_2017_01_01_persons"], sel["cost_per_resident_yen"], s=5, alpha=0.25,
                       color=STATUS_COLORS[code], linewidths=0)
        c = curves[curves["cloud_status"] == code]
        ax.plot(c["population_persons"], c["fitted_cost_per_resident_yen"], color=STATUS_COLORS[code], lw=2,
                label=f"{names[code]} {input_label}")
    ax.plot(class_curve["population_persons"], class_curve["fitted_cost_per_resident_yen"], color="black", lw=1.5,
            ls="--", label=t["class_curve"])
    mean_pop = cost["population_thousand_persons"] * 1000.0 / cost["municipalities"]
    ax.scatter(mean_pop, cost["it_cost_per_resident_mean_yen"], marker="D", color="black", s=25, zorder=4,
               label=t["class_points"])
    ax.set(xscale="log", yscale="log", title=f"{t['fitted_title']} {input_label}", xlabel=t["population_x"],
           ylabel=t["per_resident_log_y"])
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.legend(fontsize=7, loc="upper right")
    _caption(fig, f"{caption}\n{t['geometric_note']}")
    return fig


def residuals(fitted: pd.Series, resid: pd.Series, population: pd.Series, input_label: str | None = None,
              caption: str | None = None, lang: str = "ja") -> Figure:
    """Residuals against fitted values and against population: two panels."""
    t = _text(lang)
    input_label, caption = _survey_labels(lang, input_label, caption)
    fig = Figure(figsize=(9.0, 3.8), layout="constrained")
    a1, a2 = fig.subplots(1, 2)
    a1.scatter(fitted, resid, s=5, alpha=0.4, color="#4c72b0", linewidths=0)
    a1.axhline(0, color="black", lw=0.8)
    a1.set(title=f"{t['resid_fitted_title']} {input_label}", xlabel=t["fitted_x"], ylabel=t["residual_y"])
    a2.scatter(population, resid, s=5, alpha=0.4, color="#4c72b0", linewidths=0)
    a2.axhline(0, color="black", lw=0.8)
    a2.set(xscale="log", title=f"{t['resid_pop_title']} {input_label}", xlabel=t["log_pop_x"], ylabel=t["residual_y"])
    a2.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    _caption(fig, caption)
    return fig


def cooks_distance(top: pd.DataFrame, input_label: str | None = None, caption: str | None = None,
        lang: str = "ja") -> Figure:
    """Horizontal bars of Cook's distance for the most influential municipalities (models.influence)."""
    t = _text(lang)
    input_label, caption = _survey_labels(lang, input_label, caption)
    fig, ax = _figure(7.0, 0.3 * len(top) + 1.4)
    if _simulated(top):  # simulated influence beside a real name would be quotable
        labels = [f"{_anonymous(p, lang)}（{s}）" if lang == "ja" else f"{_anonymous(p, lang)} ({s})"
                  for p, s in zip(top["population_2017_01_01_persons"], top["cloud_status"])]
    else:
        labels = [f"{p}{n}（{s}）" if lang == "ja" else f"{p}{n} ({s})"
                  for p, n, s in zip(top["prefecture"], top["name"], top["cloud_status"])]
    ax.barh(labels[::-1], top["cooks_distance"].to_numpy()[::-1], color="#4c72b0")
    ax.set(title=f"{t['cooks_title']} {input_label}", xlabel="Cook's distance")
    _caption(fig, caption)
    return fig


def prefecture_share(shares: pd.DataFrame, highlight: str | None = None, lang: str = "ja") -> Figure:
    """Share of municipalities in a joint cloud by prefecture (municipalities.joint_share_by_prefecture)."""
    t = _text(lang)
    d = shares.sort_values("joint_cloud_share_pct")
    fig, ax = _figure(7.5, 9.0)
    colors = ["#c44e52" if p == highlight else "#4c72b0" for p in d["prefecture"]]
    ax.barh(d["prefecture"], d["joint_cloud_share_pct"], color=colors)
    ax.set(title=t["share_title"], xlabel=t["share_x"], ylabel=None)
    ax.tick_params(axis="y", labelsize=7)
    ax.margins(y=0.005)
    _caption(fig, t["share_caption"])
    return fig


def prefecture_cost(stats: pd.DataFrame, highlight: str | None, input_label: str | None = None,
                    caption: str | None = None, lang: str = "ja") -> Figure:
    """Prefectures: joint-cloud share (real) against mean cost per resident (survey: labelled)."""
    t = _text(lang)
    input_label, caption = _survey_labels(lang, input_label, caption)
    fig, ax = _figure(7.5, 4.6)
    other = stats[stats["prefecture"] != highlight]
    ax.scatter(other["joint_cloud_share_pct"], other["cost_per_resident_mean_yen"], color="#4c72b0", s=22)
    sel = stats[stats["prefecture"] == highlight]
    if len(sel):
        ax.scatter(sel["joint_cloud_share_pct"], sel["cost_per_resident_mean_yen"], color="#c44e52", s=60, zorder=3)
        for r in sel.itertuples():
            ax.annotate(r.prefecture, (r.joint_cloud_share_pct, r.cost_per_resident_mean_yen), xytext=(5, 4),
                        textcoords="offset points", fontsize=9, color="#c44e52")
    ax.set(title=f"{t['pref_cost_title']} {input_label}", xlabel=t["share_x"], ylabel=t["pref_cost_y"])
    _thousands(ax)
    _caption(fig, caption)
    return fig


def members_vs_comparables(table: pd.DataFrame, input_label: str | None = None, caption: str | None = None,
        lang: str = "ja") -> Figure:
    """Each member's cost per resident (dot) and its similar-sized non-members' median (bar end)."""
    t = _text(lang)
    input_label, caption = _survey_labels(lang, input_label, caption)
    d = table.sort_values("population_2017_01_01_persons")
    fig, ax = _figure(7.5, max(3.2, 0.32 * len(d) + 1.8))
    ax.margins(x=0.15, y=0.25 if len(d) < 4 else 0.05)
    y = np.arange(len(d))
    ax.scatter(d["comparables_median_yen"], y, marker="|", s=220, color="#8c8c8c", label=t["compare_peers"])
    ax.scatter(d["cost_per_resident_yen"], y, color=STATUS_COLORS["joint"], s=30, zorder=3, label=t["compare_member"])
    if _simulated(table) or "name" not in d.columns:  # simulated costs are never drawn beside a real name
        ticks = [_anonymous(p, lang) for p in d["population_2017_01_01_persons"]]
    else:
        ticks = [f"{n}（{p:,}）" if lang == "ja" else f"{n} ({p:,})"
                 for n, p in zip(d["name"], d["population_2017_01_01_persons"])]
    ax.set_yticks(y, ticks, fontsize=8)
    ax.set(xscale="log", title=f"{t['compare_title']} {input_label}", xlabel=t["compare_x"])
    _plain_log_ticks(ax.xaxis)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    _caption(fig, caption)
    return fig


def class_averages(cost: pd.DataFrame, survey: pd.DataFrame, input_label: str | None = None,
                   caption: str | None = None, lang: str = "ja") -> Figure:
    """Published mean cost per resident by class beside the same mean computed from the survey rows given."""
    t = _text(lang)
    input_label, caption = _survey_labels(lang, input_label, caption)
    df = survey[survey["it_cost_yen"].notna()]
    cls = df["population_2017_01_01_persons"].map(published.population_class_id)
    computed = (df["it_cost_yen"].astype(float) / df["population_2017_01_01_persons"]).groupby(cls).mean()
    labels = list(cost["population_class_ja"] if lang == "ja" else cost["population_class_en"])
    x = np.arange(len(cost))
    fig, ax = _figure()
    ax.bar(x - 0.2, cost["it_cost_per_resident_mean_yen"], width=0.4, color="#4c72b0", label=t["class_avg_published"])
    ax.bar(x + 0.2, [computed.get(c, np.nan) for c in cost["class_id"]], width=0.4, color="#dd8452",
           label=f"{t['class_avg_computed']} {input_label}")
    ax.set_xticks(x, labels)
    kind = input_label.strip("［］[] ")  # the survey's kind: simulated or reported
    ax.set(title=f"{t['class_avg_title']}［公表値・{kind}］" if lang == "ja" else f"{t['class_avg_title']} [published, {kind}]",
           xlabel=t["class_x"], ylabel=t["per_resident_y"])
    _thousands(ax)
    ax.legend(fontsize=8)
    _caption(fig, caption)
    return fig


def prefecture_municipalities(costs: pd.DataFrame, input_label: str | None = None, caption: str | None = None,
                              lang: str = "ja") -> Figure:
    """A set of municipalities (e.g. one prefecture, from jc.municipality_costs): cost per resident
    against population, coloured by the survey's status, joint-cloud members of the 2018-04 list
    ringed, each named for a real survey (never for the simulated one)."""
    t = _text(lang)
    input_label, caption = _survey_labels(lang, input_label, caption)
    names = _status_names(lang)
    fig, ax = _figure(8.0, 5.2)
    for code, _, _ in published.STATUSES:
        sel = costs[costs["cloud_status"] == code]
        ax.scatter(sel["population_2017_01_01_persons"], sel["cost_per_resident_yen"], s=22,
                   color=STATUS_COLORS[code], label=names[code], zorder=3)
    member = costs[costs["joint_cloud_group_id"].notna()]
    ax.scatter(member["population_2017_01_01_persons"], member["cost_per_resident_yen"], s=70, facecolors="none",
               edgecolors="black", linewidths=0.8, label="自治体クラウドの構成団体（グループ一覧、平成30年4月）"
               if lang == "ja" else "member of a joint-cloud group (list, 2018-04)", zorder=4)
    if not _simulated(costs) and "name" in costs.columns:  # simulated costs are never drawn beside a real name
        for r in costs.itertuples():
            ax.annotate(r.name, (r.population_2017_01_01_persons, r.cost_per_resident_yen), fontsize=6,
                        xytext=(3, 2), textcoords="offset points", color="#333333")
    ax.set(xscale="log", yscale="log", title=f"{t['pref_mun_title']} {input_label}", xlabel=t["population_x"],
           ylabel=t["per_resident_log_y"])
    _plain_log_ticks(ax.xaxis)
    _plain_log_ticks(ax.yaxis)
    ax.legend(fontsize=7)
    _caption(fig, caption)
    return fig


# --- evidence from the published figures (no simulated number) ----------------------------------------

# (ja, en) pairs: one entry per text, so the languages cannot drift apart.
_PAIRS.update({
    "cells_title": ("区分×導入状況別の住民一人当たり経費の平均がとりうる範囲",
                    "Range of each class × status mean cost per resident the published figures allow"),
    "cells_y": ("住民一人当たり経費の平均（円）", "mean cost per resident (yen)"),
    "class_mean": ("区分平均［公表値］", "class mean [published]"),
    "cells_point": ("ほぼ一点に定まる平均（値）", "a mean pinned down (its value)"),
    "cells_inferred": ("グラフの数値を推定で割り当てた場合（推定）", "with the inferred chart label (inferred)"),
    "cells_unbounded": ("下限は公表値から定まらない（点線、上端まで）", "no lower bound from the figures (dotted, up to its top)"),
    "cells_caption": ("公表された区分平均・団体数・大小関係と下位3団体の値から線形計画法で求めた範囲。読み：{reading}。{label}",
                      "Ranges by linear programming from the published class means, counts, orderings and the three "
                      "outliers. Reading: {reading}. {label}"),
    "label_on": ("白抜きの丸は、２万人未満の自治体クラウドをグラフの数値とした場合の値（推定）。",
                 "Hollow circles: the values if the under-20k joint-cloud bar is the chart label (inferred)."),
    "labels_title": ("グラフの数値が当てはまる区分・導入状況［導出値］", "Where the chart's stray labels fit [derived]"),
    "labels_plausible": ("妥当な範囲で当てはまる", "fits plausibly"),
    "labels_arithmetic": ("算術上のみ当てはまる", "fits arithmetically only"),
    "labels_none": ("当てはまらない", "does not fit"),
    "labels_caption": ("読み：{reading}。★は推定した割当て（公表値ではない）。妥当性の下限：同じ区分の他の値の{floor:.0%}を下回らない"
                       "（導入事例の最大の削減率{cut:.0%}から）。",
                       "Reading: {reading}. ★ the inferred assignment (not published). Plausibility floor: no cell below "
                       "{floor:.0%} of another in its class (from the largest case-study saving, {cut:.0%})."),
    "cases_title": ("導入事例の削減率と56グループの報告［公表値・導出値］", "Case-study savings and the 56 groups' reports "
                    "[published, derived]"),
    "cases_x": ("削減率（%）", "saving (%)"),
    "cases_band": ("56グループが報告した削減率の平均の範囲［導出値］", "range of the 56 groups' mean saving [derived]"),
    "cases_claim": ("資料の「３割程度削減」", "the document's 「３割程度削減」"),
    "cases_projected": ("白抜きは見込み", "hollow: projected"),
    "basis_initial": ("初期費用", "initial cost"), "basis_running": ("運用費", "running cost"),
    "basis_total": ("総費用", "total cost"), "basis_unspecified": ("費用の別の記載なし", "cost not specified"),
    "cases_caption": ("出典：総務省「自治体クラウドの導入促進の取組」（導入事例、「56グループの費用削減効果」）。",
                      "Source: MIC 「自治体クラウドの導入促進の取組」 (case studies; 56 groups' savings)."),
    "members_title": ("人口規模区分別の自治体クラウド参加割合［実データ・導出値］",
                      "Joint-cloud membership by population class [real, derived]"),
    "members_y": ("参加割合（%）", "share of municipalities (%)"),
    "members_list": ("グループ一覧（平成30年4月）", "group list (2018-04)"),
    "members_2017": ("平成29年4月1日（開始年度から導出）", "2017-04-01 (from start years)"),
    "members_predicted": ("参加モデルの予測の平均［導出値］", "mean predicted probability [derived]"),
    "members_caption": ("人口：住民基本台帳（平成29年1月1日）。参加：総務省のグループ一覧。予測：人口・財政力指数・高齢化率・"
                        "人口密度・団体区分のロジットモデル。", "Population: 住民基本台帳 (2017-01-01). Membership: MIC group "
                        "list. Prediction: logit on population, 財政力指数, ageing, density and kind."),
    "proj_title": ("新たな参加団体の年間経費と、率を当てはめた額の試算（億円）",
                   "New members' annual cost, and what a rate would come to (100 million yen)"),
    "proj_x": ("億円／年", "100 million yen a year"),
    "proj_base": ("年間経費の見積もり［試算］", "their annual cost, estimated [scenario]"),
    "proj_reported": ("グループの報告した削減率で減る額［試算］", "fall at the groups' reported rate [scenario]"),
    "proj_gap_figures": ("区分内の差を当てはめた額：公表値が差を限る区分［試算］",
                         "class gap applied: classes the figures bound [scenario]"),
    "proj_gap_label": ("区分内の差を当てはめた額：推定した割当てを使用［推定・試算］",
                       "class gap applied: with the inferred label [inferred, scenario]"),
    "proj_floor_legend": ("公表値が差を限らない区分は、妥当性の下限ごとの額を次の図に示す。", "Classes where the figures do "
                          "not bound the gap: amounts by plausibility floor in the next chart."),
    "proj_caption": ("年間経費＝各団体の人口（平成29年1月1日）×区分の一人当たり経費（区分総経費÷区分人口と団体平均の間）。"
                     "削減の試算＝年間経費×率。率は仮定で、加入による効果の推定ではない。括弧内は団体数。",
                     "Annual cost = each member's population (2017-01-01) × its class's cost per resident (between class "
                     "total ÷ class population and the simple mean). Saving scenario = cost × rate; the rate is an "
                     "assumption, not an estimate of what joining causes. In brackets: members."),
    "proj_floor_title": ("区分内の差を当てはめた額の上限と妥当性の下限（加入予定団体、億円）",
                         "Class gap applied: upper end by floor (planned joiners, 100M yen)"),
    "proj_floor_x": ("妥当性の下限（同じ区分の他の平均に対する最小の比）", "plausibility floor (smallest ratio of one "
                     "mean to another of its class)"),
    "proj_floor_part": ("妥当性の下限だけが限定する区分", "classes only the floor bounds"),
    "proj_figures_part": ("公表値が限定する区分（２万人未満）", "classes the figures bound (under 20k)"),
    "proj_floor_zero": ("下端は0（公表値は下限を与えない）", "lower end 0 (the figures give none)"),
    "proj_floor_used": ("本文の下限{f:.2f}（導入事例の最大の削減率から）", "floor used in the text, {f:.2f} (from the "
                        "largest case-study saving)"),
    "proj_floor_caption": ("区分ごとの差の上限を線形計画法で求め、加入予定団体の年間経費（上限）に掛けた。下限を高くするほど上限は"
                           "下がる。公表値がその下限を許さない区分がある点は描かない。",
                           "Each class's largest gap under the floor by linear programming, times the planned joiners' "
                           "annual cost (upper end). A higher floor lowers the upper end. Floors the published figures "
                           "do not admit in some class are not drawn."),
})


def _pair(key: str, lang: str) -> str:
    ja, en = _PAIRS[key]
    _text(lang)  # validates lang, applies the style
    return ja if lang == "ja" else en


def identified_cells(cells: pd.DataFrame, cost: pd.DataFrame, reading: str = "without_3",
                     inferred_label: bool = False, lang: str = "ja") -> Figure:
    """The identified set of each class × status mean beside the published class mean.

    What the published figures alone allow is drawn: a cell they pin down (within the rounding, or under 1%
    of its value) is a marker with its value; a range is a bar; a range whose lower end is 0 (the figures
    give no lower bound) is dotted below its upper end, so that 0 cannot be read as an estimate. With
    ``inferred_label`` the cells the inferred chart label implies are laid over as hollow markers. The
    legend sits outside the axes. ``cells``: evidence_cells (no floor).
    """
    from matplotlib.lines import Line2D

    base = cells[(cells["reading"] == reading) & ~cells["plausibility_floor"]]
    sel = base[~base["inferred_label"]]
    overlay = base[base["inferred_label"] & base["label_used"]] if inferred_label else base.iloc[:0]
    pinned = {(r.class_id, r.cloud_status) for r in sel.itertuples()
              if r.upper_yen - r.lower_yen <= max(2.0, 0.01 * r.upper_yen)}
    overlay = overlay[np.array([(c, s) not in pinned for c, s in zip(overlay["class_id"], overlay["cloud_status"])],
                               dtype=bool)]
    labels = {c.class_id: (c.label_ja if lang == "ja" else c.label_en) for c in published.POPULATION_CLASSES}
    fig, ax = _figure(9.0, 4.8)
    offsets = {"joint": -0.24, "single": 0.0, "none": 0.24}
    for s, dx in offsets.items():
        for r in sel[sel["cloud_status"] == s].itertuples():
            x, color = r.class_id - 1 + dx, STATUS_COLORS[s]
            # pinned: within the published figures' rounding, or too narrow to see as a bar (under 1%)
            if r.upper_yen - r.lower_yen <= max(2.0, 0.01 * r.upper_yen):
                mid = (r.lower_yen + r.upper_yen) / 2
                ax.plot([x], [mid], marker="o", ms=7, color=color, ls="", gid=f"point-{r.class_id}-{s}")
                ax.annotate(f"{mid:,.0f}", (x, mid), xytext=(0, 6), textcoords="offset points", ha="center",
                            fontsize=7, color=color)
            elif r.lower_yen <= 1e-9:  # no lower bound from the figures
                ax.vlines(x, 0, r.upper_yen, color=color, lw=1.4, linestyles=":", gid=f"unbounded-{r.class_id}-{s}")
                ax.plot([x], [r.upper_yen], marker="v", ms=5, color=color, ls="")
            else:
                ax.vlines(x, r.lower_yen, r.upper_yen, color=color, lw=6, gid=f"range-{r.class_id}-{s}")
        for r in overlay[overlay["cloud_status"] == s].itertuples():
            mid, x = (r.lower_yen + r.upper_yen) / 2, r.class_id - 1 + dx
            ax.plot([x], [mid], marker="o", ms=9, mfc="none", mec="black", mew=1.2, ls="", zorder=4,
                    gid=f"inferred-{r.class_id}-{s}")
            ax.annotate(f"{mid:,.0f}", (x, mid), xytext=(9, -3), textcoords="offset points", fontsize=7)
    ax.scatter(cost["class_id"] - 1, cost["it_cost_per_resident_mean_yen"], marker="_", s=500, color="black", zorder=3)
    ax.set_xticks(range(6), [labels[c] for c in range(1, 7)], fontsize=8)
    from jichitai_cloud.registry import metadata

    kind = metadata.kind_tag("evidence_cells", ("lower_yen", "upper_yen"), lang, inferred=bool(len(overlay)))
    ax.set(title=_pair("cells_title", lang) + kind, ylabel=_pair("cells_y", lang))
    ax.set_ylim(bottom=0)
    _thousands(ax)
    handles = [Line2D([], [], color=STATUS_COLORS[s], lw=6, label=vocab.status(s, lang)) for s in offsets]
    handles += [Line2D([], [], color="#555555", marker="o", ls="", label=_pair("cells_point", lang)),
                Line2D([], [], color="#555555", lw=1.4, ls=":", marker="v", ms=5, label=_pair("cells_unbounded", lang)),
                Line2D([], [], color="black", marker="_", ms=14, mew=2, ls="", label=_pair("class_mean", lang))]
    if len(overlay):
        handles.append(Line2D([], [], marker="o", ms=9, mfc="none", mec="black", ls="",
                              label=_pair("cells_inferred", lang)))
    ax.legend(handles=handles, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    _caption(fig, _pair("cells_caption", lang).format(reading=vocab.pick(vocab.READING[reading], lang),
                                                      label=_pair("label_on", lang) if inferred_label else ""))
    return fig


def label_fits(assignments: pd.DataFrame, floor: float, reading: str = "without_3", lang: str = "ja") -> Figure:
    """Which cell each stray chart label fits: plausibly, arithmetically only, or not (a grid)."""
    from matplotlib.colors import ListedColormap


    d = assignments[assignments["reading"] == reading]
    values = list(dict.fromkeys(d["value_yen"]))
    cols = [(c, s) for c in range(1, 7) for s in ("joint", "single", "none")]
    grid = np.zeros((len(values), len(cols)))
    star = []
    for r in d.itertuples():
        i, j = values.index(r.value_yen), cols.index((r.class_id, r.cloud_status))
        grid[i, j] = 2 if r.plausible else (1 if r.arithmetic else 0)
        if r.inferred:
            star.append((j, i))
    fig, ax = _figure(8.5, 3.4)
    ax.imshow(grid, cmap=ListedColormap(["#f2f2f2", "#a6c8e8", "#1f5f9e"]), vmin=0, vmax=2, aspect="auto")
    for j, i in star:
        ax.text(j, i, "★", ha="center", va="center", color="white", fontsize=11)
    short = {"joint": ("自", "J"), "single": ("単", "S"), "none": ("未", "N")}
    ax.set_xticks(range(len(cols)), [vocab.pick(short[s], lang) for _, s in cols], fontsize=8)
    ax.set_yticks(range(len(values)), [f"{v:,}円" if lang == "ja" else f"{v:,} yen" for v in values], fontsize=8)
    for k in range(1, 6):
        ax.axvline(3 * k - 0.5, color="white", lw=3)
    classes = [c.label_ja if lang == "ja" else c.label_en for c in published.POPULATION_CLASSES]
    for k, name in enumerate(classes):
        ax.text(3 * k + 1, -0.6, name, ha="center", va="bottom", fontsize=7)
    ax.grid(False)
    from matplotlib.patches import Patch

    ax.legend(handles=[Patch(color="#1f5f9e", label=_pair("labels_plausible", lang)),
                       Patch(color="#a6c8e8", label=_pair("labels_arithmetic", lang)),
                       Patch(color="#f2f2f2", label=_pair("labels_none", lang))],
              fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.set_title(_pair("labels_title", lang), pad=16)
    _caption(fig, _pair("labels_caption", lang).format(reading=vocab.pick(vocab.READING[reading], lang), floor=floor,
                                                       cut=1 - floor))
    return fig


def case_savings(case_savings: pd.DataFrame, savings: pd.DataFrame, lang: str = "ja") -> Figure:
    """The seven case studies' stated savings by basis (marker), projected ones hollow, beside the range
    of the 56 groups' mean saving and the document's 3割 claim."""
    d = case_savings.copy()
    cases = sorted(d["case"].unique())
    markers = {"initial": "D", "running": "o", "total": "s", "unspecified": "^"}
    fig, ax = _figure(8.0, 4.2)
    band = savings[(savings["measure"] == "mean_saving")]
    ax.axvspan(band["lower_pct"].min(), band["upper_pct"].max(), color="#55a868", alpha=0.15,
               label=_pair("cases_band", lang))
    ax.axvline(30, color="#c44e52", ls="--", lw=1, label=_pair("cases_claim", lang))
    from matplotlib.lines import Line2D

    handles = []
    for basis, m in markers.items():
        sel = d[d["cost_basis"] == basis]
        y = [cases.index(c) for c in sel["case"]]
        face = [("none" if p else "#4c72b0") for p in sel["projected"]]
        ax.scatter(sel["reduction_pct"], y, marker=m, s=45, facecolors=face, edgecolors="#4c72b0", zorder=3)
        handles.append(Line2D([], [], ls="", marker=m, color="#4c72b0", label=_pair(f"basis_{basis}", lang)))
    titles = d.drop_duplicates("case").set_index("case")["section"]
    ax.set_yticks(range(len(cases)), [f"{c}. {titles[c]}"[:22] for c in cases], fontsize=7)
    ax.invert_yaxis()
    ax.set(title=_pair("cases_title", lang), xlabel=_pair("cases_x", lang), xlim=(0, 100))
    lines, _ = ax.get_legend_handles_labels()
    ax.legend(handles=lines + handles, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    _caption(fig, _pair("cases_caption", lang) + " " + _pair("cases_projected", lang) + "。" * (lang == "ja"))
    return fig


def membership_by_class(shares: pd.DataFrame, predictions: pd.DataFrame, frame: pd.DataFrame,
                        lang: str = "ja") -> Figure:
    """Share of municipalities in a joint cloud by population class, on both dates, with the
    membership model's mean predicted probability (real data; the prediction derived)."""
    s = shares[shares["by"] == "class"]
    labels = [c.label_ja if lang == "ja" else c.label_en for c in published.POPULATION_CLASSES]
    x = np.arange(6)
    fig, ax = _figure(8.0, 4.2)
    for as_of, dx, color, key in (("2018-04-01", -0.2, STATUS_COLORS["joint"], "members_list"),
                                  ("2017-04-01", 0.2, "#9ecae1", "members_2017")):
        d = s[s["as_of"] == as_of].set_index("key").reindex([str(c) for c in range(1, 7)])
        ax.bar(x + dx, d["share_pct"], width=0.4, color=color, label=_pair(key, lang))
    cls = frame.set_index("code")["population_class_id"]
    mean_p = 100 * predictions.groupby(predictions["code"].map(cls))["predicted_probability"].mean()
    ax.scatter(x, [mean_p.get(c, np.nan) for c in range(1, 7)], color="black", marker="D", s=25, zorder=3,
               label=_pair("members_predicted", lang))
    ax.set_xticks(x, labels, fontsize=8)
    ax.set(title=_pair("members_title", lang), ylabel=_pair("members_y", lang))
    ax.legend(fontsize=8)
    _caption(fig, _pair("members_caption", lang))
    return fig


def projection_bands(projections: pd.DataFrame, lang: str = "ja", use_label: bool = True) -> Figure:
    """Annual cost and what a rate would come to (億円) for the new members, per scenario (panel): their cost,
    the reported rate applied to it, and the class gap where the published figures bound it. Where only the
    plausibility floor would bound it no bar is drawn: :func:`projection_floor` gives it by floor."""
    from jichitai_cloud.registry import metadata

    d = projections[projections["class_id"].isna()]
    rows = [("base", "reported", "all"), ("reported", "reported", "all"),
            ("gap_figures", "class_gap_without_3", "published_figures")]
    if use_label:
        rows.append(("gap_label", "class_gap_without_3_label", "inferred_label"))
    scenarios = list(dict.fromkeys(d["scenario"]))
    fig = Figure(figsize=(8.6, 1.2 + 0.42 * len(rows) * len(scenarios) + 0.9), layout="constrained")
    axes = np.atleast_1d(fig.subplots(len(scenarios), 1, sharex=True))
    for ax, scenario in zip(axes, scenarios):
        for k, (key, basis, source) in enumerate(rows):
            r = d[(d["scenario"] == scenario) & (d["basis"] == basis) & (d["rate_source"] == source)].iloc[0]
            what = "base_cost" if key == "base" else "saving"
            lo, hi = r[f"{what}_low_oku_yen"], r[f"{what}_high_oku_yen"]
            color = "#bbbbbb" if key == "base" else (STATUS_COLORS["joint"] if key != "reported" else "#55a868")
            ax.barh(k, hi - lo, left=lo, height=0.55, color=color, edgecolor=color, gid=f"band-{scenario}-{key}")
            n = int(round(r["new_members"]))
            ax.annotate(f"{lo:,.0f}～{hi:,.0f}（{n}団体）" if lang == "ja" else f"{lo:,.0f}–{hi:,.0f} ({n})", (hi, k),
                        xytext=(4, 0), textcoords="offset points", va="center", fontsize=7)
        ax.set_yticks(range(len(rows)), [_pair(f"proj_{key}", lang) for key, _, _ in rows], fontsize=7)
        ax.invert_yaxis()
        ax.set_title(vocab.pick(vocab.SCENARIO[scenario], lang), fontsize=9, loc="left")
        ax.margins(x=0.18)
    fig.suptitle(_pair("proj_title", lang) + metadata.kind_tag(
        "evidence_projections", ("base_cost_low_oku_yen", "saving_low_oku_yen"), lang))
    axes[-1].set_xlabel(_pair("proj_x", lang))
    _thousands(axes[-1], "x")
    _caption(fig, _pair("proj_caption", lang) + " " + _pair("proj_floor_legend", lang))
    return fig


def projection_floor(floor_table: pd.DataFrame, floor_used: float, scenario: str = "planned",
                     basis: str = "class_gap_without_3", lang: str = "ja") -> Figure:
    """The upper end of the class-gap saving band (億円 a year) as a function of the plausibility floor: the
    classes only the floor bounds, and those the published figures bound. The lower end is 0 for every floor
    (the figures give none), drawn dashed; the floor the evidence uses is marked, not chosen."""
    from jichitai_cloud.registry import metadata

    d = floor_table[(floor_table["scenario"] == scenario) & (floor_table["basis"] == basis)]
    fig, ax = _figure(8.0, 4.2)
    for source, color, key in (("plausibility_floor", STATUS_COLORS["joint"], "floor_part"),
                               ("published_figures", "#55a868", "figures_part")):
        g = d[(d["rate_source"] == source) & d["admitted"]].sort_values("floor_ratio")
        ax.plot(g["floor_ratio"], g["saving_high_oku_yen"], color=color, marker="o", ms=3,
                label=_pair(f"proj_{key}", lang), gid=f"floor-{source}")
        ax.fill_between(g["floor_ratio"], 0, g["saving_high_oku_yen"], color=color, alpha=0.12)
    ax.axhline(0, color="black", lw=1.2, ls="--", label=_pair("proj_floor_zero", lang))
    ax.axvline(floor_used, color="#c44e52", lw=1, ls=":", label=_pair("proj_floor_used", lang).format(f=floor_used))
    ax.set(title=_pair("proj_floor_title", lang) + metadata.kind_tag("evidence_projection_floor",
                                                                     ("saving_high_oku_yen",), lang), xlabel=_pair("proj_floor_x", lang), ylabel=_pair("proj_x", lang),
           xlim=(0, 1))
    ax.set_ylim(bottom=-0.04 * max(1.0, float(d["saving_high_oku_yen"].max())))
    _thousands(ax)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    _caption(fig, _pair("proj_floor_caption", lang))
    return fig


def calibration(cal: pd.DataFrame, validation: pd.DataFrame, fit_as_of: str = "2018-04-01",
                lang: str = "ja") -> Figure:
    """Observed against predicted joiners by decile of each model's probability (the later planned joins), the
    chosen model drawn heavier, the diagonal for perfect calibration."""
    from jichitai_cloud.registry import metadata

    d = cal[(cal["fit_as_of"] == fit_as_of) & (cal["by"] == "decile")]
    v = validation[validation["fit_as_of"] == fit_as_of].set_index("model")
    fig, ax = _figure(8.0, 4.6)
    top = float(max(d["predicted_joiners"].max(), d["observed_joiners"].max())) * 1.08
    ax.plot([0, top], [0, top], color="#999999", lw=1, ls="--", label=_pair("cal_diagonal", lang))
    for model, g in d.groupby("model", sort=False):
        chosen = bool(v.loc[model, "chosen"])
        name = vocab.pick(vocab.VALIDATED_MODELS[model], lang)
        label = f"{name}（AUC {v.loc[model, 'auc']:.2f}）" if lang == "ja" else f"{name} (AUC {v.loc[model, 'auc']:.2f})"
        ax.plot(g["predicted_joiners"], g["observed_joiners"], marker="o", ms=4 if chosen else 3,
                lw=2.2 if chosen else 1.0, alpha=1.0 if chosen else 0.6, label=label, gid=f"calibration-{model}")
    ax.set(title=_pair("cal_title", lang) + metadata.kind_tag("evidence_membership_calibration",
                                                             ("predicted_joiners", "observed_joiners"), lang),
           xlabel=_pair("cal_x", lang), ylabel=_pair("cal_y", lang), xlim=(0, top), ylim=(0, top))
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    _caption(fig, _pair("cal_caption", lang))
    return fig


_PAIRS.update({
    "cal_title": ("加入予定に対する較正（予測確率の十分位ごと）", "Calibration on the planned joins (deciles of the probability)"),
    "cal_x": ("予測した加入団体数", "predicted joiners"),
    "cal_y": ("実際の加入予定団体数", "planned joiners observed"),
    "cal_diagonal": ("予測＝実際", "predicted = observed"),
    "cal_caption": ("平成30年4月の参加に当てはめた各モデルで、未参加の団体を予測確率の順に10等分し、平成30～35年度の加入予定団体数と"
                    "予測の合計を比べた。太線は予測に用いるモデル。",
                    "Each model fitted on 2018-04 membership; the municipalities not yet members split into tenths by "
                    "predicted probability; the planned joiners FY2018–FY2023 against the predicted sum. Heavier: the "
                    "model the project predicts with."),
})


# --- the method check: simulation study and assumption lines (always labelled simulated) ----------------

_PAIRS.update({
    "sim_cov_title": ("推定方法の95%信頼区間の被覆率［シミュレーション］", "Coverage of the estimators' 95% intervals [simulated]"),
    "sim_cov_y": ("被覆率", "coverage"),
    "sim_cov_x": ("仮定した自治体クラウドの効果（%）", "assumed joint-cloud effect (%)"),
    "sim_cov_caption": ("模擬データ{draws}回の結果（仮定ごと）。破線は95%、帯は回数から見た誤差の範囲（±2標準誤差）。"
                        "市区町村についての所見ではない。", "{draws} simulated surveys per assumed effect. Dashed: 95%; band: "
                        "± 2 Monte Carlo standard errors. Not a finding about municipalities."),
    "sim_like_title": ("公表された大小関係を満たす模擬データの割合［シミュレーション］",
                       "Share of simulated surveys that satisfy the published orderings [simulated]"),
    "sim_like_y": ("割合", "share of draws"),
    "sim_like_orderings": ("大小関係を満たす", "satisfy the orderings"),
    "sim_like_label": ("２万人未満の比が推定したグラフの数値の値に近い", "under-20k ratio near the inferred label's"),
    "sim_like_caption": ("仮定した効果のもとで模擬データが公表値の大小関係を満たす割合。生成モデルの他の設定（単独クラウドの効果、"
                         "ばらつき）を所与とした効果の近似的な尤度で、効果の確率ではない。全区分に共通の効果を仮定している。",
                         "How often a survey generated with each assumed effect satisfies the published orderings: an "
                         "approximate likelihood of the effect conditional on the generator's other settings (single-cloud "
                         "effects, spreads), not a probability of the effect; one effect common to every class."),
    "line_title": ("自治体クラウドに参加していない団体の経費に効果を仮定した場合の年間削減額",
                   "Annual saving if the non-members' cost changed by an assumed effect"),
    "line_x": ("仮定した効果（経費全体、%）", "assumed effect on their whole cost (%)"),
    "line_y": ("年間削減額（億円）", "annual saving (100 million yen)"),
    "line_supported": ("自治体クラウドの団体が5団体以上の区分", "classes with at least 5 joint-cloud members"),
    "line_all": ("5団体未満の区分を加えた全体", "all, adding the classes with fewer"),
    "line_caption": ("自治体クラウドに参加していない団体の人口［実データ］×区分の一人当たり経費［公表値から導出］×仮定した効果。"
                     "推定ではなく仮定の関数で、信頼区間はない。帯は経費の範囲。",
                     "Non-members' population [real] × their class's cost per resident [derived from published figures] "
                     "× the assumed effect: a function of the assumption, not an estimate, so no interval. The band is "
                     "their cost's range."),
    "class_fit_title": ("区分別モデル：公表値と滑らかな曲線による値［公表値・導出値］",
                        "Class-level model: published moments and the smooth curve's [published, derived]"),
    "class_fit_y": ("ずれ（公表値の丸め幅の半分を単位）", "gap (in half rounding widths)"),
})


def simulation_coverage(summary: pd.DataFrame, lang: str = "ja") -> Figure:
    """Coverage of each estimator's 95% interval by assumed effect (all draws), with Monte Carlo bands."""
    d = summary[summary["subset"] == "all"]
    fig, ax = _figure(8.0, 4.2)
    for k, (est, g) in enumerate(d.groupby("estimator", sort=False)):
        g = g.sort_values("effect_pct")
        ax.plot(g["effect_pct"] + 0.4 * (k - 2), g["coverage"], marker="o", label=est)
    n = int(d["draws"].max())
    se = float(np.sqrt(0.95 * 0.05 / n))
    ax.axhline(0.95, color="black", ls="--", lw=1)
    ax.axhspan(0.95 - 2 * se, 0.95 + 2 * se, color="#cccccc", alpha=0.4)
    ax.set(title=_pair("sim_cov_title", lang), ylabel=_pair("sim_cov_y", lang), xlabel=_pair("sim_cov_x", lang))
    ax.legend(fontsize=7, loc="lower left")
    _caption(fig, _pair("sim_cov_caption", lang).format(draws=n))
    return fig


def simulation_likelihood(summary: pd.DataFrame, lang: str = "ja") -> Figure:
    """Share of draws satisfying the published orderings (and near the inferred label) by assumed effect."""
    d = summary[summary["estimator"] == summary["estimator"].iloc[0]]
    fig, ax = _figure(8.0, 4.0)
    for subset, key, color in (("orderings", "sim_like_orderings", STATUS_COLORS["joint"]),
                               ("inferred_label", "sim_like_label", "#c44e52")):
        g = d[d["subset"] == subset].sort_values("effect_pct")
        ax.plot(g["effect_pct"], g["share_of_draws"], marker="o", color=color, label=_pair(key, lang))
    ax.set(title=_pair("sim_like_title", lang), ylabel=_pair("sim_like_y", lang), xlabel=_pair("sim_cov_x", lang),
           ylim=(0, 1))
    ax.legend(fontsize=8)
    _caption(fig, _pair("sim_like_caption", lang))
    return fig


def assumed_saving(line: pd.DataFrame, area: str = "全国", lang: str = "ja") -> Figure:
    """The saving as a function of an assumed effect on the non-members' whole cost: a band (their cost's
    range), the classes with enough joint-cloud members and, added on top, those with fewer (lighter). A
    scenario, not an estimate: no interval."""
    from jichitai_cloud.registry import metadata

    d = line[line["area"] == area]
    fig, ax = _figure(7.6, 4.0)
    sup = d[~d["thin_support"]].sort_values("assumed_effect_pct")
    both = d.groupby("assumed_effect_pct")[["saving_low_oku_yen", "saving_high_oku_yen"]].sum().sort_index()
    x = sup["assumed_effect_pct"].to_numpy()
    ax.fill_between(x, sup["saving_low_oku_yen"], sup["saving_high_oku_yen"], color=STATUS_COLORS["joint"], alpha=0.6,
                    label=_pair("line_supported", lang), gid="assumed-supported")
    ax.fill_between(both.index, both["saving_low_oku_yen"], both["saving_high_oku_yen"], color=STATUS_COLORS["joint"],
                    alpha=0.2, label=_pair("line_all", lang), gid="assumed-all")
    title = _pair("line_title", lang) + metadata.kind_tag("model_assumed_saving", ("saving_low_oku_yen",), lang)
    where = vocab.pick(vocab.NATIONAL, lang) if area == vocab.NATIONAL[0] else area
    ax.set(title=f"{title}：{where}" if lang == "ja" else f"{title}: {where}", xlabel=_pair("line_x", lang),
           ylabel=_pair("line_y", lang))
    _thousands(ax)
    ax.legend(fontsize=7, loc="upper right")
    _caption(fig, _pair("line_caption", lang))
    return fig


def class_level_fit(moments: pd.DataFrame, lang: str = "ja") -> Figure:
    """The class-level model's gaps from the published moments, in half rounding widths (±1 = within rounding)."""
    labels = {c.class_id: (c.label_ja if lang == "ja" else c.label_en) for c in published.POPULATION_CLASSES}
    fig, ax = _figure(8.0, 3.8)
    x = np.arange(6)
    for k, (moment, name) in enumerate((("mean_per_resident_yen", ("一人当たり平均", "mean per resident")),
                                        ("total_oku_yen", ("総経費", "total")))):
        g = moments[moments["moment"] == moment].sort_values("class_id")
        ax.bar(x + 0.2 * (2 * k - 1), g["gap_half_widths"], width=0.4, label=name[0] if lang == "ja" else name[1])
    ax.axhspan(-1, 1, color="#55a868", alpha=0.2)
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xticks(x, [labels[c] for c in range(1, 7)], fontsize=8)
    ax.set_yscale("symlog", linthresh=1)
    ax.set(title=_pair("class_fit_title", lang), ylabel=_pair("class_fit_y", lang))
    ax.legend(fontsize=8)
    return fig


# --- maps ----------------------------------------------------------------------------------------------

_PAIRS.update({
    "map_groups_title": ("自治体クラウドグループの構成団体と加入予定（平成30年4月）［公表値・実データ］",
                         "Joint-cloud groups and planned joins (2018-04) [published, real]"),
    "map_member": ("自治体クラウドの構成団体（色は隣り合うグループを区別）", "member of a joint-cloud group (colours "
                   "tell neighbouring groups apart)"),
    "map_planned": ("加入予定（{fy}年度）", "plans to join (FY{fy})"),
    "map_planned_undetermined": ("加入予定（時期未定・平成36年度以降）", "plans to join (later or undetermined)"),
    "map_other": ("参加していない市区町村", "not a member"),
    "map_okinawa": ("沖縄県", "Okinawa"), "map_ogasawara": ("小笠原村", "Ogasawara"),
    "map_share_title": ("都道府県別 自治体クラウドに参加する市区町村の割合（平成30年4月）［導出値］",
                        "Share of municipalities in a joint cloud by prefecture (2018-04) [derived]"),
    "map_share_bar": ("参加割合（%）", "share in a joint cloud (%)"),
    "map_pref_title": ("{prefecture}：市区町村の自治体クラウドへの参加（平成30年4月）［公表値・実データ］",
                       "{prefecture}: joint-cloud membership of its municipalities (2018-04) [published, real]"),
    "map_group_title": ("グループ{group_id}（{name}）の構成団体［公表値・実データ］",
                        "Group {group_id} ({name}): its members [published, real]"),
    "map_group_member": ("このグループの構成団体", "member of this group"),
    "map_other_group": ("他のグループの構成団体", "member of another group"),
    "map_column_title": ("市区町村別：{column}", "Municipalities: {column}"),
    "map_no_value": ("値なし・対象外", "no value or not selected"),
})
# Groups in cool colours, planned joins in a warm ramp by year: the two never look alike.
_GROUP_PALETTE = ("#4e79a7", "#59a14f", "#b07aa1", "#76b7b2", "#9c755f", "#1b6a8f", "#8cd17d", "#6a51a3")
_OTHER, _EDGE, _PREF_EDGE = "#e9e9e9", "#ffffff", "#6b6b6b"
_YEAR_COLORS = {2018: "#7f0000", 2019: "#c62828", 2020: "#ef6c00", 2021: "#fb8c00", 2022: "#fdb863", 2023: "#fee08b"}
_UNDETERMINED = "#f4cccc"


def _map_figure(width: float = 8.0, height: float = 8.0) -> tuple[Figure, object]:
    fig = Figure(figsize=(width, height), layout="constrained")
    ax = fig.subplots()
    ax.set_aspect("equal")
    ax.set_axis_off()
    return fig, ax


def _draw(ax, codes, colors, edge=_EDGE, linewidth=0.15, zorder=1) -> None:
    """Municipalities as one PathCollection (the paths are built once per process: maps.paths)."""
    from matplotlib.collections import PathCollection

    from jichitai_cloud.clean import maps

    p = maps.paths()
    coll = PathCollection([p[c] for c in codes], facecolors=list(colors), edgecolors=edge, linewidths=linewidth,
                          zorder=zorder)
    ax.add_collection(coll)


def _draw_prefectures(ax, prefectures=None, linewidth=0.4, color=_PREF_EDGE) -> None:
    from matplotlib.collections import PathCollection

    from jichitai_cloud.clean import maps

    pp = maps.prefecture_paths()
    names = list(pp) if prefectures is None else list(prefectures)
    ax.add_collection(PathCollection([pp[n] for n in names], facecolors="none", edgecolors=color,
                                     linewidths=linewidth, zorder=3))


def _view(ax, codes, pad: float = 0.03) -> None:
    from jichitai_cloud.clean import maps

    x0, y0, x1, y1 = maps.bounds_of(codes)
    dx, dy = (x1 - x0) * pad, (y1 - y0) * pad
    ax.set_xlim(x0 - dx, x1 + dx)
    ax.set_ylim(y0 - dy, y1 + dy)


def _attribution(fig, lang: str, extra: str = "") -> None:
    from jichitai_cloud.clean import maps

    _caption(fig, (extra + ("\n" if extra else "")) + vocab.pick(maps.ATTRIBUTION, lang))


# Inset views (longitude, latitude boxes): 沖縄県 without the far 大東 islands' empty sea between, and
# 小笠原村's inhabited islands (its outlying 南鳥島 and 沖ノ鳥島 would shrink them to dots).
_INSETS = (("map_okinawa", "沖縄県", None, (122.9, 24.0, 128.4, 27.0), (0.52, 0.02, 0.46, 0.24)),
           ("map_ogasawara", None, "小笠原村", (141.9, 26.5, 142.35, 27.8), (0.84, 0.28, 0.14, 0.18)))


def _lonlat_view(ax, box) -> None:
    from pyproj import Transformer

    from jichitai_cloud.clean import maps

    t = Transformer.from_crs(maps.CRS, maps.DRAWING_CRS, always_xy=True)
    x0, y0 = t.transform(box[0], box[1])
    x1, y1 = t.transform(box[2], box[3])
    xs, ys = t.transform([box[0], box[2], box[0], box[2]], [box[1], box[1], box[3], box[3]])
    ax.set_xlim(min(xs), max(xs))
    ax.set_ylim(min(ys), max(ys))


def _insets(fig, ax, frame: pd.DataFrame, draw_fn, lang: str) -> None:
    """沖縄県 and 小笠原村 in insets at the lower right (the main view leaves them out)."""
    for key, pref, name, box, rect in _INSETS:
        mask = (frame["prefecture"] == pref) if pref else (frame["name"] == name)
        codes = frame.loc[mask, "code"].tolist()
        if not codes:
            continue
        inset = ax.inset_axes(rect)
        inset.set_aspect("equal")
        inset.set_xticks([])
        inset.set_yticks([])
        for spine in inset.spines.values():
            spine.set_edgecolor("#999999")
        draw_fn(inset, codes)
        _lonlat_view(inset, box)
        inset.set_title(_pair(key, lang), fontsize=7, pad=2)


def _main_codes(frame: pd.DataFrame) -> list[str]:
    return frame.loc[(frame["prefecture"] != "沖縄県") & (frame["name"] != "小笠原村"), "code"].tolist()


def group_colours(frame: pd.DataFrame) -> dict[int, str]:
    """A colour per joint-cloud group such that groups with touching members differ (greedy colouring of
    the groups' adjacency graph, most-connected first)."""
    from jichitai_cloud.clean import maps

    members = frame[frame["joint_cloud_group_id"].notna()]
    groups = sorted(members["joint_cloud_group_id"].astype(int).unique())
    box = {g: maps.bounds_of(members.loc[members["joint_cloud_group_id"] == g, "code"]) for g in groups}
    tol = 2_000.0  # metres: bounding boxes this close count as neighbours
    adjacent = {g: set() for g in groups}
    for i, a in enumerate(groups):
        for b in groups[i + 1:]:
            (ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1) = box[a], box[b]
            if ax0 - tol <= bx1 and bx0 - tol <= ax1 and ay0 - tol <= by1 and by0 - tol <= ay1:
                adjacent[a].add(b)
                adjacent[b].add(a)
    colours: dict[int, str] = {}
    for g in sorted(groups, key=lambda g: (-len(adjacent[g]), g)):
        used = {colours[n] for n in adjacent[g] if n in colours}
        colours[g] = next((c for c in _GROUP_PALETTE if c not in used), _GROUP_PALETTE[g % len(_GROUP_PALETTE)])
    return colours


def map_groups(frame: pd.DataFrame, planned: pd.DataFrame, lang: str = "ja") -> Figure:
    """Japan: municipalities coloured by their joint-cloud group (2018-04), planned joiners by target
    year, other municipalities pale; prefecture outlines; 沖縄県 and 小笠原村 in insets."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    _text(lang)
    colours = group_colours(frame)
    joiners = planned[(~planned["already_member_2018_04"])].drop_duplicates("code").set_index("code")["target_fy"]
    fill = []
    for code, gid in zip(frame["code"], frame["joint_cloud_group_id"]):
        if pd.notna(gid):
            fill.append(colours[int(gid)])
        elif code in joiners.index:
            fy = joiners[code]
            fill.append(_YEAR_COLORS.get(int(fy), _UNDETERMINED) if pd.notna(fy) else _UNDETERMINED)
        else:
            fill.append(_OTHER)
    colour_of = dict(zip(frame["code"], fill))

    def draw(ax, codes):
        _draw(ax, codes, [colour_of[c] for c in codes])
        _draw_prefectures(ax, sorted(set(frame.loc[frame["code"].isin(codes), "prefecture"])))

    fig, ax = _map_figure(8.2, 8.6)
    main = _main_codes(frame)
    draw(ax, main)
    _view(ax, main)
    _insets(fig, ax, frame, draw, lang)
    handles = [Patch(facecolor=_GROUP_PALETTE[0], label=_pair("map_member", lang))]
    years = sorted(int(y) for y in joiners.dropna().unique())
    handles += [Patch(facecolor=_YEAR_COLORS.get(y, _UNDETERMINED), label=_pair("map_planned", lang).format(fy=y))
                for y in years]
    if joiners.isna().any():
        handles.append(Patch(facecolor=_UNDETERMINED, label=_pair("map_planned_undetermined", lang)))
    handles.append(Patch(facecolor=_OTHER, edgecolor="#cccccc", label=_pair("map_other", lang)))
    handles.append(Line2D([], [], color=_PREF_EDGE, lw=0.8, label="都道府県界" if lang == "ja" else "prefecture border"))
    ax.legend(handles=handles, loc="upper left", fontsize=7, frameon=True)
    ax.set_title(_pair("map_groups_title", lang))
    _attribution(fig, lang)
    return fig


def map_prefecture_share(shares: pd.DataFrame, lang: str = "ja") -> Figure:
    """A choropleth of the prefectures' share of municipalities in a joint cloud, with a colour bar."""
    import matplotlib as mpl
    from matplotlib.collections import PathCollection

    from jichitai_cloud.clean import maps

    _text(lang)
    pp = maps.prefecture_paths()
    values = shares.set_index("prefecture")["joint_cloud_share_pct"]
    cmap = mpl.colormaps["Blues"]
    norm = mpl.colors.Normalize(vmin=0, vmax=max(50.0, float(values.max())))
    names = [p for p in pp if p in values.index]

    def draw(ax, prefs):
        ax.add_collection(PathCollection([pp[p] for p in prefs], facecolors=[cmap(norm(values[p])) for p in prefs],
                                         edgecolors="#666666", linewidths=0.3))

    fig, ax = _map_figure(8.2, 8.2)
    draw(ax, [p for p in names if p != "沖縄県"])
    ext = [pp[p].get_extents() for p in names if p != "沖縄県"]
    ax.set_xlim(min(e.x0 for e in ext), max(e.x1 for e in ext))
    ax.set_ylim(min(e.y0 for e in ext), max(e.y1 for e in ext))
    inset = ax.inset_axes(_INSETS[0][4])
    inset.set_aspect("equal")
    inset.set_xticks([])
    inset.set_yticks([])
    draw(inset, ["沖縄県"])
    _lonlat_view(inset, _INSETS[0][3])
    inset.set_title(_pair("map_okinawa", lang), fontsize=7, pad=2)
    sm = mpl.cm.ScalarMappable(norm=norm, cmap=cmap)
    fig.colorbar(sm, ax=ax, shrink=0.5, label=_pair("map_share_bar", lang))
    ax.set_title(_pair("map_share_title", lang))
    _attribution(fig, lang)
    return fig


def map_prefecture(frame: pd.DataFrame, groups: pd.DataFrame, members: pd.DataFrame, planned: pd.DataFrame,
                   prefecture: str, lang: str = "ja") -> Figure:
    """One prefecture: its municipalities by status (each joint-cloud group in its own colour, named in the
    legend; planned joiners by target year; the others pale)."""
    from matplotlib.patches import Patch


    _text(lang)
    sub = frame[frame["prefecture"] == prefecture]
    gids = sorted(sub["joint_cloud_group_id"].dropna().astype(int).unique())
    palette = {g: _GROUP_PALETTE[k % len(_GROUP_PALETTE)] for k, g in enumerate(gids)}
    joiners = planned[(planned["prefecture"] == prefecture) & ~planned["already_member_2018_04"]]
    joiners = joiners.drop_duplicates("code").set_index("code")["target_fy"]
    fill = []
    for code, gid in zip(sub["code"], sub["joint_cloud_group_id"]):
        if pd.notna(gid):
            fill.append(palette[int(gid)])
        elif code in joiners.index:
            fy = joiners[code]
            fill.append(_YEAR_COLORS.get(int(fy), _UNDETERMINED) if pd.notna(fy) else _UNDETERMINED)
        else:
            fill.append(_OTHER)
    fig, ax = _map_figure(8.0, 7.0)
    codes = sub["code"].tolist()
    _draw(ax, codes, fill, edge="#ffffff", linewidth=0.4)
    _draw_prefectures(ax, [prefecture], linewidth=0.8)
    main = [c for c in codes if c != "134210"] or codes  # 小笠原村 would shrink 東京都 to a dot
    _view(ax, main)
    handles = [Patch(facecolor=palette[g], label=vocab.group_name(g, groups, members, lang, with_id=True))
               for g in gids]
    years = sorted(int(y) for y in joiners.dropna().unique())
    handles += [Patch(facecolor=_YEAR_COLORS.get(y, _UNDETERMINED), label=_pair("map_planned", lang).format(fy=y))
                for y in years]
    if joiners.isna().any():
        handles.append(Patch(facecolor=_UNDETERMINED, label=_pair("map_planned_undetermined", lang)))
    handles.append(Patch(facecolor=_OTHER, edgecolor="#cccccc", label=_pair("map_other", lang)))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7, frameon=False)
    ax.set_title(_pair("map_pref_title", lang).format(prefecture=prefecture))
    _attribution(fig, lang, ("小笠原村は範囲外" if lang == "ja" else "Ogasawara lies outside the view")
                 if "134210" in codes else "")
    return fig


def map_group(frame: pd.DataFrame, groups: pd.DataFrame, members: pd.DataFrame, group_id: int,
              lang: str = "ja") -> Figure:
    """A group's members highlighted within their prefecture(s); members of other groups shaded."""
    from matplotlib.patches import Patch


    _text(lang)
    mine = set(members.loc[members["group_id"] == group_id, "code"])
    prefs = sorted(set(frame.loc[frame["code"].isin(mine), "prefecture"]))
    sub = frame[frame["prefecture"].isin(prefs)]
    fill = [STATUS_COLORS["joint"] if c in mine else ("#c6dbef" if pd.notna(g) else _OTHER)
            for c, g in zip(sub["code"], sub["joint_cloud_group_id"])]
    fig, ax = _map_figure(8.0, 7.0)
    codes = sub["code"].tolist()
    _draw(ax, codes, fill, edge="#ffffff", linewidth=0.4)
    _draw_prefectures(ax, prefs, linewidth=0.8)
    _view(ax, [c for c in codes if c != "134210"] or codes)
    name = vocab.group_name(group_id, groups, members, lang)
    handles = [Patch(facecolor=STATUS_COLORS["joint"], label=_pair("map_group_member", lang)),
               Patch(facecolor="#c6dbef", label=_pair("map_other_group", lang)),
               Patch(facecolor=_OTHER, edgecolor="#cccccc", label=_pair("map_other", lang))]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7, frameon=False)
    ax.set_title(_pair("map_group_title", lang).format(group_id=group_id, name=name))
    _attribution(fig, lang)
    return fig


def map_municipalities(frame: pd.DataFrame, column: str, lang: str = "ja", title: str | None = None,
                       cmap: str = "viridis", categorical: bool | None = None, label: str | None = None,
                       context: bool = True) -> Figure:
    """Any frame with a ``code`` column (e.g. a filtered ``jc.load(...)``), its municipalities coloured by
    ``column``: a colour bar for numbers, a legend for categories. ``context`` draws the rest of their
    prefectures pale. The title should say what the values are (公表値, 導出値, 実データ, シミュレーション)."""
    import matplotlib as mpl
    from matplotlib.patches import Patch

    from jichitai_cloud.clean import maps
    from jichitai_cloud.io import store

    _text(lang)
    if "code" not in frame.columns or column not in frame.columns:
        raise ValueError(f"map_municipalities needs a 'code' column and the column {column!r}")
    known = maps.paths()
    data = frame[frame["code"].isin(known)].drop_duplicates("code")
    if data.empty:
        raise ValueError("none of the frame's codes is one of the 1,741 municipalities")
    values = data[column]
    categorical = (not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values)) \
        if categorical is None else categorical
    fig, ax = _map_figure(8.0, 7.0)
    everything = store.read_table("municipalities")[["code", "prefecture"]]
    prefs = sorted(set(everything.loc[everything["code"].isin(data["code"]), "prefecture"]))
    if context:
        rest = everything[everything["prefecture"].isin(prefs) & ~everything["code"].isin(data["code"])]["code"]
        _draw(ax, rest.tolist(), [_OTHER] * len(rest))
    if categorical:
        cats = [c for c in pd.unique(values.astype(str))]
        palette = {c: _GROUP_PALETTE[k % len(_GROUP_PALETTE)] for k, c in enumerate(cats)}
        _draw(ax, data["code"].tolist(), [palette[str(v)] for v in values], linewidth=0.3)
        handles = [Patch(facecolor=palette[c], label=c) for c in cats]
        if context:
            handles.append(Patch(facecolor=_OTHER, edgecolor="#cccccc", label=_pair("map_no_value", lang)))
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7, frameon=False)
    else:
        norm = mpl.colors.Normalize(vmin=float(values.min()), vmax=float(values.max()))
        cm = mpl.colormaps[cmap]
        colours = ["#ffffff" if pd.isna(v) else cm(norm(float(v))) for v in values]
        _draw(ax, data["code"].tolist(), colours, linewidth=0.3)
        from jichitai_cloud.registry import metadata

        known = metadata.field_for(column) is not None
        fig.colorbar(mpl.cm.ScalarMappable(norm=norm, cmap=cm), ax=ax, shrink=0.6,
                     label=label or (metadata.header(column, lang, provenance=False) if known else column))
    _draw_prefectures(ax, prefs, linewidth=0.6)
    main = [c for c in data["code"] if c != "134210"] or data["code"].tolist()
    _view(ax, main)
    if title is None:
        from jichitai_cloud.registry import metadata

        if metadata.field_for(column) is None and label is None:
            raise ValueError(f"say what {column!r} is: pass title= with its kind of figure (公表値, 導出値, 実データ, "
                             f"シミュレーション), or label= (the title then says ［…］ only for registered columns)")
        title = _pair("map_column_title", lang).format(
            column=label if label is not None else metadata.header(column, lang, survey_input=_survey_kind()))
    ax.set_title(title)
    _attribution(fig, lang)
    return fig


def _survey_kind() -> str:
    from jichitai_cloud.io import store

    return store.read_table("survey_input")["input"].iloc[0]
