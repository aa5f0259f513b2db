"""Regenerate the trend report: output/<as-of>/ and output/latest/ (in the current folder).

index.html (self-contained, opens offline, any screen width), report.md (embeds the PNGs),
summary.md (the executive summary it opens with), changes.md/changes.json (what changed since
the previous report), and per chart a PNG, an SVG, the CSV of exactly the data shown and a
citation (`census cite ID`); provenance.json lists the loads behind every chart. An empty
warehouse is first restored from the shipped snapshot. --as-of DATE cuts the data at that date
(periods ending after it are left out); --loads-before DATE ignores loads finished after it.
A report for a past date goes to output/<date>/ and replaces output/latest/ only with --latest.
When neither the warehouse, the report code nor the report compared with changed since the
last build of that date, the report on disk is kept (use --force to rebuild); charts whose
spec and data did not change are copied from the render cache.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from census_base.errors import CensusError
from warehouse.db import default_db_path

if TYPE_CHECKING:
    from reports.build import ReportResult
    from reports.render import Renderer

# Heavy modules (pandas, altair, vl-convert; requests via census.commands._common) are
# imported in run(), after the "nothing changed" check, so that check stays well under 1 s.
log = logging.getLogger(__name__)

# Generated output goes under the current folder, never into a code package.
DEFAULT_OUT = Path("output")
DEFAULT_CACHE = DEFAULT_OUT / ".render-cache"


def register(subparsers: argparse._SubParsersAction) -> None:
    full = (__doc__ or "").strip()
    short = full.split("\n", 1)[0]
    parser = subparsers.add_parser("report", help=short, description=full)
    parser.add_argument(
        "--as-of",
        type=date.fromisoformat,
        metavar="DATE",
        help="cut the data at this date: periods ending after it are left out "
        "(written to output/DATE/)",
    )
    parser.add_argument(
        "--loads-before",
        type=date.fromisoformat,
        metavar="DATE",
        help="use only loads finished by this date (the warehouse as it stood then)",
    )
    parser.add_argument(
        "--latest",
        action="store_true",
        help="also replace output/latest/ with a report for a past date",
    )
    parser.add_argument(
        "--since",
        metavar="DIR|DATE",
        help="compare with this report (a folder, or a date in the output root) instead of "
        "the latest earlier one",
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="output root (default: output)"
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=DEFAULT_CACHE,
        help="render cache folder (default: output/.render-cache)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="rebuild even when nothing changed since the last build",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from reports.freshness import reuse_report
    from reports.previous import find_base, fingerprint_extra

    started = time.monotonic()
    path = Path(args.db) if getattr(args, "db", None) else default_db_path()
    today = datetime.now(UTC).date()
    stamp = args.as_of or args.loads_before or today
    latest = args.latest or stamp >= today
    try:
        base = find_base(args.out, stamp, args.since)
    except FileNotFoundError as exc:
        raise CensusError(str(exc)) from exc
    extra = fingerprint_extra(args.as_of, base)
    if not args.force and reuse_report(
        path, args.out, args.loads_before, stamp, extra, latest=latest
    ):
        log.info(
            "report unchanged (same warehouse loads, code and report compared with): %s (%.2f s)",
            args.out / stamp.isoformat() / "index.html",
            time.monotonic() - started,
        )
        return 0

    from reports.render import Renderer

    renderer = Renderer(args.cache)
    renderer.start()  # the render workers start while the report's libraries are imported
    try:
        result = _build(args, path, stamp, latest, base, renderer)
    finally:
        renderer.close()  # workers stopped even when the build failed before rendering
    log.info(
        "report written: %s (%d charts, %.2f s)%s",
        args.out / stamp.isoformat() / "index.html",
        result.figures,
        time.monotonic() - started,
        "" if latest else f"; {args.out / 'latest'} left as it was (use --latest to replace it)",
    )
    return 0


def _build(
    args: argparse.Namespace,
    path: Path,
    stamp: date,
    latest: bool,
    base: Path | None,
    renderer: Renderer,
) -> ReportResult:
    from reports.build import build_report
    from warehouse.db import connect
    from warehouse.ensure import ensure_warehouse

    ensure_warehouse(path)
    # Built aside and moved into place only when it has charts: a failed or empty build leaves
    # the report on disk as it was.
    created = not args.out.exists()
    args.out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".building-", dir=args.out))
    try:
        con = connect(path)
        try:
            result = build_report(
                con,
                staging,
                args.loads_before,
                renderer,
                data_as_of=args.as_of,
                latest=latest,
                since=base,
            )
        finally:
            con.close()
        if result.figures == 0:
            msg = f"no chart to report: warehouse {path} holds no chartable data"
            if args.loads_before or args.as_of:
                msg += (
                    f" with loads finished by {args.loads_before}"
                    if args.loads_before
                    else f" in periods ending by {args.as_of}"
                )
            raise CensusError(msg)
        for name in (stamp.isoformat(), "latest"):
            if not (staging / name).exists():
                continue
            if (args.out / name).exists():
                shutil.rmtree(args.out / name)
            (staging / name).replace(args.out / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if created and not any(args.out.iterdir()):
            args.out.rmdir()
    return result
