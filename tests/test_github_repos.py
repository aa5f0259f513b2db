"""GitHub REST collector against recorded responses: ETags, 202s, 404, renames, rate limits."""

from __future__ import annotations

import hashlib
import logging
import math
import re
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import pytest
import responses

from census_base.errors import FetchError, ParseError
from collectors.github_api import RequestTally
from collectors.github_parse import parse_commit_activity, parse_star_history
from collectors.github_repos import (
    activity_url,
    collect,
    contributors_url,
    history_url,
    plan,
    releases_url,
    repo_url,
)
from collectors.http import HttpClient
from collectors.raw import RawResponse
from collectors.repos import TrackedRepo, load_repos

PYTORCH = TrackedRepo("pytorch/pytorch", "torch")
ARCHIVED = TrackedRepo("Theano/Theano", "theano", archived=True)
LAST = "<https://api.github.com/repositories/65600975/contributors?per_page=1&anon=1&page=4213>"


class FakeGitHub:
    """Serves fixture files by URL; answers 304 when If-None-Match matches the body's ETag."""

    def __init__(self, fixtures: Path) -> None:
        self.folder = fixtures / "github_repos"
        self.routes: dict[str, list[tuple[int, dict[str, str], str]]] = {}
        self.seen: list[tuple[str, int]] = []
        self.authorization: list[str | None] = []

    def add(
        self,
        url: str,
        name: str | None,
        status: int = 200,
        headers: dict[str, str] | None = None,
        as_repo: str = "pytorch/pytorch",
    ) -> None:
        body = (self.folder / name).read_text() if name else ""
        body = body.replace('"full_name": "pytorch/pytorch"', f'"full_name": "{as_repo}"')
        self.routes.setdefault(url, []).append((status, headers or {}, body))

    def repo(self, name: str, archived: bool = False) -> None:
        """Every endpoint of one repository, answered from the pytorch fixtures."""
        self.add(repo_url(name), "repos-pytorch-pytorch.json", as_repo=name)
        nxt = f'<{history_url(name, 2)}>; rel="next"'
        self.add(history_url(name, 1), "stargazers-history-page1.json", headers={"Link": nxt})
        self.add(history_url(name, 2), "stargazers-history-page2.json")
        self.add(
            releases_url(name, 1),
            "releases-page1.json",
            headers={"Link": f'<{releases_url(name, 2)}>; rel="next"'},
        )
        self.add(releases_url(name, 2), "releases-page2.json")
        if not archived:
            self.add(
                contributors_url(name),
                "contributors-per-page-1.json",
                headers={"Link": f'{LAST}; rel="last"'},
            )
            self.add(activity_url(name), "commit-activity.json")

    def __call__(self, request):  # responses callback
        queue = self.routes.get(request.url)
        if not queue:
            return (404, {}, '{"message": "Not Found"}')
        status, headers, body = queue.pop(0) if len(queue) > 1 else queue[0]
        etag = '"' + hashlib.sha1(body.encode()).hexdigest() + '"'
        self.seen.append((request.url, status))
        self.authorization.append(request.headers.get("Authorization"))
        if status == 200 and request.headers.get("If-None-Match") == etag:
            self.seen[-1] = (request.url, 304)
            return (304, {"ETag": etag}, "")
        return (status, {"ETag": etag, "Content-Type": "application/json", **headers}, body)


@pytest.fixture
def github(fixtures):
    fake = FakeGitHub(fixtures)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add_callback(responses.GET, re.compile(r"https://api\.github\.com/.*"), callback=fake)
        yield fake


def _rows(con, table: str) -> pd.DataFrame:
    return con.execute(f"SELECT * EXCLUDE (load_id, fetched_at) FROM cur_{table} ORDER BY ALL").df()


def test_collect_stores_every_endpoint(ctx, github):
    github.repo(PYTORCH.name)
    ctx.options["repos"] = (PYTORCH,)
    assert collect(ctx) > 0
    snap = ctx.con.execute(
        "SELECT repo, full_name, stars, forks, open_issues, watchers, licence, "
        "default_branch, archived FROM cur_github_repo_snapshots"
    ).fetchall()
    assert snap == [
        (
            "pytorch/pytorch",
            "pytorch/pytorch",
            104870,
            29310,
            16020,
            1772,
            "NOASSERTION",
            "main",
            False,
        )
    ]
    history = ctx.con.execute(
        "SELECT count(*), sum(stars_added), min(star_date), max(star_date) "
        "FROM cur_github_star_history"
    ).fetchone()
    assert history == (
        49,
        109 + 265 + 270 + 267 + 256 + 252 + 254,
        date(2024, 10, 27),
        date(2024, 12, 14),
    )
    events = ctx.con.execute(
        "SELECT event_date, kind, label, is_major FROM repo_events ORDER BY event_date"
    ).fetchall()
    assert events[0] == (date(2018, 12, 7), "release", "v1.0.0", True)
    assert (date(2024, 9, 10), "prerelease", "v2.5.0-rc1", False) in events
    assert (date(2024, 10, 29), "release", "v2.5.1", False) in events
    counts = ctx.con.execute("SELECT metric, value FROM cur_github_repo_counts").fetchall()
    assert counts == [("contributors", 4213)]
    weeks = ctx.con.execute(
        "SELECT week_start, commits FROM cur_github_commit_activity ORDER BY 1"
    ).fetchall()
    assert weeks[0] == (date(2024, 11, 10), 311)
    monthly = ctx.con.execute(
        "SELECT month, stars, new_stars, new_stars_days FROM repo_stats_monthly "
        "WHERE source = 'github_stars_history' ORDER BY month"
    ).fetchall()
    # October holds only the last five days read (Oct 27-31); totals are what was read
    assert monthly[0] == (date(2024, 10, 1), 23 + 44 + 48 + 42 + 39, 196, 31)
    assert monthly[-1][1] == history[1]


