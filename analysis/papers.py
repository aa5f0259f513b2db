"""Paper-mention analysis: PyTorch share per conference, yearly works, implementation shares.

Pure functions on tidy frames read from the ``paper_mentions``, ``paper_counts_yearly`` and
``implementations_monthly`` datasets. A conference-year where neither framework is mentioned has
no share (never a zero).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import pandas as pd

FixedVenues = Mapping[str, Collection[str]]  # venue family -> its fixed venues

FAMILY_LABELS = {
    "vision": "Vision (CVPR, ICCV, ECCV)",
    "nlp": "NLP (ACL, EMNLP, NAACL)",
    "general_ml": "General ML (ICML, ICLR, NeurIPS)",
    "other_ml": "Other ML",
}
FAMILY_ORDER = list(FAMILY_LABELS)
SUBMISSIONS_FLAG = "denominator_change"  # the venue-year counts submissions, not accepted papers


def conference_shares(mentions: pd.DataFrame) -> pd.DataFrame:
    """PyTorch share of papers mentioning PyTorch or TensorFlow, per venue-year and version.

    Expects ``venue, venue_family, year, framework, papers, total_papers, version, flags``
    (one method). Returns one row per venue-year with ``torch, tensorflow, mentioning, share,
    mention_rate`` (mentioning / total papers) and ``family_label``.
    """
    columns = [
        "venue",
        "venue_family",
        "family_label",
        "year",
        "version",
        "torch",
        "tensorflow",
        "mentioning",
        "total_papers",
        "share",
        "mention_rate",
        "flags",
    ]
    subset = mentions[mentions["framework"].isin(["torch", "tensorflow"])]
    if subset.empty:
        return pd.DataFrame(columns=columns)
    keys = ["venue", "venue_family", "year", "version"]
    # min_count=1: a venue-year with no count for a framework stays absent (NaN), never 0.
    wide = (
        subset.groupby([*keys, "framework"])["papers"]
        .sum(min_count=1)
        .unstack("framework")
        .reindex(columns=["torch", "tensorflow"])
        .astype("float64")
    )
    extra = subset.groupby(keys).agg(total_papers=("total_papers", "max"), flags=("flags", "first"))
    result = wide.join(extra).reset_index()
    result["mentioning"] = result["torch"] + result["tensorflow"]
    result = result[result["mentioning"] > 0].copy()
    result["share"] = result["torch"] / result["mentioning"]
    result["mention_rate"] = result["mentioning"] / result["total_papers"]
    result["family_label"] = result["venue_family"].map(FAMILY_LABELS)
    return result[columns].sort_values(["venue_family", "venue", "year"]).reset_index(drop=True)


def comparable_years(shares: pd.DataFrame, fixed_venues: FixedVenues) -> pd.DataFrame:
    """Per family and year: whether the year has the family's whole fixed venue set (from the
    view ``paper_fixed_venues``), none of them counting submissions (``comparable``), and the
    venues present."""
    rows = []
    for (family, year), group in shares.groupby(["venue_family", "year"], sort=True):
        fixed = set(fixed_venues.get(family, ()))
        present = set(group["venue"])
        submissions = (
            group[group["venue"].isin(fixed)]["flags"].fillna("").str.contains(SUBMISSIONS_FLAG)
        )
        rows.append(
            {
                "venue_family": family,
                "year": year,
                "venues": ", ".join(sorted(present)),
                "comparable": bool(fixed) and fixed <= present and not submissions.any(),
            }
        )
    return pd.DataFrame(rows, columns=["venue_family", "year", "venues", "comparable"])


def latest_by_family(shares: pd.DataFrame, fixed_venues: FixedVenues) -> pd.DataFrame:
    """Per venue family, the latest COMPARABLE year (its whole fixed venue set, accepted
    papers only) and the median PyTorch share over the fixed venues that year. A later year
    with another venue set is shown in the chart, flagged, but never the latest value."""
    years = comparable_years(shares, fixed_venues)
    ok = years[years["comparable"]][["venue_family", "year"]]
    fixed = shares[
        [
            v in fixed_venues.get(f, ())
            for v, f in zip(shares["venue"], shares["venue_family"], strict=True)
        ]
    ]
    shares = fixed.merge(ok, on=["venue_family", "year"]) if len(ok) else shares.iloc[0:0]
    last = shares[shares["year"] == shares.groupby("venue_family")["year"].transform("max")]
    return (
        last.groupby("venue_family")
        .agg(year=("year", "first"), share=("share", "median"), venues=("venue", "count"))
        .reindex([f for f in FAMILY_ORDER if f in set(last["venue_family"])])
        .reset_index()
    )


def framework_shares(counts: pd.DataFrame, period: str, value: str) -> pd.DataFrame:
    """Each framework's share of the period's total (over the frameworks present)."""
    frame = counts.copy()
    total = frame.groupby(period)[value].transform("sum")
    frame["share"] = (frame[value] / total).where(total > 0)
    return frame
