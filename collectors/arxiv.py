"""arXiv papers per submission year that name each framework (arXiv API, Atom XML).

``census collect arxiv`` asks, for each framework and year, how many papers match the
framework's search synonyms in any metadata field (title, abstract, comments: the API does not
search full text), reading ``opensearch:totalResults`` from a ``max_results=0`` query sliced by
``submittedDate``. The arXiv terms of use allow one request every 3 seconds; HttpClient paces
``export.arxiv.org`` at that interval. Completed years already counted are not asked again.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pandas as pd
from bs4 import BeautifulSoup

from census_base.errors import FetchError, ParseError
from census_base.progress import track
from collectors.raw import RawResponse
from collectors.registry import Collector, PlannedRequest, RunContext
from collectors.synonyms import Synonyms, load_synonyms
from warehouse.load import SourceInfo, store

log = logging.getLogger(__name__)

SOURCE = "arxiv"
API_URL = "https://export.arxiv.org/api/query"
EMPTY_RETRIES = 2  # the API intermittently answers 200 with an empty body (arxiv.py#43, #119)
# A query the API rejects is answered HTTP 400 with an Atom feed holding one entry titled
# "Error" (user manual, "Errors"); the older service sent the same feed with HTTP 200.
ACCEPTED = (200, 400)
SOURCE_INFO = SourceInfo(
    name=SOURCE,
    description="arXiv papers whose metadata (title, abstract, comments) names a framework "
    "synonym, counted per submission year (opensearch:totalResults).",
    licence="arXiv metadata: CC0 1.0.",
    citation="arXiv API (export.arxiv.org/api/query). Thank you to arXiv for use of its open "
    "access interoperability.",
    upstream_url="https://info.arxiv.org/help/api/",
)


def search_query(synonyms: Synonyms, year: int) -> str:
    terms = " OR ".join(f'all:"{t}"' if " " in t else f"all:{t}" for t in synonyms.search)
    return f"({terms}) AND submittedDate:[{year}01010000 TO {year}12312359]"


def _query_of(url: str) -> str:
    """The ``search_query`` (or ``id_list``) a request URL asked for, decoded."""
    params = parse_qs(urlsplit(url).query)
    return (params.get("search_query") or params.get("id_list") or ["(none)"])[0]


def parse_total(raw: RawResponse) -> int:
    """``opensearch:totalResults`` of an Atom feed; an arXiv error entry raises ParseError.

    The error names the query and arXiv's own message; a 400 without an error entry is a
    FetchError with the status.
    """
    if not raw.body.strip():
        raise FetchError(raw.url, "empty body (arXiv's intermittent empty page)", raw.status)
    soup = BeautifulSoup(raw.body, "xml")
    if soup.find("feed") is None:
        if raw.status != 200:
            msg = f"HTTP {raw.status} for query {_query_of(raw.url)!r}: {raw.text[:200]!r}"
            raise FetchError(raw.url, msg, raw.status)
        raise ParseError(raw.url, "not an Atom feed", selector="feed")
    for entry in soup.find_all("entry"):
        title = entry.find("title")
        if title is not None and title.get_text(strip=True) == "Error":
            summary = entry.find("summary")
            reason = " ".join(summary.get_text().split()) if summary else "error entry"
            msg = f"arXiv rejected query {_query_of(raw.url)!r} (HTTP {raw.status}): {reason}"
            raise ParseError(raw.url, msg, selector="entry[title=Error]")
    if raw.status != 200:
        msg = f"HTTP {raw.status} without an arXiv error entry for {_query_of(raw.url)!r}"
        raise FetchError(raw.url, msg, raw.status)
    total = soup.find("totalResults")
    if total is None:
        raise ParseError(raw.url, "no totalResults element", selector="opensearch:totalResults")
    text = total.get_text(strip=True)
    if not text.isdigit():
        raise ParseError(
            raw.url, f"totalResults is not a count: {text!r}", selector="opensearch:totalResults"
        )
    return int(text)


def fetch_total(ctx: RunContext, synonyms: Synonyms, year: int) -> tuple[RawResponse, int]:
    params = {"search_query": search_query(synonyms, year), "start": 0, "max_results": 0}
    attempt = 0
    while True:
        raw = ctx.http.get(SOURCE, API_URL, params=params, accept=ACCEPTED)
        try:
            return raw, parse_total(raw)
        except FetchError:
            attempt += 1
            if attempt > EMPTY_RETRIES or raw.status != 200:
                raise
            log.info("arxiv: empty page for %s %d, asking again", synonyms.framework, year)


def _pending(ctx: RunContext) -> list[tuple[Synonyms, int]]:
    """Framework-years to ask: every year not yet counted after it ended, plus this year."""
    config = load_synonyms()
    this_year = datetime.now(UTC).year
    done = set(
        ctx.con.execute(
            "SELECT query_term, year FROM paper_counts_yearly WHERE source = ? "
            "AND NOT is_partial_year",
            [SOURCE],
        ).fetchall()
    )
    return [
        (syn, year)
        for syn in config.frameworks.values()
        for year in range(config.first_year, this_year + 1)
        if (syn.framework, year) not in done
    ]


def plan(ctx: RunContext) -> list[PlannedRequest]:
    return [
        PlannedRequest(
            SOURCE,
            "GET",
            f"{API_URL}?search_query={search_query(syn, year)}&start=0&max_results=0",
            f"{syn.label} papers submitted in {year}",
        )
        for syn, year in _pending(ctx)
    ]


def collect(ctx: RunContext) -> int:
    """Ask each pending framework-year (3 s apart) and store the counts in one load."""
    rows = []
    for synonyms, year in track(_pending(ctx), "arxiv framework-years"):
        raw, total = fetch_total(ctx, synonyms, year)
        rows.append(
            {
                "source": SOURCE,
                "query_term": synonyms.framework,
                "year": year,
                "observed_date": raw.fetched_at.date(),
                "framework": synonyms.framework,
                "works": total,
                "query": search_query(synonyms, year),
                "source_url": raw.url,
                "fetched_at": raw.fetched_at,
                "raw_sha256": raw.sha256,
            }
        )
    if not rows:
        log.info("arxiv: every completed year is already counted")
        return 0
    tables = {"bibliographic_counts_yearly": pd.DataFrame(rows)}
    written = store(ctx.con, SOURCE_INFO, tables, {"requests": len(rows)})
    log.info("arxiv: %d framework-years, %d new or changed", len(rows), written)
    return written


COLLECTORS = [
    Collector(
        "arxiv",
        "arXiv papers per submission year naming each framework (metadata search, 1 request / 3 s)",
        plan,
        collect,
    )
]
