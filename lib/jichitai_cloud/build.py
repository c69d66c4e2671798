"""The build: verified raw inputs in, every processed table out (all or nothing)."""

from __future__ import annotations

from pathlib import Path

from . import checks, published, sources, store


def build_tables() -> dict:
    """Compute every processed table in memory, from verified raw files."""
    sources.verify()
    tables = published.tables()
    tables["reconciliation"] = checks.frame(published.reconcile(tables))
    return tables


def build(directory: Path | None = None, log=print) -> dict:
    """Build and write data/processed/. Returns the tables written."""
    tables = build_tables()
    written = store.write_tables(tables, directory)
    rec = tables["reconciliation"]
    bad = rec[rec["status"] != checks.OK]
    log(f"wrote {len(tables)} tables ({len(written)} files) to {written[0].parent}")
    log(f"reconciliation: {len(rec)} checks, {len(rec) - len(bad)} ok, {len(bad)} mismatch")
    for r in bad.itertuples():
        log(f"  mismatch {r.check_id}: stated {r.stated:g}, computed {r.computed:g} ({r.description})")
    return tables
