"""The build: verified raw inputs in, every processed table out (all or nothing).

A build holds the data/processed lock (exclusive) from start to end: it refuses to start
while a report run reads data/processed (or waits, with ``wait``), and a report run cannot
start while it writes. The tables are written as one build and switched in atomically
(see :mod:`store`), with a manifest naming every input.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from jichitai_cloud import paths
from jichitai_cloud.errors import LockError

from jichitai_cloud.clean import checks
from jichitai_cloud.io import cache, escape, processes, sources, store
from jichitai_cloud.registry import schema
from jichitai_cloud.survey import generator, inputs as survey_inputs, reader

# The cleaning and analysis stages (clean.published ... analysis.models) are imported by the functions that
# compute: with statsmodels and scipy they take about two seconds to import, and a build with nothing to do,
# or refused (a lock held, a bad survey path), answers without them.


# The tables that do not depend on the survey, per verified inputs and code: a process that builds again
# (with another survey file, say) reuses them instead of recomputing them (about ten seconds), and so does
# the next build process, from the build's cache on disk (io/cache.py). Copies are handed out, so no caller
# can change what the next build gets.
_SURVEY_FREE: dict = {}
# What the helper process computes (see _compute_survey_free): it imports them while this process starts.
_HELPED = ("jichitai_cloud.analysis.validation", "jichitai_cloud.analysis.simulation")
_CACHE_NAME = "survey_free_tables"


def survey_free_tables(entries, cache_dir: Path | None = None) -> tuple[dict, object, object, dict]:
    """Every table computed from the published figures and real data only (published_*, municipalities,
    boundaries, groups, planned joins, case studies, evidence), the boundaries left out, and the group
    list's stated total. ``entries``: the verified raw files (their sha256, the transcribed tables' and the
    package's code fingerprint make the key). ``cache_dir``: the data/processed folder whose cache is read
    and written (only by a caller holding its lock); None: this process's memory only."""
    key = _survey_free_key(entries)
    if key not in _SURVEY_FREE and cache_dir is not None:
        stored = cache.load(cache_dir, _CACHE_NAME, key)
        if stored is not None:
            _SURVEY_FREE.clear()
            _SURVEY_FREE[key] = stored
    if key not in _SURVEY_FREE:
        with processes.helper(*_HELPED) as helper:
            computed = _compute_survey_free(helper)
        _SURVEY_FREE.clear()
        _SURVEY_FREE[key] = computed
    tables, frame, left_out, stated_total = _SURVEY_FREE[key]
    return {k: v.copy() for k, v in tables.items()}, frame.copy(), left_out.copy(), stated_total


def _compute_survey_free(helper) -> tuple[dict, object, object, dict]:
    """:func:`survey_free_tables` computed. ``helper``: a pool of one process (None: everything here), which
    computes the membership validation and the inference coverage (about a third of the work) meanwhile."""
    from jichitai_cloud.analysis import evidence, membership, simulation, validation
    from jichitai_cloud.clean import case_studies, cloud_groups, maps, municipalities, planned, published

    tables = published.tables()
    base = municipalities.base_frame()
    groups = cloud_groups.tables(base)
    tables["cloud_groups"] = groups["cloud_groups"]
    tables["cloud_group_members"] = groups["cloud_group_members"]
    frame = municipalities.validated(
        cloud_groups.with_membership(base, groups["cloud_groups"], groups["cloud_group_members"]))
    tables["municipalities"] = frame
    # Boundaries cleaned, simplified and projected once here: reports only draw them.
    tables["boundaries"], left_out = maps.boundaries(frame)
    tables["boundaries_prefectures"] = maps.prefecture_layer(tables["boundaries"])
    tables["planned_joins"] = planned.table(frame, tables["cloud_groups"], tables["cloud_group_members"])
    tables["planned_joins_by_year"] = planned.published_by_year()
    tables["adoption_tracker"] = planned.tracker(tables["planned_joins"],
                                                 published.adoption_wide(tables["published_adoption"]))
    tables.update(case_studies.tables(frame, tables["cloud_group_members"]))
    # What the published figures imply, before (and independent of) the survey; and the method check that
    # justifies the models' default inference (simulated; no survey input, only the published tables).
    # The helper's part is the same as computed here: pure functions of inputs it receives exactly (pickled).
    tested = processes.run(helper, validation.tables, frame, membership.model_frame(frame),
                           tables["planned_joins"], tables["boundaries"],
                           published.adoption_wide(tables["published_adoption"]))
    coverage = processes.run(helper, simulation.inference_coverage, frame, dict(tables))
    tables.update(evidence.tables(tables, frame, tested=tested))
    tables["model_inference_coverage"] = coverage()
    return tables, frame, left_out, groups["stated_total"]


