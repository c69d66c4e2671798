"""Stage 6b, tables more than one scope shows: the group list, and municipalities with their membership."""

from __future__ import annotations

import pandas as pd

from jichitai_cloud.registry import vocab
from jichitai_cloud.report.context import Context

GROUP_COLUMNS = ["group_id", "name", "prefectures", "start_year_as_written", "start_fy", "stated_members",
                 "matched_members", "stated_population_2018_01_01_persons", "members_population_2018_01_01_persons"]
# Where a municipality's membership (or planned join) comes from: the group list's names, the planned joins.
MEMBERSHIP_SOURCES = (("cloud_groups", "name"), ("planned_joins", "target_year_as_written"))


def group_table(ctx: Context, g: pd.DataFrame, key: str) -> None:
    """The groups of ``g`` (rows of cloud_groups) as the list states them, with their members matched."""
    groups, members = ctx.load("cloud_groups"), ctx.load("cloud_group_members")
    names = vocab.group_names(groups, members, ctx.lang)
    table = g.assign(name=[names[int(i)] for i in g["group_id"]])[GROUP_COLUMNS]
    ctx.table(table, ctx.t("groups_caption") + ctx.tag(("cloud_groups", *GROUP_COLUMNS)), key,
              headers={"name": ctx.t("group_name")})


def membership_rows(ctx: Context, codes: pd.Series) -> pd.DataFrame:
    """Real covariates, predicted probability and actual membership or planned join of these municipalities."""
    groups, members = ctx.load("cloud_groups"), ctx.load("cloud_group_members")
    p = ctx.load("evidence_membership_predictions").set_index("code").loc[list(codes)]
    f = ctx.load("municipalities").set_index("code").loc[list(codes)]
    planned = ctx.load("planned_joins").set_index("code")
    pop = vocab.POPULATION_BASES[ctx.params["population_basis"]]
    names = vocab.group_names(groups, members, ctx.lang, with_id=True)

    def status(code, gid):
        if pd.notna(gid):
            return names[int(gid)]
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

