"""The Excel export (report/workbook.py; `jichitai-cloud export --xlsx`, `jc.to_excel`): sheet names, headers,
cells a spreadsheet cannot run, widths, what is refused, and the real build's workbook read back with openpyxl
against the Parquet tables read with pandas."""

import csv
import datetime
import errno
import hashlib
import io
import os
import subprocess
import sys

import numpy as np
import openpyxl
import pandas as pd
import pytest

from jichitai_cloud import __version__, cli, paths
from jichitai_cloud.errors import ExportError, ParameterError, UserPathError
from jichitai_cloud.io import escape, sources, store
from jichitai_cloud.registry import schema, vocab
from jichitai_cloud.registry.catalog import SIMULATION_TABLES, TABLES
from jichitai_cloud.registry.field import UNITS
from jichitai_cloud.registry.resources import RESOURCES
from jichitai_cloud.report import workbook as wbk
from jichitai_cloud.report.text_workbook import WORKBOOK

HOSTILE = ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\t=x", "=cmd|' -C calc'!A0", "'=1+1"]
HARMLESS = ["-", "-0.5", "+1e3", "abc", "名前", "", "−1"]
GEOMETRY = ["boundaries", "boundaries_prefectures"]


def _safe(value: str) -> bool:
    """A text cell no spreadsheet reads as a formula: it does not begin as one, unless it is a number or a
    lone dash (OWASP's list, as escape.cell applies it)."""
    return not value.startswith(escape.FORMULA_STARTS) or escape.uncell(value) == value


def _every_cell(book):
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for c in row:
                yield ws.title, c


# --- unit tests: inline data ---------------------------------------------------------------------------------

def test_sheet_names_are_valid_unique_and_at_most_31_characters():
    taken = set()
    names = {t: wbk.sheet_name(t, taken) for t in TABLES}
    assert len({n.casefold() for n in names.values()}) == len(TABLES)
    assert all(0 < len(n) <= 31 and not set(n) & set("[]:*?/\\") and n[0] != "'" != n[-1] for n in names.values())
    assert all(names[t] == t for t in TABLES if len(t) <= 31)  # a name that fits is kept
    long = "evidence_membership_prefecture_ranges"
    assert len(long) > 31 and names[long] == long[:30]  # cut at 31 and a trailing '_' dropped
    taken = {"contents"}
    assert wbk.sheet_name("Contents", taken) == "Contents~2"  # Excel compares sheet names ignoring case
    assert wbk.sheet_name("x" * 40, taken) == "x" * 31
    assert wbk.sheet_name("x" * 40, taken) == "x" * 29 + "~2"
    assert wbk.sheet_name("History", taken) == "History~2"  # Excel's own
    assert wbk.sheet_name("'a/b:c[d]*?'", taken) == "a_b_c_d"
    assert wbk.sheet_name("", taken) == "sheet"


@pytest.mark.parametrize("lang", vocab.LANGS)
def test_headers_carry_unit_and_kind_in_the_chosen_language(lang):
    i = vocab.LANGS.index(lang)
    for survey_input, kind in (("simulated", "simulated"), ("reported", "real")):
        key, population, cost, status = wbk.headers("survey", ["it_cost_provenance", "population_2017_01_01_persons",
                                                               "it_cost_yen", "cloud_status"], lang, survey_input)
        tag = vocab.kind_tag(kind, lang)
        assert cost.endswith(tag) and UNITS["yen"][i] in cost and status.endswith(tag)
        assert population.endswith(vocab.kind_tag("real", lang)) and UNITS["persons"][i] in population
        assert "［" not in key and "[" not in key  # a key is no figure: no kind
    for table in TABLES:  # every header of every table: the language's own, unit and kind as the registry says
        if table in GEOMETRY:
            continue
        r = RESOURCES[table]
        for column, header in zip(r.fields, wbk.headers(table, r.fields, lang, "simulated")):
            f = r.field(column)
            if f.provenance == "key":
                assert not any(header.endswith(vocab.kind_tag(k, lang)) for k in vocab.KIND), (table, header)
            else:
                assert header.endswith(vocab.kind_tag(schema.kind_of(f), lang)), (table, header)
            if f.unit in ("yen", "oku_yen", "persons", "pct", "thousand_yen"):
                assert UNITS[f.unit][i] in header, (table, header)
    en = wbk.headers("published_cost_by_class", ["it_cost_per_resident_mean_yen"], "en", "simulated")[0]
    assert "(yen) [published]" in en  # English with its spaces


