"""Report blocks for the current signals: data shown, chart specs, titles from the numbers."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd
import pytest

from collectors import best_of_ml, hn_hiring, stackoverflow_archives, top_pypi_ecosystem
from reports.figure import SECTION_KEYS
from reports.figures import all_blocks, deployment, jobs, qa_vintages
from reports.figures import best_of_ml as best_of_ml_figures
from warehouse.load import begin_load


@pytest.fixture
def loaded(ctx, con, fixtures):
    stackoverflow_archives.ingest_nschloe(ctx, str(fixtures / "stackoverflow_nschloe"))
    stackoverflow_archives.ingest_sede(ctx, str(fixtures / "stackoverflow_sede"))
    hn_hiring.ingest(ctx, str(fixtures / "job_postings_hn"))
    best_of_ml.ingest(ctx, str(fixtures / "best_of_ml_python"))
    top_pypi_ecosystem.ingest(ctx, str(fixtures / "top_pypi_ecosystem"))
    return con


def _fields(spec: dict) -> set[str]:
    layers = spec.get("layer", [spec])
    return {
        channel.get("field")
        for layer in layers
        for channel in layer.get("encoding", {}).values()
        if isinstance(channel, dict)
    }


def test_deployment_section_is_registered():
    assert "deployment" in SECTION_KEYS
    ids = {b.id for b in all_blocks() if b.section == "deployment"}
    assert "deployment-edge-runtimes" in ids  # the evidence of the deployment claim


def test_edge_figure_shows_gaps_and_cutoff(loaded):
    frame = deployment.ecosystem_frame(loaded, "deployment", ("edge",))
    executorch = frame[frame["package"] == "executorch"].sort_values("month")
    assert executorch["downloads"].isna().tolist() == [True, False]  # below the cut-off: a gap
    assert executorch["list_cutoff"].tolist() == [51000, 57000]
    spec = deployment.ecosystem_chart(frame).to_dict()
    assert {"downloads", "list_cutoff", "package", "framework_label"} <= _fields(spec)
    assert deployment.edge_title(frame) == (
        "2025-07: TensorFlow's mobile/web/edge runtimes had 36x the PyPI downloads of "
        "PyTorch's ExecuTorch (4,300,000 vs 120,000)"
    )


def test_built_on_title(loaded):
    frame = deployment.ecosystem_frame(loaded, "built_on", ("library",))
    assert deployment.group_title("built_on")(frame) == (
        "2025-07: peft leads the built on packages with 3,500,000 PyPI downloads in 30 days"
    )  # only PyTorch libraries are in the fixture lists


def test_qa_share_and_overlap_figures(loaded):
    share = qa_vintages.share_frame(loaded)
    assert set(share["source"]) == {"stackoverflow_sede", "stackoverflow_trends_nschloe"}
    assert "strokeDash" in qa_vintages.share_chart(share).to_dict()["encoding"]
    assert qa_vintages.share_title(share).startswith(
        "tensorflow questions were 1.32% of all Stack Overflow questions in 2023-01"
    )
    overlap = qa_vintages.overlap_frame(loaded)
    assert qa_vintages.overlap_title(overlap) == (
        "Same months, different archives (later / earlier, summed): "
        "stackoverflow_sede / stackoverflow_trends_nschloe: 64%"
    )  # (444 + 408) / (700 + 640)


def test_jobs_figure(loaded):
    frame = jobs.jobs_frame(loaded)
    assert frame["year"].tolist()[:3] == [2023, 2023, 2023]
    spec = jobs.jobs_chart(frame).to_dict()
    assert {"share_of_posts", "ci_low", "partial_year"} <= _fields(spec)
    assert "partial years (2023, 2024)" in jobs.jobs_caption(frame)


def test_dependents_figure_keeps_gaps(loaded):
    frame = best_of_ml_figures.dependents_frame(loaded)
    torch = frame[frame["framework"] == "torch"].set_index("month")["dependents"]
    assert pd.isna(torch[pd.Timestamp("2021-12-01")])  # no GitHub value: a gap, not a zero
    assert best_of_ml_figures.dependents_title(frame) == (
        "Stock, 2022-02: 84,000 GitHub repositories depend on PyTorch, 181,000 on TensorFlow "
        "(PyTorch 32% of the two, all time)"
    )
    increments = best_of_ml_figures.increments_frame(loaded)
    assert set(increments["measure"]) == {"conda (one channel)", "Docker Hub pulls"}


def test_pypi_comparison_with_top_pypi(loaded):
    rows = pd.DataFrame(
        {
            "package": ["torch"],
            "window_days": [30],
            "window_end_date": [date(2022, 1, 1)],
            "downloads": [5_000_000],
            "method": ["bigquery"],
            "upstream_rows": [5000],
            "source": ["top_pypi"],
            "source_url": ["https://example.org/top.json"],
            "fetched_at": [datetime(2026, 11, 30, tzinfo=UTC)],
            "raw_sha256": ["0" * 64],
        }
    )
    with begin_load(loaded, "top_pypi") as load:
        load.upsert("pypi_download_snapshots", rows)
    compared = loaded.execute(
        "SELECT package, snapshot_date, best_of_downloads, top_pypi_downloads, days_apart, "
        "ratio FROM pypi_monthly_comparison"
    ).fetchall()
    assert compared == [("torch", date(2021, 12, 30), 5900000, 5000000, -2, 1.18)]
