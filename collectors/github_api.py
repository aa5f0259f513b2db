"""Shared GitHub REST plumbing: the token, conditional GETs with ETags, and Link headers.

The token comes from ``$GITHUB_TOKEN`` and travels only in ``secret_headers`` (redacted from the
archive, URLs and logs; never stored). Without it GitHub allows 60 requests an hour, with it
5,000. ETags are kept where the body is kept: in the raw archive. The newest archived 200 for a
request gives ``If-None-Match``; a ``304 Not Modified`` is answered with that archived body, so
parsing (and the rows stored) is the same as for the last 200. GitHub: "Making a conditional
request does not count against your primary rate limit if a 304 response is returned and the
request was made while correctly authorized with an Authorization header" (docs.github.com, REST
best practices) - so without a token a 304 still costs one request of the 60.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from census_base.errors import FetchError
from collectors.http import RETRY_STATUSES
from collectors.raw import RawResponse, load_raw, request_key
from collectors.registry import RunContext

API = "https://api.github.com"
HEADERS = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
LINK = re.compile(r'<([^>]+)>\s*;\s*rel="([^"]+)"')


@dataclass
class RequestTally:
    """What a refresh cost: requests sent (retries included) and 304s (free with a token)."""

    sent: int = 0
    not_modified: int = 0
    urls: list[str] = field(default_factory=list)

    @property
    def charged(self) -> int:
        """Requests that count against the primary rate limit (with a token)."""
        return self.sent - self.not_modified


def auth_headers() -> dict[str, str]:
    token = os.environ.get("GITHUB_TOKEN", "")
    return {"Authorization": f"Bearer {token}"} if token else {}


def links(raw: RawResponse) -> dict[str, str]:
    """``Link`` header -> {rel: url}."""
    return {rel: url for url, rel in LINK.findall(raw.headers.get("link", ""))}


def last_ok(raw_root: Path | None, source: str, url: str) -> RawResponse | None:
    """The newest archived 200 for a GET of ``url`` (its ETag and body), or None."""
    if raw_root is None:
        return None
    key = request_key("GET", url)
    for meta in sorted((raw_root / source).glob(f"*/*-{key[:16]}.meta.json"), reverse=True):
        raw = load_raw(meta)
        if raw.status == 200:
            return raw
    return None


def tally_of(ctx: RunContext) -> RequestTally:
    tally = ctx.options.setdefault("github_tally", RequestTally())
    if not isinstance(tally, RequestTally):
        msg = "ctx.options['github_tally'] must be a RequestTally"
        raise TypeError(msg)
    return tally


def get_conditional(
    ctx: RunContext,
    source: str,
    url: str,
    *,
    accept: tuple[int, ...] = (200,),
    retry_on: frozenset[int] = RETRY_STATUSES,
    headers: dict[str, str] | None = None,
) -> RawResponse:
    """GET ``url`` (query included) with If-None-Match from the archive; 304 -> archived body."""
    previous = last_ok(ctx.raw_root, source, url)
    send = dict(HEADERS) | dict(headers or {})
    if previous is not None and previous.headers.get("etag"):
        send["If-None-Match"] = previous.headers["etag"]
    tally = tally_of(ctx)
    before = ctx.http.requests_sent
    try:
        raw = ctx.http.get(
            source,
            url,
            headers=send,
            secret_headers=auth_headers(),
            accept=(*accept, 304),
            retry_on=retry_on,
        )
    finally:
        tally.sent += ctx.http.requests_sent - before  # retries (202, 429, 5xx) included
        tally.urls.append(url)
    if raw.status != 304:
        return raw
    tally.not_modified += 1
    if previous is None:
        msg = "304 Not Modified, but no archived 200 response to reuse (raw archive missing?)"
        raise FetchError(url, msg, 304)
    return previous
