"""Stage 2e, cleaning: the document's evidence on joint-cloud savings (all published).

- the seven case studies 「自治体クラウド導入事例」: members with their populations (千人; the
  document gives the basis only for 高知県, 平成22年国勢調査), start dates and stated savings;
- the savings distribution of the 56 groups surveyed in 2016 (「５６グループの費用削減効果」),
  and the shares by development vendor and by group size;
- the トップランナー方式 standard costs of 基準財政需要額 (千円), whose 情報システムの運用 rows
  assume cloud adoption. The table's ○ marks (which kind of review applies) cannot be assigned
  to their columns from the extracted text and are not transcribed.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from jichitai_cloud.clean import checks
from jichitai_cloud.clean import cloud_groups
from jichitai_cloud.io import sources


def _bool(s: pd.Series) -> pd.Series:
    return s.map({"true": True, "false": False})


def tables(frame: pd.DataFrame, members_2018: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The case studies and the shares, typed; case members matched to codes (by prefecture + name)."""
    cases = sources.read_transcribed("case_studies")
    cases["members_stated"] = pd.array([int(v) if v else None for v in cases["members_stated"]], dtype="Int64")
    raw = sources.read_transcribed("case_study_members")
    ids = {c: i for i, c in enumerate(sorted(raw["case"].unique()), start=1)}
    matched = cloud_groups.match_members(
        [cloud_groups.Member(ids[c], p, n) for c, p, n in zip(raw["case"], raw["prefecture"], raw["name_as_written"])],
        frame, {i: f"case study {c}" for c, i in ids.items()})
    members = raw.assign(code=matched["code"].to_numpy(), match=matched["match"].to_numpy(),
                         population_thousand_persons=raw["population_thousand_persons"].astype(float))
    members = members.merge(frame[["code", "name", "population_census_2015_persons", "population_2017_01_01_persons"]],
                            on="code", how="left")
    members = members.merge(members_2018[["code", "group_id"]].rename(columns={"group_id": "group_id_2018_04"}),
                            on="code", how="left")
    members["group_id_2018_04"] = members["group_id_2018_04"].astype("Int64")
    members = members[["case", "code", "prefecture", "name", "name_as_written", "match", "population_thousand_persons",
                       "population_as_written", "population_census_2015_persons", "population_2017_01_01_persons",
                       "group_id_2018_04", "section"]]
    savings = sources.read_transcribed("case_study_savings")
    savings = savings.assign(reduction_pct=savings["reduction_pct"].astype(float), approximate=_bool(savings["approximate"]))
    savings = savings.assign(**savings_bases(savings))
    shares = {}
    for name in ("savings_56_groups", "vendor_shares", "group_size_shares"):
        t = sources.read_transcribed(name)
        shares[name] = t.assign(groups=t["groups"].astype("int64"), share_pct=t["share_pct"].astype("int64"))
    s56 = shares["savings_56_groups"]
    s56["as_of_month"] = [wareki_month(t) for t in s56["as_of_as_written"]]
    top = sources.read_transcribed("top_runner")
    for col in ("before_thousand_yen", "fy2018_thousand_yen", "final_thousand_yen"):
        top[col] = pd.array([int(v) if v else None for v in top[col]], dtype="Int64")
    top["reduction_to_final_pct"] = [
        100.0 * (1 - f / b) if pd.notna(b) and pd.notna(f) and b > 0 and f > 0 else np.nan
        for b, f in zip(top["before_thousand_yen"], top["final_thousand_yen"])]
    return {"case_studies": cases, "case_study_members": members.reset_index(drop=True),
            "case_study_savings": savings, **shares, "top_runner": top}


def wareki_month(text: str) -> str:
    """'平成28年１月時点' -> '2016-01' (the month a figure refers to, 和暦 平成)."""
    m = re.search(r"平成([0-9]+)年([0-9]+)月", unicodedata.normalize("NFKC", text))
    if not m:
        raise sources.SourceError(f"not a 平成 year and month: {text!r}")
    return f"{1988 + int(m.group(1))}-{int(m.group(2)):02d}"


def savings_bases(savings: pd.DataFrame) -> dict[str, pd.Series]:
    """What each stated saving is a saving of, read from its wording (derived by these rules):

    - ``cost_basis``: initial (イニシャルコスト), running (運用コスト, ランニングコスト), total (トータル,
      経費), else unspecified (コスト);
    - ``period_years``: the 'N年間' it names, else empty;
      both from the figure's own words, then from its sentence when the sentence states one figure only;
    - ``projected``: the sentence says 見込み (an estimate), else the saving is stated as achieved.
    """
    def words(what: str, statement: str) -> list[str]:
        # A sentence stating several figures ('イニシャルコストで▲56%、5年間のランニングコストで▲25%') says
        # nothing about one of them beyond the figure's own words.
        statement = unicodedata.normalize("NFKC", statement)
        one_figure = len(re.findall(r"[0-9.]+[%％]", statement)) == 1
        return [unicodedata.normalize("NFKC", what)] + ([statement] if one_figure else [])

    def basis(what: str, statement: str) -> str:
        for t in words(what, statement):
            for key, name in (("イニシャル", "initial"), ("ランニング", "running"), ("運用", "running"),
                              ("トータル", "total"), ("経費", "total")):
                if key in t:
                    return name
        return "unspecified"

    def years(what: str, statement: str) -> float:
        for t in words(what, statement):
            found = re.findall(r"([0-9]+)年間", t)
            if found:
                return float(found[0])
        return np.nan

    return {
        "cost_basis": pd.Series([basis(w, s) for w, s in zip(savings["what_as_written"], savings["statement_as_written"])],
                                index=savings.index),
        "period_years": pd.Series([years(w, s) for w, s in zip(savings["what_as_written"],
                                                                 savings["statement_as_written"])], index=savings.index),
        "projected": savings["statement_as_written"].str.contains("見込み"),
    }