def test_text_cells_cannot_be_formulas():
    for value in HOSTILE:
        assert wbk.text_cell(value) == "'" + value
    for value in HARMLESS:
        assert wbk.text_cell(value) == value
    assert wbk.text_cell("a\x1b[31mb\x00") == "a\\x1b[31mb\\x00"  # XML cannot hold them: written out
    assert wbk.text_cell("=\x07") == "'=\\x07"
    assert wbk.text_cell("line\nnext") == "line\nnext"
    cut = wbk.text_cell("y" * 40_000)
    assert len(cut) <= wbk.MAX_CELL_TEXT and cut.endswith("…")


def test_cell_values_keep_numbers_dates_and_missing_values():
    df = pd.DataFrame({
        "f": [1.5, np.nan, np.inf, -np.inf], "i": pd.array([1, None, 3, 4], dtype="Int64"),
        "n": np.array([10, 20, 30, 40], dtype="int64"), "b": [True, False, True, False],
        "nb": pd.array([True, None, False, True], dtype="boolean"),
        "d": pd.to_datetime(["2018-04-01", None, "2017-01-01", "2014-04-01"]),
        "t": pd.to_datetime(["2018-04-01 12:30", "2018-04-01 00:00", None, "2018-04-02 00:00"]),
        "z": pd.to_datetime(["2018-04-01", "2018-04-02", "2018-04-03", None]).tz_localize("Asia/Tokyo"),
        "s": ["=1+1", None, "name", "-"],
    })
    v = {c: wbk.cell_values(df[c]) for c in df.columns}
    assert v["f"] == [1.5, None, "∞", "−∞"]
    assert v["i"] == [1, None, 3, 4] and all(type(x) is int for x in v["i"] if x is not None)
    assert v["n"] == [10, 20, 30, 40] and all(type(x) is int for x in v["n"])
    assert v["b"] == [True, False, True, False] and v["nb"] == [True, None, False, True]
    assert v["d"] == [datetime.date(2018, 4, 1), None, datetime.date(2017, 1, 1), datetime.date(2014, 4, 1)]
    assert v["t"][0] == datetime.datetime(2018, 4, 1, 12, 30) and v["t"][2] is None
    assert v["z"][0] == "2018-04-01T00:00:00+09:00" and v["z"][3] is None
    assert v["s"] == ["'=1+1", None, "name", "-"]
    assert [wbk.column_format(df[c], "{}") for c in ("d", "t", "z", "f")] == [
        "yyyy-mm-dd", "yyyy-mm-dd hh:mm:ss", "General", "General"]


def test_number_formats_follow_the_registry_formats():
    from jichitai_cloud.registry import formats

    cases = {("{:,.0f}", "float64"): "#,##0", ("{:,}", "int64"): "#,##0", ("{:,}", "float64"): "General",
             ("{:,.1f}", "float64"): "#,##0.0", ("{:.3f}", "float64"): "0.000", ("{:+.1f}", "float64"):
             "+0.0;-0.0;0.0", ("{:+,.1f}", "float64"): "+#,##0.0;-#,##0.0;#,##0.0", ("{:.0%}", "float64"): "0%",
             ("{:d}", "int64"): "0", ("{}", "float64"): "General", ("{:g}", "float64"): "General",
             (formats.dash, "Int64"): "0", (formats.int_or_dash, "Int64"): "#,##0",
             (formats.p_value, "float64"): "0.000", (formats.number, "float64"): "General"}
    for (fmt, dtype), expected in cases.items():
        assert wbk.excel_format(fmt, dtype) == expected, fmt


