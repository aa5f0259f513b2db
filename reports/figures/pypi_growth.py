"""Downloads: PyPI growth against the reference packages and the crossover per TensorFlow
definition (tensorflow alone vs the TensorFlow family)."""

from __future__ import annotations

import duckdb
import pandas as pd

from analysis.pypi_growth import REFERENCES, crossover_range, relative_to_references, series_growth
from reports.figure import Content, TextBlock, join, paragraphs, table
from reports.signals import per_build

# One source (top_pypi) for every series, so levels share a method month by month.
SERIES_SQL = """
SELECT month, family AS series, downloads FROM pypi_core_monthly
WHERE family IN ('torch', 'tensorflow')
UNION ALL
SELECT month, CASE package WHEN 'tensorflow' THEN 'tensorflow (package alone)' ELSE package END
       AS series, downloads
FROM downloads_monthly
WHERE channel = 'pypi' AND source = 'top_pypi'
  AND package IN ('tensorflow', 'numpy', 'pip', 'pandas')
"""
FLAGS_SQL = """
SELECT month, string_agg(DISTINCT flags, ',') AS flags FROM pypi_core_monthly
WHERE coalesce(flags, '') <> '' GROUP BY month
"""
NAMES = {"torch": "PyTorch (torch)", "tensorflow": "TensorFlow family (core packages)"}


@per_build
def _frames(con: duckdb.DuckDBPyConnection) -> tuple[pd.DataFrame, pd.DataFrame]:
    try:
        series = con.execute(SERIES_SQL).df()
        flags = con.execute(FLAGS_SQL).df()
    except duckdb.CatalogException:
        return pd.DataFrame(), pd.DataFrame()
    return series, flags


def growth_table(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Latest YoY growth of torch, the TensorFlow family, tensorflow alone and the references."""
    series, flags = _frames(con)
    if series.empty:
        return series
    order = ["torch", "tensorflow", "tensorflow (package alone)", *REFERENCES]
    growth = relative_to_references(series_growth(series, flags), references=REFERENCES)
    rank = growth["series"].map({s: i for i, s in enumerate(order)})
    return growth.assign(_rank=rank).sort_values("_rank").drop(columns="_rank")


def _block(con: duckdb.DuckDBPyConnection) -> Content | None:
    series, _ = _frames(con)
    growth = growth_table(con)
    if growth.empty:
        return None

    def pct(v: float) -> str:
        return "" if pd.isna(v) else f"{v:+.0%}"

    shown = pd.DataFrame(
        {
            "series": [NAMES.get(s, s) for s in growth["series"]],
            "months compared": [
                f"{b:%Y-%m} -> {m:%Y-%m}"
                for b, m in zip(growth["base_month"], growth["month"], strict=True)
            ],
            "growth": growth["growth"].map(pct),
            "median of numpy, pip, pandas": growth["reference_growth"].map(pct),
            "relative to them": growth["relative"].map(pct),
            "spans a method break": [b or "no" for b in growth["breaks"]],
        }
    )
    definitions = {
        "TensorFlow family (tensorflow, -cpu, -gpu, -macos, tf-nightly)": ("tensorflow",),
        "tensorflow package alone": ("tensorflow (package alone)",),
    }
    crossings = crossover_range(series, definitions)
    parts = []
    for c in crossings:
        when = (
            f"sustained from {pd.Timestamp(c['sustained']):%Y-%m}"
            if pd.notna(c["sustained"])
            else "not crossed for good"
        )
        share = "" if c["latest_share"] is None else f", {c['latest_share']:.0%} in "
        month = "" if pd.isna(c["latest_month"]) else f"{pd.Timestamp(c['latest_month']):%Y-%m}"
        parts.append(f"against the {c['definition']}: {when}{share}{month}")
    broken = growth[growth["breaks"] != ""]
    intro = paragraphs(
        "PyPI growth is read against packages no framework choice drives: over the same "
        "months numpy, pip and pandas moved as well, so a framework's growth is shown relative "
        "to their median, (1 + growth) / (1 + median reference growth) - 1. "
        + (
            f"{len(broken)} of {len(growth)} series compare months across a method break "
            f"({', '.join(sorted(set(broken['breaks'])))}: the BigQuery to ClickHouse change "
            "of 2025-07); their growth is not a change in use and is never a headline."
            if len(broken)
            else "No series spans a flagged method break."
        ),
        "The PyTorch crossover depends on what counts as TensorFlow; both definitions, as a "
        "range: PyTorch share of PyTorch + TensorFlow " + "; ".join(parts) + ".",
    )
    return join(intro, table(shown, "PyPI year-over-year growth against reference packages"))


BLOCKS = [TextBlock("downloads-pypi-growth-vs-reference", "downloads", 25, _block)]
