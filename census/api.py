"""The Python API, the way dataset packages offer one: ``load(name)`` and ``datasets()``.

>>> from census import load, datasets
>>> datasets()["downloads_monthly"]            # its description
>>> load("downloads_monthly").tail()           # a pandas DataFrame

Without ``db`` the data is the snapshot shipped in the package, restored once per process
into an in-memory warehouse (nothing is written to disk); with ``db`` it is that warehouse file
(an empty one is first restored from the snapshot, as ``census report`` does).
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from warehouse.datasets import list_datasets, load_dataset
from warehouse.db import connect
from warehouse.ensure import ensure_warehouse
from warehouse.snapshot import restore_snapshot

if TYPE_CHECKING:
    import pandas as pd


@cache
def _shipped() -> duckdb.DuckDBPyConnection:
    con = connect(":memory:")
    restore_snapshot(con)
    return con


def datasets() -> dict[str, str]:
    """Dataset name -> its one-line description (columns: ``census datasets``)."""
    return {name: ds.description for name, ds in sorted(list_datasets().items())}


def load(name: str, db: str | Path | None = None, as_of: date | None = None) -> pd.DataFrame:
    """Dataset ``name`` as a DataFrame, from the shipped snapshot or the warehouse ``db``,
    optionally as it stood at ``as_of``. An unknown name raises ``KeyError`` listing the known."""
    if db is None:
        return load_dataset(_shipped().cursor(), name, as_of)
    ensure_warehouse(Path(db))
    con = connect(db, read_only=True)
    try:
        return load_dataset(con, name, as_of)
    finally:
        con.close()
