"""The ``jichitai-cloud`` command: data, build, report and housekeeping."""

from __future__ import annotations

import argparse
import errno
import hashlib
import os
import sys
from pathlib import Path

from jichitai_cloud import __version__


def _data(args) -> None:
    from jichitai_cloud.io import sources

    sources.materialise(Path(args.datastore).resolve() if args.datastore else None)
    sources.verify()
    print(f"data/raw: {len(sources.manifest())} files present, sha256 verified")


def _verify(args) -> None:
    from jichitai_cloud.io import sources, store

    sources.verify(log=print)
    if store.current_build() is None:
        print("data/processed: no build yet (jichitai-cloud build)")
        return
    build_id = store.check_build()
    files = sum(len(entry) for entry in store.manifest(build_id=build_id)["tables"].values())
    print(f"ok data/processed: build {build_id}, {files} files, sha256 verified")


def _build(args) -> None:
    from jichitai_cloud import build

    build.build(survey_file=args.survey, cost_unit=args.cost_unit, accept_outliers=tuple(args.accept_outlier or ()),
                wait=args.wait, sheet=args.sheet, simulated=args.simulated, force=args.force)


def _survey(args) -> None:
    """`survey` (show the survey in use), `survey use FILE` (check it, then record it), `survey use --simulated`."""
    from jichitai_cloud import survey
    from jichitai_cloud.io import escape

    if args.action != "use":
        print(f"survey in use: {survey.setting.in_use()}")
        if os.environ.get(survey.SURVEY_ENV):
            print(f"  but ${survey.SURVEY_ENV} is set: builds of this environment use "
                  f"{escape.terminal(os.environ[survey.SURVEY_ENV])}")
        return
    if args.simulated == bool(args.file):
        raise survey.SurveyFileError("survey use: give a survey file, or --simulated (not both)")
    if args.simulated:
        survey.setting.choose_simulated()
    else:
        from jichitai_cloud.io import userfiles

        table = _checked_survey(args)  # the file is checked as a build would read it; refused: nothing recorded
        survey.setting.choose(userfiles.resolve(args.file, "survey use"), table.attrs["sha256"], args.cost_unit,
                              table.attrs.get("sheet") or None, tuple(table.attrs.get("accepted_outliers", ())))
    print(f"survey in use: {survey.setting.in_use()}; every build uses it until `jichitai-cloud survey use` again "
          f"(written to {survey.setting.path()})")


def _check_survey(args) -> None:
    _checked_survey(args)
    print("nothing was written; `jichitai-cloud survey use FILE` makes it the survey of every build, "
          "`jichitai-cloud build --survey FILE` builds with it once")


def _checked_survey(args):
    """The survey file ``args.file`` read and checked as a build reads it, with what was found printed."""
    from jichitai_cloud.clean import checks
    from jichitai_cloud.io import escape, store
    from jichitai_cloud.clean import municipalities, published
    from jichitai_cloud import survey

    try:
        frame = store.read_table("municipalities")
    except store.StoreError as exc:  # no build, or a damaged one: the frame from the raw files instead
        if store.current_build() is not None:
            print(f"jichitai-cloud check-survey: note: {exc}; checking against the raw files instead", file=sys.stderr)
        frame = municipalities.base_frame()
    pub = published.tables()
    table = survey.load_real(args.file, frame, args.cost_unit, pub,
                             tuple(args.accept_outlier or ()) or survey.accepted_outliers_from_env(),
                             args.sheet if args.sheet is not None else (os.environ.get(survey.SHEET_ENV) or None))
    rec = checks.frame(survey.reconcile(table, pub, "reported", frame))
    ok = int((rec["status"] == checks.OK).sum())
    sheet = f" (sheet {table.attrs['sheet']!r})" if table.attrs.get("sheet") else ""
    print(f"{escape.terminal(args.file)}{sheet}: valid ({len(table)} municipalities, "
          f"{int(table['it_cost_yen'].isna().sum())} costs missing)")
    if sheet and table.attrs["sheet_note"] != sheet.strip(" ()"):  # other sheets were there: why this one
        print(f"  read {escape.terminal(table.attrs['sheet_note'])}")
    names = dict(zip(frame["code"], frame["prefecture"] + frame["name"]))
    for code in table.attrs.get("accepted_outliers", []):
        row = table.set_index("code").loc[code]
        print(f"  accepted outlier {code} {names[code]}: "
              f"{float(row['it_cost_yen']) / row['population_2017_01_01_persons']:,.1f}円 per resident (--accept-outlier)")
    print(f"against the published tables: {ok} of {len(rec)} figures reproduced")
    for r in checks.mismatches(rec).itertuples():
        print(f"  differs: {r.description}: published {checks.fmt(r.stated)}, file {checks.fmt(r.computed)}")
    return table