def _survey_free_key(entries) -> str:
    """The cache key of the survey-free tables: the verified raw files, the transcribed tables, the code."""
    return cache.key_of([(e.file, e.sha256) for e in entries],
                        sorted((k, str(v["sha256"])) for k, v in sources.transcribed_manifest().items()))


def build_tables(survey_file: str | Path | None = None, cost_unit: str | None = None,
                 accept_outliers: tuple[str, ...] = (), sheet: str | None = None,
                 cache_dir: Path | None = None, simulated: bool = False, entries=None,
                 source: survey_inputs.SurveyInput | None = None) -> dict:
    """Compute every processed table in memory, from verified raw files.

    The survey is the one configured (:func:`survey.inputs.configured_input`: ``survey_file`` or
    ``simulated`` for this build only, $JICHITAI_CLOUD_SURVEY, the survey in use, the one file in
    data/raw/survey/) or, by default, the simulated survey. ``accept_outliers``:
    codes whose implausible cost per resident the researcher has verified (real file only). ``cache_dir``:
    see :func:`survey_free_tables`. ``entries``, ``source``: the verified raw files and the survey input,
    when the caller has them already (the others are then not read).
    """
    from jichitai_cloud.analysis import models
    from jichitai_cloud.clean import case_studies, cloud_groups, maps, municipalities, planned, published
    from jichitai_cloud.survey import summaries

    entries = entries if entries is not None else sources.verify()
    source = source or survey_inputs.configured_input(survey_file, cost_unit, accept_outliers, sheet, simulated)
    tables, frame, left_out, stated_total = survey_free_tables(entries, cache_dir)
    # The simulated survey's under-20k joint-cloud cell is pinned to the label the evidence infers, decided by
    # the generator's one rule (see generator.small_joint_pin); a real file ignores both.
    params = generator.GeneratorParams()
    pin = generator.small_joint_pin(params.pin_inferred_label, tables["evidence_label_assignments"])
    tables["survey"], tables["survey_input"] = survey_inputs.tables(frame, tables, source, params, pin=pin)
    rec = (published.reconcile(tables)
           + municipalities.reconcile(frame, tables["published_cost_by_class"], tables["published_survey_totals"])
           + cloud_groups.reconcile(tables, stated_total)
           + planned.reconcile(tables["planned_joins"], tables["planned_joins_by_year"], tables["cloud_groups"])
           + case_studies.reconcile(tables, tables["cloud_group_members"])
           + summaries.reconcile(tables["survey"], tables, source.kind, frame)
           + maps.reconcile(tables["boundaries"], left_out, frame))
    explained = {**cloud_groups.EXPLANATIONS, **planned.EXPLANATIONS, **case_studies.EXPLANATIONS,
                 **summaries.explanations(tables["survey"]), **maps.EXPLANATIONS}
    tables["reconciliation"] = checks.frame(rec, explained)
    # Fitted once here and read by every report (refitting per report would repeat the work).
    tables.update(models.standard_tables(tables["survey"], frame, tables["survey_input"],
                                         tables["published_cost_by_class"]))
    tables["codebook"] = schema.codebook()
    return tables


