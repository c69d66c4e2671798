"""Every processed table, declared once and in the order of the data flow: its columns (each a field of
:mod:`fields_data` or :mod:`fields_analysis`, or a meaning of its own), primary key, sources and stage.

The catalogue (:mod:`catalog`), the pandera schemas, headers and codebook (:mod:`schema`) derive from
here. Tables are grouped by stage (:data:`field.STAGES`); within a stage, in the order they are built.
"""

from __future__ import annotations

from dataclasses import replace

from jichitai_cloud.registry import fields_analysis, fields_data, vocab
from jichitai_cloud.registry.field import Field as F
from jichitai_cloud.registry.field import Resource, TableCheck, gt, increasing, isin, unique_together
from jichitai_cloud.registry.fields_analysis import implied_cell
from jichitai_cloud.registry.formats import INT, INT0, PCT1, dash


def _merged(*parts: dict) -> dict:
    out: dict = {}
    for part in parts:
        twice = sorted(set(out) & set(part))
        if twice:
            raise ValueError(f"columns declared twice: {twice}")
        out.update(part)
    return out


FIELDS: dict[str, F] = _merged(fields_data.FIELDS, fields_analysis.FIELDS)

_P, _D, _R, _K, _S, _SIM = "published", "derived", "real", "key", "survey", "simulated"
_TR = "data/raw/transcribed/"
_SHARE_INT = F("int64", "pct", _P, "Share as published (%).", "公表の割合（%）", "share", "割合", "{:d}")


def _MOD(column: str, **changes) -> F:  # noqa: N802  (reads as a declaration)
    """A declared column with a table's own meaning: the field, with ``changes``."""
    return replace(FIELDS[column], **changes)


def _r(name: str, en: str, ja: str, fields, key, sources=(), /, row_checks=(), **overrides) -> Resource:
    """A table: its columns (FIELDS, or ``overrides`` where the table gives a column its own meaning)."""
    unknown = sorted(set(overrides) - set(fields))
    if unknown:
        raise ValueError(f"{name}: overrides for columns it does not have: {unknown}")
    return Resource(name, en, ja, {c: overrides.get(c) or FIELDS[c] for c in fields}, tuple(key), tuple(sources),
                    checks=tuple(row_checks))


def _stage(stage: str, *tables: Resource) -> tuple[Resource, ...]:
    return tuple(replace(t, stage=stage) for t in tables)


# --- clean: the published figures and real data, cleaned ------------------------------------------

