"""Daily npm downloads of TensorFlow.js and its companions from the npm downloads API.

``census collect npm``: ``/downloads/range/{start}:{end}/{package}`` per package. Scoped names
(``@tensorflow/tfjs``) are not allowed in bulk queries, so each package is its own request, and
a range longer than 18 months silently returns only the last 18 months, so history is split
into windows of at most 540 days (and the answer's ``start`` is checked). An unknown package is
a 404 with a JSON ``error`` body. Trailing zero days next to today are days npm has not
processed yet: they are not stored, so the next refresh asks for them again.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

import pandas as pd

from census_base.errors import FetchError, ParseError
from collectors import _live
from collectors.raw import RawResponse
from collectors.registry import Collector, PlannedRequest, RunContext
from warehouse.families import channel_packages
from warehouse.load import SourceInfo, store

log = logging.getLogger(__name__)

SOURCE = "npm"
RANGE_URL = "https://api.npmjs.org/downloads/range/{start}:{end}/{package}"
SOURCE_INFO = SourceInfo(
    name=SOURCE,
    description="npm registry daily download counts (api.npmjs.org/downloads/range) for "
    "TensorFlow.js packages.",
    licence="npm, Inc. public download-counts API; no licence stated for the counts.",
    citation="npm download counts API (https://github.com/npm/registry/blob/main/docs/"
    "download-counts.md), api.npmjs.org.",
    upstream_url="https://api.npmjs.org/downloads/",
)
HISTORY_START = date(2018, 1, 1)  # TensorFlow.js was first published in 2018-03
WINDOW_DAYS = 540  # under 18 months however months are counted (longer ranges are cut)
REFETCH_DAYS = 3
UNPROCESSED_DAYS = 3  # zero-filled days this close to today may not be processed yet


def windows(since: date, until: date) -> list[tuple[date, date]]:
    """Inclusive ``(start, end)`` ranges of at most WINDOW_DAYS covering since..until."""
    found = []
    start = since
    while start <= until:
        end = min(start + timedelta(days=WINDOW_DAYS - 1), until)
        found.append((start, end))
        start = end + timedelta(days=1)
    return found


def parse_range(raw: RawResponse, package: str, start: date, end: date) -> pd.DataFrame:
    """Rows of ``package_downloads_daily`` from one range answer (404 and errors raise)."""
    body = raw.json()
    if isinstance(body, dict) and "error" in body:
        msg = f"npm answered an error for {package!r}: {body['error']}"
        raise FetchError(raw.url, msg, raw.status)
    if not isinstance(body, dict) or not isinstance(body.get("downloads"), list):
        raise ParseError(raw.url, "expected a JSON object with a 'downloads' list")
    if body.get("package") != package:
        raise ParseError(raw.url, f"answer is for package {body.get('package')!r}")
    if body.get("start") != start.isoformat() or body.get("end") != end.isoformat():
        msg = (
            f"asked for {start}..{end}, got {body.get('start')}..{body.get('end')} "
            "(range cut by the server?)"
        )
        raise ParseError(raw.url, msg)
    rows = []
    for i, item in enumerate(body["downloads"]):
        try:
            day, count = date.fromisoformat(item["day"]), int(item["downloads"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ParseError(raw.url, f"downloads[{i}] lacks day/downloads: {item!r}") from exc
        if not start <= day <= end or count < 0:
            raise ParseError(raw.url, f"downloads[{i}] out of range or negative: {item!r}")
        rows.append((day, count))
    frame = pd.DataFrame(rows, columns=["download_date", "downloads"]).assign(
        source=SOURCE, channel="npm", package=package, series="all", mirrors_included=None
    )
    return _live.provenance(frame, raw)


def trim(rows: pd.DataFrame, today: date, fresh: bool) -> pd.DataFrame:
    """Drop unprocessed trailing zero days and, for a new package, the days before its first."""
    rows = rows.sort_values("download_date").reset_index(drop=True)
    nonzero = rows.index[rows["downloads"] > 0]
    if nonzero.empty:
        return rows.iloc[0:0] if fresh else rows
    last = nonzero[-1]
    recent = rows["download_date"] >= today - timedelta(days=UNPROCESSED_DAYS)
    keep = ~((rows.index > last) & recent)
    if fresh:
        keep &= rows.index >= nonzero[0]
    return rows[keep].reset_index(drop=True)


def units(ctx: RunContext) -> list[_live.Unit]:
    yesterday = _live.today(ctx) - timedelta(days=1)
    found = []
    for package in channel_packages("npm"):
        high = _live.daily_high_water(ctx.con, SOURCE, package)
        if _live.is_current(high, ctx):
            continue
        since = HISTORY_START if high is None else high - timedelta(days=REFETCH_DAYS - 1)
        requests = []
        for start, end in windows(since, yesterday):
            url = RANGE_URL.format(start=start, end=end, package=package)
            if not _live.fetched_today(ctx, SOURCE, url):
                requests.append(
                    PlannedRequest(SOURCE, "GET", url, f"daily downloads {start}..{end}, {package}")
                )
        if requests:
            found.append(_live.Unit(package, tuple(requests), since))
    return found


def plan(ctx: RunContext) -> list[PlannedRequest]:
    return _live.plan_of(units(ctx))


def collect_package(ctx: RunContext, unit: _live.Unit) -> int:
    fresh = _live.daily_high_water(ctx.con, SOURCE, unit.key) is None
    frames = []
    for request in unit.requests:
        start, end = (
            date.fromisoformat(d) for d in request.url.split("/range/")[1].split("/")[0].split(":")
        )
        raw = ctx.http.get(SOURCE, request.url, accept=(200, 404))
        frames.append(parse_range(raw, unit.key, start, end))
    rows = trim(pd.concat(frames, ignore_index=True), _live.today(ctx), fresh)
    if rows.empty:
        log.info("%s %s: empty window from %s", SOURCE, unit.key, unit.since)
    params = {"package": unit.key, "since": unit.since}
    return store(ctx.con, SOURCE_INFO, {"package_downloads_daily": rows}, params)


def run(ctx: RunContext) -> int:
    return _live.run_units(SOURCE, units(ctx), lambda unit: collect_package(ctx, unit))


COLLECTORS = [
    Collector(
        "npm",
        "npm downloads API: daily downloads of @tensorflow/tfjs and "
        "companions (one request per package and 540-day window)",
        plan,
        run,
    )
]
