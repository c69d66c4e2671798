"""Labels and vocabulary, once: Japanese and English side by side as (ja, en) pairs.

Status labels, provenance tags, the national label, group display names. Every module that
shows one of these to a reader takes it from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from jichitai_cloud.errors import ParameterError

LANGS = ("ja", "en")

STATUS = {  # the survey's cloud statuses, as the source writes them in Japanese
    "joint": ("自治体クラウド", "joint cloud"),
    "single": ("単独クラウド", "single cloud"),
    "none": ("クラウド未導入", "no cloud"),
}
STATUSES = tuple(STATUS)  # ("joint", "single", "none"): the codes, in the source's order
STATUS_BY_LABEL = {ja: code for code, (ja, _) in STATUS.items()}  # the source's Japanese label -> code
NOT_JOINT_CODE = "not_joint"  # single or none, unknown which: a real file without a status column
NOT_JOINT = ("自治体クラウド以外", "not joint cloud")  # its label
# Where each value of the per-municipality survey comes from (its it_cost_provenance and cloud_status_provenance):
# reported (a real file), published (a published figure), derived (computed from published sources by a stated
# rule), simulated (drawn by the generator).
SURVEY_PROVENANCE = ("reported", "published", "derived", "simulated")
SURVEY_INPUTS = ("simulated", "reported")  # which survey a build used (survey_input.input)
# The survey's status basis: its joint total equals the adoption count of 平成29年4月 (2017-04-01).
STATUS_DATE = "2017-04-01"
# The group list's date (平成30年4月現在; 稼働済 members only).
LIST_DATE = "2018-04-01"


@dataclass(frozen=True)
class PopulationClass:
    """One of the survey's six population classes (lower bound inclusive, upper exclusive; persons)."""

    class_id: int
    label_ja: str  # as written in the source document
    label_en: str
    lower_persons: int
    upper_persons: int | None


POPULATION_CLASSES = (
    PopulationClass(1, "２万人未満", "under 20k", 0, 20_000),
    PopulationClass(2, "２～５万人未満", "20k–50k", 20_000, 50_000),
    PopulationClass(3, "５～10万人未満", "50k–100k", 50_000, 100_000),
    PopulationClass(4, "10～20万人未満", "100k–200k", 100_000, 200_000),
    PopulationClass(5, "20～30万人未満", "200k–300k", 200_000, 300_000),
    PopulationClass(6, "30万人以上", "300k and over", 300_000, None),
)
CLASS_IDS = tuple(c.class_id for c in POPULATION_CLASSES)  # (1, ..., 6)
MUNICIPALITY_KINDS = ("特別区", "政令指定都市", "市", "町", "村")  # 団体区分, as the municipality frame writes them
ADOPTION_MEASURE = {  # the adoption counts' measures (published_adoption.measure)
    "cloud_municipalities": ("クラウド導入団体数", "cloud municipalities"),
    "joint_cloud_municipalities": ("自治体クラウド団体数", "joint-cloud municipalities"),
    "single_cloud_municipalities": ("単独クラウド団体数", "single-cloud municipalities"),
    "joint_cloud_groups": ("自治体クラウドのグループ数", "joint-cloud groups"),
}
RECONCILIATION_STATUSES = ("ok", "mismatch")  # a reconciliation row's status: the figures agree, or not
CLASS_BY_LABEL = {c.label_ja: c for c in POPULATION_CLASSES}
# Joint-cloud members a population class needs before an effect or saving rate is applied to it; with
# fewer it would be extrapolation (used by the evidence projections and the models' counterfactual).
MIN_SUPPORT = 5

