"""Raw responses and their archive under ``data/raw/<source>/<date>/``.

The archive is the provenance of every fact row (``raw_sha256``) and the input of replay mode,
which answers requests from it instead of the network.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from census_base.errors import FetchError

# Headers worth keeping: caching, paging, rate limits. Never Authorization or cookies.
KEPT_HEADERS = (
    "content-type",
    "content-length",
    "etag",
    "last-modified",
    "link",
    "retry-after",
    "date",
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "x-ratelimit-used",
    "x-ratelimit-resource",
)


@dataclass(frozen=True)
class RawResponse:
    """One HTTP response (or one local file read as if it were one)."""

    source: str
    url: str
    status: int
    body: bytes
    fetched_at: datetime
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    request_key: str = ""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()

    @property
    def text(self) -> str:
        return self.body.decode("utf-8-sig", errors="replace")

    def json(self) -> Any:
        """Decode the body as JSON; a truncated or non-JSON body raises FetchError."""
        try:
            return json.loads(self.body.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            msg = f"body is not valid JSON ({exc}); truncated or changed response"
            raise FetchError(self.url, msg, self.status) from exc


def request_key(method: str, url: str, body: bytes | None = None) -> str:
    """Stable key of a request (secrets already redacted from ``url``)."""
    digest = hashlib.sha256(f"{method.upper()} {url}".encode())
    if body:
        digest.update(b"\n")
        digest.update(body)
    return digest.hexdigest()


def save_raw(root: Path, raw: RawResponse) -> Path:
    """Write body and metadata under ``root/<source>/<YYYY-MM-DD>/``; returns the body path."""
    day = raw.fetched_at.astimezone(UTC).strftime("%Y-%m-%d")
    folder = root / raw.source / day
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{raw.fetched_at.strftime('%H%M%S%f')}-{raw.request_key[:16]}"
    body_path = folder / f"{stem}.body"
    body_path.write_bytes(raw.body)
    meta = {
        "source": raw.source,
        "url": raw.url,
        "method": raw.method,
        "status": raw.status,
        "headers": raw.headers,
        "fetched_at": raw.fetched_at.isoformat(),
        "sha256": raw.sha256,
        "request_key": raw.request_key,
    }
    (folder / f"{stem}.meta.json").write_text(json.dumps(meta, indent=1, sort_keys=True))
    return body_path


def load_raw(meta_path: Path) -> RawResponse:
    """Read one archived response back."""
    meta = json.loads(meta_path.read_text())
    body = meta_path.with_name(meta_path.name.replace(".meta.json", ".body")).read_bytes()
    return RawResponse(
        source=meta["source"],
        url=meta["url"],
        status=int(meta["status"]),
        body=body,
        fetched_at=datetime.fromisoformat(meta["fetched_at"]),
        method=meta.get("method", "GET"),
        headers=meta.get("headers", {}),
        request_key=meta.get("request_key", ""),
    )


def find_archived(root: Path, source: str, key: str) -> RawResponse | None:
    """The newest archived response for a request key, or None."""
    matches = sorted((root / source).glob(f"*/*-{key[:16]}.meta.json"))
    return load_raw(matches[-1]) if matches else None


def read_local(source: str, path: Path) -> RawResponse:
    """A local file as a RawResponse (``file://`` URL, mtime as fetched_at)."""
    try:
        body = path.read_bytes()
    except OSError as exc:
        msg = f"cannot read input file: {exc.strerror}"
        raise FetchError(str(path), msg) from exc
    fetched = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    return RawResponse(source, path.resolve().as_uri(), 200, body, fetched)