def test_second_unchanged_refresh_is_all_304(ctx, github):
    github.repo(PYTORCH.name)
    github.repo(ARCHIVED.name, archived=True)
    ctx.options["repos"] = (PYTORCH, ARCHIVED)
    planned = plan(ctx)
    collect(ctx)
    first = ctx.options.pop("github_tally")
    before = _rows(ctx.con, "github_star_history")
    # the first plan cannot know the second history and releases page of each repository
    assert first.sent == len(github.seen) == len(planned) + 4
    assert first.not_modified == 0
    second_plan = plan(ctx)  # now incremental: one history page, one releases page
    assert len(second_plan) == 5 + 3
    assert collect(ctx) == 0  # nothing new or changed
    second: RequestTally = ctx.options["github_tally"]
    assert second.not_modified == second.sent == len(second_plan)
    assert second.charged == 0
    pd.testing.assert_frame_equal(before, _rows(ctx.con, "github_star_history"))


def test_commit_activity_202_then_200(ctx, github, sleeps):
    github.repo(PYTORCH.name)
    github.routes[activity_url(PYTORCH.name)] = [
        (202, {}, "{}"),
        (202, {}, "{}"),
        (200, {}, (github.folder / "commit-activity.json").read_text()),
    ]
    ctx.options["repos"] = (PYTORCH,)
    collect(ctx)
    assert [s for u, s in github.seen if u.endswith("commit_activity")] == [202, 202, 200]
    assert [s for s in sleeps if s >= 0.5] == [0.5, 1.0]  # backoff (others: per-host pacing)
    assert ctx.con.execute("SELECT count(*) FROM github_commit_activity").fetchone() == (3,)


def test_commit_activity_gives_up_without_zeros(ctx, github, caplog):
    github.repo(PYTORCH.name)
    github.routes[activity_url(PYTORCH.name)] = [(202, {}, "{}")]
    ctx.options["repos"] = (PYTORCH,)
    with caplog.at_level(logging.WARNING):
        collect(ctx)
    assert "still computing" in caplog.text
    assert ctx.con.execute("SELECT count(*) FROM github_commit_activity").fetchone() == (0,)
    assert ctx.con.execute("SELECT count(*) FROM github_repo_snapshots").fetchone() == (1,)
    # the give-up is recorded as a flag for the repository and day, not raised as an error
    flags = ctx.con.execute(
        "SELECT source, subject, kind, period_start = period_end, note FROM data_flags"
    ).fetchall()
    assert len(flags) == 1
    source, subject, kind, one_day, note = flags[0]
    assert (source, subject, kind, one_day) == (
        "github_repos",
        "pytorch/pytorch",
        "not_computed",
        True,
    )
    assert "not computed the commit activity statistics yet (HTTP 202" in note
    assert "absent, not zero" in note


def test_commit_activity_202_body_is_not_computed_not_a_parse_error(fixtures):
    url = activity_url(PYTORCH.name)
    body = (fixtures / "github_repos" / "stats-computing.json").read_bytes()
    for status in (202, 200):  # 200 {}: a replayed or cached answer of the same body
        raw = RawResponse("github_repos", url, status, body, datetime(2026, 11, 22, tzinfo=UTC))
        with pytest.raises(FetchError, match="not computed by GitHub yet") as info:
            parse_commit_activity(raw, PYTORCH.name)
        assert info.value.status == 202


def test_contributors_too_large_is_skipped(ctx, github, caplog):
    github.repo(PYTORCH.name)
    github.routes[contributors_url(PYTORCH.name)] = [
        (403, {}, (github.folder / "contributors-too-large.json").read_text())
    ]
    ctx.options["repos"] = (PYTORCH,)
    with caplog.at_level(logging.WARNING):
        collect(ctx)
    assert "too large" in caplog.text
    assert ctx.con.execute("SELECT count(*) FROM github_repo_counts").fetchone() == (0,)


def test_404_repository_fails_alone(ctx, github):
    missing = TrackedRepo("example/deleted", "other")
    github.add(repo_url(missing.name), "repos-not-found.json", status=404)
    github.repo(PYTORCH.name)
    ctx.options["repos"] = (missing, PYTORCH)
    with pytest.raises(FetchError, match="example/deleted.*not found"):
        collect(ctx)
    assert ctx.con.execute("SELECT DISTINCT repo FROM github_repo_snapshots").fetchall() == [
        ("pytorch/pytorch",)
    ]


