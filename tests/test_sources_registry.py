"""The source registry (census_base.sources) agrees with the collector modules and the recipe."""

from __future__ import annotations

import importlib
import pkgutil
import tomllib

import pytest

import collectors
from census_base.sources import SOURCES, by_source, modules
from collectors.registry import collectors_by_name, ingesters
from reports.catalogue import known_sources
from warehouse.load import SourceInfo
from warehouse.snapshot import RECIPE_FILE


@pytest.mark.parametrize("name", modules())
def test_rows_match_their_module(name):
    """A module's rows name exactly its commands, and each row's source is one it declares
    (or, for a module that re-reads another's input, that module's SOURCE_INFO)."""
    module = importlib.import_module(name)
    rows = [e for e in SOURCES if e.module == name]
    assert tuple(i.name for i in getattr(module, "INGESTERS", [])) == tuple(
        n for e in rows for n in e.ingest
    )
    assert tuple(c.name for c in getattr(module, "COLLECTORS", [])) == tuple(
        n for e in rows for n in e.collect
    )
    declared = {v.name for v in vars(module).values() if isinstance(v, SourceInfo)}
    declared |= {v.SOURCE_INFO.name for v in vars(module).values() if hasattr(v, "SOURCE_INFO")}
    assert {e.source for e in rows} <= declared


def test_every_collector_module_is_in_the_table():
    listed = {entry.module for entry in SOURCES}
    runnable = set()
    for info in pkgutil.iter_modules(collectors.__path__):
        module = importlib.import_module(f"collectors.{info.name}")
        if getattr(module, "INGESTERS", None) or getattr(module, "COLLECTORS", None):
            runnable.add(module.__name__)
    assert runnable == listed
    assert sum(len(rows) for rows in by_source().values()) == len(SOURCES)


def test_cli_names_come_from_the_table():
    assert sorted(ingesters()) == sorted(n for e in SOURCES for n in e.ingest)
    assert sorted(collectors_by_name()) == sorted(n for e in SOURCES for n in e.collect)


def test_snapshot_recipe_names_registered_ingesters():
    recipe = tomllib.loads(RECIPE_FILE.read_text())
    names = {n for e in SOURCES for n in e.ingest}
    steps = [step["source"] for step in recipe["ingest"]]
    assert steps and set(steps) <= names


def test_coverage_catalogue_reads_the_table():
    catalogue = known_sources()
    assert catalogue["top_pypi"] == "`census ingest top-pypi` or `census ingest top-pypi-ecosystem`"
    assert catalogue["conda"] == "`census ingest conda` or `census collect conda`"
    assert set(catalogue) == set(by_source())


def test_one_ingester_is_found_without_importing_the_others():
    from collectors.registry import ingester, ingester_names

    assert set(ingester_names()) == set(ingesters())
    for name in ingester_names():
        assert ingester(name) is ingesters()[name]
