"""TRANSITIONAL: the registry's former single module, now only names re-exported from where they live.

The registry is split (issue 19): :mod:`field` (Field, Resource, value checks), :mod:`fields_data` and
:mod:`fields_analysis` (the columns), :mod:`resources` (the tables, in data-flow order), :mod:`catalog`,
:mod:`display_columns` and :mod:`schema` (pandera schemas, validation, headers, kinds, codebook). Modules
of the survey and report layers still import ``metadata`` while they are restructured in parallel; once
they import :mod:`schema` / :mod:`resources` directly, delete this module. Nothing is declared here.
"""

from jichitai_cloud.registry.display_columns import DISPLAY, field_for  # noqa: F401
from jichitai_cloud.registry.field import UNITS, Field, Resource  # noqa: F401
from jichitai_cloud.registry.formats import number  # noqa: F401
from jichitai_cloud.registry.resources import FIELDS, RESOURCES, fields  # noqa: F401
from jichitai_cloud.registry.schema import (PROVENANCE, codebook, codebook_markdown, conform, header, kind_of,  # noqa: F401
                                            kind_tag, kinds_of, schema)
