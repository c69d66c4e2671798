"""What every processed table and column is, declared once (the PUDL way).

A :class:`Field` gives a column's dtype, unit, provenance, description and headers in Japanese and
English, and its display format. A :class:`Resource` lists a table's fields, primary key, source
files and layer. Schemas (pandera), report headers and the codebook derive from here.

Provenance of a column: ``published`` (公表値: a figure the ministry published), ``derived``
(導出値: computed here from published or real figures by a stated rule), ``real`` (実データ:
official per-municipality statistics), ``simulated`` (シミュレーション), ``survey`` (the
per-municipality survey: simulated unless a real file was configured; each row says which),
``key`` (an identifier or a setting that labels a row: a class, a reading, a date).
Kept free of heavy imports: pandera is imported only to build a schema.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from jichitai_cloud.registry import vocab

PROVENANCE = vocab.PROVENANCE
UNITS = {  # unit code -> (Japanese, English) as shown after a header
    "": ("", ""), "yen": ("円", "yen"), "oku_yen": ("億円", "100M yen"), "pct": ("%", "%"),
    "pct_points": ("ポイント", "points"), "persons": ("人", "persons"), "municipalities": ("団体", "municipalities"),
    "groups": ("グループ", "groups"), "ratio": ("比", "ratio"), "log_odds": ("対数オッズ", "log odds"),
    "probability": ("確率", "probability"), "persons_per_km2": ("人/km²", "persons/km²"), "ha": ("ha", "ha"),
    "years": ("年", "years"), "index": ("指数", "index"), "thousand_yen": ("千円", "thousand yen"),
    "thousand_persons": ("千人", "thousands"), "geometries": ("件", "geometries"), "rows": ("行", "rows"),
}


@dataclass(frozen=True)
class Field:
    """One column: pandas dtype, unit code (see UNITS), provenance (see PROVENANCE), descriptions,
    headers (without unit or provenance: those are added where shown) and display format."""

    dtype: str
    unit: str
    provenance: str
    en: str
    ja: str
    header_en: str
    header_ja: str
    fmt: object = "{}"
    nullable: bool = False


@dataclass(frozen=True)
class Resource:
    """One processed table: its fields in order, primary key, sources and layer."""

    name: str
    en: str
    ja: str
    fields: tuple
    key: tuple
    sources: tuple = ()
    layer: str = "evidence"
    overrides: dict = field(default_factory=dict)  # column -> Field, where a table needs its own meaning

    def field(self, column: str) -> Field:
        return self.overrides.get(column) or FIELDS[column]


F = Field
_PCT1 = "{:.1f}"
FIELDS: dict[str, Field] = {
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
    "class_id": F("int64", "", "key", "Population class of the survey (1: under 20k … 6: 300k and over).",
                  "調査の人口規模区分（1：２万人未満～6：30万人以上）", "class", "区分"),
    "population_class_ja": F("str", "", "published", "Population class as written in the source.",
                             "人口規模区分（資料の表記）", "population class", "人口規模区分"),
    "cloud_status": F("str", "", "key", "Cloud status: joint (自治体クラウド), single (単独クラウド), none (未導入).",
                      "クラウド導入状況：joint（自治体クラウド）、single（単独クラウド）、none（未導入）",
                      "cloud status", "クラウド導入状況"),
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
    "code": F("str", "", "real", "全国地方公共団体コード (6 digits with check digit).", "全国地方公共団体コード（6桁）",
              "code", "団体コード"),
    "prefecture": F("str", "", "real", "Prefecture.", "都道府県", "prefecture", "都道府県"),
    "name": F("str", "", "real", "Municipality name (住民基本台帳).", "団体名（住民基本台帳）", "name", "団体名"),
    "kind": F("str", "", "real", "Kind: 特別区, 政令指定都市, 市, 町, 村.", "団体区分", "kind", "区分"),
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
                     "差の下限：100×(1−比の上限)", "gap below no cloud, lower", "未導入との差 下限", _PCT1),
    "gap_high_pct": F("float64", "pct", "derived", "Largest gap: 100 × (1 − ratio_low).",
                      "差の上限：100×(1−比の下限)", "gap below no cloud, upper", "未導入との差 上限", _PCT1),
    # labels
    "value_yen": F("int64", "yen", "published", "A number the chart carries (円), unassigned in the source.",
                   "グラフに記載の数値（資料では対応する棒が不明）", "chart label", "グラフの数値", "{:,}"),
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
    "lower_pct": F("float64", "pct", "derived", "Lower bound.", "下限", "lower", "下限", _PCT1),
    "upper_pct": F("float64", "pct", "derived", "Upper bound.", "上限", "upper", "上限", _PCT1),
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
    "municipalities": F("int64", "municipalities", "real", "Municipalities.", "団体数", "municipalities", "団体数",
                        "{:,}"),
    "share_pct": F("float64", "pct", "derived", "Members ÷ municipalities.", "参加団体÷団体数", "share", "参加割合",
                   _PCT1),
    "population_2017_01_01_persons": F("int64", "persons", "real", "住民基本台帳 population on 2017-01-01.",
                                       "住民基本台帳人口（平成29年1月1日）", "population 2017-01-01",
                                       "人口（平成29年1月1日）", "{:,}"),
    "fiscal_strength_index_fy2016": F("float64", "index", "real", "財政力指数, FY2016 settled accounts.",
                                      "財政力指数（平成28年度決算）", "財政力指数 FY2016", "財政力指数（平成28年度）", "{:.2f}"),
    "ageing_pct": F("float64", "pct", "derived", "Aged 65 and over ÷ population, 2015 census (real inputs).",
                    "65歳以上人口÷総人口（平成27年国勢調査）", "aged 65+", "65歳以上の割合", _PCT1, nullable=True),
    "density_per_km2": F("float64", "persons_per_km2", "derived", "Population 2017-01-01 ÷ habitable area (2018).",
                         "人口（平成29年1月1日）÷可住地面積（平成30年）", "density", "可住地人口密度", "{:,.0f}",
                         nullable=True),
    "member_2018_04_01": F("bool", "", "real", "In a joint-cloud group of the 2018-04 list.",
                           "グループ一覧（平成30年4月）の自治体クラウドに参加", "member 2018-04", "参加（平成30年4月）"),
    "predicted_probability": F("float64", "probability", "derived", "Membership probability the pooled logit "
                               "predicts from the real covariates (2018-04 list).",
                               "実データの説明変数からロジットモデルが予測する参加確率（平成30年4月）",
                               "predicted probability", "予測参加確率", lambda v: _probability(v), nullable=True),
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
                                      "FY2018–FY2023", "予測加入確率（平成30～35年度）", lambda v: _probability(v),
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
                     lambda v: f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}"),
    "planned_joiners": F("float64", "municipalities", "derived", "Planned joiners FY2018–FY2023 not yet members "
                         "(published list, matched).", "平成30～35年度の加入予定で未参加の団体", "planned joiners",
                         "加入予定", "{:,.0f}"),
    "expected_others": F("float64", "municipalities", "derived", "Further members needed to meet the target, spread "
                         "by predicted probability.", "目標達成に必要な残りの団体（予測確率で按分）",
                         "other members needed", "その他の必要な団体", "{:,.1f}"),
    "rate_low_pct": F("float64", "pct", "derived", "Saving rate, lower.", "削減率 下限", "saving rate, low",
                      "削減率 下限", _PCT1, nullable=True),
    "rate_high_pct": F("float64", "pct", "derived", "Saving rate, upper.", "削減率 上限", "saving rate, high",
                       "削減率 上限", _PCT1, nullable=True),
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
}

_STATUS_JA = {"joint": "自治体クラウド", "single": "単独クラウド", "none": "未導入"}


def _implied_cell(status: str, bound: str) -> Field:
    ja_bound = "下限" if bound == "low" else "上限"
    return F("float64", "yen", "derived", f"{'Lower' if bound == 'low' else 'Upper'} bound of the {status} cell if the "
             f"label is this cell (plausible assignments only).",
             f"この割当てのときの{_STATUS_JA[status]}の平均の{ja_bound}", f"{status}, {bound}",
             f"{_STATUS_JA[status]} {ja_bound}", "{:,.0f}", nullable=True)


RESOURCES: dict[str, Resource] = {r.name: r for r in (
    Resource("evidence_cells",
             "Identified set of the per-resident chart's cells (class × status, 円) under each reading, with and "
             "without the plausibility floor and the inferred label. Derived from published figures only.",
             "人口規模区分×導入状況別の住民一人当たり経費の平均がとりうる範囲（識別集合）。公表値のみから導出。",
             ("reading", "inferred_label", "plausibility_floor", "class_id", "population_class_ja", "cloud_status",
              "label_used", "lower_yen", "upper_yen", "lower_open", "upper_open"),
             ("reading", "inferred_label", "plausibility_floor", "class_id", "cloud_status"),
             ("published_cost_by_class", "published_status_counts", "published_survey_outliers",
              "published_survey_orderings", "published_chart_labels", "case_study_savings")),
    Resource("evidence_gaps",
             "Identified set of joint-cloud mean ÷ no-cloud mean of cost per resident, and the gap (%), per class "
             "and setting. Derived from published figures only.",
             "自治体クラウドと未導入の住民一人当たり経費の平均の比と差（%）の範囲。公表値のみから導出。",
             ("reading", "inferred_label", "plausibility_floor", "class_id", "population_class_ja", "label_used",
              "ratio_low", "ratio_high", "ratio_low_open", "ratio_high_open", "gap_low_pct", "gap_high_pct"),
             ("reading", "inferred_label", "plausibility_floor", "class_id"),
             ("published_cost_by_class", "published_status_counts", "published_survey_outliers",
              "published_survey_orderings", "published_chart_labels", "case_study_savings")),
    Resource("evidence_label_assignments",
             "Each stray chart label (9,820; 3,217; 3,266; 3,561 円) against each cell under each reading: whether it "
             "fits arithmetically and plausibly, why not, and the implied other cells. Derived; an assignment is "
             "inferred, never published.",
             "グラフの数値（9,820、3,217、3,266、3,561円）を各区分・導入状況に当てはめた検討。導出値（割当ては推定）。",
             ("value_yen", "value_as_written", "line_as_written", "reading", "class_id", "population_class_ja",
              "cloud_status", "class_mean_yen", "arithmetic", "plausible", "conflict", "others_municipalities",
              "others_mean_low_yen", "others_mean_high_yen", "reason", "joint_low_yen", "joint_high_yen",
              "single_low_yen", "single_high_yen", "none_low_yen", "none_high_yen", "inferred"),
             ("value_yen", "reading", "class_id", "cloud_status"),
             ("published_chart_labels", "published_cost_by_class", "published_status_counts"),
             overrides={f"{s}_{b}_yen": _implied_cell(s, b) for s in ("joint", "single", "none")
                        for b in ("low", "high")}),
    Resource("evidence_label_triples",
             "The three labels printed on one line, tried as one class's three bars in every order: the class "
             "mean they imply against the published mean. Derived.",
             "同じ行の3つの数値を1つの区分の3本の棒とみなした場合の区分平均と公表値の比較。導出値。",
             ("line_as_written", "class_id", "population_class_ja", "published_mean_yen", "implied_mean_low_yen",
              "implied_mean_high_yen", "orders_tried", "orders_fitting"), ("line_as_written", "class_id"),
             ("published_chart_labels", "published_cost_by_class", "published_status_counts")),
    Resource("evidence_label_robustness",
             "How much the inferred chart-label assignment depends on the plausibility floor: per label, reading and "
             "cell the label fits arithmetically, the largest floor under which it still fits (to 0.001); the range "
             "of floors under which exactly one cell fits; whether the floor used (0.30) lies in it. Derived.",
             "推定したグラフ数値の割当てが妥当性の下限にどれだけ依存するか（導出値）。",
             ("value_yen", "reading", "class_id", "cloud_status", "largest_floor", "unique", "unique_floor_low",
              "unique_floor_high", "floor_used", "unique_at_floor_used"), ("value_yen", "reading", "class_id",
                                                                           "cloud_status"),
             ("published_chart_labels", "published_cost_by_class", "published_status_counts",
              "published_survey_outliers", "published_survey_orderings", "case_study_savings"),
             overrides={
                 "largest_floor": F("float64", "ratio", "derived", "The largest floor under which the label fits "
                                    "the cell (0: only without a floor).", "当てはまる最大の下限", "largest floor",
                                    "当てはまる最大の下限", "{:.3f}"),
                 "unique": F("bool", "", "derived", "The cell the label fits under the widest range of floors, where "
                             "that range is not empty.", "唯一当てはまる範囲がある区分・状況", "unique somewhere",
                             "唯一となる範囲あり"),
                 "unique_floor_low": F("float64", "ratio", "derived", "Above this floor exactly one cell fits.",
                                       "これを超える下限で唯一", "unique above", "唯一となる下限（超）", "{:.3f}",
                                       nullable=True),
                 "unique_floor_high": F("float64", "ratio", "derived", "Up to this floor exactly one cell fits.",
                                        "この下限まで唯一", "unique up to", "唯一となる下限（以下）", "{:.3f}",
                                        nullable=True),
                 "floor_used": F("float64", "ratio", "derived", "The floor the evidence uses (1 − the largest case-"
                                 "study saving).", "用いた下限", "floor used", "用いた下限", "{:.2f}"),
                 "unique_at_floor_used": F("bool", "", "derived", "This cell is the only fit under the floor used.",
                                           "用いた下限で唯一当てはまる", "unique at the floor used",
                                           "用いた下限で唯一")}),
    Resource("evidence_savings",
             "What the 56-group savings distribution implies (interval-censored): bounds on the mean saving, the share "
             "at 30% or more, the median bin. Derived from published figures.",
             "56グループの費用削減効果の分布から言えること（区間打切り）：平均の範囲、３割以上の割合、中央の区分。導出値。",
             ("measure", "basis", "groups", "lower_pct", "upper_pct", "assumption", "assumption_ja"),
             ("measure", "basis"), ("savings_56_groups", "case_study_savings")),
    Resource("evidence_membership_coefficients",
             "Logit of joint-cloud membership on real covariates (pooled, and with prefecture fixed effects), for the "
             "2018-04 list and for 2017-04-01: log odds, clustered standard errors, t(G − 1) intervals. Real data.",
             "自治体クラウドへの参加のロジットモデルの係数（実データ）。", ("model", "as_of", "term", "estimate",
                                                          "std_error", "ci_low", "ci_high", "odds_ratio"),
             ("model", "as_of", "term"), ("municipalities",)),
    Resource("evidence_membership_models",
             "One row per membership model: n, members, clusters, fit. Real data.",
             "参加モデルの概要（実データ）。", ("model", "as_of", "n", "members", "prefectures", "prefectures_dropped",
                                    "pseudo_r_squared", "log_likelihood", "converged", "covariance"),
             ("model", "as_of"), ("municipalities",)),
    Resource("evidence_membership_effects",
             "Average marginal effects of the pooled membership logit (percentage points) for stated changes, with "
             "delta-method clustered intervals. Real data.",
             "参加モデルの平均限界効果（ポイント）。実データ。",
             ("as_of", "change", "change_en", "change_ja", "ame_pct_points", "std_error_pct_points",
              "ci_low_pct_points", "ci_high_pct_points"), ("as_of", "change"), ("municipalities",)),
    Resource("evidence_membership_shares",
             "Joint-cloud membership by population class, by prefecture and nationally, on 2018-04-01 (the list) and "
             "2017-04-01 (start years). Real data.",
             "人口規模区分別・都道府県別の自治体クラウド参加割合（実データ）。",
             ("as_of", "by", "key", "label", "municipalities", "members", "share_pct"), ("as_of", "by", "key"),
             ("municipalities",)),
    Resource("evidence_membership_predictions",
             "Each municipality's real covariates, its membership (2018-04), the membership probability the pooled "
             "logit predicts, and, for the non-members, the probability of joining FY2018–FY2023 under the model the "
             "out-of-sample test chose (evidence_membership_validation). Real data (predictions derived).",
             "市区町村別の説明変数（実データ）、参加の有無、予測参加確率、平成30～35年度の予測加入確率。",
             ("code", "prefecture", "name", "kind", "population_2017_01_01_persons", "fiscal_strength_index_fy2016",
              "ageing_pct", "density_per_km2", "member_2018_04_01", "predicted_probability",
              "join_probability_fy2018_2023"), ("code",), ("municipalities", "planned_joins", "boundaries")),
    Resource("evidence_membership_validation",
             "The membership models tested on the joins that came after them (the planned joins FY2018–FY2023, never "
             "seen by a model): per fit date (the 2018-04 list; 2017-04-01 from start years) and model (membership "
             "logit, discrete-time hazard, and three baselines: a size-only logit, the prefecture's and the population "
             "class's member share), the risk set, joiners observed and predicted, AUC with its 95% interval and its "
             "paired difference from the best (clustered by prefecture), the Brier score and its skill against a "
             "constant forecast; which model has the best AUC and which one the project predicts with (lowest Brier "
             "on the 2018-04 fit). Real data, derived.",
             "参加モデルの検証：後の加入予定に対する判別（AUC）・Brierスコア（実データ・導出値）。",
             ("fit_as_of", "model", "municipalities", "joiners", "expected_joiners", "auc", "auc_ci_low", "auc_ci_high",
              "auc_diff_from_best", "diff_ci_low", "diff_ci_high", "brier", "brier_skill", "best_auc", "chosen"),
             ("fit_as_of", "model"), ("municipalities", "planned_joins", "published_adoption", "boundaries")),
    Resource("evidence_membership_calibration",
             "Calibration of each validated model: observed and predicted joiners (FY2018–FY2023 plans) by decile "
             "of the predicted probability, by population class and by prefecture, per fit date. Real data, derived.",
             "検証の較正：予測確率の十分位・人口規模区分・都道府県ごとの実際と予測の加入団体数（実データ・導出値）。",
             ("fit_as_of", "model", "by", "key", "label", "municipalities", "predicted_joiners", "observed_joiners"),
             ("fit_as_of", "model", "by", "key"), ("evidence_membership_validation",)),
    Resource("evidence_hazard_coefficients",
             "The discrete-time hazard of joining (municipality × fiscal year at risk, FY2006 to the fit date; join "
             "year = the group's start year): log odds with prefecture-clustered t(G − 1) intervals, per fit date and "
             "variant (all groups; without those known to grow after their start), with events and rows. Real data, "
             "derived.", "加入の離散時間ハザードモデルの係数（実データ・導出値）。",
             ("fit_as_of", "model", "term", "estimate", "std_error", "ci_low", "ci_high", "odds_ratio", "events",
              "rows"), ("fit_as_of", "model", "term"), ("municipalities", "boundaries")),
    Resource("evidence_prefecture_join_ranges",
             "Each prefecture's planned joiners FY2018–FY2023 against the joiners the chosen model predicts for a "
             "typical prefecture with its municipalities at risk, with the central 95% predictive range (the spread "
             "between prefectures, chance per municipality, estimation uncertainty) and where the plans lie. Real "
             "data, derived.", "都道府県別の加入予定と、選んだモデルの予測（95%予測範囲、実データ・導出値）。",
             ("prefecture", "model", "municipalities_at_risk", "planned_joiners", "expected_joiners", "range_low",
              "range_high", "range_level", "position", "tau", "converged"), ("prefecture",),
             ("evidence_membership_validation", "planned_joins"),
             overrides={"planned_joiners": F("int64", "municipalities", "derived", "Planned joiners FY2018–FY2023 "
                                             "among them (published list, matched).", "そのうち加入予定（平成30～35年度）",
                                             "planned joiners", "加入予定", "{:,}"),
                        "model": F("str", "", "key", "The chosen model.", "選んだモデル", "model", "モデル")}),
    Resource("evidence_membership_prefecture_ranges",
             "Each prefecture's joint-cloud members (2018-04 list, municipalities the model covers) against the "
             "count a logit with a prefecture random intercept expects for a typical prefecture with these "
             "municipalities, with its central 95% predictive range (the spread between prefectures τ, binomial "
             "noise and estimation uncertainty) and where the actual count lies. Real data, derived.",
             "都道府県別の参加団体数と、都道府県の変量効果つきロジットモデルによる期待値と95%予測範囲（実データ・導出値）。",
             ("prefecture", "as_of", "modelled_municipalities", "members", "expected_members", "range_low",
              "range_high", "range_level", "prob_at_least_actual", "prob_at_most_actual", "position", "tau", "converged",
              "model"),
             ("prefecture", "as_of"), ("municipalities",),
             overrides={
                 "modelled_municipalities": F("int64", "municipalities", "real", "Municipalities the model covers "
                                              "(those with a 2015 census ageing share).", "モデルが対象とする団体数",
                                              "municipalities modelled", "対象団体数", "{:,}"),
                 "members": F("int64", "municipalities", "real", "Members among them (the group list).",
                              "そのうち参加団体数", "members", "参加団体数", "{:,}"),
                 "expected_members": F("float64", "municipalities", "derived", "Expected members of a typical "
                                       "prefecture with these municipalities (the model's mean).",
                                       "これらの団体をもつ平均的な都道府県で見込まれる参加団体数", "expected", "見込み",
                                       "{:.1f}"),
                 "model": F("str", "", "key", "The model.", "モデル", "model", "モデル")}),
    Resource("evidence_new_members",
             "New joint-cloud members by population class in two scenarios (planned joins; the 2023 target met), with "
             "their population on 2017-01-01. Derived.", "想定別・人口規模区分別の新たな参加団体数とその人口（導出値）。",
             ("scenario", "class_id", "new_members", "planned_joiners", "expected_others",
              "new_members_population_persons"), ("scenario", "class_id"),
             ("planned_joins", "published_adoption", "evidence_membership_predictions", "municipalities")),
    Resource("evidence_saving_rates",
             "Rate intervals (%) per class and basis, and where each comes from: the 56 groups' reported savings, or "
             "the cross-sectional gap between joint-cloud and no-cloud simple means of the class (bounded by the "
             "published figures under 20k, elsewhere by the plausibility floor alone). Derived.",
             "区分別・根拠別の率の範囲とその根拠（導出値）。",
             ("basis", "class_id", "rate_low_pct", "rate_high_pct", "rate_source"), ("basis", "class_id"),
             ("evidence_gaps", "evidence_savings")),
    Resource("evidence_projections",
             "Scenarios (試算), never estimates: the new members' annual IT cost (億円; their population × their "
             "class's cost per resident, published figures as rounding intervals) and the saving if a rate applied "
             "to that whole cost (base × rate, bands), per scenario, basis and class; per scenario and basis the sum "
             "over every class (rate_source 'all') and over the classes of each rate source, so that the part "
             "resting on the plausibility floor is shown beside the rest. Nothing is left out.",
             "新たな参加団体の年間経費と、率が経費全体に及んだ場合の年間削減額の範囲（億円、試算）。",
             ("scenario", "basis", "class_id", "rate_source", "thin_support", "rate_low_pct", "rate_high_pct",
              "new_members", "new_members_population_persons", "base_cost_low_oku_yen", "base_cost_high_oku_yen",
              "saving_low_oku_yen", "saving_high_oku_yen"), ("scenario", "basis", "class_id", "rate_source"),
             ("evidence_new_members", "evidence_saving_rates", "published_cost_by_class", "published_status_counts"),
             overrides={"class_id": F("Int64", "", "key", "Population class; empty for a sum over classes.",
                                      "人口規模区分（空欄は合計）", "class", "区分", nullable=True)}),
    Resource("evidence_projection_floor",
             "Where only the plausibility floor bounds a class gap: the upper end of the saving band (億円, 試算) as a "
             "function of the floor, per class-gap basis and scenario, for the classes the floor bounds and for "
             "those the published figures bound (each class's largest gap under the floor by linear programming; "
             "no value where the published figures do not admit the floor).",
             "妥当性の下限ごとの年間削減額の上限（億円、試算）。",
             ("basis", "scenario", "rate_source", "floor_ratio", "classes", "admitted", "saving_high_oku_yen"),
             ("basis", "scenario", "rate_source", "floor_ratio"), ("evidence_projections", "published_cost_by_class",
                                                                   "published_status_counts", "case_study_savings")),
    Resource("evidence_weighted_bounds",
             "What the per-municipality chart (joint cloud lowest in every class) implies for population-weighted "
             "cost per resident: per class, pool of listed members and comparison, an upper bound on joint ÷ the "
             "others that holds whichever listed members the survey counted (the mean population of the others over "
             "that of the joint-cloud ones), the same combined with the per-resident chart, the gap it implies (%), "
             "and whether it says anything (< 1). Real populations (2017-01-01), published counts. Derived.",
             "一団体当たり経費の大小関係と実人口から導く、人口加重の住民一人当たり経費の比の上限（導出値）。",
             ("pool", "class_id", "population_class_ja", "comparison", "municipalities", "survey_joint",
              "listed_members", "ratio_high", "ratio_high_best_case", "joint_mean_population_persons",
              "other_mean_population_persons", "listed_pool_short", "joint_cost_high_ordering_oku_yen",
              "joint_cost_high_per_resident_oku_yen", "ratio_high_combined", "gap_low_pct", "informative"),
             ("pool", "class_id", "comparison"),
             ("municipalities", "published_status_counts", "published_cost_by_class", "evidence_cells"),
             overrides={
                 "municipalities": F("int64", "municipalities", "real", "Municipalities of the class (real frame).",
                                     "区分の団体数", "municipalities", "団体数", "{:,}"),
                 "survey_joint": F("int64", "municipalities", "published", "Joint-cloud municipalities of the class "
                                   "in the survey.", "調査の自治体クラウドの団体数", "joint cloud (survey)",
                                   "自治体クラウド（調査）", "{:,}"),
                 "listed_members": F("int64", "municipalities", "derived", "Listed members of the class in the pool.",
                                     "区分内の一覧の参加団体", "listed members", "一覧の参加団体", "{:,}"),
                 "ratio_high": F("float64", "ratio", "derived", "Upper bound (not attained) of population-weighted "
                                 "cost per resident, joint ÷ the others, from the per-municipality ordering alone: the "
                                 "largest over the survey's unknown choice of listed members.",
                                 "人口加重の一人当たり経費の比（自治体クラウド÷比較の相手）の上限（一団体当たり経費の順序のみ）",
                                 "ratio bound (ordering)", "比の上限（順序のみ）", "{:.3f}"),
                 "ratio_high_best_case": F("float64", "ratio", "derived", "The same bound had the survey counted the "
                                           "most populous listed members (how much not knowing which matters).",
                                           "調査が人口の多い団体を数えた場合の同じ上限", "bound if most populous",
                                           "人口の多い団体の場合の上限", "{:.3f}"),
                 "joint_mean_population_persons": F("float64", "persons", "derived", "Mean population of the joint-"
                                                    "cloud members behind the bound.", "上限に用いた自治体クラウドの平均人口",
                                                    "joint mean population", "自治体クラウドの平均人口", "{:,.0f}"),
                 "other_mean_population_persons": F("float64", "persons", "derived", "Mean population of the others "
                                                    "behind the bound.", "上限に用いた比較の相手の平均人口",
                                                    "others' mean population", "相手の平均人口", "{:,.0f}"),
                 "listed_pool_short": F("bool", "", "derived", "Fewer listed members than the survey's count: the rest "
                                        "are taken from any municipality of the class.", "一覧の団体が調査の数より少ない",
                                        "list short", "一覧が不足"),
                 "joint_cost_high_ordering_oku_yen": F("float64", "oku_yen", "derived", "Upper bound on the joint-cloud "
                                                       "municipalities' total cost from the ordering: n_J × (T + 0.5) "
                                                       "÷ n.", "順序による自治体クラウドの総経費の上限",
                                                       "joint cost bound (ordering)", "総経費の上限（順序）", "{:,.1f}"),
                 "joint_cost_high_per_resident_oku_yen": F("float64", "oku_yen", "derived", "The same from the per-"
                                                           "resident chart: n_J × the joint cell's largest mean × the "
                                                           "largest listed population.",
                                                           "一人当たり経費のグラフによる同じ上限",
                                                           "joint cost bound (per resident)", "総経費の上限（一人当たり）",
                                                           "{:,.1f}"),
                 "ratio_high_combined": F("float64", "ratio", "derived", "The ratio bound from both charts (the "
                                          "smaller; against no cloud the ordering's alone).",
                                          "両方のグラフによる比の上限", "ratio bound (both charts)", "比の上限（両方）",
                                          "{:.3f}"),
                 "gap_low_pct": F("float64", "pct", "derived", "100 × (1 − the combined bound): how far at least "
                                  "population-weighted joint-cloud cost per resident lies below the others' "
                                  "(negative: the figures say nothing beyond 'lowest').",
                                  "人口加重で自治体クラウドが相手より少なくとも低い幅（負なら「最も低い」以上は言えない）",
                                  "gap at least", "差の下限", _PCT1),
                 "informative": F("bool", "", "derived", "The combined bound is below 1.", "比の上限が1未満",
                                  "informative", "限定あり")}),
)}


_SIM = "simulated"
FIELDS.update({
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
})
RESOURCES.update({r.name: r for r in (
    Resource("simulation_draws",
             "Written by `jichitai-cloud simulate`, not by the build: every simulated draw's joint estimate (log), "
             "standard error and 95% interval per estimator and assumed effect, whether it covers the "
             "estimator's target (truth: log(1 + effect) for PPML, log(1 + effect) − τ_group²/2 for OLS), whether the draw satisfies the published orderings. SIMULATED: a check of the method.",
             "模擬データごとの推定値（シミュレーション、方法の検証）。",
             ("effect", "draw", "estimator", "estimate", "std_error", "ci_low", "ci_high", "truth", "covered",
              "orderings_ok", "small_class_ratio", "near_inferred_label"), ("effect", "draw", "estimator"),
             ("municipalities", "published_status_counts", "published_cost_by_class", "evidence_gaps"), "simulation",
             overrides={c: replace(FIELDS[c], provenance=_SIM, unit="") for c in ("estimate", "std_error", "ci_low",
                                                                                  "ci_high")}),
    Resource("simulation_summary",
             "Written by `jichitai-cloud simulate`: per assumed effect and estimator, mean estimate, bias, RMSE and "
             "coverage, over all draws, the draws satisfying the published orderings (their share: an approximate "
             "likelihood of the effect conditional on the generator's other settings), those near the inferred "
             "chart-label ratio, and both. Bias and RMSE against each estimator's target (PPML log(1 + e); OLS "
             "log(1 + e) − τ_group²/2). SIMULATED.",
             "推定方法の偏り・RMSE・被覆率（シミュレーション）。",
             ("effect_pct", "estimator", "draws", "subset", "share_of_draws", "mean_estimate_pct", "bias", "rmse",
              "coverage", "coverage_mc_se"), ("effect_pct", "estimator", "subset"), ("simulation_draws",),
             "simulation"),
    Resource("simulation_parameters",
             "Written by `jichitai-cloud simulate`: draws, effects, seed, reading of the orderings, workers, generator "
             "parameters, the inferred label's ratio and tolerance (empty with --no-inferred-label), seconds.", "シミュレーションの設定。",
             ("draws_per_effect", "effects", "seed", "reading", "workers", "generator_params", "label_ratio",
              "label_tolerance", "seconds", "computed_on_build"), (), ("simulation_draws",), "simulation",
             overrides={"draws_per_effect": F("int64", "", "key", "Draws per effect.", "効果ごとの回数", "draws",
                                              "回数"),
                        "effects": F("str", "", "key", "Assumed effects (JSON list).", "仮定した効果", "effects", "効果"),
                        "seed": F("int64", "", "key", "Random seed.", "乱数の種", "seed", "乱数の種"),
                        "workers": F("int64", "", "key", "Worker processes.", "ワーカー数", "workers", "ワーカー数"),
                        "generator_params": F("str", "", "key", "Generator parameters (JSON).", "生成モデルの設定",
                                              "generator", "生成モデル"),
                        "label_ratio": F("float64", "ratio", "derived", "The inferred label's under-20k ratio.",
                                         "推定した割当ての比", "label ratio", "割当ての比", nullable=True),
                        "label_tolerance": F("float64", "ratio", "key", "Tolerance around it.", "許容幅",
                                             "tolerance", "許容幅"),
                        "seconds": F("float64", "", "key", "Wall time of the run.", "実行時間（秒）", "seconds", "秒",
                                     nullable=True),
                        "computed_on_build": F("str", "", "key", "The data build (data/processed/builds/<id>) the "
                                               "study read.", "計算に用いたデータのビルド", "build", "ビルド")}),
)})



# --- the other processed tables (published, cleaned, survey, models, the rest of the document) ----------

_P, _D, _R, _K, _S = "published", "derived", "real", "key", "survey"
_INT = "{:,}"
_INT0 = "{:,.0f}"
_SECTION = F("str", "", _P, "The heading of the slide the row was typed from.", "転記元のスライドの見出し", "slide",
             "スライド")


def _dash(v):
    """'—' for a missing value, else the value (for nullable integers shown as text)."""
    import math

    return "—" if v is None or (isinstance(v, float) and math.isnan(v)) or str(v) in ("<NA>", "nan") else f"{v}"


def number(v) -> str:
    """A figure for logs and tables: integers with separators, others to four decimals, '—' if missing."""
    if _dash(v) == "—":
        return "—"
    text = f"{v:,.0f}" if float(v).is_integer() else f"{v:,.4f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _probability(v) -> str:
    """A probability to two decimals, '<0.01' for a positive one that would print as 0.00, '—' if missing."""
    if _dash(v) == "—":
        return "—"
    return "<0.01" if 0 < v < 0.005 else f"{v:.2f}"


def _int_or_dash(v):
    """'—' for a missing value, else the integer with thousands separators."""
    return _dash(v) if _dash(v) == "—" else f"{int(v):,}"


def _p_value(v):
    import math

    return "—" if v is None or (isinstance(v, float) and math.isnan(v)) else ("<0.001" if v < 0.001 else f"{v:.3f}")


FIELDS.update({
    "section": _SECTION,
    "item": F("str", "", _K, "Which figure.", "項目", "item", "項目"),
    "value": F("float64", "", _P, "The figure, in the row's unit.", "値（行の単位）", "value", "値"),
    "unit": F("str", "", _K, "The unit of the row's figure.", "値の単位", "unit", "単位"),
    "population_class_en": F("str", "", _K, "Population class in English.", "人口規模区分（英語）", "population class",
                             "人口規模区分"),
    "lower_bound_persons": F("int64", "persons", _P, "Lower bound of the class (inclusive).", "区分の下限（以上）",
                             "from", "下限", _INT),
    "upper_bound_persons": F("Int64", "persons", _P, "Upper bound of the class (exclusive); empty for the last.",
                             "区分の上限（未満）。最後の区分は空欄", "below", "上限", _dash, nullable=True),
    "it_cost_total_oku_yen": F("int64", "oku_yen", _P, "Total IT-system cost of the class, FY2017 初予算.",
                               "区分の情報システム経費の総額（平成29年度当初予算）", "total cost", "総経費", _INT0),
    "it_cost_per_resident_mean_yen": F("int64", "yen", _P, "Simple mean over the class's municipalities of cost per "
                                       "resident.", "区分内の市区町村の住民一人当たり経費の単純平均",
                                       "cost per resident, mean", "住民一人当たり経費 団体平均", _INT0),
    "it_cost_per_municipality_oku_yen": F("float64", "oku_yen", _P, "Cost per municipality (as published, one "
                                          "decimal).", "一団体当たり経費（公表値、小数1桁）", "cost per municipality",
                                          "一団体当たり経費", "{:,.1f}"),
    "population_thousand_persons": F("int64", "thousand_persons", _P, "Population of the class (2017-01-01).",
                                     "区分の総人口（平成29年1月1日）", "population", "総人口", _INT0),
    "cloud_status_ja": F("str", "", _P, "Cloud status as written.", "クラウド導入状況（資料の表記）", "status as written",
                         "導入状況（資料の表記）"),
    "ordering_id": F("str", "", _K, "Which stated ordering.", "大小関係の種類", "ordering", "大小関係"),
    "lower_status": F("str", "", _K, "The status stated to be lower.", "低いとされる導入状況", "lower", "低い方"),
    "higher_status": F("str", "", _K, "The status stated to be higher.", "高いとされる導入状況", "higher", "高い方"),
    "statement_as_written": F("str", "", _P, "The sentence as written.", "資料の記述", "statement", "資料の記述"),
    "as_of_date": F("datetime64[ns]", "", _K, "The date the figure refers to.", "時点", "as of", "時点"),
    "as_written": F("str", "", _P, "The label as written.", "資料の表記", "as written", "資料の表記"),
    "approximate": F("bool", "", _P, "The figure is approximate (約).", "概数（約）", "approximate", "概数"),
    "note": F("str", "", _D, "A note on how the row was read.", "読み取りの注記", "note", "注記"),
    "population_2018_01_01_persons": F("int64", "persons", _R, "住民基本台帳 population on 2018-01-01.",
                                       "住民基本台帳人口（平成30年1月1日）", "population 2018-01-01",
                                       "人口（平成30年1月1日）", _INT0),
    "population_census_2015_persons": F("int64", "persons", _R, "2015 census population (SSDSE-A A1101).",
                                        "平成27年国勢調査人口", "census population 2015", "国勢調査人口（平成27年）", _INT0),
    "population_65_plus_census_2015_persons": F("int64", "persons", _R, "Aged 65 and over, 2015 census (SSDSE-A "
                                                "A1303).", "65歳以上人口（平成27年国勢調査）", "aged 65+ (2015)",
                                                "65歳以上人口（平成27年）", _INT0),
    "habitable_area_2018_ha": F("int64", "ha", _R, "Habitable area (可住地面積), 2018 (SSDSE-A B1103).",
                                "可住地面積（平成30年）", "habitable area", "可住地面積", _INT0),
    "current_balance_ratio_fy2016_pct": F("float64", "pct", _R, "経常収支比率, FY2016 settled accounts.",
                                          "経常収支比率（平成28年度決算）", "経常収支比率 FY2016", "経常収支比率（平成28年度）",
                                          "{:.1f}"),
    "fiscal_strength_index_fy2017": F("float64", "index", _R, "財政力指数, FY2017 settled accounts.",
                                      "財政力指数（平成29年度決算）", "財政力指数 FY2017", "財政力指数（平成29年度）", "{:.2f}"),
    "expenditure_total_fy2017_thousand_yen": F("int64", "thousand_yen", _R, "歳出決算総額 FY2017 (SSDSE-A D3203).",
                                               "歳出決算総額（平成29年度）", "expenditure FY2017", "歳出決算総額（平成29年度）",
                                               _INT0),
    "population_class_id": F("int64", "", _D, "Survey population class of the 2017-01-01 population.",
                             "平成29年1月1日人口による調査の人口規模区分", "class", "区分"),
    "joint_cloud_group_id": F("Int64", "", _D, "The municipality's group in the 2018-04 list (matched by name).",
                              "グループ一覧（平成30年4月）での所属グループ（団体名で照合）", "group", "グループ", _dash,
                              nullable=True),
    "joint_cloud_start_fy": F("Int64", "", _D, "Its group's start fiscal year.", "所属グループの導入年度",
                              "start FY", "開始年度", _dash, nullable=True),
    "group_id": F("int64", "", _P, "Group number in the list's order.", "一覧の順の番号", "id", "番号"),
    "start_year_as_written": F("str", "", _P, "Start year as written (和暦).", "導入年度（資料の表記）",
                               "start (as written)", "導入年度（資料）"),
    "start_fy": F("int64", "", _D, "Start fiscal year.", "導入年度（西暦）", "start FY", "導入年度"),
    "stated_members": F("int64", "municipalities", _P, "Members as the list states.", "資料の団体数",
                        "members (stated)", "団体数（資料）", _INT0),
    "stated_population_2018_01_01_persons": F("int64", "persons", _P, "Group population as the list states "
                                              "(2018-01-01).", "資料のグループ総人口（平成30年1月1日）",
                                              "population (stated)", "グループ総人口（資料）", _INT0),
    "matched_members": F("int64", "municipalities", _D, "Members matched to a code.", "団体コードに照合した構成団体数",
                         "members matched", "照合した団体数", _INT0),
    "members_population_2018_01_01_persons": F("int64", "persons", _R, "Sum of the members' 住民基本台帳 population "
                                               "(2018-01-01).", "構成団体の住民基本台帳人口の和（平成30年1月1日）",
                                               "members' population", "構成団体の人口の和", _INT0),
    "name_as_written": F("str", "", _P, "The name as the source writes it.", "資料の表記", "as written", "資料の表記"),
    "match": F("str", "", _D, "How the name was matched to a code.", "団体コードへの照合方法", "match", "照合"),
    "it_cost_yen": F("Int64", "yen", _S, "FY2017 IT-system cost (円): reported, or simulated (see the provenance "
                     "column).", "情報システム経費（平成29年度当初予算、円）：実データまたはシミュレーション",
                     "IT cost", "情報システム経費", _INT0, nullable=True),
    "it_cost_provenance": F("str", "", _K, "Where the cost comes from: reported, published, derived or simulated.",
                            "経費の出所", "cost from", "経費の出所"),
    "cloud_status_provenance": F("str", "", _K, "Where the status comes from.", "導入状況の出所", "status from",
                                 "導入状況の出所"),
    "input": F("str", "", _K, "simulated or reported.", "simulated（シミュレーション）または reported（実データ）", "input",
               "入力"),
    "file": F("str", "", _K, "The real file's name.", "実データのファイル名", "file", "ファイル"),
    "sheet": F("str", "", _K, "The sheet read from an XLSX file (empty for a CSV file and the simulated survey).",
               "読み込んだシート（XLSXのみ）", "sheet", "シート"),
    "sha256": F("str", "", _K, "Its sha256.", "そのsha256", "sha256", "sha256"),
    "cost_unit": F("str", "", _K, "Unit of the file's cost column.", "経費の列の単位", "cost unit", "経費の単位"),
    "configured_by": F("str", "", _K, "How the file was configured.", "ファイルの指定方法", "configured by", "指定方法"),
    "generator_version": F("str", "", _K, "The generator's version.", "生成モデルの版", "generator", "生成モデル"),
    "generator_params": F("str", "", _K, "The generator's parameters (JSON).", "生成モデルの設定（JSON）",
                          "generator parameters", "生成モデルの設定"),
    "status_source": F("str", "", _K, "Where the statuses come from.", "導入状況の出所", "status from", "導入状況の出所"),
    "rows": F("int64", "rows", _K, "Rows.", "行数", "rows", "行数"),
    "costs_missing": F("int64", "municipalities", _K, "Municipalities without a cost.", "経費のない団体数",
                       "costs missing", "経費なし"),
    "term_raw": F("str", "", _K, "The term as the model names it.", "モデル上の項の名前", "term (raw)", "項（内部名）"),
    "p_value": F("float64", "", _S, "p-value (none for the simulated survey).", "p値（シミュレーションでは示さない）",
                 "p", "p値", _p_value, nullable=True),
    "survey_input": F("str", "", _K, "The survey input the numbers come from: simulated, reported or published.",
                      "数値の元になった調査データ", "survey input", "調査データ"),
    "specification": F("str", "", _K, "The model in words.", "モデルの内容", "specification", "モデル"),
    "parameters": F("int64", "", _K, "Parameters estimated.", "推定したパラメータ数", "parameters", "パラメータ数", _INT0),
    "r_squared": F("float64", "", _S, "R² (OLS only).", "決定係数（OLSのみ）", "R²", "R²", "{:.3f}", nullable=True),
    "adj_r_squared": F("float64", "", _S, "Adjusted R² (OLS only).", "自由度調整済み決定係数", "adj. R²", "調整済みR²",
                       "{:.3f}", nullable=True),
    "aic": F("float64", "", _S, "AIC (OLS only).", "AIC（OLSのみ）", "AIC", "AIC", "{:,.1f}", nullable=True),
    "bic": F("float64", "", _S, "BIC (OLS only).", "BIC（OLSのみ）", "BIC", "BIC", "{:,.1f}", nullable=True),
    "joint_estimate": F("float64", "", _S, "The joint-cloud coefficient (log).", "自治体クラウドの係数（対数）",
                        "joint-cloud estimate", "自治体クラウドの係数", "{:.4f}"),
    "joint_std_error": F("float64", "", _S, "Its standard error.", "その標準誤差", "its std. error", "同 標準誤差",
                         "{:.4f}"),
    "joint_effect_pct": F("float64", "pct", _S, "100 × (exp(joint coefficient) − 1).", "100×(exp(係数)−1)",
                          "joint-cloud effect", "自治体クラウドの効果", "{:+.1f}"),
    "against": F("str", "", _K, "The status compared with.", "比較の基準", "against", "基準"),
    "population_persons": F("Int64", "persons", _K, "Population at which the effect is evaluated (empty: the "
                            "same for all).", "効果を評価する人口（空欄はすべて）", "population", "人口",
                            lambda v: "すべて / all" if _dash(v) == "—" else f"{int(v):,}", nullable=True),
    "log_effect": F("float64", "", _S, "Effect on the log scale.", "対数での差", "log effect", "対数での差", "{:+.4f}"),
    "ci_low_pct": F("float64", "pct", _S, "95% interval, lower.", "95%信頼区間 下限", "95% CI low", "95%信頼区間 下限",
                    "{:+.1f}", nullable=True),
    "ci_high_pct": F("float64", "pct", _S, "95% interval, upper.", "95%信頼区間 上限", "95% CI high", "95%信頼区間 上限",
                     "{:+.1f}", nullable=True),
    "area": F("str", "", _K, "全国 or a prefecture.", "全国または都道府県", "area", "地域"),
    "joint_members": F("int64", "municipalities", _S, "Joint-cloud members behind the row.", "その行の自治体クラウドの団体数",
                       "joint members", "自治体クラウドの団体数", _INT0),
    "extrapolation": F("bool", "", _D, "Fewer than 5 joint members: the saving would be extrapolated.",
                       "自治体クラウドの団体が5未満（外挿）", "extrapolation", "外挿"),
    "includes_extrapolation": F("bool", "", _D, "The total includes extrapolated classes.", "外挿の区分を含む合計",
                                "includes extrapolation", "外挿を含む"),
    "counterfactual_status": F("str", "", _K, "Who gets the joint-cloud effect: none, or every non-joint municipality.",
                               "効果を当てはめる団体：未導入、または自治体クラウド以外の全団体", "counterfactual",
                               "当てはめる団体"),
    "counterfactual_municipalities": F("int64", "municipalities", _S, "Municipalities the effect is applied to.",
                                       "効果を当てはめた団体数", "municipalities", "当てはめた団体数", _INT0),
    "counterfactual_cost_oku_yen": F("float64", "oku_yen", _S, "Their cost.", "その経費", "their cost", "その経費",
                                     "{:,.1f}"),
    "saving_oku_yen": F("float64", "oku_yen", _S, "Annual saving.", "年間削減額", "annual saving", "年間削減額",
                        "{:,.1f}"),
    "ci_low_oku_yen": F("float64", "oku_yen", _S, "95% interval, lower (none for the simulated survey).",
                        "95%信頼区間 下限", "95% CI low", "95%信頼区間 下限", "{:,.1f}", nullable=True),
    "ci_high_oku_yen": F("float64", "oku_yen", _S, "95% interval, upper.", "95%信頼区間 上限", "95% CI high",
                         "95%信頼区間 上限", "{:,.1f}", nullable=True),
    "method": F("str", "", _K, "How the interval is computed.", "区間の計算方法", "interval", "区間の計算"),
    "assumed_effect_pct": F("float64", "pct", _K, "An assumed joint-cloud effect on mean cost.",
                            "仮定した自治体クラウドの効果（平均経費）", "assumed effect", "仮定した効果", "{:+.0f}"),
    "membership_as_of": F("str", "", _K, "Joint membership: start years (2017-04-01) or the 2018-04 list.",
                          "自治体クラウドの判定：開始年度（平成29年4月1日）または平成30年4月の一覧", "joint as of",
                          "自治体クラウドの基準日"),
    "fitted_cost_per_resident_yen": F("float64", "yen", _S, "Fitted cost per resident.", "推定した住民一人当たり経費",
                                      "fitted cost per resident", "推定した一人当たり経費", _INT0),
    "moment": F("str", "", _K, "Which published moment.", "公表値の種類", "moment", "指標"),
    "published": F("float64", "", _P, "The published figure (円 or 億円).", "公表値（円または億円）", "published",
                   "公表値", _INT0),
    "fitted": F("float64", "", _D, "The curve's figure.", "曲線による値", "fitted", "曲線による値", "{:,.1f}"),
    "gap_half_widths": F("float64", "", _D, "Fitted − published, in half rounding widths (±1 = within rounding).",
                         "曲線による値−公表値（丸め幅の半分を単位、±1以内なら丸めの範囲内）", "gap", "ずれ", "{:+,.1f}"),
    "moments": F("int64", "", _D, "Published moments matched.", "当てはめた公表値の数", "moments", "公表値の数"),
    "degrees_of_freedom": F("int64", "", _D, "Moments − parameters.", "公表値の数−パラメータ数", "degrees of freedom",
                            "自由度"),
    "j_statistic": F("float64", "", _D, "Σ (gap ÷ rounding sd)²: a distance, not a test (rounding is not the only "
                     "difference).", "Σ(ずれ÷丸めの標準偏差)²（距離。丸めだけが差ではないため検定ではない）", "J",
                     "J", "{:,.0f}"),
    "largest_gap_half_widths": F("float64", "", _D, "The largest |gap| in half rounding widths.",
                                 "最大のずれ（丸め幅の半分を単位）", "largest gap", "最大のずれ", "{:,.1f}"),
    "within_rounding": F("int64", "", _D, "Moments the curve reproduces within their rounding.",
                         "丸めの範囲内で再現した公表値の数", "within rounding", "丸めの範囲内"),
    "curve": F("str", "", _K, "The curve fitted.", "曲線", "curve", "曲線"),
    "entry": F("int64", "", _P, "Entry number on the slide.", "スライドの項目番号", "entry", "項目"),
    "group_as_written": F("str", "", _P, "The group joined, as written.", "加入先（資料の表記）", "joins (as written)",
                          "加入先（資料）"),
    "new_group": F("bool", "", _P, "A new group.", "新グループ", "new group", "新グループ"),
    "joins_group_id": F("Int64", "", _D, "The 2018-04 group joined (empty: a new group).", "加入先のグループ（空欄は新グループ）",
                        "joins group", "加入先", _dash, nullable=True),
    "operating_members_stated": F("Int64", "municipalities", _P, "Operating members the slide states.",
                                  "資料の稼働済団体数", "operating (stated)", "稼働済（資料）", _dash, nullable=True),
    "target_year_as_written": F("str", "", _P, "Target year as written (和暦).", "目標年度（資料の表記）",
                                "target (as written)", "目標年度（資料）"),
    "target_fy": F("Int64", "", _D, "Target fiscal year (empty: undetermined).", "目標年度（空欄は未定）", "target FY",
                   "目標年度", _dash, nullable=True),
    "counted_as": F("str", "", _D, "How the join is counted: new_group, existing_group, undetermined.",
                    "数え方：新グループ、既存グループへの加入、未定", "counted as", "数え方"),
    "already_member_2018_04": F("bool", "", _D, "Already an operating member in the 2018-04 list.",
                                "グループ一覧（平成30年4月）ですでに稼働済", "already a member", "稼働済"),
    "named_in_year_line_as": F("str", "", _P, "The name as the year line writes it.", "目標年度の行の表記",
                               "in the year line", "年度の行の表記"),
    "fiscal_year": F("int64", "", _K, "Fiscal year.", "年度", "fiscal year", "年度"),
    "planned_joins_in_year": F("int64", "municipalities", _D, "Planned joins with this target year.",
                               "この年度が目標の加入予定", "planned joins in the year", "加入予定（年度内）", _INT0),
    "joint_cloud_projected": F("int64", "municipalities", _D, "Joint-cloud municipalities at the year's end, "
                               "projected.", "年度末の自治体クラウド団体数（見込み）", "joint cloud (projected)",
                               "自治体クラウド（見込み）", _INT0),
    "cloud_projected_low": F("int64", "municipalities", _D, "Cloud municipalities, projected, low.",
                             "クラウド導入団体数（見込み下限）", "cloud (projected, low)", "クラウド導入（見込み下限）", _INT0),
    "cloud_projected_high": F("int64", "municipalities", _D, "Cloud municipalities, projected, high.",
                              "クラウド導入団体数（見込み上限）", "cloud (projected, high)", "クラウド導入（見込み上限）",
                              _INT0),
    "joint_cloud_target": F("Int64", "municipalities", _P, "The approximate target (約).", "目標（約）",
                            "joint-cloud target (approx.)", "自治体クラウドの目標（約）", _int_or_dash, nullable=True),
    "cloud_target": F("Int64", "municipalities", _P, "The approximate target (約).", "目標（約）",
                      "cloud target (approx.)", "クラウド導入の目標（約）", _int_or_dash, nullable=True),
    "case": F("str", "", _K, "Case study letter (a-g, in the document's order).", "導入事例の記号（資料の順）", "case",
              "事例"),
    "title_as_written": F("str", "", _P, "The case study's title.", "事例の題", "case", "事例"),
    "target_work_as_written": F("str", "", _P, "The work shared.", "対象業務", "systems", "対象業務"),
    "start_as_written": F("str", "", _P, "Start dates as written.", "稼働時期（資料の表記）", "start", "稼働時期"),
    "population_as_written": F("str", "", _P, "Population as written.", "人口（資料の表記）", "population (as written)",
                               "人口（資料）"),
    "group_id_2018_04": F("Int64", "", _D, "The member's group in the 2018-04 list.", "グループ一覧（平成30年4月）の所属",
                          "group (2018-04)", "グループ（平成30年4月）", _dash, nullable=True),
    "what_as_written": F("str", "", _P, "The saving as written.", "削減効果（資料の表記）", "as written", "記載（資料の表記）"),
    "reduction_pct": F("float64", "pct", _P, "The stated reduction.", "記載の削減率", "reduction", "削減率", "{:g}"),
    "cost_basis": F("str", "", _D, "initial, running, total or unspecified (read from the wording).",
                    "費用の種類（記述から判定）：initial、running、total、unspecified", "cost basis", "費用の種類"),
    "period_years": F("float64", "years", _D, "The period the saving covers, where stated.", "削減の期間（記載がある場合）",
                      "years", "期間", lambda v: _dash(None if v != v else int(v)), nullable=True),
    "projected": F("bool", "", _D, "Stated as an estimate (見込み).", "見込みとして記載", "projected", "見込み"),
    "category_as_written": F("str", "", _P, "The savings bin as written.", "削減率の区分（資料の表記）", "bin", "区分"),
    "as_of_as_written": F("str", "", _P, "When the groups were surveyed, as written.", "調査時点（資料の表記）",
                          "as of (as written)", "時点（資料）"),
    "as_of_month": F("str", "", _D, "That month (YYYY-MM).", "調査時点（年月）", "as of", "時点"),
    "vendor_as_written": F("str", "", _P, "Development vendor as written.", "開発ベンダ（資料の表記）", "vendor", "ベンダ"),
    "size_as_written": F("str", "", _P, "Group size bin as written.", "グループの団体数の区分", "group size", "団体数"),
    "introduced_as_written": F("str", "", _P, "Year introduced.", "導入年度", "introduced", "導入年度"),
    "business_as_written": F("str", "", _P, "Business.", "業務", "business", "業務"),
    "item_as_written": F("str", "", _P, "Item.", "費目", "item", "費目"),
    "subitem_as_written": F("str", "", _P, "Sub-item.", "細目", "sub-item", "細目"),
    "before_as_written": F("str", "", _P, "Standard cost before, as written.", "見直し前（資料の表記）", "before", "見直し前"),
    "fy2018_as_written": F("str", "", _P, "FY2018 standard cost, as written.", "平成30年度（資料の表記）", "FY2018",
                           "平成30年度"),
    "final_as_written": F("str", "", _P, "Final standard cost, as written.", "見直し後（資料の表記）", "final", "見直し後"),
    "before_thousand_yen": F("Int64", "thousand_yen", _P, "Standard cost before.", "見直し前", "before", "見直し前",
                             _dash, nullable=True),
    "fy2018_thousand_yen": F("Int64", "thousand_yen", _P, "FY2018 standard cost.", "平成30年度", "FY2018", "平成30年度",
                             _dash, nullable=True),
    "final_thousand_yen": F("Int64", "thousand_yen", _P, "Final standard cost.", "見直し後", "final", "見直し後", _dash,
                            nullable=True),
    "review_years_as_written": F("str", "", _P, "Review period as written.", "見直し期間", "review", "見直し期間"),
    "reform_as_written": F("str", "", _P, "The reform assumed.", "前提とする改革", "reform", "改革"),
    "reduction_to_final_pct": F("float64", "pct", _D, "100 × (1 − final ÷ before).", "100×(1−見直し後÷見直し前)",
                                "reduction", "引下げ率", "{:.1f}", nullable=True),
    "check_id": F("str", "", _K, "The check's identifier.", "照合の識別子", "check", "照合ID"),
    "topic": F("str", "", _K, "What is checked.", "照合の対象", "topic", "照合の対象"),
    "description": F("str", "", _K, "The check in English.", "照合内容（英語）", "check", "照合内容（英語）"),
    "description_ja": F("str", "", _K, "The check in Japanese.", "照合内容", "check (Japanese)", "照合内容"),
    "stated": F("float64", "", _P, "The figure as stated.", "資料の値", "stated", "資料の値", number),
    "computed": F("float64", "", _D, "The figure computed independently.", "独立に計算した値", "computed", "計算値",
                  number, nullable=True),
    "difference": F("float64", "", _D, "computed − stated.", "計算値−資料の値", "difference", "差", number,
                    nullable=True),
    "rule": F("str", "", _K, "When the two agree.", "一致の基準", "rule", "基準"),
    "status": F("str", "", _K, "ok or mismatch.", "一致（ok）・不一致（mismatch）", "result", "結果"),
    "stated_source": F("str", "", _K, "Where the stated figure is.", "資料の値の出所", "stated in", "出所"),
    "computed_from": F("str", "", _K, "What it was computed from.", "計算に用いたもの", "computed from", "計算元"),
    "explanation": F("str", "", _D, "For a known mismatch, why (English).", "既知の不一致の理由（英語）", "explanation",
                     "理由（英語）"),
    "explanation_ja": F("str", "", _D, "For a known mismatch, why.", "既知の不一致の理由", "explanation (Japanese)",
                        "理由"),
})

_SHARE_INT = F("int64", "pct", _P, "Share as published (%).", "公表の割合（%）", "share", "割合", "{:d}")
_MOD = lambda col, **kw: replace(FIELDS[col], **kw)  # noqa: E731


def _r(table_name, en, ja, fields, key, sources=(), layer="clean", /, **overrides):
    return Resource(table_name, en, ja, tuple(fields), tuple(key), tuple(sources), layer, overrides)


_TR = "data/raw/transcribed/"
RESOURCES.update({r.name: r for r in (
    _r("published_survey_totals", "National figures of the 2018 survey (FY2017 当初予算): published. value in unit; "
       "value_as_written as in the source document.", "調査の全国値（公表値）。",
       ("item", "value", "unit", "value_as_written", "section"), ("item",), (_TR + "survey_totals.csv",), "published",
       value_as_written=_MOD("value_as_written", provenance=_P, header_en="published (as written)",
                             header_ja="公表値（資料の表記）")),
    _r("published_cost_by_class", "Survey table by population class: total cost (億円), mean cost per resident (円), "
       "cost per municipality (億円), count, population (千人). Published.", "人口規模区分別の経費（公表値）。",
       ("class_id", "population_class_ja", "population_class_en", "lower_bound_persons", "upper_bound_persons",
        "it_cost_total_oku_yen", "it_cost_per_resident_mean_yen", "it_cost_per_municipality_oku_yen",
        "municipalities", "population_thousand_persons", "section"), ("class_id",),
       (_TR + "survey_cost_by_class.csv",), "published",
       municipalities=_MOD("municipalities", provenance=_P, en="Municipalities in the class.")),
    _r("published_status_counts", "Municipalities per population class and cloud status (joint / single / none). "
       "Published.", "人口規模区分別・導入状況別の団体数（公表値）。",
       ("class_id", "population_class_ja", "cloud_status", "cloud_status_ja", "municipalities", "section"),
       ("class_id", "cloud_status"), (_TR + "survey_status_counts.csv",), "published",
       municipalities=_MOD("municipalities", provenance=_P)),
    _r("published_survey_outliers", "Cost per resident (円) of the three least-populous municipalities and the 2万人未満 "
       "単独クラウド mean without them. Published.", "人口数下位3団体の住民一人当たり経費と、除いた平均（公表値）。",
       ("item", "class_id", "cloud_status", "value_yen", "section"), ("item",), (_TR + "survey_outliers.csv",),
       "published", value_yen=F("int64", "yen", _P, "The published figure (円).", "公表値（円）", "value", "値", _INT)),
    _r("published_survey_orderings", "The orderings the survey's text states between the status cells of each class "
       "(joint lowest per resident and per municipality; single above none in three classes), one row per class and "
       "pair, with the statement as written. Published.", "資料が述べる導入状況間の大小関係（公表値）。",
       ("ordering_id", "measure", "class_id", "lower_status", "higher_status", "statement_as_written", "section"),
       ("ordering_id", "class_id", "lower_status", "higher_status"), (_TR + "survey_orderings.csv",), "published"),
    _r("published_chart_labels", "The four numbers (円) the extracted text carries from the per-resident chart without "
       "saying which bar they label (9,820; 3,217; 3,266; 3,561). Published figures, unassigned.",
       "一人当たり経費のグラフに残る4つの数値（どの棒かは不明、公表値）。",
       ("value_as_written", "value_yen", "line_as_written", "section"), ("value_as_written",),
       (_TR + "survey_chart_labels.csv",), "published"),
    _r("published_adoption", "Cloud adoption counts 2014-04..2018-04 and the 2018/2024 targets, one row per figure "
       "and slide. Published.", "クラウド導入団体数の推移と目標（公表値）。",
       ("as_of_date", "as_written", "kind", "measure", "value", "unit", "approximate", "section", "note"),
       ("as_of_date", "kind", "measure", "section"), (_TR + "cloud_adoption.csv",), "published",
       kind=F("str", "", _K, "actual or target.", "実績・目標", "kind", "区分"),
       value=F("int64", "", _P, "The count (municipalities or groups).", "団体数またはグループ数", "value", "値", _INT0)),
    _r("municipalities", "The 1,741 municipalities (code with check digit): prefecture, name, kind, population "
       "2017-01-01 and 2018-01-01 (住民基本台帳, persons), survey population class, 2015 census population and aged 65+, "
       "habitable area, 財政力指数 and 経常収支比率 FY2016, 財政力指数 FY2017, 歳出決算総額 FY2017 (千円), joint-cloud group "
       "and its start fiscal year. Real data.", "1,741市区町村（実データ）。",
       ("code", "prefecture", "name", "kind", "population_2017_01_01_persons", "population_2018_01_01_persons",
        "population_class_id", "population_class_ja", "population_census_2015_persons",
        "population_65_plus_census_2015_persons", "habitable_area_2018_ha", "fiscal_strength_index_fy2016",
        "current_balance_ratio_fy2016_pct", "fiscal_strength_index_fy2017", "expenditure_total_fy2017_thousand_yen",
        "joint_cloud_group_id", "joint_cloud_start_fy"), ("code",),
       ("juki_population/juki_2017-01-01.csv", "juki_population/juki_2018-01-01.csv", "ssdse_a/SSDSE-A-2020.csv",
        "fiscal_indices/fiscal_indices_fy2016.xlsx", "fiscal_indices/fiscal_indices_fy2017.xlsx",
        "source_document/mic_jichitai_cloud_promotion_fy2018.txt"),
       population_class_ja=_MOD("population_class_ja", provenance=_D)),
    _r("cloud_groups", "The 70 joint-cloud groups of the 2018-04 list: name (null where none), prefectures, start year "
       "(和暦 and fiscal year), stated members and population (2018-01-01), matched members and their population. "
       "Published + derived.", "自治体クラウドグループ一覧（公表値・導出値）。",
       ("group_id", "name", "prefectures", "start_year_as_written", "start_fy", "stated_members",
        "stated_population_2018_01_01_persons", "matched_members", "members_population_2018_01_01_persons"),
       ("group_id",), ("source_document/mic_jichitai_cloud_promotion_fy2018.txt",),
       prefectures=F("str", "", _P, "Prefecture(s) of the group.", "都道府県", "prefectures", "都道府県"),
       name=F("str", "", _P, "The group's name as the list writes it (empty where it gives none).",
              "グループ名（資料の表記、ないものは空欄）", "group", "グループ名", nullable=True)),
    _r("cloud_group_members", "The 407 members: group, code, official name, name as written, how it was matched.",
       "グループの構成団体（公表値を団体コードに照合）。",
       ("group_id", "code", "prefecture", "name", "name_as_written", "match"), ("code",),
       ("source_document/mic_jichitai_cloud_promotion_fy2018.txt",)),
    _r("survey", "Per-municipality FY2017 IT-system cost (円) and cloud status, with provenance per value (reported / "
       "published / derived / simulated). SIMULATED unless a real file was configured: see survey_input.",
       "市区町村別の経費と導入状況（シミュレーションまたは実データ）。",
       ("code", "population_2017_01_01_persons", "it_cost_yen", "cloud_status", "it_cost_provenance",
        "cloud_status_provenance"), ("code",), (), "survey",
       cloud_status=F("str", "", _S, "joint, single, none (or not_joint where single and none are unknown).",
                      "導入状況", "cloud status", "クラウド導入状況")),
    _r("survey_input", "One row: which survey input the build used (simulated or a real file with its sha256) and the "
       "generator's parameters.", "ビルドに用いた調査データ。",
       ("input", "file", "sheet", "sha256", "cost_unit", "configured_by", "generator_version", "generator_params",
        "status_source", "rows", "costs_missing"), (), (), "survey"),
    _r("model_coefficients", "Coefficients of the standard regressions (log cost per resident, or PPML on cost, on a "
       "spline in log population and status; see models.STANDARD_SPECS): estimate, standard error, 95% interval, p "
       "(none for the simulated survey), n, covariance, survey input.", "回帰の係数。",
       ("model", "term", "term_raw", "estimate", "std_error", "ci_low", "ci_high", "p_value", "n", "covariance",
        "survey_input"), ("model", "term_raw"), ("survey", "municipalities"), "models",
       estimate=F("float64", "", _S, "Coefficient.", "係数", "estimate", "推定値", "{:.4f}"),
       std_error=F("float64", "", _S, "Standard error.", "標準誤差", "std. error", "標準誤差", "{:.4f}"),
       ci_low=F("float64", "", _S, "95% interval, lower.", "95%信頼区間 下限", "95% CI low", "95%信頼区間 下限",
                "{:.4f}", nullable=True),
       ci_high=F("float64", "", _S, "95% interval, upper.", "95%信頼区間 上限", "95% CI high", "95%信頼区間 上限",
                 "{:.4f}", nullable=True),
       n=F("int64", "municipalities", _S, "Municipalities in the model.", "モデルの団体数", "n", "n", _INT0)),
    _r("model_comparison", "One row per standard model (n = municipalities): estimator, n, parameters, R² and AIC "
       "(OLS only), joint-cloud estimate and % effect, covariance.", "モデルの比較。",
       ("model", "specification", "estimator", "n", "parameters", "r_squared", "adj_r_squared", "aic", "bic",
        "joint_estimate", "joint_std_error", "joint_effect_pct", "covariance", "survey_input"), ("model",),
       ("survey", "municipalities"), "models",
       estimator=F("str", "", _K, "ols, ppml or huber.", "推定方法", "estimator", "推定方法"),
       n=F("int64", "municipalities", _S, "Municipalities in the model.", "モデルの団体数", "n", "n", _INT0)),
    _r("model_status_effects", "% difference in cost per resident of each fitted status against the base (none, or "
       "all non-joint municipalities when single and none are unknown), at equal population, with 95% interval, per "
       "standard model.", "同じ人口での導入状況間の差（%）。",
       ("cloud_status", "against", "population_persons", "log_effect", "std_error", "effect_pct", "ci_low_pct",
        "ci_high_pct", "covariance", "model", "survey_input"), ("model", "cloud_status", "population_persons"),
       ("survey", "municipalities"), "models",
       std_error=F("float64", "", _S, "Standard error (log).", "標準誤差（対数）", "std. error", "標準誤差", "{:.4f}"),
       effect_pct=F("float64", "pct", _S, "Difference in %, 100 × (exp(log effect) − 1).", "差（%）", "difference",
                    "差", "{:+.1f}")),
    _r("model_counterfactual", "Annual saving (億円) if the counterfactual municipalities had the joint-cloud effect: "
       "per population class with its joint members and an extrapolation flag (fewer than 5), the headline total over "
       "supported classes, the total with all, and by prefecture; 95% interval (delta method). For the simulated "
       "survey only the support columns: no cost, saving or interval from simulated costs.", "区分別の年間削減額。",
       ("area", "class_id", "joint_members", "extrapolation", "includes_extrapolation", "counterfactual_status",
        "counterfactual_municipalities", "counterfactual_cost_oku_yen", "saving_oku_yen", "ci_low_oku_yen",
        "ci_high_oku_yen", "method", "covariance", "model", "survey_input"),
       ("model", "area", "class_id", "includes_extrapolation"), ("survey", "municipalities"), "models",
       class_id=F("Int64", "", _K, "Population class (empty: a total).", "人口規模区分（空欄は合計）", "class", "区分",
                  _dash, nullable=True),
       counterfactual_cost_oku_yen=_MOD("counterfactual_cost_oku_yen", nullable=True),
       saving_oku_yen=_MOD("saving_oku_yen", nullable=True)),
    _r("model_assumed_saving", "A scenario (試算), not an estimate: the annual saving (億円) if the municipalities "
       "not in a joint-cloud group had an assumed effect on their whole cost, as a band (their cost: real population "
       "× the class's cost per resident from published figures, never simulated), national and by prefecture; the "
       "classes with fewer than 5 joint members are rows of their own (thin_support), never left out.",
       "仮定した効果ごとの年間削減額（試算）。",
       ("area", "assumed_effect_pct", "thin_support", "counterfactual_municipalities",
        "counterfactual_cost_low_oku_yen", "counterfactual_cost_high_oku_yen", "saving_low_oku_yen",
        "saving_high_oku_yen"), ("area", "assumed_effect_pct", "thin_support"),
       ("published_cost_by_class", "municipalities"), "models",
       thin_support=F("bool", "", _D, "The classes with fewer than 5 joint-cloud members (200k and over in the "
                      "group list): no joint cloud of their size shows what the effect could be.",
                      "自治体クラウドの団体が5未満の区分（根拠が少ない）", "thin support", "根拠が少ない"),
       counterfactual_municipalities=_MOD("counterfactual_municipalities", provenance=_R,
                                          en="Municipalities not in a joint-cloud group (group list, start years).",
                                          ja="自治体クラウドに参加していない団体数"),
       counterfactual_cost_low_oku_yen=F("float64", "oku_yen", _D, "Their annual cost, lower: population × the "
                                         "class's lower cost per resident (published figures).",
                                         "その年間経費 下限（人口×区分の一人当たり経費）", "their cost, low", "その経費 下限",
                                         "{:,.1f}"),
       counterfactual_cost_high_oku_yen=F("float64", "oku_yen", _D, "Their annual cost, upper.", "その年間経費 上限",
                                          "their cost, high", "その経費 上限", "{:,.1f}"),
       saving_low_oku_yen=F("float64", "oku_yen", "scenario", "−assumed effect × their cost, lower (a scenario).",
                            "−仮定した効果×その経費 下限（試算）", "saving, low", "削減額 下限", "{:,.1f}"),
       saving_high_oku_yen=F("float64", "oku_yen", "scenario", "−assumed effect × their cost, upper (a scenario).",
                             "−仮定した効果×その経費 上限（試算）", "saving, high", "削減額 上限", "{:,.1f}")),
    _r("model_inference_coverage", "How well each estimator's 95% interval covers the truth on simulated surveys "
       "(the build's own small study: 100 draws at the generator's −20%, real populations, groups and prefectures; "
       "no ordering filter): coverage, its Monte Carlo standard error, bias (log points). Why a real file's default "
       "inference is clustered by prefecture. SIMULATED: a check of the method, never a finding.",
       "推定方法の95%信頼区間の被覆率（シミュレーションによる方法の検証）。",
       ("effect_pct", "estimator", "covariance", "draws", "coverage", "coverage_mc_se", "bias", "seed"),
       ("effect_pct", "estimator"), ("municipalities", "published_status_counts", "published_cost_by_class"),
       "models", covariance=F("str", "", _K, "The interval's covariance.", "信頼区間の共分散", "covariance", "共分散"),
       seed=F("int64", "", _K, "Random seed.", "乱数の種", "seed", "乱数の種")),
    _r("model_membership_sensitivity", "The joint-cloud effect (%) with joint membership as of 2017-04-01 (start "
       "years) and from the 2018-04 list, OLS and PPML.", "自治体クラウドの判定基準日による推定値の違い。",
       ("estimator", "membership_as_of", "joint_members", "joint_effect_pct", "survey_input"),
       ("estimator", "membership_as_of"), ("survey", "municipalities"), "models",
       estimator=F("str", "", _K, "ols or ppml.", "推定方法", "estimator", "推定方法")),
    _r("model_fitted_curves", "Fitted cost per resident (円) over a population grid: the main OLS model (geometric "
       "mean) and PPML (mean) per status (survey input as labelled), and the class-level model (published only).",
       "推定した曲線。",
       ("model", "cloud_status", "population_persons", "fitted_cost_per_resident_yen", "survey_input"),
       ("model", "cloud_status", "population_persons"), ("survey", "published_cost_by_class"), "models",
       population_persons=F("int64", "persons", _K, "Population.", "人口", "population", "人口", _INT0)),
    _r("model_class_level_moments", "The class-level model (published figures only, minimum distance over the real "
       "populations): each class's published mean per resident (円) and total (億円) beside the fitted ones, gap in "
       "rounding half-widths.", "区分別モデル：公表値と曲線による値。",
       ("class_id", "population_class_ja", "moment", "published", "fitted", "gap_half_widths"),
       ("class_id", "moment"), ("published_cost_by_class", "municipalities"), "models"),
    _r("model_class_level_fit", "The class-level model's fit: moments, parameters, the distance J, the largest gap, "
       "moments within rounding (does the curve reproduce the published figures within their rounding? J is a distance, "
       "not a test).",
       "区分別モデルの適合度。",
       ("moments", "parameters", "degrees_of_freedom", "j_statistic", "largest_gap_half_widths", "within_rounding",
        "converged", "curve"), (), ("published_cost_by_class", "municipalities"), "models",
       parameters=_MOD("parameters", provenance=_D)),
    _r("planned_joins", "Planned joins FY2018-FY2023 (2018-04 slide), one row per municipality: code, group joined, "
       "target fiscal year, how it is counted. Published list, matched and counted here (derived).",
       "加入予定の団体（公表値を照合、導出値）。",
       ("entry", "code", "prefecture", "name", "name_as_written", "match", "group_as_written", "new_group",
        "joins_group_id", "operating_members_stated", "target_year_as_written", "target_fy", "counted_as",
        "already_member_2018_04", "named_in_year_line_as", "note"), ("code",), (_TR + "planned_joins.csv",)),
    _r("planned_joins_by_year", "The slide's table of planned joins by year: new groups, joins of existing groups, "
       "totals. Published.", "年度別の加入予定（公表値）。",
       ("target_year_as_written", "kind", "groups", "municipalities", "section", "target_fy"),
       ("target_year_as_written", "kind"), (_TR + "planned_joins_by_year.csv",), "published",
       kind=F("str", "", _K, "new_group, existing_group, total or operating.", "新グループ・既存グループ・計・稼働済",
              "kind", "区分"),
       groups=F("Int64", "groups", _P, "Groups (where stated).", "グループ数（記載がある場合）", "groups", "グループ数",
                _dash, nullable=True),
       municipalities=_MOD("municipalities", provenance=_P)),
    _r("adoption_tracker", "Projected joint-cloud and cloud municipalities at the end of FY2018-FY2023 from the 2018-04 "
       "state plus planned joins (derived; the cloud total is a range), against the 2023 targets.",
       "クラウド導入の見込みと目標（導出値）。",
       ("fiscal_year", "as_of_date", "planned_joins_in_year", "joint_cloud_projected", "cloud_projected_low",
        "cloud_projected_high", "joint_cloud_target", "cloud_target"), ("fiscal_year",),
       ("planned_joins", "published_adoption"), "derived",
       as_of_date=F("datetime64[us]", "", _K, "The fiscal year's last day.", "年度末", "as of", "時点")),
    _r("case_studies", "The seven case studies: participants, systems, start dates and the number of members stated, "
       "as written. Published.", "導入事例（公表値）。",
       ("case", "title_as_written", "target_work_as_written", "start_as_written", "members_stated",
        "members_stated_as_written", "section"), ("case",), (_TR + "case_studies.csv",), "published",
       members_stated=F("Int64", "municipalities", _P, "Members the case study states (empty where it gives no number).",
                        "事例が記載する団体数（記載がなければ空欄）", "members (stated)", "団体数（記載）", _dash, nullable=True),
       members_stated_as_written=F("str", "", _P, "That number as written (3市, 18団体, ...).", "団体数（資料の表記）",
                                   "members (as written)", "団体数（資料）")),
    _r("case_study_members", "Their members with stated populations (千人) matched to codes, with 2015 census and "
       "2017-01-01 populations and the 2018-04 group. Published + real.", "導入事例の構成団体（公表値・実データ）。",
       ("case", "code", "prefecture", "name", "name_as_written", "match", "population_thousand_persons",
        "population_as_written", "population_census_2015_persons", "population_2017_01_01_persons",
        "group_id_2018_04", "section"), ("case", "code"), (_TR + "case_study_members.csv",), "published",
       population_thousand_persons=F("float64", "thousand_persons", _P, "Population as the case study states.",
                                     "事例に記載の人口", "population (stated)", "人口（事例）", "{:,.1f}")),
    _r("case_study_savings", "Stated savings of the case studies (%), with the sentence as written and the basis read "
       "from the wording (cost basis, years, projected). Published + derived.", "導入事例の削減効果（公表値・導出値）。",
       ("case", "what_as_written", "statement_as_written", "reduction_pct", "approximate", "section", "cost_basis",
        "period_years", "projected"), ("case", "what_as_written"), (_TR + "case_study_savings.csv",), "published"),
    _r("savings_56_groups", "Savings distribution of the 56 groups surveyed in January 2016 (groups, %). Published.",
       "56グループの費用削減効果（公表値）。",
       ("category_as_written", "groups", "share_pct", "as_of_as_written", "section", "as_of_month"),
       ("category_as_written",), (_TR + "savings_56_groups.csv",), "published", share_pct=_SHARE_INT),
    _r("vendor_shares", "Development vendors of the groups (groups, %). Published.", "開発ベンダ別のグループ数（公表値）。",
       ("vendor_as_written", "groups", "share_pct", "section"), ("vendor_as_written",), (_TR + "vendor_shares.csv",),
       "published", share_pct=_SHARE_INT),
    _r("group_size_shares", "Group sizes of the 56 groups (groups, %). Published.", "団体数別のグループ数（公表値）。",
       ("size_as_written", "groups", "share_pct", "section"), ("size_as_written",), (_TR + "group_size_shares.csv",),
       "published", share_pct=_SHARE_INT),
    _r("top_runner", "トップランナー方式 standard costs of 基準財政需要額 (千円), before / FY2018 / final. Published.",
       "トップランナー方式の基準財政需要額（公表値）。",
       ("introduced_as_written", "business_as_written", "item_as_written", "subitem_as_written", "before_as_written",
        "fy2018_as_written", "final_as_written", "before_thousand_yen", "fy2018_thousand_yen", "final_thousand_yen",
        "unit", "review_years_as_written", "reform_as_written", "section", "reduction_to_final_pct"), (),
       (_TR + "top_runner.csv",), "published"),
    _r("reconciliation", "One row per check: a stated figure, the figure computed independently, the difference, ok / "
       "mismatch, and for a known mismatch a one-sentence explanation.", "照合（資料の値と計算値）。",
       ("check_id", "topic", "description", "description_ja", "stated", "computed", "difference", "unit", "rule",
        "status", "stated_source", "computed_from", "explanation", "explanation_ja"), ("check_id",), (), "checks"),
    _r("boundaries", "Municipal boundaries of the 1,741 municipalities as of 2017-01-01 (designated cities as one "
       "unit), keyed by the 6-digit code: geometry in EPSG:4326 and the same projected for drawing (Lambert conformal "
       "conic), both simplified once at build time (coverage-preserving, 0.002°). CODH 歴史的行政区域データセットβ版 "
       "from 国土交通省「国土数値情報（行政区域データ）」, CC BY-SA 4.0. Real. GeoParquet only.",
       "市区町村の境界（平成29年1月1日、実データ、CC BY-SA 4.0）。",
       ("code", "prefecture", "name", "geometry", "drawing"), ("code",),
       ("data/raw/boundaries/jp_city_dc_2017-01-01.c.topojson",), "real",
       geometry=F("geometry", "", _R, "Boundary (EPSG:4326, simplified once).", "境界（EPSG:4326、簡略化済み）",
                  "boundary", "境界"),
       drawing=F("geometry", "", _R, "Boundary projected for drawing (Lambert conformal conic, metres).",
                 "描画用に投影した境界（ランベルト正角円錐図法、m）", "boundary (drawing)", "境界（描画用）")),
    _r("boundaries_prefectures", "The 47 prefectures as the union of their municipalities' projected boundaries: the "
       "base layer every map draws. Real (derived by union). GeoParquet only.", "都道府県の境界（描画用）。",
       ("prefecture", "drawing"), ("prefecture",), ("boundaries",), "real",
       drawing=F("geometry", "", _R, "Prefecture outline, projected for drawing.", "都道府県の輪郭（描画用）",
                 "outline", "輪郭")),
    _r("codebook", "One row per processed table × column: dtype, unit, descriptions in Japanese and English, "
       "provenance and the table's sources. Generated from this registry.", "コードブック（表×列ごとの型・単位・説明・出所）。",
       ("table", "column", "dtype", "unit", "description_ja", "description_en", "provenance", "sources"),
       ("table", "column"), ("lib/jichitai_cloud/metadata.py",), "docs",
       table=F("str", "", _K, "Processed table.", "表", "table", "表"),
       column=F("str", "", _K, "Column.", "列", "column", "列"),
       dtype=F("str", "", _K, "pandas dtype.", "pandasの型", "dtype", "型"),
       unit=F("str", "", _K, "Unit (empty: none).", "単位（空欄はなし）", "unit", "単位"),
       description_ja=F("str", "", _K, "Description in Japanese.", "説明", "description (Japanese)", "説明"),
       description_en=F("str", "", _K, "Description in English.", "説明（英語）", "description", "説明（英語）"),
       provenance=F("str", "", _K, "公表値 / 導出値 / 実データ / 試算 (scenario) / シミュレーション, or a key; 'survey': "
                    "simulated by default, real with a reported file.", "公表値・導出値・実データ・試算・シミュレーション、または区分",
                    "provenance", "出所の種類"),
       sources=F("str", "", _K, "The table's sources (files or tables), joined with ' ; '.", "表の出所",
                 "sources", "出所")),
)})

# Columns of the tables reports compose for reading (not stored): headers and formats, one place.
DISPLAY: dict[str, Field] = {
    "item_label": F("str", "", _K, "", "", "item", "項目"),
    "as_of": F("str", "", _K, "", "", "as of", "時点"),
    "kind_label": F("str", "", _K, "", "", "kind", "区分"),
    "cloud_municipalities": F("int64", "municipalities", _P, "", "", "cloud municipalities", "クラウド導入団体数", _INT0),
    "joint_cloud_municipalities": F("int64", "municipalities", _P, "", "", "of which joint cloud", "うち自治体クラウド",
                                    _INT0),
    "single_cloud_municipalities": F("str", "municipalities", _P, "", "", "of which single cloud", "うち単独クラウド"),
    "joint_cloud_groups": F("int64", "groups", _P, "", "", "joint-cloud groups", "自治体クラウドのグループ数", _INT0),
    "joint": F("int64", "municipalities", _P, "", "", "joint cloud", "自治体クラウド", _INT0),
    "single": F("int64", "municipalities", _P, "", "", "single cloud", "単独クラウド", _INT0),
    "none": F("int64", "municipalities", _P, "", "", "no cloud", "クラウド未導入", _INT0),
    "total": F("int64", "municipalities", _P, "", "", "total", "計", _INT0),
    "it_cost_per_resident_aggregate_yen": F("float64", "yen", _D, "", "", "class total ÷ population",
                                            "区分総経費÷区分人口", _INT0),
    "share_of_municipalities_pct": F("float64", "pct", _D, "", "", "share of municipalities", "団体数の割合", _PCT1),
    "share_of_it_cost_pct": F("float64", "pct", _D, "", "", "share of cost", "総経費の割合", _PCT1),
    "checks": F("int64", "", _K, "", "", "checks", "件数", _INT0),
    "ok": F("int64", "", _K, "", "", "ok", "一致", _INT0),
    "mismatch": F("int64", "", _K, "", "", "mismatch", "不一致", _INT0),
    "unexplained": F("int64", "", _K, "", "", "of which unexplained", "うち理由未記載", _INT0),
    "source": F("str", "", _K, "", "", "source", "出所"),
    "population_basis_persons": F("int64", "persons", _R, "", "", "population", "人口", _INT0),
    "joint_cloud_group": F("str", "", _P, "", "", "joint-cloud group", "自治体クラウドグループ"),
    "cost_per_resident_yen": F("float64", "yen", _S, "", "", "cost per resident", "住民一人当たり経費", _INT0),
    "comparables": F("int64", "municipalities", _S, "", "", "comparables", "比較対象の団体数", _INT0),
    "comparables_median_yen": F("float64", "yen", _S, "", "", "comparables' median", "比較対象の中央値", _INT0),
    "ratio_to_comparables": F("float64", "ratio", _S, "", "", "ratio", "比", "{:.2f}"),
    "residual": F("float64", "", _S, "", "", "residual (log)", "残差（対数）", "{:+.3f}"),
    "cooks_distance": F("float64", "", _S, "", "", "Cook's distance", "Cookの距離", "{:.4f}"),
    "joint_cloud_in_list": F("int64", "municipalities", _D, "", "", "joint cloud (group list)", "一覧の自治体クラウド団体数",
                             _INT0),
    "joint_cloud_published": F("Int64", "municipalities", _P, "", "", "joint cloud (survey)", "調査の自治体クラウド団体数",
                               _dash),
    "population_2017_01_01_persons": FIELDS["population_2017_01_01_persons"],
    "value": F("str", "", _K, "", "", "value", "値"),
    "specification": FIELDS["specification"],
    # generic columns of composed tables (a registered table gives its own meaning)
    "estimate": F("float64", "", _S, "", "", "estimate", "推定値", "{:.4f}"),
    "std_error": F("float64", "", _S, "", "", "std. error", "標準誤差", "{:.4f}"),
    "ci_low": F("float64", "", _S, "", "", "95% CI low", "95%信頼区間 下限", "{:.4f}"),
    "ci_high": F("float64", "", _S, "", "", "95% CI high", "95%信頼区間 上限", "{:.4f}"),
    "n": F("int64", "municipalities", _S, "", "", "n", "n", _INT0),
    "effect_pct": F("float64", "pct", _S, "", "", "difference", "差", "{:+.1f}"),
    "population_persons": F("Int64", "persons", _K, "", "", "population", "人口", _int_or_dash),
    "prefectures": F("str", "", _P, "", "", "prefectures", "都道府県"),
    "description": F("str", "", _K, "", "", "check", "照合内容"),
    "description_ja": F("str", "", _K, "", "", "check", "照合内容"),
    "explanation": F("str", "", _D, "", "", "explanation", "理由"),
    "explanation_ja": F("str", "", _D, "", "", "explanation", "理由"),
    "difference": F("float64", "", _D, "", "", "difference (computed − stated)", "差（計算値−資料の値）", number),
    "none_municipalities": F("int64", "municipalities", _S, "", "", "no-cloud municipalities", "未導入団体数", _INT0),
    "none_cost_oku_yen": F("float64", "oku_yen", _S, "", "", "their cost", "未導入団体の経費", "{:,.1f}"),
    "survey_status": F("str", "", _K, "", "", "survey status (source)", "調査上の導入状況（出所）"),
}


def fields(table: str) -> dict[str, Field]:
    r = RESOURCES[table]
    return {c: r.field(c) for c in r.fields}


def field_for(column: str, table: str | None = None) -> Field | None:
    """A column's field: the table's own (if registered), else the display columns', else the global one."""
    if table and column in RESOURCES[table].fields:
        return RESOURCES[table].field(column)
    return DISPLAY.get(column) or FIELDS.get(column)


