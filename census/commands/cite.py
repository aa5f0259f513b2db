"""Print the citation of a report chart: id, title, data period, sources, report date, code.

Reads the built report (default output/latest/provenance.json) and the chart's CSV, whose
sha256 the citation carries, so a reader can check the numbers they cite. Chart ids are stable
between reports (the anchor on the report page is the same id).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from census.commands._common import help_of
from census_base.errors import CensusError

FORMATS = ("markdown", "bibtex", "csl-json")  # reports.citation.FORMATS (checked by a test)


def register(subparsers: argparse._SubParsersAction) -> None:
    short, full = help_of(__doc__)
    parser = subparsers.add_parser("cite", help=short, description=full)
    parser.add_argument(
        "chart_id", metavar="CHART_ID", help="the chart's id, e.g. headline-adoption-index"
    )
    parser.add_argument("--format", choices=FORMATS, default="markdown")
    parser.add_argument(
        "--report",
        type=Path,
        default=Path("output/latest"),
        help="the report folder to cite (default: output/latest)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from reports.citation import format_citation

    try:
        report = json.loads((args.report / "provenance.json").read_text())
    except (OSError, ValueError) as exc:
        msg = f"no report in {args.report} (provenance.json unreadable: {exc}); run census report"
        raise CensusError(msg) from exc
    figures = {f["id"]: f for f in report.get("figures", [])}
    if args.chart_id not in figures:
        known = ", ".join(sorted(figures)) or "none"
        msg = f"no chart {args.chart_id!r} in the report {args.report}; charts: {known}"
        raise CensusError(msg)
    figure = figures[args.chart_id]
    csv = args.report / "figures" / f"{args.chart_id}.csv"
    try:
        digest = hashlib.sha256(csv.read_bytes()).hexdigest()
    except OSError as exc:
        msg = f"chart {args.chart_id}: its CSV {csv} is missing ({exc}); rebuild the report"
        raise CensusError(msg) from exc
    stored = figure.get("csv_sha256")
    if stored and stored != digest:
        msg = f"chart {args.chart_id}: {csv} was changed after the report was built"
        raise CensusError(msg)
    where = f"{(args.report / 'index.html').resolve().as_uri()}#{args.chart_id}"
    sys.stdout.write(format_citation(figure, report, digest, where, args.format) + "\n")
    return 0
