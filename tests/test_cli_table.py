"""The explicit command table: documented in the README, light to start, help lines agree."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from census.cli import COMMANDS, build_parser
from warehouse.db import connect

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("pandas", "altair", "vl_convert", "requests")


def test_table_lists_every_command_module():
    folder = ROOT / "census" / "commands"
    modules = {p.stem for p in folder.glob("*.py") if not p.stem.startswith("_")}
    assert set(COMMANDS) == modules
    assert all(module == f"census.commands.{name}" for name, (module, _) in COMMANDS.items())


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_line_is_the_module_docstring(name):
    module = importlib.import_module(COMMANDS[name][0])
    assert (module.__doc__ or "").strip().split("\n")[0] == COMMANDS[name][1]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_is_in_the_readme(name):
    assert f"`census {name}" in (ROOT / "README.md").read_text()


def test_full_parser_registers_every_command():
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    assert sorted(action.choices) == sorted(COMMANDS)


def _loaded_after(argv: list[str], tmp_path: Path, heavy: tuple[str, ...] = HEAVY) -> list[str]:
    """The heavy modules in sys.modules after main(argv) in a fresh interpreter."""
    code = (
        "import sys\nfrom census.cli import main\n"
        f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in {heavy!r} if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        check=True,
        timeout=120,
    )
    return eval(out.stdout.strip().splitlines()[-1])  # a printed list of names


def test_help_and_datasets_import_no_heavy_library(tmp_path):
    assert _loaded_after(["--help"], tmp_path) == []
    assert _loaded_after(["datasets"], tmp_path) == []


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_query_imports_no_heavy_library(tmp_path, fmt):
    db = tmp_path / "w.duckdb"
    connect(str(db)).close()  # an empty census warehouse (query never creates one)
    argv = ["--db", str(db), "query", "SELECT 1 AS one, DATE '2024-01-01' AS d", "--format", fmt]
    # the table (the default) is fetched without the Arrow stream: no pyarrow or numpy either
    heavy = (*HEAVY, "pyarrow", "numpy") if fmt == "table" else HEAVY
    loaded = _loaded_after(argv, tmp_path, heavy)
    assert loaded == []  # no pandas either: the result is formatted from plain Python rows


def test_ingest_top_pypi_imports_no_heavy_library(tmp_path):
    """Local dumps are read, checked and stored in DuckDB: no pandas, and no requests unless a
    URL is fetched."""
    db = tmp_path / "fresh.duckdb"
    folder = ROOT / "tests" / "fixtures" / "top_pypi"
    argv = ["--db", str(db), "ingest", "top-pypi", str(folder), "--raw-dir", str(tmp_path / "raw")]
    assert _loaded_after(argv, tmp_path) == []
    con = connect(str(db), read_only=True)
    stored = con.execute("SELECT count(*) FROM pypi_download_snapshots").fetchone()
    flags = con.execute("SELECT count(*) FROM quality_flags WHERE source = 'top_pypi'").fetchone()
    con.close()
    assert stored is not None and stored[0] > 0
    assert flags is not None and flags[0] > 0
