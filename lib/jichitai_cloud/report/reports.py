"""Stage 6b, reports: what a report shows, as an ordered list of sections per scope.

``notebooks/report.ipynb`` is the single template of every report. It sets parameters, makes the
report (:func:`make`), shows its header (title, 要旨 / Summary, sources) and then its sections
one cell each (``report.section(k)``; a report with fewer sections leaves the last cells
empty). Each scope is its own class with its own list of sections (:class:`NationalReport`,
:class:`PrefectureReport`, :class:`GroupReport`); section, sub-section and table numbers are
computed from that list as the report is shown, and every text is a (ja, en) pair in ``TEXT``.

What the published figures imply comes first: the summary's findings (:mod:`findings`) and,
in the national report, the evidence section (:mod:`evidence`, :mod:`membership`); the simulated
survey appears only afterwards, as a check of the method. :func:`jobs.validate_parameters` checks
untrusted parameters, e.g. from a scheduler, before any kernel starts; rendering is in
:mod:`jichitai_cloud.report.render`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pandas as pd
from IPython.display import Markdown, display

from jichitai_cloud.analysis import checks, findings
from jichitai_cloud.report import jobs, plots
from jichitai_cloud.clean import municipalities, published
from jichitai_cloud.io import store
from jichitai_cloud import survey
from jichitai_cloud.registry import vocab
from jichitai_cloud.report.display import show, show_figure, show_labelled, styled

LANGS = vocab.LANGS


def title(params: dict) -> str:
    """The report's title (see :func:`jobs.title`)."""
    return jobs.title(params)


# --- text: one (ja, en) pair per key ---------------------------------------------------------------------

