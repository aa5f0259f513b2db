"""Headline: year-over-year growth per current signal, with the method breaks it spans."""

from __future__ import annotations

import altair as alt
import duckdb
import pandas as pd

from analysis.currency import MAX_AGE_MONTHS
from analysis.headline import format_period
from census_base.frameworks import label as framework_label
from reports.charts import framework_scale, known_frameworks, label_expr
from reports.figure import Figure
from reports.figures.headline import _as_of, current_summary
from reports.figures.verdicts import report_date
from reports.signals import load_signals

GROWTH_COLUMNS = [
    "signal",
    "signal_label",
    "source",
    "framework",
    "framework_label",
    "period",
    "period_label",
    "base_period_label",
    "growth",
    "flags",
    "breaks",
    "spans_break",
    "age_months",
]


def growth_data(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Latest year-over-year growth per CURRENT signal and framework, with the method breaks
    the year spans (``breaks``; ``spans_break``): such a growth compares two methods."""
    _, shares = load_signals(con)
    summary = current_summary(con)
    current = set(summary[summary["current"]]["signal"]) if not summary.empty else set()
    rows = []
    for signal, frame in shares[shares["signal"].isin(current)].groupby("signal", sort=True):
        info = summary.set_index("signal").loc[signal]
        for framework in ("torch", "tensorflow"):
            known = frame[frame[f"{framework}_yoy"].notna()]
            if known.empty:
                continue
            last = known.sort_values("period").iloc[-1]
            granularity = str(last["granularity"])
            base = pd.Timestamp(last["period"]) - pd.DateOffset(years=1)
            rows.append(
                {
                    "signal": signal,
                    "signal_label": f"{last['signal_label']} "
                    f"({format_period(base, granularity)} -> "
                    f"{format_period(last['period'], granularity)})",
                    "source": last["source"],
                    "framework": framework,
                    "framework_label": framework_label(framework),
                    "period": last["period"],
                    "period_label": format_period(last["period"], granularity),
                    "base_period_label": format_period(base, granularity),
                    "growth": float(last[f"{framework}_yoy"]),
                    "flags": last["flags"],
                    "breaks": last["growth_breaks"],
                    "spans_break": bool(last["growth_breaks"]),
                    "age_months": int(info["age_months"]),
                }
            )
    frame = pd.DataFrame(rows, columns=GROWTH_COLUMNS)
    frame.attrs["as_of"] = report_date(con)
    return frame


def _growth_title(frame: pd.DataFrame) -> str:
    clean = frame[~frame["spans_break"].astype(bool)]
    broken = frame[frame["spans_break"].astype(bool)]["signal_label"].nunique()
    wide = clean.pivot_table(index="signal_label", columns="framework", values="growth")
    note = f" ({broken} more span a method break and are not counted)" if broken else ""
    if {"torch", "tensorflow"} <= set(wide.columns) and len(wide):
        faster = int((wide["torch"] > wide["tensorflow"]).sum())
        return (
            f"Over the last year PyTorch grew faster than TensorFlow on {faster} of "
            f"{len(wide)} current signals whose year spans no method break{note}"
        )
    return f"Year-over-year growth per current signal and framework{note}"


def _growth_caption(frame: pd.DataFrame) -> str:
    parts = "; ".join(
        f"{r['signal_label']} {r['framework_label']} {r['growth']:+.0%}"
        + (f" [spans {r['breaks']}]" if r["spans_break"] else "")
        for _, r in frame.iterrows()
    )
    return (
        f"Current signals only (latest period within {MAX_AGE_MONTHS} months of the report "
        f"date{_as_of(frame)}). Growth = value in the latest period with a value a year "
        "earlier / that value - 1, per signal and framework; the months compared are in "
        f"each label ({parts}). Hollow marks: the year spans a flagged method break (e.g. "
        "the PyPI BigQuery to ClickHouse change of 2025-07, which raised every package's "
        "count; see downloads-pypi-growth-vs-reference), so the growth compares two methods "
        "and is not counted in the title. A gap a year earlier gives no growth."
    )


# Chart spec: it only encodes the columns computed above.


def growth_chart(growth: pd.DataFrame) -> alt.TopLevelMixin:
    """Latest year-over-year growth per signal and framework, as a dot plot.

    Expects ``signal_label, framework, framework_label, growth, period_label``.
    """
    frameworks = known_frameworks(growth["framework"])
    y = alt.Y("signal_label:N").title(None).sort(None).axis(labelLimit=520)
    points = (
        alt.Chart(growth)
        .mark_point(size=90, strokeWidth=2)
        .encode(
            fill=alt.condition(
                alt.datum.spans_break,
                alt.value("white"),
                alt.Color("framework:N").scale(framework_scale(frameworks)).legend(None),
            ),
            y=y,
            x=alt.X("growth:Q")
            .axis(format="+%")
            .title("Growth over the same period a year earlier"),
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
                alt.Tooltip("breaks:N", title="spans break"),
            ],
        )
    )
    # Hollow marks are named on the chart: the year compares two counting methods.
    notes = (
        alt.Chart(growth)
        .transform_filter(alt.datum.spans_break & (alt.datum.framework == "torch"))
        .transform_calculate(note="'hollow: spans ' + datum.breaks")
        .mark_text(align="right", dx=-10, dy=-10, fontSize=10, color="#333")
        .encode(y=y, x="growth:Q", text="note:N")
    )
    zero = alt.Chart(pd.DataFrame({"growth": [0.0]})).mark_rule(color="#999").encode(x="growth:Q")
    return alt.layer(zero, points, notes)


BLOCKS = [
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
        missing_hint="needs a current signal with values a year apart",
    ),
]
