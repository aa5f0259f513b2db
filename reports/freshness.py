"""Is the report on disk current? A fingerprint of the code, the warehouse state and the as-of.

``census report`` compares the fingerprint stored in ``<out>/<date>/provenance.json`` with the
one computed now (a read-only look at ``_loads``, hashes of the report code) and skips the
build when nothing changed. Kept free of heavy imports (pandas, altair) so that check is fast.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from datetime import date
from importlib import metadata
from pathlib import Path

import duckdb

from census_base.gitinfo import git_sha
from census_base.paths import SOURCE_ROOT
from warehouse.access import WarehouseError, open_duckdb

log = logging.getLogger(__name__)

CODE_DIRS = ("analysis", "reports", "warehouse")
CODE_SUFFIXES = {".py", ".sql", ".toml", ".html", ".js"}
EXTRA_FILES = ("census/commands/report.py",)


def _code_files() -> list[Path]:
    """The report code; generated output never lives in these packages (it goes to output/)."""
    files = [SOURCE_ROOT / extra for extra in EXTRA_FILES]
    for name in CODE_DIRS:
        for path in (SOURCE_ROOT / name).rglob("*"):
            relative = path.relative_to(SOURCE_ROOT / name).parts
            if path.suffix in CODE_SUFFIXES and path.is_file() and "__pycache__" not in relative:
                files.append(path)
    return sorted(files)


def code_fingerprint() -> str:
    """sha256 over the report code, its git commit and the renderer versions."""
    digest = hashlib.sha256()
    for path in _code_files():
        digest.update(str(path.relative_to(SOURCE_ROOT)).encode())
        digest.update(path.read_bytes())
    for package in ("vl-convert-python", "altair", "duckdb", "pandas"):
        try:
            digest.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(package.encode())
    digest.update((git_sha() or "").encode())
    return digest.hexdigest()


def warehouse_state(con: duckdb.DuckDBPyConnection, as_of: date | None) -> list:
    """What the report reads, summarised: migrations and the loads visible at ``as_of``."""
    migrations = [r[0] for r in con.execute("SELECT name FROM _migrations ORDER BY 1").fetchall()]
    loads = con.execute(
        "SELECT count(*), max(load_id), max(finished_at)::VARCHAR FROM _loads "
        "WHERE status = 'ok' AND (CAST(? AS DATE) IS NULL "
        "OR (finished_at AT TIME ZONE 'UTC')::DATE <= ?)",
        [as_of, as_of],
    ).fetchone()
    return [migrations, list(loads or ())]


def fingerprint(
    con: duckdb.DuckDBPyConnection, as_of: date | None, stamp: date, extra: str = ""
) -> str:
    """The fingerprint of a report built now from ``con`` for ``as_of`` (dated ``stamp``).

    ``extra`` names what else the report depends on (its data cut-off, the report compared).
    """
    state = {
        "code": code_fingerprint(),
        "warehouse": warehouse_state(con, as_of),
        "as_of": str(as_of),
        "stamp": stamp.isoformat(),
        **({"extra": extra} if extra else {}),
    }
    return hashlib.sha256(json.dumps(state, sort_keys=True, default=str).encode()).hexdigest()


def stored_fingerprint(folder: Path) -> str | None:
    """The fingerprint in ``folder/provenance.json`` when every file it lists exists."""
    try:
        provenance = json.loads((folder / "provenance.json").read_text())
    except (OSError, ValueError):
        return None
    files = ["index.html", "report.md"]
    files += [f for figure in provenance.get("figures", []) for f in figure.get("files", [])]
    if not all((folder / f).is_file() for f in files):
        return None
    return provenance.get("fingerprint")


def reuse_report(
    db: Path, out: Path, as_of: date | None, stamp: date, extra: str = "", latest: bool = True
) -> bool:
    """True when ``out/<stamp>`` is current (then ``out/latest`` is made to match it when
    ``latest``)."""
    if not db.is_file():
        return False
    try:
        con = open_duckdb(db, read_only=True)  # the checks and settings of every other open
    except (duckdb.Error, WarehouseError) as exc:  # locked or unreadable: build normally
        log.debug("no fast path: %s", exc)
        return False
    try:
        current = fingerprint(con, as_of, stamp, extra)
    except duckdb.Error as exc:  # not migrated yet
        log.debug("no fast path: %s", exc)
        return False
    finally:
        con.close()
    folder = out / stamp.isoformat()
    if stored_fingerprint(folder) != current:
        return False
    if not latest:
        return True
    target = out / "latest"
    if stored_fingerprint(target) != current:
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(folder, target)
    return True
