"""Adoption-index charts: they only encode columns that analysis/index.py computed."""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.theme import FRAMEWORK_COLORS, FRAMEWORK_LABELS

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
        y=alt.Y("share:Q")
        .axis(format="%")
        .scale(domain=[0, 1])
        .title("PyTorch share of PyTorch + TensorFlow"),
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
    half = (
        alt.Chart(pd.DataFrame({"share": [0.5]}))
        .mark_rule(strokeDash=[4, 4], color="#999")
        .encode(y="share:Q")
    )
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
    frameworks = [f for f in FRAMEWORK_LABELS if f in set(growth["framework"])]
    return alt.Chart(growth).mark_point(filled=True, size=90).encode(
        y=alt.Y("signal_label:N").title(None).sort(None),
        x=alt.X("growth:Q").axis(format="+%").title("Growth over the same period a year earlier"),
        color=alt.Color("framework:N")
        .scale(alt.Scale(domain=frameworks, range=[FRAMEWORK_COLORS[f] for f in frameworks]))
        .legend(
            alt.Legend(
                title="Framework", labelExpr="datum.value == 'torch' ? 'PyTorch' : 'TensorFlow'"
            )
        ),
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
