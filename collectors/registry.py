"""The runnable sources: the modules named in ``census_base.sources.SOURCES`` declare
``INGESTERS``/``COLLECTORS`` (no discovery scan; a test checks table and modules agree).

``census ingest NAME PATH_OR_URL`` runs an :class:`Ingester` (a published archive, file or URL);
``census collect [NAME...]`` runs :class:`Collector` objects (live APIs, incremental).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from census_base.sources import SOURCES, modules
from collectors.http import HttpClient


@dataclass
class RunContext:
    """What a source needs to run: the warehouse, the HTTP client and the raw archive."""

    con: duckdb.DuckDBPyConnection
    http: HttpClient
    raw_root: Path
    dry_run: bool = False
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Ingester:
    name: str
    help: str
    run: Callable[[RunContext, str], int]  # (context, path or URL) -> rows written


@dataclass(frozen=True)
class PlannedRequest:
    source: str
    method: str
    url: str
    purpose: str


@dataclass(frozen=True)
class Collector:
    name: str
    help: str
    plan: Callable[[RunContext], list[PlannedRequest]]  # data requests a refresh would send
    run: Callable[[RunContext], int]  # -> rows written


def _modules() -> list[Any]:
    """The collector modules of the source registry, imported now."""
    return [importlib.import_module(name) for name in modules()]


def ingester_names() -> dict[str, str]:
    """``census ingest`` name -> the source it loads, from the table alone (no import)."""
    return {name: entry.source for entry in SOURCES for name in entry.ingest}


def ingester(name: str) -> Ingester:
    """One ingester, importing only the module that declares it (a fast start)."""
    module = next(e.module for e in SOURCES if name in e.ingest)
    found = {i.name: i for i in importlib.import_module(module).INGESTERS}
    return found[name]


def ingesters() -> dict[str, Ingester]:
    return {i.name: i for m in _modules() for i in getattr(m, "INGESTERS", [])}


def collectors_by_name() -> dict[str, Collector]:
    return {c.name: c for m in _modules() for c in getattr(m, "COLLECTORS", [])}
