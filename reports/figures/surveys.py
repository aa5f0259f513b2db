"""Survey figures: who says they use which framework, with denominators and intervals."""

from __future__ import annotations

from functools import partial

import altair as alt
import duckdb
import pandas as pd

from analysis.surveys import bracketed, published_vs_measured
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
