"""The registry: every processed table and column declared once; the catalogue, the codebook, the README's list
and every table's validation derive from it."""

import re
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from jichitai_cloud import paths
from jichitai_cloud.errors import CleaningError
from jichitai_cloud.registry import catalog, display_columns, field, resources, schema, vocab
from jichitai_cloud.registry.field import STAGES, Field, Resource


def test_every_table_is_declared_column_by_column():
    for name in catalog.TABLES:
        r = resources.RESOURCES[name]
        assert r.fields and set(r.key) <= set(r.fields), name
        assert r.stage in STAGES, name
        for column in r.fields:
            f = r.field(column)
            assert f.dtype and f.unit in field.UNITS and f.provenance in schema.PROVENANCE, (name, column)
            assert f.en and f.ja, (name, column)


def test_a_column_declared_in_both_field_modules_is_refused():
    with pytest.raises(ValueError, match=r"columns declared twice: \['code'\]"):
        resources._merged({"code": resources.FIELDS["code"]}, {"code": resources.FIELDS["code"], "x": None})


def test_the_codebook_covers_every_declared_column_and_renders_as_markdown():
    book = schema.codebook()
    assert list(book.columns) == ["table", "column", "dtype", "unit", "description_ja", "description_en",
                                  "provenance", "sources"]
    for name in catalog.TABLES:
        assert book.loc[book["table"] == name, "column"].tolist() == list(resources.RESOURCES[name].fields), name
    assert (book["provenance"] != "").all() and (book["description_en"] != "").all()
    md = schema.codebook_markdown(book)
    assert md.count("\n## ") == len(catalog.TABLES) and "| share_pct | int64 | % | published (公表値) |" in md


def test_the_codebook_names_the_modules_that_declare_it_and_they_exist():
    sources = resources.RESOURCES["codebook"].sources
    assert sources and all((paths.PROJECT_ROOT / s).is_file() for s in sources), sources
    assert {Path(s).name for s in sources} == {"resources.py", "fields_data.py", "fields_analysis.py"}


