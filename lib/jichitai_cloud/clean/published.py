"""Stage 2a, cleaning the published figures: the survey's tables and the adoption counts.

Input: the CSVs in ``data/raw/transcribed/`` typed from the source document
(総務省「自治体クラウドの導入促進の取組」, FY2018; the survey 「市区町村における情報システム
経費の調査結果」 published 2018-03-30: FY2017 当初予算 of all 1,741 市区町村, population as
of 2017-01-01). Output: tidy, typed, validated tables (``published_*``) and the
reconciliation checks the document's own totals allow. Everything here is *published*;
anything computed from it is labelled *derived* where it is shown.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from jichitai_cloud.analysis import checks
from jichitai_cloud.io import sources
from jichitai_cloud.registry.metadata import LazySchema
from jichitai_cloud.registry import vocab
from jichitai_cloud.registry.vocab import CLASS_BY_LABEL, MIN_SUPPORT, POPULATION_CLASSES, STATUS_BY_LABEL, PopulationClass  # noqa: F401

PUBLISHER = "総務省 地域力創造グループ 地域情報政策室"
DOCUMENT = "自治体クラウドの導入促進の取組"
SURVEY = "市区町村における情報システム経費の調査結果"
CITATION_JA = f"{PUBLISHER}「{DOCUMENT}」（平成30年度）所収「{SURVEY}」（平成30年3月30日公表）"
CITATION_EN = (
    f"MIC ({PUBLISHER}), 「{DOCUMENT}」 (FY2018), reporting the survey 「{SURVEY}」 "
    f"published 2018-03-30"
)


STATUSES = tuple((code, ja, en) for code, (ja, en) in vocab.STATUS.items())  # (code, label as written, English)


def population_class_id(population_persons: int) -> int:
    """The survey class (1..6) of a municipality with this population."""
    if population_persons < 0:
        raise ValueError(f"population must be non-negative, got {population_persons}")
    for c in POPULATION_CLASSES:
        if c.upper_persons is None or population_persons < c.upper_persons:
            return c.class_id
    raise AssertionError("unreachable")


# --- parsing numbers as the document writes them -----------------------------------------

_KANJI_UNITS = {"億": 10**8, "万": 10**4}
_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")


def parse_japanese_number(text: str) -> float:
    """The leading number of a figure as written, e.g. '１億2,790万7,086人' -> 127907086.

    Handles full-width digits (NFKC), thousands separators (',' and '、' between digit
    groups) and the 億/万 multipliers; the trailing unit word is ignored. A 億 or 万
    directly after the last number is a multiplier ('4,786億円' -> 478_600_000_000).
    """
    s = unicodedata.normalize("NFKC", text).strip()
    s = re.sub(r"(?<=\d)、(?=\d{3})", ",", s)
    total, pos, seen = 0.0, 0, False
    while True:
        m = _NUMBER.match(s, pos)
        if not m:
            break
        value = float(m.group().replace(",", ""))
        pos = m.end()
        unit = s[pos] if pos < len(s) else ""
        if unit in _KANJI_UNITS:
            total += value * _KANJI_UNITS[unit]
            pos += 1
            seen = True
            continue
        total += value
        seen = True
        break
    if not seen:
        raise ValueError(f"no number at the start of {text!r}")
    return total


# --- typing the transcribed tables --------------------------------------------------------

def _typed(df: pd.DataFrame, column: str, kind: str) -> pd.Series:
    """Convert one transcribed column, naming file, row and column on failure."""
    out = []
    for i, raw in enumerate(df[column]):
        text = str(raw).strip()
        try:
            # ASCII only: int() and float() would accept full-width digits ('5３1'), which a
            # clean transcription never contains.
            if kind == "int":
                if not re.fullmatch(r"-?[0-9]+", text):
                    raise ValueError
                out.append(int(text))
            elif kind == "float":
                if not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", text):
                    raise ValueError
                out.append(float(text))
            elif kind == "bool":
                if text not in ("true", "false"):
                    raise ValueError
                out.append(text == "true")
            elif kind == "date":
                out.append(pd.Timestamp(text))
            else:
                raise AssertionError(kind)
        except (ValueError, TypeError):
            expected = {"int": "an integer (ASCII digits, no separators)", "float": "a plain decimal number",
                        "bool": "true or false", "date": "an ISO date"}[kind]
            raise sources.SourceError(
                f"{df.attrs.get('source_file', 'transcribed table')}: row {i + 2}, column {column}: "
                f"{text!r} is not {expected}"
            ) from None
    return pd.Series(out, index=df.index, name=column)


def _lookup(df: pd.DataFrame, column: str, mapping: dict) -> list:
    """Map a column's labels through `mapping`, naming file, row and column for an unknown one."""
    out = []
    for i, label in enumerate(df[column]):
        if label not in mapping:
            raise sources.SourceError(
                f"{df.attrs.get('source_file')}: row {i + 2}, column {column}: {label!r} is not one of "
                f"{', '.join(mapping)}"
            )
        out.append(mapping[label])
    return out


