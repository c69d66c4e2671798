"""The ``jichitai-cloud`` command: data, build, report and housekeeping."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__


def _data(args) -> None:
    from . import sources

    sources.materialise(Path(args.datastore).resolve() if args.datastore else None)
    sources.verify()
    print(f"data/raw: {len(sources.manifest())} files present, sha256 verified")


def _verify(args) -> None:
    from . import sources

    sources.verify(log=print)


def _build(args) -> None:
    from . import build

    build.build(survey_file=args.survey, cost_unit=args.cost_unit)


def _check_survey(args) -> None:
    from . import checks, municipalities, published, store, survey

    try:
        frame = store.read_table("municipalities")
    except store.StoreError:
        frame = municipalities.base_frame()
    pub = published.tables()
    table = survey.load_real(args.file, frame, args.cost_unit, pub)
    rec = checks.frame(survey.reconcile(table, pub, "reported", frame))
    ok = int((rec["status"] == checks.OK).sum())
    print(f"{args.file}: valid ({len(table)} municipalities, {int(table['it_cost_yen'].isna().sum())} costs missing)")
    print(f"against the published tables: {ok} of {len(rec)} figures reproduced")
    for r in checks.mismatches(rec).itertuples():
        print(f"  differs: {r.description}: published {checks.fmt(r.stated)}, file {checks.fmt(r.computed)}")
    print("nothing was written; `jichitai-cloud build --survey FILE` builds with it")


def _report(args) -> None:
    from . import reports

    reports.render(scope=args.scope, lang=args.lang)


def _tables(args) -> None:
    from . import store

    for name, doc in store.TABLES.items():
        print(f"{name}\n    {doc}")


def _refresh_notebooks(args) -> None:
    from . import paths, reports

    targets = [Path(p).resolve() for p in args.notebooks] or sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb"))
    for nb in targets:
        reports.execute_in_place(nb)
        print(f"executed {nb.relative_to(paths.PROJECT_ROOT)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="jichitai-cloud", description=__doc__)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("data", help="copy the raw files from the datastore into data/raw/ and verify them")
    p.add_argument("--datastore", help="datastore folder (default: $JICHITAI_CLOUD_DATASTORE or ../shared/datastore)")
    p.set_defaults(func=_data)
    sub.add_parser("verify", help="check data/raw/ against data/raw/SOURCES.yml").set_defaults(func=_verify)
    p = sub.add_parser("build", help="build data/processed/ from data/raw/ (all tables or none)")
    p.add_argument("--survey", help="a real per-municipality survey file (CSV or XLSX); default: "
                                    "$JICHITAI_CLOUD_SURVEY, the one file in data/raw/survey/, else simulated")
    p.add_argument("--cost-unit", help="unit of the cost column when its header does not say: 千円 or 円")
    p.set_defaults(func=_build)
    p = sub.add_parser("check-survey", help="validate a real survey file and compare it with the published "
                                            "tables, writing nothing")
    p.add_argument("file")
    p.add_argument("--cost-unit", help="unit of the cost column when its header does not say: 千円 or 円")
    p.set_defaults(func=_check_survey)
    sub.add_parser("tables", help="list the processed tables").set_defaults(func=_tables)

    p = sub.add_parser("report", help="render one report to reports/<scope>/report[.en].html")
    p.add_argument("--scope", default="national", help="which report (default national; valid: national)")
    p.add_argument("--lang", default="ja", help="language of headings and labels: ja (default) or en; "
                                                "English reports are written to report.en.html")
    p.set_defaults(func=_report)

    p = sub.add_parser("refresh-notebooks",
                       help="re-execute committed notebooks in place (after a deliberate change of outputs)")
    p.add_argument("notebooks", nargs="*", help="notebooks to execute (default: notebooks/*.ipynb)")
    p.set_defaults(func=_refresh_notebooks)

    args = parser.parse_args(argv)
    from .published import PUBLISHER  # noqa: F401  (import check: fail fast on a broken install)
    from .reports import ParameterError, ReportError
    from .sources import SourceError
    from .store import StoreError
    from .survey import SurveyFileError

    try:
        args.func(args)
    except BrokenPipeError:  # output piped into `head` and closed: not an error of ours
        sys.stderr.close()
        return 0
    except (SourceError, StoreError, ParameterError, ReportError, SurveyFileError) as exc:
        print(f"jichitai-cloud {args.command}: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
