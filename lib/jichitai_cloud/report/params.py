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
import re
import unicodedata
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
    prefecture: str = field(default="", metadata=_option(
        "--prefecture", "with --scope prefecture: its name as written (長野県) or in romaji (Nagano, nagano-ken, "
                        "Nagano Prefecture)", single_only=True))
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
        prefecture = _check_prefecture(self.scope, self.prefecture)
        _check_group(self.scope, self.group_id)
        return dataclasses.replace(self, prefecture=prefecture, group_id=int(self.group_id or 0),
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


def _check_prefecture(scope: object, prefecture: object) -> str:
    """The prefecture's name as written (長野県) for scope='prefecture' (given as written or in romaji), else ''."""
    if scope == "prefecture":
        if prefecture in ("", None):
            raise ParameterError(f"scope='prefecture' needs a prefecture, one of {', '.join(vocab.PREFECTURES)}")
        return prefecture_of(prefecture)
    if prefecture not in ("", None):
        raise ParameterError(f"prefecture is only for scope='prefecture'; got {prefecture!r} with scope={scope!r}")
    return ""


def _romaji_key(text: str) -> str:
    """A romaji spelling reduced to compare: NFKC, lower case, macrons and separators dropped, long vowels
    written as one (Tōkyō, Toukyou, TOKYO -> tokyo; Ōita, Ooita -> oita; nagano-ken -> naganoken)."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[\s_.\-]+", "", text)
    return re.sub(r"([ou])\1|ou", lambda m: m.group(0)[0], text)


def _prefecture_spellings() -> dict[str, str]:
    """Every accepted spelling (as :func:`_romaji_key` reduces it) -> the prefecture's name as written: its
    romaji alone, with its suffix (nagano-ken, tokyo-to, osaka-fu, hokkai-do), or with 'prefecture' / 'pref.'."""
    out = {}
    for name, romaji in vocab.PREFECTURE_ROMAJI.items():
        base = _romaji_key(romaji)
        suffix = vocab.PREFECTURE_SUFFIX[name[-1]]
        forms = {base, base + "prefecture", base + "pref"} | ({base + suffix} if not base.endswith(suffix) else set())
        if name == "東京都":
            forms |= {base + "metropolis", base + "metropolitanprefecture"}
        out.update({f: name for f in forms})
    return out


PREFECTURE_SPELLINGS = _prefecture_spellings()


def prefecture_of(value: object) -> str:
    """The prefecture a user names, as written in :data:`vocab.PREFECTURES` (長野県): given so (after NFKC), or
    in romaji with or without its suffix, case-insensitive (Nagano, nagano-ken, Nagano Prefecture, Tokyo,
    tokyo-to, Osaka-fu, Hokkaido). Anything else is refused in one line with the closest names (difflib)."""
    if isinstance(value, str):
        written = unicodedata.normalize("NFKC", value).strip()
        if written in vocab.PREFECTURES:
            return written
        if _romaji_key(written) in PREFECTURE_SPELLINGS:
            return PREFECTURE_SPELLINGS[_romaji_key(written)]
    if isinstance(value, str) and _romaji_key(value).isascii() and value.strip():
        raise ParameterError(f"prefecture must be a prefecture in romaji, one of "
                             f"{', '.join(vocab.PREFECTURE_ROMAJI.values())} (also nagano-ken, Nagano Prefecture), "
                             f"or as written (長野県); got {value!r}{_prefecture_hint(value)}")
    raise ParameterError(f"prefecture must be one of {', '.join(vocab.PREFECTURES)}; got {value!r}"
                         f"{_prefecture_hint(value)}; romaji works too (Nagano, nagano-ken, Nagano Prefecture)")


def _prefecture_hint(value: object) -> str:
    """' (did you mean 'Nagano' or 'Nara'?)': the closest names, in the script the value was written in."""
    if not isinstance(value, str) or not value.strip():
        return ""
    written = unicodedata.normalize("NFKC", value).strip()
    if _romaji_key(written).isascii():
        by_key = {_romaji_key(romaji): romaji for romaji in vocab.PREFECTURE_ROMAJI.values()}
        key = _romaji_key(written)
        for suffix in ("prefecture", "pref", *vocab.PREFECTURE_SUFFIX.values()):  # compare the names alone
            if key.endswith(suffix) and len(key) > len(suffix) + 1:
                key = key[:-len(suffix)]
                break
        close = [by_key[k] for k in difflib.get_close_matches(key, list(by_key), n=3, cutoff=0.6)]
    else:
        close = difflib.get_close_matches(written, list(vocab.PREFECTURES), n=3, cutoff=0.5)
    if not close:
        return ""
    quoted = [repr(c) for c in close]
    return f" (did you mean {quoted[0]}?)" if len(quoted) == 1 else \
        f" (did you mean {', '.join(quoted[:-1])} or {quoted[-1]}?)"


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
