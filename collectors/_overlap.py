"""The overlap check: PyPI history from the archive versus live daily sources.

The ``pypi_source_overlap`` view sums a live source's days over each top-pypi 30-day window it
fully covers. Beyond the tolerance (5 %, see docs/downloads_live.md) a ``source_disagreement``
flag is stored for both sources, in a load of its own after the data load (the view reads only
finished loads).
"""

from __future__ import annotations

import hashlib
import logging

import pandas as pd

from collectors.registry import RunContext
from warehouse.load import begin_load

log = logging.getLogger(__name__)

TOLERANCE = 0.05  # keep in step with warehouse/views/pypi_source_overlap.sql


def overlap_flags(ctx: RunContext, source: str, package: str) -> pd.DataFrame:
    """Flag rows (quality_flags columns) for windows where the two sources disagree."""
    rows = ctx.con.execute(
        "SELECT * FROM pypi_source_overlap WHERE live_source = ? AND package = ? "
        "AND NOT within_tolerance ORDER BY window_end_date",
        [source, package],
    ).df()
    flags = []
    for row in rows.itertuples():
        note = (
            f"{package}: the top-pypi snapshot ({row.archive_method}) counts "
            f"{row.archive_downloads:,} downloads for {row.window_start_date:%Y-%m-%d}.."
            f"{pd.Timestamp(row.window_end_date) - pd.Timedelta(days=1):%Y-%m-%d}, "
            f"{source} ({row.live_series}) {row.live_downloads:,} over the same days: "
            f"{row.relative_difference:+.1%}, beyond the {TOLERANCE:.0%} tolerance."
        )
        end = (pd.Timestamp(row.window_end_date) - pd.Timedelta(days=1)).date()
        for flagged in (source, "top_pypi"):
            flags.append(
                {
                    "source": flagged,
                    "subject": package,
                    "period_start": pd.Timestamp(row.window_start_date).date(),
                    "period_end": end,
                    "kind": "source_disagreement",
                    "note": note,
                }
            )
    return pd.DataFrame(
        flags, columns=["source", "subject", "period_start", "period_end", "kind", "note"]
    )


def flag_overlaps(ctx: RunContext, source: str, package: str) -> int:
    """Store disagreement flags for one package; returns rows written (0 when all agree)."""
    flags = overlap_flags(ctx, source, package)
    if flags.empty:
        return 0
    digest = hashlib.sha256(flags.to_csv(index=False).encode()).hexdigest()
    frame = flags.assign(
        source_url=f"view:pypi_source_overlap?live_source={source}",
        fetched_at=pd.Timestamp.now(tz="UTC"),
        raw_sha256=digest,
    )
    with begin_load(ctx.con, source, {"check": "pypi_source_overlap", "package": package}) as load:
        written = load.upsert("quality_flags", frame)
    log.warning(
        "%s %s: %d window(s) disagree with the top-pypi archive beyond %.0f%%",
        source,
        package,
        len(flags) // 2,
        TOLERANCE * 100,
    )
    return written
