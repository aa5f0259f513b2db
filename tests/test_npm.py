from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
import responses

from census_base.errors import FetchError, ParseError
from collectors import _live, npm
from collectors.raw import read_local

TODAY = date(2026, 11, 22)
TFJS = "https://api.npmjs.org/downloads/range/2026-11-15:2026-11-21/@tensorflow/tfjs"


def test_windows_cover_the_range_in_pieces_under_18_months():
    pieces = npm.windows(date(2018, 1, 1), date(2026, 11, 21))
    assert pieces[0][0] == date(2018, 1, 1)
    assert pieces[-1][1] == date(2026, 11, 21)
    assert all((end - start).days + 1 <= 540 for start, end in pieces)
    assert all(b[0] - a[1] == timedelta(days=1) for a, b in zip(pieces, pieces[1:], strict=False))
    assert len(pieces) == 7


def test_parse_range_reads_days(fixtures):
    raw = read_local("npm", fixtures / "npm" / "2026-11-22-range-tfjs.json")
    rows = npm.parse_range(raw, "@tensorflow/tfjs", date(2026, 11, 15), date(2026, 11, 21))
    assert len(rows) == 7
    assert rows.iloc[3][["download_date", "downloads"]].tolist() == [date(2026, 11, 18), 130455]
    assert rows["mirrors_included"].isna().all()
    assert set(rows["channel"]) == {"npm"}


def test_trailing_zero_days_are_not_processed_yet(fixtures):
    raw = read_local("npm", fixtures / "npm" / "2026-11-22-range-tfjs.json")
    rows = npm.parse_range(raw, "@tensorflow/tfjs", date(2026, 11, 15), date(2026, 11, 21))
    kept = npm.trim(rows, TODAY, fresh=False)
    assert kept["download_date"].max() == date(2026, 11, 19)
    # far from today, a zero day is a real zero and stays
    assert len(npm.trim(rows, date(2027, 6, 1), fresh=False)) == 7
    leading = pd.concat([rows.iloc[5:], rows.iloc[:5]]).assign(
        download_date=[date(2026, 11, 13) + timedelta(days=i) for i in range(7)]
    )
    assert npm.trim(leading, date(2027, 6, 1), fresh=True)["downloads"].iloc[0] == 73512


def test_cut_range_is_detected(fixtures):
    raw = read_local("npm", fixtures / "npm" / "2026-11-22-cut-range.json")
    with pytest.raises(ParseError, match="range cut by the server"):
        npm.parse_range(raw, "@tensorflow/tfjs", date(2024, 6, 1), date(2026, 11, 21))


def test_unknown_package_404_names_the_package(ctx, fixtures, monkeypatch):
    package = "@tensorflow/tfjs-nosuchthing"
    monkeypatch.setattr(npm, "channel_packages", lambda channel: [package])
    ctx.options["today"] = TODAY
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        for request in npm.plan(ctx):
            rsps.add(
                responses.GET,
                request.url,
                status=404,
                body=(fixtures / "npm" / "2026-11-22-not-found.json").read_text(),
            )
        with pytest.raises(_live.SourceFailed, match="tfjs-nosuchthing not found") as failed:
            npm.run(ctx)
        assert len(rsps.calls) == 1  # a 404 is read, not retried
    assert list(failed.value.failures) == [package]
    assert ctx.con.execute("SELECT count(*) FROM package_downloads_daily").fetchone()[0] == 0


def test_error_object_in_a_200_is_an_error(fixtures):
    raw = read_local("npm", fixtures / "npm" / "2026-11-22-not-found.json")
    with pytest.raises(FetchError, match="npm answered an error"):
        npm.parse_range(raw, "@tensorflow/tfjs-nosuchthing", date(2026, 11, 15), TODAY)


def test_scoped_package_goes_unescaped_in_the_path_one_request_per_window(ctx, monkeypatch):
    monkeypatch.setattr(npm, "channel_packages", lambda channel: ["@tensorflow/tfjs"])
    ctx.options["today"] = TODAY
    planned = npm.plan(ctx)
    assert len(planned) == 7
    assert planned[0].url == (
        "https://api.npmjs.org/downloads/range/2018-01-01:2019-06-24/@tensorflow/tfjs"
    )
    assert planned[-1].url.endswith(":2026-11-21/@tensorflow/tfjs")


def test_incremental_refresh_and_empty_window(ctx, fixtures, monkeypatch):
    monkeypatch.setattr(
        npm, "channel_packages", lambda channel: ["@tensorflow/tfjs", "@tensorflow/tfjs-node-gpu"]
    )
    ctx.options["today"] = TODAY
    # pretend the history to 2026-11-14 is stored: the refresh re-pulls the last 3 days
    seed = pd.DataFrame({"download_date": [date(2026, 11, 14)], "downloads": [70000]}).assign(
        source="npm",
        channel="npm",
        series="all",
        mirrors_included=None,
        source_url="seed",
        fetched_at=pd.Timestamp("2026-11-15", tz="UTC"),
        raw_sha256="0",
    )
    from warehouse.load import begin_load

    with begin_load(ctx.con, "npm") as load:
        for package in ("@tensorflow/tfjs", "@tensorflow/tfjs-node-gpu"):
            load.upsert("package_downloads_daily", seed.assign(package=package))
    planned = npm.plan(ctx)
    assert [p.url.split("/range/")[1] for p in planned] == [
        "2026-11-12:2026-11-21/@tensorflow/tfjs",
        "2026-11-12:2026-11-21/@tensorflow/tfjs-node-gpu",
    ]
    with responses.RequestsMock() as rsps:
        tfjs = (fixtures / "npm" / "2026-11-22-range-tfjs.json").read_text()
        rsps.add(responses.GET, planned[0].url, body=tfjs.replace("2026-11-15", "2026-11-12", 1))
        empty = (fixtures / "npm" / "2026-11-22-empty.json").read_text()
        rsps.add(responses.GET, planned[1].url, body=empty.replace("2026-11-15", "2026-11-12"))
        npm.run(ctx)
    latest = ctx.con.execute(
        "SELECT max(date) FROM downloads_daily WHERE package = ?", ["@tensorflow/tfjs"]
    ).fetchone()[0]
    assert latest == date(2026, 11, 19)  # 11-20 and 11-21 are unprocessed zeros
    assert ctx.con.execute(
        "SELECT family, role FROM downloads_daily WHERE package = ? LIMIT 1", ["@tensorflow/tfjs"]
    ).fetchone() == ("tensorflow", "core")