def inputs_manifest(tables: dict, accept_outliers: tuple[str, ...] = ()) -> dict:
    """What a build was made from, for its manifest: raw and transcribed files (sha256) and the survey."""
    raw = {f"data/raw/{e.file}": e.sha256 for e in sources.manifest()}
    raw["data/raw/SOURCES.yml"] = sources.sha256_of(paths.MANIFEST_PATH)
    for f in sorted(paths.TRANSCRIBED_DIR.glob("*.csv")):
        raw[f"data/raw/transcribed/{f.name}"] = sources.sha256_of(f)
    info = tables["survey_input"].iloc[0]
    survey_entry = {k: (int(info[k]) if k in ("rows", "costs_missing") else str(info[k]))
                    for k in ("input", "file", "sheet", "sha256", "cost_unit", "configured_by", "generator_version",
                              "generator_params", "status_source", "rows", "costs_missing")}
    survey_entry["accepted_outliers"] = (sorted(reader.normal_code(c) for c in accept_outliers)
                                         if info["input"] == "reported" else [])
    return {"inputs": raw, "survey": survey_entry}


def _save_cache(directory: Path, log) -> None:
    """Save the survey-free tables of this process's build into ``directory``'s cache, after the build was
    written, unless the cache holds them already."""
    for key, value in _SURVEY_FREE.items():
        if not cache.has(directory, _CACHE_NAME, key):
            problem = cache.save(directory, _CACHE_NAME, key, value)
            if problem:
                log(f"note: {problem}")


def reconciliation_line(rec) -> str:
    """The reconciliation in one line (details: `jichitai-cloud reconcile`)."""
    bad = rec[rec["status"] != checks.OK]
    unexplained = len(checks.unexplained(rec))
    state = (f"all {len(bad)} explained" if not unexplained else f"{unexplained} UNEXPLAINED")
    return (f"reconciliation: {len(rec)} checks, {len(rec) - len(bad)} ok, {len(bad)} mismatch ({state}); "
            f"details: jichitai-cloud reconcile")


def inputs_key(entries, source: survey_inputs.SurveyInput) -> str:
    """Everything a build's tables are computed from, as one key: the verified raw and transcribed files, the
    package's code and libraries (io/cache.py), and the survey (the real file's sha256, unit, sheet, accepted
    outliers and how it was configured; or the generator's parameters). Recorded in the build manifest; a
    build whose key equals the current build's has nothing to do."""
    if source.path is not None:
        import hashlib

        survey = {"input": "reported", "sha256": hashlib.sha256(survey_inputs._read_chosen(source.path)).hexdigest(),
                  "cost_unit": source.cost_unit or "", "sheet": source.sheet or "",
                  "accepted_outliers": sorted(reader.normal_code(c) for c in source.accept_outliers),
                  "configured_by": source.configured_by, "file": source.path.name}
    else:
        survey = {"input": "simulated", "generator": dataclasses.asdict(generator.GeneratorParams()),
                  "accepted_outliers": sorted(source.accept_outliers)}
    return cache.key_of([(e.file, e.sha256) for e in entries],
                        sorted((k, str(v["sha256"])) for k, v in sources.transcribed_manifest().items()), survey)


def _kept(d: Path, key: str) -> str | None:
    """A kept build (the one before the current, say) made from exactly these inputs (``key``), if it
    verifies: building again would write the same bytes (tests/test_build.py), so it is made current again.
    Call holding the build lock exclusively."""
    current = store.current_build(d)
    for build_id in store.kept_builds(d):
        if build_id == current:  # the current build is _up_to_date's question, not a build to go back to
            continue
        try:
            same = store.manifest(d, build_id).get("inputs_key") == key
        except store.StoreError:
            continue
        if same and not store.verify_build(d, build_id):
            return build_id
    return None


def _up_to_date_line(build_id: str) -> str:
    """What a build with nothing to do says."""
    return (f"data/processed: build {build_id} is up to date (its inputs, survey and code are unchanged; sha256 "
            f"verified); nothing to do (--force builds all the same)")


def _up_to_date(d: Path, key: str) -> str | None:
    """The current build, if it was made from exactly these inputs (``key``) and every file verifies."""
    current = store.current_build(d)
    if current is None:
        return None
    try:
        same = store.manifest(d, current).get("inputs_key") == key
    except store.StoreError:
        return None
    return current if same and not store.verify_build(d, current) else None


