"""Models per library tag and creation month on the Hugging Face Hub (``/api/models``).

``census collect hf-hub`` walks ``/api/models?filter=<tag>&sort=createdAt&direction=-1`` with
the cursor in the ``Link: <...>; rel="next"`` header (the API has no total count any more) and
counts the models of each creation month. A later run walks only back to the month of the last
walk and recounts from there; older months keep their earlier count. Tags reflect the weight
files present, so one model can count for several libraries. Every legacy (pre-2022) model
carries ``createdAt`` 2022-03-02T23:29:04.000Z: that spike is written to ``quality_flags``.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import date

import pandas as pd

from census_base.errors import FetchError, ParseError
from census_base.progress import Progress
from collectors.github_api import links
from collectors.raw import RawResponse
from collectors.registry import Collector, PlannedRequest, RunContext
from warehouse.load import SourceInfo, store

log = logging.getLogger(__name__)

SOURCE = "hf_hub"
API = "https://huggingface.co/api/models"
# Tag -> framework family (pytorch/tf/jax mark weight files; keras is the Keras library tag).
LIBRARIES = {"pytorch": "torch", "tf": "tensorflow", "jax": "jax", "keras": "keras"}
PAGE_SIZE = 1000
MAX_PAGES = 5000  # 5 M models per tag; the walk says so when it stops there
LEGACY_CREATED_AT = "2022-03-02T23:29:04.000Z"
SOURCE_INFO = SourceInfo(
    name=SOURCE,
    description="Hugging Face Hub model listing (/api/models), models per library tag by "
    "creation month, walked with the cursor pagination.",
    licence="Hugging Face Hub API (Hugging Face Terms of Service); counts only.",
    citation="Hugging Face Hub API, https://huggingface.co/api/models?filter=<tag>, read by "
    "framework-census.",
    upstream_url="https://huggingface.co/docs/hub/api",
)


def list_url(library: str) -> str:
    return (
        f"{API}?filter={library}&sort=createdAt&direction=-1&limit={PAGE_SIZE}"
        "&expand%5B%5D=createdAt"
    )


def parse_models_page(raw: RawResponse) -> pd.DataFrame:
    """One page -> ``id, created_at`` (an error object inside a 200 raises ParseError)."""
    items = raw.json()
    if isinstance(items, dict) and "error" in items:
        raise ParseError(raw.url, f"the Hub answered an error: {items['error']}")
    if not isinstance(items, list):
        raise ParseError(raw.url, f"expected a list of models, got {type(items).__name__}")
    try:
        rows = [(item["id"], item["createdAt"]) for item in items]
    except (KeyError, TypeError) as exc:
        raise ParseError(raw.url, f"model without id/createdAt ({exc})") from exc
    return pd.DataFrame(rows, columns=["id", "created_at"])


def resume_month(ctx: RunContext, library: str) -> date | None:
    """First day of the month of the last walk: months from there on are recounted."""
    row = ctx.con.execute(
        "SELECT max(observed_date) FROM cur_hub_model_counts WHERE library = ?", [library]
    ).fetchone()
    return row[0].replace(day=1) if row and row[0] else None


def fetch_models(ctx: RunContext, library: str) -> tuple[list[RawResponse], pd.DataFrame]:
    """Walk the pages newest-first, back to ``resume_month`` (or to the end)."""
    stop = resume_month(ctx, library)
    url: str | None = list_url(library)
    pages: list[RawResponse] = []
    frames: list[pd.DataFrame] = []
    progress = Progress(f"hf-hub {library}")
    while url is not None and len(pages) < MAX_PAGES:
        raw = ctx.http.get(SOURCE, url)
        models = parse_models_page(raw)
        pages.append(raw)
        frames.append(models)
        progress.advance(note=f"{len(pages) * PAGE_SIZE:,} models")
        oldest = pd.to_datetime(models["created_at"], utc=True).min() if len(models) else None
        if models.empty or (stop and oldest is not None and oldest.date() < stop):
            break
        url = links(raw).get("next")
    if url is not None and len(pages) >= MAX_PAGES:
        log.warning(
            "hf-hub %s: stopped after %d pages; older months are incomplete", library, MAX_PAGES
        )
    return pages, pd.concat(frames, ignore_index=True)


def month_counts(
    models: pd.DataFrame, library: str, observed: date, since: date | None
) -> pd.DataFrame:
    created = pd.to_datetime(models["created_at"], utc=True)
    months = created.dt.tz_localize(None).dt.to_period("M").dt.to_timestamp().dt.date
    counts = months.value_counts().rename_axis("created_month").reset_index(name="models")
    if since is not None:
        counts = counts[counts["created_month"] >= since]
    return counts.assign(library=library, observed_date=observed)


def artefact_flag(models: pd.DataFrame, library: str) -> pd.DataFrame:
    legacy = int((models["created_at"] == LEGACY_CREATED_AT).sum())
    if not legacy:
        return pd.DataFrame()
    note = (
        f"{legacy:,} '{library}' models carry createdAt {LEGACY_CREATED_AT}: the day the Hub "
        "imported its legacy (pre-2022) models, not their creation. March 2022 is inflated "
        "and earlier months undercounted; cumulative totals from 2022-03 on are unaffected."
    )
    day = date(2022, 3, 2)
    return pd.DataFrame(
        [
            {
                "subject": library,
                "period_start": day,
                "period_end": day,
                "kind": "date_artefact",
                "note": note,
            }
        ]
    )


def collect_library(ctx: RunContext, library: str) -> int:
    since = resume_month(ctx, library)
    pages, models = fetch_models(ctx, library)
    digest = hashlib.sha256("+".join(p.sha256 for p in pages).encode()).hexdigest()
    provenance = {
        "source": SOURCE,
        "source_url": pages[0].url,
        "fetched_at": pages[-1].fetched_at,
        "raw_sha256": digest,
    }
    counts = month_counts(models, library, pages[0].fetched_at.date(), since)
    flags = artefact_flag(models, library)
    tables = {
        "hub_model_counts": counts.assign(**provenance),
        "quality_flags": None if flags.empty else flags.assign(**provenance),
    }
    written = store(ctx.con, SOURCE_INFO, tables, {"library": library, "pages": len(pages)})
    log.info("hf-hub %s: %d models on %d pages", library, len(models), len(pages))
    return written


def collect(ctx: RunContext) -> int:
    written, failed = 0, []
    for library in ctx.options.get("hub_libraries") or LIBRARIES:
        try:
            written += collect_library(ctx, library)
        except (FetchError, ParseError) as exc:
            log.error("hf-hub %s failed (other libraries are kept): %s", library, exc)
            failed.append(f"{library}: {exc}")
    if failed:
        msg = "; ".join(failed)
        raise FetchError(API, msg)
    return written


def plan(ctx: RunContext) -> list[PlannedRequest]:
    planned = []
    for library in ctx.options.get("hub_libraries") or LIBRARIES:
        until = "the month of the last walk" if resume_month(ctx, library) else "the oldest model"
        why = f"first page; the cursor walk continues to {until}"
        planned.append(PlannedRequest(SOURCE, "GET", list_url(library), why))
    return planned


COLLECTORS = [
    Collector(
        "hf-hub",
        "Hugging Face Hub: models per library tag (pytorch, tf, jax, keras) by creation month",
        plan,
        collect,
    )
]