def test_renamed_repository_follows_redirect(ctx, github, caplog):
    old = TrackedRepo("google/jax", "jax", archived=True)
    github.add(
        repo_url(old.name),
        None,
        status=301,
        headers={"Location": "https://api.github.com/repositories/154739597"},
    )
    github.add("https://api.github.com/repositories/154739597", "repos-google-jax-renamed.json")
    github.add(history_url(old.name, 1), "stargazers-history-page2.json")
    github.add(releases_url(old.name, 1), "releases-page2.json")
    ctx.options["repos"] = (old,)
    with caplog.at_level(logging.WARNING):
        collect(ctx)
    assert "answers as jax-ml/jax" in caplog.text
    row = ctx.con.execute("SELECT repo, full_name, stars FROM cur_github_repo_snapshots").fetchone()
    assert row == ("google/jax", "jax-ml/jax", 33150)


def test_rate_limit_exhaustion_stops_and_keeps_earlier(ctx, github):
    github.repo(PYTORCH.name)
    later = TrackedRepo("tensorflow/tensorflow", "tensorflow")
    reset = str(int(time.time()) + 3600)
    github.add(
        repo_url(later.name),
        "rate-limit-exceeded.json",
        status=403,
        headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset},
    )
    ctx.options["repos"] = (PYTORCH, later, ARCHIVED)
    with pytest.raises(FetchError, match="rate limited"):
        collect(ctx)
    assert ctx.con.execute("SELECT DISTINCT repo FROM github_repo_snapshots").fetchall() == [
        ("pytorch/pytorch",)
    ]
    assert not any("Theano" in url for url, _ in github.seen)  # stopped, not hammering on


def test_rate_limit_short_wait_is_honoured(ctx, github, sleeps):
    github.repo(PYTORCH.name)
    reset = str(int(time.time()) + 40)
    github.routes[repo_url(PYTORCH.name)].insert(
        0,
        (
            403,
            {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset},
            (github.folder / "rate-limit-exceeded.json").read_text(),
        ),
    )
    ctx.options["repos"] = (PYTORCH,)
    collect(ctx)
    assert any(30 <= s <= 41 for s in sleeps)
    assert ctx.con.execute("SELECT count(*) FROM github_repo_snapshots").fetchone() == (1,)


def test_token_is_sent_but_never_stored(ctx, github, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_secretvalue123")
    github.repo(PYTORCH.name)
    ctx.options["repos"] = (PYTORCH,)
    collect(ctx)
    stored = "".join(p.read_text(errors="replace") for p in ctx.raw_root.rglob("*") if p.is_file())
    assert "ghp_secretvalue123" not in stored
    assert set(github.authorization) == {"Bearer ghp_secretvalue123"}


def test_history_days_must_add_up(fixtures):
    body = (fixtures / "github_repos" / "stargazers-history-bad-days.json").read_bytes()
    raw = RawResponse(
        "github_repos",
        "https://api.github.com/x/stargazers/history",
        200,
        body,
        pd.Timestamp.now(tz="UTC").to_pydatetime(),
    )
    with pytest.raises(ParseError, match="do not add up"):
        parse_star_history(raw, "x/y")


def test_plan_for_the_default_repositories(ctx):
    repos = load_repos()
    planned = plan(ctx)
    assert len(planned) == sum(3 if r.archived else 5 for r in repos)
    assert {p.url for p in planned if p.url.endswith("/stats/commit_activity")} == {
        activity_url(r.name) for r in repos if not r.archived
    }


def test_plan_estimates_history_pages_from_created_at(ctx):
    ctx.options["repos"] = (PYTORCH,)
    ctx.con.execute(
        "INSERT INTO _loads VALUES ('x', 'github_repos', now(), now(), 'ok', 1, '{}', NULL, NULL)"
    )
    ctx.con.execute(
        "INSERT INTO github_repo_snapshots (repo, observed_date, full_name, stars, forks, "
        "open_issues, created_at, source, source_url, fetched_at, raw_sha256, load_id) VALUES "
        "('pytorch/pytorch', current_date, 'pytorch/pytorch', 1, 1, 1, "
        "now() - INTERVAL 3000 DAY, 'github_repos', 'u', now(), 's', 'x')"
    )
    history = [p for p in plan(ctx) if "stargazers/history" in p.url]
    assert len(history) == math.ceil(3000 / 7 / 30)  # 30 weeks per page


def test_replay_answers_from_the_archive(ctx, github):
    github.repo(PYTORCH.name)
    ctx.options["repos"] = (PYTORCH,)
    collect(ctx)
    collect(ctx)  # the archive now also holds 304 answers
    github.routes.clear()  # the fake server answers nothing any more
    ctx.http = HttpClient(ctx.raw_root, replay=True)
    ctx.options.pop("github_tally")
    assert collect(ctx) == 0
    assert ctx.options["github_tally"].sent == 0  # nothing went over the network