KIND = {  # provenance of a figure (see PROVENANCE below)
    "published": ("公表値", "published"),
    "derived": ("導出値", "derived"),
    "real": ("実データ", "real"),
    "simulated": ("シミュレーション", "simulated"),
    "reported": ("実データ", "reported"),
    "inferred": ("推定", "inferred"),
    "scenario": ("試算", "scenario"),  # a number resting on an assumed rate: a scenario, never an estimate
}
PROVENANCE = {  # the kinds of figures (KIND) a column may hold, and two that are not figures' kinds
    **{k: KIND[k] for k in ("published", "derived", "real", "simulated", "scenario")},
    "survey": ("調査データ", "survey data"),
    "key": ("区分", "key"),
}
NATIONAL = ("全国", "Japan")
PREFECTURES = (  # in 全国地方公共団体コード order
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県",
    "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県",
    "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県",
    "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県",
    "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
)
# The population bases a report may use: date -> the municipality frame's column, and how readers see the date.
POPULATION_BASES = {"2017-01-01": "population_2017_01_01_persons", "2018-01-01": "population_2018_01_01_persons"}
BASIS_DATES = {"2017-01-01": ("平成29年1月1日", "2017-01-01"), "2018-01-01": ("平成30年1月1日", "2018-01-01")}
# The standard models (models.STANDARD_SPECS, same keys) and the class-level model, as reports name them.
MODELS = {"main": ("主モデル（都道府県クラスター）", "main model (clustered by prefecture)"), "interaction": ("交互作用", "interaction"),
          "prefecture_fe": ("都道府県固定効果", "prefecture fixed effects"), "kind": ("団体区分", "kind"),
          "fiscal": ("財政指標", "fiscal covariates"), "huber": ("Huber回帰", "Huber regression"),
          "main_hc3": ("主モデル（HC3）", "main model (HC3)"),
          "main_cluster_group": ("主モデル（グループクラスター）", "main model (clustered by group)"),
          "quadratic": ("2次曲線", "quadratic curve"), "ppml": ("PPML（ポアソン疑似最尤法、都道府県クラスター）",
                                                               "PPML (Poisson pseudo-ML, clustered by prefecture)"),
          "ppml_hc0": ("PPML（HC0）", "PPML (HC0)"),
          "main_list_2018": ("主モデル（平成30年4月の一覧で自治体クラウドを判定）", "main model (joint from the 2018-04 list)")}
INFERENCE = {  # the simulation study's estimators (simulation.ESTIMATORS)
    "ols_hc3": ("OLS（対数）・HC3", "OLS (log), HC3"),
    "ols_cluster_prefecture": ("OLS（対数）・都道府県クラスター", "OLS (log), clustered by prefecture"),
    "ols_cluster_group": ("OLS（対数）・グループクラスター", "OLS (log), clustered by group"),
    "ppml_hc0": ("PPML・HC0", "PPML, HC0"),
    "ppml_cluster_prefecture": ("PPML・都道府県クラスター", "PPML, clustered by prefecture"),
}
VALIDATED_MODELS = {  # the models tested on the later joins (validation.MODELS)
    "membership_logit": ("参加のロジットモデル", "membership logit"),
    "hazard": ("加入の時期のモデル（離散時間ハザード）", "when-to-join model (discrete-time hazard)"),
    "hazard_drop_growing": ("同（拡大するグループを除く）", "the same, growing groups left out"),
    "size_logit": ("人口だけのロジット", "population-only logit"),
    "prefecture_share": ("都道府県の参加割合", "prefecture's member share"),
    "class_share": ("人口規模区分の参加割合", "population class's member share"),
}
VALIDATED_MODELS_IN_TEXT = {  # the models a summary sentence names as the chosen one (validation.CANDIDATES)
    "membership_logit": ("参加のロジットモデル", "the membership logit"),
    "hazard": ("加入の時期のモデル", "the model of when municipalities join"),
}
CLASS_LEVEL_MODEL = ("区分別モデル（公表値）", "class-level model (published)")
TOPICS = {  # the reconciliation's topics (checks.Check.topic), as readers see them
    "published survey tables": ("調査の公表表", "published survey tables"),
    "published adoption counts": ("クラウド導入団体数の公表値", "published adoption counts"),
    "municipality frame": ("市区町村（住民基本台帳）", "municipality frame"),
    "municipal boundaries": ("市区町村の境界", "municipal boundaries"),
    "joint-cloud group list": ("自治体クラウドグループ一覧", "joint-cloud group list"),
    "planned joins": ("加入予定", "planned joins"),
    "case studies and shares": ("導入事例と割合", "case studies and shares"),
    "survey (simulated)": ("市区町村別の経費（シミュレーション）", "survey (simulated)"),
    "survey (reported)": ("市区町村別の経費（実データ）", "survey (reported)"),
}
TITLES = {  # report titles
    "national": ("市区町村の情報システム経費と自治体クラウド：全国レポート",
                 "Municipal IT-system costs and joint cloud (jichitai cloud): national report"),
    "prefecture": ("自治体クラウドと情報システム経費：{prefecture}", "Joint cloud and IT-system costs: {prefecture}"),
    "group": ("自治体クラウドグループ {group_id}：{name}", "Joint-cloud group {group_id}: {name}"),
}
YES_NO = (("はい", "いいえ"), ("yes", "no"))  # how a true/false column reads in a table
# The two readings of 'single above none' in the under-20k class: against the single-cloud mean without the
# three least-populous villages (11,266円), or with them (≈14,312円).
WITHOUT_3, WITH_3 = "without_3", "with_3"
READINGS = (WITHOUT_3, WITH_3)
DEFAULT_READING = WITHOUT_3
READING = {  # short labels
    "without_3": ("下位3団体を除く単独クラウドの平均と比較", "against the single-cloud mean without the three villages"),
    "with_3": ("下位3団体を含む単独クラウドの平均と比較", "against the single-cloud mean with them"),
}
READING_LONG = {  # what each reading says, in full
    "without_3": ("２万人未満の「未導入より単独クラウドが高い」は、人口数下位3団体を除いた単独クラウドの平均（11,266円）との比較",
                  "'single above none' in the under-20k class compares no cloud with the single-cloud mean without "
                  "the three least-populous villages (11,266 yen)"),
    "with_3": ("２万人未満の「未導入より単独クラウドが高い」は、下位3団体を含む単独クラウドの平均（約14,312円）との比較",
               "'single above none' in the under-20k class compares no cloud with the single-cloud mean including "
               "the three villages (≈14,312 yen)"),
}
SCENARIO = {
    "planned": ("加入予定（平成30～35年度）がすべて加入", "the planned joiners (FY2018–FY2023) join"),
    "target_2023": ("2023年度末の目標を達成", "the FY2023 target is met"),
}
BASIS = {  # where a projection's rate comes from (evidence_saving_rates.basis)
    "reported": ("グループが報告した削減率", "the groups' reported savings"),
    "class_gap_without_3": ("区分内の差（横断比較、除く平均の読み）", "class gap (cross-sectional; without the villages)"),
    "class_gap_with_3": ("区分内の差（横断比較、含む平均の読み）", "class gap (cross-sectional; with the villages)"),
    "class_gap_without_3_label": ("区分内の差（横断比較、除く平均の読み、推定した割当て）",
                                  "class gap (cross-sectional; without the villages, inferred label)"),
    "class_gap_with_3_label": ("区分内の差（横断比較、含む平均の読み、推定した割当て）",
                               "class gap (cross-sectional; with the villages, inferred label)"),
}


