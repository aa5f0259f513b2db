"""Repository and model-hub statistics as tidy frames for the report (pure functions).

One source per repository and month (Github-Ranking, else repository metadata, else the star
history), contiguous runs so that a chart never draws a line across a missing month, the
PyTorch share of PyTorch+TensorFlow stars, and the events worth annotating.
"""

from __future__ import annotations

import pandas as pd

from analysis.trends import pytorch_share

SOURCE_PRIORITY = {"github_ranking": 1, "github_repos": 2, "github_stars_history": 3}
REPO_LABELS = {
    "torch": "PyTorch",
    "tensorflow": "TensorFlow",
    "keras": "Keras",
    "jax": "JAX",
    "transformers": "Transformers",
    "mxnet": "MXNet",
    "caffe": "Caffe",
    "cntk": "CNTK",
    "theano": "Theano",
}


def one_source_per_month(frame: pd.DataFrame, value: str = "stars") -> pd.DataFrame:
    """Keep, per repository and month, the row of the preferred source that has ``value``."""
    rows = frame.dropna(subset=[value]).copy()
    rows["priority"] = rows["source"].map(SOURCE_PRIORITY).fillna(9)
    rows = rows.sort_values(["repo", "month", "priority"])
    return rows.drop_duplicates(["repo", "month"]).drop(columns="priority").reset_index(drop=True)


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
    return frame.assign(label=frame["framework"].map(lambda f: REPO_LABELS.get(f, f)))


def stars_monthly(frame: pd.DataFrame) -> pd.DataFrame:
    """Stars per repository and month: ``repo, framework, label, month, stars, source, run``."""
    if frame.empty:
        return frame
    chosen = with_runs(labelled(one_source_per_month(frame, "stars")))
    last = chosen.groupby("repo")["month"].transform("max")
    return chosen.assign(is_latest=chosen["month"] == last)


def new_stars_monthly(frame: pd.DataFrame) -> pd.DataFrame:
    """Stars gained per repository and month, only where the source measured the month."""
    if frame.empty:
        return frame
    chosen = one_source_per_month(frame, "new_stars")
    return with_runs(labelled(chosen))


def star_shares(frame: pd.DataFrame) -> pd.DataFrame:
    """PyTorch share of PyTorch+TensorFlow stars: all stars so far, and those gained that month.

    ``frame`` holds the main repositories' monthly rows; months where either is missing get no
    share. Returns ``month, measure, share, torch, tensorflow, flags``.
    """
    parts = []
    for value, measure in (("stars", "all stars so far"), ("new_stars", "stars gained that month")):
        chosen = one_source_per_month(frame, value)
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
        f"{lab}" if kind == "rename" else f"{REPO_LABELS.get(f, f)} {lab}"
        for kind, lab, f in zip(placed["kind"], placed["label"], placed["framework"], strict=True)
    ]
    return placed.dropna(subset=["stars"])[["repo", "event_date", "kind", "text", "stars"]]
