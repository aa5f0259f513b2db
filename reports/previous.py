"""Which earlier report a report compares itself with (kept free of heavy imports: the
``census report`` fast path calls it before deciding whether to build)."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

DATED = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def find_base(out: Path, stamp: date, since: str | None) -> Path | None:
    """The previous report's folder: ``since`` (a folder, or a date naming ``out/<date>``),
    else the latest dated folder in ``out`` before ``stamp`` that has a provenance.json.

    Raises:
        FileNotFoundError: ``since`` names no report.
    """
    if since:
        folder = out / since if DATED.match(since) else Path(since)
        if not (folder / "provenance.json").is_file():
            msg = f"--since {since}: no report (provenance.json) in {folder}"
            raise FileNotFoundError(msg)
        return folder
    if not out.is_dir():
        return None
    dated = sorted(
        p
        for p in out.iterdir()
        if DATED.match(p.name) and p.name < stamp.isoformat() and (p / "provenance.json").is_file()
    )
    return dated[-1] if dated else None


def base_identity(folder: Path | None) -> str:
    """What identifies the compared report (its folder name and fingerprint), '' for none."""
    if folder is None:
        return ""
    try:
        provenance = json.loads((folder / "provenance.json").read_text())
    except (OSError, ValueError):
        return ""
    return f"{folder.name}:{provenance.get('fingerprint', '')}"


def fingerprint_extra(data_as_of: date | None, base: Path | None) -> str:
    """What a report's fingerprint adds to loads and code: the data cut-off and the base."""
    cut = f"data<={data_as_of}" if data_as_of else ""
    return f"{cut}|{base_identity(base)}" if (cut or base) else ""
