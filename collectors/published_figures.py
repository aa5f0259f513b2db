"""Published headline figures: a curated, cited table kept in this repository.

``census ingest published-figures collectors/published_figures.csv`` loads
``collectors/published_figures.csv`` (one row per published number: who published it, where,
when, about which population and year, the metric, the framework, the value as published and
notes). Every number is entered with its citation, never derived here; rows that lack a source
URL, a date or a valid value are refused with the line named, and nothing is stored.
"""

from __future__ import annotations

import csv
import io
import logging
import math
import re
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pandas as pd

from census_base.errors import ParseError
from census_base.paths import SOURCE_ROOT
from collectors.inputs import read_inputs
from collectors.raw import RawResponse
from collectors.registry import Ingester, RunContext
from collectors.validate import non_negative, not_after_fetch, parse_guard, strict_text
from warehouse.load import SourceInfo, store

log = logging.getLogger(__name__)

SOURCE = "published_figures"
TABLE_FILE = Path(__file__).with_name("published_figures.csv")
SOURCE_INFO = SourceInfo(
    name=SOURCE,
    description="Headline figures as published in blog posts and reports (survey shares, "
    "paper shares), each with its own URL and date; entered by hand, not measured.",
    licence="Facts quoted with attribution from the publications named in each row.",
    citation="framework-census, collectors/published_figures.csv (each row cites its own "
    "publication).",
    upstream_url="https://github.com/framework-census",
)
COLUMNS = [
    "figure_id",
    "publisher",
    "url",
    "publication_date",
    "population",
    "period_year",
    "metric",
    "framework",
    "value",
    "unit",
    "qualifier",
    "compare_survey",
    "compare_segment",
    "notes",
]
REQUIRED = [
    "figure_id",
    "publisher",
    "url",
    "publication_date",
    "population",
    "metric",
    "framework",
    "value",
    "unit",
    "qualifier",
]
UNITS = {"percent", "count"}
QUALIFIERS = {"exact", "at_least", "about"}
SURVEYS = {"kaggle", "stackoverflow"}
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def parse_date(value: str, where: str) -> tuple[date, str]:
    """``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` -> (first day, precision)."""
    match = _DATE.match(value.strip())
    if not match:
        raise ParseError(where, f"publication_date {value!r} is not YYYY[-MM[-DD]]")
    year, month, day = match.groups()
    precision = "day" if day else "month" if month else "year"
    try:
        return date(int(year), int(month or 1), int(day or 1)), precision
    except ValueError as exc:
        raise ParseError(where, f"publication_date {value!r}: {exc}") from exc


def _row(record: dict[str, str], where: str) -> dict[str, object]:
    empty = [c for c in REQUIRED if not (record.get(c) or "").strip()]
    if empty:
        raise ParseError(where, f"empty required field(s) {empty}")
    url = record["url"].strip()
    if not url.startswith(("https://", "http://")):
        raise ParseError(where, f"url {url!r} is not an http(s) address")
    published, precision = parse_date(record["publication_date"], where)
    try:
        value = float(record["value"])
    except ValueError as exc:
        raise ParseError(where, f"value {record['value']!r} is not a number") from exc
    if not math.isfinite(value):
        raise ParseError(where, f"value {record['value']!r} is not a finite number")
    unit, qualifier = record["unit"].strip(), record["qualifier"].strip()
    if unit not in UNITS or qualifier not in QUALIFIERS:
        msg = f"unit must be one of {sorted(UNITS)}, qualifier one of {sorted(QUALIFIERS)}"
        raise ParseError(where, msg)
    if unit == "count":
        non_negative(value, where, "value (a count)")
    if unit == "percent" and not 0 <= value <= 100 and "growth" not in record["metric"]:
        raise ParseError(where, f"percent value {value} outside 0..100")
    survey = (record.get("compare_survey") or "").strip() or None
    segment = (record.get("compare_segment") or "").strip() or None
    if (survey is None) != (segment is None) or (survey and survey not in SURVEYS):
        msg = f"compare_survey ({sorted(SURVEYS)}) and compare_segment go together"
        raise ParseError(where, msg)
    year = (record.get("period_year") or "").strip()
    return {
        "figure_id": record["figure_id"].strip(),
        "publisher": record["publisher"].strip(),
        "url": url,
        "publication_date": published,
        "date_precision": precision,
        "population": record["population"].strip(),
        "period_year": int(year) if year else None,
        "metric": record["metric"].strip(),
        "framework": record["framework"].strip(),
        "value": value,
        "unit": unit,
        "qualifier": qualifier,
        "compare_survey": survey,
        "compare_segment": segment,
        "notes": (record.get("notes") or "").strip(),
    }


@parse_guard
def parse_published(raw: RawResponse) -> pd.DataFrame:
    """The curated CSV -> validated rows of ``published_figure_values`` (with provenance)."""
    reader = csv.DictReader(io.StringIO(strict_text(raw.body, raw.url), newline=""))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ParseError(raw.url, f"missing column(s) {missing}")
    rows = [_row(record, f"{raw.url} line {number}") for number, record in enumerate(reader, 2)]
    for number, row in enumerate(rows, 2):
        not_after_fetch(row["publication_date"], raw, "publication_date", number)  # type: ignore[arg-type]
    if not rows:
        raise ParseError(raw.url, "no figures")
    frame = pd.DataFrame(rows)
    repeated = frame["figure_id"][frame["figure_id"].duplicated()].tolist()
    if repeated:
        raise ParseError(raw.url, f"repeated figure_id(s) {repeated}")
    return frame.assign(
        source=SOURCE,
        source_url=_cited_url(raw.url),
        fetched_at=raw.fetched_at,
        raw_sha256=raw.sha256,
    )


def ingest(ctx: RunContext, path_or_url: str) -> int:
    """Validate and load the curated table in one transaction."""
    raws = read_inputs(ctx, SOURCE, path_or_url, patterns=("published_figures*.csv",))
    rows = pd.concat([parse_published(raw) for raw in raws], ignore_index=True)
    written = store(ctx.con, SOURCE_INFO, {"published_figure_values": rows}, {"input": path_or_url})
    log.info("published-figures: %d figures, %d new or changed", len(rows), written)
    return written


INGESTERS = [
    Ingester(
        "published-figures",
        f"Published headline figures, the curated CSV ({TABLE_FILE.name} in collectors/)",
        ingest,
    )
]


def _cited_url(url: str) -> str:
    """The table kept in this repository is cited by its path in the repository."""
    if url.startswith("file:"):
        path = Path(unquote(urlsplit(url).path))
        if path.is_relative_to(SOURCE_ROOT):
            return path.relative_to(SOURCE_ROOT).as_posix()
    return url
