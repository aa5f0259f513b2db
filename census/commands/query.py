"""Run one read-only SQL query against the warehouse and print the result.

The file is opened read-only with external access off: a query cannot write, ATTACH, COPY, or
read files, and nothing is migrated, restored or created (a missing or foreign file is an
error). Several queries can run at once. One statement only; the table format shows at most
--limit rows, CSV and JSON stream every row. --timeout stops a long query; so does Ctrl-C.
Tables and views: see `census datasets`.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import re
import sys
import threading
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

import duckdb

from census.commands._common import db_path, help_of
from census_base.errors import CensusError
from warehouse.access import WarehouseError, open_duckdb
from warehouse.db import set_as_of

log = logging.getLogger(__name__)

BATCH_ROWS = 50_000
DEFAULT_TIMEOUT = 300.0
DEFAULT_LIMIT = 500
MAX_CELL = 60  # table format: longer values are cut (CSV and JSON keep them whole)
DEFAULT_MEMORY = "4GB"
REQUIRED_TABLES = ("_migrations", "_loads")


class QueryError(CensusError):
    """The query could not run or was stopped."""


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
    parser.add_argument(
        "--limit",
        type=int,
        default=DEFAULT_LIMIT,
        help=f"most rows shown in table format (default: {DEFAULT_LIMIT})",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help=f"stop the query after this many seconds (default: {DEFAULT_TIMEOUT:.0f})",
    )
    parser.add_argument(
        "--memory-limit",
        default=DEFAULT_MEMORY,
        help=f"most memory the query may use, e.g. 500MB, 8GB (default: {DEFAULT_MEMORY})",
    )
    parser.add_argument(
        "--wait",
        type=float,
        default=0.0,
        help="while another command holds the warehouse, retry this many seconds (default: 0)",
    )
    parser.set_defaults(func=run)


def open_read_only(path: str, wait: float = 0.0) -> duckdb.DuckDBPyConnection:
    """Open an existing census warehouse read-only, external access off; never creates it."""
    if not Path(path).exists():
        msg = (
            f"--db {path}: no such warehouse (query never creates one); build it with "
            "`census export` or `census report` (they restore the shipped snapshot) or load "
            "data with `census ingest`"
        )
        raise WarehouseError(msg)
    con = open_duckdb(
        path,
        read_only=True,
        config={"enable_external_access": False},
        wait=wait,
        busy_hint="retry when it is done, or pass --wait SECONDS",
    )
    names = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    missing = [t for t in REQUIRED_TABLES if t not in names]
    if missing:
        con.close()
        msg = f"--db {path}: a DuckDB file but not a census warehouse (no {missing[0]} table)"
        raise WarehouseError(msg)
    return con


def set_memory_limit(con: duckdb.DuckDBPyConnection, limit: str) -> None:
    try:
        con.execute(f"SET memory_limit = '{_memory_text(limit)}'")
    except duckdb.Error as exc:
        msg = f"--memory-limit {limit!r}: {str(exc).splitlines()[0]}"
        raise QueryError(msg) from exc


def _memory_text(limit: str) -> str:
    """A size such as 500MB or 4GB (checked here: SET takes no bound parameter)."""
    if not re.fullmatch(r"\d+(\.\d+)?\s*[KMGT]i?B", limit.strip(), flags=re.IGNORECASE):
        msg = f"--memory-limit {limit!r}: give a size such as 500MB or 4GB"
        raise QueryError(msg)
    return limit.strip()


def single_statement(con: duckdb.DuckDBPyConnection, sql: str) -> str:
    """The SQL if it holds exactly one statement; else QueryError."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        msg = f"query failed: {str(exc).splitlines()[0]}"
        raise QueryError(msg) from exc
    if len(statements) != 1:
        msg = f"query failed: give exactly one SQL statement (got {len(statements)})"
        raise QueryError(msg)
    return sql


Batch = tuple[list[str], list[tuple[Any, ...]]]  # column names, rows


def batches(con: duckdb.DuckDBPyConnection, sql: str, first: int | None = None) -> Iterator[Batch]:
    """The result in batches of at most BATCH_ROWS rows, fetched as they are consumed (plain
    Python rows: formatting the output needs no data-frame library). With ``first``, only the
    first ``first`` rows, in one batch and without the Arrow stream (so without importing
    pyarrow and numpy: most of a short query's start)."""
    relation = con.sql(sql)
    if relation is None:  # a statement without a result (e.g. SET), refused or harmless
        return
    columns = list(relation.columns)
    if first is not None:
        yield columns, relation.limit(first).fetchall()
        return
    reader = relation.to_arrow_reader(BATCH_ROWS)
    empty = True
    try:
        for batch in reader:
            empty = False
            values = [column.to_pylist() for column in batch.columns]
            yield columns, list(zip(*values, strict=True))
    finally:
        reader.close()  # an open reader keeps the connection busy (close would refuse)
    if empty:
        yield columns, []