def _survey_for_reports(args) -> str | None:
    """Make sure data/processed was built from the survey the reports must show: with --survey FILE, that
    file (and those accepted outliers, and that sheet), for this run only; else the survey in use
    (`jichitai-cloud survey use`), when one was chosen. Rebuilds first when the current build used another.
    Returns the build the reports must use, or None (whatever is current)."""
    from jichitai_cloud import survey
    from jichitai_cloud.io import escape, store, userfiles

    try:
        have = store.manifest(build_id=store.current_build())["survey"] if store.current_build() else {}
    except store.StoreError:
        have = {}
    if getattr(args, "survey", None):
        try:
            data = userfiles.read_regular(userfiles.resolve(args.survey, "--survey"), survey.MAX_FILE_BYTES,
                                          "--survey", too_large=f"over {survey.MAX_FILE_BYTES // 2 ** 20} MB; refused")
        except userfiles.UserPathError as exc:
            raise survey.SurveyFileError(str(exc)) from None
        accept = tuple(args.accept_outlier or ()) or survey.accepted_outliers_from_env()
        sheet = args.sheet if args.sheet is not None else (os.environ.get(survey.SHEET_ENV) or None)
        if _other_survey(have, hashlib.sha256(data).hexdigest(), accept, sheet):
            print(f"building data/processed with {escape.terminal(args.survey)} first (for this run only)")
            _rebuild(args, survey_file=args.survey, accept_outliers=accept, sheet=sheet)
        return store.current_build()
    if os.environ.get(survey.SURVEY_ENV):
        return None  # the environment chooses for every build of this process: as before
    doc = survey.setting.chosen()
    if doc is None:
        return None
    if doc["input"] == "simulated":
        stale = have.get("input") != "simulated"
    else:
        survey.setting.verified_file(doc, survey.inputs._read_chosen)  # gone or changed: one line, nothing built
        stale = _other_survey(have, doc["sha256"], tuple(doc.get("accepted_outliers", ())), doc.get("sheet") or None)
    if stale:
        print(f"building data/processed with the survey in use first: {survey.setting.in_use()}")
        _rebuild(args)
    return store.current_build()


def _other_survey(have: dict, sha256: str, accept: tuple[str, ...], sheet: str | None) -> bool:
    """Whether the build whose manifest survey entry is ``have`` read another file, outliers or sheet."""
    from jichitai_cloud import survey

    return (have.get("sha256") != sha256
            or have.get("accepted_outliers", []) != sorted(survey.normal_code(c) for c in accept)
            or (sheet is not None and have.get("sheet") != sheet))


def _rebuild(args, **kw) -> None:
    from jichitai_cloud import build

    build.build(cost_unit=getattr(args, "cost_unit", None), wait=args.wait, **kw)


def _reports_dir(args) -> Path | None:
    from jichitai_cloud.io import userfiles

    return userfiles.resolve(args.reports_dir, "--reports-dir") if getattr(args, "reports_dir", None) else None