def _class_of(df: pd.DataFrame) -> list[PopulationClass]:
    return _lookup(df, "class_ja", CLASS_BY_LABEL)


def _status_of(df: pd.DataFrame) -> list[str]:
    return _lookup(df, "status_ja", STATUS_BY_LABEL)


SURVEY_TOTALS_SCHEMA = LazySchema(lambda pa: pa.DataFrameSchema(
    {
        "item": pa.Column(str, unique=True),
        "value": pa.Column(float),
        "unit": pa.Column(str, pa.Check.isin(["municipalities", "oku_yen", "yen", "persons", "pct"])),
        "value_as_written": pa.Column(str),
        "section": pa.Column(str),
    },
    strict=True, ordered=True,
))

COST_BY_CLASS_SCHEMA = LazySchema(lambda pa: pa.DataFrameSchema(
    {
        "class_id": pa.Column(int, pa.Check.isin(range(1, 7)), unique=True),
        "population_class_ja": pa.Column(str),
        "population_class_en": pa.Column(str),
        "lower_bound_persons": pa.Column(int, pa.Check.ge(0)),
        "upper_bound_persons": pa.Column("Int64", nullable=True),
        "it_cost_total_oku_yen": pa.Column(int, pa.Check.gt(0)),
        "it_cost_per_resident_mean_yen": pa.Column(int, pa.Check.gt(0)),
        "it_cost_per_municipality_oku_yen": pa.Column(float, pa.Check.gt(0)),
        "municipalities": pa.Column(int, pa.Check.gt(0)),
        "population_thousand_persons": pa.Column(int, pa.Check.gt(0)),
        "section": pa.Column(str),
    },
    strict=True, ordered=True,
    checks=pa.Check(lambda d: d["class_id"].is_monotonic_increasing, error="classes in order"),
))

STATUS_COUNTS_SCHEMA = LazySchema(lambda pa: pa.DataFrameSchema(
    {
        "class_id": pa.Column(int, pa.Check.isin(range(1, 7))),
        "population_class_ja": pa.Column(str),
        "cloud_status": pa.Column(str, pa.Check.isin([s[0] for s in STATUSES])),
        "cloud_status_ja": pa.Column(str),
        "municipalities": pa.Column(int, pa.Check.ge(0)),
        "section": pa.Column(str),
    },
    strict=True, ordered=True, unique=["class_id", "cloud_status"],
))

OUTLIERS_SCHEMA = LazySchema(lambda pa: pa.DataFrameSchema(
    {
        "item": pa.Column(str, unique=True),
        "class_id": pa.Column(int),
        "cloud_status": pa.Column(str),
        "value_yen": pa.Column(int, pa.Check.gt(0)),
        "section": pa.Column(str),
    },
    strict=True, ordered=True,
))

ORDERINGS_SCHEMA = LazySchema(lambda pa: pa.DataFrameSchema(
    {
        "ordering_id": pa.Column(str),
        "measure": pa.Column(str, pa.Check.isin(["per_resident", "per_municipality"])),
        "class_id": pa.Column(int, pa.Check.isin(range(1, 7))),
        "lower_status": pa.Column(str, pa.Check.isin([s[0] for s in STATUSES])),
        "higher_status": pa.Column(str, pa.Check.isin([s[0] for s in STATUSES])),
        "statement_as_written": pa.Column(str),
        "section": pa.Column(str),
    },
    strict=True, ordered=True, unique=["ordering_id", "class_id", "lower_status", "higher_status"],
))

CHART_LABELS_SCHEMA = LazySchema(lambda pa: pa.DataFrameSchema(
    {
        "value_as_written": pa.Column(str),
        "value_yen": pa.Column(int, pa.Check.gt(0)),
        "line_as_written": pa.Column(str),
        "section": pa.Column(str),
    },
    strict=True, ordered=True,
))

