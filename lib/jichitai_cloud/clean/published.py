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
from functools import partial
from pathlib import Path

import pandas as pd

from jichitai_cloud.clean import checks
from jichitai_cloud.errors import CleaningError, ParameterError
from jichitai_cloud.io import sources
from jichitai_cloud.registry import resources, schema, vocab
from jichitai_cloud.registry.vocab import CLASS_BY_LABEL, POPULATION_CLASSES, STATUS_BY_LABEL

PUBLISHER = "総務省 地域力創造グループ 地域情報政策室"
DOCUMENT = "自治体クラウドの導入促進の取組"
SURVEY = "市区町村における情報システム経費の調査結果"
CITATION_JA = f"{PUBLISHER}「{DOCUMENT}」（平成30年度）所収「{SURVEY}」（平成30年3月30日公表）"
CITATION_EN = (
    f"MIC ({PUBLISHER}), 「{DOCUMENT}」 (FY2018), reporting the survey 「{SURVEY}」 "
    f"published 2018-03-30"
)



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


# --- reading the published tables, typed from the registry -----------------------------------------------

# The published tables, each read from the transcribed CSV its resource names as its source. Notes on reading:
# - published_cost_by_class: it_cost_per_resident_mean_yen is the simple mean over the class's municipalities
#   of cost per resident, not the class total divided by the class population;
# - published_survey_outliers: the document names neither the municipalities nor the order of the three
#   values beyond 'それぞれ'; item keeps the order as written;
# - published_survey_orderings: only what the text says (that single cloud is *not* above no cloud in the
#   other three classes is a reading of its 'these classes', not a statement, and is not here);
# - published_chart_labels: which bar each number labels is not published;
# - published_adoption: a figure stated on two slides appears twice, once per section (the reconciliation
#   checks that both agree); targets are approximate (約).
TABLES = ("published_survey_totals", "published_cost_by_class", "published_status_counts", "published_survey_outliers",
          "published_survey_orderings", "published_chart_labels", "published_adoption")
# Columns computed from a transcribed label: the population class (its label as written, 'class_ja') and the
# statuses (their labels as written); and one column the transcription names otherwise.
_FROM_CLASS = {"class_id": "class_id", "population_class_ja": "label_ja", "population_class_en": "label_en",
               "lower_bound_persons": "lower_persons", "upper_bound_persons": "upper_persons"}
_FROM_STATUS = {"cloud_status": "status_ja", "lower_status": "lower_status_ja", "higher_status": "higher_status_ja"}
_RENAMED = {"cloud_status_ja": "status_ja"}
_KIND = {"int64": "int", "float64": "float", "bool": "bool", "datetime64[ns]": "date"}


def _column(raw: pd.DataFrame, column: str, dtype: str, classes: list | None):
    """One column of a published table from the transcribed strings, typed as its field declares."""
    if column in _FROM_CLASS:
        values = [getattr(c, _FROM_CLASS[column]) for c in classes]
        return pd.array(values, dtype="Int64") if dtype == "Int64" else values
    if column in _FROM_STATUS:
        return _lookup(raw, _FROM_STATUS[column], STATUS_BY_LABEL)
    source = _RENAMED.get(column, column)
    if dtype == "str":
        return raw[source].astype(str)
    typed = _typed(raw, source, _KIND[dtype])
    return pd.to_datetime(typed).astype(dtype) if dtype.startswith("datetime64") else typed


def read(table: str) -> pd.DataFrame:
    """A published table (one of TABLES) from its transcribed CSV, column by column as the registry declares
    it, validated against its declaration: a value that breaks a field's checks is refused in one line
    naming the file, row, column and value."""
    if table not in TABLES:
        raise ParameterError(f"not a published table: {table!r}; one of {', '.join(TABLES)}")
    r = resources.RESOURCES[table]
    raw = sources.read_transcribed(Path(r.sources[0]).stem)
    classes = _lookup(raw, "class_ja", CLASS_BY_LABEL) if "class_id" in r.fields else None
    df = pd.DataFrame({c: _column(raw, c, r.field(c).dtype, classes) for c in r.fields})
    return schema.validate(df, table, CleaningError, f"{raw.attrs['source_file']}: {{problem}}", first_row=2)


