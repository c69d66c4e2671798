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

    build.build()


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
    sub.add_parser("build", help="build data/processed/ from data/raw/").set_defaults(func=_build)
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

    try:
        args.func(args)
    except (SourceError, StoreError, ParameterError, ReportError) as exc:
        print(f"jichitai-cloud {args.command}: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
