"""Stack Overflow questions per tag per month: the archived counts and the live API.

``census ingest stackoverflow-tags PATH_OR_URL`` reads the archived monthly table (Kaggle
"stackindex", ``MLTollsStackOverflow.csv``: a ``month`` column of ``YY-Mon`` values, one column
per tag, 2009-01 .. 2019-12). Some tag names repeat (``matlab``, ``stanford-nlp``) with
different values: the first column is kept and the disagreement stored as a quality flag.
Empty cells are missing months, never zeros.

``census collect stackoverflow-tags`` asks the Stack Exchange API 2.3 for the total questions
per tag and calendar month (``/questions?tagged=..&fromdate=..&todate=..&filter=total``), from
the month after the last one stored (2020-01 when none) to the last complete month. It obeys the
``backoff`` field (wait that many seconds before the next call) and stops cleanly when the daily
quota is spent (``quota_remaining`` 0 or a ``throttle_violation`` error): the complete months
fetched so far are stored and the rest is left for the next run.
"""

from __future__ import annotations

import csv
import io
import logging
import os
from datetime import UTC, date, datetime
from urllib.parse import urlencode

import pandas as pd

from census_base.errors import FetchError, ParseError, RateLimitError
from census_base.progress import track
from collectors.inputs import read_inputs
from collectors.raw import RawResponse
from collectors.registry import Collector, Ingester, PlannedRequest, RunContext
from warehouse.load import SourceInfo, store

log = logging.getLogger(__name__)

ARCHIVE_SOURCE = "stackoverflow_tag_trends"
API_SOURCE = "stackexchange_api"
ARCHIVE_INFO = SourceInfo(
    name=ARCHIVE_SOURCE,
    description="Monthly counts of Stack Overflow questions per tag, 2009-01 .. 2019-12 "
    "(Kaggle dataset 'stackindex', file MLTollsStackOverflow.csv).",
    licence="No licence file in the repository; Kaggle dataset licence not verified; Stack "
    "Overflow content is CC BY-SA.",
    citation="Kaggle 'stackindex' (aishu200023), MLTollsStackOverflow.csv, as committed in "
    "pesikj/progr2-python@19e52007.",
    upstream_url="https://github.com/pesikj/progr2-python/blob/"
    "19e520074ba6bd93bece797b5f07f3969a949288/data/MLTollsStackOverflow.csv",
)
API_INFO = SourceInfo(
    name=API_SOURCE,
    description="Stack Exchange API 2.3: total Stack Overflow questions per tag and month "
    "(filter=total).",
    licence="Stack Exchange API terms; Stack Overflow content is CC BY-SA.",
    citation="Stack Exchange API 2.3, /questions?site=stackoverflow&filter=total "
    "(https://api.stackexchange.com/docs).",
    upstream_url="https://api.stackexchange.com/docs/questions",
)
API_URL = "https://api.stackexchange.com/2.3/questions"
API_TAGS = ("pytorch", "tensorflow", "keras", "jax")
API_START = date(2020, 1, 1)  # the archive covers 2009-01 .. 2019-12
MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}


def parse_month(value: str, where: str) -> date:
    """``09-Jan`` (YY-Mon) -> 2009-01-01."""
    try:
        year, month = value.strip().split("-")
        return date(2000 + int(year), MONTHS[month.lower()[:3]], 1)
    except (ValueError, KeyError) as exc:
        raise ParseError(where, f"bad month {value!r} (expected YY-Mon)") from exc


def parse_archive(text: str, where: str) -> tuple[pd.DataFrame, list[str]]:
    """Rows ``tag, month, questions`` and notes on duplicate columns (first one kept)."""
    rows = list(csv.reader(io.StringIO(text)))
    if len(rows) < 2 or rows[0][0].strip().lower() not in ("month", "date"):
        raise ParseError(where, "expected a header starting with 'month' and monthly rows")
    header = [h.strip().lower() for h in rows[0]]
    first: dict[str, int] = {}
    duplicates: dict[str, list[int]] = {}
    for i, tag in enumerate(header[1:], 1):
        if tag in first:
            duplicates.setdefault(tag, [first[tag]]).append(i)
        else:
            first[tag] = i
    out, notes = [], []
    for number, row in enumerate(rows[1:], 2):
        if len(row) != len(header):
            raise ParseError(where, f"line {number} has {len(row)} cells, header {len(header)}")
        month = parse_month(row[0], f"{where} line {number}")
        for tag, i in first.items():
            if row[i].strip() == "":
                continue  # missing, not zero
            try:
                out.append((tag, month, int(row[i])))
            except ValueError as exc:
                raise ParseError(where, f"line {number}, {tag}: {row[i]!r}") from exc
    for tag, columns in duplicates.items():
        differ = [r[0] for r in rows[1:] if len({r[c] for c in columns}) > 1]
        notes.append(
            f"tag {tag!r} appears in {len(columns)} columns; the first is kept"
            + (
                f"; they disagree in {len(differ)} month(s): {', '.join(differ[:8])}"
                if differ
                else "; their values are identical"
            )
        )
    frame = pd.DataFrame(out, columns=["tag", "month", "questions"])
    return frame, notes


