"""The census CLI: help on every command, ingest, read-only query, export, report."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from census.cli import COMMANDS, build_parser, main


def subcommands() -> list[str]:
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return sorted(action.choices)


def test_every_command_has_help(capsys):
    names = subcommands()
    assert names == sorted(COMMANDS)
    for name in names:
        with pytest.raises(SystemExit) as done:
            main([name, "--help"])
        assert done.value.code == 0
        text = capsys.readouterr().out
        assert f"census {name}" in text and len(text.splitlines()) > 4, name


@pytest.fixture
def loaded_db(tmp_path, fixtures):
    db = tmp_path / "w.duckdb"
    assert (
        main(
            [
                "--db",
                str(db),
                "ingest",
                "top-pypi",
                str(fixtures / "top_pypi"),
                "--raw-dir",
                str(tmp_path / "raw"),
            ]
        )
        == 0
    )
    return db


def test_query_formats(loaded_db, capsys):
    sql = "SELECT package, downloads FROM pypi_downloads_30d WHERE window_end_date = '2025-03-01' ORDER BY package"
    assert main(["--db", str(loaded_db), "query", sql, "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert {"package": "torch", "downloads": 40} in records
    assert main(["--db", str(loaded_db), "query", sql, "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "package,downloads"
    assert main(["--db", str(loaded_db), "query", sql]) == 0
    assert "tensorflow" in capsys.readouterr().out


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE TABLE evil AS SELECT 1",
        "DELETE FROM _loads",
        "COPY _loads TO '/tmp/census-leak.csv'",
        "SELECT * FROM read_csv('/etc/passwd')",
        "ATTACH '/tmp/other.duckdb' AS other",
        "SET enable_external_access = true",
    ],
)
def test_query_is_read_only(loaded_db, capsys, sql):
    assert main(["--db", str(loaded_db), "query", sql]) == 2
    assert "query failed" in capsys.readouterr().err


def test_export_parquet_and_csv(loaded_db, tmp_path):
    out = tmp_path / "export"
    assert (
        main(
            ["--db", str(loaded_db), "export", "downloads_monthly", "data_flags", "--out", str(out)]
        )
        == 0
    )
    frame = pd.read_parquet(out / "downloads_monthly.parquet")
    assert {"family", "package", "month", "downloads", "source", "flags"} <= set(frame.columns)
    assert main(["--db", str(loaded_db), "export", "--format", "csv", "--out", str(out)]) == 0
    assert (out / "pypi_downloads_30d.csv").exists()
    assert main(["--db", str(loaded_db), "export", "no_such_dataset", "--out", str(out)]) == 2


def test_ingest_error_is_reported_not_raised(tmp_path, capsys):
    code = main(
        ["--db", str(tmp_path / "w.duckdb"), "ingest", "top-pypi", str(tmp_path / "missing")]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "missing" in err and "no such file or folder" in err


def test_datasets_markdown(capsys):
    assert main(["datasets", "--markdown"]) == 0
    text = capsys.readouterr().out
    assert "### `downloads_monthly`" in text and "| `month` |" in text


def test_readme_documents_every_dataset():
    from pathlib import Path

    from warehouse.datasets import datasets_markdown

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    assert datasets_markdown().strip() in readme, "run `make readme` to refresh the dataset tables"


def test_ctrl_c_caught_by_duckdb_is_an_interrupt_not_a_bug(monkeypatch, capsys):
    """A SIGINT that lands while DuckDB runs a statement comes back as RuntimeError('Query
    interrupted'): the user pressed Ctrl-C, so exit 130 with one line, never 'a bug'."""
    import census.commands.datasets as datasets

    def interrupted_run(args):
        raise RuntimeError("Query interrupted")

    monkeypatch.setattr(datasets, "run", interrupted_run)
    assert main(["datasets"]) == 130
    err = capsys.readouterr().err
    assert "interrupted" in err and "bug" not in err and "Traceback" not in err
