"""best-of-ml-python weekly project metrics: dependents, conda and Docker Hub totals over time.

``census ingest best-of-ml PATH`` reads the upstream history layout (``<date>_projects.csv``, one
row per listed project) and/or ``frameworks_panel.csv`` (a row filter of all 190 history files with
a ``snapshot_date`` column). Only the framework repositories (:data:`FRAMEWORK_REPOS`) are kept.
Where a snapshot file and the panel hold the same repository and date their values must agree
(a cross-check; a disagreement stops the load).

Kept apart on purpose:
- ``github_dependent_project_count`` (GitHub "Used by") is the dependents measure; when it is
  empty upstream ``dependent_project_count`` silently falls back to PyPI dependents, so the total
  is stored but never used as dependents. Runs of empty values are flagged ``missing_value``.
- ``conda_total_downloads`` and ``dockerhub_pulls`` are cumulative: the views turn them into
  increments. A change of conda channel (``conda_id``) is flagged ``channel_change`` and a fall
  of a cumulative total ``counter_reset``; no increment is computed across either.
"""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

import pandas as pd

from census_base.errors import ParseError
from collectors.inputs import read_inputs
from collectors.raw import RawResponse
from collectors.registry import Ingester, RunContext
from warehouse.load import SourceInfo, store

log = logging.getLogger(__name__)

SOURCE = "best_of_ml_python"
SOURCE_INFO = SourceInfo(
    name=SOURCE,
    description="best-of Machine Learning with Python: weekly project metrics 2020-11-30 .. "
    "2025-06-26 (GitHub dependents, PyPI dependents and monthly downloads, conda total "
    "downloads, Docker Hub pulls), collected by the list's generator.",
    licence="CC BY-SA 4.0 (ml-tooling/best-of-ml-python LICENSE.txt).",
    citation="ml-tooling, best-of-ml-python, history/<date>_projects.csv @ edd2a131 (2025-06-26).",
    upstream_url="https://github.com/ml-tooling/best-of-ml-python/tree/"
    "edd2a131e1dad5bdfc0b05081fe3d366a6967db4/history",
)
FRAMEWORK_REPOS = (
    "pytorch/pytorch", "tensorflow/tensorflow", "keras-team/keras", "google/jax",
    "huggingface/transformers", "google/flax", "Lightning-AI/lightning",
    "PyTorchLightning/pytorch-lightning", "apache/incubator-mxnet", "PaddlePaddle/Paddle",
    "scikit-learn/scikit-learn", "microsoft/CNTK", "Theano/Theano", "chainer/chainer",
)  # fmt: skip
TEXT = ("name", "pypi_id", "conda_id", "dockerhub_id")
NUMBERS = {  # upstream column -> stored column
    "star_count": "star_count",
    "github_dependent_project_count": "github_dependents",
    "pypi_dependent_project_count": "pypi_dependents",
    "dependent_project_count": "dependents_total",
    "pypi_monthly_downloads": "pypi_monthly_downloads",
    "conda_total_downloads": "conda_total_downloads",
    "dockerhub_pulls": "dockerhub_pulls",
}
IMPLAUSIBLE_FRACTION = 0.5  # see detect_flags and warehouse/views/best_of_ml_metrics.sql
SNAPSHOT_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})_projects\.csv$")


def parse_projects(text: str, where: str, snapshot_date: str | None = None) -> pd.DataFrame:
    """One history file (``snapshot_date`` from its name) or the panel -> framework rows."""
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise ParseError(where, f"not a CSV: {exc}") from exc
    needed = {"github_id", *TEXT} | ({"snapshot_date"} if snapshot_date is None else set())
    missing = sorted(needed - set(frame.columns))
    if missing:
        raise ParseError(where, f"missing column(s) {missing}")
    if snapshot_date is not None:
        frame["snapshot_date"] = snapshot_date
    frame = frame[frame["github_id"].isin(FRAMEWORK_REPOS)]
    out = frame[["github_id", "snapshot_date", *TEXT]].replace("", None)
    try:
        out["snapshot_date"] = pd.to_datetime(out["snapshot_date"], format="%Y-%m-%d").dt.date
    except ValueError as exc:
        raise ParseError(where, f"bad snapshot_date: {exc}") from exc
    for column, stored in NUMBERS.items():
        values = frame[column] if column in frame else pd.Series("", index=frame.index)
        numbers = pd.to_numeric(values.replace("", None), errors="coerce")
        bad = numbers.isna() & values.ne("")
        if bad.any():
            raise ParseError(where, f"{column}: not a number {values[bad].iloc[0]!r}")
        out[stored] = numbers.round().astype("Int64")
    return out.drop_duplicates().reset_index(drop=True)