def test_column_widths_fit_their_values_within_bounds():
    assert wbk.text_width("人口ab") == 6
    assert wbk.column_width("h", "h", ["abc"]) == wbk.MIN_WIDTH + 2
    assert wbk.column_width("h", "h", ["人口" * 5]) == 20 + 2  # a wide character counts two
    assert wbk.column_width("h", "h", ["x" * 200]) == wbk.MAX_WIDTH + 2  # capped
    assert wbk.column_width("x" * 40, "x", ["1"]) == wbk.HEADER_WRAP + 2  # a long header wraps
    assert wbk.column_width("h", "population_2017_01_01_persons", ["1"]) == wbk.HEADER_WRAP + 2
    assert wbk.shown_values(pd.Series([1234567.0, -5.0, np.nan]), "{:,.1f}") == ["-5.0", "1,234,567.0"]


def test_licences_and_attributions_are_read_from_the_sources_manifest():
    assert wbk.licence_parts("政府標準利用規約（第2.0版）, compatible with CC BY 4.0; attribution 出典：総務省") == (
        "政府標準利用規約（第2.0版）, compatible with CC BY 4.0", "出典：総務省")
    assert wbk.licence_parts("free use with attribution 出典：独立行政法人統計センター「SSDSE」") == (
        "free use with attribution", "出典：独立行政法人統計センター「SSDSE」")
    assert wbk.licence_parts("CC BY-SA 4.0; attribution X. Maps drawn from it carry the same.") == (
        "CC BY-SA 4.0. Maps drawn from it carry the same.", "X")
    assert wbk.licence_parts("CC0") == ("CC0", "")
    rows = wbk.source_rows("ja")
    raw, typed = sources.manifest(), sources.transcribed_manifest()
    assert len(rows) == len(raw) + len(typed) + 1
    assert [r[0] for r in rows[:len(raw)]] == [f.file for f in raw] and [r[6] for r in rows[:len(raw)]] == [
        f.sha256 for f in raw]
    assert all(r[4] and r[5] for r in rows[:-1])  # every data source: a licence and an attribution
    assert rows[-1][0] == "LICENSE" and rows[-1][4] == "MIT" == wbk.code_licence()


def test_what_is_exported_and_what_is_refused():
    in_build = [t for t in TABLES if t not in SIMULATION_TABLES]
    every = wbk.plan("b" * 16, in_build, None)
    assert every.tables[-1] == "codebook" and every.tables.count("codebook") == 1
    assert set(every.tables) == set(in_build) - set(GEOMETRY)
    assert every.geometry == GEOMETRY and every.absent == list(SIMULATION_TABLES)
    assert wbk.plan("b", in_build, ["survey", "codebook", "municipalities"]).tables == [
        "survey", "municipalities", "codebook"]
    with pytest.raises(ParameterError, match=r"^no table 'nope', 'simulation_draws' in build b; the tables: "
                                             r"published_survey_totals, .*, codebook$"):
        wbk.plan("b", in_build, ["nope", "survey", "simulation_draws"])
    with pytest.raises(ParameterError, match=r"^boundaries: map boundaries \(geometry\) are not exported"):
        wbk.plan("b", in_build, ["boundaries", "survey"])
    assert wbk.table_names(" survey, municipalities,,survey ") == ["survey", "municipalities"]
    assert wbk.table_names(["survey"]) == ["survey"] and wbk.table_names(None) is None
    with pytest.raises(ParameterError, match="names no table"):
        wbk.table_names(" , ")


def test_a_table_over_a_sheets_rows_is_refused_not_split():
    class Rows:  # only its length is asked
        def __init__(self, n):
            self.n = n

        def __len__(self):
            return self.n

    fitting = Rows(1_048_576 - 4)
    assert wbk.fits("simulation_draws", fitting) is fitting
    with pytest.raises(ExportError, match=r"^table simulation_draws has 1,048,573 rows, more than an Excel sheet "
                                          r"holds \(1,048,572 below its 4 header lines\); nothing was written: leave "
                                          r"it out \(--tables\) and read data/processed/simulation_draws.parquet"):
        wbk.fits("simulation_draws", Rows(1_048_576 - 3))


