"""Stage 6a, display: tables and charts for readers (headers in the report language, formats, provenance).

Column headers and formats come from the registry (:func:`jichitai_cloud.registry.schema.header`), the one place
where each column is declared (with its unit and kind of figure, e.g. ［導出値］).
"""

from __future__ import annotations

import hashlib

import pandas as pd
from IPython.display import HTML, Markdown, display
from pandas.io.formats.style import Styler

from jichitai_cloud.errors import ParameterError
from jichitai_cloud.registry import schema, vocab
from jichitai_cloud.report import text

LANGS = vocab.LANGS


# --- tables for reading -------------------------------------------------------------------

# Cell values the library writes in English (how an interval was computed; status codes), for Japanese tables.
_CELLS_JA = {**{en: ja for ja, en in text.METHODS},
             **{code: ja for code, (ja, _) in {**vocab.STATUS, vocab.NOT_JOINT_CODE: vocab.NOT_JOINT}.items()}}


# Cell values the sources write in Japanese that English tables name in English (the vocabulary's English side):
# prefectures in romaji (several: 'Nara, Wakayama'; 全国: Japan), municipality kinds (市: city).
_STATUSES = {**vocab.STATUS, vocab.NOT_JOINT_CODE: vocab.NOT_JOINT}
_CELLS_EN = {"prefecture": vocab.prefecture_name, "prefectures": vocab.prefecture_name, "area": vocab.prefecture_name,
             "kind": vocab.municipality_kind,
             "cloud_status": lambda v, lang: vocab.pick(_STATUSES[v], lang) if v in _STATUSES else v}


class Table(Styler):
    """A Styler whose text form names its shape (pandas' default shows a memory address,
    which changes on every run and would churn committed notebooks)."""

    def __repr__(self) -> str:
        rows, cols = self.data.shape
        return f"<table: {rows} rows × {cols} columns>"


def styled(df: pd.DataFrame, lang: str = "ja", caption: str | None = None, key: str | None = None,
           right: list[str] | None = None, table: str | None = None, headers: dict | None = None,
           formats: dict | None = None, survey_input: str | None = None) -> Styler:
    """A frame for reading: headers in the report language, thousands separators, no index.

    Headers and formats come from the registry: the columns of ``table`` (a registered table)
    with its own meanings, other columns by name. Each header carries its unit; it carries the
    kind of figure (［導出値］ …) when ``table`` is given or the columns mix kinds (otherwise the
    caption says it). ``survey_input`` (simulated / reported) names the kind of columns computed
    from the survey; by default the current build's. ``headers`` and ``formats`` (column -> text /
    format) override. ``key`` fixes the HTML ids (by default derived from the columns and caption)
    so that re-running a notebook gives identical output. Text columns are left-aligned, numbers
    and the columns named in ``right`` right-aligned.
    """
    if lang not in LANGS:
        raise ParameterError(f"lang must be one of {', '.join(LANGS)}; got {lang!r}")
    if lang == "ja":
        df = df.assign(**{c: df[c].map(lambda v: _CELLS_JA.get(v, v)) for c in ("covariance", "method", "cloud_status")
                          if c in df.columns})
    else:
        df = df.assign(**{c: df[c].map(lambda v, name=f: name(v, "en")) for c, f in _CELLS_EN.items()
                          if c in df.columns})
    yes_no = vocab.YES_NO[0 if lang == "ja" else 1]
    df = df.assign(**{c: df[c].map(lambda v: yes_no[0] if v else yes_no[1]) for c in df.columns
                      if pd.api.types.is_bool_dtype(df[c])})
    known = {c: f for c in df.columns if (f := schema.field_for(c, table)) is not None}
    kinds = {f.provenance for f in known.values() if f.provenance != "key"}
    tagged = bool(table) or len(kinds) > 1
    if tagged and "survey" in kinds and survey_input is None:
        from jichitai_cloud.io import store

        survey_input = store.read_table("survey_input")["input"].iloc[0]
    names = {c: schema.header(c, lang, table, provenance=tagged, survey_input=survey_input) for c in known}
    formats_by_column = {c: f.fmt for c, f in known.items()}
    names.update(headers or {})
    formats_by_column.update(formats or {})
    headers = names
    formats = {headers.get(c, c): f for c, f in formats_by_column.items()}
    shown = df.rename(columns=headers)
    if not shown.columns.is_unique:
        dup = sorted({c for c in shown.columns if list(shown.columns).count(c) > 1})
        raise ParameterError(f"two columns would show the same header {dup}; drop one or pass headers=")
    uid = key or hashlib.sha1("|".join(map(str, shown.columns)).encode() + (caption or "").encode()).hexdigest()[:10]
    st = Table(shown, uuid=uid, cell_ids=False, na_rep="—").format(formats, na_rep="—").hide(axis="index")
    # Per-cell alignment (a table-wide td rule would outrank it): text left, numbers right.
    force_right = {headers.get(c, c) for c in (right or [])}
    text_cols = [c for c in shown.columns
                 if not pd.api.types.is_numeric_dtype(shown[c]) and c not in force_right]
    num_cols = [c for c in shown.columns if c not in text_cols]
    if text_cols:
        st = st.set_properties(subset=text_cols, **{"text-align": "left"})
    if num_cols:
        st = st.set_properties(subset=num_cols, **{"text-align": "right"})
    if caption:
        st = st.set_caption(caption)
    return st.set_table_styles([
        {"selector": "caption", "props": "caption-side: top; text-align: left; font-weight: bold;"},
        # A header wraps at its spaces, but never into a column narrower than a short number (JupyterLab).
        {"selector": "th", "props": "text-align: center; min-width: 6em;"},
    ], overwrite=False)


class WholeText(pd.DataFrame):
    """A frame shown with its text whole, left-aligned and wrapped (pandas cuts cells at 50 characters with
    '…'): jc.tables(). Anything computed from it is a plain DataFrame."""

    @property
    def _constructor(self):
        return pd.DataFrame

    def _repr_html_(self) -> str:
        st = Table(pd.DataFrame(self), uuid="whole-text", cell_ids=False).hide(axis="index")
        return st.set_properties(**{"text-align": "left", "white-space": "normal"}).to_html()

    def __repr__(self) -> str:
        rows = [list(map(str, self.columns))] + [[str(v) for v in row] for row in self.itertuples(index=False)]
        widths = [max(len(r[k]) for r in rows) for k in range(len(self.columns) - 1)]
        return "\n".join("  ".join([*(c.ljust(w) for c, w in zip(r, widths)), r[-1]]) for r in rows)


def show(st: Styler) -> None:
    """Display a styled table as HTML (its text form would carry a memory address)."""
    display(HTML(st.to_html()))


def show_labelled(obj, caution: str) -> None:
    """A table (Styler) or chart with the survey caution directly above it (simulated or reported)."""
    display(Markdown(caution))
    if isinstance(obj, Styler):
        show(obj)
    else:
        show_figure(obj)


def show_figure(fig) -> None:
    """Display a chart with its title as alternative text (used by the HTML rendering)."""
    alt = " ".join(t for t in [fig._suptitle.get_text() if fig._suptitle else ""]
                   + [ax.get_title() for ax in fig.axes] if t)
    display(fig, metadata={"image/png": {"alt": alt}})


