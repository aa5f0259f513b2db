"""warehouse.load.store: the common collector ending (one load, source registered, tables upserted)."""

from __future__ import annotations

import pandas as pd
import pytest

from census_base.errors import DataQualityError
from warehouse.load import SourceInfo, store

INFO = SourceInfo(
    name="top_pypi",
    description="test source",
    licence="MIT",
    citation="test citation",
    upstream_url="https://example.org/",
)


def snapshot_rows(downloads: dict[str, int]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "package": list(downloads),
            "window_days": 30,
            "window_end_date": pd.Timestamp("2024-01-01").date(),
            "downloads": list(downloads.values()),
            "method": "bigquery",
            "upstream_rows": 5000,
            "source": "top_pypi",
            "source_url": "https://example.org/dump.json",
            "fetched_at": pd.Timestamp("2024-01-02", tz="UTC"),
            "raw_sha256": "ab" * 32,
        }
    )


def test_store_registers_the_source_and_counts_every_table(con):
    tables = {"pypi_download_snapshots": snapshot_rows({"torch": 1, "tensorflow": 2}), "x": None}
    assert store(con, INFO, tables, {"input": "dump.json"}) == 2
    assert store(con, INFO, [("pypi_download_snapshots", snapshot_rows({"torch": 5}))]) == 1
    loads = con.execute("SELECT source, status, row_count, parameters FROM _loads ORDER BY load_id")
    assert loads.fetchall() == [
        ("top_pypi", "ok", 2, '{"input": "dump.json"}'),
        ("top_pypi", "ok", 1, "{}"),
    ]
    source = con.execute("SELECT name, citation FROM sources").fetchall()
    assert source == [("top_pypi", "test citation")]


def test_store_keeps_nothing_when_a_table_is_rejected(con):
    bad = snapshot_rows({"torch": 1}).drop(columns=["downloads"])
    tables = [
        ("pypi_download_snapshots", snapshot_rows({"jax": 3})),
        ("pypi_download_snapshots", bad),
    ]
    with pytest.raises(DataQualityError, match="pypi_download_snapshots"):
        store(con, INFO, tables)
    assert con.execute("SELECT count(*) FROM pypi_download_snapshots").fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM sources").fetchone() == (0,)
    assert con.execute("SELECT status FROM _loads").fetchall() == [("failed",)]
