"""Reference-model benchmark runs from the JSON lines ``census bench`` writes.

``census ingest benchmarks reference_models/results`` loads every ``*.jsonl`` file under the
folder (one row per measured process) into ``reference_model_runs``, shown as the
``benchmark_runs`` dataset. The results are versioned in this repository, so ``source_url`` is
the file's path inside the repository and ``raw_sha256`` the file's hash; ``fetched_at`` is the
last run's start in that file.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pandas as pd

from census_base.errors import ParseError
from census_base.paths import SOURCE_ROOT
from collectors.inputs import read_inputs
from collectors.raw import RawResponse
from collectors.registry import Ingester, RunContext
from warehouse.load import SourceInfo, store

log = logging.getLogger(__name__)

SOURCE = "benchmarks"
SOURCE_INFO = SourceInfo(
    name=SOURCE,
    description="Reference models (MLP, ResNet-20-style CNN, char-level GPT) trained and timed "
    "in PyTorch and TensorFlow/Keras by `census bench`, from identical initial weights.",
    licence="MIT (this project's measurements)",
    citation="framework-census reference-model benchmarks (reference_models/results in the "
    "framework-census repository), measured with `census bench`",
    upstream_url="reference_models/results",
)
REQUIRED = (
    "run_id",
    "started_at",
    "model",
    "size",
    "framework",
    "mode",
    "precision",
    "device",
    "seed",
    "dataset",
    "parameters",
    "batch_size",
    "global_batch_size",
    "steps",
    "warmup_steps",
    "first_step_s",
    "samples_per_s",
    "metric",
    "cpu_model",
    "cpu_cores",
)
NUMBERS = ("first_step_s", "samples_per_s", "parameters", "batch_size", "steps", "cpu_cores")
CONFIG_KEYS = ("model_config", "train_config", "evaluations")
PAIRINGS = ("default", "compiled", "pilot", "none")
OPTIONAL_NUMBERS = ("matmul_gflops", "load_before_cores", "load_during_cores", "budget_s")


def repo_path(raw: RawResponse) -> str:
    """The input's path relative to the repository when it lies inside it."""
    path = Path(unquote(urlsplit(raw.url).path)) if raw.url.startswith("file:") else Path(raw.url)
    try:
        return path.resolve().relative_to(SOURCE_ROOT).as_posix()
    except ValueError:
        return raw.url


def _non_negative(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value >= 0


def parse_row(where: str, number: int, line: str) -> dict:
    """One JSON line -> a ``benchmark_runs`` row (without provenance)."""
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        msg = f"{where}:{number}"
        raise ParseError(msg, f"not a JSON object ({exc.msg})") from exc
    if not isinstance(row, dict):
        msg = f"{where}:{number}"
        raise ParseError(msg, "not a JSON object")
    missing = [k for k in REQUIRED if row.get(k) is None]
    if missing:
        msg = f"{where}:{number}"
        raise ParseError(msg, f"missing field(s) {missing}")
    bad = [k for k in NUMBERS if not isinstance(row[k], int | float) or row[k] < 0]
    if bad:
        msg = f"{where}:{number}"
        raise ParseError(msg, f"field(s) {bad} must be non-negative numbers")
    bad = [k for k in OPTIONAL_NUMBERS if row.get(k) is not None and not _non_negative(row[k])]
    if bad:
        msg = f"{where}:{number}"
        raise ParseError(msg, f"field(s) {bad} must be non-negative numbers when present")
    if row.setdefault("pairing", "none") not in PAIRINGS:
        msg = f"{where}:{number}"
        raise ParseError(msg, f"pairing {row['pairing']!r} is not one of {PAIRINGS}")
    if row["pairing"] in ("default", "compiled") and not row.get("pair_id"):
        msg = f"{where}:{number}"
        raise ParseError(msg, f"a {row['pairing']} row needs the pair_id of its pair")
    row["config_json"] = json.dumps({k: row.pop(k, None) for k in CONFIG_KEYS}, sort_keys=True)
    if row.get("gpu") is not None:
        row["gpu_json"] = json.dumps(row.pop("gpu"), sort_keys=True)
    row.setdefault("distributed", "none")
    row.setdefault("world_size", 1)
    return row


def parse_results(raw: RawResponse) -> pd.DataFrame:
    """All rows of one results file, with provenance columns."""
    where = repo_path(raw)
    lines = [(i, line) for i, line in enumerate(raw.text.splitlines(), 1) if line.strip()]
    if not lines:
        raise ParseError(where, "no result rows (empty file)")
    frame = pd.DataFrame([parse_row(where, i, line) for i, line in lines])
    frame["started_at"] = pd.to_datetime(frame["started_at"], utc=True)
    return frame.assign(
        source=SOURCE, source_url=where, raw_sha256=raw.sha256, fetched_at=frame["started_at"].max()
    )


def ingest(ctx: RunContext, path_or_url: str) -> int:
    """Load every ``*.jsonl`` results file under a folder (or one file) in one transaction."""
    raws = read_inputs(ctx, SOURCE, path_or_url, patterns=("*.jsonl",))
    rows = pd.concat([parse_results(raw) for raw in raws], ignore_index=True)
    if rows["run_id"].duplicated().any():
        dupes = sorted(set(rows.loc[rows["run_id"].duplicated(), "run_id"]))[:3]
        raise ParseError(path_or_url, f"run_id repeated across results files: {dupes}")
    params = {"input": path_or_url, "files": len(raws)}
    written = store(ctx.con, SOURCE_INFO, {"reference_model_runs": rows}, params)
    log.info("benchmarks: %d files, %d runs, %d new or changed", len(raws), len(rows), written)
    return written


INGESTERS = [
    Ingester(
        "benchmarks",
        "reference-model benchmark runs (census bench JSONL "
        "results): a folder such as reference_models/results, or one file",
        ingest,
    )
]
