"""Stage 6a, maps for readers: municipalities and prefectures drawn from the boundaries (data cleaning of the
boundaries is :mod:`jichitai_cloud.clean.maps`; this module only draws).

Groups in cool colours, planned joins in a warm ramp by year; 沖縄県 and 小笠原村 in insets. Every map's title
carries the kinds of what it shows (the group list, the planned joins, the boundaries), from the registry.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from jichitai_cloud.errors import ParameterError
from jichitai_cloud.registry import schema, vocab
from jichitai_cloud.report import kinds
from jichitai_cloud.report.charts_base import STATUS_COLORS, add_caption, ready, say, survey_kind
from jichitai_cloud.report.charts_published import SHARE

# What the maps show: the group list's members, the planned joins (as the document writes their years), boundaries.
MEMBERS = ("cloud_group_members", "group_id")
PLANNED = ("planned_joins", "target_year_as_written")
BOUNDARIES = ("boundaries", "geometry")

# Groups in cool colours, planned joins in a warm ramp by year: the two never look alike.
_GROUP_PALETTE = ("#4e79a7", "#59a14f", "#b07aa1", "#76b7b2", "#9c755f", "#1b6a8f", "#8cd17d", "#6a51a3")
_OTHER, _EDGE, _PREF_EDGE = "#e9e9e9", "#ffffff", "#6b6b6b"
_YEAR_COLORS = {2018: "#7f0000", 2019: "#c62828", 2020: "#ef6c00", 2021: "#fb8c00", 2022: "#fdb863", 2023: "#fee08b"}
_UNDETERMINED = "#f4cccc"


def _map_figure(width: float = 8.0, height: float = 8.0) -> tuple[Figure, object]:
    fig = Figure(figsize=(width, height), layout="constrained")
    ax = fig.subplots()
    ax.set_aspect("equal")
    ax.set_axis_off()
    return fig, ax


def _draw(ax, codes, colors, edge=_EDGE, linewidth=0.15, zorder=1) -> None:
    """Municipalities as one PathCollection (the paths are built once per process: maps.paths)."""
    from matplotlib.collections import PathCollection

    from jichitai_cloud.clean import maps

    p = maps.paths()
    coll = PathCollection([p[c] for c in codes], facecolors=list(colors), edgecolors=edge, linewidths=linewidth,
                          zorder=zorder)
    ax.add_collection(coll)


def _draw_prefectures(ax, prefectures=None, linewidth=0.4, color=_PREF_EDGE) -> None:
    from matplotlib.collections import PathCollection

    from jichitai_cloud.clean import maps

    pp = maps.prefecture_paths()
    names = list(pp) if prefectures is None else list(prefectures)
    ax.add_collection(PathCollection([pp[n] for n in names], facecolors="none", edgecolors=color,
                                     linewidths=linewidth, zorder=3))


def _view(ax, codes, pad: float = 0.03) -> None:
    from jichitai_cloud.clean import maps

    x0, y0, x1, y1 = maps.bounds_of(codes)
    dx, dy = (x1 - x0) * pad, (y1 - y0) * pad
    ax.set_xlim(x0 - dx, x1 + dx)
    ax.set_ylim(y0 - dy, y1 + dy)


def _attribution(fig, lang: str, extra: str = "") -> None:
    from jichitai_cloud.clean import maps

    add_caption(fig, (extra + ("\n" if extra else "")) + vocab.pick(maps.ATTRIBUTION, lang))


# Inset views (longitude, latitude boxes): 沖縄県 without the far 大東 islands' empty sea between, and
# 小笠原村's inhabited islands (its outlying 南鳥島 and 沖ノ鳥島 would shrink them to dots).
_INSETS = (("map_okinawa", "沖縄県", None, (122.9, 24.0, 128.4, 27.0), (0.52, 0.02, 0.46, 0.24)),
           ("map_ogasawara", None, "小笠原村", (141.9, 26.5, 142.35, 27.8), (0.84, 0.28, 0.14, 0.18)))


def _lonlat_view(ax, box) -> None:
    from pyproj import Transformer

    from jichitai_cloud.clean import maps

    t = Transformer.from_crs(maps.CRS, maps.DRAWING_CRS, always_xy=True)
    x0, y0 = t.transform(box[0], box[1])
    x1, y1 = t.transform(box[2], box[3])
    xs, ys = t.transform([box[0], box[2], box[0], box[2]], [box[1], box[1], box[3], box[3]])
    ax.set_xlim(min(xs), max(xs))
    ax.set_ylim(min(ys), max(ys))


def _insets(fig, ax, frame: pd.DataFrame, draw_fn, lang: str) -> None:
    """沖縄県 and 小笠原村 in insets at the lower right (the main view leaves them out)."""
    for key, pref, name, box, rect in _INSETS:
        mask = (frame["prefecture"] == pref) if pref else (frame["name"] == name)
        codes = frame.loc[mask, "code"].tolist()
        if not codes:
            continue
        inset = ax.inset_axes(rect)
        inset.set_aspect("equal")
        inset.set_xticks([])
        inset.set_yticks([])
        for spine in inset.spines.values():
            spine.set_edgecolor("#999999")
        draw_fn(inset, codes)
        _lonlat_view(inset, box)
        inset.set_title(say(key, lang), fontsize=7, pad=2)


def _main_codes(frame: pd.DataFrame) -> list[str]:
    return frame.loc[(frame["prefecture"] != "沖縄県") & (frame["name"] != "小笠原村"), "code"].tolist()


def group_colours(frame: pd.DataFrame) -> dict[int, str]:
    """A colour per joint-cloud group such that groups with touching members differ (greedy colouring of
    the groups' adjacency graph, most-connected first)."""
    from jichitai_cloud.clean import maps

    members = frame[frame["joint_cloud_group_id"].notna()]
    groups = sorted(members["joint_cloud_group_id"].astype(int).unique())
    box = {g: maps.bounds_of(members.loc[members["joint_cloud_group_id"] == g, "code"]) for g in groups}
    tol = 2_000.0  # metres: bounding boxes this close count as neighbours
    adjacent = {g: set() for g in groups}
    for i, a in enumerate(groups):
        for b in groups[i + 1:]:
            (ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1) = box[a], box[b]
            if ax0 - tol <= bx1 and bx0 - tol <= ax1 and ay0 - tol <= by1 and by0 - tol <= ay1:
                adjacent[a].add(b)
                adjacent[b].add(a)
    colours: dict[int, str] = {}
    for g in sorted(groups, key=lambda g: (-len(adjacent[g]), g)):
        used = {colours[n] for n in adjacent[g] if n in colours}
        colours[g] = next((c for c in _GROUP_PALETTE if c not in used), _GROUP_PALETTE[g % len(_GROUP_PALETTE)])
    return colours


def _membership_fill(frame: pd.DataFrame, group_colour: dict, joiners: pd.Series) -> list:
    """Each municipality's colour: its group's (2018-04 member), its target year's (planned joiner; undetermined
    when the year is not given), else the pale colour of the others."""
    fill = []
    for code, gid in zip(frame["code"], frame["joint_cloud_group_id"]):
        if pd.notna(gid):
            fill.append(group_colour[int(gid)])
        elif code in joiners.index:
            fy = joiners[code]
            fill.append(_YEAR_COLORS.get(int(fy), _UNDETERMINED) if pd.notna(fy) else _UNDETERMINED)
        else:
            fill.append(_OTHER)
    return fill


def map_groups(frame: pd.DataFrame, planned: pd.DataFrame, lang: str = "ja") -> Figure:
    """Japan: municipalities coloured by their joint-cloud group (2018-04), planned joiners by target
    year, other municipalities pale; prefecture outlines; 沖縄県 and 小笠原村 in insets."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    ready(lang)
    colours = group_colours(frame)
    joiners = planned[(~planned["already_member_2018_04"])].drop_duplicates("code").set_index("code")["target_fy"]
    fill = _membership_fill(frame, colours, joiners)
    colour_of = dict(zip(frame["code"], fill))

    def draw(ax, codes):
        _draw(ax, codes, [colour_of[c] for c in codes])
        _draw_prefectures(ax, sorted(set(frame.loc[frame["code"].isin(codes), "prefecture"])))

    fig, ax = _map_figure(8.2, 8.6)
    main = _main_codes(frame)
    draw(ax, main)
    _view(ax, main)
    _insets(fig, ax, frame, draw, lang)
    handles = [Patch(facecolor=_GROUP_PALETTE[0], label=say("map_member", lang))]
    years = sorted(int(y) for y in joiners.dropna().unique())
    handles += [Patch(facecolor=_YEAR_COLORS.get(y, _UNDETERMINED), label=say("map_planned", lang).format(fy=y))
                for y in years]
    if joiners.isna().any():
        handles.append(Patch(facecolor=_UNDETERMINED, label=say("map_planned_undetermined", lang)))
    handles.append(Patch(facecolor=_OTHER, edgecolor="#cccccc", label=say("map_other", lang)))
    handles.append(Line2D([], [], color=_PREF_EDGE, lw=0.8, label=say("map_prefecture_border", lang)))
    ax.legend(handles=handles, loc="upper left", fontsize=7, frameon=True)
    ax.set_title(say("map_groups_title", lang) + kinds.tag(lang, MEMBERS, PLANNED, BOUNDARIES))
    _attribution(fig, lang)
    return fig


def map_prefecture_share(shares: pd.DataFrame, lang: str = "ja") -> Figure:
    """A choropleth of the prefectures' share of municipalities in a joint cloud, with a colour bar."""
    import matplotlib as mpl
    from matplotlib.collections import PathCollection

    from jichitai_cloud.clean import maps

    ready(lang)
    pp = maps.prefecture_paths()
    values = shares.set_index("prefecture")["joint_cloud_share_pct"]
    cmap = mpl.colormaps["Blues"]
    norm = mpl.colors.Normalize(vmin=0, vmax=max(50.0, float(values.max())))
    names = [p for p in pp if p in values.index]

    def draw(ax, prefs):
        ax.add_collection(PathCollection([pp[p] for p in prefs], facecolors=[cmap(norm(values[p])) for p in prefs],
                                         edgecolors="#666666", linewidths=0.3))

    fig, ax = _map_figure(8.2, 8.2)
    draw(ax, [p for p in names if p != "沖縄県"])
    ext = [pp[p].get_extents() for p in names if p != "沖縄県"]
    ax.set_xlim(min(e.x0 for e in ext), max(e.x1 for e in ext))
    ax.set_ylim(min(e.y0 for e in ext), max(e.y1 for e in ext))
    inset = ax.inset_axes(_INSETS[0][4])
    inset.set_aspect("equal")
    inset.set_xticks([])
    inset.set_yticks([])
    draw(inset, ["沖縄県"])
    _lonlat_view(inset, _INSETS[0][3])
    inset.set_title(say("map_okinawa", lang), fontsize=7, pad=2)
    sm = mpl.cm.ScalarMappable(norm=norm, cmap=cmap)
    fig.colorbar(sm, ax=ax, shrink=0.5, label=say("map_share_bar", lang))
    ax.set_title(say("map_share_title", lang) + kinds.tag(lang, SHARE))
    _attribution(fig, lang)
    return fig


def map_prefecture(frame: pd.DataFrame, groups: pd.DataFrame, members: pd.DataFrame, planned: pd.DataFrame,
                   prefecture: str, lang: str = "ja") -> Figure:
    """One prefecture: its municipalities by status (each joint-cloud group in its own colour, named in the
    legend; planned joiners by target year; the others pale)."""
    from matplotlib.patches import Patch


    ready(lang)
    sub = frame[frame["prefecture"] == prefecture]
    gids = sorted(sub["joint_cloud_group_id"].dropna().astype(int).unique())
    palette = {g: _GROUP_PALETTE[k % len(_GROUP_PALETTE)] for k, g in enumerate(gids)}
    joiners = planned[(planned["prefecture"] == prefecture) & ~planned["already_member_2018_04"]]
    joiners = joiners.drop_duplicates("code").set_index("code")["target_fy"]
    fill = _membership_fill(sub, palette, joiners)
    fig, ax = _map_figure(8.0, 7.0)
    codes = sub["code"].tolist()
    _draw(ax, codes, fill, edge="#ffffff", linewidth=0.4)
    _draw_prefectures(ax, [prefecture], linewidth=0.8)
    main = [c for c in codes if c != "134210"] or codes  # 小笠原村 would shrink 東京都 to a dot
    _view(ax, main)
    names = vocab.group_names(groups, members, lang, with_id=True)
    handles = [Patch(facecolor=palette[g], label=names[int(g)]) for g in gids]
    years = sorted(int(y) for y in joiners.dropna().unique())
    handles += [Patch(facecolor=_YEAR_COLORS.get(y, _UNDETERMINED), label=say("map_planned", lang).format(fy=y))
                for y in years]
    if joiners.isna().any():
        handles.append(Patch(facecolor=_UNDETERMINED, label=say("map_planned_undetermined", lang)))
    handles.append(Patch(facecolor=_OTHER, edgecolor="#cccccc", label=say("map_other", lang)))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7, frameon=False)
    ax.set_title(say("map_pref_title", lang, prefecture=vocab.prefecture_name(prefecture, lang)) + kinds.tag(lang, MEMBERS, PLANNED, BOUNDARIES))
    _attribution(fig, lang, say("map_ogasawara_outside", lang) if "134210" in codes else "")
    return fig


