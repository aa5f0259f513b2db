"""Regenerate the trend report: reports/<as-of>/ and reports/latest/.

index.html (self-contained, opens offline), report.md (embeds the PNGs), and per chart a PNG,
an SVG, the CSV of exactly the data shown and a citation line; provenance.json lists the loads
behind every chart. An empty warehouse is first restored from the shipped snapshot.
"""

from __future__ import annotations

import argparse
import logging
from datetime import date
from pathlib import Path

from census.commands._common import db_path, help_of
from reports.build import DEFAULT_OUT, build_report
from reports.render import DEFAULT_CACHE, Renderer
from warehouse.db import connect
from warehouse.ensure import ensure_warehouse

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:
    short, full = help_of(__doc__)
    parser = subparsers.add_parser("report", help=short, description=full)
    parser.add_argument(
        "--as-of",
        type=date.fromisoformat,
        help="reproduce the report as the warehouse stood at this date "
        "(loads finished after it are ignored)",
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="output root (default: reports)"
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=DEFAULT_CACHE,
        help="render cache folder (default: data/render-cache)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    path = db_path(args)
    ensure_warehouse(path)
    con = connect(path)
    try:
        result = build_report(con, args.out, args.as_of, Renderer(args.cache))
    finally:
        con.close()
    log.info(
        "report written: %s (%d charts, %.2f s)",
        result.folder / "index.html",
        result.figures,
        result.seconds,
    )
    return 0
