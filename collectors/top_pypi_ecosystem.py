"""Deployment and ecosystem packages in the top-pypi lists, and each list's cut-off.

``census ingest top-pypi-ecosystem PATH`` reads a staged top-pypi-packages folder: every
``INDEX.csv`` (one per window folder: ``file, last_update, ..., rows_in_source,
min_download_count``) and the dumps it lists. It stores, per list, the cut-off
(``pypi_top_list_cutoffs``: the smallest count in the untrimmed upstream list) and the 30/365-day
downloads of the packages in ``warehouse/ecosystem.toml`` (``pypi_ecosystem_snapshots``). A
package absent from a list had fewer downloads than the cut-off: an upper bound, never a zero.
The core framework packages stay with ``census ingest top-pypi``; this module only reads the
same files for other packages.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pandas as pd

from census_base.errors import ParseError
from collectors import top_pypi
from collectors.inputs import read_inputs
from collectors.raw import RawResponse
from collectors.registry import Ingester, RunContext
from warehouse.ecosystem import ecosystem_package_names
from warehouse.load import begin_load

log = logging.getLogger(__name__)

RAW_URL = "https://raw.githubusercontent.com/hugovk/top-pypi-packages/{commit}/{path}"
INDEX_COLUMNS = ("file", "last_update", "source_commit", "source_path", "rows_in_source",
                 "min_download_count")  # fmt: skip


def _window_days(folder: str) -> int:
    return 365 if "365" in folder else 30


def _local_path(url: str) -> Path:
    return Path(unquote(urlsplit(url).path))


def parse_cutoffs(text: str, where: str) -> pd.DataFrame:
    """One ``INDEX.csv`` -> ``file, window_end_date, min_download_count, upstream_rows, url``."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in INDEX_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ParseError(where, f"INDEX.csv lacks column(s) {missing} (min_download_count?)")
    rows = []
    for line, row in enumerate(reader, 2):
        at = f"{where} line {line}"
        try:
            end = datetime.strptime(row["last_update"][:19], "%Y-%m-%d %H:%M:%S").date()
            cutoff, upstream = int(row["min_download_count"]), int(row["rows_in_source"])
        except ValueError as exc:
            raise ParseError(at, f"bad value: {exc}") from exc
        if cutoff <= 0:
            raise ParseError(at, f"min_download_count {cutoff} is not > 0")
        url = RAW_URL.format(commit=row["source_commit"], path=row["source_path"])
        rows.append((row["file"], end, cutoff, upstream, url))
    columns = ["file", "window_end_date", "min_download_count", "upstream_rows", "source_url"]
    return pd.DataFrame(rows, columns=columns)


def parse_ecosystem_rows(raw: RawResponse, wanted: frozenset[str]) -> tuple[str, pd.DataFrame]:
    """``(method, rows package, downloads)`` of the wanted packages in one dump."""
    try:
        body = json.loads(raw.body)
    except json.JSONDecodeError as exc:
        raise ParseError(raw.url, f"not JSON: {exc}") from exc
    if not isinstance(body, dict) or not isinstance(body.get("rows"), list):
        raise ParseError(raw.url, "not a top-pypi-packages dump (no 'rows' list)")
    method = "clickhouse" if str(body.get("source", "")).lower() == "clickhouse" else "bigquery"
    kept = []
    for i, row in enumerate(body["rows"]):
        try:
            name, count = str(row["project"]).lower().replace("_", "-"), int(row["download_count"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ParseError(raw.url, f"row {i} lacks project/download_count") from exc
        if name in wanted:
            kept.append((name, count))
    return method, pd.DataFrame(kept, columns=["package", "downloads"])


def ingest(ctx: RunContext, path_or_url: str) -> int:
    """Cut-offs and ecosystem downloads of every list named by an INDEX.csv, in one load."""
    raws = read_inputs(ctx, top_pypi.SOURCE, path_or_url, patterns=("INDEX.csv", "*.json"))
    by_path = {_local_path(r.url): r for r in raws}
    indexes = [r for p, r in by_path.items() if p.name == "INDEX.csv"]
    if not indexes:
        raise ParseError(path_or_url, "no INDEX.csv (with min_download_count) in the input")
    wanted = ecosystem_package_names()
    cutoffs, downloads = [], []
    for index in indexes:
        folder = _local_path(index.url).parent
        table = parse_cutoffs(index.text, index.url).assign(window_days=_window_days(folder.name))
        for entry in table.itertuples(index=False):
            raw = by_path.get(folder / entry.file)
            if raw is None:
                raise ParseError(index.url, f"lists {entry.file}, which is not in the folder")
            method, rows = parse_ecosystem_rows(raw, wanted)
            provenance = {"source_url": entry.source_url, "fetched_at": raw.fetched_at,
                          "raw_sha256": raw.sha256}  # fmt: skip
            rows = rows.assign(window_days=entry.window_days, window_end_date=entry.window_end_date)
            downloads.append(rows.assign(method=method, **provenance))
        cutoffs.append(table.assign(fetched_at=index.fetched_at, raw_sha256=index.sha256))
    cut = (
        pd.concat(cutoffs, ignore_index=True).drop(columns=["file"]).assign(source=top_pypi.SOURCE)
    )
    eco = pd.concat(downloads, ignore_index=True).assign(source=top_pypi.SOURCE)
    with begin_load(ctx.con, top_pypi.SOURCE, {"input": path_or_url, "part": "ecosystem"}) as load:
        load.register_source(top_pypi.SOURCE_INFO)
        written = load.upsert("pypi_top_list_cutoffs", cut)
        written += load.upsert("pypi_ecosystem_snapshots", eco)
    log.info("top-pypi-ecosystem: %d lists, %d package rows", len(cut), len(eco))
    return written


INGESTERS = [
    Ingester(
        "top-pypi-ecosystem",
        "Deployment and ecosystem packages (warehouse/ecosystem.toml) and each list's cut-off "
        "from a staged top-pypi-packages folder with INDEX.csv",
        ingest,
    )
]
