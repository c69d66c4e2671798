"""Stage 3, survey: what a survey says in the published tables' terms, and how far it reproduces them.

The class and class × status tables recomputed from the per-municipality rows (円 per resident: simple
means over municipalities; 億円: totals and means per municipality), the orderings the document states as
checks, the reconciliation with the published tables (one check per published figure), and the summaries
the notebooks and reports show (by prefecture; members against similar-sized non-members). Every number
here is computed from the survey the build used: simulated unless a real file was configured.
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from jichitai_cloud.clean import checks
from jichitai_cloud.clean import municipalities, published
from jichitai_cloud.errors import ParameterError
from jichitai_cloud.registry import vocab
from jichitai_cloud.survey.labels import survey_label

ORDERINGS_SOURCE = "published: 調査結果（クラウド導入団体と未導入団体の状況①②）"


# --- the published tables, recomputed from the microdata ---------------------------------------------

def with_classes(survey: pd.DataFrame) -> pd.DataFrame:
    """Survey rows with class, cost per resident (円) and cost (億円); rows without a cost dropped."""
    df = survey[survey["it_cost_yen"].notna()].copy()
    df["population_class_id"] = df["population_2017_01_01_persons"].map(published.population_class_id)
    df["it_cost_per_resident_yen"] = df["it_cost_yen"].astype(float) / df["population_2017_01_01_persons"]
    df["it_cost_oku_yen"] = df["it_cost_yen"].astype(float) / 1e8
    return df


def by_class(survey: pd.DataFrame) -> pd.DataFrame:
    """The published class table, computed from the survey (same columns, unrounded)."""
    df = with_classes(survey)
    g = df.groupby("population_class_id")
    return pd.DataFrame({
        "it_cost_total_oku_yen": g["it_cost_oku_yen"].sum(),
        "it_cost_per_resident_mean_yen": g["it_cost_per_resident_yen"].mean(),
        "it_cost_per_municipality_oku_yen": g["it_cost_oku_yen"].mean(),
        "municipalities": survey.assign(population_class_id=survey["population_2017_01_01_persons"].map(
            published.population_class_id)).groupby("population_class_id").size(),
        "population_thousand_persons": g["population_2017_01_01_persons"].sum() / 1000,
    }).rename_axis("class_id").reset_index()


def by_class_status(survey: pd.DataFrame) -> pd.DataFrame:
    """Per class and status: municipalities, mean cost per resident (円), mean cost per municipality (億円)."""
    df = with_classes(survey)
    counts = survey.assign(population_class_id=survey["population_2017_01_01_persons"].map(
        published.population_class_id)).groupby(["population_class_id", "cloud_status"]).size()
    out = df.groupby(["population_class_id", "cloud_status"]).agg(
        it_cost_per_resident_mean_yen=("it_cost_per_resident_yen", "mean"),
        it_cost_per_municipality_oku_yen=("it_cost_oku_yen", "mean"))
    out["municipalities"] = counts
    return out.reset_index().rename(columns={"population_class_id": "class_id"})



def ordering_checks(survey: pd.DataFrame, orderings: pd.DataFrame, topic: str = "survey",
                    reading: str = vocab.DEFAULT_READING, excluded: int = 3) -> list:
    """The orderings the document states (``orderings``: published_survey_orderings), as checks
    (stated 1 = true); single not above none in the classes the document does not name.

    ``reading`` of 'single above none' in the under-20k class, whose single-cloud mean the document
    gives without its ``excluded`` least-populous municipalities (11,266円): without_3 compares that
    mean with no cloud's; with_3 the mean of all single-cloud municipalities.
    """
    if reading not in vocab.READINGS:
        raise ParameterError(f"reading must be one of {', '.join(vocab.READINGS)}; got {reading!r}")
    if (survey["cloud_status"] == vocab.NOT_JOINT_CODE).any():
        return _binary_ordering_checks(by_class_status(survey).set_index(["class_id", "cloud_status"]), topic,
                                       ORDERINGS_SOURCE)
    above_classes = set(orderings.loc[orderings["ordering_id"] == "single_above_none", "class_id"].astype(int))
    small = int(orderings.loc[orderings["ordering_id"] == "single_above_none", "class_id"].min()) \
        if above_classes else None
    trimmed = survey
    if reading == vocab.WITHOUT_3 and excluded:
        least = survey.sort_values(["population_2017_01_01_persons", "code"], kind="stable")["code"].iloc[:excluded]
        trimmed = survey[~survey["code"].isin(least)]
    cs = by_class_status(survey).set_index(["class_id", "cloud_status"])
    cs_trimmed = by_class_status(trimmed).set_index(["class_id", "cloud_status"])
    out = []
    for c in sorted({k[0] for k in cs.index}):
        cell = cs.loc[c]
        complete = len(cell) == 3 and cell.notna().all().all()
        for col, what, what_ja in (("it_cost_per_resident_mean_yen", "cost per resident", "住民一人当たり経費"),
                                   ("it_cost_per_municipality_oku_yen", "cost per municipality", "一団体当たり経費")):
            lowest = float(cell[col].idxmin() == "joint") if complete else np.nan
            out.append(checks.exact(f"survey.order.{c}.joint_lowest_{'resident' if 'resident' in col else 'municipality'}",
                                    topic, (f"{vocab.class_label(c, 'en')}: joint cloud has the lowest mean {what} "
                                            "(1 = true)",
                                            f"{vocab.class_label(c, 'ja')}：自治体クラウドの{what_ja}の平均が最も低い（1＝真）"),
                                    1, lowest, "boolean", ORDERINGS_SOURCE, "survey"))
        above = c in above_classes
        single = (cs_trimmed if c == small else cs).loc[c]
        higher = (single.loc["single", "it_cost_per_resident_mean_yen"] > cell.loc["none", "it_cost_per_resident_mean_yen"]
                  if complete else np.nan)
        named = "、".join(f"「{vocab.class_label(k, 'ja')}」" for k in sorted(above_classes))
        named_en = ", ".join(vocab.class_label(k, "en") for k in sorted(above_classes))
        out.append(checks.exact(
            f"survey.order.{c}.single_vs_none", topic,
            (f"{vocab.class_label(c, 'en')}: single cloud {'above' if above else 'not above'} no cloud in mean cost "
             "per resident"
             f"{' (single without the least-populous ' + str(excluded) + ')' if c == small and trimmed is not survey else ''}"
             f"{'' if above else ' (implied: the document names ' + named_en + ' only)'}"
             f" (1 = true)",
             f"{vocab.class_label(c, 'ja')}：単独クラウドの住民一人当たり経費の平均"
             f"{'（下位' + str(excluded) + '団体を除く）' if c == small and trimmed is not survey else ''}が未導入より"
             f"{'高い' if above else '高くない'}{'' if above else '（資料は' + named + 'のみ高いとする）'}（1＝真）"),
            1, float(higher == above) if complete else np.nan, "boolean", ORDERINGS_SOURCE, "survey"))
    return out



def _binary_ordering_checks(cs: pd.DataFrame, topic: str, src: str) -> list:
    """With joint or not only: 'joint lowest' implies joint below the mean of the others (a weighted
    mean of the single and no-cloud means); single against none cannot be checked."""
    out = []
    for c in sorted({k[0] for k in cs.index}):
        cell = cs.loc[c]
        complete = {"joint", vocab.NOT_JOINT_CODE} <= set(cell.index)
        for col, what, what_ja in (("it_cost_per_resident_mean_yen", "cost per resident", "住民一人当たり経費"),
                                   ("it_cost_per_municipality_oku_yen", "cost per municipality", "一団体当たり経費")):
            below = float(cell.loc["joint", col] < cell.loc[vocab.NOT_JOINT_CODE, col]) if complete else np.nan
            out.append(checks.exact(
                f"survey.order.{c}.joint_below_others_{'resident' if 'resident' in col else 'municipality'}", topic,
                (f"{vocab.class_label(c, 'en')}: joint cloud below the others in mean {what} (implied by 'joint "
                 "lowest') (1 = true)",
                 f"{vocab.class_label(c, 'ja')}：自治体クラウドの{what_ja}の平均がそれ以外より低い（「最も低い」から導かれる）"
                 "（1＝真）"),
                1, below, "boolean", src, "survey"))
    return out


# --- the reconciliation with the published tables ----------------------------------------------------

def reconcile(survey: pd.DataFrame, pub: dict, kind: str, frame: pd.DataFrame | None = None) -> list[checks.Check]:
    """Does the survey reproduce the published tables? One check per published figure, in this order:
    each class's count, total, mean and cost per municipality; the national figures; the status counts;
    the least-populous municipalities; the under-20k single-cloud mean without them; the orderings.
    ``frame``: the municipality frame, whose populations (住民基本台帳 2017-01-01) the survey's must equal."""
    topic = f"survey ({kind})"
    binary = bool((survey["cloud_status"] == vocab.NOT_JOINT_CODE).any())
    outliers = pub["published_survey_outliers"]
    out = (_class_checks(survey, pub["published_cost_by_class"], topic)
           + _national_checks(survey, pub["published_survey_totals"], topic, frame)
           + _status_count_checks(survey, pub["published_status_counts"], topic, binary)
           + _least_populous_checks(survey, outliers, topic, binary))
    if binary:  # single-cloud municipalities are not known: their mean cannot be checked
        return out + ordering_checks(survey, pub["published_survey_orderings"], topic=topic)
    n_out = int(outliers["item"].str.startswith("least_populous").sum())
    return (out + [_single_mean_check(survey, outliers, topic, n_out)]
            + ordering_checks(survey, pub["published_survey_orderings"], topic=topic, excluded=n_out))


