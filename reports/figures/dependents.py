"""GitHub dependents figure: repositories that depend on each framework ('Used by')."""

from __future__ import annotations

import altair as alt
import duckdb
import pandas as pd

from analysis.repositories import labelled
from reports.figure import Figure
from reports.figures.repositories import repo_scale


def dependents_data(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    frame = con.execute("""
        SELECT c.repo, coalesce(t.framework, 'other') AS framework, c.observed_date, c.value,
               c.detail, c.source, c.load_id
        FROM cur_github_repo_counts c LEFT JOIN cur_tracked_repos t USING (repo)
        WHERE c.metric = 'dependent_repositories'
        QUALIFY row_number() OVER (PARTITION BY c.repo ORDER BY c.observed_date DESC) = 1
        ORDER BY c.value DESC""").df()
    return labelled(frame) if not frame.empty else frame


def _dependents_title(frame: pd.DataFrame) -> str:
    top = frame.iloc[0]
    return (
        f"{top['label']} has the most dependent repositories on GitHub: {top['value']:,} "
        f"({pd.Timestamp(top['observed_date']):%Y-%m-%d})"
    )


def _dependents_caption(frame: pd.DataFrame) -> str:
    days = sorted({pd.Timestamp(d).strftime("%Y-%m-%d") for d in frame["observed_date"]})
    return (
        "Repositories that depend on each framework according to GitHub's dependency graph "
        f"('Used by'), read from the dependents page on {', '.join(days)}. Counts are for "
        "the default package only (TensorFlow publishes several), include forks and "
        "abandoned repositories, and only cover manifests GitHub can parse."
    )


# Chart spec: it only encodes the columns computed above.


def dependents_chart(counts: pd.DataFrame) -> alt.Chart:
    """Latest dependents count per repository (horizontal bars)."""
    return (
        alt.Chart(counts)
        .mark_bar()
        .encode(
            y=alt.Y("label:N").sort("-x").title(None),
            x=alt.X("value:Q").title("Dependent repositories (GitHub 'Used by')").axis(format="~s"),
            color=alt.Color("label:N").scale(repo_scale(counts)).legend(None),
            tooltip=[
                alt.Tooltip("repo:N", title="repository"),
                alt.Tooltip("value:Q", format=","),
                alt.Tooltip("observed_date:T"),
                alt.Tooltip("detail:N"),
            ],
        )
    )


BLOCKS = [
    Figure(
        "repos-dependents",
        "repositories",
        40,
        dependents_data,
        dependents_chart,
        _dependents_title,
        _dependents_caption,
        ("github_dependents",),
        (),
        "run `census collect github-dependents` (reads GitHub's dependents pages)",
    ),
]
