"""Headline: verdicts on the claims comparison posts make (analysis/claims.toml)."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

import duckdb
import pandas as pd

from analysis.currency import MAX_AGE_MONTHS
from analysis.headline import signal_summary
from analysis.verdicts import Claim, Verdict, evaluate_all, load_claims, verdict_frame
from reports.figure import Content, TextBlock, join, paragraphs, table
from reports.signals import load_signals, per_build

log = logging.getLogger(__name__)


def report_date(con: duckdb.DuckDBPyConnection) -> date:
    """The as-of date the report is built for (today when not set)."""
    row = con.execute(
        "SELECT coalesce(getvariable('census_data_as_of')::TIMESTAMPTZ, "
        "getvariable('census_as_of')::TIMESTAMPTZ)"
    ).fetchone()
    if row and row[0] is not None:
        stamp = row[0]
        return (stamp.astimezone(UTC) if stamp.tzinfo else stamp).date()
    return datetime.now(UTC).date()


def benchmark_rows(con: duckdb.DuckDBPyConnection, claim: Claim) -> pd.DataFrame | None:
    """The claim's benchmark query (``case, framework, value``), None when its data is absent."""
    try:
        frame = con.execute(claim.sql).df()
    except duckdb.CatalogException:
        return None  # the benchmark dataset is not in this warehouse
    except duckdb.Error as exc:
        log.warning("claim %s: benchmark query failed (%s); treated as no data", claim.id, exc)
        return None
    missing = {"case", "framework", "value"} - set(frame.columns)  # started_at: run order
    if missing:
        msg = f"claim {claim.id}: benchmark query must return case, framework, value"
        raise ValueError(msg)
    return frame


@per_build
def compute_verdicts(con: duckdb.DuckDBPyConnection) -> list[Verdict]:
    """Every claim's verdict from the warehouse as it stands (respecting ``--as-of``)."""
    claims = load_claims()
    _, shares = load_signals(con)
    summary = signal_summary(shares)
    benchmarks = {c.id: benchmark_rows(con, c) for c in claims if c.rule == "benchmark_interval"}
    return evaluate_all(claims, summary, report_date(con), benchmarks)


def _verdicts(con: duckdb.DuckDBPyConnection) -> Content:
    from reports.figures import all_blocks  # here: that package imports this module

    frame = verdict_frame(compute_verdicts(con))
    declared = {block.id for block in all_blocks()}
    frame["chart"] = [c if c in declared else f"{c} (not in this build)" for c in frame["chart"]]
    counts = frame["verdict"].value_counts()
    frame["verdict"] = [
        f"{v} ({c})" if c else v for v, c in zip(frame["verdict"], frame["confidence"], strict=True)
    ]
    shown = frame[["claim", "verdict", "evidence", "metric and rule", "chart"]]
    intro = paragraphs(
        "Claims that comparison posts make, tested against the warehouse at report time "
        "(analysis/claims.toml gives each claim's metric and rule). "
        + ", ".join(f"{n} {v}" for v, n in counts.items())
        + ". "
        f"Claims about today read only current signals (latest period within "
        f"{MAX_AGE_MONTHS} months of the report date); older signals are named as history. "
        "A verdict is 'supported' when every current signal agrees, 'contradicted' when "
        "every one disagrees, 'mixed' otherwise, 'insufficient current data' when only stale "
        "signals exist, and 'insufficient data' when no signal the rule needs is loaded; "
        "the bracket gives the evidence count. Performance is decided on the 95 % interval "
        "of the paired ratio, never a point ratio. The chart column names the evidence "
        "chart's id."
    )
    content = table(shown, "Claim verdicts")
    linked = content.html
    for chart in sorted(set(frame["chart"]) & declared):  # ids are [a-z0-9-]: HTML-safe
        linked = linked.replace(f"<td>{chart}</td>", f'<td><a href="#{chart}">{chart}</a></td>')
    return join(intro, Content(content.markdown, linked))


BLOCKS = [TextBlock("headline-verdicts", "headline", 20, _verdicts)]
