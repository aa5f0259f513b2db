"""Live parsers on fixtures shaped like the services' full responses (docs/live_fixtures.md).

Two checks per source: the full-shape fixture parses to the expected rows, and fields the
parser does not read may change (new keys anywhere, unused keys emptied) without changing them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd
import pytest

from collectors import arxiv, bigquery_pypi, clickhouse_pypi, hf_hub, npm, openalex, pypistats
from collectors import papers_with_code as pwc
from collectors import stackoverflow_tags as so
from collectors.github_parse import (
    parse_commit_activity,
    parse_contributors,
    parse_releases,
    parse_repo,
)
from collectors.raw import RawResponse

FETCHED = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)
PROVENANCE = ["source_url", "fetched_at", "raw_sha256", "etag"]
CONTRIBUTORS_LAST = (
    "<https://api.github.com/repositories/65600975/contributors?per_page=1&anon=1&page=4213>; "
    'rel="last"'
)


def _raw(body: Any, url: str = "https://api.example/x", headers: dict | None = None) -> RawResponse:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return RawResponse("t", url, 200, data, FETCHED, headers=headers or {})


def _with_unknown_keys(value: Any) -> Any:
    """Every object gains a key the parser has never seen (a service adding a field)."""
    if isinstance(value, dict):
        return {k: _with_unknown_keys(v) for k, v in value.items()} | {
            "x_new_field": {"nested": [1, None], "text": "added upstream"}
        }
    if isinstance(value, list):
        return [_with_unknown_keys(v) for v in value]
    return value


def _emptied(value: Any, used: set[str]) -> Any:
    """Objects keep only ``used`` keys' values; every other value becomes null."""
    if isinstance(value, dict):
        return {k: (_emptied(v, used) if k in used else None) for k, v in value.items()}
    if isinstance(value, list):
        return [_emptied(v, used) for v in value]
    return value


def _rows(frame: pd.DataFrame) -> list[dict]:
    kept = frame.drop(columns=[c for c in PROVENANCE if c in frame.columns])
    return kept.astype(object).where(kept.notna(), None).to_dict("records")


def _load(fixtures, name: str) -> Any:
    return json.loads((fixtures / name).read_text())


# (fixture, parser, keys the parser reads) for every JSON source
JSON_SOURCES: list[tuple[str, Callable[[RawResponse], pd.DataFrame], set[str]]] = [
    (
        "pypistats/2026-11-22-overall-torch.json",
        lambda raw: pypistats.parse_overall(raw, "torch"),
        {"data", "type", "package", "date", "downloads", "category"},
    ),
    (
        "pypistats/2026-11-22-system-torch.json",
        lambda raw: pypistats.parse_breakdown(raw, "torch", "system"),
        {"data", "type", "package", "date", "downloads", "category"},
    ),
    (
        "npm/2026-11-22-range-tfjs.json",
        lambda raw: npm.parse_range(
            raw, "@tensorflow/tfjs", date(2026, 11, 15), date(2026, 11, 21)
        ),
        {"start", "end", "package", "downloads", "day"},
    ),
    (
        "clickhouse_pypi/2026-11-22-torch-recent.json",
        lambda raw: clickhouse_pypi.parse_daily(raw, "torch"),
        {"meta", "name", "data", "rows", "date", "downloads"},
    ),
    (
        "github_repos/full-repos-pytorch-pytorch.json",
        lambda raw: parse_repo(raw, "pytorch/pytorch"),
        {
            "full_name",
            "stargazers_count",
            "forks_count",
            "open_issues_count",
            "subscribers_count",
            "created_at",
            "pushed_at",
            "license",
            "spdx_id",
            "default_branch",
            "archived",
        },
    ),
    (
        "github_repos/full-releases-page1.json",
        lambda raw: parse_releases(raw, "pytorch/pytorch"),
        {"tag_name", "name", "published_at", "prerelease", "draft"},
    ),
    (
        "github_repos/commit-activity.json",
        lambda raw: parse_commit_activity(raw, "pytorch/pytorch"),
        {"week", "total"},
    ),
    (
        "hf_hub/models-full-default-fields.json",
        hf_hub.parse_models_page,
        {"id", "createdAt"},
    ),
    (
        "papers_with_code/links-between-papers-and-code.json",
        lambda raw: pwc.parse_links(raw, {})[0],
        {"paper_arxiv_id", "paper_url", "repo_url", "framework", "is_official"},
    ),
]


