"""Stage 6, export: the processed tables of the current build as one Excel workbook, for readers who use Excel.

``jichitai-cloud export --xlsx FILE`` and ``jc.to_excel(path)``. The workbook holds, in order:

- a contents sheet: the build id, the package version, the survey the build used (simulated, or the real
  file's name and sha256), the licences, the tables left out and why, then one row per table (its sheet,
  rows, kinds of figures, description, and a note where its figures are simulated);
- a sheet per table, named after it (at most 31 characters, unique; the full name is in its first line):
  two lines above the headers (the table and its description; its kinds of figures, the build, and for a
  simulated table a warning), the headers with unit and kind of figure in the chosen language, taken from
  the registry as the reports take them (:func:`schema.header`), the column names under them (the
  codebook's), then the rows. The four lines stay in view (frozen); each column is as wide as its widest
  value, within bounds (a long header wraps);
- the codebook (the build's ``codebook`` table, a sheet like the others) and a sheet of the sources and
  their licences (data/raw/SOURCES.yml; the code's licence from LICENSE).

Numbers stay numbers (shown with the registry's format), dates are dates, missing values are empty cells.
Every text cell passes :func:`jichitai_cloud.io.escape.cell` (a text Excel would read as a formula gets a
leading quote, as in the build's CSV files); characters XML cannot hold are written out (``\\x1b``).

Tables holding geometry (``boundaries*``) are left out, with a line on the contents sheet: they are in the
GeoParquet files. A table longer than a sheet holds (1,048,576 rows, less the four above the data) is refused
in one line, before anything is written; it is not split. The tables are read from one verified build under
the shared lock of data/processed (a build cannot switch it meanwhile), the workbook is made in memory, then
written beside the target and renamed over it (:func:`journal.write_atomic`): a failure leaves the target as
it was and no partial file. No journal: a user's folder has no lock of ours under which a later run could
clean one; the only window in which a killed process leaves a hidden ``.<name>.<pid>.<token>.part`` beside
the target is that of writing the finished bytes.
"""

from __future__ import annotations

import io
import os
import re
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from jichitai_cloud import __version__, paths
from jichitai_cloud.errors import ExportError, ParameterError, UserPathError
from jichitai_cloud.io import escape, journal, sources, store, userfiles
from jichitai_cloud.registry import formats, schema, vocab
from jichitai_cloud.registry.catalog import TABLES
from jichitai_cloud.registry.resources import RESOURCES
from jichitai_cloud.report.text_workbook import WORKBOOK

MAX_SHEET_NAME = 31  # Excel's limit on a sheet's name
MAX_ROWS = 1_048_576  # Excel's rows per sheet
ABOVE = 4  # lines above a table's rows: title, kinds, headers, column names
MAX_CELL_TEXT = 32_767  # Excel's characters per cell
MIN_WIDTH, MAX_WIDTH, HEADER_WRAP = 6, 50, 24  # column widths (characters; a wide character counts two)
CODEBOOK = "codebook"
# A sheet name may not hold these, nor begin or end with an apostrophe; 'History' is Excel's own.
_NOT_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_RESERVED_SHEET_NAMES = {"history"}
# What XML 1.0 (and so a worksheet) cannot hold; openpyxl refuses such text.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# The registry's display formats (Field.fmt) that are functions, as Excel number formats.
_FUNCTION_FORMATS = {formats.dash: "0", formats.years: "0", formats.int_or_dash: "#,##0",
                     formats.all_or_int: "#,##0", formats.p_value: "0.000", formats.probability: "0.00"}
_PATTERN = re.compile(r"\{:(\+?)(,?)(?:\.(\d+))?([fd%]?)\}")


def words(key: str, lang: str, **values) -> str:
    """A phrase of the workbook (:data:`text_workbook.WORKBOOK`) in ``lang``, with ``values`` filled in."""
    return vocab.pick(WORKBOOK[key], lang).format(**values)


