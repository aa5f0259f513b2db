"""How the CLI reports failures and configures logging.

Every failure a user can cause (bad input, a locked or wrong ``--db``, disk full, a read-only
filesystem) ends as one line saying what failed, where, and what to do; ``-v`` adds the
traceback. Secret values (tokens, API keys from the environment) are redacted from every log
line, tracebacks included.
"""

from __future__ import annotations

import errno
import logging
import os
from collections.abc import Iterable

import duckdb

from census_base.errors import CensusError

# Environment variables whose values are secrets: redacted from archives, logs and provenance.
SECRET_ENV = (
    "GITHUB_TOKEN",
    "OPENALEX_API_KEY",
    "STACKEXCHANGE_KEY",
    "HF_TOKEN",
    "SEMANTIC_SCHOLAR_API_KEY",
    "GOOGLE_APPLICATION_CREDENTIALS",
)
# Libraries whose debug output prints full request URLs (keys included): quiet unless asked for
# separately with CENSUS_DEBUG_HTTP=1.
NOISY_LIBRARIES = ("urllib3", "requests", "charset_normalizer", "filelock", "matplotlib", "PIL")
DEBUG_HTTP_ENV = "CENSUS_DEBUG_HTTP"


def secret_values() -> list[str]:
    return [os.environ[name] for name in SECRET_ENV if os.environ.get(name)]


def redact(text: str, secrets: Iterable[str]) -> str:
    """Replace every secret value in ``text`` with ``***``."""
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


class RedactingFormatter(logging.Formatter):
    """A formatter that removes secret values from the whole formatted record."""

    def __init__(self, fmt: str, secrets: Iterable[str]) -> None:
        super().__init__(fmt)
        self.secrets = [s for s in secrets if s]

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self.secrets)


def configure_logging(verbose: int) -> None:
    """WARNING by default, INFO with -v, DEBUG with -vv; third-party debug only on request."""
    level = logging.WARNING - 10 * min(verbose + 1, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", force=True)
    formatter = RedactingFormatter("%(levelname)s %(name)s: %(message)s", secret_values())
    for handler in logging.getLogger().handlers:
        handler.setFormatter(formatter)
    if os.environ.get(DEBUG_HTTP_ENV) != "1":
        for name in NOISY_LIBRARIES:
            logging.getLogger(name).setLevel(logging.WARNING)


def describe_failure(exc: BaseException) -> str | None:
    """One line for a failure the user can act on; None for a bug (shown with its traceback)."""
    from warehouse.access import is_lock_error

    if isinstance(exc, CensusError):
        return str(exc)
    if isinstance(exc, duckdb.Error):
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if is_lock_error(exc):
            return f"busy: another process holds the warehouse ({first}); wait and retry"
        if "No space left" in first:
            return f"disk full: {first}; free space and rerun (the load was rolled back)"
        if "Read-only file system" in first or "Permission denied" in first:
            return f"cannot write: {first}; use a writable --db location"
        return f"warehouse error: {first}"
    if isinstance(exc, OSError):
        return _describe_os_error(exc)
    return None


def _describe_os_error(exc: OSError) -> str:
    where = exc.filename or ""
    reason = exc.strerror or str(exc)
    if exc.errno == errno.ENOSPC:
        return f"disk full writing {where}: free space and rerun"
    if exc.errno == errno.EROFS:
        return f"read-only filesystem: cannot write {where}; choose a writable location"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"permission denied: {where}; check the path's permissions"
    if exc.errno == errno.ENOENT:
        return f"not found: {where}; check the path"
    return f"{reason}: {where}" if where else reason