survey_totals = partial(read, "published_survey_totals")
cost_by_class = partial(read, "published_cost_by_class")
status_counts = partial(read, "published_status_counts")
survey_outliers = partial(read, "published_survey_outliers")
survey_orderings = partial(read, "published_survey_orderings")
chart_labels = partial(read, "published_chart_labels")
adoption = partial(read, "published_adoption")


def tables() -> dict[str, pd.DataFrame]:
    """All published tables, keyed by their name in data/processed/."""
    return {name: read(name) for name in TABLES}


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
        for m in vocab.ADOPTION_MEASURE:
            row[m] = vals.get(m)
            row[f"{m}_provenance"] = "published" if m in vals else None
        if kind == "actual" and row["single_cloud_municipalities"] is None \
                and row["cloud_municipalities"] is not None and row["joint_cloud_municipalities"] is not None:
            row["single_cloud_municipalities"] = row["cloud_municipalities"] - row["joint_cloud_municipalities"]
            row["single_cloud_municipalities_provenance"] = "derived"
        rows.append(row)
    out = pd.DataFrame(rows)
    for m in vocab.ADOPTION_MEASURE:
        out[m] = out[m].astype("Int64")
    return out


# --- reconciliation of the published tables with the totals the document states ----------

def reconcile(t: dict[str, pd.DataFrame]) -> list[checks.Check]:
    """Every total the document states, against the sum of the rows it summarises."""
    return _survey_checks(t) + _adoption_checks(t)


def _survey_checks(t: dict[str, pd.DataFrame]) -> list[checks.Check]:
    """The survey's national figures and the shares of the classes under and over 200k against the class
    table, and each class's count against its status counts."""
    totals = t["published_survey_totals"].set_index("item")["value"]
    cost = t["published_cost_by_class"]
    src_sum = "published: 調査結果（総括）"
    src_cls = "published_cost_by_class"
    topic = "published survey tables"
    out: list[checks.Check] = []

    out.append(checks.exact("pub.class_cost_sum", topic, ("national IT cost = sum of the six class totals", "全国の経費合計＝6区分の総経費の和"),
                            totals["it_cost_total"], cost["it_cost_total_oku_yen"].sum(), "oku_yen",
                            src_sum, src_cls))
    out.append(checks.exact("pub.class_count_sum", topic,
                            ("municipalities = sum of the six class counts", "団体数＝6区分の団体数の和"),
                            totals["municipalities"], cost["municipalities"].sum(), "municipalities",
                            "published: 調査結果（概要）", src_cls))
    pop = totals["population_2017_01_01"]
    out.append(checks.within("pub.class_population_sum", topic,
                             ("population 2017-01-01 = sum of the six class populations (thousands × 1,000)",
                              "人口（平成29年1月1日）＝6区分の総人口（千人）の和×1,000"),
                             pop, cost["population_thousand_persons"].sum() * 1000.0, "persons",
                             3000, "six values each rounded to 1,000 persons", src_sum, src_cls))
    out.append(checks.rounded("pub.per_resident_national", topic,
                              ("national cost per resident = total cost (4,786 × 100M yen) / population 2017-01-01",
                               "住民一人当たり経費＝4,786億円÷人口（平成29年1月1日）"),
                              totals["it_cost_per_resident"], totals["it_cost_total"] * 1e8 / pop, "yen", 0,
                              src_sum, "published_survey_totals"))
    for r in cost.itertuples():
        out.append(checks.rounded(
            f"pub.per_municipality.{r.class_id}", topic,
            (f"{r.population_class_en}: cost per municipality = class total / class count",
             f"{r.population_class_ja}：一団体当たり経費＝区分総経費÷区分団体数"),
            r.it_cost_per_municipality_oku_yen, r.it_cost_total_oku_yen / r.municipalities, "oku_yen", 1,
            src_sum, src_cls))
    out += _size_share_checks(totals, cost, topic, src_sum, src_cls)
    by_class = t["published_status_counts"].groupby("class_id")["municipalities"].sum()
    for r in cost.itertuples():
        out.append(checks.exact(
            f"pub.status_sum.{r.class_id}", topic,
            (f"{r.population_class_en}: joint + single + none = class count",
             f"{r.population_class_ja}：自治体クラウド＋単独クラウド＋未導入＝区分団体数"),
            r.municipalities, by_class.get(r.class_id, 0), "municipalities",
            "published: 調査結果（総括）", "published_status_counts"))
    return out


