"""Read an ingest input given as a file, a folder or a URL, as RawResponse objects."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from census_base.errors import FetchError
from collectors.raw import RawResponse, read_local
from collectors.registry import RunContext


def is_url(path_or_url: str) -> bool:
    return path_or_url.startswith(("http://", "https://"))


def read_inputs(
    ctx: RunContext, source: str, path_or_url: str, patterns: Iterable[str] = ("*",)
) -> list[RawResponse]:
    """A URL is fetched (and archived); a folder is searched recursively with ``patterns``."""
    if is_url(path_or_url):
        return [ctx.http.get(source, path_or_url)]
    path = Path(path_or_url)
    if path.is_dir():
        files = sorted({f for pattern in patterns for f in path.rglob(pattern) if f.is_file()})
        if not files:
            msg = f"no input files matching {list(patterns)} in this folder"
            raise FetchError(str(path), msg)
        return [read_local(source, f) for f in files]
    if not path.exists():
        msg = "no such file or folder"
        raise FetchError(str(path), msg)
    return [read_local(source, path)]