def _least_populous_first(survey: pd.DataFrame) -> pd.DataFrame:
    return survey.sort_values(["population_2017_01_01_persons", "code"]).reset_index(drop=True)


def _class_checks(survey: pd.DataFrame, cost_by_class: pd.DataFrame, topic: str) -> list[checks.Check]:
    """Per class: municipalities, total cost (億円), mean cost per resident (円), cost per municipality (億円)."""
    cost = cost_by_class.set_index("class_id")
    got = by_class(survey).set_index("class_id")
    src = "published_cost_by_class"
    out = []
    for c in cost.index:
        label, label_en = cost.loc[c, "population_class_ja"], vocab.class_label(c, "en")
        out.append(checks.exact(f"survey.class_count.{c}", topic, (f"{label_en}: municipalities", f"{label}：団体数"),
                                cost.loc[c, "municipalities"], int(got.loc[c, "municipalities"]), "municipalities",
                                src, "survey"))
        out.append(checks.rounded(f"survey.class_total.{c}", topic, (f"{label_en}: total cost (100M yen)",
                                                                                  f"{label}：総経費（億円）"),
                                  cost.loc[c, "it_cost_total_oku_yen"], got.loc[c, "it_cost_total_oku_yen"], "oku_yen",
                                  0, src, "survey"))
        out.append(checks.rounded(f"survey.class_mean.{c}", topic,
                                  (f"{label_en}: mean cost per resident (yen)", f"{label}：住民一人当たり経費の平均（円）"),
                                  cost.loc[c, "it_cost_per_resident_mean_yen"], got.loc[c, "it_cost_per_resident_mean_yen"],
                                  "yen", 0, src, "survey"))
        out.append(checks.rounded(f"survey.class_per_municipality.{c}", topic,
                                  (f"{label_en}: cost per municipality (100M yen)", f"{label}：一団体当たり経費（億円）"),
                                  cost.loc[c, "it_cost_per_municipality_oku_yen"],
                                  got.loc[c, "it_cost_per_municipality_oku_yen"], "oku_yen", 1, src, "survey"))
    return out