def _text(value: Any) -> str:
    """A value as CSV and table cells show it ('' for NULL, ISO dates)."""
    if value is None:
        return ""
    if isinstance(value, date | datetime):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    return str(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return str(value) if isinstance(value, bytes | timedelta) else value


def write_csv(parts: Iterator[Batch], out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    for number, (columns, rows) in enumerate(parts):
        if number == 0:
            writer.writerow(columns)
        writer.writerows([_text(v) for v in row] for row in rows)


def write_json(parts: Iterator[Batch], out: TextIO) -> None:
    """A JSON array of records, written batch by batch (one line per batch)."""
    out.write("[")
    first = True
    for columns, rows in parts:
        if not rows:
            continue
        records = (
            json.dumps(dict(zip(columns, map(_json_value, row), strict=True))) for row in rows
        )
        out.write(("\n" if first else ",\n") + ",".join(records))
        first = False
    out.write("\n]\n")


def write_table(parts: Iterator[Batch], out: TextIO, limit: int) -> None:
    """At most ``limit`` rows (stops fetching there) and a note when there were more."""
    columns: list[str] = []
    shown: list[tuple[Any, ...]] = []
    more = False
    for names, rows in parts:
        columns = names
        shown.extend(rows)
        if len(shown) > limit:
            more = True
            break
    shown = shown[:limit]
    cells = [[_text(v)[:MAX_CELL] for v in row] for row in shown]
    numeric = [
        all(isinstance(row[i], int | float | Decimal) for row in shown if row[i] is not None)
        for i in range(len(columns))
    ]
    widths = [max([len(c), *(len(row[i]) for row in cells)]) for i, c in enumerate(columns)]

    def line(values: list[str]) -> str:
        padded = (
            v.rjust(w) if right else v.ljust(w)
            for v, w, right in zip(values, widths, numeric, strict=True)
        )
        return "  ".join(padded).rstrip()

    out.write("\n".join([line(columns), *(line(row) for row in cells)]) + "\n")
    if more:
        log.warning("showing the first %d rows; use --format csv or json for all", limit)


def write_result(con: duckdb.DuckDBPyConnection, sql: str, fmt: str, limit: int) -> None:
    if fmt == "csv":
        write_csv(batches(con, sql), sys.stdout)
    elif fmt == "json":
        write_json(batches(con, sql), sys.stdout)
    else:  # one row more than shown tells whether there are more
        write_table(batches(con, sql, first=limit + 1), sys.stdout, limit)
    sys.stdout.flush()


class Worker(threading.Thread):
    """Writes the result in a thread; ``done`` is set when it stops, with or without error."""

    def __init__(self, con: duckdb.DuckDBPyConnection, args: argparse.Namespace) -> None:
        super().__init__(daemon=True)
        self.con = con
        self.args = args
        self.done = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            write_result(self.con, self.args.sql, self.args.format, self.args.limit)
        except BaseException as exc:  # handed to the main thread
            self.error = exc
        finally:
            self.done.set()

    def finish(self) -> None:
        """Wait until stopped (an Event, since a join interrupted by Ctrl-C may not wait)."""
        while not self.done.wait(0.05):
            pass


def run_interruptible(con: duckdb.DuckDBPyConnection, work: Worker, timeout: float) -> None:
    """Run ``work`` while watching the clock and Ctrl-C; either interrupts DuckDB at once."""
    started = time.monotonic()
    work.start()
    try:
        while not work.done.wait(0.05):
            if time.monotonic() - started > timeout:
                con.interrupt()
                work.finish()
                msg = f"query stopped after {timeout:.0f} s (--timeout); nothing was changed"
                raise QueryError(msg)
    except KeyboardInterrupt:
        con.interrupt()
        work.finish()
        raise


def run(args: argparse.Namespace) -> int:
    con = open_read_only(str(db_path(args)), wait=args.wait)
    work = Worker(con, args)
    try:
        set_as_of(con, args.as_of)
        set_memory_limit(con, args.memory_limit)
        con.execute("SET lock_configuration = true")
        single_statement(con, args.sql)
        run_interruptible(con, work, args.timeout)
    finally:
        con.close()
    error = work.error
    if error is not None:
        if isinstance(error, BrokenPipeError):
            return 0
        if isinstance(error, duckdb.Error):
            msg = f"query failed: {str(error).splitlines()[0]}"
            raise QueryError(msg) from error
        raise error
    return 0
