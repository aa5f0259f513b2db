"""Daily PyPI downloads per project, full history, from ClickHouse's public PyPI dataset (ClickPy).

``census collect clickhouse-pypi`` sends one read-only SQL query per tracked PyPI package to
the HTTP interface (user ``demo``), with the package and dates as bound ``{name:Type}``
parameters. The table ``pypi.pypi_downloads_per_day`` is a SummingMergeTree, so the query
always sums ``count``. ClickHouse may report an error inside an HTTP 200 (after the headers
were sent): the body is inspected and such an answer raises FetchError. ClickPy applies no
mirror filter, so these counts include mirrors.
"""

from __future__ import annotations

import logging
import re
from datetime import date, timedelta

import pandas as pd

from census_base.errors import FetchError, ParseError
from collectors import _live
from collectors._overlap import flag_overlaps
from collectors.raw import RawResponse
from collectors.registry import Collector, PlannedRequest, RunContext
from warehouse.families import channel_packages
from warehouse.load import SourceInfo, store

log = logging.getLogger(__name__)

SOURCE = "clickhouse_pypi"
HOST = "https://sql-clickhouse.clickhouse.com/"
USER = "demo"  # the documented public read-only user (ClickHouse/clickpy README); no password
SOURCE_INFO = SourceInfo(
    name=SOURCE,
    description="ClickHouse's public PyPI dataset behind ClickPy: daily downloads per project "
    "(pypi.pypi_downloads_per_day), full history, mirrors included.",
    licence="ClickHouse public demo service; aggregates of the public PyPI download logs "
    "(BigQuery bigquery-public-data.pypi).",
    citation="ClickHouse, ClickPy PyPI dataset (https://clickpy.clickhouse.com, "
    "sql-clickhouse.clickhouse.com), table pypi.pypi_downloads_per_day.",
    upstream_url="https://github.com/ClickHouse/clickpy",
)
QUERY = (
    "SELECT date, sum(count) AS downloads FROM pypi.pypi_downloads_per_day "
    "WHERE project = {project:String} AND date >= {since:Date} AND date < {until:Date} "
    "GROUP BY date ORDER BY date"
)
HISTORY_START = date(2016, 1, 1)  # before the first day of the upstream dataset
REFETCH_DAYS = 3  # re-pull the trailing days: ClickPy lags and merges late (clickpy#225)
_ERROR = re.compile(r"Code: \d+\. DB::Exception|DB::Exception:")


def query_url(package: str, since: date, until: date) -> str:
    """The GET URL of one query; values travel as ``param_*``, never inside the SQL."""
    return _live.build_url(
        HOST,
        {
            "user": USER,
            "default_format": "JSON",
            "query": QUERY,
            "param_project": package,
            "param_since": since.isoformat(),
            "param_until": until.isoformat(),
        },
    )


def parse_daily(raw: RawResponse, package: str) -> pd.DataFrame:
    """Rows of ``package_downloads_daily`` from a ``FORMAT JSON`` answer.

    Raises FetchError for an error reported inside a 200, ParseError for another shape.
    """
    match = _ERROR.search(raw.text)
    if match:
        start = raw.text.rfind("Code:", 0, match.end())
        reason = raw.text[max(start, 0) :].strip().splitlines()[0][:300]
        msg = f"ClickHouse reported an error inside HTTP {raw.status}: {reason}"
        raise FetchError(raw.url, msg, raw.status)
    body = raw.json()
    if not isinstance(body, dict) or not isinstance(body.get("data"), list):
        raise ParseError(raw.url, "expected a ClickHouse JSON answer with a 'data' list")
    names = [column.get("name") for column in body.get("meta", [])]
    if names != ["date", "downloads"]:
        raise ParseError(raw.url, f"expected columns ['date', 'downloads'], got {names}")
    if body.get("rows") != len(body["data"]):
        msg = f"'rows' says {body.get('rows')} but {len(body['data'])} rows arrived (cut off?)"
        raise ParseError(raw.url, msg)
    rows = []
    for i, item in enumerate(body["data"]):
        try:
            # Int64 arrives as a quoted string (output_format_json_quote_64bit_integers).
            rows.append((date.fromisoformat(item["date"]), int(item["downloads"])))
        except (KeyError, TypeError, ValueError) as exc:
            raise ParseError(
                raw.url, f"data[{i}] is not a (date, downloads) row: {item!r}"
            ) from exc
    frame = pd.DataFrame(rows, columns=["download_date", "downloads"]).assign(
        source=SOURCE, channel="pypi", package=package, series="all", mirrors_included=True
    )
    return _live.provenance(frame, raw)


def units(ctx: RunContext) -> list[_live.Unit]:
    """One query per tracked package whose days are not current, unless sent today."""
    until = _live.today(ctx)
    found = []
    for package in channel_packages("pypi"):
        high = _live.daily_high_water(ctx.con, SOURCE, package)
        if _live.is_current(high, ctx):
            continue
        since = HISTORY_START if high is None else high - timedelta(days=REFETCH_DAYS - 1)
        url = query_url(package, since, until)
        if _live.fetched_today(ctx, SOURCE, url):
            continue
        purpose = f"daily downloads {since}..{until - timedelta(days=1)}, {package}"
        found.append(_live.Unit(package, (PlannedRequest(SOURCE, "GET", url, purpose),), since))
    return found


def plan(ctx: RunContext) -> list[PlannedRequest]:
    return _live.plan_of(units(ctx))


def collect_package(ctx: RunContext, unit: _live.Unit) -> int:
    (request,) = unit.requests
    # 500 carries the DB::Exception text (a query error): report it, do not retry it.
    raw = ctx.http.get(SOURCE, request.url, retry_on=(429, 502, 503, 504))
    rows = parse_daily(raw, unit.key)
    if rows.empty:
        log.info("%s %s: empty window from %s", SOURCE, unit.key, unit.since)
    params = {"package": unit.key, "since": unit.since}
    written = store(ctx.con, SOURCE_INFO, {"package_downloads_daily": rows}, params)
    return written + flag_overlaps(ctx, SOURCE, unit.key)


def run(ctx: RunContext) -> int:
    return _live.run_units(SOURCE, units(ctx), lambda unit: collect_package(ctx, unit))


COLLECTORS = [
    Collector(
        "clickhouse-pypi",
        "ClickHouse public PyPI dataset (ClickPy): daily downloads per project, full history",
        plan,
        run,
    )
]