# --- cells ---------------------------------------------------------------------------------------------

def text_cell(value: object) -> str:
    """A text cell: characters a worksheet cannot hold written out, cut to Excel's limit, and neutralised
    against formulas (:func:`escape.cell`: ``=1+1`` becomes ``'=1+1``)."""
    text = str(value)
    if _NOT_IN_XML.search(text):
        text = _NOT_IN_XML.sub(lambda m: escape.visible(m.group()), text)
    if len(text) > MAX_CELL_TEXT - 1:
        text = text[:MAX_CELL_TEXT - 2] + "…"
    return escape.cell(text)


def cell_values(series) -> list:
    """A column's values as cells: None for a missing value, numbers as Python numbers (±inf as ∞ / −∞ text:
    Excel has no infinity), booleans as booleans, dates as dates (a time of day kept), text neutralised."""
    import math

    import pandas as pd

    missing = series.isna().tolist()
    if pd.api.types.is_bool_dtype(series):
        return [None if m else bool(v) for v, m in zip(series.tolist(), missing)]
    if pd.api.types.is_datetime64_any_dtype(series):
        if getattr(series.dt, "tz", None) is not None:  # Excel has no time zones: ISO text keeps the offset
            return [None if m else text_cell(v.isoformat()) for v, m in zip(series.tolist(), missing)]
        timed = bool((series.dropna() != series.dropna().dt.normalize()).any())
        return [None if m else (v.to_pydatetime() if timed else v.date()) for v, m in zip(series.tolist(), missing)]
    if pd.api.types.is_numeric_dtype(series):
        out = []
        for v, m in zip(series.astype(object).tolist(), missing):
            if m:
                out.append(None)
            elif isinstance(v, float) and math.isinf(v):
                out.append("∞" if v > 0 else "−∞")
            else:
                out.append(v.item() if hasattr(v, "item") else v)
        return out
    return [None if m else text_cell(v) for v, m in zip(series.tolist(), missing)]


def excel_format(fmt: object, dtype: str) -> str:
    """The Excel number format showing a column as the registry's display format ``fmt`` shows it
    ('{:,.1f}' -> '#,##0.0', '{:+.1f}' -> '+0.0;-0.0;0.0', '{:.0%}' -> '0%'); 'General' otherwise."""
    if callable(fmt):
        return _FUNCTION_FORMATS.get(fmt, "General")
    m = _PATTERN.fullmatch(str(fmt))
    if m is None:
        return "General"
    sign, comma, decimals, kind = m.groups()
    if decimals is None and (kind == "f" or (kind == "" and not dtype.lower().startswith("int"))):
        return "General"  # '{:,}' of a float, '{:f}': no fixed decimals
    body = ("#,##0" if comma else "0") + ("." + "0" * int(decimals) if decimals and int(decimals) else "")
    if kind == "%":
        body += "%"
    return f"+{body};-{body};{body}" if sign else body


def column_format(series, fmt: object) -> str:
    """A column's Excel number format: a date's ISO form (with the time where a value has one; a date with a
    time zone is ISO text), else the registry's format (:func:`excel_format`)."""
    import pandas as pd

    if pd.api.types.is_datetime64_any_dtype(series):
        if getattr(series.dt, "tz", None) is not None:
            return "General"
        values = series.dropna()
        return "yyyy-mm-dd hh:mm:ss" if bool((values != values.dt.normalize()).any()) else "yyyy-mm-dd"
    return excel_format(fmt, str(series.dtype))


