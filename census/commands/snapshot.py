"""Rebuild the shipped snapshot (warehouse/shipped_snapshot/, package data) from upstream archives.

Runs every ingest step of warehouse/snapshot_recipe.toml against the upstream data folder
(default ../shared/data, or --shared) into a fresh warehouse, then exports it as Parquet.
"""

from __future__ import annotations

import argparse
import logging
import os
import tomllib
from pathlib import Path

from census.commands._common import add_http_options, help_of, run_context
from census_base.errors import CensusError
from census_base.paths import SHARED_DATA_DEFAULT, SOURCE_ROOT
from collectors.registry import ingesters
from warehouse.db import connect
from warehouse.snapshot import RECIPE_FILE, SNAPSHOT_DIR, export_snapshot

log = logging.getLogger(__name__)
DEFAULT_SHARED = SHARED_DATA_DEFAULT


def register(subparsers: argparse._SubParsersAction) -> None:
    short, full = help_of(__doc__)
    parser = subparsers.add_parser("snapshot", help=short, description=full)
    parser.add_argument(
        "--shared",
        type=Path,
        default=DEFAULT_SHARED,
        help=f"upstream data folder (default: {DEFAULT_SHARED})",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=SNAPSHOT_DIR,
        help="snapshot folder (default: warehouse/shipped_snapshot)",
    )
    parser.add_argument(
        "--work-db",
        type=Path,
        default=Path("data/snapshot-build.duckdb"),
        help="scratch warehouse the snapshot is built in (recreated)",
    )
    add_http_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    recipe = tomllib.loads(RECIPE_FILE.read_text())
    known = ingesters()
    unknown = sorted({step["source"] for step in recipe.get("ingest", [])} - set(known))
    if unknown:
        msg = f"{RECIPE_FILE}: step(s) name no registered ingester: {', '.join(unknown)}"
        raise CensusError(msg)
    args.work_db.unlink(missing_ok=True)
    con = connect(args.work_db)
    try:
        ctx = run_context(args, con)
        for step in recipe.get("ingest", []):
            base = SOURCE_ROOT if step.get("root") == "repo" else args.shared
            target = base / step["path"]
            if not target.exists():
                log.warning("skipped %s: %s does not exist", step["source"], target)
                continue
            log.info("ingest %s %s", step["source"], target)
            # Relative to the working folder, so no machine path enters the shipped provenance.
            known[step["source"]].run(ctx, os.path.relpath(target))
        manifest = export_snapshot(con, args.out)
    finally:
        con.close()
    rows = sum(t["rows"] for t in manifest["tables"].values())
    log.info("snapshot written to %s: %d tables, %d rows", args.out, len(manifest["tables"]), rows)
    return 0
