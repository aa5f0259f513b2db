"""Papers with Code implementations per framework and month (the frozen July 2025 archive).

``census ingest papers-with-code PATH_OR_URL`` reads ``links-between-papers-and-code.json(.gz)``
(one record per paper-repository link with a ``framework`` field) and, when the folder also
holds it, ``papers-with-abstracts.json(.gz)`` (for paper dates). The archive carries no
repository creation date, so the month a link counts in is the linked paper's arXiv submission
month, read from its arXiv id (``1805.07499`` -> 2018-05; ``cs/0112017`` -> 2001-12), or the
paper's ``date`` in papers-with-abstracts when it has no arXiv id. Links with neither are
counted in the log and a quality flag, not stored.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import re
from datetime import date
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

import pandas as pd

from census_base.errors import ParseError
from collectors.inputs import read_inputs
from collectors.raw import RawResponse
from collectors.registry import Ingester, RunContext
from warehouse.load import SourceInfo, store

log = logging.getLogger(__name__)

SOURCE = "papers_with_code"
# Where the archive lives since the site closed (paperswithcode-data README, 2025-09; NOTES.md
# 3b); not reachable from the build machine, so not verified here.
ARCHIVE_URL = "https://huggingface.co/datasets/pwc-archive/files"
SOURCE_INFO = SourceInfo(
    name=SOURCE,
    description="Papers with Code paper-repository links with their framework label (archive "
    "frozen July 2025), counted per month of the linked paper.",
    licence="CC BY-SA 4.0 (Papers with Code data dumps).",
    citation="Papers with Code, links-between-papers-and-code dump (final snapshot July 2025), "
    "archived at huggingface.co/datasets/pwc-archive.",
    upstream_url=ARCHIVE_URL,
)
FRAMEWORKS = {
    "pytorch": "torch",
    "torch": "torch",
    "tf": "tensorflow",
    "tensorflow": "tensorflow",
    "jax": "jax",
    "mxnet": "mxnet",
    "none": "none",
    "": "none",
}
# Hosts whose repository identity is the first two path segments (owner/name); anything after
# them (/tree/master, /blob/main/x.py, /issues) points inside the same repository.
OWNER_NAME_HOSTS = {"github.com", "bitbucket.org"}
NEW_ID = re.compile(r"^(\d{2})(\d{2})\.\d{4,5}(v\d+)?$")
OLD_ID = re.compile(r"^[a-z-]+(\.[A-Z]{2})?/(\d{2})(\d{2})\d{3}(v\d+)?$")


def arxiv_month(arxiv_id: str | None) -> date | None:
    """Submission month encoded in an arXiv id, or None."""
    text = (arxiv_id or "").strip()
    new, old = NEW_ID.match(text), OLD_ID.match(text)
    if new:
        year, month = 2000 + int(new.group(1)), int(new.group(2))
    elif old:
        yy = int(old.group(2))
        year, month = (1900 + yy if yy >= 91 else 2000 + yy), int(old.group(3))
    else:
        return None
    return date(year, month, 1) if 1 <= month <= 12 else None


def repo_identity(url: str) -> str:
    """One identity per repository: ``https://host/owner/name`` in lower case.

    Papers with Code links the same repository as ``.../name``, ``.../name/``,
    ``.../name.git``, ``.../name/tree/master``, ``.../name/blob/main/train.py``, with or
    without ``www.`` and in mixed case; GitHub treats owner and name case-insensitively.
    GitLab paths may hold subgroups, so only what follows ``/-/`` is dropped there.
    """
    text = url.strip()
    if text.startswith("git@") and ":" in text:  # git@github.com:owner/name.git
        text = "https://" + text[4:].replace(":", "/", 1)
    parts = urlsplit(text if "://" in text else f"https://{text}")
    host = parts.netloc.lower().rsplit("@", 1)[-1].split(":")[0].removeprefix("www.")
    path = unquote(parts.path).split("/-/")[0]
    segments = [s for s in path.split("/") if s]
    if host in OWNER_NAME_HOSTS:
        segments = segments[:2]
    if segments:
        segments[-1] = segments[-1].removesuffix(".git")
    return f"https://{host}/{'/'.join(segments)}".lower()


def normalise_framework(value: object) -> str:
    return FRAMEWORKS.get(str(value or "").strip().lower(), "other")


def _records(raw: RawResponse) -> list:
    body = gzip.decompress(raw.body) if raw.body[:2] == b"\x1f\x8b" else raw.body
    try:
        records = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ParseError(raw.url, f"not JSON (truncated download?): {exc}") from exc
    if not isinstance(records, list):
        raise ParseError(raw.url, "expected a JSON array of records")
    return records


def parse_paper_dates(raw: RawResponse) -> dict[str, date]:
    """papers-with-abstracts: paper_url -> month of its ``date`` (records without one skipped)."""
    dates = {}
    for record in _records(raw):
        if isinstance(record, dict) and record.get("paper_url") and record.get("date"):
            try:
                day = date.fromisoformat(str(record["date"])[:10])
            except ValueError:
                continue
            dates[str(record["paper_url"])] = day.replace(day=1)
    return dates


def parse_links(raw: RawResponse, paper_dates: dict[str, date]) -> tuple[pd.DataFrame, int]:
    """Links as (framework, month, month_basis, repo_url, is_official); and links undated."""
    rows, undated = [], 0
    for i, record in enumerate(_records(raw)):
        if not isinstance(record, dict) or not record.get("repo_url") or "framework" not in record:
            msg = f"record {i} lacks repo_url or framework: {str(record)[:200]}"
            raise ParseError(raw.url, msg)
        month, basis = arxiv_month(record.get("paper_arxiv_id")), "arxiv_id"
        if month is None:
            month, basis = paper_dates.get(str(record.get("paper_url"))), "paper_date"
        if month is None:
            undated += 1
            continue
        rows.append(
            (
                normalise_framework(record["framework"]),
                month,
                basis,
                repo_identity(str(record["repo_url"])),
                bool(record.get("is_official")),
            )
        )
    frame = pd.DataFrame(
        rows, columns=["framework", "month", "month_basis", "repo_url", "is_official"]
    )
    return frame, undated


def monthly_rows(links: pd.DataFrame) -> pd.DataFrame:
    """Distinct repositories, links and official links per framework, month and basis."""
    return (
        links.groupby(["framework", "month", "month_basis"])
        .agg(
            repos=("repo_url", "nunique"),
            links=("repo_url", "size"),
            official_links=("is_official", "sum"),
        )
        .reset_index()
    )


def _name(raw: RawResponse) -> str:
    return PurePosixPath(unquote(urlsplit(raw.url).path)).name


def ingest(ctx: RunContext, path_or_url: str) -> int:
    """Load the links dump (and paper dates when present) as monthly counts, atomically."""
    raws = read_inputs(
        ctx,
        SOURCE,
        path_or_url,
        patterns=("*links*paper*code*.json*", "*papers-with-abstracts*.json*"),
    )
    links_raws = [r for r in raws if "abstracts" not in _name(r)]
    if len(links_raws) != 1:
        where = path_or_url
        raise ParseError(
            where,
            f"expected one links-between-papers-and-code file, found "
            f"{[_name(r) for r in links_raws]}",
        )
    links_raw = links_raws[0]
    dates: dict[str, date] = {}
    for raw in raws:
        if raw is not links_raw:
            dates |= parse_paper_dates(raw)
    links, undated = parse_links(links_raw, dates)
    if links.empty:
        raise ParseError(links_raw.url, f"no dated links ({undated} undated records)")
    rows = monthly_rows(links).assign(
        source=SOURCE,
        source_url=links_raw.url,
        fetched_at=links_raw.fetched_at,
        raw_sha256=links_raw.sha256,
    )
    last = max(rows["month"])
    flags = [
        (
            "*",
            last,
            (pd.Timestamp(last) + pd.offsets.MonthEnd(0)).date(),
            "partial_period",
            "Last month of the frozen archive: links were still being added when Papers with "
            "Code stopped (July 2025), and recent papers gain implementations for months.",
        )
    ]
    if undated:
        flags.append(
            (
                "*",
                min(rows["month"]),
                last,
                "undated_records",
                f"{undated} links have neither an arXiv id nor a paper date and are not counted.",
            )
        )
    digest = hashlib.sha256("+".join(r.sha256 for r in raws).encode()).hexdigest()
    flag_frame = pd.DataFrame(
        flags, columns=["subject", "period_start", "period_end", "kind", "note"]
    ).assign(
        source=SOURCE, source_url=links_raw.url, fetched_at=links_raw.fetched_at, raw_sha256=digest
    )
    tables = {"pwc_implementations_monthly": rows, "quality_flags": flag_frame}
    written = store(ctx.con, SOURCE_INFO, tables, {"input": path_or_url, "links": len(links)})
    log.info(
        "papers-with-code: %d links, %d undated, %d monthly rows, %d new or changed",
        len(links),
        undated,
        len(rows),
        written,
    )
    return written


INGESTERS = [
    Ingester(
        "papers-with-code",
        "Papers with Code links-between-papers-and-code "
        "archive (.json or .json.gz; folder may add papers-with-abstracts)",
        ingest,
    )
]
