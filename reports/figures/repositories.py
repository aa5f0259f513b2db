"""Repository figures: stars over time, stars gained, PyTorch's share, dependents, Hub models."""

from __future__ import annotations

import altair as alt
import duckdb
import pandas as pd

from analysis.repositories import (
    event_marks,
    new_stars_monthly,
    source_priority,
    star_shares,
    stars_monthly,
)
from census_base.frameworks import FRAMEWORKS, colour
from reports.charts import parity_rule, share_axis
from reports.figure import Figure
from reports.signals import per_build

MAIN = ("torch", "tensorflow", "keras", "jax", "transformers")
RANKING_HINT = "run `census ingest github-ranking PATH_OR_URL` or `census collect github-repos`"


@per_build
def _monthly(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute("SELECT * FROM repo_stats_monthly ORDER BY repo, month").df()


def stars_data(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Star series plus the annotated events (``layer`` says which row is which)."""
    stars = stars_monthly(_monthly(con), source_priority(con))
    if stars.empty:
        return stars
    events = event_marks(con.execute("SELECT * FROM repo_events").df(), stars)
    keep = [
        "repo",
        "framework",
        "label",
        "month",
        "stars",
        "run",
        "is_latest",
        "source",
        "flags",
        "load_id",
    ]
    return pd.concat(
        [stars[keep].assign(layer="stars"), events.assign(layer="event")], ignore_index=True
    )


def _stars_chart(frame: pd.DataFrame):  # noqa: ANN202 - an Altair chart
    events = frame[frame["layer"] == "event"][["event_date", "text", "stars"]]
    return stars_chart(frame[frame["layer"] == "stars"], events)


def _latest(frame: pd.DataFrame, value: str) -> tuple[pd.Timestamp, pd.Series]:
    both = frame.pivot_table(index="month", columns="framework", values=value).dropna(
        subset=[c for c in ("torch", "tensorflow") if c in frame["framework"].unique()]
    )
    month = both.index.max()
    return pd.Timestamp(month), both.loc[month]


def _stars_title(frame: pd.DataFrame) -> str:
    stars = frame[frame["layer"] == "stars"]
    if not {"torch", "tensorflow"} <= set(stars["framework"]):
        return "GitHub stars of the framework repositories"
    month, last = _latest(stars, "stars")
    return (
        f"Stock, {month:%Y-%m}: TensorFlow {last['tensorflow']:,.0f} GitHub stars all time, "
        "PyTorch "
        f"{last['torch']:,.0f} ({last['torch'] / last['tensorflow']:.0%} of TensorFlow's)"
    )


def _stars_caption(frame: pd.DataFrame) -> str:
    stars = frame[frame["layer"] == "stars"]
    first, last = pd.Timestamp(stars["month"].min()), pd.Timestamp(stars["month"].max())
    events = frame[frame["layer"] == "event"]
    marked = "; ".join(sorted(set(events["text"]))) or "none in the warehouse"
    return (
        f"Stars of each tracked repository per month, {first:%Y-%m} to {last:%Y-%m}, from the "
        "Github-Ranking daily top-100 lists (the month's first observed day), else the GitHub "
        "API. A repository that was in none of the top-100 lists that day has no value: the "
        "line breaks there (e.g. JAX, Keras), nothing is interpolated. Renamed repositories "
        "are one series under their current name. Diamonds mark major releases (GitHub "
        f"releases API, only after a live collect) and renames: {marked}."
    )


def new_stars_data(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    monthly = _monthly(con)
    frame = new_stars_monthly(monthly[monthly["framework"].isin(MAIN)], source_priority(con))
    if frame.empty:
        return frame
    return frame[
        [
            "repo",
            "framework",
            "label",
            "month",
            "new_stars",
            "new_stars_days",
            "run",
            "source",
            "flags",
            "load_id",
        ]
    ]


def _new_stars_title(frame: pd.DataFrame) -> str:
    if not {"torch", "tensorflow"} <= set(frame["framework"]):
        return "GitHub stars gained per month"
    wide = (
        frame.pivot_table(index="month", columns="framework", values="new_stars")
        .dropna(subset=["torch", "tensorflow"])
        .sort_index()
        .tail(12)
    )
    ahead = int((wide["torch"] > wide["tensorflow"]).sum())
    return (
        f"PyTorch gained more stars than TensorFlow in {ahead} of the last {len(wide)} "
        f"months measured (to {wide.index.max():%Y-%m})"
    )


def _new_stars_caption(frame: pd.DataFrame) -> str:
    first, last = pd.Timestamp(frame["month"].min()), pd.Timestamp(frame["month"].max())
    return (
        f"Stars gained per month, {first:%Y-%m} to {last:%Y-%m}: the difference between two "
        "Github-Ranking observations in consecutive months (25-40 days apart; the month's "
        "length is in the CSV), or the month's sum in the GitHub star history. Net of "
        "removed stars. A month without both observations is left out, never filled."
    )


def share_data(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    monthly = _monthly(con)
    main = monthly[monthly["repo"].isin(["pytorch/pytorch", "tensorflow/tensorflow"])]
    return star_shares(main, source_priority(con)) if not main.empty else main


def _share_title(frame: pd.DataFrame) -> str:
    stock = frame[frame["measure"] == "all stars so far"].sort_values("month")
    flow = frame[frame["measure"] == "stars gained that month"].sort_values("month")
    if stock.empty:
        return "PyTorch's share of PyTorch+TensorFlow stars gained per month"
    first, last = stock.iloc[0], stock.iloc[-1]
    word = "rose" if last["share"] > first["share"] else "fell"
    text = (
        "PyTorch's share of the two repos' cumulative stars (a stock) "
        f"{word} from {first['share']:.0%} to "
        f"{last['share']:.0%} ({pd.Timestamp(first['month']):%Y}-{pd.Timestamp(last['month']):%Y})"
    )
    if not flow.empty:
        text += (
            f"; {flow.iloc[-1]['share']:.0%} of new stars in "
            f"{pd.Timestamp(flow.iloc[-1]['month']):%Y-%m}"
        )
    return text


def _share_caption(frame: pd.DataFrame) -> str:
    first, last = pd.Timestamp(frame["month"].min()), pd.Timestamp(frame["month"].max())
    return (
        f"pytorch/pytorch stars / (pytorch/pytorch + tensorflow/tensorflow stars) per month, "
        f"{first:%Y-%m} to {last:%Y-%m}: all stars so far (a slow-moving stock) and the "
        "stars gained that month (the flow). A month where either repository is missing "
        "has no share. Stars measure attention on GitHub, not use."
    )


# Chart specs: they only encode the columns computed above.

# Frameworks beyond the theme's four: muted, so the main frameworks stand out.
REPO_COLORS = {fid: fw.colour for fid, fw in FRAMEWORKS.items()} | {
    "transformers": "#56B4E9",  # Okabe-Ito sky blue: apart from the four frameworks' colours
    "mxnet": "#7f7f7f",
    "caffe": "#a0a0a0",
    "cntk": "#5f5f5f",
    "theano": "#c0c0c0",
}


def repo_scale(frame: pd.DataFrame) -> alt.Scale:
    pairs = frame[["label", "framework"]].drop_duplicates().sort_values("label")
    return alt.Scale(
        domain=pairs["label"].tolist(),
        range=[REPO_COLORS.get(f, "#444444") for f in pairs["framework"]],
    )


def stars_chart(stars: pd.DataFrame, events: pd.DataFrame) -> alt.TopLevelMixin:
    """Stars per repository and month; a line per contiguous run, events as labelled dots.

    Expects ``stars``: ``label, framework, month, stars, run, source``; ``events``:
    ``event_date, text, stars``.
    """
    base = alt.Chart(stars).encode(
        x=alt.X("month:T").title(None),
        y=alt.Y("stars:Q").title("GitHub stars").axis(format="~s"),
        color=alt.Color("label:N").scale(repo_scale(stars)).title("Repository").legend(columns=3),
        detail=alt.Detail("run:N"),
        tooltip=[
            alt.Tooltip("repo:N", title="repository"),
            alt.Tooltip("month:T", format="%Y-%m"),
            alt.Tooltip("stars:Q", format=","),
            alt.Tooltip("source:N"),
        ],
    )
    latest = (
        base.transform_filter(alt.datum.is_latest)
        .mark_text(align="left", dx=5, fontSize=10)
        .encode(text="label:N")
    )
    layers = [base.mark_line(strokeWidth=2), base.mark_point(size=10, filled=True), latest]
    if not events.empty:
        marks = alt.Chart(events).encode(
            x="event_date:T", y="stars:Q", tooltip=["text:N", alt.Tooltip("event_date:T")]
        )
        # No text beside the diamonds: labels overlapped the lines (the caption names them).
        layers.append(marks.mark_point(shape="diamond", size=90, color="black", filled=True))
    return alt.layer(*layers)


def new_stars_chart(monthly: pd.DataFrame) -> alt.TopLevelMixin:
    """Stars gained per month and repository (lines break where a month is missing)."""
    base = alt.Chart(monthly).encode(
        x=alt.X("month:T").title(None),
        y=alt.Y("new_stars:Q").title("Stars gained in the month").axis(format="~s"),
        color=alt.Color("label:N").scale(repo_scale(monthly)).title("Repository").legend(columns=3),
        detail=alt.Detail("run:N"),
        tooltip=[
            alt.Tooltip("repo:N", title="repository"),
            alt.Tooltip("month:T", format="%Y-%m"),
            alt.Tooltip("new_stars:Q", format=","),
            alt.Tooltip("new_stars_days:Q", title="days measured"),
        ],
    )
    return alt.layer(base.mark_line(strokeWidth=1.5), base.mark_point(size=10, filled=True))


def star_share_chart(shares: pd.DataFrame) -> alt.TopLevelMixin:
    """PyTorch share of PyTorch+TensorFlow stars per month, two measures, 50 % rule."""
    base = alt.Chart(shares).encode(
        x=alt.X("month:T").title(None),
        y=share_axis(),
        color=alt.Color("measure:N")
        .scale(
            domain=["all stars so far", "stars gained that month"],
            range=[colour("torch"), "#555555"],
        )
        .title("Stars counted"),
        detail=alt.Detail("run:N"),
        tooltip=[
            alt.Tooltip("month:T", format="%Y-%m"),
            alt.Tooltip("measure:N"),
            alt.Tooltip("share:Q", format=".1%"),
            alt.Tooltip("torch:Q", format=","),
            alt.Tooltip("tensorflow:Q", format=","),
        ],
    )
    half = parity_rule()
    return alt.layer(half, base.mark_line(strokeWidth=2), base.mark_point(size=12, filled=True))


BLOCKS = [
    Figure(
        "repos-stars-monthly",
        "repositories",
        10,
        stars_data,
        _stars_chart,
        _stars_title,
        _stars_caption,
        ("github_ranking", "github_repos"),
        ("repo_stats_monthly", "repo_events"),
        RANKING_HINT,
    ),
    Figure(
        "repos-new-stars-monthly",
        "repositories",
        20,
        new_stars_data,
        new_stars_chart,
        _new_stars_title,
        _new_stars_caption,
        ("github_ranking", "github_repos"),
        ("repo_stats_monthly",),
        RANKING_HINT,
    ),
    Figure(
        "repos-pytorch-star-share",
        "repositories",
        30,
        share_data,
        star_share_chart,
        _share_title,
        _share_caption,
        ("github_ranking", "github_repos"),
        ("repo_stats_monthly",),
        RANKING_HINT,
    ),
]
