from __future__ import annotations

from datetime import UTC, date, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
import responses

from census_base.errors import FetchError
from collectors import _live, clickhouse_pypi, top_pypi

TODAY = date(2026, 11, 22)


@pytest.fixture
def one_package(monkeypatch):
    monkeypatch.setattr(clickhouse_pypi, "channel_packages", lambda channel: ["torch"])


def test_query_binds_values_as_parameters():
    url = clickhouse_pypi.query_url("torch", date(2016, 1, 1), TODAY)
    query = parse_qs(urlsplit(url).query)
    assert query["param_project"] == ["torch"]
    assert query["param_since"] == ["2016-01-01"]
    assert query["param_until"] == ["2026-11-22"]
    assert query["user"] == ["demo"]
    assert query["default_format"] == ["JSON"]
    sql = query["query"][0]
    assert "{project:String}" in sql
    assert "sum(count)" in sql
    assert "torch" not in sql
    assert "2016" not in sql


def test_fresh_then_current(ctx, fixtures, one_package):
    ctx.options["today"] = TODAY
    (planned,) = clickhouse_pypi.plan(ctx)
    assert "param_since=2016-01-01" in planned.url
    with responses.RequestsMock() as rsps:
        rsps.add(
            responses.GET,
            planned.url,
            body=(fixtures / "clickhouse_pypi" / "2026-11-22-torch-recent.json").read_text(),
        )
        assert clickhouse_pypi.run(ctx) == 3
    rows = ctx.con.execute(
        "SELECT date, downloads, mirrors_included FROM downloads_daily "
        "WHERE source = 'clickhouse_pypi' ORDER BY date"
    ).fetchall()
    assert rows[0] == (date(2026, 11, 19), 2211034, True)
    assert rows[-1] == (date(2026, 11, 21), 1503311, True)
    assert clickhouse_pypi.plan(ctx) == []
    # the next day re-pulls the trailing days (late merges upstream), not the history
    ctx.options["today"] = date(2026, 11, 24)
    (planned,) = clickhouse_pypi.plan(ctx)
    assert "param_since=2026-11-19" in planned.url
    assert "param_until=2026-11-24" in planned.url


def test_error_inside_a_200_is_detected_and_nothing_stored(ctx, fixtures, one_package):
    ctx.options["today"] = TODAY
    (planned,) = clickhouse_pypi.plan(ctx)
    with responses.RequestsMock() as rsps:
        rsps.add(
            responses.GET,
            planned.url,
            status=200,
            body=(fixtures / "clickhouse_pypi" / "2026-11-22-error-in-200.txt").read_text(),
        )
        with pytest.raises(_live.SourceFailed, match="inside HTTP 200: Code: 241.*MEMORY_LIMIT"):
            clickhouse_pypi.run(ctx)
    assert ctx.con.execute("SELECT count(*) FROM package_downloads_daily").fetchone()[0] == 0
    status = ctx.con.execute("SELECT status FROM _loads").fetchall()
    assert status == []  # the failure came before the load began


def test_error_500_is_reported_without_retries(ctx, fixtures, one_package, sleeps):
    ctx.options["today"] = TODAY
    (planned,) = clickhouse_pypi.plan(ctx)
    with responses.RequestsMock() as rsps:
        rsps.add(
            responses.GET,
            planned.url,
            status=500,
            body=(fixtures / "clickhouse_pypi" / "2026-11-22-error-500.txt").read_text(),
        )
        with pytest.raises(_live.SourceFailed, match="TOO_MANY_BYTES"):
            clickhouse_pypi.run(ctx)
        assert len(rsps.calls) == 1
    assert sleeps == []