def text_width(text: str) -> int:
    """How many characters wide ``text`` shows: a wide (East Asian) character counts two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def column_width(header: str, name: str, shown) -> float:
    """A column's width: its widest shown value, at least the header's first HEADER_WRAP characters (a longer
    header wraps), within MIN_WIDTH..MAX_WIDTH, plus a margin."""
    body = max((text_width(s) for s in shown), default=0)
    head = min(max(text_width(header), text_width(name)), HEADER_WRAP)
    return float(min(MAX_WIDTH, max(MIN_WIDTH, body, head)) + 2)


def shown_values(series, fmt: object) -> list[str]:
    """The texts whose widths set a column's width: every distinct text; for numbers the smallest and the
    largest value in the registry's format (the widest ones)."""
    import pandas as pd

    values = series.dropna()
    if values.empty:
        return []
    if pd.api.types.is_bool_dtype(series):
        return ["FALSE"]
    if pd.api.types.is_datetime64_any_dtype(series):
        timed = column_format(series, fmt) != "yyyy-mm-dd"
        return [values.iloc[0].isoformat() if timed else str(values.iloc[0].date())]
    if pd.api.types.is_numeric_dtype(series):
        out = []
        for v in (values.min(), values.max()):
            try:
                out.append(fmt(v) if callable(fmt) else str(fmt).format(v))
            except (TypeError, ValueError):
                out.append(str(v))
        return out
    return [str(v) for v in values.unique()]


def sheet_name(name: str, taken: set[str]) -> str:
    """A sheet name for ``name``: characters a sheet name cannot hold replaced by '_', at most 31 characters,
    unique among ``taken`` (compared as Excel does, ignoring case: a clash gets ~2, ~3, ...). Adds it to
    ``taken``."""
    base = _NOT_IN_SHEET_NAME.sub("_", name).strip("'")[:MAX_SHEET_NAME].rstrip("_ ").strip("'") or "sheet"
    candidate, k = base, 2
    while candidate.casefold() in taken or candidate.casefold() in _RESERVED_SHEET_NAMES:
        suffix = f"~{k}"
        candidate = base[:MAX_SHEET_NAME - len(suffix)] + suffix
        k += 1
    taken.add(candidate.casefold())
    return candidate


def headers(table: str, columns, lang: str, survey_input: str) -> list[str]:
    """A registered table's headers for readers: name, unit and kind of figure, as the reports show them."""
    return [schema.header(c, lang, table, provenance=True, survey_input=survey_input) for c in columns]


# --- what to export ---------------------------------------------------------------------------------

def table_names(tables) -> list[str] | None:
    """The tables asked for: None (all), a comma-separated text or an iterable of names; duplicates dropped."""
    if tables is None:
        return None
    items = tables.split(",") if isinstance(tables, str) else [str(t) for t in tables]
    names = list(dict.fromkeys(t.strip() for t in items if t.strip()))
    if not names:
        raise ParameterError("tables names no table; give table names separated by commas, or leave it out for all")
    return names


@dataclass
class Plan:
    """The tables of one build to put on sheets, in order, and those left out (geometry; not in the build)."""

    build: str
    tables: list[str]
    geometry: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)


def plan(build: str, in_build, chosen: list[str] | None) -> Plan:
    """Which tables go on sheets: the chosen ones in the order given (refused in one line, listing the valid
    names, when one is not a table of the build or holds geometry), or every table of the build in the
    catalogue's order, geometry left out. The codebook always gets its sheet, last."""
    present = [t for t in TABLES if t in set(in_build)]
    exportable = [t for t in present if not store.is_geo(t)]
    if chosen is None:
        tables = [t for t in exportable if t != CODEBOOK]
        return Plan(build, tables + [CODEBOOK], [t for t in present if store.is_geo(t)],
                    [t for t in TABLES if t not in set(in_build)])
    geometry = [t for t in chosen if t in present and store.is_geo(t)]
    if geometry:
        raise ParameterError(f"{', '.join(geometry)}: map boundaries (geometry) are not exported to Excel; they are "
                             f"in data/processed/ as GeoParquet files")
    unknown = [t for t in chosen if t not in exportable]
    if unknown:
        raise ParameterError(f"no table {', '.join(map(repr, unknown))} in build {build}; the tables: "
                             f"{', '.join(exportable)}")
    return Plan(build, [t for t in chosen if t != CODEBOOK] + [CODEBOOK])