def _national_checks(survey: pd.DataFrame, survey_totals: pd.DataFrame, topic: str,
                     frame: pd.DataFrame | None) -> list[checks.Check]:
    """The national total (億円), cost per resident over the municipalities with a cost (円), and, with the
    frame, the populations against the 住民基本台帳 of 2017-01-01."""
    totals = survey_totals.set_index("item")["value"]
    total = survey["it_cost_yen"].sum() / 1e8
    out = [checks.rounded("survey.national_total", topic, ("national total cost (100M yen)", "全国の経費合計（億円）"),
                          totals["it_cost_total"], total, "oku_yen", 0, "published_survey_totals", "survey")]
    reporting = survey["it_cost_yen"].notna()
    out.append(checks.rounded("survey.national_per_resident", topic,
                              ("national cost per resident (yen; municipalities with a cost)",
                               "全国の住民一人当たり経費（円、経費のある団体）"),
                              totals["it_cost_per_resident"],
                              survey.loc[reporting, "it_cost_yen"].sum()
                              / survey.loc[reporting, "population_2017_01_01_persons"].sum(),
                              "yen", 0, "published_survey_totals", "survey"))
    if frame is not None:
        juki = survey["code"].map(dict(zip(frame["code"], frame["population_2017_01_01_persons"])))
        out.append(checks.exact("survey.population_vs_juki", topic,
                                ("municipalities whose population differs from the Basic Resident Register of 2017-01-01",
                                 "人口が住民基本台帳（平成29年1月1日）と異なる団体数"),
                                0, int((survey["population_2017_01_01_persons"] != juki).sum()), "municipalities",
                                "住民基本台帳 (the survey's stated basis)", "survey"))
    return out


