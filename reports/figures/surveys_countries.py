"""Surveys: TensorFlow and PyTorch use in the top Kaggle survey countries."""

from __future__ import annotations

import duckdb
import pandas as pd

from reports.charts import framework_labels
from reports.figure import Figure
from reports.figures.surveys import survey_shares_chart

COUNTRIES_SQL = """
WITH latest AS (SELECT max(year) AS year FROM survey_shares WHERE survey = 'kaggle'),
countries AS (
    SELECT DISTINCT segment FROM survey_shares, latest
    WHERE survey = 'kaggle' AND survey_shares.year = latest.year AND segment LIKE 'country:%'
    QUALIFY dense_rank() OVER (ORDER BY answered DESC) <= 5
)
SELECT year, segment, framework, respondents, answered, share, ci_low, ci_high, question,
       load_id
FROM survey_shares JOIN countries USING (segment)
WHERE survey = 'kaggle' AND framework IN ('tensorflow', 'torch')
ORDER BY segment, year, framework
"""


def country_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """TensorFlow and PyTorch shares in the latest year's top Kaggle countries, every year.

    Ordered by answers in the latest year, largest first.
    """
    frame = con.execute(COUNTRIES_SQL).df()
    if frame.empty:
        return frame
    frame["segment_label"] = frame["segment"].str.removeprefix("country:")
    frame["framework_label"] = framework_labels(frame["framework"])
    latest = frame.loc[frame["year"] == frame["year"].max(), "question"]
    frame["same_question"] = frame["question"].isin(set(latest))
    size = frame[frame["year"] == frame["year"].max()].groupby("segment")["answered"].max()
    order = size.rank(ascending=False, method="first")
    return frame.sort_values("segment", key=lambda s: s.map(order), kind="stable").reset_index(
        drop=True
    )


def _country_title(frame: pd.DataFrame) -> str:
    year = int(frame["year"].max())
    torch = frame[(frame["year"] == year) & (frame["framework"] == "torch")]
    low, high = torch.loc[torch["share"].idxmin()], torch.loc[torch["share"].idxmax()]
    return (
        f"Kaggle {year}: PyTorch use ranges from {low['share']:.0%} ({low['segment_label']}) "
        f"to {high['share']:.0%} ({high['segment_label']}) across the top countries"
    )


def _country_caption(frame: pd.DataFrame) -> str:
    year = int(frame["year"].max())
    latest = frame[frame["year"] == year].drop_duplicates("segment_label")
    counts = ", ".join(f"{r.segment_label} {int(r.answered):,}" for r in latest.itertuples())
    return (
        f"Kaggle ML & DS Survey: the {len(latest)} countries with most answers to the frameworks "
        f"question in {year} ({counts} answered), with their shares in every year they were "
        "among that year's top 10 (a country outside a year's top 10 has no point). Share of "
        "respondents in the country who answered the question; 95 % Wilson intervals; hollow "
        "points: different question wording (2017 work tools, 2018 past 5 years). Country "
        "names harmonised across years."
    )


BLOCKS = [
    Figure(
        id="surveys-kaggle-countries",
        section="surveys",
        order=27,
        data=country_frame,
        chart=survey_shares_chart,
        title=_country_title,
        caption=_country_caption,
        sources=("kaggle_survey",),
        datasets=("survey_shares",),
        missing_hint="run `census ingest kaggle-survey PATH_OR_URL`",
    ),
]
