"""Make sure a warehouse exists: migrate it and, when it holds no load, restore the snapshot."""

from __future__ import annotations

import logging
from pathlib import Path

from census_base.errors import CensusError
from warehouse.db import connect
from warehouse.snapshot import SNAPSHOT_DIR, is_empty, restore_snapshot

log = logging.getLogger(__name__)


def ensure_warehouse(path: Path, snapshot: Path = SNAPSHOT_DIR) -> bool:
    """Returns True when the snapshot was restored; an empty warehouse with no snapshot to
    restore is a :class:`CensusError` (never an empty report or export)."""
    con = connect(path)
    try:
        if not is_empty(con):
            return False
        if not (snapshot / "manifest.json").exists():
            msg = (
                f"warehouse {path} holds no load and there is no snapshot at {snapshot} "
                "(manifest.json missing): run `census snapshot` or `census ingest`/`collect` first"
            )
            raise CensusError(msg)
        log.info("empty warehouse %s: restoring the shipped snapshot", path)
        restore_snapshot(con, snapshot)
        return True
    finally:
        con.close()
