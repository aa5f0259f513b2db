"""Shared plumbing of the live download collectors (pypistats, ClickHouse, npm, conda, BigQuery).

High-water marks come from the warehouse; "fetched today" comes from the raw archive, so a
refresh of an up-to-date warehouse plans no request and an endpoint is fetched at most once a
day. Each package (or month) is its own load: a failure leaves earlier loads intact, and the
failures are reported together at the end with their reasons.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlencode

import duckdb
import pandas as pd

from census_base.errors import CensusError
from census_base.progress import track
from collectors.http_faults import NoNetworkError
from collectors.raw import RawResponse, request_key
from collectors.registry import PlannedRequest, RunContext
from warehouse.load import DataQualityError

log = logging.getLogger(__name__)

# Failures that every later unit of the source would repeat at once (DuckDB cannot fetch the
# extension it needs to read a URL: offline, or blocked); the source stops at the first.
SAME_FOR_EVERY_UNIT = ("automatically install the required extension",)


class SourceFailed(CensusError):
    """Some packages (or months) of a source failed; the others were loaded."""

    def __init__(self, source: str, failures: dict[str, str], loaded: int) -> None:
        self.failures = failures
        detail = "; ".join(f"{key}: {reason}" for key, reason in failures.items())
        super().__init__(
            f"{source}: {len(failures)} of {len(failures) + loaded} unit(s) "
            f"failed (the others were loaded): {detail}"
        )


@dataclass(frozen=True)
class Unit:
    """One unit of work (a package or a month): its requests and what it is for."""

    key: str
    requests: tuple[PlannedRequest, ...]
    since: date | None = None


def today(ctx: RunContext) -> date:
    """The UTC date the run treats as today (``ctx.options['today']`` pins it in tests)."""
    pinned = ctx.options.get("today")
    return pinned if isinstance(pinned, date) else datetime.now(UTC).date()


def build_url(base: str, params: dict[str, str] | None = None) -> str:
    """The URL with its query string sorted, as HttpClient archives it."""
    if not params:
        return base
    return f"{base}?{urlencode(sorted(params.items()))}"


def fetched_today(
    ctx: RunContext, source: str, url: str, method: str = "GET", body: bytes | None = None
) -> bool:
    """True when the raw archive already holds this request from today (fetch once a day)."""
    key = request_key(method, url, body)
    folder = ctx.raw_root / source / today(ctx).isoformat()
    return any(folder.glob(f"*-{key[:16]}.meta.json"))


def daily_high_water(
    con: duckdb.DuckDBPyConnection, source: str, package: str, series: str | None = None
) -> date | None:
    """Latest stored day of a package from a source (optionally one series)."""
    row = con.execute(
        "SELECT max(download_date) FROM cur_package_downloads_daily "
        "WHERE source = ? AND package = ? AND (? IS NULL OR series = ?)",
        [source, package, series, series],
    ).fetchone()
    return row[0] if row and row[0] is not None else None


def is_current(high_water: date | None, ctx: RunContext) -> bool:
    """Daily data is complete to yesterday (UTC): nothing newer can exist upstream."""
    return high_water is not None and high_water >= today(ctx) - timedelta(days=1)


def plan_of(units: Iterable[Unit]) -> list[PlannedRequest]:
    return [request for unit in units for request in unit.requests]


def run_units(source: str, units: list[Unit], collect_one: Callable[[Unit], int]) -> int:
    """Run each unit as its own load; raise SourceFailed at the end if any failed."""
    written, failures, loaded = 0, {}, 0
    for unit in track(units, f"collect {source}"):
        try:
            written += collect_one(unit)
            loaded += 1
        except NoNetworkError:
            raise  # no unit of this source can succeed: one line, not one per unit
        except (CensusError, DataQualityError, duckdb.Error, OSError) as exc:
            if any(marker in str(exc) for marker in SAME_FOR_EVERY_UNIT):
                msg = (
                    f"{source} {unit.key}: {exc}; stopped there, every other unit would fail "
                    "the same way (no network, or the download is blocked)"
                )
                raise CensusError(msg) from exc
            failures[unit.key] = str(exc)
            log.error("%s %s failed (earlier loads are intact): %s", source, unit.key, exc)
    if not units:
        log.info("%s: up to date, no request sent", source)
    if failures:
        raise SourceFailed(source, failures, loaded)
    return written


def provenance(frame: pd.DataFrame, raw: RawResponse) -> pd.DataFrame:
    """Add the provenance columns of one raw response."""
    return frame.assign(source_url=raw.url, fetched_at=raw.fetched_at, raw_sha256=raw.sha256)


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)