def _report_params(args) -> dict:
    """The report parameters the command line was given (its options are :class:`params.ReportParams`'s)."""
    from jichitai_cloud.report.params import PARAMETERS

    return {name: getattr(args, name) for name in PARAMETERS if hasattr(args, name)}


def _report(args) -> int:
    from jichitai_cloud.report.worker import light_jupyter_imports

    light_jupyter_imports()  # before render imports nbformat
    from jichitai_cloud.report import render

    build_id = _survey_for_reports(args)
    # The parameters are checked against the build once the run's locks are held (with --wait: the build
    # that is current after the wait), never against one read before.
    result = render.render_one(_report_params(args), build_id=build_id, wait=args.wait,
                               reports_dir=_reports_dir(args))
    return 0 if result.outcome == "ok" else 1


def _reports(args) -> int:
    from jichitai_cloud.report.worker import light_jupyter_imports

    light_jupyter_imports()  # before render imports nbformat
    from jichitai_cloud.report import render, runs

    if not args.all:
        print("jichitai-cloud reports: say --all (the national report, 47 prefectures and 70 groups)", file=sys.stderr)
        return 2
    workers = render.worker_count(args.workers)  # refused before anything else when below 1
    build_id = _survey_for_reports(args)

    def jobs():  # read from the build once the batch holds its locks (with --wait: after the wait)
        return render.all_jobs(**_report_params(args))

    results = render.render_batch(jobs, workers=workers, progress=False if args.no_progress else None,
                                  build_id=build_id, wait=args.wait, reports_dir=_reports_dir(args), force=args.force)
    failed = [r for r in results if r.outcome == "failed"]
    folder = _reports_dir(args) or Path("reports")
    print(f"{runs.summary(results)}; index: {folder / 'index.html'}; run record: {folder / 'run.json'}")
    for r in failed:
        print(f"FAILED {r.key}/{r.stem}: {r.error}")
    return 1 if failed else 0


def _simulate(args) -> int:
    import time

    from jichitai_cloud.analysis import simulation
    from jichitai_cloud.clean import published
    from jichitai_cloud.errors import ParameterError
    from jichitai_cloud.io import processes, store

    try:
        effects = simulation.parse_effects(args.effects)
    except ParameterError as exc:  # named as the option it came from
        raise ParameterError(f"--{exc}") from None
    cores = processes.usable_cores()
    if args.workers is not None and args.workers < 1:
        raise ParameterError(f"--workers must be at least 1; got {args.workers}")
    workers = args.workers if args.workers is not None else cores
    if workers > cores:
        print(f"--workers {workers}: capped at {cores} ({cores} usable core{'s' if cores > 1 else ''})")
        workers = cores
    study = simulation.Study(draws=args.draws, effects=effects, seed=args.seed, reading=args.reading)
    build_id = store.pinned_build()  # the results are computed from this build and written onto it
    frame, pub = store.read_table("municipalities"), published.tables()
    ratio = None if args.no_inferred_label else simulation.inferred_ratio(store.read_table("evidence_gaps"))
    t0 = time.perf_counter()
    mode = None if args.no_progress else ("bar" if sys.stderr.isatty() else "lines")
    progress = _Progress(study.draws * len(effects), "draws", mode)
    try:
        draws = simulation.run(study, frame, pub, workers=workers, label_ratio=ratio, progress=progress)
    finally:
        progress.close()
    seconds = time.perf_counter() - t0
    summary = simulation.summarise(draws)
    store.write_tables({"simulation_draws": draws, "simulation_summary": summary,
                        "simulation_parameters": simulation.parameters(study, workers, ratio, seconds, build_id)},
                       based_on=build_id)
    print(f"simulated {study.draws} draws × {len(effects)} effects in {seconds:.1f} s ({workers} workers); "
          f"wrote simulation_draws, simulation_summary, simulation_parameters to data/processed")
    main = summary[(summary["subset"] == "all")]
    for e, g in main.groupby("effect_pct", sort=False):
        shares = summary[(summary["effect_pct"] == e) & (summary["subset"] == "orderings")]["share_of_draws"].iloc[0]
        cover = ", ".join(f"{r.estimator} {r.coverage:.0%}" for r in g.itertuples())
        print(f"  effect {e:+.0f}%: draws satisfying the orderings {shares:.0%}; 95% coverage: {cover}")
    return 0


