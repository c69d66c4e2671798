"""Processed tables: one build at a time, switched atomically, verified on every read."""

import hashlib
import json
import os

import pandas as pd
import pytest

from jichitai_cloud.io import store
from jichitai_cloud.registry import resources
from jichitai_cloud.registry.field import Field, Resource


@pytest.fixture(autouse=True)
def test_tables(monkeypatch):
    """Two small tables declared for these tests only (every table written must be declared)."""
    fields = ("class_id", "population_class_ja", "it_cost_total_oku_yen", "municipalities")
    for name in ("table_a", "table_b"):
        columns = {c: resources.FIELDS[c] for c in fields}
        columns["it_cost_total_oku_yen"] = Field("int64", "oku_yen", "published", "Total.", "総経費", "total", "総経費")
        monkeypatch.setitem(resources.RESOURCES, name, Resource(name, "A test table.", "試験用の表。", columns,
                                                                ("class_id",), stage="clean"))
        monkeypatch.setitem(store.TABLES, name, "A test table.")


@pytest.fixture
def frame():
    return pd.DataFrame({"class_id": [1, 2], "population_class_ja": ["２万人未満", "２～５万人未満"],
                         "it_cost_total_oku_yen": [487, 531], "municipalities": [3, 4]})


@pytest.fixture(autouse=True)
def fresh_pins():
    """Each test reads its folders as a new process would."""
    store._PINS.clear()
    store._MANIFESTS.clear()
    yield
    store._PINS.clear()
    store._MANIFESTS.clear()


def _tree(folder):
    """Every file and link under folder: path -> bytes (files) or 'link:target' (links)."""
    out = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = os.path.join(root, name)
            rel = os.path.relpath(path, folder)
            if os.path.islink(path):
                out[rel] = "link:" + os.readlink(path)
            elif os.path.isfile(path) and name != store.LOCK:
                with open(path, "rb") as fh:
                    out[rel] = fh.read()
    return out


def test_round_trip_and_bom_csv(tmp_path, frame):
    store.write_tables({"table_a": frame}, tmp_path)
    back = store.read_table("table_a", tmp_path)
    pd.testing.assert_frame_equal(back, frame)
    raw = (tmp_path / "table_a.csv").read_bytes()  # the stable path, through current/
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to read UTF-8 Japanese
    assert "２万人未満" in raw.decode("utf-8-sig")


def test_same_frame_same_bytes_same_build_id(tmp_path, frame):
    a, b = tmp_path / "a", tmp_path / "b"
    store.write_tables({"table_a": frame}, a)
    store.write_tables({"table_a": frame}, b)
    assert store.current_build(a) == store.current_build(b)
    for suffix in (".parquet", ".csv"):
        name = f"table_a{suffix}"
        assert (a / name).read_bytes() == (b / name).read_bytes()
    assert (a / "current" / store.MANIFEST).read_bytes() == (b / "current" / store.MANIFEST).read_bytes()


def test_the_manifest_records_each_files_sha256_and_the_inputs(tmp_path, frame):
    store.write_tables({"table_a": frame}, tmp_path, meta={"inputs": {"x.csv": "0" * 64}})
    build = store.current_build(tmp_path)
    doc = json.loads((tmp_path / "builds" / build / store.MANIFEST).read_text(encoding="utf-8"))
    assert doc["build_id"] == build and doc["inputs"] == {"x.csv": "0" * 64}
    for kind in ("parquet", "csv"):
        path = tmp_path / "builds" / build / f"table_a.{kind}"
        assert doc["tables"]["table_a"][kind]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert "time" not in json.dumps(doc)  # nothing that differs between two identical builds


def test_a_failed_write_changes_nothing(tmp_path, frame, monkeypatch):
    store.write_tables({"table_a": frame}, tmp_path)
    before = _tree(tmp_path)

    calls = []

    def failing_csv(df, path):
        calls.append(path)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        df.to_csv(path)

    monkeypatch.setattr(store, "_write_csv", failing_csv)
    changed = frame.assign(it_cost_total_oku_yen=[1, 2])
    with pytest.raises(store.StoreError, match=r"could not write .*table_b\.csv: No space left on "
                                               r"device \(the disk is full, or a file-size limit was reached\); "
                                               r"nothing was switched, data/processed still holds build"):
        store.write_tables({"table_a": changed, "table_b": changed}, tmp_path)
    assert _tree(tmp_path) == before  # no table replaced, no staging folder left behind
    pd.testing.assert_frame_equal(store.read_table("table_a", tmp_path), frame)


def test_a_new_build_replaces_all_tables_at_once_and_keeps_one_previous(tmp_path, frame):
    builds = []
    for k in range(3):
        store.write_tables({"table_a": frame.assign(municipalities=k),
                            "table_b": frame.assign(municipalities=k)}, tmp_path)
        builds.append(store.current_build(tmp_path))
    assert len(set(builds)) == 3
    assert sorted(p.name for p in (tmp_path / "builds").iterdir()) == sorted(builds[1:])  # current + previous
    store._PINS.clear()
    for name in ("table_a", "table_b"):
        assert store.read_table(name, tmp_path)["municipalities"].tolist() == [2, 2]


