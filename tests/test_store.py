import pandas as pd
import pytest

from jichitai_cloud import store


@pytest.fixture
def frame():
    return pd.DataFrame({"class_id": [1, 2], "population_class_ja": ["２万人未満", "２～５万人未満"],
                         "it_cost_total_oku_yen": [487, 531]})


def test_round_trip_and_bom_csv(tmp_path, frame):
    store.write_tables({"published_cost_by_class": frame}, tmp_path)
    back = store.read_table("published_cost_by_class", tmp_path)
    pd.testing.assert_frame_equal(back, frame)
    raw = (tmp_path / "published_cost_by_class.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to read UTF-8 Japanese
    assert "２万人未満" in raw.decode("utf-8-sig")


def test_same_frame_same_bytes(tmp_path, frame):
    a, b = tmp_path / "a", tmp_path / "b"
    store.write_tables({"published_cost_by_class": frame}, a)
    store.write_tables({"published_cost_by_class": frame}, b)
    for suffix in (".parquet", ".csv"):
        name = f"published_cost_by_class{suffix}"
        assert (a / name).read_bytes() == (b / name).read_bytes()


def test_a_failed_write_changes_nothing(tmp_path, frame, monkeypatch):
    store.write_tables({"published_cost_by_class": frame}, tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    calls = []

    def failing_csv(df, path):
        calls.append(path)
        if len(calls) == 2:
            raise OSError("disk full")
        df.to_csv(path)

    monkeypatch.setattr(store, "_write_csv", failing_csv)
    changed = frame.assign(it_cost_total_oku_yen=[1, 2])
    with pytest.raises(OSError, match="disk full"):
        store.write_tables({"published_cost_by_class": changed, "published_status_counts": changed}, tmp_path)
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert after == before  # no table replaced, no staging folder left behind


def test_unknown_names_are_refused(tmp_path, frame):
    with pytest.raises(store.StoreError, match="unknown table"):
        store.write_tables({"not_a_table": frame}, tmp_path)
    with pytest.raises(KeyError, match="known tables"):
        store.read_table("not_a_table")
    with pytest.raises(store.StoreError, match="run `jichitai-cloud build`"):
        store.read_table("reconciliation", tmp_path)
