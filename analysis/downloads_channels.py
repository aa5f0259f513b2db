"""Downloads per distribution channel (PyPI, conda, npm): one source per channel, shares.

Sources overlap within a channel (top-pypi, ClickHouse, pypistats and BigQuery all count PyPI),
so each channel is drawn from one source only: the one with the most months, ties broken by
``SOURCE_PREFERENCE``. Missing periods stay missing; a channel without one of the two
frameworks has no share.
"""

from __future__ import annotations

import pandas as pd

from analysis.trends import pytorch_share

CHANNEL_LABELS = {"pypi": "PyPI", "conda": "conda", "npm": "npm"}
SOURCE_PREFERENCE = ("top_pypi", "clickhouse_pypi", "bigquery_pypi", "pypistats", "conda", "npm")


def pick_sources(frame: pd.DataFrame) -> pd.DataFrame:
    """Keep, per channel, the rows of the source with the most months."""
    if frame.empty:
        return frame
    months = frame.groupby(["channel", "source"])["month"].nunique().rename("months").reset_index()
    months["rank"] = (
        months["source"]
        .map({s: i for i, s in enumerate(SOURCE_PREFERENCE)})
        .fillna(len(SOURCE_PREFERENCE))
    )
    best = months.sort_values(
        ["channel", "months", "rank"], ascending=[True, False, True]
    ).drop_duplicates("channel")[["channel", "source"]]
    return frame.merge(best, on=["channel", "source"]).reset_index(drop=True)


def channel_family_monthly(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows per channel, family and month from one source per channel, with flags."""
    if frame.empty:
        return frame
    picked = pick_sources(frame).copy()
    picked["flags"] = picked["flags"].fillna("")
    picked["flagged"] = picked["flags"] != ""
    picked["channel_label"] = picked["channel"].map(CHANNEL_LABELS).fillna(picked["channel"])
    order = [
        "channel",
        "channel_label",
        "source",
        "family",
        "family_label",
        "month",
        "downloads",
        "flags",
        "flagged",
        "load_id",
    ]
    return picked[order].sort_values(["channel", "family", "month"]).reset_index(drop=True)


def channel_shares(monthly: pd.DataFrame) -> pd.DataFrame:
    """PyTorch share of PyTorch+TensorFlow per channel and month (channels with both only)."""
    parts = []
    for (channel, label, source), group in monthly.groupby(["channel", "channel_label", "source"]):
        shares = pytorch_share(group).dropna(subset=["share"])
        if shares.empty:
            continue
        loads = group.groupby("month")["load_id"].max()
        parts.append(
            shares.assign(
                channel=channel,
                channel_label=label,
                source=source,
                load_id=shares["month"].map(loads),
            )
        )
    if not parts:
        return pd.DataFrame(
            columns=[
                "channel",
                "channel_label",
                "source",
                "month",
                "torch",
                "tensorflow",
                "share",
                "flags",
                "flagged",
                "load_id",
            ]
        )
    shares = pd.concat(parts, ignore_index=True)
    shares["flagged"] = shares["flags"] != ""
    return shares[
        [
            "channel",
            "channel_label",
            "source",
            "month",
            "torch",
            "tensorflow",
            "share",
            "flags",
            "flagged",
            "load_id",
        ]
    ]


def latest_by_channel(frame: pd.DataFrame) -> pd.DataFrame:
    """The last month of each channel with its row(s)."""
    last = frame.groupby("channel")["month"].transform("max")
    return frame[frame["month"] == last]
