"""Monthly PyPI downloads from BigQuery ``bigquery-public-data.pypi.file_downloads`` (scale-out).

``census collect bigquery-pypi`` is for users who outgrow the public endpoints. The monthly
aggregation runs inside BigQuery and only ``(project, month, downloads)`` rows come back. Mirror
downloads are excluded with pypistats' installer list (bandersnatch, z3c.pypimirror,
Artifactory, devpi); rows without an installer name are kept. Packages, dates and the mirror
list are bound query parameters. It runs only when ``google-cloud-bigquery`` is installed and
Google credentials are configured (``GOOGLE_APPLICATION_CREDENTIALS`` or
``gcloud auth application-default login``), and says why it is skipped otherwise. Each query
bills the bytes it scans (1 TB a month is free).
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import logging
import os
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from census_base.errors import CensusError, ParseError
from collectors import _live
from collectors.raw import RawResponse, request_key, save_raw
from collectors.registry import Collector, PlannedRequest, RunContext
from warehouse.families import channel_packages
from warehouse.load import SourceInfo, store

log = logging.getLogger(__name__)

SOURCE = "bigquery_pypi"
TABLE = "bigquery-public-data.pypi.file_downloads"
JOBS_URL = "https://bigquery.googleapis.com/bigquery/v2/projects/{project}/queries"
SOURCE_INFO = SourceInfo(
    name=SOURCE,
    description="PyPI download logs in BigQuery (bigquery-public-data.pypi.file_downloads), "
    "aggregated to calendar months inside BigQuery, mirror installers excluded.",
    licence="Public dataset of the Python Software Foundation hosted by Google BigQuery.",
    citation="Python Software Foundation, PyPI download logs, BigQuery public dataset "
    "bigquery-public-data.pypi.file_downloads.",
    upstream_url="https://packaging.python.org/en/latest/guides/analyzing-pypi-package-downloads/",
)
MIRROR_INSTALLERS = ("bandersnatch", "z3c.pypimirror", "Artifactory", "devpi")
HISTORY_START = date(2016, 1, 1)
QUERY = f"""
SELECT file.project AS project,
       DATE_TRUNC(DATE(timestamp), MONTH) AS month,
       COUNT(*) AS downloads
