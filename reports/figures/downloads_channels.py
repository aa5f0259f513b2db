"""Downloads by distribution channel (PyPI, conda, npm) per framework, and PyTorch's share."""

from __future__ import annotations

import altair as alt
import duckdb
import pandas as pd

from analysis.downloads_channels import channel_family_monthly, channel_shares, latest_by_channel
from census_base.frameworks import label as framework_label
from reports.charts import framework_scale, known_frameworks, parity_rule, share_axis
from reports.figure import Figure

SQL = """
SELECT d.channel, d.source, d.family, f.family_label, d.month, d.downloads,
       coalesce(d.flags, '') AS flags, d.load_id
FROM core_downloads_monthly d
JOIN (SELECT DISTINCT family, family_label FROM channel_package_families) f USING (family)
WHERE d.family IN ('torch', 'tensorflow', 'keras', 'jax')
ORDER BY ALL
"""
SOURCES = ("top_pypi", "clickhouse_pypi", "pypistats", "bigquery_pypi", "conda", "npm")
HINT = (
    "it compares channels, and only one is loaded: run `census collect conda npm` (live) or "
    "`census ingest conda PATH` beside the PyPI data"
)


def monthly(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per channel and family; empty unless two or more channels are loaded (with one channel
    the chart would only repeat the PyPI figure above)."""
    frame = con.execute(SQL).df()
    if frame["channel"].nunique() < 2:
        return frame.iloc[0:0]
    return channel_family_monthly(frame)


def shares(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    frame = monthly(con)
    return channel_shares(frame) if not frame.empty else frame


def _sources_text(frame: pd.DataFrame) -> str:
    spans = []
    for (label, source), group in frame.groupby(["channel_label", "source"]):
        first, last = pd.Timestamp(group["month"].min()), pd.Timestamp(group["month"].max())
        spans.append(f"{label}: {source} {first:%Y-%m}..{last:%Y-%m}")
    return "; ".join(spans)


def _family_title(frame: pd.DataFrame) -> str:
    parts = []
    for label, group in latest_by_channel(frame).groupby("channel_label"):
        values = group.set_index("family")["downloads"]
        month = pd.Timestamp(group["month"].iloc[0])
        if {"torch", "tensorflow"} <= set(values.index) and values["tensorflow"] > 0:
            parts.append(f"{label} {values['torch'] / values['tensorflow']:.1f}x ({month:%Y-%m})")
    if parts:
        return "PyTorch downloads per TensorFlow download, latest month: " + ", ".join(parts)
    return "Monthly downloads per framework and distribution channel"


def _family_caption(frame: pd.DataFrame) -> str:
    return (
        "Monthly downloads of each framework's core package per channel, log scale, each "
        "panel on its own axis (channels differ by orders of magnitude). One source per "
        f"channel ({_sources_text(frame)}); sources within a channel are not mixed. "
        "conda sums the anaconda, conda-forge and pytorch channels (the pytorch channel is "
        "counted only from 2023-01 and PyTorch stopped publishing there after 2.5). npm "
        "has TensorFlow.js (@tensorflow/tfjs) and no PyTorch package at all. PyPI misses "
        "PyTorch wheels served from download.pytorch.org. Hollow points: flagged months."
    )


def _share_title(frame: pd.DataFrame) -> str:
    latest = latest_by_channel(frame).sort_values("channel_label")
    parts = [
        f"{r.share:.0%} on {r.channel_label} ({pd.Timestamp(r.month):%Y-%m})"
        for r in latest.itertuples()
    ]
    return "PyTorch's share of PyTorch+TensorFlow downloads: " + ", ".join(parts)


def _share_caption(frame: pd.DataFrame) -> str:
    return (
        "PyTorch share = core PyTorch package / (PyTorch + TensorFlow core packages) per "
        f"month and channel ({_sources_text(frame)}). A share compares two counts from the "
        "same source and month, so it survives level changes in a channel's counting. npm "
        "has no share: no PyTorch package is published there. Diamonds mark flagged "
        "months (e.g. the conda pytorch channel appearing in 2023-01)."
    )


# Chart specs: they only encode the columns computed above.

CHANNEL_COLORS = {"PyPI": "#3775a9", "conda": "#43b02a", "npm": "#cb3837"}


def channel_family_chart(monthly: pd.DataFrame) -> alt.FacetChart:
    """One panel per channel, one line per framework, log scale; flagged months hollow.

    Expects ``channel_label, family, family_label, month, downloads, flags, flagged``.
    """
    families = known_frameworks(monthly["family"])
    colours = framework_scale(families)
    legend = alt.Scale(domain=[framework_label(f) for f in families], range=colours.range)
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
        y=share_axis(),
        color=alt.Color("channel_label:N").scale(scale).title("Channel"),
        tooltip=[
            alt.Tooltip("channel_label:N", title="channel"),
            alt.Tooltip("month:T", format="%Y-%m"),
            alt.Tooltip("share:Q", format=".1%"),
            alt.Tooltip("flags:N"),
        ],
    )
    half = parity_rule()
    lines = base.mark_line(strokeWidth=2)
    flagged = base.transform_filter(alt.datum.flagged).mark_point(
        shape="diamond", filled=True, size=50
    )
    return alt.layer(half, lines, flagged)


BLOCKS = [
    Figure(
        id="downloads-channels-family",
        section="downloads",
        order=40,
        data=monthly,
        chart=channel_family_chart,
        title=_family_title,
        caption=_family_caption,
        sources=SOURCES,
        datasets=("downloads_monthly",),
        missing_hint=HINT,
    ),
    Figure(
        id="downloads-channels-pytorch-share",
        section="downloads",
        order=50,
        data=shares,
        chart=channel_share_chart,
        title=_share_title,
        caption=_share_caption,
        sources=SOURCES,
        datasets=("downloads_monthly",),
        missing_hint=HINT,
    ),
]
