"""Channel charts: they only encode columns analysis/downloads_channels.py computed."""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.theme import FRAMEWORK_LABELS, framework_scale

CHANNEL_COLORS = {"PyPI": "#3775a9", "conda": "#43b02a", "npm": "#cb3837"}


def channel_family_chart(monthly: pd.DataFrame) -> alt.FacetChart:
    """One panel per channel, one line per framework, log scale; flagged months hollow.

    Expects ``channel_label, family, family_label, month, downloads, flags, flagged``.
    """
    families = [f for f in FRAMEWORK_LABELS if f in set(monthly["family"])]
    colours = framework_scale(families)
    legend = alt.Scale(domain=[FRAMEWORK_LABELS[f] for f in families], range=colours.range)
    base = alt.Chart().encode(
        x=alt.X("month:T").title(None),
        y=alt.Y("downloads:Q").scale(type="log").title("Downloads per month (log)"),
        color=alt.Color("family_label:N").scale(legend).title("Framework"),
        tooltip=[
            alt.Tooltip("channel_label:N", title="channel"),
            alt.Tooltip("family_label:N", title="framework"),
            alt.Tooltip("month:T", format="%Y-%m"),
            alt.Tooltip("downloads:Q", format=","),
            alt.Tooltip("flags:N"),
        ],
    )
    lines = base.mark_line(strokeWidth=2)
    flagged = base.transform_filter(alt.datum.flagged).mark_point(
        filled=False, size=50, strokeWidth=1.5
    )
    return (
        alt.layer(lines, flagged, data=monthly)
        .properties(height=150)
        .facet(
            row=alt.Row("channel_label:N")
            .title(None)
            .header(labelAngle=0, labelAlign="left", labelFontWeight="bold"),
        )
        .resolve_scale(y="independent")
    )


def channel_share_chart(shares: pd.DataFrame) -> alt.LayerChart | alt.FacetChart:
    """PyTorch share of PyTorch+TensorFlow per channel, 50 % rule, flagged months marked.

    Expects ``channel_label, month, share, flags, flagged``.
    """
    channels = [c for c in CHANNEL_COLORS if c in set(shares["channel_label"])]
    scale = alt.Scale(domain=channels, range=[CHANNEL_COLORS[c] for c in channels])
    base = alt.Chart(shares).encode(
        x=alt.X("month:T").title(None),
        y=alt.Y("share:Q")
        .axis(format="%")
        .scale(domain=[0, 1])
        .title("PyTorch share of PyTorch + TensorFlow"),
        color=alt.Color("channel_label:N").scale(scale).title("Channel"),
        tooltip=[
            alt.Tooltip("channel_label:N", title="channel"),
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
    lines = base.mark_line(strokeWidth=2)
    flagged = base.transform_filter(alt.datum.flagged).mark_point(
        shape="diamond", filled=True, size=50
    )
    return alt.layer(half, lines, flagged)