TEXT: dict[str, tuple[str, str]] = {
    "summary_h": ("## 要旨", "## Summary"),
    "contents_h": ("**目次**", "**Contents**"),
    "summary_note": ("以上はいずれも公表値・実データとそれらからの導出値で、シミュレーションの数値は含まない。推定した割当てによる"
                     "数値は［推定］、仮定した率による数値は［試算］と記す。差は異なる団体の横断比較で、加入による削減を示すものではない。",
                     "Every finding above comes from published figures and real data, or is derived from them; none "
                     "comes from the simulation. Numbers resting on the inferred chart label say [inferred], those "
                     "resting on an assumed rate say [scenario]. Gaps compare different municipalities: they are not "
                     "savings caused by joining."),
    "provenance": (
        "**データの出所**　{citation}。利用条件：政府標準利用規約（第2.0版）、CC BY 4.0 互換。"
        "人口等は総務省「住民基本台帳に基づく人口」、独立行政法人統計センター「SSDSE」、総務省「地方公共団体の主要財政指標一覧」"
        "（実データ）。\n\n"
        "**値の区分**　［公表値］総務省が公表した数値（PDF から抽出したテキストから転記し、資料中の合計と照合した）。"
        "［導出値］公表値・実データから本リポジトリが計算した値。［実データ］市区町村別の公的統計。"
        "［推定］公表値から推定したが公表されていない割当て。［試算］仮定した率を当てはめた値（推定ではない）。"
        "［シミュレーション］公表集計値に合わせて較正した模擬データ（方法の検証にのみ用いる）。公表値・実データ相互の照合 {n_checks} 件中 {n_ok} 件一致{mismatch_note}。",
        "**Sources**: {citation}. Licence: 政府標準利用規約 (2.0), compatible with CC BY 4.0. Population and "
        "covariates: MIC 住民基本台帳, 統計センター SSDSE, MIC 主要財政指標一覧 (real data).\n\n"
        "**Kinds of figures**: [published] figures published by MIC (typed from the PDF-extracted text and checked "
        "against the totals it states); [derived] computed here from published or real figures; [real] official "
        "per-municipality statistics; [inferred] an assignment inferred from published figures, not published; "
        "[scenario] an assumed rate applied (not an estimate); "
        "[simulated] data calibrated to the published aggregates, used only to check the method. {n_ok} of "
        "{n_checks} checks of published and real figures against each other agree{mismatch_note}."),
    "mismatch_note": ("。不一致 {n_bad} 件は全国レポートの第{k}節に理由とともに示す",
                      "; section {k} of the national report explains each of the {n_bad} mismatches"),
    "table": ("表{n}　{caption}", "Table {n}. {caption}"),
    "start_fmt": ("{written}（{fy}年度）", "{written} (FY{fy})"),
    "fe_hidden": ("（都道府県の固定効果{n}項は省略）", " ({n} prefecture effects not shown)"),
    "by_construction": (
        "**この削減額はシミュレーションの仮定を映すだけである。** 模擬データは自治体クラウドの効果を同じ人口で"
        "{effect}と仮定して生成しており、推定はその仮定を取り戻し、削減額はそれを未導入団体の模擬経費に当てはめた値になる。"
        "市区町村についての所見ではない。",
        "**This saving only mirrors the simulation's assumption.** The simulated data are generated with a joint-cloud "
        "effect of {effect} at equal population; the estimate recovers it and the saving applies it to the no-cloud "
        "municipalities' simulated costs. It is not a finding about municipalities."),
    "rank_fmt": ("{rank}位", "{rank}"), "rank_tied": ("（{n}都道府県が同率）", " ({n} prefectures tied)"),
    "yes": ("参加", "member"), "planned_fy": ("{fy}年度に加入予定", "plans to join in FY{fy}"),
    "planned_undetermined": ("加入予定（時期未定）", "plans to join (date undetermined)"),
    "actual": ("実績", "actual"), "target": ("目標", "target"),
    # section headings
    "h_evidence": ("公表値が示す自治体クラウドの経費", "What the published figures say about joint cloud"),
    "h_totals": ("調査結果の全国値［公表値］", "National figures of the survey [published]"),
    "h_cost_by_class": ("人口規模区分別の経費", "Cost by population class"),
    "h_status_counts": ("クラウド導入状況別の団体数［公表値］", "Municipalities by cloud status [published]"),
    "h_adoption": ("クラウド導入市区町村数の推移と目標", "Cloud adoption over time and targets"),
    "h_groups": ("自治体クラウドグループ［公表値］", "Joint-cloud groups [published]"),
    "h_method": ("方法の検証：シミュレーションによる回帰分析", "Checking the method: regression on the simulated survey"),
    "h_method_reported": ("回帰分析：人口をそろえた導入状況別の比較", "Regression: cloud status at equal population"),
    "h_reconciliation": ("公表値・実データの照合", "Reconciliation of published and real figures"),
    "h_pref_overview": ("概要", "Overview"),
    "h_pref_municipalities": ("市区町村", "Municipalities"),
    "h_pref_position": ("全国の中での位置", "Among prefectures"),
    "h_pref_saving": ("自治体クラウドに参加していない団体の経費に効果を仮定した場合（試算）",
                      "If the non-members' cost changed by an assumed effect (scenario)"),
    "h_group_overview": ("概要", "Overview"),
    "h_group_members": ("構成団体", "Members"),
    "h_group_compare": ("同規模の非参加団体との比較", "Against non-members of similar size"),
    # evidence
    "ev_intro": (
        "この節は公表値と実データだけを用いる。市区町村別の経費は公表されていないため、資料の数値が許す範囲を示す。",
        "This section uses published figures and real data only. Per-municipality costs were not published, so it "
        "shows the range the document's numbers allow."),
    "ev_cells_h": ("区分×導入状況の平均がとりうる範囲", "The range of each class × status mean"),
    "ev_cells_note": (
        "区分平均（公表値）は区分内の市区町村の一人当たり経費の単純平均なので、導入状況別の団体数（公表値）を重みとした"
        "3つの平均の加重平均が区分平均に等しい。これに資料が述べる大小関係（全区分で自治体クラウドが最も低い、「２万人未満」"
        "「20～30万人未満」「30万人以上」では単独クラウドが未導入より高い）、それ以外の3区分では単独クラウドが未導入を上回らない"
        "という読み、下位3団体の値と{without:,}円から定まる２万人未満の単独クラウドの平均（約{pinned:,.0f}円）を加え、"
        "公表値の丸め（±0.5円）を区間として扱い、線形計画法で各平均と比の範囲を求めた。２万人未満の「単独クラウドが未導入より"
        "高い」は{without:,}円との比較とも約{pinned:,.0f}円との比較とも読めるため、両方を示す。２万人未満以外の区分では、"
        "公表値は「自治体クラウドが最も低い」以上に差を限定しない。",
        "The published class mean is the simple mean of its municipalities' cost per resident, so the three status "
        "means weighted by the published status counts average to it. With the orderings the text states (joint "
        "cloud lowest in every class; single above no cloud under 20k, 200k–300k and 300k and over), the reading "
        "that single is not above no cloud in the other three classes, and the under-20k single-cloud mean fixed by "
        "the three outliers and the {without:,} yen mean (≈{pinned:,.0f} yen), each published integer carried as an "
        "interval (± 0.5), linear programming gives the range of every mean and ratio. 'Single above no cloud' under "
        "20k can compare with {without:,} yen or with ≈{pinned:,.0f} yen: both readings are shown. Outside the smallest "
        "class the published figures bound the gap no further than 'joint cloud is lowest'."),
    "ev_cells_caption": ("自治体クラウドの平均が未導入より低い幅（%）がとりうる範囲", "How far the joint-cloud mean can lie "
                         "below the no-cloud mean (%)"),
    "ev_gap_without": ("読み：{without:,}円と比較", "reading: against {without:,} yen"),
    "ev_gap_with": ("読み：約{pinned:,.0f}円と比較", "reading: against ≈{pinned:,.0f} yen"),
    "ev_gap_floor": ("妥当性の下限を課した場合", "with the plausibility floor"),
    "ev_gap_label": ("推定した割当てを使用", "with the inferred label"),
    "ev_interval_note": ("「限定なし」は、公表値が0～100%のどの差も許すこと。妥当性の下限を課した列の上限70%は、導入事例の最大の削減率"
                         "（70%）から置いた仮定で決まり、公表値によるものではない。端の値は資料の大小関係が厳密なため達成されない"
                         "ことがある（詳細は data/processed/evidence_gaps）。",
                         "'Not bounded' means the published figures allow any gap from 0 to 100%. The 70% top of the "
                         "column with the plausibility floor comes from an assumption (the largest case-study saving, "
                         "70%), not from the figures. An end may not be attained, the stated orderings being strict "
                         "(details in data/processed/evidence_gaps)."),
    "ev_not_bounded": ("限定なし", "not bounded"),
    "population_class": ("人口規模区分", "population class"),
    "none_word": ("なし", "none"),
    "ev_weighted_h": ("一団体当たり経費の大小関係から言えること（人口で重み付けた一人当たり経費）",
                      "What the per-municipality ordering says (population-weighted cost per resident)"),
    "ev_weighted_note": (
        "資料は一団体当たり経費について「全人口規模区分において自治体クラウド導入団体の経費が最も低い」と述べる。自治体クラウドの"
        "一団体当たり平均が最も低ければ、区分全体の一団体当たり平均よりも低い。このとき、人口で重み付けた住民一人当たり経費"
        "（総経費÷総人口）の比（自治体クラウド÷それ以外）は、それ以外の団体の平均人口÷自治体クラウドの団体の平均人口を下回る"
        "（区分の総経費は約分されるため、その丸めは影響しない）。調査の自治体クラウドの団体は名前が公表されていないため、"
        "平成30年4月の一覧の参加団体のうち人口の少ない団体を数えたとする最も不利な場合の上限を示す。億円の数値に必要なのはこの"
        "人口で重み付けた値である。一人当たり経費のグラフ（単純平均）は各団体の経費の和を人口を通じてしか制約しないため、"
        "両方を合わせた上限も示した。上限が1を下回り差が言えるのは、{informative}だけである。",
        "The document states that 'in every population class the joint-cloud municipalities' cost per municipality "
        "is the lowest'. If the joint-cloud mean per municipality is lowest, it is below the class's mean. Then the "
        "ratio of population-weighted cost per resident (total cost ÷ total population), joint cloud ÷ the others, is "
        "below the others' mean population ÷ the joint-cloud members' mean population (the class total cancels, so "
        "its rounding does not matter). The survey does not name its joint-cloud municipalities, so the bound is the "
        "least favourable one: the survey counted the least populous members of the 2018-04 list. This "
        "population-weighted figure is what totals in yen need. The per-resident chart (simple means) constrains the "
        "members' total cost only through their populations; the bound from both charts is shown too. The bound "
        "falls below 1, so that a gap can be stated, only in {informative}."),
    "ev_weighted_caption": ("人口で重み付けた住民一人当たり経費の比（自治体クラウド÷それ以外）の上限",
                            "Upper bound on population-weighted cost per resident, joint cloud ÷ the others"),
    "ev_weighted_more": ("前提は、調査の自治体クラウドの団体が区分ごとに平成30年4月の一覧の参加団体に含まれること。20～30万人未満では"
                         "一覧の団体数が調査の数と等しく（2団体）、前提がそれを定める。区分内のどの団体でもよいとすると、上限が1を"
                         "下回る区分は{any}。開始年度から平成29年4月1日の参加団体（379団体）から選ぶ場合：{start}。比較の相手をクラウド"
                         "未導入に限る場合：{none}。全体は data/processed/evidence_weighted_bounds にある。",
                         "The premise: the survey's joint-cloud municipalities are members of the 2018-04 list, class by "
                         "class. In 200k–300k the list has exactly as many as the survey counts (2), so the premise fixes "
                         "them. Taking them from any municipality of the class instead, the classes whose bound is below 1: "
                         "{any}. From the 379 of 2017-04-01 (start years): {start}. Against no cloud alone: {none}. Every "
                         "row is in data/processed/evidence_weighted_bounds."),
    "ev_labels_h": ("グラフの数値の割当て", "The chart's stray labels"),
    "ev_labels_note": (
        "抽出テキストには一人当たり経費のグラフから4つの数値（{labels}）が残るが、どの棒の値かは分からない。各数値を18の"
        "区分・導入状況に当てはめ、上の制約のもとで成り立つか（算術上）、さらに同じ区分の他の平均の{floor:.0%}を下回らない"
        "（導入事例の最大の削減率{cut:.0%}から）という妥当性の下限のもとで成り立つかを調べた。{inferred}同じ行の3つの数値は、"
        "どの区分の3本の棒とみなしても区分平均を再現しない。割当ては推定であり公表値ではない。",
        "The extracted text keeps four numbers from the per-resident chart ({labels}) without saying which bars they "
        "label. Each was tried against the 18 class × status cells: does it fit the constraints above (arithmetic), and "
        "with a plausibility floor, no mean below {floor:.0%} of another in its class (from the largest case-study "
        "saving, {cut:.0%})? {inferred}The three numbers on one line reproduce no class mean as one class's three "
        "bars, in any order. An assignment is inferred, never published."),
    "ev_labels_inferred": ("{value}円が妥当に当てはまるのは{cell}だけである（下限を{low:.2f}超{high:.2f}以下のどこに置いても同じ）。",
                           "{value} yen fits plausibly only {cell} (for any floor above {low:.2f} and up to {high:.2f}). "),
    "ev_labels_caption": ("グラフの数値ごとの当てはまる区分・導入状況", "Where each chart label fits"),
    "ev_labels_fits": ("妥当に当てはまる", "fits plausibly"),
    "ev_labels_arith": ("算術上のみ当てはまる（妥当性の下限で除外）", "fits arithmetically only (excluded by the floor)"),
    "ev_savings_h": ("報告された削減効果", "Reported savings"),
    "ev_savings_note": (
        "資料は{month}時点の{groups}グループの削減率を区分別の件数で示す（打切りデータ）。平均は各グループを区分の下限・上限に"
        "置いて範囲で示す。下限は「２割未満」を0%、「確認中」を0%とし、費用が増えたグループはないとみなす。導入事例の削減率は、運用費か総費用か、何年分か、見込みか実績かがまちまちである。資料の「運用"
        "コストが３割程度削減可能」はグループの報告と整合する。しかしグループの削減率は共同化したシステムについての自己申告で"
        "あり、調査の情報システム経費は基幹系と内部管理系、整備費と運用費を含み、異なる団体を比べる。削減が共同化したシステム"
        "に限られるなら調査全体での差はこれより小さく、一方で導入事例dのように初期費用の削減が運用費より大きい例もあるため、"
        "両者が一致するとは限らない。",
        "The document gives the savings of the {groups} groups of {month} as counts per bin (censored data), so the mean is "
        "a range: each group at its bin's lower or upper bound. The lower end counts 'under 20%' and the groups "
        "not yet confirmed as 0%: it assumes no group's costs rose. The case studies' savings differ in basis: running or "
        "total cost, number of years, projected or achieved. The document's 「運用コストが３割程度削減可能」 agrees with "
        "the groups' reports. But the groups report their own savings on the shared systems, while the survey's IT cost "
        "covers core and internal systems, set-up and running costs, and compares different municipalities: if only the "
        "shared systems save, the survey-wide gap is smaller; case d, whose set-up saving exceeds its running-cost saving, "
        "shows the two need not agree either way."),
    "ev_savings_caption": ("グループの削減率から言えること", "What the groups' reported savings say"),
    "ev_members_h": ("参加する団体", "Who joins"),
    "ev_members_note": (
        "自治体クラウドへの参加（グループ一覧、平成30年4月）を、人口（対数）とその2乗、財政力指数（平成28年度）、"
        "65歳以上人口の割合、可住地人口密度（対数）、団体区分に回帰したロジットモデル（実データ、都道府県でクラスター化した"
        "標準誤差、t(G−1)の信頼区間）。開始年度から導出した平成29年4月1日の参加団体は{n2017}団体で、調査の公表値{pub}団体より"
        "{diff}団体多い（一覧は稼働済団体のみを載せ、開始後の加入時期が分からないため）。都道府県の固定効果を入れたモデル"
        "（条件付きロジット）も data/processed/evidence_membership_coefficients にある。",
        "A logit of membership (the group list, 2018-04) on log population and its square, 財政力指数 (FY2016), the share "
        "aged 65 and over, log density per habitable km², and kind (real data; prefecture-clustered errors, t(G − 1) "
        "intervals). From start years, {n2017} municipalities were members on 2017-04-01, {diff} more than the survey's "
        "published {pub} (the list gives operating members only, and not when a member joined after its group "
        "started). A variant with prefecture fixed effects (conditional logit) is in "
        "data/processed/evidence_membership_coefficients."),
    "ev_members_caption": ("参加確率への平均限界効果（平成30年4月のグループ一覧）", "Average marginal effects on the "
                           "probability of membership (2018-04 list)"),
    "ev_proj_h": ("見通し", "Projections"),
    "ev_proj_note": (
        "**以下は試算であり推定ではない。** 新たな参加団体の年間経費は、各団体の人口（平成29年1月1日）×区分の住民一人当たり経費"
        "で見積もる。一人当たり経費は区分総経費÷区分人口と区分平均（単純平均）の間とし、公表値の丸めを区間として扱う（加入団体の"
        "一人当たり経費がこの間にあるという仮定）。区分の一団体当たり経費は大きな団体に左右されるため用いない。率は2通り。"
        "(1) グループが共同化したシステムについて報告した削減率（{reported}）で経費全体が下がるとした場合。(2) 同じ区分の"
        "自治体クラウドと未導入の平均（単純平均）の差を当てはめた場合。これは異なる団体の横断比較で、加入による削減ではない。"
        "公表値がこの差を限るのは{bounded}だけで、他の区分の上限は妥当性の下限（仮定）だけで決まるため、その部分を分けて示し、"
        "下限ごとの値を図に示す。加入予定の全団体を含み、除く団体はない。2023年度末の目標を達成する場合は、加入予定団体に加えて"
        "残りの約{rest}団体を、平成30～35年度の加入確率（検証で選んだモデル）に比例して割り振った（各団体1以下）。"
        "起点は平成30年4月の{start:,}団体。",
        "**These are scenarios, not estimates.** New members' annual cost is each member's population (2017-01-01) × "
        "its class's cost per resident, between class total ÷ class population and the class's simple mean, with the "
        "published figures' rounding as intervals (the assumption: a joiner's cost per resident lies in between). "
        "The class's cost per municipality is not used: its largest members dominate it. Two rates: (1) the savings "
        "groups report for the systems they share ({reported}), as if their whole cost fell by them; (2) the gap "
        "between the joint-cloud and no-cloud simple means of the class, a cross-sectional difference between "
        "different municipalities, not a saving caused by joining. The published figures bound that gap in {bounded} "
        "only; elsewhere the plausibility floor (an assumption) alone sets its upper end, so that part is shown apart "
        "and, by floor, in a chart. Every planned joiner is included. To meet the FY2023 target, the about {rest} "
        "members needed beyond the planned joiners are spread in proportion to their probability of joining "
        "FY2018–FY2023 under the model the test chose (at most 1 each). The starting point is the {start:,} members "
        "of 2018-04."),
    "ev_proj_caption": ("新たな参加団体の年間経費と、率を当てはめた額の試算（億円）", "New members' annual cost and what a rate "
                        "would come to "
                        "(100 million yen)"),
    "ev_proj_floor_note": ("次の図は、妥当性の下限を動かしたときの、区分内の差を当てはめた額の上限である。本文の下限{floor:.2f}は"
                           "ひとつの導入事例の削減率（{cut:.0%}）から置いた仮定で、その値だけを読まないこと。",
                           "The next chart gives the upper end of the class gap applied, as the plausibility floor moves. "
                           "The floor of {floor:.2f} in the text comes from one case study's {cut:.0%}: do not read that "
                           "value alone."),
    "ev_ranges_note": ("都道府県ごとの参加団体数を、都道府県の変量効果を入れたロジットモデル（都道府県間の対数オッズの標準偏差"
                       "τ＝{tau:.2f}）で評価した。予測範囲は、同じ市区町村をもつ平均的な都道府県で参加団体数がとりうる"
                       "{level:.0%}の範囲で、都道府県間のばらつき・団体ごとの偶然・推定の不確かさを含む。範囲の外にあるのは"
                       "{n}都道府県中{outside}都道府県で、偶然だけでも約{chance:.0f}都道府県は外に出る。",
                       "Each prefecture's count of members is set against a logit with a prefecture random intercept "
                       "(between-prefecture standard deviation of the log odds τ = {tau:.2f}). The predictive range is "
                       "the central {level:.0%} range of the count a typical prefecture with the same municipalities "
                       "would have: between-prefecture spread, chance per municipality and estimation uncertainty. "
                       "{outside} of the {n} prefectures lie outside it; by chance alone about {chance:.0f} would."),
    "ev_ranges_caption": ("予測範囲の外にある都道府県", "Prefectures outside their predictive range"),
    "ev_validation_note": (
        "**後の加入に対する検証**：参加モデルは平成30年4月の参加（またはその1年前の参加）に当てはめたもので、同じ資料の"
        "加入予定（平成30～35年度）は見ていない。平成30年4月に未参加の{municipalities:,}団体のうち、加入予定は{joiners}団体。"
        "各モデルがこれをどれだけ見分けるか（AUC、加入がグループ単位で起こるため都道府県でクラスター化した95%信頼区間）、"
        "確率がどれだけ当たるか（Brierスコア、十分位ごとの較正）を、人口だけのモデルと都道府県・人口規模区分の参加割合という"
        "単純な基準と比べた。加入の時期のモデルは、"
        "市区町村×年度のパネル（平成18年度以降、加入年度はグループの導入年度で近似）で加入の起こりやすさを推定し、"
        "期間内に加入する確率を直接予測する。他のモデルの得点は、平成26年4月以降の参加団体の年平均の増加から見込む加入数に"
        "比例させて確率に直した（当てはめ時点で分かる情報だけを使う）。予測に用いるのは、平成30年4月の当てはめで"
        "Brierスコアが最も小さい{chosen}である。ただしAUCは最も高いモデルでも{best:.2f}、一律の予測に対するBrierスキルは"
        "{skill:.1%}にとどまり、モデル間の差は信頼区間の幅より小さい。加入を予測する力は弱い。平成29年4月の当てはめは、"
        "その時点の参加を開始年度から読むため、後からグループに加わった団体を早く参加とみなしており、厳密な事後検証ではない。",
        "**A test on the joins that came later**: each membership model is fitted on membership in 2018-04 (or a "
        "year earlier) and never sees the document's planned joins FY2018–FY2023. Of the {municipalities:,} "
        "municipalities not yet members in 2018-04, {joiners} planned to join. How well each model tells them apart "
        "(AUC, with a 95% interval clustered by prefecture, since joins come in whole groups) and how good its "
        "probabilities are (Brier score, calibration by decile) is set "
        "against a population-only logit and the prefecture's and the population class's member share. The "
        "when-to-join model estimates the hazard of joining on a municipality × fiscal-year panel (from FY2006; join "
        "year approximated by the group's start year) and predicts the probability of joining within the window "
        "directly; every other score is turned into a probability in proportion to the joins expected from the "
        "yearly growth of members since 2014-04 (information available when it is fitted). The project predicts "
        "with the model of lowest Brier score on the 2018-04 fit: {chosen}. But the best AUC is {best:.2f}, the Brier "
        "skill against a constant forecast only {skill:.1%}, and the models differ by less than their intervals' width: "
        "joining is hard to predict. The 2017-04-01 fit reads membership then from start years, so later joiners "
        "into existing groups count as members too early: not a strict test on later outcomes."),
    "ev_validation_caption": ("参加モデルの検証：後の加入予定の判別と確率", "The membership models tested on the later "
                              "planned joins"),
    # national, published tables
    "totals_note": ("平成29年度当初予算。基幹系システム（住民情報・税務・国保・年金・福祉）及び内部管理系システム"
                    "（人事給与・財務会計・文書管理）の整備経費及び運用経費。調査対象：全市区町村。",
                    "FY2017 initial budgets; core (resident records, tax, health insurance, pension, welfare) and "
                    "internal (HR/payroll, accounting, documents) systems, build and operation costs; all municipalities."),
    "totals_caption": ("調査結果の全国値［公表値］", "National figures of the survey [published]"),
    "class_caption": ("人口規模区分別の情報システム経費［公表値］", "IT-system cost by population class [published]"),
    "class_derived_caption": ("人口規模区分別の割合と区分全体の一人当たり経費［導出値］",
                              "Shares and class-wide cost per resident [derived]"),
    "class_note": ("「住民一人当たり経費 団体平均」が区分平均（区分内の市区町村の単純平均）［公表値］である。"
                   "区分総経費÷区分人口［導出値］は人口で重み付けた区分全体の一人当たり経費で、小規模団体の高い値が区分平均を"
                   "押し上げる分だけこれより低い（２万人未満で特に大きい）。",
                   "The published per-resident figure is the simple mean over the class's municipalities; class total ÷ "
                   "class population [derived] is lower because small municipalities' high values weigh equally in the "
                   "mean (most of all under 20k)."),
    "status_note": ("自治体クラウド：基幹系システム等のクラウド化を実施し、かつ複数団体で共同利用しているもの。"
                    "単独クラウド：クラウド化しているが共同利用は行っていないもの（資料の定義）。",
                    "Joint cloud: core systems in the cloud and shared by several municipalities. Single cloud: in the "
                    "cloud but not shared (the document's definitions)."),
    "status_caption": ("人口規模区分別・クラウド導入状況別の団体数［公表値］",
                       "Municipalities by population class and cloud status [published]"),
    "adoption_caption": ("クラウド導入市区町村数（各年4月1日等）と目標［公表値、* は導出値］",
                         "Municipalities using cloud systems and the targets [published; * derived]"),
    "adoption_note": ("単独クラウドの団体数は、資料に記載のない時点ではクラウド導入団体数−自治体クラウド団体数として計算した"
                      "［導出値］（表中 * 印）。目標は「約」付きの概数。",
                      "Single-cloud counts not stated in the document are cloud − joint [derived] (marked *). Targets "
                      "are approximate (約)."),
    "tracker_note": ("**見込み［導出値］**：平成30年4月1日の状態（クラウド導入{cloud:,}団体、うち自治体クラウド{joint:,}団体）に、"
                     "同資料の加入予定（平成30～35年度、目標年度が36年度以降・未定の団体を除く）を目標年度ごとに加えた。"
                     "加入予定の団体が現在単独クラウドか未導入かは分からないため、クラウド導入団体数は幅で示す"
                     "（下限：全団体が単独クラウドから移行、上限：全団体が未導入から導入）。",
                     "**Projection [derived]**: the state on 2018-04-01 ({cloud:,} cloud municipalities, {joint:,} joint) "
                     "plus the document's planned joins (FY2018-FY2023; later and undetermined ones left out) by target "
                     "year. Whether a joiner now uses a single cloud or none is not known, so the cloud total is a range "
                     "(low: every joiner was single cloud; high: none was)."),
    "tracker_caption": ("クラウド導入の見込み（各年度末）と2023年度末の目標［公表値・導出値］",
                        "Projection (end of each fiscal year) and the FY2023 targets [published, derived]"),
    "groups_map_note": ("地図は平成30年4月のグループ一覧の構成団体（色はグループ、隣り合うグループは別の色）と、加入予定の団体"
                        "（目標年度ごとの色）を示す。沖縄県と小笠原村は枠内に示す。",
                        "The map shows the members of the 2018-04 group list (coloured by group, neighbouring groups "
                        "apart) and the planned joiners (coloured by target year); 沖縄県 and 小笠原村 in insets."),
    "groups_note": ("総務省調べ（平成30年4月現在、稼働済団体のみ）。グループ総人口は平成30年1月1日の住民基本台帳人口。"
                    "構成団体の人口は本リポジトリが団体コードに照合して計算した［実データ］。名称のないグループは構成団体名で示す。",
                    "MIC survey (2018-04, operating members only); group population as of 2018-01-01. Members' "
                    "population is computed here from the 住民基本台帳 after matching codes [real]. Groups the list "
                    "leaves unnamed are named by their members."),
    "group_name": ("グループ名（名称のないものは構成団体）", "group (unnamed ones by their members)"),
    "groups_caption": ("自治体クラウドグループ一覧［公表値・実データ］", "Joint-cloud groups [published, real]"),
    "no_groups": ("この都道府県の市区町村を含むグループはない。", "No group has members in this prefecture."),
    "rec_note": ("資料が示す合計・比率と各行の和、調査の団体数・人口と住民基本台帳、グループ一覧と構成団体を照合した。"
                 "不一致は修正せずに報告する。全件は data/processed/reconciliation にある。",
                 "Stated totals and shares against their rows, the survey's counts and populations against the 住民基本台帳, "
                 "and the group list against its members. Mismatches are reported, not fixed; every check is in "
                 "data/processed/reconciliation."),
    "rec_caption": ("照合の対象別の件数［導出値］", "Checks by topic [derived]"),
    "rec_bad_caption": ("不一致とその理由［公表値・導出値］", "Mismatches and their explanation [published, derived]"),
    # the method check
    "reg_note": ("主モデルは住民一人当たり経費（対数）を人口（対数）の自然3次スプラインとクラウド導入状況（基準：未導入。"
                 "導入状況が自治体クラウドか否かしか分からない場合はそれ以外の全団体）に回帰する。PPML は経費（円）を人口を"
                 "オフセットとしてポアソン疑似最尤法で推定し、平均経費への効果を表す。区分別モデルは公表値だけを用いる。",
                 "The main model regresses log cost per resident on a natural cubic spline in log population and cloud "
                 "status (base: no cloud; all others when only joint or not is known). PPML fits cost (yen) with log "
                 "population as offset (Poisson pseudo-maximum likelihood): its effect is on mean cost. The class-level "
                 "model uses published figures only."),
    "sim_generator": ("**生成モデルの仮定**：市区町村の誤差の標準偏差{sigma}（対数、人口の対数が1増えるごとにexp({slope:+.2f})倍）、"
                      "都道府県効果の標準偏差{tau_p}、グループ効果の標準偏差{tau_g}、自治体クラウドの効果{effect:+.0%}"
                      "（同じ人口での平均経費）。",
                      "**The generator's assumptions**: municipal noise sd {sigma} (log scale, multiplied by "
                      "exp({slope:+.2f}) per unit of log population), prefecture effects sd {tau_p}, group effects sd "
                      "{tau_g}, joint cloud {effect:+.0%} (mean cost at equal population)."),
    "sim_pinned_note": ("ただし２万人未満の区分では、自治体クラウドの平均を証拠から推定したグラフ数値{label:,}円に合わせた"
                        "（公表値から導かれる同区分の未導入の平均に対し{gap:+.1f}%［導出値］）。このため{effect:+.0%}は２万人以上の区分"
                        "だけの仮定で、1回の模擬データの推定値はこれと一致しない。方法の偏りと信頼区間の被覆率は、多数の模擬データに"
                        "よる検証（05）で確かめる。",
                        "In the under-20k class, however, the joint-cloud mean is set to the chart label the evidence "
                        "infers for it, {label:,} yen ({gap:+.1f}% against that class's no-cloud mean implied by the "
                        "published figures [derived]). So {effect:+.0%} is assumed for the classes of 20k and over only, "
                        "and the estimates from one simulated survey need not equal it. The method's bias and coverage "
                        "are checked on many simulated surveys (05)."),
    "sim_assumed": ("仮定した効果（%）", "assumed effect (%)"),
    "sim_assumed_pinned": ("仮定した効果（%、２万人以上の区分）", "assumed effect (%, classes of 20k and over)"),
    "sim_estimated": ("推定値（%、1回の模擬データ）", "estimate (%, one simulated survey)"),
    "sim_recovery_caption": ("1回の模擬データによる自治体クラウドの効果の推定値", "The joint-cloud effect estimated on one "
                             "simulated survey"),
    "sim_line_note": ("**試算**：市区町村別の経費は公表されていないため、削減額は推定せず、自治体クラウドに参加していない団体の経費"
                      "（実際の人口×区分の一人当たり経費、公表値から導出。模擬データは用いない）に仮定した効果を掛けた線で示す。"
                      "自治体クラウドの団体が{n}団体未満の区分（{excluded}）は根拠が少ないため、上に重ねて別に示す。",
                      "**Scenario**: per-municipality costs were not published, so the saving is not estimated: it is the "
                      "non-members' cost (real population × their class's cost per resident, derived from published "
                      "figures; nothing simulated) times an assumed effect. The classes with fewer than {n} joint-cloud "
                      "members ({excluded}) rest on little and are added on top, apart."),
    "sim_recovery_note": ("表の推定値は全区分に共通の自治体クラウドの係数1つで、２万人未満の区分（推定したグラフ数値に合わせた"
                          "{gap:+.1f}%）と２万人以上の区分（仮定した{effect:+.0%}）を混ぜた値であるため、仮定した効果とは比べられない。"
                          "推定方法の偏りは多数の模擬データで測る（下の表）。",
                          "Each estimate is one joint-cloud coefficient over every class: it mixes the under-20k class "
                          "(set to the inferred chart label, {gap:+.1f}%) with the classes of 20k and over (the assumed "
                          "{effect:+.0%}), so it is not comparable with the assumed effect. Bias is measured over many "
                          "simulated surveys (the table below)."),
    "cov_note": ("**既定の推定方法（実データのファイル）**：誤差を都道府県でクラスター化し（CR1）、t(G−1)の臨界値を用いる。"
                 "模擬データ{draws}回の検証では、市区町村の経費が都道府県とグループで相関するため、HC3の95%信頼区間の被覆率は"
                 "{hc3:.2f}と名目を下回り、都道府県でクラスター化すると{cluster:.2f}になる（回数による誤差は±{two_se:.2f}程度、"
                 "2標準誤差）。HC3は比較用の変形として残す。",
                 "**Default inference on a real file**: errors clustered by prefecture (CR1) with t(G − 1) critical "
                 "values. On {draws} simulated surveys, where municipal costs share prefecture and group effects, HC3's "
                 "95% intervals cover the truth {hc3:.2f} of the time, below nominal, and prefecture-clustered ones "
                 "{cluster:.2f} (Monte Carlo error about ± {two_se:.2f}, two standard errors). HC3 remains a variant."),
    "cov_caption": ("推定方法の95%信頼区間の被覆率", "Coverage of the estimators' 95% intervals"),
    "sim_study_note": ("推定方法の偏り・RMSE・95%信頼区間の被覆率は、多数の模擬データによる検証（notebooks/05_simulation.ipynb、"
                       "`jichitai-cloud simulate`）で示す。1回の模擬データの信頼区間やp値は、生成モデルが決めた値についての"
                       "ものなので示さない。",
                       "The estimators' bias, RMSE and 95% coverage come from the study over many simulated surveys "
                       "(notebooks/05_simulation.ipynb, `jichitai-cloud simulate`). One simulated survey's intervals and "
                       "p-values would be about a number the generator fixed, so none is shown."),
    "reg_saving_note": ("削減額は区分ごとに示す。自治体クラウドの団体が{n}団体未満の区分は外挿として見出しの合計"
                        "から除く。",
                        "Savings per population class; classes with fewer than {n} joint members are flagged as "
                        "extrapolation and left out of the headline total."),
    "reg_sensitivity_caption": ("自治体クラウドの別の基準日による推定値の違い", "The joint-cloud effect by membership date"),
    "class_level_note": ("**区分別モデル（公表値のみ）**：実際の1,741団体の人口のもとで、滑らかな曲線（人口の対数の自然3次スプライン）"
                         "による平均経費が公表された12の値（区分ごとの一人当たり平均と総経費）に最も近くなるよう最小距離法で推定した。"
                         "ばらつきの大きさは平均と総額からは識別できない。丸めの範囲内で再現できた公表値は"
                         "{moments}中{within}、最大のずれは丸め幅の半分の{largest:,.0f}倍（距離J＝{j:,.0f}、自由度{df}。検定ではない）で、滑らかな曲線だけでは公表値を再現できない。",
                         "**The class-level model (published figures only)**: a smooth curve of mean cost per resident "
                         "(a natural cubic spline in log population), over the 1,741 real populations, matched by minimum "
                         "distance to the twelve published moments (each class's mean per resident and total). The spread "
                         "around it is not identified from means and totals. {within} of {moments} published figures are "
                         "reproduced within rounding, the largest gap is {largest:,.0f} half rounding widths (distance "
                         "J = {j:,.0f}, {df} degrees of freedom; not a test): a smooth curve alone does not reproduce "
                         "the published figures."),
    "moment_mean_per_resident_yen": ("一人当たり平均（円）", "mean per resident (yen)"),
    "moment_total_oku_yen": ("総経費（億円）", "total (100 million yen)"),
    "cl_moment": ("指標", "moment"), "cl_published": ("公表値", "published"), "cl_fitted": ("曲線による値［導出値］", "curve's value [derived]"),
    "cl_gap": ("ずれ（丸め幅の半分を単位）［導出値］", "gap (half rounding widths) [derived]"),
    "reg_coef_caption": ("{model}の係数", "Coefficients: {model}"),
    "reg_class_caption": ("区分別モデル：公表値と曲線による値［公表値・導出値］", "Class-level model: published and fitted "
                          "moments [published, derived]"),
    "reg_effect_caption": ("同じ人口での未導入との差（%）", "Difference from no cloud at equal population (%)"),
    "reg_saving_caption": ("未導入団体が自治体クラウドの効果を得た場合の年間削減額（全国、区分別）",
                           "Annual saving if the no-cloud municipalities had the joint-cloud effect (national, by class)"),
    "reg_compare_caption": ("モデルの比較", "Model comparison"),
    # prefecture
    "pref_overview_caption": ("概要［公表値・実データ・導出値：各行の出所欄］",
                              "Overview [published, real, derived: see each row's source]"),
    "ov_municipalities": ("市区町村数", "municipalities"), "ov_population": ("人口（{basis}）", "population ({basis})"),
    "ov_joint": ("自治体クラウドに参加する市区町村（平成30年4月）", "municipalities in a joint cloud (2018-04)"),
    "ov_share": ("参加割合", "share in a joint cloud"),
    "ov_rank": ("参加割合の順位（47都道府県中）", "rank by that share (of 47)"),
    "ov_expected": ("参加モデルが見込む参加団体数（都道府県間のばらつきを含む）", "members the membership model expects "
                    "(with the spread between prefectures)"),
    "ov_expected_fmt": ("{expected:.1f}（{level:.0%}予測範囲{low}～{high}、実際は{where}）",
                        "{expected:.1f} ({level:.0%} predictive range {low}–{high}; actual: {where})"),
    "ov_planned": ("加入予定（平成30～35年度）", "planned joins (FY2018–FY2023)"),
    "ov_planned_expected": ("加入の見込み（平成30～35年度、選んだモデル、都道府県間のばらつきを含む）",
                            "joins expected FY2018–FY2023 (the chosen model, with the spread between prefectures)"),
    "ov_cost": ("住民一人当たり経費の団体平均（円）", "mean cost per resident (yen)"),
    "pref_mun_note": ("人口は住民基本台帳（{basis}）、財政力指数は平成28年度決算、65歳以上の割合は平成27年国勢調査、"
                      "人口密度は可住地面積あたり（いずれも実データ）。予測参加確率は、これらと団体区分から参加モデルが"
                      "予測した値［導出値］で、実際の参加（グループ一覧、平成30年4月）と並べた。予測加入確率［導出値］は、"
                      "未参加の団体が平成30～35年度に加入する確率（後の加入予定で検証して選んだモデル）で、加入予定と並べた。",
                      "Population: 住民基本台帳 ({basis}); 財政力指数: FY2016 accounts; aged 65+: 2015 census; density per "
                      "habitable km² (all real). The predicted probability is the membership model's, from these and "
                      "the kind [derived], beside actual membership (the group list, 2018-04). The probability of "
                      "joining [derived] is a non-member's chance of joining FY2018–FY2023 under the model chosen by "
                      "the test on the later planned joins, beside its planned join."),
    "pref_mun_caption": ("市区町村別の状況［実データ・導出値］", "Municipalities [real, derived]"),
    "pref_saving_note": ("モデル：{model}とPPML。未導入団体の経費×（1−exp(自治体クラウドの係数)）の和（自治体クラウドの団体が"
                         "{n}団体以上の区分のみ）。95%信頼区間はデルタ法。",
                         "Models: {model} and PPML. Sum over the no-cloud municipalities of cost × (1 − exp(joint "
                         "coefficient)), in classes with at least {n} joint members; 95% interval by the delta method."),
    "pref_saving_line_note": ("市区町村別の経費は公表されていない（既定ではシミュレーション）ため、削減額は推定せず、仮定した効果の"
                              "関数として示す（自治体クラウドに参加していない団体の人口×区分の一人当たり経費（公表値から導出）×仮定した"
                              "効果）。自治体クラウドの団体が{n}団体未満の区分は上に重ねて別に示す。",
                              "Per-municipality costs are not published (simulated by default), so the saving is not "
                              "estimated: it is a function of the assumed effect (the non-members' population × their "
                              "class's cost per resident, derived from published figures, × the effect). Classes with "
                              "fewer than {n} joint-cloud members are added on top, apart."),
    "pref_saving_none": ("この都道府県には自治体クラウドに参加していない団体がない。",
                         "Every municipality of this prefecture is in a joint cloud."),
    "pref_saving_caption": ("年間削減額（億円）", "Annual saving (100 million yen)"),
    # group
    "group_overview_caption": ("グループの概要［公表値・実データ・導出値：各行の出所欄］",
                               "The group [published, real, derived: see each row's source]"),
    "g_name": ("名称", "name"), "g_prefectures": ("都道府県", "prefectures"), "g_start": ("導入年度", "start year"),
    "g_members": ("団体数（資料）", "members (stated)"), "g_matched": ("団体コードに照合できた構成団体", "members matched to a code"),
    "g_stated_pop": ("グループ総人口（資料、平成30年1月1日）", "group population (stated, 2018-01-01)"),
    "g_members_pop": ("構成団体の人口の和（住民基本台帳、平成30年1月1日）", "members' population (住民基本台帳, 2018-01-01)"),
    "g_mismatch": ("資料のグループ総人口と構成団体の人口が一致しない。", "The stated group population differs from the members'."),
    "g_unexplained": ("理由は未確認。", "Cause not known."),
    "case_note": ("**資料の導入事例：** このグループは資料の導入事例（{case}）に取り上げられている［公表値］。",
                  "**A case study of the document:** this group is case {case} of the document's case studies "
                  "[published]."),
    "case_caption": ("導入事例に記載の削減効果［公表値］", "Savings stated in the case study [published]"),
    "group_members_note": ("人口・財政力指数・65歳以上の割合・人口密度は実データ、予測参加確率は参加モデルの予測［導出値］。",
                           "Population, 財政力指数, aged 65+ and density are real; the predicted probability is the "
                           "membership model's [derived]."),
    "group_members_caption": ("構成団体（資料の表記と照合先）［公表値・実データ・導出値］",
                              "Members (as written, and matched) [published, real, derived]"),
    "group_compare_note": ("各構成団体の住民一人当たり経費を、人口が2倍以内（半分から2倍）で自治体クラウドに参加していない"
                           "団体の中央値と比べた。比が1未満なら同規模の非参加団体より低い。",
                           "Each member's cost per resident against the median of municipalities in no joint cloud whose "
                           "population lies within a factor of two. A ratio below 1 is lower than similar non-members."),
    "group_compare_caption": ("構成団体と同規模の非参加団体", "Members and similar non-members"),
    "real": ("実データ", "real"), "published": ("公表値", "published"), "derived": ("導出値", "derived"),
}

