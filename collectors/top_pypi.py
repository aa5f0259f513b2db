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
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from census_base.errors import ParseError
from collectors.inputs import is_url, read_inputs
from collectors.raw import RawResponse
from collectors.registry import Ingester, RunContext
from collectors.top_pypi_dumps import DumpFile, describe, read_dumps, read_indexes
from warehouse.anomalies import common_dips, level_shifts, method_changes
from warehouse.families import tracked_packages
from warehouse.load import Load, SourceInfo, begin_load

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
REFERENCE_PACKAGES = ["pip", "numpy", "pandas"]
# Linehaul under-reported downloads until 2018-07-26 (packaging.python.org "Caveats").
LINEHAUL_FIX = date(2018, 7, 26)


@dataclass(frozen=True)
class Snapshot:
    """One parsed dump: its window and the kept rows."""

    window_end_date: date
    window_days: int
    method: str
    upstream_rows: int | None
    rows: pd.DataFrame  # package, downloads


def window_days_of(name: str) -> int:
    """365 for the 365-day dumps (by file or folder name), else 30."""
    return 365 if "365" in name else 30


def parse_top_pypi(
    raw: RawResponse, window_days: int | None = None, upstream_rows: int | None = None
) -> Snapshot:
    """Parse one dump. Raises ParseError naming the file on any unexpected shape."""
    days = window_days or window_days_of(raw.url)
    dumps = read_dumps([DumpFile(raw, days, raw.url, upstream_rows)], tracked_packages())
    facts = dumps.files.iloc[0]
    total = facts["upstream_rows"]
    return Snapshot(
        window_end_date=pd.Timestamp(facts["window_end_date"]).date(),
        window_days=days,
        method=str(facts["method"]),
        upstream_rows=None if pd.isna(total) else int(total),
        rows=dumps.rows[["package", "downloads"]].reset_index(drop=True),
    )


def snapshot_rows(
    raws: list[RawResponse], index: dict[Path, dict[str, str]] | None = None
) -> pd.DataFrame:
    """All dumps as rows of ``pypi_download_snapshots``; identical duplicates collapse.

    Args:
        raws: the dumps (a file's window is 365 days when its path says so, else 30).
        index: dump path -> its ``INDEX.csv`` row (see ``read_indexes``), for provenance.
    """
    files = [describe(raw, window_days_of(raw.url), index or {}) for raw in raws]
    rows = read_dumps(files, tracked_packages()).rows.drop(columns="file_id")
    rows = rows.assign(source=SOURCE)
    rows["window_end_date"] = pd.to_datetime(rows["window_end_date"]).dt.date
    key = ["package", "window_days", "window_end_date"]
    distinct = rows.drop_duplicates([*key, "downloads"])
    conflicting = distinct.duplicated(key, keep=False)
    if conflicting.any():
        sample = distinct[conflicting].head(4)
        msg = f"two dumps disagree for the same package and date: {sample.to_dict('records')}"
        where = "top-pypi input"
        raise ParseError(where, msg)
    # The untrimmed copies in full/ repeat trimmed monthly files: keep the commit-pinned one.
    rows = rows.sort_values("source_url", key=lambda s: ~s.str.startswith("https://"))
    return rows.drop_duplicates(key).reset_index(drop=True)


