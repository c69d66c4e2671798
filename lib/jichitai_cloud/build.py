"""The build: verified raw inputs in, every processed table out (all or nothing)."""

from __future__ import annotations

from pathlib import Path

from . import (case_studies, checks, cloud_groups, evidence, models, municipalities, planned, published, sources, store,
               survey)


def build_tables(survey_file: str | Path | None = None, cost_unit: str | None = None) -> dict:
    """Compute every processed table in memory, from verified raw files.

    The survey is the real file configured (``survey_file``, $JICHITAI_CLOUD_SURVEY or the
    one file in data/raw/survey/) or, by default, the simulated survey.
    """
    sources.verify()
    tables = published.tables()
    base = municipalities.base_frame()
    groups = cloud_groups.tables(base)
    tables["cloud_groups"] = groups["cloud_groups"]
    tables["cloud_group_members"] = groups["cloud_group_members"]
    frame = municipalities.SCHEMA.validate(
        cloud_groups.with_membership(base, groups["cloud_groups"], groups["cloud_group_members"]))
    tables["municipalities"] = frame
    tables["planned_joins"] = planned.table(frame, tables["cloud_groups"], tables["cloud_group_members"])
    tables["planned_joins_by_year"] = planned.published_by_year()
    tables["adoption_tracker"] = planned.tracker(tables["planned_joins"],
                                                 published.adoption_wide(tables["published_adoption"]))
    tables.update(case_studies.tables(frame, tables["cloud_group_members"]))
    # What the published figures imply, before (and independent of) the survey.
    tables.update(evidence.tables(tables, frame))
    source = survey.configured_input(survey_file, cost_unit)
    tables["survey"], tables["survey_input"] = survey.build(frame, tables, source)
    tables["survey_input"] = survey.INPUT_SCHEMA.validate(tables["survey_input"])
    rec = (published.reconcile(tables)
           + municipalities.reconcile(frame, tables["published_cost_by_class"], tables["published_survey_totals"])
           + cloud_groups.reconcile(tables, groups["stated_total"])
           + planned.reconcile(tables["planned_joins"], tables["planned_joins_by_year"], tables["cloud_groups"])
           + case_studies.reconcile(tables, tables["cloud_group_members"])
           + survey.reconcile(tables["survey"], tables, source.kind, frame))
    explained = {**cloud_groups.EXPLANATIONS, **planned.EXPLANATIONS, **case_studies.EXPLANATIONS,
                 **survey.explanations(tables["survey"])}
    tables["reconciliation"] = checks.frame(rec, explained)
    # Fitted once here and read by every report (refitting per report would repeat the work).
    tables.update(models.standard_tables(tables["survey"], frame, tables["survey_input"],
                                         tables["published_cost_by_class"]))
    return tables


def build(directory: Path | None = None, log=print, survey_file: str | Path | None = None,
          cost_unit: str | None = None) -> dict:
    """Build and write data/processed/. Returns the tables written."""
    tables = build_tables(survey_file, cost_unit)
    written = store.write_tables(tables, directory)
    rec = tables["reconciliation"]
    bad = rec[rec["status"] != checks.OK]
    info = tables["survey_input"].iloc[0]
    log(f"wrote {len(tables)} tables ({len(written)} files) to {written[0].parent}")
    log(f"survey: {info['input']}" + (f" ({info['file']}, configured by {info['configured_by']})"
                                      if info["input"] == "reported" else " (no real file configured)"))
    log(f"reconciliation: {len(rec)} checks, {len(rec) - len(bad)} ok, {len(bad)} mismatch "
        f"({len(checks.unexplained(rec))} unexplained)")
    for r in bad.itertuples():
        note = "" if r.explanation else "  [UNEXPLAINED]"
        log(f"  mismatch {r.check_id}: stated {checks.fmt(r.stated)}, computed {checks.fmt(r.computed)}{note}")
    return tables
