"""Build the report from the warehouse into ``<out>/<date>/`` (and ``<out>/latest/``).

Every figure gets a PNG, an SVG, the CSV of exactly the data it shows and a citation line;
``provenance.json`` lists per figure the datasets, sources, load ids, spec hash and CSV sha256,
and stores the report's comparable state (reports/changes.py). The report opens with the
executive summary (also ``summary.md``) and what changed since the previous report
(``changes.md``, ``changes.json``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from analysis.headline import signal_summary
from reports.changes import Changes, changes_since, report_state
from reports.charts import chart_title
from reports.citation import citation_line, period_of
from reports.cutoff import cut_frame, describe, set_data_as_of
from reports.figure import Figure, TextBlock
from reports.figures import all_blocks
from reports.figures.verdicts import compute_verdicts
from reports.freshness import code_fingerprint, fingerprint
from reports.page import RenderedBlock, build_html, build_markdown
from reports.previous import find_base, fingerprint_extra
from reports.render import Renderer
from reports.signals import cached_signals, load_signals
from reports.summary import Summary, summarise
from warehouse.db import set_as_of
from warehouse.load import git_sha

log = logging.getLogger(__name__)

DEFAULT_OUT = Path("output")  # generated output: never inside a code package


@dataclass
class ReportResult:
    folder: Path
    figures: int
    missing: list[str] = field(default_factory=list)
    rendered: int = 0
    cached: int = 0
    seconds: float = 0.0


def figure_sources(fig: Figure, frame: pd.DataFrame) -> tuple[str, ...]:
    """The declared sources plus those named in the data's ``source`` column (comma-joined)."""
    named = set(fig.sources)
    if "source" in frame.columns:
        named |= {
            part.strip()
            for value in frame["source"].dropna().astype(str)
            for part in value.split(",")
            if part.strip()
        }
    return tuple(sorted(named))


def _described(
    fig: Figure, frame: pd.DataFrame, renderer: Renderer, code: str, csv: str
) -> tuple[str, str, dict]:
    """Title, caption and Vega-Lite spec; reused when the code and the data are unchanged.

    Building and validating Altair specs is the slowest step of a warm rebuild, and a spec is a
    function of the report code and the figure's data alone.
    """
    key = hashlib.sha256(f"{code}\0{fig.id}\0{csv}".encode()).hexdigest() if code else ""
    if key and (known := renderer.cached_spec(key)) is not None:
        return known["title"], known["caption"], known["spec"]
    title = fig.title(frame)
    # Not validated against the Vega-Lite schema here (a third of the spec's build time):
    # tests/test_chart_specs.py validates every chart's spec; vl-convert rejects a broken one.
    spec = fig.chart(frame).properties(title=chart_title(title)).to_dict(validate=False)
    spec = json.loads(json.dumps(spec, default=str))  # as it will be read back from the cache
    caption = fig.caption(frame)
    if key:
        renderer.store_spec(key, {"title": title, "caption": caption, "spec": spec})
    return title, caption, spec


def _figure(
    con: duckdb.DuckDBPyConnection,
    fig: Figure,
    folder: Path,
    renderer: Renderer,
    as_of: date,
    sha: str | None,
    code: str = "",
    data_as_of: date | None = None,
) -> tuple[RenderedBlock, dict]:
    frame = cut_frame(fig.data(con), data_as_of)
    if frame.empty:
        hint = fig.missing_hint or f"load the source(s) {', '.join(fig.sources)}"
        text = f"Not shown: no data for this chart ({fig.id}) in the warehouse; {hint}."
        return RenderedBlock(
            fig.id,
            fig.section,
            "missing",
            markdown=f"> {text}",
            html=f'<p class="missing">{text}</p>',
        ), {}
    figures = folder / "figures"
    csv = frame.to_csv(index=False)
    (figures / f"{fig.id}.csv").write_text(csv)
    title, caption, spec = _described(fig, frame, renderer, code, csv)
    key = renderer.render(spec, figures / f"{fig.id}.png", figures / f"{fig.id}.svg")
    sources = figure_sources(fig, frame)
    citation, loads = citation_line(con, frame, sources, fig.datasets, as_of, sha)
    block = RenderedBlock(
        fig.id,
        fig.section,
        "figure",
        title=title,
        caption=caption,
        citation=citation,
        spec=spec,  # the SVG is read once the renderer has finished (see _render_blocks)
    )
    provenance = {
        "id": fig.id,
        "title": title,
        "datasets": list(fig.datasets),
        "sources": list(sources),
        "load_ids": loads,
        "rows": len(frame),
        "period": period_of(frame),
        "spec_sha256": key,
        "citation": citation,
        "csv_sha256": hashlib.sha256(csv.encode()).hexdigest(),
        "files": [f"figures/{fig.id}.{ext}" for ext in ("png", "svg", "csv")],
    }
    return block, provenance