def combine(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Union of snapshot and panel rows; the same repository and date must agree."""
    rows = pd.concat(frames, ignore_index=True).drop_duplicates()
    clash = rows.duplicated(["github_id", "snapshot_date"], keep=False)
    if clash.any():
        first = rows[clash].sort_values(["github_id", "snapshot_date"]).head(2)
        msg = f"snapshot and panel disagree: {first.to_dict('records')}"
        where = "best-of-ml input"
        raise ParseError(where, msg)
    return rows.sort_values(["github_id", "snapshot_date"]).reset_index(drop=True)


def _runs(dates: list, where: pd.Series) -> list[tuple]:
    """(first, last) dates of each run of consecutive True values."""
    runs: list[tuple] = []
    start = previous = None
    for day, hit in zip(dates, where, strict=True):
        if hit and start is None:
            start = day
        if not hit and start is not None:
            runs.append((start, previous))
            start = None
        previous = day
    if start is not None:
        runs.append((start, previous))
    return runs


def detect_flags(rows: pd.DataFrame) -> list[dict[str, object]]:
    """Channel changes, falling cumulative totals and missing GitHub dependents per repository."""
    flags = []
    for repo, series in rows.sort_values("snapshot_date").groupby("github_id"):
        dates = series["snapshot_date"].tolist()
        for start, end in _runs(dates, series["github_dependents"].isna()):
            note = ("github_dependent_project_count empty: the upstream total falls back to "
                    "PyPI dependents and is not used")  # fmt: skip
            flags.append((repo, start, end, "missing_value", note))
        # A stock halving within a week is a collection error (PyTorch 2023-08 shows Keras's
        # count): below half the highest earlier value is implausible (the views drop it too).
        dependents = series["github_dependents"].astype("Float64")
        earlier_max = dependents.cummax().shift()
        implausible = (dependents < IMPLAUSIBLE_FRACTION * earlier_max).fillna(False)
        for start, end in _runs(dates, implausible):
            note = (f"github_dependent_project_count below {IMPLAUSIBLE_FRACTION:.0%} of its "
                    "earlier maximum: a collection error, not used")  # fmt: skip
            flags.append((repo, start, end, "implausible_value", note))
        channel = series["conda_id"]
        for day, old, new in zip(dates, channel.shift(), channel, strict=True):
            if isinstance(old, str) and isinstance(new, str) and old != new:
                flags.append((repo, day, day, "channel_change", f"conda channel {old} -> {new}"))
        for column in ("conda_total_downloads", "dockerhub_pulls"):
            for day, old, new in zip(dates, series[column].shift(), series[column], strict=True):
                if pd.notna(new) and pd.notna(old) and new < old:
                    note = f"{column} fell from {old:,} to {new:,}: counter reset or recount"
                    flags.append((repo, day, day, "counter_reset", note))
    columns = ["subject", "period_start", "period_end", "kind", "note"]
    return [dict(zip(columns, f, strict=True)) for f in flags]


def _snapshot_date(raw: RawResponse) -> str | None:
    match = SNAPSHOT_NAME.search(raw.url)
    return match.group(1) if match else None


def ingest(ctx: RunContext, path_or_url: str) -> int:
    """Load the framework rows of every snapshot file and the panel in one transaction."""
    raws = read_inputs(ctx, SOURCE, path_or_url, patterns=("*_projects.csv", "*panel*.csv"))
    frames = []
    for raw in raws:
        day = _snapshot_date(raw)
        if day is None and "panel" not in Path(raw.url).name:
            raise ParseError(raw.url, "expected <YYYY-MM-DD>_projects.csv or the panel CSV")
        url = SOURCE_INFO.upstream_url if raw.url.startswith("file:") else raw.url
        frame = parse_projects(raw.text, raw.url, day)
        frames.append(frame.assign(source_url=url, fetched_at=raw.fetched_at,
                                   raw_sha256=raw.sha256))  # fmt: skip
    values = [c for c in frames[0].columns if c not in ("source_url", "fetched_at", "raw_sha256")]
    # The panel repeats the six snapshot dates: keep one row (the snapshot file's provenance).
    stacked = pd.concat(frames, ignore_index=True)
    combine([f[values] for f in frames])
    rows = stacked.drop_duplicates(["github_id", "snapshot_date"]).assign(source=SOURCE)
    first = rows.iloc[0]
    provenance = {k: first[k] for k in ("source_url", "fetched_at", "raw_sha256")}
    flags = [{"source": SOURCE, **f, **provenance} for f in detect_flags(rows)]
    tables = {
        "project_metric_snapshots": rows,
        "quality_flags": pd.DataFrame(flags) if flags else None,
    }
    written = store(ctx.con, SOURCE_INFO, tables, {"input": path_or_url})
    log.info("best-of-ml: %d rows, %d flags", len(rows), len(flags))
    return written


INGESTERS = [
    Ingester(
        "best-of-ml",
        "best-of-ml-python project metrics (history/<date>_projects.csv files and/or "
        "frameworks_panel.csv): a file or folder",
        ingest,
    )
]
