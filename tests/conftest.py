"""Shared fixtures: an in-memory warehouse, the shared data folder, an HTTP client that never
sleeps. Sockets are disabled for the whole suite (pytest-socket, see pyproject addopts)."""

from __future__ import annotations

from pathlib import Path

import pytest

# Imported before sockets are disabled: urllib3 probes IPv6 with a socket when first imported
# (collectors.http imports requests only when a request is sent).
import requests  # noqa: F401

from collectors.http import HttpClient
from collectors.registry import RunContext
from warehouse.db import connect

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture
def con():
    connection = connect(":memory:")
    yield connection
    connection.close()


@pytest.fixture
def shared_data() -> Path:
    """../shared/data, or skip: that folder exists in CI, not in a user's clone."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"needs the upstream data folder {SHARED_DATA} (present in CI only)")
    return SHARED_DATA


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


class Sleeps(list):
    """Records the waits an HttpClient asked for instead of sleeping."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def http(tmp_path: Path, sleeps: Sleeps) -> HttpClient:
    """No per-host pacing here (tested on its own), so `sleeps` holds only retry waits."""
    return HttpClient(tmp_path / "raw", sleep=sleeps, backoff=0.5, min_interval={})


@pytest.fixture
def ctx(con, http: HttpClient, tmp_path: Path) -> RunContext:
    return RunContext(con=con, http=http, raw_root=tmp_path / "raw")
