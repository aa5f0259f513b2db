"""Connect, migrate and (re)create views.

Fact tables are versioned: their primary key is the natural key plus ``load_id``. A load inserts a
row only when the key is new or its values changed, so loading the same input twice leaves the
same rows, and history accumulates. For every fact table a view ``cur_<table>`` shows the latest
version per key among the loads finished by the ``census_as_of`` variable (all loads when unset);
public datasets are views over those.
"""

from __future__ import annotations

import hashlib
import logging
import os
from datetime import date, datetime, time
from pathlib import Path

import duckdb

from warehouse.access import check_db_path, open_duckdb

log = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent
SCHEMA_DIR = PACKAGE_DIR / "schema"
VIEWS_DIR = PACKAGE_DIR / "views"
DEFAULT_DB = Path("data/census.duckdb")
PROVENANCE_COLUMNS = ("source_url", "fetched_at", "raw_sha256", "load_id")
AS_OF_VARIABLE = "census_as_of"


def default_db_path() -> Path:
    """``$CENSUS_DB`` or ``data/census.duckdb``."""
    return Path(os.environ.get("CENSUS_DB") or DEFAULT_DB)


def connect(
    path: str | Path | None = None, *, read_only: bool = False
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse (``:memory:`` for tests), migrated and with views, unless read-only.

    Only DuckDB files are accepted (a Parquet or SQLite path is an error, never an in-memory
    database); extension autoload/autoinstall is off. Raises WarehouseError with one clear line.
    """
    target = str(path if path is not None else default_db_path())
    if target != ":memory:" and not read_only:
        check_db_path(target)  # before creating its folder
        Path(target).parent.mkdir(parents=True, exist_ok=True)
    con = open_duckdb(target, read_only=read_only)
    if not read_only:
        migrate(con)
        create_views(con)
    return con


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply numbered migrations not yet in ``_migrations``; returns the ones applied."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMPTZ)"
    )
    done = {row[0] for row in con.execute("SELECT name FROM _migrations").fetchall()}
    applied = []
    for path in sorted(SCHEMA_DIR.glob("[0-9][0-9][0-9]_*.sql")):
        if path.name in done:
            continue
        con.execute("BEGIN")
        try:
            con.execute(path.read_text())
            con.execute("INSERT INTO _migrations VALUES (?, now())", [path.name])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(path.name)
        log.debug("applied migration %s", path.name)
    return applied


def fact_tables(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Versioned fact tables and their natural key (primary key minus ``load_id``)."""
    rows = con.execute(
        """
        SELECT table_name, constraint_column_names FROM duckdb_constraints()
        WHERE constraint_type = 'PRIMARY KEY' AND schema_name = 'main'
          AND list_contains(constraint_column_names, 'load_id')
          AND NOT starts_with(table_name, '_')
        ORDER BY table_name
        """
    ).fetchall()
    return {name: [c for c in cols if c != "load_id"] for name, cols in rows}


def _views_fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """Hash of what the views are made of: view files, family config, fact tables and keys."""
    from warehouse.ecosystem import ECOSYSTEM_FILE
    from warehouse.families import FAMILIES_FILE

    digest = hashlib.sha256()
    for path in [*sorted(VIEWS_DIR.glob("*.sql")), FAMILIES_FILE, ECOSYSTEM_FILE]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    digest.update(repr(sorted(fact_tables(con).items())).encode())
    return digest.hexdigest()


def create_views(con: duckdb.DuckDBPyConnection, force: bool = False) -> None:
    """(Re)create the ``cur_*`` views and every view file in ``warehouse/views``.

    Skipped when nothing they are made of changed since the last time (``_view_state``).
    """
    from warehouse.ecosystem import upsert_ecosystem_packages
    from warehouse.families import upsert_package_families

    con.execute("CREATE TABLE IF NOT EXISTS _view_state (fingerprint VARCHAR)")
    fingerprint = _views_fingerprint(con)
    stored = [row[0] for row in con.execute("SELECT fingerprint FROM _view_state").fetchall()]
    if not force and stored == [fingerprint]:
        return
    upsert_package_families(con)
    upsert_ecosystem_packages(con)
    for table, key in fact_tables(con).items():
        partition = ", ".join(f't."{c}"' for c in key)
        con.execute(
            f"""
            CREATE OR REPLACE VIEW cur_{table} AS
            SELECT t.* FROM {table} t JOIN _loads l ON l.load_id = t.load_id
            WHERE l.status = 'ok'
              AND (getvariable('{AS_OF_VARIABLE}') IS NULL
                   OR l.finished_at <= getvariable('{AS_OF_VARIABLE}'))
            QUALIFY row_number() OVER (PARTITION BY {partition} ORDER BY t.load_id DESC) = 1
            """
        )
    pending = sorted(VIEWS_DIR.glob("*.sql"))
    # Views may depend on each other: apply in passes until none is left or no progress.
    while pending:
        failed: list[tuple[Path, Exception]] = []
        for path in pending:
            try:
                con.execute(path.read_text())
            except duckdb.Error as exc:
                failed.append((path, exc))
        if len(failed) == len(pending):
            path, error = failed[0]
            msg = f"view file {path.name} failed: {error}"
            raise RuntimeError(msg) from error
        pending = [path for path, _ in failed]
    con.execute("DELETE FROM _view_state")
    con.execute("INSERT INTO _view_state VALUES (?)", [fingerprint])


def set_as_of(con: duckdb.DuckDBPyConnection, as_of: date | datetime | None) -> None:
    """Make every ``cur_*`` view (and so every dataset) ignore loads finished after ``as_of``.

    A date means the end of that day (UTC).
    """
    if as_of is None:
        con.execute(f"RESET VARIABLE {AS_OF_VARIABLE}")
        return
    if not isinstance(as_of, datetime):
        as_of = datetime.combine(as_of, time(23, 59, 59, 999999))
    stamp = as_of.isoformat(sep=" ")
    if as_of.tzinfo is None:
        stamp += "+00:00"
    con.execute(f"SET VARIABLE {AS_OF_VARIABLE} = CAST(? AS TIMESTAMPTZ)", [stamp])
