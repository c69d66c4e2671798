"""Stage 5a, maps: municipal boundaries, cleaned and simplified once at build time, and drawn fast.

Input: CODH 「歴史的行政区域データセットβ版」 (geoshape), 日本 市区町村（政令指定都市統合版）:粗解像度 TopoJSON
as of 2017-01-01, derived from 国土交通省「国土数値情報（行政区域データ）」 (CC BY-SA 4.0). Read with
geopandas through pyogrio; the file states no CRS, so EPSG:4326 is set explicitly (JGD2000 longitude/
latitude, the same as WGS84 at this resolution).

The build keeps the 1,741 survey municipalities, keyed by the 6-digit code (the file's 5-digit code
plus its check digit), and leaves out the ten other geometries (the six 北方領土 villages and four
所属未定地), reported in the reconciliation. It repairs the few self-touching rings TopoJSON's
quantisation leaves, simplifies the whole coverage at once (shared borders stay shared, no slivers)
and projects it for drawing (a Lambert conformal conic centred on Japan): readers never simplify or
project. Drawing converts each municipality to a matplotlib Path once per process and reuses it.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from jichitai_cloud.clean import checks
from jichitai_cloud.clean import municipalities
from jichitai_cloud.io import sources
from jichitai_cloud.registry import vocab

BOUNDARIES = "boundaries/jp_city_dc_2017-01-01.c.topojson"
CRS = "EPSG:4326"
DRAWING_CRS = ("+proj=lcc +lat_1=33 +lat_2=43 +lat_0=36 +lon_0=137 +x_0=0 +y_0=0 +ellps=GRS80 +units=m +no_defs")
SIMPLIFY_DEGREES = 0.002  # about 200 m: invisible on a national or prefecture map
ATTRIBUTION = ("境界：国土交通省「国土数値情報（行政区域データ）」をもとにNIIが加工、CC BY-SA 4.0",
               "Boundaries: 国土交通省「国土数値情報（行政区域データ）」をもとにNIIが加工 (MLIT National Land Numerical "
               "Information, administrative areas, processed by NII/CODH), CC BY-SA 4.0")
NORTHERN_TERRITORIES_5 = ("01695", "01700")  # the six 北方領土 villages, codes without the check digit


def read_raw():
    """The TopoJSON as a GeoDataFrame (pyogrio), with its CRS set (the file states none)."""
    import geopandas as gpd

    path = sources.raw_path(BOUNDARIES)
    try:
        raw = gpd.read_file(path, engine="pyogrio")
    except Exception as exc:  # pyogrio/GDAL errors: name the file
        raise sources.SourceError(f"{path}: cannot read the boundaries ({type(exc).__name__}: {exc})") from None
    if "N03_007" not in raw.columns:
        raise sources.SourceError(f"{path}: no N03_007 (municipality code) property")
    return raw.set_crs(CRS, allow_override=False)


def code6(code5: object) -> str | None:
    """The 6-digit 全国地方公共団体コード of a 5-digit one (None for an empty code)."""
    if not isinstance(code5, str) or not code5.strip():
        return None
    return code5 + str(municipalities.check_digit(code5))


def _polygonal(geom):
    """A valid MultiPolygon from a geometry whose rings TopoJSON's quantisation may have made
    self-touching (make_valid can return collections with lines: only the polygons are kept)."""
    import shapely

    fixed = shapely.make_valid(geom)
    parts = [p for q in shapely.get_parts(fixed) if q.geom_type in ("Polygon", "MultiPolygon")
             for p in shapely.get_parts(q)]
    return shapely.MultiPolygon(parts)


def boundaries(frame: pd.DataFrame, raw=None):
    """The 1,741 municipalities' boundaries: code, prefecture, name, ``geometry`` (EPSG:4326, simplified)
    and ``drawing`` (the same, projected for drawing), in code order; and the left-out rows."""
    import geopandas as gpd
    import shapely

    raw = read_raw() if raw is None else raw
    raw = raw.assign(code=[code6(c) for c in raw["N03_007"]])
    geoms = np.array([_polygonal(g) for g in raw.geometry.values], dtype=object)
    simplified = shapely.coverage_simplify(geoms, SIMPLIFY_DEGREES)
    raw = raw.set_geometry(gpd.GeoSeries(simplified, crs=CRS, index=raw.index))
    keep = raw["code"].isin(set(frame["code"]))
    kept = raw[keep]
    if kept["code"].duplicated().any():
        dup = kept.loc[kept["code"].duplicated(), "code"].tolist()[:5]
        raise sources.SourceError(f"{BOUNDARIES}: more than one geometry for the codes {dup}")
    out = frame[["code", "prefecture", "name"]].merge(kept[["code", "geometry"]], on="code", how="left")
    missing = out.loc[out["geometry"].isna(), "code"].tolist()
    if missing:
        raise sources.SourceError(f"{BOUNDARIES}: no geometry for {vocab.count(len(missing), 'municipality')}, e.g. {missing[:5]}")
    out = gpd.GeoDataFrame(out, geometry="geometry", crs=CRS)
    out["drawing"] = out.geometry.to_crs(DRAWING_CRS)
    left_out = raw.loc[~keep, ["N03_001", "N03_004", "N03_007"]].rename(
        columns={"N03_001": "prefecture", "N03_004": "name_as_written", "N03_007": "code5"})
    return out.sort_values("code").reset_index(drop=True), left_out.reset_index(drop=True)


def prefecture_layer(b):
    """The 47 prefectures as the union of their municipalities (projected): the base layer every map draws."""
    import geopandas as gpd
    import shapely

    rows = []
    for pref in municipalities.PREFECTURES:
        geoms = b.loc[b["prefecture"] == pref, "drawing"].values
        # a plain union on a 10 m grid: the coverage is not noded exactly enough for coverage_union
        rows.append({"prefecture": pref, "drawing": shapely.union_all(geoms, grid_size=10.0)})
    return gpd.GeoDataFrame(rows, geometry="drawing", crs=DRAWING_CRS)


EXPLANATIONS = {
    "boundaries.left_out": (
        "The boundary file also holds the six villages of the Northern Territories (codes 01695-01700, no residents) "
        "and four pieces of land not yet assigned to a municipality (no code), which are not survey municipalities "
        "and are left out.",
        "境界データには北方領土の6村（コード01695～01700、住民なし）と所属未定地4件（コードなし）も含まれるが、調査対象の"
        "市区町村ではないため除いた。"),
}


def reconcile(b, left_out: pd.DataFrame, frame: pd.DataFrame) -> list[checks.Check]:
    """The boundaries against the municipality frame: every municipality has one, and what is left out
    is only the northern territories and land not assigned to a municipality."""
    topic = "municipal boundaries"
    src = f"{BOUNDARIES}"
    lo, hi = NORTHERN_TERRITORIES_5
    northern = left_out["code5"].fillna("").between(lo, hi)
    unassigned = left_out["code5"].isna()
    return [
        checks.exact("boundaries.matched", topic, ("municipalities with a boundary = the frame's",
                                                   "境界のある市区町村の数＝市区町村の数"),
                     len(frame), int(b["geometry"].notna().sum()), "municipalities", "municipalities", src),
        checks.exact("boundaries.left_out", topic, ("geometries left out (not survey municipalities)",
                                                    "除いた境界（調査対象外）"),
                     0, len(left_out), "geometries", "expected: one geometry per municipality", src),
        checks.exact("boundaries.left_out_other", topic,
                     ("left-out geometries that are neither Northern Territories villages nor unassigned land",
                      "除いた境界のうち北方領土・所属未定地以外"),
                     0, int((~northern & ~unassigned).sum()), "geometries", "expected", src),
    ]


# --- drawing -------------------------------------------------------------------------------------------

def path_of(geom):
    """A matplotlib Path of a (Multi)Polygon: every ring closed; exteriors counter-clockwise and holes
    clockwise, so that matplotlib's nonzero filling leaves the holes empty."""
    from matplotlib.path import Path
    from shapely.geometry.polygon import orient

    verts, kinds = [], []
    for poly in getattr(geom, "geoms", [geom]):
        poly = orient(poly, sign=1.0)
        for ring in [poly.exterior, *poly.interiors]:
            xy = np.asarray(ring.coords)[:, :2]
            verts.append(xy)
            k = np.full(len(xy), Path.LINETO, dtype=np.uint8)
            k[0], k[-1] = Path.MOVETO, Path.CLOSEPOLY
            kinds.append(k)
    return Path(np.concatenate(verts), np.concatenate(kinds))