EXPLANATIONS = {
    "cases.same_group.e": (
        "The case study (いばらき自治体クラウド基幹業務運営協議会) names four members; the 2018-04 group list has five, "
        "with 大子町, which the case study does not name.",
        "事例（いばらき自治体クラウド基幹業務運営協議会）は4団体を挙げるが、グループ一覧（平成30年4月）は大子町を含む5団体。"),
    "shares.savings_pct": (
        "7 of 56 groups (20% to under 30%) is 12.5%, shown as 12%: presumably rounded down so that the five shares add "
        "up to 100% (rounding it up would make 101%).",
        "56グループ中7グループ（２割以上～３割未満）は12.5%だが12%と表示。5区分の合計を100%にするための切り捨てと思われる"
        "（切り上げると101%）。"),
    "shares.vendor_groups": (
        "The vendor chart covers 60 (vendor, group) pairs although its slide is about 56 groups: its percentages are of "
        "60 (16 / 60 = 27%), so some groups presumably count under two vendors; the document does not say.",
        "ベンダ別の図は56グループの資料だが合計は60で、割合も60に対するもの（16÷60＝27%）。複数ベンダのグループが"
        "あると思われるが、資料に説明はない。"),
}


def reconcile(t: dict[str, pd.DataFrame], members_2018: pd.DataFrame) -> list[checks.Check]:
    topic = "case studies and shares"
    out = []
    m = t["case_study_members"]
    stated = t["case_studies"].set_index("case")["members_stated"]  # 3市, 18団体, ... where the case says
    for case, g in m.groupby("case", sort=True):
        src = f"published: {g['section'].iloc[0]}"
        if pd.notna(stated.get(case)):
            out.append(checks.exact(f"cases.count.{case}", topic,
                                    (f"case {case}: members listed = the number stated", f"事例{case}：挙げた団体数＝記載の団体数"),
                                    int(stated[case]), len(g), "municipalities", src, "case_studies"))
        gids = g["group_id_2018_04"].dropna().unique()
        group_members = members_2018[members_2018["group_id"].isin(gids)]
        out.append(checks.exact(f"cases.same_group.{case}", topic,
                                (f"case {case}: its members are exactly one group of the 2018-04 list (1 = true)",
                                 f"事例{case}：挙げた団体がグループ一覧の1グループの構成団体と一致（1＝真）"),
                                1, int(len(gids) == 1 and g["group_id_2018_04"].notna().all()
                                       and set(group_members["code"]) == set(g["code"])), "boolean", src,
                                "cloud_group_members"))
    sv = t["case_study_savings"].set_index("what_as_written")
    overall, hashimoto, koriyama = (sv.loc[k, "reduction_pct"] for k in ("両市全体で約３０%", "橋本市で３１％", "大和郡山市で２６％"))
    out.append(checks.exact("cases.savings.c_between", topic,
                            ("case c: 'about 30% overall' lies between the two cities' 31% and 26% (1 = true)",
                             "事例c：両市全体の約30%が両市の31%と26%の間にある（1＝真）"),
                            1, int(min(hashimoto, koriyama) <= overall <= max(hashimoto, koriyama)), "boolean",
                            "published: 和歌山県橋本市・奈良県大和郡山市", "case_study_savings"))
    for name, total, label in (("savings_56_groups", 56, ("savings distribution", "費用削減効果")),
                               ("vendor_shares", 56, ("vendors", "開発ベンダ")),
                               ("group_size_shares", 56, ("group sizes", "グループの団体数"))):
        s = t[name]
        key = {"savings_56_groups": "savings", "vendor_shares": "vendor", "group_size_shares": "size"}[name]
        src = "published: 「自治体クラウドの現状分析とその導入に当たっての手順とポイント」（概要）"
        out.append(checks.exact(f"shares.{key}_groups", topic,
                                (f"{label[0]}: groups add up to the 56 groups surveyed", f"{label[1]}：グループ数の和＝56グループ"),
                                total, int(s["groups"].sum()), "groups", src, name))
        base = int(s["groups"].sum())
        bad = int(sum(checks.round_half_up(100 * g / base, 0) != p for g, p in zip(s["groups"], s["share_pct"])))
        out.append(checks.exact(f"shares.{key}_pct", topic,
                                (f"{label[0]}: shares that are not the groups / their sum, rounded",
                                 f"{label[1]}：割合がグループ数÷合計の四捨五入と異なる項目数"),
                                0, bad, "rows", src, name))
    top = t["top_runner"]
    it = top[top["reform_as_written"] == "情報システムのクラウド化"]
    ratios = (it["final_thousand_yen"].astype(float) / it["before_thousand_yen"].astype(float)).round(4)
    out.append(checks.exact("top_runner.it_same_rate", topic,
                            ("the three rows on running information systems fall by the same rate (1 = true)",
                             "情報システムの運用の3行の引下げ率が同じ（1＝真）"),
                            1, int(ratios.nunique() == 1), "boolean",
                            "published: トップランナー方式を反映した基準財政需要額の見直し内容について", "top_runner"))
    numeric = top.dropna(subset=["before_thousand_yen", "final_thousand_yen"])
    out.append(checks.exact("top_runner.no_increase", topic,
                            ("rows whose final standard cost exceeds the cost before", "見直し後が見直し前を上回る行の数"),
                            0, int((numeric["final_thousand_yen"] > numeric["before_thousand_yen"]).sum()), "rows",
                            "published: トップランナー方式を反映した基準財政需要額の見直し内容について", "top_runner"))
    return out