class _Progress:
    """Progress of a long computation on stderr, with an estimate of the time left: a bar on a terminal
    (``mode`` "bar"), elsewhere (a log file) a line every LINE_SECONDS ("lines"), nothing for None."""

    LINE_SECONDS = 30.0

    def __init__(self, total: int, unit: str, mode: str | None):
        import time

        self.total, self.unit, self.mode, self.done = total, unit, mode, 0
        self.started = self.said = time.monotonic()
        self.bar = None
        if mode == "bar":
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit=unit, file=sys.stderr)

    def __call__(self, done: int) -> None:
        import time

        if self.bar is not None:
            self.bar.update(done - self.done)
        elif self.mode == "lines" and time.monotonic() - self.said >= self.LINE_SECONDS and done:
            self.said = time.monotonic()
            elapsed = self.said - self.started
            left = elapsed / done * (self.total - done)
            print(f"jichitai-cloud simulate: {done:,} of {self.total:,} {self.unit} ({done / self.total:.0%}) in "
                  f"{_duration(elapsed)}; about {_duration(left)} left", file=sys.stderr, flush=True)
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 90:
        return f"{seconds} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


def _reconcile(args) -> int:
    from jichitai_cloud.clean import checks
    from jichitai_cloud.io import store

    rec = store.read_table("reconciliation")
    if args.topic:
        rec = rec[rec["topic"] == args.topic]
        if rec.empty:
            topics = ", ".join(dict.fromkeys(store.read_table("reconciliation")["topic"]))
            print(f"jichitai-cloud reconcile: error: no topic {args.topic!r}; topics: {topics}", file=sys.stderr)
            return 2
    for r in checks.summary(rec).itertuples():
        print(f"{r.topic}: {r.checks} checks, {r.ok} ok, {r.mismatch} mismatch, {r.unexplained} unexplained")
    rows = rec if args.all else checks.mismatches(rec)
    for r in rows.itertuples():
        note = f"  {r.explanation}" if r.explanation else ("" if r.status == checks.OK else "  [UNEXPLAINED]")
        print(f"{r.status:8} {r.check_id}: {r.description}: stated {checks.fmt(r.stated)}, computed "
              f"{checks.fmt(r.computed)}{note}")
    unexplained = len(checks.unexplained(rec))
    print(f"build {store.pinned_build()}: {len(rec)} checks, {unexplained} unexplained mismatch(es)")
    return 1 if unexplained else 0


def _codebook(args) -> None:
    from jichitai_cloud.registry import schema

    if args.markdown:
        sys.stdout.write(schema.codebook_markdown() + "\n")
    else:
        from jichitai_cloud.io.escape import cells

        cells(schema.codebook()).to_csv(sys.stdout, index=False, lineterminator="\n")


def _export(args) -> None:
    from jichitai_cloud.io.escape import terminal
    from jichitai_cloud.report import workbook

    done = workbook.to_excel(args.xlsx, args.tables, args.lang, wait=args.wait)
    print(f"wrote {terminal(done.path)}: {len(done.sheets)} tables, a sheet each (the codebook among them), with "
          f"contents and sources; build {done.build}, in {done.seconds:.1f} s")
    for note, names in (("map geometry, in data/processed/ as GeoParquet", done.geometry),
                        ("not in this build", done.absent)):
        if names:
            print(f"  left out ({note}): {', '.join(names)}")


def _tables(args) -> None:
    from jichitai_cloud.registry import catalog

    if args.markdown:
        print(catalog.markdown_list())
        return
    for name, doc in catalog.TABLES.items():
        print(f"{name}\n    {doc}")


