"""Stage 7a, report jobs: the parameters of a report, validated before any kernel starts.

Parameters from a scheduler are untrusted: :func:`validate_parameters` checks each against its
valid values (and the build: the survey it used, its 70 groups) and returns them clean; only
these names ever reach papermill. Light on purpose: no pandas, no plotting, so that the
command line starts a report without the imports the kernel will do anyway.
"""

from __future__ import annotations

import difflib

from jichitai_cloud import paths
from jichitai_cloud.registry import vocab
from jichitai_cloud.errors import ParameterError

KERNEL_NAME = "jichitai-cloud"
TEMPLATE = paths.NOTEBOOKS_DIR / "report.ipynb"
SCOPES = ("national", "prefecture", "group")
SURVEY_INPUTS = ("simulated", "reported")
PARAMETERS = ("scope", "lang", "prefecture", "group_id", "population_basis", "model", "survey_input",
              "use_inferred_label", "fail_for_test")


def validate_parameters(scope: object = "national", lang: object = "ja", prefecture: object = "",
                        group_id: object = 0, population_basis: object = "2017-01-01", model: object = "main",
                        survey_input: object = None, use_inferred_label: object = True,
                        fail_for_test: object = False) -> dict:
    """Check report parameters (untrusted when they come from a scheduler); return them clean.

    Every message lists the valid values. ``group_id`` must be a group of the built
    data; ``survey_input`` (default: whatever the build used) must match the build, since
    a report shows data/processed as built. ``use_inferred_label``: whether analyses may use
    the inferred assignment of the chart label 9,820円 (always marked inferred).
    """
    from jichitai_cloud.io import store

    def one_of(name, value, valid):
        if not isinstance(value, str) or value not in valid:
            close = difflib.get_close_matches(str(value), list(valid), n=1, cutoff=0.5)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ParameterError(f"{name} must be one of {', '.join(valid)}; got {value!r}{hint}")
        return value

    one_of("scope", scope, SCOPES)
    one_of("lang", lang, vocab.LANGS)
    one_of("population_basis", population_basis, tuple(vocab.POPULATION_BASES))
    one_of("model", model, tuple(vocab.MODELS))
    for name, value in (("use_inferred_label", use_inferred_label), ("fail_for_test", fail_for_test)):
        if not isinstance(value, bool):
            raise ParameterError(f"{name} must be True or False; got {value!r}")
    built = store.survey_input_of_build()
    if survey_input is None:
        survey_input = built
    one_of("survey_input", survey_input, SURVEY_INPUTS)
    if survey_input != built:
        raise ParameterError(f"survey_input={survey_input!r} but data/processed was built with the {built} survey; "
                             f"run `jichitai-cloud build` with the survey you want (--survey FILE for a real file)")
    if scope == "prefecture":
        if prefecture in ("", None):
            raise ParameterError(f"scope='prefecture' needs a prefecture, one of {', '.join(vocab.PREFECTURES)}")
        one_of("prefecture", prefecture, vocab.PREFECTURES)
    elif prefecture not in ("", None):
        raise ParameterError(f"prefecture is only for scope='prefecture'; got {prefecture!r} with scope={scope!r}")
    if scope == "group":
        valid_ids = [int(r["group_id"]) for r in store.read_records("cloud_groups")]
        if group_id in (0, None):
            raise ParameterError(f"scope='group' needs a group id, one of {min(valid_ids)}..{max(valid_ids)} (the "
                                 f"{len(valid_ids)} groups of the 2018-04 list)")
        if isinstance(group_id, bool) or not isinstance(group_id, int) or group_id not in valid_ids:
            raise ParameterError(f"group_id must be one of {min(valid_ids)}..{max(valid_ids)} (the "
                                 f"{len(valid_ids)} groups of the 2018-04 list); got {group_id!r}")
    elif group_id not in (0, None):
        raise ParameterError(f"group_id is only for scope='group'; got {group_id!r} with scope={scope!r}")
    return {"scope": scope, "lang": lang, "prefecture": prefecture or "", "group_id": int(group_id or 0),
            "population_basis": population_basis, "model": model, "survey_input": survey_input,
            "use_inferred_label": use_inferred_label, "fail_for_test": fail_for_test}


def title(params: dict) -> str:
    """The report's title for its scope and language."""
    from jichitai_cloud.io import store

    lang, scope = params["lang"], params["scope"]
    text = vocab.pick(vocab.TITLES[scope], lang)
    if scope == "prefecture":
        return text.format(prefecture=params["prefecture"])
    if scope == "group":
        gid = int(params["group_id"])
        group = next(r for r in store.read_records("cloud_groups") if int(r["group_id"]) == gid)
        names = [r["name"] for r in store.read_records("cloud_group_members") if int(r["group_id"]) == gid]
        return text.format(group_id=gid, name=vocab.group_display_name(group["name"], names, lang))
    return text