def test_the_target_is_a_new_path_or_a_regular_file(tmp_path):
    new = tmp_path / "out.xlsx"
    assert wbk.target(new) == new.resolve()
    new.write_bytes(b"old")
    assert wbk.target(new) == new.resolve()  # replaced when the new workbook is complete
    (tmp_path / "link.xlsx").symlink_to(new)
    assert wbk.target(tmp_path / "link.xlsx") == new.resolve()  # the file the link names is replaced
    (tmp_path / "folder.xlsx").mkdir()
    os.mkfifo(tmp_path / "pipe.xlsx")
    (tmp_path / "zero.xlsx").symlink_to("/dev/zero")
    cases = {"folder.xlsx": "is a folder", "pipe.xlsx": "is a named pipe", "zero.xlsx": "is a character device",
             "out.csv": "must end in .xlsx", "nowhere/out.xlsx": "does not exist"}
    for name, words in cases.items():
        with pytest.raises(UserPathError, match=words) as caught:
            wbk.target(tmp_path / name)
        assert "\n" not in str(caught.value)


def test_a_bad_language_is_refused_before_anything_is_read(tmp_path):
    with pytest.raises(ParameterError, match=r"^lang must be one of ja, en; got 'fr'$"):
        wbk.to_excel(tmp_path / "x.xlsx", lang="fr")
    assert list(tmp_path.iterdir()) == []


def _inline_workbook(lang: str, survey_input: str = "reported"):
    """A workbook of two tables made inline: survey_input with hostile cells, and the registry's codebook."""
    hostile_file = "=cmd|' -C calc'!A0.csv"
    survey = pd.DataFrame({"input": [survey_input], "file": [hostile_file], "sheet": ["@SUM(1+1)"],
                           "sha256": ["ab" * 32], "cost_unit": ["-2+3"], "configured_by": ["+cmd\x1b[2J"],
                           "generator_version": [""], "generator_params": ["=HYPERLINK(\"http://evil.example\")"],
                           "status_source": ["-"], "rows": [1741], "costs_missing": [0]})
    frames = {"survey_input": survey, "codebook": schema.codebook()}
    plan = wbk.Plan("0123456789abcdef", ["survey_input", "codebook"], GEOMETRY, ["simulation_draws"])
    info = {"version": __version__, "survey_input": survey_input, "code_licence": "MIT",
            "survey": {"input": survey_input, "file": hostile_file, "sha256": "ab" * 32, "sheet": "@SUM(1+1)"}}
    data, sheets = wbk.workbook_bytes(frames, plan, info, lang)
    return openpyxl.load_workbook(io.BytesIO(data)), sheets, frames


@pytest.mark.parametrize("lang", vocab.LANGS)
def test_an_inline_workbook_is_laid_out_and_runs_nothing(lang):
    book, sheets, frames = _inline_workbook(lang)
    contents, sources_sheet = (vocab.pick(WORKBOOK[k], lang) for k in ("contents_sheet", "sources_sheet"))
    assert book.sheetnames == [contents, "survey_input", "codebook", sources_sheet]
    assert sheets == {"survey_input": "survey_input", "codebook": "codebook"}
    for title, c in _every_cell(book):
        assert c.data_type != "f", (title, c.coordinate, c.value)
        assert not isinstance(c.value, str) or _safe(c.value), (title, c.coordinate, c.value)
    ws = book["survey_input"]
    assert ws.freeze_panes == "A5" and ws["A1"].value.startswith("survey_input")
    assert [c.value for c in ws[4]] == list(frames["survey_input"].columns)
    assert [c.value for c in ws[5]] == ["reported", "'=cmd|' -C calc'!A0.csv", "'@SUM(1+1)", "ab" * 32, "'-2+3",
                                        "'+cmd\\x1b[2J", None, "'=HYPERLINK(\"http://evil.example\")", "-", 1741, 0]
    assert ws["J5"].data_type == "n"  # a number stays a number
    assert set(ws.column_dimensions) == set("ABCDEFGHIJK")
    assert all(wbk.MIN_WIDTH + 2 <= d.width <= wbk.MAX_WIDTH + 2 for d in ws.column_dimensions.values())
    assert book["codebook"].max_row - wbk.ABOVE == len(frames["codebook"])
    survey_line = [r for r in book[contents].iter_rows(values_only=True) if r[0] == vocab.pick(WORKBOOK["survey"], lang)]
    assert len(survey_line) == 1 and "=cmd|' -C calc'!A0.csv" in survey_line[0][1] and "ab" * 32 in survey_line[0][1]
    text = " ".join(str(v) for r in book[contents].iter_rows(values_only=True) for v in r if v)
    assert "boundaries, boundaries_prefectures" in text and "simulation_draws" in text


