"""Hugging Face Hub model counts: cursor pagination, the 2022-03-02 artefact, failure shapes."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import responses

from census_base.errors import FetchError
from collectors.hf_hub import API, collect, list_url

CURSOR = (
    f"{API}?filter=pytorch&sort=createdAt&direction=-1&limit=1000&expand%5B%5D=createdAt"
    "&cursor=eyIkb3IiOlt7Il9pZCI6eyIkZ3QiOiI2NmYwYmIyMiJ9fV19"
)


class Router:
    """Answers by exact URL (query included), in order; the last answer repeats."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.routes: dict[str, list[tuple[int, dict[str, str], bytes]]] = {}
        self.seen: list[str] = []

    def add(
        self,
        url: str,
        name: str | None = None,
        status: int = 200,
        headers: dict[str, str] | None = None,
        body: bytes | None = None,
    ) -> None:
        payload = (self.folder / name).read_bytes() if name else (body or b"")
        self.routes.setdefault(url, []).append((status, headers or {}, payload))

    def __call__(self, request):
        self.seen.append(request.url)
        queue = self.routes.get(request.url)
        if not queue:
            return (404, {}, b'{"error": "not found"}')
        return queue.pop(0) if len(queue) > 1 else queue[0]


@pytest.fixture
def hub(fixtures):
    router = Router(fixtures / "hf_hub")
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add_callback(responses.GET, re.compile(r"https://huggingface\.co/.*"), callback=router)
        yield router


def _pytorch_pages(hub: Router) -> None:
    hub.add(
        list_url("pytorch"),
        "models-pytorch-page1.json",
        headers={"Link": f'<{CURSOR}>; rel="next"'},
    )
    hub.add(CURSOR, "models-pytorch-page2.json")


def test_walks_cursor_pages_and_flags_legacy_date(ctx, hub):
    _pytorch_pages(hub)
    ctx.options["hub_libraries"] = ["pytorch"]
    collect(ctx)
    assert hub.seen == [list_url("pytorch"), CURSOR]
    rows = ctx.con.execute(
        "SELECT month, new_models, total_models, flags FROM hub_models_monthly ORDER BY month"
    ).fetchall()
    assert rows == [
        (date(2022, 3, 1), 3, 3, "date_artefact"),
        (date(2024, 9, 1), 1, 4, ""),
        (date(2024, 10, 1), 1, 5, ""),
        (date(2024, 11, 1), 2, 7, ""),
    ]
    note = ctx.con.execute("SELECT note FROM data_flags WHERE source = 'hf_hub'").fetchone()[0]
    assert note.startswith("3 'pytorch' models carry createdAt 2022-03-02T23:29:04.000Z")


def test_second_walk_stops_at_the_last_month(ctx, hub):
    _pytorch_pages(hub)
    ctx.options["hub_libraries"] = ["pytorch"]
    collect(ctx)
    hub.seen.clear()
    assert collect(ctx) == 0
    assert hub.seen == [list_url("pytorch")]  # the first page is older than the last walk


def test_error_inside_200_keeps_other_libraries(ctx, hub):
    hub.add(list_url("tf"), "models-tf-page1.json")
    hub.add(list_url("jax"), "models-error-in-200.json")
    ctx.options["hub_libraries"] = ["jax", "tf"]
    with pytest.raises(FetchError, match="jax.*Invalid filter"):
        collect(ctx)
    libraries = ctx.con.execute("SELECT DISTINCT library FROM hub_model_counts").fetchall()
    assert libraries == [("tf",)]


def test_truncated_body_is_retried_then_fails(ctx, hub, sleeps):
    body = (hub.folder / "models-tf-page1.json").read_bytes()
    hub.add(list_url("tf"), body=body[:60], headers={"Content-Length": str(len(body))})
    ctx.options["hub_libraries"] = ["tf"]
    with pytest.raises(FetchError, match="gave up after 5.*IncompleteRead"):
        collect(ctx)
    assert len(hub.seen) == 5  # first try + 4 retries
    assert ctx.con.execute("SELECT count(*) FROM hub_model_counts").fetchone() == (0,)


def test_429_retry_after_then_data(ctx, hub, sleeps):
    hub.add(list_url("tf"), status=429, headers={"Retry-After": "55"}, body=b"Too Many Requests")
    hub.add(list_url("tf"), "models-tf-page1.json")
    ctx.options["hub_libraries"] = ["tf"]
    collect(ctx)
    assert 55.0 in sleeps
    assert ctx.con.execute("SELECT sum(new_models) FROM hub_models_monthly").fetchone() == (2,)


def test_empty_listing_stores_nothing(ctx, hub):
    hub.add(list_url("keras"), "models-empty.json")
    ctx.options["hub_libraries"] = ["keras"]
    assert collect(ctx) == 0
    assert ctx.con.execute("SELECT count(*) FROM hub_model_counts").fetchone() == (0,)