def map_group(frame: pd.DataFrame, groups: pd.DataFrame, members: pd.DataFrame, group_id: int,
              lang: str = "ja") -> Figure:
    """A group's members highlighted within their prefecture(s); members of other groups shaded."""
    from matplotlib.patches import Patch


    ready(lang)
    mine = set(members.loc[members["group_id"] == group_id, "code"])
    prefs = sorted(set(frame.loc[frame["code"].isin(mine), "prefecture"]))
    sub = frame[frame["prefecture"].isin(prefs)]
    fill = [STATUS_COLORS["joint"] if c in mine else ("#c6dbef" if pd.notna(g) else _OTHER)
            for c, g in zip(sub["code"], sub["joint_cloud_group_id"])]
    fig, ax = _map_figure(8.0, 7.0)
    codes = sub["code"].tolist()
    _draw(ax, codes, fill, edge="#ffffff", linewidth=0.4)
    _draw_prefectures(ax, prefs, linewidth=0.8)
    _view(ax, [c for c in codes if c != "134210"] or codes)
    name = vocab.group_name(group_id, groups, members, lang)
    handles = [Patch(facecolor=STATUS_COLORS["joint"], label=say("map_group_member", lang)),
               Patch(facecolor="#c6dbef", label=say("map_other_group", lang)),
               Patch(facecolor=_OTHER, edgecolor="#cccccc", label=say("map_other", lang))]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7, frameon=False)
    ax.set_title(say("map_group_title", lang, group_id=group_id, name=name) + kinds.tag(lang, MEMBERS, BOUNDARIES))
    _attribution(fig, lang)
    return fig


