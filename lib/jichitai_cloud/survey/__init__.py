"""Stage 3, survey: per-municipality IT cost (FY2017), from a real file or the calibrated simulated survey.

The modules, in the order a survey is made:

- ``contract``: what the ``survey`` and ``survey_input`` tables hold (columns, statuses, provenance);
- ``sheets``: a real file's rows (CSV, TSV, XLSX), read within bounds, and its header row;
- ``reader``: a real file validated against the contract (header, row and file passes);
- ``generator``: the simulated survey, calibrated to the published figures (the pin passed explicitly);
- ``summaries``: the survey in the published tables' terms, its reconciliation with them, and the
  summaries reports show;
- ``inputs``: which survey a build uses, the survey table and the ``survey_input`` row;
- ``setting``: the survey in use, chosen with `jichitai-cloud survey use` until switched back;
- ``labels``: what every number built on the survey must say (simulated, or reported and from which file).

``from jichitai_cloud import survey`` (or ``jc.survey``) also gives the public names below directly
(``survey.load_real``, ``survey.simulate``, ...). Nothing is imported until first used.
"""

from __future__ import annotations

import importlib

MODULES = ("contract", "sheets", "reader", "generator", "summaries", "inputs", "setting", "labels")
# The public names, by the module that defines them.
PUBLIC = {
    "contract": ("validate", "validate_input"),
    "sheets": ("SHEET_ENV", "MAX_FILE_BYTES"),
    "reader": ("load_real", "per_resident_bounds", "code_convention", "normal_code", "MAX_PROBLEMS"),
    "generator": ("GeneratorParams", "simulate", "small_joint_pin", "inferred_small_joint"),
    "summaries": ("with_classes", "by_class", "by_class_status", "ordering_checks", "reconcile", "explanations",
                  "comparison_by_class", "reconciliation_note", "by_prefecture", "comparable_non_members",
                  "comparison_summary"),
    "labels": ("survey_label", "survey_caption", "survey_caution"),
    "inputs": ("SurveyInput", "configured_input", "tables", "describe_input", "accepted_outliers_from_env",
               "SURVEY_ENV", "COST_UNIT_ENV", "ACCEPT_OUTLIERS_ENV", "DROP_IN_DIR"),
}
_WHERE = {name: module for module, names in PUBLIC.items() for name in names}
# The errors a survey raises, for ``except survey.SurveyFileError`` (defined in errors.py).
_ERRORS = ("SurveyFileError", "OrderingError")

__all__ = [*MODULES, *_WHERE, *_ERRORS]


def __getattr__(name: str):
    if name in MODULES:
        return importlib.import_module(f"{__name__}.{name}")
    if name in _WHERE:
        return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    if name in _ERRORS:
        return getattr(importlib.import_module("jichitai_cloud.errors"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
