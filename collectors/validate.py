"""Input checks shared by the file-based collectors, applied before anything is stored.

Every check raises ``ParseError`` naming the input, the line or field, and the rule broken:
invalid UTF-8 (never decoded into replacement characters that would become keys), impossible
file-name dates, counts below zero, dates after the day the input was fetched, files cut short.
``parse_guard`` turns whatever else a malformed file makes the standard library raise
(``csv.Error``, ``ValueError``, ``KeyError`` ...) into a ``ParseError`` too, so a parser raises
only the project's parse error.
"""

from __future__ import annotations

import csv
import functools
import inspect
import zipfile
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from census_base.errors import ParseError
from collectors.raw import RawResponse

F = TypeVar("F", bound=Callable[..., Any])

# What malformed input makes csv, pandas, zipfile, int() and friends raise.
MALFORMED = (
    csv.Error,
    ValueError,  # also UnicodeDecodeError, pandas' ParserError and EmptyDataError
    KeyError,
    IndexError,
    AttributeError,
    OverflowError,
    TypeError,
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    EOFError,
    RecursionError,
)


def strict_text(body: bytes, where: str) -> str:
    """The body decoded as UTF-8 (a BOM allowed); invalid bytes are a ParseError."""
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = body[: exc.start].count(b"\n") + 1
        msg = (
            f"line {line} (byte {exc.start}): invalid UTF-8 ({exc.reason}); the file must be "
            "UTF-8 and nothing was stored"
        )
        raise ParseError(where, msg) from None


def file_name_date(text: str, where: str) -> date:
    """A YYYY-MM-DD taken from a file name, if it is a real calendar date."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        msg = f"the date {text} in the file name is not a real calendar date (YYYY-MM-DD)"
        raise ParseError(where, msg) from None


def non_negative(value: float, where: str, field: str, line: int | None = None) -> float:
    """``value`` if it is a count that can exist (>= 0)."""
    if value < 0:
        at = f"line {line}: " if line is not None else ""
        raise ParseError(where, f"{at}{field} is {value}; a count cannot be below zero")
    return value


def not_after_fetch(day: date, raw: RawResponse, field: str, line: int | None = None) -> date:
    """``day`` if it is not after the day the input was fetched (or the file last written)."""
    fetched = raw.fetched_at.date()
    if day > fetched:
        at = f"line {line}: " if line is not None else ""
        msg = (
            f"{at}{field} {day} is after the input was fetched ({fetched}); a date from the future"
        )
        raise ParseError(raw.url, msg)
    return day


def ends_with_line_break(body: bytes, where: str) -> None:
    """Text exports end with a line terminator; a file without one was cut short."""
    if body and not body.endswith((b"\n", b"\r")):
        msg = "the last line has no line break: the file is truncated; download it again"
        raise ParseError(where, msg)


def _where(function: Callable[..., Any], args: tuple, kwargs: dict) -> str:
    bound = inspect.signature(function).bind_partial(*args, **kwargs)
    if isinstance(bound.arguments.get("where"), str):
        return bound.arguments["where"]
    for value in bound.arguments.values():
        if isinstance(value, RawResponse):
            return value.url
        if isinstance(value, list) and value and isinstance(value[0], RawResponse):
            return value[0].url if len(value) == 1 else f"{value[0].source} input"
    return function.__name__


def parse_guard(function: F) -> F:
    """Let ``function`` raise only ParseError: other malformed-input errors are wrapped, naming
    the input (its ``where`` argument or RawResponse url)."""

    @functools.wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except ParseError:
            raise
        except MALFORMED as exc:
            where = _where(function, args, kwargs)
            reason = str(exc).splitlines()[0] if str(exc) else ""
            msg = f"malformed input ({type(exc).__name__}: {reason})"
            raise ParseError(where, msg) from exc

    return guarded  # type: ignore[return-value]