_MEASURE_JA = {"cloud_municipalities": "クラウド導入団体数", "joint_cloud_municipalities": "自治体クラウド団体数",
               "single_cloud_municipalities": "単独クラウド団体数", "joint_cloud_groups": "自治体クラウドのグループ数"}

ADOPTION_MEASURES = ("cloud_municipalities", "joint_cloud_municipalities",
                     "single_cloud_municipalities", "joint_cloud_groups")

ADOPTION_SCHEMA = LazySchema(lambda pa: pa.DataFrameSchema(
    {
        "as_of_date": pa.Column("datetime64[ns]"),
        "as_written": pa.Column(str),
        "kind": pa.Column(str, pa.Check.isin(["actual", "target"])),
        "measure": pa.Column(str, pa.Check.isin(ADOPTION_MEASURES)),
        "value": pa.Column(int, pa.Check.gt(0)),
        "unit": pa.Column(str, pa.Check.isin(["municipalities", "groups"])),
        "approximate": pa.Column(bool),
        "section": pa.Column(str),
        "note": pa.Column(str),
    },
    strict=True, ordered=True,
))


def survey_totals() -> pd.DataFrame:
    """National figures of the survey (published): one row per stated figure.

    ``value`` is in ``unit``; ``value_as_written`` is the figure exactly as the document
    writes it (e.g. '１億2,790万7,086人'), from which ``value`` must parse.
    """
    raw = sources.read_transcribed("survey_totals")
    df = pd.DataFrame({
        "item": raw["item"].astype(str),
        "value": _typed(raw, "value", "float"),
        "unit": raw["unit"].astype(str),
        "value_as_written": raw["value_as_written"].astype(str),
        "section": raw["section"].astype(str),
    })
    return SURVEY_TOTALS_SCHEMA.validate(df)


def cost_by_class() -> pd.DataFrame:
    """The survey's table by population class (published; FY2017 当初予算).

    ``it_cost_per_resident_mean_yen`` is the simple mean over the class's municipalities
    of cost per resident, not the class total divided by the class population.
    """
    raw = sources.read_transcribed("survey_cost_by_class")
    cls = _class_of(raw)
    df = pd.DataFrame({
        "class_id": [c.class_id for c in cls],
        "population_class_ja": [c.label_ja for c in cls],
        "population_class_en": [c.label_en for c in cls],
        "lower_bound_persons": [c.lower_persons for c in cls],
        "upper_bound_persons": pd.array([c.upper_persons for c in cls], dtype="Int64"),
        "it_cost_total_oku_yen": _typed(raw, "it_cost_total_oku_yen", "int"),
        "it_cost_per_resident_mean_yen": _typed(raw, "it_cost_per_resident_mean_yen", "int"),
        "it_cost_per_municipality_oku_yen": _typed(raw, "it_cost_per_municipality_oku_yen", "float"),
        "municipalities": _typed(raw, "municipalities", "int"),
        "population_thousand_persons": _typed(raw, "population_thousand_persons", "int"),
        "section": raw["section"].astype(str),
    })
    return COST_BY_CLASS_SCHEMA.validate(df)


def status_counts() -> pd.DataFrame:
    """Municipalities per population class and cloud status (published; survey basis)."""
    raw = sources.read_transcribed("survey_status_counts")
    cls = _class_of(raw)
    status = _status_of(raw)
    df = pd.DataFrame({
        "class_id": [c.class_id for c in cls],
        "population_class_ja": [c.label_ja for c in cls],
        "cloud_status": status,
        "cloud_status_ja": raw["status_ja"].astype(str),
        "municipalities": _typed(raw, "municipalities", "int"),
        "section": raw["section"].astype(str),
    })
    return STATUS_COUNTS_SCHEMA.validate(df)


def survey_outliers() -> pd.DataFrame:
    """The three least-populous municipalities' cost per resident, and the class mean without them.

    The document names neither the municipalities nor the order of the three values
    beyond 'それぞれ'; ``item`` keeps the order as written.
    """
    raw = sources.read_transcribed("survey_outliers")
    cls = _class_of(raw)
    df = pd.DataFrame({
        "item": raw["item"].astype(str),
        "class_id": [c.class_id for c in cls],
        "cloud_status": _status_of(raw),
        "value_yen": _typed(raw, "value_yen", "int"),
        "section": raw["section"].astype(str),
    })
    return OUTLIERS_SCHEMA.validate(df)