def _size_share_checks(totals: pd.Series, cost: pd.DataFrame, topic: str, src_sum: str,
                       src_cls: str) -> list[checks.Check]:
    """The counts, costs and shares the summary states for the classes under 200k and 200k and over."""
    out = []
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
    return out


def _adoption_value(actual: pd.DataFrame, date: str, measure: str, section: str | None = None) -> int:
    """The one actual adoption count of ``measure`` at ``date`` (on the slide ``section``, if given)."""
    sel = actual[(actual["as_of_date"] == pd.Timestamp(date)) & (actual["measure"] == measure)]
    if section is not None:
        sel = sel[sel["section"] == section]
    vals = sel["value"].unique()
    if len(vals) != 1:
        raise sources.SourceError(f"published_adoption: expected one value of {measure} at {date}, got {list(vals)}")
    return int(vals[0])


def _adoption_checks(t: dict[str, pd.DataFrame]) -> list[checks.Check]:
    """The adoption counts against the survey's status counts (2017-04), their parts against their totals,
    a figure stated on two slides against itself, and the joint-cloud count never falling."""
    topic = "published adoption counts"
    adopt, status = t["published_adoption"], t["published_status_counts"]
    actual = adopt[adopt["kind"] == "actual"]
    out: list[checks.Check] = []
    by_status = status.groupby("cloud_status")["municipalities"].sum()
    out.append(checks.exact("pub.survey_joint_vs_adoption_2017", topic,
                            ("joint-cloud municipalities in the survey = adoption count at 2017-04 (H29.4)",
                             "調査の自治体クラウド団体数＝導入団体数の推移（H29.4）の自治体クラウド団体数"),
                            _adoption_value(actual, vocab.STATUS_DATE, "joint_cloud_municipalities"), by_status["joint"],
                            "municipalities", "published: クラウド導入市区町村数の推移",
                            "published_status_counts"))
    out.append(checks.exact("pub.survey_cloud_vs_adoption_2017", topic,
                            ("joint + single cloud municipalities in the survey = cloud count at 2017-04",
                             "調査の自治体クラウド＋単独クラウド団体数＝導入団体数の推移（H29.4）"),
                            _adoption_value(actual, vocab.STATUS_DATE, "cloud_municipalities"),
                            by_status["joint"] + by_status["single"], "municipalities",
                            "published: クラウド導入市区町村数の推移", "published_status_counts"))
    for date in ("2014-04-01", "2018-03-31"):
        sec = "クラウド導入市区町村に関する新たな目標の設定"
        out.append(checks.exact(f"pub.adoption_parts.{date}", topic,
                                (f"{date}: joint + single = cloud municipalities",
                                 f"{date}：自治体クラウド＋単独クラウド＝クラウド導入団体数"),
                                _adoption_value(actual, date, "cloud_municipalities", sec),
                                _adoption_value(actual, date, "joint_cloud_municipalities", sec)
                                + _adoption_value(actual, date, "single_cloud_municipalities", sec),
                                "municipalities", f"published: {sec}", f"published: {sec}"))
    dup = actual.groupby(["as_of_date", "measure"])["value"].agg(["nunique", "size", "first"])
    for (date, measure), r in dup[dup["size"] > 1].iterrows():
        vals = actual[(actual["as_of_date"] == date) & (actual["measure"] == measure)]
        out.append(checks.exact(f"pub.adoption_same.{date:%Y-%m-%d}.{measure}", topic,
                                (f"{date:%Y-%m-%d} {measure}: the two slides agree",
                                 f"{date:%Y-%m-%d} {vocab.ADOPTION_MEASURE[measure][0]}：2枚のスライドの値が一致"),
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
