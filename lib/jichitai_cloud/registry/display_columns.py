"""Columns of the tables reports compose for reading (never stored): their headers and formats, once.

Two kinds of entry: a column no processed table has (a composed count, a ratio shown beside a table)
is declared here, display-only, with no description; a declared column that composed tables show
with another header or format is that field with only those changed (its description stays the
field's, declared once). :func:`field_for` is how every header and format is looked up.
"""

from __future__ import annotations

from dataclasses import replace

from jichitai_cloud.registry import vocab
from jichitai_cloud.registry.field import Field
from jichitai_cloud.registry.formats import INT0, PCT1, dash, int_or_dash, number
from jichitai_cloud.registry.resources import FIELDS, RESOURCES

_P, _D, _R, _K, _S = "published", "derived", "real", "key", "survey"


def _only(dtype: str, unit: str, provenance: str, header_en: str, header_ja: str, fmt: object = "{}") -> Field:
    """A display-only column: headers and format, no description (it is not stored)."""
    return Field(dtype, unit, provenance, "", "", header_en, header_ja, fmt)


def _as(column: str, table: str | None = None, **changes) -> Field:
    """A declared column (the table's own where ``table`` is named) with another header or format."""
    declared = RESOURCES[table].field(column) if table else FIELDS[column]
    return replace(declared, **changes)


DISPLAY: dict[str, Field] = {
    "item_label": _only("str", "", _K, "item", "項目"),
    "as_of": _as("as_of", header_ja="時点"),
    "kind_label": _only("str", "", _K, "kind", "区分"),
    "cloud_municipalities": _only("int64", "municipalities", _P, "cloud municipalities", "クラウド導入団体数", INT0),
    "joint_cloud_municipalities": _only("int64", "municipalities", _P, "of which joint cloud", "うち自治体クラウド", INT0),
    "single_cloud_municipalities": _only("str", "municipalities", _P, "of which single cloud", "うち単独クラウド"),
    "joint_cloud_groups": _only("int64", "groups", _P, "joint-cloud groups", "自治体クラウドのグループ数", INT0),
    # municipalities per cloud status, headed by the status's label
    **{code: _only("int64", "municipalities", _P, en, ja, INT0) for code, (ja, en) in vocab.STATUS.items()},
    "total": _only("int64", "municipalities", _P, "total", "計", INT0),
    "it_cost_per_resident_aggregate_yen": _only("float64", "yen", _D, "class total ÷ population", "区分総経費÷区分人口",
                                                INT0),
    "share_of_municipalities_pct": _only("float64", "pct", _D, "share of municipalities", "団体数の割合", PCT1),
    "share_of_it_cost_pct": _only("float64", "pct", _D, "share of cost", "総経費の割合", PCT1),
    "checks": _only("int64", "", _K, "checks", "件数", INT0),
    "ok": _only("int64", "", _K, "ok", "一致", INT0),
    "mismatch": _only("int64", "", _K, "mismatch", "不一致", INT0),
    "unexplained": _only("int64", "", _K, "of which unexplained", "うち理由未記載", INT0),
    "source": _only("str", "", _K, "source", "出所"),
    "population_basis_persons": _only("int64", "persons", _R, "population", "人口", INT0),
    "joint_cloud_group": _only("str", "", _P, "joint-cloud group", "自治体クラウドグループ"),
    "cost_per_resident_yen": _only("float64", "yen", _S, "cost per resident", "住民一人当たり経費", INT0),
    "comparables": _only("int64", "municipalities", _S, "comparables", "比較対象の団体数", INT0),
    "comparables_median_yen": _only("float64", "yen", _S, "comparables' median", "比較対象の中央値", INT0),
    "ratio_to_comparables": _only("float64", "ratio", _S, "ratio", "比", "{:.2f}"),
    "residual": _only("float64", "", _S, "residual (log)", "残差（対数）", "{:+.3f}"),
    "cooks_distance": _only("float64", "", _S, "Cook's distance", "Cookの距離", "{:.4f}"),
    "joint_cloud_in_list": _only("int64", "municipalities", _D, "joint cloud (group list)", "一覧の自治体クラウド団体数",
                                 INT0),
    "joint_cloud_published": _only("Int64", "municipalities", _P, "joint cloud (survey)", "調査の自治体クラウド団体数",
                                   dash),
    "value": _as("value", dtype="str", provenance=_K),  # composed tables show it as text, with its unit in the row
    # generic columns of composed tables, as the regression tables declare them (a registered table gives its own)
    **{c: _as(c, "model_coefficients") for c in ("estimate", "std_error", "ci_low", "ci_high", "n")},
    "effect_pct": _as("effect_pct", "model_status_effects"),
    "population_persons": _as("population_persons", fmt=int_or_dash),
    "prefectures": _as("prefectures", "cloud_groups"),
    "description": _as("description", header_ja="照合内容"),
    "description_ja": _as("description_ja", header_en="check"),
    "explanation": _as("explanation", header_ja="理由"),
    "explanation_ja": _as("explanation_ja", header_en="explanation"),
    "difference": _as("difference", header_en="difference (computed − stated)", header_ja="差（計算値−資料の値）", fmt=number),
    "none_municipalities": _only("int64", "municipalities", _S, "no-cloud municipalities", "未導入団体数", INT0),
    "none_cost_oku_yen": _only("float64", "oku_yen", _S, "their cost", "未導入団体の経費", "{:,.1f}"),
    "survey_status": _only("str", "", _K, "survey status (source)", "調査上の導入状況（出所）"),
    "period_years": _as("period_years", header_en="period", header_ja="期間"),
}


def field_for(column: str, table: str | None = None) -> Field | None:
    """A column's field: the table's own (if registered), else the display columns', else the declared one."""
    if table and column in RESOURCES[table].fields:
        return RESOURCES[table].field(column)
    return DISPLAY.get(column) or FIELDS.get(column)
