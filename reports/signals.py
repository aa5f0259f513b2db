"""Read the adoption-index signals from the warehouse: every view named ``signal_%``.

The contract is in docs/ARCHITECTURE.md ("Signals"). :func:`per_build` memoises, per
connection, as-of setting and load state, what several report blocks of one build read: the
signals themselves (index chart, verdicts, methodology, coverage) and other per-warehouse
computations (the current-signal summary, the verdicts).
"""

from __future__ import annotations

import functools
import logging
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pandas as pd

from analysis.headline import SIGNAL_COLUMNS, check_signals, signal_shares
from reports.cutoff import cut_frame, data_as_of

log = logging.getLogger(__name__)

NOTES_FILE = Path(__file__).with_name("signal_notes.toml")
_CACHE: dict[tuple, Any] = {}
_ACTIVE = [False]
T = TypeVar("T")


@contextmanager
def cached_signals() -> Iterator[None]:
    """Memoise :func:`load_signals` and :func:`per_build` functions for one report build."""
    _CACHE.clear()
    _ACTIVE[0] = True
    try:
        yield
    finally:
        _ACTIVE[0] = False
        _CACHE.clear()


def signal_views(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Names of the views named ``signal_<name>``, sorted."""
    rows = con.execute(
        r"""SELECT table_name FROM information_schema.tables
            WHERE table_schema = 'main' AND table_type = 'VIEW'
              AND table_name LIKE 'signal\_%' ESCAPE '\'
            ORDER BY table_name"""
    ).fetchall()
    return [name for (name,) in rows]


def _state(con: duckdb.DuckDBPyConnection) -> tuple:
    row = con.execute(
        "SELECT getvariable('census_as_of')::VARCHAR, getvariable('census_data_as_of')::VARCHAR, "
        "count(*), max(load_id) FROM _loads"
    ).fetchone()
    return (id(con), *(row or ()), tuple(signal_views(con)))


def read_signal_view(con: duckdb.DuckDBPyConnection, view: str) -> pd.DataFrame:
    """One signal view's rows in contract order; ValueError naming the view if it breaks it."""
    frame = con.execute(f'SELECT * FROM "{view}"').df()  # name from information_schema
    check_signals(frame, view)
    frame = frame[list(SIGNAL_COLUMNS)].copy()
    frame["period"] = pd.to_datetime(frame["period"])
    frame["flags"] = frame["flags"].fillna("").astype(str)
    return frame


def _copied(value: T) -> T:
    """A caller's own copy of a memoised frame (or tuple of frames): callers add columns."""
    if isinstance(value, pd.DataFrame):
        return value.copy()  # type: ignore[return-value]
    if isinstance(value, tuple):
        return tuple(_copied(v) for v in value)  # type: ignore[return-value]
    if isinstance(value, list):
        return list(value)  # type: ignore[return-value]
    return value


def per_build(func: Callable[[duckdb.DuckDBPyConnection], T]) -> Callable[..., T]:
    """Memoise ``func(con)`` inside :func:`cached_signals`, keyed like :func:`load_signals`
    (connection, as-of settings, load state), so blocks that share a computation run it once.
    Outside a build it is computed every time. Frames are returned as copies."""

    @functools.wraps(func)
    def memoised(con: duckdb.DuckDBPyConnection) -> T:
        if not _ACTIVE[0]:
            return func(con)
        key = (func.__module__, func.__qualname__, *_state(con))
        if key not in _CACHE:
            _CACHE[key] = func(con)
        return _copied(_CACHE[key])  # type: ignore[no-any-return]

    return memoised


@per_build
def load_signals(con: duckdb.DuckDBPyConnection) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(raw signal rows of every view, their shares from :func:`signal_shares`)."""
    frames = [read_signal_view(con, view) for view in signal_views(con)]
    frames = [f for f in frames if not f.empty]
    raw = (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=list(SIGNAL_COLUMNS))
    )
    raw = cut_frame(raw, data_as_of(con))  # --as-of: periods ending after it left out
    return raw, signal_shares(raw)


def signal_notes() -> dict[str, dict[str, str]]:
    """Per expected signal: label, what it measures, its denominator and known biases."""
    with NOTES_FILE.open("rb") as handle:
        return tomllib.load(handle)["signal"]


def missing_signals(present: set[str]) -> list[str]:
    """Expected signals (listed in signal_notes.toml) with no data in the warehouse."""
    return sorted(set(signal_notes()) - present)
