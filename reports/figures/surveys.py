"""Surveys: who says they use which framework, per survey and segment, with denominators."""

from __future__ import annotations

from functools import partial

import altair as alt
import duckdb
import pandas as pd

from reports.charts import framework_label_scale, framework_labels, known_frameworks
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
    frame["framework_label"] = framework_labels(frame["framework"])
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
        frame["framework"] = framework_labels(frame["framework"])
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


# Chart specs: they only encode the columns computed above.


def _label_scale(frame: pd.DataFrame) -> alt.Scale:
    return framework_label_scale(known_frameworks(frame["framework"]))


def survey_shares_chart(shares: pd.DataFrame) -> alt.FacetChart:
    """Share per framework and year with 95 % interval bars, one panel per segment.

    Expects ``year, segment_label, framework, framework_label, share, ci_low, ci_high,
    respondents, answered, same_question``; points of years whose question wording differs
    from the latest year are hollow.
    """
    segments = list(dict.fromkeys(shares["segment_label"]))
    scale = _label_scale(shares)
    # Every year on the axis, so a year without a survey (Kaggle 2020) shows as a gap, and a
    # line per run of consecutive years (never drawn across the gap).
    years = list(range(int(shares["year"].min()), int(shares["year"].max()) + 1))
    runs = shares.groupby(["segment_label", "framework"])["year"].transform(
        lambda y: (y.diff() != 1).cumsum()
    )
    shares = shares.assign(run=runs)
    base = alt.Chart().encode(
        x=alt.X("year:O").title("Survey year").scale(domain=years),
        color=alt.Color("framework_label:N").scale(scale).title("Framework"),
    )
    line = base.mark_line(strokeWidth=1.5).encode(
        y=alt.Y("share:Q").axis(format="%").title("Share of respondents who answered"),
        detail="run:N",
    )
    bars = base.mark_rule(strokeWidth=2).encode(y="ci_low:Q", y2="ci_high:Q")
    tooltip = [
        alt.Tooltip("framework_label:N", title="framework"),
        "year:O",
        alt.Tooltip("share:Q", format=".1%"),
        alt.Tooltip("ci_low:Q", format=".1%"),
        alt.Tooltip("ci_high:Q", format=".1%"),
        "respondents:Q",
        "answered:Q",
    ]
    shape = alt.Shape("framework_label:N").scale(domain=scale.domain).title("Framework")
    same = (
        base.transform_filter(alt.datum.same_question)
        .mark_point(filled=True, size=45, opacity=1)
        .encode(y="share:Q", shape=shape, tooltip=tooltip)
    )
    other = (
        base.transform_filter(~alt.datum.same_question)
        .mark_point(filled=False, size=45, strokeWidth=1.5, opacity=1)
        .encode(y="share:Q", shape=shape, tooltip=tooltip)
    )
    return (
        alt.layer(line, bars, same, other, data=shares)
        .properties(width=150, height=220)
        .facet(column=alt.Column("segment_label:N").sort(segments).title(None))
    )


BLOCKS = [
    _survey_figure("kaggle", 10),
    _survey_figure("stackoverflow", 20),
    TextBlock("surveys-shares-table", "surveys", 25, _table),
]
