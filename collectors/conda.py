"""Monthly conda downloads from the public anaconda-package-data Parquet files.

``census collect conda`` reads one monthly file per month not yet stored
(``conda/monthly/{YYYY}/{YYYY-MM}.parquet``) with DuckDB over HTTPS (the httpfs extension),
keeping only the tracked ``pkg_name`` values and summing ``counts`` per ``data_source``
(channel) inside DuckDB; only that aggregate is archived under ``data/raw/conda/``.
``census ingest conda PATH`` reads a local copy (one file or a folder of them) the same way.
Set ``CENSUS_CONDA_BASE`` to read from a mirror (e.g. the condastats-data GitHub Pages copy).
"""

from __future__ import annotations

import io
import logging
import os
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from census_base.errors import FetchError, ParseError
from census_base.progress import track
from collectors import _live
from collectors.inputs import is_url
from collectors.raw import RawResponse, find_archived, read_local, request_key, save_raw
from collectors.registry import Collector, Ingester, PlannedRequest, RunContext
from warehouse.families import channel_packages
from warehouse.load import SourceInfo, store

log = logging.getLogger(__name__)

SOURCE = "conda"
BASE_URL = "https://anaconda-package-data.s3.amazonaws.com/conda/monthly"
SOURCE_INFO = SourceInfo(
    name=SOURCE,
    description="Anaconda public package download data: monthly conda downloads per package "
    "and channel (anaconda, conda-forge, pytorch, ...), summed over versions and platforms.",
    licence="CC-BY-4.0 (anaconda-package-data README; attribution requested).",
    citation="Anaconda, Inc., anaconda-package-data (https://github.com/anaconda/"
    "anaconda-package-data), monthly Parquet files, CC-BY-4.0.",
    upstream_url="https://github.com/anaconda/anaconda-package-data",
)
HISTORY_START = date(2017, 1, 1)
COLUMNS = ("data_source", "time", "pkg_name", "pkg_version", "pkg_platform", "pkg_python", "counts")
AGGREGATE_SQL = """
SELECT data_source::VARCHAR AS data_source, pkg_name::VARCHAR AS pkg_name,
       coalesce(try_strptime(left(time::VARCHAR, 7), '%Y-%m'),
                try_cast(time::VARCHAR AS TIMESTAMP))::DATE AS month,
       sum(counts)::BIGINT AS downloads, min(counts) AS smallest
FROM read_parquet(?)
WHERE list_contains(?, pkg_name::VARCHAR)
GROUP BY ALL ORDER BY ALL
"""
NOT_FOUND = ("No files found", "404", "Not Found", "NoSuchKey")
# Documented upstream problems (anaconda-package-data KNOWN_ISSUES.md, CHANGE_LOG.md, #42).
KNOWN_ISSUES = [
    (
        "*",
        date(2018, 4, 5),
        date(2018, 4, 10),
        "partial_period",
        "anaconda-package-data has no downloads for 2018-04-05..2018-04-10 (KNOWN_ISSUES.md): "
        "April 2018 is low.",
    ),
    (
        "pytorch",
        date(2023, 1, 1),
        date(2023, 1, 31),
        "method_break",
        "The `pytorch` channel is in the data only from 2023-01 (anaconda-package-data#42): "
        "conda PyTorch totals jump there; PyTorch stopped publishing to it after 2.5 (2024-10).",
    ),
]


def base_url() -> str:
    return os.environ.get("CENSUS_CONDA_BASE", BASE_URL).rstrip("/")


def month_url(month: date, base: str | None = None) -> str:
    return f"{base or base_url()}/{month:%Y}/{month:%Y-%m}.parquet"


def aggregate_parquet(location: str, packages: list[str]) -> pd.DataFrame:
    """``data_source, pkg_name, month, downloads`` of one Parquet file (a path or a URL).

    Raises ParseError when columns are missing or counts negative, FetchError when unreadable.
    """
    reader = duckdb.connect()
    try:
        names = [
            r[0]
            for r in reader.execute("DESCRIBE SELECT * FROM read_parquet(?)", [location]).fetchall()
        ]
        missing = [c for c in COLUMNS if c not in names]
        if missing:
            raise ParseError(location, f"not an anaconda-package-data file: lacks {missing}")
        frame = reader.execute(AGGREGATE_SQL, [location, packages]).df()
    except duckdb.Error as exc:
        text = str(exc)
        if any(mark in text for mark in NOT_FOUND):
            raise FetchError(location, "no such file (not published yet?)", 404) from exc
        if "403" in text or "AccessDenied" in text:  # S3 answers 403 for a missing key
            raise FetchError(location, "access denied (missing object?)", 403) from exc
        if isinstance(exc, duckdb.IOException | duckdb.HTTPException):
            msg = f"cannot read the Parquet file ({text.splitlines()[0]})"
            if "httpfs" in text.lower():
                msg += "; DuckDB needs its httpfs extension for URLs (or: census ingest conda PATH)"
            raise FetchError(location, msg) from exc
        raise ParseError(location, f"unreadable Parquet: {text.splitlines()[0]}") from exc
    finally:
        reader.close()
    if frame["month"].isna().any():
        raise ParseError(location, "a `time` value is neither YYYY-MM nor a timestamp")
    if (frame["smallest"] < 0).any():
        raise ParseError(location, "negative `counts`")
    return frame.drop(columns="smallest")


