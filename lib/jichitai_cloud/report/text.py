"""Every sentence, caption and label the report layer shows: data, not code, as (ja, en) pairs.

``TEXT`` holds the reports' prose, headings and captions, ``CHART`` the charts' titles, axes, legends and
captions; the smaller dicts label the codes of a table's column (keyed by the code). ``{name}`` marks a
value the caller fills in (``str.format``).

No kind of figure is typed here. A tag such as ［公表値］ / [published] is appended by the code, or filled
into a ``{..._tag}`` placeholder, from the registry: the kinds of the columns the number comes from
(:mod:`jichitai_cloud.report.kinds`). Status, reading, kind and model names are the vocabulary's
(:mod:`jichitai_cloud.registry.vocab`), not repeated here.
"""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    "summary_h": ("## 要旨", "## Summary"),
    "contents_h": ("**目次**", "**Contents**"),
    "summary_note": ("以上はいずれも公表値・実データとそれらからの導出値で、シミュレーションの数値は含まない。推定した割当てによる"
                     "数値は{inferred}、仮定した率による数値は{scenario}と記す。差は異なる団体の横断比較で、加入による削減を示すものではない。",
                     "Every finding above comes from published figures and real data, or is derived from them; none "
                     "comes from the simulation. Numbers resting on the inferred chart label say {inferred}, those "
                     "resting on an assumed rate say {scenario}. Gaps compare different municipalities: they are not "
                     "savings caused by joining."),
    "provenance": (
        "**データの出所**　{citation}。利用条件：政府標準利用規約（第2.0版）、CC BY 4.0 互換。"
        "人口等は総務省「住民基本台帳に基づく人口」、独立行政法人統計センター「SSDSE」、総務省「地方公共団体の主要財政指標一覧」"
        "（実データ）。\n\n"
        "**値の区分**　{published}総務省が公表した数値（PDF から抽出したテキストから転記し、資料中の合計と照合した）。"
        "{derived}公表値・実データから本リポジトリが計算した値。{real}市区町村別の公的統計。"
        "{inferred}公表値から推定したが公表されていない割当て。{scenario}仮定した率を当てはめた値（推定ではない）。"
        "{simulated}公表集計値に合わせて較正した模擬データ（方法の検証にのみ用いる）。公表値・実データ相互の照合 {n_checks} 件中 {n_ok} 件一致{mismatch_note}。",
        "**Sources**: {citation}. Licence: the Government of Japan Standard Terms of Use (version 2.0), compatible with "
        "CC BY 4.0. Population and covariates: MIC's population from the Basic Resident Register, the National "
        "Statistics Center's SSDSE and MIC's main fiscal indicators of local governments (real data).\n\n"
        "**Kinds of figures**: {published} figures published by MIC (typed from the PDF-extracted text and checked "
        "against the totals it states); {derived} computed here from published or real figures; {real} official "
        "per-municipality statistics; {inferred} an assignment inferred from published figures, not published; "
        "{scenario} an assumed rate applied (not an estimate); "
        "{simulated} data calibrated to the published aggregates, used only to check the method. {n_ok} of "
        "{n_checks} checks of published and real figures against each other agree{mismatch_note}."),
    "mismatch_note": ("。不一致 {n_bad} 件は全国レポートの第{k}節に理由とともに示す",
                      "; section {k} of the national report explains each of the {n_bad} mismatches"),
    "table": ("表{n}　{caption}", "Table {n}. {caption}"),
    "start_fmt": ("{written}（{fy}年度）", "{written} (FY{fy})"),
    "fe_hidden": ("（都道府県の固定効果{n}項は省略）", " ({n} prefecture effects not shown)"),
    "rank_fmt": ("{rank}位", "{rank}"), "rank_tied": ("（{n}都道府県が同率）", " ({n} prefectures tied)"),
    "planned_fy": ("{fy}年度に加入予定", "plans to join in FY{fy}"),
    "planned_undetermined": ("加入予定（時期未定）", "plans to join (date undetermined)"),
    # section headings
    "h_evidence": ("公表値が示す自治体クラウドの経費", "What the published figures say about joint cloud"),
    "h_totals": ("調査結果の全国値", "National figures of the survey"),
    "h_cost_by_class": ("人口規模区分別の経費", "Cost by population class"),
    "h_status_counts": ("クラウド導入状況別の団体数", "Municipalities by cloud status"),
    "h_adoption": ("クラウド導入市区町村数の推移と目標", "Cloud adoption over time and targets"),
    "h_groups": ("自治体クラウドグループ", "Joint-cloud groups"),
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
        "total cost, number of years, projected or achieved. The document's claim that running costs can be cut by about 30% "
        "agrees with the groups' reports. But the groups report their own savings on the shared systems, while the survey's IT cost "
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
        "A logit of membership (the group list, 2018-04) on log population and its square, the fiscal strength index (FY2016), the share "
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
                        "would come to (100 million yen)"),
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
    "totals_caption": ("調査結果の全国値", "National figures of the survey"),
    "class_caption": ("人口規模区分別の情報システム経費", "IT-system cost by population class"),
    "class_derived_caption": ("人口規模区分別の割合と区分全体の一人当たり経費",
                              "Shares and class-wide cost per resident"),
    "class_note": ("「住民一人当たり経費 団体平均」が区分平均（区分内の市区町村の単純平均）{mean_tag}である。"
                   "区分総経費÷区分人口{aggregate_tag}は人口で重み付けた区分全体の一人当たり経費で、小規模団体の高い値が区分平均を"
                   "押し上げる分だけこれより低い（２万人未満で特に大きい）。",
                   "The published per-resident figure is the simple mean over the class's municipalities; class total ÷ "
                   "class population{aggregate_tag} is lower because small municipalities' high values weigh equally in the "
                   "mean (most of all under 20k)."),
    "status_note": ("自治体クラウド：基幹系システム等のクラウド化を実施し、かつ複数団体で共同利用しているもの。"
                    "単独クラウド：クラウド化しているが共同利用は行っていないもの（資料の定義）。",
                    "Joint cloud: core systems in the cloud and shared by several municipalities. Single cloud: in the "
                    "cloud but not shared (the document's definitions)."),
    "status_caption": ("人口規模区分別・クラウド導入状況別の団体数",
                       "Municipalities by population class and cloud status"),
    "adoption_caption": ("クラウド導入市区町村数（各年4月1日等）と目標", "Municipalities using cloud systems and the targets"),
    "starred_tag": ("［{kind}、* は{starred}］", " [{kind}; * {starred}]"),
    "adoption_note": ("単独クラウドの団体数は、資料に記載のない時点ではクラウド導入団体数−自治体クラウド団体数として計算した"
                      "{starred_tag}（表中 * 印）。目標は「約」付きの概数。",
                      "Single-cloud counts not stated in the document are cloud − joint{starred_tag} (marked *). Targets "
                      "are approximate (the document says 'about')."),
    "tracker_note": ("**見込み{tag}**：平成30年4月1日の状態（クラウド導入{cloud:,}団体、うち自治体クラウド{joint:,}団体）に、"
                     "同資料の加入予定（平成30～35年度、目標年度が36年度以降・未定の団体を除く）を目標年度ごとに加えた。"
                     "加入予定の団体が現在単独クラウドか未導入かは分からないため、クラウド導入団体数は幅で示す"
                     "（下限：全団体が単独クラウドから移行、上限：全団体が未導入から導入）。",
                     "**Projection{tag}**: the state on 2018-04-01 ({cloud:,} cloud municipalities, {joint:,} joint) "
                     "plus the document's planned joins (FY2018-FY2023; later and undetermined ones left out) by target "
                     "year. Whether a joiner now uses a single cloud or none is not known, so the cloud total is a range "
                     "(low: every joiner was single cloud; high: none was)."),
    "tracker_caption": ("クラウド導入の見込み（各年度末）と2023年度末の目標",
                        "Projection (end of each fiscal year) and the FY2023 targets"),
    "groups_map_note": ("地図は平成30年4月のグループ一覧の構成団体（色はグループ、隣り合うグループは別の色）と、加入予定の団体"
                        "（目標年度ごとの色）を示す。沖縄県と小笠原村は枠内に示す。",
                        "The map shows the members of the 2018-04 group list (coloured by group, neighbouring groups "
                        "apart) and the planned joiners (coloured by target year); Okinawa and Ogasawara in insets."),
    "groups_note": ("総務省調べ（平成30年4月現在、稼働済団体のみ）。グループ総人口は平成30年1月1日の住民基本台帳人口。"
                    "構成団体の人口は本リポジトリが団体コードに照合して計算した{members_tag}。名称のないグループは構成団体名で示す。",
                    "MIC survey (2018-04, operating members only); group population as of 2018-01-01. Members' "
                    "population is computed here from the Basic Resident Register after matching codes{members_tag}. Groups the list "
                    "leaves unnamed are named by their members."),
    "group_name": ("グループ名（名称のないものは構成団体）", "group (unnamed ones by their members)"),
    "groups_caption": ("自治体クラウドグループ一覧", "Joint-cloud groups"),
    "no_groups": ("この都道府県の市区町村を含むグループはない。", "No group has members in this prefecture."),
    "rec_note": ("資料が示す合計・比率と各行の和、調査の団体数・人口と住民基本台帳、グループ一覧と構成団体を照合した。"
                 "不一致は修正せずに報告する。全件は data/processed/reconciliation にある。",
                 "Stated totals and shares against their rows, the survey's counts and populations against the Basic Resident "
                 "Register, "
                 "and the group list against its members. Mismatches are reported, not fixed; every check is in "
                 "data/processed/reconciliation."),
    "rec_caption": ("照合の対象別の件数", "Checks by topic"),
    "rec_bad_caption": ("不一致とその理由", "Mismatches and their explanation"),
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
                        "（公表値から導かれる同区分の未導入の平均に対し{gap:+.1f}%{gap_tag}）。このため{effect:+.0%}は２万人以上の区分"
                        "だけの仮定で、1回の模擬データの推定値はこれと一致しない。方法の偏りと信頼区間の被覆率は、多数の模擬データに"
                        "よる検証（05）で確かめる。",
                        "In the under-20k class, however, the joint-cloud mean is set to the chart label the evidence "
                        "infers for it, {label:,} yen ({gap:+.1f}% against that class's no-cloud mean implied by the "
                        "published figures{gap_tag}). So {effect:+.0%} is assumed for the classes of 20k and over only, "
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
    "cl_moment": ("指標", "moment"), "cl_fitted": ("曲線による値", "curve's value"),
    "cl_gap": ("ずれ（丸め幅の半分を単位）", "gap (half rounding widths)"),
    "reg_coef_caption": ("{model}の係数", "Coefficients: {model}"),
    "reg_class_caption": ("区分別モデル：公表値と曲線による値", "Class-level model: published and fitted moments"),
    "reg_saving_caption": ("未導入団体が自治体クラウドの効果を得た場合の年間削減額（全国、区分別）",
                           "Annual saving if the no-cloud municipalities had the joint-cloud effect (national, by class)"),
    "reg_compare_caption": ("モデルの比較", "Model comparison"),
    # prefecture
    "pref_overview_caption": ("概要", "Overview"),
    "rows_tag": ("［{kinds}：各行の出所欄］", " [{kinds}: see each row's source]"),
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
                      "予測した値{predicted_tag}で、実際の参加（グループ一覧、平成30年4月）と並べた。予測加入確率{join_tag}は、"
                      "未参加の団体が平成30～35年度に加入する確率（後の加入予定で検証して選んだモデル）で、加入予定と並べた。",
                      "Population: Basic Resident Register ({basis}); fiscal strength index: FY2016 accounts; aged 65+: 2015 census; density per "
                      "habitable km² (all real). The predicted probability is the membership model's, from these and "
                      "the kind{predicted_tag}, beside actual membership (the group list, 2018-04). The probability of "
                      "joining{join_tag} is a non-member's chance of joining FY2018–FY2023 under the model chosen by "
                      "the test on the later planned joins, beside its planned join."),
    "pref_mun_caption": ("市区町村別の状況", "Municipalities"),
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
    "group_overview_caption": ("グループの概要", "The group"),
    "g_name": ("名称", "name"), "g_prefectures": ("都道府県", "prefectures"), "g_start": ("導入年度", "start year"),
    "g_members": ("団体数（資料）", "members (stated)"), "g_matched": ("団体コードに照合できた構成団体", "members matched to a code"),
    "g_stated_pop": ("グループ総人口（資料、平成30年1月1日）", "group population (stated, 2018-01-01)"),
    "g_members_pop": ("構成団体の人口の和（住民基本台帳、平成30年1月1日）", "members' population (Basic Resident Register, 2018-01-01)"),
    "g_mismatch": ("資料のグループ総人口と構成団体の人口が一致しない。", "The stated group population differs from the members'."),
    "g_unexplained": ("理由は未確認。", "Cause not known."),
    "case_note": ("**資料の導入事例：** このグループは資料の導入事例（{case}）に取り上げられている{tag}。",
                  "**A case study of the document:** this group is case {case} of the document's case studies{tag}."),
    "case_caption": ("導入事例に記載の削減効果", "Savings stated in the case study"),
    "group_members_note": ("人口・財政力指数・65歳以上の割合・人口密度は実データ、予測参加確率は参加モデルの予測{predicted_tag}。",
                           "Population, fiscal strength index, aged 65+ and density are real; the predicted probability is the "
                           "membership model's{predicted_tag}."),
    "group_members_caption": ("構成団体（資料の表記と照合先）", "Members (as written, and matched)"),
    "group_compare_note": ("各構成団体の住民一人当たり経費を、人口が2倍以内（半分から2倍）で自治体クラウドに参加していない"
                           "団体の中央値と比べた。比が1未満なら同規模の非参加団体より低い。",
                           "Each member's cost per resident against the median of municipalities in no joint cloud whose "
                           "population lies within a factor of two. A ratio below 1 is lower than similar non-members."),
    "group_compare_caption": ("構成団体と同規模の非参加団体", "Members and similar non-members"),
    "ev_labels_value": ("グラフの数値（円）", "chart label (yen)"),
    "joint_cloud_group_h": ("自治体クラウド（平成30年4月）・加入予定", "joint cloud (2018-04) or planned join"),
    "cell_name": ("「{cls}」の{status}", "{cls} {status}"),
    "range": ("{low}～{high}", "{low}–{high}"),
    "list_sep": ("、", ", "), "list_sep_semicolon": ("、", "; "),
    "month": ("{year}年{month}月", "{year}-{month:02d}"),
}

