"""Labels and vocabulary, once: Japanese and English side by side as (ja, en) pairs.

Status labels, provenance tags, the national label, group display names. Every module that
shows one of these to a reader takes it from here.
"""

from __future__ import annotations

LANGS = ("ja", "en")

STATUS = {  # the survey's cloud statuses, as the source writes them in Japanese
    "joint": ("自治体クラウド", "joint cloud"),
    "single": ("単独クラウド", "single cloud"),
    "none": ("クラウド未導入", "no cloud"),
}
NOT_JOINT = ("自治体クラウド以外", "not joint cloud")  # single or none, unknown which (a file without status)
KIND = {  # provenance of a figure (see metadata.PROVENANCE)
    "published": ("公表値", "published"),
    "derived": ("導出値", "derived"),
    "real": ("実データ", "real"),
    "simulated": ("シミュレーション", "simulated"),
    "reported": ("実データ", "reported"),
    "inferred": ("推定", "inferred"),
}
NATIONAL = ("全国", "Japan")
YES_NO = (("はい", "いいえ"), ("yes", "no"))  # how a true/false column reads in a table
READING = {  # the two readings of 'single above none' in the under-20k class, short
    "without_3": ("下位3団体を除く単独クラウドの平均と比較", "against the single-cloud mean without the three villages"),
    "with_3": ("下位3団体を含む単独クラウドの平均と比較", "against the single-cloud mean with them"),
}
SCENARIO = {
    "planned": ("加入予定（平成30～35年度）がすべて加入", "the planned joiners (FY2018–FY2023) join"),
    "target_2023": ("2023年度末の目標を達成", "the FY2023 target is met"),
}
BASIS = {
    "reported": ("報告された削減率（グループの調査）", "reported savings (the group survey)"),
    "class_gap_without_3": ("区分内の差（除く平均との比較の読み）", "class gap (reading: without the villages)"),
    "class_gap_with_3": ("区分内の差（含む平均との比較の読み）", "class gap (reading: with the villages)"),
    "class_gap_without_3_label": ("区分内の差（除く平均の読み、推定した割当てを使用）",
                                  "class gap (without the villages, inferred label)"),
    "class_gap_with_3_label": ("区分内の差（含む平均の読み、推定した割当てを使用）", "class gap (with the villages, inferred label)"),
}


def pick(pair: tuple[str, str], lang: str) -> str:
    """The Japanese or English member of a (ja, en) pair."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}; got {lang!r}")
    return pair[0] if lang == "ja" else pair[1]


def status(code: str, lang: str) -> str:
    return pick(STATUS[code], lang)


def kind_tag(kind: str, lang: str) -> str:
    """'［公表値］' / '[published]'; several kinds joined ('［公表値・導出値］')."""
    kinds = kind.split("+")
    if lang == "ja":
        return "［" + "・".join(pick(KIND[k], lang) for k in kinds) + "］"
    return "[" + ", ".join(pick(KIND[k], lang) for k in kinds) + "]"


def group_name(group_id: int, groups, members, lang: str = "ja", with_id: bool = False) -> str:
    """A group's name as the list writes it, or, for the groups it leaves unnamed, its members
    joined (庄内町・三川町). ``groups``/``members``: the cloud_groups / cloud_group_members tables."""
    g = groups.set_index("group_id").loc[int(group_id)]
    name = g["name"] if isinstance(g["name"], str) and g["name"] else None
    if name is None:
        names = members.loc[members["group_id"] == int(group_id), "name"].tolist()
        name = ("・" if lang == "ja" else ", ").join(names)
    return f"{int(group_id)}. {name}" if with_id else name