MODELS = {**vocab.MODELS, "class_level": vocab.CLASS_LEVEL_MODEL}
ESTIMATORS = {"ols": ("最小二乗法（対数）", "OLS (log)"), "ppml": ("PPML", "PPML"), "huber": ("Huber回帰", "Huber")}
TERMS = {"Intercept": ("切片", "intercept"), "joint cloud": ("自治体クラウド", "joint cloud"),
         "single cloud": ("単独クラウド", "single cloud"), "log_pop_c": ("log人口（中心化）", "log population (centred)"),
         "log_pop_c²": ("log人口（中心化）の2乗", "log population (centred), squared")}
TOPICS = vocab.TOPICS
TOTAL_ITEMS = {"municipalities": ("調査対象団体数", "municipalities surveyed"),
               "it_cost_total": ("情報システム経費の合計", "total IT-system cost"),
               "it_cost_per_resident": ("住民一人当たり経費", "cost per resident"),
               "population_2017_01_01": ("住民基本台帳人口（平成29年1月1日）", "population (2017-01-01)")}
SAVINGS_MEASURES = {"mean_saving": ("削減率の平均", "mean saving"),
                    "mean_saving_top_capped": ("削減率の平均（最上位区分を事例の最大値までとする）",
                                               "mean saving (top bin capped at the largest case-study saving)"),
                    "share_at_least_30": ("３割以上のグループの割合", "share of groups at 30% or more"),
                    "median_bin": ("中央のグループの区分", "bin of the middle group")}