def test_a_killed_builds_staging_is_removed_by_the_next_build_and_nothing_else(tmp_path, frame):
    """Issue 18: the next build removes what a killed build recorded in its journal, never a path found by
    its name: another program's (or clone's) .staging-* and .part files, and folders that are no build, stay."""
    from jichitai_cloud.io.journal import Journal

    store.write_tables({"table_a": frame}, tmp_path)
    killed = Journal(tmp_path).make_dir(tmp_path / "builds", ".staging-")  # as a build killed while writing leaves it
    (killed / "survey.parquet").write_bytes(b"half")
    foreign = [tmp_path / "builds" / ".staging-killed", tmp_path / ".staging-oldlayout", tmp_path / "builds" / "notes",
               tmp_path / "builds" / "0123456789abcdef"]  # a build id's shape, but no manifest of ours
    for folder in foreign:
        folder.mkdir()
        (folder / "keep.txt").write_text("not the build's", encoding="utf-8")
    (tmp_path / "builds" / ".download.part").write_text("partial", encoding="utf-8")
    for k in range(3):  # more builds than are kept: older complete builds go, the foreign folders stay
        store.write_tables({"table_a": frame.assign(municipalities=[5 + k, 4])}, tmp_path)
    assert not killed.exists() and not (tmp_path / ".cleanup.journal").exists()
    assert all((folder / "keep.txt").is_file() for folder in foreign)
    assert (tmp_path / "builds" / ".download.part").read_text(encoding="utf-8") == "partial"
    builds = [p for p in (tmp_path / "builds").iterdir() if store._is_build(p)]
    assert len(builds) == 2  # the current build and the one before