def test_the_readme_lists_every_table_as_the_catalogue_does():
    readme = (paths.PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    listed = readme.split("<!-- tables:start -->\n", 1)[1].split("\n<!-- tables:end -->", 1)[0]
    assert listed == catalog.markdown_list(), "README's table list is stale: jichitai-cloud tables --markdown"


# --- the catalogue derives from the resources ------------------------------------------------------------

def _table(name: str, stage: str) -> Resource:
    return Resource(name, name, name, {"code": resources.FIELDS["code"]}, ("code",), stage=stage)


def test_the_catalogue_orders_tables_by_stage_then_as_declared():
    declared = {t.name: t for t in (_table("m1", "models"), _table("c1", "clean"), _table("s1", "simulation"),
                                    _table("e1", "evidence"), _table("c2", "clean"), _table("m2", "models"))}
    assert catalog.in_flow_order(declared) == ["c1", "c2", "e1", "m1", "m2", "s1"]


def test_the_catalogue_is_the_resources_in_flow_order_and_the_simulation_tables_are_the_simulation_stage():
    assert list(catalog.TABLES) == catalog.in_flow_order(resources.RESOURCES)
    stages = [resources.RESOURCES[n].stage for n in catalog.TABLES]
    assert stages == sorted(stages, key=STAGES.index)
    assert catalog.SIMULATION_TABLES == tuple(n for n in catalog.TABLES if resources.RESOURCES[n].stage == "simulation")
    assert catalog.SIMULATION_TABLES == ("simulation_draws", "simulation_summary", "simulation_parameters")
    assert set(catalog.BUILD_TABLES) == set(catalog.TABLES) - set(catalog.SIMULATION_TABLES)
    assert catalog.TABLES == {n: resources.RESOURCES[n].en for n in catalog.TABLES}


def test_a_stage_outside_the_data_flow_or_a_key_outside_the_columns_is_refused():
    with pytest.raises(ValueError, match="stage 'later' is not one of"):
        _table("x", "later")
    with pytest.raises(ValueError, match=r"key columns \['name'\]"):
        Resource("x", "x", "x", {"code": resources.FIELDS["code"]}, ("name",), stage="clean")


# --- value checks on fields --------------------------------------------------------------------------------

def _check(monkeypatch, columns: dict, key=(), checks=()) -> str:
    monkeypatch.setitem(resources.RESOURCES, "t", Resource("t", "t", "t", columns, tuple(key), stage="clean",
                                                           checks=tuple(checks)))
    return "t"


def _int(*checks, nullable=False) -> Field:
    return Field("int64" if not nullable else "Int64", "", "published", "n", "n", "n", "n", nullable=nullable,
                 checks=checks)


def _str(*checks) -> Field:
    return Field("str", "", "key", "s", "s", "s", "s", checks=checks)


@pytest.mark.parametrize("check, good, bad, expected", [
    (field.gt(0), [1, 5], [1, 0], r"row 3, column a: 0 is not greater than 0"),
    (field.ge(0), [0, 5], [0, -1], r"row 3, column a: -1 is not at least 0"),
    (field.between(1, 6), [1, 6], [1, 7], r"row 3, column a: 7 is not between 1 and 6"),
    (field.isin(vocab.CLASS_IDS), [1, 6], [0, 6], r"row 2, column a: 0 is not one of 1, 2, 3, 4, 5, 6"),
])
def test_a_value_outside_its_fields_checks_is_refused_naming_row_column_and_value(monkeypatch, check, good, bad,
                                                                                    expected):
    t = _check(monkeypatch, {"a": _int(check)})
    assert schema.validate(pd.DataFrame({"a": good}), t, CleaningError)["a"].tolist() == good
    with pytest.raises(CleaningError, match=expected):
        schema.validate(pd.DataFrame({"a": bad}), t, CleaningError, first_row=2)


def test_string_checks_regex_isin_and_the_code_check_digit(monkeypatch):
    t = _check(monkeypatch, {"y": _str(field.regex(r"H[0-9]{2}")), "s": _str(field.isin(vocab.STATUSES)),
                             "code": _str(field.VALID_CODE)})
    ok = pd.DataFrame({"y": ["H18", "H29"], "s": ["joint", "none"], "code": ["011002", "131016"]})
    assert schema.validate(ok, t, CleaningError) is not None
    for column, value, expected in (("y", "H1", "matching"), ("y", "H181", "matching"),
                                    ("s", "not_joint", "one of joint, single, none"),
                                    ("code", "011003", "valid 6-digit code with check digit"),
                                    ("code", "11002", "valid 6-digit code")):
        bad = ok.copy()
        bad.loc[1, column] = value
        with pytest.raises(CleaningError, match=rf"^t: index 1, column {column}: '{value}' is not {expected}"):
            schema.validate(bad, t, CleaningError)


def test_a_nullable_column_checks_only_its_values(monkeypatch):
    t = _check(monkeypatch, {"a": _int(field.ge(0), nullable=True)})
    schema.validate(pd.DataFrame({"a": pd.array([1, None], dtype="Int64")}), t, CleaningError)
    with pytest.raises(CleaningError, match="column a: -2 is not at least 0"):
        schema.validate(pd.DataFrame({"a": pd.array([None, -2], dtype="Int64")}), t, CleaningError)


def test_unique_columns_keys_and_table_checks(monkeypatch):
    t = _check(monkeypatch, {"a": _int(field.UNIQUE), "b": _int(), "c": _str()}, key=("b",),
               checks=(field.unique_together("b", "c"), field.increasing("b")))
    schema.validate(pd.DataFrame({"a": [1, 2], "b": [1, 2], "c": ["x", "x"]}), t, CleaningError)
    with pytest.raises(CleaningError, match="'a'"):
        schema.validate(pd.DataFrame({"a": [1, 1], "b": [1, 2], "c": ["x", "y"]}), t, CleaningError)
    with pytest.raises(CleaningError, match="'b'"):
        schema.validate(pd.DataFrame({"a": [1, 2], "b": [2, 2], "c": ["x", "y"]}), t, CleaningError)
    with pytest.raises(CleaningError, match=r"not rows in increasing b"):
        schema.validate(pd.DataFrame({"a": [1, 2], "b": [2, 1], "c": ["x", "y"]}), t, CleaningError)


def test_a_table_must_have_exactly_its_columns_in_order_with_their_dtypes(monkeypatch):
    t = _check(monkeypatch, {"a": _int(), "c": _str()})
    good = pd.DataFrame({"a": [1], "c": ["x"]})
    for bad, named in ((good[["c", "a"]], "c"), (good.assign(d=1), "d"), (good.drop(columns="c"), "c"),
                       (good.assign(a=["1"]), "a")):
        with pytest.raises(CleaningError, match=rf"^t: .*'{named}'"):
            schema.validate(bad, t, CleaningError)
    assert schema.conform(t, good.assign(d=1)[["d", "c", "a"]]).columns.tolist() == ["a", "c"]


def test_the_survey_contract_is_declared_with_its_value_checks():
    r = resources.RESOURCES["survey"]
    ok = pd.DataFrame({"code": ["011002", "131016"], "population_2017_01_01_persons": [1_952_356, 58_406],
                       "it_cost_yen": pd.array([None, 0], dtype="Int64"), "cloud_status": ["not_joint", "joint"],
                       "it_cost_provenance": ["reported", "reported"], "cloud_status_provenance": ["derived", "derived"]})
    assert list(ok.columns) == list(r.fields)
    schema.validate(ok, "survey", CleaningError)
    for column, value, expected in (("code", "011003", "valid 6-digit code"), ("population_2017_01_01_persons", 0,
                                    "greater than 0"), ("cloud_status", "cloudy", "one of joint, single, none, not_joint"),
                                    ("it_cost_provenance", "guessed", "one of reported, published, derived, simulated")):
        with pytest.raises(CleaningError, match=rf"column {column}: .* is not {expected}"):
            schema.validate(ok.assign(**{column: [ok[column].iloc[0], value]}), "survey", CleaningError)
    with pytest.raises(CleaningError, match="a cost may be missing only where a real file reports it missing"):
        schema.validate(ok.assign(it_cost_provenance=["simulated", "simulated"]), "survey", CleaningError)
    with pytest.raises(CleaningError, match="column input: 'made up' is not one of simulated, reported"):
        schema.validate(pd.DataFrame({c: ["made up"] if c == "input" else ([0] if c in ("rows", "costs_missing")
                                                                            else [""])
                                      for c in resources.RESOURCES["survey_input"].fields}), "survey_input",
                        CleaningError)


def test_without_an_error_class_a_mismatch_is_a_bug_and_keeps_pandera_s_error():
    import pandera.errors

    with pytest.raises(pandera.errors.SchemaError):
        schema.conform("published_chart_labels", pd.DataFrame({c: [1] for c in
                                                              resources.RESOURCES["published_chart_labels"].fields}))


# --- one declaration per fact ------------------------------------------------------------------------------

def test_display_columns_state_only_what_differs_from_the_declared_field():
    for column, shown in display_columns.DISPLAY.items():
        declared = resources.FIELDS.get(column)
        if shown.en or shown.ja:  # a variant of a declared column: its description is the field's, once
            assert declared is not None or any(shown.en == r.columns[column].en for r in resources.RESOURCES.values()
                                               if column in r.columns), column
        else:  # display-only: no stored column of that name
            assert declared is None, f"{column}: display-only, yet declared in the registry"
    assert display_columns.DISPLAY["none"].header_ja == vocab.STATUS["none"][0]


def test_pandera_is_imported_only_by_registry_schema():
    lib = paths.PROJECT_ROOT / "lib" / "jichitai_cloud"
    users = sorted(str(p.relative_to(lib)) for p in lib.rglob("*.py")
                   if re.search(r"^\s*(import pandera|from pandera)", p.read_text(encoding="utf-8"), re.M))
    assert users == ["registry/schema.py"], users
