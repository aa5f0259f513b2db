"""Paper figures: PyTorch share per conference, yearly works per framework, PwC implementations."""

from __future__ import annotations

import altair as alt
import duckdb
import pandas as pd

from analysis.currency import blank_before_first
from analysis.papers import FAMILY_LABELS, conference_shares, framework_shares, latest_by_family
from census_base.frameworks import FRAMEWORKS, colour
from census_base.frameworks import label as framework_label
from reports.charts import PARITY, framework_labels, parity_datum_rule, share_axis
from reports.figure import Content, Figure, TextBlock, join, paragraphs, table

SOURCE_LABELS = {"openalex": "OpenAlex (title and abstract)", "arxiv": "arXiv (all fields)"}


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


MIN_MONTH_REPOS = 20  # months with fewer labelled repositories are too noisy for a share


def implementations_data(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    frame = con.execute(
        "SELECT month, CASE WHEN framework IN ('torch', 'tensorflow', 'jax') THEN framework "
        "ELSE 'other' END AS framework, sum(repos) AS repos FROM implementations_monthly i "
        "WHERE framework <> 'none' AND NOT EXISTS (SELECT 1 FROM data_flags d "
        "WHERE d.source = i.source AND d.kind = 'partial_period' AND i.month = d.period_start) "
        "GROUP BY ALL ORDER BY month, framework"
    ).df()
    if frame.empty:
        return frame
    frame = framework_shares(frame, "month", "repos")
    totals = frame.groupby("month")["repos"].transform("sum")
    frame = frame[totals >= MIN_MONTH_REPOS].reset_index(drop=True)
    frame["framework_label"] = framework_labels(frame["framework"]).fillna("Other")
    return frame


def _implementations_title(frame: pd.DataFrame) -> str:
    last = frame[frame["month"] == frame["month"].max()].set_index("framework")["share"]
    month = pd.Timestamp(frame["month"].max())
    return (
        f"Papers with Code: {last.get('torch', 0):.0%} of implementations linked to papers "
        f"of {month:%Y-%m} use PyTorch, {last.get('tensorflow', 0):.0%} TensorFlow"
    )


def _implementations_caption(frame: pd.DataFrame) -> str:
    return (
        "Share of repositories per framework among Papers with Code paper-code links with a "
        f"framework label (none excluded; months with fewer than {MIN_MONTH_REPOS} labelled "
        "repositories and the archive's last, partial month left out), by month of the "
        "linked paper: the archive has no "
        "repository creation date, so the month is the paper's arXiv submission month "
        "(from its id). Papers with Code stopped in July 2025; the archive is frozen. "
        f"{frame['month'].min():%Y-%m} to {frame['month'].max():%Y-%m}."
    )


ARTICLE_VERSION = "2019-10-10"  # the data.csv published with The Gradient article
VISION_AND_ML = ("CVPR", "ICCV", "ECCV", "ICML", "ICLR", "NeurIPS")


def comparison_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Recount next to the latest and the article's published versions, per conference-year."""
    frame = con.execute("SELECT * FROM paper_recount_comparison").df()
    if frame.empty:
        return frame
    frame["version"] = pd.to_datetime(frame["version"])
    latest = frame["version"].max()
    keys = ["venue", "year"]
    base = frame.sort_values("version").groupby(keys, as_index=False).last()
    recount_cols = [
        "any_torch",
        "any_tensorflow",
        "rule_torch",
        "rule_tensorflow",
        "rule_both",
        "rule_excluded",
        "status",
    ]
    out = base[[*keys, "total_papers", *recount_cols]]
    for label, version in (("latest", latest), ("article", pd.Timestamp(ARTICLE_VERSION))):
        published = frame[frame["version"] == version][
            [*keys, "published_torch", "published_tensorflow"]
        ].rename(columns={"published_torch": f"{label}_pt", "published_tensorflow": f"{label}_tf"})
        out = out.merge(published, on=keys, how="left")
    columns = {
        "total_papers": "papers",
        "any_torch": "any_pt",
        "any_tensorflow": "any_tf",
        "rule_torch": "rule_pt",
        "rule_tensorflow": "rule_tf",
        "rule_both": "both",
        "rule_excluded": "excluded",
    }
    order = [
        "venue",
        "year",
        "papers",
        "latest_pt",
        "latest_tf",
        "article_pt",
        "article_tf",
        "any_pt",
        "any_tf",
        "rule_pt",
        "rule_tf",
        "both",
        "excluded",
        "status",
    ]
    return out.rename(columns=columns)[order].sort_values(keys).reset_index(drop=True)


def _comparison(con: duckdb.DuckDBPyConnection) -> Content | None:
    frame = comparison_frame(con)
    if frame.empty:
        return None
    latest = con.execute("SELECT max(version) FROM paper_recount_comparison").fetchone()
    article = frame.dropna(subset=["article_pt", "rule_pt"])
    vision_ml = article[article["venue"].isin(VISION_AND_ML) & (article["status"] == "recounted")]
    vision_ml = vision_ml[~((vision_ml["venue"] == "ICML") & (vision_ml["year"] == 2019))]
    gap = vision_ml[["rule_pt", "rule_tf"]].to_numpy(dtype=float) - vision_ml[
        ["article_pt", "article_tf"]
    ].to_numpy(dtype=float)
    agreement = (
        f"For the {len(vision_ml)} vision and general-ML conference-years with flags (ICML 2019 "
        f"aside) the rule lands within {abs(gap).max():.0f} papers of the article's version "
        "per framework. "
        if len(vision_ml)
        else ""
    )
    intro = paragraphs(
        "Recount of Horace He's per-conference paper lists from their keyword flags, next to "
        f"two published versions of data.csv: the latest ({latest[0] if latest else '?'}) and "
        f"the one published with the article ({ARTICLE_VERSION}). any = every paper flagged "
        "for the framework; rule = the article's rule (papers flagged google.com or fb.com "
        "and papers naming both frameworks left out; both and excluded count those). "
        + agreement
        + "The 2021-02 version re-counted older years with a changed method that the flags "
        "do not reflect, so the latest counts differ more. NLP recounts run low: the article "
        "also counted allennlp and opennmt-py as PyTorch, and the flags say only 'opennmt'. "
        "ICML 2019's list flags only pt/tf (no affiliations). Lists with empty flags upstream "
        "cannot be recounted."
    )
    return join(
        intro,
        table(
            frame.astype(object).where(frame.notna(), ""),
            "Recount vs published counts per conference-year",
        ),
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


def _framework_colors(frame: pd.DataFrame) -> alt.Scale:
    """Colour scale on framework labels, with each framework's fixed colour."""
    keys = [f for f in [*FRAMEWORKS, "other"] if f in set(frame["framework"])]
    labels = [framework_label(f) if f in FRAMEWORKS else "Other" for f in keys]
    return alt.Scale(
        domain=labels, range=[colour(f) if f in FRAMEWORKS else "#888888" for f in keys]
    )


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
        color=alt.Color("framework_label:N").scale(_framework_colors(counts)).title("Framework"),
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


def implementation_share_chart(shares: pd.DataFrame) -> alt.Chart:
    """Monthly share of Papers with Code implementations per framework.

    Expects ``month, framework, framework_label, repos, share``.
    """
    return (
        alt.Chart(shares)
        .mark_line(strokeWidth=2)
        .encode(
            x=alt.X("month:T").title("Month of the linked paper (arXiv id or paper date)"),
            y=alt.Y("share:Q").axis(format="%").title("Share of implementations (repositories)"),
            color=alt.Color("framework_label:N")
            .scale(_framework_colors(shares))
            .title("Framework"),
            tooltip=[
                alt.Tooltip("month:T", format="%Y-%m"),
                "framework_label:N",
                "repos:Q",
                alt.Tooltip("share:Q", format=".1%"),
            ],
        )
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
    Figure(
        id="papers-pwc-implementation-share",
        section="papers",
        order=30,
        data=implementations_data,
        chart=implementation_share_chart,
        title=_implementations_title,
        caption=_implementations_caption,
        sources=("papers_with_code",),
        datasets=("implementations_monthly",),
        missing_hint="run `census ingest papers-with-code PATH_OR_URL`",
    ),
    TextBlock(
        "papers-recount-comparison", "methodology", 40, _comparison, sources=("he_conferences",)
    ),
]
