"""Text from a user, made safe wherever it goes: the terminal, Markdown and HTML, matplotlib, CSV and XLSX."""

import html
import io
import re

import nbformat
import pandas as pd
import pytest

from jichitai_cloud.io import escape, store
from jichitai_cloud.survey.labels import survey_caption, survey_label

HOSTILE = ["<img src=x onerror=alert(1)>.csv", "=cmd|' -C calc'!A0.csv", "a$x^2$b$c.csv",
           "[click](javascript:alert(1)).csv", "**bold** _it_ `code`\n# heading\n<script>alert(1)</script>",
           "http://evil.example/x.csv", "a&amp;b.csv", "\x1b[31mred\x1b[0m\u202e.csv", "x|y|z.csv", "a\\<b",
           "&#60;script&#62;", "<!-- x", "1. two", "- item", "> quote"]


def test_the_terminal_sees_control_characters_written_out():
    assert escape.terminal("\x1b[31mred\x1b[0m.csv") == "\\x1b[31mred\\x1b[0m.csv"
    assert escape.terminal("a\nb\rc\td\x7f\x9b\u202e\u2028") == "a\\nb\\rc\\td\\x7f\\x9b\\u202e\\u2028"
    assert escape.terminal("長野県/普通の名前.csv") == "長野県/普通の名前.csv"
    assert escape.terminal_lines("one\ntwo \x1b[2J") == ["one", "two \\x1b[2J"]


def _rendered(markdown_texts: list[str]) -> str:
    """Markdown outputs through the exporter the reports use (nbconvert, lab template)."""
    from nbconvert import HTMLExporter

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/markdown": t}) for t in markdown_texts]
    nb.cells.append(cell)
    return HTMLExporter(template_name="lab", exclude_input=True).from_notebook_node(nb)[0]


def test_markdown_shows_hostile_text_as_written_and_never_as_markup():
    body = _rendered([f"**file** ({escape.markdown(n)}) end" for n in HOSTILE])
    shown = re.findall(r"<p><strong>file</strong> \((.*?)\) end</p>", body, re.S)
    assert len(shown) == len(HOSTILE)
    for name, inner in zip(HOSTILE, shown):
        assert not re.search(r"<[a-zA-Z!/]", inner), (name, inner)  # no tag, comment or closing tag
        assert html.unescape(inner) == escape.visible(name)  # shown exactly as written (controls written out)


def test_html_escapes_element_text_and_attributes():
    assert escape.html('<a href="x">\'') == "&lt;a href=&quot;x&quot;&gt;&#x27;"


def test_plot_text_keeps_dollars_out_of_mathtext():
    from matplotlib.figure import Figure

    fig = Figure()
    text = fig.text(0, 0, escape.plot_text(r"$\undefinedcommand$.csv"))
    fig.canvas.draw()  # a formula would fail to parse here
    assert text.get_text() == r"\$\undefinedcommand\$.csv"


@pytest.mark.parametrize("value, written", [
    ("=cmd|' -C calc'!A0", "'=cmd|' -C calc'!A0"), ("+1+cmd", "'+1+cmd"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("'=already", "''=already"),
    ("-", "-"), ("-0.1", "-0.1"), ("+81", "+81"), ("1e-5", "1e-5"), ("長野県", "長野県"), ("", ""), ("'abc", "'abc"),
])
def test_a_text_cell_is_neutralised_exactly_when_a_spreadsheet_would_read_a_formula(value, written):
    assert escape.cell(value) == written
    assert escape.uncell(written) == value


def test_numeric_columns_and_clean_frames_are_untouched():
    df = pd.DataFrame({"n": [-1, 2], "x": [-0.5, 1.5], "s": ["=1+1", "ok"], "t": ["a", None]})
    out = escape.cells(df)
    assert out["n"].tolist() == [-1, 2] and out["x"].tolist() == [-0.5, 1.5]
    assert out["s"].tolist() == ["'=1+1", "ok"] and out["t"].iloc[0] == "a" and pd.isna(out["t"].iloc[1])
    clean = df.drop(columns="s")
    assert escape.cells(clean) is clean
    buf = io.StringIO()
    escape.cells(df).to_csv(buf, index=False)
    assert buf.getvalue().splitlines() == ["n,x,s,t", "-1,-0.5,'=1+1,a", "2,1.5,ok,"]


def test_the_processed_csv_is_neutralised_and_the_parquet_keeps_the_value(tmp_path, monkeypatch):
    """The CSV (Excel's view) gets the quote; the Parquet (the data) and the CLI's reading of the CSV do not."""
    monkeypatch.setattr(store, "validated", lambda name, df: df)
    info = pd.DataFrame([{"input": "reported", "file": "=cmd|' -C calc'!A0.csv", "rows": -1}])
    store.write_tables({"survey_input": info}, directory=tmp_path)
    csv = (tmp_path / "survey_input.csv").read_text(encoding="utf-8-sig")
    assert "'=cmd|' -C calc'!A0.csv" in csv and ",-1" in csv
    assert store.read_table("survey_input", tmp_path)["file"].iloc[0] == "=cmd|' -C calc'!A0.csv"
    assert store.read_records("survey_input", tmp_path)[0]["file"] == "=cmd|' -C calc'!A0.csv"


def test_the_survey_label_escapes_the_file_name_in_markdown_and_not_in_text():
    info = {"input": "reported", "file": "<img src=x onerror=alert(1)>_*.csv", "sha256": "ab" * 32,
            "configured_by": "$JICHITAI_CLOUD_SURVEY", "status_source": "reported"}
    for lang in ("ja", "en"):
        md = survey_label(info, lang)
        assert "<img" not in md and escape.markdown(info["file"]) in md and r"\$JICHITAI" in md
        assert info["file"] in survey_label(info, lang, markup="text")
        assert r"\$" not in survey_label(info, lang, markup="text")
        assert info["file"] in survey_caption(info, lang)  # no $ in it: drawn as it is
    caption = survey_caption({**info, "file": "$x$.csv"}, "en")
    assert r"\$x\$.csv" in caption



@pytest.mark.data
def test_the_index_shows_a_hostile_file_name_as_text(tmp_path):
    from jichitai_cloud.report import render

    info = {"input": "reported", "file": "<img src=x onerror=alert(1)>.csv", "sheet": "</p><script>alert(2)</script>",
            "sha256": "ab" * 32, "configured_by": "--survey", "status_source": "reported"}
    page = render.write_index([], tmp_path, info, "0123456789abcdef").read_text(encoding="utf-8")
    assert "<img" not in page and "alert(2)</script>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;.csv" in page and "&lt;/p&gt;&lt;script&gt;alert(2)" in page
