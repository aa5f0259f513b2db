from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime

import pytest
import responses

from census_base.errors import FetchError
from collectors import _live, pypistats

TODAY = date(2026, 11, 22)
URL = "https://pypistats.org/api/packages/{package}/{endpoint}"


@pytest.fixture
def one_package(monkeypatch):
    monkeypatch.setattr(pypistats, "packages", lambda: ["torch"])


def _serve(rsps, fixtures, package="torch"):
    for endpoint in ("overall", "python_minor", "system"):
        body = (fixtures / "pypistats" / f"2026-11-22-{endpoint}-{package}.json").read_text()
        rsps.add(
            responses.GET,
            URL.format(package=package, endpoint=endpoint),
            body=body,
            content_type="application/json",
        )


def test_parse_overall_keeps_both_series(fixtures):
    from collectors.raw import read_local

    raw = read_local("pypistats", fixtures / "pypistats" / "2026-11-22-overall-torch.json")
    rows = pypistats.parse_overall(raw, "torch")
    assert len(rows) == 8
    last = rows[rows["download_date"] == date(2026, 11, 21)].set_index("series")
    assert last.loc["with_mirrors", "downloads"] == 1299517
    assert last.loc["without_mirrors", "downloads"] == 1288309
    assert bool(last.loc["with_mirrors", "mirrors_included"]) is True
    assert bool(last.loc["without_mirrors", "mirrors_included"]) is False
    assert set(rows["channel"]) == {"pypi"}


def test_collect_stores_daily_and_breakdowns_then_sends_nothing(ctx, fixtures, one_package):
    ctx.options["today"] = TODAY
    assert len(pypistats.plan(ctx)) == 3
    with responses.RequestsMock() as rsps:
        _serve(rsps, fixtures)
        written = pypistats.run(ctx)
        assert len(rsps.calls) == 3
    assert written == 8 + 6 + 4
    daily = ctx.con.execute(
        "SELECT date, downloads, mirrors_included FROM downloads_daily "
        "WHERE source = 'pypistats' AND series = 'without_mirrors' "
        "ORDER BY date"
    ).fetchall()
    assert daily[-1] == (date(2026, 11, 21), 1288309, False)
    share = ctx.con.execute(
        "SELECT share_of_day FROM pypi_download_breakdowns "
        "WHERE dimension = 'system' AND category = 'Linux'"
    ).fetchone()[0]
    assert share == pytest.approx(1190871 / (41233 + 1190871 + 54512 + 1693))
    # the warehouse now reaches yesterday: a refresh plans and sends nothing
    assert pypistats.plan(ctx) == []
    with responses.RequestsMock() as rsps:
        assert pypistats.run(ctx) == 0
        assert len(rsps.calls) == 0


def test_endpoint_fetched_at_most_once_a_day(ctx, fixtures, one_package):
    # Upstream is late (the newest day is 2026-11-20, before yesterday on any run date from
    # 2026-11-22): the data is not current, yet an endpoint fetched today is not asked again.
    ctx.options["today"] = datetime.now(UTC).date()
    with responses.RequestsMock() as rsps:
        for endpoint in ("overall", "python_minor", "system"):
            body = json.loads(
                (fixtures / "pypistats" / f"2026-11-22-{endpoint}-torch.json").read_text()
            )
            body["data"] = [r for r in body["data"] if r["date"] <= "2026-11-20"]
            rsps.add(responses.GET, URL.format(package="torch", endpoint=endpoint), json=body)
        pypistats.run(ctx)
    assert not _live.is_current(_live.daily_high_water(ctx.con, "pypistats", "torch"), ctx)
    assert pypistats.plan(ctx) == []
    shutil.rmtree(ctx.raw_root / "pypistats")  # without today's archive it would ask again
    assert len(pypistats.plan(ctx)) == 3


def test_429_with_retry_after_is_honoured(ctx, fixtures, one_package, sleeps):
    ctx.options["today"] = TODAY
    with responses.RequestsMock() as rsps:
        overall = URL.format(package="torch", endpoint="overall")
        rsps.add(
            responses.GET,
            overall,
            status=429,
            headers={"Retry-After": "17"},
            body=(fixtures / "pypistats" / "429.html").read_text(),
        )
        _serve(rsps, fixtures)
        pypistats.run(ctx)
    assert 17.0 in sleeps
    assert ctx.con.execute("SELECT count(*) FROM downloads_daily").fetchone()[0] == 8


def test_changed_page_in_a_200_is_an_error_and_stores_nothing(ctx, fixtures, one_package):
    ctx.options["today"] = TODAY
    with responses.RequestsMock() as rsps:
        rsps.add(
            responses.GET,
            URL.format(package="torch", endpoint="overall"),
            body=(fixtures / "pypistats" / "changed-page.html").read_text(),
            content_type="text/html",
        )
        with pytest.raises(_live.SourceFailed, match="torch.*not valid JSON"):
            pypistats.run(ctx)
    assert ctx.con.execute("SELECT count(*) FROM package_downloads_daily").fetchone()[0] == 0


def test_truncated_body_is_an_error(ctx, fixtures, one_package):
    ctx.options["today"] = TODAY
    body = (fixtures / "pypistats" / "2026-11-22-overall-torch.json").read_text()[:200]
    with responses.RequestsMock() as rsps:
        rsps.add(responses.GET, URL.format(package="torch", endpoint="overall"), body=body)
        with pytest.raises(_live.SourceFailed, match="truncated or changed"):
            pypistats.run(ctx)


def test_partial_failure_keeps_other_packages(ctx, fixtures, monkeypatch):
    monkeypatch.setattr(pypistats, "packages", lambda: ["nosuchpackage", "torch"])
    ctx.options["today"] = TODAY
    with responses.RequestsMock() as rsps:
        rsps.add(
            responses.GET,
            URL.format(package="nosuchpackage", endpoint="overall"),
            status=404,
            body=(fixtures / "pypistats" / "404.html").read_text(),
        )
        _serve(rsps, fixtures)
        with pytest.raises(_live.SourceFailed) as failed:
            pypistats.run(ctx)
    assert list(failed.value.failures) == ["nosuchpackage"]
    assert "HTTP 404" in str(failed.value)
    stored = ctx.con.execute("SELECT DISTINCT package FROM downloads_daily").fetchall()
    assert stored == [("torch",)]
    # the failed package is asked again, the loaded one is not
    assert [r.url.split("/")[-2] for r in pypistats.plan(ctx)] == ["nosuchpackage"] * 3


def test_wrong_package_in_answer_is_a_parse_error(ctx, fixtures, monkeypatch):
    monkeypatch.setattr(pypistats, "packages", lambda: ["tensorflow"])
    ctx.options["today"] = TODAY
    with responses.RequestsMock() as rsps:
        rsps.add(
            responses.GET,
            URL.format(package="tensorflow", endpoint="overall"),
            body=(fixtures / "pypistats" / "2026-11-22-overall-torch.json").read_text(),
        )
        with pytest.raises(_live.SourceFailed, match="answer is for package 'torch'"):
            pypistats.run(ctx)


def test_unexpected_http_error_raises_fetch_error(http):
    with responses.RequestsMock() as rsps:
        rsps.add(responses.GET, "https://pypistats.org/api/packages/torch/overall", status=403)
        with pytest.raises(FetchError, match="HTTP 403"):
            http.get("pypistats", "https://pypistats.org/api/packages/torch/overall")