def _render_blocks(
    con: duckdb.DuckDBPyConnection,
    folder: Path,
    renderer: Renderer,
    stamp: date,
    sha: str | None,
    code: str = "",
    data_as_of: date | None = None,
) -> tuple[list[RenderedBlock], list[dict], list[str]]:
    blocks = all_blocks()
    done: dict[str, RenderedBlock] = {}
    provenance: list[dict] = []
    missing: list[str] = []
    try:
        # Figures first, text blocks after: the render workers draw the queued charts while
        # the text blocks are computed, instead of the report waiting for them at the end.
        for block in blocks:
            if isinstance(block, Figure):
                item, prov = _figure(con, block, folder, renderer, stamp, sha, code, data_as_of)
                done[block.id] = item
                if prov:
                    provenance.append(prov)
                else:
                    missing.append(block.id)
        for block in blocks:
            if isinstance(block, TextBlock) and (content := block.render(con)) is not None:
                done[block.id] = RenderedBlock(
                    block.id, block.section, "text", markdown=content.markdown, html=content.html
                )
    finally:
        renderer.finish()  # charts render in worker processes while the loops run
    rendered = [done[block.id] for block in blocks if block.id in done]  # in page order
    for item in rendered:
        if item.kind == "figure":
            item.svg = (folder / "figures" / f"{item.id}.svg").read_text()
    return rendered, provenance, missing


def _front(
    con: duckdb.DuckDBPyConnection, stamp: date, provenance: list[dict], base: Path | None
) -> tuple[Summary, dict, Changes]:
    """The executive summary, the comparable state and the changes since ``base``."""
    verdicts = compute_verdicts(con)
    summary = signal_summary(load_signals(con)[1])
    state = report_state(con, verdicts, summary, {f["id"]: f["period"] for f in provenance})
    return summarise(verdicts, summary, stamp), state, changes_since(base, state)


def build_report(
    con: duckdb.DuckDBPyConnection,
    out: Path = DEFAULT_OUT,
    loads_before: date | None = None,
    renderer: Renderer | None = None,
    *,
    data_as_of: date | None = None,
    latest: bool = True,
    since: Path | None = None,
) -> ReportResult:
    """Render every block into ``out/<date>/`` (and ``out/latest/`` when ``latest``).

    Args:
        loads_before: ignore loads finished after this date (``census report --loads-before``).
        data_as_of: leave out periods ending after this date (``census report --as-of``).
        since: the previous report's folder to compare with (default: found in ``out``).
    """
    started = time.monotonic()
    stamp = data_as_of or loads_before or datetime.now(UTC).date()
    base = since or find_base(out, stamp, None)
    folder = out / stamp.isoformat()
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "figures").mkdir(parents=True)
    renderer = renderer or Renderer()
    sha = git_sha()
    print_ = fingerprint(con, loads_before, stamp, fingerprint_extra(data_as_of, base))
    set_as_of(con, loads_before)
    set_data_as_of(con, data_as_of)
    try:
        with cached_signals():
            rendered, provenance, missing = _render_blocks(
                con, folder, renderer, stamp, sha, code_fingerprint(), data_as_of
            )
            summary, state, changes = _front(con, stamp, provenance, base)
    finally:
        set_as_of(con, None)
        set_data_as_of(con, None)
    cutoff = describe(data_as_of, loads_before)
    header = (
        f"{len(provenance)} charts computed from the warehouse; every number below comes "
        f"from a load listed in provenance.json. {cutoff}"
    )
    front = [
        ("summary", "Summary", summary.markdown),
        ("changes", "What changed", "\n".join(changes.lines())),
    ]
    bundle = renderer.javascript_bundle()
    (folder / "index.html").write_text(build_html(rendered, stamp, bundle, header, front))
    (folder / "report.md").write_text(build_markdown(rendered, stamp, header, front))
    (folder / "summary.md").write_text(
        f"PyTorch or TensorFlow? framework-census report {stamp}. {cutoff}\n\n{summary.markdown}"
    )
    (folder / "changes.md").write_text("# What changed\n\n" + "\n".join(changes.lines()) + "\n")
    (folder / "changes.json").write_text(changes.as_json())
    (folder / "provenance.json").write_text(
        json.dumps(
            {
                "as_of": stamp.isoformat(),
                "data_as_of": data_as_of,
                "loads_before": loads_before,
                "cutoff": cutoff,
                "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "git_sha": sha,
                "summary": list(summary.lines),
                "compared_with": changes.base,
                "state": state,
                "figures": provenance,
                "missing": missing,
                "fingerprint": print_,
            },
            indent=1,
            default=str,
        )
        + "\n"
    )
    if latest:
        if (out / "latest").exists():
            shutil.rmtree(out / "latest")
        shutil.copytree(folder, out / "latest")
    seconds = time.monotonic() - started
    log.info(
        "report: %d charts (%d rendered, %d from cache), %d missing, %.2f s -> %s",
        len(provenance),
        renderer.rendered,
        renderer.cached,
        len(missing),
        seconds,
        folder,
    )
    return ReportResult(
        folder, len(provenance), missing, renderer.rendered, renderer.cached, seconds
    )