def gap_basis(reading: str, inferred_label: bool = False) -> str:
    """The code (a key of BASIS) of the projection basis resting on the class gap under ``reading``, with the
    inferred chart label or without it."""
    return f"class_gap_{reading}" + ("_label" if inferred_label else "")


RATE_SOURCE = {  # which classes a projection row sums (evidence_projections.rate_source)
    "all": ("全区分", "every class"),
    "reported_groups": ("全区分（報告された削減率）", "every class (reported rate)"),
    "published_figures": ("公表値が差を限定する区分", "classes the figures bound"),
    "inferred_label": ("推定した割当てで差が定まる区分", "classes the inferred label fixes"),
    "plausibility_floor": ("妥当性の下限だけが上限を決める区分", "classes only the floor bounds"),
}


def count(n: int, noun: str) -> str:
    """``n`` and an English noun in the number it needs: '1 municipality', '2 municipalities', '1,741 members'."""
    plural = noun[:-1] + "ies" if noun.endswith("y") and noun[-2:-1] not in "aeiou" else noun + "s"
    return f"{n:,} {noun if n == 1 else plural}"


def pick(pair: tuple[str, str], lang: str) -> str:
    """The Japanese or English member of a (ja, en) pair."""
    if lang not in LANGS:
        raise ParameterError(f"lang must be one of {', '.join(LANGS)}; got {lang!r}")
    return pair[0] if lang == "ja" else pair[1]


def status(code: str, lang: str) -> str:
    return pick(STATUS[code], lang)


def kind_tag(kind: str, lang: str) -> str:
    """'［公表値］' / '[published]'; several kinds joined ('［公表値・導出値］')."""
    kinds = kind.split("+")
    if lang == "ja":
        return "［" + "・".join(pick(KIND[k], lang) for k in kinds) + "］"
    return "[" + ", ".join(pick(KIND[k], lang) for k in kinds) + "]"


def group_display_name(name: str | None, member_names: list[str], lang: str = "ja") -> str:
    """A group's name as the list writes it, or, for the groups it leaves unnamed, its members joined
    (庄内町・三川町)."""
    if isinstance(name, str) and name:
        return name
    return ("・" if lang == "ja" else ", ").join(member_names)


def group_name(group_id: int, groups, members, lang: str = "ja", with_id: bool = False) -> str:
    """:func:`group_display_name` of a group from the cloud_groups / cloud_group_members tables (KeyError: no
    such group)."""
    gid = int(group_id)
    return group_names(groups[groups["group_id"] == gid], members[members["group_id"] == gid], lang, with_id)[gid]


