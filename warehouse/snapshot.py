"""The shipped snapshot: the warehouse's tables as Parquet under ``warehouse/shipped_snapshot/``.

The folder is package data, so an installed wheel carries it and restores it like a checkout.

``export_snapshot`` writes one Parquet file per table plus ``manifest.json`` (row counts,
sha256 per file, migrations, git sha) into a temporary sibling folder, verifies every checksum
and row count there, and only then swaps it in by renames, so a killed export leaves the old
snapshot whole. ``restore_snapshot`` verifies every sha256 before loading the snapshot into an
empty warehouse in one transaction. ``snapshot_recipe.toml`` lists the ingests that rebuild it
from upstream data.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from census_base.errors import CensusError
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


class SnapshotError(CensusError):
    """The snapshot is missing, incomplete or does not match its manifest."""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _siblings(folder: Path) -> tuple[Path, Path]:
    """The temporary folder an export writes, and where the previous snapshot waits."""
    return folder.with_name(f".{folder.name}.writing"), folder.with_name(f".{folder.name}.old")


def recover_interrupted(folder: Path) -> None:
    """After a kill between the two renames of a swap, put the previous snapshot back."""
    writing, old = _siblings(folder)
    if old.is_dir() and not folder.exists():
        os.replace(old, folder)
        log.warning("an interrupted snapshot swap was undone; %s is the previous snapshot", folder)
    for leftover in (writing, old):
        if leftover.is_dir():
            shutil.rmtree(leftover)


def snapshot_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
        "AND table_type = 'BASE TABLE' ORDER BY table_name"
    ).fetchall()
    return [name for (name,) in rows if name not in SKIPPED_TABLES]


def export_snapshot(con: duckdb.DuckDBPyConnection, folder: Path = SNAPSHOT_DIR) -> dict:
    """Write every table (only ``ok`` loads) as Parquet and a manifest; returns the manifest.

    Atomic: written to a temporary folder, verified, then swapped in.
    """
    recover_interrupted(folder)
    writing, old = _siblings(folder)
    writing.mkdir(parents=True)
    files = {}
    for table in snapshot_tables(con):
        path = writing / f"{table}.parquet"
        where = "WHERE status = 'ok'" if table == "_loads" else ""
        con.execute(
            f"COPY (SELECT * FROM {table} {where} ORDER BY ALL) TO '{path}' "
            "(FORMAT parquet, COMPRESSION zstd)"
        )
        rows = con.execute(f"SELECT count(*) FROM {table} {where}").fetchone()
        files[table] = {
            "file": path.name,
            "rows": int(rows[0]) if rows else 0,
            "sha256": file_sha256(path),
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
    (writing / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    verify_snapshot(writing, con)
    if folder.exists():
        os.replace(folder, old)
    os.replace(writing, folder)
    if old.exists():
        shutil.rmtree(old)
    return manifest


def verify_snapshot(folder: Path, con: duckdb.DuckDBPyConnection | None = None) -> dict:
    """The manifest, once every listed file exists with its sha256 (and row count, given a
    connection); else SnapshotError naming the file and what to do."""
    manifest_path = folder / "manifest.json"
    try:
        manifest = json.loads(manifest_path.read_text())
        tables = manifest["tables"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        msg = f"snapshot {folder}: unreadable manifest.json ({exc}); run `census snapshot`"
        raise SnapshotError(msg) from exc
    for entry in tables.values():
        path = folder / entry["file"]
        if not path.is_file() or file_sha256(path) != entry["sha256"]:
            state = "missing" if not path.is_file() else "sha256 differs from manifest.json"
            msg = (
                f"snapshot {folder}: {entry['file']} {state}; restore the folder "
                "(git checkout data/snapshot) or rebuild it with `census snapshot`"
            )
            raise SnapshotError(msg)
        if con is not None:
            counted = con.execute("SELECT count(*) FROM read_parquet(?)", [str(path)]).fetchone()
            if not counted or counted[0] != entry["rows"]:
                found = counted[0] if counted else None
                msg = f"snapshot {folder}: {entry['file']} has {found} rows, not {entry['rows']}"
                raise SnapshotError(msg)
    return manifest


def is_empty(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute("SELECT count(*) FROM _loads WHERE status = 'ok'").fetchone()
    return not row or row[0] == 0


def restore_snapshot(con: duckdb.DuckDBPyConnection, folder: Path = SNAPSHOT_DIR) -> int:
    """Load the snapshot into an empty warehouse; returns rows restored."""
    if not (folder / "manifest.json").exists():
        msg = f"no snapshot at {folder} (manifest.json missing); run `census snapshot`"
        raise FileNotFoundError(msg)
    manifest = verify_snapshot(folder)
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
