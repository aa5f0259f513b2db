"""The schema template: a new warehouse file is a copy of one built once per folder."""

from __future__ import annotations

import duckdb
import pytest

from warehouse import db
from warehouse.db import connect
from warehouse.template import template_path

SCHEMA = """
    SELECT 'view' AS kind, view_name AS name, sql FROM duckdb_views() WHERE NOT internal
    UNION ALL SELECT 'table', table_name, sql FROM duckdb_tables()
    UNION ALL SELECT 'migration', name, NULL FROM _migrations
    ORDER BY ALL"""


def schema_of(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(SCHEMA).fetchall()


def test_new_files_are_copies_of_the_template_with_the_same_schema(tmp_path, monkeypatch):
    built = connect(":memory:")
    expected = schema_of(built) + built.execute("SELECT * FROM package_families").fetchall()
    built.close()
    first = connect(tmp_path / "first.duckdb")
    assert template_path(tmp_path / "first.duckdb").is_file()
    assert schema_of(first) + first.execute("SELECT * FROM package_families").fetchall() == (
        expected
    )
    first.close()

    def no_views(con, force=False):
        raise AssertionError("views created again instead of copied")

    monkeypatch.setattr(db, "_create_views", no_views)
    second = connect(tmp_path / "second.duckdb")
    assert schema_of(second) == schema_of(connect(tmp_path / "first.duckdb", read_only=True))
    second.close()


def test_a_broken_template_is_replaced_and_the_new_file_built(tmp_path):
    connect(tmp_path / "first.duckdb").close()
    template = template_path(tmp_path / "first.duckdb")
    template.write_bytes(b"not a database" * 100)
    con = connect(tmp_path / "second.duckdb")
    assert con.execute("SELECT count(*) FROM _migrations").fetchone()[0] > 0
    con.close()
    assert not template.exists() or template.read_bytes()[8:12] == b"DUCK"


def test_a_schema_error_is_still_reported(tmp_path, monkeypatch):
    def broken(con):
        raise duckdb.ParserException("syntax error in 999_broken.sql")

    monkeypatch.setattr(db, "migrate", broken)
    with pytest.raises(duckdb.ParserException, match="999_broken"):
        connect(tmp_path / "w.duckdb")
    assert not template_path(tmp_path / "w.duckdb").exists()
