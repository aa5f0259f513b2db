"""Coverage and freshness per source and signal, what is missing, and the flagged periods."""

from __future__ import annotations

import duckdb
import pandas as pd

from analysis.headline import format_period, signal_summary
from reports.catalogue import known_sources
from reports.cutoff import kept_sql
from reports.figure import Content, TextBlock, join, paragraphs, table
from reports.signals import load_signals, missing_signals, signal_notes
from warehouse.db import fact_tables

AS_OF_FILTER = "(getvariable('census_as_of') IS NULL OR finished_at <= getvariable('census_as_of'))"


def coverage_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per fact table and source: rows, period covered, last fetched, last load, flags; with
    ``--as-of``, only rows whose period ended by then (as every chart's data)."""
    rows = []
    described: dict[str, list[tuple[str, str]]] = {}
    for view, column, kind in con.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'main' AND starts_with(table_name, 'cur_') "
        "ORDER BY table_name, ordinal_position"
    ).fetchall():
        described.setdefault(view, []).append((column, kind))
    for name in fact_tables(con):
        columns = described.get(f"cur_{name}", [])
        period_col = next((c for c, t in columns if t == "DATE"), None)
        if period_col is None and any(c == "year" for c, _ in columns):
            period_col = "year"
        span = (
            f"min({period_col})::VARCHAR, max({period_col})::VARCHAR"
            if period_col
            else "NULL, NULL"
        )
        kept = kept_sql(period_col) if period_col else "TRUE"  # --as-of cuts here too
        found = con.execute(
            f"SELECT source, count(*), {span}, max(fetched_at)::DATE::VARCHAR, max(load_id) "
            f"FROM cur_{name} WHERE {kept} GROUP BY source ORDER BY source"
        ).fetchall()
        for source, count, first, last, fetched, load in found:
            rows.append(
                {
                    "dataset table": name,
                    "source": source,
                    "rows": count,
                    "period": f"{first} .. {last}" if first else "",
                    "last fetched": fetched,
                    "latest load": load,
                }
            )
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    flags = con.execute("SELECT source, count(*) AS flags FROM data_flags GROUP BY source").df()
    return frame.merge(flags, on="source", how="left").fillna({"flags": 0}).astype({"flags": int})


def source_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per source with a load visible at the report's as-of: loads, rows, periods, freshness."""
    loads = con.execute(
        f"SELECT source, count(*) AS loads, max(finished_at)::DATE::VARCHAR AS last_load "
        f"FROM _loads WHERE status = 'ok' AND {AS_OF_FILTER} GROUP BY source ORDER BY source"
    ).df()
    tables = coverage_frame(con)
    rows = []
    for _, load in loads.iterrows():
        mine = tables[tables["source"] == load["source"]] if not tables.empty else tables
        periods = [p for p in (mine["period"] if not mine.empty else []) if p]
        starts = sorted(p.split(" .. ")[0] for p in periods)
        ends = sorted(p.split(" .. ")[1] for p in periods)
        rows.append(
            {
                "source": load["source"],
                "period covered": f"{starts[0]} .. {ends[-1]}" if periods else "",
                "last fetched": max(mine["last fetched"].dropna(), default="")
                if not mine.empty
                else "",
                "rows": int(mine["rows"].sum()) if not mine.empty else 0,
                "flags": int(mine["flags"].max()) if not mine.empty else 0,
                "loads": int(load["loads"]),
                "last load": load["last_load"],
                "tables": ", ".join(mine["dataset table"]) if not mine.empty else "",
            }
        )
    return pd.DataFrame(rows)


def _coverage(con: duckdb.DuckDBPyConnection) -> Content:
    frame = source_frame(con)
    loaded = set(frame["source"]) if not frame.empty else set()
    absent = {name: how for name, how in known_sources().items() if name not in loaded}
    gone = paragraphs(
        "Sources this code can load that are not in the warehouse as of this report: "
        + ("; ".join(f"{name} (load with {how})" for name, how in sorted(absent.items())) or "none")
        + "."
    )
    if frame.empty:
        return join(paragraphs("The warehouse holds no data yet."), gone)
    caption = "Per source: period covered, last fetched, rows, flags (as of this report)"
    return join(table(frame, caption), gone)


def _signal_coverage(con: duckdb.DuckDBPyConnection) -> Content:
    _, shares = load_signals(con)
    summary = signal_summary(shares)
    notes = signal_notes()
    missing = missing_signals(set(summary["signal"]) if not summary.empty else set())
    gone = paragraphs(
        "Missing signals (no rows in the warehouse, so absent from the index and "
        "verdicts): " + (", ".join(f"{notes[m]['label']} ({m})" for m in missing) or "none") + "."
    )
    if summary.empty:
        return gone
    frame = pd.DataFrame(
        {
            "signal": summary["signal"],
            "source": summary["source"],
            "granularity": summary["granularity"],
            "first period": [
                format_period(v, g)
                for v, g in zip(summary["first_period"], summary["granularity"], strict=True)
            ],
            "latest period": [
                format_period(v, g)
                for v, g in zip(summary["latest_period"], summary["granularity"], strict=True)
            ],
            "periods with a share": summary["periods"],
            "gaps": summary["missing_periods"],
            "flagged": summary["flagged_periods"],
        }
    )
    return join(table(frame, "Per signal: periods covered, gaps and flags"), gone)


def _flags(con: duckdb.DuckDBPyConnection) -> Content | None:
    frame = con.execute(
        "SELECT source, subject, period, kind, note FROM data_flags ORDER BY source, period_start"
    ).df()
    if frame.empty:
        return None
    intro = paragraphs(
        "Flagged periods: method breaks, anomalous and missing periods found in the data. "
        "They stay in every dataset and chart (marked), and no value is interpolated across "
        "them."
    )
    return join(intro, table(frame, "data_flags"))


BLOCKS = [
    TextBlock("coverage-sources", "coverage", 10, _coverage),
    TextBlock("coverage-signals", "coverage", 20, _signal_coverage),
    TextBlock("methodology-flags", "methodology", 90, _flags),
]
