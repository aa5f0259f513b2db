"""Survey and Q&A figures: who says they use which framework, and Stack Overflow questions."""

from __future__ import annotations

from functools import partial

import duckdb
import pandas as pd

from analysis.charts_surveys import (
    published_vs_measured_chart,
    qa_questions_chart,
    qa_share_chart,
    survey_shares_chart,
)
from analysis.surveys import bracketed, published_vs_measured, qa_pytorch_share
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
QA_TAGS = ("pytorch", "tensorflow", "keras", "jax")

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


def qa_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(
        """SELECT tag, month, questions, source, load_id FROM qa_questions_monthly
           WHERE tag IN ('pytorch', 'tensorflow', 'keras', 'jax') AND month >= DATE '2015-01-01'
           QUALIFY row_number() OVER (PARTITION BY tag, month
                                      ORDER BY source = 'stackexchange_api' DESC) = 1
           ORDER BY month, tag"""
    ).df()


def qa_share_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    monthly = qa_frame(con)
    if monthly.empty:
        return monthly
    shares = qa_pytorch_share(monthly).dropna(subset=["share"])
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
        f"to {last:%Y-%m} (sources: {sources}; the live API value is used where both "
        "exist). Tag synonyms (tensorflow2.0, tf.keras, pytorch-lightning) are not added. "
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
        "measured series uses the job title 'Data Scientist'."
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
    Figure(
        id="surveys-qa-questions-monthly",
        section="surveys",
        order=40,
        data=qa_frame,
        chart=qa_questions_chart,
        title=_qa_title,
        caption=_qa_caption,
        sources=("stackoverflow_tag_trends", "stackexchange_api"),
        datasets=("qa_questions_monthly",),
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
