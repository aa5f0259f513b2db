"""Headline: the adoption index as a table, one row per signal, current signals first."""

from __future__ import annotations

import duckdb
import pandas as pd

from analysis.currency import MAX_AGE_MONTHS, age_text
from analysis.headline import format_period
from reports.figure import Content, TextBlock, join, paragraphs, table
from reports.figures.headline import current_summary
from reports.signals import missing_signals, signal_notes


def _pct(value: float, fmt: str = "{:.0%}") -> str:
    return "" if pd.isna(value) else fmt.format(value)


def _with_break(value: str, breaks: str) -> str:
    return f"{value} (spans {breaks})" if value and breaks else value


def index_rows(summary: pd.DataFrame) -> pd.DataFrame:
    """The table's rows: status (current / history), last period and age, latest share,
    change in a year, crossover, growth; a value spanning a method break says so."""
    summary = summary.sort_values(["current", "age_months"], ascending=[False, True])
    return pd.DataFrame(
        {
            "signal": summary["signal_label"],
            "status": ["current" if c else "history" for c in summary["current"]],
            "last period (age)": [
                f"{format_period(p, g)} ({age_text(a)})"
                for p, g, a in zip(
                    summary["latest_period"],
                    summary["granularity"],
                    summary["age_months"],
                    strict=True,
                )
            ],
            "periods": [
                f"{format_period(a, g)}..{format_period(b, g)} ({n})"
                for a, b, g, n in zip(
                    summary["first_period"],
                    summary["last_observed_period"],
                    summary["granularity"],
                    summary["periods"],
                    strict=True,
                )
            ],
            "PyTorch share (latest)": summary["latest_share"].map(_pct),
            "change in a year": [
                _with_break("" if pd.isna(v) else f"{v * 100:+.0f} pp", b)
                for v, b in zip(summary["share_change_1y"], summary["growth_breaks"], strict=True)
            ],
            "crossover (sustained)": [
                _with_break(format_period(v, g), b) or "not crossed"
                for v, g, b in zip(
                    summary["crossover_sustained"],
                    summary["granularity"],
                    summary["crossover_breaks"],
                    strict=True,
                )
            ],
            "PyTorch YoY": [
                _with_break(_pct(v, "{:+.0%}"), b)
                for v, b in zip(summary["torch_yoy"], summary["growth_breaks"], strict=True)
            ],
            "TensorFlow YoY": [
                _with_break(_pct(v, "{:+.0%}"), b)
                for v, b in zip(summary["tensorflow_yoy"], summary["growth_breaks"], strict=True)
            ],
            "flagged / missing periods": [
                f"{a} / {b}"
                for a, b in zip(summary["flagged_periods"], summary["missing_periods"], strict=True)
            ],
            "source": summary["source"],
        }
    )


def _index_table(con: duckdb.DuckDBPyConnection) -> Content | None:
    summary = current_summary(con)
    missing = missing_signals(set(summary["signal"]) if not summary.empty else set())
    notes = signal_notes()
    gone = paragraphs(
        "Signals not in the warehouse (named so that their absence is visible): "
        + (
            ", ".join(f"{notes[m]['label']} ({m}; load with {notes[m]['load']})" for m in missing)
            or "none"
        )
        + "."
    )
    if summary.empty:
        return join(paragraphs("No adoption signal is loaded yet."), gone)
    intro = paragraphs(
        f"'current': the signal's latest period ended within {MAX_AGE_MONTHS} months of the "
        "report date; 'history': older, shown for the record and never counted as today. "
        "'Latest' skips a period whose venue set differs (it stays in 'periods'). A change, "
        "growth or crossover whose year spans a flagged method break names it."
    )
    return join(intro, table(index_rows(summary), "The adoption index per signal"), gone)


BLOCKS = [TextBlock("headline-index-table", "headline", 12, _index_table)]
