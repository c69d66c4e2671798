"""The columns of the analysis tables, each declared once: what the published figures imply (identified
sets, chart labels, reported savings), who joins (membership models, their validation, the hazard model),
projections, and the simulation study.

A table may give a column its own meaning (an override in :mod:`resources`); otherwise the column means
what it says here in every table it appears in.
"""

from __future__ import annotations

from jichitai_cloud.registry import vocab
from jichitai_cloud.registry.field import Field as F
from jichitai_cloud.registry.field import gt
from jichitai_cloud.registry.formats import PCT1, probability, whole_or_one_decimal

_SIM = "simulated"

FIELDS: dict[str, F] = {
    # keys and settings
    "reading": F("str", "", "key", "Which comparison 'single above no cloud' in the under-20k class is read as: "
                 "without_3 (the 11,266円 mean without the three villages) or with_3 (≈14,312円).",
                 "２万人未満の「単独クラウドが未導入より高い」の読み：without_3（下位3団体を除く11,266円との比較）、"
                 "with_3（含む約14,312円との比較）", "reading", "読み"),
    "inferred_label": F("bool", "", "key", "Whether the inferred chart-label cell (9,820円 = under-20k joint cloud) is "
                        "used.", "推定したグラフ数値の割当て（9,820円＝２万人未満の自治体クラウド）を用いるか",
                        "inferred label used", "推定した割当てを使用"),
    "plausibility_floor": F("bool", "", "key", "Whether the plausibility floor applies (no cell of a class below the "
                            "floor ratio times another).", "妥当性の下限（同じ区分の他の値の一定割合を下回らない）を課すか",
                            "plausibility floor", "妥当性の下限"),
    "label_used": F("bool", "", "key", "Whether an inferred label pinned a cell of this class.",
                    "この区分で推定した割当てが値を固定したか", "label pinned a cell", "割当てで固定"),
    "as_of": F("str", "", "key", "Membership date: 2018-04-01 (the group list) or 2017-04-01 (start years before "
               "FY2017).", "参加の基準日：2018-04-01（グループ一覧）、2017-04-01（平成29年度より前の開始）", "as of", "基準日"),
    "scenario": F("str", "", "key", "planned: the planned joiners FY2018–FY2023 join; target_2023: the 約1,100 target "
                  "is met.", "planned：平成30～35年度の加入予定団体が加入、target_2023：約1,100団体の目標を達成",
                  "scenario", "想定"),
    "basis": F("str", "", "key", "Where a saving rate or a bound comes from (see the table's description).",
               "削減率・範囲の根拠", "basis", "根拠"),
    "measure": F("str", "", "key", "What the row measures.", "行の指標", "measure", "指標"),
    "model": F("str", "", "key", "Which model.", "モデル", "model", "モデル"),
    "term": F("str", "", "key", "Regressor.", "説明変数", "term", "項"),
    "change": F("str", "", "key", "Regressor whose change the effect describes.", "効果を測る説明変数",
                "change", "変化"),
    "change_en": F("str", "", "key", "The change, in English.", "変化（英語）", "change (English)", "変化（英語）"),
    "change_ja": F("str", "", "key", "The change, in Japanese.", "変化（日本語）", "change (Japanese)", "変化"),
    "by": F("str", "", "key", "Grouping: class, prefecture or all.", "集計の単位：区分、都道府県、全国", "by", "単位"),
    "key": F("str", "", "key", "The group's key (class id or prefecture).", "集計単位のキー", "key", "キー"),
    "label": F("str", "", "key", "The group's label.", "集計単位の名称", "group", "区分・都道府県"),
    # identified sets
    "lower_yen": F("float64", "yen", "derived", "Infimum of the cell's mean cost per resident over the identified set.",
                   "識別集合上の住民一人当たり経費の平均の下限", "lower bound", "下限", "{:,.0f}"),
    "upper_yen": F("float64", "yen", "derived", "Supremum of the cell's mean cost per resident over the identified "
                   "set.", "識別集合上の住民一人当たり経費の平均の上限", "upper bound", "上限", "{:,.0f}"),
    "lower_open": F("bool", "", "derived", "The lower bound is not attained (a strict ordering binds).",
                    "下限は達成されない（厳密な大小関係による）", "lower open", "下限を含まない"),
    "upper_open": F("bool", "", "derived", "The upper bound is not attained.", "上限は達成されない",
                    "upper open", "上限を含まない"),
    "ratio_low": F("float64", "ratio", "derived", "Infimum of joint-cloud mean ÷ no-cloud mean.",
                   "自治体クラウドの平均÷未導入の平均の下限", "ratio, lower", "比 下限", "{:.3f}"),
    "ratio_high": F("float64", "ratio", "derived", "Supremum of joint-cloud mean ÷ no-cloud mean.",
                    "自治体クラウドの平均÷未導入の平均の上限", "ratio, upper", "比 上限", "{:.3f}"),
    "ratio_low_open": F("bool", "", "derived", "The lower bound of the ratio is not attained.", "比の下限は達成されない",
                        "ratio lower open", "比の下限を含まない"),
    "ratio_high_open": F("bool", "", "derived", "The upper bound of the ratio is not attained.", "比の上限は達成されない",
                         "ratio upper open", "比の上限を含まない"),
    "gap_low_pct": F("float64", "pct", "derived", "Smallest gap: 100 × (1 − ratio_high).",
                     "差の下限：100×(1−比の上限)", "gap below no cloud, lower", "未導入との差 下限", PCT1),
    "gap_high_pct": F("float64", "pct", "derived", "Largest gap: 100 × (1 − ratio_low).",
                      "差の上限：100×(1−比の下限)", "gap below no cloud, upper", "未導入との差 上限", PCT1),
    # labels
    "value_yen": F("int64", "yen", "published", "A number the chart carries (円), unassigned in the source.",
                   "グラフに記載の数値（資料では対応する棒が不明）", "chart label", "グラフの数値", "{:,}",
                   checks=(gt(0),)),
    "value_as_written": F("str", "", "published", "The number as written.", "資料の表記", "as written", "資料の表記"),
    "line_as_written": F("str", "", "published", "The line of the extracted text it stands on.", "抽出テキストの行",
                         "line as written", "抽出テキストの行"),
    "class_mean_yen": F("int64", "yen", "published", "The class's published mean cost per resident.",
                        "区分の住民一人当たり経費の平均（公表値）", "class mean", "区分平均", "{:,}"),
    "arithmetic": F("bool", "", "derived", "The label fits the cell given the published mean, counts, stated "
                    "orderings, the 'only these' reading and the pinned cell.",
                    "公表平均・団体数・資料の大小関係・「これらの区分のみ」の読み・固定値のもとで当てはまる",
                    "fits arithmetically", "算術上当てはまる"),
    "plausible": F("bool", "", "derived", "The label fits with the plausibility floor as well.",
                   "妥当性の下限のもとでも当てはまる", "fits plausibly", "妥当な範囲で当てはまる"),
    "conflict": F("str", "", "derived", "The constraint groups whose removal alone would let the label fit ('+': any "
                  "one; '&': together).", "取り除けば当てはまる制約の群", "conflicts with", "矛盾する制約"),
    "reason": F("str", "", "derived", "Why the label does not fit (code; see evidence.REASONS), or 'fits'.",
                "当てはまらない理由（コード）", "reason", "理由"),
    "others_municipalities": F("int64", "municipalities", "published", "The class's other municipalities.",
                               "区分の他の団体数", "other municipalities", "他の団体数", "{:,}"),
    "others_mean_low_yen": F("float64", "yen", "derived", "Lowest mean of the class's other municipalities if the "
                             "label is this cell.", "この割当てのときの区分の他の団体の平均の下限", "others' mean, low",
                             "他の団体の平均 下限", "{:,.0f}"),
    "others_mean_high_yen": F("float64", "yen", "derived", "Highest mean of the other municipalities.",
                              "同 上限", "others' mean, high", "他の団体の平均 上限", "{:,.0f}"),
    "inferred": F("bool", "", "derived", "This assignment is the inferred one (the only cell the label fits "
                  "plausibly under every reading); inferred, never published.",
                  "推定した割当て（どの読みでも妥当に当てはまる唯一の値）。公表値ではない", "inferred", "推定した割当て"),
    "published_mean_yen": F("int64", "yen", "published", "The class's published mean cost per resident.",
                            "区分平均（公表値）", "published mean", "区分平均（公表値）", "{:,}"),
    "implied_mean_low_yen": F("float64", "yen", "derived", "Lowest class mean the three labels imply, over their "
                              "orders.", "3つの数値が示す区分平均の最小", "implied mean, low", "示す区分平均 最小", "{:,.0f}"),
    "implied_mean_high_yen": F("float64", "yen", "derived", "Highest class mean the three labels imply.",
                               "同 最大", "implied mean, high", "示す区分平均 最大", "{:,.0f}"),
    "orders_tried": F("int64", "", "derived", "Orders of the three labels over the three cells tried.",
                      "試した並び", "orders tried", "試した並び"),
    "orders_fitting": F("int64", "", "derived", "Orders that reproduce the published class mean.",
                        "区分平均を再現する並び", "orders fitting", "当てはまる並び"),
    # reported savings
    "groups": F("int64", "groups", "published", "Groups counted.", "グループ数", "groups", "グループ数", "{:,}"),
    "lower_pct": F("float64", "pct", "derived", "Lower bound.", "下限", "lower", "下限", PCT1),
    "upper_pct": F("float64", "pct", "derived", "Upper bound.", "上限", "upper", "上限", PCT1),
    "assumption": F("str", "", "key", "The assumption behind the bounds.", "範囲の前提（英語）", "assumption",
                    "前提"),
    "assumption_ja": F("str", "", "key", "The assumption, in Japanese.", "範囲の前提", "assumption (Japanese)",
                       "前提（日本語）"),
    # membership model
    "estimate": F("float64", "log_odds", "derived", "Coefficient (log odds).", "係数（対数オッズ）", "estimate", "推定値",
                  "{:.3f}"),
    "std_error": F("float64", "log_odds", "derived", "Clustered standard error.", "クラスター頑健標準誤差",
                   "std. error", "標準誤差", "{:.3f}"),
    "ci_low": F("float64", "log_odds", "derived", "95% interval, t(G − 1).", "95%信頼区間 下限（t(G−1)）",
                "95% CI low", "95%信頼区間 下限", "{:.3f}"),
    "ci_high": F("float64", "log_odds", "derived", "95% interval, t(G − 1).", "95%信頼区間 上限", "95% CI high",
                 "95%信頼区間 上限", "{:.3f}"),
    "odds_ratio": F("float64", "ratio", "derived", "exp(estimate).", "オッズ比", "odds ratio", "オッズ比", "{:.3f}"),
    "n": F("int64", "municipalities", "real", "Municipalities in the model.", "モデルの団体数", "n", "団体数", "{:,}"),
    "members": F("int64", "municipalities", "real", "Members of a joint-cloud group.", "自治体クラウド参加団体数",
                 "members", "参加団体", "{:,}"),
    "prefectures": F("int64", "", "real", "Prefectures (clusters) used.", "用いた都道府県（クラスター）の数",
                     "prefectures", "都道府県数"),
    "prefectures_dropped": F("int64", "", "derived", "Prefectures without variation in membership (fixed effects "
                             "only).", "参加の有無に差がない都道府県（固定効果モデルのみ）", "prefectures dropped",
                             "除いた都道府県"),
    "pseudo_r_squared": F("float64", "", "derived", "McFadden's pseudo R².", "McFaddenの疑似R²", "pseudo R²",
                          "疑似R²", "{:.3f}", nullable=True),
    "log_likelihood": F("float64", "", "derived", "Log likelihood.", "対数尤度", "log likelihood", "対数尤度",
                        "{:,.1f}", nullable=True),
    "converged": F("bool", "", "derived", "The estimation converged.", "推定が収束した", "converged", "収束"),
    "covariance": F("str", "", "derived", "How standard errors are computed.", "標準誤差の計算方法", "covariance",
                    "共分散"),
    "ame_pct_points": F("float64", "pct_points", "derived", "Average marginal effect on the probability of "
                        "membership.", "参加確率への平均限界効果", "average marginal effect", "平均限界効果", "{:+.1f}"),
    "std_error_pct_points": F("float64", "pct_points", "derived", "Its standard error (delta method, clustered).",
                              "同 標準誤差（デルタ法、クラスター頑健）", "std. error", "標準誤差", "{:.1f}"),
    "ci_low_pct_points": F("float64", "pct_points", "derived", "95% interval, t(G − 1).", "95%信頼区間 下限",
                           "95% CI low", "95%信頼区間 下限", "{:+.1f}"),
    "ci_high_pct_points": F("float64", "pct_points", "derived", "95% interval, t(G − 1).", "95%信頼区間 上限",
                            "95% CI high", "95%信頼区間 上限", "{:+.1f}"),
    "share_pct": F("float64", "pct", "derived", "Members ÷ municipalities.", "参加団体÷団体数", "share", "参加割合",
                   PCT1),
    "ageing_pct": F("float64", "pct", "derived", "Aged 65 and over ÷ population, 2015 census (real inputs).",
                    "65歳以上人口÷総人口（平成27年国勢調査）", "aged 65+", "65歳以上の割合", PCT1, nullable=True),
    "density_per_km2": F("float64", "persons_per_km2", "derived", "Population 2017-01-01 ÷ habitable area (2018).",
                         "人口（平成29年1月1日）÷可住地面積（平成30年）", "density", "可住地人口密度", "{:,.0f}",
                         nullable=True),
    "member_2018_04_01": F("bool", "", "real", "In a joint-cloud group of the 2018-04 list.",
                           "グループ一覧（平成30年4月）の自治体クラウドに参加", "member 2018-04", "参加（平成30年4月）"),
    "predicted_probability": F("float64", "probability", "derived", "Membership probability the pooled logit "
                               "predicts from the real covariates (2018-04 list).",
                               "実データの説明変数からロジットモデルが予測する参加確率（平成30年4月）",
                               "predicted probability", "予測参加確率", probability, nullable=True),
    # out-of-sample validation and the hazard model
    "range_low": F("int64", "municipalities", "derived", "Lower end of the central predictive range.",
                   "予測範囲の下端", "range, low", "予測範囲 下端", "{:,}"),
    "range_high": F("int64", "municipalities", "derived", "Upper end of the central predictive range.",
                    "予測範囲の上端", "range, high", "予測範囲 上端", "{:,}"),
    "range_level": F("float64", "probability", "key", "Probability the range holds.",
                     "予測範囲の確率", "level", "確率", "{:.0%}"),
    "prob_at_least_actual": F("float64", "probability", "derived", "Predictive probability of at least "
                              "the actual count.", "実際の数以上となる予測確率", "P(≥ actual)",
                              "実際以上の確率", "{:.3f}"),
    "prob_at_most_actual": F("float64", "probability", "derived", "Predictive probability of at most "
                             "the actual count.", "実際の数以下となる予測確率", "P(≤ actual)",
                             "実際以下の確率", "{:.3f}"),
    "position": F("str", "", "derived", "above, below or within the range.",
                  "実際の数の位置：above（上回る）、below（下回る）、within（範囲内）", "position", "位置"),
    "tau": F("float64", "", "derived", "Between-prefecture standard deviation of the log odds (τ).",
             "都道府県間の対数オッズの標準偏差（τ）", "τ", "τ", "{:.2f}"),
    "join_probability_fy2018_2023": F("float64", "probability", "derived", "Probability of joining FY2018–FY2023 "
                                      "under the chosen model (empty for members and unmodelled municipalities).",
                                      "平成30～35年度に加入する予測確率（選んだモデル）", "probability of joining "
                                      "FY2018–FY2023", "予測加入確率（平成30～35年度）", probability,
                                      nullable=True),
    "fit_as_of": F("str", "", "key", "Membership date the model is fitted on: 2018-04-01 (the list) or 2017-04-01 "
                   "(start years).", "モデルを当てはめた参加の基準日", "fitted on", "当てはめた基準日"),
    "joiners": F("int64", "municipalities", "derived", "Municipalities of the risk set that joined later (planned "
                 "joins FY2018–FY2023, and for 2017-04-01 the members of groups started FY2017–FY2018).",
                 "後に加入した団体数", "joiners", "加入団体"),
    "expected_joiners": F("float64", "municipalities", "derived", "Joiners the model predicts (sum of probabilities).",
                          "モデルが予測する加入団体数", "predicted joiners", "予測加入団体数", "{:,.1f}"),
    "auc": F("float64", "probability", "derived", "Area under the ROC curve: the chance that a joiner scores above a "
             "non-joiner (Mann–Whitney; ties count half).", "AUC（加入団体が非加入団体より高く予測される確率）", "AUC",
             "AUC", "{:.3f}"),
    "auc_ci_low": F("float64", "probability", "derived", "AUC, 95% interval (clustered by prefecture), lower.", "AUC 95%信頼区間 下限",
                    "AUC 95% CI low", "AUC 95%信頼区間 下限", "{:.3f}"),
    "auc_ci_high": F("float64", "probability", "derived", "AUC, 95% interval (DeLong), upper.",
                     "AUC 95%信頼区間 上限", "AUC 95% CI high", "AUC 95%信頼区間 上限", "{:.3f}"),
    "auc_diff_from_best": F("float64", "", "derived", "AUC minus the best model's (same municipalities; empty for "
                            "the best).", "最良のモデルとのAUCの差（最良のモデルは空欄）", "AUC − best", "最良とのAUCの差",
                            "{:+.3f}", nullable=True),
    "diff_ci_low": F("float64", "", "derived", "That difference, 95% interval (paired, clustered by prefecture), "
                     "lower.", "差の95%信頼区間 下限", "difference 95% CI low", "差の95%信頼区間 下限", "{:+.3f}",
                     nullable=True),
    "diff_ci_high": F("float64", "", "derived", "That difference, 95% interval, upper.", "差の95%信頼区間 上限",
                      "difference 95% CI high", "差の95%信頼区間 上限", "{:+.3f}", nullable=True),
    "brier_skill": F("float64", "", "derived", "1 − Brier ÷ the Brier score of a constant forecast of the observed "
                     "share (0: no better than that; the share itself is known only afterwards).",
                     "1−Brier÷（実際の割合を一律に予測した場合のBrier）", "Brier skill", "Brierスキル", "{:+.3f}"),
    "brier": F("float64", "", "derived", "Brier score: mean squared difference between the probability and the "
               "outcome (lower is better).", "Brierスコア（確率と結果の差の二乗平均、小さいほどよい）", "Brier score",
               "Brierスコア", "{:.4f}"),
    "best_auc": F("bool", "", "derived", "The model with the highest AUC for this fit date.", "AUCが最も高いモデル",
                  "best AUC", "AUC最良"),
    "chosen": F("bool", "", "derived", "The model the project predicts with: the lowest Brier score among the "
                "membership logit and the hazard model on the 2018-04 fit (no model is chosen on the other fit).",
                "予測に用いるモデル（Brierスコア最小）", "chosen", "採用"),
    "predicted_joiners": F("float64", "municipalities", "derived", "Predicted joiners (sum of probabilities).",
                           "予測加入団体数", "predicted", "予測", "{:,.1f}"),
    "observed_joiners": F("int64", "municipalities", "derived", "Joiners observed.", "実際の加入団体数", "observed",
                          "実際", "{:,}"),
    "events": F("int64", "", "derived", "Joins in the panel.", "パネル内の加入数", "joins", "加入数", "{:,}"),
    "municipalities_at_risk": F("int64", "municipalities", "real", "Municipalities not members in 2018-04 (modelled).",
                                "平成30年4月に未参加の団体数", "not yet members", "未参加団体数", "{:,}"),
    # projections
    "new_members": F("float64", "municipalities", "derived", "New members (expected counts may be fractional).",
                     "新たな参加団体（期待値は小数になりうる）", "new members", "新たな参加団体",
                     whole_or_one_decimal),
    "planned_joiners": F("float64", "municipalities", "derived", "Planned joiners FY2018–FY2023 not yet members "
                         "(published list, matched).", "平成30～35年度の加入予定で未参加の団体", "planned joiners",
                         "加入予定", "{:,.0f}"),
    "expected_others": F("float64", "municipalities", "derived", "Further members needed to meet the target, spread "
                         "by predicted probability.", "目標達成に必要な残りの団体（予測確率で按分）",
                         "other members needed", "その他の必要な団体", "{:,.1f}"),
    "rate_low_pct": F("float64", "pct", "derived", "Saving rate, lower.", "削減率 下限", "saving rate, low",
                      "削減率 下限", PCT1, nullable=True),
    "rate_high_pct": F("float64", "pct", "derived", "Saving rate, upper.", "削減率 上限", "saving rate, high",
                       "削減率 上限", PCT1, nullable=True),
    "new_members_population_persons": F("float64", "persons", "derived", "The new members' population on "
                                        "2017-01-01 (住民基本台帳; expected for the target's other members).",
                                        "新たな参加団体の人口（平成29年1月1日、目標のその他の団体は期待値）",
                                        "their population", "その人口", "{:,.0f}"),
    "rate_source": F("str", "", "key", "Where the rate comes from: reported_groups (the 56 groups' reported savings, "
                     "applied as a scenario), published_figures (the class gap the published figures bound), "
                     "inferred_label (that gap with the inferred chart label), plausibility_floor (only the floor "
                     "bounds its upper end); 'all' for a sum over every class.",
                     "率の根拠：reported_groups（グループの報告）、published_figures（公表値が限定する区分内の差）、"
                     "inferred_label（推定した割当てによる差）、plausibility_floor（上限は妥当性の下限だけで決まる）、"
                     "all（全区分の合計）", "rate from", "率の根拠"),
    "base_cost_low_oku_yen": F("float64", "oku_yen", "scenario", "Their annual IT cost, costed on the assumption that "
                               "their cost per resident lies between their class's weighted figure and simple mean, "
                               "lower: population (2017-01-01) × the lower of (total − 0.5億円) ÷ (population + 0.5千人) "
                               "and the simple mean − 0.5円 (published figures).",
                               "その年間経費の見積もり 下限：人口（平成29年1月1日）×区分の住民一人当たり経費（区分総経費÷区分人口と"
                               "団体平均の低い方、丸めの下端）", "their cost, low", "その経費 下限", "{:,.1f}"),
    "base_cost_high_oku_yen": F("float64", "oku_yen", "scenario", "Their annual IT cost, costed as above, upper: the "
                                "higher of the two per-resident figures at the upper end of their rounding.",
                                "その年間経費の見積もり 上限（2つの一人当たり経費の高い方、丸めの上端）", "their cost, high",
                                "その経費 上限", "{:,.1f}"),
    "saving_low_oku_yen": F("float64", "oku_yen", "scenario", "Their cost × the rate, lower: base low × rate low (what "
                            "the rate would come to if it applied to their whole cost; a scenario, not an estimate, and "
                            "for a class gap not a saving caused by joining).",
                            "率を経費全体に当てはめた額 下限（試算。区分内の差の場合は加入による削減ではない）",
                            "amount at the rate, low", "率を当てはめた額 下限", "{:,.1f}", nullable=True),
    "saving_high_oku_yen": F("float64", "oku_yen", "scenario", "Their cost × the rate, upper: base high × rate high.",
                             "率を経費全体に当てはめた額 上限（試算）", "amount at the rate, high", "率を当てはめた額 上限",
                             "{:,.1f}", nullable=True),
    "thin_support": F("boolean", "", "derived", "Fewer than 5 joint-cloud members in the survey's class "
                      "(published counts): a class-specific gap rests on few municipalities (empty for sums; nothing "
                      "is left out for it).", "調査で自治体クラウドの団体が5未満の区分（区分内の差の根拠が少ない）",
                      "thin support", "根拠が少ない", nullable=True),
    "floor_ratio": F("float64", "ratio", "key", "A plausibility floor: no mean of a class below this fraction of "
                     "another of the class.", "妥当性の下限（同じ区分の他の平均に対する最小の比）", "floor", "下限",
                     "{:.2f}"),
    "classes": F("int64", "", "derived", "Population classes summed.", "合計した区分の数", "classes", "区分数"),
    "admitted": F("bool", "", "derived", "The published figures admit this floor in every class summed.",
                  "公表値がこの下限を許す", "admitted", "成立"),
    "pool": F("str", "", "key", "Which municipalities the survey's joint-cloud ones are taken from: start_years "
              "(groups started before FY2017, 379), list_2018 (the 2018-04 list, 407: the premise of the headline) or "
              "any_in_class (any municipality of the class: no premise).",
              "調査の自治体クラウドの団体をどこから選ぶか：start_years（平成29年度より前に開始、379団体）、"
              "list_2018（平成30年4月の一覧、407団体）、any_in_class（区分内のどの団体でも）", "taken from", "選ぶ範囲"),
    "comparison": F("str", "", "key", "Against whom: not_joint (every other municipality of the class) or none (its "
                    "no-cloud ones).", "比較の相手：not_joint（自治体クラウド以外の全団体）、none（クラウド未導入）",
                    "against", "比較の相手"),
    # the simulation study (written by `jichitai-cloud simulate`)
    "effect": F("float64", "", "key", "Assumed joint-cloud effect on mean cost per resident (fraction).",
                "仮定した自治体クラウドの効果（平均経費、割合）", "assumed effect", "仮定した効果", "{:+.2f}"),
    "effect_pct": F("float64", "pct", "key", "Assumed joint-cloud effect on mean cost per resident.",
                    "仮定した自治体クラウドの効果（平均経費）", "assumed effect", "仮定した効果", "{:+.0f}"),
    "draw": F("int64", "", "key", "Draw number within the effect (random stream [seed, effect, draw]).",
              "模擬データの番号", "draw", "番号"),
    "estimator": F("str", "", "key", "Estimator and covariance.", "推定方法と共分散", "estimator", "推定方法"),
    "subset": F("str", "", "key", "Which draws: all; those satisfying the published orderings; those near the "
                "inferred chart-label ratio; both.", "対象：全て、大小関係を満たすもの、推定した割当ての比に近いもの、両方",
                "draws", "対象"),
    "truth": F("float64", "", _SIM, "The estimator's target under the generator (simulation.target): log(1 + effect) "
               "for PPML (mean cost); log(1 + effect) − τ_group²/2 for OLS on log cost (the geometric mean).",
               "推定方法の目標値：PPMLはlog(1＋効果)（平均経費）、対数のOLSはlog(1＋効果)−τ_group²/2（幾何平均）",
               "target", "目標値", "{:.3f}"),
    "covered": F("bool", "", _SIM, "The 95% interval covers the truth.", "95%信頼区間が真の値を含む", "covered", "被覆"),
    "orderings_ok": F("bool", "", _SIM, "The draw satisfies the published orderings.", "公表の大小関係を満たす",
                      "orderings", "大小関係"),
    "small_class_ratio": F("float64", "ratio", _SIM, "Under-20k joint ÷ no-cloud mean in the draw.",
                           "２万人未満の自治体クラウド÷未導入の平均", "under-20k ratio", "２万人未満の比", "{:.3f}"),
    "near_inferred_label": F("bool", "", _SIM, "That ratio within the tolerance of the inferred label's.",
                             "その比が推定した割当ての比に近い", "near inferred label", "推定した割当てに近い"),
    "draws": F("int64", "", _SIM, "Draws counted.", "模擬データの数", "draws", "回数", "{:,}"),
    "share_of_draws": F("float64", "", _SIM, "Their share of the effect's draws.", "その割合", "share of draws", "割合",
                        "{:.2f}"),
    "mean_estimate_pct": F("float64", "pct", _SIM, "Mean of 100 × (exp(estimate) − 1).", "推定値の平均",
                           "mean estimate", "推定値の平均", "{:+.1f}", nullable=True),
    "bias": F("float64", "", _SIM, "Mean of estimate − truth (log points).", "偏り（対数）", "bias", "偏り",
              "{:+.4f}", nullable=True),
    "rmse": F("float64", "", _SIM, "Root mean squared error (log points).", "平均二乗誤差の平方根（対数）", "RMSE",
              "RMSE", "{:.4f}", nullable=True),
    "coverage": F("float64", "", _SIM, "Share of draws whose 95% interval covers the truth.",
                  "95%信頼区間が真の値を含む割合", "coverage", "被覆率", "{:.3f}", nullable=True),
    "coverage_mc_se": F("float64", "", _SIM, "Monte Carlo standard error of the coverage.", "被覆率の標準誤差",
                        "coverage s.e.", "被覆率の標準誤差", "{:.3f}", nullable=True),
}


def implied_cell(status: str, bound: str) -> F:
    """The column ``{status}_{bound}_yen`` of evidence_label_assignments: a bound of another cell of the
    class when the label is this cell (status labels from :mod:`vocab`)."""
    ja_status, ja_bound = vocab.STATUS[status][0], "下限" if bound == "low" else "上限"
    return F("float64", "yen", "derived", f"{'Lower' if bound == 'low' else 'Upper'} bound of the {status} cell if the "
             f"label is this cell (plausible assignments only).", f"この割当てのときの{ja_status}の平均の{ja_bound}",
             f"{status}, {bound}", f"{ja_status} {ja_bound}", "{:,.0f}", nullable=True)
