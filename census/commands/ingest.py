"""Load a published archive (file, folder or URL) into the warehouse.

Each source is one load: all of it is stored, or (on any error) nothing, and what was stored
before stays as it was. Run `census ingest --help` for the list of sources.
"""

from __future__ import annotations

import argparse
import logging

from census.commands._common import add_http_options, help_of, open_warehouse, run_context
from collectors.registry import ingester, ingester_names

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:
    short, full = help_of(__doc__)
    known = ingester_names()  # from the source table: no collector is imported to parse args
    listing = "\n".join(f"  {name:<22} loads source {src}" for name, src in sorted(known.items()))
    parser = subparsers.add_parser(
        "ingest",
        help=short,
        description=f"{full}\n\nsources:\n{listing}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "source",
        choices=sorted(known),
        metavar="SOURCE",
        help="one of: " + ", ".join(sorted(known)),
    )
    parser.add_argument(
        "path_or_url",
        metavar="PATH_OR_URL",
        help="a file, a folder (searched recursively) or an http(s) URL",
    )
    add_http_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    spec = ingester(args.source)
    con = open_warehouse(args)
    try:
        written = spec.run(run_context(args, con), args.path_or_url)
    finally:
        con.close()
    log.info("ingest %s: %d new or changed rows", args.source, written)
    return 0