CLEAN = _stage(
    "clean",
    _r("published_survey_totals", "National figures of the 2018 survey (FY2017 当初予算): published. value in unit; "
       "value_as_written as in the source document.", "調査の全国値（公表値）。",
       ("item", "value", "unit", "value_as_written", "section"), ("item",), (_TR + "survey_totals.csv",),
       unit=_MOD("unit", checks=(isin(("municipalities", "oku_yen", "yen", "persons", "pct")),)),
       value_as_written=_MOD("value_as_written", provenance=_P, header_en="published (as written)",
                             header_ja="公表値（資料の表記）")),
    _r("published_cost_by_class", "Survey table by population class: total cost (億円), mean cost per resident (円), "
       "cost per municipality (億円), count, population (千人). Published.", "人口規模区分別の経費（公表値）。",
       ("class_id", "population_class_ja", "population_class_en", "lower_bound_persons", "upper_bound_persons",
        "it_cost_total_oku_yen", "it_cost_per_resident_mean_yen", "it_cost_per_municipality_oku_yen",
        "municipalities", "population_thousand_persons", "section"), ("class_id",),
       (_TR + "survey_cost_by_class.csv",), row_checks=(increasing("class_id"),),
       municipalities=_MOD("municipalities", provenance=_P, en="Municipalities in the class.", checks=(gt(0),))),
    _r("published_status_counts", "Municipalities per population class and cloud status (joint / single / none). "
       "Published.", "人口規模区分別・導入状況別の団体数（公表値）。",
       ("class_id", "population_class_ja", "cloud_status", "cloud_status_ja", "municipalities", "section"),
       ("class_id", "cloud_status"), (_TR + "survey_status_counts.csv",),
       cloud_status=_MOD("cloud_status", checks=(isin(vocab.STATUSES),)),
       municipalities=_MOD("municipalities", provenance=_P)),
    _r("published_survey_outliers", "Cost per resident (円) of the three least-populous municipalities and the 2万人未満 "
       "単独クラウド mean without them. Published.", "人口数下位3団体の住民一人当たり経費と、除いた平均（公表値）。",
       ("item", "class_id", "cloud_status", "value_yen", "section"), ("item",), (_TR + "survey_outliers.csv",),
       value_yen=F("int64", "yen", _P, "The published figure (円).", "公表値（円）", "value", "値", INT, checks=(gt(0),))),
    _r("published_survey_orderings", "The orderings the survey's text states between the status cells of each class "
       "(joint lowest per resident and per municipality; single above none in three classes), one row per class and "
       "pair, with the statement as written. Published.", "資料が述べる導入状況間の大小関係（公表値）。",
       ("ordering_id", "measure", "class_id", "lower_status", "higher_status", "statement_as_written", "section"),
       ("ordering_id", "class_id", "lower_status", "higher_status"), (_TR + "survey_orderings.csv",),
       measure=_MOD("measure", checks=(isin(("per_resident", "per_municipality")),))),
    _r("published_chart_labels", "The four numbers (円) the extracted text carries from the per-resident chart without "
       "saying which bar they label (9,820; 3,217; 3,266; 3,561). Published figures, unassigned.",
       "一人当たり経費のグラフに残る4つの数値（どの棒かは不明、公表値）。",
       ("value_as_written", "value_yen", "line_as_written", "section"), ("value_as_written",),
       (_TR + "survey_chart_labels.csv",)),
    _r("published_adoption", "Cloud adoption counts 2014-04..2018-04 and the 2018/2024 targets, one row per figure "
       "and slide. Published.", "クラウド導入団体数の推移と目標（公表値）。",
       ("as_of_date", "as_written", "kind", "measure", "value", "unit", "approximate", "section", "note"),
       ("as_of_date", "kind", "measure", "section"), (_TR + "cloud_adoption.csv",),
       kind=F("str", "", _K, "actual or target.", "実績・目標", "kind", "区分", checks=(isin(("actual", "target")),)),
       measure=_MOD("measure", checks=(isin(vocab.ADOPTION_MEASURE),)),
       value=F("int64", "", _P, "The count (municipalities or groups).", "団体数またはグループ数", "value", "値", INT0,
               checks=(gt(0),)),
       unit=_MOD("unit", checks=(isin(("municipalities", "groups")),))),
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
        "source_document/mic_jichitai_cloud_promotion_fy2018.txt"), row_checks=(unique_together("prefecture", "name"),),
       population_class_ja=_MOD("population_class_ja", provenance=_D)),
    _r("boundaries", "Municipal boundaries of the 1,741 municipalities as of 2017-01-01 (designated cities as one "
       "unit), keyed by the 6-digit code: geometry in EPSG:4326 and the same projected for drawing (Lambert conformal "
       "conic), both simplified once at build time (coverage-preserving, 0.002°). CODH 歴史的行政区域データセットβ版 "
       "from 国土交通省「国土数値情報（行政区域データ）」, CC BY-SA 4.0. Real. GeoParquet only.",
       "市区町村の境界（平成29年1月1日、実データ、CC BY-SA 4.0）。",
       ("code", "prefecture", "name", "geometry", "drawing"), ("code",),
       ("data/raw/boundaries/jp_city_dc_2017-01-01.c.topojson",),
       geometry=F("geometry", "", _R, "Boundary (EPSG:4326, simplified once).", "境界（EPSG:4326、簡略化済み）",
                  "boundary", "境界"),
       drawing=F("geometry", "", _R, "Boundary projected for drawing (Lambert conformal conic, metres).",
                 "描画用に投影した境界（ランベルト正角円錐図法、m）", "boundary (drawing)", "境界（描画用）")),
    _r("boundaries_prefectures", "The 47 prefectures as the union of their municipalities' projected boundaries: the "
       "base layer every map draws. Real (derived by union). GeoParquet only.", "都道府県の境界（描画用）。",
       ("prefecture", "drawing"), ("prefecture",), ("boundaries",),
       drawing=F("geometry", "", _R, "Prefecture outline, projected for drawing.", "都道府県の輪郭（描画用）",
                 "outline", "輪郭")),
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
    _r("planned_joins", "Planned joins FY2018-FY2023 (2018-04 slide), one row per municipality: code, group joined, "
       "target fiscal year, how it is counted. Published list, matched and counted here (derived).",
       "加入予定の団体（公表値を照合、導出値）。",
       ("entry", "code", "prefecture", "name", "name_as_written", "match", "group_as_written", "new_group",
        "joins_group_id", "operating_members_stated", "target_year_as_written", "target_fy", "counted_as",
        "already_member_2018_04", "named_in_year_line_as", "note"), ("code",), (_TR + "planned_joins.csv",)),
    _r("planned_joins_by_year", "The slide's table of planned joins by year: new groups, joins of existing groups, "
       "totals. Published.", "年度別の加入予定（公表値）。",
       ("target_year_as_written", "kind", "groups", "municipalities", "section", "target_fy"),
       ("target_year_as_written", "kind"), (_TR + "planned_joins_by_year.csv",),
       kind=F("str", "", _K, "new_group, existing_group, total or operating.", "新グループ・既存グループ・計・稼働済",
              "kind", "区分"),
       groups=F("Int64", "groups", _P, "Groups (where stated).", "グループ数（記載がある場合）", "groups", "グループ数",
                dash, nullable=True),
       municipalities=_MOD("municipalities", provenance=_P)),
    _r("adoption_tracker", "Projected joint-cloud and cloud municipalities at the end of FY2018-FY2023 from the 2018-04 "
       "state plus planned joins (derived; the cloud total is a range), against the 2023 targets.",
       "クラウド導入の見込みと目標（導出値）。",
       ("fiscal_year", "as_of_date", "planned_joins_in_year", "joint_cloud_projected", "cloud_projected_low",
        "cloud_projected_high", "joint_cloud_target", "cloud_target"), ("fiscal_year",),
       ("planned_joins", "published_adoption"),
       as_of_date=F("datetime64[us]", "", _K, "The fiscal year's last day.", "年度末", "as of", "時点")),
    _r("case_studies", "The seven case studies: participants, systems, start dates and the number of members stated, "
       "as written. Published.", "導入事例（公表値）。",
       ("case", "title_as_written", "target_work_as_written", "start_as_written", "members_stated",
        "members_stated_as_written", "section"), ("case",), (_TR + "case_studies.csv",),
       members_stated=F("Int64", "municipalities", _P, "Members the case study states (empty where it gives no number).",
                        "事例が記載する団体数（記載がなければ空欄）", "members (stated)", "団体数（記載）", dash, nullable=True),
       members_stated_as_written=F("str", "", _P, "That number as written (3市, 18団体, ...).", "団体数（資料の表記）",
                                   "members (as written)", "団体数（資料）")),
    _r("case_study_members", "Their members with stated populations (千人) matched to codes, with 2015 census and "
       "2017-01-01 populations and the 2018-04 group. Published + real.", "導入事例の構成団体（公表値・実データ）。",
       ("case", "code", "prefecture", "name", "name_as_written", "match", "population_thousand_persons",
        "population_as_written", "population_census_2015_persons", "population_2017_01_01_persons",
        "group_id_2018_04", "section"), ("case", "code"), (_TR + "case_study_members.csv",),
       population_thousand_persons=F("float64", "thousand_persons", _P, "Population as the case study states.",
                                     "事例に記載の人口", "population (stated)", "人口（事例）", "{:,.1f}")),
    _r("case_study_savings", "Stated savings of the case studies (%), with the sentence as written and the basis read "
       "from the wording (cost basis, years, projected). Published + derived.", "導入事例の削減効果（公表値・導出値）。",
       ("case", "what_as_written", "statement_as_written", "reduction_pct", "approximate", "section", "cost_basis",
        "period_years", "projected"), ("case", "what_as_written"), (_TR + "case_study_savings.csv",)),
    _r("savings_56_groups", "Savings distribution of the 56 groups surveyed in January 2016 (groups, %). Published.",
       "56グループの費用削減効果（公表値）。",
       ("category_as_written", "groups", "share_pct", "as_of_as_written", "section", "as_of_month"),
       ("category_as_written",), (_TR + "savings_56_groups.csv",), share_pct=_SHARE_INT),
    _r("vendor_shares", "Development vendors of the groups (groups, %). Published.", "開発ベンダ別のグループ数（公表値）。",
       ("vendor_as_written", "groups", "share_pct", "section"), ("vendor_as_written",), (_TR + "vendor_shares.csv",),
       share_pct=_SHARE_INT),
    _r("group_size_shares", "Group sizes of the 56 groups (groups, %). Published.", "団体数別のグループ数（公表値）。",
       ("size_as_written", "groups", "share_pct", "section"), ("size_as_written",), (_TR + "group_size_shares.csv",),
       share_pct=_SHARE_INT),
    _r("top_runner", "トップランナー方式 standard costs of 基準財政需要額 (千円), before / FY2018 / final. Published.",
       "トップランナー方式の基準財政需要額（公表値）。",
       ("introduced_as_written", "business_as_written", "item_as_written", "subitem_as_written", "before_as_written",
        "fy2018_as_written", "final_as_written", "before_thousand_yen", "fy2018_thousand_yen", "final_thousand_yen",
        "unit", "review_years_as_written", "reform_as_written", "section", "reduction_to_final_pct"), (),
       (_TR + "top_runner.csv",)),
)


