"""Historical stars / forks / open issues from the EvanLi/Github-Ranking daily CSVs.

``census ingest github-ranking PATH_OR_URL`` reads ``github-ranking-YYYY-MM-DD.csv`` files (a
file, a folder searched recursively, or a URL): CRLF (2018-12 .. 2019-04) and LF files alike.
Only the repositories in ``collectors/repos.toml`` are kept, each under its current name
(fchollet/keras -> keras-team/keras, google/jax -> jax-ml/jax, apache/incubator-mxnet ->
apache/mxnet). A repository that is in no top-100 list on a day has no row for that day: it is
missing, never zero, and the months where that happens are written to ``quality_flags``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import re
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from census_base.errors import ParseError
from census_base.progress import track
from collectors.github_ranking_flags import detect_flags
from collectors.inputs import is_url, read_inputs
from collectors.raw import RawResponse
from collectors.registry import Ingester, RunContext
from collectors.repos import canonical_names, tracked_repos_frame
from collectors.validate import (
    ends_with_line_break,
    file_name_date,
    non_negative,
    not_after_fetch,
    parse_guard,
    strict_text,
)
from warehouse.load import SourceInfo, begin_load

log = logging.getLogger(__name__)

SOURCE = "github_ranking"
UPSTREAM = "https://github.com/EvanLi/Github-Ranking"
# The staged INDEX.csv names each file's git blob; this URL serves exactly that content.
BLOB_URL = "https://api.github.com/repos/EvanLi/Github-Ranking/git/blobs/{blob}"
SOURCE_INFO = SourceInfo(
    name=SOURCE,
    description="Daily CSV snapshots of the top-100 GitHub repositories by stars, by forks and "
    "per language (stars, forks, open issues+PRs), 2018-12 onward; a repository appears only "
    "while it is inside one of the lists.",
    licence="MIT (EvanLi/Github-Ranking, (c) 2018 Evan Li); values come from the GitHub API.",
    citation="Evan Li, Github-Ranking (GitHub EvanLi/Github-Ranking, Data/github-ranking-"
    "YYYY-MM-DD.csv), daily files 2018-12-18 onward.",
    upstream_url=UPSTREAM,
)
COLUMNS = [
    "rank",
    "item",
    "repo_name",
    "stars",
    "forks",
    "language",
    "repo_url",
    "username",
    "issues",
    "last_commit",
    "description",
]
FILE_DATE = re.compile(r"github-ranking-(\d{4}-\d{2}-\d{2})\.csv$")
REPO_URL = re.compile(r"^https?://github\.com/([^/\s]+/[^/\s]+?)/?$")
INPUT = "github-ranking input"


def file_date(raw: RawResponse) -> date:
    found = FILE_DATE.search(raw.url)
    if not found:
        msg = "file name must be github-ranking-YYYY-MM-DD.csv (the date is the observation day)"
        raise ParseError(raw.url, msg)
    return not_after_fetch(file_name_date(found.group(1), raw.url), raw, "file date")


@parse_guard
def parse_ranking(raw: RawResponse, names: dict[str, str] | None = None) -> pd.DataFrame:
    """One daily file -> rows of tracked repositories (all lists they are in).

    Raises ParseError naming the file on a changed header, a bad number or an empty file, invalid
    UTF-8, a file cut short, a negative count or a date after the file was fetched.
    """
    names = names or canonical_names()
    observed = file_date(raw)
    ends_with_line_break(raw.body, raw.url)
    reader = csv.reader(io.StringIO(strict_text(raw.body, raw.url), newline=""))
    header = next(reader, None)
    if header is None or [h.strip() for h in header] != COLUMNS:
        msg = f"unexpected header {header!r}; expected {','.join(COLUMNS)}"
        raise ParseError(raw.url, msg)
    rows, seen = [], 0
    for line_no, line in enumerate(reader, start=2):
        if not line:
            continue
        seen += 1
        if len(line) != len(COLUMNS):
            msg = f"line {line_no} has {len(line)} fields, expected {len(COLUMNS)} (truncated?)"
            raise ParseError(raw.url, msg)
        record = dict(zip(COLUMNS, line, strict=True))
        found = REPO_URL.match(record["repo_url"].strip())
        if not found:
            raise ParseError(raw.url, f"line {line_no}: bad repo_url {record['repo_url']!r}")
        repo = names.get(found.group(1).lower())
        if repo is None:
            continue
        try:
            numbers = [int(record[c]) for c in ("rank", "stars", "forks", "issues")]
        except ValueError as exc:
            raise ParseError(raw.url, f"line {line_no}: non-integer count ({exc})") from exc
        if numbers[0] < 1:
            raise ParseError(raw.url, f"line {line_no}: rank is {numbers[0]}; ranks start at 1")
        for field, number in zip(("stars", "forks", "issues"), numbers[1:], strict=True):
            non_negative(number, raw.url, field, line_no)
        pushed = pd.to_datetime(record["last_commit"] or None, utc=True, errors="coerce")
        rows.append(
            {
                "repo": repo,
                "observed_date": observed,
                "list_name": record["item"],
                "listed_as": found.group(1),
                "list_rank": numbers[0],
                "stars": numbers[1],
                "forks": numbers[2],
                "open_issues": numbers[3],
                "language": record["language"] or None,
                "pushed_at": pushed,
            }
        )
    if seen == 0:
        raise ParseError(raw.url, "no data rows (empty or truncated file)")
    return pd.DataFrame(
        rows,
        columns=[
            "repo",
            "observed_date",
            "list_name",
            "listed_as",
            "list_rank",
            "stars",
            "forks",
            "open_issues",
            "language",
            "pushed_at",
        ],
    ).assign(rows_in_file=seen)


def check_rows_kept(raw: RawResponse, entry: dict[str, str], seen: int) -> None:
    """The INDEX.csv of a trimmed folder says how many rows each file kept: a file with fewer
    (or more) was cut short or changed."""
    kept, whole = entry.get("rows_kept", ""), entry.get("rows_in_source", "")
    if kept.isdigit() and seen not in {int(kept), int(whole or kept)}:
        msg = f"{seen} data rows, but INDEX.csv says this file kept {kept}: cut short or changed"
        raise ParseError(raw.url, msg)


def parse_index(text: str) -> dict[str, dict[str, str]]:
    """The staged ``INDEX.csv``: file name -> source_path, source_blob, rows_in_source."""
    return {row["file"]: row for row in csv.DictReader(io.StringIO(text))}


@parse_guard
def ranking_rows(
    raws: list[RawResponse], index: dict[str, dict[str, str]]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """All files -> (rows, days). The untrimmed copy of a day repeats its trimmed file: rows
    must agree, and collapse to one."""
    frames, days = [], []
    names = canonical_names()
    for raw in track(raws, "parse github-ranking files"):
        entry = index.get(Path(raw.url).name, {})
        url = BLOB_URL.format(blob=entry["source_blob"]) if entry.get("source_blob") else raw.url
        frame = parse_ranking(raw, names)
        check_rows_kept(raw, entry, int(frame["rows_in_file"].iloc[0]))
        upstream = int(entry.get("rows_in_source") or frame["rows_in_file"].iloc[0])
        provenance = {
            "source": SOURCE,
            "source_url": url,
            "fetched_at": raw.fetched_at,
            "raw_sha256": raw.sha256,
        }
        frames.append(frame.drop(columns="rows_in_file").assign(**provenance))
        days.append({"observed_date": file_date(raw), "upstream_rows": upstream, **provenance})
    rows = pd.concat(frames, ignore_index=True)
    key = ["repo", "observed_date", "list_name"]
    # Upstream quirk: a repository can appear twice in one list on one day (2022-10-01: jax at
    # ranks 48 and 73 of the Python list) with the same counts; the better rank is kept.
    values = ["stars", "forks", "open_issues"]
    distinct = rows.drop_duplicates([*key, *values])
    if distinct.duplicated(key).any():
        sample = distinct[distinct.duplicated(key, keep=False)].head(4)[[*key, *values]]
        msg = f"files disagree for the same repository, day and list: {sample.to_dict('records')}"
        raise ParseError(INPUT, msg)
    day_frame = pd.DataFrame(days)
    if (
        day_frame.drop_duplicates(["observed_date", "upstream_rows"])
        .duplicated("observed_date")
        .any()
    ):
        msg = "two files for one day disagree on their size"
        raise ParseError(INPUT, msg)
    # Keep the trimmed, INDEX-pinned copy: sort pinned URLs first.
    order = ["source_url"]
    rows = rows.sort_values("list_rank", kind="stable").sort_values(
        order, key=lambda s: ~s.str.startswith("https://"), kind="stable"
    )
    day_frame = day_frame.sort_values(
        order, key=lambda s: ~s.str.startswith("https://"), kind="stable"
    )
    return (
        rows.drop_duplicates(key).reset_index(drop=True),
        day_frame.drop_duplicates("observed_date").reset_index(drop=True),
    )


def _indexes(path_or_url: str) -> dict[str, dict[str, str]]:
    if is_url(path_or_url):
        return {}
    root = Path(path_or_url)
    found: dict[str, dict[str, str]] = {}
    for index_file in root.rglob("INDEX.csv") if root.is_dir() else []:
        found |= parse_index(index_file.read_text())
    return found


def ingest(ctx: RunContext, path_or_url: str) -> int:
    """Load every daily file under a folder (or one file / URL) in one transaction."""
    started = datetime.now()
    raws = read_inputs(ctx, SOURCE, path_or_url, patterns=("github-ranking-*.csv",))
    rows, days = ranking_rows(raws, _indexes(path_or_url))
    with begin_load(ctx.con, SOURCE, {"input": path_or_url, "files": len(raws)}) as load:
        load.register_source(SOURCE_INFO)
        written = load.upsert("tracked_repos", tracked_repos_frame(SOURCE))
        written += load.upsert("github_ranking_rows", rows)
        written += load.upsert("github_ranking_days", days)
        every_row = ctx.con.execute(
            "SELECT * FROM github_ranking_rows QUALIFY row_number() OVER (PARTITION BY repo, "
            "observed_date, list_name ORDER BY load_id DESC) = 1"
        ).df()
        every_day = ctx.con.execute(
            "SELECT * FROM github_ranking_days QUALIFY row_number() OVER "
            "(PARTITION BY observed_date ORDER BY load_id DESC) = 1"
        ).df()
        flags = detect_flags(every_row, every_day)
        digest = hashlib.sha256("+".join(sorted(every_day["raw_sha256"])).encode()).hexdigest()
        written += load.upsert(
            "quality_flags",
            flags.assign(
                source=SOURCE,
                source_url=UPSTREAM,
                fetched_at=pd.Timestamp.now(tz="UTC"),
                raw_sha256=digest,
            ),
        )
    seconds = (datetime.now() - started).total_seconds()
    log.info(
        "github-ranking: %d files, %d rows, %d new or changed, %.1f s",
        len(raws),
        len(rows),
        written,
        seconds,
    )
    return written


INGESTERS = [
    Ingester(
        "github-ranking",
        "Github-Ranking daily top-100 CSVs (EvanLi/Github-Ranking)"
        ": a folder, a github-ranking-YYYY-MM-DD.csv file or a URL",
        ingest,
    )
]