def map_municipalities(frame: pd.DataFrame, column: str, lang: str = "ja", title: str | None = None,
                       cmap: str = "viridis", categorical: bool | None = None, label: str | None = None,
                       context: bool = True) -> Figure:
    """Any frame with a ``code`` column (e.g. a filtered ``jc.load(...)``), its municipalities coloured by
    ``column``: a colour bar for numbers, a legend for categories. ``context`` draws the rest of their
    prefectures pale. The title should say what the values are (公表値, 導出値, 実データ, シミュレーション)."""
    import matplotlib as mpl
    from matplotlib.patches import Patch

    from jichitai_cloud.clean import maps
    from jichitai_cloud.io import store

    ready(lang)
    if "code" not in frame.columns or column not in frame.columns:
        raise ParameterError(f"map_municipalities needs a 'code' column and the column {column!r}")
    known = maps.paths()
    data = frame[frame["code"].isin(known)].drop_duplicates("code")
    if data.empty:
        raise ParameterError("none of the frame's codes is one of the 1,741 municipalities")
    values = data[column]
    categorical = (not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values)) \
        if categorical is None else categorical
    fig, ax = _map_figure(8.0, 7.0)
    everything = store.read_table("municipalities")[["code", "prefecture"]]
    prefs = sorted(set(everything.loc[everything["code"].isin(data["code"]), "prefecture"]))
    if context:
        rest = everything[everything["prefecture"].isin(prefs) & ~everything["code"].isin(data["code"])]["code"]
        _draw(ax, rest.tolist(), [_OTHER] * len(rest))
    if categorical:
        cats = [c for c in pd.unique(values.astype(str))]
        palette = {c: _GROUP_PALETTE[k % len(_GROUP_PALETTE)] for k, c in enumerate(cats)}
        _draw(ax, data["code"].tolist(), [palette[str(v)] for v in values], linewidth=0.3)
        handles = [Patch(facecolor=palette[c], label=c) for c in cats]
        if context:
            handles.append(Patch(facecolor=_OTHER, edgecolor="#cccccc", label=say("map_no_value", lang)))
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7, frameon=False)
    else:
        norm = mpl.colors.Normalize(vmin=float(values.min()), vmax=float(values.max()))
        cm = mpl.colormaps[cmap]
        colours = ["#ffffff" if pd.isna(v) else cm(norm(float(v))) for v in values]
        _draw(ax, data["code"].tolist(), colours, linewidth=0.3)
        known = schema.field_for(column) is not None
        fig.colorbar(mpl.cm.ScalarMappable(norm=norm, cmap=cm), ax=ax, shrink=0.6,
                     label=label or (schema.header(column, lang, provenance=False) if known else column))
    _draw_prefectures(ax, prefs, linewidth=0.6)
    main = [c for c in data["code"] if c != "134210"] or data["code"].tolist()
    _view(ax, main)
    if title is None:
        if schema.field_for(column) is None and label is None:
            raise ParameterError(f"say what {column!r} is: pass title= with its kind of figure (公表値, 導出値, "
                                 f"実データ, シミュレーション), or label= (the title then says ［…］ only for registered "
                                 f"columns)")
        title = say("map_column_title", lang, column=label if label is not None
                    else schema.header(column, lang, survey_input=survey_kind()))
    ax.set_title(title)
    _attribution(fig, lang)
    return fig

