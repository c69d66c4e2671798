"""Stage 4c, findings: the sentences at the top of every report (要旨 / Summary).

Each finding is a short text with its numbers, built from the published, real and evidence tables
(never from the simulated survey). Every number is a :class:`Value` that names the registered table
and columns it quotes, and its kind (公表値, 導出値, 実データ, 推定, 試算) is derived from those columns'
provenance in the registry (:mod:`registry.resources`), never typed: a finding whose numbers share one kind
carries one tag at its end; where kinds differ, each number carries its own. The numbers are
formatted from the tables at render time; nothing here is typed in by hand. Japanese sentences stay
within :data:`MAX_SENTENCE` characters (tags excluded); detail lives in the report's evidence section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

import pandas as pd

from jichitai_cloud.registry import vocab

MAX_SENTENCE = 100  # characters of a Japanese summary sentence, kind tags excluded
KIND_ORDER = tuple(vocab.KIND)
Loader = Callable[[str], pd.DataFrame]


@dataclass(frozen=True)
class Value:
    """One number as shown (``ja``, ``en``) and what it quotes: a registered table's columns; ``inferred``
    when the quoted row rests on the inferred chart-label assignment."""

    ja: str
    en: str
    table: str
    columns: tuple[str, ...]
    inferred: bool = False

    def kinds(self) -> tuple[str, ...]:
        from jichitai_cloud.registry.resources import RESOURCES

        found = set()
        for c in self.columns:
            if c not in RESOURCES[self.table].fields:
                raise KeyError(f"{self.table}.{c} is not a registered column")
            f = RESOURCES[self.table].field(c)
            if f.provenance not in vocab.KIND:
                raise ValueError(f"{self.table}.{c} is a {f.provenance} column, not a figure")
            found.add(f.provenance)
        if self.inferred:
            found.add("inferred")
        return tuple(k for k in KIND_ORDER if k in found)

    def kind(self) -> str:
        return "+".join(self.kinds())


@dataclass(frozen=True)
class Finding:
    """A summary item: ``ja`` / ``en`` templates with ``{0}``, ``{1}``, … for ``values``."""

    key: str
    ja: str
    en: str
    values: tuple[Value, ...] = ()

    @property
    def kind(self) -> str:
        """The union of the quoted columns' kinds, '+'-joined in vocab order."""
        found = {k for v in self.values for k in v.kinds()}
        return "+".join(k for k in KIND_ORDER if k in found)

    @property
    def uniform(self) -> bool:
        return len({v.kind() for v in self.values}) <= 1

    def body(self, lang: str) -> str:
        """The text without kind tags (what the sentence-length rule counts)."""
        return vocab.pick((self.ja, self.en), lang).format(*(vocab.pick((v.ja, v.en), lang) for v in self.values))

    def text(self, lang: str) -> str:
        """The text with its tags: one at the end when every number is of one kind, else one per number."""
        template = vocab.pick((self.ja, self.en), lang)
        space = "" if lang == "ja" else " "
        if self.uniform:
            tag = vocab.kind_tag(self.kind, lang) if self.values else ""
            return template.format(*(vocab.pick((v.ja, v.en), lang) for v in self.values)) + (space + tag if tag
                                                                                                 else "")
        return template.format(*(vocab.pick((v.ja, v.en), lang) + space + vocab.kind_tag(v.kind(), lang)
                                 for v in self.values))

    def sentences(self, lang: str = "ja") -> list[str]:
        """The body split into sentences (。 in Japanese, '. ' in English)."""
        body = self.body(lang)
        parts = re.split(r"(?<=。)" if lang == "ja" else r"(?<=\.)\s+", body)
        return [p for p in parts if p.strip()]


# --- formatting ------------------------------------------------------------------------------------------

def span(lo: float, hi: float, fmt: str = "{:.0f}", unit: str = "") -> tuple[str, str]:
    """A range for readers: ('0～21%', '0–21%'); one number where both ends print the same."""
    a, b = fmt.format(lo), fmt.format(hi)
    if a == b:
        return a + unit, a + unit
    return f"{a}～{b}{unit}", f"{a}–{b}{unit}"


