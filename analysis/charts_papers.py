"""Paper charts: they only encode columns that ``analysis.papers`` computed."""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.papers import FAMILY_LABELS
from analysis.theme import FRAMEWORK_COLORS, FRAMEWORK_LABELS

VENUE_COLORS = {
    "CVPR": "#1b9e77",
    "ICCV": "#66a61e",
    "ECCV": "#a6d854",
    "ACL": "#7570b3",
    "EMNLP": "#e7298a",
    "NAACL": "#b3a2d6",
    "ICML": "#d95f02",
    "ICLR": "#e6ab02",
    "NeurIPS": "#a6761d",
    "AISTATS": "#666666",
    "COLT": "#999999",
}


def conference_share_chart(shares: pd.DataFrame) -> alt.FacetChart:
    """PyTorch share per conference over time, one panel per venue family.

    Expects ``family_label, venue, year, share, torch, tensorflow, total_papers, version``.
    """
    venues = [v for v in VENUE_COLORS if v in set(shares["venue"])]
    families = [label for label in FAMILY_LABELS.values() if label in set(shares["family_label"])]
    version = pd.Timestamp(shares["version"].max()) if len(shares) else None
    years = sorted({int(y) for y in shares["year"]})
    header = f"Horace He's data.csv, version {version:%Y-%m-%d}" if version else None
    base = alt.Chart().encode(
        x=alt.X("year:Q")
        .axis(format="d", values=years, labelAngle=0, labelFontSize=10)
        .scale(zero=False)
        .title("Conference year"),
        y=alt.Y("share:Q")
        .axis(format="%")
        .scale(domain=[0, 1])
        .title("PyTorch share of PyTorch + TF papers"),
        color=alt.Color("venue:N")
        .scale(domain=venues, range=[VENUE_COLORS[v] for v in venues])
        .title("Conference"),
        tooltip=[
            "venue:N",
            "year:O",
            alt.Tooltip("share:Q", format=".0%"),
            "torch:Q",
            "tensorflow:Q",
            "total_papers:Q",
            alt.Tooltip("version:T", format="%Y-%m-%d"),
        ],
    )
    half = alt.Chart().mark_rule(strokeDash=[4, 4], color="#999").encode(y=alt.datum(0.5))
    layered = alt.layer(
        half, base.mark_line(strokeWidth=2), base.mark_point(filled=True), data=shares
    ).properties(width=240, height=240)
    return layered.facet(column=alt.Column("family_label:N").sort(families).title(header))


def _framework_colors(frame: pd.DataFrame) -> alt.Scale:
    """Colour scale on framework labels, with each framework's fixed colour."""
    keys = [f for f in [*FRAMEWORK_LABELS, "other"] if f in set(frame["framework"])]
    labels = [FRAMEWORK_LABELS.get(f, "Other") for f in keys]
    return alt.Scale(domain=labels, range=[FRAMEWORK_COLORS.get(f, "#888888") for f in keys])


def yearly_works_chart(counts: pd.DataFrame) -> alt.FacetChart:
    """Works per year per framework, one panel per bibliographic source (own y scale).

    Expects ``source_label, framework, framework_label, year, works, is_partial_year``.
    """
    base = alt.Chart().encode(
        x=alt.X("year:Q")
        .axis(format="d", labelAngle=0, tickMinStep=1)
        .scale(zero=False)
        .title("Publication year"),
        y=alt.Y("works:Q").title("Works naming the framework"),
        color=alt.Color("framework_label:N").scale(_framework_colors(counts)).title("Framework"),
        tooltip=[
            "source_label:N",
            "framework_label:N",
            "year:O",
            alt.Tooltip("works:Q", format=","),
            "is_partial_year:N",
        ],
    )
    points = base.mark_point(size=40, strokeWidth=1.5, filled=True).encode(
        opacity=alt.condition(alt.datum.is_partial_year, alt.value(0.3), alt.value(1.0))
    )
    layered = alt.layer(base.mark_line(strokeWidth=2), points, data=counts).properties(
        width=320, height=240
    )
    return layered.facet(column=alt.Column("source_label:N").title(None)).resolve_scale(
        y="independent"
    )


def implementation_share_chart(shares: pd.DataFrame) -> alt.Chart:
    """Monthly share of Papers with Code implementations per framework.

    Expects ``month, framework, framework_label, repos, share``.
    """
    return (
        alt.Chart(shares)
        .mark_line(strokeWidth=2)
        .encode(
            x=alt.X("month:T").title("Month of the linked paper (arXiv id or paper date)"),
            y=alt.Y("share:Q").axis(format="%").title("Share of implementations (repositories)"),
            color=alt.Color("framework_label:N")
            .scale(_framework_colors(shares))
            .title("Framework"),
            tooltip=[
                alt.Tooltip("month:T", format="%Y-%m"),
                "framework_label:N",
                "repos:Q",
                alt.Tooltip("share:Q", format=".1%"),
            ],
        )
    )