def build(directory: Path | None = None, log=print, survey_file: str | Path | None = None,
          cost_unit: str | None = None, accept_outliers: tuple[str, ...] = (), wait: bool = False,
          sheet: str | None = None, simulated: bool = False, force: bool = False) -> dict:
    """Build and write data/processed/ as one new build, holding its lock. Returns the tables written, or
    {} when the current build was made from the same inputs (:func:`inputs_key`) and verifies, or the build
    kept from before it was (it is made current again): then nothing is computed or written (``force``:
    build all the same).

    ``wait``: wait for a report run (or another build) to release data/processed instead of refusing.
    ``sheet``: the sheet of an XLSX survey file (default: $JICHITAI_CLOUD_SURVEY_SHEET, else the one
    visible sheet with a survey header). ``survey_file`` / ``simulated``: for this build only (the survey
    in use, `jichitai-cloud survey use`, stays chosen).
    """
    d = directory or paths.PROCESSED_DIR
    entries = sources.verify()
    source = survey_inputs.configured_input(survey_file, cost_unit, accept_outliers, sheet, simulated)
    key = inputs_key(entries, source)
    if not force:
        # Checked under the shared lock first, as a reader: nothing to do is also nothing to wait for while
        # a report batch reads data/processed (`make lab` during a batch). A build writing it: see below.
        try:
            with store.build_lock(d, shared=True, what="jichitai-cloud build (checking)"):
                current = _up_to_date(d, key)
        except LockError:
            current = None
        if current:
            log(_up_to_date_line(current))
            return {}
    with store.build_lock(d, wait=wait, log=log):
        # again under the exclusive lock: the check above may have found it held (a build writing, waited for)
        current = None if force else _up_to_date(d, key)
        if current:
            log(_up_to_date_line(current))
            return {}
        kept = None if force else _kept(d, key)
        if kept:  # back to the survey of the build before (`make test`'s simulated one, then `make report`)
            store.switch_to(d, kept)
            cache.touch(d, _CACHE_NAME, _survey_free_key(entries))  # its tables stay in the cache with it
            once = (f"; for this build only: the survey in use stays {survey_inputs.setting.in_use()}"
                    if survey_file or simulated else "")
            log(f"data/processed: build {kept}, kept from an earlier build of the same inputs, survey and code, is "
                f"current again (sha256 verified); nothing to compute (--force builds all the same){once}")
            return {}
        tables = build_tables(cache_dir=d, entries=entries, source=source)
        meta = {**inputs_manifest(tables, source.accept_outliers), "inputs_key": key}
        written = store.write_tables(tables, d, meta)
        _save_cache(d, log)
    _log_build(log, tables, written, source, survey_file or simulated, simulated)
    return tables


def _log_build(log, tables: dict, written: list, source, one_build: bool, simulated: bool) -> None:
    """What a build wrote, which survey it used and how, and its reconciliation, in a few lines."""
    rec = tables["reconciliation"]
    info = tables["survey_input"].iloc[0]
    log(f"wrote build {written[0].parent.name}: {len(tables)} tables ({len(written)} files) in "
        f"{written[0].parent.parent.parent}")
    accept = source.accept_outliers
    accepted = f"; accepted outliers: {', '.join(sorted(accept))}" if accept and source.path else ""
    shown = escape.terminal(info["file"]) + (f", sheet {info['sheet']!r}" if info["sheet"] else "")
    how = (f" ({shown}, configured by {info['configured_by']}{accepted})" if info["input"] == "reported"
           else f" ({survey_inputs.simulated_because(simulated)})")
    if one_build:
        how += f"; for this build only: the survey in use stays {survey_inputs.setting.in_use()}"
    log(f"survey: {info['input']}{how}")
    log(reconciliation_line(rec))
    for r in checks.unexplained(rec).itertuples():  # new discrepancies: someone must look at them
        log(f"  UNEXPLAINED mismatch {r.check_id}: stated {checks.fmt(r.stated)}, computed {checks.fmt(r.computed)}")
