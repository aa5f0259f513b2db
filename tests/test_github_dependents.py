"""Dependents ('Used by') page parsing: counts, package switcher, paging, changed markup."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import responses

from census_base.errors import FetchError, ParseError
from collectors.github_dependents import (
    PAGE_URL,
    SEL_COUNTS,
    SEL_PACKAGE,
    SEL_ROOT,
    collect,
    count_rows,
    fetch_dependents,
    parse_counts,
    parse_dependents,
    parse_package,
)
from collectors.http import HttpClient
from collectors.raw import RawResponse
from collectors.repos import TrackedRepo

TF = TrackedRepo("tensorflow/tensorflow", "tensorflow", dependents=True)
NEW = TrackedRepo("example/newlib", "other", dependents=True)


def _raw(fixtures, name: str, url: str = "https://github.com/x/y/network/dependents"):
    body = (fixtures / "github_dependents" / name).read_bytes()
    return RawResponse("github_dependents", url, 200, body, datetime(2026, 11, 21, tzinfo=UTC))


def _page(fixtures, name: str) -> str:
    return (fixtures / "github_dependents" / name).read_text()


def test_counts_and_package(fixtures):
    raw = _raw(fixtures, "network-dependents-tensorflow.html")
    assert parse_counts(raw) == {"dependent_repositories": 289342, "dependent_packages": 4118}
    assert parse_package(raw) == "package tensorflow (default, 1 of 3 packages)"
    names, next_url = parse_dependents(raw)
    assert names == ["someone/mnist-demo", "lab/speech-models"]
    assert next_url.endswith("dependents_after=MjkwMzQyNTk4MTk")


def test_newer_switcher_names_the_package_in_plain_text(fixtures):
    # 2024 markup: `<i>Package:</i> es-toolkit` in the summary, no [data-menu-button].
    url = "https://github.com/toss/es-toolkit/network/dependents"
    raw = _raw(fixtures, "network-dependents-package-switcher-2024.html", url)
    assert parse_counts(raw) == {"dependent_repositories": 246, "dependent_packages": 49}
    assert parse_package(raw) == "package es-toolkit (default, 1 of 2 packages)"
    names, next_url = parse_dependents(raw)
    assert names == ["webdev/dashboard", "studio/site"]
    assert next_url.endswith("dependents_after=NTkxODI4NzQ1OQ&package_id=UGFja2FnZS01Mzk1MjYwODE3")
    rows = count_rows(raw, "toss/es-toolkit")
    assert rows[["metric", "value", "detail"]].to_dict("records") == [
        {
            "metric": "dependent_packages",
            "value": 49,
            "detail": "package es-toolkit (default, 1 of 2 packages)",
        },
        {
            "metric": "dependent_repositories",
            "value": 246,
            "detail": "package es-toolkit (default, 1 of 2 packages)",
        },
    ]


def test_switcher_falls_back_to_the_checked_item(fixtures):
    page = _page(fixtures, "network-dependents-package-switcher-2024.html")
    page = page.replace("<i>Package:</i>", "").replace("\n              es-toolkit\n", "\n")
    raw = RawResponse(
        "github_dependents",
        "https://github.com/toss/es-toolkit/network/dependents",
        200,
        page.encode(),
        datetime(2026, 11, 21, tzinfo=UTC),
    )
    assert parse_package(raw) == "package es-toolkit (default, 1 of 2 packages)"


def test_switcher_naming_no_package_is_an_error(fixtures):
    page = _page(fixtures, "network-dependents-package-switcher-2024.html")
    page = page.replace("<i>Package:</i>", "").replace("\n              es-toolkit\n", "\n")
    page = page.replace('aria-checked="true"', 'aria-checked="false"')
    url = "https://github.com/toss/es-toolkit/network/dependents"
    raw = RawResponse(
        "github_dependents", url, 200, page.encode(), datetime(2026, 11, 21, tzinfo=UTC)
    )
    with pytest.raises(ParseError, match="without a selected package") as info:
        parse_package(raw)
    assert SEL_PACKAGE in info.value.selector
    assert url in str(info.value)


def test_no_dependents_is_a_stated_zero(fixtures):
    raw = _raw(fixtures, "network-dependents-none.html")
    assert parse_counts(raw) == {"dependent_repositories": 0, "dependent_packages": 0}
    assert parse_dependents(raw) == ([], None)
    assert parse_package(raw) == "the repository's only package"


def test_changed_markup_names_url_and_selector(fixtures):
    url = "https://github.com/tensorflow/tensorflow/network/dependents"
    raw = _raw(fixtures, "network-dependents-changed-markup.html", url)
    with pytest.raises(ParseError) as info:
        parse_counts(raw)
    assert info.value.selector == SEL_COUNTS
    assert url in str(info.value)
    assert SEL_COUNTS in str(info.value)


def test_empty_or_foreign_page(fixtures):
    empty = RawResponse(
        "github_dependents",
        "https://github.com/a/b/network/dependents",
        200,
        b"",
        datetime(2026, 11, 21, tzinfo=UTC),
    )
    with pytest.raises(ParseError, match="empty page"):
        parse_counts(empty)
    login = RawResponse(
        "github_dependents",
        "https://github.com/a/b/network/dependents",
        200,
        b"<html><body><form id='login'></form></body></html>",
        datetime(2026, 11, 21, tzinfo=UTC),
    )
    with pytest.raises(ParseError) as info:
        parse_counts(login)
    assert info.value.selector == SEL_ROOT


@responses.activate
def test_paging_is_paced_and_stops_at_last_page(ctx, fixtures, sleeps):
    # The shared `http` fixture turns pacing off; this test needs the real github.com interval.
    ctx.http = HttpClient(ctx.raw_root, sleep=sleeps, backoff=0.5)
    first = PAGE_URL.format(repo=TF.name)
    second = f"{first}?dependents_after=MjkwMzQyNTk4MTk"
    responses.get(first, body=_page(fixtures, "network-dependents-tensorflow.html"))
    responses.get(second, body=_page(fixtures, "network-dependents-tensorflow-page2.html"))
    pages = fetch_dependents(ctx, TF.name, max_pages=5)
    assert len(pages) == 2
    assert parse_dependents(pages[1]) == (["another/gan-zoo", "lab/speech-models"], None)
    assert any(1.5 < s <= 2.0 for s in sleeps)  # at most one page every 2 s on github.com


@responses.activate
def test_collect_stores_counts_and_retries_429(ctx, fixtures, sleeps):
    url = PAGE_URL.format(repo=TF.name)
    responses.get(url, status=429, headers={"Retry-After": "7"}, body="Too many requests")
    responses.get(url, body=_page(fixtures, "network-dependents-tensorflow.html"))
    responses.get(
        PAGE_URL.format(repo=NEW.name), body=_page(fixtures, "network-dependents-none.html")
    )
    ctx.options["repos"] = (TF, NEW)
    assert collect(ctx) == 4
    assert 7.0 in sleeps
    rows = ctx.con.execute(
        "SELECT repo, metric, value FROM cur_github_repo_counts ORDER BY ALL"
    ).fetchall()
    assert rows == [
        ("example/newlib", "dependent_packages", 0),
        ("example/newlib", "dependent_repositories", 0),
        ("tensorflow/tensorflow", "dependent_packages", 4118),
        ("tensorflow/tensorflow", "dependent_repositories", 289342),
    ]
    assert collect(ctx) == 0  # same page again: nothing new


@responses.activate
def test_changed_page_fails_loudly_and_others_are_kept(ctx, fixtures):
    responses.get(
        PAGE_URL.format(repo=TF.name),
        body=_page(fixtures, "network-dependents-changed-markup.html"),
    )
    responses.get(
        PAGE_URL.format(repo=NEW.name), body=_page(fixtures, "network-dependents-none.html")
    )
    ctx.options["repos"] = (TF, NEW)
    with pytest.raises(FetchError, match="markup changed"):
        collect(ctx)
    repos = ctx.con.execute("SELECT DISTINCT repo FROM cur_github_repo_counts").fetchall()
    assert repos == [("example/newlib",)]


@responses.activate
def test_collect_stores_a_repository_with_the_newer_switcher(ctx, fixtures):
    es = TrackedRepo("toss/es-toolkit", "other", dependents=True)
    responses.get(
        PAGE_URL.format(repo=es.name),
        body=_page(fixtures, "network-dependents-package-switcher-2024.html"),
    )
    ctx.options["repos"] = (es,)
    assert collect(ctx) == 2
    rows = ctx.con.execute(
        "SELECT repo, metric, value, detail FROM cur_github_repo_counts ORDER BY ALL"
    ).fetchall()
    detail = "package es-toolkit (default, 1 of 2 packages)"
    assert rows == [
        ("toss/es-toolkit", "dependent_packages", 49, detail),
        ("toss/es-toolkit", "dependent_repositories", 246, detail),
    ]
