"""Q&A figures: Stack Overflow questions per framework tag per month, and the PyTorch share."""

from __future__ import annotations

import altair as alt
import duckdb
import pandas as pd

from analysis.currency import blank_before_first
from analysis.trends import pytorch_share
from census_base.frameworks import colour
from reports.charts import parity_rule, share_axis
from reports.figure import Figure


def tag_shares(monthly: pd.DataFrame) -> pd.DataFrame:
    """PyTorch share of pytorch+tensorflow questions per month (``month, pytorch, tensorflow,
    share``; a month missing either tag has no share)."""
    return pytorch_share(
        monthly,
        group="tag",
        value="questions",
        numerator="pytorch",
        denominator=("pytorch", "tensorflow"),
        flags=None,
    )


def qa_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    frame = con.execute(
        """SELECT q.tag, q.month, q.questions, q.source, q.load_id FROM qa_questions_monthly q
           JOIN qa_signal_sources s ON s.month = q.month AND s.source = q.source
           WHERE q.tag IN ('pytorch', 'tensorflow', 'keras', 'jax')
             AND q.month >= DATE '2015-01-01'
           ORDER BY q.month, q.tag"""
    ).df()
    # Months before a tag's first question (the tag did not exist yet) are absent, not 0.
    return blank_before_first(frame, "tag", "month", "questions")


def qa_share_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    monthly = qa_frame(con)
    if monthly.empty:
        return monthly
    shares = tag_shares(monthly).dropna(subset=["share"])
    return shares[shares["month"] >= pd.Timestamp("2017-01-01")].reset_index(drop=True)


def _qa_title(frame: pd.DataFrame) -> str:
    last = frame[frame["month"] == frame["month"].max()].set_index("tag")["questions"]
    month = pd.Timestamp(frame["month"].max())
    if {"pytorch", "tensorflow"} <= set(last.index):
        return (
            f"In {month:%Y-%m} Stack Overflow got {int(last['tensorflow']):,} new "
            f"tensorflow and {int(last['pytorch']):,} new pytorch questions"
        )
    return "Stack Overflow questions per month per framework tag"


def _qa_caption(frame: pd.DataFrame) -> str:
    first, last = pd.Timestamp(frame["month"].min()), pd.Timestamp(frame["month"].max())
    sources = ", ".join(sorted(frame["source"].unique()))
    return (
        "New Stack Overflow questions per calendar month carrying each tag (from 2015; the "
        f"tags were barely used before), {first:%Y-%m} "
        f"to {last:%Y-%m} (sources: {sources}; one archive per month, the live API where "
        "present: each archive counts the questions not yet deleted when it was taken, so a "
        "change of line style is a method break, not a change in use). Tag synonyms "
        "(tensorflow2.0, tf.keras, pytorch-lightning) are not added. "
        "Question counts reflect problems people hit, not users; the site's total volume "
        "has been falling since 2014, so compare shares rather than levels over long "
        "spans."
    )


def _qa_share_title(frame: pd.DataFrame) -> str:
    latest = frame.sort_values("month").iloc[-1]
    return (
        f"PyTorch had {latest['share']:.0%} of pytorch + tensorflow questions on Stack "
        f"Overflow in {pd.Timestamp(latest['month']):%Y-%m}"
    )


def _qa_share_caption(frame: pd.DataFrame) -> str:
    first, last = pd.Timestamp(frame["month"].min()), pd.Timestamp(frame["month"].max())
    peak = frame.loc[frame["share"].idxmax()]
    return (
        f"pytorch / (pytorch + tensorflow) questions per month, {first:%Y-%m} to "
        f"{last:%Y-%m} (from 2017, when the pytorch tag appears). Highest: "
        f"{peak['share']:.0%} in {pd.Timestamp(peak['month']):%Y-%m}. Months missing a tag "
        "have no share. Keras questions are not counted on either side."
    )


# Chart specs: they only encode the columns computed above.

TAG_COLORS = {
    "pytorch": colour("torch"),
    "tensorflow": colour("tensorflow"),
    "keras": colour("keras"),
    "jax": colour("jax"),
}


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
        y=share_axis(title="PyTorch share of pytorch + tensorflow questions"),
    )
    line = base.mark_line(color=colour("torch"), strokeWidth=2).encode(
        tooltip=[
            alt.Tooltip("month:T", format="%Y-%m"),
            alt.Tooltip("share:Q", format=".1%"),
            "pytorch:Q",
            "tensorflow:Q",
        ]
    )
    half = parity_rule()
    return alt.layer(half, line)


BLOCKS = [
    Figure(
        id="surveys-qa-questions-monthly",
        section="surveys",
        order=40,
        data=qa_frame,
        chart=qa_questions_chart,
        title=_qa_title,
        caption=_qa_caption,
        sources=(
            "stackoverflow_tag_trends",
            "stackoverflow_trends_nschloe",
            "stackoverflow_sede",
            "stackexchange_api",
        ),
        datasets=("qa_questions_monthly", "qa_source_overlap"),
        missing_hint="run `census ingest stackoverflow-tags PATH_OR_URL` or "
        "`census collect stackoverflow-tags`",
    ),
    Figure(
        id="surveys-qa-pytorch-share",
        section="surveys",
        order=50,
        data=qa_share_frame,
        chart=qa_share_chart,
        title=_qa_share_title,
        caption=_qa_share_caption,
        sources=("stackoverflow_tag_trends", "stackexchange_api"),
        datasets=("qa_questions_monthly",),
        missing_hint="run `census ingest stackoverflow-tags PATH_OR_URL`",
    ),
]
