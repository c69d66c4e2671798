"""The build's cache on disk (io/cache.py): a value comes back only under its own key, and intact."""

import json

import pandas as pd

from jichitai_cloud.io import cache


def test_a_saved_value_comes_back_under_its_key_only(tmp_path):
    frame = pd.DataFrame({"code": ["011002", "131016"], "population_persons": [1_970_000, 67_000]})
    assert cache.save(tmp_path, "t", "k1", {"frame": frame, "total": 407}) is None
    back = cache.load(tmp_path, "t", "k1")
    pd.testing.assert_frame_equal(back["frame"], frame)
    assert back["total"] == 407 and cache.stored_key(tmp_path, "t") == "k1"
    assert cache.load(tmp_path, "t", "k2") is None  # another key: computed afresh
    assert cache.load(tmp_path, "other", "k1") is None
    assert [p.name for p in (tmp_path / cache.FOLDER).iterdir()] == ["t.pickle"]  # no journal, no .part left


def test_a_damaged_or_foreign_cache_file_is_ignored(tmp_path):
    cache.save(tmp_path, "t", "k1", [1, 2, 3])
    path = tmp_path / cache.FOLDER / "t.pickle"
    data = bytearray(path.read_bytes())
    data[-3] ^= 0xFF  # one flipped byte of the payload
    path.write_bytes(bytes(data))
    assert cache.load(tmp_path, "t", "k1") is None
    path.write_bytes(b"not a header\n")
    assert cache.load(tmp_path, "t", "k1") is None and cache.stored_key(tmp_path, "t") is None
    path.unlink()
    path.mkdir()  # not a regular file
    assert cache.load(tmp_path, "t", "k1") is None
    header = json.dumps({"key": "k1", "sha256": "0" * 64})
    (tmp_path / cache.FOLDER / "u.pickle").write_bytes(header.encode() + b"\n" + b"payload")
    assert cache.load(tmp_path, "u", "k1") is None  # sha256 does not match


def test_the_key_changes_with_every_part_and_with_the_code(monkeypatch):
    assert cache.key_of([("a.csv", "00")]) == cache.key_of([("a.csv", "00")])
    assert cache.key_of([("a.csv", "00")]) != cache.key_of([("a.csv", "01")])
    before = cache.key_of([("a.csv", "00")])
    monkeypatch.setattr(cache, "code_fingerprint", lambda: "another version of the code")
    assert cache.key_of([("a.csv", "00")]) != before


def test_a_cache_that_cannot_be_written_costs_only_time(tmp_path):
    (tmp_path / cache.FOLDER).write_text("a file where the folder should be", encoding="utf-8")
    problem = cache.save(tmp_path, "t", "k1", [1])
    assert problem and problem.startswith("the build's cache was not saved (") and "computes those tables again" in problem