# --- labels of a column's codes -------------------------------------------------------------------------

TERMS = {"Intercept": ("切片", "intercept"), "log_pop_c": ("log人口（中心化）", "log population (centred)"),
         "log_pop_c²": ("log人口（中心化）の2乗", "log population (centred), squared")}  # the status terms: vocab.STATUS
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
POSITIONS = {"above": ("上回る", "above"), "below": ("下回る", "below"), "within": ("範囲内", "within")}
MOMENTS = {"mean_per_resident_yen": ("一人当たり平均（円）", "mean per resident (yen)"),
           "total_oku_yen": ("総経費（億円）", "total (100 million yen)")}
ADOPTION_KINDS = {"actual": ("実績", "actual"), "target": ("目標", "target")}
# Cell values the analysis writes in English (how an interval was computed), with their Japanese.
METHODS = (
    ("HC3（不均一分散に頑健）", "HC3 (heteroskedasticity-robust)"),
    ("HC0（不均一分散に頑健）", "HC0 (heteroskedasticity-robust)"),
    ("都道府県でクラスター化、t(G−1)", "clustered by prefecture, t(G − 1)"),
    ("自治体クラウドのグループでクラスター化（非参加団体は単独）、t(G−1)",
     "clustered by joint-cloud group (non-members alone), t(G − 1)"),
    ("都道府県でクラスター化", "clustered by prefecture"),
    ("自治体クラウドのグループでクラスター化（非参加団体は単独）", "clustered by joint-cloud group (non-members alone)"),
    ("Huber H1（頑健なサンドイッチ推定）", "Huber H1 (robust sandwich)"),
    ("通常の標準誤差（WLS、重み＝団体数、公表された6行）", "nonrobust (WLS, weights = municipalities; 6 published rows)"),
    ("デルタ法", "delta method"),
    ("HC3", "HC3"), ("HC0", "HC0"),
    ("都道府県でクラスター化（CR1）、t(G−1)", "clustered by prefecture (CR1), t(G − 1)"),
    ("グループでクラスター化（CR1）、t(G−1)", "clustered by group (CR1), t(G − 1)"),
)