def survey_orderings() -> pd.DataFrame:
    """The orderings the survey's text states, one row per (class, pair of statuses): in each
    row the ``lower_status`` cell is below the ``higher_status`` cell of ``measure`` (published).

    Only what the text says: e.g. that single cloud is *not* above no cloud in the other
    three classes is a reading of its 'these classes', not a statement, and is not here.
    """
    raw = sources.read_transcribed("survey_orderings")
    df = pd.DataFrame({
        "ordering_id": raw["ordering_id"].astype(str),
        "measure": raw["measure"].astype(str),
        "class_id": [c.class_id for c in _class_of(raw)],
        "lower_status": _lookup(raw, "lower_status_ja", STATUS_BY_LABEL),
        "higher_status": _lookup(raw, "higher_status_ja", STATUS_BY_LABEL),
        "statement_as_written": raw["statement_as_written"].astype(str),
        "section": raw["section"].astype(str),
    })
    return ORDERINGS_SCHEMA.validate(df)


def chart_labels() -> pd.DataFrame:
    """Numbers the extracted text carries from the per-resident chart (円) without saying which bar
    they label (published as figures; which cell each is, is not published)."""
    raw = sources.read_transcribed("survey_chart_labels")
    df = pd.DataFrame({
        "value_as_written": raw["value_as_written"].astype(str),
        "value_yen": _typed(raw, "value_yen", "int"),
        "line_as_written": raw["line_as_written"].astype(str),
        "section": raw["section"].astype(str),
    })
    return CHART_LABELS_SCHEMA.validate(df)


def adoption() -> pd.DataFrame:
    """Cloud adoption counts 2014-04 .. 2018-04 and the targets (published), one row per figure.

    A figure stated on two slides appears twice, once per ``section``; the
    reconciliation checks that both agree. Targets are approximate (約).
    """
    raw = sources.read_transcribed("cloud_adoption")
    df = pd.DataFrame({
        "as_of_date": pd.to_datetime(_typed(raw, "as_of_date", "date")).astype("datetime64[ns]"),
        "as_written": raw["as_written"].astype(str),
        "kind": raw["kind"].astype(str),
        "measure": raw["measure"].astype(str),
        "value": _typed(raw, "value", "int"),
        "unit": raw["unit"].astype(str),
        "approximate": _typed(raw, "approximate", "bool"),
        "section": raw["section"].astype(str),
        "note": raw["note"].astype(str),
    })
    return ADOPTION_SCHEMA.validate(df)


def tables() -> dict[str, pd.DataFrame]:
    """All published tables, keyed by their name in data/processed/."""
    return {
        "published_survey_totals": survey_totals(),
        "published_cost_by_class": cost_by_class(),
        "published_status_counts": status_counts(),
        "published_survey_outliers": survey_outliers(),
        "published_survey_orderings": survey_orderings(),
        "published_chart_labels": chart_labels(),
        "published_adoption": adoption(),
    }


# --- derived figures (computed here from published ones; labelled derived wherever shown) --

def derived_by_class(cost: pd.DataFrame) -> pd.DataFrame:
    """Figures derived from the published class table (not published themselves).

    ``it_cost_per_resident_aggregate_yen``: class total cost / class population, i.e.
    cost per resident of the class as a whole, which differs from the published
    simple mean over municipalities because small municipalities weigh equally there.
    Both inputs are rounded in the source (億円, 千人), so this is approximate.
    """
    out = cost[["class_id", "population_class_ja", "population_class_en"]].copy()
    out["it_cost_per_resident_aggregate_yen"] = (
        cost["it_cost_total_oku_yen"] * 1e8 / (cost["population_thousand_persons"] * 1e3)
    ).round(0)
    out["share_of_municipalities_pct"] = (100 * cost["municipalities"] / cost["municipalities"].sum()).round(1)
    out["share_of_it_cost_pct"] = (
        100 * cost["it_cost_total_oku_yen"] / cost["it_cost_total_oku_yen"].sum()
    ).round(1)
    return out


