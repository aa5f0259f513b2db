"""Papers: monthly framework share of Papers with Code implementations."""

from __future__ import annotations

import altair as alt
import duckdb
import pandas as pd

from analysis.papers import framework_shares
from reports.charts import framework_labels
from reports.figure import Figure
from reports.figures.papers import framework_colors

MIN_MONTH_REPOS = 20  # months with fewer labelled repositories are too noisy for a share


def implementations_data(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    frame = con.execute(
        "SELECT month, CASE WHEN framework IN ('torch', 'tensorflow', 'jax') THEN framework "
        "ELSE 'other' END AS framework, sum(repos) AS repos FROM implementations_monthly i "
        "WHERE framework <> 'none' AND NOT EXISTS (SELECT 1 FROM data_flags d "
        "WHERE d.source = i.source AND d.kind = 'partial_period' AND i.month = d.period_start) "
        "GROUP BY ALL ORDER BY month, framework"
    ).df()
    if frame.empty:
        return frame
    frame = framework_shares(frame, "month", "repos")
    totals = frame.groupby("month")["repos"].transform("sum")
    frame = frame[totals >= MIN_MONTH_REPOS].reset_index(drop=True)
    frame["framework_label"] = framework_labels(frame["framework"]).fillna("Other")
    return frame


def _implementations_title(frame: pd.DataFrame) -> str:
    last = frame[frame["month"] == frame["month"].max()].set_index("framework")["share"]
    month = pd.Timestamp(frame["month"].max())
    return (
        f"Papers with Code: {last.get('torch', 0):.0%} of implementations linked to papers "
        f"of {month:%Y-%m} use PyTorch, {last.get('tensorflow', 0):.0%} TensorFlow"
    )


def _implementations_caption(frame: pd.DataFrame) -> str:
    return (
        "Share of repositories per framework among Papers with Code paper-code links with a "
        f"framework label (none excluded; months with fewer than {MIN_MONTH_REPOS} labelled "
        "repositories and the archive's last, partial month left out), by month of the "
        "linked paper: the archive has no "
        "repository creation date, so the month is the paper's arXiv submission month "
        "(from its id). Papers with Code stopped in July 2025; the archive is frozen. "
        f"{frame['month'].min():%Y-%m} to {frame['month'].max():%Y-%m}."
    )


# Chart specs: they only encode the columns computed above.


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
            color=alt.Color("framework_label:N").scale(framework_colors(shares)).title("Framework"),
            tooltip=[
                alt.Tooltip("month:T", format="%Y-%m"),
                "framework_label:N",
                "repos:Q",
                alt.Tooltip("share:Q", format=".1%"),
            ],
        )
    )


BLOCKS = [
    Figure(
        id="papers-pwc-implementation-share",
        section="papers",
        order=30,
        data=implementations_data,
        chart=implementation_share_chart,
        title=_implementations_title,
        caption=_implementations_caption,
        sources=("papers_with_code",),
        datasets=("implementations_monthly",),
        missing_hint="run `census ingest papers-with-code PATH_OR_URL`",
    ),
]
