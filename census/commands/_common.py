"""Helpers shared by subcommands: opening the warehouse, building a run context."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from census.failures import SECRET_ENV
from warehouse.db import connect, default_db_path

if TYPE_CHECKING:
    from collectors.registry import RunContext

RAW_DIR_DEFAULT = Path("data/raw")


def db_path(args: argparse.Namespace) -> Path:
    return Path(args.db) if getattr(args, "db", None) else default_db_path()


def open_warehouse(args: argparse.Namespace) -> duckdb.DuckDBPyConnection:
    return connect(db_path(args))


def add_http_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--raw-dir",
        type=Path,
        default=RAW_DIR_DEFAULT,
        help="raw response archive (default: data/raw)",
    )
    parser.add_argument(
        "--replay",
        action="store_true",
        help="answer requests from the raw archive instead of the network",
    )


def run_context(
    args: argparse.Namespace, con: duckdb.DuckDBPyConnection, dry_run: bool = False
) -> RunContext:
    from collectors.http import HttpClient  # requests: only for commands that fetch
    from collectors.registry import RunContext

    secrets = [os.environ[name] for name in SECRET_ENV if os.environ.get(name)]
    http = HttpClient(args.raw_dir, replay=args.replay, secrets=secrets)
    return RunContext(con=con, http=http, raw_root=args.raw_dir, dry_run=dry_run)


def help_of(module_doc: str | None) -> tuple[str, str]:
    """(one-line help, full description) from a module docstring."""
    doc = (module_doc or "").strip()
    return doc.split("\n", 1)[0], doc
