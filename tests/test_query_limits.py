"""`census query`: read-only end to end, one statement, row limits, streaming, timeout, Ctrl-C,
concurrent readers and a clear "busy" line while a writer holds the warehouse."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from census.cli import main

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
HUGE = "SELECT count(*) FROM range(1000000000000) a"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("query")
    db = folder / "w.duckdb"
    argv = ["--db", str(db), "ingest", "top-pypi", str(FIXTURES / "top_pypi")]
    assert main([*argv, "--raw-dir", str(folder / "raw")]) == 0
    return db


def holder(db: Path, *, read_only: bool) -> subprocess.Popen:
    """Another process holding the warehouse open until killed; prints 'ready' once it does."""
    code = (
        "import sys, time\n"
        "from warehouse.access import open_duckdb, set_owner_label\n"
        "set_owner_label('census ingest')\n"
        f"con = open_duckdb({str(db)!r}, read_only={read_only})\n"
        "print('ready', flush=True)\n"
        "time.sleep(60)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env, cwd=REPO
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    return process


def wait_until_held(db: Path) -> None:
    """Return once another process has the warehouse open (a writer can no longer get in)."""
    for _ in range(300):
        try:
            duckdb.connect(str(db)).close()
        except duckdb.Error:
            return
        time.sleep(0.1)
    pytest.fail("the query never opened the warehouse")


def test_missing_file_is_an_error_and_nothing_is_created(tmp_path, capsys):
    db = tmp_path / "typo.duckdb"
    assert main(["--db", str(db), "query", "SELECT 1"]) == 2
    assert "no such warehouse" in capsys.readouterr().err
    assert not db.exists()


def test_foreign_duckdb_file_is_left_alone(tmp_path, capsys):
    db = tmp_path / "other.duckdb"
    with duckdb.connect(str(db)) as other:
        other.execute("CREATE TABLE t (a INTEGER)")
    assert main(["--db", str(db), "query", "SELECT 1"]) == 2
    assert "not a census warehouse" in capsys.readouterr().err
    with duckdb.connect(str(db), read_only=True) as check:
        assert check.execute("SELECT count(*) FROM duckdb_tables()").fetchone() == (1,)


def test_one_statement_only(warehouse, capsys):
    assert main(["--db", str(warehouse), "query", "SELECT 1; SELECT 2"]) == 2
    assert "exactly one SQL statement (got 2)" in capsys.readouterr().err


def test_table_format_stops_at_the_limit(warehouse, capsys):
    assert (
        main(
            ["--db", str(warehouse), "query", "SELECT range AS n FROM range(5000)", "--limit", "7"]
        )
        == 0
    )
    captured = capsys.readouterr()
    assert captured.out.split() == ["n", "0", "1", "2", "3", "4", "5", "6"]
    assert "first 7 rows" in captured.err


def test_csv_and_json_stream_every_row_across_batches(warehouse, capsys):
    sql = (
        "SELECT range AS n, CASE WHEN range % 2 = 0 THEN NULL ELSE 'x' END AS s FROM range(120001)"
    )
    assert main(["--db", str(warehouse), "query", sql, "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "n,s" and len(lines) == 120002 and lines.count("n,s") == 1
    assert lines[1] == "0," and lines[-1] == "120000,"
    assert main(["--db", str(warehouse), "query", sql, "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert len(records) == 120001 and records[1] == {"n": 1, "s": "x"} and records[0]["s"] is None


def test_empty_result_keeps_its_header(warehouse, capsys):
    assert (
        main(["--db", str(warehouse), "query", "SELECT 1 AS a WHERE false", "--format", "csv"]) == 0
    )
    assert capsys.readouterr().out == "a\n"


def test_timeout_interrupts_the_query(warehouse, capsys):
    assert main(["--db", str(warehouse), "query", HUGE, "--timeout", "0.5"]) == 2
    assert "stopped after" in capsys.readouterr().err


def test_ctrl_c_interrupts_the_query(warehouse):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, "-m", "census", "--db", str(warehouse), "query", HUGE, "--wait", "60"],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )
    wait_until_held(warehouse)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr


def test_readers_run_while_another_reader_is_open(warehouse, capsys):
    other = holder(warehouse, read_only=True)
    try:
        assert main(["--db", str(warehouse), "query", "SELECT count(*) AS n FROM _loads"]) == 0
        assert capsys.readouterr().out.split()[0] == "n"
    finally:
        other.kill()
        other.wait()


def test_busy_names_the_writer_and_what_to_do(warehouse, capsys):
    writer = holder(warehouse, read_only=False)
    try:
        assert main(["--db", str(warehouse), "query", "SELECT 1", "--wait", "0.6"]) == 2
    finally:
        writer.kill()
        writer.wait()
    err = capsys.readouterr().err
    assert f"busy: census ingest (pid {writer.pid}" in err and "--wait" in err
    assert "Traceback" not in err


def test_memory_limit_is_applied_and_checked(warehouse, capsys):
    sql = "SELECT current_setting('memory_limit') AS m"
    assert (
        main(["--db", str(warehouse), "query", sql, "--memory-limit", "1GB", "--format", "csv"])
        == 0
    )
    assert capsys.readouterr().out.splitlines()[1].endswith("MiB")  # 1GB = 953.6 MiB
    assert main(["--db", str(warehouse), "query", "SELECT 1", "--memory-limit", "1GB'; x"]) == 2
    assert "give a size such as" in capsys.readouterr().err


def test_a_running_query_is_named_to_a_blocked_writer(warehouse, capsys):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    query = subprocess.Popen(
        # --wait: it must get in even while the loop below holds the file for an ingest
        [sys.executable, "-m", "census", "--db", str(warehouse), "query", HUGE, "--wait", "60"],
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=REPO,
    )
    try:
        code = 0
        for _ in range(100):  # until the query holds the file (the ingest then fails as busy)
            time.sleep(0.3)
            argv = ["--db", str(warehouse), "ingest", "top-pypi", str(FIXTURES / "top_pypi")]
            code = main(argv)
            if code == 2:
                break
    finally:
        query.kill()
        query.wait()
    err = capsys.readouterr().err
    assert code == 2
    assert f"busy: census query (pid {query.pid})" in err and "Traceback" not in err