# --- evidence: what the published figures and real data imply (no survey) -------------------------

EVIDENCE = _stage(
    "evidence",
    _r("evidence_cells",
       "Identified set of the per-resident chart's cells (class × status, 円) under each reading, with and "
       "without the plausibility floor and the inferred label. Derived from published figures only.",
       "人口規模区分×導入状況別の住民一人当たり経費の平均がとりうる範囲（識別集合）。公表値のみから導出。",
       ("reading", "inferred_label", "plausibility_floor", "class_id", "population_class_ja", "cloud_status",
        "label_used", "lower_yen", "upper_yen", "lower_open", "upper_open"),
       ("reading", "inferred_label", "plausibility_floor", "class_id", "cloud_status"),
       ("published_cost_by_class", "published_status_counts", "published_survey_outliers",
        "published_survey_orderings", "published_chart_labels", "case_study_savings")),
    _r("evidence_gaps",
       "Identified set of joint-cloud mean ÷ no-cloud mean of cost per resident, and the gap (%), per class "
       "and setting. Derived from published figures only.",
       "自治体クラウドと未導入の住民一人当たり経費の平均の比と差（%）の範囲。公表値のみから導出。",
       ("reading", "inferred_label", "plausibility_floor", "class_id", "population_class_ja", "label_used",
        "ratio_low", "ratio_high", "ratio_low_open", "ratio_high_open", "gap_low_pct", "gap_high_pct"),
       ("reading", "inferred_label", "plausibility_floor", "class_id"),
       ("published_cost_by_class", "published_status_counts", "published_survey_outliers",
        "published_survey_orderings", "published_chart_labels", "case_study_savings")),
    _r("evidence_label_assignments",
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
       **{f"{s}_{b}_yen": implied_cell(s, b) for s in ("joint", "single", "none")
                  for b in ("low", "high")}),
    _r("evidence_label_triples",
       "The three labels printed on one line, tried as one class's three bars in every order: the class "
       "mean they imply against the published mean. Derived.",
       "同じ行の3つの数値を1つの区分の3本の棒とみなした場合の区分平均と公表値の比較。導出値。",
       ("line_as_written", "class_id", "population_class_ja", "published_mean_yen", "implied_mean_low_yen",
        "implied_mean_high_yen", "orders_tried", "orders_fitting"), ("line_as_written", "class_id"),
       ("published_chart_labels", "published_cost_by_class", "published_status_counts")),
    _r("evidence_label_robustness",
       "How much the inferred chart-label assignment depends on the plausibility floor: per label, reading and "
       "cell the label fits arithmetically, the largest floor under which it still fits (to 0.001); the range "
       "of floors under which exactly one cell fits; whether the floor used (0.30) lies in it. Derived.",
       "推定したグラフ数値の割当てが妥当性の下限にどれだけ依存するか（導出値）。",
       ("value_yen", "reading", "class_id", "cloud_status", "largest_floor", "unique", "unique_floor_low",
        "unique_floor_high", "floor_used", "unique_at_floor_used"), ("value_yen", "reading", "class_id",
                                                                     "cloud_status"),
       ("published_chart_labels", "published_cost_by_class", "published_status_counts",
        "published_survey_outliers", "published_survey_orderings", "case_study_savings"),
       **{
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
    _r("evidence_savings",
       "What the 56-group savings distribution implies (interval-censored): bounds on the mean saving, the share "
       "at 30% or more, the median bin. Derived from published figures.",
       "56グループの費用削減効果の分布から言えること（区間打切り）：平均の範囲、３割以上の割合、中央の区分。導出値。",
       ("measure", "basis", "groups", "lower_pct", "upper_pct", "assumption", "assumption_ja"),
       ("measure", "basis"), ("savings_56_groups", "case_study_savings")),
    _r("evidence_membership_coefficients",
       "Logit of joint-cloud membership on real covariates (pooled, and with prefecture fixed effects), for the "
       "2018-04 list and for 2017-04-01: log odds, clustered standard errors, t(G − 1) intervals. Real data.",
       "自治体クラウドへの参加のロジットモデルの係数（実データ）。", ("model", "as_of", "term", "estimate",
                                                    "std_error", "ci_low", "ci_high", "odds_ratio"),
       ("model", "as_of", "term"), ("municipalities",)),
    _r("evidence_membership_models",
       "One row per membership model: n, members, clusters, fit. Real data.",
       "参加モデルの概要（実データ）。", ("model", "as_of", "n", "members", "prefectures", "prefectures_dropped",
                              "pseudo_r_squared", "log_likelihood", "converged", "covariance"),
       ("model", "as_of"), ("municipalities",)),
    _r("evidence_membership_effects",
       "Average marginal effects of the pooled membership logit (percentage points) for stated changes, with "
       "delta-method clustered intervals. Real data.",
       "参加モデルの平均限界効果（ポイント）。実データ。",
       ("as_of", "change", "change_en", "change_ja", "ame_pct_points", "std_error_pct_points",
        "ci_low_pct_points", "ci_high_pct_points"), ("as_of", "change"), ("municipalities",)),
    _r("evidence_membership_shares",
       "Joint-cloud membership by population class, by prefecture and nationally, on 2018-04-01 (the list) and "
       "2017-04-01 (start years). Real data.",
       "人口規模区分別・都道府県別の自治体クラウド参加割合（実データ）。",
       ("as_of", "by", "key", "label", "municipalities", "members", "share_pct"), ("as_of", "by", "key"),
       ("municipalities",)),
    _r("evidence_membership_predictions",
       "Each municipality's real covariates, its membership (2018-04), the membership probability the pooled "
       "logit predicts, and, for the non-members, the probability of joining FY2018–FY2023 under the model the "
       "out-of-sample test chose (evidence_membership_validation). Real data (predictions derived).",
       "市区町村別の説明変数（実データ）、参加の有無、予測参加確率、平成30～35年度の予測加入確率。",
       ("code", "prefecture", "name", "kind", "population_2017_01_01_persons", "fiscal_strength_index_fy2016",
        "ageing_pct", "density_per_km2", "member_2018_04_01", "predicted_probability",
        "join_probability_fy2018_2023"), ("code",), ("municipalities", "planned_joins", "boundaries")),
    _r("evidence_membership_validation",
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
    _r("evidence_membership_calibration",
       "Calibration of each validated model: observed and predicted joiners (FY2018–FY2023 plans) by decile "
       "of the predicted probability, by population class and by prefecture, per fit date. Real data, derived.",
       "検証の較正：予測確率の十分位・人口規模区分・都道府県ごとの実際と予測の加入団体数（実データ・導出値）。",
       ("fit_as_of", "model", "by", "key", "label", "municipalities", "predicted_joiners", "observed_joiners"),
       ("fit_as_of", "model", "by", "key"), ("evidence_membership_validation",)),
    _r("evidence_hazard_coefficients",
       "The discrete-time hazard of joining (municipality × fiscal year at risk, FY2006 to the fit date; join "
       "year = the group's start year): log odds with prefecture-clustered t(G − 1) intervals, per fit date and "
       "variant (all groups; without those known to grow after their start), with events and rows. Real data, "
       "derived.", "加入の離散時間ハザードモデルの係数（実データ・導出値）。",
       ("fit_as_of", "model", "term", "estimate", "std_error", "ci_low", "ci_high", "odds_ratio", "events",
        "rows"), ("fit_as_of", "model", "term"), ("municipalities", "boundaries")),
    _r("evidence_prefecture_join_ranges",
       "Each prefecture's planned joiners FY2018–FY2023 against the joiners the chosen model predicts for a "
       "typical prefecture with its municipalities at risk, with the central 95% predictive range (the spread "
       "between prefectures, chance per municipality, estimation uncertainty) and where the plans lie. Real "
       "data, derived.", "都道府県別の加入予定と、選んだモデルの予測（95%予測範囲、実データ・導出値）。",
       ("prefecture", "model", "municipalities_at_risk", "planned_joiners", "expected_joiners", "range_low",
        "range_high", "range_level", "position", "tau", "converged"), ("prefecture",),
       ("evidence_membership_validation", "planned_joins"),
       **{"planned_joiners": F("int64", "municipalities", "derived", "Planned joiners FY2018–FY2023 "
                                       "among them (published list, matched).", "そのうち加入予定（平成30～35年度）",
                                       "planned joiners", "加入予定", "{:,}"),
                  "model": F("str", "", "key", "The chosen model.", "選んだモデル", "model", "モデル")}),
    _r("evidence_membership_prefecture_ranges",
       "Each prefecture's joint-cloud members (2018-04 list, municipalities the model covers) against the "
       "count a logit with a prefecture random intercept expects for a typical prefecture with these "
       "municipalities, with its central 95% predictive range (the spread between prefectures τ, binomial "
       "noise and estimation uncertainty) and where the actual count lies. Real data, derived.",
       "都道府県別の参加団体数と、都道府県の変量効果つきロジットモデルによる期待値と95%予測範囲（実データ・導出値）。",
       ("prefecture", "as_of", "modelled_municipalities", "members", "expected_members", "range_low",
        "range_high", "range_level", "prob_at_least_actual", "prob_at_most_actual", "position", "tau", "converged",
        "model"),
       ("prefecture", "as_of"), ("municipalities",),
       **{
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
    _r("evidence_new_members",
       "New joint-cloud members by population class in two scenarios (planned joins; the 2023 target met), with "
       "their population on 2017-01-01. Derived.", "想定別・人口規模区分別の新たな参加団体数とその人口（導出値）。",
       ("scenario", "class_id", "new_members", "planned_joiners", "expected_others",
        "new_members_population_persons"), ("scenario", "class_id"),
       ("planned_joins", "published_adoption", "evidence_membership_predictions", "municipalities")),
    _r("evidence_saving_rates",
       "Rate intervals (%) per class and basis, and where each comes from: the 56 groups' reported savings, or "
       "the cross-sectional gap between joint-cloud and no-cloud simple means of the class (bounded by the "
       "published figures under 20k, elsewhere by the plausibility floor alone). Derived.",
       "区分別・根拠別の率の範囲とその根拠（導出値）。",
       ("basis", "class_id", "rate_low_pct", "rate_high_pct", "rate_source"), ("basis", "class_id"),
       ("evidence_gaps", "evidence_savings")),
    _r("evidence_projections",
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
       **{"class_id": F("Int64", "", "key", "Population class; empty for a sum over classes.",
                                "人口規模区分（空欄は合計）", "class", "区分", nullable=True)}),
    _r("evidence_projection_floor",
       "Where only the plausibility floor bounds a class gap: the upper end of the saving band (億円, 試算) as a "
       "function of the floor, per class-gap basis and scenario, for the classes the floor bounds and for "
       "those the published figures bound (each class's largest gap under the floor by linear programming; "
       "no value where the published figures do not admit the floor).",
       "妥当性の下限ごとの年間削減額の上限（億円、試算）。",
       ("basis", "scenario", "rate_source", "floor_ratio", "classes", "admitted", "saving_high_oku_yen"),
       ("basis", "scenario", "rate_source", "floor_ratio"), ("evidence_projections", "published_cost_by_class",
                                                             "published_status_counts", "case_study_savings")),
    _r("evidence_weighted_bounds",
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
       **{
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
                            "gap at least", "差の下限", PCT1),
           "informative": F("bool", "", "derived", "The combined bound is below 1.", "比の上限が1未満",
                            "informative", "限定あり")}),
)


# --- survey: the per-municipality survey (simulated unless a real file is configured) -------------

SURVEY = _stage(
    "survey",
    _r("survey", "Per-municipality FY2017 IT-system cost (円) and cloud status, with provenance per value (reported / "
       "published / derived / simulated). SIMULATED unless a real file was configured: see survey_input.",
       "市区町村別の経費と導入状況（シミュレーションまたは実データ）。",
       ("code", "population_2017_01_01_persons", "it_cost_yen", "cloud_status", "it_cost_provenance",
        "cloud_status_provenance"), ("code",), (),
       row_checks=(TableCheck(lambda d: d["it_cost_yen"].notna() | (d["it_cost_provenance"] == "reported"),
                              "a cost may be missing only where a real file reports it missing"),),
       cloud_status=F("str", "", _S, "joint, single, none (or not_joint where single and none are unknown).",
                      "導入状況", "cloud status", "クラウド導入状況", checks=(isin(vocab.STATUSES + (vocab.NOT_JOINT_CODE,)),))),
    _r("survey_input", "One row: which survey input the build used (simulated or a real file with its sha256) and the "
       "generator's parameters.", "ビルドに用いた調査データ。",
       ("input", "file", "sheet", "sha256", "cost_unit", "configured_by", "generator_version", "generator_params",
        "status_source", "rows", "costs_missing"), (), ()),
)


# --- models: the regressions on the survey, and the class-level model (published only) ------------

MODELS = _stage(
    "models",
    _r("model_coefficients", "Coefficients of the standard regressions (log cost per resident, or PPML on cost, on a "
       "spline in log population and status; see models.STANDARD_SPECS): estimate, standard error, 95% interval, p "
       "(none for the simulated survey), n, covariance, survey input.", "回帰の係数。",
       ("model", "term", "term_raw", "estimate", "std_error", "ci_low", "ci_high", "p_value", "n", "covariance",
        "survey_input"), ("model", "term_raw"), ("survey", "municipalities"),
       estimate=F("float64", "", _S, "Coefficient.", "係数", "estimate", "推定値", "{:.4f}"),
       std_error=F("float64", "", _S, "Standard error.", "標準誤差", "std. error", "標準誤差", "{:.4f}"),
       ci_low=F("float64", "", _S, "95% interval, lower.", "95%信頼区間 下限", "95% CI low", "95%信頼区間 下限",
                "{:.4f}", nullable=True),
       ci_high=F("float64", "", _S, "95% interval, upper.", "95%信頼区間 上限", "95% CI high", "95%信頼区間 上限",
                 "{:.4f}", nullable=True),
       n=F("int64", "municipalities", _S, "Municipalities in the model.", "モデルの団体数", "n", "n", INT0)),
    _r("model_comparison", "One row per standard model (n = municipalities): estimator, n, parameters, R² and AIC "
       "(OLS only), joint-cloud estimate and % effect, covariance.", "モデルの比較。",
       ("model", "specification", "estimator", "n", "parameters", "r_squared", "adj_r_squared", "aic", "bic",
        "joint_estimate", "joint_std_error", "joint_effect_pct", "covariance", "survey_input"), ("model",),
       ("survey", "municipalities"),
       estimator=F("str", "", _K, "ols, ppml or huber.", "推定方法", "estimator", "推定方法"),
       n=F("int64", "municipalities", _S, "Municipalities in the model.", "モデルの団体数", "n", "n", INT0)),
    _r("model_status_effects", "% difference in cost per resident of each fitted status against the base (none, or "
       "all non-joint municipalities when single and none are unknown), at equal population, with 95% interval, per "
       "standard model.", "同じ人口での導入状況間の差（%）。",
       ("cloud_status", "against", "population_persons", "log_effect", "std_error", "effect_pct", "ci_low_pct",
        "ci_high_pct", "covariance", "model", "survey_input"), ("model", "cloud_status", "population_persons"),
       ("survey", "municipalities"),
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
       ("model", "area", "class_id", "includes_extrapolation"), ("survey", "municipalities"),
       class_id=F("Int64", "", _K, "Population class (empty: a total).", "人口規模区分（空欄は合計）", "class", "区分",
                  dash, nullable=True),
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
       ("published_cost_by_class", "municipalities"),
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
       covariance=F("str", "", _K, "The interval's covariance.", "信頼区間の共分散", "covariance", "共分散"),
       seed=F("int64", "", _K, "Random seed.", "乱数の種", "seed", "乱数の種")),
    _r("model_membership_sensitivity", "The joint-cloud effect (%) with joint membership as of 2017-04-01 (start "
       "years) and from the 2018-04 list, OLS and PPML.", "自治体クラウドの判定基準日による推定値の違い。",
       ("estimator", "membership_as_of", "joint_members", "joint_effect_pct", "survey_input"),
       ("estimator", "membership_as_of"), ("survey", "municipalities"),
       estimator=F("str", "", _K, "ols or ppml.", "推定方法", "estimator", "推定方法")),
    _r("model_fitted_curves", "Fitted cost per resident (円) over a population grid: the main OLS model (geometric "
       "mean) and PPML (mean) per status (survey input as labelled), and the class-level model (published only).",
       "推定した曲線。",
       ("model", "cloud_status", "population_persons", "fitted_cost_per_resident_yen", "survey_input"),
       ("model", "cloud_status", "population_persons"), ("survey", "published_cost_by_class"),
       population_persons=F("int64", "persons", _K, "Population.", "人口", "population", "人口", INT0)),
    _r("model_class_level_moments", "The class-level model (published figures only, minimum distance over the real "
       "populations): each class's published mean per resident (円) and total (億円) beside the fitted ones, gap in "
       "rounding half-widths.", "区分別モデル：公表値と曲線による値。",
       ("class_id", "population_class_ja", "moment", "published", "fitted", "gap_half_widths"),
       ("class_id", "moment"), ("published_cost_by_class", "municipalities")),
    _r("model_class_level_fit", "The class-level model's fit: moments, parameters, the distance J, the largest gap, "
       "moments within rounding (does the curve reproduce the published figures within their rounding? J is a distance, "
       "not a test).",
       "区分別モデルの適合度。",
       ("moments", "parameters", "degrees_of_freedom", "j_statistic", "largest_gap_half_widths", "within_rounding",
        "converged", "curve"), (), ("published_cost_by_class", "municipalities"),
       parameters=_MOD("parameters", provenance=_D)),
)


# --- reconciliation: every stated total against its recomputation ---------------------------------

RECONCILIATION = _stage(
    "reconciliation",
    _r("reconciliation", "One row per check: a stated figure, the figure computed independently, the difference, ok / "
       "mismatch, and for a known mismatch a one-sentence explanation.", "照合（資料の値と計算値）。",
       ("check_id", "topic", "description", "description_ja", "stated", "computed", "difference", "unit", "rule",
        "status", "stated_source", "computed_from", "explanation", "explanation_ja"), ("check_id",), ()),
)


# --- simulation: the simulation study: written by `jichitai-cloud simulate`, never by the build ---

SIMULATION = _stage(
    "simulation",
    _r("simulation_draws",
       "Written by `jichitai-cloud simulate`, not by the build: every simulated draw's joint estimate (log), "
       "standard error and 95% interval per estimator and assumed effect, whether it covers the "
       "estimator's target (truth: log(1 + effect) for PPML, log(1 + effect) − τ_group²/2 for OLS), whether the draw satisfies the published orderings. SIMULATED: a check of the method.",
       "模擬データごとの推定値（シミュレーション、方法の検証）。",
       ("effect", "draw", "estimator", "estimate", "std_error", "ci_low", "ci_high", "truth", "covered",
        "orderings_ok", "small_class_ratio", "near_inferred_label"), ("effect", "draw", "estimator"),
       ("municipalities", "published_status_counts", "published_cost_by_class", "evidence_gaps"),
       **{c: replace(FIELDS[c], provenance=_SIM, unit="") for c in ("estimate", "std_error", "ci_low",
                                                                            "ci_high")}),
    _r("simulation_summary",
       "Written by `jichitai-cloud simulate`: per assumed effect and estimator, mean estimate, bias, RMSE and "
       "coverage, over all draws, the draws satisfying the published orderings (their share: an approximate "
       "likelihood of the effect conditional on the generator's other settings), those near the inferred "
       "chart-label ratio, and both. Bias and RMSE against each estimator's target (PPML log(1 + e); OLS "
       "log(1 + e) − τ_group²/2). SIMULATED.",
       "推定方法の偏り・RMSE・被覆率（シミュレーション）。",
       ("effect_pct", "estimator", "draws", "subset", "share_of_draws", "mean_estimate_pct", "bias", "rmse",
        "coverage", "coverage_mc_se"), ("effect_pct", "estimator", "subset"), ("simulation_draws",)),
    _r("simulation_parameters",
       "Written by `jichitai-cloud simulate`: draws, effects, seed, reading of the orderings, workers, generator "
       "parameters, the inferred label's ratio and tolerance (empty with --no-inferred-label), seconds.", "シミュレーションの設定。",
       ("draws_per_effect", "effects", "seed", "reading", "workers", "generator_params", "label_ratio",
        "label_tolerance", "seconds", "computed_on_build"), (), ("simulation_draws",),
       **{"draws_per_effect": F("int64", "", "key", "Draws per effect.", "効果ごとの回数", "draws",
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
)


# --- codebook: this registry, as a table ----------------------------------------------------------

CODEBOOK = _stage(
    "codebook",
    _r("codebook", "One row per processed table × column: dtype, unit, descriptions in Japanese and English, "
       "provenance and the table's sources. Generated from this registry.", "コードブック（表×列ごとの型・単位・説明・出所）。",
       ("table", "column", "dtype", "unit", "description_ja", "description_en", "provenance", "sources"),
       ("table", "column"), ("lib/jichitai_cloud/registry/resources.py", "lib/jichitai_cloud/registry/fields_data.py",
                            "lib/jichitai_cloud/registry/fields_analysis.py"),
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
)


RESOURCES: dict[str, Resource] = {r.name: r for r in (*CLEAN, *EVIDENCE, *SURVEY, *MODELS, *RECONCILIATION,
                                                      *SIMULATION, *CODEBOOK)}


def fields(table: str) -> dict[str, F]:
    """A table's columns in order: name -> Field."""
    return dict(RESOURCES[table].columns)
