"""Repository and model-hub statistics as tidy frames for the report (pure functions).

One source per repository and month (the order of the view github_source_priority; for a
share, one source per month for both frameworks, the rule of signal_github_stars), contiguous
runs so that a chart never draws a line across a missing month, the PyTorch share of
PyTorch+TensorFlow stars, and the events worth annotating.
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
import pandas as pd

from analysis.trends import pytorch_share
from census_base.frameworks import FRAMEWORKS, label

# Repositories beyond the framework table (census_base.frameworks) that the charts name.
OTHER_REPO_LABELS = {
    "transformers": "Transformers",
    "mxnet": "MXNet",
    "caffe": "Caffe",
    "cntk": "CNTK",
    "theano": "Theano",
}
SHARE_FRAMEWORKS = ("torch", "tensorflow")


def source_priority(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """The one order of preference between GitHub star sources (view github_source_priority)."""
    rows = con.execute("SELECT source, priority FROM github_source_priority").fetchall()
    return {str(source): int(rank) for source, rank in rows}


def repo_label(framework: str) -> str:
    """Legend label of a repository's framework: the shared table, else the extra names."""
    return (
        label(framework) if framework in FRAMEWORKS else OTHER_REPO_LABELS.get(framework, framework)
    )


def one_source_per_month(
    frame: pd.DataFrame,
    value: str,
    priority: Mapping[str, int],
    together: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """Rows of the preferred source (``priority``, 1 first) that has ``value``.

    Per repository and month; or, with ``together``, one source per month for every
    repository, chosen among the sources that have ``value`` for all of ``together`` that month
    (a share never mixes methods: the rule of the view signal_github_stars).
    """
    rows = frame.dropna(subset=[value]).copy()
    rows["priority"] = rows["source"].map(priority).fillna(99)
    if together is None:
        rows = rows.sort_values(["repo", "month", "priority"])
        rows = rows.drop_duplicates(["repo", "month"])
        return rows.drop(columns="priority").reset_index(drop=True)
    pairs = rows[rows["framework"].isin(together)]
    covered = pairs.groupby(["month", "source", "priority"])["framework"].nunique()
    usable = covered[covered == len(together)].reset_index()
    chosen = usable.sort_values(["month", "priority"]).drop_duplicates("month")
    keep = rows.merge(chosen[["month", "source"]], on=["month", "source"])
    keep = keep.sort_values(["repo", "month"]).drop(columns="priority")
    return keep.reset_index(drop=True)


def with_runs(frame: pd.DataFrame, group: str = "repo", period: str = "month") -> pd.DataFrame:
    """Add ``run``: a new number whenever a series skips a month (lines break there)."""
    out = frame.sort_values([group, period]).copy()
    months = pd.to_datetime(out[period]).dt.to_period("M")
    gap = months.groupby(out[group]).diff().map(lambda d: d is not pd.NaT and d.n != 1)
    first = out[group].ne(out[group].shift())
    out["run"] = (gap | first).cumsum().astype(int)
    return out.reset_index(drop=True)


def labelled(frame: pd.DataFrame) -> pd.DataFrame:
    """``label``: the framework's name (one repository per framework) for legends and labels."""
    return frame.assign(label=frame["framework"].map(repo_label))


def stars_monthly(frame: pd.DataFrame, priority: Mapping[str, int]) -> pd.DataFrame:
    """Stars per repository and month: ``repo, framework, label, month, stars, source, run``."""
    if frame.empty:
        return frame
    chosen = with_runs(labelled(one_source_per_month(frame, "stars", priority)))
    last = chosen.groupby("repo")["month"].transform("max")
    return chosen.assign(is_latest=chosen["month"] == last)


def new_stars_monthly(frame: pd.DataFrame, priority: Mapping[str, int]) -> pd.DataFrame:
    """Stars gained per repository and month, only where the source measured the month."""
    if frame.empty:
        return frame
    chosen = one_source_per_month(frame, "new_stars", priority)
    return with_runs(labelled(chosen))


def star_shares(frame: pd.DataFrame, priority: Mapping[str, int]) -> pd.DataFrame:
    """PyTorch share of PyTorch+TensorFlow stars: all stars so far, and those gained that month.

    ``frame`` holds the main repositories' monthly rows; months where either is missing get no
    share. Returns ``month, measure, share, torch, tensorflow, flags``.
    """
    parts = []
    for value, measure in (("stars", "all stars so far"), ("new_stars", "stars gained that month")):
        chosen = one_source_per_month(frame, value, priority, together=SHARE_FRAMEWORKS)
        shares = pytorch_share(chosen, group="framework", value=value).dropna(subset=["share"])
        parts.append(shares.assign(measure=measure))
    out = with_runs(pd.concat(parts, ignore_index=True), group="measure")
    return out[["month", "measure", "share", "torch", "tensorflow", "flags", "run"]]


def event_marks(events: pd.DataFrame, shown: pd.DataFrame) -> pd.DataFrame:
    """Major releases and renames of the repositories shown, placed on their series."""
    if events.empty or shown.empty:
        return pd.DataFrame(columns=["repo", "label", "event_date", "kind", "text", "stars"])
    keep = events[(events["is_major"]) | (events["kind"] == "rename")]
    keep = keep[keep["repo"].isin(set(shown["repo"]))].copy()
    keep["month"] = pd.to_datetime(keep["event_date"]).dt.to_period("M").dt.to_timestamp()
    series = shown.assign(month=pd.to_datetime(shown["month"]))[["repo", "month", "stars"]]
    placed = keep.merge(series, on=["repo", "month"], how="left")
    placed["text"] = [
        f"{lab}" if kind == "rename" else f"{repo_label(f)} {lab}"
        for kind, lab, f in zip(placed["kind"], placed["label"], placed["framework"], strict=True)
    ]
    return placed.dropna(subset=["stars"])[["repo", "event_date", "kind", "text", "stars"]]
