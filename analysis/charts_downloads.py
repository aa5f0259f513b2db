"""Download charts: they only encode columns that analysis computed."""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.theme import FRAMEWORK_COLORS, FRAMEWORK_LABELS, framework_scale


def family_downloads_chart(monthly: pd.DataFrame) -> alt.TopLevelMixin:
    """Monthly downloads per family on a log scale; flagged months drawn as hollow points.

    Expects ``month, family, family_label, downloads, flags, flagged``.
    """
    present = set(monthly["family"])
    labels = [FRAMEWORK_LABELS[f] for f in FRAMEWORK_LABELS if f in present]
    colors = framework_scale([f for f in FRAMEWORK_LABELS if f in present])
    base = alt.Chart(monthly).encode(
        x=alt.X("month:T").title(None),
        y=alt.Y("downloads:Q").scale(type="log").title("Downloads per month (log scale)"),
        color=alt.Color("family_label:N")
        .scale(domain=labels, range=colors.range)
        .title("Framework"),
        tooltip=[
            alt.Tooltip("family_label:N", title="framework"),
            alt.Tooltip("month:T", format="%Y-%m"),
            alt.Tooltip("downloads:Q", format=","),
            alt.Tooltip("flags:N"),
        ],
    )
    # Missing months are null rows: break the line there instead of bridging the gap.
    lines = base.mark_line(strokeWidth=2, invalid="break-paths-show-domains")
    observed = base.mark_circle(size=10, opacity=0.8)  # keeps isolated months visible
    flagged = base.transform_filter(alt.datum.flagged).mark_point(
        filled=False, size=60, strokeWidth=1.5
    )
    return alt.layer(lines, observed, flagged)


def share_chart(shares: pd.DataFrame, crossover: pd.DataFrame) -> alt.TopLevelMixin:
    """PyTorch share of PyTorch+TensorFlow per month, 50 % rule, crossover and flags marked.

    Expects ``month, share, flags, flagged`` and a one-row (or empty) ``crossover`` frame with
    ``month, share, label``.
    """
    base = alt.Chart(shares).encode(
        x=alt.X("month:T").title(None),
        y=alt.Y("share:Q")
        .axis(format="%")
        .scale(domain=[0, 1])
        .title("PyTorch share of PyTorch + TensorFlow"),
    )
    line = base.mark_line(
        color=FRAMEWORK_COLORS["torch"], strokeWidth=2, invalid="break-paths-show-domains"
    )
    points = base.mark_point(filled=True, size=28).encode(
        color=alt.Color("flagged:N")
        .scale(domain=[False, True], range=[FRAMEWORK_COLORS["torch"], "#555"])
        .legend(alt.Legend(title="Flagged period", labelExpr="datum.value ? 'yes' : 'no'")),
        shape=alt.Shape("flagged:N")
        .scale(domain=[False, True], range=["circle", "diamond"])
        .legend(None),
        tooltip=[
            alt.Tooltip("month:T", format="%Y-%m"),
            alt.Tooltip("share:Q", format=".1%"),
            alt.Tooltip("flags:N"),
        ],
    )
    half = (
        alt.Chart(pd.DataFrame({"share": [0.5]}))
        .mark_rule(strokeDash=[4, 4], color="#999")
        .encode(y="share:Q")
    )
    layers = [half, line, points]
    if not crossover.empty:
        mark = alt.Chart(crossover).encode(x="month:T", y="share:Q")
        layers.append(mark.mark_point(size=180, color="black", filled=False, strokeWidth=2))
        layers.append(
            mark.mark_text(align="right", dx=-10, dy=-12, fontWeight="bold").encode(text="label:N")
        )
    return alt.layer(*layers)
