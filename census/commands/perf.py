"""Measure the data pipeline: ingest, report (warm and unchanged) and a typical query.

Times `census ingest top-pypi` of the upstream archive into a scratch warehouse, a report build
on that warm warehouse (charts rendered), a rebuild with nothing changed (render cache), and the
median of repeated typical report queries. Prints a table; nothing is stored in the warehouse.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

from census.commands._common import help_of
from census.commands.snapshot import DEFAULT_SHARED
from collectors.http import HttpClient
from collectors.registry import RunContext, ingesters
from reports.build import build_report
from reports.render import Renderer
from warehouse.db import connect

log = logging.getLogger(__name__)

TYPICAL_QUERIES = {
    "share per month (downloads_monthly)": """
        SELECT month, sum(downloads) FILTER (family = 'torch') / sum(downloads) AS share
        FROM downloads_monthly WHERE role = 'core' AND family IN ('torch', 'tensorflow')
        GROUP BY month ORDER BY month""",
    "one package's 30-day history": """
        SELECT window_end_date, downloads FROM pypi_downloads_30d
        WHERE package = 'torch' ORDER BY window_end_date""",
}


def register(subparsers: argparse._SubParsersAction) -> None:
    short, full = help_of(__doc__)
    parser = subparsers.add_parser("perf", help=short, description=full)
    parser.add_argument(
        "--shared",
        type=Path,
        default=DEFAULT_SHARED,
        help=f"upstream data folder (default: {DEFAULT_SHARED})",
    )
    parser.add_argument("--repeat", type=int, default=20, help="query repetitions (default 20)")
    parser.set_defaults(func=run)


def _timed(fn: object) -> float:
    started = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - started


def run(args: argparse.Namespace) -> int:
    source = args.shared / "top-pypi-packages"
    if not source.exists():
        log.error("perf needs the upstream archive at %s", source)
        return 2
    results: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        con = connect(root / "perf.duckdb")
        ctx = RunContext(con, HttpClient(None), root / "raw")
        spec = ingesters()["top-pypi"]
        seconds = _timed(lambda: spec.run(ctx, str(source)))
        results.append(("ingest top-pypi (all files, fresh warehouse)", f"{seconds:.2f} s"))
        renderer = Renderer(root / "cache")
        renderer.javascript_bundle()  # built once per vl-convert version, then cached
        seconds = _timed(lambda: build_report(con, root / "reports", renderer=renderer))
        results.append(("report, warm warehouse (charts rendered)", f"{seconds:.2f} s"))
        seconds = _timed(lambda: build_report(con, root / "reports", renderer=renderer))
        results.append(("report, nothing changed (render cache)", f"{seconds:.2f} s"))
        for name, sql in TYPICAL_QUERIES.items():
            times = [_timed(lambda sql=sql: con.execute(sql).df()) for _ in range(args.repeat)]
            results.append((f"query: {name}", f"{statistics.median(times) * 1000:.1f} ms median"))
        con.close()
    width = max(len(name) for name, _ in results)
    for name, value in results:
        sys.stdout.write(f"{name:<{width}}  {value}\n")
    return 0
