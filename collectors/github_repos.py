"""Repository statistics from the GitHub REST API, for the repositories in ``repos.toml``.

``census collect github-repos`` reads per repository: metadata (stars, forks, open issues,
watchers, created/pushed dates, licence, default branch), the weekly ``/stargazers/history``
(the per-stargazer listing is closed to non-collaborators since 2026-06-30), releases, the
contributor count and the weekly commit activity. Each repository is one load: a repository
that fails (404, rate limit) leaves the others stored. Every GET is conditional (ETag), so an
unchanged resource answers 304 and is re-parsed from the archive. The statistics endpoints
answer 202 while GitHub computes them: we retry with backoff and then give up, storing no
activity for that endpoint (never zeros in place of data) and a ``not_computed`` quality flag
for the repository and day, so the gap is recorded rather than only logged.
"""

from __future__ import annotations

import hashlib
import logging
import math
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pandas as pd

from census_base.errors import FetchError, ParseError, RateLimitError
from collectors.github_api import API, get_conditional, links, tally_of
from collectors.github_parse import (
    parse_commit_activity,
    parse_contributors,
    parse_releases,
    parse_repo,
    parse_star_history,
)
from collectors.http import RETRY_STATUSES
from collectors.raw import RawResponse
from collectors.registry import Collector, PlannedRequest, RunContext
from collectors.repos import TrackedRepo, load_repos, tracked_repos_frame
from warehouse.load import SourceInfo, store

log = logging.getLogger(__name__)

SOURCE = "github_repos"
SOURCE_INFO = SourceInfo(
    name=SOURCE,
    description="GitHub REST API: repository metadata, weekly star history (retained stars), "
    "releases, contributor count and weekly commit activity of the tracked repositories.",
    licence="GitHub API data; GitHub Terms of Service (API use), repository content under each "
    "repository's licence.",
    citation="GitHub REST API (api.github.com/repos/{owner}/{repo}, /stargazers/history, "
    "/releases, /contributors, /stats/commit_activity), fetched by framework-census.",
    upstream_url="https://docs.github.com/rest",
)
HISTORY_PER_PAGE = 30  # the endpoint's maximum; `page` stops at 100
HISTORY_MAX_PAGES = 100
RELEASES_PER_PAGE = 100
OVERLAP = timedelta(days=14)  # re-read two weeks before the high-water mark (late unstars)
STATS_RETRY = RETRY_STATUSES | {202}


def repo_url(repo: str) -> str:
    return f"{API}/repos/{repo}"


def history_url(repo: str, page: int) -> str:
    return f"{API}/repos/{repo}/stargazers/history?per_page={HISTORY_PER_PAGE}&page={page}"


def releases_url(repo: str, page: int) -> str:
    return f"{API}/repos/{repo}/releases?per_page={RELEASES_PER_PAGE}&page={page}"


def contributors_url(repo: str) -> str:
    return f"{API}/repos/{repo}/contributors?per_page=1&anon=1"


def activity_url(repo: str) -> str:
    return f"{API}/repos/{repo}/stats/commit_activity"


def high_water(ctx: RunContext, repo: str) -> date | None:
    row = ctx.con.execute(
        "SELECT max(star_date) FROM cur_github_star_history WHERE repo = ?", [repo]
    ).fetchone()
    return row[0] if row else None


def fetch_star_history(ctx: RunContext, repo: str) -> list[RawResponse]:
    """Pages newest-first until the first week, page 100, or two weeks before the stored mark."""
    mark = high_water(ctx, repo)
    pages = []
    for page in range(1, HISTORY_MAX_PAGES + 1):
        raw = get_conditional(ctx, SOURCE, history_url(repo, page))
        pages.append(raw)
        frame = parse_star_history(raw, repo)
        if "next" not in links(raw) or frame.empty:
            break
        if mark is not None and frame["star_date"].min() <= mark - OVERLAP:
            break
    else:
        log.warning(
            "%s: star history has more than %d pages; older weeks not read", repo, HISTORY_MAX_PAGES
        )
    return pages


def fetch_releases(ctx: RunContext, repo: str) -> list[RawResponse]:
    """Pages newest-first until a page holds a tag already stored (or the last page)."""
    known = {
        r[0]
        for r in ctx.con.execute(
            "SELECT tag_name FROM cur_github_releases WHERE repo = ?", [repo]
        ).fetchall()
    }
    pages, page = [], 1
    while True:
        raw = get_conditional(ctx, SOURCE, releases_url(repo, page))
        pages.append(raw)
        tags = set(parse_releases(raw, repo)["tag_name"])
        if "next" not in links(raw) or tags & known:
            return pages
        page += 1


def not_computed_flag(repo: str, what: str, exc: FetchError) -> pd.DataFrame:
    """A ``quality_flags`` row: GitHub had not computed ``what`` on the day we asked."""
    now = datetime.now(UTC)
    note = (
        f"GitHub had not computed the {what} statistics yet (HTTP 202 after every retry); "
        "nothing stored for that day: absent, not zero. A later refresh fills it."
    )
    return pd.DataFrame(
        [
            {
                "source": SOURCE,
                "subject": repo,
                "period_start": now.date(),
                "period_end": now.date(),
                "kind": "not_computed",
                "note": note,
                "source_url": exc.url,
                "fetched_at": now,
                # the 202 answer is not archived (only accepted responses are): hash the reason
                "raw_sha256": hashlib.sha256(str(exc).encode()).hexdigest(),
            }
        ]
    )


