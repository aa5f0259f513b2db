"""Regenerate the trend report: output/<as-of>/ and output/latest/ (in the current folder).

index.html (self-contained, opens offline), report.md (embeds the PNGs), and per chart a PNG,
an SVG, the CSV of exactly the data shown and a citation line; provenance.json lists the loads
behind every chart. An empty warehouse is first restored from the shipped snapshot. When
neither the warehouse nor the report code changed since the last build of that date, the
report on disk is kept (use --force to rebuild); charts whose spec and data did not change are
copied from the render cache.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from census_base.errors import CensusError
from warehouse.db import default_db_path

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
        help="reproduce the report as the warehouse stood at this date "
        "(loads finished after it are ignored)",
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

    started = time.monotonic()
    path = Path(args.db) if getattr(args, "db", None) else default_db_path()
    stamp = args.as_of or datetime.now(UTC).date()
    if not args.force and reuse_report(path, args.out, args.as_of, stamp):
        log.info(
            "report unchanged (same warehouse loads and code): %s (%.2f s)",
            args.out / stamp.isoformat() / "index.html",
            time.monotonic() - started,
        )
        return 0

    from reports.build import build_report
    from reports.render import Renderer
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
            result = build_report(con, staging, args.as_of, Renderer(args.cache))
        finally:
            con.close()
        if result.figures == 0:
            msg = f"no chart to report: warehouse {path} holds no chartable data"
            raise CensusError(msg)
        for name in (stamp.isoformat(), "latest"):
            if (args.out / name).exists():
                shutil.rmtree(args.out / name)
            (staging / name).replace(args.out / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if created and not any(args.out.iterdir()):
            args.out.rmdir()
    log.info(
        "report written: %s (%d charts, %.2f s)",
        args.out / stamp.isoformat() / "index.html",
        result.figures,
        time.monotonic() - started,
    )
    return 0
