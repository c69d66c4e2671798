"""Stage 2c, cleaning: the 自治体クラウドグループ一覧 (2018-04): 70 groups, 407 members.

Input: the group list in the source document's PDF-extracted text (総務省調べ, 平成30年4月
現在; population as of 2018-01-01). The text has lost the table's layout:

- member lists break mid-name across lines ('中富良' / '野町');
- group names break across lines too, and some groups have no name;
- the prefecture is written only before the first member of each prefecture, and a
  prefecture header line precedes the groups of each prefecture;
- a group spanning two prefectures lists the second prefecture's members after the
  group's count and population, on a line of their own;
- numbers use full-width digits and 、 as well as , as separators; start years are
  和暦 (H18 = FY2006).

Members are matched to codes by prefecture plus name, never by name alone. A name
that matches no municipality, or more than one, stops the build.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import pandas as pd

from jichitai_cloud.clean import checks, municipalities
from jichitai_cloud.errors import GroupListError
from jichitai_cloud.io import sources
from jichitai_cloud.registry import resources, schema, vocab

SECTION = "自治体クラウドグループ一覧"
END = re.compile(r"^合計\s+([0-9０-９,，、]+)\s+([0-9０-９,，、]+)\s*$")
_PAGE_FURNITURE = re.compile(
    r"^(自治体クラウドグループ一覧.*|都道府県 名称等 導入年度 構成団体 団体数|グループ総人口|\(H30\.1\.1時点\)|未定稿)$")
_YEAR = re.compile(r"(?<![A-Za-z])H([0-9]{2})(?![0-9])")
_D, _SEP = "[0-9０-９]", "[,，、]"
# A group's stated count and population at the end of a line: '28 197,125', '２ 88,232'.
_COUNT_POP = re.compile(rf"(?:^|\s)({_D}{{1,3}})\s+({_D}{{1,3}}(?:{_SEP}{_D}{{3}})*)\s*$")
_PREFS = "|".join(sorted(municipalities.PREFECTURES, key=len, reverse=True))
_LEADING_PREF = re.compile(rf"^({_PREFS})\s+(\S.*)$")
_MEMBER_START = re.compile(rf"^({_PREFS})[^,\s]+?[市町村区](?:,|$)")


def heisei_to_fy(year: int) -> int:
    """和暦 平成 year to the western fiscal year it names: H18 -> 2006."""
    return 1988 + year


def normalise_digits(text: str) -> str:
    """NFKC (full-width digits and commas) and 、 between digit groups read as a separator."""
    s = unicodedata.normalize("NFKC", text)
    return re.sub(r"(?<=[0-9])[、,](?=[0-9]{3}(?![0-9]))", ",", s)


@dataclass
class RawGroup:
    """One group as read from the text, before matching."""

    group_id: int
    name: str | None
    start_year_as_written: str
    members_text: list[str] = field(default_factory=list)  # one entry per prefecture run
    stated_members: int | None = None
    stated_population: int | None = None
    first_line: int = 0

    @property
    def start_fy(self) -> int:
        return heisei_to_fy(int(self.start_year_as_written[1:]))


def group_list_lines(text: str) -> list[tuple[int, str]]:
    """(line number, line) of the group list, page furniture removed, ending before 合計."""
    lines = text.split("\n")
    try:
        start = next(i for i, line in enumerate(lines) if line.strip().startswith(SECTION))
    except StopIteration:
        raise GroupListError(f"source document: no section {SECTION}") from None
    out = []
    for i in range(start, len(lines)):
        line = lines[i].strip()
        if not line or _PAGE_FURNITURE.match(line):
            continue
        if END.match(normalise_digits(line)):
            out.append((i + 1, normalise_digits(line)))
            return out
        out.append((i + 1, line))
    raise GroupListError(f"source document: the {SECTION} has no 合計 line")


def parse_group_list(text: str) -> tuple[list[RawGroup], dict]:
    """Groups in document order and the stated totals (合計) of the list.

    A line is a prefecture header, part of a group name, a group's start (its 和暦 year
    H##, with the name before it and members after it), a continuation of the member
    list, the group's count and population, a second prefecture's members of the
    previous group, or the 合計 line.
    """
    groups: list[RawGroup] = []
    pending_name: list[str] = []
    current: RawGroup | None = None  # a group whose count has not been read yet
    for lineno, raw in group_list_lines(text):
        end = END.match(normalise_digits(raw))
        if end:
            if current is not None:
                raise GroupListError(f"line {current.first_line}: group {current.group_id} has no count before 合計")
            return groups, {"members": int(end.group(1).replace(",", "")),
                            "population": int(end.group(2).replace(",", "")), "line": lineno}
        if raw in municipalities.PREFECTURES:
            if current is not None and current.members_text:
                raise GroupListError(f"line {lineno}: prefecture header {raw} inside group {current.group_id}")
            continue
        lead = _LEADING_PREF.match(raw)
        if lead and current is None and not _YEAR.search(raw.split()[0]):
            raw = lead.group(2)  # '岩手県 岩手県自治体…' or '和歌山県 和歌山県橋本市'
        year = _YEAR.search(raw)
        if current is None and year:
            name = "".join(pending_name) + raw[:year.start()].strip()
            pending_name = []
            current = RawGroup(group_id=len(groups) + 1, name=name or None,
                               start_year_as_written=year.group(0), first_line=lineno)
            groups.append(current)
            rest = raw[year.end():].strip()
            if rest:
                _add_members(current, rest, lineno)
            if current.stated_members is not None:
                current = None
            continue
        if current is None:
            if _MEMBER_START.match(raw) and not pending_name and groups:
                # A second prefecture's members of the previous group (its count covers them).
                groups[-1].members_text.append(raw)
                continue
            pending_name.append(raw)
            continue
        _add_members(current, raw, lineno)
        if current.stated_members is not None:
            current = None
    raise GroupListError("the group list ended without its 合計 line")


def _add_members(group: RawGroup, text: str, lineno: int) -> None:
    """Add member text to a group; a trailing 'count population' closes it."""
    m = _COUNT_POP.search(text)
    if m:
        group.stated_members = int(normalise_digits(m.group(1)))
        group.stated_population = int(re.sub(r"[^0-9]", "", normalise_digits(m.group(2))))
        text = text[:m.start()].strip()
    if not text:
        return
    if _MEMBER_START.match(text) or not group.members_text:
        group.members_text.append(text)
    else:
        group.members_text[-1] += text  # a line break inside the list, often mid-name


@dataclass(frozen=True)
class Member:
    group_id: int
    prefecture: str
    name_as_written: str


def split_members(group: RawGroup) -> list[Member]:
    """Members with their prefecture: the prefecture is written before the first member of each."""
    out = []
    for run in group.members_text:
        pref = None
        for item in re.split(r"[,、]", run):
            item = item.strip()
            if not item:
                continue
            lead = re.match(rf"^({_PREFS})(.+)$", item)
            if lead:
                pref, item = lead.group(1), lead.group(2)
            if pref is None:
                raise GroupListError(f"group {group.group_id} ({group.name}): member {item!r} has no prefecture")
            out.append(Member(group.group_id, pref, item))
    return out


def match_members(members: list[Member], frame: pd.DataFrame, names: dict[int, str | None]) -> pd.DataFrame:
    """Code for each member, by prefecture + name: exact, else through the VARIANTS table.

    Raises GroupListError naming the member and its group when a name matches no
    municipality or more than one.
    """
    exact = {}
    keyed: dict[tuple[str, str], list[str]] = {}
    names_by_code = dict(zip(frame["code"], frame["name"]))
    for code, pref, name in zip(frame["code"], frame["prefecture"], frame["name"]):
        exact.setdefault((pref, name), []).append(code)
        keyed.setdefault((pref, municipalities.match_key(name)), []).append(code)
    rows = []
    for m in members:
        label = f"{m.prefecture}{m.name_as_written} (group {m.group_id}: {names.get(m.group_id) or 'no name'})"
        hits = exact.get((m.prefecture, m.name_as_written), [])
        how = "exact"
        if not hits:
            nfkc = unicodedata.normalize("NFKC", m.name_as_written)
            hits = exact.get((m.prefecture, nfkc), [])
            how = "nfkc"
        if not hits:
            hits = keyed.get((m.prefecture, municipalities.match_key(m.name_as_written)), [])
            if len(hits) == 1:
                official = names_by_code[hits[0]]
                used = municipalities.variants_used(m.name_as_written) + municipalities.variants_used(official)
                how = f"variant ({', '.join(dict.fromkeys(used))}): {m.name_as_written} = {official}"
        if not hits:
            raise GroupListError(f"unmatched member {label}: no municipality of that name in {m.prefecture}")
        if len(hits) > 1:
            raise GroupListError(f"ambiguous member {label}: matches codes {hits}")
        rows.append({"group_id": m.group_id, "code": hits[0], "prefecture": m.prefecture,
                     "name_as_written": m.name_as_written, "match": how})
    out = pd.DataFrame(rows)
    dup = out[out["code"].duplicated(keep=False)]
    if len(dup):
        raise GroupListError(f"municipalities listed in more than one group: {dup.to_dict('records')}")
    return out


# How a group-list table that breaks its declaration is refused: the document's section, then the problem.
_AS_LISTED = SECTION + " ({table}): {problem}"


def tables(frame: pd.DataFrame, text: str | None = None) -> dict:
    """cloud_groups, cloud_group_members and the list's stated totals, from the source text."""
    text = text if text is not None else sources.source_document_text()
    groups, total = parse_group_list(text)
    members = [m for g in groups for m in split_members(g)]
    names = {g.group_id: g.name for g in groups}
    matched = match_members(members, frame, names)
    matched = matched.merge(frame[["code", "name", "population_2018_01_01_persons"]], on="code", how="left")
    members_df = matched[["group_id", "code", "prefecture", "name", "name_as_written", "match"]].copy()
    members_df["group_id"] = members_df["group_id"].astype("int64")
    per_group = matched.groupby("group_id").agg(
        matched_members=("code", "size"), members_population_2018_01_01_persons=("population_2018_01_01_persons", "sum"),
        prefectures=("prefecture", lambda s: "・".join(dict.fromkeys(s))))
    for g in groups:
        if g.stated_members is None:
            raise GroupListError(f"line {g.first_line}: group {g.group_id} ({g.name}) has no stated count")
    groups_df = pd.DataFrame([{
        "group_id": g.group_id, "name": g.name, "start_year_as_written": g.start_year_as_written,
        "start_fy": g.start_fy, "stated_members": g.stated_members,
        "stated_population_2018_01_01_persons": g.stated_population,
    } for g in groups]).merge(per_group, left_on="group_id", right_index=True, how="left")
    groups_df = groups_df[list(resources.RESOURCES["cloud_groups"].fields)].astype(
        {"group_id": "int64", "start_fy": "int64", "stated_members": "int64",
         "stated_population_2018_01_01_persons": "int64", "matched_members": "int64",
         "members_population_2018_01_01_persons": "int64"})
    return {
        "cloud_groups": schema.validate(groups_df, "cloud_groups", GroupListError, _AS_LISTED),
        "cloud_group_members": schema.validate(members_df.reset_index(drop=True), "cloud_group_members",
                                               GroupListError, _AS_LISTED),
        "stated_total": total,
    }


