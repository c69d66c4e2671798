"""Stage 4c, findings: the sentences at the top of every report (要旨 / Summary).

Each finding is one sentence with its number and its kind (公表値, 導出値, 実データ), built from
the published tables and the evidence tables: never from the simulated survey. The numbers are
formatted from the tables at render time; nothing here is typed in by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from . import vocab


@dataclass(frozen=True)
class Finding:
    key: str
    kind: str  # vocab.KIND codes, '+'-joined
    ja: str
    en: str

    def text(self, lang: str) -> str:
        return f"{vocab.pick((self.ja, self.en), lang)}{'' if lang == 'ja' else ' '}{vocab.kind_tag(self.kind, lang)}"


Loader = Callable[[str], pd.DataFrame]


def _gap(load: Loader, reading: str, label: bool, floor: bool = False, class_id: int = 1) -> pd.Series:
    g = load("evidence_gaps")
    return g[(g["reading"] == reading) & (g["inferred_label"] == label) & (g["plausibility_floor"] == floor)
             & (g["class_id"] == class_id)].iloc[0]


def u_shape(load: Loader) -> Finding:
    """Mean cost per resident by class: highest in the smallest class, lowest in the middle, up again."""
    cost = load("published_cost_by_class").sort_values("class_id")
    means = cost["it_cost_per_resident_mean_yen"].to_numpy()
    low = int(np.argmin(means))
    above = cost.iloc[low + 1:]
    top = above.loc[above["it_cost_per_resident_mean_yen"].idxmax()] if len(above) else None
    first, bottom = cost.iloc[0], cost.iloc[low]
    ja = (f"住民一人当たり情報システム経費の区分平均は「{first['population_class_ja']}」の"
          f"{first['it_cost_per_resident_mean_yen']:,}円から人口とともに下がり、「{bottom['population_class_ja']}」で"
          f"{bottom['it_cost_per_resident_mean_yen']:,}円と最も低く、それより大きい区分では")
    en = (f"Mean IT cost per resident falls with population from {first['it_cost_per_resident_mean_yen']:,}円 under "
          f"20k to its lowest, {bottom['it_cost_per_resident_mean_yen']:,}円, in the {bottom['population_class_en']} "
          f"class, and rises above it")
    if top is not None:
        ja += f"「{top['population_class_ja']}」の{top['it_cost_per_resident_mean_yen']:,}円まで再び上がる（U字型）。"
        en += f" to {top['it_cost_per_resident_mean_yen']:,}円 ({top['population_class_en']}): a U shape."
    return Finding("u_shape", "published", ja, en)


def reading_values(load: Loader) -> tuple[int, float]:
    """The two single-cloud means of the under-20k class the readings compare with (円): without the
    three least-populous villages (published) and with them (derived)."""
    out = load("published_survey_outliers")
    without = int(out.loc[out["item"] == "per_resident_mean_excluding_least_populous_3", "value_yen"].iloc[0])
    c = load("evidence_cells")
    single = c[(c["reading"] == "without_3") & ~c["inferred_label"] & ~c["plausibility_floor"] & (c["class_id"] == 1)
               & (c["cloud_status"] == "single")].iloc[0]
    return without, (single["lower_yen"] + single["upper_yen"]) / 2


def small_class_gap(load: Loader, use_inferred_label: bool = True) -> Finding:
    """The under-20k joint/none gap the published figures allow, under both readings; the inferred label."""
    a = _gap(load, "without_3", False)
    b = _gap(load, "with_3", False)
    without, pinned = reading_values(load)
    ja = (f"２万人未満で自治体クラウドの平均が未導入より低い幅は、公表値だけからは最大{a['gap_high_pct']:.0f}%"
          f"（資料の「未導入より単独クラウドが高い」を下位3団体を除く{without:,}円との比較と読む場合）または最大"
          f"{b['gap_high_pct']:.0f}%（含む約{pinned:,.0f}円との比較と読む場合）")
    en = (f"Under 20k, the published figures alone put the joint-cloud mean at most {a['gap_high_pct']:.0f}% below the "
          f"no-cloud mean (reading the document's 'single above no cloud' as against the {without:,}円 mean without the "
          f"three villages), or at most {b['gap_high_pct']:.0f}% (against ≈{pinned:,.0f}円 with them)")
    kind = "derived"
    assignments = load("evidence_label_assignments")
    inferred = assignments[assignments["inferred"]].drop_duplicates(["value_yen", "class_id", "cloud_status"])
    if use_inferred_label and len(inferred) == 1 and int(inferred["class_id"].iloc[0]) == 1:
        r = inferred.iloc[0]
        c = load("evidence_cells")
        none = c[(c["reading"] == "without_3") & c["inferred_label"] & c["plausibility_floor"] & (c["class_id"] == 1)
                 & (c["cloud_status"] == "none")].iloc[0]
        lab = _gap(load, "without_3", True, True)
        rob = load("evidence_label_robustness")
        rob = rob[(rob["value_yen"] == r["value_yen"]) & (rob["reading"] == "without_3") & rob["unique"]].iloc[0]
        ja += (f"だが、グラフの数値{r['value_as_written']}円を、それが当てはまる唯一の棒である自治体クラウドの値とみなせば"
               f"（妥当性の下限を{rob['unique_floor_low']:.2f}超{rob['unique_floor_high']:.2f}以下のどこに置いても唯一。"
               f"下限を置かなければ他の棒にも当てはまる）、未導入は約{(none['lower_yen'] + none['upper_yen']) / 2:,.0f}円、"
               f"差は{lab['gap_low_pct']:.1f}%となる")
        en += (f"; taking the chart label {r['value_as_written']}円 as the joint-cloud bar, the only bar it fits under "
               f"the plausibility floor (for any floor above {rob['unique_floor_low']:.2f} and up to "
               f"{rob['unique_floor_high']:.2f}; without a floor it fits other bars too), no cloud is "
               f"≈{(none['lower_yen'] + none['upper_yen']) / 2:,.0f}円 and the gap {lab['gap_low_pct']:.1f}%")
        kind = "derived+inferred"
    else:
        ja += "である"
    return Finding("small_class_gap", kind, ja + "。", en + ".")


def reported_savings(load: Loader) -> Finding:
    s = load("evidence_savings").set_index(["measure", "basis"])
    rep = s.loc[("mean_saving", "reporting")]
    zero = s.loc[("mean_saving", "all_pending_as_zero")]
    med = s.loc[("median_bin", "reporting")]
    pending = int(zero["groups"] - rep["groups"])
    month = load("savings_56_groups")["as_of_month"].iloc[0]
    year, mon = (int(x) for x in month.split("-"))
    ja = (f"{year}年{mon}月時点の{int(zero['groups'])}グループが報告した削減率の平均は{rep['lower_pct']:.0f}～"
          f"{rep['upper_pct']:.0f}%（確認中の{pending}グループを0%とすれば{zero['lower_pct']:.0f}～{zero['upper_pct']:.0f}%）、"
          f"中央のグループは{med['lower_pct'] / 10:.0f}～{med['upper_pct'] / 10:.0f}割の区分にあり資料の「運用コストが３割程度"
          f"削減可能」と整合するが、これは各グループが共同化による費用削減効果として報告した値で、経費全体（基幹系と内部管理系、"
          f"整備費と運用費）について異なる団体を比べる調査の差とは一致しなくてよく、削減が共同化したシステムに限られるなら"
          f"調査全体の差はこれより小さい。")
    en = (f"The {int(zero['groups'])} groups of {month} report a mean saving of {rep['lower_pct']:.0f}–"
          f"{rep['upper_pct']:.0f}% ({zero['lower_pct']:.0f}–{zero['upper_pct']:.0f}% counting the {pending} not yet "
          f"confirmed as 0%), the middle group in the {med['lower_pct']:.0f}–{med['upper_pct']:.0f}% bin, consistent "
          f"with the document's 「運用コストが３割程度削減可能」; but these are the savings the groups report from sharing, "
          f"which need not equal the survey's gap between different municipalities over all costs (core and internal "
          f"systems, set-up and running), and if only the shared systems save, the survey-wide gap is smaller.")
    return Finding("reported_savings", "derived", ja, en)


def who_joins(load: Loader) -> Finding:
    s = load("evidence_membership_shares")
    s = s[(s["as_of"] == "2018-04-01") & (s["by"] == "class")].sort_values("key")
    first, last = s.iloc[0], s.iloc[-1]
    e = load("evidence_membership_effects")
    e = e[(e["as_of"] == "2018-04-01") & (e["change"] == "log_pop_c")].iloc[0]
    lo, hi = sorted((-e["ci_low_pct_points"], -e["ci_high_pct_points"]))
    ja = (f"参加は小規模団体に多く、「{first['label']}」の{first['share_pct']:.0f}%が自治体クラウドに参加する（平成30年4月）"
          f"のに対し「{last['label']}」は{last['share_pct']:.1f}%で、財政力指数・高齢化率・人口密度・団体区分が同じなら"
          f"人口が2倍の団体の参加確率は{-e['ame_pct_points']:.1f}ポイント（95%信頼区間{lo:.1f}～{hi:.1f}）低い（関連であり、"
          f"因果を示すものではない）。")
    en = (f"Members are mostly small municipalities: {first['share_pct']:.0f}% of those under 20k are in a joint cloud "
          f"(2018-04) against {last['share_pct']:.1f}% of those of 300k and over, and at equal 財政力指数, ageing, "
          f"density and kind, a municipality twice as populous is {-e['ame_pct_points']:.1f} points less likely to be a "
          f"member (95% CI {lo:.1f}–{hi:.1f}; an association, not a cause).")
    return Finding("who_joins", "real", ja, en)


def targets(load: Loader) -> Finding:
    tracker = load("adoption_tracker").sort_values("fiscal_year")
    end = tracker.iloc[-1]
    target = int(end["joint_cloud_target"])
    proj = load("evidence_projections")
    band = proj[(proj["scenario"] == "planned") & (proj["basis"] == "reported") & proj["class_id"].isna()
                & ~proj["extrapolation"]].iloc[0]
    ja = (f"加入予定がすべて実現しても{int(end['fiscal_year'])}年度末の自治体クラウドは{int(end['joint_cloud_projected']):,}"
          f"団体で目標の約{target:,}団体に{target - int(end['joint_cloud_projected']):,}団体届かず、予定どおりの加入に"
          f"報告された削減率を経費全体に当てはめると年{band['saving_low_oku_yen']:.0f}～{band['saving_high_oku_yen']:.0f}億円"
          f"（共同化したシステム以外も削減されるとみなす上振れの想定）となる。")
    en = (f"Even if every planned join happens, joint cloud reaches {int(end['joint_cloud_projected']):,} municipalities "
          f"by the end of FY{int(end['fiscal_year'])}, {target - int(end['joint_cloud_projected']):,} short of the "
          f"約{target:,} target; applying the reported savings to the planned joiners' whole IT cost gives "
          f"{band['saving_low_oku_yen']:.0f}–{band['saving_high_oku_yen']:.0f}億円 a year (an upper scenario: it assumes "
          f"costs beyond the shared systems fall as well).")
    return Finding("targets", "published+derived", ja, en)


def national(load: Loader, use_inferred_label: bool = True) -> list[Finding]:
    """The national report's summary: five findings."""
    return [u_shape(load), small_class_gap(load, use_inferred_label), reported_savings(load), who_joins(load),
            targets(load)]