def _drawing_geometries(table: str, key: str) -> dict:
    """key -> projected geometry of a boundary table, decoded from its GeoParquet's WKB with shapely alone:
    drawing needs neither geopandas nor pyproj (the projection was done by the build)."""
    import io

    import pyarrow.parquet as pq
    import shapely

    from jichitai_cloud.io import store

    data = store._verified_bytes(table, "parquet", None)
    t = pq.read_table(io.BytesIO(data), columns=[key, "drawing"])
    return dict(zip(t.column(key).to_pylist(), shapely.from_wkb(t.column("drawing").to_pylist())))


@lru_cache(maxsize=4)
def _paths(build_id: str) -> dict:
    """code -> Path of its projected boundary, built once per process and build."""
    return {code: path_of(geom) for code, geom in _drawing_geometries("boundaries", "code").items()}


@lru_cache(maxsize=4)
def _prefecture_paths(build_id: str) -> dict:
    """prefecture -> Path of its projected outline, built once per process and build."""
    return {pref: path_of(geom) for pref, geom in _drawing_geometries("boundaries_prefectures", "prefecture").items()}


def _token() -> str:
    """The build every read of this process uses: the cached paths follow it."""
    from jichitai_cloud.io import store

    return store.pinned_build()


def paths() -> dict:
    return _paths(_token())


def prefecture_paths() -> dict:
    return _prefecture_paths(_token())


@lru_cache(maxsize=4)
def _extents(build_id: str) -> dict:
    """code -> (xmin, ymin, xmax, ymax) of its projected boundary, once per process and build."""
    return {code: (*p.vertices.min(axis=0), *p.vertices.max(axis=0)) for code, p in _paths(build_id).items()}


def extents() -> dict:
    return _extents(_token())


def bounds_of(codes) -> tuple[float, float, float, float]:
    """(xmin, ymin, xmax, ymax) of these municipalities' projected boundaries."""
    e = extents()
    boxes = np.array([e[c] for c in codes])
    return (float(boxes[:, 0].min()), float(boxes[:, 1].min()), float(boxes[:, 2].max()), float(boxes[:, 3].max()))
