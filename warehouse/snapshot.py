"""The shipped snapshot: the warehouse's tables as Parquet under ``warehouse/shipped_snapshot/``.

The folder is package data, so an installed wheel carries it and restores it like a checkout.

``export_snapshot`` writes one Parquet file per table plus ``manifest.json`` (row counts,
sha256 per file, migrations, git sha); ``restore_snapshot`` loads it into an empty warehouse in
one transaction. ``snapshot_recipe.toml`` lists the ingests that rebuild it from upstream data.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from warehouse.load import git_sha

log = logging.getLogger(__name__)

SNAPSHOT_DIR = Path(__file__).with_name("shipped_snapshot")
RECIPE_FILE = Path(__file__).with_name("snapshot_recipe.toml")
# recreated by migrate / create_views
SKIPPED_TABLES = {
    "_migrations",
    "_view_state",
    "package_families",
    "channel_package_families",
    "ecosystem_packages",
}


def snapshot_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
        "AND table_type = 'BASE TABLE' ORDER BY table_name"
    ).fetchall()
    return [name for (name,) in rows if name not in SKIPPED_TABLES]


def export_snapshot(con: duckdb.DuckDBPyConnection, folder: Path = SNAPSHOT_DIR) -> dict:
    """Write every table (only ``ok`` loads) as Parquet and a manifest; returns the manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.parquet"):
        old.unlink()
    files = {}
    for table in snapshot_tables(con):
        path = folder / f"{table}.parquet"
        where = ""
        if table == "_loads":
            where = "WHERE status = 'ok'"
        order = "ORDER BY ALL"
        con.execute(
            f"COPY (SELECT * FROM {table} {where} {order}) TO '{path}' "
            "(FORMAT parquet, COMPRESSION zstd)"
        )
        rows = con.execute(f"SELECT count(*) FROM {table} {where}").fetchone()
        files[table] = {
            "file": path.name,
            "rows": int(rows[0]) if rows else 0,
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        }
    migrations = [r[0] for r in con.execute("SELECT name FROM _migrations ORDER BY 1").fetchall()]
    manifest = {
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "git_sha": git_sha(),
        "migrations": migrations,
        "tables": files,
        "note": "Aggregated facts produced by framework-census ingests; each row keeps its "
        "source, source_url, fetched_at, raw_sha256 and load_id (see _loads, sources).",
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return manifest


def is_empty(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute("SELECT count(*) FROM _loads WHERE status = 'ok'").fetchone()
    return not row or row[0] == 0


def restore_snapshot(con: duckdb.DuckDBPyConnection, folder: Path = SNAPSHOT_DIR) -> int:
    """Load the snapshot into an empty warehouse; returns rows restored."""
    manifest_path = folder / "manifest.json"
    if not manifest_path.exists():
        msg = f"no snapshot at {folder} (manifest.json missing); run `census snapshot`"
        raise FileNotFoundError(msg)
    manifest = json.loads(manifest_path.read_text())
    existing = set(snapshot_tables(con))
    restored = 0
    con.execute("BEGIN TRANSACTION")
    try:
        for table, entry in manifest["tables"].items():
            if table not in existing:
                log.warning("snapshot table %s is unknown to this schema; skipped", table)
                continue
            path = folder / entry["file"]
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM read_parquet(?)", [str(path)])
            restored += int(entry["rows"])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    log.info("restored %d rows from the snapshot of %s", restored, manifest["created_at"])
    return restored
