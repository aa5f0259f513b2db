"""Idempotent, atomic loads with provenance.

``begin_load`` opens one transaction and a ``_loads`` row; ``Load.upsert`` inserts new or changed
versions; on any error everything of that load is rolled back (what was stored before stays
untouched) and a ``failed`` row records why.
"""

from __future__ import annotations

import contextlib
import json
import logging
import secrets
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeAlias

import duckdb

from census_base.errors import DataQualityError
from census_base.gitinfo import git_sha
from warehouse.db import PROVENANCE_COLUMNS, create_views, fact_tables

if TYPE_CHECKING:
    import pandas as pd

log = logging.getLogger(__name__)
# What a load upserts: a DataFrame (registered for the insert), or a DuckDB relation of the
# same connection (a query or a temp table: the rows never leave DuckDB, no pandas needed).
Rows: TypeAlias = "pd.DataFrame | duckdb.DuckDBPyRelation"


@dataclass(frozen=True)
class SourceInfo:
    """A row of the ``sources`` table: what a source is and how to cite it."""

    name: str
    description: str
    licence: str
    citation: str
    upstream_url: str


def new_load_id(source: str) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    return f"{stamp}-{source}-{secrets.token_hex(3)}"


@dataclass
class Load:
    con: duckdb.DuckDBPyConnection
    load_id: str
    source: str
    rows_written: int = 0

    def upsert(self, table: str, rows: Rows) -> int:
        """Insert the rows whose key is new or whose values changed; returns that count."""
        written = upsert_rows(self.con, table, rows, self.load_id)
        self.rows_written += written
        return written

    def register_source(self, info: SourceInfo) -> None:
        upsert_source(self.con, info)


@contextmanager
def begin_load(
    con: duckdb.DuckDBPyConnection, source: str, parameters: dict[str, Any] | None = None
) -> Iterator[Load]:
    """One load = one transaction; yields a :class:`Load`."""
    load = Load(con, new_load_id(source), source)
    params = json.dumps(parameters or {}, sort_keys=True, default=str)
    sha = git_sha()
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(
            "INSERT INTO _loads (load_id, source, started_at, status, parameters, git_sha) "
            "VALUES (?, ?, now(), 'running', ?, ?)",
            [load.load_id, source, params, sha],
        )
        yield load
        con.execute(
            "UPDATE _loads SET status = 'ok', finished_at = now(), row_count = ? WHERE load_id = ?",
            [load.rows_written, load.load_id],
        )
        con.execute("COMMIT")
    except BaseException as exc:
        # The real cause is ``exc``: a failed ROLLBACK (no transaction left after a failed
        # COMMIT, an aborted transaction) must not replace it.
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")
        _record_failure(con, load, params, sha, exc)
        raise
    log.info("load %s: %d new or changed rows", load.load_id, load.rows_written)


def _record_failure(
    con: duckdb.DuckDBPyConnection, load: Load, params: str, sha: str | None, exc: BaseException
) -> None:
    """Store a ``failed`` row naming the real cause; logs (never raises) when even that fails."""
    reason = f"{type(exc).__name__}: {exc}"[:2000]
    try:
        con.execute(
            "INSERT INTO _loads (load_id, source, started_at, finished_at, status, row_count, "
            "parameters, git_sha, error) VALUES (?, ?, now(), now(), 'failed', 0, ?, ?, ?)",
            [load.load_id, load.source, params, sha, reason],
        )
    except duckdb.Error as record_error:
        log.warning("could not record the failed load %s: %s", load.load_id, record_error)
    # The command reports the failure itself (one line); this is the load's own record.
    log.info("load %s of %s failed and was rolled back: %s", load.load_id, load.source, exc)


def store(
    con: duckdb.DuckDBPyConnection,
    info: SourceInfo,
    tables: Mapping[str, Rows | None] | Iterable[tuple[str, Rows | None]],
    parameters: dict[str, Any] | None = None,
) -> int:
    """The common end of a collector: one load of ``info.name`` that registers the source and
    upserts each ``(table, rows)`` in order (``None`` rows are skipped); returns the rows
    written. All of it is stored, or on any error nothing (see :func:`begin_load`)."""
    pairs = tables.items() if isinstance(tables, Mapping) else tables
    with begin_load(con, info.name, parameters) as load:
        load.register_source(info)
        for table, rows in pairs:
            if rows is not None:
                load.upsert(table, rows)
    return load.rows_written