# --- charts -----------------------------------------------------------------------------------------------

CHART: dict[str, tuple[str, str]] = {
    "source_short": ("出典：総務省「自治体クラウドの導入促進の取組」（平成30年度）", "Source: MIC, 「自治体クラウドの導入促進の取組」 (FY2018)"),
    "per_resident_title": ("人口規模区分別 住民一人当たり情報システム経費（平成29年度当初予算）",
                           "IT-system cost per resident by population class (FY2017 initial budgets)"),
    "per_resident_y": ("円／人", "yen per resident"),
    "per_resident_bar": ("区分内の団体平均", "mean over municipalities"),
    "per_resident_point": ("区分総経費÷区分人口", "class total ÷ class population"),
    "class_x": ("人口規模区分", "population class"),
    "status_title": ("人口規模区分別・クラウド導入状況別の団体数", "Municipalities by population class and cloud status"),
    "status_y": ("団体数", "municipalities"),
    "adoption_title": ("クラウド導入市区町村数の推移と目標", "Municipalities using cloud systems, and targets"),
    "adoption_y": ("団体数", "municipalities"),
    "cloud": ("クラウド導入（自治体クラウド＋単独クラウド）", "cloud (joint + single)"),
    "joint": ("うち自治体クラウド", "of which joint cloud"),
    "target": ("目標（約）", "target (approx.)"),
    "old_target": ("旧目標（約）", "old target (approx.)"),
    "projected_joint": ("自治体クラウドの見込み（加入予定から導出）", "joint cloud, projected from planned joins"),
    "projected_cloud": ("クラウド導入の見込みの範囲（導出値）", "cloud, projected range (derived)"),
    "tracker_title": ("クラウド導入市区町村数：実績{actual_tag}、加入予定からの見込み{projected_tag}と目標",
                      "Cloud municipalities: actual{actual_tag}, projected from planned joins{projected_tag}, targets"),
    "class_avg_title": ("人口規模区分別 住民一人当たり経費の団体平均：公表値と市区町村別データからの計算値",
                        "Mean cost per resident by population class: published and computed from the survey"),
    "class_avg_computed": ("市区町村別データから計算", "computed from the per-municipality data"),
    "pref_mun_title": ("市区町村別 住民一人当たり経費と人口", "Municipalities: cost per resident and population"),
    "survey_title": ("住民一人当たり経費と人口（市区町村別、平成29年度当初予算）",
                     "Cost per resident against population (municipalities, FY2017 budgets)"),
    "population_x": ("人口（平成29年1月1日、対数目盛）", "population on 2017-01-01 (log scale)"),
    "per_resident_log_y": ("住民一人当たり経費（円、対数目盛）", "cost per resident (yen, log scale)"),
    "fitted_title": ("推定曲線：住民一人当たり経費と人口", "Fitted curves: cost per resident against population"),
    "geometric_note": ("曲線は推定された対数値の指数（幾何平均）で、算術平均である区分平均より低くなる。",
                       "Curves are exp(fitted log): geometric means, below arithmetic class means."),
    "class_curve": ("区分別モデル（公表値のみ）", "class-level model (published only)"),
    "class_points": ("公表された区分平均", "published class means"),
    "resid_fitted_title": ("残差と推定値", "Residuals against fitted values"),
    "resid_pop_title": ("残差と人口", "Residuals against population"),
    "fitted_x": ("推定値（対数）", "fitted (log)"),
    "residual_y": ("残差（対数）", "residual (log)"),
    "log_pop_x": ("人口（対数目盛）", "population (log scale)"),
    "cooks_title": ("影響の大きい市区町村（Cookの距離）", "Most influential municipalities (Cook's distance)"),
    "cooks_x": ("Cookの距離", "Cook's distance"),
    "share_title": ("自治体クラウドに参加する市区町村の割合（都道府県別、平成30年4月）",
                    "Share of municipalities in a joint cloud, by prefecture (2018-04)"),
    "share_x": ("自治体クラウド参加団体の割合（%）", "share in a joint cloud (%)"),
    "share_caption": ("{tag}総務省「自治体クラウドの導入促進の取組」のグループ一覧（平成30年4月）の構成団体数÷市区町村数",
                      "{tag} members in the group list of MIC 「自治体クラウドの導入促進の取組」 (2018-04) ÷ municipalities"),
    "pref_cost_title": ("都道府県別：自治体クラウド参加割合と住民一人当たり経費", "Prefectures: joint-cloud share and cost per resident"),
    "pref_cost_y": ("住民一人当たり経費の団体平均（円）", "mean cost per resident over municipalities (yen)"),
    "compare_title": ("構成団体と同規模の非参加団体の住民一人当たり経費", "Members against non-members of similar size: cost per resident"),
    "compare_member": ("構成団体", "member"),
    "compare_peers": ("人口が2倍以内の非参加団体の中央値", "median of non-members within a factor 2 of population"),
    "compare_x": ("住民一人当たり経費（円、対数目盛）", "cost per resident (yen, log scale)"),
    "cells_title": ("区分×導入状況別の住民一人当たり経費の平均がとりうる範囲",
                    "Range of each class × status mean cost per resident the published figures allow"),
    "cells_y": ("住民一人当たり経費の平均（円）", "mean cost per resident (yen)"),
    "class_mean": ("区分平均", "class mean"),
    "cells_point": ("ほぼ一点に定まる平均（値）", "a mean pinned down (its value)"),
    "cells_inferred": ("グラフの数値を推定で割り当てた場合（推定）", "with the inferred chart label (inferred)"),
    "cells_unbounded": ("下限は公表値から定まらない（点線、上端まで）", "no lower bound from the figures (dotted, up to its top)"),
    "cells_caption": ("公表された区分平均・団体数・大小関係と下位3団体の値から線形計画法で求めた範囲。読み：{reading}。{label}",
                      "Ranges by linear programming from the published class means, counts, orderings and the three "
                      "outliers. Reading: {reading}. {label}"),
    "label_on": ("白抜きの丸は、２万人未満の自治体クラウドをグラフの数値とした場合の値（推定）。",
                 "Hollow circles: the values if the under-20k joint-cloud bar is the chart label (inferred)."),
    "labels_title": ("グラフの数値が当てはまる区分・導入状況", "Where the chart's stray labels fit"),
    "labels_plausible": ("妥当な範囲で当てはまる", "fits plausibly"),
    "labels_arithmetic": ("算術上のみ当てはまる", "fits arithmetically only"),
    "labels_none": ("当てはまらない", "does not fit"),
    "labels_caption": ("読み：{reading}。★は推定した割当て（公表値ではない）。妥当性の下限：同じ区分の他の値の{floor:.0%}を下回らない"
                       "（導入事例の最大の削減率{cut:.0%}から）。",
                       "Reading: {reading}. J, S, N: joint, single, no cloud. ★ the inferred assignment (not published). "
                       "Plausibility floor: no cell below {floor:.0%} of another in its class (from the largest "
                       "case-study saving, {cut:.0%})."),
    "cases_title": ("導入事例の削減率と56グループの報告", "Case-study savings and the 56 groups' reports"),
    "cases_x": ("削減率（%）", "saving (%)"),
    "cases_band": ("56グループが報告した削減率の平均の範囲", "range of the 56 groups' mean saving"),
    "cases_claim": ("資料の「３割程度削減」", "the document's 'about 30% lower'"),
    "cases_projected": ("白抜きは見込み。", "hollow: projected"),
    "cases_caption": ("出典：総務省「自治体クラウドの導入促進の取組」（導入事例、「56グループの費用削減効果」）。",
                      "Source: MIC 「自治体クラウドの導入促進の取組」 (case studies; 56 groups' savings)."),
    "members_title": ("人口規模区分別の自治体クラウド参加割合", "Joint-cloud membership by population class"),
    "members_y": ("参加割合（%）", "share of municipalities (%)"),
    "members_list": ("グループ一覧（平成30年4月）", "group list (2018-04)"),
    "members_2017": ("平成29年4月1日（開始年度から導出）", "2017-04-01 (from start years)"),
    "members_predicted": ("参加モデルの予測の平均", "mean predicted probability"),
    "members_caption": ("人口：住民基本台帳（平成29年1月1日）。参加：総務省のグループ一覧。予測：人口・財政力指数・高齢化率・"
                        "人口密度・団体区分のロジットモデル。", "Population: Basic Resident Register (2017-01-01). Membership: "
                        "MIC group list. Prediction: logit on population, fiscal strength index, ageing, density "
                        "and kind."),
    "proj_title": ("新たな参加団体の年間経費と、率を当てはめた額の試算（億円）",
                   "New members' annual cost, and what a rate would come to (100 million yen)"),
    "proj_x": ("億円／年", "100 million yen a year"),
    "proj_floor_legend": ("公表値が差を限らない区分は、妥当性の下限ごとの額を次の図に示す。", "Classes where the figures do "
                          "not bound the gap: amounts by plausibility floor in the next chart."),
    "proj_caption": ("年間経費＝各団体の人口（平成29年1月1日）×区分の一人当たり経費（区分総経費÷区分人口と団体平均の間）。"
                     "削減の試算＝年間経費×率。率は仮定で、加入による効果の推定ではない。括弧内は団体数。",
                     "Annual cost = each member's population (2017-01-01) × its class's cost per resident (between class "
                     "total ÷ class population and the simple mean). Saving scenario = cost × rate; the rate is an "
                     "assumption, not an estimate of what joining causes. In brackets: members."),
    "proj_floor_title": ("区分内の差を当てはめた額の上限と妥当性の下限（加入予定団体、億円）",
                         "Class gap applied: upper end by floor (planned joiners)"),
    "proj_floor_x": ("妥当性の下限（同じ区分の他の平均に対する最小の比）", "plausibility floor (smallest ratio of one "
                     "mean to another of its class)"),
    "proj_floor_zero": ("下端は0（公表値は下限を与えない）", "lower end 0 (the figures give none)"),
    "proj_floor_used": ("本文の下限{f:.2f}（導入事例の最大の削減率から）", "the text's floor, {f:.2f} (largest case saving)"),
    "proj_floor_caption": ("区分ごとの差の上限を線形計画法で求め、加入予定団体の年間経費（上限）に掛けた。下限を高くするほど上限は"
                           "下がる。公表値がその下限を許さない区分がある点は描かない。",
                           "Each class's largest gap under the floor by linear programming, times the planned joiners' "
                           "annual cost (upper end). A higher floor lowers the upper end. Floors the published figures "
                           "do not admit in some class are not drawn."),
    "cal_title": ("加入予定に対する較正（予測確率の十分位ごと）", "Calibration on the planned joins (deciles of the probability)"),
    "cal_x": ("予測した加入団体数", "predicted joiners"),
    "cal_y": ("実際の加入予定団体数", "planned joiners observed"),
    "cal_diagonal": ("予測＝実際", "predicted = observed"),
    "cal_caption": ("平成30年4月の参加に当てはめた各モデルで、未参加の団体を予測確率の順に10等分し、平成30～35年度の加入予定団体数と"
                    "予測の合計を比べた。太線は予測に用いるモデル。",
                    "Each model fitted on 2018-04 membership; the municipalities not yet members split into tenths by "
                    "predicted probability; the planned joiners FY2018–FY2023 against the predicted sum. Heavier: the "
                    "model the project predicts with."),
    "sim_cov_title": ("推定方法の95%信頼区間の被覆率", "Coverage of the estimators' 95% intervals"),
    "sim_cov_y": ("被覆率", "coverage"),
    "sim_cov_x": ("仮定した自治体クラウドの効果（%）", "assumed joint-cloud effect (%)"),
    "sim_cov_caption": ("模擬データ{draws}回の結果（仮定ごと）。破線は95%、帯は回数から見た誤差の範囲（±2標準誤差）。"
                        "市区町村についての所見ではない。", "{draws} simulated surveys per assumed effect. Dashed: 95%; band: "
                        "± 2 Monte Carlo standard errors. Not a finding about municipalities."),
    "sim_like_title": ("公表された大小関係を満たす模擬データの割合",
                       "Share of simulated surveys that satisfy the published orderings"),
    "sim_like_y": ("割合", "share of draws"),
    "sim_like_orderings": ("大小関係を満たす", "satisfy the orderings"),
    "sim_like_label": ("２万人未満の比が推定したグラフの数値の値に近い", "under-20k ratio near the inferred label's"),
    "sim_like_caption": ("仮定した効果のもとで模擬データが公表値の大小関係を満たす割合。生成モデルの他の設定（単独クラウドの効果、"
                         "ばらつき）を所与とした効果の近似的な尤度で、効果の確率ではない。全区分に共通の効果を仮定している。",
                         "How often a survey generated with each assumed effect satisfies the published orderings: an "
                         "approximate likelihood of the effect conditional on the generator's other settings (single-cloud "
                         "effects, spreads), not a probability of the effect; one effect common to every class."),
    "line_title": ("自治体クラウドに参加していない団体の経費に効果を仮定した場合の年間削減額",
                   "Annual saving if the non-members' cost changed by an assumed effect"),
    "line_x": ("仮定した効果（経費全体、%）", "assumed effect on their whole cost (%)"),
    "line_y": ("年間削減額（億円）", "annual saving (100 million yen)"),
    "line_supported": ("自治体クラウドの団体が{n}団体以上の区分", "classes with at least {n} joint-cloud members"),
    "line_all": ("{n}団体未満の区分を加えた全体", "all, adding the classes with fewer"),
    "line_caption": ("自治体クラウドに参加していない団体の人口{population_tag}×区分の一人当たり経費［{published}から導出］×仮定した効果。"
                     "推定ではなく仮定の関数で、信頼区間はない。帯は経費の範囲。",
                     "Non-members' population{population_tag} × their class's cost per resident [{cost_kind} from {published} figures] "
                     "× the assumed effect: a function of the assumption, not an estimate, so no interval. The band is "
                     "their cost's range."),
    "class_fit_title": ("区分別モデル：公表値と滑らかな曲線による値",
                        "Class-level model: published moments and the smooth curve's"),
    "class_fit_y": ("ずれ（公表値の丸め幅の半分を単位）", "gap (in half rounding widths)"),
    "map_groups_title": ("自治体クラウドグループの構成団体と加入予定（平成30年4月）",
                         "Joint-cloud groups and planned joins (2018-04)"),
    "map_member": ("自治体クラウドの構成団体（色は隣り合うグループを区別）", "member of a joint-cloud group (colours "
                   "tell neighbouring groups apart)"),
    "map_planned": ("加入予定（{fy}年度）", "plans to join (FY{fy})"),
    "map_planned_undetermined": ("加入予定（時期未定・平成36年度以降）", "plans to join (later or undetermined)"),
    "map_other": ("参加していない市区町村", "not a member"),
    "map_okinawa": ("沖縄県", "Okinawa"), "map_ogasawara": ("小笠原村", "Ogasawara"),
    "map_share_title": ("都道府県別 自治体クラウドに参加する市区町村の割合（平成30年4月）",
                        "Share of municipalities in a joint cloud by prefecture (2018-04)"),
    "map_share_bar": ("参加割合（%）", "share in a joint cloud (%)"),
    "map_pref_title": ("{prefecture}：市区町村の自治体クラウドへの参加（平成30年4月）",
                       "{prefecture}: joint-cloud membership of its municipalities (2018-04)"),
    "map_group_title": ("グループ{group_id}（{name}）の構成団体", "Group {group_id} ({name}): its members"),
    "map_group_member": ("このグループの構成団体", "member of this group"),
    "map_other_group": ("他のグループの構成団体", "member of another group"),
    "map_column_title": ("市区町村別：{column}", "Municipalities: {column}"),
    "map_no_value": ("値なし・対象外", "no value or not selected"),
    "map_prefecture_border": ("都道府県界", "prefecture border"),
    "map_ogasawara_outside": ("小笠原村は範囲外", "Ogasawara lies outside the view"),
    "pref_mun_member": ("自治体クラウドの構成団体（グループ一覧、平成30年4月）", "member of a joint-cloud group (list, 2018-04)"),
    "anonymous": ("人口{population:,}", "population {population:,}"),
    "with_status": ("{name}（{status}）", "{name} ({status})"),
    "named_population": ("{name}（{population:,}）", "{name} ({population:,})"),
    "proj_band": ("{low:,.0f}～{high:,.0f}（{n}団体）", "{low:,.0f}–{high:,.0f} ({n})"),
    "yen_value": ("{value:,}円", "{value:,} yen"),
    "cal_model": ("{name}（AUC {auc:.2f}）", "{name} (AUC {auc:.2f})"),
    "title_where": ("{title}：{where}", "{title}: {where}"),
}
COST_BASES = {"initial": ("初期費用", "initial cost"), "running": ("運用費", "running cost"),
              "total": ("総費用", "total cost"), "unspecified": ("費用の別の記載なし", "cost not specified")}
