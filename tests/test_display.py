"""Tables for readers in a notebook (report/display.py): shown whole, the same output on every run."""

import pandas as pd

import jichitai_cloud as jc
from jichitai_cloud.report.display import WholeText


def test_a_whole_text_frame_shows_every_character_and_stays_a_frame():
    long = "Survey table by population class: total cost (億円), mean cost per resident (円), and more words " * 2
    t = WholeText({"table": ["a_table", "b"], "holds": [long, "short"]})
    assert long in t._repr_html_() and "…" not in t._repr_html_()
    assert repr(t).splitlines() == ["table    holds", f"a_table  {long}", "b        short"]
    assert t._repr_html_() == WholeText(t)._repr_html_()  # no random ids: a re-run notebook is identical
    assert type(t.head(1)) is pd.DataFrame and type(t[t["table"] == "b"]) is pd.DataFrame


def test_jc_tables_lists_every_registered_table_with_its_description():
    from jichitai_cloud.registry.catalog import TABLES

    t = jc.tables()
    assert list(t["table"]) == list(TABLES) and list(t["holds"]) == list(TABLES.values())
    assert max(map(len, t["holds"])) > 50  # the descriptions pandas would cut are there whole