@pytest.mark.parametrize("damage", ["truncate", "flip"])
def test_a_damaged_table_is_refused_with_a_message_to_rebuild(tmp_path, frame, damage):
    store.write_tables({"table_a": frame}, tmp_path)
    path = tmp_path / "builds" / store.current_build(tmp_path) / "table_a.parquet"
    data = bytearray(path.read_bytes())
    if damage == "truncate":
        data = data[: len(data) // 2]
    else:  # one byte inside the data pages: Parquet itself may well read it without complaint
        data[len(data) // 3] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(store.StoreError, match=r"table_a\.parquet is damaged .*run `jichitai-cloud "
                                               r"build`"):
        store.read_table("table_a", tmp_path)
    assert store.verify_build(tmp_path, store.current_build(tmp_path))


def test_a_damaged_current_build_is_repaired_by_rebuilding_it(tmp_path, frame):
    store.write_tables({"table_a": frame}, tmp_path)
    build = store.current_build(tmp_path)
    (tmp_path / "builds" / build / "table_a.parquet").write_bytes(b"")
    store.write_tables({"table_a": frame}, tmp_path)  # same inputs, same id
    assert store.current_build(tmp_path) == build and store.verify_build(tmp_path, build) == []
    pd.testing.assert_frame_equal(store.read_table("table_a", tmp_path), frame)


def test_a_process_stays_on_the_build_it_first_read(tmp_path, frame, monkeypatch):
    store.write_tables({"table_a": frame}, tmp_path)
    store._PINS.clear()
    store.read_table("table_a", tmp_path)
    # another process rebuilds: simulate it by switching the link behind this process's back
    other = tmp_path / "other"
    store.write_tables({"table_a": frame.assign(class_id=[5, 6])}, other)
    new = store.current_build(other)
    os.rename(other / "builds" / new, tmp_path / "builds" / new)
    store._switch(tmp_path, new)
    with pytest.raises(store.StoreError, match=r"rebuilt since this process first read it .*restart the kernel"):
        store.read_table("table_a", tmp_path)


def test_a_pinned_run_refuses_another_build(tmp_path, frame, monkeypatch):
    from jichitai_cloud import paths

    monkeypatch.setattr(paths, "PROCESSED_DIR", tmp_path)
    store.write_tables({"table_a": frame}, tmp_path)
    monkeypatch.setenv(store.BUILD_ENV, "0123456789abcdef")
    with pytest.raises(store.StoreError, match=r"rebuilt during this run .*build 0123456789abcdef"):
        store.read_table("table_a")


def test_unknown_names_and_missing_builds_are_refused(tmp_path, frame):
    with pytest.raises(store.StoreError, match="unknown table"):
        store.write_tables({"not_a_table": frame}, tmp_path)
    with pytest.raises(KeyError, match="known tables"):
        store.read_table("not_a_table")
    with pytest.raises(store.StoreError, match=r"holds no complete build; run `jichitai-cloud build`"):
        store.read_table("reconciliation", tmp_path)
    store.write_tables({"table_a": frame}, tmp_path)
    with pytest.raises(store.StoreError, match=r"table 'reconciliation' is not in build"):
        store.read_table("reconciliation", tmp_path)


def test_writing_some_tables_keeps_the_others_of_the_current_build(tmp_path, frame):
    """A command that writes a few tables (a simulation study, say) adds them: the rest of the build stays."""
    store.write_tables({"table_a": frame, "table_b": frame}, tmp_path,
                       meta={"survey": {"input": "simulated"}})
    first = store.current_build(tmp_path)
    kept = (tmp_path / "builds" / first / "table_b.parquet").read_bytes()
    store.write_tables({"table_a": frame.assign(class_id=[3, 4])}, tmp_path)
    second = store.current_build(tmp_path)
    assert second != first
    doc = store.manifest(tmp_path, second)
    assert doc["survey"] == {"input": "simulated"}  # the manifest's other entries are kept too
    assert (tmp_path / "builds" / second / "table_b.parquet").read_bytes() == kept
    assert store.verify_build(tmp_path, second) == []
    assert store.read_table("table_a", tmp_path)["class_id"].tolist() == [3, 4]


def test_a_table_computed_from_an_older_build_is_refused(tmp_path, frame):
    store.write_tables({"table_a": frame}, tmp_path)
    old = store.current_build(tmp_path)
    store.write_tables({"table_a": frame.assign(class_id=[3, 4])}, tmp_path)
    with pytest.raises(store.StoreError, match=rf"rebuilt while this ran \(it read build {old}"):
        store.write_tables({"table_b": frame}, tmp_path, based_on=old)


def test_a_damaged_table_is_not_carried_into_the_next_build(tmp_path, frame):
    store.write_tables({"table_a": frame, "table_b": frame}, tmp_path)
    first = store.current_build(tmp_path)
    (tmp_path / "builds" / first / "table_b.csv").write_text("altered", encoding="utf-8")
    store.write_tables({"table_a": frame.assign(class_id=[3, 4])}, tmp_path)
    second = store.current_build(tmp_path)
    assert store.manifest(tmp_path, second)["not_carried"] == {"table_b": f"damaged in build {first}"}
    assert store.verify_build(tmp_path, second) == []
    with pytest.raises(store.StoreError, match=r"table 'table_b' is not in build"):
        store.read_table("table_b", tmp_path)


@pytest.mark.parametrize("change, message", [
    (lambda f: f.assign(municipalities=["3", "4"]), r"table table_a does not match its declaration .*'municipalities'"),
    (lambda f: f.drop(columns="municipalities"), r"table table_a does not match its declaration .*municipalities"),
    (lambda f: f.assign(extra=1), r"table table_a does not match its declaration .*extra"),
    (lambda f: f.assign(class_id=[1, 1]), r"table table_a does not match its declaration"),
    (lambda f: f.assign(class_id=[1, 7]), r"table table_a does not match its declaration in the registry: index 1, "
                                          r"column class_id: 7 is not one of 1, 2, 3, 4, 5, 6; nothing was written"),
])
def test_a_table_that_does_not_match_its_declaration_is_refused_and_nothing_is_written(tmp_path, frame, change,
                                                                                      message):
    store.write_tables({"table_a": frame}, tmp_path)
    before = _tree(tmp_path)
    with pytest.raises(store.StoreError, match=message):
        store.write_tables({"table_b": frame, "table_a": change(frame)}, tmp_path)
    assert _tree(tmp_path) == before



def test_a_table_with_geometry_is_stored_as_geoparquet_only_with_its_crs(tmp_path, monkeypatch):
    import geopandas as gpd
    import shapely

    monkeypatch.setitem(resources.RESOURCES, "table_geo", Resource(
        "table_geo", "A test map.", "試験用の地図。",
        {"code": resources.FIELDS["code"], "geometry": Field("geometry", "", "real", "Shape.", "形", "shape", "形")},
        ("code",), stage="clean"))
    monkeypatch.setitem(store.TABLES, "table_geo", "A test map.")
    shapes = gpd.GeoDataFrame({"code": ["011002", "131016"],
                               "geometry": [shapely.box(0, 0, 1, 1), shapely.box(1, 1, 3, 2)]}, crs="EPSG:4326")
    store.write_tables({"table_geo": shapes}, tmp_path)
    back = store.read_table("table_geo", tmp_path)
    assert isinstance(back, gpd.GeoDataFrame) and back.crs.to_epsg() == 4326
    assert back.geometry.equals(shapes.geometry)
    build = tmp_path / "builds" / store.current_build(tmp_path)
    assert (build / "table_geo.parquet").exists() and not (build / "table_geo.csv").exists()
    assert set(store.manifest(tmp_path)["tables"]["table_geo"]) == {"parquet"}
    assert store.verify_build(tmp_path) == []
    with pytest.raises(store.StoreError, match="must be a GeoDataFrame with its CRS"):
        store.write_tables({"table_geo": pd.DataFrame(shapes)}, tmp_path)