def test_a_simulated_survey_is_labelled_on_its_sheet_and_the_contents():
    book, _, _ = _inline_workbook("ja", survey_input="simulated")
    label = vocab.KIND["simulated"][0]
    rows = list(book["目次"].iter_rows(values_only=True))
    assert [r for r in rows if r[0] == "市区町村別の調査データ"][0][1].startswith(label)
    # survey_input holds settings only (keys): no figures, so no simulated figures to label on its sheet
    assert not book["survey_input"]["A2"].value.startswith(label)


# --- data: the real build ----------------------------------------------------------------------------------

def _parquet(name: str) -> pd.DataFrame:
    """A table read independently of the library: pandas on data/processed/<name>.parquet."""
    return pd.read_parquet(paths.PROCESSED_DIR / f"{name}.parquet")


def _contents(book, lang: str = "ja") -> dict:
    """The contents sheet's table rows: table -> (sheet, rows, kinds, description, note)."""
    ws = book[vocab.pick(WORKBOOK["contents_sheet"], lang)]
    rows = list(ws.iter_rows(values_only=True))
    start = next(k for k, r in enumerate(rows) if r[0] == vocab.pick(WORKBOOK["table"], lang)) + 1
    return {r[0]: r[1:] for r in rows[start:]}


@pytest.mark.data
def test_the_export_of_the_build_holds_every_table_as_in_its_parquet_file(tmp_path, capsys):
    path = tmp_path / "tables.xlsx"
    assert cli.main(["export", "--xlsx", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"wrote {path}: ") and "left out (map geometry" in out
    book = openpyxl.load_workbook(path)
    in_build = store.manifest()["tables"]
    expected = [t for t in TABLES if t in in_build and t not in GEOMETRY]
    listed = _contents(book)
    assert sorted(listed) == sorted(expected) and list(listed)[-1] == "codebook"
    assert book.sheetnames[0] == "目次" and book.sheetnames[-1] == "出典とライセンス"
    assert not set(GEOMETRY) & set(book.sheetnames)
    for table in expected:
        sheet, rows = listed[table][0], listed[table][1]
        ws, frame = book[sheet], _parquet(table)
        assert rows == len(frame) == ws.max_row - wbk.ABOVE, table
        assert ws.freeze_panes == "A5" and ws["A1"].value.startswith(table), table
        assert [c.value for c in ws[4]] == list(frame.columns), table
        for column, header in zip(frame.columns, (c.value for c in ws[3])):
            f = RESOURCES[table].field(column)
            if f.provenance != "key":
                assert header.endswith("］") and any(header.endswith(vocab.kind_tag(k, "ja")) for k in vocab.KIND)
            if f.unit in ("yen", "oku_yen", "persons", "pct"):
                assert UNITS[f.unit][0] in header, (table, header)
    for title, c in _every_cell(book):
        assert c.data_type != "f" and (not isinstance(c.value, str) or _safe(c.value)), (title, c.coordinate)
    _values_equal_the_parquet_tables(book)
    raw = sources.manifest()
    src = list(book["出典とライセンス"].iter_rows(min_row=3, values_only=True))
    assert {r[0]: r[6] for r in src[:len(raw)]} == {f.file: f.sha256 for f in raw}


def _values_equal_the_parquet_tables(book) -> None:
    m = _parquet("municipalities")
    ws = book["municipalities"]
    cols = {c.value: k for k, c in enumerate(ws[4])}
    rows = list(ws.iter_rows(min_row=5, values_only=True))
    assert [r[cols["code"]] for r in rows] == m["code"].tolist()
    assert [r[cols["name"]] for r in rows] == m["name"].tolist()
    assert [r[cols["population_2017_01_01_persons"]] for r in rows] == m["population_2017_01_01_persons"].tolist()
    assert [r[cols["fiscal_strength_index_fy2016"]] for r in rows] == m["fiscal_strength_index_fy2016"].tolist()
    groups = [r[cols["joint_cloud_group_id"]] for r in rows]
    assert groups == [None if pd.isna(g) else int(g) for g in m["joint_cloud_group_id"]] and None in groups
    published = _parquet("published_cost_by_class")
    ws = book["published_cost_by_class"]
    cells = [[c for c in r] for r in ws.iter_rows(min_row=5)]
    k = [c.value for c in ws[4]].index("it_cost_per_resident_mean_yen")
    assert [r[k].value for r in cells] == published["it_cost_per_resident_mean_yen"].tolist()
    assert all(r[k].data_type == "n" and r[k].number_format == "#,##0" for r in cells)
    adoption = _parquet("published_adoption")
    ws = book["published_adoption"]
    k = [c.value for c in ws[4]].index("as_of_date")
    dates = [r[k].value for r in ws.iter_rows(min_row=5)]
    assert [d.date() for d in dates] == [d.date() for d in adoption["as_of_date"]]  # dates, not text
    survey = _parquet("survey")
    ws = book["survey"]
    k = [c.value for c in ws[4]].index("it_cost_yen")
    assert sum(r[k] for r in ws.iter_rows(min_row=5, values_only=True)) == int(survey["it_cost_yen"].sum())


@pytest.mark.data
def test_an_english_export_of_chosen_tables(tmp_path):
    done = wbk.to_excel(tmp_path / "en.xlsx", "survey, municipalities", lang="en")
    assert list(done.sheets) == ["survey", "municipalities", "codebook"] and done.geometry == []
    book = openpyxl.load_workbook(done.path)
    assert book.sheetnames == ["contents", "survey", "municipalities", "codebook", "sources and licences"]
    simulated = store.manifest()["survey"]["input"] == "simulated"
    kind = "simulated" if simulated else "real"
    assert book["survey"]["C3"].value == f"IT cost (yen) [{kind}]"
    assert book["municipalities"]["E3"].value.endswith("persons) [real]")
    assert book["survey"]["A2"].value.startswith("simulated: ") == simulated
    assert (_contents(book, "en")["survey"][4] or "").startswith("simulated") == simulated
    assert _contents(book, "en")["municipalities"][4] is None
    assert book["survey"].max_row - wbk.ABOVE == len(_parquet("survey"))


HOLD_BUILD_LOCK = """
import sys, time
from jichitai_cloud.io import store
with store.build_lock(what="a test's build"):
    print("held", flush=True)
    time.sleep(60)
"""


@pytest.mark.data
def test_refusals_are_one_line_and_write_nothing(tmp_path, capsys, monkeypatch):
    path = tmp_path / "t.xlsx"
    assert cli.main(["export", "--xlsx", str(path), "--tables", "nope"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("jichitai-cloud export: error: no table 'nope' in build ")
    assert "municipalities" in err[0] and list(tmp_path.iterdir()) == []
    holder = subprocess.Popen([sys.executable, "-c", HOLD_BUILD_LOCK], stdout=subprocess.PIPE, text=True)
    try:  # a build is writing (another process holds the lock exclusive): the export does not read
        assert holder.stdout.readline().strip() == "held"
        assert cli.main(["export", "--xlsx", str(path)]) == 2
    finally:
        holder.kill()
        holder.communicate()
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "pass --wait" in err[0] and list(tmp_path.iterdir()) == []
    path.write_bytes(b"old")

    def full(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    assert cli.main(["export", "--xlsx", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"jichitai-cloud export: error: could not write {path}: No space left on device; nothing was "
                   f"written"]
    assert [p.name for p in tmp_path.iterdir()] == ["t.xlsx"] and path.read_bytes() == b"old"


@pytest.mark.slow
@pytest.mark.data
def test_a_survey_from_hostile_names_exports_as_text(processed_copy, tmp_path, capsys):
    """A survey file named like a formula (issue 18's `=cmd|' -C calc'!A0.csv`), and an XLSX one whose sheet is
    named like one: the names reach survey_input and the contents sheet, as text that runs nothing."""
    survey = store.read_table("survey")
    costs = pd.DataFrame({"団体コード": survey["code"], "情報システム経費（千円）": (survey["it_cost_yen"].astype(float) / 1000)
                          .map("{:.3f}".format), "備考": ["=HYPERLINK(\"http://evil.example\")", "+1", "-1+cmd",
                                                        "@SUM(A1)"] * (len(survey) // 4) + ["="] * (len(survey) % 4)})
    named = tmp_path / "=cmd|' -C calc'!A0.csv"
    costs.to_csv(named, index=False, encoding="utf-8")
    book = openpyxl.Workbook()
    book.active.title = "-2+cmd"
    book.active.append(list(costs.columns[:2]))  # the cells of the notes column would be formulas in this file
    for row in costs.itertuples(index=False):
        book.active.append(list(row[:2]))
    xlsx = tmp_path / "@SUM(1+1).xlsx"
    book.save(xlsx)
    # each file, its sheet, and the sheet as a cell shows it (a leading apostrophe: text, not a formula)
    for file, sheet, sheet_cell in ((named, "", ""), (xlsx, "-2+cmd", "'-2+cmd")):
        assert cli.main(["build", "--survey", str(file)]) == 0
        out = capsys.readouterr().out
        assert f"survey: reported ({file.name}{f', sheet {sheet!r}' if sheet else ''}, configured by --survey)" in out
        # issue 18, case 3: the name reached survey_input.csv as a formula; now Excel shows the text, runs nothing
        row = next(csv.DictReader((processed_copy / "survey_input.csv").read_text(encoding="utf-8-sig").splitlines()))
        assert row["file"] == "'" + file.name and row["sheet"] == sheet_cell
        assert store.read_table("survey_input")["file"].iloc[0] == file.name  # the data keeps the name as it is
        out = tmp_path / f"export of {file.stem}.xlsx"  # not the survey file's own name
        # the tables the file's name and sheet reach (every table's export: the test above)
        assert cli.main(["export", "--xlsx", str(out), "--tables", "survey_input,survey"]) == 0, \
            capsys.readouterr().err
        wb = openpyxl.load_workbook(out)
        for title, c in _every_cell(wb):
            assert c.data_type != "f" and (not isinstance(c.value, str) or _safe(c.value)), (title, c.coordinate)
        ws = wb["survey_input"]
        row = {c.value: v.value for c, v in zip(ws[4], ws[5])}
        assert row["input"] == "reported" and row["file"] == "'" + file.name
        assert row["sheet"] == (sheet_cell or None)
        sha = hashlib.sha256(file.read_bytes()).hexdigest()
        said = [r[1] for r in wb["目次"].iter_rows(values_only=True) if r[0] == "市区町村別の調査データ"][0]
        assert said.startswith("実データ：") and file.name in said and sha in said and sheet in said
        assert wb["survey"]["C3"].value == "情報システム経費（円）［実データ］"
        assert not wb["survey"]["A2"].value.startswith("シミュレーション")  # a real survey is not labelled simulated
        store._PINS.pop(processed_copy, None)
        capsys.readouterr()