def yen(x: float) -> tuple[str, str]:
    """('11,724円', '11,724 yen')."""
    return f"{x:,.0f}円", f"{x:,.0f} yen"


def oku(lo: float, hi: float) -> tuple[str, str]:
    """A range of 億円 (10⁸ yen): ('386～441億円', '38.6–44.1 billion yen')."""
    ja = span(lo, hi, unit="億円")[0]
    a, b = (("0" if abs(x) < 0.05 else f"{x:,.1f}") for x in (lo / 10, hi / 10))
    return ja, (a if a == b else f"{a}–{b}") + " billion yen"


def v(pair: tuple[str, str], table: str, *columns: str, inferred: bool = False) -> Value:
    return Value(pair[0], pair[1], table, tuple(columns), inferred)


def same(text: str, table: str, *columns: str, inferred: bool = False) -> Value:
    return Value(text, text, table, tuple(columns), inferred)


def class_label(load: Loader, class_id: int) -> tuple[str, str]:
    c = load("published_cost_by_class").set_index("class_id").loc[class_id]
    return c["population_class_ja"], c["population_class_en"]


# --- the numbers the findings read -------------------------------------------------------------------------

def _gap(load: Loader, reading: str, label: bool, floor: bool = False, class_id: int = 1) -> pd.Series:
    g = load("evidence_gaps")
    return g[(g["reading"] == reading) & (g["inferred_label"] == label) & (g["plausibility_floor"] == floor)
             & (g["class_id"] == class_id)].iloc[0]


def reading_values(load: Loader) -> tuple[int, float]:
    """The two single-cloud means of the under-20k class the readings compare with (円): without the
    three least-populous villages (published) and with them (derived)."""
    out = load("published_survey_outliers")
    without = int(out.loc[out["item"] == "per_resident_mean_excluding_least_populous_3", "value_yen"].iloc[0])
    c = load("evidence_cells")
    single = c[(c["reading"] == vocab.WITHOUT_3) & ~c["inferred_label"] & ~c["plausibility_floor"] & (c["class_id"] == 1)
               & (c["cloud_status"] == "single")].iloc[0]
    return without, (single["lower_yen"] + single["upper_yen"]) / 2


def inferred_label(load: Loader) -> pd.Series | None:
    """The one inferred chart-label assignment, if there is exactly one and it is an under-20k cell."""
    a = load("evidence_label_assignments")
    inferred = a[a["inferred"]].drop_duplicates(["value_yen", "class_id", "cloud_status"])
    if len(inferred) == 1 and int(inferred["class_id"].iloc[0]) == 1:
        return inferred.iloc[0]
    return None


def planned_joiners(load: Loader) -> pd.DataFrame:
    """The planned joiners FY2018–FY2023 not yet members in 2018-04 (the projections' 'planned' scenario)."""
    p = load("planned_joins")
    return p[(p["counted_as"] != "undetermined") & ~p["already_member_2018_04"]]


def projection(load: Loader, basis: str, rate_source: str = "all", scenario: str = "planned") -> pd.Series:
    p = load("evidence_projections")
    return p[(p["scenario"] == scenario) & (p["basis"] == basis) & p["class_id"].isna()
             & (p["rate_source"] == rate_source)].iloc[0]


# --- the national summary --------------------------------------------------------------------------------

