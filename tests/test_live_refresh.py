"""A full refresh against the offline mock, then a second one: it must send nothing."""

from __future__ import annotations

from datetime import date

import live_mock
import responses

from collectors import bigquery_pypi, clickhouse_pypi, conda, npm, pypistats
from collectors.registry import collectors_by_name
from warehouse.families import channel_packages

TODAY = date(2026, 11, 22)
MODULES = (pypistats, clickhouse_pypi, npm, conda, bigquery_pypi)


def _planned(ctx) -> dict[str, int]:
    return {module.SOURCE: len(module.plan(ctx)) for module in MODULES}


def test_collectors_are_registered():
    assert {"pypistats", "clickhouse-pypi", "npm", "conda", "bigquery-pypi"} <= set(
        collectors_by_name()
    )


def test_full_refresh_then_nothing_to_send(ctx, tmp_path, monkeypatch):
    monkeypatch.setenv("CENSUS_CONDA_BASE", str(tmp_path / "conda"))
    # conda history shortened to 2026 (one load per month is slow on a shared runner)
    monkeypatch.setattr(conda, "HISTORY_START", date(2026, 1, 1))
    ctx.options["today"] = TODAY
    months = live_mock.write_conda_months(tmp_path / "conda", date(2026, 1, 1), date(2026, 10, 1))
    fresh = _planned(ctx)
    npm_windows = len(npm.windows(npm.HISTORY_START, date(2026, 11, 21)))
    assert fresh == {
        "pypistats": 3 * len(pypistats.packages()),
        "clickhouse_pypi": len(channel_packages("pypi")),
        "npm": npm_windows * len(channel_packages("npm")),
        "conda": months,
        "bigquery_pypi": 0,  # not configured here: skipped, and it says so
    }
    with responses.RequestsMock() as rsps:
        live_mock.register(rsps, TODAY)
        for module in MODULES:
            module.run(ctx)
        sent = len(rsps.calls)
    assert sent == fresh["pypistats"] + fresh["clickhouse_pypi"] + fresh["npm"]
    assert _planned(ctx) == dict.fromkeys(fresh, 0)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        live_mock.register(rsps, TODAY)
        for module in MODULES:
            assert module.run(ctx) == 0
        assert len(rsps.calls) == 0
    sources = {
        r[0] for r in ctx.con.execute("SELECT DISTINCT source FROM downloads_monthly").fetchall()
    }
    # the mock answers ClickHouse and pypistats with 3 days only: no complete month from them
    assert sources == {"npm", "conda"}


def test_cli_dry_run_lists_requests(tmp_path, capsys, monkeypatch):
    from census.cli import main

    monkeypatch.setenv("CENSUS_CONDA_BASE", str(tmp_path / "conda"))
    code = main(
        [
            "--db",
            str(tmp_path / "w.duckdb"),
            "collect",
            "--dry-run",
            "--raw-dir",
            str(tmp_path / "raw"),
            "npm",
            "pypistats",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    lines = [line for line in out.splitlines() if not line.startswith("#")]
    assert all(line.split("\t")[0] in {"npm", "pypistats"} for line in lines)
    assert f"# {len(lines)} data request(s) in all" in out
    assert len(lines) >= 3 * len(pypistats.packages()) + len(channel_packages("npm"))
