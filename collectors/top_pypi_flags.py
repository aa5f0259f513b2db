"""Quality flags of the top-pypi-packages series: method breaks, common dips, level shifts and
the Linehaul undercount, computed from plain rows (no pandas) and stored with provenance."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

from warehouse.anomalies import common_dips, level_shifts, method_changes
from warehouse.load import Load

REFERENCE_PACKAGES = ["pip", "numpy", "pandas"]
# Linehaul under-reported downloads until 2018-07-26 (packaging.python.org "Caveats").
LINEHAUL_FIX = date(2018, 7, 26)
# The rows detect_flags reads: the latest stored version of every snapshot.
LATEST_SNAPSHOTS = """
    SELECT package, window_days, window_end_date, downloads, method
    FROM pypi_download_snapshots
    QUALIFY row_number() OVER (PARTITION BY package, window_days, window_end_date
                               ORDER BY load_id DESC) = 1"""
FLAG_COLUMNS = ("subject", "period_start", "period_end", "kind", "note")


class SnapshotPoint(NamedTuple):
    """One snapshot value, as ``LATEST_SNAPSHOTS`` returns it."""

    package: str
    window_days: int
    window_end_date: date
    downloads: int
    method: str


class Flag(NamedTuple):
    """A row of ``quality_flags`` before its provenance."""

    subject: str
    period_start: date
    period_end: date
    kind: str
    note: str


def _window(end: date) -> tuple[date, date]:
    """The 30 days a snapshot dated ``end`` covers."""
    return end - timedelta(days=30), end - timedelta(days=1)


def detect_flags(snapshots: Iterable[SnapshotPoint]) -> list[Flag]:
    """Quality flags for 30-day snapshots: method breaks, common dips, Linehaul undercount."""
    thirty = [s for s in snapshots if s.window_days == 30]
    points = [(s.package, s.window_end_date, s.downloads) for s in thirty]
    flags = []
    changes = method_changes((s.window_end_date, s.method) for s in thirty)
    for change in changes:
        start, end = _window(change.period)
        note = (
            f"Upstream counting method changed from {change.previous} to {change.method} "
            f"with the snapshot of {change.period}; levels before and after are not "
            "comparable (top-N dumps moved from pypinfo/BigQuery to ClickPy/ClickHouse)."
        )
        flags.append(Flag("*", start, end, "method_break", note))
    dips = common_dips(points, REFERENCE_PACKAGES)
    for dip in dips:
        start, end = _window(dip.period)
        ratios = ", ".join(f"{k} {v:.2f}" for k, v in dip.ratios.items())
        note = (
            f"Every reference package is far from its neighbouring snapshots "
            f"(value / median of up to two snapshots each side: {ratios}); an upstream "
            "logging problem, not a change in adoption."
        )
        flags.append(Flag("*", start, end, dip.kind, note))
    breaks = {change.period for change in changes}
    for shift in level_shifts(points, REFERENCE_PACKAGES, skip={d.period for d in dips}):
        if shift.period in breaks or _window(shift.period)[0] < LINEHAUL_FIX:
            continue  # already explained by a recorded method break
        start, end = _window(shift.period)
        ratios = ", ".join(f"{k} x{v:.2f}" for k, v in shift.ratios.items())
        note = (
            f"Every reference package changes level from this snapshot on ({ratios}, median "
            "of the next three over the previous three): most likely a change upstream in how "
            "downloads are counted; compare shares, not levels, across it."
        )
        flags.append(Flag("*", start, end, "level_shift", note))
    early = sorted(
        {s.window_end_date for s in thirty if _window(s.window_end_date)[0] < LINEHAUL_FIX}
    )
    if early:
        note = (
            "PyPI's Linehaul under-reported downloads before 2018-07-26 (totals low by up to "
            "an order of magnitude, proportions roughly right); windows touching that period."
        )
        start = _window(early[0])[0]
        flags.append(Flag("*", start, LINEHAUL_FIX - timedelta(days=1), "undercount", note))
    return flags


def upsert_flags(
    load: Load, flags: list[Flag], source: str, source_url: str, raw_sha256: str
) -> int:
    """Store flags with provenance (the input they were derived from)."""
    columns = [*zip(*flags, strict=True)] if flags else [() for _ in FLAG_COLUMNS]
    kinds = ("VARCHAR", "DATE", "DATE", "VARCHAR", "VARCHAR")
    select = ", ".join(
        f"unnest(CAST(? AS {kind}[])) AS {name}"
        for name, kind in zip(FLAG_COLUMNS, kinds, strict=True)
    )
    load.con.execute(
        f"CREATE OR REPLACE TEMP TABLE top_pypi_flags AS SELECT {select}, ? AS source, "
        "? AS source_url, CAST(? AS TIMESTAMPTZ) AS fetched_at, ? AS raw_sha256",
        [*map(list, columns), source, source_url, datetime.now(UTC), raw_sha256],
    )
    written = load.upsert("quality_flags", load.con.table("top_pypi_flags"))
    load.con.execute("DROP TABLE temp.top_pypi_flags")  # (on an error, the rollback drops it)
    return written
