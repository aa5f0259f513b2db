"""The Python API: from census import load, datasets."""

from __future__ import annotations

import pandas as pd
import pytest

import census
from warehouse.datasets import list_datasets
from warehouse.db import connect
from warehouse.snapshot import SNAPSHOT_DIR


def test_datasets_names_and_descriptions():
    found = census.datasets()
    assert set(found) == set(list_datasets())
    assert found["downloads_monthly"] == list_datasets()["downloads_monthly"].description


def test_load_reads_the_shipped_snapshot():
    if not (SNAPSHOT_DIR / "manifest.json").exists():
        pytest.skip("no shipped snapshot in this checkout")
    frame = census.load("downloads_monthly")
    assert isinstance(frame, pd.DataFrame) and not frame.empty
    assert {"month", "downloads"} <= set(frame.columns)


def test_load_from_a_warehouse_file(tmp_path, fixtures):
    from census.cli import main

    db = tmp_path / "w.duckdb"
    raw = str(tmp_path / "raw")
    argv = ["--db", str(db), "ingest", "top-pypi", str(fixtures / "top_pypi"), "--raw-dir", raw]
    assert main(argv) == 0
    frame = census.load("pypi_downloads_30d", db=db)
    con = connect(db, read_only=True)
    expected = con.execute("SELECT * FROM pypi_downloads_30d").df()
    con.close()
    pd.testing.assert_frame_equal(frame, expected)


def test_unknown_dataset_names_the_known_ones():
    with pytest.raises(KeyError, match="downloads_monthly"):
        census.load("no_such_dataset")


def test_unknown_attribute():
    with pytest.raises(AttributeError, match="no_such"):
        census.no_such  # noqa: B018


def test_empty_warehouse_without_snapshot_is_a_census_error(tmp_path):
    from census_base.errors import CensusError
    from warehouse.ensure import ensure_warehouse

    with pytest.raises(CensusError, match="no snapshot"):
        ensure_warehouse(tmp_path / "w.duckdb", snapshot=tmp_path / "none")


def test_report_with_no_chart_is_an_error_not_exit_0(tmp_path, capfd):
    """A warehouse whose loads hold nothing chartable: exit 2 naming it, never a 0-chart report."""
    from census.cli import main
    from warehouse.load import begin_load

    db = tmp_path / "w.duckdb"
    con = connect(db)
    with begin_load(con, "nothing"):
        pass  # an ok load with no rows: the warehouse is not empty, so no snapshot is restored
    con.close()
    argv = ["--db", str(db), "report", "--out", str(tmp_path / "out"), "--force"]
    argv += ["--cache", str(tmp_path / "cache")]
    assert main(argv) == 2
    err = capfd.readouterr().err
    assert "no chart" in err and str(db) in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()  # nothing stored