def _archive(ctx: RunContext, url: str, frame: pd.DataFrame, status: int = 200) -> RawResponse:
    """Keep the aggregate read from a remote file as its raw response (provenance, replay)."""
    body = frame.to_csv(index=False).encode()
    raw = RawResponse(
        SOURCE, url, status, body, datetime.now(UTC), "GET", {}, request_key("GET", url)
    )
    save_raw(ctx.raw_root, raw)
    return raw


def _with_provenance(frame: pd.DataFrame, raw: RawResponse) -> pd.DataFrame:
    return frame.assign(
        source=SOURCE, source_url=raw.url, fetched_at=raw.fetched_at, raw_sha256=raw.sha256
    )


def _load(ctx: RunContext, rows: pd.DataFrame, params: dict) -> int:
    """One load: the monthly rows plus the documented upstream issues of the months they cover."""
    months = set(pd.to_datetime(rows["month"]).dt.date)
    flags = pd.DataFrame(
        [k for k in KNOWN_ISSUES if k[1].replace(day=1) in months],
        columns=["subject", "period_start", "period_end", "kind", "note"],
    )
    provenance = {
        "source": SOURCE,
        "source_url": SOURCE_INFO.upstream_url,
        "fetched_at": pd.Timestamp.now(tz="UTC"),
        "raw_sha256": rows["raw_sha256"].iloc[0],
    }
    tables = {
        "conda_downloads_monthly": rows,
        "quality_flags": None if flags.empty else flags.assign(**provenance),
    }
    return store(ctx.con, SOURCE_INFO, tables, params)


def units(ctx: RunContext) -> list[_live.Unit]:
    """Months not stored yet (gaps included) up to last month, unless already tried today."""
    stored = {
        r[0]
        for r in ctx.con.execute(
            "SELECT DISTINCT month FROM cur_conda_downloads_monthly"
        ).fetchall()
    }
    last = _live.add_months(_live.month_start(_live.today(ctx)), -1)
    found = []
    month = HISTORY_START
    while month <= last:
        url = month_url(month)
        if month not in stored and not _live.fetched_today(ctx, SOURCE, url):
            request = PlannedRequest(SOURCE, "GET", url, f"conda downloads {month:%Y-%m}")
            found.append(_live.Unit(f"{month:%Y-%m}", (request,), month))
        month = _live.add_months(month, 1)
    return found


def plan(ctx: RunContext) -> list[PlannedRequest]:
    return _live.plan_of(units(ctx))


def replay_month(ctx: RunContext, url: str) -> tuple[pd.DataFrame, RawResponse]:
    """The aggregate archived for ``url`` (``--replay``): no Parquet file is read."""
    raw = find_archived(ctx.raw_root, SOURCE, request_key("GET", url))
    if raw is None:
        raise FetchError(url, f"not in the raw archive {ctx.raw_root / SOURCE} (replay mode)")
    if raw.status == 404 or not raw.body.strip():
        raise FetchError(url, "archived as not published (replay mode)", 404)
    frame = pd.read_csv(io.BytesIO(raw.body), parse_dates=["month"])
    frame["month"] = frame["month"].dt.date
    return frame, raw


def collect_month(ctx: RunContext, unit: _live.Unit, latest: date | None) -> int:
    url = unit.requests[0].url
    if ctx.http.replay:
        frame, raw = replay_month(ctx, url)
        return _load(ctx, _with_provenance(frame, raw), {"month": unit.key, "replay": url})
    try:
        frame = aggregate_parquet(url, channel_packages("conda"))
    except FetchError as exc:
        if exc.status in (403, 404) and unit.since == latest:
            _archive(ctx, url, pd.DataFrame(), status=404)  # tried today: not again until tomorrow
            log.info("conda %s is not published yet", unit.key)
            return 0
        raise
    raw = _archive(ctx, url, frame)
    return _load(ctx, _with_provenance(frame, raw), {"month": unit.key, "url": url})


def run(ctx: RunContext) -> int:
    found = units(ctx)
    latest = max((u.since for u in found if u.since), default=None)
    return _live.run_units(SOURCE, found, lambda unit: collect_month(ctx, unit, latest))


def ingest(ctx: RunContext, path_or_url: str) -> int:
    """Load a local copy (a file or a folder of monthly files) or one file URL in one load."""
    packages = channel_packages("conda")
    if is_url(path_or_url):
        frame = aggregate_parquet(path_or_url, packages)
        rows = _with_provenance(frame, _archive(ctx, path_or_url, frame))
        return _load(ctx, rows, {"input": path_or_url})
    path = Path(path_or_url)
    files = sorted(path.rglob("*.parquet")) if path.is_dir() else [path]
    if not files or not files[0].exists():
        raise FetchError(str(path), "no Parquet file here")
    frames = [
        _with_provenance(aggregate_parquet(str(file), packages), read_local(SOURCE, file))
        for file in track(files, "read conda Parquet files")
    ]
    return _load(
        ctx, pd.concat(frames, ignore_index=True), {"input": path_or_url, "files": len(files)}
    )


COLLECTORS = [
    Collector(
        "conda",
        "anaconda-package-data monthly Parquet files (DuckDB over "
        "HTTPS): conda downloads per package and channel",
        plan,
        run,
    )
]
INGESTERS = [
    Ingester(
        "conda",
        "anaconda-package-data monthly Parquet files: a local copy (file or folder) or a URL",
        ingest,
    )
]
