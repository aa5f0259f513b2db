"""The HTTP layer against recorded response shapes: retries, pacing, archive, replay, secrets."""

from __future__ import annotations

import json

import pytest
import requests
import responses

from census_base.errors import FetchError, RateLimitError
from collectors.http import HttpClient, parse_retry_after
from collectors.raw import find_archived, request_key

URL = "https://pypistats.org/api/packages/torch/overall"
BODY = {
    "data": [{"category": "without_mirrors", "date": "2020-05-01", "downloads": 2083472}],
    "package": "torch",
    "type": "overall_downloads",
}


@responses.activate
def test_429_with_retry_after_is_honoured(http, sleeps):
    responses.get(URL, status=429, body="429 RATE LIMIT EXCEEDED", headers={"Retry-After": "7"})
    responses.get(URL, json=BODY)
    raw = http.get("pypistats", URL)
    assert raw.json() == BODY
    assert 7.0 in sleeps
    assert len(responses.calls) == 2


@responses.activate
def test_5xx_retried_with_backoff_then_gives_up(http, sleeps):
    for _ in range(5):
        responses.get(URL, status=503, body="Service Unavailable")
    with pytest.raises(FetchError) as err:
        http.get("pypistats", URL)
    assert err.value.status == 503
    assert "gave up after 5 attempt(s)" in str(err.value)
    assert sleeps == [0.5, 1.0, 2.0, 4.0]  # exponential backoff between the 5 attempts


@responses.activate
def test_timeout_is_retried(http):
    responses.get(URL, body=requests.Timeout("read timed out"))
    responses.get(URL, json=BODY)
    assert http.get("pypistats", URL).json() == BODY


@responses.activate
def test_truncated_body_is_retried_then_reported(http):
    payload = json.dumps(BODY).encode()
    for _ in range(5):
        responses.get(
            URL,
            body=payload[:20],
            headers={"Content-Length": str(len(payload))},
            auto_calculate_content_length=False,
        )
    with pytest.raises(FetchError, match="truncated body"):
        http.get("pypistats", URL)


@responses.activate
def test_truncated_json_without_length_fails_on_parse(http):
    responses.get(URL, body=b'{"data": [{"category": "with_mir')
    raw = http.get("pypistats", URL)
    with pytest.raises(FetchError, match="not valid JSON"):
        raw.json()


@responses.activate
def test_404_only_when_accepted(http):
    body = {"error": "package @x/y not found"}
    responses.get("https://api.npmjs.org/downloads/range/last-week/@x/y", status=404, json=body)
    with pytest.raises(FetchError) as err:
        http.get("npm", "https://api.npmjs.org/downloads/range/last-week/@x/y")
    assert err.value.status == 404
    raw = http.get("npm", "https://api.npmjs.org/downloads/range/last-week/@x/y", accept=(200, 404))
    assert raw.status == 404 and raw.json() == body


@responses.activate
def test_rate_limit_exhaustion_longer_than_max_wait(tmp_path, sleeps):
    client = HttpClient(tmp_path, sleep=sleeps, max_wait=60)
    responses.get(
        "https://api.github.com/repos/pytorch/pytorch",
        status=403,
        json={"message": "API rate limit exceeded"},
        headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "9999999999"},
    )
    with pytest.raises(RateLimitError, match="rate limited"):
        client.get("github", "https://api.github.com/repos/pytorch/pytorch")


@responses.activate
def test_per_host_min_interval(tmp_path, sleeps):
    now = [100.0]
    client = HttpClient(tmp_path, sleep=sleeps, clock=lambda: now[0])
    responses.get(URL, json=BODY)
    client.get("pypistats", URL)
    now[0] += 0.5
    client.get("pypistats", URL)
    assert sleeps == [pytest.approx(1.5)]  # pypistats.org: 2 s between requests


@responses.activate
def test_archive_and_replay(tmp_path):
    responses.get(URL, json=BODY)
    live = HttpClient(tmp_path, sleep=lambda s: None)
    raw = live.get("pypistats", URL, params={"mirrors": "false"})
    replay = HttpClient(tmp_path, replay=True)
    again = replay.get("pypistats", URL, params={"mirrors": "false"})
    assert again.body == raw.body and again.sha256 == raw.sha256
    assert again.url == raw.url
    assert len(responses.calls) == 1  # replay sent nothing
    with pytest.raises(FetchError, match="not in the raw archive"):
        replay.get("pypistats", URL, params={"mirrors": "true"})


@responses.activate
def test_secrets_never_stored_or_logged(tmp_path, caplog):
    token, key = "ghp_SECRETTOKEN123", "openalex-KEY-456"
    responses.get("https://api.openalex.org/works", status=500, body=f"bad key {key}")
    responses.get("https://api.openalex.org/works", json={"meta": {"count": 1}})
    client = HttpClient(tmp_path, sleep=lambda s: None)
    with caplog.at_level("DEBUG"):
        raw = client.get(
            "openalex",
            "https://api.openalex.org/works",
            params={"group_by": "publication_year"},
            secret_params={"api_key": key},
            secret_headers={"Authorization": f"Bearer {token}"},
        )
    sent = responses.calls[-1].request
    assert key in sent.url and sent.headers["Authorization"] == f"Bearer {token}"
    assert key not in raw.url and "api_key" not in raw.url  # secret params never stored
    stored = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    assert key.encode() not in stored and token.encode() not in stored
    assert key not in caplog.text and token not in caplog.text
    assert find_archived(tmp_path, "openalex", request_key("GET", raw.url)) is not None


def test_parse_retry_after_http_date():
    from datetime import UTC, datetime

    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("Thu, 01 Jan 2026 12:00:30 GMT", now) == 30.0
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("soon") is None