def _refresh_notebooks(args) -> None:
    from jichitai_cloud import build, paths
    from jichitai_cloud.report import render
    from jichitai_cloud.io import store

    # Outputs must come from data as the sources define it now, never from a stale build, and
    # never from a real survey file: committed notebooks are public, the real file is not.
    from jichitai_cloud.errors import SurveyFileError
    from jichitai_cloud.survey.inputs import configured_input

    if configured_input().kind != "simulated":
        raise SurveyFileError(f"a real survey file is configured ({configured_input().path}); committed notebooks "
                              f"show the simulated survey only: unset ${'JICHITAI_CLOUD_SURVEY'} and move the file out "
                              f"of data/raw/survey/ first")
    build.build(log=lambda *_: None)
    targets = [Path(p).resolve() for p in args.notebooks] or sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb"))
    with store.build_lock(shared=True, what="jichitai-cloud refresh-notebooks"):  # no build while they run
        for nb in targets:
            render.execute_in_place(nb)
            print(f"executed {nb.relative_to(paths.PROJECT_ROOT)}")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(_values_starting_with_minus(sys.argv[1:] if argv is None else list(argv)))
    from jichitai_cloud.errors import JichitaiError

    try:
        code = args.func(args)
    except BrokenPipeError:  # output piped into `head` and closed: not an error of ours
        sys.stderr.close()
        return 0
    except JichitaiError as exc:  # a user's error: its message, no traceback
        _error(args.command, str(exc))
        return 2
    except OSError as exc:  # the system's (a full disk, a permission): the OS's words and the file
        _error(args.command, _os_error(exc))
        return 2
    except KeyboardInterrupt:
        _error(args.command, "interrupted")
        return 130
    return code or 0


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="jichitai-cloud", description=__doc__)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    _data_commands(sub)
    _analysis_commands(sub)
    _report_commands(sub)
    return parser


def _accept_option(p) -> None:
    p.add_argument("--accept-outlier", action="append", metavar="CODE",
                   help="keep this municipality's cost per resident although it lies outside the plausible range "
                        "(a verified extreme); repeatable; 6-digit code, or 5 digits without the check digit")
    p.add_argument("--sheet", metavar="NAME",
                   help="the sheet of an XLSX survey file to read (default: $JICHITAI_CLOUD_SURVEY_SHEET, else the "
                        "one visible sheet whose header names a code and a cost column; a hidden sheet is read "
                        "only when named)")