def _optional(
    what: str,
    repo: str,
    fetch: Callable[[], pd.DataFrame],
    flags: list[pd.DataFrame] | None = None,
) -> pd.DataFrame | None:
    """Statistics that may be unavailable: log why, store nothing (202: flag it), go on."""
    try:
        return fetch()
    except FetchError as exc:
        if exc.status == 202:
            log.warning(
                "%s %s: GitHub was still computing the statistics (HTTP 202) after "
                "every retry; gave up, nothing stored, flagged not_computed - run again later",
                repo,
                what,
            )
            if flags is not None:
                flags.append(not_computed_flag(repo, what, exc))
        else:
            log.warning("%s %s unavailable, nothing stored: %s", repo, what, exc)
        return None


def collect_repo(ctx: RunContext, repo: TrackedRepo) -> int:
    """Fetch and store one repository in one load."""
    name = repo.name
    meta = get_conditional(ctx, SOURCE, repo_url(name), accept=(200, 404))
    if meta.status == 404:
        msg = "repository not found (deleted, private, or renamed without a redirect)"
        raise FetchError(meta.url, msg, 404)
    history = pd.concat([parse_star_history(r, name) for r in fetch_star_history(ctx, name)])
    releases = pd.concat([parse_releases(r, name) for r in fetch_releases(ctx, name)])
    tables = {
        "github_repo_snapshots": parse_repo(meta, name),
        "github_star_history": history.drop_duplicates(["repo", "star_date"]),
        "github_releases": releases.drop_duplicates(["repo", "tag_name"]),
    }
    flags: list[pd.DataFrame] = []
    if not repo.archived:
        tables["github_repo_counts"] = _optional(
            "contributors",
            name,
            lambda: parse_contributors(get_conditional(ctx, SOURCE, contributors_url(name)), name),
        )
        tables["github_commit_activity"] = _optional(
            "commit activity",
            name,
            lambda: parse_commit_activity(
                get_conditional(ctx, SOURCE, activity_url(name), retry_on=STATS_RETRY), name
            ),
            flags,
        )
    if flags:
        tables["quality_flags"] = pd.concat(flags, ignore_index=True)
    everything = {"tracked_repos": tracked_repos_frame(SOURCE), **tables}
    return store(ctx.con, SOURCE_INFO, everything, {"repo": name})


def collect(ctx: RunContext) -> int:
    """Every tracked repository; failures are reported together after the others are stored."""
    written, failed = 0, []
    for repo in ctx.options.get("repos") or load_repos():
        try:
            written += collect_repo(ctx, repo)
        except RateLimitError as exc:
            log.error(
                "rate limit exhausted at %s; stopping (earlier repositories are stored): %s",
                repo.name,
                exc,
            )
            failed.append(f"{repo.name}: {exc}")
            break
        except (FetchError, ParseError) as exc:
            log.error("%s failed (earlier repositories are stored): %s", repo.name, exc)
            failed.append(f"{repo.name}: {exc}")
    tally = tally_of(ctx)
    log.info(
        "github-repos: %d requests sent, %d answered 304 Not Modified (free with a token)",
        tally.sent,
        tally.not_modified,
    )
    if failed:
        msg = f"{len(failed)} repositories failed: " + "; ".join(failed)
        raise FetchError(API, msg)
    return written


def plan(ctx: RunContext) -> list[PlannedRequest]:
    """The data requests a refresh sends (history pages estimated from the stored created_at)."""
    planned = []
    for repo in ctx.options.get("repos") or load_repos():
        name = repo.name
        urls = [(repo_url(name), "metadata")]
        mark = high_water(ctx, name)
        created = ctx.con.execute(
            "SELECT max(created_at) FROM cur_github_repo_snapshots WHERE repo = ?", [name]
        ).fetchone()
        pages, why = 1, "star history (incremental: newest page)"
        if mark is None and created and created[0] is not None:
            weeks = (datetime.now(UTC) - created[0]).days / 7
            pages = min(HISTORY_MAX_PAGES, math.ceil(weeks / HISTORY_PER_PAGE))
            why = "star history (estimated from created_at)"
        elif mark is None:
            why = "star history page 1; more pages to the first week (created_at not known yet)"
        urls += [(history_url(name, p), why) for p in range(1, pages + 1)]
        urls.append((releases_url(name, 1), "releases (more pages until a known tag)"))
        if not repo.archived:
            urls += [
                (contributors_url(name), "contributor count"),
                (activity_url(name), "weekly commit activity (202: retried)"),
            ]
        planned += [PlannedRequest(SOURCE, "GET", url, why) for url, why in urls]
    return planned


COLLECTORS = [
    Collector(
        "github-repos",
        "GitHub REST: metadata, star history, releases, "
        "contributors, commit activity (GITHUB_TOKEN optional)",
        plan,
        collect,
    )
]