# Count units the header already names ("joint cloud", "members"): no "(municipalities)" after them.
_UNIT_NOT_SHOWN = {"", "ratio", "index", "probability", "municipalities", "groups", "rows", "geometries"}


def kind_of(field: Field, survey_input: str | None = "simulated") -> str:
    """A field's kind of figure for readers: its provenance, with 'survey' resolved to the survey used
    (simulated, or real for a reported file)."""
    if field.provenance == "survey":
        return "simulated" if survey_input in (None, "simulated") else "real"
    return field.provenance


def kinds_of(table: str, columns, inferred: bool = False, survey_input: str | None = "simulated") -> str:
    """The kinds of figure of a registered table's columns, '+'-joined in vocab order (keys skipped;
    ``inferred`` adds 推定 for rows resting on the inferred chart label): what a title or tag must say."""
    from jichitai_cloud.registry import vocab

    found = {kind_of(RESOURCES[table].field(c), survey_input) for c in columns} - {"key"}
    if inferred:
        found.add("inferred")
    unknown = found - set(vocab.KIND)
    if unknown:
        raise ValueError(f"{table}: columns of no kind of figure: {sorted(unknown)}")
    return "+".join(k for k in vocab.KIND if k in found)


def kind_tag(table: str, columns, lang: str = "ja", inferred: bool = False,
             survey_input: str | None = "simulated") -> str:
    """'［導出値・試算］' / ' [derived, scenario]' for a registered table's columns (see :func:`kinds_of`), to
    append to a title or caption (English with the space it needs)."""
    from jichitai_cloud.registry import vocab

    return ("" if lang == "ja" else " ") + vocab.kind_tag(kinds_of(table, columns, inferred, survey_input), lang)