PROJECTION_ROWS = {"base": ("年間経費の見積もり", "their annual cost, estimated"),
                   "reported": ("グループの報告した削減率で減る額", "fall at the groups' reported rate"),
                   "gap_figures": ("区分内の差を当てはめた額：公表値が差を限る区分", "class gap applied: classes the figures bound"),
                   "gap_label": ("区分内の差を当てはめた額：推定した割当てを使用", "class gap applied: with the inferred label")}
FLOOR_PARTS = {"plausibility_floor": ("妥当性の下限だけが限定する区分", "classes only the floor bounds"),
               "published_figures": ("公表値が限定する区分（２万人未満）", "classes the figures bound (under 20k)")}
CHART_MOMENTS = {"mean_per_resident_yen": ("一人当たり平均", "mean per resident"), "total_oku_yen": ("総経費", "total")}

# --- the index page of a batch (bilingual: each entry shows both, 'ja / en') --------------------------------

SCOPES = {"national": ("全国", "national"), "prefecture": ("都道府県", "prefecture"), "group": ("グループ", "group")}
LANGUAGE_NAMES = {"ja": "日本語", "en": "English"}  # each language by its own name
INDEX = {
    "title": ("自治体クラウド レポート一覧", "joint-cloud reports"),
    "heading": ("市区町村の情報システム経費と自治体クラウド：レポート一覧", "Municipal IT-system costs and joint cloud: reports"),
    "run": ("レポート{n}件、失敗{failed}件。{when}にコミット {commit} で、データのビルド {build} から作成した。各レポートの記録（JSON）は"
            "同じフォルダにある。", "{reports}, {failed} failed. Built at {when} from commit\n{commit} on data build {build}; each report's "
                "manifest (JSON) sits beside it."),
    "sources": ("参加団体数・参加割合は総務省のグループ一覧（平成30年4月）、人口は住民基本台帳（平成29年1月1日）。見出しをクリックすると"
                "並べ替える。", "Members and share: the MIC group list (2018-04); population: 2017-01-01. Click a header to sort."),
    "scope": ("区分", "scope"), "name": ("名称", "name"), "area": ("都道府県", "prefectures"),
    "members": ("参加団体数", "members"), "population": ("人口（平成29年1月1日）", "population"),
    "share": ("参加割合（%）", "share in a joint cloud"), "reports": ("レポート", "reports"), "result": ("結果", "result"),
    "failed": ("失敗", "failed"), "last_good": ("前回の成功", "last good"), "none_published": ("公開中のレポートなし", "none published"),
}
# --- added by workstream R ---
from jichitai_cloud.report.text_provenance import FOOTER, RUNS  # noqa: E402,F401  (the footer; a batch's counts)
