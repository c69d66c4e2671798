"""Stage 3, survey: which survey a build uses, the survey table, and the row that says which.

The survey input is an explicit path (--survey) or --simulated for one build, else
$JICHITAI_CLOUD_SURVEY, else the survey in use (:mod:`.setting`, `jichitai-cloud survey use`), else
the one file in data/raw/survey/ (git-ignored), else the simulated survey (:mod:`.generator`). The code path after
loading is the same, and every row says where its cost and status come from (``reported``: a real
file, ``published``: fixed by a published figure, ``derived`` or ``simulated``); the one-row
``survey_input`` table says which input was used, and how it was configured.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from jichitai_cloud import paths
from jichitai_cloud.errors import SurveyFileError, UserPathError
from jichitai_cloud.registry import vocab
from jichitai_cloud.survey import generator, reader, setting, sheets
from jichitai_cloud.survey.contract import validate_input
from jichitai_cloud.survey.sheets import SHEET_ENV
from jichitai_cloud.survey.labels import survey_label

SURVEY_ENV = "JICHITAI_CLOUD_SURVEY"
COST_UNIT_ENV = "JICHITAI_CLOUD_SURVEY_COST_UNIT"
ACCEPT_OUTLIERS_ENV = "JICHITAI_CLOUD_SURVEY_ACCEPT_OUTLIERS"
DROP_IN_DIR = paths.RAW_DIR / "survey"


def accepted_outliers_from_env() -> tuple[str, ...]:
    """Codes in $JICHITAI_CLOUD_SURVEY_ACCEPT_OUTLIERS (comma- or space-separated), for scheduled builds."""
    return tuple(c for c in re.split(r"[,\s]+", os.environ.get(ACCEPT_OUTLIERS_ENV, "")) if c)


@dataclass(frozen=True)
class SurveyInput:
    """Where the survey comes from: a real file (and how it was configured) or the generator."""

    path: Path | None
    cost_unit: str | None
    configured_by: str  # 'default (simulated)', '--survey', $JICHITAI_CLOUD_SURVEY, the setting, 'data/raw/survey/'
    accept_outliers: tuple[str, ...] = ()  # codes whose extreme cost per resident a researcher verified
    sheet: str | None = None  # the XLSX sheet to read (--sheet, $JICHITAI_CLOUD_SURVEY_SHEET); None: see sheets.choose_sheet

    @property
    def kind(self) -> str:
        return "simulated" if self.path is None else "reported"


def configured_input(path: str | Path | None = None, cost_unit: str | None = None,
                     accept_outliers: tuple[str, ...] = (), sheet: str | None = None,
                     simulated: bool = False) -> SurveyInput:
    """The survey input, in this order: ``path`` (--survey) or ``simulated`` (--simulated), for one build
    only; else $JICHITAI_CLOUD_SURVEY; else the survey in use (:mod:`.setting`: `jichitai-cloud survey use`);
    else the one file in data/raw/survey/ (git-ignored); else the simulated survey. ``accept_outliers``
    (default: $JICHITAI_CLOUD_SURVEY_ACCEPT_OUTLIERS, else the setting's), ``cost_unit`` and ``sheet``
    (default: $JICHITAI_CLOUD_SURVEY_SHEET, else the setting's) go with a real file. A path that is not a
    regular file (a loop, a folder, a pipe, a device, missing), or a chosen file that changed, is refused in
    one line, before anything is computed."""
    unit = cost_unit or os.environ.get(COST_UNIT_ENV) or None
    accept = tuple(accept_outliers or accepted_outliers_from_env())
    sheet = sheet if sheet is not None else (os.environ.get(SHEET_ENV) or None)
    if path and simulated:
        raise SurveyFileError("--survey FILE and --simulated: give one of them")
    if path:
        return SurveyInput(_usable(path, "--survey"), unit, "--survey", accept, sheet)
    if simulated:
        return _simulated(sheet, accept, "--simulated")
    if os.environ.get(SURVEY_ENV):
        return SurveyInput(_usable(os.environ[SURVEY_ENV], f"${SURVEY_ENV}"), unit, f"${SURVEY_ENV}", accept, sheet)
    doc = setting.chosen()
    if doc is not None:
        if doc["input"] == "simulated":
            return _simulated(sheet, accept, setting.CONFIGURED_BY)
        file = setting.verified_file(doc, _read_chosen)
        return SurveyInput(file, unit or doc.get("cost_unit") or None, setting.CONFIGURED_BY,
                           accept or tuple(doc.get("accepted_outliers", ())),
                           sheet if sheet is not None else (doc.get("sheet") or None))
    if DROP_IN_DIR.is_dir():
        files = sorted(p for p in DROP_IN_DIR.iterdir() if p.suffix.lower() in (".csv", ".xlsx", ".xlsm"))
        if len(files) > 1:
            raise SurveyFileError(f"{DROP_IN_DIR}: {len(files)} survey files ({', '.join(p.name for p in files)}); "
                                  f"keep exactly one")
        if files:
            return SurveyInput(_usable(files[0], "data/raw/survey/"), unit, "data/raw/survey/", accept, sheet)
    return _simulated(sheet, accept, "default (simulated)")


def _simulated(sheet: str | None, accept: tuple[str, ...], why: str) -> SurveyInput:
    """The simulated survey. Its ``configured_by`` is always 'default (simulated)', however it was chosen:
    the simulated survey is the same, and so is every table built on it (byte-identical builds); the build's
    log line says how it was chosen (:func:`simulated_because`)."""
    if sheet is not None:
        raise SurveyFileError(f"--sheet {sheet!r} (or ${SHEET_ENV}): only with a real survey file (--survey FILE); "
                              f"the build uses the simulated survey ({why})")
    return SurveyInput(None, None, "default (simulated)", accept)


def simulated_because(flag: bool) -> str:
    """Why a build uses the simulated survey, in words: --simulated, the survey in use, or no file configured."""
    if flag:
        return "--simulated"
    try:
        doc = setting.chosen()
    except SurveyFileError:
        doc = None
    if doc is not None and doc["input"] == "simulated":
        return f"chosen with {setting.CONFIGURED_BY}"
    return "no real file configured"


def _read_chosen(file: Path) -> bytes:
    """The chosen file's bytes (a regular file, bounded as the reader bounds it)."""
    from jichitai_cloud.io.userfiles import read_regular

    return read_regular(file, sheets.MAX_FILE_BYTES, "the survey file",
                        too_large=f"over {sheets.MAX_FILE_BYTES // 2 ** 20} MB; refused")


def _usable(path: str | Path, configured_by: str) -> Path:
    """``path`` resolved, if it is a regular file: a loop, a pipe, a device, a socket or a folder is refused
    in one line naming it and where it was configured, before a build computes anything."""
    from jichitai_cloud.io.userfiles import check_regular, resolve

    try:
        resolved = resolve(path, configured_by)  # its message names configured_by already
    except UserPathError as exc:
        raise SurveyFileError(str(exc)) from None
    try:
        check_regular(resolved, "the survey file", "; give the survey file itself")
    except UserPathError as exc:
        raise SurveyFileError(f"{exc} (configured by {configured_by})") from None
    return resolved


def tables(frame: pd.DataFrame, pub: dict, source: SurveyInput, params: generator.GeneratorParams, *,
           pin: float | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The survey table and its one-row ``survey_input`` description (validated): the real file ``source``
    names, or the simulated survey drawn with ``params`` and ``pin`` (:func:`generator.simulate`; decide the
    pin with :func:`generator.small_joint_pin`). ``pub``: the published tables."""
    if source.path is None and source.accept_outliers:
        raise SurveyFileError(f"--accept-outlier {', '.join(source.accept_outliers)}: only with a real survey file "
                              f"(--survey FILE); no real file is configured, the build uses the simulated survey")
    if source.path is None:
        table = generator.simulate(frame, pub, params, pin=pin)
        params_json = asdict(params) | {"draw": int(table.attrs["draw"])}
        info = {"input": "simulated", "file": "", "sheet": "", "sha256": "", "cost_unit": "yen",
                "configured_by": source.configured_by, "generator_version": params.version,
                "generator_params": json.dumps(params_json, ensure_ascii=False, sort_keys=True)}
    else:  # the reader checks again that it reads a regular file (it may have changed since)
        table = reader.load_real(source.path, frame, source.cost_unit, pub, source.accept_outliers, source.sheet)
        info = {"input": "reported", "file": source.path.name, "sheet": table.attrs["sheet"],
                "sha256": table.attrs["sha256"],  # of the bytes parsed
                "cost_unit": source.cost_unit or "stated in the header", "configured_by": source.configured_by,
                "generator_version": "", "generator_params": ""}
    if (table["cloud_status_provenance"] == "reported").all():
        info["status_source"] = "reported"
    elif (table["cloud_status"] == vocab.NOT_JOINT_CODE).any():
        info["status_source"] = "group list (derived): joint or not"
    else:
        info["status_source"] = "group list (derived) + simulated"
    info["rows"] = len(table)
    info["costs_missing"] = int(table["it_cost_yen"].isna().sum())
    return table, validate_input(pd.DataFrame([info]))


def describe_input(info: pd.DataFrame) -> str:
    """The input's label and, for the simulated survey, the generator's model and parameters."""
    row = info.iloc[0]
    text = survey_label(info, "en")
    if row["input"] == "simulated":
        params = json.loads(row["generator_params"])
        draw = params.pop("draw", 0)
        params["single_effect"] = {int(k): v for k, v in params["single_effect"].items()}
        text += "\n\n" + generator.GeneratorParams(**params).describe() + (
            f" Draw {draw} of the seed's stream: the survey is drawn conditional on the document's orderings, and "
            f"draws 0–{draw - 1} contradicted them." if draw else
            " Draw 0 of the seed's stream satisfied the document's orderings.")
    return text
