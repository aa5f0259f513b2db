"""Parsers for the GitHub REST responses (pure: RawResponse in, rows out)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pandas as pd

from census_base.errors import FetchError, ParseError
from collectors.github_api import links
from collectors.raw import RawResponse

log = logging.getLogger(__name__)

SOURCE = "github_repos"
# GitHub answers the /stats/* endpoints 202 with an empty object while it computes them
# (docs.github.com, "Best practices for caching" under repository statistics).
NOT_COMPUTED = "statistics not computed by GitHub yet (HTTP 202 with {})"


def _provenance(raw: RawResponse) -> dict[str, object]:
    return {
        "source": SOURCE,
        "source_url": raw.url,
        "fetched_at": raw.fetched_at,
        "raw_sha256": raw.sha256,
    }


def parse_repo(raw: RawResponse, repo: str) -> pd.DataFrame:
    """Repository metadata -> one row of ``github_repo_snapshots``."""
    body = raw.json()
    try:
        row = {
            "repo": repo,
            "observed_date": raw.fetched_at.date(),
            "full_name": body["full_name"],
            "stars": int(body["stargazers_count"]),
            "forks": int(body["forks_count"]),
            "open_issues": int(body["open_issues_count"]),
            "watchers": body.get("subscribers_count"),
            "created_at": pd.to_datetime(body.get("created_at"), utc=True),
            "pushed_at": pd.to_datetime(body.get("pushed_at"), utc=True),
            "licence": (body.get("license") or {}).get("spdx_id"),
            "default_branch": body.get("default_branch"),
            "archived": body.get("archived"),
            "etag": raw.headers.get("etag"),
        }
    except (KeyError, TypeError, ValueError) as exc:
        raise ParseError(raw.url, f"repository metadata lacks {exc}") from exc
    if body["full_name"].lower() != repo.lower():
        log.warning(
            "%s answers as %s (renamed; GitHub redirected): stored under %s - update "
            "collectors/repos.toml",
            repo,
            body["full_name"],
            repo,
        )
    return pd.DataFrame([row | _provenance(raw)])


def parse_star_history(raw: RawResponse, repo: str) -> pd.DataFrame:
    """A ``/stargazers/history`` page (weeks, newest first) -> stars added per day."""
    weeks = raw.json()
    if not isinstance(weeks, list):
        raise ParseError(raw.url, f"expected a list of weeks, got {type(weeks).__name__}")
    rows = []
    for item in weeks:
        try:
            start = datetime.fromtimestamp(int(item["week"]), tz=UTC).date()
            days, total = [int(d) for d in item["days"]], int(item["total"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ParseError(raw.url, f"week entry without week/total/days: {item!r}") from exc
        if len(days) != 7 or sum(days) != total:
            msg = f"week {start}: days {days} do not add up to total {total}"
            raise ParseError(raw.url, msg)
        rows += [
            {"repo": repo, "star_date": start + timedelta(days=i), "stars_added": n}
            for i, n in enumerate(days)
        ]
    frame = pd.DataFrame(rows, columns=["repo", "star_date", "stars_added"])
    return frame.assign(**_provenance(raw))


def parse_releases(raw: RawResponse, repo: str) -> pd.DataFrame:
    items = raw.json()
    if not isinstance(items, list):
        raise ParseError(raw.url, "expected a list of releases")
    try:
        rows = [
            {
                "repo": repo,
                "tag_name": r["tag_name"],
                "release_name": r.get("name"),
                "published_at": pd.to_datetime(r.get("published_at"), utc=True),
                "prerelease": bool(r["prerelease"]),
                "draft": bool(r["draft"]),
            }
            for r in items
        ]
    except (KeyError, TypeError) as exc:
        raise ParseError(raw.url, f"release without {exc}") from exc
    return pd.DataFrame(
        rows, columns=["repo", "tag_name", "release_name", "published_at", "prerelease", "draft"]
    ).assign(**_provenance(raw))


def parse_contributors(raw: RawResponse, repo: str) -> pd.DataFrame:
    """``per_page=1`` listing: the count is the ``last`` page number (or the body's length)."""
    last = links(raw).get("last")
    count = int(last.rsplit("page=", 1)[1].split("&")[0]) if last else len(raw.json())
    return pd.DataFrame(
        [
            {
                "repo": repo,
                "observed_date": raw.fetched_at.date(),
                "metric": "contributors",
                "value": count,
                "detail": "anon=1: includes anonymous contributors",
                **_provenance(raw),
            }
        ]
    )


def parse_commit_activity(raw: RawResponse, repo: str) -> pd.DataFrame:
    """Weekly commits; an empty or all-zero answer is 'not computed yet', not data."""
    weeks = raw.json()
    if raw.status == 202 or weeks == {}:
        raise FetchError(raw.url, NOT_COMPUTED, 202)
    if not isinstance(weeks, list):
        raise ParseError(raw.url, "expected a list of weeks")
    rows = [
        {
            "repo": repo,
            "week_start": datetime.fromtimestamp(int(w["week"]), tz=UTC).date(),
            "commits": int(w["total"]),
        }
        for w in weeks
    ]
    if not rows or all(r["commits"] == 0 for r in rows):
        msg = "GitHub answered no commit activity (statistics not computed yet); nothing stored"
        raise FetchError(raw.url, msg, raw.status)
    return pd.DataFrame(rows).assign(**_provenance(raw))
