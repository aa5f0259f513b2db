"""Fault matrix (issue #18): bad --db, locks, disk full, hidden causes, kills, bad input.

Each case checks four things where they apply: a clear one-line error (no traceback), a
non-zero exit, no wrong data stored and nothing lost. Per-source bad inputs and fuzzing live in
``tests/test_input_faults.py``; query limits in ``tests/test_query_limits.py``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from census.cli import main
from census_base.errors import DataQualityError
from warehouse.db import connect
from warehouse.load import begin_load

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def ranking_row(**changes: object) -> dict:
    row = {
        "repo": "pytorch/pytorch",
        "observed_date": "2024-05-01",
        "list_name": "top-100-stars",
        "listed_as": "pytorch/pytorch",
        "list_rank": 1,
        "stars": 80000,
        "forks": 20000,
        "open_issues": 10,
        "language": "Python",
        "pushed_at": None,
        "source": "github_ranking",
        "source_url": "file:///x.csv",
        "fetched_at": "2024-05-01T00:00:00Z",
        "raw_sha256": "0" * 64,
    }
    return row | changes


def failed_loads(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute("SELECT status, error FROM _loads WHERE status <> 'ok'").fetchall()


def census(*argv: str, env: dict | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run the CLI in a subprocess (fresh interpreter, real exit code, real stderr)."""
    return subprocess.run(
        [sys.executable, "-m", "census", *argv],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})},
        timeout=timeout,
        check=False,
    )


def assert_one_clear_line(stderr: str, *needles: str) -> None:
    errors = [line for line in stderr.splitlines() if line.startswith("ERROR")]
    assert "Traceback" not in stderr, stderr
    assert len(errors) == 1, stderr
    for needle in needles:
        assert needle in errors[-1], errors[-1]


# --- hidden causes: the real error is recorded -------------------------------------------


def test_overflow_records_the_real_cause(con):
    with (
        pytest.raises(DataQualityError, match="does not fit"),
        begin_load(con, "github_ranking") as load,
    ):
        load.upsert("github_ranking_rows", pd.DataFrame([ranking_row(stars=10**20)]))
    [(status, error)] = failed_loads(con)
    assert status == "failed"
    assert "does not fit" in error and "aborted" not in error
    assert con.execute("SELECT count(*) FROM github_ranking_rows").fetchone() == (0,)


class DiskFullAtCommit:
    """A connection whose COMMIT fails as a full disk does; everything else is the real one."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._con = con

    def execute(self, sql: str, *args: object) -> duckdb.DuckDBPyConnection:
        if sql.strip().upper() == "COMMIT":
            msg = 'Could not write file "w.duckdb.wal": No space left on device'
            raise duckdb.IOException(msg)
        return self._con.execute(sql, *args)

    def __getattr__(self, name: str) -> object:
        return getattr(self._con, name)


def test_disk_full_at_commit_keeps_nothing_and_names_the_cause(con):
    faulty = DiskFullAtCommit(con)
    with pytest.raises(duckdb.IOException), begin_load(faulty, "github_ranking") as load:  # type: ignore[arg-type]
        load.upsert("github_ranking_rows", pd.DataFrame([ranking_row()]))
    [(status, error)] = failed_loads(con)
    assert "No space left on device" in error and "cannot rollback" not in error
    assert con.execute("SELECT count(*) FROM github_ranking_rows").fetchone() == (0,)


def test_disk_full_is_one_line_in_the_cli(tmp_path, monkeypatch, capsys):
    import census.commands.ingest as ingest_command

    real_open = ingest_command.open_warehouse
    monkeypatch.setattr(
        ingest_command, "open_warehouse", lambda args: DiskFullAtCommit(real_open(args))
    )
    db = tmp_path / "w.duckdb"
    code = main(
        [
            "--db",
            str(db),
            "ingest",
            "top-pypi",
            str(FIXTURES / "top_pypi"),
            "--raw-dir",
            str(tmp_path / "raw"),
        ]
    )
    assert code == 2
    assert_one_clear_line(capsys.readouterr().err, "disk full", "No space left")
    with duckdb.connect(str(db), read_only=True) as check:
        assert check.execute("SELECT count(*) FROM _loads WHERE status = 'ok'").fetchone() == (0,)
