"""One exception per layer, each naming the input it failed on."""

from __future__ import annotations


class CensusError(Exception):
    """Base class for errors the CLI reports without a traceback."""


class FetchError(CensusError):
    """A request failed after its retries (status, timeout, truncated or malformed body)."""

    def __init__(self, url: str, reason: str, status: int | None = None) -> None:
        self.url = url
        self.reason = reason
        self.status = status
        where = f" (HTTP {status})" if status is not None else ""
        super().__init__(f"{url}{where}: {reason}")


class RateLimitError(FetchError):
    """The source's rate limit or quota is exhausted for longer than we are willing to wait."""


class ParseError(CensusError):
    """Input did not have the expected shape; names the input and what was missing."""

    def __init__(self, where: str, reason: str, selector: str | None = None) -> None:
        self.where = where
        self.reason = reason
        self.selector = selector
        sel = f" [selector {selector!r}]" if selector else ""
        super().__init__(f"{where}{sel}: {reason}")


class DataQualityError(CensusError):
    """Rows failed a check before being stored; nothing of the load is kept."""
