"""The published figures: typed faithfully from the source document, and adding up.

Two kinds of evidence, both independent of the library's own reconciliation: every
number in the transcribed tables occurs in the source document's text, and each
table's rows add up to the totals the document states (summed here in plain Python).
"""

import csv
import re
import unicodedata
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from jichitai_cloud.clean import checks
from jichitai_cloud import paths
from jichitai_cloud.clean import published
from jichitai_cloud.errors import CleaningError
from jichitai_cloud.io import sources
from jichitai_cloud.registry import resources
from jichitai_cloud.registry import vocab

TEXT_COLUMNS = {"item", "unit", "value_as_written", "section", "class_ja", "status_ja", "as_of_date",
                "as_written", "kind", "measure", "approximate", "note",
                # planned joins, case studies, shares, standard costs: text and our own identifiers
                "entry", "case", "prefecture", "name_as_written", "group_as_written", "target_year_as_written",
                "named_in_year_line_as", "title_as_written", "target_work_as_written", "start_as_written",
                "population_as_written", "what_as_written", "category_as_written", "vendor_as_written", "as_of_as_written", "members_stated_as_written",
                "size_as_written", "introduced_as_written", "business_as_written", "item_as_written",
                "subitem_as_written", "before_as_written", "fy2018_as_written", "final_as_written",
                "review_years_as_written", "reform_as_written",
                # the survey's stated orderings and stray chart labels
                "ordering_id", "measure", "lower_status_ja", "higher_status_ja", "statement_as_written",
                "line_as_written"}