def target(path: str | os.PathLike) -> Path:
    """Where the workbook goes: ``path`` resolved; its name must end in .xlsx, its folder must exist, and it
    must be a new path or a regular file (a folder, a pipe or a device is refused in one line)."""
    shown = escape.terminal(path)
    if not str(path).lower().endswith(".xlsx"):
        raise UserPathError(f"{shown}: the workbook's name must end in .xlsx (Excel opens a workbook by it)")
    resolved = userfiles.resolve(path, "--xlsx")
    if not resolved.parent.is_dir():
        raise UserPathError(f"{shown}: the folder {escape.terminal(resolved.parent)} does not exist")
    if os.path.lexists(resolved):
        userfiles.check_regular(resolved, "--xlsx", hint="; give a new .xlsx path, or an existing workbook to replace")
    return resolved


# --- the sheets -----------------------------------------------------------------------------------------

def _styles():
    from openpyxl.styles import Alignment, Font, PatternFill

    return {"title": Font(bold=True, size=12), "warning": Font(bold=True, color="C00000"),
            "header": Font(bold=True), "fill": PatternFill("solid", fgColor="E7E6E6"),
            "wrap": Alignment(wrap_text=True, vertical="top"), "name": Font(italic=True, size=9, color="595959"),
            "link": Font(color="0563C1", underline="single")}


def _cell(ws, value, **style):
    from openpyxl.cell import WriteOnlyCell

    c = WriteOnlyCell(ws, value=text_cell(value) if isinstance(value, str) else value)
    for attribute, v in style.items():
        setattr(c, attribute, v)
    return c


def _widths(ws, widths) -> None:
    from openpyxl.utils import get_column_letter

    for k, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(k)].width = width


def simulated(table: str, survey_input: str) -> bool:
    """Whether a table's figures include simulated ones (columns of the simulated survey, or of the
    simulation study): its sheet and contents row say so."""
    kinds = schema.kinds_of(table, RESOURCES[table].fields, survey_input=survey_input)
    return "simulated" in kinds.split("+")


def kinds_label(table: str, lang: str, survey_input: str) -> str:
    """'公表値・導出値' / 'published, derived': a table's kinds of figures, from the registry."""
    kinds = schema.kinds_of(table, RESOURCES[table].fields, survey_input=survey_input)
    return vocab.kind_tag(kinds, lang)[1:-1] if kinds else words("no_kinds", lang)


def _table_sheet(wb, title: str, table: str, frame, lang: str, build: str, survey_input: str, st) -> None:
    """A table's sheet: title, kinds (and a warning where simulated), headers, column names, rows."""
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    r = RESOURCES[table]
    columns = list(frame.columns)
    heads = headers(table, columns, lang, survey_input)
    fmts = [column_format(frame[c], r.field(c).fmt) for c in columns]
    _widths(ws, [column_width(h, c, shown_values(frame[c], r.field(c).fmt)) for h, c in zip(heads, columns)])
    ws.freeze_panes = f"A{ABOVE + 1}"
    if len(frame) and columns:
        ws.auto_filter.ref = f"A{ABOVE}:{get_column_letter(len(columns))}{ABOVE + len(frame)}"
    description = r.ja if lang == "ja" else r.en
    ws.append([_cell(ws, words("sheet_title", lang, table=table, description=description), font=st["title"])])
    kinds = words("sheet_kinds", lang, kinds=kinds_label(table, lang, survey_input), build=build)
    if simulated(table, survey_input):
        note = words("simulated_note", lang, simulated=vocab.pick(vocab.KIND["simulated"], lang))
        ws.append([_cell(ws, note + ("" if lang == "ja" else " ") + kinds, font=st["warning"])])
    else:
        ws.append([_cell(ws, kinds)])
    ws.append([_cell(ws, h, font=st["header"], fill=st["fill"], alignment=st["wrap"]) for h in heads])
    ws.append([_cell(ws, c, font=st["name"], fill=st["fill"], alignment=st["wrap"]) for c in columns])
    _rows(ws, [cell_values(frame[c]) for c in columns], fmts)


