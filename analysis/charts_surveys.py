"""Survey and Q&A charts: they only encode columns that analysis computed."""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.theme import FRAMEWORK_COLORS, FRAMEWORK_LABELS

TAG_COLORS = {
    "pytorch": FRAMEWORK_COLORS["torch"],
    "tensorflow": FRAMEWORK_COLORS["tensorflow"],
    "keras": FRAMEWORK_COLORS["keras"],
    "jax": FRAMEWORK_COLORS["jax"],
}


def _label_scale(frame: pd.DataFrame) -> alt.Scale:
    ids = [f for f in FRAMEWORK_LABELS if f in set(frame["framework"])]
    return alt.Scale(
        domain=[FRAMEWORK_LABELS[f] for f in ids], range=[FRAMEWORK_COLORS[f] for f in ids]
    )


def survey_shares_chart(shares: pd.DataFrame) -> alt.FacetChart:
    """Share per framework and year with 95 % interval bars, one panel per segment.

    Expects ``year, segment_label, framework, framework_label, share, ci_low, ci_high,
    respondents, answered, same_question``; points of years whose question wording differs
    from the latest year are hollow.
    """
    segments = list(dict.fromkeys(shares["segment_label"]))
    scale = _label_scale(shares)
    base = alt.Chart().encode(
        x=alt.X("year:O").title("Survey year"),
        color=alt.Color("framework_label:N").scale(scale).title("Framework"),
    )
    line = base.mark_line(strokeWidth=1.5).encode(
        y=alt.Y("share:Q").axis(format="%").title("Share of respondents who answered")
    )
    bars = base.mark_rule(strokeWidth=2).encode(y="ci_low:Q", y2="ci_high:Q")
    tooltip = [
        alt.Tooltip("framework_label:N", title="framework"),
        "year:O",
        alt.Tooltip("share:Q", format=".1%"),
        alt.Tooltip("ci_low:Q", format=".1%"),
        alt.Tooltip("ci_high:Q", format=".1%"),
        "respondents:Q",
        "answered:Q",
    ]
    shape = alt.Shape("framework_label:N").scale(domain=scale.domain).title("Framework")
    same = (
        base.transform_filter(alt.datum.same_question)
        .mark_point(filled=True, size=45, opacity=1)
        .encode(y="share:Q", shape=shape, tooltip=tooltip)
    )
    other = (
        base.transform_filter(~alt.datum.same_question)
        .mark_point(filled=False, size=45, strokeWidth=1.5, opacity=1)
        .encode(y="share:Q", shape=shape, tooltip=tooltip)
    )
    return (
        alt.layer(line, bars, same, other, data=shares)
        .properties(width=150, height=220)
        .facet(column=alt.Column("segment_label:N").sort(segments).title(None))
    )


def qa_questions_chart(monthly: pd.DataFrame) -> alt.Chart:
    """Questions per month per tag. Expects ``month, tag, questions``."""
    tags = [t for t in TAG_COLORS if t in set(monthly["tag"])]
    return (
        alt.Chart(monthly)
        .mark_line(strokeWidth=2)
        .encode(
            x=alt.X("month:T").title(None),
            y=alt.Y("questions:Q").title("Questions per month"),
            color=alt.Color("tag:N")
            .scale(domain=tags, range=[TAG_COLORS[t] for t in tags])
            .title("Stack Overflow tag"),
            strokeDash=alt.StrokeDash("source:N").title("Source"),
            tooltip=[
                "tag:N",
                alt.Tooltip("month:T", format="%Y-%m"),
                alt.Tooltip("questions:Q", format=","),
                "source:N",
            ],
        )
    )


def qa_share_chart(shares: pd.DataFrame) -> alt.TopLevelMixin:
    """PyTorch share of pytorch+tensorflow questions per month. Expects ``month, share``."""
    base = alt.Chart(shares).encode(
        x=alt.X("month:T").title(None),
        y=alt.Y("share:Q")
        .axis(format="%")
        .scale(domain=[0, 1])
        .title("PyTorch share of pytorch + tensorflow questions"),
    )
    line = base.mark_line(color=FRAMEWORK_COLORS["torch"], strokeWidth=2).encode(
        tooltip=[
            alt.Tooltip("month:T", format="%Y-%m"),
            alt.Tooltip("share:Q", format=".1%"),
            "pytorch:Q",
            "tensorflow:Q",
        ]
    )
    half = (
        alt.Chart(pd.DataFrame({"share": [0.5]}))
        .mark_rule(strokeDash=[4, 4], color="#999")
        .encode(y="share:Q")
    )
    return alt.layer(half, line)


def published_vs_measured_chart(frame: pd.DataFrame) -> alt.FacetChart:
    """Measured shares per year (with intervals) and the published figure, per series.

    Expects ``series, year, kind, share, ci_low, ci_high, answered, publisher``.
    """
    base = alt.Chart().encode(x=alt.X("year:O").title("Year"))
    measured = base.transform_filter(alt.datum.kind == "measured")
    # No connecting line: it would suggest a measured value in the published-only year.
    bars = measured.mark_rule(color="#555", strokeWidth=2).encode(
        y=alt.Y("ci_low:Q").axis(format="%").title("Share of respondents"), y2="ci_high:Q"
    )
    dots = base.mark_point(size=45, filled=True, opacity=0.8).encode(
        y="share:Q",
        color=alt.Color("kind:N")
        .scale(domain=["measured", "published"], range=["#555555", "#d62728"])
        .title(None),
        shape=alt.Shape("kind:N")
        .scale(domain=["measured", "published"], range=["circle", "diamond"])
        .title(None),
        tooltip=[
            "series:N",
            "year:O",
            "kind:N",
            alt.Tooltip("share:Q", format=".1%"),
            "answered:Q",
            "publisher:N",
        ],
    )
    return (
        alt.layer(dots, bars, data=frame)
        .properties(width=180, height=200)
        .facet(facet=alt.Facet("series:N").title(None), columns=3)
    )