def conclusion(load: Loader) -> Finding:
    """The one line a researcher can quote: what the figures say about joint cloud's cost."""
    a, b = _gap(load, vocab.WITHOUT_3, False), _gap(load, vocab.WITH_3, False)
    w = load("evidence_weighted_bounds")
    hits = w[(w["pool"] == "list_2018") & (w["comparison"] == "not_joint") & w["informative"]].sort_values("class_id")
    values = [same(f"{a['gap_high_pct']:.0f}%", "evidence_gaps", "gap_high_pct"),
              same(f"{b['gap_high_pct']:.0f}%", "evidence_gaps", "gap_high_pct")]
    if hits.empty:
        return Finding("conclusion",
                       "公表値が示すのは、自治体クラウドの経費が全区分で最も低いことまでである。差の幅が限られるのは２万人未満"
                       "（単純平均で最大{0}、読み方により{1}）だけである。",
                       "The published figures show only that joint cloud costs least in every class; they bound the "
                       "gap under 20k alone (simple means: at most {0}, or {1} read the other way).", tuple(values))
    r = hits.iloc[0]
    lab = class_label(load, int(r["class_id"]))
    values.append(same(f"{r['gap_low_pct']:.1f}%", "evidence_weighted_bounds", "gap_low_pct"))
    return Finding("conclusion",
                   f"公表値が示すのは、自治体クラウドの経費が全区分で最も低いことまでである。差の幅が限られるのは２万人未満"
                   f"（単純平均で最大{{0}}、読み方により{{1}}）と、一覧を前提とした{lab[0]}（人口加重で{{2}}以上）だけである。",
                   f"The published figures show only that joint cloud costs least in every class; they bound the gap "
                   f"in two classes alone: under 20k (simple means: at most {{0}}, or {{1}} read the other way) and, on "
                   f"the group list's premise, {lab[1]} (population-weighted: at least {{2}}).", tuple(values))


def class_means(load: Loader) -> Finding:
    """Mean cost per resident: the smallest class, the lowest class and the largest class (published)."""
    cost = load("published_cost_by_class").sort_values("class_id").reset_index(drop=True)
    low = cost.loc[cost["it_cost_per_resident_mean_yen"].idxmin()]
    first, last = cost.iloc[0], cost.iloc[-1]

    def mean_of(r):
        return v(yen(int(r["it_cost_per_resident_mean_yen"])), "published_cost_by_class",
                 "it_cost_per_resident_mean_yen")

    return Finding("class_means",
                   f"住民一人当たり経費の区分平均（区分内の市区町村の単純平均）は「{first['population_class_ja']}」で{{0}}、"
                   f"「{low['population_class_ja']}」で{{1}}と最も低く、「{last['population_class_ja']}」で{{2}}である。",
                   f"Mean IT cost per resident (the simple mean over a class's municipalities) is {{0}} "
                   f"{first['population_class_en']}, lowest at {{1}} in {low['population_class_en']}, and {{2}} in "
                   f"{last['population_class_en']}.",
                   (mean_of(first), mean_of(low), mean_of(last)))


def small_class_gap(load: Loader) -> Finding:
    """The under-20k joint/no-cloud gap the published figures allow, under both readings."""
    a, b = _gap(load, vocab.WITHOUT_3, False), _gap(load, vocab.WITH_3, False)
    without, pinned = reading_values(load)
    return Finding("small_class_gap",
                   "２万人未満では、自治体クラウドの平均は未導入より最大{0}低い。資料の「単独クラウドが未導入より高い」を"
                   "下位3団体を含む平均との比較と読めば最大{1}となる。",
                   "Under 20k, the joint-cloud mean is at most {0} below no cloud; reading the document's 'single above "
                   "no cloud' against the single-cloud mean with the three smallest villages, at most {1}.",
                   (same(f"{a['gap_high_pct']:.0f}%", "evidence_gaps", "gap_high_pct"),
                    same(f"{b['gap_high_pct']:.0f}%", "evidence_gaps", "gap_high_pct")))


def label_gap(load: Loader) -> Finding | None:
    """The gap if the chart label 9,820円 is the under-20k joint-cloud bar (inferred)."""
    r = inferred_label(load)
    if r is None:
        return None
    c = load("evidence_cells")
    none = c[(c["reading"] == vocab.WITHOUT_3) & c["inferred_label"] & c["plausibility_floor"] & (c["class_id"] == 1)
             & (c["cloud_status"] == "none")].iloc[0]
    lab = _gap(load, vocab.WITHOUT_3, True, True)
    mid = (none["lower_yen"] + none["upper_yen"]) / 2
    return Finding("label_gap",
                   "グラフの数値{0}を、妥当性の下限のもとで唯一当てはまる２万人未満の自治体クラウドの棒とみなすと、"
                   "未導入は約{1}、差は{2}である。",
                   "Taking the chart label {0} as the under-20k joint-cloud bar, the only bar it fits under the "
                   "plausibility floor, no cloud is about {1} and the gap {2}.",
                   (v((f"{r['value_as_written']}円", f"{r['value_as_written']} yen"), "published_chart_labels",
                      "value_yen"),
                    v(yen(mid), "evidence_cells", "lower_yen", "upper_yen", inferred=True),
                    same(f"{lab['gap_low_pct']:.1f}%", "evidence_gaps", "gap_low_pct", inferred=True)))


