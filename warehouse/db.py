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
import re
from datetime import date, datetime, time
from pathlib import Path

import duckdb

from warehouse.access import WarehouseError, check_db_path, open_duckdb
from warehouse.template import start_from_template, template_path

log = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent
SCHEMA_DIR = PACKAGE_DIR / "schema"
VIEWS_DIR = PACKAGE_DIR / "views"
DEFAULT_DB = Path("data/census.duckdb")
PROVENANCE_COLUMNS = ("source_url", "fetched_at", "raw_sha256", "load_id")
AS_OF_VARIABLE = "census_as_of"
_SQL_COMMENT = re.compile(r"--[^\n]*")
_VIEW_NAME = re.compile(r"\bCREATE\s+(?:OR\s+REPLACE\s+)?VIEW\s+(\w+)", re.IGNORECASE)


def default_db_path() -> Path:
    """``$CENSUS_DB`` or ``data/census.duckdb``."""
    return Path(os.environ.get("CENSUS_DB") or DEFAULT_DB)


def connect(
    path: str | Path | None = None, *, read_only: bool = False
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse (``:memory:`` for tests), migrated and with views, unless read-only.

    Only DuckDB files are accepted (a Parquet or SQLite path is an error, never an in-memory
    database); extension autoload/autoinstall is off. A new file starts as a copy of its
    folder's schema template (see ``warehouse.template``). Raises WarehouseError with one
    clear line.
    """
    target = str(path if path is not None else default_db_path())
    new_file = None
    if target != ":memory:" and not read_only:
        check_db_path(target)  # before creating its folder
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        new_file = None if Path(target).exists() else Path(target)
    copied = new_file is not None and start_from_template(new_file)
    try:
        con = open_duckdb(target, read_only=read_only)
    except WarehouseError:
        if not copied or new_file is None:
            raise
        log.warning("schema template %s unusable; removed", template_path(new_file))
        template_path(new_file).unlink(missing_ok=True)
        new_file.unlink(missing_ok=True)
        copied = False
        con = open_duckdb(target, read_only=read_only)
    if not read_only:
        migrate(con)
        create_views(con)
    return con


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply numbered migrations not yet in ``_migrations``; returns the ones applied.

    All pending migrations run in one transaction (a fresh file commits once): on an error none
    of them is recorded and the next connect tries them again.
    """
    con.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMPTZ)"
    )
    done = {row[0] for row in con.execute("SELECT name FROM _migrations").fetchall()}
    pending = [p for p in sorted(SCHEMA_DIR.glob("[0-9][0-9][0-9]_*.sql")) if p.name not in done]
    if not pending:
        return []
    con.execute("BEGIN")
    try:
        for path in pending:
            con.execute(path.read_text())
            con.execute("INSERT INTO _migrations VALUES (?, now())", [path.name])
            log.debug("applied migration %s", path.name)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return [path.name for path in pending]


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


def view_order(paths: list[Path]) -> list[Path]:
    """View files so that each comes after the views it reads (else alphabetical).

    A file's view is the name after ``CREATE ... VIEW`` (its stem if none); it depends on every
    other view whose name appears in its text as a whole word, comments left out. A cycle (not
    expected) keeps the rest in alphabetical order, where :func:`_apply_in_passes` sorts it out.
    """
    texts = {path: _SQL_COMMENT.sub("", path.read_text()) for path in paths}
    names = {}
    for path, text in texts.items():
        found = _VIEW_NAME.search(text)
        names[path] = found.group(1).lower() if found else path.stem.lower()
    words = {path: set(re.findall(r"\w+", text.lower())) for path, text in texts.items()}
    needs = {
        path: [other for other in paths if other != path and names[other] in words[path]]
        for path in paths
    }
    ordered: list[Path] = []
    visiting: set[Path] = set()

    def visit(path: Path) -> None:
        if path in ordered or path in visiting:
            return  # done, or a cycle: left where it falls
        visiting.add(path)
        for other in needs[path]:
            visit(other)
        visiting.discard(path)
        ordered.append(path)

    for path in sorted(paths):
        visit(path)
    return ordered


def create_views(con: duckdb.DuckDBPyConnection, force: bool = False) -> None:
    """(Re)create the ``cur_*`` views and every view file in ``warehouse/views``.

    Skipped when nothing they are made of changed since the last time (``_view_state``). View
    files run in dependency order (:func:`view_order`), all in one transaction.
    """
    con.execute("CREATE TABLE IF NOT EXISTS _view_state (fingerprint VARCHAR)")
    fingerprint = _views_fingerprint(con)
    stored = [row[0] for row in con.execute("SELECT fingerprint FROM _view_state").fetchall()]
    if not force and stored == [fingerprint]:
        return
    con.execute("BEGIN")
    try:
        _create_views(con, fingerprint, in_passes=False)
        con.execute("COMMIT")
    except duckdb.Error:
        # A dependency the text did not show (or a broken file): retry the old way, which
        # applies files in passes and names the first file that never succeeds.
        con.execute("ROLLBACK")
        log.debug("view files out of order; applying them in passes")
        _create_views(con, fingerprint, in_passes=True)


def _create_views(con: duckdb.DuckDBPyConnection, fingerprint: str, *, in_passes: bool) -> None:
    from warehouse.ecosystem import upsert_ecosystem_packages
    from warehouse.families import upsert_package_families

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
    ordered = view_order(sorted(VIEWS_DIR.glob("*.sql")))
    if in_passes:
        _apply_in_passes(con, ordered)
    else:
        for path in ordered:
            con.execute(path.read_text())
    con.execute("DELETE FROM _view_state")
    con.execute("INSERT INTO _view_state VALUES (?)", [fingerprint])


def _apply_in_passes(con: duckdb.DuckDBPyConnection, pending: list[Path]) -> None:
    """Views may depend on each other: apply in passes until none is left or no progress."""
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
