"""Stage 2d, cleaning: planned joins of 自治体クラウド (FY2018-FY2023) and the adoption tracker.

Input: the source document's slide 「自治体クラウドの導入に向けた具体的な動き」 (as of
2018-04-01), typed into ``data/raw/transcribed/planned_joins.csv`` (one row per municipality,
with the entry of the slide it belongs to, the group it joins as written, and its target
year 和暦) and ``planned_joins_by_year.csv`` (the slide's table by year). The slide excludes
targets of FY2024 or later and undetermined ones; its underlining (members of an existing
group going live in stages) is lost in the extracted text.

Members are matched to codes by prefecture plus name, as for the group list. The yearly
counts are derived from the list with one rule, which the slide's table confirms: a new
group counts in the year its first members go live, with those members; members going live
in a later year, and every join of a group that already operates, count as joins of an
existing group.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from jichitai_cloud.clean import checks, cloud_groups
from jichitai_cloud.errors import CleaningError
from jichitai_cloud.io import sources
from jichitai_cloud.registry import resources, schema, vocab

NEW_GROUP = "新グループ"


def wareki_fy(text: str) -> int | None:
    """'30年度' (平成) -> 2018; '未定' -> None."""
    s = unicodedata.normalize("NFKC", str(text)).strip()
    m = re.fullmatch(r"([0-9]{1,2})年度", s)
    if m:
        return 1988 + int(m.group(1))
    if s == "未定":
        return None
    raise ValueError(f"not a 和暦 fiscal year: {text!r}")


def _group_of(entry_rows: pd.DataFrame, groups: pd.DataFrame, members: pd.DataFrame) -> int | None:
    """The 2018-04 group an entry joins: by the group's name, else by the members named ('京丹後市')."""
    written = entry_rows["group_as_written"].iloc[0]
    if NEW_GROUP in written:
        return None
    by_name = groups[groups["name"] == written]
    if len(by_name) == 1:
        return int(by_name["group_id"].iloc[0])
    names = [n.strip() for n in re.split(r"[、,]", written) if n.strip()]
    pref = entry_rows["prefecture"].iloc[0]
    hit = members[(members["prefecture"] == pref) & members["name"].isin(names)]["group_id"].unique()
    if len(hit) != 1:
        raise sources.SourceError(f"planned_joins.csv: entry {entry_rows['entry'].iloc[0]}: group {written!r} "
                                  f"names no single group of the 2018-04 list (found {list(hit)})")
    return int(hit[0])


