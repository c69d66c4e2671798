"""Kinds of figure for readers (公表値, 導出値, 実データ, ...): derived from the registry, never typed.

Every tag a report, chart or index shows (［公表値・導出値］ / [published, derived]) is computed here from the
columns its numbers come from. A *source* is a tuple ``(table, column, ...)``: columns of a registered table
(:func:`schema.kinds_of`), or, with ``table`` None, columns by name (their display or global field, for a
frame computed on the fly such as :func:`published.derived_by_class`). Kinds are listed in the vocabulary's
order (:data:`vocab.KIND`); ``inferred`` adds 推定 for numbers resting on the inferred chart label, and
``survey_input`` resolves columns computed from the survey (simulated, or real for a reported file).

Light on purpose (no pandas): the index page and the command line use it too.
"""

from __future__ import annotations

from jichitai_cloud.registry import schema, vocab

Source = tuple  # (table or None, column, column, ...)


def kinds(*sources: Source, inferred: bool = False, survey_input: str | None = "simulated") -> str:
    """The kinds of the sources' columns, '+'-joined in the vocabulary's order (keys skipped)."""
    found = set()
    for table, *columns in sources:
        if table is None:
            fields = [schema.field_for(c) for c in columns]
            missing = [c for c, f in zip(columns, fields) if f is None]
            if missing:
                raise ValueError(f"columns not in the registry: {missing}")
            found |= {schema.kind_of(f, survey_input) for f in fields}
        else:
            joined = schema.kinds_of(table, columns, survey_input=survey_input)
            found |= set(joined.split("+")) if joined else set()
    found.discard("key")
    if inferred:
        found.add("inferred")
    if not found:
        raise ValueError(f"no kind of figure in {sources}: name the columns the numbers come from")
    return "+".join(k for k in vocab.KIND if k in found)


def bare(lang: str, *sources: Source, inferred: bool = False, survey_input: str | None = "simulated") -> str:
    """'［公表値・導出値］' / '[published, derived]': a tag on its own (e.g. opening a caption)."""
    return vocab.kind_tag(kinds(*sources, inferred=inferred, survey_input=survey_input), lang)


def tag(lang: str, *sources: Source, inferred: bool = False, survey_input: str | None = "simulated") -> str:
    """A tag to append to a title, header or phrase: '［導出値］' (ja) or ' [derived]' (en, with its space)."""
    return ("" if lang == "ja" else " ") + bare(lang, *sources, inferred=inferred, survey_input=survey_input)


def label(lang: str, *sources: Source, inferred: bool = False, survey_input: str | None = "simulated") -> str:
    """The kinds as words, without brackets: '公表値・導出値' / 'published, derived' (a table's source column)."""
    return bare(lang, *sources, inferred=inferred, survey_input=survey_input)[1:-1]


def tag_of(kind: str, lang: str) -> str:
    """A kind code ('derived', or several '+'-joined) as a tag to append: '［導出値］' / ' [derived]'."""
    return ("" if lang == "ja" else " ") + vocab.kind_tag(kind, lang)


def label_of(kind: str, lang: str) -> str:
    """A kind code ('derived', or several '+'-joined) as words: '導出値' / 'derived'."""
    return vocab.kind_tag(kind, lang)[1:-1]


def union(*joined: str) -> str:
    """Several '+'-joined kinds as one, in the vocabulary's order (the kinds of a table's rows together)."""
    found = {k for j in joined for k in j.split("+") if k}
    return "+".join(k for k in vocab.KIND if k in found)
