"""Run one read-only SQL query against the warehouse and print the result.

The connection is read-only with external access off: a query cannot write, ATTACH, COPY, or
read files. Tables and views: see `census datasets`.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date

import duckdb
import pandas as pd

from census.commands._common import db_path, help_of
from warehouse.db import set_as_of
from warehouse.ensure import ensure_warehouse


def register(subparsers: argparse._SubParsersAction) -> None:
    short, full = help_of(__doc__)
    parser = subparsers.add_parser("query", help=short, description=full)
    parser.add_argument("sql", help="one SQL statement (SELECT, WITH, DESCRIBE, SHOW ...)")
    parser.add_argument(
        "--format",
        choices=["table", "csv", "json"],
        default="table",
        help="output format (default: table)",
    )
    parser.add_argument(
        "--as-of",
        type=date.fromisoformat,
        help="query the warehouse as it stood at this date (YYYY-MM-DD)",
    )
    parser.set_defaults(func=run)


def open_read_only(path: str) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(path, read_only=True, config={"enable_external_access": False})
    return con


def run_query(con: duckdb.DuckDBPyConnection, sql: str, as_of: date | None = None) -> pd.DataFrame:
    set_as_of(con, as_of)
    con.execute("SET lock_configuration = true")
    return con.execute(sql).df()


def format_frame(frame: pd.DataFrame, fmt: str) -> str:
    if fmt == "csv":
        return frame.to_csv(index=False)
    if fmt == "json":
        return frame.to_json(orient="records", date_format="iso", indent=1) + "\n"
    with pd.option_context(
        "display.max_rows",
        500,
        "display.max_columns",
        50,
        "display.width",
        200,
        "display.max_colwidth",
        60,
    ):
        return frame.to_string(index=False) + "\n"


def run(args: argparse.Namespace) -> int:
    path = db_path(args)
    ensure_warehouse(path)
    con = open_read_only(str(path))
    try:
        frame = run_query(con, args.sql, args.as_of)
    except duckdb.Error as exc:
        sys.stderr.write(f"query failed: {exc}\n")
        return 2
    finally:
        con.close()
    sys.stdout.write(format_frame(frame, args.format))
    return 0