def weighted(load: Loader) -> Finding:
    """What the per-municipality ordering says about population-weighted cost per resident."""
    w = load("evidence_weighted_bounds")
    w = w[(w["pool"] == "list_2018") & (w["comparison"] == "not_joint")]
    hits = w[w["informative"]].sort_values("class_id")
    if hits.empty:
        return Finding("weighted",
                       "一団体当たり経費の大小関係と実人口からは、人口で重み付けた一人当たり経費の差はどの区分でも限定されない。",
                       "The per-municipality ordering and the real populations bound the population-weighted gap in "
                       "no class.")
    labels = [class_label(load, int(k)) for k in hits["class_id"]]
    vals = tuple(same(f"{r['gap_low_pct']:.1f}%", "evidence_weighted_bounds", "gap_low_pct")
                 for _, r in hits.iterrows())
    ja = "、".join(f"「{lab[0]}」で{{{i}}}" for i, lab in enumerate(labels))
    en = ", ".join(f"by at least {{{i}}} in {lab[1]}" for i, lab in enumerate(labels))
    return Finding("weighted",
                   f"調査の自治体クラウドが平成30年4月の一覧の団体なら、一団体当たり経費の大小関係と実人口から、人口で重み付けた"
                   f"一人当たり経費は{ja}以上低い。",
                   f"If the survey's joint-cloud municipalities are members of the 2018-04 list, the per-municipality "
                   f"ordering and the real populations put their population-weighted cost per resident below the "
                   f"others' {en}; no other class is bounded.", vals)


def reported_savings(load: Loader) -> Finding:
    s = load("evidence_savings")
    mean = s[s["measure"] == "mean_saving"]
    groups = int(load("savings_56_groups")["groups"].sum())
    lo, hi = float(mean["lower_pct"].min()), float(mean["upper_pct"].max())
    return Finding("reported_savings",
                   f"{groups}グループが共同化したシステムについて報告した削減率の平均は{{0}}である（費用が増えたグループはない"
                   "とみなす）。",
                   f"The mean saving {groups} groups report for the systems they share is {{0}} (assuming no group's "
                   "costs rose).",
                   (v(span(lo, hi, unit="%"), "evidence_savings", "lower_pct", "upper_pct"),))


def who_joins(load: Loader) -> Finding:
    s = load("evidence_membership_shares")
    s = s[(s["as_of"] == vocab.LIST_DATE) & (s["by"] == "class")].sort_values("key")
    first, last = s.iloc[0], s.iloc[-1]
    e = load("evidence_membership_effects")
    e = e[(e["as_of"] == vocab.LIST_DATE) & (e["change"] == "log_pop_c")].iloc[0]
    lo, hi = sorted((-e["ci_low_pct_points"], -e["ci_high_pct_points"]))
    return Finding("who_joins",
                   "参加割合は２万人未満で{0}、30万人以上で{1}である（平成30年4月）。財政力指数などが同じなら、人口が2倍の"
                   "団体の参加確率は{2}ポイント（95%信頼区間{3}）低い。",
                   "{0} of municipalities under 20k are in a joint cloud (2018-04) against {1} of those of 300k and "
                   "over; at equal fiscal strength and other covariates, one twice as populous is {2} points "
                   "(95% CI {3}) less likely to be a member.",
                   (same(f"{first['share_pct']:.0f}%", "evidence_membership_shares", "share_pct"),
                    same(f"{last['share_pct']:.1f}%", "evidence_membership_shares", "share_pct"),
                    same(f"{-e['ame_pct_points']:.1f}", "evidence_membership_effects", "ame_pct_points"),
                    v(span(lo, hi, "{:.1f}"), "evidence_membership_effects", "ci_low_pct_points",
                      "ci_high_pct_points")))


