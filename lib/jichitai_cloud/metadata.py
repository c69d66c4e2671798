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

PROVENANCE = {
    "published": ("公表値", "published"),
    "derived": ("導出値", "derived"),
    "real": ("実データ", "real"),
    "simulated": ("シミュレーション", "simulated"),
    "survey": ("調査データ", "survey data"),
    "key": ("区分", "key"),
}
UNITS = {  # unit code -> (Japanese, English) as shown after a header
    "": ("", ""), "yen": ("円", "yen"), "oku_yen": ("億円", "100M yen"), "pct": ("%", "%"),
    "pct_points": ("ポイント", "points"), "persons": ("人", "persons"), "municipalities": ("団体", "municipalities"),
    "groups": ("グループ", "groups"), "ratio": ("比", "ratio"), "log_odds": ("対数オッズ", "log odds"),
    "probability": ("確率", "probability"), "persons_per_km2": ("人/km²", "persons/km²"), "ha": ("ha", "ha"),
    "years": ("年", "years"), "index": ("指数", "index"),
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
    "assumption": F("str", "", "derived", "The assumption behind the bounds.", "範囲の前提（英語）", "assumption",
                    "前提"),
    "assumption_ja": F("str", "", "derived", "The assumption, in Japanese.", "範囲の前提", "assumption (Japanese)",
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
                               "predicted probability", "予測参加確率", "{:.2f}", nullable=True),
    # projections
    "new_members": F("float64", "municipalities", "derived", "New members (expected counts may be fractional).",
                     "新たな参加団体（期待値は小数になりうる）", "new members", "新たな参加団体", "{:,.1f}"),
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
    "their_cost_low_oku_yen": F("float64", "oku_yen", "derived", "New members × class cost per municipality "
                                "(published total − 0.5億円) ÷ count.", "新たな参加団体×区分の一団体当たり経費（下限）",
                                "their cost, low", "その経費 下限", "{:,.1f}"),
    "their_cost_high_oku_yen": F("float64", "oku_yen", "derived", "As above with the total + 0.5億円.",
                                 "同 上限", "their cost, high", "その経費 上限", "{:,.1f}"),
    "saving_low_oku_yen": F("float64", "oku_yen", "derived", "Annual saving, lower bound.", "年間削減額 下限",
                            "annual saving, low", "年間削減額 下限", "{:,.1f}"),
    "saving_high_oku_yen": F("float64", "oku_yen", "derived", "Annual saving, upper bound.", "年間削減額 上限",
                             "annual saving, high", "年間削減額 上限", "{:,.1f}"),
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
             "Each municipality's real covariates, its membership (2018-04) and the membership probability the pooled "
             "logit predicts. Real data (prediction derived).",
             "市区町村別の説明変数（実データ）、参加の有無と予測参加確率。",
             ("code", "prefecture", "name", "kind", "population_2017_01_01_persons", "fiscal_strength_index_fy2016",
              "ageing_pct", "density_per_km2", "member_2018_04_01", "predicted_probability"), ("code",),
             ("municipalities",)),
    Resource("evidence_new_members",
             "New joint-cloud members by population class in two scenarios (planned joins; the 2023 target met). "
             "Derived.", "想定別・人口規模区分別の新たな参加団体数（導出値）。",
             ("scenario", "class_id", "new_members", "planned_joiners", "expected_others"), ("scenario", "class_id"),
             ("planned_joins", "published_adoption", "evidence_membership_predictions")),
    Resource("evidence_saving_rates",
             "Saving-rate intervals (%) per class and basis: the identified class gap, or the reported savings. "
             "Derived.", "区分別・根拠別の削減率の範囲（導出値）。",
             ("basis", "class_id", "rate_low_pct", "rate_high_pct"), ("basis", "class_id"),
             ("evidence_gaps", "evidence_savings")),
    Resource("evidence_projections",
             "Annual saving bands (億円) of new members: per scenario, basis and class (empty class: the sum). "
             "Derived; bands, never points.", "新たな参加団体による年間削減額の範囲（億円、導出値）。",
             ("scenario", "basis", "class_id", "rate_low_pct", "rate_high_pct", "new_members",
              "their_cost_low_oku_yen", "their_cost_high_oku_yen", "saving_low_oku_yen", "saving_high_oku_yen"),
             ("scenario", "basis", "class_id"), ("evidence_new_members", "evidence_saving_rates",
                                                 "published_cost_by_class"),
             overrides={"class_id": F("Int64", "", "key", "Population class; empty for the sum over classes.",
                                      "人口規模区分（空欄は合計）", "class", "区分", nullable=True)}),
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
    "truth": F("float64", "", _SIM, "log(1 + effect).", "log(1＋効果)", "truth", "真の値", "{:.3f}"),
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
             "standard error and 95% interval per estimator and assumed effect, whether it covers the truth "
             "log(1 + effect), whether the draw satisfies the published orderings. SIMULATED: a check of the method.",
             "模擬データごとの推定値（シミュレーション、方法の検証）。",
             ("effect", "draw", "estimator", "estimate", "std_error", "ci_low", "ci_high", "truth", "covered",
              "orderings_ok", "small_class_ratio", "near_inferred_label"), ("effect", "draw", "estimator"),
             ("municipalities", "published_status_counts", "published_cost_by_class", "evidence_gaps"), "simulation",
             overrides={c: replace(FIELDS[c], provenance=_SIM, unit="") for c in ("estimate", "std_error", "ci_low",
                                                                                  "ci_high")}),
    Resource("simulation_summary",
             "Written by `jichitai-cloud simulate`: per assumed effect and estimator, mean estimate, bias, RMSE and "
             "coverage, over all draws, the draws satisfying the published orderings (their share: an approximate "
             "likelihood of the effect), those near the inferred chart-label ratio, and both. SIMULATED.",
             "推定方法の偏り・RMSE・被覆率（シミュレーション）。",
             ("effect_pct", "estimator", "draws", "subset", "share_of_draws", "mean_estimate_pct", "bias", "rmse",
              "coverage", "coverage_mc_se"), ("effect_pct", "estimator", "subset"), ("simulation_draws",),
             "simulation"),
    Resource("simulation_parameters",
             "Written by `jichitai-cloud simulate`: draws, effects, seed, workers, generator parameters, the inferred "
             "label's ratio and tolerance, seconds.", "シミュレーションの設定。",
             ("draws_per_effect", "effects", "seed", "workers", "generator_params", "label_ratio", "label_tolerance",
              "seconds", "computed_on_build"), (), ("simulation_draws",), "simulation",
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


def fields(table: str) -> dict[str, Field]:
    r = RESOURCES[table]
    return {c: r.field(c) for c in r.fields}


def header(column: str, lang: str = "ja", table: str | None = None, provenance: bool = True) -> str:
    """A column's header for readers: name, unit and, by default, its provenance (公表値 …)."""
    f = RESOURCES[table].field(column) if table else FIELDS[column]
    ja = lang == "ja"
    text = f.header_ja if ja else f.header_en
    unit = UNITS[f.unit][0 if ja else 1]
    if unit and f.unit not in ("ratio", "index", "probability"):
        text += f"（{unit}）" if ja else f" ({unit})"
    if provenance and f.provenance != "key":
        tag = PROVENANCE[f.provenance][0 if ja else 1]
        text += f"［{tag}］" if ja else f" [{tag}]"
    return text


def schema(table: str):
    """The pandera schema of a registered table: columns, dtypes, nullability, key uniqueness."""
    import pandera.pandas as pa

    r = RESOURCES[table]
    columns = {c: pa.Column(_PANDERA_DTYPE.get(r.field(c).dtype, r.field(c).dtype), nullable=r.field(c).nullable)
               for c in r.fields}
    return pa.DataFrameSchema(columns, strict=True, ordered=True, unique=list(r.key) or None,
                              report_duplicates="exclude_first")


_PANDERA_DTYPE = {"str": str, "bool": bool, "float64": float}


def conform(table: str, df):
    """The table's columns in the registry's order, validated against its schema."""
    return schema(table).validate(df[list(RESOURCES[table].fields)].reset_index(drop=True))
