"""Refresh the warehouse from live sources, incrementally.

Each collector asks the warehouse for its high-water mark and requests only what is missing.
A failing source does not stop the others; earlier loads stay intact and the failure is reported
with its reason. `--dry-run` lists the data requests a refresh would send, sending none.
"""

from __future__ import annotations

import argparse
import logging
import sys

from census.commands._common import add_http_options, help_of, open_warehouse, run_context
from census_base.errors import CensusError
from collectors.registry import collectors_by_name

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:
    short, full = help_of(__doc__)
    known = collectors_by_name()
    listing = "\n".join(f"  {name:<18} {spec.help}" for name, spec in sorted(known.items()))
    parser = subparsers.add_parser(
        "collect",
        help=short,
        description=f"{full}\n\nsources:\n{listing or '  (none)'}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "sources", nargs="*", metavar="SOURCE", help="sources to refresh (default: all)"
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="list the data requests a refresh would send; send none",
    )
    add_http_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    known = collectors_by_name()
    unknown = [s for s in args.sources if s not in known]
    if unknown:
        log.error("unknown source(s) %s; known: %s", unknown, ", ".join(sorted(known)))
        return 2
    chosen = [known[name] for name in (args.sources or sorted(known))]
    con = open_warehouse(args)
    failures: dict[str, str] = {}
    try:
        ctx = run_context(args, con, dry_run=args.dry_run)
        total = 0
        for spec in chosen:
            if args.dry_run:
                planned = spec.plan(ctx)
                total += len(planned)
                for request in planned:
                    sys.stdout.write(
                        f"{request.source}\t{request.method}\t{request.url}\t{request.purpose}\n"
                    )
                log.info("%s: %d data request(s) planned", spec.name, len(planned))
                continue
            try:
                written = spec.run(ctx)
            except (CensusError, OSError) as exc:
                failures[spec.name] = str(exc)
                log.error("%s failed (earlier loads are intact): %s", spec.name, exc)
                continue
            log.info("%s: %d new or changed rows", spec.name, written)
        if args.dry_run:
            sys.stdout.write(f"# {total} data request(s) in all\n")
    finally:
        con.close()
    if failures:
        log.error("failed sources: %s", ", ".join(f"{k} ({v})" for k, v in failures.items()))
        return 1
    return 0
