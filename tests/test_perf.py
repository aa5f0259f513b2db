"""`census perf`: the table, the ratio and bad input. No test here asserts a time.

Run: PYTHONPATH=. python -m pytest -q tests/test_perf.py
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import pytest

from census.commands import perf
from census_base.errors import CensusError
from census_base.paths import SOURCE_ROOT


def test_table_has_each_line_its_baseline_and_ratio():
    timings = [
        perf.Timing("`census --help`", "bare start", 0.5, 0.25, 0.4),
        perf.Timing("`census query`", "bare query", 0.3, 0.2, 0.25),
    ]
    assert timings[0].ratio == 2.0
    assert perf.format_table(timings).splitlines() == [
        "| what | median | CPU | baseline (same run) | baseline median | ratio |",
        "|---|---|---|---|---|---|",
        "| `census --help` | 0.50 s | 0.40 s | bare start | 0.25 s | 2.00x |",
        "| `census query` | 0.30 s | 0.25 s | bare query | 0.20 s | 1.50x |",
    ]


def test_cases_are_the_issue_table_with_paths_in_scratch(tmp_path):
    cases = perf.cases(tmp_path, Path("/staged"), tmp_path / "specs.json")
    names = [case.name for case in cases]
    assert len(names) == 8
    assert [n.split("`")[1] for n in names] == [
        "census report --force",
        "census report --force",
        "census report",
        "census --help",
        'census query "select 1"',
        "census ingest top-pypi",
        "census ingest top-pypi",
        "census snapshot",
    ]
    for case in cases:
        paths = [a for a in case.census if a.startswith("/")]
        assert all(p.startswith(("/staged", str(tmp_path))) for p in paths), case.name
        assert case.baseline[0] == "-c"
    ingest = cases[5]
    assert ingest.census[-3:-2] == ["/staged/top-pypi-packages"]
    assert ingest.baseline[-1] == "/staged/top-pypi-packages/**/*.json"


def test_cold_cache_and_fresh_database_are_removed_before_each_run(tmp_path):
    cases = perf.cases(tmp_path, Path("/staged"), tmp_path / "specs.json")
    (tmp_path / "cold-cache").mkdir()
    (tmp_path / "cold-cache" / "x.png").write_bytes(b"png")
    cases[0].before_each()
    assert not (tmp_path / "cold-cache").exists()
    (tmp_path / "ingest.duckdb").write_bytes(b"db")
    cases[5].before_each()
    assert not (tmp_path / "ingest.duckdb").exists()
    (tmp_path / "empty-folder").mkdir()
    (tmp_path / "empty-folder" / ".census-schema-x.duckdb").write_bytes(b"template")
    cases[6].before_each()
    assert not (tmp_path / "empty-folder").exists()  # so no template: the schema is built


def test_measure_runs_whole_processes_from_the_checkout():
    case = perf.Case("`census --help`", ["--help"], "bare start", ["-c", "pass"])
    timing = perf.measure(case, 1, SOURCE_ROOT)
    assert timing.name == "`census --help`" and timing.baseline_name == "bare start"
    assert timing.median_s > 0 and timing.baseline_median_s > 0 and timing.cpu_s > 0


def test_a_failing_process_is_an_error_not_a_time(tmp_path):
    argv = [sys.executable, "-c", "import sys; sys.exit('no warehouse here')"]
    with pytest.raises(CensusError, match="exited 1: no warehouse here"):
        perf.time_process(argv, tmp_path, {})


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("checkout", "nowhere", "not a census checkout"),
        ("shared", "nowhere", "needs the staged top-pypi-packages folder"),
        ("runs", 0, "needs at least one run"),
    ],
)
def test_bad_options_are_one_clear_line(tmp_path, caplog, option, value, message):
    args = argparse.Namespace(checkout=SOURCE_ROOT, shared=tmp_path, runs=5, only=[])
    (tmp_path / "top-pypi-packages").mkdir()
    setattr(args, option, tmp_path / value if isinstance(value, str) else value)
    with caplog.at_level(logging.ERROR):
        assert perf.run(args) == 2
    assert [r.getMessage() for r in caplog.records if message in r.getMessage()]
