"""Deployment and ecosystem: the package groups, list cut-offs, below-cut-off rows, edge signal."""

from __future__ import annotations

from datetime import date

import pytest

from analysis.headline import signal_shares, signal_summary
from analysis.verdicts import SUPPORTED, evaluate, load_claims
from census_base.errors import ParseError
from collectors.top_pypi_ecosystem import ingest, parse_cutoffs
from warehouse.ecosystem import load_ecosystem

FOLDER = "top_pypi_ecosystem"


@pytest.fixture
def loaded(ctx, con, fixtures):
    ingest(ctx, str(fixtures / FOLDER))
    return con


def test_groups_cover_the_issue_lists():
    packages = {p.package: p for p in load_ecosystem()}
    neutral = {n for n, p in packages.items() if p.framework == "neutral"}
    assert neutral == {"onnx", "onnxruntime", "onnxruntime-gpu", "openvino", "coremltools",
                       "tensorrt", "tf2onnx"}  # fmt: skip
    assert packages["vllm"].framework == "torch" and packages["tfx"].framework == "tensorflow"
    assert packages["executorch"].role == "edge"


def test_repeated_package_is_an_error(tmp_path):
    path = tmp_path / "ecosystem.toml"
    path.write_text(
        '[groups.a]\nlabel = "A"\n[groups.a.torch]\nlibrary = ["x"]\n'
        '[groups.b]\nlabel = "B"\n[groups.b.tensorflow]\nlibrary = ["x"]\n'
    )
    with pytest.raises(ValueError, match="'x' is in 'a' and 'b'"):
        load_ecosystem(path)


def test_index_without_cutoff_column_names_rule():
    with pytest.raises(ParseError, match="lacks column.*min_download_count"):
        parse_cutoffs("file,last_update,source_commit,source_path,rows_in_source\n", "INDEX.csv")


def test_below_cutoff_is_an_upper_bound_never_zero(loaded):
    rows = loaded.execute(
        "SELECT month, downloads, below_cutoff, upper_bound, method "
        "FROM ecosystem_downloads_monthly WHERE package = 'executorch' ORDER BY month"
    ).fetchall()
    assert rows == [
        (date(2025, 6, 1), None, True, 51000, "bigquery"),
        (date(2025, 7, 1), 120000, False, None, "clickhouse"),
    ]
    serving = loaded.execute(
        "SELECT downloads FROM ecosystem_downloads_monthly "
        "WHERE package = 'tensorflow-serving-api' ORDER BY month"
    ).fetchall()
    assert serving == [(5000000,), (None,)]  # '_' read as '-'; absent in July
    zeros = loaded.execute(
        "SELECT count(*) FROM ecosystem_downloads_monthly WHERE downloads = 0"
    ).fetchone()
    assert zeros == (0,)


def test_edge_signal_and_deployment_claim(loaded):
    rows = loaded.execute(
        "SELECT period, framework, value, flags FROM signal_edge_runtime_downloads ORDER BY 1, 2"
    ).fetchall()
    assert rows == [
        (date(2025, 6, 1), "tensorflow", 3090000.0, "below_cutoff"),
        (date(2025, 7, 1), "tensorflow", 4300000.0, "below_cutoff,method_break"),
        (date(2025, 7, 1), "torch", 120000.0, "method_break"),
    ]
    signals = loaded.execute("SELECT * FROM signal_edge_runtime_downloads").df()
    summary = signal_summary(signal_shares(signals))
    claim = next(c for c in load_claims() if c.id == "tensorflow-edge-deployment")
    verdict = evaluate(claim, summary, date(2025, 8, 1))
    assert verdict.verdict == SUPPORTED
    assert verdict.confidence == "1 of 1 current signals agree"
    assert "2025-07, 0 months old: 3%" in verdict.detail  # the age at the as-of date


def test_ingest_twice_same_rows(loaded, ctx, fixtures):
    assert ingest(ctx, str(fixtures / FOLDER)) == 0


def test_real_folder(shared_data, ctx, con):
    ingest(ctx, str(shared_data / "top-pypi-packages"))
    lists = con.execute(
        "SELECT count(*), min(min_download_count) FROM pypi_top_list_cutoffs WHERE window_days = 30"
    ).fetchone()
    assert lists[0] == 97  # PROVENANCE.md: 97 monthly 30-day files
    row = con.execute(
        "SELECT downloads, upper_bound FROM ecosystem_downloads_monthly "
        "WHERE package = 'onnxruntime' AND month = DATE '2026-04-01'"
    ).fetchone()
    assert row == (79754300, None)