def ingest(ctx: RunContext, path_or_url: str) -> int:
    """Load the archived monthly counts (one CSV or a folder of them) in one transaction."""
    raws = read_inputs(ctx, ARCHIVE_SOURCE, path_or_url, patterns=("*.csv",))
    frames, flags = [], []
    for raw in raws:
        rows, notes = parse_archive(raw.text, raw.url)
        # A local copy of the archive (byte-identical upstream) is cited by its upstream URL.
        url = ARCHIVE_INFO.upstream_url if raw.url.startswith("file:") else raw.url
        provenance = {"source_url": url, "fetched_at": raw.fetched_at, "raw_sha256": raw.sha256}
        frames.append(rows.assign(source=ARCHIVE_SOURCE, **provenance))
        for note in notes:
            flags.append(
                {
                    "source": ARCHIVE_SOURCE,
                    "subject": note.split("'")[1],
                    "period_start": rows["month"].min(),
                    "period_end": rows["month"].max(),
                    "kind": "duplicate_column",
                    "note": note,
                    **provenance,
                }
            )
    rows = pd.concat(frames, ignore_index=True)
    tables = {
        "qa_tag_questions_monthly": rows,
        "quality_flags": pd.DataFrame(flags) if flags else None,
    }
    written = store(ctx.con, ARCHIVE_INFO, tables, {"input": path_or_url})
    log.info("stackoverflow-tags: %d rows, %d new or changed", len(rows), written)
    return written


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _unix(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


def months_to_fetch(ctx: RunContext, tag: str, today: date | None = None) -> list[date]:
    """Months after the last stored API month for ``tag`` (or from 2020-01) up to last month."""
    row = ctx.con.execute(
        "SELECT max(month) FROM cur_qa_tag_questions_monthly WHERE tag = ? AND source = ?",
        [tag, API_SOURCE],
    ).fetchone()
    start = _next_month(row[0]) if row and row[0] else API_START
    this_month = (today or datetime.now(UTC).date()).replace(day=1)
    months = []
    while start < this_month:
        months.append(start)
        start = _next_month(start)
    return months


def _params(tag: str, month: date) -> dict[str, str | int]:
    return {
        "site": "stackoverflow",
        "tagged": tag,
        "fromdate": _unix(month),
        "todate": _unix(_next_month(month)) - 1,
        "filter": "total",
    }


def plan(ctx: RunContext) -> list[PlannedRequest]:
    """The requests a run sends, with their full URLs (the key, when set, is not shown)."""
    today = ctx.options.get("today")
    return [
        PlannedRequest(
            API_SOURCE,
            "GET",
            f"{API_URL}?{urlencode(_params(tag, month))}",
            f"questions tagged {tag} in {month:%Y-%m}",
        )
        for tag in API_TAGS
        for month in months_to_fetch(ctx, tag, today)
    ]


def parse_total(raw: RawResponse) -> tuple[int, float, int | None]:
    """``(total, backoff seconds, quota_remaining)`` of one filter=total response."""
    body = raw.json()
    if not isinstance(body, dict):
        raise ParseError(raw.url, "expected a JSON object")
    if "error_id" in body:
        message = f"{body.get('error_name', 'error')}: {body.get('error_message', '')}"
        if body.get("error_name") == "throttle_violation" or body.get("error_id") == 502:
            raise RateLimitError(raw.url, message, raw.status)
        raise FetchError(raw.url, message, raw.status)
    if not isinstance(body.get("total"), int):
        raise ParseError(raw.url, "no integer 'total' in the response (filter=total?)")
    quota = body.get("quota_remaining")
    return body["total"], float(body.get("backoff") or 0), quota if isinstance(quota, int) else None


def fetch_months(ctx: RunContext, today: date | None = None) -> pd.DataFrame:
    """Totals per tag and month until done or the quota is spent."""
    key = os.environ.get("STACKEXCHANGE_KEY", "")
    rows: list[dict[str, object]] = []
    wanted = [(tag, month) for tag in API_TAGS for month in months_to_fetch(ctx, tag, today)]
    for tag, month in track(wanted, "stack exchange months"):
        raw = ctx.http.get(
            API_SOURCE,
            API_URL,
            params=_params(tag, month),
            secret_params={"key": key} if key else None,
            accept=(200, 400),
        )
        try:
            total, backoff, quota = parse_total(raw)
        except RateLimitError as exc:
            log.warning("Stack Exchange quota spent after %d months: %s", len(rows), exc)
            if not rows:
                raise
            return pd.DataFrame(rows)
        rows.append(
            {
                "tag": tag,
                "month": month,
                "questions": total,
                "source": API_SOURCE,
                "source_url": raw.url,
                "fetched_at": raw.fetched_at,
                "raw_sha256": raw.sha256,
            }
        )
        if backoff:  # the API asks us to wait before calling this method again
            log.info("Stack Exchange backoff: waiting %.0f s", backoff)
            ctx.http.sleep(backoff)
        if quota == 0:
            log.warning("Stack Exchange daily quota spent after %d months", len(rows))
            return pd.DataFrame(rows)
    return pd.DataFrame(rows)


def collect(ctx: RunContext) -> int:
    """Fetch the missing months of every tag and store them in one load."""
    rows = fetch_months(ctx, ctx.options.get("today"))
    if rows.empty:
        log.info("stackoverflow-tags: nothing to fetch")
        return 0
    return store(ctx.con, API_INFO, {"qa_tag_questions_monthly": rows}, {"tags": list(API_TAGS)})


INGESTERS = [
    Ingester(
        "stackoverflow-tags",
        "Stack Overflow questions per tag per month, archived "
        "CSV (MLTollsStackOverflow.csv): a file, folder or URL",
        ingest,
    )
]
COLLECTORS = [
    Collector(
        "stackoverflow-tags",
        "Stack Exchange API: questions per tag per month (pytorch, tensorflow, keras, jax)",
        plan,
        collect,
    )
]
