"""Hacker News "Ask HN: Who is hiring?" job posts per month mentioning PyTorch, TensorFlow, Keras.

``census ingest hn-hiring PATH`` reads hntrends' verbatim data file (``data-YYYYMMDD.js``: one
JavaScript array literal with unquoted keys, ``data=[{month:"May24",num_comments:409,
terms:{PyTorch:{count:4,percentage:.98,...},...}},...]``), parsed with ``chompjs`` (a maintained
parser for JavaScript object literals; it is not JSON). Each monthly file upstream holds the whole
history. One comment is one job post, so ``num_comments`` is the denominator of every count.
Months absent from the file (2011-07) are flagged ``missing_period``, never zero.
"""

from __future__ import annotations

import csv
import io
import logging
from datetime import date, datetime
from typing import Any

import chompjs
import pandas as pd

from census_base.errors import ParseError
from collectors.inputs import read_inputs
from collectors.registry import Ingester, RunContext
from warehouse.load import SourceInfo, store

log = logging.getLogger(__name__)

SOURCE = "hn_who_is_hiring"
SOURCE_INFO = SourceInfo(
    name=SOURCE,
    description="Hacker News 'Ask HN: Who is hiring?' threads, 2011-04 .. 2024-05: job posts "
    "(top-level comments) per month and how many mention each term (hntrends).",
    licence="MIT (ryanwi/hiringtrends LICENSE.md, (c) 2013-2024 Ryan Williams); the posts are "
    "Hacker News comments read through the HN Algolia API.",
    citation="Ryan Williams, hntrends (ryanwi/hiringtrends), web/data/data-20240501.js @ "
    "b300bbc3 (2024-06-14).",
    upstream_url="https://github.com/ryanwi/hiringtrends/blob/"
    "b300bbc31637e7037e953148b56eff021808aaaf/web/data/data-20240501.js",
)
# The terms kept (the frameworks, plus context terms for the derived cross-check CSV).
TERMS = ("AI", "Deep Learning", "Keras", "Machine Learning", "PyTorch", "Python", "TensorFlow")
DERIVED_HEADER = ["month", "hn_month_label", "num_comments", "term", "count", "percentage"]


def parse_label(label: str, where: str) -> date:
    """``May24`` -> 2024-05-01."""
    try:
        return datetime.strptime(label, "%b%y").date()
    except ValueError as exc:
        raise ParseError(where, f"bad month label {label!r} (expected e.g. May24)") from exc


def parse_js(text: str, where: str) -> list[dict[str, Any]]:
    """The ``data=[...]`` array literal as a list of month objects."""
    if "data" not in text[:20] or "[" not in text[:40]:
        raise ParseError(where, "expected a JavaScript file starting 'data=[{month:...'")
    try:
        months: Any = chompjs.parse_js_object(text)
    except ValueError as exc:
        raise ParseError(where, f"not a JavaScript array literal: {exc}") from exc
    if not isinstance(months, list) or not months:
        raise ParseError(where, "the data array is empty")
    for item in months:
        if not isinstance(item, dict) or not {"month", "num_comments", "terms"} <= item.keys():
            raise ParseError(where, f"month entry without month/num_comments/terms: {item!r:.80}")
    return months


def parse_months(text: str, where: str) -> pd.DataFrame:
    """Rows ``month, label, term, posts, posts_matching, percentage`` for :data:`TERMS`."""
    rows = []
    for item in parse_js(text, where):
        month = parse_label(item["month"], where)
        posts = int(item["num_comments"])
        for term in TERMS:
            entry = item["terms"].get(term)
            if entry is None:
                raise ParseError(where, f"{item['month']}: no term {term!r}")
            count = int(entry["count"])
            if not 0 <= count <= posts:
                raise ParseError(where, f"{item['month']} {term}: {count} of {posts} posts")
            rows.append((month, item["month"], term, posts, count, entry["percentage"]))
    columns = ["month", "label", "term", "posts", "posts_matching", "percentage"]
    frame = pd.DataFrame(rows, columns=columns)
    if frame.duplicated(["month", "term"]).any():
        raise ParseError(where, "a month appears twice")
    return frame.sort_values(["month", "term"], kind="stable").reset_index(drop=True)


def _number(value: float) -> str:
    """A JavaScript number as the derived CSV writes it (0, 15, 0.46)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def derived_csv(months: pd.DataFrame) -> str:
    """The staged ``ml_terms_monthly_derived.csv`` rebuilt from the parsed months."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(DERIVED_HEADER)
    for row in months.itertuples(index=False):
        writer.writerow(
            [f"{row.month:%Y-%m}", row.label, row.posts, row.term, row.posts_matching,
             _number(row.percentage)]
        )  # fmt: skip
    return out.getvalue()


def missing_months(months: pd.DataFrame) -> list[date]:
    """Calendar months between the first and last with no thread in the file."""
    present = set(months["month"])
    first, last = min(present), max(present)
    wanted = pd.date_range(first, last, freq="MS").date
    return [m for m in wanted if m not in present]


def ingest(ctx: RunContext, path_or_url: str) -> int:
    """Load the newest data file's months (the whole history) in one transaction."""
    raws = read_inputs(ctx, SOURCE, path_or_url, patterns=("*.js",))
    raw = max(raws, key=lambda r: r.url)  # each file holds the whole history: the newest wins
    months = parse_months(raw.text, raw.url)
    url = SOURCE_INFO.upstream_url if raw.url.startswith("file:") else raw.url
    provenance = {"source_url": url, "fetched_at": raw.fetched_at, "raw_sha256": raw.sha256}
    rows = months.drop(columns=["label"]).assign(source=SOURCE, **provenance)
    flags = [
        {"source": SOURCE, "subject": "*", "period_start": m, "period_end": m,
         "kind": "missing_period", "note": "no 'Who is hiring?' month in the data file",
         **provenance}
        for m in missing_months(months)
    ]  # fmt: skip
    tables = {"job_posts_monthly": rows, "quality_flags": pd.DataFrame(flags) if flags else None}
    written = store(ctx.con, SOURCE_INFO, tables, {"input": path_or_url})
    log.info("hn-hiring: %d months, %d missing", months["month"].nunique(), len(flags))
    return written


INGESTERS = [
    Ingester(
        "hn-hiring",
        "Hacker News 'Who is hiring?' posts per month mentioning each framework (hntrends "
        "data-YYYYMMDD.js): a file or folder",
        ingest,
    )
]
