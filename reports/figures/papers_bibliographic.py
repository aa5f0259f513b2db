"""Papers: works per year naming each framework in OpenAlex and arXiv."""

from __future__ import annotations

import altair as alt
import duckdb
import pandas as pd

from reports.charts import framework_labels
from reports.figure import Figure
from reports.figures.papers import framework_colors

SOURCE_LABELS = {"openalex": "OpenAlex (title and abstract)", "arxiv": "arXiv (all fields)"}


def works_data(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    frame = con.execute(
        "SELECT source, framework, year, works, query, is_partial_year FROM paper_counts_yearly "
        "WHERE framework IN ('torch', 'tensorflow', 'jax') ORDER BY source, framework, year"
    ).df()
    frame["source_label"] = frame["source"].map(SOURCE_LABELS).fillna(frame["source"])
    frame["framework_label"] = framework_labels(frame["framework"])
    return frame


def _works_title(frame: pd.DataFrame) -> str:
    complete = frame[~frame["is_partial_year"]]
    if complete.empty:
        return "Works per year that name each framework (no complete year yet)"
    last_year = int(complete["year"].max())
    sub = complete[complete["year"] == last_year].pivot_table(
        index="source_label", columns="framework", values="works", aggfunc="sum"
    )
    parts = [
        f"{row['torch'] / row['tensorflow']:.1f}x in {source.split(' (')[0]}"
        for source, row in sub.iterrows()
        if row.get("torch") and row.get("tensorflow")
    ]
    if parts:
        return f"In {last_year}, works naming PyTorch vs TensorFlow: " + ", ".join(parts)
    return "Works per year that name each framework"


def _works_caption(frame: pd.DataFrame) -> str:
    queries = "; ".join(sorted(set(frame["source"] + ": " + frame["query"].str.slice(0, 90))))
    partial = sorted(set(frame.loc[frame["is_partial_year"], "year"]))
    return (
        f"Works per publication year {frame['year'].min()}-{frame['year'].max()} whose "
        "searchable text matches each framework's synonym list "
        "(collectors/framework_synonyms.toml); OpenAlex searches titles and abstracts, "
        "arXiv all metadata fields (not full text), so both undercount papers that only use "
        "a framework. Faded points: year not over when counted "
        f"({', '.join(map(str, partial)) or 'none'}); indexes also keep growing. 'jax' also "
        "matches unrelated uses of the word. Queries: " + queries
    )


# Chart specs: they only encode the columns computed above.


def yearly_works_chart(counts: pd.DataFrame) -> alt.FacetChart:
    """Works per year per framework, one panel per bibliographic source (own y scale).

    Expects ``source_label, framework, framework_label, year, works, is_partial_year``.
    """
    base = alt.Chart().encode(
        x=alt.X("year:Q")
        .axis(format="d", labelAngle=0, tickMinStep=1)
        .scale(zero=False)
        .title("Publication year"),
        y=alt.Y("works:Q").title("Works naming the framework"),
        color=alt.Color("framework_label:N").scale(framework_colors(counts)).title("Framework"),
        tooltip=[
            "source_label:N",
            "framework_label:N",
            "year:O",
            alt.Tooltip("works:Q", format=","),
            "is_partial_year:N",
        ],
    )
    points = base.mark_point(size=40, strokeWidth=1.5, filled=True).encode(
        opacity=alt.condition(alt.datum.is_partial_year, alt.value(0.3), alt.value(1.0))
    )
    layered = alt.layer(base.mark_line(strokeWidth=2), points, data=counts).properties(
        width=320, height=240
    )
    return layered.facet(column=alt.Column("source_label:N").title(None)).resolve_scale(
        y="independent"
    )


BLOCKS = [
    Figure(
        id="papers-bibliographic-yearly",
        section="papers",
        order=20,
        data=works_data,
        chart=yearly_works_chart,
        title=_works_title,
        caption=_works_caption,
        sources=("openalex", "arxiv"),
        datasets=("paper_counts_yearly",),
        missing_hint="run `census collect openalex arxiv`",
    ),
]