SAVINGS_BASES = {"reporting": ("報告したグループ", "groups that reported"),
                 "all_pending_as_zero": ("全グループ（確認中は0%）", "all groups (pending as 0%)")}


def _t(key: str, lang: str) -> str:
    return vocab.pick(TEXT[key], lang)


# --- one report's context: data, language, numbering ----------------------------------------------------

class Context:
    """What every section needs: the parameters, tables (read once), the language, and the running
    section, sub-section and table numbers."""

    def __init__(self, params: dict):
        self.params = params
        self.lang = params["lang"]
        self._tables: dict[str, pd.DataFrame] = {}
        self.section_no = 0
        self.sub_no = 0
        self.table_no = 0

    def load(self, name: str) -> pd.DataFrame:
        if name not in self._tables:
            self._tables[name] = store.read_table(name)
        return self._tables[name]

    def t(self, key: str, **fmt) -> str:
        text = _t(key, self.lang)
        return text.format(**fmt) if fmt else text

    def pick(self, pair: tuple[str, str]) -> str:
        return vocab.pick(pair, self.lang)

    @property
    def simulated(self) -> bool:
        return self.load("survey_input")["input"].iloc[0] == "simulated"

    @property
    def survey_label(self) -> str:
        return vocab.survey_label(self.load("survey_input"), self.lang, short=True)

    @property
    def caution(self) -> str:
        return vocab.survey_caution(self.load("survey_input"), self.lang, short=True)

    def markdown(self, text: str) -> None:
        display(Markdown(text))

    def subheading(self, key: str) -> None:
        self.sub_no += 1
        self.markdown(f"### {self.section_no}.{self.sub_no} {self.t(key)}")

    def caption(self, text: str) -> str:
        self.table_no += 1
        return self.t("table", n=self.table_no, caption=text)

    def table(self, df: pd.DataFrame, caption: str, key: str, caution: str | None = None, **kw) -> None:
        """A numbered table (``caption``: its text without the number); ``caution`` above it."""
        kw.setdefault("survey_input", self.load("survey_input")["input"].iloc[0])
        st = styled(df, self.lang, self.caption(caption), key=key, **kw)
        show_labelled(st, caution) if caution else show(st)

    def figure(self, fig, caution: str | None = None) -> None:
        show_labelled(fig, caution) if caution else show_figure(fig)