def targets(load: Loader) -> Finding:
    tracker = load("adoption_tracker").sort_values("fiscal_year")
    end = tracker.iloc[-1]
    target, projected = int(end["joint_cloud_target"]), int(end["joint_cloud_projected"])
    return Finding("targets",
                   f"加入予定がすべて実現しても{int(end['fiscal_year'])}年度末の自治体クラウドは{{0}}で、目標の約{{1}}に"
                   "{2}届かない。",
                   f"Even if every planned join happens, joint cloud reaches {{0}} by the end of "
                   f"FY{int(end['fiscal_year'])}, {{2}} short of the target of about {{1}}.",
                   (v((f"{projected:,}団体", f"{projected:,} municipalities"), "adoption_tracker", "joint_cloud_projected"),
                    v((f"{target:,}団体", f"{target:,}"), "adoption_tracker", "joint_cloud_target"),
                    v((f"約{target - projected:,}団体", f"about {target - projected:,}"), "adoption_tracker",
                      "joint_cloud_target", "joint_cloud_projected")))


def projections_summary(load: Loader) -> Finding:
    """The planned joiners' cost, and two scenarios over all of them: the reported rate, and the class gaps
    with the part only the plausibility floor bounds shown apart."""
    rep = projection(load, "reported")
    fig = projection(load, vocab.gap_basis(vocab.WITHOUT_3), "published_figures")
    other = projection(load, vocab.gap_basis(vocab.WITH_3), "published_figures")
    flo = projection(load, vocab.gap_basis(vocab.WITHOUT_3), "plausibility_floor")
    n = int(round(rep["new_members"]))
    return Finding("projections",
                   f"加入予定{n}団体の年間経費を区分の一人当たり経費で見積もると{{0}}で、グループの報告した削減率で経費全体が"
                   f"下がるなら年{{1}}減る。区分内の差を当てはめた額は２万人未満の{int(round(fig['new_members']))}団体で年"
                   f"{{2}}（読み方により{{3}}）、他の{int(round(flo['new_members']))}団体は公表値が差を限らず仮定しだいである。",
                   f"Costed at their class's cost per resident, the {n} planned joiners spend {{0}} a year; if their "
                   f"whole cost fell by the rate groups report, it would fall by {{1}} a year. The class gap gives "
                   f"{{2}} (or {{3}} read the other way) for the {int(round(fig['new_members']))} under 20k; for the "
                   f"other {int(round(flo['new_members']))} the figures do not bound it, so any amount rests on "
                   f"assumption.",
                   tuple(v(oku(r[f"{what}_low_oku_yen"], r[f"{what}_high_oku_yen"]), "evidence_projections",
                           f"{what}_low_oku_yen", f"{what}_high_oku_yen")
                         for r, what in ((rep, "base_cost"), (rep, "saving"), (fig, "saving"), (other, "saving"))))


def validation_summary(load: Loader) -> Finding:
    """How well the chosen model foresaw the planned joins, against the size-only baseline."""
    v_ = load("evidence_membership_validation")
    v_ = v_[v_["fit_as_of"] == vocab.LIST_DATE].set_index("model")
    chosen = v_[v_["chosen"]].iloc[0]
    size = v_.loc["size_logit"]
    name = vocab.VALIDATED_MODELS_IN_TEXT[str(v_[v_["chosen"]].index[0])]
    table = "evidence_membership_validation"
    return Finding("validation",
                   f"{name[0]}は、平成30年4月以後の加入予定をAUC{{0}}（95%信頼区間{{1}}）で見分け、人口だけのモデルの{{2}}と"
                   "ほとんど変わらない。",
                   f"Fitted on 2018-04, {name[1]} tells the later planned joiners apart with an AUC of {{0}} (95% CI "
                   f"{{1}}), hardly better than population alone ({{2}}).",
                   (same(f"{chosen['auc']:.2f}", table, "auc"),
                    v(span(chosen["auc_ci_low"], chosen["auc_ci_high"], "{:.2f}"), table, "auc_ci_low", "auc_ci_high"),
                    same(f"{size['auc']:.2f}", table, "auc")))


