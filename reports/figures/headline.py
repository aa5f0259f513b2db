"""Headline: the cross-source adoption index (PyTorch share per signal) and YoY growth."""

from __future__ import annotations

import altair as alt
import duckdb
import pandas as pd

from analysis.headline import format_period, signal_summary
from census_base.frameworks import label as framework_label
from reports.charts import (
    PARITY,
    framework_scale,
    known_frameworks,
    label_expr,
    parity_rule,
    share_axis,
)
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
    ahead = summary[summary["latest_share"] > PARITY]
    low, high = (
        summary.nsmallest(1, "latest_share").iloc[0],
        summary.nlargest(1, "latest_share").iloc[0],
    )
    if len(summary) == 1:
        row = summary.iloc[0]
        leader = "PyTorch leads" if row["latest_share"] > PARITY else "TensorFlow leads"
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
                    "framework_label": framework_label(framework),
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


# Chart specs: they only encode the columns computed above.

SIGNAL_PALETTE = [
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#7f7f7f",
    "#ff7f0e",
]


def signal_scale(labels: list[str]) -> alt.Scale:
    return alt.Scale(domain=labels, range=SIGNAL_PALETTE[: max(len(labels), 1)])


def adoption_index_chart(shares: pd.DataFrame, crossovers: pd.DataFrame) -> alt.TopLevelMixin:
    """PyTorch share of PyTorch+TensorFlow per period, one line per signal.

    Expects ``period, signal_label, share, flags, flagged, observed`` (unobserved periods have
    a null share and break the line: nothing is interpolated) and ``crossovers`` with
    ``period, share, signal_label, label`` (one row per signal that crossed, may be empty).
    """
    labels = list(dict.fromkeys(shares.sort_values("signal")["signal_label"]))
    color = (
        alt.Color("signal_label:N")
        .scale(signal_scale(labels))
        .legend(alt.Legend(title="Signal", labelLimit=420, columns=2))
    )
    base = alt.Chart(shares).encode(
        x=alt.X("period:T").title(None),
        y=share_axis(),
        color=color,
        tooltip=[
            alt.Tooltip("signal_label:N", title="signal"),
            alt.Tooltip("period:T", format="%Y-%m"),
            alt.Tooltip("share:Q", format=".1%"),
            alt.Tooltip("flags:N"),
        ],
    )
    lines = base.mark_line(strokeWidth=2, invalid="break-paths-show-domains")
    points = (
        base.transform_filter(alt.datum.observed)
        .mark_point(size=22)
        .encode(
            shape=alt.Shape("flagged:N")
            .scale(domain=[False, True], range=["circle", "diamond"])
            .legend(
                alt.Legend(
                    title="Flagged period",
                    labelExpr="datum.value ? 'yes' : 'no'",
                    symbolFillColor="#777",
                    symbolStrokeColor="#777",
                )
            ),
            fill=alt.Fill("flagged:N")
            .scale(domain=[False, True], range=["white", "#333"])
            .legend(None),
        )
    )
    half = parity_rule()
    layers = [half, lines, points]
    if not crossovers.empty:
        mark = alt.Chart(crossovers).encode(x="period:T", y="share:Q", color=color)
        layers.append(mark.mark_point(size=200, filled=False, strokeWidth=2.5))
        layers.append(
            mark.mark_text(align="left", dx=8, dy=14, fontSize=10).encode(
                text="label:N", color=alt.value("#333")
            )
        )
    return alt.layer(*layers).properties(height=340)


def growth_chart(growth: pd.DataFrame) -> alt.TopLevelMixin:
    """Latest year-over-year growth per signal and framework, as a dot plot.

    Expects ``signal_label, framework, framework_label, growth, period_label``.
    """
    frameworks = known_frameworks(growth["framework"])
    return alt.Chart(growth).mark_point(filled=True, size=90).encode(
        y=alt.Y("signal_label:N").title(None).sort(None).axis(labelLimit=360),
        x=alt.X("growth:Q").axis(format="+%").title("Growth over the same period a year earlier"),
        color=alt.Color("framework:N")
        .scale(framework_scale(frameworks))
        .legend(alt.Legend(title="Framework", labelExpr=label_expr(frameworks))),
        shape=alt.Shape("framework:N")
        .scale(domain=frameworks, range=["circle", "square"][: len(frameworks)])
        .legend(None),
        tooltip=[
            alt.Tooltip("signal_label:N", title="signal"),
            alt.Tooltip("framework_label:N", title="framework"),
            alt.Tooltip("period_label:N", title="period"),
            alt.Tooltip("growth:Q", format="+.1%"),
        ],
    ) + alt.Chart(pd.DataFrame({"growth": [0.0]})).mark_rule(color="#999").encode(x="growth:Q")


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
