"""Stack Overflow questions per tag after 2019: two archived vintages, and all questions per day.

``census ingest stackoverflow-nschloe PATH`` reads ``monthly_questions_decoded.csv`` (derived from
the plot of nschloe/stackoverflow-trends, fetched 2022-01 .. 2023-06; columns
``tag,month,days_in_month,questions,value_source,questions_unrounded``). Months with
``value_source=interpolated`` are estimates: they are stored and flagged ``interpolated``.

``census ingest stackoverflow-sede PATH`` reads the Stack Exchange Data Explorer exports of
tomazweiss/stackoverflow_decline (queried 2025-03): ``QueryResults_month.csv``
(``tag_name,month,n_questions``, 2022-11 .. 2025-02) and ``counts_by_day.csv``
(``day,n_questions``, every question, the denominator). The last day's month is incomplete and
flagged ``partial_month``.

Each archive counts questions that still existed when it was taken: a later archive is lower
for the same month (deleted questions). The vintages are kept apart (``source``) and compared in
the ``qa_source_overlap`` dataset; the Q&A signal uses one source per month and flags the month
where the source changes.
"""

from __future__ import annotations

import csv
import io
import logging
from datetime import date, datetime

import pandas as pd

from census_base.errors import ParseError
from collectors.inputs import read_inputs
from collectors.raw import RawResponse
from collectors.registry import Ingester, RunContext
from warehouse.load import SourceInfo, begin_load

log = logging.getLogger(__name__)

NSCHLOE_SOURCE = "stackoverflow_trends_nschloe"
SEDE_SOURCE = "stackoverflow_sede"
NSCHLOE_INFO = SourceInfo(
    name=NSCHLOE_SOURCE,
    description="Monthly Stack Overflow questions for tensorflow, pytorch, keras and "
    "scikit-learn to 2023-05, read back from the plot of nschloe/stackoverflow-trends "
    "(Stack Exchange API filter=total; months to 2021-12 fetched 2022-01, later ones a day "
    "after each month ended).",
    licence="Plot CC BY (Nico Schlömer), code GPL-3.0; Stack Overflow content is CC BY-SA.",
    citation="Nico Schlömer, stackoverflow-trends, plots/machine-learning.svg @ 35589a90 "
    "(2023-06-01), values decoded from the SVG path data.",
    upstream_url="https://github.com/nschloe/stackoverflow-trends/blob/"
    "35589a907bb0ae44f305b4cc53975a02f53189e2/plots/machine-learning.svg",
)
SEDE_INFO = SourceInfo(
    name=SEDE_SOURCE,
    description="Stack Exchange Data Explorer, queried 2025-03: questions per month for the 75 "
    "tags with at least 7,000 questions in 2022 (2022-11 .. 2025-02; tensorflow is the only "
    "framework tag) and all questions per day (2008-07-31 .. 2025-03-15). Deleted questions "
    "are excluded.",
    licence="No licence file in the repository; Stack Overflow content is CC BY-SA.",
    citation="Tomaž Weiss, stackoverflow_decline, data/QueryResults_month.csv and "
    "data/counts_by_day.csv @ ec7bb0c5 (2025-03-27).",
    upstream_url="https://github.com/tomazweiss/stackoverflow_decline/tree/"
    "ec7bb0c5d9d6bd102877ab8ab2cb99f6625804c9/data",
)
NSCHLOE_COLUMNS = ["tag", "month", "days_in_month", "questions", "value_source"]
VALUE_SOURCES = ("exact", "interpolated")


def _rows(text: str, where: str, required: list[str]) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise ParseError(where, f"missing column(s) {missing}; header {reader.fieldnames}")
    return list(reader)


def _month(value: str, where: str) -> date:
    try:
        day = datetime.fromisoformat(value.strip()[:10] if len(value) > 7 else value + "-01")
    except ValueError as exc:
        raise ParseError(where, f"bad month {value!r} (expected YYYY-MM)") from exc
    if day.day != 1:
        raise ParseError(where, f"month {value!r} is not the first of a month")
    return day.date()


def _count(value: str, where: str) -> int:
    try:
        number = int(value)
    except ValueError as exc:
        raise ParseError(where, f"bad question count {value!r}") from exc
    if number < 0:
        raise ParseError(where, f"negative question count {number}")
    return number


def parse_nschloe(text: str, where: str) -> tuple[pd.DataFrame, list[tuple[str, date]]]:
    """Rows ``tag, month, questions`` and the interpolated (tag, month) pairs."""
    out, interpolated = [], []
    for line, row in enumerate(_rows(text, where, NSCHLOE_COLUMNS), 2):
        at = f"{where} line {line}"
        if row["value_source"] not in VALUE_SOURCES:
            raise ParseError(at, f"value_source {row['value_source']!r} not in {VALUE_SOURCES}")
        month = _month(row["month"], at)
        out.append((row["tag"].strip().lower(), month, _count(row["questions"], at)))
        if row["value_source"] == "interpolated":
            interpolated.append((out[-1][0], month))
    if not out:
        raise ParseError(where, "no rows")
    return pd.DataFrame(out, columns=["tag", "month", "questions"]), interpolated