def national(load: Loader, use_inferred_label: bool = True) -> list[Finding]:
    """The national report's summary: the one-line conclusion first, then the figures behind it."""
    out = [conclusion(load), class_means(load), small_class_gap(load)]
    label = label_gap(load) if use_inferred_label else None
    if label is not None:
        out.append(label)
    return out + [weighted(load), reported_savings(load), who_joins(load), validation_summary(load), targets(load),
                  projections_summary(load)]


# --- prefecture and group summaries ----------------------------------------------------------------------

def _national_context(load: Loader) -> Finding:
    c = conclusion(load)
    return Finding("national_context", c.ja.replace("公表値が示すのは", "全国の公表値が示すのは", 1),
                   "Nationally, the published figures" + c.en[len("The published figures"):], c.values)


def prefecture(load: Loader, prefecture: str, use_inferred_label: bool = True) -> list[Finding]:
    """A prefecture report's summary: its membership and rank, the range the membership model predicts for
    it, its planned joins, and the national conclusion."""
    s = load("evidence_membership_shares")
    s = s[(s["as_of"] == vocab.LIST_DATE) & (s["by"] == "prefecture")].copy()
    s["rank"] = s["share_pct"].rank(ascending=False, method="min").astype(int)
    me = s.set_index("key").loc[prefecture]
    tied = int((s["rank"] == me["rank"]).sum())
    tie_ja, tie_en = (f"、{tied}都道府県が同率", f", {tied} tied") if tied > 1 else ("", "")
    out = [Finding("prefecture_share",
                   f"{prefecture}では{{0}}が自治体クラウドに参加し（平成30年4月）、参加割合{{1}}である。",
                   f"In {vocab.prefecture_name(prefecture, 'en')}, {{0}} are in a joint cloud (2018-04): a share of "
                   "{1}.",
                   (v((f"{me['municipalities']}団体中{me['members']}団体",
                       f"{me['members']} of {me['municipalities']} municipalities"), "evidence_membership_shares",
                      "municipalities", "members"),
                    v((f"{me['share_pct']:.1f}%は47都道府県中{me['rank']}位{tie_ja}",
                       f"{me['share_pct']:.1f}%, rank {me['rank']} of 47 prefectures{tie_en}"),
                      "evidence_membership_shares", "share_pct")))]
    r = load("evidence_membership_prefecture_ranges").set_index("prefecture").loc[prefecture]
    where_ja = {"above": "実際の数はこれを上回る", "below": "実際の数はこれを下回る", "within": "実際の数は範囲内にある"}
    where_en = {"above": "the actual count lies above it", "below": "the actual count lies below it",
                "within": "the actual count lies within it"}
    out.append(Finding("prefecture_expected",
                       f"都道府県間のばらつきを含めた参加モデルの見込みは{{0}}で、{where_ja[r['position']]}。",
                       f"The membership model, with the usual spread between prefectures, expects {{0}}; "
                       f"{where_en[r['position']]}.",
                       (v((f"{r['expected_members']:.1f}団体（95%予測範囲{r['range_low']}～{r['range_high']}団体）",
                           f"{r['expected_members']:.1f} members (95% predictive range {r['range_low']}–"
                           f"{r['range_high']})"), "evidence_membership_prefecture_ranges", "expected_members",
                          "range_low", "range_high"),)))
    n = int((planned_joiners(load)["prefecture"] == prefecture).sum())
    j = load("evidence_prefecture_join_ranges").set_index("prefecture").loc[prefecture]
    where_ja = {"above": "を上回る", "below": "を下回る", "within": "の範囲内にある"}[j["position"]]
    where_en = {"above": "above", "below": "below", "within": "within"}[j["position"]]
    name = vocab.VALIDATED_MODELS_IN_TEXT[str(j["model"])]
    out.append(Finding("prefecture_planned", f"加入予定（平成30～35年度）は{{0}}で、{name[0]}の見込み{{1}}{where_ja}。",
                       f"{{0}} plan to join between FY2018 and FY2023, {where_en} what {name[1]} expects, {{1}}.",
                       (v((f"{n}団体", f"{n} of its municipalities" if n != 1 else "1 of its municipalities"),
                          "planned_joins", "name_as_written", "already_member_2018_04"),
                        v((f"{j['expected_joiners']:.1f}団体（95%予測範囲{j['range_low']}～{j['range_high']}団体）",
                           f"{j['expected_joiners']:.1f} (95% predictive range {j['range_low']}–{j['range_high']})"),
                          "evidence_prefecture_join_ranges", "expected_joiners", "range_low", "range_high"))))
    out.append(_national_context(load))
    return out


