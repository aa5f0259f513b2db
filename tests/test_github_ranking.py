"""Github-Ranking ingest: CRLF/LF files, renames to one identity, absent days missing not zero."""

from __future__ import annotations

import time
from datetime import date

import pandas as pd
import pytest
import responses

from census.cli import main
from census_base.errors import ParseError
from collectors.github_ranking import ingest, parse_ranking
from collectors.raw import read_local


def _monthly(con, repo: str) -> pd.DataFrame:
    return con.execute(
        "SELECT month, observed_date, stars, forks, open_issues, new_stars, new_stars_days, flags "
        "FROM repo_stats_monthly WHERE repo = ? AND source = 'github_ranking' ORDER BY month",
        [repo],
    ).df()


def test_parse_crlf_file_maps_former_names(fixtures):
    path = fixtures / "github_ranking" / "github-ranking-2019-01-02.csv"
    assert b"\r\n" in path.read_bytes()
    rows = parse_ranking(read_local("github_ranking", path))
    assert sorted(rows["repo"]) == [
        "jax-ml/jax",
        "keras-team/keras",
        "pytorch/pytorch",
        "tensorflow/tensorflow",
    ]
    keras = rows[rows["repo"] == "keras-team/keras"].iloc[0]
    assert keras[
        ["listed_as", "list_name", "list_rank", "stars", "forks", "open_issues"]
    ].tolist() == ["fchollet/keras", "top-100-stars", 74, 36800, 14000, 2030]
    assert keras["observed_date"] == date(2019, 1, 2)
    assert keras["pushed_at"] == pd.Timestamp("2019-01-01T21:37:33Z")
    assert set(rows["rows_in_file"]) == {5}


def test_ingest_monthly_values_absent_is_missing(ctx, fixtures):
    assert ingest(ctx, str(fixtures / "github_ranking")) > 0
    tf = _monthly(ctx.con, "tensorflow/tensorflow")
    # two lists on 2019-02-01 disagree by one star: the list fetched last (pushed_at) wins
    assert tf["stars"].tolist() == [117500, 118401, 119300]
    pytorch = _monthly(ctx.con, "pytorch/pytorch")
    assert pytorch["new_stars"].tolist()[:2] == [24350 - 23300, 25246 - 24350]
    assert pytorch["new_stars_days"].tolist()[:2] == [30, 28]
    assert pd.isna(pytorch["new_stars"].iloc[-1])  # no later observation
    jax = _monthly(ctx.con, "jax-ml/jax")
    assert jax["month"].dt.strftime("%Y-%m").tolist() == ["2019-01", "2019-03"]  # Feb: no row
    assert jax["stars"].tolist() == [4646, 5300]
    assert jax["new_stars"].isna().all()  # never computed across the missing month
    flags = ctx.con.execute(
        "SELECT subject, period FROM data_flags WHERE source = 'github_ranking' "
        "AND kind = 'missing_period' ORDER BY subject"
    ).fetchall()
    assert flags == [
        ("jax-ml/jax", "2019-02-01..2019-02-28"),
        ("keras-team/keras", "2019-03-01..2019-03-31"),
    ]


def test_renames_are_events_and_one_identity(ctx, fixtures):
    ingest(ctx, str(fixtures / "github_ranking"))
    events = ctx.con.execute(
        "SELECT repo, event_date, kind, label, last_seen_before FROM repo_events ORDER BY repo"
    ).fetchall()
    assert events == [
        ("jax-ml/jax", date(2019, 3, 1), "rename", "google/jax -> jax-ml/jax", date(2019, 1, 2)),
        (
            "keras-team/keras",
            date(2019, 2, 1),
            "rename",
            "fchollet/keras -> keras-team/keras",
            date(2019, 1, 2),
        ),
    ]
    repos = ctx.con.execute("SELECT DISTINCT repo FROM repo_stats_monthly").fetchall()
    assert ("google/jax",) not in repos
    assert ("fchollet/keras",) not in repos


