"""The catalogue of processed tables, in the order of the data flow: name -> what it holds.

Derived from :mod:`metadata` (the one place where each table and column is declared), kept
free of heavy imports so that ``import jichitai_cloud`` can show it in ``help(jc.load)``.
"""

from jichitai_cloud.registry.metadata import RESOURCES as _RESOURCES

# Stages of the data flow; a table's stage is the first prefix it matches.
_STAGES = ("published_", "municipalities", "boundaries", "cloud_group", "planned_", "adoption_", "case_stud", "savings_",
           "vendor_", "group_size_", "top_runner", "evidence_", "survey", "model_", "reconciliation", "simulation_",
           "codebook")


def _stage(name: str) -> int:
    return next(i for i, prefix in enumerate(_STAGES) if name.startswith(prefix))


# name -> what it holds (units, basis dates, provenance). Shown by `jichitai-cloud tables`, jc.tables().
TABLES: dict[str, str] = {name: _RESOURCES[name].en
                          for name in sorted(_RESOURCES, key=lambda n: (_stage(n), list(_RESOURCES).index(n)))}
# Written by `jichitai-cloud simulate`, never by the build.
SIMULATION_TABLES = tuple(name for name in TABLES if _RESOURCES[name].layer == "simulation")
BUILD_TABLES = tuple(name for name in TABLES if name not in SIMULATION_TABLES)


def markdown_list() -> str:
    """The tables as the README lists them: one bullet per table with its description."""
    return "\n".join(f"- `{name}`: {doc}" for name, doc in TABLES.items())
