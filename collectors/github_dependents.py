"""'Used by' counts from a repository's dependents page (HTML; no API offers them).

``census collect github-dependents`` reads ``https://github.com/{repo}/network/dependents`` for
the tracked repositories marked ``dependents = true``: the number of dependent repositories and
packages GitHub shows for the repository's default package (a repository publishing several
packages has a package switcher; the count is for the selected one, named in ``detail``). The
markup is not an API and changes without notice: every selector is a constant below, and a page
where one is missing raises ParseError naming the URL and the selector - never a silent zero.
Pages are fetched at most one every 2 s (``HOST_MIN_INTERVAL['github.com']``).
"""

from __future__ import annotations

import logging
import re

import pandas as pd
from bs4 import BeautifulSoup, Tag

from census_base.errors import FetchError, ParseError
from collectors.raw import RawResponse
from collectors.registry import Collector, PlannedRequest, RunContext
from collectors.repos import load_repos, tracked_repos_frame
from warehouse.load import SourceInfo, begin_load

log = logging.getLogger(__name__)

SOURCE = "github_dependents"
PAGE_URL = "https://github.com/{repo}/network/dependents"
SOURCE_INFO = SourceInfo(
    name=SOURCE,
    description="Dependents ('Used by') counts from GitHub's dependency graph, read from the "
    "repository's network/dependents HTML page (default package only).",
    licence="GitHub web page (GitHub Terms of Service); counts only, no content copied.",
    citation="GitHub dependency graph, https://github.com/{owner}/{repo}/network/dependents, "
    "read by framework-census.",
    upstream_url="https://docs.github.com/en/code-security/supply-chain-security/"
    "understanding-your-software-supply-chain/about-the-dependency-graph",
)
# Selectors (nvuillam/github-dependents-info and the page as served in 2026).
SEL_ROOT = "#dependents"
SEL_COUNTS = "#dependents a.btn-link"  # "289,123 Repositories" and "3,456 Packages"
SEL_ROWS = "#dependents div.Box-row"
SEL_ROW_REPO = 'a[data-hovercard-type="repository"]'
SEL_NEXT = "#dependents div.paginate-container a"
SEL_PACKAGE = "summary.select-menu-button [data-menu-button]"  # older markup
# Newer markup (2024-): the selected package is plain text after ``<i>Package:</i>`` in the
# switcher's summary; the checked menu item names it too.
SEL_PACKAGE_SUMMARY = "summary.select-menu-button"
SEL_PACKAGE_CHECKED = 'a.select-menu-item[aria-checked="true"]'
SEL_PACKAGE_ITEMS = 'a.select-menu-item[href*="package_id="]'
COUNT = re.compile(r"([\d,]+)\s+(Repositories|Repository|Packages|Package)\b")
METRICS = {"repositor": "dependent_repositories", "package": "dependent_packages"}


def _soup(raw: RawResponse) -> BeautifulSoup:
    if not raw.body.strip():
        raise ParseError(raw.url, "empty page", SEL_ROOT)
    soup = BeautifulSoup(raw.body, "lxml")
    if soup.select_one(SEL_ROOT) is None:
        raise ParseError(raw.url, "no dependents section: the page markup changed", SEL_ROOT)
    return soup


def parse_counts(raw: RawResponse) -> dict[str, int]:
    """``dependent_repositories`` and ``dependent_packages`` as the page states them."""
    soup = _soup(raw)
    counts: dict[str, int] = {}
    for link in soup.select(SEL_COUNTS):
        found = COUNT.search(" ".join(link.get_text(" ").split()))
        if found:
            metric = next(v for k, v in METRICS.items() if found.group(2).lower().startswith(k))
            counts[metric] = int(found.group(1).replace(",", ""))
    if "dependent_repositories" not in counts:
        msg = "no 'N Repositories' count: the page markup changed"
        raise ParseError(raw.url, msg, SEL_COUNTS)
    return counts


def parse_package(raw: RawResponse) -> str:
    """Which package the counts are for ('1 of N packages' when there is a switcher)."""
    soup = _soup(raw)
    items = soup.select(SEL_PACKAGE_ITEMS)
    if not items:
        return "the repository's only package"
    name = _selected_package(soup)
    if not name:
        selectors = f"{SEL_PACKAGE} | {SEL_PACKAGE_SUMMARY} text | {SEL_PACKAGE_CHECKED}"
        raise ParseError(raw.url, "package switcher without a selected package", selectors)
    return f"package {name} (default, 1 of {len(items)} packages)"


