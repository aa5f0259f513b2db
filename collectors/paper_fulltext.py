"""Framework mentions in the full text of a conference's papers, from its proceedings index.

``census ingest paper-fulltext URL_OR_FILE#VENUE-YEAR`` (e.g.
``https://proceedings.mlr.press/v202/#ICML-2023``) and ``census collect paper-fulltext`` (every
venue in ``collectors/fulltext_venues.toml``) follow Horace He's method, extended: the index is
parsed (``collectors.proceedings_index``: PMLR and CVF pages with BeautifulSoup, or the
OpenReview notes API, e.g. ``https://api2.openreview.net/notes?content.venueid=ICLR.cc/2024/
Conference#ICLR-2024``, paged by ``offset``), each PDF is
downloaded politely (one request per second per host, through HttpClient), its text extracted
with pypdf, and the synonym lists of ``collectors/framework_synonyms.toml`` are counted. PDFs stay
in the raw archive and extracted text in ``data/cache/paper_text``, so a rerun downloads nothing.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pandas as pd
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from census_base.errors import FetchError, ParseError
from census_base.progress import track
from collectors.proceedings_index import Paper, fetch_index, parse_index  # noqa: F401
from collectors.raw import RawResponse, find_archived, read_local, request_key
from collectors.registry import Collector, Ingester, PlannedRequest, RunContext
from collectors.synonyms import count_mentions, load_synonyms
from warehouse.load import SourceInfo, store

log = logging.getLogger(__name__)

SOURCE = "paper_fulltext"
VENUES_FILE = Path(__file__).with_name("fulltext_venues.toml")
POLITE_INTERVAL = 1.0  # seconds between PDF downloads from one proceedings host
SOURCE_INFO = SourceInfo(
    name=SOURCE,
    description="Papers of a conference whose PDF text mentions each framework's synonyms "
    "(collectors/framework_synonyms.toml), counted by this package from the proceedings.",
    licence="Counts derived by framework-census; the papers remain under their authors' terms.",
    citation="framework-census full-text count of the conference proceedings (method after "
    "Horace He, The Gradient, 2019).",
    upstream_url="https://github.com/Chillee/pytorch-vs-tensorflow",
)


@dataclass(frozen=True)
class VenueJob:
    venue: str
    year: int
    index_url: str


def load_venues(path: Path = VENUES_FILE) -> list[VenueJob]:
    data = tomllib.loads(path.read_text()) if path.exists() else {}
    return [VenueJob(v["venue"], int(v["year"]), v["index_url"]) for v in data.get("venues", [])]


def parse_target(path_or_url: str) -> VenueJob:
    """``INDEX#VENUE-YEAR`` (or an index listed in fulltext_venues.toml) as a job."""
    index, _, fragment = path_or_url.partition("#")
    found = re.fullmatch(r"([A-Za-z]+)[-_ ](\d{4})", fragment)
    if found:
        return VenueJob(found.group(1), int(found.group(2)), index)
    for job in load_venues():
        if job.index_url.rstrip("/") == index.rstrip("/"):
            return job
    msg = "name the conference: append #VENUE-YEAR (e.g. #ICML-2023) to the index"
    raise ParseError(path_or_url, msg)


def extract_text(body: bytes, where: str) -> str:
    """Text of every page; an unreadable PDF raises ParseError naming it."""
    try:
        reader = PdfReader(io.BytesIO(body))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise ParseError(where, f"unreadable PDF: {exc}") from exc


class TextCache:
    """Extracted text per PDF URL under ``<cache>/paper_text/``; PDFs in the raw archive."""

    def __init__(self, ctx: RunContext) -> None:
        self.ctx = ctx
        self.folder = ctx.raw_root.parent / "cache" / "paper_text"

    def _path(self, url: str) -> Path:
        return self.folder / f"{hashlib.sha256(url.encode()).hexdigest()[:24]}.txt"

    def text(self, url: str) -> str:
        cached = self._path(url)
        if cached.exists():
            return cached.read_text()
        text = extract_text(self._pdf(url).body, url)
        self.folder.mkdir(parents=True, exist_ok=True)
        cached.write_text(text)
        return text

    def _pdf(self, url: str) -> RawResponse:
        if url.startswith("file:"):
            return read_local(SOURCE, Path(unquote(urlsplit(url).path)))
        archived = find_archived(self.ctx.raw_root, SOURCE, request_key("GET", url))
        if archived is not None:
            return archived
        host = urlsplit(url).hostname or ""
        self.ctx.http.min_interval.setdefault(host, POLITE_INTERVAL)
        return self.ctx.http.get(SOURCE, url)


