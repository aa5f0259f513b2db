"""Papers: PyTorch share of conference papers naming a framework, per conference and year."""

from __future__ import annotations

import altair as alt
import duckdb
import pandas as pd

from analysis.currency import blank_before_first
from analysis.papers import FAMILY_LABELS, conference_shares, latest_by_family
from census_base.frameworks import FRAMEWORKS, colour
from census_base.frameworks import label as framework_label
from reports.charts import PARITY, parity_datum_rule, share_axis
from reports.figure import Figure


def conference_data(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    mentions = con.execute(
        "SELECT venue, venue_family, year, framework, papers, total_papers, version, flags "
        "FROM paper_mentions WHERE method = 'published' AND source = 'he_conferences' "
        "AND venue_family <> 'other_ml'"
    ).df()
    # Before PyTorch existed (NeurIPS/CVPR 2015-2016) a count of 0 is absent, not a zero.
    mentions = blank_before_first(mentions, ["venue", "framework"], "year", "papers")
    shares = conference_shares(mentions)
    shares.attrs["fixed_venues"] = fixed_venues(con)
    return shares


SHORT_FAMILY = {"vision": "vision", "nlp": "NLP", "general_ml": "general ML"}


def fixed_venues(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Per venue family, the venues compared year to year (the view ``paper_fixed_venues``)."""
    found: dict[str, list[str]] = {}
    for family, venue in con.execute(
        "SELECT venue_family, venue FROM paper_fixed_venues ORDER BY venue_family, venue"
    ).fetchall():
        found.setdefault(family, []).append(venue)
    return found


def _conference_title(frame: pd.DataFrame) -> str:
    latest = latest_by_family(frame, frame.attrs["fixed_venues"])
    parts = [
        f"{SHORT_FAMILY.get(r.venue_family, r.venue_family)} {r.share:.0%} ({r.year})"
        for r in latest.itertuples()
    ]
    lead = "PyTorch leads" if (latest["share"] > PARITY).all() else "PyTorch share"
    version = pd.Timestamp(frame["version"].max())
    return (
        f"{lead} in conference papers naming a framework (He, version {version:%Y-%m-%d}, "
        "latest year with the same venues): " + ", ".join(parts)
    )


def _conference_caption(frame: pd.DataFrame) -> str:
    version = pd.Timestamp(frame["version"].max())
    recent = frame[frame["year"] >= 2018]
    rates = recent["mention_rate"] if len(recent) else frame["mention_rate"]
    low, high = rates.min(), rates.max()
    sets = "; ".join(
        f"{SHORT_FAMILY.get(family, family)}: {', '.join(venues)}"
        for family, venues in frame.attrs["fixed_venues"].items()
    )
    return (
        f"Share = papers whose PDF text mentions PyTorch / (PyTorch + TensorFlow), per "
        f"conference and year, {frame['year'].min()}-{frame['year'].max()}, from Horace "
        f"He's data.csv, version {version:%Y-%m-%d} (older versions, which counted "
        "2015-2019 differently, are in paper_mentions_versions and never mixed in). From 2018 "
        f"on, {low:.0%}-{high:.0%} of a conference's papers mention either framework, so the "
        "share describes that subset. ICLR 2021-2022 totals count all submissions. The "
        f"title's value per family is the median over a fixed venue set ({sets}) in the "
        "latest year that has all of them counting accepted papers; later years with other "
        "venues or submissions are drawn but never the latest value. Years where neither "
        "framework is mentioned have no point. The recount from the paper lists and its "
        "comparison with the published counts are in the methodology section."
    )


# Chart specs: they only encode the columns computed above.

VENUE_COLORS = {
    "CVPR": "#1b9e77",
    "ICCV": "#66a61e",
    "ECCV": "#a6d854",
    "ACL": "#7570b3",
    "EMNLP": "#e7298a",
    "NAACL": "#b3a2d6",
    "ICML": "#d95f02",
    "ICLR": "#e6ab02",
    "NeurIPS": "#a6761d",
    "AISTATS": "#666666",
    "COLT": "#999999",
}


def conference_share_chart(shares: pd.DataFrame) -> alt.FacetChart:
    """PyTorch share per conference over time, one panel per venue family.

    Expects ``family_label, venue, year, share, torch, tensorflow, total_papers, version``.
    """
    venues = [v for v in VENUE_COLORS if v in set(shares["venue"])]
    families = [name for name in FAMILY_LABELS.values() if name in set(shares["family_label"])]
    version = pd.Timestamp(shares["version"].max()) if len(shares) else None
    years = sorted({int(y) for y in shares["year"]})
    header = f"Horace He's data.csv, version {version:%Y-%m-%d}" if version else None
    base = alt.Chart().encode(
        x=alt.X("year:Q")
        .axis(format="d", values=years, labelAngle=0, labelFontSize=10)
        .scale(zero=False)
        .title("Conference year"),
        y=share_axis(title="PyTorch share of PyTorch + TF papers"),
        color=alt.Color("venue:N")
        .scale(domain=venues, range=[VENUE_COLORS[v] for v in venues])
        .title("Conference"),
        tooltip=[
            "venue:N",
            "year:O",
            alt.Tooltip("share:Q", format=".0%"),
            "torch:Q",
            "tensorflow:Q",
            "total_papers:Q",
            alt.Tooltip("version:T", format="%Y-%m-%d"),
        ],
    )
    half = parity_datum_rule()
    layered = alt.layer(
        half, base.mark_line(strokeWidth=2), base.mark_point(filled=True), data=shares
    ).properties(width=240, height=240)
    return layered.facet(column=alt.Column("family_label:N").sort(families).title(header))


def framework_colors(frame: pd.DataFrame) -> alt.Scale:
    """Colour scale on framework labels: each framework's fixed colour, grey for 'Other'.

    Shared by the papers_bibliographic and papers_pwc charts.
    """
    keys = [f for f in [*FRAMEWORKS, "other"] if f in set(frame["framework"])]
    labels = [framework_label(f) if f in FRAMEWORKS else "Other" for f in keys]
    return alt.Scale(
        domain=labels, range=[colour(f) if f in FRAMEWORKS else "#888888" for f in keys]
    )


BLOCKS = [
    Figure(
        id="papers-conference-pytorch-share",
        section="papers",
        order=10,
        data=conference_data,
        chart=conference_share_chart,
        title=_conference_title,
        caption=_conference_caption,
        sources=("he_conferences",),
        datasets=("paper_mentions",),
        missing_hint="run `census ingest he-conferences PATH_OR_URL`",
    ),
]