def header(column: str, lang: str = "ja", table: str | None = None, provenance: bool = True,
           survey_input: str | None = "simulated") -> str:
    """A column's header for readers: name, unit and, by default, its kind of figure (［公表値］ …).

    A unit goes inside a closing parenthesis the header already has: 人口（平成29年1月1日、人）.
    ``survey_input``: for columns computed from the survey, the survey used (simulated or reported).
    """
    f = field_for(column, table)
    ja = lang == "ja"
    text = f.header_ja if ja else f.header_en
    unit = UNITS[f.unit][0 if ja else 1]
    if unit and f.unit not in _UNIT_NOT_SHOWN:
        close = "）" if ja else ")"
        if text.endswith(close):
            text = text[:-1] + ("、" if ja else ", ") + unit + close
        else:
            text += f"（{unit}）" if ja else f" ({unit})"
    if provenance and f.provenance != "key":
        tag = PROVENANCE[kind_of(f, survey_input)][0 if ja else 1]
        text += f"［{tag}］" if ja else f" [{tag}]"
    return text


def codebook():
    """The codebook: one row per processed table × column (table, column, dtype, unit, description_ja,
    description_en, provenance, sources), in the catalogue's order. Provenance 'survey' reads
    'survey (simulated by default; real with a reported file)'."""
    import pandas as pd

    from jichitai_cloud.registry.catalog import TABLES

    rows = []
    for name in TABLES:
        r = RESOURCES[name]
        for column in r.fields:
            f = r.field(column)
            kind = ("survey (simulated by default; real with a reported file)" if f.provenance == "survey"
                    else PROVENANCE[f.provenance][1] + ("" if f.provenance == "key" else f" ({PROVENANCE[f.provenance][0]})"))
            rows.append({"table": name, "column": column, "dtype": f.dtype, "unit": UNITS[f.unit][1],
                         "description_ja": f.ja, "description_en": f.en, "provenance": kind,
                         "sources": " ; ".join(r.sources)})
    return pd.DataFrame(rows)