def _selected_package(soup: BeautifulSoup) -> str:
    """The switcher's selected package in either markup ('' when none is named)."""
    selected = soup.select_one(SEL_PACKAGE)
    if selected is not None:
        return selected.get_text(strip=True)
    summary = soup.select_one(SEL_PACKAGE_SUMMARY)
    if summary is not None:
        text = " ".join(summary.get_text(" ").split())
        name = text.split("Package:", 1)[1] if "Package:" in text else ""
        if name.strip():
            return name.strip()
    checked = soup.select_one(SEL_PACKAGE_CHECKED)
    return checked.get_text(strip=True) if checked is not None else ""


def parse_dependents(raw: RawResponse) -> tuple[list[str], str | None]:
    """One page's dependent repositories and the next page's URL (None on the last page)."""
    soup = _soup(raw)
    names = []
    for row in soup.select(SEL_ROWS):
        link = row.select_one(SEL_ROW_REPO)
        if isinstance(link, Tag) and link.get("href"):
            names.append(str(link["href"]).strip("/"))
    if not names and parse_counts(raw)["dependent_repositories"] > 0:
        msg = "rows missing although the page counts dependents: the markup changed"
        raise ParseError(raw.url, msg, f"{SEL_ROWS} {SEL_ROW_REPO}")
    after = [a for a in soup.select(SEL_NEXT) if a.get_text(strip=True) == "Next"]
    return names, (str(after[0]["href"]) if after and after[0].get("href") else None)


def fetch_dependents(ctx: RunContext, repo: str, max_pages: int = 1) -> list[RawResponse]:
    """The first page (counts) and, when asked, following pages of the list, politely paced."""
    pages = [ctx.http.get(SOURCE, PAGE_URL.format(repo=repo))]
    while len(pages) < max_pages:
        _, next_url = parse_dependents(pages[-1])
        if next_url is None:
            break
        pages.append(ctx.http.get(SOURCE, next_url))
    return pages


def count_rows(raw: RawResponse, repo: str) -> pd.DataFrame:
    counts, detail = parse_counts(raw), parse_package(raw)
    parse_dependents(raw)  # checks the rows are where the counts say they are
    return pd.DataFrame(
        [
            {
                "repo": repo,
                "observed_date": raw.fetched_at.date(),
                "metric": metric,
                "value": value,
                "detail": detail,
                "source": SOURCE,
                "source_url": raw.url,
                "fetched_at": raw.fetched_at,
                "raw_sha256": raw.sha256,
            }
            for metric, value in sorted(counts.items())
        ]
    )


def collect(ctx: RunContext) -> int:
    """One load for all repositories: the counts are compared with each other."""
    frames, failed = [], []
    for repo in ctx.options.get("repos") or load_repos():
        if not repo.dependents:
            continue
        try:
            frames.append(count_rows(fetch_dependents(ctx, repo.name)[0], repo.name))
        except (FetchError, ParseError) as exc:
            log.error("dependents of %s: %s", repo.name, exc)
            failed.append(exc)
    if failed and not frames:
        raise failed[0]
    with begin_load(ctx.con, SOURCE, {"repos": len(frames)}) as load:
        load.register_source(SOURCE_INFO)
        load.upsert("tracked_repos", tracked_repos_frame(SOURCE))
        written = load.upsert("github_repo_counts", pd.concat(frames, ignore_index=True))
    if failed:
        msg = f"{len(failed)} dependents page(s) failed: " + "; ".join(map(str, failed))
        raise FetchError(PAGE_URL.format(repo="*"), msg)
    return written


def plan(ctx: RunContext) -> list[PlannedRequest]:
    return [
        PlannedRequest(SOURCE, "GET", PAGE_URL.format(repo=r.name), "dependents counts")
        for r in (ctx.options.get("repos") or load_repos())
        if r.dependents
    ]


COLLECTORS = [
    Collector(
        "github-dependents",
        "GitHub 'Used by' counts from the dependents HTML page (default package)",
        plan,
        collect,
    )
]