def parse_sede_months(text: str, where: str) -> pd.DataFrame:
    """``QueryResults_month.csv`` -> rows ``tag, month, questions``."""
    rows = [
        (r["tag_name"].strip().lower(), _month(r["month"], f"{where} line {i}"),
         _count(r["n_questions"], f"{where} line {i}"))
        for i, r in enumerate(_rows(text, where, ["tag_name", "month", "n_questions"]), 2)
    ]  # fmt: skip
    if not rows:
        raise ParseError(where, "no rows")
    return pd.DataFrame(rows, columns=["tag", "month", "questions"])


def parse_sede_days(text: str, where: str) -> pd.DataFrame:
    """``counts_by_day.csv`` -> rows ``day, questions``."""
    rows = []
    for i, r in enumerate(_rows(text, where, ["day", "n_questions"]), 2):
        try:
            day = datetime.fromisoformat(r["day"].strip()).date()
        except ValueError as exc:
            at = f"{where} line {i}"
            raise ParseError(at, f"bad day {r['day']!r}") from exc
        rows.append((day, _count(r["n_questions"], f"{where} line {i}")))
    if not rows:
        raise ParseError(where, "no rows")
    return pd.DataFrame(rows, columns=["day", "questions"])


def _provenance(raw: RawResponse, info: SourceInfo) -> dict[str, object]:
    url = info.upstream_url if raw.url.startswith("file:") else raw.url
    return {"source_url": url, "fetched_at": raw.fetched_at, "raw_sha256": raw.sha256}


def _flag(source: str, subject: str, start: date, end: date, kind: str, note: str,
          provenance: dict[str, object]) -> dict[str, object]:  # fmt: skip
    return {"source": source, "subject": subject, "period_start": start, "period_end": end,
            "kind": kind, "note": note, **provenance}  # fmt: skip


def ingest_nschloe(ctx: RunContext, path_or_url: str) -> int:
    """Load the decoded monthly counts (interpolated months flagged) in one transaction."""
    raws = read_inputs(ctx, NSCHLOE_SOURCE, path_or_url, patterns=("*.csv",))
    frames, flags = [], []
    for raw in raws:
        rows, interpolated = parse_nschloe(raw.text, raw.url)
        provenance = _provenance(raw, NSCHLOE_INFO)
        frames.append(rows.assign(source=NSCHLOE_SOURCE, **provenance))
        note = "read back from the plot where its path simplification dropped the point: "
        note += "linearly interpolated, an estimate"
        flags += [
            _flag(NSCHLOE_SOURCE, tag, month, month, "interpolated", note, provenance)
            for tag, month in interpolated
        ]
    rows = pd.concat(frames, ignore_index=True)
    with begin_load(ctx.con, NSCHLOE_SOURCE, {"input": path_or_url}) as load:
        load.register_source(NSCHLOE_INFO)
        written = load.upsert("qa_tag_questions_monthly", rows)
        if flags:
            written += load.upsert("quality_flags", pd.DataFrame(flags))
    log.info("stackoverflow-nschloe: %d rows, %d interpolated", len(rows), len(flags))
    return written


def ingest_sede(ctx: RunContext, path_or_url: str) -> int:
    """Load the SEDE tag months and daily totals (a file or the folder with both)."""
    raws = read_inputs(ctx, SEDE_SOURCE, path_or_url, patterns=("*.csv",))
    months, days, flags = [], [], []
    for raw in raws:
        header = raw.text.split("\n", 1)[0]
        provenance = _provenance(raw, SEDE_INFO)
        if "tag_name" in header:
            months.append(parse_sede_months(raw.text, raw.url).assign(**provenance))
        elif header.strip().startswith("day"):
            daily = parse_sede_days(raw.text, raw.url)
            last = daily["day"].max()
            if (last + pd.Timedelta(days=1)).day != 1:
                note = f"the export ends on {last}: the month is incomplete"
                flags.append(_flag(SEDE_SOURCE, "*", last.replace(day=1), last,
                                   "partial_month", note, provenance))  # fmt: skip
            days.append(daily.assign(**provenance))
        else:
            raise ParseError(raw.url, f"not a SEDE export (header {header[:60]!r})")
    with begin_load(ctx.con, SEDE_SOURCE, {"input": path_or_url}) as load:
        load.register_source(SEDE_INFO)
        written = 0
        if months:
            frame = pd.concat(months, ignore_index=True).assign(source=SEDE_SOURCE)
            written += load.upsert("qa_tag_questions_monthly", frame)
        if days:
            frame = pd.concat(days, ignore_index=True).assign(source=SEDE_SOURCE)
            written += load.upsert("qa_questions_daily_totals", frame)
        if flags:
            written += load.upsert("quality_flags", pd.DataFrame(flags))
    log.info("stackoverflow-sede: %d monthly files, %d daily files", len(months), len(days))
    return written


INGESTERS = [
    Ingester(
        "stackoverflow-nschloe",
        "Stack Overflow questions per tag per month to 2023-05 (nschloe/stackoverflow-trends, "
        "monthly_questions_decoded.csv): a file or folder",
        ingest_nschloe,
    ),
    Ingester(
        "stackoverflow-sede",
        "Stack Overflow SEDE exports: QueryResults_month.csv (questions per tag per month) and "
        "counts_by_day.csv (all questions per day): a file or folder",
        ingest_sede,
    ),
]
