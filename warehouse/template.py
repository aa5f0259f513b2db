"""A new warehouse file starts as a copy of an empty one built before: the schema template.

Creating the schema of a fresh file (migrations, then some 80 views that DuckDB binds one by one)
takes longer than loading a source. What it makes depends only on the migration and view files,
``families.toml``, ``ecosystem.toml`` and the DuckDB version. So a new file is a byte copy of
``.census-schema-<key>.duckdb`` in its folder (the key hashes those inputs), built there once
by the usual migrate and create_views on a connection of its own, then closed (PostgreSQL's
template databases). The live warehouse file is never read by this process while DuckDB holds
it (closing any descriptor of it would drop DuckDB's lock). ``connect`` checks a copy like any
existing file (migrations by name, views by fingerprint), so a stale template is corrected,
never trusted; deleting it costs the next new file its speed, nothing else.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from functools import cache
from pathlib import Path

import duckdb

log = logging.getLogger(__name__)

PREFIX = ".census-schema-"


@cache
def schema_key() -> str:
    """Hash of everything a fresh warehouse's schema is made of."""
    from warehouse.db import SCHEMA_DIR, VIEWS_DIR
    from warehouse.ecosystem import ECOSYSTEM_FILE
    from warehouse.families import FAMILIES_FILE

    digest = hashlib.sha256(duckdb.__version__.encode())
    files = [*sorted(SCHEMA_DIR.glob("*.sql")), *sorted(VIEWS_DIR.glob("*.sql"))]
    for path in [*files, FAMILIES_FILE, ECOSYSTEM_FILE]:
        digest.update(f"\0{path.parent.name}/{path.name}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def template_path(target: Path) -> Path:
    return target.parent / f"{PREFIX}{schema_key()}.duckdb"


def start_from_template(target: Path) -> bool:
    """Create ``target`` (new) as a copy of its folder's template, building that first when
    missing. False, with nothing made, when either fails or ``target`` appeared meanwhile: the
    caller then builds ``target`` itself (and meets any real schema error there)."""
    template = template_path(target)
    if not template.is_file() and not _build(template):
        return False
    try:
        with template.open("rb") as source, target.open("xb") as copy:
            shutil.copyfileobj(source, copy, 1 << 20)
    except FileExistsError:
        return False
    except OSError as exc:
        target.unlink(missing_ok=True)
        log.debug("schema template %s not copied: %s", template, exc)
        return False
    return True


def _build(template: Path) -> bool:
    """Build the template (migrations and views on a closed, checkpointed file)."""
    from warehouse.access import SAFE_CONFIG
    from warehouse.db import create_views, migrate

    partial = template.with_name(f"{template.name}.{os.getpid()}.partial")
    try:
        con = duckdb.connect(str(partial), config=SAFE_CONFIG)
        try:
            migrate(con)
            create_views(con)
        finally:
            con.close()
        partial.replace(template)
    except (OSError, duckdb.Error, RuntimeError) as exc:
        log.debug("schema template %s not built: %s", template, exc)
        for leftover in (partial, partial.with_name(f"{partial.name}.wal")):
            leftover.unlink(missing_ok=True)
        return False
    for old in template.parent.glob(f"{PREFIX}*.duckdb"):
        if old != template:
            old.unlink(missing_ok=True)  # made from older schema files
    return True
