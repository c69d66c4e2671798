"""Stage 6a, charts' common ground: one style with Japanese glyphs, chart text, figure, caption and axes helpers.

Figures are built with ``matplotlib.figure.Figure`` (not pyplot), so nothing is drawn twice in a notebook and
no global state leaks between charts. Chart text is :data:`text.CHART` (Japanese and English pairs); kinds of
figure come from the registry (:mod:`jichitai_cloud.report.kinds`).
"""

from __future__ import annotations

import re
import unicodedata

import matplotlib
import matplotlib_fontja
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from jichitai_cloud.errors import ParameterError
from jichitai_cloud.registry import vocab
from jichitai_cloud.report import text
from jichitai_cloud.survey.labels import survey_caption, survey_label

STATUS_COLORS = {"joint": "#1f77b4", "single": "#ff7f0e", "none": "#8c8c8c", vocab.NOT_JOINT_CODE: "#8c8c8c"}
FONT = "IPAexGothic"  # bundled with matplotlib-fontja

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


def ready(lang: str) -> None:
    """Validate a chart's ``lang``; apply the style once."""
    if lang not in vocab.LANGS:
        raise ParameterError(f"lang must be one of {sorted(vocab.LANGS)}, got {lang!r}")
    if not _styled:
        set_style()


def say(key: str, lang: str, **fmt) -> str:
    """``text.CHART[key]`` in ``lang`` (validated; the style applied once), formatted with ``fmt``."""
    ready(lang)
    words = vocab.pick(text.CHART[key], lang)
    return words.format(**fmt) if fmt else words


def survey_labels(lang: str, input_label: str | None, caption: str | None) -> tuple[str, str]:
    """The simulated/reported label and caption of the current build's survey, unless given."""
    if input_label is None or caption is None:
        from jichitai_cloud.io import store

        info = store.read_table("survey_input")
        input_label = survey_label(info, lang, short=True) if input_label is None else input_label
        caption = survey_caption(info, lang) if caption is None else caption
    return input_label, caption


def survey_kind(table: pd.DataFrame | None = None) -> str:
    """simulated or reported: a frame's ``survey_input`` attribute, else the current build's."""
    kind = None if table is None else table.attrs.get("survey_input")
    if kind is None:
        from jichitai_cloud.io import store

        kind = store.read_table("survey_input")["input"].iloc[0]
    return kind


def simulated(table: pd.DataFrame) -> bool:
    """Whether a frame of survey rows is simulated. Simulated per-municipality values are drawn without names
    (they check methods, never describe a place)."""
    return survey_kind(table) == "simulated"


def anonymous(population, lang: str) -> str:
    return say("anonymous", lang, population=int(population))


def figure(width: float = 8.0, height: float = 4.2) -> tuple[Figure, object]:
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.subplots()


_FULL_WIDTH = r"\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"


def wrap(words: str, width_pt: float, fontsize: float = 8.0) -> list[str]:
    """Break text into lines that fit ``width_pt``, at word boundaries: between any two full-width
    characters (Japanese has no spaces) and at spaces, never inside a Latin word or number.
    Full-width characters count a full em, others about half (matplotlib's own wrapping breaks
    only at spaces)."""

    def width(s: str) -> float:
        return sum(fontsize * (1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.56) for ch in s)

    lines = []
    for paragraph in words.split("\n"):
        # tokens: one full-width character, or a run of other non-space characters, or spaces
        tokens = re.findall(rf"[{_FULL_WIDTH}]|[^\s{_FULL_WIDTH}]+|\s+", paragraph)
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


def add_caption(fig: Figure, words: str) -> None:
    """A caption under the chart, wrapped to the figure's width, with room kept for it."""
    width_pt, height_pt = fig.get_figwidth() * 72, fig.get_figheight() * 72
    lines = wrap(words, width_pt * 0.96)
    bottom = min(0.4, (len(lines) * 10.5 + 6) / height_pt)
    fig.get_layout_engine().set(rect=(0, bottom, 1, 1 - bottom))
    fig.text(0.01, 0.01, "\n".join(lines), ha="left", va="bottom", fontsize=8, color="#444444")


def thousands(ax, axis: str = "y") -> None:
    fmt = FuncFormatter(lambda v, _: f"{v:,.0f}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def plain_log_ticks(axis) -> None:
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


def status_names(lang: str) -> dict[str, str]:
    """joint / single / none (and not_joint) -> their names in the report language (as the survey writes them)."""
    names = {**vocab.STATUS, vocab.NOT_JOINT_CODE: vocab.NOT_JOINT}
    return {code: vocab.pick(pair, lang) for code, pair in names.items()}


def class_labels(lang: str) -> dict[int, str]:
    """class id -> the population class's label in ``lang`` (the vocabulary's)."""
    return {c: vocab.class_label(c, lang) for c in vocab.CLASS_IDS}
