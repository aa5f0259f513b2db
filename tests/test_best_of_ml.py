"""best-of-ml-python: upstream snapshot layout, panel cross-check, flags, increments, signals."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from census_base.errors import ParseError
from collectors.best_of_ml import ingest, parse_projects

FOLDER = "best_of_ml_python"


@pytest.fixture
def loaded(ctx, con, fixtures):
    ingest(ctx, str(fixtures / FOLDER))
    return con


def test_snapshot_layout_keeps_framework_rows(fixtures):
    path = fixtures / FOLDER / "2021-12-30_projects.csv"
    rows = parse_projects(path.read_text(), str(path), "2021-12-30")
    assert rows["github_id"].tolist() == ["tensorflow/tensorflow", "pytorch/pytorch"]
    torch = rows.iloc[1]
    assert torch["snapshot_date"] == date(2021, 12, 30)
    assert torch["dependents_total"] == 6700  # the upstream fallback total, stored apart
    assert pd.isna(torch["github_dependents"])  # empty upstream: missing, not zero


def test_panel_disagreeing_with_snapshot_stops_the_load(ctx, con, fixtures, tmp_path):
    for name in ("2021-12-30_projects.csv", "frameworks_panel.csv"):
        text = (fixtures / FOLDER / name).read_text()
        if name.startswith("frameworks"):
            text = text.replace("2021-12-30,Tensorflow,tensorflow/tensorflow,tensorflow,"
                                "conda-forge/tensorflow,tensorflow/tensorflow,2021-12-30 "
                                "12:00:00+00:00,163000.0", "2021-12-30,Tensorflow,tensorflow/"
                                "tensorflow,tensorflow,conda-forge/tensorflow,tensorflow/"
                                "tensorflow,2021-12-30 12:00:00+00:00,999.0")  # fmt: skip
        (tmp_path / name).write_text(text)
    with pytest.raises(ParseError, match="snapshot and panel disagree"):
        ingest(ctx, str(tmp_path))
    assert con.execute("SELECT count(*) FROM project_metric_snapshots").fetchone() == (0,)


def test_bad_number_names_column():
    text = "snapshot_date,name,github_id,pypi_id,conda_id,dockerhub_id,star_count\n"
    text += "2021-01-01,PyTorch,pytorch/pytorch,torch,,,many\n"
    with pytest.raises(ParseError, match="star_count: not a number 'many'"):
        parse_projects(text, "panel.csv")


def test_flags(loaded):
    flags = loaded.execute(
        "SELECT subject, period_start, period_end, kind FROM data_flags "
        "WHERE source = 'best_of_ml_python' ORDER BY kind, subject"
    ).fetchall()
    assert flags == [
        ("tensorflow/tensorflow", date(2021, 12, 2), date(2021, 12, 2), "channel_change"),
        ("pytorch/pytorch", date(2022, 1, 27), date(2022, 1, 27), "counter_reset"),
        ("pytorch/pytorch", date(2022, 3, 24), date(2022, 3, 24), "implausible_value"),
        ("pytorch/pytorch", date(2021, 12, 2), date(2021, 12, 30), "missing_value"),
    ]


def test_increments_never_across_breaks(loaded):
    rows = loaded.execute(
        "SELECT snapshot_date, conda_increment, dockerhub_increment FROM best_of_ml_metrics "
        "WHERE framework = 'tensorflow' ORDER BY 1"
    ).fetchall()
    assert rows == [
        (date(2021, 11, 25), None, None),
        (date(2021, 12, 2), None, 500000),  # conda channel changed: no increment
        (date(2021, 12, 30), 60000, 700000),
        (date(2022, 1, 27), 60000, 700000),
        (date(2022, 2, 24), 56000, 700000),
        (date(2022, 3, 24), 54000, 700000),
    ]


def test_dependents_stock_github_field_only(loaded):
    rows = loaded.execute(
        "SELECT period, framework, value, flags FROM github_dependents_monthly ORDER BY 1, 2"
    ).fetchall()
    assert rows == [
        (date(2021, 11, 1), "tensorflow", 170000.0, ""),
        (date(2021, 11, 1), "torch", 73000.0, ""),
        (date(2021, 12, 1), "tensorflow", 174000.0, ""),  # PyTorch's fallback 6,700 not used
        (date(2022, 1, 1), "tensorflow", 178000.0, ""),
        (date(2022, 1, 1), "torch", 83000.0, ""),
        (date(2022, 2, 1), "tensorflow", 181000.0, ""),
        (date(2022, 2, 1), "torch", 84000.0, ""),
        (date(2022, 3, 1), "tensorflow", 184000.0, ""),  # PyTorch's 10 is implausible: dropped
    ]


def test_dependents_signal_is_a_flow_per_30_days(loaded):
    """The index reads new dependents (the rise of the stock between month-end snapshots,
    per 30 days), never the cumulative stock."""
    rows = loaded.execute(
        "SELECT period, framework, value, flags FROM signal_github_dependents ORDER BY 1, 2"
    ).fetchall()
    assert rows == [
        (date(2021, 12, 1), "tensorflow", pytest.approx(4000 / 35 * 30), ""),
        (date(2022, 1, 1), "tensorflow", pytest.approx(4000 / 28 * 30), ""),
        # PyTorch 2021-11-25 -> 2022-01-27 (63 days, its 2021-12 value is missing)
        (date(2022, 1, 1), "torch", pytest.approx(10000 / 63 * 30), "long_gap"),
        (date(2022, 2, 1), "tensorflow", pytest.approx(3000 / 28 * 30), ""),
        (date(2022, 2, 1), "torch", pytest.approx(1000 / 28 * 30), ""),
        (date(2022, 3, 1), "tensorflow", pytest.approx(3000 / 28 * 30), ""),
    ]


def test_conda_signal_per_30_days(loaded):
    rows = loaded.execute(
        "SELECT period, framework, value, flags FROM signal_conda_channel_downloads ORDER BY 1, 2"
    ).fetchall()
    assert rows == [
        (date(2021, 12, 1), "tensorflow", pytest.approx(60000 / 28 * 30), "channel_change"),
        (date(2021, 12, 1), "torch", pytest.approx(900000 / 35 * 30), ""),
        (date(2022, 1, 1), "tensorflow", pytest.approx(60000 / 28 * 30), ""),
        (date(2022, 2, 1), "tensorflow", pytest.approx(56000 / 28 * 30), ""),
        (date(2022, 2, 1), "torch", pytest.approx(560000 / 28 * 30), ""),
        (date(2022, 3, 1), "tensorflow", pytest.approx(54000 / 28 * 30), ""),
        (date(2022, 3, 1), "torch", pytest.approx(540000 / 28 * 30), ""),
    ]


def test_ingest_twice_same_rows(loaded, ctx, fixtures):
    assert ingest(ctx, str(fixtures / FOLDER)) == 0


def test_real_panel_matches_snapshots(shared_data, ctx, con):
    ingest(ctx, str(shared_data / "best-of-ml-python"))  # raises if the six dates disagree
    torch = con.execute(
        "SELECT github_dependents, conda_total_downloads FROM best_of_ml_metrics "
        "WHERE github_id = 'pytorch/pytorch' AND snapshot_date = DATE '2025-06-26'"
    ).fetchone()
    assert torch == (813565, 27526897)  # PROVENANCE.md real row
    fallback = con.execute(
        "SELECT github_dependents FROM best_of_ml_metrics "
        "WHERE github_id = 'pytorch/pytorch' AND snapshot_date = DATE '2021-12-30'"
    ).fetchone()
    assert fallback == (None,)  # upstream shows the 6,682 PyPI fallback: not a dependents value