def count_papers(papers: list[Paper], cache: TextCache) -> dict[str, int]:
    """Papers mentioning each framework, both, neither, and unreadable / unavailable ones."""
    frameworks = list(load_synonyms().frameworks)
    counts = dict.fromkeys([*frameworks, "both", "neither", "unreadable"], 0)
    for paper in track(papers, "paper PDFs"):
        try:
            mentions = count_mentions(cache.text(paper.pdf_url))
        except (FetchError, ParseError) as exc:
            log.warning("paper-fulltext: %s skipped: %s", paper.pdf_url, exc)
            counts["unreadable"] += 1
            continue
        for framework in frameworks:
            counts[framework] += mentions[framework] > 0
        torch, tensorflow = mentions.get("torch", 0) > 0, mentions.get("tensorflow", 0) > 0
        counts["both"] += torch and tensorflow
        counts["neither"] += not (torch or tensorflow)
    return counts


def _fetch_index(ctx: RunContext, job: VenueJob) -> list[RawResponse]:
    if not job.index_url.startswith(("http://", "https://")):
        return [read_local(SOURCE, Path(job.index_url).resolve())]
    return fetch_index(lambda url: ctx.http.get(SOURCE, url), job.index_url)


def run_job(ctx: RunContext, job: VenueJob) -> int:
    """Index -> PDFs -> counts for one conference-year, stored in one load."""
    pages = _fetch_index(ctx, job)
    index = pages[0]
    papers = list({p.pdf_url: p for page in pages for p in parse_index(page)}.values())
    counts = count_papers(papers, TextCache(ctx))
    if counts["unreadable"] == len(papers):
        msg = f"none of the {len(papers)} PDFs could be read; nothing stored"
        raise FetchError(index.url, msg)
    version: date = index.fetched_at.date()
    rows = pd.DataFrame({"framework": list(counts), "papers": list(counts.values())}).assign(
        venue=job.venue,
        year=job.year,
        method="fulltext_synonyms",
        version_date=version,
        total_papers=len(papers),
        conference_month=None,
        version_ref=index.url,
        source=SOURCE,
        source_url=index.url,
        fetched_at=index.fetched_at,
        raw_sha256=hashlib.sha256("+".join(p.sha256 for p in pages).encode()).hexdigest()
        if len(pages) > 1
        else index.sha256,
    )
    params = {"venue": job.venue, "year": job.year, "index": index.url, "papers": len(papers)}
    written = store(ctx.con, SOURCE_INFO, {"paper_mention_counts": rows}, params)
    log.info("paper-fulltext %s %d: %d papers, %s", job.venue, job.year, len(papers), counts)
    return written


def ingest(ctx: RunContext, path_or_url: str) -> int:
    return run_job(ctx, parse_target(path_or_url))


def plan(ctx: RunContext) -> list[PlannedRequest]:
    return [
        PlannedRequest(
            SOURCE,
            "GET",
            job.index_url,
            f"{job.venue} {job.year} index (then one request per uncached PDF)",
        )
        for job in load_venues()
    ]


def collect(ctx: RunContext) -> int:
    return sum(run_job(ctx, job) for job in load_venues())


INGESTERS = [
    Ingester(
        "paper-fulltext",
        "framework mentions in a conference's PDFs: a "
        "proceedings index URL or file, with #VENUE-YEAR",
        ingest,
    )
]
COLLECTORS = [
    Collector(
        "paper-fulltext",
        "full-text framework mentions for the venues in "
        "collectors/fulltext_venues.toml (downloads every PDF once)",
        plan,
        collect,
    )
]
