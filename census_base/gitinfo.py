"""The commit of this checkout (no heavy imports: used on the report's fast path too)."""

from __future__ import annotations

import subprocess

from census_base.paths import SOURCE_ROOT


def git(*args: str) -> str:
    """Output of a git command run in this repository ('' when git is unavailable)."""
    try:
        out = subprocess.run(
            ["git", *args], capture_output=True, text=True, timeout=10, cwd=SOURCE_ROOT, check=False
        )
    except OSError:
        return ""
    return out.stdout.strip()


def git_sha() -> str | None:
    """HEAD's commit, or None outside a git checkout."""
    return git("rev-parse", "HEAD") or None
