import json
from pathlib import Path

import pytest

from jichitai_cloud import build, paths
from jichitai_cloud.clean import checks
from jichitai_cloud.io import store

pytestmark = [pytest.mark.slow, pytest.mark.data]


def _copy_of_processed(folder):
    """``folder``: a copy of data/processed (its current build, made by `make test`'s build from the same inputs
    and code, and its cache of survey-free tables), without its lock file."""
    import shutil

    shutil.copytree(paths.PROCESSED_DIR, folder, symlinks=True, ignore=shutil.ignore_patterns(store.LOCK))
    return folder


def _files(folder):
    """The files of a build folder (tables and manifest): name -> bytes."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_survey_free_tables_computed_from_nothing_are_exactly_the_cached_ones(processed_copy, monkeypatch):
    """A build reads the survey-free tables from data/processed's cache (io/cache.py) when their key matches.
    Computed from nothing (no tables in memory, no cache on disk) they are exactly the cached ones, attrs
    included: so a build from the cache writes what a build from nothing writes (and the next test checks that
    a build from the cache writes the bytes of the build in data/processed)."""
    import pandas as pd

    from jichitai_cloud.clean import published
    from jichitai_cloud.io import cache, sources

    entries = sources.verify()
    # read from a copy of data/processed: reading marks the cache entry used (io/cache.py), and only a build
    # holding the real one's lock may do that
    assert cache.has(processed_copy, build._CACHE_NAME, build._survey_free_key(entries)), "no cache: `make build`"
    build._SURVEY_FREE.clear()
    with monkeypatch.context() as m:
        m.setattr(published, "tables", lambda: pytest.fail("computed what the cache holds"))
        cached = build.survey_free_tables(entries, processed_copy)
    build._SURVEY_FREE.clear()  # filled again below, for the tests after this one
    computed = build.survey_free_tables(entries)
    assert sorted(computed[0]) == sorted(cached[0])
    for name in computed[0]:
        a, b = computed[0][name], cached[0][name]
        assert type(a) is type(b) and a.attrs == b.attrs, name
        pd.testing.assert_frame_equal(a, b, check_exact=True, check_flags=True, obj=name)
    pd.testing.assert_frame_equal(computed[1], cached[1], check_exact=True)  # the municipality frame
    pd.testing.assert_frame_equal(computed[2], cached[2], check_exact=True)  # boundaries left out
    assert computed[3] == cached[3]  # the group list's stated total


def test_the_build_in_data_processed_holds_every_table_and_verifies():
    """Every registered table, Parquet and CSV (the map geometry Parquet only), the codebook, and a manifest of
    what it was made from; every file's sha256 as recorded."""
    current = store.current_build(paths.PROCESSED_DIR)
    files = _files(paths.PROCESSED_DIR / store.BUILDS / current)
    assert sorted(files) == sorted([f"{n}{s}" for n in store.BUILD_TABLES for s, _ in store._writers(n)]
                                   + [store.MANIFEST])
    assert "codebook.md" in files and "boundaries.parquet" in files and "boundaries.csv" not in files
    manifest = json.loads(files[store.MANIFEST])
    assert manifest["build_id"] == current and manifest["inputs_key"]
    assert manifest["inputs"]["data/raw/SOURCES.yml"] and manifest["survey"]["input"] == "simulated"
    assert set(manifest["tables"]) == set(store.BUILD_TABLES)
    assert store.verify_build(paths.PROCESSED_DIR, current) == []


