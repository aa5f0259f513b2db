"""The one HTTP layer every collector uses.

A session with a User-Agent naming the project, a timeout on every call, retries with backoff on
429/5xx (honouring ``Retry-After``), a minimum interval per host taken from each source's
documented limits, every response archived with its sha256, and a replay mode that answers from
that archive instead of the network. Secrets (tokens, API keys) are redacted from everything that
is stored or logged.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode, urlsplit

from census_base.errors import FetchError, RateLimitError
from collectors.http_faults import NoNetworkError, offline_reason, redact, redact_bytes
from collectors.raw import KEPT_HEADERS, RawResponse, find_archived, request_key, save_raw

if TYPE_CHECKING:
    import requests  # imported by the first request: reading local files needs none

log = logging.getLogger(__name__)

USER_AGENT = "framework-census/0.1 (+https://github.com/framework-census; adoption research)"
DEFAULT_TIMEOUT = 30.0
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})

# Minimum seconds between two requests to one host, from ../shared/docs/sources.md.
HOST_MIN_INTERVAL: dict[str, float] = {
    "pypistats.org": 2.0,  # 30 requests/minute per IP (Flask-Limiter default_limits)
    "api.npmjs.org": 0.6,  # ~100 requests/minute (npm maintainer, download-counts#28)
    "export.arxiv.org": 3.0,  # "no more than one request every three seconds" (API ToU)
    "api.github.com": 0.25,  # secondary limits punish bursts; 5,000/h with a token
    "github.com": 2.0,  # HTML dependents pages: page rate limits, be polite
    "huggingface.co": 0.6,  # 500 API requests per 5 minutes anonymous
    "api.stackexchange.com": 0.2,  # 30 requests/second per IP, plus the `backoff` field
    "api.openalex.org": 0.1,  # 100 requests/second
    "api.semanticscholar.org": 1.0,  # 1 request/second with a key
    "sql-clickhouse.clickhouse.com": 0.5,  # public read-only user; limits unpublished
    "clickpy-clickhouse.clickhouse.com": 0.5,
}


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    now = now or datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())


class HttpClient:
    """Shared session: pacing, retries, archive and replay.

    Args:
        raw_root: folder of the raw archive (``data/raw``); None keeps nothing.
        replay: answer from the archive only; a request never archived raises FetchError.
        secrets: values to redact (tokens, keys); the client also redacts ``secret_params``.
        max_wait: the longest single wait (Retry-After, rate-limit reset) we accept before
            giving up with RateLimitError.
    """

    def __init__(
        self,
        raw_root: Path | None = None,
        *,
        replay: bool = False,
        session: requests.Session | None = None,
        secrets: Iterable[str] = (),
        max_retries: int = 4,
        backoff: float = 1.0,
        timeout: float = DEFAULT_TIMEOUT,
        max_wait: float = 300.0,
        min_interval: Mapping[str, float] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.raw_root = raw_root
        self.replay = replay
        self._session = session
        if session is not None:
            session.headers["User-Agent"] = USER_AGENT
        self.secrets = {s for s in secrets if s}
        self.max_retries = max_retries
        self.backoff = backoff
        self.timeout = timeout
        self.max_wait = max_wait
        self.min_interval = dict(HOST_MIN_INTERVAL if min_interval is None else min_interval)
        self.sleep = sleep
        self.clock = clock
        self._last_call: dict[str, float] = {}
        self._offline: dict[str, str] = {}  # host -> reason; later requests fail at once
        self.requests_sent = 0

    @property
    def session(self) -> requests.Session:
        """The requests session (made on first use), with the project's User-Agent."""
        if self._session is None:
            import requests

            self._session = requests.Session()
            self._session.headers["User-Agent"] = USER_AGENT
        return self._session

    def get(self, source: str, url: str, **kwargs: object) -> RawResponse:
        return self.request(source, "GET", url, **kwargs)  # type: ignore[arg-type]

    def post(self, source: str, url: str, **kwargs: object) -> RawResponse:
        return self.request(source, "POST", url, **kwargs)  # type: ignore[arg-type]

    def request(
        self,
        source: str,
        method: str,
        url: str,
        *,
        params: Mapping[str, str | int] | None = None,
        secret_params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        secret_headers: Mapping[str, str] | None = None,
        data: bytes | str | None = None,
        accept: Iterable[int] = (200,),
        retry_on: Iterable[int] = RETRY_STATUSES,
    ) -> RawResponse:
        """Send one request (with retries) and return the accepted response, archived.

        ``accept`` lists statuses handed back to the caller (e.g. 404 whose body the parser
        reads, 304 for a conditional request); ``retry_on`` lists statuses retried with backoff.
        """
        secrets = self.secrets | set((secret_params or {}).values())
        secrets |= set((secret_headers or {}).values())
        full_url = _with_params(url, params)
        shown_url = redact(full_url, secrets)
        body = data.encode() if isinstance(data, str) else data
        key = request_key(method, shown_url, body)
        if self.replay:
            return self._replay(source, shown_url, key)
        host = urlsplit(url).hostname or ""
        if host in self._offline:
            raise NoNetworkError(shown_url, self._offline[host])
        send_params = dict(params or {}) | dict(secret_params or {})
        send_headers = dict(headers or {}) | dict(secret_headers or {})
        raw = self._send_with_retries(
            source,
            method,
            url,
            shown_url,
            key,
            send_params,
            send_headers,
            body,
            frozenset(accept),
            frozenset(retry_on),
            secrets,
        )
        if self.raw_root is not None:
            save_raw(self.raw_root, raw)
        return raw

    def _replay(self, source: str, shown_url: str, key: str) -> RawResponse:
        if self.raw_root is None:
            msg = "replay mode needs a raw archive folder"
            raise FetchError(shown_url, msg)
        archived = find_archived(self.raw_root, source, key)
        if archived is None:
            msg = f"not in the raw archive {self.raw_root / source} (replay mode)"
            raise FetchError(shown_url, msg)
        return archived

    def _send_with_retries(  # noqa: PLR0913
        self,
        source: str,
        method: str,
        url: str,
        shown_url: str,
        key: str,
        params: dict[str, str | int],
        headers: dict[str, str],
        body: bytes | None,
        accept: frozenset[int],
        retry_on: frozenset[int],
        secrets: set[str],
    ) -> RawResponse:
        import requests

        last_reason = "no attempt made"
        last_status: int | None = None
        for attempt in range(self.max_retries + 1):
            if attempt:
                log.info(
                    "retry %d/%d for %s: %s",
                    attempt,
                    self.max_retries,
                    shown_url,
                    redact(last_reason, secrets),
                )
            self._pace(url)
            try:
                self.requests_sent += 1
                response = self.session.request(
                    method,
                    url,
                    params=params or None,
                    headers=headers or None,
                    data=body,
                    timeout=self.timeout,
                )
                payload = response.content
            except (
                requests.exceptions.ChunkedEncodingError,
                requests.exceptions.ContentDecodingError,
            ) as exc:
                # The connection closed before Content-Length bytes arrived.
                last_reason = redact(f"truncated body ({type(exc).__name__}: {exc})", secrets)
                last_status = None
                self._sleep_unless_last(attempt, self._backoff_delay(attempt))
                continue
            except (requests.Timeout, requests.ConnectionError) as exc:
                host = urlsplit(url).hostname or ""
                offline = offline_reason(exc, host)
                if offline is not None and not isinstance(exc, requests.Timeout):
                    self._offline[host] = offline
                    raise NoNetworkError(shown_url, offline) from None
                last_reason = redact(f"{type(exc).__name__}: {exc}", secrets)
                last_status = None
                self._sleep_unless_last(attempt, self._backoff_delay(attempt))
                continue
            status = response.status_code
            kept = {
                k: redact(v, secrets)
                for k, v in response.headers.items()
                if k.lower() in KEPT_HEADERS
            }
            expected = response.headers.get("Content-Length")
            if (
                expected
                and expected.isdigit()
                and len(payload) < int(expected)
                and method != "HEAD"
            ):
                last_reason = f"truncated body ({len(payload)} of {expected} bytes)"
                last_status = status
                self._sleep_unless_last(attempt, self._backoff_delay(attempt))
                continue
            if status in accept:
                return RawResponse(
                    source,
                    shown_url,
                    status,
                    redact_bytes(payload, secrets),
                    datetime.now(UTC),
                    method,
                    {k.lower(): v for k, v in kept.items()},
                    key,
                )
            last_status = status
            last_reason = (
                redact(payload[:300].decode("utf-8", "replace").strip(), secrets)
                or response.reason
                or "error"
            )
            if status not in retry_on and not _rate_limited(response):
                break
            wait = self._wait_for(response, attempt)
            if wait > self.max_wait:
                msg = (
                    f"rate limited; the source asks to wait {wait:.0f} s (> {self.max_wait:.0f} s)"
                )
                raise RateLimitError(shown_url, msg, status)
            self._sleep_unless_last(attempt, wait)
        raise FetchError(
            shown_url, f"gave up after {attempt + 1} attempt(s): {last_reason}", last_status
        )

    def _sleep_unless_last(self, attempt: int, seconds: float) -> None:
        if attempt < self.max_retries:
            self.sleep(seconds)

    def _wait_for(self, response: requests.Response, attempt: int) -> float:
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        if retry_after is not None:
            return retry_after
        if _rate_limited(response):
            reset = response.headers.get("X-RateLimit-Reset", "")
            if reset.isdigit():
                return max(0.0, int(reset) - time.time())
        return self._backoff_delay(attempt)

    def _backoff_delay(self, attempt: int) -> float:
        return self.backoff * (2**attempt)

    def _pace(self, url: str) -> None:
        host = urlsplit(url).hostname or ""
        interval = self.min_interval.get(host, 0.0)
        last = self._last_call.get(host)
        now = self.clock()
        if last is not None and now - last < interval:
            self.sleep(interval - (now - last))
        self._last_call[host] = self.clock()


def _rate_limited(response: requests.Response) -> bool:
    """GitHub-style exhaustion: 403/429 with X-RateLimit-Remaining: 0."""
    return (
        response.status_code in (403, 429) and response.headers.get("X-RateLimit-Remaining") == "0"
    )


def _with_params(url: str, params: Mapping[str, str | int] | None) -> str:
    if not params:
        return url
    query = urlencode(sorted((k, str(v)) for k, v in params.items()))
    return f"{url}{'&' if '?' in url else '?'}{query}"
