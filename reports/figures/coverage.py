"""Coverage and freshness per source, and the flagged periods (methodology)."""

from __future__ import annotations

import duckdb
import pandas as pd

from reports.figure import Content, TextBlock, join, paragraphs, table
from warehouse.db import fact_tables


def coverage_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per fact table and source: rows, period covered, last fetched, last load, flags."""
    rows = []
    for name in fact_tables(con):
        columns = con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = ? ORDER BY ordinal_position",
            [f"cur_{name}"],
        ).fetchall()
        period_col = next((c for c, t in columns if t == "DATE"), None)
        if period_col is None and any(c == "year" for c, _ in columns):
            period_col = "year"
        span = (
            f"min({period_col})::VARCHAR, max({period_col})::VARCHAR"
            if period_col
            else "NULL, NULL"
        )
        found = con.execute(
            f"SELECT source, count(*), {span}, max(fetched_at)::DATE::VARCHAR, max(load_id) "
            f"FROM cur_{name} GROUP BY source ORDER BY source"
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


def _coverage(con: duckdb.DuckDBPyConnection) -> Content:
    frame = coverage_frame(con)
    if frame.empty:
        return paragraphs("The warehouse holds no data yet.")
    return table(frame, "Rows, period covered and freshness per source (as of this report)")


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
    TextBlock("methodology-flags", "methodology", 90, _flags),
]