def _data_commands(sub) -> None:
    """data, verify, build, check-survey, tables, codebook, export."""
    p = sub.add_parser("data", help="copy the raw files from the datastore into data/raw/ and verify them")
    p.add_argument("--datastore", help="datastore folder (default: $JICHITAI_CLOUD_DATASTORE or ../shared/datastore)")
    p.set_defaults(func=_data)
    sub.add_parser("verify", help="check data/raw/ against data/raw/SOURCES.yml and data/processed/ against its "
                                  "build manifest").set_defaults(func=_verify)

    p = sub.add_parser("build", help="build data/processed/ from data/raw/ (all tables or none)")
    p.add_argument("--survey", help="a real per-municipality survey file (CSV or XLSX), for this build only; "
                                    "default: $JICHITAI_CLOUD_SURVEY, the survey in use (`jichitai-cloud survey`), "
                                    "the one file in data/raw/survey/, else simulated")
    p.add_argument("--cost-unit", help="unit of the cost column when its header does not say: 千円 or 円")
    _accept_option(p)
    p.add_argument("--simulated", action="store_true", help="the simulated survey, for this build only")
    p.add_argument("--force", action="store_true", help="build even when the current build was made from the same "
                                                        "inputs, survey and code (by default: nothing to do)")
    p.add_argument("--wait", action="store_true", help="wait for a report run using data/processed to finish "
                                                       "instead of refusing to start")
    p.set_defaults(func=_build)
    p = sub.add_parser("survey", help="the survey every build uses: show it; `survey use FILE` checks a real file "
                                      "and records it (with its sha256) until `survey use --simulated`")
    p.add_argument("action", nargs="?", choices=["show", "use"], default="show")
    p.add_argument("file", nargs="?", help="with use: the real survey file (CSV or XLSX)")
    p.add_argument("--simulated", action="store_true", help="with use: switch back to the simulated survey")
    p.add_argument("--cost-unit", help="unit of the cost column when its header does not say: 千円 or 円")
    _accept_option(p)
    p.set_defaults(func=_survey)
    p = sub.add_parser("check-survey", help="validate a real survey file and compare it with the published "
                                            "tables, writing nothing (the same checks as build)")
    p.add_argument("file")
    p.add_argument("--cost-unit", help="unit of the cost column when its header does not say: 千円 or 円")
    _accept_option(p)
    p.set_defaults(func=_check_survey)
    p = sub.add_parser("tables", help="list the processed tables")
    p.add_argument("--markdown", action="store_true", help="as a Markdown list (the README's)")
    p.set_defaults(func=_tables)
    p = sub.add_parser("codebook", help="every column of every processed table (CSV; --markdown: as data/processed/codebook.md)")
    p.add_argument("--markdown", action="store_true", help="Markdown")
    p.set_defaults(func=_codebook)
    p = sub.add_parser("export", help="write the processed tables to one Excel workbook: a sheet per table, "
                                      "contents, codebook, sources and licences")
    p.add_argument("--xlsx", required=True, metavar="FILE", help="the workbook to write (.xlsx; a new path or an "
                                                                  "existing file, replaced at once when complete)")
    p.add_argument("--tables", metavar="NAME,NAME...", help="only these tables (default: every table of the build "
                                                            "but the map geometry; `jichitai-cloud tables` lists them)")
    p.add_argument("--lang", choices=("ja", "en"), default="ja", help="language of the headers and notes (default ja)")
    p.add_argument("--wait", action="store_true", help="wait for a running build instead of refusing to start")
    p.set_defaults(func=_export)


def _analysis_commands(sub) -> None:
    """simulate, reconcile."""
    p = sub.add_parser("simulate", help="a simulation study of the estimators (bias, RMSE, coverage) on many simulated "
                                        "surveys; writes data/processed/simulation_*")
    p.add_argument("--draws", type=int, default=200, help="draws per assumed effect (default 200, at most 100,000)")
    p.add_argument("--effects", default="0,-0.1,-0.2,-0.3", help="assumed joint-cloud effects on mean cost, comma "
                                                                  "separated, each above -0.9 and below 1, at most 20, "
                                                                  "all different (default 0,-0.1,-0.2,-0.3)")
    p.add_argument("--workers", type=int, help="worker processes (default: the usable cores)")
    p.add_argument("--seed", type=int, default=20181220, help="random seed (default 20181220)")
    from jichitai_cloud.registry.vocab import WITH_3, WITHOUT_3

    p.add_argument("--reading", default=WITHOUT_3, help="reading of 'single above none' under 20k for the ordering "
                                                         f"filter: {WITHOUT_3} (default: the 11,266円 mean without the "
                                                         f"three villages) or {WITH_3}")
    p.add_argument("--no-inferred-label", action="store_true",
                   help="no subset of draws near the inferred chart-label cell (9,820円)")
    p.add_argument("--no-progress", action="store_true", help="no progress on stderr (default: a bar on a terminal, "
                                                              "elsewhere a line with the time left every 30 s)")
    p.set_defaults(func=_simulate)
    p = sub.add_parser("reconcile", help="every mismatch between a stated figure and the data, with its "
                                         "explanation (exit 1 when one is unexplained)")
    p.add_argument("--all", action="store_true", help="every check, not only the mismatches")
    p.add_argument("--topic", help="only this topic (e.g. 'joint-cloud group list')")
    p.set_defaults(func=_reconcile)


