"""Works per publication year that name each framework, from the OpenAlex works API.

``census collect openalex`` sends one request per framework: ``/works`` filtered by
``title_and_abstract.search`` over the framework's search synonyms (OR-ed with ``|``) and the
year range, grouped with ``group_by=publication_year``. The API key comes from
``OPENALEX_API_KEY`` and is sent only as a secret parameter (redacted from archive and logs).
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, date, datetime

import pandas as pd

from census_base.errors import CensusError, FetchError, ParseError
from collectors.raw import RawResponse
from collectors.registry import Collector, PlannedRequest, RunContext
from collectors.synonyms import SynonymConfig, Synonyms, load_synonyms
from warehouse.load import SourceInfo, store

log = logging.getLogger(__name__)

SOURCE = "openalex"
API_URL = "https://api.openalex.org/works"
KEY_ENV = "OPENALEX_API_KEY"
# OpenAlex now lists the *.search filters as deprecated in favour of `search=`, which also
# matches full text where it has it (coverage varies by year); the title-and-abstract filter keeps
# one stable definition across years (sources.md §7).
SEARCH_FILTER = "title_and_abstract.search"
SOURCE_INFO = SourceInfo(
    name=SOURCE,
    description="OpenAlex works whose title or abstract names a framework synonym, counted per "
    "publication year (group_by=publication_year).",
    licence="OpenAlex data are CC0.",
    citation="Priem, J., Piwowar, H., & Orr, R. (2022). OpenAlex: A fully-open index of "
    "scholarly works, authors, venues, institutions, and concepts. arXiv:2205.01833; "
    "api.openalex.org.",
    upstream_url="https://openalex.org",
)


def search_terms(synonyms: Synonyms) -> str:
    """Terms OR-ed for a filter value; commas would split the filter, so they are dropped."""
    return "|".join(term.replace(",", " ").strip() for term in synonyms.search)


def query_params(synonyms: Synonyms, first_year: int, last_year: int) -> dict[str, str]:
    filters = f"{SEARCH_FILTER}:{search_terms(synonyms)},publication_year:{first_year}-{last_year}"
    return {"filter": filters, "group_by": "publication_year"}


def parse_year_groups(raw: RawResponse) -> dict[int, int]:
    """``group_by`` groups as year -> works. Errors inside a 200 body raise FetchError."""
    body = raw.json()
    if not isinstance(body, dict):
        raise ParseError(raw.url, "expected a JSON object with meta and group_by")
    if "error" in body:
        reason = f"{body.get('error')}: {body.get('message', '')}".strip()
        raise FetchError(raw.url, reason, raw.status)
    groups = body.get("group_by")
    if not isinstance(groups, list):
        raise ParseError(raw.url, "no group_by list in the response")
    years: dict[int, int] = {}
    for i, group in enumerate(groups):
        try:
            year, works = int(str(group["key"])), int(group["count"])
        except (KeyError, TypeError, ValueError) as exc:
            msg = f"group {i} is not a publication year with a count: {group!r}"
            raise ParseError(raw.url, msg) from exc
        if works < 0 or not 1900 <= year <= 2100:
            raise ParseError(raw.url, f"group {i} out of range: {group!r}")
        years[year] = works
    return years


def _window(config: SynonymConfig) -> tuple[int, int]:
    return config.first_year, datetime.now(UTC).year


def plan(ctx: RunContext) -> list[PlannedRequest]:
    config = load_synonyms()
    first, last = _window(config)
    planned = []
    for synonyms in config.frameworks.values():
        params = query_params(synonyms, first, last)
        url = f"{API_URL}?filter={params['filter']}&group_by=publication_year"
        planned.append(PlannedRequest(SOURCE, "GET", url, f"{synonyms.label} works per year"))
    return planned


def fetch_counts(ctx: RunContext, synonyms: Synonyms, first: int, last: int) -> RawResponse:
    key = os.environ.get(KEY_ENV, "")
    if not key:
        msg = (
            f"{KEY_ENV} is not set: OpenAlex requires a (free) API key since 2026-02-13 "
            "(https://openalex.org/settings/api)"
        )
        raise CensusError(msg)
    return ctx.http.get(
        SOURCE, API_URL, params=query_params(synonyms, first, last), secret_params={"api_key": key}
    )


def counts_rows(raw: RawResponse, synonyms: Synonyms, observed: date) -> pd.DataFrame:
    years = parse_year_groups(raw)
    if not years:
        log.warning("openalex: no works at all for %s (%s)", synonyms.label, raw.url)
    return pd.DataFrame(
        {
            "source": SOURCE,
            "query_term": synonyms.framework,
            "year": list(years),
            "observed_date": observed,
            "framework": synonyms.framework,
            "works": list(years.values()),
            "query": f"{SEARCH_FILTER}:{search_terms(synonyms)}",
            "source_url": raw.url,
            "fetched_at": raw.fetched_at,
            "raw_sha256": raw.sha256,
        }
    )


def collect(ctx: RunContext) -> int:
    """Fetch every framework's yearly counts, then store them in one load."""
    config = load_synonyms()
    first, last = _window(config)
    frames = []
    for synonyms in config.frameworks.values():
        raw = fetch_counts(ctx, synonyms, first, last)
        frames.append(counts_rows(raw, synonyms, raw.fetched_at.date()))
    rows = pd.concat(frames, ignore_index=True)
    params = {"first_year": first, "last_year": last}
    written = store(ctx.con, SOURCE_INFO, {"bibliographic_counts_yearly": rows}, params)
    log.info("openalex: %d year counts, %d new or changed", len(rows), written)
    return written


COLLECTORS = [
    Collector(
        "openalex",
        "OpenAlex works per publication year naming each framework (needs OPENALEX_API_KEY)",
        plan,
        collect,
    )
]
