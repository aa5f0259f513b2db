"""Surveys: published survey headline figures beside the shares measured from the files."""

from __future__ import annotations

import altair as alt
import duckdb
import pandas as pd

from analysis.surveys import bracketed, published_vs_measured
from reports.figure import Figure


def comparison_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    published = con.execute(
        "SELECT figure_id, source AS publisher, period_year, framework, value, unit, "
        "compare_survey, compare_segment FROM published_figures"
    ).df()
    shares = con.execute(
        "SELECT survey, segment, framework, year, share, ci_low, ci_high, "
        "answered FROM survey_shares"
    ).df()
    if published.empty or shares.empty:
        return pd.DataFrame()
    return published_vs_measured(published, shares)


def _comparison_title(frame: pd.DataFrame) -> str:
    same = _same_year(frame)
    if not same.empty:
        row = same.iloc[0]
        return (
            f"Published {row['published']:.0%} vs measured {row['measured']:.0%} for "
            f"{row['series']} in {int(row['year'])}"
        )
    around = bracketed(frame)
    if not around.empty:
        return (
            f"{int(around['inside'].sum())} of {len(around)} published survey figures lie "
            "between the shares measured in the survey years either side"
        )
    return "Published headline figures beside the measured shares for the same population"


def _same_year(frame: pd.DataFrame) -> pd.DataFrame:
    measured = frame[frame["kind"] == "measured"][["series", "year", "share"]]
    published = frame[frame["kind"] == "published"][["series", "year", "share"]]
    return published.merge(measured, on=["series", "year"], suffixes=("_p", "_m")).rename(
        columns={"share_p": "published", "share_m": "measured"}
    )


def _comparison_caption(frame: pd.DataFrame) -> str:
    same = _same_year(frame)
    pairs = (
        "; ".join(
            f"{r.series} {int(r.year)}: published {r.published:.1%}, measured {r.measured:.1%}"
            for r in same.itertuples()
        )
        or "none"
    )
    published = frame[frame["kind"] == "published"]
    ids = published.groupby("publisher")["figure_id"].agg(lambda s: ", ".join(sorted(s)))
    cited = "; ".join(f"{publisher}: {names}" for publisher, names in ids.items())
    return (
        f"Diamonds: figures as published ({cited}); dots with 95 % Wilson intervals: the "
        "share measured from the survey files for the same survey, segment and framework "
        f"in every year loaded. Same-year pairs: {pairs}. A published year without its "
        "survey file (e.g. Kaggle 2020, Stack Overflow 2022) has no measured point. "
        "Kaggle's 2020 figures describe respondents employed as data scientists; the "
        "measured series uses the job title 'Data Scientist'. Kaggle 2017 (work tools) and "
        "2018 (past 5 years) asked differently from 2019 on."
    )


# Chart specs: they only encode the columns computed above.


def published_vs_measured_chart(frame: pd.DataFrame) -> alt.FacetChart:
    """Measured shares per year (with intervals) and the published figure, per series.

    Expects ``series, year, kind, share, ci_low, ci_high, answered, publisher``.
    """
    years = list(range(int(frame["year"].min()), int(frame["year"].max()) + 1))
    base = alt.Chart().encode(x=alt.X("year:O").title("Year").scale(domain=years))
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


BLOCKS = [
    Figure(
        id="surveys-published-vs-measured",
        section="surveys",
        order=30,
        data=comparison_frame,
        chart=published_vs_measured_chart,
        title=_comparison_title,
        caption=_comparison_caption,
        sources=("published_figures", "kaggle_survey", "stackoverflow_survey"),
        datasets=("published_figures", "survey_shares"),
        missing_hint="run `census ingest published-figures collectors/published_figures.csv`"
        " and a survey ingest",
    ),
]
