"""Daily PyPI downloads from the pypistats.org JSON API (last 180 days).

``census collect pypistats``: per core package, the ``overall`` series with and without mirrors
and the ``python_minor`` and ``system`` breakdowns. pypistats allows 30 requests a minute per IP
(HttpClient paces pypistats.org at 2 s) and asks that an endpoint is fetched at most once a day:
an endpoint whose data reaches yesterday, or that the raw archive already holds from today, is
not requested again.
"""

from __future__ import annotations

import logging
import re
from datetime import date

import pandas as pd

from census_base.errors import ParseError
from collectors import _live
from collectors._overlap import flag_overlaps
from collectors.raw import RawResponse
from collectors.registry import Collector, PlannedRequest, RunContext
from warehouse.families import channel_packages
from warehouse.load import SourceInfo, store

log = logging.getLogger(__name__)

SOURCE = "pypistats"
API = "https://pypistats.org/api/packages/{package}/{endpoint}"
SOURCE_INFO = SourceInfo(
    name=SOURCE,
    description="pypistats.org daily PyPI downloads (last 180 days), with and without mirrors, "
    "and by Python minor version and operating system (mirrors excluded).",
    licence="pypistats.org service (PSF); aggregates of the public PyPI download logs.",
    citation="pypistats.org JSON API (https://pypistats.org/api/), Python Software Foundation.",
    upstream_url="https://pypistats.org/api/",
)
FAMILIES = ("torch", "tensorflow", "keras", "jax")
# endpoint -> (response type, breakdown dimension or None for the overall series)
ENDPOINTS = {
    "overall": ("overall_downloads", None),
    "python_minor": ("python_minor_downloads", "python_minor"),
    "system": ("system_downloads", "system"),
}
MIRROR_SERIES = {"with_mirrors": True, "without_mirrors": False}


def normalise(name: str) -> str:
    """PyPI name normalisation as pypistats applies it ('.' and '_' become '-')."""
    return re.sub(r"[-_.]+", "-", name).lower()


def packages() -> list[str]:
    return channel_packages("pypi", roles=("core",), families=FAMILIES)


def _rows(raw: RawResponse, package: str, endpoint: str) -> list[dict]:
    body = raw.json()
    expected, _ = ENDPOINTS[endpoint]
    if (
        not isinstance(body, dict)
        or body.get("type") != expected
        or not isinstance(body.get("data"), list)
    ):
        msg = f"expected a JSON object of type {expected!r} with a 'data' list"
        raise ParseError(raw.url, msg)
    if normalise(str(body.get("package", ""))) != normalise(package):
        raise ParseError(raw.url, f"answer is for package {body.get('package')!r}, not {package!r}")
    rows = []
    for i, item in enumerate(body["data"]):
        try:
            day = date.fromisoformat(str(item["date"]))
            downloads = int(item["downloads"])
            category = str(item["category"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ParseError(raw.url, f"data[{i}] lacks category/date/downloads: {item!r}") from exc
        if downloads < 0:
            raise ParseError(raw.url, f"data[{i}] has negative downloads {downloads}")
        rows.append({"category": category, "download_date": day, "downloads": downloads})
    return rows


def parse_overall(raw: RawResponse, package: str) -> pd.DataFrame:
    """Rows of ``package_downloads_daily`` from an ``overall`` response (both series)."""
    rows = _rows(raw, package, "overall")
    unknown = {r["category"] for r in rows} - set(MIRROR_SERIES)
    if unknown:
        raise ParseError(raw.url, f"unexpected overall categories {sorted(unknown)}")
    frame = pd.DataFrame(rows, columns=["category", "download_date", "downloads"])
    frame = frame.rename(columns={"category": "series"}).assign(
        source=SOURCE,
        channel="pypi",
        package=package,
        mirrors_included=frame["category"].map(MIRROR_SERIES),
    )
    return _live.provenance(frame, raw)


def parse_breakdown(raw: RawResponse, package: str, endpoint: str) -> pd.DataFrame:
    """Rows of ``pypi_download_breakdowns_daily`` from ``python_minor`` or ``system``."""
    rows = _rows(raw, package, endpoint)
    frame = pd.DataFrame(rows, columns=["category", "download_date", "downloads"])
    frame = frame.assign(package=package, dimension=ENDPOINTS[endpoint][1], source=SOURCE)
    return _live.provenance(frame, raw)


def _high_water(ctx: RunContext, package: str, endpoint: str) -> date | None:
    dimension = ENDPOINTS[endpoint][1]
    if dimension is None:
        return _live.daily_high_water(ctx.con, SOURCE, package)
    row = ctx.con.execute(
        "SELECT max(download_date) FROM cur_pypi_download_breakdowns_daily "
        "WHERE package = ? AND dimension = ?",
        [package, dimension],
    ).fetchone()
    return row[0] if row else None


def units(ctx: RunContext) -> list[_live.Unit]:
    """Per package, the endpoints whose data is not current and not fetched today."""
    found = []
    for package in packages():
        requests = []
        for endpoint in ENDPOINTS:
            url = API.format(package=package, endpoint=endpoint)
            if _live.is_current(_high_water(ctx, package, endpoint), ctx) or _live.fetched_today(
                ctx, SOURCE, url
            ):
                continue
            requests.append(PlannedRequest(SOURCE, "GET", url, f"{endpoint} daily, {package}"))
        if requests:
            found.append(_live.Unit(package, tuple(requests)))
    return found


def plan(ctx: RunContext) -> list[PlannedRequest]:
    return _live.plan_of(units(ctx))


def collect_package(ctx: RunContext, unit: _live.Unit) -> int:
    """Fetch the unit's endpoints and store them in one load."""
    frames: list[tuple[str, pd.DataFrame]] = []
    for request in unit.requests:
        endpoint = request.url.rsplit("/", 1)[1]
        raw = ctx.http.get(SOURCE, request.url)
        if endpoint == "overall":
            frames.append(("package_downloads_daily", parse_overall(raw, unit.key)))
        else:
            frames.append(
                ("pypi_download_breakdowns_daily", parse_breakdown(raw, unit.key, endpoint))
            )
    params = {"package": unit.key, "endpoints": [r.url for r in unit.requests]}
    written = store(ctx.con, SOURCE_INFO, frames, params)
    return written + flag_overlaps(ctx, SOURCE, unit.key)


def run(ctx: RunContext) -> int:
    return _live.run_units(SOURCE, units(ctx), lambda unit: collect_package(ctx, unit))


COLLECTORS = [
    Collector(
        "pypistats",
        "pypistats.org: daily PyPI downloads (180 days), with and "
        "without mirrors, Python-version and OS breakdowns",
        plan,
        run,
    )
]
