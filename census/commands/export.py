"""Write datasets (the documented views) as Parquet or CSV files.

One file per dataset, named after it. `--as-of` exports the warehouse as it stood at that date.
"""

from __future__ import annotations

import argparse
import logging
from datetime import date
from pathlib import Path

from census.commands._common import db_path, help_of
from warehouse.datasets import list_datasets, load_dataset
from warehouse.db import connect
from warehouse.ensure import ensure_warehouse

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:
    short, full = help_of(__doc__)
    parser = subparsers.add_parser("export", help=short, description=full)
    parser.add_argument(
        "datasets",
        nargs="*",
        metavar="DATASET",
        help="datasets to export (default: all); see `census datasets`",
    )
    parser.add_argument("--format", choices=["parquet", "csv"], default="parquet")
    parser.add_argument(
        "--out", type=Path, default=Path("data/export"), help="output folder (default: data/export)"
    )
    parser.add_argument("--as-of", type=date.fromisoformat, help="YYYY-MM-DD")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    known = list_datasets()
    unknown = [d for d in args.datasets if d not in known]
    if unknown:
        log.error("unknown dataset(s) %s; known: %s", unknown, ", ".join(sorted(known)))
        return 2
    ensure_warehouse(db_path(args))
    con = connect(db_path(args))
    args.out.mkdir(parents=True, exist_ok=True)
    try:
        for name in args.datasets or sorted(known):
            frame = load_dataset(con, name, args.as_of)
            target = args.out / f"{name}.{args.format}"
            if args.format == "csv":
                frame.to_csv(target, index=False)
            else:
                frame.to_parquet(target, index=False)
            log.info("%s: %d rows -> %s", name, len(frame), target)
    finally:
        con.close()
    return 0