def table(frame: pd.DataFrame, groups: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """The planned joins, one row per municipality, matched to codes (derived from the published list)."""
    raw = sources.read_transcribed("planned_joins")
    raw["entry"] = raw["entry"].astype(int)
    matched = cloud_groups.match_members(
        [cloud_groups.Member(int(e), p, n) for e, p, n in zip(raw["entry"], raw["prefecture"], raw["name_as_written"])],
        frame, {int(e): f"planned-joins entry {e}" for e in raw["entry"]})
    out = raw.reset_index(drop=True).assign(code=matched["code"].to_numpy(), match=matched["match"].to_numpy())
    out = out.merge(frame[["code", "name"]], on="code", how="left")
    out["new_group"] = out["group_as_written"].str.contains(NEW_GROUP)
    gid = {e: _group_of(g, groups, members) for e, g in out.groupby("entry", sort=False)}
    out["joins_group_id"] = pd.array([gid[e] for e in out["entry"]], dtype="Int64")
    out["operating_members_stated"] = pd.array(
        [int(v) if str(v).strip() else None for v in out["operating_members"]], dtype="Int64")
    out["target_fy"] = pd.array([wareki_fy(t) for t in out["target_year_as_written"]], dtype="Int64")
    launch = out[out["new_group"]].groupby("entry")["target_fy"].min()
    counted = []
    for r in out.itertuples():
        if pd.isna(r.target_fy):
            counted.append("undetermined")
        elif r.new_group and r.target_fy == launch[r.entry]:
            counted.append("new_group")
        else:
            counted.append("existing_group")
    out["counted_as"] = counted
    out["already_member_2018_04"] = out["code"].isin(set(members["code"]))
    out = out[list(resources.RESOURCES["planned_joins"].fields)].reset_index(drop=True)
    return schema.validate(out, "planned_joins", CleaningError, f"{raw.attrs['source_file']}: {{problem}}", first_row=2)


def by_year(planned: pd.DataFrame) -> pd.DataFrame:
    """Groups and municipalities by target fiscal year and kind, derived from the per-municipality list."""
    dated = planned[planned["counted_as"] != "undetermined"]
    rows = []
    for fy, g in dated.groupby("target_fy"):
        new = g[g["counted_as"] == "new_group"]
        rows.append({"target_fy": int(fy), "new_groups": int(new["entry"].nunique()),
                     "new_group_municipalities": len(new),
                     "existing_group_municipalities": int((g["counted_as"] == "existing_group").sum()),
                     "municipalities": len(g)})
    return pd.DataFrame(rows)


def published_by_year() -> pd.DataFrame:
    """The slide's table by year (published), typed."""
    raw = sources.read_transcribed("planned_joins_by_year")
    out = pd.DataFrame({
        "target_year_as_written": raw["target_year_as_written"], "kind": raw["kind"],
        "groups": pd.array([int(v) if v else None for v in raw["groups"]], dtype="Int64"),
        "municipalities": raw["municipalities"].astype(int),
        "section": raw["section"],
    })
    out["target_fy"] = pd.array([wareki_fy(t) if t.endswith("年度") else None for t in out["target_year_as_written"]],
                                dtype="Int64")
    return out


EXPLANATIONS = {
    "planned.33.new_group_municipalities": (
        "Entry 44 (Tottori, a new group) reads 'FY33 (all but those below)', i.e. FY2021, but names no exception; all "
        "ten of its municipalities are counted in FY2021 here, one more than the slide's 25, so one of them is presumably later or undetermined.",
        "項目44（鳥取県、新グループ）は「33年度（下記以外）」とするが例外の団体名がなく、ここでは10団体すべてを平成33年度に"
        "数えたため資料の25団体より1団体多い。うち1団体は後年度または未定と思われる。"),
    "planned.total.new_group_municipalities": (
        "One more than stated, from FY2021: entry 44 (Tottori) names no exception to 'FY33 (all but those below)', so "
        "all ten of its municipalities are counted in FY2021.",
        "平成33年度の1団体の差による。項目44（鳥取県）は「33年度（下記以外）」の例外の団体名がなく、10団体すべてを平成33年度に"
        "数えた。"),
    "planned.total.municipalities": (
        "One more than stated, from FY2021: entry 44 (Tottori) names no exception to 'FY33 (all but those below)', so "
        "all ten of its municipalities are counted in FY2021.",
        "平成33年度の1団体の差による。項目44（鳥取県）は「33年度（下記以外）」の例外の団体名がなく、10団体すべてを平成33年度に"
        "数えた。"),
    "planned.33.municipalities": (
        "One more than stated, from the new-group count: entry 44 (Tottori) names no exception to 'FY33 (all but "
        "those below)'.",
        "新グループの団体数の差による。項目44（鳥取県）は「33年度（下記以外）」の例外の団体名がない。"),
    "planned.year_line_names": (
        "The year line of entry 40 writes 丹羽山村, a typo for 丹波山村 (Yamanashi), which its municipality list names.",
        "項目40の目標年度の行は「丹羽山村」とするが、同項目の団体名の列にある丹波山村（山梨県）の誤記。"),
    "planned.already_members": (
        "南丹市 is listed to join 京丹後市's group in FY2018 while the 2018-04 group list already counts it as an "
        "operating member of that group (京丹後市, 南丹市); probably one of the slide's underlined members going live in "
        "stages, an underline the extracted text does not keep.",
        "南丹市は平成30年度に京丹後市のグループへ加入予定とされる一方、グループ一覧（平成30年4月）ではすでに同グループの"
        "稼働済団体（京丹後市、南丹市）。資料の下線（当初加入団体の五月雨方式での稼働）と思われるが、抽出テキストには残らない。"),
    "planned.operating_members.41": (
        "The slide counts 1 operating member in 京丹後市's group, the group list 2 (京丹後市, 南丹市): 南丹市, listed to "
        "join in FY2018 yet already operating in the group list.",
        "資料は京丹後市のグループの稼働済団体を1とし、グループ一覧は2（京丹後市、南丹市）とする。南丹市が平成30年度の加入予定と"
        "される一方、グループ一覧ではすでに稼働済であるのと同じ事情。"),
}


def reconcile(planned: pd.DataFrame, published: pd.DataFrame, groups: pd.DataFrame) -> list[checks.Check]:
    """The per-municipality list against the slide's own table and against the 2018-04 group list."""
    topic = "planned joins"
    src = "published: 自治体クラウドの導入に向けた具体的な動き"
    mine = by_year(planned).set_index("target_fy")
    out = []
    pub = published[published["target_fy"].notna()]
    for r in pub.itertuples():
        fy = int(r.target_fy)
        y = int(fy - 1988)
        got = mine.loc[fy] if fy in mine.index else None
        if r.kind == "new_group":
            out.append(checks.exact(f"planned.{y}.new_groups", topic,
                                    (f"FY{fy}: new groups launched", f"平成{y}年度：新グループの発足数"),
                                    r.groups, 0 if got is None else int(got["new_groups"]), "groups", src,
                                    "planned_joins (derived)"))
            col = "new_group_municipalities"
        elif r.kind == "existing_group":
            col = "existing_group_municipalities"
        else:
            col = "municipalities"
        label = {"new_group_municipalities": ("municipalities in new groups", "新グループの団体数"),
                 "existing_group_municipalities": ("joins of existing groups", "既存グループへの加入"),
                 "municipalities": ("all planned joins", "計")}[col]
        out.append(checks.exact(f"planned.{y}.{col}", topic, (f"FY{fy}: {label[0]}", f"平成{y}年度：{label[1]}"),
                                r.municipalities, 0 if got is None else int(got[col]), "municipalities", src,
                                "planned_joins (derived)"))
    totals = published[published["target_year_as_written"] == "計"].set_index("kind")
    out.append(checks.exact("planned.total.new_groups", topic, ("all new groups", "新グループの発足数の計"),
                            totals.loc["new_group", "groups"], int(mine["new_groups"].sum()), "groups", src,
                            "planned_joins (derived)"))
    for col, kind, label in (("new_group_municipalities", "new_group", ("municipalities in new groups", "新グループの団体数の計")),
                             ("existing_group_municipalities", "existing_group", ("joins of existing groups", "既存グループへの加入の計")),
                             ("municipalities", "total", ("all planned joins", "計"))):
        out.append(checks.exact(f"planned.total.{col}", topic, label, totals.loc[kind, "municipalities"],
                                int(mine[col].sum()), "municipalities", src, "planned_joins (derived)"))
    operating = published[published["kind"] == "operating"].iloc[0]
    out.append(checks.exact("planned.operating_groups", topic,
                            ("groups operating at H30.4.1 = the group list", "H30.4.1時点のグループ数＝グループ一覧"),
                            operating["groups"], len(groups), "groups", src, "cloud_groups"))
    out.append(checks.exact("planned.operating_members", topic,
                            ("municipalities operating at H30.4.1 = the group list", "H30.4.1時点の団体数＝グループ一覧"),
                            operating["municipalities"], int(groups["matched_members"].sum()), "municipalities", src,
                            "cloud_group_members"))
    typos = planned[(planned["named_in_year_line_as"] != "") & (planned["named_in_year_line_as"] != planned["name_as_written"])]
    out.append(checks.exact("planned.year_line_names", topic,
                            ("names in the year lines that differ from the entry's list", "目標年度の行の団体名が団体名の列と異なる数"),
                            0, len(typos), "names", src, "planned_joins"))
    out.append(checks.exact("planned.already_members", topic,
                            ("planned joiners already operating members in the 2018-04 list",
                             "グループ一覧（平成30年4月）ですでに稼働済の加入予定団体"),
                            0, int(planned["already_member_2018_04"].sum()), "municipalities", src, "cloud_group_members"))
    stated = planned[planned["operating_members_stated"].notna()].drop_duplicates("entry")
    size = groups.set_index("group_id")["matched_members"]
    for r in stated.itertuples():
        gid = int(r.joins_group_id)
        out.append(checks.exact(f"planned.operating_members.{gid}", topic,
                                (f"group {gid}: operating members stated on the slide = the group list",
                                 f"グループ{gid}：資料の稼働済団体数＝グループ一覧"),
                                int(r.operating_members_stated), int(size[gid]), "municipalities", src, "cloud_groups"))
    return out


# --- the adoption tracker ---------------------------------------------------------------------------

TARGET_FY = 2023  # 2023年度末 = 2024-03-31


def tracker(planned: pd.DataFrame, adoption_wide: pd.DataFrame) -> pd.DataFrame:
    """Projected joint-cloud and cloud municipalities at the end of each fiscal year FY2018-FY2023.

    From the 2018-04-01 state (published: 1,067 cloud, of which 407 joint) plus the planned
    joins by target year (derived; planned joiners already operating in the list are not
    added twice; undetermined ones are left out). Whether a joiner already used a single
    cloud is not known, so the cloud total is a range: unchanged if every joiner was a
    single-cloud municipality, + every joiner if none was. Targets (published, approximate):
    約1,600 cloud and 約1,100 joint at the end of FY2023.
    """
    start = adoption_wide[(adoption_wide["as_of_date"] == pd.Timestamp(vocab.LIST_DATE))
                          & (adoption_wide["kind"] == "actual")].iloc[0]
    targets = adoption_wide[(adoption_wide["kind"] == "target")
                            & (adoption_wide["as_of_date"] == pd.Timestamp("2024-03-31"))].iloc[0]
    new = planned[(planned["counted_as"] != "undetermined") & ~planned["already_member_2018_04"]]
    per_year = new.groupby("target_fy").size()
    rows = []
    joined = 0
    for fy in range(2018, TARGET_FY + 1):
        joined += int(per_year.get(fy, 0))
        rows.append({
            "fiscal_year": fy, "as_of_date": pd.Timestamp(f"{fy + 1}-03-31"),
            "planned_joins_in_year": int(per_year.get(fy, 0)),
            "joint_cloud_projected": int(start["joint_cloud_municipalities"]) + joined,
            "cloud_projected_low": int(start["cloud_municipalities"]),
            "cloud_projected_high": int(start["cloud_municipalities"]) + joined,
            "joint_cloud_target": int(targets["joint_cloud_municipalities"]) if fy == TARGET_FY else np.nan,
            "cloud_target": int(targets["cloud_municipalities"]) if fy == TARGET_FY else np.nan,
        })
    out = pd.DataFrame(rows)
    out["joint_cloud_target"] = out["joint_cloud_target"].astype("Int64")
    out["cloud_target"] = out["cloud_target"].astype("Int64")
    return out