def upsert_source(con: duckdb.DuckDBPyConnection, info: SourceInfo) -> None:
    con.execute(
        "INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, ?)",
        [info.name, info.description, info.licence, info.citation, info.upstream_url],
    )


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, tuple[str, bool]]:
    rows = con.execute(
        "SELECT column_name, data_type, is_nullable FROM information_schema.columns "
        "WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return {name: (dtype, nullable == "YES") for name, dtype, nullable in rows}


def upsert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: Rows, load_id: str) -> int:
    """Insert new or changed versions of ``rows`` into a fact table under ``load_id``.

    ``rows`` is a DataFrame or a relation of ``con`` (its absent nullable columns are NULL).
    Raises DataQualityError when required columns are missing or null, or keys repeat.
    """
    tables = fact_tables(con)
    if table not in tables:
        msg = f"unknown fact table {table!r}"
        raise ValueError(msg)
    key = tables[table]
    columns = _columns(con, table)
    wanted = [c for c in columns if c != "load_id"]
    missing = [c for c in wanted if c not in rows.columns and not columns[c][1]]
    if missing:
        msg = f"{table}: rows lack required column(s) {missing}"
        raise DataQualityError(msg)
    view = f"incoming_{secrets.token_hex(4)}"
    is_relation = isinstance(rows, duckdb.DuckDBPyRelation)
    present = [c for c in wanted if c in rows.columns]
    required = [c for c in present if not columns[c][1]]
    if isinstance(rows, duckdb.DuckDBPyRelation):
        rows.create_view(view)  # temporary, this connection only
    else:
        if rows.empty:
            return 0
        frame = rows.reindex(columns=wanted)
        _check_frame(table, frame, key, required)
        con.register(view, frame)
        present = wanted
    try:
        if is_relation and _check_relation(con, table, view, key, required) == 0:
            return 0
        sql = _insert_sql(table, view, columns, present, key)
        result = con.execute(sql, [load_id]).fetchone()
    except (duckdb.ConversionException, duckdb.OutOfRangeException) as exc:
        msg = f"{table}: a value does not fit its column type ({str(exc).splitlines()[0]})"
        raise DataQualityError(msg) from exc
    finally:
        # After a failed statement the transaction is aborted and unregister fails too; that
        # second error would hide the real one.
        with contextlib.suppress(duckdb.Error):
            if is_relation:
                con.execute(f"DROP VIEW IF EXISTS {view}")
            else:
                con.unregister(view)
    return int(result[0]) if result else 0


def _insert_sql(
    table: str,
    view: str,
    columns: dict[str, tuple[str, bool]],
    present: list[str],
    key: list[str],
) -> str:
    """INSERT of the incoming rows whose key is new or whose values changed (``?``: load_id)."""
    wanted = [c for c in columns if c != "load_id"]
    source = {c: f'i."{c}"' if c in present else "NULL" for c in wanted}
    cast = ", ".join(f'CAST({source[c]} AS {columns[c][0]}) AS "{c}"' for c in wanted)
    values = [c for c in wanted if c not in key and c not in PROVENANCE_COLUMNS]
    same_key = " AND ".join(f'c."{k}" = n."{k}"' for k in key)
    same_values = " AND ".join(f'c."{v}" IS NOT DISTINCT FROM n."{v}"' for v in values)
    partition = ", ".join(f'"{k}"' for k in key)
    return f"""
        WITH n AS (SELECT {cast} FROM {view} i),
             c AS (SELECT * FROM {table}
                   QUALIFY row_number() OVER (PARTITION BY {partition}
                                              ORDER BY load_id DESC) = 1)
        INSERT INTO {table} BY NAME
        SELECT n.*, ? AS load_id FROM n
        WHERE NOT EXISTS (SELECT 1 FROM c WHERE {same_key}
                          {"AND " + same_values if same_values else ""})
    """


def _check_frame(table: str, frame: pd.DataFrame, key: list[str], required: list[str]) -> None:
    nulls = [c for c in required if frame[c].isna().any()]
    if nulls:
        msg = f"{table}: null values in required column(s) {nulls}"
        raise DataQualityError(msg)
    if frame.duplicated(subset=key).any():
        dupes = frame[frame.duplicated(subset=key, keep=False)].head(3).to_dict("records")
        msg = f"{table}: repeated keys {key} in one load, e.g. {dupes}"
        raise DataQualityError(msg)


def _check_relation(
    con: duckdb.DuckDBPyConnection, table: str, view: str, key: list[str], required: list[str]
) -> int:
    """The checks of :func:`_check_frame` in SQL over the incoming view; returns its row count."""
    counts = ", ".join(["count(*)", *(f'count(*) FILTER ("{c}" IS NULL)' for c in required)])
    total, *null_counts = con.execute(f"SELECT {counts} FROM {view}").fetchone() or (0,)
    if total == 0:
        return 0
    nulls = [c for c, n in zip(required, null_counts, strict=True) if n]
    if nulls:
        msg = f"{table}: null values in required column(s) {nulls}"
        raise DataQualityError(msg)
    partition = ", ".join(f'"{k}"' for k in key)
    repeated = con.execute(
        f"SELECT * FROM {view} QUALIFY count(*) OVER (PARTITION BY {partition}) > 1 LIMIT 3"
    )
    names = [d[0] for d in repeated.description or []]
    dupes = [dict(zip(names, row, strict=True)) for row in repeated.fetchall()]
    if dupes:
        msg = f"{table}: repeated keys {key} in one load, e.g. {dupes}"
        raise DataQualityError(msg)
    return int(total)


def refresh_views(con: duckdb.DuckDBPyConnection) -> None:
    create_views(con)