def with_membership(frame: pd.DataFrame, groups: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """The municipality frame with each member's group id and the group's start fiscal year."""
    out = frame.drop(columns=["joint_cloud_group_id", "joint_cloud_start_fy"])
    m = members[["code", "group_id"]].merge(groups[["group_id", "start_fy"]], on="group_id")
    out = out.merge(m.rename(columns={"group_id": "joint_cloud_group_id", "start_fy": "joint_cloud_start_fy"}),
                    on="code", how="left", validate="one_to_one")
    out["joint_cloud_group_id"] = out["joint_cloud_group_id"].astype("Int64")
    out["joint_cloud_start_fy"] = out["joint_cloud_start_fy"].astype("Int64")
    return out[list(frame.columns)]


# --- reconciliation -------------------------------------------------------------------------------

# One sentence per known mismatch, keyed by check_id, as (English, Japanese); shown wherever the
# mismatch is shown. tests/test_cloud_groups.py fails when a mismatch has no sentence here, or a
# sentence matches no mismatch.
_NO_REASON = ("the document gives no reason", "資料に理由の記載はない")


def _pop_diff(gid: int, stated: str, members: str, diff: str, pct: str, extra: tuple[str, str] = _NO_REASON):
    return (f"Group {gid} states {stated} against {members} for its listed members ({diff}, {pct}); {extra[0]}.",
            f"グループ{gid}は資料で{stated}人、掲載の構成団体の人口は{members}人（{diff}人、{pct}）で、{extra[1]}。")


EXPLANATIONS = {
    "groups.population.5": (
        "Group 5's row (名寄市, 士別市, 今金町) states 80,051 against its members' 52,732, and the list's total "
        "equals the sum of the rows with 52,732 in this row, so 80,051 is most likely a typo.",
        "グループ5（名寄市・士別市・今金町）の行は80,051人だが構成団体の人口は52,732人で、一覧の合計はこの行を"
        "52,732人とした各行の和に等しいため、80,051人は誤記の可能性が高い。"),
    "groups.population_total_vs_rows": (
        "The list's total is 27,319 below the sum of the rows, exactly group 5's excess (see that row), so the "
        "total was computed with its members' 52,732.",
        "合計は各行の和より27,319人少なく、これはグループ5の行の過大分（同行参照）にちょうど等しいため、合計は"
        "同グループを52,732人として計算されている。"),
    "groups.population_total_vs_members": (
        "The members' 2018-01-01 population is 19,278 below the list's total, the net of the five rows whose stated "
        "population differs from their members' (groups 1, 13, 17, 23 and 70).",
        "構成団体の平成30年1月1日人口が合計より19,278人少ないのは、グループ総人口が構成団体の人口と異なる"
        "5行（グループ1・13・17・23・70）の差の合計による。"),
    "groups.population.1": _pop_diff(1, "197,125", "178,839", "−18,286", "9.3%", (
        "no municipality has exactly 18,286 residents and the document gives no reason",
        "ちょうど18,286人の市区町村はなく、資料に理由の記載はない")),
    "groups.population.13": _pop_diff(13, "18,004", "16,645", "−1,359", "7.5%"),
    "groups.population.17": _pop_diff(17, "340,340", "340,283", "−57", "0.02%", (
        "far less than any member, so not a difference of membership, and the document gives no reason",
        "どの構成団体の人口よりはるかに小さく構成の違いではなく、資料に理由の記載はない")),
    "groups.population.23": _pop_diff(23, "54,632", "54,211", "−421", "0.8%"),
    "groups.population.70": _pop_diff(70, "214,792", "215,637", "+845", "0.4%"),
}
_AS_OF_2017 = (
    "The list gives only each group's start year, so the 22 municipalities that joined older groups during "
    "FY2017 (of the net 407 − 357 = 50 that became joint that year, all but the 28 in groups the list dates "
    "FY2017–18) count as joint from their group's start, exactly the excess of the list's 379 over the "
    "published 357.",
    "一覧はグループの導入年度しか示さないため、平成29年度中に既存グループへ加わった22団体（同年度の増加"
    "407−357＝50団体のうち、平成29・30年度導入グループの28団体を除いたもの）もグループの導入時から数えられ、"
    "これが一覧の379団体と公表値357団体の差にちょうど等しい。")
for _cls in range(1, 4):
    EXPLANATIONS[f"groups.joint_as_of_2017_04.class_{_cls}"] = _AS_OF_2017
EXPLANATIONS["groups.joint_as_of_2017_04.total"] = _AS_OF_2017


def reconcile(t: dict, stated_total: dict) -> list[checks.Check]:
    """The group list against its own 合計, its rows, the adoption counts and the survey."""
    groups, members, frame = t["cloud_groups"], t["cloud_group_members"], t["municipalities"]
    adopt = t["published_adoption"]
    src = "published: 自治体クラウドグループ一覧 (2018-04)"
    topic = "joint-cloud group list"
    out = []
    at_2018 = adopt[(adopt["as_of_date"] == pd.Timestamp(vocab.LIST_DATE)) & (adopt["kind"] == "actual")]
    stated_groups = int(at_2018.loc[at_2018["measure"] == "joint_cloud_groups", "value"].iloc[0])
    out.append(checks.exact("groups.count", topic, ("groups in the list = the 70 groups stated (H30.4)",
                                                    "グループ一覧のグループ数＝70グループ（H30.4）"),
                            stated_groups, len(groups), "groups", "published: クラウド導入市区町村数の推移",
                            "cloud_groups"))
    out.append(checks.exact("groups.members_total", topic, ("members matched to one code each = the list's total, 407",
                                                            "構成団体（団体コードに一意に照合）＝合計407"),
                            stated_total["members"], len(members), "municipalities", src, "cloud_group_members"))
    out.append(checks.exact("groups.stated_members_sum", topic,
                            ("sum of the rows' member counts = the list's total, 407", "各行の団体数の和＝合計407"),
                            stated_total["members"], int(groups["stated_members"].sum()), "municipalities",
                            src, "cloud_groups"))
    out.append(checks.exact("groups.population_total_vs_rows", topic,
                            ("the list's total population = sum of the rows' group populations",
                             "合計の人口＝各行のグループ総人口の和"),
                            stated_total["population"], int(groups["stated_population_2018_01_01_persons"].sum()),
                            "persons", src, "cloud_groups"))
    out.append(checks.exact("groups.population_total_vs_members", topic,
                            ("the list's total population = members' population on 2018-01-01 (Basic Resident Register)",
                             "合計の人口＝構成団体の住民基本台帳人口（平成30年1月1日）の和"),
                            stated_total["population"], int(groups["members_population_2018_01_01_persons"].sum()),
                            "persons", src, "municipalities (住民基本台帳 2018-01-01)"))
    names = {lang: vocab.group_names(groups, t["cloud_group_members"], lang) for lang in vocab.LANGS}
    for r in groups.itertuples():
        label, label_en = (names[lang][r.group_id] for lang in vocab.LANGS)
        out.append(checks.exact(f"groups.members.{r.group_id}", topic,
                                (f"group {r.group_id} ({label_en}): members listed = member count stated",
                                 f"グループ{r.group_id}（{label}）：構成団体の数＝団体数"),
                                r.stated_members, r.matched_members, "municipalities", src, "cloud_group_members"))
    for r in groups.itertuples():
        label, label_en = (names[lang][r.group_id] for lang in vocab.LANGS)
        out.append(checks.exact(f"groups.population.{r.group_id}", topic,
                                (f"group {r.group_id} ({label_en}): group population stated = members' population "
                                 "2018-01-01",
                                 f"グループ{r.group_id}（{label}）：グループ総人口＝構成団体の人口（平成30年1月1日）"),
                                r.stated_population_2018_01_01_persons, r.members_population_2018_01_01_persons,
                                "persons", src, "municipalities (住民基本台帳 2018-01-01)"))
    status = t["published_status_counts"]
    joint_pub = status[status["cloud_status"] == "joint"].set_index("class_id")["municipalities"]
    joint = municipalities.joint_cloud_as_of(frame, vocab.STATUS_DATE)
    by_class = frame[joint].groupby("population_class_id").size()
    for c in joint_pub.index:
        out.append(checks.exact(f"groups.joint_as_of_2017_04.class_{c}", topic,
                                (f"{vocab.class_label(c, 'en')}: members of groups started before FY2017 = "
                                 "survey's joint count",
                                 f"{vocab.class_label(c, 'ja')}：平成28年度以前に開始したグループの構成団体数＝"
                                 "調査の自治体クラウド団体数"),
                                int(joint_pub[c]), int(by_class.get(c, 0)), "municipalities",
                                "published_status_counts", "cloud_groups + municipalities"))
    out.append(checks.exact("groups.joint_as_of_2017_04.total", topic,
                            ("members of groups started before FY2017 = survey's joint total (357)",
                             "平成28年度以前に開始したグループの構成団体数＝調査の自治体クラウド団体数（357）"),
                            int(joint_pub.sum()), int(joint.sum()), "municipalities", "published_status_counts",
                            "cloud_groups + municipalities"))
    return out


def variant_matches(members: pd.DataFrame) -> pd.DataFrame:
    """Members whose name as written differs from the official name (matched via NFKC or VARIANTS)."""
    return members[members["match"] != "exact"].reset_index(drop=True)


def summary(groups: pd.DataFrame) -> pd.DataFrame:
    """Groups and members by start fiscal year (the list, 2018-04)."""
    out = groups.groupby("start_fy").agg(groups=("group_id", "size"), members=("matched_members", "sum"),
                                         unnamed=("name", lambda s: int(s.isna().sum())))
    return out.reset_index().astype("int64")
