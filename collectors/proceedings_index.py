"""Paper lists from proceedings index pages: PMLR and CVF HTML, OpenReview API JSON.

``parse_index`` turns one index response into papers (title, absolute PDF URL).
``fetch_index`` reads an index file or URL, following OpenReview's ``offset`` paging.
Selectors are constants; a page where none matches is a ParseError naming them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup

from census_base.errors import ParseError
from collectors.raw import RawResponse

PMLR_ENTRY, PMLR_TITLE = "div.paper", "p.title"
CVF_ENTRY = "dt.ptitle"
PDF_LINK = 'a[href$=".pdf"], a[href$=".PDF"]'
OPENREVIEW_SITE = "https://openreview.net"
MAX_PAGES = 50  # OpenReview pages of up to 1,000 notes: a conference fits in a few


@dataclass(frozen=True)
class Paper:
    title: str
    pdf_url: str


def _html_papers(raw: RawResponse) -> list[Paper]:
    soup = BeautifulSoup(raw.body, "lxml")
    papers = []
    for entry in soup.select(PMLR_ENTRY):
        title, link = entry.select_one(PMLR_TITLE), entry.select_one(PDF_LINK)
        if title is not None and link is not None:
            papers.append(Paper(title.get_text(" ", strip=True), str(link.get("href", ""))))
    if papers:
        return papers
    for entry in soup.select(CVF_ENTRY):
        link = None
        for sibling in entry.find_next_siblings(["dt", "dd"]):
            if sibling.name == "dt":
                break
            link = link or sibling.select_one(PDF_LINK)
        if link is not None:
            papers.append(Paper(entry.get_text(" ", strip=True), str(link.get("href", ""))))
    return papers


def _value(field: object) -> str:
    """OpenReview API v2 wraps content fields as ``{"value": ...}``; v1 does not."""
    return str(field.get("value", "")) if isinstance(field, dict) else str(field or "")


def _openreview_papers(body: dict) -> list[Paper]:
    papers = []
    for note in body.get("notes", []):
        content = note.get("content", {}) if isinstance(note, dict) else {}
        title, pdf = _value(content.get("title")), _value(content.get("pdf"))
        if not pdf and note.get("id"):
            pdf = f"/pdf?id={note['id']}"
        if title and pdf:
            papers.append(Paper(title, urljoin(OPENREVIEW_SITE, pdf)))
    return papers


def _openreview_body(raw: RawResponse) -> dict | None:
    if raw.body.lstrip()[:1] != b"{":
        return None
    body = raw.json()
    if not isinstance(body, dict) or "notes" not in body:
        raise ParseError(raw.url, "JSON index without a 'notes' list (not an OpenReview answer)")
    return body


def parse_index(raw: RawResponse) -> list[Paper]:
    """Papers with absolute PDF URLs (duplicates dropped); none found raises ParseError."""
    body = _openreview_body(raw)
    papers = _openreview_papers(body) if body is not None else _html_papers(raw)
    if not papers:
        msg = "no papers with a PDF link found; the page layout changed or this is not an index"
        raise ParseError(raw.url, msg, selector=f"{PMLR_ENTRY} | {CVF_ENTRY} | notes[].content")
    unique = {urljoin(raw.url, p.pdf_url): p.title for p in papers}
    return [Paper(title, url) for url, title in unique.items()]


def next_page_url(raw: RawResponse) -> str | None:
    """The next OpenReview page (``offset`` advanced) while ``count`` says more remain."""
    body = _openreview_body(raw)
    if body is None or not body.get("notes"):
        return None
    parts = urlsplit(raw.url)
    query = dict(parse_qsl(parts.query))
    offset = int(query.get("offset", 0)) + len(body["notes"])
    if offset >= int(body.get("count", 0)):
        return None
    query["offset"] = str(offset)
    return urlunsplit(parts._replace(query=urlencode(query)))


def fetch_index(get: Callable[[str], RawResponse], url: str) -> list[RawResponse]:
    """Every page of an index: one page for HTML, all ``offset`` pages for OpenReview."""
    pages = [get(url)]
    while len(pages) < MAX_PAGES and (following := next_page_url(pages[-1])):
        pages.append(get(following))
    return pages