def _status_count_checks(survey: pd.DataFrame, status_counts: pd.DataFrame, topic: str,
                         binary: bool) -> list[checks.Check]:
    """Municipalities per class and status; with joint or not only (``binary``), joint and the others."""
    st = status_counts.set_index(["class_id", "cloud_status"])["municipalities"]
    cls = survey["population_2017_01_01_persons"].map(published.population_class_id)
    have = survey.groupby([cls, survey["cloud_status"]]).size()
    out = []
    for (c, s), n in st.items():
        if binary and s != "joint":
            continue
        out.append(checks.exact(f"survey.status_count.{c}.{s}", topic,
                                (f"{vocab.class_label(c, 'en')}: {vocab.status(s, 'en')} municipalities",
                                 f"{vocab.class_label(c, 'ja')}：{vocab.status(s, 'ja')}の団体数"),
                                n, int(have.get((c, s), 0)), "municipalities", "published_status_counts", "survey"))
    if binary:
        others_ja = f"{vocab.NOT_JOINT[0]}（{vocab.status('single', 'ja')}＋{vocab.status('none', 'ja')}）"
        for c in sorted({k[0] for k in st.index}):
            out.append(checks.exact(f"survey.status_count.{c}.{vocab.NOT_JOINT_CODE}", topic,
                                    (f"{vocab.class_label(c, 'en')}: municipalities not in a joint cloud "
                                     "(single + none)", f"{vocab.class_label(c, 'ja')}：{others_ja}の団体数"),
                                    int(st.loc[(c, "single")] + st.loc[(c, "none")]),
                                    int(have.get((c, vocab.NOT_JOINT_CODE), 0)),
                                    "municipalities", "published_status_counts", "survey"))
    return out


def _least_populous_checks(survey: pd.DataFrame, outliers: pd.DataFrame, topic: str,
                           binary: bool) -> list[checks.Check]:
    """The least-populous municipalities: single cloud (not joint, with joint or not only), and their
    published cost per resident (円)."""
    order = _least_populous_first(survey)
    out = []
    for k, r in enumerate(outliers[outliers["item"].str.startswith("least_populous")].itertuples()):
        row = order.iloc[k]
        if binary:
            out.append(checks.exact(f"survey.least_populous.{k + 1}.{vocab.NOT_JOINT_CODE}", topic,
                                    (f"least-populous municipality no. {k + 1} is not in a joint cloud (1 = true)",
                                     f"人口数下位{k + 1}位の団体が自治体クラウドでない（1＝真）"),
                                    1, int(row["cloud_status"] != "joint"), "boolean", "published_survey_outliers",
                                    "survey"))
        else:
            out.append(checks.exact(f"survey.least_populous.{k + 1}.single", topic,
                                    (f"least-populous municipality no. {k + 1} is single cloud (1 = true)",
                                     f"人口数下位{k + 1}位の団体が単独クラウド（1＝真）"),
                                    1, int(row["cloud_status"] == "single"), "boolean", "published_survey_outliers",
                                    "survey"))
        per = float(row["it_cost_yen"]) / row["population_2017_01_01_persons"] if pd.notna(row["it_cost_yen"]) else np.nan
        out.append(checks.rounded(f"survey.least_populous.{k + 1}.per_resident", topic,
                                  (f"least-populous municipality no. {k + 1}: cost per resident (yen)",
                                   f"人口数下位{k + 1}位の団体の住民一人当たり経費（円）"),
                                  r.value_yen, per, "yen", 0, "published_survey_outliers", "survey"))
    return out