@dataclass(frozen=True)
class Section:
    """A numbered section: its heading (a TEXT key) and the function that shows its body."""

    key: str
    body: Callable[[Context], None]


# --- the report classes ---------------------------------------------------------------------------------

class Report:
    """One report: parameters validated, then a header and numbered sections. See :func:`make`."""

    scope = ""

    def __init__(self, **params):
        self.params = jobs.validate_parameters(scope=self.scope, **params)
        self.ctx = Context(self.params)
        self.lang = self.params["lang"]
        plots.set_style()

    @property
    def sections(self) -> tuple[Section, ...]:
        raise NotImplementedError

    def summary(self) -> list[findings.Finding]:
        raise NotImplementedError

    def header(self) -> None:
        """Title, the summary of findings (real and published only), then the sources and kinds of figures."""
        ctx = self.ctx
        rec = ctx.load("reconciliation")
        n_ok = int((rec["status"] == checks.OK).sum())
        citation = published.CITATION_JA if self.lang == "ja" else published.CITATION_EN
        rec_k = [s.key for s in NationalReport.SECTIONS].index("h_reconciliation") + 1
        note = ctx.t("mismatch_note", n_bad=len(rec) - n_ok, k=rec_k) if n_ok < len(rec) else ""
        items = "\n".join(f"- {f.text(self.lang)}" for f in self.summary())
        contents = "\n".join(f"{k}. [{ctx.t(s.key)}](#{_anchor(k)})" for k, s in enumerate(self.sections, start=1))
        body = (f"# {title(self.params)}\n\n{ctx.t('summary_h')}\n\n{items}\n\n{ctx.t('summary_note')}\n\n"
                + ctx.t("provenance", citation=citation, n_checks=len(rec), n_ok=n_ok, mismatch_note=note)
                + "\n\n" + vocab.survey_label(ctx.load("survey_input"), self.lang)
                + f"\n\n{ctx.t('contents_h')}\n\n{contents}")
        ctx.markdown(body)

    def section(self, k: int) -> None:
        """Show section ``k`` (1-based) with its number; nothing when the report has fewer sections."""
        if self.params["fail_for_test"] and k == 1:
            raise RuntimeError("fail_for_test=True: this report fails here on purpose (a test of failure handling)")
        if k > len(self.sections):
            return
        s = self.sections[k - 1]
        self.ctx.section_no, self.ctx.sub_no = k, 0
        self.ctx.markdown(f'<a id="{_anchor(k)}"></a>\n\n## {k}. {self.ctx.t(s.key)}')
        s.body(self.ctx)

    def show_all(self) -> None:
        """The whole report in one go (outside the template, e.g. in a notebook of one's own)."""
        self.header()
        for k in range(1, len(self.sections) + 1):
            self.section(k)


def _anchor(k: int) -> str:
    """The HTML id of section ``k`` (the table of contents links to it)."""
    return f"section-{k}"


class NationalReport(Report):
    scope = "national"
    SECTIONS: tuple = ()  # filled below, once the section functions exist

    @property
    def sections(self) -> tuple[Section, ...]:
        return tuple(s if s.key != "h_method" or self.ctx.simulated else Section("h_method_reported", s.body)
                     for s in self.SECTIONS)

    def summary(self) -> list[findings.Finding]:
        return findings.national(self.ctx.load, self.params["use_inferred_label"])


class PrefectureReport(Report):
    scope = "prefecture"
    SECTIONS: tuple = ()

    @property
    def sections(self) -> tuple[Section, ...]:
        return self.SECTIONS

    def summary(self) -> list[findings.Finding]:
        return findings.prefecture(self.ctx.load, self.params["prefecture"], self.params["use_inferred_label"])


class GroupReport(Report):
    scope = "group"
    SECTIONS: tuple = ()

    @property
    def sections(self) -> tuple[Section, ...]:
        # Members' costs compared with non-members' only for a real survey: a simulated
        # per-municipality cost beside a real name would be quotable.
        return tuple(s for s in self.SECTIONS if s.key != "h_group_compare" or not self.ctx.simulated)

    def summary(self) -> list[findings.Finding]:
        return findings.group(self.ctx.load, self.params["group_id"], self.params["use_inferred_label"])


REPORTS = {"national": NationalReport, "prefecture": PrefectureReport, "group": GroupReport}


def make(scope: str = "national", **params) -> Report:
    """The report of ``scope`` with these parameters (validated)."""
    if scope not in REPORTS:
        jobs.validate_parameters(scope=scope)  # raises the ParameterError listing the valid scopes
    return REPORTS[scope](**params)


# --- national sections ----------------------------------------------------------------------------------

def _range(ctx: Context, lo: float, hi: float, digits: int = 1, unbounded_at: float | None = None) -> str:
    """A range for readers: '0～21.0' (ja) or '0–21.0' (en); one number where both ends print the same;
    '限定なし' / 'not bounded' where it spans everything up to ``unbounded_at``."""
    if unbounded_at is not None and lo <= 1e-9 and hi >= unbounded_at - 1e-9:
        return ctx.t("ev_not_bounded")
    a, b = f"{lo:,.{digits}f}", f"{hi:,.{digits}f}"
    return a if a == b else f"{a}{'～' if ctx.lang == 'ja' else '–'}{b}"


def _evidence(ctx: Context) -> None:
    ctx.markdown(ctx.t("ev_intro"))
    _evidence_cells(ctx)
    _evidence_weighted(ctx)
    _evidence_labels(ctx)
    _evidence_savings(ctx)
    _evidence_members(ctx)
    _evidence_projections(ctx)


def _evidence_cells(ctx: Context) -> None:
    from jichitai_cloud.registry import metadata

    without, pinned = findings.reading_values(ctx.load)
    use_label = ctx.params["use_inferred_label"]
    gaps = ctx.load("evidence_gaps")
    ctx.subheading("ev_cells_h")
    ctx.markdown(ctx.t("ev_cells_note", without=without, pinned=pinned))
    cols = {"population_class": [_class_label(ctx, c) for c in sorted(gaps["class_id"].unique())]}
    heads = {"population_class": ctx.t("population_class")}
    gap_cols = ("gap_low_pct", "gap_high_pct")
    for name, reading, label, floor, head in (
            ("without", "without_3", False, False, ctx.t("ev_gap_without", without=without)),
            ("with", "with_3", False, False, ctx.t("ev_gap_with", pinned=pinned)),
            ("floor", "without_3", False, True, ctx.t("ev_gap_floor")),
            ("label", "without_3", True, True, ctx.t("ev_gap_label"))):
        if name == "label" and not use_label:
            continue
        d = gaps[(gaps["reading"] == reading) & (gaps["inferred_label"] == label)
                 & (gaps["plausibility_floor"] == floor)].sort_values("class_id")
        cols[name] = [(_range(ctx, r["gap_low_pct"], r["gap_high_pct"], unbounded_at=100.0)
                       if (r["label_used"] or name != "label") else "—") for _, r in d.iterrows()]
        heads[name] = head + metadata.kind_tag("evidence_gaps", gap_cols, ctx.lang, inferred=name == "label")
    ctx.table(pd.DataFrame(cols), ctx.t("ev_cells_caption") + metadata.kind_tag("evidence_gaps", gap_cols, ctx.lang),
              "ev_gaps", headers=heads, right=[h for h in heads if h != "population_class"])
    ctx.markdown(ctx.t("ev_interval_note"))
    ctx.figure(plots.identified_cells(ctx.load("evidence_cells"), ctx.load("published_cost_by_class"), "without_3",
                                      use_label, ctx.lang))


def _evidence_weighted(ctx: Context) -> None:
    from jichitai_cloud.registry import metadata

    w = ctx.load("evidence_weighted_bounds")
    ctx.subheading("ev_weighted_h")
    main = w[(w["pool"] == "list_2018") & (w["comparison"] == "not_joint")].sort_values("class_id")
    hits = [_class_label(ctx, int(c)) for c in main.loc[main["informative"], "class_id"]]
    sep = "、" if ctx.lang == "ja" else ", "
    ctx.markdown(ctx.t("ev_weighted_note", informative=sep.join(hits) or "—"))
    table = main.assign(population_class=[_class_label(ctx, int(c)) for c in main["class_id"]],
                        gap_low_pct=main["gap_low_pct"].where(main["informative"]))[
        ["population_class", "municipalities", "survey_joint", "listed_members", "joint_mean_population_persons",
         "other_mean_population_persons", "ratio_high", "ratio_high_combined", "gap_low_pct", "informative"]]
    ctx.table(table, ctx.t("ev_weighted_caption") + metadata.kind_tag("evidence_weighted_bounds", table.columns[1:],
                                                                      ctx.lang),
              "ev_weighted", table="evidence_weighted_bounds", headers={"population_class": ctx.t("population_class")})
    start = w[(w["pool"] == "start_years") & (w["comparison"] == "not_joint") & w["informative"]]
    none = w[(w["pool"] == "list_2018") & (w["comparison"] == "none") & w["informative"]]
    anywhere = w[(w["pool"] == "any_in_class") & (w["comparison"] == "not_joint") & w["informative"]]
    ctx.markdown(ctx.t("ev_weighted_more", any=sep.join(_class_label(ctx, int(c)) for c in anywhere["class_id"])
                       or ctx.t("none_word"),
                       start=sep.join(_class_label(ctx, int(c)) for c in start["class_id"]) or ctx.t("none_word"),
                       none=sep.join(_class_label(ctx, int(c)) for c in none["class_id"]) or ctx.t("none_word")))


def _class_label(ctx: Context, class_id: int) -> str:
    cls = next(c for c in published.POPULATION_CLASSES if c.class_id == class_id)
    return cls.label_ja if ctx.lang == "ja" else cls.label_en


def _cell_name(ctx: Context, class_id: int, status: str) -> str:
    cls = next(c for c in published.POPULATION_CLASSES if c.class_id == class_id)
    label = cls.label_ja if ctx.lang == "ja" else cls.label_en
    return f"「{label}」の{vocab.status(status, 'ja')}" if ctx.lang == "ja" else f"{label} {vocab.status(status, 'en')}"


def _evidence_labels(ctx: Context) -> None:
    from jichitai_cloud.analysis import evidence
    from jichitai_cloud.registry import metadata

    a = ctx.load("evidence_label_assignments")
    labels = ctx.load("published_chart_labels")
    floor = evidence.floor_ratio(ctx.load("case_study_savings"))
    inferred = a[a["inferred"]].drop_duplicates(["value_yen", "class_id", "cloud_status"])
    rob = ctx.load("evidence_label_robustness")
    rob = rob[(rob["reading"] == "without_3") & rob["unique"]].set_index("value_yen")
    text = "".join(ctx.t("ev_labels_inferred", value=r.value_as_written, cell=_cell_name(ctx, r.class_id, r.cloud_status),
                         low=rob.loc[r.value_yen, "unique_floor_low"], high=rob.loc[r.value_yen, "unique_floor_high"])
                   for r in inferred.itertuples())
    sep = "、" if ctx.lang == "ja" else "; "
    ctx.subheading("ev_labels_h")
    ctx.markdown(ctx.t("ev_labels_note", labels=sep.join(labels["value_as_written"]), floor=floor, cut=1 - floor,
                       inferred=text))
    rows = []
    for value, g in a[a["reading"] == "without_3"].groupby("value_yen", sort=False):
        fits = g[g["plausible"]]
        arith = g[g["arithmetic"] & ~g["plausible"]]
        rows.append({"value_as_written": g["value_as_written"].iloc[0],
                     "fits": sep.join(_cell_name(ctx, r.class_id, r.cloud_status) + ("★" if r.inferred else "")
                                      for r in fits.itertuples()) or "—",
                     "arith": sep.join(_cell_name(ctx, r.class_id, r.cloud_status) for r in arith.itertuples()) or "—"})
    heads = {"value_as_written": "グラフの数値（円）［公表値］" if ctx.lang == "ja" else "chart label (yen) [published]",
             "fits": ctx.t("ev_labels_fits") + metadata.kind_tag("evidence_label_assignments", ("plausible",), ctx.lang),
             "arith": ctx.t("ev_labels_arith") + metadata.kind_tag("evidence_label_assignments", ("arithmetic",),
                                                                   ctx.lang)}
    ctx.table(pd.DataFrame(rows), ctx.t("ev_labels_caption") + metadata.kind_tag(
        "evidence_label_assignments", ("plausible", "arithmetic"), ctx.lang), "ev_labels",
              headers=heads)
    ctx.figure(plots.label_fits(a, floor, "without_3", ctx.lang))


