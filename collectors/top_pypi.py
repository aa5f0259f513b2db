"""PyPI download history from the hugovk/top-pypi-packages monthly dumps.

``census ingest top-pypi PATH_OR_URL`` reads the 30-day and 365-day JSON dumps in both upstream
layouts: BigQuery era (``last_update``, ``query``, ``rows``) and ClickHouse era (from the
2025-07-05 snapshot: ``source: "ClickHouse"``, ``meta``, ``total_rows``, ``statistics``).
Only packages named in ``warehouse/families.toml`` are kept. Method breaks, anomalous months and
the Linehaul undercount are written to ``quality_flags``; nothing is dropped or smoothed.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from census_base.errors import ParseError
from collectors.inputs import is_url, read_inputs
from collectors.raw import RawResponse
from collectors.registry import Ingester, RunContext
from collectors.top_pypi_dumps import (
    RESULTS,
    DumpFile,
    describe,
    drop_tables,
    read_dumps,
    read_indexes,
)
from collectors.top_pypi_flags import LATEST_SNAPSHOTS, SnapshotPoint, detect_flags, upsert_flags
from warehouse.access import open_duckdb
from warehouse.families import tracked_packages
from warehouse.load import SourceInfo, begin_load

log = logging.getLogger(__name__)

SOURCE = "top_pypi"
UPSTREAM = "https://github.com/hugovk/top-pypi-packages"
SOURCE_INFO = SourceInfo(
    name=SOURCE,
    description="Monthly dumps of 30-day (and, to 2021-04, 365-day) download counts of the top-N "
    "PyPI projects; BigQuery (pypinfo) to 2025-06, ClickHouse (ClickPy) from 2025-07.",
    licence="No licence file upstream; aggregates of public PyPI download logs "
    "(BigQuery bigquery-public-data.pypi, ClickHouse ClickPy).",
    citation="Hugo van Kemenade, top-pypi-packages (GitHub hugovk/top-pypi-packages; Zenodo DOI "
    "in its README), monthly snapshots 2018-02 .. 2026-04.",
    upstream_url=UPSTREAM,
)
NOT_PARSED = "no dump was read"
SNAPSHOT_ROWS = "top_pypi_snapshot_rows"  # the temporary table snapshot_rows fills
KEY = "package, window_days, window_end_date"
# Two dumps with different counts for one key: the first few of them, in input order.
CONFLICTS = f"""
    WITH distinct_rows AS (
        SELECT * FROM top_pypi_rows
        QUALIFY row_number() OVER (PARTITION BY {KEY}, downloads ORDER BY file_id, position) = 1)
    SELECT package, downloads, window_days, window_end_date, method, upstream_rows, source_url,
           fetched_at, raw_sha256, ? AS source
    FROM distinct_rows QUALIFY count(*) OVER (PARTITION BY {KEY}) > 1
    ORDER BY file_id, position LIMIT 4"""
# One row per key; the untrimmed copies in full/ repeat trimmed monthly files: keep the
# commit-pinned one (an https URL from INDEX.csv), else the first in input order.
KEPT = f"""
    CREATE OR REPLACE TEMP TABLE {SNAPSHOT_ROWS} AS
    SELECT package, downloads, window_days, window_end_date, method, upstream_rows, source_url,
           fetched_at, raw_sha256, ? AS source
    FROM top_pypi_rows
    QUALIFY row_number() OVER (PARTITION BY {KEY}
        ORDER BY starts_with(source_url, 'https://') DESC, file_id, position) = 1
    ORDER BY NOT starts_with(source_url, 'https://'), file_id, position"""


@dataclass(frozen=True)
class Snapshot:
    """One parsed dump: its window and the kept rows."""

    window_end_date: date
    window_days: int
    method: str
    upstream_rows: int | None
    rows: list[tuple[str, int]]  # (package, downloads) in file order


def window_days_of(name: str) -> int:
    """365 for the 365-day dumps (by file or folder name), else 30."""
    return 365 if "365" in name else 30


def parse_top_pypi(
    raw: RawResponse, window_days: int | None = None, upstream_rows: int | None = None
) -> Snapshot:
    """Parse one dump. Raises ParseError naming the file on any unexpected shape."""
    days = window_days or window_days_of(raw.url)
    con = open_duckdb(":memory:")  # extensions off, as every warehouse connection
    try:
        read_dumps(con, [DumpFile(raw, days, raw.url, upstream_rows)], tracked_packages())
        facts = con.execute(
            "SELECT window_end_date, method, upstream_rows FROM top_pypi_file_facts"
        ).fetchone()
        rows = con.execute(
            "SELECT package, downloads FROM top_pypi_rows ORDER BY file_id, position"
        ).fetchall()
    finally:
        con.close()
    if facts is None:  # read_dumps raises first; a guard for the type checker
        raise ParseError(raw.url, NOT_PARSED)
    end, method, total = facts
    return Snapshot(end, days, method, total, rows)


def snapshot_rows(
    con: duckdb.DuckDBPyConnection,
    raws: list[RawResponse],
    index: dict[Path, dict[str, str]] | None = None,
) -> duckdb.DuckDBPyRelation:
    """All dumps as rows of ``pypi_download_snapshots`` (a temporary table of ``con``, the
    relation returned); identical duplicates collapse, conflicting ones are a ParseError.

    Args:
        con: the connection that keeps the rows (the warehouse's, for a load).
        raws: the dumps (a file's window is 365 days when its path says so, else 30).
        index: dump path -> its ``INDEX.csv`` row (see ``read_indexes``), for provenance.
    """
    files = [describe(raw, window_days_of(raw.url), index or {}) for raw in raws]
    read_dumps(con, files, tracked_packages())
    try:
        conflicts = con.execute(CONFLICTS, [SOURCE])
        names = [d[0] for d in conflicts.description or []]
        sample = [dict(zip(names, row, strict=True)) for row in conflicts.fetchall()]
        if sample:
            msg = f"two dumps disagree for the same package and date: {sample}"
            where = "top-pypi input"
            raise ParseError(where, msg)
        con.execute(KEPT, [SOURCE])
    finally:
        drop_tables(con, RESULTS)
    return con.table(SNAPSHOT_ROWS)


def ingest(ctx: RunContext, path_or_url: str) -> int:
    """Load every dump under a folder (or one file / URL) in one transaction."""
    raws = read_inputs(ctx, SOURCE, path_or_url, patterns=("*.json",))
    root = Path(path_or_url)
    index_files = [] if is_url(path_or_url) or not root.is_dir() else root.rglob("INDEX.csv")
    index = read_indexes(ctx.con, [f.resolve() for f in index_files])
    rows = snapshot_rows(ctx.con, raws, index)
    try:
        count, hashes = ctx.con.execute(
            f"SELECT count(*), list(DISTINCT raw_sha256) FROM {SNAPSHOT_ROWS}"
        ).fetchone() or (0, [])
        digest = "+".join(sorted(hashes or []))
        flags_sha = hashlib.sha256(digest.encode()).hexdigest()
        with begin_load(ctx.con, SOURCE, {"input": path_or_url, "files": len(raws)}) as load:
            load.register_source(SOURCE_INFO)
            written = load.upsert("pypi_download_snapshots", rows)
            latest = ctx.con.execute(LATEST_SNAPSHOTS).fetchall()
            flags = detect_flags(SnapshotPoint(*row) for row in latest)
            written += upsert_flags(load, flags, SOURCE, UPSTREAM, flags_sha)
    finally:
        drop_tables(ctx.con, [SNAPSHOT_ROWS])
    log.info("top-pypi: %d files, %d rows, %d new or changed", len(raws), count, written)
    return written


INGESTERS = [
    Ingester(
        "top-pypi",
        "PyPI 30/365-day download dumps (hugovk/top-pypi-packages): a folder, a JSON file or a URL",
        ingest,
    )
]
