"""Stage 7a, report parameters: declared once, in :class:`ReportParams`.

The one declaration feeds every place a report's parameters appear:

- the jobs: :func:`validate` checks untrusted values (from a scheduler, the command line, a notebook)
  before any kernel starts, and returns the only names papermill ever receives;
- the command line: ``jichitai-cloud report`` and ``reports`` build their options from the fields'
  ``option`` metadata (:mod:`jichitai_cloud.cli`);
- the template: the ``parameters`` cell of ``notebooks/report.ipynb`` lists exactly these fields with
  these defaults (a test compares them).

Light on purpose: no pandas (the command line validates a report without the kernel's imports).
"""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass, field

from jichitai_cloud.errors import ParameterError
from jichitai_cloud.registry import vocab

SCOPES = ("national", "prefecture", "group")
SURVEY_INPUTS = ("simulated", "reported")


def _option(flag: str | None, text: str, single_only: bool = False, **argparse_kw) -> dict:
    """A field's command-line option: its flag (None: not an option), help, whether only ``report`` (one report,
    not the batch ``reports``) has it, and further argparse settings."""
    return {"option": flag, "help": text, "single_only": single_only, "argparse": argparse_kw}


@dataclass(frozen=True)
class ReportParams:
    """What one report shows. Validated by :meth:`validated` (every message lists the valid values)."""

    scope: str = field(default="national", metadata=_option("--scope", "national (default), prefecture or group",
                                                            single_only=True))
    lang: str = field(default="ja", metadata=_option("--lang", "language of headings and labels: ja (default) or "
                                                               "en; English reports are written to report.en.html"))
    prefecture: str = field(default="", metadata=_option("--prefecture", "with --scope prefecture, e.g. 長野県",
                                                         single_only=True))
    group_id: int = field(default=0, metadata=_option("--group-id", "with --scope group: 1..70", single_only=True,
                                                      type=int))
    population_basis: str = field(default="2017-01-01", metadata=_option("--population-basis",
                                                                         "2017-01-01 (default) or 2018-01-01"))
    model: str = field(default="main", metadata=_option(
        "--model", "which standard model the regression sections show (main, interaction, prefecture_fe, kind, "
                   "fiscal, huber, ...)"))
    # The survey the build used; the command line's --survey FILE rebuilds instead of naming it.
    survey_input: str | None = field(default=None, metadata=_option(None, "None (the build's), simulated or reported"))
    use_inferred_label: bool = field(default=True, metadata=_option(
        "--no-inferred-label", "leave out the inferred assignment of the chart label 9,820円 (used by default, and "
                               "always marked inferred)", action="store_false"))

    def validated(self) -> ReportParams:
        """These parameters checked (against the build too: the survey it used, its 70 groups); clean.

        ``group_id`` must be a group of the built data; ``survey_input`` (default: whatever the build
        used) must match the build, since a report shows data/processed as built. ``use_inferred_label``:
        whether analyses may use the inferred assignment of the chart label 9,820円 (always marked inferred).
        """
        from jichitai_cloud.io import store

        _one_of("scope", self.scope, SCOPES)
        _one_of("lang", self.lang, vocab.LANGS)
        _one_of("population_basis", self.population_basis, tuple(vocab.POPULATION_BASES))
        _one_of("model", self.model, tuple(vocab.MODELS))
        if not isinstance(self.use_inferred_label, bool):
            raise ParameterError(f"use_inferred_label must be True or False; got {self.use_inferred_label!r}")
        built = store.survey_input_of_build()
        survey_input = built if self.survey_input is None else self.survey_input
        _one_of("survey_input", survey_input, SURVEY_INPUTS)
        if survey_input != built:
            raise ParameterError(f"survey_input={survey_input!r} but data/processed was built with the {built} survey; "
                                 f"run `jichitai-cloud build` with the survey you want (--survey FILE for a real file)")
        _check_prefecture(self.scope, self.prefecture)
        _check_group(self.scope, self.group_id)
        return dataclasses.replace(self, prefecture=self.prefecture or "", group_id=int(self.group_id or 0),
                                   survey_input=survey_input)

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


PARAMETERS = tuple(f.name for f in dataclasses.fields(ReportParams))  # the template's parameters, in order
DEFAULTS = {f.name: f.default for f in dataclasses.fields(ReportParams)}


def validate(**params) -> dict:
    """Report parameters (untrusted) checked and returned clean, as papermill receives them."""
    unknown = sorted(set(params) - set(PARAMETERS))
    if unknown:
        raise ParameterError(f"no report parameter {', '.join(unknown)}; the parameters are {', '.join(PARAMETERS)}")
    return ReportParams(**params).validated().as_dict()


def langs(value: object) -> tuple[str, ...]:
    """The languages of a batch (``reports --all --lang``): one language, a comma-separated list ('ja,en') or
    'both'; each once, in the order given."""
    items = list(vocab.LANGS) if value == "both" else [v.strip() for v in str(value).split(",")]
    for item in items:
        _one_of("lang", item, vocab.LANGS + ("both",) if len(items) == 1 else vocab.LANGS)
    return tuple(dict.fromkeys(items))


def _one_of(name: str, value: object, valid: tuple) -> None:
    if not isinstance(value, str) or value not in valid:
        close = difflib.get_close_matches(str(value), list(valid), n=1, cutoff=0.5)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ParameterError(f"{name} must be one of {', '.join(valid)}; got {value!r}{hint}")


def _check_prefecture(scope: object, prefecture: object) -> None:
    if scope == "prefecture":
        if prefecture in ("", None):
            raise ParameterError(f"scope='prefecture' needs a prefecture, one of {', '.join(vocab.PREFECTURES)}")
        _one_of("prefecture", prefecture, vocab.PREFECTURES)
    elif prefecture not in ("", None):
        raise ParameterError(f"prefecture is only for scope='prefecture'; got {prefecture!r} with scope={scope!r}")


def _check_group(scope: object, group_id: object) -> None:
    from jichitai_cloud.io import store

    if scope != "group":
        if group_id not in (0, None):
            raise ParameterError(f"group_id is only for scope='group'; got {group_id!r} with scope={scope!r}")
        return
    valid_ids = [int(r["group_id"]) for r in store.read_records("cloud_groups")]
    which = f"{min(valid_ids)}..{max(valid_ids)} (the {len(valid_ids)} groups of the 2018-04 list)"
    if group_id in (0, None):
        raise ParameterError(f"scope='group' needs a group id, one of {which}")
    if isinstance(group_id, bool) or not isinstance(group_id, int) or group_id not in valid_ids:
        raise ParameterError(f"group_id must be one of {which}; got {group_id!r}")
