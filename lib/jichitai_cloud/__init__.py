"""jichitai_cloud: Japanese municipalities' IT-system costs and 自治体クラウド (joint cloud).

For exploring in JupyterLab::

    import jichitai_cloud as jc

    jc.load("municipalities")                 # any processed table; jc.tables() lists them
    nagano = jc.municipality_costs(prefecture="長野県")
    jc.compare_with_similar(nagano[nagano["joint_cloud_group_id"].notna()])
    jc.plots.members_vs_comparables(...)      # every plot returns a Figure

Costs per municipality are SIMULATED unless a real survey file was configured:
``jc.load("survey_input")`` says which, and every table and chart built on them says so.
"""

from __future__ import annotations

import importlib

try:  # the version is stated once, in pyproject.toml
    from importlib.metadata import PackageNotFoundError, version

    __version__ = version("jichitai-cloud")
except PackageNotFoundError:  # pragma: no cover - running from a checkout that was never installed
    __version__ = "0+unknown"

_SUBMODULES = ("build", "case_studies", "catalog", "checks", "cloud_groups", "display", "evidence", "findings", "membership",
               "metadata", "models", "municipalities", "paths", "planned", "plots", "published", "render", "reports",
               "sources", "store", "survey", "vocab")


def __getattr__(name: str):
    # Submodules load on first use (jc.plots, jc.models, ...): importing the package stays cheap.
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'jichitai_cloud' has no attribute {name!r}")


def load(name: str):
    """A processed table from data/processed by name (Parquet). See :func:`tables` for the list.

    Every table says its units in its column names (``_yen``, ``_oku_yen``, ``_persons``,
    ``_pct``) and dates (``_2017_01_01``, ``_fy``); codes are 6-digit strings.
    """
    from . import store

    return store.read_table(name)


def _catalogue() -> str:
    from .catalog import TABLES

    return "\n".join(f"    {name}: {text}" for name, text in TABLES.items())


load.__doc__ += "\n    The tables::\n\n" + _catalogue() + "\n"


def tables():
    """Every processed table with what it holds (units, basis dates, provenance)."""
    import pandas as pd

    from . import store

    return pd.DataFrame({"table": list(store.TABLES), "holds": list(store.TABLES.values())})


def municipality_costs(prefecture: str | None = None):
    """One row per municipality: where it is, its size, its 2018-04 group, the survey's status and cost.

    Columns: code, prefecture, name, kind, population_2017_01_01_persons, joint_cloud_group_id,
    joint_cloud_start_fy (real: 住民基本台帳, the group list), cloud_status, it_cost_yen,
    cost_per_resident_yen and their provenance (survey: SIMULATED unless reported; see
    ``load("survey_input")``). ``prefecture`` filters, e.g. "長野県".
    """
    from . import municipalities, store

    frame = store.read_table("municipalities")
    if prefecture is not None and prefecture not in municipalities.PREFECTURES:
        raise ValueError(f"prefecture must be one of {', '.join(municipalities.PREFECTURES)}; got {prefecture!r}")
    df = frame[["code", "prefecture", "name", "kind", "population_2017_01_01_persons", "joint_cloud_group_id",
                "joint_cloud_start_fy"]].merge(
        store.read_table("survey")[["code", "cloud_status", "it_cost_yen", "it_cost_provenance",
                                    "cloud_status_provenance"]], on="code")
    df["cost_per_resident_yen"] = df["it_cost_yen"].astype(float) / df["population_2017_01_01_persons"]
    if prefecture is not None:
        df = df[df["prefecture"] == prefecture]
    df = df.reset_index(drop=True)
    df.attrs["survey_input"] = store.read_table("survey_input")["input"].iloc[0]
    return df


def compare_with_similar(municipalities_or_codes, factor: float = 2.0):
    """Each municipality's cost per resident against non-members of similar size (within ``factor``).

    Accepts a frame with a ``code`` column (e.g. from :func:`municipality_costs`) or codes.
    Comparables are municipalities in no joint-cloud group (2018-04 list) whose population
    lies within a factor of two. Survey-based: SIMULATED unless a real file was configured.
    """
    from . import store, survey

    codes = (municipalities_or_codes["code"] if hasattr(municipalities_or_codes, "columns")
             else list(municipalities_or_codes))
    out = survey.comparable_non_members(store.read_table("survey"), store.read_table("municipalities"), codes,
                                        factor=factor)
    out.attrs["survey_input"] = store.read_table("survey_input")["input"].iloc[0]
    return out


def styled(df, lang: str = "ja", caption: str | None = None, **kw):
    """A frame for reading (pandas Styler): Japanese or English headers, thousands separators.

    ``table="evidence_gaps"`` (any table of ``jc.metadata.RESOURCES``) gives the registry's
    headers with their units and kinds of figure; see :func:`jichitai_cloud.display.styled`.
    """
    from . import display

    return display.styled(df, lang, caption, **kw)
