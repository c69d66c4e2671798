import pytest

from jichitai_cloud import build, checks, store

pytestmark = pytest.mark.slow


def test_build_writes_every_table_and_two_builds_are_byte_identical(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    build.build(a, log=lambda *_: None)
    build.build(b, log=lambda *_: None)
    files = sorted(p.name for p in a.iterdir())
    assert files == sorted(f"{n}{s}" for n in store.TABLES for s in (".parquet", ".csv"))
    for name in files:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_build_reconciliation_is_complete_and_ok(tmp_path):
    tables = build.build(tmp_path, log=lambda *_: None)
    rec = tables["reconciliation"]
    assert rec["check_id"].is_unique and len(rec) == 31
    assert set(rec["status"]) == {checks.OK}
