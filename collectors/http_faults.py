"""What the HTTP layer needs to fail safely: redaction of secrets, and telling a machine without
network (nothing to retry) from a transient failure (retried with backoff)."""

from __future__ import annotations

from collections.abc import Iterable

from census_base.errors import FetchError

__all__ = ["NoNetworkError", "offline_reason", "redact", "redact_bytes"]


def redact(text: str, secrets: Iterable[str]) -> str:
    """Replace every secret value in ``text`` with ``***``."""
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


def redact_bytes(body: bytes, secrets: Iterable[str]) -> bytes:
    """The body with every secret value replaced by ``***`` (an error page may echo a key)."""
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        body = body.replace(secret.encode(), b"***")
    return body


# Failures that no retry can fix: the machine has no route to the host.
UNRESOLVABLE = (
    "Failed to resolve",
    "Name or service not known",
    "Temporary failure in name resolution",
    "nodename nor servname",
    "No address associated with hostname",
)
UNREACHABLE = ("Connection refused", "Network is unreachable", "No route to host")


class NoNetworkError(FetchError):
    """The host cannot be resolved or refuses connections: not retried, said in one line."""

    def __str__(self) -> str:
        return self.reason


def offline_reason(error: BaseException, host: str) -> str | None:
    """The one-line reason when ``error`` means there is no network to ``host``; else None."""
    text = str(error)
    if any(marker in text for marker in UNRESOLVABLE):
        return f"no network: cannot resolve {host}; the warehouse is unchanged"
    if any(marker in text for marker in UNREACHABLE):
        return f"no network: {host} refused the connection; the warehouse is unchanged"
    return None