@pytest.mark.parametrize(("name", "parse", "used"), JSON_SOURCES, ids=[s[0] for s in JSON_SOURCES])
def test_unused_fields_cannot_change_the_rows(fixtures, name, parse, used):
    body = _load(fixtures, name)
    expected = _rows(parse(_raw(body)))
    assert expected, f"{name} parsed to no rows"
    assert _rows(parse(_raw(_with_unknown_keys(body)))) == expected
    assert _rows(parse(_raw(_emptied(body, used)))) == expected


def test_openalex_stackexchange_bigquery_ignore_unknown_fields(fixtures):
    groups = _load(fixtures, "openalex/2026-11-22-group-by-year.json")
    years = {2024: 2410, 2023: 1978, 2019: 843}
    assert openalex.parse_year_groups(_raw(groups)) == years
    assert openalex.parse_year_groups(_raw(_with_unknown_keys(groups))) == years
    wrapper = _load(fixtures, "stackexchange_api/2026-11-21-total-full-wrapper.json")
    assert so.parse_total(_raw(wrapper)) == (1234, 0.0, 9998)
    assert so.parse_total(_raw(_with_unknown_keys(wrapper))) == (1234, 0.0, 9998)
    archived = {
        "query": "SELECT ...",
        "parameters": [],
        "rows": _load(fixtures, "bigquery_pypi/2026-11-22-result-rows.json"),
    }
    expected = _rows(bigquery_pypi.parse_result(_raw(archived)))
    assert len(expected) == 4
    assert _rows(bigquery_pypi.parse_result(_raw(_with_unknown_keys(archived)))) == expected


def test_full_repository_metadata_row(fixtures):
    raw = _raw(_load(fixtures, "github_repos/full-repos-pytorch-pytorch.json"))
    assert _rows(parse_repo(raw, "pytorch/pytorch")) == [
        {
            "repo": "pytorch/pytorch",
            "observed_date": date(2026, 11, 22),
            "full_name": "pytorch/pytorch",
            "stars": 96512,
            "forks": 26311,
            "open_issues": 17044,
            "watchers": 1778,  # subscribers_count; watchers_count repeats the stars
            "created_at": pd.Timestamp("2016-08-13T05:26:41Z"),
            "pushed_at": pd.Timestamp("2026-11-22T07:41:03Z"),
            "licence": "NOASSERTION",
            "default_branch": "main",
            "archived": False,
            "source": "github_repos",
        }
    ]


def test_full_releases_rows(fixtures):
    raw = _raw(_load(fixtures, "github_repos/full-releases-page1.json"))
    rows = _rows(parse_releases(raw, "pytorch/pytorch"))
    assert [(r["tag_name"], r["release_name"], r["prerelease"], r["draft"]) for r in rows] == [
        ("v2.9.1", "PyTorch 2.9.1 Release, bug fix release", False, False),
        ("v2.10.0-rc1", "PyTorch 2.10.0 RC1", True, False),
    ]
    assert rows[0]["published_at"] == pd.Timestamp("2026-11-12T17:10:05Z")


def test_full_contributor_and_anonymous_entries_count(fixtures):
    # with a `last` link the count is its page number; without one, the body's length
    users = _load(fixtures, "github_repos/full-contributors-per-page-1.json")
    counted = parse_contributors(
        _raw(users, headers={"link": CONTRIBUTORS_LAST}), "pytorch/pytorch"
    )
    assert counted["value"].tolist() == [4213]
    anonymous = _load(fixtures, "github_repos/full-contributors-anonymous.json")
    single = parse_contributors(_raw(anonymous), "pytorch/pytorch")
    assert single["value"].tolist() == [1]


def test_hub_full_default_item_fields(fixtures):
    frame = hf_hub.parse_models_page(
        _raw(_load(fixtures, "hf_hub/models-full-default-fields.json"))
    )
    assert frame.to_dict("records") == [
        {"id": "someuser/llama-ft-lora", "created_at": "2024-11-22T10:14:03.000Z"},
        {"id": "openai-community/gpt2", "created_at": "2022-03-02T23:29:04.000Z"},
    ]


def test_arxiv_feed_with_root_namespaces_and_an_entry(fixtures):
    body = (fixtures / "arxiv/2026-11-22-total-with-entry.xml").read_bytes()
    assert arxiv.parse_total(_raw(body, "https://export.arxiv.org/api/query")) == 1234