def _evidence_savings(ctx: Context) -> None:
    from jichitai_cloud.registry import metadata

    s = ctx.load("evidence_savings")
    ctx.subheading("ev_savings_h")
    groups = ctx.load("savings_56_groups")
    month = groups["as_of_month"].iloc[0]
    year, mon = (int(x) for x in month.split("-"))
    ctx.markdown(ctx.t("ev_savings_note", groups=int(groups["groups"].sum()),
                       month=f"{year}年{mon}月" if ctx.lang == "ja" else month))
    table = s.assign(measure=s["measure"].map(lambda m: ctx.pick(SAVINGS_MEASURES[m])),
                     basis=s["basis"].map(lambda b: ctx.pick(SAVINGS_BASES[b])),
                     assumption=s["assumption_ja" if ctx.lang == "ja" else "assumption"])
    ctx.table(table[["measure", "basis", "groups", "lower_pct", "upper_pct", "assumption"]],
              ctx.t("ev_savings_caption") + metadata.kind_tag("evidence_savings", ("lower_pct", "upper_pct"), ctx.lang),
              "ev_savings", table="evidence_savings")
    ctx.figure(plots.case_savings(ctx.load("case_study_savings"), s, ctx.lang))


def _evidence_members(ctx: Context) -> None:
    from jichitai_cloud.registry import metadata

    shares = ctx.load("evidence_membership_shares")
    all_rows = shares[shares["by"] == "all"].set_index("as_of")
    pub = ctx.load("published_status_counts")
    pub_joint = int(pub.loc[pub["cloud_status"] == "joint", "municipalities"].sum())
    n2017 = int(all_rows.loc["2017-04-01", "members"])
    ctx.subheading("ev_members_h")
    ctx.markdown(ctx.t("ev_members_note", n2017=n2017, pub=pub_joint, diff=n2017 - pub_joint))
    e = ctx.load("evidence_membership_effects")
    e = e[e["as_of"] == "2018-04-01"]
    table = e.assign(change=e["change_ja" if ctx.lang == "ja" else "change_en"])[
        ["change", "ame_pct_points", "std_error_pct_points", "ci_low_pct_points", "ci_high_pct_points"]]
    ctx.table(table, ctx.t("ev_members_caption") + metadata.kind_tag("evidence_membership_effects", table.columns[1:],
                                                                     ctx.lang),
              "ev_members", table="evidence_membership_effects")
    ctx.figure(plots.membership_by_class(shares, ctx.load("evidence_membership_predictions"),
                                         ctx.load("municipalities"), ctx.lang))
    r = ctx.load("evidence_membership_prefecture_ranges")
    out = r[r["position"] != "within"].sort_values("prefecture", key=lambda p: p.map(
        {k: i for i, k in enumerate(vocab.PREFECTURES)}))
    level = float(r["range_level"].iloc[0])
    ctx.markdown(ctx.t("ev_ranges_note", tau=float(r["tau"].iloc[0]), n=len(r), outside=len(out), level=level,
                       chance=len(r) * (1 - level)))
    if not out.empty:
        _ranges_table(ctx, out)
    _evidence_validation(ctx)


def _ranges_table(ctx: Context, out: pd.DataFrame) -> None:
    from jichitai_cloud.registry import metadata

    cols = ["prefecture", "modelled_municipalities", "members", "expected_members", "range_low", "range_high",
            "prob_at_least_actual", "prob_at_most_actual", "position"]
    shown = out[cols].assign(position=out["position"].map(lambda p: ctx.pick(POSITIONS[p])))
    ctx.table(shown, ctx.t("ev_ranges_caption") + metadata.kind_tag("evidence_membership_prefecture_ranges",
                                                                    cols[1:], ctx.lang),
              "ev_ranges", table="evidence_membership_prefecture_ranges")


def _evidence_validation(ctx: Context) -> None:
    """The membership models tested on the later planned joins: discrimination, calibration, the chosen model."""
    from jichitai_cloud.registry import metadata

    v = ctx.load("evidence_membership_validation")
    head = v[(v["fit_as_of"] == "2018-04-01")].set_index("model")
    chosen = str(head.index[head["chosen"]][0])
    ctx.markdown(ctx.t("ev_validation_note", joiners=int(head["joiners"].iloc[0]),
                       municipalities=int(head["municipalities"].iloc[0]),
                       chosen=ctx.pick(vocab.VALIDATED_MODELS[chosen]), best=float(head["auc"].max()),
                       skill=float(head.loc[chosen, "brier_skill"])))
    cols = ["fit_as_of", "model", "municipalities", "joiners", "expected_joiners", "auc", "auc_ci_low", "auc_ci_high",
            "auc_diff_from_best", "diff_ci_low", "diff_ci_high", "brier", "chosen"]
    shown = v[cols].assign(model=v["model"].map(lambda m: ctx.pick(vocab.VALIDATED_MODELS[m])))
    ctx.table(shown, ctx.t("ev_validation_caption") + metadata.kind_tag("evidence_membership_validation",
                                                                        ("auc", "joiners"), ctx.lang),
              "ev_validation", table="evidence_membership_validation")
    ctx.figure(plots.calibration(ctx.load("evidence_membership_calibration"), v, "2018-04-01", ctx.lang))


def _evidence_projections(ctx: Context) -> None:
    from jichitai_cloud.analysis import evidence
    from jichitai_cloud.registry import metadata

    members = ctx.load("evidence_new_members")
    target = members[members["scenario"] == "target_2023"]
    ctx.subheading("ev_proj_h")
    p = ctx.load("evidence_projections")
    wide = published.adoption_wide(ctx.load("published_adoption"))
    actual = wide[wide["kind"] == "actual"].sort_values("as_of_date")
    rates = ctx.load("evidence_saving_rates")
    rep_rate = rates[rates["basis"] == "reported"].iloc[0]
    bounded = sorted(set(rates.loc[rates["rate_source"] == "published_figures", "class_id"]))
    ctx.markdown(ctx.t("ev_proj_note", rest=round(float(target["expected_others"].sum())),
                       start=int(actual["joint_cloud_municipalities"].iloc[-1]),
                       reported=_range(ctx, rep_rate["rate_low_pct"], rep_rate["rate_high_pct"], 0) + "%",
                       bounded=("、" if ctx.lang == "ja" else ", ").join(_class_label(ctx, int(c)) for c in bounded)))
    bases = ["reported", "class_gap_without_3", "class_gap_with_3"]
    if ctx.params["use_inferred_label"]:
        bases.append("class_gap_without_3_label")
    p = p[p["class_id"].isna() & p["basis"].isin(bases)]
    cols = ["scenario", "basis", "rate_source", "new_members", "base_cost_low_oku_yen", "base_cost_high_oku_yen",
            "saving_low_oku_yen", "saving_high_oku_yen"]
    table = p.assign(scenario=p["scenario"].map(lambda x: ctx.pick(vocab.SCENARIO[x])),
                     basis=p["basis"].map(lambda b: ctx.pick(vocab.BASIS[b])),
                     rate_source=p["rate_source"].map(lambda r: ctx.pick(vocab.RATE_SOURCE[r])))[cols]
    ctx.table(table, ctx.t("ev_proj_caption") + metadata.kind_tag("evidence_projections", cols[3:], ctx.lang),
              "ev_projections", table="evidence_projections")
    ctx.figure(plots.projection_bands(ctx.load("evidence_projections"), ctx.lang, ctx.params["use_inferred_label"]))
    floor = evidence.floor_ratio(ctx.load("case_study_savings"))
    ctx.markdown(ctx.t("ev_proj_floor_note", floor=floor, cut=1 - floor))
    ctx.figure(plots.projection_floor(ctx.load("evidence_projection_floor"), floor, lang=ctx.lang))


POSITIONS = {"above": ("上回る", "above"), "below": ("下回る", "below"), "within": ("範囲内", "within")}


def _totals(ctx: Context) -> None:
    tot = ctx.load("published_survey_totals").set_index("item").loc[list(TOTAL_ITEMS)]
    df = pd.DataFrame({"item_label": [ctx.pick(TOTAL_ITEMS[i]) for i in tot.index],
                       "value_as_written": list(tot["value_as_written"])})
    ctx.markdown(ctx.t("totals_note"))
    ctx.table(df, ctx.t("totals_caption"), "survey_totals")


def _cost_by_class(ctx: Context) -> None:
    cost = ctx.load("published_cost_by_class")
    label = "population_class_ja" if ctx.lang == "ja" else "population_class_en"
    shown = cost[[label, "it_cost_total_oku_yen", "it_cost_per_resident_mean_yen", "it_cost_per_municipality_oku_yen",
                  "municipalities", "population_thousand_persons"]]
    derived = published.derived_by_class(cost)[[label, "share_of_municipalities_pct", "share_of_it_cost_pct",
                                                "it_cost_per_resident_aggregate_yen"]]
    ctx.table(shown, ctx.t("class_caption"), "cost_by_class", table="published_cost_by_class")
    ctx.table(derived, ctx.t("class_derived_caption"), "cost_by_class_derived")
    ctx.markdown(ctx.t("class_note"))
    ctx.figure(plots.per_resident_by_class(cost, ctx.lang))


def _status_counts(ctx: Context) -> None:
    st = ctx.load("published_status_counts")
    label = "population_class_ja" if ctx.lang == "ja" else "population_class_en"
    wide = st.pivot(index="class_id", columns="cloud_status", values="municipalities")[list(vocab.STATUS)]
    wide["total"] = wide.sum(axis=1)
    cls = {c.class_id: (c.label_ja if ctx.lang == "ja" else c.label_en) for c in published.POPULATION_CLASSES}
    wide.insert(0, label, [cls[i] for i in wide.index])
    ctx.markdown(ctx.t("status_note"))
    ctx.table(wide.reset_index(drop=True), ctx.t("status_caption"), "status_counts")
    ctx.figure(plots.status_counts_by_class(st, ctx.lang))


def _adoption(ctx: Context) -> None:
    wide = published.adoption_wide(ctx.load("published_adoption"))
    df = pd.DataFrame({
        "as_of": wide["as_of_date"].dt.strftime("%Y-%m-%d"),
        "kind_label": [ctx.t(k) for k in wide["kind"]],
        "cloud_municipalities": wide["cloud_municipalities"],
        "joint_cloud_municipalities": wide["joint_cloud_municipalities"],
        "single_cloud_municipalities": ["—" if pd.isna(v) else f"{int(v):,}" + (" *" if p == "derived" else "")
                                        for v, p in zip(wide["single_cloud_municipalities"],
                                                        wide["single_cloud_municipalities_provenance"])],
        "joint_cloud_groups": wide["joint_cloud_groups"],
    })
    ctx.markdown(ctx.t("adoption_note"))
    ctx.table(df, ctx.t("adoption_caption"), "adoption", right=["single_cloud_municipalities"])
    tracker = ctx.load("adoption_tracker")
    start = wide[(wide["kind"] == "actual") & (wide["as_of_date"] == pd.Timestamp("2018-04-01"))].iloc[0]
    ctx.markdown(ctx.t("tracker_note", cloud=int(start["cloud_municipalities"]),
                       joint=int(start["joint_cloud_municipalities"])))
    ctx.table(tracker.assign(fiscal_year=tracker["fiscal_year"].astype(str))[
        ["fiscal_year", "planned_joins_in_year", "joint_cloud_projected", "cloud_projected_low", "cloud_projected_high",
         "joint_cloud_target", "cloud_target"]], ctx.t("tracker_caption"), "tracker")
    ctx.figure(plots.adoption(wide, ctx.lang, tracker))