def _report_options(p, single: bool) -> None:
    """A report's parameters as options, generated from :class:`params.ReportParams` (the fields whose
    ``option`` metadata names one; ``single``: for one report, with its scope), then the run's options."""
    import dataclasses

    from jichitai_cloud.report import params

    for f in dataclasses.fields(params.ReportParams):
        option = f.metadata["option"]
        if option is None or (f.metadata["single_only"] and not single):
            continue
        kw = dict(f.metadata["argparse"])
        if kw.get("action") not in ("store_true", "store_false"):
            kw["default"] = f.default
        p.add_argument(option, dest=f.name, help=f.metadata["help"], **kw)
    p.add_argument("--survey", help="a real survey file: data/processed is rebuilt from it first if needed")
    p.add_argument("--cost-unit", help="with --survey, when the cost header does not say: 千円 or 円")
    _accept_option(p)
    p.add_argument("--wait", action="store_true", help="wait for a build (or another report run) to finish "
                                                       "instead of refusing to start")
    p.add_argument("--reports-dir", help="write the reports under this folder instead of reports/")


def _report_commands(sub) -> None:
    """report, reports, refresh-notebooks."""
    p = sub.add_parser("report", help="render one report to reports/<scope>/[<name>/]report[.en].html")
    _report_options(p, single=True)
    p.set_defaults(func=_report)

    p = sub.add_parser("reports", help="render every report (national, 47 prefectures, 70 groups) in parallel, "
                                       "and reports/index.html")
    p.add_argument("--all", action="store_true", help="all 118 reports (per language; --lang ja,en or both: both "
                                                      "languages); a report whose inputs are unchanged and whose "
                                                      "published files verify is skipped")
    p.add_argument("--force", action="store_true", help="render every report, changed or not")
    p.add_argument("--workers", type=int, help="worker processes, at least 1 (default and maximum: the usable "
                                               "cores, fewer when memory is short)")
    p.add_argument("--no-progress", action="store_true", help="plain log lines instead of a progress bar")
    _report_options(p, single=False)
    p.set_defaults(func=_reports)

    p = sub.add_parser("refresh-notebooks",
                       help="rebuild data/processed, then re-execute committed notebooks in place "
                            "(after a deliberate change of outputs)")
    p.add_argument("notebooks", nargs="*", help="notebooks to execute (default: notebooks/*.ipynb)")
    p.set_defaults(func=_refresh_notebooks)


def _values_starting_with_minus(argv: list[str]) -> list[str]:
    """``--effects -0.1,-0.2`` as ``--effects=-0.1,-0.2``: argparse takes a value that starts with '-' (and
    is not one number) for an option; effects are naturally negative."""
    out, k = [], 0
    while k < len(argv):
        if argv[k] == "--effects" and k + 1 < len(argv) and argv[k + 1].startswith("-"):
            out.append(f"--effects={argv[k + 1]}")
            k += 2
        else:
            out.append(argv[k])
            k += 1
    return out


class _Parser(argparse.ArgumentParser):
    """argparse, but a bad option is one line like every other user error (`--help` still shows usage)."""

    def error(self, message: str):
        print(f"{self.prog}: error: {message} (see {self.prog} --help)", file=sys.stderr)
        raise SystemExit(2)


def _error(command: str, message: str) -> None:
    """One line per problem of ``message``; user text in it (file names, values) cannot act on the terminal."""
    from jichitai_cloud.io.escape import terminal_lines

    for line in terminal_lines(message.rstrip("\n")) or [""]:
        print(f"jichitai-cloud {command}: error: {line}", file=sys.stderr)


def _os_error(exc: OSError) -> str:
    where = " ".join(str(f) for f in (exc.filename, exc.filename2) if f)
    text = f"{exc.strerror or exc}" + (f": {where}" if where else "")
    if exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        text += " (the disk is full, or a file-size limit was reached)"
    return text


if __name__ == "__main__":
    sys.exit(main())
