"""Headline: the cross-source adoption index (PyTorch share per signal) and YoY growth."""

from __future__ import annotations

import altair as alt
import duckdb
import pandas as pd

from analysis.currency import MAX_AGE_MONTHS, age_text, with_recency
from analysis.headline import format_period, signal_summary
from reports.charts import (
    PARITY,
    parity_rule,
    share_axis,
)
from reports.figure import Figure
from reports.figures.verdicts import report_date
from reports.signals import load_signals, missing_signals, per_build, signal_notes

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
    "growth_breaks",
    "last_period",
    "age_months",
    "current",
]


@per_build
def current_summary(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per signal with its last period, age at the report date and ``current``
    (latest period within MAX_AGE_MONTHS): what a summary of "today" may cite."""
    _, shares = load_signals(con)
    return with_recency(signal_summary(shares), report_date(con))


def _indexed(con: duckdb.DuckDBPyConnection, current: bool) -> pd.DataFrame:
    _, shares = load_signals(con)
    summary = current_summary(con)
    if shares.empty or summary.empty:
        return pd.DataFrame(columns=INDEX_COLUMNS)
    chosen = summary[summary["current"] == current]
    frame = shares[shares["signal"].isin(chosen["signal"])].copy()
    if frame.empty or not frame["observed"].any():
        return pd.DataFrame(columns=INDEX_COLUMNS)
    info = chosen.set_index("signal")
    frame["last_period"] = frame["signal"].map(info["latest_period"])
    frame["age_months"] = frame["signal"].map(info["age_months"])
    frame["current"] = current
    # The chart's legend carries each signal's end and age (the label is what a reader sees).
    frame["signal_label"] = [
        f"{lab} (to {format_period(info.loc[s, 'latest_period'], g)}, "
        f"{age_text(info.loc[s, 'age_months'])})"
        for lab, s, g in zip(
            frame["signal_label"], frame["signal"], frame["granularity"], strict=True
        )
    ]
    frame = frame[INDEX_COLUMNS].sort_values(["signal", "period"]).reset_index(drop=True)
    frame.attrs["as_of"] = report_date(con)
    frame.attrs["loaded"] = set(summary["signal"])
    return frame


def index_data(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The "today" view: current signals' periods with the PyTorch share (null where
    unobserved). Stale signals are in :func:`history_data`."""
    return _indexed(con, current=True)


def history_data(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Signals whose latest period ended more than MAX_AGE_MONTHS before the report date."""
    return _indexed(con, current=False)


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
    crossovers = pd.DataFrame(rows, columns=["period", "share", "signal_label", "label"])
    # A label in the last 40 % of the time axis ends at its circle instead of starting there,
    # so it stays inside the chart (a phone-wide chart has little room on the right).
    first, last = pd.to_datetime(frame["period"]).min(), pd.to_datetime(frame["period"]).max()
    late = pd.to_datetime(crossovers["period"]) > first + (last - first) * 0.6
    crossovers["label_align"] = ["right" if x else "left" for x in late]
    return crossovers.assign(label_share=_label_heights(crossovers))


# A crossover label ("crossover 2024-04", 10 px type) is about 15 months wide on the chart's
# time axis and 4.5 points of share tall: labels closer than that are moved down, one by one.
LABEL_MONTHS, LABEL_HEIGHT = 15, 0.045


def _label_heights(crossovers: pd.DataFrame) -> list[float]:
    """Per crossover, in its row order, the share at which its label is drawn: its own share,
    moved down until it overlaps no label placed before it. A label spans LABEL_MONTHS from
    its period, rightwards or (``label_align`` right) leftwards."""
    width = pd.Timedelta(days=LABEL_MONTHS * 30.5)
    placed: list[tuple[pd.Timestamp, pd.Timestamp, float]] = []
    heights: dict[int, float] = {}
    for index, row in crossovers.sort_values("period").iterrows():
        at = float(row["share"])
        period = pd.Timestamp(row["period"])
        leftwards = row.get("label_align") == "right"
        start, end = (period - width, period) if leftwards else (period, period + width)
        while any(
            start < other_end and other_start < end and abs(at - height) < LABEL_HEIGHT - 1e-9
            for other_start, other_end, height in placed
        ):
            at -= LABEL_HEIGHT
        placed.append((start, end, at))
        heights[index] = at
    return [heights[i] for i in crossovers.index]


def _index_chart(frame: pd.DataFrame) -> alt.TopLevelMixin:
    return adoption_index_chart(frame, _crossovers(frame))


def _as_of(frame: pd.DataFrame) -> str:
    value = frame.attrs.get("as_of")
    return f" of {value:%Y-%m-%d}" if value is not None else ""


def _history_title(frame: pd.DataFrame) -> str:
    summary = signal_summary(frame)
    ends = ", ".join(
        f"{r['signal_label'].split(' (to ')[0]} "
        f"{format_period(r['latest_period'], r['granularity'])}"
        for _, r in summary.sort_values("latest_period").iterrows()
    )
    return (
        f"History, not today: {len(summary)} signals ended more than {MAX_AGE_MONTHS} months "
        f"before the report date ({ends})"
    )


def _history_caption(frame: pd.DataFrame) -> str:
    summary = signal_summary(frame)
    spans = "; ".join(
        f"{r['signal_label']} ({r['source']}, from "
        f"{format_period(r['first_period'], r['granularity'])})"
        for _, r in summary.iterrows()
    )
    return (
        f"Signals whose latest period ended more than {MAX_AGE_MONTHS} months before the "
        f"report date{_as_of(frame)}: they describe the past and are never counted in the "
        "headline, the growth chart or a present-tense verdict. PyTorch share = PyTorch / "
        f"(PyTorch + TensorFlow) per period: {spans}. Gaps are missing periods (never "
        "interpolated, never 0 %); diamonds mark flagged periods; circles the sustained "
        "crossover."
    )


def _index_title(frame: pd.DataFrame) -> str:
    summary = signal_summary(frame)
    summary["signal_label"] = summary["signal_label"].str.split(" (to ", regex=False).str[0]
    ahead = summary[summary["latest_share"] > PARITY]
    low, high = (
        summary.nsmallest(1, "latest_share").iloc[0],
        summary.nlargest(1, "latest_share").iloc[0],
    )
    if len(summary) == 1:
        row = summary.iloc[0]
        leader = "PyTorch leads" if row["latest_share"] > PARITY else "TensorFlow leads"
        return (
            f"Today: {leader} on the one current signal, {row['signal_label']}: PyTorch has "
            f"{row['latest_share']:.0%} of PyTorch+TensorFlow in "
            f"{format_period(row['latest_period'], row['granularity'])}"
        )
    return (
        f"Today PyTorch leads TensorFlow on {len(ahead)} of {len(summary)} current signals "
        f"(latest period within {MAX_AGE_MONTHS} months): PyTorch share from "
        f"{low['latest_share']:.0%} on {low['signal_label']} to "
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
    missing = missing_signals(frame.attrs.get("loaded", set(summary["signal"])))
    names = signal_notes()
    text = (
        f"Current signals only (latest period within {MAX_AGE_MONTHS} months of the report "
        f"date{_as_of(frame)}; older ones are in the history panel). Flows, not stocks: "
        "GitHub stars and dependents enter as new stars / new dependents per period (the "
        "cumulative counts are in Repositories, labelled as stocks). "
        f"PyTorch share = PyTorch / (PyTorch + TensorFlow) per period and signal: {spans}. "
        "A share is a ratio within one period and signal, so it removes ecosystem growth "
        "and each source's unit; it does not make sources comparable in level. Periods "
        "where a framework has no value are gaps in the line, never interpolated; "
        "filled diamonds mark flagged periods (method breaks, anomalies, undercounts; see "
        "Methodology). Circles mark the sustained crossover (above 50 % in every period "
        "since). Periods before a framework, tag or package existed have no share (never "
        "0 %). A period with another venue set (He) is drawn, flagged, and never the latest "
        "value."
    )
    if missing:
        text += (
            " Not in the warehouse, so not shown: "
            + ", ".join(names[m]["label"] for m in missing)
            + "."
        )
    return text


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
    ``period, share, signal_label, label, label_align, label_share`` (one row per signal that
    crossed, may be empty; the label is drawn at ``label_share``, see ``_label_heights``).
    """
    labels = list(dict.fromkeys(shares.sort_values("signal")["signal_label"]))
    color = (
        alt.Color("signal_label:N")
        .scale(signal_scale(labels))
        .legend(alt.Legend(title="Signal (last period, age)", labelLimit=760, columns=1))
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
        # in the signal's colour: a label moved down still names its circle
        layers += [
            mark.transform_filter(alt.datum.label_align == side)
            .mark_text(
                align=side, dx=8 if side == "left" else -8, dy=14, fontSize=10, fontWeight="bold"
            )
            .encode(y="label_share:Q", text="label:N")
            for side in ("left", "right")
        ]
    return alt.layer(*layers).properties(height=340)


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
    Figure(
        id="headline-history",
        section="headline",
        order=40,
        data=history_data,
        chart=_index_chart,
        title=_history_title,
        caption=_history_caption,
        sources=(),
        datasets=("signal_* views",),
        missing_hint=f"no signal ended more than {MAX_AGE_MONTHS} months before the report date",
    ),
]
