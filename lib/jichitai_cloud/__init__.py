"""jichitai_cloud: Japanese municipalities' IT-system costs and 自治体クラウド (joint cloud).

For exploring in JupyterLab::

    import jichitai_cloud as jc

    jc.load("municipalities")                 # any processed table; jc.tables() lists them
    nagano = jc.load("evidence_membership_predictions").query("prefecture == '長野県'")
    jc.plots.map_municipalities(nagano, column="predicted_probability")   # every plot returns a Figure

Costs per municipality are SIMULATED unless a real survey file was configured (``jc.load("survey_input")``
says which). Simulated per-municipality costs check methods; they are never a fact about a place, so
``jc.load("survey")``, :func:`municipality_costs` and :func:`compare_with_similar` return them only when
asked with ``simulated=True``, and then without names.
"""

from __future__ import annotations

import importlib

# First of all, before numpy is imported: the numeric libraries on one thread, so that every number computed is
# the same on every machine (io/processes.py: ONE_THREAD).
importlib.import_module(f"{__name__}.io.processes").one_thread_each()

try:  # the version is stated once, in pyproject.toml
    from importlib.metadata import PackageNotFoundError, version

    __version__ = version("jichitai-cloud")
except PackageNotFoundError:  # pragma: no cover - running from a checkout that was never installed
    __version__ = "0+unknown"

# Every public module by its short name (jc.plots, jc.models, jc.simulation, ...), found in the data flow's
# packages: registry -> io -> clean -> survey -> analysis -> report, with build and cli on top. The survey is
# one package (jc.survey, its modules jc.survey.reader, ...). Listed from the folders, loaded on first use, so
# importing the package stays cheap and a new module needs no entry here.
PACKAGES = ("registry", "io", "clean", "analysis", "report")


def _public_modules() -> dict[str, str]:
    import os

    here = os.path.dirname(__file__)
    found: dict[str, str] = {"survey": "survey"}
    for package in ("",) + PACKAGES:
        for entry in sorted(os.listdir(os.path.join(here, package))):
            name, ext = os.path.splitext(entry)
            if ext != ".py" or name.startswith("_"):
                continue
            if name in found:  # a short name must say which module it is (tests/test_api.py)
                raise ImportError(f"jichitai_cloud: two modules named {name!r} ({found[name]}, {package}.{name})")
            found[name] = f"{package}.{name}" if package else name
    return found


MODULES = _public_modules()

# In a notebook, a user's error (a stale build after a rebuild, a bad parameter) shows as one line.
importlib.import_module(f"{__name__}.errors").show_in_one_line_in_ipython()


def __getattr__(name: str):
    if name in MODULES:
        return importlib.import_module(f"{__name__}.{MODULES[name]}")
    raise AttributeError(f"module 'jichitai_cloud' has no attribute {name!r}")


def load(name: str, simulated: bool = False):
    """A processed table from data/processed by name (Parquet). See :func:`tables` for the list.

    Every table says its units in its column names (``_yen``, ``_oku_yen``, ``_persons``,
    ``_pct``) and dates (``_2017_01_01``, ``_fy``); codes are 6-digit strings. The per-municipality
    ``survey`` of a build whose survey is simulated is returned only with ``simulated=True``.
    """
    from jichitai_cloud.errors import ParameterError
    from jichitai_cloud.io import store

    if name not in store.TABLES:
        raise ParameterError(f"unknown table {name!r}; jc.tables() lists them: {', '.join(store.TABLES)}")
    if name == "survey":
        _refuse_simulated(simulated, 'jc.load("survey", simulated=True)')
    return store.read_table(name)


def _survey_is_simulated() -> bool:
    from jichitai_cloud.io import store

    return store.read_table("survey_input")["input"].iloc[0] == "simulated"


def _refuse_simulated(simulated: bool, how: str) -> bool:
    """True when the build's survey is simulated (and it was asked for explicitly); refuses when it was not."""
    from jichitai_cloud.errors import SimulatedRowsError

    if not _survey_is_simulated():
        return False
    if simulated is not True:
        raise SimulatedRowsError(
            "this build's per-municipality costs are simulated: they check methods and describe no municipality; "
            f"use {how} to get them (without names), or build with a real survey file")
    return True


def _catalogue() -> str:
    from jichitai_cloud.registry.catalog import TABLES

    return "\n".join(f"    {name}: {text}" for name, text in TABLES.items())


