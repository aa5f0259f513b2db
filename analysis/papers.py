"""Paper-mention analysis: PyTorch share per conference, yearly works, implementation shares.

Pure functions on tidy frames read from the ``paper_mentions``, ``paper_counts_yearly`` and
``implementations_monthly`` datasets. A conference-year where neither framework is mentioned has
no share (never a zero).
"""

from __future__ import annotations

import pandas as pd

FAMILY_LABELS = {
    "vision": "Vision (CVPR, ICCV, ECCV)",
    "nlp": "NLP (ACL, EMNLP, NAACL)",
    "general_ml": "General ML (ICML, ICLR, NeurIPS)",
    "other_ml": "Other ML",
}
FAMILY_ORDER = list(FAMILY_LABELS)


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
    wide = subset.pivot_table(
        index=keys, columns="framework", values="papers", aggfunc="sum"
    ).reindex(columns=["torch", "tensorflow"])
    extra = subset.groupby(keys).agg(total_papers=("total_papers", "max"), flags=("flags", "first"))
    result = wide.join(extra).reset_index()
    result["mentioning"] = result["torch"] + result["tensorflow"]
    result = result[result["mentioning"] > 0].copy()
    result["share"] = result["torch"] / result["mentioning"]
    result["mention_rate"] = result["mentioning"] / result["total_papers"]
    result["family_label"] = result["venue_family"].map(FAMILY_LABELS)
    return result[columns].sort_values(["venue_family", "venue", "year"]).reset_index(drop=True)


def latest_by_family(shares: pd.DataFrame) -> pd.DataFrame:
    """Per venue family, the latest year and the median PyTorch share over its venues."""
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
