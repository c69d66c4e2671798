"""One parameter object for reports (report/params.py): the jobs, the command line and the template agree."""

import ast
import dataclasses

import nbformat
import pytest

from jichitai_cloud import cli
from jichitai_cloud.errors import ParameterError
from jichitai_cloud.report import jobs, params


def _template_parameters() -> dict:
    """The template's parameters cell, as name -> value (the cell papermill injects after)."""
    nb = nbformat.read(jobs.TEMPLATE, as_version=4)
    cells = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1
    tree = ast.parse(cells[0].source)
    return {node.targets[0].id: ast.literal_eval(node.value) for node in tree.body if isinstance(node, ast.Assign)}


def test_the_template_lists_exactly_the_dataclass_fields_with_their_defaults():
    cell = _template_parameters()
    assert list(cell) == list(params.PARAMETERS)
    assert cell == params.DEFAULTS
    assert params.DEFAULTS == {"scope": "national", "lang": "ja", "prefecture": "", "group_id": 0,
                               "population_basis": "2017-01-01", "model": "main", "survey_input": None,
                               "use_inferred_label": True}


def test_the_template_has_no_test_only_parameter():
    assert "fail_for_test" not in _template_parameters() and "fail_for_test" not in params.PARAMETERS
    nb = nbformat.read(jobs.TEMPLATE, as_version=4)
    assert not any("fail_for_test" in c.source for c in nb.cells)


def test_the_command_line_options_are_the_dataclass_fields():
    """`report` takes every field with an option, its default the dataclass's; `reports` all but the scope's."""
    parser = cli._parser()
    one = parser.parse_args(["report"])
    optioned = [f for f in dataclasses.fields(params.ReportParams) if f.metadata["option"]]
    assert {f.name for f in optioned} == set(params.PARAMETERS) - {"survey_input"}  # --survey FILE rebuilds instead
    assert cli._report_params(one) == {f.name: f.default for f in optioned}
    args = parser.parse_args(["report", "--scope", "group", "--group-id", "12", "--lang", "en", "--no-inferred-label",
                              "--population-basis", "2018-01-01", "--model", "ppml"])
    assert cli._report_params(args) == {"scope": "group", "lang": "en", "prefecture": "", "group_id": 12,
                                        "population_basis": "2018-01-01", "model": "ppml",
                                        "use_inferred_label": False}
    batch = cli._report_params(parser.parse_args(["reports", "--all", "--lang", "en"]))
    assert batch == {"lang": "en", "population_basis": "2017-01-01", "model": "main", "use_inferred_label": True}
    with pytest.raises(SystemExit):
        parser.parse_args(["reports", "--all", "--scope", "national"])  # the batch has every scope


def test_an_unknown_parameter_is_refused_with_the_valid_names():
    with pytest.raises(ParameterError, match=r"no report parameter colour; the parameters are scope, lang, "):
        params.validate(colour="red")


@pytest.mark.parametrize("kwargs, message", [
    ({"scope": "region"}, r"scope must be one of national, prefecture, group; got 'region'"),
    ({"lang": "fr"}, r"lang must be one of ja, en; got 'fr'"),
    ({"model": "best"}, r"model must be one of main, interaction"),
    ({"population_basis": "2019"}, r"population_basis must be one of 2017-01-01, 2018-01-01"),
    ({"use_inferred_label": 1}, r"use_inferred_label must be True or False; got 1"),
])
def test_parameters_are_refused_before_the_build_is_read(kwargs, message, monkeypatch):
    """What needs no build is checked first: these fail without reading data/processed."""
    from jichitai_cloud.io import store

    def no_build(*a, **k):
        raise AssertionError("the build must not be read")

    monkeypatch.setattr(store, "survey_input_of_build", no_build)
    with pytest.raises(ParameterError, match=message):
        params.validate(**kwargs)
