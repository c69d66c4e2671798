"""Stage 3, survey: the contract every survey meets, real or simulated.

The ``survey`` table: one row per municipality of the frame (the 1,741 of 住民基本台帳 2017-01-01),
keyed by its 6-digit ``code``, with ``population_2017_01_01_persons`` (persons, 2017-01-01, the
survey's stated basis), ``it_cost_yen`` (円, FY2017 当初予算, 基幹系 + 内部管理系, 整備 + 運用;
missing only where a real file reports it missing), ``cloud_status`` (``vocab.STATUSES``, or
``vocab.NOT_JOINT_CODE`` where a real file has no status column: single or none, unknown which) and
two provenance columns saying where each row's cost and status come from (``vocab.SURVEY_PROVENANCE``).

The ``survey_input`` table: one row saying which input the build used (see :mod:`.inputs`).

Both contracts are declared in the registry (resources ``survey`` and ``survey_input``: columns, dtypes,
value checks) and checked by :func:`registry.schema.validate`; this module adds what the registry
cannot know: the rows are exactly the municipalities of the frame.
"""

from __future__ import annotations

import pandas as pd

from jichitai_cloud.errors import SurveyFileError
from jichitai_cloud.registry import schema, vocab


def validate(survey: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """The contract, plus: exactly the municipalities of the frame."""
    out = schema.validate(survey, "survey")  # a mismatch here is a bug: the reader refused bad rows first
    missing = sorted(set(frame["code"]) - set(out["code"]))
    extra = sorted(set(out["code"]) - set(frame["code"]))
    if missing or extra:
        raise SurveyFileError(f"survey: {vocab.count(len(missing), 'municipality')} missing (e.g. {missing[:5]}), "
                              f"{vocab.count(len(extra), 'unknown code')} (e.g. {extra[:5]})")
    return out


def validate_input(info: pd.DataFrame) -> pd.DataFrame:
    """The ``survey_input`` row, against its contract."""
    return schema.validate(info, "survey_input")