def adoption_wide(adopt: pd.DataFrame) -> pd.DataFrame:
    """Adoption by date with single cloud derived as cloud − joint where not published (actuals only;
    the targets are approximate and their difference is not a target).

    Columns ``*_provenance`` say, per figure, 'published' or 'derived'. Where a figure
    is stated on two slides, the first (the trend chart) is used; they agree (see the
    reconciliation).
    """
    rows = []
    first = adopt.drop_duplicates(["as_of_date", "kind", "measure"], keep="first")
    for (date, kind), g in first.groupby(["as_of_date", "kind"], sort=True):
        vals = dict(zip(g["measure"], g["value"]))
        row = {"as_of_date": date, "kind": kind, "approximate": bool(g["approximate"].any())}
        for m in ADOPTION_MEASURES:
            row[m] = vals.get(m)
            row[f"{m}_provenance"] = "published" if m in vals else None
        if kind == "actual" and row["single_cloud_municipalities"] is None \
                and row["cloud_municipalities"] is not None and row["joint_cloud_municipalities"] is not None:
            row["single_cloud_municipalities"] = row["cloud_municipalities"] - row["joint_cloud_municipalities"]
            row["single_cloud_municipalities_provenance"] = "derived"
        rows.append(row)
    out = pd.DataFrame(rows)
    for m in ADOPTION_MEASURES:
        out[m] = out[m].astype("Int64")
    return out


# --- reconciliation of the published tables with the totals the document states ----------

