"""Make sure a warehouse exists: migrate it and, when it holds no load, restore the snapshot."""

from __future__ import annotations

import logging
from pathlib import Path

from warehouse.db import connect
from warehouse.snapshot import SNAPSHOT_DIR, is_empty, restore_snapshot

log = logging.getLogger(__name__)


def ensure_warehouse(path: Path, snapshot: Path = SNAPSHOT_DIR) -> bool:
    """Returns True when the snapshot was restored."""
    con = connect(path)
    try:
        if is_empty(con) and (snapshot / "manifest.json").exists():
            log.info("empty warehouse %s: restoring the shipped snapshot", path)
            restore_snapshot(con, snapshot)
            return True
        return False
    finally:
        con.close()
