"""Stage 6b, what a report shows: one report's context (its parameters, tables, language, numbering) and
its sections.

Every section is a function of a :class:`Context`: it reads tables through it (each read once per report),
takes its text from :mod:`jichitai_cloud.report.text` and its kinds of figure from the registry
(:meth:`Context.tag`), and shows numbered tables and charts. A :class:`Section` pairs a heading with
that function and, where the heading says what kind its figures are, the columns they come from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pandas as pd
from IPython.display import Markdown, display

from jichitai_cloud.io import store
from jichitai_cloud.registry import vocab
from jichitai_cloud.report import kinds, text
from jichitai_cloud.report.display import show, show_figure, show_labelled, styled
from jichitai_cloud.survey.labels import survey_caution, survey_label

# The standard models and the class-level model, as reports name them (the vocabulary's names).
MODELS = {**vocab.MODELS, "class_level": vocab.CLASS_LEVEL_MODEL}
# Regression terms: the status terms as the vocabulary names the statuses (the model writes their English).
TERMS = {**{vocab.STATUS[s][1]: vocab.STATUS[s] for s in ("joint", "single")}, **text.TERMS}


class Words:
    """A report's words in its language: text by key, labels, lists, ranges and kinds in words."""

    def __init__(self, lang: str):
        self.lang = lang

    def t(self, key: str, **fmt) -> str:
        """``text.TEXT[key]`` in the report's language, formatted with ``fmt``."""
        words = vocab.pick(text.TEXT[key], self.lang)
        return words.format(**fmt) if fmt else words

    def pick(self, pair: tuple[str, str]) -> str:
        return vocab.pick(pair, self.lang)

    def join(self, items, sep: str = "list_sep") -> str:
        return self.t(sep).join(items)

    def kind_tag(self, kind: str) -> str:
        """Kinds ('+'-joined codes) as a tag to append (a kind a table's rows carry as data)."""
        return kinds.tag_of(kind, self.lang)

    def kind_words(self, kind: str) -> str:
        """Kinds ('+'-joined codes) in words: 公表値・導出値 / published, derived (a table's source column)."""
        return kinds.label_of(kind, self.lang)

    def rows_tag(self, row_kinds: list[str]) -> str:
        """A caption's tag for a table whose rows each say their kind: every kind, and where to look."""
        return self.t("rows_tag", kinds=kinds.label_of(kinds.union(*row_kinds), self.lang))

    def class_label(self, class_id: int) -> str:
        """２万人未満 / under 20k: the vocabulary's label."""
        return vocab.class_label(class_id, self.lang)

    def cell_name(self, class_id: int, status: str) -> str:
        """A class × status cell for readers: 「２万人未満」の自治体クラウド / under 20k joint cloud."""
        return self.t("cell_name", cls=self.class_label(class_id), status=vocab.status(status, self.lang))

    def range(self, lo: float, hi: float, digits: int = 1, unbounded_at: float | None = None) -> str:
        """A range for readers: '0～21.0' (ja) or '0–21.0' (en); one number where both ends print the same;
        '限定なし' / 'not bounded' where it spans everything up to ``unbounded_at``."""
        if unbounded_at is not None and lo <= 1e-9 and hi >= unbounded_at - 1e-9:
            return self.t("ev_not_bounded")
        a, b = f"{lo:,.{digits}f}", f"{hi:,.{digits}f}"
        return a if a == b else self.t("range", low=a, high=b)


class Context(Words):
    """What every section needs: the parameters, tables (read once), the language, and the running
    section, sub-section and table numbers."""

    def __init__(self, params: dict):
        super().__init__(params["lang"])
        self.params = params
        self._tables: dict[str, pd.DataFrame] = {}
        self.section_no = 0
        self.sub_no = 0
        self.table_no = 0

    def load(self, name: str) -> pd.DataFrame:
        if name not in self._tables:
            self._tables[name] = store.read_table(name)
        return self._tables[name]

    def tag(self, *sources: kinds.Source, inferred: bool = False) -> str:
        """The kind of figure of the sources' columns, to append (see :mod:`kinds`)."""
        return kinds.tag(self.lang, *sources, inferred=inferred, survey_input=self.survey_input)

    def kinds(self, *sources: kinds.Source) -> str:
        """The kinds of figure of the sources' columns, '+'-joined (a row's kind; :meth:`kind_words` shows it)."""
        return kinds.kinds(*sources, survey_input=self.survey_input)

    # --- the survey ---------------------------------------------------------------------------------------

    @property
    def survey_input(self) -> str:
        return self.load("survey_input")["input"].iloc[0]

    @property
    def simulated(self) -> bool:
        return self.survey_input == "simulated"

    @property
    def survey_label(self) -> str:
        return survey_label(self.load("survey_input"), self.lang, short=True)

    @property
    def survey_tag(self) -> str:
        """:attr:`survey_label` to append to a caption: '［シミュレーション］' / ' [simulated]' (with its space)."""
        return ("" if self.lang == "ja" else " ") + self.survey_label

    @property
    def caution(self) -> str:
        return survey_caution(self.load("survey_input"), self.lang, short=True)

    # --- showing ------------------------------------------------------------------------------------------

    def markdown(self, words: str) -> None:
        display(Markdown(words))

    def subheading(self, key: str) -> None:
        self.sub_no += 1
        self.markdown(f"### {self.section_no}.{self.sub_no} {self.t(key)}")

    def caption(self, words: str) -> str:
        self.table_no += 1
        return self.t("table", n=self.table_no, caption=words)

    def table(self, df: pd.DataFrame, caption: str, key: str, caution: str | None = None, **kw) -> None:
        """A numbered table (``caption``: its text without the number); ``caution`` above it."""
        kw.setdefault("survey_input", self.survey_input)
        st = styled(df, self.lang, self.caption(caption), key=key, **kw)
        show_labelled(st, caution) if caution else show(st)

    def figure(self, fig, caution: str | None = None) -> None:
        show_labelled(fig, caution) if caution else show_figure(fig)


@dataclass(frozen=True)
class Section:
    """A numbered section: its heading (a ``text.TEXT`` key), the function that shows its body, and the
    sources of the kind its heading states (none: the heading states no kind)."""

    key: str
    body: Callable[[Context], None]
    kind: tuple = ()

    def heading(self, ctx: Context) -> str:
        return ctx.t(self.key) + (ctx.tag(*self.kind) if self.kind else "")


def anchor(k: int) -> str:
    """The HTML id of section ``k`` (the table of contents links to it)."""
    return f"section-{k}"