def test_the_codebook_describes_every_column_of_every_table_the_build_wrote():
    """codebook.csv (UTF-8 with BOM) has one row per table × column actually written, with unit and provenance."""
    import pandas as pd

    raw = (paths.PROCESSED_DIR / "codebook.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    book = pd.read_csv(paths.PROCESSED_DIR / "codebook.csv", encoding="utf-8-sig", keep_default_na=False)
    for name in store.manifest(paths.PROCESSED_DIR)["tables"]:
        columns = list(store.read_table(name).columns)
        assert book.loc[book["table"] == name, "column"].tolist() == columns, name
    assert set(book["provenance"]) <= {"key", "published (公表値)", "derived (導出値)", "real (実データ)",
                                       "simulated (シミュレーション)", "scenario (試算)",
                                       "survey (simulated by default; real with a reported file)"}
    assert (paths.PROCESSED_DIR / "codebook.md").read_text(encoding="utf-8").startswith("# Codebook")


def _untouched(folder: Path) -> dict:
    """What a write would change, file by file: the inode (a replaced file gets a new one), the modification time
    (a rewrite in place moves it) and the bytes."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes()) for p in sorted(folder.iterdir())}


def test_a_build_with_nothing_changed_does_nothing_unless_forced(tmp_path, monkeypatch):
    """`make report` twice: the second build finds the current build made from the same inputs, survey and code,
    verifies it and writes nothing; --force goes on to compute (the next test: a damaged file builds again)."""
    folder = _copy_of_processed(tmp_path / "processed")
    first = store.current_build(folder)
    assert store.manifest(folder, first)["inputs_key"]
    before = _untouched(folder / store.BUILDS / first)
    lines = []
    assert build.build(folder, log=lines.append) == {}
    assert lines == [f"data/processed: build {first} is up to date (its inputs, survey and code are unchanged; "
                     f"sha256 verified); nothing to do (--force builds all the same)"]
    assert _untouched(folder / store.BUILDS / first) == before
    kept = store.kept_builds(folder)
    store.switch_to(folder, first)  # to the current build: nothing switched, the build kept before it stays
    assert store.kept_builds(folder) == kept and store.current_build(folder) == first

    class Computes(Exception):
        pass

    def computes(*args, **kwargs):
        raise Computes

    monkeypatch.setattr(build, "build_tables", computes)
    with pytest.raises(Computes):  # neither up to date nor kept: the tables are computed again
        build.build(folder, log=lambda *_: None, force=True)
    assert _untouched(folder / store.BUILDS / first) == before


def test_a_damaged_build_is_built_again_and_its_reconciliation_is_complete_and_explained(tmp_path):
    """A damaged file: not up to date, so built again, from the cache (the survey and the models computed):
    the same bytes as the build in data/processed, and every reconciliation check in place and explained."""
    folder = _copy_of_processed(tmp_path / "processed")
    first = store.current_build(folder)
    table = folder / store.BUILDS / first / "survey.parquet"
    table.write_bytes(table.read_bytes()[:-10])
    store._MANIFESTS.clear()
    lines = []
    tables = build.build(folder, log=lines.append)
    assert lines[0].startswith(f"wrote build {first}") and store.verify_build(folder, first) == []
    # the build id is the manifest's digest (every table's sha256): a build from the cache writes the bytes of
    # the build in data/processed, made by `make test` (on a clean clone, from nothing). Stale: run `make build`,
    # then `make notebooks` (their committed outputs are of that build).
    assert store.current_build(folder) == store.current_build(paths.PROCESSED_DIR), "data/processed is stale"
    rec = tables["reconciliation"]
    assert rec["check_id"].is_unique
    topics = checks.summary(rec).set_index("topic")
    # Published tables, adoption counts and the municipality frame agree everywhere;
    # the group list has the 12 explained mismatches.
    assert topics.loc[["published survey tables", "published adoption counts", "municipality frame"],
                      "mismatch"].sum() == 0
    assert topics.loc["municipality frame", "checks"] == 16  # count, population, two 合計 rows, 6 classes × 2
    assert topics.loc["joint-cloud group list", "checks"] == 5 + 70 + 70 + 7
    assert topics.loc["survey (simulated)", "checks"] == 70
    assert topics.loc["survey (simulated)", "mismatch"] == 6  # status counts the real list cannot match
    assert checks.unexplained(rec).empty
    assert tables["survey_input"]["input"].tolist() == ["simulated"]
    # the log says it in one line, not one line per explained mismatch
    mismatches = int((rec["status"] == checks.MISMATCH).sum())
    summary = [line for line in lines if line.startswith("reconciliation:")]
    assert summary == [f"reconciliation: {len(rec)} checks, {len(rec) - mismatches} ok, {mismatches} mismatch "
                       f"(all {mismatches} explained); details: jichitai-cloud reconcile"]
    assert not any("mismatch survey." in line or "mismatch groups." in line for line in lines)
