"""The build: verified raw inputs in, every processed table out (all or nothing)."""

from __future__ import annotations

from pathlib import Path

from . import checks, cloud_groups, municipalities, published, sources, store


def build_tables() -> dict:
    """Compute every processed table in memory, from verified raw files."""
    sources.verify()
    tables = published.tables()
    base = municipalities.base_frame()
    groups = cloud_groups.tables(base)
    tables["cloud_groups"] = groups["cloud_groups"]
    tables["cloud_group_members"] = groups["cloud_group_members"]
    tables["municipalities"] = municipalities.SCHEMA.validate(
        cloud_groups.with_membership(base, groups["cloud_groups"], groups["cloud_group_members"]))
    rec = (published.reconcile(tables)
           + municipalities.reconcile(tables["municipalities"], tables["published_cost_by_class"],
                                      tables["published_survey_totals"])
           + cloud_groups.reconcile(tables, groups["stated_total"]))
    tables["reconciliation"] = checks.frame(rec, cloud_groups.EXPLANATIONS)
    return tables


def build(directory: Path | None = None, log=print) -> dict:
    """Build and write data/processed/. Returns the tables written."""
    tables = build_tables()
    written = store.write_tables(tables, directory)
    rec = tables["reconciliation"]
    bad = rec[rec["status"] != checks.OK]
    log(f"wrote {len(tables)} tables ({len(written)} files) to {written[0].parent}")
    log(f"reconciliation: {len(rec)} checks, {len(rec) - len(bad)} ok, {len(bad)} mismatch "
        f"({len(checks.unexplained(rec))} unexplained)")
    for r in bad.itertuples():
        note = "" if r.explanation else "  [UNEXPLAINED]"
        log(f"  mismatch {r.check_id}: stated {checks.fmt(r.stated)}, computed {checks.fmt(r.computed)}{note}")
    return tables