def reconcile(t: dict[str, pd.DataFrame]) -> list[checks.Check]:
    """Every total the document states, against the sum of the rows it summarises."""
    totals = t["published_survey_totals"].set_index("item")["value"]
    cost = t["published_cost_by_class"]
    status = t["published_status_counts"]
    adopt = t["published_adoption"]
    src_sum = "published: 調査結果（総括）"
    src_cls = "published_cost_by_class"
    out: list[checks.Check] = []
    topic = "published survey tables"

    out.append(checks.exact("pub.class_cost_sum", topic, ("national IT cost = sum of the six class totals", "全国の経費合計＝6区分の総経費の和"),
                            totals["it_cost_total"], cost["it_cost_total_oku_yen"].sum(), "oku_yen",
                            src_sum, src_cls))
    out.append(checks.exact("pub.class_count_sum", topic,
                            ("municipalities = sum of the six class counts", "団体数＝6区分の団体数の和"),
                            totals["municipalities"], cost["municipalities"].sum(), "municipalities",
                            "published: 調査結果（概要）", src_cls))
    pop = totals["population_2017_01_01"]
    out.append(checks.within("pub.class_population_sum", topic,
                             ("population 2017-01-01 = sum of the six class populations (千人 × 1,000)",
                              "人口（平成29年1月1日）＝6区分の総人口（千人）の和×1,000"),
                             pop, cost["population_thousand_persons"].sum() * 1000.0, "persons",
                             3000, "six values each rounded to 1,000 persons", src_sum, src_cls))
    out.append(checks.rounded("pub.per_resident_national", topic,
                              ("national cost per resident = 4,786億円 / population 2017-01-01",
                               "住民一人当たり経費＝4,786億円÷人口（平成29年1月1日）"),
                              totals["it_cost_per_resident"], totals["it_cost_total"] * 1e8 / pop, "yen", 0,
                              src_sum, "published_survey_totals"))
    for r in cost.itertuples():
        out.append(checks.rounded(
            f"pub.per_municipality.{r.class_id}", topic,
            (f"{r.population_class_ja}: cost per municipality = class total / class count",
             f"{r.population_class_ja}：一団体当たり経費＝区分総経費÷区分団体数"),
            r.it_cost_per_municipality_oku_yen, r.it_cost_total_oku_yen / r.municipalities, "oku_yen", 1,
            src_sum, src_cls))
    small = cost[cost["class_id"] <= 4]
    large = cost[cost["class_id"] >= 5]
    n, c = cost["municipalities"].sum(), cost["it_cost_total_oku_yen"].sum()
    for key, part, label, label_ja in (("under_200k", small, "classes under 200k", "20万人未満の4区分"),
                                       ("200k_plus", large, "classes 200k and over", "20万人以上の2区分")):
        cnt, cst = part["municipalities"].sum(), part["it_cost_total_oku_yen"].sum()
        out.append(checks.exact(f"pub.{key}.municipalities", topic, (f"{label}: municipalities", f"{label_ja}：団体数"),
                                totals[f"municipalities_{key}"], cnt, "municipalities", src_sum, src_cls))
        out.append(checks.rounded(f"pub.{key}.municipalities_share", topic,
                                  (f"{label}: share of municipalities", f"{label_ja}：団体数の割合（%）"), totals[f"municipalities_{key}_share"],
                                  100 * cnt / n, "pct", 1, src_sum, src_cls))
        out.append(checks.exact(f"pub.{key}.it_cost", topic, (f"{label}: IT cost", f"{label_ja}：総経費（億円）"),
                                totals[f"it_cost_{key}"], cst, "oku_yen", src_sum, src_cls))
        out.append(checks.rounded(f"pub.{key}.it_cost_share", topic, (f"{label}: share of IT cost", f"{label_ja}：総経費の割合（%）"),
                                  totals[f"it_cost_{key}_share"], 100 * cst / c, "pct", 1, src_sum, src_cls))

    by_class = status.groupby("class_id")["municipalities"].sum()
    for r in cost.itertuples():
        out.append(checks.exact(
            f"pub.status_sum.{r.class_id}", topic,
            (f"{r.population_class_ja}: joint + single + none = class count",
             f"{r.population_class_ja}：自治体クラウド＋単独クラウド＋未導入＝区分団体数"),
            r.municipalities, by_class.get(r.class_id, 0), "municipalities",
            "published: 調査結果（総括）", "published_status_counts"))

    topic = "published adoption counts"
    actual = adopt[adopt["kind"] == "actual"]

    def value(date, measure, section=None):
        sel = actual[(actual["as_of_date"] == pd.Timestamp(date)) & (actual["measure"] == measure)]
        if section is not None:
            sel = sel[sel["section"] == section]
        vals = sel["value"].unique()
        if len(vals) != 1:
            raise sources.SourceError(f"published_adoption: expected one value of {measure} at {date}, got {list(vals)}")
        return int(vals[0])

    by_status = status.groupby("cloud_status")["municipalities"].sum()
    out.append(checks.exact("pub.survey_joint_vs_adoption_2017", topic,
                            ("joint-cloud municipalities in the survey = adoption count at 2017-04 (H29.4)",
                             "調査の自治体クラウド団体数＝導入団体数の推移（H29.4）の自治体クラウド団体数"),
                            value("2017-04-01", "joint_cloud_municipalities"), by_status["joint"],
                            "municipalities", "published: クラウド導入市区町村数の推移",
                            "published_status_counts"))
    out.append(checks.exact("pub.survey_cloud_vs_adoption_2017", topic,
                            ("joint + single cloud municipalities in the survey = cloud count at 2017-04",
                             "調査の自治体クラウド＋単独クラウド団体数＝導入団体数の推移（H29.4）"),
                            value("2017-04-01", "cloud_municipalities"),
                            by_status["joint"] + by_status["single"], "municipalities",
                            "published: クラウド導入市区町村数の推移", "published_status_counts"))
    for date in ("2014-04-01", "2018-03-31"):
        sec = "クラウド導入市区町村に関する新たな目標の設定"
        out.append(checks.exact(f"pub.adoption_parts.{date}", topic,
                                (f"{date}: joint + single = cloud municipalities",
                                 f"{date}：自治体クラウド＋単独クラウド＝クラウド導入団体数"),
                                value(date, "cloud_municipalities", sec),
                                value(date, "joint_cloud_municipalities", sec)
                                + value(date, "single_cloud_municipalities", sec),
                                "municipalities", f"published: {sec}", f"published: {sec}"))
    dup = actual.groupby(["as_of_date", "measure"])["value"].agg(["nunique", "size", "first"])
    for (date, measure), r in dup[dup["size"] > 1].iterrows():
        vals = actual[(actual["as_of_date"] == date) & (actual["measure"] == measure)]
        out.append(checks.exact(f"pub.adoption_same.{date:%Y-%m-%d}.{measure}", topic,
                                (f"{date:%Y-%m-%d} {measure}: the two slides agree",
                                 f"{date:%Y-%m-%d} {_MEASURE_JA[measure]}：2枚のスライドの値が一致"),
                                float(vals["value"].iloc[0]), float(vals["value"].iloc[1]), "municipalities",
                                f"published: {vals['section'].iloc[0]}", f"published: {vals['section'].iloc[1]}"))
    joint = actual[(actual["measure"] == "joint_cloud_municipalities")].drop_duplicates("as_of_date")
    joint = joint.sort_values("as_of_date")
    increasing = int(joint["value"].is_monotonic_increasing)
    out.append(checks.exact("pub.adoption_joint_increasing", topic,
                            ("joint-cloud municipalities never fall from one date to the next (1 = true)",
                             "自治体クラウド団体数が時点を追って減らない（1＝真）"),
                            1, increasing, "boolean", "expected of cumulative counts",
                            "published_adoption"))
    return out
