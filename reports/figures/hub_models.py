"""Hugging Face Hub figure: new models per month and library tag (dataset hub_models_monthly)."""

from __future__ import annotations

import altair as alt
import duckdb
import pandas as pd

from analysis.repositories import with_runs
from census_base.frameworks import colour
from reports.figure import Figure


def hub_data(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    frame = con.execute("SELECT * FROM hub_models_monthly ORDER BY library, month").df()
    if frame.empty:
        return frame
    return with_runs(frame.assign(flagged=frame["flags"] != ""), group="library")


def _hub_title(frame: pd.DataFrame) -> str:
    wide = frame.pivot_table(index="month", columns="library", values="new_models")
    both = wide.dropna(subset=[c for c in ("pytorch", "tf") if c in wide.columns])
    month = both.index.max() if not both.empty else wide.index.max()
    parts = [
        f"{lib} {wide.loc[month, lib]:,.0f}"
        for lib in ("pytorch", "tf", "jax", "keras")
        if lib in wide.columns and pd.notna(wide.loc[month, lib])
    ]
    return (
        f"New Hugging Face Hub models in {pd.Timestamp(month):%Y-%m} by weight tag: "
        + ", ".join(parts)
    )


def _hub_caption(frame: pd.DataFrame) -> str:
    first, last = pd.Timestamp(frame["month"].min()), pd.Timestamp(frame["month"].max())
    return (
        f"Models per creation month and library tag on the Hugging Face Hub, {first:%Y-%m} "
        f"to {last:%Y-%m}, counted by walking /api/models (models deleted since are not "
        "counted). Tags follow the weight files present, so a model can count for several "
        "frameworks, and many new models carry only safetensors. Hollow points: every "
        "pre-2022 model has createdAt 2022-03-02, so March 2022 is inflated and earlier "
        "months are undercounted."
    )


# Chart spec: it only encodes the columns computed above.

LIBRARY_COLORS = {
    "pytorch": colour("torch"),
    "tf": colour("tensorflow"),
    "jax": colour("jax"),
    "keras": colour("keras"),
}


def hub_models_chart(monthly: pd.DataFrame) -> alt.TopLevelMixin:
    """New Hub models per month and library tag; flagged months as hollow points (log scale)."""
    libraries = [lib for lib in LIBRARY_COLORS if lib in set(monthly["library"])]
    base = alt.Chart(monthly).encode(
        x=alt.X("month:T").title(None),
        y=alt.Y("new_models:Q").scale(type="log").title("New models per month (log scale)"),
        color=alt.Color("library:N")
        .scale(alt.Scale(domain=libraries, range=[LIBRARY_COLORS[lib] for lib in libraries]))
        .title("Hub tag"),
        detail=alt.Detail("run:N"),
        tooltip=[
            alt.Tooltip("library:N"),
            alt.Tooltip("month:T", format="%Y-%m"),
            alt.Tooltip("new_models:Q", format=","),
            alt.Tooltip("total_models:Q", format=","),
            alt.Tooltip("flags:N"),
        ],
    )
    flagged = base.transform_filter(alt.datum.flagged).mark_point(
        size=80, filled=False, strokeWidth=1.5
    )
    points = base.mark_point(size=12, filled=True)
    return alt.layer(base.mark_line(strokeWidth=2), points, flagged)


BLOCKS = [
    Figure(
        "repos-hub-models",
        "repositories",
        50,
        hub_data,
        hub_models_chart,
        _hub_title,
        _hub_caption,
        ("hf_hub",),
        ("hub_models_monthly",),
        "run `census collect hf-hub` (walks the Hugging Face Hub model listing)",
    ),
]
