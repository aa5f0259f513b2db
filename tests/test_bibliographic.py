"""OpenAlex and arXiv yearly counts on recorded responses (no network)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import responses

from census_base.errors import CensusError, FetchError, ParseError
from collectors import arxiv, openalex
from collectors.http import HttpClient
from collectors.raw import RawResponse
from collectors.registry import RunContext
from collectors.synonyms import SynonymConfig, Synonyms, count_mentions, load_synonyms

KEY = "sekret-openalex-key-123"
TORCH = Synonyms("torch", "PyTorch", ("pytorch",), ("pytorch", "torchvision"))


def _raw(fixtures, name: str, url: str = "https://api.example/x") -> RawResponse:
    return RawResponse(
        "t", url, 200, (fixtures / name).read_bytes(), datetime(2026, 11, 22, tzinfo=UTC)
    )


def test_synonyms_file_and_matching():
    config = load_synonyms()
    assert {"torch", "tensorflow", "jax"} <= set(config.frameworks)
    text = "We use PyTorch, torchvision and tf.keras; tensor-\nflow too. Not jaxpr."
    assert count_mentions(text, config) == {"torch": 2, "tensorflow": 2, "jax": 0}


def test_openalex_group_by_parsed(fixtures):
    years = openalex.parse_year_groups(_raw(fixtures, "openalex/2026-11-22-group-by-year.json"))
    assert years == {2024: 2410, 2023: 1978, 2019: 843}
    assert openalex.parse_year_groups(_raw(fixtures, "openalex/2026-11-22-empty.json")) == {}


def test_openalex_error_in_200_and_malformed_group(fixtures):
    with pytest.raises(FetchError, match="not a valid filter"):
        openalex.parse_year_groups(_raw(fixtures, "openalex/2026-11-22-error-in-200.json"))
    with pytest.raises(ParseError, match="group 1 .*unknown"):
        openalex.parse_year_groups(_raw(fixtures, "openalex/2026-11-22-malformed-group.json"))


def test_openalex_query_strips_commas():
    odd = Synonyms("x", "X", ("a",), ("py,torch", "keras"))
    params = openalex.query_params(odd, 2015, 2026)
    assert params["filter"] == (
        "title_and_abstract.search:py torch|keras,publication_year:2015-2026"
    )


def test_openalex_needs_the_key(ctx, monkeypatch):
    monkeypatch.delenv("OPENALEX_API_KEY", raising=False)
    with pytest.raises(CensusError, match="OPENALEX_API_KEY"):
        openalex.collect(ctx)


@responses.activate
def test_openalex_collect_429_then_counts_key_redacted(ctx, fixtures, sleeps, monkeypatch):
    monkeypatch.setenv("OPENALEX_API_KEY", KEY)
    monkeypatch.setattr(openalex, "load_synonyms", lambda: SynonymConfig(2015, {"torch": TORCH}))
    responses.get(
        openalex.API_URL,
        status=429,
        headers={"Retry-After": "7"},
        body=(fixtures / "openalex/2026-11-22-429.json").read_bytes(),
    )
    responses.get(
        openalex.API_URL, body=(fixtures / "openalex/2026-11-22-group-by-year.json").read_bytes()
    )
    assert openalex.collect(ctx) == 3
    assert 7.0 in sleeps
    sent = responses.calls[-1].request.url
    assert f"api_key={KEY}" in sent
    assert "group_by=publication_year" in sent
    rows = ctx.con.execute(
        "SELECT year, works, source_url, query FROM paper_counts_yearly ORDER BY year"
    ).fetchall()
    assert [(y, w) for y, w, _, _ in rows] == [(2019, 843), (2023, 1978), (2024, 2410)]
    assert all(KEY not in url for _, _, url, _ in rows)
    assert rows[0][3] == "title_and_abstract.search:pytorch|torchvision"
    files = [p for p in ctx.raw_root.rglob("*") if p.is_file()]
    archived = "".join(p.read_text(errors="replace") for p in files)
    assert KEY not in archived


def test_arxiv_total_and_failures(fixtures):
    assert arxiv.parse_total(_raw(fixtures, "arxiv/2026-11-22-total.xml")) == 1234
    with pytest.raises(ParseError, match="incorrect id format"):
        arxiv.parse_total(_raw(fixtures, "arxiv/2026-11-22-error-entry.xml"))
    with pytest.raises(ParseError, match="not a count"):
        arxiv.parse_total(_raw(fixtures, "arxiv/2026-11-22-malformed-total.xml"))
    empty = RawResponse(
        "arxiv",
        "https://export.arxiv.org/api/query",
        200,
        b"  \n",
        datetime(2026, 11, 22, tzinfo=UTC),
    )
    with pytest.raises(FetchError, match="empty body"):
        arxiv.parse_total(empty)


@responses.activate
def test_arxiv_400_error_feed_names_query_and_message(ctx, fixtures):
    # The API answers a query it rejects with HTTP 400 and an Atom feed holding one error
    # entry (user manual, "Errors"): one clear error, no retry, nothing stored.
    responses.get(
        arxiv.API_URL,
        status=400,
        content_type="application/atom+xml; charset=utf-8",
        body=(fixtures / "arxiv/2026-11-22-400-error-entry.xml").read_bytes(),
    )
    with pytest.raises(ParseError) as info:
        arxiv.fetch_total(ctx, TORCH, 2019)
    text = str(info.value)
    assert "arXiv rejected query '(all:pytorch OR all:torchvision) AND submittedDate:" in text
    assert "(HTTP 400): submittedDate must be a range" in text
    assert len(responses.calls) == 1


@responses.activate
def test_arxiv_400_without_a_feed_is_a_fetch_error(ctx):
    responses.get(arxiv.API_URL, status=400, body=b"Bad Request")
    with pytest.raises(FetchError, match="HTTP 400 for query '\\(all:pytorch") as info:
        arxiv.fetch_total(ctx, TORCH, 2019)
    assert info.value.status == 400
    assert len(responses.calls) == 1


def test_arxiv_query_is_date_sliced():
    query = arxiv.search_query(TORCH, 2019)
    assert (
        query == "(all:pytorch OR all:torchvision) AND submittedDate:[201901010000 TO 201912312359]"
    )


@responses.activate
def test_arxiv_collect_paced_retries_and_incremental(con, fixtures, sleeps, tmp_path, monkeypatch):
    # the default per-host pacing (export.arxiv.org: 3 s), recorded instead of slept
    http = HttpClient(tmp_path / "raw", sleep=sleeps, backoff=0.5)
    ctx = RunContext(con=con, http=http, raw_root=tmp_path / "raw")
    this_year = datetime.now(UTC).year
    config = SynonymConfig(this_year - 1, {"torch": TORCH})
    monkeypatch.setattr(arxiv, "load_synonyms", lambda: config)
    total = (fixtures / "arxiv/2026-11-22-total.xml").read_bytes()
    responses.get(
        arxiv.API_URL,
        status=429,
        headers={"Retry-After": "5"},
        body=(fixtures / "arxiv/2026-11-22-429.txt").read_bytes(),
    )
    responses.get(arxiv.API_URL, body=b"")  # the intermittent empty page
    responses.get(arxiv.API_URL, body=total)
    responses.get(arxiv.API_URL, body=total.replace(b">1234<", b">99<"))
    assert arxiv.collect(ctx) == 2
    assert 5.0 in sleeps  # Retry-After honoured
    assert any(2.5 <= s <= 3.0 for s in sleeps)  # 3 s per request to export.arxiv.org
    rows = ctx.con.execute(
        "SELECT year, works, is_partial_year FROM paper_counts_yearly ORDER BY year"
    ).fetchall()
    assert rows == [(this_year - 1, 1234, False), (this_year, 99, True)]
    planned = arxiv.plan(ctx)  # the finished year is not asked again
    assert [p.purpose for p in planned] == [f"PyTorch papers submitted in {this_year}"]
    signal = ctx.con.execute("SELECT count(*) FROM signal_bibliographic_works").fetchone()
    assert signal == (2,)
