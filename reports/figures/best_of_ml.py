"""best-of-ml-python over time: GitHub dependents (a stock) and conda / Docker Hub increments."""

from __future__ import annotations

import altair as alt
import duckdb
import pandas as pd

from analysis.trends import with_gaps
from census_base.frameworks import colour, label
from reports.figure import Figure

SOURCES = ("best_of_ml_python",)
HINT = "run `census ingest best-of-ml PATH` (best-of-ml-python history files or panel)"


def dependents_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    frame = con.execute(
        """SELECT period AS month, framework, value AS dependents, flags
           FROM github_dependents_monthly ORDER BY month, framework"""
    ).df()
    frame = with_gaps(frame, ["framework"])
    if not frame.empty:
        frame["framework_label"] = frame["framework"].map(label)
    return frame


def _framework_scale(frame: pd.DataFrame) -> alt.Scale:
    present = [f for f in ("torch", "tensorflow") if f in set(frame["framework"])]
    return alt.Scale(domain=[label(f) for f in present], range=[colour(f) for f in present])


def dependents_chart(frame: pd.DataFrame) -> alt.Chart:
    return (
        alt.Chart(frame)
        .mark_line(point=alt.OverlayMarkDef(size=12), invalid="break-paths-show-domains")
        .encode(
            x=alt.X("month:T").title(None),
            y=alt.Y("dependents:Q").title("Repositories depending on it (GitHub 'Used by')"),
            color=alt.Color("framework_label:N").scale(_framework_scale(frame)).title(None),
            tooltip=[
                "framework_label:N",
                alt.Tooltip("month:T", format="%Y-%m"),
                alt.Tooltip("dependents:Q", format=","),
            ],
        )  # fmt: skip
    )


def dependents_title(frame: pd.DataFrame) -> str:
    both = frame.dropna(subset=["dependents"]).groupby("month").filter(lambda g: len(g) == 2)
    month = pd.Timestamp(both["month"].max())
    rows = both[pd.to_datetime(both["month"]) == month].set_index("framework")["dependents"]
    share = rows["torch"] / (rows["torch"] + rows["tensorflow"])
    return (
        f"Stock, {month:%Y-%m}: {rows['torch']:,.0f} GitHub repositories depend on PyTorch, "
        f"{rows['tensorflow']:,.0f} on TensorFlow (PyTorch {share:.0%} of the two, all time)"
    )


def dependents_caption(frame: pd.DataFrame) -> str:
    first, last = pd.Timestamp(frame["month"].min()), pd.Timestamp(frame["month"].max())
    gaps = int(frame["dependents"].isna().sum())
    return (
        f"{gaps} framework-months are gaps. "
        "GitHub's 'Used by' count for pytorch/pytorch and tensorflow/tensorflow, last weekly "
        f"best-of-ml-python snapshot of each month, {first:%Y-%m} to {last:%Y-%m}. A stock: "
        "repositories that once used a framework keep counting, so it lags current choices "
        "(the adoption index reads the flow: new dependents per 30 days). "
        "Gaps are months the GitHub field was not collected or implausible (below half the "
        "earlier maximum: PyTorch 2023-08 shows Keras's count); the list's fallback total "
        "(PyPI dependents only) is never used."
    )


def increments_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    conda = con.execute(
        """SELECT period AS month, framework, 'conda (one channel)' AS measure,
                  value AS per_30_days, flags
           FROM signal_conda_channel_downloads"""
    ).df()
    docker = con.execute(
        """SELECT date_trunc('month', snapshot_date)::DATE AS month, framework,
                  'Docker Hub pulls' AS measure,
                  sum(dockerhub_increment) / sum(days_since_previous) * 30 AS per_30_days,
                  '' AS flags
           FROM best_of_ml_metrics
           WHERE framework = 'tensorflow' AND dockerhub_increment IS NOT NULL
             AND days_since_previous > 0
           GROUP BY ALL"""
    ).df()
    frame = with_gaps(pd.concat([conda, docker], ignore_index=True), ["measure", "framework"])
    if frame.empty:
        return frame
    frame["framework_label"] = frame["framework"].map(label)
    frame["flags"] = frame["flags"].fillna("")
    return frame.sort_values(["measure", "framework", "month"]).reset_index(drop=True)


def increments_chart(frame: pd.DataFrame) -> alt.Chart:
    return (
        alt.Chart(frame)
        .mark_line(point=alt.OverlayMarkDef(size=12), invalid="break-paths-show-domains")
        .encode(
            x=alt.X("month:T").title(None),
            y=alt.Y("per_30_days:Q").title("Downloads / pulls per 30 days"),
            color=alt.Color("framework_label:N").scale(_framework_scale(frame)).title(None),
            strokeDash=alt.StrokeDash("measure:N").title(None),
            tooltip=[
                "framework_label:N",
                "measure:N",
                alt.Tooltip("month:T", format="%Y-%m"),
                alt.Tooltip("per_30_days:Q", format=",.0f"),
                "flags:N",
            ],
        )  # fmt: skip
    )


def increments_title(frame: pd.DataFrame) -> str:
    conda = frame[frame["measure"].str.startswith("conda")].dropna(subset=["per_30_days"])
    both = conda.groupby("month").filter(lambda g: len(g) == 2)
    if both.empty:
        return "conda downloads and Docker Hub pulls per 30 days"
    month = pd.Timestamp(both["month"].max())
    rows = both[pd.to_datetime(both["month"]) == month].set_index("framework")["per_30_days"]
    return (
        f"{month:%Y-%m}: about {rows['torch']:,.0f} conda downloads of PyTorch (its channel) "
        f"and {rows['tensorflow']:,.0f} of TensorFlow (conda-forge) per 30 days"
    )


def increments_caption(frame: pd.DataFrame) -> str:
    first, last = pd.Timestamp(frame["month"].min()), pd.Timestamp(frame["month"].max())
    flagged = sorted({f for f in frame["flags"] if f})
    return (
        "Increments of best-of-ml-python's cumulative totals between weekly snapshots, scaled "
        f"to 30 days, {first:%Y-%m} to {last:%Y-%m}: conda downloads of one package per "
        "framework (pytorch/pytorch, conda-forge/tensorflow: different channels, not all conda "
        "installs) and Docker Hub pulls of tensorflow/tensorflow (PyTorch has none in the list). "
        "No increment across a conda channel change or a fall of a total (gaps)"
        + (f"; flagged months: {', '.join(flagged)}" if flagged else "")
        + ". Long gaps between snapshots spread one increment over the month."
    )


BLOCKS = [
    Figure(
        id="repositories-github-dependents",
        section="repositories",
        order=80,
        data=dependents_frame,
        chart=dependents_chart,
        title=dependents_title,
        caption=dependents_caption,
        sources=SOURCES,
        datasets=("best_of_ml_metrics",),
        missing_hint=HINT,
    ),
    Figure(
        id="downloads-conda-docker-increments",
        section="downloads",
        order=80,
        data=increments_frame,
        chart=increments_chart,
        title=increments_title,
        caption=increments_caption,
        sources=SOURCES,
        datasets=("best_of_ml_metrics",),
        missing_hint=HINT,
    ),
]
