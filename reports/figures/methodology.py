"""Methodology: definitions, denominators, method breaks and known biases of each signal."""

from __future__ import annotations

import duckdb
import pandas as pd

from reports.figure import Content, TextBlock, join, paragraphs, table
from reports.signals import load_signals, signal_notes

DEFINITIONS = (
    "PyTorch share: for one signal and one period, PyTorch / (PyTorch + TensorFlow), where "
    "each is the signal's measure for that framework (downloads, stars, papers, respondents, "
    "questions, models). Other frameworks (JAX, Keras) are not in the denominator. A period "
    "where either framework has no value has no share: it is a gap, never a zero and never "
    "interpolated from its neighbours.",
    "Year-over-year growth: the value in a period divided by the value in the same period a "
    "year earlier (12 months, or 1 year for yearly signals), minus one; no growth is computed "
    "across a gap or from a zero. Change in a year: the share now minus the share a year "
    "earlier, in percentage points.",
    "Crossover: the first period in which PyTorch's share rose above 50 %, and the sustained "
    "crossover, the first period after which every observed period stayed above 50 %.",
    "Flagged periods (data_flags): method breaks, anomalous, undercounted and missing periods "
    "found in the data. They stay in every dataset and chart, marked, and a verdict or "
    "growth that uses one is not adjusted silently.",
    "As-of: a report dated D reads only loads finished by the end of D (UTC), so a report can "
    "be reproduced later with `census report --as-of D`. Shares are comparable within one "
    "signal over time; levels and shares are not comparable across signals, which measure "
    "different populations.",
)


def _definitions(con: duckdb.DuckDBPyConnection) -> Content:
    return paragraphs(*DEFINITIONS)


def signal_table(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per expected or loaded signal: status, sources, denominator, known biases."""
    raw, _ = load_signals(con)
    loaded = (
        raw.groupby("signal")["source"]
        .agg(lambda s: ", ".join(sorted(set(s.dropna().astype(str)))))
        .to_dict()
        if len(raw)
        else {}
    )
    labels = raw.groupby("signal")["signal_label"].first().to_dict() if len(raw) else {}
    notes = signal_notes()
    rows = []
    for signal in sorted(set(notes) | set(loaded)):
        note = notes.get(signal, {})
        rows.append(
            {
                "signal": labels.get(signal) or note.get("label", signal),
                "status": "loaded"
                if signal in loaded
                else f"missing: load with {note.get('load')}",
                "source": loaded.get(signal, ""),
                "measures": note.get("measures", "(no notes yet in reports/signal_notes.toml)"),
                "denominator": note.get("denominator", ""),
                "known biases": note.get("biases", ""),
            }
        )
    return pd.DataFrame(rows)


def _signals(con: duckdb.DuckDBPyConnection) -> Content:
    return join(
        paragraphs(
            "What each signal measures, its denominator and its known biases. "
            "Signals marked missing are not in this warehouse; the index, "
            "verdicts and coverage are computed without them."
        ),
        table(signal_table(con), "Signals of the adoption index"),
    )


def _method_breaks(con: duckdb.DuckDBPyConnection) -> Content | None:
    frame = con.execute(
        "SELECT source, subject, period, note FROM data_flags WHERE kind = 'method_break' "
        "ORDER BY period_start, source"
    ).df()
    if frame.empty:
        return paragraphs("Method breaks: none recorded in data_flags for the loaded sources.")
    return join(
        paragraphs(
            "Method breaks: periods where an upstream source changed how it "
            "counts. Levels before and after are not comparable; shares within "
            "one period are."
        ),
        table(frame, "Method breaks (data_flags)"),
    )


BLOCKS = [
    TextBlock("methodology-definitions", "methodology", 10, _definitions),
    TextBlock("methodology-signals", "methodology", 20, _signals),
    TextBlock("methodology-method-breaks", "methodology", 30, _method_breaks),
]