def test_reload_is_idempotent(ctx, fixtures):
    ingest(ctx, str(fixtures / "github_ranking"))
    before = ctx.con.execute("SELECT * EXCLUDE (load_id) FROM repo_stats_monthly ORDER BY ALL").df()
    assert ingest(ctx, str(fixtures / "github_ranking")) == 0
    after = ctx.con.execute("SELECT * EXCLUDE (load_id) FROM repo_stats_monthly ORDER BY ALL").df()
    pd.testing.assert_frame_equal(before, after)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("github-ranking-2019-05-01.csv", "unexpected header"),
        ("github-ranking-2019-06-01.csv", "non-integer count"),
        ("github-ranking-2019-07-01.csv", "no data rows"),
        ("github-ranking-2019-08-01.csv", "truncated"),
    ],
)
def test_bad_files_name_the_input_and_store_nothing(ctx, fixtures, name, reason):
    path = fixtures / "github_ranking_bad" / name
    with pytest.raises(ParseError, match=reason) as info:
        ingest(ctx, str(path))
    assert name in str(info.value)
    assert ctx.con.execute("SELECT count(*) FROM github_ranking_rows").fetchone() == (0,)


def test_cli_ingest(tmp_path, fixtures):
    db = tmp_path / "w.duckdb"
    code = main(["--db", str(db), "ingest", "github-ranking", str(fixtures / "github_ranking")])
    assert code == 0


@pytest.mark.shared_data
def test_ingest_all_shared_files(ctx, shared_data):
    started = time.monotonic()
    ingest(ctx, str(shared_data / "github-ranking"))
    seconds = time.monotonic() - started
    con = ctx.con
    days = con.execute(
        "SELECT count(*), min(observed_date), max(observed_date) FROM cur_github_ranking_days"
    ).fetchone()
    assert days == (90, date(2018, 12, 18), date(2026, 8, 1))  # 90 monthly + 2 repeated in full/
    # values checked by hand against the raw files (and NOTES.md section 2)
    pytorch = _monthly(con, "pytorch/pytorch").set_index("month")
    assert pytorch.loc["2018-12-01", ["stars", "forks", "open_issues"]].tolist() == [
        22867,
        5409,
        2330,
    ]
    tf = _monthly(con, "tensorflow/tensorflow").set_index("month")
    assert tf.loc["2026-08-01", ["stars", "forks", "open_issues"]].tolist() == [196636, 75741, 807]
    assert tf.loc["2025-03-01", "stars"] == 188357
    keras = _monthly(con, "keras-team/keras").set_index("month")
    assert pd.Timestamp("2024-01-01") not in keras.index  # absent that day: missing, not zero
    assert keras.loc["2026-08-01", "stars"] == 64191
    assert con.execute("SELECT count(*) FROM repo_stats_monthly WHERE stars = 0").fetchone() == (0,)
    mxnet = con.execute("SELECT label FROM repo_events WHERE kind = 'rename'").fetchall()
    assert mxnet == [("apache/incubator-mxnet -> apache/mxnet",)]
    jax = con.execute(
        "SELECT count(*) FROM repo_stats_monthly WHERE repo = 'jax-ml/jax'"
    ).fetchone()
    assert jax[0] > 0
    assert seconds < 30


@responses.activate
def test_ingest_from_url(ctx, fixtures):
    url = (
        "https://raw.githubusercontent.com/EvanLi/Github-Ranking/master/Data/"
        "github-ranking-2019-01-02.csv"
    )
    responses.get(
        url, body=(fixtures / "github_ranking" / "github-ranking-2019-01-02.csv").read_bytes()
    )
    assert ingest(ctx, url) > 0
    row = ctx.con.execute(
        "SELECT source_url, stars FROM cur_github_ranking_rows WHERE repo = 'jax-ml/jax'"
    ).fetchone()
    assert row == (url, 4646)
