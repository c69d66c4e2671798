"""What the registry's declarations derive: pandera schemas and validation, headers and kinds of figure for
readers, and the codebook.

The only module that imports pandera, and only inside the functions that build a schema (0.2 s that
the report kernel and most commands never need). Every table is validated from its declaration in
:mod:`resources` alone: columns in order, dtypes, nulls, the primary key, each field's value checks
(:mod:`field`: isin, between, gt, ge, regex, unique, a function of the column such as the code's
check digit) and the table's checks over its rows.
"""

from __future__ import annotations

from jichitai_cloud.registry import vocab
from jichitai_cloud.registry.display_columns import field_for
from jichitai_cloud.registry.field import UNITS, Field, ValueCheck
from jichitai_cloud.registry.resources import RESOURCES

PROVENANCE = vocab.PROVENANCE
_PANDERA_DTYPE = {"str": str, "bool": bool, "float64": float, "geometry": None}


# --- schemas and validation ------------------------------------------------------------------------------

def _check(pa, c: ValueCheck):
    if c.kind == "isin":
        return pa.Check.isin(list(c.args[0]), error=c.expected)
    if c.kind == "between":
        return pa.Check.between(*c.args, error=c.expected)
    if c.kind == "gt":
        return pa.Check.gt(c.args[0], error=c.expected)
    if c.kind == "ge":
        return pa.Check.ge(c.args[0], error=c.expected)
    if c.kind == "regex":
        pattern = c.args[0]
        return pa.Check(lambda s: s.str.fullmatch(pattern).fillna(False).astype(bool), element_wise=False,
                        error=c.expected)
    if c.kind == "satisfies":
        return pa.Check(c.args[0], element_wise=False, error=c.expected)
    raise ValueError(f"unknown value check {c.kind!r}")


def _column(pa, f: Field):
    checks = [_check(pa, c) for c in f.checks if c.kind != "unique"]
    return pa.Column(_PANDERA_DTYPE.get(f.dtype, f.dtype), checks or None, nullable=f.nullable,
                     unique=any(c.kind == "unique" for c in f.checks))


def schema(table: str):
    """The pandera schema of a registered table: its columns in order (no others), dtypes, nullability,
    value checks, the key's uniqueness and the table's checks over its rows."""
    import pandera.pandas as pa

    r = RESOURCES[table]
    return pa.DataFrameSchema({c: _column(pa, r.field(c)) for c in r.fields}, strict=True, ordered=True,
                              unique=list(r.key) or None, report_duplicates="exclude_first",
                              checks=[pa.Check(c.test, error=c.expected) for c in r.checks] or None)


def _problem(exc, first_row: int | None) -> str:
    """One line from a pandera error: the row, column and value that failed and what was expected."""
    text = str(exc).strip()
    first = text.splitlines()[0] if text else type(exc).__name__
    cases, check = getattr(exc, "failure_cases", None), getattr(exc, "check", None)
    expected = getattr(check, "error", None) if check is not None and not isinstance(check, str) else None
    if not expected:
        return first
    column = getattr(exc.schema, "name", None) if type(exc.schema).__name__ == "Column" else None
    if not hasattr(cases, "columns") or not len(cases) or "index" not in cases.columns:  # a check of the whole table
        return f"column {column}: not {expected}" if column else f"not {expected}"
    case = cases.iloc[0]
    index = case["index"]
    row = f"row {int(index) + first_row}" if first_row is not None and hasattr(index, "__index__") else f"index {index}"
    more = f" ({len(cases) - 1} more)" if len(cases) > 1 else ""
    if column is None:
        return f"{row}: not {expected}{more}"
    value = case["failure_case"]
    value = value.item() if hasattr(value, "item") else value  # a numpy scalar reads as the number it is
    return f"{row}, column {column}: {value!r} is not {expected}{more}"


def validate(df, table: str, error: type[Exception] | None = None, message: str = "{table}: {problem}",
             first_row: int | None = None):
    """``df`` checked against ``table``'s declaration (see :func:`schema`); returns it.

    A frame that does not match raises ``error`` (a user-facing class of :mod:`errors`) with one line,
    ``message`` formatted with ``table`` and ``problem`` (the row, column and value, and what was
    expected); rows are named ``row {index + first_row}`` where ``first_row`` is given (2 for a CSV file
    read with a 0-based index under one header line), else by their index. Without ``error`` pandera's
    own error propagates: a table the code computed that does not match is a bug, not a user's mistake.
    """
    import pandera.errors

    try:
        return schema(table).validate(df)
    except (pandera.errors.SchemaError, pandera.errors.SchemaErrors) as exc:
        if error is None:
            raise
        first = (getattr(exc, "schema_errors", None) or [exc])[0]
        raise error(message.format(table=table, problem=_problem(first, first_row))) from None


def conform(table: str, df):
    """The table's columns in the registry's order (others dropped, index reset), validated (a mismatch is
    a bug: pandera's error propagates)."""
    return validate(df[list(RESOURCES[table].fields)].reset_index(drop=True), table)


# --- headers and kinds of figure ---------------------------------------------------------------------------