def _rows(ws, values: list[list], fmts: list[str]) -> None:
    """The rows, column by column values; a number or date gets its column's format."""
    from openpyxl.cell import WriteOnlyCell

    def maker(number_format):
        if number_format == "General":
            return None

        def make(v):
            if v is None or isinstance(v, str):
                return v
            c = WriteOnlyCell(ws, value=v)
            c.number_format = number_format
            return c
        return make

    makers = [maker(f) for f in fmts]
    for row in zip(*values):
        ws.append([v if m is None else m(v) for m, v in zip(makers, row)])


def _contents_sheet(wb, title: str, lang: str, info: dict, plan_: Plan, rows: dict, sheets: dict, st) -> None:
    """The contents: build, version, survey, licences, what is left out, then one row per table."""
    from openpyxl.worksheet.hyperlink import Hyperlink

    ws = wb.create_sheet(title)
    heads = [words(k, lang) for k in ("table", "sheet", "rows", "kinds", "description", "note")]
    lines = _contents_lines(lang, info, plan_)
    entries = []
    for table in plan_.tables:
        note = (words("simulated_note", lang, simulated=vocab.pick(vocab.KIND["simulated"], lang))
                if simulated(table, info["survey_input"]) else None)
        entries.append([table, sheets[table], rows[table], kinds_label(table, lang, info["survey_input"]),
                        RESOURCES[table].ja if lang == "ja" else RESOURCES[table].en, note])
    shown = [[str(e[k]) for e in entries if e[k] is not None] for k in range(len(heads))]
    shown[0] += [label for label, _ in lines]  # the lines' labels share the first column
    _widths(ws, [column_width(h, "", s) for h, s in zip(heads, shown)])
    first = len(lines) + 3  # the title, the lines, a blank line, the headers
    ws.freeze_panes = f"A{first + 1}"
    ws.append([_cell(ws, words("title", lang), font=st["title"])])
    for label, value in lines:
        font = st["warning"] if info["survey_input"] == "simulated" and label == words("survey", lang) else None
        ws.append([_cell(ws, label, font=st["header"]), _cell(ws, value, **({"font": font} if font else {}))])
    ws.append([])
    ws.append([_cell(ws, h, font=st["header"], fill=st["fill"], alignment=st["wrap"]) for h in heads])
    for e in entries:
        link = _cell(ws, e[1], font=st["link"])
        quoted = e[1].replace("'", "''")  # a quote inside a quoted sheet name is doubled
        link.hyperlink = Hyperlink(ref="", location=f"'{quoted}'!A1", display=e[1])
        note = _cell(ws, e[5], font=st["warning"]) if e[5] else None
        ws.append([_cell(ws, e[0]), link, e[2], _cell(ws, e[3]), _cell(ws, e[4], alignment=st["wrap"]), note])


def _contents_lines(lang: str, info: dict, plan_: Plan) -> list[tuple[str, str]]:
    """The contents sheet's lines above its table: (label, value)."""
    survey = info["survey"]
    if info["survey_input"] == "simulated":
        said = words("survey_simulated", lang, simulated=vocab.pick(vocab.KIND["simulated"], lang))
    else:
        said = words("survey_reported", lang, real=vocab.pick(vocab.KIND["real"], lang),
                     file=escape.visible(survey.get("file", "")), sha256=survey.get("sha256", ""))
        if survey.get("sheet"):
            said += words("survey_sheet", lang, sheet=escape.visible(survey["sheet"]))
    lines = [(words("build", lang), words("build_value", lang, build=plan_.build)),
             (words("version", lang), __version__ + ("" if info["version"] == __version__ else
                                                     words("version_build", lang, version=info["version"]))),
             (words("survey", lang), said),
             (words("licence", lang), words("licence_value", lang, code=info["code_licence"],
                                            sheet=info["sources_sheet"]))]
    if plan_.geometry:
        lines.append((words("left_out", lang), words("left_out_geometry", lang, tables=", ".join(plan_.geometry))))
    if plan_.absent:
        lines.append((words("left_out", lang), words("left_out_absent", lang, tables=", ".join(plan_.absent))))
    return lines


