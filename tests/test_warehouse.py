"""Warehouse: migrations, idempotent and atomic loads, as-of, snapshot, documented datasets."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime

import pandas as pd
import pytest

from warehouse.datasets import list_datasets, load_dataset
from warehouse.db import PROVENANCE_COLUMNS, connect, fact_tables, set_as_of
from warehouse.load import DataQualityError, begin_load
from warehouse.snapshot import export_snapshot, restore_snapshot


def rows(downloads: dict[str, int], end: str = "2024-01-01") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "package": list(downloads),
            "window_days": 30,
            "window_end_date": pd.Timestamp(end).date(),
            "downloads": list(downloads.values()),
            "method": "bigquery",
            "upstream_rows": 5000,
            "source": "top_pypi",
            "source_url": "https://example.org/dump.json",
            "fetched_at": pd.Timestamp("2024-01-02", tz="UTC"),
            "raw_sha256": "ab" * 32,
        }
    )


def stored(con) -> list[tuple]:
    return con.execute(
        "SELECT package, downloads FROM cur_pypi_download_snapshots ORDER BY package"
    ).fetchall()


def test_migrations_recorded_once(con):
    names = [r[0] for r in con.execute("SELECT name FROM _migrations ORDER BY 1").fetchall()]
    assert names[0] == "001_core.sql"
    from warehouse.db import migrate

    assert migrate(con) == []  # nothing applied twice


def test_every_fact_table_has_provenance(con):
    for table in fact_tables(con):
        columns = {
            r[0]
            for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]
            ).fetchall()
        }
        assert {"source", *PROVENANCE_COLUMNS} <= columns, table


def test_load_twice_same_rows_and_loads_recorded(con):
    for _ in range(2):
        with begin_load(con, "top_pypi", {"input": "x"}) as load:
            load.upsert("pypi_download_snapshots", rows({"torch": 1, "tensorflow": 2}))
    assert con.execute("SELECT count(*) FROM pypi_download_snapshots").fetchone()[0] == 2
    loads = con.execute(
        "SELECT status, row_count, parameters, git_sha IS NOT NULL FROM _loads ORDER BY load_id"
    ).fetchall()
    assert [(s, n) for s, n, _, _ in loads] == [("ok", 2), ("ok", 0)]
    assert loads[0][2] == '{"input": "x"}'


def test_failure_in_the_middle_leaves_warehouse_unchanged(con):
    with begin_load(con, "top_pypi") as load:
        load.upsert("pypi_download_snapshots", rows({"torch": 1, "tensorflow": 2}))
    before = stored(con)
    with pytest.raises(RuntimeError, match="disk full"), begin_load(con, "top_pypi") as load:
        load.upsert("pypi_download_snapshots", rows({"torch": 10, "jax": 3}))
        raise RuntimeError("disk full")
    assert stored(con) == before
    failed = con.execute("SELECT status, error FROM _loads WHERE status <> 'ok'").fetchall()
    assert failed == [("failed", "RuntimeError: disk full")]


def test_bad_rows_are_rejected_with_the_table_named(con):
    bad = rows({"torch": 1}).drop(columns=["method"])
    with (
        pytest.raises(DataQualityError, match="pypi_download_snapshots.*method"),
        begin_load(con, "top_pypi") as load,
    ):
        load.upsert("pypi_download_snapshots", bad)
    dupes = pd.concat([rows({"torch": 1}), rows({"torch": 2})])
    with (
        pytest.raises(DataQualityError, match="repeated keys"),
        begin_load(con, "top_pypi") as load,
    ):
        load.upsert("pypi_download_snapshots", dupes)
    with pytest.raises(ValueError, match="unknown fact table"), begin_load(con, "x") as load:
        load.upsert("_loads; DROP TABLE sources", dupes)
    assert stored(con) == []


def test_relation_rows_are_checked_and_stored_like_a_frame(con):
    """A DuckDB relation of the same connection upserts like a DataFrame (no pandas)."""
    con.register("frame", rows({"torch": 1, "jax": 3}))
    con.execute("CREATE TEMP TABLE incoming AS SELECT * EXCLUDE (upstream_rows) FROM frame")
    relation = con.table("incoming")
    bad = {
        "lack required column(s) ['method']": relation.project("* EXCLUDE (method)"),
        "null values in required column(s) ['downloads']": relation.project(
            "* REPLACE (CAST(NULL AS BIGINT) AS downloads)"
        ),
        "repeated keys": relation.union(relation.filter("package = 'jax'")),
    }
    for message, wrong in bad.items():
        with (
            pytest.raises(DataQualityError, match=re.escape(message)),
            begin_load(con, "top_pypi") as load,
        ):
            load.upsert("pypi_download_snapshots", wrong)
    with begin_load(con, "top_pypi") as load:
        assert load.upsert("pypi_download_snapshots", relation.filter("false")) == 0
        assert load.upsert("pypi_download_snapshots", relation) == 2
    with begin_load(con, "top_pypi") as load:
        assert load.upsert("pypi_download_snapshots", relation) == 0  # nothing changed
    assert stored(con) == [("jax", 3), ("torch", 1)]
    absent = con.execute("SELECT count(*) FROM pypi_download_snapshots WHERE upstream_rows IS NULL")
    assert absent.fetchone() == (2,)  # a nullable column the relation lacks is NULL
    views = con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name LIKE 'incoming_%'")
    assert views.fetchone() == (0,)  # the temporary view of each upsert is gone


def test_changed_value_is_a_new_version_and_as_of_sees_the_old(con):
    with begin_load(con, "top_pypi") as load:
        load.upsert("pypi_download_snapshots", rows({"torch": 1}))
    time.sleep(0.01)
    cut = datetime.now(UTC)
    time.sleep(0.01)
    with begin_load(con, "top_pypi") as load:
        assert load.upsert("pypi_download_snapshots", rows({"torch": 5})) == 1
    assert stored(con) == [("torch", 5)]
    set_as_of(con, cut)
    assert stored(con) == [("torch", 1)]
    set_as_of(con, None)
    frame = load_dataset(con, "pypi_downloads_30d", as_of=cut.date().replace(year=2000))
    assert frame.empty  # before any load


def test_snapshot_round_trip(con, tmp_path):
    with begin_load(con, "top_pypi") as load:
        load.upsert("pypi_download_snapshots", rows({"torch": 1, "tensorflow": 2}))
    manifest = export_snapshot(con, tmp_path / "snap")
    assert manifest["tables"]["pypi_download_snapshots"]["rows"] == 2
    fresh = connect(":memory:")
    assert restore_snapshot(fresh, tmp_path / "snap") >= 3
    assert stored(fresh) == stored(con)
    assert fresh.execute("SELECT count(*) FROM _loads").fetchone()[0] == 1


def test_every_dataset_column_is_documented(con):
    datasets = list_datasets()
    assert {"pypi_downloads_30d", "downloads_monthly", "data_flags"} <= set(datasets)
    for name, ds in datasets.items():
        actual = [r[0] for r in con.execute(f"DESCRIBE {name}").fetchall()]
        assert ds.description, name
        assert actual == list(ds.columns), f"{name}: documented {list(ds.columns)} vs {actual}"


def test_view_files_apply_in_dependency_order_without_retries(monkeypatch):
    """On a fresh database every view file succeeds first time, in one transaction."""
    from warehouse import db

    def no_passes(con, pending):
        raise AssertionError(f"a view file failed in order: {pending}")

    monkeypatch.setattr(db, "_apply_in_passes", no_passes)
    con = connect(":memory:")
    found = con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()
    views = {name for (name,) in found}
    assert {p.stem for p in db.VIEWS_DIR.glob("*.sql")} <= views
    con.close()


def test_view_order_puts_dependencies_first(tmp_path):
    from warehouse.db import view_order

    files = {
        "a_top.sql": "CREATE OR REPLACE VIEW a_top AS SELECT * FROM m_middle -- not z_unused",
        "m_middle.sql": "CREATE OR REPLACE VIEW m_middle AS SELECT * FROM z_base",
        "z_base.sql": "CREATE OR REPLACE VIEW z_base AS SELECT 1 AS one",
        "z_unused.sql": "CREATE OR REPLACE VIEW z_unused AS SELECT * FROM a_top_not_a_view",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    ordered = [p.stem for p in view_order(sorted(tmp_path.glob("*.sql")))]
    assert ordered == ["z_base", "m_middle", "a_top", "z_unused"]


def test_views_out_of_order_fall_back_to_passes(monkeypatch):
    from warehouse import db

    monkeypatch.setattr(db, "view_order", lambda paths: sorted(paths, reverse=True))
    con = connect(":memory:")
    found = con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()
    assert {p.stem for p in db.VIEWS_DIR.glob("*.sql")} <= {name for (name,) in found}
    con.close()
