"""Headline: the cross-source adoption index (PyTorch share per signal) and YoY growth."""

from __future__ import annotations

import altair as alt
import duckdb
import pandas as pd

from analysis.charts_index import adoption_index_chart, growth_chart
from analysis.index import format_period, signal_summary
from analysis.theme import FRAMEWORK_LABELS
from reports.figure import Content, Figure, TextBlock, join, paragraphs, table
from reports.signals import load_signals, missing_signals, signal_notes

INDEX_COLUMNS = [
    "period",
    "signal",
    "signal_label",
    "source",
    "granularity",
    "torch",
    "tensorflow",
    "share",
    "flags",
    "flagged",
    "observed",
    "share_change_1y",
    "torch_yoy",
    "tensorflow_yoy",
]


def index_data(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every signal's periods with the PyTorch share (null where unobserved)."""
    _, shares = load_signals(con)
    if shares.empty or not shares["observed"].any():
        return pd.DataFrame(columns=INDEX_COLUMNS)
    return shares[INDEX_COLUMNS].sort_values(["signal", "period"]).reset_index(drop=True)


def _crossovers(frame: pd.DataFrame) -> pd.DataFrame:
    summary = signal_summary(frame)
    rows = []
    for _, row in summary.iterrows():
        period = row["crossover_sustained"]
        if pd.isna(period):
            continue
        share = frame[(frame["signal"] == row["signal"]) & (frame["period"] == period)]["share"]
        rows.append(
            {
                "period": period,
                "share": float(share.iloc[0]),
                "signal_label": row["signal_label"],
                "label": f"crossover {format_period(period, row['granularity'])}",
            }
        )
    return pd.DataFrame(rows, columns=["period", "share", "signal_label", "label"])


def _index_chart(frame: pd.DataFrame) -> alt.TopLevelMixin:
    return adoption_index_chart(frame, _crossovers(frame))


def _index_title(frame: pd.DataFrame) -> str:
    summary = signal_summary(frame)
    ahead = summary[summary["latest_share"] > 0.5]
    low, high = (
        summary.nsmallest(1, "latest_share").iloc[0],
        summary.nlargest(1, "latest_share").iloc[0],
    )
    if len(summary) == 1:
        row = summary.iloc[0]
        leader = "PyTorch leads" if row["latest_share"] > 0.5 else "TensorFlow leads"
        return (
            f"{leader} on the one signal loaded, {row['signal_label']}: PyTorch has "
            f"{row['latest_share']:.0%} of PyTorch+TensorFlow in "
            f"{format_period(row['latest_period'], row['granularity'])}"
        )
    return (
        f"PyTorch leads TensorFlow on {len(ahead)} of {len(summary)} signals in their latest "
        f"period: PyTorch share from {low['latest_share']:.0%} on {low['signal_label']} to "
        f"{high['latest_share']:.0%} on {high['signal_label']}"
    )


def _index_caption(frame: pd.DataFrame) -> str:
    summary = signal_summary(frame)
    spans = "; ".join(
        f"{r['signal_label']} ({r['source']}, "
        f"{format_period(r['first_period'], r['granularity'])} to "
        f"{format_period(r['latest_period'], r['granularity'])}, {r['granularity']}ly)"
        for _, r in summary.iterrows()
    )
    missing = missing_signals(set(summary["signal"]))
    names = signal_notes()
    text = (
        f"PyTorch share = PyTorch / (PyTorch + TensorFlow) per period and signal: {spans}. "
        "A share is a ratio within one period and signal, so it removes ecosystem growth "
        "and each source's unit; it does not make sources comparable in level. Periods "
        "where a framework has no value are gaps in the line, never interpolated; "
        "filled diamonds mark flagged periods (method breaks, anomalies, undercounts; see "
        "Methodology). Circles mark the sustained crossover (above 50 % in every period "
        "since)."
    )
    if missing:
        text += (
            " Not in the warehouse, so not shown: "
            + ", ".join(names[m]["label"] for m in missing)
            + "."
        )
    return text


def growth_data(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Latest observed year-over-year growth per signal and framework."""
    _, shares = load_signals(con)
    rows = []
    for signal, frame in shares.groupby("signal", sort=True):
        for framework in ("torch", "tensorflow"):
            known = frame[frame[f"{framework}_yoy"].notna()]
            if known.empty:
                continue
            last = known.sort_values("period").iloc[-1]
            rows.append(
                {
                    "signal": signal,
                    "signal_label": last["signal_label"],
                    "source": last["source"],
                    "framework": framework,
                    "framework_label": FRAMEWORK_LABELS[framework],
                    "period": last["period"],
                    "period_label": format_period(last["period"], last["granularity"]),
                    "growth": float(last[f"{framework}_yoy"]),
                    "flags": last["flags"],
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "signal",
            "signal_label",
            "source",
            "framework",
            "framework_label",
            "period",
            "period_label",
            "growth",
            "flags",
        ],
    )


def _growth_title(frame: pd.DataFrame) -> str:
    wide = frame.pivot_table(index="signal_label", columns="framework", values="growth")
    if {"torch", "tensorflow"} <= set(wide.columns):
        faster = int((wide["torch"] > wide["tensorflow"]).sum())
        if len(wide) == 1:
            who = "PyTorch" if faster else "TensorFlow"
            return (
                f"{who} grew faster over the last year on the one signal with a year of "
                f"history, {wide.index[0]}"
            )
        return (
            f"PyTorch grew faster than TensorFlow over the last year on {faster} of "
            f"{len(wide)} signals"
        )
    return "Year-over-year growth per signal and framework"


def _growth_caption(frame: pd.DataFrame) -> str:
    parts = "; ".join(
        f"{r['signal_label']} {r['framework_label']} {r['period_label']} {r['growth']:+.0%}"
        for _, r in frame.iterrows()
    )
    return (
        "Growth = value in the latest period with a value a year earlier / that value - 1, "
        f"per signal and framework ({parts}). A gap a year earlier gives no growth rather "
        "than a comparison with another period. Growth of levels is sensitive to method "
        "breaks (see Methodology), unlike the shares above."
    )


def _index_table(con: duckdb.DuckDBPyConnection) -> Content | None:
    _, shares = load_signals(con)
    summary = signal_summary(shares)
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

    def pct(value: float, fmt: str = "{:.0%}") -> str:
        return "" if pd.isna(value) else fmt.format(value)

    rows = pd.DataFrame(
        {
            "signal": summary["signal_label"],
            "source": summary["source"],
            "periods": [
                f"{format_period(a, g)}..{format_period(b, g)} ({n})"
                for a, b, g, n in zip(
                    summary["first_period"],
                    summary["latest_period"],
                    summary["granularity"],
                    summary["periods"],
                    strict=True,
                )
            ],
            "PyTorch share (latest)": summary["latest_share"].map(pct),
            "change in a year": summary["share_change_1y"].map(
                lambda v: "" if pd.isna(v) else f"{v * 100:+.0f} pp"
            ),
            "crossover (sustained)": [
                format_period(v, g) or "not crossed"
                for v, g in zip(summary["crossover_sustained"], summary["granularity"], strict=True)
            ],
            "PyTorch YoY": summary["torch_yoy"].map(lambda v: pct(v, "{:+.0%}")),
            "TensorFlow YoY": summary["tensorflow_yoy"].map(lambda v: pct(v, "{:+.0%}")),
            "flagged / missing periods": [
                f"{a} / {b}"
                for a, b in zip(summary["flagged_periods"], summary["missing_periods"], strict=True)
            ],
        }
    )
    return join(table(rows, "The adoption index per signal (latest period of each)"), gone)


BLOCKS = [
    Figure(
        id="headline-adoption-index",
        section="headline",
        order=10,
        data=index_data,
        chart=_index_chart,
        title=_index_title,
        caption=_index_caption,
        sources=(),
        datasets=("signal_* views",),
        missing_hint="load any source that measures both frameworks (e.g. `census ingest "
        "top-pypi PATH_OR_URL`)",
    ),
    TextBlock("headline-index-table", "headline", 12, _index_table),
    Figure(
        id="headline-yoy-growth",
        section="headline",
        order=30,
        data=growth_data,
        chart=growth_chart,
        title=_growth_title,
        caption=_growth_caption,
        sources=(),
        datasets=("signal_* views",),
        missing_hint="needs a signal with values a year apart",
    ),
]