def test_empty_window_stores_nothing_without_error(ctx, fixtures, one_package):
    ctx.options["today"] = datetime.now(UTC).date()  # the archive is dated by the real clock
    (planned,) = clickhouse_pypi.plan(ctx)
    with responses.RequestsMock() as rsps:
        rsps.add(
            responses.GET,
            planned.url,
            body=(fixtures / "clickhouse_pypi" / "2026-11-22-empty.json").read_text(),
        )
        assert clickhouse_pypi.run(ctx) == 0
    assert ctx.con.execute("SELECT count(*) FROM package_downloads_daily").fetchone()[0] == 0
    # nothing came back, so the package is not current; but it was asked today: not again
    assert clickhouse_pypi.plan(ctx) == []


def test_rows_count_mismatch_is_a_parse_error(fixtures):
    from collectors.raw import RawResponse

    text = (fixtures / "clickhouse_pypi" / "2026-11-22-torch-recent.json").read_text()
    raw = RawResponse(
        "clickhouse_pypi", "https://x/", 200, text.replace('"rows": 3', '"rows": 5').encode(), TODAY
    )
    with pytest.raises(Exception, match="'rows' says 5 but 3 rows arrived"):
        clickhouse_pypi.parse_daily(raw, "torch")
    raw = RawResponse(
        "clickhouse_pypi",
        "https://x/",
        200,
        b"Code: 60. DB::Exception: Unknown "
        b"table expression identifier 'pypi.nope'. (UNKNOWN_TABLE)",
        TODAY,
    )
    with pytest.raises(FetchError, match="UNKNOWN_TABLE"):
        clickhouse_pypi.parse_daily(raw, "torch")


def _load_march(ctx, fixtures, package):
    unit = _live.Unit(
        package,
        (
            clickhouse_pypi.PlannedRequest(
                "clickhouse_pypi",
                "GET",
                clickhouse_pypi.query_url(package, date(2026, 3, 2), date(2026, 4, 1)),
                "march",
            ),
        ),
        date(2026, 3, 2),
    )
    with responses.RequestsMock() as rsps:
        rsps.add(
            responses.GET,
            unit.requests[0].url,
            body=(fixtures / "clickhouse_pypi" / f"2026-04-02-{package}-2026-03.json").read_text(),
        )
        return clickhouse_pypi.collect_package(ctx, unit)


def test_overlap_with_the_archive_agrees_or_is_flagged(ctx, fixtures):
    top_pypi.ingest(ctx, str(fixtures / "top_pypi_single" / "top-pypi-packages-2026-04-01.json"))
    _load_march(ctx, fixtures, "torch")
    _load_march(ctx, fixtures, "tensorflow")
    overlap = ctx.con.execute(
        "SELECT package, archive_downloads, live_downloads, relative_difference, "
        "within_tolerance FROM pypi_source_overlap ORDER BY package"
    ).fetchall()
    # torch: 60,000,000 vs 60,300,000 (+0.5 %); tensorflow: 12,000,000 vs 13,500,000 (+12.5 %)
    assert overlap[0][:3] == ("tensorflow", 12000000, 13500000)
    assert overlap[0][3] == pytest.approx(0.125)
    assert overlap[0][4] is False
    assert overlap[1][:3] == ("torch", 60000000, 60300000)
    assert overlap[1][3] == pytest.approx(0.005)
    assert overlap[1][4] is True
    flags = ctx.con.execute(
        "SELECT source, subject, period, kind, note FROM data_flags "
        "WHERE kind = 'source_disagreement' ORDER BY source"
    ).fetchall()
    assert [(f[0], f[1], f[2]) for f in flags] == [
        ("clickhouse_pypi", "tensorflow", "2026-03-02..2026-03-31"),
        ("top_pypi", "tensorflow", "2026-03-02..2026-03-31"),
    ]
    assert "+12.5%" in flags[0][4]
    # the flag reaches the monthly rows of both sources
    monthly = dict(
        ctx.con.execute(
            "SELECT source, flags FROM downloads_monthly WHERE package = 'tensorflow' "
            "AND month = DATE '2026-03-01'"
        ).fetchall()
    )
    assert "source_disagreement" in monthly["top_pypi"]
    # re-running the check stores nothing new
    assert clickhouse_pypi.flag_overlaps(ctx, "clickhouse_pypi", "tensorflow") == 0