def _group_table(ctx: Context, g: pd.DataFrame, key: str) -> None:
    groups, members = ctx.load("cloud_groups"), ctx.load("cloud_group_members")
    table = g.assign(name=[vocab.group_name(i, groups, members, ctx.lang) for i in g["group_id"]])[
        ["group_id", "name", "prefectures", "start_year_as_written", "start_fy", "stated_members", "matched_members",
         "stated_population_2018_01_01_persons", "members_population_2018_01_01_persons"]]
    ctx.table(table, ctx.t("groups_caption"), key, headers={"name": ctx.t("group_name")})


def _national_groups(ctx: Context) -> None:
    frame = ctx.load("municipalities")
    ctx.markdown(ctx.t("groups_map_note"))
    ctx.figure(plots.map_groups(frame, ctx.load("planned_joins"), ctx.lang))
    ctx.figure(plots.map_prefecture_share(municipalities.joint_share_by_prefecture(frame), ctx.lang))
    ctx.markdown(ctx.t("groups_note"))
    _group_table(ctx, ctx.load("cloud_groups"), "groups_national")


def _method(ctx: Context) -> None:
    """The stored standard models (fitted once by the build). On the simulated survey a check of the method:
    point estimates beside the assumed effects, the saving as a line in the assumed effect, no interval and
    no p-value. On a real file: coefficients with intervals, per-class savings with their support, PPML."""
    lang, info = ctx.lang, ctx.load("survey_input")
    ctx.markdown(vocab.survey_caution(info, lang) + "\n\n" + ctx.t("reg_note"))
    if ctx.simulated:
        _method_simulated(ctx)
    else:
        _method_reported(ctx)
    _class_level(ctx)


def _method_simulated(ctx: Context) -> None:
    import json

    info = ctx.load("survey_input")
    params = json.loads(info["generator_params"].iloc[0])
    caution, label = ctx.caution, ctx.survey_label
    ctx.markdown(ctx.t("sim_generator", sigma=params["sigma"], slope=params["sigma_slope"],
                       tau_p=params["tau_prefecture"], tau_g=params["tau_group"], effect=params["joint_effect"]))
    pinned = survey.small_joint_pin(bool(params.get("pin_inferred_label")), ctx.load("evidence_label_assignments"))
    if pinned is not None:
        gaps = ctx.load("evidence_gaps")
        row = gaps[(gaps["class_id"] == 1) & gaps["inferred_label"] & gaps["plausibility_floor"]
                   & (gaps["reading"] == "without_3") & gaps["label_used"]].iloc[0]
        gap = 100 * ((row["ratio_low"] + row["ratio_high"]) / 2 - 1)
        ctx.markdown(ctx.t("sim_pinned_note", label=int(pinned), gap=gap, effect=params["joint_effect"]))
    comparison = ctx.load("model_comparison")
    table = pd.DataFrame({
        "specification": comparison["model"].map(lambda m: ctx.pick(MODELS.get(m, (m, m)))),
        "assumed_pct": 100 * params["joint_effect"],
        "joint_effect_pct": comparison["joint_effect_pct"],
    })
    heads = {"assumed_pct": ctx.t("sim_assumed_pinned" if pinned is not None else "sim_assumed"),
             "joint_effect_pct": ctx.t("sim_estimated")}
    ctx.table(table, ctx.t("sim_recovery_caption") + label, "sim_recovery", caution=caution, headers=heads,
              formats={"assumed_pct": "{:+.0f}", "joint_effect_pct": "{:+.1f}"})
    if pinned is not None:
        ctx.markdown(ctx.t("sim_recovery_note", gap=gap, effect=params["joint_effect"]))
    _coverage(ctx)
    line = ctx.load("model_assumed_saving")
    saving = ctx.load("model_counterfactual")
    sup = saving[(saving["model"] == "main") & (saving["area"] == "全国") & saving["class_id"].notna()]
    excluded = [c.label_ja if ctx.lang == "ja" else c.label_en for c in published.POPULATION_CLASSES
                if bool(sup.loc[sup["class_id"] == c.class_id, "extrapolation"].iloc[0])]
    ctx.markdown(ctx.t("sim_line_note", excluded=("、" if ctx.lang == "ja" else ", ").join(excluded) or "—",
                       n=published.MIN_SUPPORT))
    ctx.figure(plots.assumed_saving(line, "全国", ctx.lang))
    ctx.markdown(ctx.t("sim_study_note"))


def _coverage(ctx: Context) -> None:
    """The build's small simulation study of the intervals: why a real file's default is prefecture-clustered."""
    from jichitai_cloud.registry import metadata

    cov = ctx.load("model_inference_coverage")
    by = cov.set_index("estimator")
    ctx.markdown(ctx.t("cov_note", draws=int(by["draws"].max()), hc3=float(by.loc["ols_hc3", "coverage"]),
                       cluster=float(by.loc["ols_cluster_prefecture", "coverage"]),
                       two_se=2 * float(by["coverage_mc_se"].max())))
    cov = cov.sort_values("estimator", key=lambda e: e.map({k: i for i, k in enumerate(vocab.INFERENCE)}))
    shown = cov.assign(estimator=cov["estimator"].map(lambda e: ctx.pick(vocab.INFERENCE[e])))[
        ["estimator", "covariance", "draws", "coverage", "coverage_mc_se", "bias"]]
    ctx.table(shown, ctx.t("cov_caption") + metadata.kind_tag("model_inference_coverage", ("coverage",), ctx.lang),
              "method_coverage", table="model_inference_coverage")


def _method_reported(ctx: Context) -> None:
    from jichitai_cloud.analysis import models

    lang, info, model = ctx.lang, ctx.load("survey_input"), ctx.params["model"]
    label, caution = ctx.survey_label, ctx.caution
    coefs = ctx.load("model_coefficients")
    cols = ["term", "estimate", "std_error", "ci_low", "ci_high", "p_value", "n", "covariance"]
    model_name = ctx.pick(MODELS.get(model, (model, model)))
    table, hidden = models.visible_terms(coefs[coefs["model"] == model])
    table = table[cols].copy()
    table["term"] = table["term"].map(lambda x: ctx.pick(TERMS.get(x, (x, x))))
    cap = ctx.t("reg_coef_caption", model=model_name) + label + (ctx.t("fe_hidden", n=hidden) if hidden else "")
    ctx.table(table, cap, "reg_main", caution=caution)
    comparison = ctx.load("model_comparison")
    comparison = comparison.assign(model=comparison["model"].map(lambda m: ctx.pick(MODELS.get(m, (m, m)))),
                                   estimator=comparison["estimator"].map(lambda m: ctx.pick(ESTIMATORS.get(m, (m, m)))))
    ctx.table(comparison[["model", "estimator", "n", "parameters", "r_squared", "aic", "joint_effect_pct",
                          "joint_std_error", "covariance"]], ctx.t("reg_compare_caption") + label, "reg_compare",
              caution=caution)
    saving = ctx.load("model_counterfactual")
    saving = saving[(saving["area"] == "全国") & saving["model"].isin([model, "ppml"])]
    saving = saving.assign(specification=saving["model"].map(lambda m: ctx.pick(MODELS.get(m, (m, m)))))
    ctx.markdown(ctx.t("reg_saving_note", n=published.MIN_SUPPORT))
    ctx.table(saving[["specification", "class_id", "joint_members", "extrapolation", "includes_extrapolation",
                      "counterfactual_municipalities", "counterfactual_cost_oku_yen", "saving_oku_yen",
                      "ci_low_oku_yen", "ci_high_oku_yen"]], ctx.t("reg_saving_caption") + label, "reg_saving",
              caution=caution)
    sens = ctx.load("model_membership_sensitivity")
    sens = sens.assign(estimator=sens["estimator"].map(lambda m: ctx.pick(ESTIMATORS.get(m, (m, m)))))
    ctx.table(sens[["estimator", "membership_as_of", "joint_members", "joint_effect_pct"]],
              ctx.t("reg_sensitivity_caption") + label, "reg_sensitivity", caution=caution)
    _coverage(ctx)
    data = models.model_frame(ctx.load("survey"), ctx.load("municipalities"))
    curves = ctx.load("model_fitted_curves")
    ctx.figure(plots.fitted_curves(data, curves[curves["model"] == "main"], curves[curves["model"] == "class_level"],
                                   ctx.load("published_cost_by_class"), label, vocab.survey_caption(info, lang), lang),
               caution)


def _class_level(ctx: Context) -> None:
    fit = ctx.load("model_class_level_fit").iloc[0]
    ctx.markdown(ctx.t("class_level_note", j=fit["j_statistic"], df=int(fit["degrees_of_freedom"]),
                       within=int(fit["within_rounding"]), moments=int(fit["moments"]),
                       largest=fit["largest_gap_half_widths"]))
    mom = ctx.load("model_class_level_moments")
    table = mom.assign(moment=mom["moment"].map(lambda m: ctx.t(f"moment_{m}")),
                       population_class=mom["class_id"].map(lambda c: _class_label(ctx, int(c))))[
        ["population_class", "moment", "published", "fitted", "gap_half_widths"]]
    heads = {"published": ctx.t("cl_published"), "fitted": ctx.t("cl_fitted"), "gap_half_widths": ctx.t("cl_gap"),
             "moment": ctx.t("cl_moment"), "population_class": ctx.t("population_class")}
    ctx.table(table, ctx.t("reg_class_caption"), "reg_class", headers=heads,
              formats={"published": "{:,.0f}", "fitted": "{:,.1f}", "gap_half_widths": "{:+,.1f}"})
    ctx.figure(plots.class_level_fit(mom, ctx.lang))


def _reconciliation(ctx: Context) -> None:
    rec = ctx.load("reconciliation")
    summary = checks.summary(rec)
    summary["topic"] = summary["topic"].map(lambda x: ctx.pick(TOPICS.get(x, (x, x))))
    ctx.markdown(ctx.t("rec_note") + " " + survey.reconciliation_note(ctx.load("survey_input"), ctx.lang))
    ctx.table(summary, ctx.t("rec_caption"), "reconciliation_summary")
    bad = checks.mismatch_table(rec, ctx.lang)
    if len(bad):
        ctx.table(bad, ctx.t("rec_bad_caption"), "reconciliation_mismatches")


NationalReport.SECTIONS = (
    Section("h_evidence", _evidence),
    Section("h_totals", _totals),
    Section("h_cost_by_class", _cost_by_class),
    Section("h_status_counts", _status_counts),
    Section("h_adoption", _adoption),
    Section("h_groups", _national_groups),
    Section("h_method", _method),
    Section("h_reconciliation", _reconciliation),
)


# --- prefecture sections --------------------------------------------------------------------------------

def _prefecture_frame(ctx: Context) -> pd.DataFrame:
    f = ctx.load("municipalities")
    return f[f["prefecture"] == ctx.params["prefecture"]]


def _kind(ctx: Context, table: str, *columns: str) -> str:
    """A row's kind of figure, from the registry's provenance of the columns it shows (never typed)."""
    from jichitai_cloud.registry import metadata

    kinds = metadata.kinds_of(table, columns).split("+")
    return ("・" if ctx.lang == "ja" else ", ").join(ctx.pick(vocab.KIND[k]) for k in kinds)