def _single_mean_check(survey: pd.DataFrame, outliers: pd.DataFrame, topic: str, n_out: int) -> checks.Check:
    """The under-20k single-cloud mean cost per resident (円) without the ``n_out`` least populous."""
    wc = with_classes(survey)
    rest = wc[(wc["population_class_id"] == vocab.CLASS_IDS[0]) & (wc["cloud_status"] == "single")
              & ~wc["code"].isin(_least_populous_first(survey)["code"].iloc[:n_out])]
    stated = outliers.loc[outliers["item"] == "per_resident_mean_excluding_least_populous_3", "value_yen"].iloc[0]
    return checks.rounded("survey.single_under_20k_mean_excluding_3", topic,
                          (f"{vocab.class_label(vocab.CLASS_IDS[0], 'en')} single cloud: mean cost per resident without the three "
                           "(yen)",
                           "２万人未満の単独クラウド：下位3団体を除く住民一人当たり経費の平均（円）"),
                          stated, rest["it_cost_per_resident_yen"].mean(), "yen", 0,
                          "published_survey_outliers", "survey")


def explanations(survey: pd.DataFrame) -> dict:
    """Sentences for the status-count mismatches that follow from taking joint status from the list.

    Only where the status did come from the list (not from a real file's status column).
    """
    if (survey["cloud_status_provenance"] == "reported").any():
        return {}
    out = {}
    if (survey["cloud_status"] == vocab.NOT_JOINT_CODE).any():
        sentence = (
            "Joint status comes from the real group list, which overstates joint membership at 2017-04 (see the group "
            "list's check of the 2017-04 membership), so the other municipalities fall short by the same number.",
            "自治体クラウドの別は実在のグループ一覧によるため平成29年4月時点の団体数を過大に数え（グループ一覧の平成29年4月"
            "時点の団体数の照合を参照）、その分だけそれ以外の団体数が少なくなる。")
        statuses = ("joint", vocab.NOT_JOINT_CODE)
    else:
        sentence = (
            "Joint status comes from the real group list, which overstates joint membership at 2017-04 (see the group "
            "list's check of the 2017-04 membership); single-cloud counts are matched exactly, so no-cloud counts fall "
            "short by the same number.",
            "自治体クラウドの別は実在のグループ一覧によるため平成29年4月時点の団体数を過大に数え（グループ一覧の平成29年4月"
            "時点の団体数の照合を参照）、単独クラウドの団体数は公表値どおりとしたため、その分だけ未導入の団体数が少なくなる。")
        statuses = ("joint", "none")
    for c in vocab.CLASS_IDS:
        for s in statuses:
            out[f"survey.status_count.{c}.{s}"] = sentence
    return out


# --- what the notebooks and reports show --------------------------------------------------------------

def comparison_by_class(survey: pd.DataFrame, pub: dict) -> pd.DataFrame:
    """The published class figures beside the same figures computed from the survey."""
    got = by_class(survey).set_index("class_id")
    cost = pub["published_cost_by_class"].set_index("class_id")
    return pd.DataFrame({
        "population_class_ja": cost["population_class_ja"],
        "published_total_oku_yen": cost["it_cost_total_oku_yen"],
        "survey_total_oku_yen": got["it_cost_total_oku_yen"].round(2),
        "published_mean_yen": cost["it_cost_per_resident_mean_yen"],
        "survey_mean_yen": got["it_cost_per_resident_mean_yen"].round(2),
    }).reset_index()


def reconciliation_note(info: pd.DataFrame, lang: str = "en") -> str:
    """What the survey's reconciliation rows mean for this input."""
    if info.iloc[0]["input"] == "simulated":
        return ("シミュレーションは公表値に合わせて較正されているため、市区町村別の経費の照合は構成上一致し、較正を確かめる"
                "もので、データの検証ではない。" if lang == "ja" else
                "The simulated survey is calibrated to the published figures, so its checks hold by construction: they "
                "verify the calibration, not data.")
    return ("実データの照合は、ファイルが公表値をどこまで再現するかを示す。" if lang == "ja" else
            "For a real file, these checks show how far it reproduces the published figures.")


