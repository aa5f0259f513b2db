"""Repository and model-hub charts: they only encode columns that analysis computed."""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.theme import FRAMEWORK_COLORS

# Frameworks beyond the theme's four: muted, so the main frameworks stand out.
REPO_COLORS = FRAMEWORK_COLORS | {
    "transformers": "#b8860b",
    "mxnet": "#7f7f7f",
    "caffe": "#a0a0a0",
    "cntk": "#5f5f5f",
    "theano": "#c0c0c0",
}
LIBRARY_COLORS = {
    "pytorch": FRAMEWORK_COLORS["torch"],
    "tf": FRAMEWORK_COLORS["tensorflow"],
    "jax": FRAMEWORK_COLORS["jax"],
    "keras": FRAMEWORK_COLORS["keras"],
}


def _repo_scale(frame: pd.DataFrame) -> alt.Scale:
    pairs = frame[["label", "framework"]].drop_duplicates().sort_values("label")
    return alt.Scale(
        domain=pairs["label"].tolist(),
        range=[REPO_COLORS.get(f, "#444444") for f in pairs["framework"]],
    )


def stars_chart(stars: pd.DataFrame, events: pd.DataFrame) -> alt.TopLevelMixin:
    """Stars per repository and month; a line per contiguous run, events as labelled dots.

    Expects ``stars``: ``label, framework, month, stars, run, source``; ``events``:
    ``event_date, text, stars``.
    """
    base = alt.Chart(stars).encode(
        x=alt.X("month:T").title(None),
        y=alt.Y("stars:Q").title("GitHub stars").axis(format="~s"),
        color=alt.Color("label:N").scale(_repo_scale(stars)).title("Repository").legend(columns=3),
        detail=alt.Detail("run:N"),
        tooltip=[
            alt.Tooltip("repo:N", title="repository"),
            alt.Tooltip("month:T", format="%Y-%m"),
            alt.Tooltip("stars:Q", format=","),
            alt.Tooltip("source:N"),
        ],
    )
    latest = (
        base.transform_filter(alt.datum.is_latest)
        .mark_text(align="left", dx=5, fontSize=10)
        .encode(text="label:N")
    )
    layers = [base.mark_line(strokeWidth=2), base.mark_point(size=10, filled=True), latest]
    if not events.empty:
        marks = alt.Chart(events).encode(
            x="event_date:T", y="stars:Q", tooltip=["text:N", alt.Tooltip("event_date:T")]
        )
        layers.append(marks.mark_point(shape="diamond", size=90, color="black", filled=True))
        layers.append(
            marks.mark_text(align="right", dx=-6, dy=-10, fontSize=10).encode(text="text:N")
        )
    return alt.layer(*layers)


def new_stars_chart(monthly: pd.DataFrame) -> alt.TopLevelMixin:
    """Stars gained per month and repository (lines break where a month is missing)."""
    base = alt.Chart(monthly).encode(
        x=alt.X("month:T").title(None),
        y=alt.Y("new_stars:Q").title("Stars gained in the month").axis(format="~s"),
        color=alt.Color("label:N")
        .scale(_repo_scale(monthly))
        .title("Repository")
        .legend(columns=3),
        detail=alt.Detail("run:N"),
        tooltip=[
            alt.Tooltip("repo:N", title="repository"),
            alt.Tooltip("month:T", format="%Y-%m"),
            alt.Tooltip("new_stars:Q", format=","),
            alt.Tooltip("new_stars_days:Q", title="days measured"),
        ],
    )
    return alt.layer(base.mark_line(strokeWidth=1.5), base.mark_point(size=10, filled=True))


def star_share_chart(shares: pd.DataFrame) -> alt.TopLevelMixin:
    """PyTorch share of PyTorch+TensorFlow stars per month, two measures, 50 % rule."""
    base = alt.Chart(shares).encode(
        x=alt.X("month:T").title(None),
        y=alt.Y("share:Q")
        .axis(format="%")
        .scale(domain=[0, 1])
        .title("PyTorch share of PyTorch + TensorFlow"),
        color=alt.Color("measure:N")
        .scale(
            domain=["all stars so far", "stars gained that month"],
            range=[FRAMEWORK_COLORS["torch"], "#555555"],
        )
        .title("Stars counted"),
        detail=alt.Detail("run:N"),
        tooltip=[
            alt.Tooltip("month:T", format="%Y-%m"),
            alt.Tooltip("measure:N"),
            alt.Tooltip("share:Q", format=".1%"),
            alt.Tooltip("torch:Q", format=","),
            alt.Tooltip("tensorflow:Q", format=","),
        ],
    )
    half = (
        alt.Chart(pd.DataFrame({"share": [0.5]}))
        .mark_rule(strokeDash=[4, 4], color="#999")
        .encode(y="share:Q")
    )
    return alt.layer(half, base.mark_line(strokeWidth=2), base.mark_point(size=12, filled=True))


def dependents_chart(counts: pd.DataFrame) -> alt.Chart:
    """Latest dependents count per repository (horizontal bars)."""
    return (
        alt.Chart(counts)
        .mark_bar()
        .encode(
            y=alt.Y("label:N").sort("-x").title(None),
            x=alt.X("value:Q").title("Dependent repositories (GitHub 'Used by')").axis(format="~s"),
            color=alt.Color("label:N").scale(_repo_scale(counts)).legend(None),
            tooltip=[
                alt.Tooltip("repo:N", title="repository"),
                alt.Tooltip("value:Q", format=","),
                alt.Tooltip("observed_date:T"),
                alt.Tooltip("detail:N"),
            ],
        )
    )


def hub_models_chart(monthly: pd.DataFrame) -> alt.TopLevelMixin:
    """New Hub models per month and library tag; flagged months as hollow points (log scale)."""
    libraries = [lib for lib in LIBRARY_COLORS if lib in set(monthly["library"])]
    base = alt.Chart(monthly).encode(
        x=alt.X("month:T").title(None),
        y=alt.Y("new_models:Q").scale(type="log").title("New models per month (log scale)"),
        color=alt.Color("library:N")
        .scale(alt.Scale(domain=libraries, range=[LIBRARY_COLORS[lib] for lib in libraries]))
        .title("Hub tag"),
        detail=alt.Detail("run:N"),
        tooltip=[
            alt.Tooltip("library:N"),
            alt.Tooltip("month:T", format="%Y-%m"),
            alt.Tooltip("new_models:Q", format=","),
            alt.Tooltip("total_models:Q", format=","),
            alt.Tooltip("flags:N"),
        ],
    )
    flagged = base.transform_filter(alt.datum.flagged).mark_point(
        size=80, filled=False, strokeWidth=1.5
    )
    points = base.mark_point(size=12, filled=True)
    return alt.layer(base.mark_line(strokeWidth=2), points, flagged)