def detect_flags(snapshots: pd.DataFrame) -> pd.DataFrame:
    """Quality flags for 30-day snapshots: method breaks, common dips, Linehaul undercount."""
    thirty = snapshots[snapshots["window_days"] == 30].copy()
    thirty["window_end_date"] = pd.to_datetime(thirty["window_end_date"]).dt.date
    thirty["period"] = thirty["window_end_date"]
    flags = []

    def window(end: date) -> tuple[date, date]:
        return end - timedelta(days=30), end - timedelta(days=1)

    for change in method_changes(thirty, "period", "method").itertuples():
        start, end = window(change.period)
        note = (
            f"Upstream counting method changed from {change.previous} to {change.method} "
            f"with the snapshot of {change.period}; levels before and after are not "
            "comparable (top-N dumps moved from pypinfo/BigQuery to ClickPy/ClickHouse)."
        )
        flags.append(("*", start, end, "method_break", note))
    dips = common_dips(thirty, REFERENCE_PACKAGES)
    for dip in dips.itertuples():
        start, end = window(dip.period)
        ratios = ", ".join(f"{k} {v:.2f}" for k, v in dip.ratios.items())
        note = (
            f"Every reference package is far from its neighbouring snapshots "
            f"(value / median of up to two snapshots each side: {ratios}); an upstream "
            "logging problem, not a change in adoption."
        )
        flags.append(("*", start, end, dip.kind, note))
    breaks = set(method_changes(thirty, "period", "method")["period"])
    for shift in level_shifts(thirty, REFERENCE_PACKAGES, skip=set(dips["period"])).itertuples():
        if shift.period in breaks or window(shift.period)[0] < LINEHAUL_FIX:
            continue  # already explained by a recorded method break
        start, end = window(shift.period)
        ratios = ", ".join(f"{k} x{v:.2f}" for k, v in shift.ratios.items())
        note = (
            f"Every reference package changes level from this snapshot on ({ratios}, median "
            "of the next three over the previous three): most likely a change upstream in how "
            "downloads are counted; compare shares, not levels, across it."
        )
        flags.append(("*", start, end, "level_shift", note))
    early = sorted(d for d in thirty["window_end_date"].unique() if window(d)[0] < LINEHAUL_FIX)
    if early:
        note = (
            "PyPI's Linehaul under-reported downloads before 2018-07-26 (totals low by up to "
            "an order of magnitude, proportions roughly right); windows touching that period."
        )
        flags.append(
            ("*", window(early[0])[0], LINEHAUL_FIX - timedelta(days=1), "undercount", note)
        )
    return pd.DataFrame(flags, columns=["subject", "period_start", "period_end", "kind", "note"])


def upsert_flags(
    load: Load, flags: pd.DataFrame, source: str, source_url: str, raw_sha256: str
) -> int:
    """Store flags with provenance (the input they were derived from)."""
    frame = flags.assign(
        source=source,
        source_url=source_url,
        fetched_at=pd.Timestamp.now(tz="UTC"),
        raw_sha256=raw_sha256,
    )
    return load.upsert("quality_flags", frame)


def ingest(ctx: RunContext, path_or_url: str) -> int:
    """Load every dump under a folder (or one file / URL) in one transaction."""
    raws = read_inputs(ctx, SOURCE, path_or_url, patterns=("*.json",))
    root = Path(path_or_url)
    index_files = [] if is_url(path_or_url) or not root.is_dir() else root.rglob("INDEX.csv")
    rows = snapshot_rows(raws, read_indexes([f.resolve() for f in index_files]))
    with begin_load(ctx.con, SOURCE, {"input": path_or_url, "files": len(raws)}) as load:
        load.register_source(SOURCE_INFO)
        written = load.upsert("pypi_download_snapshots", rows)
        everything = ctx.con.execute(
            "SELECT * FROM pypi_download_snapshots QUALIFY row_number() OVER "
            "(PARTITION BY package, window_days, window_end_date ORDER BY load_id DESC) = 1"
        ).df()
        digest = "+".join(sorted(set(rows["raw_sha256"])))
        flags_sha = hashlib.sha256(digest.encode()).hexdigest()
        written += upsert_flags(load, detect_flags(everything), SOURCE, UPSTREAM, flags_sha)
    log.info("top-pypi: %d files, %d rows, %d new or changed", len(raws), len(rows), written)
    return written


INGESTERS = [
    Ingester(
        "top-pypi",
        "PyPI 30/365-day download dumps (hugovk/top-pypi-packages): a folder, a JSON file or a URL",
        ingest,
    )
]