load.__doc__ += "\n    The tables::\n\n" + _catalogue() + "\n"


def tables():
    """Every processed table with what it holds (units, basis dates, provenance), shown whole."""
    from jichitai_cloud.io import store
    from jichitai_cloud.report.display import WholeText

    return WholeText({"table": list(store.TABLES), "holds": list(store.TABLES.values())})


def municipality_costs(prefecture: str | None = None, simulated: bool = False):
    """One row per municipality: where it is, its size, its 2018-04 group, the survey's status and cost.

    Columns: code, prefecture, name, kind, population_2017_01_01_persons, joint_cloud_group_id,
    joint_cloud_start_fy (real: 住民基本台帳, the group list), cloud_status, it_cost_yen,
    cost_per_resident_yen and their provenance (reported; see ``load("survey_input")``). ``prefecture``
    filters, e.g. "長野県". With the simulated survey only with ``simulated=True``, and without the name.
    """
    from jichitai_cloud.errors import ParameterError
    from jichitai_cloud.io import store
    from jichitai_cloud.registry import vocab

    if prefecture is not None and prefecture not in vocab.PREFECTURES:
        raise ParameterError(f"prefecture must be one of {', '.join(vocab.PREFECTURES)}; got {prefecture!r}")
    anonymous = _refuse_simulated(simulated, "jc.municipality_costs(..., simulated=True)")
    frame = store.read_table("municipalities")
    df = frame[["code", "prefecture", "name", "kind", "population_2017_01_01_persons", "joint_cloud_group_id",
                "joint_cloud_start_fy"]].merge(
        store.read_table("survey")[["code", "cloud_status", "it_cost_yen", "it_cost_provenance",
                                    "cloud_status_provenance"]], on="code")
    df["cost_per_resident_yen"] = df["it_cost_yen"].astype(float) / df["population_2017_01_01_persons"]
    if prefecture is not None:
        df = df[df["prefecture"] == prefecture]
    df = df.reset_index(drop=True)
    if anonymous:
        df = df.drop(columns="name")
    df.attrs["survey_input"] = store.read_table("survey_input")["input"].iloc[0]
    return df


def compare_with_similar(municipalities_or_codes, factor: float = 2.0, simulated: bool = False):
    """Each municipality's cost per resident against non-members of similar size (within ``factor``).

    Accepts a frame with a ``code`` column (e.g. from :func:`municipality_costs`) or codes.
    Comparables are municipalities in no joint-cloud group (2018-04 list) whose population
    lies within a factor of two. Survey-based: with the simulated survey only with ``simulated=True``, and
    without names.
    """
    from jichitai_cloud.io import store
    from jichitai_cloud.survey import summaries

    anonymous = _refuse_simulated(simulated, "jc.compare_with_similar(..., simulated=True)")
    codes = (municipalities_or_codes["code"] if hasattr(municipalities_or_codes, "columns")
             else list(municipalities_or_codes))
    out = summaries.comparable_non_members(store.read_table("survey"), store.read_table("municipalities"), codes,
                                        factor=factor)
    if anonymous:
        out = out.drop(columns="name")
    out.attrs["survey_input"] = store.read_table("survey_input")["input"].iloc[0]
    return out


def styled(df, lang: str = "ja", caption: str | None = None, **kw):
    """A frame for reading (pandas Styler): Japanese or English headers, thousands separators.

    ``table="evidence_gaps"`` (any table of ``jc.resources.RESOURCES``) gives the registry's
    headers with their units and kinds of figure; see :func:`jichitai_cloud.report.display.styled`.
    """
    from jichitai_cloud.report import display

    return display.styled(df, lang, caption, **kw)


def to_excel(path, tables=None, lang: str = "ja"):
    """Write the processed tables of the current build to one Excel workbook ``path`` (.xlsx) and return
    what was written (path, build, each table's sheet, what was left out).

    A contents sheet (build id, version, survey, licences), a sheet per table (or per table of ``tables``: names,
    or one comma-separated text) with headers carrying unit and kind of figure in ``lang`` (ja or en), the
    codebook and the sources with their licences; map geometry is left out (GeoParquet). Also
    ``jichitai-cloud export --xlsx FILE``; see :mod:`jichitai_cloud.report.workbook`.
    """
    from jichitai_cloud.report import workbook

    return workbook.to_excel(path, tables, lang)