# --- the sources and their licences ------------------------------------------------------------------------

def licence_parts(text: str) -> tuple[str, str]:
    """A SOURCES.yml licence ('CC BY 4.0; attribution 出典：総務省') as (licence, attribution): the attribution
    clause taken out ('' when there is none), the rest kept as written."""
    text = " ".join(str(text).split())
    m = re.search(r"(; )?attribution (.+?)(?:\. |\.?$)", text)
    if m is None:
        return text, ""
    head = text[:m.start()] if m.group(1) else text[:m.start()] + "attribution"
    rest = text[m.end():]
    return (head.rstrip() + (". " + rest if rest else "")).strip(), m.group(2)


def code_licence() -> str:
    """The code's licence, as the first line of LICENSE names it ('MIT License' -> 'MIT')."""
    try:
        first = (paths.PROJECT_ROOT / "LICENSE").read_text(encoding="utf-8").strip().splitlines()[0]
    except (OSError, IndexError):
        return "LICENSE"
    return first.removesuffix(" License").strip()


def source_rows(lang: str) -> list[list[str]]:
    """One row per source of data/raw/SOURCES.yml (file, publisher, title, official page, licence, attribution,
    sha256): the raw files, the tables typed from the source document (with its licence), and the code."""
    raw = sources.manifest()
    by_file = {f.file: f for f in raw}
    rows = []
    for f in raw:
        rows.append([f.file, " ".join(f.publisher.split()), " ".join(f.title.split()),
                     " ".join(f.official_page.split()), *licence_parts(f.licence), f.sha256])
    for name, entry in sources.transcribed_manifest().items():
        origin = by_file.get(str(entry.get("typed_from")))
        licence, attribution = licence_parts(origin.licence) if origin else ("", "")
        rows.append([str(entry["file"]), " ".join(origin.publisher.split()) if origin else "",
                     words("transcribed_title", lang, source=entry.get("typed_from"), table=entry.get("table")),
                     "", licence, attribution, str(entry["sha256"])])
    rows.append(["LICENSE", words("code_publisher", lang), words("code_title", lang, version=__version__), "",
                 code_licence(), "", ""])
    return rows


def _sources_sheet(wb, title: str, lang: str, st) -> None:
    ws = wb.create_sheet(title)
    heads = [words(k, lang) for k in ("file", "publisher", "source_title", "page", "source_licence", "attribution",
                                      "sha256")]
    rows = source_rows(lang)
    _widths(ws, [column_width(h, "", [r[k] for r in rows]) for k, h in enumerate(heads)])
    ws.freeze_panes = "A3"
    ws.append([_cell(ws, words("sources_title", lang), font=st["title"])])
    ws.append([_cell(ws, h, font=st["header"], fill=st["fill"], alignment=st["wrap"]) for h in heads])
    for r in rows:
        ws.append([_cell(ws, v, alignment=st["wrap"]) if v else None for v in r])


# --- the workbook -------------------------------------------------------------------------------------------

