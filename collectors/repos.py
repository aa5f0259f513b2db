"""The tracked repositories (``collectors/repos.toml``) and the one identity per repository."""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pandas as pd

REPOS_FILE = Path(__file__).with_name("repos.toml")


@dataclass(frozen=True)
class TrackedRepo:
    """A repository under its current name, with the names it was known by before."""

    name: str
    framework: str
    former: tuple[str, ...] = ()
    archived: bool = False
    dependents: bool = False


@cache
def load_repos(path: Path = REPOS_FILE) -> tuple[TrackedRepo, ...]:
    """Every tracked repository; a name (current or former) may belong to one entry only."""
    config = tomllib.loads(path.read_text())
    seen: dict[str, str] = {}
    repos = []
    for entry in config.get("repo", []):
        if "name" not in entry or "framework" not in entry:
            msg = f"{path}: every [[repo]] needs name and framework, got {entry!r}"
            raise ValueError(msg)
        repo = TrackedRepo(
            entry["name"],
            entry["framework"],
            tuple(entry.get("former", ())),
            bool(entry.get("archived", False)),
            bool(entry.get("dependents", False)),
        )
        for alias in (repo.name, *repo.former):
            if alias.lower() in seen:
                msg = f"{path}: {alias!r} is listed twice (also under {seen[alias.lower()]!r})"
                raise ValueError(msg)
            seen[alias.lower()] = repo.name
        repos.append(repo)
    return tuple(repos)


def canonical_names(repos: tuple[TrackedRepo, ...] | None = None) -> dict[str, str]:
    """Lower-cased current and former names -> current name (GitHub names ignore case)."""
    return {
        alias.lower(): repo.name
        for repo in repos or load_repos()
        for alias in (repo.name, *repo.former)
    }


def framework_of(repos: tuple[TrackedRepo, ...] | None = None) -> dict[str, str]:
    return {repo.name: repo.framework for repo in repos or load_repos()}


def tracked_repos_frame(source: str, path: Path = REPOS_FILE) -> pd.DataFrame:
    """Rows of ``tracked_repos`` (the config with its sha256 as provenance)."""
    body = path.read_bytes()
    fetched = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    return pd.DataFrame(
        [
            {
                "repo": r.name,
                "framework": r.framework,
                "former": ",".join(r.former),
                "archived": r.archived,
                "source": source,
                "source_url": "collectors/repos.toml",
                "fetched_at": fetched,
                "raw_sha256": hashlib.sha256(body).hexdigest(),
            }
            for r in load_repos(path)
        ]
    )
