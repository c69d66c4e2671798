"""The catalogue of processed tables, in the order of the data flow: name -> what it holds.

Derived from :mod:`resources` (the one place where each table is declared, with its stage), and kept
free of heavy imports so that ``import jichitai_cloud`` can show it in ``help(jc.load)``.
"""

from __future__ import annotations

from jichitai_cloud.registry.field import STAGES
from jichitai_cloud.registry.resources import RESOURCES


def in_flow_order(resources: dict) -> list[str]:
    """Table names stage by stage (in the order of :data:`field.STAGES`), within a stage as declared."""
    order = list(resources)
    return sorted(order, key=lambda name: (STAGES.index(resources[name].stage), order.index(name)))


# name -> what it holds (units, basis dates, provenance). Shown by `jichitai-cloud tables`, jc.tables().
TABLES: dict[str, str] = {name: RESOURCES[name].en for name in in_flow_order(RESOURCES)}
# Written by `jichitai-cloud simulate`, never by the build.
SIMULATION_TABLES = tuple(name for name in TABLES if RESOURCES[name].stage == "simulation")
BUILD_TABLES = tuple(name for name in TABLES if name not in SIMULATION_TABLES)


def markdown_list() -> str:
    """The tables as the README lists them: one bullet per table with its description."""
    return "\n".join(f"- `{name}`: {doc}" for name, doc in TABLES.items())