def _rows(name):
    with open(sources.transcribed_path(name), encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _compact(text: str) -> str:
    """The PDF text breaks lines mid-word; compare strings with all whitespace removed."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def numbers_in_document(source_text) -> set[Decimal]:
    """Every number written in the document (NFKC; ',' and '、' as thousands separators)."""
    text = unicodedata.normalize("NFKC", source_text)
    text = re.sub(r"(?<=\d)、(?=\d{3}(?!\d))", ",", text)
    return {Decimal(m.replace(",", "")) for m in re.findall(r"(?<![\d.])\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?", text)}


@pytest.mark.data
@pytest.mark.parametrize("name", sorted(sources.TRANSCRIBED))
def test_every_number_occurs_in_the_source_document(name, numbers_in_document):
    missing = []
    for i, row in enumerate(_rows(name), start=2):
        for col, val in row.items():
            if col in TEXT_COLUMNS or col == "value" and "value_as_written" in row:
                continue  # value is checked through value_as_written below
            if val == "":
                continue  # not stated (e.g. a group count the slide leaves empty)
            if abs(Decimal(val)) not in numbers_in_document:  # '6,840（千円）の減' is typed as -6840
                missing.append(f"row {i} {col}={val}")
    assert not missing, f"{name}: numbers not found in the source document: {missing}"


@pytest.mark.data
@pytest.mark.parametrize("name", sorted(sources.TRANSCRIBED))
def test_every_label_occurs_in_the_source_document(name, source_text):
    text = _compact(source_text)
    for i, row in enumerate(_rows(name), start=2):
        for col in [c for c in row if c.endswith("as_written") or c in ("section", "as_written", "class_ja",
                                                                       "status_ja", "named_in_year_line_as",
                                                                       "lower_status_ja", "higher_status_ja")]:
            if row[col] in ("", "-"):
                continue
            # the standard-cost table lists its ◇ businesses one per line; we join them with ・
            parts = row[col].split("・") if col == "business_as_written" else [row[col]]
            for part in parts:
                assert _compact(part) in text, f"{name} row {i}: {col} {part!r} not in the document"


UNIT_FACTOR = {"oku_yen": 10**8, "yen": 1, "persons": 1, "municipalities": 1, "pct": 1}


def test_national_values_parse_from_the_text_as_written():
    for row in _rows("survey_totals"):
        written = published.parse_japanese_number(row["value_as_written"])
        # '4,786億円' parses to yen; the value is kept in 億円.
        factor = 1 if row["unit"] == "oku_yen" and "億" not in row["value_as_written"] else UNIT_FACTOR[row["unit"]]
        assert written == pytest.approx(float(row["value"]) * factor), row["item"]


@pytest.mark.data
def test_class_table_rows_read_as_in_the_document(source_text):
    """The class table's columns appear in the document as lines of six figures, in class order."""
    cost = _rows("survey_cost_by_class")
    lines = {_compact(line) for line in unicodedata.normalize("NFKC", source_text).splitlines()}
    for col, label in [("it_cost_total_oku_yen", "総経費(億円)"), ("it_cost_per_resident_mean_yen", None),
                       ("municipalities", "各区分の団体数(団体)"), ("population_thousand_persons", "各区分の総人口(千人)")]:
        seq = "".join(f"{Decimal(r[col]):,}" for r in cost)
        assert any(line.endswith(seq) for line in lines), (col, seq)
    assert "(213)(284)(294)(94)(142)(164)(34)(89)(140)(12)(45)(100)(2)(17)(27)(2)(16)(66)" in _compact(source_text)
    status = "".join(f"({r['municipalities']})" for r in _rows("survey_status_counts"))
    assert status in _compact(source_text)


def test_tables_add_up_to_the_stated_totals():
    cost = _rows("survey_cost_by_class")
    totals = {r["item"]: float(r["value"]) for r in _rows("survey_totals")}
    assert sum(int(r["it_cost_total_oku_yen"]) for r in cost) == totals["it_cost_total"] == 4786
    assert sum(int(r["municipalities"]) for r in cost) == totals["municipalities"] == 1741
    assert abs(sum(int(r["population_thousand_persons"]) for r in cost) * 1000 - 127_907_086) <= 3000
    assert sum(int(r["it_cost_total_oku_yen"]) for r in cost[:4]) == totals["it_cost_under_200k"] == 2374
    assert sum(int(r["municipalities"]) for r in cost[4:]) == totals["municipalities_200k_plus"] == 130
    status = _rows("survey_status_counts")
    for r in cost:
        assert sum(int(s["municipalities"]) for s in status if s["class_ja"] == r["class_ja"]) == int(r["municipalities"])
    joint = sum(int(s["municipalities"]) for s in status if s["status_ja"] == "自治体クラウド")
    single = sum(int(s["municipalities"]) for s in status if s["status_ja"] == "単独クラウド")
    adoption = {(r["as_of_date"], r["measure"]): int(r["value"]) for r in _rows("cloud_adoption")}
    assert joint == adoption[(vocab.STATUS_DATE, "joint_cloud_municipalities")] == 357
    assert joint + single == adoption[(vocab.STATUS_DATE, "cloud_municipalities")] == 950
    assert adoption[(vocab.LIST_DATE, "joint_cloud_municipalities")] == 407  # the group list's 合計
    assert adoption[(vocab.LIST_DATE, "joint_cloud_groups")] == 70


def test_reconciliation_of_published_tables_is_all_ok():
    rec = checks.frame(published.reconcile(published.tables()))
    assert len(rec) == 31
    assert (rec["status"] == checks.OK).all(), rec[rec["status"] != checks.OK]


def test_reconciliation_reports_a_mismatch_rather_than_fixing_it():
    t = published.tables()
    t["published_cost_by_class"].loc[0, "it_cost_total_oku_yen"] = 488
    rec = checks.frame(published.reconcile(t)).set_index("check_id")
    assert rec.loc["pub.class_cost_sum", "status"] == checks.MISMATCH
    assert rec.loc["pub.class_cost_sum", "difference"] == 1


@pytest.mark.parametrize("text, value", [
    ("１億2,790万7,086人", 127_907_086), ("4,786億円", 478_600_000_000), ("3,742円", 3742),
    ("92.5％", 92.5), ("1、234団体", 1234), ("0.6", 0.6), ("1,611/1,741団体", 1611),
])
def test_parse_japanese_number(text, value):
    assert published.parse_japanese_number(text) == pytest.approx(value)


def test_parse_japanese_number_rejects_text():
    with pytest.raises(ValueError, match="no number"):
        published.parse_japanese_number("約")


@pytest.mark.parametrize("pop, cls", [(0, 1), (19_999, 1), (20_000, 2), (49_999, 2), (50_000, 3),
                                      (199_999, 4), (200_000, 5), (299_999, 5), (300_000, 6), (3_700_000, 6)])
def test_population_class_bounds(pop, cls):
    assert published.population_class_id(pop) == cls


def test_class_labels_are_the_documents():
    assert [c.label_ja for c in vocab.POPULATION_CLASSES] == [r["class_ja"] for r in _rows("survey_cost_by_class")]


def test_typing_errors_name_file_row_and_column(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "TRANSCRIBED_DIR", tmp_path)
    (tmp_path / "survey_cost_by_class.csv").write_text(
        "class_ja,it_cost_total_oku_yen,it_cost_per_resident_mean_yen,it_cost_per_municipality_oku_yen,"
        "municipalities,population_thousand_persons,section\n"
        "２万人未満,487,11724,0.6,791,6773,見出し\n２～５万人未満,5３1,4071,1.3,400,13347,見出し\n",
        encoding="utf-8")
    with pytest.raises(sources.SourceError, match=r"row 3, column it_cost_total_oku_yen: '5３1'"):
        published.cost_by_class()
    (tmp_path / "survey_cost_by_class.csv").write_text(
        "class_ja,it_cost_total_oku_yen,it_cost_per_resident_mean_yen,it_cost_per_municipality_oku_yen,"
        "municipalities,population_thousand_persons,section\n2万人未満,487,11724,0.6,791,6773,見出し\n",
        encoding="utf-8")
    with pytest.raises(sources.SourceError, match=r"row 2, column class_ja: '2万人未満' is not one of"):
        published.cost_by_class()


_COST_HEADER = ("class_ja,it_cost_total_oku_yen,it_cost_per_resident_mean_yen,it_cost_per_municipality_oku_yen,"
                "municipalities,population_thousand_persons,section\n")


@pytest.mark.parametrize("rows, message", [
    ("２万人未満,487,11724,0.6,791,6773,見出し\n２～５万人未満,531,4071,1.3,0,13347,見出し\n",
     r"survey_cost_by_class.csv: row 3, column municipalities: 0 is not greater than 0$"),
    ("２万人未満,487,11724,0.6,791,6773,見出し\n２万人未満,531,4071,1.3,400,13347,見出し\n",
     r"survey_cost_by_class.csv: .*'class_id'"),
    ("２～５万人未満,531,4071,1.3,400,13347,見出し\n２万人未満,487,11724,0.6,791,6773,見出し\n",
     r"survey_cost_by_class.csv: not rows in increasing class_id$"),
])
def test_a_value_the_registry_refuses_names_file_row_and_column(tmp_path, monkeypatch, rows, message):
    """The value checks are the registry's (published_cost_by_class): a count of 0, a class twice, classes out
    of order."""
    monkeypatch.setattr(paths, "TRANSCRIBED_DIR", tmp_path)
    (tmp_path / "survey_cost_by_class.csv").write_text(_COST_HEADER + rows, encoding="utf-8")
    with pytest.raises(CleaningError, match=message):
        published.cost_by_class()


def test_an_adoption_row_of_an_unknown_kind_or_measure_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "TRANSCRIBED_DIR", tmp_path)
    head = "as_of_date,as_written,kind,measure,value,unit,approximate,section,note\n"
    for row, message in (("2017-04-01,H29.4,planned,cloud_municipalities,1000,municipalities,false,s,\n",
                          r"row 2, column kind: 'planned' is not one of actual, target"),
                         ("2017-04-01,H29.4,actual,clouds,1000,municipalities,false,s,\n",
                          r"row 2, column measure: 'clouds' is not one of cloud_municipalities, "),
                         ("2017-04-01,H29.4,actual,joint_cloud_groups,70,groups,false,s,\n"
                          "2017-04-01,H29.4,actual,joint_cloud_groups,0,groups,false,s2,\n",
                          r"row 3, column value: 0 is not greater than 0")):
        (tmp_path / "cloud_adoption.csv").write_text(head + row, encoding="utf-8")
        with pytest.raises(CleaningError, match=message):
            published.adoption()


