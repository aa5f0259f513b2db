"""Industry: Hacker News 'Who is hiring?' job posts naming each framework, per year."""

from __future__ import annotations

import altair as alt
import duckdb
import pandas as pd

from analysis.currency import blank_before_first
from census_base.frameworks import colour
from reports.figure import Figure

TERMS = {"PyTorch": "torch", "TensorFlow": "tensorflow", "Keras": "keras"}


def jobs_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Share of posts per year and framework term with its Wilson interval, from 2015."""
    frame = con.execute(
        """SELECT year(year)::INTEGER AS year, term, months, posts, posts_matching,
                  share_of_posts, ci_low, ci_high, partial_year
           FROM job_postings_yearly
           WHERE term IN ('PyTorch', 'TensorFlow', 'Keras') AND year >= DATE '2015-01-01'
           ORDER BY 1, term"""
    ).df()
    # Years before a framework's first matching post (before it existed) are absent, not 0.
    return blank_before_first(
        frame, "term", "year", "posts_matching", also=("share_of_posts", "ci_low", "ci_high")
    )


def jobs_chart(frame: pd.DataFrame) -> alt.TopLevelMixin:
    """Share of job posts naming each framework; bars are 95 % Wilson intervals."""
    terms = [t for t in TERMS if t in set(frame["term"])]
    scale = alt.Scale(domain=terms, range=[colour(TERMS[t]) for t in terms])
    base = alt.Chart(frame).encode(
        x=alt.X("year:O").title(None).axis(labelAngle=0),
        color=alt.Color("term:N").scale(scale).title("Framework named"),
    )
    share = alt.Y("share_of_posts:Q").axis(format=".1%").title("Share of job posts (95 % CI)")
    lines = base.mark_line(strokeWidth=2).encode(y=share)
    points = base.mark_point(filled=True, size=50).encode(
        y=share,
        shape=alt.Shape("partial_year:N").title("Partial year"),
        tooltip=["term:N", "year:O", "posts:Q", "posts_matching:Q",
                 alt.Tooltip("share_of_posts:Q", format=".2%"), "months:Q"],
    )  # fmt: skip
    bars = base.mark_errorbar().encode(
        y=alt.Y("ci_low:Q").title("Share of job posts (95 % CI)"), y2="ci_high:Q"
    )
    return alt.layer(bars, lines, points).properties(width=640)


def jobs_title(frame: pd.DataFrame) -> str:
    complete = frame[~frame["partial_year"]]
    year = int(complete["year"].max())
    rows = complete[complete["year"] == year].set_index("term")
    if {"PyTorch", "TensorFlow"} <= set(rows.index):
        torch, tf = rows.loc["PyTorch"], rows.loc["TensorFlow"]
        return (
            f"In {year}, {torch['share_of_posts']:.1%} of Hacker News job posts named "
            f"PyTorch and {tf['share_of_posts']:.1%} TensorFlow "
            f"({int(torch['posts_matching'])} and {int(tf['posts_matching'])} of "
            f"{int(torch['posts']):,} posts)"
        )
    return "Hacker News job posts naming each framework"


def jobs_caption(frame: pd.DataFrame) -> str:
    first, last = int(frame["year"].min()), int(frame["year"].max())
    partial = ", ".join(str(y) for y in frame[frame["partial_year"]]["year"].unique())
    return (
        "Job posts (top-level comments) in the monthly 'Ask HN: Who is hiring?' threads that "
        f"mention each framework, per year, {first} to {last}; bars are 95 % Wilson "
        "intervals of the share of all posts that year (the denominator). Monthly counts are "
        "0-13 posts per framework, hence years. Dashed: partial years"
        + (f" ({partial})" if partial else "")
        + ". One community's job board (start-ups, US-heavy), keyword matches by hntrends, "
        "not the job market."
    )


BLOCKS = [
    Figure(
        id="surveys-job-postings",
        section="surveys",
        order=60,
        data=jobs_frame,
        chart=jobs_chart,
        title=jobs_title,
        caption=jobs_caption,
        sources=("hn_who_is_hiring",),
        datasets=("job_postings_yearly",),
        missing_hint="run `census ingest hn-hiring PATH` (hntrends data-YYYYMMDD.js)",
    )
]