def workbook_bytes(frames: dict, plan_: Plan, info: dict, lang: str) -> tuple[bytes, dict]:
    """The workbook (an .xlsx file's bytes) of ``frames`` (table -> DataFrame, in ``plan_``'s order) and the
    sheet of each table. ``info``: version, survey_input, survey (the manifest's), code_licence."""
    import openpyxl

    st = _styles()
    taken: set[str] = set()
    contents = sheet_name(words("contents_sheet", lang), taken)
    sheets = {t: sheet_name(t, taken) for t in plan_.tables}
    info = {**info, "sources_sheet": sheet_name(words("sources_sheet", lang), taken)}
    wb = openpyxl.Workbook(write_only=True)
    wb.properties.creator = "jichitai-cloud"
    wb.properties.title = words("title", lang)
    _contents_sheet(wb, contents, lang, info, plan_, {t: len(frames[t]) for t in plan_.tables}, sheets, st)
    for table in plan_.tables:
        _table_sheet(wb, sheets[table], table, frames[table], lang, plan_.build, info["survey_input"], st)
    _sources_sheet(wb, info["sources_sheet"], lang, st)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue(), sheets


@dataclass
class Export:
    """What :func:`to_excel` wrote: the file, the build, each table's sheet, what was left out, the seconds."""

    path: Path
    build: str
    sheets: dict
    geometry: list
    absent: list
    seconds: float

    def __repr__(self) -> str:  # a notebook shows this: short, without the sheet of every table
        return f"<workbook {self.path}: {len(self.sheets)} tables, build {self.build}, {self.seconds:.1f} s>"


def fits(table: str, frame):
    """``frame`` if its rows fit on one sheet below the lines above them; else ExportError in one line (a table
    is never split over sheets: a reader would have to know to join them)."""
    if len(frame) > MAX_ROWS - ABOVE:
        raise ExportError(f"table {table} has {len(frame):,} rows, more than an Excel sheet holds "
                          f"({MAX_ROWS - ABOVE:,} below its {ABOVE} header lines); nothing was written: leave it "
                          f"out (--tables) and read data/processed/{table}.parquet or .csv")
    return frame


def _read(chosen: list[str] | None, wait: bool) -> tuple[Plan, dict, dict]:
    """The plan, the tables and the build's facts, read from one verified build under the shared lock."""
    with store.build_lock(shared=True, wait=wait, what="jichitai-cloud export"):
        build = store.pinned_build()
        doc = store.manifest(build_id=build)
        plan_ = plan(build, doc["tables"], chosen)
        frames = {}
        for table in plan_.tables:
            frames[table] = fits(table, store.read_table(table))  # checked against the manifest's sha256
        survey = doc.get("survey") or {}
        info = {"version": doc.get("package_version", __version__), "survey": survey,
                "survey_input": str(survey.get("input") or store.survey_input_of_build())}
    return plan_, frames, info


def to_excel(path: str | os.PathLike, tables=None, lang: str = "ja", wait: bool = False) -> Export:
    """Write the processed tables of the current build (or ``tables``: names, or one comma-separated text)
    to the Excel workbook ``path`` (.xlsx), headers in ``lang`` (ja or en). See the module for the sheets.

    Refused in one line, with nothing written: a ``lang`` other than ja or en, a table that is not in the
    build (the valid names listed) or holds geometry, a table over a sheet's row limit, a ``path`` that is
    not a new path or a regular file. ``wait``: wait for a running build instead of refusing to start.
    """
    started = time.perf_counter()
    if lang not in vocab.LANGS:
        raise ParameterError(f"lang must be one of {', '.join(vocab.LANGS)}; got {lang!r}")
    chosen = table_names(tables)
    where = target(path)
    plan_, frames, info = _read(chosen, wait)
    data, sheets = workbook_bytes(frames, plan_, {**info, "code_licence": code_licence()}, lang)
    try:
        journal.write_atomic(where, data)
    except OSError as exc:
        raise ExportError(f"could not write {escape.terminal(where)}: {exc.strerror or exc}; nothing was "
                          f"written") from None
    return Export(where, plan_.build, sheets, plan_.geometry, plan_.absent, time.perf_counter() - started)