@pytest.mark.parametrize("table", published.TABLES)
def test_each_published_table_is_read_as_the_registry_declares_it(table):
    df = published.read(table)
    declared = resources.RESOURCES[table]
    assert list(df.columns) == list(declared.fields)
    for column in declared.fields:
        dtype = declared.field(column).dtype
        assert str(df[column].dtype) == dtype, (table, column)
    assert len(df) == len(_rows(Path(declared.sources[0]).stem))


def test_adoption_wide_labels_derived_single_cloud_counts():
    adopt = published.adoption()
    wide = published.adoption_wide(adopt).set_index(["as_of_date", "kind"])
    row = wide.loc[(pd.Timestamp("2015-04-01"), "actual")]
    assert row["single_cloud_municipalities"] == 728 - 293
    assert row["single_cloud_municipalities_provenance"] == "derived"
    row = wide.loc[(pd.Timestamp("2014-04-01"), "actual")]
    assert row["single_cloud_municipalities"] == 339
    assert row["single_cloud_municipalities_provenance"] == "published"
    target = wide.loc[(pd.Timestamp("2024-03-31"), "target")]
    assert pd.isna(target["single_cloud_municipalities"])  # a difference of two 約 targets is no target
    assert target["approximate"]


def test_derived_by_class():
    d = published.derived_by_class(published.cost_by_class()).set_index("class_id")
    assert d.loc[1, "it_cost_per_resident_aggregate_yen"] == round(487e8 / 6_773_000)  # 7,190
    assert d.loc[6, "share_of_it_cost_pct"] == round(100 * 2003 / 4786, 1)