# Count units the header already names ("joint cloud", "members"): no "(municipalities)" after them.
_UNIT_NOT_SHOWN = {"", "ratio", "index", "probability", "municipalities", "groups", "rows", "geometries"}


def kind_of(field: Field, survey_input: str | None = "simulated") -> str:
    """A field's kind of figure for readers: its provenance, with 'survey' resolved to the survey used
    (simulated, or real for a reported file)."""
    if field.provenance == "survey":
        return "simulated" if survey_input in (None, "simulated") else "real"
    return field.provenance


def kinds_of(table: str, columns, inferred: bool = False, survey_input: str | None = "simulated") -> str:
    """The kinds of figure of a registered table's columns, '+'-joined in vocab order (keys skipped;
    ``inferred`` adds 推定 for rows resting on the inferred chart label): what a title or tag must say."""
    found = {kind_of(RESOURCES[table].field(c), survey_input) for c in columns} - {"key"}
    if inferred:
        found.add("inferred")
    unknown = found - set(vocab.KIND)
    if unknown:
        raise ValueError(f"{table}: columns of no kind of figure: {sorted(unknown)}")
    return "+".join(k for k in vocab.KIND if k in found)


def kind_tag(table: str, columns, lang: str = "ja", inferred: bool = False,
             survey_input: str | None = "simulated") -> str:
    """'［導出値・試算］' / ' [derived, scenario]' for a registered table's columns (see :func:`kinds_of`), to
    append to a title or caption (English with the space it needs)."""
    return ("" if lang == "ja" else " ") + vocab.kind_tag(kinds_of(table, columns, inferred, survey_input), lang)


def header(column: str, lang: str = "ja", table: str | None = None, provenance: bool = True,
           survey_input: str | None = "simulated") -> str:
    """A column's header for readers: name, unit and, by default, its kind of figure (［公表値］ …).

    A unit goes inside a closing parenthesis the header already has: 人口（平成29年1月1日、人）.
    ``survey_input``: for columns computed from the survey, the survey used (simulated or reported).
    """
    f = field_for(column, table)
    ja = lang == "ja"
    text = f.header_ja if ja else f.header_en
    unit = UNITS[f.unit][0 if ja else 1]
    if unit and f.unit not in _UNIT_NOT_SHOWN:
        close = "）" if ja else ")"
        if text.endswith(close):
            text = text[:-1] + ("、" if ja else ", ") + unit + close
        else:
            text += f"（{unit}）" if ja else f" ({unit})"
    if provenance and f.provenance != "key":
        tag = PROVENANCE[kind_of(f, survey_input)][0 if ja else 1]
        text += f"［{tag}］" if ja else f" [{tag}]"
    return text


# --- the codebook ----------------------------------------------------------------------------------------

def codebook():
    """The codebook: one row per processed table × column (table, column, dtype, unit, description_ja,
    description_en, provenance, sources), in the catalogue's order. Provenance 'survey' reads
    'survey (simulated by default; real with a reported file)'."""
    import pandas as pd

    from jichitai_cloud.registry.catalog import TABLES

    rows = []
    for name in TABLES:
        r = RESOURCES[name]
        for column in r.fields:
            f = r.field(column)
            kind = ("survey (simulated by default; real with a reported file)" if f.provenance == "survey"
                    else PROVENANCE[f.provenance][1] + ("" if f.provenance == "key" else f" ({PROVENANCE[f.provenance][0]})"))
            rows.append({"table": name, "column": column, "dtype": f.dtype, "unit": UNITS[f.unit][1],
                         "description_ja": f.ja, "description_en": f.en, "provenance": kind,
                         "sources": " ; ".join(r.sources)})
    return pd.DataFrame(rows)


def codebook_markdown(book=None) -> str:
    """The codebook (default: :func:`codebook`) as Markdown, as data/processed/codebook.md: per table its
    description, key and sources, then one row per column."""
    from jichitai_cloud.registry.catalog import TABLES

    book = codebook() if book is None else book
    out = ["# Codebook of data/processed", "",
           "Generated by the build from the registry, `lib/jichitai_cloud/registry/` (tables in `resources.py`, "
           "columns in `fields_data.py` and `fields_analysis.py`; also `jichitai-cloud codebook --markdown`); "
           "the same rows are in `data/processed/codebook.csv` (UTF-8 with BOM). Provenance: published (公表値), derived (導出値), "
           "real (実データ), simulated (シミュレーション); 'survey' columns are simulated unless a real survey file "
           "was used.", ""]
    for name in [t for t in TABLES if t in set(book["table"])]:
        r = RESOURCES[name]
        out += [f"## {name}", "", f"{r.en}  ", f"{r.ja}", "",
                f"Key: {', '.join(r.key) or '—'}. Sources: {'; '.join(r.sources) or '—'}.", "",
                "| column | dtype | unit | provenance | description | 説明 |", "|---|---|---|---|---|---|"]
        for row in book[book["table"] == name].itertuples():
            cells = [row.column, row.dtype, row.unit, row.provenance, row.description_en, row.description_ja]
            out.append("| " + " | ".join(str(c).replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
        out.append("")
    return "\n".join(out)