def group_names(groups, members, lang: str = "ja", with_id: bool = False) -> dict[int, str]:
    """The name of every group (group id -> name; ``with_id``: "12. name"), in one pass over the tables: the
    group list's name as :func:`group_display_name` shows it, from its members in the members table's order."""
    listed: dict[int, list[str]] = {}
    for gid, name in zip(members["group_id"], members["name"]):
        listed.setdefault(int(gid), []).append(name)
    out = {}
    for gid, name in zip(groups["group_id"], groups["name"]):
        shown = group_display_name(name, listed.get(int(gid), []), lang)
        out[int(gid)] = f"{int(gid)}. {shown}" if with_id else shown
    return out


# --- the survey reader ---
# How a real survey file may write a cloud status (matched after NFKC, as written or lower-cased): the source's
# labels (STATUS), their long forms, the short 未導入, and the codes themselves (STATUSES). A message asking for a
# status names the first spelling of each.
STATUS_SPELLINGS = {
    "joint": ("自治体クラウド", "自治体クラウド導入団体"),
    "single": ("単独クラウド", "単独クラウド導入団体"),
    "none": ("未導入", "クラウド未導入", "クラウド未導入団体", "未導入団体"),
}

# --- reports ---
ESTIMATORS = {  # the standard models' estimators (model_comparison.estimator), as reports name them
    "ols": ("最小二乗法（対数）", "OLS (log)"), "ppml": ("PPML", "PPML"), "huber": ("Huber回帰", "Huber"),
}
STATUS_SHORT = {"joint": ("自", "J"), "single": ("単", "S"), "none": ("未", "N")}  # one-letter STATUS, for a chart's ticks


# --- prefectures, municipality kinds and sources in each language --------------------------------------
# English reports name prefectures in romaji (Hepburn without macrons, the form English texts use), municipality
# kinds, sources and population classes from here.

PREFECTURE_ROMAJI = dict(zip(PREFECTURES, (  # in PREFECTURES' order
    "Hokkaido", "Aomori", "Iwate", "Miyagi", "Akita", "Yamagata", "Fukushima", "Ibaraki", "Tochigi", "Gunma",
    "Saitama", "Chiba", "Tokyo", "Kanagawa", "Niigata", "Toyama", "Ishikawa", "Fukui", "Yamanashi", "Nagano",
    "Gifu", "Shizuoka", "Aichi", "Mie", "Shiga", "Kyoto", "Osaka", "Hyogo", "Nara", "Wakayama",
    "Tottori", "Shimane", "Okayama", "Hiroshima", "Yamaguchi", "Tokushima", "Kagawa", "Ehime", "Kochi", "Fukuoka",
    "Saga", "Nagasaki", "Kumamoto", "Oita", "Miyazaki", "Kagoshima", "Okinawa",
), strict=True))
# The suffix of each prefecture's Japanese name, as English texts write it after the romaji (nagano-ken).
PREFECTURE_SUFFIX = {"都": "to", "道": "do", "府": "fu", "県": "ken"}
MUNICIPALITY_KIND = {  # 団体区分 (MUNICIPALITY_KINDS), as readers see it
    "特別区": ("特別区", "special ward"), "政令指定都市": ("政令指定都市", "designated city"),
    "市": ("市", "city"), "町": ("町", "town"), "村": ("村", "village"),
}
SOURCE_NAMES = {  # the real data's sources and measures, as English text names them
    "resident_register": ("住民基本台帳", "the Basic Resident Register"),
    "fiscal_strength": ("財政力指数", "fiscal strength index"),
}


def prefecture_name(name: str, lang: str) -> str:
    """A prefecture as readers see it: 長野県 (ja) or Nagano (en); several joined as the group list writes them
    (奈良県・和歌山県 -> 'Nara, Wakayama'). A name that is no prefecture (全国 and the like) is returned as given
    unless it is the national label."""
    pick(NATIONAL, lang)  # checks lang
    if lang == "ja" or not isinstance(name, str):
        return name
    if name == NATIONAL[0]:
        return NATIONAL[1]
    parts = name.split("・")
    if all(p in PREFECTURE_ROMAJI for p in parts):
        return ", ".join(PREFECTURE_ROMAJI[p] for p in parts)
    return name


def class_label(class_id: int, lang: str) -> str:
    """A population class's label: ２万人未満 (ja, as the source writes it) or 'under 20k' (en)."""
    cls = next((c for c in POPULATION_CLASSES if c.class_id == int(class_id)), None)
    if cls is None:
        raise ValueError(f"no population class {class_id!r}; the classes are {', '.join(map(str, CLASS_IDS))}")
    return cls.label_ja if pick(("ja", "en"), lang) == "ja" else cls.label_en


def municipality_kind(kind: str, lang: str) -> str:
    """A 団体区分 (市, 町, ...) as readers see it: as written (ja) or in English (en: city, town, ...)."""
    return pick(MUNICIPALITY_KIND[kind], lang) if kind in MUNICIPALITY_KIND else kind