def _pref_overview(ctx: Context) -> None:
    """The prefecture's figures, each with its kind from the registry: the same columns its summary quotes."""
    pref = ctx.params["prefecture"]
    f = _prefecture_frame(ctx)
    s = ctx.load("evidence_membership_shares")
    s = s[(s["as_of"] == "2018-04-01") & (s["by"] == "prefecture")].copy()
    s["rank"] = s["share_pct"].rank(ascending=False, method="min").astype(int)
    me = s.set_index("key").loc[pref]
    tied = int((s["rank"] == me["rank"]).sum())
    pop = municipalities.POPULATION_BASES[ctx.params["population_basis"]]
    n_planned = int((findings.planned_joiners(ctx.load)["prefecture"] == pref).sum())
    shares = "evidence_membership_shares"
    rows = [
        (ctx.t("ov_municipalities"), f"{int(me['municipalities']):,}", _kind(ctx, shares, "municipalities")),
        (ctx.t("ov_population", basis=ctx.pick(vocab.BASIS_DATES[ctx.params["population_basis"]])),
         f"{int(f[pop].sum()):,}", _kind(ctx, "municipalities", pop)),
        (ctx.t("ov_joint"), f"{int(me['members']):,}", _kind(ctx, shares, "members")),
        (ctx.t("ov_share"), f"{me['share_pct']:.1f}%", _kind(ctx, shares, "share_pct")),
        (ctx.t("ov_rank"), ctx.t("rank_fmt", rank=int(me["rank"])) + (ctx.t("rank_tied", n=tied) if tied > 1 else ""),
         _kind(ctx, shares, "share_pct")),
        (ctx.t("ov_expected"), _expected_text(ctx, pref),
         _kind(ctx, "evidence_membership_prefecture_ranges", "expected_members", "range_low")),
        (ctx.t("ov_planned"), f"{n_planned:,}", _kind(ctx, "planned_joins", "name_as_written", "already_member_2018_04")),
        (ctx.t("ov_planned_expected"), _planned_expected_text(ctx, pref),
         _kind(ctx, "evidence_prefecture_join_ranges", "expected_joiners", "range_low")),
    ]
    if not ctx.simulated:
        stats = survey.by_prefecture(ctx.load("survey"), ctx.load("municipalities")).set_index("prefecture")
        rows.append((ctx.t("ov_cost"), f"{stats.loc[pref, 'cost_per_resident_mean_yen']:,.0f}", ctx.survey_label))
    ctx.table(pd.DataFrame(rows, columns=["item_label", "value", "source"]), ctx.t("pref_overview_caption"),
              "pref_overview", right=["value"])


def _expected_text(ctx: Context, pref: str) -> str:
    """The membership model's expected count with its predictive range, and where the actual count lies."""
    r = ctx.load("evidence_membership_prefecture_ranges").set_index("prefecture").loc[pref]
    return ctx.t("ov_expected_fmt", expected=r["expected_members"], low=int(r["range_low"]), high=int(r["range_high"]),
                 level=float(r["range_level"]), where=ctx.pick(POSITIONS[r["position"]]))


def _planned_expected_text(ctx: Context, pref: str) -> str:
    """The chosen model's expected joiners FY2018–FY2023 with its predictive range (the prefecture spread)."""
    r = ctx.load("evidence_prefecture_join_ranges").set_index("prefecture").loc[pref]
    return ctx.t("ov_expected_fmt", expected=r["expected_joiners"], low=int(r["range_low"]), high=int(r["range_high"]),
                 level=float(r["range_level"]), where=ctx.pick(POSITIONS[r["position"]]))


def _membership_rows(ctx: Context, codes: pd.Series) -> pd.DataFrame:
    """Real covariates, predicted probability and actual membership or planned join of these municipalities."""
    groups, members = ctx.load("cloud_groups"), ctx.load("cloud_group_members")
    p = ctx.load("evidence_membership_predictions").set_index("code").loc[list(codes)]
    f = ctx.load("municipalities").set_index("code").loc[list(codes)]
    planned = ctx.load("planned_joins").set_index("code")
    pop = municipalities.POPULATION_BASES[ctx.params["population_basis"]]

    def status(code, gid):
        if pd.notna(gid):
            return vocab.group_name(int(gid), groups, members, ctx.lang, with_id=True)
        if code in planned.index:
            fy = planned.loc[code, "target_fy"]
            return ctx.t("planned_undetermined") if pd.isna(fy) else ctx.t("planned_fy", fy=int(fy))
        return "—"

    return pd.DataFrame({
        "code": list(codes), "name": f["name"].to_numpy(), "kind": f["kind"].to_numpy(),
        "population_basis_persons": f[pop].to_numpy(),
        "fiscal_strength_index_fy2016": p["fiscal_strength_index_fy2016"].to_numpy(),
        "ageing_pct": p["ageing_pct"].to_numpy(), "density_per_km2": p["density_per_km2"].to_numpy(),
        "predicted_probability": p["predicted_probability"].to_numpy(),
        "join_probability_fy2018_2023": p["join_probability_fy2018_2023"].to_numpy(),
        "joint_cloud_group": [status(c, g) for c, g in zip(codes, f["joint_cloud_group_id"])],
    })


_MEMBERSHIP_HEADERS = {
    "joint_cloud_group": ("自治体クラウド（平成30年4月）・加入予定［公表値］", "joint cloud (2018-04) or planned join "
                          "[published]"),
}


def _pref_municipalities(ctx: Context) -> None:
    from jichitai_cloud.registry import metadata

    f = _prefecture_frame(ctx)
    table = _membership_rows(ctx, f["code"])
    heads = {c: metadata.header(c, ctx.lang) for c in ("fiscal_strength_index_fy2016", "ageing_pct", "density_per_km2",
                                                       "predicted_probability", "join_probability_fy2018_2023")}
    heads.update({k: ctx.pick(v) for k, v in _MEMBERSHIP_HEADERS.items()})
    ctx.figure(plots.map_prefecture(ctx.load("municipalities"), ctx.load("cloud_groups"),
                                    ctx.load("cloud_group_members"), ctx.load("planned_joins"),
                                    ctx.params["prefecture"], ctx.lang))
    ctx.markdown(ctx.t("pref_mun_note", basis=ctx.pick(vocab.BASIS_DATES[ctx.params["population_basis"]])))
    ctx.table(table, ctx.t("pref_mun_caption"), "pref_municipalities", headers=heads,
              formats={c: metadata.FIELDS[c].fmt for c in heads if c in metadata.FIELDS})


def _pref_groups(ctx: Context) -> None:
    pref = ctx.params["prefecture"]
    in_pref = set(ctx.load("cloud_group_members").query("prefecture == @pref")["group_id"])
    g = ctx.load("cloud_groups")
    g = g[g["group_id"].isin(in_pref)]
    ctx.markdown(ctx.t("groups_note"))
    if g.empty:
        ctx.markdown(ctx.t("no_groups"))
        return
    _group_table(ctx, g, "groups_prefecture")


def _pref_position(ctx: Context) -> None:
    pref = ctx.params["prefecture"]
    shares = municipalities.joint_share_by_prefecture(ctx.load("municipalities"))
    ctx.figure(plots.prefecture_share(shares, pref, ctx.lang))
    if not ctx.simulated:
        stats = shares.merge(survey.by_prefecture(ctx.load("survey"), ctx.load("municipalities")), on="prefecture")
        ctx.figure(plots.prefecture_cost(stats, pref, ctx.survey_label, vocab.survey_caption(ctx.load("survey_input"),
                                                                                          ctx.lang), ctx.lang),
                   ctx.caution)


def _pref_saving(ctx: Context) -> None:
    """Simulated survey: the saving as a line in the assumed effect. Real file: the model's saving over the
    prefecture's counterfactual municipalities in the supported classes, with its interval."""
    pref, model = ctx.params["prefecture"], ctx.params["model"]
    if ctx.simulated:
        line = ctx.load("model_assumed_saving")
        ctx.markdown(ctx.t("pref_saving_line_note", n=published.MIN_SUPPORT))
        if (line["area"] == pref).any():
            ctx.figure(plots.assumed_saving(line, pref, ctx.lang))
        else:
            ctx.markdown(ctx.t("pref_saving_none"))
        return
    saving = ctx.load("model_counterfactual")
    saving = saving[(saving["model"].isin([model, "ppml"])) & saving["area"].isin(["全国", pref])
                    & saving["class_id"].isna() & ~saving["includes_extrapolation"]]
    saving = saving.assign(specification=saving["model"].map(lambda m: ctx.pick(MODELS.get(m, (m, m)))))
    ctx.markdown(ctx.t("pref_saving_note", model=ctx.pick(MODELS.get(model, (model, model))), n=published.MIN_SUPPORT))
    ctx.table(saving[["specification", "area", "counterfactual_municipalities", "counterfactual_cost_oku_yen",
                      "saving_oku_yen", "ci_low_oku_yen", "ci_high_oku_yen", "covariance"]],
              ctx.t("pref_saving_caption") + ctx.survey_label, "pref_saving", caution=ctx.caution)


PrefectureReport.SECTIONS = (
    Section("h_pref_overview", _pref_overview),
    Section("h_pref_municipalities", _pref_municipalities),
    Section("h_groups", _pref_groups),
    Section("h_pref_position", _pref_position),
    Section("h_pref_saving", _pref_saving),
)


# --- group sections -------------------------------------------------------------------------------------

def _group_overview(ctx: Context) -> None:
    gid = ctx.params["group_id"]
    g = ctx.load("cloud_groups").set_index("group_id").loc[gid]
    rec = ctx.load("reconciliation").set_index("check_id")
    check = rec.loc[f"groups.population.{gid}"]
    name = vocab.group_name(gid, ctx.load("cloud_groups"), ctx.load("cloud_group_members"), ctx.lang)
    rows = [
        (ctx.t("g_name"), name, ctx.t("published")),
        (ctx.t("g_prefectures"), g["prefectures"], ctx.t("published")),
        (ctx.t("g_start"), ctx.t("start_fmt", written=g["start_year_as_written"], fy=g["start_fy"]), ctx.t("published")),
        (ctx.t("g_members"), f"{int(g['stated_members'])}", ctx.t("published")),
        (ctx.t("g_matched"), f"{int(g['matched_members'])}", ctx.t("derived")),
        (ctx.t("g_stated_pop"), f"{int(g['stated_population_2018_01_01_persons']):,}", ctx.t("published")),
        (ctx.t("g_members_pop"), f"{int(g['members_population_2018_01_01_persons']):,}", ctx.t("real")),
    ]
    ctx.table(pd.DataFrame(rows, columns=["item_label", "value", "source"]), ctx.t("group_overview_caption"),
              "group_overview", right=["value"])
    if check["status"] != checks.OK:
        explanation = check["explanation_ja" if ctx.lang == "ja" else "explanation"]
        ctx.markdown(f"**{ctx.t('g_mismatch')}** {explanation or ctx.t('g_unexplained')}")
    cases = ctx.load("case_study_members")
    case = cases.loc[cases["group_id_2018_04"] == gid, "case"].unique()
    if len(case):
        savings = ctx.load("case_study_savings")
        ctx.markdown(ctx.t("case_note", case=case[0]))
        ctx.table(savings[savings["case"] == case[0]][["what_as_written", "reduction_pct"]], ctx.t("case_caption"),
                  "group_case")


def _group_members(ctx: Context) -> None:
    from jichitai_cloud.registry import metadata

    m = ctx.load("cloud_group_members")
    m = m[m["group_id"] == ctx.params["group_id"]]
    table = _membership_rows(ctx, m["code"]).drop(columns=["joint_cloud_group", "join_probability_fy2018_2023"])
    table.insert(1, "prefecture", m["prefecture"].to_numpy())
    table.insert(3, "name_as_written", m["name_as_written"].to_numpy())
    heads = {c: metadata.header(c, ctx.lang) for c in ("fiscal_strength_index_fy2016", "ageing_pct", "density_per_km2",
                                                       "predicted_probability")}
    ctx.figure(plots.map_group(ctx.load("municipalities"), ctx.load("cloud_groups"), ctx.load("cloud_group_members"),
                               ctx.params["group_id"], ctx.lang))
    ctx.markdown(ctx.t("group_members_note"))
    ctx.table(table, ctx.t("group_members_caption"), "group_members", headers=heads,
              formats={c: metadata.FIELDS[c].fmt for c in heads})


def _group_compare(ctx: Context) -> None:
    codes = ctx.load("cloud_group_members").query("group_id == @ctx.params['group_id']")["code"]
    table = survey.comparable_non_members(ctx.load("survey"), ctx.load("municipalities"), codes)
    label, caption = ctx.survey_label, vocab.survey_caption(ctx.load("survey_input"), ctx.lang)
    ctx.markdown(ctx.t("group_compare_note"))
    ctx.table(table[["name", "prefecture", "population_2017_01_01_persons", "cost_per_resident_yen", "comparables",
                     "comparables_median_yen", "ratio_to_comparables"]], ctx.t("group_compare_caption") + label,
              "group_compare", caution=ctx.caution)
    ctx.figure(plots.members_vs_comparables(table, label, caption, ctx.lang), ctx.caution)


GroupReport.SECTIONS = (
    Section("h_group_overview", _group_overview),
    Section("h_group_members", _group_members),
    Section("h_group_compare", _group_compare),
)

MAX_SECTIONS = max(len(r.SECTIONS) for r in REPORTS.values())