def by_prefecture(survey: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """Per prefecture: mean cost per resident over municipalities (円), total cost / population (円)."""
    df = with_classes(survey).merge(frame[["code", "prefecture"]], on="code")
    g = df.groupby("prefecture", sort=False).agg(
        cost_per_resident_mean_yen=("it_cost_per_resident_yen", "mean"), cost_yen=("it_cost_yen", "sum"),
        population=("population_2017_01_01_persons", "sum"))
    g["cost_per_resident_aggregate_yen"] = g["cost_yen"].astype(float) / g["population"]
    order = [p for p in vocab.PREFECTURES if p in g.index]
    return g.loc[order, ["cost_per_resident_mean_yen", "cost_per_resident_aggregate_yen"]].reset_index()


def comparable_non_members(survey: pd.DataFrame, frame: pd.DataFrame, codes, factor: float = 2.0,
                           as_of=None) -> pd.DataFrame:
    """Each given municipality's cost per resident against non-members of similar size.

    Comparables: municipalities in no joint-cloud group on `as_of` (default: the list's
    date, 2018-04-01), so single-cloud or no cloud, from the whole country, whose population
    (2017-01-01) lies within a factor ``factor`` of the municipality's. Returns one row per
    code: cost per resident, number of comparables, their median cost per resident, the
    ratio (municipality / comparables' median), and where the costs come from
    (``it_cost_provenance``, ``comparables_cost_provenance``: simulated unless reported).
    """
    if isinstance(factor, bool) or not isinstance(factor, numbers.Real) or not factor > 1:
        raise ParameterError(f"factor must be a number above 1 (comparables within that factor of the population); "
                             f"got {factor!r}")
    as_of = vocab.LIST_DATE if as_of is None else as_of
    df = with_classes(survey).merge(frame[["code", "prefecture", "name"]], on="code")
    member = municipalities.joint_cloud_as_of(frame, as_of)
    outside = set(frame.loc[~member.to_numpy(), "code"])
    pool = df[df["code"].isin(outside)]
    pool_pop = pool["population_2017_01_01_persons"].to_numpy(float)
    pool_pr = pool["it_cost_per_resident_yen"].to_numpy(float)
    pool_prov = pool["it_cost_provenance"].to_numpy()
    rows = []
    for r in df[df["code"].isin(list(codes))].itertuples():
        p = float(r.population_2017_01_01_persons)
        sel = (pool_pop >= p / factor) & (pool_pop <= p * factor) & (pool["code"].to_numpy() != r.code)
        med = float(np.median(pool_pr[sel])) if sel.any() else np.nan
        rows.append({"code": r.code, "prefecture": r.prefecture, "name": r.name,
                     "population_2017_01_01_persons": int(p), "cloud_status": r.cloud_status,
                     "cost_per_resident_yen": float(r.it_cost_per_resident_yen), "comparables": int(sel.sum()),
                     "comparables_median_yen": med, "ratio_to_comparables": float(r.it_cost_per_resident_yen) / med,
                     "it_cost_provenance": r.it_cost_provenance,
                     "comparables_cost_provenance": "+".join(sorted(set(pool_prov[sel]))) if sel.any() else ""})
    return pd.DataFrame(rows)


def comparison_summary(table: pd.DataFrame, info: pd.DataFrame, lang: str = "en") -> str:
    """One line on a comparable_non_members table: members, median ratio and range, with the survey's label."""
    r = table["ratio_to_comparables"].dropna()
    tag = survey_label(info, lang, short=True)
    if lang == "ja":
        return (f"{len(r)}団体。同規模の非参加団体の中央値に対する比：中央値 {r.median():.2f}"
                f"（{r.min():.2f}～{r.max():.2f}）{tag}")
    return (f"{vocab.count(len(r), 'member')}; ratio to similar non-members: median {r.median():.2f} "
            f"(range {r.min():.2f}–{r.max():.2f}) {tag}")

