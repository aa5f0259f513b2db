"""An offline mock of the live download services (dlt's "offline mock server" idea).

Answers any pypistats / ClickHouse / npm request in the documented response format, with
small made-up counts, so a full refresh can run without network. The recorded fixtures in
tests/fixtures/<source>/ check the parsers value by value; this mock only exercises the
incremental logic (what is requested, what a second refresh sends).
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import responses

PYPISTATS = re.compile(r"https://pypistats\.org/api/packages/([^/]+)/(\w+)")
CLICKHOUSE = re.compile(r"https://sql-clickhouse\.clickhouse\.com/.*")
NPM = re.compile(r"https://api\.npmjs\.org/downloads/range/([\d-]+):([\d-]+)/(.+)")
TYPES = {
    "overall": "overall_downloads",
    "python_minor": "python_minor_downloads",
    "system": "system_downloads",
}


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def pypistats_answer(today: date):
    def answer(request):
        package, endpoint = PYPISTATS.match(request.url).groups()
        days = _days(today - timedelta(days=3), today - timedelta(days=1))
        categories = {
            "overall": ["with_mirrors", "without_mirrors"],
            "python_minor": ["3.12", "null"],
            "system": ["Linux", "Windows"],
        }[endpoint]
        data = [
            {"category": c, "date": d.isoformat(), "downloads": 1000 + i}
            for c in categories
            for i, d in enumerate(days)
        ]
        return 200, {}, json.dumps({"data": data, "package": package, "type": TYPES[endpoint]})

    return answer


def clickhouse_answer(request):
    query = parse_qs(urlsplit(request.url).query)
    since = date.fromisoformat(query["param_since"][0])
    until = date.fromisoformat(query["param_until"][0])
    days = _days(max(since, until - timedelta(days=3)), until - timedelta(days=1))
    data = [{"date": d.isoformat(), "downloads": str(5000 + i)} for i, d in enumerate(days)]
    meta = [{"name": "date", "type": "Date"}, {"name": "downloads", "type": "Int64"}]
    return 200, {}, json.dumps({"meta": meta, "data": data, "rows": len(data)})


def npm_answer(request):
    start, end, package = NPM.match(request.url).groups()
    days = _days(date.fromisoformat(start), date.fromisoformat(end))
    downloads = [{"downloads": 100 + i % 7, "day": d.isoformat()} for i, d in enumerate(days)]
    return (
        200,
        {},
        json.dumps({"start": start, "end": end, "package": package, "downloads": downloads}),
    )


def register(rsps: responses.RequestsMock, today: date) -> None:
    rsps.add_callback(responses.GET, PYPISTATS, callback=pypistats_answer(today))
    rsps.add_callback(responses.GET, CLICKHOUSE, callback=clickhouse_answer)
    rsps.add_callback(responses.GET, NPM, callback=npm_answer)


def conda_frame(month: date, rows: list[tuple[str, str, int]]) -> pd.DataFrame:
    """Rows in the anaconda-package-data schema: (data_source, pkg_name, counts) per bucket."""
    return pd.DataFrame(
        {
            "data_source": [r[0] for r in rows],
            "time": [f"{month:%Y-%m}"] * len(rows),
            "pkg_name": [r[1] for r in rows],
            "pkg_version": ["1.0"] * len(rows),
            "pkg_platform": ["linux-64"] * len(rows),
            "pkg_python": ["3.11"] * len(rows),
            "counts": pd.array([r[2] for r in rows], dtype="int64"),
        }
    )


def write_conda_months(root: Path, first: date, last: date) -> int:
    """One small monthly file per month in the upstream layout; returns the file count."""
    month, written = first, 0
    while month <= last:
        rows = [
            ("conda-forge", "pytorch", 300),
            ("anaconda", "pytorch", 200),
            ("conda-forge", "tensorflow", 150),
            ("anaconda", "numpy", 900),
        ]
        folder = root / f"{month:%Y}"
        folder.mkdir(parents=True, exist_ok=True)
        conda_frame(month, rows).to_parquet(folder / f"{month:%Y-%m}.parquet")
        written += 1
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return written
