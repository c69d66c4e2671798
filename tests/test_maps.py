"""Maps: the boundaries read, cleaned and simplified once by the build, and every map's attribution."""

import geopandas as gpd
import numpy as np
import pytest
import shapely

from jichitai_cloud.clean import maps
from jichitai_cloud.report import plots
from jichitai_cloud.io import store


def _has_attribution(fig, lang):
    """The attribution line under a map (wrapped to the figure's width: compared without line breaks)."""
    wanted = "".join(maps.ATTRIBUTION[0 if lang == "ja" else 1].split())
    return any(wanted in "".join(t.get_text().split()) for t in fig.texts)


def test_codes_gain_their_check_digit():
    # 千代田区 13101 -> 131016; 札幌市 01100 -> 011002 (the 総務省 rule: weights 6..2, mod 11)
    assert maps.code6("13101") == "131016" and maps.code6("01100") == "011002"
    assert maps.code6("") is None and maps.code6(None) is None


def test_a_polygon_with_a_hole_becomes_one_path_with_both_rings():
    outer = [(0, 0), (4, 0), (4, 4), (0, 4), (0, 0)]
    hole = [(1, 1), (2, 1), (2, 2), (1, 2), (1, 1)]
    path = maps.path_of(shapely.Polygon(outer, [hole]))
    assert len(path.vertices) == 10 and (path.codes == path.MOVETO).sum() == 2
    # drawn as the maps draw it: the polygon filled, its hole left empty
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import PathCollection
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4, 4), dpi=50)
    ax = fig.add_axes([0, 0, 1, 1], xlim=(0, 4), ylim=(0, 4))
    ax.set_axis_off()
    ax.add_collection(PathCollection([path], facecolors=["black"], edgecolors="none"))
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    img = np.asarray(canvas.buffer_rgba())
    h, w = img.shape[:2]
    pixel = lambda x, y: tuple(img[int(h - y / 4 * h), int(x / 4 * w)][:3])  # noqa: E731
    assert pixel(3, 3) == (0, 0, 0) and pixel(1.5, 1.5) == (255, 255, 255)


def test_a_self_touching_ring_is_repaired_into_polygons_only():
    bow = shapely.Polygon([(0, 0), (2, 2), (2, 0), (0, 2), (0, 0)])  # a bow tie, invalid
    fixed = maps._polygonal(bow)
    assert fixed.is_valid and fixed.geom_type == "MultiPolygon" and fixed.area == pytest.approx(2.0)


@pytest.mark.slow
def test_pyogrio_reads_the_topojson_with_its_crs_set():
    raw = maps.read_raw()
    assert len(raw) == 1741 + 10 and str(raw.crs) == maps.CRS  # the file states none: set explicitly
    assert raw.geometry.notna().all()


@pytest.mark.slow
def test_the_boundaries_table_has_every_municipality_once_simplified_and_projected():
    b = store.read_table("boundaries")
    frame = store.read_table("municipalities")
    assert len(b) == 1741 and b["code"].is_unique and set(b["code"]) == set(frame["code"])
    assert b.crs.to_epsg() == 4326 and b["drawing"].crs is not None and b["drawing"].crs.to_epsg() is None
    assert b.geometry.is_valid.all() and b["drawing"].is_valid.all()
    # simplified once: the build's geometry has fewer vertices than the raw file's
    raw = maps.read_raw()
    assert shapely.get_num_coordinates(b.geometry.values).sum() < shapely.get_num_coordinates(raw.geometry.values).sum()
    # the projection is the one declared (a point of 長野県 lands where pyproj puts it)
    nagano = b[b["code"] == "202011"].iloc[0]
    again = gpd.GeoSeries([nagano.geometry], crs=maps.CRS).to_crs(maps.DRAWING_CRS).iloc[0]
    assert again.equals_exact(nagano["drawing"], tolerance=1e-6)
    prefs = store.read_table("boundaries_prefectures")
    assert len(prefs) == 47 and prefs["drawing"].is_valid.all()


@pytest.mark.slow
def test_the_ten_left_out_geometries_are_reported_and_explained():
    rec = store.read_table("reconciliation").set_index("check_id")
    assert rec.loc["boundaries.matched", "status"] == "ok"
    assert rec.loc["boundaries.left_out", "computed"] == 10 and rec.loc["boundaries.left_out", "explanation"]
    assert rec.loc["boundaries.left_out_other", "status"] == "ok"


@pytest.mark.slow
def test_map_municipalities_draws_a_filtered_frame_with_its_kind_and_attribution():
    p = store.read_table("evidence_membership_predictions")
    gifu = p[p["prefecture"] == "岐阜県"]
    fig = plots.map_municipalities(gifu, "predicted_probability", "ja")
    texts = [t.get_text() for t in fig.texts] + [fig.axes[0].get_title()]
    assert any("［導出値］" in t for t in texts)
    assert _has_attribution(fig, "ja")
    drawn = sum(len(c.get_paths()) for c in fig.axes[0].collections)
    assert drawn >= len(gifu)  # the prefecture's municipalities (and its outline)
    en = plots.map_municipalities(gifu.assign(member=np.where(gifu["member_2018_04_01"], "member", "not")), "member",
                                  "en", title="Members [real]")
    assert en.axes[0].get_legend() is not None and _has_attribution(en, "en")
    with pytest.raises(ValueError, match="needs a 'code' column"):
        plots.map_municipalities(gifu.drop(columns="code"), "predicted_probability")
    with pytest.raises(ValueError, match="say what 'x' is"):
        plots.map_municipalities(gifu.assign(x=1.0), "x")


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_report_map_carries_the_attribution_line(lang):
    from jichitai_cloud.clean import municipalities

    load = store.read_table
    frame, groups, members, planned = (load("municipalities"), load("cloud_groups"), load("cloud_group_members"),
                                       load("planned_joins"))
    figures = [plots.map_groups(frame, planned, lang),
               plots.map_prefecture_share(municipalities.joint_share_by_prefecture(frame), lang),
               plots.map_prefecture(frame, groups, members, planned, "北海道", lang),
               plots.map_group(frame, groups, members, 30, lang)]
    for fig in figures:
        assert _has_attribution(fig, lang)
        title = fig.axes[0].get_title() or (fig._suptitle.get_text() if fig._suptitle else "")
        assert ("［" in title) if lang == "ja" else ("[" in title)
