"""Q&A vintages: Stack Overflow tag questions as a share of all questions, and archive overlaps."""

from __future__ import annotations

import altair as alt
import duckdb
import pandas as pd

from analysis.currency import blank_before_first
from census_base.frameworks import colour
from reports.figure import Figure

TAG_ORDER = ["pytorch", "tensorflow", "keras", "jax"]
TAG_COLOURS = {tag: colour("torch" if tag == "pytorch" else tag) for tag in TAG_ORDER}
SOURCES = ("stackoverflow_tag_trends", "stackoverflow_trends_nschloe", "stackoverflow_sede")


def share_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Monthly share of all questions per tag and archive, from 2015 (months before the
    tag's first question are absent, not 0)."""
    frame = con.execute(
        """SELECT tag, month, source, questions, all_questions, share_of_all, same_vintage,
                  interpolated
           FROM qa_share_of_all_questions WHERE month >= DATE '2015-01-01'
           ORDER BY tag, source, month"""
    ).df()
    return blank_before_first(frame, "tag", "month", "questions", also=("share_of_all",))


def share_chart(frame: pd.DataFrame) -> alt.Chart:
    """Share of all questions per tag; one line per archive (never joined across archives)."""
    tags = [t for t in TAG_ORDER if t in set(frame["tag"])]
    return (
        alt.Chart(frame)
        .mark_line(strokeWidth=1.8, invalid="break-paths-show-domains")
        .encode(
            x=alt.X("month:T").title(None),
            y=alt.Y("share_of_all:Q").axis(format=".1%").title("Share of all new questions"),
            color=alt.Color("tag:N")
            .scale(domain=tags, range=[TAG_COLOURS[t] for t in tags])
            .title("Tag"),
            strokeDash=alt.StrokeDash("source:N").title("Archive"),
            detail="source:N",
            tooltip=[
                "tag:N",
                "source:N",
                alt.Tooltip("month:T", format="%Y-%m"),
                alt.Tooltip("share_of_all:Q", format=".2%"),
                alt.Tooltip("all_questions:Q", format=","),
                "interpolated:N",
            ],
        )  # fmt: skip
    )


def share_title(frame: pd.DataFrame) -> str:
    tf = frame[(frame["tag"] == "tensorflow") & frame["same_vintage"]]
    if tf.empty:
        return "Framework tags as a share of all Stack Overflow questions"
    latest = tf.sort_values("month").iloc[-1]
    everything = frame[frame["tag"] == "tensorflow"]
    peak = everything.loc[everything["share_of_all"].idxmax()]
    return (
        f"tensorflow questions were {latest['share_of_all']:.2%} of all Stack Overflow "
        f"questions in {pd.Timestamp(latest['month']):%Y-%m}, against a peak of "
        f"{peak['share_of_all']:.2%} in {pd.Timestamp(peak['month']):%Y-%m}"
    )


def share_caption(frame: pd.DataFrame) -> str:
    first, last = pd.Timestamp(frame["month"].min()), pd.Timestamp(frame["month"].max())
    interpolated = int(frame["interpolated"].sum())
    return (
        "Questions carrying each tag divided by all questions asked that month (SEDE daily "
        f"totals, queried 2025-03), {first:%Y-%m} to {last:%Y-%m}. Stack Overflow itself "
        "shrank after 2014 and fell sharply from 2022, so a falling count is not by itself "
        "falling use; the share corrects for the site's size. Each archive is its own line: "
        "tag counts from earlier archives include questions deleted since, so they sit slightly "
        f"above the SEDE denominator's vintage. {interpolated} plotted month(s) are "
        "interpolated estimates (nschloe). Only complete months are shown."
    )


def overlap_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    frame = con.execute(
        """SELECT tag, month, earlier_source, earlier_questions, later_source,
                  later_questions, difference, ratio, interpolated
           FROM qa_source_overlap WHERE earlier_questions >= 20
           ORDER BY tag, month"""
    ).df()
    if not frame.empty:
        frame["pair"] = frame["later_source"] + " / " + frame["earlier_source"]
    return frame


def overlap_chart(frame: pd.DataFrame) -> alt.Chart:
    """Later archive / earlier archive per overlapping month and tag."""
    tags = [t for t in TAG_ORDER if t in set(frame["tag"])]
    return (
        alt.Chart(frame)
        .mark_point(filled=True, size=30)
        .encode(
            x=alt.X("month:T").title(None),
            y=alt.Y("ratio:Q").axis(format="%").title("Later archive / earlier archive"),
            color=alt.Color("tag:N")
            .scale(domain=tags, range=[TAG_COLOURS[t] for t in tags])
            .title("Tag"),
            shape=alt.Shape("pair:N").title("Archives compared"),
            tooltip=[
                "tag:N",
                "pair:N",
                alt.Tooltip("month:T", format="%Y-%m"),
                "earlier_questions:Q",
                "later_questions:Q",
                alt.Tooltip("ratio:Q", format=".0%"),
            ],
        )  # fmt: skip
    )


def overlap_title(frame: pd.DataFrame) -> str:
    summary = frame.groupby("pair").apply(
        lambda g: g["later_questions"].sum() / g["earlier_questions"].sum(), include_groups=False
    )
    parts = [f"{pair}: {ratio:.0%}" for pair, ratio in summary.sort_index().items()]
    return "Same months, different archives (later / earlier, summed): " + "; ".join(parts)


def overlap_caption(frame: pd.DataFrame) -> str:
    first, last = pd.Timestamp(frame["month"].min()), pd.Timestamp(frame["month"].max())
    return (
        "Questions per tag and month counted by two archives taken at different times, "
        f"{first:%Y-%m} to {last:%Y-%m} (months with at least 20 questions in the earlier "
        "archive). An archive counts only questions not deleted by the time it was taken, so "
        "the later one is usually lower; that is why the Q&A signal uses one archive per month "
        "and flags the month it changes (method_break) instead of splicing them."
    )


BLOCKS = [
    Figure(
        id="surveys-qa-share-of-all-questions",
        section="surveys",
        order=55,
        data=share_frame,
        chart=share_chart,
        title=share_title,
        caption=share_caption,
        sources=SOURCES,
        datasets=("qa_share_of_all_questions",),
        missing_hint="run `census ingest stackoverflow-sede PATH` (counts_by_day.csv)",
    ),
    Figure(
        id="surveys-qa-source-overlap",
        section="surveys",
        order=56,
        data=overlap_frame,
        chart=overlap_chart,
        title=overlap_title,
        caption=overlap_caption,
        sources=SOURCES,
        datasets=("qa_source_overlap",),
        missing_hint="run `census ingest stackoverflow-nschloe PATH` and "
        "`census ingest stackoverflow-sede PATH`",
    ),
]