def prefecture(load: Loader, prefecture: str, use_inferred_label: bool = True) -> list[Finding]:
    """A prefecture report's summary: its membership and rank, the model's expectation, its planned
    joins, and the national under-20k finding."""
    s = load("evidence_membership_shares")
    s = s[(s["as_of"] == "2018-04-01") & (s["by"] == "prefecture")].copy()
    s["rank"] = s["share_pct"].rank(ascending=False, method="min").astype(int)
    me = s.set_index("key").loc[prefecture]
    tied = int((s["rank"] == me["rank"]).sum())
    tie_ja, tie_en = (f"（{tied}都道府県が同率）", f" ({tied} tied)") if tied > 1 else ("", "")
    out = [Finding("prefecture_share", "real",
                   f"{prefecture}の{me['municipalities']}市区町村のうち{me['members']}団体（{me['share_pct']:.1f}%）が"
                   f"自治体クラウドに参加し（平成30年4月）、参加割合は47都道府県中{me['rank']}位{tie_ja}である。",
                   f"{me['members']} of {prefecture}'s {me['municipalities']} municipalities ({me['share_pct']:.1f}%) "
                   f"are in a joint cloud (2018-04), rank {me['rank']} of 47 prefectures{tie_en}.")]
    p = load("evidence_membership_predictions")
    p = p[p["prefecture"] == prefecture]
    expected = float(p["predicted_probability"].sum())
    diff = me["members"] - expected
    ja_cmp = "多い" if diff > 0.05 else ("少ない" if diff < -0.05 else "ほぼ同じである")
    en_cmp = "more" if diff > 0.05 else ("fewer" if diff < -0.05 else "about as many")
    out.append(Finding("prefecture_expected", "derived",
                       f"人口・財政力指数・高齢化率・人口密度・団体区分から参加モデルが見込む参加団体数は{expected:.1f}団体で、"
                       f"実際はそれより{ja_cmp}" + ("。" if ja_cmp.endswith("る") else "。"),
                       f"From population, 財政力指数, ageing, density and kind, the membership model expects "
                       f"{expected:.1f} members; the prefecture has {en_cmp}."))
    planned = load("planned_joins")
    planned = planned[(planned["prefecture"] == prefecture) & (planned["counted_as"] != "undetermined")
                      & ~planned["already_member_2018_04"]]
    out.append(Finding("prefecture_planned", "published+derived",
                       f"加入予定（平成30～35年度）は{len(planned)}団体である。",
                       f"{len(planned)} of its municipalities plan to join between FY2018 and FY2023."))
    out.append(small_class_gap(load, use_inferred_label))
    return out