FROM `{TABLE}`
WHERE file.project IN UNNEST(@packages)
  AND DATE(timestamp) BETWEEN @start_date AND @end_date
  -- mirror exclusion (pypistats' list); a NULL installer is not a mirror and is kept
  AND IFNULL(details.installer.name, '') NOT IN UNNEST(@mirror_installers)
GROUP BY project, month
ORDER BY project, month
""".strip()


@dataclass(frozen=True)
class QueryParameter:
    """A bound BigQuery parameter, independent of the client library."""

    name: str
    type: str  # STRING, DATE, ...
    value: Any
    array: bool = False


def query_parameters(packages: list[str], start: date, end: date) -> list[QueryParameter]:
    return [
        QueryParameter("packages", "STRING", sorted(packages), array=True),
        QueryParameter("start_date", "DATE", start),
        QueryParameter("end_date", "DATE", end),
        QueryParameter("mirror_installers", "STRING", list(MIRROR_INSTALLERS), array=True),
    ]


def configuration_problem() -> str | None:
    """Why BigQuery cannot run here (None when the library and credentials are present)."""
    try:
        found = importlib.util.find_spec("google.cloud.bigquery") is not None
    except ModuleNotFoundError:  # `google` exists (protobuf) but not `google.cloud`
        found = False
    if not found:
        return "google-cloud-bigquery is not installed (pip install google-cloud-bigquery)"
    key_file = os.environ.get("GOOGLE_APPLICATION_CREDENTIALS")
    adc = Path.home() / ".config" / "gcloud" / "application_default_credentials.json"
    if key_file and not Path(key_file).is_file():
        return f"GOOGLE_APPLICATION_CREDENTIALS names a missing file ({key_file})"
    if not key_file and not adc.is_file():
        return (
            "no Google credentials (set GOOGLE_APPLICATION_CREDENTIALS or run "
            "`gcloud auth application-default login`)"
        )
    return None


def parse_result(raw: RawResponse) -> pd.DataFrame:
    """Rows of ``package_downloads_monthly`` from an archived result (JSON ``rows`` list)."""
    body = raw.json()
    if not isinstance(body, dict) or not isinstance(body.get("rows"), list):
        raise ParseError(raw.url, "expected an archived BigQuery result with a 'rows' list")
    rows = []
    for i, item in enumerate(body["rows"]):
        try:
            month = date.fromisoformat(str(item["month"])[:10])
            rows.append((str(item["project"]), month, int(item["downloads"])))
        except (KeyError, TypeError, ValueError) as exc:
            raise ParseError(raw.url, f"rows[{i}] lacks project/month/downloads: {item!r}") from exc
        if month.day != 1 or rows[-1][2] < 0:
            raise ParseError(raw.url, f"rows[{i}] is not a month start or is negative: {item!r}")
    frame = pd.DataFrame(rows, columns=["package", "month", "downloads"]).assign(
        source=SOURCE, channel="pypi", mirrors_included=False
    )
    return _live.provenance(frame, raw)


def _window(ctx: RunContext) -> tuple[date, date] | None:
    """Whole months after the earliest per-package high-water mark, up to last month."""
    marks: list[date | None] = []
    for package in channel_packages("pypi"):
        row = ctx.con.execute(
            "SELECT max(month) FROM cur_package_downloads_monthly WHERE source = ? AND package = ?",
            [SOURCE, package],
        ).fetchone()
        marks.append(row[0] if row else None)
    known = [m for m in marks if m is not None]
    start = HISTORY_START if len(known) < len(marks) else _live.add_months(min(known), 1)
    end = _live.month_start(_live.today(ctx)) - timedelta(days=1)
    return (start, end) if start <= end else None


def plan(ctx: RunContext) -> list[PlannedRequest]:
    problem = configuration_problem()
    if problem:
        log.warning("bigquery-pypi: skipped, %s", problem)
        return []
    window = _window(ctx)
    if window is None:
        return []
    project = os.environ.get("GOOGLE_CLOUD_PROJECT", "<default project>")
    return [
        PlannedRequest(
            SOURCE,
            "POST",
            JOBS_URL.format(project=project),
            f"monthly downloads {window[0]:%Y-%m}..{window[1]:%Y-%m}, "
            f"{len(channel_packages('pypi'))} packages (bytes billed)",
        )
    ]


def run_query(
    packages: list[str], start: date, end: date, bigquery: Any = None
) -> tuple[str, list[dict]]:
    """Run the query with bound parameters; returns (job id, rows as dicts)."""
    bigquery = bigquery or importlib.import_module("google.cloud.bigquery")
    params = []
    for p in query_parameters(packages, start, end):
        if p.array:
            params.append(bigquery.ArrayQueryParameter(p.name, p.type, p.value))
        else:
            params.append(bigquery.ScalarQueryParameter(p.name, p.type, p.value))
    client = bigquery.Client()
    job = client.query(QUERY, job_config=bigquery.QueryJobConfig(query_parameters=params))
    return job.job_id, [dict(row.items()) for row in job.result()]


def run(ctx: RunContext, bigquery: Any = None) -> int:
    problem = None if bigquery is not None else configuration_problem()
    if problem:
        log.warning("bigquery-pypi: skipped, %s", problem)
        return 0
    window = _window(ctx)
    if window is None:
        log.info("bigquery-pypi: up to date, no query sent")
        return 0
    packages = channel_packages("pypi")
    try:
        job_id, rows = run_query(packages, *window, bigquery=bigquery)
    except Exception as exc:  # google.api_core errors: auth, quota, bad request
        msg = f"bigquery-pypi query failed: {type(exc).__name__}: {exc}"
        raise CensusError(msg) from exc
    url = f"bigquery://{TABLE}?job={job_id}"
    body = json.dumps(
        {
            "query": QUERY,
            "parameters": [p.__dict__ for p in query_parameters(packages, *window)],
            "rows": rows,
        },
        default=str,
        sort_keys=True,
    ).encode()
    raw = RawResponse(
        SOURCE, url, 200, body, datetime.now(UTC), "POST", {}, request_key("POST", url, body)
    )
    save_raw(ctx.raw_root, raw)
    frame = parse_result(raw)
    try:
        params = {"start": window[0], "end": window[1]}
        return store(ctx.con, SOURCE_INFO, {"package_downloads_monthly": frame}, params)
    except Exception as exc:
        msg = f"bigquery-pypi load failed: {exc}"
        raise CensusError(msg) from exc


COLLECTORS = [
    Collector(
        "bigquery-pypi",
        "BigQuery PyPI downloads, monthly aggregates computed in "
        "BigQuery (needs google-cloud-bigquery and credentials)",
        run=run,
        plan=plan,
    )
]