def group(load: Loader, group_id: int, use_inferred_label: bool = True) -> list[Finding]:
    """A group report's summary: the group, how typical its members are, its case study or planned joins,
    and the national conclusion."""

    groups, members = load("cloud_groups"), load("cloud_group_members")
    g = groups.set_index("group_id").loc[group_id]
    name_ja, name_en = (vocab.group_name(group_id, groups, members, lang) for lang in ("ja", "en"))
    pop = int(g["members_population_2018_01_01_persons"])
    out = [Finding("group",
                   f"グループ{group_id}（{name_ja}）は{g['prefectures']}の{{0}}から成り、{{1}}に稼働を始めた。"
                   "構成団体の人口は計{2}である（平成30年1月1日）。",
                   f"Group {group_id} ({name_en}) has {{0}} in {vocab.prefecture_name(g['prefectures'], 'en')} and "
                   "started in {1}; its members' population is {2} (2018-01-01).",
                   (v((f"{int(g['stated_members'])}団体", f"{int(g['stated_members'])} members"), "cloud_groups",
                      "stated_members"),
                    v((f"平成{g['start_year_as_written'][1:]}年度", f"FY{g['start_fy']}"), "cloud_groups",
                      "start_year_as_written"),
                    v((f"{pop:,}人", f"{pop:,}"), "cloud_groups", "members_population_2018_01_01_persons")))]
    p = load("evidence_membership_predictions")
    mine = p[p["code"].isin(members.loc[members["group_id"] == group_id, "code"])]["predicted_probability"].mean()
    everyone = p.loc[p["member_2018_04_01"], "predicted_probability"].mean()
    cmp_ja = "より高い" if round(mine, 2) > round(everyone, 2) else ("より低い" if round(mine, 2) < round(everyone, 2)
                                                                   else "と同じである")
    cmp_en = "above" if round(mine, 2) > round(everyone, 2) else ("below" if round(mine, 2) < round(everyone, 2)
                                                                  else "the same as")
    out.append(Finding("group_typical", f"構成団体の予測参加確率の平均は{{0}}で、全国の参加団体の平均{{1}}{cmp_ja}。",
                       f"Its members' mean predicted probability of membership is {{0}}, {cmp_en} the {{1}} of all "
                       "members.",
                       (same(f"{mine:.2f}", "evidence_membership_predictions", "predicted_probability"),
                        same(f"{everyone:.2f}", "evidence_membership_predictions", "predicted_probability"))))
    cases = load("case_study_members")
    case = cases.loc[cases["group_id_2018_04"] == group_id, "case"].unique()
    if len(case):
        s = load("case_study_savings")
        s = s[s["case"] == case[0]]
        rate = span(s["reduction_pct"].min(), s["reduction_pct"].max(), "{:g}", "%")
        out.append(Finding("group_case", f"資料の導入事例{case[0]}として削減効果{{0}}を報告している。",
                           f"As case study {case[0]} of the document it reports savings of {{0}}.",
                           (v(rate, "case_study_savings", "reduction_pct"),)))
    else:
        planned = load("planned_joins")
        k = int(((planned["joins_group_id"] == group_id) & ~planned["already_member_2018_04"]).sum())
        out.append(Finding("group_planned", "このグループへの加入予定（平成30～35年度、未定を含む）は{0}である。",
                           "{0} plan to join this group (FY2018–FY2023 or undetermined).",
                           (v((f"{k}団体", f"{k} municipalities" if k != 1 else "1 municipality"), "planned_joins",
                              "group_as_written", "already_member_2018_04"),)) if k else
                   Finding("group_planned", "資料の加入予定（平成30～35年度、未定を含む）にこのグループへの加入はない。",
                           "No municipality of the document's planned joins (FY2018–FY2023 or undetermined) joins "
                           "this group."))
    out.append(_national_context(load))
    return out
