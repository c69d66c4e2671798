import pytest

from jichitai_cloud import build, checks, paths, store

pytestmark = pytest.mark.slow


def test_build_writes_every_table_and_two_builds_are_byte_identical(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    build.build(a, log=lambda *_: None)
    build.build(b, log=lambda *_: None)
    files = sorted(p.name for p in a.iterdir())
    assert files == sorted(f"{n}{s}" for n in store.BUILD_TABLES for s in (".parquet", ".csv"))
    for name in files:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    # data/processed (which the notebooks' committed outputs were made from) must be this build
    stale = [n for n in files if (paths.PROCESSED_DIR / n).read_bytes() != (a / n).read_bytes()]
    assert not stale, f"data/processed is stale ({stale[:3]}...): run `make build`, then `make notebooks`"


def test_build_reconciliation_is_complete_and_explained(tmp_path):
    tables = build.build(tmp_path, log=lambda *_: None)
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
