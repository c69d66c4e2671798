"""Stage 3, survey: the contract every survey meets, real or simulated.

The ``survey`` table: one row per municipality of the frame (the 1,741 of 住民基本台帳 2017-01-01),
keyed by its 6-digit ``code``, with ``population_2017_01_01_persons`` (persons, 2017-01-01, the
survey's stated basis), ``it_cost_yen`` (円, FY2017 当初予算, 基幹系 + 内部管理系, 整備 + 運用;
missing only where a real file reports it missing), ``cloud_status`` (``vocab.STATUSES``, or
``vocab.NOT_JOINT_CODE`` where a real file has no status column: single or none, unknown which) and
two provenance columns saying where each row's cost and status come from (``vocab.SURVEY_PROVENANCE``).

The ``survey_input`` table: one row saying which input the build used (see :mod:`.inputs`).

The two pandera schemas below are the survey's last module schemas; they move onto the registry's
fields (registry/schema.py) and nothing else in the survey constructs one.
"""

from __future__ import annotations

import pandas as pd

from jichitai_cloud.clean import municipalities
from jichitai_cloud.errors import SurveyFileError
from jichitai_cloud.registry import vocab
from jichitai_cloud.registry.metadata import LazySchema

SCHEMA = LazySchema(lambda pa: pa.DataFrameSchema(
    {
        "code": pa.Column(str, pa.Check(lambda s: s.map(municipalities.valid_code), error="valid 6-digit code"),
                          unique=True),
        "population_2017_01_01_persons": pa.Column("int64", pa.Check.gt(0)),
        "it_cost_yen": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "cloud_status": pa.Column(str, pa.Check.isin(vocab.STATUSES + (vocab.NOT_JOINT_CODE,))),
        "it_cost_provenance": pa.Column(str, pa.Check.isin(vocab.SURVEY_PROVENANCE)),
        "cloud_status_provenance": pa.Column(str, pa.Check.isin(vocab.SURVEY_PROVENANCE)),
    },
    strict=True, ordered=True,
    checks=pa.Check(lambda d: d["it_cost_yen"].notna() | (d["it_cost_provenance"] == "reported"),
                    error="a cost may be missing only where a real file reports it missing"),
))

INPUT_SCHEMA = LazySchema(lambda pa: pa.DataFrameSchema({
    "input": pa.Column(str, pa.Check.isin(["simulated", "reported"])),
    "file": pa.Column(str), "sheet": pa.Column(str), "sha256": pa.Column(str), "cost_unit": pa.Column(str),
    "configured_by": pa.Column(str), "generator_version": pa.Column(str), "generator_params": pa.Column(str),
    "status_source": pa.Column(str), "rows": pa.Column("int64"), "costs_missing": pa.Column("int64"),
}, strict=True, ordered=True))


def validate(survey: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """The contract, plus: exactly the municipalities of the frame."""
    out = SCHEMA.validate(survey)
    missing = sorted(set(frame["code"]) - set(out["code"]))
    extra = sorted(set(out["code"]) - set(frame["code"]))
    if missing or extra:
        raise SurveyFileError(f"survey: {len(missing)} municipalities missing (e.g. {missing[:5]}), "
                              f"{len(extra)} unknown codes (e.g. {extra[:5]})")
    return out


def validate_input(info: pd.DataFrame) -> pd.DataFrame:
    """The ``survey_input`` row, against its contract."""
    return INPUT_SCHEMA.validate(info)