def codebook_markdown(book=None) -> str:
    """The codebook (default: :func:`codebook`) as Markdown, as data/processed/codebook.md: per table its
    description, key and sources, then one row per column."""
    from jichitai_cloud.registry.catalog import TABLES

    book = codebook() if book is None else book
    out = ["# Codebook of data/processed", "",
           "Generated by the build from `lib/jichitai_cloud/metadata.py` (also `jichitai-cloud codebook --markdown`); "
           "the same rows are in `data/processed/codebook.csv` (UTF-8 with BOM). Provenance: published (公表値), derived (導出値), "
           "real (実データ), simulated (シミュレーション); 'survey' columns are simulated unless a real survey file "
           "was used.", ""]
    for name in [t for t in TABLES if t in set(book["table"])]:
        r = RESOURCES[name]
        out += [f"## {name}", "", f"{r.en}  ", f"{r.ja}", "",
                f"Key: {', '.join(r.key) or '—'}. Sources: {'; '.join(r.sources) or '—'}.", "",
                "| column | dtype | unit | provenance | description | 説明 |", "|---|---|---|---|---|---|"]
        for row in book[book["table"] == name].itertuples():
            cells = [row.column, row.dtype, row.unit, row.provenance, row.description_en, row.description_ja]
            out.append("| " + " | ".join(str(c).replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
        out.append("")
    return "\n".join(out)


class LazySchema:
    """A pandera schema built on first use: modules declare their extra value checks without importing
    pandera (0.2 s) at import time, which the report kernel and the command line never need."""

    def __init__(self, build):
        self._build = build
        self._schema = None

    def __getattr__(self, attr):
        if attr.startswith("_"):
            raise AttributeError(attr)
        if self._schema is None:
            import pandera.pandas as pa

            self._schema = self._build(pa)
        return getattr(self._schema, attr)


def schema(table: str):
    """The pandera schema of a registered table: columns, dtypes, nullability, key uniqueness."""
    import pandera.pandas as pa

    r = RESOURCES[table]
    columns = {c: pa.Column(_PANDERA_DTYPE.get(r.field(c).dtype, r.field(c).dtype), nullable=r.field(c).nullable)
               for c in r.fields}
    return pa.DataFrameSchema(columns, strict=True, ordered=True, unique=list(r.key) or None,
                              report_duplicates="exclude_first")


_PANDERA_DTYPE = {"str": str, "bool": bool, "float64": float, "geometry": None}


def conform(table: str, df):
    """The table's columns in the registry's order, validated against its schema."""
    return schema(table).validate(df[list(RESOURCES[table].fields)].reset_index(drop=True))
