"""The build's cache on disk (io/cache.py): a value comes back only under its own key, and intact."""

import json

import pandas as pd

from jichitai_cloud.io import cache


def test_a_saved_value_comes_back_under_its_key_only(tmp_path):
    frame = pd.DataFrame({"code": ["011002", "131016"], "population_persons": [1_970_000, 67_000]})
    assert cache.save(tmp_path, "t", "k1", {"frame": frame, "total": 407}) is None
    back = cache.load(tmp_path, "t", "k1")
    pd.testing.assert_frame_equal(back["frame"], frame)
    assert back["total"] == 407 and cache.has(tmp_path, "t", "k1") and not cache.has(tmp_path, "t", "k2")
    assert cache.load(tmp_path, "t", "k2") is None  # another key: computed afresh
    assert cache.load(tmp_path, "other", "k1") is None
    assert [p.name for p in (tmp_path / cache.FOLDER).iterdir()] == ["t.k1.pickle"]  # no journal, no .part left


def test_a_damaged_or_foreign_cache_file_is_ignored(tmp_path):
    cache.save(tmp_path, "t", "k1", [1, 2, 3])
    path = tmp_path / cache.FOLDER / "t.k1.pickle"
    data = bytearray(path.read_bytes())
    data[-3] ^= 0xFF  # one flipped byte of the payload
    path.write_bytes(bytes(data))
    assert cache.load(tmp_path, "t", "k1") is None
    path.write_bytes(b"not a header\n")
    assert cache.load(tmp_path, "t", "k1") is None and not cache.has(tmp_path, "t", "k1")
    path.unlink()
    path.mkdir()  # not a regular file
    assert cache.load(tmp_path, "t", "k1") is None
    header = json.dumps({"key": "k1", "sha256": "0" * 64})
    (tmp_path / cache.FOLDER / "u.k1.pickle").write_bytes(header.encode() + b"\n" + b"payload")
    assert cache.load(tmp_path, "u", "k1") is None  # sha256 does not match


def test_the_values_of_the_last_two_keys_used_are_kept_and_only_its_own_files_removed(tmp_path):
    """Two keys kept (the current build's and the one kept before it): a third saved removes the one used
    least recently (loading or touching counts as use); files of other names, or not named as its own, stay."""
    import os

    keys = [c * 64 for c in "abcd"]
    folder = tmp_path / cache.FOLDER
    folder.mkdir()
    foreign = [folder / "notes.txt", folder / "t.pickle", folder / f"t.{keys[0][:16]}.pickle.bak",
               folder / f"t.{'e' * 16}.pickle", folder / f"t.{'f' * 16}.pickle"]
    for path in foreign:
        path.write_text("a user's file", encoding="utf-8")
    # named as its own, but not its own: no header of the cache's, or a key that is not the name's
    foreign[4].write_text('{"key": "' + "0" * 64 + '", "sha256": "x"}\nnot a pickle', encoding="utf-8")
    for path in foreign:
        os.utime(path, ns=(10**17, 10**17))  # older than anything saved: the first to go, were they its own
    for i, key in enumerate(keys[:2]):
        assert cache.save(tmp_path, "t", key, [i]) is None
        os.utime(folder / f"t.{key[:16]}.pickle", ns=(10**18 + i, 10**18 + i))  # saved in this order
    assert cache.save(tmp_path, "u", keys[0], ["u"]) is None  # another name: not counted, not removed
    assert cache.load(tmp_path, "t", keys[0]) == [0]  # used again: now the most recent
    assert cache.save(tmp_path, "t", keys[2], [2]) is None
    assert [k for k in keys if cache.has(tmp_path, "t", k)] == [keys[0], keys[2]]
    cache.touch(tmp_path, "t", keys[2])  # a build switched back to it
    cache.touch(tmp_path, "t", keys[1])  # none saved: nothing happens
    link = folder / f"t.{keys[1][:16]}.pickle"
    link.symlink_to(foreign[0])
    before = foreign[0].stat().st_mtime_ns
    os.utime(foreign[0], ns=(before - 10**9, before - 10**9))
    cache.touch(tmp_path, "t", keys[1])  # a link in its place: what it points to is not touched
    assert foreign[0].stat().st_mtime_ns == before - 10**9
    link.unlink()
    assert cache.save(tmp_path, "t", keys[3], [3]) is None
    assert [k for k in keys if cache.has(tmp_path, "t", k)] == [keys[2], keys[3]]
    assert cache.load(tmp_path, "u", keys[0]) == ["u"] and all(p.read_text(encoding="utf-8") for p in foreign)


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