def group(load: Loader, group_id: int, use_inferred_label: bool = True) -> list[Finding]:
    """A group report's summary: the group, how typical its members are, its case study or planned
    joins, and the national under-20k finding."""
    groups, members = load("cloud_groups"), load("cloud_group_members")
    g = groups.set_index("group_id").loc[group_id]
    name_ja, name_en = (vocab.group_name(group_id, groups, members, lang) for lang in ("ja", "en"))
    out = [Finding("group", "published+real",
                   f"グループ{group_id}（{name_ja}）は{g['prefectures']}の{int(g['matched_members'])}団体から成り、"
                   f"{g['start_fy']}年度に稼働を始めた（構成団体の人口は計{int(g['members_population_2018_01_01_persons']):,}人、"
                   f"平成30年1月1日）。",
                   f"Group {group_id} ({name_en}) has {int(g['matched_members'])} members in {g['prefectures']} and "
                   f"started in FY{g['start_fy']} (members' population {int(g['members_population_2018_01_01_persons']):,}, "
                   f"2018-01-01).")]
    p = load("evidence_membership_predictions")
    mine = p[p["code"].isin(members.loc[members["group_id"] == group_id, "code"])]["predicted_probability"].mean()
    everyone = p.loc[p["member_2018_04_01"], "predicted_probability"].mean()
    out.append(Finding("group_typical", "derived",
                       f"構成団体の予測参加確率の平均は{mine:.2f}で、全国の参加団体の平均{everyone:.2f}"
                       + ("より高い。" if round(mine, 2) > round(everyone, 2) else
                          "より低い。" if round(mine, 2) < round(everyone, 2) else "と同じである。"),
                       f"Its members' mean predicted probability of membership is {mine:.2f}, "
                       + ("above" if round(mine, 2) > round(everyone, 2) else
                          "below" if round(mine, 2) < round(everyone, 2) else "the same as") +
                       f" the {everyone:.2f} of all members."))
    cases = load("case_study_members")
    case = cases.loc[cases["group_id_2018_04"] == group_id, "case"].unique()
    if len(case):
        s = load("case_study_savings")
        s = s[s["case"] == case[0]]
        out.append(Finding("group_case", "published",
                           f"資料の導入事例{case[0]}として削減効果{s['reduction_pct'].min():g}～{s['reduction_pct'].max():g}%"
                           f"（{'、'.join(s['what_as_written'])}）を報告している。" if len(s) > 1 else
                           f"資料の導入事例{case[0]}として削減効果「{s['what_as_written'].iloc[0]}」を報告している。",
                           f"As case study {case[0]} of the document it reports savings of "
                           f"{s['reduction_pct'].min():g}–{s['reduction_pct'].max():g}%." if len(s) > 1 else
                           f"As case study {case[0]} of the document it reports a saving of "
                           f"{s['reduction_pct'].iloc[0]:g}% ({s['what_as_written'].iloc[0]})."))
    else:
        planned = load("planned_joins")
        k = int(((planned["joins_group_id"] == group_id) & ~planned["already_member_2018_04"]).sum())
        out.append(Finding("group_planned", "published+derived",
                           f"このグループへの加入予定（平成30～35年度、未定を含む）は{k}団体である。" if k else
                           "資料の加入予定（平成30～35年度、未定を含む）にこのグループへの加入はない。",
                           f"{k} municipalities plan to join this group (FY2018–FY2023 or undetermined)." if k else
                           "No municipality of the document's planned joins (FY2018–FY2023 or undetermined) joins "
                           "this group."))
    out.append(small_class_gap(load, use_inferred_label))
    return out
