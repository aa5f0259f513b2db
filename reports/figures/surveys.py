"""Survey figures: who says they use which framework, with denominators and intervals."""

from __future__ import annotations

from functools import partial

import duckdb
import pandas as pd

from analysis.charts_surveys import published_vs_measured_chart, survey_shares_chart
from analysis.surveys import bracketed, published_vs_measured
from analysis.theme import FRAMEWORK_LABELS
from reports.figure import Content, Figure, TextBlock, join, paragraphs, table

FRAMEWORKS = ("tensorflow", "torch", "keras", "jax")
SEGMENT_LABELS = {
    "all": "All respondents",
    "professional": "Employed / professional",
    "data_scientist": "Data scientists",
    "student": "Students",
}
SURVEY_NAMES = {"kaggle": "Kaggle ML & DS Survey", "stackoverflow": "Stack Overflow Survey"}

SHARES_SQL = """
SELECT year, segment, framework, respondents, answered, share, ci_low, ci_high, question,
       load_id
FROM survey_shares
WHERE survey = ? AND framework IN ('tensorflow', 'torch', 'keras', 'jax')
  AND segment IN ('all', 'professional', 'data_scientist', 'student')
ORDER BY year, segment, framework
"""


def survey_frame(con: duckdb.DuckDBPyConnection, survey: str) -> pd.DataFrame:
    frame = con.execute(SHARES_SQL, [survey]).df()
    frame["segment_label"] = frame["segment"].map(SEGMENT_LABELS)
    frame["framework_label"] = frame["framework"].map(FRAMEWORK_LABELS)
    latest = frame.loc[frame["year"] == frame["year"].max(), "question"]
    frame["same_question"] = frame["question"].isin(set(latest))
    order = {s: i for i, s in enumerate(SEGMENT_LABELS)}
    return frame.sort_values(["segment"], key=lambda s: s.map(order), kind="stable").reset_index(
        drop=True
    )


def _shares_title(survey: str, frame: pd.DataFrame) -> str:
    name = SURVEY_NAMES[survey]
    everyone = frame[frame["segment"] == "all"]
    latest = everyone[everyone["year"] == everyone["year"].max()].set_index("framework")
    if {"torch", "tensorflow"} <= set(latest.index):
        year = int(everyone["year"].max())
        tf, pt = latest.loc["tensorflow", "share"], latest.loc["torch", "share"]
        return (
            f"{name} {year}: TensorFlow {tf:.0%} vs PyTorch {pt:.0%} of the "
            f"{int(latest.loc['tensorflow', 'answered']):,} who answered the frameworks "
            "question"
        )
    return f"{name}: share of respondents who use each framework, by segment"


def _shares_caption(survey: str, frame: pd.DataFrame) -> str:
    years = sorted(int(y) for y in frame["year"].unique())
    everyone = frame[frame["segment"] == "all"].drop_duplicates("year").set_index("year")
    counts = ", ".join(
        f"{y}: {int(everyone.loc[y, 'answered']):,}" for y in years if y in everyone.index
    )
    questions = "; ".join(
        f'{int(y)}: "{q}"'
        for y, q in frame.drop_duplicates("year")[["year", "question"]].itertuples(index=False)
    )
    text = (
        f"{SURVEY_NAMES[survey]}, {years[0]}-{years[-1]} (years present: "
        f"{', '.join(map(str, years))}). Share = respondents choosing the framework / "
        f"respondents who answered the frameworks question (None and Other count as "
        "answers); bars are 95 % Wilson intervals; hollow points mark years whose question "
        "wording differs from the latest year. Denominators, all respondents: "
        f"{counts}. A framework not offered in a year has no point (never a zero). "
        f"Questions as asked: {questions}. "
    )
    if survey == "kaggle":
        text += (
            "2017 offered TensorFlow as the only deep-learning option among work tools; "
            "2018 asked about the past 5 years, later years about regular use, so 2018 "
            "levels are not comparable with later years. 2020 is shown only when its file "
            "is supplied. Kaggle respondents are self-selected Kaggle users."
        )
    else:
        text += (
            "Professional = MainBranch 'I am a developer by profession'; the 2025 survey "
            "asked no frameworks question."
        )
    return text


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


def _table(con: duckdb.DuckDBPyConnection) -> Content | None:
    frame = con.execute(
        """SELECT survey, year, framework, respondents, answered, share, ci_low, ci_high
           FROM survey_shares WHERE segment = 'all'
             AND framework IN ('tensorflow', 'torch', 'keras', 'jax')
           ORDER BY survey, year, framework"""
    ).df()
    missing = con.execute(
        "SELECT note FROM data_flags WHERE kind = 'question_missing' ORDER BY period"
    ).df()
    if frame.empty and missing.empty:
        return None
    parts = []
    if not frame.empty:
        frame["framework"] = frame["framework"].map(FRAMEWORK_LABELS)
        frame["share"] = frame["share"].map("{:.1%}".format)
        frame["95 % interval"] = [
            f"{lo:.1%} - {hi:.1%}"
            for lo, hi in zip(frame.pop("ci_low"), frame.pop("ci_high"), strict=True)
        ]
        parts.append(
            table(
                frame,
                "Framework shares per survey year, all respondents, with "
                "their denominators (answered = respondents who answered "
                "the frameworks question)",
            )
        )
    if not missing.empty:
        parts.append(paragraphs(*missing["note"].tolist()))
    return join(*parts)


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
    frame["framework_label"] = frame["framework"].map(FRAMEWORK_LABELS)
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


def _survey_figure(survey: str, order: int) -> Figure:
    return Figure(
        id=f"surveys-{survey}-shares",
        section="surveys",
        order=order,
        data=partial(survey_frame, survey=survey),
        chart=survey_shares_chart,
        title=partial(_shares_title, survey),
        caption=partial(_shares_caption, survey),
        sources=(f"{survey}_survey",),
        datasets=("survey_shares",),
        missing_hint=f"run `census ingest {survey.replace('_', '-')}-survey PATH_OR_URL`",
    )


BLOCKS = [
    _survey_figure("kaggle", 10),
    _survey_figure("stackoverflow", 20),
    TextBlock("surveys-shares-table", "surveys", 25, _table),
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
